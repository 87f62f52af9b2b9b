/*
 * test_check_plandiff.c - C06 difference patches between two plans from
 * WKT with hand-computed areas: both kinds, inside a block and outside
 * every zone, a plan in the GB/T 21010 code set.
 */
#include "check_fixture.h"

static fixture *plandiff_run(const feature_spec *a, size_t na, const feature_spec *b, size_t nb,
                             const char *yaml)
{
    const block_spec blocks[] = {{SQ(0, 0, 100, 100), NULL}};
    layer_spec layers[2] = {{HEGUI_ROLE_LANDUSE, "YDYHFLDM", a, na},
                            {HEGUI_ROLE_PLAN_B, "YDYHFLDM", b, nb}};
    fixture *fx = fixture_new(blocks, 1, layers, 2, yaml);
    if (check_plandiff_run(&fx->ctx) < 0)
        fail_msg("check_plandiff_run: %s", hegui_error_last());
    fixture_finish(fx);
    return fx;
}

static double sum_kind(const fixture *fx, const char *kind, bool in_zone)
{
    size_t i;
    double total = 0;
    for (i = 0; i < fx->run.findings.count; i++) {
        const hegui_finding *f = &fx->run.findings.items[i];
        if (strcmp(f->rule, "C06") == 0 && strstr(f->subject_attrs, kind) &&
            (*f->zone_code != '\0') == in_zone)
            total += f->area_m2;
    }
    return total;
}

/* Plan A builds on x 0..50 of the block, plan B on x 30..100; outside the
 * zone A builds on 200..300 where B keeps forest. */
static void test_check_plandiff_both_kinds(void **state)
{
    const feature_spec a[] = {
        {SQ(0, 0, 50, 100), "\"YDYHFLDM\": \"1001\""},
        {SQ(50, 0, 100, 100), "\"YDYHFLDM\": \"0103\""},
        {SQ(200, 0, 300, 100), "\"YDYHFLDM\": \"0701\""},
    };
    const feature_spec b[] = {
        {SQ(0, 0, 30, 100), "\"YDYHFLDM\": \"0103\""},
        {SQ(30, 0, 100, 100), "\"YDYHFLDM\": \"1001\""},
        {SQ(200, 0, 300, 100), "\"YDYHFLDM\": \"0301\""},
    };
    fixture *fx = plandiff_run(a, 3, b, 3, NULL);
    (void)state;
    /* A only: x 0..30 in the block; B only: x 50..100 */
    assert_double_near(sum_kind(fx, "A_construction_B_not", true), 3000.0, 1e-6);
    assert_double_near(sum_kind(fx, "B_construction_A_not", true), 5000.0, 1e-6);
    assert_double_near(sum_kind(fx, "A_construction_B_not", false), 10000.0, 1e-6);
    assert_double_near(sum_kind(fx, "B_construction_A_not", false), 0.0, 0.0);
    assert_int_equal(nth(fx, "C06", 0)->severity, HEGUI_SEVERITY_WARNING);
    fixture_free(fx);
}

/* Land only one plan covers is no difference: B stops at x = 60. */
static void test_check_plandiff_needs_both_plans(void **state)
{
    const feature_spec a[] = {{SQ(0, 0, 100, 100), "\"YDYHFLDM\": \"1001\""}};
    const feature_spec b[] = {{SQ(0, 0, 60, 100), "\"YDYHFLDM\": \"0101\""}};
    fixture *fx = plandiff_run(a, 1, b, 1, NULL);
    (void)state;
    assert_int_equal(count_rule(fx, "C06"), 1);
    assert_double_near(nth(fx, "C06", 0)->area_m2, 6000.0, 1e-6);
    fixture_free(fx);
}

/* Plan B's code field is numeric: 0101 (水田) reads 101, which would count
 * as 10 (construction) and hide the difference with A's 1001; restored, it
 * is the same 6000 m2 as above, with a warning on plan B's layer. */
static void test_check_plandiff_numeric_codes(void **state)
{
    const feature_spec a[] = {{SQ(0, 0, 100, 100), "\"YDYHFLDM\": \"1001\""}};
    const feature_spec b[] = {{SQ(0, 0, 60, 100), "\"YDYHFLDM\": 101"}};
    fixture *fx = plandiff_run(a, 1, b, 1, NULL);
    size_t i, warnings = 0;
    double area = 0;
    (void)state;
    for (i = 0; i < count_rule(fx, "C06"); i++) {
        const hegui_finding *f = nth(fx, "C06", i);
        if (strstr(f->message_en, "is numeric")) {
            warnings++;
            assert_int_equal(f->severity, HEGUI_SEVERITY_WARNING);
            assert_contains(f->message_en, "e.g. 101, read as 0101");
        } else {
            area += f->area_m2;
        }
    }
    assert_int_equal(warnings, 1);
    assert_double_near(area, 6000.0, 1e-6);
    fixture_free(fx);
}

/* The construction lists come from the rules file: with 10 removed from
 * construction_ydyh, 1001 counts as non-construction and the A-only
 * difference on x 0..30 disappears. */
static void test_check_plandiff_rules_lists(void **state)
{
    const feature_spec a[] = {{SQ(0, 0, 100, 100), "\"YDYHFLDM\": \"1001\""}};
    const feature_spec b[] = {{SQ(0, 0, 30, 100), "\"YDYHFLDM\": \"0103\""},
                              {SQ(30, 0, 100, 100), "\"YDYHFLDM\": \"1001\""}};
    fixture *fx = plandiff_run(a, 1, b, 2, NULL);
    (void)state;
    assert_double_near(sum_kind(fx, "A_construction_B_not", true), 3000.0, 1e-6);
    fixture_free(fx);
    fx = plandiff_run(a, 1, b, 2,
                      "rules:\n  C06: {construction_ydyh: [\"07\", \"08\", \"09\", \"11\"]}\n");
    assert_int_equal(count_rule(fx, "C06"), 0);
    fixture_free(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_plandiff_both_kinds),
        cmocka_unit_test(test_check_plandiff_needs_both_plans),
        cmocka_unit_test(test_check_plandiff_numeric_codes),
        cmocka_unit_test(test_check_plandiff_rules_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
