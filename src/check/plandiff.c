/*
 * plandiff.c - C06 difference patches (差异图斑) between two plans
 * (DOMAIN.md 1, 5): each plan's class codes map to construction /
 * non-construction (the C06 lists, per code set); the overlay gives the two
 * classic kinds, construction in plan A but non-construction in plan B and
 * the reverse, per zone block and outside every zone.
 */
#include <stdio.h>
#include <string.h>

#include "check/check_internal.h"

/* One plan: its layer, or the parts the rules file names (a file per
 * county), and the dissolved construction / non-construction land, in the
 * working CRS. */
typedef struct plan {
    const hegui_layer_info **layers;
    size_t layer_count;
    char *label; /* the layers' names, for the findings */
    GEOSGeometry *construction;
    GEOSGeometry *other;
} plan;

/* The land of each class of one layer of a plan, appended to lists[0]
 * (construction) and lists[1] (the rest). */
typedef struct plan_lists {
    GEOSGeometry **items[2];
    unsigned counts[2], caps[2];
} plan_lists;

static const char *const class_candidates[] = {
    "YDYHFLDM", "DLBM", "GHDLBM", "JQDLBM", "用地用海分类代码", "用地用海代码", "地类编码", NULL};

/* True when code starts with one of the construction prefixes. */
static bool is_construction(const hegui_value *prefixes, const char *code)
{
    size_t i;
    for (i = 0; prefixes && prefixes->kind == HEGUI_VALUE_LIST && i < prefixes->count; i++) {
        const char *p = prefixes->items[i].scalar;
        if (p && strncmp(code, p, strlen(p)) == 0)
            return true;
    }
    return false;
}

/* Dissolves a list of geometries (taking them) into one; empty polygon for
 * none. */
static GEOSGeometry *dissolve(check_ctx *ctx, GEOSGeometry **parts, unsigned count)
{
    GEOSGeometry *coll, *merged;
    if (count == 0)
        return GEOSGeom_createEmptyPolygon_r(ctx->h);
    coll = GEOSGeom_createCollection_r(ctx->h, GEOS_GEOMETRYCOLLECTION, parts, count);
    if (!coll)
        return NULL;
    merged = GEOSUnaryUnion_r(ctx->h, coll);
    GEOSGeom_destroy_r(ctx->h, coll);
    return merged;
}

static int load_layer(check_ctx *ctx, const hegui_rule_config *rule, const hegui_layer_info *layer,
                      plan_lists *out)
{
    const hegui_rule_config *c04 = hegui_config_rule(ctx->config, "C04");
    const char *code_set = layer->spec && layer->spec->code_set
                               ? layer->spec->code_set
                               : (c04 ? hegui_rule_string(c04, "code_set", "ydyh") : "ydyh");
    const hegui_value *prefixes = hegui_rule_param(
        rule, strcmp(code_set, "gbt21010") == 0 ? "construction_gbt21010" : "construction_ydyh");
    const char *field = check_field_name(layer, "class_code", class_candidates);
    GEOSGeometry ***lists = out->items;
    unsigned *counts = out->counts, *caps = out->caps;
    hegui_reader *reader = NULL;
    hegui_feature f;
    bool numeric = check_field_numeric(layer, field);
    size_t restored = 0;
    char example[2][CHECK_CLASS_CODE_MAX] = {"", ""};
    int rc, got;

    if (!field)
        return hegui_error_set(HEGUI_EINPUT,
                               "%s (layer %s): no land-class code field (YDYHFLDM or DLBM) for "
                               "C06; name it in the rules file (fields: {class_code: …})",
                               layer->path, layer->layer_name);
    if ((rc = hegui_reader_open(&reader, layer, &field, 1, ctx->run->working_crs.epsg, NULL)) < 0)
        return rc;
    while ((got = hegui_reader_next(reader, &f)) == 1) {
        void *g = NULL;
        GEOSGeometry *poly;
        int which;
        if (!f.wkb || !f.values[0] || hegui_geom_from_wkb(&g, ctx->geom_ctx, f.wkb, f.wkb_size) < 0)
            continue;
        poly = GEOSisValid_r(ctx->h, g) == 1 ? check_polygonal(ctx->h, g) : NULL;
        if (!poly) { /* invalid patches are repaired as everywhere else */
            GEOSGeometry *made = GEOSMakeValid_r(ctx->h, g);
            poly = made ? check_polygonal(ctx->h, made) : NULL;
            if (made)
                GEOSGeom_destroy_r(ctx->h, made);
        }
        GEOSGeom_destroy_r(ctx->h, g);
        if (!poly) {
            rc = hegui_error_set(HEGUI_EGEOM, "%s: cannot use feature %lld", layer->path,
                                 (long long)f.fid);
            goto done;
        }
        {
            char buf[CHECK_CLASS_CODE_MAX];
            bool was_restored = false;
            const char *code = check_class_code(f.values[0], numeric, buf, &was_restored);
            if (was_restored && restored++ == 0) {
                snprintf(example[0], sizeof(example[0]), "%s", f.values[0]);
                snprintf(example[1], sizeof(example[1]), "%s", code);
            }
            which = is_construction(prefixes, code) ? 0 : 1;
        }
        if (counts[which] == caps[which]) {
            unsigned cap = caps[which] ? 2 * caps[which] : 256;
            GEOSGeometry **grown = hegui_realloc(lists[which], cap * sizeof(*grown));
            if (!grown) {
                GEOSGeom_destroy_r(ctx->h, poly);
                rc = HEGUI_ENOMEM;
                goto done;
            }
            lists[which] = grown;
            caps[which] = cap;
        }
        lists[which][counts[which]++] = poly;
    }
    if (got < 0) {
        rc = got;
        goto done;
    }
    if (restored)
        rc = check_report_restored_codes(ctx, rule, layer, field, restored, example[0], example[1]);
done:
    hegui_reader_close(reader);
    return rc;
}

static int load_plan(check_ctx *ctx, const hegui_rule_config *rule, plan *p)
{
    plan_lists lists;
    size_t i;
    int rc = HEGUI_OK, k;
    memset(&lists, 0, sizeof(lists));
    for (i = 0; i < p->layer_count && rc == HEGUI_OK; i++)
        rc = load_layer(ctx, rule, p->layers[i], &lists);
    if (rc == HEGUI_OK) {
        p->construction = dissolve(ctx, lists.items[0], lists.counts[0]);
        p->other = dissolve(ctx, lists.items[1], lists.counts[1]);
        lists.counts[0] = lists.counts[1] = 0; /* taken by dissolve */
        if (!p->construction || !p->other)
            rc = hegui_error_set(HEGUI_EGEOM, "%s: cannot dissolve the plan's land", p->label);
    }
    for (k = 0; k < 2; k++) {
        while (lists.counts[k] > 0)
            GEOSGeom_destroy_r(ctx->h, lists.items[k][--lists.counts[k]]);
        hegui_free(lists.items[k]);
    }
    return rc;
}

/* Emits the parts of one difference polygon: inside each block (with the
 * block's zone) and outside every block. */
static int emit_patch(check_ctx *ctx, const hegui_rule_config *rule, const plan *a,
                      const plan *b, bool a_builds, const GEOSGeometry *patch,
                      const GEOSGeometry *all_blocks)
{
    double min_area = hegui_rule_number(rule, "min_area_m2", ctx->config->min_area_m2);
    const char *kind_zh = a_builds ? "甲规划为建设用地、乙规划为非建设用地"
                                   : "甲规划为非建设用地、乙规划为建设用地";
    const char *kind_en = a_builds ? "construction in plan A, non-construction in plan B"
                                   : "non-construction in plan A, construction in plan B";
    int rc = HEGUI_OK, pass;
    for (pass = 0; pass <= (int)ctx->block_count && rc == HEGUI_OK; pass++) {
        const check_block *blk = pass < (int)ctx->block_count ? &ctx->blocks[pass] : NULL;
        GEOSGeometry *piece, *poly;
        double area = 0;
        int n, k;
        if (blk && (!blk->geom || GEOSIntersects_r(ctx->h, blk->geom, patch) != 1))
            continue;
        piece = blk ? GEOSIntersection_r(ctx->h, blk->geom, patch)
                    : GEOSDifference_r(ctx->h, patch, all_blocks);
        poly = piece ? check_polygonal(ctx->h, piece) : NULL;
        if (piece)
            GEOSGeom_destroy_r(ctx->h, piece);
        if (!poly)
            return hegui_error_set(HEGUI_EGEOM, "C06: cannot split a difference patch by zone");
        n = GEOSisEmpty_r(ctx->h, poly) ? 0 : GEOSGetNumGeometries_r(ctx->h, poly);
        for (k = 0; k < n && rc == HEGUI_OK; k++) {
            const GEOSGeometry *part = GEOSGetGeometryN_r(ctx->h, poly, k);
            hegui_finding f;
            char zh[500], en[500];
            GEOSArea_r(ctx->h, part, &area);
            if (area <= min_area) {
                check_suppress(ctx, rule->id);
                continue;
            }
            memset(&f, 0, sizeof(f));
            f.rule = rule->id;
            f.severity = check_severity(rule, HEGUI_SEVERITY_ERROR);
            f.layer = a->label;
            f.layer_path = a->layer_count == 1 ? a->layers[0]->path : "";
            f.fid = -1;
            f.other_layer = b->label;
            f.other_fid = -1;
            f.subject_attrs = (char *)(a_builds ? "kind=A_construction_B_not"
                                                : "kind=B_construction_A_not");
            snprintf(zh, sizeof(zh), "差异图斑（%s）%s%s%s：%.2f 平方米", kind_zh,
                     blk ? "，位于区块「" : "，位于开发区外", blk ? check_block_label(blk) : "",
                     blk ? "」" : "", area);
            snprintf(en, sizeof(en), "difference patch (%s) %s%s%s: %.2f m2", kind_en,
                     blk ? "in block '" : "outside every zone", blk ? check_block_label(blk) : "",
                     blk ? "'" : "", area);
            f.message_zh = zh;
            f.message_en = en;
            rc = check_emit(ctx, &f, blk, part, true);
        }
        GEOSGeom_destroy_r(ctx->h, poly);
    }
    return rc;
}

/* All block geometries dissolved (for the part outside every zone). */
static GEOSGeometry *blocks_union(check_ctx *ctx)
{
    GEOSGeometry **parts = hegui_calloc(ctx->block_count ? ctx->block_count : 1, sizeof(*parts));
    unsigned n = 0;
    size_t i;
    if (!parts)
        return NULL;
    for (i = 0; i < ctx->block_count; i++) {
        if (ctx->blocks[i].geom)
            parts[n++] = GEOSGeom_clone_r(ctx->h, ctx->blocks[i].geom);
    }
    {
        GEOSGeometry *out = dissolve(ctx, parts, n);
        hegui_free(parts);
        return out;
    }
}

static int difference_kind(check_ctx *ctx, const hegui_rule_config *rule, const plan *a,
                           const plan *b, bool a_builds, const GEOSGeometry *all_blocks)
{
    const GEOSGeometry *builds = a_builds ? a->construction : b->construction;
    const GEOSGeometry *not_builds = a_builds ? b->other : a->other;
    GEOSGeometry *diff = GEOSIntersection_r(ctx->h, builds, not_builds), *poly;
    int n, k, rc = HEGUI_OK;
    if (!diff)
        diff = GEOSIntersectionPrec_r(ctx->h, builds, not_builds, 0.001);
    poly = diff ? check_polygonal(ctx->h, diff) : NULL;
    if (diff)
        GEOSGeom_destroy_r(ctx->h, diff);
    if (!poly)
        return hegui_error_set(HEGUI_EGEOM, "C06: cannot overlay the two plans");
    n = GEOSisEmpty_r(ctx->h, poly) ? 0 : GEOSGetNumGeometries_r(ctx->h, poly);
    for (k = 0; k < n && rc == HEGUI_OK; k++)
        rc = emit_patch(ctx, rule, a, b, a_builds, GEOSGetGeometryN_r(ctx->h, poly, k),
                        all_blocks);
    GEOSGeom_destroy_r(ctx->h, poly);
    return rc;
}

int check_plandiff_run(check_ctx *ctx)
{
    const hegui_rule_config *rule = check_rule(ctx, "C06");
    plan a, b;
    GEOSGeometry *all_blocks = NULL;
    int rc = HEGUI_OK;
    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    if (!rule)
        return HEGUI_OK;
    if ((rc = check_role_layers(ctx, HEGUI_ROLE_LANDUSE, &a.layers, &a.layer_count)) < 0 ||
        (rc = check_role_layers(ctx, HEGUI_ROLE_PLAN_B, &b.layers, &b.layer_count)) < 0)
        goto done;
    if (!a.layer_count || !b.layer_count) { /* C06 needs both plans */
        check_not_checked(ctx, "C06",
                          !a.layer_count ? "no landuse (用地用海规划) layer among the inputs"
                                         : "no plan_b layer: C06 compares the land-use plan with "
                                           "a second plan, named in the rules file (role: plan_b)");
        goto done;
    }
    a.label = check_layers_label(a.layers, a.layer_count);
    b.label = check_layers_label(b.layers, b.layer_count);
    if (!a.label || !b.label) {
        rc = HEGUI_ENOMEM;
        goto done;
    }
    check_stage(ctx, "C06");
    if ((rc = load_plan(ctx, rule, &a)) < 0 || (rc = load_plan(ctx, rule, &b)) < 0)
        goto done;
    all_blocks = blocks_union(ctx);
    if (!all_blocks) {
        rc = hegui_error_set(HEGUI_EGEOM, "C06: cannot dissolve the zone blocks");
        goto done;
    }
    rc = difference_kind(ctx, rule, &a, &b, true, all_blocks);
    if (rc == HEGUI_OK)
        rc = difference_kind(ctx, rule, &a, &b, false, all_blocks);
done:
    if (all_blocks)
        GEOSGeom_destroy_r(ctx->h, all_blocks);
    if (a.construction)
        GEOSGeom_destroy_r(ctx->h, a.construction);
    if (a.other)
        GEOSGeom_destroy_r(ctx->h, a.other);
    if (b.construction)
        GEOSGeom_destroy_r(ctx->h, b.construction);
    if (b.other)
        GEOSGeom_destroy_r(ctx->h, b.other);
    hegui_free(a.layers);
    hegui_free(b.layers);
    hegui_free(a.label);
    hegui_free(b.label);
    return rc < 0 ? hegui_error_prefix("C06") : rc;
}
