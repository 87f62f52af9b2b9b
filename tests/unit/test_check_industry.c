/*
 * test_check_industry.c - the industry rules I01-I03 with hand-computed
 * cases: an enterprise parcel on a block boundary, a label that maps to
 * several codes, polluting plants at 9.9 km and 10.1 km from the urban
 * area, an enterprise without land area, 亩均 figures and ranks.
 */
#include "check_fixture.h"

#define ENT_FIELDS "QYMC,HYDM,TZE,CZ,SS,YDMJ,HPDB"

static fixture *industry_run(const block_spec *blocks, size_t nblocks,
                             const feature_spec *enterprises, size_t n,
                             const feature_spec *urban, size_t nurban, const char *yaml)
{
    layer_spec layers[2] = {{HEGUI_ROLE_ENTERPRISES, ENT_FIELDS, enterprises, n},
                            {HEGUI_ROLE_URBAN_AREA, "MC", urban, nurban}};
    fixture *fx = fixture_new(blocks, nblocks, layers, urban ? 2 : 1, yaml);
    if (check_industry_run(&fx->ctx) < 0)
        fail_msg("check_industry_run: %s", hegui_error_last());
    fixture_finish(fx);
    return fx;
}

/* 光机电 maps to several codes (3976, 3975, …, 3484): a 3484 plant fits,
 * a 1713 textile mill does not; a code given as digits (35) works too. */
static void test_check_industry_i01_labels(void **state)
{
    const block_spec blocks[] = {{SQ(0, 0, 100, 100), "光机电、35"}};
    const feature_spec ents[] = {
        {"POINT(10 10)", "\"QYMC\": \"零部件厂\", \"HYDM\": \"3484\""},
        {"POINT(20 20)", "\"QYMC\": \"专用设备厂\", \"HYDM\": \"3511\""},
        {"POINT(30 30)", "\"QYMC\": \"纺织厂\", \"HYDM\": \"1713\""},
        {"POINT(500 500)", "\"QYMC\": \"区外纺织厂\", \"HYDM\": \"1713\""},
    };
    fixture *fx = industry_run(blocks, 1, ents, 4, NULL, 0, NULL);
    (void)state;
    assert_int_equal(count_rule(fx, "I01"), 1);
    assert_contains(nth(fx, "I01", 0)->message_zh, "纺织厂");
    assert_contains(nth(fx, "I01", 0)->subject_attrs, "HYDM=1713");
    assert_string_equal(nth(fx, "I01", 0)->zone_code, "G141061");
    fixture_free(fx);
}

/* Enterprises without an industry code cannot be judged: one warning per
 * layer says how many, instead of passing them as compliant. The one
 * outside every zone is not I01's. */
static void test_check_industry_i01_no_code(void **state)
{
    const block_spec blocks[] = {{SQ(0, 0, 100, 100), "光机电"}};
    const feature_spec ents[] = {
        {"POINT(10 10)", "\"QYMC\": \"无代码厂\""},
        {"POINT(20 20)", "\"QYMC\": \"空代码厂\", \"HYDM\": \"\""},
        {"POINT(30 30)", "\"QYMC\": \"零部件厂\", \"HYDM\": \"3484\""},
        {"POINT(500 500)", "\"QYMC\": \"区外厂\""},
    };
    fixture *fx = industry_run(blocks, 1, ents, 4, NULL, 0, NULL);
    (void)state;
    assert_int_equal(count_rule(fx, "I01"), 1);
    assert_int_equal(nth(fx, "I01", 0)->severity, HEGUI_SEVERITY_WARNING);
    assert_contains(nth(fx, "I01", 0)->message_en, "enterprises inside a zone");
    assert_contains(nth(fx, "I01", 0)->message_en, "with no industry code (HYDM): 2;");
    assert_contains(nth(fx, "I01", 0)->message_en, "I01 could not judge them");
    fixture_free(fx);
}

/* A numeric HYDM turns 0721 (陆地天然气开采, a leading industry here) into
 * 721, which is also a real group code (组织管理服务): judged as it is (an
 * I01 finding), with a warning on the layer that says why to store it as
 * text. 3484 keeps its four digits and is not counted. */
static void test_check_industry_numeric_codes(void **state)
{
    const block_spec blocks[] = {{SQ(0, 0, 100, 100), "0721、3484"}};
    const feature_spec ents[] = {
        {"POINT(10 10)", "\"QYMC\": \"煤层气公司\", \"HYDM\": 721"},
        {"POINT(20 20)", "\"QYMC\": \"零部件厂\", \"HYDM\": 3484"},
    };
    fixture *fx = industry_run(blocks, 1, ents, 2, NULL, 0, NULL);
    size_t i, outside = 0, numeric = 0;
    (void)state;
    for (i = 0; i < count_rule(fx, "I01"); i++) {
        const hegui_finding *f = nth(fx, "I01", i);
        assert_int_equal(f->severity, HEGUI_SEVERITY_WARNING); /* I01's default */
        if (strstr(f->message_en, "is numeric")) {
            numeric++;
            assert_int_equal(f->fid, -1);
            assert_contains(f->message_en, "codes with an odd number of digits (1, e.g. 721)");
        } else {
            outside++;
            assert_contains(f->message_zh, "煤层气公司");
        }
    }
    assert_int_equal(outside, 1);
    assert_int_equal(numeric, 1);
    fixture_free(fx);
}

/* Amounts as registers write them: "1,200" and "3000万元" are numbers (in
 * 万元); "约50" is not, counts as 0, and one finding on the layer says so
 * (at I03's severity, info by default). */
static void test_check_industry_i03_amount_text(void **state)
{
    const block_spec blocks[] = {{SQ(0, 0, 1000, 1000), "装备制造"}};
    const feature_spec ents[] = {
        {"POINT(10 10)", "\"QYMC\": \"甲\", \"HYDM\": \"3511\", \"TZE\": \"1,200\", "
                         "\"CZ\": \"3000万元\", \"SS\": \"约50\", \"YDMJ\": \"6,666.6666667\""},
    };
    fixture *fx = industry_run(blocks, 1, ents, 1, NULL, 0, NULL);
    const hegui_run_intensity *zone = &fx->run.intensity[0];
    size_t i, bad = 0;
    (void)state;
    assert_double_near(zone->investment, 1200.0, 1e-9);
    assert_double_near(zone->output, 3000.0, 1e-9);
    assert_double_near(zone->tax, 0.0, 0.0);
    assert_double_near(zone->land_m2, 6666.6666667, 1e-6);
    for (i = 0; i < count_rule(fx, "I03"); i++) {
        const hegui_finding *f = nth(fx, "I03", i);
        if (strstr(f->message_en, "not numbers")) {
            bad++;
            assert_contains(f->message_en, ": 1 (e.g. SS = \"约50\")");
            assert_int_equal(f->severity, HEGUI_SEVERITY_INFO);
        }
    }
    assert_int_equal(bad, 1);
    fixture_free(fx);
}

/* A parcel on the boundary of two blocks belongs to the one holding the
 * larger share: 30 m2 in b0 (装备制造), 70 m2 in b1 (医药). A 3511 plant is
 * then judged against 医药 (I01) and its land is 100 m2. */
static void test_check_industry_parcel_on_boundary(void **state)
{
    const block_spec blocks[] = {{SQ(0, 0, 100, 100), "装备制造"},
                                 {SQ(100, 0, 200, 100), "医药"}};
    const feature_spec ents[] = {
        {SQ(97, 10, 107, 20), "\"QYMC\": \"跨界厂\", \"HYDM\": \"3511\", \"CZ\": 50, \"TZE\": 30, "
                               "\"SS\": 5"}};
    fixture *fx = industry_run(blocks, 2, ents, 1, NULL, 0, NULL);
    size_t i;
    (void)state;
    assert_int_equal(count_rule(fx, "I01"), 1);
    assert_contains(nth(fx, "I01", 0)->message_zh, "b1");
    for (i = 0; i < fx->run.intensity_count; i++) {
        const hegui_run_intensity *r = &fx->run.intensity[i];
        if (*r->enterprise) {
            assert_double_near(r->land_m2, 100.0, 1e-9);
            /* 100 m2 = 0.15 亩: 50 / 0.15 */
            assert_double_near(r->output_per_mu, 50.0 / 0.15, 1e-9);
            assert_int_equal(r->rank_in_zone, 1);
        }
    }
    fixture_free(fx);
}

/* Polluting plants outside every zone: a coking plant (2521, 煤化工) at
 * 9 900 m from the urban area is a candidate, one at 10 100 m is not; a
 * non-polluting plant at 1 km is not. The nearest zone taking 煤化工 is b1. */
static void test_check_industry_i02_distance(void **state)
{
    const block_spec blocks[] = {{SQ(0, 0, 100, 100), "光机电"},
                                 {SQ(0, 5000, 100, 5100), "煤化工、新材料"}};
    const feature_spec urban[] = {{SQ(-20000, -1000, -15000, 1000), "\"MC\": \"中心城区\""}};
    const feature_spec ents[] = {
        {"POINT(-5100 0)", "\"QYMC\": \"近焦化\", \"HYDM\": \"2521\", \"HPDB\": \"否\""},
        {"POINT(-4900 0)", "\"QYMC\": \"远焦化\", \"HYDM\": \"2521\""},
        {"POINT(-14000 0)", "\"QYMC\": \"食品厂\", \"HYDM\": \"1353\""},
    };
    fixture *fx = industry_run(blocks, 2, ents, 3, urban, 1, NULL);
    const hegui_finding *f;
    (void)state;
    assert_int_equal(count_rule(fx, "I02"), 1);
    f = nth(fx, "I02", 0);
    assert_contains(f->message_zh, "近焦化");
    assert_contains(f->message_en, "9900 m from the urban area");
    assert_contains(f->message_en, "b1");
    assert_contains(f->message_en, "compliance: 否");
    assert_string_equal(f->zone_code, "");
    fixture_free(fx);
    /* the rules file moves the limit */
    fx = industry_run(blocks, 2, ents, 3, urban, 1, "rules:\n  I02: {distance_m: 11000}\n");
    assert_int_equal(count_rule(fx, "I02"), 2);
    fixture_free(fx);
}

/* I03: an enterprise without land gets no ratios and an info finding; the
 * zone row sums only enterprises with land; ranks by output per 亩; a
 * threshold in the rules file makes a finding. YDMJ is in m2. */
static void test_check_industry_i03_intensity(void **state)
{
    const block_spec blocks[] = {{SQ(0, 0, 1000, 1000), "装备制造"}};
    const feature_spec ents[] = {
        {"POINT(10 10)", "\"QYMC\": \"甲\", \"HYDM\": \"3511\", \"TZE\": 1000, \"CZ\": 2000, "
                         "\"SS\": 100, \"YDMJ\": 6666.6666667"}, /* 10 亩 */
        {"POINT(20 20)", "\"QYMC\": \"乙\", \"HYDM\": \"3511\", \"TZE\": 600, \"CZ\": 3000, "
                         "\"SS\": 60, \"YDMJ\": 13333.3333333"}, /* 20 亩 */
        {"POINT(30 30)", "\"QYMC\": \"丙\", \"HYDM\": \"3511\", \"CZ\": 900"}, /* no land */
    };
    fixture *fx = industry_run(blocks, 1, ents, 3, NULL, 0,
                               "rules:\n  I03: {output_per_mu_min: 160}\n");
    const hegui_run_intensity *zone = &fx->run.intensity[0];
    (void)state;
    assert_int_equal(fx->run.intensity_count, 4);
    assert_string_equal(zone->enterprise, "");
    assert_double_near(zone->land_m2, 20000.0, 1e-6);
    assert_double_near(zone->output, 5000.0, 1e-9);
    assert_double_near(zone->output_per_mu, 5000.0 / 30.0, 1e-6);
    /* 甲 200/亩 ranks first, 乙 150/亩 second, 丙 unranked */
    assert_string_equal(fx->run.intensity[1].enterprise, "甲");
    assert_double_near(fx->run.intensity[1].output_per_mu, 200.0, 1e-6);
    assert_int_equal(fx->run.intensity[1].rank_in_zone, 1);
    assert_string_equal(fx->run.intensity[2].enterprise, "乙");
    assert_int_equal(fx->run.intensity[2].rank_in_zone, 2);
    assert_string_equal(fx->run.intensity[3].enterprise, "丙");
    assert_true(isnan(fx->run.intensity[3].output_per_mu));
    assert_int_equal(fx->run.intensity[3].rank_in_zone, 0);
    /* a note for 丙, and the threshold finding for 乙 (150 < 160); I03's
     * severity (info by default) caps both */
    assert_int_equal(count_rule(fx, "I03"), 2);
    {
        size_t i, no_land = 0, below = 0;
        for (i = 0; i < fx->run.findings.count; i++) {
            const hegui_finding *f = &fx->run.findings.items[i];
            if (strcmp(f->rule, "I03") != 0)
                continue;
            assert_int_equal(f->severity, HEGUI_SEVERITY_INFO);
            no_land += strstr(f->message_zh, "「丙」没有用地面积") != NULL;
            below += strstr(f->message_en, "'乙': output per mu 150.00 (10k yuan) is below 160.00") !=
                     NULL;
        }
        assert_int_equal(no_land, 1);
        assert_int_equal(below, 1);
    }
    fixture_free(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_industry_i01_labels),
        cmocka_unit_test(test_check_industry_i01_no_code),
        cmocka_unit_test(test_check_industry_numeric_codes),
        cmocka_unit_test(test_check_industry_parcel_on_boundary),
        cmocka_unit_test(test_check_industry_i02_distance),
        cmocka_unit_test(test_check_industry_i03_intensity),
        cmocka_unit_test(test_check_industry_i03_amount_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
