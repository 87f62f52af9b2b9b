/*
 * transform.c - reprojection of WKB on worker threads, optionally focused
 * on a region of interest.
 *
 * A city-wide constraint layer delivered in EPSG:4490 has tens of millions
 * of vertices, and PROJ costs ~0.2 us each; only the ones near a zone block
 * decide any result. With a focus (boxes in the target CRS and a margin),
 * a vertex is transformed exactly by PROJ when one of its edges may come
 * within the margin of a box; every other vertex is interpolated
 * bilinearly between exactly transformed nodes of a grid in the source
 * CRS. The interpolation error is measured per grid cell (at its centre)
 * and must stay under a hundredth of the margin, else the cell's vertices
 * are transformed exactly too; edges longer than LONG_EDGE_STEPS grid steps
 * are always exact at both ends, so that the straight target segment of an
 * interpolated edge stays as far from the boxes as its source segment.
 * Inside the boxes every coordinate is therefore exactly what PROJ gives,
 * and outside them the geometry keeps its shape to within a centimetre,
 * which is all the overlay needs to clip it away.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "io/io_internal.h"

/* Interpolation grid step in the source CRS: degrees, else its unit. */
#define STEP_GEOGRAPHIC 0.01
#define STEP_PROJECTED 1000.0
/* Edges longer than this many steps are exact at both ends. */
#define LONG_EDGE_STEPS 4.0
/* Cells of the near-grid: at most this many along its longer side. */
#define NEAR_GRID_CELLS 1024
/* Interpolation cells cached per transform (a power of two). */
#define CELL_SLOTS 65536

typedef struct interp_cell {
    int64_t key;     /* (ix, iy) packed; 0 with state 0: empty slot */
    int state;       /* 0 empty, 1 interpolate, 2 exact only */
    double x[4], y[4]; /* targets of (ix, iy), (ix+1, iy), (ix, iy+1), (ix+1, iy+1) */
} interp_cell;

struct hegui_transform {
    OGRCoordinateTransformationH ct; /* NULL: no reprojection */
    OGRSpatialReferenceH source, target;
    char *source_key; /* what source was built from (source_key()) */
    int target_epsg;
    int swap_xy;
    double *x, *y;       /* scratch, cap points */
    unsigned char *near; /* per point: transform exactly */
    double *ex, *ey;     /* the exact points of a run */
    size_t cap;
    /* the focus, in source coordinates; focused == 0: all exact */
    int focused;            /* interpolate far points (needs ct and the grid) */
    int has_grid;           /* the near-grid below is set */
    double gx0, gy0, gcell; /* near-grid origin and cell size */
    int gw, gh;
    unsigned char *flags;   /* gw * gh: the cell meets a box (+ margin) */
    double step;            /* interpolation grid step */
    double tolerance;       /* allowed interpolation error, target units */
    interp_cell *cells;     /* CELL_SLOTS, open addressing */
    size_t cell_used;
    const interp_cell *last; /* the cell of the previous point, or NULL */
    int64_t last_ix, last_iy;
    int64_t exact_points, interpolated_points;
};

void hegui_transform_free(hegui_transform *t)
{
    if (!t)
        return;
    if (t->ct)
        OCTDestroyCoordinateTransformation(t->ct);
    if (t->source)
        OSRDestroySpatialReference(t->source);
    if (t->target)
        OSRDestroySpatialReference(t->target);
    hegui_free(t->x);
    hegui_free(t->y);
    hegui_free(t->near);
    hegui_free(t->ex);
    hegui_free(t->ey);
    hegui_free(t->flags);
    hegui_free(t->cells);
    hegui_free(t->source_key);
    hegui_free(t);
}

/* What a layer's source CRS is built from: the CRS its coordinates are
 * reinterpreted in (and whether x and y are swapped), else its own WKT.
 * NULL when out of memory. */
static char *source_key(const hegui_layer_info *info)
{
    if (io_layer_reinterpreted(info))
        return hegui_sprintf("EPSG:%d%s", info->coord_check.suggested_epsg,
                             info->coord_check.issue == HEGUI_COORD_SWAPPED ? " swapped" : "");
    return hegui_strdup(info->crs_wkt ? info->crs_wkt : "");
}

bool hegui_transform_fits(const hegui_transform *t, const hegui_layer_info *layer, int target_epsg)
{
    char *key;
    bool same;
    if (!t->source_key || t->target_epsg != target_epsg || !(key = source_key(layer)))
        return false;
    same = strcmp(key, t->source_key) == 0;
    hegui_free(key);
    return same;
}

int hegui_transform_new(hegui_transform **out, const hegui_layer_info *info, int target_epsg)
{
    hegui_transform *t = hegui_calloc(1, sizeof(*t));
    io_capture cap;
    int rc = HEGUI_OK;
    *out = NULL;
    if (!t)
        return HEGUI_ENOMEM;
    t->target_epsg = target_epsg;
    if (!(t->source_key = source_key(info))) {
        hegui_free(t);
        return HEGUI_ENOMEM;
    }
    if (io_layer_reinterpreted(info)) {
        t->source = io_srs_from_epsg(info->coord_check.suggested_epsg);
        t->swap_xy = info->coord_check.issue == HEGUI_COORD_SWAPPED;
    } else if (info->crs_wkt) {
        t->source = io_srs_from_user_input(info->crs_wkt);
    }
    if (t->source && target_epsg) {
        t->target = io_srs_from_epsg(target_epsg);
        if (!t->target) {
            rc = HEGUI_ECRS;
            goto done;
        }
        if (!OSRIsSame(t->source, t->target)) {
            io_capture_begin(&cap);
            t->ct = OCTNewCoordinateTransformation(t->source, t->target);
            io_capture_end(&cap);
            if (!t->ct)
                rc = hegui_error_set(HEGUI_ECRS, "%s: no transformation to EPSG:%d: %s",
                                     info->path, target_epsg, cap.first);
        }
    } else if (!t->source && info->crs_wkt) {
        rc = HEGUI_ECRS;
    }
done:
    if (rc < 0) {
        hegui_transform_free(t);
        return rc;
    }
    *out = t;
    return HEGUI_OK;
}

/* --- the focus --- */

static void mark_box(hegui_transform *t, double x0, double y0, double x1, double y1)
{
    int cx0 = (int)floor((x0 - t->gx0) / t->gcell), cy0 = (int)floor((y0 - t->gy0) / t->gcell);
    int cx1 = (int)floor((x1 - t->gx0) / t->gcell), cy1 = (int)floor((y1 - t->gy0) / t->gcell);
    int cx, cy;
    cx0 = cx0 < 0 ? 0 : cx0;
    cy0 = cy0 < 0 ? 0 : cy0;
    cx1 = cx1 >= t->gw ? t->gw - 1 : cx1;
    cy1 = cy1 >= t->gh ? t->gh - 1 : cy1;
    for (cy = cy0; cy <= cy1; cy++) {
        for (cx = cx0; cx <= cx1; cx++)
            t->flags[(size_t)cy * (size_t)t->gw + (size_t)cx] = 1;
    }
}

/* An empty interpolation cache. A new one comes zeroed from calloc, its
 * 5 MB of pages touched only as cells fill; clearing it anyway faulted
 * every page in, 14-15 ms a transformation (measured alone). */
static int reset_cells(hegui_transform *t)
{
    if (t->cells)
        memset(t->cells, 0, CELL_SLOTS * sizeof(*t->cells));
    else if (t->ct && !(t->cells = hegui_calloc(CELL_SLOTS, sizeof(*t->cells))))
        return HEGUI_ENOMEM;
    t->cell_used = 0;
    t->last = NULL;
    return HEGUI_OK;
}

int hegui_transform_focus(hegui_transform *t, const double *boxes, size_t count, double margin)
{
    OGRCoordinateTransformationH inverse = NULL;
    double *src = NULL, x0 = 0, y0 = 0, x1 = 0, y1 = 0, side;
    size_t i;
    int rc = HEGUI_OK;
    io_capture cap;

    t->focused = t->has_grid = 0;
    if (count == 0)
        return HEGUI_OK; /* nothing to save: every point is exact */
    src = hegui_calloc(4 * count, sizeof(double));
    if (!src)
        return HEGUI_ENOMEM;
    io_capture_begin(&cap);
    inverse = t->ct ? OCTNewCoordinateTransformation(t->target, t->source) : NULL;
    for (i = 0; (inverse || !t->ct) && i < count; i++) {
        const double *b = boxes + 4 * i;
        double *s = src + 4 * i;
        /* densified: the bounds of the box's image, not of its corners */
        if (!t->ct) {
            s[0] = b[0] - margin, s[1] = b[1] - margin, s[2] = b[2] + margin, s[3] = b[3] + margin;
        } else if (!OCTTransformBounds(inverse, b[0] - margin, b[1] - margin, b[2] + margin,
                                       b[3] + margin, &s[0], &s[1], &s[2], &s[3], 21)) {
            break;
        }
        if (!(s[2] >= s[0]) || !(s[3] >= s[1]))
            break; /* across the antimeridian, or nothing: no focus */
        if (i == 0) {
            x0 = s[0], y0 = s[1], x1 = s[2], y1 = s[3];
        } else {
            x0 = fmin(x0, s[0]), y0 = fmin(y0, s[1]);
            x1 = fmax(x1, s[2]), y1 = fmax(y1, s[3]);
        }
    }
    io_capture_end(&cap);
    if ((t->ct && !inverse) || i < count || !(x1 > x0) || !(y1 > y0)) {
        /* no reliable inverse: stay exact everywhere, which is only slower */
        goto done;
    }
    side = fmax(x1 - x0, y1 - y0);
    t->gcell = side / NEAR_GRID_CELLS;
    t->gx0 = x0 - t->gcell;
    t->gy0 = y0 - t->gcell;
    t->gw = (int)ceil((x1 - x0) / t->gcell) + 3;
    t->gh = (int)ceil((y1 - y0) / t->gcell) + 3;
    hegui_free(t->flags);
    t->flags = hegui_calloc((size_t)t->gw * (size_t)t->gh, 1);
    if (!t->flags || (rc = reset_cells(t)) < 0) {
        rc = HEGUI_ENOMEM;
        goto done;
    }
    for (i = 0; i < count; i++)
        mark_box(t, src[4 * i], src[4 * i + 1], src[4 * i + 2], src[4 * i + 3]);
    t->step = OSRIsGeographic(t->source) ? STEP_GEOGRAPHIC : STEP_PROJECTED;
    t->tolerance = margin / 100;
    t->has_grid = 1;
    t->focused = t->ct != NULL;
done:
    if (inverse)
        OCTDestroyCoordinateTransformation(inverse);
    hegui_free(src);
    return rc;
}

int hegui_transform_clone(hegui_transform **out, const hegui_transform *model)
{
    hegui_transform *t = hegui_calloc(1, sizeof(*t));
    size_t cells = model->has_grid ? (size_t)model->gw * (size_t)model->gh : 0;
    io_capture cap;
    int rc = HEGUI_OK;
    *out = NULL;
    if (!t)
        return HEGUI_ENOMEM;
    t->swap_xy = model->swap_xy;
    t->target_epsg = model->target_epsg;
    if (model->source_key && !(t->source_key = hegui_strdup(model->source_key))) {
        hegui_free(t);
        return HEGUI_ENOMEM;
    }
    /* GDAL clones the PROJ objects into this thread's context: no lookup
     * in PROJ's database, which a thread's first transformation pays */
    io_capture_begin(&cap);
    if (model->source)
        t->source = OSRClone(model->source);
    if (model->target)
        t->target = OSRClone(model->target);
    if (model->ct)
        t->ct = OCTClone(model->ct);
    io_capture_end(&cap);
    if ((model->source && !t->source) || (model->target && !t->target) || (model->ct && !t->ct)) {
        rc = hegui_error_set(HEGUI_ECRS, "cannot copy a coordinate transformation%s%s",
                             cap.errors ? ": " : "", cap.errors ? cap.first : "");
        goto done;
    }
    if (!model->has_grid)
        goto done; /* the model is exact everywhere: so is t */
    if (!(t->flags = hegui_malloc(cells)) || reset_cells(t) < 0) {
        rc = HEGUI_ENOMEM;
        goto done;
    }
    memcpy(t->flags, model->flags, cells);
    t->gx0 = model->gx0, t->gy0 = model->gy0, t->gcell = model->gcell;
    t->gw = model->gw, t->gh = model->gh;
    t->step = model->step;
    t->tolerance = model->tolerance;
    t->has_grid = 1;
    t->focused = model->focused;
done:
    if (rc < 0) {
        hegui_transform_free(t);
        return rc;
    }
    *out = t;
    return HEGUI_OK;
}

void hegui_transform_counts(const hegui_transform *t, int64_t *exact, int64_t *interpolated)
{
    *exact = t->exact_points;
    *interpolated = t->interpolated_points;
}

/* floor(v) as an integer, for |v| < 2^62 (inlined: glibc's floor is a
 * call per point here). */
static inline long floor_long(double v)
{
    long i = (long)v;
    return i - (v < (double)i);
}

/* 1 when the near-grid cell (cx, cy) meets a box; cells outside do not. */
static int flagged(const hegui_transform *t, long cx, long cy)
{
    if (cx < 0 || cy < 0 || cx >= t->gw || cy >= t->gh)
        return 0;
    return t->flags[(size_t)cy * (size_t)t->gw + (size_t)cx];
}

/* Whether the box (x0, y0)-(x1, y1) meets a flagged cell; a box over more
 * than max_cells cells counts as near without looking. */
static int box_near(const hegui_transform *t, double x0, double y0, double x1, double y1,
                    long max_cells)
{
    long cx0 = floor_long((x0 - t->gx0) / t->gcell), cy0 = floor_long((y0 - t->gy0) / t->gcell);
    long cx1 = floor_long((x1 - t->gx0) / t->gcell), cy1 = floor_long((y1 - t->gy0) / t->gcell);
    long cx, cy;
    if (cx1 < 0 || cy1 < 0 || cx0 >= t->gw || cy0 >= t->gh)
        return 0;
    cx0 = cx0 < 0 ? 0 : cx0;
    cy0 = cy0 < 0 ? 0 : cy0;
    cx1 = cx1 >= t->gw ? t->gw - 1 : cx1;
    cy1 = cy1 >= t->gh ? t->gh - 1 : cy1;
    if ((cx1 - cx0 + 1) * (cy1 - cy0 + 1) > max_cells)
        return 1;
    for (cy = cy0; cy <= cy1; cy++) {
        for (cx = cx0; cx <= cx1; cx++) {
            if (flagged(t, cx, cy))
                return 1;
        }
    }
    return 0;
}

/* Whether the segment's bounding box meets a flagged cell; long segments
 * count as near whatever their position. */
static int segment_near(const hegui_transform *t, double ax, double ay, double bx, double by)
{
    double long_edge = LONG_EDGE_STEPS * t->step;
    if (fabs(ax - bx) > long_edge || fabs(ay - by) > long_edge)
        return 1;
    return box_near(t, fmin(ax, bx), fmin(ay, by), fmax(ax, bx), fmax(ay, by), 256);
}

bool hegui_transform_may_meet(const hegui_transform *t, const double envelope[4])
{
    const double *e = envelope;
    if (!t->has_grid)
        return true;
    if (!(fabs(e[0]) < 1e15 && fabs(e[1]) < 1e15 && fabs(e[2]) < 1e15 && fabs(e[3]) < 1e15))
        return true;
    /* the grid is in the coordinates as transformed; a large feature goes
     * to the overlay, which decides */
    return t->swap_xy ? box_near(t, e[1], e[0], e[3], e[2], 4096)
                      : box_near(t, e[0], e[1], e[2], e[3], 4096);
}

/* The cached interpolation cell (ix, iy), computed on first use. */
static const interp_cell *cell_at(hegui_transform *t, int64_t ix, int64_t iy)
{
    int64_t key = (int64_t)(((uint64_t)(uint32_t)ix << 32) | (uint32_t)iy);
    uint64_t hash = ((uint64_t)key * 0x9E3779B97F4A7C15ull) >> 48;
    size_t slot = (size_t)hash & (CELL_SLOTS - 1), k;
    interp_cell *c;
    double px[5], py[5], bx, by;
    for (;;) {
        c = &t->cells[slot];
        if (c->state == 0)
            break;
        if (c->key == key)
            return c;
        slot = (slot + 1) & (CELL_SLOTS - 1);
    }
    if (t->cell_used >= CELL_SLOTS / 2) { /* full: start over (same values) */
        memset(t->cells, 0, CELL_SLOTS * sizeof(*t->cells));
        t->cell_used = 0;
        t->last = NULL;
        slot = (size_t)hash & (CELL_SLOTS - 1);
        c = &t->cells[slot];
    }
    t->cell_used++;
    c->key = key;
    for (k = 0; k < 4; k++) {
        px[k] = (double)(ix + (int64_t)(k & 1)) * t->step;
        py[k] = (double)(iy + (int64_t)(k >> 1)) * t->step;
    }
    px[4] = ((double)ix + 0.5) * t->step;
    py[4] = ((double)iy + 0.5) * t->step;
    c->state = 2;
    if (!OCTTransform(t->ct, 5, px, py, NULL))
        return c;
    for (k = 0; k < 5; k++) {
        if (!isfinite(px[k]) || !isfinite(py[k]))
            return c;
    }
    bx = (px[0] + px[1] + px[2] + px[3]) / 4;
    by = (py[0] + py[1] + py[2] + py[3]) / 4;
    if (hypot(bx - px[4], by - py[4]) > t->tolerance)
        return c; /* too curved here: exact */
    memcpy(c->x, px, sizeof(c->x));
    memcpy(c->y, py, sizeof(c->y));
    c->state = 1;
    return c;
}

/* Interpolates (x, y) in place; 0 when the point must be exact. */
static int interpolate(hegui_transform *t, double *x, double *y)
{
    double fx = *x / t->step, fy = *y / t->step, u, v;
    int64_t ix, iy;
    const interp_cell *c;
    if (!(fabs(fx) < 1e9) || !(fabs(fy) < 1e9))
        return 0;
    ix = floor_long(fx);
    iy = floor_long(fy);
    if (t->last && ix == t->last_ix && iy == t->last_iy) {
        c = t->last; /* consecutive points mostly share a cell */
    } else {
        c = cell_at(t, ix, iy);
        t->last = c;
        t->last_ix = ix;
        t->last_iy = iy;
    }
    if (c->state != 1)
        return 0;
    u = fx - (double)ix;
    v = fy - (double)iy;
    *x = (1 - u) * (1 - v) * c->x[0] + u * (1 - v) * c->x[1] + (1 - u) * v * c->x[2] +
         u * v * c->x[3];
    *y = (1 - u) * (1 - v) * c->y[0] + u * (1 - v) * c->y[1] + (1 - u) * v * c->y[2] +
         u * v * c->y[3];
    return 1;
}

/* --- runs of points --- */

static void get_double(const unsigned char *p, int little, double *out)
{
    unsigned char b[8];
    int k;
    if (little) { /* the host is little-endian (as util/wkb.c) */
        memcpy(out, p, 8);
        return;
    }
    for (k = 0; k < 8; k++)
        b[k] = little ? p[k] : p[7 - k];
    memcpy(out, b, 8);
}

static void put_double(unsigned char *p, int little, double v)
{
    unsigned char b[8];
    int k;
    if (little) {
        memcpy(p, &v, 8);
        return;
    }
    memcpy(b, &v, 8);
    for (k = 0; k < 8; k++)
        p[k] = little ? b[k] : b[7 - k];
}

static int reserve(hegui_transform *t, size_t count)
{
    double *x, *y, *ex, *ey;
    unsigned char *near;
    if (count <= t->cap)
        return HEGUI_OK;
    x = hegui_realloc(t->x, count * sizeof(double));
    if (x)
        t->x = x;
    y = x ? hegui_realloc(t->y, count * sizeof(double)) : NULL;
    if (y)
        t->y = y;
    ex = y ? hegui_realloc(t->ex, count * sizeof(double)) : NULL;
    if (ex)
        t->ex = ex;
    ey = ex ? hegui_realloc(t->ey, count * sizeof(double)) : NULL;
    if (ey)
        t->ey = ey;
    near = ey ? hegui_realloc(t->near, count) : NULL;
    if (!near)
        return HEGUI_ENOMEM;
    t->near = near;
    t->cap = count;
    return HEGUI_OK;
}

/* Marks the points of a run that PROJ must transform: the ends of near
 * edges, and the first and last point together (a ring stays closed). A
 * point's cell is computed once; an edge within one cell is near when the
 * cell is flagged, others test their bounding box. */
static void classify(hegui_transform *t, uint32_t count)
{
    uint32_t i;
    long pcx = 0, pcy = 0;
    double long_edge = LONG_EDGE_STEPS * t->step;
    memset(t->near, 0, count);
    for (i = 0; i < count; i++) {
        double x = t->x[i], y = t->y[i];
        long cx, cy;
        int near;
        if (!(fabs(x) < 1e15) || !(fabs(y) < 1e15)) {
            t->near[i] = 1; /* PROJ decides what becomes of it */
            if (i > 0)
                t->near[i - 1] = 1;
            pcx = pcy = -1;
            continue;
        }
        cx = floor_long((x - t->gx0) / t->gcell);
        cy = floor_long((y - t->gy0) / t->gcell);
        if (i == 0) {
            near = flagged(t, cx, cy);
        } else if (cx == pcx && cy == pcy) {
            near = flagged(t, cx, cy) || fabs(x - t->x[i - 1]) > long_edge ||
                   fabs(y - t->y[i - 1]) > long_edge;
        } else {
            near = segment_near(t, t->x[i - 1], t->y[i - 1], t->x[i], t->y[i]);
        }
        if (near) {
            t->near[i] = 1;
            if (i > 0)
                t->near[i - 1] = 1;
        }
        pcx = cx;
        pcy = cy;
    }
    if (count > 1 && t->x[0] == t->x[count - 1] && t->y[0] == t->y[count - 1])
        t->near[0] = t->near[count - 1] = t->near[0] | t->near[count - 1];
}

/* Transforms one run of points in place: exact points with the same OCT
 * call that OGR_G_Transform makes, so they equal the reader's. */
static int transform_run(unsigned char *coords, uint32_t count, int dims, int little,
                         void *payload)
{
    hegui_transform *t = payload;
    size_t stride = 8 * (size_t)dims, i, n = 0;
    if (reserve(t, count) < 0)
        return HEGUI_ENOMEM;
    for (i = 0; i < count; i++) {
        get_double(coords + i * stride, little, t->swap_xy ? &t->y[i] : &t->x[i]);
        get_double(coords + i * stride + 8, little, t->swap_xy ? &t->x[i] : &t->y[i]);
    }
    if (t->ct && t->focused) {
        classify(t, count);
        for (i = 0; i < count; i++) {
            if (!t->near[i] && !interpolate(t, &t->x[i], &t->y[i]))
                t->near[i] = 1;
            if (t->near[i]) {
                t->ex[n] = t->x[i];
                t->ey[n] = t->y[i];
                n++;
            }
        }
        if (n && !OCTTransform(t->ct, (int)n, t->ex, t->ey, NULL))
            return hegui_error_set(HEGUI_EINPUT, "a coordinate cannot be transformed");
        for (i = 0, n = 0; i < count; i++) {
            if (t->near[i]) {
                t->x[i] = t->ex[n];
                t->y[i] = t->ey[n];
                n++;
            }
        }
        t->exact_points += (int64_t)n;
        t->interpolated_points += (int64_t)(count - n);
    } else if (t->ct) {
        if (!OCTTransform(t->ct, (int)count, t->x, t->y, NULL))
            return hegui_error_set(HEGUI_EINPUT, "a coordinate cannot be transformed");
        t->exact_points += count;
    }
    for (i = 0; i < count; i++) {
        put_double(coords + i * stride, little, t->x[i]);
        put_double(coords + i * stride + 8, little, t->y[i]);
    }
    return HEGUI_OK;
}

int hegui_transform_wkb(hegui_transform *t, unsigned char *wkb, size_t size)
{
    if (!t->ct && !t->swap_xy)
        return HEGUI_OK;
    return hegui_wkb_walk(wkb, size, transform_run, t);
}
