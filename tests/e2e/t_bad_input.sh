#!/usr/bin/env bash
# Broken inputs: each must stop the run with exit code 2 and a message that
# names the file and says what to do; inputs are never modified.
. "$(dirname "$0")/lib.sh"
IO="$TESTDATA/io"
before=$(tree_hash "$IO")

run layers "$IO/kfq_trunc_shp.shp"
expect_rc 2
expect_err "kfq_trunc_shp.shp"
expect_err "could not read feature 2 of 2"
expect_err "truncated or damaged"

run layers "$IO/kfq_trunc_dbf.shp"
expect_rc 2
expect_err "kfq_trunc_dbf.shp"
expect_err "DBF"
expect_err "truncated or damaged"

run layers "$IO/kfq_no_dbf.shp"
expect_rc 2
expect_err "kfq_no_dbf.shp: the .dbf file is missing"

run layers "$IO/kfq_no_shx.shp"
expect_rc 2
expect_err "kfq_no_shx.shp: the .shx index is missing"
expect_err "never writes beside its inputs"
[ ! -e "$IO/kfq_no_shx.shx" ] || fail "a .shx was written beside the input"

run layers "$IO/kfq_no_prj.shp"
expect_rc 2
expect_err "kfq_no_prj.shp (layer kfq_no_prj): no coordinate system"
expect_err "-s_srs"
expect_err "likely EPSG:4526"

# the same file works once a CRS is assigned
run layers --json -s_srs EPSG:4526 "$IO/kfq_no_prj.shp"
expect_rc 0
json_check 'd[0]["epsg"] == 4526' 'd[0]["crs_assigned"] is True' 'd[0]["feature_count"] == 2'

# a folder with one broken file fails as a whole: never a partial catalog
mkdir -p "$WORK/mixed"
cp "$IO"/kfq_gbk_cpg.* "$WORK/mixed/"
cp "$IO"/kfq_trunc_dbf.* "$WORK/mixed/"
run layers "$WORK/mixed"
expect_rc 2
expect_err "kfq_trunc_dbf.shp"

# a GeoPackage with a damaged page in the middle of its data: the full read
# of the catalog stops at the first unreadable feature, for layers and check
mkdir -p "$WORK/damaged"
cp "$SAMPLES/jincheng/GHYDYH.gpkg" "$WORK/damaged/GHYDYH.gpkg"
size=$(stat -c %s "$WORK/damaged/GHYDYH.gpkg")
head -c 4096 /dev/zero | tr '\0' '\377' |
  dd of="$WORK/damaged/GHYDYH.gpkg" bs=1 seek=$((size / 2)) conv=notrunc status=none
run layers "$WORK/damaged/GHYDYH.gpkg"
expect_rc 2
expect_err "GHYDYH.gpkg (layer YDYH): GDAL could not read feature"
expect_err "truncated or damaged"
cp "$SAMPLES"/jincheng/KFQ_SZFW.* "$WORK/damaged/"
run check "$WORK/damaged" -o "$WORK/damaged-out"
expect_rc 2
expect_err "truncated or damaged"

# missing paths, unknown options, refused GDAL options
run layers "$WORK/does-not-exist"
expect_rc 2
expect_err "does-not-exist: no such file or folder"
run layers --bogus "$IO"
expect_rc 2
expect_err "unknown option '--bogus'"
run layers --config SHAPE_RESTORE_SHX YES "$IO/kfq_no_shx.shp"
expect_rc 2
expect_err "SHAPE_RESTORE_SHX is refused"
run frobnicate
expect_rc 2
expect_err "unknown command 'frobnicate'"

# a PostgreSQL connection that fails: GDAL's reason, and the connection
# string without its password (a CI log is read by many)
run check "$SAMPLES/jincheng/KFQ_SZFW.shp" \
    "PG:host=$WORK/no-server port=5 user=gis password=s3cret-pw dbname=plans" -o "$WORK/pg-out"
expect_rc 2
expect_err "PG:host=$WORK/no-server port=5 user=gis password=*** dbname=plans: cannot open as a vector dataset"
expect_err "PQconnectdb failed"
expect_no_err "s3cret-pw"
expect_no_out "s3cret-pw"
# and as convert's output
run convert "$SAMPLES/jincheng/KFQ_SZFW.shp" -f PostgreSQL \
    "PG:host=$WORK/no-server port=5 user=gis password=s3cret-pw dbname=plans"
expect_rc 2
expect_err "password=*** dbname=plans: GDAL (PostgreSQL) could not write it"
expect_no_err "s3cret-pw"

# nothing above changed a byte of the inputs
after=$(tree_hash "$IO")
CHECKS=$((CHECKS + 1))
[ "$before" = "$after" ] || fail "the input folder changed"
finish
