/*
 * txt.c - the boundary-point coordinate file (界址点坐标 TXT, DOMAIN.md
 * section 4): decoding, a line parser that is safe on any bytes, the CRS
 * from [属性描述] and the coordinates, rings grouped and classified into
 * shells and holes, and the in-memory GeoJSON through which the catalog and
 * the reader see a TXT file as a layer like any other.
 *
 * Safety: the decoded text is one NUL-terminated buffer that the parser
 * owns and cuts into lines in place; every field is found by scanning
 * within its line; nothing recurses on the input; every problem of the
 * content becomes a hegui_txt_problem (at most PROBLEMS_PER_KIND of each
 * kind, then one summary), so the only failure is running out of memory.
 */
#include <errno.h>
#include <iconv.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_internal.h"

/* Largest file hegui_txt_read accepts. */
#define TXT_MAX_FILE ((size_t)512 * 1024 * 1024)
/* Fields of a line kept for parsing (more are counted, not kept). */
#define MAX_FIELDS 32
/* Problems of one kind listed before a summary takes over. */
#define PROBLEMS_PER_KIND 50
/* Longest excerpt of a line quoted in a message, in bytes. */
#define QUOTE_MAX 80

/* Kinds of problems, for the per-kind cap. */
enum {
    KIND_SECTION,
    KIND_MALFORMED,
    KIND_NUMBER,
    KIND_RING,
    KIND_CLOSED,
    KIND_COUNT,
    KIND_AREA,
    KIND_CRS,
    KIND_COORDS,
    KIND_DECODE,
    KIND_N
};

enum { SEC_NONE, SEC_ATTRIBUTES, SEC_PARCELS, SEC_OTHER };

/* A ring being read: raw X, Y pairs as written. */
typedef struct raw_ring {
    double *xy;
    size_t count, cap;
    int number;
    int line;
    bool complete; /* the first point came again */
} raw_ring;

typedef struct parser {
    hegui_txt *txt;
    size_t item_cap, parcel_cap, problem_cap;
    size_t ring_cap; /* of the current parcel's rings */
    int line;
    int section;
    char *section_name; /* of the current section (owned) */
    bool outside_reported;
    bool parcel_open; /* the last parcel of txt->parcels takes point lines */
    raw_ring ring;
    unsigned kind_counts[KIND_N];
} parser;

/* --- small helpers --- */

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Trims ASCII white space on both sides, in place. */
static char *trim(char *s)
{
    size_t len;
    while (is_space((unsigned char)*s))
        s++;
    len = strlen(s);
    while (len > 0 && is_space((unsigned char)s[len - 1]))
        s[--len] = '\0';
    return s;
}

/* Copies at most QUOTE_MAX bytes of s into out (size > QUOTE_MAX + 4),
 * cutting at a UTF-8 character boundary and marking a cut with "…". */
static const char *quote(const char *s, char *out, size_t out_size)
{
    size_t len = strlen(s), n = len;
    if (n > QUOTE_MAX)
        n = QUOTE_MAX;
    while (n > 0 && n < len && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--; /* never cut inside a character */
    if (n + 4 > out_size)
        n = 0;
    memcpy(out, s, n);
    if (n < len) {
        memcpy(out + n, "\xE2\x80\xA6", 3);
        n += 3;
    }
    out[n] = '\0';
    return out;
}

/* The largest coordinate (absolute value, metres) a point line may hold. */
#define MAX_COORDINATE 1e9

/* A plain decimal number (sign, digits, one point, optional exponent),
 * finite. The whole string must be the number. */
static bool parse_number(const char *s, double *out)
{
    const char *p = s;
    char *end;
    size_t digits = 0;
    double v;
    if (*p == '+' || *p == '-')
        p++;
    while (*p >= '0' && *p <= '9')
        p++, digits++;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9')
            p++, digits++;
    }
    if (digits == 0)
        return false;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p)
        return false;
    errno = 0;
    v = strtod(s, &end);
    if (end != p || !isfinite(v))
        return false;
    *out = v;
    return true;
}

/* A whole number of at most 9 digits, no sign. */
static bool parse_count(const char *s, long *out)
{
    long v = 0;
    size_t n = 0;
    if (!*s)
        return false;
    for (; *s; s++, n++) {
        if (*s < '0' || *s > '9' || n >= 9)
            return false;
        v = v * 10 + (*s - '0');
    }
    *out = v;
    return true;
}

/* The leading whole number of s ("38", "38带", "3度"); false if none. */
static bool leading_int(const char *s, int *out)
{
    int v = 0, n = 0;
    while (*s >= '0' && *s <= '9' && n < 6) {
        v = v * 10 + (*s - '0');
        s++, n++;
    }
    if (n == 0 || n >= 6)
        return false;
    *out = v;
    return true;
}

/* Width of GK zones implied by a zone number: 25-45 -> 3, 13-23 -> 6. */
static int width_of_zone(int zone)
{
    if (zone >= 25 && zone <= 45)
        return 3;
    if (zone >= 13 && zone <= 23)
        return 6;
    return 0;
}

/* A northing in China: 7 integer digits (about 1.9e6 to 5.9e6). */
static bool is_northing(double v)
{
    return v >= 1.0e6 && v < 6.5e6;
}

/* Zone of a zone-prefixed easting (8 integer digits), else 0. */
static int prefix_zone(double v)
{
    if (v < 1.0e7 || v >= 1.0e8)
        return 0;
    return width_of_zone((int)floor(v / 1.0e6)) ? (int)floor(v / 1.0e6) : 0;
}

/* An easting: zone-prefixed (8 digits) or not (6 digits). */
static bool is_easting(double v)
{
    return prefix_zone(v) != 0 || (v >= 1.0e5 && v < 1.0e6);
}

/* --- growing the result --- */

static int add_problem(parser *p, int kind, int line, long parcel, hegui_severity severity,
                       const char *zh, const char *en)
{
    hegui_txt *txt = p->txt;
    hegui_txt_problem *pr;
    if (p->kind_counts[kind] > PROBLEMS_PER_KIND)
        return HEGUI_OK;
    if (p->kind_counts[kind]++ == PROBLEMS_PER_KIND) {
        zh = "同类问题过多，以下不再逐条列出";
        en = "more problems of this kind follow; they are not listed one by one";
    }
    if (txt->problem_count == p->problem_cap) {
        size_t cap = p->problem_cap ? 2 * p->problem_cap : 16;
        hegui_txt_problem *grown = hegui_realloc(txt->problems, cap * sizeof(*grown));
        if (!grown)
            return HEGUI_ENOMEM;
        txt->problems = grown;
        p->problem_cap = cap;
    }
    pr = &txt->problems[txt->problem_count];
    memset(pr, 0, sizeof(*pr));
    pr->line = line;
    pr->parcel = parcel;
    pr->severity = severity;
    pr->message_zh = hegui_strdup(zh);
    pr->message_en = hegui_strdup(en);
    if (!pr->message_zh || !pr->message_en) {
        hegui_free(pr->message_zh);
        hegui_free(pr->message_en);
        return HEGUI_ENOMEM;
    }
    txt->problem_count++;
    return HEGUI_OK;
}

/* Index of the current parcel (for problems), -1 when none. */
static long current_parcel(const parser *p)
{
    return p->parcel_open ? (long)p->txt->parcel_count - 1 : -1;
}

static int add_item(parser *p, const char *section, const char *key, const char *value)
{
    hegui_txt *txt = p->txt;
    hegui_txt_item *item;
    if (txt->item_count == p->item_cap) {
        size_t cap = p->item_cap ? 2 * p->item_cap : 16;
        hegui_txt_item *grown = hegui_realloc(txt->items, cap * sizeof(*grown));
        if (!grown)
            return HEGUI_ENOMEM;
        txt->items = grown;
        p->item_cap = cap;
    }
    item = &txt->items[txt->item_count];
    item->section = hegui_strdup(section);
    item->key = hegui_strdup(key);
    item->value = hegui_strdup(value);
    item->line = p->line;
    if (!item->section || !item->key || !item->value) {
        hegui_free(item->section);
        hegui_free(item->key);
        hegui_free(item->value);
        return HEGUI_ENOMEM;
    }
    txt->item_count++;
    return HEGUI_OK;
}

static const hegui_txt_item *find_item(const hegui_txt *txt, const char *key)
{
    size_t i;
    for (i = 0; i < txt->item_count; i++) {
        if (strcmp(txt->items[i].key, key) == 0)
            return &txt->items[i];
    }
    return NULL;
}

const char *hegui_txt_value(const hegui_txt *txt, const char *key)
{
    const hegui_txt_item *item = txt && key ? find_item(txt, key) : NULL;
    return item ? item->value : NULL;
}

/* --- decoding --- */

/* Replaces full-width separators by ASCII ones and U+3000 by a space, in
 * place (the text only shrinks); returns the new length. */
static size_t normalise_punctuation(char *s, size_t len)
{
    size_t r = 0, w = 0;
    while (r < len) {
        unsigned char c0 = (unsigned char)s[r];
        if (c0 == 0xEF && r + 2 < len && (unsigned char)s[r + 1] == 0xBC) {
            unsigned char c2 = (unsigned char)s[r + 2];
            char ascii = (char)(c2 == 0x8C   ? ','
                                : c2 == 0x9D ? '='
                                : c2 == 0xA0 ? '@'
                                : c2 == 0xBB ? '['
                                : c2 == 0xBD ? ']'
                                             : '\0');
            if (ascii) {
                s[w++] = ascii;
                r += 3;
                continue;
            }
        } else if (c0 == 0xE3 && r + 2 < len && (unsigned char)s[r + 1] == 0x80 &&
                   (unsigned char)s[r + 2] == 0x80) {
            s[w++] = ' ';
            r += 3;
            continue;
        }
        s[w++] = s[r++];
    }
    s[w] = '\0';
    return w;
}

/* GB18030 -> UTF-8 with glibc's iconv; an undecodable byte becomes U+FFFD. */
static int decode_gb18030(char **out, size_t *out_len, size_t *undecodable, const char *data,
                          size_t size)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return hegui_error_set(HEGUI_EINTERNAL, "iconv has no GB18030 converter");
    *out = io_iconv_utf8(cd, data, size, out_len, undecodable);
    iconv_close(cd);
    return *out ? HEGUI_OK : HEGUI_ENOMEM;
}

/* The text as UTF-8 in a new NUL-terminated buffer; sets the encoding. */
static int decode(hegui_txt *txt, char **out, size_t *out_len, const char *data, size_t size)
{
    if (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        txt->bom = true;
        data += 3;
        size -= 3;
    }
    if (hegui_utf8_valid(data, size)) {
        txt->encoding = hegui_strdup("UTF-8");
        *out = hegui_strndup(data, size);
        *out_len = size;
        return txt->encoding && *out ? HEGUI_OK : HEGUI_ENOMEM;
    }
    txt->encoding = hegui_strdup("GB18030");
    if (!txt->encoding)
        return HEGUI_ENOMEM;
    return decode_gb18030(out, out_len, &txt->undecodable, data, size);
}

/* --- rings and parcels --- */

static void ring_release(hegui_txt_ring *ring)
{
    hegui_free(ring->coords);
}

static void parcel_release(hegui_txt_parcel *parcel)
{
    size_t i;
    hegui_free(parcel->id);
    hegui_free(parcel->name);
    hegui_free(parcel->shape);
    hegui_free(parcel->sheet);
    hegui_free(parcel->use);
    hegui_free(parcel->land_class);
    for (i = 0; i < parcel->extra_count; i++)
        hegui_free(parcel->extra[i]);
    hegui_free(parcel->extra);
    for (i = 0; i < parcel->ring_count; i++)
        ring_release(&parcel->rings[i]);
    hegui_free(parcel->rings);
}

static int raw_push(raw_ring *r, double x, double y)
{
    if (r->count == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 16;
        double *grown = hegui_realloc(r->xy, 2 * cap * sizeof(double));
        if (!grown)
            return HEGUI_ENOMEM;
        r->xy = grown;
        r->cap = cap;
    }
    r->xy[2 * r->count] = x;
    r->xy[2 * r->count + 1] = y;
    r->count++;
    return HEGUI_OK;
}

/* Ends the ring being read: closes it when open, keeps it when it has at
 * least 4 points, reports it otherwise. */
static int finish_ring(parser *p)
{
    raw_ring *r = &p->ring;
    hegui_txt_parcel *parcel;
    hegui_txt_ring *ring;
    char zh[512], en[512];
    bool closed_on_read = false;
    int rc;
    if (r->count == 0 || !p->parcel_open)
        goto reset;
    parcel = &p->txt->parcels[p->txt->parcel_count - 1];
    if (r->xy[0] != r->xy[2 * (r->count - 1)] || r->xy[1] != r->xy[2 * (r->count - 1) + 1]) {
        if ((rc = raw_push(r, r->xy[0], r->xy[1])) < 0)
            return rc;
        closed_on_read = true;
    }
    if (r->count < 4) {
        snprintf(zh, sizeof(zh),
                 "圈号 %d 的环只有 %zu 个点（含闭合点），至少需要 4 个（3 个角点加闭合点）；"
                 "该环未读入",
                 r->number, r->count);
        snprintf(en, sizeof(en),
                 "ring %d has only %zu points (closing point included); a ring needs at least 4 "
                 "(3 corners and the closing point); the ring is left out",
                 r->number, r->count);
        if ((rc = add_problem(p, KIND_RING, r->line, current_parcel(p), HEGUI_SEVERITY_ERROR, zh,
                              en)) < 0)
            return rc;
        goto reset;
    }
    if (closed_on_read) {
        snprintf(zh, sizeof(zh), "圈号 %d 的环未闭合（末点不是首点），已按首点闭合", r->number);
        snprintf(en, sizeof(en),
                 "ring %d is open (its last point is not its first); closed on read", r->number);
        if ((rc = add_problem(p, KIND_CLOSED, r->line, current_parcel(p), HEGUI_SEVERITY_INFO, zh,
                              en)) < 0)
            return rc;
    }
    if (parcel->ring_count == p->ring_cap) {
        size_t cap = p->ring_cap ? 2 * p->ring_cap : 4;
        hegui_txt_ring *grown = hegui_realloc(parcel->rings, cap * sizeof(*grown));
        if (!grown)
            return HEGUI_ENOMEM;
        parcel->rings = grown;
        p->ring_cap = cap;
    }
    ring = &parcel->rings[parcel->ring_count++];
    memset(ring, 0, sizeof(*ring));
    ring->coords = r->xy; /* X, Y as written until finish() orders them */
    ring->point_count = r->count;
    ring->ring_number = r->number;
    ring->line = r->line;
    ring->closed_on_read = closed_on_read;
    r->xy = NULL;
    r->cap = 0;
reset:
    r->count = 0;
    r->complete = false;
    return HEGUI_OK;
}

static char *dup_field(char **fields, size_t count, size_t i)
{
    return hegui_strdup(i < count ? fields[i] : "");
}

/* A header line: the fields before the @. */
static int parse_header(parser *p, char **fields, size_t count, size_t total)
{
    hegui_txt *txt = p->txt;
    hegui_txt_parcel *parcel;
    char zh[512], en[512], q[QUOTE_MAX + 8];
    size_t i;
    int rc;

    if ((rc = finish_ring(p)) < 0)
        return rc;
    if (txt->parcel_count == p->parcel_cap) {
        size_t cap = p->parcel_cap ? 2 * p->parcel_cap : 8;
        hegui_txt_parcel *grown = hegui_realloc(txt->parcels, cap * sizeof(*grown));
        if (!grown)
            return HEGUI_ENOMEM;
        txt->parcels = grown;
        p->parcel_cap = cap;
    }
    parcel = &txt->parcels[txt->parcel_count++];
    memset(parcel, 0, sizeof(*parcel));
    p->parcel_open = true;
    p->ring_cap = 0;
    parcel->line = p->line;
    parcel->declared_points = -1;
    parcel->id = dup_field(fields, count, 2);
    parcel->name = dup_field(fields, count, 3);
    parcel->shape = dup_field(fields, count, 4);
    parcel->sheet = dup_field(fields, count, 5);
    parcel->use = dup_field(fields, count, 6);
    parcel->land_class = dup_field(fields, count, 7);
    if (!parcel->id || !parcel->name || !parcel->shape || !parcel->sheet || !parcel->use ||
        !parcel->land_class)
        return HEGUI_ENOMEM;
    if (count > 8) {
        parcel->extra = hegui_calloc(count - 8, sizeof(char *));
        if (!parcel->extra)
            return HEGUI_ENOMEM;
        for (i = 8; i < count; i++) {
            parcel->extra[i - 8] = hegui_strdup(fields[i]);
            if (!parcel->extra[i - 8])
                return HEGUI_ENOMEM;
            parcel->extra_count++;
        }
    }
    if (total < 7 || total > 13) {
        snprintf(zh, sizeof(zh),
                 "地块首行 @ 前有 %zu 个字段，格式要求 7 至 13 个（界址点数,地块面积,地块编号,"
                 "地块名称,图形属性,图幅号,地块用途,地类编码,…）",
                 total);
        snprintf(
            en, sizeof(en),
            "the parcel header has %zu fields before the @; the format has 7 to 13 "
            "(界址点数, 地块面积, 地块编号, 地块名称, 图形属性, 图幅号, 地块用途, 地类编码, …)",
            total);
        if ((rc = add_problem(p, KIND_MALFORMED, p->line, current_parcel(p), HEGUI_SEVERITY_ERROR,
                              zh, en)) < 0)
            return rc;
    }
    if (count > 0 && *fields[0] && !parse_count(fields[0], &parcel->declared_points)) {
        snprintf(zh, sizeof(zh), "界址点数「%s」不是整数", quote(fields[0], q, sizeof(q)));
        snprintf(en, sizeof(en), "界址点数 (number of points) '%s' is not a whole number", q);
        if ((rc = add_problem(p, KIND_NUMBER, p->line, current_parcel(p), HEGUI_SEVERITY_ERROR, zh,
                              en)) < 0)
            return rc;
    }
    if (count > 1 && *fields[1]) {
        if (!parse_number(fields[1], &parcel->declared_area) || parcel->declared_area < 0) {
            snprintf(zh, sizeof(zh), "地块面积「%s」不是非负数（公顷）",
                     quote(fields[1], q, sizeof(q)));
            snprintf(en, sizeof(en),
                     "地块面积 (parcel area) '%s' is not a non-negative number (公顷)", q);
            if ((rc = add_problem(p, KIND_NUMBER, p->line, current_parcel(p), HEGUI_SEVERITY_ERROR,
                                  zh, en)) < 0)
                return rc;
        } else {
            parcel->has_area = true;
            parcel->area_ha = parcel->declared_area;
        }
    } else {
        snprintf(zh, sizeof(zh), "地块面积为空，无法与坐标计算的面积核对");
        snprintf(en, sizeof(en),
                 "地块面积 (parcel area) is empty: the area cannot be checked against the "
                 "coordinates");
        if ((rc = add_problem(p, KIND_NUMBER, p->line, current_parcel(p), HEGUI_SEVERITY_WARNING,
                              zh, en)) < 0)
            return rc;
    }
    return HEGUI_OK;
}

/* A point line 点号,圈号,X,Y. */
static int parse_point(parser *p, char **fields, size_t total, const char *raw)
{
    raw_ring *r = &p->ring;
    char zh[512], en[512], q[QUOTE_MAX + 8];
    long number;
    double x, y;
    int rc;

    if (total < 4) {
        snprintf(zh, sizeof(zh), "无法识别的行「%s」：点行应为 点号,圈号,X,Y",
                 quote(raw, q, sizeof(q)));
        snprintf(en, sizeof(en),
                 "malformed line '%s': a point line is 点号,圈号,X,Y (point, ring, X, Y)", q);
        return add_problem(p, KIND_MALFORMED, p->line, current_parcel(p), HEGUI_SEVERITY_ERROR, zh,
                           en);
    }
    if (!p->parcel_open) {
        snprintf(zh, sizeof(zh), "点行「%s」出现在第一个地块首行（以 @ 结尾的行）之前，未读入",
                 quote(raw, q, sizeof(q)));
        snprintf(en, sizeof(en),
                 "point line '%s' comes before the first parcel header (a line ending in @); "
                 "it is left out",
                 q);
        return add_problem(p, KIND_MALFORMED, p->line, -1, HEGUI_SEVERITY_ERROR, zh, en);
    }
    if (!parse_count(fields[1], &number) || number > 1000000) {
        quote(raw, q, sizeof(q));
        if (total >= 7) {
            snprintf(zh, sizeof(zh), "无法识别的行「%s」：像地块首行，但没有以 @ 结尾", q);
            snprintf(en, sizeof(en),
                     "malformed line '%s': it looks like a parcel header but does not end in @", q);
        } else {
            snprintf(zh, sizeof(zh), "无法识别的行「%s」：圈号不是整数", q);
            snprintf(en, sizeof(en),
                     "malformed line '%s': 圈号 (ring number) is not a whole number", q);
        }
        return add_problem(p, KIND_MALFORMED, p->line, current_parcel(p), HEGUI_SEVERITY_ERROR, zh,
                           en);
    }
    if (!parse_number(fields[2], &x) || !parse_number(fields[3], &y)) {
        snprintf(zh, sizeof(zh), "坐标不是数字：「%s」；该点未读入", quote(raw, q, sizeof(q)));
        snprintf(en, sizeof(en), "non-numeric coordinate in '%s'; the point is left out", q);
        return add_problem(p, KIND_NUMBER, p->line, current_parcel(p), HEGUI_SEVERITY_ERROR, zh,
                           en);
    }
    /* no survey coordinate comes near a billion metres (a zone-prefixed
     * easting is 4e7); such a number (3926267.E299) is a typo, and areas
     * of it would overflow */
    if (fabs(x) > MAX_COORDINATE || fabs(y) > MAX_COORDINATE) {
        snprintf(zh, sizeof(zh), "坐标超出范围（绝对值大于 10 亿米）：「%s」；该点未读入",
                 quote(raw, q, sizeof(q)));
        snprintf(en, sizeof(en),
                 "coordinate out of range (beyond a billion metres) in '%s'; the point is left out",
                 q);
        return add_problem(p, KIND_NUMBER, p->line, current_parcel(p), HEGUI_SEVERITY_ERROR, zh,
                           en);
    }
    /* a new ring: another 圈号, or the last ring came back to its start */
    if (r->count > 0 && ((long)r->number != number || r->complete)) {
        if ((rc = finish_ring(p)) < 0)
            return rc;
    }
    if (r->count == 0) {
        r->number = (int)number;
        r->line = p->line;
    }
    if ((rc = raw_push(r, x, y)) < 0)
        return rc;
    if (r->count >= 4 && x == r->xy[0] && y == r->xy[1])
        r->complete = true;
    p->txt->parcels[p->txt->parcel_count - 1].point_lines++;
    return HEGUI_OK;
}

/* Splits line at commas into fields (trimmed, in place); returns the total
 * number of fields, of which at most MAX_FIELDS are stored. */
static size_t split_fields(char *line, char **fields, size_t *stored)
{
    size_t total = 0;
    char *s = line;
    *stored = 0;
    for (;;) {
        char *comma = strchr(s, ',');
        if (comma)
            *comma = '\0';
        if (*stored < MAX_FIELDS)
            fields[(*stored)++] = trim(s);
        total++;
        if (!comma)
            break;
        s = comma + 1;
    }
    return total;
}

/* One line of the [地块坐标] section. */
static int parse_parcel_line(parser *p, char *line)
{
    char *fields[MAX_FIELDS], raw[QUOTE_MAX + 8];
    size_t stored, total;
    char *last;
    size_t len;
    quote(line, raw, sizeof(raw));
    total = split_fields(line, fields, &stored);
    last = total == stored ? fields[stored - 1] : NULL;
    if (last && (len = strlen(last)) > 0 && last[len - 1] == '@') {
        last[len - 1] = '\0';
        trim(last);
        if (*last == '\0') /* "…,@": the @ is a field of its own */
            return parse_header(p, fields, stored - 1, total - 1);
        return parse_header(p, fields, stored, total);
    }
    if (total != stored) { /* an absurd number of fields: no point line */
        char zh[512], en[512], q[QUOTE_MAX + 8];
        snprintf(zh, sizeof(zh), "无法识别的行「%s」：字段过多（%zu 个）", quote(raw, q, sizeof(q)),
                 total);
        snprintf(en, sizeof(en), "malformed line '%s': too many fields (%zu)", q, total);
        return add_problem(p, KIND_MALFORMED, p->line, current_parcel(p), HEGUI_SEVERITY_ERROR, zh,
                           en);
    }
    return parse_point(p, fields, total, raw);
}

/* One key=value line of a section other than [地块坐标]. */
static int parse_item_line(parser *p, char *line)
{
    char *eq = strchr(line, '=');
    char zh[512], en[512], q[QUOTE_MAX + 8];
    if (!eq) {
        if (p->section != SEC_ATTRIBUTES)
            return HEGUI_OK; /* other sections may hold anything */
        snprintf(zh, sizeof(zh), "[属性描述] 中无法识别的行「%s」：应为 键=值",
                 quote(line, q, sizeof(q)));
        snprintf(en, sizeof(en), "malformed line '%s' in [属性描述]: expected key=value", q);
        return add_problem(p, KIND_MALFORMED, p->line, -1, HEGUI_SEVERITY_WARNING, zh, en);
    }
    *eq = '\0';
    return add_item(p, p->section_name ? p->section_name : "", trim(line), trim(eq + 1));
}

/* --- after the last line: axes, CRS, rings --- */

/* Even-odd test of point (x, y) against a closed ring; 1 inside, 0
 * outside, -1 on the boundary. */
static int point_in_ring(double x, double y, const hegui_txt_ring *ring)
{
    const double *c = ring->coords;
    size_t i, n = ring->point_count;
    int inside = 0;
    for (i = 0; i + 1 < n; i++) {
        double x1 = c[2 * i], y1 = c[2 * i + 1], x2 = c[2 * i + 2], y2 = c[2 * i + 3];
        /* on the segment? */
        if ((x - x1) * (y2 - y1) == (y - y1) * (x2 - x1) && x >= fmin(x1, x2) &&
            x <= fmax(x1, x2) && y >= fmin(y1, y2) && y <= fmax(y1, y2))
            return -1;
        if ((y1 > y) != (y2 > y)) {
            double xc = x1 + (y - y1) * (x2 - x1) / (y2 - y1);
            if (x < xc)
                inside = !inside;
        }
    }
    return inside;
}

/* True when ring a lies inside ring b (tested at a's first vertex that is
 * not on b's boundary; a ring on b's boundary throughout is not inside). */
static bool ring_inside(const hegui_txt_ring *a, const hegui_txt_ring *b)
{
    size_t i;
    for (i = 0; i + 1 < a->point_count; i++) {
        int where = point_in_ring(a->coords[2 * i], a->coords[2 * i + 1], b);
        if (where >= 0)
            return where == 1;
    }
    return false;
}

double io_ring_area(const double *coords, size_t point_count)
{
    double sum = 0, x0, y0;
    size_t i;
    if (point_count < 3)
        return 0;
    x0 = coords[0];
    y0 = coords[1];
    /* shifted to the first point: zone-prefixed eastings are 3.8e7, and
     * products of such numbers lose the centimetres */
    for (i = 0; i + 1 < point_count; i++)
        sum += (coords[2 * i] - x0) * (coords[2 * i + 3] - y0) -
               (coords[2 * i + 2] - x0) * (coords[2 * i + 1] - y0);
    return sum / 2.0;
}

/* Bounding box of a ring: xmin, ymin, xmax, ymax. */
static void ring_box(double box[4], const hegui_txt_ring *ring)
{
    size_t k;
    box[0] = box[2] = ring->coords[0];
    box[1] = box[3] = ring->coords[1];
    for (k = 1; k < ring->point_count; k++) {
        box[0] = fmin(box[0], ring->coords[2 * k]);
        box[1] = fmin(box[1], ring->coords[2 * k + 1]);
        box[2] = fmax(box[2], ring->coords[2 * k]);
        box[3] = fmax(box[3], ring->coords[2 * k + 1]);
    }
}

/* True when box a lies within box b: a cheap test before ring_inside. */
static bool box_within(const double *a, const double *b)
{
    return a[0] >= b[0] && a[1] >= b[1] && a[2] <= b[2] && a[3] <= b[3];
}

/* Classifies the rings of a parcel into shells and holes by containment:
 * a ring inside an odd number of others is a hole of the deepest shell
 * containing it. */
static int classify_rings(hegui_txt_parcel *parcel)
{
    size_t n = parcel->ring_count, i, j;
    size_t *depth;
    double *boxes, area = 0;
    if (n == 0)
        return HEGUI_OK;
    depth = hegui_calloc(n, sizeof(size_t));
    boxes = hegui_malloc(n * 4 * sizeof(double));
    if (!depth || !boxes) {
        hegui_free(depth);
        hegui_free(boxes);
        return HEGUI_ENOMEM;
    }
    for (i = 0; i < n; i++)
        ring_box(boxes + 4 * i, &parcel->rings[i]);
    for (i = 0; i < n; i++) {
        hegui_txt_ring *ring = &parcel->rings[i];
        ring->area_m2 = fabs(io_ring_area(ring->coords, ring->point_count));
        for (j = 0; j < n; j++) {
            if (i != j && box_within(boxes + 4 * i, boxes + 4 * j) &&
                ring_inside(ring, &parcel->rings[j]))
                depth[i]++;
        }
    }
    for (i = 0; i < n; i++) {
        hegui_txt_ring *ring = &parcel->rings[i];
        size_t best = i, best_depth = 0;
        ring->shell = i;
        ring->hole = false;
        if (depth[i] % 2 == 0)
            continue;
        for (j = 0; j < n; j++) {
            if (j != i && depth[j] % 2 == 0 && (best == i || depth[j] > best_depth) &&
                box_within(boxes + 4 * i, boxes + 4 * j) && ring_inside(ring, &parcel->rings[j])) {
                best = j;
                best_depth = depth[j];
            }
        }
        if (best != i) {
            ring->hole = true;
            ring->shell = best;
        }
    }
    for (i = 0; i < n; i++)
        area += parcel->rings[i].hole ? -parcel->rings[i].area_m2 : parcel->rings[i].area_m2;
    parcel->area_m2 = area;
    hegui_free(depth);
    hegui_free(boxes);
    return HEGUI_OK;
}

/* Decides whether X and Y are exchanged (by digit counts: X is a 7-digit
 * northing, Y a 6- or 8-digit easting), puts every ring in easting,
 * northing order, and reports coordinates that are neither. */
static int order_axes(parser *p)
{
    hegui_txt *txt = p->txt;
    size_t normal = 0, swapped = 0, odd = 0, i, j, k;
    int swapped_line = 0, odd_line = 0, rc;
    double odd_x = 0, odd_y = 0;
    char zh[512], en[512];
    for (i = 0; i < txt->parcel_count; i++) {
        for (j = 0; j < txt->parcels[i].ring_count; j++) {
            const hegui_txt_ring *ring = &txt->parcels[i].rings[j];
            for (k = 0; k < ring->point_count; k++) {
                double x = ring->coords[2 * k], y = ring->coords[2 * k + 1];
                if (is_northing(x) && is_easting(y)) {
                    normal++;
                } else if (is_easting(x) && is_northing(y)) {
                    if (!swapped++)
                        swapped_line = ring->line;
                } else if (!odd++) {
                    odd_line = ring->line;
                    odd_x = x;
                    odd_y = y;
                }
            }
        }
    }
    txt->axes_swapped = swapped > normal;
    if (txt->axes_swapped) {
        snprintf(zh, sizeof(zh),
                 "X 与 Y 互换：本格式 X 为纵坐标（北，7 位整数），Y 为横坐标（东，常带带号），"
                 "而文件中 %zu 个点的 X 像横坐标、Y 像纵坐标；已按互换读入",
                 swapped);
        snprintf(en, sizeof(en),
                 "X and Y are swapped: in this format X is the northing (7 integer digits) and Y "
                 "the easting (usually zone-prefixed), but %zu points have an easting in X and a "
                 "northing in Y; read with the axes exchanged",
                 swapped);
        if ((rc = add_problem(p, KIND_COORDS, swapped_line, -1, HEGUI_SEVERITY_ERROR, zh, en)) < 0)
            return rc;
    }
    if (odd > 0) {
        snprintf(zh, sizeof(zh),
                 "%zu 个点的坐标不像高斯-克吕格平面坐标（米），首个为 X=%.3f, Y=%.3f（该环起于第 "
                 "%d 行）",
                 odd, odd_x, odd_y, odd_line);
        snprintf(en, sizeof(en),
                 "%zu points do not look like Gauss-Kruger coordinates in metres (X a 7-digit "
                 "northing, Y a 6- or 8-digit easting); the first is X=%.3f, Y=%.3f (ring from "
                 "line %d)",
                 odd, odd_x, odd_y, odd_line);
        if ((rc = add_problem(p, KIND_COORDS, odd_line, -1, HEGUI_SEVERITY_ERROR, zh, en)) < 0)
            return rc;
    }
    for (i = 0; i < txt->parcel_count; i++) {
        for (j = 0; j < txt->parcels[i].ring_count; j++) {
            hegui_txt_ring *ring = &txt->parcels[i].rings[j];
            if (txt->axes_swapped)
                continue; /* X is already the easting */
            for (k = 0; k < ring->point_count; k++) {
                double t = ring->coords[2 * k];
                ring->coords[2 * k] = ring->coords[2 * k + 1];
                ring->coords[2 * k + 1] = t;
            }
        }
    }
    return HEGUI_OK;
}

/* Datum from the text of 坐标系. */
static hegui_datum datum_of(const char *s)
{
    if (strstr(s, "2000") || hegui_str_icontains(s, "CGCS"))
        return HEGUI_DATUM_CGCS2000;
    if (strstr(s, "西安") || strstr(s, "80") || hegui_str_icontains(s, "Xian") ||
        hegui_str_icontains(s, "Xi'an"))
        return HEGUI_DATUM_XIAN80;
    if (strstr(s, "北京") || strstr(s, "54") || hegui_str_icontains(s, "Beijing"))
        return HEGUI_DATUM_BEIJING54;
    return HEGUI_DATUM_OTHER;
}

/* Width from the text of 几度分带 ("3", "3度", "三度"); 0 if unreadable. */
static int width_of_text(const char *s)
{
    int v;
    if (leading_int(s, &v))
        return v == 3 || v == 6 ? v : 0;
    if (strstr(s, "三"))
        return 3;
    if (strstr(s, "六"))
        return 6;
    return 0;
}

static int line_of(const hegui_txt *txt, const char *key)
{
    const hegui_txt_item *item = find_item(txt, key);
    return item ? item->line : 0;
}

/* Checks the other keys of [属性描述]: 投影类型, 计量单位, 精度, 转换参数. */
static int check_attribute_keys(parser *p)
{
    hegui_txt *txt = p->txt;
    const char *v;
    char zh[512], en[512], q[QUOTE_MAX + 8];
    int rc;
    if ((v = hegui_txt_value(txt, "投影类型")) && *v && !strstr(v, "高斯") &&
        !hegui_str_icontains(v, "Gauss") && !strstr(v, "横轴墨卡托") &&
        !hegui_str_icontains(v, "Transverse")) {
        snprintf(zh, sizeof(zh), "投影类型「%s」不是高斯-克吕格投影，hegui 按高斯-克吕格读取",
                 quote(v, q, sizeof(q)));
        snprintf(en, sizeof(en),
                 "投影类型 (projection) '%s' is not Gauss-Kruger; hegui reads the coordinates as "
                 "Gauss-Kruger",
                 q);
        if ((rc = add_problem(p, KIND_CRS, line_of(txt, "投影类型"), -1, HEGUI_SEVERITY_WARNING, zh,
                              en)) < 0)
            return rc;
    }
    if ((v = hegui_txt_value(txt, "计量单位")) && *v && strcmp(v, "米") != 0 &&
        !hegui_str_iequal(v, "m") && !hegui_str_iequal(v, "metre") &&
        !hegui_str_iequal(v, "meter")) {
        snprintf(zh, sizeof(zh), "计量单位「%s」不是米，hegui 按米读取", quote(v, q, sizeof(q)));
        snprintf(en, sizeof(en), "计量单位 (unit) '%s' is not metres; hegui reads metres", q);
        if ((rc = add_problem(p, KIND_CRS, line_of(txt, "计量单位"), -1, HEGUI_SEVERITY_WARNING, zh,
                              en)) < 0)
            return rc;
    }
    if ((v = hegui_txt_value(txt, "精度")) && *v &&
        (!parse_number(v, &txt->precision) || txt->precision < 0)) {
        txt->precision = 0;
        snprintf(zh, sizeof(zh), "精度「%s」不是数字", quote(v, q, sizeof(q)));
        snprintf(en, sizeof(en), "精度 (precision) '%s' is not a number", q);
        if ((rc = add_problem(p, KIND_NUMBER, line_of(txt, "精度"), -1, HEGUI_SEVERITY_WARNING, zh,
                              en)) < 0)
            return rc;
    }
    if ((v = hegui_txt_value(txt, "转换参数")) && *v) {
        size_t commas = 0, numbers = 0, bad = 0;
        const char *s = v;
        char field[64];
        while (*s) {
            size_t n = strcspn(s, ",");
            double d;
            if (n < sizeof(field)) {
                memcpy(field, s, n);
                field[n] = '\0';
                if (*trim(field))
                    parse_number(trim(field), &d) ? numbers++ : bad++;
            } else {
                bad++;
            }
            s += n;
            if (*s == ',')
                s++, commas++;
        }
        if (bad || commas + 1 != 7) {
            snprintf(zh, sizeof(zh), "转换参数「%s」应为 7 个以逗号分隔的数（或 6 个逗号）",
                     quote(v, q, sizeof(q)));
            snprintf(en, sizeof(en),
                     "转换参数 (datum shift) '%s' should be 7 comma-separated numbers (or 6 "
                     "commas)",
                     q);
            if ((rc = add_problem(p, KIND_CRS, line_of(txt, "转换参数"), -1, HEGUI_SEVERITY_WARNING,
                                  zh, en)) < 0)
                return rc;
        } else if (numbers > 0) {
            snprintf(zh, sizeof(zh), "文件给出了七参数，hegui 不应用它们，按所述坐标系读取坐标");
            snprintf(en, sizeof(en),
                     "the file gives 7 datum-shift parameters; hegui does not apply them and "
                     "reads the coordinates in the stated CRS");
            if ((rc = add_problem(p, KIND_CRS, line_of(txt, "转换参数"), -1, HEGUI_SEVERITY_INFO,
                                  zh, en)) < 0)
                return rc;
        }
    }
    return HEGUI_OK;
}

/* The CRS: datum from 坐标系; zone and width from the eastings' prefix
 * when they carry one (the coordinates win), else from 带号 and 几度分带. */
static int derive_crs(parser *p)
{
    hegui_txt *txt = p->txt;
    const char *crs_text = hegui_txt_value(txt, "坐标系");
    const char *zone_text = hegui_txt_value(txt, "带号");
    const char *width_text = hegui_txt_value(txt, "几度分带");
    int zone_counts[64], declared_zone = 0, declared_width = 0, prefix = 0, rc, z;
    size_t prefixed = 0, plain = 0, i, j, k, zones_seen = 0;
    char zh[640], en[640], q[QUOTE_MAX + 8];
    bool zone_readable;

    memset(zone_counts, 0, sizeof(zone_counts));
    txt->datum = HEGUI_DATUM_CGCS2000;
    if (!crs_text || !*crs_text) {
        snprintf(zh, sizeof(zh), "[属性描述] 缺少坐标系，按 2000 国家大地坐标系读取");
        snprintf(en, sizeof(en), "[属性描述] names no 坐标系 (CRS); read as CGCS2000");
        if ((rc = add_problem(p, KIND_CRS, line_of(txt, "坐标系"), -1, HEGUI_SEVERITY_WARNING, zh,
                              en)) < 0)
            return rc;
    } else if ((txt->datum = datum_of(crs_text)) == HEGUI_DATUM_OTHER) {
        txt->datum = HEGUI_DATUM_CGCS2000;
        snprintf(zh, sizeof(zh),
                 "无法识别的坐标系「%s」（应为 2000 国家大地坐标系、1980 西安坐标系或 1954 北京坐标"
                 "系），按 2000 国家大地坐标系读取",
                 quote(crs_text, q, sizeof(q)));
        snprintf(en, sizeof(en),
                 "unknown 坐标系 (CRS) '%s' (expected CGCS2000, Xian 1980 or Beijing 1954); read "
                 "as CGCS2000",
                 q);
        if ((rc = add_problem(p, KIND_CRS, line_of(txt, "坐标系"), -1, HEGUI_SEVERITY_ERROR, zh,
                              en)) < 0)
            return rc;
    }

    /* the eastings' prefixes */
    for (i = 0; i < txt->parcel_count; i++) {
        for (j = 0; j < txt->parcels[i].ring_count; j++) {
            const hegui_txt_ring *ring = &txt->parcels[i].rings[j];
            for (k = 0; k < ring->point_count; k++) {
                z = prefix_zone(ring->coords[2 * k]);
                if (z) {
                    if (zone_counts[z]++ == 0)
                        zones_seen++;
                    prefixed++;
                } else {
                    plain++;
                }
            }
        }
    }
    for (z = 0; z < 64; z++) {
        if (zone_counts[z] > (prefix ? zone_counts[prefix] : 0))
            prefix = z;
    }
    if (zones_seen > 1 || (prefixed && plain)) {
        snprintf(zh, sizeof(zh),
                 "横坐标的带号不一致（%zu 个点带带号、%zu 个不带，涉及 %zu 个带），按最多的第 %d "
                 "带读取",
                 prefixed, plain, zones_seen, prefix);
        snprintf(en, sizeof(en),
                 "the eastings mix zones (%zu with a zone prefix, %zu without, %zu zones); read "
                 "in the most common, zone %d",
                 prefixed, plain, zones_seen, prefix);
        if ((rc = add_problem(p, KIND_CRS, 0, -1, HEGUI_SEVERITY_ERROR, zh, en)) < 0)
            return rc;
    }
    txt->prefixed = prefix != 0 && prefixed >= plain;

    /* what the file declares */
    zone_readable = zone_text && *zone_text && leading_int(zone_text, &declared_zone);
    if (zone_text && *zone_text && !zone_readable) {
        snprintf(zh, sizeof(zh), "带号「%s」不是数字", quote(zone_text, q, sizeof(q)));
        snprintf(en, sizeof(en), "带号 (zone number) '%s' is not a number", q);
        if ((rc = add_problem(p, KIND_CRS, line_of(txt, "带号"), -1, HEGUI_SEVERITY_ERROR, zh,
                              en)) < 0)
            return rc;
    }
    if (width_text && *width_text && !(declared_width = width_of_text(width_text))) {
        snprintf(zh, sizeof(zh), "几度分带「%s」应为 3 或 6", quote(width_text, q, sizeof(q)));
        snprintf(en, sizeof(en), "几度分带 (zone width) '%s' should be 3 or 6", q);
        if ((rc = add_problem(p, KIND_CRS, line_of(txt, "几度分带"), -1, HEGUI_SEVERITY_ERROR, zh,
                              en)) < 0)
            return rc;
    }

    if (txt->prefixed) {
        txt->zone = prefix;
        txt->gk_width = width_of_zone(prefix);
        if (!zone_readable && !(zone_text && *zone_text)) {
            snprintf(zh, sizeof(zh), "[属性描述] 缺少带号；按横坐标的带号取第 %d 带", prefix);
            snprintf(en, sizeof(en),
                     "带号 (zone number) is missing; zone %d is taken from the eastings' prefix",
                     prefix);
            if ((rc = add_problem(p, KIND_CRS, line_of(txt, "带号"), -1, HEGUI_SEVERITY_WARNING, zh,
                                  en)) < 0)
                return rc;
        } else if (zone_readable && declared_zone != prefix) {
            snprintf(zh, sizeof(zh),
                     "带号=%d 与坐标矛盾：横坐标带有带号 %d；以坐标为准，按第 %d 带读取",
                     declared_zone, prefix, prefix);
            snprintf(en, sizeof(en),
                     "带号 (zone number) %d contradicts the coordinates, whose eastings carry "
                     "the zone prefix %d; the coordinates win: read in zone %d",
                     declared_zone, prefix, prefix);
            if ((rc = add_problem(p, KIND_CRS, line_of(txt, "带号"), -1, HEGUI_SEVERITY_ERROR, zh,
                                  en)) < 0)
                return rc;
        }
        if (declared_width && declared_width != txt->gk_width) {
            snprintf(zh, sizeof(zh),
                     "几度分带=%d 与坐标矛盾：横坐标的带号 %d 属于 %d 度带；以坐标为准",
                     declared_width, prefix, txt->gk_width);
            snprintf(en, sizeof(en),
                     "几度分带 (zone width) %d contradicts the coordinates: their zone prefix %d "
                     "is a %d-degree zone; the coordinates win",
                     declared_width, prefix, txt->gk_width);
            if ((rc = add_problem(p, KIND_CRS, line_of(txt, "几度分带"), -1, HEGUI_SEVERITY_ERROR,
                                  zh, en)) < 0)
                return rc;
        }
    } else if (zone_readable) {
        int width = declared_width ? declared_width : width_of_zone(declared_zone);
        if (!width || width_of_zone(declared_zone) != width) {
            snprintf(zh, sizeof(zh), "带号=%d 不是中国范围内的 %s度带", declared_zone,
                     declared_width == 6   ? "6 "
                     : declared_width == 3 ? "3 "
                                           : "3 或 6 ");
            snprintf(en, sizeof(en),
                     "带号 (zone number) %d is no %s-degree Gauss-Kruger zone of China (3-degree "
                     "zones are 25-45, 6-degree zones 13-23)",
                     declared_zone,
                     declared_width == 6   ? "6"
                     : declared_width == 3 ? "3"
                                           : "3- or 6");
            if ((rc = add_problem(p, KIND_CRS, line_of(txt, "带号"), -1, HEGUI_SEVERITY_ERROR, zh,
                                  en)) < 0)
                return rc;
        } else {
            txt->zone = declared_zone;
            txt->gk_width = width;
        }
    } else if (txt->parcel_count > 0 && !(zone_text && *zone_text)) {
        snprintf(zh, sizeof(zh),
                 "无法确定投影带：[属性描述] 缺少带号，横坐标也不带带号；请填写带号，或用 -s_srs "
                 "指定坐标系");
        snprintf(en, sizeof(en),
                 "the zone cannot be known: 带号 (zone number) is missing and the eastings carry "
                 "no zone prefix; fill in 带号, or assign the CRS with -s_srs");
        if ((rc = add_problem(p, KIND_CRS, line_of(txt, "带号"), -1, HEGUI_SEVERITY_ERROR, zh,
                              en)) < 0)
            return rc;
    }
    if (txt->zone)
        txt->epsg = hegui_crs_gk_epsg(txt->datum, txt->gk_width, txt->zone, txt->prefixed);
    return check_attribute_keys(p);
}

/* Per parcel: shells and holes, area, 界址点数 and the unit of 地块面积. */
static int check_parcels(parser *p)
{
    hegui_txt *txt = p->txt;
    char zh[640], en[640], q[QUOTE_MAX + 8];
    size_t i;
    int rc;
    for (i = 0; i < txt->parcel_count; i++) {
        hegui_txt_parcel *parcel = &txt->parcels[i];
        long index = (long)i;
        if ((rc = classify_rings(parcel)) < 0)
            return rc;
        if (parcel->ring_count == 0) {
            /* quoted: a long name must not be cut inside a character */
            quote(parcel->name, q, sizeof(q));
            snprintf(zh, sizeof(zh), "地块「%s」没有可用的界址点环", q);
            snprintf(en, sizeof(en), "parcel '%s' has no usable ring of boundary points", q);
            if ((rc = add_problem(p, KIND_RING, parcel->line, index, HEGUI_SEVERITY_ERROR, zh,
                                  en)) < 0)
                return rc;
        }
        if (parcel->declared_points >= 0 &&
            (size_t)parcel->declared_points != parcel->point_lines) {
            snprintf(zh, sizeof(zh), "界址点数为 %ld，实际读到 %zu 个点行", parcel->declared_points,
                     parcel->point_lines);
            snprintf(en, sizeof(en),
                     "界址点数 (number of points) says %ld but %zu point lines were read",
                     parcel->declared_points, parcel->point_lines);
            if ((rc = add_problem(p, KIND_COUNT, parcel->line, index, HEGUI_SEVERITY_WARNING, zh,
                                  en)) < 0)
                return rc;
        }
        if (parcel->has_area && parcel->area_m2 > 0 && parcel->declared_area > 0 &&
            fabs(parcel->declared_area - parcel->area_m2) <= fmax(1.0, 0.01 * parcel->area_m2)) {
            parcel->area_in_m2 = true;
            parcel->area_ha = parcel->declared_area / 10000.0;
            snprintf(zh, sizeof(zh),
                     "地块面积 %.4f 像是平方米而不是公顷（坐标计算面积 %.2f 平方米）；按 %.4f "
                     "公顷读取",
                     parcel->declared_area, parcel->area_m2, parcel->area_ha);
            snprintf(en, sizeof(en),
                     "地块面积 (parcel area) %.4f looks like m2, not 公顷 (the coordinates give "
                     "%.2f m2); read as %.4f ha",
                     parcel->declared_area, parcel->area_m2, parcel->area_ha);
            if ((rc = add_problem(p, KIND_AREA, parcel->line, index, HEGUI_SEVERITY_WARNING, zh,
                                  en)) < 0)
                return rc;
        }
    }
    return HEGUI_OK;
}

static int finish(parser *p)
{
    hegui_txt *txt = p->txt;
    char zh[512], en[512];
    int rc;
    if ((rc = finish_ring(p)) < 0)
        return rc;
    if (txt->undecodable) {
        snprintf(zh, sizeof(zh), "文件既不是有效的 UTF-8，也不是有效的 GB18030：%zu 个字节无法解码",
                 txt->undecodable);
        snprintf(en, sizeof(en),
                 "the file is neither valid UTF-8 nor valid GB18030: %zu bytes could not be "
                 "decoded",
                 txt->undecodable);
        if ((rc = add_problem(p, KIND_DECODE, 0, -1, HEGUI_SEVERITY_ERROR, zh, en)) < 0)
            return rc;
    }
    if (!txt->has_attributes) {
        snprintf(zh, sizeof(zh), "缺少 [属性描述] 节");
        snprintf(en, sizeof(en), "the [属性描述] section (attribute description) is missing");
        if ((rc = add_problem(p, KIND_SECTION, 0, -1, HEGUI_SEVERITY_ERROR, zh, en)) < 0)
            return rc;
    }
    if (!txt->has_parcels) {
        snprintf(zh, sizeof(zh), "缺少 [地块坐标] 节");
        snprintf(en, sizeof(en), "the [地块坐标] section (parcel coordinates) is missing");
        if ((rc = add_problem(p, KIND_SECTION, 0, -1, HEGUI_SEVERITY_ERROR, zh, en)) < 0)
            return rc;
    } else if (txt->parcel_count == 0) {
        snprintf(zh, sizeof(zh), "[地块坐标] 中没有地块（以 @ 结尾的地块首行）");
        snprintf(en, sizeof(en), "[地块坐标] holds no parcel (a header line ending in @)");
        if ((rc = add_problem(p, KIND_SECTION, 0, -1, HEGUI_SEVERITY_ERROR, zh, en)) < 0)
            return rc;
    }
    if ((rc = order_axes(p)) < 0)
        return rc;
    if ((rc = derive_crs(p)) < 0)
        return rc;
    return check_parcels(p);
}

/* One line (trimmed, NUL-terminated, modifiable). */
static int parse_line(parser *p, char *line)
{
    size_t len = strlen(line);
    char zh[512], en[512], q[QUOTE_MAX + 8];
    if (len == 0)
        return HEGUI_OK;
    if (line[0] == '[' && line[len - 1] == ']') {
        char *name;
        int rc;
        line[len - 1] = '\0';
        name = trim(line + 1);
        if ((rc = finish_ring(p)) < 0)
            return rc;
        p->parcel_open = false;
        hegui_free(p->section_name);
        p->section_name = hegui_strdup(name);
        if (!p->section_name)
            return HEGUI_ENOMEM;
        if (strcmp(name, "属性描述") == 0) {
            p->section = SEC_ATTRIBUTES;
            p->txt->has_attributes = true;
        } else if (strcmp(name, "地块坐标") == 0) {
            p->section = SEC_PARCELS;
            p->txt->has_parcels = true;
        } else {
            p->section = SEC_OTHER; /* [项目信息], [扩展信息] and unknown ones: items kept */
        }
        return HEGUI_OK;
    }
    switch (p->section) {
    case SEC_PARCELS:
        return parse_parcel_line(p, line);
    case SEC_NONE:
        if (p->outside_reported)
            return HEGUI_OK;
        p->outside_reported = true;
        snprintf(zh, sizeof(zh), "第一个节之前的内容「%s」被忽略", quote(line, q, sizeof(q)));
        snprintf(en, sizeof(en), "text before the first section is ignored: '%s'", q);
        return add_problem(p, KIND_MALFORMED, p->line, -1, HEGUI_SEVERITY_WARNING, zh, en);
    default:
        return parse_item_line(p, line);
    }
}

int hegui_txt_parse(hegui_txt **out, const char *data, size_t size)
{
    parser p;
    char *text = NULL, *s, *end;
    size_t len = 0;
    int rc;

    *out = NULL;
    memset(&p, 0, sizeof(p));
    p.txt = hegui_calloc(1, sizeof(hegui_txt));
    if (!p.txt)
        return HEGUI_ENOMEM;
    p.txt->datum = HEGUI_DATUM_CGCS2000;
    if ((rc = decode(p.txt, &text, &len, data ? data : "", data ? size : 0)) < 0)
        goto done;
    if (!text) {
        rc = hegui_error_set(HEGUI_ENOMEM, "out of memory decoding a boundary-point file");
        goto done;
    }
    len = normalise_punctuation(text, len);
    end = text + len;
    for (s = text; s < end && rc == HEGUI_OK;) {
        char *nl = memchr(s, '\n', (size_t)(end - s));
        char *line_end = nl ? nl : end;
        *line_end = '\0';
        if (p.line < INT_MAX)
            p.line++;
        rc = parse_line(&p, trim(s));
        s = line_end + 1;
    }
    p.txt->line_count = (size_t)p.line;
    if (rc == HEGUI_OK)
        rc = finish(&p);
done:
    hegui_free(p.section_name);
    hegui_free(text);
    hegui_free(p.ring.xy);
    if (rc < 0) {
        hegui_txt_free(p.txt);
        return rc;
    }
    *out = p.txt;
    return HEGUI_OK;
}

int hegui_txt_read(hegui_txt **out, const char *path)
{
    FILE *f;
    char *data = NULL;
    size_t size = 0, cap = 0, n;
    int rc;
    *out = NULL;
    f = fopen(path, "rb");
    if (!f)
        return hegui_error_set(HEGUI_EINPUT, "%s: cannot read: %s", path, strerror(errno));
    for (;;) {
        if (size == cap) {
            char *grown;
            if (cap >= TXT_MAX_FILE) {
                fclose(f);
                hegui_free(data);
                return hegui_error_set(HEGUI_EINPUT,
                                       "%s: larger than 512 MiB: not a boundary-point file", path);
            }
            cap = cap ? 2 * cap : 65536;
            grown = hegui_realloc(data, cap);
            if (!grown) {
                fclose(f);
                hegui_free(data);
                return HEGUI_ENOMEM;
            }
            data = grown;
        }
        n = fread(data + size, 1, cap - size, f);
        size += n;
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        fclose(f);
        hegui_free(data);
        return hegui_error_set(HEGUI_EINPUT, "%s: read error", path);
    }
    fclose(f);
    rc = hegui_txt_parse(out, data, size);
    hegui_free(data);
    return rc;
}

void hegui_txt_free(hegui_txt *txt)
{
    size_t i;
    if (!txt)
        return;
    hegui_free(txt->encoding);
    for (i = 0; i < txt->item_count; i++) {
        hegui_free(txt->items[i].section);
        hegui_free(txt->items[i].key);
        hegui_free(txt->items[i].value);
    }
    hegui_free(txt->items);
    for (i = 0; i < txt->parcel_count; i++)
        parcel_release(&txt->parcels[i]);
    hegui_free(txt->parcels);
    for (i = 0; i < txt->problem_count; i++) {
        hegui_free(txt->problems[i].message_zh);
        hegui_free(txt->problems[i].message_en);
    }
    hegui_free(txt->problems);
    hegui_free(txt);
}

static bool contains_bytes(const char *data, size_t size, const char *needle, size_t n)
{
    size_t i;
    for (i = 0; i + n <= size; i++) {
        if (data[i] == needle[0] && memcmp(data + i, needle, n) == 0)
            return true;
    }
    return false;
}

bool hegui_txt_sniff(const char *data, size_t size)
{
    /* [地块坐标] and [属性描述] in UTF-8 and in GB18030 */
    static const char *const markers[] = {
        "[\xE5\x9C\xB0\xE5\x9D\x97\xE5\x9D\x90\xE6\xA0\x87]",
        "[\xE5\xB1\x9E\xE6\x80\xA7\xE6\x8F\x8F\xE8\xBF\xB0]",
        "[\xB5\xD8\xBF\xE9\xD7\xF8\xB1\xEA]",
        "[\xCA\xF4\xD0\xD4\xC3\xE8\xCA\xF6]",
    };
    size_t i;
    for (i = 0; data && i < sizeof(markers) / sizeof(markers[0]); i++) {
        if (contains_bytes(data, size, markers[i], strlen(markers[i])))
            return true;
    }
    return false;
}

/* --- the GeoJSON view of a parsed file --- */

/* Appends v with the fewest digits that read back as the same double. */
static int put_double(hegui_buf *b, double v)
{
    char text[40];
    int digits;
    for (digits = 15; digits <= 17; digits++) {
        snprintf(text, sizeof(text), "%.*g", digits, v);
        if (strtod(text, NULL) == v)
            break;
    }
    return hegui_buf_puts(b, text);
}

static int put_ring(hegui_buf *b, const hegui_txt_ring *ring)
{
    size_t k;
    hegui_buf_putc(b, '[');
    for (k = 0; k < ring->point_count; k++) {
        hegui_buf_puts(b, k ? ",[" : "[");
        put_double(b, ring->coords[2 * k]);
        hegui_buf_putc(b, ',');
        put_double(b, ring->coords[2 * k + 1]);
        hegui_buf_putc(b, ']');
    }
    return hegui_buf_putc(b, ']');
}

/* Polygon (one shell) or MultiPolygon, or null without rings. */
static int put_geometry(hegui_buf *b, const hegui_txt_parcel *parcel)
{
    size_t shells = 0, i, j, written = 0;
    for (i = 0; i < parcel->ring_count; i++)
        shells += !parcel->rings[i].hole;
    if (shells == 0)
        return hegui_buf_puts(b, "null");
    hegui_buf_puts(b, shells == 1 ? "{\"type\":\"Polygon\",\"coordinates\":"
                                  : "{\"type\":\"MultiPolygon\",\"coordinates\":[");
    for (i = 0; i < parcel->ring_count; i++) {
        if (parcel->rings[i].hole)
            continue;
        hegui_buf_puts(b, written++ ? ",[" : "[");
        put_ring(b, &parcel->rings[i]);
        for (j = 0; j < parcel->ring_count; j++) {
            if (parcel->rings[j].hole && parcel->rings[j].shell == i) {
                hegui_buf_putc(b, ',');
                put_ring(b, &parcel->rings[j]);
            }
        }
        hegui_buf_putc(b, ']');
    }
    return hegui_buf_puts(b, shells == 1 ? "}" : "]}");
}

static void put_string_property(hegui_buf *b, const char *name, const char *value)
{
    hegui_buf_printf(b, ",\"%s\":", name);
    if (value)
        hegui_buf_put_json_string(b, value);
    else
        hegui_buf_puts(b, "null");
}

/* The zone attributes a file may give as keys (属性描述 or 项目信息), with
 * the field they become. */
static const struct {
    const char *field;
    const char *keys[3];
    bool number;
} zone_keys[] = {
    {"KFQDM", {"开发区代码", "KFQDM", NULL}, false},
    {"KFQMC", {"开发区名称", "KFQMC", NULL}, false},
    {"HZMJ", {"核准面积", "HZMJ", NULL}, true},
    {"ZDCY", {"主导产业", "ZDCY", NULL}, false},
    {"JB", {"级别", "JB", NULL}, false},
};

int io_txt_geojson(hegui_buf *b, const hegui_txt *txt, const char *layer_name)
{
    const char *zone_values[sizeof(zone_keys) / sizeof(zone_keys[0])];
    size_t i, k;
    hegui_buf_puts(b, "{\"type\":\"FeatureCollection\",\"name\":");
    hegui_buf_put_json_string(b, layer_name);
    if (txt->epsg)
        hegui_buf_printf(b,
                         ",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":"
                         "\"urn:ogc:def:crs:EPSG::%d\"}}",
                         txt->epsg);
    hegui_buf_puts(b, ",\"features\":[");
    for (k = 0; k < sizeof(zone_keys) / sizeof(zone_keys[0]); k++) {
        const char *v = NULL;
        size_t j;
        for (j = 0; j < 3 && zone_keys[k].keys[j] && !v; j++)
            v = hegui_txt_value(txt, zone_keys[k].keys[j]);
        zone_values[k] = v;
    }
    for (i = 0; i < txt->parcel_count; i++) {
        const hegui_txt_parcel *parcel = &txt->parcels[i];
        hegui_buf_puts(b, i ? ",\n" : "\n");
        hegui_buf_puts(b, "{\"type\":\"Feature\",\"properties\":{\"DKBH\":");
        hegui_buf_put_json_string(b, parcel->id);
        put_string_property(b, "DKMC", parcel->name);
        put_string_property(b, "TXSX", parcel->shape);
        put_string_property(b, "TFH", parcel->sheet);
        put_string_property(b, "DKYT", parcel->use);
        put_string_property(b, "DLBM", parcel->land_class);
        hegui_buf_puts(b, ",\"DKMJ\":");
        if (parcel->has_area)
            put_double(b, parcel->area_ha);
        else
            hegui_buf_puts(b, "null");
        if (parcel->declared_points >= 0)
            hegui_buf_printf(b, ",\"JZDS\":%ld", parcel->declared_points);
        else
            hegui_buf_puts(b, ",\"JZDS\":null");
        put_string_property(b, "QKMC", parcel->name);
        hegui_buf_puts(b, ",\"QKMJ\":");
        if (parcel->has_area)
            put_double(b, parcel->area_ha);
        else
            hegui_buf_puts(b, "null");
        for (k = 0; k < sizeof(zone_keys) / sizeof(zone_keys[0]); k++) {
            double d;
            if (!zone_values[k])
                continue;
            if (zone_keys[k].number && parse_number(zone_values[k], &d)) {
                hegui_buf_printf(b, ",\"%s\":", zone_keys[k].field);
                put_double(b, d);
            } else {
                put_string_property(b, zone_keys[k].field, *zone_values[k] ? zone_values[k] : NULL);
            }
        }
        hegui_buf_printf(b, ",\"TXT_LINE\":%d},\"geometry\":", parcel->line);
        put_geometry(b, parcel);
        hegui_buf_putc(b, '}');
    }
    hegui_buf_puts(b, "\n]}\n");
    return b->failed ? hegui_error_set(HEGUI_ENOMEM, "out of memory building the GeoJSON of a "
                                                     "boundary-point file")
                     : HEGUI_OK;
}
