/*
 * gdal_errors.c - captures GDAL's messages so that none is printed raw and
 * every one can be folded into hegui's error for the layer it concerns.
 */
#include <stdio.h>
#include <string.h>

#include <cpl_conv.h>
#include <cpl_error.h>

#include "io/io_internal.h"

static void copy_message(char *dst, size_t size, const char *msg)
{
    size_t n = strlen(msg);
    if (n >= size)
        n = size - 1;
    memcpy(dst, msg, n);
    dst[n] = '\0';
    /* GDAL messages sometimes end in a newline or a full stop; ours go on */
    while (n > 0 && (dst[n - 1] == '\n' || dst[n - 1] == '\r' || dst[n - 1] == '.'))
        dst[--n] = '\0';
}

static void CPL_STDCALL capture_handler(CPLErr level, CPLErrorNum num, const char *msg)
{
    io_capture *cap = CPLGetErrorHandlerUserData();
    (void)num;
    if (!cap)
        return;
    if (level == CE_Failure || level == CE_Fatal) {
        if (cap->errors == 0)
            copy_message(cap->first, sizeof(cap->first), msg);
        copy_message(cap->last, sizeof(cap->last), msg);
        cap->errors++;
    } else if (level == CE_Warning) {
        if (cap->warnings == 0)
            copy_message(cap->first_warning, sizeof(cap->first_warning), msg);
        cap->warnings++;
    }
}

/* hegui_io_messages_to's stream and prefix (set before any thread runs) */
static FILE *routed_stream;
static char routed_prefix[64];

static void CPL_STDCALL route_handler(CPLErr level, CPLErrorNum num, const char *msg)
{
    char text[1024];
    if (level != CE_Warning && level != CE_Failure && level != CE_Fatal) {
        CPLDefaultErrorHandler(level, num, msg);
        return;
    }
    copy_message(text, sizeof(text), msg);
    fprintf(routed_stream, "%s: GDAL %s: %s\n", routed_prefix,
            level == CE_Warning ? "warning" : "error", text);
}

void hegui_io_messages_to(FILE *stream, const char *prefix)
{
    routed_stream = stream;
    snprintf(routed_prefix, sizeof(routed_prefix), "%s", prefix ? prefix : "hegui");
    CPLSetErrorHandler(stream ? route_handler : CPLDefaultErrorHandler);
}

void io_capture_begin(io_capture *cap)
{
    memset(cap, 0, sizeof(*cap));
    CPLPushErrorHandlerEx(capture_handler, cap);
}

void io_capture_end(io_capture *cap)
{
    (void)cap;
    CPLPopErrorHandler();
}

/* Options that make GDAL modify or add files beside an input. */
static const char *const writing_options[] = {"SHAPE_RESTORE_SHX", "OGR_SQLITE_JOURNAL",
                                              "OGR_GPKG_FOREIGN_KEY_CHECK", NULL};

int hegui_io_set_config_option(const char *key, const char *value)
{
    size_t i;
    for (i = 0; writing_options[i]; i++) {
        if (hegui_str_iequal(key, writing_options[i]))
            return hegui_error_set(HEGUI_EINVAL,
                                   "--config %s is refused: it can make GDAL write beside the "
                                   "inputs, and hegui never modifies its inputs",
                                   key);
    }
    CPLSetConfigOption(key, value);
    return HEGUI_OK;
}
