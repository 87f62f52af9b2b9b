/*
 * output.c - output options, report writing and the exit code.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/output.h"

void cli_output_init(cli_output *out)
{
    const char *lang = getenv("LC_ALL");
    memset(out, 0, sizeof(*out));
    out->dir = "hegui-report";
    out->fail_on = HEGUI_SEVERITY_ERROR;
    if (!lang || !*lang)
        lang = getenv("LC_MESSAGES");
    if (!lang || !*lang)
        lang = getenv("LANG");
    out->report.lang = lang && strncmp(lang, "zh", 2) == 0 ? HEGUI_LANG_ZH : HEGUI_LANG_EN;
    /* report.html is for Chinese planners: Chinese unless --lang en */
    out->report.document_lang = HEGUI_LANG_ZH;
    out->report.color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
}

int cli_output_option(cli_output *out, int argc, char **argv, int *i)
{
    const char *arg = argv[*i];
    const char *value = *i + 1 < argc ? argv[*i + 1] : NULL;
    if (strcmp(arg, "-q") == 0 || strcmp(arg, "--quiet") == 0) {
        out->report.quiet = 1;
        return 1;
    }
    if (strcmp(arg, "--timings") == 0) {
        out->timings.on = 1;
        return 1;
    }
    if (strcmp(arg, "-o") != 0 && strcmp(arg, "--format") != 0 && strcmp(arg, "-f") != 0 &&
        strcmp(arg, "--fail-on") != 0 && strcmp(arg, "--lang") != 0)
        return 0;
    if (!value) {
        cli_error("option %s needs a value", arg);
        return -1;
    }
    ++*i;
    if (strcmp(arg, "-o") == 0) {
        out->dir = value;
    } else if (strcmp(arg, "--format") == 0 || strcmp(arg, "-f") == 0) {
        out->formats = value;
    } else if (strcmp(arg, "--fail-on") == 0) {
        if (strcmp(value, "never") == 0)
            out->fail_on = 0;
        else if (hegui_severity_parse(&out->fail_on, value) < 0) {
            cli_error("--fail-on takes error, warning, info or never, not '%s'", value);
            return -1;
        }
    } else {
        if (strcmp(value, "zh") == 0)
            out->report.lang = out->report.document_lang = HEGUI_LANG_ZH;
        else if (strcmp(value, "en") == 0)
            out->report.lang = out->report.document_lang = HEGUI_LANG_EN;
        else {
            cli_error("--lang takes zh or en, not '%s'", value);
            return -1;
        }
    }
    return 1;
}

long long cli_timestamp(void)
{
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    if (epoch && *epoch) {
        char *end;
        long long v = strtoll(epoch, &end, 10);
        if (*end == '\0' && v >= 0)
            return v;
        cli_warning("SOURCE_DATE_EPOCH '%s' is not a number of seconds; using the clock", epoch);
    }
    return (long long)time(NULL);
}

int cli_output_write(const cli_output *out, const hegui_run *run, const char *default_formats)
{
    const char *list = out->formats ? out->formats : default_formats;
    char *copy = malloc(strlen(list) + 1), *name, *save = NULL;
    const hegui_reporter *files[16]; /* the file reporters asked for, in their order */
    size_t file_count = 0, i;
    int rc = CLI_EXIT_OK;
    if (!copy) {
        cli_error("out of memory");
        return CLI_EXIT_INTERNAL;
    }
    strcpy(copy, list);
    /* validate every name before writing anything */
    for (name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
        if (!hegui_reporter_find(name)) {
            size_t n, k;
            const hegui_reporter *all = hegui_reporters(&n);
            cli_error("unknown --format '%s'", name);
            fputs("formats:", stderr);
            for (k = 0; k < n; k++)
                fprintf(stderr, " %s", all[k].name);
            fputc('\n', stderr);
            free(copy);
            return CLI_EXIT_INCOMPLETE;
        }
    }
    strcpy(copy, list);
    for (name = strtok_r(copy, ",", &save); name && rc == CLI_EXIT_OK;
         name = strtok_r(NULL, ",", &save)) {
        const hegui_reporter *r = hegui_reporter_find(name);
        int status;
        if (r->filename) {
            for (i = 0; i < file_count && files[i] != r; i++)
                ;
            if (i == file_count) /* each file once, however often named */
                files[file_count++] = r;
            continue;
        }
        if ((status = r->write(stdout, run, &out->report)) < 0)
            rc = cli_fail(status);
    }
    free(copy);
    fflush(stdout);
    if (rc == CLI_EXIT_OK && file_count > 0) {
        int status = hegui_report_write_files(files, file_count, out->dir, run, &out->report,
                                              out->threads, NULL);
        if (status < 0)
            rc = cli_fail(status);
    }
    if (rc != CLI_EXIT_OK)
        return rc;
    return hegui_run_passed(run) ? CLI_EXIT_OK : CLI_EXIT_FINDINGS;
}

void cli_output_help(FILE *out, const char *default_formats)
{
    fprintf(out,
            "Output options:\n"
            "  -o DIR                  output folder (default: hegui-report)\n"
            "  --format LIST           reports, comma-separated (default: %s):\n"
            "                          console, json (summary.json), gpkg (findings.gpkg),\n"
            "                          csv (findings.csv), xlsx (report.xlsx), html\n"
            "                          (report.html), junit (junit.xml), github\n"
            "  --fail-on LEVEL         exit 1 on findings at or above error (default), warning,\n"
            "                          info, or never\n"
            "  --lang zh|en            language of messages (default: from the locale) and\n"
            "                          of report.html (default: Chinese)\n"
            "  -q, --quiet             console: print only the verdict\n"
            "  --timings               print each stage's wall and CPU seconds on stderr\n",
            default_formats);
}
