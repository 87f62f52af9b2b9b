/*
 * buf.c - growable string buffer (git's strbuf, Redis's sds in spirit).
 * After a failed append the buffer keeps what it had and remembers the
 * failure, so a caller can append many pieces and check once.
 */
#include <stdio.h>
#include <string.h>

#include "util/util.h"

int hegui_buf_grow(hegui_buf *buf, size_t extra)
{
    size_t need, cap;
    char *p;
    if (buf->failed)
        return HEGUI_ENOMEM;
    need = buf->len + extra + 1;
    if (need <= buf->cap)
        return HEGUI_OK;
    cap = buf->cap ? buf->cap : 64;
    while (cap < need)
        cap *= 2;
    p = hegui_realloc(buf->ptr, cap);
    if (!p) {
        buf->failed = 1;
        return HEGUI_ENOMEM;
    }
    buf->ptr = p;
    buf->cap = cap;
    p[buf->len] = '\0'; /* NUL-terminated even when nothing is appended after the growth */
    return HEGUI_OK;
}

int hegui_buf_put(hegui_buf *buf, const char *data, size_t len)
{
    int rc = hegui_buf_grow(buf, len);
    if (rc < 0)
        return rc;
    memcpy(buf->ptr + buf->len, data, len);
    buf->len += len;
    buf->ptr[buf->len] = '\0';
    return HEGUI_OK;
}

int hegui_buf_puts(hegui_buf *buf, const char *s)
{
    return hegui_buf_put(buf, s, strlen(s));
}

int hegui_buf_putc(hegui_buf *buf, char c)
{
    return hegui_buf_put(buf, &c, 1);
}

int hegui_buf_printf(hegui_buf *buf, const char *fmt, ...)
{
    va_list ap;
    int n, rc;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return hegui_error_set(HEGUI_EINTERNAL, "bad format string");
    rc = hegui_buf_grow(buf, (size_t)n);
    if (rc < 0)
        return rc;
    va_start(ap, fmt);
    vsnprintf(buf->ptr + buf->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    buf->len += (size_t)n;
    return HEGUI_OK;
}

int hegui_buf_put_json_string(hegui_buf *buf, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    hegui_buf_putc(buf, '"');
    while (*p) {
        const unsigned char *run = p;
        /* runs that need no escaping (most of a WKT) go in one copy */
        while (*p >= 0x20 && *p != '"' && *p != '\\')
            p++;
        if (p > run)
            hegui_buf_put(buf, (const char *)run, (size_t)(p - run));
        if (!*p)
            break;
        switch (*p) {
        case '"': hegui_buf_puts(buf, "\\\""); break;
        case '\\': hegui_buf_puts(buf, "\\\\"); break;
        case '\n': hegui_buf_puts(buf, "\\n"); break;
        case '\r': hegui_buf_puts(buf, "\\r"); break;
        case '\t': hegui_buf_puts(buf, "\\t"); break;
        default: hegui_buf_printf(buf, "\\u%04x", *p);
        }
        p++;
    }
    return hegui_buf_putc(buf, '"');
}

const char *hegui_buf_cstr(const hegui_buf *buf)
{
    return buf->ptr ? buf->ptr : "";
}

char *hegui_buf_take(hegui_buf *buf)
{
    char *p = buf->ptr;
    if (!p)
        p = hegui_strdup("");
    buf->ptr = NULL;
    buf->len = buf->cap = 0;
    buf->failed = 0;
    return p;
}

void hegui_buf_release(hegui_buf *buf)
{
    hegui_free(buf->ptr);
    buf->ptr = NULL;
    buf->len = buf->cap = 0;
    buf->failed = 0;
}
