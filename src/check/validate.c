/*
 * validate.c - the pipeline of `hegui validate` (the zones survey on its
 * own, S01-S06) and `hegui check` (the survey and the conflict rules).
 * Builds the run: the working CRS, the zones, the findings (sorted), the
 * totals, and the inputs with their hashes (computed in the background).
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "check/check_internal.h"
#include "finding/finding_internal.h"
#include "io/hash_internal.h"

/* Lists the inputs in catalog order, each with the SHA-256 of its dataset
 * from the finished hashing job (each dataset hashed once). */
static int fill_inputs(hegui_run *run, const hegui_catalog *catalog, const hegui_io_hash *hashing)
{
    size_t i;
    run->inputs = hegui_calloc(catalog->count ? catalog->count : 1, sizeof(*run->inputs));
    if (!run->inputs)
        return HEGUI_ENOMEM;
    for (i = 0; i < catalog->count; i++) {
        const hegui_layer_info *l = &catalog->layers[i];
        hegui_run_input *in = &run->inputs[run->input_count++];
        const char *digest = hegui_io_hash_of(hashing, l->path);
        assert(digest); /* the job was given every layer's path */
        in->path = hegui_strdup(l->path);
        in->sha256 = hegui_strdup(digest ? digest : "");
        in->layer = hegui_strdup(l->layer_name);
        in->role = hegui_strdup(hegui_role_name(l->role));
        in->feature_count = l->feature_count;
        in->crs = l->has_crs && l->crs.epsg ? hegui_sprintf("EPSG:%d", l->crs.epsg)
                                            : hegui_strdup(l->has_crs ? l->crs.name : "");
        in->encoding = hegui_strdup(l->encoding ? l->encoding : "");
        if (!in->path || !in->sha256 || !in->layer || !in->role || !in->crs || !in->encoding)
            return HEGUI_ENOMEM;
    }
    return HEGUI_OK;
}

static int compare_zones(const void *a, const void *b)
{
    return strcmp(((const hegui_run_zone *)a)->code, ((const hegui_run_zone *)b)->code);
}

/* One hegui_run_block per block: its outline for the maps of report.html. */
static int fill_blocks(check_ctx *ctx)
{
    hegui_run *run = ctx->run;
    size_t i;
    run->blocks = hegui_calloc(ctx->block_count ? ctx->block_count : 1, sizeof(*run->blocks));
    if (!run->blocks)
        return HEGUI_ENOMEM;
    for (i = 0; i < ctx->block_count; i++) {
        const check_block *b = &ctx->blocks[i];
        hegui_run_block *out = &run->blocks[run->block_count++];
        out->zone_code = hegui_strdup(check_block_code(b));
        out->zone_name = hegui_strdup(check_block_name(b));
        out->block = hegui_strdup(check_block_label(b));
        out->layer = hegui_strdup(b->layer ? b->layer->layer_name : "");
        out->fid = b->fid;
        out->area_m2 = b->area_m2;
        if (!out->zone_code || !out->zone_name || !out->block || !out->layer)
            return HEGUI_ENOMEM;
        out->wkt = b->geom ? check_wkt(ctx, b->geom) : hegui_strdup("");
        if (!out->wkt) /* check_wkt and the allocator set the message */
            return hegui_error_code() < 0 ? hegui_error_code() : HEGUI_ENOMEM;
    }
    return HEGUI_OK;
}

/* One hegui_run_zone per zone code (blocks without a code are left out). */
static int fill_zones(check_ctx *ctx)
{
    hegui_run *run = ctx->run;
    size_t i, z;
    int rc;
    if ((rc = fill_blocks(ctx)) < 0)
        return rc;
    run->zones = hegui_calloc(ctx->block_count ? ctx->block_count : 1, sizeof(*run->zones));
    if (!run->zones)
        return HEGUI_ENOMEM;
    for (i = 0; i < ctx->block_count; i++) {
        const check_block *b = &ctx->blocks[i];
        const char *code = check_block_code(b);
        hegui_run_zone *zone = NULL;
        if (!*code)
            continue;
        for (z = 0; z < run->zone_count && !zone; z++) {
            if (strcmp(run->zones[z].code, code) == 0)
                zone = &run->zones[z];
        }
        if (!zone) {
            zone = &run->zones[run->zone_count++];
            zone->code = hegui_strdup(code);
            zone->name = hegui_strdup(check_block_name(b));
            if (!zone->code || !zone->name)
                return HEGUI_ENOMEM;
        }
        zone->block_count++;
        zone->area_m2 += b->area_m2;
        zone->area_ellipsoidal_m2 += b->area_ellipsoidal_m2;
    }
    if (run->zone_count > 1)
        qsort(run->zones, run->zone_count, sizeof(*run->zones), compare_zones);
    return HEGUI_OK;
}

/* SHA-256 of the canonical configuration. */
static int rules_hash(hegui_run *out, const hegui_config *config)
{
    char *canonical = hegui_config_canonical(config);
    hegui_sha256 sha = {NULL};
    char hex[65];
    int rc;
    if (!canonical)
        return HEGUI_ENOMEM;
    if ((rc = hegui_sha256_init(&sha)) == HEGUI_OK &&
        (rc = hegui_sha256_update(&sha, canonical, strlen(canonical))) == HEGUI_OK)
        rc = hegui_sha256_final_hex(&sha, hex);
    hegui_sha256_release(&sha);
    hegui_free(canonical);
    if (rc < 0)
        return rc;
    out->rules_sha256 = hegui_strdup(hex);
    return out->rules_sha256 ? HEGUI_OK : HEGUI_ENOMEM;
}

/* The pipeline shared by validate and check: working CRS, zones, survey
 * rules, and (for check) the conflict rules; then sort, totals and inputs.
 * The inputs are hashed on a thread of their own from the start, at idle
 * priority, so that hashing a large dataset takes no core from the workers;
 * the pipeline finishes it only at the end. When the pipeline itself
 * fails, its error is the run's and the hashing is stopped. */
static int run_pipeline(hegui_run *out, const hegui_catalog *catalog, const hegui_config *config,
                        const hegui_check_options *options, bool conflicts)
{
    check_ctx ctx;
    hegui_io_hash *hashing = NULL, *own_hashing = NULL;
    const char *why = NULL;
    int rc;

    memset(out, 0, sizeof(*out));
    memset(&ctx, 0, sizeof(ctx));
    if (options && options->stage)
        options->stage("zones", options->payload);
    /* the catalog's, started before it read the layers, or one of our own */
    if (!catalog->hashing && (rc = hegui_io_hash_start(&own_hashing, catalog)) < 0)
        goto done;
    hashing = catalog->hashing ? catalog->hashing : own_hashing;
    out->command = conflicts ? "check" : "validate";
    out->config = config;
    out->area_method = config->area_method;
    out->fail_on = options ? options->fail_on : HEGUI_SEVERITY_ERROR;
    out->timestamp = options ? options->timestamp : 0;
    out->gdal_version = hegui_io_gdal_version();
    out->geos_version = hegui_geom_geos_version();
    out->proj_version = hegui_io_proj_version();
    out->rules_source = hegui_strdup(config->source);
    if (!out->rules_source) {
        rc = HEGUI_ENOMEM;
        goto done;
    }
    if ((rc = rules_hash(out, config)) < 0)
        goto done;
    if ((rc = hegui_catalog_working_crs(&out->working_crs, &why, catalog, config)) < 0)
        goto done;
    if ((rc = check_ctx_init(&ctx, config, catalog, out, out->working_crs.epsg)) < 0)
        goto done;
    ctx.threads = options && options->threads > 0 ? options->threads : 1;
    ctx.stage = options ? options->stage : NULL;
    ctx.stage_payload = options ? options->payload : NULL;
    if ((rc = check_zones_load(&ctx, out->working_crs.epsg)) < 0)
        goto done;
    if ((rc = fill_zones(&ctx)) < 0)
        goto done;
    if ((rc = check_survey_run(&ctx)) < 0)
        goto done;
    if (conflicts && (rc = check_conflict_run(&ctx, options ? options->progress : NULL,
                                              options ? options->payload : NULL)) < 0)
        goto done;
    if (conflicts && (rc = check_plandiff_run(&ctx)) < 0)
        goto done;
    if (conflicts && (rc = check_industry_run(&ctx)) < 0)
        goto done;
    check_stage(&ctx, "sort");
    finding_sort(&out->findings, ctx.threads);
    check_stage(&ctx, "totals");
    /* the last stage before the digests are needed: the hashing's rest
     * shares its cores rather than run after it on one (0.16 s at -j 2 on
     * the 10^6 bench data, quiet host) */
    hegui_io_hash_hurry(hashing);
    if ((rc = check_totals_build(&ctx)) < 0)
        goto done;
    check_stage(&ctx, "inputs");
    if ((rc = hegui_io_hash_finish(hashing)) < 0)
        goto done;
    rc = fill_inputs(out, catalog, hashing);
done:
    if (options && options->stage)
        options->stage(NULL, options->payload);
    hegui_io_hash_free(own_hashing); /* the catalog's is the catalog's to free */
    check_ctx_release(&ctx);
    return rc;
}

int hegui_validate(hegui_run *out, const hegui_catalog *catalog, const hegui_config *config,
                   const hegui_check_options *options)
{
    return run_pipeline(out, catalog, config, options, false);
}

int hegui_check(hegui_run *out, const hegui_catalog *catalog, const hegui_config *config,
                const hegui_check_options *options)
{
    return run_pipeline(out, catalog, config, options, true);
}
