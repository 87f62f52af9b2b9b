/*
 * test_finding.c - the finding module: deep copies into the list, NULL
 * strings, the total sort key (table-driven, ties broken by later keys),
 * allocation failures, unit conversions and the run's counts and verdict.
 */
#include "test_common.h"

#include <stdlib.h>

#include "finding/finding_internal.h"
#include "hegui/finding.h"
#include "util/util.h"

/* A finding with only the sort key set (other strings NULL). */
static hegui_finding key_finding(const char *rule, const char *zone, const char *layer, int64_t fid,
                                 const char *other_layer, int64_t other_fid, const char *wkt,
                                 const char *message_en)
{
    hegui_finding f;
    memset(&f, 0, sizeof(f));
    f.rule = rule;
    f.severity = HEGUI_SEVERITY_ERROR;
    f.zone_code = (char *)zone;
    f.layer = (char *)layer;
    f.fid = fid;
    f.other_layer = (char *)other_layer;
    f.other_fid = other_fid;
    f.wkt = (char *)wkt;
    f.message_en = (char *)message_en;
    f.share_of_zone = -1;
    return f;
}

/* --- add --- */

static void test_finding_add_copies_strings(void **state)
{
    hegui_findings list = {NULL, 0, 0};
    char zone[] = "G140500", name[] = "晋城经济技术开发区", layer[] = "KFQ";
    char msg_zh[] = "几何无效", msg_en[] = "invalid geometry", wkt[] = "POINT (1 2)";
    hegui_finding f = key_finding("S01", zone, layer, 7, NULL, -1, wkt, msg_en);
    (void)state;

    f.zone_name = name;
    f.message_zh = msg_zh;
    f.has_area = true;
    f.area_m2 = 1500.0;
    f.area_ellipsoidal_m2 = 1499.5;
    f.share_of_zone = 0.25;
    assert_int_equal(hegui_findings_add(&list, &f), 0);

    /* mutate the source: the list must keep its own copies */
    zone[0] = 'X';
    name[0] = 'X';
    layer[0] = 'X';
    msg_zh[0] = 'X';
    msg_en[0] = 'X';
    wkt[0] = 'X';

    assert_int_equal(list.count, 1);
    assert_string_equal(list.items[0].rule, "S01");
    assert_string_equal(list.items[0].zone_code, "G140500");
    assert_string_equal(list.items[0].zone_name, "晋城经济技术开发区");
    assert_string_equal(list.items[0].layer, "KFQ");
    assert_string_equal(list.items[0].message_zh, "几何无效");
    assert_string_equal(list.items[0].message_en, "invalid geometry");
    assert_string_equal(list.items[0].wkt, "POINT (1 2)");
    assert_ptr_not_equal(list.items[0].zone_code, zone);
    assert_int_equal(list.items[0].fid, 7);
    assert_int_equal(list.items[0].other_fid, -1);
    assert_true(list.items[0].has_area);
    assert_double_near(list.items[0].area_m2, 1500.0, 0.0);
    assert_double_near(list.items[0].area_ellipsoidal_m2, 1499.5, 0.0);
    assert_double_near(list.items[0].share_of_zone, 0.25, 0.0);
    hegui_findings_release(&list);
    assert_null(list.items);
    assert_int_equal(list.count, 0);
}

static void test_finding_add_null_strings_become_empty(void **state)
{
    hegui_findings list = {NULL, 0, 0};
    hegui_finding f;
    (void)state;
    memset(&f, 0, sizeof(f));
    f.fid = -1;
    f.other_fid = -1;
    assert_int_equal(hegui_findings_add(&list, &f), 0);
    assert_non_null(list.items[0].rule);
    assert_string_equal(list.items[0].rule, "");
    assert_string_equal(list.items[0].zone_code, "");
    assert_string_equal(list.items[0].zone_name, "");
    assert_string_equal(list.items[0].block, "");
    assert_string_equal(list.items[0].layer, "");
    assert_string_equal(list.items[0].subject_attrs, "");
    assert_string_equal(list.items[0].other_layer, "");
    assert_string_equal(list.items[0].other_attrs, "");
    assert_string_equal(list.items[0].wkt, "");
    assert_string_equal(list.items[0].message_zh, "");
    assert_string_equal(list.items[0].message_en, "");
    hegui_findings_release(&list);
}

static void test_finding_add_many_grows(void **state)
{
    hegui_findings list = {NULL, 0, 0};
    size_t i;
    (void)state;
    for (i = 0; i < 100; i++) {
        char label[32];
        hegui_finding f = key_finding("S02", "G1", "KFQ", (int64_t)i, NULL, -1, NULL, label);
        snprintf(label, sizeof(label), "n%zu", i);
        assert_int_equal(hegui_findings_add(&list, &f), 0);
    }
    assert_int_equal(list.count, 100);
    assert_true(list.cap >= 100);
    assert_string_equal(list.items[42].message_en, "n42");
    assert_int_equal(list.items[99].fid, 99);
    hegui_findings_release(&list);
}

/* Every allocation of an add can fail: HEGUI_ENOMEM, the list keeps what
 * it had, and nothing leaks (checked by LeakSanitizer / valgrind). */
static void test_finding_add_enomem(void **state)
{
    long n;
    int succeeded = 0;
    (void)state;
    for (n = 1; n < 100 && !succeeded; n++) {
        hegui_findings list = {NULL, 0, 0};
        size_t added = 0, k;
        int rc = 0;
        hegui_alloc_fail_after(n);
        for (k = 0; k < 3; k++) {
            hegui_finding f =
                key_finding("S01", "G1", "KFQ", (int64_t)k, "YJJBNT", 3, "POINT (1 2)", "message");
            f.message_zh = (char *)"消息";
            rc = hegui_findings_add(&list, &f);
            if (rc < 0)
                break;
            added++;
        }
        hegui_alloc_fail_after(0);
        if (rc < 0) {
            assert_int_equal(rc, HEGUI_ENOMEM);
            assert_int_equal(hegui_error_code(), HEGUI_ENOMEM);
            assert_int_equal(list.count, added);
            for (k = 0; k < list.count; k++)
                assert_string_equal(list.items[k].message_zh, "消息");
        } else {
            succeeded = 1;
            assert_int_equal(list.count, 3);
        }
        hegui_findings_release(&list);
    }
    assert_true(succeeded);
    assert_true(n > 3); /* some allocation did fail before */
}

/* The WKT handed to finding_add_taking_wkt becomes the finding's own
 * (the same pointer, not a copy; f->wkt is not read), NULL gives "" as
 * for hegui_findings_add, and under every failing allocation the WKT is
 * freed with the list unchanged (LeakSanitizer checks the freeing). */
static void test_finding_add_taking_wkt(void **state)
{
    hegui_findings list = {NULL, 0, 0};
    hegui_finding f = key_finding("C01", "G1", "KFQ", 7, "YJJBNT", 3, "POINT (9 9)", "m");
    char *wkt = hegui_strdup("POLYGON ((0 0, 1 0, 1 1, 0 0))");
    long n;
    int succeeded = 0;
    (void)state;
    assert_non_null(wkt);
    assert_int_equal(finding_add_taking_wkt(&list, &f, wkt), 0);
    assert_ptr_equal(list.items[0].wkt, wkt);
    assert_string_equal(list.items[0].other_layer, "YJJBNT");
    assert_int_equal(finding_add_taking_wkt(&list, &f, NULL), 0);
    assert_string_equal(list.items[1].wkt, "");
    assert_string_equal(f.wkt, "POINT (9 9)"); /* the caller's finding is untouched */
    hegui_findings_release(&list);
    for (n = 1; n < 100 && !succeeded; n++) {
        int rc;
        wkt = hegui_strdup("POINT (1 2)");
        assert_non_null(wkt);
        hegui_alloc_fail_after(n);
        rc = finding_add_taking_wkt(&list, &f, wkt);
        hegui_alloc_fail_after(0);
        if (rc < 0) {
            assert_int_equal(rc, HEGUI_ENOMEM);
            assert_int_equal(list.count, 0);
        } else {
            succeeded = 1;
            assert_string_equal(list.items[0].wkt, "POINT (1 2)");
        }
        hegui_findings_release(&list);
    }
    assert_true(succeeded);
    assert_true(n > 2);
}

/* --- order --- */

typedef struct order_case {
    const char *what;
    hegui_finding a, b;
    int expected; /* sign of compare(a, b) */
} order_case;

static void test_finding_compare_table(void **state)
{
    const order_case cases[] = {
        {"rule first", key_finding("C01", "G9", "Z", 9, "Z", 9, "Z", "Z"),
         key_finding("S01", "G1", "A", 1, "A", 1, "A", "A"), -1},
        {"zone code after rule", key_finding("S01", "G1", "Z", 9, "Z", 9, "Z", "Z"),
         key_finding("S01", "G2", "A", 1, "A", 1, "A", "A"), -1},
        {"layer after zone", key_finding("S01", "G1", "A", 9, "Z", 9, "Z", "Z"),
         key_finding("S01", "G1", "B", 1, "A", 1, "A", "A"), -1},
        {"fid numeric, not text", key_finding("S01", "G1", "A", 2, "", -1, "", ""),
         key_finding("S01", "G1", "A", 10, "", -1, "", ""), -1},
        {"fid -1 before 0", key_finding("S01", "G1", "A", -1, "", -1, "", ""),
         key_finding("S01", "G1", "A", 0, "", -1, "", ""), -1},
        {"other layer after fid", key_finding("S01", "G1", "A", 1, "B", 1, "A", "A"),
         key_finding("S01", "G1", "A", 1, "A", 9, "Z", "Z"), 1},
        {"other fid after other layer", key_finding("C01", "G1", "A", 1, "B", 30, "A", "A"),
         key_finding("C01", "G1", "A", 1, "B", 4, "Z", "Z"), 1},
        {"wkt after other fid", key_finding("C01", "G1", "A", 1, "B", 4, "POLYGON", "A"),
         key_finding("C01", "G1", "A", 1, "B", 4, "POINT", "Z"), 1}, /* "POI" < "POL" */
        {"message last", key_finding("C01", "G1", "A", 1, "B", 4, "P", "b"),
         key_finding("C01", "G1", "A", 1, "B", 4, "P", "a"), 1},
        {"strcmp is byte order: upper before lower",
         key_finding("S01", "g1", "", -1, "", -1, "", ""),
         key_finding("S01", "G1", "", -1, "", -1, "", ""), 1},
        {"empty zone code first", key_finding("S01", "", "", -1, "", -1, "", ""),
         key_finding("S01", "G1", "", -1, "", -1, "", ""), -1},
        {"NULL equals empty", key_finding("S01", NULL, NULL, -1, NULL, -1, NULL, NULL),
         key_finding("S01", "", "", -1, "", -1, "", ""), 0},
        {"equal", key_finding("S03", "G1", "KFQ", 3, "", -1, "", "m"),
         key_finding("S03", "G1", "KFQ", 3, "", -1, "", "m"), 0},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int ab = hegui_finding_compare(&cases[i].a, &cases[i].b);
        int ba = hegui_finding_compare(&cases[i].b, &cases[i].a);
        int sign_ab = (ab > 0) - (ab < 0), sign_ba = (ba > 0) - (ba < 0);
        if (sign_ab != cases[i].expected || sign_ba != -cases[i].expected)
            fail_msg("case \"%s\": compare(a,b)=%d compare(b,a)=%d, expected sign %d",
                     cases[i].what, ab, ba, cases[i].expected);
    }
}

/* Findings equal in the documented key are still ordered by the other
 * fields, so their order cannot depend on insertion order. */
static void test_finding_compare_tie_breakers(void **state)
{
    hegui_finding a = key_finding("S03", "G1", "KFQ", 1, "", -1, "", "same");
    hegui_finding b = a;
    (void)state;
    b.severity = HEGUI_SEVERITY_WARNING;
    assert_true(hegui_finding_compare(&a, &b) < 0); /* error before warning */
    b = a;
    b.message_zh = (char *)"乙";
    a.message_zh = (char *)"甲";
    assert_true(hegui_finding_compare(&a, &b) != 0);
    assert_int_equal(hegui_finding_compare(&a, &b), -hegui_finding_compare(&b, &a));
    b = a;
    b.has_area = true;
    b.area_m2 = 5;
    assert_true(hegui_finding_compare(&a, &b) < 0);
    a.has_area = true;
    a.area_m2 = NAN;
    assert_true(hegui_finding_compare(&a, &b) > 0); /* NaN after numbers */
    assert_true(hegui_finding_compare(&a, &a) == 0);
}

/* The expected order of sort_inputs, by their message_en labels. */
static const char *const sorted_labels[] = {"c1", "c2", "s1", "s2", "s3", "s4",
                                            "s5", "s6", "s7", "s8", "s9"};

static void add_sort_inputs(hegui_findings *list, size_t copies)
{
    /* label (message_en) gives the expected position via key order */
    const hegui_finding inputs[] = {
        key_finding("S01", "G2", "A", 1, "", -1, "", "s9"),
        key_finding("S01", "G1", "A", 10, "", -1, "", "s4"),
        key_finding("C01", "G1", "A", 1, "YJJBNT", 7, "", "c2"),
        key_finding("S01", "G1", "A", 2, "", -1, "", "s3"),
        key_finding("S01", "G1", "B", -1, "", -1, "", "s5"),
        key_finding("S01", "", "A", 1, "", -1, "", "s1"),
        key_finding("C01", "G1", "A", 1, "YJJBNT", 3, "", "c1"),
        key_finding("S01", "G1", "A", -1, "", -1, "", "s2"),
        key_finding("S01", "G1", "B", 0, "X", 1, "POLYGON ((1 1))", "s7"),
        key_finding("S01", "G1", "B", 0, "X", 1, "POLYGON ((0 0))", "s6"),
        key_finding("S01", "G1", "B", 0, "X", 1, "POLYGON ((1 1))", "s8"),
    };
    size_t i, k;
    for (k = 0; k < copies; k++) {
        for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
            assert_int_equal(hegui_findings_add(list, &inputs[i]), 0);
    }
}

static void check_sorted(const hegui_findings *list, size_t copies)
{
    size_t i, n = sizeof(sorted_labels) / sizeof(sorted_labels[0]);
    assert_int_equal(list->count, n * copies);
    for (i = 0; i < list->count; i++) {
        if (strcmp(list->items[i].message_en, sorted_labels[i / copies]) != 0)
            fail_msg("position %zu: got %s, expected %s", i, list->items[i].message_en,
                     sorted_labels[i / copies]);
    }
}

static void test_finding_sort_order(void **state)
{
    hegui_findings list = {NULL, 0, 0};
    (void)state;
    add_sort_inputs(&list, 1); /* 11 findings: the small-list path */
    hegui_findings_sort(&list);
    check_sorted(&list, 1);
    hegui_findings_sort(&list); /* idempotent */
    check_sorted(&list, 1);
    hegui_findings_release(&list);

    add_sort_inputs(&list, 5); /* 55: the merge sort */
    hegui_findings_sort(&list);
    check_sorted(&list, 5);
    hegui_findings_release(&list);
}

/* 4 400 findings, sorted in two halves on two threads and merged: the
 * same order as on one (and as the table); without memory for the buffer,
 * still sorted. */
static void test_finding_sort_threads(void **state)
{
    hegui_findings one = {NULL, 0, 0}, two = {NULL, 0, 0};
    size_t i;
    (void)state;
    add_sort_inputs(&one, 400);
    add_sort_inputs(&two, 400);
    finding_sort(&one, 1);
    finding_sort(&two, 2);
    check_sorted(&two, 400);
    for (i = 0; i < one.count; i++)
        assert_int_equal(hegui_finding_compare(&one.items[i], &two.items[i]), 0);
    hegui_findings_release(&two);
    add_sort_inputs(&two, 400);
    hegui_alloc_fail_after(1);
    finding_sort(&two, 2);
    hegui_alloc_fail_after(0);
    check_sorted(&two, 400);
    hegui_findings_release(&one);
    hegui_findings_release(&two);
}

/* Without memory for the merge buffer the sort still sorts. */
static void test_finding_sort_without_memory(void **state)
{
    hegui_findings list = {NULL, 0, 0};
    (void)state;
    add_sort_inputs(&list, 4);
    hegui_alloc_fail_after(1);
    hegui_findings_sort(&list);
    hegui_alloc_fail_after(0);
    check_sorted(&list, 4);
    hegui_findings_release(&list);
}

/* --- units --- */

static void test_finding_units(void **state)
{
    (void)state;
    assert_double_near(hegui_area_ha(1500.0), 0.15, 1e-15);
    assert_double_near(hegui_area_mu(1500.0), 2.25, 0.0); /* exact */
    assert_double_near(hegui_area_ha(288000.0), 28.8, 1e-12);
    assert_double_near(hegui_area_mu(288000.0), 432.0, 0.0); /* DOMAIN.md 4 example */
    assert_double_near(hegui_area_mu(10000.0), 15.0, 0.0);   /* 1 ha = 15 亩 */
    assert_double_near(hegui_area_mu(HEGUI_M2_PER_MU), 1.0, 1e-15);
}

/* --- the run --- */

static void add_severity(hegui_run *run, hegui_severity severity)
{
    hegui_finding f = key_finding("S01", "G1", "A", 1, "", -1, "", "m");
    f.severity = severity;
    assert_int_equal(hegui_findings_add(&run->findings, &f), 0);
}

static void test_finding_run_counts_and_verdict(void **state)
{
    hegui_run run;
    size_t e = 99, w = 99, i = 99;
    (void)state;
    memset(&run, 0, sizeof(run));

    run.fail_on = HEGUI_SEVERITY_ERROR;
    hegui_run_counts(&run, &e, &w, &i);
    assert_int_equal(e + w + i, 0);
    assert_true(hegui_run_passed(&run));

    add_severity(&run, HEGUI_SEVERITY_WARNING);
    add_severity(&run, HEGUI_SEVERITY_INFO);
    add_severity(&run, HEGUI_SEVERITY_INFO);
    hegui_run_counts(&run, &e, &w, &i);
    assert_int_equal(e, 0);
    assert_int_equal(w, 1);
    assert_int_equal(i, 2);
    assert_true(hegui_run_passed(&run)); /* warnings below --fail-on error */
    run.fail_on = HEGUI_SEVERITY_WARNING;
    assert_false(hegui_run_passed(&run));
    run.fail_on = 0; /* never */
    assert_true(hegui_run_passed(&run));

    add_severity(&run, HEGUI_SEVERITY_ERROR);
    hegui_run_counts(&run, &e, NULL, NULL);
    assert_int_equal(e, 1);
    assert_true(hegui_run_passed(&run));
    run.fail_on = HEGUI_SEVERITY_ERROR;
    assert_false(hegui_run_passed(&run));
    run.fail_on = HEGUI_SEVERITY_INFO;
    assert_false(hegui_run_passed(&run));
    hegui_run_release(&run);
}

/* Release frees every owned member (LeakSanitizer checks) and zeroes. */
static void test_finding_run_release(void **state)
{
    hegui_run run;
    (void)state;
    memset(&run, 0, sizeof(run));
    run.command = "check";
    run.input_count = 1;
    run.inputs = hegui_calloc(1, sizeof(*run.inputs));
    assert_non_null(run.inputs);
    run.inputs[0].path = hegui_strdup("a.shp");
    run.inputs[0].sha256 = hegui_strdup("00");
    run.inputs[0].layer = hegui_strdup("a");
    run.inputs[0].role = hegui_strdup("zones");
    run.inputs[0].crs = hegui_strdup("EPSG:4526");
    run.inputs[0].encoding = hegui_strdup("UTF-8");
    run.rules_sha256 = hegui_strdup("ff");
    run.rules_source = hegui_strdup("<default>");
    run.total_count = 1;
    run.totals = hegui_calloc(1, sizeof(*run.totals));
    assert_non_null(run.totals);
    run.totals[0].zone_code = hegui_strdup("G1");
    run.totals[0].zone_name = hegui_strdup("一");
    run.zone_count = 1;
    run.zones = hegui_calloc(1, sizeof(*run.zones));
    assert_non_null(run.zones);
    run.zones[0].code = hegui_strdup("G1");
    run.zones[0].name = hegui_strdup("一");
    add_severity(&run, HEGUI_SEVERITY_ERROR);
    hegui_run_release(&run);
    assert_null(run.inputs);
    assert_null(run.zones);
    assert_null(run.findings.items);
    assert_int_equal(run.zone_count + run.total_count + run.input_count, 0);
    hegui_run_release(&run); /* twice is harmless */
    hegui_run_release(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_finding_add_copies_strings),
        cmocka_unit_test(test_finding_add_null_strings_become_empty),
        cmocka_unit_test(test_finding_add_many_grows),
        cmocka_unit_test(test_finding_add_enomem),
        cmocka_unit_test(test_finding_add_taking_wkt),
        cmocka_unit_test(test_finding_compare_table),
        cmocka_unit_test(test_finding_compare_tie_breakers),
        cmocka_unit_test(test_finding_sort_order),
        cmocka_unit_test(test_finding_sort_without_memory),
        cmocka_unit_test(test_finding_sort_threads),
        cmocka_unit_test(test_finding_units),
        cmocka_unit_test(test_finding_run_counts_and_verdict),
        cmocka_unit_test(test_finding_run_release),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
