/*
 * report_csv.c - findings.csv: one row per finding, for spreadsheets and
 * anything else that reads CSV.
 *
 * The file is UTF-8 with a byte order mark (EF BB BF, so Excel detects the
 * encoding), RFC 4180: a header row, fields separated by ',', records ended
 * by CRLF, a field quoted when it holds ',', '"', CR or LF, quotes inside
 * doubled. The columns are the attributes of findings.gpkg plus the
 * geometry as WKT (docs/reports.md). Numbers are printed as in
 * summary.json (area_m2 2 decimals, area_ha 4, area_mu 2,
 * area_ellipsoidal_m2 2, share_of_zone 6, '.' whatever the locale); a null
 * value is an empty field. Rows come in the run's finding order, so the
 * same run gives the same bytes.
 *
 * Spreadsheets run a cell that starts with '=', '+', '-' or '@' as a
 * formula, and attribute values come from input files nobody vetted: a
 * text field starting with one of these (or a tab or CR) is written with a
 * leading apostrophe, which Excel and LibreOffice show as plain text.
 * Number fields are never changed. summary.json keeps the values verbatim.
 */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "hegui/config.h"
#include "report/report_internal.h"

static const char *const csv_columns[] = {
    "rule",       "severity", "zone_code",   "zone_name",           "block",         "layer",
    "layer_path", "fid",      "other_layer", "other_fid",           "subject_attrs", "other_attrs",
    "area_m2",    "area_ha",  "area_mu",     "area_ellipsoidal_m2", "share_of_zone", "message_zh",
    "message_en", "wkt",
};

/* Starts a field: a separator unless it is the first of the record. */
static void field_start(hegui_buf *buf, int *first)
{
    if (!*first)
        hegui_buf_putc(buf, ',');
    *first = 0;
}

/* A field holding raw text already known to need no quoting (numbers). */
static void put_plain(hegui_buf *buf, int *first, const char *text)
{
    field_start(buf, first);
    hegui_buf_puts(buf, text);
}

/*
 * A text field: invalid UTF-8 repaired (a bug upstream: inputs are repaired
 * when read), formula starters neutralised, quoted when needed.
 */
static void put_text(hegui_buf *buf, int *first, const char *value)
{
    char *repaired = NULL;
    const char *p;
    int formula;

    field_start(buf, first);
    if (!value)
        value = "";
    if (!hegui_utf8_valid(value, strlen(value))) {
        repaired = hegui_utf8_repair(value, NULL);
        if (!repaired) {
            buf->failed = 1; /* reported as HEGUI_ENOMEM by the flush */
            return;
        }
        value = repaired;
    }
    formula = value[0] != '\0' && strchr("=+-@\t\r", value[0]) != NULL;
    if (strpbrk(value, ",\"\r\n") == NULL) {
        if (formula)
            hegui_buf_putc(buf, '\'');
        hegui_buf_puts(buf, value);
    } else {
        hegui_buf_putc(buf, '"');
        if (formula)
            hegui_buf_putc(buf, '\'');
        for (p = value; *p; p++) {
            if (*p == '"')
                hegui_buf_putc(buf, '"');
            hegui_buf_putc(buf, *p);
        }
        hegui_buf_putc(buf, '"');
    }
    hegui_free(repaired);
}

/* A feature id; empty when none (-1). */
static void put_fid(hegui_buf *buf, int *first, int64_t fid)
{
    field_start(buf, first);
    if (fid != -1)
        hegui_buf_printf(buf, "%" PRId64, fid);
}

/* value with decimals digits; HEGUI_EINTERNAL when it is not finite. */
static int put_fixed(hegui_buf *buf, int *first, double value, int decimals, const char *column,
                     const hegui_finding *f)
{
    char text[512];
    if (!isfinite(value))
        return hegui_error_set(HEGUI_EINTERNAL,
                               "findings.csv: finding %s %s:%lld %s is not a finite number",
                               f->rule, f->layer ? f->layer : "", (long long)f->fid, column);
    report_format_fixed(text, sizeof(text), value, decimals);
    put_plain(buf, first, text);
    return HEGUI_OK;
}

static int write_row(hegui_buf *buf, const hegui_finding *f)
{
    int rc = HEGUI_OK;
    int first = 1;

    put_text(buf, &first, f->rule);
    put_text(buf, &first, hegui_severity_name(f->severity));
    put_text(buf, &first, f->zone_code);
    put_text(buf, &first, f->zone_name);
    put_text(buf, &first, f->block);
    put_text(buf, &first, f->layer);
    put_text(buf, &first, f->layer_path);
    put_fid(buf, &first, f->fid);
    put_text(buf, &first, f->other_layer);
    put_fid(buf, &first, f->other_fid);
    put_text(buf, &first, f->subject_attrs);
    put_text(buf, &first, f->other_attrs);
    if (f->has_area) {
        if ((rc = put_fixed(buf, &first, f->area_m2, 2, "area_m2", f)) < 0)
            return rc;
        if ((rc = put_fixed(buf, &first, hegui_area_ha(f->area_m2), 4, "area_ha", f)) < 0)
            return rc;
        if ((rc = put_fixed(buf, &first, hegui_area_mu(f->area_m2), 2, "area_mu", f)) < 0)
            return rc;
        if ((rc = put_fixed(buf, &first, f->area_ellipsoidal_m2, 2, "area_ellipsoidal_m2", f)) < 0)
            return rc;
    } else {
        put_plain(buf, &first, "");
        put_plain(buf, &first, "");
        put_plain(buf, &first, "");
        put_plain(buf, &first, "");
    }
    /* share: empty when n/a (negative or not a number), as null in JSON */
    if (isfinite(f->share_of_zone) && f->share_of_zone >= 0) {
        if ((rc = put_fixed(buf, &first, f->share_of_zone, 6, "share_of_zone", f)) < 0)
            return rc;
    } else {
        put_plain(buf, &first, "");
    }
    put_text(buf, &first, f->message_zh);
    put_text(buf, &first, f->message_en);
    put_text(buf, &first, f->wkt);
    hegui_buf_puts(buf, "\r\n");
    return rc;
}

int report_csv_write(FILE *out, const hegui_run *run, const hegui_report_options *options)
{
    int rc = HEGUI_OK;
    hegui_buf buf = HEGUI_BUF_INIT;
    size_t i;
    int first = 1;

    (void)options; /* the same columns in every language: both messages */
    hegui_buf_puts(&buf, "\xEF\xBB\xBF");
    for (i = 0; i < sizeof(csv_columns) / sizeof(csv_columns[0]); i++)
        put_plain(&buf, &first, csv_columns[i]);
    hegui_buf_puts(&buf, "\r\n");
    for (i = 0; i < run->findings.count; i++) {
        if ((rc = write_row(&buf, &run->findings.items[i])) < 0)
            goto done;
        if ((rc = report_flush_some(out, &buf)) < 0)
            goto done;
    }
    rc = report_flush(out, &buf);

done:
    hegui_buf_release(&buf);
    return rc;
}
