/*
 * cli/inputs.h - the input options shared by every command that reads
 * layers (layers, validate, check, init, convert): paths, -c, -r, -s_srs,
 * -t_srs, -oo, --config, --input-encoding; and loading the rules and the
 * catalog from them.
 */
#ifndef HEGUI_CLI_INPUTS_H
#define HEGUI_CLI_INPUTS_H

#include <stdbool.h>

#include "hegui/config.h"
#include "hegui/io.h"

typedef struct cli_inputs {
    const char **paths; /* positional arguments (borrowed from argv) */
    size_t path_count;
    const char *rules_path; /* -c */
    const char *t_srs;      /* -t_srs: the working CRS, over the rules file's */
    const char *open_options[32]; /* -oo, NULL-terminated */
    size_t open_option_count;
    hegui_open_options open;
    hegui_config *config;   /* loaded by cli_inputs_load */
    hegui_catalog *catalog; /* loaded by cli_inputs_load */
} cli_inputs;

/*
 * Consumes the input option at argv[*i] (advancing *i past its values).
 * Returns 1 when consumed, 0 when argv[*i] is not an input option, or -1
 * after printing a usage error.
 */
int cli_inputs_option(cli_inputs *in, int argc, char **argv, int *i);
typedef struct cli_output cli_output;
/*
 * Handles argv[*i] after a command's own options: an input option, an
 * output option (when output is not NULL), else a path; an unknown option
 * is an error naming command. 0 when handled, -1 after printing an error.
 */
int cli_inputs_argument(cli_inputs *in, cli_output *output, int argc, char **argv, int *i,
                        const char *command);
/* Adds a positional path. -1 after printing an error. */
int cli_inputs_add_path(cli_inputs *in, const char *path);
/* Loads the rules (or the defaults) and scans the inputs; on failure prints
 * the error and returns the exit code, else 0. */
int cli_inputs_load(cli_inputs *in);
void cli_inputs_release(cli_inputs *in);
/* The help text of the input options; with_t_srs lists -t_srs as the
 * working CRS (convert gives it a meaning of its own). */
void cli_inputs_help(FILE *out, bool with_t_srs);

#endif
