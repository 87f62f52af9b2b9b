/*
 * hegui/geom.h - the boundary between WKB and GEOS. Geometries arrive from
 * the io module as ISO WKB in the working CRS and become GEOS geometries
 * here, after their coordinates are checked finite. One GEOS context per
 * thread (the _r API only).
 */
#ifndef HEGUI_GEOM_H
#define HEGUI_GEOM_H

#include <stddef.h>

#include "hegui/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** GEOS version, e.g. "3.11.1-CAPI-1.17.1". Static storage. */
const char *hegui_geom_geos_version(void);

/** Opaque per-thread geometry context (wraps a GEOS context handle). */
typedef struct hegui_geom_ctx hegui_geom_ctx;

/** New context capturing GEOS notices/errors. Free with hegui_geom_ctx_free. */
int hegui_geom_ctx_new(hegui_geom_ctx **out);
void hegui_geom_ctx_free(hegui_geom_ctx *ctx);
/** The GEOSContextHandle_t of ctx (as void * so this header needs no GEOS). */
void *hegui_geom_ctx_handle(hegui_geom_ctx *ctx);

/** The last GEOS error or notice of ctx ("" when none). Borrowed. */
const char *hegui_geom_ctx_message(const hegui_geom_ctx *ctx);

/**
 * Parses WKB into a GEOS geometry (returned as void *, a GEOSGeometry *,
 * freed with GEOSGeom_destroy_r). Non-finite coordinates and malformed WKB
 * are HEGUI_EGEOM with the reason; GEOS's own message is folded in.
 */
int hegui_geom_from_wkb(void **out, hegui_geom_ctx *ctx, const unsigned char *wkb, size_t size);

#ifdef __cplusplus
}
#endif
#endif

/* hegui/geom.h continued: areas. */
#ifndef HEGUI_GEOM_AREA_H
#define HEGUI_GEOM_AREA_H
#ifdef __cplusplus
extern "C" {
#endif

/** Converts planar coordinates of a CRS to geodesic areas on its ellipsoid. */
typedef struct hegui_area_calc hegui_area_calc;

/**
 * New calculator for geometries in the CRS EPSG:epsg (projected or
 * geographic). One per thread (PROJ objects are not shared). Free with
 * hegui_area_calc_free().
 */
int hegui_area_calc_new(hegui_area_calc **out, int epsg);
void hegui_area_calc_free(hegui_area_calc *calc);

/**
 * Geodesic (ellipsoidal) area in m2 of a polygonal GEOS geometry (void *
 * GEOSGeometry) given in the calculator's CRS: every ring is converted to
 * longitude/latitude and measured with geod_polygonarea on the CRS's
 * ellipsoid; holes are subtracted. Non-polygonal parts count 0.
 */
int hegui_area_ellipsoidal(double *out_m2, hegui_area_calc *calc, hegui_geom_ctx *ctx,
                           const void *geometry);

#ifdef __cplusplus
}
#endif
#endif
