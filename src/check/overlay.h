/*
 * check/overlay.h - the overlay engine (DESIGN.md 7): streams a large layer
 * through OGR with a spatial filter on the zones' extent and intersects its
 * features with the zone blocks, on N worker threads, each with its own
 * GEOS context, block copies, prepared geometries and STRtree.
 *
 * A layer with a spatial index, most of it far from every block (a Shapefile
 * with many features per block, a GeoPackage of large polygons whose R-tree
 * leaves a quarter or more out), is read block box by block box
 * (hegui_reader_set_passes), which spares reading the features far from
 * every block; its hits are then put in FID order, the order of one plain
 * pass.
 *
 * Invariants: the result does not depend on the number of threads (hits are
 * ordered by (feature sequence, block)); a hit's geometry is WKB in the
 * working CRS, measured (planar and ellipsoidal area, WKT) by the worker
 * that found it; a feature the block contains properly is taken whole, and
 * only boundary pairs pay for an intersection. A polygon over
 * OVERLAY_MAX_VERTICES is validity-checked by its pieces near a block, and
 * whole (then repaired if invalid) only when one of them is invalid. Reprojection is focused on
 * the blocks' envelopes (hegui_transform_focus): exact wherever a block is.
 */
#ifndef HEGUI_CHECK_OVERLAY_H
#define HEGUI_CHECK_OVERLAY_H

#include "check/check_internal.h"

/* Polygons with more vertices than this are cut into pieces first. */
#define OVERLAY_MAX_VERTICES 256

/* The part of one feature inside one block. */
typedef struct overlay_hit {
    size_t seq; /* order of the feature in the layer (0-based; its FID when read box by box) */
    size_t block;        /* index in ctx->blocks */
    int64_t fid;
    unsigned char *wkb;  /* polygonal part inside the block; NULL if unprocessable */
    size_t wkb_size;
    bool wkb_kept;       /* the totals own wkb (check_emit_drafted): readable, not freed here */
    char **values;       /* the requested attributes (NULL entries allowed), strings and all
                            in one allocation */
    char *error;         /* why the pair could not be processed, or NULL */
    double area_m2;      /* planar area of the part */
    double area_ellipsoidal_m2;
    char *wkt;           /* WKT of the part (check_wkt); NULL at or below min_wkt_area */
    hegui_finding *finding; /* drafted on the worker (overlay_options.draft), or NULL */
    const void *note;       /* what wants_wkt or the draft learned for the calling thread
                               (C04: the class's verdict), or NULL; not owned */
} overlay_hit;

/* A constraint feature whose geometry was invalid (repaired to compute). */
typedef struct overlay_invalid {
    size_t seq;
    int64_t fid;
    char *reason;        /* GEOS's reason and location */
    double area_before;  /* m2, as delivered */
    double area_after;   /* m2, repaired */
} overlay_invalid;

typedef struct overlay_result {
    overlay_hit *hits;   /* sorted by (seq, block) */
    size_t hit_count;
    overlay_invalid *invalid; /* sorted by seq */
    size_t invalid_count;
    size_t value_count;  /* attributes per hit */
    int64_t features;    /* features read (after the spatial filter) */
    int64_t near;        /* of those, the ones near a block (given to the workers) */
    int64_t skipped;     /* NULL, empty, non-finite or non-polygonal features */
} overlay_result;


typedef struct overlay_options {
    int threads;                 /* >= 1 */
    double min_wkt_area;         /* hits of this planar area (m2) or less get no WKT */
    /* hits (values and areas set) this rejects get no WKT either (NULL:
     * all get one); called on the workers, so it must only read, and
     * write no more than the hit's note */
    bool (*wants_wkt)(overlay_hit *hit, const void *payload);
    const void *wkt_payload;
    /* called on the workers for every hit with a part, once it is measured:
     * the rule's finding, if any, drafted into hit->finding
     * (check_draft_part), so that the calling thread only adds it; it must
     * only read what no thread changes while the layer is overlaid. NULL:
     * none. < 0 stops the run with that error. */
    int (*draft)(overlay_hit *hit, const void *payload);
    const void *draft_payload;
    check_progress_cb progress;
    void *payload;
} overlay_options;

/*
 * Overlays every feature of layer (read in the working CRS with the given
 * attribute fields) with ctx->blocks. Fills *out (release with
 * overlay_result_release). HEGUI_EINPUT when the layer cannot be read.
 */
int overlay_layer(check_ctx *ctx, const hegui_layer_info *layer, const char *const *fields,
                  size_t field_count, const overlay_options *options, overlay_result *out);
void overlay_result_release(overlay_result *result);

#endif
