/*
 * test_io.c - the io module: role detection, CRS arithmetic and coordinate
 * checks, the catalog on real fixture files (encodings, problem counts),
 * the reader handing WKB in the working CRS to GEOS, and the inputs'
 * SHA-256 (checked against sha256sum), in the background too.
 */
#define _XOPEN_SOURCE 700 /* mkdtemp, popen */

#include "test_common.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cpl_error.h>
#include <geos_c.h>

#include "hegui/check.h"
#include "hegui/geom.h"
#include "hegui/io.h"
#include "io/hash_internal.h"
#include "io/io_internal.h"

#define IO_DATA HEGUI_TESTDATA "/io"

/* --- role detection --- */

typedef struct role_case {
    const char *path;
    const char *layer;
    const char *fields[4];
    hegui_role expected;
    const char *reason_part;
} role_case;

static const role_case role_cases[] = {
    {"d/SXSX.gpkg", "YJJBNTBHTB", {NULL}, HEGUI_ROLE_FARMLAND, "YJJBNT"},
    {"d/SXSX.gpkg", "STBHHX", {NULL}, HEGUI_ROLE_REDLINE, "STBHHX"},
    {"d/SXSX.gpkg", "CZKFBJ", {NULL}, HEGUI_ROLE_URBAN_BOUNDARY, "CZKFBJ"},
    {"d/KFQ_SZFW.shp", "KFQ_SZFW", {NULL}, HEGUI_ROLE_ZONES, "KFQ"},
    {"d/GHYDYH.gpkg", "YDYH", {NULL}, HEGUI_ROLE_LANDUSE, "YDYH"},
    {"d/QY.shp", "QY", {NULL}, HEGUI_ROLE_ENTERPRISES, "QY"},
    {"d/ZXCQ.gpkg", "ZXCQ", {NULL}, HEGUI_ROLE_URBAN_AREA, "ZXCQ"},
    {"d/晋城市永久基本农田.shp", "晋城市永久基本农田", {NULL}, HEGUI_ROLE_FARMLAND, "永久基本农田"},
    {"d/生态保护红线2023.gpkg", "hx", {NULL}, HEGUI_ROLE_REDLINE, "file name"},
    {"d/开发区四至范围.shp", "开发区四至范围", {NULL}, HEGUI_ROLE_ZONES, "开发区"},
    {"d/城镇开发边界.shp", "城镇开发边界", {NULL}, HEGUI_ROLE_URBAN_BOUNDARY, "城镇开发边界"},
    {"d/自然保护地.shp", "自然保护地", {NULL}, HEGUI_ROLE_EXCLUSION, "自然保护地"},
    /* lower case works; codes match whole tokens only */
    {"d/kfq_2024.shp", "kfq_2024", {NULL}, HEGUI_ROLE_ZONES, "KFQ"},
    {"d/QYXX.shp", "QYXX", {NULL}, HEGUI_ROLE_NONE, "no layer name"},
    {"d/roads.shp", "roads", {NULL}, HEGUI_ROLE_NONE, "no layer name"},
    /* fields decide when names say nothing */
    {"d/a.gpkg", "layer1", {"KFQDM", "KFQMC", NULL}, HEGUI_ROLE_ZONES, "KFQDM"},
    {"d/b.gpkg", "layer2", {"ydyhfldm", NULL}, HEGUI_ROLE_LANDUSE, "YDYHFLDM"},
    {"d/c.gpkg", "layer3", {"QYMC", "HYDM", NULL}, HEGUI_ROLE_ENTERPRISES, "QYMC"},
    {"d/c.gpkg", "layer4", {"QYMC", NULL}, HEGUI_ROLE_NONE, "no layer name"},
};

static void test_io_role_detect_table(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(role_cases) / sizeof(role_cases[0]); i++) {
        const role_case *c = &role_cases[i];
        char reason[256], label[64];
        size_t nf = 0;
        hegui_role got;
        while (nf < 4 && c->fields[nf])
            nf++;
        got = io_role_detect(c->path, c->layer, c->fields, nf, reason, sizeof(reason), label,
                             sizeof(label));
        if (got != c->expected)
            fail_msg("case %zu (%s): role %s, expected %s (%s)", i, c->layer,
                     hegui_role_name(got), hegui_role_name(c->expected), reason);
        assert_contains(reason, c->reason_part);
    }
}

static void test_io_role_exclusion_label(void **state)
{
    char reason[256], label[64];
    (void)state;
    assert_int_equal(io_role_detect("x/饮用水水源保护区.shp", "饮用水水源保护区", NULL, 0, reason,
                                    sizeof(reason), label, sizeof(label)),
                     HEGUI_ROLE_EXCLUSION);
    assert_string_equal(label, "饮用水水源保护区");
}

/* --- CRS arithmetic (DOMAIN.md 3) --- */

static void test_io_crs_gk_epsg(void **state)
{
    (void)state;
    /* Jincheng: 3-degree zone 38 */
    assert_int_equal(hegui_crs_gk_epsg(HEGUI_DATUM_CGCS2000, 3, 38, true), 4526);
    assert_int_equal(hegui_crs_gk_epsg(HEGUI_DATUM_CGCS2000, 3, 38, false), 4547);
    assert_int_equal(hegui_crs_gk_epsg(HEGUI_DATUM_CGCS2000, 3, 25, true), 4513);
    assert_int_equal(hegui_crs_gk_epsg(HEGUI_DATUM_CGCS2000, 3, 45, false), 4554);
    assert_int_equal(hegui_crs_gk_epsg(HEGUI_DATUM_CGCS2000, 6, 13, true), 4491);
    assert_int_equal(hegui_crs_gk_epsg(HEGUI_DATUM_CGCS2000, 6, 23, false), 4512);
    assert_int_equal(hegui_crs_gk_epsg(HEGUI_DATUM_XIAN80, 3, 38, true), 2362);
    assert_int_equal(hegui_crs_gk_epsg(HEGUI_DATUM_XIAN80, 3, 38, false), 2383);
    assert_int_equal(hegui_crs_gk_epsg(HEGUI_DATUM_BEIJING54, 3, 38, true), 2414);
    assert_int_equal(hegui_crs_gk_epsg(HEGUI_DATUM_BEIJING54, 3, 38, false), 2435);
    assert_int_equal(hegui_crs_gk_epsg(HEGUI_DATUM_CGCS2000, 3, 24, true), 0);
    assert_int_equal(hegui_crs_gk_epsg(HEGUI_DATUM_CGCS2000, 6, 24, true), 0);
    assert_int_equal(hegui_crs_gk3_zone(112.87), 38);
    assert_int_equal(hegui_crs_gk3_zone(112.49), 37);
    assert_int_equal(hegui_crs_gk3_zone(112.5), 38);
    assert_int_equal(hegui_crs_gk6_zone(112.87), 19);
}

/* The EPSG database agrees with our arithmetic for every CGCS2000 zone. */
static void test_io_crs_describe_matches_epsg(void **state)
{
    int zone;
    (void)state;
    for (zone = 25; zone <= 45; zone++) {
        hegui_crs_info info;
        char def[16];
        snprintf(def, sizeof(def), "EPSG:%d", 4488 + zone);
        assert_int_equal(hegui_crs_describe(&info, def), HEGUI_OK);
        assert_int_equal(info.datum, HEGUI_DATUM_CGCS2000);
        assert_int_equal(info.gk_zone, zone);
        assert_true(info.prefixed);
        assert_double_near(info.central_meridian, 3.0 * zone, 1e-9);
        snprintf(def, sizeof(def), "EPSG:%d", 4509 + zone);
        assert_int_equal(hegui_crs_describe(&info, def), HEGUI_OK);
        assert_false(info.prefixed);
        assert_int_equal(info.gk_width, 3);
    }
}

/* An ESRI .prj text without authority codes is still recognised. */
static void test_io_crs_describe_esri_prj(void **state)
{
    hegui_crs_info info;
    const char *prj =
        "PROJCS[\"CGCS2000_3_Degree_GK_CM_114E\",GEOGCS[\"GCS_China_Geodetic_Coordinate_System_"
        "2000\",DATUM[\"D_China_2000\",SPHEROID[\"CGCS2000\",6378137.0,298.257222101]],PRIMEM["
        "\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Gauss_Kruger\"],"
        "PARAMETER[\"False_Easting\",500000.0],PARAMETER[\"False_Northing\",0.0],PARAMETER["
        "\"Central_Meridian\",114.0],PARAMETER[\"Scale_Factor\",1.0],PARAMETER[\"Latitude_Of_"
        "Origin\",0.0],UNIT[\"Meter\",1.0]]";
    (void)state;
    assert_int_equal(hegui_crs_describe(&info, prj), HEGUI_OK);
    assert_int_equal(info.epsg, 4547);
    assert_int_equal(info.datum, HEGUI_DATUM_CGCS2000);
    assert_int_equal(info.gk_zone, 38);
    assert_false(info.prefixed);
    assert_int_equal(hegui_crs_describe(&info, "EPSG:not-a-code"), HEGUI_ECRS);
    assert_contains(hegui_error_last(), "EPSG:not-a-code");
}

typedef struct coord_case {
    const char *crs;    /* NULL: no CRS */
    double extent[4];
    hegui_coord_issue issue;
    int suggested;
} coord_case;

static const coord_case coord_cases[] = {
    /* consistent */
    {"EPSG:4526", {38397322, 3931200, 38398922, 3931700}, HEGUI_COORD_OK, 0},
    {"EPSG:4547", {397322, 3931200, 398922, 3931700}, HEGUI_COORD_OK, 0},
    {"EPSG:4490", {112.8, 35.4, 112.9, 35.6}, HEGUI_COORD_OK, 0},
    /* prefixed eastings under the CM 114E (no prefix) CRS */
    {"EPSG:4547", {38397322, 3931200, 38398922, 3931700}, HEGUI_COORD_PREFIX_UNDECLARED, 4526},
    /* plain eastings under the prefixed CRS */
    {"EPSG:4526", {397322, 3931200, 398922, 3931700}, HEGUI_COORD_PREFIX_MISSING, 4547},
    /* prefix 37 under zone 38 */
    {"EPSG:4526", {37597322, 3931200, 37598922, 3931700}, HEGUI_COORD_ZONE_MISMATCH, 4525},
    /* northing first, prefixed easting second */
    {"EPSG:4526", {3931200, 38397322, 3931700, 38398922}, HEGUI_COORD_SWAPPED, 4526},
    /* metres under a geographic CRS */
    {"EPSG:4490", {38397322, 3931200, 38398922, 3931700}, HEGUI_COORD_PROJECTED_AS_GEOGRAPHIC,
     4526},
    /* degrees under a projected CRS */
    {"EPSG:4547", {112.8, 35.4, 112.9, 35.6}, HEGUI_COORD_GEOGRAPHIC_AS_PROJECTED, 4490},
    /* Xian 1980 keeps its datum in the suggestion */
    {"EPSG:2383", {38397322, 3931200, 38398922, 3931700}, HEGUI_COORD_PREFIX_UNDECLARED, 2362},
    /* no CRS: suggestion from digits */
    {NULL, {38397322, 3931200, 38398922, 3931700}, HEGUI_COORD_UNKNOWN, 4526},
    {NULL, {112.8, 35.4, 112.9, 35.6}, HEGUI_COORD_UNKNOWN, 4490},
};

static void test_io_crs_check_coords_table(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(coord_cases) / sizeof(coord_cases[0]); i++) {
        const coord_case *c = &coord_cases[i];
        hegui_crs_info info;
        hegui_coord_check check;
        if (c->crs)
            assert_int_equal(hegui_crs_describe(&info, c->crs), HEGUI_OK);
        hegui_crs_check_coords(&check, c->crs ? &info : NULL, c->extent);
        if (check.issue != c->issue || check.suggested_epsg != c->suggested)
            fail_msg("case %zu (%s): issue %s suggested %d, expected %s %d (%s)", i,
                     c->crs ? c->crs : "none", hegui_coord_issue_name(check.issue),
                     check.suggested_epsg, hegui_coord_issue_name(c->issue), c->suggested,
                     check.message);
        if (c->issue != HEGUI_COORD_OK && c->suggested) {
            char epsg[32];
            snprintf(epsg, sizeof(epsg), "EPSG:%d", c->suggested);
            assert_contains(check.message, epsg);
        }
    }
}

/* --- WKB --- */

static void test_io_wkb_scan_nonfinite(void **state)
{
    /* LINESTRING (1 2, NaN 3) little-endian */
    unsigned char wkb[9 + 32];
    double pts[4] = {1.0, 2.0, NAN, 3.0};
    uint32_t type = 2, n = 2;
    hegui_wkb_stats st;
    (void)state;
    wkb[0] = 1;
    memcpy(wkb + 1, &type, 4);
    memcpy(wkb + 5, &n, 4);
    memcpy(wkb + 9, pts, 32);
    assert_int_equal(hegui_wkb_scan(&st, wkb, sizeof(wkb)), HEGUI_OK);
    assert_int_equal(st.points, 2);
    assert_int_equal(st.nonfinite, 1);
    /* truncated blobs are refused, never read past the end */
    assert_int_equal(hegui_wkb_scan(&st, wkb, sizeof(wkb) - 1), HEGUI_EINPUT);
    n = 1000000;
    memcpy(wkb + 5, &n, 4);
    assert_int_equal(hegui_wkb_scan(&st, wkb, sizeof(wkb)), HEGUI_EINPUT);
}

/* Appends a linestring of n points (x, y pairs) as WKB, little- or
 * big-endian, at p; returns the end. */
static unsigned char *put_linestring(unsigned char *p, const double *xy, uint32_t n, int little)
{
    uint32_t type = 2, k;
    unsigned char raw[8];
    *p++ = (unsigned char)little;
    for (k = 0; k < 4; k++)
        *p++ = (unsigned char)(little ? (type >> (8 * k)) : (type >> (8 * (3 - k))));
    for (k = 0; k < 4; k++)
        *p++ = (unsigned char)(little ? (n >> (8 * k)) : (n >> (8 * (3 - k))));
    for (k = 0; k < 2 * n; k++) {
        int b;
        memcpy(raw, &xy[k], 8);
        for (b = 0; b < 8; b++)
            *p++ = raw[little ? b : 7 - b];
    }
    return p;
}

/* The envelope and counts of a multi-part geometry: a finite part, a part
 * with a NaN (its finite point still counts in the envelope) and a
 * big-endian part. */
static void test_io_wkb_scan_envelope(void **state)
{
    const double a[] = {1, 2, 5, -3, 4, 0}, b[] = {NAN, 0, 7, 9}, c[] = {-2, 1};
    unsigned char wkb[9 + 3 * 9 + 16 * 6], *p = wkb;
    uint32_t type = 5, n = 3; /* MULTILINESTRING */
    hegui_wkb_stats st;
    (void)state;
    *p++ = 1;
    memcpy(p, &type, 4);
    memcpy(p + 4, &n, 4);
    p = put_linestring(p + 8, a, 3, 1);
    p = put_linestring(p, b, 2, 1);
    p = put_linestring(p, c, 1, 0);
    assert_int_equal(p - wkb, (long)sizeof(wkb));
    assert_int_equal(hegui_wkb_scan(&st, wkb, sizeof(wkb)), HEGUI_OK);
    assert_int_equal(st.points, 6);
    assert_int_equal(st.nonfinite, 1);
    assert_true(isnan(st.first_bad[0]));
    assert_true(st.envelope[0] == -2);
    assert_true(st.envelope[1] == -3);
    assert_true(st.envelope[2] == 7);
    assert_true(st.envelope[3] == 9);
    /* the first part alone, whose points are all finite */
    p = put_linestring(wkb, a, 3, 1);
    assert_int_equal(hegui_wkb_scan(&st, wkb, (size_t)(p - wkb)), HEGUI_OK);
    assert_int_equal(st.points, 3);
    assert_int_equal(st.nonfinite, 0);
    assert_true(st.envelope[0] == 1);
    assert_true(st.envelope[1] == -3);
    assert_true(st.envelope[2] == 5);
    assert_true(st.envelope[3] == 2);
}

/* Z and ZM runs (3 and 4 ordinates a point): the envelope is x and y
 * alone, the extremes on odd and even points and on the last; a NaN in z
 * or m alone makes the point non-finite. */
static void test_io_wkb_scan_dims(void **state)
{
    static const struct {
        uint32_t type, dims;
    } kinds[] = {{1002, 3}, {2002, 3}, {3002, 4}};
    const double x[] = {3, -1, 8, 2, 0}, y[] = {4, 6, -2, 1, -5};
    size_t k, i, d;
    (void)state;
    for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        unsigned char wkb[9 + 5 * 32], *p = wkb;
        uint32_t n = 5;
        size_t size = 9 + 5 * 8 * kinds[k].dims;
        hegui_wkb_stats st;
        *p++ = 1;
        memcpy(p, &kinds[k].type, 4);
        memcpy(p + 4, &n, 4);
        p += 8;
        for (i = 0; i < 5; i++) {
            for (d = 0; d < kinds[k].dims; d++) {
                double v = d == 0 ? x[i] : d == 1 ? y[i] : 1e9 * (double)(d + i);
                memcpy(p, &v, 8);
                p += 8;
            }
        }
        assert_int_equal(hegui_wkb_scan(&st, wkb, size), HEGUI_OK);
        assert_int_equal(st.points, 5);
        assert_int_equal(st.nonfinite, 0);
        assert_true(st.envelope[0] == -1 && st.envelope[1] == -5);
        assert_true(st.envelope[2] == 8 && st.envelope[3] == 6);
        /* the last ordinate (z or m) of the fourth point becomes NaN */
        {
            double nan = NAN;
            memcpy(wkb + 9 + (3 * kinds[k].dims + kinds[k].dims - 1) * 8, &nan, 8);
        }
        assert_int_equal(hegui_wkb_scan(&st, wkb, size), HEGUI_OK);
        assert_int_equal(st.nonfinite, 1);
        assert_true(st.first_bad[0] == 2 && st.first_bad[1] == 1);
        assert_true(st.envelope[0] == -1 && st.envelope[1] == -5);
        assert_true(st.envelope[2] == 8 && st.envelope[3] == 6);
    }
}

/* --- catalog and reader on real files --- */

static const hegui_layer_info *find_layer(const hegui_catalog *cat, const char *name)
{
    size_t i;
    for (i = 0; i < cat->count; i++) {
        if (strcmp(cat->layers[i].layer_name, name) == 0)
            return &cat->layers[i];
    }
    fail_msg("no layer %s", name);
    return NULL;
}

static void test_io_catalog_encodings(void **state)
{
    const char *paths[] = {IO_DATA "/kfq_gbk_cpg.shp", IO_DATA "/kfq_gbk_nocpg.shp",
                           IO_DATA "/kfq_utf8_nocpg.shp"};
    hegui_catalog *cat = NULL;
    const hegui_layer_info *l;
    (void)state;
    assert_int_equal(hegui_catalog_scan(&cat, paths, 3, NULL, NULL), HEGUI_OK);
    assert_int_equal(cat->count, 3);
    l = find_layer(cat, "kfq_gbk_cpg");
    assert_string_equal(l->encoding, "CP936");
    assert_int_equal(l->crs.epsg, 4526);
    assert_int_equal(l->feature_count, 2);
    assert_int_equal(l->role, HEGUI_ROLE_ZONES);
    l = find_layer(cat, "kfq_gbk_nocpg");
    assert_string_equal(l->encoding, "GB18030");
    assert_int_equal(l->bad_strings, 0);
    l = find_layer(cat, "kfq_utf8_nocpg");
    assert_string_equal(l->encoding, "UTF-8");
    hegui_catalog_free(cat);
}

/* The reader decodes GBK into UTF-8 Chinese, and the geometry reaches GEOS
 * through WKB with its area intact (600 m x 500 m = 300 000 m2). */
static void test_io_reader_gbk_to_geos(void **state)
{
    const char *paths[] = {IO_DATA "/kfq_gbk_nocpg.shp"};
    const char *fields[] = {"QKMC", "KFQDM", "NO_SUCH_FIELD"};
    hegui_catalog *cat = NULL;
    hegui_reader *reader = NULL;
    hegui_geom_ctx *ctx = NULL;
    hegui_feature f;
    void *g = NULL;
    double area = 0;
    (void)state;
    assert_int_equal(hegui_catalog_scan(&cat, paths, 1, NULL, NULL), HEGUI_OK);
    assert_int_equal(hegui_reader_open(&reader, &cat->layers[0], fields, 3, 4547, NULL), HEGUI_OK);
    assert_int_equal(hegui_reader_next(reader, &f), 1);
    assert_string_equal(f.values[0], "主区");
    assert_string_equal(f.values[1], "G141061");
    assert_null(f.values[2]);
    assert_int_equal(f.problems, 0);
    assert_int_equal(hegui_geom_ctx_new(&ctx), HEGUI_OK);
    assert_int_equal(hegui_geom_from_wkb(&g, ctx, f.wkb, f.wkb_size), HEGUI_OK);
    assert_int_equal(GEOSArea_r(hegui_geom_ctx_handle(ctx), g, &area), 1);
    /* 4526 -> 4547 only removes the prefix: the area is unchanged */
    assert_double_near(area, 300000.0, 1e-3);
    {
        double x;
        const GEOSGeometry *ring = GEOSGetExteriorRing_r(hegui_geom_ctx_handle(ctx), g);
        const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(hegui_geom_ctx_handle(ctx), ring);
        GEOSCoordSeq_getX_r(hegui_geom_ctx_handle(ctx), seq, 0, &x);
        assert_double_near(x, 397322.207, 1e-3);
    }
    GEOSGeom_destroy_r(hegui_geom_ctx_handle(ctx), g);
    assert_int_equal(hegui_reader_next(reader, &f), 1);
    assert_string_equal(f.values[0], "巴公工业园区");
    assert_int_equal(hegui_reader_next(reader, &f), 0);
    assert_int_equal(hegui_reader_count(reader), 2);
    hegui_reader_close(reader);
    hegui_geom_ctx_free(ctx);
    hegui_catalog_free(cat);
}

/* Every feature of layer read twice, feature by feature (hegui_reader_open,
 * no reprojection) and through GeoPackage's Arrow stream (the native
 * reader): the same FIDs, WKB bytes, text values and problem flags. */
static void compare_arrow(const hegui_layer_info *layer, const char *const *fields, size_t n,
                          int64_t expected, bool streams)
{
    hegui_reader *plain = NULL, *arrow = NULL;
    hegui_feature a, b;
    int64_t count = 0;
    int ra, rb;
    size_t k;
    assert_int_equal(hegui_reader_open(&plain, layer, fields, n, 0, NULL), HEGUI_OK);
    assert_int_equal(hegui_reader_open_native(&arrow, layer, fields, n, 0, NULL), HEGUI_OK);
    assert_int_equal(hegui_reader_uses_arrow(arrow), streams);
    assert_false(hegui_reader_uses_arrow(plain));
    for (;;) {
        ra = hegui_reader_next(plain, &a);
        rb = hegui_reader_next(arrow, &b);
        assert_int_equal(ra, rb);
        if (ra != 1)
            break;
        count++;
        assert_int_equal(a.fid, b.fid);
        assert_int_equal(a.problems, b.problems);
        assert_int_equal(a.wkb_size, b.wkb_size);
        if (a.wkb_size)
            assert_memory_equal(a.wkb, b.wkb, a.wkb_size);
        for (k = 0; k < n; k++) {
            if (!a.values[k])
                assert_null(b.values[k]);
            else
                assert_string_equal(a.values[k], b.values[k]);
        }
    }
    assert_int_equal(ra, 0);
    assert_int_equal(count, expected);
    hegui_reader_close(plain);
    hegui_reader_close(arrow);
}

/* Features of layer matching where, counted by GDAL itself. */
static int64_t count_where(const hegui_layer_info *layer, const char *where)
{
    GDALDatasetH ds = GDALOpenEx(layer->path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    OGRLayerH l;
    int64_t n;
    assert_non_null(ds);
    l = GDALDatasetGetLayerByName(ds, layer->layer_name);
    assert_non_null(l);
    assert_int_equal(OGR_L_SetAttributeFilter(l, where), OGRERR_NONE);
    n = OGR_L_GetFeatureCount(l, TRUE);
    GDALClose(ds);
    assert_true(n > 0 && n < layer->feature_count);
    return n;
}

static void test_io_reader_arrow_same_features(void **state)
{
    const char *paths[] = {IO_DATA "/kfq_problems.gpkg", HEGUI_SAMPLES "/jincheng/SXSX.gpkg",
                           HEGUI_SAMPLES "/jincheng/GHYDYH.gpkg"};
    static const char *const zone_fields[] = {"KFQDM", "KFQMC", "NOSUCHFIELD"};
    static const char *const real_fields[] = {"KFQDM", "QKMJ"}; /* a number: no stream */
    static const char *const red_fields[] = {"HXBM", "HXMC", "HXLX"};
    static const char *const land_fields[] = {"YDYHFLDM", "YDYHFLMC"};
    hegui_catalog *cat = NULL;
    size_t i, compared = 0;
    (void)state;
    assert_int_equal(hegui_catalog_scan(&cat, paths, 3, NULL, NULL), HEGUI_OK);
    for (i = 0; i < cat->count; i++) {
        const hegui_layer_info *l = &cat->layers[i];
        if (strcmp(l->layer_name, "KFQ") == 0) {
            compare_arrow(l, zone_fields, 3, l->feature_count, true);
            compare_arrow(l, real_fields, 2, l->feature_count, false);
            compared++;
        } else if (l->role == HEGUI_ROLE_REDLINE) {
            compare_arrow(l, red_fields, 3, l->feature_count, true), compared++;
        } else if (l->role == HEGUI_ROLE_LANDUSE) {
            /* and with an attribute filter, which the stream honours too */
            hegui_layer_spec spec;
            hegui_layer_info filtered = *l;
            compare_arrow(l, land_fields, 2, l->feature_count, true), compared++;
            memset(&spec, 0, sizeof(spec));
            spec.where = "YDYHFLDM LIKE '01%'";
            filtered.spec = &spec;
            compare_arrow(&filtered, land_fields, 2, count_where(l, spec.where), true);
        }
    }
    assert_int_equal(compared, 3);
    hegui_catalog_free(cat);
}

/* The envelope of f's geometry transformed by to (on a copy: the WKB is the
 * reader's, possibly inside GDAL's batch). */
static void transformed_envelope(hegui_transform *to, const hegui_feature *f, double env[4])
{
    unsigned char *copy = malloc(f->wkb_size);
    hegui_wkb_stats st;
    assert_non_null(copy);
    memcpy(copy, f->wkb, f->wkb_size);
    assert_int_equal(hegui_transform_wkb(to, copy, f->wkb_size), HEGUI_OK);
    assert_int_equal(hegui_wkb_scan(&st, copy, f->wkb_size), HEGUI_OK);
    memcpy(env, st.envelope, 4 * sizeof(double));
    free(copy);
}

/* A focused native reader flags the features whose envelope cannot meet
 * the focus box (HEGUI_FEATURE_FAR, no WKB, no values), and only those:
 * each flagged feature's envelope, read without focus, lies away from the
 * box; every other feature has the WKB and the value (of the layer's first
 * field) it has without focus. */
static void check_far(const hegui_layer_info *layer, int epsg)
{
    hegui_reader *plain = NULL, *focused = NULL;
    hegui_transform *to = NULL, *near = NULL;
    hegui_feature a, b;
    const char *const *field = (const char *const *)layer->fields;
    double box[4] = {0, 0, 0, 0};
    size_t far = 0, kept = 0;
    int got;
    assert_true(layer->field_count >= 1);
    /* the box: the first feature's envelope in the working CRS */
    assert_int_equal(hegui_transform_new(&to, layer, epsg), HEGUI_OK);
    assert_int_equal(hegui_reader_open_native(&plain, layer, NULL, 0, epsg, NULL), HEGUI_OK);
    assert_int_equal(hegui_reader_next(plain, &a), 1);
    transformed_envelope(to, &a, box);
    hegui_reader_close(plain);
    assert_int_equal(hegui_transform_new(&near, layer, epsg), HEGUI_OK);
    assert_int_equal(hegui_transform_focus(near, box, 1, 10.0), HEGUI_OK);
    assert_int_equal(hegui_reader_open_native(&plain, layer, field, 1, epsg, NULL), HEGUI_OK);
    assert_int_equal(hegui_reader_open_native(&focused, layer, field, 1, epsg, NULL), HEGUI_OK);
    hegui_reader_set_focus(focused, near);
    while ((got = hegui_reader_next(plain, &a)) == 1) {
        assert_int_equal(hegui_reader_next(focused, &b), 1);
        assert_int_equal(a.fid, b.fid);
        if (b.problems & HEGUI_FEATURE_FAR) {
            double env[4];
            far++;
            assert_null(b.wkb);
            assert_null(b.values);
            assert_int_equal(b.value_count, 0);
            transformed_envelope(to, &a, env);
            assert_true(env[0] > box[2] + 10 || env[2] < box[0] - 10 || env[1] > box[3] + 10 ||
                        env[3] < box[1] - 10);
        } else {
            kept++;
            assert_int_equal(a.wkb_size, b.wkb_size);
            assert_int_equal(b.value_count, 1);
            assert_non_null(a.values[0]);
            assert_string_equal(a.values[0], b.values[0]);
        }
    }
    assert_int_equal(got, 0);
    assert_true(kept >= 1 && far >= 1);
    hegui_reader_close(plain);
    hegui_reader_close(focused);
    hegui_transform_free(to);
    hegui_transform_free(near);
}

static void test_io_reader_focus_far(void **state)
{
    const char *paths[] = {HEGUI_SAMPLES "/jincheng/SXSX.gpkg", HEGUI_SAMPLES "/jincheng/GHYDYH.gpkg",
                           HEGUI_SAMPLES "/jincheng/QY.shp"};
    hegui_catalog *cat = NULL;
    size_t i, checked = 0;
    (void)state;
    assert_int_equal(hegui_catalog_scan(&cat, paths, 3, NULL, NULL), HEGUI_OK);
    for (i = 0; i < cat->count; i++) {
        const hegui_layer_info *l = &cat->layers[i];
        /* reprojected (EPSG:4490 red line), same CRS (land use, Arrow) and
         * feature by feature (enterprises, a shapefile in EPSG:4547) */
        if (l->role == HEGUI_ROLE_REDLINE || l->role == HEGUI_ROLE_LANDUSE ||
            l->role == HEGUI_ROLE_ENTERPRISES) {
            check_far(l, 4526);
            checked++;
        }
    }
    assert_int_equal(checked, 3);
    hegui_catalog_free(cat);
}

/* NULL, empty and non-finite geometries are counted in the catalog and
 * flagged by the reader; the non-finite one never reaches GEOS. */
static void test_io_reader_problem_geometries(void **state)
{
    const char *paths[] = {IO_DATA "/kfq_problems.gpkg"};
    hegui_catalog *cat = NULL;
    hegui_reader *reader = NULL;
    hegui_geom_ctx *ctx = NULL;
    hegui_feature f;
    unsigned seen = 0;
    int rc;
    (void)state;
    assert_int_equal(hegui_catalog_scan(&cat, paths, 1, NULL, NULL), HEGUI_OK);
    assert_int_equal(cat->layers[0].feature_count, 5);
    assert_int_equal(cat->layers[0].null_geometries, 1);
    assert_int_equal(cat->layers[0].empty_geometries, 1);
    assert_int_equal(cat->layers[0].nonfinite_geometries, 1);
    assert_int_equal(hegui_geom_ctx_new(&ctx), HEGUI_OK);
    assert_int_equal(hegui_reader_open(&reader, &cat->layers[0], NULL, 0, 0, NULL), HEGUI_OK);
    while ((rc = hegui_reader_next(reader, &f)) == 1) {
        seen |= f.problems;
        if (f.problems & HEGUI_FEATURE_NONFINITE) {
            void *g = NULL;
            assert_int_equal(hegui_geom_from_wkb(&g, ctx, f.wkb, f.wkb_size), HEGUI_EGEOM);
            assert_contains(hegui_error_last(), "non-finite");
            assert_null(g);
        }
    }
    assert_int_equal(rc, 0);
    assert_int_equal(seen, HEGUI_FEATURE_NULL_GEOMETRY | HEGUI_FEATURE_EMPTY_GEOMETRY |
                               HEGUI_FEATURE_NONFINITE);
    hegui_reader_close(reader);
    hegui_geom_ctx_free(ctx);
    hegui_catalog_free(cat);
}

/* The working CRS is the zones' projected CRS; with only a geographic
 * zones layer, the no-prefix 3-degree zone of its centre. */
static void test_io_working_crs(void **state)
{
    const char *paths[] = {IO_DATA "/kfq_gbk_cpg.shp"};
    hegui_catalog *cat = NULL;
    hegui_crs_info crs;
    const char *why = NULL;
    (void)state;
    assert_int_equal(hegui_catalog_scan(&cat, paths, 1, NULL, NULL), HEGUI_OK);
    assert_int_equal(hegui_catalog_working_crs(&crs, &why, cat, NULL), HEGUI_OK);
    assert_int_equal(crs.epsg, 4526);
    assert_contains(why, "zones");
    /* pretend the zones were delivered in lon/lat around Jincheng */
    cat->layers[0].crs.geographic = true;
    cat->layers[0].crs.epsg = 4490;
    hegui_free(cat->layers[0].crs_wkt);
    cat->layers[0].crs_wkt = hegui_strdup("EPSG:4490");
    cat->layers[0].extent[0] = 112.80;
    cat->layers[0].extent[2] = 112.95;
    cat->layers[0].extent[1] = 35.45;
    cat->layers[0].extent[3] = 35.55;
    assert_int_equal(hegui_catalog_working_crs(&crs, &why, cat, NULL), HEGUI_OK);
    assert_int_equal(crs.epsg, 4547);
    assert_contains(why, "3-degree");
    hegui_catalog_free(cat);
}

/* A working CRS must measure in metres: a geographic or feet one is refused
 * with where it came from (the rules file's line, or -t_srs) and the one the
 * zones would give. */
static void test_io_working_crs_in_metres(void **state)
{
    const char *paths[] = {IO_DATA "/kfq_gbk_cpg.shp"};
    const char *yaml = "version: 1\n# the working CRS\nworking_crs: EPSG:4490\n";
    hegui_catalog *cat = NULL;
    hegui_config *config = NULL;
    hegui_crs_info crs;
    const char *why = NULL;
    (void)state;
    assert_int_equal(hegui_crs_describe(&crs, "EPSG:4526"), HEGUI_OK);
    assert_true(crs.unit_m == 1.0);
    assert_int_equal(hegui_crs_describe(&crs, "EPSG:4490"), HEGUI_OK);
    assert_true(crs.unit_m == 0.0);
    assert_int_equal(hegui_crs_describe(&crs, "EPSG:2263"), HEGUI_OK); /* US survey feet */
    assert_true(fabs(crs.unit_m - 1200.0 / 3937.0) < 1e-12);

    assert_int_equal(hegui_catalog_scan(&cat, paths, 1, NULL, NULL), HEGUI_OK);
    assert_int_equal(hegui_config_parse(&config, yaml, strlen(yaml), "rules.yaml"), HEGUI_OK);
    assert_int_equal(config->working_crs_line, 3);
    assert_int_equal(hegui_catalog_working_crs(&crs, &why, cat, config), HEGUI_ECRS);
    assert_contains(hegui_error_last(), "rules.yaml:3: working_crs: EPSG:4490");
    assert_contains(hegui_error_last(), "is geographic (degrees)");
    assert_contains(hegui_error_last(), "e.g. EPSG:4526");
    /* -t_srs replaces it, and is named as the source */
    assert_int_equal(hegui_config_set_working_crs(config, "EPSG:2263"), HEGUI_OK);
    assert_int_equal(config->working_crs_line, 0);
    assert_int_equal(hegui_catalog_working_crs(&crs, &why, cat, config), HEGUI_ECRS);
    assert_contains(hegui_error_last(), "-t_srs: EPSG:2263");
    assert_contains(hegui_error_last(), "in units of 0.3048");
    assert_int_equal(hegui_config_set_working_crs(config, "EPSG:4527"), HEGUI_OK);
    assert_int_equal(hegui_catalog_working_crs(&crs, &why, cat, config), HEGUI_OK);
    assert_int_equal(crs.epsg, 4527);
    assert_string_equal(why, "given with -t_srs");
    /* NULL derives it from the zones again */
    assert_int_equal(hegui_config_set_working_crs(config, NULL), HEGUI_OK);
    assert_int_equal(hegui_catalog_working_crs(&crs, &why, cat, config), HEGUI_OK);
    assert_int_equal(crs.epsg, 4526);
    /* zones in feet are not taken as the working CRS: the GK zone of their
     * centre is */
    cat->layers[0].crs.unit_m = 0.3048;
    assert_int_equal(hegui_catalog_working_crs(&crs, &why, cat, config), HEGUI_OK);
    assert_int_equal(crs.epsg, 4547); /* zone 38 without the prefix */
    assert_contains(why, "3-degree");
    hegui_config_free(config);
    hegui_catalog_free(cat);
}

static void test_io_missing_prj_needs_srs(void **state)
{
    const char *paths[] = {IO_DATA "/kfq_no_prj.shp"};
    hegui_catalog *cat = NULL;
    hegui_open_options opt;
    (void)state;
    memset(&opt, 0, sizeof(opt));
    assert_int_equal(hegui_catalog_scan(&cat, paths, 1, &opt, NULL), HEGUI_ECRS);
    assert_null(cat);
    assert_contains(hegui_error_last(), "no coordinate system");
    opt.assign_srs = "EPSG:4526";
    assert_int_equal(hegui_catalog_scan(&cat, paths, 1, &opt, NULL), HEGUI_OK);
    assert_true(cat->layers[0].crs_assigned);
    assert_int_equal(cat->layers[0].crs.epsg, 4526);
    hegui_catalog_free(cat);
}

/* --- dataset hashes (hash.c), checked against coreutils' sha256sum --- */

typedef struct hash_dir {
    char path[64];
} hash_dir;

static int hash_dir_setup(void **state)
{
    hash_dir *d = calloc(1, sizeof(*d));
    if (!d)
        return -1;
    strcpy(d->path, "/tmp/hegui-hash-XXXXXX");
    if (!mkdtemp(d->path)) {
        free(d);
        return -1;
    }
    *state = d;
    return 0;
}

static int hash_dir_teardown(void **state)
{
    hash_dir *d = *state;
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s' && rm -rf '%s'", d->path, d->path);
    if (system(cmd) != 0)
        return -1;
    free(d);
    return 0;
}

/* --- reading box by box (hegui_reader_set_passes) --- */

/* The FIDs (shapefile record numbers, < 1 << 20) a native reader hands out,
 * counted in seen[fid], with each one's WKB size in size[fid]; returns how
 * many features came. */
static size_t read_fids(hegui_reader *r, unsigned char *seen, size_t *size)
{
    hegui_feature f;
    size_t n = 0;
    int got;
    while ((got = hegui_reader_next(r, &f)) == 1) {
        assert_true(f.fid >= 0 && f.fid < (1 << 20));
        seen[f.fid]++;
        size[f.fid] = f.wkb_size;
        n++;
    }
    assert_int_equal(got, 0);
    return n;
}

/* Whether g (NULL: no) meets one of count boxes (xmin, ymin, xmax, ymax),
 * as GEOS decides. */
static bool meets_a_box(GEOSContextHandle_t h, const GEOSGeometry *g, const double *boxes,
                        size_t count)
{
    size_t k;
    bool meets = false;
    for (k = 0; g && k < count && !meets; k++) {
        GEOSGeometry *rect = GEOSGeom_createRectangle_r(h, boxes[4 * k], boxes[4 * k + 1],
                                                        boxes[4 * k + 2], boxes[4 * k + 3]);
        meets = GEOSIntersects_r(h, g, rect) == 1;
        GEOSGeom_destroy_r(h, rect);
    }
    return meets;
}

/* Three boxes over extent ext (xmin, ymin, xmax, ymax) into boxes: two
 * that overlap, at the fractions a (x0, y0, x1, y1) and b of the extent,
 * and between them one 5 km beyond its corner that meets nothing. */
static void overlapping_boxes(double boxes[12], const double ext[4], const double a[4],
                              const double b[4])
{
    double w = ext[2] - ext[0], hgt = ext[3] - ext[1];
    const double *f[2] = {a, b};
    int k;
    for (k = 0; k < 2; k++) {
        double *box = boxes + 8 * k;
        box[0] = ext[0] + f[k][0] * w, box[1] = ext[1] + f[k][1] * hgt;
        box[2] = ext[0] + f[k][2] * w, box[3] = ext[1] + f[k][3] * hgt;
    }
    boxes[4] = ext[2] + 5000, boxes[5] = ext[3] + 5000;
    boxes[6] = ext[2] + 6000, boxes[7] = ext[3] + 6000;
}

/* The sample's land use as a shapefile with a .qix index, read over two
 * overlapping boxes with one that meets nothing between them: each feature whose
 * geometry meets a box comes exactly once (GEOS decides which, on the WKB
 * of a plain read), with the WKB a plain read gives it. The same file
 * without its index, the GeoPackage read through the Arrow stream, and a
 * reader already under way stay one plain pass. */
static void test_io_reader_passes(void **state)
{
    const hash_dir *d = *state;
    static const char *const fields[] = {"YDYHFLDM"};
    char cmd[1024], indexed[128], plain_shp[128];
    const char *paths[2];
    hegui_catalog *cat = NULL;
    hegui_reader *r = NULL;
    GEOSContextHandle_t h = GEOS_init_r();
    GEOSGeometry **geoms = calloc(1 << 20, sizeof(*geoms));
    unsigned char *seen = calloc(1 << 20, 1);
    size_t *size = calloc(1 << 20, sizeof(size_t)), *plain_size = calloc(1 << 20, sizeof(size_t));
    double ext[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY}, boxes[12];
    size_t i, total, expected = 0, got;
    hegui_feature f;
    const hegui_layer_info *with = NULL, *without = NULL;
    assert_true(geoms && seen && size && plain_size);
    snprintf(indexed, sizeof(indexed), "%s/indexed/lu.shp", d->path);
    snprintf(plain_shp, sizeof(plain_shp), "%s/plain/lu.shp", d->path);
    snprintf(
        cmd, sizeof(cmd),
        "mkdir -p '%s/indexed' '%s/plain' && ogr2ogr -q -lco ENCODING=UTF-8 -lco SPATIAL_INDEX=YES "
        "'%s' '%s' YDYH && ogr2ogr -q -lco ENCODING=UTF-8 '%s' '%s' YDYH",
        d->path, d->path, indexed, HEGUI_SAMPLES "/jincheng/GHYDYH.gpkg", plain_shp,
        HEGUI_SAMPLES "/jincheng/GHYDYH.gpkg");
    assert_int_equal(system(cmd), 0);
    paths[0] = indexed;
    paths[1] = plain_shp;
    assert_int_equal(hegui_catalog_scan(&cat, paths, 2, NULL, NULL), HEGUI_OK);
    for (i = 0; i < cat->count; i++) {
        if (strcmp(cat->layers[i].path, indexed) == 0)
            with = &cat->layers[i];
        else
            without = &cat->layers[i];
    }
    assert_non_null(with);
    assert_non_null(without);
    assert_int_equal(with->crs.epsg, 4526);

    /* a plain read: every geometry and the layer's extent */
    assert_int_equal(hegui_reader_open_native(&r, with, fields, 1, 4526, NULL), HEGUI_OK);
    total = 0;
    while (hegui_reader_next(r, &f) == 1) {
        hegui_wkb_stats st;
        GEOSWKBReader *wr = GEOSWKBReader_create_r(h);
        assert_true(f.fid >= 0 && f.fid < (1 << 20) && f.wkb);
        geoms[f.fid] = GEOSWKBReader_read_r(h, wr, f.wkb, f.wkb_size);
        GEOSWKBReader_destroy_r(h, wr);
        assert_non_null(geoms[f.fid]);
        plain_size[f.fid] = f.wkb_size;
        assert_int_equal(hegui_wkb_scan(&st, f.wkb, f.wkb_size), HEGUI_OK);
        ext[0] = fmin(ext[0], st.envelope[0]), ext[1] = fmin(ext[1], st.envelope[1]);
        ext[2] = fmax(ext[2], st.envelope[2]), ext[3] = fmax(ext[3], st.envelope[3]);
        total++;
    }
    hegui_reader_close(r);
    assert_int_equal(total, with->feature_count);

    /* two boxes that overlap, and between them one far from everything */
    {
        static const double a[4] = {0.103, 0.117, 0.451, 0.389},
                            b[4] = {0.377, 0.301, 0.633, 0.712};
        overlapping_boxes(boxes, ext, a, b);
    }
    for (i = 0; i < (1 << 20); i++)
        expected += meets_a_box(h, geoms[i], boxes, 3);
    assert_true(expected > 10 && expected < total / 2);

    assert_int_equal(hegui_reader_open_native(&r, with, fields, 1, 4526, NULL), HEGUI_OK);
    assert_int_equal(hegui_reader_set_passes(r, boxes, 3), 1);
    {
        /* the records the .qix gives come in the file's order (box by box,
         * GDAL's spatial filters would give the second box's from its start) */
        int64_t last = -1;
        got = 0;
        while (hegui_reader_next(r, &f) == 1) {
            assert_true(f.fid > last && f.fid < (1 << 20));
            last = f.fid;
            seen[f.fid]++;
            size[f.fid] = f.wkb_size;
            got++;
        }
    }
    hegui_reader_close(r);
    assert_int_equal(got, expected);
    for (i = 0; i < (1 << 20); i++) {
        if (!seen[i])
            continue;
        assert_int_equal(seen[i], 1);
        assert_non_null(geoms[i]);
        assert_int_equal(size[i], plain_size[i]);
        assert_true(meets_a_box(h, geoms[i], boxes, 3));
    }

    /* an attribute filter: GDAL's passes, which apply it (fetching records
     * by FID would not): the same features less those it leaves out */
    {
        hegui_layer_info filtered = *with;
        hegui_layer_spec spec;
        size_t kept = 0;
        unsigned char *again = calloc(1 << 20, 1);
        assert_non_null(again);
        memset(&spec, 0, sizeof(spec));
        spec.where = "YDYHFLDM NOT LIKE '07%'";
        filtered.spec = &spec;
        assert_int_equal(hegui_reader_open_native(&r, &filtered, fields, 1, 4526, NULL), HEGUI_OK);
        assert_int_equal(hegui_reader_set_passes(r, boxes, 3), 1);
        while (hegui_reader_next(r, &f) == 1) {
            assert_true(f.fid >= 0 && f.fid < (1 << 20) && seen[f.fid] == 1);
            assert_int_equal(again[f.fid], 0);
            again[f.fid] = 1;
            assert_non_null(f.values[0]);
            assert_true(strncmp(f.values[0], "07", 2) != 0);
            kept++;
        }
        hegui_reader_close(r);
        assert_true(kept > 0 && kept < got);
        free(again);
    }

    /* no index, a reader under way: one plain pass, every feature */
    memset(seen, 0, 1 << 20);
    assert_int_equal(hegui_reader_open_native(&r, without, fields, 1, 4526, NULL), HEGUI_OK);
    assert_int_equal(hegui_reader_set_passes(r, boxes, 3), 0);
    assert_int_equal(read_fids(r, seen, size), total);
    hegui_reader_close(r);
    assert_int_equal(hegui_reader_open_native(&r, with, fields, 1, 4526, NULL), HEGUI_OK);
    assert_int_equal(hegui_reader_next(r, &f), 1);
    assert_int_equal(hegui_reader_set_passes(r, boxes, 3), 0);
    hegui_reader_close(r);
    hegui_catalog_free(cat);

    /* the GeoPackage, through its Arrow stream */
    paths[0] = HEGUI_SAMPLES "/jincheng/GHYDYH.gpkg";
    assert_int_equal(hegui_catalog_scan(&cat, paths, 1, NULL, NULL), HEGUI_OK);
    assert_int_equal(hegui_reader_open_native(&r, &cat->layers[0], fields, 1, 4526, NULL),
                     HEGUI_OK);
    assert_true(hegui_reader_uses_arrow(r));
    assert_int_equal(hegui_reader_set_passes(r, boxes, 3), 0);
    hegui_reader_close(r);
    hegui_catalog_free(cat);

    for (i = 0; i < (1 << 20); i++) {
        if (geoms[i])
            GEOSGeom_destroy_r(h, geoms[i]);
    }
    GEOS_finish_r(h);
    free(geoms);
    free(seen);
    free(size);
    free(plain_size);
}

/* Reads a GeoPackage layer's features by FID (fid 1..64) with their WKB's
 * envelope, into env[fid] (4 each) and size[fid]; returns how many came,
 * after checking they came in ascending FID order, each once. */
static size_t read_gpkg_fids(hegui_reader *r, double *env, size_t *size, unsigned char *seen)
{
    hegui_feature f;
    int64_t last = 0;
    size_t n = 0;
    int got;
    while ((got = hegui_reader_next(r, &f)) == 1) {
        hegui_wkb_stats st;
        assert_true(f.fid > last && f.fid < 64 && f.wkb);
        last = f.fid;
        assert_int_equal(hegui_wkb_scan(&st, f.wkb, f.wkb_size), HEGUI_OK);
        memcpy(env + 4 * f.fid, st.envelope, 4 * sizeof(double));
        size[f.fid] = f.wkb_size;
        seen[f.fid]++;
        n++;
    }
    assert_int_equal(got, 0);
    return n;
}

/* Whether envelope e comes within tol of one of count boxes. */
static bool envelope_near(const double *e, const double *boxes, size_t count, double tol)
{
    size_t k;
    for (k = 0; k < count; k++) {
        const double *b = boxes + 4 * k;
        if (e[2] >= b[0] - tol && e[0] <= b[2] + tol && e[3] >= b[1] - tol && e[1] <= b[3] + tol)
            return true;
    }
    return false;
}

/* 40 land-use patches with a vertex every 0.25 m (some 100 KB of WKB each,
 * read feature by feature) in a GeoPackage with its R-tree, over two
 * boxes that overlap and one far from everything: the reader asks the
 * R-tree and hands out, once each and in FID order, every feature whose
 * geometry meets a box (GEOS decides, on a plain read's WKB), with a plain
 * read's WKB, and none whose envelope is farther from every box than the
 * R-tree's float rounding (4 m at eastings of 3.8e7). Boxes over the whole
 * layer, an attribute filter and the same layer without its R-tree: one
 * plain pass of all 40. */
static void test_io_reader_rtree(void **state)
{
    const hash_dir *d = *state;
    static const char *const fields[] = {"YDYHFLDM"};
    char cmd[1024], big[128], flat[128];
    const char *path;
    hegui_catalog *cat = NULL, *flat_cat = NULL;
    hegui_reader *r = NULL;
    GEOSContextHandle_t h = GEOS_init_r();
    GEOSGeometry *geoms[64] = {NULL};
    double env[4 * 64], plain_env[4 * 64], ext[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    double boxes[12], whole[8];
    size_t size[64] = {0}, plain_size[64] = {0}, i, meeting = 0, near = 0, got;
    unsigned char seen[64] = {0};
    hegui_feature f;
    const hegui_layer_info *layer;
    snprintf(big, sizeof(big), "%s/big.gpkg", d->path);
    snprintf(flat, sizeof(flat), "%s/flat.gpkg", d->path);
    snprintf(cmd, sizeof(cmd),
             "ogr2ogr -q -limit 40 -segmentize 0.25 '%s' '%s' YDYH && ogr2ogr -q -lco "
             "SPATIAL_INDEX=NO '%s' '%s'",
             big, HEGUI_SAMPLES "/jincheng/GHYDYH.gpkg", flat, big);
    assert_int_equal(system(cmd), 0);
    path = big;
    assert_int_equal(hegui_catalog_scan(&cat, &path, 1, NULL, NULL), HEGUI_OK);
    layer = &cat->layers[0];
    assert_int_equal(layer->feature_count, 40);
    assert_true(layer->geometry_bytes / layer->feature_count > 64 * 1024);

    /* a plain read: every geometry and the layer's extent */
    assert_int_equal(hegui_reader_open_native(&r, layer, fields, 1, 4526, NULL), HEGUI_OK);
    assert_false(hegui_reader_uses_arrow(r));
    assert_int_equal(read_gpkg_fids(r, plain_env, plain_size, seen), 40);
    hegui_reader_close(r);
    for (i = 1; i <= 40; i++) {
        const double *e = plain_env + 4 * i;
        assert_int_equal(seen[i], 1);
        ext[0] = fmin(ext[0], e[0]), ext[1] = fmin(ext[1], e[1]);
        ext[2] = fmax(ext[2], e[2]), ext[3] = fmax(ext[3], e[3]);
    }
    {
        /* the geometries, from a plain read's WKB */
        GEOSWKBReader *wr = GEOSWKBReader_create_r(h);
        assert_int_equal(hegui_reader_open_native(&r, layer, fields, 1, 4526, NULL), HEGUI_OK);
        while (hegui_reader_next(r, &f) == 1)
            geoms[f.fid] = GEOSWKBReader_read_r(h, wr, f.wkb, f.wkb_size);
        hegui_reader_close(r);
        GEOSWKBReader_destroy_r(h, wr);
    }
    {
        static const double a[4] = {0.103, 0.117, 0.351, 0.289},
                            b[4] = {0.277, 0.201, 0.433, 0.412};
        overlapping_boxes(boxes, ext, a, b);
    }
    for (i = 1; i <= 40; i++) {
        assert_non_null(geoms[i]);
        meeting += meets_a_box(h, geoms[i], boxes, 3);
        near += envelope_near(plain_env + 4 * i, boxes, 3, 8.0);
    }
    /* the test's own premise: some meet, and at most 3/4 may come */
    assert_true(meeting >= 3 && near <= 30);

    memset(seen, 0, sizeof(seen));
    assert_int_equal(hegui_reader_open_native(&r, layer, fields, 1, 4526, NULL), HEGUI_OK);
    assert_int_equal(hegui_reader_set_passes(r, boxes, 3), 1);
    got = read_gpkg_fids(r, env, size, seen);
    hegui_reader_close(r);
    assert_true(got >= meeting && got <= near);
    for (i = 1; i <= 40; i++) {
        if (meets_a_box(h, geoms[i], boxes, 3))
            assert_int_equal(seen[i], 1);
        if (!seen[i])
            continue;
        assert_true(envelope_near(plain_env + 4 * i, boxes, 3, 8.0));
        assert_int_equal(size[i], plain_size[i]);
        assert_memory_equal(env + 4 * i, plain_env + 4 * i, 4 * sizeof(double));
    }

    /* boxes over the whole layer: the R-tree would give it all, one pass */
    whole[0] = ext[0], whole[1] = ext[1], whole[2] = (ext[0] + ext[2]) / 2, whole[3] = ext[3];
    whole[4] = (ext[0] + ext[2]) / 2, whole[5] = ext[1], whole[6] = ext[2], whole[7] = ext[3];
    memset(seen, 0, sizeof(seen));
    assert_int_equal(hegui_reader_open_native(&r, layer, fields, 1, 4526, NULL), HEGUI_OK);
    assert_int_equal(hegui_reader_set_passes(r, whole, 2), 0);
    assert_int_equal(read_gpkg_fids(r, env, size, seen), 40);
    hegui_reader_close(r);

    /* an attribute filter, which GetFeature would not apply: one pass */
    {
        hegui_layer_info filtered = *layer;
        hegui_layer_spec spec;
        memset(&spec, 0, sizeof(spec));
        spec.where = "YDYHFLDM NOT LIKE '07%'";
        filtered.spec = &spec;
        assert_int_equal(hegui_reader_open_native(&r, &filtered, fields, 1, 4526, NULL), HEGUI_OK);
        assert_int_equal(hegui_reader_set_passes(r, boxes, 3), 0);
        hegui_reader_close(r);
    }

    /* no R-tree: one pass */
    path = flat;
    assert_int_equal(hegui_catalog_scan(&flat_cat, &path, 1, NULL, NULL), HEGUI_OK);
    memset(seen, 0, sizeof(seen));
    assert_int_equal(hegui_reader_open_native(&r, &flat_cat->layers[0], fields, 1, 4526, NULL),
                     HEGUI_OK);
    assert_int_equal(hegui_reader_set_passes(r, boxes, 3), 0);
    assert_int_equal(read_gpkg_fids(r, env, size, seen), 40);
    hegui_reader_close(r);

    for (i = 0; i < 64; i++) {
        if (geoms[i])
            GEOSGeom_destroy_r(h, geoms[i]);
    }
    GEOS_finish_r(h);
    hegui_catalog_free(flat_cat);
    hegui_catalog_free(cat);
}

/* --- full reads in parts (catalog.c plan_parts) --- */

/* Scans one path with threads readers; files of split_bytes or more are
 * read in parts. */
static hegui_catalog *scan_with(const char *path, int threads, int64_t split_bytes, int want)
{
    hegui_open_options opt;
    hegui_catalog *cat = NULL;
    memset(&opt, 0, sizeof(opt));
    opt.threads = threads;
    opt.split_bytes = split_bytes;
    assert_int_equal(hegui_catalog_scan(&cat, &path, 1, &opt, NULL), want);
    return cat;
}

/* A layer read in parts (a GeoPackage by FID range, a shapefile by
 * position) gives the same counts as read whole. */
static void test_io_catalog_split_read(void **state)
{
    const char *paths[] = {IO_DATA "/kfq_problems.gpkg", IO_DATA "/kfq_gbk_cpg.shp"};
    size_t i;
    (void)state;
    for (i = 0; i < 2; i++) {
        hegui_catalog *whole = scan_with(paths[i], 1, 0, HEGUI_OK);
        hegui_catalog *parts = scan_with(paths[i], 2, 1, HEGUI_OK);
        const hegui_layer_info *a = &whole->layers[0], *b = &parts->layers[0];
        assert_int_equal(b->feature_count, i == 0 ? 5 : 2);
        assert_int_equal(b->feature_count, a->feature_count);
        assert_int_equal(b->null_geometries, a->null_geometries);
        assert_int_equal(b->empty_geometries, a->empty_geometries);
        assert_int_equal(b->nonfinite_geometries, a->nonfinite_geometries);
        assert_int_equal(b->bad_strings, a->bad_strings);
        assert_int_equal(b->geometry_bytes, a->geometry_bytes);
        assert_true(b->geometry_bytes > 0);
        assert_int_equal(a->read_parts, 1);
        assert_int_equal(b->read_parts, 2);
        hegui_catalog_free(whole);
        hegui_catalog_free(parts);
    }
    /* in parts, the truncated shapefile fails on its second feature */
    hegui_catalog_free(scan_with(IO_DATA "/kfq_trunc_shp.shp", 2, 1, HEGUI_EINPUT));
    assert_contains(hegui_error_last(), "feature 2 of 2");
    assert_contains(hegui_error_last(), "truncated or damaged");
}

/* FIDs far from 1..n: the open first and last FID ranges still take every
 * feature exactly once. */
static void test_io_catalog_split_sparse_fids(void **state)
{
    const hash_dir *d = *state;
    const GIntBig fids[] = {2, 7, 8, 1000, 1001, 5000};
    char path[128];
    GDALDriverH drv = GDALGetDriverByName("GPKG");
    GDALDatasetH ds;
    OGRLayerH layer;
    hegui_catalog *cat;
    size_t i;
    snprintf(path, sizeof(path), "%s/sparse.gpkg", d->path);
    ds = GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL);
    assert_non_null(ds);
    layer = GDALDatasetCreateLayer(ds, "sparse", NULL, wkbPolygon, NULL);
    assert_non_null(layer);
    for (i = 0; i < sizeof(fids) / sizeof(fids[0]); i++) {
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(layer));
        OGRGeometryH g = NULL;
        char wkt[128], *p = wkt;
        snprintf(wkt, sizeof(wkt), "POLYGON((%zu 0,%zu 0,%zu 1,%zu 0))", i, i + 1, i, i);
        assert_int_equal(OGR_G_CreateFromWkt(&p, NULL, &g), OGRERR_NONE);
        OGR_F_SetGeometryDirectly(f, g);
        OGR_F_SetFID(f, fids[i]);
        assert_int_equal(OGR_L_CreateFeature(layer, f), OGRERR_NONE);
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    /* read whole, through the stream: a layer with no field at all still
     * has its geometries (GDAL 3.6.2's stream loses them when every
     * attribute is ignored and the FID is not asked for), 6 x 77 bytes */
    cat = scan_with(path, 1, 0, HEGUI_OK);
    assert_int_equal(cat->layers[0].feature_count, 6);
    assert_int_equal(cat->layers[0].read_streamed, 6);
    assert_int_equal(cat->layers[0].empty_geometries, 0);
    assert_int_equal(cat->layers[0].null_geometries, 0);
    assert_int_equal(cat->layers[0].geometry_bytes, 6 * (13 + 16 * 4));
    hegui_catalog_free(cat);
    /* two parts: FID < 4 (one feature) and FID >= 4 (five) */
    cat = scan_with(path, 2, 1, HEGUI_OK);
    assert_int_equal(cat->layers[0].feature_count, 6);
    assert_int_equal(cat->layers[0].read_parts, 2);
    assert_int_equal(cat->layers[0].read_streamed, 6);
    assert_int_equal(cat->layers[0].geometry_bytes, 6 * (13 + 16 * 4));
    hegui_catalog_free(cat);
    /* four parts: FID < 2 (none), [2, 4), [4, 5), >= 5 */
    cat = scan_with(path, 4, 1, HEGUI_OK);
    assert_int_equal(cat->layers[0].feature_count, 6);
    assert_int_equal(cat->layers[0].read_parts, 4);
    hegui_catalog_free(cat);
}

/* Marks record fid of a shapefile's .dbf deleted, as dBASE does: '*' in
 * the record's first byte (header length at byte 8, record length at 10). */
static void mark_deleted(const char *dbf_path, long fid)
{
    FILE *f = fopen(dbf_path, "r+b");
    unsigned char header[12];
    long header_bytes, record_bytes;
    assert_non_null(f);
    assert_int_equal(fread(header, 1, sizeof(header), f), sizeof(header));
    header_bytes = header[8] | header[9] << 8;
    record_bytes = header[10] | header[11] << 8;
    assert_int_equal(fseek(f, header_bytes + fid * record_bytes, SEEK_SET), 0);
    assert_int_equal(fgetc(f), ' ');
    assert_int_equal(fseek(f, header_bytes + fid * record_bytes, SEEK_SET), 0);
    assert_int_not_equal(fputc('*', f), EOF);
    assert_int_equal(fclose(f), 0);
}

/* Whether one note of cat contains a, and b too when b is not NULL. */
static bool noted(const hegui_catalog *cat, const char *a, const char *b)
{
    size_t i;
    for (i = 0; i < cat->note_count; i++) {
        if (strstr(cat->notes[i], a) && (!b || strstr(cat->notes[i], b)))
            return true;
    }
    return false;
}

/* A shapefile edited and never packed: records marked deleted in its .dbf
 * are no features (GDAL's reads skip them, its count has them). Read whole
 * or in parts, the catalog counts the others, says how many were skipped,
 * and tallies the same bytes; the box-by-box reader of its .qix (which
 * would fetch a deleted record by FID, an error in GDAL) hands out the
 * features near the boxes less the deleted ones. */
static void test_io_catalog_deleted_records(void **state)
{
    const hash_dir *d = *state;
    static const char *const fields[] = {"YDYHFLDM"};
    long deleted[] = {-1, 1500, 4335}; /* the first: near the first box */
    char cmd[512], shp[128], dbf[128];
    const char *path = shp;
    hegui_catalog *before = NULL, *whole, *parts;
    hegui_reader *r = NULL;
    hegui_feature f;
    unsigned char *seen = calloc(1 << 20, 1), *again = calloc(1 << 20, 1);
    size_t *size = calloc(1 << 20, sizeof(size_t)), i, k, got = 0;
    double boxes[8];
    int64_t deleted_bytes = 0;
    assert_true(seen && again && size);
    snprintf(shp, sizeof(shp), "%s/lu.shp", d->path);
    snprintf(dbf, sizeof(dbf), "%s/lu.dbf", d->path);
    snprintf(cmd, sizeof(cmd),
             "ogr2ogr -q -lco ENCODING=UTF-8 -lco SPATIAL_INDEX=YES '%s' '%s' YDYH", shp,
             HEGUI_SAMPLES "/jincheng/GHYDYH.gpkg");
    assert_int_equal(system(cmd), 0);
    assert_int_equal(hegui_catalog_scan(&before, &path, 1, NULL, NULL), HEGUI_OK);
    assert_int_equal(before->layers[0].feature_count, 4336);
    assert_int_equal(before->layers[0].deleted_records, 0);

    /* every WKB size, and the first record that a spatial filter on the
     * first box takes from the .qix: it is one of the three to delete */
    {
        const double *e = before->layers[0].extent, w = e[2] - e[0], hgt = e[3] - e[1];
        double b[8] = {e[0] + 0.1 * w, e[1] + 0.1 * hgt, e[0] + 0.5 * w, e[1] + 0.4 * hgt,
                       e[0] + 0.4 * w, e[1] + 0.3 * hgt, e[0] + 0.9 * w, e[1] + 0.8 * hgt};
        memcpy(boxes, b, sizeof(b));
    }
    assert_int_equal(hegui_reader_open_native(&r, &before->layers[0], fields, 1, 4526, NULL),
                     HEGUI_OK);
    assert_int_equal(read_fids(r, seen, size), 4336);
    hegui_reader_close(r);
    assert_int_equal(hegui_reader_open_native(&r, &before->layers[0], fields, 1, 4526, boxes),
                     HEGUI_OK);
    assert_int_equal(hegui_reader_next(r, &f), 1);
    deleted[0] = (long)f.fid;
    got = 1;
    while (hegui_reader_next(r, &f) == 1)
        got++;
    hegui_reader_close(r);
    assert_true(got > 100 && got < 4336 / 2); /* filtered */
    assert_true(deleted[0] != deleted[1] && deleted[0] != deleted[2]);
    for (k = 0; k < 3; k++) {
        mark_deleted(dbf, deleted[k]);
        deleted_bytes += (int64_t)size[deleted[k]];
    }

    whole = scan_with(shp, 1, 0, HEGUI_OK);
    parts = scan_with(shp, 2, 1, HEGUI_OK);
    for (k = 0; k < 2; k++) {
        const hegui_layer_info *l = &(k == 0 ? whole : parts)->layers[0];
        const hegui_catalog *cat = k == 0 ? whole : parts;
        assert_int_equal(l->read_parts, k == 0 ? 1 : 2);
        assert_int_equal(l->feature_count, 4336 - 3);
        assert_int_equal(l->deleted_records, 3);
        assert_int_equal(l->geometry_bytes, before->layers[0].geometry_bytes - deleted_bytes);
        assert_true(noted(cat, "3 records marked deleted in the .dbf are skipped", NULL));
    }
    {
        hegui_catalog *four = scan_with(shp, 4, 1, HEGUI_OK);
        assert_int_equal(four->layers[0].read_parts, 4);
        assert_int_equal(four->layers[0].feature_count, 4336 - 3);
        assert_int_equal(four->layers[0].geometry_bytes, whole->layers[0].geometry_bytes);
        hegui_catalog_free(four);
    }

    /* near the boxes, through a spatial filter or box by box: GDAL's .qix
     * would fetch the deleted records and fail, so one plain pass serves,
     * every feature but the deleted ones, each once */
    for (i = 0; i < 2; i++) {
        memset(again, 0, 1 << 20);
        got = 0;
        assert_int_equal(
            hegui_reader_open_native(&r, &whole->layers[0], fields, 1, 4526, i == 0 ? boxes : NULL),
            HEGUI_OK);
        if (i == 1)
            assert_int_equal(hegui_reader_set_passes(r, boxes, 2), 0);
        while ((k = (size_t)hegui_reader_next(r, &f)) == 1) {
            assert_true(f.fid >= 0 && f.fid < 4336);
            assert_int_equal(again[f.fid], 0);
            again[f.fid] = 1;
            got++;
        }
        if (k != 0)
            fail_msg("%s", hegui_error_last());
        hegui_reader_close(r);
        assert_int_equal(got, 4336 - 3);
        for (k = 0; k < 3; k++)
            assert_int_equal(again[deleted[k]], 0);
    }

    hegui_catalog_free(before);
    hegui_catalog_free(whole);
    hegui_catalog_free(parts);
    free(seen);
    free(again);
    free(size);
}

/* The FIDs that GDAL itself gives for a spatial filter on a Shapefile. */
static void gdal_filter_fids(const char *shp, const OGREnvelope *e, unsigned char *seen)
{
    GDALDatasetH ds = GDALOpenEx(shp, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    OGRLayerH layer;
    OGRFeatureH f;
    assert_non_null(ds);
    layer = GDALDatasetGetLayer(ds, 0);
    OGR_L_SetSpatialFilterRect(layer, e->MinX, e->MinY, e->MaxX, e->MaxY);
    while ((f = OGR_L_GetNextFeature(layer)) != NULL) {
        seen[OGR_F_GetFID(f)] = 1;
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
}

/* Whether hegui's reader, asked for what meets e (EPSG:4526), hands out
 * feature fid of layer. */
static bool reader_hands_out(const hegui_layer_info *layer, const OGREnvelope *e, int64_t fid)
{
    double filter[4] = {e->MinX, e->MinY, e->MaxX, e->MaxY};
    hegui_reader *r = NULL;
    hegui_feature f;
    bool found = false;
    assert_int_equal(hegui_reader_open_native(&r, layer, NULL, 0, 4526, filter), HEGUI_OK);
    while (hegui_reader_next(r, &f) == 1)
        found |= f.fid == fid;
    hegui_reader_close(r);
    return found;
}

/* A spatial index that no longer matches its Shapefile: feature 0 moved
 * onto feature 3000's place by a program that kept the old .qix (older
 * than the .shp now), and a .qix of 4336 records beside a .shp of 4335.
 * GDAL trusts the first and misses feature 0 at its new place; the catalog
 * marks both stale with a note, the reader sets no filter and hands out
 * feature 0 there. A fresh index, written by GDAL just before the .shp's
 * header, is not stale. */
static void test_io_catalog_stale_index(void **state)
{
    const hash_dir *d = *state;
    char cmd[1024], lu[128], moved[128], fewer[128];
    const char *path;
    hegui_catalog *cat = NULL;
    GDALDatasetH ds;
    OGRLayerH layer;
    OGRFeatureH target, first;
    OGREnvelope e;
    unsigned char *seen = calloc(1 << 13, 1);
    assert_non_null(seen);
    snprintf(lu, sizeof(lu), "%s/lu.shp", d->path);
    snprintf(moved, sizeof(moved), "%s/moved.shp", d->path);
    snprintf(fewer, sizeof(fewer), "%s/fewer.shp", d->path);
    snprintf(cmd, sizeof(cmd),
             "ogr2ogr -q -lco ENCODING=UTF-8 -lco SPATIAL_INDEX=YES '%s' '%s' YDYH && "
             "ogr2ogr -q -lco ENCODING=UTF-8 '%s' '%s' && "
             "ogr2ogr -q -lco ENCODING=UTF-8 -where 'FID < 4335' '%s' '%s' && "
             "cp '%s/lu.qix' '%s/fewer.qix'",
             lu, HEGUI_SAMPLES "/jincheng/GHYDYH.gpkg", moved, lu, fewer, lu, d->path, d->path);
    assert_int_equal(system(cmd), 0);

    /* feature 0 takes feature 3000's geometry; the old index comes back,
     * an hour older than the .shp */
    ds = GDALOpenEx(moved, GDAL_OF_VECTOR | GDAL_OF_UPDATE, NULL, NULL, NULL);
    assert_non_null(ds);
    layer = GDALDatasetGetLayer(ds, 0);
    target = OGR_L_GetFeature(layer, 3000);
    first = OGR_L_GetFeature(layer, 0);
    assert_true(target && first);
    OGR_G_GetEnvelope(OGR_F_GetGeometryRef(target), &e);
    OGR_F_SetGeometry(first, OGR_F_GetGeometryRef(target));
    assert_int_equal(OGR_L_SetFeature(layer, first), OGRERR_NONE);
    OGR_F_Destroy(first);
    OGR_F_Destroy(target);
    GDALClose(ds);
    snprintf(cmd, sizeof(cmd), "cp '%s/lu.qix' '%s/moved.qix' && touch -d '-1 hour' '%s/moved.qix'",
             d->path, d->path, d->path);
    assert_int_equal(system(cmd), 0);
    gdal_filter_fids(moved, &e, seen);
    assert_true(seen[3000]);
    assert_false(seen[0]); /* GDAL trusts the stale index */

    path = moved;
    assert_int_equal(hegui_catalog_scan(&cat, &path, 1, NULL, NULL), HEGUI_OK);
    assert_true(cat->layers[0].spatial_index_stale);
    assert_true(noted(cat, "moved.qix is 3", " s older than the .shp"));
    assert_true(reader_hands_out(&cat->layers[0], &e, 0));
    hegui_catalog_free(cat);

    path = fewer;
    assert_int_equal(hegui_catalog_scan(&cat, &path, 1, NULL, NULL), HEGUI_OK);
    assert_int_equal(cat->layers[0].feature_count, 4335);
    assert_true(cat->layers[0].spatial_index_stale);
    assert_true(noted(cat, "fewer.qix indexes 4336 records, the .shp has 4335", NULL));
    hegui_catalog_free(cat);

    path = lu;
    assert_int_equal(hegui_catalog_scan(&cat, &path, 1, NULL, NULL), HEGUI_OK);
    assert_false(cat->layers[0].spatial_index_stale);
    assert_false(noted(cat, "spatial index", NULL));
    hegui_catalog_free(cat);
    free(seen);
}

/* A GeoPackage R-tree that lacks a feature (its row deleted, as by a
 * program that wrote the layer with the triggers dropped): GDAL's spatial
 * filter misses the feature; the catalog marks the layer stale with a note
 * naming the counts, and the reader sets no filter and hands the feature
 * out. An intact R-tree is not stale, nor is it under a rules-file where
 * filter (the catalog then counts fewer features than the R-tree lists). */
static void test_io_catalog_stale_rtree(void **state)
{
    const hash_dir *d = *state;
    char stale[128], intact[128], rules[128], cmd[512];
    const char *path;
    hegui_catalog *cat = NULL;
    hegui_config *config = NULL;
    GDALDatasetH ds;
    OGRLayerH layer;
    OGRFeatureH target;
    OGREnvelope e;
    unsigned char *seen = calloc(1 << 13, 1);
    FILE *out;
    size_t i;
    assert_non_null(seen);
    snprintf(stale, sizeof(stale), "%s/stale.gpkg", d->path);
    snprintf(intact, sizeof(intact), "%s/intact.gpkg", d->path);
    snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && cp '%s' '%s'",
             HEGUI_SAMPLES "/jincheng/GHYDYH.gpkg", stale, HEGUI_SAMPLES "/jincheng/GHYDYH.gpkg",
             intact);
    assert_int_equal(system(cmd), 0);

    ds = GDALOpenEx(stale, GDAL_OF_VECTOR | GDAL_OF_UPDATE, NULL, NULL, NULL);
    assert_non_null(ds);
    layer = GDALDatasetGetLayer(ds, 0);
    target = OGR_L_GetFeature(layer, 3000);
    assert_non_null(target);
    OGR_G_GetEnvelope(OGR_F_GetGeometryRef(target), &e);
    OGR_F_Destroy(target);
    GDALDatasetReleaseResultSet(
        ds, GDALDatasetExecuteSQL(ds, "DELETE FROM rtree_YDYH_geom WHERE id = 3000", NULL, NULL));
    GDALClose(ds);
    gdal_filter_fids(stale, &e, seen);
    assert_false(seen[3000]); /* GDAL trusts the R-tree */
    gdal_filter_fids(intact, &e, seen);
    assert_true(seen[3000]);

    path = stale;
    assert_int_equal(hegui_catalog_scan(&cat, &path, 1, NULL, NULL), HEGUI_OK);
    assert_int_equal(cat->layers[0].feature_count, 4336);
    assert_true(cat->layers[0].spatial_index_stale);
    assert_true(noted(cat,
                      "its R-tree rtree_YDYH_geom lists 4335 features, the layer has 4336 with "
                      "a geometry",
                      "DisableSpatialIndex('YDYH','geom')"));
    assert_true(reader_hands_out(&cat->layers[0], &e, 3000));
    hegui_catalog_free(cat);

    path = intact;
    assert_int_equal(hegui_catalog_scan(&cat, &path, 1, NULL, NULL), HEGUI_OK);
    assert_false(cat->layers[0].spatial_index_stale);
    assert_false(noted(cat, "spatial index", NULL));
    hegui_catalog_free(cat);

    /* under a where filter: counted apart, stale only when it is */
    for (i = 0; i < 2; i++) {
        snprintf(rules, sizeof(rules), "%s/rules.yaml", d->path);
        out = fopen(rules, "w");
        assert_non_null(out);
        fprintf(out,
                "version: 1\nlayers:\n  - path: %s\n    layer: YDYH\n    role: landuse\n"
                "    where: \"YDYHFLDM LIKE '07%%'\"\n",
                i == 0 ? intact : stale);
        fclose(out);
        assert_int_equal(hegui_config_load(&config, rules), HEGUI_OK);
        assert_int_equal(hegui_catalog_scan(&cat, NULL, 0, NULL, config), HEGUI_OK);
        assert_int_equal(cat->count, 1);
        assert_true(cat->layers[0].feature_count < 4336);
        assert_int_equal(cat->layers[0].spatial_index_stale, i == 1);
        hegui_catalog_free(cat);
        hegui_config_free(config);
    }
    free(seen);
}

/* A polygon feature of layer: a square ring of n points (n - 1 vertices,
 * closed) with side 1 at x0, or the empty polygon (n == 0), or none
 * (n < 0); name set as raw bytes. */
static void add_ring_feature(OGRLayerH layer, int n, double x0, const char *name)
{
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(layer));
    int i;
    if (n >= 0) {
        OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
        if (n > 0) {
            OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
            for (i = 0; i < n - 1; i++) { /* around the unit square, on its edges */
                double t = 4.0 * i / (n - 1), x = t < 1 ? t : t < 2 ? 1 : t < 3 ? 3 - t : 0;
                double y = t < 1 ? 0 : t < 2 ? t - 1 : t < 3 ? 1 : 4 - t;
                OGR_G_AddPoint_2D(ring, x0 + x, y);
            }
            OGR_G_AddPoint_2D(ring, x0, 0);
            OGR_G_AddGeometryDirectly(poly, ring);
        }
        OGR_F_SetGeometryDirectly(f, poly);
    }
    OGR_F_SetFieldString(f, 0, name);
    assert_int_equal(OGR_L_CreateFeature(layer, f), OGRERR_NONE);
    OGR_F_Destroy(f);
}

/* Adds a feature of the geometry wkt (its fields unset) to layer. */
static void add_wkt_feature(OGRLayerH layer, const char *wkt)
{
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(layer));
    OGRGeometryH g = NULL;
    char *copy = hegui_strdup(wkt), *w = copy;
    assert_int_equal(OGR_G_CreateFromWkt(&w, NULL, &g), OGRERR_NONE);
    OGR_F_SetGeometryDirectly(f, g);
    assert_int_equal(OGR_L_CreateFeature(layer, f), OGRERR_NONE);
    OGR_F_Destroy(f);
    hegui_free(copy);
}

/* The catalog reads a GeoPackage layer of small features through the
 * Arrow stream and one of large features (over IO_ARROW_MAX_FEATURE_BYTES
 * of WKB each) feature by feature, whole or in parts; both tally NULL and
 * empty geometries, invalid UTF-8 and the WKB bytes computed by hand
 * (a ring of n points: 1 + 4 + 4 + 4 + 16 n bytes). */
static void test_io_catalog_stream_tallies(void **state)
{
    const hash_dir *d = *state;
    char path[128];
    GDALDatasetH ds;
    OGRLayerH small, large, curved, points;
    OGRFieldDefnH fd;
    int whole;
    snprintf(path, sizeof(path), "%s/tally.gpkg", d->path);
    ds = GDALCreate(GDALGetDriverByName("GPKG"), path, 0, 0, 0, GDT_Unknown, NULL);
    assert_non_null(ds);
    small = GDALDatasetCreateLayer(ds, "small", NULL, wkbPolygon, NULL);
    large = GDALDatasetCreateLayer(ds, "large", NULL, wkbPolygon, NULL);
    assert_non_null(small);
    assert_non_null(large);
    fd = OGR_Fld_Create("NAME", OFTString);
    assert_int_equal(OGR_L_CreateField(small, fd, TRUE), OGRERR_NONE);
    assert_int_equal(OGR_L_CreateField(large, fd, TRUE), OGRERR_NONE);
    OGR_Fld_Destroy(fd);
    add_ring_feature(small, 4, 0, "晋城");
    add_ring_feature(small, 5, 2, "x");
    add_ring_feature(small, -1, 0, "no geometry");
    add_ring_feature(small, 0, 0, "empty");
    add_ring_feature(large, 5001, 0, "x");
    add_ring_feature(large, 6001, 2, "y");
    /* a curve (a circle of radius 1), after a plain polygon: tallied as the
     * polyline the reader makes of it, a vertex every 0.05 degrees */
    curved = GDALDatasetCreateLayer(ds, "curved", NULL, wkbCurvePolygon, NULL);
    assert_non_null(curved);
    fd = OGR_Fld_Create("NAME", OFTString);
    assert_int_equal(OGR_L_CreateField(curved, fd, TRUE), OGRERR_NONE);
    OGR_Fld_Destroy(fd);
    add_ring_feature(curved, 4, 0, "plain");
    add_wkt_feature(curved, "CURVEPOLYGON(CIRCULARSTRING(0 0,1 1,2 0,1 -1,0 0))");
    /* points: GDAL stores POINT EMPTY as NaN NaN, an empty geometry */
    points = GDALDatasetCreateLayer(ds, "points", NULL, wkbPoint, NULL);
    assert_non_null(points);
    add_wkt_feature(points, "POINT (1 2)");
    add_wkt_feature(points, "POINT EMPTY");
    /* invalid UTF-8 stored as text, past GDAL's checks on writing */
    GDALDatasetReleaseResultSet(
        ds, GDALDatasetExecuteSQL(ds, "UPDATE small SET NAME = CAST(X'FF41' AS TEXT) WHERE fid = 2",
                                  NULL, NULL));
    GDALDatasetReleaseResultSet(
        ds, GDALDatasetExecuteSQL(ds, "UPDATE large SET NAME = CAST(X'C328' AS TEXT) WHERE fid = 1",
                                  NULL, NULL));
    GDALClose(ds);
    for (whole = 1; whole >= 0; whole--) {
        hegui_catalog *cat = scan_with(path, whole ? 1 : 2, whole ? 0 : 1, HEGUI_OK);
        const hegui_layer_info *l;
        size_t i;
        assert_int_equal(cat->count, 4);
        for (i = 0; i < 4; i++) {
            l = &cat->layers[i];
            assert_int_equal(l->read_parts, whole ? 1 : 2);
            if (strcmp(l->layer_name, "points") == 0) {
                assert_int_equal(l->feature_count, 2);
                assert_int_equal(l->read_streamed, 2);
                assert_int_equal(l->empty_geometries, 1);
                assert_int_equal(l->nonfinite_geometries, 0);
                assert_int_equal(l->geometry_bytes, 1 + 4 + 16);
                continue;
            }
            if (strcmp(l->layer_name, "curved") == 0) {
                int64_t ring = l->geometry_bytes - (13 + 16 * 4) - 13; /* less the square */
                assert_int_equal(l->feature_count, 2);
                assert_int_equal(l->read_streamed, 2);
                assert_int_equal(l->nonfinite_geometries, 0);
                assert_int_equal(l->curved_geometries, 1);
                /* 360 / 0.05 = 7200 segments: 7201 points (one more
                 * segment per half if the step rounds up) */
                assert_int_equal(ring % 16, 0);
                assert_in_range(ring / 16, 7201, 7203);
                continue;
            }
            assert_int_equal(l->bad_strings, 1);
            if (strcmp(l->layer_name, "small") == 0) {
                assert_int_equal(l->feature_count, 4);
                assert_int_equal(l->read_streamed, 4);
                assert_int_equal(l->null_geometries, 1);
                assert_int_equal(l->empty_geometries, 1);
                assert_int_equal(l->geometry_bytes, (13 + 16 * 4) + (13 + 16 * 5));
            } else {
                assert_int_equal(l->feature_count, 2);
                assert_int_equal(l->read_streamed, 0);
                assert_int_equal(l->null_geometries, 0);
                assert_int_equal(l->empty_geometries, 0);
                assert_int_equal(l->geometry_bytes, (13 + 16 * 5001) + (13 + 16 * 6001));
            }
            assert_int_equal(l->nonfinite_geometries, 0);
        }
        hegui_catalog_free(cat);
    }
}

/* A circle with arcs (CURVEPOLYGON of a CIRCULARSTRING, radius 100 m) is
 * read as the regular polygon of its vertices, feature by feature and
 * through the Arrow stream alike: n segments, area (n / 2) r^2 sin(2 pi /
 * n), within 1.3e-7 of pi r^2 (IO_CURVE_STEP_DEG); and a block with one
 * rounded corner (a COMPOUNDCURVE) loses the corner's quarter square less
 * its quarter circle: 100 x 100 - (1 - pi / 4) 20^2. */
static void test_io_reader_curves(void **state)
{
    const hash_dir *d = *state;
    static const char *const wkts[] = {
        "CURVEPOLYGON(CIRCULARSTRING(397400 3931500,397500 3931600,397600 3931500,"
        "397500 3931400,397400 3931500))",
        "CURVEPOLYGON(COMPOUNDCURVE((397000 3931000,397100 3931000,397100 3931080),"
        "CIRCULARSTRING(397100 3931080,397094.142135624 3931094.142135624,397080 3931100),"
        "(397080 3931100,397000 3931100,397000 3931000)))",
        /* plain squares: with them the features average under
         * IO_ARROW_MAX_FEATURE_BYTES of (linear) WKB, so the native read
         * streams */
        "POLYGON((397000 3932000,397010 3932000,397010 3932010,397000 3932000))",
        "POLYGON((397000 3933000,397010 3933000,397010 3933010,397000 3933000))",
    };
    const double r = 100, pi = 3.14159265358979323846;
    char path[128];
    GDALDatasetH ds;
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    OGRLayerH layer;
    hegui_catalog *cat;
    hegui_geom_ctx *ctx = NULL;
    int native, k;
    snprintf(path, sizeof(path), "%s/curves.gpkg", d->path);
    ds = GDALCreate(GDALGetDriverByName("GPKG"), path, 0, 0, 0, GDT_Unknown, NULL);
    assert_non_null(ds);
    OSRImportFromEPSG(srs, 4547);
    layer = GDALDatasetCreateLayer(ds, "curves", srs, wkbCurvePolygon, NULL);
    OSRDestroySpatialReference(srs);
    assert_non_null(layer);
    for (k = 0; k < 4; k++)
        add_wkt_feature(layer, wkts[k]);
    GDALClose(ds);
    cat = scan_with(path, 1, 0, HEGUI_OK);
    assert_int_equal(cat->layers[0].curved_geometries, 2);
    assert_int_equal(cat->layers[0].nonfinite_geometries, 0);
    assert_int_equal(cat->layers[0].read_streamed, 4);
    assert_int_equal(hegui_geom_ctx_new(&ctx), HEGUI_OK);
    for (native = 0; native < 2; native++) {
        hegui_reader *reader = NULL;
        hegui_feature f;
        GEOSContextHandle_t h = hegui_geom_ctx_handle(ctx);
        void *g = NULL;
        double area = 0;
        int n;
        if (native)
            assert_int_equal(hegui_reader_open_native(&reader, &cat->layers[0], NULL, 0, 0, NULL),
                             HEGUI_OK);
        else
            assert_int_equal(hegui_reader_open(&reader, &cat->layers[0], NULL, 0, 4547, NULL),
                             HEGUI_OK);
        assert_int_equal(hegui_reader_uses_arrow(reader), native != 0);
        assert_int_equal(hegui_reader_next(reader, &f), 1);
        assert_int_equal(f.problems, 0);
        assert_int_equal(hegui_geom_from_wkb(&g, ctx, f.wkb, f.wkb_size), HEGUI_OK);
        assert_int_equal(GEOSArea_r(h, g, &area), 1);
        n = GEOSGetNumCoordinates_r(h, g) - 1;
        assert_in_range(n, 7200, 7202);
        assert_double_near(area, n / 2.0 * r * r * sin(2 * pi / n), 1e-6);
        assert_true(pi * r * r - area > 0 && pi * r * r - area < 1.3e-7 * pi * r * r);
        GEOSGeom_destroy_r(h, g);
        assert_int_equal(hegui_reader_next(reader, &f), 1);
        assert_int_equal(hegui_geom_from_wkb(&g, ctx, f.wkb, f.wkb_size), HEGUI_OK);
        assert_int_equal(GEOSArea_r(h, g, &area), 1);
        assert_double_near(area, 10000.0 - (1 - pi / 4) * 400, 1e-3);
        GEOSGeom_destroy_r(h, g);
        assert_int_equal(hegui_reader_next(reader, &f), 1);
        assert_int_equal(hegui_reader_next(reader, &f), 1);
        assert_int_equal(hegui_reader_next(reader, &f), 0);
        hegui_reader_close(reader);
    }
    hegui_geom_ctx_free(ctx);
    hegui_catalog_free(cat);
}

/* The stream tells which fields asked for it has no column for (the
 * catalog then leaves the layer to GetNextFeature, which checks every
 * string). */
static void test_io_arrow_missing_fields(void **state)
{
    const char *have[] = {"KFQDM", "KFQMC"}, *lack[] = {"KFQDM", "NOSUCHFIELD", "QKMC"};
    GDALDatasetH ds = GDALOpenEx(IO_DATA "/kfq_problems.gpkg", GDAL_OF_VECTOR | GDAL_OF_READONLY,
                                 NULL, NULL, NULL);
    io_arrow *a = NULL;
    (void)state;
    assert_non_null(ds);
    assert_int_equal(io_arrow_open(&a, GDALDatasetGetLayer(ds, 0), have, 2, 16), HEGUI_OK);
    assert_non_null(a);
    assert_int_equal(io_arrow_missing(a), 0);
    io_arrow_close(a);
    assert_int_equal(io_arrow_open(&a, GDALDatasetGetLayer(ds, 0), lack, 3, 16), HEGUI_OK);
    assert_non_null(a);
    assert_int_equal(io_arrow_missing(a), 1);
    io_arrow_close(a);
    GDALClose(ds);
}

/* GDAL speaking on a thread with no capture of hegui's (as GDAL's own
 * reading threads do). */
static void *gdal_speaks(void *arg)
{
    (void)arg;
    CPLError(CE_Failure, CPLE_AppDefined, "database disk image is malformed.");
    CPLError(CE_Warning, CPLE_AppDefined, "a warning\n");
    return NULL;
}

/* hegui_io_messages_to: such messages come out as one line each in
 * hegui's form, not GDAL's "ERROR 1: ..."; a capture on the calling thread
 * still takes its own; NULL gives GDAL's handler back. */
static void test_io_messages_routed(void **state)
{
    FILE *out = tmpfile();
    char text[512];
    size_t n;
    pthread_t thread;
    io_capture cap;
    (void)state;
    assert_non_null(out);
    hegui_io_messages_to(out, "hegui");
    assert_int_equal(pthread_create(&thread, NULL, gdal_speaks, NULL), 0);
    assert_int_equal(pthread_join(thread, NULL), 0);
    io_capture_begin(&cap);
    CPLError(CE_Failure, CPLE_AppDefined, "captured");
    io_capture_end(&cap);
    hegui_io_messages_to(NULL, NULL);
    assert_int_equal(cap.errors, 1);
    assert_string_equal(cap.first, "captured");
    rewind(out);
    n = fread(text, 1, sizeof(text) - 1, out);
    text[n] = '\0';
    fclose(out);
    assert_string_equal(text, "hegui: GDAL error: database disk image is malformed\n"
                              "hegui: GDAL warning: a warning\n");
}

/* A GeoPackage that turns damaged after the catalog read it: the Arrow
 * stream of the reader stops with GDAL's reason. (GDAL 3.6 reports the
 * damaged page and then hands out empty batches without end.) */
static void test_io_reader_stream_damaged(void **state)
{
    const hash_dir *d = *state;
    static const char *const fields[] = {"YDYHFLDM"};
    char path[128], cmd[512];
    hegui_catalog *cat;
    hegui_reader *reader = NULL;
    hegui_feature f;
    struct stat sb;
    int64_t read = 0;
    int rc;
    FILE *fp;
    snprintf(path, sizeof(path), "%s/GHYDYH.gpkg", d->path);
    snprintf(cmd, sizeof(cmd), "cp '%s/jincheng/GHYDYH.gpkg' '%s'", HEGUI_SAMPLES, path);
    assert_int_equal(system(cmd), 0);
    cat = scan_with(path, 1, 0, HEGUI_OK);
    assert_int_equal(cat->layers[0].read_streamed, cat->layers[0].feature_count);
    /* a page of 0xFF in the middle of the file */
    assert_int_equal(stat(path, &sb), 0);
    fp = fopen(path, "r+b");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, (long)(sb.st_size / 2 / 4096 * 4096), SEEK_SET), 0);
    for (rc = 0; rc < 4096; rc++)
        fputc(0xFF, fp);
    fclose(fp);
    assert_int_equal(hegui_reader_open_native(&reader, &cat->layers[0], fields, 1, 0, NULL),
                     HEGUI_OK);
    assert_true(hegui_reader_uses_arrow(reader));
    while ((rc = hegui_reader_next(reader, &f)) == 1)
        read++;
    assert_int_equal(rc, HEGUI_EINPUT);
    assert_contains(hegui_error_last(), "malformed");
    assert_true(read < cat->layers[0].feature_count);
    hegui_reader_close(reader);
    hegui_catalog_free(cat);
}

/* --- text decoded by hegui (recode.c) --- */

/* Decoding with one iconv descriptor: GBK, GB18030's four-byte sequences,
 * a byte that starts no character, and a character cut short. */
static void test_io_recode_bytes(void **state)
{
    hegui_layer_info info;
    io_recoder *rc = NULL;
    size_t replaced = 0;
    char *s;
    (void)state;
    memset(&info, 0, sizeof(info));
    info.driver = "ESRI Shapefile";
    info.encoding = "GB18030";
    assert_int_equal(io_recoder_open(&rc, &info), HEGUI_OK);
    assert_non_null(rc);
    s = io_recode(rc, "\xBD\xFA\xB3\xC7 G141061", &replaced); /* 晋城 */
    assert_string_equal(s, "晋城 G141061");
    assert_int_equal(replaced, 0);
    free(s);
    s = io_recode(rc, "\x95\x32\x82\x36", &replaced); /* U+20000 */
    assert_string_equal(s, "\xF0\xA0\x80\x80");
    free(s);
    s = io_recode(rc, "a\xFF b\xBD", &replaced); /* 0xFF starts nothing; 0xBD is cut short */
    assert_string_equal(s, "a\xEF\xBF\xBD b\xEF\xBF\xBD");
    assert_int_equal(replaced, 2);
    free(s);
    s = io_recode(rc, "", &replaced);
    assert_string_equal(s, "");
    free(s);
    io_recoder_close(rc);
    /* GDAL decodes what is UTF-8 already, other drivers, filtered layers
     * and encodings iconv does not know */
    info.encoding = "UTF-8";
    assert_false(io_layer_recodes(&info));
    info.encoding = "CP936";
    assert_true(io_layer_recodes(&info));
    info.driver = "GPKG";
    assert_false(io_layer_recodes(&info));
    info.driver = "ESRI Shapefile";
    info.encoding = "NO-SUCH-ENCODING";
    assert_int_equal(io_recoder_open(&rc, &info), HEGUI_OK);
    assert_null(rc);
}

/* A CP936 shapefile with a Chinese field name and a value that is not
 * CP936: the catalog counts the bad string, the reader finds the field by
 * its decoded name, decodes the good value and flags the bad one. */
static void test_io_recode_shapefile(void **state)
{
    const hash_dir *d = *state;
    const char *values[] = {"\xBD\xFA\xB3\xC7", "\x81\x20x"}; /* 晋城; a lead byte, then space */
    const char *lco[] = {"ENCODING=", NULL};
    const char *fields[] = {"名称"};
    char path[128], cpg[128];
    GDALDatasetH ds;
    OGRLayerH layer;
    OGRFieldDefnH fd;
    OGRSpatialReferenceH srs;
    hegui_catalog *cat = NULL;
    hegui_reader *reader = NULL;
    hegui_feature f;
    FILE *fp;
    size_t i;
    snprintf(path, sizeof(path), "%s/gbk.shp", d->path);
    ds = GDALCreate(GDALGetDriverByName("ESRI Shapefile"), path, 0, 0, 0, GDT_Unknown, NULL);
    assert_non_null(ds);
    srs = OSRNewSpatialReference(NULL);
    assert_int_equal(OSRImportFromEPSG(srs, 4526), OGRERR_NONE); /* CGCS2000 GK zone 38 */
    layer = GDALDatasetCreateLayer(ds, "gbk", srs, wkbPolygon, (char **)lco);
    OSRDestroySpatialReference(srs);
    assert_non_null(layer);
    fd = OGR_Fld_Create("\xC3\xFB\xB3\xC6", OFTString); /* 名称 in CP936 */
    assert_int_equal(OGR_L_CreateField(layer, fd, TRUE), OGRERR_NONE);
    OGR_Fld_Destroy(fd);
    for (i = 0; i < 2; i++) {
        OGRFeatureH feat = OGR_F_Create(OGR_L_GetLayerDefn(layer));
        OGRGeometryH g = NULL;
        char wkt[] = "POLYGON((38397000 3931000,38397100 3931000,38397100 3931100,38397000 "
                     "3931000))",
             *p = wkt;
        assert_int_equal(OGR_G_CreateFromWkt(&p, NULL, &g), OGRERR_NONE);
        OGR_F_SetGeometryDirectly(feat, g);
        OGR_F_SetFieldString(feat, 0, values[i]);
        assert_int_equal(OGR_L_CreateFeature(layer, feat), OGRERR_NONE);
        OGR_F_Destroy(feat);
    }
    GDALClose(ds);
    snprintf(cpg, sizeof(cpg), "%s/gbk.cpg", d->path);
    fp = fopen(cpg, "w");
    assert_non_null(fp);
    fputs("936", fp);
    fclose(fp);

    assert_int_equal(hegui_catalog_scan(&cat, (const char *const[]){path}, 1, NULL, NULL),
                     HEGUI_OK);
    assert_string_equal(cat->layers[0].encoding, "CP936");
    assert_string_equal(cat->layers[0].fields[0], "名称");
    assert_int_equal(cat->layers[0].feature_count, 2);
    assert_int_equal(cat->layers[0].bad_strings, 1);
    assert_int_equal(hegui_reader_open(&reader, &cat->layers[0], fields, 1, 0, NULL), HEGUI_OK);
    assert_int_equal(hegui_reader_next(reader, &f), 1);
    assert_string_equal(f.values[0], "晋城");
    assert_int_equal(f.problems & HEGUI_FEATURE_BAD_UTF8, 0);
    assert_int_equal(hegui_reader_next(reader, &f), 1);
    assert_string_equal(f.values[0], "\xEF\xBF\xBD x");
    assert_true(f.problems & HEGUI_FEATURE_BAD_UTF8);
    assert_int_equal(hegui_reader_next(reader, &f), 0);
    hegui_reader_close(reader);
    hegui_catalog_free(cat);
}

/* Writes len bytes of a fixed pseudo-random sequence (seeded by seed) to
 * dir/name; the full path goes to out_path (at least 128 bytes). */
static void write_bytes(char *out_path, const hash_dir *d, const char *name, size_t len,
                        unsigned seed)
{
    FILE *f;
    size_t i;
    snprintf(out_path, 128, "%s/%s", d->path, name);
    f = fopen(out_path, "wb");
    assert_non_null(f);
    for (i = 0; i < len; i++) {
        seed = seed * 1103515245u + 12345u;
        assert_int_not_equal(fputc((int)(seed >> 16) & 0xff, f), EOF);
    }
    assert_int_equal(fclose(f), 0);
}

/* The digest sha256sum prints for a shell command's output (the bytes are
 * read by cat, not by hegui). */
static void sha256sum_of(char out_hex[65], const char *command)
{
    char cmd[1024];
    FILE *p;
    snprintf(cmd, sizeof(cmd), "%s | sha256sum", command);
    p = popen(cmd, "r");
    assert_non_null(p);
    assert_non_null(fgets(out_hex, 65, p));
    assert_int_equal(pclose(p), 0);
    assert_int_equal(strlen(out_hex), 64);
}

/* Overwrites one byte of a file. */
static void flip_byte(const char *path, long offset)
{
    FILE *f = fopen(path, "r+b");
    int c;
    assert_non_null(f);
    assert_int_equal(fseek(f, offset, SEEK_SET), 0);
    c = fgetc(f);
    assert_int_not_equal(c, EOF);
    assert_int_equal(fseek(f, offset, SEEK_SET), 0);
    assert_int_not_equal(fputc(c ^ 0x20, f), EOF);
    assert_int_equal(fclose(f), 0);
}

/* Files of every size class around the 1 MiB read chunk hash as sha256sum
 * says. */
static void test_io_sha256_matches_sha256sum(void **state)
{
    static const size_t sizes[] = {0, 1, 64, 65535, (size_t)1 << 20, ((size_t)5 << 19) + 17};
    const hash_dir *d = *state;
    char path[128], cmd[256], got[65], expected[65];
    size_t i;
    for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        write_bytes(path, d, "data.gpkg", sizes[i], (unsigned)i + 1);
        snprintf(cmd, sizeof(cmd), "cat '%s'", path);
        sha256sum_of(expected, cmd);
        assert_int_equal(hegui_io_sha256(got, path), HEGUI_OK);
        if (strcmp(got, expected) != 0)
            fail_msg("%zu bytes: %s, sha256sum says %s", sizes[i], got, expected);
    }
}

/* A shapefile's digest covers .shp, .shx, .dbf, .prj and .cpg in that order
 * (absent ones skipped), so one changed byte of the .dbf changes it. */
static void test_io_sha256_shapefile_parts(void **state)
{
    const hash_dir *d = *state;
    char shp[128], shx[128], dbf[128], prj[128], cmd[768], got[65], expected[65], before[65];
    write_bytes(shp, d, "a.shp", 3000, 11);
    write_bytes(shx, d, "a.shx", 116, 12);
    write_bytes(dbf, d, "a.dbf", 5000, 13);
    write_bytes(prj, d, "a.prj", 400, 14);
    snprintf(cmd, sizeof(cmd), "cat '%s' '%s' '%s' '%s'", shp, shx, dbf, prj);
    sha256sum_of(expected, cmd);
    assert_int_equal(hegui_io_sha256(got, shp), HEGUI_OK);
    assert_string_equal(got, expected);
    memcpy(before, got, sizeof(before));
    flip_byte(dbf, 2500);
    sha256sum_of(expected, cmd);
    assert_string_not_equal(expected, before);
    assert_int_equal(hegui_io_sha256(got, shp), HEGUI_OK);
    assert_string_equal(got, expected);
}

/* A part that exists but cannot be read fails the hash with the path named
 * (never a digest of fewer bytes): a .dbf that is a folder, and for a user
 * without root's rights a .shp without read permission. */
static void test_io_sha256_unreadable(void **state)
{
    const hash_dir *d = *state;
    char shp[128], dbf[128], got[65];
    write_bytes(shp, d, "b.shp", 100, 21);
    snprintf(dbf, sizeof(dbf), "%s/b.dbf", d->path);
    assert_int_equal(mkdir(dbf, 0755), 0);
    hegui_error_clear();
    assert_int_equal(hegui_io_sha256(got, shp), HEGUI_EINPUT);
    assert_contains(hegui_error_last(), dbf);
    assert_string_equal(got, "");
    if (geteuid() != 0) {
        assert_int_equal(rmdir(dbf), 0);
        assert_int_equal(chmod(shp, 0), 0);
        assert_int_equal(hegui_io_sha256(got, shp), HEGUI_EINPUT);
        assert_contains(hegui_error_last(), shp);
    }
}

/* The background job: one digest per distinct dataset of the catalog's
 * layers (two layers of one GeoPackage: one), connection strings without
 * one; a failure comes back on the calling thread with the path. */
static void test_io_hash_job(void **state)
{
    const hash_dir *d = *state;
    char gpkg[128], shp[128], shx[128], dbf[128], cmd[512], expected[65];
    char pg[] = "PG:dbname=plans";
    hegui_layer_info layers[4];
    hegui_catalog catalog;
    hegui_io_hash *job = NULL;
    write_bytes(gpkg, d, "plans.gpkg", ((size_t)3 << 20) + 5, 31);
    write_bytes(shp, d, "zones.shp", 700, 32);
    write_bytes(shx, d, "zones.shx", 108, 33);
    write_bytes(dbf, d, "zones.dbf", 900, 34);
    memset(layers, 0, sizeof(layers));
    memset(&catalog, 0, sizeof(catalog));
    layers[0].path = gpkg;
    layers[1].path = shp;
    layers[2].path = gpkg;
    layers[3].path = pg;
    catalog.layers = layers;
    catalog.count = 4;

    assert_int_equal(hegui_io_hash_start(&job, &catalog), HEGUI_OK);
    assert_non_null(job);
    hegui_io_hash_hurry(job); /* a second thread from here: the same digests */
    hegui_io_hash_hurry(job); /* and only one */
    assert_int_equal(hegui_io_hash_finish(job), HEGUI_OK);
    hegui_io_hash_hurry(job); /* finished: nothing to raise */
    hegui_io_hash_hurry(NULL);
    snprintf(cmd, sizeof(cmd), "cat '%s'", gpkg);
    sha256sum_of(expected, cmd);
    assert_string_equal(hegui_io_hash_of(job, gpkg), expected);
    snprintf(cmd, sizeof(cmd), "cat '%s' '%s' '%s'", shp, shx, dbf);
    sha256sum_of(expected, cmd);
    assert_string_equal(hegui_io_hash_of(job, shp), expected);
    assert_string_equal(hegui_io_hash_of(job, pg), "");
    assert_null(hegui_io_hash_of(job, dbf));               /* not a dataset of the catalog */
    assert_int_equal(hegui_io_hash_finish(job), HEGUI_OK); /* again: same answer */
    hegui_io_hash_free(job);

    /* an unreadable .dbf: the thread's error, re-raised here */
    assert_int_equal(unlink(dbf), 0);
    assert_int_equal(mkdir(dbf, 0755), 0);
    assert_int_equal(hegui_io_hash_start(&job, &catalog), HEGUI_OK);
    hegui_error_clear();
    assert_int_equal(hegui_io_hash_finish(job), HEGUI_EINPUT);
    assert_int_equal(hegui_error_code(), HEGUI_EINPUT);
    assert_contains(hegui_error_last(), dbf);
    hegui_io_hash_free(job);

    /* freed unfinished: the thread is stopped and joined (ASan: no leak),
     * with its helper too */
    assert_int_equal(hegui_io_hash_start(&job, &catalog), HEGUI_OK);
    hegui_io_hash_free(job);
    assert_int_equal(hegui_io_hash_start(&job, &catalog), HEGUI_OK);
    hegui_io_hash_hurry(job);
    hegui_io_hash_free(job);
    hegui_io_hash_free(NULL);
}

/* hegui_open_options.hash: the catalog starts hashing before it reads the
 * layers (and sorts them), and each layer's dataset gets its own digest;
 * without it there is no job. */
static void test_io_catalog_hashing(void **state)
{
    const char *paths[] = {HEGUI_SAMPLES "/jincheng/SXSX.gpkg", HEGUI_SAMPLES "/jincheng/QY.shp",
                           HEGUI_SAMPLES "/jincheng/GHYDYH.gpkg"};
    hegui_open_options options;
    hegui_catalog *cat = NULL;
    char cmd[1024], expected[65];
    size_t i;
    (void)state;
    memset(&options, 0, sizeof(options));
    options.threads = 2;
    options.hash = 1;
    assert_int_equal(hegui_catalog_scan(&cat, paths, 3, &options, NULL), HEGUI_OK);
    assert_non_null(cat->hashing);
    assert_int_equal(hegui_io_hash_finish(cat->hashing), HEGUI_OK);
    assert_true(cat->count >= 3);
    for (i = 0; i < cat->count; i++) {
        const char *path = cat->layers[i].path;
        if (hegui_str_iends(path, ".shp"))
            snprintf(cmd, sizeof(cmd), "cd '%s' && cat QY.shp QY.shx QY.dbf QY.prj",
                     HEGUI_SAMPLES "/jincheng");
        else
            snprintf(cmd, sizeof(cmd), "cat '%s'", path);
        sha256sum_of(expected, cmd);
        assert_string_equal(hegui_io_hash_of(cat->hashing, path), expected);
    }
    hegui_catalog_free(cat);

    options.hash = 0;
    assert_int_equal(hegui_catalog_scan(&cat, paths, 3, &options, NULL), HEGUI_OK);
    assert_null(cat->hashing);
    hegui_catalog_free(cat);
}

/* hegui_io_hash_finish takes over whatever the background thread has not
 * hashed yet, between two of its 1 MiB chunks: called at once, after a
 * while, or after the thread is done, the digests are sha256sum's. The
 * moment the thread is stopped varies from run to run; each delay is tried
 * several times. */
static void test_io_hash_job_taken_over(void **state)
{
    static const long delays_us[] = {0, 50, 500, 2000, 8000, 100000};
    const hash_dir *d = *state;
    char big[128], shp[128], shx[128], prj[128], cmd[512], want_big[65], want_shp[65];
    hegui_layer_info layers[2];
    hegui_catalog catalog;
    size_t i;
    int k;
    write_bytes(big, d, "big.gpkg", ((size_t)12 << 20) + 3, 41);
    write_bytes(shp, d, "z.shp", ((size_t)2 << 20) + 9, 42);
    write_bytes(shx, d, "z.shx", 108, 43);
    write_bytes(prj, d, "z.prj", 300, 44);
    snprintf(cmd, sizeof(cmd), "cat '%s'", big);
    sha256sum_of(want_big, cmd);
    snprintf(cmd, sizeof(cmd), "cat '%s' '%s' '%s'", shp, shx, prj);
    sha256sum_of(want_shp, cmd);
    memset(layers, 0, sizeof(layers));
    memset(&catalog, 0, sizeof(catalog));
    layers[0].path = big;
    layers[1].path = shp;
    catalog.layers = layers;
    catalog.count = 2;
    for (i = 0; i < sizeof(delays_us) / sizeof(delays_us[0]); i++) {
        for (k = 0; k < 3; k++) {
            struct timespec delay = {0, delays_us[i] * 1000};
            hegui_io_hash *job = NULL;
            assert_int_equal(hegui_io_hash_start(&job, &catalog), HEGUI_OK);
            nanosleep(&delay, NULL);
            assert_int_equal(hegui_io_hash_finish(job), HEGUI_OK);
            if (strcmp(hegui_io_hash_of(job, big), want_big) != 0 ||
                strcmp(hegui_io_hash_of(job, shp), want_shp) != 0)
                fail_msg("finish after %ld us: %s %s, sha256sum says %s %s", delays_us[i],
                         hegui_io_hash_of(job, big), hegui_io_hash_of(job, shp), want_big,
                         want_shp);
            hegui_io_hash_free(job);
        }
    }
}

/* Runs validate on paths with the default rules into *run (the caller
 * releases it); returns validate's code. */
static int validate_paths(hegui_run *run, const char *const *paths, size_t count)
{
    hegui_catalog *cat = NULL;
    hegui_config *config = NULL;
    hegui_check_options options;
    int rc;
    memset(&options, 0, sizeof(options));
    options.fail_on = HEGUI_SEVERITY_ERROR;
    assert_int_equal(hegui_catalog_scan(&cat, paths, count, NULL, NULL), HEGUI_OK);
    assert_int_equal(hegui_config_default(&config), HEGUI_OK);
    rc = hegui_validate(run, cat, config, &options);
    run->config = NULL;
    hegui_config_free(config);
    hegui_catalog_free(cat);
    return rc;
}

/* The pipeline fills each input's sha256 from the background job, and an
 * input that turns unreadable after the scan fails the run with its path
 * (the ASan build checks that nothing leaks on the way out). */
static void test_io_validate_hashes_inputs(void **state)
{
    const hash_dir *d = *state;
    char shp[128], cpg[128], cmd[512], expected[65];
    const char *paths[1];
    hegui_run run;
    snprintf(cmd, sizeof(cmd), "cp '%s'/kfq_gbk_cpg.* '%s'/", IO_DATA, d->path);
    assert_int_equal(system(cmd), 0);
    snprintf(shp, sizeof(shp), "%s/kfq_gbk_cpg.shp", d->path);
    snprintf(cpg, sizeof(cpg), "%s/kfq_gbk_cpg.cpg", d->path);
    paths[0] = shp;
    assert_int_equal(validate_paths(&run, paths, 1), HEGUI_OK);
    snprintf(cmd, sizeof(cmd),
             "cd '%s' && cat kfq_gbk_cpg.shp kfq_gbk_cpg.shx kfq_gbk_cpg.dbf "
             "kfq_gbk_cpg.prj kfq_gbk_cpg.cpg",
             d->path);
    sha256sum_of(expected, cmd);
    assert_int_equal(run.input_count, 1);
    assert_string_equal(run.inputs[0].path, shp);
    assert_string_equal(run.inputs[0].sha256, expected);
    hegui_run_release(&run);

    /* the scan reads the .cpg; then it becomes a folder before the run */
    assert_int_equal(unlink(cpg), 0);
    assert_int_equal(mkdir(cpg, 0755), 0);
    assert_int_equal(validate_paths(&run, paths, 1), HEGUI_EINPUT);
    assert_contains(hegui_error_last(), cpg);
    hegui_run_release(&run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_io_role_detect_table),
        cmocka_unit_test(test_io_role_exclusion_label),
        cmocka_unit_test(test_io_crs_gk_epsg),
        cmocka_unit_test(test_io_crs_describe_matches_epsg),
        cmocka_unit_test(test_io_crs_describe_esri_prj),
        cmocka_unit_test(test_io_crs_check_coords_table),
        cmocka_unit_test(test_io_wkb_scan_nonfinite),
        cmocka_unit_test(test_io_wkb_scan_envelope),
        cmocka_unit_test(test_io_wkb_scan_dims),
        cmocka_unit_test(test_io_catalog_encodings),
        cmocka_unit_test(test_io_reader_gbk_to_geos),
        cmocka_unit_test(test_io_reader_problem_geometries),
        cmocka_unit_test(test_io_catalog_split_read),
        cmocka_unit_test(test_io_recode_bytes),
        cmocka_unit_test_setup_teardown(test_io_recode_shapefile, hash_dir_setup,
                                        hash_dir_teardown),
        cmocka_unit_test_setup_teardown(test_io_catalog_split_sparse_fids, hash_dir_setup,
                                        hash_dir_teardown),
        cmocka_unit_test_setup_teardown(test_io_reader_curves, hash_dir_setup, hash_dir_teardown),
        cmocka_unit_test_setup_teardown(test_io_catalog_stream_tallies, hash_dir_setup,
                                        hash_dir_teardown),
        cmocka_unit_test_setup_teardown(test_io_reader_stream_damaged, hash_dir_setup,
                                        hash_dir_teardown),
        cmocka_unit_test(test_io_arrow_missing_fields),
        cmocka_unit_test(test_io_messages_routed),
        cmocka_unit_test(test_io_reader_arrow_same_features),
        cmocka_unit_test(test_io_reader_focus_far),
        cmocka_unit_test(test_io_working_crs),
        cmocka_unit_test(test_io_working_crs_in_metres),
        cmocka_unit_test(test_io_missing_prj_needs_srs),
        cmocka_unit_test_setup_teardown(test_io_sha256_matches_sha256sum, hash_dir_setup,
                                        hash_dir_teardown),
        cmocka_unit_test_setup_teardown(test_io_sha256_shapefile_parts, hash_dir_setup,
                                        hash_dir_teardown),
        cmocka_unit_test_setup_teardown(test_io_sha256_unreadable, hash_dir_setup,
                                        hash_dir_teardown),
        cmocka_unit_test_setup_teardown(test_io_hash_job, hash_dir_setup, hash_dir_teardown),
        cmocka_unit_test(test_io_catalog_hashing),
        cmocka_unit_test_setup_teardown(test_io_hash_job_taken_over, hash_dir_setup,
                                        hash_dir_teardown),
        cmocka_unit_test_setup_teardown(test_io_reader_passes, hash_dir_setup, hash_dir_teardown),
        cmocka_unit_test_setup_teardown(test_io_reader_rtree, hash_dir_setup, hash_dir_teardown),
        cmocka_unit_test_setup_teardown(test_io_catalog_deleted_records, hash_dir_setup,
                                        hash_dir_teardown),
        cmocka_unit_test_setup_teardown(test_io_catalog_stale_index, hash_dir_setup,
                                        hash_dir_teardown),
        cmocka_unit_test_setup_teardown(test_io_catalog_stale_rtree, hash_dir_setup,
                                        hash_dir_teardown),
        cmocka_unit_test_setup_teardown(test_io_validate_hashes_inputs, hash_dir_setup,
                                        hash_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
