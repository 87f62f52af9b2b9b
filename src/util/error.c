/*
 * error.c - the per-thread last-error slot (libgit2's giterr model).
 */
#include <stdio.h>
#include <string.h>

#include "util/util.h"

#define MESSAGE_MAX 2048

static _Thread_local int last_code;
static _Thread_local char last_message[MESSAGE_MAX];

const char *hegui_error_last(void)
{
    return last_message;
}

int hegui_error_code(void)
{
    return last_code;
}

void hegui_error_clear(void)
{
    last_code = HEGUI_OK;
    last_message[0] = '\0';
}

int hegui_error_vset(int code, const char *fmt, va_list ap)
{
    last_code = code;
    vsnprintf(last_message, sizeof(last_message), fmt, ap);
    return code;
}

int hegui_error_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    hegui_error_vset(code, fmt, ap);
    va_end(ap);
    return code;
}

int hegui_error_prefix(const char *fmt, ...)
{
    char prefix[MESSAGE_MAX / 2];
    char old[MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof(prefix), fmt, ap);
    va_end(ap);
    memcpy(old, last_message, sizeof(old));
    snprintf(last_message, sizeof(last_message), "%s: %.*s", prefix, (int)(MESSAGE_MAX / 2 - 8),
             old);
    return last_code;
}

const char *hegui_version(void)
{
    return HEGUI_VERSION_STRING;
}
