/*
 * io/shapelib.c - what hegui asks shapelib (Debian libshp) directly, for
 * what GDAL 3.6 does not expose of a Shapefile: its records marked deleted
 * in the .dbf, and the hooks every shapelib call here goes through.
 *
 * shapelib is the code GDAL's Shapefile driver is built on. Its messages go
 * to a buffer of the calling thread (io_shapelib_message), never to stderr:
 * the core never prints.
 */
#include <stdio.h>
#include <string.h>

#include "io/io_internal.h"

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
