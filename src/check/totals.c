/*
 * totals.c - per (rule, zone) totals. Areas are measured on the dissolved
 * union of a rule's patches in a zone, so that patches overlapping each
 * other are not counted twice (DESIGN.md 3); the patches stay listed as
 * findings.
 */
#include <stdlib.h>
#include <string.h>

#include "check/check_internal.h"

typedef struct check_piece {
    const char *rule; /* static catalogue id */
    char *zone_code;
    GEOSGeometry *geom;
} check_piece;

int check_piece_add(check_ctx *ctx, const char *rule, const char *zone_code,
                    const GEOSGeometry *geom)
{
    check_piece *p;
    if (ctx->piece_count == ctx->piece_cap) {
        size_t cap = ctx->piece_cap ? 2 * ctx->piece_cap : 64;
        check_piece *grown = hegui_realloc(ctx->pieces, cap * sizeof(*grown));
        if (!grown)
            return HEGUI_ENOMEM;
        ctx->pieces = grown;
        ctx->piece_cap = cap;
    }
    p = &ctx->pieces[ctx->piece_count];
    p->rule = rule;
    p->zone_code = hegui_strdup(zone_code ? zone_code : "");
    p->geom = GEOSGeom_clone_r(ctx->h, geom);
    if (!p->zone_code || !p->geom) {
        hegui_free(p->zone_code);
        if (p->geom)
            GEOSGeom_destroy_r(ctx->h, p->geom);
        return HEGUI_ENOMEM;
    }
    ctx->piece_count++;
    return HEGUI_OK;
}

void check_pieces_release(check_ctx *ctx)
{
    size_t i;
    for (i = 0; i < ctx->piece_count; i++) {
        hegui_free(ctx->pieces[i].zone_code);
        GEOSGeom_destroy_r(ctx->h, ctx->pieces[i].geom);
    }
    hegui_free(ctx->pieces);
    ctx->pieces = NULL;
    ctx->piece_count = ctx->piece_cap = 0;
}

/* Dissolved planar and ellipsoidal area of the pieces of (rule, zone). */
static int dissolved_area(check_ctx *ctx, const char *rule, const char *zone, double *planar,
                          double *ellipsoidal)
{
    GEOSGeometry **parts = NULL, *collection = NULL, *merged = NULL;
    unsigned n = 0;
    size_t i;
    int rc = HEGUI_OK;
    *planar = *ellipsoidal = 0;
    parts = hegui_calloc(ctx->piece_count ? ctx->piece_count : 1, sizeof(*parts));
    if (!parts)
        return HEGUI_ENOMEM;
    for (i = 0; i < ctx->piece_count; i++) {
        if (strcmp(ctx->pieces[i].rule, rule) == 0 &&
            strcmp(ctx->pieces[i].zone_code, zone) == 0)
            parts[n++] = GEOSGeom_clone_r(ctx->h, ctx->pieces[i].geom);
    }
    if (n == 0)
        goto done;
    collection = GEOSGeom_createCollection_r(ctx->h, GEOS_GEOMETRYCOLLECTION, parts, n);
    n = 0; /* owned by the collection now */
    merged = collection ? GEOSUnaryUnion_r(ctx->h, collection) : NULL;
    if (!merged) {
        rc = hegui_error_set(HEGUI_EGEOM, "GEOS cannot dissolve the %s patches of zone %s", rule,
                             zone);
        goto done;
    }
    GEOSArea_r(ctx->h, merged, planar);
    rc = hegui_area_ellipsoidal(ellipsoidal, ctx->area, ctx->geom_ctx, merged);
done:
    while (n > 0)
        GEOSGeom_destroy_r(ctx->h, parts[--n]);
    hegui_free(parts);
    if (collection)
        GEOSGeom_destroy_r(ctx->h, collection);
    if (merged)
        GEOSGeom_destroy_r(ctx->h, merged);
    return rc;
}

static int compare_totals(const void *a, const void *b)
{
    const hegui_run_total *x = a, *y = b;
    int c = strcmp(x->rule, y->rule);
    return c ? c : strcmp(x->zone_code, y->zone_code);
}

/* Adds a total row for (rule, zone) unless it exists. */
static int add_total(hegui_run *run, size_t *cap, const char *rule, const char *code,
                     const char *name)
{
    size_t i;
    hegui_run_total *t;
    for (i = 0; i < run->total_count; i++) {
        if (strcmp(run->totals[i].rule, rule) == 0 && strcmp(run->totals[i].zone_code, code) == 0)
            return HEGUI_OK;
    }
    if (run->total_count == *cap) {
        size_t ncap = *cap ? 2 * *cap : 32;
        hegui_run_total *grown = hegui_realloc(run->totals, ncap * sizeof(*grown));
        if (!grown)
            return HEGUI_ENOMEM;
        run->totals = grown;
        *cap = ncap;
    }
    t = &run->totals[run->total_count];
    memset(t, 0, sizeof(*t));
    t->rule = rule;
    t->zone_code = hegui_strdup(code);
    t->zone_name = hegui_strdup(name);
    t->share_of_zone = -1;
    if (!t->zone_code || !t->zone_name) {
        hegui_free(t->zone_code);
        hegui_free(t->zone_name);
        return HEGUI_ENOMEM;
    }
    run->total_count++;
    return HEGUI_OK;
}

int check_totals_build(check_ctx *ctx)
{
    hegui_run *run = ctx->run;
    size_t cap = 0, i, z, n;
    const hegui_rule_def *defs = hegui_rules_catalogue(&n);
    int rc;
    /* every enabled rule of the command x every zone, so zeros are shown
     * too (validate: the survey rules; check: all) */
    for (i = 0; i < n; i++) {
        bool survey = strcmp(defs[i].family, "survey") == 0;
        if ((!survey && (!run->command || strcmp(run->command, "check") != 0)) || !check_rule(ctx, defs[i].id))
            continue;
        for (z = 0; z < run->zone_count; z++) {
            if ((rc = add_total(run, &cap, defs[i].id, run->zones[z].code, run->zones[z].name)) < 0)
                return rc;
        }
    }
    for (i = 0; i < run->findings.count; i++) {
        const hegui_finding *f = &run->findings.items[i];
        if ((rc = add_total(run, &cap, f->rule, f->zone_code, f->zone_name)) < 0)
            return rc;
    }
    if (run->total_count > 1)
        qsort(run->totals, run->total_count, sizeof(*run->totals), compare_totals);
    for (i = 0; i < run->total_count; i++) {
        hegui_run_total *t = &run->totals[i];
        double zone_area = check_zone_area(ctx, t->zone_code);
        size_t k;
        for (k = 0; k < run->findings.count; k++) {
            const hegui_finding *f = &run->findings.items[k];
            if (strcmp(f->rule, t->rule) == 0 && strcmp(f->zone_code, t->zone_code) == 0)
                t->count++;
        }
        if ((rc = dissolved_area(ctx, t->rule, t->zone_code, &t->area_m2,
                                 &t->area_ellipsoidal_m2)) < 0)
            return rc;
        t->share_of_zone = zone_area > 0 ? t->area_m2 / zone_area : -1;
    }
    return HEGUI_OK;
}
