/*
 * test_report.c - the reporters on a run built in code: two zones,
 * findings of S01 and S03 with hand-computed areas (1500 m2 = 0.1500 ha =
 * 2.25 亩), messages with "<&>, a newline, % and Chinese. Every format is
 * written to a memory stream and checked for exact substrings; the atomic
 * file writer is checked for complete files, no leftovers and errors.
 */
#define _POSIX_C_SOURCE 200809L

#include "test_common.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hegui/report.h"
#include "report/report_internal.h" /* also util/util.h */

/* --- the synthetic run --- */

#define MSG_S03_ZH "测量面积比申报面积大 1500.00 平方米（\"申报\" <&>）\n超出 100%"
#define MSG_S03_EN "area differs by 1500 m2 (\"declared\" <&> 'surveyed'),\nsee: 100% check"
#define INPUT_PATH "C:/data,2024/KFQ.shp"

typedef struct fixture {
    hegui_run run;
    hegui_config config;
    hegui_rule_config rules[64];
} fixture;

static char *copy_of(const char *s)
{
    char *copy = hegui_strdup(s);
    assert_non_null(copy);
    return copy;
}

static void add(hegui_run *run, const char *rule, hegui_severity severity, const char *zone,
                const char *zone_name, const char *block, const char *layer, int64_t fid,
                double area_m2, double ellipsoidal_m2, double share, const char *zh, const char *en)
{
    hegui_finding f;
    memset(&f, 0, sizeof(f));
    f.rule = rule;
    f.severity = severity;
    f.zone_code = (char *)zone;
    f.zone_name = (char *)zone_name;
    f.block = (char *)block;
    f.layer = (char *)layer;
    f.fid = fid;
    f.other_fid = -1;
    f.has_area = area_m2 >= 0;
    f.area_m2 = area_m2;
    f.area_ellipsoidal_m2 = ellipsoidal_m2;
    f.share_of_zone = share;
    f.message_zh = (char *)zh;
    f.message_en = (char *)en;
    if (strcmp(rule, "S01") == 0 && *zone)
        f.wkt = (char *)"POINT (397322.207 3931200.554)";
    assert_int_equal(hegui_findings_add(&run->findings, &f), 0);
}

/* Every catalogue rule enabled except S06 and S07 (the TXT format rule,
 * which this fixture has no file for). */
static void make_config(fixture *fx)
{
    size_t count, i;
    const hegui_rule_def *catalogue = hegui_rules_catalogue(&count);
    assert_true(count <= 64);
    memset(&fx->config, 0, sizeof(fx->config));
    fx->config.source = (char *)"<default>";
    for (i = 0; i < count; i++) {
        memset(&fx->rules[i], 0, sizeof(fx->rules[i]));
        fx->rules[i].id = catalogue[i].id;
        fx->rules[i].enabled =
            strcmp(catalogue[i].id, "S06") != 0 && strcmp(catalogue[i].id, "S07") != 0;
        fx->rules[i].severity = catalogue[i].default_severity;
        fx->rules[i].params.kind = HEGUI_VALUE_MAP;
    }
    fx->config.rules = fx->rules;
    fx->config.rule_count = count;
}

static void build_run(fixture *fx, const char *command)
{
    hegui_run *run = &fx->run;
    memset(run, 0, sizeof(*run));
    make_config(fx);
    run->command = command;
    run->config = &fx->config;
    run->gdal_version = "3.8.4";
    run->geos_version = "3.12.1";
    run->proj_version = "9.4.0";
    run->timestamp = 1716163200; /* 2024-05-20T00:00:00Z */
    run->fail_on = HEGUI_SEVERITY_ERROR;
    run->area_method = HEGUI_AREA_PLANAR;
    run->rules_source = copy_of("<default>");
    run->rules_sha256 = copy_of("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    run->working_crs.epsg = 4526;
    snprintf(run->working_crs.name, sizeof(run->working_crs.name), "%s",
             "CGCS2000 / 3-degree Gauss-Kruger zone 38");
    run->suppressed[1] = 2; /* S02 */

    run->input_count = 1;
    run->inputs = hegui_calloc(1, sizeof(*run->inputs));
    assert_non_null(run->inputs);
    run->inputs[0].path = copy_of(INPUT_PATH);
    run->inputs[0].sha256 =
        copy_of("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    run->inputs[0].layer = copy_of("KFQ");
    run->inputs[0].role = copy_of("zones");
    run->inputs[0].feature_count = 3;
    run->inputs[0].crs = copy_of("EPSG:4526");
    run->inputs[0].encoding = copy_of("GBK");

    run->zone_count = 2;
    run->zones = hegui_calloc(2, sizeof(*run->zones));
    assert_non_null(run->zones);
    run->zones[0].code = copy_of("G140500");
    run->zones[0].name = copy_of("晋城经济技术开发区");
    run->zones[0].block_count = 2;
    run->zones[0].area_m2 = 2000000.0;
    run->zones[0].area_ellipsoidal_m2 = 1999480.0;
    run->zones[1].code = copy_of("S140521");
    run->zones[1].name = copy_of("阳城经济开发区");
    run->zones[1].block_count = 1;
    run->zones[1].area_m2 = 1234567.891;
    run->zones[1].area_ellipsoidal_m2 = 1234246.5;

    /* added out of order: the run holds them sorted, as the builder will */
    add(run, "S03", HEGUI_SEVERITY_WARNING, "S140521", "阳城经济开发区", "", "KFQ", 7, 12.5, 12.49,
        12.5 / 1234567.891, "面积相差 12.50 平方米，在 0.1% 以内",
        "area differs by 12.50 m2, within 0.1%");
    add(run, "S03", HEGUI_SEVERITY_ERROR, "G140500", "晋城经济技术开发区", "一区", "KFQ", 1, 1500.0,
        1499.61, 0.00075, MSG_S03_ZH, MSG_S03_EN);
    add(run, "S01", HEGUI_SEVERITY_ERROR, "G140500", "晋城经济技术开发区", "", "KFQ", 3, -1, 0, -1,
        "几何无效：自相交", "invalid geometry: self-intersection\x01 at ring 1");
    add(run, "S01", HEGUI_SEVERITY_ERROR, "", "", "", "BAD", -1, -1, 0, -1, "图层没有几何",
        "layer has no geometry");
    hegui_findings_sort(&run->findings);

    run->total_count = 3;
    run->totals = hegui_calloc(3, sizeof(*run->totals));
    assert_non_null(run->totals);
    run->totals[0].rule = "S01";
    run->totals[0].zone_code = copy_of("G140500");
    run->totals[0].zone_name = copy_of("晋城经济技术开发区");
    run->totals[0].count = 1;
    run->totals[0].share_of_zone = -1;
    run->totals[1].rule = "S03";
    run->totals[1].zone_code = copy_of("G140500");
    run->totals[1].zone_name = copy_of("晋城经济技术开发区");
    run->totals[1].count = 1;
    run->totals[1].area_m2 = 1500.0;
    run->totals[1].area_ellipsoidal_m2 = 1499.61;
    run->totals[1].share_of_zone = 0.00075;
    run->totals[2].rule = "S03";
    run->totals[2].zone_code = copy_of("S140521");
    run->totals[2].zone_name = copy_of("阳城经济开发区");
    run->totals[2].count = 1;
    run->totals[2].area_m2 = 12.5;
    run->totals[2].area_ellipsoidal_m2 = 12.49;
    run->totals[2].share_of_zone = 12.5 / 1234567.891;

    if (strcmp(command, "check") != 0)
        return; /* validate has no land-use structure */
    run->landuse_count = 2;
    run->landuse = hegui_calloc(2, sizeof(*run->landuse));
    assert_non_null(run->landuse);
    run->landuse[0].zone_code = copy_of("G140500");
    run->landuse[0].zone_name = copy_of("晋城经济技术开发区");
    run->landuse[0].class_code = copy_of("0601");
    run->landuse[0].class_name = copy_of("工业用地");
    run->landuse[0].verdict = copy_of("allowed");
    run->landuse[0].area_m2 = 1500000.0;
    run->landuse[0].area_ellipsoidal_m2 = 1499610.0;
    run->landuse[0].share_of_zone = 0.75;
    run->landuse[1].zone_code = copy_of("G140500");
    run->landuse[1].zone_name = copy_of("晋城经济技术开发区");
    run->landuse[1].class_code = copy_of("0701");
    run->landuse[1].class_name = copy_of("城镇住宅用地");
    run->landuse[1].verdict = copy_of("conflict");
    run->landuse[1].area_m2 = 12345.678;
    run->landuse[1].area_ellipsoidal_m2 = 12342.5;
    run->landuse[1].share_of_zone = 12345.678 / 2000000.0;
}

static int setup_validate(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    if (!fx)
        return -1;
    build_run(fx, "validate");
    *state = fx;
    return 0;
}

static int setup_check(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    if (!fx)
        return -1;
    build_run(fx, "check");
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    hegui_run_release(&fx->run);
    free(fx);
    return 0;
}

/* Output of reporter `name` on run, as a string (free with free()). */
static char *render(const char *name, const hegui_run *run, hegui_lang lang, int color, int quiet)
{
    const hegui_reporter *reporter = hegui_reporter_find(name);
    hegui_report_options options = {lang, color, quiet, lang, 0};
    char *text = NULL;
    size_t size = 0;
    FILE *out;
    int rc;

    assert_non_null(reporter);
    out = open_memstream(&text, &size);
    assert_non_null(out);
    rc = reporter->write(out, run, &options);
    fclose(out);
    if (rc < 0)
        fail_msg("%s reporter failed: %s", name, hegui_error_last());
    return text;
}

/* Writes summary.json of run formatted on threads
 * (hegui_report_options.threads) into *text (free with free()); the
 * reporter's result. */
static int write_json_on(const hegui_run *run, int threads, char **text)
{
    hegui_report_options options = {HEGUI_LANG_ZH, 0, 0, HEGUI_LANG_ZH, threads};
    size_t size = 0;
    FILE *out;
    int rc;
    *text = NULL;
    out = open_memstream(text, &size);
    assert_non_null(out);
    rc = hegui_reporter_find("json")->write(out, run, &options);
    fclose(out);
    return rc;
}

/* summary.json of run formatted on threads, as a string (free with free()). */
static char *render_json_on(const hegui_run *run, int threads)
{
    char *text;
    if (write_json_on(run, threads, &text) < 0)
        fail_msg("json reporter failed: %s", hegui_error_last());
    return text;
}

/* Asserts that the JSON reporter refuses run (HEGUI_EINTERNAL) with a
 * message containing needle, formatted on threads. */
static void expect_json_refused_on(const hegui_run *run, const char *needle, int threads)
{
    char *text;
    int rc = write_json_on(run, threads, &text);
    free(text);
    assert_int_equal(rc, HEGUI_EINTERNAL);
    assert_contains(hegui_error_last(), needle);
}

static void expect_json_refused(const hegui_run *run, const char *needle)
{
    expect_json_refused_on(run, needle, 0);
}

/* Asserts that text starts with prefix. */
static void assert_starts(const char *text, const char *prefix)
{
    if (strncmp(text, prefix, strlen(prefix)) != 0)
        fail_msg("expected \"%s\" to start with \"%s\"", text, prefix);
}

static size_t count_of(const char *haystack, const char *needle)
{
    size_t n = 0;
    const char *p = haystack;
    while ((p = strstr(p, needle)) != NULL) {
        n++;
        p += strlen(needle);
    }
    return n;
}

/* --- the table --- */

static void test_report_table(void **state)
{
    size_t count, i;
    const hegui_reporter *table = hegui_reporters(&count);
    (void)state;
    assert_true(count >= 4);
    for (i = 0; i < count; i++)
        assert_ptr_equal(hegui_reporter_find(table[i].name), &table[i]);
    assert_string_equal(hegui_reporter_find("json")->filename, "summary.json");
    assert_string_equal(hegui_reporter_find("junit")->filename, "junit.xml");
    assert_null(hegui_reporter_find("console")->filename);
    assert_null(hegui_reporter_find("github")->filename);
    assert_null(hegui_reporter_find("xml"));
    assert_null(hegui_reporter_find(NULL));
}

/* --- helpers --- */

static void test_report_display_width(void **state)
{
    (void)state;
    assert_int_equal(report_display_width("abc"), 3);
    assert_int_equal(report_display_width("开发区"), 6);
    assert_int_equal(report_display_width("（一）"), 6); /* full-width brackets */
    assert_int_equal(report_display_width("Ａ1"), 3);    /* full-width A */
    assert_int_equal(report_display_width("G140500 一区"), 12);
    assert_int_equal(report_display_width("e\xCC\x81"), 1);    /* e + combining acute */
    assert_int_equal(report_display_width("\xE3\x81\x82"), 2); /* あ */
    assert_int_equal(report_display_width("\xFF"), 1);         /* invalid byte: U+FFFD */
    assert_int_equal(report_display_width(""), 0);
}

static void test_report_format_fixed(void **state)
{
    char text[64];
    (void)state;
    report_format_fixed(text, sizeof(text), 1500.0, 2);
    assert_string_equal(text, "1500.00");
    report_format_fixed(text, sizeof(text), 0.15, 4);
    assert_string_equal(text, "0.1500");
    report_format_fixed(text, sizeof(text), -0.001, 2);
    assert_string_equal(text, "0.00"); /* no "-0.00" */
    report_format_fixed(text, sizeof(text), -0.5, 2);
    assert_string_equal(text, "-0.50");
    report_format_fixed(text, sizeof(text), 123.45678910000001, 4);
    assert_string_equal(text, "123.4568");
}

static void test_report_format_utc(void **state)
{
    char text[32];
    (void)state;
    report_format_utc(text, sizeof(text), 1716163200);
    assert_string_equal(text, "2024-05-20T00:00:00Z");
    report_format_utc(text, sizeof(text), 0);
    assert_string_equal(text, "1970-01-01T00:00:00Z");
    report_format_utc(text, sizeof(text), 951868799); /* leap day */
    assert_string_equal(text, "2000-02-29T23:59:59Z");
    report_format_utc(text, sizeof(text), -1);
    assert_string_equal(text, "1969-12-31T23:59:59Z");
}

/* --- summary.json --- */

static void test_report_json_content(void **state)
{
    fixture *fx = *state;
    char *out = render("json", &fx->run, HEGUI_LANG_ZH, 0, 0);

    assert_starts(out, "{\n  \"schema_version\": \"1.0\",\n  \"command\": \"validate\",\n");
    assert_contains(out, "  \"tool\": {\n    \"name\": \"hegui\",\n    \"version\": \"0.1.0\",\n"
                         "    \"gdal\": \"3.8.4\",\n    \"geos\": \"3.12.1\",\n"
                         "    \"proj\": \"9.4.0\"\n  },\n");
    assert_contains(out, "\"generated_at\": \"2024-05-20T00:00:00Z\"");
    assert_contains(out, "\"path\": \"C:/data,2024/KFQ.shp\"");
    assert_contains(out, "\"feature_count\": 3,");
    assert_contains(out, "\"working_crs\": {\n    \"epsg\": 4526,\n    \"name\": \"CGCS2000 / "
                         "3-degree Gauss-Kruger zone 38\"\n  }");
    assert_contains(out, "\"area_method\": \"planar\"");
    assert_contains(out, "\"fail_on\": \"error\"");
    assert_contains(out, "\"verdict\": \"fail\"");
    assert_contains(out,
                    "\"counts\": {\n    \"error\": 3,\n    \"warning\": 1,\n    \"info\": 0\n  }");
    assert_contains(out, "\"suppressed\": {\n    \"S02\": 2\n  }");
    assert_contains(out, "\"rounding\": {\n    \"area_m2\": 2,\n    \"area_ha\": 4,\n"
                         "    \"area_mu\": 2,\n    \"note\": \"rows are rounded");

    /* zones: every area from the unrounded m2 */
    assert_contains(out, "\"code\": \"S140521\",\n      \"name\": \"阳城经济开发区\",\n"
                         "      \"block_count\": 1,\n      \"area_m2\": 1234567.89,\n"
                         "      \"area_ha\": 123.4568,\n      \"area_mu\": 1851.85,\n"
                         "      \"area_ellipsoidal_m2\": 1234246.50\n");
    assert_contains(out, "\"area_m2\": 2000000.00,\n      \"area_ha\": 200.0000,\n"
                         "      \"area_mu\": 3000.00,");
    /* totals */
    assert_contains(out, "\"rule\": \"S03\",\n      \"zone_code\": \"G140500\",\n"
                         "      \"count\": 1,\n      \"area_m2\": 1500.00,\n"
                         "      \"area_ha\": 0.1500,\n      \"area_mu\": 2.25,\n"
                         "      \"share_of_zone\": 0.000750\n");
    assert_contains(out, "\"rule\": \"S01\",\n      \"zone_code\": \"G140500\",\n"
                         "      \"count\": 1,\n      \"area_m2\": 0.00,\n"
                         "      \"area_ha\": 0.0000,\n      \"area_mu\": 0.00,\n"
                         "      \"share_of_zone\": null\n");
    /* findings: 1500 m2 = 0.1500 ha = 2.25 亩; 12.5 m2 = 0.0013 ha = 0.02 亩 */
    assert_contains(out, "\"area_m2\": 1500.00,\n      \"area_ha\": 0.1500,\n"
                         "      \"area_mu\": 2.25,\n      \"area_ellipsoidal_m2\": 1499.61,\n"
                         "      \"share_of_zone\": 0.000750,\n");
    assert_contains(out, "\"area_m2\": 12.50,\n      \"area_ha\": 0.0013,\n"
                         "      \"area_mu\": 0.02,\n      \"area_ellipsoidal_m2\": 12.49,\n"
                         "      \"share_of_zone\": 0.000010,\n");
    assert_contains(out, "\"fid\": 3,");
    assert_contains(out, "\"area_m2\": null,\n      \"area_ha\": null,\n      \"area_mu\": null,\n"
                         "      \"area_ellipsoidal_m2\": null,\n      \"share_of_zone\": null,\n");
    assert_contains(out, "\"layer\": \"BAD\",\n      \"fid\": null,\n      \"other_layer\": \"\",\n"
                         "      \"other_fid\": null,\n");
    assert_contains(out, "\"block\": \"一区\"");
    /* escaping */
    assert_contains(out, "\"message_en\": \"area differs by 1500 m2 (\\\"declared\\\" <&> "
                         "'surveyed'),\\nsee: 100% check\"");
    assert_contains(out, "\"message_zh\": \"测量面积比申报面积大 1500.00 平方米（\\\"申报\\\" "
                         "<&>）\\n超出 100%\"");
    assert_contains(out, "self-intersection\\u0001 at ring 1");
    assert_contains(out, "\"wkt\": \"POINT (397322.207 3931200.554)\"");
    assert_true(strlen(out) > 2 && strcmp(out + strlen(out) - 2, "}\n") == 0);
    free(out);
}

/* Top-level and finding keys come in the documented order. */
static void test_report_json_key_order(void **state)
{
    static const char *const top[] = {"\n  \"schema_version\"",
                                      "\n  \"command\"",
                                      "\n  \"tool\"",
                                      "\n  \"generated_at\"",
                                      "\n  \"inputs\"",
                                      "\n  \"rules_source\"",
                                      "\n  \"rules_sha256\"",
                                      "\n  \"working_crs\"",
                                      "\n  \"area_method\"",
                                      "\n  \"fail_on\"",
                                      "\n  \"verdict\"",
                                      "\n  \"counts\"",
                                      "\n  \"suppressed\"",
                                      "\n  \"rounding\"",
                                      "\n  \"zones\"",
                                      "\n  \"totals\"",
                                      "\n  \"landuse_structure\"",
                                      "\n  \"findings\""};
    static const char *const finding[] = {"\"rule\"",
                                          "\"severity\"",
                                          "\"zone_code\"",
                                          "\"zone_name\"",
                                          "\"block\"",
                                          "\"layer\"",
                                          "\"fid\"",
                                          "\"other_layer\"",
                                          "\"other_fid\"",
                                          "\"subject_attrs\"",
                                          "\"other_attrs\"",
                                          "\"area_m2\"",
                                          "\"area_ha\"",
                                          "\"area_mu\"",
                                          "\"area_ellipsoidal_m2\"",
                                          "\"share_of_zone\"",
                                          "\"message_zh\"",
                                          "\"message_en\"",
                                          "\"wkt\""};
    fixture *fx = *state;
    char *out = render("json", &fx->run, HEGUI_LANG_ZH, 0, 0);
    const char *p = out, *q;
    size_t i;

    for (i = 0; i < sizeof(top) / sizeof(top[0]); i++) {
        q = strstr(p, top[i]);
        if (!q)
            fail_msg("top-level key %s missing or out of order", top[i] + 3);
        p = q;
    }
    /* the findings, sorted: (no zone) S01, G140500 S01, G140500 S03, S140521 S03 */
    p = strstr(out, "\n  \"findings\"");
    assert_non_null(p);
    for (i = 0; i < sizeof(finding) / sizeof(finding[0]); i++) {
        q = strstr(p, finding[i]);
        if (!q)
            fail_msg("finding key %s missing or out of order", finding[i]);
        p = q;
    }
    p = strstr(out, "\n  \"findings\"");
    q = strstr(p, "\"message_en\": \"layer has no geometry\"");
    assert_non_null(q);
    q = strstr(q, "\"message_en\": \"invalid geometry");
    assert_non_null(q);
    q = strstr(q, "\"message_en\": \"area differs by 1500");
    assert_non_null(q);
    q = strstr(q, "\"message_en\": \"area differs by 12.50");
    assert_non_null(q);
    free(out);
}

static void test_report_json_empty_run(void **state)
{
    hegui_run run;
    char *out;
    (void)state;
    memset(&run, 0, sizeof(run));
    run.command = "check";
    out = render("json", &run, HEGUI_LANG_EN, 0, 0);
    assert_contains(out, "\"inputs\": [],");
    assert_contains(out, "\"suppressed\": {},");
    assert_contains(out, "\"zones\": [],");
    assert_contains(out, "\"landuse_structure\": [],");
    assert_contains(out, "\"findings\": []\n}\n");
    assert_contains(out, "\"epsg\": null,");
    assert_contains(out, "\"fail_on\": \"never\"");
    assert_contains(out, "\"verdict\": \"pass\"");
    assert_contains(out, "\"gdal\": \"\"");
    free(out);

    /* invalid UTF-8 never reaches the file */
    run.rules_source = (char *)"rules-\xC3(.yaml";
    out = render("json", &run, HEGUI_LANG_EN, 0, 0);
    assert_contains(out, "\"rules_source\": \"rules-\xEF\xBF\xBD(.yaml\"");
    free(out);
}

/* Land-use structure: one row per (zone, class), areas from the unrounded
 * m2 (1 500 000 m2 = 150 ha = 2250 亩; 12 345.678 m2 = 1.2346 ha = 18.52 亩);
 * validate writes an empty array. */
static void test_report_json_landuse(void **state)
{
    fixture *fx = *state;
    char *out = render("json", &fx->run, HEGUI_LANG_ZH, 0, 0);
    const char *totals = strstr(out, "\n  \"totals\""), *landuse, *findings;

    landuse = strstr(out, "\n  \"landuse_structure\": [\n");
    findings = strstr(out, "\n  \"findings\"");
    assert_non_null(totals);
    assert_non_null(landuse);
    assert_true(totals < landuse && landuse < findings);
    assert_contains(landuse, "\"landuse_structure\": [\n    {\n"
                             "      \"zone_code\": \"G140500\",\n"
                             "      \"zone_name\": \"晋城经济技术开发区\",\n"
                             "      \"class_code\": \"0601\",\n"
                             "      \"class_name\": \"工业用地\",\n"
                             "      \"verdict\": \"allowed\",\n"
                             "      \"area_m2\": 1500000.00,\n"
                             "      \"area_ha\": 150.0000,\n"
                             "      \"area_mu\": 2250.00,\n"
                             "      \"area_ellipsoidal_m2\": 1499610.00,\n"
                             "      \"share_of_zone\": 0.750000\n"
                             "    },\n    {\n");
    assert_contains(landuse, "      \"class_code\": \"0701\",\n"
                             "      \"class_name\": \"城镇住宅用地\",\n"
                             "      \"verdict\": \"conflict\",\n"
                             "      \"area_m2\": 12345.68,\n"
                             "      \"area_ha\": 1.2346,\n"
                             "      \"area_mu\": 18.52,\n"
                             "      \"area_ellipsoidal_m2\": 12342.50,\n"
                             "      \"share_of_zone\": 0.006173\n"
                             "    }\n  ],\n  \"intensity\": [],\n  \"findings\"");
    free(out);

    /* a NaN area is refused here too */
    fx->run.landuse[1].area_m2 = NAN;
    expect_json_refused(&fx->run, "land use G140500 0701 area_m2");
}

static void test_report_json_landuse_validate(void **state)
{
    fixture *fx = *state;
    char *out = render("json", &fx->run, HEGUI_LANG_ZH, 0, 0);
    assert_contains(out, "\n  ],\n  \"landuse_structure\": [],\n  \"intensity\": [],\n"
                         "  \"findings\": [\n");
    free(out);
}

/* A NaN area is a bug upstream: refuse rather than write invalid JSON. */
static void test_report_json_rejects_nan(void **state)
{
    fixture *fx = *state;
    fx->run.zones[1].area_m2 = NAN;
    expect_json_refused(&fx->run, "zone S140521 area_m2 is not a finite number");
}

/* 1 000 findings, formatted in chunks of 256 by two threads: every one
 * once, in order, commas between them only, the same bytes as on the
 * writing thread alone (-j 1); a NaN area in the third chunk fails the
 * write with the finding named, on one thread or two. */
static void test_report_json_many_findings(void **state)
{
    fixture *fx = *state;
    size_t before = fx->run.findings.count, i, n = 1000;
    char *out, *one, *p;
    for (i = 0; i < n; i++)
        add(&fx->run, "C01", HEGUI_SEVERITY_ERROR, "G141061", "甲", "1", "YJJBNTBHTB",
            (int64_t)(100000 + i), 10.0 + (double)i, 10.0, 0.001, "重叠", "overlap");
    out = render("json", &fx->run, HEGUI_LANG_ZH, 0, 0);
    p = out;
    for (i = 0; i < n; i++) { /* the new findings follow the fixture's own */
        char fid[32];
        snprintf(fid, sizeof(fid), "\"fid\": %zu,", 100000 + i);
        p = strstr(p, fid);
        if (!p)
            fail_msg("finding %zu missing or out of order", i);
    }
    assert_null(strstr(out, ",\n  ]"));
    assert_null(strstr(out, "}\n    {")); /* a comma between every two */
    assert_non_null(strstr(out, "\"area_m2\": 1009.00,"));
    assert_true(strlen(out) > 12 && strcmp(out + strlen(out) - 12, "    }\n  ]\n}\n") == 0);
    one = render_json_on(&fx->run, 1);
    assert_string_equal(one, out);
    free(one);
    free(out);

    fx->run.findings.items[before + 700].area_m2 = NAN;
    expect_json_refused(&fx->run, "YJJBNTBHTB:100700");
    expect_json_refused_on(&fx->run, "YJJBNTBHTB:100700", 1);
}

/* A WKT of n bytes: a polygon whose vertices count up (every one distinct,
 * so a piece lost or moved would show). */
static char *long_wkt(size_t n, int seed)
{
    char *w = hegui_malloc(n + 64);
    size_t len;
    int i = 0;
    assert_non_null(w);
    len = (size_t)sprintf(w, "POLYGON ((%d 0", seed);
    while (len < n)
        len += (size_t)sprintf(w + len, ", %d.%d 1", seed, ++i);
    strcpy(w + len, "))");
    return w;
}

/* Chunks end at 256 findings or 1 MiB of WKT: 600 findings, five of them
 * 700 kB each around 100 and one at 400, come out once each, in order, with
 * their WKT whole; the chunks are no longer equal, so the test would see a
 * finding formatted twice or skipped at a chunk's edge. */
static void test_report_json_large_wkt_chunks(void **state)
{
    fixture *fx = *state;
    size_t before = fx->run.findings.count, i, n = 600, big[] = {100, 101, 102, 103, 104, 400};
    char *out, *p;
    for (i = 0; i < n; i++)
        add(&fx->run, "C02", HEGUI_SEVERITY_ERROR, "G141061", "甲", "1", "STBHHX",
            (int64_t)(200000 + i), 20.0 + (double)i, 20.0, 0.001, "红线", "red line");
    for (i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
        hegui_finding *f = &fx->run.findings.items[before + big[i]];
        hegui_free(f->wkt);
        f->wkt = long_wkt(700000, (int)big[i]);
    }
    out = render("json", &fx->run, HEGUI_LANG_ZH, 0, 0);
    p = out;
    for (i = 0; i < n; i++) {
        char fid[32];
        snprintf(fid, sizeof(fid), "\"fid\": %zu,", 200000 + i);
        p = strstr(p, fid);
        if (!p)
            fail_msg("finding %zu missing or out of order", i);
        if (strstr(p + 1, fid))
            fail_msg("finding %zu written twice", i);
    }
    for (i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
        const char *w = fx->run.findings.items[before + big[i]].wkt;
        const char *at = strstr(out, w);
        assert_non_null(at);
        assert_true(at[-1] == '"' && at[strlen(w)] == '"');
        assert_int_equal(count_of(out, w), 1);
    }
    assert_null(strstr(out, "}\n    {"));
    assert_true(strlen(out) > 12 && strcmp(out + strlen(out) - 12, "    }\n  ]\n}\n") == 0);
    free(out);
}

/* --- junit.xml --- */

static void test_report_junit_validate(void **state)
{
    fixture *fx = *state;
    char *out = render("junit", &fx->run, HEGUI_LANG_ZH, 0, 0);

    assert_starts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    /* validate: S01-S05 (S06 disabled) in 2 zones, + S01 in "(no zone)" */
    assert_contains(out, "<testsuites name=\"hegui\" tests=\"11\" failures=\"3\"");
    assert_int_equal(count_of(out, "<testcase "), 11);
    assert_int_equal(count_of(out, "<failure "), 3);
    assert_int_equal(count_of(out, "<testsuite "), 3);
    assert_int_equal(count_of(out, "</testsuite>"), 3);
    assert_int_equal(count_of(out, "<system-out>"), 1);
    assert_null(strstr(out, "name=\"S06"));
    assert_null(strstr(out, "name=\"C01"));
    assert_contains(out, "<testsuite name=\"G140500 晋城经济技术开发区\" tests=\"5\" "
                         "failures=\"2\"");
    assert_contains(out, "<testsuite name=\"S140521 阳城经济开发区\" tests=\"5\" failures=\"0\"");
    assert_contains(out, "<testsuite name=\"(no zone)\" tests=\"1\" failures=\"1\"");
    assert_true(strstr(out, "G140500 晋城") < strstr(out, "S140521 阳城"));
    assert_true(strstr(out, "S140521 阳城") < strstr(out, "(no zone)"));
    assert_contains(out, "<testcase classname=\"G140500 晋城经济技术开发区\" "
                         "name=\"S03 测量面积与申报面积不符 / Surveyed vs declared area\">");
    assert_contains(out, "<testcase classname=\"G140500 晋城经济技术开发区\" "
                         "name=\"S02 开发区或区块相互重叠 / Overlapping zones or blocks\"/>");
    /* attribute: escaped, newline as a character reference */
    assert_contains(out, "<failure message=\"测量面积比申报面积大 1500.00 平方米（&quot;申报&quot; "
                         "&lt;&amp;&gt;）&#10;超出 100%\" type=\"error\">");
    /* body: both messages, areas in m2 / 公顷 / 亩, block, layer:fid */
    assert_contains(out, "超出 100%\narea differs by 1500 m2 (&quot;declared&quot; &lt;&amp;&gt; "
                         "&apos;surveyed&apos;),\nsee: 100% check\n"
                         "面积 area: 1500.00 m² / 0.1500 公顷 / 2.25 亩\n区块 block: 一区\n"
                         "图层 layer: KFQ:1</failure>");
    assert_contains(out, "<system-out>warning: 面积相差 12.50 平方米，在 0.1% 以内 | area differs "
                         "by 12.50 m2, within 0.1% | 12.50 m² / 0.0013 公顷 / 0.02 亩 | "
                         "KFQ:7\n</system-out>");
    /* a control character is dropped, not written */
    assert_contains(out, "self-intersection at ring 1");
    assert_null(strchr(out, '\x01'));
    assert_contains(out, "图层 layer: BAD</failure>");
    assert_true(strlen(out) > 14 && strcmp(out + strlen(out) - 14, "</testsuites>\n") == 0);
    free(out);
}

static void test_report_junit_check_and_lang(void **state)
{
    fixture *fx = *state;
    char *out;

    /* a second error in one test case: still one failed test case, and the
     * run need not be sorted for the grouping */
    add(&fx->run, "S01", HEGUI_SEVERITY_ERROR, "G140500", "晋城经济技术开发区", "", "KFQ", 9, -1, 0,
        -1, "几何为空", "empty geometry");
    out = render("junit", &fx->run, HEGUI_LANG_EN, 0, 0);
    /* check: every enabled rule (14 of 16), in 2 zones, + 1 */
    assert_contains(out, "<testsuites name=\"hegui\" tests=\"29\" failures=\"3\"");
    assert_contains(out, "<testsuite name=\"G140500 晋城经济技术开发区\" tests=\"14\" "
                         "failures=\"2\"");
    assert_int_equal(count_of(out, "<testcase "), 29);
    assert_int_equal(count_of(out, "<failure "), 4);
    /* failures of one test case in run order */
    assert_true(strstr(out, "self-intersection") < strstr(out, "empty geometry"));
    assert_contains(out, "name=\"C01 占用永久基本农田 / Permanent basic farmland\"/>");
    assert_contains(out, "<failure message=\"area differs by 1500 m2 (&quot;declared&quot; "
                         "&lt;&amp;&gt; &apos;surveyed&apos;),&#10;see: 100% check\" "
                         "type=\"error\">");
    free(out);
}

/* --- GitHub --- */

static void test_report_github_exact(void **state)
{
    fixture *fx = *state;
    char *out;
    hegui_finding info;

    memset(&info, 0, sizeof(info));
    info.rule = "I03";
    info.severity = HEGUI_SEVERITY_INFO;
    info.layer = (char *)"QY";
    info.fid = 4;
    info.other_fid = -1;
    info.message_en = (char *)"output per mu 12.3\r\n";
    assert_int_equal(hegui_findings_add(&fx->run.findings, &info), 0);

    out = render("github", &fx->run, HEGUI_LANG_ZH, 0, 0);
    assert_string_equal(
        out, "::error file=BAD,title=S01 Invalid geometry::layer has no geometry\n"
             "::error file=C%3A/data%2C2024/KFQ.shp,title=S01 Invalid geometry::invalid "
             "geometry: self-intersection\x01 at ring 1\n"
             "::error file=C%3A/data%2C2024/KFQ.shp,title=S03 Surveyed vs declared area::area "
             "differs by 1500 m2 (\"declared\" <&> 'surveyed'),%0Asee: 100%25 check "
             "(1500.00 m²)\n"
             "::warning file=C%3A/data%2C2024/KFQ.shp,title=S03 Surveyed vs declared area::area "
             "differs by 12.50 m2, within 0.1%25 (12.50 m²)\n"
             "::notice file=QY,title=I03 Land-use intensity per mu::output per mu "
             "12.3%0D%0A\n");
    free(out);
}

/* --- console --- */

static void test_report_console_verdict(void **state)
{
    fixture *fx = *state;
    char *out;

    out = render("console", &fx->run, HEGUI_LANG_ZH, 0, 0);
    assert_starts(out, "结论：不通过（错误 3，警告 1，提示 0）\n");
    free(out);
    out = render("console", &fx->run, HEGUI_LANG_EN, 0, 0);
    assert_starts(out, "verdict: FAIL (3 errors, 1 warning, 0 info)\n");
    free(out);

    /* quiet: the verdict line only */
    out = render("console", &fx->run, HEGUI_LANG_ZH, 0, 1);
    assert_string_equal(out, "结论：不通过（错误 3，警告 1，提示 0）\n");
    free(out);
    out = render("console", &fx->run, HEGUI_LANG_EN, 1, 1);
    assert_string_equal(out, "verdict: \x1b[1;31mFAIL\x1b[0m (3 errors, 1 warning, 0 info)\n");
    free(out);

    fx->run.fail_on = 0; /* never fails */
    out = render("console", &fx->run, HEGUI_LANG_ZH, 0, 1);
    assert_string_equal(out, "结论：通过（错误 3，警告 1，提示 0）\n");
    free(out);
    out = render("console", &fx->run, HEGUI_LANG_EN, 0, 1);
    assert_string_equal(out, "verdict: PASS (3 errors, 1 warning, 0 info)\n");
    free(out);

    /* singular / plural */
    fx->run.findings.items[0].severity = HEGUI_SEVERITY_WARNING;
    fx->run.findings.items[1].severity = HEGUI_SEVERITY_WARNING;
    fx->run.findings.items[3].severity = HEGUI_SEVERITY_INFO;
    out = render("console", &fx->run, HEGUI_LANG_EN, 0, 1);
    assert_string_equal(out, "verdict: PASS (1 error, 2 warnings, 1 info)\n");
    free(out);
}

/* Terminal columns of s, counted independently of report_display_width:
 * every 3-byte UTF-8 character in these tests is CJK or full-width (2),
 * everything else is 1. */
static size_t test_width(const char *s)
{
    size_t width = 0;
    const unsigned char *p = (const unsigned char *)s;
    for (; *p; p++) {
        if ((*p & 0xC0) == 0x80)
            continue;
        width += (*p & 0xF0) == 0xE0 ? 2 : 1;
    }
    return width;
}

/* The display column where needle starts in the first line containing key. */
static size_t column_of(const char *text, const char *key, const char *needle)
{
    const char *line = strstr(text, key), *start, *hit;
    char prefix[512];
    size_t n;
    assert_non_null(line);
    start = line;
    while (start > text && start[-1] != '\n')
        start--;
    hit = strstr(start, needle);
    assert_non_null(hit);
    n = (size_t)(hit - start);
    assert_true(n < sizeof(prefix));
    memcpy(prefix, start, n);
    prefix[n] = '\0';
    return test_width(prefix);
}

static void test_report_console_tables(void **state)
{
    fixture *fx = *state;
    char *out = render("console", &fx->run, HEGUI_LANG_ZH, 0, 0);

    assert_null(strchr(out, '\x1b')); /* no colour when color = 0 */
    assert_contains(out, "S01 无效几何（2）\n");
    assert_contains(out, "S03 测量面积与申报面积不符（2）\n");
    assert_contains(out, "晋城经济技术开发区 / 一区");
    assert_contains(out, "KFQ:1");
    assert_contains(out, "0.1500");
    assert_contains(out, "2.25");
    assert_contains(out, "0.0013");
    /* the newline inside a message does not break the row */
    assert_contains(out, "（\"申报\" <&>） 超出 100%\n");
    /* columns line up although the names differ in CJK width */
    assert_int_equal(column_of(out, "一区", "KFQ:"), column_of(out, "阳城经济开发区", "KFQ:"));
    assert_int_equal(column_of(out, "一区", "测量面积比"),
                     column_of(out, "阳城经济开发区", "面积相差"));
    /* right-aligned 亩 column: the numbers end in the same column */
    assert_int_equal(column_of(out, "一区", "2.25") + 4,
                     column_of(out, "阳城经济开发区", "0.02") + 4);
    free(out);

    out = render("console", &fx->run, HEGUI_LANG_EN, 1, 0);
    assert_contains(out, "S03 Surveyed vs declared area (2)");
    assert_contains(out, "\x1b[31merror\x1b[0m");
    assert_contains(out, "\x1b[33mwarning\x1b[0m");
    assert_contains(out, "self-intersection  at ring 1"); /* control char shown as space */
    assert_contains(out, "within 0.1%\n");
    free(out);
}

/* --- files --- */

/* Names in dir other than . and .., joined by '|'. */
static void list_dir(char *out, size_t size, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    out[0] = '\0';
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (out[0])
            strncat(out, "|", size - strlen(out) - 1);
        strncat(out, e->d_name, size - strlen(out) - 1);
    }
    closedir(d);
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *text;
    long size;
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = malloc((size_t)size + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
    text[size] = '\0';
    fclose(f);
    return text;
}

static void remove_tree(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_report_write_file_atomic(void **state)
{
    fixture *fx = *state;
    char base[] = "/tmp/hegui-report-XXXXXX";
    char dir[300], path[400], names[1000];
    char *expected, *first, *second;
    hegui_report_options options = {HEGUI_LANG_ZH, 0, 0, HEGUI_LANG_ZH, 0};
    const hegui_reporter *json = hegui_reporter_find("json");
    const hegui_reporter *junit = hegui_reporter_find("junit");
    struct stat st;

    assert_non_null(mkdtemp(base));
    snprintf(dir, sizeof(dir), "%s/out/nested/", base); /* missing, trailing slash */
    snprintf(path, sizeof(path), "%s/out/nested/summary.json", base);

    assert_int_equal(hegui_report_write_file(json, dir, &fx->run, &options), 0);
    expected = render("json", &fx->run, HEGUI_LANG_ZH, 0, 0);
    first = read_all(path);
    assert_string_equal(first, expected); /* complete */
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    list_dir(names, sizeof(names), dir);
    assert_string_equal(names, "summary.json"); /* no temporary file left */

    /* same run again: same bytes, replaced in place */
    assert_int_equal(hegui_report_write_file(json, dir, &fx->run, &options), 0);
    second = read_all(path);
    assert_string_equal(first, second);
    assert_int_equal(hegui_report_write_file(junit, dir, &fx->run, &options), 0);
    list_dir(names, sizeof(names), dir);
    assert_true(strcmp(names, "summary.json|junit.xml") == 0 ||
                strcmp(names, "junit.xml|summary.json") == 0);

    /* a writer failure leaves the old file alone and no temporary file */
    fx->run.zones[0].area_m2 = NAN;
    assert_int_equal(hegui_report_write_file(json, dir, &fx->run, &options), HEGUI_EINTERNAL);
    assert_contains(hegui_error_last(), path);
    free(second);
    second = read_all(path);
    assert_string_equal(first, second);
    list_dir(names, sizeof(names), dir);
    assert_null(strstr(names, ".summary.json."));

    free(expected);
    free(first);
    free(second);
    remove_tree(base);
}

static void test_report_write_file_bad_dir(void **state)
{
    fixture *fx = *state;
    char base[] = "/tmp/hegui-report-XXXXXX";
    char file[300], dir[300], names[1000];
    const hegui_reporter *json = hegui_reporter_find("json");
    FILE *f;

    assert_non_null(mkdtemp(base));
    snprintf(file, sizeof(file), "%s/plain", base);
    f = fopen(file, "w");
    assert_non_null(f);
    fclose(f);

    /* a regular file where a folder must be */
    snprintf(dir, sizeof(dir), "%s/plain/sub", base);
    assert_int_equal(hegui_report_write_file(json, dir, &fx->run, NULL), HEGUI_EOUTPUT);
    assert_contains(hegui_error_last(), "plain/sub/summary.json");
    assert_contains(hegui_error_last(), "Not a directory");
    assert_int_equal(hegui_report_write_file(json, file, &fx->run, NULL), HEGUI_EOUTPUT);
    assert_contains(hegui_error_last(), "plain/summary.json");
    assert_contains(hegui_error_last(), "Not a directory");
    list_dir(names, sizeof(names), base);
    assert_string_equal(names, "plain");

    /* stream-only reporters cannot be written to a file */
    assert_int_equal(hegui_report_write_file(hegui_reporter_find("console"), base, &fx->run, NULL),
                     HEGUI_EINVAL);
    remove_tree(base);
}

/* Every allocation of a file write can fail: HEGUI_ENOMEM, no temporary
 * file and no half-written target. */
static void test_report_write_file_enomem(void **state)
{
    fixture *fx = *state;
    static const char *const formats[][2] = {{"json", "summary.json"}, {"junit", "junit.xml"}};
    char base[] = "/tmp/hegui-report-XXXXXX";
    char dir[300], names[1000];
    size_t k;

    assert_non_null(mkdtemp(base));
    for (k = 0; k < 2; k++) {
        const hegui_reporter *reporter = hegui_reporter_find(formats[k][0]);
        long n;
        int rc = -1, failures = 0;
        snprintf(dir, sizeof(dir), "%s/%s", base, formats[k][0]);
        for (n = 1; n < 2000 && rc != 0; n++) {
            hegui_alloc_fail_after(n);
            rc = hegui_report_write_file(reporter, dir, &fx->run, NULL);
            hegui_alloc_fail_after(0);
            if (rc != 0) {
                failures++;
                assert_int_equal(rc, HEGUI_ENOMEM);
                if (access(dir, F_OK) == 0) {
                    list_dir(names, sizeof(names), dir);
                    assert_string_equal(names, ""); /* no temporary file */
                }
            } else {
                list_dir(names, sizeof(names), dir);
                assert_string_equal(names, formats[k][1]);
            }
        }
        assert_int_equal(rc, 0);
        assert_true(failures > 3);
    }
    remove_tree(base);
}

static void test_report_deterministic(void **state)
{
    fixture *fx = *state;
    const char *const names[] = {"console", "json", "junit", "github"};
    size_t i;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char *a = render(names[i], &fx->run, HEGUI_LANG_ZH, 1, 0);
        char *b = render(names[i], &fx->run, HEGUI_LANG_ZH, 1, 0);
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_table),
        cmocka_unit_test(test_report_display_width),
        cmocka_unit_test(test_report_format_fixed),
        cmocka_unit_test(test_report_format_utc),
        cmocka_unit_test_setup_teardown(test_report_json_content, setup_validate, teardown),
        cmocka_unit_test_setup_teardown(test_report_json_key_order, setup_validate, teardown),
        cmocka_unit_test(test_report_json_empty_run),
        cmocka_unit_test_setup_teardown(test_report_json_rejects_nan, setup_validate, teardown),
        cmocka_unit_test_setup_teardown(test_report_json_many_findings, setup_validate, teardown),
        cmocka_unit_test_setup_teardown(test_report_json_large_wkt_chunks, setup_validate, teardown),
        cmocka_unit_test_setup_teardown(test_report_json_landuse, setup_check, teardown),
        cmocka_unit_test_setup_teardown(test_report_json_landuse_validate, setup_validate,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_report_junit_validate, setup_validate, teardown),
        cmocka_unit_test_setup_teardown(test_report_junit_check_and_lang, setup_check, teardown),
        cmocka_unit_test_setup_teardown(test_report_github_exact, setup_validate, teardown),
        cmocka_unit_test_setup_teardown(test_report_console_verdict, setup_validate, teardown),
        cmocka_unit_test_setup_teardown(test_report_console_tables, setup_validate, teardown),
        cmocka_unit_test_setup_teardown(test_report_write_file_atomic, setup_validate, teardown),
        cmocka_unit_test_setup_teardown(test_report_write_file_bad_dir, setup_validate, teardown),
        cmocka_unit_test_setup_teardown(test_report_write_file_enomem, setup_validate, teardown),
        cmocka_unit_test_setup_teardown(test_report_deterministic, setup_check, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
