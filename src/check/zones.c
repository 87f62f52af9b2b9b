/*
 * zones.c - reads every zones layer into blocks: attributes by logical
 * field, the surveyed geometry as GEOS, and a valid polygonal geometry for
 * computation (repaired with GEOS make-valid when the survey's is not).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check/check_internal.h"

const char *const check_zone_field_keys[ZONE_FIELD_COUNT] = {
    "code", "name", "block", "approved_area_ha", "block_area_ha", "industries", "level"};

/* Default field names per logical field (DESIGN.md 2), pinyin initials
 * first, then Chinese names seen in deliveries. */
static const char *const zone_field_defaults[ZONE_FIELD_COUNT][5] = {
    {"KFQDM", "开发区代码", "KFQBM", NULL},
    {"KFQMC", "开发区名称", NULL},
    {"QKMC", "区块名称", "YQMC", NULL},
    {"HZMJ", "核准面积", NULL},
    {"QKMJ", "区块面积", NULL},
    {"ZDCY", "主导产业", NULL},
    {"JB", "级别", NULL},
};

const char *check_field_name(const hegui_layer_info *layer, const char *key,
                             const char *const *candidates)
{
    size_t i, k;
    if (layer->spec) {
        for (i = 0; i < layer->spec->field_count; i++) {
            if (strcmp(layer->spec->fields[i].key, key) == 0) {
                for (k = 0; k < layer->field_count; k++) {
                    if (hegui_str_iequal(layer->fields[k], layer->spec->fields[i].field))
                        return layer->fields[k];
                }
                return NULL;
            }
        }
    }
    for (i = 0; candidates && candidates[i]; i++) {
        for (k = 0; k < layer->field_count; k++) {
            if (hegui_str_iequal(layer->fields[k], candidates[i]))
                return layer->fields[k];
        }
    }
    return NULL;
}

bool check_field_numeric(const hegui_layer_info *layer, const char *name)
{
    size_t k;
    for (k = 0; name && layer->field_numeric && k < layer->field_count; k++) {
        if (strcmp(layer->fields[k], name) == 0)
            return layer->field_numeric[k];
    }
    return false;
}

const char *check_class_code(const char *raw, bool numeric, char buf[CHECK_CLASS_CODE_MAX],
                             bool *restored)
{
    const char *p = raw;
    size_t len, digits;
    if (!raw)
        return raw;
    while (*p == ' ' || *p == '\t')
        p++;
    len = strlen(p);
    while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
        len--;
    if (len + 2 > CHECK_CLASS_CODE_MAX)
        return raw;
    digits = strspn(p, "0123456789");
    if (digits > len)
        digits = len;
    /* a number: digits, and from a real only a zero fraction ("301.00") */
    if (numeric && digits > 0 &&
        (digits == len || (p[digits] == '.' && strspn(p + digits + 1, "0") == len - digits - 1))) {
        snprintf(buf, CHECK_CLASS_CODE_MAX, "%s%.*s", digits % 2 ? "0" : "", (int)digits, p);
        if (restored && strcmp(buf, raw) != 0)
            *restored = true;
        return buf;
    }
    if (p == raw && len == strlen(raw))
        return raw;
    snprintf(buf, CHECK_CLASS_CODE_MAX, "%.*s", (int)len, p); /* spaces around it dropped */
    return buf;
}

const char *check_block_code(const check_block *b)
{
    return b->values[ZONE_FIELD_CODE] ? b->values[ZONE_FIELD_CODE] : "";
}

const char *check_block_name(const check_block *b)
{
    return b->values[ZONE_FIELD_NAME] ? b->values[ZONE_FIELD_NAME] : "";
}

const char *check_block_label(const check_block *b)
{
    return b->values[ZONE_FIELD_BLOCK] ? b->values[ZONE_FIELD_BLOCK] : "";
}

double check_zone_area(const check_ctx *ctx, const char *code)
{
    double total = 0;
    size_t i;
    if (!code || !*code)
        return 0;
    for (i = 0; i < ctx->block_count; i++) {
        if (strcmp(check_block_code(&ctx->blocks[i]), code) == 0)
            total += ctx->blocks[i].area_m2;
    }
    return total;
}

/* Valid polygonal geometry for computation from the surveyed one. */
static GEOSGeometry *computable(check_ctx *ctx, const GEOSGeometry *original)
{
    GEOSContextHandle_t h = ctx->h;
    GEOSMakeValidParams *params;
    GEOSGeometry *valid, *poly;
    char is_valid = GEOSisValid_r(h, original);
    if (is_valid == 1)
        return check_polygonal(ctx->h, original);
    params = GEOSMakeValidParams_create_r(h);
    if (!params)
        return NULL;
    GEOSMakeValidParams_setMethod_r(h, params, GEOS_MAKE_VALID_STRUCTURE);
    GEOSMakeValidParams_setKeepCollapsed_r(h, params, 0);
    valid = GEOSMakeValidWithParams_r(h, original, params);
    GEOSMakeValidParams_destroy_r(h, params);
    if (!valid)
        return NULL;
    poly = check_polygonal(ctx->h, valid);
    GEOSGeom_destroy_r(h, valid);
    return poly;
}

int check_block_set_geometry(check_ctx *ctx, check_block *b, GEOSGeometry *original)
{
    int rc;
    b->original = original;
    b->geom = computable(ctx, original);
    if (!b->geom)
        return hegui_error_set(HEGUI_EGEOM, "%s: GEOS cannot repair feature %lld",
                               b->layer ? b->layer->path : "", (long long)b->fid);
    if (GEOSArea_r(ctx->h, b->geom, &b->area_m2) != 1)
        return hegui_error_set(HEGUI_EGEOM, "GEOS cannot measure an area");
    if ((rc = hegui_area_ellipsoidal(&b->area_ellipsoidal_m2, ctx->area, ctx->geom_ctx,
                                     b->geom)) < 0)
        return rc;
    return HEGUI_OK;
}

static int load_layer(check_ctx *ctx, size_t layer_index, int working_epsg)
{
    const hegui_layer_info *layer = &ctx->catalog->layers[layer_index];
    const char **names = ctx->zone_fields[layer_index];
    hegui_reader *reader = NULL;
    hegui_feature f;
    void *original;
    size_t k;
    int rc, got;

    for (k = 0; k < ZONE_FIELD_COUNT; k++)
        names[k] = check_field_name(layer, check_zone_field_keys[k], zone_field_defaults[k]);
    if ((rc = hegui_reader_open(&reader, layer, names, ZONE_FIELD_COUNT, working_epsg, NULL)) < 0)
        return rc;
    while ((got = hegui_reader_next(reader, &f)) == 1) {
        check_block *b;
        if (ctx->block_count % 64 == 0) {
            check_block *grown =
                hegui_realloc(ctx->blocks, (ctx->block_count + 64) * sizeof(*grown));
            if (!grown) {
                rc = HEGUI_ENOMEM;
                goto done;
            }
            ctx->blocks = grown;
        }
        b = &ctx->blocks[ctx->block_count++];
        memset(b, 0, sizeof(*b));
        b->layer = layer;
        b->fid = f.fid;
        b->problems = f.problems;
        for (k = 0; k < ZONE_FIELD_COUNT; k++) {
            if (f.values[k] && *f.values[k]) {
                b->values[k] = hegui_strdup(f.values[k]);
                if (!b->values[k]) {
                    rc = HEGUI_ENOMEM;
                    goto done;
                }
            }
        }
        if (!f.wkb || (f.problems & (HEGUI_FEATURE_NONFINITE | HEGUI_FEATURE_EMPTY_GEOMETRY)))
            continue; /* S01 reports it; there is nothing to compute with */
        if (hegui_geom_from_wkb(&original, ctx->geom_ctx, f.wkb, f.wkb_size) < 0) {
            b->problems |= HEGUI_FEATURE_NONFINITE;
            continue;
        }
        if ((rc = check_block_set_geometry(ctx, b, original)) < 0)
            goto done;
    }
    rc = got < 0 ? got : HEGUI_OK;
done:
    hegui_reader_close(reader);
    return rc;
}

int check_zones_load(check_ctx *ctx, int working_epsg)
{
    size_t i, zones_layers = 0;
    int rc;
    ctx->zone_fields = hegui_calloc(ctx->catalog->count ? ctx->catalog->count : 1,
                                    sizeof(*ctx->zone_fields));
    if (!ctx->zone_fields)
        return HEGUI_ENOMEM;
    for (i = 0; i < ctx->catalog->count; i++) {
        if (ctx->catalog->layers[i].role != HEGUI_ROLE_ZONES)
            continue;
        zones_layers++;
        if ((rc = load_layer(ctx, i, working_epsg)) < 0)
            return rc;
    }
    if (zones_layers == 0)
        return hegui_error_set(HEGUI_EINPUT,
                               "no zones layer (开发区四至) among the inputs: name one in the rules "
                               "file (role: zones), or give it a conventional name (KFQ…, "
                               "开发区…) or a KFQDM field; 'hegui layers' shows what was found");
    check_zones_finish(ctx);
    return HEGUI_OK;
}

/* Kept per block: every finding of a block states its share of the zone,
 * and summing the zone's blocks for each of 10^4 findings showed up on
 * the main thread. */
void check_zones_finish(check_ctx *ctx)
{
    size_t i;
    for (i = 0; i < ctx->block_count; i++)
        ctx->blocks[i].zone_area_m2 = check_zone_area(ctx, check_block_code(&ctx->blocks[i]));
}

void check_zones_release(check_ctx *ctx)
{
    size_t i, k;
    for (i = 0; i < ctx->block_count; i++) {
        check_block *b = &ctx->blocks[i];
        for (k = 0; k < ZONE_FIELD_COUNT; k++)
            hegui_free(b->values[k]);
        if (b->original)
            GEOSGeom_destroy_r(ctx->h, b->original);
        if (b->geom)
            GEOSGeom_destroy_r(ctx->h, b->geom);
    }
    hegui_free(ctx->blocks);
    hegui_free((void *)ctx->zone_fields);
    ctx->blocks = NULL;
    ctx->block_count = 0;
}

const char *const *check_zone_field_candidates(const char *key)
{
    size_t k;
    for (k = 0; k < ZONE_FIELD_COUNT; k++) {
        if (strcmp(check_zone_field_keys[k], key) == 0)
            return zone_field_defaults[k];
    }
    return NULL;
}
