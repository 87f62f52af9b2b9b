/*
 * context.c - what every rule family uses: rule settings, severities, WKT
 * output, polygonal extraction and finding emission with areas.
 */
#include <stdint.h>
#include <string.h>

#include "check/overlay.h"
#include "finding/finding_internal.h"

const hegui_rule_config *check_rule(const check_ctx *ctx, const char *id)
{
    const hegui_rule_config *rule = hegui_config_rule(ctx->config, id);
    return rule && rule->enabled ? rule : NULL;
}

int check_role_layers(const check_ctx *ctx, hegui_role role, const hegui_layer_info ***out,
                      size_t *count)
{
    const hegui_layer_info **list;
    size_t i, n = 0;
    *out = NULL;
    *count = 0;
    list = hegui_calloc(ctx->catalog->count ? ctx->catalog->count : 1, sizeof(*list));
    if (!list)
        return HEGUI_ENOMEM;
    for (i = 0; i < ctx->catalog->count; i++) {
        const hegui_layer_info *l = &ctx->catalog->layers[i];
        /* a detected layer alone, or every part the rules file names (the
         * catalog keeps no detected layer beside a named one) */
        if (l->role == role && (n == 0 || (l->spec && hegui_role_has_parts(role))))
            list[n++] = l;
    }
    *out = list;
    *count = n;
    return HEGUI_OK;
}

char *check_layers_label(const hegui_layer_info *const *layers, size_t count)
{
    hegui_buf b = HEGUI_BUF_INIT;
    size_t i, j;
    bool clash = false; /* parts of one name in several files: name the files too */
    for (i = 0; i < count; i++)
        for (j = i + 1; j < count; j++)
            clash |= strcmp(layers[i]->layer_name, layers[j]->layer_name) == 0;
    for (i = 0; i < count; i++)
        hegui_buf_printf(&b, "%s%s%s%s", i ? ", " : "",
                         clash ? hegui_path_basename(layers[i]->path) : "", clash ? ":" : "",
                         layers[i]->layer_name);
    if (b.failed) {
        hegui_buf_release(&b);
        return NULL;
    }
    return hegui_buf_take(&b);
}

void check_stage(const check_ctx *ctx, const char *name)
{
    if (ctx->stage)
        ctx->stage(name, ctx->stage_payload);
}

hegui_severity check_severity(const hegui_rule_config *rule, hegui_severity intrinsic)
{
    if (intrinsic == HEGUI_SEVERITY_ERROR)
        return rule->severity;
    return intrinsic < rule->severity ? intrinsic : rule->severity;
}

int check_geoms_push(check_geoms *list, GEOSGeometry *g)
{
    if (list->count == list->cap) {
        size_t cap = list->cap ? 2 * list->cap : 8;
        GEOSGeometry **grown = hegui_realloc(list->items, cap * sizeof(*grown));
        if (!grown)
            return HEGUI_ENOMEM;
        list->items = grown;
        list->cap = cap;
    }
    list->items[list->count++] = g;
    return HEGUI_OK;
}

void check_geoms_clear(GEOSContextHandle_t h, check_geoms *list)
{
    while (list->count > 0)
        GEOSGeom_destroy_r(h, list->items[--list->count]);
}

void check_geoms_free(GEOSContextHandle_t h, check_geoms *list)
{
    check_geoms_clear(h, list);
    hegui_free(list->items);
    list->items = NULL;
    list->cap = 0;
}

GEOSWKTWriter *check_wkt_writer_new(GEOSContextHandle_t h)
{
    GEOSWKTWriter *w = GEOSWKTWriter_create_r(h);
    if (!w)
        return NULL;
    GEOSWKTWriter_setRoundingPrecision_r(h, w, 3);
    GEOSWKTWriter_setTrim_r(h, w, 1);
    GEOSWKTWriter_setOutputDimension_r(h, w, 2);
    return w;
}

char *check_wkt_r(GEOSContextHandle_t h, GEOSWKTWriter *writer, const GEOSGeometry *g)
{
    char *text = GEOSWKTWriter_write_r(h, writer, g);
    char *copy;
    if (!text) {
        hegui_error_set(HEGUI_EGEOM, "GEOS cannot write WKT");
        return NULL;
    }
    copy = hegui_strdup(text);
    GEOSFree_r(h, text);
    return copy;
}

char *check_wkt(check_ctx *ctx, const GEOSGeometry *g)
{
    return check_wkt_r(ctx->h, ctx->wkt, g);
}

/* Appends clones of the polygons of g (polygon, multipolygon or collection,
 * recursively) to *parts. */
static int collect_polygons(GEOSContextHandle_t h, const GEOSGeometry *g, GEOSGeometry ***parts,
                            unsigned *count, unsigned *cap)
{
    int type = GEOSGeomTypeId_r(h, g), n, i, rc;
    if (type == GEOS_POLYGON) {
        if (GEOSisEmpty_r(h, g) == 1)
            return HEGUI_OK;
        if (*count == *cap) {
            unsigned ncap = *cap ? 2 * *cap : 8;
            GEOSGeometry **grown = hegui_realloc(*parts, ncap * sizeof(*grown));
            if (!grown)
                return HEGUI_ENOMEM;
            *parts = grown;
            *cap = ncap;
        }
        (*parts)[(*count)++] = GEOSGeom_clone_r(h, g);
        return HEGUI_OK;
    }
    if (type != GEOS_MULTIPOLYGON && type != GEOS_GEOMETRYCOLLECTION)
        return HEGUI_OK; /* points and lines have no area */
    n = GEOSGetNumGeometries_r(h, g);
    for (i = 0; i < n; i++) {
        if ((rc = collect_polygons(h, GEOSGetGeometryN_r(h, g, i), parts, count, cap)) < 0)
            return rc;
    }
    return HEGUI_OK;
}

GEOSGeometry *check_polygonal(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    int type = GEOSGeomTypeId_r(h, g);
    GEOSGeometry **parts = NULL, *out = NULL;
    unsigned count = 0, cap = 0;
    if (type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON)
        return GEOSGeom_clone_r(h, g);
    if (collect_polygons(h, g, &parts, &count, &cap) < 0)
        goto done;
    if (count == 0)
        out = GEOSGeom_createEmptyPolygon_r(h);
    else if (count == 1)
        out = parts[0];
    else
        out = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts, count);
    if (out)
        count = 0; /* the parts now belong to out */
done:
    while (count > 0)
        GEOSGeom_destroy_r(h, parts[--count]);
    hegui_free(parts);
    return out;
}

/* The run's per-rule arrays (suppressed, not_checked) hold this many rules. */
#define RULE_SLOTS (sizeof(((hegui_run *)0)->suppressed) / sizeof(((hegui_run *)0)->suppressed[0]))
_Static_assert(sizeof(((hegui_run *)0)->not_checked) / sizeof(((hegui_run *)0)->not_checked[0]) ==
                   RULE_SLOTS,
               "suppressed and not_checked hold the same rules");

/* Catalogue index of rule id, within the run's per-rule arrays; SIZE_MAX
 * when none. */
static size_t rule_slot(const char *id)
{
    size_t n, i;
    const hegui_rule_def *defs = hegui_rules_catalogue(&n);
    for (i = 0; i < n && i < RULE_SLOTS; i++) {
        if (strcmp(defs[i].id, id) == 0)
            return i;
    }
    return SIZE_MAX;
}

void check_suppress(check_ctx *ctx, const char *id)
{
    size_t i = rule_slot(id);
    if (i != SIZE_MAX)
        ctx->run->suppressed[i]++;
}

void check_not_checked(check_ctx *ctx, const char *id, const char *why)
{
    size_t i = rule_slot(id);
    if (i != SIZE_MAX)
        ctx->run->not_checked[i] = why;
}

/* The block's zone and name on f; the block is the subject when f has none. */
static void set_block(hegui_finding *f, const check_block *b)
{
    f->zone_code = (char *)check_block_code(b);
    f->zone_name = (char *)check_block_name(b);
    f->block = (char *)check_block_label(b);
    if (!f->layer) {
        f->layer = b->layer->layer_name;
        f->layer_path = b->layer->path;
        f->fid = b->fid;
    }
}

int check_draft_part(hegui_finding *f, const check_block *b, overlay_hit *hit)
{
    double zone_area = b->zone_area_m2;
    set_block(f, b);
    f->area_m2 = hit->area_m2;
    f->area_ellipsoidal_m2 = hit->area_ellipsoidal_m2;
    f->has_area = true;
    f->share_of_zone = zone_area > 0 ? f->area_m2 / zone_area : -1;
    hit->finding = finding_new_taking_wkt(f, hit->wkt);
    hit->wkt = NULL;
    return hit->finding ? HEGUI_OK : HEGUI_ENOMEM;
}

int check_emit_drafted(check_ctx *ctx, overlay_hit *hit)
{
    hegui_finding *f = hit->finding;
    int rc;
    hit->finding = NULL;
    rc = check_piece_take_wkb(ctx, f->rule, f->zone_code, hit->wkb, hit->wkb_size, f->area_m2,
                              f->area_ellipsoidal_m2);
    if (rc < 0) {
        finding_free(f);
        return rc;
    }
    hit->wkb_kept = true; /* freed with the pieces, readable until then */
    return finding_add_owned(&ctx->run->findings, f);
}

int check_emit_layer(check_ctx *ctx, const char *rule, hegui_severity severity,
                     const hegui_layer_info *layer, char *zh, char *en)
{
    hegui_finding f;
    memset(&f, 0, sizeof(f));
    f.rule = rule;
    f.severity = severity;
    f.layer = layer->layer_name;
    f.layer_path = layer->path;
    f.fid = -1;
    f.other_fid = -1;
    f.message_zh = zh;
    f.message_en = en;
    return check_emit(ctx, &f, NULL, NULL, false);
}

int check_report_restored_codes(check_ctx *ctx, const hegui_rule_config *rule,
                                const hegui_layer_info *layer, const char *field, size_t count,
                                const char *raw, const char *code)
{
    char zh[600], en[600];
    snprintf(zh, sizeof(zh),
             "用地分类代码字段 %s 为数值类型，读到的 %zu 个代码丢失了前导零（如 %s，已按 %s "
             "判定）；请将该字段改为文本类型",
             field, count, raw, code);
    snprintf(en, sizeof(en),
             "the land-class code field %s is numeric: codes read from it had lost their "
             "leading zero (%zu, e.g. %s, read as %s); store the field as text",
             field, count, raw, code);
    return check_emit_layer(ctx, rule->id, check_severity(rule, HEGUI_SEVERITY_WARNING), layer, zh,
                            en);
}

int check_emit(check_ctx *ctx, hegui_finding *f, const check_block *b, const GEOSGeometry *geom,
               bool measure)
{
    char *wkt = NULL;
    int rc;
    if (b)
        set_block(f, b);
    if (geom) {
        wkt = check_wkt(ctx, geom);
        if (!wkt)
            return HEGUI_EGEOM;
        f->wkt = wkt;
    }
    if (measure && geom) {
        double zone_area = b ? b->zone_area_m2 : 0;
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
        if ((rc = check_piece_add(ctx, f->rule, f->zone_code, geom, f->area_m2,
                                   f->area_ellipsoidal_m2)) < 0) {
            hegui_free(wkt);
            return rc;
        }
    } else if (!f->has_area) {
        f->share_of_zone = -1;
    }
    /* without geom, f->wkt is the caller's (or none) */
    return geom ? finding_add_taking_wkt(&ctx->run->findings, f, wkt)
                : hegui_findings_add(&ctx->run->findings, f);
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
    ctx->wkt = check_wkt_writer_new(ctx->h);
    if (!ctx->wkt)
        return hegui_error_set(HEGUI_EGEOM, "GEOS cannot create a WKT writer");
    return hegui_area_calc_new(&ctx->area, epsg);
}

void check_ctx_release(check_ctx *ctx)
{
    if (!ctx->geom_ctx)
        return;
    check_pieces_release(ctx);
    check_zones_release(ctx);
    hegui_transform_free(ctx->focus);
    ctx->focus = NULL;
    hegui_area_calc_free(ctx->area);
    if (ctx->wkt)
        GEOSWKTWriter_destroy_r(ctx->h, ctx->wkt);
    hegui_geom_ctx_free(ctx->geom_ctx);
    ctx->geom_ctx = NULL;
}
