#!/usr/bin/env bash
# hegui validate on the samples: the clean set passes, the defects set yields
# exactly its planted defects, with areas checked against SpatiaLite (GDAL's
# SQLite dialect); summary.json validates against its schema, junit.xml is
# XML, and two runs give the same bytes.
. "$(dirname "$0")/lib.sh"
CLEAN="$SAMPLES/jincheng"
DEFECTS="$SAMPLES/jincheng-defects"
before=$(tree_hash "$SAMPLES")
export SOURCE_DATE_EPOCH=1700000000

# sql DATASET QUERY: the value SpatiaLite returns for the column "v"
sql() {
  ogrinfo -q -ro -dialect SQLite -sql "$2" "$1" 2>/dev/null |
    sed -n 's/^  v ([A-Za-z]*) = //p' | head -n 1
}

run validate -o "$WORK/clean" "$CLEAN"
expect_rc 0
expect_out "verdict: PASS"
[ -f "$WORK/clean/summary.json" ] && [ -f "$WORK/clean/junit.xml" ] ||
  fail "validate did not write summary.json and junit.xml"

run validate -q --lang zh -o "$WORK/clean-zh" "$CLEAN"
expect_rc 0
expect_out "结论：通过"
CHECKS=$((CHECKS + 1))
[ "$(wc -l <"$WORK/stdout")" -eq 1 ] || fail "-q printed more than the verdict"

run validate -o "$WORK/defects" "$DEFECTS"
expect_rc 1
expect_out "verdict: FAIL"

# the planted defects, and nothing else
overlap=$(sql "$DEFECTS/KFQ_SZFW.shp" "SELECT ST_Area(ST_Intersection(a.geometry, b.geometry)) AS v FROM KFQ_SZFW a, KFQ_SZFW b WHERE a.QKMC = '主区' AND b.QKMC = '北石店工业园区'")
bagong=$(sql "$DEFECTS/KFQ_SZFW.shp" "SELECT ST_Area(geometry) AS v FROM KFQ_SZFW WHERE QKMC = '巴公工业园区'")
bagong_declared=$(sql "$DEFECTS/KFQ_SZFW.shp" "SELECT QKMJ * 10000 AS v FROM KFQ_SZFW WHERE QKMC = '巴公工业园区'")
CHECKS=$((CHECKS + 1))
[ -n "$overlap" ] && [ -n "$bagong" ] && [ -n "$bagong_declared" ] || fail "SpatiaLite gave no reference values"
cp "$WORK/defects/summary.json" "$WORK/stdout"
json_check \
  "sorted((f['rule'], f['severity']) for f in d['findings']) == [('S01','error'), ('S02','error'), ('S03','error'), ('S03','warning'), ('S04','error'), ('S05','error')]" \
  "[f for f in d['findings'] if f['rule'] == 'S01'][0]['block'] == '北留周村工业园区'" \
  "'Self-intersection' in [f for f in d['findings'] if f['rule'] == 'S01'][0]['message_en']" \
  "abs([f for f in d['findings'] if f['rule'] == 'S02'][0]['area_m2'] - $overlap) <= 0.01" \
  "{[f for f in d['findings'] if f['rule'] == 'S02'][0]['block'], [f for f in d['findings'] if f['rule'] == 'S02'][0]['other_attrs']} >= {'主区'}" \
  "abs([f for f in d['findings'] if f['rule'] == 'S03' and f['severity'] == 'error'][0]['area_m2'] - $bagong) <= 0.01" \
  "'%+.2f m2' % ($bagong - $bagong_declared) in [f for f in d['findings'] if f['rule'] == 'S03' and f['severity'] == 'error'][0]['message_en']" \
  "[f for f in d['findings'] if f['rule'] == 'S04'][0]['layer'] == 'KFQ_BCKC'" \
  "'EPSG:4526' in [f for f in d['findings'] if f['rule'] == 'S04'][0]['message_en']" \
  "[f for f in d['findings'] if f['rule'] == 'S05'][0]['block'] == '金匠工业园区'" \
  "d['verdict'] == 'fail' and d['counts'] == {'error': 5, 'warning': 1, 'info': 0}" \
  "all(len(i['sha256']) == 64 for i in d['inputs'])" \
  "d['working_crs']['epsg'] == 4526"

# the S02 total is the overlap once, and areas reconcile: ha and 亩 from m2
json_check \
  "[t for t in d['totals'] if t['rule'] == 'S02' and t['zone_code'] == 'G141061'][0]['count'] == 1" \
  "abs([t for t in d['totals'] if t['rule'] == 'S02' and t['zone_code'] == 'G141061'][0]['area_m2'] - $overlap) <= 0.01" \
  "all(abs(f['area_ha'] - round(f['area_m2'] / 10000, 4)) < 1e-9 and abs(f['area_mu'] - round(f['area_m2'] * 15 / 10000, 2)) < 0.0051 for f in d['findings'] if f['area_m2'] is not None)"

# schema and XML
for dir in clean defects; do
  CHECKS=$((CHECKS + 1))
  "$PY" - "$SRCDIR/docs/summary-schema.json" "$WORK/$dir/summary.json" <<'PY' || fail "$dir/summary.json does not validate against docs/summary-schema.json"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1], encoding="utf-8"))
jsonschema.validators.validator_for(schema)(schema).validate(json.load(open(sys.argv[2], encoding="utf-8")))
PY
  CHECKS=$((CHECKS + 1))
  "$PY" - "$WORK/$dir/junit.xml" "$dir" <<'PY' || fail "$dir/junit.xml is not the expected JUnit XML"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites", root.tag
cases = root.findall(".//testcase")
failures = root.findall(".//failure")
if sys.argv[2] == "clean":
    assert len(cases) == 7 and not failures, (len(cases), len(failures))  # 1 zone x S01-S07
else:
    assert len(failures) >= 4, len(failures)
PY
done

# same inputs, same bytes
run validate -o "$WORK/again" "$DEFECTS"
for f in summary.json junit.xml; do
  CHECKS=$((CHECKS + 1))
  cmp -s "$WORK/defects/$f" "$WORK/again/$f" || fail "$f differs between two runs"
done

# exit codes follow --fail-on, as --help says; unknown formats are usage errors
run validate --help
expect_rc 0
expect_out "  1  findings at or above --fail-on"
run validate --fail-on never -o "$WORK/never" "$DEFECTS"
expect_rc 0
run validate --fail-on warning -o "$WORK/warn" "$CLEAN"
expect_rc 0
run validate --format github -o "$WORK/gh" "$DEFECTS"
expect_rc 1
expect_out "::error file=$DEFECTS/KFQ_SZFW.shp,title=S02"
expect_out "::warning "
run validate --format nonsense "$DEFECTS"
expect_rc 2
expect_err "unknown --format 'nonsense'"
run validate "$TESTDATA/io/kfq_trunc_dbf.shp"
expect_rc 2

after=$(tree_hash "$SAMPLES")
CHECKS=$((CHECKS + 1))
[ "$before" = "$after" ] || fail "validate changed the samples"
finish
