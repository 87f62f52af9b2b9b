/*
 * inputs.c - parsing of the input options shared by the commands that read
 * layers, and loading rules and catalog from them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/inputs.h"
#include "cli/output.h"

/* Value of the option at argv[*i]; NULL (after an error) when missing. */
static const char *option_value(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) {
        cli_error("option %s needs a value", argv[*i]);
        return NULL;
    }
    return argv[++*i];
}

int cli_inputs_option(cli_inputs *in, int argc, char **argv, int *i)
{
    const char *arg = argv[*i], *v;
    if (strcmp(arg, "-c") == 0 || strcmp(arg, "--rules") == 0) {
        if (!(v = option_value(argc, argv, i)))
            return -1;
        in->rules_path = v;
    } else if (strcmp(arg, "-r") == 0 || strcmp(arg, "--recursive") == 0) {
        in->open.recursive = 1;
    } else if (strcmp(arg, "-s_srs") == 0) {
        if (!(v = option_value(argc, argv, i)))
            return -1;
        in->open.assign_srs = v;
    } else if (strcmp(arg, "-t_srs") == 0) {
        if (!(v = option_value(argc, argv, i)))
            return -1;
        in->t_srs = v;
    } else if (strcmp(arg, "--input-encoding") == 0) {
        if (!(v = option_value(argc, argv, i)))
            return -1;
        in->open.input_encoding = v;
    } else if (strcmp(arg, "-oo") == 0) {
        if (!(v = option_value(argc, argv, i)))
            return -1;
        if (!strchr(v, '=') || in->open_option_count + 1 >= 32) {
            cli_error("-oo takes NAME=VALUE (at most 31 of them), got '%s'", v);
            return -1;
        }
        in->open_options[in->open_option_count++] = v;
        in->open_options[in->open_option_count] = NULL;
        in->open.open_options = in->open_options;
    } else if (strcmp(arg, "--config") == 0) {
        if (*i + 2 >= argc) {
            cli_error("--config needs KEY VALUE");
            return -1;
        }
        if (hegui_io_set_config_option(argv[*i + 1], argv[*i + 2]) < 0) {
            cli_error("%s", hegui_error_last());
            return -1;
        }
        *i += 2;
    } else {
        return 0;
    }
    return 1;
}

int cli_inputs_argument(cli_inputs *in, cli_output *output, int argc, char **argv, int *i,
                        const char *command)
{
    int rc = cli_inputs_option(in, argc, argv, i);
    if (rc == 0 && output)
        rc = cli_output_option(output, argc, argv, i);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    if (argv[*i][0] == '-' && argv[*i][1] != '\0') {
        cli_error("unknown option '%s' for %s", argv[*i], command);
        return -1;
    }
    return cli_inputs_add_path(in, argv[*i]);
}

int cli_inputs_add_path(cli_inputs *in, const char *path)
{
    const char **grown = realloc((void *)in->paths, (in->path_count + 1) * sizeof(*grown));
    if (!grown) {
        cli_error("out of memory");
        return -1;
    }
    in->paths = grown;
    in->paths[in->path_count++] = path;
    return 0;
}

int cli_inputs_load(cli_inputs *in)
{
    int rc;
    if (in->rules_path)
        rc = hegui_config_load(&in->config, in->rules_path);
    else
        rc = hegui_config_default(&in->config);
    if (rc == HEGUI_OK && in->t_srs)
        rc = hegui_config_set_working_crs(in->config, in->t_srs);
    if (rc < 0)
        return cli_fail(rc);
    if (in->path_count == 0 && in->config->layer_count == 0) {
        cli_error("no input: give a folder or files (or a rules file that names layers)");
        return CLI_EXIT_INCOMPLETE;
    }
    rc = hegui_catalog_scan(&in->catalog, in->paths, in->path_count, &in->open, in->config);
    if (rc < 0)
        return cli_fail(rc);
    return 0;
}

void cli_inputs_release(cli_inputs *in)
{
    hegui_catalog_free(in->catalog);
    hegui_config_free(in->config);
    free((void *)in->paths);
    memset(in, 0, sizeof(*in));
}

void cli_inputs_help(FILE *out, bool with_t_srs)
{
    fputs("Input options:\n"
          "  -c, --rules FILE        rules file (YAML); default: the built-in rules\n"
          "  -r, --recursive         also read the sub-folders of a folder\n"
          "  -s_srs CRS              CRS for every layer without one (e.g. EPSG:4526)\n",
          out);
    if (with_t_srs)
        fputs("  -t_srs CRS              working CRS every layer is brought into and measured\n"
              "                          in, over the rules file's working_crs: projected, in\n"
              "                          metres (e.g. EPSG:4527); default: from the zones\n",
              out);
    fputs("  --input-encoding ENC    auto (default), GBK, GB18030, UTF-8, … for shapefiles\n"
          "                          that declare no encoding (.cpg / DBF language id)\n"
          "  -oo NAME=VALUE          GDAL dataset open option (repeatable)\n"
          "  --config KEY VALUE      GDAL configuration option\n",
          out);
}
