#!/usr/bin/env bash
# A plan delivered in parts, one file per county: the layers a rules file
# names with the role landuse, urban_boundary or plan_b are read as one
# plan. The samples' plans, cut in two by a north-south line through the
# zones, must give the samples' results: the same totals, the same land-use
# structure, the same findings apart from the layer names, and no
# "outside the land-use layer" warnings where one part meets the other.
. "$(dirname "$0")/lib.sh"
J="$SAMPLES/jincheng"
D="$WORK/counties"
mkdir -p "$D"
cp "$J/KFQ_SZFW".* "$J/QY".* "$J/SXSX.gpkg" "$J/ZXCQ.gpkg" "$D/"
# each patch whole in the part its centroid falls in (x of the line:
# 38385000, between the zones' blocks)
ogr2ogr -q -dialect SQLite -sql "SELECT * FROM YDYH WHERE ST_X(ST_Centroid(geom)) < 38385000" \
  -nln YDYH_WEST "$D/YDYH_WEST.gpkg" "$J/GHYDYH.gpkg"
ogr2ogr -q -dialect SQLite -sql "SELECT * FROM YDYH WHERE ST_X(ST_Centroid(geom)) >= 38385000" \
  -nln YDYH_EAST "$D/YDYH_EAST.gpkg" "$J/GHYDYH.gpkg"
# the urban boundary's four parts in two files (SXSX.gpkg keeps its own
# CZKFBJ, which the rules file's parts overrule)
ogr2ogr -q -where "fid <= 2" -nln CZKFBJ_A "$D/CZKFBJ_A.gpkg" "$J/SXSX.gpkg" CZKFBJ
ogr2ogr -q -where "fid > 2" -nln CZKFBJ_B "$D/CZKFBJ_B.gpkg" "$J/SXSX.gpkg" CZKFBJ
cat >"$D/rules.yaml" <<YAML
version: 1
layers:
  - path: YDYH_WEST.gpkg
    role: landuse
  - path: YDYH_EAST.gpkg
    role: landuse
  - path: CZKFBJ_A.gpkg
    role: urban_boundary
  - path: CZKFBJ_B.gpkg
    role: urban_boundary
YAML

run check "$J" -o "$WORK/whole" --format json
expect_rc 1
run check -c "$D/rules.yaml" "$D" -o "$WORK/parts" --format json
expect_rc 1
expect_err "the landuse plan is read from 2 layers named in the rules file, as parts of one plan"
expect_err "the urban_boundary plan is read from 2 layers"
expect_err "SXSX.gpkg (layer CZKFBJ): not used: detected as urban_boundary"
expect_no_err "outside the land-use layer"
CHECKS=$((CHECKS + 1))
"$PY" - "$WORK/whole/summary.json" "$WORK/parts/summary.json" <<'PY' ||
import json, sys
whole, parts = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:])
# both halves really hold patches
names = {i["layer"]: i["feature_count"] for i in parts["inputs"]}
assert names["YDYH_WEST"] > 100 and names["YDYH_EAST"] > 100, names
assert names["YDYH_WEST"] + names["YDYH_EAST"] == 4336, names
rows = lambda d: sorted((t["rule"], t["zone_code"], t["area_m2"]) for t in d["totals"])
assert rows(whole) == rows(parts), (rows(whole), rows(parts))
assert whole["landuse_structure"] == parts["landuse_structure"]
key = lambda f: (f["rule"], f["severity"], f.get("zone_code"), f.get("area_m2"),
                 f.get("other_fid") if f["rule"] != "C04" else None)
fw = sorted(map(key, whole["findings"]), key=str)
fp = sorted(map(key, parts["findings"]), key=str)
assert fw == fp, (fw, fp)
c03 = [f for f in parts["findings"] if f["rule"] == "C03"]
assert c03 and all(f["other_layer"] == "CZKFBJ_A, CZKFBJ_B" for f in c03), c03
PY
  fail "the plan in parts does not give the whole plan's results"

# parts that overlap (the whole plan, and again its western half, named
# as parts): C04 warns per block where the patches add up to more than the
# block; the totals, which dissolve, stay the whole plan's
ogr2ogr -q -nln YDYH_WEST "$D/WEST_AGAIN.gpkg" "$D/YDYH_WEST.gpkg" YDYH_WEST
cat >"$D/overlap.yaml" <<YAML
version: 1
layers:
  - path: $J/GHYDYH.gpkg
    role: landuse
  - path: $D/WEST_AGAIN.gpkg
    role: landuse
YAML
run check -c "$D/overlap.yaml" "$J" -o "$WORK/overlap" --format json
expect_rc 1
CHECKS=$((CHECKS + 1))
"$PY" - "$WORK/whole/summary.json" "$WORK/overlap/summary.json" <<'PY' ||
import json, sys
whole, both = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:])
rows = lambda d: sorted((t["rule"], t["zone_code"], t["area_m2"]) for t in d["totals"])
assert rows(whole) == rows(both), (rows(whole), rows(both))
warn = [f for f in both["findings"] if "patches overlap" in f["message_en"]]
assert warn and all(f["rule"] == "C04" and f["severity"] == "warning" for f in warn), warn
assert all(set(f["other_layer"].split(", ")) == {"YDYH", "YDYH_WEST"} for f in warn), warn
assert not any("patches overlap" in f["message_en"] for f in whole["findings"])
# the excess is what the western half adds to the land-use structure: per
# zone, the warnings' areas sum to the structure's growth (rows of 0.01 m2)
grow = {}
for d, sign in ((both, 1), (whole, -1)):
    for r in d["landuse_structure"]:
        grow[r["zone_code"]] = grow.get(r["zone_code"], 0) + sign * r["area_m2"]
for zone in grow:
    excess = sum(f["area_m2"] for f in warn if f["zone_code"] == zone)
    assert abs(excess - grow[zone]) < 0.01 * len(whole["landuse_structure"]), (zone, excess, grow)
assert sum(grow.values()) > 1e6, grow
PY
  fail "overlapping parts: no warning, or the totals moved"

# C06: the second plan in parts too
P="$SAMPLES/jincheng-plan-diff"
mkdir -p "$WORK/planb"
ogr2ogr -q -sql "SELECT * FROM YDYH2020 WHERE rowid % 2 = 0" -nln YDYH2020_A \
  "$WORK/planb/A.gpkg" "$P/GHYDYH_2020.gpkg"
ogr2ogr -q -sql "SELECT * FROM YDYH2020 WHERE rowid % 2 = 1" -nln YDYH2020_B \
  "$WORK/planb/B.gpkg" "$P/GHYDYH_2020.gpkg"
sed -e "s#../jincheng/#$J/#" -e "s#path: GHYDYH_2020.gpkg#path: $WORK/planb/A.gpkg#" \
  -e "s#layer: YDYH2020#layer: YDYH2020_A#" "$P/rules.yaml" >"$WORK/planb/rules.yaml"
"$PY" - "$WORK/planb/rules.yaml" "$WORK/planb/B.gpkg" <<'PY'
import sys
path, b = sys.argv[1:]
text = open(path, encoding="utf-8").read()
part = ("  - path: %s\n    layer: YDYH2020_B\n    role: plan_b\n    code_set: ydyh\n" % b)
text = text.replace("rules:\n", part + "rules:\n", 1)
open(path, "w", encoding="utf-8").write(text)
PY
run check -c "$P/rules.yaml" -o "$WORK/c06-whole" --format json
expect_rc 1
run check -c "$WORK/planb/rules.yaml" -o "$WORK/c06-parts" --format json
expect_rc 1
expect_err "the plan_b plan is read from 2 layers"
CHECKS=$((CHECKS + 1))
"$PY" - "$WORK/c06-whole/summary.json" "$WORK/c06-parts/summary.json" <<'PY' ||
import json, sys
whole, parts = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:])
rows = lambda d: sorted((t["rule"], t["zone_code"], t["area_m2"]) for t in d["totals"]
                        if t["rule"] == "C06")
assert rows(whole) and rows(whole) == rows(parts), (rows(whole), rows(parts))
n = lambda d: sum(1 for f in d["findings"] if f["rule"] == "C06")
assert n(whole) == n(parts) > 0
assert all(f["other_layer"] == "YDYH2020_A, YDYH2020_B"
           for f in parts["findings"] if f["rule"] == "C06")
PY
  fail "plan_b in parts does not give the whole plan's C06 results"

# a role of one layer only stays so
cat >"$WORK/two_areas.yaml" <<YAML
version: 1
layers:
  - path: $J/ZXCQ.gpkg
    role: urban_area
  - path: $J/ZXCQ.gpkg
    role: urban_area
YAML
run check -c "$WORK/two_areas.yaml" "$J" -o "$WORK/x"
expect_rc 2
expect_err "only one urban_area layer is allowed"
finish
