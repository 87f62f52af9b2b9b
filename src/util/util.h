/*
 * util/util.h - libc-only helpers shared by every module: the error
 * message slot, the allocation chokepoint, a growable string buffer, UTF-8
 * checks, and small string helpers.
 *
 * Invariants: nothing here includes GDAL, GEOS or PROJ headers; every
 * allocation in libhegui goes through hegui_malloc/hegui_realloc so that
 * hegui_alloc_fail_after() can inject failures.
 */
#ifndef HEGUI_UTIL_H
#define HEGUI_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hegui/common.h"

#if defined(__GNUC__)
#define HEGUI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define HEGUI_PRINTF(f, a)
#endif

/* --- errors (error.c) --- */

/** Sets the thread's last error to a formatted message; returns code. */
int hegui_error_set(int code, const char *fmt, ...) HEGUI_PRINTF(2, 3);
int hegui_error_vset(int code, const char *fmt, va_list ap);
/** Prepends "prefix: " to the current message, keeping the code; returns it. */
int hegui_error_prefix(const char *fmt, ...) HEGUI_PRINTF(1, 2);

/* --- allocation (alloc.c) --- */

void *hegui_malloc(size_t size);
void *hegui_calloc(size_t count, size_t size);
void *hegui_realloc(void *ptr, size_t size);
char *hegui_strdup(const char *s);
char *hegui_strndup(const char *s, size_t n);
/** printf into a new string; NULL on allocation failure (error set). */
char *hegui_sprintf(const char *fmt, ...) HEGUI_PRINTF(1, 2);

/* --- string buffer (buf.c) --- */

/** A growable NUL-terminated byte buffer. Zero-initialise, then use. */
typedef struct hegui_buf {
    char *ptr;   /* owned; NULL until the first append */
    size_t len;  /* bytes used, excluding the NUL */
    size_t cap;  /* bytes allocated */
    int failed;  /* an append failed: ptr holds what fitted */
} hegui_buf;

#define HEGUI_BUF_INIT {NULL, 0, 0, 0}

int hegui_buf_grow(hegui_buf *buf, size_t extra);
int hegui_buf_put(hegui_buf *buf, const char *data, size_t len);
int hegui_buf_puts(hegui_buf *buf, const char *s);
int hegui_buf_putc(hegui_buf *buf, char c);
int hegui_buf_printf(hegui_buf *buf, const char *fmt, ...) HEGUI_PRINTF(2, 3);
/** Appends s as a JSON string literal (quotes included). */
int hegui_buf_put_json_string(hegui_buf *buf, const char *s);
/** The content, or "" for an empty buffer. Borrowed. */
const char *hegui_buf_cstr(const hegui_buf *buf);
/** Hands the content to the caller (free with hegui_free); buffer reset. */
char *hegui_buf_take(hegui_buf *buf);
void hegui_buf_release(hegui_buf *buf);

/* --- text (text.c) --- */

/** True when the len bytes at s are valid UTF-8 (no overlongs/surrogates). */
bool hegui_utf8_valid(const char *s, size_t len);
/**
 * Copy of s with every invalid UTF-8 sequence replaced by U+FFFD; the number
 * of replacements goes to *out_replaced (may be NULL). Free with hegui_free.
 */
char *hegui_utf8_repair(const char *s, size_t *out_replaced);
/** ASCII case-insensitive comparison; other bytes compare exactly. */
int hegui_strcasecmp(const char *a, const char *b);
bool hegui_str_iequal(const char *a, const char *b);
/** True when s starts with prefix (ASCII case-insensitive). */
bool hegui_str_istarts(const char *s, const char *prefix);
/** True when needle occurs in haystack (ASCII case-insensitive). */
bool hegui_str_icontains(const char *haystack, const char *needle);
/** True when s ends with suffix (ASCII case-insensitive). */
bool hegui_str_iends(const char *s, const char *suffix);
/** Last path component of path (borrowed pointer into path). */
const char *hegui_path_basename(const char *path);
/** Copy of the basename without its extension. Free with hegui_free. */
char *hegui_path_stem(const char *path);
/**
 * Copy of a dataset path as reports and messages may show it: a PostgreSQL
 * connection string ("PG:…", libpq's keyword = value form or a
 * postgresql:// URI) with every password masked as "***"; any other path
 * as given. One that cannot be parsed past a password keyword shows as
 * "PG:***". Free with hegui_free; NULL when out of memory.
 */
char *hegui_path_shown(const char *path);
/** As hegui_path_shown, but the password left out (what a rules file may
 *  keep: libpq then takes it from PGPASSWORD or ~/.pgpass). */
char *hegui_path_without_password(const char *path);

/* --- WKB inspection (wkb.c) --- */

/** What a scan of a WKB geometry found. */
typedef struct hegui_wkb_stats {
    uint32_t type;       /**< base ISO type of the top geometry (1..7) */
    size_t points;       /**< coordinates read */
    size_t nonfinite;    /**< coordinates with a NaN or infinite ordinate */
    size_t parts;        /**< non-empty runs of points (rings, lines, points) */
    double first_bad[2]; /**< x, y of the first non-finite coordinate */
    double envelope[4];  /**< xmin, ymin, xmax, ymax of the finite points (none: points == nonfinite) */
} hegui_wkb_stats;

/**
 * Walks an ISO or EWKB-free OGC WKB blob (Z/M/ZM variants allowed), counting
 * points and non-finite coordinates. HEGUI_EINPUT when the blob is
 * truncated or malformed. Empty geometries give points == 0.
 */
int hegui_wkb_scan(hegui_wkb_stats *out, const unsigned char *wkb, size_t size);

/**
 * Visitor of one run of points: count points of dims ordinates (x, y, then
 * z and/or m) as 8-byte doubles at coords, little- or big-endian, not
 * aligned. It may rewrite them in place. A negative return stops the walk.
 */
typedef int (*hegui_wkb_visit_fn)(unsigned char *coords, uint32_t count, int dims, int little,
                                  void *payload);
/** Calls visit for every run of points of a WKB geometry (rings, lines,
 *  points). HEGUI_EINPUT when the blob is malformed. */
int hegui_wkb_walk(unsigned char *wkb, size_t size, hegui_wkb_visit_fn visit, void *payload);

/* --- SHA-256 (sha256.c) --- */

/*
 * SHA-256 through OpenSSL's libcrypto (EVP), which uses the CPU's SHA
 * instructions; no OpenSSL header is needed here. Embedded: init, update
 * any number of times, final_hex; final_hex frees what init allocated, and
 * hegui_sha256_release does it for a hash abandoned before final_hex.
 */
struct evp_md_ctx_st; /* EVP_MD_CTX of <openssl/evp.h> */

typedef struct hegui_sha256 {
    struct evp_md_ctx_st *evp; /* owned (OpenSSL allocates it); NULL when released */
} hegui_sha256;

/** Starts a hash. HEGUI_ENOMEM when OpenSSL cannot allocate its context
 *  (nothing to release then), HEGUI_EINTERNAL when it refuses SHA-256. */
int hegui_sha256_init(hegui_sha256 *s);
/** Hashes len more bytes. HEGUI_EINTERNAL when OpenSSL fails (the hash must
 *  still be released or finished). */
int hegui_sha256_update(hegui_sha256 *s, const void *data, size_t len);
/** Finishes, writes 64 lower-case hex digits and a NUL ("" on failure), and
 *  releases s. HEGUI_EINTERNAL when OpenSSL fails. */
int hegui_sha256_final_hex(hegui_sha256 *s, char out_hex[65]);
/** Releases a hash that will not be finished; NULL-safe, and a no-op after
 *  final_hex or a failed init. */
void hegui_sha256_release(hegui_sha256 *s);

#endif
