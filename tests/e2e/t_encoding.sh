#!/usr/bin/env bash
# Shapefile text encodings: .cpg honoured, undeclared GBK detected in auto,
# undeclared UTF-8 kept, --input-encoding forcing; no invalid UTF-8 out.
. "$(dirname "$0")/lib.sh"
IO="$TESTDATA/io"

run layers --json "$IO/kfq_gbk_cpg.shp" "$IO/kfq_gbk_nocpg.shp" "$IO/kfq_utf8_nocpg.shp"
expect_rc 0
json_check \
  'layer("kfq_gbk_cpg")["encoding"] == "CP936"' \
  '"cpg" in layer("kfq_gbk_cpg")["encoding_note"]' \
  'layer("kfq_gbk_nocpg")["encoding"] == "GB18030"' \
  '"not valid UTF-8" in layer("kfq_gbk_nocpg")["encoding_note"]' \
  'layer("kfq_utf8_nocpg")["encoding"] == "UTF-8"' \
  'all(l["bad_strings"] == 0 for l in d)' \
  'all(l["role"] == "zones" for l in d)'

# forcing UTF-8 on GBK bytes: the bad strings are counted, never passed on
run layers --json --input-encoding UTF-8 "$IO/kfq_gbk_nocpg.shp"
expect_rc 0
json_check 'd[0]["encoding"] == "UTF-8"' 'd[0]["bad_strings"] == 4' \
  '"given by the user" in d[0]["encoding_note"]'
CHECKS=$((CHECKS + 1))
"$PY" -c 'import sys; open(sys.argv[1], encoding="utf-8", errors="strict").read()' \
  "$WORK/stdout" || fail "stdout is not valid UTF-8"
finish
