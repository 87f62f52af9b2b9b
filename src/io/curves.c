/*
 * curves.c - geometries with arcs (CircularString, CompoundCurve,
 * CurvePolygon, MultiCurve, MultiSurface: ArcGIS data, FileGDB exports)
 * read as polylines, since GEOS 3.11 knows no curves. GDAL places a vertex
 * every IO_CURVE_STEP_DEG of arc and keeps the arcs' own points.
 */
#include <string.h>

#include "io/io_internal.h"

OGRGeometryH io_linear_copy(OGRGeometryH geom)
{
    if (!geom || !OGR_G_HasCurveGeometry(geom, FALSE))
        return NULL;
    return OGR_G_GetLinearGeometry(geom, IO_CURVE_STEP_DEG, NULL);
}

int io_linearize_wkb(const unsigned char *wkb, size_t size, unsigned char **buf, size_t *cap,
                     size_t *out_size)
{
    OGRGeometryH geom = NULL, linear;
    size_t need;
    io_capture cap_errors;
    int rc = 0;
    io_capture_begin(&cap_errors); /* malformed WKB: not ours to report here */
    if (OGR_G_CreateFromWkbEx(wkb, NULL, &geom, size) != OGRERR_NONE)
        geom = NULL;
    io_capture_end(&cap_errors);
    if (!(linear = io_linear_copy(geom))) {
        OGR_G_DestroyGeometry(geom);
        return 0;
    }
    need = (size_t)OGR_G_WkbSize(linear);
    if (need > *cap) {
        unsigned char *grown = hegui_realloc(*buf, need);
        if (!grown) {
            rc = HEGUI_ENOMEM;
            goto done;
        }
        *buf = grown;
        *cap = need;
    }
    OGR_G_ExportToIsoWkb(linear, wkbNDR, *buf);
    *out_size = need;
    rc = 1;
done:
    OGR_G_DestroyGeometry(linear);
    OGR_G_DestroyGeometry(geom);
    return rc;
}
