#!/usr/bin/env bash
# hegui layers on the samples: roles, counts, EPSG codes, encodings, the
# contradiction planted in the defects set, recursion and role notes.
. "$(dirname "$0")/lib.sh"

run layers --json "$SAMPLES/jincheng"
expect_rc 0
json_check \
  'len(d) == 7' \
  'layer("KFQ_SZFW")["role"] == "zones" and layer("KFQ_SZFW")["feature_count"] == 5' \
  'layer("KFQ_SZFW")["epsg"] == 4526 and layer("KFQ_SZFW")["zone_prefixed"] and layer("KFQ_SZFW")["gk_zone"] == 38' \
  'layer("KFQ_SZFW")["encoding"] == "CP936"' \
  'layer("YJJBNTBHTB")["role"] == "farmland" and layer("YJJBNTBHTB")["epsg"] == 4490' \
  'layer("STBHHX")["role"] == "redline" and layer("CZKFBJ")["role"] == "urban_boundary"' \
  'layer("YDYH")["role"] == "landuse" and layer("YDYH")["geometry_type"] == "Polygon"' \
  'layer("QY")["role"] == "enterprises" and layer("QY")["epsg"] == 4547 and not layer("QY")["zone_prefixed"]' \
  'layer("QY")["encoding"] == "GB18030" and layer("QY")["bad_strings"] == 0' \
  'layer("ZXCQ")["role"] == "urban_area"' \
  'all(l["crs_problem"] is None for l in d)' \
  'all(l["role_reason"] for l in d)'

# feature counts agree with ogrinfo
for pair in "KFQ_SZFW.shp:KFQ_SZFW" "SXSX.gpkg:YJJBNTBHTB" "GHYDYH.gpkg:YDYH" "QY.shp:QY"; do
  file=${pair%%:*} layer=${pair##*:}
  n=$(ogrinfo -ro -so "$SAMPLES/jincheng/$file" "$layer" | sed -n 's/^Feature Count: //p')
  json_check "layer('$layer')['feature_count'] == $n"
done

# text output names the working CRS and why
run layers "$SAMPLES/jincheng"
expect_rc 0
expect_out "working CRS: EPSG:4526"
expect_out "role      zones (开发区四至)"
# -t_srs names it; one that does not measure in metres is an error here too
run layers -t_srs EPSG:4527 "$SAMPLES/jincheng"
expect_rc 0
expect_out "working CRS: EPSG:4527 CGCS2000 / 3-degree Gauss-Kruger zone 39 — given with -t_srs"
run layers -t_srs EPSG:4490 "$SAMPLES/jincheng"
expect_rc 2
expect_err "is geographic (degrees)"

# the defects set: a .prj that contradicts prefixed eastings
run layers --json "$SAMPLES/jincheng-defects"
expect_rc 0
json_check \
  'layer("KFQ_BCKC")["crs_problem"]["issue"] == "prefix_undeclared"' \
  'layer("KFQ_BCKC")["crs_problem"]["suggested_epsg"] == 4526' \
  'layer("KFQ_BCKC")["epsg"] == 4547' \
  'layer("KFQ_SZFW")["crs_problem"] is None'

# -r reads sub-folders; two land-use plans claim a single-layer role
run layers -r "$SAMPLES"
expect_rc 0
expect_err "two layers claim the single-layer role 'landuse'"
expect_err "hegui uses the first"
expect_out "jincheng-plan-diff/GHYDYH_2020.gpkg"
run layers "$SAMPLES"
expect_rc 0
expect_no_err "two layers claim"
# a shapefile edited and never packed: a record marked deleted in its .dbf
# (and a .qix, which GDAL 3.6 would follow into the deleted record) is no
# feature, as ogrinfo lists them; check runs and says it was skipped
mkdir -p "$WORK/unpacked"
cp "$SAMPLES/jincheng/"KFQ_SZFW.* "$SAMPLES/jincheng/SXSX.gpkg" "$WORK/unpacked/"
ogr2ogr -q -lco ENCODING=UTF-8 -lco SPATIAL_INDEX=YES "$WORK/unpacked/GHYDYH.shp" \
  "$SAMPLES/jincheng/GHYDYH.gpkg" YDYH
"$PY" - "$WORK/unpacked/GHYDYH.dbf" <<'PY'
import struct, sys
with open(sys.argv[1], "r+b") as f:
    header = f.read(12)
    start, size = struct.unpack("<HH", header[8:12])
    f.seek(start + 7 * size)
    assert f.read(1) == b" "
    f.seek(start + 7 * size)
    f.write(b"*")
PY
listed=$(ogrinfo -ro -q "$WORK/unpacked/GHYDYH.shp" GHYDYH | grep -c '^OGRFeature')
run layers --json "$WORK/unpacked"
expect_rc 0
expect_err "1 record marked deleted in the .dbf is skipped"
json_check "layer('GHYDYH')['feature_count'] == $listed" \
  "layer('GHYDYH')['deleted_records'] == 1 and layer('KFQ_SZFW')['deleted_records'] == 0"
run check "$WORK/unpacked" -o "$WORK/unpacked-report" --format json
expect_rc 1
expect_err "1 record marked deleted in the .dbf is skipped"

# a GeoPackage whose R-tree lists none of its farmland (rows written by a
# program that dropped the triggers): GDAL's spatial filter sees no farmland;
# hegui says the index is stale and finds the same C01 conflicts as in the
# intact file (here the zones span most of the farmland, so the reader
# would set no filter anyway: test_io_catalog_stale_rtree reads through one)
mkdir -p "$WORK/rtree"
cp "$SAMPLES/jincheng/"* "$WORK/rtree/"
ogrinfo -q "$WORK/rtree/SXSX.gpkg" -sql "DELETE FROM rtree_YJJBNTBHTB_geom" >/dev/null
CHECKS=$((CHECKS + 1))
seen=$(ogrinfo -ro -q -spat 112.8 35.4 113.0 35.6 "$WORK/rtree/SXSX.gpkg" YJJBNTBHTB |
  grep -c '^OGRFeature')
[ "$seen" -eq 0 ] || fail "GDAL's filter still sees $seen farmland features"
run layers --json "$WORK/rtree"
expect_rc 0
expect_err "(layer YJJBNTBHTB): the spatial index does not match the layer (its R-tree rtree_YJJBNTBHTB_geom lists 0 features"
json_check "layer('YJJBNTBHTB')['spatial_index_stale'] is True" \
  "layer('YDYH')['spatial_index_stale'] is False"
SOURCE_DATE_EPOCH=0 run check "$WORK/rtree" -o "$WORK/rtree-report" --format json
expect_rc 1
SOURCE_DATE_EPOCH=0 run check "$SAMPLES/jincheng" -o "$WORK/intact-report" --format json
expect_rc 1
CHECKS=$((CHECKS + 1))
"$PY" - "$WORK/rtree-report/summary.json" "$WORK/intact-report/summary.json" <<'PY' ||
import json, sys
def c01(path):
    d = json.load(open(path, encoding="utf-8"))
    return ([f for f in d["findings"] if f["rule"] == "C01"],
            [t for t in d["totals"] if t["rule"] == "C01"])
stale, intact = c01(sys.argv[1]), c01(sys.argv[2])
assert intact[0] and intact[1], "the samples plant C01 conflicts"
assert stale == intact, "C01 differs with the stale R-tree"
PY
  fail "C01 findings or totals differ when the farmland's R-tree is stale"
finish
