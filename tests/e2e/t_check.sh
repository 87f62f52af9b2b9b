#!/usr/bin/env bash
# hegui check on samples/jincheng: every planted conflict is found, and its
# area matches the independent SpatiaLite computation of
# tools/samplegen/expected.sh within 0.01 m2; -j 1 and -j 2 give the same
# bytes; the reports are readable by other tools.
. "$(dirname "$0")/lib.sh"
CLEAN="$SAMPLES/jincheng"
before=$(tree_hash "$SAMPLES")
export SOURCE_DATE_EPOCH=1700000000

"$SRCDIR/tools/samplegen/expected.sh" "$SAMPLES" >"$WORK/expected.txt" 2>"$WORK/expected.err" ||
  { echo "expected.sh failed: $(cat "$WORK/expected.err")" >&2; exit 1; }

run check -j 1 -o "$WORK/j1" "$CLEAN"
expect_rc 1
expect_out "verdict: FAIL"
run check -j 2 -o "$WORK/j2" "$CLEAN"
expect_rc 1
for f in summary.json findings.csv findings.gpkg junit.xml; do
  CHECKS=$((CHECKS + 1))
  cmp -s "$WORK/j1/$f" "$WORK/j2/$f" || fail "$f differs between -j 1 and -j 2"
done

cp "$WORK/j2/summary.json" "$WORK/stdout"
CHECKS=$((CHECKS + 1))
"$PY" - "$WORK/expected.txt" "$WORK/stdout" <<'PY' || fail "conflict areas differ from SpatiaLite"
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
d = json.load(open(sys.argv[2], encoding="utf-8"))

def table(title):
    i = next(k for k, l in enumerate(lines) if l.startswith("## " + title))
    rows = []
    for l in lines[i + 1:]:
        if l.startswith("## "):
            break
        if l and not l.startswith("#"):
            rows.append([c.strip() for c in l.split("|")])
    return rows

# per-block dissolved areas: block | C01 | C02 | C03 | C04 0301 | C04 1701
expected = {"C01": 0.0, "C02": 0.0, "C03": 0.0, "C04": 0.0}
for r in table("per-block conflict areas"):
    expected["C01"] += float(r[1]); expected["C02"] += float(r[2]); expected["C03"] += float(r[3])
    expected["C04"] += float(r[4]) + float(r[5])
totals = {t["rule"]: t for t in d["totals"] if t["zone_code"] == "G141061"}
bad = 0
for rule, area in expected.items():
    got = totals[rule]["area_m2"] if rule in totals else 0.0
    ok = abs(got - area) <= 0.01
    print(f"{rule}: hegui {got:.2f} m2, SpatiaLite {area:.2f} m2 {'ok' if ok else 'MISMATCH'}")
    bad += not ok
# each planted case is there, with its count of patches
counts = {}
for f in d["findings"]:
    counts[f["rule"]] = counts.get(f["rule"], 0) + 1
want = {"C01": 2, "C02": 1, "C03": 1, "C04": 13, "I01": 1, "I02": 1}
for rule, n in want.items():
    if counts.get(rule, 0) != n:
        print(f"{rule}: {counts.get(rule, 0)} findings, expected {n}"); bad += 1
# I01: the textile mill in 主区; I02: the coking plant at 5 503.85 m, not the
# iron works at 13.5 km
for r in table("enterprises"):
    if len(r) == 4 and r[2] == "主区":
        i01 = [f for f in d["findings"] if f["rule"] == "I01"][0]
        if r[0] not in i01["message_zh"] or r[1] not in i01["subject_attrs"]:
            print("I01", i01["message_zh"], r); bad += 1
    if len(r) == 5:
        flagged = [f for f in d["findings"] if f["rule"] == "I02" and r[0] in f["message_zh"]]
        if (r[4] == "I02") != bool(flagged):
            print("I02 for", r, flagged); bad += 1
        if flagged and "%.0f m from the urban area" % float(r[3]) not in flagged[0]["message_en"]:
            print("I02 distance", flagged[0]["message_en"], r[3]); bad += 1
# I03: zone rows reconcile with their enterprises
for z in {r["zone_code"] for r in d["intensity"]}:
    rows = [r for r in d["intensity"] if r["zone_code"] == z]
    zone = [r for r in rows if r["enterprise"] == ""][0]
    ents = [r for r in rows if r["enterprise"] != "" and r["land_m2"] > 0]
    if abs(sum(r["output"] for r in ents) - zone["output"]) > 0.01 * len(ents) + 1e-6:
        print("I03 output does not reconcile", z); bad += 1
    if [r["rank_in_zone"] for r in ents] != list(range(1, len(ents) + 1)):
        print("I03 ranks", [r["rank_in_zone"] for r in ents]); bad += 1
# the survey part passes on the clean set
if any(f["rule"].startswith("S") for f in d["findings"]):
    print("unexpected survey findings"); bad += 1
# C01 per patch (not dissolved) as SpatiaLite lists them
patches = {r[0]: float(r[3]) for r in table("C01 ") if len(r) >= 8}
for f in d["findings"]:
    if f["rule"] == "C01":
        key = f["other_attrs"].split("YJJBNTTBBH=")[1].split(";")[0]
        if abs(f["area_m2"] - patches[key]) > 0.01:
            print("C01 patch", key, f["area_m2"], patches[key]); bad += 1
# land-use structure per class against the per-block class table
structure, rows = {}, {}
for r in table("C04 land use"):
    if len(r) == 7:  # block | code | name | patches | m2 | ha | 亩 (coverage rows have 3)
        structure[r[1]] = structure.get(r[1], 0.0) + float(r[4])
        rows[r[1]] = rows.get(r[1], 0) + 1
got = {r["class_code"]: r["area_m2"] for r in d["landuse_structure"] if r["zone_code"] == "G141061"}
for code, area in structure.items():
    # expected.sh prints each block's row rounded to 0.01 m2
    if abs(got.get(code, 0.0) - area) > 0.005 * rows[code] + 1e-6:
        print("land class", code, got.get(code), area); bad += 1
sys.exit(1 if bad else 0)
PY

# findings.gpkg: QGIS-style layer_styles, geometries in EPSG:4526
CHECKS=$((CHECKS + 1))
ogrinfo -ro -q "$WORK/j2/findings.gpkg" >"$WORK/layers.txt" 2>&1 || fail "ogrinfo cannot read findings.gpkg"
CHECKS=$((CHECKS + 1))
grep -q "layer_styles" "$WORK/layers.txt" || fail "findings.gpkg has no layer_styles table"
CHECKS=$((CHECKS + 1))
n=$(ogrinfo -ro -q -dialect SQLite -sql "SELECT count(*) AS v FROM conflict" "$WORK/j2/findings.gpkg" | sed -n 's/^  v (Integer) = //p')
[ "$n" = "17" ] || fail "findings.gpkg conflict layer has '$n' features, expected 17"

# findings.csv: BOM, header, one row per finding
CHECKS=$((CHECKS + 1))
[ "$(head -c 3 "$WORK/j2/findings.csv" | od -An -tx1 | tr -d ' ')" = "efbbbf" ] || fail "findings.csv has no UTF-8 BOM"
CHECKS=$((CHECKS + 1))
"$PY" - "$WORK/j2/findings.csv" <<'PY' || fail "findings.csv does not parse as 17 findings"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
assert len(rows) == 19, len(rows)
assert {r["rule"] for r in rows} == {"C01", "C02", "C03", "C04", "I01", "I02"}
PY

# progress on a terminal (script(1) gives hegui one): layer, features, rate;
# none when stderr is a file (the runs above)
CHECKS=$((CHECKS + 1))
grep -q "features" "$WORK/stderr" && fail "progress written to a file"
if command -v script >/dev/null; then
  script -qec "'$HEGUI' check -o '$WORK/tty' '$CLEAN'" /dev/null >"$WORK/tty.txt" 2>&1
  CHECKS=$((CHECKS + 1))
  # grep reads a file, not a pipe: with pipefail, grep -q leaving early
  # would kill the writer with SIGPIPE and fail the check at random
  tr '\r' '\n' <"$WORK/tty.txt" >"$WORK/tty.lines"
  grep -Eq "^  YDYH: [0-9]+ features" "$WORK/tty.lines" ||
    fail "no progress line for YDYH on a terminal: $(head -c 300 "$WORK/tty.txt")"
fi

# a folder without some layers: the rules that need them say so
mkdir -p "$WORK/partial"
cp "$CLEAN"/KFQ_SZFW.* "$WORK/partial/"
run check -o "$WORK/partial-out" "$WORK/partial"
expect_rc 0
expect_err "C01 was not checked: no farmland"
expect_err "C04 was not checked: no landuse"

# the land use as a shapefile with a spatial index is read block box by
# block box (hegui_reader_set_passes), without one in a single pass: the
# same bytes either way (the .qix is no part of the inputs' hash), and the
# same C04 findings as from the GeoPackage
mkdir -p "$WORK/lushp"
cp "$CLEAN"/KFQ_SZFW.* "$CLEAN"/QY.* "$CLEAN"/SXSX.gpkg "$CLEAN"/ZXCQ.gpkg "$WORK/lushp/"
ogr2ogr -q -lco ENCODING=UTF-8 -lco SPATIAL_INDEX=YES "$WORK/lushp/YDYH.shp" \
  "$CLEAN/GHYDYH.gpkg" YDYH || fail "ogr2ogr cannot write the land use as a shapefile"
CHECKS=$((CHECKS + 1))
[ -f "$WORK/lushp/YDYH.qix" ] || fail "ogr2ogr wrote no .qix"
run check -j 2 --format json -o "$WORK/qix" "$WORK/lushp"
expect_rc 1
rm "$WORK/lushp/YDYH.qix"
run check -j 2 --format json -o "$WORK/noqix" "$WORK/lushp"
expect_rc 1
CHECKS=$((CHECKS + 1))
cmp -s "$WORK/qix/summary.json" "$WORK/noqix/summary.json" ||
  fail "summary.json differs with and without the land use's spatial index"
CHECKS=$((CHECKS + 1))
"$PY" - "$WORK/j2/summary.json" "$WORK/qix/summary.json" <<'PY' || fail "C04 differs from the GeoPackage's"
import json, sys
a, b = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:])
def c04(d):
    return sorted((f["zone_code"], f["message_zh"].split("（")[0], round(f["area_m2"], 2))
                  for f in d["findings"] if f["rule"] == "C04")
assert c04(a) and c04(a) == c04(b), (len(c04(a)), len(c04(b)))
PY

# a red line of polygons over 64 KiB of WKB each (read feature by feature)
# is read through its GeoPackage R-tree, only the features whose envelope
# meets a block's box (hegui_reader_set_passes): the same findings and totals
# as the same layer without an R-tree, read in one pass
mkdir -p "$WORK/rtree" "$WORK/nortree"
for d in rtree nortree; do
  cp "$CLEAN"/KFQ_SZFW.* "$CLEAN"/QY.* "$CLEAN"/GHYDYH.gpkg "$CLEAN"/ZXCQ.gpkg "$WORK/$d/"
done
ogr2ogr -q -segmentize 0.00001 "$WORK/rtree/SXSX.gpkg" "$CLEAN/SXSX.gpkg" STBHHX &&
  ogr2ogr -q -update "$WORK/rtree/SXSX.gpkg" "$CLEAN/SXSX.gpkg" YJJBNTBHTB CZKFBJ &&
  ogr2ogr -q -lco SPATIAL_INDEX=NO "$WORK/nortree/SXSX.gpkg" "$WORK/rtree/SXSX.gpkg" STBHHX &&
  ogr2ogr -q -update "$WORK/nortree/SXSX.gpkg" "$CLEAN/SXSX.gpkg" YJJBNTBHTB CZKFBJ ||
  fail "ogr2ogr cannot write the dense red line"
run check -j 2 --format json -o "$WORK/rtree-out" "$WORK/rtree"
expect_rc 1
run check -j 2 --format json -o "$WORK/nortree-out" "$WORK/nortree"
expect_rc 1
CHECKS=$((CHECKS + 1))
"$PY" - "$WORK/rtree-out/summary.json" "$WORK/nortree-out/summary.json" \
  "$WORK/rtree/SXSX.gpkg" <<'PY' || fail "the R-tree read gives other findings"
import json, sqlite3, sys
a, b = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
db = sqlite3.connect(sys.argv[3])
# the premise: polygons over 64 KiB each, and an R-tree
assert db.execute("SELECT MIN(LENGTH(geom)) FROM STBHHX").fetchone()[0] > 65536
assert db.execute('SELECT COUNT(*) FROM "rtree_STBHHX_geom"').fetchone()[0] == 5
assert a["totals"] == b["totals"]
assert a["findings"] == b["findings"]
assert any(f["rule"] == "C02" for f in a["findings"]), "no C02 finding"
PY

# --timings: one row per stage on stderr, in the order the stages run, the
# rows adding up to the total, which is no longer than the process took;
# the reports are the same bytes with and without it
CHECKS=$((CHECKS + 1))
"$PY" - "$HEGUI" "$CLEAN" "$WORK" <<'PY' || fail "check --timings"
import subprocess, sys, time
hegui, clean, work = sys.argv[1:]
def timed(*args):
    t0 = time.monotonic()
    p = subprocess.run([hegui, *args], capture_output=True, text=True)
    return p, time.monotonic() - t0
def rows(err, threads):
    lines = err.splitlines()
    i = lines.index(f"hegui: timings (-j {threads})")
    assert lines[i + 1].split() == ["stage", "wall", "s", "cpu", "s", "cores"], lines[i + 1]
    out = []
    for l in lines[i + 2:]:
        f = l.split()
        out.append((f[0], float(f[1]), float(f[2])))
    return out
p, elapsed = timed("check", "-j", "2", "--timings", "--format", "json", "-o", work + "/timed", clean)
assert p.returncode == 1, p.returncode
r = rows(p.stderr, 2)
names = [n for n, _, _ in r]
want = (["read", "zones"] + [f"S0{k}" for k in range(1, 8)] + [f"C0{k}" for k in range(1, 6)]
        + ["enterprises", "I01", "I02", "I03", "sort", "totals", "inputs", "reports", "total"])
assert names == want, names
assert all(w >= 0 and c >= 0 for _, w, c in r), r
stages = sum(w for n, w, _ in r if n != "total")
total = r[-1][1]
assert 0 < total <= elapsed, (total, elapsed)
# each row is rounded to the millisecond: their sum may pass the total by
# half a millisecond a row
assert total - 0.005 <= stages <= total + 0.0005 * len(r), (stages, total)
# validate: the survey stages only; a run that cannot read its input still
# says how long reading took
p, _ = timed("validate", "--timings", "--format", "json", "-o", work + "/vtimed", clean)
lines = p.stderr.splitlines()
i = lines.index("hegui: timings")
names = [l.split()[0] for l in lines[i + 2:]]
assert names == ["read", "zones"] + [f"S0{k}" for k in range(1, 8)] + [
    "sort", "totals", "inputs", "reports", "total"], names
p, _ = timed("check", "-j", "1", "--timings", "-o", work + "/none", work + "/no-such-folder")
assert p.returncode == 2, p.returncode
assert [n for n, _, _ in rows(p.stderr, 1)] == ["read", "total"], p.stderr
PY
CHECKS=$((CHECKS + 1))
cmp -s "$WORK/j2/summary.json" "$WORK/timed/summary.json" || fail "--timings changed summary.json"
run check -j 2 --format json -o "$WORK/untimed" "$CLEAN"
expect_no_err "hegui: timings"

# A land-use layer with every seventh patch removed leaves parts of every
# block uncovered: one C04 warning per block, its area that of SpatiaLite's
# area(block) - area(union(land use inside it)), and not in C04's total.
# A farmland layer moved 1.5 degrees east (another city's) comes near no
# block: one C01 info finding, no C01 error.
mkdir -p "$WORK/thin"
cp "$CLEAN"/KFQ_SZFW.* "$CLEAN"/ZXCQ.gpkg "$CLEAN"/QY.* "$WORK/thin/"
ogr2ogr -f GPKG "$WORK/thin/GHYDYH.gpkg" "$CLEAN/GHYDYH.gpkg" -nln YDYH -where "fid % 7 <> 0" YDYH
ogr2ogr -f GPKG "$WORK/thin/SXSX.gpkg" "$CLEAN/SXSX.gpkg" STBHHX CZKFBJ
ogr2ogr -f GPKG "$WORK/thin/FAR.gpkg" "$CLEAN/SXSX.gpkg" -nln YJJBNTBHTB -dialect SQLite \
  -sql "SELECT ST_Translate(geom, 1.5, 0, 0) AS geom, YJJBNTTBBH, DLBM FROM YJJBNTBHTB" 2>/dev/null
SPATIALITE_SECURITY=relaxed sqlite3 -batch ":memory:" >"$WORK/gaps.txt" 2>/dev/null <<SQL
SELECT load_extension('mod_spatialite');
SELECT InitSpatialMetadata(1);
SELECT ImportSHP('$WORK/thin/KFQ_SZFW', 'kfq', 'CP936', 4526);
ATTACH '$WORK/thin/GHYDYH.gpkg' AS gh;
CREATE TABLE lu AS SELECT GeomFromGPB(geom) AS g FROM gh.YDYH;
SELECT 'gap|' || QKMC || '|' || printf('%.4f', ST_Area(k.Geometry) - ST_Area((SELECT
  ST_Union(ST_Intersection(l.g, k.Geometry)) FROM lu l WHERE ST_Intersects(l.g, k.Geometry))))
  FROM kfq k;
SQL
run check --format json -o "$WORK/thin-out" "$WORK/thin"
expect_rc 1
CHECKS=$((CHECKS + 1))
"$PY" - "$WORK/gaps.txt" "$WORK/thin-out/summary.json" <<'PY' || fail "uncovered land use / far farmland"
import json, sys
ref = {l.split("|")[1]: float(l.split("|")[2]) for l in open(sys.argv[1], encoding="utf-8")
       if l.startswith("gap|")}
d = json.load(open(sys.argv[2], encoding="utf-8"))
assert len(ref) == 5, ref
gaps = {f["block"]: f for f in d["findings"]
        if f["rule"] == "C04" and "outside the land-use layer" in f["message_en"]}
assert sorted(gaps) == sorted(ref), (sorted(gaps), sorted(ref))
for block, area in ref.items():
    f = gaps[block]
    assert f["severity"] == "warning", f
    assert abs(f["area_m2"] - area) <= 0.01, (block, f["area_m2"], area)
    assert f["wkt"].startswith(("POLYGON", "MULTIPOLYGON")), f["wkt"][:40]
classes = [f for f in d["findings"] if f["rule"] == "C04" and f not in gaps.values()]
c04 = [t for t in d["totals"] if t["rule"] == "C04"][0]
assert abs(c04["area_m2"] - sum(f["area_m2"] for f in classes)) <= 0.01 * len(classes), c04
c01 = [f for f in d["findings"] if f["rule"] == "C01"]
assert len(c01) == 1 and c01[0]["severity"] == "info", c01
assert "comes near a block" in c01[0]["message_en"], c01[0]["message_en"]
print("gaps:", {b: gaps[b]["area_m2"] for b in sorted(gaps)})
PY

# The zones stored as curve geometries (MultiSurface, as FileGDB exports
# give them): read as polylines, said in a note, the same totals
mkdir -p "$WORK/curved"
cp "$CLEAN"/*.gpkg "$CLEAN"/QY.* "$WORK/curved/"
ogr2ogr -f GPKG "$WORK/curved/KFQ.gpkg" "$CLEAN/KFQ_SZFW.shp" -nln KFQ_SZFW -nlt MULTISURFACE
run check --format json -o "$WORK/curved-out" "$WORK/curved"
expect_rc 1
expect_err "5 features stored as curve geometries (arcs) are read as polylines"
expect_no_err "not finite"
CHECKS=$((CHECKS + 1))
"$PY" - "$WORK/j2/summary.json" "$WORK/curved-out/summary.json" <<'PY' || fail "curved zones change the totals"
import json, sys
a, b = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
key = lambda d: sorted((t["rule"], t["zone_code"], t["area_m2"]) for t in d["totals"])
assert key(a) == key(b), (key(a), key(b))
assert not [f for f in b["findings"] if f["rule"] == "S01"], "S01 on curved zones"
PY

# The land-use plan with its code field made an integer (as after a trip
# through Excel): 0301 reads 301 and 1701 stays; the codes are restored, C04
# finds what it finds in the samples, and a warning says why
mkdir -p "$WORK/numeric"
cp "$CLEAN"/KFQ_SZFW.* "$CLEAN"/SXSX.gpkg "$CLEAN"/ZXCQ.gpkg "$CLEAN"/QY.* "$WORK/numeric/"
ogr2ogr -f GPKG "$WORK/numeric/GHYDYH.gpkg" "$CLEAN/GHYDYH.gpkg" -nln YDYH -dialect SQLite \
  -sql "SELECT geom, CAST(YDYHFLDM AS INTEGER) AS YDYHFLDM, YDYHFLMC FROM YDYH"
run check --format json -o "$WORK/numeric-out" "$WORK/numeric"
expect_rc 1
CHECKS=$((CHECKS + 1))
"$PY" - "$WORK/j2/summary.json" "$WORK/numeric-out/summary.json" <<'PY' || fail "numeric land-class codes"
import json, sys
a, b = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
c04 = lambda d: [t for t in d["totals"] if t["rule"] == "C04" and t["zone_code"]]
assert c04(a) != [] and [t["area_m2"] for t in c04(a)] == [t["area_m2"] for t in c04(b)], (c04(a), c04(b))
assert a["landuse_structure"] == b["landuse_structure"]
pa = sorted((f["other_fid"], f["area_m2"], f["severity"]) for f in a["findings"] if f["rule"] == "C04")
numeric = lambda f: "is numeric" in f["message_en"]
pb = sorted((f["other_fid"], f["area_m2"], f["severity"]) for f in b["findings"]
            if f["rule"] == "C04" and not numeric(f))
assert pa == pb, (pa, pb)
w = [f for f in b["findings"] if f["rule"] == "C04" and numeric(f)]
assert len(w) == 1 and w[0]["severity"] == "warning" and "YDYHFLDM is numeric" in w[0]["message_en"], w
PY

# Chinese field names (DESIGN.md 2): 地类编码/地类名称 on the land-use plan,
# 图斑编号/地类编码 on the farmland: the same C04 and C01 results
mkdir -p "$WORK/zhfields"
cp "$CLEAN"/KFQ_SZFW.* "$CLEAN"/ZXCQ.gpkg "$CLEAN"/QY.* "$WORK/zhfields/"
ogr2ogr -f GPKG "$WORK/zhfields/GHYDYH.gpkg" "$CLEAN/GHYDYH.gpkg" -nln YDYH -dialect SQLite \
  -sql "SELECT geom, YDYHFLDM AS 地类编码, YDYHFLMC AS 地类名称 FROM YDYH"
ogr2ogr -f GPKG "$WORK/zhfields/SXSX.gpkg" "$CLEAN/SXSX.gpkg" STBHHX CZKFBJ
ogr2ogr -update -f GPKG "$WORK/zhfields/SXSX.gpkg" "$CLEAN/SXSX.gpkg" -nln YJJBNTBHTB \
  -dialect SQLite -sql "SELECT geom, YJJBNTTBBH AS 图斑编号, DLBM AS 地类编码 FROM YJJBNTBHTB"
run check --format json -o "$WORK/zhfields-out" "$WORK/zhfields"
expect_rc 1
CHECKS=$((CHECKS + 1))
"$PY" - "$WORK/j2/summary.json" "$WORK/zhfields-out/summary.json" <<'PY' || fail "Chinese field names"
import json, sys
a, b = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
rows = lambda d, r: [(t["zone_code"], t["count"], t["area_m2"]) for t in d["totals"] if t["rule"] == r]
for rule in ("C01", "C04"):
    assert rows(a, rule) == rows(b, rule), (rule, rows(a, rule), rows(b, rule))
assert a["landuse_structure"] == b["landuse_structure"]
c01 = [f["other_attrs"] for f in b["findings"] if f["rule"] == "C01"]
assert c01 and all(x.startswith("图斑编号=") and "; 地类编码=" in x for x in c01), c01
PY

# Without SXSX.gpkg, C01-C03 cannot run (nor C06, whose second plan only a
# rules file names): every report says so instead of
# passing them (console line, summary.json not_checked and no totals rows,
# junit <skipped>, the workbook's 未检查), and summary.json still validates
mkdir -p "$WORK/nocontrol"
cp "$CLEAN"/KFQ_SZFW.* "$CLEAN"/GHYDYH.gpkg "$CLEAN"/ZXCQ.gpkg "$CLEAN"/QY.* "$WORK/nocontrol/"
run check --lang en --format console,json,junit,xlsx,html -o "$WORK/nocontrol-out" "$WORK/nocontrol"
expect_rc 1
expect_out "not checked (an input layer is missing): C01, C02, C03, C06"
expect_err "C02 was not checked"
CHECKS=$((CHECKS + 1))
"$PY" - "$SRCDIR/docs/summary-schema.json" "$WORK/nocontrol-out" <<'PY' || fail "rules not checked"
import json, sys, zipfile
schema = json.load(open(sys.argv[1], encoding="utf-8"))
out = sys.argv[2]
d = json.load(open(out + "/summary.json", encoding="utf-8"))
# C06 cannot run without a second plan (role plan_b) either, as in the samples
assert sorted(d["not_checked"]) == ["C01", "C02", "C03", "C06"], d["not_checked"]
assert "farmland" in d["not_checked"]["C01"], d["not_checked"]
assert "plan_b" in d["not_checked"]["C06"], d["not_checked"]
assert not [t for t in d["totals"] if t["rule"] in d["not_checked"]], "totals rows for rules not run"
assert [t for t in d["totals"] if t["rule"] == "C04"], "C04 ran"
try:
    import jsonschema
    jsonschema.validate(d, schema)
except ImportError:
    pass
junit = open(out + "/junit.xml", encoding="utf-8").read()
assert junit.count("<skipped message=") == 4, junit.count("<skipped")
assert '<skipped message="no redline (生态保护红线) layer among the inputs"/>' in junit
with zipfile.ZipFile(out + "/report.xlsx") as z:
    assert "未检查（缺少输入图层）" in z.read("xl/sharedStrings.xml").decode("utf-8")
html = open(out + "/report.html", encoding="utf-8").read()
assert 'id="not-checked"' in html and html.count("<td>not checked</td>") == 4, html.count("not checked")
PY

# without the enterprises, I01-I03 cannot run; without the urban area, I02
mkdir -p "$WORK/noqy" "$WORK/nozxcq"
cp "$CLEAN"/KFQ_SZFW.* "$CLEAN"/*.gpkg "$WORK/noqy/"
cp "$CLEAN"/KFQ_SZFW.* "$CLEAN"/SXSX.gpkg "$CLEAN"/GHYDYH.gpkg "$CLEAN"/QY.* "$WORK/nozxcq/"
for d in noqy nozxcq; do
  run check --format json -o "$WORK/$d-out" "$WORK/$d"
  expect_rc 1
done
CHECKS=$((CHECKS + 1))
"$PY" - "$WORK/noqy-out/summary.json" "$WORK/nozxcq-out/summary.json" <<'PY' || fail "industry rules not checked"
import json, sys
a, b = (json.load(open(p, encoding="utf-8"))["not_checked"] for p in sys.argv[1:3])
assert sorted(a) == ["C06", "I01", "I02", "I03"] and "enterprises" in a["I01"], a
assert sorted(b) == ["C06", "I02"] and "urban_area" in b["I02"], b
PY

# -t_srs: the working CRS from the command line, over the rules file's. In
# GK zone 39 (central meridian 117 E; Jincheng lies at 112.8 E) planar areas
# grow by the projection's scale factor: C02 against SpatiaLite in EPSG:4527.
mkdir -p "$WORK/sl"
cp "$CLEAN"/KFQ_SZFW.* "$CLEAN/SXSX.gpkg" "$WORK/sl/"
c02_4527=$(SPATIALITE_SECURITY=relaxed sqlite3 -batch ":memory:" 2>/dev/null <<SQL | tail -n 1
SELECT load_extension('mod_spatialite');
SELECT InitSpatialMetadata(1);
SELECT ImportSHP('$WORK/sl/KFQ_SZFW', 'kfq', 'CP936', 4526);
ATTACH '$WORK/sl/SXSX.gpkg' AS sx;
SELECT printf('%.4f', sum(ST_Area(ST_Intersection(ST_Transform(k.Geometry, 4527),
  (SELECT ST_Union(ST_Transform(GeomFromGPB(geom), 4527)) FROM sx.STBHHX))))) FROM kfq k;
SQL
)
CHECKS=$((CHECKS + 1))
[ -n "$c02_4527" ] || fail "SpatiaLite gave no C02 area in EPSG:4527"
printf 'version: 1\nworking_crs: EPSG:4490\n' >"$WORK/geographic.yaml"
run check -c "$WORK/geographic.yaml" -t_srs EPSG:4527 --format json -o "$WORK/t4527" "$CLEAN"
expect_rc 1
cp "$WORK/t4527/summary.json" "$WORK/stdout"
json_check "d['working_crs']['epsg'] == 4527" \
  "abs([t for t in d['totals'] if t['rule'] == 'C02'][0]['area_m2'] - $c02_4527) <= 0.01" \
  "[t for t in d['totals'] if t['rule'] == 'C02'][0]['area_m2'] > 193886.49 * 1.003"
# a working CRS that does not measure in metres is refused, wherever it
# comes from (geographic: every overlap would be a fraction of a square
# degree, dropped as noise)
run check -c "$WORK/geographic.yaml" --format json -o "$WORK/geo" "$CLEAN"
expect_rc 2
expect_err "geographic.yaml:2: working_crs: EPSG:4490"
expect_err "is geographic (degrees)"
expect_err "e.g. EPSG:4526"
CHECKS=$((CHECKS + 1))
[ ! -e "$WORK/geo/summary.json" ] || fail "a refused working CRS still wrote reports"
run check -t_srs EPSG:2263 --format json -o "$WORK/feet" "$CLEAN"
expect_rc 2
expect_err "-t_srs: EPSG:2263"
expect_err "in units of 0.3048"
run validate -t_srs EPSG:4490 --format json -o "$WORK/vgeo" "$CLEAN"
expect_rc 2
expect_err "-t_srs: EPSG:4490"

after=$(tree_hash "$SAMPLES")
CHECKS=$((CHECKS + 1))
[ "$before" = "$after" ] || fail "check changed the samples"
finish
