/*
 * geom.c - GEOS contexts and WKB -> GEOS conversion, with GEOS messages
 * captured per context instead of printed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <geos_c.h>

#include "hegui/geom.h"
#include "util/util.h"

struct hegui_geom_ctx {
    GEOSContextHandle_t handle;
    GEOSWKBReader *reader;
    char message[512]; /* last GEOS error or notice */
};

const char *hegui_geom_geos_version(void)
{
    return GEOSversion();
}

static void geos_message(const char *message, void *userdata)
{
    hegui_geom_ctx *ctx = userdata;
    snprintf(ctx->message, sizeof(ctx->message), "%s", message);
}

int hegui_geom_ctx_new(hegui_geom_ctx **out)
{
    hegui_geom_ctx *ctx = hegui_calloc(1, sizeof(*ctx));
    *out = NULL;
    if (!ctx)
        return HEGUI_ENOMEM;
    ctx->handle = GEOS_init_r();
    if (!ctx->handle) {
        hegui_free(ctx);
        return hegui_error_set(HEGUI_EGEOM, "cannot create a GEOS context");
    }
    GEOSContext_setErrorMessageHandler_r(ctx->handle, geos_message, ctx);
    GEOSContext_setNoticeMessageHandler_r(ctx->handle, geos_message, ctx);
    ctx->reader = GEOSWKBReader_create_r(ctx->handle);
    if (!ctx->reader) {
        GEOS_finish_r(ctx->handle);
        hegui_free(ctx);
        return hegui_error_set(HEGUI_EGEOM, "cannot create a GEOS WKB reader");
    }
    *out = ctx;
    return HEGUI_OK;
}

void hegui_geom_ctx_free(hegui_geom_ctx *ctx)
{
    if (!ctx)
        return;
    if (ctx->reader)
        GEOSWKBReader_destroy_r(ctx->handle, ctx->reader);
    GEOS_finish_r(ctx->handle);
    hegui_free(ctx);
}

const char *hegui_geom_ctx_message(const hegui_geom_ctx *ctx)
{
    return ctx->message;
}

void *hegui_geom_ctx_handle(hegui_geom_ctx *ctx)
{
    return ctx->handle;
}

int hegui_geom_from_wkb(void **out, hegui_geom_ctx *ctx, const unsigned char *wkb, size_t size)
{
    hegui_wkb_stats stats;
    GEOSGeometry *g;
    *out = NULL;
    if (hegui_wkb_scan(&stats, wkb, size) < 0)
        return hegui_error_set(HEGUI_EGEOM, "malformed WKB geometry (%zu bytes)", size);
    if (stats.nonfinite)
        return hegui_error_set(HEGUI_EGEOM,
                               "%zu non-finite coordinate(s), the first at (%g, %g)",
                               stats.nonfinite, stats.first_bad[0], stats.first_bad[1]);
    ctx->message[0] = '\0';
    g = GEOSWKBReader_read_r(ctx->handle, ctx->reader, wkb, size);
    if (!g)
        return hegui_error_set(HEGUI_EGEOM, "GEOS cannot read the geometry: %s", ctx->message);
    *out = g;
    return HEGUI_OK;
}
