#!/usr/bin/env bash
# The reports for people, on samples/jincheng: `hegui check` writes every
# report by default and `hegui validate` its three; report.xlsx is read
# back (GDAL's XLSX driver for the values, the XML for sheet names, number
# formats, bold headers, frozen panes, autofilters and column widths) and
# reconciled with summary.json; findings.gpkg's layer_styles hold one
# default, parseable QML style per layer; report.html is self-contained and
# rendered in headless Chromium (DevTools protocol: every zone section and
# its maps laid out and drawn in the rule colours, nothing logged as an
# error, nothing fetched), with a screenshot; xlsx and html are the same
# bytes when written twice.
. "$(dirname "$0")/lib.sh"
CLEAN="$SAMPLES/jincheng"
export SOURCE_DATE_EPOCH=1700000000
RDIR="$WORK/out"

# --- defaults: every report, and the console summary ---
run check -o "$RDIR" "$CLEAN"
expect_rc 1
expect_out "FAIL"
for f in summary.json findings.gpkg findings.csv report.xlsx report.html junit.xml; do
  CHECKS=$((CHECKS + 1))
  [ -s "$RDIR/$f" ] || fail "check without --format wrote no $f"
done
CHECKS=$((CHECKS + 1))
[ -z "$(find "$RDIR" -name '.*' -print)" ] || fail "temporary files left in $RDIR: $(ls -A "$RDIR")"

run validate -o "$WORK/val" "$SAMPLES/jincheng-defects"
CHECKS=$((CHECKS + 1))
[ "$RC" -eq 0 ] || [ "$RC" -eq 1 ] || fail "validate failed"
for f in summary.json junit.xml report.html; do
  CHECKS=$((CHECKS + 1))
  [ -s "$WORK/val/$f" ] || fail "validate without --format wrote no $f"
done
for f in report.xlsx findings.gpkg findings.csv; do
  CHECKS=$((CHECKS + 1))
  [ ! -e "$WORK/val/$f" ] || fail "validate wrote $f by default"
done

# --- the same bytes twice (the clock must not leak into xlsx or html) ---
sleep 1
run check --format xlsx,html -o "$WORK/again" "$CLEAN"
for f in report.xlsx report.html; do
  CHECKS=$((CHECKS + 1))
  cmp -s "$RDIR/$f" "$WORK/again/$f" || fail "$f differs between two runs"
done

# --- report.xlsx: values through GDAL, formats through the XML ---
for sheet in 开发区×规则 冲突图斑清单 用地结构; do
  CHECKS=$((CHECKS + 1))
  ogr2ogr -f GeoJSON "$WORK/sheet-$sheet.json" "$RDIR/report.xlsx" "$sheet" 2>"$WORK/ogr.err" ||
    fail "GDAL cannot read sheet $sheet of report.xlsx: $(cat "$WORK/ogr.err")"
done
CHECKS=$((CHECKS + 1))
"$PY" - "$RDIR/summary.json" "$RDIR/report.xlsx" "$WORK" <<'PY' || fail "report.xlsx does not reconcile with summary.json"
import json, re, sys, unicodedata, zipfile
import xml.etree.ElementTree as ET

d = json.load(open(sys.argv[1], encoding="utf-8"))
z = zipfile.ZipFile(sys.argv[2])
work = sys.argv[3]
bad = []
def check(ok, what):
    if not ok:
        bad.append(what)

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
RID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

# sheet names, in order
book = ET.fromstring(z.read("xl/workbook.xml"))
rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
target = {r.get("Id"): r.get("Target") for r in rels}
sheets = [(s.get("name"), "xl/" + target[s.get(RID)].lstrip("/").replace("xl/", ""))
          for s in book.find("m:sheets", NS)]
names = [n for n, _ in sheets]
want = ["汇总", "开发区×规则", "冲突图斑清单", "用地结构", "输入数据"]
if d["intensity"]:
    want.append("亩均效益")
check(names == want, f"sheet names {names}, expected {want}")
for n in names:
    check(len(n) <= 31 and not re.search(r"[:\\/?*\[\]]", n), f"sheet name {n!r} breaks Excel's rules")

# styles: number formats, bold fonts
styles = ET.fromstring(z.read("xl/styles.xml"))
numfmt = {int(f.get("numFmtId")): f.get("formatCode") for f in styles.iter(f"{{{NS['m']}}}numFmt")}
for code in ("0.0000", "0.00", "0.0%"):
    check(code in numfmt.values(), f"no number format {code} in styles.xml")
fonts = list(styles.find("m:fonts", NS))
bold = [f.find("m:b", NS) is not None for f in fonts]
xfs = [(int(x.get("numFmtId", 0)), int(x.get("fontId", 0))) for x in styles.find("m:cellXfs", NS)]
def fmt_of(s):
    return numfmt.get(xfs[s][0], "General" if xfs[s][0] == 0 else f"builtin {xfs[s][0]}")

shared = []
if "xl/sharedStrings.xml" in z.namelist():
    for si in ET.fromstring(z.read("xl/sharedStrings.xml")):
        shared.append("".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")))

def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1

def width(text):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

def read_sheet(path):
    root = ET.fromstring(z.read(path))
    cells = {}
    for c in root.iter(f"{{{NS['m']}}}c"):
        ref = c.get("r")
        row = int(re.search(r"\d+", ref).group(0))
        v = c.find("m:v", NS)
        s = int(c.get("s", 0))
        if c.get("t") == "s":
            val = shared[int(v.text)]
        elif c.get("t") == "inlineStr":
            val = "".join(t.text or "" for t in c.iter(f"{{{NS['m']}}}t"))
        elif v is not None:
            val = float(v.text)
        else:
            val = None
        cells[(row, col_index(ref))] = (val, s)
    pane = root.find(".//m:pane", NS)
    cols = {int(c.get("min")) - 1: float(c.get("width")) for c in root.iter(f"{{{NS['m']}}}col")}
    return root, cells, pane, cols

parsed = {n: read_sheet(p) for n, p in sheets}
for n, (root, cells, pane, cols) in parsed.items():
    check(pane is not None and pane.get("state") == "frozen", f"{n}: no frozen pane")
    check(root.find("m:autoFilter", NS) is not None, f"{n}: no autofilter")
    header = 3 if n == "汇总" else 1
    heads = [(c, v) for (r, c), v in cells.items() if r == header]
    check(heads and all(bold[xfs[s][1]] for _, (_, s) in heads), f"{n}: header row not bold")
    check(pane is not None and pane.get("topLeftCell", "").endswith(str(header + 1)),
          f"{n}: panes not frozen under the header")
    # every column at least as wide as its measured text (CJK = 2), up to the cap
    for col in {c for (_, c) in cells}:
        texts = [v for (r, c), (v, s) in cells.items()
                 if c == col and isinstance(v, str) and not (n == "汇总" and (r == 1 or col == 1))]
        need = max([width(t) for t in texts] or [0])
        got = cols.get(col, 8.43)
        check(got >= min(need, 58), f"{n}: column {col} is {got} wide for text of width {need}")

def table(name, first_row=2):
    """Rows from first_row up to the first empty row, as {col: (value, style)}."""
    cells = parsed[name][1]
    rows, r = [], first_row
    while any((r, c) in cells for c in range(30)):
        rows.append({c: cells[(r, c)] for c in range(30) if (r, c) in cells})
        r += 1
    return rows, r

def close(a, b):
    return a is not None and abs(a - b) < 1e-9

# 开发区×规则: one row per summary.json total, same numbers; formats per column
rows, end = table("开发区×规则")
check(len(rows) == len(d["totals"]), f"开发区×规则 has {len(rows)} rows for {len(d['totals'])} totals")
got = {((r.get(0, ("", 0))[0] or ""), r[2][0]): r for r in rows}
for t in d["totals"]:
    r = got.get((t["zone_code"], t["rule"]))
    if r is None:
        bad.append(f"no row for total {t['zone_code']} {t['rule']}")
        continue
    check(close(r[4][0], t["count"]), f"count of {t['rule']} {t['zone_code']}")
    check(close(r[5][0], t["area_m2"]) and close(r[6][0], t["area_ha"]) and close(r[7][0], t["area_mu"]),
          f"areas of {t['rule']} {t['zone_code']}: {r[5][0]} {r[6][0]} {r[7][0]} vs {t}")
    if t["share_of_zone"] is not None:
        check(close(r[8][0], t["share_of_zone"]), f"share of {t['rule']} {t['zone_code']}")
        check(fmt_of(r[8][1]) == "0.0%", f"share format {fmt_of(r[8][1])}")
    check(fmt_of(r[6][1]) == "0.0000" and fmt_of(r[7][1]) == "0.00",
          f"area formats {fmt_of(r[6][1])} {fmt_of(r[7][1])}")
# the rule totals under it reconcile with the zone rows (sum of rounded rows
# within half a unit per row of the total rounded once)
rule_rows, _ = table("开发区×规则", end + 1)
for r in rule_rows:
    rule = r[2][0]
    zs = [t for t in d["totals"] if t["rule"] == rule]
    check(close(r[4][0], sum(t["count"] for t in zs)), f"total count of {rule}")
    check(abs(r[6][0] - sum(t["area_ha"] for t in zs)) <= 0.00005 * len(zs) + 1e-9, f"total ha of {rule}")
    check(abs(r[7][0] - sum(t["area_mu"] for t in zs)) <= 0.005 * len(zs) + 1e-9, f"total 亩 of {rule}")
check(len(rule_rows) == len({t["rule"] for t in d["totals"]}), "one total row per rule")

# 冲突图斑清单: every finding in order, no WKT
rows, _ = table("冲突图斑清单")
check(len(rows) == len(d["findings"]), f"{len(rows)} finding rows for {len(d['findings'])} findings")
for i, (r, f) in enumerate(zip(rows, d["findings"])):
    check(close(r[0][0], i + 1) and r[1][0] == f["rule"], f"finding {i + 1}: {r[1][0]} vs {f['rule']}")
    check((r.get(4, ("", 0))[0] or "") == f["zone_code"], f"finding {i + 1} zone")
    if f["area_m2"] is not None:
        check(close(r[13][0], f["area_m2"]) and close(r[14][0], f["area_ha"]) and close(r[15][0], f["area_mu"]),
              f"finding {i + 1} areas")
        check(fmt_of(r[14][1]) == "0.0000" and fmt_of(r[15][1]) == "0.00", f"finding {i + 1} formats")
    check(not any(isinstance(v, str) and re.match(r"(MULTI)?(POLYGON|POINT|LINESTRING)", v)
                  for v, _ in r.values()), f"finding {i + 1} holds WKT")

# 用地结构: every class row of summary.json, then each zone's total
rows, end = table("用地结构")
check(len(rows) == len(d["landuse_structure"]), "用地结构 rows")
for r, l in zip(rows, d["landuse_structure"]):
    check(r[2][0] == l["class_code"] and close(r[6][0], l["area_ha"]) and close(r[7][0], l["area_mu"])
          and close(r[9][0], l["share_of_zone"]), f"land class {l['class_code']}")
    check(fmt_of(r[9][1]) == "0.0%", "land class share format")
totals, _ = table("用地结构", end + 1)
for r in totals:
    ls = [l for l in d["landuse_structure"] if l["zone_code"] == r[0][0]]
    check(r[2][0] == "合计", "用地结构 total row label")
    check(abs(r[6][0] - sum(l["area_ha"] for l in ls)) <= 0.00005 * len(ls) + 1e-9, "用地结构 total ha")
    check(abs(r[7][0] - sum(l["area_mu"] for l in ls)) <= 0.005 * len(ls) + 1e-9, "用地结构 total 亩")
check(len(totals) == len({l["zone_code"] for l in d["landuse_structure"]}), "one 用地结构 total per zone")

# 输入数据
rows, _ = table("输入数据")
check([r[7][0] for r in rows] == [i["sha256"] for i in d["inputs"]], "输入数据 SHA-256 column")
check([int(r[4][0]) for r in rows] == [i["feature_count"] for i in d["inputs"]], "输入数据 counts")

# 汇总: the verdict, and the per-rule counts
cells = parsed["汇总"][1]
check("不通过" in cells[(1, 0)][0], "汇总 A1 is not the verdict")
rows, _ = table("汇总", 4)
for r in rows:
    if r[0][0] == "合计":
        check(close(r[4][0], len(d["findings"])), "汇总 total count")
        continue
    n = sum(1 for f in d["findings"] if f["rule"] == r[0][0])
    check(close(r[4][0], n), f"汇总 count of {r[0][0]}")

# the same numbers as read by GDAL's XLSX driver (an independent reader)
g = json.load(open(f"{work}/sheet-开发区×规则.json", encoding="utf-8"))["features"]
gl = {(p.get("开发区代码") or "", p["规则"]): p for p in (f["properties"] for f in g)
      if p.get("规则") and p.get("开发区代码") != "合计"}
for t in d["totals"]:
    p = gl.get((t["zone_code"], t["rule"]))
    check(p is not None and abs(p["面积（公顷）"] - t["area_ha"]) < 1e-9 and p["图斑数"] == t["count"],
          f"GDAL reads {p} for total {t}")
g = json.load(open(f"{work}/sheet-冲突图斑清单.json", encoding="utf-8"))["features"]
check(len(g) == len(d["findings"]), f"GDAL reads {len(g)} findings")
check(all(abs((p["properties"].get("面积（亩）") or 0) - (f["area_mu"] or 0)) < 1e-9
          for p, f in zip(g, d["findings"])), "GDAL reads other 亩 than summary.json")

for b in bad:
    print("xlsx:", b)
sys.exit(1 if bad else 0)
PY

# --- findings.gpkg: one default style per layer, valid QML ---
CHECKS=$((CHECKS + 1))
"$PY" - "$RDIR/findings.gpkg" <<'PY' || fail "findings.gpkg layer_styles"
import sqlite3, sys
import xml.etree.ElementTree as ET
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
layers = [r[0] for r in db.execute(
    "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' AND table_name != 'layer_styles'")]
bad = 0
assert layers, "no feature layers"
for layer in layers:
    rows = db.execute("SELECT styleQML, useAsDefault, f_geometry_column FROM layer_styles "
                      "WHERE f_table_name = ?", (layer,)).fetchall()
    defaults = [r for r in rows if r[1] == 1]
    if len(defaults) != 1:
        print(f"{layer}: {len(defaults)} default styles"); bad += 1
        continue
    qml = defaults[0][0]
    root = ET.fromstring(qml.split("?>", 1)[1] if qml.startswith("<?xml") else qml)
    renderer = root.find("renderer-v2")
    if root.tag != "qgis" or renderer is None or renderer.get("attr") != "rule":
        print(f"{layer}: QML is not a categorized renderer on rule"); bad += 1
    if not root.findall(".//category"):
        print(f"{layer}: QML has no categories"); bad += 1
extra = [r[0] for r in db.execute("SELECT f_table_name FROM layer_styles") if r[0] not in layers]
if extra:
    print("styles for unknown layers:", extra); bad += 1
sys.exit(1 if bad else 0)
PY

# --- report.html: self-contained, one section and map per zone ---
CHECKS=$((CHECKS + 1))
"$PY" - "$RDIR/report.html" "$RDIR/summary.json" "$WORK/val/report.html" "$WORK/val/summary.json" <<'PY' || fail "report.html structure"
import json, re, sys
from html.parser import HTMLParser

class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.sections, self.refs, self.tags = [], {}, [], []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        for k in ("src", "href", "xlink:href", "srcset", "poster", "data"):
            if k in a:
                self.refs.append(a[k])
        if tag == "section" and "data-zone" in a:
            self.sections[a["data-zone"]] = {"maps": 0, "drawn": 0}
            self.current = a["data-zone"]
        if tag == "svg" and "map" in a.get("class", "").split() and self.sections:
            self.sections[self.current]["maps"] += 1
        if tag in ("path", "circle") and self.sections and a.get("class", "").startswith(("blk", "r-")):
            self.sections[self.current]["drawn"] += 1

bad = 0
for html_path, json_path in ((sys.argv[1], sys.argv[2]), (sys.argv[3], sys.argv[4])):
    text = open(html_path, encoding="utf-8").read()
    d = json.load(open(json_path, encoding="utf-8"))
    p = Page()
    p.feed(text)
    for tag in ("script", "link", "img", "iframe", "object", "embed"):
        if tag in p.tags:
            print(html_path, "has a <%s>" % tag); bad += 1
    external = [r for r in p.refs if not r.startswith("#")]
    if external or re.search(r"@import|url\(", text):
        print(html_path, "refers to external resources:", external[:5]); bad += 1
    for z in d["zones"]:
        s = p.sections.get(z["code"])
        if not s or s["maps"] < 1 or s["drawn"] < 1:
            print(html_path, "zone", z["code"], "section/map missing or empty:", s); bad += 1
    if set(p.sections) != {z["code"] for z in d["zones"]}:
        print(html_path, "sections", sorted(p.sections)); bad += 1
    if 'lang="zh-CN"' not in text or ("不通过" if d["verdict"] == "fail" else "通过") not in text:
        print(html_path, "is not the Chinese report with the verdict"); bad += 1
sys.exit(1 if bad else 0)
PY
run check --format html --lang en -o "$WORK/en" "$CLEAN"
CHECKS=$((CHECKS + 1))
grep -q 'lang="en"' "$WORK/en/report.html" && grep -q "Verdict: FAIL" "$WORK/en/report.html" ||
  fail "--lang en did not give the English report"

# --- report.html in a real browser ---
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "t_reports: chromium is missing; installing it with apt-get" >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; } \
    >"$WORK/apt.log" 2>&1 || echo "t_reports: apt-get failed: $(tail -3 "$WORK/apt.log")" >&2
  CHROMIUM=$(command -v chromium || true)
fi
if [ -z "$CHROMIUM" ]; then
  echo "SKIP: report.html not rendered in a browser: chromium is not installed and cannot be installed here"
else
  SHOT="${HEGUI_ARTIFACTS:-${TMPDIR:-/tmp}}/hegui-report-screenshot.png"
  # the detector itself: a page that logs an error and fetches a missing file
  printf '<!DOCTYPE html><html><body><img src="missing.png"><script>console.error("canary")</script></body></html>' \
    >"$WORK/canary.html"
  CHECKS=$((CHECKS + 1))
  if "$PY" "$SRCDIR/tests/e2e/browser.py" "$CHROMIUM" "$WORK/canary.html" "$WORK/canary.png" "$WORK/canary.json" 2>"$WORK/browser.err"; then
    "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if any("canary" in e for e in d["errors"]) and d["requests"] else 1)' \
      "$WORK/canary.json" || fail "the browser probe does not see console errors or requests: $(cat "$WORK/canary.json")"
  else
    fail "cannot drive chromium: $(cat "$WORK/browser.err")"
  fi
  CHECKS=$((CHECKS + 1))
  if "$PY" "$SRCDIR/tests/e2e/browser.py" "$CHROMIUM" "$RDIR/report.html" "$SHOT" "$WORK/render.json" 2>"$WORK/browser.err"; then
    echo "screenshot of report.html: $SHOT"
    "$PY" - "$WORK/render.json" "$RDIR/summary.json" "$SHOT" <<'PY' || fail "report.html did not render as expected in Chromium"
import json, struct, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
d = json.load(open(sys.argv[2], encoding="utf-8"))
probe, bad = r["probe"], []
if r["errors"]:
    bad.append(f"the page logged errors: {r['errors']}")
if r["requests"]:
    bad.append(f"the page fetched: {r['requests']}")
if probe["scripts"]:
    bad.append("the page has scripts")
if probe["width"] > probe["viewport"]:
    bad.append(f"the page is wider ({probe['width']}) than the window ({probe['viewport']})")
colours = {"C01": (230, 171, 2), "C02": (27, 158, 119), "C03": (117, 112, 179), "C04": (231, 41, 138),
           "I01": (251, 154, 153)}
zones = {z["zone"]: z for z in probe["zones"]}
for z in d["zones"]:
    s = zones.get(z["code"])
    if not s or not s["maps"]:
        bad.append(f"zone {z['code']}: no section or no map in the DOM"); continue
    m = s["maps"][0]
    if "zone-map" not in m["cls"] or m["width"] < 600 or m["height"] < 300:
        bad.append(f"zone {z['code']}: zone map laid out at {m['width']}x{m['height']}")
    if m["drawn"] < z["block_count"] or m["drawn"] != m["shapes"]:
        bad.append(f"zone {z['code']}: {m['drawn']} of {m['shapes']} shapes drawn, {z['block_count']} blocks")
    rules = {f["rule"] for f in d["findings"] if f["zone_code"] == z["code"] and f["wkt"]}
    if {c[2:] for c in m["rules"] if c.startswith("r-")} != rules:
        bad.append(f"zone {z['code']}: map draws {m['rules']}, findings have {sorted(rules)}")
    for rule in rules & set(colours):
        fill = m["fills"].get("r-" + rule, "")
        if not fill.startswith("rgba(%d, %d, %d" % colours[rule]):
            bad.append(f"{rule} is filled with {fill!r}, not its colour {colours[rule]}")
    if not (m["scalebar"] and m["north"] and m["crs"].find("EPSG:") >= 0 and m["legend"] >= 1 + len(rules)):
        bad.append(f"zone {z['code']}: map furniture missing {m}")
    if s["tables"] < 2:
        bad.append(f"zone {z['code']}: {s['tables']} tables")
png = open(sys.argv[3], "rb").read(32)
w, h = struct.unpack(">II", png[16:24])
if png[:8] != b"\x89PNG\r\n\x1a\n" or w < 1200 or h < 2000:
    bad.append(f"screenshot is not a full-page PNG ({w}x{h})")
for b in bad:
    print("html:", b)
sys.exit(1 if bad else 0)
PY
  else
    fail "chromium could not render report.html: $(cat "$WORK/browser.err")"
  fi
fi

finish
