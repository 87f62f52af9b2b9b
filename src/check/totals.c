/*
 * totals.c - per (rule, zone) totals. Areas are measured on the dissolved
 * union of a rule's patches in a zone, so that patches overlapping each
 * other are not counted twice (DESIGN.md 3); the patches stay listed as
 * findings.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check/check_internal.h"

typedef struct check_piece {
    const char *rule; /* static catalogue id */
    char *zone_code;
    GEOSGeometry *geom;
    double area_m2;             /* planar area of geom */
    double area_ellipsoidal_m2; /* geodesic area of geom */
} check_piece;

int check_piece_add(check_ctx *ctx, const char *rule, const char *zone_code,
                    const GEOSGeometry *geom, double area_m2, double area_ellipsoidal_m2)
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
    p->area_m2 = area_m2;
    p->area_ellipsoidal_m2 = area_ellipsoidal_m2;
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

/* Union-find root of i (with path halving). */
static size_t find_root(size_t *parent, size_t i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

typedef struct link_query {
    check_ctx *ctx;
    const size_t *members; /* piece indices of this (rule, zone) */
    size_t *parent;        /* union-find over positions in members */
    size_t self;           /* position being queried */
} link_query;

/* Joins self with every later piece it really intersects. */
static void link_piece(void *item, void *userdata)
{
    link_query *q = userdata;
    size_t other = (size_t)(uintptr_t)item - 1;
    const check_ctx *ctx = q->ctx;
    size_t a, b;
    if (other <= q->self)
        return;
    if (GEOSIntersects_r(ctx->h, ctx->pieces[q->members[q->self]].geom,
                         ctx->pieces[q->members[other]].geom) != 1)
        return;
    a = find_root(q->parent, q->self);
    b = find_root(q->parent, other);
    if (a != b)
        q->parent[a > b ? a : b] = a < b ? a : b;
}

/* Area of the union of members[] whose root is root. */
static int component_area(check_ctx *ctx, const size_t *members, const size_t *parent, size_t n,
                          size_t root, double *planar, double *ellipsoidal)
{
    GEOSGeometry **parts = hegui_calloc(n, sizeof(*parts)), *coll = NULL, *merged = NULL;
    unsigned count = 0;
    size_t i;
    int rc = HEGUI_OK;
    if (!parts)
        return HEGUI_ENOMEM;
    for (i = 0; i < n; i++) {
        if (parent[i] == root)
            parts[count++] = GEOSGeom_clone_r(ctx->h, ctx->pieces[members[i]].geom);
    }
    coll = GEOSGeom_createCollection_r(ctx->h, GEOS_GEOMETRYCOLLECTION, parts, count);
    if (coll)
        count = 0; /* owned by the collection now */
    merged = coll ? GEOSUnaryUnion_r(ctx->h, coll) : NULL;
    if (!merged) {
        rc = hegui_error_set(HEGUI_EGEOM, "GEOS cannot dissolve overlapping patches");
    } else {
        double a = 0, e = 0;
        GEOSArea_r(ctx->h, merged, &a);
        rc = hegui_area_ellipsoidal(&e, ctx->area, ctx->geom_ctx, merged);
        *planar += a;
        *ellipsoidal += e;
    }
    while (count > 0)
        GEOSGeom_destroy_r(ctx->h, parts[--count]);
    hegui_free(parts);
    if (coll)
        GEOSGeom_destroy_r(ctx->h, coll);
    if (merged)
        GEOSGeom_destroy_r(ctx->h, merged);
    return rc;
}

/*
 * Dissolved planar and ellipsoidal area of the pieces of (rule, zone). The
 * area of a union is the sum over the groups of pieces that intersect one
 * another, so only such groups pay for a union; a piece that meets no
 * other counts its own area.
 */
static int dissolved_area(check_ctx *ctx, const char *rule, const char *zone, double *planar,
                          double *ellipsoidal)
{
    size_t *members = NULL, *parent = NULL, n = 0, i;
    GEOSSTRtree *tree = NULL;
    link_query q;
    int rc = HEGUI_OK;
    *planar = *ellipsoidal = 0;
    for (i = 0; i < ctx->piece_count; i++)
        n += strcmp(ctx->pieces[i].rule, rule) == 0 && strcmp(ctx->pieces[i].zone_code, zone) == 0;
    if (n == 0)
        return HEGUI_OK;
    members = hegui_calloc(n, sizeof(*members));
    parent = hegui_calloc(n, sizeof(*parent));
    tree = GEOSSTRtree_create_r(ctx->h, 10);
    if (!members || !parent || !tree) {
        rc = HEGUI_ENOMEM;
        goto done;
    }
    for (i = 0, n = 0; i < ctx->piece_count; i++) {
        if (strcmp(ctx->pieces[i].rule, rule) == 0 && strcmp(ctx->pieces[i].zone_code, zone) == 0) {
            parent[n] = n;
            members[n] = i;
            GEOSSTRtree_insert_r(ctx->h, tree, ctx->pieces[i].geom, (void *)(uintptr_t)(n + 1));
            n++;
        }
    }
    q.ctx = ctx;
    q.members = members;
    q.parent = parent;
    for (q.self = 0; q.self < n; q.self++)
        GEOSSTRtree_query_r(ctx->h, tree, ctx->pieces[members[q.self]].geom, link_piece, &q);
    for (i = 0; i < n; i++)
        parent[i] = find_root(parent, i);
    for (i = 0; i < n && rc == HEGUI_OK; i++) {
        bool alone = true;
        size_t k;
        if (parent[i] != i)
            continue; /* counted with its root */
        for (k = i + 1; k < n && alone; k++)
            alone = parent[k] != i;
        if (alone) {
            *planar += ctx->pieces[members[i]].area_m2;
            *ellipsoidal += ctx->pieces[members[i]].area_ellipsoidal_m2;
        } else {
            rc = component_area(ctx, members, parent, n, i, planar, ellipsoidal);
        }
    }
done:
    if (tree)
        GEOSSTRtree_destroy_r(ctx->h, tree);
    hegui_free(members);
    hegui_free(parent);
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
