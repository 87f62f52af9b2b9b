#!/usr/bin/env bash
# hegui init on samples/jincheng: the rules file names every layer with its
# role, fields and CRS, the working CRS and every rule with its defaults, in
# Chinese and English comments; `hegui check -c` runs it unchanged and finds
# exactly what a check without it finds (from another folder too: paths are
# relative to the file); layers without a role are listed commented out;
# -o refuses to overwrite without --force.
. "$(dirname "$0")/lib.sh"
CLEAN="$SAMPLES/jincheng"
export SOURCE_DATE_EPOCH=1700000000

# to stdout, from the folder the file is saved in
mkdir -p "$WORK/here"
(cd "$WORK/here" && "$HEGUI" init "$CLEAN" >rules.yaml 2>init.err)
RC=$?
LAST="hegui init $CLEAN (stdout)"
cp "$WORK/here/init.err" "$WORK/stderr"
expect_rc 0
CHECKS=$((CHECKS + 1))
"$PY" - "$WORK/here/rules.yaml" "$CLEAN" <<'PY' || fail "the rules file does not name what was detected"
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
bad = []
def need(s, why):
    if s not in text:
        bad.append(f"{why}: no {s!r}")
need("working_crs: EPSG:4526", "working CRS")
for layer, role in (("KFQ_SZFW", "zones"), ("YJJBNTBHTB", "farmland"), ("STBHHX", "redline"),
                    ("CZKFBJ", "urban_boundary"), ("YDYH", "landuse"), ("QY", "enterprises"),
                    ("ZXCQ", "urban_area")):
    m = re.search(r'- path: "([^"]+)"\n\s+layer: "%s"\n\s+role: %s\n' % (layer, role), text)
    if not m:
        bad.append(f"layer {layer} with role {role} is not listed")
for field in ('code: "KFQDM"', 'name: "KFQMC"', 'block: "QKMC"', 'class_code: "YDYHFLDM"',
              'id: "YJJBNTTBBH"', 'industry_code: "HYDM"'):
    need(field, "field mapping")
need("# 坐标系 / CRS: EPSG:4490", "a layer's CRS")
need("# 坐标系 / CRS: EPSG:4526", "a layer's CRS")
for rule in ("S01", "S06", "C01", "C04", "C06", "I01", "I03"):
    if not re.search(r"^  %s:" % rule, text, re.M):
        bad.append(f"rule {rule} missing")
need("classes:", "C04's parameters")
need("工作坐标系", "Chinese comments")
need("Working CRS", "English comments")
if "srs:" in text.replace("# srs", ""):
    bad.append("a CRS was written as srs:, overriding the data")
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
PY

# the same result with the file as without it
run check -o "$WORK/without" --format json "$CLEAN"
expect_rc 1
(cd "$WORK/here" && "$HEGUI" check -c rules.yaml -o "$WORK/with" --format json "$CLEAN" >/dev/null 2>"$WORK/stderr")
RC=$?
LAST="hegui check -c rules.yaml $CLEAN"
expect_rc 1
# -o FILE elsewhere: paths relative to that file; the file alone names the inputs
mkdir -p "$WORK/elsewhere/deeper"
run init -o "$WORK/elsewhere/deeper/hegui.yaml" "$CLEAN"
expect_rc 0
expect_err "wrote"
(cd / && "$HEGUI" check -c "$WORK/elsewhere/deeper/hegui.yaml" -o "$WORK/alone" --format json >/dev/null 2>"$WORK/stderr")
RC=$?
LAST="hegui check -c elsewhere/deeper/hegui.yaml (no folder)"
expect_rc 1
CHECKS=$((CHECKS + 1))
# (each summary with the folder its check ran in, which relative input paths start from)
"$PY" - "$WORK/without/summary.json:$PWD" "$WORK/with/summary.json:$WORK/here" "$WORK/alone/summary.json:/" <<'PY' || fail "check with the init file differs from check without it"
import json, os, sys

def load(arg):
    path, cwd = arg.rsplit(":", 1)
    d = json.load(open(path, encoding="utf-8"))
    for i in d["inputs"]:
        i["path"] = os.path.realpath(os.path.join(cwd, i["path"]))
    return d

base = load(sys.argv[1])
bad = 0
for other in sys.argv[2:]:
    d = load(other)
    for key in base:
        if key in ("rules_source", "rules_sha256"):
            continue
        a, b = base[key], d[key]
        if key == "inputs":  # the same files, named through the rules file's folder
            a = sorted(a, key=lambda i: (i["path"], i["layer"]))
            b = sorted(b, key=lambda i: (i["path"], i["layer"]))
        if a != b:
            print(other, "differs in", key); bad += 1
    if not d["findings"] or d["rules_source"] == "<default>":
        print(other, "is not a run with the rules file"); bad += 1
sys.exit(1 if bad else 0)
PY

# refuses to overwrite, unless --force
run init -o "$WORK/elsewhere/deeper/hegui.yaml" "$CLEAN"
expect_rc 2
expect_err "exists; use --force"
run init --force -o "$WORK/elsewhere/deeper/hegui.yaml" "$CLEAN"
expect_rc 0

# a layer without a role is listed, commented out; the file still runs
mkdir -p "$WORK/extra"
cp "$CLEAN"/* "$WORK/extra/"
ogr2ogr -f GPKG "$WORK/extra/misc.gpkg" "$CLEAN/ZXCQ.gpkg" -nln stuff 2>/dev/null
run init -o "$WORK/extra/rules.yaml" "$WORK/extra"
expect_rc 0
CHECKS=$((CHECKS + 1))
grep -q '^  # - path: "misc.gpkg"' "$WORK/extra/rules.yaml" ||
  fail "the layer without a role is not listed commented out: $(grep -n misc "$WORK/extra/rules.yaml")"
CHECKS=$((CHECKS + 1))
grep -q '^  - path: "KFQ_SZFW.shp"' "$WORK/extra/rules.yaml" || fail "paths are not relative to the file"
run check -c "$WORK/extra/rules.yaml" -o "$WORK/extra-out" --format json
expect_rc 1

# usage errors
run init
expect_rc 2
expect_err "needs a folder"
run init -c "$WORK/here/rules.yaml" "$CLEAN"
expect_rc 2
# -t_srs is written as the working CRS, and checked first
run init -t_srs EPSG:4527 "$CLEAN"
expect_rc 0
expect_out "working_crs: EPSG:4527"
expect_out "(given with -t_srs)"
run init -t_srs EPSG:4490 "$CLEAN"
expect_rc 2
expect_err "-t_srs: EPSG:4490"
run init --help
expect_rc 0
expect_out "usage: hegui init"
expect_no_out "--fail-on"
finish
