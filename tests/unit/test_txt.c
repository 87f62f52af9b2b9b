/*
 * test_txt.c - the boundary-point coordinate file (io/txt.c, txt_write.c,
 * convert.c): the parser on small strings for every variant and every
 * problem of the format, the CRS it derives, rings and their
 * classification, the worked example of DOMAIN.md 4 (28.8 ha = 432 亩), the
 * catalog and S07 on real files, the writer, the TXT -> GeoPackage -> TXT
 * round trip and allocation failures.
 */
#define _XOPEN_SOURCE 700

#include "test_common.h"

#include <iconv.h>
#include <stdlib.h>
#include <unistd.h>

#include "hegui/check.h"
#include "hegui/io.h"
#include "hegui/txt.h"
#include "io/io_internal.h"
#include "util/util.h"

/* The worked example of DOMAIN.md 4: a 600 m x 500 m block with a
 * 120 m x 100 m hole, corner N 3931200.554 E 38397322.207 (EPSG:4526). */
#define ATTRIBUTES                                                                                                     \
    "[属性描述]\n格式版本号=1.01版本\n数据产生单位=测绘院\n数据产生日期=2024-05-20\n"        \
    "坐标系=2000国家大地坐标系\n几度分带=3\n投影类型=高斯克吕格\n计量单位=米\n带号=38\n" \
    "精度=0.001\n转换参数=,,,,,,\n"
#define SHELL                                                                                      \
    "J1,1,3931200.554,38397322.207\nJ2,1,3931200.554,38397922.207\n"                               \
    "J3,1,3930700.554,38397922.207\nJ4,1,3930700.554,38397322.207\n"                               \
    "J1,1,3931200.554,38397322.207\n"
#define HOLE                                                                                       \
    "J5,2,3931000.554,38397522.207\nJ6,2,3930900.554,38397522.207\n"                               \
    "J7,2,3930900.554,38397642.207\nJ8,2,3931000.554,38397642.207\n"                               \
    "J5,2,3931000.554,38397522.207\n"
#define HEADER "10,28.8000,1,示例地块1,面,,工业用地,1001,@\n"
#define WORKED ATTRIBUTES "[地块坐标]\n" HEADER SHELL HOLE

/* --- helpers --- */

static hegui_txt *parse(const char *text)
{
    hegui_txt *txt = NULL;
    assert_int_equal(hegui_txt_parse(&txt, text, strlen(text)), HEGUI_OK);
    assert_non_null(txt);
    return txt;
}

/* Number of problems of a severity whose English message contains part
 * (any message when part is NULL). */
static size_t count_problems(const hegui_txt *txt, hegui_severity severity, const char *part)
{
    size_t i, n = 0;
    for (i = 0; i < txt->problem_count; i++) {
        if (txt->problems[i].severity == severity &&
            (!part || strstr(txt->problems[i].message_en, part)))
            n++;
    }
    return n;
}

/* The problem whose English message contains part (fails when none). */
static const hegui_txt_problem *problem(const hegui_txt *txt, const char *part)
{
    size_t i;
    for (i = 0; i < txt->problem_count; i++) {
        if (strstr(txt->problems[i].message_en, part))
            return &txt->problems[i];
    }
    for (i = 0; i < txt->problem_count; i++)
        print_error("  problem: line %d: %s\n", txt->problems[i].line, txt->problems[i].message_en);
    fail_msg("no problem says '%s'", part);
    return NULL;
}

/* Both messages of p are valid UTF-8 (a value cut inside a character
 * would not be). */
static void assert_messages_utf8(const hegui_txt_problem *p)
{
    assert_true(hegui_utf8_valid(p->message_zh, strlen(p->message_zh)));
    assert_true(hegui_utf8_valid(p->message_en, strlen(p->message_en)));
}

static void assert_no_problems(const hegui_txt *txt)
{
    size_t i;
    for (i = 0; i < txt->problem_count; i++)
        print_error("  problem: line %d: %s\n", txt->problems[i].line, txt->problems[i].message_en);
    assert_int_equal(txt->problem_count, 0);
}

/* Checks the parsed worked example, whatever its encoding or layout. */
static void assert_worked_example(const hegui_txt *txt)
{
    const hegui_txt_parcel *p;
    assert_int_equal(txt->parcel_count, 1);
    p = &txt->parcels[0];
    assert_int_equal(txt->epsg, 4526);
    assert_int_equal(txt->zone, 38);
    assert_int_equal(txt->gk_width, 3);
    assert_true(txt->prefixed);
    assert_int_equal(txt->datum, HEGUI_DATUM_CGCS2000);
    assert_string_equal(p->id, "1");
    assert_string_equal(p->name, "示例地块1");
    assert_string_equal(p->shape, "面");
    assert_string_equal(p->sheet, "");
    assert_string_equal(p->use, "工业用地");
    assert_string_equal(p->land_class, "1001");
    assert_int_equal(p->declared_points, 10);
    assert_int_equal(p->point_lines, 10);
    assert_true(p->has_area);
    assert_false(p->area_in_m2);
    assert_double_near(p->area_ha, 28.8, 1e-12);
    assert_int_equal(p->ring_count, 2);
    assert_false(p->rings[0].hole);
    assert_true(p->rings[1].hole);
    assert_int_equal(p->rings[1].shell, 0);
    assert_int_equal(p->rings[0].point_count, 5);
    /* easting, northing order */
    assert_double_near(p->rings[0].coords[0], 38397322.207, 1e-9);
    assert_double_near(p->rings[0].coords[1], 3931200.554, 1e-9);
    assert_double_near(p->rings[0].area_m2, 300000.0, 1e-6);
    assert_double_near(p->rings[1].area_m2, 12000.0, 1e-6);
    /* 288 000 m2 = 28.8 ha = 432 亩 */
    assert_double_near(p->area_m2, 288000.0, 1e-6);
    assert_double_near(p->area_m2 / 10000.0, 28.8, 1e-9);
    assert_double_near(p->area_m2 * 15.0 / 10000.0, 432.0, 1e-9);
}

/* Replaces every "from" in text by "to" (new string, free()). */
static char *replace_all(const char *text, const char *from, const char *to)
{
    size_t n = 0, lf = strlen(from), lt = strlen(to);
    const char *s;
    char *out, *w;
    for (s = strstr(text, from); s; s = strstr(s + lf, from))
        n++;
    out = malloc(strlen(text) + n * (lt + 1) + 1);
    assert_non_null(out);
    for (w = out, s = text; *s;) {
        if (strncmp(s, from, lf) == 0) {
            memcpy(w, to, lt);
            w += lt;
            s += lf;
        } else {
            *w++ = *s++;
        }
    }
    *w = '\0';
    return out;
}

/* UTF-8 text as GB18030 (new buffer, free()). */
static char *to_gb18030(const char *text, size_t *out_len)
{
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    size_t in_left = strlen(text), out_left = 2 * in_left + 8;
    char *in = (char *)text, *buf = malloc(out_left), *out = buf;
    assert_true(cd != (iconv_t)-1);
    assert_true(iconv(cd, &in, &in_left, &out, &out_left) != (size_t)-1);
    iconv_close(cd);
    *out_len = (size_t)(out - buf);
    return buf;
}

/* --- decoding and layout --- */

static void test_txt_worked_example(void **state)
{
    hegui_txt *txt = parse(WORKED);
    (void)state;
    assert_worked_example(txt);
    assert_no_problems(txt);
    assert_false(txt->axes_swapped);
    assert_string_equal(txt->encoding, "UTF-8");
    assert_false(txt->bom);
    assert_double_near(txt->precision, 0.001, 1e-15);
    assert_string_equal(hegui_txt_value(txt, "带号"), "38");
    assert_string_equal(hegui_txt_value(txt, "转换参数"), ",,,,,,");
    assert_null(hegui_txt_value(txt, "开发区代码"));
    assert_int_equal(txt->parcels[0].line, 13);
    assert_int_equal(txt->parcels[0].rings[1].line, 19);
    hegui_txt_free(txt);
}

/* CRLF, a BOM, blank lines, trailing spaces and tabs: the same parcel. */
static void test_txt_layout_variants(void **state)
{
    char *crlf = replace_all(WORKED, "\n", "  \t\r\n\r\n");
    char *bom = malloc(strlen(crlf) + 4);
    hegui_txt *txt;
    (void)state;
    memcpy(bom, "\xEF\xBB\xBF", 3);
    strcpy(bom + 3, crlf);
    txt = parse(bom);
    assert_worked_example(txt);
    assert_no_problems(txt);
    assert_true(txt->bom);
    assert_string_equal(txt->encoding, "UTF-8");
    assert_int_equal(txt->parcels[0].line, 25); /* blank lines still count */
    hegui_txt_free(txt);
    free(bom);
    free(crlf);
}

static void test_txt_gb18030(void **state)
{
    size_t len;
    char *gbk = to_gb18030(WORKED, &len);
    hegui_txt *txt = NULL;
    (void)state;
    assert_true(len < strlen(WORKED)); /* 2 bytes per character, not 3 */
    assert_int_equal(hegui_txt_parse(&txt, gbk, len), HEGUI_OK);
    assert_worked_example(txt);
    assert_no_problems(txt);
    assert_string_equal(txt->encoding, "GB18030");
    assert_true(hegui_txt_sniff(gbk, len));
    hegui_txt_free(txt);
    free(gbk);
}

/* Full-width ，＝＠ as separators, keys in any order, an unknown section
 * and [项目信息] with zone attributes. */
static void test_txt_fullwidth_and_sections(void **state)
{
    const char *text =
        "[扩展信息]\n随便什么内容\n备注=无\n"
        "[属性描述]\n带号＝38\n坐标系＝2000国家大地坐标系\n精度＝0.001\n几度分带=3\n"
        "[项目信息]\n开发区代码＝G141061\n开发区名称＝晋城经济技术开发区\n核准面积=28.8\n"
        "[地块坐标]\n10，28.8000，1，示例地块1，面，，工业用地，1001，＠\n" SHELL HOLE;
    hegui_txt *txt = parse(text);
    hegui_buf json = HEGUI_BUF_INIT;
    (void)state;
    assert_worked_example(txt);
    assert_no_problems(txt);
    assert_string_equal(hegui_txt_value(txt, "开发区代码"), "G141061");
    assert_string_equal(hegui_txt_value(txt, "备注"), "无");
    assert_string_equal(txt->items[0].section, "扩展信息");
    assert_int_equal(io_txt_geojson(&json, txt, "x"), HEGUI_OK);
    assert_contains(hegui_buf_cstr(&json), "\"KFQDM\":\"G141061\"");
    assert_contains(hegui_buf_cstr(&json), "\"HZMJ\":28.8");
    assert_contains(hegui_buf_cstr(&json), "\"QKMJ\":28.8");
    assert_contains(hegui_buf_cstr(&json), "\"QKMC\":\"示例地块1\"");
    assert_contains(hegui_buf_cstr(&json), "urn:ogc:def:crs:EPSG::4526");
    assert_contains(hegui_buf_cstr(&json), "[38397322.207,3931200.554]");
    hegui_buf_release(&json);
    hegui_txt_free(txt);
}

static void test_txt_sniff(void **state)
{
    (void)state;
    assert_true(hegui_txt_sniff("x\n[地块坐标]\n", strlen("x\n[地块坐标]\n")));
    assert_true(hegui_txt_sniff("[属性描述]", strlen("[属性描述]")));
    assert_false(hegui_txt_sniff("README: 地块坐标 without brackets", 30));
    assert_false(hegui_txt_sniff(NULL, 0));
}

/* --- the CRS --- */

typedef struct crs_case {
    const char *attributes; /* [属性描述] lines */
    const char *easting;    /* Y of every point, with %d for the offset */
    int epsg, zone, width;
    bool prefixed;
    hegui_datum datum;
    const char *problem; /* part of the one expected problem, or NULL */
    hegui_severity severity;
} crs_case;

static const crs_case crs_cases[] = {
    {"坐标系=2000国家大地坐标系\n带号=38\n几度分带=3\n", "38397", 4526, 38, 3, true,
     HEGUI_DATUM_CGCS2000, NULL, 0},
    /* no prefix: the zone comes from 带号 */
    {"坐标系=2000国家大地坐标系\n带号=38\n几度分带=3\n", "397", 4547, 38, 3, false,
     HEGUI_DATUM_CGCS2000, NULL, 0},
    {"坐标系=CGCS2000\n带号=19\n几度分带=6\n", "19397", 4497, 19, 6, true, HEGUI_DATUM_CGCS2000,
     NULL, 0},
    {"坐标系=CGCS2000\n带号=19\n", "397", 4508, 19, 6, false, HEGUI_DATUM_CGCS2000, NULL, 0},
    {"坐标系=1980西安坐标系\n带号=38\n几度分带=3\n", "38397", 2362, 38, 3, true, HEGUI_DATUM_XIAN80,
     NULL, 0},
    {"坐标系=1954北京坐标系\n带号=38\n", "38397", 2414, 38, 3, true, HEGUI_DATUM_BEIJING54, NULL,
     0},
    /* 带号 contradicts the prefix: the coordinates win */
    {"坐标系=2000国家大地坐标系\n带号=37\n几度分带=3\n", "38397", 4526, 38, 3, true,
     HEGUI_DATUM_CGCS2000, "contradicts the coordinates", HEGUI_SEVERITY_ERROR},
    {"坐标系=2000国家大地坐标系\n带号=38\n几度分带=6\n", "38397", 4526, 38, 3, true,
     HEGUI_DATUM_CGCS2000, "几度分带 (zone width) 6 contradicts", HEGUI_SEVERITY_ERROR},
    /* 带号 missing: taken from the prefix (warning), or unknown (error) */
    {"坐标系=2000国家大地坐标系\n带号=\n", "38397", 4526, 38, 3, true, HEGUI_DATUM_CGCS2000,
     "is missing; zone 38", HEGUI_SEVERITY_WARNING},
    {"坐标系=2000国家大地坐标系\n", "397", 0, 0, 0, false, HEGUI_DATUM_CGCS2000,
     "the zone cannot be known", HEGUI_SEVERITY_ERROR},
    {"坐标系=2000国家大地坐标系\n带号=三十八\n", "397", 0, 0, 0, false, HEGUI_DATUM_CGCS2000,
     "is not a number", HEGUI_SEVERITY_ERROR},
    {"坐标系=2000国家大地坐标系\n带号=38\n几度分带=6\n", "397", 0, 0, 0, false,
     HEGUI_DATUM_CGCS2000, "no 6-degree", HEGUI_SEVERITY_ERROR},
    /* 坐标系 missing or unknown: CGCS2000 is assumed */
    {"带号=38\n", "38397", 4526, 38, 3, true, HEGUI_DATUM_CGCS2000, "names no 坐标系",
     HEGUI_SEVERITY_WARNING},
    {"坐标系=WGS84\n带号=38\n", "38397", 4526, 38, 3, true, HEGUI_DATUM_CGCS2000, "unknown 坐标系",
     HEGUI_SEVERITY_ERROR},
    /* the other keys */
    {"坐标系=CGCS2000\n带号=38\n投影类型=UTM\n", "38397", 4526, 38, 3, true, HEGUI_DATUM_CGCS2000,
     "is not Gauss-Kruger", HEGUI_SEVERITY_WARNING},
    {"坐标系=CGCS2000\n带号=38\n计量单位=度\n", "38397", 4526, 38, 3, true, HEGUI_DATUM_CGCS2000,
     "is not metres", HEGUI_SEVERITY_WARNING},
    {"坐标系=CGCS2000\n带号=38\n转换参数=1,2,3\n", "38397", 4526, 38, 3, true, HEGUI_DATUM_CGCS2000,
     "should be 7", HEGUI_SEVERITY_WARNING},
    {"坐标系=CGCS2000\n带号=38\n转换参数=1,2,3,4,5,6,7\n", "38397", 4526, 38, 3, true,
     HEGUI_DATUM_CGCS2000, "does not apply them", HEGUI_SEVERITY_INFO},
    {"坐标系=CGCS2000\n带号=38\n精度=毫米\n", "38397", 4526, 38, 3, true, HEGUI_DATUM_CGCS2000,
     "精度 (precision)", HEGUI_SEVERITY_WARNING},
};

static void test_txt_crs_table(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(crs_cases) / sizeof(crs_cases[0]); i++) {
        const crs_case *c = &crs_cases[i];
        char text[2048];
        hegui_txt *txt;
        snprintf(text, sizeof(text),
                 "[属性描述]\n%s[地块坐标]\n5,4.0000,1,a,面,,,,@\n"
                 "J1,1,3931200.000,%s200.000\nJ2,1,3931200.000,%s400.000\n"
                 "J3,1,3931000.000,%s400.000\nJ4,1,3931000.000,%s200.000\n"
                 "J1,1,3931200.000,%s200.000\n",
                 c->attributes, c->easting, c->easting, c->easting, c->easting, c->easting);
        txt = parse(text);
        if (txt->epsg != c->epsg || txt->zone != c->zone || txt->gk_width != c->width ||
            txt->prefixed != c->prefixed || txt->datum != c->datum)
            fail_msg("case %zu: EPSG %d zone %d width %d prefixed %d datum %d", i, txt->epsg,
                     txt->zone, txt->gk_width, txt->prefixed, (int)txt->datum);
        if (c->problem) {
            const hegui_txt_problem *p = problem(txt, c->problem);
            if (p->severity != c->severity || txt->problem_count != 1 ||
                (p->line == 0 && !strstr(c->problem, "names no") &&
                 !strstr(c->problem, "cannot be known")))
                fail_msg("case %zu: severity %d, %zu problems, line %d", i, (int)p->severity,
                         txt->problem_count, p->line);
        } else {
            assert_no_problems(txt);
        }
        assert_double_near(txt->parcels[0].area_m2, 40000.0, 1e-6);
        hegui_txt_free(txt);
    }
}

/* Swapped axes are detected from digit counts and fixed, prefixed or not. */
static void test_txt_swapped_axes(void **state)
{
    hegui_txt *txt = parse(ATTRIBUTES "[地块坐标]\n" HEADER "J1,1,38397322.207,3931200.554\n"
                                      "J2,1,38397922.207,3931200.554\n"
                                      "J3,1,38397922.207,3930700.554\n"
                                      "J4,1,38397322.207,3930700.554\n"
                                      "J1,1,38397322.207,3931200.554\n"
                                      "J5,2,38397522.207,3931000.554\n"
                                      "J6,2,38397522.207,3930900.554\n"
                                      "J7,2,38397642.207,3930900.554\n"
                                      "J8,2,38397642.207,3931000.554\n"
                                      "J5,2,38397522.207,3931000.554\n");
    const hegui_txt_problem *p;
    (void)state;
    assert_true(txt->axes_swapped);
    assert_worked_example(txt);
    p = problem(txt, "X and Y are swapped");
    assert_int_equal(p->severity, HEGUI_SEVERITY_ERROR);
    assert_int_equal(p->line, 14);
    assert_int_equal(txt->problem_count, 1);
    hegui_txt_free(txt);

    /* unprefixed: X 6 digits, Y 7 digits */
    txt = parse("[属性描述]\n带号=38\n坐标系=CGCS2000\n[地块坐标]\n5,4,1,a,面,,,,@\n"
                "J1,1,397200,3931200\nJ2,1,397400,3931200\nJ3,1,397400,3931000\n"
                "J4,1,397200,3931000\nJ1,1,397200,3931200\n");
    assert_true(txt->axes_swapped);
    assert_int_equal(txt->epsg, 4547);
    assert_double_near(txt->parcels[0].rings[0].coords[0], 397200, 0);
    hegui_txt_free(txt);
}

static void test_txt_odd_coordinates(void **state)
{
    hegui_txt *txt = parse("[属性描述]\n带号=38\n坐标系=CGCS2000\n[地块坐标]\n5,4,1,a,面,,,,@\n"
                           "J1,1,35.5,112.8\nJ2,1,35.5,112.9\nJ3,1,35.4,112.9\n"
                           "J4,1,35.4,112.8\nJ1,1,35.5,112.8\n");
    (void)state;
    assert_int_equal(problem(txt, "do not look like Gauss-Kruger")->severity, HEGUI_SEVERITY_ERROR);
    hegui_txt_free(txt);
}

/* --- rings --- */

/* Open rings are closed (a note); a ring of 3 points is left out (error);
 * 圈号 1 twice after a closure starts a new ring. */
static void test_txt_rings(void **state)
{
    hegui_txt *txt =
        parse(ATTRIBUTES "[地块坐标]\n8,28.8,1,a,面,,,,@\n"
                         "J1,1,3931200.554,38397322.207\nJ2,1,3931200.554,38397922.207\n"
                         "J3,1,3930700.554,38397922.207\nJ4,1,3930700.554,38397322.207\n"
                         "J5,2,3931000.554,38397522.207\nJ6,2,3930900.554,38397522.207\n"
                         "J7,2,3930900.554,38397642.207\nJ8,2,3931000.554,38397642.207\n");
    const hegui_txt_parcel *p;
    (void)state;
    p = &txt->parcels[0];
    assert_int_equal(p->ring_count, 2);
    assert_true(p->rings[0].closed_on_read && p->rings[1].closed_on_read);
    assert_int_equal(p->rings[0].point_count, 5);
    assert_double_near(p->area_m2, 288000.0, 1e-6);
    assert_int_equal(count_problems(txt, HEGUI_SEVERITY_INFO, "closed on read"), 2);
    assert_int_equal(problem(txt, "ring 2 is open")->line, 18);
    assert_int_equal(txt->problem_count, 2);
    hegui_txt_free(txt);

    txt = parse(ATTRIBUTES "[地块坐标]\n7,28.8,1,a,面,,,,@\n" SHELL
                           "J9,2,3931000.554,38397522.207\nJ10,2,3930900.554,38397522.207\n");
    p = &txt->parcels[0];
    assert_int_equal(p->ring_count, 1);
    assert_int_equal(problem(txt, "ring 2 has only 3 points")->severity, HEGUI_SEVERITY_ERROR);
    assert_int_equal(problem(txt, "ring 2 has only 3 points")->line, 19);
    hegui_txt_free(txt);
}

/* Parts numbered inconsistently and an island in a hole: containment, not
 * 圈号, decides. */
static void test_txt_ring_classification(void **state)
{
    hegui_txt *txt =
        parse(ATTRIBUTES "[地块坐标]\n15,27,1,a,面,,,,@\n"
                         /* shell 500 x 500 */
                         "J1,1,3931400,38398000\nJ2,1,3931400,38398500\nJ3,1,3930900,38398500\n"
                         "J4,1,3930900,38398000\nJ1,1,3931400,38398000\n"
                         /* hole 300 x 300 */
                         "J5,2,3931300,38398100\nJ6,2,3931000,38398100\nJ7,2,3931000,38398400\n"
                         "J8,2,3931300,38398400\nJ5,2,3931300,38398100\n"
                         /* island 100 x 100 in the hole */
                         "J9,3,3931200,38398200\nJ10,3,3931200,38398300\nJ11,3,3931100,38398300\n"
                         "J12,3,3931100,38398200\nJ9,3,3931200,38398200\n"
                         "[地块坐标]\n10,10,2,b,面,,,,@\n"
                         /* two separate parts, the second numbered 2 */
                         "J1,1,3932000,38399000\nJ2,1,3932000,38399300\nJ3,1,3931800,38399300\n"
                         "J4,1,3931800,38399000\nJ1,1,3932000,38399000\n"
                         "J5,2,3932000,38399500\nJ6,2,3932000,38399700\nJ7,2,3931800,38399700\n"
                         "J8,2,3931800,38399500\nJ5,2,3932000,38399500\n");
    hegui_buf json = HEGUI_BUF_INIT;
    const hegui_txt_parcel *a, *b;
    (void)state;
    assert_int_equal(txt->parcel_count, 2);
    a = &txt->parcels[0];
    b = &txt->parcels[1];
    assert_int_equal(a->ring_count, 3);
    assert_false(a->rings[0].hole);
    assert_true(a->rings[1].hole);
    assert_int_equal(a->rings[1].shell, 0);
    assert_false(a->rings[2].hole); /* the island is a part of its own */
    assert_double_near(a->area_m2, 250000.0 - 90000.0 + 10000.0, 1e-6);
    assert_int_equal(b->ring_count, 2);
    assert_false(b->rings[0].hole);
    assert_false(b->rings[1].hole);
    assert_double_near(b->area_m2, 100000.0, 1e-6);
    /* area 27 ha != 17 ha is S03's business, not a format problem */
    assert_no_problems(txt);
    assert_int_equal(io_txt_geojson(&json, txt, "t"), HEGUI_OK);
    assert_contains(hegui_buf_cstr(&json), "\"type\":\"MultiPolygon\"");
    hegui_buf_release(&json);
    hegui_txt_free(txt);
}

/* --- problems of the format, one line each --- */

typedef struct problem_case {
    const char *parcels; /* the [地块坐标] body after the header line */
    const char *header;  /* header line, NULL = the worked example's */
    const char *part;    /* part of the English message */
    hegui_severity severity;
    int line; /* expected line (the header is line 13) */
} problem_case;

static const problem_case problem_cases[] = {
    {"J0,1\n" SHELL HOLE, NULL, "a point line is 点号,圈号,X,Y", HEGUI_SEVERITY_ERROR, 14},
    {"J0,1,abc,38397322.207\n" SHELL HOLE, NULL, "non-numeric coordinate", HEGUI_SEVERITY_ERROR,
     14},
    {"J0,1,3931200.554,nan\n" SHELL HOLE, NULL, "non-numeric coordinate", HEGUI_SEVERITY_ERROR, 14},
    {"J0,1,1e999,38397322.207\n" SHELL HOLE, NULL, "non-numeric coordinate", HEGUI_SEVERITY_ERROR,
     14},
    /* finite, but its products would overflow the area (found by fuzz.txt) */
    {"J0,1,3926267.E299,38397322.207\n" SHELL HOLE, NULL, "coordinate out of range",
     HEGUI_SEVERITY_ERROR, 14},
    {"J0,1,3931200.554,-1000000000.5\n" SHELL HOLE, NULL, "coordinate out of range",
     HEGUI_SEVERITY_ERROR, 14},
    {"J0,x,3931200.554,38397322.207\n" SHELL HOLE, NULL, "圈号 (ring number) is not a whole",
     HEGUI_SEVERITY_ERROR, 14},
    {"11,28.8,2,b,面,,工业用地,1001\n" SHELL HOLE, NULL, "does not end in @", HEGUI_SEVERITY_ERROR,
     14},
    {SHELL HOLE, "12,28.8000,1,示例地块1,面,,工业用地,1001,@", "says 12 but 10",
     HEGUI_SEVERITY_WARNING, 13},
    {SHELL HOLE, "10,288000.00,1,示例地块1,面,,工业用地,1001,@", "looks like m2",
     HEGUI_SEVERITY_WARNING, 13},
    {SHELL HOLE, "10,,1,示例地块1,面,,工业用地,1001,@", "is empty", HEGUI_SEVERITY_WARNING, 13},
    {SHELL HOLE, "10,28.8 ha,1,示例地块1,面,,工业用地,1001,@", "is not a non-negative number",
     HEGUI_SEVERITY_ERROR, 13},
    {SHELL HOLE, "ten,28.8,1,示例地块1,面,,工业用地,1001,@", "is not a whole number",
     HEGUI_SEVERITY_ERROR, 13},
    {SHELL HOLE, "10,28.8,1,示例地块1,面,@", "has 5 fields before the @", HEGUI_SEVERITY_ERROR, 13},
    {SHELL HOLE, "10,28.8,1,a,面,,,,,,,,,,,@", "has 15 fields before the @", HEGUI_SEVERITY_ERROR,
     13},
    {"", "10,28.8000,1,示例地块1,面,,工业用地,1001,@", "has no usable ring", HEGUI_SEVERITY_ERROR,
     13},
};

static void test_txt_problem_table(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(problem_cases) / sizeof(problem_cases[0]); i++) {
        const problem_case *c = &problem_cases[i];
        char text[4096];
        hegui_txt *txt;
        const hegui_txt_problem *p;
        snprintf(text, sizeof(text), "%s[地块坐标]\n%s\n%s", ATTRIBUTES,
                 c->header ? c->header : "10,28.8000,1,示例地块1,面,,工业用地,1001,@", c->parcels);
        txt = parse(text);
        p = problem(txt, c->part);
        if (p->severity != c->severity || p->line != c->line)
            fail_msg("case %zu (%s): severity %d line %d", i, c->part, (int)p->severity, p->line);
        assert_true(p->parcel == 0);
        assert_true(strlen(p->message_zh) > 0);
        hegui_txt_free(txt);
    }
}

/* A parcel name of 631 bytes ('a' and 210 Chinese characters) in a
 * message of at most 640: quoted and shortened at a character boundary;
 * written whole, snprintf cut the 210th character in two (found by
 * fuzz.txt). */
static void test_txt_long_name_message(void **state)
{
    char text[4096], name[700] = "a";
    hegui_txt *txt;
    const hegui_txt_problem *p;
    int k;
    (void)state;
    for (k = 0; k < 210; k++)
        strcat(name, "地");
    snprintf(text, sizeof(text), "%s[地块坐标]\n10,28.8000,1,%s,面,,工业用地,1001,@\n", ATTRIBUTES,
             name);
    txt = parse(text);
    p = problem(txt, "has no usable ring");
    assert_messages_utf8(p);
    assert_non_null(strstr(p->message_zh, "地地…」没有可用的界址点环"));
    hegui_txt_free(txt);

    /* a line of 40 fields of Chinese text: too many fields, quoted too */
    name[0] = '\0';
    for (k = 0; k < 40; k++)
        strcat(name, "a地地地,");
    snprintf(text, sizeof(text), "%s[地块坐标]\n10,28.8000,1,b,面,,工业用地,1001,@\n%s\n",
             ATTRIBUTES, name);
    txt = parse(text);
    p = problem(txt, "too many fields");
    assert_messages_utf8(p);
    assert_non_null(strstr(p->message_en, "…': too many fields (41)"));
    hegui_txt_free(txt);
}

/* The area written in m2 is read as hectares / 10000. */
static void test_txt_area_in_m2(void **state)
{
    hegui_txt *txt = parse(ATTRIBUTES "[地块坐标]\n10,288000.0000,1,a,面,,,,@\n" SHELL HOLE);
    (void)state;
    assert_true(txt->parcels[0].area_in_m2);
    assert_double_near(txt->parcels[0].area_ha, 28.8, 1e-12);
    assert_double_near(txt->parcels[0].declared_area, 288000.0, 0);
    hegui_txt_free(txt);
}

static void test_txt_missing_sections(void **state)
{
    hegui_txt *txt = parse("[地块坐标]\n" HEADER SHELL HOLE);
    (void)state;
    assert_int_equal(problem(txt, "[属性描述] section")->severity, HEGUI_SEVERITY_ERROR);
    assert_int_equal(problem(txt, "[属性描述] section")->line, 0);
    assert_int_equal(txt->epsg, 4526); /* from the prefix still */
    hegui_txt_free(txt);

    txt = parse(ATTRIBUTES);
    assert_int_equal(problem(txt, "[地块坐标] section")->severity, HEGUI_SEVERITY_ERROR);
    assert_int_equal(txt->parcel_count, 0);
    hegui_txt_free(txt);

    txt = parse(ATTRIBUTES "[地块坐标]\n");
    assert_int_equal(problem(txt, "holds no parcel")->severity, HEGUI_SEVERITY_ERROR);
    hegui_txt_free(txt);

    txt = parse("");
    assert_int_equal(count_problems(txt, HEGUI_SEVERITY_ERROR, "section"), 2);
    hegui_txt_free(txt);

    txt = parse("junk before\n" ATTRIBUTES "not a key value line\n[地块坐标]\n"
                "J0,1,3931200.554,38397322.207\n" HEADER SHELL HOLE);
    assert_int_equal(problem(txt, "before the first section")->line, 1);
    assert_int_equal(problem(txt, "expected key=value")->line, 13);
    assert_int_equal(problem(txt, "before the first parcel header")->line, 15);
    assert_int_equal(problem(txt, "before the first parcel header")->parcel, -1);
    assert_int_equal(txt->parcel_count, 1);
    hegui_txt_free(txt);
}

/* Bad bytes, NULs, absurd lines and many errors: bounded output. */
static void test_txt_hostile_input(void **state)
{
    static const char binary[] = "\xff\xfe\x00\x81[\x00\xc3(,,,,@\n\x80\x80\x80,1,2,3\n";
    hegui_txt *txt = NULL;
    hegui_buf many = HEGUI_BUF_INIT;
    size_t i;
    char *wide;
    (void)state;
    assert_int_equal(hegui_txt_parse(&txt, binary, sizeof(binary) - 1), HEGUI_OK);
    assert_string_equal(txt->encoding, "GB18030");
    assert_true(txt->undecodable > 0);
    assert_non_null(problem(txt, "could not be decoded"));
    hegui_txt_free(txt);

    assert_int_equal(hegui_txt_parse(&txt, NULL, 0), HEGUI_OK);
    hegui_txt_free(txt);

    hegui_buf_puts(&many, ATTRIBUTES "[地块坐标]\n" HEADER);
    for (i = 0; i < 500; i++)
        hegui_buf_puts(&many, "J1,1,x,y\n");
    txt = parse(hegui_buf_cstr(&many));
    assert_int_equal(count_problems(txt, HEGUI_SEVERITY_ERROR, "non-numeric"), 50);
    assert_non_null(problem(txt, "more problems of this kind"));
    assert_true(txt->problem_count < 60);
    hegui_txt_free(txt);
    hegui_buf_release(&many);

    /* a line of 100 000 commas */
    wide = malloc(100001);
    memset(wide, ',', 100000);
    wide[100000] = '\0';
    hegui_buf_puts(&many, "[地块坐标]\n");
    hegui_buf_puts(&many, wide);
    txt = parse(hegui_buf_cstr(&many));
    assert_non_null(problem(txt, "too many fields"));
    hegui_txt_free(txt);
    hegui_buf_release(&many);
    free(wide);
}

/* Every allocation failure is HEGUI_ENOMEM, never a crash or a leak
 * (leaks are found by the ASan build). */
static void test_txt_alloc_failure(void **state)
{
    const char *text = ATTRIBUTES "[项目信息]\n开发区代码=G141061\n[地块坐标]\n" HEADER SHELL HOLE
                                  "11,28.8,2,b,面,,,,@\nJ1,1,1,2\n";
    long n;
    (void)state;
    for (n = 1; n < 400; n++) {
        hegui_txt *txt = NULL;
        hegui_buf json = HEGUI_BUF_INIT;
        int rc;
        hegui_alloc_fail_after(n);
        rc = hegui_txt_parse(&txt, text, strlen(text));
        if (rc == HEGUI_OK)
            rc = io_txt_geojson(&json, txt, "x");
        hegui_alloc_fail_after(0);
        hegui_buf_release(&json);
        hegui_txt_free(txt);
        if (rc == HEGUI_OK)
            return; /* n exceeds the allocations needed */
        assert_int_equal(rc, HEGUI_ENOMEM);
    }
    fail_msg("still failing after 400 allocations");
}

/* --- files: catalog, reader, S07, writer, round trip --- */

typedef struct files {
    char dir[64];
} files;

static int files_setup(void **state)
{
    files *fx = calloc(1, sizeof(*fx));
    strcpy(fx->dir, "/tmp/hegui-txt-XXXXXX");
    if (!mkdtemp(fx->dir))
        return -1;
    *state = fx;
    return 0;
}

static int files_teardown(void **state)
{
    files *fx = *state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
    if (system(cmd) != 0)
        return -1;
    free(fx);
    return 0;
}

static char *write_file(const files *fx, const char *name, const char *data, size_t len)
{
    char *path = hegui_sprintf("%s/%s", fx->dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    return path;
}

static hegui_catalog *scan(const char *path)
{
    hegui_catalog *cat = NULL;
    if (hegui_catalog_scan(&cat, &path, 1, NULL, NULL) != HEGUI_OK)
        fail_msg("scan %s: %s", path, hegui_error_last());
    return cat;
}

/* Runs validate with the default rules; the run is the caller's. */
static void validate(hegui_run *run, const hegui_catalog *cat)
{
    hegui_config *config = NULL;
    hegui_check_options options;
    memset(&options, 0, sizeof(options));
    options.fail_on = HEGUI_SEVERITY_ERROR;
    assert_int_equal(hegui_config_default(&config), HEGUI_OK);
    if (hegui_validate(run, cat, config, &options) != HEGUI_OK)
        fail_msg("validate: %s", hegui_error_last());
    run->config = NULL;
    hegui_config_free(config);
}

static size_t count_rule(const hegui_run *run, const char *rule)
{
    size_t i, n = 0;
    for (i = 0; i < run->findings.count; i++)
        n += strcmp(run->findings.items[i].rule, rule) == 0;
    return n;
}

static const hegui_finding *finding(const hegui_run *run, const char *rule, const char *part)
{
    size_t i;
    for (i = 0; i < run->findings.count; i++) {
        if (strcmp(run->findings.items[i].rule, rule) == 0 &&
            strstr(run->findings.items[i].message_en, part))
            return &run->findings.items[i];
    }
    fail_msg("no %s finding says '%s'", rule, part);
    return NULL;
}

/* The catalog sees a TXT as a zones layer read through its in-memory
 * GeoJSON; the reader hands its WKB in easting, northing order. */
static void test_txt_catalog_and_reader(void **state)
{
    files *fx = *state;
    size_t len;
    char *gbk = to_gb18030(WORKED, &len);
    char *path = write_file(fx, "worked.txt", gbk, len);
    hegui_catalog *cat = scan(path);
    const hegui_layer_info *l;
    const char *fields[3] = {"DKMC", "QKMJ", "JZDS"};
    hegui_reader *reader = NULL;
    hegui_feature f;
    double x;
    (void)state;
    assert_int_equal(cat->count, 1);
    l = &cat->layers[0];
    assert_string_equal(l->path, path);
    assert_string_equal(l->layer_name, "worked");
    assert_string_equal(l->driver, "TXT");
    assert_non_null(l->gdal_path);
    assert_int_equal(l->role, HEGUI_ROLE_ZONES);
    assert_contains(l->role_reason, "boundary-point TXT");
    assert_string_equal(l->encoding, "GB18030");
    assert_int_equal(l->crs.epsg, 4526);
    assert_int_equal(l->coord_check.issue, HEGUI_COORD_OK);
    assert_int_equal(l->feature_count, 1);
    assert_int_equal(l->txt_problem_count, 0);
    assert_int_equal(hegui_reader_open(&reader, l, fields, 3, 4526, NULL), HEGUI_OK);
    assert_int_equal(hegui_reader_next(reader, &f), 1);
    assert_string_equal(f.values[0], "示例地块1");
    assert_string_equal(f.values[1], "28.8");
    assert_string_equal(f.values[2], "10");
    /* WKB polygon: byte order, type, ring count, point count, then x y */
    memcpy(&x, f.wkb + 1 + 4 + 4 + 4, sizeof(x));
    assert_double_near(x, 38397322.207, 1e-9);
    assert_int_equal(hegui_reader_next(reader, &f), 0);
    hegui_reader_close(reader);
    hegui_catalog_free(cat);
    hegui_free(path);
    free(gbk);
}

/* Format problems become S07 findings with the line; S03 compares the
 * declared 地块面积 with the surveyed area. */
static void test_txt_s07_and_s03(void **state)
{
    files *fx = *state;
    const char *text = ATTRIBUTES "[地块坐标]\n12,28.7000,1,示例地块1,面,,工业用地,1001,@\n" SHELL
                                  "J5,2,3931000.554,38397522.207\nJ6,2,3930900.554,abc\n"
                                  "J7,2,3930900.554,38397642.207\nJ8,2,3931000.554,38397642.207\n"
                                  "J5,2,3931000.554,38397522.207\n";
    char *path = write_file(fx, "bad.txt", text, strlen(text));
    hegui_catalog *cat = scan(path);
    hegui_run run;
    const hegui_finding *f;
    (void)state;
    validate(&run, cat);
    f = finding(&run, "S07", "non-numeric coordinate");
    assert_int_equal(f->severity, HEGUI_SEVERITY_ERROR);
    assert_contains(f->message_en, "line 20: ");
    assert_contains(f->message_zh, "第 20 行");
    assert_string_equal(f->subject_attrs, "line=20");
    assert_string_equal(f->layer_path, path);
    assert_int_equal(f->fid, 0);
    assert_string_equal(f->block, "示例地块1");
    f = finding(&run, "S07", "says 12 but 9");
    assert_int_equal(f->severity, HEGUI_SEVERITY_WARNING);
    assert_contains(f->message_en, "line 13: ");
    /* without J6 the hole is a triangle of 6000 m2 */
    assert_int_equal(count_rule(&run, "S03"), 1);
    f = finding(&run, "S03", "declared QKMJ=28.7000");
    assert_double_near(f->area_m2, 300000.0 - 6000.0, 1e-6);
    hegui_run_release(&run);
    hegui_catalog_free(cat);
    hegui_free(path);
}

/* A .txt in a folder is a layer only when it is a boundary-point file;
 * one without a CRS stops the run unless one is assigned. */
static void test_txt_catalog_folder(void **state)
{
    files *fx = *state;
    const char *readme = "just notes\n";
    const char *nozone = "[属性描述]\n坐标系=2000国家大地坐标系\n[地块坐标]\n5,4,1,a,面,,,,@\n"
                         "J1,1,3931200,397200\nJ2,1,3931200,397400\nJ3,1,3931000,397400\n"
                         "J4,1,3931000,397200\nJ1,1,3931200,397200\n";
    char *a = write_file(fx, "readme.txt", readme, strlen(readme));
    char *b = write_file(fx, "zone.txt", WORKED, strlen(WORKED));
    hegui_catalog *cat = scan(fx->dir), *bad = NULL;
    hegui_open_options options;
    const char *p;
    (void)state;
    assert_int_equal(cat->count, 1);
    assert_string_equal(cat->layers[0].path, b);
    hegui_catalog_free(cat);
    /* named directly, a .txt that is no boundary-point file is an error */
    p = a;
    assert_int_equal(hegui_catalog_scan(&bad, &p, 1, NULL, NULL), HEGUI_EINPUT);
    assert_contains(hegui_error_last(), "not a boundary-point coordinate file");
    hegui_free(a);
    a = write_file(fx, "nozone.txt", nozone, strlen(nozone));
    p = a;
    assert_int_equal(hegui_catalog_scan(&bad, &p, 1, NULL, NULL), HEGUI_ECRS);
    assert_contains(hegui_error_last(), "-s_srs");
    memset(&options, 0, sizeof(options));
    options.assign_srs = "EPSG:4547";
    assert_int_equal(hegui_catalog_scan(&bad, &p, 1, &options, NULL), HEGUI_OK);
    assert_int_equal(bad->layers[0].crs.epsg, 4547);
    assert_true(bad->layers[0].txt_problem_count > 0);
    hegui_catalog_free(bad);
    hegui_free(a);
    hegui_free(b);
}

/* Reads a TXT file back (fails on a read error). */
static hegui_txt *read_back(const char *path)
{
    hegui_txt *txt = NULL;
    if (hegui_txt_read(&txt, path) != HEGUI_OK)
        fail_msg("%s: %s", path, hegui_error_last());
    return txt;
}

/* Compares two parsed files: same parcels, rings, coordinates to the
 * stated precision, areas to 0.01 m2. */
static void assert_same_parcels(const hegui_txt *a, const hegui_txt *b, double precision)
{
    size_t i, r, k;
    assert_int_equal(a->parcel_count, b->parcel_count);
    assert_int_equal(a->epsg, b->epsg);
    for (i = 0; i < a->parcel_count; i++) {
        const hegui_txt_parcel *pa = &a->parcels[i], *pb = &b->parcels[i];
        assert_string_equal(pa->name, pb->name);
        assert_string_equal(pa->id, pb->id);
        assert_double_near(pa->area_m2, pb->area_m2, 0.01);
        assert_double_near(pa->area_ha, pb->area_ha, 0.00005);
        assert_int_equal(pa->ring_count, pb->ring_count);
        for (r = 0; r < pa->ring_count; r++) {
            const hegui_txt_ring *ra = &pa->rings[r], *rb = &pb->rings[r];
            assert_int_equal(ra->hole, rb->hole);
            assert_int_equal(ra->point_count, rb->point_count);
            for (k = 0; k < 2 * ra->point_count; k++) {
                /* the same points, maybe in the other direction */
                bool same = fabs(ra->coords[k] - rb->coords[k]) <= precision / 2;
                size_t back = 2 * (ra->point_count - 1 - k / 2) + k % 2;
                if (!same && fabs(ra->coords[k] - rb->coords[back]) > precision / 2)
                    fail_msg("parcel %zu ring %zu ordinate %zu: %.6f vs %.6f", i, r, k,
                             ra->coords[k], rb->coords[k]);
            }
        }
    }
}

/* The writer: rings numbered 1 and 2+, closing points written, 界址点数
 * counting every point line, 4-decimal hectares; TXT -> GeoPackage -> TXT
 * keeps coordinates and areas. */
static void test_txt_write_round_trip(void **state)
{
    files *fx = *state;
    char *src = write_file(fx, "src.txt", WORKED, strlen(WORKED));
    char *gpkg = hegui_sprintf("%s/mid.gpkg", fx->dir);
    char *out = hegui_sprintf("%s/out.txt", fx->dir);
    char *gbk = hegui_sprintf("%s/gbk.txt", fx->dir);
    hegui_catalog *cat = scan(src), *mid;
    hegui_txt_write_options opts;
    hegui_txt_write_result result;
    hegui_txt *a, *b, *c;
    FILE *f;
    char text[4096];
    size_t n;
    (void)state;
    assert_int_equal(hegui_io_export_layer(&cat->layers[0], gpkg, NULL, false, NULL), HEGUI_OK);
    assert_int_equal(hegui_io_export_layer(&cat->layers[0], gpkg, NULL, false, NULL), HEGUI_EINVAL);
    assert_int_equal(hegui_io_export_layer(&cat->layers[0], gpkg, NULL, true, NULL), HEGUI_OK);
    assert_int_equal(hegui_io_export_layer(&cat->layers[0], "x.unknown", NULL, false, NULL),
                     HEGUI_EINVAL);
    mid = scan(gpkg);
    assert_string_equal(mid->layers[0].driver, "GPKG");
    memset(&opts, 0, sizeof(opts));
    opts.precision = -1;
    opts.timestamp = 1716163200; /* 2024-05-20 */
    assert_int_equal(hegui_txt_write_layer(&result, &mid->layers[0], out, &opts), HEGUI_OK);
    assert_int_equal(result.parcels, 1);
    assert_int_equal(result.epsg, 4526);
    a = parse(WORKED);
    b = read_back(out);
    assert_no_problems(b);
    assert_worked_example(b);
    assert_same_parcels(a, b, 0.001);
    f = fopen(out, "rb");
    n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    assert_contains(text, "数据产生日期=2024-05-20\r\n");
    assert_contains(text, "带号=38\r\n精度=0.001\r\n");
    assert_contains(text, "10,28.8000,1,示例地块1,面,,工业用地,1001,@\r\n");
    assert_contains(text, "J1,1,3931200.554,38397322.207\r\n");
    assert_contains(text, "J5,2,3931000.554,38397522.207\r\n"); /* the hole's closing point */

    /* GBK, 2 decimals, computed area, another zone */
    opts.encoding = "GBK";
    opts.precision = 2;
    opts.computed_area = true;
    assert_int_equal(hegui_txt_write_layer(&result, &cat->layers[0], gbk, &opts), HEGUI_OK);
    c = read_back(gbk);
    assert_string_equal(c->encoding, "GB18030");
    assert_int_equal(c->epsg, 4526);
    assert_string_equal(c->parcels[0].name, "示例地块1");
    assert_same_parcels(a, c, 0.01);
    hegui_txt_free(c);
    opts.zone = 37;
    assert_int_equal(hegui_txt_write_layer(&result, &cat->layers[0], gbk, &opts), HEGUI_OK);
    assert_int_equal(result.epsg, 4525);
    c = read_back(gbk);
    assert_int_equal(c->zone, 37);
    assert_true(c->parcels[0].rings[0].coords[0] > 37e6 && c->parcels[0].rings[0].coords[0] < 38e6);
    assert_double_near(c->parcels[0].area_ha, c->parcels[0].area_m2 / 10000.0, 0.00005);
    hegui_txt_free(c);
    opts.zone = 50; /* no Gauss-Kruger zone of China */
    assert_int_equal(hegui_txt_write_layer(&result, &cat->layers[0], gbk, &opts), HEGUI_ECRS);
    opts.zone = 0;
    opts.encoding = "LATIN1";
    assert_int_equal(hegui_txt_write_layer(&result, &cat->layers[0], gbk, &opts), HEGUI_EINVAL);

    hegui_txt_free(a);
    hegui_txt_free(b);
    hegui_catalog_free(mid);
    hegui_catalog_free(cat);
    hegui_free(src);
    hegui_free(gpkg);
    hegui_free(out);
    hegui_free(gbk);
}

/* The Jincheng sample TXT (made with `hegui convert` from the shapefile)
 * has the shapefile's blocks, areas and zone attributes. */
static void test_txt_jincheng_sample(void **state)
{
    hegui_txt *txt = read_back(HEGUI_SAMPLES "/txt/jincheng_KFQ_SZFW.txt");
    size_t i;
    double total = 0;
    (void)state;
    assert_no_problems(txt);
    assert_int_equal(txt->parcel_count, 5);
    assert_int_equal(txt->epsg, 4526);
    assert_string_equal(hegui_txt_value(txt, "开发区代码"), "G141061");
    assert_string_equal(hegui_txt_value(txt, "核准面积"), "3179.9999");
    assert_string_equal(txt->parcels[0].name, "主区");
    for (i = 0; i < txt->parcel_count; i++) {
        /* QKMJ agrees with the geometry within 0.5 m2 (samples/README.md) */
        assert_double_near(txt->parcels[i].area_ha * 10000.0, txt->parcels[i].area_m2, 0.5);
        assert_int_equal(txt->parcels[i].declared_points, (long)txt->parcels[i].point_lines);
        total += txt->parcels[i].area_ha;
    }
    assert_double_near(total, 3179.9999, 1e-6);
    hegui_txt_free(txt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_txt_worked_example),
        cmocka_unit_test(test_txt_layout_variants),
        cmocka_unit_test(test_txt_gb18030),
        cmocka_unit_test(test_txt_fullwidth_and_sections),
        cmocka_unit_test(test_txt_sniff),
        cmocka_unit_test(test_txt_crs_table),
        cmocka_unit_test(test_txt_swapped_axes),
        cmocka_unit_test(test_txt_odd_coordinates),
        cmocka_unit_test(test_txt_rings),
        cmocka_unit_test(test_txt_ring_classification),
        cmocka_unit_test(test_txt_problem_table),
        cmocka_unit_test(test_txt_long_name_message),
        cmocka_unit_test(test_txt_area_in_m2),
        cmocka_unit_test(test_txt_missing_sections),
        cmocka_unit_test(test_txt_hostile_input),
        cmocka_unit_test(test_txt_alloc_failure),
        cmocka_unit_test_setup_teardown(test_txt_catalog_and_reader, files_setup, files_teardown),
        cmocka_unit_test_setup_teardown(test_txt_s07_and_s03, files_setup, files_teardown),
        cmocka_unit_test_setup_teardown(test_txt_catalog_folder, files_setup, files_teardown),
        cmocka_unit_test_setup_teardown(test_txt_write_round_trip, files_setup, files_teardown),
        cmocka_unit_test(test_txt_jincheng_sample),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
