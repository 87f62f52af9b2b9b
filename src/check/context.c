/*
 * context.c - what every rule family uses: rule settings, severities, WKT
 * output, polygonal extraction and finding emission with areas.
 */
#include <string.h>

#include "check/check_internal.h"

const hegui_rule_config *check_rule(const check_ctx *ctx, const char *id)
{
    const hegui_rule_config *rule = hegui_config_rule(ctx->config, id);
    return rule && rule->enabled ? rule : NULL;
}

hegui_severity check_severity(const hegui_rule_config *rule, hegui_severity intrinsic)
{
    if (intrinsic == HEGUI_SEVERITY_ERROR)
        return rule->severity;
    return intrinsic < rule->severity ? intrinsic : rule->severity;
}

char *check_wkt(check_ctx *ctx, const GEOSGeometry *g)
{
    char *text = GEOSWKTWriter_write_r(ctx->h, ctx->wkt, g);
    char *copy;
    if (!text) {
        hegui_error_set(HEGUI_EGEOM, "GEOS cannot write WKT");
        return NULL;
    }
    copy = hegui_strdup(text);
    GEOSFree_r(ctx->h, text);
    return copy;
}

GEOSGeometry *check_polygonal(check_ctx *ctx, const GEOSGeometry *g)
{
    GEOSContextHandle_t h = ctx->h;
    int type = GEOSGeomTypeId_r(h, g), n, i;
    GEOSGeometry **parts = NULL, *out = NULL;
    unsigned count = 0;
    if (type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON)
        return GEOSGeom_clone_r(h, g);
    if (type != GEOS_GEOMETRYCOLLECTION)
        return GEOSGeom_createEmptyPolygon_r(h);
    n = GEOSGetNumGeometries_r(h, g);
    parts = hegui_calloc((size_t)(n > 0 ? n : 1), sizeof(*parts));
    if (!parts)
        return NULL;
    for (i = 0; i < n; i++) {
        const GEOSGeometry *sub = GEOSGetGeometryN_r(h, g, i);
        int st = GEOSGeomTypeId_r(h, sub);
        if (st == GEOS_POLYGON) {
            parts[count++] = GEOSGeom_clone_r(h, sub);
        } else if (st == GEOS_MULTIPOLYGON) {
            int m = GEOSGetNumGeometries_r(h, sub), k;
            GEOSGeometry **grown = hegui_realloc(parts, ((size_t)n + (size_t)m) * sizeof(*parts));
            if (!grown)
                goto done;
            parts = grown;
            for (k = 0; k < m; k++)
                parts[count++] = GEOSGeom_clone_r(h, GEOSGetGeometryN_r(h, sub, k));
        }
    }
    out = count == 1 ? parts[0]
                     : GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts, count);
    if (count == 1)
        count = 0; /* parts[0] is out */
    else if (out)
        count = 0; /* the collection owns the parts */
done:
    while (count > 0)
        GEOSGeom_destroy_r(h, parts[--count]);
    hegui_free(parts);
    return out;
}

void check_suppress(check_ctx *ctx, const char *id)
{
    size_t n, i;
    const hegui_rule_def *defs = hegui_rules_catalogue(&n);
    for (i = 0; i < n && i < sizeof(ctx->run->suppressed) / sizeof(ctx->run->suppressed[0]); i++) {
        if (strcmp(defs[i].id, id) == 0)
            ctx->run->suppressed[i]++;
    }
}

int check_emit(check_ctx *ctx, hegui_finding *f, const check_block *b, const GEOSGeometry *geom,
               bool measure)
{
    char *wkt = NULL;
    int rc;
    if (b) {
        f->zone_code = (char *)check_block_code(b);
        f->zone_name = (char *)check_block_name(b);
        f->block = (char *)check_block_label(b);
        if (!f->layer) { /* the block itself is the subject */
            f->layer = b->layer->layer_name;
            f->layer_path = b->layer->path;
            f->fid = b->fid;
        }
    }
    if (geom) {
        wkt = check_wkt(ctx, geom);
        if (!wkt)
            return HEGUI_EGEOM;
        f->wkt = wkt;
    }
    if (measure && geom) {
        double zone_area = b ? check_zone_area(ctx, check_block_code(b)) : 0;
        if (GEOSArea_r(ctx->h, geom, &f->area_m2) != 1) {
            hegui_free(wkt);
            return hegui_error_set(HEGUI_EGEOM, "GEOS cannot measure an area");
        }
        if ((rc = hegui_area_ellipsoidal(&f->area_ellipsoidal_m2, ctx->area, ctx->geom_ctx,
                                         geom)) < 0) {
            hegui_free(wkt);
            return rc;
        }
        f->has_area = true;
        f->share_of_zone = zone_area > 0 ? f->area_m2 / zone_area : -1;
        if ((rc = check_piece_add(ctx, f->rule, f->zone_code, geom)) < 0) {
            hegui_free(wkt);
            return rc;
        }
    } else if (!f->has_area) {
        f->share_of_zone = -1;
    }
    rc = hegui_findings_add(&ctx->run->findings, f);
    hegui_free(wkt);
    return rc;
}

int check_ctx_init(check_ctx *ctx, const hegui_config *config, const hegui_catalog *catalog,
                   hegui_run *run, int epsg)
{
    int rc;
    memset(ctx, 0, sizeof(*ctx));
    ctx->config = config;
    ctx->catalog = catalog;
    ctx->run = run;
    if ((rc = hegui_geom_ctx_new(&ctx->geom_ctx)) < 0)
        return rc;
    ctx->h = hegui_geom_ctx_handle(ctx->geom_ctx);
    ctx->wkt = GEOSWKTWriter_create_r(ctx->h);
    if (!ctx->wkt)
        return hegui_error_set(HEGUI_EGEOM, "GEOS cannot create a WKT writer");
    GEOSWKTWriter_setRoundingPrecision_r(ctx->h, ctx->wkt, 3);
    GEOSWKTWriter_setTrim_r(ctx->h, ctx->wkt, 1);
    GEOSWKTWriter_setOutputDimension_r(ctx->h, ctx->wkt, 2);
    return hegui_area_calc_new(&ctx->area, epsg);
}

void check_ctx_release(check_ctx *ctx)
{
    if (!ctx->geom_ctx)
        return;
    check_pieces_release(ctx);
    check_zones_release(ctx);
    hegui_area_calc_free(ctx->area);
    if (ctx->wkt)
        GEOSWKTWriter_destroy_r(ctx->h, ctx->wkt);
    hegui_geom_ctx_free(ctx->geom_ctx);
    ctx->geom_ctx = NULL;
}
