/*
 * reader.c - streams a layer's features as ISO WKB in the working CRS,
 * with the requested attributes as UTF-8 text. A GDAL error while reading
 * ends the stream with HEGUI_EINPUT naming the file and feature.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>
#include <ogr_api.h>

#include "io/io_internal.h"

struct hegui_reader {
    const hegui_layer_info *info;
    GDALDatasetH ds;
    OGRLayerH layer;
    OGRSpatialReferenceH source_srs; /* owned when assigned */
    OGRSpatialReferenceH target_srs;
    OGRCoordinateTransformationH transform;
    int *field_index;   /* -1 for fields the layer lacks */
    size_t field_count;
    OGRFeatureH feature; /* current feature, destroyed on the next call */
    unsigned char *wkb;
    size_t wkb_cap;
    char **values;
    int64_t count;
    int swap_xy; /* the layer's axes are swapped (northing first) */
    int native;  /* hand out stored coordinates (hegui_reader_open_native) */
    io_arrow *arrow;     /* the Arrow stream, when it serves this read */
    const hegui_transform *focus; /* native: features near no focus box come without WKB */
    const char **arrow_values;
    size_t *arrow_sizes;
    io_recoder *recoder; /* decodes the text here (recode.c), or NULL: GDAL does */
    /* hegui_reader_set_passes: one spatial filter after the other */
    double *pass_rects; /* 4 per pass, in the layer's CRS */
    size_t pass_count;
    size_t pass;     /* the one being read */
    unsigned char *seen; /* FIDs handed out, one bit each (a Shapefile's record numbers) */
    size_t seen_bytes;
    /* or, with a .qix or a GeoPackage R-tree: the FIDs the index gives for
     * any box, ascending, each fetched by its FID; from a .qix, kept when it
     * meets a box (pass_geoms) */
    int64_t *index_fids;
    size_t index_count, index_at;
    OGRGeometryH *pass_geoms; /* the boxes (pass_rects) as polygons, or NULL */
};

const char *hegui_io_gdal_version(void)
{
    return GDALVersionInfo("RELEASE_NAME");
}

static void clear_values(hegui_reader *r)
{
    size_t i;
    for (i = 0; i < r->field_count; i++) {
        hegui_free(r->values[i]);
        r->values[i] = NULL;
    }
}

void hegui_reader_close(hegui_reader *r)
{
    if (!r)
        return;
    if (r->feature)
        OGR_F_Destroy(r->feature);
    io_arrow_close(r->arrow);
    io_recoder_close(r->recoder);
    hegui_free((void *)r->arrow_values);
    hegui_free(r->arrow_sizes);
    if (r->values)
        clear_values(r);
    hegui_free(r->values);
    hegui_free(r->field_index);
    hegui_free(r->wkb);
    hegui_free(r->pass_rects);
    hegui_free(r->seen);
    hegui_free(r->index_fids);
    if (r->pass_geoms) {
        size_t i;
        for (i = 0; i < r->pass_count; i++)
            OGR_G_DestroyGeometry(r->pass_geoms[i]);
        hegui_free(r->pass_geoms);
    }
    if (r->transform)
        OCTDestroyCoordinateTransformation(r->transform);
    if (r->target_srs)
        OSRDestroySpatialReference(r->target_srs);
    if (r->source_srs)
        OSRDestroySpatialReference(r->source_srs);
    if (r->ds)
        GDALClose(r->ds);
    hegui_free(r);
}

/* The transformation from the working CRS back to the layer's, for
 * layer_rect: NULL when the layer is in the working CRS, or when there is
 * none (*ok false then). */
static OGRCoordinateTransformationH back_transform(const hegui_reader *r, bool *ok)
{
    OGRCoordinateTransformationH back = NULL;
    if (r->transform)
        back = OCTNewCoordinateTransformation(r->target_srs, r->source_srs);
    *ok = !r->transform || back;
    return back;
}

/* The box (xmin, ymin, xmax, ymax) of the working CRS as a rectangle of the
 * layer's CRS that contains it (back from back_transform). false when it
 * cannot be transformed. */
static bool layer_rect(const hegui_reader *r, OGRCoordinateTransformationH back, const double *box,
                       double out[4])
{
    double xmin = box[0], ymin = box[1], xmax = box[2], ymax = box[3];
    if (back &&
        !OCTTransformBounds(back, box[0], box[1], box[2], box[3], &xmin, &ymin, &xmax, &ymax, 21))
        return false;
    if (r->swap_xy) { /* the layer stores northing first */
        double t = xmin;
        xmin = ymin, ymin = t;
        t = xmax;
        xmax = ymax, ymax = t;
    }
    out[0] = xmin, out[1] = ymin, out[2] = xmax, out[3] = ymax;
    return true;
}

/* Whether GDAL's spatial filter can be trusted with the layer. Not for a
 * Shapefile with records marked deleted in its .dbf (through its .qix,
 * GDAL 3.6 fetches each record the index gives and fails on a deleted one,
 * "marked deleted", where a plain pass skips it), nor for one whose index
 * is stale (GDAL would miss the features it does not list). */
static bool filter_trusted(const hegui_reader *r)
{
    return r->info->deleted_records == 0 && !r->info->spatial_index_stale;
}

/* Sets a spatial filter given in the working CRS on the layer (in its CRS),
 * where it can be trusted. */
static int set_filter(hegui_reader *r, const double *filter)
{
    double rect[4];
    OGREnvelope e;
    bool ok;
    OGRCoordinateTransformationH back = back_transform(r, &ok);
    ok = ok && layer_rect(r, back, filter, rect);
    if (back)
        OCTDestroyCoordinateTransformation(back);
    if (!ok || !filter_trusted(r))
        return HEGUI_OK; /* no filter: correct, only slower */
    /* a filter covering most of the layer selects nearly everything
     * through the spatial index, row by row: a plain scan is faster */
    if (OGR_L_GetExtent(r->layer, &e, FALSE) == OGRERR_NONE && e.MaxX > e.MinX && e.MaxY > e.MinY) {
        double ix = fmin(rect[2], e.MaxX) - fmax(rect[0], e.MinX);
        double iy = fmin(rect[3], e.MaxY) - fmax(rect[1], e.MinY);
        if (ix > 0 && iy > 0 && ix * iy >= 0.5 * (e.MaxX - e.MinX) * (e.MaxY - e.MinY))
            return HEGUI_OK;
    }
    OGR_L_SetSpatialFilterRect(r->layer, rect[0], rect[1], rect[2], rect[3]);
    return HEGUI_OK;
}

/* The UTF-8 name of field i: the catalog's (decoded when the catalog
 * described the layer) when this read gets the stored bytes, GDAL's
 * otherwise. */
static const char *field_name(const hegui_reader *r, OGRFeatureDefnH defn, int i)
{
    if (r->recoder && r->info->fields && (size_t)i < r->info->field_count)
        return r->info->fields[i];
    return OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
}

/* The index of the field named name (UTF-8), or -1. */
static int field_index(const hegui_reader *r, OGRFeatureDefnH defn, const char *name)
{
    int n = OGR_FD_GetFieldCount(defn), i;
    if (!r->recoder)
        return OGR_FD_GetFieldIndex(defn, name);
    for (i = 0; i < n; i++) {
        if (strcmp(field_name(r, defn, i), name) == 0)
            return i;
    }
    return -1;
}

/* Tells the driver to skip the attributes nobody asked for: on large
 * layers parsing them costs more than the geometry. */
static int ignore_other_fields(hegui_reader *r, OGRFeatureDefnH defn, const char *const *fields,
                               size_t field_count)
{
    int n = OGR_FD_GetFieldCount(defn), i, k = 0;
    const char **ignored = hegui_calloc((size_t)n + 2, sizeof(char *));
    size_t j;
    if (!ignored)
        return HEGUI_ENOMEM;
    for (i = 0; i < n; i++) {
        const char *name = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
        bool wanted = false;
        for (j = 0; j < field_count && !wanted; j++)
            wanted = fields[j] && strcmp(fields[j], field_name(r, defn, i)) == 0;
        if (!wanted)
            ignored[k++] = name; /* as GDAL knows it */
    }
    ignored[k++] = "OGR_STYLE";
    OGR_L_SetIgnoredFields(r->layer, ignored); /* an optimisation: failure is harmless */
    hegui_free((void *)ignored);
    return HEGUI_OK;
}

/* Opens a reader; native: geometries keep the stored coordinates (the
 * transformation still places the spatial filter). */
static int reader_open(hegui_reader **out, const hegui_layer_info *info, const char *const *fields,
                       size_t field_count, int target_epsg, const double *filter, int native)
{
    hegui_reader *r;
    io_capture cap;
    OGRFeatureDefnH defn;
    size_t i;
    int64_t per; /* WKB bytes per feature, from the catalog */
    int rc = HEGUI_OK;

    *out = NULL;
    r = hegui_calloc(1, sizeof(*r));
    if (!r)
        return HEGUI_ENOMEM;
    r->info = info;
    r->native = native;
    if ((rc = io_recoder_open(&r->recoder, info)) < 0)
        goto fail;
    r->ds = io_open_dataset(info->gdal_path ? info->gdal_path : info->path,
                            io_recoder_open_option(r->recoder, info->open_option), NULL, &cap);
    if (!r->ds) {
        rc = hegui_error_set(HEGUI_EINPUT, "%s: cannot open: %s", info->path, cap.first);
        goto fail;
    }
    r->layer = GDALDatasetGetLayerByName(r->ds, info->layer_name);
    if (!r->layer) {
        rc = hegui_error_set(HEGUI_EINPUT, "%s: layer %s has disappeared", info->path,
                             info->layer_name);
        goto fail;
    }
    if (info->spec && info->spec->where &&
        OGR_L_SetAttributeFilter(r->layer, info->spec->where) != OGRERR_NONE) {
        rc = hegui_error_set(HEGUI_ECONFIG, "%s: bad filter \"%s\"", info->path,
                             info->spec->where);
        goto fail;
    }
    if (io_layer_reinterpreted(info)) {
        /* coordinates contradict the declared CRS: read them as what they
         * are (S04 reports the contradiction) */
        r->source_srs = io_srs_from_epsg(info->coord_check.suggested_epsg);
        r->swap_xy = info->coord_check.issue == HEGUI_COORD_SWAPPED;
        if (!r->source_srs) {
            rc = HEGUI_ECRS;
            goto fail;
        }
    } else if (info->crs_wkt) {
        r->source_srs = io_srs_from_user_input(info->crs_wkt);
        if (!r->source_srs) {
            rc = HEGUI_ECRS;
            goto fail;
        }
    }
    if (target_epsg && r->source_srs) {
        r->target_srs = io_srs_from_epsg(target_epsg);
        if (!r->target_srs) {
            rc = HEGUI_ECRS;
            goto fail;
        }
        if (!OSRIsSame(r->source_srs, r->target_srs)) {
            io_capture_begin(&cap);
            r->transform = OCTNewCoordinateTransformation(r->source_srs, r->target_srs);
            io_capture_end(&cap);
            if (!r->transform) {
                rc = hegui_error_set(HEGUI_ECRS, "%s: no transformation from %s to EPSG:%d: %s",
                                     info->path, info->crs.name, target_epsg, cap.first);
                goto fail;
            }
        }
    }
    if (filter && (rc = set_filter(r, filter)) < 0)
        goto fail;
    defn = OGR_L_GetLayerDefn(r->layer);
    r->field_count = field_count;
    r->field_index = hegui_calloc(field_count ? field_count : 1, sizeof(int));
    r->values = hegui_calloc(field_count ? field_count : 1, sizeof(char *));
    if (!r->field_index || !r->values) {
        rc = HEGUI_ENOMEM;
        goto fail;
    }
    if ((rc = ignore_other_fields(r, defn, fields, field_count)) < 0)
        goto fail;
    defn = OGR_L_GetLayerDefn(r->layer);
    for (i = 0; i < field_count; i++)
        r->field_index[i] = fields[i] ? field_index(r, defn, fields[i]) : -1;
    OGR_L_ResetReading(r->layer);
    per = info->feature_count > 0 ? info->geometry_bytes / info->feature_count : 0;
    if (native && io_arrow_pays(per) && GDALGetDatasetDriver(r->ds) &&
        strcmp(GDALGetDriverShortName(GDALGetDatasetDriver(r->ds)), "GPKG") == 0) {
        /* GeoPackage's Arrow stream skips building features (arrow.c) */
        r->arrow_values = hegui_calloc(field_count ? field_count : 1, sizeof(char *));
        r->arrow_sizes = hegui_calloc(field_count ? field_count : 1, sizeof(size_t));
        if (!r->arrow_values || !r->arrow_sizes) {
            rc = HEGUI_ENOMEM;
            goto fail;
        }
        if ((rc = io_arrow_open(&r->arrow, r->layer, fields, field_count,
                                io_arrow_batch_features(per))) < 0)
            goto fail;
    }
    *out = r;
    return HEGUI_OK;
fail:
    hegui_reader_close(r);
    return rc;
}

int hegui_reader_open(hegui_reader **out, const hegui_layer_info *info,
                      const char *const *fields, size_t field_count, int target_epsg,
                      const double *filter)
{
    return reader_open(out, info, fields, field_count, target_epsg, filter, 0);
}

int hegui_reader_open_native(hegui_reader **out, const hegui_layer_info *info,
                             const char *const *fields, size_t field_count, int filter_epsg,
                             const double *filter)
{
    return reader_open(out, info, fields, field_count, filter_epsg, filter, 1);
}

void hegui_reader_set_focus(hegui_reader *r, const hegui_transform *focus)
{
    r->focus = r->native ? focus : NULL;
}

static int compare_fids(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Sorts the n FIDs of fids and keeps each once (negative ones dropped) as
 * the reader's index_fids; takes fids (NULL when n is 0). */
static int keep_index_fids(hegui_reader *r, int64_t *fids, size_t n)
{
    size_t i;
    if (n > 1)
        qsort(fids, n, sizeof(*fids), compare_fids);
    r->index_count = 0;
    for (i = 0; i < n; i++) {
        if (fids[i] >= 0 && (r->index_count == 0 || fids[i] != fids[r->index_count - 1]))
            fids[r->index_count++] = fids[i];
    }
    r->index_fids = fids ? fids : hegui_malloc(sizeof(*fids)); /* none: an empty read */
    return r->index_fids ? HEGUI_OK : HEGUI_ENOMEM;
}

/* Appends count FIDs to *fids (*n of *cap used). */
static int add_fids(int64_t **fids, size_t *n, size_t *cap, const int *found, size_t count)
{
    size_t i;
    if (*n + count > *cap) {
        size_t grown_cap = 2 * (*n + count);
        int64_t *grown = hegui_realloc(*fids, grown_cap * sizeof(*grown));
        if (!grown)
            return HEGUI_ENOMEM;
        *fids = grown;
        *cap = grown_cap;
    }
    for (i = 0; i < count; i++)
        (*fids)[(*n)++] = found[i];
    return HEGUI_OK;
}

/*
 * Asks the layer's .qix (shapelib reads it) which records may meet any of
 * the boxes, and keeps them sorted, each once, with the boxes as polygons
 * for the exact test GDAL's spatial filter makes. Reading the records in
 * the file's order costs a third less than one spatial filter per box, which
 * fetches them in the index's order (a 4 KiB read per 53-byte .dbf record
 * when the file is not sorted in space). 1 when taken; 0 when there is no
 * usable .qix (GDAL's own passes serve then); HEGUI_ENOMEM.
 */
static int index_records(hegui_reader *r)
{
    SAHooks hooks;
    SHPTreeDiskHandle tree;
    char *path;
    size_t i, n = 0, cap = 0;
    int64_t *fids = NULL;
    if (r->info->spec && r->info->spec->where)
        return 0; /* GetFeature would not apply the attribute filter */
    if (!(path = io_shp_sibling(r->info->gdal_path ? r->info->gdal_path : r->info->path, "qix")))
        return 0;
    io_shapelib_hooks(&hooks);
    tree = SHPOpenDiskTree(path, &hooks);
    hegui_free(path);
    if (!tree)
        return 0;
    for (i = 0; i < r->pass_count && !io_shapelib_message()[0]; i++) {
        double lo[4] = {r->pass_rects[4 * i], r->pass_rects[4 * i + 1], 0, 0};
        double hi[4] = {r->pass_rects[4 * i + 2], r->pass_rects[4 * i + 3], 0, 0};
        int count = 0, *found = SHPSearchDiskTreeEx(tree, lo, hi, &count);
        if (count > 0 && found && add_fids(&fids, &n, &cap, found, (size_t)count) < 0) {
            free(found);
            hegui_free(fids);
            SHPCloseDiskTree(tree);
            return HEGUI_ENOMEM;
        }
        free(found); /* shapelib's malloc */
    }
    SHPCloseDiskTree(tree);
    if (io_shapelib_message()[0]) {
        hegui_free(fids); /* a damaged index: GDAL's passes say what is wrong */
        return 0;
    }
    if (keep_index_fids(r, fids, n) < 0)
        return HEGUI_ENOMEM;
    r->pass_geoms = hegui_calloc(r->pass_count, sizeof(*r->pass_geoms));
    if (!r->pass_geoms)
        return HEGUI_ENOMEM;
    for (i = 0; i < r->pass_count; i++) {
        const double *b = r->pass_rects + 4 * i;
        OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
        OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
        if (!ring || !poly) {
            OGR_G_DestroyGeometry(ring);
            OGR_G_DestroyGeometry(poly);
            return HEGUI_ENOMEM;
        }
        OGR_G_AddPoint_2D(ring, b[0], b[1]);
        OGR_G_AddPoint_2D(ring, b[2], b[1]);
        OGR_G_AddPoint_2D(ring, b[2], b[3]);
        OGR_G_AddPoint_2D(ring, b[0], b[3]);
        OGR_G_AddPoint_2D(ring, b[0], b[1]);
        OGR_G_AddGeometryDirectly(poly, ring);
        r->pass_geoms[i] = poly;
    }
    return 1;
}

/*
 * Asks a GeoPackage layer's R-tree (rtree_<table>_<column>, which the
 * catalog has counted against the layer: spatial_index_stale) which
 * features' envelopes meet a box, one query per box, and keeps their FIDs,
 * to be fetched in FID order (the order of a plain read). Only for a layer
 * read feature by feature: features of more than IO_ARROW_MAX_FEATURE_BYTES,
 * each costing many pages of the file to read, where GetFeature's lookup
 * (some 25 us) is cheap beside the read it spares; and only when the boxes
 * select at most IO_RTREE_MAX_SHARE of the features. The R-tree's float
 * envelopes are rounded outwards, so nothing that meets a box is missed;
 * a feature whose envelope meets a box but not its geometry comes too (the
 * overlay and the focus test settle it). 1 when taken; 0 when there is no
 * R-tree to ask or it selects too much; HEGUI_ENOMEM.
 */
static int rtree_records(hegui_reader *r)
{
    const char *column = OGR_L_GetGeometryColumn(r->layer);
    hegui_buf name = HEGUI_BUF_INIT, from = HEGUI_BUF_INIT;
    int64_t *fids = NULL;
    size_t i, n = 0, room = 0;
    int rc = HEGUI_OK, asked = 1;
    if (r->info->spec && r->info->spec->where)
        return 0; /* GetFeature would not apply the attribute filter */
    if (!column || !*column || r->info->feature_count <= 0)
        return 0;
    hegui_buf_printf(&name, "rtree_%s_%s", r->info->layer_name, column);
    hegui_buf_puts(&from, "SELECT id FROM ");
    io_sql_identifier(&from, hegui_buf_cstr(&name));
    if (name.failed || from.failed)
        rc = HEGUI_ENOMEM;
    for (i = 0; i < r->pass_count && rc == HEGUI_OK && asked; i++) {
        const double *b = r->pass_rects + 4 * i;
        char *sql = hegui_sprintf("%s WHERE minx <= %.17g AND maxx >= %.17g AND miny <= %.17g "
                                  "AND maxy >= %.17g",
                                  hegui_buf_cstr(&from), b[2], b[0], b[3], b[1]);
        io_capture cap;
        OGRLayerH result;
        OGRFeatureH f;
        if (!sql) {
            rc = HEGUI_ENOMEM;
            break;
        }
        io_capture_begin(&cap);
        result = GDALDatasetExecuteSQL(r->ds, sql, NULL, NULL);
        while (result && rc == HEGUI_OK && (f = OGR_L_GetNextFeature(result)) != NULL) {
            int64_t fid = OGR_F_GetFieldAsInteger64(f, 0);
            OGR_F_Destroy(f);
            if (n == room) {
                size_t grown_room = room ? 2 * room : 1024;
                int64_t *grown = hegui_realloc(fids, grown_room * sizeof(*grown));
                if (!grown) {
                    rc = HEGUI_ENOMEM;
                    break;
                }
                fids = grown;
                room = grown_room;
            }
            fids[n++] = fid;
        }
        if (result)
            GDALDatasetReleaseResultSet(r->ds, result);
        io_capture_end(&cap);
        hegui_free(sql);
        asked = result && !cap.errors; /* else no R-tree to ask: one plain pass */
    }
    hegui_buf_release(&name);
    hegui_buf_release(&from);
    if (rc < 0 || !asked) {
        hegui_free(fids);
        return rc;
    }
    if ((rc = keep_index_fids(r, fids, n)) < 0) /* takes fids */
        return rc;
    if ((double)r->index_count > IO_RTREE_MAX_SHARE * (double)r->info->feature_count) {
        hegui_free(r->index_fids); /* most of the layer: one pass reads it faster */
        r->index_fids = NULL;
        r->index_count = 0;
        return 0;
    }
    return 1;
}

/* Whether geom meets one of the boxes, as GDAL's spatial filter decides:
 * no geometry or an empty one never; envelopes apart, no; an envelope
 * inside a box, yes; else the geometries' intersection (GEOS). */
static bool meets_a_box(const hegui_reader *r, OGRGeometryH geom)
{
    OGREnvelope e;
    size_t i;
    if (!geom || OGR_G_IsEmpty(geom))
        return false;
    OGR_G_GetEnvelope(geom, &e);
    for (i = 0; i < r->pass_count; i++) {
        const double *b = r->pass_rects + 4 * i;
        if (e.MaxX < b[0] || e.MaxY < b[1] || b[2] < e.MinX || b[3] < e.MinY)
            continue;
        if ((e.MinX >= b[0] && e.MinY >= b[1] && e.MaxX <= b[2] && e.MaxY <= b[3]) ||
            OGR_G_Intersects(geom, r->pass_geoms[i]))
            return true;
    }
    return false;
}

int hegui_reader_set_passes(hegui_reader *r, const double *boxes, size_t count)
{
    GDALDriverH driver = GDALGetDatasetDriver(r->ds);
    const char *name = driver ? GDALGetDriverShortName(driver) : "";
    bool shp = strcmp(name, "ESRI Shapefile") == 0, gpkg = strcmp(name, "GPKG") == 0;
    OGRCoordinateTransformationH back;
    size_t i;
    bool ok;
    int rc;
    if (!r->native || r->arrow || r->count > 0 || count < 2 || !filter_trusted(r) ||
        !(shp || gpkg) || !OGR_L_TestCapability(r->layer, OLCFastSpatialFilter))
        return 0;
    /* a Shapefile's small records: only when most of the layer is far from
     * every box (GDAL's passes and the .qix cost more per feature) */
    if (shp && r->info->feature_count < IO_PASSES_FEATURES_PER_BOX * (int64_t)count)
        return 0;
    r->pass_rects = hegui_malloc(4 * count * sizeof(double));
    if (!r->pass_rects)
        return HEGUI_ENOMEM;
    back = back_transform(r, &ok); /* one for every box */
    for (i = 0; ok && i < count; i++)
        ok = layer_rect(r, back, boxes + 4 * i, r->pass_rects + 4 * i);
    if (back)
        OCTDestroyCoordinateTransformation(back);
    if (!ok) {
        hegui_free(r->pass_rects); /* one plain pass, as before */
        r->pass_rects = NULL;
        return 0;
    }
    r->pass_count = count;
    r->pass = 0;
    if (gpkg) {
        if ((rc = rtree_records(r)) == 0) {
            hegui_free(r->pass_rects); /* one plain pass */
            r->pass_rects = NULL;
            r->pass_count = 0;
        }
        return rc;
    }
    if ((rc = index_records(r)) != 0)
        return rc < 0 ? rc : 1;
    OGR_L_SetSpatialFilterRect(r->layer, r->pass_rects[0], r->pass_rects[1], r->pass_rects[2],
                               r->pass_rects[3]);
    OGR_L_ResetReading(r->layer);
    return 1;
}

/* Marks fid (a record number, >= 0) handed out: 1 when it is new, 0 when
 * an earlier pass had it. */
static int seen_add(hegui_reader *r, int64_t fid)
{
    size_t byte = (size_t)fid / 8;
    unsigned char bit = (unsigned char)(1u << (fid % 8));
    if (byte >= r->seen_bytes) {
        size_t bytes = 2 * byte + 1024;
        unsigned char *grown = hegui_realloc(r->seen, bytes);
        if (!grown)
            return HEGUI_ENOMEM;
        memset(grown + r->seen_bytes, 0, bytes - r->seen_bytes);
        r->seen = grown;
        r->seen_bytes = bytes;
    }
    if (r->seen[byte] & bit)
        return 0;
    r->seen[byte] |= bit;
    return 1;
}

bool hegui_reader_uses_arrow(const hegui_reader *r)
{
    return r->arrow != NULL;
}

int64_t hegui_reader_count(const hegui_reader *r)
{
    return r->count;
}

static int export_linear(hegui_reader *r, OGRGeometryH geom, hegui_feature *f);

/* Exports the current feature's geometry (transformed) into r->wkb; one
 * with arcs as a polyline (curves.c). */
static int export_geometry(hegui_reader *r, OGRGeometryH geom, hegui_feature *f)
{
    OGRGeometryH linear;
    int rc;
    if (OGR_G_IsEmpty(geom)) {
        f->problems |= HEGUI_FEATURE_EMPTY_GEOMETRY;
        return HEGUI_OK;
    }
    if (!(linear = io_linear_copy(geom)))
        return export_linear(r, geom, f);
    rc = export_linear(r, linear, f);
    OGR_G_DestroyGeometry(linear);
    return rc;
}

static int export_linear(hegui_reader *r, OGRGeometryH geom, hegui_feature *f)
{
    size_t size;
    hegui_wkb_stats stats;
    if (r->focus) { /* a native read: the envelope alone may settle it */
        OGREnvelope e;
        double env[4];
        OGR_G_GetEnvelope(geom, &e);
        env[0] = e.MinX, env[1] = e.MinY, env[2] = e.MaxX, env[3] = e.MaxY;
        if (!hegui_transform_may_meet(r->focus, env)) {
            f->problems |= HEGUI_FEATURE_FAR;
            return HEGUI_OK;
        }
    }
    if (r->swap_xy && !r->native)
        OGR_G_SwapXY(geom);
    if (r->transform && !r->native && OGR_G_Transform(geom, r->transform) != OGRERR_NONE) {
        f->problems |= HEGUI_FEATURE_NONFINITE;
        return HEGUI_OK;
    }
    size = (size_t)OGR_G_WkbSize(geom);
    if (size > r->wkb_cap) {
        unsigned char *grown = hegui_realloc(r->wkb, size);
        if (!grown)
            return HEGUI_ENOMEM;
        r->wkb = grown;
        r->wkb_cap = size;
    }
    OGR_G_ExportToIsoWkb(geom, wkbNDR, r->wkb);
    if (hegui_wkb_scan(&stats, r->wkb, size) < 0 || stats.nonfinite)
        f->problems |= HEGUI_FEATURE_NONFINITE;
    f->wkb = r->wkb;
    f->wkb_size = size;
    return HEGUI_OK;
}

/* Value i of the current feature: s as UTF-8, repaired and flagged when
 * it was not. */
static int set_value(hegui_reader *r, hegui_feature *f, size_t i, const char *s)
{
    size_t replaced = 0;
    r->values[i] = r->recoder ? io_recode(r->recoder, s, &replaced)
                              : hegui_utf8_repair(s, &replaced);
    if (!r->values[i])
        return HEGUI_ENOMEM;
    if (replaced)
        f->problems |= HEGUI_FEATURE_BAD_UTF8;
    return HEGUI_OK;
}

static int finish_arrow_values(hegui_reader *r, hegui_feature *f, const io_arrow_row *row);

/* hegui_reader_next from the Arrow stream: the same feature, field values
 * and problem flags as from GetNextFeature (test_io compares them). */
static int next_from_arrow(hegui_reader *r, hegui_feature *f)
{
    io_arrow_row row;
    int got;
    row.values = r->arrow_values;
    row.sizes = r->arrow_sizes;
    got = io_arrow_next(r->arrow, &row);
    if (got < 0)
        return hegui_error_prefix("%s (layer %s): GDAL could not read feature %lld; the file is "
                                  "damaged, or changed while hegui ran",
                                  r->info->path, r->info->layer_name, (long long)r->count + 1);
    if (got == 0)
        return 0;
    r->count++;
    f->fid = row.fid;
    if (!row.wkb) {
        f->problems |= HEGUI_FEATURE_NULL_GEOMETRY;
    } else {
        hegui_wkb_stats stats;
        int scanned = hegui_wkb_scan(&stats, row.wkb, row.wkb_size), linear = 0;
        if (scanned < 0) { /* arcs: as a polyline, in r->wkb; else malformed */
            size_t size = 0;
            if ((linear = io_linearize_wkb(row.wkb, row.wkb_size, &r->wkb, &r->wkb_cap, &size)) < 0)
                return linear;
            if (linear) {
                row.wkb = r->wkb;
                row.wkb_size = size;
                scanned = hegui_wkb_scan(&stats, row.wkb, row.wkb_size);
            }
        }
        /* the WKB stays in GDAL's batch until the next read: not copied */
        if (scanned < 0 || stats.nonfinite) {
            f->problems |= HEGUI_FEATURE_NONFINITE;
        } else if (stats.points == 0) {
            f->problems |= HEGUI_FEATURE_EMPTY_GEOMETRY;
            return finish_arrow_values(r, f, &row);
        } else if (r->focus && !hegui_transform_may_meet(r->focus, stats.envelope)) {
            f->problems |= HEGUI_FEATURE_FAR;
            return 1; /* nor its values: most of a city-wide layer, dropped unread */
        }
        f->wkb = row.wkb;
        f->wkb_size = row.wkb_size;
    }
    return finish_arrow_values(r, f, &row);
}

/* The text values of an Arrow row, as UTF-8 (repaired, flagged). */
static int finish_arrow_values(hegui_reader *r, hegui_feature *f, const io_arrow_row *row)
{
    size_t i;
    for (i = 0; i < r->field_count; i++) {
        char *text;
        int rc;
        if (!row->values[i])
            continue;
        text = hegui_malloc(row->sizes[i] + 1);
        if (!text)
            return HEGUI_ENOMEM;
        memcpy(text, row->values[i], row->sizes[i]);
        text[row->sizes[i]] = '\0';
        if (!r->recoder && hegui_utf8_valid(text, strlen(text))) {
            r->values[i] = text; /* the usual case: as it is, no second copy */
            continue;
        }
        rc = set_value(r, f, i, text);
        hegui_free(text);
        if (rc < 0)
            return rc;
    }
    f->values = r->values;
    f->value_count = r->field_count;
    return 1;
}

int hegui_reader_next(hegui_reader *r, hegui_feature *f)
{
    io_capture cap;
    OGRGeometryH geom;
    size_t i;
    int rc;

    memset(f, 0, sizeof(*f));
    if (r->arrow) {
        clear_values(r);
        return next_from_arrow(r, f);
    }
    if (r->feature) {
        OGR_F_Destroy(r->feature);
        r->feature = NULL;
    }
    clear_values(r);
    for (;;) {
        io_capture_begin(&cap);
        if (!r->index_fids)
            r->feature = OGR_L_GetNextFeature(r->layer);
        else if (r->index_at < r->index_count)
            r->feature = OGR_L_GetFeature(r->layer, r->index_fids[r->index_at++]);
        io_capture_end(&cap);
        if (cap.errors && r->index_fids) /* fetched by FID: name it */
            return hegui_error_set(HEGUI_EINPUT,
                                   "%s (layer %s): GDAL could not read the feature of FID %lld: "
                                   "%s; the file is damaged, or changed while hegui ran",
                                   r->info->path, r->info->layer_name,
                                   (long long)r->index_fids[r->index_at - 1], cap.first);
        if (cap.errors)
            return hegui_error_set(HEGUI_EINPUT,
                                   "%s (layer %s): GDAL could not read feature %lld: %s; the "
                                   "file is damaged, or changed while hegui ran",
                                   r->info->path, r->info->layer_name, (long long)r->count + 1,
                                   cap.first);
        if (r->index_fids) { /* the index's records, each once: those that meet a box */
            if (r->feature && (!r->pass_geoms || meets_a_box(r, OGR_F_GetGeometryRef(r->feature))))
                break;
            if (r->feature)
                OGR_F_Destroy(r->feature);
            r->feature = NULL;
            if (r->index_at == r->index_count)
                return 0;
            continue;
        }
        if (!r->feature && r->pass + 1 < r->pass_count) { /* the next box */
            const double *rect = r->pass_rects + 4 * ++r->pass;
            OGR_L_SetSpatialFilterRect(r->layer, rect[0], rect[1], rect[2], rect[3]);
            OGR_L_ResetReading(r->layer);
            continue;
        }
        if (!r->feature)
            return 0;
        if (!r->pass_count || (rc = seen_add(r, OGR_F_GetFID(r->feature))) == 1)
            break;
        OGR_F_Destroy(r->feature); /* handed out in an earlier pass */
        r->feature = NULL;
        if (rc < 0)
            return rc;
    }
    r->count++;
    f->fid = OGR_F_GetFID(r->feature);
    geom = OGR_F_GetGeometryRef(r->feature);
    if (!geom)
        f->problems |= HEGUI_FEATURE_NULL_GEOMETRY;
    else if ((rc = export_geometry(r, geom, f)) < 0)
        return rc;
    if (f->problems & HEGUI_FEATURE_FAR)
        return 1; /* nor its values, as from the Arrow stream */
    for (i = 0; i < r->field_count; i++) {
        int idx = r->field_index[i];
        const char *s;
        if (idx < 0 || !OGR_F_IsFieldSetAndNotNull(r->feature, idx))
            continue;
        s = OGR_F_GetFieldAsString(r->feature, idx);
        if ((rc = set_value(r, f, i, s)) < 0)
            return rc;
    }
    f->values = r->values;
    f->value_count = r->field_count;
    return 1;
}
