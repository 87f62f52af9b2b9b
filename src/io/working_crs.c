/*
 * working_crs.c - the one CRS every layer is brought into (DESIGN.md 2):
 * the rules file's, else the zones' projected CRS, else the CGCS2000
 * 3-degree GK zone (no prefix) that contains the zones' centre.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <proj.h>

#include "io/io_internal.h"

const char *hegui_io_proj_version(void)
{
    static char version[32];
    PJ_INFO info = proj_info();
    snprintf(version, sizeof(version), "%s", info.version);
    return version;
}

/* Longitude of the centre of a layer's extent, via EPSG:4490. */
static int centre_longitude(double *out_lon, const hegui_layer_info *info)
{
    OGRSpatialReferenceH src = io_srs_from_user_input(info->crs_wkt);
    OGRSpatialReferenceH geo = src ? io_srs_from_epsg(4490) : NULL;
    OGRCoordinateTransformationH ct = geo ? OCTNewCoordinateTransformation(src, geo) : NULL;
    double x = (info->extent[0] + info->extent[2]) / 2, y = (info->extent[1] + info->extent[3]) / 2;
    int ok = ct && OCTTransform(ct, 1, &x, &y, NULL);
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    if (geo)
        OSRDestroySpatialReference(geo);
    if (src)
        OSRDestroySpatialReference(src);
    if (!ok)
        return hegui_error_set(HEGUI_ECRS, "%s: cannot find the longitude of the layer's centre",
                               info->path);
    *out_lon = x;
    return HEGUI_OK;
}

/* Whether a CRS measures in metres: projected, with axes in metres. Areas,
 * minimum areas, margins and distances are all metres; a geographic
 * working CRS would give square degrees and lose every overlap as noise. */
static bool in_metres(const hegui_crs_info *crs)
{
    return !crs->geographic && fabs(crs->unit_m - 1.0) < 1e-9;
}

/* The working CRS derived from the zones (no rules file's, no -t_srs). */
static int derive(hegui_crs_info *out, const char **out_reason, const hegui_catalog *catalog)
{
    size_t i;
    const hegui_layer_info *fallback = NULL;
    int rc, zone, epsg;
    double lon = 0;
    char definition[16];

    for (i = 0; i < catalog->count; i++) {
        const hegui_layer_info *info = &catalog->layers[i];
        if (info->role != HEGUI_ROLE_ZONES || !info->has_crs || !info->has_extent)
            continue;
        if (info->coord_check.issue != HEGUI_COORD_OK)
            continue; /* never derive from a CRS that contradicts its data */
        if (in_metres(&info->crs) && info->crs.epsg) {
            *out = info->crs;
            *out_reason = "the projected CRS of the zones layer";
            return HEGUI_OK;
        }
        if (!fallback)
            fallback = info;
    }
    if (!fallback)
        return hegui_error_set(HEGUI_ECRS,
                               "no usable zones layer to derive the working CRS from; give "
                               "-t_srs or name working_crs in the rules file (e.g. EPSG:4547)");
    if ((rc = centre_longitude(&lon, fallback)) < 0)
        return rc;
    zone = hegui_crs_gk3_zone(lon);
    epsg = hegui_crs_gk_epsg(HEGUI_DATUM_CGCS2000, 3, zone, false);
    if (!epsg)
        return hegui_error_set(HEGUI_ECRS,
                               "the zones' centre (%.3f E) is outside China's Gauss-Kruger "
                               "zones; give -t_srs or name working_crs in the rules file",
                               lon);
    snprintf(definition, sizeof(definition), "EPSG:%d", epsg);
    if ((rc = hegui_crs_describe(out, definition)) < 0)
        return rc;
    *out_reason = "the CGCS2000 3-degree GK zone (no prefix) containing the zones' centre";
    return HEGUI_OK;
}

int hegui_catalog_working_crs(hegui_crs_info *out, const char **out_reason,
                              const hegui_catalog *catalog, const hegui_config *config)
{
    hegui_crs_info derived;
    const char *derived_why = NULL;
    char where[512], unit[64], hint[256];
    int rc;

    if (!config || !config->working_crs)
        return derive(out, out_reason, catalog);
    if (config->working_crs_line > 0) {
        snprintf(where, sizeof(where), "%s:%d: working_crs", config->source,
                 config->working_crs_line);
        *out_reason = "named in the rules file (working_crs)";
    } else {
        snprintf(where, sizeof(where), "-t_srs");
        *out_reason = "given with -t_srs";
    }
    if ((rc = hegui_crs_describe(out, config->working_crs)) < 0)
        return hegui_error_prefix("%s", where);
    if (in_metres(out))
        return HEGUI_OK;
    if (out->geographic)
        snprintf(unit, sizeof(unit), "geographic (degrees)");
    else if (out->unit_m > 0)
        snprintf(unit, sizeof(unit), "in units of %g m", out->unit_m);
    else
        snprintf(unit, sizeof(unit), "not a projected CRS");
    memset(&derived, 0, sizeof(derived));
    if (derive(&derived, &derived_why, catalog) == HEGUI_OK && derived.epsg) {
        snprintf(hint, sizeof(hint), "EPSG:%d (%s: %s)", derived.epsg, derived.name, derived_why);
    } else {
        hegui_error_clear();
        snprintf(hint, sizeof(hint),
                 "the CGCS2000 Gauss-Kruger zone of the zones (EPSG:4513-4554)");
    }
    return hegui_error_set(HEGUI_ECRS,
                           "%s: %s (%s) is %s; hegui measures areas and distances in metres, "
                           "in a projected CRS: name one, e.g. %s",
                           where, config->working_crs, out->name, unit, hint);
}

bool io_layer_reinterpreted(const hegui_layer_info *info)
{
    switch (info->coord_check.issue) {
    case HEGUI_COORD_PREFIX_UNDECLARED:
    case HEGUI_COORD_PREFIX_MISSING:
    case HEGUI_COORD_ZONE_MISMATCH:
    case HEGUI_COORD_SWAPPED:
    case HEGUI_COORD_PROJECTED_AS_GEOGRAPHIC:
    case HEGUI_COORD_GEOGRAPHIC_AS_PROJECTED:
        return info->has_crs && info->coord_check.suggested_epsg != 0;
    default:
        return false;
    }
}

int hegui_layer_effective_epsg(const hegui_layer_info *layer)
{
    if (io_layer_reinterpreted(layer))
        return layer->coord_check.suggested_epsg;
    return layer->has_crs ? layer->crs.epsg : 0;
}

int hegui_layer_lon_range(double *out_min, double *out_max, const hegui_layer_info *layer)
{
    OGRSpatialReferenceH src = NULL, geo = NULL;
    OGRCoordinateTransformationH ct = NULL;
    double e[4], xmin = 0, ymin = 0, xmax = 0, ymax = 0;
    int ok = 0;
    if (!layer->has_extent || !layer->has_crs)
        return hegui_error_set(HEGUI_ECRS, "%s: no extent or CRS", layer->path);
    memcpy(e, layer->extent, sizeof(e));
    if (io_layer_reinterpreted(layer)) {
        src = io_srs_from_epsg(layer->coord_check.suggested_epsg);
        if (layer->coord_check.issue == HEGUI_COORD_SWAPPED) {
            e[0] = layer->extent[1];
            e[1] = layer->extent[0];
            e[2] = layer->extent[3];
            e[3] = layer->extent[2];
        }
    } else {
        src = io_srs_from_user_input(layer->crs_wkt);
    }
    geo = src ? io_srs_from_epsg(4490) : NULL;
    ct = geo ? OCTNewCoordinateTransformation(src, geo) : NULL;
    ok = ct && OCTTransformBounds(ct, e[0], e[1], e[2], e[3], &xmin, &ymin, &xmax, &ymax, 21);
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    if (geo)
        OSRDestroySpatialReference(geo);
    if (src)
        OSRDestroySpatialReference(src);
    if (!ok)
        return hegui_error_set(HEGUI_ECRS, "%s: cannot convert the extent to longitude/latitude",
                               layer->path);
    *out_min = xmin;
    *out_max = xmax;
    return HEGUI_OK;
}
