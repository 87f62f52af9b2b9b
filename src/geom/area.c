/*
 * area.c - ellipsoidal (geodesic) areas with PROJ: the national land-survey
 * statistics use the area on the ellipsoid (DOMAIN.md 2), while survey
 * coordinates give planar Gauss-Kruger areas. Both are reported.
 */
#include <math.h>
#include <stdio.h>

#include <geodesic.h>
#include <geos_c.h>
#include <proj.h>

#include "hegui/geom.h"
#include "util/util.h"

struct hegui_area_calc {
    PJ_CONTEXT *proj;
    PJ *to_lonlat; /* working CRS -> its geographic CRS, lon/lat order */
    struct geod_geodesic geod;
    int geographic; /* the CRS is already lon/lat */
};

void hegui_area_calc_free(hegui_area_calc *calc)
{
    if (!calc)
        return;
    if (calc->to_lonlat)
        proj_destroy(calc->to_lonlat);
    if (calc->proj)
        proj_context_destroy(calc->proj);
    hegui_free(calc);
}

int hegui_area_calc_new(hegui_area_calc **out, int epsg)
{
    hegui_area_calc *calc = hegui_calloc(1, sizeof(*calc));
    char code[32];
    PJ *crs = NULL, *geodetic = NULL, *ellipsoid = NULL, *raw = NULL;
    double a = 0, inv_f = 0;
    int rc = HEGUI_OK;

    *out = NULL;
    if (!calc)
        return HEGUI_ENOMEM;
    calc->proj = proj_context_create();
    snprintf(code, sizeof(code), "EPSG:%d", epsg);
    crs = calc->proj ? proj_create(calc->proj, code) : NULL;
    geodetic = crs ? proj_crs_get_geodetic_crs(calc->proj, crs) : NULL;
    ellipsoid = geodetic ? proj_get_ellipsoid(calc->proj, geodetic) : NULL;
    if (!ellipsoid ||
        !proj_ellipsoid_get_parameters(calc->proj, ellipsoid, &a, NULL, NULL, &inv_f)) {
        rc = hegui_error_set(HEGUI_ECRS, "PROJ cannot find the ellipsoid of %s", code);
        goto done;
    }
    geod_init(&calc->geod, a, inv_f != 0 ? 1.0 / inv_f : 0.0);
    calc->geographic = proj_get_type(crs) == PJ_TYPE_GEOGRAPHIC_2D_CRS;
    if (!calc->geographic) {
        raw = proj_create_crs_to_crs_from_pj(calc->proj, crs, geodetic, NULL, NULL);
        calc->to_lonlat = raw ? proj_normalize_for_visualization(calc->proj, raw) : NULL;
        if (!calc->to_lonlat) {
            rc = hegui_error_set(HEGUI_ECRS, "PROJ cannot convert %s to longitude/latitude",
                                 code);
            goto done;
        }
    }
done:
    if (raw)
        proj_destroy(raw);
    if (ellipsoid)
        proj_destroy(ellipsoid);
    if (geodetic)
        proj_destroy(geodetic);
    if (crs)
        proj_destroy(crs);
    if (rc < 0) {
        hegui_area_calc_free(calc);
        return rc;
    }
    *out = calc;
    return HEGUI_OK;
}

/* Geodesic area of one ring (absolute value), in m2: its coordinates are
 * copied out of GEOS and converted to longitude/latitude in one call each,
 * then added to a GeographicLib polygon. */
static int ring_area(double *out, hegui_area_calc *calc, GEOSContextHandle_t h,
                     const GEOSGeometry *ring)
{
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned int n = 0, i;
    struct geod_polygon poly;
    double area = 0, perimeter = 0, *xy;
    if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &n))
        return hegui_error_set(HEGUI_EGEOM, "cannot read a ring's coordinates");
    if (n < 2) {
        *out = 0;
        return HEGUI_OK;
    }
    xy = hegui_malloc(2 * (size_t)n * sizeof(double));
    if (!xy)
        return HEGUI_ENOMEM;
    if (!GEOSCoordSeq_copyToBuffer_r(h, seq, xy, 0, 0)) {
        hegui_free(xy);
        return hegui_error_set(HEGUI_EGEOM, "cannot read a ring's coordinates");
    }
    if (!calc->geographic) {
        proj_trans_generic(calc->to_lonlat, PJ_FWD, xy, 2 * sizeof(double), n, xy + 1,
                           2 * sizeof(double), n, NULL, 0, 0, NULL, 0, 0);
        for (i = 0; i < n; i++) {
            if (!isfinite(xy[2 * i]) || !isfinite(xy[2 * i + 1])) {
                hegui_free(xy);
                return hegui_error_set(HEGUI_EGEOM,
                                       "a coordinate cannot be converted to longitude/latitude");
            }
        }
    }
    geod_polygon_init(&poly, 0);
    /* the closing point repeats the first: leave it out */
    for (i = 0; i + 1 < n; i++)
        geod_polygon_addpoint(&calc->geod, &poly, xy[2 * i + 1], xy[2 * i]);
    geod_polygon_compute(&calc->geod, &poly, 0, 1, &area, &perimeter);
    hegui_free(xy);
    *out = fabs(area);
    return HEGUI_OK;
}

static int polygon_area(double *out, hegui_area_calc *calc, GEOSContextHandle_t h,
                        const GEOSGeometry *polygon)
{
    double total = 0, part;
    int holes = GEOSGetNumInteriorRings_r(h, polygon), i, rc;
    if (GEOSisEmpty_r(h, polygon) == 1) {
        *out = 0;
        return HEGUI_OK;
    }
    if ((rc = ring_area(&part, calc, h, GEOSGetExteriorRing_r(h, polygon))) < 0)
        return rc;
    total = part;
    for (i = 0; i < holes; i++) {
        if ((rc = ring_area(&part, calc, h, GEOSGetInteriorRingN_r(h, polygon, i))) < 0)
            return rc;
        total -= part;
    }
    *out = total;
    return HEGUI_OK;
}

int hegui_area_ellipsoidal(double *out_m2, hegui_area_calc *calc, hegui_geom_ctx *ctx,
                           const void *geometry)
{
    GEOSContextHandle_t h = hegui_geom_ctx_handle(ctx);
    const GEOSGeometry *g = geometry;
    int type = GEOSGeomTypeId_r(h, g), n, i, rc;
    double total = 0, part;
    *out_m2 = 0;
    if (type == GEOS_POLYGON)
        return polygon_area(out_m2, calc, h, g);
    if (type != GEOS_MULTIPOLYGON && type != GEOS_GEOMETRYCOLLECTION)
        return HEGUI_OK;
    n = GEOSGetNumGeometries_r(h, g);
    for (i = 0; i < n; i++) {
        const GEOSGeometry *sub = GEOSGetGeometryN_r(h, g, i);
        if ((rc = hegui_area_ellipsoidal(&part, calc, ctx, sub)) < 0)
            return rc;
        total += part;
    }
    *out_m2 = total;
    return HEGUI_OK;
}
