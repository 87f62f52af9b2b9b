/*
 * cmd_init.c - `hegui init DIR`: writes a commented rules file from what
 * hegui detects in DIR (layers, roles, fields, CRS, the working CRS) with
 * every rule and its default parameters, to stdout or to a file (-o).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/inputs.h"
#include "hegui/init.h"

static void help(FILE *out)
{
    fputs("usage: hegui init [options] DIR|FILE…\n\n"
          "Writes a rules file for the layers in DIR: each layer hegui detects, with its\n"
          "role, the attribute fields the rules read and (as comments) its CRS and\n"
          "encoding; the working CRS; and every rule with its default parameters, all\n"
          "commented in Chinese and English. 'hegui check -c FILE DIR' with the file\n"
          "finds what 'hegui check DIR' finds; edit it to change what you need.\n\n"
          "Options:\n"
          "  -o FILE                 write the rules file to FILE (default: stdout); layer\n"
          "                          paths are written relative to FILE's folder (to the\n"
          "                          current folder on stdout)\n"
          "  --force                 overwrite FILE when it exists\n",
          out);
    fputs("Input options:\n"
          "  -r, --recursive         also read the sub-folders of a folder\n"
          "  -s_srs CRS              CRS for every layer without one (written as srs:)\n"
          "  -t_srs CRS              working CRS, projected, in metres (written as\n"
          "                          working_crs:); default: derived from the zones\n"
          "  --input-encoding ENC    auto (default), GBK, GB18030, UTF-8, … for shapefiles\n"
          "  -oo NAME=VALUE          GDAL dataset open option (repeatable)\n"
          "  --config KEY VALUE      GDAL configuration option\n\n",
          out);
    cli_print_exit_codes(out, CLI_EXITS_DONE);
}

/* The folder part of path ("." for a bare name). Free with free(). */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 0;
    char *dir = malloc(n + 2);
    if (!dir)
        return NULL;
    if (!slash)
        strcpy(dir, ".");
    else if (n == 0)
        strcpy(dir, "/");
    else {
        memcpy(dir, path, n);
        dir[n] = '\0';
    }
    return dir;
}

/* Writes text to path atomically (temporary file beside it, then rename). */
static int write_file(const char *path, const char *text)
{
    size_t len = strlen(text);
    char *tmp = malloc(strlen(path) + 16);
    FILE *fp = NULL;
    int fd, ok;
    if (!tmp) {
        cli_error("out of memory");
        return CLI_EXIT_INTERNAL;
    }
    sprintf(tmp, "%s.XXXXXX", path);
    fd = mkstemp(tmp);
    if (fd < 0) {
        cli_error("cannot write %s: %s", path, strerror(errno));
        free(tmp);
        return CLI_EXIT_INCOMPLETE;
    }
    (void)fchmod(fd, 0644);
    fp = fdopen(fd, "wb");
    ok = fp && fwrite(text, 1, len, fp) == len && fflush(fp) == 0 && fsync(fileno(fp)) == 0;
    if (fp)
        ok = fclose(fp) == 0 && ok;
    else
        close(fd);
    if (!ok || rename(tmp, path) != 0) {
        cli_error("cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
        free(tmp);
        return CLI_EXIT_INCOMPLETE;
    }
    free(tmp);
    return CLI_EXIT_OK;
}

int cli_cmd_init(int argc, char **argv)
{
    cli_inputs in;
    hegui_init_options options;
    const char *output = NULL;
    char *text = NULL, *dir = NULL;
    int i, rc, force = 0;
    size_t n, listed = 0;
    struct stat st;

    memset(&in, 0, sizeof(in));
    memset(&options, 0, sizeof(options));
    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help(stdout);
            cli_inputs_release(&in);
            return CLI_EXIT_OK;
        }
        if (strcmp(argv[i], "-o") == 0) {
            if (i + 1 >= argc) {
                cli_error("option -o needs a value");
                goto usage;
            }
            output = argv[++i];
            continue;
        }
        if (strcmp(argv[i], "--force") == 0) {
            force = 1;
            continue;
        }
        if (strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--rules") == 0) {
            cli_error("init writes a rules file and reads none: no %s", argv[i]);
            goto usage;
        }
        if ((rc = cli_inputs_option(&in, argc, argv, &i)) < 0)
            goto usage;
        if (rc > 0)
            continue;
        if (argv[i][0] == '-' && argv[i][1] != '\0') {
            cli_error("unknown option '%s' for init", argv[i]);
            goto usage;
        }
        if (cli_inputs_add_path(&in, argv[i]) < 0)
            goto usage;
    }
    if (in.path_count == 0) {
        cli_error("init needs a folder or files to look at");
        goto usage;
    }
    if (output && !force && stat(output, &st) == 0) {
        cli_error("%s exists; use --force to overwrite it", output);
        cli_inputs_release(&in);
        return CLI_EXIT_INCOMPLETE;
    }
    if ((rc = cli_inputs_load(&in)) != 0) {
        cli_inputs_release(&in);
        return rc;
    }
    for (n = 0; n < in.catalog->note_count; n++)
        cli_warning("%s", in.catalog->notes[n]);
    for (n = 0; n < in.catalog->count; n++)
        listed += in.catalog->layers[n].role == HEGUI_ROLE_ZONES;
    if (!listed)
        cli_warning("no zones layer was detected; the rules file lists what was found");
    if (output && !(dir = folder_of(output))) {
        cli_error("out of memory");
        cli_inputs_release(&in);
        return CLI_EXIT_INTERNAL;
    }
    options.rules_dir = dir;
    options.inputs = in.paths;
    options.input_count = in.path_count;
    options.config = in.config; /* the defaults, with -t_srs as working_crs */
    rc = hegui_init_rules_text(&text, in.catalog, &options);
    if (rc < 0) {
        rc = cli_fail(rc);
    } else if (output) {
        rc = write_file(output, text);
        if (rc == CLI_EXIT_OK)
            fprintf(stderr, "hegui: wrote %s (%zu layers)\n", output, in.catalog->count);
    } else {
        fputs(text, stdout);
        rc = fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_INCOMPLETE;
    }
    hegui_free(text);
    free(dir);
    cli_inputs_release(&in);
    return rc;
usage:
    cli_inputs_release(&in);
    fputs("run 'hegui init --help' for the options\n", stderr);
    return CLI_EXIT_INCOMPLETE;
}
