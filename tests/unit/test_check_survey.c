/*
 * test_check_survey.c - the survey rules S01-S06 from WKT, with expected
 * values computed by hand. Blocks are built directly (no files): squares
 * near Jincheng in EPSG:4547 (CGCS2000 GK CM 114E, no prefix).
 */
#include "test_common.h"

#include <stdlib.h>

#include "check/check_internal.h"

/* Offsets that put the hand-made shapes near Jincheng. */
#define X0 397000.0
#define Y0 3931000.0

typedef struct block_spec {
    const char *wkt; /* in local metres, shifted by (X0, Y0) */
    const char *code, *name, *block, *approved_ha, *block_ha, *industries;
} block_spec;

typedef struct fixture {
    hegui_config *config;
    hegui_catalog catalog;
    hegui_layer_info layer;
    hegui_run run;
    check_ctx ctx;
} fixture;

static int shift_xy(double *x, double *y, void *userdata)
{
    (void)userdata;
    *x += X0;
    *y += Y0;
    return 1;
}

static GEOSGeometry *make_geom(check_ctx *ctx, const char *wkt)
{
    GEOSWKTReader *r = GEOSWKTReader_create_r(ctx->h);
    GEOSGeometry *g = GEOSWKTReader_read_r(ctx->h, r, wkt), *moved;
    GEOSWKTReader_destroy_r(ctx->h, r);
    assert_non_null(g);
    moved = GEOSGeom_transformXY_r(ctx->h, g, shift_xy, NULL);
    GEOSGeom_destroy_r(ctx->h, g);
    assert_non_null(moved);
    return moved;
}

static char *dup_or_null(const char *s)
{
    return s ? hegui_strdup(s) : NULL;
}

/* Sets up a run over blocks with the default rules (overridden by yaml). */
static fixture *fixture_new(const block_spec *specs, size_t n, const char *yaml)
{
    fixture *fx = calloc(1, sizeof(*fx));
    size_t i;
    static const char *fields[] = {"KFQDM", "KFQMC", "QKMC", "HZMJ", "QKMJ", "ZDCY"};
    assert_non_null(fx);
    if (yaml)
        assert_int_equal(hegui_config_parse(&fx->config, yaml, strlen(yaml), "test.yaml"),
                         HEGUI_OK);
    else
        assert_int_equal(hegui_config_default(&fx->config), HEGUI_OK);
    fx->layer.path = "mem/KFQ.shp";
    fx->layer.layer_name = "KFQ";
    fx->layer.role = HEGUI_ROLE_ZONES;
    fx->layer.has_crs = true;
    assert_int_equal(hegui_crs_describe(&fx->layer.crs, "EPSG:4547"), HEGUI_OK);
    fx->layer.fields = (char **)fields;
    fx->layer.field_count = 6;
    fx->catalog.layers = &fx->layer;
    fx->catalog.count = 1;
    fx->run.config = fx->config;
    assert_int_equal(check_ctx_init(&fx->ctx, fx->config, &fx->catalog, &fx->run, 4547), HEGUI_OK);
    fx->ctx.zone_fields = hegui_calloc(1, sizeof(*fx->ctx.zone_fields));
    for (i = 0; i < 6; i++)
        fx->ctx.zone_fields[0][i] = fields[i];
    fx->ctx.blocks = hegui_calloc(n ? n : 1, sizeof(check_block));
    for (i = 0; i < n; i++) {
        check_block *b = &fx->ctx.blocks[i];
        b->layer = &fx->layer;
        b->fid = (int64_t)i;
        b->values[ZONE_FIELD_CODE] = dup_or_null(specs[i].code);
        b->values[ZONE_FIELD_NAME] = dup_or_null(specs[i].name);
        b->values[ZONE_FIELD_BLOCK] = dup_or_null(specs[i].block);
        b->values[ZONE_FIELD_APPROVED_HA] = dup_or_null(specs[i].approved_ha);
        b->values[ZONE_FIELD_BLOCK_HA] = dup_or_null(specs[i].block_ha);
        b->values[ZONE_FIELD_INDUSTRIES] = dup_or_null(specs[i].industries);
        fx->ctx.block_count++;
        assert_int_equal(check_block_set_geometry(&fx->ctx, b, make_geom(&fx->ctx, specs[i].wkt)),
                         HEGUI_OK);
    }
    check_zones_finish(&fx->ctx);
    assert_int_equal(check_survey_run(&fx->ctx), HEGUI_OK);
    hegui_findings_sort(&fx->run.findings);
    return fx;
}

static void fixture_free(fixture *fx)
{
    check_ctx_release(&fx->ctx);
    hegui_findings_release(&fx->run.findings);
    hegui_config_free(fx->config);
    free(fx);
}

/* Findings of one rule. */
static size_t count_rule(const fixture *fx, const char *rule)
{
    size_t i, n = 0;
    for (i = 0; i < fx->run.findings.count; i++)
        n += strcmp(fx->run.findings.items[i].rule, rule) == 0;
    return n;
}

static const hegui_finding *first_of(const fixture *fx, const char *rule)
{
    size_t i;
    for (i = 0; i < fx->run.findings.count; i++) {
        if (strcmp(fx->run.findings.items[i].rule, rule) == 0)
            return &fx->run.findings.items[i];
    }
    fail_msg("no %s finding", rule);
    return NULL;
}

#define SQ(x0, y0, x1, y1)                                                                         \
    "POLYGON((" #x0 " " #y0 "," #x1 " " #y0 "," #x1 " " #y1 "," #x0 " " #y1 "," #x0 " " #y0 "))"

/* A clean zone of two touching 100 m x 100 m blocks: no finding at all. */
static void test_check_survey_clean_zone(void **state)
{
    const block_spec specs[] = {
        {SQ(0, 0, 100, 100), "G141061", "晋城经济技术开发区", "主区", "2.0000", "1.0000", "光机电"},
        {SQ(100, 0, 200, 100), "G141061", "晋城经济技术开发区", "巴公", "2.0000", "1.0000",
         "新材料"},
    };
    fixture *fx = fixture_new(specs, 2, NULL);
    (void)state;
    if (fx->run.findings.count)
        fail_msg("unexpected %s: %s", fx->run.findings.items[0].rule,
                 fx->run.findings.items[0].message_en);
    assert_double_near(fx->ctx.blocks[0].area_m2, 10000.0, 1e-6);
    fixture_free(fx);
}

/* Bow-tie: self-intersection at (5 5); STRUCTURE repair keeps both
 * triangles (25 + 25 m2); the figure-8 ring's own area is 0. */
static void test_check_survey_s01_bowtie(void **state)
{
    const block_spec specs[] = {{"POLYGON((0 0,10 10,10 0,0 10,0 0))", "G141061", "z", "b",
                                 "0.0050", "0.0050", "医药"}};
    fixture *fx = fixture_new(specs, 1, NULL);
    const hegui_finding *f;
    (void)state;
    assert_int_equal(count_rule(fx, "S01"), 1);
    f = first_of(fx, "S01");
    assert_int_equal(f->severity, HEGUI_SEVERITY_ERROR);
    assert_contains(f->message_en, "Self-intersection");
    assert_contains(f->message_en, "(397005.000, 3931005.000)");
    assert_contains(f->message_en, "area 0.00 m2 -> 50.00 m2");
    assert_double_near(fx->ctx.blocks[0].area_m2, 50.0, 1e-9);
    /* declared 0.0050 ha = 50 m2 matches the repaired area: no S03 */
    assert_int_equal(count_rule(fx, "S03"), 0);
    fixture_free(fx);
}

static void test_check_survey_s01_hole_outside(void **state)
{
    const block_spec specs[] = {
        {"POLYGON((0 0,10 0,10 10,0 10,0 0),(20 20,21 20,21 21,20 21,20 20))", "G141061", "z",
         "b", "0.0100", NULL, "医药"}};
    fixture *fx = fixture_new(specs, 1, NULL);
    (void)state;
    assert_int_equal(count_rule(fx, "S01"), 1);
    assert_contains(first_of(fx, "S01")->message_en, "Hole lies outside shell");
    fixture_free(fx);
}

/* Overlap of exactly the minimum area (1 m2) is noise; 2 m2 is a finding
 * with its area; touching blocks never count. */
static void test_check_survey_s02_overlaps(void **state)
{
    const block_spec exact[] = {
        {SQ(0, 0, 10, 10), "G141061", "z", "a", NULL, NULL, "x"},
        {SQ(9, 0, 19, 1), "G141061", "z", "b", NULL, NULL, "x"},
        {SQ(19, 0, 29, 10), "G141061", "z", "c", NULL, NULL, "x"}, /* touches b */
    };
    const block_spec two[] = {
        {SQ(0, 0, 10, 10), "G141061", "z", "a", NULL, NULL, "x"},
        {SQ(9, 0, 19, 2), "G141061", "z", "b", NULL, NULL, "x"},
    };
    fixture *fx = fixture_new(exact, 3, NULL);
    const hegui_finding *f;
    size_t n, i, s02 = 0;
    const hegui_rule_def *defs = hegui_rules_catalogue(&n);
    (void)state;
    assert_int_equal(count_rule(fx, "S02"), 0);
    for (i = 0; i < n; i++)
        if (strcmp(defs[i].id, "S02") == 0)
            s02 = i;
    assert_int_equal(fx->run.suppressed[s02], 1);
    fixture_free(fx);

    fx = fixture_new(two, 2, NULL);
    assert_int_equal(count_rule(fx, "S02"), 1);
    f = first_of(fx, "S02");
    assert_true(f->has_area);
    assert_double_near(f->area_m2, 2.0, 1e-6);
    assert_int_equal(f->fid, 0);
    assert_int_equal(f->other_fid, 1);
    assert_contains(f->wkt, "POLYGON");
    /* 2 m2 of a zone of 100 + 20 m2 */
    assert_double_near(f->share_of_zone, 2.0 / 120.0, 1e-9);
    fixture_free(fx);
}

/* 100 m x 100 m = 10 000 m2 = 1 ha. Declared 1.0000 passes, 1.0005 ha
 * (5 m2 off, within 0.1 %) warns, 1.1000 ha (1000 m2 off) is an error. */
static void test_check_survey_s03_thresholds(void **state)
{
    const block_spec specs[] = {
        {SQ(0, 0, 100, 100), "G141061", "z", "pass", "3.1005", "1.0000", "x"},
        {SQ(200, 0, 300, 100), "G141061", "z", "warn", "3.1005", "1.0005", "x"},
        {SQ(400, 0, 500, 100), "G141061", "z", "error", "3.1005", "1.1000", "x"},
    };
    fixture *fx = fixture_new(specs, 3, NULL);
    size_t i, warnings = 0, errors = 0;
    (void)state;
    for (i = 0; i < fx->run.findings.count; i++) {
        const hegui_finding *f = &fx->run.findings.items[i];
        if (strcmp(f->rule, "S03") != 0)
            continue;
        if (strcmp(f->block, "warn") == 0) {
            warnings++;
            assert_int_equal(f->severity, HEGUI_SEVERITY_WARNING);
            assert_contains(f->message_en, "by -5.00 m2");
        } else if (strcmp(f->block, "error") == 0) {
            errors++;
            assert_int_equal(f->severity, HEGUI_SEVERITY_ERROR);
            assert_contains(f->message_en, "by -1000.00 m2");
        } else if (strcmp(f->block, "pass") == 0 && !strstr(f->message_en, "zone")) {
            fail_msg("block 'pass' has an S03 finding: %s", f->message_en);
        }
    }
    assert_int_equal(warnings, 1);
    assert_int_equal(errors, 1);
    /* zone total: 30 000 m2 vs HZMJ 3.1005 ha = 31 005 m2: -1005 m2, error */
    assert_int_equal(count_rule(fx, "S03"), 3);
    fixture_free(fx);
}

/* The rules file decides: ellipsoidal area and a wider pass tolerance. */
static void test_check_survey_s03_rules_file(void **state)
{
    const block_spec specs[] = {{SQ(0, 0, 100, 100), "G141061", "z", "b", NULL, "1.0005", "x"}};
    fixture *fx = fixture_new(specs, 1, "rules:\n  S03: {pass_m2: 6}\n");
    (void)state;
    assert_int_equal(count_rule(fx, "S03"), 0);
    fixture_free(fx);
    fx = fixture_new(specs, 1, "rules:\n  S03: {enabled: false}\n");
    assert_int_equal(count_rule(fx, "S03"), 0);
    fixture_free(fx);
}

static void test_check_survey_s05_attributes(void **state)
{
    const block_spec specs[] = {
        {SQ(0, 0, 10, 10), NULL, "甲区", "a", "1", NULL, "x"},           /* no code */
        {SQ(20, 0, 30, 10), "G14106", "乙区", "b", "1", NULL, "x"},      /* malformed */
        {SQ(40, 0, 50, 10), "S140521", "丙区", "c", "1", NULL, NULL},    /* no ZDCY */
        {SQ(60, 0, 70, 10), "S140521", "丁区", "d", "1", NULL, "x"},     /* code, 2 names */
        {SQ(80, 0, 90, 10), "S140522", "戊区", "e", "2", NULL, "x"},
        {SQ(100, 0, 110, 10), "S140522", "戊区", "f", "3", NULL, "x"},   /* HZMJ differs */
        {SQ(120, 0, 130, 10), "S140523", "己区", "g", "-1", NULL, "x"},  /* not positive */
    };
    fixture *fx = fixture_new(specs, 7, NULL);
    const char *expected[] = {"code (KFQDM) is missing", "zone code 'G14106' is malformed",
                              "industries (ZDCY) is missing",
                              "zone code S140521 is used by two zone names",
                              "declare different approved areas: 2.0000 and 3.0000",
                              "approved area '-1' is not a positive number"};
    size_t i, k;
    (void)state;
    assert_int_equal(count_rule(fx, "S05"), 6);
    for (k = 0; k < 6; k++) {
        bool found = false;
        for (i = 0; i < fx->run.findings.count && !found; i++)
            found = strstr(fx->run.findings.items[i].message_en, expected[k]) != NULL;
        if (!found)
            fail_msg("no S05 finding says: %s", expected[k]);
    }
    fixture_free(fx);
}

/* A spike 0.1 m wide at its base (vertex (50.1 50) to the edge (50 50)-(50.05 150):
 * 0.1 x 100 / |(0.05, 100)| = 0.09999 m) and a 0.5 m2 sliver part. */
static void test_check_survey_s06_spike_and_sliver(void **state)
{
    const block_spec specs[] = {
        {"POLYGON((0 0,100 0,100 50,50.1 50,50.05 150,50 50,0 50,0 0))", "G141061", "z", "spike",
         NULL, NULL, "x"},
        {"MULTIPOLYGON(((200 0,300 0,300 100,200 100,200 0)),((400 0,401 0,401 0.5,400 0.5,400 0)))",
         "G141061", "z", "sliver", NULL, NULL, "x"},
    };
    fixture *fx = fixture_new(specs, 2, NULL);
    size_t i, spikes = 0, slivers = 0;
    (void)state;
    for (i = 0; i < fx->run.findings.count; i++) {
        const hegui_finding *f = &fx->run.findings.items[i];
        if (strcmp(f->rule, "S06") != 0)
            continue;
        assert_int_equal(f->severity, HEGUI_SEVERITY_WARNING); /* the default severity */
        if (strcmp(f->block, "spike") == 0) {
            spikes++;
            assert_contains(f->message_en, "spike or narrow part: minimum clearance 0.100 m");
        } else {
            slivers++;
            assert_contains(f->message_en, "sliver");
            assert_double_near(f->area_m2, 0.5, 1e-9);
        }
    }
    assert_int_equal(spikes, 1);
    assert_int_equal(slivers, 1);
    fixture_free(fx);
}

/* Zone-prefixed eastings under the no-prefix CRS: S04 names EPSG:4526. */
static void test_check_survey_s04_prefix(void **state)
{
    const block_spec specs[] = {{SQ(0, 0, 10, 10), "G141061", "z", "a", NULL, NULL, "x"}};
    const double extent[4] = {38397000, 3931000, 38398000, 3932000};
    fixture *fx;
    (void)state;
    fx = fixture_new(specs, 1, NULL);
    assert_int_equal(count_rule(fx, "S04"), 0);
    hegui_crs_check_coords(&fx->layer.coord_check, &fx->layer.crs, extent);
    assert_int_equal(check_survey_run(&fx->ctx), HEGUI_OK);
    assert_int_equal(count_rule(fx, "S04"), 1);
    assert_contains(first_of(fx, "S04")->message_en, "EPSG:4526");
    assert_int_equal(first_of(fx, "S04")->severity, HEGUI_SEVERITY_ERROR);
    fixture_free(fx);
}

/* Ellipsoidal area: a square 100 km east of the central meridian is
 * larger in the plane by the GK scale factor squared, k = 1 + x^2/(2 R^2)
 * (R ~ 6 371 km): about +0.0246 %. */
static void test_check_survey_ellipsoidal_area(void **state)
{
    const block_spec specs[] = {
        {"POLYGON((-400 0,600 0,600 1000,-400 1000,-400 0))", "G141061", "z", "a", NULL, NULL,
         "x"}};
    fixture *fx = fixture_new(specs, 1, NULL);
    double x = 100000.0, r = 6371000.0, k = 1.0 + x * x / (2 * r * r);
    double ratio = fx->ctx.blocks[0].area_m2 / fx->ctx.blocks[0].area_ellipsoidal_m2;
    (void)state;
    assert_double_near(fx->ctx.blocks[0].area_m2, 1e6, 1e-6);
    assert_double_near(ratio, k * k, 2e-5);
    fixture_free(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_survey_clean_zone),
        cmocka_unit_test(test_check_survey_s01_bowtie),
        cmocka_unit_test(test_check_survey_s01_hole_outside),
        cmocka_unit_test(test_check_survey_s02_overlaps),
        cmocka_unit_test(test_check_survey_s03_thresholds),
        cmocka_unit_test(test_check_survey_s03_rules_file),
        cmocka_unit_test(test_check_survey_s05_attributes),
        cmocka_unit_test(test_check_survey_s06_spike_and_sliver),
        cmocka_unit_test(test_check_survey_s04_prefix),
        cmocka_unit_test(test_check_survey_ellipsoidal_area),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
