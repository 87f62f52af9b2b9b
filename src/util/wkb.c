/*
 * wkb.c - a bounds-checked walker over OGC/ISO WKB that counts coordinates
 * and finds non-finite ones, so that NaN and Inf are caught before any
 * geometry engine sees them. libc only.
 */
#include <math.h>
#include <string.h>

#include "util/util.h"

typedef struct wkb_cursor {
    unsigned char *p;
    size_t left;
    int depth;
} wkb_cursor;

static int read_u32(wkb_cursor *c, int little, uint32_t *out)
{
    const unsigned char *b = c->p;
    if (c->left < 4)
        return HEGUI_EINPUT;
    if (little)
        *out = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    else
        *out = (uint32_t)b[3] | (uint32_t)b[2] << 8 | (uint32_t)b[1] << 16 | (uint32_t)b[0] << 24;
    c->p += 4;
    c->left -= 4;
    return HEGUI_OK;
}

/* Calls visit for one run of count points of dims ordinates at c->p. */
static int visit_points(wkb_cursor *c, int little, uint32_t count, int dims,
                        hegui_wkb_visit_fn visit, void *payload)
{
    size_t bytes;
    int rc;
    if ((size_t)count > c->left / (size_t)(8 * dims))
        return HEGUI_EINPUT;
    bytes = (size_t)count * 8 * (size_t)dims;
    if (count && (rc = visit(c->p, count, dims, little, payload)) < 0)
        return rc;
    c->p += bytes;
    c->left -= bytes;
    return HEGUI_OK;
}

static int walk_geometry(wkb_cursor *c, hegui_wkb_visit_fn visit, void *payload, uint32_t *type_out)
{
    uint32_t type, base, n, i;
    int little, dims, rc;
    if (c->left < 1 || ++c->depth > 32)
        return HEGUI_EINPUT;
    little = c->p[0] == 1;
    if (c->p[0] > 1)
        return HEGUI_EINPUT;
    c->p++;
    c->left--;
    if ((rc = read_u32(c, little, &type)) < 0)
        return rc;
    base = type % 1000;
    dims = 2 + (type / 1000 == 1 || type / 1000 == 2) + 2 * (type / 1000 == 3);
    if (type > 3999 || base < 1 || base > 7)
        return HEGUI_EINPUT;
    if (type_out)
        *type_out = base;
    switch (base) {
    case 1: /* point: an empty point is NaN NaN by convention, and is skipped */
        if (c->left < (size_t)(8 * dims))
            return HEGUI_EINPUT;
        {
            double x, y;
            memcpy(&x, c->p, 8);
            memcpy(&y, c->p + 8, 8);
            if (little && isnan(x) && isnan(y)) {
                c->p += 8 * (size_t)dims;
                c->left -= 8 * (size_t)dims;
                break;
            }
        }
        rc = visit_points(c, little, 1, dims, visit, payload);
        break;
    case 2:
        if ((rc = read_u32(c, little, &n)) < 0)
            return rc;
        rc = visit_points(c, little, n, dims, visit, payload);
        break;
    case 3:
        if ((rc = read_u32(c, little, &n)) < 0)
            return rc;
        for (i = 0; i < n && rc >= 0; i++) {
            uint32_t m;
            if ((rc = read_u32(c, little, &m)) < 0)
                return rc;
            rc = visit_points(c, little, m, dims, visit, payload);
        }
        break;
    default: /* multi and collections */
        if ((rc = read_u32(c, little, &n)) < 0)
            return rc;
        if ((size_t)n > c->left / 9)
            return HEGUI_EINPUT;
        for (i = 0; i < n && rc >= 0; i++)
            rc = walk_geometry(c, visit, payload, NULL);
        break;
    }
    c->depth--;
    return rc;
}

int hegui_wkb_walk(unsigned char *wkb, size_t size, hegui_wkb_visit_fn visit, void *payload)
{
    wkb_cursor c = {wkb, size, 0};
    if (walk_geometry(&c, visit, payload, NULL) < 0)
        return hegui_error_set(HEGUI_EINPUT, "malformed WKB (%zu bytes)", size);
    return HEGUI_OK;
}

/* Widens st's envelope to the box (x0, y0)-(x1, y1) of finite points,
 * counted after it (st->points == st->nonfinite: none yet, the box is it). */
static void extend_envelope(hegui_wkb_stats *st, double x0, double y0, double x1, double y1)
{
    if (st->points == st->nonfinite) {
        st->envelope[0] = x0, st->envelope[1] = y0, st->envelope[2] = x1, st->envelope[3] = y1;
        return;
    }
    st->envelope[0] = x0 < st->envelope[0] ? x0 : st->envelope[0];
    st->envelope[1] = y0 < st->envelope[1] ? y0 : st->envelope[1];
    st->envelope[2] = x1 > st->envelope[2] ? x1 : st->envelope[2];
    st->envelope[3] = y1 > st->envelope[3] ? y1 : st->envelope[3];
}

/* Widens b (min x, min y, max x, max y) by the little-endian point at p of
 * dims coordinates; 0 when one of them is not finite. */
static inline int take_point(const unsigned char *p, int dims, double b[4])
{
    double v[4];
    int finite = 1, d;
    for (d = 0; d < dims; d++) {
        memcpy(&v[d], p + 8 * d, 8);
        finite &= isfinite(v[d]) != 0;
    }
    b[0] = v[0] < b[0] ? v[0] : b[0];
    b[1] = v[1] < b[1] ? v[1] : b[1];
    b[2] = v[0] > b[2] ? v[0] : b[2];
    b[3] = v[1] > b[3] ? v[1] : b[3];
    return finite;
}

/* The envelope of a run of count > 0 little-endian points of dims (a
 * constant where this is inlined) coordinates into box; 0 when a
 * coordinate is not finite. Two points a step, each into bounds of its
 * own: one point after the other, every min and max waits on the last. */
static inline int finite_run(const unsigned char *coords, uint32_t count, int dims, double box[4])
{
    double b0[4] = {HUGE_VAL, HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
    double b1[4] = {HUGE_VAL, HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
    size_t stride = 8 * (size_t)dims;
    uint32_t i;
    int finite = 1;
    for (i = 0; i + 1 < count; i += 2) {
        finite &= take_point(coords + stride * i, dims, b0);
        finite &= take_point(coords + stride * (i + 1), dims, b1);
    }
    if (i < count)
        finite &= take_point(coords + stride * i, dims, b0);
    box[0] = b1[0] < b0[0] ? b1[0] : b0[0];
    box[1] = b1[1] < b0[1] ? b1[1] : b0[1];
    box[2] = b1[2] > b0[2] ? b1[2] : b0[2];
    box[3] = b1[3] > b0[3] ? b1[3] : b0[3];
    return finite;
}

/* Counts points, parts and non-finite coordinates (hegui_wkb_scan). */
static int count_points(unsigned char *coords, uint32_t count, int dims, int little,
                        void *payload)
{
    hegui_wkb_stats *st = payload;
    uint32_t i;
    int d;
    st->parts++;
    if (little && count > 0 && dims >= 2 && dims <= 4) {
        /* the usual case, every coordinate finite: one pass of plain loads,
         * with dims a constant in each call; else the careful loop below
         * finds the first bad point */
        double box[4];
        int finite = dims == 2   ? finite_run(coords, count, 2, box)
                     : dims == 3 ? finite_run(coords, count, 3, box)
                                 : finite_run(coords, count, 4, box);
        if (finite) {
            extend_envelope(st, box[0], box[1], box[2], box[3]);
            st->points += count;
            return HEGUI_OK;
        }
    }
    for (i = 0; i < count; i++) {
        double v[4];
        int bad = 0;
        for (d = 0; d < dims; d++) {
            unsigned char b[8];
            int k;
            for (k = 0; k < 8; k++)
                b[k] = little ? coords[8 * (i * (uint32_t)dims + (uint32_t)d) + (uint32_t)k]
                              : coords[8 * (i * (uint32_t)dims + (uint32_t)d) + 7 - (uint32_t)k];
            memcpy(&v[d], b, 8); /* hegui supports little-endian hosts only */
            bad |= !isfinite(v[d]);
        }
        if (bad) {
            if (st->nonfinite == 0) {
                st->first_bad[0] = v[0];
                st->first_bad[1] = v[1];
            }
            st->nonfinite++;
        } else {
            extend_envelope(st, v[0], v[1], v[0], v[1]);
        }
        st->points++;
    }
    return HEGUI_OK;
}

int hegui_wkb_scan(hegui_wkb_stats *out, const unsigned char *wkb, size_t size)
{
    wkb_cursor c = {(unsigned char *)wkb, size, 0};
    memset(out, 0, sizeof(*out));
    /* the walk only reads through the visitor below */
    if (walk_geometry(&c, count_points, out, &out->type) < 0)
        return hegui_error_set(HEGUI_EINPUT, "malformed WKB (%zu bytes)", size);
    return HEGUI_OK;
}
