/*
 * text.c - UTF-8 validation and repair, ASCII case-insensitive string
 * helpers and path helpers. libc only.
 */
#include <stdint.h>
#include <string.h>

#include "util/util.h"

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len, i;
    unsigned cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0; /* overlong or out of range */
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return 0; /* surrogate */
    return len;
}

bool hegui_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        size_t n;
        /* ASCII (most of it: a WKT is all ASCII) eight bytes at a time */
        while (i + 8 <= len) {
            uint64_t word;
            memcpy(&word, p + i, sizeof(word));
            if (word & UINT64_C(0x8080808080808080))
                break;
            i += 8;
        }
        if (i >= len)
            break;
        n = utf8_seq_len(p + i, len - i);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

char *hegui_utf8_repair(const char *s, size_t *out_replaced)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), i = 0, replaced = 0;
    hegui_buf buf = HEGUI_BUF_INIT;
    hegui_buf_grow(&buf, len);
    while (i < len) {
        size_t n = utf8_seq_len(p + i, len - i);
        if (n == 0) {
            hegui_buf_puts(&buf, "\xEF\xBF\xBD");
            replaced++;
            i++;
        } else {
            hegui_buf_put(&buf, s + i, n);
            i += n;
        }
    }
    if (out_replaced)
        *out_replaced = replaced;
    if (buf.failed) {
        hegui_buf_release(&buf);
        return NULL;
    }
    return hegui_buf_take(&buf);
}

static int ascii_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

int hegui_strcasecmp(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    while (*x && ascii_lower(*x) == ascii_lower(*y)) {
        x++;
        y++;
    }
    return ascii_lower(*x) - ascii_lower(*y);
}

bool hegui_str_iequal(const char *a, const char *b)
{
    return a && b && hegui_strcasecmp(a, b) == 0;
}

bool hegui_str_istarts(const char *s, const char *prefix)
{
    size_t i;
    for (i = 0; prefix[i]; i++) {
        if (!s[i] || ascii_lower((unsigned char)s[i]) != ascii_lower((unsigned char)prefix[i]))
            return false;
    }
    return true;
}

bool hegui_str_icontains(const char *haystack, const char *needle)
{
    size_t i;
    if (!*needle)
        return true;
    for (i = 0; haystack[i]; i++) {
        if (hegui_str_istarts(haystack + i, needle))
            return true;
    }
    return false;
}

bool hegui_str_iends(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && hegui_strcasecmp(s + ls - lx, suffix) == 0;
}

const char *hegui_path_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

char *hegui_path_stem(const char *path)
{
    const char *base = hegui_path_basename(path);
    const char *dot = strrchr(base, '.');
    return hegui_strndup(base, dot && dot != base ? (size_t)(dot - base) : strlen(base));
}

/* --- connection strings: the password never reaches a report --- */

#define MASK "***"

/* Drops what b holds past len bytes. */
static void buf_cut(hegui_buf *b, size_t len)
{
    if (!b->failed && b->ptr) {
        b->len = len;
        b->ptr[len] = '\0';
    }
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Appends libpq's keyword = value pairs from p, each password's value
 * masked, or (drop) the password pair left out. false when p is not of
 * that form after a password keyword (nothing of its value appended). */
static bool put_conninfo(hegui_buf *b, const char *p, bool drop)
{
    while (*p) {
        const char *key = p, *value;
        size_t key_len, pair_start = b->len;
        bool secret;
        while (is_space(*p))
            p++;
        hegui_buf_put(b, key, (size_t)(p - key));
        key = p;
        while (*p && *p != '=' && !is_space(*p))
            p++;
        key_len = (size_t)(p - key);
        secret = key_len == 8 && hegui_str_istarts(key, "password");
        hegui_buf_put(b, key, key_len);
        value = p;
        while (is_space(*p))
            p++;
        if (*p != '=')
            return !secret && !*p; /* a keyword without a value */
        p++;
        while (is_space(*p))
            p++;
        hegui_buf_put(b, value, (size_t)(p - value)); /* " = " as written */
        value = p;
        if (*p == '\'') {
            for (p++; *p && *p != '\''; p++)
                if (*p == '\\' && p[1])
                    p++;
            if (!*p)
                return !secret; /* unterminated: libpq refuses it too */
            p++;
        } else {
            for (; *p && !is_space(*p); p++)
                if (*p == '\\' && p[1])
                    p++;
        }
        if (secret && drop)
            buf_cut(b, pair_start);
        else if (secret)
            hegui_buf_puts(b, MASK);
        else
            hegui_buf_put(b, value, (size_t)(p - value));
    }
    return true;
}

/* Appends a postgresql:// URI from p (after the scheme), the password of
 * its user part and any password parameter masked, or (drop) left out. */
static void put_uri(hegui_buf *b, const char *p, bool drop)
{
    size_t authority = strcspn(p, "/?");
    const char *at = NULL, *q;
    char sep = '?';
    for (q = p; q < p + authority; q++)
        if (*q == '@')
            at = q;
    if (at) {
        const char *colon = memchr(p, ':', (size_t)(at - p));
        hegui_buf_put(b, p, (size_t)((colon ? colon + (drop ? 0 : 1) : at) - p));
        if (colon && !drop)
            hegui_buf_puts(b, MASK);
        p = at;
    }
    q = strchr(p, '?');
    if (!q) {
        hegui_buf_puts(b, p);
        return;
    }
    hegui_buf_put(b, p, (size_t)(q - p));
    for (p = q + 1; *p;) { /* key=value, then "&" or the end */
        size_t len = strcspn(p, "&");
        const char *eq = memchr(p, '=', len);
        bool secret = eq && eq - p == 8 && hegui_str_istarts(p, "password");
        if (!(secret && drop)) {
            hegui_buf_putc(b, sep);
            sep = '&';
            hegui_buf_put(b, p, secret ? (size_t)(eq + 1 - p) : len);
            if (secret)
                hegui_buf_puts(b, MASK);
        }
        p += len + (p[len] == '&');
    }
}

static char *redact(const char *path, bool drop)
{
    hegui_buf b = HEGUI_BUF_INIT;
    const char *p;
    size_t lead;
    if (!hegui_str_istarts(path, "PG:"))
        return hegui_strdup(path);
    for (p = path + 3; is_space(*p); p++)
        ;
    lead = (size_t)(p - path);
    hegui_buf_put(&b, path, lead);
    if (hegui_str_istarts(p, "postgresql://") || hegui_str_istarts(p, "postgres://")) {
        size_t scheme = (size_t)(strstr(p, "://") + 3 - p);
        hegui_buf_put(&b, p, scheme);
        put_uri(&b, p + scheme, drop);
    } else if (!put_conninfo(&b, p, drop)) {
        buf_cut(&b, lead); /* keep nothing that may be a password */
        hegui_buf_puts(&b, MASK);
    }
    if (b.failed) {
        hegui_buf_release(&b);
        return NULL;
    }
    return hegui_buf_take(&b);
}

char *hegui_path_shown(const char *path)
{
    return redact(path, false);
}

char *hegui_path_without_password(const char *path)
{
    return redact(path, true);
}
