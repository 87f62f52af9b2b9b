#!/usr/bin/env bash
# expected.sh [SAMPLES_DIR]
#
# Computes the expected numbers of the planted conflicts and defects of the
# sample data set, independently of any hegui code: the sqlite3 shell with
# SpatiaLite (mod_spatialite: GEOS for overlay, PROJ for ST_Transform),
# working on copies of the files in a temporary folder. Shapefiles are read
# by SpatiaLite's own reader (ImportSHP), GeoPackages through GeomFromGPB.
#
# Areas are planar areas in EPSG:4526 (CGCS2000 3-degree GK zone 38); the
# 4490 layers of SXSX.gpkg are transformed with ST_Transform(..., 4526).
# A conflict area is the area of the dissolved overlap:
#   ST_Area(ST_Intersection(block, ST_Union(constraint patches touching it))).
# 1 ha = 10 000 m2; 1 亩 = 10 000/15 m2 (so 亩 = m2 * 0.0015).
#
# Output is plain text, pasted into samples/README.md between the
# "expected:begin" and "expected:end" markers; scripts/gen-samples --check
# compares the two.
set -euo pipefail

samples=${1:-samples}
for f in jincheng/KFQ_SZFW.shp jincheng/QY.shp jincheng/SXSX.gpkg jincheng/GHYDYH.gpkg \
         jincheng/ZXCQ.gpkg jincheng-defects/KFQ_SZFW.shp jincheng-defects/KFQ_BCKC.shp; do
    if [[ ! -f "$samples/$f" ]]; then
        echo "expected.sh: missing $samples/$f" >&2
        exit 2
    fi
done
command -v sqlite3 >/dev/null || { echo "expected.sh: sqlite3 not found" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$samples/jincheng" "$samples/jincheng-defects" "$work/"
db="$work/expected.sqlite"

# What the .prj files say (text, not computed).
prj_name() { grep -o '^PROJCS\["[^"]*"' "$1" | sed 's/^PROJCS\["//; s/"$//'; }

# 1. Load copies into one SpatiaLite database (ImportSHP needs the relaxed
#    security mode to read files).
SPATIALITE_SECURITY=relaxed sqlite3 -batch "$db" >/dev/null 2>"$work/import.log" <<SQL
SELECT load_extension('mod_spatialite');
SELECT InitSpatialMetadata(1);
SELECT ImportSHP('$work/jincheng/KFQ_SZFW', 'kfq', 'CP936', 4526);
SELECT ImportSHP('$work/jincheng/QY', 'qy', 'CP936', 4547);
SELECT ImportSHP('$work/jincheng-defects/KFQ_SZFW', 'kfqd', 'CP936', 4526);
-- KFQ_BCKC: the coordinates carry the zone prefix, so they are read as 4526
-- whatever its .prj says.
SELECT ImportSHP('$work/jincheng-defects/KFQ_BCKC', 'bckc', 'CP936', 4526);
ATTACH '$work/jincheng/SXSX.gpkg' AS sx;
ATTACH '$work/jincheng/GHYDYH.gpkg' AS gh;
ATTACH '$work/jincheng/ZXCQ.gpkg' AS zx;
CREATE TABLE farm AS
  SELECT fid, YJJBNTTBBH AS id, DLBM AS dlbm, YJJBNTMJ AS mj,
         ST_Transform(GeomFromGPB(geom), 4526) AS g FROM sx.YJJBNTBHTB;
CREATE TABLE red AS
  SELECT fid, HXBM AS code, HXMC AS name, ST_Transform(GeomFromGPB(geom), 4526) AS g
  FROM sx.STBHHX;
CREATE TABLE cz AS
  SELECT fid, ST_Transform(GeomFromGPB(geom), 4526) AS g FROM sx.CZKFBJ;
CREATE TABLE lu AS
  SELECT fid, YDYHFLDM AS code, YDYHFLMC AS name, TBMJ AS tbmj, GeomFromGPB(geom) AS g
  FROM gh.YDYH;
CREATE TABLE zxcq AS SELECT GeomFromGPB(geom) AS g FROM zx.ZXCQ;
-- DOMAIN.md §8: leading-industry labels -> GB/T 4754 code patterns
-- (新材料 taken as divisions 26, 30, 31, 32; 煤化工 without the unsure 2614).
CREATE TABLE label_code(label TEXT, pattern TEXT);
INSERT INTO label_code VALUES
  ('光机电','3976'),('光机电','3975'),('光机电','3974'),('光机电','3983'),
  ('光机电','4040'),('光机电','3525'),('光机电','3484'),
  ('装备制造','33%'),('装备制造','34%'),('装备制造','35%'),('装备制造','36%'),
  ('装备制造','37%'),('装备制造','38%'),('装备制造','39%'),('装备制造','40%'),
  ('新能源','3415'),('新能源','3825'),('新能源','3841'),('新能源','4415'),
  ('新能源','4416'),('新能源','4511'),
  ('新材料','26%'),('新材料','30%'),('新材料','31%'),('新材料','32%'),
  ('煤化工','252%'),('煤化工','2621'),
  ('医药','271%'),('医药','272%'),('医药','274%'),('医药','2761'),('医药','2762'),
  ('冶铸','31%'),('冶铸','32%'),('冶铸','3391'),('冶铸','3392');
SQL

for t in kfq qy kfqd bckc; do
    if ! grep -q "Inserted [0-9]* rows into '$t'" "$work/import.log"; then
        echo "expected.sh: SpatiaLite could not import $t:" >&2
        cat "$work/import.log" >&2
        exit 2
    fi
done

# 2. The numbers.
# GEOS/RTTOPO warnings about the planted self-intersection are expected;
# anything else on stderr is passed on.
run() {
    sqlite3 -batch -separator ' | ' "$db" 2>"$work/stderr" <<SQL
.output /dev/null
SELECT load_extension('mod_spatialite');
.output stdout
$1
SQL
    grep -v -e '^GEOS warning: Self-intersection' -e '^RTTOPO warning: Self-intersection' \
        -e '^$' "$work/stderr" >&2 || true
}

# m2 -> "m2 | ha | 亩"
units="printf('%.2f | %.4f | %.2f', a, a / 10000.0, a * 0.0015)"

echo "# expected numbers of the hegui sample data (tools/samplegen/expected.sh)"
echo "# planar areas in EPSG:4526; m2 | ha | 亩"
echo
echo "## clean set: blocks (jincheng/KFQ_SZFW.shp)"
echo "# block | QKMJ ha | area m2 | area ha | area 亩 | QKMJ*10000 - area m2 | valid | vertices"
run "SELECT qkmc, printf('%.4f', qkmj), $units, printf('%.2f', qkmj * 10000.0 - a),
            ST_IsValid(geometry), ST_NPoints(geometry) - 1
     FROM (SELECT *, ST_Area(geometry) AS a FROM kfq) ORDER BY pk_uid;"
run "SELECT 'zone ' || kfqdm, 'HZMJ ' || printf('%.4f', max(hzmj)),
            'sum QKMJ ' || printf('%.4f', sum(qkmj)),
            'sum area m2 ' || printf('%.2f', sum(ST_Area(geometry))),
            'union area m2 ' || printf('%.2f', ST_Area(ST_Union(geometry)))
     FROM kfq GROUP BY kfqdm;"
echo "# ellipsoidal (SpatiaLite spheroid, approximate: within about 2 m2 of PROJ geod_polygonarea)"
run "SELECT qkmc, printf('%.0f', ST_Area(ST_Transform(geometry, 4490), 1)),
            printf('planar/ellipsoidal - 1 = %.4f %%',
                   100.0 * (ST_Area(geometry) / ST_Area(ST_Transform(geometry, 4490), 1) - 1.0))
     FROM kfq ORDER BY pk_uid;"
echo

echo "## per-block conflict areas, dissolved (m2)"
echo "# block | C01 永久基本农田 | C02 生态保护红线 | C03 outside 城镇开发边界 | C04 0301 乔木林地 | C04 1701 河流水面"
run "SELECT z.qkmc,
  printf('%.2f', COALESCE((SELECT ST_Area(ST_Intersection(z.geometry, ST_Union(f.g))) FROM farm f
                           WHERE MbrIntersects(f.g, z.geometry) AND ST_Intersects(f.g, z.geometry)), 0)),
  printf('%.2f', COALESCE((SELECT ST_Area(ST_Intersection(z.geometry, ST_Union(r.g))) FROM red r
                           WHERE ST_Intersects(r.g, z.geometry)), 0)),
  printf('%.2f', (SELECT CASE WHEN u IS NULL THEN ST_Area(z.geometry)
                              ELSE COALESCE(ST_Area(ST_Difference(z.geometry, u)), 0) END
                  FROM (SELECT ST_Union(c.g) AS u FROM cz c WHERE ST_Intersects(c.g, z.geometry)))),
  printf('%.2f', COALESCE((SELECT ST_Area(ST_Intersection(z.geometry, ST_Union(l.g))) FROM lu l
                           WHERE l.code = '0301' AND MbrIntersects(l.g, z.geometry)
                             AND ST_Intersects(l.g, z.geometry)), 0)),
  printf('%.2f', COALESCE((SELECT ST_Area(ST_Intersection(z.geometry, ST_Union(l.g))) FROM lu l
                           WHERE l.code = '1701' AND MbrIntersects(l.g, z.geometry)
                             AND ST_Intersects(l.g, z.geometry)), 0))
  FROM kfq z ORDER BY z.pk_uid;"
echo

echo "## C01 永久基本农田 (SXSX.gpkg YJJBNTBHTB) inside blocks"
echo "# block | dissolved m2 | ha | 亩 | patches | sum of per-patch overlaps m2 (double-counts)"
run "SELECT qkmc, $units, n, printf('%.2f', s) FROM (
  SELECT z.pk_uid AS k, z.qkmc AS qkmc,
         ST_Area(ST_Intersection(z.geometry, ST_Union(f.g))) AS a,
         count(*) AS n, sum(ST_Area(ST_Intersection(z.geometry, f.g))) AS s
  FROM kfq z JOIN farm f ON MbrIntersects(f.g, z.geometry) AND ST_Intersects(f.g, z.geometry)
  GROUP BY z.pk_uid) ORDER BY k;"
echo "# patch YJJBNTTBBH | DLBM | block | overlap with block m2 | ha | 亩 | patch area m2 | YJJBNTMJ"
run "SELECT f.id, f.dlbm, z.qkmc, $units, printf('%.2f', ST_Area(f.g)), printf('%.2f', f.mj) FROM (
  SELECT f.*, ST_Area(ST_Intersection(z.geometry, f.g)) AS a FROM kfq z JOIN farm f
  ON MbrIntersects(f.g, z.geometry) AND ST_Intersects(f.g, z.geometry)) f
  JOIN kfq z ON ST_Intersects(f.g, z.geometry) ORDER BY f.id;"
echo "# overlap of those patches with each other (all of it, and the part inside the block) m2"
run "SELECT a.id || ' x ' || b.id, printf('%.2f', ST_Area(ST_Intersection(a.g, b.g))),
            printf('%.2f', ST_Area(ST_Intersection(ST_Intersection(a.g, b.g), z.geometry)))
     FROM farm a, farm b, kfq z
     WHERE a.fid < b.fid AND MbrIntersects(a.g, z.geometry) AND ST_Intersects(a.g, z.geometry)
       AND MbrIntersects(b.g, z.geometry) AND ST_Intersects(b.g, z.geometry)
       AND ST_Intersects(a.g, b.g);"
echo "# farmland patches overlapping any other farmland patch anywhere (count)"
run "SELECT count(*) FROM farm a, farm b WHERE a.fid < b.fid AND MbrIntersects(a.g, b.g)
       AND ST_Overlaps(a.g, b.g);"
echo

echo "## C02 生态保护红线 (SXSX.gpkg STBHHX) inside blocks"
echo "# block | HXBM | HXMC | m2 | ha | 亩"
run "SELECT qkmc, code, name, $units FROM (
  SELECT z.pk_uid AS k, z.qkmc AS qkmc, r.code AS code, r.name AS name,
         ST_Area(ST_Intersection(z.geometry, r.g)) AS a
  FROM kfq z JOIN red r ON ST_Intersects(r.g, z.geometry)) ORDER BY k, code;"
echo

echo "## C03 blocks outside 城镇开发边界 (SXSX.gpkg CZKFBJ)"
echo "# block | outside m2 | ha | 亩 | share of block %"
run "SELECT qkmc, $units, printf('%.3f', 100.0 * a / ar) FROM (
  SELECT z.pk_uid AS k, z.qkmc AS qkmc, ST_Area(z.geometry) AS ar,
         (SELECT CASE WHEN u IS NULL THEN ST_Area(z.geometry)
                      ELSE COALESCE(ST_Area(ST_Difference(z.geometry, u)), 0) END
          FROM (SELECT ST_Union(c.g) AS u FROM cz c WHERE ST_Intersects(c.g, z.geometry))) AS a
  FROM kfq z) WHERE a > 0 ORDER BY k;"
echo

echo "## C04 land use (GHYDYH.gpkg YDYH) inside blocks, by class"
echo "# block | YDYHFLDM | YDYHFLMC | patches | m2 | ha | 亩"
run "SELECT qkmc, code, name, n, $units FROM (
  SELECT z.pk_uid AS k, z.qkmc AS qkmc, l.code AS code, l.name AS name, count(*) AS n,
         ST_Area(ST_Intersection(z.geometry, ST_Union(l.g))) AS a
  FROM kfq z JOIN lu l ON MbrIntersects(l.g, z.geometry) AND ST_Intersects(l.g, z.geometry)
       AND ST_Area(ST_Intersection(l.g, z.geometry)) > 0.001
  GROUP BY z.pk_uid, l.code) ORDER BY k, code;"
echo "# coverage: block | sum of patch overlaps m2 | block area m2 (equal: no gap, no overlap)"
run "SELECT z.qkmc, printf('%.2f', sum(ST_Area(ST_Intersection(z.geometry, l.g)))),
            printf('%.2f', ST_Area(z.geometry))
     FROM kfq z JOIN lu l ON MbrIntersects(l.g, z.geometry) AND ST_Intersects(l.g, z.geometry)
     GROUP BY z.pk_uid ORDER BY z.pk_uid;"
echo "# whole mosaic: patches | sum TBMJ m2 | sum of areas m2 | extent area m2"
run "SELECT count(*), printf('%.2f', sum(tbmj)), printf('%.2f', sum(ST_Area(g))),
            printf('%.2f', (max(MbrMaxX(g)) - min(MbrMinX(g))) * (max(MbrMaxY(g)) - min(MbrMinY(g))))
     FROM lu;"
echo

echo "## enterprises (QY.shp, EPSG:4547 + 38 000 000 m -> 4526)"
echo "# block containing the point | enterprises | SSYQ disagreeing"
run "SELECT COALESCE(z.qkmc, '(outside every zone)'), count(*),
            sum(COALESCE(q.ssyq, '') <> COALESCE(z.qkmc, ''))
     FROM qy q LEFT JOIN kfq z ON ST_Within(ST_Transform(q.geometry, 4526), z.geometry)
     GROUP BY z.pk_uid ORDER BY z.pk_uid;"
echo "# I01: in a block, HYDM matching none of the block's ZDCY labels (DOMAIN.md §8)"
echo "# QYMC | HYDM | block | ZDCY"
run "SELECT q.qymc, q.hydm, z.qkmc, z.zdcy
     FROM qy q JOIN kfq z ON ST_Within(ST_Transform(q.geometry, 4526), z.geometry)
     WHERE NOT EXISTS (SELECT 1 FROM label_code lc
                       WHERE instr(z.zdcy, lc.label) > 0 AND q.hydm LIKE lc.pattern)
     ORDER BY q.pk_uid;"
echo "# outside every zone: QYMC | HYDM | polluting (冶铸/煤化工) | distance to ZXCQ m | I02 (polluting and <= 10 km)"
run "SELECT qymc, hydm, p, printf('%.2f', d), CASE WHEN p = 'yes' AND d <= 10000 THEN 'I02' ELSE '-' END
     FROM (SELECT q.pk_uid AS k, q.qymc AS qymc, q.hydm AS hydm,
                  CASE WHEN EXISTS (SELECT 1 FROM label_code lc
                                    WHERE lc.label IN ('冶铸', '煤化工') AND q.hydm LIKE lc.pattern)
                       THEN 'yes' ELSE 'no' END AS p,
                  (SELECT ST_Distance(ST_Transform(q.geometry, 4526), zx.g) FROM zxcq zx) AS d
           FROM qy q
           WHERE NOT EXISTS (SELECT 1 FROM kfq z
                             WHERE ST_Within(ST_Transform(q.geometry, 4526), z.geometry)))
     ORDER BY k;"
echo

echo "## defect set: blocks (jincheng-defects/KFQ_SZFW.shp)"
echo "# block | KFQDM | valid | reason | area m2 (as stored) | MakeValid area m2 | QKMJ ha | QKMJ*10000 - MakeValid area m2"
run "SELECT qkmc, COALESCE(NULLIF(kfqdm, ''), '(empty)'), ST_IsValid(geometry),
            ST_IsValidReason(geometry), printf('%.2f', ST_Area(geometry)),
            printf('%.2f', ST_Area(MakeValid(geometry))), printf('%.4f', qkmj),
            printf('%.2f', qkmj * 10000.0 - ST_Area(MakeValid(geometry)))
     FROM kfqd ORDER BY pk_uid;"
run "SELECT 'zone HZMJ ' || printf('%.4f', max(hzmj)), 'sum QKMJ ' || printf('%.4f', sum(qkmj))
     FROM kfqd;"
echo "# overlapping blocks (MakeValid geometries): pair | m2 | ha | 亩"
run "SELECT pair, $units FROM (
  SELECT a.qkmc || ' x ' || b.qkmc AS pair,
         ST_Area(ST_Intersection(MakeValid(a.geometry), MakeValid(b.geometry))) AS a
  FROM kfqd a, kfqd b WHERE a.pk_uid < b.pk_uid
    AND ST_Intersects(MakeValid(a.geometry), MakeValid(b.geometry))) WHERE a > 0;"
echo "# blocks changed against the clean set: block | area change m2 (MakeValid)"
run "SELECT d.qkmc, printf('%+.2f', ST_Area(MakeValid(d.geometry)) - ST_Area(c.geometry))
     FROM kfqd d JOIN kfq c ON c.qkmc = d.qkmc
     WHERE NOT ST_Equals(MakeValid(d.geometry), c.geometry) ORDER BY d.pk_uid;"
echo
echo "## defect set: KFQ_BCKC.shp"
echo "# .prj says: $(prj_name "$work/jincheng-defects/KFQ_BCKC.prj")"
echo "# KFQDM | KFQMC | block | min easting | max easting | QKMJ ha | area m2 | QKMJ*10000 - area m2"
run "SELECT kfqdm, kfqmc, qkmc, printf('%.3f', MbrMinX(geometry)), printf('%.3f', MbrMaxX(geometry)),
            printf('%.4f', qkmj), printf('%.2f', ST_Area(geometry)),
            printf('%.2f', qkmj * 10000.0 - ST_Area(geometry))
     FROM bckc ORDER BY pk_uid;"
echo "# clean KFQ_SZFW.prj says: $(prj_name "$work/jincheng/KFQ_SZFW.prj"); QY.prj says: $(prj_name "$work/jincheng/QY.prj")"
echo

echo "## feature counts"
run "SELECT 'KFQ_SZFW', count(*) FROM kfq UNION ALL SELECT 'QY', count(*) FROM qy
     UNION ALL SELECT 'YJJBNTBHTB', count(*) FROM farm UNION ALL SELECT 'STBHHX', count(*) FROM red
     UNION ALL SELECT 'CZKFBJ', count(*) FROM cz UNION ALL SELECT 'YDYH', count(*) FROM lu
     UNION ALL SELECT 'ZXCQ', count(*) FROM zxcq
     UNION ALL SELECT 'defects KFQ_SZFW', count(*) FROM kfqd
     UNION ALL SELECT 'defects KFQ_BCKC', count(*) FROM bckc;"
