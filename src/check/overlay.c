/*
 * overlay.c - the overlay engine: one reader (the calling thread) streams
 * features in batches; N workers intersect them with the zone blocks. See
 * overlay.h for the invariants.
 */
#define _POSIX_C_SOURCE 200809L

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/overlay.h"
#include "finding/finding_internal.h"

/* A batch closes at BATCH_SIZE features or BATCH_BYTES of WKB, whichever
 * comes first: a layer of a few huge polygons must still spread over all
 * workers. */
#define BATCH_SIZE 512
#define BATCH_BYTES (256 * 1024)

typedef struct feature_item {
    size_t seq;
    int64_t fid;
    unsigned char *wkb; /* in the batch's chunks, as are values */
    size_t wkb_size;
    unsigned problems;
    char **values;
} feature_item;

/* The bytes of a batch's items (WKB, values), in chunks that never move:
 * one allocation per chunk instead of four per feature (malloc and calloc
 * were 115 of the reader thread's 250 samples in C04 at 10^6 patches),
 * all freed at once when the batch has been processed. A WKB over a quarter
 * of a chunk gets a chunk of its own. */
typedef struct item_chunk {
    struct item_chunk *next;
    size_t used, cap;
    unsigned char data[];
} item_chunk;

#define ITEM_CHUNK_BYTES ((size_t)64 * 1024)

typedef struct batch {
    feature_item *items;
    size_t count;
    size_t bytes;       /* WKB bytes of the items */
    item_chunk *chunks; /* what the items point into */
    overlay_hit *hits;
    size_t hit_count, hit_cap;
    overlay_invalid *invalid;
    size_t invalid_count, invalid_cap;
    int64_t skipped;
    int rc;
    char error[512];
    int queued; /* 1 while waiting for a worker */
} batch;

/* What the workers share, guarded by lock. */
typedef struct engine {
    check_ctx *ctx;
    const hegui_layer_info *layer; /* the layer being overlaid */
    size_t value_count;
    double min_wkt_area;       /* hits of this area or less get no WKT */
    bool (*wants_wkt)(overlay_hit *hit, const void *payload);
    const void *wkt_payload;
    int (*draft)(overlay_hit *hit, const void *payload);
    const void *draft_payload;
    const hegui_transform *focus; /* the reader's, focused on the blocks: copied by each worker */
    unsigned char **block_wkb; /* blocks as WKB, read by every worker */
    size_t *block_wkb_size;
    double *block_boxes;       /* envelopes of the blocks with a geometry */
    size_t box_count;
    int by_fid;                 /* read box by box (hegui_reader_set_passes): seq is the FID */
    batch **batches;            /* in reading order */
    size_t batch_count, batch_cap;
    size_t next_to_process;     /* index of the next queued batch */
    size_t in_flight;           /* queued or being processed */
    /* item arrays (BATCH_SIZE each) of processed batches, reused by the
     * reader: a fresh one per batch cost a calloc that consolidated the
     * heap the workers' frees had left (malloc_consolidate, 0.08 s at 10^6) */
    feature_item **spare_items;
    size_t spare_count, spare_cap;
    int reading_done;
    int aborted;                /* a worker could not start: stop reading */
    pthread_mutex_t lock;
    pthread_cond_t work;  /* a batch was queued, or reading is done */
    pthread_cond_t room;  /* a batch finished */
} engine;

/* --- per-worker state --- */

typedef struct worker {
    engine *eng;
    hegui_geom_ctx *gctx;
    GEOSContextHandle_t h;
    GEOSWKBReader *reader;
    GEOSWKBWriter *writer;
    GEOSGeometry **blocks;
    const GEOSPreparedGeometry **prepared;
    GEOSSTRtree *tree;
    hegui_transform *transform; /* stored coordinates -> working CRS */
    hegui_area_calc *area;      /* ellipsoidal areas of the hits */
    GEOSWKTWriter *wkt;
    size_t *cands;
    size_t cand_count, cand_cap;
    int cand_failed;
    pthread_t thread;
    int rc;             /* of worker_init, on the worker's own thread */
    char error[512];    /* its message */
} worker;

/* A hit's values in one allocation, the strings behind the pointers: one
 * malloc and one free per hit instead of one per value (a city's land use
 * gives 10^5 hits), freed with hegui_free. */
static char **copy_values(char *const *values, size_t n)
{
    size_t i, bytes = (n ? n : 1) * sizeof(char *);
    char **copy, *at;
    for (i = 0; i < n; i++)
        bytes += values[i] ? strlen(values[i]) + 1 : 0;
    if (!(copy = hegui_malloc(bytes)))
        return NULL;
    at = (char *)(copy + (n ? n : 1));
    for (i = 0; i < n; i++) {
        size_t len = values[i] ? strlen(values[i]) + 1 : 0;
        copy[i] = len ? memcpy(at, values[i], len) : NULL;
        at += len;
    }
    if (!n)
        copy[0] = NULL;
    return copy;
}

static void worker_release(worker *w, size_t block_count)
{
    size_t i;
    if (!w->gctx)
        return;
    if (w->tree)
        GEOSSTRtree_destroy_r(w->h, w->tree);
    for (i = 0; i < block_count; i++) {
        if (w->prepared && w->prepared[i])
            GEOSPreparedGeom_destroy_r(w->h, w->prepared[i]);
        if (w->blocks && w->blocks[i])
            GEOSGeom_destroy_r(w->h, w->blocks[i]);
    }
    hegui_free((void *)w->prepared);
    hegui_free(w->blocks);
    hegui_free(w->cands);
    hegui_transform_free(w->transform);
    hegui_area_calc_free(w->area);
    if (w->wkt)
        GEOSWKTWriter_destroy_r(w->h, w->wkt);
    if (w->reader)
        GEOSWKBReader_destroy_r(w->h, w->reader);
    if (w->writer)
        GEOSWKBWriter_destroy_r(w->h, w->writer);
    hegui_geom_ctx_free(w->gctx);
    w->gctx = NULL;
}

/* How far from a block's envelope coordinates must be exact: 10 m (or
 * 1e-4 degree in a geographic working CRS). */
static double focus_margin(const check_ctx *ctx)
{
    return ctx->run->working_crs.geographic ? 1e-4 : 10.0;
}

/* Each worker builds its own copies: GEOS 3.11 prepared geometries and
 * lazily computed caches must not be shared between threads. */
static int worker_init(worker *w, engine *eng)
{
    size_t i, n = eng->ctx->block_count;
    int rc;
    w->eng = eng;
    if ((rc = hegui_geom_ctx_new(&w->gctx)) < 0)
        return rc;
    w->h = hegui_geom_ctx_handle(w->gctx);
    /* reprojection runs here, on the workers, not in the reading thread:
     * a copy of the reader's, focus and all, one worker at a time */
    pthread_mutex_lock(&eng->lock);
    rc = hegui_transform_clone(&w->transform, eng->focus);
    pthread_mutex_unlock(&eng->lock);
    if (rc < 0)
        return rc;
    if ((rc = hegui_area_calc_new(&w->area, eng->ctx->run->working_crs.epsg)) < 0)
        return rc;
    w->wkt = check_wkt_writer_new(w->h);
    w->reader = GEOSWKBReader_create_r(w->h);
    w->writer = GEOSWKBWriter_create_r(w->h);
    w->blocks = hegui_calloc(n ? n : 1, sizeof(*w->blocks));
    w->prepared = hegui_calloc(n ? n : 1, sizeof(*w->prepared));
    w->tree = GEOSSTRtree_create_r(w->h, 10);
    if (!w->wkt || !w->reader || !w->writer || !w->blocks || !w->prepared || !w->tree)
        return hegui_error_set(HEGUI_ENOMEM, "cannot set up an overlay worker");
    GEOSWKBWriter_setOutputDimension_r(w->h, w->writer, 2);
    for (i = 0; i < n; i++) {
        if (!eng->block_wkb[i])
            continue;
        w->blocks[i] = GEOSWKBReader_read_r(w->h, w->reader, eng->block_wkb[i],
                                            eng->block_wkb_size[i]);
        if (!w->blocks[i])
            return hegui_error_set(HEGUI_EGEOM, "cannot copy block %zu into a worker", i);
        w->prepared[i] = GEOSPrepare_r(w->h, w->blocks[i]);
        if (!w->prepared[i])
            return hegui_error_set(HEGUI_EGEOM, "cannot prepare block %zu", i);
        GEOSSTRtree_insert_r(w->h, w->tree, w->blocks[i], (void *)(uintptr_t)(i + 1));
    }
    return HEGUI_OK;
}

/* --- processing one feature --- */

static void collect_candidate(void *item, void *userdata)
{
    worker *w = userdata;
    if (w->cand_failed)
        return;
    if (w->cand_count == w->cand_cap) {
        size_t cap = w->cand_cap ? 2 * w->cand_cap : 16;
        size_t *grown = hegui_realloc(w->cands, cap * sizeof(*grown));
        if (!grown) {
            w->cand_failed = 1;
            return;
        }
        w->cands = grown;
        w->cand_cap = cap;
    }
    w->cands[w->cand_count++] = (size_t)(uintptr_t)item - 1;
}


/* Intersection with one retry on a 1 mm grid (DESIGN.md 7). */
static GEOSGeometry *intersect(worker *w, const GEOSGeometry *a, const GEOSGeometry *b)
{
    GEOSGeometry *r = GEOSIntersection_r(w->h, a, b);
    if (!r)
        r = GEOSIntersectionPrec_r(w->h, a, b, 0.001);
    return r;
}

/*
 * The blocks whose envelope meets g's: their number (0: g is near no
 * block and is dropped before it is cut further; < 0: out of memory), and
 * in near[] the box of their envelopes, 1 m wider. What lies beyond that
 * box meets no block: subdivide cuts it away with the next clip instead of
 * halving it level after level.
 */
static int blocks_near(worker *w, const GEOSGeometry *g, double near[4])
{
    size_t k;
    w->cand_count = 0;
    GEOSSTRtree_query_r(w->h, w->tree, g, collect_candidate, w);
    if (w->cand_failed)
        return HEGUI_ENOMEM;
    near[0] = near[1] = HUGE_VAL;
    near[2] = near[3] = -HUGE_VAL;
    for (k = 0; k < w->cand_count; k++) {
        const GEOSGeometry *b = w->blocks[w->cands[k]];
        double x0, y0, x1, y1;
        if (!GEOSGeom_getXMin_r(w->h, b, &x0) || !GEOSGeom_getYMin_r(w->h, b, &y0) ||
            !GEOSGeom_getXMax_r(w->h, b, &x1) || !GEOSGeom_getYMax_r(w->h, b, &y1)) {
            near[0] = near[1] = -HUGE_VAL; /* no envelope: no shrinking */
            near[2] = near[3] = HUGE_VAL;
            break;
        }
        near[0] = fmin(near[0], x0 - 1);
        near[1] = fmin(near[1], y0 - 1);
        near[2] = fmax(near[2], x1 + 1);
        near[3] = fmax(near[3], y1 + 1);
    }
    return (int)(w->cand_count < INT_MAX ? w->cand_count : INT_MAX);
}

/* The polygonal part of root inside the rectangle, by overlay. */
static GEOSGeometry *clip_by_overlay(worker *w, const GEOSGeometry *root, double x0, double y0,
                                     double x1, double y1)
{
    GEOSGeometry *rect = GEOSGeom_createRectangle_r(w->h, x0, y0, x1, y1), *inter, *piece;
    if (!rect)
        return NULL;
    inter = intersect(w, root, rect);
    GEOSGeom_destroy_r(w->h, rect);
    if (!inter)
        return NULL;
    piece = check_polygonal(w->h, inter);
    GEOSGeom_destroy_r(w->h, inter);
    return piece;
}


/* Where a piece is halved, as a share of its extent: deliberately not
 * one half, so that a defect of the data (a ring crossing itself, a
 * vertex touching a ring) is almost never exactly on a cut, where both
 * halves could come out valid (see subdivide). */
#define SPLIT_AT 0.4990234375

/* subdivide's answer when the root, not checked yet, proved invalid or
 * unclippable near a block: check it whole and subdivide again. */
#define ROOT_UNCHECKED 1

/*
 * Pieces of g (a part of root inside the rectangle rect, or root itself
 * when rect is NULL) of at most OVERLAY_MAX_VERTICES vertices, by cutting
 * the part of its envelope inside near (blocks_near of g) in two with
 * GEOSClipByRect_r; parts near no block are dropped. Only the final pieces are validity-checked (only they are
 * measured).
 *
 * When root is known to be valid (checked), an invalid piece (rectangle
 * clipping can leave one) is cut from root by overlay instead. When it is
 * not (a large polygon is not checked whole: most of its vertices are
 * usually far from every block, and the check would cost as much as the
 * rest of its work), every piece near a block must be valid, else
 * ROOT_UNCHECKED: valid pieces show the polygon valid wherever it meets a
 * block, except for a defect lying exactly on a cut (SPLIT_AT).
 */
static int subdivide(worker *w, const GEOSGeometry *root, const GEOSGeometry *g,
                     const double *rect, const double near[4], int depth, int checked,
                     check_geoms *out)
{
    double xmin, ymin, xmax, ymax;
    int half, rc;
    if (GEOSGetNumCoordinates_r(w->h, g) <= OVERLAY_MAX_VERTICES || depth >= 16) {
        GEOSGeometry *piece;
        if (!rect || GEOSisValid_r(w->h, g) == 1)
            piece = GEOSGeom_clone_r(w->h, g);
        else if (!checked)
            return ROOT_UNCHECKED;
        else
            piece = clip_by_overlay(w, root, rect[0], rect[1], rect[2], rect[3]);
        if (!piece)
            return hegui_error_set(HEGUI_EGEOM, "cannot subdivide a polygon");
        if (check_geoms_push(out, piece) < 0) {
            GEOSGeom_destroy_r(w->h, piece);
            return HEGUI_ENOMEM;
        }
        return HEGUI_OK;
    }
    if (!GEOSGeom_getXMin_r(w->h, g, &xmin) || !GEOSGeom_getYMin_r(w->h, g, &ymin) ||
        !GEOSGeom_getXMax_r(w->h, g, &xmax) || !GEOSGeom_getYMax_r(w->h, g, &ymax))
        return hegui_error_set(HEGUI_EGEOM, "cannot read an envelope");
    xmin = fmax(xmin, near[0]);
    ymin = fmax(ymin, near[1]);
    xmax = fmin(xmax, near[2]);
    ymax = fmin(ymax, near[3]);
    for (half = 0; half < 2; half++) {
        double r[4] = {xmin, ymin, xmax, ymax}, piece_near[4];
        GEOSGeometry *clip, *piece;
        if (xmax - xmin >= ymax - ymin)
            r[half == 0 ? 2 : 0] = xmin + SPLIT_AT * (xmax - xmin);
        else
            r[half == 0 ? 3 : 1] = ymin + SPLIT_AT * (ymax - ymin);
        clip = GEOSClipByRect_r(w->h, g, r[0], r[1], r[2], r[3]);
        if (!clip && !checked)
            return ROOT_UNCHECKED;
        if (!clip)
            clip = clip_by_overlay(w, root, r[0], r[1], r[2], r[3]);
        if (!clip)
            return hegui_error_set(HEGUI_EGEOM, "cannot subdivide a polygon");
        piece = check_polygonal(w->h, clip);
        GEOSGeom_destroy_r(w->h, clip);
        if (!piece)
            return HEGUI_ENOMEM;
        rc = GEOSisEmpty_r(w->h, piece) ? 0 : blocks_near(w, piece, piece_near);
        if (rc > 0)
            rc = subdivide(w, root, piece, r, piece_near, depth + 1, checked, out);
        GEOSGeom_destroy_r(w->h, piece);
        if (rc != HEGUI_OK)
            return rc;
    }
    return HEGUI_OK;
}

/* A piece of a feature that meets a block. */
typedef struct block_part {
    size_t block;
    size_t piece;
    int inside; /* the block contains the piece properly */
} block_part;

static int compare_block_part(const void *a, const void *b)
{
    const block_part *x = a, *y = b;
    if (x->block != y->block)
        return (x->block > y->block) - (x->block < y->block);
    return (x->piece > y->piece) - (x->piece < y->piece);
}

static int add_hit(worker *w, batch *bt, const feature_item *it, size_t block,
                   const GEOSGeometry *part, const char *error)
{
    overlay_hit *hit;
    size_t size = 0;
    if (bt->hit_count == bt->hit_cap) {
        size_t cap = bt->hit_cap ? 2 * bt->hit_cap : 16;
        overlay_hit *grown = hegui_realloc(bt->hits, cap * sizeof(*grown));
        if (!grown)
            return HEGUI_ENOMEM;
        bt->hits = grown;
        bt->hit_cap = cap;
    }
    hit = &bt->hits[bt->hit_count++]; /* the batch owns it, even half filled */
    memset(hit, 0, sizeof(*hit));
    hit->seq = it->seq;
    hit->block = block;
    hit->fid = it->fid;
    hit->values = copy_values(it->values, w->eng->value_count);
    if (!hit->values)
        return HEGUI_ENOMEM;
    if (part) {
        unsigned char *wkb;
        int rc;
        /* measured here, on the workers: the main thread only reports */
        if (GEOSArea_r(w->h, part, &hit->area_m2) != 1)
            return hegui_error_set(HEGUI_EGEOM, "GEOS cannot measure an area");
        if ((rc = hegui_area_ellipsoidal(&hit->area_ellipsoidal_m2, w->area, w->gctx, part)) < 0)
            return rc;
        if (hit->area_m2 > w->eng->min_wkt_area &&
            (!w->eng->wants_wkt || w->eng->wants_wkt(hit, w->eng->wkt_payload)) &&
            !(hit->wkt = check_wkt_r(w->h, w->wkt, part)))
            return HEGUI_EGEOM;
        wkb = GEOSWKBWriter_write_r(w->h, w->writer, part, &size);
        if (!wkb)
            return hegui_error_set(HEGUI_EGEOM, "cannot write WKB");
        hit->wkb = hegui_malloc(size);
        if (hit->wkb)
            memcpy(hit->wkb, wkb, size);
        GEOSFree_r(w->h, wkb);
        if (!hit->wkb)
            return HEGUI_ENOMEM;
        hit->wkb_size = size;
        if (w->eng->draft)
            return w->eng->draft(hit, w->eng->draft_payload);
    } else {
        hit->error = hegui_strdup(error ? error : "GEOS failed");
        if (!hit->error)
            return HEGUI_ENOMEM;
    }
    return HEGUI_OK;
}

static int record_invalid(worker *w, batch *bt, const feature_item *it, const GEOSGeometry *g,
                          const GEOSGeometry *repaired)
{
    overlay_invalid *inv;
    char *reason = NULL;
    GEOSGeometry *location = NULL;
    double x = 0, y = 0;
    if (bt->invalid_count == bt->invalid_cap) {
        size_t cap = bt->invalid_cap ? 2 * bt->invalid_cap : 8;
        overlay_invalid *grown = hegui_realloc(bt->invalid, cap * sizeof(*grown));
        if (!grown)
            return HEGUI_ENOMEM;
        bt->invalid = grown;
        bt->invalid_cap = cap;
    }
    inv = &bt->invalid[bt->invalid_count];
    memset(inv, 0, sizeof(*inv));
    inv->seq = it->seq;
    inv->fid = it->fid;
    GEOSisValidDetail_r(w->h, g, 0, &reason, &location);
    if (location) {
        GEOSGeomGetX_r(w->h, location, &x);
        GEOSGeomGetY_r(w->h, location, &y);
        GEOSGeom_destroy_r(w->h, location);
    }
    inv->reason = hegui_sprintf("%s at (%.3f, %.3f)", reason ? reason : "invalid", x, y);
    if (reason)
        GEOSFree_r(w->h, reason);
    GEOSArea_r(w->h, g, &inv->area_before);
    GEOSArea_r(w->h, repaired, &inv->area_after);
    if (!inv->reason)
        return HEGUI_ENOMEM;
    bt->invalid_count++;
    return HEGUI_OK;
}

/*
 * The part of root in block b when several of its pieces meet b: root
 * clipped to the block's envelope (GEOSClipByRect_r, linear) and
 * intersected with the block, one overlay on the local part instead of a
 * union of pieces. The clip is not validity-checked (that would cost as
 * much as the overlay); instead the part's area must lie between the areas
 * of the pieces the block contains and of all the pieces that meet it.
 * Else the whole root is intersected when it is known to be valid
 * (checked); when it is not, *unchecked is set and NULL returned. NULL
 * alone when GEOS failed.
 */
static GEOSGeometry *several_pieces(worker *w, size_t b, const GEOSGeometry *root, int checked,
                                    const check_geoms *pieces, const block_part *meet, size_t n,
                                    int *unchecked)
{
    double x0, y0, x1, y1, lo = 0, hi = 0, area = 0;
    GEOSGeometry *local, *inter, *part = NULL;
    size_t i;
    for (i = 0; i < n; i++) {
        double a = 0;
        GEOSArea_r(w->h, pieces->items[meet[i].piece], &a);
        hi += a;
        lo += meet[i].inside ? a : 0;
    }
    GEOSGeom_getXMin_r(w->h, w->blocks[b], &x0);
    GEOSGeom_getYMin_r(w->h, w->blocks[b], &y0);
    GEOSGeom_getXMax_r(w->h, w->blocks[b], &x1);
    GEOSGeom_getYMax_r(w->h, w->blocks[b], &y1);
    local = GEOSClipByRect_r(w->h, root, x0 - 1, y0 - 1, x1 + 1, y1 + 1);
    inter = local ? intersect(w, w->blocks[b], local) : NULL;
    if (local)
        GEOSGeom_destroy_r(w->h, local);
    if (inter) {
        part = check_polygonal(w->h, inter);
        GEOSGeom_destroy_r(w->h, inter);
    }
    if (part && GEOSArea_r(w->h, part, &area) == 1 && area >= lo * (1 - 1e-9) - 1e-6 &&
        area <= hi * (1 + 1e-9) + 1e-6)
        return part;
    if (part)
        GEOSGeom_destroy_r(w->h, part);
    if (!checked) {
        *unchecked = 1;
        return NULL;
    }
    inter = intersect(w, w->blocks[b], root);
    part = inter ? check_polygonal(w->h, inter) : NULL;
    if (inter)
        GEOSGeom_destroy_r(w->h, inter);
    return part;
}

/* Frees what a hit owns. */
static void release_hit(overlay_hit *hit)
{
    if (!hit->wkb_kept)
        hegui_free(hit->wkb);
    hegui_free(hit->wkt);
    hegui_free(hit->error);
    finding_free(hit->finding);
    hegui_free(hit->values);
}

/*
 * Checks g whole; an invalid g is repaired (STRUCTURE, polygonal part kept)
 * into *valid and recorded in the batch. *valid stays NULL for a valid g.
 */
static int check_whole(worker *w, batch *bt, const feature_item *it, const GEOSGeometry *g,
                       GEOSGeometry **valid)
{
    GEOSMakeValidParams *params;
    GEOSGeometry *made;
    *valid = NULL;
    if (GEOSisValid_r(w->h, g) == 1)
        return HEGUI_OK;
    params = GEOSMakeValidParams_create_r(w->h);
    GEOSMakeValidParams_setMethod_r(w->h, params, GEOS_MAKE_VALID_STRUCTURE);
    GEOSMakeValidParams_setKeepCollapsed_r(w->h, params, 0);
    made = GEOSMakeValidWithParams_r(w->h, g, params);
    GEOSMakeValidParams_destroy_r(w->h, params);
    *valid = made ? check_polygonal(w->h, made) : NULL;
    if (made)
        GEOSGeom_destroy_r(w->h, made);
    if (!*valid)
        return hegui_error_set(HEGUI_EGEOM, "cannot repair feature %lld", (long long)it->fid);
    return record_invalid(w, bt, it, g, *valid);
}

/* The blocks each piece meets, by prepared predicates only, sorted by
 * (block, piece) into *parts. */
static int meet_blocks(worker *w, const check_geoms *pieces, block_part **parts, size_t *count)
{
    size_t p, k, cap = 0;
    *parts = NULL;
    *count = 0;
    for (p = 0; p < pieces->count; p++) {
        w->cand_count = 0;
        GEOSSTRtree_query_r(w->h, w->tree, pieces->items[p], collect_candidate, w);
        if (w->cand_failed)
            return HEGUI_ENOMEM;
        for (k = 0; k < w->cand_count; k++) {
            size_t b = w->cands[k];
            int inside = GEOSPreparedContainsProperly_r(w->h, w->prepared[b], pieces->items[p]) == 1;
            if (!inside && GEOSPreparedIntersects_r(w->h, w->prepared[b], pieces->items[p]) == 0)
                continue; /* 2 (GEOS failed) goes on to the overlay, which retries */
            if (*count == cap) {
                size_t grown_cap = cap ? 2 * cap : 8;
                block_part *grown = hegui_realloc(*parts, grown_cap * sizeof(*grown));
                if (!grown)
                    return HEGUI_ENOMEM;
                *parts = grown;
                cap = grown_cap;
            }
            (*parts)[*count].block = b;
            (*parts)[*count].piece = p;
            (*parts)[*count].inside = inside;
            (*count)++;
        }
    }
    if (*count > 1)
        qsort(*parts, *count, sizeof(**parts), compare_block_part);
    return HEGUI_OK;
}

/*
 * One hit per block met: a piece the block contains is taken whole; a
 * single piece crossing its boundary is intersected; several pieces are
 * not rejoined (a union of many pieces costs more than the one overlay):
 * see several_pieces. ROOT_UNCHECKED when root, not checked yet, must be.
 */
static int emit_hits(worker *w, batch *bt, const feature_item *it, const GEOSGeometry *root,
                     int checked, const check_geoms *pieces, const block_part *parts, size_t count)
{
    size_t k, end;
    int rc = HEGUI_OK;
    for (k = 0; k < count && rc == HEGUI_OK; k = end) {
        size_t b = parts[k].block;
        GEOSGeometry *part = NULL, *inter = NULL;
        int unchecked = 0;
        for (end = k; end < count && parts[end].block == b; end++)
            ;
        if (end - k == 1 && parts[k].inside)
            part = GEOSGeom_clone_r(w->h, pieces->items[parts[k].piece]);
        else if (end - k == 1)
            inter = intersect(w, w->blocks[b], pieces->items[parts[k].piece]);
        else
            part = several_pieces(w, b, root, checked, pieces, parts + k, end - k, &unchecked);
        if (unchecked)
            return ROOT_UNCHECKED;
        if (inter) {
            part = check_polygonal(w->h, inter);
            GEOSGeom_destroy_r(w->h, inter);
        }
        if (!part)
            rc = add_hit(w, bt, it, b, NULL, hegui_geom_ctx_message(w->gctx));
        else if (GEOSisEmpty_r(w->h, part) != 1)
            rc = add_hit(w, bt, it, b, part, NULL);
        if (part)
            GEOSGeom_destroy_r(w->h, part);
    }
    return rc;
}

static int process_item(worker *w, batch *bt, const feature_item *it)
{
    GEOSGeometry *g = NULL, *valid = NULL;
    check_geoms pieces = {NULL, 0, 0};
    block_part *parts = NULL;
    size_t part_count = 0, first_hit = bt->hit_count, k;
    double near[4];
    int rc = HEGUI_OK, type, checked;

    if (!it->wkb || (it->problems & (HEGUI_FEATURE_NONFINITE | HEGUI_FEATURE_EMPTY_GEOMETRY))) {
        bt->skipped++;
        return HEGUI_OK;
    }
    if (hegui_transform_wkb(w->transform, it->wkb, it->wkb_size) < 0) {
        bt->skipped++; /* a point outside the CRS's domain: no area to take */
        return HEGUI_OK;
    }
    g = GEOSWKBReader_read_r(w->h, w->reader, it->wkb, it->wkb_size);
    if (!g) {
        bt->skipped++;
        return HEGUI_OK;
    }
    type = GEOSGeomTypeId_r(w->h, g);
    if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON) {
        bt->skipped++;
        goto done;
    }
    /* most features of a city-wide layer are near no block: an envelope
     * test spares them the validity check, the cuts and the overlay (a
     * repair of g stays inside g's envelope: near holds for it too) */
    if ((rc = blocks_near(w, g, near)) <= 0)
        goto done;
    /* a small polygon is checked whole; a large one only where it meets a
     * block, by its pieces, and whole if they show a defect (subdivide) */
    checked = GEOSGetNumCoordinates_r(w->h, g) <= OVERLAY_MAX_VERTICES;
    for (;;) {
        const GEOSGeometry *root;
        if (checked && (rc = check_whole(w, bt, it, g, &valid)) < 0)
            goto done;
        root = valid ? valid : g;
        rc = subdivide(w, root, root, NULL, near, 0, checked, &pieces);
        if (rc == HEGUI_OK && (rc = meet_blocks(w, &pieces, &parts, &part_count)) == HEGUI_OK)
            rc = emit_hits(w, bt, it, root, checked, &pieces, parts, part_count);
        if (rc != ROOT_UNCHECKED)
            break;
        /* start again, checked: drop what the unchecked pass made */
        for (k = first_hit; k < bt->hit_count; k++)
            release_hit(&bt->hits[k]);
        bt->hit_count = first_hit;
        check_geoms_clear(w->h, &pieces);
        hegui_free(parts);
        parts = NULL;
        checked = 1;
    }
done:
    hegui_free(parts);
    check_geoms_free(w->h, &pieces);
    if (valid)
        GEOSGeom_destroy_r(w->h, valid);
    if (g)
        GEOSGeom_destroy_r(w->h, g);
    return rc;
}

/* Frees what the items of bt point into; the array stays (free_items). */
static void clear_items(batch *bt)
{
    size_t i;
    while (bt->chunks) {
        item_chunk *next = bt->chunks->next;
        hegui_free(bt->chunks);
        bt->chunks = next;
    }
    for (i = 0; bt->items && i < bt->count; i++) {
        bt->items[i].wkb = NULL;
        bt->items[i].values = NULL;
    }
}

static void free_items(batch *bt)
{
    clear_items(bt);
    hegui_free(bt->items);
    bt->items = NULL;
}

static void process_batch(worker *w, batch *bt)
{
    size_t i;
    for (i = 0; i < bt->count && bt->rc == HEGUI_OK; i++) {
        bt->rc = process_item(w, bt, &bt->items[i]);
        if (bt->rc < 0)
            snprintf(bt->error, sizeof(bt->error), "%s", hegui_error_last());
    }
    clear_items(bt);
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    engine *eng = w->eng;
    /* each worker sets itself up (PROJ and GEOS objects, the focus), all
     * at once and while the reader starts */
    if ((w->rc = worker_init(w, eng)) < 0) {
        snprintf(w->error, sizeof(w->error), "%s", hegui_error_last());
        pthread_mutex_lock(&eng->lock);
        eng->aborted = 1;
        pthread_cond_broadcast(&eng->room);
        pthread_cond_broadcast(&eng->work);
        pthread_mutex_unlock(&eng->lock);
        return NULL;
    }
    for (;;) {
        batch *bt = NULL;
        pthread_mutex_lock(&eng->lock);
        while (eng->next_to_process >= eng->batch_count && !eng->reading_done && !eng->aborted)
            pthread_cond_wait(&eng->work, &eng->lock);
        if (eng->next_to_process < eng->batch_count && !eng->aborted)
            bt = eng->batches[eng->next_to_process++];
        pthread_mutex_unlock(&eng->lock);
        if (!bt)
            return NULL;
        process_batch(w, bt);
        pthread_mutex_lock(&eng->lock);
        if (eng->spare_count < eng->spare_cap) { /* else freed with the batch */
            eng->spare_items[eng->spare_count++] = bt->items;
            bt->items = NULL;
        }
        eng->in_flight--;
        pthread_cond_signal(&eng->room);
        pthread_mutex_unlock(&eng->lock);
    }
}

/* --- the reader side --- */

/* Queues bt for the workers, waiting while too many are in flight so
 * memory stays flat however large the layer. */
static int queue_batch(engine *eng, batch *bt, int threads)
{
    pthread_mutex_lock(&eng->lock);
    while (eng->in_flight >= (size_t)threads * 2 && !eng->aborted)
        pthread_cond_wait(&eng->room, &eng->lock);
    if (eng->aborted) {
        pthread_mutex_unlock(&eng->lock);
        return HEGUI_EINTERNAL; /* the worker's own error is reported */
    }
    if (eng->batch_count == eng->batch_cap) {
        size_t cap = eng->batch_cap ? 2 * eng->batch_cap : 64;
        batch **grown = hegui_realloc(eng->batches, cap * sizeof(*grown));
        if (!grown) {
            pthread_mutex_unlock(&eng->lock);
            return HEGUI_ENOMEM;
        }
        eng->batches = grown;
        eng->batch_cap = cap;
    }
    eng->batches[eng->batch_count++] = bt;
    eng->in_flight++;
    pthread_cond_signal(&eng->work);
    pthread_mutex_unlock(&eng->lock);
    return HEGUI_OK;
}

/* An item array for a new batch: a processed batch's, else a new one
 * (read_item fills each item whole). NULL when out of memory. */
static feature_item *take_items(engine *eng)
{
    feature_item *items = NULL;
    pthread_mutex_lock(&eng->lock);
    if (eng->spare_count > 0)
        items = eng->spare_items[--eng->spare_count];
    pthread_mutex_unlock(&eng->lock);
    return items ? items : hegui_malloc(BATCH_SIZE * sizeof(feature_item));
}

/* size bytes in bt's chunks, at a multiple of align (a power of two);
 * NULL when out of memory. */
static void *batch_alloc(batch *bt, size_t size, size_t align)
{
    item_chunk *c = bt->chunks, *fresh;
    size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0, cap;
    if (c && at + size <= c->cap) {
        c->used = at + size;
        return c->data + at;
    }
    cap = size > ITEM_CHUNK_BYTES / 4 ? size : ITEM_CHUNK_BYTES;
    fresh = hegui_malloc(sizeof(*fresh) + cap);
    if (!fresh)
        return NULL;
    fresh->cap = cap;
    fresh->used = size;
    if (c && cap == size) { /* one large WKB: the current chunk keeps its room */
        fresh->next = c->next;
        c->next = fresh;
    } else {
        fresh->next = c;
        bt->chunks = fresh;
    }
    return fresh->data;
}

/* Fills item (of bt) from the reader's feature f, copying its WKB and
 * values into bt's chunks. */
static int read_item(batch *bt, feature_item *item, const hegui_feature *f, size_t seq,
                     size_t value_count)
{
    size_t i;
    memset(item, 0, sizeof(*item));
    item->seq = seq;
    item->fid = f->fid;
    item->problems = f->problems;
    if (f->wkb) {
        if (!(item->wkb = batch_alloc(bt, f->wkb_size, 1)))
            return HEGUI_ENOMEM;
        memcpy(item->wkb, f->wkb, f->wkb_size);
        item->wkb_size = f->wkb_size;
    }
    item->values =
        batch_alloc(bt, (value_count ? value_count : 1) * sizeof(char *), sizeof(char *));
    if (!item->values)
        return HEGUI_ENOMEM;
    for (i = 0; i < value_count; i++) {
        size_t len = f->values && f->values[i] ? strlen(f->values[i]) + 1 : 0;
        item->values[i] = len ? batch_alloc(bt, len, 1) : NULL;
        if (len && !item->values[i])
            return HEGUI_ENOMEM;
        if (len)
            memcpy(item->values[i], f->values[i], len);
    }
    return HEGUI_OK;
}

/* The extent of all blocks in the working CRS. */
static bool blocks_extent(const check_ctx *ctx, double extent[4])
{
    size_t i;
    bool any = false;
    for (i = 0; i < ctx->block_count; i++) {
        double x0, y0, x1, y1;
        const GEOSGeometry *g = ctx->blocks[i].geom;
        if (!g || GEOSisEmpty_r(ctx->h, g) != 0)
            continue;
        GEOSGeom_getXMin_r(ctx->h, g, &x0);
        GEOSGeom_getYMin_r(ctx->h, g, &y0);
        GEOSGeom_getXMax_r(ctx->h, g, &x1);
        GEOSGeom_getYMax_r(ctx->h, g, &y1);
        if (!any) {
            extent[0] = x0;
            extent[1] = y0;
            extent[2] = x1;
            extent[3] = y1;
            any = true;
        } else {
            extent[0] = x0 < extent[0] ? x0 : extent[0];
            extent[1] = y0 < extent[1] ? y0 : extent[1];
            extent[2] = x1 > extent[2] ? x1 : extent[2];
            extent[3] = y1 > extent[3] ? y1 : extent[3];
        }
    }
    return any;
}

void overlay_result_release(overlay_result *r)
{
    size_t i;
    for (i = 0; i < r->hit_count; i++)
        release_hit(&r->hits[i]);
    hegui_free(r->hits);
    for (i = 0; i < r->invalid_count; i++)
        hegui_free(r->invalid[i].reason);
    hegui_free(r->invalid);
    memset(r, 0, sizeof(*r));
}

/* A feature's hits, next to each other in a result (one batch made them). */
typedef struct hit_run {
    size_t seq, start, count;
} hit_run;

static int compare_runs(const void *a, const void *b)
{
    const hit_run *x = a, *y = b;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static int compare_invalid(const void *a, const void *b)
{
    const overlay_invalid *x = a, *y = b;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Puts the hits and invalid features of a read box by box in the order of
 * their FIDs (seq), which is the order one plain pass gives: a feature is
 * read once, so its hits form one run with a seq of its own, kept as the
 * worker ordered them (by block). */
static int order_by_fid(overlay_result *out)
{
    hit_run *runs = hegui_calloc(out->hit_count ? out->hit_count : 1, sizeof(*runs));
    overlay_hit *sorted = hegui_calloc(out->hit_count ? out->hit_count : 1, sizeof(*sorted));
    size_t i, n = 0, at = 0;
    if (!runs || !sorted) {
        hegui_free(runs);
        hegui_free(sorted);
        return HEGUI_ENOMEM;
    }
    for (i = 0; i < out->hit_count; i++) {
        if (n > 0 && runs[n - 1].seq == out->hits[i].seq) {
            runs[n - 1].count++;
            continue;
        }
        runs[n].seq = out->hits[i].seq;
        runs[n].start = i;
        runs[n++].count = 1;
    }
    qsort(runs, n, sizeof(*runs), compare_runs);
    for (i = 0; i < n; i++) {
        memcpy(sorted + at, out->hits + runs[i].start, runs[i].count * sizeof(*sorted));
        at += runs[i].count;
    }
    if (out->hit_count)
        memcpy(out->hits, sorted, out->hit_count * sizeof(*sorted));
    hegui_free(runs);
    hegui_free(sorted);
    qsort(out->invalid, out->invalid_count, sizeof(*out->invalid), compare_invalid);
    return HEGUI_OK;
}

/* Moves every batch's output into out, in reading order. */
static int merge(engine *eng, overlay_result *out)
{
    size_t i, hits = 0, invalid = 0;
    for (i = 0; i < eng->batch_count; i++) {
        hits += eng->batches[i]->hit_count;
        invalid += eng->batches[i]->invalid_count;
    }
    out->hits = hegui_calloc(hits ? hits : 1, sizeof(*out->hits));
    out->invalid = hegui_calloc(invalid ? invalid : 1, sizeof(*out->invalid));
    if (!out->hits || !out->invalid)
        return HEGUI_ENOMEM;
    for (i = 0; i < eng->batch_count; i++) {
        batch *bt = eng->batches[i];
        if (bt->hit_count) /* memcpy from NULL is undefined even for 0 bytes */
            memcpy(out->hits + out->hit_count, bt->hits, bt->hit_count * sizeof(*bt->hits));
        out->hit_count += bt->hit_count;
        bt->hit_count = 0;
        if (bt->invalid_count)
            memcpy(out->invalid + out->invalid_count, bt->invalid,
                   bt->invalid_count * sizeof(*bt->invalid));
        out->invalid_count += bt->invalid_count;
        bt->invalid_count = 0;
        out->skipped += bt->skipped;
    }
    return eng->by_fid ? order_by_fid(out) : HEGUI_OK;
}

static void free_batch(batch *bt)
{
    size_t i;
    if (!bt)
        return;
    free_items(bt);
    for (i = 0; i < bt->hit_count; i++)
        release_hit(&bt->hits[i]);
    hegui_free(bt->hits);
    for (i = 0; i < bt->invalid_count; i++)
        hegui_free(bt->invalid[i].reason);
    hegui_free(bt->invalid);
    hegui_free(bt);
}

/* The reader's transformation of layer, focused on the blocks (*out, also
 * on failure: the caller frees it). A layer in the CRS of the last one
 * focused takes a copy of that one's (ctx->focus): the blocks are the same
 * for every layer of a run, so is the focus, and a copy takes under a
 * millisecond against 0.02 s to focus again (C02 and C03 after C01 on the
 * bench data, all three in EPSG:4490). */
static int focused_transform(check_ctx *ctx, const hegui_layer_info *layer, const engine *eng,
                             hegui_transform **out)
{
    int epsg = ctx->run->working_crs.epsg, rc;
    hegui_transform *kept = NULL;
    if (ctx->focus && hegui_transform_fits(ctx->focus, layer, epsg))
        return hegui_transform_clone(out, ctx->focus);
    if ((rc = hegui_transform_new(out, layer, epsg)) < 0 ||
        (rc = hegui_transform_focus(*out, eng->block_boxes, eng->box_count, focus_margin(ctx))) < 0)
        return rc;
    if ((rc = hegui_transform_clone(&kept, *out)) < 0)
        return rc;
    hegui_transform_free(ctx->focus);
    ctx->focus = kept;
    return HEGUI_OK;
}

/* Has the reader take the layer block box by block box (with the focus
 * margin) when that pays (hegui_reader_set_passes decides: a layer with a
 * spatial index, most of it far from every block). 1 when it does (the
 * FIDs then order the result), 0, or HEGUI_ENOMEM. */
static int read_by_boxes(const check_ctx *ctx, hegui_reader *reader, const engine *eng)
{
    double margin = focus_margin(ctx), *boxes;
    size_t i;
    int rc;
    if (eng->box_count < 2)
        return 0;
    boxes = hegui_malloc(4 * eng->box_count * sizeof(double));
    if (!boxes)
        return HEGUI_ENOMEM;
    for (i = 0; i < 4 * eng->box_count; i++)
        boxes[i] = eng->block_boxes[i] + (i % 4 < 2 ? -margin : margin);
    rc = hegui_reader_set_passes(reader, boxes, eng->box_count);
    hegui_free(boxes);
    return rc;
}

int overlay_layer(check_ctx *ctx, const hegui_layer_info *layer, const char *const *fields,
                  size_t field_count, const overlay_options *options, overlay_result *out)
{
    engine eng;
    worker *workers = NULL;
    hegui_reader *reader = NULL;
    hegui_transform *near = NULL; /* the reader's test: may a feature meet a block? */
    GEOSWKBWriter *writer = NULL;
    hegui_feature f;
    batch *current = NULL;
    double extent[4];
    int threads = options && options->threads > 0 ? options->threads : 1;
    int started = 0, rc = HEGUI_OK, got, t;
    size_t i, seq = 0;

    memset(out, 0, sizeof(*out));
    memset(&eng, 0, sizeof(eng));
    out->value_count = field_count;
    eng.ctx = ctx;
    eng.layer = layer;
    eng.value_count = field_count;
    eng.min_wkt_area = options ? options->min_wkt_area : 0;
    eng.wants_wkt = options ? options->wants_wkt : NULL;
    eng.wkt_payload = options ? options->wkt_payload : NULL;
    eng.draft = options ? options->draft : NULL;
    eng.draft_payload = options ? options->draft_payload : NULL;
    pthread_mutex_init(&eng.lock, NULL);
    pthread_cond_init(&eng.work, NULL);
    pthread_cond_init(&eng.room, NULL);
    if (!blocks_extent(ctx, extent))
        goto done; /* no block geometry: nothing can overlap */

    /* blocks as WKB for the workers' own copies */
    eng.block_wkb = hegui_calloc(ctx->block_count, sizeof(*eng.block_wkb));
    eng.block_wkb_size = hegui_calloc(ctx->block_count, sizeof(*eng.block_wkb_size));
    eng.block_boxes = hegui_calloc(4 * ctx->block_count, sizeof(double));
    writer = GEOSWKBWriter_create_r(ctx->h);
    if (!eng.block_wkb || !eng.block_wkb_size || !eng.block_boxes || !writer) {
        rc = HEGUI_ENOMEM;
        goto done;
    }
    for (i = 0; i < ctx->block_count; i++) {
        unsigned char *wkb;
        double *box = eng.block_boxes + 4 * eng.box_count;
        if (!ctx->blocks[i].geom || GEOSisEmpty_r(ctx->h, ctx->blocks[i].geom) != 0)
            continue;
        GEOSGeom_getXMin_r(ctx->h, ctx->blocks[i].geom, &box[0]);
        GEOSGeom_getYMin_r(ctx->h, ctx->blocks[i].geom, &box[1]);
        GEOSGeom_getXMax_r(ctx->h, ctx->blocks[i].geom, &box[2]);
        GEOSGeom_getYMax_r(ctx->h, ctx->blocks[i].geom, &box[3]);
        eng.box_count++;
        wkb = GEOSWKBWriter_write_r(ctx->h, writer, ctx->blocks[i].geom, &eng.block_wkb_size[i]);
        eng.block_wkb[i] = wkb ? hegui_malloc(eng.block_wkb_size[i]) : NULL;
        if (wkb && eng.block_wkb[i])
            memcpy(eng.block_wkb[i], wkb, eng.block_wkb_size[i]);
        if (wkb)
            GEOSFree_r(ctx->h, wkb);
        if (!eng.block_wkb[i]) {
            rc = HEGUI_ENOMEM;
            goto done;
        }
    }
    workers = hegui_calloc((size_t)threads, sizeof(*workers));
    /* at most 2 * threads batches are in flight (queue_batch) */
    eng.spare_cap = 2 * (size_t)threads;
    eng.spare_items = hegui_calloc(eng.spare_cap, sizeof(*eng.spare_items));
    if (!workers || !eng.spare_items) {
        rc = HEGUI_ENOMEM;
        goto done;
    }
    /* the focus first: the workers copy it (its box bounds are the cost) */
    if ((rc = focused_transform(ctx, layer, &eng, &near)) < 0)
        goto done;
    eng.focus = near;
    for (t = 0; t < threads; t++) {
        workers[t].eng = &eng;
        if (pthread_create(&workers[t].thread, NULL, worker_main, &workers[t]) != 0) {
            rc = hegui_error_set(HEGUI_EINTERNAL, "cannot start a worker thread");
            break;
        }
        started++;
    }
    if (rc == HEGUI_OK)
        rc = hegui_reader_open_native(&reader, layer, fields, field_count,
                                      ctx->run->working_crs.epsg, extent);
    if (rc == HEGUI_OK)
        hegui_reader_set_focus(reader, near);
    if (rc == HEGUI_OK && (eng.by_fid = read_by_boxes(ctx, reader, &eng)) < 0)
        rc = eng.by_fid;
    while (rc == HEGUI_OK && (got = hegui_reader_next(reader, &f)) != 0) {
        if (got < 0) {
            rc = got;
            break;
        }
        if (f.problems & HEGUI_FEATURE_FAR) {
            seq++; /* near no block (most of a city-wide layer): not copied, not parsed */
            continue;
        }
        if (!current) {
            current = hegui_calloc(1, sizeof(*current));
            if (current)
                current->items = take_items(&eng);
            if (!current || !current->items) {
                rc = HEGUI_ENOMEM;
                break;
            }
        }
        if ((rc = read_item(current, &current->items[current->count], &f,
                            eng.by_fid ? (size_t)f.fid : seq, field_count)) < 0)
            break;
        seq++;
        out->near++;
        current->bytes += f.wkb_size;
        current->count++;
        if (current->count == BATCH_SIZE || current->bytes >= BATCH_BYTES) {
            if ((rc = queue_batch(&eng, current, threads)) < 0)
                break;
            current = NULL;
            if (options && options->progress)
                options->progress(layer->layer_name, (long long)seq, options->payload);
        }
    }
    if (rc == HEGUI_OK && current && current->count) {
        rc = queue_batch(&eng, current, threads);
        if (rc == HEGUI_OK)
            current = NULL;
    }
    out->features = (int64_t)seq;
done:
    pthread_mutex_lock(&eng.lock);
    eng.reading_done = 1;
    pthread_cond_broadcast(&eng.work);
    pthread_mutex_unlock(&eng.lock);
    for (t = 0; t < started; t++)
        pthread_join(workers[t].thread, NULL);
    for (t = 0; t < started; t++) {
        if (workers[t].rc < 0) { /* this is why reading stopped */
            rc = hegui_error_set(workers[t].rc, "%s", workers[t].error);
            break;
        }
    }
    if (options && options->progress && rc == HEGUI_OK)
        options->progress(layer->layer_name, (long long)seq, options->payload);
    for (i = 0; i < eng.batch_count && rc == HEGUI_OK; i++) {
        if (eng.batches[i]->rc < 0)
            rc = hegui_error_set(eng.batches[i]->rc, "%s: %s", layer->path,
                                 eng.batches[i]->error);
    }
    if (rc == HEGUI_OK)
        rc = merge(&eng, out);
    for (i = 0; i < eng.batch_count; i++)
        free_batch(eng.batches[i]);
    free_batch(current);
    hegui_free(eng.batches);
    while (eng.spare_count > 0)
        hegui_free(eng.spare_items[--eng.spare_count]);
    hegui_free(eng.spare_items);
    for (t = 0; workers && t < threads; t++)
        worker_release(&workers[t], ctx->block_count);
    hegui_free(workers);
    hegui_reader_close(reader);
    hegui_transform_free(near);
    if (writer)
        GEOSWKBWriter_destroy_r(ctx->h, writer);
    for (i = 0; eng.block_wkb && i < ctx->block_count; i++)
        hegui_free(eng.block_wkb[i]);
    hegui_free(eng.block_wkb);
    hegui_free(eng.block_wkb_size);
    hegui_free(eng.block_boxes);
    pthread_cond_destroy(&eng.work);
    pthread_cond_destroy(&eng.room);
    pthread_mutex_destroy(&eng.lock);
    if (rc < 0)
        overlay_result_release(out);
    return rc;
}
