/*
 * convert.c - copies one catalog layer into a new GDAL vector dataset
 * (`hegui convert IN OUT` when OUT is not a boundary-point TXT). The
 * source is the layer as the catalog sees it: for a boundary-point TXT its
 * in-memory GeoJSON (parcels with decoded attributes, axes in order), for
 * a shapefile with the encoding the catalog decided.
 */
#define _XOPEN_SOURCE 700

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cpl_string.h>
#include <gdal_utils.h>
#include <ogr_api.h>

#include "io/io_internal.h"

/* Output drivers by file extension. */
static const struct {
    const char *extension;
    const char *driver;
} by_extension[] = {
    {".gpkg", "GPKG"},        {".shp", "ESRI Shapefile"},
    {".geojson", "GeoJSON"},  {".json", "GeoJSON"},
    {".fgb", "FlatGeobuf"},   {".kml", "KML"},
    {".csv", "CSV"},          {".gml", "GML"},
    {".tab", "MapInfo File"}, {".mif", "MapInfo File"},
    {".sqlite", "SQLite"},    {".gdb", "OpenFileGDB"},
};

/* hegui_io_export_layer, with shown: path as messages may show it (a
 * connection string's password masked). */
static int export_layer(const hegui_layer_info *layer, const char *path, const char *shown,
                        const char *format, bool overwrite, const char *t_srs)
{
    const char *name = format;
    GDALDriverH driver;
    GDALDatasetH src = NULL, dst = NULL;
    GDALVectorTranslateOptions *opts = NULL;
    OGRLayerH src_layer;
    char **argv = NULL;
    io_capture cap;
    struct stat sb;
    size_t i;
    int rc = HEGUI_OK, usage_error = 0;

    GDALAllRegister();
    for (i = 0; !name && i < sizeof(by_extension) / sizeof(by_extension[0]); i++) {
        if (hegui_str_iends(path, by_extension[i].extension))
            name = by_extension[i].driver;
    }
    if (!name)
        return hegui_error_set(HEGUI_EINVAL,
                               "%s: cannot tell the output format from the extension; name a GDAL "
                               "driver with -f (GPKG, \"ESRI Shapefile\", GeoJSON, FlatGeobuf, …)",
                               shown);
    if (t_srs) {
        hegui_crs_info target;
        if (hegui_crs_describe(&target, t_srs) < 0)
            return hegui_error_prefix("-t_srs");
    }
    driver = GDALGetDriverByName(name);
    if (!driver || !GDALGetMetadataItem(driver, GDAL_DCAP_VECTOR, NULL) ||
        !GDALGetMetadataItem(driver, GDAL_DCAP_CREATE, NULL))
        return hegui_error_set(HEGUI_EINVAL,
                               "-f %s: no GDAL driver of that name writes vector data", name);
    if (stat(path, &sb) == 0) {
        if (!overwrite)
            return hegui_error_set(HEGUI_EINVAL, "%s exists; remove it or give --overwrite", shown);
        io_capture_begin(&cap);
        if (GDALDeleteDataset(driver, path) != CE_None && unlink(path) != 0) {
            io_capture_end(&cap);
            return hegui_error_set(HEGUI_EOUTPUT, "%s: cannot replace it: %s", shown, cap.first);
        }
        io_capture_end(&cap);
    }
    src = io_open_dataset(layer->gdal_path ? layer->gdal_path : layer->path, layer->open_option,
                          NULL, &cap);
    if (!src)
        return hegui_error_set(HEGUI_EINPUT, "%s: cannot open: %s", layer->path, cap.first);
    src_layer = GDALDatasetGetLayerByName(src, layer->layer_name);
    if (!src_layer) {
        rc = hegui_error_set(HEGUI_EINPUT, "%s: layer %s has disappeared", layer->path,
                             layer->layer_name);
        goto done;
    }
    argv = CSLAddString(argv, "-f");
    argv = CSLAddString(argv, name);
    argv = CSLAddString(argv, "-nln");
    argv = CSLAddString(argv, layer->layer_name);
    if (OGR_GT_Flatten(OGR_L_GetGeomType(src_layer)) == wkbUnknown) {
        /* polygons and multipolygons mixed (a TXT with multi-part parcels) */
        argv = CSLAddString(argv, "-nlt");
        argv = CSLAddString(argv, "PROMOTE_TO_MULTI");
    }
    if (strcmp(name, "ESRI Shapefile") == 0) {
        argv = CSLAddString(argv, "-lco");
        argv = CSLAddString(argv, "ENCODING=UTF-8"); /* with a .cpg saying so */
    }
    /* a CRS assigned with -s_srs is not in the source: GDAL would write
     * an undefined one */
    if (layer->crs_assigned && layer->crs_wkt) {
        argv = CSLAddString(argv, t_srs ? "-s_srs" : "-a_srs");
        argv = CSLAddString(argv, layer->crs_wkt);
    }
    if (t_srs) {
        argv = CSLAddString(argv, "-t_srs");
        argv = CSLAddString(argv, t_srs);
    }
    if (layer->spec && layer->spec->where) {
        argv = CSLAddString(argv, "-where");
        argv = CSLAddString(argv, layer->spec->where);
    }
    argv = CSLAddString(argv, layer->layer_name);
    opts = GDALVectorTranslateOptionsNew(argv, NULL);
    if (!opts) {
        rc = hegui_error_set(HEGUI_EINTERNAL, "GDAL refuses the translation options");
        goto done;
    }
    io_capture_begin(&cap);
    dst = GDALVectorTranslate(path, NULL, 1, &src, opts, &usage_error);
    if (dst)
        GDALClose(dst); /* flushes: write errors are captured too */
    io_capture_end(&cap);
    if (!dst || cap.errors)
        rc = hegui_error_set(HEGUI_EOUTPUT, "%s: GDAL (%s) could not write it: %s", shown, name,
                             cap.errors ? cap.first : "no reason given");
done:
    GDALVectorTranslateOptionsFree(opts);
    CSLDestroy(argv);
    GDALClose(src);
    return rc;
}

int hegui_io_export_layer(const hegui_layer_info *layer, const char *path, const char *format,
                          bool overwrite, const char *t_srs)
{
    char *shown = hegui_path_shown(path);
    int rc = shown ? export_layer(layer, path, shown, format, overwrite, t_srs) : HEGUI_ENOMEM;
    hegui_free(shown);
    return rc;
}
