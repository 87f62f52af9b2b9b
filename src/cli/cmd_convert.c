/*
 * cmd_convert.c - `hegui convert IN OUT`: a boundary-point TXT (界址点坐标
 * 文件) to any GDAL vector format, and any polygon layer to a
 * boundary-point TXT. The work is in libhegui (io/txt_write.c,
 * io/convert.c); this file parses, picks the layer and reports.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/inputs.h"
#include "cli/output.h"
#include "hegui/io.h"
#include "hegui/txt.h"
#include "util/util.h"

static void help(FILE *out)
{
    fputs("usage: hegui convert [options] IN OUT\n\n"
          "Converts a boundary-point coordinate file (界址点坐标 TXT) to any GDAL vector\n"
          "format, and any polygon layer to a boundary-point TXT (OUT ending in .txt, or\n"
          "-f TXT). IN is anything 'hegui layers' reads.\n\n"
          "Options:\n"
          "  -f FORMAT              GDAL driver of OUT (GPKG, \"ESRI Shapefile\", GeoJSON, …)\n"
          "                         or TXT; default: from the extension of OUT\n"
          "  -l, --layer NAME       the layer of IN (default: its only layer, else its one\n"
          "                         zones layer)\n"
          "  --overwrite            replace OUT when it exists\n"
          "  -t_srs CRS             reproject OUT into CRS (e.g. EPSG:4490); a TXT takes\n"
          "                         --zone instead\n"
          "TXT output:\n"
          "  --zone N               Gauss-Kruger zone to write in: 25-45 a 3-degree zone,\n"
          "                         13-23 a 6-degree zone (default: the layer's own zone,\n"
          "                         else the 3-degree zone of its centre); eastings carry\n"
          "                         the zone prefix\n"
          "  --precision N          decimals of the coordinates (default 3: 精度=0.001)\n"
          "  --encoding GBK|UTF-8   text encoding (default UTF-8; GBK is written as GB18030,\n"
          "                         which has the same bytes for every GBK character)\n"
          "  --computed-area        地块面积 from the coordinates even when the layer declares\n"
          "                         an area (DKMJ, QKMJ, 地块面积)\n",
          out);
    cli_inputs_help(out, false);
    fputc('\n', out);
    cli_print_exit_codes(out, CLI_EXITS_DONE);
}

/* Whole number in [lo, hi] from text; -1 after an error. */
static int int_option(const char *name, const char *text, int lo, int hi)
{
    char *end;
    long v = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || v < lo || v > hi) {
        cli_error("%s takes a whole number from %d to %d, got '%s'", name, lo, hi, text);
        return -1;
    }
    return (int)v;
}

/* The layer to convert: the one named, the only one, or the one zones layer. */
static const hegui_layer_info *pick_layer(const hegui_catalog *cat, const char *name)
{
    const hegui_layer_info *found = NULL;
    size_t i, zones = 0;
    for (i = 0; i < cat->count; i++) {
        if (name && strcmp(cat->layers[i].layer_name, name) == 0)
            return &cat->layers[i];
    }
    if (name) {
        cli_error("the input has no layer named '%s'; 'hegui layers' lists them", name);
        return NULL;
    }
    if (cat->count == 1)
        return &cat->layers[0];
    for (i = 0; i < cat->count; i++) {
        if (cat->layers[i].role == HEGUI_ROLE_ZONES) {
            found = &cat->layers[i];
            zones++;
        }
    }
    if (zones == 1)
        return found;
    cli_error("the input has %zu layers; say which one with -l (see 'hegui layers')", cat->count);
    return NULL;
}

int cli_cmd_convert(int argc, char **argv)
{
    cli_inputs in;
    hegui_txt_write_options txt;
    hegui_txt_write_result result;
    const hegui_layer_info *layer;
    const char *format = NULL, *layer_name = NULL, *out_path = NULL, *t_srs = NULL, *v;
    int i, rc, overwrite = 0, to_txt;
    size_t n, errors = 0;

    memset(&in, 0, sizeof(in));
    memset(&txt, 0, sizeof(txt));
    txt.precision = -1;
    for (i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (cli_is_help(arg)) {
            help(stdout);
            cli_inputs_release(&in);
            return CLI_EXIT_OK;
        }
        v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(arg, "-f") == 0 || strcmp(arg, "-l") == 0 || strcmp(arg, "--layer") == 0 ||
            strcmp(arg, "--zone") == 0 || strcmp(arg, "--precision") == 0 ||
            strcmp(arg, "--encoding") == 0 || strcmp(arg, "-t_srs") == 0) {
            if (!v) {
                cli_error("option %s needs a value", arg);
                goto usage;
            }
            i++;
            if (strcmp(arg, "-f") == 0) {
                format = v;
            } else if (arg[1] == 'l' || strcmp(arg, "--layer") == 0) {
                layer_name = v;
            } else if (strcmp(arg, "--encoding") == 0) {
                txt.encoding = v;
            } else if (strcmp(arg, "-t_srs") == 0) {
                t_srs = v;
            } else {
                int zone = strcmp(arg, "--zone") == 0;
                int value = zone ? int_option(arg, v, 13, 45) : int_option(arg, v, 0, 9);
                if (value < 0)
                    goto usage;
                *(zone ? &txt.zone : &txt.precision) = value;
            }
            continue;
        }
        if (strcmp(arg, "--overwrite") == 0) {
            overwrite = 1;
            continue;
        }
        if (strcmp(arg, "--computed-area") == 0) {
            txt.computed_area = true;
            continue;
        }
        if ((rc = cli_inputs_option(&in, argc, argv, &i)) < 0)
            goto usage;
        if (rc > 0)
            continue;
        if (arg[0] == '-' && arg[1] != '\0') {
            cli_error("unknown option '%s' for convert", arg);
            goto usage;
        }
        if (in.path_count == 0) {
            if (cli_inputs_add_path(&in, arg) < 0)
                goto usage;
        } else if (!out_path) {
            out_path = arg;
        } else {
            cli_error("convert takes one input and one output, got a third: '%s'", arg);
            goto usage;
        }
    }
    if (!out_path) {
        cli_error("convert needs IN and OUT");
        goto usage;
    }
    if ((rc = cli_inputs_load(&in)) != 0) {
        cli_inputs_release(&in);
        return rc;
    }
    /* the catalog's notes are about roles, which do not matter here */
    if (!(layer = pick_layer(in.catalog, layer_name))) {
        cli_inputs_release(&in);
        return CLI_EXIT_INCOMPLETE;
    }
    for (n = 0; n < layer->txt_problem_count; n++)
        errors += layer->txt_problems[n].severity == HEGUI_SEVERITY_ERROR;
    if (layer->txt_problem_count)
        cli_warning("%s has %zu format problems (%zu errors); 'hegui validate %s' lists them",
                    layer->path, layer->txt_problem_count, errors, layer->path);
    to_txt = format ? hegui_str_iequal(format, "TXT") : hegui_str_iends(out_path, ".txt");
    if (to_txt && t_srs) {
        cli_error("-t_srs: a boundary-point TXT is written in a CGCS2000 Gauss-Kruger zone; "
                  "choose it with --zone N");
        cli_inputs_release(&in);
        return CLI_EXIT_INCOMPLETE;
    }
    if (to_txt) {
        FILE *exists = overwrite ? NULL : fopen(out_path, "rb");
        if (exists) {
            fclose(exists);
            cli_error("%s exists; remove it or give --overwrite", out_path);
            cli_inputs_release(&in);
            return CLI_EXIT_INCOMPLETE;
        }
        txt.timestamp = cli_timestamp();
        rc = hegui_txt_write_layer(&result, layer, out_path, &txt);
        if (rc == 0) {
            if (result.notes[0])
                cli_warning("%s", result.notes);
            if (result.skipped)
                cli_warning("%zu features without a polygon were not written", result.skipped);
            fprintf(stderr, "hegui: wrote %zu parcels to %s (EPSG:%d)\n", result.parcels, out_path,
                    result.epsg);
        }
    } else {
        rc = hegui_io_export_layer(layer, out_path, format, overwrite != 0, t_srs);
    }
    if (rc < 0)
        rc = cli_fail(rc);
    cli_inputs_release(&in);
    return rc;
usage:
    cli_inputs_release(&in);
    fputs("run 'hegui convert --help' for the options\n", stderr);
    return CLI_EXIT_INCOMPLETE;
}
