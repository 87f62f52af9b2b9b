/*
 * report_console.c - the human-readable report on the terminal.
 *
 * First the verdict line:
 *   zh  结论：不通过（错误 3，警告 1，提示 0）
 *   en  verdict: FAIL (3 errors, 1 warning, 0 info)
 * and, when an enabled rule could not run, the line
 *   en  not checked (an input layer is missing): C01, C02
 * then (unless quiet) one table per rule that has findings, in the order
 * the rules first occur in the run's findings: a header with the rule id,
 * title and count, column headings, and one row per finding (severity,
 * zone code, zone name / block, layer:fid, 公顷 and 亩 when some row has an
 * area, message). Columns are aligned by display width (CJK characters take
 * two columns). Control characters in data are shown as spaces, so
 * attribute text cannot move the cursor or inject escape sequences. ANSI
 * colours only when options->color.
 */
#include <string.h>

#include "hegui/config.h"
#include "report/report_internal.h"

#define ANSI_RED "\x1b[31m"
#define ANSI_YELLOW "\x1b[33m"
#define ANSI_BOLD "\x1b[1m"
#define ANSI_BOLD_RED "\x1b[1;31m"
#define ANSI_BOLD_GREEN "\x1b[1;32m"
#define ANSI_RESET "\x1b[0m"

/* The line under the column headings is at most this wide. */
#define CONSOLE_RULE_MAX 80

enum { COL_SEVERITY, COL_ZONE, COL_NAME, COL_LAYER, COL_HA, COL_MU, COL_MESSAGE, COL_COUNT };

static const char *const headings_zh[COL_COUNT] = {"级别", "开发区", "名称 / 区块", "图层:要素",
                                                   "公顷", "亩",     "说明"};
static const char *const headings_en[COL_COUNT] = {"severity", "zone", "name / block", "layer:fid",
                                                   "ha",       "mu",   "message"};

static const char *severity_label(hegui_severity severity, hegui_lang lang)
{
    switch (severity) {
    case HEGUI_SEVERITY_ERROR:
        return lang == HEGUI_LANG_EN ? "error" : "错误";
    case HEGUI_SEVERITY_WARNING:
        return lang == HEGUI_LANG_EN ? "warning" : "警告";
    case HEGUI_SEVERITY_INFO:
        return lang == HEGUI_LANG_EN ? "info" : "提示";
    }
    return "?";
}

static const char *severity_color(hegui_severity severity)
{
    switch (severity) {
    case HEGUI_SEVERITY_ERROR:
        return ANSI_RED;
    case HEGUI_SEVERITY_WARNING:
        return ANSI_YELLOW;
    case HEGUI_SEVERITY_INFO:
        return NULL;
    }
    return NULL;
}

/* Appends s with every control character (C0, DEL, C1) shown as a space. */
static void put_clean(hegui_buf *buf, const char *s)
{
    uint32_t cp;
    size_t n;
    while (s && (n = report_utf8_next(s, &cp)) > 0) {
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
            hegui_buf_putc(buf, ' ');
        else if (cp == 0xFFFD && n == 1)
            hegui_buf_puts(buf, "\xEF\xBF\xBD"); /* an invalid byte */
        else
            hegui_buf_put(buf, s, n);
        s += n;
    }
}

static void put_spaces(hegui_buf *buf, size_t n)
{
    while (n-- > 0)
        hegui_buf_putc(buf, ' ');
}

/* The rules that could not run (hegui_run.not_checked), on one line under
 * the verdict, even when quiet: their silence is not a pass. */
static void put_not_checked(hegui_buf *buf, const hegui_run *run, hegui_lang lang)
{
    size_t n, i, shown = 0;
    const hegui_rule_def *defs = hegui_rules_catalogue(&n);
    for (i = 0; i < n && i < 32; i++) {
        if (!run->not_checked[i])
            continue;
        if (shown++ == 0)
            hegui_buf_puts(buf, lang == HEGUI_LANG_EN ? "not checked (an input layer is missing): "
                                                      : "未检查（缺少输入图层）：");
        else
            hegui_buf_puts(buf, lang == HEGUI_LANG_EN ? ", " : "、");
        hegui_buf_puts(buf, defs[i].id);
    }
    if (shown)
        hegui_buf_putc(buf, '\n');
}

/* The verdict line, with its newline, and the rules not checked. */
static void put_verdict(hegui_buf *buf, const hegui_run *run, const hegui_report_options *opt)
{
    size_t errors, warnings, infos;
    int passed = hegui_run_passed(run);
    const char *color = opt->color ? (passed ? ANSI_BOLD_GREEN : ANSI_BOLD_RED) : "";
    const char *reset = opt->color ? ANSI_RESET : "";

    hegui_run_counts(run, &errors, &warnings, &infos);
    if (opt->lang == HEGUI_LANG_EN)
        hegui_buf_printf(buf, "verdict: %s%s%s (%zu error%s, %zu warning%s, %zu info)\n", color,
                         passed ? "PASS" : "FAIL", reset, errors, errors == 1 ? "" : "s", warnings,
                         warnings == 1 ? "" : "s", infos);
    else
        hegui_buf_printf(buf, "结论：%s%s%s（错误 %zu，警告 %zu，提示 %zu）\n", color,
                         passed ? "通过" : "不通过", reset, errors, warnings, infos);
    put_not_checked(buf, run, opt->lang);
}

/* Fills cells[] (emptied first) with the texts of f's row. */
static void row_cells(hegui_buf cells[COL_COUNT], const hegui_finding *f, hegui_lang lang)
{
    int i;
    for (i = 0; i < COL_COUNT; i++) {
        cells[i].len = 0;
        hegui_buf_puts(&cells[i], ""); /* allocates, so cstr is never stale */
    }
    hegui_buf_puts(&cells[COL_SEVERITY], severity_label(f->severity, lang));
    put_clean(&cells[COL_ZONE], *f->zone_code ? f->zone_code : "-");
    put_clean(&cells[COL_NAME], f->zone_name);
    if (*f->block) {
        if (*f->zone_name)
            hegui_buf_puts(&cells[COL_NAME], " / ");
        put_clean(&cells[COL_NAME], f->block);
    }
    if (!cells[COL_NAME].len)
        hegui_buf_putc(&cells[COL_NAME], '-');
    put_clean(&cells[COL_LAYER], *f->layer ? f->layer : "-");
    if (f->fid >= 0)
        hegui_buf_printf(&cells[COL_LAYER], ":%lld", (long long)f->fid);
    if (f->has_area) {
        char text[64];
        report_format_fixed(text, sizeof(text), hegui_area_ha(f->area_m2), 4);
        hegui_buf_puts(&cells[COL_HA], text);
        report_format_fixed(text, sizeof(text), hegui_area_mu(f->area_m2), 2);
        hegui_buf_puts(&cells[COL_MU], text);
    }
    put_clean(&cells[COL_MESSAGE], lang == HEGUI_LANG_EN ? f->message_en : f->message_zh);
}

/* One aligned cell: left-aligned text, right-aligned numbers, optional
 * colour around the text only (padding is measured without it). */
static void put_cell(hegui_buf *buf, const char *text, size_t width, int right, const char *color)
{
    size_t w = report_display_width(text);
    size_t pad = width > w ? width - w : 0;
    if (right)
        put_spaces(buf, pad);
    if (color)
        hegui_buf_puts(buf, color);
    hegui_buf_puts(buf, text);
    if (color)
        hegui_buf_puts(buf, ANSI_RESET);
    if (!right)
        put_spaces(buf, pad);
}

/*
 * Writes the table of rule: the findings with that rule id, in run order.
 * cells is scratch space.
 */
static int put_table(hegui_buf *buf, hegui_buf cells[COL_COUNT], const hegui_run *run,
                     const char *rule, const hegui_report_options *opt)
{
    const char *const *headings = opt->lang == HEGUI_LANG_EN ? headings_en : headings_zh;
    const char *title = report_rule_title(rule, opt->lang);
    size_t width[COL_COUNT];
    size_t i, rows = 0, line_width = 0;
    int c, has_area = 0;

    /* Pass 1: column widths (headings count too) and whether to show areas. */
    for (c = 0; c < COL_COUNT; c++)
        width[c] = report_display_width(headings[c]);
    for (i = 0; i < run->findings.count; i++) {
        const hegui_finding *f = &run->findings.items[i];
        if (strcmp(f->rule, rule) != 0)
            continue;
        rows++;
        has_area |= f->has_area;
        row_cells(cells, f, opt->lang);
        for (c = 0; c < COL_COUNT; c++) {
            size_t w;
            if (cells[c].failed)
                return HEGUI_ENOMEM;
            w = report_display_width(hegui_buf_cstr(&cells[c]));
            if (w > width[c])
                width[c] = w;
        }
    }

    /* Header */
    if (opt->color)
        hegui_buf_puts(buf, ANSI_BOLD);
    hegui_buf_puts(buf, rule);
    if (*title) {
        hegui_buf_putc(buf, ' ');
        hegui_buf_puts(buf, title);
    }
    if (opt->lang == HEGUI_LANG_EN)
        hegui_buf_printf(buf, " (%zu)", rows);
    else
        hegui_buf_printf(buf, "（%zu）", rows);
    if (opt->color)
        hegui_buf_puts(buf, ANSI_RESET);
    hegui_buf_putc(buf, '\n');

    /* Column headings and a rule line */
    for (c = 0; c < COL_COUNT; c++) {
        if (!has_area && (c == COL_HA || c == COL_MU))
            continue;
        if (c == COL_MESSAGE) {
            hegui_buf_puts(buf, headings[c]);
            line_width += width[c];
        } else {
            put_cell(buf, headings[c], width[c], c == COL_HA || c == COL_MU, NULL);
            hegui_buf_puts(buf, "  ");
            line_width += width[c] + 2;
        }
    }
    hegui_buf_putc(buf, '\n');
    /* the rule line spans the columns, but not a long message */
    if (line_width > CONSOLE_RULE_MAX)
        line_width = CONSOLE_RULE_MAX;
    for (i = 0; i < line_width; i++)
        hegui_buf_putc(buf, '-');
    hegui_buf_putc(buf, '\n');

    /* Pass 2: the rows */
    for (i = 0; i < run->findings.count; i++) {
        const hegui_finding *f = &run->findings.items[i];
        if (strcmp(f->rule, rule) != 0)
            continue;
        row_cells(cells, f, opt->lang);
        for (c = 0; c < COL_COUNT; c++) {
            const char *text = hegui_buf_cstr(&cells[c]);
            if (cells[c].failed)
                return HEGUI_ENOMEM;
            if (!has_area && (c == COL_HA || c == COL_MU))
                continue;
            if (c == COL_MESSAGE) {
                hegui_buf_puts(buf, text);
                continue;
            }
            put_cell(buf, text, width[c], c == COL_HA || c == COL_MU,
                     c == COL_SEVERITY && opt->color ? severity_color(f->severity) : NULL);
            hegui_buf_puts(buf, "  ");
        }
        hegui_buf_putc(buf, '\n');
    }
    return buf->failed ? HEGUI_ENOMEM : HEGUI_OK;
}

/* The tables, one per rule with findings, in order of first occurrence
 * (the run is sorted by rule, but the tables must not depend on it). */
static int put_tables(FILE *out, hegui_buf *buf, const hegui_run *run,
                      const hegui_report_options *options)
{
    int rc = HEGUI_OK;
    hegui_buf cells[COL_COUNT];
    const char **rules = NULL;
    size_t rule_count = 0, i, j;
    int c;

    memset(cells, 0, sizeof(cells));
    rules = hegui_calloc(run->findings.count, sizeof(*rules));
    if (!rules) {
        rc = HEGUI_ENOMEM;
        goto done;
    }
    for (i = 0; i < run->findings.count; i++) {
        const char *rule = run->findings.items[i].rule;
        for (j = 0; j < rule_count && strcmp(rules[j], rule) != 0; j++)
            ;
        if (j == rule_count)
            rules[rule_count++] = rule;
    }
    for (i = 0; i < rule_count; i++) {
        hegui_buf_putc(buf, '\n');
        if ((rc = put_table(buf, cells, run, rules[i], options)) < 0)
            goto done;
        if ((rc = report_flush_some(out, buf)) < 0)
            goto done;
    }

done:
    for (c = 0; c < COL_COUNT; c++)
        hegui_buf_release(&cells[c]);
    hegui_free(rules);
    return rc;
}

int report_console_write(FILE *out, const hegui_run *run, const hegui_report_options *options)
{
    int rc = HEGUI_OK;
    hegui_buf buf = HEGUI_BUF_INIT;

    if (!options)
        options = report_default_options();
    put_verdict(&buf, run, options);
    if (!options->quiet && run->findings.count > 0) {
        if ((rc = put_tables(out, &buf, run, options)) < 0)
            goto done;
    }
    rc = report_flush(out, &buf);

done:
    hegui_buf_release(&buf);
    return rc;
}
