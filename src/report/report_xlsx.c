/*
 * report_xlsx.c - report.xlsx: the workbook planners work in, written with
 * libxlsxwriter (GDAL's XLSX driver cannot format cells).
 *
 * Sheets, in this order (docs/reports.md):
 *   汇总          the verdict, one row per rule (count, 公顷, 亩), the run
 *   开发区×规则    one row per (zone, rule) total of summary.json, then the
 *                 totals of each rule over all zones
 *   冲突图斑清单   every finding: ids, key attributes, areas (no WKT)
 *   用地结构       per zone, each land class with its area and share, then
 *                 each zone's total
 *   输入数据       files, layers, roles, feature counts, CRS, encodings,
 *                 SHA-256
 *   亩均效益       the 亩均 intensity rows (only when the run has some)
 * Every table has Chinese headers in bold on a grey fill, frozen under the
 * header, an autofilter, and columns as wide as their content (display
 * width: CJK characters count two). Number formats: 公顷 `0.0000`, 亩
 * `0.00`, m2 `0.00`, shares `0.0%`.
 *
 * Numbers are stored rounded exactly as summary.json prints them (m2 2
 * decimals, 公顷 4, 亩 2, share 6; each from the unrounded m2 with
 * hegui_area_ha/hegui_area_mu), so a cell equals the JSON value; totals are
 * computed from unrounded values and rounded once (docs/reports.md,
 * "Units and rounding").
 *
 * Excel's limits: sheet names pass report_xlsx_sheet_name, texts
 * report_xlsx_cell_text (at most 32 767 characters, cut with a marker),
 * and a list longer than Excel's 1 048 576 rows is cut with a note row.
 *
 * Deterministic bytes: the document's creation time is run->timestamp
 * (libxlsxwriter otherwise writes the clock), and libxlsxwriter writes its
 * zip entries with a fixed date; the same run gives the same file.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "hegui/config.h"
#include "report/report_internal.h"

#define MAX_COLS 24
/* Column widths in Excel's character units: at least this, at most that. */
#define MIN_WIDTH 6
#define MAX_WIDTH 60
/* Rows of one sheet Excel shows (the header included). */
#define EXCEL_ROWS 1048576u

/* --- Excel's limits (exposed for the unit tests) --- */

/* UTF-16 code units of code point cp (Excel counts these). */
static size_t utf16_units(uint32_t cp)
{
    return cp >= 0x10000 ? 2 : 1;
}

void report_xlsx_sheet_name(char *out, size_t size, const char *name)
{
    char *repaired = NULL;
    const char *p;
    size_t len = 0, units = 0, n;
    uint32_t cp;

    if (size == 0)
        return;
    out[0] = '\0';
    if (!name)
        name = "";
    if (!hegui_utf8_valid(name, strlen(name))) {
        repaired = hegui_utf8_repair(name, NULL);
        name = repaired ? repaired : "";
    }
    for (p = name; (n = report_utf8_next(p, &cp)) > 0; p += n) {
        if (cp < 0x20 || cp == 0x7F)
            continue; /* control characters */
        if (units + utf16_units(cp) > REPORT_XLSX_SHEET_NAME_MAX || len + n + 1 > size)
            break;
        memcpy(out + len, p, n);
        if (n == 1 && strchr(":\\/?*[]", p[0]))
            out[len] = '_'; /* characters Excel forbids in a sheet name */
        len += n;
        units += utf16_units(cp);
    }
    out[len] = '\0';
    /* Excel refuses a name that starts or ends with an apostrophe */
    while (len > 0 && out[len - 1] == '\'')
        out[--len] = '\0';
    n = 0;
    while (out[n] == '\'')
        n++;
    if (n)
        memmove(out, out + n, len - n + 1);
    if (!out[0] || hegui_str_iequal(out, "History"))
        snprintf(out, size, "Sheet");
    hegui_free(repaired);
}

char *report_xlsx_cell_text(const char *text)
{
    char *copy;
    const char *p;
    size_t units = 0, n, len = 0, marker_units = 0, keep = 0;
    uint32_t cp;
    int cut = 0;

    if (!text)
        text = "";
    if (!hegui_utf8_valid(text, strlen(text)))
        copy = hegui_utf8_repair(text, NULL);
    else
        copy = hegui_strdup(text);
    if (!copy)
        return NULL;
    for (p = REPORT_XLSX_TRUNCATED; (n = report_utf8_next(p, &cp)) > 0; p += n)
        marker_units += utf16_units(cp);
    /* control characters (XML 1.0 forbids most) become spaces; find where
     * to cut so that the text plus the marker fits */
    for (p = copy; (n = report_utf8_next(p, &cp)) > 0; p += n) {
        if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7F)
            copy[p - copy] = ' '; /* one byte: the code point is ASCII */
        if (units + utf16_units(cp) <= REPORT_XLSX_CELL_MAX - marker_units)
            keep = (size_t)(p - copy) + n;
        units += utf16_units(cp);
        if (units > REPORT_XLSX_CELL_MAX) {
            cut = 1;
            break;
        }
    }
    if (!cut)
        return copy;
    len = keep;
    {
        size_t mlen = strlen(REPORT_XLSX_TRUNCATED);
        char *out = hegui_malloc(len + mlen + 1);
        if (!out) {
            hegui_free(copy);
            return NULL;
        }
        memcpy(out, copy, len);
        memcpy(out + len, REPORT_XLSX_TRUNCATED, mlen + 1);
        hegui_free(copy);
        return out;
    }
}

/* --- the writer's state --- */

typedef struct xsheet {
    lxw_worksheet *ws;
    lxw_row_t row;          /* next row */
    size_t width[MAX_COLS]; /* display width of the widest cell of each column */
    int cols;               /* columns used */
} xsheet;

typedef struct xlsx_ctx {
    lxw_workbook *wb;
    const hegui_run *run;
    hegui_lang lang;   /* messages */
    lxw_format *head;  /* bold header on a grey fill */
    lxw_format *bold;  /* bold text (verdict, totals) */
    lxw_format *ha;    /* 0.0000 */
    lxw_format *mu;    /* 0.00 (亩, m2, 万元) */
    lxw_format *pct;   /* 0.0% */
    lxw_format *count; /* 0 */
    lxw_format *ha_total, *mu_total, *pct_total, *count_total;
    lxw_error err; /* first libxlsxwriter failure */
    int rc;        /* first hegui failure (HEGUI_ENOMEM) */
} xlsx_ctx;

/* Remembers the first failure of a libxlsxwriter call. */
static void check(xlsx_ctx *x, lxw_error err)
{
    if (err != LXW_NO_ERROR && x->err == LXW_NO_ERROR)
        x->err = err;
}

static void widen(xsheet *s, int col, size_t width)
{
    if (col < 0 || col >= MAX_COLS)
        return;
    if (width > s->width[col])
        s->width[col] = width;
    if (col + 1 > s->cols)
        s->cols = col + 1;
}

/* A text cell (cleaned for Excel); measures it unless measure is 0. */
static void put_text_m(xlsx_ctx *x, xsheet *s, lxw_row_t row, int col, const char *text,
                       lxw_format *format, int measure)
{
    char *clean;
    if (x->rc < 0)
        return;
    clean = report_xlsx_cell_text(text ? text : "");
    if (!clean) {
        x->rc = HEGUI_ENOMEM;
        return;
    }
    if (*clean)
        check(x, worksheet_write_string(s->ws, row, (lxw_col_t)col, clean, format));
    else if (format)
        check(x, worksheet_write_blank(s->ws, row, (lxw_col_t)col, format));
    if (measure) {
        /* a multi-line text is as wide as its longest line */
        size_t w = 0, line = 0, n;
        const char *p;
        uint32_t cp;
        for (p = clean; (n = report_utf8_next(p, &cp)) > 0; p += n) {
            if (cp == '\n') {
                line = 0;
                continue;
            }
            line += (size_t)report_codepoint_width(cp);
            if (line > w)
                w = line;
        }
        widen(s, col, w);
    } else if (col + 1 > s->cols) {
        s->cols = col + 1;
    }
    hegui_free(clean);
}

static void put_text(xlsx_ctx *x, xsheet *s, int col, const char *text, lxw_format *format)
{
    put_text_m(x, s, s->row, col, text, format, 1);
}

/* A number rounded to decimals as summary.json prints it; blank when it is
 * not a number (a ratio without land). */
static void put_number(xlsx_ctx *x, xsheet *s, int col, double value, int decimals,
                       lxw_format *format)
{
    char text[512];
    if (x->rc < 0)
        return;
    if (!isfinite(value)) {
        check(x, worksheet_write_blank(s->ws, s->row, (lxw_col_t)col, format));
        widen(s, col, 1);
        return;
    }
    value = report_round(value, decimals);
    check(x, worksheet_write_number(s->ws, s->row, (lxw_col_t)col, value, format));
    /* the width the format shows: shares as percentages */
    if (format == x->pct || format == x->pct_total)
        report_format_fixed(text, sizeof(text), value * 100.0, 1);
    else
        report_format_fixed(text, sizeof(text), value, decimals);
    widen(s, col, strlen(text) + (format == x->pct || format == x->pct_total));
}

static void put_int(xlsx_ctx *x, xsheet *s, int col, long long value, lxw_format *format)
{
    char text[32];
    if (x->rc < 0)
        return;
    check(x, worksheet_write_number(s->ws, s->row, (lxw_col_t)col, (double)value, format));
    snprintf(text, sizeof(text), "%lld", value);
    widen(s, col, strlen(text));
}

/* A share of the zone (0..1, 6 decimals), blank when n/a. */
static void put_share(xlsx_ctx *x, xsheet *s, int col, double share, lxw_format *format)
{
    if (!isfinite(share) || share < 0)
        put_text(x, s, col, "", NULL);
    else
        put_number(x, s, col, share, 6, format);
}

/* The header row (zh headings) at the sheet's current row. */
static void put_header(xlsx_ctx *x, xsheet *s, const char *const *headings, int count)
{
    int i;
    for (i = 0; i < count; i++)
        put_text(x, s, i, headings[i], x->head);
    s->row++;
}

/* Frozen header and autofilter of a table whose header is at header_row
 * and last row at last_row. */
static void finish_table(xlsx_ctx *x, xsheet *s, lxw_row_t header_row, lxw_row_t last_row, int cols)
{
    worksheet_freeze_panes(s->ws, header_row + 1, 0);
    check(x,
          worksheet_autofilter(s->ws, header_row, 0, last_row < header_row ? header_row : last_row,
                               (lxw_col_t)(cols - 1)));
}

/* Every column as wide as its widest measured cell (display width: CJK
 * characters count two), within MIN_WIDTH..MAX_WIDTH. Last, once the sheet
 * is written. */
static void set_widths(xlsx_ctx *x, const xsheet *s)
{
    int i;
    for (i = 0; i < s->cols && i < MAX_COLS; i++) {
        size_t w = s->width[i] + 2;
        w = w < MIN_WIDTH ? MIN_WIDTH : (w > MAX_WIDTH ? MAX_WIDTH : w);
        check(x, worksheet_set_column(s->ws, (lxw_col_t)i, (lxw_col_t)i, (double)w, NULL));
    }
}

static lxw_worksheet *add_sheet(xlsx_ctx *x, xsheet *s, const char *name)
{
    char safe[128];
    memset(s, 0, sizeof(*s));
    report_xlsx_sheet_name(safe, sizeof(safe), name);
    s->ws = workbook_add_worksheet(x->wb, safe);
    if (!s->ws && x->err == LXW_NO_ERROR)
        x->err = LXW_ERROR_MEMORY_MALLOC_FAILED;
    return s->ws;
}

static const char *severity_zh(hegui_severity severity)
{
    switch (severity) {
    case HEGUI_SEVERITY_ERROR:
        return "错误";
    case HEGUI_SEVERITY_WARNING:
        return "警告";
    case HEGUI_SEVERITY_INFO:
        return "提示";
    }
    return "";
}

/* --- 汇总 --- */

static int rule_in_command(const hegui_run *run, const hegui_rule_def *def)
{
    if (run->command && strcmp(run->command, "validate") == 0)
        return strcmp(def->family, "survey") == 0;
    return 1;
}

static void kv(xlsx_ctx *x, xsheet *s, const char *key, const char *value)
{
    put_text(x, s, 0, key, x->bold);
    put_text_m(x, s, s->row, 1, value, NULL, 0); /* long values overflow to the right */
    s->row++;
}

static void write_summary(xlsx_ctx *x)
{
    static const char *const heads[] = {
        "规则",   "名称",         "级别",       "结果",
        "图斑数", "面积（公顷）", "面积（亩）", "低于最小面积未报告"};
    const hegui_run *run = x->run;
    size_t count, i, k, errors, warnings, infos, all = 0;
    const hegui_rule_def *catalogue = hegui_rules_catalogue(&count);
    xsheet s;
    lxw_row_t header;
    char text[512], when[32];
    int passed = hegui_run_passed(run);

    if (!add_sheet(x, &s, "汇总"))
        return;
    hegui_run_counts(run, &errors, &warnings, &infos);
    snprintf(text, sizeof(text), "结论：%s（错误 %zu，警告 %zu，提示 %zu）",
             passed ? "通过" : "不通过", errors, warnings, infos);
    put_text_m(x, &s, 0, 0, text, x->bold, 0);
    s.row = 2;
    header = s.row;
    put_header(x, &s, heads, (int)(sizeof(heads) / sizeof(heads[0])));
    for (i = 0; i < count; i++) {
        const hegui_rule_config *rc =
            run->config ? hegui_config_rule(run->config, catalogue[i].id) : NULL;
        size_t n = 0;
        double area = 0;
        int has_area = 0, idx = (int)i;
        for (k = 0; k < run->findings.count; k++) {
            if (strcmp(run->findings.items[k].rule, catalogue[i].id) == 0) {
                n++;
                has_area |= run->findings.items[k].has_area;
            }
        }
        if (n == 0 && (!rc || !rc->enabled || !rule_in_command(run, &catalogue[i])))
            continue;
        for (k = 0; run->totals && k < run->total_count; k++) {
            if (strcmp(run->totals[k].rule, catalogue[i].id) == 0)
                area += run->totals[k].area_m2;
        }
        all += n;
        put_text(x, &s, 0, catalogue[i].id, NULL);
        put_text(x, &s, 1, catalogue[i].title_zh, NULL);
        put_text(x, &s, 2, rc ? severity_zh(rc->severity) : "", NULL);
        /* a rule whose input layer is missing did not pass: it did not run */
        put_text(x, &s, 3,
                 idx < 32 && run->not_checked[idx] ? "未检查（缺少输入图层）"
                 : n                               ? "有问题"
                                                   : "通过",
                 NULL);
        put_int(x, &s, 4, (long long)n, x->count);
        if (has_area) {
            put_number(x, &s, 5, hegui_area_ha(area), 4, x->ha);
            put_number(x, &s, 6, hegui_area_mu(area), 2, x->mu);
        }
        if (idx < 32 && run->suppressed[idx])
            put_int(x, &s, 7, (long long)run->suppressed[idx], x->count);
        s.row++;
    }
    finish_table(x, &s, header, s.row - 1, 8);
    put_text(x, &s, 0, "合计", x->bold);
    put_int(x, &s, 4, (long long)all, x->count_total);
    s.row += 2;

    put_text(x, &s, 0, "检查依据", x->head);
    put_text(x, &s, 1, "", x->head);
    s.row++;
    report_format_utc(when, sizeof(when), run->timestamp);
    kv(x, &s, "命令", run->command ? run->command : "");
    kv(x, &s, "生成时间（UTC）", when);
    kv(x, &s, "规则文件", run->rules_source);
    kv(x, &s, "规则 SHA-256", run->rules_sha256);
    if (run->working_crs.epsg)
        snprintf(text, sizeof(text), "EPSG:%d %s", run->working_crs.epsg, run->working_crs.name);
    else
        snprintf(text, sizeof(text), "%s", run->working_crs.name);
    kv(x, &s, "工作坐标系", text);
    kv(x, &s, "判定面积",
       run->area_method == HEGUI_AREA_ELLIPSOIDAL ? "椭球面积 (ellipsoidal)" : "平面面积 (planar)");
    kv(x, &s, "不通过级别", run->fail_on ? hegui_severity_name(run->fail_on) : "never");
    snprintf(text, sizeof(text), "%zu 个图层（见“输入数据”）", run->input_count);
    kv(x, &s, "输入数据", text);
    snprintf(text, sizeof(text), "%zu", run->zone_count);
    kv(x, &s, "开发区数", text);
    snprintf(text, sizeof(text), "hegui %s, GDAL %s, GEOS %s, PROJ %s", hegui_version(),
             run->gdal_version ? run->gdal_version : "", run->geos_version ? run->geos_version : "",
             run->proj_version ? run->proj_version : "");
    kv(x, &s, "版本", text);
    kv(x, &s, "说明",
       "面积：公顷 4 位小数、亩 2 位小数，均由未经舍入的平方米值换算；合计按合并后的几何计算，"
       "可能与各行舍入值之和略有差异。");
    set_widths(x, &s);
}

/* --- 开发区×规则 --- */

/* Position of rule id in the catalogue (survey, conflict, industry). */
static size_t catalogue_position(const char *id)
{
    size_t count;
    const hegui_rule_def *catalogue = hegui_rules_catalogue(&count);
    const hegui_rule_def *def = hegui_rules_find(id);
    return def ? (size_t)(def - catalogue) : count;
}

/* Zone code, then the rule's catalogue position. */
static int compare_totals_by_zone(const void *a, const void *b)
{
    const hegui_run_total *x = *(const hegui_run_total *const *)a;
    const hegui_run_total *y = *(const hegui_run_total *const *)b;
    size_t px, py;
    int c = strcmp(x->zone_code, y->zone_code);
    if (c)
        return c;
    px = catalogue_position(x->rule);
    py = catalogue_position(y->rule);
    return px < py ? -1 : (px > py ? 1 : strcmp(x->rule, y->rule));
}

static void write_zone_rules(xlsx_ctx *x)
{
    static const char *const heads[] = {"开发区代码",   "开发区名称", "规则",
                                        "规则名称",     "图斑数",     "面积（平方米）",
                                        "面积（公顷）", "面积（亩）", "占开发区比例"};
    const hegui_run *run = x->run;
    const hegui_run_total **order = NULL;
    size_t i, k, count;
    const hegui_rule_def *catalogue = hegui_rules_catalogue(&count);
    xsheet s;

    if (!add_sheet(x, &s, "开发区×规则"))
        return;
    put_header(x, &s, heads, (int)(sizeof(heads) / sizeof(heads[0])));
    order = hegui_calloc(run->total_count + 1, sizeof(*order));
    if (!order) {
        x->rc = HEGUI_ENOMEM;
        return;
    }
    for (i = 0; i < run->total_count; i++)
        order[i] = &run->totals[i];
    qsort(order, run->total_count, sizeof(*order), compare_totals_by_zone);
    for (i = 0; i < run->total_count; i++) {
        const hegui_run_total *t = order[i];
        put_text(x, &s, 0, t->zone_code, NULL);
        put_text(x, &s, 1, t->zone_name, NULL);
        put_text(x, &s, 2, t->rule, NULL);
        put_text(x, &s, 3, report_rule_title(t->rule, HEGUI_LANG_ZH), NULL);
        put_int(x, &s, 4, (long long)t->count, x->count);
        put_number(x, &s, 5, t->area_m2, 2, x->mu);
        put_number(x, &s, 6, hegui_area_ha(t->area_m2), 4, x->ha);
        put_number(x, &s, 7, hegui_area_mu(t->area_m2), 2, x->mu);
        put_share(x, &s, 8, t->share_of_zone, x->pct);
        s.row++;
    }
    hegui_free(order);
    finish_table(x, &s, 0, s.row - 1, 9);
    /* each rule over all zones: the sum of its unrounded zone totals */
    s.row++;
    for (k = 0; k < count; k++) {
        size_t n = 0, rows = 0;
        double area = 0;
        for (i = 0; i < run->total_count; i++) {
            if (strcmp(run->totals[i].rule, catalogue[k].id) == 0) {
                n += run->totals[i].count;
                area += run->totals[i].area_m2;
                rows++;
            }
        }
        if (!rows)
            continue;
        put_text(x, &s, 0, "合计", x->bold);
        put_text(x, &s, 1, "全部开发区", x->bold);
        put_text(x, &s, 2, catalogue[k].id, x->bold);
        put_text(x, &s, 3, catalogue[k].title_zh, x->bold);
        put_int(x, &s, 4, (long long)n, x->count_total);
        put_number(x, &s, 5, area, 2, x->mu_total);
        put_number(x, &s, 6, hegui_area_ha(area), 4, x->ha_total);
        put_number(x, &s, 7, hegui_area_mu(area), 2, x->mu_total);
        s.row++;
    }
    set_widths(x, &s);
}

/* --- 冲突图斑清单 --- */

static void put_fid(xlsx_ctx *x, xsheet *s, int col, int64_t fid)
{
    if (fid >= 0)
        put_int(x, s, col, (long long)fid, x->count);
    else
        put_text(x, s, col, "", NULL);
}

static void write_findings(xlsx_ctx *x)
{
    static const char *const heads[] = {"序号",
                                        "规则",
                                        "规则名称",
                                        "级别",
                                        "开发区代码",
                                        "开发区名称",
                                        "区块",
                                        "图层",
                                        "要素号",
                                        "关键属性",
                                        "对象图层",
                                        "对象要素号",
                                        "对象属性",
                                        "面积（平方米）",
                                        "面积（公顷）",
                                        "面积（亩）",
                                        "椭球面积（平方米）",
                                        "占开发区比例",
                                        "说明"};
    const hegui_run *run = x->run;
    size_t i, rows = run->findings.count;
    xsheet s;

    if (!add_sheet(x, &s, "冲突图斑清单"))
        return;
    put_header(x, &s, heads, (int)(sizeof(heads) / sizeof(heads[0])));
    if (rows > EXCEL_ROWS - 2)
        rows = EXCEL_ROWS - 2; /* the header and the note */
    for (i = 0; i < rows && x->rc == HEGUI_OK; i++) {
        const hegui_finding *f = &run->findings.items[i];
        put_int(x, &s, 0, (long long)(i + 1), x->count);
        put_text(x, &s, 1, f->rule, NULL);
        put_text(x, &s, 2, report_rule_title(f->rule, HEGUI_LANG_ZH), NULL);
        put_text(x, &s, 3, severity_zh(f->severity), NULL);
        put_text(x, &s, 4, f->zone_code, NULL);
        put_text(x, &s, 5, f->zone_name, NULL);
        put_text(x, &s, 6, f->block, NULL);
        put_text(x, &s, 7, f->layer, NULL);
        put_fid(x, &s, 8, f->fid);
        put_text(x, &s, 9, f->subject_attrs, NULL);
        put_text(x, &s, 10, f->other_layer, NULL);
        put_fid(x, &s, 11, f->other_fid);
        put_text(x, &s, 12, f->other_attrs, NULL);
        if (f->has_area) {
            put_number(x, &s, 13, f->area_m2, 2, x->mu);
            put_number(x, &s, 14, hegui_area_ha(f->area_m2), 4, x->ha);
            put_number(x, &s, 15, hegui_area_mu(f->area_m2), 2, x->mu);
            put_number(x, &s, 16, f->area_ellipsoidal_m2, 2, x->mu);
        }
        put_share(x, &s, 17, f->share_of_zone, x->pct);
        put_text(x, &s, 18, x->lang == HEGUI_LANG_EN ? f->message_en : f->message_zh, NULL);
        s.row++;
    }
    finish_table(x, &s, 0, s.row - 1, 19);
    if (rows < run->findings.count) {
        char note[200];
        snprintf(note, sizeof(note),
                 "另有 %zu 条结果超出 Excel 的行数上限，见 summary.json 或 findings.csv",
                 run->findings.count - rows);
        put_text_m(x, &s, s.row, 0, note, x->bold, 0);
    }
    set_widths(x, &s);
}

/* --- 用地结构 --- */

static const char *verdict_zh(const char *verdict)
{
    if (strcmp(verdict, "allowed") == 0)
        return "允许";
    if (strcmp(verdict, "warning") == 0)
        return "警告";
    if (strcmp(verdict, "conflict") == 0)
        return "冲突";
    return verdict;
}

static void write_landuse(xlsx_ctx *x)
{
    static const char *const heads[] = {
        "开发区代码",     "开发区名称",   "地类代码",   "地类名称",           "判定",
        "面积（平方米）", "面积（公顷）", "面积（亩）", "椭球面积（平方米）", "占开发区比例"};
    const hegui_run *run = x->run;
    size_t i, z;
    xsheet s;

    if (!add_sheet(x, &s, "用地结构"))
        return;
    put_header(x, &s, heads, (int)(sizeof(heads) / sizeof(heads[0])));
    for (i = 0; run->landuse && i < run->landuse_count; i++) {
        const hegui_run_landuse *l = &run->landuse[i];
        put_text(x, &s, 0, l->zone_code, NULL);
        put_text(x, &s, 1, l->zone_name, NULL);
        put_text(x, &s, 2, l->class_code, NULL);
        put_text(x, &s, 3, l->class_name, NULL);
        put_text(x, &s, 4, verdict_zh(l->verdict), NULL);
        put_number(x, &s, 5, l->area_m2, 2, x->mu);
        put_number(x, &s, 6, hegui_area_ha(l->area_m2), 4, x->ha);
        put_number(x, &s, 7, hegui_area_mu(l->area_m2), 2, x->mu);
        put_number(x, &s, 8, l->area_ellipsoidal_m2, 2, x->mu);
        put_share(x, &s, 9, l->share_of_zone, x->pct);
        s.row++;
    }
    finish_table(x, &s, 0, s.row - 1, 10);
    if (!run->landuse_count) {
        put_text_m(x, &s, s.row + 1, 0,
                   strcmp(run->command ? run->command : "", "validate") == 0
                       ? "validate 只检查测量成果，不统计用地结构"
                       : "没有用地用海规划图层（landuse），未统计用地结构",
                   NULL, 0);
        set_widths(x, &s);
        return;
    }
    /* each zone's total: the sum of its classes, from unrounded values */
    s.row++;
    for (z = 0; z < run->zone_count; z++) {
        double m2 = 0, ell = 0, share = 0;
        size_t rows = 0;
        for (i = 0; i < run->landuse_count; i++) {
            if (strcmp(run->landuse[i].zone_code, run->zones[z].code) != 0)
                continue;
            m2 += run->landuse[i].area_m2;
            ell += run->landuse[i].area_ellipsoidal_m2;
            share += run->landuse[i].share_of_zone;
            rows++;
        }
        if (!rows)
            continue;
        put_text(x, &s, 0, run->zones[z].code, x->bold);
        put_text(x, &s, 1, run->zones[z].name, x->bold);
        put_text(x, &s, 2, "合计", x->bold);
        put_number(x, &s, 5, m2, 2, x->mu_total);
        put_number(x, &s, 6, hegui_area_ha(m2), 4, x->ha_total);
        put_number(x, &s, 7, hegui_area_mu(m2), 2, x->mu_total);
        put_number(x, &s, 8, ell, 2, x->mu_total);
        put_number(x, &s, 9, share, 6, x->pct_total);
        s.row++;
    }
    set_widths(x, &s);
}

/* --- 输入数据 --- */

static void write_inputs(xlsx_ctx *x)
{
    static const char *const heads[] = {"文件",   "图层",   "角色", "角色名称",
                                        "要素数", "坐标系", "编码", "SHA-256"};
    const hegui_run *run = x->run;
    size_t i;
    xsheet s;

    if (!add_sheet(x, &s, "输入数据"))
        return;
    put_header(x, &s, heads, (int)(sizeof(heads) / sizeof(heads[0])));
    for (i = 0; i < run->input_count; i++) {
        const hegui_run_input *in = &run->inputs[i];
        hegui_role role = HEGUI_ROLE_NONE;
        put_text(x, &s, 0, in->path, NULL);
        put_text(x, &s, 1, in->layer, NULL);
        put_text(x, &s, 2, in->role, NULL);
        put_text(x, &s, 3,
                 hegui_role_parse(&role, in->role) == HEGUI_OK && role != HEGUI_ROLE_NONE
                     ? hegui_role_name_zh(role)
                     : "",
                 NULL);
        put_int(x, &s, 4, (long long)in->feature_count, x->count);
        put_text(x, &s, 5, in->crs, NULL);
        put_text(x, &s, 6, in->encoding, NULL);
        put_text(x, &s, 7, in->sha256, NULL);
        s.row++;
    }
    finish_table(x, &s, 0, s.row - 1, 8);
    set_widths(x, &s);
}

/* --- 亩均效益 --- */

static void write_intensity(xlsx_ctx *x)
{
    static const char *const heads[] = {"开发区代码",
                                        "开发区名称",
                                        "企业",
                                        "行业代码",
                                        "用地面积（亩）",
                                        "投资（万元）",
                                        "产值（万元）",
                                        "税收（万元）",
                                        "亩均投资（万元/亩）",
                                        "亩均产值（万元/亩）",
                                        "亩均税收（万元/亩）",
                                        "区内排名"};
    const hegui_run *run = x->run;
    size_t i;
    xsheet s;

    if (!add_sheet(x, &s, "亩均效益"))
        return;
    put_header(x, &s, heads, (int)(sizeof(heads) / sizeof(heads[0])));
    for (i = 0; i < run->intensity_count; i++) {
        const hegui_run_intensity *r = &run->intensity[i];
        int zone_row = !*r->enterprise;
        put_text(x, &s, 0, r->zone_code, zone_row ? x->bold : NULL);
        put_text(x, &s, 1, r->zone_name, zone_row ? x->bold : NULL);
        put_text(x, &s, 2, zone_row ? "（开发区合计）" : r->enterprise, zone_row ? x->bold : NULL);
        put_text(x, &s, 3, r->industry_code, NULL);
        put_number(x, &s, 4, hegui_area_mu(r->land_m2), 2, zone_row ? x->mu_total : x->mu);
        put_number(x, &s, 5, r->investment, 2, zone_row ? x->mu_total : x->mu);
        put_number(x, &s, 6, r->output, 2, zone_row ? x->mu_total : x->mu);
        put_number(x, &s, 7, r->tax, 2, zone_row ? x->mu_total : x->mu);
        put_number(x, &s, 8, r->investment_per_mu, 4, zone_row ? x->ha_total : x->ha);
        put_number(x, &s, 9, r->output_per_mu, 4, zone_row ? x->ha_total : x->ha);
        put_number(x, &s, 10, r->tax_per_mu, 4, zone_row ? x->ha_total : x->ha);
        if (r->rank_in_zone > 0)
            put_int(x, &s, 11, r->rank_in_zone, x->count);
        s.row++;
    }
    finish_table(x, &s, 0, s.row - 1, 12);
    set_widths(x, &s);
}

/* --- the workbook --- */

static lxw_format *number_format(xlsx_ctx *x, const char *code, int bold)
{
    lxw_format *f = workbook_add_format(x->wb);
    if (!f) {
        check(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return NULL;
    }
    format_set_num_format(f, code);
    if (bold)
        format_set_bold(f);
    return f;
}

static void add_formats(xlsx_ctx *x)
{
    x->head = workbook_add_format(x->wb);
    x->bold = workbook_add_format(x->wb);
    if (!x->head || !x->bold) {
        check(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    format_set_bold(x->head);
    format_set_bg_color(x->head, 0xD9E1F2);
    format_set_border(x->head, LXW_BORDER_THIN);
    format_set_bold(x->bold);
    x->ha = number_format(x, "0.0000", 0);
    x->mu = number_format(x, "0.00", 0);
    x->pct = number_format(x, "0.0%", 0);
    x->count = number_format(x, "0", 0);
    x->ha_total = number_format(x, "0.0000", 1);
    x->mu_total = number_format(x, "0.00", 1);
    x->pct_total = number_format(x, "0.0%", 1);
    x->count_total = number_format(x, "0", 1);
}

int report_xlsx_write_path(const char *path, const hegui_run *run,
                           const hegui_report_options *options)
{
    lxw_workbook_options wopt;
    lxw_doc_properties props;
    xlsx_ctx x;
    lxw_error closed;
    char comments[200];

    if (!options)
        options = report_default_options();
    memset(&x, 0, sizeof(x));
    memset(&wopt, 0, sizeof(wopt));
    memset(&props, 0, sizeof(props));
    x.run = run;
    x.lang = options->document_lang;
    x.wb = workbook_new_opt(path, &wopt);
    if (!x.wb)
        return hegui_error_set(HEGUI_EOUTPUT, "report.xlsx: libxlsxwriter cannot create %s", path);
    snprintf(comments, sizeof(comments), "hegui %s", hegui_version());
    props.title = (char *)"开发区多规合一检查报告";
    props.subject = (char *)"多规合一 / multi-plan conformance";
    props.author = (char *)"hegui";
    props.comments = comments;
    /* the document's time is the run's (libxlsxwriter takes 0 as "now") */
    props.created = (time_t)(run->timestamp > 0 ? run->timestamp : 1);
    check(&x, workbook_set_properties(x.wb, &props));
    add_formats(&x);
    if (x.err == LXW_NO_ERROR)
        write_summary(&x);
    if (x.err == LXW_NO_ERROR && x.rc == HEGUI_OK)
        write_zone_rules(&x);
    if (x.err == LXW_NO_ERROR && x.rc == HEGUI_OK)
        write_findings(&x);
    if (x.err == LXW_NO_ERROR && x.rc == HEGUI_OK)
        write_landuse(&x);
    if (x.err == LXW_NO_ERROR && x.rc == HEGUI_OK)
        write_inputs(&x);
    if (x.err == LXW_NO_ERROR && x.rc == HEGUI_OK && run->intensity_count > 0)
        write_intensity(&x);
    /* closing writes the file and frees the workbook, also after a failure
     * (the caller removes the partial file) */
    closed = workbook_close(x.wb);
    if (x.rc < 0)
        return x.rc == HEGUI_ENOMEM ? hegui_error_set(HEGUI_ENOMEM, "out of memory") : x.rc;
    if (x.err != LXW_NO_ERROR)
        return hegui_error_set(HEGUI_EOUTPUT, "report.xlsx: %s", lxw_strerror(x.err));
    if (closed != LXW_NO_ERROR)
        return hegui_error_set(HEGUI_EOUTPUT, "report.xlsx: %s", lxw_strerror(closed));
    return HEGUI_OK;
}

int report_xlsx_write(FILE *out, const hegui_run *run, const hegui_report_options *options)
{
    const char *dir = getenv("TMPDIR");
    char *tmp = NULL;
    FILE *in = NULL;
    char chunk[65536];
    size_t n;
    int fd, rc;

    tmp = hegui_sprintf("%s/hegui-report.xlsx.XXXXXX", dir && *dir ? dir : "/tmp");
    if (!tmp)
        return HEGUI_ENOMEM;
    fd = mkstemp(tmp);
    if (fd < 0) {
        rc = hegui_error_set(HEGUI_EOUTPUT, "report.xlsx: cannot create a temporary file: %s",
                             strerror(errno));
        hegui_free(tmp);
        return rc;
    }
    (void)close(fd);
    rc = report_xlsx_write_path(tmp, run, options);
    if (rc == HEGUI_OK) {
        in = fopen(tmp, "rb");
        if (!in)
            rc = hegui_error_set(HEGUI_EOUTPUT, "report.xlsx: %s", strerror(errno));
    }
    while (rc == HEGUI_OK && (n = fread(chunk, 1, sizeof(chunk), in)) > 0) {
        if (fwrite(chunk, 1, n, out) != n)
            rc = hegui_error_set(HEGUI_EOUTPUT, "write error: %s", strerror(errno));
    }
    if (rc == HEGUI_OK && ferror(in))
        rc = hegui_error_set(HEGUI_EOUTPUT, "report.xlsx: read error");
    if (in)
        fclose(in);
    (void)unlink(tmp);
    hegui_free(tmp);
    return rc;
}
