/*
 * industry.c - the industry rules (DESIGN.md 3, DOMAIN.md 8-9): I01 an
 * enterprise inside a zone outside the zone's leading industries, I02 a
 * polluting plant outside every zone near the urban area (relocation
 * candidate), I03 land-use intensity per 亩 (以亩均论英雄). One function
 * per rule, one entry in industry_rules[].
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check_internal.h"

enum {
    ENT_NAME,
    ENT_CODE,
    ENT_INVESTMENT,
    ENT_OUTPUT,
    ENT_TAX,
    ENT_LAND,
    ENT_COMPLIANT,
    ENT_FIELD_COUNT
};

static const char *const ent_keys[ENT_FIELD_COUNT] = {
    "name", "industry_code", "investment", "output", "tax", "land_area_m2", "env_compliant"};
static const char *const ent_defaults[ENT_FIELD_COUNT][4] = {
    {"QYMC", "企业名称", "MC", NULL}, {"HYDM", "行业代码", NULL},  {"TZE", "投资额", NULL},
    {"CZ", "产值", NULL},             {"SS", "税收", NULL},        {"YDMJ", "用地面积", NULL},
    {"HPDB", "环评达标", NULL}};

#define NO_BLOCK SIZE_MAX

typedef struct enterprise {
    const hegui_layer_info *layer;
    int64_t fid;
    char *values[ENT_FIELD_COUNT];
    GEOSGeometry *geom; /* point or parcel, working CRS; NULL when none */
    size_t block;       /* the block it belongs to, or NO_BLOCK */
    double land_m2;     /* parcel area, else YDMJ; NAN when unknown */
} enterprise;

typedef struct industry_state {
    check_ctx *ctx;
    enterprise *items;
    size_t count;
    const hegui_value *labels; /* I01 industries: label -> code prefixes */
    bool numeric_told;         /* report_numeric_codes has run (I01, else I02) */
} industry_state;

static const char *value_or(const enterprise *e, int field, const char *fallback)
{
    return e->values[field] && *e->values[field] ? e->values[field] : fallback;
}

/* A number as registers write them: thousands separators ("1,200.5") are
 * taken out; an amount (money, in 万元 as DESIGN.md 2 has it) may end in
 * its unit, 万元 or 万. Else false: text that is not a number. */
static bool parse_number(const char *text, bool amount, double *out)
{
    char buf[64], *end;
    size_t n = 0;
    double v;
    if (!text || !*text)
        return false;
    for (; *text && n + 1 < sizeof(buf); text++) {
        if (*text != ',')
            buf[n++] = *text;
    }
    if (*text)
        return false; /* too long to be a number */
    buf[n] = '\0';
    v = strtod(buf, &end);
    if (end == buf)
        return false;
    while (*end == ' ')
        end++;
    if (amount && strncmp(end, "万元", strlen("万元")) == 0)
        end += strlen("万元");
    else if (amount && strncmp(end, "万", strlen("万")) == 0)
        end += strlen("万");
    while (*end == ' ')
        end++;
    if (*end || !isfinite(v))
        return false;
    *out = v;
    return true;
}

/* --- leading industries --- */

static bool all_digits(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
    }
    return n > 0;
}

/* Calls visit(prefix) for every GB/T 4754 code prefix of a list of labels
 * or codes separated by 、 , ， ; ； / or spaces (ZDCY, or a rules list
 * entry). Unknown labels are passed to unknown(label) when given. */
typedef struct prefix_visit {
    const char *code;  /* the enterprise code to test */
    bool covered;
    char unknown[128]; /* first label the map does not know */
} prefix_visit;

static void visit_prefix(prefix_visit *v, const char *prefix, size_t n)
{
    if (v->code && strlen(v->code) >= n && strncmp(v->code, prefix, n) == 0)
        v->covered = true;
}

static void visit_token(const industry_state *st, prefix_visit *v, const char *tok, size_t n)
{
    char label[128];
    const hegui_value *codes;
    size_t i;
    if (n == 0)
        return;
    if (all_digits(tok, n)) {
        visit_prefix(v, tok, n);
        return;
    }
    if (n >= sizeof(label))
        n = sizeof(label) - 1;
    memcpy(label, tok, n);
    label[n] = '\0';
    codes = st->labels ? hegui_value_get(st->labels, label) : NULL;
    if (!codes || codes->kind != HEGUI_VALUE_LIST) {
        if (!v->unknown[0])
            snprintf(v->unknown, sizeof(v->unknown), "%s", label);
        return;
    }
    for (i = 0; i < codes->count; i++) {
        if (codes->items[i].kind == HEGUI_VALUE_SCALAR)
            visit_prefix(v, codes->items[i].scalar, strlen(codes->items[i].scalar));
    }
}

/* Length of the separator at s (0 when none). */
static size_t separator_len(const char *s)
{
    static const char *const seps[] = {"、", "，", "；", ",", ";", "/", " ", "\t", NULL};
    size_t i;
    for (i = 0; seps[i]; i++) {
        size_t n = strlen(seps[i]);
        if (strncmp(s, seps[i], n) == 0)
            return n;
    }
    return 0;
}

static void visit_list(const industry_state *st, prefix_visit *v, const char *list)
{
    const char *p = list, *start = list;
    while (p && *p) {
        size_t sep = separator_len(p);
        if (sep) {
            visit_token(st, v, start, (size_t)(p - start));
            p += sep;
            start = p;
        } else {
            p++;
        }
    }
    if (list)
        visit_token(st, v, start, strlen(start));
}

/* Leading industries of a block: its own ZDCY, else another block's of the
 * same zone. NULL when none is known. */
static const char *leading_of(const check_ctx *ctx, size_t block)
{
    const check_block *b = &ctx->blocks[block];
    size_t i;
    if (b->values[ZONE_FIELD_INDUSTRIES])
        return b->values[ZONE_FIELD_INDUSTRIES];
    for (i = 0; i < ctx->block_count; i++) {
        const check_block *o = &ctx->blocks[i];
        if (o->values[ZONE_FIELD_INDUSTRIES] && *check_block_code(b) &&
            strcmp(check_block_code(o), check_block_code(b)) == 0)
            return o->values[ZONE_FIELD_INDUSTRIES];
    }
    return NULL;
}

/* --- loading --- */

/* The block holding an enterprise: for a point, the first block that
 * contains or touches it; for a parcel, the block holding the larger
 * share of it (ties: the lower index, i.e. catalog order). */
static size_t find_block(check_ctx *ctx, const GEOSGeometry *g)
{
    int type = GEOSGeomTypeId_r(ctx->h, g);
    size_t i, best = NO_BLOCK;
    double best_area = 0;
    for (i = 0; i < ctx->block_count; i++) {
        const GEOSGeometry *bg = ctx->blocks[i].geom;
        if (!bg || GEOSisEmpty_r(ctx->h, bg) != 0)
            continue;
        if (type == GEOS_POINT || type == GEOS_MULTIPOINT) {
            if (GEOSIntersects_r(ctx->h, bg, g) == 1)
                return i;
        } else if (GEOSIntersects_r(ctx->h, bg, g) == 1) {
            GEOSGeometry *inter = GEOSIntersection_r(ctx->h, bg, g);
            double area = 0;
            if (inter) {
                GEOSArea_r(ctx->h, inter, &area);
                GEOSGeom_destroy_r(ctx->h, inter);
            }
            if (area > best_area) {
                best_area = area;
                best = i;
            }
        }
    }
    return best;
}

static int load_layer(industry_state *st, const hegui_layer_info *layer)
{
    check_ctx *ctx = st->ctx;
    const char *names[ENT_FIELD_COUNT];
    hegui_reader *reader = NULL;
    hegui_feature f;
    size_t k;
    int rc, got;
    for (k = 0; k < ENT_FIELD_COUNT; k++)
        names[k] = check_field_name(layer, ent_keys[k], ent_defaults[k]);
    if ((rc = hegui_reader_open(&reader, layer, names, ENT_FIELD_COUNT,
                                ctx->run->working_crs.epsg, NULL)) < 0)
        return rc;
    while ((got = hegui_reader_next(reader, &f)) == 1) {
        enterprise *e;
        void *g = NULL;
        double land;
        if (st->count % 64 == 0) {
            enterprise *grown = hegui_realloc(st->items, (st->count + 64) * sizeof(*grown));
            if (!grown) {
                rc = HEGUI_ENOMEM;
                goto done;
            }
            st->items = grown;
        }
        e = &st->items[st->count++];
        memset(e, 0, sizeof(*e));
        e->layer = layer;
        e->fid = f.fid;
        e->block = NO_BLOCK;
        e->land_m2 = NAN;
        for (k = 0; k < ENT_FIELD_COUNT; k++) {
            if (f.values[k] && *f.values[k] && !(e->values[k] = hegui_strdup(f.values[k]))) {
                rc = HEGUI_ENOMEM;
                goto done;
            }
        }
        if (f.wkb && !(f.problems & (HEGUI_FEATURE_NONFINITE | HEGUI_FEATURE_EMPTY_GEOMETRY)) &&
            hegui_geom_from_wkb(&g, ctx->geom_ctx, f.wkb, f.wkb_size) == HEGUI_OK) {
            int type = GEOSGeomTypeId_r(ctx->h, g);
            e->geom = g;
            e->block = find_block(ctx, e->geom);
            if (type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON)
                GEOSArea_r(ctx->h, e->geom, &e->land_m2);
        }
        if (isnan(e->land_m2) && parse_number(e->values[ENT_LAND], false, &land) && land > 0)
            e->land_m2 = land;
    }
    rc = got < 0 ? got : HEGUI_OK;
done:
    hegui_reader_close(reader);
    return rc;
}

static void release(industry_state *st)
{
    size_t i, k;
    for (i = 0; i < st->count; i++) {
        for (k = 0; k < ENT_FIELD_COUNT; k++)
            hegui_free(st->items[i].values[k]);
        if (st->items[i].geom)
            GEOSGeom_destroy_r(st->ctx->h, st->items[i].geom);
    }
    hegui_free(st->items);
}

/* A finding about enterprise e, in the zone of block (may be NO_BLOCK). */
static int emit(industry_state *st, const hegui_rule_config *rule, hegui_severity level,
                const enterprise *e, size_t block, const char *zh, const char *en)
{
    check_ctx *ctx = st->ctx;
    hegui_finding f;
    char attrs[300];
    memset(&f, 0, sizeof(f));
    f.rule = rule->id;
    f.severity = check_severity(rule, level);
    f.layer = e->layer->layer_name;
    f.layer_path = e->layer->path;
    f.fid = e->fid;
    f.other_fid = -1;
    snprintf(attrs, sizeof(attrs), "QYMC=%s; HYDM=%s", value_or(e, ENT_NAME, ""),
             value_or(e, ENT_CODE, ""));
    f.subject_attrs = attrs;
    if (block != NO_BLOCK) {
        f.other_layer = ctx->blocks[block].layer->layer_name;
        f.other_fid = ctx->blocks[block].fid;
    }
    f.message_zh = (char *)zh;
    f.message_en = (char *)en;
    return check_emit(ctx, &f, block != NO_BLOCK ? &ctx->blocks[block] : NULL, e->geom, false);
}

/*
 * A warning per enterprises layer for the enterprises rule could not judge
 * because they have no industry code (missing[i] set for items[i]): a
 * missing HYDM would otherwise hide them as if they were compliant.
 */
static int report_uncoded(industry_state *st, const hegui_rule_config *rule, const bool *missing,
                          const char *what_zh, const char *what_en)
{
    const hegui_catalog *cat = st->ctx->catalog;
    size_t l, k;
    int rc = HEGUI_OK;
    for (l = 0; l < cat->count && rc == HEGUI_OK; l++) {
        const hegui_layer_info *layer = &cat->layers[l];
        const char *field;
        size_t n = 0;
        char zh[600], en[600];
        if (layer->role != HEGUI_ROLE_ENTERPRISES)
            continue;
        for (k = 0; k < st->count; k++)
            n += st->items[k].layer == layer && missing[k];
        if (n == 0)
            continue;
        field = check_field_name(layer, "industry_code", ent_defaults[ENT_CODE]);
        snprintf(zh, sizeof(zh),
                 "企业图层 %s 有 %zu 家%s的企业没有行业代码（%s）：无法判断；请补填，或在规则文件中"
                 "指明字段（fields: {industry_code: …}）",
                 layer->layer_name, n, what_zh, field ? field : "无 HYDM 字段");
        snprintf(en, sizeof(en),
                 "enterprises %s in layer %s with no industry code (%s): %zu; %s could not "
                 "judge them; fill it in, or name the field in the rules file (fields: "
                 "{industry_code: …})",
                 what_en, layer->layer_name, field ? field : "no HYDM field", n, rule->id);
        rc = check_emit_layer(st->ctx, rule->id, check_severity(rule, HEGUI_SEVERITY_WARNING),
                              layer, zh, en);
    }
    return rc;
}

/*
 * A warning per enterprises layer whose code field is numeric and holds
 * codes of an odd number of digits: GB/T 4754's class codes have 4 digits
 * and those of 01-09 (agriculture, mining: 0721 陆地天然气开采) lose their
 * leading zero in a number. Three digits are also a real group code (721
 * 组织管理服务), so nothing is restored: the data must say.
 */
static int report_numeric_codes(industry_state *st, const hegui_rule_config *rule)
{
    const hegui_catalog *cat = st->ctx->catalog;
    size_t l, k;
    int rc = HEGUI_OK;
    if (st->numeric_told)
        return HEGUI_OK;
    st->numeric_told = true;
    for (l = 0; l < cat->count && rc == HEGUI_OK; l++) {
        const hegui_layer_info *layer = &cat->layers[l];
        const char *field = check_field_name(layer, "industry_code", ent_defaults[ENT_CODE]);
        const char *example = NULL;
        size_t n = 0;
        char zh[600], en[600];
        if (layer->role != HEGUI_ROLE_ENTERPRISES || !check_field_numeric(layer, field))
            continue;
        for (k = 0; k < st->count; k++) {
            const char *code = value_or(&st->items[k], ENT_CODE, NULL);
            size_t digits = code ? strspn(code, "0123456789") : 0;
            if (st->items[k].layer != layer || !digits || code[digits] || digits % 2 == 0)
                continue;
            if (n++ == 0)
                example = code;
        }
        if (n == 0)
            continue;
        snprintf(zh, sizeof(zh),
                 "企业图层 %s 的行业代码字段 %s 为数值类型，%zu 个代码为奇数位（如 %s）：可能是丢失"
                 "前导零的四位代码（0%s），也可能是三位的中类代码，已按原样判断；请将该字段改为"
                 "文本类型",
                 layer->layer_name, field, n, example, example);
        snprintf(en, sizeof(en),
                 "the industry code field %s of layer %s is numeric: codes with an odd number "
                 "of digits (%zu, e.g. %s) are 4-digit class codes that lost their leading zero "
                 "(0%s), or 3-digit groups; they were judged as they are: store the field as text",
                 field, layer->layer_name, n, example, example);
        rc = check_emit_layer(st->ctx, rule->id, check_severity(rule, HEGUI_SEVERITY_WARNING),
                              layer, zh, en);
    }
    return rc;
}

/* --- I01 --- */

static int rule_i01(industry_state *st, const hegui_rule_config *rule)
{
    bool *missing = hegui_calloc(st->count ? st->count : 1, sizeof(bool));
    size_t i;
    int rc = report_numeric_codes(st, rule);
    if (!missing)
        return HEGUI_ENOMEM;
    for (i = 0; i < st->count && rc == HEGUI_OK; i++) {
        const enterprise *e = &st->items[i];
        const char *leading, *code = value_or(e, ENT_CODE, NULL);
        const check_block *b;
        prefix_visit v;
        char zh[600], en[600];
        if (e->block == NO_BLOCK)
            continue;
        b = &st->ctx->blocks[e->block];
        leading = leading_of(st->ctx, e->block);
        missing[i] = leading && !code; /* told once per layer, below */
        if (!leading || !code)
            continue; /* S05 reports a missing ZDCY */
        memset(&v, 0, sizeof(v));
        v.code = code;
        visit_list(st, &v, leading);
        if (v.covered)
            continue;
        snprintf(zh, sizeof(zh),
                 "企业「%s」（行业代码 %s）位于「%s」，不属于其主导产业（%s）%s%s",
                 value_or(e, ENT_NAME, "?"), code, check_block_label(b), leading,
                 v.unknown[0] ? "；未识别的产业名称：" : "", v.unknown);
        snprintf(en, sizeof(en),
                 "enterprise '%s' (GB/T 4754 %s) in '%s' is outside the leading industries (%s)%s%s",
                 value_or(e, ENT_NAME, "?"), code, check_block_label(b), leading,
                 v.unknown[0] ? "; unknown industry label: " : "", v.unknown);
        rc = emit(st, rule, HEGUI_SEVERITY_ERROR, e, e->block, zh, en);
    }
    if (rc == HEGUI_OK)
        rc = report_uncoded(st, rule, missing, "位于有主导产业的开发区内",
                            "inside a zone with leading industries");
    hegui_free(missing);
    return rc;
}

/* --- I02 --- */

/* True when code belongs to one of the polluting industries. */
static bool is_polluting(const industry_state *st, const hegui_rule_config *rule,
                         const char *code)
{
    const hegui_value *list = hegui_rule_param(rule, "polluting");
    prefix_visit v;
    size_t i;
    memset(&v, 0, sizeof(v));
    v.code = code;
    for (i = 0; list && list->kind == HEGUI_VALUE_LIST && i < list->count; i++) {
        if (list->items[i].kind == HEGUI_VALUE_SCALAR)
            visit_token(st, &v, list->items[i].scalar, strlen(list->items[i].scalar));
    }
    return v.covered;
}

/* The urban area (all urban_area features dissolved), or NULL if none. */
static int load_urban_area(industry_state *st, GEOSGeometry **out)
{
    check_ctx *ctx = st->ctx;
    GEOSGeometry **parts = NULL, *coll;
    unsigned count = 0, cap = 0;
    size_t i;
    int rc = HEGUI_OK;
    *out = NULL;
    for (i = 0; i < ctx->catalog->count && rc == HEGUI_OK; i++) {
        const hegui_layer_info *l = &ctx->catalog->layers[i];
        hegui_reader *reader = NULL;
        hegui_feature f;
        int got;
        if (l->role != HEGUI_ROLE_URBAN_AREA)
            continue;
        if ((rc = hegui_reader_open(&reader, l, NULL, 0, ctx->run->working_crs.epsg, NULL)) < 0)
            break;
        while ((got = hegui_reader_next(reader, &f)) == 1) {
            void *g = NULL;
            if (!f.wkb || hegui_geom_from_wkb(&g, ctx->geom_ctx, f.wkb, f.wkb_size) < 0)
                continue;
            if (count == cap) {
                unsigned ncap = cap ? 2 * cap : 8;
                GEOSGeometry **grown = hegui_realloc(parts, ncap * sizeof(*grown));
                if (!grown) {
                    GEOSGeom_destroy_r(ctx->h, g);
                    rc = HEGUI_ENOMEM;
                    break;
                }
                parts = grown;
                cap = ncap;
            }
            parts[count++] = g;
        }
        if (got < 0)
            rc = got;
        hegui_reader_close(reader);
    }
    if (rc == HEGUI_OK && count) {
        coll = GEOSGeom_createCollection_r(ctx->h, GEOS_GEOMETRYCOLLECTION, parts, count);
        count = 0;
        *out = coll ? GEOSUnaryUnion_r(ctx->h, coll) : NULL;
        if (coll)
            GEOSGeom_destroy_r(ctx->h, coll);
        if (!*out)
            rc = hegui_error_set(HEGUI_EGEOM, "cannot dissolve the urban area");
    }
    while (count > 0)
        GEOSGeom_destroy_r(ctx->h, parts[--count]);
    hegui_free(parts);
    return rc;
}

static int rule_i02(industry_state *st, const hegui_rule_config *rule)
{
    check_ctx *ctx = st->ctx;
    double limit = hegui_rule_number(rule, "distance_m", 10000.0);
    GEOSGeometry *urban = NULL;
    bool *missing = NULL;
    size_t i, k;
    int rc;
    if ((rc = report_numeric_codes(st, rule)) < 0 || (rc = load_urban_area(st, &urban)) < 0)
        return rc;
    if (!urban) { /* no urban area, or an empty one: nothing to measure from */
        for (i = 0; i < ctx->catalog->count; i++) {
            if (ctx->catalog->layers[i].role == HEGUI_ROLE_URBAN_AREA)
                return HEGUI_OK;
        }
        check_not_checked(ctx, rule->id, "no urban_area (中心城区) layer among the inputs");
        return HEGUI_OK;
    }
    if (!(missing = hegui_calloc(st->count ? st->count : 1, sizeof(bool)))) {
        GEOSGeom_destroy_r(ctx->h, urban);
        return HEGUI_ENOMEM;
    }
    for (i = 0; i < st->count && rc == HEGUI_OK; i++) {
        const enterprise *e = &st->items[i];
        const char *code = value_or(e, ENT_CODE, NULL);
        double distance = 0, best = INFINITY;
        size_t nearest = NO_BLOCK;
        char zh[700], en[700], nearest_zh[300] = "", nearest_en[300] = "";
        const char *compliant = value_or(e, ENT_COMPLIANT, "");
        missing[i] = e->block == NO_BLOCK && e->geom && !code; /* told once per layer */
        if (e->block != NO_BLOCK || !e->geom || !code || !is_polluting(st, rule, code))
            continue;
        if (GEOSDistance_r(ctx->h, urban, e->geom, &distance) != 1) {
            rc = hegui_error_set(HEGUI_EGEOM, "cannot measure a distance");
            break;
        }
        if (distance > limit)
            continue;
        /* the nearest zone whose leading industries take this plant */
        for (k = 0; k < ctx->block_count; k++) {
            const char *leading = leading_of(ctx, k);
            prefix_visit v;
            double d;
            if (!ctx->blocks[k].geom || !leading)
                continue;
            memset(&v, 0, sizeof(v));
            v.code = code;
            visit_list(st, &v, leading);
            if (v.covered && GEOSDistance_r(ctx->h, ctx->blocks[k].geom, e->geom, &d) == 1 &&
                d < best) {
                best = d;
                nearest = k;
            }
        }
        if (nearest != NO_BLOCK) {
            const check_block *b = &ctx->blocks[nearest];
            snprintf(nearest_zh, sizeof(nearest_zh), "；可迁入 %s「%s」%s，距离 %.0f 米",
                     check_block_code(b), check_block_name(b), check_block_label(b), best);
            snprintf(nearest_en, sizeof(nearest_en),
                     "; the nearest zone that takes it: %s '%s' %s at %.0f m", check_block_code(b),
                     check_block_name(b), check_block_label(b), best);
        } else {
            snprintf(nearest_zh, sizeof(nearest_zh), "；没有主导产业相符的开发区");
            snprintf(nearest_en, sizeof(nearest_en), "; no zone has it among its leading "
                                                     "industries");
        }
        snprintf(zh, sizeof(zh),
                 "污染类企业「%s」（行业代码 %s）位于各开发区之外，距中心城区 %.0f 米（≤ %.0f 米），"
                 "为搬迁入园候选%s；环评达标：%s",
                 value_or(e, ENT_NAME, "?"), code, distance, limit, nearest_zh,
                 *compliant ? compliant : "未知");
        snprintf(en, sizeof(en),
                 "polluting enterprise '%s' (GB/T 4754 %s) outside every zone, %.0f m from the "
                 "urban area (limit %.0f m): a relocation candidate%s; environmental compliance: "
                 "%s",
                 value_or(e, ENT_NAME, "?"), code, distance, limit, nearest_en,
                 *compliant ? compliant : "unknown");
        rc = emit(st, rule, HEGUI_SEVERITY_ERROR, e, NO_BLOCK, zh, en);
    }
    if (rc == HEGUI_OK)
        rc = report_uncoded(st, rule, missing, "位于开发区之外", "outside every zone");
    hegui_free(missing);
    GEOSGeom_destroy_r(ctx->h, urban);
    return rc;
}

/* --- I03 --- */

static double number_or_zero(const enterprise *e, int field)
{
    double v;
    return parse_number(e->values[field], true, &v) ? v : 0.0;
}

/* A warning per enterprises layer whose investment, output or tax values
 * (of enterprises in a zone, the ones I03 sums) are text that is not a
 * number: they count as 0, which the figures per mu would hide. */
static int report_bad_amounts(industry_state *st, const hegui_rule_config *rule)
{
    static const int fields[] = {ENT_INVESTMENT, ENT_OUTPUT, ENT_TAX};
    const hegui_catalog *cat = st->ctx->catalog;
    size_t l, k, f;
    int rc = HEGUI_OK;
    for (l = 0; l < cat->count && rc == HEGUI_OK; l++) {
        const hegui_layer_info *layer = &cat->layers[l];
        const char *example = NULL, *example_field = NULL;
        size_t n = 0;
        char zh[600], en[600];
        double v;
        if (layer->role != HEGUI_ROLE_ENTERPRISES)
            continue;
        for (k = 0; k < st->count; k++) {
            const enterprise *e = &st->items[k];
            if (e->layer != layer || e->block == NO_BLOCK)
                continue;
            for (f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
                const char *text = e->values[fields[f]];
                if (!text || !*text || parse_number(text, true, &v))
                    continue;
                if (n++ == 0) {
                    example = text;
                    example_field =
                        check_field_name(layer, ent_keys[fields[f]], ent_defaults[fields[f]]);
                }
            }
        }
        if (n == 0)
            continue;
        snprintf(zh, sizeof(zh),
                 "企业图层 %s 有 %zu 个投资、产值或税收值不是数字（如 %s = \"%s\"）：按 0 计入亩均"
                 "效益；请填写以万元为单位的数字",
                 layer->layer_name, n, example_field ? example_field : "?", example);
        snprintf(en, sizeof(en),
                 "investment, output or tax values in layer %s that are not numbers: %zu (e.g. %s "
                 "= \"%s\"); they count as 0 in the figures per mu: write numbers, in 万元",
                 layer->layer_name, n, example_field ? example_field : "?", example);
        rc = check_emit_layer(st->ctx, rule->id, check_severity(rule, HEGUI_SEVERITY_WARNING),
                              layer, zh, en);
    }
    return rc;
}

static int add_intensity(hegui_run *run, size_t *cap, const hegui_run_intensity *row)
{
    hegui_run_intensity *r;
    if (run->intensity_count == *cap) {
        size_t ncap = *cap ? 2 * *cap : 32;
        hegui_run_intensity *grown = hegui_realloc(run->intensity, ncap * sizeof(*grown));
        if (!grown)
            return HEGUI_ENOMEM;
        run->intensity = grown;
        *cap = ncap;
    }
    r = &run->intensity[run->intensity_count];
    *r = *row;
    r->zone_code = hegui_strdup(row->zone_code);
    r->zone_name = hegui_strdup(row->zone_name);
    r->enterprise = hegui_strdup(row->enterprise);
    r->industry_code = hegui_strdup(row->industry_code);
    if (!r->zone_code || !r->zone_name || !r->enterprise || !r->industry_code) {
        hegui_free(r->zone_code);
        hegui_free(r->zone_name);
        hegui_free(r->enterprise);
        hegui_free(r->industry_code);
        return HEGUI_ENOMEM;
    }
    run->intensity_count++;
    return HEGUI_OK;
}

static void per_mu(hegui_run_intensity *row)
{
    double mu = row->land_m2 / HEGUI_M2_PER_MU;
    row->investment_per_mu = mu > 0 ? row->investment / mu : NAN;
    row->output_per_mu = mu > 0 ? row->output / mu : NAN;
    row->tax_per_mu = mu > 0 ? row->tax / mu : NAN;
}

/* Order of enterprises in a zone: output per 亩 descending (unknown
 * last), then name, then fid. */
typedef struct ranked {
    const enterprise *e;
    double output_per_mu;
} ranked;

static int compare_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    int c;
    bool xn = isnan(x->output_per_mu), yn = isnan(y->output_per_mu);
    if (xn != yn)
        return xn ? 1 : -1;
    if (!xn && x->output_per_mu != y->output_per_mu)
        return x->output_per_mu > y->output_per_mu ? -1 : 1;
    c = strcmp(value_or(x->e, ENT_NAME, ""), value_or(y->e, ENT_NAME, ""));
    return c ? c : (x->e->fid > y->e->fid) - (x->e->fid < y->e->fid);
}

/* Threshold findings: below the configured minimum per 亩. */
static int i03_thresholds(industry_state *st, const hegui_rule_config *rule, const enterprise *e,
                          const hegui_run_intensity *row)
{
    static const struct {
        const char *param, *zh, *en;
        size_t offset;
    } limits[] = {
        {"investment_per_mu_min", "亩均投资", "investment per mu",
         offsetof(hegui_run_intensity, investment_per_mu)},
        {"output_per_mu_min", "亩均产值", "output per mu",
         offsetof(hegui_run_intensity, output_per_mu)},
        {"tax_per_mu_min", "亩均税收", "tax per mu", offsetof(hegui_run_intensity, tax_per_mu)},
    };
    size_t k;
    int rc;
    for (k = 0; k < sizeof(limits) / sizeof(limits[0]); k++) {
        double min = hegui_rule_number(rule, limits[k].param, 0.0);
        double value = *(const double *)((const char *)row + limits[k].offset);
        char zh[400], en[400];
        if (min <= 0 || isnan(value) || value >= min)
            continue;
        snprintf(zh, sizeof(zh), "企业「%s」%s %.2f 万元/亩，低于 %.2f", value_or(e, ENT_NAME, "?"),
                 limits[k].zh, value, min);
        snprintf(en, sizeof(en), "enterprise '%s': %s %.2f (10k yuan) is below %.2f",
                 value_or(e, ENT_NAME, "?"), limits[k].en, value, min);
        if ((rc = emit(st, rule, HEGUI_SEVERITY_WARNING, e, e->block, zh, en)) < 0)
            return rc;
    }
    return HEGUI_OK;
}

static int rule_i03(industry_state *st, const hegui_rule_config *rule)
{
    check_ctx *ctx = st->ctx;
    hegui_run *run = ctx->run;
    ranked *list = hegui_calloc(st->count ? st->count : 1, sizeof(*list));
    size_t cap = 0, z, i, n;
    int rc = report_bad_amounts(st, rule);
    if (!list)
        return HEGUI_ENOMEM;
    for (z = 0; z < run->zone_count && rc == HEGUI_OK; z++) {
        const hegui_run_zone *zone = &run->zones[z];
        hegui_run_intensity total;
        memset(&total, 0, sizeof(total));
        total.zone_code = zone->code;
        total.zone_name = zone->name;
        total.enterprise = "";
        total.industry_code = "";
        for (i = 0, n = 0; i < st->count; i++) {
            const enterprise *e = &st->items[i];
            double mu;
            if (e->block == NO_BLOCK || strcmp(check_block_code(&ctx->blocks[e->block]),
                                               zone->code) != 0)
                continue;
            mu = isnan(e->land_m2) ? 0 : e->land_m2 / HEGUI_M2_PER_MU;
            list[n].e = e;
            list[n].output_per_mu = mu > 0 ? number_or_zero(e, ENT_OUTPUT) / mu : NAN;
            n++;
        }
        if (n == 0)
            continue;
        qsort(list, n, sizeof(*list), compare_ranked);
        /* the zone row: sums over the enterprises that have land */
        for (i = 0; i < n; i++) {
            const enterprise *e = list[i].e;
            if (isnan(e->land_m2))
                continue;
            total.land_m2 += e->land_m2;
            total.investment += number_or_zero(e, ENT_INVESTMENT);
            total.output += number_or_zero(e, ENT_OUTPUT);
            total.tax += number_or_zero(e, ENT_TAX);
        }
        per_mu(&total);
        if ((rc = add_intensity(run, &cap, &total)) < 0)
            break;
        for (i = 0; i < n && rc == HEGUI_OK; i++) {
            const enterprise *e = list[i].e;
            hegui_run_intensity row;
            memset(&row, 0, sizeof(row));
            row.zone_code = zone->code;
            row.zone_name = zone->name;
            row.enterprise = (char *)value_or(e, ENT_NAME, "");
            row.industry_code = (char *)value_or(e, ENT_CODE, "");
            row.land_m2 = isnan(e->land_m2) ? 0 : e->land_m2;
            row.investment = number_or_zero(e, ENT_INVESTMENT);
            row.output = number_or_zero(e, ENT_OUTPUT);
            row.tax = number_or_zero(e, ENT_TAX);
            per_mu(&row);
            row.rank_in_zone = isnan(row.output_per_mu) ? 0 : (int)(i + 1);
            rc = add_intensity(run, &cap, &row);
            if (rc == HEGUI_OK && isnan(e->land_m2)) {
                char zh[300], en[300];
                snprintf(zh, sizeof(zh), "企业「%s」没有用地面积（无地块面，YDMJ 为空），无法计算亩均",
                         value_or(e, ENT_NAME, "?"));
                snprintf(en, sizeof(en),
                         "enterprise '%s' has no land area (no parcel, no YDMJ): no per-mu "
                         "figures",
                         value_or(e, ENT_NAME, "?"));
                rc = emit(st, rule, HEGUI_SEVERITY_INFO, e, e->block, zh, en);
            }
            if (rc == HEGUI_OK)
                rc = i03_thresholds(st, rule, e, &row);
        }
    }
    hegui_free(list);
    return rc;
}

/* --- the family's table --- */

typedef struct industry_rule {
    const char *id;
    int (*run)(industry_state *st, const hegui_rule_config *rule);
} industry_rule;

static const industry_rule industry_rules[] = {
    {"I01", rule_i01},
    {"I02", rule_i02},
    {"I03", rule_i03},
};

int check_industry_run(check_ctx *ctx)
{
    industry_state st;
    const hegui_rule_config *i01 = hegui_config_rule(ctx->config, "I01");
    size_t i;
    int rc = HEGUI_OK, loading = 0;
    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    st.labels = i01 ? hegui_rule_param(i01, "industries") : NULL;
    for (i = 0; i < ctx->catalog->count && rc == HEGUI_OK; i++) {
        if (ctx->catalog->layers[i].role != HEGUI_ROLE_ENTERPRISES)
            continue;
        if (!loading++)
            check_stage(ctx, "enterprises");
        rc = load_layer(&st, &ctx->catalog->layers[i]);
    }
    for (i = 0; i < sizeof(industry_rules) / sizeof(industry_rules[0]) && rc == HEGUI_OK; i++) {
        const hegui_rule_config *rule = check_rule(ctx, industry_rules[i].id);
        if (rule && !loading) /* no enterprises layer at all; an empty one has nothing to find */
            check_not_checked(ctx, industry_rules[i].id,
                              "no enterprises (企业) layer among the inputs");
        if (!rule || !st.count)
            continue;
        check_stage(ctx, industry_rules[i].id);
        if ((rc = industry_rules[i].run(&st, rule)) < 0)
            hegui_error_prefix("%s", industry_rules[i].id);
    }
    release(&st);
    return rc;
}

const char *const *check_industry_field_candidates(const char *key)
{
    size_t k;
    for (k = 0; k < ENT_FIELD_COUNT; k++) {
        if (strcmp(ent_keys[k], key) == 0)
            return ent_defaults[k];
    }
    return NULL;
}
