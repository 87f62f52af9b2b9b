/*
 * txt_write.c - writes the polygons of any catalog layer as a
 * boundary-point coordinate file (DOMAIN.md section 4): [属性描述] with the
 * CRS, [项目信息] with the zone attributes the features share, one parcel
 * per feature in zone-prefixed Gauss-Kruger coordinates, X = northing.
 *
 * Rings: shells clockwise with 圈号 1, holes counter-clockwise with 圈号
 * 2, 3, … (so a reader that trusts 圈号 and one that classifies by
 * containment agree); every ring repeats its first point (and its point
 * name) at the end; 界址点数 counts every point line.
 */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ogr_api.h>

#include "io/io_internal.h"

/* Attributes read from the layer, by what they become in the file. */
enum {
    W_ID,
    W_NAME,
    W_SHAPE,
    W_SHEET,
    W_USE,
    W_CLASS,
    W_AREA,
    W_ZONE_CODE,
    W_ZONE_NAME,
    W_APPROVED,
    W_INDUSTRIES,
    W_LEVEL,
    W_COUNT
};

/* Field names tried for each attribute, first match wins (ASCII
 * case-insensitive); the zone attributes also follow the rules file's
 * `fields:` of the layer. */
static const char *const candidates[W_COUNT][5] = {
    {"DKBH", "地块编号", NULL},
    {"DKMC", "地块名称", "QKMC", "区块名称", NULL},
    {"TXSX", "图形属性", NULL},
    {"TFH", "图幅号", NULL},
    {"DKYT", "地块用途", NULL},
    {"DLBM", "地类编码", NULL},
    {"DKMJ", "地块面积", "QKMJ", "区块面积", NULL},
    {"KFQDM", "开发区代码", NULL},
    {"KFQMC", "开发区名称", NULL},
    {"HZMJ", "核准面积", NULL},
    {"ZDCY", "主导产业", NULL},
    {"JB", "级别", NULL},
};

/* Rules-file logical names of the zone attributes (W_ZONE_CODE …). */
static const char *const zone_keys[W_COUNT] = {
    NULL,         NULL,   NULL, NULL, NULL, NULL, NULL, "code", "name", "approved_area_ha",
    "industries", "level"};

/* [项目信息] keys of the zone attributes. */
static const char *const project_keys[W_COUNT] = {
    NULL, NULL,         NULL,         NULL,       NULL,       NULL,
    NULL, "开发区代码", "开发区名称", "核准面积", "主导产业", "级别"};

static const char *field_for(const hegui_layer_info *layer, int what)
{
    const char *mapped = NULL;
    size_t i, k;
    if (layer->spec && zone_keys[what])
        mapped = hegui_layer_field(layer->spec, zone_keys[what]);
    for (k = 0; k < layer->field_count; k++) {
        if (mapped && hegui_str_iequal(layer->fields[k], mapped))
            return layer->fields[k];
    }
    for (i = 0; candidates[what][i]; i++) {
        for (k = 0; k < layer->field_count; k++) {
            if (hegui_str_iequal(layer->fields[k], candidates[what][i]))
                return layer->fields[k];
        }
    }
    return NULL;
}

/* Appends s with the characters that would break a line of the format
 * (commas, line ends) replaced: commas by "；". *changed is set then. */
static void put_text(hegui_buf *b, const char *s, bool *changed)
{
    for (; s && *s; s++) {
        if (*s == ',' || (strncmp(s, "\xEF\xBC\x8C", 3) == 0)) {
            hegui_buf_puts(b, "\xEF\xBC\x9B");
            *changed = true;
            if (*s != ',')
                s += 2;
        } else if (*s == '\n' || *s == '\r') {
            hegui_buf_putc(b, ' ');
            *changed = true;
        } else {
            hegui_buf_putc(b, *s);
        }
    }
}

/* The zone attributes shared by all features: first value, and whether
 * another feature disagreed. Industries are the union of all features'. */
typedef struct zone_values {
    char *value[W_COUNT];
    bool varies[W_COUNT];
    hegui_buf industries; /* labels separated by 、 */
} zone_values;

/* Adds the labels of a leading-industries text (separated by 、 , ， ;)
 * that are not in the union yet. */
static int add_industries(zone_values *z, const char *text)
{
    const char *s = text;
    while (*s) {
        size_t n = 0;
        char *label;
        const char *have;
        bool found = false;
        while (*s == ' ' || *s == ',' || *s == ';' || strncmp(s, "\xE3\x80\x81", 3) == 0 ||
               strncmp(s, "\xEF\xBC\x8C", 3) == 0 || strncmp(s, "\xEF\xBC\x9B", 3) == 0)
            s += (unsigned char)*s < 0x80 ? 1 : 3;
        while (s[n] && s[n] != ',' && s[n] != ';' && strncmp(s + n, "\xE3\x80\x81", 3) != 0 &&
               strncmp(s + n, "\xEF\xBC\x8C", 3) != 0 && strncmp(s + n, "\xEF\xBC\x9B", 3) != 0)
            n++;
        while (n > 0 && s[n - 1] == ' ')
            n--;
        if (n == 0) {
            if (*s)
                s++;
            continue;
        }
        label = hegui_strndup(s, n);
        if (!label)
            return HEGUI_ENOMEM;
        /* is it in the union already? (labels are whole items between 、) */
        have = hegui_buf_cstr(&z->industries);
        while (*have && !found) {
            const char *sep = strstr(have, "\xE3\x80\x81");
            size_t len = sep ? (size_t)(sep - have) : strlen(have);
            found = len == n && memcmp(have, label, n) == 0;
            have += len + (sep ? 3 : 0);
        }
        if (!found) {
            if (z->industries.len)
                hegui_buf_puts(&z->industries, "\xE3\x80\x81");
            hegui_buf_puts(&z->industries, label);
        }
        hegui_free(label);
        s += n;
    }
    return z->industries.failed ? HEGUI_ENOMEM : HEGUI_OK;
}

static int note_zone_values(zone_values *z, char *const *values)
{
    int w;
    for (w = W_ZONE_CODE; w < W_COUNT; w++) {
        const char *v = values[w] ? values[w] : "";
        if (w == W_INDUSTRIES) {
            if (add_industries(z, v) < 0)
                return HEGUI_ENOMEM;
            continue;
        }
        if (!z->value[w]) {
            z->value[w] = hegui_strdup(v);
            if (!z->value[w])
                return HEGUI_ENOMEM;
        } else if (strcmp(z->value[w], v) != 0) {
            z->varies[w] = true;
        }
    }
    return HEGUI_OK;
}

/* One ring: closed, oriented (clockwise for shells), as point lines;
 * *area_m2 gets the area of the ring as written (rounded coordinates), so
 * that 地块面积 agrees with what a reader of the file computes. */
static int put_ring(hegui_buf *b, OGRGeometryH ring, bool hole, int ring_number, int precision,
                    size_t *point_no, size_t *lines, double *area_m2)
{
    int n = OGR_G_GetPointCount(ring), i;
    double *xy, scale = pow(10.0, precision);
    size_t count, k, first_no, at;
    bool reverse;
    *area_m2 = 0;
    if (n < 3)
        return 0; /* nothing to write */
    xy = hegui_malloc(((size_t)n + 1) * 2 * sizeof(double));
    if (!xy)
        return HEGUI_ENOMEM;
    for (i = 0, at = 0; i < n; i++, at += 2) {
        xy[at] = round(OGR_G_GetX(ring, i) * scale) / scale;
        xy[at + 1] = round(OGR_G_GetY(ring, i) * scale) / scale;
    }
    count = (size_t)n;
    if (xy[0] != xy[2 * (count - 1)] || xy[1] != xy[2 * (count - 1) + 1]) {
        xy[2 * count] = xy[0];
        xy[2 * count + 1] = xy[1];
        count++;
    }
    if (count < 4) {
        hegui_free(xy);
        return 0;
    }
    /* clockwise: negative signed area in (easting, northing) */
    *area_m2 = io_ring_area(xy, count);
    reverse = hole ? *area_m2 < 0 : *area_m2 > 0;
    *area_m2 = fabs(*area_m2);
    first_no = *point_no + 1;
    for (k = 0; k < count; k++) {
        size_t from = reverse ? count - 1 - k : k;
        bool closing = k == count - 1;
        size_t no = closing ? first_no : ++*point_no;
        /* X = northing, Y = easting */
        hegui_buf_printf(b, "J%zu,%d,%.*f,%.*f\r\n", no, ring_number, precision, xy[2 * from + 1],
                         precision, xy[2 * from]);
        (*lines)++;
    }
    hegui_free(xy);
    return 1;
}

/* The parcel of one feature into b: its header, then its point lines.
 * 地块面积 is the layer's declared area unless computed_area (or the layer
 * has none), else the planar area of the rings written. Returns 1 when
 * written, 0 when the feature has no polygon. */
static int put_parcel(hegui_buf *b, OGRGeometryH geom, char *const *values, size_t index,
                      int precision, bool computed_area, bool *text_changed)
{
    OGRGeometryH multi = NULL;
    hegui_buf points = HEGUI_BUF_INIT;
    size_t point_no = 0, lines = 0;
    double area_m2 = 0, declared;
    int parts, p, r, hole_no = 1, rc = 0, written;
    char *end;

    multi = OGR_G_ForceToMultiPolygon(OGR_G_Clone(geom));
    if (!multi || OGR_GT_Flatten(OGR_G_GetGeometryType(multi)) != wkbMultiPolygon)
        goto done;
    parts = OGR_G_GetGeometryCount(multi);
    for (p = 0; p < parts; p++) {
        OGRGeometryH poly = OGR_G_GetGeometryRef(multi, p);
        int rings = OGR_G_GetGeometryCount(poly);
        for (r = 0; r < rings; r++) {
            double ring_m2;
            written = put_ring(&points, OGR_G_GetGeometryRef(poly, r), r > 0, r > 0 ? ++hole_no : 1,
                               precision, &point_no, &lines, &ring_m2);
            if (written < 0) {
                rc = written;
                goto done;
            }
            if (written == 0 && r == 0)
                break; /* a shell with no area: the part is left out */
            area_m2 += r > 0 ? -ring_m2 : ring_m2;
        }
    }
    if (lines == 0)
        goto done;
    declared = area_m2 / 10000.0;
    if (!computed_area && values[W_AREA] && *values[W_AREA]) {
        double v = strtod(values[W_AREA], &end);
        if (*end == '\0' && isfinite(v))
            declared = v;
    }
    hegui_buf_printf(b, "%zu,%.4f,", lines, declared);
    if (values[W_ID] && *values[W_ID])
        put_text(b, values[W_ID], text_changed);
    else
        hegui_buf_printf(b, "%zu", index + 1);
    hegui_buf_putc(b, ',');
    put_text(b, values[W_NAME], text_changed);
    hegui_buf_putc(b, ',');
    put_text(b, values[W_SHAPE] && *values[W_SHAPE] ? values[W_SHAPE] : "面", text_changed);
    hegui_buf_putc(b, ',');
    put_text(b, values[W_SHEET], text_changed);
    hegui_buf_putc(b, ',');
    put_text(b, values[W_USE], text_changed);
    hegui_buf_putc(b, ',');
    put_text(b, values[W_CLASS], text_changed);
    hegui_buf_puts(b, ",@\r\n");
    hegui_buf_put(b, hegui_buf_cstr(&points), points.len);
    rc = points.failed ? HEGUI_ENOMEM : 1;
done:
    if (multi)
        OGR_G_DestroyGeometry(multi);
    hegui_buf_release(&points);
    return rc;
}

/* The target CRS: the layer's datum (CGCS2000 unless Xian 1980 or Beijing
 * 1954), the zone asked for, else the layer's, else that of its centre. */
static int target_epsg(int *out_epsg, int *out_zone, int *out_width, hegui_datum *out_datum,
                       const hegui_layer_info *layer, int zone)
{
    hegui_crs_info crs = layer->crs;
    char definition[32];
    int width;
    if (io_layer_reinterpreted(layer)) {
        /* read in the CRS the coordinates suggest, as the reader does */
        snprintf(definition, sizeof(definition), "EPSG:%d", layer->coord_check.suggested_epsg);
        if (hegui_crs_describe(&crs, definition) < 0)
            return HEGUI_ECRS;
    }
    *out_datum = crs.datum == HEGUI_DATUM_XIAN80 || crs.datum == HEGUI_DATUM_BEIJING54
                     ? crs.datum
                     : HEGUI_DATUM_CGCS2000;
    if (!zone && crs.gk_width && crs.gk_zone && !crs.geographic)
        zone = crs.gk_zone;
    if (!zone) {
        double lon_min, lon_max;
        int rc = hegui_layer_lon_range(&lon_min, &lon_max, layer);
        if (rc < 0)
            return rc;
        zone = hegui_crs_gk3_zone((lon_min + lon_max) / 2.0);
    }
    width = zone >= 25 && zone <= 45 ? 3 : zone >= 13 && zone <= 23 ? 6 : 0;
    *out_epsg = width ? hegui_crs_gk_epsg(*out_datum, width, zone, true) : 0;
    if (!*out_epsg)
        return hegui_error_set(HEGUI_ECRS,
                               "zone %d is no Gauss-Kruger zone of China (3-degree zones 25-45, "
                               "6-degree zones 13-23)",
                               zone);
    *out_zone = zone;
    *out_width = width;
    return HEGUI_OK;
}

/* Converts UTF-8 text to GB18030 (a superset of GBK with the same bytes for
 * every GBK character). */
static int to_gb18030(char **out, size_t *out_len, const char *text, size_t len)
{
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    char *in = (char *)text, *dst, *buf;
    size_t in_left = len, out_left, cap = 2 * len + 16;
    if (cd == (iconv_t)-1)
        return hegui_error_set(HEGUI_EINTERNAL, "iconv has no GB18030 converter");
    buf = hegui_malloc(cap);
    if (!buf) {
        iconv_close(cd);
        return HEGUI_ENOMEM;
    }
    dst = buf;
    out_left = cap;
    if (iconv(cd, &in, &in_left, &dst, &out_left) == (size_t)-1) {
        iconv_close(cd);
        hegui_free(buf);
        return hegui_error_set(HEGUI_EINTERNAL, "cannot encode the text as GB18030: %s",
                               strerror(errno));
    }
    iconv_close(cd);
    *out = buf;
    *out_len = (size_t)(dst - buf);
    return HEGUI_OK;
}

/* Writes len bytes to path through a temporary file and a rename. */
static int write_atomically(const char *path, const char *data, size_t len)
{
    char *tmp = hegui_sprintf("%s.tmp%ld", path, (long)getpid());
    FILE *f;
    int rc = HEGUI_OK;
    if (!tmp)
        return HEGUI_ENOMEM;
    f = fopen(tmp, "wb");
    if (!f) {
        rc = hegui_error_set(HEGUI_EOUTPUT, "%s: cannot write: %s", path, strerror(errno));
        goto done;
    }
    if (fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        rc = hegui_error_set(HEGUI_EOUTPUT, "%s: cannot write: %s", path, strerror(errno));
        remove(tmp);
        goto done;
    }
    if (rename(tmp, path) != 0) {
        rc = hegui_error_set(HEGUI_EOUTPUT, "%s: cannot rename the temporary file: %s", path,
                             strerror(errno));
        remove(tmp);
    }
done:
    hegui_free(tmp);
    return rc;
}

static const char *datum_text(hegui_datum datum)
{
    switch (datum) {
    case HEGUI_DATUM_XIAN80:
        return "1980西安坐标系";
    case HEGUI_DATUM_BEIJING54:
        return "1954北京坐标系";
    default:
        return "2000国家大地坐标系";
    }
}

int hegui_txt_write_layer(hegui_txt_write_result *result, const hegui_layer_info *layer,
                          const char *path, const hegui_txt_write_options *options)
{
    hegui_txt_write_options defaults;
    hegui_txt_write_result local;
    const char *fields[W_COUNT];
    hegui_reader *reader = NULL;
    hegui_feature feature;
    hegui_buf head = HEGUI_BUF_INIT, parcels = HEGUI_BUF_INIT, notes = HEGUI_BUF_INIT;
    zone_values zone;
    char *encoded = NULL, date[16];
    size_t encoded_len = 0, index = 0;
    int rc, got, epsg = 0, zone_no = 0, width = 0, precision, w;
    hegui_datum datum = HEGUI_DATUM_CGCS2000;
    bool text_changed = false, gbk;
    time_t when;
    struct tm tm;

    memset(&defaults, 0, sizeof(defaults));
    defaults.precision = -1;
    if (!options)
        options = &defaults;
    if (!result)
        result = &local;
    memset(result, 0, sizeof(*result));
    memset(&zone, 0, sizeof(zone));
    precision = options->precision < 0 ? 3 : options->precision;
    if (precision > 9)
        return hegui_error_set(HEGUI_EINVAL, "--precision %d: at most 9 decimals", precision);
    gbk = options->encoding && !hegui_str_iequal(options->encoding, "UTF-8") &&
          !hegui_str_iequal(options->encoding, "UTF8");
    if (gbk && !hegui_str_iequal(options->encoding, "GBK") &&
        !hegui_str_iequal(options->encoding, "GB18030"))
        return hegui_error_set(HEGUI_EINVAL, "encoding '%s': hegui writes GBK or UTF-8",
                               options->encoding);
    if (target_epsg(&epsg, &zone_no, &width, &datum, layer, options->zone) < 0)
        return hegui_error_prefix("%s", layer->path);
    result->epsg = epsg;
    for (w = 0; w < W_COUNT; w++)
        fields[w] = field_for(layer, w);
    if ((rc = hegui_reader_open(&reader, layer, fields, W_COUNT, epsg, NULL)) < 0)
        goto done;
    while ((got = hegui_reader_next(reader, &feature)) == 1) {
        OGRGeometryH geom = NULL;
        int put = 0;
        if (feature.wkb && !(feature.problems & HEGUI_FEATURE_NONFINITE) &&
            OGR_G_CreateFromWkb(feature.wkb, NULL, &geom, (int)feature.wkb_size) == OGRERR_NONE) {
            put = put_parcel(&parcels, geom, feature.values, index, precision,
                             options->computed_area, &text_changed);
            OGR_G_DestroyGeometry(geom);
        }
        if (put < 0) {
            rc = put;
            goto done;
        }
        if (put == 0) {
            result->skipped++;
            continue;
        }
        result->parcels++;
        index++;
        if ((rc = note_zone_values(&zone, feature.values)) < 0)
            goto done;
    }
    if (got < 0) {
        rc = got;
        goto done;
    }

    /* [属性描述] */
    when = (time_t)options->timestamp;
    if (!gmtime_r(&when, &tm) || strftime(date, sizeof(date), "%Y-%m-%d", &tm) == 0)
        snprintf(date, sizeof(date), "1970-01-01");
    hegui_buf_printf(&head,
                     "[属性描述]\r\n格式版本号=1.01版本\r\n数据产生单位=\r\n数据产生日期=%s\r\n"
                     "坐标系=%s\r\n几度分带=%d\r\n投影类型=高斯克吕格\r\n计量单位=米\r\n带号=%d\r\n"
                     "精度=%.*f\r\n转换参数=,,,,,,\r\n",
                     date, datum_text(datum), width, zone_no, precision, pow(10.0, -precision));
    /* [项目信息]: zone attributes every feature shares */
    {
        bool any = zone.industries.len > 0;
        for (w = W_ZONE_CODE; w < W_COUNT; w++)
            any = any || (w != W_INDUSTRIES && zone.value[w] && *zone.value[w] && !zone.varies[w]);
        if (any)
            hegui_buf_puts(&head, "[项目信息]\r\n");
        for (w = W_ZONE_CODE; w < W_COUNT; w++) {
            const char *v = w == W_INDUSTRIES ? hegui_buf_cstr(&zone.industries) : zone.value[w];
            if (zone.varies[w]) {
                hegui_buf_printf(&notes,
                                 "%s%s (%s) differs between features and is not written "
                                 "(a boundary-point file carries one zone)",
                                 notes.len ? "; " : "", project_keys[w],
                                 fields[w] ? fields[w] : "?");
                continue;
            }
            if (!v || !*v)
                continue;
            hegui_buf_printf(&head, "%s=", project_keys[w]);
            put_text(&head, v, &text_changed);
            hegui_buf_puts(&head, "\r\n");
        }
    }
    hegui_buf_puts(&head, "[地块坐标]\r\n");
    hegui_buf_put(&head, hegui_buf_cstr(&parcels), parcels.len);
    if (text_changed)
        hegui_buf_printf(&notes,
                         "%scommas and line ends inside attribute values were written "
                         "as '；' and spaces",
                         notes.len ? "; " : "");
    if (head.failed || notes.failed) {
        rc = hegui_error_set(HEGUI_ENOMEM, "out of memory writing %s", path);
        goto done;
    }
    snprintf(result->notes, sizeof(result->notes), "%s", hegui_buf_cstr(&notes));
    if (gbk) {
        if ((rc = to_gb18030(&encoded, &encoded_len, hegui_buf_cstr(&head), head.len)) < 0)
            goto done;
        rc = write_atomically(path, encoded, encoded_len);
    } else {
        rc = write_atomically(path, hegui_buf_cstr(&head), head.len);
    }
done:
    hegui_reader_close(reader);
    for (w = 0; w < W_COUNT; w++)
        hegui_free(zone.value[w]);
    hegui_buf_release(&zone.industries);
    hegui_buf_release(&head);
    hegui_buf_release(&parcels);
    hegui_buf_release(&notes);
    hegui_free(encoded);
    return rc;
}
