/*
 * survey.c - the survey rules S01-S07 (DESIGN.md 3): the zones survey
 * checked on its own. One function per rule, one entry in survey_rules[].
 */
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check_internal.h"

/* --- S01 invalid geometry --- */

/* True when g is a (multi)polygon. */
static bool is_polygonal(check_ctx *ctx, const GEOSGeometry *g)
{
    int type = GEOSGeomTypeId_r(ctx->h, g);
    return type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON;
}

static int s01_block(check_ctx *ctx, const hegui_rule_config *rule, check_block *b)
{
    hegui_finding f;
    char zh[512], en[512];
    char *reason = NULL;
    GEOSGeometry *location = NULL;
    int rc = HEGUI_OK;

    memset(&f, 0, sizeof(f));
    f.rule = "S01";
    f.severity = check_severity(rule, HEGUI_SEVERITY_ERROR);
    f.other_fid = -1;
    f.message_zh = zh;
    f.message_en = en;
    if (b->problems & HEGUI_FEATURE_NULL_GEOMETRY) {
        snprintf(zh, sizeof(zh), "要素没有几何图形（NULL）");
        snprintf(en, sizeof(en), "the feature has no geometry (NULL)");
        return check_emit(ctx, &f, b, NULL, false);
    }
    if (b->problems & HEGUI_FEATURE_EMPTY_GEOMETRY) {
        snprintf(zh, sizeof(zh), "几何图形为空");
        snprintf(en, sizeof(en), "the geometry is empty");
        return check_emit(ctx, &f, b, NULL, false);
    }
    if (b->problems & HEGUI_FEATURE_NONFINITE || !b->original) {
        snprintf(zh, sizeof(zh), "坐标含非有限值（NaN 或无穷大）");
        snprintf(en, sizeof(en), "coordinates are not finite (NaN or infinite)");
        return check_emit(ctx, &f, b, NULL, false);
    }
    if (!is_polygonal(ctx, b->original)) {
        snprintf(zh, sizeof(zh), "几何类型为 %s，应为面", GEOSGeomType_r(ctx->h, b->original));
        snprintf(en, sizeof(en), "the geometry is a %s, not a polygon",
                 GEOSGeomType_r(ctx->h, b->original));
        return check_emit(ctx, &f, b, NULL, false);
    }
    if (GEOSisValidDetail_r(ctx->h, b->original, 0, &reason, &location) != 0)
        goto done; /* valid (1), or exception (2) reported below */
    {
        double before = 0, x = 0, y = 0;
        GEOSArea_r(ctx->h, b->original, &before);
        if (location) {
            GEOSGeomGetX_r(ctx->h, location, &x);
            GEOSGeomGetY_r(ctx->h, location, &y);
        }
        snprintf(zh, sizeof(zh),
                 "几何无效：%s，位置 (%.3f, %.3f)；已按 STRUCTURE 方法修复后参与计算，面积 %.2f "
                 "平方米 → %.2f 平方米（变化 %+.2f）",
                 reason ? reason : "?", x, y, before, b->area_m2, b->area_m2 - before);
        snprintf(en, sizeof(en),
                 "invalid geometry: %s at (%.3f, %.3f); repaired (STRUCTURE) for computation "
                 "only, area %.2f m2 -> %.2f m2 (change %+.2f m2)",
                 reason ? reason : "?", x, y, before, b->area_m2, b->area_m2 - before);
        rc = check_emit(ctx, &f, b, location, false);
    }
done:
    if (reason)
        GEOSFree_r(ctx->h, reason);
    if (location)
        GEOSGeom_destroy_r(ctx->h, location);
    return rc;
}

static int rule_s01(check_ctx *ctx, const hegui_rule_config *rule)
{
    size_t i;
    int rc;
    for (i = 0; i < ctx->block_count; i++) {
        if ((rc = s01_block(ctx, rule, &ctx->blocks[i])) < 0)
            return rc;
    }
    return HEGUI_OK;
}

/* --- S02 overlapping blocks --- */

typedef struct overlap_query {
    size_t self;
    size_t *hits;
    size_t count, cap;
    int failed;
} overlap_query;

static void collect_hit(void *item, void *userdata)
{
    overlap_query *q = userdata;
    size_t j = (size_t)(uintptr_t)item - 1;
    if (j <= q->self || q->failed)
        return;
    if (q->count == q->cap) {
        size_t cap = q->cap ? 2 * q->cap : 8;
        size_t *grown = hegui_realloc(q->hits, cap * sizeof(*grown));
        if (!grown) {
            q->failed = 1;
            return;
        }
        q->hits = grown;
        q->cap = cap;
    }
    q->hits[q->count++] = j;
}

static int compare_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static int s02_pair(check_ctx *ctx, const hegui_rule_config *rule, double min_area, check_block *a,
                    check_block *b)
{
    GEOSGeometry *inter = GEOSIntersection_r(ctx->h, a->geom, b->geom), *poly;
    double area = 0;
    int rc = HEGUI_OK;
    char zh[512], en[512], other_attrs[256];
    hegui_finding f;
    if (!inter)
        return hegui_error_set(HEGUI_EGEOM, "GEOS cannot intersect blocks %lld and %lld",
                               (long long)a->fid, (long long)b->fid);
    poly = check_polygonal(ctx->h, inter);
    GEOSGeom_destroy_r(ctx->h, inter);
    if (!poly)
        return HEGUI_ENOMEM;
    GEOSArea_r(ctx->h, poly, &area);
    if (area <= 0) /* touching: a shared edge or point is no overlap */
        goto done;
    if (area <= min_area) {
        check_suppress(ctx, "S02");
        goto done;
    }
    memset(&f, 0, sizeof(f));
    f.rule = "S02";
    f.severity = check_severity(rule, HEGUI_SEVERITY_ERROR);
    f.other_layer = b->layer->layer_name;
    f.other_fid = b->fid;
    snprintf(other_attrs, sizeof(other_attrs), "KFQDM=%s; QKMC=%s", check_block_code(b),
             check_block_label(b));
    f.other_attrs = other_attrs;
    snprintf(zh, sizeof(zh), "区块「%s」与「%s」（%s 要素 %lld）重叠 %.2f 平方米",
             check_block_label(a), check_block_label(b), b->layer->layer_name, (long long)b->fid,
             area);
    snprintf(en, sizeof(en), "block '%s' overlaps '%s' (%s feature %lld) by %.2f m2",
             check_block_label(a), check_block_label(b), b->layer->layer_name, (long long)b->fid,
             area);
    f.message_zh = zh;
    f.message_en = en;
    rc = check_emit(ctx, &f, a, poly, true);
done:
    GEOSGeom_destroy_r(ctx->h, poly);
    return rc;
}

static int rule_s02(check_ctx *ctx, const hegui_rule_config *rule)
{
    double min_area = hegui_rule_number(rule, "min_area_m2", ctx->config->min_area_m2);
    GEOSSTRtree *tree = GEOSSTRtree_create_r(ctx->h, 10);
    overlap_query q;
    size_t i, k;
    int rc = HEGUI_OK;
    if (!tree)
        return hegui_error_set(HEGUI_EGEOM, "GEOS cannot create an STRtree");
    memset(&q, 0, sizeof(q));
    for (i = 0; i < ctx->block_count; i++) {
        if (ctx->blocks[i].geom && GEOSisEmpty_r(ctx->h, ctx->blocks[i].geom) == 0)
            GEOSSTRtree_insert_r(ctx->h, tree, ctx->blocks[i].geom, (void *)(uintptr_t)(i + 1));
    }
    for (i = 0; i < ctx->block_count && rc == HEGUI_OK; i++) {
        check_block *a = &ctx->blocks[i];
        const GEOSPreparedGeometry *prep;
        if (!a->geom || GEOSisEmpty_r(ctx->h, a->geom) != 0)
            continue;
        q.self = i;
        q.count = 0;
        GEOSSTRtree_query_r(ctx->h, tree, a->geom, collect_hit, &q);
        if (q.failed) {
            rc = HEGUI_ENOMEM;
            break;
        }
        if (q.count == 0)
            continue;
        /* the tree's order is not ours: sort for deterministic output */
        qsort(q.hits, q.count, sizeof(size_t), compare_size);
        prep = GEOSPrepare_r(ctx->h, a->geom);
        for (k = 0; k < q.count && rc == HEGUI_OK; k++) {
            check_block *b = &ctx->blocks[q.hits[k]];
            char hit = GEOSPreparedIntersects_r(ctx->h, prep, b->geom);
            if (hit == 2)
                rc = hegui_error_set(HEGUI_EGEOM, "GEOS intersects failed on blocks %lld/%lld",
                                     (long long)a->fid, (long long)b->fid);
            else if (hit == 1)
                rc = s02_pair(ctx, rule, min_area, a, b);
        }
        GEOSPreparedGeom_destroy_r(ctx->h, prep);
    }
    hegui_free(q.hits);
    GEOSSTRtree_destroy_r(ctx->h, tree);
    return rc;
}

/* --- S03 surveyed vs declared area --- */

/* Parses a declared area in hectares. false when text is no number. */
static bool parse_ha(const char *text, double *out)
{
    char *end;
    double v;
    if (!text || !*text)
        return false;
    v = strtod(text, &end);
    while (*end == ' ')
        end++;
    if (*end || !isfinite(v))
        return false;
    *out = v;
    return true;
}

/* One comparison; where names the block or zone in both languages. */
static int s03_compare(check_ctx *ctx, const hegui_rule_config *rule, const check_block *b,
                       const char *what_zh, const char *what_en, const char *field,
                       double declared_ha, double planar, double ellipsoidal)
{
    bool use_ellipsoidal = strcmp(hegui_rule_string(rule, "area_method", "planar"),
                                  "ellipsoidal") == 0;
    double surveyed = use_ellipsoidal ? ellipsoidal : planar;
    double declared = declared_ha * HEGUI_M2_PER_HA;
    double delta = surveyed - declared;
    double pass_m2 = hegui_rule_number(rule, "pass_m2", 1.0);
    double warn_ratio = hegui_rule_number(rule, "warn_ratio", 0.001);
    hegui_severity level;
    hegui_finding f;
    char zh[512], en[512], attrs[128];
    if (fabs(delta) <= pass_m2)
        return HEGUI_OK;
    level = fabs(delta) <= warn_ratio * fabs(declared) ? HEGUI_SEVERITY_WARNING
                                                       : HEGUI_SEVERITY_ERROR;
    memset(&f, 0, sizeof(f));
    f.rule = "S03";
    f.severity = check_severity(rule, level);
    f.other_fid = -1;
    f.has_area = true;
    f.area_m2 = planar;
    f.area_ellipsoidal_m2 = ellipsoidal;
    f.share_of_zone = -1;
    snprintf(attrs, sizeof(attrs), "%s=%.4f", field, declared_ha);
    f.subject_attrs = attrs;
    snprintf(zh, sizeof(zh),
             "%s勘测面积 %.2f 平方米（%s）与申报面积 %s=%.4f 公顷（%.2f 平方米）相差 %+.2f 平方米"
             "（%+.4f%%）",
             what_zh, surveyed, use_ellipsoidal ? "椭球面积" : "平面面积", field, declared_ha,
             declared, delta, declared != 0 ? 100.0 * delta / declared : 0.0);
    snprintf(en, sizeof(en),
             "%s: surveyed %s area %.2f m2 differs from the declared %s=%.4f ha (%.2f m2) by "
             "%+.2f m2 (%+.4f%%)",
             what_en, use_ellipsoidal ? "ellipsoidal" : "planar", surveyed, field, declared_ha,
             declared, delta, declared != 0 ? 100.0 * delta / declared : 0.0);
    f.message_zh = zh;
    f.message_en = en;
    return check_emit(ctx, &f, b, NULL, false);
}

static int rule_s03(check_ctx *ctx, const hegui_rule_config *rule)
{
    size_t i, j;
    int rc;
    /* each block against its declared area */
    for (i = 0; i < ctx->block_count; i++) {
        check_block *b = &ctx->blocks[i];
        double ha;
        char zh[160], en[160];
        if (!b->geom || !parse_ha(b->values[ZONE_FIELD_BLOCK_HA], &ha))
            continue;
        snprintf(zh, sizeof(zh), "区块「%s」", check_block_label(b));
        snprintf(en, sizeof(en), "block '%s'", check_block_label(b));
        if ((rc = s03_compare(ctx, rule, b, zh, en, "QKMJ", ha, b->area_m2,
                              b->area_ellipsoidal_m2)) < 0)
            return rc;
    }
    /* each zone (first block of its code) against its approved area */
    for (i = 0; i < ctx->block_count; i++) {
        check_block *b = &ctx->blocks[i];
        const char *code = check_block_code(b);
        double ha, planar = 0, ellipsoidal = 0;
        bool first = true, complete = true;
        char zh[300], en[300];
        if (!*code || !parse_ha(b->values[ZONE_FIELD_APPROVED_HA], &ha))
            continue;
        for (j = 0; j < ctx->block_count; j++) {
            const check_block *other = &ctx->blocks[j];
            /* a block of this zone's name without a code leaves the total
             * unknown (S05 reports the missing code) */
            if (!*check_block_code(other) && *check_block_name(b) &&
                strcmp(check_block_name(other), check_block_name(b)) == 0)
                complete = false;
            if (strcmp(check_block_code(other), code) != 0)
                continue;
            if (j < i)
                first = false;
            complete = complete && ctx->blocks[j].geom;
            planar += ctx->blocks[j].area_m2;
            ellipsoidal += ctx->blocks[j].area_ellipsoidal_m2;
        }
        if (!first || !complete)
            continue;
        snprintf(zh, sizeof(zh), "开发区 %s「%s」全部区块", code, check_block_name(b));
        snprintf(en, sizeof(en), "zone %s (all blocks)", code);
        if ((rc = s03_compare(ctx, rule, b, zh, en, "HZMJ", ha, planar, ellipsoidal)) < 0)
            return rc;
    }
    return HEGUI_OK;
}

/* --- S04 CRS --- */

static int s04_layer(check_ctx *ctx, const hegui_rule_config *rule, const hegui_layer_info *l)
{
    hegui_severity severity;
    char zh[700], en[700];
    int rc;
    if (l->crs_assigned) {
        severity = check_severity(rule, HEGUI_SEVERITY_WARNING);
        snprintf(zh, sizeof(zh), "数据未带坐标系，按用户指定的 EPSG:%d 处理", l->crs.epsg);
        snprintf(en, sizeof(en), "the data has no CRS of its own; EPSG:%d was assigned by the user",
                 l->crs.epsg);
        if ((rc = check_emit_layer(ctx, "S04", severity, l, zh, en)) < 0)
            return rc;
    }
    if (l->crs.datum == HEGUI_DATUM_XIAN80 || l->crs.datum == HEGUI_DATUM_BEIJING54) {
        severity = check_severity(rule, HEGUI_SEVERITY_WARNING);
        snprintf(zh, sizeof(zh),
                 "坐标系为 %s（%s），不是 2000 国家大地坐标系；PROJ 没有到 CGCS2000 的实测转换参数"
                 "（仅零偏移近似），请提供 CGCS2000 成果",
                 l->crs.name, hegui_datum_name(l->crs.datum));
        snprintf(en, sizeof(en),
                 "the CRS is %s (%s), not CGCS2000; PROJ has no real transformation to CGCS2000 "
                 "(only a no-op ballpark), so positions may be off by up to about 100 m: deliver "
                 "CGCS2000 coordinates",
                 l->crs.name, hegui_datum_name(l->crs.datum));
        if ((rc = check_emit_layer(ctx, "S04", severity, l, zh, en)) < 0)
            return rc;
    } else if (l->crs.datum != HEGUI_DATUM_CGCS2000) {
        severity = check_severity(rule, HEGUI_SEVERITY_ERROR);
        snprintf(zh, sizeof(zh), "坐标系 %s 不是 2000 国家大地坐标系（CGCS2000）", l->crs.name);
        snprintf(en, sizeof(en), "the CRS '%s' is not CGCS2000", l->crs.name);
        if ((rc = check_emit_layer(ctx, "S04", severity, l, zh, en)) < 0)
            return rc;
    }
    if (l->coord_check.issue != HEGUI_COORD_OK && l->coord_check.issue != HEGUI_COORD_UNKNOWN) {
        severity = check_severity(rule, HEGUI_SEVERITY_ERROR);
        snprintf(zh, sizeof(zh), "坐标与坐标系矛盾（%s）：%s%s",
                 hegui_coord_issue_name(l->coord_check.issue), l->coord_check.message,
                 l->coord_check.suggested_epsg ? "；本次按建议的坐标系计算" : "");
        snprintf(en, sizeof(en), "coordinates contradict the CRS (%s): %s%s",
                 hegui_coord_issue_name(l->coord_check.issue), l->coord_check.message,
                 l->coord_check.suggested_epsg ? "; computed in the suggested CRS this run" : "");
        return check_emit_layer(ctx, "S04", severity, l, zh, en);
    }
    if (l->crs.gk_width && !l->crs.geographic) {
        double lon_min, lon_max, half = l->crs.gk_width / 2.0, cm = l->crs.central_meridian;
        if (hegui_layer_lon_range(&lon_min, &lon_max, l) == HEGUI_OK &&
            (lon_min < cm - half - 0.01 || lon_max > cm + half + 0.01)) {
            severity = check_severity(rule, HEGUI_SEVERITY_WARNING);
            snprintf(zh, sizeof(zh),
                     "数据经度 %.3f°–%.3f° 超出 %d° 带第 %d 带（中央经线 %.0f°E，±%.1f°）",
                     lon_min, lon_max, l->crs.gk_width, l->crs.gk_zone, cm, half);
            snprintf(en, sizeof(en),
                     "the data spans longitudes %.3f-%.3f, outside %d-degree GK zone %d (CM "
                     "%.0fE +-%.1f)",
                     lon_min, lon_max, l->crs.gk_width, l->crs.gk_zone, cm, half);
            return check_emit_layer(ctx, "S04", severity, l, zh, en);
        }
    }
    return HEGUI_OK;
}

static int rule_s04(check_ctx *ctx, const hegui_rule_config *rule)
{
    size_t i;
    int rc;
    for (i = 0; i < ctx->catalog->count; i++) {
        const hegui_layer_info *l = &ctx->catalog->layers[i];
        if (l->role == HEGUI_ROLE_ZONES && (rc = s04_layer(ctx, rule, l)) < 0)
            return rc;
    }
    return HEGUI_OK;
}

/* --- S05 attributes --- */

static int s05_emit(check_ctx *ctx, const hegui_rule_config *rule, const check_block *b,
                    const char *zh, const char *en)
{
    hegui_finding f;
    memset(&f, 0, sizeof(f));
    f.rule = "S05";
    f.severity = check_severity(rule, HEGUI_SEVERITY_ERROR);
    f.other_fid = -1;
    f.message_zh = (char *)zh;
    f.message_en = (char *)en;
    return check_emit(ctx, &f, b, NULL, false);
}

/* Per-block attribute checks. */
static int s05_block(check_ctx *ctx, const hegui_rule_config *rule, const regex_t *pattern,
                     const check_block *b, const char *const *names)
{
    char zh[400], en[400];
    const char *code = b->values[ZONE_FIELD_CODE];
    double ha;
    int rc;
    static const char *const label_zh[ZONE_FIELD_COUNT] = {"开发区代码", "开发区名称", "区块名称",
                                                           "核准面积",   "区块面积",   "主导产业",
                                                           "级别"};
    static const int required[] = {ZONE_FIELD_CODE, ZONE_FIELD_NAME, ZONE_FIELD_APPROVED_HA,
                                   ZONE_FIELD_INDUSTRIES};
    size_t k;
    for (k = 0; k < sizeof(required) / sizeof(required[0]); k++) {
        int field = required[k];
        if (b->values[field] || !names[field])
            continue; /* a field the layer lacks is reported once per layer */
        snprintf(zh, sizeof(zh), "%s（%s）为空", label_zh[field],
                 names[field] ? names[field] : check_zone_field_keys[field]);
        snprintf(en, sizeof(en), "%s (%s) is missing", check_zone_field_keys[field],
                 names[field] ? names[field] : "no such field");
        if ((rc = s05_emit(ctx, rule, b, zh, en)) < 0)
            return rc;
    }
    if (code && regexec(pattern, code, 0, NULL, 0) != 0) {
        snprintf(zh, sizeof(zh), "开发区代码「%s」格式不符（应为 G 或 S 加 6 位数字，如 G141061）",
                 code);
        snprintf(en, sizeof(en),
                 "zone code '%s' is malformed (expected G or S and 6 digits, e.g. G141061)", code);
        if ((rc = s05_emit(ctx, rule, b, zh, en)) < 0)
            return rc;
    }
    if (b->values[ZONE_FIELD_APPROVED_HA] &&
        (!parse_ha(b->values[ZONE_FIELD_APPROVED_HA], &ha) || ha <= 0)) {
        snprintf(zh, sizeof(zh), "核准面积「%s」不是正数（公顷）", b->values[ZONE_FIELD_APPROVED_HA]);
        snprintf(en, sizeof(en), "approved area '%s' is not a positive number of hectares",
                 b->values[ZONE_FIELD_APPROVED_HA]);
        if ((rc = s05_emit(ctx, rule, b, zh, en)) < 0)
            return rc;
    }
    if (b->values[ZONE_FIELD_BLOCK_HA] &&
        (!parse_ha(b->values[ZONE_FIELD_BLOCK_HA], &ha) || ha <= 0)) {
        snprintf(zh, sizeof(zh), "区块面积「%s」不是正数（公顷）", b->values[ZONE_FIELD_BLOCK_HA]);
        snprintf(en, sizeof(en), "block area '%s' is not a positive number of hectares",
                 b->values[ZONE_FIELD_BLOCK_HA]);
        if ((rc = s05_emit(ctx, rule, b, zh, en)) < 0)
            return rc;
    }
    return HEGUI_OK;
}

/* Consistency across the blocks of a zone: one code per name, one name per
 * code, one approved area per code. Reported on the later block. */
static int s05_consistency(check_ctx *ctx, const hegui_rule_config *rule, size_t i)
{
    const check_block *b = &ctx->blocks[i];
    char zh[400], en[400];
    size_t j;
    for (j = 0; j < i; j++) {
        const check_block *a = &ctx->blocks[j];
        const char *ca = a->values[ZONE_FIELD_CODE], *cb = b->values[ZONE_FIELD_CODE];
        const char *na = a->values[ZONE_FIELD_NAME], *nb = b->values[ZONE_FIELD_NAME];
        double ha_a, ha_b;
        if (ca && cb && strcmp(ca, cb) == 0 && na && nb && strcmp(na, nb) != 0) {
            snprintf(zh, sizeof(zh), "开发区代码 %s 同时用于「%s」和「%s」", cb, na, nb);
            snprintf(en, sizeof(en), "zone code %s is used by two zone names: '%s' and '%s'", cb,
                     na, nb);
            return s05_emit(ctx, rule, b, zh, en);
        }
        if (na && nb && strcmp(na, nb) == 0 && ca && cb && strcmp(ca, cb) != 0) {
            snprintf(zh, sizeof(zh), "开发区「%s」的区块代码不一致：%s 与 %s", nb, ca, cb);
            snprintf(en, sizeof(en), "the blocks of zone '%s' have different codes: %s and %s",
                     nb, ca, cb);
            return s05_emit(ctx, rule, b, zh, en);
        }
        if (ca && cb && strcmp(ca, cb) == 0 && parse_ha(a->values[ZONE_FIELD_APPROVED_HA], &ha_a) &&
            parse_ha(b->values[ZONE_FIELD_APPROVED_HA], &ha_b) && fabs(ha_a - ha_b) > 1e-9) {
            snprintf(zh, sizeof(zh), "开发区 %s 各区块的核准面积不一致：%.4f 与 %.4f 公顷", cb, ha_a,
                     ha_b);
            snprintf(en, sizeof(en),
                     "the blocks of zone %s declare different approved areas: %.4f and %.4f ha",
                     cb, ha_a, ha_b);
            return s05_emit(ctx, rule, b, zh, en);
        }
    }
    return HEGUI_OK;
}

/* A required field the whole layer lacks: one finding for the layer. */
static int s05_missing_fields(check_ctx *ctx, const hegui_rule_config *rule)
{
    static const int required[] = {ZONE_FIELD_CODE, ZONE_FIELD_NAME, ZONE_FIELD_APPROVED_HA,
                                   ZONE_FIELD_INDUSTRIES};
    static const char *const usual[ZONE_FIELD_COUNT] = {"KFQDM", "KFQMC", "QKMC", "HZMJ",
                                                        "QKMJ", "ZDCY", "JB"};
    size_t i, k;
    int rc;
    for (i = 0; i < ctx->catalog->count; i++) {
        const hegui_layer_info *l = &ctx->catalog->layers[i];
        if (l->role != HEGUI_ROLE_ZONES)
            continue;
        for (k = 0; k < sizeof(required) / sizeof(required[0]); k++) {
            int field = required[k];
            char zh[400], en[400];
            if (ctx->zone_fields[i][field])
                continue;
            snprintf(zh, sizeof(zh),
                     "图层缺少字段 %s（%s）；若字段另有名称，请在规则文件的 fields 中指明",
                     usual[field], check_zone_field_keys[field]);
            snprintf(en, sizeof(en),
                     "the layer has no %s field (%s); if it has another name, map it under "
                     "'fields:' in the rules file",
                     usual[field], check_zone_field_keys[field]);
            if ((rc = check_emit_layer(ctx, "S05", check_severity(rule, HEGUI_SEVERITY_ERROR), l,
                                       zh, en)) < 0)
                return rc;
        }
    }
    return HEGUI_OK;
}

static int rule_s05(check_ctx *ctx, const hegui_rule_config *rule)
{
    const char *pattern_text = hegui_rule_string(rule, "code_pattern", "^[GS][0-9]{6}$");
    regex_t pattern;
    size_t i, layer_index;
    int rc = HEGUI_OK;
    if (regcomp(&pattern, pattern_text, REG_EXTENDED | REG_NOSUB) != 0)
        return hegui_error_set(HEGUI_ECONFIG, "%s: S05 code_pattern '%s' is not a valid regular "
                                              "expression",
                               ctx->config->source, pattern_text);
    rc = s05_missing_fields(ctx, rule);
    for (i = 0; i < ctx->block_count && rc == HEGUI_OK; i++) {
        const check_block *b = &ctx->blocks[i];
        layer_index = (size_t)(b->layer - ctx->catalog->layers);
        rc = s05_block(ctx, rule, &pattern, b, ctx->zone_fields[layer_index]);
        if (rc == HEGUI_OK)
            rc = s05_consistency(ctx, rule, i);
    }
    regfree(&pattern);
    return rc;
}

/* --- S06 slivers and spikes --- */

static int s06_part(check_ctx *ctx, const hegui_rule_config *rule, const check_block *b,
                    const GEOSGeometry *part, double min_area, double min_width)
{
    hegui_finding f;
    char zh[400], en[400];
    double area = 0, clearance = 0;
    GEOSGeometry *simple = NULL, *line = NULL;
    int rc = HEGUI_OK;
    memset(&f, 0, sizeof(f));
    f.rule = "S06";
    f.severity = check_severity(rule, HEGUI_SEVERITY_ERROR);
    f.other_fid = -1;
    f.message_zh = zh;
    f.message_en = en;
    GEOSArea_r(ctx->h, part, &area);
    if (area < min_area) {
        snprintf(zh, sizeof(zh), "碎片：区块的一个部分面积仅 %.3f 平方米（下限 %.3f）", area,
                 min_area);
        snprintf(en, sizeof(en), "sliver: a part of the block has only %.3f m2 (minimum %.3f)",
                 area, min_area);
        return check_emit(ctx, &f, b, part, true);
    }
    /* redundant near-collinear vertices are not spikes: drop them first */
    simple = GEOSTopologyPreserveSimplify_r(ctx->h, part, min_width / 10.0);
    if (!simple)
        return hegui_error_set(HEGUI_EGEOM, "GEOS cannot simplify block %lld", (long long)b->fid);
    if (GEOSMinimumClearance_r(ctx->h, simple, &clearance) == 0 && clearance < min_width) {
        double x = 0, y = 0;
        line = GEOSMinimumClearanceLine_r(ctx->h, simple);
        if (line && GEOSGeomTypeId_r(ctx->h, line) == GEOS_LINESTRING) {
            const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(ctx->h, line);
            GEOSCoordSeq_getXY_r(ctx->h, seq, 0, &x, &y);
        }
        snprintf(zh, sizeof(zh), "尖刺或狭长部分：最小间距 %.3f 米（下限 %.3f 米），位置 (%.3f, %.3f)",
                 clearance, min_width, x, y);
        snprintf(en, sizeof(en),
                 "spike or narrow part: minimum clearance %.3f m (minimum %.3f m) at (%.3f, %.3f)",
                 clearance, min_width, x, y);
        rc = check_emit(ctx, &f, b, line, false);
    }
    if (line)
        GEOSGeom_destroy_r(ctx->h, line);
    GEOSGeom_destroy_r(ctx->h, simple);
    return rc;
}

static int rule_s06(check_ctx *ctx, const hegui_rule_config *rule)
{
    double min_area = hegui_rule_number(rule, "min_area_m2", 1.0);
    double min_width = hegui_rule_number(rule, "min_width_m", 0.5);
    size_t i;
    int rc = HEGUI_OK, n, k;
    for (i = 0; i < ctx->block_count && rc == HEGUI_OK; i++) {
        const check_block *b = &ctx->blocks[i];
        if (!b->geom)
            continue;
        n = GEOSGetNumGeometries_r(ctx->h, b->geom);
        for (k = 0; k < n && rc == HEGUI_OK; k++) {
            const GEOSGeometry *part = GEOSGetGeometryN_r(ctx->h, b->geom, k);
            if (GEOSisEmpty_r(ctx->h, part) == 0)
                rc = s06_part(ctx, rule, b, part, min_area, min_width);
        }
    }
    return rc;
}

/* --- S07 boundary-point file format --- */

/* The block read from parcel `parcel` of layer l (the TXT's features are
 * its parcels in file order, FID = index), or NULL. */
static const check_block *s07_block(const check_ctx *ctx, const hegui_layer_info *l, long parcel)
{
    size_t i;
    for (i = 0; parcel >= 0 && i < ctx->block_count; i++) {
        if (ctx->blocks[i].layer == l && ctx->blocks[i].fid == parcel)
            return &ctx->blocks[i];
    }
    return NULL;
}

/* Every problem the boundary-point TXT parser recorded (io/txt.c), as a
 * finding with the file and line; the parser's severity is kept (warnings
 * and notes are never raised). */
static int rule_s07(check_ctx *ctx, const hegui_rule_config *rule)
{
    size_t i, k;
    int rc;
    for (i = 0; i < ctx->catalog->count; i++) {
        const hegui_layer_info *l = &ctx->catalog->layers[i];
        for (k = 0; k < l->txt_problem_count; k++) {
            const hegui_txt_problem *pr = &l->txt_problems[k];
            const check_block *b = s07_block(ctx, l, pr->parcel);
            hegui_finding f;
            char zh[1200], en[1200], attrs[64];
            memset(&f, 0, sizeof(f));
            f.rule = "S07";
            f.severity = check_severity(rule, pr->severity);
            f.layer = l->layer_name;
            f.layer_path = l->path;
            f.fid = pr->parcel >= 0 ? pr->parcel : -1;
            f.other_fid = -1;
            if (pr->line > 0) {
                snprintf(attrs, sizeof(attrs), "line=%d", pr->line);
                snprintf(zh, sizeof(zh), "第 %d 行：%s", pr->line, pr->message_zh);
                snprintf(en, sizeof(en), "line %d: %s", pr->line, pr->message_en);
            } else {
                snprintf(attrs, sizeof(attrs), "line=");
                snprintf(zh, sizeof(zh), "%s", pr->message_zh);
                snprintf(en, sizeof(en), "%s", pr->message_en);
            }
            f.subject_attrs = attrs;
            f.message_zh = zh;
            f.message_en = en;
            if ((rc = check_emit(ctx, &f, b, NULL, false)) < 0)
                return rc;
        }
    }
    return HEGUI_OK;
}

/* --- the family's table --- */

typedef struct survey_rule {
    const char *id;
    int (*run)(check_ctx *ctx, const hegui_rule_config *rule);
} survey_rule;

static const survey_rule survey_rules[] = {
    {"S01", rule_s01}, {"S02", rule_s02}, {"S03", rule_s03}, {"S04", rule_s04},
    {"S05", rule_s05}, {"S06", rule_s06}, {"S07", rule_s07},
};

int check_survey_run(check_ctx *ctx)
{
    size_t i;
    int rc;
    for (i = 0; i < sizeof(survey_rules) / sizeof(survey_rules[0]); i++) {
        const hegui_rule_config *rule = check_rule(ctx, survey_rules[i].id);
        if (!rule)
            continue;
        check_stage(ctx, survey_rules[i].id);
        if ((rc = survey_rules[i].run(ctx, rule)) < 0)
            return hegui_error_prefix("%s", survey_rules[i].id);
    }
    return HEGUI_OK;
}
