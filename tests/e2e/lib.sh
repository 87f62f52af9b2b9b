# tests/e2e/lib.sh - helpers for the end-to-end tests. Each t_*.sh runs the
# real hegui binary ($HEGUI, set by CTest) on real files and asserts on its
# exit code, stdout and stderr. A failed assertion prints what was expected
# and what came, and the script exits 1.
set -uo pipefail

: "${HEGUI:?HEGUI must point at the hegui binary (CTest sets it)}"
: "${SAMPLES:?}" "${TESTDATA:?}" "${SRCDIR:?}"

# Debian's python3, with python3-jsonschema from scripts/bootstrap
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hegui-e2e.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
FAILURES=0
CHECKS=0

# run ARGS…: runs hegui, keeping $OUT, $ERR and $RC.
run() {
  "$HEGUI" "$@" >"$WORK/stdout" 2>"$WORK/stderr"
  RC=$?
  OUT=$(cat "$WORK/stdout")
  ERR=$(cat "$WORK/stderr")
  LAST="hegui $*"
}

fail() {
  FAILURES=$((FAILURES + 1))
  echo "FAIL: $*" >&2
  echo "  command: $LAST" >&2
  echo "  exit code: $RC" >&2
  echo "  stderr: $(head -c 2000 "$WORK/stderr")" >&2
}

expect_rc() {
  CHECKS=$((CHECKS + 1))
  [ "$RC" -eq "$1" ] || fail "expected exit code $1, got $RC"
}

expect_err() {
  CHECKS=$((CHECKS + 1))
  grep -qF -- "$1" "$WORK/stderr" || fail "stderr lacks: $1"
}

expect_out() {
  CHECKS=$((CHECKS + 1))
  grep -qF -- "$1" "$WORK/stdout" || fail "stdout lacks: $1"
}

expect_no_out() {
  CHECKS=$((CHECKS + 1))
  ! grep -qF -- "$1" "$WORK/stdout" || fail "stdout should not contain: $1"
}

expect_no_err() {
  CHECKS=$((CHECKS + 1))
  ! grep -qF -- "$1" "$WORK/stderr" || fail "stderr should not contain: $1"
}

# json_check PYTHON_EXPR…: each expression is evaluated with `d` bound to the
# JSON on stdout and must be true.
json_check() {
  local expr
  for expr in "$@"; do
    CHECKS=$((CHECKS + 1))
    "$PY" - "$WORK/stdout" "$expr" <<'PY' || fail "JSON check failed: $expr"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
def layer(name):
    m = [l for l in d if l["layer"] == name]
    assert len(m) == 1, f"{len(m)} layers named {name}"
    return m[0]
ok = eval(sys.argv[2])
if not ok:
    print("  value was false:", sys.argv[2], file=sys.stderr)
sys.exit(0 if ok else 1)
PY
  done
}

# tree_hash DIR: a hash of every file's name and content under DIR.
tree_hash() {
  (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum)
}

finish() {
  echo "$CHECKS checks, $FAILURES failed"
  [ "$FAILURES" -eq 0 ]
  exit $?
}
