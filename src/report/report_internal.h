/*
 * report/report_internal.h - private declarations of the report module:
 * the write function of each format (one file per format, one entry in the
 * table in report.c) and the helpers every format shares (report.c).
 *
 * Writers build their text in a hegui_buf and hand it to the stream in
 * pieces with report_flush_some()/report_flush(), so memory stays flat for
 * large runs. A writer returns 0, HEGUI_ENOMEM, HEGUI_EOUTPUT (the stream
 * failed) or HEGUI_EINTERNAL (the run holds a value no report can show).
 * options is never NULL when a writer is called through the table helpers;
 * writers still accept NULL (defaults: Chinese, no colour, not quiet).
 */
#ifndef HEGUI_REPORT_INTERNAL_H
#define HEGUI_REPORT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hegui/report.h"
#include "util/util.h"

/* --- the formats (one file each) --- */

/* report_console.c: verdict line, then one table per rule (text, stdout). */
int report_console_write(FILE *out, const hegui_run *run, const hegui_report_options *options);
/* report_json.c: summary.json, documented by docs/summary-schema.json. */
int report_json_write(FILE *out, const hegui_run *run, const hegui_report_options *options);
/* report_junit.c: junit.xml, one test case per zone x rule. */
int report_junit_write(FILE *out, const hegui_run *run, const hegui_report_options *options);
/* report_github.c: GitHub Actions workflow commands, one per finding. */
int report_github_write(FILE *out, const hegui_run *run, const hegui_report_options *options);
/* report_gpkg.c: findings.gpkg (GDAL), one layer per rule family and
 * shape, styled for QGIS by a layer_styles table. write_path creates the
 * file at path; write builds it in GDAL's /vsimem/ and copies the bytes. */
int report_gpkg_write(FILE *out, const hegui_run *run, const hegui_report_options *options);
int report_gpkg_write_path(const char *path, const hegui_run *run,
                           const hegui_report_options *options);
/* report_csv.c: findings.csv, UTF-8 with BOM, RFC 4180, CRLF (Excel). */
int report_csv_write(FILE *out, const hegui_run *run, const hegui_report_options *options);

/* --- shared helpers (report.c) --- */

/* Buffers larger than this are handed to the stream by report_flush_some. */
#define REPORT_FLUSH_BYTES 65536

/*
 * Writes buf's content to out and empties buf. HEGUI_ENOMEM when an append
 * to buf had failed, HEGUI_EOUTPUT (message set) when the stream fails.
 */
int report_flush(FILE *out, hegui_buf *buf);
/* report_flush when buf holds more than REPORT_FLUSH_BYTES, else 0. */
int report_flush_some(FILE *out, hegui_buf *buf);

/*
 * Formats value with `decimals` digits after a '.' whatever the C locale,
 * rounding the unrounded binary value as printf does; "-0.00" becomes
 * "0.00". value must be finite. size >= 64 is always enough.
 */
void report_format_fixed(char *out, size_t size, double value, int decimals);

/* "YYYY-MM-DDTHH:MM:SSZ" (UTC) of seconds since 1970; size >= 32. */
void report_format_utc(char *out, size_t size, long long timestamp);

/*
 * Decodes one UTF-8 sequence at s into *out_cp and returns its length in
 * bytes; 0 at the terminating NUL. An invalid or truncated sequence gives
 * U+FFFD and length 1 (so a caller always advances).
 */
size_t report_utf8_next(const char *s, uint32_t *out_cp);
/*
 * Terminal columns of code point cp: 2 for East Asian wide and full-width
 * characters (CJK ideographs, kana, hangul, full-width forms and
 * punctuation), 0 for controls and combining marks, else 1.
 */
int report_codepoint_width(uint32_t cp);
/* Terminal columns of the UTF-8 string s (sum of report_codepoint_width). */
size_t report_display_width(const char *s);

/* Title of rule id in lang from the catalogue; "" for an unknown id. */
const char *report_rule_title(const char *id, hegui_lang lang);

/* Options to use when the caller passed NULL. Static storage. */
const hegui_report_options *report_default_options(void);

#endif
