/*
 * hash.c - SHA-256 of input datasets, so a report names exactly which bytes
 * it was computed from.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "io/io_internal.h"

/* Hashes one file into s; missing optional files are skipped. */
static int hash_file(hegui_sha256 *s, const char *path, bool required)
{
    unsigned char chunk[65536];
    size_t n;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (!required)
            return HEGUI_OK;
        return hegui_error_set(HEGUI_EINPUT, "%s: cannot read to hash it", path);
    }
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        hegui_sha256_update(s, chunk, n);
    fclose(f);
    return HEGUI_OK;
}

int hegui_io_sha256(char out_hex[65], const char *path)
{
    static const char *const parts[] = {".shx", ".dbf", ".prj", ".cpg", NULL};
    hegui_sha256 s;
    struct stat sb;
    int rc, i;
    out_hex[0] = '\0';
    if (hegui_str_istarts(path, "PG:") || stat(path, &sb) != 0 || S_ISDIR(sb.st_mode))
        return HEGUI_OK; /* connection strings and FileGDB folders: no single file */
    hegui_sha256_init(&s);
    if ((rc = hash_file(&s, path, true)) < 0)
        return rc;
    if (hegui_str_iends(path, ".shp")) {
        size_t stem = strlen(path) - 4;
        for (i = 0; parts[i]; i++) {
            char *sib = hegui_sprintf("%.*s%s", (int)stem, path, parts[i]);
            if (!sib)
                return HEGUI_ENOMEM;
            rc = hash_file(&s, sib, false);
            hegui_free(sib);
            if (rc < 0)
                return rc;
        }
    }
    hegui_sha256_final_hex(&s, out_hex);
    return HEGUI_OK;
}
