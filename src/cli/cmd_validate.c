/*
 * cmd_validate.c - `hegui validate`: survey-only checks (S01-S06) of the
 * zones layers, for CI pipelines that gate survey submissions.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/inputs.h"
#include "cli/output.h"
#include "hegui/check.h"

#define VALIDATE_FORMATS "console,json,junit,html"

static void help(FILE *out)
{
    fputs("usage: hegui validate [options] SURVEY…\n\n"
          "Checks development-zone boundary surveys on their own (rules S01-S07):\n"
          "geometry validity, overlaps between blocks, surveyed vs declared areas,\n"
          "the CRS, required attributes, slivers and spikes, and the format of\n"
          "boundary-point TXT files (界址点坐标文件). SURVEY is a file or a folder;\n"
          "layers with the zones role are checked (--role zones: every layer).\n\n"
          "Options:\n"
          "  --role zones            treat every input layer as a zones layer\n",
          out);
    cli_inputs_help(out, true);
    cli_output_help(out, VALIDATE_FORMATS);
    fputc('\n', out);
    cli_print_exit_codes(out, CLI_EXITS_FINDINGS);
}

int cli_cmd_validate(int argc, char **argv)
{
    cli_inputs in;
    cli_output output;
    hegui_check_options options;
    hegui_run run;
    int i, rc, force_zones = 0;
    size_t n;

    memset(&in, 0, sizeof(in));
    memset(&run, 0, sizeof(run));
    cli_output_init(&output);
    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help(stdout);
            cli_inputs_release(&in);
            return CLI_EXIT_OK;
        }
        if (strcmp(argv[i], "--role") == 0) {
            if (i + 1 >= argc || strcmp(argv[i + 1], "zones") != 0) {
                cli_error("validate --role takes 'zones'");
                goto usage;
            }
            force_zones = 1;
            i++;
            continue;
        }
        if (cli_inputs_argument(&in, &output, argc, argv, &i, "validate") < 0)
            goto usage;
    }
    cli_timings_mark(&output.timings, "read");
    in.open.hash = 1; /* summary.json lists the inputs' SHA-256 */
    if ((rc = cli_inputs_load(&in)) != 0) {
        cli_inputs_release(&in);
        cli_timings_print(&output.timings, stderr);
        return rc;
    }
    for (n = 0; n < in.catalog->count; n++) {
        if (force_zones)
            in.catalog->layers[n].role = HEGUI_ROLE_ZONES;
    }
    for (n = 0; n < in.catalog->note_count; n++)
        cli_warning("%s", in.catalog->notes[n]);
    memset(&options, 0, sizeof(options));
    options.fail_on = output.fail_on;
    options.timestamp = cli_timestamp();
    if (output.timings.on)
        options.stage = cli_timings_stage;
    options.payload = &output.timings;
    rc = hegui_validate(&run, in.catalog, in.config, &options);
    cli_timings_mark(&output.timings, "reports");
    if (rc < 0)
        rc = cli_fail(rc);
    else
        rc = cli_output_write(&output, &run, VALIDATE_FORMATS);
    hegui_run_release(&run);
    cli_inputs_release(&in);
    cli_timings_print(&output.timings, stderr);
    return rc;
usage:
    cli_inputs_release(&in);
    fputs("run 'hegui validate --help' for the options\n", stderr);
    return CLI_EXIT_INCOMPLETE;
}
