#!/usr/bin/env bash
# The boundary-point coordinate file (界址点坐标 TXT) end to end: layers,
# validate (clean submission, S07 findings with line numbers, exit codes),
# check with a .txt among the plans (same findings as with the shapefile),
# and convert both ways (TXT -> GeoPackage -> TXT keeps coordinates and
# areas; the Jincheng sample is reproducible from the shapefile).
. "$(dirname "$0")/lib.sh"
TXT="$SAMPLES/txt"
before=$(tree_hash "$SAMPLES")
export SOURCE_DATE_EPOCH=1716163200 # 2024-05-20

# --- layers ---
run layers "$TXT"
expect_rc 0
expect_out "worked_example (TXT)"
expect_out "GB18030 — boundary-point TXT, not valid UTF-8"
expect_out "EPSG:4526"
run layers --json "$TXT"
expect_rc 0
json_check \
  "len(d) == 7" \
  "all(l['driver'] == 'TXT' and l['role'] == 'zones' for l in d)" \
  "layer('gbk')['encoding'] == 'GB18030' and layer('worked_example')['encoding'] == 'UTF-8'" \
  "layer('jincheng_KFQ_SZFW')['feature_count'] == 5" \
  "layer('several_parcels')['feature_count'] == 3"

# --- validate: the Jincheng zones as a TXT submission pass ---
run validate -o "$WORK/clean" "$TXT/jincheng_KFQ_SZFW.txt"
expect_rc 0
expect_out "verdict: PASS (0 errors, 0 warnings, 0 info)"
for f in several_parcels gbk; do
  run validate -o "$WORK/$f" "$TXT/$f.txt"
  expect_rc 0
done
# open rings are closed on read: notes, no failure
run validate -o "$WORK/open" "$TXT/open_rings.txt"
expect_rc 0
expect_out "line 20: ring 1 is open"
expect_out "line 24: ring 2 is open"

# the worked example: S03 agrees (28.8 ha), only the zone attributes miss
run validate --format json -o "$WORK/worked" "$TXT/worked_example.txt"
expect_rc 1
cp "$WORK/worked/summary.json" "$WORK/stdout"
json_check \
  "sorted(set(f['rule'] for f in d['findings'])) == ['S05']" \
  "d['working_crs']['epsg'] == 4526"

# swapped axes and a wrong 带号 are S07 errors with their line
run validate -o "$WORK/swapped" "$TXT/swapped_axes.txt"
expect_rc 1
expect_out "line 20: X and Y are swapped"
run validate -o "$WORK/zone" "$TXT/wrong_zone.txt"
expect_rc 1
expect_out "line 9: 带号 (zone number) 37 contradicts the coordinates"

# a damaged file: every problem is a finding with its line
cat >"$WORK/bad.txt" <<'EOF'
[属性描述]
坐标系=2000国家大地坐标系
带号=38
[地块坐标]
12,28.8000,1,坏地块,面,,工业用地,1001,@
J1,1,3931200.554,38397322.207
J2,1,3931200.554,38397922.207
J3,1,3930700.554,3839792x.207
J4,1,3930700.554,38397322.207
J5,1,3930700.554
J1,1,3931200.554,38397322.207
J6,2,3931000.554,38397522.207
J7,2,3930900.554,38397522.207
5,1.0,2,三角,面,@
EOF
run validate --format console,json -o "$WORK/bad" "$WORK/bad.txt"
expect_rc 1
expect_out "line 8: non-numeric coordinate"
expect_out "line 10: malformed line"
expect_out "line 12: ring 2 has only 3 points"
expect_out "line 5: 界址点数 (number of points) says 12 but 6"
expect_out "line 14: the parcel header has 5 fields before the @"
cp "$WORK/bad/summary.json" "$WORK/stdout"
json_check \
  "all(f['layer'] == 'bad' for f in d['findings'] if f['rule'] == 'S07')" \
  "sorted(int(f['subject_attrs'].split('=')[1] or 0) for f in d['findings'] if f['rule'] == 'S07' and f['severity'] == 'error') == [8, 10, 12, 14, 14]" \
  "[f['severity'] for f in d['findings'] if 'says 12 but 6' in f['message_en']] == ['warning']"

# --- unreadable or not a boundary-point file: exit 2 ---
run validate -o "$WORK/x" "$WORK/missing.txt"
expect_rc 2
echo "meeting notes" >"$WORK/notes.txt"
run validate -o "$WORK/x" "$WORK/notes.txt"
expect_rc 2
expect_err "not a boundary-point coordinate file"
printf '[属性描述]\n坐标系=2000国家大地坐标系\n[地块坐标]\n5,4,1,a,面,,,,@\nJ1,1,3931200,397200\nJ2,1,3931200,397400\nJ3,1,3931000,397400\nJ1,1,3931200,397200\n' >"$WORK/nozone.txt"
run validate -o "$WORK/x" "$WORK/nozone.txt"
expect_rc 2
expect_err "no coordinate system can be derived"
run validate -s_srs EPSG:4547 -o "$WORK/x" "$WORK/nozone.txt"
expect_rc 1
if [ "$(id -u)" -ne 0 ]; then # root reads anything
  cp "$TXT/worked_example.txt" "$WORK/locked.txt" && chmod 000 "$WORK/locked.txt"
  run validate -o "$WORK/x" "$WORK/locked.txt"
  expect_rc 2
  expect_err "cannot read"
fi

# --- check: a .txt in the folder is the zones layer ---
mkdir -p "$WORK/folder"
cp "$SAMPLES/jincheng/"* "$WORK/folder/"
rm "$WORK/folder/"KFQ_SZFW.*
cp "$TXT/jincheng_KFQ_SZFW.txt" "$WORK/folder/"
echo "a readme, not data" >"$WORK/folder/README.txt"
run check -q --format json -o "$WORK/check-txt" "$WORK/folder"
rc_txt=$RC
run check -q --format json -o "$WORK/check-shp" "$SAMPLES/jincheng"
CHECKS=$((CHECKS + 1))
[ "$rc_txt" -eq "$RC" ] || fail "check exits $rc_txt with the TXT, $RC with the shapefile"
CHECKS=$((CHECKS + 1))
"$PY" - "$WORK/check-txt/summary.json" "$WORK/check-shp/summary.json" <<'PY' || fail "check finds other things with the TXT than with the shapefile"
import json, sys
a, b = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
key = lambda f: (f["rule"], f["severity"], f["zone_code"], f["block"], round(f["area_m2"] or 0, 2))
assert sorted(map(key, a["findings"])) == sorted(map(key, b["findings"])), "findings differ"
assert a["counts"] == b["counts"]
assert [i for i in a["inputs"] if i["path"].endswith(".txt")][0]["role"] == "zones"
assert not any(i["path"].endswith("README.txt") for i in a["inputs"])
PY

# --- convert ---
# the sample is reproducible from the shapefile, byte for byte
run convert "$SAMPLES/jincheng/KFQ_SZFW.shp" "$WORK/jc.txt"
expect_rc 0
expect_err "wrote 5 parcels"
CHECKS=$((CHECKS + 1))
cmp -s "$WORK/jc.txt" "$TXT/jincheng_KFQ_SZFW.txt" || fail "convert does not reproduce samples/txt/jincheng_KFQ_SZFW.txt"

# TXT -> GeoPackage -> TXT
for f in several_parcels worked_example gbk; do
  run convert "$TXT/$f.txt" "$WORK/$f.gpkg"
  expect_rc 0
  run convert "$WORK/$f.gpkg" "$WORK/$f.back.txt"
  expect_rc 0
  CHECKS=$((CHECKS + 1))
  "$PY" - "$TXT/$f.txt" "$WORK/$f.back.txt" <<'PY' || fail "$f: TXT -> GPKG -> TXT changed coordinates or areas"
import sys
def parcels(path):
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")
    for a, b in (("，", ","), ("＠", "@")):
        text = text.replace(a, b)
    out, section = [], None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[地块坐标]" and line.endswith("@"):
            f = [x.strip() for x in line.split(",")]
            out.append({"area_ha": float(f[1]), "name": f[3], "rings": [], "count": int(f[0])})
            number = None
        elif section == "[地块坐标]" and line:
            _, ring, x, y = [x.strip() for x in line.split(",")]
            pt = (float(y), float(x))
            rings = out[-1]["rings"]
            # a new ring: another 圈号, or the last one came back to its start
            if ring != number or (len(rings[-1]) >= 4 and rings[-1][-1] == rings[-1][0]):
                rings.append([])
            number = ring
            rings[-1].append(pt)
    return out
def area(ring):  # shoelace, shifted to the first point
    x0, y0 = ring[0]
    return sum((x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0)
               for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1])) / 2
a, b = parcels(sys.argv[1]), parcels(sys.argv[2])
assert len(a) == len(b), (len(a), len(b))
for p, q in zip(a, b):
    assert p["name"] == q["name"] and abs(p["area_ha"] - q["area_ha"]) < 1e-9, (p["name"], q["name"])
    assert q["count"] == sum(len(r) for r in q["rings"])
    ka = lambda d: sorted(round(abs(area(r)), 2) for r in d["rings"])
    assert ka(p) == ka(q), (ka(p), ka(q))  # every ring's area to 0.01 m2
    pts = lambda d: sorted(pt for r in d["rings"] for pt in r)
    assert all(abs(u[0] - v[0]) <= 0.0005 and abs(u[1] - v[1]) <= 0.0005
               for u, v in zip(sorted(set(pts(p))), sorted(set(pts(q))))), "coordinates differ"
    assert len(set(pts(p))) == len(set(pts(q)))
PY
done

# TXT -> shapefile keeps the Chinese names (UTF-8 with a .cpg)
run convert "$TXT/gbk.txt" "$WORK/gbk.shp"
expect_rc 0
CHECKS=$((CHECKS + 1))
ogrinfo -ro -al "$WORK/gbk.shp" >"$WORK/gbk.info" 2>/dev/null
grep -q "DKMC (String) = 四号地块" "$WORK/gbk.info" || fail "the shapefile lost the name"
# -f picks the driver whatever the extension
run convert -f GeoJSON "$TXT/worked_example.txt" "$WORK/we.out"
expect_rc 0
CHECKS=$((CHECKS + 1))
grep -q '"DKMJ": 28.8' "$WORK/we.out" || fail "-f GeoJSON did not write GeoJSON with DKMJ"

# TXT output options: GBK, precision, another zone
run convert --encoding GBK --precision 2 --zone 37 "$TXT/worked_example.txt" "$WORK/z37.txt"
expect_rc 0
expect_err "(EPSG:4525)"
CHECKS=$((CHECKS + 1))
"$PY" - "$WORK/z37.txt" <<'PY' || fail "GBK / --precision / --zone output is wrong"
import re, sys
raw = open(sys.argv[1], "rb").read()
try:
    raw.decode("utf-8")
    sys.exit("written as UTF-8, not GBK")
except UnicodeDecodeError:
    text = raw.decode("gbk")
assert "带号=37\r\n" in text and "精度=0.01\r\n" in text, text[:300]
pts = re.findall(r"^J\d+,\d,(\d+\.\d+),(\d+\.\d+)\r$", text, re.M)
assert len(pts) == 10 and all(len(x.split(".")[1]) == 2 and y.startswith("37") for x, y in pts), pts
PY
run validate -o "$WORK/z37v" "$WORK/z37.txt"
expect_rc 1 # S05 only: the worked example has no zone attributes
expect_no_err "S07"

# a CRS given with -s_srs (the source has none) is written, not lost; -t_srs
# reprojects: the vertices against PROJ's cs2cs
mkdir -p "$WORK/noprj"
for ext in shp shx dbf cpg; do cp "$SAMPLES/jincheng/KFQ_SZFW.$ext" "$WORK/noprj/"; done
run convert -s_srs EPSG:4526 "$WORK/noprj/KFQ_SZFW.shp" "$WORK/noprj.gpkg"
expect_rc 0
CHECKS=$((CHECKS + 1))
ogrinfo -ro -so -al "$WORK/noprj.gpkg" | grep -q 'ID\["EPSG",4526\]\]$' ||
  fail "convert -s_srs EPSG:4526 did not write EPSG:4526"
run convert -s_srs EPSG:4526 -t_srs EPSG:4490 "$WORK/noprj/KFQ_SZFW.shp" "$WORK/lonlat.gpkg"
expect_rc 0
CHECKS=$((CHECKS + 1))
ogr2ogr -f CSV -lco GEOMETRY=AS_WKT "$WORK/src.csv" "$SAMPLES/jincheng/KFQ_SZFW.shp" 2>/dev/null &&
  ogr2ogr -f CSV -lco GEOMETRY=AS_WKT "$WORK/lonlat.csv" "$WORK/lonlat.gpkg" 2>/dev/null ||
  fail "ogr2ogr could not read the outputs back"
"$PY" - "$WORK/src.csv" "$WORK/lonlat.csv" <<'PY' || fail "-t_srs EPSG:4490 does not match cs2cs"
import csv, re, subprocess, sys
def vertices(path):
    rows = list(csv.DictReader(open(path, encoding="utf-8-sig")))
    return [[tuple(map(float, p.split())) for p in re.findall(r"[-0-9.]+ [-0-9.]+", r["WKT"])]
            for r in rows]
src, out = vertices(sys.argv[1]), vertices(sys.argv[2])
assert [len(v) for v in src] == [len(v) for v in out], "vertex counts differ"
flat = [p for v in src for p in v]
# cs2cs follows EPSG's axis order: northing, easting in, latitude, longitude out
text = subprocess.run(["cs2cs", "-f", "%.10f", "EPSG:4526", "EPSG:4490"], check=True,
                      input="".join(f"{y} {x}\n" for x, y in flat), capture_output=True,
                      text=True).stdout.split("\n")
ref = [tuple(map(float, l.split()[:2])) for l in text if l.strip()]
got = [p for v in out for p in v]
assert len(ref) == len(got)
worst = max(max(abs(g[0] - r[1]), abs(g[1] - r[0])) for g, r in zip(got, ref))
assert worst < 1e-8, worst
assert all(112 < g[0] < 114 and 35 < g[1] < 36 for g in got), got[:2]
PY
run convert -t_srs EPSG:4490 "$SAMPLES/jincheng/KFQ_SZFW.shp" "$WORK/no.txt"
expect_rc 2
expect_err "--zone"
run convert -t_srs EPSG:99999 "$SAMPLES/jincheng/KFQ_SZFW.shp" "$WORK/no.gpkg"
expect_rc 2
expect_err "-t_srs: cannot understand the CRS 'EPSG:99999'"

# usage errors: exit 2
run convert "$TXT/worked_example.txt" "$WORK/z37.txt"
expect_rc 2
expect_err "exists"
run convert "$TXT/worked_example.txt" "$WORK/out.unknown"
expect_rc 2
expect_err "-f"
run convert --zone 99 "$TXT/worked_example.txt" "$WORK/zz.txt"
expect_rc 2
run convert --encoding LATIN1 "$TXT/worked_example.txt" "$WORK/zz.txt"
expect_rc 2
run convert "$TXT/worked_example.txt"
expect_rc 2
run convert --help
expect_rc 0
expect_out "usage: hegui convert"
expect_out "  0  done"
expect_no_out "--fail-on" # convert has no findings: no exit code 1 to list

CHECKS=$((CHECKS + 1))
[ "$(tree_hash "$SAMPLES")" = "$before" ] || fail "the samples were modified"
finish
