/*
 * wkt_svg.c - geometry for the maps of report.html: a small WKT parser
 * (POINT, LINESTRING, POLYGON, their MULTI forms, GEOMETRYCOLLECTION) and
 * the drawing of parsed geometries as SVG in a north-up view.
 *
 * The reports carry geometry as WKT in the working CRS (millimetre
 * coordinates, written by GEOS); drawing it needs no geometry engine, so
 * this file uses none. Numbers are parsed and printed without the C
 * library's locale-dependent functions (strtod, printf %f), so a map is
 * the same whatever the locale.
 *
 * Simplification is for display only: a vertex closer than the tolerance
 * (in pixels) to the last vertex kept is dropped. Areas are never computed
 * from what is drawn. The caller picks the tolerance with
 * report_svg_count_levels/report_svg_pick_tolerance so that a whole map
 * stays under a vertex cap.
 */
#include <math.h>
#include <string.h>

#include "report/report_internal.h"

/* Collections nested deeper than this are refused (the parser recurses). */
#define WKT_MAX_DEPTH 32

/* --- parsing --- */

typedef struct wkt_parser {
    const char *text;   /* the whole WKT, for error positions */
    const char *p;      /* current position */
    report_geometry *g; /* being filled */
    int dims;           /* ordinates per coordinate of the current geometry */
} wkt_parser;

static void skip_space(wkt_parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
        ps->p++;
}

static int syntax_error(const wkt_parser *ps, const char *what)
{
    return hegui_error_set(HEGUI_EINVAL, "WKT: %s at character %zu", what,
                           (size_t)(ps->p - ps->text) + 1);
}

/* True (and consumes it) when the next token is the character c. */
static int accept_char(wkt_parser *ps, char c)
{
    skip_space(ps);
    if (*ps->p != c)
        return 0;
    ps->p++;
    return 1;
}

static int expect_char(wkt_parser *ps, char c)
{
    char what[32];
    if (accept_char(ps, c))
        return HEGUI_OK;
    snprintf(what, sizeof(what), "expected '%c'", c);
    return syntax_error(ps, what);
}

/* Reads a keyword (letters) into word, upper-cased; "" when none. */
static void read_word(wkt_parser *ps, char *word, size_t size)
{
    size_t n = 0;
    skip_space(ps);
    while ((*ps->p >= 'A' && *ps->p <= 'Z') || (*ps->p >= 'a' && *ps->p <= 'z')) {
        if (n + 1 < size)
            word[n++] = (char)(*ps->p >= 'a' ? *ps->p - 'a' + 'A' : *ps->p);
        ps->p++;
    }
    word[n] = '\0';
}

/* 10^0 .. 10^22: every one an exact double */
static const double powers_of_ten[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/*
 * A decimal number ([-+]digits[.digits][e[-+]digits]) without strtod: the
 * digits as an integer (the first 18 significant ones; enough for
 * display), scaled by a power of ten.
 */
static int read_number(wkt_parser *ps, double *out)
{
    const char *p;
    unsigned long long mantissa = 0;
    int negative = 0, digits = 0, significant = 0, exponent = 0, exp_negative = 0, exp_value = 0;
    double value;

    skip_space(ps);
    p = ps->p;
    if (*p == '-' || *p == '+')
        negative = *p++ == '-';
    for (; *p >= '0' && *p <= '9'; p++, digits++) {
        if (significant < 18) {
            mantissa = mantissa * 10u + (unsigned)(*p - '0');
            if (mantissa)
                significant++;
        } else {
            exponent++;
        }
    }
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++, digits++) {
            if (significant < 18) {
                mantissa = mantissa * 10u + (unsigned)(*p - '0');
                exponent--;
                if (mantissa)
                    significant++;
            }
        }
    }
    if (digits == 0)
        return syntax_error(ps, "expected a number");
    if (*p == 'e' || *p == 'E') {
        const char *e = p + 1;
        if (*e == '-' || *e == '+')
            exp_negative = *e++ == '-';
        if (*e < '0' || *e > '9')
            return syntax_error(ps, "bad exponent");
        for (; *e >= '0' && *e <= '9'; e++) {
            if (exp_value < 10000)
                exp_value = exp_value * 10 + (*e - '0');
        }
        exponent += exp_negative ? -exp_value : exp_value;
        p = e;
    }
    value = (double)mantissa;
    /* up to 2^53 and 10^22 both are exact: one division or product rounds
     * correctly, as strtod does (the usual case, a few decimals); pow is a
     * fifth of drawing report.html's maps */
    if (exponent < 0 && exponent >= -22 && mantissa <= (1ull << 53))
        value /= powers_of_ten[-exponent];
    else if (exponent > 0 && exponent <= 22 && mantissa <= (1ull << 53))
        value *= powers_of_ten[exponent];
    else if (exponent || mantissa > (1ull << 53)) {
        /* rounded more than once (or from 18 digits at most): within an ulp
         * or two of strtod, and counted */
        if (exponent)
            value *= pow(10.0, exponent);
        ps->g->inexact++;
    }
    if (!isfinite(value))
        return syntax_error(ps, "number out of range");
    *out = negative ? -value : value;
    ps->p = p;
    return HEGUI_OK;
}

static int add_pair(report_geometry *g, double x, double y)
{
    if (g->xy_count == g->xy_cap) {
        size_t cap = g->xy_cap ? 2 * g->xy_cap : 64;
        double *grown = hegui_realloc(g->xy, cap * 2 * sizeof(*grown));
        if (!grown)
            return HEGUI_ENOMEM;
        g->xy = grown;
        g->xy_cap = cap;
    }
    g->xy[2 * g->xy_count] = x;
    g->xy[2 * g->xy_count + 1] = y;
    g->xy_count++;
    return HEGUI_OK;
}

static int add_part(report_geometry *g, report_part_kind kind, int exterior, size_t first)
{
    report_part *part;
    if (g->part_count == g->part_cap) {
        size_t cap = g->part_cap ? 2 * g->part_cap : 8;
        report_part *grown = hegui_realloc(g->parts, cap * sizeof(*grown));
        if (!grown)
            return HEGUI_ENOMEM;
        g->parts = grown;
        g->part_cap = cap;
    }
    part = &g->parts[g->part_count++];
    part->kind = kind;
    part->exterior = exterior;
    part->first = first;
    part->count = g->xy_count - first;
    return HEGUI_OK;
}

/* One coordinate: ps->dims numbers (at least 2), of which x and y are kept. */
static int read_coordinate(wkt_parser *ps)
{
    double v[4] = {0, 0, 0, 0};
    int i, rc;
    for (i = 0; i < ps->dims; i++) {
        if ((rc = read_number(ps, &v[i])) < 0)
            return rc;
    }
    /* a coordinate with Z but no Z/M tag ("POINT (1 2 3)") */
    for (; i < 4; i++) {
        skip_space(ps);
        if (!((*ps->p >= '0' && *ps->p <= '9') || *ps->p == '-' || *ps->p == '+' || *ps->p == '.'))
            break;
        if ((rc = read_number(ps, &v[i])) < 0)
            return rc;
    }
    return add_pair(ps->g, v[0], v[1]);
}

/* "(x y, x y, …)" as one part of kind. */
static int read_sequence(wkt_parser *ps, report_part_kind kind, int exterior)
{
    size_t first = ps->g->xy_count;
    int rc;
    if ((rc = expect_char(ps, '(')) < 0)
        return rc;
    do {
        if ((rc = read_coordinate(ps)) < 0)
            return rc;
    } while (accept_char(ps, ','));
    if ((rc = expect_char(ps, ')')) < 0)
        return rc;
    return add_part(ps->g, kind, exterior, first);
}

/* "(ring, ring, …)": the first ring is the exterior. Also "EMPTY". */
static int read_polygon_body(wkt_parser *ps)
{
    int rc, first = 1;
    char word[16];
    const char *save = ps->p;
    read_word(ps, word, sizeof(word));
    if (strcmp(word, "EMPTY") == 0)
        return HEGUI_OK;
    ps->p = save;
    if ((rc = expect_char(ps, '(')) < 0)
        return rc;
    do {
        if ((rc = read_sequence(ps, REPORT_PART_RING, first)) < 0)
            return rc;
        first = 0;
    } while (accept_char(ps, ','));
    return expect_char(ps, ')');
}

/* A MULTIPOINT member: "(x y)", or "x y" as older writers print it. */
static int read_multipoint_member(wkt_parser *ps)
{
    size_t first = ps->g->xy_count;
    int rc;
    if (accept_char(ps, '(')) {
        if ((rc = read_coordinate(ps)) < 0 || (rc = expect_char(ps, ')')) < 0)
            return rc;
    } else if ((rc = read_coordinate(ps)) < 0) {
        return rc;
    }
    return add_part(ps->g, REPORT_PART_POINT, 0, first);
}

/* A geometry tagged with its keyword, recursively for collections. */
static int read_geometry(wkt_parser *ps, int depth)
{
    char word[32], dims[8];
    const char *save;
    int rc;

    if (depth > WKT_MAX_DEPTH)
        return syntax_error(ps, "collections nested too deeply");
    read_word(ps, word, sizeof(word));
    if (!word[0])
        return syntax_error(ps, "expected a geometry type");
    /* optional Z, M or ZM, then optional EMPTY */
    ps->dims = 2;
    save = ps->p;
    read_word(ps, dims, sizeof(dims));
    if (strcmp(dims, "Z") == 0 || strcmp(dims, "M") == 0)
        ps->dims = 3;
    else if (strcmp(dims, "ZM") == 0)
        ps->dims = 4;
    else if (strcmp(dims, "EMPTY") == 0)
        return HEGUI_OK;
    else if (dims[0])
        return syntax_error(ps, "unexpected word");
    else
        ps->p = save;
    save = ps->p;
    read_word(ps, dims, sizeof(dims));
    if (strcmp(dims, "EMPTY") == 0)
        return HEGUI_OK;
    if (dims[0])
        return syntax_error(ps, "unexpected word");
    ps->p = save;

    if (strcmp(word, "POINT") == 0) {
        size_t first = ps->g->xy_count;
        if ((rc = expect_char(ps, '(')) < 0 || (rc = read_coordinate(ps)) < 0 ||
            (rc = expect_char(ps, ')')) < 0)
            return rc;
        return add_part(ps->g, REPORT_PART_POINT, 0, first);
    }
    if (strcmp(word, "LINESTRING") == 0)
        return read_sequence(ps, REPORT_PART_LINE, 0);
    if (strcmp(word, "POLYGON") == 0)
        return read_polygon_body(ps);
    {
        int points = strcmp(word, "MULTIPOINT") == 0, lines = strcmp(word, "MULTILINESTRING") == 0;
        int polygons = strcmp(word, "MULTIPOLYGON") == 0;
        int member_dims = ps->dims;
        if (!points && !lines && !polygons && strcmp(word, "GEOMETRYCOLLECTION") != 0)
            return syntax_error(ps, "unknown geometry type");
        if ((rc = expect_char(ps, '(')) < 0)
            return rc;
        do {
            ps->dims = member_dims;
            if (points)
                rc = read_multipoint_member(ps);
            else if (lines)
                rc = read_sequence(ps, REPORT_PART_LINE, 0);
            else if (polygons)
                rc = read_polygon_body(ps);
            else
                rc = read_geometry(ps, depth + 1);
            if (rc < 0)
                return rc;
        } while (accept_char(ps, ','));
        return expect_char(ps, ')');
    }
}

int report_wkt_parse(report_geometry *out, const char *wkt)
{
    wkt_parser ps;
    int rc;
    out->xy_count = 0;
    out->part_count = 0;
    out->inexact = 0;
    if (!wkt)
        return HEGUI_OK;
    ps.text = wkt;
    ps.p = wkt;
    ps.g = out;
    ps.dims = 2;
    skip_space(&ps);
    if (!*ps.p)
        return HEGUI_OK;
    rc = read_geometry(&ps, 0);
    if (rc == HEGUI_OK) {
        skip_space(&ps);
        if (*ps.p)
            rc = syntax_error(&ps, "text after the geometry");
    }
    if (rc < 0) {
        out->xy_count = 0;
        out->part_count = 0;
    }
    return rc;
}

void report_geometry_release(report_geometry *g)
{
    if (!g)
        return;
    hegui_free(g->xy);
    hegui_free(g->parts);
    memset(g, 0, sizeof(*g));
}

void report_geometry_extend(const report_geometry *g, double box[4])
{
    size_t i;
    for (i = 0; i < g->xy_count; i++) {
        double x = g->xy[2 * i], y = g->xy[2 * i + 1];
        if (x < box[0])
            box[0] = x;
        if (y < box[1])
            box[1] = y;
        if (x > box[2])
            box[2] = x;
        if (y > box[3])
            box[3] = y;
    }
}

/* --- the view --- */

void report_view_fit(report_view *out, const double box[4], double left, double top,
                     double max_width, double max_height)
{
    double xmin = box[0], ymin = box[1], xmax = box[2], ymax = box[3];
    double dx, dy, sx, sy;
    if (!(xmin <= xmax) || !(ymin <= ymax)) { /* nothing to show */
        xmin = ymin = 0;
        xmax = ymax = 0;
    }
    if (xmax - xmin <= 0) {
        xmin -= 50;
        xmax += 50;
    }
    if (ymax - ymin <= 0) {
        ymin -= 50;
        ymax += 50;
    }
    dx = xmax - xmin;
    dy = ymax - ymin;
    sx = max_width / dx;
    sy = max_height / dy;
    out->scale = sx < sy ? sx : sy;
    out->left = left;
    out->top = top;
    out->width = max_width;
    out->height = max_height;
    /* centre the box in the area */
    out->world_left = xmin - (max_width / out->scale - dx) / 2;
    out->world_top = ymax + (max_height / out->scale - dy) / 2;
}

static double to_px_x(const report_view *v, double x)
{
    return v->left + (x - v->world_left) * v->scale;
}

static double to_px_y(const report_view *v, double y)
{
    return v->top + (v->world_top - y) * v->scale;
}

/* --- drawing --- */

/* Appends v with one decimal, locale-free ("12.3", "-0.5", "7"). */
static void put_px(hegui_buf *out, double v)
{
    long long tenths = llround(v * 10.0);
    if (tenths < 0) {
        hegui_buf_putc(out, '-');
        tenths = -tenths;
    }
    hegui_buf_printf(out, "%lld", tenths / 10);
    if (tenths % 10)
        hegui_buf_printf(out, ".%lld", tenths % 10);
}

/*
 * Walks the vertices of part that survive tolerance tol (pixels): the first
 * one, then each one at least tol away from the last kept. For a ring the
 * closing vertex (equal to the first) is not visited. Calls visit for each
 * kept vertex when visit is set; returns how many were kept.
 */
static size_t walk_part(const report_geometry *g, const report_part *part, const report_view *v,
                        double tol, void (*visit)(void *payload, double x, double y, size_t k),
                        void *payload)
{
    size_t i, n = part->count, kept = 0;
    double lx = 0, ly = 0, tol2 = tol * tol;
    if (part->kind == REPORT_PART_RING && n > 1 &&
        g->xy[2 * part->first] == g->xy[2 * (part->first + n - 1)] &&
        g->xy[2 * part->first + 1] == g->xy[2 * (part->first + n - 1) + 1])
        n--; /* the closing vertex: drawn by Z */
    for (i = 0; i < n; i++) {
        double x = to_px_x(v, g->xy[2 * (part->first + i)]);
        double y = to_px_y(v, g->xy[2 * (part->first + i) + 1]);
        if (kept > 0) {
            double ddx = x - lx, ddy = y - ly;
            int last = part->kind == REPORT_PART_LINE && i + 1 == n;
            /* a line keeps its end unless it is on the last kept vertex */
            if (ddx * ddx + ddy * ddy < tol2 && !(last && ddx * ddx + ddy * ddy > 0))
                continue;
        }
        if (visit)
            visit(payload, x, y, kept);
        kept++;
        lx = x;
        ly = y;
    }
    return kept;
}

/* Vertices kept for part at tolerance tol, with collapsed parts as the
 * one dot they are drawn as (holes: nothing). */
static size_t part_vertices(const report_geometry *g, const report_part *part, const report_view *v,
                            double tol)
{
    size_t kept;
    if (part->count == 0)
        return 0;
    if (part->kind == REPORT_PART_POINT)
        return 1;
    kept = walk_part(g, part, v, tol, NULL, NULL);
    if (part->kind == REPORT_PART_RING && kept < 3)
        return part->exterior ? 1 : 0;
    if (part->kind == REPORT_PART_LINE && kept < 2)
        return 1;
    return kept;
}

void report_svg_count_levels(const report_geometry *g, const report_view *view,
                             size_t counts[REPORT_SVG_LEVELS])
{
    size_t i;
    int k;
    for (i = 0; i < g->part_count; i++) {
        double tol = 1.0;
        for (k = 0; k < REPORT_SVG_LEVELS; k++, tol *= 2)
            counts[k] += part_vertices(g, &g->parts[i], view, tol);
    }
}

double report_svg_pick_tolerance(const size_t counts[REPORT_SVG_LEVELS], size_t cap)
{
    double tol = 1.0;
    int k;
    for (k = 0; k < REPORT_SVG_LEVELS - 1; k++, tol *= 2) {
        if (counts[k] <= cap)
            return tol;
    }
    return tol;
}

/* The path writer's state: the buffer and whether a subpath is open. */
typedef struct path_writer {
    hegui_buf *out;
} path_writer;

static void visit_path(void *payload, double x, double y, size_t k)
{
    path_writer *w = payload;
    hegui_buf_puts(w->out, k == 0 ? "M" : " ");
    put_px(w->out, x);
    hegui_buf_putc(w->out, ' ');
    put_px(w->out, y);
}

/* Centre of a part's pixel bounding box: where a collapsed part's dot is. */
static void part_centre(const report_geometry *g, const report_part *part, const report_view *v,
                        double *out_x, double *out_y)
{
    double box[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    report_geometry one = *g;
    one.parts = (report_part *)part;
    one.part_count = 1;
    one.xy = g->xy + 2 * part->first;
    one.xy_count = part->count;
    report_geometry_extend(&one, box);
    *out_x = to_px_x(v, (box[0] + box[2]) / 2);
    *out_y = to_px_y(v, (box[1] + box[3]) / 2);
}

static void put_circle(hegui_buf *out, double x, double y, const char *radius, const char *cls,
                       const char *title)
{
    hegui_buf_puts(out, "<circle class=\"");
    report_html_escape(out, cls);
    hegui_buf_puts(out, "\" cx=\"");
    put_px(out, x);
    hegui_buf_puts(out, "\" cy=\"");
    put_px(out, y);
    hegui_buf_printf(out, "\" r=\"%s\">", radius);
    if (title) {
        hegui_buf_puts(out, "<title>");
        report_html_escape(out, title);
        hegui_buf_puts(out, "</title>");
    }
    hegui_buf_puts(out, "</circle>");
}

/* Opens a <path> of class cls (and extra) with its path data to follow. */
static void open_path(hegui_buf *out, const char *cls, const char *extra)
{
    hegui_buf_puts(out, "<path class=\"");
    report_html_escape(out, cls);
    hegui_buf_puts(out, extra);
    hegui_buf_puts(out, "\" d=\"");
}

static void close_path(hegui_buf *out, const char *title)
{
    hegui_buf_puts(out, "\">");
    if (title) {
        hegui_buf_puts(out, "<title>");
        report_html_escape(out, title);
        hegui_buf_puts(out, "</title>");
    }
    hegui_buf_puts(out, "</path>");
}

size_t report_svg_draw(hegui_buf *out, const report_geometry *g, const report_view *view,
                       double tol_px, const char *cls, const char *title)
{
    path_writer w;
    size_t i, drawn = 0;
    int open, pass;
    w.out = out;
    /* pass 0: polygon rings in one path; pass 1: lines in one path;
     * pass 2: points and collapsed parts as dots */
    for (pass = 0; pass < 3; pass++) {
        open = 0;
        for (i = 0; i < g->part_count; i++) {
            const report_part *part = &g->parts[i];
            size_t kept;
            double x, y;
            if (part->count == 0)
                continue;
            if (part->kind == REPORT_PART_POINT) {
                if (pass == 2) {
                    put_circle(out, to_px_x(view, g->xy[2 * part->first]),
                               to_px_y(view, g->xy[2 * part->first + 1]), "4", cls, title);
                    drawn++;
                }
                continue;
            }
            kept = walk_part(g, part, view, tol_px, NULL, NULL);
            if ((part->kind == REPORT_PART_RING && kept < 3) ||
                (part->kind == REPORT_PART_LINE && kept < 2)) {
                if (pass == 2 && (part->kind == REPORT_PART_LINE || part->exterior)) {
                    part_centre(g, part, view, &x, &y);
                    put_circle(out, x, y, "2.5", cls, title);
                    drawn++;
                }
                continue;
            }
            if ((pass == 0) != (part->kind == REPORT_PART_RING) || pass == 2)
                continue;
            if (!open) {
                open_path(out, cls, part->kind == REPORT_PART_LINE ? " line" : "");
                open = 1;
            }
            drawn += walk_part(g, part, view, tol_px, visit_path, &w);
            if (part->kind == REPORT_PART_RING)
                hegui_buf_putc(out, 'Z');
        }
        if (open)
            close_path(out, title);
    }
    return drawn;
}
