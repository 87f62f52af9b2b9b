#!/usr/bin/env bash
# The rules file through the CLI: the catalogue, the embedded default file
# (which parses back), and rules-file errors with file:line:column (exit 2).
. "$(dirname "$0")/lib.sh"
IO="$TESTDATA/io"
RULES="$TESTDATA/rules"

run rules
expect_rc 0
for id in S01 S02 S03 S04 S05 S06 S07 C01 C02 C03 C04 C05 C06 I01 I02 I03; do expect_out "$id "; done
expect_out "永久基本农田"

run rules --json
expect_rc 0
CHECKS=$((CHECKS + 1))
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); ids=[r["id"] for r in (d["rules"] if isinstance(d, dict) else d)]; assert len(ids)==16, ids' \
  "$WORK/stdout" || fail "rules --json does not list 16 rules"

# the embedded file, printed byte for byte, is a valid rules file itself
run rules --default
expect_rc 0
cp "$WORK/stdout" "$WORK/default.yaml"
CHECKS=$((CHECKS + 1))
cmp -s "$WORK/default.yaml" "$SRCDIR/src/config/default_rules.yaml" || fail "rules --default differs from src/config/default_rules.yaml"
run layers -c "$WORK/default.yaml" "$IO/kfq_gbk_cpg.shp"
expect_rc 0

# broken YAML
printf 'rules:\n  S03: {pass_m2: 1\n' >"$WORK/broken.yaml"
run layers -c "$WORK/broken.yaml" "$IO/kfq_gbk_cpg.shp"
expect_rc 2
expect_err "broken.yaml:"

# an unknown key, with its line and column and the known keys
run layers -c "$RULES/bad_param.yaml" "$IO/kfq_gbk_cpg.shp"
expect_rc 2
expect_err "bad_param.yaml:4:5: unknown key 'severty' in rule S03"

# an unknown rule id
printf 'version: 1\nrules:\n  S99: {severity: error}\n' >"$WORK/unknown_rule.yaml"
run layers -c "$WORK/unknown_rule.yaml" "$IO/kfq_gbk_cpg.shp"
expect_rc 2
expect_err "unknown_rule.yaml:3:3: unknown rule id 'S99'"

# a missing rules file
run layers -c "$WORK/nope.yaml" "$IO/kfq_gbk_cpg.shp"
expect_rc 2
expect_err "nope.yaml"

# a layer named in the rules file gets its role from there
cat >"$WORK/named.yaml" <<YAML
version: 1
layers:
  - path: $IO/kfq_utf8_nocpg.shp
    role: farmland
YAML
run layers --json -c "$WORK/named.yaml"
expect_rc 0
json_check 'd[0]["role"] == "farmland"' '"named.yaml:3" in d[0]["role_reason"]'

# a single-layer role the rules file gives is that layer's: an older plan
# in the same folder, detected as land use by its name and first by path,
# is not used (before, it was: "hegui uses the first")
mkdir -p "$WORK/overrule"
cp "$SAMPLES/jincheng/"* "$WORK/overrule/"
ogr2ogr -q -where "fid % 2 = 0" "$WORK/overrule/A_OLD.gpkg" "$SAMPLES/jincheng/GHYDYH.gpkg" YDYH
cat >"$WORK/overrule.yaml" <<YAML
version: 1
layers:
  - path: $WORK/overrule/GHYDYH.gpkg
    layer: YDYH
    role: landuse
YAML
run check -c "$WORK/overrule.yaml" "$WORK/overrule" -o "$WORK/overrule-out" --format json
expect_rc 1
expect_err "A_OLD.gpkg (layer YDYH): not used: detected as landuse"
expect_no_err "two layers claim"
run check "$SAMPLES/jincheng" -o "$WORK/plain-out" --format json
expect_rc 1
CHECKS=$((CHECKS + 1))
"$PY" - "$WORK/plain-out/summary.json" "$WORK/overrule-out/summary.json" <<'PY' ||
import json, sys
plain, named = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:])
rows = lambda d: sorted((t["rule"], t["zone_code"], t["area_m2"]) for t in d["totals"])
assert rows(plain) == rows(named), (rows(plain), rows(named))
assert plain["landuse_structure"] == named["landuse_structure"]
PY
  fail "the named land-use layer's totals differ from the samples'"
run layers --json -c "$WORK/overrule.yaml" "$WORK/overrule"
json_check '[l["role"] for l in d if l["path"].endswith("A_OLD.gpkg")] == ["none"]' \
  '[l["overruled_role"] for l in d if l["path"].endswith("A_OLD.gpkg")] == ["landuse"]' \
  '[l["role"] for l in d if l["path"].endswith("GHYDYH.gpkg")] == ["landuse"]' \
  'all(l["overruled_role"] is None for l in d if not l["path"].endswith("A_OLD.gpkg"))'
finish
