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
/* report_xlsx.c: report.xlsx (libxlsxwriter), the formatted workbook for
 * planners. write_path creates the file at path; write builds it in a
 * temporary file and copies the bytes. */
int report_xlsx_write(FILE *out, const hegui_run *run, const hegui_report_options *options);
int report_xlsx_write_path(const char *path, const hegui_run *run,
                           const hegui_report_options *options);
/* report_html.c: report.html, one self-contained page with a map per zone. */
int report_html_write(FILE *out, const hegui_run *run, const hegui_report_options *options);

/* --- report.xlsx internals, exposed for the unit tests (report_xlsx.c) --- */

/* Excel's limits: a sheet name of at most 31 characters, a cell of at most
 * 32 767 (both counted in UTF-16 code units, as Excel does). */
#define REPORT_XLSX_SHEET_NAME_MAX 31
#define REPORT_XLSX_CELL_MAX 32767
/*
 * A sheet name Excel accepts, made from name into out (size >= 128 is
 * always enough): the characters : \ / ? * [ ] become '_', control
 * characters are dropped, a leading or trailing apostrophe is removed,
 * invalid UTF-8 is repaired, and the result is cut to 31 UTF-16 code units
 * at a character boundary; an empty result (or Excel's reserved "History")
 * becomes "Sheet".
 */
void report_xlsx_sheet_name(char *out, size_t size, const char *name);
/*
 * Text for a cell: invalid UTF-8 repaired, control characters other than
 * tab and newline replaced by a space, and text longer than 32 767 UTF-16
 * code units cut at a character boundary with the marker
 * REPORT_XLSX_TRUNCATED appended (the whole stays within the limit).
 * Returns a new string (free with hegui_free) or NULL (HEGUI_ENOMEM).
 */
char *report_xlsx_cell_text(const char *text);
#define REPORT_XLSX_TRUNCATED "…[已截断 truncated]"

/* --- WKT to SVG, for the maps of report.html (wkt_svg.c) --- */

/* What a WKT geometry is made of, for drawing: points, lines and polygon
 * rings (no GEOS: the reports stay free of geometry engines). */
typedef enum report_part_kind {
    REPORT_PART_POINT,
    REPORT_PART_LINE,
    REPORT_PART_RING
} report_part_kind;

typedef struct report_part {
    report_part_kind kind;
    int exterior; /* RING: 1 for the exterior ring of a polygon, 0 for a hole */
    size_t first; /* index of its first coordinate pair in report_geometry.xy */
    size_t count; /* coordinate pairs */
} report_part;

/* A parsed geometry. Zero-initialise; free with report_geometry_release. */
typedef struct report_geometry {
    double *xy; /* x0, y0, x1, y1, … (easting, northing; Z and M dropped) */
    size_t xy_count, xy_cap; /* coordinate pairs used / allocated */
    report_part *parts;
    size_t part_count, part_cap;
    size_t inexact; /* numbers outside the exact path (a mantissa over 2^53 or a
                       power of ten over 22): within an ulp or two of strtod's; the
                       others are strtod's double, bit for bit */
} report_geometry;

/*
 * Parses WKT (POINT, LINESTRING, POLYGON, their MULTI forms and
 * GEOMETRYCOLLECTION; Z, M, ZM and EMPTY accepted; keywords in any case;
 * numbers read without the C locale) into out, replacing what it held.
 * "" gives an empty geometry. HEGUI_EINVAL naming the position for text
 * that is not WKT, HEGUI_ENOMEM.
 */
int report_wkt_parse(report_geometry *out, const char *wkt);
void report_geometry_release(report_geometry *g);
/* Grows box (xmin, ymin, xmax, ymax; start from +inf, +inf, -inf, -inf)
 * by every coordinate of g. */
void report_geometry_extend(const report_geometry *g, double box[4]);

/* Where a map is drawn: world (working CRS) to SVG pixels, north up. */
typedef struct report_view {
    double world_left, world_top; /* world x, y drawn at pixel (left, top) */
    double scale;                 /* pixels per world unit */
    double left, top;             /* pixel position of the map area */
    double width, height;         /* pixel size of the map area */
} report_view;

/*
 * Fits box (world) into a map area at (left, top) of at most max_width x
 * max_height pixels, keeping the aspect ratio and centring the box; a box
 * of zero width or height is widened to 100 world units around its centre.
 * out->width and out->height are the area's size (the maximum ones).
 */
void report_view_fit(report_view *out, const double box[4], double left, double top,
                     double max_width, double max_height);

/* Tolerances tried by the vertex cap: 1, 2, 4, … pixels. */
#define REPORT_SVG_LEVELS 24
/*
 * Adds to counts[k] the number of vertices report_svg_draw would write for
 * g at a tolerance of 2^k pixels, for every k < REPORT_SVG_LEVELS.
 */
void report_svg_count_levels(const report_geometry *g, const report_view *view,
                             size_t counts[REPORT_SVG_LEVELS]);
/* The smallest tolerance 2^k pixels whose count fits cap (the largest
 * tolerance when none does). */
double report_svg_pick_tolerance(const size_t counts[REPORT_SVG_LEVELS], size_t cap);
/*
 * Draws g into out as SVG elements of class cls, each with title (escaped;
 * may be NULL) as its tooltip: polygons as one <path> (fill-rule evenodd),
 * lines as a <path> of class "cls line", points as <circle>. A vertex
 * closer than tol_px pixels to the last one kept is dropped (display only:
 * never used for areas); a ring or line that collapses below the
 * tolerance is drawn as a dot (a hole: not at all), so small patches stay
 * visible. Returns the vertices written (a dot or point counts one).
 */
size_t report_svg_draw(hegui_buf *out, const report_geometry *g, const report_view *view,
                       double tol_px, const char *cls, const char *title);

/* --- HTML (report_html.c) --- */

/*
 * Appends s to out as HTML text or attribute value: & < > " ' escaped,
 * invalid UTF-8 repaired, control characters other than tab, newline and
 * carriage return dropped (HTML forbids them).
 */
void report_html_escape(hegui_buf *out, const char *s);
/* The most vertices one map of report.html draws. */
#define REPORT_HTML_MAP_VERTICES 20000

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
/* Appends s escaped for XML 1.0 (characters XML forbids are dropped);
 * attr: also tab, LF and CR as character references, so that
 * attribute-value normalisation keeps them. */
void report_put_xml(hegui_buf *buf, const char *s, int attr);
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
/* The colour of rule id in every map (findings.gpkg's QML, report.html):
 * docs/reports.md lists them; grey (128, 128, 128) for an unknown id. */
void report_rule_rgb(const char *id, unsigned char out_rgb[3]);
/*
 * value rounded to decimals digits exactly as report_format_fixed prints
 * it (so a spreadsheet holds the numbers summary.json prints); values
 * with more than 15 significant digits come back unchanged. value must be
 * finite.
 */
double report_round(double value, int decimals);

/* Options to use when the caller passed NULL. Static storage. */
const hegui_report_options *report_default_options(void);

#endif
