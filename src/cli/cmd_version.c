/*
 * cmd_version.c - `hegui version`: versions of hegui and its libraries.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "hegui/common.h"
#include "hegui/geom.h"
#include "hegui/io.h"

int cli_cmd_version(int argc, char **argv)
{
    if (argc > 1 && cli_is_help(argv[1])) {
        fputs("usage: hegui version\n\nPrints the versions of hegui, GDAL, GEOS and PROJ.\n\n",
              stdout);
        cli_print_exit_codes(stdout, CLI_EXITS_DONE);
        return CLI_EXIT_OK;
    }
    if (argc > 1) {
        cli_error("version takes no arguments");
        return CLI_EXIT_INCOMPLETE;
    }
    printf("hegui %s\nGDAL %s\nGEOS %s\nPROJ %s\n", hegui_version(), hegui_io_gdal_version(),
           hegui_geom_geos_version(), hegui_io_proj_version());
    return CLI_EXIT_OK;
}
