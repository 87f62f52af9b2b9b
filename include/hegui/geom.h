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
