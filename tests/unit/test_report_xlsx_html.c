/*
 * test_report_xlsx_html.c - the pieces of report.xlsx and report.html that
 * can be wrong without a spreadsheet or a browser: WKT parsing and its SVG
 * path data (hand-computed pixels), display simplification and the vertex
 * cap of a map, HTML escaping (also of data in a whole page), Excel's sheet
 * names and cell limit, report_round; then both writers on a run built in
 * code: a page with one section and one map per zone, a workbook with the
 * sheets it should have, written twice to the same bytes, and allocation
 * failures that end in HEGUI_ENOMEM rather than a crash.
 */
#define _POSIX_C_SOURCE 200809L

#include "test_common.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hegui/report.h"
#include "report/report_internal.h" /* also util/util.h */

/* --- WKT --- */

typedef struct wkt_case {
    const char *wkt;
    size_t parts, pairs;
    report_part_kind first_kind;
    double x0, y0; /* first coordinate */
} wkt_case;

static void test_report_wkt_parse(void **state)
{
    static const wkt_case cases[] = {
        {"POINT (397322.207 3931200.554)", 1, 1, REPORT_PART_POINT, 397322.207, 3931200.554},
        {"point(1 2)", 1, 1, REPORT_PART_POINT, 1, 2},
        {"POINT Z (1 2 3)", 1, 1, REPORT_PART_POINT, 1, 2},
        {"POINT ZM (1 2 3 4)", 1, 1, REPORT_PART_POINT, 1, 2},
        {"POINT (1 2 3)", 1, 1, REPORT_PART_POINT, 1, 2},
        {"POINT (-1.5e3 +2E-2)", 1, 1, REPORT_PART_POINT, -1500, 0.02},
        {"LINESTRING (0 0, 10 0, 10 10)", 1, 3, REPORT_PART_LINE, 0, 0},
        {"POLYGON ((0 0,100 0,100 100,0 100,0 0),(10 10,10 20,20 20,10 10))", 2, 9,
         REPORT_PART_RING, 0, 0},
        {"MULTIPOLYGON (((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5)))", 2, 8, REPORT_PART_RING, 0, 0},
        {"MULTIPOINT ((1 2), (3 4))", 2, 2, REPORT_PART_POINT, 1, 2},
        {"MULTIPOINT (1 2, 3 4, 5 6)", 3, 3, REPORT_PART_POINT, 1, 2},
        {"MULTILINESTRING ((0 0, 1 1), (2 2, 3 3))", 2, 4, REPORT_PART_LINE, 0, 0},
        {"GEOMETRYCOLLECTION (POINT (7 8), LINESTRING (0 0, 1 1), "
         "GEOMETRYCOLLECTION (POLYGON ((0 0,1 0,1 1,0 0))))",
         3, 7, REPORT_PART_POINT, 7, 8},
        {"POLYGON EMPTY", 0, 0, REPORT_PART_RING, 0, 0},
        {"MULTIPOLYGON (EMPTY, ((0 0,1 0,1 1,0 0)))", 1, 4, REPORT_PART_RING, 0, 0},
        {"GEOMETRYCOLLECTION EMPTY", 0, 0, REPORT_PART_RING, 0, 0},
        {"", 0, 0, REPORT_PART_RING, 0, 0},
    };
    static const char *const bad[] = {
        "POLYGON ((0 0, 1 1", "FOO (1 2)",     "POINT (1)",          "POINT (1 2) junk",
        "POINT (1 2",         "LINESTRING ()", "POINT (1 x)",        "POINT Q (1 2)",
        "POINT (1e 2)",       "MULTIPOINT",    "POLYGON (0 0, 1 1)",
    };
    report_geometry g;
    size_t i;
    char deep[2000];
    (void)state;
    memset(&g, 0, sizeof(g));
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc = report_wkt_parse(&g, cases[i].wkt);
        if (rc != 0)
            fail_msg("'%s': %s", cases[i].wkt, hegui_error_last());
        if (g.part_count != cases[i].parts || g.xy_count != cases[i].pairs)
            fail_msg("'%s': %zu parts, %zu pairs", cases[i].wkt, g.part_count, g.xy_count);
        if (g.part_count) {
            assert_int_equal(g.parts[0].kind, cases[i].first_kind);
            assert_double_near(g.xy[0], cases[i].x0, 1e-9);
            assert_double_near(g.xy[1], cases[i].y0, 1e-9);
        }
    }
    /* a polygon: exterior ring first, then the hole */
    assert_int_equal(report_wkt_parse(&g, cases[7].wkt), 0);
    assert_int_equal(g.parts[0].exterior, 1);
    assert_int_equal(g.parts[1].exterior, 0);
    assert_int_equal(g.parts[1].first, 5);
    assert_int_equal(g.parts[1].count, 4);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (report_wkt_parse(&g, bad[i]) != HEGUI_EINVAL)
            fail_msg("'%s' was accepted", bad[i]);
        assert_contains(hegui_error_last(), "WKT:");
        assert_int_equal(g.part_count, 0); /* nothing half-parsed is kept */
    }
    /* nesting is bounded (the parser recurses) */
    deep[0] = '\0';
    for (i = 0; i < 40; i++)
        strcat(deep, "GEOMETRYCOLLECTION (");
    strcat(deep, "POINT (1 2)");
    for (i = 0; i < 40; i++)
        strcat(deep, ")");
    assert_int_equal(report_wkt_parse(&g, deep), HEGUI_EINVAL);
    assert_contains(hegui_error_last(), "nested");
    report_geometry_release(&g);
}

/* Coordinates as the findings' WKT writes them (Gauss-Kruger eastings and
 * northings with up to 3 decimals, and others of at most 16 digits and
 * exponents to 22): each is the double strtod gives, to the last bit. */
static void test_report_wkt_numbers_exact(void **state)
{
    static const char *const fixed[] = {
        "38416967.902", "3940682.273", "0.1",    "0.3",  "123456789012.5",
        "1e22",         "1e-22",       "-0.001", "4.35", "9007199254740993"};
    report_geometry g;
    char wkt[160], x[64], y[64];
    unsigned long long state_bits = 88172645463325252ull;
    size_t i;
    (void)state;
    memset(&g, 0, sizeof(g));
    for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]) + 20000; i++) {
        if (i < sizeof(fixed) / sizeof(fixed[0])) {
            snprintf(x, sizeof(x), "%s", fixed[i]);
            snprintf(y, sizeof(y), "%s", fixed[i]);
        } else { /* xorshift: eastings 38xxxxxx.xxx, northings 3xxxxxx.xx */
            state_bits ^= state_bits << 13, state_bits ^= state_bits >> 7,
                state_bits ^= state_bits << 17;
            snprintf(x, sizeof(x), "38%06llu.%03llu", state_bits % 1000000,
                     (state_bits >> 20) % 1000);
            snprintf(y, sizeof(y), "3%06llu.%0*llu", (state_bits >> 30) % 1000000,
                     (int)(1 + (state_bits >> 50) % 3), (state_bits >> 40) % 100);
        }
        snprintf(wkt, sizeof(wkt), "POINT (%s %s)", x, y);
        assert_int_equal(report_wkt_parse(&g, wkt), 0);
        if (g.xy[0] != strtod(x, NULL) || g.xy[1] != strtod(y, NULL))
            fail_msg("%s: %.17g %.17g", wkt, g.xy[0], g.xy[1]);
    }
    report_geometry_release(&g);
}

/* Draws wkt in a view of box fitted into a 100 x 100 area at (0, 0). */
static char *draw(const char *wkt, double box0, double box1, double box2, double box3, double tol,
                  size_t *out_drawn)
{
    report_geometry g;
    report_view v;
    hegui_buf out = HEGUI_BUF_INIT;
    double box[4];
    box[0] = box0;
    box[1] = box1;
    box[2] = box2;
    box[3] = box3;
    memset(&g, 0, sizeof(g));
    assert_int_equal(report_wkt_parse(&g, wkt), 0);
    report_view_fit(&v, box, 0, 0, 100, 100);
    *out_drawn = report_svg_draw(&out, &g, &v, tol, "r-C01", "t<&>");
    report_geometry_release(&g);
    assert_false(out.failed);
    return hegui_buf_take(&out);
}

static void test_report_svg_paths(void **state)
{
    size_t n;
    char *svg;
    (void)state;
    /* north up: y grows downwards on screen; the closing vertex is Z */
    svg = draw("POLYGON ((0 0,100 0,100 100,0 100,0 0))", 0, 0, 100, 100, 1, &n);
    assert_string_equal(svg, "<path class=\"r-C01\" d=\"M0 100 100 100 100 0 0 0Z\">"
                             "<title>t&lt;&amp;&gt;</title></path>");
    assert_int_equal(n, 4);
    hegui_free(svg);
    /* a hole is a second subpath of the same path (evenodd fill) */
    svg = draw("POLYGON ((0 0,100 0,100 100,0 100,0 0),(10 10,10 20,20 20,10 10))", 0, 0, 100, 100,
               1, &n);
    assert_contains(svg, "d=\"M0 100 100 100 100 0 0 0ZM10 90 10 80 20 80Z\"");
    assert_int_equal(n, 7);
    hegui_free(svg);
    /* one decimal, negative and fractional pixels; the box is centred */
    svg = draw("LINESTRING (0 0, 12.34 -5.55, 50 50)", 0, -50, 50, 50, 0.01, &n);
    /* box 50 x 100 in a 100 x 100 area: scale 1, 25 px left margin */
    assert_string_equal(svg, "<path class=\"r-C01 line\" d=\"M25 50 37.3 55.6 75 0\">"
                             "<title>t&lt;&amp;&gt;</title></path>");
    assert_int_equal(n, 3);
    hegui_free(svg);
    /* points are circles */
    svg = draw("MULTIPOINT ((50 50), (0 100))", 0, 0, 100, 100, 1, &n);
    assert_contains(svg, "<circle class=\"r-C01\" cx=\"50\" cy=\"50\" r=\"4\">");
    assert_contains(svg, "cx=\"0\" cy=\"0\" r=\"4\"");
    assert_int_equal(n, 2);
    hegui_free(svg);
    /* a patch smaller than the tolerance is a dot at its centre, not lost */
    svg = draw("POLYGON ((40 40,40.2 40,40.2 40.2,40 40.2,40 40))", 0, 0, 100, 100, 1, &n);
    assert_string_equal(svg, "<circle class=\"r-C01\" cx=\"40.1\" cy=\"59.9\" r=\"2.5\">"
                             "<title>t&lt;&amp;&gt;</title></circle>");
    assert_int_equal(n, 1);
    hegui_free(svg);
    /* vertices closer than the tolerance are dropped, for display only */
    svg = draw("LINESTRING (0 0, 0.3 0, 0.6 0, 1 0, 50 0, 100 0)", 0, 0, 100, 100, 1, &n);
    assert_contains(svg, "d=\"M0 100 1 100 50 100 100 100\"");
    assert_int_equal(n, 4);
    hegui_free(svg);
    svg = draw("", 0, 0, 100, 100, 1, &n);
    assert_string_equal(svg ? svg : "", "");
    assert_int_equal(n, 0);
    hegui_free(svg);
}

/* A star of n vertices alternating between radius 400 and 403 around
 * (0, 0): every vertex is 3 units from the next, so none is dropped at a
 * tolerance of one or two pixels (the views below draw a unit as 1.2 px). */
static char *star_wkt(size_t n)
{
    hegui_buf b = HEGUI_BUF_INIT;
    size_t i;
    hegui_buf_puts(&b, "POLYGON ((");
    for (i = 0; i <= n; i++) {
        double a = 2 * 3.14159265358979323846 * (double)(i % n) / (double)n,
               r = (i % n) % 2 ? 400 : 403;
        hegui_buf_printf(&b, "%s%.3f %.3f", i ? "," : "", r * cos(a), r * sin(a));
    }
    hegui_buf_puts(&b, "))");
    assert_false(b.failed);
    return hegui_buf_take(&b);
}

/* Coordinate pairs in the d="" attributes and circles of an SVG text. */
static size_t count_vertices(const char *svg)
{
    size_t pairs = 0, numbers;
    const char *p = svg, *d;
    while ((d = strstr(p, " d=\"")) != NULL) {
        numbers = 0;
        for (d += 4; *d && *d != '"'; d++) {
            if ((*d >= '0' && *d <= '9') &&
                (d[-1] == ' ' || d[-1] == 'M' || d[-1] == '"' || d[-1] == '-' || d[-1] == 'Z'))
                numbers++;
        }
        pairs += numbers / 2;
        p = d;
    }
    for (p = svg; (p = strstr(p, "<circle")) != NULL; p++)
        pairs++;
    return pairs;
}

static void test_report_svg_vertex_cap(void **state)
{
    char *wkt = star_wkt(60000);
    report_geometry g;
    report_view v;
    size_t counts[REPORT_SVG_LEVELS];
    double box[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY}, tol;
    hegui_buf out = HEGUI_BUF_INIT;
    size_t drawn, k;
    (void)state;
    memset(&g, 0, sizeof(g));
    memset(counts, 0, sizeof(counts));
    assert_int_equal(report_wkt_parse(&g, wkt), 0);
    report_geometry_extend(&g, box);
    assert_double_near(box[2], 403, 1e-9);
    report_view_fit(&v, box, 0, 0, 1000, 1000);
    report_svg_count_levels(&g, &v, counts);
    assert_int_equal(counts[0], 60000); /* nothing is closer than 1 px */
    for (k = 1; k < REPORT_SVG_LEVELS; k++)
        assert_true(counts[k] <= counts[k - 1]);
    tol = report_svg_pick_tolerance(counts, REPORT_HTML_MAP_VERTICES);
    assert_true(tol > 1);
    drawn = report_svg_draw(&out, &g, &v, tol, "blk", NULL);
    assert_true(drawn <= REPORT_HTML_MAP_VERTICES);
    assert_true(drawn > 1000); /* simplified, not erased */
    assert_int_equal(count_vertices(hegui_buf_cstr(&out)), drawn);
    /* the smallest tolerance that fits: half of it would not */
    assert_true(counts[(int)lround(log2(tol)) - 1] > REPORT_HTML_MAP_VERTICES);
    /* a cap nothing fits gives the largest tolerance */
    assert_double_near(report_svg_pick_tolerance(counts, 0), pow(2, REPORT_SVG_LEVELS - 1), 0);
    hegui_buf_release(&out);
    report_geometry_release(&g);
    hegui_free(wkt);
}

/* --- escaping, names, limits, rounding --- */

static void test_report_html_escape(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"<a href=\"x\">&'", "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"},
        {"晋城经济技术开发区", "晋城经济技术开发区"},
        {"tab\tnew\nline\rcr", "tab\tnew\nline\rcr"},
        {"bell\x07 esc\x1b del\x7f end", "bell esc del end"},
        {"bad \xff byte", "bad \xEF\xBF\xBD byte"},
        {"", ""},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        hegui_buf b = HEGUI_BUF_INIT;
        report_html_escape(&b, cases[i].in);
        assert_string_equal(hegui_buf_cstr(&b), cases[i].out);
        hegui_buf_release(&b);
    }
}

static void test_report_xlsx_sheet_names(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"汇总", "汇总"},
        {"开发区×规则", "开发区×规则"},
        {"a:b\\c/d?e*f[g]h", "a_b_c_d_e_f_g_h"},
        {"0123456789012345678901234567890123456789", "0123456789012345678901234567890"},
        /* 40 CJK characters: 31 kept (one UTF-16 unit each) */
        {"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十",
         "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一"},
        /* characters outside the BMP count two: 15 fit in 31 */
        {"😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀", "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀"},
        {"'quoted'", "quoted"},
        {"'''", "Sheet"},
        {"", "Sheet"},
        {"History", "Sheet"},
        {"tab\there", "tabhere"},
        {"bad\xffname", "bad\xEF\xBF\xBDname"},
    };
    char out[128];
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        report_xlsx_sheet_name(out, sizeof(out), cases[i].in);
        if (strcmp(out, cases[i].out) != 0)
            fail_msg("'%s' gave '%s', expected '%s'", cases[i].in, out, cases[i].out);
    }
    report_xlsx_sheet_name(out, sizeof(out), NULL);
    assert_string_equal(out, "Sheet");
}

/* UTF-16 code units of a UTF-8 text. */
static size_t utf16_length(const char *s)
{
    size_t n = 0, len;
    uint32_t cp;
    while ((len = report_utf8_next(s, &cp)) > 0) {
        n += cp >= 0x10000 ? 2 : 1;
        s += len;
    }
    return n;
}

static void test_report_xlsx_cell_limit(void **state)
{
    static const char *const units[] = {"a", "区", "😀"};
    size_t i, k, marker = utf16_length(REPORT_XLSX_TRUNCATED);
    char *cell;
    (void)state;
    cell = report_xlsx_cell_text("line 1\nline\t2\x01\x1f end");
    assert_string_equal(cell, "line 1\nline\t2   end");
    hegui_free(cell);
    cell = report_xlsx_cell_text(NULL);
    assert_string_equal(cell, "");
    hegui_free(cell);
    for (k = 0; k < sizeof(units) / sizeof(units[0]); k++) {
        hegui_buf b = HEGUI_BUF_INIT;
        size_t len;
        /* exactly at the limit: unchanged */
        for (i = 0; i < REPORT_XLSX_CELL_MAX / utf16_length(units[k]); i++)
            hegui_buf_puts(&b, units[k]);
        cell = report_xlsx_cell_text(hegui_buf_cstr(&b));
        assert_string_equal(cell, hegui_buf_cstr(&b));
        hegui_free(cell);
        /* beyond: cut at a character, the marker appended, within the limit */
        for (i = 0; i < 5000; i++)
            hegui_buf_puts(&b, units[k]);
        cell = report_xlsx_cell_text(hegui_buf_cstr(&b));
        len = utf16_length(cell);
        assert_true(len <= REPORT_XLSX_CELL_MAX);
        assert_true(len > REPORT_XLSX_CELL_MAX - marker - 2);
        assert_true(strlen(cell) > strlen(REPORT_XLSX_TRUNCATED));
        assert_string_equal(cell + strlen(cell) - strlen(REPORT_XLSX_TRUNCATED),
                            REPORT_XLSX_TRUNCATED);
        assert_true(hegui_utf8_valid(cell, strlen(cell)));
        hegui_free(cell);
        hegui_buf_release(&b);
    }
}

static void test_report_round(void **state)
{
    (void)state;
    /* as printf rounds the binary value: 0.12345 is 0.1234500000000000041… */
    assert_true(report_round(0.12345, 4) == 0.1235);
    assert_true(report_round(2.675, 2) == 2.67); /* 2.67499999… in binary */
    assert_true(report_round(-1.5, 0) == -2.0);
    assert_true(report_round(31799999.834, 2) == 31799999.83);
    assert_true(report_round(47911.38 * 15 / 10000, 2) == 71.87);
    assert_true(report_round(-0.00001, 2) == 0.0);
    /* more than 15 digits: unchanged */
    assert_true(report_round(123456789012345678.0, 2) == 123456789012345678.0);
}

/* --- the writers on a run built in code --- */

#define ZONE_WKT                                                                                   \
    "POLYGON ((38500000 3931000,38501000 3931000,38501000 3932000,38500000 3932000,38500000 "      \
    "3931000))"
#define PATCH_WKT                                                                                  \
    "POLYGON ((38500100 3931100,38500200 3931100,38500200 3931150,38500100 3931150,38500100 "      \
    "3931100))"

typedef struct fixture {
    hegui_run run;
    hegui_config config;
    hegui_rule_config rules[64];
    char *star;
} fixture;

static char *copy_of(const char *s)
{
    char *copy = hegui_strdup(s);
    assert_non_null(copy);
    return copy;
}

static void add_block(hegui_run *run, const char *zone, const char *name, const char *block,
                      const char *wkt, double area)
{
    hegui_run_block *b = &run->blocks[run->block_count++];
    b->zone_code = copy_of(zone);
    b->zone_name = copy_of(name);
    b->block = copy_of(block);
    b->layer = copy_of("KFQ");
    b->fid = (int64_t)run->block_count - 1;
    b->wkt = copy_of(wkt);
    b->area_m2 = area;
}

static void add_finding(hegui_run *run, const char *rule, hegui_severity severity, const char *zone,
                        const char *name, const char *block, const char *wkt, double area,
                        const char *zh)
{
    hegui_finding f;
    memset(&f, 0, sizeof(f));
    f.rule = rule;
    f.severity = severity;
    f.zone_code = (char *)zone;
    f.zone_name = (char *)name;
    f.block = (char *)block;
    f.layer = (char *)"KFQ";
    f.fid = 0;
    f.other_layer = (char *)"YJJBNTBHTB";
    f.other_fid = 3112;
    f.wkt = (char *)wkt;
    f.has_area = area >= 0;
    f.area_m2 = area;
    f.area_ellipsoidal_m2 = area * 0.9997;
    f.share_of_zone = area >= 0 ? area / 1000000.0 : -1;
    f.message_zh = (char *)zh;
    f.message_en = (char *)"message <en>";
    assert_int_equal(hegui_findings_add(&run->findings, &f), 0);
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    hegui_run *run;
    size_t count, i;
    const hegui_rule_def *catalogue = hegui_rules_catalogue(&count);
    if (!fx)
        return -1;
    run = &fx->run;
    fx->config.source = (char *)"<default>";
    for (i = 0; i < count && i < 64; i++) {
        fx->rules[i].id = catalogue[i].id;
        fx->rules[i].enabled = 1;
        fx->rules[i].severity = catalogue[i].default_severity;
        fx->rules[i].params.kind = HEGUI_VALUE_MAP;
    }
    fx->config.rules = fx->rules;
    fx->config.rule_count = count;
    run->command = "check";
    run->config = &fx->config;
    run->timestamp = 1716163200;
    run->fail_on = HEGUI_SEVERITY_ERROR;
    run->rules_source = copy_of("<default>");
    run->rules_sha256 = copy_of("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    run->working_crs.epsg = 4526;
    snprintf(run->working_crs.name, sizeof(run->working_crs.name), "%s",
             "CGCS2000 / 3-degree Gauss-Kruger zone 38");
    run->zone_count = 2;
    run->zones = hegui_calloc(2, sizeof(*run->zones));
    run->zones[0].code = copy_of("G140500");
    run->zones[0].name = copy_of("晋城<经济>技术开发区");
    run->zones[0].block_count = 2;
    run->zones[0].area_m2 = 2000000;
    run->zones[1].code = copy_of("S140521");
    run->zones[1].name = copy_of("阳城经济开发区");
    run->zones[1].block_count = 1;
    run->zones[1].area_m2 = 1000000;
    run->blocks = hegui_calloc(4, sizeof(*run->blocks));
    fx->star = star_wkt(60000);
    add_block(run, "G140500", "晋城<经济>技术开发区", "一区", ZONE_WKT, 1000000);
    add_block(run, "G140500", "晋城<经济>技术开发区", "二区",
              "POLYGON ((38503000 3931000,38504000 3931000,38504000 3932000,38503000 3931000))",
              500000);
    add_block(run, "S140521", "阳城经济开发区", "", fx->star, 1000000);
    add_finding(run, "C01", HEGUI_SEVERITY_ERROR, "G140500", "晋城<经济>技术开发区", "一区",
                PATCH_WKT, 5000, "占用<script>alert(1)</script>");
    add_finding(run, "S01", HEGUI_SEVERITY_ERROR, "G140500", "晋城<经济>技术开发区", "二区",
                "POINT (38503500 3931500)", -1, "自相交");
    add_finding(run, "I02", HEGUI_SEVERITY_WARNING, "", "", "", "POINT (38509000 3939000)", -1,
                "城区周边");
    hegui_findings_sort(&run->findings);
    run->total_count = 1;
    run->totals = hegui_calloc(1, sizeof(*run->totals));
    run->totals[0].rule = "C01";
    run->totals[0].zone_code = copy_of("G140500");
    run->totals[0].zone_name = copy_of("晋城<经济>技术开发区");
    run->totals[0].count = 1;
    run->totals[0].area_m2 = 5000;
    run->totals[0].share_of_zone = 0.0025;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    hegui_run_release(&fx->run);
    hegui_free(fx->star);
    free(fx);
    return 0;
}

static char *render(const char *format, const hegui_run *run, hegui_lang document_lang, int *out_rc,
                    size_t *out_size)
{
    hegui_report_options options = {HEGUI_LANG_EN, 0, 0, document_lang, 0};
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    assert_non_null(out);
    *out_rc = hegui_reporter_find(format)->write(out, run, &options);
    fclose(out);
    if (out_size)
        *out_size = size;
    return text;
}

static void test_report_html_page(void **state)
{
    fixture *fx = *state;
    int rc;
    char *html = render("html", &fx->run, HEGUI_LANG_ZH, &rc, NULL), *section, *end;
    const char *p;
    size_t maps = 0;
    assert_int_equal(rc, 0);
    assert_true(strncmp(html, "<!DOCTYPE html>", 15) == 0);
    /* Chinese although the messages' language is English */
    assert_contains(html, "<html lang=\"zh-CN\">");
    assert_contains(html, "结论：不通过（错误 2，警告 1，提示 0）");
    /* data is escaped everywhere, and there is no script at all */
    assert_null(strstr(html, "<script"));
    assert_contains(html, "占用&lt;script&gt;alert(1)&lt;/script&gt;");
    assert_contains(html, "晋城&lt;经济&gt;技术开发区");
    assert_null(strstr(html, "http://"));
    assert_null(strstr(html, "https://"));
    /* print CSS and the CJK font stack */
    assert_contains(html, "@page{size:A4");
    assert_contains(html, "break-before:page");
    assert_contains(html, "\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Microsoft YaHei\","
                          "\"PingFang SC\",sans-serif");
    /* one section per zone, each with its map; block maps for the zone of
     * two blocks with findings */
    section = strstr(html, "<section class=\"zone\" id=\"zone-G140500\"");
    assert_non_null(section);
    end = strstr(section, "</section>");
    assert_non_null(end);
    for (p = section; (p = strstr(p, "<svg class=\"map")) != NULL && p < end; p++)
        maps++;
    assert_int_equal(maps, 3); /* the zone and its two blocks */
    assert_contains(section, "r-C01");
    assert_contains(section, "坐标系 EPSG:4526");
    assert_contains(section, "class=\"scalebar\"");
    assert_contains(section, "class=\"north\"");
    /* the scale bar of a 4 km wide zone: a round length */
    assert_contains(section, "500 m</text>");
    section = strstr(html, "<section class=\"zone\" id=\"zone-S140521\"");
    assert_non_null(section);
    assert_contains(section, "<svg class=\"map zone-map\"");
    /* the star's 60000 vertices are capped */
    p = strstr(section, "data-vertices=\"");
    assert_non_null(p);
    assert_true(strtoul(p + 15, NULL, 10) <= REPORT_HTML_MAP_VERTICES);
    assert_true(count_vertices(section) <= REPORT_HTML_MAP_VERTICES);
    assert_contains(section, "显示时已简化");
    /* the finding without a zone is listed last */
    assert_contains(html, "不属于任何开发区的检查结果");
    free(html);

    html = render("html", &fx->run, HEGUI_LANG_EN, &rc, NULL);
    assert_int_equal(rc, 0);
    assert_contains(html, "<html lang=\"en\">");
    assert_contains(html, "Verdict: FAIL (2 errors, 1 warning, 0 info)");
    assert_contains(html, "message &lt;en&gt;");
    free(html);
}

static void test_report_html_deterministic_and_enomem(void **state)
{
    fixture *fx = *state;
    int rc;
    size_t a_size, b_size;
    char *a = render("html", &fx->run, HEGUI_LANG_ZH, &rc, &a_size);
    char *b = render("html", &fx->run, HEGUI_LANG_ZH, &rc, &b_size);
    long n;
    assert_int_equal(a_size, b_size);
    assert_memory_equal(a, b, a_size);
    free(a);
    free(b);
    /* every allocation failing in turn: ENOMEM, never a crash or a leak */
    for (n = 1; n < 100000; n++) {
        hegui_alloc_fail_after(n);
        a = render("html", &fx->run, HEGUI_LANG_ZH, &rc, NULL);
        hegui_alloc_fail_after(0);
        free(a);
        if (rc == 0)
            break;
        if (rc != HEGUI_ENOMEM)
            fail_msg("allocation %ld failing gave %d", n, rc);
        if (n > 400)
            n += 97; /* past the page head, sample the rest */
    }
    assert_int_equal(rc, 0);
}

/* True when the zip file at path names member in its directory (names are
 * stored uncompressed). */
static int zip_has(const char *data, size_t size, const char *member)
{
    size_t n = strlen(member), i;
    for (i = 0; i + n <= size; i++) {
        if (memcmp(data + i, member, n) == 0)
            return 1;
    }
    return 0;
}

static void test_report_xlsx_workbook(void **state)
{
    fixture *fx = *state;
    int rc;
    size_t a_size, b_size;
    char *a, *b;
    hegui_run_intensity row;

    a = render("xlsx", &fx->run, HEGUI_LANG_ZH, &rc, &a_size);
    assert_int_equal(rc, 0);
    assert_true(a_size > 1000);
    assert_memory_equal(a, "PK\x03\x04", 4);
    assert_true(zip_has(a, a_size, "xl/worksheets/sheet5.xml"));
    assert_false(zip_has(a, a_size, "xl/worksheets/sheet6.xml")); /* no 亩均 rows */
    sleep(1); /* the clock must not reach the file */
    b = render("xlsx", &fx->run, HEGUI_LANG_ZH, &rc, &b_size);
    assert_int_equal(rc, 0);
    assert_int_equal(a_size, b_size);
    assert_memory_equal(a, b, a_size);
    free(a);
    free(b);

    /* with 亩均 rows the sixth sheet appears; a ratio without land is blank */
    memset(&row, 0, sizeof(row));
    row.zone_code = (char *)"G140500";
    row.zone_name = (char *)"晋城";
    row.enterprise = (char *)"晋城某公司";
    row.industry_code = (char *)"3484";
    row.investment_per_mu = NAN;
    row.output_per_mu = NAN;
    row.tax_per_mu = NAN;
    row.rank_in_zone = 1;
    fx->run.intensity = &row;
    fx->run.intensity_count = 1;
    a = render("xlsx", &fx->run, HEGUI_LANG_ZH, &rc, &a_size);
    fx->run.intensity = NULL;
    fx->run.intensity_count = 0;
    assert_int_equal(rc, 0);
    assert_true(zip_has(a, a_size, "xl/worksheets/sheet6.xml"));
    free(a);
}

static void test_report_xlsx_file(void **state)
{
    fixture *fx = *state;
    char dir[] = "/tmp/hegui-xlsx-XXXXXX";
    char path[200];
    struct stat st;
    assert_non_null(mkdtemp(dir));
    assert_int_equal(hegui_report_write_file(hegui_reporter_find("xlsx"), dir, &fx->run, NULL), 0);
    snprintf(path, sizeof(path), "%s/report.xlsx", dir);
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_size > 1000);
    assert_int_equal(st.st_mode & 0777, 0644);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0); /* nothing else was left behind */
    /* a folder that cannot be written: HEGUI_EOUTPUT naming the file */
    assert_int_equal(
        hegui_report_write_file(hegui_reporter_find("xlsx"), "/proc/no/such", &fx->run, NULL),
        HEGUI_EOUTPUT);
    assert_contains(hegui_error_last(), "report.xlsx");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_wkt_parse),
        cmocka_unit_test(test_report_wkt_numbers_exact),
        cmocka_unit_test(test_report_svg_paths),
        cmocka_unit_test(test_report_svg_vertex_cap),
        cmocka_unit_test(test_report_html_escape),
        cmocka_unit_test(test_report_xlsx_sheet_names),
        cmocka_unit_test(test_report_xlsx_cell_limit),
        cmocka_unit_test(test_report_round),
        cmocka_unit_test_setup_teardown(test_report_html_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_html_deterministic_and_enomem, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_xlsx_workbook, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_xlsx_file, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
