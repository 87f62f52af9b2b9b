/*
 * test_check_conflict.c - the conflict rules C01-C05 from WKT with
 * hand-computed areas, through the real reader and overlay engine
 * (constraint layers are GeoJSON in /vsimem/, see check_fixture.h).
 */
#include "check_fixture.h"

/* Blocks (WKT, zone G141061) against one constraint layer; runs C01-C05. */
static fixture *conflict_run(const char *const *blocks, size_t nblocks, hegui_role role,
                             const char *layer_fields, const feature_spec *features,
                             size_t nfeatures, const char *yaml, int threads)
{
    block_spec specs[8];
    layer_spec layer = {role, layer_fields, features, nfeatures};
    fixture *fx;
    size_t i;
    for (i = 0; i < nblocks && i < 8; i++) {
        specs[i].wkt = blocks[i];
        specs[i].industries = NULL;
    }
    fx = fixture_new(specs, nblocks, &layer, 1, yaml);
    fx->ctx.threads = threads;
    if (check_conflict_run(&fx->ctx, NULL, NULL) < 0)
        fail_msg("check_conflict_run: %s", hegui_error_last());
    fixture_finish(fx);
    return fx;
}

static double total_of(const fixture *fx, const char *rule)
{
    size_t i;
    for (i = 0; i < fx->run.total_count; i++) {
        if (strcmp(fx->run.totals[i].rule, rule) == 0 &&
            strcmp(fx->run.totals[i].zone_code, "G141061") == 0)
            return fx->run.totals[i].area_m2;
    }
    return 0;
}

/* Patches of rule id dropped at or below the minimum area. */
static size_t suppressed_of(const fixture *fx, const char *id)
{
    size_t n, i;
    const hegui_rule_def *defs = hegui_rules_catalogue(&n);
    for (i = 0; i < n; i++) {
        if (strcmp(defs[i].id, id) == 0)
            return fx->run.suppressed[i];
    }
    fail_msg("no rule %s", id);
    return 0;
}

static const char *const one_block[] = {SQ(0, 0, 100, 100)};

/* Contained (whole feature, no overlay), crossing and touching patches. */
static void test_check_conflict_c01_contained_crossing_touching(void **state)
{
    const feature_spec farmland[] = {
        {SQ(10, 10, 20, 20), "\"YJJBNTTBBH\": \"A\", \"DLBM\": \"0101\""},  /* inside: 100 */
        {SQ(90, 0, 110, 10), "\"YJJBNTTBBH\": \"B\", \"DLBM\": \"0103\""},  /* crossing: 100 */
        {SQ(100, 50, 110, 60), "\"YJJBNTTBBH\": \"C\", \"DLBM\": \"0103\""}, /* touching */
        {SQ(300, 300, 310, 310), "\"YJJBNTTBBH\": \"D\", \"DLBM\": \"0103\""}, /* far away */
    };
    fixture *fx = conflict_run(one_block, 1, HEGUI_ROLE_FARMLAND, "YJJBNTTBBH,DLBM", farmland, 4,
                              NULL, 1);
    const hegui_finding *f;
    (void)state;
    assert_int_equal(count_rule(fx, "C01"), 2);
    f = nth(fx, "C01", 0);
    assert_double_near(f->area_m2, 100.0, 1e-6);
    assert_int_equal(f->other_fid, 0);
    assert_string_equal(f->other_attrs, "YJJBNTTBBH=A; DLBM=0101");
    assert_double_near(f->share_of_zone, 0.01, 1e-9);
    assert_int_equal(f->severity, HEGUI_SEVERITY_ERROR);
    f = nth(fx, "C01", 1);
    assert_double_near(f->area_m2, 100.0, 1e-6);
    assert_int_equal(f->other_fid, 1);
    assert_double_near(total_of(fx, "C01"), 200.0, 1e-6);
    fixture_free(fx);
}

/* A hole in the constraint is not counted; a multipolygon is one finding. */
static void test_check_conflict_c01_hole_and_multipolygon(void **state)
{
    const feature_spec farmland[] = {
        {"POLYGON((0 0,50 0,50 50,0 50,0 0),(10 10,20 10,20 20,10 20,10 10))",
         "\"YJJBNTTBBH\": \"H\""},
        {"MULTIPOLYGON(((60 60,70 60,70 70,60 70,60 60)),((80 80,90 80,90 90,80 90,80 80)))",
         "\"YJJBNTTBBH\": \"M\""},
    };
    fixture *fx = conflict_run(one_block, 1, HEGUI_ROLE_FARMLAND, "YJJBNTTBBH", farmland, 2,
                              NULL, 1);
    (void)state;
    assert_int_equal(count_rule(fx, "C01"), 2);
    assert_double_near(nth(fx, "C01", 0)->area_m2, 2500.0 - 100.0, 1e-6);
    assert_double_near(nth(fx, "C01", 1)->area_m2, 200.0, 1e-6);
    assert_contains(nth(fx, "C01", 1)->wkt, "MULTIPOLYGON");
    fixture_free(fx);
}

/* Two farmland patches overlapping each other by 100 m2: both listed with
 * 400 m2, the zone total counts the overlap once: 700 m2. */
static void test_check_conflict_c01_overlapping_not_twice(void **state)
{
    const feature_spec farmland[] = {
        {SQ(10, 10, 30, 30), "\"YJJBNTTBBH\": \"A\""},
        {SQ(20, 20, 40, 40), "\"YJJBNTTBBH\": \"B\""},
    };
    fixture *fx = conflict_run(one_block, 1, HEGUI_ROLE_FARMLAND, "YJJBNTTBBH", farmland, 2,
                              NULL, 1);
    (void)state;
    assert_int_equal(count_rule(fx, "C01"), 2);
    assert_double_near(nth(fx, "C01", 0)->area_m2, 400.0, 1e-6);
    assert_double_near(nth(fx, "C01", 1)->area_m2, 400.0, 1e-6);
    assert_double_near(total_of(fx, "C01"), 700.0, 1e-6);
    fixture_free(fx);
}

/* Minimum area: 1 m2 exactly is noise (suppressed), 1.5 m2 is a finding. */
static void test_check_conflict_min_area(void **state)
{
    const feature_spec redline[] = {
        {SQ(99, 0, 101, 1), "\"HXBM\": \"tiny\""},    /* 1 m2 inside */
        {SQ(99, 10, 101.5, 11), "\"HXBM\": \"edge\""}, /* also 1 m2 inside */
        {SQ(98.5, 20, 101, 21), "\"HXBM\": \"big\""}, /* 1.5 m2 inside */
    };
    fixture *fx = conflict_run(one_block, 1, HEGUI_ROLE_REDLINE, "HXBM", redline, 3, NULL, 1);
    (void)state;
    assert_int_equal(count_rule(fx, "C02"), 1);
    assert_double_near(nth(fx, "C02", 0)->area_m2, 1.5, 1e-9);
    assert_contains(nth(fx, "C02", 0)->other_attrs, "HXBM=big");
    assert_int_equal(suppressed_of(fx, "C02"), 2);
    fixture_free(fx);
}

/* C03: the part of a block outside the boundary; a block wholly outside. */
static void test_check_conflict_c03_outside(void **state)
{
    const char *const blocks[] = {SQ(0, 0, 100, 100), SQ(500, 0, 600, 50)};
    const feature_spec boundary[] = {{SQ(-10, -10, 60, 110), "\"GHFQDM\": \"CZ\""}};
    fixture *fx = conflict_run(blocks, 2, HEGUI_ROLE_URBAN_BOUNDARY, "GHFQDM", boundary, 1, NULL,
                              1);
    (void)state;
    assert_int_equal(count_rule(fx, "C03"), 2);
    /* block 0: x 60..100 is outside: 40 x 100 */
    assert_double_near(nth(fx, "C03", 0)->area_m2, 4000.0, 1e-6);
    assert_int_equal(nth(fx, "C03", 0)->fid, 0);
    /* block 1 is wholly outside: 100 x 50 */
    assert_double_near(nth(fx, "C03", 1)->area_m2, 5000.0, 1e-6);
    assert_double_near(total_of(fx, "C03"), 9000.0, 1e-6);
    fixture_free(fx);
}

/* C04: 0301 conflict (error), 0201 warning (default), 1001 allowed; the
 * land-use structure lists all three; the rules file can override. */
static void test_check_conflict_c04_classes(void **state)
{
    const feature_spec landuse[] = {
        {SQ(0, 0, 50, 100), "\"YDYHFLDM\": \"1001\", \"YDYHFLMC\": \"工业用地\""},
        {SQ(50, 0, 100, 50), "\"YDYHFLDM\": \"0301\", \"YDYHFLMC\": \"乔木林地\""},
        {SQ(50, 50, 100, 100), "\"YDYHFLDM\": \"0201\", \"YDYHFLMC\": \"果园\""},
    };
    fixture *fx = conflict_run(one_block, 1, HEGUI_ROLE_LANDUSE, "YDYHFLDM,YDYHFLMC", landuse, 3,
                              NULL, 1);
    size_t i;
    (void)state;
    assert_int_equal(count_rule(fx, "C04"), 2);
    for (i = 0; i < 2; i++) {
        const hegui_finding *f = nth(fx, "C04", i);
        assert_double_near(f->area_m2, 2500.0, 1e-6);
        if (strstr(f->other_attrs, "0301"))
            assert_int_equal(f->severity, HEGUI_SEVERITY_ERROR);
        else
            assert_int_equal(f->severity, HEGUI_SEVERITY_WARNING);
    }
    assert_int_equal(fx->run.landuse_count, 3);
    assert_string_equal(fx->run.landuse[0].class_code, "0201");
    assert_string_equal(fx->run.landuse[0].verdict, "warning");
    assert_string_equal(fx->run.landuse[2].class_code, "1001");
    assert_double_near(fx->run.landuse[2].area_m2, 5000.0, 1e-6);
    assert_double_near(fx->run.landuse[2].share_of_zone, 0.5, 1e-9);
    fixture_free(fx);

    /* a patch without a code takes the default (warning), and says so */
    {
        const feature_spec uncoded[] = {{SQ(0, 0, 100, 100), "\"YDYHFLMC\": \"工业用地\""}};
        fx = conflict_run(one_block, 1, HEGUI_ROLE_LANDUSE, "YDYHFLDM,YDYHFLMC", uncoded, 1, NULL,
                          1);
        assert_int_equal(count_rule(fx, "C04"), 1);
        assert_int_equal(nth(fx, "C04", 0)->severity, HEGUI_SEVERITY_WARNING);
        assert_contains(nth(fx, "C04", 0)->message_en, "holds land class (no class code) 工业用地");
        assert_contains(nth(fx, "C04", 0)->message_zh, "（无地类代码）");
        fixture_free(fx);
    }

    /* 03 allowed and 0201 a conflict, by the rules file */
    fx = conflict_run(one_block, 1, HEGUI_ROLE_LANDUSE, "YDYHFLDM,YDYHFLMC", landuse, 3,
                     "rules:\n  C04:\n    classes: {\"03\": allowed, \"0201\": conflict}\n", 1);
    assert_int_equal(count_rule(fx, "C04"), 1);
    assert_contains(nth(fx, "C04", 0)->other_attrs, "0201");
    assert_int_equal(nth(fx, "C04", 0)->severity, HEGUI_SEVERITY_ERROR);
    fixture_free(fx);
}

/* A numeric code field (a plan that went through Excel) drops the leading
 * zero: 0301 reads 301, which no table knows (a warning, not the conflict
 * it is), and 0101 reads 101, which would pass as 10 工矿用地. Both are
 * restored, and a warning on the layer says so. */
static void test_check_conflict_c04_numeric_codes(void **state)
{
    char buf[CHECK_CLASS_CODE_MAX];
    bool restored = false;
    const feature_spec landuse[] = {
        {SQ(0, 0, 50, 100), "\"YDYHFLDM\": 1001"},
        {SQ(50, 0, 100, 50), "\"YDYHFLDM\": 301"},
        {SQ(50, 50, 100, 100), "\"YDYHFLDM\": 101"},
    };
    fixture *fx;
    size_t i, errors = 0;
    (void)state;
    assert_string_equal(check_class_code("301", true, buf, &restored), "0301");
    assert_true(restored);
    restored = false;
    assert_string_equal(check_class_code("1001", true, buf, &restored), "1001");
    assert_string_equal(check_class_code("1", true, buf, &restored), "01");
    assert_string_equal(check_class_code("301.000", true, buf, &restored), "0301");
    assert_string_equal(check_class_code("301.5", true, buf, &restored), "301.5");
    assert_string_equal(check_class_code("301", false, buf, &restored), "301"); /* text */
    assert_string_equal(check_class_code("05H1", true, buf, &restored), "05H1");
    assert_string_equal(check_class_code(" 301 ", true, buf, &restored), "0301");
    restored = false;
    assert_string_equal(check_class_code(" 0301\t", false, buf, &restored), "0301"); /* text */
    assert_false(restored);
    assert_string_equal(check_class_code("", true, buf, &restored), "");

    fx = conflict_run(one_block, 1, HEGUI_ROLE_LANDUSE, "YDYHFLDM", landuse, 3, NULL, 1);
    assert_true(fx->layers[1].field_numeric[0]);
    for (i = 0; i < count_rule(fx, "C04"); i++) {
        const hegui_finding *f = nth(fx, "C04", i);
        errors += f->severity == HEGUI_SEVERITY_ERROR;
        if (f->fid == -1) {
            assert_int_equal(f->severity, HEGUI_SEVERITY_WARNING);
            assert_contains(f->message_en,
                            "is numeric: codes read from it had lost their leading zero (2, e.g.");
        }
    }
    assert_int_equal(count_rule(fx, "C04"), 3); /* 0301, 0101, the layer's warning */
    assert_int_equal(errors, 2);
    assert_double_near(total_of(fx, "C04"), 5000.0, 1e-6);
    assert_string_equal(fx->run.landuse[0].class_code, "0101");
    assert_string_equal(fx->run.landuse[1].class_code, "0301");
    fixture_free(fx);
}

/* C04: the parts of blocks the land-use layer does not cover are warnings
 * (classes unknown, not checked), not part of C04's totals. Block 0 is
 * covered on x 0..60 only: 40 x 100 = 4000 m2 uncovered, the strip x
 * 60..100; block 1 is covered whole; block 2 (1 m2) not at all, which the
 * minimum area (1 m2) drops as noise. */
static void test_check_conflict_c04_uncovered(void **state)
{
    static const char *const blocks[] = {SQ(0, 0, 100, 100), SQ(200, 0, 300, 100),
                                         SQ(400, 0, 401, 1)};
    const feature_spec landuse[] = {
        {SQ(0, 0, 60, 50), "\"YDYHFLDM\": \"1001\", \"YDYHFLMC\": \"工业用地\""},
        {SQ(0, 50, 60, 100), "\"YDYHFLDM\": \"0301\", \"YDYHFLMC\": \"乔木林地\""},
        {SQ(190, -10, 310, 110), "\"YDYHFLDM\": \"1001\", \"YDYHFLMC\": \"工业用地\""},
    };
    fixture *fx =
        conflict_run(blocks, 3, HEGUI_ROLE_LANDUSE, "YDYHFLDM,YDYHFLMC", landuse, 3, NULL, 1);
    const hegui_finding *gap = NULL;
    size_t i;
    (void)state;
    assert_int_equal(count_rule(fx, "C04"), 2); /* 0301, and block 0's strip */
    for (i = 0; i < 2; i++) {
        if (strstr(nth(fx, "C04", i)->message_en, "outside the land-use layer"))
            gap = nth(fx, "C04", i);
    }
    assert_non_null(gap);
    assert_int_equal(gap->severity, HEGUI_SEVERITY_WARNING);
    assert_double_near(gap->area_m2, 4000.0, 1e-6);
    assert_double_near(gap->share_of_zone, 4000.0 / 20001.0, 1e-9);
    assert_int_equal(gap->fid, 0); /* block 0 */
    assert_contains(gap->message_en, "4000.00 m2 (40.00% of the block)");
    assert_contains(gap->wkt, "397060 3931000"); /* SQ puts the origin at 397000 3931000 */
    assert_contains(gap->wkt, "397100 3931100");
    assert_int_equal(suppressed_of(fx, "C04"), 1); /* block 2's 1 m2 */
    /* the total is the conflict class's area only */
    assert_double_near(total_of(fx, "C04"), 3000.0, 1e-6);
    fixture_free(fx);
}

/* Runs the conflict rules on two threads with the n-th allocation failing,
 * n = 1, 2, … until a run succeeds: each failed run stops with an error and
 * a message (never hangs; the ASan build finds any leak); the run that
 * succeeds has expected findings of rule. Returns the n that succeeded. */
static long until_allocations_suffice(const block_spec *blocks, size_t nblocks,
                                      const layer_spec *layer, const char *rule, size_t expected)
{
    long n;
    int rc = HEGUI_ENOMEM;
    for (n = 1; n < 20000 && rc != HEGUI_OK; n++) {
        fixture *fx = fixture_new(blocks, nblocks, layer, 1, NULL);
        fx->ctx.threads = 2;
        hegui_error_clear();
        hegui_alloc_fail_after(n);
        rc = check_conflict_run(&fx->ctx, NULL, NULL);
        hegui_alloc_fail_after(0);
        if (rc != HEGUI_OK) {
            assert_true(rc < 0);
            assert_true(strlen(hegui_error_last()) > 0);
        } else {
            assert_int_equal(count_rule(fx, rule), expected);
        }
        fixture_free(fx);
    }
    assert_int_equal(rc, HEGUI_OK);
    return n;
}

/* Six blocks short of cover by 4000 to 9000 m2 (block i covered on its
 * first 10 (i + 1) m of 100): their uncovered parts, computed side by side
 * (gap_job), come out at the hand-computed areas, each once, with the same
 * outlines on 1 and 3 threads. */
static void test_check_conflict_c04_uncovered_threads(void **state)
{
    static const char *const blocks[] = {SQ(0, 0, 100, 100),   SQ(200, 0, 300, 100),
                                         SQ(400, 0, 500, 100), SQ(600, 0, 700, 100),
                                         SQ(800, 0, 900, 100), SQ(1000, 0, 1100, 100)};
    static const feature_spec landuse[] = {
        {SQ(0, 0, 10, 100), "\"YDYHFLDM\": \"1001\", \"YDYHFLMC\": \"工业用地\""},
        {SQ(200, 0, 220, 100), "\"YDYHFLDM\": \"1001\", \"YDYHFLMC\": \"工业用地\""},
        {SQ(400, 0, 430, 100), "\"YDYHFLDM\": \"1001\", \"YDYHFLMC\": \"工业用地\""},
        {SQ(600, 0, 640, 100), "\"YDYHFLDM\": \"1001\", \"YDYHFLMC\": \"工业用地\""},
        {SQ(800, 0, 850, 100), "\"YDYHFLDM\": \"1001\", \"YDYHFLMC\": \"工业用地\""},
        {SQ(1000, 0, 1060, 100), "\"YDYHFLDM\": \"1001\", \"YDYHFLMC\": \"工业用地\""},
    };
    fixture *one =
        conflict_run(blocks, 6, HEGUI_ROLE_LANDUSE, "YDYHFLDM,YDYHFLMC", landuse, 6, NULL, 1);
    fixture *three =
        conflict_run(blocks, 6, HEGUI_ROLE_LANDUSE, "YDYHFLDM,YDYHFLMC", landuse, 6, NULL, 3);
    int seen[6] = {0};
    size_t i;
    (void)state;
    assert_int_equal(count_rule(one, "C04"), 6);
    assert_int_equal(count_rule(three, "C04"), 6);
    for (i = 0; i < 6; i++) {
        const hegui_finding *a = nth(one, "C04", i), *b = nth(three, "C04", i);
        assert_contains(a->message_en, "outside the land-use layer");
        assert_true(a->fid >= 0 && a->fid < 6);
        seen[a->fid]++;
        assert_double_near(a->area_m2, 100.0 * (100.0 - 10.0 * (double)(a->fid + 1)), 1e-6);
        assert_int_equal(b->fid, a->fid);
        assert_double_near(b->area_m2, a->area_m2, 0.0);
        assert_double_near(b->area_ellipsoidal_m2, a->area_ellipsoidal_m2, 0.0);
        assert_string_equal(b->wkt, a->wkt); /* the messages name each run's own layer */
    }
    for (i = 0; i < 6; i++)
        assert_int_equal(seen[i], 1);
    fixture_free(one);
    fixture_free(three);
}

/* Every allocation of C04 on two threads failing in turn, with two blocks
 * whose uncovered parts are computed side by side: the run stops with an
 * error, never hangs, and leaks nothing (ASan build); once no allocation
 * fails, both warnings come. */
static void test_check_conflict_c04_uncovered_allocation_failures(void **state)
{
    static const feature_spec landuse[] = {
        {SQ(0, 0, 10, 100), "\"YDYHFLDM\": \"1001\", \"YDYHFLMC\": \"工业用地\""},
        {SQ(200, 0, 220, 100), "\"YDYHFLDM\": \"1001\", \"YDYHFLMC\": \"工业用地\""},
    };
    block_spec blocks[2] = {{SQ(0, 0, 100, 100), NULL}, {SQ(200, 0, 300, 100), NULL}};
    layer_spec layer = {HEGUI_ROLE_LANDUSE, "YDYHFLDM,YDYHFLMC", landuse, 2};
    (void)state;
    assert_true(until_allocations_suffice(blocks, 2, &layer, "C04", 2) > 20);
}

/* Slivers between a plan's patches (8 mm wide, 0.8 m2 each here) are noise
 * like any patch at or below the minimum area: block 0 has three (2.4 m2 in
 * all, above the minimum, so its union is computed) and gets no warning;
 * block 1 has one beside a 20 m strip, and its warning is the strip's
 * 2000 m2 alone. Each sliver counts as suppressed. */
static void test_check_conflict_c04_uncovered_slivers(void **state)
{
    static const char *const blocks[] = {SQ(0, 0, 100, 100), SQ(200, 0, 300, 100)};
    const feature_spec landuse[] = {
        {SQ(0, 0, 30, 100), "\"YDYHFLDM\": \"1001\""},
        {SQ(30.008, 0, 60, 100), "\"YDYHFLDM\": \"1001\""},
        {SQ(60.008, 0, 90, 100), "\"YDYHFLDM\": \"1001\""},
        {SQ(90.008, 0, 100, 100), "\"YDYHFLDM\": \"1001\""},
        {SQ(200, 0, 250, 100), "\"YDYHFLDM\": \"1001\""},
        {SQ(250.008, 0, 280, 100), "\"YDYHFLDM\": \"1001\""},
    };
    fixture *fx = conflict_run(blocks, 2, HEGUI_ROLE_LANDUSE, "YDYHFLDM", landuse, 6, NULL, 1);
    (void)state;
    assert_int_equal(count_rule(fx, "C04"), 1);
    assert_int_equal(nth(fx, "C04", 0)->fid, 1);
    assert_double_near(nth(fx, "C04", 0)->area_m2, 2000.0, 1e-6);
    assert_int_equal(suppressed_of(fx, "C04"), 4);
    fixture_free(fx);
}

/* Land-use patches that overlap (no mosaic: x 0..60 and 40..70) are not a
 * coverage: their union is the overlay's, and the strip x 70..100 is the
 * uncovered 3000 m2, though the parts' areas (9000) fall short by 1000. */
static void test_check_conflict_c04_uncovered_overlapping(void **state)
{
    const feature_spec landuse[] = {
        {SQ(0, 0, 60, 100), "\"YDYHFLDM\": \"1001\""},
        {SQ(40, 0, 70, 100), "\"YDYHFLDM\": \"1001\""},
    };
    fixture *fx = conflict_run(one_block, 1, HEGUI_ROLE_LANDUSE, "YDYHFLDM", landuse, 2, NULL, 1);
    (void)state;
    assert_int_equal(count_rule(fx, "C04"), 1);
    assert_double_near(nth(fx, "C04", 0)->area_m2, 3000.0, 1e-6);
    assert_contains(nth(fx, "C04", 0)->wkt, "397070 3931000");
    fixture_free(fx);
}

/* C01-C02: a layer none of whose features comes near a block gets one
 * info finding (another city's layer, a wrong CRS?), and so does an empty
 * one; one near feature is enough to say nothing. */
static void test_check_conflict_nothing_near(void **state)
{
    const feature_spec far[] = {
        {SQ(5000, 5000, 5010, 5010), "\"YJJBNTTBBH\": \"A\", \"DLBM\": \"0101\""},
        {SQ(6000, 5000, 6010, 5010), "\"YJJBNTTBBH\": \"B\", \"DLBM\": \"0101\""},
    };
    const feature_spec near[] = {
        {SQ(5000, 5000, 5010, 5010), "\"YJJBNTTBBH\": \"A\", \"DLBM\": \"0101\""},
        {SQ(100, 0, 110, 10), "\"YJJBNTTBBH\": \"B\", \"DLBM\": \"0101\""}, /* touching */
    };
    fixture *fx =
        conflict_run(one_block, 1, HEGUI_ROLE_FARMLAND, "YJJBNTTBBH,DLBM", far, 2, NULL, 2);
    (void)state;
    assert_int_equal(count_rule(fx, "C01"), 1);
    assert_int_equal(nth(fx, "C01", 0)->severity, HEGUI_SEVERITY_INFO);
    assert_int_equal(nth(fx, "C01", 0)->fid, -1);
    assert_contains(nth(fx, "C01", 0)->message_en, "none of the 2 features");
    assert_contains(nth(fx, "C01", 0)->message_en, "permanent basic farmland");
    fixture_free(fx);
    fx = conflict_run(one_block, 1, HEGUI_ROLE_FARMLAND, "YJJBNTTBBH,DLBM", near, 2, NULL, 2);
    assert_int_equal(count_rule(fx, "C01"), 0);
    fixture_free(fx);
    /* an empty layer says so */
    fx = conflict_run(one_block, 1, HEGUI_ROLE_REDLINE, "HXBM", near, 0, NULL, 1);
    assert_int_equal(count_rule(fx, "C02"), 1);
    assert_int_equal(nth(fx, "C02", 0)->severity, HEGUI_SEVERITY_INFO);
    assert_contains(nth(fx, "C02", 0)->message_en, "has no features");
    fixture_free(fx);
}

/* A 1 000-vertex regular polygon (radius 30 m) centred on the block's
 * edge x = 100 is cut into pieces before indexing; by symmetry half of it
 * lies inside: (n/2) r^2 sin(2 pi / n) / 2. */
static void test_check_conflict_subdivided_polygon(void **state)
{
    hegui_buf wkt = HEGUI_BUF_INIT;
    const int n = 1000;
    const double r = 30.0, pi = 3.14159265358979323846;
    feature_spec feature;
    fixture *fx;
    int k;
    (void)state;
    hegui_buf_puts(&wkt, "POLYGON((");
    for (k = 0; k <= n; k++)
        hegui_buf_printf(&wkt, "%s%.10f %.10f", k ? "," : "", 100.0 + r * cos(2 * pi * k / n),
                         50.0 + r * sin(2 * pi * k / n));
    hegui_buf_puts(&wkt, "))");
    feature.wkt = hegui_buf_cstr(&wkt);
    feature.props = "\"HXBM\": \"circle\"";
    fx = conflict_run(one_block, 1, HEGUI_ROLE_REDLINE, "HXBM", &feature, 1, NULL, 2);
    assert_int_equal(count_rule(fx, "C02"), 1);
    assert_double_near(nth(fx, "C02", 0)->area_m2, 0.5 * (n / 2.0) * r * r * sin(2 * pi / n),
                       1e-6);
    fixture_free(fx);
    hegui_buf_release(&wkt);
}

/* WKT of a regular n-gon of radius r around (cx, cy) into wkt. */
static void ngon(hegui_buf *wkt, int n, double cx, double cy, double r)
{
    const double pi = 3.14159265358979323846;
    int k;
    hegui_buf_puts(wkt, "POLYGON((");
    for (k = 0; k <= n; k++)
        hegui_buf_printf(wkt, "%s%.10f %.10f", k ? "," : "", cx + r * cos(2 * pi * k / n),
                         cy + r * sin(2 * pi * k / n));
    hegui_buf_puts(wkt, "))");
}

/* A 1 000-vertex polygon wholly inside a block, and one across the edge
 * between two blocks: the pieces of each block come back as one patch per
 * (feature, block), whole inside, halves across, areas by hand. */
static void test_check_conflict_subdivided_inside_and_across(void **state)
{
    static const char *const two_blocks[] = {SQ(0, 0, 100, 100), SQ(100, 0, 200, 100)};
    hegui_buf inside = HEGUI_BUF_INIT, across = HEGUI_BUF_INIT;
    const int n = 1000;
    const double pi = 3.14159265358979323846, full = 0.5 * n * 20.0 * 20.0 * sin(2 * pi / n);
    feature_spec features[2];
    fixture *fx;
    (void)state;
    ngon(&inside, n, 40, 50, 20);
    ngon(&across, n, 100, 50, 20);
    features[0].wkt = hegui_buf_cstr(&inside);
    features[0].props = "\"HXBM\": \"inside\"";
    features[1].wkt = hegui_buf_cstr(&across);
    features[1].props = "\"HXBM\": \"across\"";
    fx = conflict_run(two_blocks, 2, HEGUI_ROLE_REDLINE, "HXBM", features, 2, NULL, 2);
    assert_int_equal(count_rule(fx, "C02"), 3);
    assert_double_near(nth(fx, "C02", 0)->area_m2, full, 1e-6);
    assert_double_near(nth(fx, "C02", 1)->area_m2, full / 2, 1e-6);
    assert_double_near(nth(fx, "C02", 2)->area_m2, full / 2, 1e-6);
    /* one polygon each: the pieces rejoined */
    assert_true(strncmp(nth(fx, "C02", 0)->wkt, "POLYGON", 7) == 0);
    assert_true(strncmp(nth(fx, "C02", 1)->wkt, "POLYGON", 7) == 0);
    fixture_free(fx);
    hegui_buf_release(&inside);
    hegui_buf_release(&across);
}

/* Info findings of a run (the repaired features). */
static size_t count_info(const fixture *fx)
{
    size_t i, n = 0;
    for (i = 0; i < fx->run.findings.count; i++)
        n += fx->run.findings.items[i].severity == HEGUI_SEVERITY_INFO;
    return n;
}

/* A large self-intersecting polygon (a 1 200-vertex bow-tie) is repaired
 * once, whole, and measured on the repair: two triangles of 400 m2 (base
 * 40 m on x = 20 and x = 60, height 20 m) meeting at (40, 40). */
static void test_check_conflict_subdivided_invalid(void **state)
{
    hegui_buf wkt = HEGUI_BUF_INIT;
    feature_spec feature;
    fixture *fx;
    int k;
    (void)state;
    /* (20,20) -> (60,60) along a diagonal, down to (60,20), across the
     * other diagonal to (20,60), back down: a bow-tie crossing at (40,40) */
    hegui_buf_puts(&wkt, "POLYGON((");
    for (k = 0; k < 300; k++)
        hegui_buf_printf(&wkt, "%.6f %.6f,", 20 + 40.0 * k / 300, 20 + 40.0 * k / 300);
    for (k = 0; k < 300; k++)
        hegui_buf_printf(&wkt, "60 %.6f,", 60 - 40.0 * k / 300);
    for (k = 0; k < 300; k++)
        hegui_buf_printf(&wkt, "%.6f %.6f,", 60 - 40.0 * k / 300, 20 + 40.0 * k / 300);
    for (k = 0; k < 300; k++)
        hegui_buf_printf(&wkt, "20 %.6f,", 60 - 40.0 * k / 300);
    hegui_buf_puts(&wkt, "20 20))");
    feature.wkt = hegui_buf_cstr(&wkt);
    feature.props = "\"HXBM\": \"bowtie\"";
    fx = conflict_run(one_block, 1, HEGUI_ROLE_REDLINE, "HXBM", &feature, 1, NULL, 1);
    assert_int_equal(count_info(fx), 1);
    assert_int_equal(count_rule(fx, "C02"), 2); /* the info finding and the patch */
    assert_double_near(total_of(fx, "C02"), 800.0, 1e-6);
    fixture_free(fx);
    hegui_buf_release(&wkt);
}

/* A strip from x = 50 + dx to 5 000 + dx, y 40-60, 1 200 vertices, whose
 * far end crosses itself: up to (5 000, 60), down to (4 980, 30) across
 * the bottom edge, up to (4 970, 60) across it again (all + dx). */
static void twisted_strip(hegui_buf *wkt, double dx)
{
    int k;
    hegui_buf_puts(wkt, "POLYGON((");
    for (k = 0; k < 600; k++) /* bottom edge east */
        hegui_buf_printf(wkt, "%.6f 40,", 50 + dx + 4950.0 * k / 600);
    hegui_buf_printf(wkt, "%.6f 40,%.6f 60,%.6f 30,%.6f 60,", 5000 + dx, 5000 + dx, 4980 + dx,
                     4970 + dx);
    for (k = 0; k < 600; k++) /* top edge back west */
        hegui_buf_printf(wkt, "%.6f 60,", 4960 + dx - 4910.0 * k / 600);
    hegui_buf_printf(wkt, "%.6f 60,%.6f 40))", 50 + dx, 50 + dx);
}

/* A large polygon is checked where it meets a block: a strip 5 km long
 * (1 200 vertices) whose far end crosses itself near x = 4 980, 4.9 km
 * from the block, is measured on its valid part in the block (x 50-100,
 * y 40-60: 1 000 m2) and not reported; the same twist inside the block
 * is found by the pieces, then the whole strip is checked and repaired. */
static void test_check_conflict_subdivided_far_defect(void **state)
{
    hegui_buf wkt = HEGUI_BUF_INIT;
    feature_spec feature;
    fixture *fx;
    (void)state;
    twisted_strip(&wkt, 0);
    feature.wkt = hegui_buf_cstr(&wkt);
    feature.props = "\"HXBM\": \"far\"";
    fx = conflict_run(one_block, 1, HEGUI_ROLE_REDLINE, "HXBM", &feature, 1, NULL, 1);
    assert_int_equal(count_info(fx), 0);
    assert_int_equal(count_rule(fx, "C02"), 1);
    assert_double_near(total_of(fx, "C02"), 1000.0, 1e-6);
    fixture_free(fx);

    /* the strip shifted 4 900 m west: the twist (x 70-100, crossing the
     * bottom edge at x 76.67 and 86.67) now lies in the block */
    hegui_buf_release(&wkt);
    twisted_strip(&wkt, -4900);
    feature.wkt = hegui_buf_cstr(&wkt);
    feature.props = "\"HXBM\": \"near\"";
    fx = conflict_run(one_block, 1, HEGUI_ROLE_REDLINE, "HXBM", &feature, 1, NULL, 1);
    assert_int_equal(count_info(fx), 1);
    /* repaired (STRUCTURE: what the ring encloses), inside the block: the
     * strip from x = 0 to the edge (76.67, 40)-(70, 60), 20 m high and
     * 73.33 m long on average (1 466.67 m2); the triangle (86.67, 40),
     * (100, 40), (100, 60) (133.33 m2); the triangle below y = 40,
     * (76.67, 40), (80, 30), (86.67, 40) (50 m2). Between the two diagonals
     * above y = 40 the ring is open to the north: outside. */
    assert_double_near(total_of(fx, "C02"), 1650.0, 1e-6);
    fixture_free(fx);
    hegui_buf_release(&wkt);
}


/* An invalid constraint polygon is repaired and reported as info. */
static void test_check_conflict_invalid_constraint(void **state)
{
    const feature_spec farmland[] = {
        {"POLYGON((10 10,30 30,30 10,10 30,10 10))", "\"YJJBNTTBBH\": \"bowtie\""}};
    fixture *fx = conflict_run(one_block, 1, HEGUI_ROLE_FARMLAND, "YJJBNTTBBH", farmland, 1, NULL,
                              1);
    size_t i, info = 0;
    (void)state;
    for (i = 0; i < fx->run.findings.count; i++) {
        const hegui_finding *f = &fx->run.findings.items[i];
        if (f->severity == HEGUI_SEVERITY_INFO) {
            info++;
            assert_contains(f->message_en, "Self-intersection");
            assert_contains(f->message_en, "-> 200.00 m2");
        }
    }
    assert_int_equal(info, 1);
    /* the two repaired triangles, 100 m2 each, overlap the block */
    assert_double_near(total_of(fx, "C01"), 200.0, 1e-6);
    fixture_free(fx);
}

/* 2 000 patches: the same findings, in the same order, on 1 and 3 threads. */
static void test_check_conflict_threads_same_result(void **state)
{
    feature_spec *features = calloc(2000, sizeof(*features));
    char (*wkts)[256] = calloc(2000, sizeof(*wkts));
    const char *const blocks[] = {SQ(0, 0, 155, 155), SQ(200, 0, 400, 120)};
    fixture *a, *b;
    size_t i;
    (void)state;
    for (i = 0; i < 2000; i++) {
        double x = (double)(i % 50) * 9.0, y = (double)(i / 50) * 9.0;
        snprintf(wkts[i], sizeof(wkts[i]), "POLYGON((%g %g,%g %g,%g %g,%g %g,%g %g))", x, y,
                 x + 10, y, x + 10, y + 10, x, y + 10, x, y);
        features[i].wkt = wkts[i];
        features[i].props = "\"YJJBNTTBBH\": \"g\"";
    }
    a = conflict_run(blocks, 2, HEGUI_ROLE_FARMLAND, "YJJBNTTBBH", features, 2000, NULL, 1);
    b = conflict_run(blocks, 2, HEGUI_ROLE_FARMLAND, "YJJBNTTBBH", features, 2000, NULL, 3);
    assert_true(a->run.findings.count > 300);
    assert_int_equal(a->run.findings.count, b->run.findings.count);
    for (i = 0; i < a->run.findings.count; i++) {
        assert_string_equal(a->run.findings.items[i].wkt, b->run.findings.items[i].wkt);
        assert_int_equal(a->run.findings.items[i].other_fid, b->run.findings.items[i].other_fid);
    }
    assert_double_near(total_of(a, "C01"), total_of(b, "C01"), 0.0);
    fixture_free(a);
    fixture_free(b);
    free(features);
    free(wkts);
}

/* Every allocation of a two-worker overlay failing in turn, including the
 * workers' own set-up on their threads: the run stops with an error in the
 * calling thread, never hangs, and leaks nothing (ASan build); once no
 * allocation fails it finds the overlap. */
static void test_check_conflict_allocation_failures(void **state)
{
    hegui_buf circle = HEGUI_BUF_INIT;
    feature_spec features[3];
    block_spec block = {SQ(0, 0, 100, 100), NULL};
    layer_spec layer = {HEGUI_ROLE_REDLINE, "HXBM", features, 3};
    (void)state;
    ngon(&circle, 600, 100, 50, 30);
    features[0].wkt = hegui_buf_cstr(&circle);
    features[0].props = "\"HXBM\": \"a\"";
    features[1].wkt = SQ(10, 10, 20, 20);
    features[1].props = "\"HXBM\": \"b\"";
    features[2].wkt = SQ(90, 90, 120, 120);
    features[2].props = "\"HXBM\": \"c\"";
    assert_true(until_allocations_suffice(&block, 1, &layer, "C02", 3) > 20);
    hegui_buf_release(&circle);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_conflict_c01_contained_crossing_touching),
        cmocka_unit_test(test_check_conflict_c04_uncovered),
        cmocka_unit_test(test_check_conflict_c04_uncovered_threads),
        cmocka_unit_test(test_check_conflict_c04_uncovered_allocation_failures),
        cmocka_unit_test(test_check_conflict_c04_uncovered_overlapping),
        cmocka_unit_test(test_check_conflict_c04_uncovered_slivers),
        cmocka_unit_test(test_check_conflict_c04_numeric_codes),
        cmocka_unit_test(test_check_conflict_nothing_near),
        cmocka_unit_test(test_check_conflict_c01_hole_and_multipolygon),
        cmocka_unit_test(test_check_conflict_c01_overlapping_not_twice),
        cmocka_unit_test(test_check_conflict_min_area),
        cmocka_unit_test(test_check_conflict_c03_outside),
        cmocka_unit_test(test_check_conflict_c04_classes),
        cmocka_unit_test(test_check_conflict_subdivided_polygon),
        cmocka_unit_test(test_check_conflict_subdivided_inside_and_across),
        cmocka_unit_test(test_check_conflict_subdivided_invalid),
        cmocka_unit_test(test_check_conflict_subdivided_far_defect),
        cmocka_unit_test(test_check_conflict_invalid_constraint),
        cmocka_unit_test(test_check_conflict_threads_same_result),
        cmocka_unit_test(test_check_conflict_allocation_failures),
    };
    GDALAllRegister();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
