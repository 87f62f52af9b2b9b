/*
 * cli/cli.h - the hegui command-line tool: the command table, exit codes
 * and the few helpers every cmd_*.c shares.
 *
 * The CLI is thin: it parses arguments, calls libhegui, prints, and picks
 * the exit code. Diagnostics go to stderr, machine output to stdout.
 */
#ifndef HEGUI_CLI_H
#define HEGUI_CLI_H

#include <stdio.h>

/* Exit codes (DESIGN.md section 4). */
enum {
    CLI_EXIT_OK = 0,         /* no finding at or above --fail-on */
    CLI_EXIT_FINDINGS = 1,   /* findings at or above --fail-on */
    CLI_EXIT_INCOMPLETE = 2, /* could not complete: usage, rules file, input */
    CLI_EXIT_INTERNAL = 3    /* internal error */
};

typedef struct cli_cmd {
    const char *name;
    const char *summary_en;
    const char *summary_zh;
    /* argv[0] is the command name; returns an exit code */
    int (*run)(int argc, char **argv);
} cli_cmd;

/* The commands, defined in main.c; one cmd_*.c per entry. */
int cli_cmd_check(int argc, char **argv);
int cli_cmd_convert(int argc, char **argv);
int cli_cmd_init(int argc, char **argv);
int cli_cmd_layers(int argc, char **argv);
int cli_cmd_rules(int argc, char **argv);
int cli_cmd_validate(int argc, char **argv);
int cli_cmd_version(int argc, char **argv);

/* Prints "hegui: error: <msg>" to stderr. */
void cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* Prints "hegui: warning: <msg>" to stderr. */
void cli_warning(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* Exit code for a failed libhegui call: prints hegui_error_last(). */
int cli_fail(int hegui_code);
/* Which exit codes a command's --help lists: 1 only where findings decide
 * the exit code (check, validate); the overview lists them all. */
typedef enum cli_exit_table { CLI_EXITS_FINDINGS, CLI_EXITS_DONE, CLI_EXITS_ALL } cli_exit_table;
/* The exit-code table, for every --help. */
void cli_print_exit_codes(FILE *out, cli_exit_table table);
/* True when s is -h or --help. */
int cli_is_help(const char *s);

#endif
