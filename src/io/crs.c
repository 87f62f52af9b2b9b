/*
 * crs.c - CRS description and the check of coordinates against their CRS
 * (DOMAIN.md section 3): Gauss-Kruger EPSG arithmetic, zone prefixes,
 * swapped axes.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cpl_conv.h>

#include "io/io_internal.h"

const char *hegui_datum_name(hegui_datum datum)
{
    switch (datum) {
    case HEGUI_DATUM_CGCS2000: return "CGCS2000";
    case HEGUI_DATUM_XIAN80: return "Xian 1980";
    case HEGUI_DATUM_BEIJING54: return "Beijing 1954";
    case HEGUI_DATUM_WGS84: return "WGS 84";
    case HEGUI_DATUM_OTHER: return "other";
    case HEGUI_DATUM_NONE: break;
    }
    return "none";
}

/* First EPSG code of each GK series, to which the zone number is added
 * (verified with projinfo against the EPSG database). */
typedef struct gk_series {
    hegui_datum datum;
    int width;
    bool prefixed;
    int base; /* EPSG = base + zone */
    int zone_min, zone_max;
} gk_series;

static const gk_series gk_table[] = {
    {HEGUI_DATUM_CGCS2000, 3, true, 4488, 25, 45},
    {HEGUI_DATUM_CGCS2000, 3, false, 4509, 25, 45},
    {HEGUI_DATUM_CGCS2000, 6, true, 4478, 13, 23},
    {HEGUI_DATUM_CGCS2000, 6, false, 4489, 13, 23},
    {HEGUI_DATUM_XIAN80, 3, true, 2324, 25, 45},
    {HEGUI_DATUM_XIAN80, 3, false, 2345, 25, 45},
    {HEGUI_DATUM_XIAN80, 6, true, 2314, 13, 23},
    {HEGUI_DATUM_XIAN80, 6, false, 2325, 13, 23},
    {HEGUI_DATUM_BEIJING54, 3, true, 2376, 25, 45},
    {HEGUI_DATUM_BEIJING54, 3, false, 2397, 25, 45},
    {HEGUI_DATUM_BEIJING54, 6, true, 21400, 13, 23},
    {HEGUI_DATUM_BEIJING54, 6, false, 21440, 13, 23},
};

#define GK_TABLE_SIZE (sizeof(gk_table) / sizeof(gk_table[0]))

int hegui_crs_gk_epsg(hegui_datum datum, int width, int zone, bool prefixed)
{
    size_t i;
    for (i = 0; i < GK_TABLE_SIZE; i++) {
        const gk_series *s = &gk_table[i];
        if (s->datum == datum && s->width == width && s->prefixed == prefixed &&
            zone >= s->zone_min && zone <= s->zone_max)
            return s->base + zone;
    }
    return 0;
}

/* Fills the GK fields of info from an EPSG code of the table; false if the
 * code is not a Chinese GK CRS. */
static bool gk_from_epsg(hegui_crs_info *info, int epsg)
{
    size_t i;
    for (i = 0; i < GK_TABLE_SIZE; i++) {
        const gk_series *s = &gk_table[i];
        int zone = epsg - s->base;
        if (zone >= s->zone_min && zone <= s->zone_max) {
            info->datum = s->datum;
            info->gk_width = s->width;
            info->gk_zone = zone;
            info->prefixed = s->prefixed;
            info->central_meridian = s->width == 3 ? 3.0 * zone : 6.0 * zone - 3.0;
            info->false_easting = (s->prefixed ? zone * 1e6 : 0.0) + 500000.0;
            return true;
        }
    }
    return false;
}

int hegui_crs_gk3_zone(double lon_deg)
{
    return (int)floor((lon_deg + 1.5) / 3.0);
}

int hegui_crs_gk6_zone(double lon_deg)
{
    return (int)floor(lon_deg / 6.0) + 1;
}

const char *hegui_coord_issue_name(hegui_coord_issue issue)
{
    switch (issue) {
    case HEGUI_COORD_OK: return "ok";
    case HEGUI_COORD_UNKNOWN: return "unknown";
    case HEGUI_COORD_PREFIX_UNDECLARED: return "prefix_undeclared";
    case HEGUI_COORD_PREFIX_MISSING: return "prefix_missing";
    case HEGUI_COORD_ZONE_MISMATCH: return "zone_mismatch";
    case HEGUI_COORD_SWAPPED: return "swapped_axes";
    case HEGUI_COORD_PROJECTED_AS_GEOGRAPHIC: return "projected_as_geographic";
    case HEGUI_COORD_GEOGRAPHIC_AS_PROJECTED: return "geographic_as_projected";
    }
    return "unknown";
}

/* Number of integer digits of |v| (0 for |v| < 1). */
static int int_digits(double v)
{
    int n = 0;
    v = fabs(v);
    while (v >= 1.0 && n < 20) {
        v /= 10.0;
        n++;
    }
    return n;
}

/* Width of GK zones implied by a prefix: 25-45 -> 3, 13-23 -> 6, else 0. */
static int width_of_prefix(int zone)
{
    if (zone >= 25 && zone <= 45)
        return 3;
    if (zone >= 13 && zone <= 23)
        return 6;
    return 0;
}

/* A Chinese northing (metres): 7 integer digits, about 1.9e6 to 5.9e6. */
static bool is_cn_northing(double v)
{
    return v >= 1.0e6 && v < 6.5e6;
}

void hegui_crs_check_coords(hegui_coord_check *out, const hegui_crs_info *crs,
                            const double extent[4])
{
    double xmin = extent[0], ymin = extent[1], xmax = extent[2], ymax = extent[3];
    int xdig = int_digits(fmax(fabs(xmin), fabs(xmax)));
    int ydig = int_digits(fmax(fabs(ymin), fabs(ymax)));
    hegui_datum datum = crs && crs->datum != HEGUI_DATUM_NONE && crs->datum != HEGUI_DATUM_OTHER &&
                                crs->datum != HEGUI_DATUM_WGS84
                            ? crs->datum
                            : HEGUI_DATUM_CGCS2000;
    int xzone = (int)floor(xmin / 1e6), xzone_max = (int)floor(xmax / 1e6);
    bool x_prefixed = xdig == 8 && xzone == xzone_max && width_of_prefix(xzone) != 0;

    memset(out, 0, sizeof(*out));
    out->issue = HEGUI_COORD_OK;
    if (!(isfinite(xmin) && isfinite(ymin) && isfinite(xmax) && isfinite(ymax)) || xmax < xmin) {
        out->issue = HEGUI_COORD_UNKNOWN;
        return;
    }
    if (x_prefixed)
        out->prefix_zone = xzone;

    /* swapped axes: the x values look like northings and y like eastings */
    if (is_cn_northing(xmin) && is_cn_northing(xmax) && ydig == 8 &&
        width_of_prefix((int)floor(ymin / 1e6)) != 0 && !(crs && crs->geographic)) {
        int zone = (int)floor(ymin / 1e6);
        out->issue = HEGUI_COORD_SWAPPED;
        out->prefix_zone = zone;
        out->suggested_epsg = hegui_crs_gk_epsg(datum, width_of_prefix(zone), zone, true);
        snprintf(out->message, sizeof(out->message),
                 "x values (%.0f..%.0f) look like northings and y values (%.0f..%.0f) like "
                 "zone-%d prefixed eastings: the axes are swapped; swap X and Y (EPSG:%d "
                 "after the swap)",
                 xmin, xmax, ymin, ymax, zone, out->suggested_epsg);
        return;
    }
    if (is_cn_northing(xmin) && is_cn_northing(xmax) && ydig == 6 && !(crs && crs->geographic) &&
        crs && crs->gk_width && !crs->prefixed && !is_cn_northing(ymax)) {
        out->issue = HEGUI_COORD_SWAPPED;
        out->suggested_epsg = crs->epsg;
        snprintf(out->message, sizeof(out->message),
                 "x values (%.0f..%.0f) look like northings and y values (%.0f..%.0f) like "
                 "eastings: the axes are swapped; swap X and Y",
                 xmin, xmax, ymin, ymax);
        return;
    }

    if (!crs) {
        out->issue = HEGUI_COORD_UNKNOWN;
        if (x_prefixed) {
            out->suggested_epsg = hegui_crs_gk_epsg(HEGUI_DATUM_CGCS2000, width_of_prefix(xzone),
                                                    xzone, true);
            snprintf(out->message, sizeof(out->message),
                     "no CRS; eastings carry the zone prefix %d: likely EPSG:%d", xzone,
                     out->suggested_epsg);
        } else if (fabs(xmax) <= 180 && fabs(ymax) <= 90) {
            out->suggested_epsg = 4490;
            snprintf(out->message, sizeof(out->message),
                     "no CRS; coordinates look like longitude/latitude: likely EPSG:4490");
        }
        return;
    }

    if (crs->geographic) {
        if (fabs(xmin) > 180.0 || fabs(xmax) > 180.0 || fabs(ymin) > 90.0 || fabs(ymax) > 90.0) {
            out->issue = HEGUI_COORD_PROJECTED_AS_GEOGRAPHIC;
            if (x_prefixed && is_cn_northing(ymin) && is_cn_northing(ymax))
                out->suggested_epsg =
                    hegui_crs_gk_epsg(datum, width_of_prefix(xzone), xzone, true);
            char tail[48] = "";
            if (out->suggested_epsg)
                snprintf(tail, sizeof(tail), "; likely EPSG:%d", out->suggested_epsg);
            snprintf(out->message, sizeof(out->message),
                     "coordinates (%.0f, %.0f)..(%.0f, %.0f) are metres, not degrees, but the "
                     "CRS '%s' is geographic%s",
                     xmin, ymin, xmax, ymax, crs->name, tail);
        }
        return;
    }

    if (!crs->gk_width) {
        if (fabs(xmax) <= 180.0 && fabs(ymax) <= 90.0 && xdig <= 3) {
            out->issue = HEGUI_COORD_GEOGRAPHIC_AS_PROJECTED;
            out->suggested_epsg = 4490;
            snprintf(out->message, sizeof(out->message),
                     "coordinates look like degrees but the CRS '%s' is projected; likely "
                     "EPSG:4490",
                     crs->name);
        }
        return;
    }

    /* A Gauss-Kruger CRS: compare the eastings' prefix with it. */
    if (fabs(xmax) <= 180.0 && fabs(ymax) <= 90.0 && xdig <= 3) {
        out->issue = HEGUI_COORD_GEOGRAPHIC_AS_PROJECTED;
        out->suggested_epsg = crs->datum == HEGUI_DATUM_CGCS2000 ? 4490 : 0;
        snprintf(out->message, sizeof(out->message),
                 "coordinates look like degrees but the CRS '%s' is a projected Gauss-Kruger "
                 "CRS%s",
                 crs->name, out->suggested_epsg ? "; likely EPSG:4490" : "");
        return;
    }
    if (x_prefixed && !crs->prefixed) {
        out->issue = HEGUI_COORD_PREFIX_UNDECLARED;
        out->suggested_epsg = hegui_crs_gk_epsg(datum, width_of_prefix(xzone), xzone, true);
        snprintf(out->message, sizeof(out->message),
                 "eastings (%.0f..%.0f) carry the zone prefix %d, but the CRS '%s' has no "
                 "prefix (false easting %.0f): reprojection would be nonsense; the data is "
                 "likely EPSG:%d — fix the .prj or assign it with -s_srs EPSG:%d",
                 xmin, xmax, xzone, crs->name, crs->false_easting, out->suggested_epsg,
                 out->suggested_epsg);
    } else if (x_prefixed && crs->prefixed && xzone != crs->gk_zone) {
        out->issue = HEGUI_COORD_ZONE_MISMATCH;
        out->suggested_epsg = hegui_crs_gk_epsg(datum, width_of_prefix(xzone), xzone, true);
        snprintf(out->message, sizeof(out->message),
                 "eastings carry the zone prefix %d but the CRS '%s' is zone %d; likely "
                 "EPSG:%d",
                 xzone, crs->name, crs->gk_zone, out->suggested_epsg);
    } else if (!x_prefixed && crs->prefixed && xdig <= 7) {
        out->issue = HEGUI_COORD_PREFIX_MISSING;
        out->suggested_epsg = hegui_crs_gk_epsg(crs->datum, crs->gk_width, crs->gk_zone, false);
        snprintf(out->message, sizeof(out->message),
                 "eastings (%.0f..%.0f) have no zone prefix, but the CRS '%s' expects one "
                 "(false easting %.0f); the data is likely EPSG:%d — fix the .prj or assign "
                 "it with -s_srs EPSG:%d",
                 xmin, xmax, crs->name, crs->false_easting, out->suggested_epsg,
                 out->suggested_epsg);
    }
}

OGRSpatialReferenceH io_srs_from_epsg(int epsg)
{
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    if (!srs) {
        hegui_error_set(HEGUI_ENOMEM, "cannot create a spatial reference");
        return NULL;
    }
    if (OSRImportFromEPSG(srs, epsg) != OGRERR_NONE) {
        OSRDestroySpatialReference(srs);
        hegui_error_set(HEGUI_ECRS, "EPSG:%d is not a known coordinate system", epsg);
        return NULL;
    }
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

OGRSpatialReferenceH io_srs_from_user_input(const char *definition)
{
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    io_capture cap;
    OGRErr err;
    if (!srs) {
        hegui_error_set(HEGUI_ENOMEM, "cannot create a spatial reference");
        return NULL;
    }
    io_capture_begin(&cap);
    err = OSRSetFromUserInput(srs, definition);
    io_capture_end(&cap);
    if (err != OGRERR_NONE) {
        OSRDestroySpatialReference(srs);
        hegui_error_set(HEGUI_ECRS, "cannot understand the CRS '%s'%s%s; give it as EPSG:NNNN",
                        definition, cap.errors ? ": " : "", cap.errors ? cap.first : "");
        return NULL;
    }
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

/* Datum of an OSR handle from its datum name. */
static hegui_datum datum_of(OGRSpatialReferenceH srs)
{
    const char *d = OSRGetAttrValue(srs, "DATUM", 0);
    if (!d)
        return HEGUI_DATUM_OTHER;
    if (hegui_str_icontains(d, "2000") &&
        (hegui_str_icontains(d, "China") || hegui_str_icontains(d, "CGCS")))
        return HEGUI_DATUM_CGCS2000;
    if (hegui_str_icontains(d, "Xian") || hegui_str_icontains(d, "Xi'an"))
        return HEGUI_DATUM_XIAN80;
    if (hegui_str_icontains(d, "Beijing"))
        return HEGUI_DATUM_BEIJING54;
    if (hegui_str_icontains(d, "WGS") && hegui_str_icontains(d, "84"))
        return HEGUI_DATUM_WGS84;
    return HEGUI_DATUM_OTHER;
}

/* EPSG code of srs: its authority code, else the best match of PROJ's
 * identification with confidence of at least 90 percent. */
static int epsg_of(OGRSpatialReferenceH srs)
{
    const char *auth, *code;
    OGRSpatialReferenceH *matches;
    int count = 0, *confidence = NULL, epsg = 0;
    bool projected = OSRIsProjected(srs);
    auth = OSRGetAuthorityName(srs, projected ? "PROJCS" : "GEOGCS");
    code = OSRGetAuthorityCode(srs, projected ? "PROJCS" : "GEOGCS");
    if (auth && code && hegui_str_iequal(auth, "EPSG"))
        return atoi(code);
    matches = OSRFindMatches(srs, NULL, &count, &confidence);
    if (matches && count > 0 && confidence[0] >= 90) {
        auth = OSRGetAuthorityName(matches[0], NULL);
        code = OSRGetAuthorityCode(matches[0], NULL);
        if (auth && code && hegui_str_iequal(auth, "EPSG"))
            epsg = atoi(code);
    }
    OSRFreeSRSArray(matches);
    CPLFree(confidence);
    return epsg;
}

void io_crs_describe_srs(hegui_crs_info *out, OGRSpatialReferenceH srs)
{
    const char *name;
    io_capture cap;
    memset(out, 0, sizeof(*out));
    if (!srs)
        return;
    io_capture_begin(&cap);
    name = OSRGetName(srs);
    snprintf(out->name, sizeof(out->name), "%s", name ? name : "");
    out->geographic = OSRIsGeographic(srs) != 0;
    out->unit_m = OSRIsProjected(srs) ? OSRGetLinearUnits(srs, NULL) : 0;
    out->datum = datum_of(srs);
    out->epsg = epsg_of(srs);
    if (out->epsg && gk_from_epsg(out, out->epsg)) {
        io_capture_end(&cap);
        return;
    }
    if (!out->geographic) {
        const char *proj = OSRGetAttrValue(srs, "PROJECTION", 0);
        if (proj && hegui_str_icontains(proj, "Transverse_Mercator") &&
            out->datum != HEGUI_DATUM_OTHER && out->datum != HEGUI_DATUM_WGS84) {
            double cm = OSRGetProjParm(srs, SRS_PP_CENTRAL_MERIDIAN, 0.0, NULL);
            double fe = OSRGetProjParm(srs, SRS_PP_FALSE_EASTING, 0.0, NULL);
            int prefix = (int)floor(fe / 1e6);
            out->central_meridian = cm;
            out->false_easting = fe;
            out->prefixed = prefix > 0;
            if (prefix > 0) {
                out->gk_zone = prefix;
                out->gk_width = width_of_prefix(prefix);
            } else if (hegui_str_icontains(out->name, "6_Degree") ||
                       (!hegui_str_icontains(out->name, "3_Degree") &&
                        !hegui_str_icontains(out->name, "3-degree") && fmod(cm, 3.0) != 0.0)) {
                out->gk_width = 6;
                out->gk_zone = (int)((cm + 3.0) / 6.0);
            } else {
                out->gk_width = 3;
                out->gk_zone = (int)(cm / 3.0);
            }
            if (!out->epsg)
                out->epsg =
                    hegui_crs_gk_epsg(out->datum, out->gk_width, out->gk_zone, out->prefixed);
        }
    }
    io_capture_end(&cap);
}

int hegui_crs_describe(hegui_crs_info *out, const char *definition)
{
    OGRSpatialReferenceH srs = io_srs_from_user_input(definition);
    if (!srs)
        return HEGUI_ECRS;
    io_crs_describe_srs(out, srs);
    OSRDestroySpatialReference(srs);
    return HEGUI_OK;
}
