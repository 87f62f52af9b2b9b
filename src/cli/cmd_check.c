/*
 * cmd_check.c - `hegui check`: the main job. The zones survey (S01-S07),
 * every conflict with the plans that govern the same land (C01-C06) and
 * the industry checks (I01-I03), written as reports into one output folder.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/inputs.h"
#include "cli/output.h"
#include "hegui/check.h"

#define CHECK_FORMATS "console,json,gpkg,csv,xlsx,html,junit"

static void help(FILE *out)
{
    fputs("usage: hegui check [options] DIR|FILE…\n\n"
          "Checks development zones against every plan that governs the same land\n"
          "(多规合一): the zones survey itself (S01-S07), 永久基本农田 (C01), 生态保护红线\n"
          "(C02), 城镇开发边界 (C03), land-use classes (C04), other exclusion layers\n"
          "(C05), differences between two plans (C06), and the enterprises: industries\n"
          "outside a zone's leading ones (I01), polluting plants near the city outside\n"
          "every zone (I02), output and tax per 亩 (I03). 'hegui rules' lists them. Layers\n"
          "are found by their names (see 'hegui layers') or named in a rules file (-c).\n"
          "Reports go into the output folder.\n\n"
          "Options:\n"
          "  -j N                    threads that read the layers, overlay them, build\n"
          "                          the totals and write the report files (default: the\n"
          "                          number of cores); the output is the same for any N\n",
          out);
    cli_inputs_help(out, true);
    cli_output_help(out, CHECK_FORMATS);
    fputc('\n', out);
    cli_print_exit_codes(out, CLI_EXITS_FINDINGS);
}

/* Progress on stderr, only when it is a terminal: the layer, the features
 * read so far and their rate since the layer started (the callback comes
 * from the one thread that reads). */
static void progress(const char *layer, long long done, void *payload)
{
    static const char *current;
    static struct timespec start;
    struct timespec now;
    double seconds;
    (void)payload;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (layer != current) {
        current = layer;
        start = now;
    }
    seconds = (double)(now.tv_sec - start.tv_sec) + 1e-9 * (double)(now.tv_nsec - start.tv_nsec);
    if (seconds > 0.05)
        fprintf(stderr, "\r  %s: %lld features, %.0f/s\033[K", layer, done, (double)done / seconds);
    else
        fprintf(stderr, "\r  %s: %lld features\033[K", layer, done);
    fflush(stderr);
}

/* Warns about enabled conflict rules that have no layer to check against:
 * a missing layer must never look like "no conflicts". */
static void warn_missing_inputs(const cli_inputs *in)
{
    static const struct {
        const char *id, *what;
    } needs[] = {{"C01", "farmland (永久基本农田)"},
                 {"C02", "redline (生态保护红线)"},
                 {"C03", "urban_boundary (城镇开发边界)"},
                 {"C04", "landuse (用地用海规划)"}};
    size_t i;
    for (i = 0; i < sizeof(needs) / sizeof(needs[0]); i++) {
        const hegui_rule_config *rule = hegui_config_rule(in->config, needs[i].id);
        if (rule && rule->enabled && !hegui_check_rule_has_input(in->catalog, needs[i].id))
            cli_warning("%s was not checked: no %s layer among the inputs (see 'hegui layers', "
                        "or name it in the rules file)",
                        needs[i].id, needs[i].what);
    }
}

int cli_cmd_check(int argc, char **argv)
{
    cli_inputs in;
    cli_output output;
    hegui_check_options options;
    hegui_run run;
    int i, rc, threads = 0;
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
        if (strcmp(argv[i], "-j") == 0 || strncmp(argv[i], "-j", 2) == 0) {
            const char *v = argv[i][2] ? argv[i] + 2 : (i + 1 < argc ? argv[++i] : NULL);
            char *end = NULL;
            long value = v ? strtol(v, &end, 10) : 0;
            if (!v || *end || value < 1 || value > 256) {
                cli_error("-j takes a number of threads from 1 to 256");
                goto usage;
            }
            threads = (int)value;
            continue;
        }
        if (cli_inputs_argument(&in, &output, argc, argv, &i, "check") < 0)
            goto usage;
    }
    if (threads == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        threads = cores > 0 ? (int)(cores < 64 ? cores : 64) : 1;
    }
    in.open.threads = threads; /* -j also bounds the catalog's readers */
    in.open.hash = 1;          /* summary.json lists the inputs' SHA-256 */
    output.timings.threads = threads;
    output.threads = threads; /* and the report files written at once */
    output.report.threads = threads; /* and the threads each file is formatted on */
    cli_timings_mark(&output.timings, "read");
    if ((rc = cli_inputs_load(&in)) != 0) {
        cli_inputs_release(&in);
        cli_timings_print(&output.timings, stderr);
        return rc;
    }
    for (n = 0; n < in.catalog->note_count; n++)
        cli_warning("%s", in.catalog->notes[n]);
    warn_missing_inputs(&in);
    memset(&options, 0, sizeof(options));
    options.fail_on = output.fail_on;
    options.timestamp = cli_timestamp();
    options.threads = threads;
    if (isatty(STDERR_FILENO))
        options.progress = progress;
    if (output.timings.on)
        options.stage = cli_timings_stage;
    options.payload = &output.timings;
    rc = hegui_check(&run, in.catalog, in.config, &options);
    if (options.progress)
        fputs("\r\033[K", stderr);
    cli_timings_mark(&output.timings, "reports");
    if (rc < 0)
        rc = cli_fail(rc);
    else
        rc = cli_output_write(&output, &run, CHECK_FORMATS);
    hegui_run_release(&run);
    cli_inputs_release(&in);
    cli_timings_print(&output.timings, stderr);
    return rc;
usage:
    cli_inputs_release(&in);
    fputs("run 'hegui check --help' for the options\n", stderr);
    return CLI_EXIT_INCOMPLETE;
}
