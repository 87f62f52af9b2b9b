/*
 * report_json.c - summary.json: the machine-readable result of a run.
 *
 * Schema: docs/summary-schema.json (schema_version "1.0"); docs/reports.md
 * explains the fields. The output is UTF-8, indented by 2 spaces, keys in a
 * fixed order, numbers with a fixed number of decimals (areas from the
 * unrounded m2 value: m2 2, ha 4, mu 2; share 6), so the same run gives the
 * same bytes. Areas that are NaN or infinite are a bug upstream and make
 * the writer fail with HEGUI_EINTERNAL rather than write invalid JSON.
 */
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "hegui/config.h"
#include "report/report_internal.h"

#define SCHEMA_VERSION "1.0"
#define JSON_MAX_DEPTH 8

#define ROUNDING_NOTE                                                                              \
    "rows are rounded from unrounded values; totals are computed from unrounded values, so the "   \
    "sum of rounded rows may differ from the rounded total by at most half a unit of the last "    \
    "digit per row"

/* A pretty-printing JSON emitter: tracks depth and whether a container
 * already has a member, so commas and indentation come out right. */
typedef struct json_writer {
    hegui_buf *buf;
    int depth;
    int has_member[JSON_MAX_DEPTH];
} json_writer;

/* Starts a member: comma, newline, indentation, and "key": when key. */
static void member(json_writer *w, const char *key)
{
    int i;
    if (w->depth > 0) {
        if (w->has_member[w->depth])
            hegui_buf_putc(w->buf, ',');
        w->has_member[w->depth] = 1;
        hegui_buf_putc(w->buf, '\n');
        for (i = 0; i < w->depth; i++)
            hegui_buf_puts(w->buf, "  ");
    }
    if (key) {
        hegui_buf_put_json_string(w->buf, key);
        hegui_buf_puts(w->buf, ": ");
    }
}

/* Opens an object ('{') or array ('[') as member key. */
static void open_container(json_writer *w, const char *key, char bracket)
{
    member(w, key);
    hegui_buf_putc(w->buf, bracket);
    w->depth++;
    w->has_member[w->depth] = 0;
}

/* Closes the innermost container with '}' or ']'; empty ones stay "{}". */
static void close_container(json_writer *w, char bracket)
{
    int i;
    int had_members = w->has_member[w->depth];
    w->depth--;
    if (had_members) {
        hegui_buf_putc(w->buf, '\n');
        for (i = 0; i < w->depth; i++)
            hegui_buf_puts(w->buf, "  ");
    }
    hegui_buf_putc(w->buf, bracket);
}

/* A string value; invalid UTF-8 (a bug upstream: inputs are repaired when
 * read) is repaired here too, so the file is always valid JSON. */
static void put_string(json_writer *w, const char *key, const char *value)
{
    char *repaired = NULL;
    if (!value)
        value = "";
    member(w, key);
    if (!hegui_utf8_valid(value, strlen(value))) {
        repaired = hegui_utf8_repair(value, NULL);
        if (!repaired) {
            w->buf->failed = 1; /* reported as HEGUI_ENOMEM by the flush */
            return;
        }
        value = repaired;
    }
    hegui_buf_put_json_string(w->buf, value);
    hegui_free(repaired);
}

static void put_raw(json_writer *w, const char *key, const char *text)
{
    member(w, key);
    hegui_buf_puts(w->buf, text);
}

static void put_size(json_writer *w, const char *key, size_t value)
{
    member(w, key);
    hegui_buf_printf(w->buf, "%zu", value);
}

static void put_int64_or_null(json_writer *w, const char *key, int64_t value, int64_t none)
{
    member(w, key);
    if (value == none)
        hegui_buf_puts(w->buf, "null");
    else
        hegui_buf_printf(w->buf, "%" PRId64, value);
}

/* value with decimals digits; HEGUI_EINTERNAL when it is not finite. */
static int put_fixed(json_writer *w, const char *key, double value, int decimals, const char *what)
{
    char text[512];
    if (!isfinite(value))
        return hegui_error_set(HEGUI_EINTERNAL, "summary.json: %s %s is not a finite number", what,
                               key);
    report_format_fixed(text, sizeof(text), value, decimals);
    put_raw(w, key, text);
    return HEGUI_OK;
}

/* share_of_zone: null when n/a (negative or not a number). */
static void put_share(json_writer *w, double share)
{
    char text[512];
    if (!isfinite(share) || share < 0) {
        put_raw(w, "share_of_zone", "null");
        return;
    }
    report_format_fixed(text, sizeof(text), share, 6);
    put_raw(w, "share_of_zone", text);
}

/* area_m2, area_ha, area_mu from the unrounded m2 value. */
static int put_areas(json_writer *w, double area_m2, const char *what)
{
    int rc;
    if ((rc = put_fixed(w, "area_m2", area_m2, 2, what)) < 0)
        return rc;
    if ((rc = put_fixed(w, "area_ha", hegui_area_ha(area_m2), 4, what)) < 0)
        return rc;
    return put_fixed(w, "area_mu", hegui_area_mu(area_m2), 2, what);
}

static const char *area_method_name(hegui_area_method method)
{
    return method == HEGUI_AREA_ELLIPSOIDAL ? "ellipsoidal" : "planar";
}

static void write_header(json_writer *w, const hegui_run *run)
{
    char when[32];
    size_t errors, warnings, infos, count, i;
    const hegui_rule_def *catalogue = hegui_rules_catalogue(&count);

    put_string(w, "schema_version", SCHEMA_VERSION);
    put_string(w, "command", run->command);
    open_container(w, "tool", '{');
    put_string(w, "name", "hegui");
    put_string(w, "version", hegui_version());
    put_string(w, "gdal", run->gdal_version);
    put_string(w, "geos", run->geos_version);
    put_string(w, "proj", run->proj_version);
    close_container(w, '}');
    report_format_utc(when, sizeof(when), run->timestamp);
    put_string(w, "generated_at", when);

    open_container(w, "inputs", '[');
    for (i = 0; run->inputs && i < run->input_count; i++) {
        const hegui_run_input *in = &run->inputs[i];
        open_container(w, NULL, '{');
        put_string(w, "path", in->path);
        put_string(w, "sha256", in->sha256);
        put_string(w, "layer", in->layer);
        put_string(w, "role", in->role);
        member(w, "feature_count");
        hegui_buf_printf(w->buf, "%" PRId64, in->feature_count);
        put_string(w, "crs", in->crs);
        put_string(w, "encoding", in->encoding);
        close_container(w, '}');
    }
    close_container(w, ']');

    put_string(w, "rules_source", run->rules_source);
    put_string(w, "rules_sha256", run->rules_sha256);
    open_container(w, "working_crs", '{');
    put_int64_or_null(w, "epsg", run->working_crs.epsg, 0);
    put_string(w, "name", run->working_crs.name);
    close_container(w, '}');
    put_string(w, "area_method", area_method_name(run->area_method));
    put_string(w, "fail_on", run->fail_on ? hegui_severity_name(run->fail_on) : "never");
    put_string(w, "verdict", hegui_run_passed(run) ? "pass" : "fail");

    hegui_run_counts(run, &errors, &warnings, &infos);
    open_container(w, "counts", '{');
    put_size(w, "error", errors);
    put_size(w, "warning", warnings);
    put_size(w, "info", infos);
    close_container(w, '}');

    open_container(w, "suppressed", '{');
    for (i = 0; i < count && i < sizeof(run->suppressed) / sizeof(run->suppressed[0]); i++) {
        if (run->suppressed[i])
            put_size(w, catalogue[i].id, run->suppressed[i]);
    }
    close_container(w, '}');

    open_container(w, "not_checked", '{');
    for (i = 0; i < count && i < sizeof(run->not_checked) / sizeof(run->not_checked[0]); i++) {
        if (run->not_checked[i])
            put_string(w, catalogue[i].id, run->not_checked[i]);
    }
    close_container(w, '}');

    open_container(w, "rounding", '{');
    put_raw(w, "area_m2", "2");
    put_raw(w, "area_ha", "4");
    put_raw(w, "area_mu", "2");
    put_string(w, "note", ROUNDING_NOTE);
    close_container(w, '}');
}

static int write_zones(json_writer *w, const hegui_run *run)
{
    int rc = HEGUI_OK;
    size_t i;
    open_container(w, "zones", '[');
    for (i = 0; run->zones && i < run->zone_count; i++) {
        const hegui_run_zone *z = &run->zones[i];
        char what[200];
        snprintf(what, sizeof(what), "zone %s", z->code ? z->code : "");
        open_container(w, NULL, '{');
        put_string(w, "code", z->code);
        put_string(w, "name", z->name);
        put_size(w, "block_count", z->block_count);
        if ((rc = put_areas(w, z->area_m2, what)) < 0)
            goto done;
        if ((rc = put_fixed(w, "area_ellipsoidal_m2", z->area_ellipsoidal_m2, 2, what)) < 0)
            goto done;
        close_container(w, '}');
    }
    close_container(w, ']');
done:
    return rc;
}

static int write_totals(json_writer *w, const hegui_run *run)
{
    int rc = HEGUI_OK;
    size_t i;
    open_container(w, "totals", '[');
    for (i = 0; run->totals && i < run->total_count; i++) {
        const hegui_run_total *t = &run->totals[i];
        char what[200];
        snprintf(what, sizeof(what), "total %s %s", t->rule ? t->rule : "",
                 t->zone_code ? t->zone_code : "");
        open_container(w, NULL, '{');
        put_string(w, "rule", t->rule);
        put_string(w, "zone_code", t->zone_code);
        put_size(w, "count", t->count);
        if ((rc = put_areas(w, t->area_m2, what)) < 0)
            goto done;
        put_share(w, t->share_of_zone);
        close_container(w, '}');
    }
    close_container(w, ']');
done:
    return rc;
}

/* Land-use structure per zone (check; empty for validate). */
static int write_landuse(json_writer *w, const hegui_run *run)
{
    int rc = HEGUI_OK;
    size_t i;
    open_container(w, "landuse_structure", '[');
    for (i = 0; run->landuse && i < run->landuse_count; i++) {
        const hegui_run_landuse *l = &run->landuse[i];
        char what[200];
        snprintf(what, sizeof(what), "land use %s %s", l->zone_code ? l->zone_code : "",
                 l->class_code ? l->class_code : "");
        open_container(w, NULL, '{');
        put_string(w, "zone_code", l->zone_code);
        put_string(w, "zone_name", l->zone_name);
        put_string(w, "class_code", l->class_code);
        put_string(w, "class_name", l->class_name);
        put_string(w, "verdict", l->verdict);
        if ((rc = put_areas(w, l->area_m2, what)) < 0)
            goto done;
        if ((rc = put_fixed(w, "area_ellipsoidal_m2", l->area_ellipsoidal_m2, 2, what)) < 0)
            goto done;
        put_share(w, l->share_of_zone);
        close_container(w, '}');
    }
    close_container(w, ']');
done:
    return rc;
}

/* 亩均 intensity (I03): zone rows and enterprises; empty for validate. A
 * ratio without land is null. */
static int write_intensity(json_writer *w, const hegui_run *run)
{
    int rc = HEGUI_OK;
    size_t i, k;
    open_container(w, "intensity", '[');
    for (i = 0; run->intensity && i < run->intensity_count; i++) {
        const hegui_run_intensity *r = &run->intensity[i];
        const struct {
            const char *key;
            double value;
        } ratios[] = {{"investment_per_mu", r->investment_per_mu},
                      {"output_per_mu", r->output_per_mu},
                      {"tax_per_mu", r->tax_per_mu}};
        char what[200];
        snprintf(what, sizeof(what), "intensity %s %s", r->zone_code, r->enterprise);
        open_container(w, NULL, '{');
        put_string(w, "zone_code", r->zone_code);
        put_string(w, "zone_name", r->zone_name);
        put_string(w, "enterprise", r->enterprise);
        put_string(w, "industry_code", r->industry_code);
        if ((rc = put_fixed(w, "land_m2", r->land_m2, 2, what)) < 0 ||
            (rc = put_fixed(w, "land_mu", hegui_area_mu(r->land_m2), 2, what)) < 0 ||
            (rc = put_fixed(w, "investment", r->investment, 2, what)) < 0 ||
            (rc = put_fixed(w, "output", r->output, 2, what)) < 0 ||
            (rc = put_fixed(w, "tax", r->tax, 2, what)) < 0)
            goto done;
        for (k = 0; k < sizeof(ratios) / sizeof(ratios[0]); k++) {
            if (isnan(ratios[k].value))
                put_raw(w, ratios[k].key, "null");
            else if ((rc = put_fixed(w, ratios[k].key, ratios[k].value, 4, what)) < 0)
                goto done;
        }
        put_size(w, "rank_in_zone", (size_t)r->rank_in_zone);
        close_container(w, '}');
    }
    close_container(w, ']');
done:
    return rc;
}

static int write_finding(json_writer *w, const hegui_finding *f)
{
    int rc = HEGUI_OK;
    char what[200];
    snprintf(what, sizeof(what), "finding %s %s:%lld", f->rule, f->layer, (long long)f->fid);
    open_container(w, NULL, '{');
    put_string(w, "rule", f->rule);
    put_string(w, "severity", hegui_severity_name(f->severity));
    put_string(w, "zone_code", f->zone_code);
    put_string(w, "zone_name", f->zone_name);
    put_string(w, "block", f->block);
    put_string(w, "layer", f->layer);
    put_int64_or_null(w, "fid", f->fid, -1);
    put_string(w, "other_layer", f->other_layer);
    put_int64_or_null(w, "other_fid", f->other_fid, -1);
    put_string(w, "subject_attrs", f->subject_attrs);
    put_string(w, "other_attrs", f->other_attrs);
    if (f->has_area) {
        if ((rc = put_areas(w, f->area_m2, what)) < 0)
            goto done;
        if ((rc = put_fixed(w, "area_ellipsoidal_m2", f->area_ellipsoidal_m2, 2, what)) < 0)
            goto done;
    } else {
        put_raw(w, "area_m2", "null");
        put_raw(w, "area_ha", "null");
        put_raw(w, "area_mu", "null");
        put_raw(w, "area_ellipsoidal_m2", "null");
    }
    put_share(w, f->share_of_zone);
    put_string(w, "message_zh", f->message_zh);
    put_string(w, "message_en", f->message_en);
    put_string(w, "wkt", f->wkt);
    close_container(w, '}');
done:
    return rc;
}

/* --- the findings, formatted on two threads --- */

/* A chunk ends after CHUNK_FINDINGS findings or once its WKT reaches
 * CHUNK_WKT_BYTES, whichever comes first: the patches of a red line can be
 * megabytes each, and chunks of equal counts then differ fifty-fold in
 * work, leaving one thread formatting alone. Chunks formatted ahead of the
 * one being written, at most (memory stays flat: the WKT of 10^6-patch runs
 * is 100 MB). */
#define CHUNK_FINDINGS 256
#define CHUNK_WKT_BYTES (1u << 20)
#define CHUNKS_AHEAD 8

/* The findings array cut into chunks that two threads format (the writer
 * and one helper, unless -j 1) and the writer writes in order: the same
 * bytes as one thread, in about half the time. */
typedef struct finding_chunks {
    const hegui_run *run;
    size_t count;    /* chunks */
    size_t *start;   /* per chunk and one past the last: its first finding */
    hegui_buf *bufs; /* per chunk */
    int *rc;         /* per chunk: CHUNK_PENDING until formatted */
    char **message;  /* per chunk that failed: the formatting thread's message */
    size_t next;     /* next chunk to format */
    size_t written;  /* chunks written */
    int stop;        /* the writer failed: the helper stops */
    pthread_mutex_t lock;
    pthread_cond_t formatted, freed;
} finding_chunks;

#define CHUNK_PENDING 1

static void format_chunk(finding_chunks *fc, size_t k)
{
    const hegui_findings *list = &fc->run->findings;
    size_t i = fc->start[k], end = fc->start[k + 1];
    json_writer w;
    int rc = HEGUI_OK;
    memset(&w, 0, sizeof(w));
    w.buf = &fc->bufs[k];
    w.depth = 2; /* inside the top object's "findings" array */
    w.has_member[2] = k > 0;
    for (; i < end && rc == HEGUI_OK; i++)
        rc = write_finding(&w, &list->items[i]);
    if (rc == HEGUI_OK && w.buf->failed)
        rc = HEGUI_ENOMEM;
    if (rc < 0) /* messages are per thread: the writer reports it */
        fc->message[k] = hegui_strdup(hegui_error_last());
    pthread_mutex_lock(&fc->lock);
    fc->rc[k] = rc;
    pthread_cond_broadcast(&fc->formatted);
    pthread_mutex_unlock(&fc->lock);
}

/* The next chunk to format, or SIZE_MAX: none left, or (unless wait)
 * CHUNKS_AHEAD already waiting to be written. The helper waits for room;
 * the writer never does (it makes the room). */
static size_t take_chunk(finding_chunks *fc, bool wait)
{
    size_t k = SIZE_MAX;
    pthread_mutex_lock(&fc->lock);
    while (wait && !fc->stop && fc->next < fc->count && fc->next >= fc->written + CHUNKS_AHEAD)
        pthread_cond_wait(&fc->freed, &fc->lock);
    if (!fc->stop && fc->next < fc->count && fc->next < fc->written + CHUNKS_AHEAD)
        k = fc->next++;
    pthread_mutex_unlock(&fc->lock);
    return k;
}

static void *format_helper(void *arg)
{
    finding_chunks *fc = arg;
    size_t k;
    while ((k = take_chunk(fc, true)) != SIZE_MAX)
        format_chunk(fc, k);
    return NULL;
}

/* Cuts the findings into chunks (CHUNK_FINDINGS, CHUNK_WKT_BYTES): fills
 * fc->start and fc->count. */
static int cut_chunks(finding_chunks *fc, const hegui_findings *list)
{
    size_t i, n = 0, wkt = 0, in_chunk = 0;
    /* at most one chunk per finding, plus the end */
    fc->start = hegui_calloc(list->count + 1, sizeof(*fc->start));
    if (!fc->start)
        return HEGUI_ENOMEM;
    for (i = 0; i < list->count; i++) {
        if (i == 0 || in_chunk == CHUNK_FINDINGS || wkt >= CHUNK_WKT_BYTES) {
            fc->start[n++] = i;
            in_chunk = wkt = 0;
        }
        in_chunk++;
        wkt += list->items[i].wkt ? strlen(list->items[i].wkt) : 0;
    }
    fc->start[n] = list->count;
    fc->count = n;
    return HEGUI_OK;
}

/* Writes every finding, comma-separated, at the writer's position, with a
 * helper thread unless threads is 1. */
static int write_findings(FILE *out, const hegui_run *run, int threads)
{
    finding_chunks fc;
    pthread_t helper;
    int started, rc = HEGUI_OK;
    size_t k;
    memset(&fc, 0, sizeof(fc));
    fc.run = run;
    if (run->findings.count == 0)
        return HEGUI_OK;
    if ((rc = cut_chunks(&fc, &run->findings)) < 0)
        return rc;
    fc.bufs = hegui_calloc(fc.count, sizeof(*fc.bufs));
    fc.rc = hegui_calloc(fc.count, sizeof(*fc.rc));
    fc.message = hegui_calloc(fc.count, sizeof(*fc.message));
    if (!fc.bufs || !fc.rc || !fc.message) {
        hegui_free(fc.start);
        hegui_free(fc.bufs);
        hegui_free(fc.rc);
        hegui_free(fc.message);
        return HEGUI_ENOMEM;
    }
    for (k = 0; k < fc.count; k++)
        fc.rc[k] = CHUNK_PENDING;
    pthread_mutex_init(&fc.lock, NULL);
    pthread_cond_init(&fc.formatted, NULL);
    pthread_cond_init(&fc.freed, NULL);
    started = threads != 1 && pthread_create(&helper, NULL, format_helper, &fc) == 0;
    for (k = 0; k < fc.count && rc == HEGUI_OK; k++) {
        int chunk_rc;
        /* format what can be taken until chunk k is done */
        for (;;) {
            size_t j;
            pthread_mutex_lock(&fc.lock);
            chunk_rc = fc.rc[k];
            pthread_mutex_unlock(&fc.lock);
            if (chunk_rc != CHUNK_PENDING)
                break;
            if ((j = take_chunk(&fc, false)) != SIZE_MAX) {
                format_chunk(&fc, j);
                continue;
            }
            pthread_mutex_lock(&fc.lock);
            while (fc.rc[k] == CHUNK_PENDING)
                pthread_cond_wait(&fc.formatted, &fc.lock);
            pthread_mutex_unlock(&fc.lock);
        }
        if (chunk_rc < 0)
            rc = fc.message[k] ? hegui_error_set(chunk_rc, "%s", fc.message[k]) : chunk_rc;
        else
            rc = report_flush(out, &fc.bufs[k]);
        hegui_buf_release(&fc.bufs[k]);
        pthread_mutex_lock(&fc.lock);
        fc.written++;
        fc.stop = rc < 0;
        pthread_cond_broadcast(&fc.freed);
        pthread_mutex_unlock(&fc.lock);
    }
    if (started)
        pthread_join(helper, NULL);
    for (k = 0; k < fc.count; k++) {
        hegui_buf_release(&fc.bufs[k]);
        hegui_free(fc.message[k]);
    }
    hegui_free(fc.message);
    pthread_cond_destroy(&fc.freed);
    pthread_cond_destroy(&fc.formatted);
    pthread_mutex_destroy(&fc.lock);
    hegui_free(fc.start);
    hegui_free(fc.bufs);
    hegui_free(fc.rc);
    return rc;
}

int report_json_write(FILE *out, const hegui_run *run, const hegui_report_options *options)
{
    int rc = HEGUI_OK;
    hegui_buf buf = HEGUI_BUF_INIT;
    json_writer w;

    /* the same summary in every language */
    memset(&w, 0, sizeof(w));
    w.buf = &buf;

    open_container(&w, NULL, '{');
    write_header(&w, run);
    if ((rc = write_zones(&w, run)) < 0)
        goto done;
    if ((rc = write_totals(&w, run)) < 0)
        goto done;
    if ((rc = write_landuse(&w, run)) < 0 || (rc = write_intensity(&w, run)) < 0)
        goto done;
    open_container(&w, "findings", '[');
    if ((rc = report_flush(out, &buf)) < 0 ||
        (rc = write_findings(out, run, options ? options->threads : 0)) < 0)
        goto done;
    w.has_member[w.depth] = run->findings.count > 0;
    close_container(&w, ']');
    close_container(&w, '}');
    hegui_buf_putc(&buf, '\n');
    rc = report_flush(out, &buf);

done:
    hegui_buf_release(&buf);
    return rc;
}
