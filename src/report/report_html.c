/*
 * report_html.c - report.html: one self-contained page for people, to read
 * on screen or print on A4 for a director.
 *
 * Layout: the verdict and the summary table (per rule: count, 公顷, 亩)
 * first, then the run (inputs, rules, working CRS), then one section per
 * zone (run->zones): an inline SVG map of the zone's blocks with the
 * findings drawn in their rule's colour (the colours of findings.gpkg),
 * a legend, a scale bar, a north arrow and the CRS; a detail map per block
 * that has findings (zones of several blocks); then the zone's tables:
 * blocks, totals per rule, land-use structure, 亩均 intensity, and every
 * finding. Findings without a zone come last.
 *
 * Self-contained: no script, no stylesheet, font or image fetched from
 * anywhere; the CSS is inline and uses the system's CJK fonts. Every text
 * from the run is HTML-escaped. Chinese unless options->document_lang is
 * English. Print CSS: A4, a page break before each zone.
 *
 * Maps: geometry comes from the findings' and blocks' WKT (wkt_svg.c, no
 * GEOS). Simplification is for display only: the tolerance starts at one
 * pixel and doubles until the map has at most REPORT_HTML_MAP_VERTICES
 * vertices; a feature that still does not fit is left out and the caption
 * says how many were. Constraint layers (farmland, red line …) are not part
 * of the run, so they are not drawn.
 *
 * Numbers as in summary.json (公顷 4 decimals, 亩 2, from the unrounded m2);
 * the same run gives the same bytes.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hegui/config.h"
#include "report/report_internal.h"

/* SVG geometry of a map, in viewBox pixels. */
#define MAP_WIDTH 1000.0
#define BLOCK_MAP_WIDTH 540.0
#define MAP_MARGIN 12.0
#define MAP_MIN_HEIGHT 360.0
#define MAP_MAX_HEIGHT 680.0
#define LEGEND_ROW 22.0

typedef struct html_ctx {
    FILE *out;
    hegui_buf *buf;
    const hegui_run *run;
    hegui_lang lang;
    int rc; /* first failure of a flush or a writer */
    /* the findings by zone (index_findings), so that a zone's tables and
     * maps read its own findings, not every finding per block: group g's
     * finding indexes, in finding order, are by_zone[group_begin[g] ..
     * group_begin[g + 1]); group z < zone_count holds the findings whose
     * zone_code is zone z's code (a code listed twice: its first zone),
     * group zone_count those of no listed zone */
    size_t *by_zone, *group_begin;
    const hegui_run_zone **zone_order; /* the zones sorted by code, for the lookup */
} html_ctx;

/* The group of zone code code (the first zone listing it), or zone_count
 * when no zone has it; a binary search of the codes. */
static size_t group_of(const html_ctx *c, const char *code)
{
    size_t lo = 0, hi = c->run->zone_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(c->zone_order[mid]->code, code);
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->run->zone_count && strcmp(c->zone_order[lo]->code, code) == 0
               ? (size_t)(c->zone_order[lo] - c->run->zones)
               : c->run->zone_count;
}

/* Zones by code, then by position (the first of equal codes first). */
static int compare_zone_codes(const void *a, const void *b)
{
    const hegui_run_zone *x = *(const hegui_run_zone *const *)a;
    const hegui_run_zone *y = *(const hegui_run_zone *const *)b;
    int cmp = strcmp(x->code, y->code);
    return cmp ? cmp : (x > y) - (x < y);
}

/* Fills c's zone index (by_zone, group_begin, zone_order). */
static int index_findings(html_ctx *c)
{
    const hegui_run *run = c->run;
    size_t z, i, groups = run->zone_count + 1, *group = NULL, *fill = NULL;
    int rc = HEGUI_OK;
    c->zone_order = hegui_calloc(run->zone_count + 1, sizeof(*c->zone_order));
    c->group_begin = hegui_calloc(groups + 1, sizeof(size_t));
    c->by_zone = hegui_calloc(run->findings.count + 1, sizeof(size_t));
    group = hegui_calloc(run->findings.count + 1, sizeof(size_t));
    fill = hegui_calloc(groups, sizeof(size_t));
    if (!c->zone_order || !c->group_begin || !c->by_zone || !group || !fill) {
        rc = HEGUI_ENOMEM;
        goto done;
    }
    for (z = 0; z < run->zone_count; z++)
        c->zone_order[z] = &run->zones[z];
    if (run->zone_count > 1)
        qsort(c->zone_order, run->zone_count, sizeof(*c->zone_order), compare_zone_codes);
    for (i = 0; i < run->findings.count; i++) {
        group[i] = group_of(c, run->findings.items[i].zone_code);
        c->group_begin[group[i] + 1]++;
    }
    for (z = 0; z < groups; z++)
        c->group_begin[z + 1] += c->group_begin[z];
    for (i = 0; i < run->findings.count; i++)
        c->by_zone[c->group_begin[group[i]] + fill[group[i]]++] = i;
done:
    hegui_free(group);
    hegui_free(fill);
    return rc;
}

static void release_index(html_ctx *c)
{
    hegui_free(c->by_zone);
    hegui_free(c->group_begin);
    hegui_free((void *)c->zone_order);
}

/* The findings of zone code code (NULL: of no listed zone), as a range of
 * c->by_zone. */
static void zone_findings(const html_ctx *c, const char *code, size_t *begin, size_t *end)
{
    size_t g = code ? group_of(c, code) : c->run->zone_count;
    *begin = c->group_begin[g];
    *end = c->group_begin[g + 1];
}

/* The text in the page's language. */
static const char *tr(const html_ctx *c, const char *zh, const char *en)
{
    return c->lang == HEGUI_LANG_EN ? en : zh;
}

void report_html_escape(hegui_buf *out, const char *s)
{
    char *repaired = NULL;
    const char *p, *run_start;
    if (!s)
        return;
    if (!hegui_utf8_valid(s, strlen(s))) {
        repaired = hegui_utf8_repair(s, NULL);
        if (!repaired) {
            out->failed = 1; /* reported as HEGUI_ENOMEM by the flush */
            return;
        }
        s = repaired;
    }
    for (p = run_start = s; *p; p++) {
        const char *entity = NULL;
        unsigned char ch = (unsigned char)*p;
        switch (ch) {
        case '&':
            entity = "&amp;";
            break;
        case '<':
            entity = "&lt;";
            break;
        case '>':
            entity = "&gt;";
            break;
        case '"':
            entity = "&quot;";
            break;
        case '\'':
            entity = "&#39;";
            break;
        default:
            if ((ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || ch == 0x7F)
                entity = ""; /* dropped */
            break;
        }
        if (!entity)
            continue;
        hegui_buf_put(out, run_start, (size_t)(p - run_start));
        hegui_buf_puts(out, entity);
        run_start = p + 1;
    }
    hegui_buf_put(out, run_start, (size_t)(p - run_start));
    hegui_free(repaired);
}

/* --- small writers --- */

static void put(html_ctx *c, const char *s)
{
    hegui_buf_puts(c->buf, s);
}

static void put_text(html_ctx *c, const char *s)
{
    report_html_escape(c->buf, s);
}

/* Hands the buffer to the stream when it is large; remembers failures. */
static void flush_some(html_ctx *c)
{
    if (c->rc == HEGUI_OK)
        c->rc = report_flush_some(c->out, c->buf);
}

static void put_fixed(html_ctx *c, double value, int decimals)
{
    char text[512];
    if (!isfinite(value)) {
        put(c, "—");
        return;
    }
    report_format_fixed(text, sizeof(text), value, decimals);
    put(c, text);
}

static void put_ha(html_ctx *c, double area_m2)
{
    put_fixed(c, hegui_area_ha(area_m2), 4);
}

static void put_mu(html_ctx *c, double area_m2)
{
    put_fixed(c, hegui_area_mu(area_m2), 2);
}

/* A share of the zone as a percentage ("0.85%"), "—" when n/a. */
static void put_share(html_ctx *c, double share)
{
    if (!isfinite(share) || share < 0) {
        put(c, "—");
        return;
    }
    put_fixed(c, share * 100.0, 2);
    put(c, "%");
}

static const char *severity_label(const html_ctx *c, hegui_severity severity)
{
    switch (severity) {
    case HEGUI_SEVERITY_ERROR:
        return tr(c, "错误", "error");
    case HEGUI_SEVERITY_WARNING:
        return tr(c, "警告", "warning");
    case HEGUI_SEVERITY_INFO:
        return tr(c, "提示", "info");
    }
    return "";
}

/* "<th>…</th>" for each heading (zh, en pairs), in a <thead>. */
static void put_head(html_ctx *c, const char *const (*headings)[2], size_t count,
                     const char *numeric)
{
    size_t i;
    put(c, "<thead><tr>");
    for (i = 0; i < count; i++) {
        put(c, numeric && numeric[i] == 'n' ? "<th class=\"n\">" : "<th>");
        put_text(c, tr(c, headings[i][0], headings[i][1]));
        put(c, "</th>");
    }
    put(c, "</tr></thead><tbody>");
}

/* "<td>" or a right-aligned numeric "<td class=n>". */
static void td(html_ctx *c, int numeric)
{
    put(c, numeric ? "<td class=\"n\">" : "<td>");
}

static void td_text(html_ctx *c, const char *s)
{
    td(c, 0);
    put_text(c, s && *s ? s : "—");
    put(c, "</td>");
}

static void td_rule(html_ctx *c, const char *rule)
{
    unsigned char rgb[3];
    report_rule_rgb(rule, rgb);
    put(c, "<td class=\"rule\"><span class=\"sw\" style=\"background:");
    hegui_buf_printf(c->buf, "rgb(%u,%u,%u)", rgb[0], rgb[1], rgb[2]);
    put(c, "\"></span>");
    put_text(c, rule);
    put(c, "</td>");
}

static void td_severity(html_ctx *c, hegui_severity severity)
{
    put(c, "<td class=\"sev ");
    put(c, hegui_severity_name(severity));
    put(c, "\">");
    put_text(c, severity_label(c, severity));
    put(c, "</td>");
}

static void td_feature(html_ctx *c, const char *layer, int64_t fid)
{
    td(c, 0);
    if (!layer || !*layer) {
        put(c, "—");
    } else {
        put_text(c, layer);
        if (fid >= 0)
            hegui_buf_printf(c->buf, ":%lld", (long long)fid);
    }
    put(c, "</td>");
}

static void td_count(html_ctx *c, size_t n)
{
    td(c, 1);
    hegui_buf_printf(c->buf, "%zu", n);
    put(c, "</td>");
}

/* --- the page head: title, styles --- */

static void put_styles(html_ctx *c)
{
    size_t count, i;
    const hegui_rule_def *catalogue = hegui_rules_catalogue(&count);
    put(c, "<style>\n"
           ":root{--ink:#1f2328;--muted:#59636e;--line:#d0d7de;--head:#f3f5f7}\n"
           "*{box-sizing:border-box}\n"
           "body{margin:0 auto;max-width:1120px;padding:24px;color:var(--ink);"
           "font:14px/1.5 \"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Microsoft YaHei\","
           "\"PingFang SC\",sans-serif}\n"
           "h1{font-size:24px;margin:0 0 8px}h2{font-size:20px;margin:32px 0 8px;"
           "border-bottom:2px solid var(--ink);padding-bottom:4px}"
           "h3{font-size:16px;margin:20px 0 6px}\n"
           ".verdict{font-size:18px;font-weight:bold;padding:10px 14px;border-radius:6px;"
           "margin:12px 0}\n"
           ".verdict.pass{background:#dafbe1;color:#116329;border:1px solid #4ac26b}\n"
           ".verdict.fail{background:#ffebe9;color:#a40e26;border:1px solid #ff8182}\n"
           "table{border-collapse:collapse;width:100%;margin:6px 0 14px;font-size:13px}\n"
           "th,td{border:1px solid var(--line);padding:4px 6px;text-align:left;"
           "vertical-align:top}\n"
           "th{background:var(--head);font-weight:bold}\n"
           "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
           "td.sev.error{color:#a40e26;font-weight:bold}td.sev.warning{color:#9a6700}"
           "td.sev.info{color:var(--muted)}\n"
           "td.rule,td.sev{white-space:nowrap}\n"
           "table.findings td:nth-child(-n+6){white-space:nowrap}\n"
           ".sw{display:inline-block;width:10px;height:10px;margin-right:5px;"
           "border:1px solid rgba(0,0,0,.35);vertical-align:baseline}\n"
           "table.kv th{width:22%}\n"
           "code{font-family:monospace;font-size:12px;word-break:break-all}\n"
           ".muted{color:var(--muted)}\n"
           "figure{margin:8px 0 16px}figcaption{font-size:12px;color:var(--muted)}\n"
           "svg.map{width:100%;height:auto;display:block;border:1px solid var(--line);"
           "background:#fbfcfd}\n"
           ".details{display:grid;grid-template-columns:1fr 1fr;gap:12px}\n"
           "svg text{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\","
           "\"Microsoft YaHei\",\"PingFang SC\",sans-serif;font-size:12px;fill:#1f2328}\n"
           "svg .halo{paint-order:stroke;stroke:#fff;stroke-width:3px}\n"
           "svg .blk{fill:#eef1f4;stroke:#424a53;stroke-width:1.2}\n"
           "svg .line{fill:none!important;stroke-width:2}\n"
           "svg .frame{fill:none;stroke:#8c959f;stroke-width:1}\n"
           "footer{margin-top:32px;font-size:12px;color:var(--muted)}\n");
    for (i = 0; i < count; i++) {
        unsigned char rgb[3];
        report_rule_rgb(catalogue[i].id, rgb);
        hegui_buf_printf(c->buf,
                         "svg .r-%s{fill:rgba(%u,%u,%u,.55);stroke:rgb(%u,%u,%u);"
                         "stroke-width:1}\n",
                         catalogue[i].id, rgb[0], rgb[1], rgb[2], rgb[0], rgb[1], rgb[2]);
    }
    put(c, "@page{size:A4;margin:14mm 12mm}\n"
           "@media print{body{max-width:none;padding:0;font-size:11px}"
           "table{font-size:10px}section.zone{break-before:page;page-break-before:always}"
           "figure,svg.map{break-inside:avoid;page-break-inside:avoid}"
           "thead{display:table-header-group}tr{break-inside:avoid}"
           ".details{grid-template-columns:1fr 1fr}}\n"
           "</style>\n");
}

/* --- the verdict and the summary --- */

/* The rules that could not run (hegui_run.not_checked), each with why. */
static void put_not_checked(html_ctx *c)
{
    size_t n, i, shown = 0;
    const hegui_rule_def *defs = hegui_rules_catalogue(&n);
    for (i = 0; i < n && i < 32; i++) {
        if (!c->run->not_checked[i])
            continue;
        put(c, shown++ ? "；" : "<p class=\"verdict fail\" id=\"not-checked\">");
        if (shown == 1)
            put_text(
                c, tr(c, "未检查（缺少输入图层）：", "Not checked (an input layer is missing): "));
        put_text(c, defs[i].id);
        put(c, " ");
        put_text(c, tr(c, defs[i].title_zh, defs[i].title_en));
        put(c, " — ");
        put_text(c, c->run->not_checked[i]);
    }
    if (shown)
        put(c, "</p>\n");
}

static void put_verdict(html_ctx *c)
{
    size_t errors, warnings, infos;
    int passed = hegui_run_passed(c->run);
    hegui_run_counts(c->run, &errors, &warnings, &infos);
    hegui_buf_printf(c->buf, "<p class=\"verdict %s\" id=\"verdict\">", passed ? "pass" : "fail");
    if (c->lang == HEGUI_LANG_EN)
        hegui_buf_printf(c->buf, "Verdict: %s (%zu error%s, %zu warning%s, %zu info)",
                         passed ? "PASS" : "FAIL", errors, errors == 1 ? "" : "s", warnings,
                         warnings == 1 ? "" : "s", infos);
    else
        hegui_buf_printf(c->buf, "结论：%s（错误 %zu，警告 %zu，提示 %zu）",
                         passed ? "通过" : "不通过", errors, warnings, infos);
    put(c, "</p>\n");
    put_not_checked(c);
}

/* True when rule id is checked by this run's command (validate: survey). */
static int rule_in_command(const hegui_run *run, const hegui_rule_def *def)
{
    if (run->command && strcmp(run->command, "validate") == 0)
        return strcmp(def->family, "survey") == 0;
    return 1;
}

/* Findings of rule (all zones) and the sum of its per-zone dissolved totals. */
static void rule_numbers(const hegui_run *run, const char *rule, size_t *out_count,
                         double *out_area_m2, int *out_has_area)
{
    size_t i, n = 0;
    double area = 0;
    int has_area = 0;
    for (i = 0; i < run->findings.count; i++) {
        if (strcmp(run->findings.items[i].rule, rule) == 0) {
            n++;
            has_area |= run->findings.items[i].has_area;
        }
    }
    for (i = 0; run->totals && i < run->total_count; i++) {
        if (strcmp(run->totals[i].rule, rule) == 0)
            area += run->totals[i].area_m2;
    }
    *out_count = n;
    *out_area_m2 = area;
    *out_has_area = has_area;
}

/* Per rule: count and dissolved area; every rule the run checked. */
static void put_summary(html_ctx *c)
{
    static const char *const heads[][2] = {
        {"规则", "Rule"},
        {"名称", "Title"},
        {"级别", "Severity"},
        {"结果", "Result"},
        {"图斑数", "Findings"},
        {"面积（公顷）", "Area (ha)"},
        {"面积（亩）", "Area (亩)"},
    };
    size_t count, i;
    const hegui_rule_def *catalogue = hegui_rules_catalogue(&count);
    put(c, "<h2 id=\"summary\">");
    put_text(c, tr(c, "检查汇总", "Summary"));
    put(c, "</h2>\n<table class=\"summary\">");
    put_head(c, heads, sizeof(heads) / sizeof(heads[0]), "tttnnnn");
    for (i = 0; i < count; i++) {
        const hegui_rule_config *rc =
            c->run->config ? hegui_config_rule(c->run->config, catalogue[i].id) : NULL;
        size_t n;
        double area;
        int has_area;
        rule_numbers(c->run, catalogue[i].id, &n, &area, &has_area);
        if (n == 0 && (!rc || !rc->enabled || !rule_in_command(c->run, &catalogue[i])))
            continue;
        put(c, "<tr>");
        td_rule(c, catalogue[i].id);
        td_text(c, report_rule_title(catalogue[i].id, c->lang));
        if (rc)
            td_severity(c, rc->severity);
        else
            td_text(c, "");
        td(c, 0);
        /* a rule whose input layer is missing did not pass: it did not run */
        put_text(c, i < 32 && c->run->not_checked[i] ? tr(c, "未检查", "not checked")
                    : n                              ? tr(c, "有问题", "findings")
                                                     : tr(c, "通过", "pass"));
        put(c, "</td>");
        td_count(c, n);
        td(c, 1);
        if (has_area)
            put_ha(c, area);
        else
            put(c, "—");
        put(c, "</td>");
        td(c, 1);
        if (has_area)
            put_mu(c, area);
        else
            put(c, "—");
        put(c, "</td></tr>\n");
    }
    put(c, "</tbody></table>\n<p class=\"muted\">");
    put_text(c, tr(c,
                   "面积为各开发区内按规则合并（去重叠）后的面积之和；单个图斑的面积见各开发区的"
                   "图斑清单。",
                   "Areas are the sums over zones of each rule's dissolved area (overlaps "
                   "counted once); each patch's own area is in the zone's list of findings."));
    put(c, "</p>\n");
}

/* The zones at a glance, linking to their sections. */
static void put_zone_index(html_ctx *c)
{
    static const char *const heads[][2] = {
        {"开发区代码", "Zone code"}, {"名称", "Name"},
        {"区块数", "Blocks"},        {"面积（公顷）", "Area (ha)"},
        {"面积（亩）", "Area (亩)"}, {"检查结果数", "Findings"},
    };
    size_t z;
    if (!c->run->zone_count)
        return;
    put(c, "<h2 id=\"zones\">");
    put_text(c, tr(c, "开发区", "Zones"));
    put(c, "</h2>\n<table class=\"zones\">");
    put_head(c, heads, sizeof(heads) / sizeof(heads[0]), "ttnnnn");
    for (z = 0; z < c->run->zone_count; z++) {
        const hegui_run_zone *zone = &c->run->zones[z];
        size_t n, begin, end;
        zone_findings(c, zone->code, &begin, &end);
        n = end - begin;
        put(c, "<tr><td><a href=\"#zone-");
        put_text(c, zone->code);
        put(c, "\">");
        put_text(c, zone->code);
        put(c, "</a></td>");
        td_text(c, zone->name);
        td_count(c, zone->block_count);
        td(c, 1);
        put_ha(c, zone->area_m2);
        put(c, "</td>");
        td(c, 1);
        put_mu(c, zone->area_m2);
        put(c, "</td>");
        td_count(c, n);
        put(c, "</tr>\n");
    }
    put(c, "</tbody></table>\n");
}

static void kv_row(html_ctx *c, const char *zh, const char *en, const char *value, int code)
{
    put(c, "<tr><th>");
    put_text(c, tr(c, zh, en));
    put(c, "</th><td>");
    if (code)
        put(c, "<code>");
    put_text(c, value && *value ? value : "—");
    if (code)
        put(c, "</code>");
    put(c, "</td></tr>\n");
}

/* The run: command, time, rules, CRS, area method, versions, inputs. */
static void put_run(html_ctx *c)
{
    static const char *const heads[][2] = {
        {"文件", "File"},  {"图层", "Layer"},    {"角色", "Role"},       {"要素数", "Features"},
        {"坐标系", "CRS"}, {"编码", "Encoding"}, {"SHA-256", "SHA-256"},
    };
    const hegui_run *run = c->run;
    char when[32], crs[256], versions[256];
    const char *fail_on = run->fail_on ? hegui_severity_name(run->fail_on) : "never";
    size_t i;

    report_format_utc(when, sizeof(when), run->timestamp);
    if (run->working_crs.epsg)
        snprintf(crs, sizeof(crs), "EPSG:%d %s", run->working_crs.epsg, run->working_crs.name);
    else
        snprintf(crs, sizeof(crs), "%s", run->working_crs.name);
    snprintf(versions, sizeof(versions), "hegui %s, GDAL %s, GEOS %s, PROJ %s", hegui_version(),
             run->gdal_version ? run->gdal_version : "", run->geos_version ? run->geos_version : "",
             run->proj_version ? run->proj_version : "");
    put(c, "<h2 id=\"run\">");
    put_text(c, tr(c, "检查依据", "The run"));
    put(c, "</h2>\n<table class=\"kv\"><tbody>\n");
    kv_row(c, "命令", "Command", run->command ? run->command : "", 0);
    kv_row(c, "生成时间（UTC）", "Generated (UTC)", when, 0);
    kv_row(c, "规则文件", "Rules file", run->rules_source, 0);
    kv_row(c, "规则 SHA-256", "Rules SHA-256", run->rules_sha256, 1);
    kv_row(c, "工作坐标系", "Working CRS", crs, 0);
    kv_row(c, "判定面积", "Area deciding",
           run->area_method == HEGUI_AREA_ELLIPSOIDAL
               ? tr(c, "椭球面积", "ellipsoidal")
               : tr(c, "平面面积（工作坐标系）", "planar (working CRS)"),
           0);
    kv_row(c, "不通过级别", "Fail on", fail_on, 0);
    kv_row(c, "版本", "Versions", versions, 0);
    put(c, "</tbody></table>\n<h3>");
    put_text(c, tr(c, "输入数据", "Inputs"));
    put(c, "</h3>\n<table class=\"inputs\">");
    put_head(c, heads, sizeof(heads) / sizeof(heads[0]), "tttnttt");
    for (i = 0; i < run->input_count; i++) {
        const hegui_run_input *in = &run->inputs[i];
        put(c, "<tr>");
        td_text(c, in->path);
        td_text(c, in->layer);
        td_text(c, in->role);
        td(c, 1);
        hegui_buf_printf(c->buf, "%lld", (long long)in->feature_count);
        put(c, "</td>");
        td_text(c, in->crs);
        td_text(c, in->encoding);
        put(c, "<td><code>");
        put_text(c, in->sha256);
        put(c, "</code></td></tr>\n");
        flush_some(c);
    }
    put(c, "</tbody></table>\n");
}

/* --- maps --- */

/* One feature drawn on a map. */
typedef struct map_feature {
    const char *wkt;
    const char *cls;  /* "blk" or "r-<rule>" */
    const char *rule; /* NULL for a block */
    const hegui_run_block *block;
    const hegui_finding *finding;
    size_t finding_index;
} map_feature;

/* The features of a map: the blocks of zone (of one block when block is
 * set), then the zone's findings with a geometry (of that block). */
static int map_features(map_feature **out, size_t *out_count, const html_ctx *c, const char *zone,
                        const char *block)
{
    const hegui_run *run = c->run;
    size_t i, k, n = 0, begin, end;
    map_feature *list;
    zone_findings(c, zone, &begin, &end);
    /* the zone's findings, not the run's: a list per map, 200 maps at 10^6 */
    list = hegui_calloc(run->block_count + (end - begin) + 1, sizeof(*list));
    *out = NULL;
    *out_count = 0;
    if (!list)
        return HEGUI_ENOMEM;
    for (i = 0; run->blocks && i < run->block_count; i++) {
        const hegui_run_block *b = &run->blocks[i];
        if (strcmp(b->zone_code, zone) != 0 || (block && strcmp(b->block, block) != 0) || !*b->wkt)
            continue;
        list[n].wkt = b->wkt;
        list[n].cls = "blk";
        list[n].block = b;
        n++;
    }
    for (k = begin; k < end; k++) {
        const hegui_finding *f = &run->findings.items[i = c->by_zone[k]];
        if ((block && strcmp(f->block, block) != 0) || !f->wkt || !*f->wkt)
            continue;
        list[n].wkt = f->wkt;
        list[n].rule = f->rule;
        list[n].finding = f;
        list[n].finding_index = i;
        n++;
    }
    *out = list;
    *out_count = n;
    return HEGUI_OK;
}

/* The tooltip of a feature: block name and area, or the finding. */
static void feature_title(html_ctx *c, hegui_buf *title, const map_feature *m)
{
    char text[64];
    title->len = 0;
    hegui_buf_puts(title, "");
    if (m->block) {
        hegui_buf_puts(title, *m->block->block ? m->block->block : m->block->zone_name);
        report_format_fixed(text, sizeof(text), hegui_area_ha(m->block->area_m2), 4);
        hegui_buf_printf(title, " (%s:%lld) %s %s", m->block->layer, (long long)m->block->fid, text,
                         tr(c, "公顷", "ha"));
        return;
    }
    hegui_buf_printf(title, "#%zu %s ", m->finding_index + 1, m->rule);
    if (m->finding->has_area) {
        report_format_fixed(text, sizeof(text), hegui_area_ha(m->finding->area_m2), 4);
        hegui_buf_printf(title, "%s %s — ", text, tr(c, "公顷", "ha"));
    }
    hegui_buf_puts(title,
                   c->lang == HEGUI_LANG_EN ? m->finding->message_en : m->finding->message_zh);
}

/* A round length for the scale bar: 1, 2 or 5 x 10^k, at most max_m. */
static double nice_length(double max_m)
{
    double p = pow(10.0, floor(log10(max_m)));
    if (5 * p <= max_m)
        return 5 * p;
    if (2 * p <= max_m)
        return 2 * p;
    return p;
}

static void put_num(html_ctx *c, double v)
{
    put_fixed(c, v, 1);
}

/* Scale bar (bottom left), north arrow (top right), CRS (bottom right). */
static void put_map_furniture(html_ctx *c, const report_view *v)
{
    const hegui_crs_info *crs = &c->run->working_crs;
    double bottom = v->top + v->height;
    char label[200];
    put(c, "<rect class=\"frame\" x=\"");
    put_num(c, v->left);
    put(c, "\" y=\"");
    put_num(c, v->top);
    put(c, "\" width=\"");
    put_num(c, v->width);
    put(c, "\" height=\"");
    put_num(c, v->height);
    put(c, "\"/>");
    /* north arrow: the y axis of the working CRS (northing) points up */
    put(c, "<g class=\"north\" transform=\"translate(");
    put_num(c, v->left + v->width - 28);
    put(c, " ");
    put_num(c, v->top + 14);
    put(c, ")\"><path d=\"M0 0L9 26L0 20L-9 26Z\" fill=\"#1f2328\"/>"
           "<text class=\"halo\" x=\"0\" y=\"40\" text-anchor=\"middle\" "
           "font-weight=\"bold\">N</text></g>");
    /* scale bar, in metres of the (projected) working CRS */
    if (!crs->geographic && v->scale > 0) {
        double len = nice_length(140.0 / v->scale), px = len * v->scale;
        double x = v->left + 16, y = bottom - 18;
        if (len >= 1000)
            snprintf(label, sizeof(label), "%g km", len / 1000);
        else
            snprintf(label, sizeof(label), "%g m", len);
        put(c, "<g class=\"scalebar\"><rect x=\"");
        put_num(c, x);
        put(c, "\" y=\"");
        put_num(c, y);
        put(c, "\" width=\"");
        put_num(c, px / 2);
        put(c, "\" height=\"5\" fill=\"#1f2328\"/><rect x=\"");
        put_num(c, x + px / 2);
        put(c, "\" y=\"");
        put_num(c, y);
        put(c, "\" width=\"");
        put_num(c, px / 2);
        put(c, "\" height=\"5\" fill=\"#fff\" stroke=\"#1f2328\"/><text class=\"halo\" x=\"");
        put_num(c, x + px + 6);
        put(c, "\" y=\"");
        put_num(c, y + 6);
        put(c, "\">");
        /* %g prints digits and a unit, never a locale's decimal comma for
         * these round lengths (1, 2 or 5 x 10^k, k >= 0 in practice) */
        put_text(c, label);
        put(c, "</text></g>");
    }
    /* the CRS: right under the frame, where no feature and no scale bar is */
    if (crs->epsg)
        snprintf(label, sizeof(label), "EPSG:%d %s", crs->epsg, crs->name);
    else
        snprintf(label, sizeof(label), "%s", crs->name[0] ? crs->name : "?");
    put(c, "<text class=\"crs\" x=\"");
    put_num(c, v->left + v->width);
    put(c, "\" y=\"");
    put_num(c, bottom + 16);
    put(c, "\" text-anchor=\"end\">");
    put_text(c, tr(c, "坐标系 ", "CRS "));
    put_text(c, label);
    put(c, "</text>");
}

/* The legend band under the map: the blocks and each rule drawn. */
static double put_legend(html_ctx *c, const map_feature *features, size_t count, double top,
                         double map_width)
{
    size_t i, k, rules = 0;
    const char *seen[64];
    size_t seen_count[64];
    double x = MAP_MARGIN, y = top + 14;
    hegui_buf label = HEGUI_BUF_INIT;

    for (i = 0; i < count; i++) {
        if (!features[i].rule)
            continue;
        for (k = 0; k < rules && strcmp(seen[k], features[i].rule) != 0; k++)
            ;
        if (k == rules && rules < 64) {
            seen[rules] = features[i].rule;
            seen_count[rules++] = 0;
        }
        if (k < rules)
            seen_count[k]++;
    }
    put(c, "<g class=\"legend\">");
    for (i = 0; i <= rules; i++) {
        double width;
        label.len = 0;
        if (i == 0) {
            hegui_buf_puts(&label, tr(c, "开发区区块", "zone blocks"));
        } else {
            hegui_buf_printf(&label, "%s %s (%zu)", seen[i - 1],
                             report_rule_title(seen[i - 1], c->lang), seen_count[i - 1]);
        }
        /* 12px text: about 6.5px per column, CJK two columns */
        width = 22.0 + 6.5 * (double)report_display_width(hegui_buf_cstr(&label)) + 18.0;
        if (x > MAP_MARGIN && x + width > map_width - MAP_MARGIN) {
            x = MAP_MARGIN;
            y += LEGEND_ROW;
        }
        put(c, "<rect class=\"");
        if (i == 0) {
            put(c, "blk");
        } else {
            put(c, "r-");
            put_text(c, seen[i - 1]);
        }
        put(c, "\" x=\"");
        put_num(c, x);
        put(c, "\" y=\"");
        put_num(c, y - 10);
        put(c, "\" width=\"16\" height=\"12\"/><text x=\"");
        put_num(c, x + 22);
        put(c, "\" y=\"");
        put_num(c, y);
        put(c, "\">");
        put_text(c, hegui_buf_cstr(&label));
        put(c, "</text>");
        x += width;
    }
    put(c, "</g>");
    if (label.failed)
        c->buf->failed = 1;
    hegui_buf_release(&label);
    return y + 10;
}

/*
 * One map of map_width pixels: the features of zone (of one block when
 * block is set), fitted into the map area, simplified to the vertex cap,
 * with legend, scale bar, north arrow and CRS. cls is the svg's class
 * ("map zone-map" …).
 */
static int put_map(html_ctx *c, const char *zone, const char *block, const char *cls,
                   const char *caption, double map_width)
{
    map_feature *features = NULL;
    size_t count = 0, i, drawn = 0, omitted = 0, invalid = 0;
    size_t counts[REPORT_SVG_LEVELS];
    report_geometry g;
    report_view view;
    hegui_buf title = HEGUI_BUF_INIT, body = HEGUI_BUF_INIT;
    hegui_buf *page = c->buf;
    double box[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    double tol, height, map_h;
    int rc;
    int level;

    memset(&g, 0, sizeof(g));
    memset(counts, 0, sizeof(counts));
    if ((rc = map_features(&features, &count, c, zone, block)) < 0)
        return rc;
    /* 1: the extent */
    for (i = 0; i < count; i++) {
        if (report_wkt_parse(&g, features[i].wkt) < 0) {
            features[i].wkt = NULL; /* not WKT: a bug upstream; not drawn */
            invalid++;
            continue;
        }
        report_geometry_extend(&g, box);
    }
    if (box[0] <= box[2]) {
        double dx = box[2] - box[0], dy = box[3] - box[1];
        double w = map_width - 2 * MAP_MARGIN, min_h = map_width * MAP_MIN_HEIGHT / MAP_WIDTH;
        double max_h = map_width * MAP_MAX_HEIGHT / MAP_WIDTH;
        map_h = dx > 0 ? w * dy / dx : max_h;
        map_h = map_h < min_h ? min_h : (map_h > max_h ? max_h : map_h);
        /* a margin of 7% around the features */
        box[0] -= dx * 0.07;
        box[2] += dx * 0.07;
        box[1] -= dy * 0.07;
        box[3] += dy * 0.07;
    } else {
        map_h = map_width * MAP_MIN_HEIGHT / MAP_WIDTH;
    }
    report_view_fit(&view, box, MAP_MARGIN, MAP_MARGIN, map_width - 2 * MAP_MARGIN, map_h);
    /* 2: the tolerance that keeps the map under the vertex cap */
    for (i = 0; i < count; i++) {
        if (!features[i].wkt || report_wkt_parse(&g, features[i].wkt) < 0)
            continue;
        report_svg_count_levels(&g, &view, counts);
    }
    tol = report_svg_pick_tolerance(counts, REPORT_HTML_MAP_VERTICES);
    level = (int)lround(log2(tol));
    /* 3: draw (into body, so the svg's height can follow the legend) */
    c->buf = &body;
    for (i = 0; i < count; i++) {
        size_t need[REPORT_SVG_LEVELS];
        if (!features[i].wkt || report_wkt_parse(&g, features[i].wkt) < 0)
            continue;
        memset(need, 0, sizeof(need));
        report_svg_count_levels(&g, &view, need);
        if (drawn + need[level] > REPORT_HTML_MAP_VERTICES) {
            omitted++;
            continue;
        }
        feature_title(c, &title, &features[i]);
        if (features[i].rule) {
            char rule_cls[32];
            snprintf(rule_cls, sizeof(rule_cls), "r-%s", features[i].rule);
            drawn += report_svg_draw(&body, &g, &view, tol, rule_cls, hegui_buf_cstr(&title));
        } else {
            drawn += report_svg_draw(&body, &g, &view, tol, "blk", hegui_buf_cstr(&title));
        }
    }
    put_map_furniture(c, &view);
    height = put_legend(c, features, count, view.top + view.height + 6 + LEGEND_ROW, map_width);
    c->buf = page;

    put(c, "<figure>");
    hegui_buf_printf(page,
                     "<svg class=\"%s\" viewBox=\"0 0 %d %d\" role=\"img\" "
                     "data-vertices=\"%zu\" aria-label=\"",
                     cls, (int)map_width, (int)ceil(height), drawn);
    put_text(c, caption);
    put(c, "\"><rect x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" fill=\"#fff\"/>");
    hegui_buf_printf(page, "<!-- %zu vertices, tolerance %g px -->", drawn, tol);
    hegui_buf_put(page, body.ptr ? body.ptr : "", body.len);
    put(c, "</svg><figcaption>");
    put_text(c, caption);
    if (tol > 1.0 || omitted || invalid) {
        put(c, " · ");
        if (tol > 1.0)
            hegui_buf_printf(page,
                             c->lang == HEGUI_LANG_EN ? "simplified for display (%g px)"
                                                      : "显示时已简化（%g 像素）",
                             tol);
        if (omitted)
            hegui_buf_printf(page,
                             c->lang == HEGUI_LANG_EN ? " %zu features not drawn (vertex cap)"
                                                      : " 为控制大小未绘制 %zu 个要素",
                             omitted);
        if (invalid)
            hegui_buf_printf(page,
                             c->lang == HEGUI_LANG_EN ? " %zu geometries unreadable"
                                                      : " %zu 个几何无法读取",
                             invalid);
    }
    put(c, "</figcaption></figure>\n");
    if (body.failed || title.failed)
        page->failed = 1;
    hegui_buf_release(&body);
    hegui_buf_release(&title);
    report_geometry_release(&g);
    hegui_free(features);
    flush_some(c);
    return HEGUI_OK;
}

/* --- per-zone tables --- */

static void put_blocks_table(html_ctx *c, const hegui_run_zone *zone)
{
    static const char *const heads[][2] = {
        {"区块", "Block"},           {"图层:要素", "Layer:feature"}, {"面积（公顷）", "Area (ha)"},
        {"面积（亩）", "Area (亩)"}, {"检查结果数", "Findings"},
    };
    size_t i, k;
    put(c, "<h3>");
    put_text(c, tr(c, "区块", "Blocks"));
    put(c, "</h3>\n<table class=\"blocks\">");
    put_head(c, heads, sizeof(heads) / sizeof(heads[0]), "ttnnn");
    for (i = 0; c->run->blocks && i < c->run->block_count; i++) {
        const hegui_run_block *b = &c->run->blocks[i];
        size_t n = 0, begin, end;
        if (strcmp(b->zone_code, zone->code) != 0)
            continue;
        zone_findings(c, zone->code, &begin, &end);
        for (k = begin; k < end; k++)
            n += strcmp(c->run->findings.items[c->by_zone[k]].block, b->block) == 0;
        put(c, "<tr>");
        td_text(c, b->block);
        td_feature(c, b->layer, b->fid);
        td(c, 1);
        put_ha(c, b->area_m2);
        put(c, "</td>");
        td(c, 1);
        put_mu(c, b->area_m2);
        put(c, "</td>");
        td_count(c, n);
        put(c, "</tr>\n");
    }
    put(c, "<tr class=\"total\"><th colspan=\"2\">");
    put_text(c, tr(c, "合计", "Total"));
    put(c, "</th>");
    td(c, 1);
    put_ha(c, zone->area_m2);
    put(c, "</td>");
    td(c, 1);
    put_mu(c, zone->area_m2);
    put(c, "</td><td></td></tr>\n</tbody></table>\n");
}

/* True when some finding of rule in zone measures an area. */
static int zone_rule_has_area(const html_ctx *c, const char *zone, const char *rule)
{
    size_t k, begin, end;
    zone_findings(c, zone, &begin, &end);
    for (k = begin; k < end; k++) {
        const hegui_finding *f = &c->run->findings.items[c->by_zone[k]];
        if (f->has_area && strcmp(f->rule, rule) == 0)
            return 1;
    }
    return 0;
}

static void put_totals_table(html_ctx *c, const hegui_run_zone *zone)
{
    static const char *const heads[][2] = {
        {"规则", "Rule"},
        {"名称", "Title"},
        {"图斑数", "Findings"},
        {"面积（公顷）", "Area (ha)"},
        {"面积（亩）", "Area (亩)"},
        {"占开发区比例", "Share of zone"},
    };
    size_t i, shown = 0;
    for (i = 0; c->run->totals && i < c->run->total_count; i++) {
        const hegui_run_total *t = &c->run->totals[i];
        if (strcmp(t->zone_code, zone->code) != 0 || t->count == 0)
            continue;
        if (shown++ == 0) {
            put(c, "<h3>");
            put_text(c, tr(c, "各规则合计（合并去重叠）", "Totals per rule (dissolved)"));
            put(c, "</h3>\n<table class=\"totals\">");
            put_head(c, heads, sizeof(heads) / sizeof(heads[0]), "ttnnnn");
        }
        put(c, "<tr>");
        td_rule(c, t->rule);
        td_text(c, report_rule_title(t->rule, c->lang));
        td_count(c, t->count);
        if (!zone_rule_has_area(c, zone->code, t->rule)) {
            /* enterprises and other findings without an area */
            put(c, "<td class=\"n\">—</td><td class=\"n\">—</td><td class=\"n\">—</td></tr>\n");
            continue;
        }
        td(c, 1);
        put_ha(c, t->area_m2);
        put(c, "</td>");
        td(c, 1);
        put_mu(c, t->area_m2);
        put(c, "</td>");
        td(c, 1);
        put_share(c, t->share_of_zone);
        put(c, "</td></tr>\n");
    }
    if (shown)
        put(c, "</tbody></table>\n");
}

static const char *landuse_verdict(const html_ctx *c, const char *verdict)
{
    if (strcmp(verdict, "allowed") == 0)
        return tr(c, "允许", "allowed");
    if (strcmp(verdict, "warning") == 0)
        return tr(c, "警告", "warning");
    if (strcmp(verdict, "conflict") == 0)
        return tr(c, "冲突", "conflict");
    return verdict;
}

static void put_landuse_table(html_ctx *c, const hegui_run_zone *zone)
{
    static const char *const heads[][2] = {
        {"地类代码", "Class"},       {"地类名称", "Class name"},
        {"判定", "Verdict"},         {"面积（公顷）", "Area (ha)"},
        {"面积（亩）", "Area (亩)"}, {"占开发区比例", "Share of zone"},
    };
    size_t i, shown = 0;
    double sum = 0, share = 0;
    for (i = 0; c->run->landuse && i < c->run->landuse_count; i++) {
        const hegui_run_landuse *l = &c->run->landuse[i];
        if (strcmp(l->zone_code, zone->code) != 0)
            continue;
        if (shown++ == 0) {
            put(c, "<h3>");
            put_text(c, tr(c, "用地结构", "Land-use structure"));
            put(c, "</h3>\n<table class=\"landuse\">");
            put_head(c, heads, sizeof(heads) / sizeof(heads[0]), "tttnnn");
        }
        sum += l->area_m2;
        share += l->share_of_zone;
        hegui_buf_printf(c->buf, "<tr class=\"lu-%s\">",
                         strcmp(l->verdict, "conflict") == 0
                             ? "conflict"
                             : (strcmp(l->verdict, "warning") == 0 ? "warning" : "allowed"));
        td_text(c, l->class_code);
        td_text(c, l->class_name);
        td_text(c, landuse_verdict(c, l->verdict));
        td(c, 1);
        put_ha(c, l->area_m2);
        put(c, "</td>");
        td(c, 1);
        put_mu(c, l->area_m2);
        put(c, "</td>");
        td(c, 1);
        put_share(c, l->share_of_zone);
        put(c, "</td></tr>\n");
    }
    if (!shown)
        return;
    put(c, "<tr class=\"total\"><th colspan=\"3\">");
    put_text(c, tr(c, "合计", "Total"));
    put(c, "</th>");
    td(c, 1);
    put_ha(c, sum);
    put(c, "</td>");
    td(c, 1);
    put_mu(c, sum);
    put(c, "</td>");
    td(c, 1);
    put_share(c, share);
    put(c, "</td></tr>\n</tbody></table>\n");
}

static void td_money(html_ctx *c, double value, int decimals)
{
    td(c, 1);
    put_fixed(c, value, decimals);
    put(c, "</td>");
}

static void put_intensity_table(html_ctx *c, const hegui_run_zone *zone)
{
    static const char *const heads[][2] = {
        {"企业", "Enterprise"},
        {"行业代码", "Industry"},
        {"用地（亩）", "Land (亩)"},
        {"投资（万元）", "Investment (万元)"},
        {"产值（万元）", "Output (万元)"},
        {"税收（万元）", "Tax (万元)"},
        {"亩均投资", "Investment / 亩"},
        {"亩均产值", "Output / 亩"},
        {"亩均税收", "Tax / 亩"},
        {"区内排名", "Rank"},
    };
    size_t i, shown = 0;
    for (i = 0; c->run->intensity && i < c->run->intensity_count; i++) {
        const hegui_run_intensity *r = &c->run->intensity[i];
        if (strcmp(r->zone_code, zone->code) != 0)
            continue;
        if (shown++ == 0) {
            put(c, "<h3>");
            put_text(c, tr(c, "亩均效益", "Land-use intensity (亩均)"));
            put(c, "</h3>\n<table class=\"intensity\">");
            put_head(c, heads, sizeof(heads) / sizeof(heads[0]), "ttnnnnnnnn");
        }
        put(c, *r->enterprise ? "<tr>" : "<tr class=\"total\">");
        td_text(c, *r->enterprise ? r->enterprise : tr(c, "开发区合计", "zone total"));
        td_text(c, r->industry_code);
        td_money(c, hegui_area_mu(r->land_m2), 2);
        td_money(c, r->investment, 2);
        td_money(c, r->output, 2);
        td_money(c, r->tax, 2);
        td_money(c, r->investment_per_mu, 4);
        td_money(c, r->output_per_mu, 4);
        td_money(c, r->tax_per_mu, 4);
        td(c, 1);
        if (r->rank_in_zone > 0)
            hegui_buf_printf(c->buf, "%d", r->rank_in_zone);
        else
            put(c, "—");
        put(c, "</td></tr>\n");
        flush_some(c);
    }
    if (shown)
        put(c, "</tbody></table>\n");
}

/* The findings of zone (zone NULL: those of no listed zone). */
static size_t put_findings_table(html_ctx *c, const char *zone)
{
    static const char *const heads[][2] = {
        {"序号", "#"},
        {"规则", "Rule"},
        {"级别", "Severity"},
        {"区块", "Block"},
        {"要素", "Feature"},
        {"对象", "Other feature"},
        {"面积（公顷）", "Area (ha)"},
        {"面积（亩）", "Area (亩)"},
        {"占比", "Share"},
        {"说明", "Message"},
    };
    size_t i, k, shown = 0, begin, end;
    zone_findings(c, zone, &begin, &end);
    for (k = begin; k < end; k++) {
        const hegui_finding *f = &c->run->findings.items[i = c->by_zone[k]];
        if (shown++ == 0) {
            put(c, "<table class=\"findings\">");
            put_head(c, heads, sizeof(heads) / sizeof(heads[0]), "nttttnnnnt");
        }
        hegui_buf_printf(c->buf, "<tr id=\"finding-%zu\">", i + 1);
        td_count(c, i + 1);
        td_rule(c, f->rule);
        td_severity(c, f->severity);
        td_text(c, zone ? f->block : (*f->zone_code ? f->zone_code : f->block));
        td_feature(c, f->layer, f->fid);
        td_feature(c, f->other_layer, f->other_fid);
        td(c, 1);
        if (f->has_area)
            put_ha(c, f->area_m2);
        else
            put(c, "—");
        put(c, "</td>");
        td(c, 1);
        if (f->has_area)
            put_mu(c, f->area_m2);
        else
            put(c, "—");
        put(c, "</td>");
        td(c, 1);
        put_share(c, f->share_of_zone);
        put(c, "</td>");
        td_text(c, c->lang == HEGUI_LANG_EN ? f->message_en : f->message_zh);
        put(c, "</tr>\n");
        flush_some(c);
    }
    if (shown)
        put(c, "</tbody></table>\n");
    return shown;
}

/* Block names of zone that have findings with a geometry, in block order. */
static size_t blocks_with_findings(const html_ctx *c, const char *zone, const hegui_run_block **out,
                                   size_t max)
{
    const hegui_run *run = c->run;
    size_t i, k, n = 0, blocks = 0, begin, end;
    zone_findings(c, zone, &begin, &end);
    for (i = 0; run->blocks && i < run->block_count; i++) {
        const hegui_run_block *b = &run->blocks[i];
        int has = 0;
        if (strcmp(b->zone_code, zone) != 0)
            continue;
        blocks++;
        for (k = begin; k < end && !has; k++) {
            const hegui_finding *f = &run->findings.items[c->by_zone[k]];
            has = strcmp(f->block, b->block) == 0 && f->wkt && *f->wkt;
        }
        for (k = 0; has && k < n; k++)
            has = strcmp(out[k]->block, b->block) != 0;
        if (has && n < max && *b->block)
            out[n++] = b;
    }
    return blocks > 1 ? n : 0; /* one block: the zone map is the detail */
}

static int put_zone(html_ctx *c, const hegui_run_zone *zone)
{
    const hegui_run_block *details[64];
    size_t n, i;
    char caption[400];
    int rc;

    put(c, "<section class=\"zone\" id=\"zone-");
    put_text(c, zone->code);
    put(c, "\" data-zone=\"");
    put_text(c, zone->code);
    put(c, "\">\n<h2>");
    put_text(c, zone->code);
    put(c, " ");
    put_text(c, zone->name);
    put(c, "</h2>\n<p class=\"muted\">");
    hegui_buf_printf(c->buf, c->lang == HEGUI_LANG_EN ? "%zu block%s, " : "%zu 个区块，",
                     zone->block_count,
                     zone->block_count == 1 || c->lang != HEGUI_LANG_EN ? "" : "s");
    put_ha(c, zone->area_m2);
    put_text(c, tr(c, " 公顷（", " ha ("));
    put_mu(c, zone->area_m2);
    put_text(c, tr(c, " 亩）", " 亩)"));
    put(c, "</p>\n");
    snprintf(caption, sizeof(caption), "%s %s", zone->code,
             c->lang == HEGUI_LANG_EN ? "zone map: blocks and findings by rule"
                                      : "开发区图：区块与各规则检查结果");
    if ((rc = put_map(c, zone->code, NULL, "map zone-map", caption, MAP_WIDTH)) < 0)
        return rc;
    n = blocks_with_findings(c, zone->code, details, sizeof(details) / sizeof(details[0]));
    if (n) {
        put(c, "<h3>");
        put_text(c, tr(c, "区块详图", "Block maps"));
        put(c, "</h3>\n<div class=\"details\">\n");
        for (i = 0; i < n; i++) {
            snprintf(caption, sizeof(caption), "%s", details[i]->block);
            if ((rc = put_map(c, zone->code, details[i]->block, "map block-map", caption,
                              BLOCK_MAP_WIDTH)) < 0)
                return rc;
        }
        put(c, "</div>\n");
    }
    put_blocks_table(c, zone);
    put_totals_table(c, zone);
    put_landuse_table(c, zone);
    put_intensity_table(c, zone);
    put(c, "<h3>");
    put_text(c, tr(c, "检查结果清单", "Findings"));
    put(c, "</h3>\n");
    if (put_findings_table(c, zone->code) == 0) {
        put(c, "<p>");
        put_text(c, tr(c, "无。", "None."));
        put(c, "</p>\n");
    }
    put(c, "</section>\n");
    flush_some(c);
    return HEGUI_OK;
}

int report_html_write(FILE *out, const hegui_run *run, const hegui_report_options *options)
{
    hegui_buf buf = HEGUI_BUF_INIT;
    html_ctx c;
    size_t z, begin, end;
    char when[32];
    int rc = HEGUI_OK;

    if (!options)
        options = report_default_options();
    memset(&c, 0, sizeof(c));
    c.out = out;
    c.buf = &buf;
    c.run = run;
    c.lang = options->document_lang;
    if ((rc = index_findings(&c)) < 0)
        goto done;

    report_format_utc(when, sizeof(when), run->timestamp);
    hegui_buf_printf(&buf,
                     "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<meta name=\"generator\" content=\"hegui %s\">\n<title>",
                     c.lang == HEGUI_LANG_EN ? "en" : "zh-CN", hegui_version());
    put_text(&c, tr(&c, "开发区多规合一检查报告", "Development-zone multi-plan check report"));
    put(&c, "</title>\n");
    put_styles(&c);
    put(&c, "</head>\n<body>\n<header>\n<h1>");
    put_text(&c, tr(&c, "开发区多规合一检查报告", "Development-zone multi-plan check report"));
    put(&c, "</h1>\n<p class=\"muted\">");
    put_text(&c, tr(&c, "生成时间 ", "Generated "));
    put_text(&c, when);
    put(&c, " · hegui ");
    put_text(&c, hegui_version());
    put(&c, "</p>\n");
    put_verdict(&c);
    put(&c, "</header>\n<main>\n");
    put_summary(&c);
    put_zone_index(&c);
    put_run(&c);
    flush_some(&c);
    for (z = 0; z < run->zone_count && c.rc == HEGUI_OK; z++) {
        if ((rc = put_zone(&c, &run->zones[z])) < 0)
            goto done;
    }
    zone_findings(&c, NULL, &begin, &end);
    if (end > begin) {
        put(&c, "<section class=\"other\" id=\"other\">\n<h2>");
        put_text(&c, tr(&c, "不属于任何开发区的检查结果", "Findings outside any zone"));
        put(&c, "</h2>\n");
        put_findings_table(&c, NULL);
        put(&c, "</section>\n");
    }
    put(&c, "</main>\n<footer><p>");
    put_text(&c,
             tr(&c,
                "面积：公顷保留 4 位小数、亩保留 2 位小数，均由未经舍入的平方米值换算（1 公顷 = "
                "10 000 平方米，1 亩 = 10 000/15 平方米）。合计按合并后的几何计算，"
                "可能与各行舍入值之和略有差异。地图仅为示意，显示时已简化，不用于面积计算。",
                "Areas: hectares with 4 decimals and 亩 with 2, each converted from the "
                "unrounded square metres (1 ha = 10 000 m², 1 亩 = 10 000/15 m²). Totals are "
                "measured on the dissolved geometry and may differ slightly from the sum of "
                "rounded rows. Maps are illustrations, simplified for display, never used "
                "for areas."));
    put(&c, "</p></footer>\n</body>\n</html>\n");
    if (c.rc < 0) {
        rc = c.rc;
        goto done;
    }
    rc = report_flush(out, &buf);
done:
    if (rc == HEGUI_OK && c.rc < 0)
        rc = c.rc;
    hegui_buf_release(&buf);
    release_index(&c);
    return rc;
}
