/*
 * io/shapelib.c - what hegui asks shapelib (Debian libshp) directly, for
 * what GDAL 3.6 does not expose of a Shapefile: its records marked deleted
 * in the .dbf, whether its spatial index still matches it, and the hooks
 * every shapelib call here goes through.
 *
 * shapelib is the code GDAL's Shapefile driver is built on. Its messages go
 * to a buffer of the calling thread (io_shapelib_message), never to stderr:
 * the core never prints.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "io/io_internal.h"

/* A .shp written this long after its index still counts as indexed: GDAL
 * writes the .qix when it closes a new file, then the .shp's header. */
#define INDEX_MTIME_SLACK_S 5

static _Thread_local char shapelib_message[256];

static void keep_message(const char *message)
{
    snprintf(shapelib_message, sizeof(shapelib_message), "%s", message);
}

void io_shapelib_hooks(SAHooks *hooks)
{
    SASetupDefaultHooks(hooks);
    hooks->Error = keep_message;
    shapelib_message[0] = '\0';
}

const char *io_shapelib_message(void)
{
    return shapelib_message;
}

int64_t io_shp_deleted_records(const char *shp_path)
{
    SAHooks hooks;
    DBFHandle dbf;
    int64_t deleted = 0;
    int i, count;
    io_shapelib_hooks(&hooks);
    dbf = DBFOpenLL(shp_path, "rb", &hooks); /* the .dbf (or .DBF) beside it */
    if (!dbf)
        return -1;
    count = DBFGetRecordCount(dbf);
    for (i = 0; i < count && !shapelib_message[0]; i++)
        deleted += DBFIsRecordDeleted(dbf, i) != 0;
    DBFClose(dbf);
    return shapelib_message[0] ? -1 : deleted;
}

char *io_shp_sibling(const char *shp_path, const char *ext)
{
    size_t n = strlen(shp_path), i;
    char *sibling;
    if (n < 4 || strlen(ext) != 3 || hegui_strcasecmp(shp_path + n - 4, ".shp") != 0)
        return NULL;
    if (!(sibling = hegui_strdup(shp_path)))
        return NULL;
    for (i = 0; i < 3; i++) /* GDAL looks for the .shp's case */
        sibling[n - 3 + i] = shp_path[n - 3] == 'S' ? (char)(ext[i] - 'a' + 'A') : ext[i];
    return sibling;
}

/* The index GDAL would use for shp_path's spatial filters (a .qix before
 * a .sbn, as GDAL looks), with its stat and whether it is the .qix, or
 * NULL. */
static char *index_of(const char *shp_path, struct stat *sb, bool *is_qix)
{
    static const char *const kinds[] = {"qix", "sbn"};
    size_t k;
    for (k = 0; k < 2; k++) {
        char *path = io_shp_sibling(shp_path, kinds[k]);
        if (path && stat(path, sb) == 0) {
            *is_qix = k == 0;
            return path;
        }
        hegui_free(path);
    }
    return NULL;
}

/* The records a .qix was built over, from its header ("SQT", byte order
 * 1 LSB or 2 MSB, version, 3 reserved, then the count), or -1 (an older
 * .qix without that header, or unreadable). */
static int64_t qix_records(const char *qix_path)
{
    unsigned char h[12];
    FILE *f = fopen(qix_path, "rb");
    bool ok = f && fread(h, 1, sizeof(h), f) == sizeof(h) && memcmp(h, "SQT", 3) == 0 &&
              (h[3] == 1 || h[3] == 2);
    if (f)
        fclose(f);
    if (!ok)
        return -1;
    return h[3] == 1 ? (int64_t)((uint32_t)h[8] | (uint32_t)h[9] << 8 | (uint32_t)h[10] << 16 |
                                 (uint32_t)h[11] << 24)
                     : (int64_t)((uint32_t)h[11] | (uint32_t)h[10] << 8 | (uint32_t)h[9] << 16 |
                                 (uint32_t)h[8] << 24);
}

bool io_shp_index_stale(const char *shp_path, char *why, size_t why_size)
{
    struct stat index_sb, shp_sb, shx_sb;
    char *index, *shx;
    bool stale = false, is_qix = false;
    int64_t records = -1, indexed;
    why[0] = '\0';
    if (!(index = index_of(shp_path, &index_sb, &is_qix)))
        return false;
    shx = io_shp_sibling(shp_path, "shx");
    if (stat(shp_path, &shp_sb) == 0 && shx && stat(shx, &shx_sb) == 0 && shx_sb.st_size >= 100)
        records = (int64_t)(shx_sb.st_size - 100) / 8; /* 8 bytes a record after the header */
    if (is_qix && records >= 0 && (indexed = qix_records(index)) >= 0 && indexed != records) {
        snprintf(why, why_size, "%s indexes %lld records, the .shp has %lld", index,
                 (long long)indexed, (long long)records);
        stale = true;
    } else if (records >= 0 && shp_sb.st_mtime > index_sb.st_mtime + INDEX_MTIME_SLACK_S) {
        snprintf(why, why_size, "%s is %lld s older than the .shp", index,
                 (long long)(shp_sb.st_mtime - index_sb.st_mtime));
        stale = true;
    }
    hegui_free(shx);
    hegui_free(index);
    return stale;
}
