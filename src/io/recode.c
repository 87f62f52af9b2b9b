/*
 * recode.c - shapefile text in a legacy encoding (GBK, GB18030, …) decoded
 * to UTF-8 by hegui, with one iconv descriptor per read. GDAL 3.6 recodes
 * every string itself, opening an iconv descriptor each time (CPLRecode):
 * that was 70 % of reading a GBK shapefile's attributes. Reads that decode
 * here open the dataset with ENCODING= (the bytes as stored).
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <string.h>

#include "io/io_internal.h"

struct io_recoder {
    iconv_t cd;
};

bool io_layer_recodes(const hegui_layer_info *info)
{
    return info->driver && strcmp(info->driver, "ESRI Shapefile") == 0 && info->encoding &&
           *info->encoding && !hegui_str_iequal(info->encoding, "UTF-8") &&
           !hegui_str_iequal(info->encoding, "UTF8") && !(info->spec && info->spec->where);
}

int io_recoder_open(io_recoder **out, const hegui_layer_info *info)
{
    io_recoder *rc;
    *out = NULL;
    if (!io_layer_recodes(info))
        return HEGUI_OK;
    rc = hegui_calloc(1, sizeof(*rc));
    if (!rc)
        return HEGUI_ENOMEM;
    rc->cd = iconv_open("UTF-8", info->encoding);
    if (rc->cd == (iconv_t)-1) {
        hegui_free(rc); /* an encoding iconv does not know: GDAL decodes, as before */
        return HEGUI_OK;
    }
    *out = rc;
    return HEGUI_OK;
}

void io_recoder_close(io_recoder *rc)
{
    if (!rc)
        return;
    iconv_close(rc->cd);
    hegui_free(rc);
}

const char *io_recoder_open_option(const io_recoder *rc, const char *open_option)
{
    return rc ? "ENCODING=" : open_option;
}

/* Makes room for at least need more bytes after *p in *out (of *cap). */
static int grow(char **out, char **p, size_t *cap, size_t *left, size_t need)
{
    size_t used = (size_t)(*p - *out), bigger = 2 * *cap + need;
    char *grown;
    if (*left >= need)
        return HEGUI_OK;
    grown = hegui_realloc(*out, bigger);
    if (!grown)
        return HEGUI_ENOMEM;
    *out = grown;
    *p = grown + used;
    *left = bigger - used - 1; /* room for the NUL */
    *cap = bigger;
    return HEGUI_OK;
}

char *io_iconv_utf8(iconv_t cd, const char *in, size_t size, size_t *out_len, size_t *replaced)
{
    /* UTF-8 takes at most 3 bytes per byte of GBK or GB18030 (U+FFFD for an
     * invalid one, a CJK character for two, 4 for 4): one allocation, usually */
    size_t in_left = size, cap = 3 * size + 1, out_left = cap - 1;
    char *out, *src = (char *)in, *p;
    if (size > (SIZE_MAX - 1) / 3) {
        hegui_error_set(HEGUI_ENOMEM, "the text is too large to decode");
        return NULL;
    }
    out = p = hegui_malloc(cap);
    if (!out)
        return NULL;
    iconv(cd, NULL, NULL, NULL, NULL);
    while (in_left > 0) {
        if (iconv(cd, &src, &in_left, &p, &out_left) != (size_t)-1)
            break;
        if (errno == E2BIG) {
            if (grow(&out, &p, &cap, &out_left, 16) < 0)
                goto fail;
            continue;
        }
        /* EILSEQ or EINVAL: a byte that starts no character here, or a
         * character cut short at the end: U+FFFD, and on with the next */
        if (grow(&out, &p, &cap, &out_left, 3) < 0)
            goto fail;
        memcpy(p, "\xEF\xBF\xBD", 3);
        p += 3;
        out_left -= 3;
        src++;
        in_left--;
        (*replaced)++;
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    *p = '\0';
    *out_len = (size_t)(p - out);
    return out;
fail:
    hegui_free(out);
    return NULL;
}

char *io_recode(io_recoder *rc, const char *s, size_t *replaced)
{
    size_t len;
    *replaced = 0;
    return io_iconv_utf8(rc->cd, s, strlen(s), &len, replaced);
}
