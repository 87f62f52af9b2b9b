#!/usr/bin/env bash
# C06 difference patches on samples/jincheng-plan-diff: the two kinds
# (construction in plan A only, in plan B only), inside the zones and
# outside them, against SpatiaLite's union/intersection of the same plans.
. "$(dirname "$0")/lib.sh"
DIR="$SAMPLES/jincheng-plan-diff"
export SOURCE_DATE_EPOCH=1700000000

run check -c "$DIR/rules.yaml" --format json -o "$WORK/out"
expect_rc 1
cp "$WORK/out/summary.json" "$WORK/stdout"
json_check "len([f for f in d['findings'] if f['rule'] == 'C06']) > 0" \
  "{f['subject_attrs'] for f in d['findings'] if f['rule'] == 'C06'} == {'kind=A_construction_B_not', 'kind=B_construction_A_not'}" \
  "all(f['severity'] == 'warning' for f in d['findings'] if f['rule'] == 'C06')"

# the same plans and zones as shapefiles in one scratch folder, so that
# GDAL's SQLite dialect hands SpatiaLite all three layers
db="$WORK/plans"
mkdir -p "$db"
ogr2ogr "$db/A.shp" "$SAMPLES/jincheng/GHYDYH.gpkg" YDYH -select YDYHFLDM
ogr2ogr "$db/B.shp" "$DIR/GHYDYH_2020.gpkg" YDYH2020 -select YDYHFLDM
ogr2ogr "$db/Z.shp" "$SAMPLES/jincheng/KFQ_SZFW.shp" -select KFQDM
build="substr(YDYHFLDM, 1, 2) IN ('07','08','09','10','11','12','13','14','15','16')"
sql() {
  ogrinfo -ro -q -dialect SQLite -sql "$1" "$db" 2>/dev/null | sed -n 's/^  v ([A-Za-z]*) = //p' | head -n 1
}
ab="ST_Intersection((SELECT ST_Union(geometry) FROM A WHERE $build), (SELECT ST_Union(geometry) FROM B WHERE NOT ($build)))"
ba="ST_Intersection((SELECT ST_Union(geometry) FROM B WHERE $build), (SELECT ST_Union(geometry) FROM A WHERE NOT ($build)))"
zones="(SELECT ST_Union(geometry) FROM Z)"
in_ab=$(sql "SELECT ST_Area(ST_Intersection($ab, $zones)) AS v")
in_ba=$(sql "SELECT ST_Area(ST_Intersection($ba, $zones)) AS v")
out_ab=$(sql "SELECT ST_Area(ST_Difference($ab, $zones)) AS v")
out_ba=$(sql "SELECT ST_Area(ST_Difference($ba, $zones)) AS v")
CHECKS=$((CHECKS + 1))
[ -n "$in_ab" ] && [ -n "$out_ba" ] || fail "SpatiaLite gave no reference values"
echo "SpatiaLite: in zones A-only $in_ab, B-only ${in_ba:-0}; outside A-only $out_ab, B-only $out_ba"
json_check \
  "abs(sum(f['area_m2'] for f in d['findings'] if f['rule'] == 'C06' and f['zone_code'] and 'A_construction' in f['subject_attrs']) - $in_ab) <= 0.01 * max(1, len(d['findings']))" \
  "abs(sum(f['area_m2'] for f in d['findings'] if f['rule'] == 'C06' and f['zone_code'] and 'B_construction' in f['subject_attrs']) - ${in_ba:-0}) <= 0.01 * max(1, len(d['findings']))" \
  "abs(sum(f['area_m2'] for f in d['findings'] if f['rule'] == 'C06' and not f['zone_code'] and 'A_construction' in f['subject_attrs']) - ${out_ab:-0}) <= 0.01 * max(1, len(d['findings']))" \
  "abs(sum(f['area_m2'] for f in d['findings'] if f['rule'] == 'C06' and not f['zone_code'] and 'B_construction' in f['subject_attrs']) - $out_ba) <= 0.01 * max(1, len(d['findings']))" \
  "abs([t for t in d['totals'] if t['rule'] == 'C06' and t['zone_code'] == 'G141061'][0]['area_m2'] - ($in_ab + ${in_ba:-0})) <= 0.01"
finish
