/*
 * cli/output.h - the output options shared by validate and check: -o,
 * --format, --fail-on, --lang, -q, --timings; writing the reports and choosing the
 * exit code from the verdict.
 */
#ifndef HEGUI_CLI_OUTPUT_H
#define HEGUI_CLI_OUTPUT_H

#include "cli/timings.h"
#include "hegui/finding.h"
#include "hegui/report.h"

typedef struct cli_output {
    const char *dir;        /* -o, default "hegui-report" */
    const char *formats;    /* --format, comma-separated; NULL: the command's default */
    hegui_severity fail_on; /* 0 = never */
    hegui_report_options report;
    cli_timings timings; /* --timings */
    int threads;         /* the report files written at once: -j (0: the cores) */
} cli_output;

/* Defaults: dir hegui-report, fail on error, language from the locale,
 * colour when stdout is a terminal and NO_COLOR is unset. */
void cli_output_init(cli_output *out);
/* As cli_inputs_option: 1 consumed, 0 not an output option, -1 error. */
int cli_output_option(cli_output *out, int argc, char **argv, int *i);
/* Writes every requested report (default_formats when --format is not
 * given): the stream ones (console, github) in their order, then the
 * files on out->threads threads; returns the exit code (0/1 from the
 * verdict, 2/3 on failure). */
int cli_output_write(const cli_output *out, const hegui_run *run, const char *default_formats);
/* Seconds since 1970 for the reports: SOURCE_DATE_EPOCH when set. */
long long cli_timestamp(void);
void cli_output_help(FILE *out, const char *default_formats);

#endif
