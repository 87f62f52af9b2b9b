/*
 * totals.c - per (rule, zone) totals. Areas are measured on the dissolved
 * union of a rule's patches in a zone, so that patches overlapping each
 * other are not counted twice (DESIGN.md 3); the patches stay listed as
 * findings.
 *
 * The patches ("pieces") are kept as 2D WKB in chunks owned by the context,
 * with their zone codes interned, so that check_totals_build can hand whole
 * rows to worker threads that parse the WKB in their own GEOS context (GEOS
 * geometries and PROJ objects are never shared between threads). Within a
 * row, pieces whose interiors overlap are joined into components (an STRtree
 * of their envelopes, then their intersection, kept); the area of the union
 * is the sum over the components, in the order of their first piece: a
 * component of one piece counts its stored areas, a larger one its stored
 * areas less its overlaps (or, when an overlay fails, the areas of its GEOS
 * union).
 * Pieces that only touch (a land-use mosaic, a polygon cut along block
 * edges) have disjoint interiors and are summed, never unioned.
 */
#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check_internal.h"

typedef struct check_piece {
    const char *rule;           /* static catalogue id */
    const char *zone_code;      /* interned in ctx->piece_zone_codes */
    unsigned char *wkb;         /* 2D WKB, in one of ctx->piece_chunks or ctx->piece_blobs */
    size_t wkb_size;            /* bytes */
    double area_m2;             /* planar area of the patch */
    double area_ellipsoidal_m2; /* geodesic area of the patch */
} check_piece;

/* A block of WKB storage; pieces point into data. */
typedef struct check_piece_chunk {
    struct check_piece_chunk *next;
    size_t used, cap; /* bytes of data */
    unsigned char data[];
} check_piece_chunk;

/* Size of a shared chunk; a blob over a quarter of it gets its own. */
#define PIECE_CHUNK_BYTES ((size_t)1 << 20)

/* Room for the text of hegui_error_last() (util/error.c). */
#define TOTALS_MESSAGE_MAX 2048

/* --- storing pieces --- */

/* FNV-1a hash of a NUL-terminated string. */
static uint64_t hash_string(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211u;
    }
    return h;
}

/* Slot of code in the open-addressing set (cap a power of two): the slot
 * holding it, or the empty slot where it belongs. */
static size_t intern_slot(char *const *set, size_t cap, const char *code)
{
    size_t mask = cap - 1, i;
    for (i = (size_t)hash_string(code) & mask; set[i]; i = (i + 1) & mask) {
        if (strcmp(set[i], code) == 0)
            break;
    }
    return i;
}

/*
 * The interned copy of code, owned by ctx (one allocation per distinct
 * code, not per piece); NULL when out of memory. Consecutive pieces usually
 * share a zone, so the previous piece's code is tried first.
 */
static const char *intern_zone_code(check_ctx *ctx, const char *code)
{
    size_t i;
    if (ctx->piece_count > 0 && strcmp(ctx->pieces[ctx->piece_count - 1].zone_code, code) == 0)
        return ctx->pieces[ctx->piece_count - 1].zone_code;
    if (2 * (ctx->piece_zone_code_count + 1) > ctx->piece_zone_code_cap) {
        size_t cap = ctx->piece_zone_code_cap ? 2 * ctx->piece_zone_code_cap : 16;
        char **grown = hegui_calloc(cap, sizeof(*grown));
        if (!grown)
            return NULL;
        for (i = 0; i < ctx->piece_zone_code_cap; i++) {
            char *old = ctx->piece_zone_codes[i];
            if (old)
                grown[intern_slot(grown, cap, old)] = old;
        }
        hegui_free(ctx->piece_zone_codes);
        ctx->piece_zone_codes = grown;
        ctx->piece_zone_code_cap = cap;
    }
    i = intern_slot(ctx->piece_zone_codes, ctx->piece_zone_code_cap, code);
    if (!ctx->piece_zone_codes[i]) {
        ctx->piece_zone_codes[i] = hegui_strdup(code);
        if (!ctx->piece_zone_codes[i])
            return NULL;
        ctx->piece_zone_code_count++;
    }
    return ctx->piece_zone_codes[i];
}

/* A copy of the size bytes at wkb in the context's chunks; NULL when out of
 * memory. Large blobs get a chunk of their own, linked behind the current
 * one so that its free space stays in use. */
static unsigned char *store_wkb(check_ctx *ctx, const unsigned char *wkb, size_t size)
{
    check_piece_chunk *c = ctx->piece_chunks;
    if (size > PIECE_CHUNK_BYTES / 4) {
        c = hegui_malloc(sizeof(*c) + size);
        if (!c)
            return NULL;
        c->used = c->cap = size;
        if (ctx->piece_chunks) {
            c->next = ctx->piece_chunks->next;
            ctx->piece_chunks->next = c;
        } else {
            c->next = NULL;
            ctx->piece_chunks = c;
        }
        memcpy(c->data, wkb, size);
        return c->data;
    }
    if (!c || c->cap - c->used < size) {
        c = hegui_malloc(sizeof(*c) + PIECE_CHUNK_BYTES);
        if (!c)
            return NULL;
        c->used = 0;
        c->cap = PIECE_CHUNK_BYTES;
        c->next = ctx->piece_chunks;
        ctx->piece_chunks = c;
    }
    memcpy(c->data + c->used, wkb, size);
    c->used += size;
    return c->data + c->used - size;
}

/* Appends a piece whose WKB (stored) the context owns already. */
static int add_piece(check_ctx *ctx, const char *rule, const char *code, unsigned char *stored,
                     size_t wkb_size, double area_m2, double area_ellipsoidal_m2)
{
    check_piece *p = &ctx->pieces[ctx->piece_count++];
    p->rule = rule;
    p->zone_code = code;
    p->wkb = stored;
    p->wkb_size = wkb_size;
    p->area_m2 = area_m2;
    p->area_ellipsoidal_m2 = area_ellipsoidal_m2;
    return HEGUI_OK;
}

/* Room for one more piece, and for one more owned blob when blob. */
static int reserve_piece(check_ctx *ctx, bool blob)
{
    if (ctx->piece_count == ctx->piece_cap) {
        size_t cap = ctx->piece_cap ? 2 * ctx->piece_cap : 64;
        check_piece *grown = hegui_realloc(ctx->pieces, cap * sizeof(*grown));
        if (!grown)
            return HEGUI_ENOMEM;
        ctx->pieces = grown;
        ctx->piece_cap = cap;
    }
    if (blob && ctx->piece_blob_count == ctx->piece_blob_cap) {
        size_t cap = ctx->piece_blob_cap ? 2 * ctx->piece_blob_cap : 64;
        unsigned char **grown = hegui_realloc(ctx->piece_blobs, cap * sizeof(*grown));
        if (!grown)
            return HEGUI_ENOMEM;
        ctx->piece_blobs = grown;
        ctx->piece_blob_cap = cap;
    }
    return HEGUI_OK;
}

static int check_piece_add_wkb(check_ctx *ctx, const char *rule, const char *zone_code,
                               const unsigned char *wkb, size_t wkb_size, double area_m2,
                               double area_ellipsoidal_m2)
{
    const char *code;
    unsigned char *copy;
    int rc;
    if ((rc = reserve_piece(ctx, false)) < 0)
        return rc;
    code = intern_zone_code(ctx, zone_code ? zone_code : "");
    copy = code ? store_wkb(ctx, wkb, wkb_size) : NULL;
    if (!copy)
        return HEGUI_ENOMEM;
    return add_piece(ctx, rule, code, copy, wkb_size, area_m2, area_ellipsoidal_m2);
}

int check_piece_take_wkb(check_ctx *ctx, const char *rule, const char *zone_code,
                         unsigned char *wkb, size_t wkb_size, double area_m2,
                         double area_ellipsoidal_m2)
{
    const char *code;
    int rc;
    if ((rc = reserve_piece(ctx, true)) < 0)
        return rc;
    if (!(code = intern_zone_code(ctx, zone_code ? zone_code : "")))
        return HEGUI_ENOMEM;
    ctx->piece_blobs[ctx->piece_blob_count++] = wkb;
    return add_piece(ctx, rule, code, wkb, wkb_size, area_m2, area_ellipsoidal_m2);
}

int check_piece_add(check_ctx *ctx, const char *rule, const char *zone_code,
                    const GEOSGeometry *geom, double area_m2, double area_ellipsoidal_m2)
{
    unsigned char *wkb;
    size_t size = 0;
    int rc;
    if (!ctx->piece_writer) {
        ctx->piece_writer = GEOSWKBWriter_create_r(ctx->h);
        if (!ctx->piece_writer)
            return hegui_error_set(HEGUI_EGEOM, "GEOS cannot create a WKB writer: %s",
                                   hegui_geom_ctx_message(ctx->geom_ctx));
        GEOSWKBWriter_setOutputDimension_r(ctx->h, ctx->piece_writer, 2);
    }
    wkb = GEOSWKBWriter_write_r(ctx->h, ctx->piece_writer, geom, &size);
    if (!wkb)
        return hegui_error_set(HEGUI_EGEOM, "GEOS cannot write a patch of %s as WKB: %s", rule,
                               hegui_geom_ctx_message(ctx->geom_ctx));
    rc = check_piece_add_wkb(ctx, rule, zone_code, wkb, size, area_m2, area_ellipsoidal_m2);
    GEOSFree_r(ctx->h, wkb);
    return rc;
}

void check_pieces_release(check_ctx *ctx)
{
    size_t i;
    while (ctx->piece_chunks) {
        check_piece_chunk *next = ctx->piece_chunks->next;
        hegui_free(ctx->piece_chunks);
        ctx->piece_chunks = next;
    }
    for (i = 0; i < ctx->piece_blob_count; i++)
        hegui_free(ctx->piece_blobs[i]);
    hegui_free(ctx->piece_blobs);
    ctx->piece_blobs = NULL;
    ctx->piece_blob_count = ctx->piece_blob_cap = 0;
    for (i = 0; i < ctx->piece_zone_code_cap; i++)
        hegui_free(ctx->piece_zone_codes[i]);
    hegui_free(ctx->piece_zone_codes);
    ctx->piece_zone_codes = NULL;
    ctx->piece_zone_code_count = ctx->piece_zone_code_cap = 0;
    if (ctx->piece_writer)
        GEOSWKBWriter_destroy_r(ctx->h, ctx->piece_writer);
    ctx->piece_writer = NULL;
    hegui_free(ctx->pieces);
    ctx->pieces = NULL;
    ctx->piece_count = ctx->piece_cap = 0;
}

/* --- the dissolved area of one row --- */

/* What the threads of check_totals_build share. */
typedef struct totals_job {
    const check_ctx *ctx;    /* read only while the workers run */
    hegui_run_total *rows;   /* a row is written by the one worker that takes it */
    const size_t *members;   /* piece indices grouped by row, ascending within a row */
    const size_t *row_start; /* row r: members[row_start[r] .. row_start[r + 1]) */
    const size_t *work;      /* rows of two or more pieces, largest first */
    size_t work_count;
    pthread_mutex_t lock; /* guards next, rc and message */
    size_t next;          /* next entry of work to hand out */
    int rc;               /* the first error; HEGUI_OK while none */
    char message[TOTALS_MESSAGE_MAX];
} totals_job;

/* One worker: its own GEOS context and area calculator. */
typedef struct totals_worker {
    totals_job *job;
    hegui_geom_ctx *gctx;
    GEOSContextHandle_t h;
    hegui_area_calc *calc;
    pthread_t thread;
} totals_worker;

typedef struct envelope {
    double minx, miny, maxx, maxy;
} envelope;

/* One row being linked: its pieces, their envelopes, geometries parsed
 * lazily, and the union-find over positions 0..n-1 in the row. */
typedef struct row_state {
    totals_worker *w;
    const check_piece *pieces; /* ctx->pieces */
    const size_t *members;     /* n piece indices */
    size_t n;
    envelope *env;
    GEOSGeometry **geoms; /* NULL until an overlay needs the piece */
    size_t *parent;
    size_t self;                /* position being queried */
    int rc;                     /* first error of the query callbacks */
    struct pair_overlap *pairs; /* sorted by (hi, lo) once linked */
    size_t pair_count, pair_cap;
} row_state;

/* The overlap of two pieces of a row (positions lo < hi) whose interiors
 * meet, or whose overlay failed: computed once, when the row is linked,
 * and measured when its component is. */
typedef struct pair_overlap {
    size_t lo, hi;
    check_geoms pieces; /* disjoint polygonal pieces of lo n hi */
    int failed;         /* GEOS failed: the component is dissolved whole */
} pair_overlap;

/* The WKB double at p, stored little- or big-endian (on a little-endian
 * host, which hegui requires, as util/wkb.c). */
static double read_double(const unsigned char *p, int little)
{
    unsigned char b[8];
    double v;
    int k;
    for (k = 0; k < 8; k++)
        b[k] = little ? p[k] : p[7 - k];
    memcpy(&v, b, sizeof(v));
    return v;
}

/* Grows the envelope at payload by a run of WKB points. */
static int extend_envelope(unsigned char *coords, uint32_t count, int dims, int little,
                           void *payload)
{
    envelope *e = payload;
    uint32_t i;
    for (i = 0; i < count; i++) {
        const unsigned char *p = coords + (size_t)i * 8 * (size_t)dims;
        double x = read_double(p, little), y = read_double(p + 8, little);
        if (x < e->minx)
            e->minx = x;
        if (x > e->maxx)
            e->maxx = x;
        if (y < e->miny)
            e->miny = y;
        if (y > e->maxy)
            e->maxy = y;
    }
    return HEGUI_OK;
}

/* Union-find root of i (with path halving). */
static size_t find_root(size_t *parent, size_t i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

/* Parses the piece at position i of the row, once. */
static int row_geom(row_state *s, size_t i)
{
    const check_piece *p = &s->pieces[s->members[i]];
    void *g;
    if (s->geoms[i])
        return HEGUI_OK;
    if (hegui_geom_from_wkb(&g, s->w->gctx, p->wkb, p->wkb_size) < 0)
        return hegui_error_prefix("patch of %s in zone %s", p->rule, p->zone_code);
    s->geoms[i] = g;
    return HEGUI_OK;
}

/* Components up to this size are measured by their overlaps. */
#define OVERLAP_MAX_PIECES 1024
/* Pairs with more vertices than this are cut before they are intersected. */
#define LOCAL_MAX_VERTICES 512

/* The polygonal part of a rectangle clip of g; NULL when GEOS failed. */
static GEOSGeometry *clip_rect(GEOSContextHandle_t h, const GEOSGeometry *g, const double *r)
{
    GEOSGeometry *clip = GEOSClipByRect_r(h, g, r[0], r[1], r[2], r[3]), *poly;
    if (!clip)
        return NULL;
    poly = check_polygonal(h, clip);
    GEOSGeom_destroy_r(h, clip);
    return poly;
}

/*
 * Appends the polygonal pieces of a n b inside the rectangle r to out.
 * Two large patches (rivers crossing in a zone) meet on a small part of
 * their extent, and an overlay nodes every edge it is given: so while the
 * pair is large, r is halved and both are clipped to each half
 * (GEOSClipByRect_r, linear), halves where either is empty are dropped,
 * and only small local pairs are intersected. The pieces have disjoint
 * interiors, so their areas add up to the area of a n b. Returns 1 when
 * done, 0 when GEOS failed (the caller falls back to a union).
 */
static int local_intersection(GEOSContextHandle_t h, const GEOSGeometry *a, const GEOSGeometry *b,
                              const double *r, int depth, check_geoms *out)
{
    int half, rc = 1;
    if (GEOSGetNumCoordinates_r(h, a) + GEOSGetNumCoordinates_r(h, b) <= LOCAL_MAX_VERTICES ||
        depth >= 24) {
        GEOSGeometry *g, *poly;
        /* rectangle clipping may leave a piece invalid: no overlay then */
        if (depth > 0 && (GEOSisValid_r(h, a) != 1 || GEOSisValid_r(h, b) != 1))
            return 0;
        g = GEOSIntersection_r(h, a, b);
        if (!g)
            g = GEOSIntersectionPrec_r(h, a, b, 0.001);
        if (!g)
            return 0;
        poly = check_polygonal(h, g);
        GEOSGeom_destroy_r(h, g);
        if (!poly)
            return HEGUI_ENOMEM;
        if (GEOSisEmpty_r(h, poly) == 1) {
            GEOSGeom_destroy_r(h, poly);
            return 1;
        }
        if (check_geoms_push(out, poly) < 0) {
            GEOSGeom_destroy_r(h, poly);
            return HEGUI_ENOMEM;
        }
        return 1;
    }
    for (half = 0; half < 2 && rc == 1; half++) {
        double q[4] = {r[0], r[1], r[2], r[3]};
        GEOSGeometry *ca, *cb = NULL;
        if (r[2] - r[0] >= r[3] - r[1])
            q[half == 0 ? 2 : 0] = (r[0] + r[2]) / 2;
        else
            q[half == 0 ? 3 : 1] = (r[1] + r[3]) / 2;
        ca = clip_rect(h, a, q);
        if (ca && GEOSisEmpty_r(h, ca) != 1)
            cb = clip_rect(h, b, q);
        if (!ca || (GEOSisEmpty_r(h, ca) != 1 && !cb))
            rc = 0;
        else if (cb && GEOSisEmpty_r(h, cb) != 1)
            rc = local_intersection(h, ca, cb, q, depth + 1, out);
        if (ca)
            GEOSGeom_destroy_r(h, ca);
        if (cb)
            GEOSGeom_destroy_r(h, cb);
    }
    return rc;
}

/* Orders pair overlaps by (hi, lo). */
static int compare_pairs(const void *a, const void *b)
{
    const pair_overlap *x = a, *y = b;
    if (x->hi != y->hi)
        return (x->hi > y->hi) - (x->hi < y->hi);
    return (x->lo > y->lo) - (x->lo < y->lo);
}

/*
 * STRtree callback: intersects self with a later piece whose envelope
 * overlaps its own with positive area (interiors can meet nowhere else)
 * and joins the two when the overlap has area, keeping it for
 * overlap_area. A failed overlay joins them too: the component is then
 * dissolved whole, which reports its own failure; keeping them apart could
 * count an overlap twice.
 */
static void link_candidate(void *item, void *userdata)
{
    row_state *s = userdata;
    size_t other = (size_t)(uintptr_t)item - 1, a, b;
    const envelope *p = &s->env[s->self], *q = &s->env[other];
    double r[4] = {fmax(p->minx, q->minx), fmax(p->miny, q->miny), fmin(p->maxx, q->maxx),
                   fmin(p->maxy, q->maxy)};
    pair_overlap *pair;
    int rc;
    if (other <= s->self || s->rc < 0)
        return;
    if (!(r[0] < r[2] && r[1] < r[3]))
        return;
    if ((s->rc = row_geom(s, s->self)) < 0 || (s->rc = row_geom(s, other)) < 0)
        return;
    if (s->pair_count == s->pair_cap) {
        size_t cap = s->pair_cap ? 2 * s->pair_cap : 16;
        pair_overlap *grown = hegui_realloc(s->pairs, cap * sizeof(*grown));
        if (!grown) {
            s->rc = HEGUI_ENOMEM;
            return;
        }
        s->pairs = grown;
        s->pair_cap = cap;
    }
    pair = &s->pairs[s->pair_count];
    memset(pair, 0, sizeof(*pair));
    pair->lo = s->self;
    pair->hi = other;
    /* the later piece first: the order overlap_area measured them in */
    rc = local_intersection(s->w->h, s->geoms[other], s->geoms[s->self], r, 0, &pair->pieces);
    if (rc < 0) {
        check_geoms_free(s->w->h, &pair->pieces);
        s->rc = rc;
        return;
    }
    pair->failed = rc == 0;
    if (!pair->failed && pair->pieces.count == 0) {
        check_geoms_free(s->w->h, &pair->pieces);
        return; /* they touch at most */
    }
    s->pair_count++;
    a = find_root(s->parent, s->self);
    b = find_root(s->parent, other);
    if (a != b)
        s->parent[a > b ? a : b] = a < b ? a : b; /* the root stays the first piece */
}

/* 1 when no two pieces of different pairs (owner) share interior, 0 when
 * some do (or GEOS cannot tell): pieces of one pair never do. */
static int pieces_disjoint(GEOSContextHandle_t h, const check_geoms *l, const size_t *owner)
{
    size_t k, m;
    for (k = 0; k < l->count; k++) {
        double ax0, ay0, ax1, ay1;
        if (!GEOSGeom_getXMin_r(h, l->items[k], &ax0) ||
            !GEOSGeom_getYMin_r(h, l->items[k], &ay0) ||
            !GEOSGeom_getXMax_r(h, l->items[k], &ax1) || !GEOSGeom_getYMax_r(h, l->items[k], &ay1))
            return 0;
        for (m = k + 1; m < l->count; m++) {
            double bx0, by0, bx1, by1;
            if (owner[m] == owner[k])
                continue;
            if (!GEOSGeom_getXMin_r(h, l->items[m], &bx0) ||
                !GEOSGeom_getYMin_r(h, l->items[m], &by0) ||
                !GEOSGeom_getXMax_r(h, l->items[m], &bx1) ||
                !GEOSGeom_getYMax_r(h, l->items[m], &by1))
                return 0;
            if (!(ax0 < bx1 && bx0 < ax1 && ay0 < by1 && by0 < ay1))
                continue;
            if (GEOSRelatePattern_r(h, l->items[k], l->items[m], "T********") != 0)
                return 0;
        }
    }
    return 1;
}

/*
 * The area of the union of the count pieces at positions at[] (parsed),
 * from their overlaps alone: area(P1 u ... u Pm) = sum of area(Pi) - sum of
 * area(Pi n (P1 u ... u Pi-1)), where Pi n (P1 u ... u Pi-1) is the union
 * of the pairwise intersections Pi n Pj (j < i). The pieces' own areas are
 * the stored ones; only the overlaps, small and local, were built when the
 * row was linked (link_candidate); they are consumed here. 1 when
 * measured, 0 when an overlay failed (the caller then dissolves the whole
 * component).
 */
static int overlap_area(row_state *s, const size_t *at, size_t count, double *planar,
                        double *ellipsoidal)
{
    GEOSContextHandle_t h = s->w->h;
    check_geoms inter = {NULL, 0, 0};
    size_t *owner = NULL, owner_cap = 0; /* the pair (lo) each piece came from */
    double a_sum = 0, e_sum = 0;
    int erc;
    size_t i;
    int rc = 1;
    for (i = 0; i < count && rc == 1; i++) {
        const check_piece *p = &s->pieces[s->members[at[i]]];
        pair_overlap key, *pair;
        GEOSGeometry *overlap = NULL, *coll;
        double a = 0, e = 0;
        size_t lo = 0, hi = s->pair_count;
        int disjoint;
        a_sum += p->area_m2;
        e_sum += p->area_ellipsoidal_m2;
        /* the pairs (at[i], j < at[i]): all of this component, lo ascending */
        key.hi = at[i];
        key.lo = 0;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (compare_pairs(&s->pairs[mid], &key) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (pair = s->pairs + lo; rc == 1 && pair < s->pairs + s->pair_count && pair->hi == at[i];
             pair++) {
            size_t k;
            if (pair->failed) {
                rc = 0;
                break;
            }
            if (inter.count + pair->pieces.count > owner_cap) {
                size_t cap = 2 * (inter.count + pair->pieces.count);
                size_t *grown = hegui_realloc(owner, cap * sizeof(*grown));
                if (!grown) {
                    rc = HEGUI_ENOMEM;
                    break;
                }
                owner = grown, owner_cap = cap;
            }
            for (k = 0; k < pair->pieces.count; k++) {
                if (check_geoms_push(&inter, pair->pieces.items[k]) < 0) {
                    rc = HEGUI_ENOMEM;
                    break;
                }
                owner[inter.count - 1] = pair->lo;
            }
            /* moved; what was not stays the pair's, freed with the row */
            memmove(pair->pieces.items, pair->pieces.items + k,
                    (pair->pieces.count - k) * sizeof(*pair->pieces.items));
            pair->pieces.count -= k;
        }
        if (rc != 1 || inter.count == 0) {
            check_geoms_clear(h, &inter);
            continue;
        }
        if ((disjoint = pieces_disjoint(h, &inter, owner)) < 0) {
            rc = disjoint;
            check_geoms_clear(h, &inter);
            break;
        }
        if (disjoint) {
            /* pieces with disjoint interiors (always so within one pair,
             * and across pairs unless three patches cover one spot): their
             * areas add up, no union needed */
            size_t k;
            for (k = 0; k < inter.count && rc == 1; k++) {
                double pa = 0, pe = 0;
                if (GEOSArea_r(h, inter.items[k], &pa) != 1)
                    rc = 0;
                else if ((erc = hegui_area_ellipsoidal(&pe, s->w->calc, s->w->gctx,
                                                       inter.items[k])) < 0)
                    rc = erc;
                a_sum -= pa;
                e_sum -= pe;
            }
            check_geoms_clear(h, &inter);
            continue;
        }
        if (inter.count == 1) {
            overlap = inter.items[0];
            inter.count = 0;
        } else {
            /* pieces of one pair are disjoint; of different pairs they may
             * overlap (three patches over one spot): dissolve them */
            coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, inter.items,
                                               (unsigned)inter.count);
            if (!coll) {
                check_geoms_clear(h, &inter);
                rc = HEGUI_ENOMEM;
                break;
            }
            inter.count = 0; /* owned by the collection */
            overlap = GEOSUnaryUnion_r(h, coll);
            GEOSGeom_destroy_r(h, coll);
            if (!overlap) {
                rc = 0;
                break;
            }
        }
        if (GEOSArea_r(h, overlap, &a) != 1)
            rc = 0;
        else if ((erc = hegui_area_ellipsoidal(&e, s->w->calc, s->w->gctx, overlap)) < 0)
            rc = erc;
        a_sum -= a;
        e_sum -= e;
        GEOSGeom_destroy_r(h, overlap);
    }
    check_geoms_free(h, &inter);
    hegui_free(owner);
    if (rc == 1) {
        *planar += a_sum;
        *ellipsoidal += e_sum;
    }
    return rc;
}

/*
 * Adds the area of the union of the count pieces at positions at[] (they
 * have been parsed; their geometries are consumed) to *planar and
 * *ellipsoidal: by their overlaps when few, else (or when an overlap
 * failed) by a union, retried once on a 1 mm grid.
 */
static int component_area(row_state *s, const hegui_run_total *row, const size_t *at, size_t count,
                          double *planar, double *ellipsoidal)
{
    GEOSContextHandle_t h = s->w->h;
    GEOSGeometry **parts = hegui_calloc(count, sizeof(GEOSGeometry *)), *coll, *merged = NULL;
    double a = 0, e = 0;
    size_t k;
    int rc = HEGUI_OK;
    if (!parts)
        return HEGUI_ENOMEM;
    if (count <= OVERLAP_MAX_PIECES &&
        (rc = overlap_area(s, at, count, planar, ellipsoidal)) != 0) {
        hegui_free(parts);
        return rc < 0 ? rc : HEGUI_OK; /* the geometries are freed with the row */
    }
    rc = HEGUI_OK;
    for (k = 0; k < count; k++) {
        assert(s->geoms[at[k]]);
        parts[k] = s->geoms[at[k]];
        s->geoms[at[k]] = NULL; /* the collection owns them, also when it fails */
    }
    coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts, (unsigned)count);
    hegui_free(parts);
    if (!coll)
        return hegui_error_set(HEGUI_EGEOM, "GEOS cannot collect %zu patches of %s in zone %s: %s",
                               count, row->rule, row->zone_code,
                               hegui_geom_ctx_message(s->w->gctx));
    merged = GEOSUnaryUnion_r(h, coll);
    if (!merged)
        merged = GEOSUnaryUnionPrec_r(h, coll, 0.001);
    if (!merged)
        rc = hegui_error_set(HEGUI_EGEOM,
                             "GEOS cannot dissolve %zu overlapping patches of %s in zone %s, "
                             "not even on a 1 mm grid: %s",
                             count, row->rule, row->zone_code, hegui_geom_ctx_message(s->w->gctx));
    else if (GEOSArea_r(h, merged, &a) != 1)
        rc = hegui_error_set(HEGUI_EGEOM, "GEOS cannot measure the union of %s in zone %s: %s",
                             row->rule, row->zone_code, hegui_geom_ctx_message(s->w->gctx));
    else if ((rc = hegui_area_ellipsoidal(&e, s->w->calc, s->w->gctx, merged)) >= 0) {
        *planar += a;
        *ellipsoidal += e;
    }
    if (merged)
        GEOSGeom_destroy_r(h, merged);
    GEOSGeom_destroy_r(h, coll);
    return rc;
}

/* Sums the components of a linked row in the order of their first piece
 * (its root): stored areas for a piece alone, a union for several. */
static int sum_components(row_state *s, const hegui_run_total *row, double *planar,
                          double *ellipsoidal)
{
    size_t n = s->n, i, *size = hegui_calloc(n, sizeof(*size)),
           *start = hegui_calloc(n, sizeof(*start)), *order = hegui_calloc(n, sizeof(*order)),
           next = 0;
    int rc = HEGUI_OK;
    if (!size || !start || !order) {
        rc = HEGUI_ENOMEM;
        goto done;
    }
    for (i = 0; i < n; i++) {
        s->parent[i] = find_root(s->parent, i);
        size[s->parent[i]]++;
    }
    for (i = 0; i < n; i++) { /* members of each component, contiguous, in row order */
        if (s->parent[i] == i) {
            start[i] = next;
            next += size[i];
        }
    }
    for (i = 0; i < n; i++)
        order[start[s->parent[i]]++] = i;
    for (i = 0; i < n && rc == HEGUI_OK; i++) {
        if (s->parent[i] != i)
            continue;
        if (size[i] == 1) {
            *planar += s->pieces[s->members[i]].area_m2;
            *ellipsoidal += s->pieces[s->members[i]].area_ellipsoidal_m2;
        } else {
            /* start[i] was advanced past the component by the fill */
            rc = component_area(s, row, order + start[i] - size[i], size[i], planar, ellipsoidal);
        }
    }
done:
    hegui_free(size);
    hegui_free(start);
    hegui_free(order);
    return rc;
}

/* The dissolved areas of row r (two or more pieces), written into the row. */
static int row_area(totals_worker *w, size_t r)
{
    const totals_job *job = w->job;
    hegui_run_total *row = &job->rows[r];
    row_state s;
    GEOSSTRtree *tree = NULL;
    GEOSGeometry **boxes = NULL;
    double planar = 0, ellipsoidal = 0;
    size_t i;
    int rc = HEGUI_OK;

    memset(&s, 0, sizeof(s));
    s.w = w;
    s.pieces = job->ctx->pieces;
    s.members = job->members + job->row_start[r];
    s.n = job->row_start[r + 1] - job->row_start[r];
    s.env = hegui_calloc(s.n, sizeof(*s.env));
    s.geoms = hegui_calloc(s.n, sizeof(GEOSGeometry *));
    s.parent = hegui_calloc(s.n, sizeof(*s.parent));
    boxes = hegui_calloc(s.n, sizeof(GEOSGeometry *));
    tree = GEOSSTRtree_create_r(w->h, 10);
    if (!s.env || !s.geoms || !s.parent || !boxes || !tree) {
        rc = tree ? HEGUI_ENOMEM : hegui_error_set(HEGUI_EGEOM, "GEOS cannot create an STRtree");
        goto done;
    }
    /* envelopes straight from the WKB: a piece that overlaps nothing is
     * never parsed */
    for (i = 0; i < s.n; i++) {
        const check_piece *p = &s.pieces[s.members[i]];
        envelope *e = &s.env[i];
        s.parent[i] = i;
        e->minx = e->miny = HUGE_VAL;
        e->maxx = e->maxy = -HUGE_VAL;
        if (hegui_wkb_walk(p->wkb, p->wkb_size, extend_envelope, e) < 0) {
            rc = hegui_error_prefix("patch of %s in zone %s", p->rule, p->zone_code);
            goto done;
        }
        if (!(e->minx < e->maxx && e->miny < e->maxy))
            continue; /* empty, or no area: its interior meets nothing */
        boxes[i] = GEOSGeom_createRectangle_r(w->h, e->minx, e->miny, e->maxx, e->maxy);
        if (!boxes[i]) {
            rc = hegui_error_set(HEGUI_EGEOM, "GEOS cannot create an envelope: %s",
                                 hegui_geom_ctx_message(w->gctx));
            goto done;
        }
        GEOSSTRtree_insert_r(w->h, tree, boxes[i], (void *)(uintptr_t)(i + 1));
    }
    for (s.self = 0; s.self < s.n && s.rc == HEGUI_OK; s.self++) {
        if (boxes[s.self])
            GEOSSTRtree_query_r(w->h, tree, boxes[s.self], link_candidate, &s);
    }
    if ((rc = s.rc) < 0)
        goto done;
    if (s.pair_count > 1)
        qsort(s.pairs, s.pair_count, sizeof(*s.pairs), compare_pairs);
    if ((rc = sum_components(&s, row, &planar, &ellipsoidal)) < 0)
        goto done;
    row->area_m2 = planar;
    row->area_ellipsoidal_m2 = ellipsoidal;
done:
    if (tree)
        GEOSSTRtree_destroy_r(w->h, tree);
    for (i = 0; i < s.n; i++) {
        if (boxes && boxes[i])
            GEOSGeom_destroy_r(w->h, boxes[i]);
        if (s.geoms && s.geoms[i])
            GEOSGeom_destroy_r(w->h, s.geoms[i]);
    }
    for (i = 0; i < s.pair_count; i++)
        check_geoms_free(w->h, &s.pairs[i].pieces);
    hegui_free(s.pairs);
    hegui_free(boxes);
    hegui_free(s.env);
    hegui_free(s.geoms);
    hegui_free(s.parent);
    return rc;
}

/* Keeps the first failure of the job: its code and this thread's message
 * (the message slot is per thread), which also stops the other workers. */
static void job_fail(totals_job *job, int rc)
{
    pthread_mutex_lock(&job->lock);
    if (job->rc == HEGUI_OK) {
        job->rc = rc;
        snprintf(job->message, sizeof(job->message), "%s", hegui_error_last());
    }
    pthread_mutex_unlock(&job->lock);
}

/* Takes rows until none is left or a worker has failed. */
static void *worker_main(void *arg)
{
    totals_worker *w = arg;
    totals_job *job = w->job;
    for (;;) {
        size_t k;
        int rc;
        pthread_mutex_lock(&job->lock);
        k = job->rc < 0 ? job->work_count : job->next;
        if (k < job->work_count)
            job->next++;
        pthread_mutex_unlock(&job->lock);
        if (k >= job->work_count)
            break;
        if ((rc = row_area(w, job->work[k])) < 0) {
            job_fail(job, rc);
            break;
        }
    }
    return NULL;
}

/*
 * Runs the job on up to threads workers: the calling thread with the
 * context's GEOS context and calculator, and threads - 1 started threads
 * with their own.
 */
static int run_job(totals_job *job, check_ctx *ctx, int threads)
{
    size_t count = threads > 1 ? (size_t)threads : 1, started = 0, t;
    totals_worker *workers;
    int rc = HEGUI_OK;
    if (count > job->work_count)
        count = job->work_count;
    if (count == 0)
        return HEGUI_OK;
    workers = hegui_calloc(count, sizeof(*workers));
    if (!workers)
        return HEGUI_ENOMEM;
    workers[0].job = job;
    workers[0].gctx = ctx->geom_ctx;
    workers[0].h = ctx->h;
    workers[0].calc = ctx->area;
    for (t = 1; t < count && rc == HEGUI_OK; t++) {
        totals_worker *w = &workers[t];
        w->job = job;
        if ((rc = hegui_geom_ctx_new(&w->gctx)) < 0 ||
            (rc = hegui_area_calc_new(&w->calc, ctx->run->working_crs.epsg)) < 0)
            break;
        w->h = hegui_geom_ctx_handle(w->gctx);
    }
    pthread_mutex_init(&job->lock, NULL);
    for (t = 1; t < count && rc == HEGUI_OK; t++) {
        if (pthread_create(&workers[t].thread, NULL, worker_main, &workers[t]) != 0) {
            rc = hegui_error_set(HEGUI_EINTERNAL, "cannot start a totals thread");
            break;
        }
        started++;
    }
    if (rc < 0)
        job_fail(job, rc); /* the started ones stop at their next row */
    worker_main(&workers[0]);
    for (t = 1; t <= started; t++)
        pthread_join(workers[t].thread, NULL);
    pthread_mutex_destroy(&job->lock);
    for (t = 1; t < count; t++) {
        hegui_area_calc_free(workers[t].calc);
        hegui_geom_ctx_free(workers[t].gctx);
    }
    hegui_free(workers);
    if (job->rc < 0)
        return hegui_error_set(job->rc, "%s", job->message);
    return HEGUI_OK;
}

/* --- the rows --- */

/* True when finding f is of rule in zone code. */
static bool same_key(const hegui_finding *f, const char *rule, const char *code)
{
    return strcmp(f->rule, rule) == 0 && strcmp(f->zone_code ? f->zone_code : "", code) == 0;
}

/* A candidate row: (rule, zone) of an enabled rule x zone or of a finding;
 * seq keeps the first candidate of equal keys. Strings borrowed. */
typedef struct row_key {
    const char *rule;
    const char *code;
    const char *name;
    size_t seq;
} row_key;

static int compare_keys(const void *a, const void *b)
{
    const row_key *x = a, *y = b;
    int c = strcmp(x->rule, y->rule);
    if (c == 0)
        c = strcmp(x->code, y->code);
    if (c == 0)
        c = x->seq < y->seq ? -1 : x->seq > y->seq;
    return c;
}

/* bsearch comparison of a row_key (rule, code) with a total row. */
static int compare_key_total(const void *key, const void *elem)
{
    const row_key *k = key;
    const hegui_run_total *t = elem;
    int c = strcmp(k->rule, t->rule);
    return c ? c : strcmp(k->code, t->zone_code);
}

/* Index of the row (rule, code) in the sorted rows, or SIZE_MAX. */
static size_t find_row(const hegui_run *run, const char *rule, const char *code)
{
    row_key key = {rule, code, NULL, 0};
    const hegui_run_total *t =
        bsearch(&key, run->totals, run->total_count, sizeof(*run->totals), compare_key_total);
    return t ? (size_t)(t - run->totals) : SIZE_MAX;
}

/* Appends a candidate row, growing the array. */
static int push_key(row_key **keys, size_t *count, size_t *cap, const char *rule, const char *code,
                    const char *name)
{
    if (*count == *cap) {
        size_t ncap = *cap ? 2 * *cap : 64;
        row_key *grown = hegui_realloc(*keys, ncap * sizeof(*grown));
        if (!grown)
            return HEGUI_ENOMEM;
        *keys = grown;
        *cap = ncap;
    }
    (*keys)[*count].rule = rule;
    (*keys)[*count].code = code ? code : "";
    (*keys)[*count].name = name ? name : "";
    (*keys)[*count].seq = *count;
    (*count)++;
    return HEGUI_OK;
}

/*
 * run->totals, sorted by (rule, zone code): every enabled rule of the
 * command x every zone, so zeros are shown too (validate: the survey rules;
 * check: all), then the (rule, zone) of every finding; of equal keys the
 * first candidate gives the row (its rule pointer and zone name).
 */
static int create_rows(check_ctx *ctx)
{
    hegui_run *run = ctx->run;
    const hegui_rule_def *defs;
    row_key *keys = NULL;
    size_t key_count = 0, key_cap = 0, n, i, z;
    int rc = HEGUI_OK;
    defs = hegui_rules_catalogue(&n);
    for (i = 0; i < n && rc == HEGUI_OK; i++) {
        bool survey = strcmp(defs[i].family, "survey") == 0;
        if ((!survey && (!run->command || strcmp(run->command, "check") != 0)) ||
            !check_rule(ctx, defs[i].id) || (i < 32 && run->not_checked[i]))
            continue; /* a rule that could not run has no rows: 0 m2 is a result */
        for (z = 0; z < run->zone_count && rc == HEGUI_OK; z++)
            rc = push_key(&keys, &key_count, &key_cap, defs[i].id, run->zones[z].code,
                          run->zones[z].name);
    }
    for (i = 0; i < run->findings.count && rc == HEGUI_OK; i++) {
        const hegui_finding *f = &run->findings.items[i];
        /* sorted findings repeat a key in a run: one candidate per run */
        if (i > 0 && same_key(f - 1, f->rule, f->zone_code ? f->zone_code : ""))
            continue;
        rc = push_key(&keys, &key_count, &key_cap, f->rule, f->zone_code, f->zone_name);
    }
    if (rc < 0)
        goto done;
    if (key_count > 1)
        qsort(keys, key_count, sizeof(*keys), compare_keys);
    run->totals = hegui_calloc(key_count ? key_count : 1, sizeof(*run->totals));
    if (!run->totals) {
        rc = HEGUI_ENOMEM;
        goto done;
    }
    for (i = 0; i < key_count; i++) {
        hegui_run_total *t = &run->totals[run->total_count];
        if (run->total_count > 0 && strcmp(t[-1].rule, keys[i].rule) == 0 &&
            strcmp(t[-1].zone_code, keys[i].code) == 0)
            continue; /* a later candidate of the same row */
        t->rule = keys[i].rule;
        t->zone_code = hegui_strdup(keys[i].code);
        t->zone_name = hegui_strdup(keys[i].name);
        t->share_of_zone = -1;
        if (!t->zone_code || !t->zone_name) {
            hegui_free(t->zone_code);
            hegui_free(t->zone_name);
            memset(t, 0, sizeof(*t));
            rc = HEGUI_ENOMEM;
            goto done;
        }
        run->total_count++;
    }
done:
    hegui_free(keys);
    return rc;
}

typedef struct row_work {
    size_t row, pieces;
} row_work;

/* Largest rows first, so that a big row does not start last. */
static int compare_work(const void *a, const void *b)
{
    const row_work *x = a, *y = b;
    if (x->pieces != y->pieces)
        return x->pieces > y->pieces ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

int check_totals_build(check_ctx *ctx)
{
    hegui_run *run = ctx->run;
    totals_job job;
    size_t *piece_row = NULL, *row_start = NULL, *cursor = NULL, *members = NULL, *work = NULL;
    size_t i, r;
    row_work *sized = NULL;
    int rc;

    assert(run->total_count == 0);
    memset(&job, 0, sizeof(job));
    if ((rc = create_rows(ctx)) < 0 || run->total_count == 0)
        return rc;

    /* finding counts: one lookup per run of equal keys */
    for (i = 0; i < run->findings.count;) {
        const hegui_finding *f = &run->findings.items[i];
        const char *code = f->zone_code ? f->zone_code : "";
        size_t end = i + 1;
        while (end < run->findings.count && same_key(&run->findings.items[end], f->rule, code))
            end++;
        r = find_row(run, f->rule, code);
        assert(r != SIZE_MAX); /* create_rows made one for every finding */
        if (r != SIZE_MAX)
            run->totals[r].count += end - i;
        i = end;
    }

    /* pieces grouped by row (a counting sort keeps their order) */
    piece_row = hegui_calloc(ctx->piece_count ? ctx->piece_count : 1, sizeof(*piece_row));
    row_start = hegui_calloc(run->total_count + 1, sizeof(*row_start));
    cursor = hegui_calloc(run->total_count, sizeof(*cursor));
    members = hegui_calloc(ctx->piece_count ? ctx->piece_count : 1, sizeof(*members));
    sized = hegui_calloc(run->total_count, sizeof(*sized));
    work = hegui_calloc(run->total_count, sizeof(*work));
    if (!piece_row || !row_start || !cursor || !members || !sized || !work) {
        rc = HEGUI_ENOMEM;
        goto done;
    }
    for (i = 0; i < ctx->piece_count; i++) {
        const check_piece *p = &ctx->pieces[i];
        if (i > 0 && p->rule == p[-1].rule && p->zone_code == p[-1].zone_code)
            piece_row[i] = piece_row[i - 1]; /* interned code: same pointers, same row */
        else
            piece_row[i] = find_row(run, p->rule, p->zone_code);
        if (piece_row[i] != SIZE_MAX)
            row_start[piece_row[i] + 1]++;
    }
    for (r = 0; r < run->total_count; r++)
        row_start[r + 1] += row_start[r];
    for (r = 0; r < run->total_count; r++)
        cursor[r] = row_start[r];
    for (i = 0; i < ctx->piece_count; i++) {
        if (piece_row[i] != SIZE_MAX)
            members[cursor[piece_row[i]]++] = i;
    }

    /* a row of one piece keeps its stored areas; larger rows are the job */
    for (r = 0; r < run->total_count; r++) {
        size_t n = row_start[r + 1] - row_start[r];
        if (n == 1) {
            run->totals[r].area_m2 = ctx->pieces[members[row_start[r]]].area_m2;
            run->totals[r].area_ellipsoidal_m2 =
                ctx->pieces[members[row_start[r]]].area_ellipsoidal_m2;
        } else if (n > 1) {
            sized[job.work_count].row = r;
            sized[job.work_count++].pieces = n;
        }
    }
    if (job.work_count > 1)
        qsort(sized, job.work_count, sizeof(*sized), compare_work);
    for (i = 0; i < job.work_count; i++)
        work[i] = sized[i].row;
    job.ctx = ctx;
    job.rows = run->totals;
    job.members = members;
    job.row_start = row_start;
    job.work = work;
    if ((rc = run_job(&job, ctx, ctx->threads)) < 0)
        goto done;

    for (r = 0; r < run->total_count; r++) {
        hegui_run_total *t = &run->totals[r];
        double zone_area = check_zone_area(ctx, t->zone_code);
        t->share_of_zone = zone_area > 0 ? t->area_m2 / zone_area : -1;
    }
done:
    hegui_free(piece_row);
    hegui_free(row_start);
    hegui_free(cursor);
    hegui_free(members);
    hegui_free(sized);
    hegui_free(work);
    return rc;
}
