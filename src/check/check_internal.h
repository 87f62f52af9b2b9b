/*
 * check/check_internal.h - what the rule families share: the zone blocks
 * as GEOS geometries with their attributes, the check context (GEOS
 * context, area calculator, WKT writer, the run being filled), and finding
 * emission.
 *
 * Invariants: a block's `geom` is a valid polygonal geometry in the working
 * CRS (repaired when the survey's was not) or NULL when it has none;
 * blocks are in catalog order then reading order, so every loop over them
 * is deterministic.
 */
#ifndef HEGUI_CHECK_INTERNAL_H
#define HEGUI_CHECK_INTERNAL_H

#include <geos_c.h>

#include "hegui/check.h"
#include "hegui/geom.h"
#include "util/util.h"

/* Logical attribute fields of the zones layer (DESIGN.md 2). */
enum {
    ZONE_FIELD_CODE,
    ZONE_FIELD_NAME,
    ZONE_FIELD_BLOCK,
    ZONE_FIELD_APPROVED_HA,
    ZONE_FIELD_BLOCK_HA,
    ZONE_FIELD_INDUSTRIES,
    ZONE_FIELD_LEVEL,
    ZONE_FIELD_COUNT
};

/* One feature of a zones layer: a zone, or one block of a zone. */
typedef struct check_block {
    const hegui_layer_info *layer;
    int64_t fid;
    char *values[ZONE_FIELD_COUNT]; /* UTF-8 or NULL when null/absent */
    unsigned problems;              /* HEGUI_FEATURE_* from the reader */
    GEOSGeometry *original;         /* as surveyed (may be invalid); NULL if none */
    GEOSGeometry *geom;             /* valid polygonal, for computation; NULL if none */
    double area_m2;                 /* planar area of geom */
    double area_ellipsoidal_m2;     /* geodesic area of geom */
    double zone_area_m2;            /* check_zone_area of its code, once all are loaded */
} check_block;

typedef struct check_ctx {
    hegui_geom_ctx *geom_ctx;
    GEOSContextHandle_t h;
    hegui_area_calc *area;
    GEOSWKTWriter *wkt;
    const hegui_config *config;
    const hegui_catalog *catalog;
    hegui_run *run;
    check_block *blocks;
    size_t block_count;
    /* field name used for each logical field, per zones layer (index of
     * the layer in the catalog); NULL when the layer lacks it */
    const char *(*zone_fields)[ZONE_FIELD_COUNT];
    /* per-(rule, zone) patches for dissolved totals (totals.c): WKB in
     * chunks owned here, zone codes interned, released by
     * check_pieces_release */
    struct check_piece *pieces;
    size_t piece_count, piece_cap;
    struct check_piece_chunk *piece_chunks; /* WKB storage, newest first */
    unsigned char **piece_blobs;            /* WKB taken over (check_piece_take_wkb) */
    size_t piece_blob_count, piece_blob_cap;
    char **piece_zone_codes;                /* hash set of interned codes (owned) */
    size_t piece_zone_code_count, piece_zone_code_cap;
    GEOSWKBWriter *piece_writer; /* 2D, on h; created by the first check_piece_add */
    /* the last overlay's reader transformation, focused on the blocks, for
     * the next layer in the same CRS (overlay.c, focused_transform) */
    hegui_transform *focus;
    /* worker threads of check_totals_build; 0 or 1: the calling thread */
    int threads;
    /* hegui_check_options.stage and payload (check_stage) */
    void (*stage)(const char *name, void *payload);
    void *stage_payload;
} check_ctx;

/* Names of the logical zone fields ("code", …), as in the rules file. */
extern const char *const check_zone_field_keys[ZONE_FIELD_COUNT];

/* Field name of logical key for a layer: the rules file's, else the first
 * default candidate the layer has (case-insensitive), else NULL. */
const char *check_field_name(const hegui_layer_info *layer, const char *key,
                             const char *const *candidates);

/* Whether field name of layer is stored as a number (false when unknown). */
bool check_field_numeric(const hegui_layer_info *layer, const char *name);
/* Room for check_class_code's buf. */
#define CHECK_CLASS_CODE_MAX 32
/*
 * A land-class code as the plan meant it, without spaces around it. Both
 * code sets' codes have 2, 4 or 6 characters; a numeric field drops their
 * leading zero ("0301" reads "301", "01" reads "1"), so from one (numeric
 * set) an odd number of digits gets it back, and a real's zero fraction
 * goes ("301.00"), and *restored is set (when not NULL). The code is raw,
 * or written into buf.
 */
const char *check_class_code(const char *raw, bool numeric, char buf[CHECK_CLASS_CODE_MAX],
                             bool *restored);

/* The default field names a rule family reads for logical field key of a
 * layer (NULL-terminated; NULL for an unknown key or role): zones.c,
 * conflict.c (farmland, redline, urban_boundary, landuse, plan_b,
 * exclusion) and industry.c (enterprises). hegui_check_layer_field
 * (fields.c) resolves them on a layer. */
const char *const *check_zone_field_candidates(const char *key);
const char *const *check_conflict_field_candidates(hegui_role role, const char *key);
const char *const *check_industry_field_candidates(const char *key);

/* Sets up ctx for a run in the CRS EPSG:epsg: GEOS context, WKT writer,
 * area calculator. Release with check_ctx_release (also on failure). */
int check_ctx_init(check_ctx *ctx, const hegui_config *config, const hegui_catalog *catalog,
                   hegui_run *run, int epsg);
void check_ctx_release(check_ctx *ctx);
/* Gives b its surveyed geometry (ownership taken), the valid geometry for
 * computation and its areas. */
int check_block_set_geometry(check_ctx *ctx, check_block *b, GEOSGeometry *original);
/* Loads every zones layer of the catalog into ctx->blocks (zones.c). */
int check_zones_load(check_ctx *ctx, int working_epsg);
void check_zones_release(check_ctx *ctx);
/* The zone code / name / block name of a block ("" when missing). */
const char *check_block_code(const check_block *b);
const char *check_block_name(const check_block *b);
const char *check_block_label(const check_block *b);
/* Surveyed area of the zone (all blocks sharing the code), planar m2. */
double check_zone_area(const check_ctx *ctx, const char *code);
/* Fills what each block keeps of its zone (zone_area_m2) once every block
 * is in: check_zones_load calls it; code that builds blocks otherwise
 * (the unit tests' fixtures) calls it after the last. */
void check_zones_finish(check_ctx *ctx);

/* Settings of a rule, or NULL when it is disabled. */
const hegui_rule_config *check_rule(const check_ctx *ctx, const char *id);
/* The layers a check reads for a single-layer role: every part the rules
 * file names for a plan that comes in parts (hegui_role_has_parts: a file
 * per county, read as one plan), else the first layer of the role. *out
 * (free with hegui_free) holds *count of them, 0 when the role has none. */
int check_role_layers(const check_ctx *ctx, hegui_role role, const hegui_layer_info ***out,
                      size_t *count);
/* The layers' names joined for messages ("YDYH_A, YDYH_B"; with the file
 * names when two share a layer name: "A.gpkg:YDYH, B.gpkg:YDYH"); NULL
 * when out of memory. Free with hegui_free. */
char *check_layers_label(const hegui_layer_info *const *layers, size_t count);
/* Severity of a finding: the rule's configured severity for its
 * error-level findings; lesser levels are kept but never raised. */
hegui_severity check_severity(const hegui_rule_config *rule, hegui_severity intrinsic);

/* A growable list of GEOS geometries it owns. */
typedef struct check_geoms {
    GEOSGeometry **items;
    size_t count, cap;
} check_geoms;
/* Appends g (taken; on HEGUI_ENOMEM it stays the caller's). */
int check_geoms_push(check_geoms *list, GEOSGeometry *g);
/* Destroys the geometries; the list stays usable (check_geoms_free: and
 * its array). */
void check_geoms_clear(GEOSContextHandle_t h, check_geoms *list);
void check_geoms_free(GEOSContextHandle_t h, check_geoms *list);

/* WKT of g (millimetres, trimmed), or NULL with the error set. */
char *check_wkt(check_ctx *ctx, const GEOSGeometry *g);
/* The same with a writer of check_wkt_writer_new (one per thread). */
GEOSWKTWriter *check_wkt_writer_new(GEOSContextHandle_t h);
char *check_wkt_r(GEOSContextHandle_t h, GEOSWKTWriter *writer, const GEOSGeometry *g);
/* Polygonal part of g (a new geometry, maybe empty): polygons of a
 * collection, or a copy of a (multi)polygon. */
GEOSGeometry *check_polygonal(GEOSContextHandle_t h, const GEOSGeometry *g);

/*
 * Adds a finding for block b (may be NULL) to the run. geom may be NULL;
 * when measure is set its planar and ellipsoidal areas fill the finding and
 * the geometry joins the (rule, zone) dissolve for totals.
 */
int check_emit(check_ctx *ctx, hegui_finding *f, const check_block *b, const GEOSGeometry *geom,
               bool measure);
/* A part the overlay engine measured (struct overlay_hit, overlay.h) is
 * reported in two steps. check_draft_part, on the overlay worker that found
 * it (overlay_options.draft): f, completed with block b and the part's
 * areas, becomes hit->finding with strings of its own, the part's WKT moved
 * into it (hit->wkt is NULL after); it reads b and hit only.
 * check_emit_drafted, on the thread that owns ctx, in the hits' order: adds
 * hit->finding to the run (hit->finding is NULL after) and keeps the part's
 * WKB for the totals, taken, not copied (hit->wkb_kept: the hit may still
 * read it, until check_pieces_release). */
struct overlay_hit;
int check_draft_part(hegui_finding *f, const check_block *b, struct overlay_hit *hit);
int check_emit_drafted(check_ctx *ctx, struct overlay_hit *hit);
/* Counts a patch below the minimum area for rule id. */
void check_suppress(check_ctx *ctx, const char *id);
/* Records that rule id could not run, and why (a static text). */
void check_not_checked(check_ctx *ctx, const char *id, const char *why);
/* A finding about a whole layer (no feature, no block): rule id, its
 * severity, its messages. */
int check_emit_layer(check_ctx *ctx, const char *rule, hegui_severity severity,
                     const hegui_layer_info *layer, char *zh, char *en);
/* A warning on layer for rule: its numeric class-code field lost the
 * leading zero of count codes, restored (check_class_code) as in the
 * example raw -> code. */
int check_report_restored_codes(check_ctx *ctx, const hegui_rule_config *rule,
                                const hegui_layer_info *layer, const char *field, size_t count,
                                const char *raw, const char *code);

/*
 * Keeps geom (as 2D WKB) for the dissolved total of (rule, zone code), with
 * its planar and ellipsoidal areas, which the total uses as they are when
 * the patch overlaps no other patch of its (rule, zone). rule must be a
 * static catalogue id; zone_code NULL is "". Not thread-safe: call from the
 * thread that owns ctx.
 */
int check_piece_add(check_ctx *ctx, const char *rule, const char *zone_code,
                    const GEOSGeometry *geom, double area_m2, double area_ellipsoidal_m2);
/* The same from 2D WKB that GEOS wrote (an overlay worker's patch), taken
 * over, not copied: on success wkb (from the hegui allocator) belongs to
 * ctx, which frees it in check_pieces_release; on failure, to the caller. */
int check_piece_take_wkb(check_ctx *ctx, const char *rule, const char *zone_code,
                         unsigned char *wkb, size_t wkb_size, double area_m2,
                         double area_ellipsoidal_m2);
/*
 * Builds run->totals (empty before; sorted by rule, zone code): a row per
 * enabled rule x zone and per (rule, zone) of a finding, its finding count
 * and the area of the dissolved union of its pieces. Rows are computed on
 * ctx->threads threads, each with its own GEOS context and area calculator;
 * the result does not depend on the thread count (totals.c).
 */
int check_totals_build(check_ctx *ctx);
/* Frees the pieces, their WKB and the interned zone codes. */
void check_pieces_release(check_ctx *ctx);

/* Tells the caller that stage name begins (hegui_check_options.stage). */
void check_stage(const check_ctx *ctx, const char *name);

/* The survey rules S01-S07 (survey.c). */
int check_survey_run(check_ctx *ctx);

/* Progress of a long layer: its name and the features read so far. */
typedef void (*check_progress_cb)(const char *layer, long long done, void *payload);

/* C06 difference patches between the landuse and plan_b layers (plandiff.c). */
int check_plandiff_run(check_ctx *ctx);

/* The industry rules I01-I03 (industry.c). */
int check_industry_run(check_ctx *ctx);

/* The conflict rules C01-C05 (conflict.c) on ctx->threads workers (0: one). */
int check_conflict_run(check_ctx *ctx, check_progress_cb progress, void *payload);


#endif
