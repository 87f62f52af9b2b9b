/*
 * report_junit.c - junit.xml for GitLab, Jenkins and other CI servers.
 *
 * One <testsuite> per zone (name "CODE NAME"; zones of the run plus any
 * zone code that only findings name, sorted by code), then "(no zone)" for
 * findings without a zone code. In a zone's suite, one <testcase> per rule
 * that is enabled in run->config and belongs to the command's families
 * (validate: survey rules; check: all), in catalogue order, plus any other
 * rule that has findings there; "(no zone)" lists only rules with findings.
 * Each error-severity finding is a <failure type="error"> of its test case
 * (a test case may hold several); warnings and infos are lines of the test
 * case's <system-out>; a rule that could not run (its input layer is
 * missing: hegui_run.not_checked) is <skipped> with the reason. tests
 * counts test cases, failures the test cases with at least one <failure>.
 *
 * Text is escaped (& < > " ') and characters XML 1.0 forbids (controls other
 * than tab, LF, CR; U+FFFE, U+FFFF; invalid UTF-8 becomes U+FFFD) are
 * dropped. The same run gives the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "hegui/config.h"
#include "report/report_internal.h"

#define NO_ZONE "(no zone)"

/* A finding with its position in the run, for a stable regrouping. */
typedef struct finding_ref {
    const hegui_finding *finding;
    size_t index;
} finding_ref;

/* One testsuite. */
typedef struct junit_suite {
    const char *code; /* "" for the "(no zone)" suite */
    const char *name;
    int from_zones; /* named by run->zones (preferred over a finding's name) */
    size_t lo, hi;  /* its findings: refs[lo, hi) */
} junit_suite;

typedef struct junit_ctx {
    const hegui_run *run;
    const hegui_report_options *options;
    const hegui_rule_def *catalogue;
    size_t catalogue_count;
    char *eligible;    /* per catalogue entry: a test case in every zone */
    finding_ref *refs; /* findings sorted by (zone code, rule, index) */
    size_t ref_count;
    hegui_buf text; /* scratch */
} junit_ctx;

static int compare_refs(const void *pa, const void *pb)
{
    const finding_ref *a = pa, *b = pb;
    int c = strcmp(a->finding->zone_code, b->finding->zone_code);
    if (c)
        return c;
    c = strcmp(a->finding->rule, b->finding->rule);
    if (c)
        return c;
    return (a->index > b->index) - (a->index < b->index);
}

static int compare_suites(const void *pa, const void *pb)
{
    const junit_suite *a = pa, *b = pb;
    int c = strcmp(a->code, b->code);
    if (c)
        return c;
    return b->from_zones - a->from_zones;
}

static void indent(hegui_buf *buf, int level)
{
    int i;
    for (i = 0; i < level; i++)
        hegui_buf_puts(buf, "  ");
}

/* "m² / 公顷 / 亩" of an area. */
static void put_areas(hegui_buf *buf, double area_m2)
{
    char m2[64], ha[64], mu[64];
    report_format_fixed(m2, sizeof(m2), area_m2, 2);
    report_format_fixed(ha, sizeof(ha), hegui_area_ha(area_m2), 4);
    report_format_fixed(mu, sizeof(mu), hegui_area_mu(area_m2), 2);
    hegui_buf_printf(buf, "%s m\xC2\xB2 / %s 公顷 / %s 亩", m2, ha, mu);
}

/* "layer:fid" ("layer" when fid is -1). */
static void put_feature(hegui_buf *buf, const char *layer, int64_t fid)
{
    hegui_buf_puts(buf, layer);
    if (fid >= 0)
        hegui_buf_printf(buf, ":%lld", (long long)fid);
}

/* The unescaped body of a <failure>. */
static void failure_body(hegui_buf *text, const hegui_finding *f)
{
    text->len = 0;
    hegui_buf_puts(text, f->message_zh);
    hegui_buf_putc(text, '\n');
    hegui_buf_puts(text, f->message_en);
    if (f->has_area) {
        hegui_buf_puts(text, "\n面积 area: ");
        put_areas(text, f->area_m2);
    }
    if (*f->block) {
        hegui_buf_puts(text, "\n区块 block: ");
        hegui_buf_puts(text, f->block);
    }
    if (*f->layer) {
        hegui_buf_puts(text, "\n图层 layer: ");
        put_feature(text, f->layer, f->fid);
    }
    if (*f->other_layer) {
        hegui_buf_puts(text, "\n对照图层 other layer: ");
        put_feature(text, f->other_layer, f->other_fid);
    }
}

/* One line of <system-out> for a warning or info finding. */
static void output_line(hegui_buf *text, const hegui_finding *f)
{
    hegui_buf_puts(text, hegui_severity_name(f->severity));
    hegui_buf_puts(text, ": ");
    hegui_buf_puts(text, f->message_zh);
    hegui_buf_puts(text, " | ");
    hegui_buf_puts(text, f->message_en);
    if (f->has_area) {
        hegui_buf_puts(text, " | ");
        put_areas(text, f->area_m2);
    }
    if (*f->layer) {
        hegui_buf_puts(text, " | ");
        put_feature(text, f->layer, f->fid);
    }
    hegui_buf_putc(text, '\n');
}

/* The suite's display name: "CODE NAME", "CODE", or "(no zone)". */
static void suite_name(hegui_buf *buf, const junit_suite *s)
{
    if (!*s->code) {
        report_put_xml(buf, NO_ZONE, 1);
        return;
    }
    report_put_xml(buf, s->code, 1);
    if (s->name && *s->name) {
        hegui_buf_putc(buf, ' ');
        report_put_xml(buf, s->name, 1);
    }
}

/* Why rule could not run (hegui_run.not_checked), or NULL. */
static const char *not_checked(const junit_ctx *ctx, const char *rule)
{
    size_t r;
    for (r = 0; r < ctx->catalogue_count && r < 32; r++) {
        if (strcmp(ctx->catalogue[r].id, rule) == 0)
            return ctx->run->not_checked[r];
    }
    return NULL;
}

/* Writes one <testcase> for rule over refs[lo, hi); one that could not run
 * is <skipped>. */
static void put_case(junit_ctx *ctx, hegui_buf *buf, const junit_suite *s, const char *rule,
                     size_t lo, size_t hi)
{
    const hegui_rule_def *def = hegui_rules_find(rule);
    hegui_lang lang = ctx->options->lang;
    const char *why;
    size_t i, others = 0;

    indent(buf, 2);
    hegui_buf_puts(buf, "<testcase classname=\"");
    suite_name(buf, s);
    hegui_buf_puts(buf, "\" name=\"");
    report_put_xml(buf, rule, 1);
    if (def) {
        hegui_buf_putc(buf, ' ');
        report_put_xml(buf, def->title_zh, 1);
        hegui_buf_puts(buf, " / ");
        report_put_xml(buf, def->title_en, 1);
    }
    hegui_buf_putc(buf, '"');
    if (lo == hi && (why = not_checked(ctx, rule)) != NULL) {
        /* it could not run: skipped, not passed */
        hegui_buf_puts(buf, ">\n");
        indent(buf, 3);
        hegui_buf_puts(buf, "<skipped message=\"");
        report_put_xml(buf, why, 1);
        hegui_buf_puts(buf, "\"/>\n");
        indent(buf, 2);
        hegui_buf_puts(buf, "</testcase>\n");
        return;
    }
    if (lo == hi) {
        hegui_buf_puts(buf, "/>\n");
        return;
    }
    hegui_buf_puts(buf, ">\n");
    for (i = lo; i < hi; i++) {
        const hegui_finding *f = ctx->refs[i].finding;
        if (f->severity != HEGUI_SEVERITY_ERROR) {
            others++;
            continue;
        }
        indent(buf, 3);
        hegui_buf_puts(buf, "<failure message=\"");
        report_put_xml(buf, lang == HEGUI_LANG_EN ? f->message_en : f->message_zh, 1);
        hegui_buf_puts(buf, "\" type=\"error\">");
        failure_body(&ctx->text, f);
        report_put_xml(buf, hegui_buf_cstr(&ctx->text), 0);
        hegui_buf_puts(buf, "</failure>\n");
    }
    if (others) {
        ctx->text.len = 0;
        for (i = lo; i < hi; i++) {
            if (ctx->refs[i].finding->severity != HEGUI_SEVERITY_ERROR)
                output_line(&ctx->text, ctx->refs[i].finding);
        }
        indent(buf, 3);
        hegui_buf_puts(buf, "<system-out>");
        report_put_xml(buf, hegui_buf_cstr(&ctx->text), 0);
        hegui_buf_puts(buf, "</system-out>\n");
    }
    indent(buf, 2);
    hegui_buf_puts(buf, "</testcase>\n");
}

/* refs[*out_lo, *out_hi): the findings of rule within refs[lo, hi). */
static void rule_range(const junit_ctx *ctx, size_t lo, size_t hi, const char *rule, size_t *out_lo,
                       size_t *out_hi)
{
    size_t i = lo;
    while (i < hi && strcmp(ctx->refs[i].finding->rule, rule) < 0)
        i++;
    *out_lo = i;
    while (i < hi && strcmp(ctx->refs[i].finding->rule, rule) == 0)
        i++;
    *out_hi = i;
}

/* Counts 1 test case (and 1 failure when refs[lo, hi) hold an error). */
static void count_case(const junit_ctx *ctx, size_t lo, size_t hi, size_t *tests, size_t *failures)
{
    size_t i;
    (*tests)++;
    for (i = lo; i < hi; i++) {
        if (ctx->refs[i].finding->severity == HEGUI_SEVERITY_ERROR) {
            (*failures)++;
            return;
        }
    }
}

/*
 * Goes through the test cases of suite s: counts them into *tests and
 * *failures, and writes them when buf is not NULL.
 */
static void suite_cases(junit_ctx *ctx, hegui_buf *buf, const junit_suite *s, size_t *tests,
                        size_t *failures)
{
    size_t r, a, b, i;
    int no_zone = !*s->code;

    for (r = 0; r < ctx->catalogue_count; r++) {
        const char *rule = ctx->catalogue[r].id;
        rule_range(ctx, s->lo, s->hi, rule, &a, &b);
        if (a == b && (no_zone || !ctx->eligible[r]))
            continue;
        count_case(ctx, a, b, tests, failures);
        if (buf)
            put_case(ctx, buf, s, rule, a, b);
    }
    /* Rules the catalogue does not know, in id order (refs are sorted). */
    for (i = s->lo; i < s->hi; i = b) {
        const char *rule = ctx->refs[i].finding->rule;
        rule_range(ctx, i, s->hi, rule, &a, &b);
        if (hegui_rules_find(rule))
            continue;
        count_case(ctx, a, b, tests, failures);
        if (buf)
            put_case(ctx, buf, s, rule, a, b);
    }
}

/* Marks the catalogue rules every zone gets a test case for. */
static void plan_rules(junit_ctx *ctx)
{
    const hegui_run *run = ctx->run;
    int survey_only = run->command && strcmp(run->command, "validate") == 0;
    size_t r, k;

    for (r = 0; r < ctx->catalogue_count; r++) {
        const hegui_rule_def *def = &ctx->catalogue[r];
        int enabled = run->config == NULL;
        if (survey_only && strcmp(def->family, "survey") != 0)
            continue;
        for (k = 0; run->config && k < run->config->rule_count; k++) {
            const hegui_rule_config *rc = &run->config->rules[k];
            if (rc->id && strcmp(rc->id, def->id) == 0) {
                enabled = rc->enabled;
                break;
            }
        }
        ctx->eligible[r] = (char)(enabled != 0);
    }
}

/*
 * Builds the suites: run->zones, zone codes named only by findings, and
 * "(no zone)" last when some finding has no zone code. *out is freed with
 * hegui_free.
 */
static int plan_suites(junit_suite **out, size_t *out_count, const junit_ctx *ctx)
{
    int rc = HEGUI_OK;
    const hegui_run *run = ctx->run;
    junit_suite *suites = NULL;
    size_t n = 0, unique = 0, i, no_zone_end = 0, pos;

    *out = NULL;
    *out_count = 0;
    suites = hegui_calloc(run->zone_count + ctx->ref_count + 1, sizeof(*suites));
    if (!suites) {
        rc = HEGUI_ENOMEM;
        goto done;
    }
    for (i = 0; run->zones && i < run->zone_count; i++) {
        if (!run->zones[i].code || !*run->zones[i].code)
            continue;
        suites[n].code = run->zones[i].code;
        suites[n].name = run->zones[i].name;
        suites[n].from_zones = 1;
        n++;
    }
    for (i = 0; i < ctx->ref_count; i++) {
        const hegui_finding *f = ctx->refs[i].finding;
        if (!*f->zone_code) {
            no_zone_end = i + 1; /* "" sorts first */
            continue;
        }
        if (i > 0 && strcmp(ctx->refs[i - 1].finding->zone_code, f->zone_code) == 0)
            continue;
        suites[n].code = f->zone_code;
        suites[n].name = f->zone_name;
        n++;
    }
    if (n > 1)
        qsort(suites, n, sizeof(*suites), compare_suites);
    for (i = 0; i < n; i++) {
        if (unique > 0 && strcmp(suites[unique - 1].code, suites[i].code) == 0)
            continue;
        suites[unique++] = suites[i];
    }
    /* Each suite's range of refs: both lists are sorted by code. */
    pos = no_zone_end;
    for (i = 0; i < unique; i++) {
        while (pos < ctx->ref_count &&
               strcmp(ctx->refs[pos].finding->zone_code, suites[i].code) < 0)
            pos++;
        suites[i].lo = pos;
        while (pos < ctx->ref_count &&
               strcmp(ctx->refs[pos].finding->zone_code, suites[i].code) == 0)
            pos++;
        suites[i].hi = pos;
    }
    if (no_zone_end > 0) {
        suites[unique].code = "";
        suites[unique].name = NO_ZONE;
        suites[unique].lo = 0;
        suites[unique].hi = no_zone_end;
        unique++;
    }
    *out = suites;
    *out_count = unique;
    suites = NULL;

done:
    hegui_free(suites);
    return rc;
}

int report_junit_write(FILE *out, const hegui_run *run, const hegui_report_options *options)
{
    int rc = HEGUI_OK;
    hegui_buf buf = HEGUI_BUF_INIT;
    junit_ctx ctx;
    junit_suite *suites = NULL;
    size_t suite_count = 0, i, tests = 0, failures = 0;

    memset(&ctx, 0, sizeof(ctx));
    ctx.run = run;
    ctx.options = options ? options : report_default_options();
    ctx.catalogue = hegui_rules_catalogue(&ctx.catalogue_count);
    ctx.eligible = hegui_calloc(ctx.catalogue_count, 1);
    ctx.refs = hegui_calloc(run->findings.count, sizeof(*ctx.refs));
    if (!ctx.eligible || !ctx.refs) {
        rc = HEGUI_ENOMEM;
        goto done;
    }
    ctx.ref_count = run->findings.count;
    for (i = 0; i < ctx.ref_count; i++) {
        ctx.refs[i].finding = &run->findings.items[i];
        ctx.refs[i].index = i;
    }
    if (ctx.ref_count > 1)
        qsort(ctx.refs, ctx.ref_count, sizeof(*ctx.refs), compare_refs);
    plan_rules(&ctx);
    if ((rc = plan_suites(&suites, &suite_count, &ctx)) < 0)
        goto done;

    for (i = 0; i < suite_count; i++)
        suite_cases(&ctx, NULL, &suites[i], &tests, &failures);
    hegui_buf_puts(&buf, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    hegui_buf_printf(&buf,
                     "<testsuites name=\"hegui\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
                     tests, failures);
    for (i = 0; i < suite_count; i++) {
        size_t suite_tests = 0, suite_failures = 0;
        suite_cases(&ctx, NULL, &suites[i], &suite_tests, &suite_failures);
        indent(&buf, 1);
        hegui_buf_puts(&buf, "<testsuite name=\"");
        suite_name(&buf, &suites[i]);
        hegui_buf_printf(&buf, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\"", suite_tests,
                         suite_failures);
        if (suite_tests == 0) {
            hegui_buf_puts(&buf, "/>\n");
        } else {
            hegui_buf_puts(&buf, ">\n");
            suite_cases(&ctx, &buf, &suites[i], &suite_tests, &suite_failures);
            indent(&buf, 1);
            hegui_buf_puts(&buf, "</testsuite>\n");
        }
        if (ctx.text.failed) {
            rc = HEGUI_ENOMEM;
            goto done;
        }
        if ((rc = report_flush_some(out, &buf)) < 0)
            goto done;
    }
    hegui_buf_puts(&buf, "</testsuites>\n");
    rc = report_flush(out, &buf);

done:
    hegui_buf_release(&ctx.text);
    hegui_free(ctx.refs);
    hegui_free(ctx.eligible);
    hegui_free(suites);
    hegui_buf_release(&buf);
    return rc;
}
