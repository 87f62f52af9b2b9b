/*
 * hegui/common.h - error codes, the last-error message, allocation and
 * version of libhegui.
 *
 * Every fallible libhegui function returns int: 0 (HEGUI_OK) or a negative
 * HEGUI_E* code. The message is set once, where the failure is detected, and
 * is read with hegui_error_last() on the same thread. Callers pass codes up
 * unchanged. Nothing in libhegui prints, exits or aborts.
 *
 * Memory that libhegui hands to the caller is freed with hegui_free() unless
 * the function's comment names another free function.
 */
#ifndef HEGUI_COMMON_H
#define HEGUI_COMMON_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Status codes. Negative values are errors. */
enum {
    HEGUI_OK = 0,
    HEGUI_ERROR = -1,     /**< generic failure */
    HEGUI_ENOMEM = -2,    /**< allocation failed */
    HEGUI_EINVAL = -3,    /**< invalid argument (usage) */
    HEGUI_EINPUT = -4,    /**< an input file is unreadable, broken or incomplete */
    HEGUI_ECONFIG = -5,   /**< the rules file is wrong */
    HEGUI_ECRS = -6,      /**< coordinate system missing or unusable */
    HEGUI_EGEOM = -7,     /**< geometry engine failure */
    HEGUI_ENOTFOUND = -8, /**< a named file, layer or field does not exist */
    HEGUI_EOUTPUT = -9,   /**< an output could not be written */
    HEGUI_EINTERNAL = -10 /**< a bug in hegui */
};

/** Message of the last error on this thread ("" when none). Borrowed. */
const char *hegui_error_last(void);
/** Code of the last error on this thread (HEGUI_OK when none). */
int hegui_error_code(void);
/** Forget the last error of this thread. */
void hegui_error_clear(void);

/** Frees memory returned by libhegui. NULL is allowed. */
void hegui_free(void *ptr);

/**
 * Test hook: make the n-th allocation from now on fail (n >= 1); 0 turns
 * fault injection off. Counts allocations of all threads.
 */
void hegui_alloc_fail_after(long n);

/** hegui's version, e.g. "0.1.0". Static storage. */
const char *hegui_version(void);

#ifdef __cplusplus
}
#endif
#endif
