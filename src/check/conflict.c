/*
 * conflict.c - the conflict rules C01-C05 (DESIGN.md 3): zone blocks
 * against 永久基本农田 (C01), 生态保护红线 (C02), 城镇开发边界 (C03), the
 * land-use plan (C04) and any other exclusion layer (C05). The overlay
 * engine (overlay.c) finds the parts of features inside blocks; this file
 * turns them into findings, one function per rule, one entry in
 * conflict_rules[].
 */
#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/overlay.h"

/* Attribute fields a rule reads from its layer: logical key, default
 * candidates (pinyin initials first, then Chinese). */
typedef struct key_field {
    const char *key;
    const char *candidates[8]; /* NULL-terminated: room for seven names */
} key_field;

/* Pinyin initials first, then the Chinese names (DESIGN.md 2). */
static const key_field farmland_fields[] = {
    {"id", {"YJJBNTTBBH", "TBBH", "BSM", "永久基本农田图斑编号", "图斑编号", NULL}},
    {"class_code", {"DLBM", "地类编码", NULL}},
};
static const key_field redline_fields[] = {
    {"id", {"HXBM", "BSM", "红线编码", NULL}},
    {"name", {"HXMC", "MC", "红线名称", NULL}},
    {"type", {"HXLX", "红线类型", NULL}},
};
static const key_field boundary_fields[] = {
    {"id", {"GHFQDM", "BSM", "规划分区代码", NULL}},
    {"name", {"GHFQMC", "MC", "规划分区名称", NULL}},
};
static const key_field landuse_fields[] = {
    {"class_code",
     {"YDYHFLDM", "DLBM", "GHDLBM", "JQDLBM", "用地用海分类代码", "用地用海代码", "地类编码"}},
    {"class_name", {"YDYHFLMC", "DLMC", "用地用海分类名称", "用地用海名称", "地类名称", NULL}},
};
static const key_field exclusion_fields[] = {
    {"id", {"BSM", "BH", "DM", NULL}},
    {"name", {"MC", "NAME", "名称", NULL}},
};

#define MAX_KEY_FIELDS 4

/* The run state a conflict rule works in. */
typedef struct conflict_run {
    check_ctx *ctx;
    const overlay_options *options;
} conflict_run;

/* Resolves a rule's key fields on layer (NULL for absent ones). */
static size_t resolve_fields(const hegui_layer_info *layer, const key_field *keys, size_t n,
                             const char *out[MAX_KEY_FIELDS])
{
    size_t i;
    for (i = 0; i < n && i < MAX_KEY_FIELDS; i++)
        out[i] = check_field_name(layer, keys[i].key, keys[i].candidates);
    return n;
}

/* "FIELD=value; …" of the attributes read for a hit. */
static char *key_attrs(const char *const *names, char *const *values, size_t n)
{
    hegui_buf b = HEGUI_BUF_INIT;
    size_t i;
    for (i = 0; i < n; i++) {
        if (!names[i])
            continue;
        if (b.len)
            hegui_buf_puts(&b, "; ");
        hegui_buf_printf(&b, "%s=%s", names[i], values[i] ? values[i] : "");
    }
    if (b.failed) {
        hegui_buf_release(&b);
        return NULL;
    }
    return hegui_buf_take(&b);
}

static GEOSGeometry *hit_geometry(check_ctx *ctx, const overlay_hit *hit)
{
    void *g = NULL;
    if (!hit->wkb || hegui_geom_from_wkb(&g, ctx->geom_ctx, hit->wkb, hit->wkb_size) < 0)
        return NULL;
    return g;
}

/* Info findings for constraint features that were invalid (repaired). */
static int report_invalid(check_ctx *ctx, const char *rule_id, const hegui_layer_info *layer,
                          const overlay_result *res)
{
    size_t i;
    int rc;
    for (i = 0; i < res->invalid_count; i++) {
        const overlay_invalid *inv = &res->invalid[i];
        hegui_finding f;
        char zh[600], en[600];
        memset(&f, 0, sizeof(f));
        f.rule = rule_id;
        f.severity = HEGUI_SEVERITY_INFO;
        f.layer = layer->layer_name;
        f.layer_path = layer->path;
        f.fid = inv->fid;
        f.other_fid = -1;
        snprintf(zh, sizeof(zh),
                 "管控图层要素几何无效：%s；已按 STRUCTURE 方法修复后参与计算，面积 %.2f → %.2f "
                 "平方米",
                 inv->reason, inv->area_before, inv->area_after);
        snprintf(en, sizeof(en),
                 "invalid geometry in the constraint layer: %s; repaired (STRUCTURE) for "
                 "computation, area %.2f -> %.2f m2",
                 inv->reason, inv->area_before, inv->area_after);
        f.message_zh = zh;
        f.message_en = en;
        if ((rc = check_emit(ctx, &f, NULL, NULL, false)) < 0)
            return rc;
    }
    return HEGUI_OK;
}

/* An error finding for a pair GEOS could not process even on a 1 mm grid. */
static int report_unprocessable(check_ctx *ctx, const hegui_rule_config *rule,
                                const hegui_layer_info *layer, const overlay_hit *hit)
{
    const check_block *b = &ctx->blocks[hit->block];
    hegui_finding f;
    char zh[600], en[600];
    memset(&f, 0, sizeof(f));
    f.rule = rule->id;
    f.severity = check_severity(rule, HEGUI_SEVERITY_ERROR);
    f.other_layer = layer->layer_name;
    f.other_fid = hit->fid;
    snprintf(zh, sizeof(zh), "无法计算区块「%s」与 %s 要素 %lld 的叠加（GEOS：%s），请检查该要素几何",
             check_block_label(b), layer->layer_name, (long long)hit->fid, hit->error);
    snprintf(en, sizeof(en),
             "unprocessable: the overlay of block '%s' with %s feature %lld failed even on a 1 mm "
             "grid (GEOS: %s); check that feature's geometry",
             check_block_label(b), layer->layer_name, (long long)hit->fid, hit->error);
    f.message_zh = zh;
    f.message_en = en;
    return check_emit(ctx, &f, b, NULL, false);
}

/* An info finding for a plan layer none of whose features comes near a
 * block: nothing to compare, which may be right (no farmland near the zone)
 * or the sign of another city's layer, a wrong CRS or an empty export. */
static int report_nothing_near(check_ctx *ctx, const hegui_rule_config *rule,
                               const hegui_layer_info *layer, const char *what_zh,
                               const char *what_en)
{
    char zh[600], en[600];
    if (layer->feature_count == 0) {
        snprintf(zh, sizeof(zh), "%s图层 %s 没有要素：本规则没有可比较的对象；请确认图层是否完整",
                 what_zh, layer->layer_name);
        snprintf(en, sizeof(en),
                 "%s layer %s has no features: nothing to compare; check that the layer is "
                 "complete",
                 what_en, layer->layer_name);
    } else {
        snprintf(zh, sizeof(zh),
                 "%s图层 %s 的 %lld 个要素都不靠近任何区块：本规则没有可比较的对象；如该图层应与"
                 "开发区相交，请确认图层和坐标系（hegui layers 列出其范围）",
                 what_zh, layer->layer_name, (long long)layer->feature_count);
        snprintf(en, sizeof(en),
                 "none of the %lld features of %s layer %s comes near a block: nothing to "
                 "compare; if it should meet the zones, check that it is the right layer, in the "
                 "right CRS ('hegui layers' shows its extent)",
                 (long long)layer->feature_count, what_en, layer->layer_name);
    }
    return check_emit_layer(ctx, rule->id, HEGUI_SEVERITY_INFO, layer, zh, en);
}

/* --- C01, C02, C05: every overlap of a block with the layer --- */

typedef struct overlap_kind {
    const char *rule;
    hegui_role role;
    const char *what_zh; /* 永久基本农田 … */
    const char *what_en;
    const key_field *fields;
    size_t field_count;
} overlap_kind;

static const overlap_kind overlap_kinds[] = {
    {"C01", HEGUI_ROLE_FARMLAND, "永久基本农田", "permanent basic farmland", farmland_fields,
     sizeof(farmland_fields) / sizeof(farmland_fields[0])},
    {"C02", HEGUI_ROLE_REDLINE, "生态保护红线", "the ecological protection red line",
     redline_fields, sizeof(redline_fields) / sizeof(redline_fields[0])},
    {"C05", HEGUI_ROLE_EXCLUSION, "管控图层", "the exclusion layer", exclusion_fields,
     sizeof(exclusion_fields) / sizeof(exclusion_fields[0])},
};

/* What drafting an overlap finding reads (overlap_draft), on the workers. */
typedef struct overlap_drafting {
    const check_ctx *ctx;
    const hegui_rule_config *rule;
    const hegui_layer_info *layer;
    const char *const *names; /* the key fields read, n of them */
    size_t n;
    double min_area;
    const char *what_zh, *what_en;
} overlap_drafting;

/* The finding of an overlap above the minimum area (overlay_options.draft). */
static int overlap_draft(overlay_hit *hit, const void *payload)
{
    const overlap_drafting *d = payload;
    const check_block *b = &d->ctx->blocks[hit->block];
    double area = hit->area_m2, share = b->area_m2 > 0 ? 100.0 * area / b->area_m2 : 0.0;
    hegui_finding f;
    char zh[700], en[700], *attrs;
    int rc;
    if (area <= d->min_area)
        return HEGUI_OK; /* suppressed: counted by the caller */
    if (!(attrs = key_attrs(d->names, hit->values, d->n)))
        return HEGUI_ENOMEM;
    memset(&f, 0, sizeof(f));
    f.rule = d->rule->id;
    f.severity = check_severity(d->rule, HEGUI_SEVERITY_ERROR);
    f.other_layer = d->layer->layer_name;
    f.other_fid = hit->fid;
    f.other_attrs = attrs;
    snprintf(zh, sizeof(zh),
             "区块「%s」与%s图斑（%s 要素 %lld%s%s）重叠 %.2f 平方米，占区块 %.2f%%",
             check_block_label(b), d->what_zh, d->layer->layer_name, (long long)hit->fid,
             *attrs ? "，" : "", attrs, area, share);
    snprintf(en, sizeof(en),
             "block '%s' overlaps %s (%s feature %lld%s%s) by %.2f m2, %.2f%% of the block",
             check_block_label(b), d->what_en, d->layer->layer_name, (long long)hit->fid,
             *attrs ? ", " : "", attrs, area, share);
    f.message_zh = zh;
    f.message_en = en;
    rc = check_draft_part(&f, b, hit);
    hegui_free(attrs);
    return rc;
}

static int overlap_layer(conflict_run *cr, const overlap_kind *kind,
                         const hegui_rule_config *rule, const hegui_layer_info *layer)
{
    check_ctx *ctx = cr->ctx;
    const char *names[MAX_KEY_FIELDS] = {NULL};
    bool labelled = layer->label && kind->role == HEGUI_ROLE_EXCLUSION;
    overlap_drafting drafting = {
        ctx,
        rule,
        layer,
        names,
        resolve_fields(layer, kind->fields, kind->field_count, names),
        hegui_rule_number(rule, "min_area_m2", ctx->config->min_area_m2),
        labelled ? layer->label : kind->what_zh,
        labelled ? layer->label : kind->what_en,
    };
    overlay_options options = *cr->options;
    overlay_result res;
    size_t i;
    int rc;

    options.min_wkt_area = drafting.min_area;
    options.draft = overlap_draft;
    options.draft_payload = &drafting;
    if ((rc = overlay_layer(ctx, layer, names, drafting.n, &options, &res)) < 0)
        return rc;
    rc = report_invalid(ctx, rule->id, layer, &res);
    if (rc == HEGUI_OK && res.near == 0)
        rc = report_nothing_near(ctx, rule, layer, drafting.what_zh, drafting.what_en);
    for (i = 0; i < res.hit_count && rc == HEGUI_OK; i++) {
        overlay_hit *hit = &res.hits[i];
        if (hit->error)
            rc = report_unprocessable(ctx, rule, layer, hit);
        else if (hit->finding)
            rc = check_emit_drafted(ctx, hit);
        else
            check_suppress(ctx, rule->id);
    }
    overlay_result_release(&res);
    return rc;
}

/*
 * The union of a block's land-use parts (coll), whose areas sum to
 * covered_area. A plan is a mosaic: its parts share edges and do not
 * overlap, and the coverage union (which only drops the shared edges) is
 * many times faster than an overlay union. It assumes that, so its result
 * is used only when valid and of the summed area; else (patches that
 * overlap, edges that do not match) the overlay union. NULL when GEOS
 * fails.
 */
static GEOSGeometry *union_of_parts(GEOSContextHandle_t h, const GEOSGeometry *coll,
                                    double covered_area)
{
    GEOSGeometry *u = GEOSCoverageUnion_r(h, coll);
    double area = 0;
    if (u && !(GEOSisValid_r(h, u) == 1 && GEOSArea_r(h, u, &area) == 1 &&
               fabs(area - covered_area) <= 1e-9 * covered_area + 1e-6)) {
        GEOSGeom_destroy_r(h, u);
        u = NULL;
    }
    return u ? u : GEOSUnaryUnion_r(h, coll);
}

/*
 * Block geometry less the union of parts (a collection, not taken): the
 * polygonal rest, or NULL when GEOS fails even on a 1 mm grid (as
 * everywhere in the engine, an overlay that fails is retried on it).
 * covered_area >= 0 is the parts' summed area when they should form a
 * coverage (a plan's mosaic: union_of_parts); < 0 takes the overlay union.
 * C03 (the parts inside the urban boundary) and C04 (the plan's parts)
 * share it.
 */
static GEOSGeometry *block_less(GEOSContextHandle_t h, const GEOSGeometry *block,
                                const GEOSGeometry *coll, double covered_area)
{
    GEOSGeometry *covered, *rest = NULL, *out;
    covered = covered_area >= 0 ? union_of_parts(h, coll, covered_area) : GEOSUnaryUnion_r(h, coll);
    if (!covered)
        covered = GEOSUnaryUnionPrec_r(h, coll, 0.001);
    if (covered && !(rest = GEOSDifference_r(h, block, covered)))
        rest = GEOSDifferencePrec_r(h, block, covered, 0.001);
    out = rest ? check_polygonal(h, rest) : NULL;
    if (rest)
        GEOSGeom_destroy_r(h, rest);
    if (covered)
        GEOSGeom_destroy_r(h, covered);
    return out;
}

/* --- C03: the parts of each block outside the urban development boundary --- */

/* The parts of one block inside the boundary: the geometry of every hit
 * on block i, from each part of the boundary (results[0 .. count)), into
 * a new collection (*out); unprocessable hits were reported already. */
static int block_hits(check_ctx *ctx, const overlay_result *results, size_t count, size_t i,
                      GEOSGeometry **out)
{
    GEOSGeometry **inside;
    size_t r, k, hits = 0;
    unsigned n = 0;
    int rc = HEGUI_OK;
    *out = NULL;
    for (r = 0; r < count; r++)
        hits += results[r].hit_count;
    if (!(inside = hegui_calloc(hits ? hits : 1, sizeof(*inside))))
        return HEGUI_ENOMEM;
    for (r = 0; r < count && rc == HEGUI_OK; r++) {
        for (k = 0; k < results[r].hit_count && rc == HEGUI_OK; k++) {
            const overlay_hit *hit = &results[r].hits[k];
            if (hit->block != i || hit->error)
                continue;
            if (!(inside[n++] = hit_geometry(ctx, hit)))
                rc = hegui_error_set(HEGUI_EGEOM, "cannot read an overlay result");
        }
    }
    if (rc == HEGUI_OK &&
        !(*out = GEOSGeom_createCollection_r(ctx->h, GEOS_GEOMETRYCOLLECTION, inside, n)))
        rc = hegui_error_set(HEGUI_EGEOM, "GEOS cannot make a collection");
    if (*out)
        n = 0; /* the collection owns them */
    while (n > 0)
        if (inside[--n])
            GEOSGeom_destroy_r(ctx->h, inside[n]);
    hegui_free(inside);
    return rc;
}

/* The boundary is one layer, or the parts the rules file names (a file
 * per county): a block is outside where it is outside all of them. */
static int outside_boundary(conflict_run *cr, const hegui_rule_config *rule,
                            const hegui_layer_info *const *layers, size_t layer_count)
{
    check_ctx *ctx = cr->ctx;
    double min_area = hegui_rule_number(rule, "min_area_m2", ctx->config->min_area_m2);
    overlay_options options = *cr->options;
    overlay_result *results = hegui_calloc(layer_count, sizeof(*results));
    char *label = check_layers_label(layers, layer_count);
    size_t i, k, done = 0;
    int rc = results && label ? HEGUI_OK : HEGUI_ENOMEM;

    options.min_wkt_area = INFINITY; /* the parts inside are not reported */
    for (; done < layer_count && rc == HEGUI_OK; done++) {
        const char *names[MAX_KEY_FIELDS] = {NULL};
        size_t n = resolve_fields(layers[done], boundary_fields, 2, names);
        if ((rc = overlay_layer(ctx, layers[done], names, n, &options, &results[done])) < 0)
            break;
        rc = report_invalid(ctx, rule->id, layers[done], &results[done]);
        for (k = 0; k < results[done].hit_count && rc == HEGUI_OK; k++) {
            if (results[done].hits[k].error)
                rc = report_unprocessable(ctx, rule, layers[done], &results[done].hits[k]);
        }
    }
    for (i = 0; i < ctx->block_count && rc == HEGUI_OK; i++) {
        check_block *b = &ctx->blocks[i];
        GEOSGeometry *coll = NULL, *poly = NULL;
        int parts, p;
        if (!b->geom || GEOSisEmpty_r(ctx->h, b->geom) != 0)
            continue;
        if ((rc = block_hits(ctx, results, done, i, &coll)) < 0)
            break;
        poly = block_less(ctx->h, b->geom, coll, -1);
        if (!poly)
            rc = hegui_error_set(HEGUI_EGEOM, "C03: cannot subtract the boundary from block '%s'",
                                 check_block_label(b));
        parts = poly ? GEOSGetNumGeometries_r(ctx->h, poly) : 0;
        for (p = 0; p < parts && rc == HEGUI_OK && GEOSisEmpty_r(ctx->h, poly) == 0; p++) {
            const GEOSGeometry *part = GEOSGetGeometryN_r(ctx->h, poly, p);
            double area = 0;
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
            f.other_layer = label;
            f.other_fid = -1;
            snprintf(zh, sizeof(zh), "区块「%s」有 %.2f 平方米位于城镇开发边界之外，占区块 %.2f%%",
                     check_block_label(b), area, b->area_m2 > 0 ? 100 * area / b->area_m2 : 0.0);
            snprintf(en, sizeof(en),
                     "block '%s' extends %.2f m2 outside the urban development boundary, %.2f%% "
                     "of the block",
                     check_block_label(b), area, b->area_m2 > 0 ? 100 * area / b->area_m2 : 0.0);
            f.message_zh = zh;
            f.message_en = en;
            rc = check_emit(ctx, &f, b, part, true);
        }
        GEOSGeom_destroy_r(ctx->h, coll);
        if (poly)
            GEOSGeom_destroy_r(ctx->h, poly);
    }
    for (k = 0; k < done && results; k++)
        overlay_result_release(&results[k]);
    hegui_free(results);
    hegui_free(label);
    return rc;
}

/* --- C04: land-use classes inside the blocks --- */

/* allowed / warning / conflict for a class code (longest prefix wins). */
static const char *class_verdict(const hegui_rule_config *rule, const char *code_set,
                                 const char *code)
{
    const hegui_value *classes = hegui_rule_param(
        rule, strcmp(code_set, "gbt21010") == 0 ? "classes_gbt21010" : "classes");
    const hegui_value *v = classes && code ? hegui_value_longest_prefix(classes, code) : NULL;
    if (v && v->kind == HEGUI_VALUE_SCALAR)
        return v->scalar;
    return hegui_rule_string(rule, "default", "warning");
}

/* The land-use structure rows being built, with a hash index on (zone,
 * class): a city's land use gives 10^5 hits over thousands of rows. */
typedef struct structure_rows {
    size_t cap;        /* of run->landuse */
    size_t *slots;     /* open addressing: row index + 1, 0 for an empty slot */
    size_t slot_count; /* a power of two, more than twice the rows */
} structure_rows;

static uint64_t structure_hash(const char *zone, const char *code)
{
    uint64_t h = 1469598103934665603ull;
    for (; *zone; zone++)
        h = (h ^ (unsigned char)*zone) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;
    for (; *code; code++)
        h = (h ^ (unsigned char)*code) * 1099511628211ull;
    return h;
}

/* The slot of (zone, code): its row's, or the empty one to fill. */
static size_t *structure_slot(structure_rows *t, const hegui_run *run, const char *zone,
                              const char *code)
{
    size_t i = (size_t)structure_hash(zone, code) & (t->slot_count - 1);
    for (;; i = (i + 1) & (t->slot_count - 1)) {
        const hegui_run_landuse *row;
        if (t->slots[i] == 0)
            return &t->slots[i];
        row = &run->landuse[t->slots[i] - 1];
        if (strcmp(row->zone_code, zone) == 0 && strcmp(row->class_code, code) == 0)
            return &t->slots[i];
    }
}

/* Keeps the index at most half full. */
static int structure_reserve(structure_rows *t, const hegui_run *run)
{
    size_t n = 64, i;
    size_t *old = t->slots;
    if (t->slot_count >= 2 * (run->landuse_count + 1))
        return HEGUI_OK;
    while (n < 4 * (run->landuse_count + 1))
        n *= 2;
    t->slots = hegui_calloc(n, sizeof(size_t));
    if (!t->slots) {
        t->slots = old;
        return HEGUI_ENOMEM;
    }
    t->slot_count = n;
    for (i = 0; i < run->landuse_count; i++)
        *structure_slot(t, run, run->landuse[i].zone_code, run->landuse[i].class_code) = i + 1;
    hegui_free(old);
    return HEGUI_OK;
}

/* The compatibility table of a land-use layer, for class_reported. */
typedef struct class_verdicts {
    const hegui_rule_config *rule;
    const char *code_set;
    bool numeric; /* the code field is a number: check_class_code */
} class_verdicts;

/* Whether a land-use hit (values: class code, class name) can become a
 * finding, i.e. needs its WKT: not when its class is allowed. The verdict
 * is noted in the hit for landuse_draft. Reads the rule's settings only,
 * so the overlay workers may call it. */
static bool class_reported(overlay_hit *hit, const void *payload)
{
    const class_verdicts *v = payload;
    char buf[CHECK_CLASS_CODE_MAX];
    const char *code =
        check_class_code(hit->values[0] ? hit->values[0] : "", v->numeric, buf, NULL);
    const char *verdict = class_verdict(v->rule, v->code_set, code);
    hit->note = verdict;
    return strcmp(verdict, "allowed") != 0;
}

/* Adds area to the land-use structure row (zone, class), creating it. */
static int add_structure(hegui_run *run, structure_rows *t, const check_block *b, const char *code,
                         const char *name, const char *verdict, double area, double ellipsoidal)
{
    size_t *slot;
    hegui_run_landuse *row;
    const char *zone = check_block_code(b);
    int rc;
    if ((rc = structure_reserve(t, run)) < 0)
        return rc;
    slot = structure_slot(t, run, zone, code);
    if (*slot) {
        row = &run->landuse[*slot - 1];
        row->area_m2 += area;
        row->area_ellipsoidal_m2 += ellipsoidal;
        if (!*row->class_name && name && *name) {
            char *copy = hegui_strdup(name);
            if (!copy)
                return HEGUI_ENOMEM;
            hegui_free(row->class_name);
            row->class_name = copy;
        }
        return HEGUI_OK;
    }
    if (run->landuse_count == t->cap) {
        size_t ncap = t->cap ? 2 * t->cap : 32;
        hegui_run_landuse *grown = hegui_realloc(run->landuse, ncap * sizeof(*grown));
        if (!grown)
            return HEGUI_ENOMEM;
        run->landuse = grown;
        t->cap = ncap;
    }
    row = &run->landuse[run->landuse_count];
    memset(row, 0, sizeof(*row));
    row->zone_code = hegui_strdup(zone);
    row->zone_name = hegui_strdup(check_block_name(b));
    row->class_code = hegui_strdup(code);
    row->class_name = hegui_strdup(name ? name : "");
    row->verdict = hegui_strdup(verdict);
    row->area_m2 = area;
    row->area_ellipsoidal_m2 = ellipsoidal;
    if (!row->zone_code || !row->zone_name || !row->class_code || !row->class_name ||
        !row->verdict) {
        hegui_free(row->zone_code);
        hegui_free(row->zone_name);
        hegui_free(row->class_code);
        hegui_free(row->class_name);
        hegui_free(row->verdict);
        return HEGUI_ENOMEM;
    }
    *slot = ++run->landuse_count;
    return HEGUI_OK;
}

static int compare_landuse(const void *a, const void *b)
{
    const hegui_run_landuse *x = a, *y = b;
    int c = strcmp(x->zone_code, y->zone_code);
    return c ? c : strcmp(x->class_code, y->class_code);
}

/* The part of block b (its geometry: block, in h) that no land-use part
 * covers: b less the union of its parts (hits[0..n), whose areas sum to
 * covered_area), or NULL with the error set. Any thread, with its own h. */
static GEOSGeometry *uncovered_part(GEOSContextHandle_t h, hegui_geom_ctx *gctx,
                                    const check_block *b, const GEOSGeometry *block,
                                    const overlay_hit *const *hits, size_t n, double covered_area)
{
    check_geoms parts = {NULL, 0, 0};
    GEOSGeometry *coll = NULL, *out = NULL;
    size_t i;
    for (i = 0; i < n; i++) {
        void *g = NULL;
        const overlay_hit *hit = hits[i];
        if (hegui_geom_from_wkb(&g, gctx, hit->wkb, hit->wkb_size) < 0 ||
            check_geoms_push(&parts, g) < 0) {
            if (g)
                GEOSGeom_destroy_r(h, g);
            goto done;
        }
    }
    coll =
        GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts.items, (unsigned)parts.count);
    if (!coll)
        goto done;
    parts.count = 0; /* the collection owns them now */
    out = block_less(h, block, coll, covered_area);
done:
    if (!out)
        hegui_error_set(HEGUI_EGEOM,
                        "block '%s': GEOS cannot compute the part outside the "
                        "land-use layer: %s",
                        check_block_label(b), hegui_geom_ctx_message(gctx));
    if (coll)
        GEOSGeom_destroy_r(h, coll);
    check_geoms_free(h, &parts);
    return out;
}

/*
 * The uncovered parts of the blocks that need a union, computed side by
 * side on up to ctx->threads threads (each about 8-12 ms at a city's
 * scale, on the main thread before), each with its own GEOS context,
 * reading the blocks and the hits as WKB. Each block's result is the same
 * whichever thread computes it; the main thread then reports them in block
 * order.
 */
typedef struct gap_job {
    const check_ctx *ctx;
    const overlay_hit *const *at; /* each block's hits: at[start[b] .. start[b + 1]) */
    const size_t *start;
    const double *sum;    /* each block's sum of hit areas */
    const size_t *blocks; /* the blocks to compute, count of them */
    unsigned char **in;   /* each one's geometry, as WKB (in_size bytes) */
    size_t *in_size;
    unsigned char **gap; /* its uncovered part as WKB (gap_size bytes), or NULL: */
    size_t *gap_size;
    char **why;         /* then why (GEOS failed), or NULL: out of memory */
    size_t *order;      /* the entries, most hits first: the longest start first */
    size_t count, next; /* next: in order */
    pthread_mutex_t lock;
} gap_job;

/* The next entry to compute, or job->count when none is left. */
static size_t gap_take(gap_job *job)
{
    size_t k;
    pthread_mutex_lock(&job->lock);
    k = job->next < job->count ? job->order[job->next++] : job->count;
    pthread_mutex_unlock(&job->lock);
    return k;
}

/* Computes job entry k on h (and gctx): gap[k] or why[k]. */
static void gap_compute(gap_job *job, size_t k, GEOSContextHandle_t h, hegui_geom_ctx *gctx,
                        GEOSWKBWriter *writer)
{
    size_t b = job->blocks[k], size = 0;
    void *block = NULL;
    GEOSGeometry *out = NULL;
    unsigned char *wkb = NULL;
    if (hegui_geom_from_wkb(&block, gctx, job->in[k], job->in_size[k]) == HEGUI_OK)
        out = uncovered_part(h, gctx, &job->ctx->blocks[b], block, job->at + job->start[b],
                             job->start[b + 1] - job->start[b], job->sum[b]);
    if (out && !(wkb = GEOSWKBWriter_write_r(h, writer, out, &size)))
        hegui_error_set(HEGUI_EGEOM, "GEOS cannot write a polygon: %s",
                        hegui_geom_ctx_message(gctx));
    if (wkb && (job->gap[k] = hegui_malloc(size)) != NULL) {
        memcpy(job->gap[k], wkb, size);
        job->gap_size[k] = size;
    } else if (!wkb) {
        job->why[k] = hegui_strdup(hegui_error_last());
    }
    if (wkb)
        GEOSFree_r(h, wkb);
    if (out)
        GEOSGeom_destroy_r(h, out);
    if (block)
        GEOSGeom_destroy_r(h, block);
}

/* Computes entries until none is left, on h (and gctx); without a WKB
 * writer, none (the other threads take them). */
static void gap_drain(gap_job *job, GEOSContextHandle_t h, hegui_geom_ctx *gctx)
{
    GEOSWKBWriter *writer = GEOSWKBWriter_create_r(h);
    size_t k;
    if (!writer)
        return;
    while ((k = gap_take(job)) < job->count)
        gap_compute(job, k, h, gctx, writer);
    GEOSWKBWriter_destroy_r(h, writer);
}

static void *gap_worker(void *arg)
{
    hegui_geom_ctx *gctx = NULL;
    if (hegui_geom_ctx_new(&gctx) < 0)
        return NULL; /* the other threads take its share */
    gap_drain(arg, hegui_geom_ctx_handle(gctx), gctx);
    hegui_geom_ctx_free(gctx);
    return NULL;
}

/* Runs the job on the calling thread and up to ctx->threads - 1 more. */
static int gap_job_run(gap_job *job, check_ctx *ctx)
{
    pthread_t threads[16];
    size_t wanted = ctx->threads > 1 ? (size_t)ctx->threads - 1 : 0, started = 0, k;
    if (wanted > job->count - 1)
        wanted = job->count - 1;
    if (wanted > sizeof(threads) / sizeof(threads[0]))
        wanted = sizeof(threads) / sizeof(threads[0]);
    pthread_mutex_init(&job->lock, NULL);
    while (started < wanted && pthread_create(&threads[started], NULL, gap_worker, job) == 0)
        started++;
    gap_drain(job, ctx->h, ctx->geom_ctx);
    for (k = 0; k < started; k++)
        pthread_join(threads[k], NULL);
    pthread_mutex_destroy(&job->lock);
    /* an entry left undone (no GEOS writer on any thread) or without memory */
    for (k = 0; k < job->count; k++) {
        if (!job->gap[k] && !job->why[k])
            return HEGUI_ENOMEM;
    }
    return HEGUI_OK;
}

/* Whether report_uncovered needs block blk's union: a block neither
 * covered (to the rounding of its parts' sum), nor overlapped, nor short of
 * cover by min_area or less. */
static bool needs_union(const check_block *blk, bool unknown, double sum, double min_area)
{
    if (!blk->geom || unknown || sum - blk->area_m2 > fmax(min_area, 0.01))
        return false;
    return blk->area_m2 - sum > 0.01 && blk->area_m2 - sum > min_area;
}

static void gap_job_free(gap_job *job)
{
    size_t k;
    for (k = 0; k < job->count; k++) {
        if (job->in)
            hegui_free(job->in[k]);
        if (job->gap)
            hegui_free(job->gap[k]);
        if (job->why)
            hegui_free(job->why[k]);
    }
    hegui_free((void *)job->blocks);
    hegui_free(job->in);
    hegui_free(job->in_size);
    hegui_free(job->gap);
    hegui_free(job->gap_size);
    hegui_free(job->why);
    hegui_free(job->order);
    memset(job, 0, sizeof(*job));
}

/* An entry of a gap job and its block's number of hits, for ordering. */
typedef struct gap_work {
    size_t hits, k;
} gap_work;

/* Most hits first, then block order: a fixed order whatever the threads. */
static int compare_gap_work(const void *a, const void *b)
{
    const gap_work *x = a, *y = b;
    if (x->hits != y->hits)
        return x->hits > y->hits ? -1 : 1;
    return (x->k > y->k) - (x->k < y->k);
}

/* Finds the blocks that need a union (needs_union) and computes their
 * uncovered parts (gap_job_run) into *job, in block order. */
static int gap_job_start(gap_job *job, check_ctx *ctx, const overlay_hit *const *at,
                         const size_t *start, const double *sum, const bool *unknown,
                         double min_area)
{
    size_t b, k, n = ctx->block_count ? ctx->block_count : 1;
    size_t *blocks = hegui_calloc(n, sizeof(*blocks));
    GEOSWKBWriter *writer = NULL;
    int rc = HEGUI_OK;
    job->ctx = ctx;
    job->at = at;
    job->start = start;
    job->sum = sum;
    job->blocks = blocks;
    if (!blocks)
        return HEGUI_ENOMEM;
    for (b = 0; b < ctx->block_count; b++) {
        if (needs_union(&ctx->blocks[b], unknown[b], sum[b], min_area))
            blocks[job->count++] = b;
    }
    if (job->count == 0)
        return HEGUI_OK;
    job->in = hegui_calloc(job->count, sizeof(*job->in));
    job->in_size = hegui_calloc(job->count, sizeof(*job->in_size));
    job->gap = hegui_calloc(job->count, sizeof(*job->gap));
    job->gap_size = hegui_calloc(job->count, sizeof(*job->gap_size));
    job->why = hegui_calloc(job->count, sizeof(*job->why));
    job->order = hegui_calloc(job->count, sizeof(*job->order));
    writer = GEOSWKBWriter_create_r(ctx->h);
    if (!job->in || !job->in_size || !job->gap || !job->gap_size || !job->why || !job->order ||
        !writer)
        rc = HEGUI_ENOMEM;
    if (rc == HEGUI_OK) {
        gap_work *work = hegui_calloc(job->count, sizeof(*work));
        for (k = 0; work && k < job->count; k++) {
            work[k].hits = start[blocks[k] + 1] - start[blocks[k]];
            work[k].k = k;
        }
        if (work)
            qsort(work, job->count, sizeof(*work), compare_gap_work);
        for (k = 0; work && k < job->count; k++)
            job->order[k] = work[k].k;
        rc = work ? HEGUI_OK : HEGUI_ENOMEM;
        hegui_free(work);
    }
    for (k = 0; k < job->count && rc == HEGUI_OK; k++) {
        size_t size = 0;
        unsigned char *wkb =
            GEOSWKBWriter_write_r(ctx->h, writer, ctx->blocks[blocks[k]].geom, &size);
        if (wkb && (job->in[k] = hegui_malloc(size)) != NULL) {
            memcpy(job->in[k], wkb, size);
            job->in_size[k] = size;
        } else {
            rc = wkb ? HEGUI_ENOMEM : hegui_error_set(HEGUI_EGEOM, "GEOS cannot write a block");
        }
        if (wkb)
            GEOSFree_r(ctx->h, wkb);
    }
    if (writer)
        GEOSWKBWriter_destroy_r(ctx->h, writer);
    return rc < 0 ? rc : gap_job_run(job, ctx);
}

/* The parts of polygonal g above min_area, as a new multipolygon in *out
 * (NULL when none is); each part dropped is counted as a suppressed patch
 * of rule id: the slivers a digitized plan leaves between its patches are
 * noise, as everywhere. HEGUI_EGEOM when GEOS fails. */
static int large_parts(check_ctx *ctx, const char *id, const GEOSGeometry *g, double min_area,
                       GEOSGeometry **out)
{
    GEOSContextHandle_t h = ctx->h;
    int n = GEOSGetNumGeometries_r(h, g), k, rc = HEGUI_OK;
    check_geoms kept = {NULL, 0, 0};
    *out = NULL;
    for (k = 0; k < n && GEOSisEmpty_r(h, g) == 0 && rc == HEGUI_OK; k++) {
        const GEOSGeometry *part = GEOSGetGeometryN_r(h, g, k);
        GEOSGeometry *copy = NULL;
        double area = 0;
        if (GEOSArea_r(h, part, &area) != 1)
            rc = hegui_error_set(HEGUI_EGEOM, "GEOS cannot measure an area");
        else if (area <= min_area)
            check_suppress(ctx, id);
        else if (!(copy = GEOSGeom_clone_r(h, part)) || check_geoms_push(&kept, copy) < 0)
            rc = copy ? HEGUI_ENOMEM : hegui_error_set(HEGUI_EGEOM, "GEOS cannot copy a polygon");
        if (rc < 0 && copy)
            GEOSGeom_destroy_r(h, copy);
    }
    if (rc == HEGUI_OK && kept.count > 0) {
        *out = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, kept.items, (unsigned)kept.count);
        if (*out)
            kept.count = 0; /* the multipolygon owns them */
        else
            rc = hegui_error_set(HEGUI_EGEOM, "GEOS cannot make a multipolygon");
    }
    check_geoms_free(h, &kept);
    return rc;
}

/* The C04 warning about an area of block blk that the land-use plan
 * (label: its layers) leaves unchecked or counts twice, without messages. */
static void block_warning(hegui_finding *f, const hegui_rule_config *rule, char *label,
                          const check_block *blk, double area)
{
    f->rule = rule->id;
    f->severity = check_severity(rule, HEGUI_SEVERITY_WARNING);
    f->other_layer = label;
    f->other_fid = -1;
    f->area_m2 = area;
    f->has_area = true;
    f->share_of_zone = blk->zone_area_m2 > 0 ? area / blk->zone_area_m2 : -1;
}

/*
 * A warning for a block whose land-use parts add up to more than the block
 * (by excess m2): patches of the plan overlap there (a plan digitized with
 * overlaps, or parts of a plan in several files that overlap), so the
 * land-use structure counts that much twice. Not in C04's totals, which
 * dissolve the patches.
 */
static int report_overlapping(check_ctx *ctx, const hegui_rule_config *rule, char *label,
                              const check_block *blk, double excess)
{
    hegui_finding f;
    char zh[600], en[900];
    memset(&f, 0, sizeof(f));
    block_warning(&f, rule, label, blk, excess);
    f.area_ellipsoidal_m2 = blk->area_m2 > 0 ? blk->area_ellipsoidal_m2 * excess / blk->area_m2 : 0;
    snprintf(zh, sizeof(zh),
             "区块「%s」内用地图层 %s 的图斑面积之和比区块大 %.2f 平方米：图斑相互重叠，用地结构"
             "中重叠部分被重复计算",
             check_block_label(blk), label, excess);
    snprintf(en, sizeof(en),
             "block '%s': the land-use patches of %s inside it add up to %.2f m2 more than the "
             "block: patches overlap, and the land-use structure counts the overlap twice",
             check_block_label(blk), label, excess);
    f.message_zh = zh;
    f.message_en = en;
    return check_emit(ctx, &f, blk, NULL, false);
}

/*
 * A warning for each block the land-use layer does not cover whole: the
 * classes of the rest are unknown, so C04 could not check it (a zone that
 * runs past the plan's edge, a layer of another county). The sum of a
 * block's parts finds the blocks to look at; only those pay for a union.
 * Not part of C04's totals, which are areas of known classes.
 */
static int report_uncovered(check_ctx *ctx, const hegui_rule_config *rule, char *label,
                            const overlay_result *results, size_t result_count, double min_area)
{
    size_t hit_count = 0, r, b, i, n = ctx->block_count ? ctx->block_count : 1, done_k = 0;
    double *sum = hegui_calloc(n, sizeof(double));
    bool *unknown = hegui_calloc(n, sizeof(bool));
    const overlay_hit **at;
    size_t *start = hegui_calloc(ctx->block_count + 1, sizeof(size_t));
    gap_job job;
    int rc = HEGUI_OK;
    memset(&job, 0, sizeof(job));
    for (r = 0; r < result_count; r++)
        hit_count += results[r].hit_count;
    at = hegui_calloc(hit_count ? hit_count : 1, sizeof(*at));
    if (!sum || !unknown || !at || !start) {
        rc = HEGUI_ENOMEM;
        goto done;
    }
    for (r = 0; r < result_count; r++) {
        for (i = 0; i < results[r].hit_count; i++) {
            const overlay_hit *hit = &results[r].hits[i];
            sum[hit->block] += hit->area_m2;
            unknown[hit->block] |= hit->error != NULL; /* reported on its own */
            start[hit->block + 1]++;
        }
    }
    /* each block's hits, part by part in their order: at[start[b] .. start[b + 1]) */
    for (b = 0; b < ctx->block_count; b++)
        start[b + 1] += start[b];
    for (r = 0; r < result_count; r++)
        for (i = 0; i < results[r].hit_count; i++)
            at[start[results[r].hits[i].block]++] = &results[r].hits[i];
    for (b = ctx->block_count; b > 0; b--)
        start[b] = start[b - 1];
    start[0] = 0;
    if ((rc = gap_job_start(&job, ctx, at, start, sum, unknown, min_area)) < 0)
        goto done;
    for (b = 0; b < ctx->block_count && rc == HEGUI_OK; b++) {
        const check_block *blk = &ctx->blocks[b];
        GEOSGeometry *gap;
        hegui_finding f;
        double area = 0, share;
        char zh[600], en[900], why[300] = "";
        if (blk->geom && !unknown[b] && sum[b] - blk->area_m2 > fmax(min_area, 0.01)) {
            rc = report_overlapping(ctx, rule, label, blk, sum[b] - blk->area_m2);
            continue;
        }
        if (!needs_union(blk, unknown[b], sum[b], min_area)) {
            /* covered, to the rounding of a sum of parts; or short of cover
             * by min_area or less: no union for what would be dropped */
            if (blk->geom && !unknown[b] && blk->area_m2 - sum[b] > 0.01)
                check_suppress(ctx, rule->id);
            continue;
        }
        memset(&f, 0, sizeof(f));
        /* computed by gap_job_start, for the same blocks in the same order */
        assert(done_k < job.count && job.blocks[done_k] == b);
        gap = NULL;
        if (job.gap[done_k]) {
            void *g = NULL;
            if ((rc = hegui_geom_from_wkb(&g, ctx->geom_ctx, job.gap[done_k],
                                          job.gap_size[done_k])) < 0)
                break;
            gap = g;
        } else {
            hegui_error_set(HEGUI_EGEOM, "%s", job.why[done_k]);
        }
        done_k++;
        if (gap) { /* slivers between the plan's patches: noise */
            GEOSGeometry *outline = gap;
            rc = large_parts(ctx, rule->id, outline, min_area, &gap);
            GEOSGeom_destroy_r(ctx->h, outline);
            if (rc < 0)
                break;
            if (!gap)
                continue; /* all of it slivers */
        } else {          /* no outline even on a 1 mm grid: the area the sum gives, and why */
            area = blk->area_m2 - sum[b];
            f.area_ellipsoidal_m2 = blk->area_ellipsoidal_m2 * area / blk->area_m2;
            snprintf(why, sizeof(why), " (its outline could not be computed: %s)",
                     hegui_error_last());
        }
        if (gap && (GEOSArea_r(ctx->h, gap, &area) != 1 ||
                    (rc = hegui_area_ellipsoidal(&f.area_ellipsoidal_m2, ctx->area, ctx->geom_ctx,
                                                 gap)) < 0)) {
            GEOSGeom_destroy_r(ctx->h, gap);
            rc = rc < 0 ? rc : hegui_error_set(HEGUI_EGEOM, "GEOS cannot measure an area");
            break;
        }
        /* above min_area here: large_parts kept only such parts, and the
         * sum's deficit passed the same test */
        share = blk->area_m2 > 0 ? 100.0 * area / blk->area_m2 : 0.0;
        block_warning(&f, rule, label, blk, area);
        snprintf(zh, sizeof(zh),
                 "区块「%s」有 %.2f 平方米（占区块 %.2f%%）不在用地图层 %s 的范围内：该部分用地"
                 "性质未知，未作用地审查%s",
                 check_block_label(blk), area, share, label, gap ? "" : "（无法计算其范围）");
        snprintf(en, sizeof(en),
                 "block '%s': %.2f m2 (%.2f%% of the block) lies outside the land-use layer %s: "
                 "its land class is unknown and was not checked%s",
                 check_block_label(blk), area, share, label, gap ? "" : why);
        f.message_zh = zh;
        f.message_en = en;
        rc = check_emit(ctx, &f, blk, gap, false);
        if (gap)
            GEOSGeom_destroy_r(ctx->h, gap);
    }
done:
    gap_job_free(&job);
    hegui_free(sum);
    hegui_free(unknown);
    hegui_free(at);
    hegui_free(start);
    return rc;
}

/* What drafting a land-use finding reads (landuse_draft), on the workers. */
typedef struct landuse_drafting {
    const check_ctx *ctx;
    const hegui_rule_config *rule;
    const hegui_layer_info *layer;
    const char *const *names; /* class code field, class name field (or NULL) */
    class_verdicts verdicts;
    double min_area;
} landuse_drafting;

/* The finding of a part of a class the table does not allow, above the
 * minimum area (overlay_options.draft). */
static int landuse_draft(overlay_hit *hit, const void *payload)
{
    const landuse_drafting *d = payload;
    const check_block *b = &d->ctx->blocks[hit->block];
    char buf[CHECK_CLASS_CODE_MAX], zh[600], en[600], attrs[200];
    const char *code =
        check_class_code(hit->values[0] ? hit->values[0] : "", d->verdicts.numeric, buf, NULL);
    const char *cname = hit->values[1] ? hit->values[1] : "";
    /* class_reported's, for a hit above the minimum area */
    const char *verdict =
        hit->note ? hit->note : class_verdict(d->rule, d->verdicts.code_set, code);
    bool conflict = strcmp(verdict, "conflict") == 0;
    double area = hit->area_m2;
    hegui_finding f;
    hit->note = verdict; /* the calling thread's loop needs it too */
    if (strcmp(verdict, "allowed") == 0 || area <= d->min_area)
        return HEGUI_OK;
    memset(&f, 0, sizeof(f));
    f.rule = d->rule->id;
    f.severity = check_severity(d->rule, conflict ? HEGUI_SEVERITY_ERROR : HEGUI_SEVERITY_WARNING);
    f.other_layer = d->layer->layer_name;
    f.other_fid = hit->fid;
    snprintf(attrs, sizeof(attrs), "%s=%s; %s=%s", d->names[0], code,
             d->names[1] ? d->names[1] : "class_name", cname);
    f.other_attrs = attrs;
    /* a patch without a code takes the default verdict: say why */
    snprintf(zh, sizeof(zh), "区块「%s」内有用地 %s %s（%s 要素 %lld）%.2f 平方米，%s",
             check_block_label(b), *code ? code : "（无地类代码）", cname, d->layer->layer_name,
             (long long)hit->fid, area, conflict ? "与开发区用途冲突" : "需核实");
    snprintf(en, sizeof(en), "block '%s' holds land class %s %s (%s feature %lld), %.2f m2: %s",
             check_block_label(b), *code ? code : "(no class code)", cname, d->layer->layer_name,
             (long long)hit->fid, area,
             conflict ? "incompatible with a development zone" : "to be verified");
    f.message_zh = zh;
    f.message_en = en;
    return check_draft_part(&f, b, hit);
}

/* C04 on one land-use layer (the plan, or a part of it): the structure
 * rows and the patch findings. Its overlay result stays in *res for the
 * uncovered parts, which need every part of the plan (release it). */
static int landuse_layer(conflict_run *cr, const hegui_rule_config *rule,
                         const hegui_layer_info *layer, structure_rows *structure,
                         overlay_result *res_out)
{
    check_ctx *ctx = cr->ctx;
    const char *names[MAX_KEY_FIELDS] = {NULL};
    size_t n = resolve_fields(layer, landuse_fields, 2, names), i;
    const char *code_set = layer->spec && layer->spec->code_set
                               ? layer->spec->code_set
                               : hegui_rule_string(rule, "code_set", "ydyh");
    landuse_drafting drafting = {
        ctx,
        rule,
        layer,
        names,
        {rule, code_set, check_field_numeric(layer, names[0])},
        hegui_rule_number(rule, "min_area_m2", ctx->config->min_area_m2),
    };
    overlay_options options = *cr->options;
    overlay_result res;
    size_t restored = 0;
    char example[2][CHECK_CLASS_CODE_MAX] = {"", ""};
    int rc;

    options.min_wkt_area = drafting.min_area;
    options.wants_wkt = class_reported;
    options.wkt_payload = &drafting.verdicts;
    options.draft = landuse_draft;
    options.draft_payload = &drafting;
    if (!names[0])
        return hegui_error_set(HEGUI_EINPUT,
                               "%s (layer %s): no land-class code field (YDYHFLDM or DLBM); name "
                               "it in the rules file (fields: {class_code: …})",
                               layer->path, layer->layer_name);
    if ((rc = overlay_layer(ctx, layer, names, n, &options, &res)) < 0)
        return rc;
    rc = report_invalid(ctx, rule->id, layer, &res);
    for (i = 0; i < res.hit_count && rc == HEGUI_OK; i++) {
        overlay_hit *hit = &res.hits[i];
        char buf[CHECK_CLASS_CODE_MAX];
        bool was_restored = false;
        const char *raw = hit->values[0] ? hit->values[0] : "";
        const char *code = check_class_code(raw, drafting.verdicts.numeric, buf, &was_restored);
        const char *verdict = hit->note ? hit->note : class_verdict(rule, code_set, code);
        if (was_restored && restored++ == 0) {
            snprintf(example[0], sizeof(example[0]), "%s", raw);
            snprintf(example[1], sizeof(example[1]), "%s", code);
        }
        if (hit->error) {
            rc = report_unprocessable(ctx, rule, layer, hit);
            continue;
        }
        rc = add_structure(ctx->run, structure, &ctx->blocks[hit->block], code,
                           hit->values[1] ? hit->values[1] : "", verdict, hit->area_m2,
                           hit->area_ellipsoidal_m2);
        if (rc == HEGUI_OK && hit->finding)
            rc = check_emit_drafted(ctx, hit);
        else if (rc == HEGUI_OK && strcmp(verdict, "allowed") != 0)
            check_suppress(ctx, rule->id);
    }
    if (rc == HEGUI_OK && restored)
        rc = check_report_restored_codes(ctx, rule, layer, names[0], restored, example[0],
                                         example[1]);
    *res_out = res;
    return rc;
}

/* --- the family's table --- */

static int rule_overlap(conflict_run *cr, const hegui_rule_config *rule, hegui_role role)
{
    size_t i, k;
    int rc;
    for (k = 0; k < sizeof(overlap_kinds) / sizeof(overlap_kinds[0]); k++) {
        if (overlap_kinds[k].role != role)
            continue;
        for (i = 0; i < cr->ctx->catalog->count; i++) {
            const hegui_layer_info *l = &cr->ctx->catalog->layers[i];
            if (l->role == role && (rc = overlap_layer(cr, &overlap_kinds[k], rule, l)) < 0)
                return rc;
        }
    }
    return HEGUI_OK;
}

static int rule_c01(conflict_run *cr, const hegui_rule_config *rule)
{
    return rule_overlap(cr, rule, HEGUI_ROLE_FARMLAND);
}

static int rule_c02(conflict_run *cr, const hegui_rule_config *rule)
{
    return rule_overlap(cr, rule, HEGUI_ROLE_REDLINE);
}

static int rule_c05(conflict_run *cr, const hegui_rule_config *rule)
{
    return rule_overlap(cr, rule, HEGUI_ROLE_EXCLUSION);
}

static int rule_c03(conflict_run *cr, const hegui_rule_config *rule)
{
    const hegui_layer_info **layers = NULL;
    size_t count = 0;
    int rc = check_role_layers(cr->ctx, HEGUI_ROLE_URBAN_BOUNDARY, &layers, &count);
    if (rc == HEGUI_OK && count > 0)
        rc = outside_boundary(cr, rule, layers, count);
    hegui_free(layers);
    return rc;
}

static int rule_c04(conflict_run *cr, const hegui_rule_config *rule)
{
    hegui_run *run = cr->ctx->run;
    structure_rows rows = {0, NULL, 0};
    const hegui_layer_info **layers = NULL;
    overlay_result *results = NULL;
    double min_area = hegui_rule_number(rule, "min_area_m2", cr->ctx->config->min_area_m2);
    char *label = NULL;
    size_t i, count = 0, done = 0;
    /* the plan, or the parts the rules file names (a file per county) */
    int rc = check_role_layers(cr->ctx, HEGUI_ROLE_LANDUSE, &layers, &count);
    if (rc == HEGUI_OK && count > 0) {
        results = hegui_calloc(count, sizeof(*results));
        label = check_layers_label(layers, count);
        rc = results && label ? HEGUI_OK : HEGUI_ENOMEM;
        for (; done < count && rc == HEGUI_OK; done++)
            rc = landuse_layer(cr, rule, layers[done], &rows, &results[done]);
        if (rc == HEGUI_OK)
            rc = report_uncovered(cr->ctx, rule, label, results, done, min_area);
    }
    for (i = 0; i < done; i++)
        overlay_result_release(&results[i]);
    hegui_free(results);
    hegui_free(label);
    hegui_free(layers);
    hegui_free(rows.slots);
    if (rc < 0)
        return rc;
    /* touching patches leave slivers of no measurable area: no row */
    for (i = 0; i < run->landuse_count;) {
        hegui_run_landuse *row = &run->landuse[i];
        if (row->area_m2 >= 0.005) {
            i++;
            continue;
        }
        hegui_free(row->zone_code);
        hegui_free(row->zone_name);
        hegui_free(row->class_code);
        hegui_free(row->class_name);
        hegui_free(row->verdict);
        memmove(row, row + 1, (run->landuse_count - i - 1) * sizeof(*row));
        run->landuse_count--;
    }
    if (run->landuse_count > 1)
        qsort(run->landuse, run->landuse_count, sizeof(*run->landuse), compare_landuse);
    for (i = 0; i < run->landuse_count; i++) {
        double zone_area = check_zone_area(cr->ctx, run->landuse[i].zone_code);
        run->landuse[i].share_of_zone = zone_area > 0 ? run->landuse[i].area_m2 / zone_area : 0;
    }
    return HEGUI_OK;
}

typedef struct conflict_rule {
    const char *id;
    hegui_role role; /* the layer role it needs */
    int (*run)(conflict_run *cr, const hegui_rule_config *rule);
    /* why it could not run without that layer (hegui_run.not_checked);
     * NULL when the layer is optional (C05: other exclusion layers) */
    const char *missing;
} conflict_rule;

static const conflict_rule conflict_rules[] = {
    {"C01", HEGUI_ROLE_FARMLAND, rule_c01, "no farmland (永久基本农田) layer among the inputs"},
    {"C02", HEGUI_ROLE_REDLINE, rule_c02, "no redline (生态保护红线) layer among the inputs"},
    {"C03", HEGUI_ROLE_URBAN_BOUNDARY, rule_c03,
     "no urban_boundary (城镇开发边界) layer among the inputs"},
    {"C04", HEGUI_ROLE_LANDUSE, rule_c04, "no landuse (用地用海规划) layer among the inputs"},
    {"C05", HEGUI_ROLE_EXCLUSION, rule_c05, NULL},
};

int check_conflict_run(check_ctx *ctx, check_progress_cb progress, void *payload)
{
    overlay_options options;
    conflict_run cr;
    size_t i;
    int rc;
    memset(&options, 0, sizeof(options));
    options.threads = ctx->threads > 0 ? ctx->threads : 1;
    options.progress = progress;
    options.payload = payload;
    cr.ctx = ctx;
    cr.options = &options;
    for (i = 0; i < sizeof(conflict_rules) / sizeof(conflict_rules[0]); i++) {
        const hegui_rule_config *rule = check_rule(ctx, conflict_rules[i].id);
        if (!rule)
            continue;
        if (conflict_rules[i].missing &&
            !hegui_check_rule_has_input(ctx->catalog, conflict_rules[i].id)) {
            check_not_checked(ctx, conflict_rules[i].id, conflict_rules[i].missing);
            continue;
        }
        check_stage(ctx, conflict_rules[i].id);
        if ((rc = conflict_rules[i].run(&cr, rule)) < 0)
            return hegui_error_prefix("%s", conflict_rules[i].id);
    }
    return HEGUI_OK;
}

bool hegui_check_rule_has_input(const hegui_catalog *catalog, const char *id)
{
    size_t i, k;
    for (k = 0; k < sizeof(conflict_rules) / sizeof(conflict_rules[0]); k++) {
        if (strcmp(conflict_rules[k].id, id) != 0)
            continue;
        for (i = 0; i < catalog->count; i++) {
            if (catalog->layers[i].role == conflict_rules[k].role)
                return true;
        }
        return false;
    }
    return true;
}

const char *const *check_conflict_field_candidates(hegui_role role, const char *key)
{
    const key_field *keys;
    size_t n, i;
    switch (role) {
    case HEGUI_ROLE_FARMLAND:
        keys = farmland_fields, n = sizeof(farmland_fields) / sizeof(farmland_fields[0]);
        break;
    case HEGUI_ROLE_REDLINE:
        keys = redline_fields, n = sizeof(redline_fields) / sizeof(redline_fields[0]);
        break;
    case HEGUI_ROLE_URBAN_BOUNDARY:
        keys = boundary_fields, n = sizeof(boundary_fields) / sizeof(boundary_fields[0]);
        break;
    case HEGUI_ROLE_LANDUSE:
    case HEGUI_ROLE_PLAN_B:
        keys = landuse_fields, n = sizeof(landuse_fields) / sizeof(landuse_fields[0]);
        break;
    case HEGUI_ROLE_EXCLUSION:
        keys = exclusion_fields, n = sizeof(exclusion_fields) / sizeof(exclusion_fields[0]);
        break;
    default:
        return NULL;
    }
    for (i = 0; i < n; i++) {
        if (strcmp(keys[i].key, key) == 0)
            return keys[i].candidates;
    }
    return NULL;
}
