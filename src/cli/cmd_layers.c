/*
 * cmd_layers.c - `hegui layers`: what hegui sees in the inputs: datasets,
 * layers, geometry types, counts, CRS and its contradictions, detected
 * roles with their reasons, text encodings; as text or JSON.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/inputs.h"
#include "hegui/io.h"
#include "util/util.h"

static void help(FILE *out)
{
    fputs("usage: hegui layers [options] DIR|FILE…\n\n"
          "Lists every layer of the inputs with its driver, geometry type, feature\n"
          "count, CRS (EPSG code, zone prefix), extent, detected role and why, text\n"
          "encoding, and any contradiction between the coordinates and the CRS.\n"
          "Every layer is read completely once, so a damaged file is reported here.\n\n"
          "Options:\n"
          "  --json                  print a JSON array instead of text\n",
          out);
    cli_inputs_help(out, true);
    fputc('\n', out);
    cli_print_exit_codes(out, CLI_EXITS_DONE);
}

static void describe_crs(hegui_buf *b, const hegui_layer_info *l)
{
    if (!l->has_crs) {
        hegui_buf_puts(b, "none");
        return;
    }
    if (l->crs.epsg)
        hegui_buf_printf(b, "EPSG:%d ", l->crs.epsg);
    hegui_buf_printf(b, "%s", l->crs.name);
    if (l->crs.gk_width)
        hegui_buf_printf(b, " [%d° GK zone %d, %s]", l->crs.gk_width, l->crs.gk_zone,
                         l->crs.prefixed ? "zone-prefixed eastings" : "no zone prefix");
    if (l->crs_assigned)
        hegui_buf_puts(b, " (assigned)");
}

static void print_text(const hegui_catalog *cat, const hegui_crs_info *work, const char *why)
{
    size_t i;
    for (i = 0; i < cat->count; i++) {
        const hegui_layer_info *l = &cat->layers[i];
        hegui_buf crs = HEGUI_BUF_INIT;
        describe_crs(&crs, l);
        printf("%s\n", l->path);
        printf("  layer     %s (%s)\n", l->layer_name, l->driver);
        printf("  geometry  %s, %lld feature%s\n", l->geometry_type, (long long)l->feature_count,
               l->feature_count == 1 ? "" : "s");
        printf("  CRS       %s\n", hegui_buf_cstr(&crs));
        if (l->has_extent)
            printf("  extent    %.3f, %.3f .. %.3f, %.3f\n", l->extent[0], l->extent[1],
                   l->extent[2], l->extent[3]);
        printf("  role      %s%s%s%s — %s\n", hegui_role_name(l->role),
               l->role ? " (" : "", l->role ? hegui_role_name_zh(l->role) : "",
               l->role ? ")" : "", l->role_reason);
        if (l->label)
            printf("  label     %s\n", l->label);
        printf("  encoding  %s — %s\n", l->encoding, l->encoding_note);
        if (l->coord_check.message[0])
            printf("  CRS PROBLEM %s\n", l->coord_check.message);
        if (l->null_geometries || l->empty_geometries || l->nonfinite_geometries)
            printf("  geometry problems: %lld NULL, %lld empty, %lld with non-finite "
                   "coordinates\n",
                   (long long)l->null_geometries, (long long)l->empty_geometries,
                   (long long)l->nonfinite_geometries);
        if (l->curved_geometries)
            printf("  arcs      %lld features stored as curve geometries, read as polylines\n",
                   (long long)l->curved_geometries);
        if (l->bad_strings)
            printf("  text problems: %lld values are not valid UTF-8 (replaced by U+FFFD)\n",
                   (long long)l->bad_strings);
        if (l->deleted_records)
            printf("  deleted   %lld record%s marked deleted in the .dbf, skipped\n",
                   (long long)l->deleted_records, l->deleted_records == 1 ? "" : "s");
        if (l->spatial_index_stale)
            printf("  index     stale (does not match the %s), not used\n",
                   strcmp(l->driver, "GPKG") == 0 ? "layer" : ".shp");
        hegui_buf_release(&crs);
    }
    if (work)
        printf("\nworking CRS: EPSG:%d %s — %s\n", work->epsg, work->name, why);
}

static void json_layer(hegui_buf *b, const hegui_layer_info *l)
{
    size_t k;
    hegui_buf_puts(b, "  {\"path\": ");
    hegui_buf_put_json_string(b, l->path);
    hegui_buf_puts(b, ", \"layer\": ");
    hegui_buf_put_json_string(b, l->layer_name);
    hegui_buf_puts(b, ", \"driver\": ");
    hegui_buf_put_json_string(b, l->driver);
    hegui_buf_puts(b, ", \"role\": ");
    hegui_buf_put_json_string(b, hegui_role_name(l->role));
    hegui_buf_puts(b, ", \"role_reason\": ");
    hegui_buf_put_json_string(b, l->role_reason);
    /* the single-layer role detection gave it, which the rules file gave
     * another layer */
    hegui_buf_puts(b, ", \"overruled_role\": ");
    if (l->overruled_role != HEGUI_ROLE_NONE)
        hegui_buf_put_json_string(b, hegui_role_name(l->overruled_role));
    else
        hegui_buf_puts(b, "null");
    hegui_buf_puts(b, ", \"label\": ");
    if (l->label)
        hegui_buf_put_json_string(b, l->label);
    else
        hegui_buf_puts(b, "null");
    hegui_buf_puts(b, ", \"geometry_type\": ");
    hegui_buf_put_json_string(b, l->geometry_type);
    hegui_buf_printf(b, ", \"feature_count\": %lld", (long long)l->feature_count);
    if (l->has_crs && l->crs.epsg)
        hegui_buf_printf(b, ", \"epsg\": %d", l->crs.epsg);
    else
        hegui_buf_puts(b, ", \"epsg\": null");
    hegui_buf_puts(b, ", \"crs_name\": ");
    hegui_buf_put_json_string(b, l->has_crs ? l->crs.name : "");
    hegui_buf_puts(b, ", \"datum\": ");
    hegui_buf_put_json_string(b, hegui_datum_name(l->has_crs ? l->crs.datum : HEGUI_DATUM_NONE));
    hegui_buf_printf(b, ", \"gk_width\": %d, \"gk_zone\": %d, \"zone_prefixed\": %s",
                     l->crs.gk_width, l->crs.gk_zone, l->crs.prefixed ? "true" : "false");
    hegui_buf_printf(b, ", \"crs_assigned\": %s", l->crs_assigned ? "true" : "false");
    if (l->has_extent)
        hegui_buf_printf(b, ", \"extent\": [%.3f, %.3f, %.3f, %.3f]", l->extent[0],
                         l->extent[1], l->extent[2], l->extent[3]);
    else
        hegui_buf_puts(b, ", \"extent\": null");
    hegui_buf_puts(b, ", \"encoding\": ");
    hegui_buf_put_json_string(b, l->encoding);
    hegui_buf_puts(b, ", \"encoding_note\": ");
    hegui_buf_put_json_string(b, l->encoding_note);
    hegui_buf_puts(b, ", \"crs_problem\": ");
    if (l->coord_check.message[0]) {
        hegui_buf_puts(b, "{\"issue\": ");
        hegui_buf_put_json_string(b, hegui_coord_issue_name(l->coord_check.issue));
        if (l->coord_check.suggested_epsg)
            hegui_buf_printf(b, ", \"suggested_epsg\": %d", l->coord_check.suggested_epsg);
        else
            hegui_buf_puts(b, ", \"suggested_epsg\": null");
        hegui_buf_puts(b, ", \"message\": ");
        hegui_buf_put_json_string(b, l->coord_check.message);
        hegui_buf_puts(b, "}");
    } else {
        hegui_buf_puts(b, "null");
    }
    hegui_buf_printf(b,
                     ", \"null_geometries\": %lld, \"empty_geometries\": %lld, "
                     "\"nonfinite_geometries\": %lld, \"curved_geometries\": %lld, "
                     "\"bad_strings\": %lld, "
                     "\"deleted_records\": %lld, \"spatial_index_stale\": %s",
                     (long long)l->null_geometries, (long long)l->empty_geometries,
                     (long long)l->nonfinite_geometries, (long long)l->curved_geometries,
                     (long long)l->bad_strings, (long long)l->deleted_records,
                     l->spatial_index_stale ? "true" : "false");
    hegui_buf_puts(b, ", \"fields\": [");
    for (k = 0; k < l->field_count; k++) {
        if (k)
            hegui_buf_puts(b, ", ");
        hegui_buf_put_json_string(b, l->fields[k]);
    }
    hegui_buf_puts(b, "]}");
}

static int print_json(const hegui_catalog *cat)
{
    hegui_buf b = HEGUI_BUF_INIT;
    size_t i;
    hegui_buf_puts(&b, "[\n");
    for (i = 0; i < cat->count; i++) {
        json_layer(&b, &cat->layers[i]);
        hegui_buf_puts(&b, i + 1 < cat->count ? ",\n" : "\n");
    }
    hegui_buf_puts(&b, "]\n");
    if (b.failed) {
        hegui_buf_release(&b);
        return cli_fail(HEGUI_ENOMEM);
    }
    fputs(hegui_buf_cstr(&b), stdout);
    hegui_buf_release(&b);
    return CLI_EXIT_OK;
}

int cli_cmd_layers(int argc, char **argv)
{
    cli_inputs in;
    int i, json = 0, rc;
    hegui_crs_info work;
    const char *why = NULL;
    size_t n;

    memset(&in, 0, sizeof(in));
    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help(stdout);
            cli_inputs_release(&in);
            return CLI_EXIT_OK;
        }
        if (strcmp(argv[i], "--json") == 0) {
            json = 1;
            continue;
        }
        if (cli_inputs_argument(&in, NULL, argc, argv, &i, "layers") < 0)
            goto usage;
    }
    if ((rc = cli_inputs_load(&in)) != 0) {
        cli_inputs_release(&in);
        return rc;
    }
    for (n = 0; n < in.catalog->note_count; n++)
        cli_warning("%s", in.catalog->notes[n]);
    if (hegui_catalog_working_crs(&work, &why, in.catalog, in.config) < 0) {
        if (in.t_srs) { /* asked for on the command line: not to be passed over */
            rc = cli_fail(HEGUI_ECRS);
            cli_inputs_release(&in);
            return rc;
        }
        if (!json)
            cli_warning("working CRS: %s", hegui_error_last());
        why = NULL;
    }
    if (json)
        rc = print_json(in.catalog);
    else {
        print_text(in.catalog, why ? &work : NULL, why);
        rc = CLI_EXIT_OK;
    }
    cli_inputs_release(&in);
    return rc;
usage:
    cli_inputs_release(&in);
    fputs("run 'hegui layers --help' for the options\n", stderr);
    return CLI_EXIT_INCOMPLETE;
}
