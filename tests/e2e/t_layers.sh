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
expect_out "jincheng-plan-diff/GHYDYH_2020.gpkg"
run layers "$SAMPLES"
expect_rc 0
expect_no_err "two layers claim"
finish
