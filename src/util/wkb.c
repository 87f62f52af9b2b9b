/*
 * wkb.c - a bounds-checked walker over OGC/ISO WKB that counts coordinates
 * and finds non-finite ones, so that NaN and Inf are caught before any
 * geometry engine sees them. libc only.
 */
#include <math.h>
#include <string.h>

#include "util/util.h"

typedef struct wkb_cursor {
    const unsigned char *p;
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

static int read_f64(wkb_cursor *c, int little, double *out)
{
    unsigned char b[8];
    int i;
    if (c->left < 8)
        return HEGUI_EINPUT;
    for (i = 0; i < 8; i++)
        b[i] = little ? c->p[i] : c->p[7 - i];
    memcpy(out, b, 8); /* hegui supports little-endian hosts only */
    c->p += 8;
    c->left -= 8;
    return HEGUI_OK;
}

static int read_points(wkb_cursor *c, int little, uint32_t count, int dims, hegui_wkb_stats *st)
{
    uint32_t i;
    int d;
    if ((size_t)count > c->left / (size_t)(8 * dims))
        return HEGUI_EINPUT;
    for (i = 0; i < count; i++) {
        double v[4];
        int bad = 0;
        for (d = 0; d < dims; d++) {
            if (read_f64(c, little, &v[d]) < 0)
                return HEGUI_EINPUT;
            bad |= !isfinite(v[d]);
        }
        if (bad) {
            if (st->nonfinite == 0) {
                st->first_bad[0] = v[0];
                st->first_bad[1] = v[1];
            }
            st->nonfinite++;
        }
        st->points++;
    }
    return HEGUI_OK;
}

static int scan_geometry(wkb_cursor *c, hegui_wkb_stats *st, int top)
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
    if (top)
        st->type = base;
    switch (base) {
    case 1: /* point: an empty point is NaN NaN by convention */
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
        st->parts++;
        rc = read_points(c, little, 1, dims, st);
        break;
    case 2:
        if ((rc = read_u32(c, little, &n)) < 0)
            return rc;
        if (n)
            st->parts++;
        rc = read_points(c, little, n, dims, st);
        break;
    case 3:
        if ((rc = read_u32(c, little, &n)) < 0)
            return rc;
        if (n)
            st->parts++;
        for (i = 0; i < n && rc >= 0; i++) {
            uint32_t m;
            if ((rc = read_u32(c, little, &m)) < 0)
                return rc;
            rc = read_points(c, little, m, dims, st);
        }
        break;
    default: /* multi and collections */
        if ((rc = read_u32(c, little, &n)) < 0)
            return rc;
        if ((size_t)n > c->left / 9)
            return HEGUI_EINPUT;
        for (i = 0; i < n && rc >= 0; i++)
            rc = scan_geometry(c, st, 0);
        break;
    }
    c->depth--;
    return rc;
}

int hegui_wkb_scan(hegui_wkb_stats *out, const unsigned char *wkb, size_t size)
{
    wkb_cursor c = {wkb, size, 0};
    int rc;
    memset(out, 0, sizeof(*out));
    rc = scan_geometry(&c, out, 1);
    if (rc < 0)
        return hegui_error_set(HEGUI_EINPUT, "malformed WKB (%zu bytes)", size);
    return HEGUI_OK;
}
