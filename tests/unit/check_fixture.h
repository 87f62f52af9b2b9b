/*
 * check_fixture.h - a check context over blocks built from WKT and layers
 * written as GeoJSON into GDAL's in-memory file system (/vsimem/), so the
 * real reader, OGR and the engines run with no files on disk. Coordinates
 * are local metres shifted near Jincheng in EPSG:4547. Shared by the
 * check_* unit tests (static functions: include it once per test).
 */
#ifndef HEGUI_TEST_CHECK_FIXTURE_H
#define HEGUI_TEST_CHECK_FIXTURE_H

#include "test_common.h"

#include <stdlib.h>

#include <cpl_conv.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_srs_api.h>

#include "check/check_internal.h"

#define X0 397000.0
#define Y0 3931000.0
#define FIXTURE_MAX_LAYERS 4

typedef struct feature_spec {
    const char *wkt;   /* local metres */
    const char *props; /* JSON object members, e.g. "\"YJJBNTTBBH\": \"1\"" */
} feature_spec;

typedef struct layer_spec {
    hegui_role role;
    const char *fields; /* comma-separated field names the layer has */
    const feature_spec *features;
    size_t count;
} layer_spec;

typedef struct block_spec {
    const char *wkt;
    const char *industries; /* ZDCY, or NULL */
} block_spec;

typedef struct fixture {
    hegui_config *config;
    hegui_catalog catalog;
    hegui_layer_info layers[FIXTURE_MAX_LAYERS + 1]; /* [0] zones */
    char *fields[FIXTURE_MAX_LAYERS + 1][8];
    bool numeric[FIXTURE_MAX_LAYERS + 1][8]; /* as GDAL types the GeoJSON's fields */
    char paths[FIXTURE_MAX_LAYERS + 1][96];
    char names[FIXTURE_MAX_LAYERS + 1][64];
    char *crs_wkt;
    hegui_run run;
    check_ctx ctx;
} fixture;

static int fixture_shift_xy(double *x, double *y, void *userdata)
{
    (void)userdata;
    *x += X0;
    *y += Y0;
    return 1;
}

static GEOSGeometry *fixture_geom(check_ctx *ctx, const char *wkt)
{
    GEOSWKTReader *r = GEOSWKTReader_create_r(ctx->h);
    GEOSGeometry *g = GEOSWKTReader_read_r(ctx->h, r, wkt), *moved;
    GEOSWKTReader_destroy_r(ctx->h, r);
    assert_non_null(g);
    moved = GEOSGeom_transformXY_r(ctx->h, g, fixture_shift_xy, NULL);
    GEOSGeom_destroy_r(ctx->h, g);
    return moved;
}

/* Writes features as GeoJSON (EPSG:4547) into /vsimem/path. */
static void fixture_write_geojson(check_ctx *ctx, const char *path, const feature_spec *features,
                                  size_t n)
{
    hegui_buf json = HEGUI_BUF_INIT;
    GEOSGeoJSONWriter *writer = GEOSGeoJSONWriter_create_r(ctx->h);
    vsi_l_offset len;
    GByte *data;
    char *text;
    size_t i;
    hegui_buf_puts(&json, "{\"type\": \"FeatureCollection\", \"crs\": {\"type\": \"name\", "
                          "\"properties\": {\"name\": \"EPSG:4547\"}}, \"features\": [\n");
    for (i = 0; i < n; i++) {
        GEOSGeometry *g = fixture_geom(ctx, features[i].wkt);
        char *geojson = GEOSGeoJSONWriter_writeGeometry_r(ctx->h, writer, g, -1);
        hegui_buf_printf(&json, "%s{\"type\": \"Feature\", \"properties\": {%s}, \"geometry\": %s}\n",
                         i ? "," : "", features[i].props ? features[i].props : "", geojson);
        GEOSFree_r(ctx->h, geojson);
        GEOSGeom_destroy_r(ctx->h, g);
    }
    hegui_buf_puts(&json, "]}\n");
    GEOSGeoJSONWriter_destroy_r(ctx->h, writer);
    len = (vsi_l_offset)json.len;
    text = hegui_buf_take(&json);
    /* GDAL frees the buffer with VSIFree: hand it a copy from its allocator */
    data = VSIMalloc(len);
    memcpy(data, text, len);
    hegui_free(text);
    VSIFCloseL(VSIFileFromMemBuffer(path, data, len, TRUE));
}

/* A context over blocks (all of zone G141061) and the given layers, with
 * the default rules overlaid by yaml (may be NULL). Nothing is run yet. */
static fixture *fixture_new(const block_spec *blocks, size_t nblocks, const layer_spec *layers,
                            size_t nlayers, const char *yaml)
{
    static int counter;
    fixture *fx = calloc(1, sizeof(*fx));
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    char *wkt = NULL;
    size_t i;
    assert_non_null(fx);
    assert_true(nlayers <= FIXTURE_MAX_LAYERS);
    GDALAllRegister();
    if (yaml)
        assert_int_equal(hegui_config_parse(&fx->config, yaml, strlen(yaml), "t.yaml"), HEGUI_OK);
    else
        assert_int_equal(hegui_config_default(&fx->config), HEGUI_OK);
    OSRImportFromEPSG(srs, 4547);
    OSRExportToWkt(srs, &wkt);
    fx->crs_wkt = hegui_strdup(wkt);
    CPLFree(wkt);
    OSRDestroySpatialReference(srs);
    fx->layers[0].path = "mem/KFQ.shp";
    fx->layers[0].layer_name = "KFQ";
    fx->layers[0].role = HEGUI_ROLE_ZONES;
    fx->layers[0].has_crs = true;
    assert_int_equal(hegui_crs_describe(&fx->layers[0].crs, "EPSG:4547"), HEGUI_OK);
    fx->catalog.layers = fx->layers;
    fx->catalog.count = 1 + nlayers;
    fx->run.config = fx->config;
    fx->run.command = "check";
    assert_int_equal(hegui_crs_describe(&fx->run.working_crs, "EPSG:4547"), HEGUI_OK);
    assert_int_equal(check_ctx_init(&fx->ctx, fx->config, &fx->catalog, &fx->run, 4547), HEGUI_OK);
    for (i = 0; i < nlayers; i++) {
        hegui_layer_info *layer = &fx->layers[1 + i];
        const char *p = layers[i].fields;
        size_t k = 0;
        snprintf(fx->names[1 + i], sizeof(fx->names[1 + i]), "layer_%d", ++counter);
        snprintf(fx->paths[1 + i], sizeof(fx->paths[1 + i]), "/vsimem/%s.geojson",
                 fx->names[1 + i]);
        fixture_write_geojson(&fx->ctx, fx->paths[1 + i], layers[i].features, layers[i].count);
        layer->path = fx->paths[1 + i];
        layer->layer_name = fx->names[1 + i];
        layer->role = layers[i].role;
        layer->has_crs = true;
        layer->crs_wkt = fx->crs_wkt;
        layer->feature_count = (int64_t)layers[i].count; /* as the catalog counts */
        while (p && *p && k < 8) {
            size_t len = strcspn(p, ",");
            fx->fields[1 + i][k++] = hegui_strndup(p, len);
            p += len + (p[len] == ',');
        }
        layer->fields = fx->fields[1 + i];
        layer->field_count = k;
        if (layers[i].count > 0) { /* numeric fields, as the catalog tells them */
            GDALDatasetH ds = GDALOpenEx(fx->paths[1 + i], GDAL_OF_VECTOR, NULL, NULL, NULL);
            OGRFeatureDefnH defn;
            assert_non_null(ds);
            defn = OGR_L_GetLayerDefn(GDALDatasetGetLayer(ds, 0));
            for (k = 0; k < layer->field_count; k++) {
                int at = OGR_FD_GetFieldIndex(defn, layer->fields[k]);
                OGRFieldType type =
                    at >= 0 ? OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, at)) : OFTString;
                fx->numeric[1 + i][k] =
                    type == OFTInteger || type == OFTInteger64 || type == OFTReal;
            }
            GDALClose(ds);
        }
        layer->field_numeric = fx->numeric[1 + i];
    }
    fx->ctx.zone_fields = hegui_calloc(1 + nlayers, sizeof(*fx->ctx.zone_fields));
    fx->ctx.blocks = hegui_calloc(nblocks ? nblocks : 1, sizeof(check_block));
    for (i = 0; i < nblocks; i++) {
        check_block *b = &fx->ctx.blocks[i];
        char label[32];
        snprintf(label, sizeof(label), "b%zu", i);
        b->layer = &fx->layers[0];
        b->fid = (int64_t)i;
        b->values[ZONE_FIELD_CODE] = hegui_strdup("G141061");
        b->values[ZONE_FIELD_NAME] = hegui_strdup("z");
        b->values[ZONE_FIELD_BLOCK] = hegui_strdup(label);
        if (blocks[i].industries)
            b->values[ZONE_FIELD_INDUSTRIES] = hegui_strdup(blocks[i].industries);
        fx->ctx.block_count++;
        assert_int_equal(
            check_block_set_geometry(&fx->ctx, b, fixture_geom(&fx->ctx, blocks[i].wkt)),
            HEGUI_OK);
    }
    check_zones_finish(&fx->ctx);
    /* the zones of the run, as validate.c's fill_zones makes them */
    fx->run.zones = hegui_calloc(1, sizeof(*fx->run.zones));
    fx->run.zones[0].code = hegui_strdup("G141061");
    fx->run.zones[0].name = hegui_strdup("z");
    fx->run.zones[0].block_count = nblocks;
    fx->run.zone_count = 1;
    return fx;
}

/* Sorts the findings and builds the totals, as the pipeline does. */
static void fixture_finish(fixture *fx)
{
    hegui_findings_sort(&fx->run.findings);
    assert_int_equal(check_totals_build(&fx->ctx), HEGUI_OK);
}

static void fixture_free(fixture *fx)
{
    size_t i, k;
    check_ctx_release(&fx->ctx);
    for (i = 1; i <= FIXTURE_MAX_LAYERS; i++) {
        if (fx->paths[i][0])
            VSIUnlink(fx->paths[i]);
        for (k = 0; k < 8; k++)
            hegui_free(fx->fields[i][k]);
    }
    hegui_free(fx->crs_wkt);
    hegui_run_release(&fx->run);
    hegui_config_free(fx->config);
    free(fx);
}

static size_t count_rule(const fixture *fx, const char *rule)
{
    size_t i, n = 0;
    for (i = 0; i < fx->run.findings.count; i++)
        n += strcmp(fx->run.findings.items[i].rule, rule) == 0;
    return n;
}

/* The k-th finding of rule (in sorted order). */
static const hegui_finding *nth(const fixture *fx, const char *rule, size_t k)
{
    size_t i;
    for (i = 0; i < fx->run.findings.count; i++) {
        if (strcmp(fx->run.findings.items[i].rule, rule) == 0 && k-- == 0)
            return &fx->run.findings.items[i];
    }
    fail_msg("no finding %s #%zu", rule, k);
    return NULL;
}

#define SQ(x0, y0, x1, y1)                                                                         \
    "POLYGON((" #x0 " " #y0 "," #x1 " " #y0 "," #x1 " " #y1 "," #x0 " " #y1 "," #x0 " " #y0 "))"

#endif
