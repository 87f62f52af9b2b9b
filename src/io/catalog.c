/*
 * catalog.c - finds every layer of the inputs and describes it: driver,
 * geometry type, counts, CRS and its contradictions, role, text encoding.
 *
 * Each layer is read completely once here, so a truncated or damaged file
 * stops the run before any check sees a partial layer (DESIGN.md section 8);
 * the layers are read side by side on a few threads (read_layers).
 */
#define _XOPEN_SOURCE 700

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <ogr_api.h>

#include "io/hash_internal.h"
#include "io/io_internal.h"

const char *const io_allowed_drivers[] = {
    "ESRI Shapefile", "GPKG", "OpenFileGDB", "GeoJSON", "FlatGeobuf", "KML", "LIBKML",
    "CSV", "MapInfo File", "DXF", "PostgreSQL", "SQLite", NULL};

/* Extensions of files that belong to another file (shapefile sidecars,
 * indexes, metadata) or are never vector data: not opened on their own. */
static const char *const skipped_extensions[] = {
    ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".xml", ".qmd", ".qml", ".lock",
    ".gpkg-wal", ".gpkg-shm", ".sqlite-wal", ".sqlite-shm", ".md", ".yaml", ".yml",
    ".LICENSE", ".license", ".txt", ".pdf", ".xlsx", ".xls", ".doc", ".docx", ".html",
    ".png", ".jpg", ".tif", ".tiff", ".ovr", ".aux", ".id", ".dat", ".map", ".ind", NULL};

/* Extensions that must open as vector data: failure is an error, not a
 * skipped file. */
static const char *const vector_extensions[] = {
    ".shp", ".gpkg", ".geojson", ".json", ".fgb", ".kml", ".kmz", ".tab", ".mif", ".dxf",
    ".sqlite", ".gdb", NULL};

static bool has_extension_in(const char *path, const char *const *list)
{
    size_t i;
    for (i = 0; list[i]; i++) {
        if (hegui_str_iends(path, list[i]))
            return true;
    }
    return false;
}

GDALDatasetH io_open_dataset(const char *path, const char *open_option,
                             const char *const *extra, io_capture *cap)
{
    char **options = NULL;
    GDALDatasetH ds;
    size_t i;
    if (open_option)
        options = CSLAddString(options, open_option);
    for (i = 0; extra && extra[i]; i++)
        options = CSLAddString(options, extra[i]);
    io_capture_begin(cap);
    ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR,
                    io_allowed_drivers, (const char *const *)options, NULL);
    io_capture_end(cap);
    CSLDestroy(options);
    return ds;
}

/* --- the growing catalog --- */

typedef struct scan_state {
    hegui_catalog *catalog;
    const hegui_open_options *options;
    const hegui_config *config;
    size_t layer_cap;
    size_t note_cap;
} scan_state;

static int add_note(scan_state *st, const char *fmt, ...) HEGUI_PRINTF(2, 3);

static int add_note(scan_state *st, const char *fmt, ...)
{
    hegui_catalog *cat = st->catalog;
    hegui_buf buf = HEGUI_BUF_INIT;
    va_list ap;
    int n;
    char *text;
    if (cat->note_count == st->note_cap) {
        size_t cap = st->note_cap ? 2 * st->note_cap : 8;
        char **notes = hegui_realloc(cat->notes, cap * sizeof(*notes));
        if (!notes)
            return HEGUI_ENOMEM;
        cat->notes = notes;
        st->note_cap = cap;
    }
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || hegui_buf_grow(&buf, (size_t)n) < 0)
        return HEGUI_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(buf.ptr, (size_t)n + 1, fmt, ap);
    va_end(ap);
    buf.len = (size_t)n;
    text = hegui_buf_take(&buf);
    if (!text)
        return HEGUI_ENOMEM;
    cat->notes[cat->note_count++] = text;
    return HEGUI_OK;
}

static hegui_layer_info *new_layer(scan_state *st)
{
    hegui_catalog *cat = st->catalog;
    hegui_layer_info *info;
    if (cat->count == st->layer_cap) {
        size_t cap = st->layer_cap ? 2 * st->layer_cap : 16;
        hegui_layer_info *layers = hegui_realloc(cat->layers, cap * sizeof(*layers));
        if (!layers)
            return NULL;
        cat->layers = layers;
        st->layer_cap = cap;
    }
    info = &cat->layers[cat->count++];
    memset(info, 0, sizeof(*info));
    return info;
}

static void layer_release(hegui_layer_info *info)
{
    size_t i;
    hegui_free(info->path);
    hegui_free(info->layer_name);
    hegui_free(info->driver);
    hegui_free(info->geometry_type);
    hegui_free(info->crs_wkt);
    hegui_free(info->role_reason);
    hegui_free(info->label);
    hegui_free(info->encoding);
    hegui_free(info->encoding_note);
    hegui_free(info->open_option);
    if (info->gdal_path && hegui_str_istarts(info->gdal_path, "/vsimem/"))
        VSIUnlink(info->gdal_path); /* the in-memory copy of a boundary-point TXT */
    hegui_free(info->gdal_path);
    for (i = 0; i < info->txt_problem_count; i++) {
        hegui_free(info->txt_problems[i].message_zh);
        hegui_free(info->txt_problems[i].message_en);
    }
    hegui_free(info->txt_problems);
    for (i = 0; i < info->field_count; i++)
        hegui_free(info->fields[i]);
    hegui_free(info->fields);
    hegui_free(info->field_numeric);
}

void hegui_catalog_free(hegui_catalog *catalog)
{
    size_t i;
    if (!catalog)
        return;
    for (i = 0; i < catalog->count; i++)
        layer_release(&catalog->layers[i]);
    hegui_free(catalog->layers);
    for (i = 0; i < catalog->note_count; i++)
        hegui_free(catalog->notes[i]);
    hegui_free(catalog->notes);
    hegui_io_hash_free(catalog->hashing);
    hegui_free(catalog);
}

/* --- shapefile specifics --- */

/* True when path with its extension replaced by ext (either case) exists. */
static bool sibling_exists(const char *path, const char *ext_lower, const char *ext_upper)
{
    size_t len = strlen(path);
    const char *dot = strrchr(path, '.');
    char *sib;
    struct stat sb;
    bool found = false;
    if (!dot || strchr(dot, '/'))
        return false;
    len = (size_t)(dot - path);
    sib = hegui_malloc(len + 8);
    if (!sib)
        return false;
    memcpy(sib, path, len);
    strcpy(sib + len, ext_lower);
    found = stat(sib, &sb) == 0;
    if (!found) {
        strcpy(sib + len, ext_upper);
        found = stat(sib, &sb) == 0;
    }
    hegui_free(sib);
    return found;
}

/* Checks the files a shapefile needs before GDAL sees it: GDAL opens a .shp
 * without its .dbf silently (no attributes at all) and asks to *write* a
 * new .shx when that is missing, which hegui never does beside an input. */
static int check_shapefile_parts(const char *path)
{
    if (!sibling_exists(path, ".dbf", ".DBF"))
        return hegui_error_set(
            HEGUI_EINPUT,
            "%s: the .dbf file is missing, so the layer has no attributes (zone codes, names, "
            "areas); put the .dbf of the same name beside the .shp",
            path);
    if (!sibling_exists(path, ".shx", ".SHX"))
        return hegui_error_set(
            HEGUI_EINPUT,
            "%s: the .shx index is missing; hegui never writes beside its inputs: copy the .shp "
            "and .dbf elsewhere and rebuild the index there (ogrinfo --config SHAPE_RESTORE_SHX "
            "YES COPY.shp), or ask for the complete delivery",
            path);
    return HEGUI_OK;
}

/* Metadata item of a shapefile layer's SHAPEFILE domain ("" when none). */
static const char *shape_metadata(OGRLayerH layer, const char *key)
{
    const char *v = GDALGetMetadataItem((GDALMajorObjectH)layer, key, "SHAPEFILE");
    return v ? v : "";
}

/* True when every string value of the layer is valid UTF-8. */
static bool strings_are_utf8(OGRLayerH layer)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int nfields = OGR_FD_GetFieldCount(defn), i;
    OGRFeatureH feature;
    bool valid = true;
    OGR_L_ResetReading(layer);
    while (valid && (feature = OGR_L_GetNextFeature(layer)) != NULL) {
        for (i = 0; i < nfields; i++) {
            OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, i);
            if (OGR_Fld_GetType(fd) == OFTString && OGR_F_IsFieldSetAndNotNull(feature, i)) {
                const char *s = OGR_F_GetFieldAsString(feature, i);
                if (!hegui_utf8_valid(s, strlen(s)))
                    valid = false;
            }
        }
        OGR_F_Destroy(feature);
    }
    OGR_L_ResetReading(layer);
    return valid;
}

/*
 * Decides the text encoding of a shapefile (DESIGN.md 2): the encoding
 * given by the user (rules file, --input-encoding), else the one the file
 * declares (.cpg, DBF language id), else, with none declared, UTF-8 when
 * every string is valid UTF-8 and GB18030 otherwise. Sets info->encoding,
 * ->encoding_note and ->open_option (the ENCODING= to reopen with).
 */
static int decide_shapefile_encoding(hegui_layer_info *info, OGRLayerH layer,
                                     const char *forced)
{
    const char *declared = shape_metadata(layer, "SOURCE_ENCODING");
    const char *cpg = shape_metadata(layer, "CPG_VALUE");
    if (forced && *forced && !hegui_str_iequal(forced, "auto")) {
        info->encoding = hegui_strdup(forced);
        info->encoding_note = hegui_sprintf("given by the user (declared: %s)",
                                            *declared ? declared : "none");
        info->open_option = hegui_sprintf("ENCODING=%s", forced);
    } else if (*declared) {
        info->encoding = hegui_strdup(declared);
        info->encoding_note = hegui_strdup(*cpg ? "declared by the .cpg file"
                                                : "declared by the DBF language id");
    } else if (strings_are_utf8(layer)) {
        info->encoding = hegui_strdup("UTF-8");
        info->encoding_note =
            hegui_strdup("not declared (no .cpg, no DBF language id); every string is valid UTF-8");
        info->open_option = hegui_strdup("ENCODING=");
    } else {
        info->encoding = hegui_strdup("GB18030");
        info->encoding_note = hegui_strdup(
            "not declared (no .cpg, no DBF language id) and not valid UTF-8: decoded as GB18030 "
            "(GBK); add a .cpg file or use --input-encoding if this is wrong");
        info->open_option = hegui_strdup("ENCODING=GB18030");
    }
    if (!info->encoding || !info->encoding_note)
        return HEGUI_ENOMEM;
    return HEGUI_OK;
}

/* --- reading one layer completely --- */

/* What reading some or all of a layer's features found. */
typedef struct read_tally {
    int64_t read;
    int64_t null_geometries, empty_geometries, nonfinite_geometries;
    int64_t curved_geometries; /* read as polylines (curves.c) */
    int64_t bad_strings;
    int64_t geometry_bytes;
    int64_t streamed; /* features read through the Arrow stream */
} read_tally;

/* Tallies one non-NULL geometry given as WKB: empty (no point; the scan
 * skips WKB's POINT EMPTY, NaN NaN), else its bytes, and whether a
 * coordinate is not finite. A geometry with arcs is tallied as the polyline
 * the reader makes of it, and counted. WKB the scan does not take even
 * then (malformed) is counted as not finite, as the reader flags it, and
 * HEGUI_EINPUT is returned. */
static int tally_wkb(read_tally *t, const unsigned char *wkb, size_t size)
{
    hegui_wkb_stats stats;
    if (hegui_wkb_scan(&stats, wkb, size) < 0) {
        unsigned char *linear = NULL;
        size_t cap = 0, linear_size = 0;
        int rc = io_linearize_wkb(wkb, size, &linear, &cap, &linear_size);
        if (rc > 0) {
            t->curved_geometries++;
            rc = tally_wkb(t, linear, linear_size);
            hegui_free(linear);
            return rc;
        }
        hegui_free(linear);
        if (rc < 0)
            return rc;
        t->geometry_bytes += (int64_t)size;
        t->nonfinite_geometries++;
        return HEGUI_EINPUT;
    }
    if (stats.points == 0) {
        t->empty_geometries++;
        return HEGUI_OK;
    }
    t->geometry_bytes += (int64_t)size;
    t->nonfinite_geometries += stats.nonfinite > 0;
    return HEGUI_OK;
}

/*
 * Mean WKB bytes of the first few features of layer (read, then the
 * layer rewound), to choose the read (io_arrow_pays); 0 when none has a
 * geometry. GDAL's messages are dropped: the read that follows meets
 * any damage again and reports it.
 */
static int64_t sample_feature_bytes(OGRLayerH layer)
{
    enum { SAMPLE = 16 };
    int64_t bytes = 0, with_geometry = 0;
    OGRFeatureH feature;
    io_capture cap;
    int read = 0;
    io_capture_begin(&cap);
    while (read < SAMPLE && (feature = OGR_L_GetNextFeature(layer)) != NULL) {
        OGRGeometryH geom = OGR_F_GetGeometryRef(feature);
        if (geom) {
            bytes += OGR_G_WkbSize(geom);
            with_geometry++;
        }
        OGR_F_Destroy(feature);
        read++;
    }
    io_capture_end(&cap);
    OGR_L_ResetReading(layer);
    return with_geometry ? bytes / with_geometry : 0;
}

/*
 * read_features through OGR's Arrow stream (arrow.c), for a GeoPackage
 * layer of small features: no OGRFeature or OGRGeometry per row, the WKB
 * as stored. The text columns are the layer's string fields. *served is
 * false when the stream cannot serve them, fails, or holds a WKB the scan
 * does not take: the caller then reads feature by feature from the start,
 * which names the feature GDAL cannot read and GDAL's reason (the stream's
 * own reason may be given on GDAL's reading thread, out of reach of
 * io_capture) and tallies as before.
 */
static int read_features_arrow(OGRLayerH layer, int64_t per, read_tally *t, bool *served)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int nfields = OGR_FD_GetFieldCount(defn), i;
    const char **names = hegui_calloc((size_t)nfields + 1, sizeof(*names));
    const char **values = hegui_calloc((size_t)nfields + 1, sizeof(*values));
    size_t *sizes = hegui_calloc((size_t)nfields + 1, sizeof(*sizes)), count = 0, k;
    io_arrow *arrow = NULL;
    io_arrow_row row;
    int rc;

    *served = false;
    if (!names || !values || !sizes) {
        rc = HEGUI_ENOMEM;
        goto done;
    }
    for (i = 0; i < nfields; i++) {
        OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, i);
        if (OGR_Fld_GetType(fd) == OFTString)
            names[count++] = OGR_Fld_GetNameRef(fd);
    }
    if ((rc = io_arrow_open(&arrow, layer, names, count, io_arrow_batch_features(per))) < 0 ||
        !arrow || io_arrow_missing(arrow) > 0) /* every string is checked, or GDAL reads */
        goto done;
    *served = true;
    row.values = values;
    row.sizes = sizes;
    while ((rc = io_arrow_next(arrow, &row)) == 1) {
        t->read++;
        t->streamed++;
        if (row.wkb && tally_wkb(t, row.wkb, row.wkb_size) < 0) {
            rc = HEGUI_EINPUT; /* stored WKB the scan does not take: read by GDAL instead */
            break;
        }
        t->null_geometries += !row.wkb;
        for (k = 0; k < count; k++)
            t->bad_strings += values[k] && !hegui_utf8_valid(values[k], sizes[k]);
    }
    if (rc == HEGUI_EINPUT) { /* the stream failed, or a WKB the scan does not take */
        *served = false;
        rc = HEGUI_OK;
    }
done:
    io_arrow_close(arrow);
    hegui_free(names);
    hegui_free(values);
    hegui_free(sizes);
    return rc;
}

/*
 * Reads the features of layer from the current position on, count of them
 * (-1: to the end), and none from FID fid_end on (-1: no such bound), once
 * each: NULL/empty/non-finite geometries and invalid
 * strings are tallied; any GDAL error is HEGUI_EINPUT naming the feature
 * (its number is first + its position in this read, of declared). A
 * GeoPackage layer read to the end whose features are small goes through
 * the Arrow stream (read_features_arrow), at half the CPU.
 */
static int read_features(const hegui_layer_info *info, OGRLayerH layer, io_recoder *recoder,
                         int64_t first, int64_t count, int64_t fid_end, int64_t declared,
                         read_tally *t)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int nfields = OGR_FD_GetFieldCount(defn), i;
    OGRFeatureH feature = NULL;
    io_capture cap;
    unsigned char *wkb = NULL;
    size_t wkb_cap = 0;
    int rc = HEGUI_OK;

    if (count < 0 && fid_end < 0 && !recoder && strcmp(info->driver, "GPKG") == 0) {
        int64_t per = sample_feature_bytes(layer);
        bool served;
        if (io_arrow_pays(per) &&
            ((rc = read_features_arrow(layer, per, t, &served)) < 0 || served))
            return rc;
        memset(t, 0, sizeof(*t)); /* the stream may have failed part-way */
        OGR_L_ResetReading(layer);
    }
    io_capture_begin(&cap);
    while (count < 0 || t->read < count) {
        OGRGeometryH geom;
        feature = OGR_L_GetNextFeature(layer);
        if (cap.errors) {
            rc = hegui_error_set(HEGUI_EINPUT,
                                 "%s (layer %s): GDAL could not read feature %lld of %lld (FID "
                                 "%lld): %s; the file is truncated or damaged: ask for a "
                                 "complete copy",
                                 info->path, info->layer_name, (long long)(first + t->read + 1),
                                 (long long)declared,
                                 (long long)(feature ? OGR_F_GetFID(feature) : first + t->read),
                                 cap.first);
            goto done;
        }
        if (!feature || (fid_end >= 0 && OGR_F_GetFID(feature) >= fid_end))
            break; /* the end, or the next part's first feature */
        t->read++;
        geom = OGR_F_GetGeometryRef(feature);
        if (!geom) {
            t->null_geometries++;
        } else if (OGR_G_IsEmpty(geom)) {
            t->empty_geometries++;
        } else {
            OGRGeometryH linear = io_linear_copy(geom); /* arcs: as the reader reads them */
            size_t size = (size_t)OGR_G_WkbSize(linear ? linear : geom);
            if (size > wkb_cap) {
                unsigned char *grown = hegui_realloc(wkb, size);
                if (!grown) {
                    OGR_G_DestroyGeometry(linear);
                    rc = HEGUI_ENOMEM;
                    goto done;
                }
                wkb = grown;
                wkb_cap = size;
            }
            OGR_G_ExportToIsoWkb(linear ? linear : geom, wkbNDR, wkb);
            t->curved_geometries += linear != NULL;
            OGR_G_DestroyGeometry(linear);
            (void)tally_wkb(t, wkb, size);
        }
        for (i = 0; i < nfields; i++) {
            OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, i);
            if (OGR_Fld_GetType(fd) == OFTString && OGR_F_IsFieldSetAndNotNull(feature, i)) {
                const char *s = OGR_F_GetFieldAsString(feature, i);
                if (recoder) { /* stored bytes: can they be decoded? */
                    size_t replaced = 0;
                    char *text = io_recode(recoder, s, &replaced);
                    if (!text) {
                        rc = HEGUI_ENOMEM;
                        goto done;
                    }
                    hegui_free(text);
                    t->bad_strings += replaced > 0;
                } else if (!hegui_utf8_valid(s, strlen(s))) {
                    t->bad_strings++;
                }
            }
        }
        OGR_F_Destroy(feature);
        feature = NULL;
    }
done:
    if (feature)
        OGR_F_Destroy(feature);
    io_capture_end(&cap);
    hegui_free(wkb);
    return rc;
}

/* Checks the tally of a whole layer against the count it declares, and
 * keeps it in info. */
static int finish_layer(hegui_layer_info *info, const read_tally *t, int64_t declared)
{
    /* a Shapefile's count includes the records marked deleted in its .dbf
     * (edited and never packed), which no read returns */
    if (declared > t->read && strcmp(info->driver, "ESRI Shapefile") == 0 &&
        io_shp_deleted_records(info->path) == declared - t->read) {
        info->deleted_records = declared - t->read;
        declared = t->read;
    }
    if (declared >= 0 && declared != t->read)
        return hegui_error_set(HEGUI_EINPUT,
                               "%s: the layer declares %lld features but %lld could be read; the "
                               "file is truncated or damaged: ask for a complete copy",
                               info->path, (long long)declared, (long long)t->read);
    info->feature_count = t->read;
    info->null_geometries = t->null_geometries;
    info->empty_geometries = t->empty_geometries;
    info->nonfinite_geometries = t->nonfinite_geometries;
    info->curved_geometries = t->curved_geometries;
    info->bad_strings = t->bad_strings;
    info->geometry_bytes = t->geometry_bytes;
    info->read_streamed = t->streamed;
    info->read_parts = 1;
    return HEGUI_OK;
}

/* Reads every feature once (read_features) and checks the count. */
static int read_whole_layer(hegui_layer_info *info, OGRLayerH layer, io_recoder *recoder)
{
    int64_t declared = OGR_L_GetFeatureCount(layer, TRUE);
    read_tally t;
    int rc;
    memset(&t, 0, sizeof(t));
    OGR_L_ResetReading(layer);
    rc = read_features(info, layer, recoder, 0, -1, -1, declared, &t);
    OGR_L_ResetReading(layer);
    return rc < 0 ? rc : finish_layer(info, &t, declared);
}

/* --- describing one layer --- */

static int describe_fields(hegui_layer_info *info, OGRLayerH layer)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int n = OGR_FD_GetFieldCount(defn), i;
    info->fields = hegui_calloc((size_t)(n > 0 ? n : 1), sizeof(char *));
    info->field_numeric = hegui_calloc((size_t)(n > 0 ? n : 1), sizeof(bool));
    if (!info->fields || !info->field_numeric)
        return HEGUI_ENOMEM;
    for (i = 0; i < n; i++) {
        OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, i);
        OGRFieldType type = OGR_Fld_GetType(fd);
        info->fields[i] = hegui_utf8_repair(OGR_Fld_GetNameRef(fd), NULL);
        if (!info->fields[i])
            return HEGUI_ENOMEM;
        info->field_numeric[i] = type == OFTInteger || type == OFTInteger64 || type == OFTReal;
        info->field_count++;
    }
    return HEGUI_OK;
}

/* CRS of the layer, or the assigned one; a layer with geometry and neither
 * is an error that says what to do. */
static int describe_crs(hegui_layer_info *info, OGRLayerH layer, const char *assign)
{
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer), owned = NULL;
    char *wkt = NULL;
    int rc = HEGUI_OK;
    OGREnvelope env;
    io_capture cap;

    io_capture_begin(&cap);
    info->has_extent = OGR_L_GetExtent(layer, &env, TRUE) == OGRERR_NONE;
    io_capture_end(&cap);
    if (info->has_extent) {
        info->extent[0] = env.MinX;
        info->extent[1] = env.MinY;
        info->extent[2] = env.MaxX;
        info->extent[3] = env.MaxY;
    }
    if (assign && *assign) {
        owned = io_srs_from_user_input(assign);
        if (!owned)
            return hegui_error_prefix("%s", info->path);
        srs = owned;
        info->crs_assigned = true;
    }
    if (!srs) {
        if (OGR_L_GetGeomType(layer) == wkbNone)
            return HEGUI_OK;
        if (info->has_extent)
            hegui_crs_check_coords(&info->coord_check, NULL, info->extent);
        return hegui_error_set(
            HEGUI_ECRS,
            "%s (layer %s): no coordinate system (a shapefile needs its .prj); assign one with "
            "-s_srs EPSG:NNNN or 'srs:' in the rules file%s%s",
            info->path, info->layer_name, info->coord_check.message[0] ? "; " : "",
            info->coord_check.message);
    }
    info->has_crs = true;
    io_crs_describe_srs(&info->crs, srs);
    if (OSRExportToWkt(srs, &wkt) != OGRERR_NONE || !wkt) {
        rc = hegui_error_set(HEGUI_ECRS, "%s: cannot export the layer's CRS as WKT", info->path);
        goto done;
    }
    info->crs_wkt = hegui_strdup(wkt);
    if (!info->crs_wkt) {
        rc = HEGUI_ENOMEM;
        goto done;
    }
    if (info->has_extent)
        hegui_crs_check_coords(&info->coord_check, &info->crs, info->extent);
done:
    CPLFree(wkt);
    if (owned)
        OSRDestroySpatialReference(owned);
    return rc;
}

/* Describes layer index `index` of ds into a new catalog entry. */
static int describe_layer(scan_state *st, GDALDatasetH ds, const char *path, OGRLayerH layer,
                          const hegui_layer_spec *spec)
{
    const hegui_open_options *opt = st->options;
    hegui_layer_info *info = new_layer(st);
    GDALDriverH driver = GDALGetDatasetDriver(ds);
    const char *assign = spec && spec->srs ? spec->srs : opt->assign_srs;
    char reason[256], label[64];
    int rc;

    if (!info)
        return HEGUI_ENOMEM;
    /* reports and messages show the path without a connection string's
     * password; GDAL opens the one given */
    info->path = hegui_path_shown(path);
    if (info->path && strcmp(info->path, path) != 0 && !(info->gdal_path = hegui_strdup(path)))
        return HEGUI_ENOMEM;
    info->layer_name = hegui_utf8_repair(OGR_L_GetName(layer), NULL);
    info->driver = hegui_strdup(driver ? GDALGetDriverShortName(driver) : "?");
    info->geometry_type = hegui_strdup(OGRGeometryTypeToName(OGR_GT_Flatten(OGR_L_GetGeomType(layer))));
    info->spec = spec;
    if (!info->path || !info->layer_name || !info->driver || !info->geometry_type)
        return HEGUI_ENOMEM;
    if ((rc = describe_fields(info, layer)) < 0)
        return rc;
    if (spec && spec->where) {
        io_capture cap;
        OGRErr err;
        io_capture_begin(&cap);
        err = OGR_L_SetAttributeFilter(layer, spec->where);
        io_capture_end(&cap);
        if (err != OGRERR_NONE)
            return hegui_error_set(HEGUI_ECONFIG,
                                   "%s:%d: the filter \"%s\" does not apply to %s: %s",
                                   st->config ? st->config->source : "rules", spec->line,
                                   spec->where, info->path, cap.first);
    }
    if ((rc = describe_crs(info, layer, assign)) < 0)
        return rc;
    info->feature_count = -1; /* read in full later, by read_layers */

    if (spec) {
        info->role = spec->role;
        info->role_reason = hegui_sprintf("named in the rules file %s:%d",
                                          st->config ? st->config->source : "", spec->line);
        info->label = spec->label ? hegui_strdup(spec->label) : NULL;
    } else {
        info->role =
            io_role_detect(info->path, info->layer_name, (const char *const *)info->fields,
                           info->field_count, reason, sizeof(reason), label, sizeof(label));
        info->role_reason = hegui_strdup(reason);
        info->label = label[0] ? hegui_strdup(label) : NULL;
    }
    if (!info->role_reason)
        return HEGUI_ENOMEM;
    if (!info->encoding) {
        /* non-shapefile drivers hand UTF-8 to OGR by contract */
        info->encoding = hegui_strdup("UTF-8");
        info->encoding_note = hegui_sprintf("%s data is UTF-8", info->driver);
        if (!info->encoding || !info->encoding_note)
            return HEGUI_ENOMEM;
    }
    return HEGUI_OK;
}

/* --- boundary-point TXT --- */

/* True when the first mebibyte of a .txt file holds a section name of the
 * boundary-point format (other .txt files in a folder are not data). */
static bool txt_file_sniff(const char *path)
{
    enum { SNIFF_BYTES = 1 << 20 };
    FILE *f = fopen(path, "rb");
    char *head;
    size_t n;
    bool found;
    if (!f)
        return false;
    head = hegui_malloc(SNIFF_BYTES);
    if (!head) {
        fclose(f);
        return false;
    }
    n = fread(head, 1, SNIFF_BYTES, f);
    fclose(f);
    found = hegui_txt_sniff(head, n);
    hegui_free(head);
    return found;
}

/* The first problem of a file about its CRS, for the error message. */
static const char *txt_crs_problem(const hegui_txt *txt)
{
    size_t i;
    for (i = 0; i < txt->problem_count; i++) {
        if (txt->problems[i].severity == HEGUI_SEVERITY_ERROR &&
            (strstr(txt->problems[i].message_en, "zone") ||
             strstr(txt->problems[i].message_en, "CRS")))
            return txt->problems[i].message_en;
    }
    return "no zone number and no zone-prefixed eastings";
}

/*
 * A boundary-point TXT (DOMAIN.md 4): parsed by hegui (txt.c), then shown
 * to GDAL as an in-memory GeoJSON (/vsimem/hegui/txtN.geojson, kept until
 * the catalog is freed) so that the rest of hegui reads it like any other
 * layer. The displayed path stays the .txt file; its problems are kept
 * for S07; its role is zones unless its name or the rules file says
 * otherwise.
 */
static int scan_txt(scan_state *st, const char *path, const hegui_layer_spec *spec)
{
    static atomic_uint counter;
    const char *assign = spec && spec->srs ? spec->srs : st->options->assign_srs;
    hegui_txt *txt = NULL;
    hegui_buf json = HEGUI_BUF_INIT;
    char *stem = NULL, *vsi = NULL, *reason;
    hegui_layer_info *info;
    GDALDatasetH ds = NULL;
    VSILFILE *f;
    io_capture cap;
    int rc;

    if ((rc = hegui_txt_read(&txt, path)) < 0)
        return rc;
    if (!txt->has_parcels && !txt->has_attributes) {
        rc = hegui_error_set(HEGUI_EINPUT,
                             "%s: not a boundary-point coordinate file (界址点坐标文件: no "
                             "[地块坐标] or [属性描述] section), and hegui reads no other .txt",
                             path);
        goto done;
    }
    if (!txt->epsg && !(assign && *assign)) {
        rc = hegui_error_set(HEGUI_ECRS,
                             "%s: no coordinate system can be derived (%s); fill in 带号 and "
                             "坐标系, or assign one with -s_srs EPSG:NNNN or 'srs:' in the rules "
                             "file",
                             path, txt_crs_problem(txt));
        goto done;
    }
    stem = hegui_path_stem(path);
    vsi = hegui_sprintf("/vsimem/hegui/txt%u.geojson", atomic_fetch_add(&counter, 1u));
    if (!stem || !vsi) {
        rc = HEGUI_ENOMEM;
        goto done;
    }
    if ((rc = io_txt_geojson(&json, txt, stem)) < 0)
        goto done;
    f = VSIFOpenL(vsi, "wb");
    if (!f || VSIFWriteL(json.ptr, 1, json.len, f) != json.len) {
        if (f)
            VSIFCloseL(f);
        rc = hegui_error_set(HEGUI_EINTERNAL, "%s: cannot write its in-memory copy %s", path, vsi);
        goto done;
    }
    VSIFCloseL(f);
    ds = io_open_dataset(vsi, NULL, NULL, &cap);
    if (!ds || GDALDatasetGetLayerCount(ds) != 1) {
        rc = hegui_error_set(HEGUI_EINTERNAL, "%s: GDAL cannot read its in-memory copy: %s", path,
                             cap.first);
        goto done;
    }
    if ((rc = describe_layer(st, ds, path, GDALDatasetGetLayer(ds, 0), spec)) < 0)
        goto done;
    info = &st->catalog->layers[st->catalog->count - 1];
    info->gdal_path = vsi;
    vsi = NULL;
    hegui_free(info->driver);
    info->driver = hegui_strdup("TXT");
    hegui_free(info->encoding);
    hegui_free(info->encoding_note);
    info->encoding = txt->encoding;
    txt->encoding = NULL;
    info->encoding_note =
        hegui_strdup(strcmp(info->encoding, "UTF-8") != 0
                         ? "boundary-point TXT, not valid UTF-8: decoded as GB18030 (GBK)"
                     : txt->bom ? "boundary-point TXT, valid UTF-8 (with a byte-order mark)"
                                : "boundary-point TXT, valid UTF-8");
    info->txt_problems = txt->problems;
    info->txt_problem_count = txt->problem_count;
    txt->problems = NULL;
    txt->problem_count = 0;
    if (!info->driver || !info->encoding_note) {
        rc = HEGUI_ENOMEM;
        goto done;
    }
    if (!spec) {
        reason = info->role == HEGUI_ROLE_NONE
                     ? hegui_strdup("boundary-point TXT (界址点坐标文件): a zones layer unless the "
                                    "rules file names another role")
                     : hegui_sprintf("boundary-point TXT (界址点坐标文件); %s", info->role_reason);
        if (!reason) {
            rc = HEGUI_ENOMEM;
            goto done;
        }
        if (info->role == HEGUI_ROLE_NONE)
            info->role = HEGUI_ROLE_ZONES;
        hegui_free(info->role_reason);
        info->role_reason = reason;
    }
done:
    if (ds)
        GDALClose(ds);
    if (vsi) {
        VSIUnlink(vsi);
        hegui_free(vsi);
    }
    hegui_buf_release(&json);
    hegui_free(stem);
    hegui_txt_free(txt);
    return rc;
}

/* Opens one dataset and adds its layers (or the one spec names). */
static int scan_dataset(scan_state *st, const char *path, bool must_open,
                        const hegui_layer_spec *spec)
{
    const hegui_open_options *opt = st->options;
    GDALDatasetH ds = NULL;
    io_capture cap;
    int rc = HEGUI_OK, i, nlayers;
    char *shown = NULL; /* path as messages show it: a connection string's password masked */
    const char *forced_encoding = spec && spec->encoding ? spec->encoding : opt->input_encoding;
    bool is_shp = hegui_str_iends(path, ".shp");

    if (hegui_str_iends(path, ".txt"))
        return scan_txt(st, path, spec);
    if (is_shp && (rc = check_shapefile_parts(path)) < 0)
        return rc;
    if (!(shown = hegui_path_shown(path)))
        return HEGUI_ENOMEM;
    ds = io_open_dataset(path, NULL, opt->open_options, &cap);
    if (!ds) {
        rc = must_open ? hegui_error_set(HEGUI_EINPUT, "%s: cannot open as a vector dataset%s%s",
                                         shown, cap.errors ? ": " : "", cap.errors ? cap.first : "")
                       : add_note(st, "skipped %s: not a vector dataset that hegui reads", shown);
        hegui_free(shown);
        return rc;
    }
    if (GDALGetDatasetDriver(ds) &&
        strcmp(GDALGetDriverShortName(GDALGetDatasetDriver(ds)), "ESRI Shapefile") == 0 &&
        GDALDatasetGetLayerCount(ds) == 1) {
        /* decide the encoding, then reopen with it so GDAL decodes */
        hegui_layer_info probe;
        memset(&probe, 0, sizeof(probe));
        rc = decide_shapefile_encoding(&probe, GDALDatasetGetLayer(ds, 0), forced_encoding);
        if (rc == HEGUI_OK && probe.open_option) {
            GDALClose(ds);
            ds = io_open_dataset(path, probe.open_option, opt->open_options, &cap);
            if (!ds)
                rc = hegui_error_set(HEGUI_EINPUT, "%s: cannot open with %s: %s", shown,
                                     probe.open_option, cap.first);
        }
        if (rc == HEGUI_OK) {
            rc = describe_layer(st, ds, path, GDALDatasetGetLayer(ds, 0), spec);
            if (rc == HEGUI_OK) {
                hegui_layer_info *info = &st->catalog->layers[st->catalog->count - 1];
                hegui_free(info->encoding);
                hegui_free(info->encoding_note);
                info->encoding = probe.encoding;
                info->encoding_note = probe.encoding_note;
                info->open_option = probe.open_option;
                probe.encoding = probe.encoding_note = probe.open_option = NULL;
            }
        }
        hegui_free(probe.encoding);
        hegui_free(probe.encoding_note);
        hegui_free(probe.open_option);
        goto done;
    }
    nlayers = GDALDatasetGetLayerCount(ds);
    if (spec) {
        OGRLayerH layer = spec->layer ? GDALDatasetGetLayerByName(ds, spec->layer)
                                      : (nlayers == 1 ? GDALDatasetGetLayer(ds, 0) : NULL);
        if (!layer) {
            rc = spec->layer ? hegui_error_set(HEGUI_ENOTFOUND, "%s:%d: %s has no layer named '%s'",
                                               st->config ? st->config->source : "rules",
                                               spec->line, shown, spec->layer)
                             : hegui_error_set(HEGUI_ECONFIG,
                                               "%s:%d: %s has %d layers; say which one with "
                                               "'layer:'",
                                               st->config ? st->config->source : "rules",
                                               spec->line, shown, nlayers);
            goto done;
        }
        rc = describe_layer(st, ds, path, layer, spec);
        goto done;
    }
    for (i = 0; i < nlayers && rc == HEGUI_OK; i++)
        rc = describe_layer(st, ds, path, GDALDatasetGetLayer(ds, i), NULL);
done:
    if (ds)
        GDALClose(ds);
    if (rc < 0 && rc != HEGUI_ENOMEM && !strstr(hegui_error_last(), shown))
        hegui_error_prefix("%s", shown);
    hegui_free(shown);
    return rc;
}

/* --- reading every layer in full, on several threads --- */

/* Files at least this large are read in parts, one per reading thread,
 * when the driver can start a read in the middle (hegui_open_options). */
#define SPLIT_BYTES ((int64_t)16 << 20)
#define READ_THREADS 4

/*
 * A share of the full read of one layer: the whole layer (parts == 1), or
 * part k of parts: features [first, first + count) by position (drivers
 * with a fast SetNextByIndex: shapefiles), or an FID range given as an
 * attribute filter (drivers with an FID column: GeoPackage).
 */
typedef struct read_part {
    size_t layer;       /* in the catalog */
    int64_t bytes;      /* of the layer's file: largest first */
    int k, parts;
    int64_t first, count; /* count -1: to the end */
    int64_t fid_end;      /* or -1: a Shapefile's part ends before this record */
    char *fid_filter;     /* or NULL */
    int64_t declared;     /* the layer's own count, for a part (parts > 1) */
    read_tally tally;
    int rc;
    char *message; /* when rc < 0 */
} read_part;

typedef struct read_job {
    hegui_catalog *catalog;
    const hegui_open_options *options;
    pthread_mutex_t lock;
    read_part *parts; /* largest file first */
    size_t count;
    size_t next; /* next part to take */
} read_job;

/* Largest file first (its layers and parts keep their order), so that the
 * longest read starts at once instead of last. */
static int compare_parts(const void *a, const void *b)
{
    const read_part *x = a, *y = b;
    if (x->bytes != y->bytes)
        return x->bytes < y->bytes ? 1 : -1;
    if (x->layer != y->layer)
        return (x->layer > y->layer) - (x->layer < y->layer);
    return (x->k > y->k) - (x->k < y->k);
}

/* Opens layer info's dataset anew (one handle per thread); *ds must be
 * closed by the caller. */
static OGRLayerH open_again(const hegui_open_options *opt, const hegui_layer_info *info,
                            const io_recoder *recoder, GDALDatasetH *ds)
{
    io_capture cap;
    OGRLayerH layer;
    *ds = io_open_dataset(info->gdal_path ? info->gdal_path : info->path,
                          io_recoder_open_option(recoder, info->open_option), opt->open_options,
                          &cap);
    if (!*ds) {
        hegui_error_set(HEGUI_EINPUT, "%s: cannot open again: %s", info->path, cap.first);
        return NULL;
    }
    layer = GDALDatasetGetLayerByName(*ds, info->layer_name);
    if (!layer)
        hegui_error_set(HEGUI_EINPUT, "%s: layer %s has disappeared", info->path,
                        info->layer_name);
    else if (info->spec && info->spec->where)
        OGR_L_SetAttributeFilter(layer, info->spec->where); /* checked when described */
    return layer;
}

/* Reads one part (read_part) on its own dataset handle. */
static int read_one_part(const hegui_open_options *opt, hegui_layer_info *info, read_part *part)
{
    GDALDatasetH ds = NULL;
    io_recoder *recoder = NULL;
    OGRLayerH layer = NULL;
    int rc = io_recoder_open(&recoder, info);
    if (rc < 0)
        return rc;
    layer = open_again(opt, info, recoder, &ds);
    if (!layer) {
        rc = HEGUI_EINPUT;
    } else if (part->parts == 1) {
        rc = read_whole_layer(info, layer, recoder);
    } else {
        if (part->fid_filter && OGR_L_SetAttributeFilter(layer, part->fid_filter) != OGRERR_NONE)
            rc = hegui_error_set(HEGUI_EINPUT, "%s: GDAL refused the FID range %s", info->path,
                                 part->fid_filter);
        else if (!part->fid_filter && part->first > 0 &&
                 OGR_L_SetNextByIndex(layer, part->first) != OGRERR_NONE)
            rc = hegui_error_set(HEGUI_EINPUT,
                                 "%s (layer %s): GDAL cannot go to feature %lld of %lld; the "
                                 "file is truncated or damaged: ask for a complete copy",
                                 info->path, info->layer_name, (long long)part->first + 1,
                                 (long long)part->declared);
        else
            rc = read_features(info, layer, recoder, part->first, part->count, part->fid_end,
                               part->declared, &part->tally);
    }
    if (ds)
        GDALClose(ds);
    io_recoder_close(recoder);
    return rc;
}

static void *read_worker(void *arg)
{
    read_job *job = arg;
    for (;;) {
        read_part *part;
        pthread_mutex_lock(&job->lock);
        part = job->next < job->count ? &job->parts[job->next++] : NULL;
        pthread_mutex_unlock(&job->lock);
        if (!part)
            return NULL;
        part->rc = read_one_part(job->options, &job->catalog->layers[part->layer], part);
        if (part->rc < 0)
            part->message = hegui_strdup(hegui_error_last());
    }
}

/*
 * The parts of layer i (file size bytes) for threads readers, appended to
 * *parts: one, unless the file is large, several threads read, no 'where'
 * filters the layer and the driver can start in the middle. The layer's
 * own count is taken here, once.
 */
static int plan_parts(const hegui_open_options *opt, const hegui_catalog *cat, size_t i,
                      int64_t bytes, int threads, read_part *parts, size_t *count)
{
    const hegui_layer_info *info = &cat->layers[i];
    int64_t split = opt->split_bytes > 0 ? opt->split_bytes : SPLIT_BYTES, declared = -1;
    GDALDatasetH ds = NULL;
    OGRLayerH layer = NULL;
    const char *fid_column = "";
    int k, n = 1, by_position = 0;
    if (threads > 1 && bytes >= split && !(info->spec && info->spec->where) &&
        (layer = open_again(opt, info, NULL, &ds)) != NULL) {
        declared = OGR_L_GetFeatureCount(layer, TRUE);
        fid_column = OGR_L_GetFIDColumn(layer);
        by_position = OGR_L_TestCapability(layer, OLCFastSetNextByIndex) != 0;
        if (declared >= threads && (by_position || (fid_column && *fid_column)))
            n = threads;
    }
    for (k = 0; k < n; k++) {
        read_part *part = &parts[(*count)++];
        memset(part, 0, sizeof(*part));
        part->layer = i;
        part->bytes = bytes;
        part->k = k;
        part->parts = n;
        part->count = -1;
        part->fid_end = -1;
        part->declared = declared;
        if (n == 1)
            continue;
        int64_t end = declared * (k + 1) / n; /* positions [first, end) */
        part->first = declared * k / n;
        if (by_position) {
            if (k + 1 == n) /* the last part reads to the end */
                continue;
            /* a Shapefile's FID is its record number, and GDAL's reads skip
             * the records marked deleted that its positions count: the part
             * ends before record end, or it would read into the next one */
            if (strcmp(info->driver, "ESRI Shapefile") == 0)
                part->fid_end = end;
            else
                part->count = end - part->first;
            continue;
        }
        /* FIDs first+1 .. end in the usual case (1..declared); the first and
         * last ranges are open, so that every feature is in exactly one
         * part whatever its FID; a range may hold more or fewer features
         * than that (count stays -1): the sum is checked */
        if (k == 0)
            part->fid_filter = hegui_sprintf("\"%s\" < %lld", fid_column, (long long)end + 1);
        else if (k + 1 == n)
            part->fid_filter = hegui_sprintf("\"%s\" >= %lld", fid_column,
                                             (long long)part->first + 1);
        else
            part->fid_filter =
                hegui_sprintf("\"%s\" >= %lld AND \"%s\" < %lld", fid_column,
                              (long long)part->first + 1, fid_column, (long long)end + 1);
        if (!part->fid_filter) {
            if (ds)
                GDALClose(ds);
            return HEGUI_ENOMEM;
        }
    }
    if (ds)
        GDALClose(ds);
    return HEGUI_OK;
}

/* Adds up the parts of each layer (in part order) into the catalog; the
 * error reported is the first part's in catalog order, whatever the
 * timing. */
static int merge_parts(hegui_catalog *cat, read_part *parts, size_t count)
{
    size_t i, l;
    int rc = HEGUI_OK;
    for (l = 0; l < cat->count; l++) {
        read_tally sum;
        int64_t declared = -1;
        int split = 0, failed = 0; /* split: the number of parts, when more than one */
        memset(&sum, 0, sizeof(sum));
        for (i = 0; i < count; i++) {
            const read_part *p = &parts[i];
            if (p->layer != l)
                continue;
            if (p->rc < 0 && !failed && rc == HEGUI_OK)
                rc = p->message ? hegui_error_set(p->rc, "%s", p->message) : p->rc;
            failed |= p->rc < 0;
            if (p->parts == 1)
                continue; /* read_whole_layer filled the layer in */
            split = p->parts;
            declared = p->declared;
            sum.read += p->tally.read;
            sum.null_geometries += p->tally.null_geometries;
            sum.empty_geometries += p->tally.empty_geometries;
            sum.nonfinite_geometries += p->tally.nonfinite_geometries;
            sum.curved_geometries += p->tally.curved_geometries;
            sum.bad_strings += p->tally.bad_strings;
            sum.geometry_bytes += p->tally.geometry_bytes;
            sum.streamed += p->tally.streamed;
        }
        if (split && !failed && rc == HEGUI_OK &&
            (rc = finish_layer(&cat->layers[l], &sum, declared)) == HEGUI_OK)
            cat->layers[l].read_parts = split;
    }
    return rc;
}

/*
 * Reads every layer described so far completely (read_features), the
 * largest file's first, each on the first free of up to READ_THREADS
 * threads (at most -j) with its own dataset handle: the layers of a city
 * folder are read side by side, and a large file is read in parts by all
 * of them (plan_parts).
 */
static int read_layers(scan_state *st)
{
    hegui_catalog *cat = st->catalog;
    read_job job;
    pthread_t threads[READ_THREADS];
    long cores = st->options->threads > 0 ? st->options->threads : sysconf(_SC_NPROCESSORS_ONLN);
    int count = cores < 1 ? 1 : cores > READ_THREADS ? READ_THREADS : (int)cores, started = 0, t;
    size_t i;
    int rc = HEGUI_OK;

    memset(&job, 0, sizeof(job));
    job.catalog = cat;
    job.options = st->options;
    job.parts = hegui_calloc(cat->count ? cat->count * READ_THREADS : 1, sizeof(*job.parts));
    if (!job.parts)
        return HEGUI_ENOMEM;
    for (i = 0; i < cat->count && rc == HEGUI_OK; i++) {
        struct stat sb;
        if (cat->layers[i].feature_count != -1)
            continue; /* read already (or not a layer to read) */
        rc = plan_parts(st->options, cat, i,
                        stat(cat->layers[i].path, &sb) == 0 ? (int64_t)sb.st_size : 0, count,
                        job.parts, &job.count);
    }
    if (rc == HEGUI_OK) {
        if (job.count > 1)
            qsort(job.parts, job.count, sizeof(*job.parts), compare_parts);
        pthread_mutex_init(&job.lock, NULL);
        for (t = 1; t < count && (size_t)t < job.count; t++) {
            if (pthread_create(&threads[started], NULL, read_worker, &job) != 0)
                break; /* fewer threads: the calling one still reads */
            started++;
        }
        read_worker(&job);
        for (t = 0; t < started; t++)
            pthread_join(threads[t], NULL);
        pthread_mutex_destroy(&job.lock);
        rc = merge_parts(cat, job.parts, job.count);
    }
    for (i = 0; i < job.count; i++) {
        hegui_free(job.parts[i].fid_filter);
        hegui_free(job.parts[i].message);
    }
    hegui_free(job.parts);
    return rc;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Adds every dataset in a folder, in byte order of names (deterministic). */
static int scan_folder(scan_state *st, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *entry;
    char **names = NULL;
    size_t count = 0, cap = 0, i;
    int rc = HEGUI_OK;
    if (!d)
        return hegui_error_set(HEGUI_EINPUT, "%s: cannot read the folder: %s", dir,
                               strerror(errno));
    while ((entry = readdir(d)) != NULL) {
        if (entry->d_name[0] == '.')
            continue;
        if (count == cap) {
            size_t ncap = cap ? 2 * cap : 32;
            char **grown = hegui_realloc(names, ncap * sizeof(*names));
            if (!grown) {
                rc = HEGUI_ENOMEM;
                goto done;
            }
            names = grown;
            cap = ncap;
        }
        names[count] = hegui_sprintf("%s%s%s", dir, hegui_str_iends(dir, "/") ? "" : "/",
                                     entry->d_name);
        if (!names[count]) {
            rc = HEGUI_ENOMEM;
            goto done;
        }
        count++;
    }
    if (count)
        qsort(names, count, sizeof(*names), compare_names);
    for (i = 0; i < count && rc == HEGUI_OK; i++) {
        struct stat sb;
        const char *path = names[i];
        if (stat(path, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode) && !hegui_str_iends(path, ".gdb")) {
            if (st->options->recursive)
                rc = scan_folder(st, path);
            continue;
        }
        if (hegui_str_iends(path, ".txt")) {
            if (txt_file_sniff(path)) /* a boundary-point TXT; other .txt are not data */
                rc = scan_dataset(st, path, true, NULL);
            continue;
        }
        if (has_extension_in(path, skipped_extensions))
            continue;
        rc = scan_dataset(st, path, has_extension_in(path, vector_extensions), NULL);
    }
done:
    for (i = 0; i < count; i++)
        hegui_free(names[i]);
    hegui_free(names);
    closedir(d);
    return rc;
}

static int scan_path(scan_state *st, const char *path)
{
    struct stat sb;
    if (hegui_str_istarts(path, "PG:"))
        return scan_dataset(st, path, true, NULL);
    if (stat(path, &sb) != 0)
        return hegui_error_set(HEGUI_ENOTFOUND, "%s: no such file or folder", path);
    if (S_ISDIR(sb.st_mode) && !hegui_str_iends(path, ".gdb"))
        return scan_folder(st, path);
    return scan_dataset(st, path, true, NULL);
}

static int compare_layers(const void *a, const void *b)
{
    const hegui_layer_info *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    return c ? c : strcmp(x->layer_name, y->layer_name);
}

/* True when the catalog already has this layer from the rules file. */
static bool named_in_config(const hegui_catalog *cat, size_t configured, const char *path,
                            const char *layer)
{
    size_t i;
    char *real = realpath(path, NULL);
    bool found = false;
    for (i = 0; i < configured && !found; i++) {
        char *other = realpath(cat->layers[i].path, NULL);
        /* no file (a "PG:" connection string): the strings themselves */
        found = (other && real ? strcmp(other, real) == 0
                               : !other && !real && strcmp(cat->layers[i].path, path) == 0) &&
                strcmp(cat->layers[i].layer_name, layer) == 0;
        free(other);
    }
    free(real);
    return found;
}

/* The one integer a SQL query on ds returns, or -1 when it fails. */
static int64_t sql_count(GDALDatasetH ds, const char *sql)
{
    io_capture cap;
    OGRLayerH result;
    OGRFeatureH f = NULL;
    int64_t n = -1;
    io_capture_begin(&cap);
    result = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
    if (result && (f = OGR_L_GetNextFeature(result)) != NULL && OGR_F_GetFieldCount(f) == 1)
        n = OGR_F_GetFieldAsInteger64(f, 0);
    if (f)
        OGR_F_Destroy(f);
    if (result)
        GDALDatasetReleaseResultSet(ds, result);
    io_capture_end(&cap);
    return cap.errors ? -1 : n;
}

void io_sql_identifier(hegui_buf *b, const char *name)
{
    hegui_buf_putc(b, '"');
    for (; *name; name++)
        hegui_buf_put(b, *name == '"' ? "\"\"" : name, *name == '"' ? 2 : 1);
    hegui_buf_putc(b, '"');
}

/* The rows of table (prefix followed by suffix) in ds, or -1. */
static int64_t table_rows(GDALDatasetH ds, const char *prefix, const char *suffix)
{
    hegui_buf name = HEGUI_BUF_INIT, sql = HEGUI_BUF_INIT;
    int64_t n = -1;
    hegui_buf_printf(&name, "%s%s", prefix, suffix);
    hegui_buf_puts(&sql, "SELECT COUNT(*) FROM ");
    io_sql_identifier(&sql, hegui_buf_cstr(&name));
    if (!name.failed && !sql.failed)
        n = sql_count(ds, hegui_buf_cstr(&sql));
    hegui_buf_release(&name);
    hegui_buf_release(&sql);
    return n;
}

/* Whether a GeoPackage layer's R-tree lists another number of features
 * than have a geometry (neither NULL nor empty, as GeoPackage's triggers
 * index them): rows written by a program that dropped the triggers, or an
 * index left behind. GDAL trusts the R-tree for every spatial filter and
 * would miss what it does not list. A count that matches does not prove
 * every box right; it catches the index that lacks features. why and
 * column (the geometry column, for the note) are set when stale. */
static bool gpkg_rtree_stale(const scan_state *st, const hegui_layer_info *a, char *why,
                             size_t why_size, char *column, size_t column_size)
{
    io_capture cap;
    GDALDatasetH ds = io_open_dataset(a->gdal_path ? a->gdal_path : a->path, a->open_option,
                                      st->options ? st->options->open_options : NULL, &cap);
    OGRLayerH layer = ds ? GDALDatasetGetLayerByName(ds, a->layer_name) : NULL;
    const char *geom = layer ? OGR_L_GetGeometryColumn(layer) : NULL;
    hegui_buf rtree = HEGUI_BUF_INIT, sql = HEGUI_BUF_INIT;
    int64_t listed = -1, expected = -1;
    bool stale;
    if (layer && geom && *geom && OGR_L_TestCapability(layer, OLCFastSpatialFilter)) {
        hegui_buf_printf(&rtree, "rtree_%s_%s", a->layer_name, geom);
        /* its _rowid shadow table (SQLite 3.24 on) is counted in a b-tree;
         * an older R-tree through its virtual table */
        if ((listed = table_rows(ds, hegui_buf_cstr(&rtree), "_rowid")) < 0)
            listed = table_rows(ds, hegui_buf_cstr(&rtree), "");
        if (!a->spec || !a->spec->where) {
            expected = a->feature_count - a->null_geometries - a->empty_geometries;
        } else { /* the catalog counted the filtered features: count them all */
            hegui_buf_puts(&sql, "SELECT COUNT(*) FROM ");
            io_sql_identifier(&sql, a->layer_name);
            hegui_buf_puts(&sql, " WHERE ");
            io_sql_identifier(&sql, geom);
            hegui_buf_puts(&sql, " IS NOT NULL AND NOT ST_IsEmpty(");
            io_sql_identifier(&sql, geom);
            hegui_buf_puts(&sql, ")");
            expected = sql.failed ? -1 : sql_count(ds, hegui_buf_cstr(&sql));
        }
    }
    stale = listed >= 0 && expected >= 0 && listed != expected && !rtree.failed;
    if (stale) {
        snprintf(
            why, why_size, "its R-tree %s lists %lld feature%s, the layer has %lld with a geometry",
            hegui_buf_cstr(&rtree), (long long)listed, listed == 1 ? "" : "s", (long long)expected);
        snprintf(column, column_size, "%s", geom);
    }
    hegui_buf_release(&rtree);
    hegui_buf_release(&sql);
    if (ds)
        GDALClose(ds);
    return stale;
}

/* Marks the Shapefiles and GeoPackage layers whose spatial index no longer
 * matches them, with a note: the reader then sets no spatial filter on them
 * (GDAL would trust the index and miss features). */
static int check_indexes(scan_state *st)
{
    hegui_catalog *cat = st->catalog;
    size_t i;
    int rc = HEGUI_OK;
    for (i = 0; i < cat->count && rc == HEGUI_OK; i++) {
        hegui_layer_info *a = &cat->layers[i];
        char why[1024], column[256];
        if (strcmp(a->driver, "ESRI Shapefile") == 0 &&
            io_shp_index_stale(a->gdal_path ? a->gdal_path : a->path, why, sizeof(why))) {
            a->spatial_index_stale = true;
            rc = add_note(st,
                          "%s (layer %s): the spatial index does not match the file (%s), so "
                          "hegui reads the whole layer without it; rebuild it (ogrinfo FILE.shp "
                          "-sql \"CREATE SPATIAL INDEX ON %s\") to read faster",
                          a->path, a->layer_name, why, a->layer_name);
        } else if (strcmp(a->driver, "GPKG") == 0 &&
                   gpkg_rtree_stale(st, a, why, sizeof(why), column, sizeof(column))) {
            a->spatial_index_stale = true;
            rc = add_note(st,
                          "%s (layer %s): the spatial index does not match the layer (%s), so "
                          "hegui reads the whole layer without it; rebuild it (ogrinfo %s -sql "
                          "\"SELECT DisableSpatialIndex('%s','%s')\", then the same with "
                          "CreateSpatialIndex) to read faster",
                          a->path, a->layer_name, why, a->path, a->layer_name, column);
        }
    }
    return rc;
}

/*
 * A single-layer role (land use, urban boundary, …) that the rules file
 * gives to a layer is that layer's: another layer detected with the same
 * role by its name (an older plan in the same folder) is not used, and
 * says so, instead of being the first one found. "Name the right one in
 * the rules file" has to mean that.
 */
static int overrule_detected(scan_state *st)
{
    hegui_catalog *cat = st->catalog;
    size_t i, j;
    for (i = 0; i < cat->count; i++) {
        hegui_layer_info *a = &cat->layers[i];
        const hegui_layer_info *named = NULL;
        char *reason;
        if (a->spec || !hegui_role_is_single(a->role))
            continue;
        for (j = 0; j < cat->count && !named; j++) {
            if (cat->layers[j].spec && cat->layers[j].role == a->role)
                named = &cat->layers[j];
        }
        if (!named)
            continue;
        reason = hegui_sprintf("detected as %s (%s), but the rules file names the %s layer: %s "
                               "(layer %s)",
                               hegui_role_name(a->role), a->role_reason, hegui_role_name(a->role),
                               named->path, named->layer_name);
        if (!reason)
            return HEGUI_ENOMEM;
        hegui_free(a->role_reason);
        a->role_reason = reason;
        a->overruled_role = a->role;
        a->role = HEGUI_ROLE_NONE;
    }
    return HEGUI_OK;
}

/* Layer i is the first of its single-layer role and named in the rules
 * file: when it names more (hegui_role_has_parts), one note lists them. */
static int parts_note(scan_state *st, size_t i)
{
    const hegui_catalog *cat = st->catalog;
    const hegui_layer_info *a = &cat->layers[i];
    hegui_buf list = HEGUI_BUF_INIT;
    size_t j, count = 0;
    int rc;
    for (j = 0; j < cat->count; j++) {
        const hegui_layer_info *b = &cat->layers[j];
        if (b->role != a->role)
            continue;
        if (j < i)
            return HEGUI_OK; /* not the first: that one says it */
        hegui_buf_printf(&list, "%s%s (layer %s)", count++ ? ", " : "", b->path, b->layer_name);
    }
    if (list.failed)
        return HEGUI_ENOMEM;
    rc = count < 2 ? HEGUI_OK
                   : add_note(st,
                              "the %s plan is read from %zu layers named in the rules file, as "
                              "parts of one plan: %s",
                              hegui_role_name(a->role), count, list.ptr);
    hegui_buf_release(&list);
    return rc;
}

/* Notes for records marked deleted, roles claimed by several layers and
 * unused layers. */
static int add_notes(scan_state *st)
{
    hegui_catalog *cat = st->catalog;
    size_t i, j;
    int rc = HEGUI_OK;
    for (i = 0; i < cat->count && rc == HEGUI_OK; i++) {
        hegui_layer_info *a = &cat->layers[i];
        if (a->deleted_records > 0)
            rc =
                add_note(st,
                         "%s (layer %s): %lld record%s marked deleted in the .dbf %s skipped, as "
                         "GIS software does; pack the shapefile (ogr2ogr, or QGIS Save As) to "
                         "drop %s",
                         a->path, a->layer_name, (long long)a->deleted_records,
                         a->deleted_records == 1 ? "" : "s", a->deleted_records == 1 ? "is" : "are",
                         a->deleted_records == 1 ? "it" : "them");
        if (rc == HEGUI_OK && a->curved_geometries > 0)
            rc = add_note(st,
                          "%s (layer %s): %lld feature%s stored as curve geometries (arcs) %s "
                          "read as polylines, with a vertex every %g degrees of arc (a circle of "
                          "1 km radius loses 0.4 m2)",
                          a->path, a->layer_name, (long long)a->curved_geometries,
                          a->curved_geometries == 1 ? "" : "s",
                          a->curved_geometries == 1 ? "is" : "are", IO_CURVE_STEP_DEG);
        if (rc < 0)
            break;
        if (a->role == HEGUI_ROLE_NONE && a->overruled_role != HEGUI_ROLE_NONE) {
            rc =
                add_note(st, "%s (layer %s): not used: %s", a->path, a->layer_name, a->role_reason);
            continue;
        }
        if (a->role == HEGUI_ROLE_NONE) {
            rc = add_note(st, "%s (layer %s): no role detected (%s); it is not used unless the "
                              "rules file names it",
                          a->path, a->layer_name, a->role_reason);
            continue;
        }
        if (!hegui_role_is_single(a->role))
            continue;
        if (a->spec) { /* named in the rules file: parts of one plan, the first says so */
            rc = parts_note(st, i);
            continue;
        }
        for (j = i + 1; j < cat->count && rc == HEGUI_OK; j++) {
            hegui_layer_info *b = &cat->layers[j];
            if (b->role == a->role)
                rc = add_note(st,
                              "two layers claim the single-layer role '%s': %s (layer %s) and %s "
                              "(layer %s); hegui uses the first. Name the right one in the rules "
                              "file%s",
                              hegui_role_name(a->role), a->path, a->layer_name, b->path,
                              b->layer_name,
                              hegui_role_has_parts(a->role)
                                  ? ", or, if they are parts of one plan (a file per county), "
                                    "name each part there: they are then read as one plan"
                                  : "");
        }
    }
    return rc;
}

int hegui_catalog_scan(hegui_catalog **out, const char *const *paths, size_t path_count,
                       const hegui_open_options *options, const hegui_config *config)
{
    hegui_open_options defaults;
    scan_state st;
    size_t i, configured;
    int rc = HEGUI_OK;

    *out = NULL;
    memset(&defaults, 0, sizeof(defaults));
    memset(&st, 0, sizeof(st));
    st.options = options ? options : &defaults;
    st.config = config;
    st.catalog = hegui_calloc(1, sizeof(hegui_catalog));
    if (!st.catalog)
        return HEGUI_ENOMEM;
    GDALAllRegister();

    for (i = 0; config && i < config->layer_count && rc == HEGUI_OK; i++) {
        const hegui_layer_spec *spec = &config->layers[i];
        struct stat sb;
        if (!hegui_str_istarts(spec->path, "PG:") && stat(spec->path, &sb) != 0)
            rc = hegui_error_set(HEGUI_ENOTFOUND, "%s:%d: %s: no such file or folder",
                                 config->source, spec->line, spec->path);
        else
            rc = scan_dataset(&st, spec->path, true, spec);
    }
    configured = st.catalog->count;
    for (i = 0; i < path_count && rc == HEGUI_OK; i++) {
        size_t before = st.catalog->count, k;
        rc = scan_path(&st, paths[i]);
        /* a layer named in the rules file keeps its configured entry */
        for (k = before; rc == HEGUI_OK && k < st.catalog->count;) {
            hegui_layer_info *info = &st.catalog->layers[k];
            if (configured && named_in_config(st.catalog, configured, info->path,
                                              info->layer_name)) {
                layer_release(info);
                memmove(info, info + 1, (st.catalog->count - k - 1) * sizeof(*info));
                st.catalog->count--;
            } else {
                k++;
            }
        }
    }
    /* the hashing runs where the reading threads leave a core idle (the
     * reading's start and end at -j 2), so that less of it is left for the
     * check's end */
    if (rc == HEGUI_OK && st.options->hash)
        rc = hegui_io_hash_start(&st.catalog->hashing, st.catalog);
    if (rc == HEGUI_OK)
        rc = read_layers(&st);
    if (rc == HEGUI_OK && st.catalog->count > 1)
        qsort(st.catalog->layers, st.catalog->count, sizeof(hegui_layer_info), compare_layers);
    if (rc == HEGUI_OK)
        rc = check_indexes(&st);
    if (rc == HEGUI_OK)
        rc = overrule_detected(&st);
    if (rc == HEGUI_OK)
        rc = add_notes(&st);
    if (rc < 0) {
        hegui_catalog_free(st.catalog);
        return rc;
    }
    *out = st.catalog;
    return HEGUI_OK;
}
