/*
 * test_report_gdal.c - findings.gpkg and findings.csv on a run built in
 * code: findings of every family with hand-computed geometry areas (a
 * 100 x 100 m square with a 10 x 10 m hole = 9900 m2; a multipolygon of
 * 30 x 50 + 10 x 20 = 1700 m2; a collection whose polygon part is 100 m2),
 * a point, a line and a finding without geometry. The GeoPackage is read
 * back with GDAL (layers, counts, attributes, geometry areas, the
 * layer_styles rows and their QML), the CSV byte by byte; both must come
 * out identical when written twice, and leave nothing else in the folder.
 */
#define _POSIX_C_SOURCE 200809L

#include "test_common.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "hegui/report.h"
#include "report/report_internal.h" /* also util/util.h */

/* --- the synthetic run --- */

#define MSG_S03_ZH "测量面积比申报面积大 9900.00 平方米，\"申报\"\n超出"
#define MSG_S03_EN "area differs, \"declared\"\nby 9900 m2"
#define WKT_HOLE                                                                                   \
    "POLYGON ((38500000 3931000,38500100 3931000,38500100 3931100,38500000 3931100,38500000 "      \
    "3931000),(38500010 3931010,38500010 3931020,38500020 3931020,38500020 3931010,38500010 "      \
    "3931010))"
#define WKT_MULTI                                                                                  \
    "MULTIPOLYGON (((38500200 3931000,38500230 3931000,38500230 3931050,38500200 3931050,"         \
    "38500200 3931000)),((38500300 3931100,38500310 3931100,38500310 3931120,38500300 3931120,"    \
    "38500300 3931100)))"
#define WKT_COLLECTION                                                                             \
    "GEOMETRYCOLLECTION (POLYGON ((38500400 3931000,38500410 3931000,38500410 3931010,38500400 "   \
    "3931010,38500400 3931000)),LINESTRING (38500400 3931000,38500450 3931000))"
#define WKT_C06                                                                                    \
    "POLYGON ((38500500 3931000,38500520 3931000,38500520 3931020,38500500 3931020,38500500 "      \
    "3931000))"
#define FORMULA "=cmd|' /C calc'!A0"

typedef struct fixture {
    hegui_run run;
    char dir[64];
} fixture;

static char *copy_of(const char *s)
{
    char *copy = hegui_strdup(s);
    assert_non_null(copy);
    return copy;
}

typedef struct finding_spec {
    const char *rule;
    hegui_severity severity;
    const char *zone, *zone_name, *block, *layer, *layer_path;
    int64_t fid;
    const char *other_layer;
    int64_t other_fid;
    const char *subject_attrs, *other_attrs;
    double area_m2, ellipsoidal_m2, share; /* area_m2 < 0: no area */
    const char *zh, *en, *wkt;
} finding_spec;

/* Added in this order, held sorted by the run (C01 C02 C06 I01 S01 S03 S04
 * S06): finding_id = position + 1. */
static const finding_spec specs[] = {
    {"S03", HEGUI_SEVERITY_ERROR, "G140500", "晋城经济技术开发区", "一区", "KFQ", "C:/data/KFQ.shp",
     1, "", -1, "KFQDM=G140500", "", 9900.0, 9897.43, 9900.0 / 2000000.0, MSG_S03_ZH, MSG_S03_EN,
     WKT_HOLE},
    {"S01", HEGUI_SEVERITY_ERROR, "G140500", "晋城经济技术开发区", "", "KFQ", "C:/data/KFQ.shp", 3,
     "", -1, "", "", -1, 0, -1, "几何无效：自相交", "invalid geometry: self-intersection",
     "POINT (38500010.5 3931010.25)"},
    {"S04", HEGUI_SEVERITY_WARNING, "", "", "", "KFQ", "C:/data/KFQ.shp", -1, "", -1, "", "", -1, 0,
     -1, "坐标系缺少带号前缀", "CRS lacks the zone prefix", ""},
    {"S06", HEGUI_SEVERITY_WARNING, "G140500", "晋城经济技术开发区", "一区", "KFQ",
     "C:/data/KFQ.shp", 2, "", -1, "", "", -1, 0, -1, "尖角", "spike",
     "LINESTRING (38500000 3931000,38500000.5 3931000.4)"},
    {"C01", HEGUI_SEVERITY_ERROR, "G140500", "晋城经济技术开发区", "一区", "KFQ", "C:/data/KFQ.shp",
     1, "YJJBNT", 12, "KFQDM=G140500; QKMC=一区", "DLBM=0101; DLMC=水田", 1700.0, 1699.55,
     1700.0 / 2000000.0, "占用永久基本农田 1700.00 平方米",
     "occupies 1700.00 m2 of permanent basic farmland", WKT_MULTI},
    {"C02", HEGUI_SEVERITY_ERROR, "G140500", "晋城经济技术开发区", "一区", "KFQ", "C:/data/KFQ.shp",
     1, "STBHHX", 4, "", "", 100.0, 99.97, 100.0 / 2000000.0, "占用生态保护红线",
     "occupies the ecological red line", WKT_COLLECTION},
    {"C06", HEGUI_SEVERITY_WARNING, "G140500", "晋城经济技术开发区", "", "GH2020",
     "C:/data/GH2020.shp", 8, "GH2035", 9, "", "", 400.0, 399.9, 400.0 / 2000000.0,
     "两版规划不一致", "the plan versions differ", WKT_C06},
    {"I01", HEGUI_SEVERITY_WARNING, "G140500", "晋城经济技术开发区", "", "QY", "C:/data/QY.shp", 5,
     "", -1, FORMULA, "", -1, 0, -1, "企业不属主导产业", "not a leading industry",
     "POINT (38500600 3931000)"},
};
#define SPEC_COUNT (sizeof(specs) / sizeof(specs[0]))

static void add_spec(hegui_run *run, const finding_spec *s)
{
    hegui_finding f;
    memset(&f, 0, sizeof(f));
    f.rule = s->rule;
    f.severity = s->severity;
    f.zone_code = (char *)s->zone;
    f.zone_name = (char *)s->zone_name;
    f.block = (char *)s->block;
    f.layer = (char *)s->layer;
    f.layer_path = (char *)s->layer_path;
    f.fid = s->fid;
    f.other_layer = (char *)s->other_layer;
    f.other_fid = s->other_fid;
    f.subject_attrs = (char *)s->subject_attrs;
    f.other_attrs = (char *)s->other_attrs;
    f.has_area = s->area_m2 >= 0;
    f.area_m2 = s->area_m2;
    f.area_ellipsoidal_m2 = s->ellipsoidal_m2;
    f.share_of_zone = s->share;
    f.message_zh = (char *)s->zh;
    f.message_en = (char *)s->en;
    f.wkt = (char *)s->wkt;
    assert_int_equal(hegui_findings_add(&run->findings, &f), 0);
}

static void build_run(hegui_run *run, const char *command, size_t spec_count)
{
    size_t i;
    memset(run, 0, sizeof(*run));
    run->command = command;
    run->timestamp = 1716163200; /* 2024-05-20T00:00:00Z */
    run->fail_on = HEGUI_SEVERITY_ERROR;
    run->rules_source = copy_of("<default>");
    run->rules_sha256 = copy_of("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    run->working_crs.epsg = 4526;
    snprintf(run->working_crs.name, sizeof(run->working_crs.name), "%s",
             "CGCS2000 / 3-degree Gauss-Kruger zone 38");
    for (i = 0; i < spec_count; i++)
        add_spec(run, &specs[i]);
    hegui_findings_sort(&run->findings);
}

static int setup_check(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    if (!fx)
        return -1;
    build_run(&fx->run, "check", SPEC_COUNT);
    snprintf(fx->dir, sizeof(fx->dir), "%s", "/tmp/hegui-gdal-XXXXXX");
    if (!mkdtemp(fx->dir))
        return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    char cmd[128];
    hegui_run_release(&fx->run);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
    if (system(cmd) != 0)
        return -1;
    free(fx);
    return 0;
}

/* --- file helpers --- */

/* Names in dir other than . and .., sorted, joined by '|'. */
static void list_dir(char *out, size_t size, const char *dir)
{
    struct dirent **names = NULL;
    int n, i;
    out[0] = '\0';
    n = scandir(dir, &names, NULL, alphasort);
    assert_true(n >= 0);
    for (i = 0; i < n; i++) {
        if (strcmp(names[i]->d_name, ".") != 0 && strcmp(names[i]->d_name, "..") != 0) {
            if (out[0])
                strncat(out, "|", size - strlen(out) - 1);
            strncat(out, names[i]->d_name, size - strlen(out) - 1);
        }
        free(names[i]);
    }
    free(names);
}

static char *read_all(const char *path, size_t *out_size)
{
    FILE *f = fopen(path, "rb");
    char *data;
    long size;
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = malloc((size_t)size + 1);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)size, f), (size_t)size);
    data[size] = '\0';
    fclose(f);
    if (out_size)
        *out_size = (size_t)size;
    return data;
}

static void write_into(const char *format, const char *dir, const hegui_run *run)
{
    int rc = hegui_report_write_file(hegui_reporter_find(format), dir, run, NULL);
    if (rc != 0)
        fail_msg("%s: %s", format, hegui_error_last());
}

/* Asserts that files a and b hold the same bytes. */
static void assert_same_bytes(const char *a, const char *b)
{
    size_t size_a, size_b;
    char *data_a = read_all(a, &size_a), *data_b = read_all(b, &size_b);
    assert_int_equal(size_a, size_b);
    assert_true(memcmp(data_a, data_b, size_a) == 0);
    free(data_a);
    free(data_b);
}

/* --- a minimal XML well-formedness check (independent of the writer) --- */

static const char *skip_to(const char *p, const char *end_mark)
{
    const char *q = strstr(p, end_mark);
    assert_non_null(q);
    return q + strlen(end_mark);
}

/* An entity reference at p ("&amp;" …): asserts it is one and skips it. */
static const char *skip_entity(const char *p)
{
    static const char *const entities[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
    size_t i;
    for (i = 0; i < 5; i++) {
        if (strncmp(p, entities[i], strlen(entities[i])) == 0)
            return p + strlen(entities[i]);
    }
    fail_msg("bad entity at %.20s", p);
    return p + 1;
}

/* Every start tag closed in order, attribute values quoted without '<' or
 * a bare '&', one root element; the root's name goes to root. */
static void assert_xml_well_formed(const char *xml, char *root, size_t root_size)
{
    char stack[32][64];
    int depth = 0, roots = 0;
    const char *p = xml;
    size_t n;

    while (*p) {
        if (*p == '&') {
            p = skip_entity(p);
            continue;
        }
        if (*p != '<') {
            p++;
            continue;
        }
        if (strncmp(p, "<!DOCTYPE", 9) == 0 || strncmp(p, "<?", 2) == 0) {
            assert_int_equal(depth, 0);
            p = skip_to(p, ">");
            continue;
        }
        if (p[1] == '/') {
            n = strcspn(p + 2, ">");
            assert_true(depth > 0);
            depth--;
            if (strlen(stack[depth]) != n || strncmp(stack[depth], p + 2, n) != 0)
                fail_msg("</%.*s> closes <%s>", (int)n, p + 2, stack[depth]);
            p += n + 3;
            continue;
        }
        n = strcspn(p + 1, " \t\n/>");
        assert_true(n > 0 && n < 64);
        if (depth == 0) {
            roots++;
            snprintf(root, root_size, "%.*s", (int)n, p + 1);
        }
        assert_true(depth < 32);
        memcpy(stack[depth], p + 1, n);
        stack[depth][n] = '\0';
        p += 1 + n;
        for (;;) { /* attributes */
            while (*p == ' ' || *p == '\t' || *p == '\n')
                p++;
            if (p[0] == '/' && p[1] == '>') {
                p += 2;
                break;
            }
            if (*p == '>') {
                p++;
                depth++;
                break;
            }
            n = strcspn(p, "=");
            assert_true(n > 0 && strcspn(p, " >") > n);
            p += n + 1;
            assert_true(*p == '"' || *p == '\'');
            {
                char quote = *p++;
                while (*p && *p != quote) {
                    assert_true(*p != '<');
                    p = *p == '&' ? skip_entity(p) : p + 1;
                }
                assert_int_equal(*p, quote);
                p++;
            }
        }
    }
    assert_int_equal(depth, 0);
    assert_int_equal(roots, 1);
}

/* --- reading the GeoPackage back --- */

static GDALDatasetH open_gpkg(const char *path)
{
    const char *const drivers[] = {"GPKG", NULL};
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, NULL, NULL);
    if (!ds)
        fail_msg("cannot open %s: %s", path, CPLGetLastErrorMsg());
    return ds;
}

static const char *field_text(OGRFeatureH f, const char *name)
{
    int i = OGR_F_GetFieldIndex(f, name);
    if (i < 0)
        fail_msg("no field %s", name);
    return OGR_F_GetFieldAsString(f, i);
}

static double field_double(OGRFeatureH f, const char *name)
{
    int i = OGR_F_GetFieldIndex(f, name);
    if (i < 0)
        fail_msg("no field %s", name);
    assert_false(OGR_F_IsFieldNull(f, i));
    return OGR_F_GetFieldAsDouble(f, i);
}

static int field_is_null(OGRFeatureH f, const char *name)
{
    int i = OGR_F_GetFieldIndex(f, name);
    if (i < 0)
        fail_msg("no field %s", name);
    return OGR_F_IsFieldNull(f, i);
}

/* Result of a one-value SQL query, as text (free with free()). */
static char *sql_text(GDALDatasetH ds, const char *sql)
{
    OGRLayerH result = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
    OGRFeatureH f;
    char *text;
    assert_non_null(result);
    f = OGR_L_GetNextFeature(result);
    assert_non_null(f);
    text = strdup(OGR_F_GetFieldAsString(f, 0));
    OGR_F_Destroy(f);
    GDALDatasetReleaseResultSet(ds, result);
    return text;
}

/* The layer names of the dataset, joined by '|'. */
static void layer_names(char *out, size_t size, GDALDatasetH ds)
{
    int i, n = GDALDatasetGetLayerCount(ds);
    out[0] = '\0';
    for (i = 0; i < n; i++) {
        if (out[0])
            strncat(out, "|", size - strlen(out) - 1);
        strncat(out, OGR_L_GetName(GDALDatasetGetLayer(ds, i)), size - strlen(out) - 1);
    }
}

/* --- the table --- */

static void test_report_gdal_table(void **state)
{
    const hegui_reporter *gpkg = hegui_reporter_find("gpkg");
    const hegui_reporter *csv = hegui_reporter_find("csv");
    (void)state;
    assert_non_null(gpkg);
    assert_non_null(csv);
    assert_string_equal(gpkg->filename, "findings.gpkg");
    assert_non_null(gpkg->write_path);
    assert_non_null(gpkg->write);
    assert_string_equal(csv->filename, "findings.csv");
    assert_null(csv->write_path);
    assert_null(hegui_reporter_find("json")->write_path);
}

/* --- findings.gpkg --- */

static void test_report_gdal_gpkg_layers(void **state)
{
    fixture *fx = *state;
    char path[128], names[512];
    GDALDatasetH ds;
    OGRLayerH layer;
    OGRSpatialReferenceH srs;
    static const struct {
        const char *name;
        OGRwkbGeometryType type;
        GIntBig count;
    } expected[] = {
        {"survey", wkbMultiPolygon, 2},
        {"survey_points", wkbMultiPoint, 1},
        {"survey_lines", wkbMultiLineString, 1},
        {"conflict", wkbMultiPolygon, 2},
        {"plan_diff", wkbMultiPolygon, 1},
        {"industry_points", wkbMultiPoint, 1},
        {"layer_styles", wkbNone, 6},
    };
    size_t i;

    write_into("gpkg", fx->dir, &fx->run);
    list_dir(names, sizeof(names), fx->dir);
    assert_string_equal(names, "findings.gpkg"); /* no temporary, journal or WAL file */

    snprintf(path, sizeof(path), "%s/findings.gpkg", fx->dir);
    ds = open_gpkg(path);
    layer_names(names, sizeof(names), ds);
    assert_string_equal(names, "survey|survey_points|survey_lines|conflict|plan_diff|"
                               "industry_points|layer_styles");
    for (i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
        layer = GDALDatasetGetLayerByName(ds, expected[i].name);
        assert_non_null(layer);
        assert_int_equal(OGR_L_GetGeomType(layer), expected[i].type);
        if (OGR_L_GetFeatureCount(layer, TRUE) != expected[i].count)
            fail_msg("%s has %lld features, expected %lld", expected[i].name,
                     (long long)OGR_L_GetFeatureCount(layer, TRUE), (long long)expected[i].count);
        if (expected[i].type != wkbNone) {
            assert_string_equal(OGR_L_GetFIDColumn(layer), "finding_id");
            assert_string_equal(OGR_L_GetGeometryColumn(layer), "geom");
            srs = OGR_L_GetSpatialRef(layer);
            assert_non_null(srs);
            assert_string_equal(OSRGetAuthorityCode(srs, NULL), "4526");
        }
    }
    GDALClose(ds);
}

static void test_report_gdal_gpkg_features(void **state)
{
    fixture *fx = *state;
    char path[128];
    GDALDatasetH ds;
    OGRLayerH survey, conflict, points, plan_diff;
    OGRFeatureH f;
    OGRGeometryH g;
    char *text;

    write_into("gpkg", fx->dir, &fx->run);
    snprintf(path, sizeof(path), "%s/findings.gpkg", fx->dir);
    ds = open_gpkg(path);
    survey = GDALDatasetGetLayerByName(ds, "survey");
    conflict = GDALDatasetGetLayerByName(ds, "conflict");
    points = GDALDatasetGetLayerByName(ds, "survey_points");
    plan_diff = GDALDatasetGetLayerByName(ds, "plan_diff");
    assert_non_null(survey);
    assert_non_null(conflict);

    /* S03 (finding 6): the square with a hole, 100*100 - 10*10 = 9900 m2 */
    f = OGR_L_GetFeature(survey, 6);
    assert_non_null(f);
    assert_string_equal(field_text(f, "rule"), "S03");
    assert_string_equal(field_text(f, "severity"), "error");
    assert_string_equal(field_text(f, "zone_code"), "G140500");
    assert_string_equal(field_text(f, "zone_name"), "晋城经济技术开发区");
    assert_string_equal(field_text(f, "block"), "一区");
    assert_string_equal(field_text(f, "layer"), "KFQ");
    assert_string_equal(field_text(f, "layer_path"), "C:/data/KFQ.shp");
    assert_string_equal(field_text(f, "message_zh"), MSG_S03_ZH);
    assert_string_equal(field_text(f, "message_en"), MSG_S03_EN);
    assert_int_equal(OGR_F_GetFieldAsInteger64(f, OGR_F_GetFieldIndex(f, "fid")), 1);
    assert_true(field_is_null(f, "other_fid"));
    assert_double_near(field_double(f, "area_m2"), 9900.0, 1e-9);
    assert_double_near(field_double(f, "area_ha"), 0.99, 1e-12);
    assert_double_near(field_double(f, "area_mu"), 14.85, 1e-12); /* 9900 * 15 / 10000 */
    assert_double_near(field_double(f, "area_ellipsoidal_m2"), 9897.43, 1e-9);
    assert_double_near(field_double(f, "share_of_zone"), 0.00495, 1e-12);
    g = OGR_F_GetGeometryRef(f);
    assert_non_null(g);
    assert_int_equal(OGR_G_GetGeometryType(g), wkbMultiPolygon);
    assert_int_equal(OGR_G_GetGeometryCount(g), 1);
    assert_int_equal(OGR_G_GetGeometryCount(OGR_G_GetGeometryRef(g, 0)), 2); /* shell + hole */
    assert_double_near(OGR_G_Area(g), 9900.0, 1e-6);
    OGR_F_Destroy(f);

    /* S04 (finding 7): no geometry, no area, no fid: a NULL-geometry row */
    f = OGR_L_GetFeature(survey, 7);
    assert_non_null(f);
    assert_string_equal(field_text(f, "rule"), "S04");
    assert_string_equal(field_text(f, "severity"), "warning");
    assert_string_equal(field_text(f, "message_zh"), "坐标系缺少带号前缀");
    assert_null(OGR_F_GetGeometryRef(f));
    assert_true(field_is_null(f, "area_m2"));
    assert_true(field_is_null(f, "area_ha"));
    assert_true(field_is_null(f, "area_mu"));
    assert_true(field_is_null(f, "area_ellipsoidal_m2"));
    assert_true(field_is_null(f, "share_of_zone"));
    assert_true(field_is_null(f, "fid"));
    assert_string_equal(field_text(f, "zone_code"), "");
    OGR_F_Destroy(f);

    /* C01 (finding 1): two parts, 30*50 + 10*20 = 1700 m2 = 0.17 ha = 2.55 亩 */
    f = OGR_L_GetFeature(conflict, 1);
    assert_non_null(f);
    assert_string_equal(field_text(f, "rule"), "C01");
    assert_string_equal(field_text(f, "other_layer"), "YJJBNT");
    assert_int_equal(OGR_F_GetFieldAsInteger64(f, OGR_F_GetFieldIndex(f, "other_fid")), 12);
    assert_string_equal(field_text(f, "subject_attrs"), "KFQDM=G140500; QKMC=一区");
    assert_string_equal(field_text(f, "other_attrs"), "DLBM=0101; DLMC=水田");
    assert_double_near(field_double(f, "area_m2"), 1700.0, 1e-9);
    assert_double_near(field_double(f, "area_ha"), 0.17, 1e-12);
    assert_double_near(field_double(f, "area_mu"), 2.55, 1e-12);
    assert_double_near(field_double(f, "share_of_zone"), 0.00085, 1e-12);
    g = OGR_F_GetGeometryRef(f);
    assert_int_equal(OGR_G_GetGeometryCount(g), 2);
    assert_double_near(OGR_G_Area(g), 1700.0, 1e-6);
    OGR_F_Destroy(f);

    /* C02 (finding 2): a collection keeps its polygon part, 10*10 m2 */
    f = OGR_L_GetFeature(conflict, 2);
    assert_non_null(f);
    assert_string_equal(field_text(f, "rule"), "C02");
    g = OGR_F_GetGeometryRef(f);
    assert_int_equal(OGR_G_GetGeometryType(g), wkbMultiPolygon);
    assert_double_near(OGR_G_Area(g), 100.0, 1e-6);
    OGR_F_Destroy(f);

    /* C06 (finding 3) in plan_diff, 20*20 m2 */
    f = OGR_L_GetFeature(plan_diff, 3);
    assert_non_null(f);
    assert_string_equal(field_text(f, "rule"), "C06");
    assert_double_near(OGR_G_Area(OGR_F_GetGeometryRef(f)), 400.0, 1e-6);
    assert_double_near(field_double(f, "area_mu"), 0.6, 1e-12);
    OGR_F_Destroy(f);

    /* S01 (finding 5): the location, promoted to a one-point MultiPoint */
    f = OGR_L_GetFeature(points, 5);
    assert_non_null(f);
    g = OGR_G_GetGeometryRef(OGR_F_GetGeometryRef(f), 0);
    assert_double_near(OGR_G_GetX(g, 0), 38500010.5, 1e-9);
    assert_double_near(OGR_G_GetY(g, 0), 3931010.25, 1e-9);
    OGR_F_Destroy(f);

    /* the run's time, not the clock, in gpkg_contents */
    text = sql_text(
        ds, "SELECT CAST(last_change AS TEXT) FROM gpkg_contents WHERE table_name = 'survey'");
    assert_string_equal(text, "2024-05-20T00:00:00.000Z");
    free(text);
    text = sql_text(ds, "SELECT COUNT(*) FROM gpkg_contents");
    assert_string_equal(text, "7");
    free(text);
    GDALClose(ds);
}

static void test_report_gdal_gpkg_styles(void **state)
{
    fixture *fx = *state;
    char path[128], root[64], seen[512];
    GDALDatasetH ds;
    OGRLayerH styles;
    OGRFeatureH f;
    int rows = 0, year, month, day, hour, minute, tz;
    float second;

    write_into("gpkg", fx->dir, &fx->run);
    snprintf(path, sizeof(path), "%s/findings.gpkg", fx->dir);
    ds = open_gpkg(path);
    styles = GDALDatasetGetLayerByName(ds, "layer_styles");
    assert_non_null(styles);
    assert_string_equal(OGR_L_GetFIDColumn(styles), "id");
    seen[0] = '\0';
    OGR_L_ResetReading(styles);
    while ((f = OGR_L_GetNextFeature(styles)) != NULL) {
        const char *table = field_text(f, "f_table_name");
        const char *qml = field_text(f, "styleQML");
        OGRLayerH styled = GDALDatasetGetLayerByName(ds, table);
        rows++;
        if (seen[0])
            strncat(seen, "|", sizeof(seen) - strlen(seen) - 1);
        strncat(seen, table, sizeof(seen) - strlen(seen) - 1);
        assert_non_null(styled); /* names a real layer */
        assert_string_equal(field_text(f, "f_table_catalog"), "");
        assert_string_equal(field_text(f, "f_table_schema"), "");
        assert_string_equal(field_text(f, "f_geometry_column"), OGR_L_GetGeometryColumn(styled));
        assert_string_equal(field_text(f, "styleName"), table);
        assert_int_equal(OGR_F_GetFieldAsInteger(f, OGR_F_GetFieldIndex(f, "useAsDefault")), 1);
        assert_true(OGR_F_GetFieldAsDateTimeEx(f, OGR_F_GetFieldIndex(f, "update_time"), &year,
                                               &month, &day, &hour, &minute, &second, &tz));
        assert_int_equal(year, 2024);
        assert_int_equal(month, 5);
        assert_int_equal(day, 20);
        assert_int_equal(hour, 0);

        /* the QML: well-formed, a QGIS 3 document, categorized on rule */
        assert_true(strncmp(qml, "<!DOCTYPE qgis", 14) == 0);
        assert_xml_well_formed(qml, root, sizeof(root));
        assert_string_equal(root, "qgis");
        assert_contains(qml, "<qgis version=\"3.28\" styleCategories=\"Symbology\">");
        assert_contains(qml, "<renderer-v2 type=\"categorizedSymbol\" attr=\"rule\"");
        assert_contains(qml, "name=\"outlineStyle\""); /* severity on the outline */
        assert_contains(qml, "&quot;severity&quot;");
        if (strcmp(table, "survey") == 0) {
            assert_contains(qml, "value=\"S01\" symbol=\"0\"");
            assert_contains(qml, "value=\"S06\" symbol=\"5\"");
            assert_contains(qml, "label=\"S03 测量面积与申报面积不符 / Surveyed vs declared "
                                 "area\"");
            assert_contains(qml, "<symbol type=\"fill\"");
            assert_contains(qml, "<layerGeometryType>2</layerGeometryType>");
            assert_contains(qml, "<Option name=\"color\" type=\"QString\" "
                                 "value=\"228,26,28,110\"/>"); /* S01 red, translucent */
            assert_null(strstr(qml, "\"C01\""));
        } else if (strcmp(table, "conflict") == 0) {
            assert_contains(qml, "value=\"C01\"");
            assert_contains(qml, "value=\"C05\"");
            assert_null(strstr(qml, "value=\"C06\"")); /* C06 is plan_diff's */
        } else if (strcmp(table, "plan_diff") == 0) {
            assert_contains(qml, "value=\"C06\" symbol=\"0\"");
        } else if (strcmp(table, "survey_points") == 0) {
            assert_contains(qml, "<symbol type=\"marker\"");
            assert_contains(qml, "<layerGeometryType>0</layerGeometryType>");
        } else if (strcmp(table, "survey_lines") == 0) {
            assert_contains(qml, "<symbol type=\"line\"");
            assert_contains(qml, "<layerGeometryType>1</layerGeometryType>");
        } else if (strcmp(table, "industry_points") == 0) {
            assert_contains(qml, "value=\"I01\"");
            assert_contains(qml, "value=\"I03\"");
        }
        OGR_F_Destroy(f);
    }
    assert_int_equal(rows, 6);
    assert_string_equal(seen, "survey|survey_points|survey_lines|conflict|plan_diff|"
                              "industry_points");
    GDALClose(ds);
}

/* Same run twice: identical bytes (also through the stream writer). */
static void test_report_gdal_gpkg_deterministic(void **state)
{
    fixture *fx = *state;
    char a[128], b[128], path_a[160], path_b[160];
    char *text = NULL, *file;
    size_t size = 0, file_size;
    FILE *out;

    snprintf(a, sizeof(a), "%s/a", fx->dir);
    snprintf(b, sizeof(b), "%s/b", fx->dir);
    snprintf(path_a, sizeof(path_a), "%s/findings.gpkg", a);
    snprintf(path_b, sizeof(path_b), "%s/findings.gpkg", b);
    write_into("gpkg", a, &fx->run);
    sleep(1); /* a clock leaking into the file would now differ */
    write_into("gpkg", b, &fx->run);
    assert_same_bytes(path_a, path_b);
    write_into("gpkg", a, &fx->run); /* replaces the file in place */
    assert_same_bytes(path_a, path_b);

    out = open_memstream(&text, &size);
    assert_non_null(out);
    assert_int_equal(hegui_reporter_find("gpkg")->write(out, &fx->run, NULL), 0);
    fclose(out);
    file = read_all(path_a, &file_size);
    assert_int_equal(size, file_size);
    assert_true(memcmp(text, file, size) == 0);
    free(text);
    free(file);
}

/* A user's OGR_CURRENT_DATE and OGR_GPKG_ALLOW_THREADED_RTREE survive the
 * write (and none is left behind). */
static void test_report_gdal_gpkg_restores_config(void **state)
{
    fixture *fx = *state;
    CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", "1999-01-01T00:00:00.000Z");
    CPLSetThreadLocalConfigOption("OGR_GPKG_ALLOW_THREADED_RTREE", "YES");
    write_into("gpkg", fx->dir, &fx->run);
    assert_string_equal(CPLGetThreadLocalConfigOption("OGR_CURRENT_DATE", ""),
                        "1999-01-01T00:00:00.000Z");
    assert_string_equal(CPLGetThreadLocalConfigOption("OGR_GPKG_ALLOW_THREADED_RTREE", ""), "YES");
    CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", NULL);
    CPLSetThreadLocalConfigOption("OGR_GPKG_ALLOW_THREADED_RTREE", NULL);
    write_into("gpkg", fx->dir, &fx->run);
    assert_null(CPLGetThreadLocalConfigOption("OGR_CURRENT_DATE", NULL));
    assert_null(CPLGetThreadLocalConfigOption("OGR_GPKG_ALLOW_THREADED_RTREE", NULL));
}

/* The R-tree of each layer (built when the file closes) lists every
 * feature with a geometry, each once, in a box that holds its envelope
 * (GeoPackage R-trees store 32-bit floats rounded outwards), and nothing
 * else: a spatial filter in QGIS finds every finding. */
static void test_report_gdal_gpkg_rtree(void **state)
{
    static const char *const layers[] = {"survey", "conflict"};
    fixture *fx = *state;
    char path[128], sql[1024];
    GDALDatasetH ds;
    size_t k;
    write_into("gpkg", fx->dir, &fx->run);
    snprintf(path, sizeof(path), "%s/findings.gpkg", fx->dir);
    ds = open_gpkg(path);
    for (k = 0; k < 2; k++) {
        const char *t = layers[k];
        OGRLayerH result;
        OGRFeatureH row;
        snprintf(sql, sizeof(sql),
                 "SELECT (SELECT COUNT(*) FROM \"%s\" WHERE geom IS NOT NULL AND NOT "
                 "ST_IsEmpty(geom)), (SELECT COUNT(*) FROM \"rtree_%s_geom\"), "
                 "(SELECT COUNT(*) FROM \"%s\" c JOIN \"rtree_%s_geom\" r ON "
                 "r.id = c.finding_id WHERE r.minx <= ST_MinX(c.geom) AND r.maxx >= "
                 "ST_MaxX(c.geom) AND r.miny <= ST_MinY(c.geom) AND r.maxy >= ST_MaxY(c.geom))",
                 t, t, t, t);
        result = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
        assert_non_null(result);
        row = OGR_L_GetNextFeature(result);
        assert_non_null(row);
        if (k == 1) /* the fixture's conflicts have polygons */
            assert_true(OGR_F_GetFieldAsInteger64(row, 0) > 0);
        assert_int_equal(OGR_F_GetFieldAsInteger64(row, 1), OGR_F_GetFieldAsInteger64(row, 0));
        assert_int_equal(OGR_F_GetFieldAsInteger64(row, 2), OGR_F_GetFieldAsInteger64(row, 0));
        OGR_F_Destroy(row);
        GDALDatasetReleaseResultSet(ds, result);
    }
    GDALClose(ds);
}

/* Polygon findings are parsed by the reports' own WKT reader, not GDAL's:
 * each feature of findings.gpkg is, byte for byte, the MultiPolygon GDAL's
 * parse gives (2D, empty parts dropped; NULL when all empty), for holes,
 * several polygons, Z, lower case, EMPTY parts, and numbers the reader
 * leaves to GDAL. */
static void test_report_gdal_gpkg_polygon_wkt(void **state)
{
    static const char *const wkts[] = {
        "POLYGON ((0.1 0.2, 10.3 0.2, 10.3 10.7, 0.1 0.2))",
        "POLYGON ((0 0,100 0,100 100,0 100,0 0),(10 10,10 20,20 20,10 10))",
        "MULTIPOLYGON (((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5),(5.2 5.1,5.3 5.1,5.3 5.2,5.2 5.1)))",
        "POLYGON Z ((0 0 1,1 0 2,1 1 3,0 0 1))",
        "MULTIPOLYGON (EMPTY, ((38416967.9 3940682.27, 3.84e7 3.94e6, 38416967.9 3940682.27)))",
        "POLYGON EMPTY",
        "polygon((1e-30 2.5e-30, 12345678901234567890.123 0, 0 1, 1e-30 2.5e-30))",
        " MULTIPOLYGON(((0.3 0.3,0.7 0.3,0.7 0.7,0.3 0.3)))",
    };
    fixture *fx = *state;
    hegui_run run;
    char path[128];
    GDALDatasetH ds;
    OGRLayerH layer;
    size_t i, n = sizeof(wkts) / sizeof(wkts[0]);
    build_run(&run, "check", 0);
    for (i = 0; i < n; i++) {
        finding_spec spec = specs[4]; /* a C01 */
        spec.wkt = wkts[i];
        spec.other_fid = (int64_t)i;
        add_spec(&run, &spec);
    }
    hegui_findings_sort(&run.findings);
    write_into("gpkg", fx->dir, &run);
    snprintf(path, sizeof(path), "%s/findings.gpkg", fx->dir);
    ds = open_gpkg(path);
    layer = GDALDatasetGetLayerByName(ds, "conflict");
    assert_non_null(layer);
    for (i = 0; i < n; i++) {
        const hegui_finding *f = &run.findings.items[i];
        OGRFeatureH feature = OGR_L_GetFeature(layer, (GIntBig)i + 1);
        OGRGeometryH got, parsed = NULL, want = NULL;
        char *cursor = f->wkt;
        int k, parts;
        assert_non_null(feature);
        assert_int_equal(OGR_G_CreateFromWkt(&cursor, NULL, &parsed), OGRERR_NONE);
        OGR_G_FlattenTo2D(parsed);
        parts = wkbFlatten(OGR_G_GetGeometryType(parsed)) == wkbPolygon
                    ? 1
                    : OGR_G_GetGeometryCount(parsed);
        for (k = 0; k < parts; k++) {
            OGRGeometryH part =
                parts == 1 && wkbFlatten(OGR_G_GetGeometryType(parsed)) == wkbPolygon
                    ? parsed
                    : OGR_G_GetGeometryRef(parsed, k);
            if (OGR_G_IsEmpty(part))
                continue;
            if (!want)
                want = OGR_G_CreateGeometry(wkbMultiPolygon);
            OGR_G_AddGeometry(want, part);
        }
        got = OGR_F_GetGeometryRef(feature);
        if (!want) {
            assert_null(got);
        } else {
            int size = OGR_G_WkbSize(want);
            unsigned char *a = malloc((size_t)size), *b = malloc((size_t)size);
            assert_non_null(got);
            assert_true(a && b);
            assert_int_equal(OGR_G_WkbSize(got), size);
            OGR_G_ExportToIsoWkb(want, wkbNDR, a);
            OGR_G_ExportToIsoWkb(got, wkbNDR, b);
            if (memcmp(a, b, (size_t)size) != 0)
                fail_msg("finding %zu (%s): not GDAL's geometry", i, f->wkt);
            free(a);
            free(b);
            OGR_G_DestroyGeometry(want);
        }
        OGR_G_DestroyGeometry(parsed);
        OGR_F_Destroy(feature);
    }
    GDALClose(ds);
    hegui_run_release(&run);
}

/* Several report files at once (hegui_report_write_files): on one thread
 * or four, each file is the bytes hegui_report_write_file writes alone.
 * Two targets that cannot be replaced (folders named report.html and
 * junit.xml): the other four are written, each status says which failed,
 * and the message is the first failure in list order (junit.xml, listed
 * before report.html though report.html, the costliest, is written first). */
static void test_report_gdal_write_files(void **state)
{
    static const char *const names[] = {"json", "junit", "gpkg", "csv", "xlsx", "html"};
    fixture *fx = *state;
    const hegui_reporter *list[6];
    char alone[160], together[160], a[224], b[224], cmd[512];
    int status[6], threads[] = {1, 4};
    size_t i, t;
    for (i = 0; i < 6; i++)
        list[i] = hegui_reporter_find(names[i]);
    snprintf(alone, sizeof(alone), "%s/alone", fx->dir);
    for (i = 0; i < 6; i++)
        write_into(names[i], alone, &fx->run);
    for (t = 0; t < 2; t++) {
        snprintf(together, sizeof(together), "%s/together-%d", fx->dir, threads[t]);
        memset(status, 0x55, sizeof(status));
        if (hegui_report_write_files(list, 6, together, &fx->run, NULL, threads[t], status) != 0)
            fail_msg("%s", hegui_error_last());
        for (i = 0; i < 6; i++) {
            assert_int_equal(status[i], 0);
            snprintf(a, sizeof(a), "%s/%s", alone, list[i]->filename);
            snprintf(b, sizeof(b), "%s/%s", together, list[i]->filename);
            assert_same_bytes(a, b);
        }
    }

    snprintf(together, sizeof(together), "%s/blocked", fx->dir);
    snprintf(cmd, sizeof(cmd), "mkdir -p '%s/report.html/x' '%s/junit.xml/x'", together, together);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(hegui_report_write_files(list, 6, together, &fx->run, NULL, 4, status),
                     HEGUI_EOUTPUT);
    assert_contains(hegui_error_last(), "junit.xml");
    for (i = 0; i < 6; i++) {
        bool blocked = i == 1 || i == 5;
        struct stat sb;
        assert_true(blocked ? status[i] == HEGUI_EOUTPUT : status[i] == 0);
        snprintf(a, sizeof(a), "%s/%s", together, list[i]->filename);
        assert_int_equal(stat(a, &sb), 0);
        assert_true(blocked ? S_ISDIR(sb.st_mode) : S_ISREG(sb.st_mode));
        if (!blocked) {
            snprintf(b, sizeof(b), "%s/%s", alone, list[i]->filename);
            assert_same_bytes(a, b);
        }
    }
}

/* validate: survey is always there; check without findings: survey and
 * conflict; layers without findings are not created. */
static void test_report_gdal_gpkg_main_layers(void **state)
{
    fixture *fx = *state;
    hegui_run run;
    char path[128], names[512];
    char *text;
    GDALDatasetH ds;

    build_run(&run, "validate", 0);
    add_spec(&run, &specs[1]); /* S01, a point */
    write_into("gpkg", fx->dir, &run);
    snprintf(path, sizeof(path), "%s/findings.gpkg", fx->dir);
    ds = open_gpkg(path);
    layer_names(names, sizeof(names), ds);
    assert_string_equal(names, "survey|survey_points|layer_styles");
    assert_int_equal(OGR_L_GetFeatureCount(GDALDatasetGetLayerByName(ds, "survey"), TRUE), 0);
    assert_int_equal(OGR_L_GetFeatureCount(GDALDatasetGetLayerByName(ds, "layer_styles"), TRUE), 2);
    GDALClose(ds);
    hegui_run_release(&run);

    build_run(&run, "check", 0);
    run.working_crs.epsg = 0; /* not identified: undefined, rather than a wrong CRS */
    write_into("gpkg", fx->dir, &run);
    ds = open_gpkg(path);
    layer_names(names, sizeof(names), ds);
    assert_string_equal(names, "survey|conflict|layer_styles");
    text = sql_text(ds, "SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = 'conflict'");
    assert_string_equal(text, "-1"); /* Undefined Cartesian SRS, not geographic (0) */
    free(text);
    GDALClose(ds);
    hegui_run_release(&run);
}

/* Failures: the old file stays, nothing else is left in the folder. */
static void test_report_gdal_gpkg_failures(void **state)
{
    fixture *fx = *state;
    const hegui_reporter *gpkg = hegui_reporter_find("gpkg");
    char path[128], names[512], copy[160];
    char *before;
    size_t size;

    write_into("gpkg", fx->dir, &fx->run);
    snprintf(path, sizeof(path), "%s/findings.gpkg", fx->dir);
    before = read_all(path, &size);

    /* a NaN area is a bug upstream */
    fx->run.findings.items[0].area_m2 = NAN;
    assert_int_equal(hegui_report_write_file(gpkg, fx->dir, &fx->run, NULL), HEGUI_EINTERNAL);
    assert_contains(hegui_error_last(), path);
    assert_contains(hegui_error_last(), "area_m2 is not a finite number");
    fx->run.findings.items[0].area_m2 = 1700.0;
    list_dir(names, sizeof(names), fx->dir);
    assert_string_equal(names, "findings.gpkg");

    /* a CRS PROJ does not know: the half-written temporary file is removed */
    fx->run.working_crs.epsg = 999999;
    assert_int_equal(hegui_report_write_file(gpkg, fx->dir, &fx->run, NULL), HEGUI_EINTERNAL);
    assert_contains(hegui_error_last(), "EPSG:999999");
    fx->run.working_crs.epsg = 4526;
    list_dir(names, sizeof(names), fx->dir);
    assert_string_equal(names, "findings.gpkg");

    /* WKT GDAL cannot read */
    fx->run.findings.items[0].wkt[0] = 'X';
    assert_int_equal(hegui_report_write_file(gpkg, fx->dir, &fx->run, NULL), HEGUI_EINTERNAL);
    assert_contains(hegui_error_last(), "geometry GDAL cannot read");
    fx->run.findings.items[0].wkt[0] = 'M';
    list_dir(names, sizeof(names), fx->dir);
    assert_string_equal(names, "findings.gpkg");

    snprintf(copy, sizeof(copy), "%s.before", path);
    {
        FILE *f = fopen(copy, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(before, 1, size, f), size);
        fclose(f);
    }
    assert_same_bytes(path, copy); /* untouched by the failed writes */
    free(before);
}

/* Every hegui allocation of a write can fail: HEGUI_ENOMEM and no file. */
static void test_report_gdal_enomem(void **state)
{
    fixture *fx = *state;
    static const char *const formats[][2] = {{"gpkg", "findings.gpkg"}, {"csv", "findings.csv"}};
    char dir[128], names[512];
    size_t k;

    for (k = 0; k < 2; k++) {
        const hegui_reporter *reporter = hegui_reporter_find(formats[k][0]);
        long n;
        int rc = -1, failures = 0;
        snprintf(dir, sizeof(dir), "%s/%s", fx->dir, formats[k][0]);
        for (n = 1; n < 2000 && rc != 0; n++) {
            hegui_alloc_fail_after(n);
            rc = hegui_report_write_file(reporter, dir, &fx->run, NULL);
            hegui_alloc_fail_after(0);
            if (rc != 0) {
                failures++;
                if (rc != HEGUI_ENOMEM)
                    fail_msg("%s, allocation %ld: %d %s", formats[k][0], n, rc, hegui_error_last());
                if (access(dir, F_OK) == 0) {
                    list_dir(names, sizeof(names), dir);
                    assert_string_equal(names, "");
                }
            } else {
                list_dir(names, sizeof(names), dir);
                assert_string_equal(names, formats[k][1]);
            }
        }
        assert_int_equal(rc, 0);
        assert_true(failures > 2);
    }
}

/* --- findings.csv --- */

#define CSV_HEADER                                                                                 \
    "rule,severity,zone_code,zone_name,block,layer,layer_path,fid,other_layer,other_fid,"          \
    "subject_attrs,other_attrs,area_m2,area_ha,area_mu,area_ellipsoidal_m2,share_of_zone,"         \
    "message_zh,message_en,wkt\r\n"

static void test_report_gdal_csv(void **state)
{
    fixture *fx = *state;
    char path[128], copy_dir[128], copy_path[160], names[512];
    char *csv;
    const char *p;
    size_t size, crlf = 0, bare_lf = 0, i;

    write_into("csv", fx->dir, &fx->run);
    snprintf(path, sizeof(path), "%s/findings.csv", fx->dir);
    csv = read_all(path, &size);
    assert_int_equal(strlen(csv), size); /* no NUL inside */

    /* BOM, then the header */
    assert_true(memcmp(csv, "\xEF\xBB\xBF" CSV_HEADER, 3 + strlen(CSV_HEADER)) == 0);

    /* rows in the run's order, quoting per RFC 4180, numbers as in summary.json */
    assert_contains(csv, CSV_HEADER
                    "C01,error,G140500,晋城经济技术开发区,一区,KFQ,C:/data/KFQ.shp,1,YJJBNT,12,"
                    "KFQDM=G140500; QKMC=一区,DLBM=0101; DLMC=水田,1700.00,0.1700,2.55,1699.55,"
                    "0.000850,占用永久基本农田 1700.00 平方米,occupies 1700.00 m2 of permanent "
                    "basic farmland,\"" WKT_MULTI "\"\r\n"
                    "C02,");
    assert_contains(csv, "\r\nS03,error,G140500,晋城经济技术开发区,一区,KFQ,C:/data/KFQ.shp,1,,,"
                         "KFQDM=G140500,,9900.00,0.9900,14.85,9897.43,0.004950,"
                         "\"测量面积比申报面积大 9900.00 平方米，\"\"申报\"\"\n超出\","
                         "\"area differs, \"\"declared\"\"\nby 9900 m2\",\"" WKT_HOLE "\"\r\n");
    /* no geometry, no area, no fid: empty fields */
    assert_contains(csv, "\r\nS04,warning,,,,KFQ,C:/data/KFQ.shp,,,,,,,,,,,坐标系缺少带号前缀,"
                         "CRS lacks the zone prefix,\r\n");
    assert_contains(csv, "\r\nS01,error,G140500,晋城经济技术开发区,,KFQ,C:/data/KFQ.shp,3,,,,,,,"
                         ",,,几何无效：自相交,invalid geometry: self-intersection,"
                         "POINT (38500010.5 3931010.25)\r\n");
    /* a cell a spreadsheet would run as a formula is neutralised */
    assert_contains(csv, ",5,,,'" FORMULA ",,");
    assert_null(strstr(csv, ",=cmd"));

    /* CRLF record ends; LF only inside the two quoted messages */
    for (i = 0; i < size; i++) {
        if (csv[i] == '\n') {
            if (i > 0 && csv[i - 1] == '\r')
                crlf++;
            else
                bare_lf++;
        }
    }
    assert_int_equal(crlf, SPEC_COUNT + 1);
    assert_int_equal(bare_lf, 2);
    p = csv + size - 2;
    assert_string_equal(p, "\r\n");

    /* same bytes again, and only the file is left */
    snprintf(copy_dir, sizeof(copy_dir), "%s/again", fx->dir);
    snprintf(copy_path, sizeof(copy_path), "%s/findings.csv", copy_dir);
    write_into("csv", copy_dir, &fx->run);
    assert_same_bytes(path, copy_path);
    list_dir(names, sizeof(names), copy_dir);
    assert_string_equal(names, "findings.csv");
    free(csv);
}

static void test_report_gdal_csv_empty_and_nan(void **state)
{
    fixture *fx = *state;
    hegui_run run;
    char *text = NULL;
    size_t size = 0;
    FILE *out;

    (void)fx;
    build_run(&run, "validate", 0);
    out = open_memstream(&text, &size);
    assert_non_null(out);
    assert_int_equal(hegui_reporter_find("csv")->write(out, &run, NULL), 0);
    fclose(out);
    assert_string_equal(text, "\xEF\xBB\xBF" CSV_HEADER);
    free(text);

    /* a NaN area is refused, not written */
    add_spec(&run, &specs[0]);
    run.findings.items[0].area_ellipsoidal_m2 = NAN;
    text = NULL;
    out = open_memstream(&text, &size);
    assert_non_null(out);
    assert_int_equal(hegui_reporter_find("csv")->write(out, &run, NULL), HEGUI_EINTERNAL);
    fclose(out);
    free(text);
    assert_contains(hegui_error_last(), "area_ellipsoidal_m2 is not a finite number");
    hegui_run_release(&run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_gdal_table),
        cmocka_unit_test_setup_teardown(test_report_gdal_gpkg_layers, setup_check, teardown),
        cmocka_unit_test_setup_teardown(test_report_gdal_gpkg_features, setup_check, teardown),
        cmocka_unit_test_setup_teardown(test_report_gdal_gpkg_styles, setup_check, teardown),
        cmocka_unit_test_setup_teardown(test_report_gdal_gpkg_deterministic, setup_check, teardown),
        cmocka_unit_test_setup_teardown(test_report_gdal_gpkg_restores_config, setup_check,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_report_gdal_gpkg_rtree, setup_check, teardown),
        cmocka_unit_test_setup_teardown(test_report_gdal_write_files, setup_check, teardown),
        cmocka_unit_test_setup_teardown(test_report_gdal_gpkg_polygon_wkt, setup_check, teardown),
        cmocka_unit_test_setup_teardown(test_report_gdal_gpkg_main_layers, setup_check, teardown),
        cmocka_unit_test_setup_teardown(test_report_gdal_gpkg_failures, setup_check, teardown),
        cmocka_unit_test_setup_teardown(test_report_gdal_enomem, setup_check, teardown),
        cmocka_unit_test_setup_teardown(test_report_gdal_csv, setup_check, teardown),
        cmocka_unit_test_setup_teardown(test_report_gdal_csv_empty_and_nan, setup_check, teardown),
    };
    GDALAllRegister();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
