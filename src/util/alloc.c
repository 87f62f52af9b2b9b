/*
 * alloc.c - the one allocation chokepoint of libhegui, with fault injection
 * for tests (SQLite's and Lua's model).
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

/* Allocations left before an injected failure; 0 = never fail. */
static atomic_long fail_countdown;

void hegui_alloc_fail_after(long n)
{
    atomic_store(&fail_countdown, n < 0 ? 0 : n);
}

/* True when this allocation must fail (fault injection). */
static int injected_failure(void)
{
    long left = atomic_load(&fail_countdown);
    while (left > 0) {
        if (atomic_compare_exchange_weak(&fail_countdown, &left, left - 1))
            return left == 1;
    }
    return 0;
}

void *hegui_malloc(size_t size)
{
    void *p = injected_failure() ? NULL : malloc(size ? size : 1);
    if (!p)
        hegui_error_set(HEGUI_ENOMEM, "out of memory (%zu bytes)", size);
    return p;
}

void *hegui_calloc(size_t count, size_t size)
{
    void *p = injected_failure() ? NULL : calloc(count ? count : 1, size ? size : 1);
    if (!p)
        hegui_error_set(HEGUI_ENOMEM, "out of memory (%zu x %zu bytes)", count, size);
    return p;
}

void *hegui_realloc(void *ptr, size_t size)
{
    void *p = injected_failure() ? NULL : realloc(ptr, size ? size : 1);
    if (!p)
        hegui_error_set(HEGUI_ENOMEM, "out of memory (%zu bytes)", size);
    return p;
}

void hegui_free(void *ptr)
{
    free(ptr);
}

char *hegui_strndup(const char *s, size_t n)
{
    char *copy;
    if (!s)
        return NULL;
    copy = hegui_malloc(n + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, n);
    copy[n] = '\0';
    return copy;
}

char *hegui_strdup(const char *s)
{
    return s ? hegui_strndup(s, strlen(s)) : NULL;
}

char *hegui_sprintf(const char *fmt, ...)
{
    va_list ap;
    int n;
    char *out;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        hegui_error_set(HEGUI_EINTERNAL, "bad format string");
        return NULL;
    }
    out = hegui_malloc((size_t)n + 1);
    if (!out)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(out, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return out;
}
