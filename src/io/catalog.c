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
    if (info->gdal_path) {
        VSIUnlink(info->gdal_path); /* the in-memory copy of a boundary-point TXT */
        hegui_free(info->gdal_path);
    }
    for (i = 0; i < info->txt_problem_count; i++) {
        hegui_free(info->txt_problems[i].message_zh);
        hegui_free(info->txt_problems[i].message_en);
    }
    hegui_free(info->txt_problems);
    for (i = 0; i < info->field_count; i++)
        hegui_free(info->fields[i]);
    hegui_free(info->fields);
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

/* Reads every feature once: counts, NULL/empty/non-finite geometries and
 * invalid strings; any GDAL error or a count that disagrees with the
 * layer's own is HEGUI_EINPUT naming the feature. */
static int read_whole_layer(hegui_layer_info *info, OGRLayerH layer)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int nfields = OGR_FD_GetFieldCount(defn), i;
    int64_t declared = OGR_L_GetFeatureCount(layer, TRUE), read = 0;
    OGRFeatureH feature = NULL;
    io_capture cap;
    unsigned char *wkb = NULL;
    size_t wkb_cap = 0;
    int rc = HEGUI_OK;

    io_capture_begin(&cap);
    OGR_L_ResetReading(layer);
    for (;;) {
        OGRGeometryH geom;
        feature = OGR_L_GetNextFeature(layer);
        if (cap.errors) {
            rc = hegui_error_set(HEGUI_EINPUT,
                                 "%s (layer %s): GDAL could not read feature %lld of %lld (FID "
                                 "%lld): %s; the file is truncated or damaged: ask for a "
                                 "complete copy",
                                 info->path, info->layer_name, (long long)read + 1,
                                 (long long)declared,
                                 (long long)(feature ? OGR_F_GetFID(feature) : read), cap.first);
            goto done;
        }
        if (!feature)
            break;
        read++;
        geom = OGR_F_GetGeometryRef(feature);
        if (!geom) {
            info->null_geometries++;
        } else if (OGR_G_IsEmpty(geom)) {
            info->empty_geometries++;
        } else {
            size_t size = (size_t)OGR_G_WkbSize(geom);
            hegui_wkb_stats stats;
            if (size > wkb_cap) {
                unsigned char *grown = hegui_realloc(wkb, size);
                if (!grown) {
                    rc = HEGUI_ENOMEM;
                    goto done;
                }
                wkb = grown;
                wkb_cap = size;
            }
            OGR_G_ExportToIsoWkb(geom, wkbNDR, wkb);
            info->geometry_bytes += (int64_t)size;
            if (hegui_wkb_scan(&stats, wkb, size) < 0 || stats.nonfinite)
                info->nonfinite_geometries++;
        }
        for (i = 0; i < nfields; i++) {
            OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, i);
            if (OGR_Fld_GetType(fd) == OFTString && OGR_F_IsFieldSetAndNotNull(feature, i)) {
                const char *s = OGR_F_GetFieldAsString(feature, i);
                if (!hegui_utf8_valid(s, strlen(s)))
                    info->bad_strings++;
            }
        }
        OGR_F_Destroy(feature);
        feature = NULL;
    }
    if (declared >= 0 && declared != read) {
        rc = hegui_error_set(HEGUI_EINPUT,
                             "%s: the layer declares %lld features but %lld could be read; the "
                             "file is truncated or damaged: ask for a complete copy",
                             info->path, (long long)declared, (long long)read);
        goto done;
    }
    info->feature_count = read;
done:
    if (feature)
        OGR_F_Destroy(feature);
    io_capture_end(&cap);
    OGR_L_ResetReading(layer);
    hegui_free(wkb);
    return rc;
}

/* --- describing one layer --- */

static int describe_fields(hegui_layer_info *info, OGRLayerH layer)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int n = OGR_FD_GetFieldCount(defn), i;
    info->fields = hegui_calloc((size_t)(n > 0 ? n : 1), sizeof(char *));
    if (!info->fields)
        return HEGUI_ENOMEM;
    for (i = 0; i < n; i++) {
        const char *name = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
        info->fields[i] = hegui_utf8_repair(name, NULL);
        if (!info->fields[i])
            return HEGUI_ENOMEM;
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
    info->path = hegui_strdup(path);
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
            return hegui_error_set(HEGUI_ECONFIG, "%s:%d: the filter \"%s\" does not apply to %s: %s",
                                   st->config ? st->config->source : "rules", spec->line,
                                   spec->where, path, cap.first);
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
        info->role = io_role_detect(path, info->layer_name, (const char *const *)info->fields,
                                    info->field_count, reason, sizeof(reason), label,
                                    sizeof(label));
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
    char *encoding_option = NULL;
    const char *forced_encoding = spec && spec->encoding ? spec->encoding : opt->input_encoding;
    bool is_shp = hegui_str_iends(path, ".shp");

    if (hegui_str_iends(path, ".txt"))
        return scan_txt(st, path, spec);
    if (is_shp && (rc = check_shapefile_parts(path)) < 0)
        return rc;
    ds = io_open_dataset(path, NULL, opt->open_options, &cap);
    if (!ds) {
        if (!must_open)
            return add_note(st, "skipped %s: not a vector dataset that hegui reads", path);
        return hegui_error_set(HEGUI_EINPUT, "%s: cannot open as a vector dataset%s%s", path,
                               cap.errors ? ": " : "", cap.errors ? cap.first : "");
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
                rc = hegui_error_set(HEGUI_EINPUT, "%s: cannot open with %s: %s", path,
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
            rc = spec->layer ? hegui_error_set(HEGUI_ENOTFOUND,
                                               "%s:%d: %s has no layer named '%s'",
                                               st->config ? st->config->source : "rules",
                                               spec->line, path, spec->layer)
                             : hegui_error_set(HEGUI_ECONFIG,
                                               "%s:%d: %s has %d layers; say which one with "
                                               "'layer:'",
                                               st->config ? st->config->source : "rules",
                                               spec->line, path, nlayers);
            goto done;
        }
        rc = describe_layer(st, ds, path, layer, spec);
        goto done;
    }
    for (i = 0; i < nlayers && rc == HEGUI_OK; i++)
        rc = describe_layer(st, ds, path, GDALDatasetGetLayer(ds, i), NULL);
done:
    hegui_free(encoding_option);
    if (ds)
        GDALClose(ds);
    if (rc < 0 && rc != HEGUI_ENOMEM && !strstr(hegui_error_last(), path))
        hegui_error_prefix("%s", path);
    return rc;
}

/* --- reading every layer in full, on several threads --- */

typedef struct read_job {
    hegui_catalog *catalog;
    const hegui_open_options *options;
    pthread_mutex_t lock;
    size_t *order;  /* the layers to read, largest file first */
    size_t count;
    size_t next;    /* next entry of order to take */
    int *rc;        /* per layer */
    char **message; /* per layer, when rc < 0 */
} read_job;

typedef struct sized_layer {
    size_t index;
    int64_t bytes; /* of the layer's file; 0 when not a file */
} sized_layer;

/* Largest file first (its layers keep their order), so that the longest
 * read starts at once instead of last. */
static int compare_sized(const void *a, const void *b)
{
    const sized_layer *x = a, *y = b;
    if (x->bytes != y->bytes)
        return x->bytes < y->bytes ? 1 : -1;
    return (x->index > y->index) - (x->index < y->index);
}

/* Opens layer info's dataset anew (one handle per thread) and reads it. */
static int read_one_layer(const hegui_open_options *opt, hegui_layer_info *info)
{
    io_capture cap;
    GDALDatasetH ds = io_open_dataset(info->gdal_path ? info->gdal_path : info->path,
                                      info->open_option, opt->open_options, &cap);
    OGRLayerH layer;
    int rc;
    if (!ds)
        return hegui_error_set(HEGUI_EINPUT, "%s: cannot open again: %s", info->path,
                               cap.first);
    layer = GDALDatasetGetLayerByName(ds, info->layer_name);
    if (!layer) {
        GDALClose(ds);
        return hegui_error_set(HEGUI_EINPUT, "%s: layer %s has disappeared", info->path,
                               info->layer_name);
    }
    if (info->spec && info->spec->where)
        OGR_L_SetAttributeFilter(layer, info->spec->where); /* checked when described */
    rc = read_whole_layer(info, layer);
    GDALClose(ds);
    return rc;
}

static void *read_worker(void *arg)
{
    read_job *job = arg;
    for (;;) {
        size_t i;
        pthread_mutex_lock(&job->lock);
        i = job->next < job->count ? job->order[job->next++] : SIZE_MAX;
        pthread_mutex_unlock(&job->lock);
        if (i == SIZE_MAX)
            return NULL;
        job->rc[i] = read_one_layer(job->options, &job->catalog->layers[i]);
        if (job->rc[i] < 0)
            job->message[i] = hegui_strdup(hegui_error_last());
    }
}

/*
 * Reads every layer described so far completely (read_whole_layer), the
 * largest file's first, each on the first free of up to READ_THREADS
 * threads (at most -j) with its own dataset handle: the layers of a city
 * folder are read side by side. The error reported is the first layer's
 * in catalog order, whatever the timing.
 */
#define READ_THREADS 4
static int read_layers(scan_state *st)
{
    hegui_catalog *cat = st->catalog;
    read_job job;
    pthread_t threads[READ_THREADS];
    long cores = st->options->threads > 0 ? st->options->threads : sysconf(_SC_NPROCESSORS_ONLN);
    int count = cores < 1 ? 1 : cores > READ_THREADS ? READ_THREADS : (int)cores, started = 0, t;
    sized_layer *sized;
    size_t i;
    int rc = HEGUI_OK;

    memset(&job, 0, sizeof(job));
    job.catalog = cat;
    job.options = st->options;
    job.rc = hegui_calloc(cat->count ? cat->count : 1, sizeof(*job.rc));
    job.message = hegui_calloc(cat->count ? cat->count : 1, sizeof(*job.message));
    job.order = hegui_calloc(cat->count ? cat->count : 1, sizeof(*job.order));
    sized = hegui_calloc(cat->count ? cat->count : 1, sizeof(*sized));
    if (!job.rc || !job.message || !job.order || !sized) {
        hegui_free(job.rc);
        hegui_free(job.message);
        hegui_free(job.order);
        hegui_free(sized);
        return HEGUI_ENOMEM;
    }
    for (i = 0; i < cat->count; i++) {
        struct stat sb;
        if (cat->layers[i].feature_count != -1)
            continue; /* read already (or not a layer to read) */
        sized[job.count].index = i;
        sized[job.count].bytes = stat(cat->layers[i].path, &sb) == 0 ? (int64_t)sb.st_size : 0;
        job.count++;
    }
    if (job.count > 1)
        qsort(sized, job.count, sizeof(*sized), compare_sized);
    for (i = 0; i < job.count; i++)
        job.order[i] = sized[i].index;
    hegui_free(sized);
    pthread_mutex_init(&job.lock, NULL);
    for (t = 1; t < count; t++) {
        if (pthread_create(&threads[started], NULL, read_worker, &job) != 0)
            break; /* fewer threads: the calling one still reads */
        started++;
    }
    read_worker(&job);
    for (t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    pthread_mutex_destroy(&job.lock);
    for (i = 0; i < cat->count; i++) {
        if (rc == HEGUI_OK && job.rc[i] < 0)
            rc = job.message[i] ? hegui_error_set(job.rc[i], "%s", job.message[i]) : job.rc[i];
        hegui_free(job.message[i]);
    }
    hegui_free(job.rc);
    hegui_free(job.message);
    hegui_free(job.order);
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
        found = other && real && strcmp(other, real) == 0 &&
                strcmp(cat->layers[i].layer_name, layer) == 0;
        free(other);
    }
    free(real);
    return found;
}

/* Notes for roles claimed by several layers and for unused layers. */
static int add_role_notes(scan_state *st)
{
    hegui_catalog *cat = st->catalog;
    size_t i, j;
    int rc = HEGUI_OK;
    for (i = 0; i < cat->count && rc == HEGUI_OK; i++) {
        hegui_layer_info *a = &cat->layers[i];
        if (a->role == HEGUI_ROLE_NONE) {
            rc = add_note(st, "%s (layer %s): no role detected (%s); it is not used unless the "
                              "rules file names it",
                          a->path, a->layer_name, a->role_reason);
            continue;
        }
        if (!hegui_role_is_single(a->role))
            continue;
        for (j = i + 1; j < cat->count && rc == HEGUI_OK; j++) {
            hegui_layer_info *b = &cat->layers[j];
            if (b->role == a->role)
                rc = add_note(st,
                              "two layers claim the single-layer role '%s': %s (layer %s) and %s "
                              "(layer %s); name the right one in the rules file",
                              hegui_role_name(a->role), a->path, a->layer_name, b->path,
                              b->layer_name);
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
    if (rc == HEGUI_OK)
        rc = read_layers(&st);
    if (rc == HEGUI_OK && st.catalog->count > 1)
        qsort(st.catalog->layers, st.catalog->count, sizeof(hegui_layer_info), compare_layers);
    if (rc == HEGUI_OK)
        rc = add_role_notes(&st);
    if (rc < 0) {
        hegui_catalog_free(st.catalog);
        return rc;
    }
    *out = st.catalog;
    return HEGUI_OK;
}
