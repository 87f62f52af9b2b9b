/*
 * main.c - entry point and command table of the hegui CLI (libgit2's
 * cli_cmds[], git's builtin table).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "hegui/common.h"
#include "hegui/io.h"

static const cli_cmd commands[] = {
    {"check", "check zones against every plan (S01-S07, C01-C06, I01-I03) and write the reports",
     "开发区与各类规划的多规合一冲突检查，输出报告", cli_cmd_check},
    {"convert", "boundary-point TXT <-> any GDAL vector format",
     "界址点坐标文件（TXT）与各种 GDAL 矢量格式互相转换", cli_cmd_convert},
    {"init", "write a commented rules file for the layers of a folder",
     "根据目录中的图层生成带注释的规则文件", cli_cmd_init},
    {"layers", "datasets, layers, detected roles, CRS, counts, encodings",
     "列出数据集、图层、识别的角色、坐标系、要素数与编码", cli_cmd_layers},
    {"rules", "list the rule catalogue (--default: print the built-in rules file)",
     "列出规则目录（--default：输出内置规则文件）", cli_cmd_rules},
    {"validate", "survey-only checks (S01-S07) of development-zone surveys, for CI",
     "开发区四至勘测成果自检（S01–S07），用于持续集成", cli_cmd_validate},
    {"version", "versions of hegui, GDAL, GEOS and PROJ", "hegui、GDAL、GEOS、PROJ 版本",
     cli_cmd_version},
};

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("hegui: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_warning(const char *fmt, ...)
{
    va_list ap;
    fputs("hegui: warning: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_fail(int hegui_code)
{
    cli_error("%s", hegui_error_last()[0] ? hegui_error_last() : "unknown failure");
    if (hegui_code == HEGUI_EINTERNAL || hegui_code == HEGUI_ENOMEM)
        return CLI_EXIT_INTERNAL;
    return CLI_EXIT_INCOMPLETE;
}

void cli_print_exit_codes(FILE *out, cli_exit_table table)
{
    fputs("Exit codes:\n", out);
    switch (table) {
    case CLI_EXITS_FINDINGS:
        fputs("  0  no finding at or above --fail-on (default: error)\n"
              "  1  findings at or above --fail-on\n",
              out);
        break;
    case CLI_EXITS_DONE:
        fputs("  0  done\n", out);
        break;
    case CLI_EXITS_ALL:
        fputs("  0  done; check and validate: no finding at or above --fail-on\n"
              "  1  check and validate: findings at or above --fail-on\n",
              out);
        break;
    }
    fputs("  2  could not complete: usage, rules file, unreadable or broken input\n"
          "  3  internal error\n",
          out);
}

int cli_is_help(const char *s)
{
    return strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0;
}

static void usage(FILE *out)
{
    size_t i;
    fputs("usage: hegui <command> [options] [args]\n\n"
          "hegui checks development-zone boundary surveys against every plan that\n"
          "governs the same land (多规合一).\n\nCommands:\n",
          out);
    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %-9s %s\n            %s\n", commands[i].name, commands[i].summary_en,
                commands[i].summary_zh);
    fputs("\nRun 'hegui <command> --help' for the options of a command.\n\n", out);
    cli_print_exit_codes(out, CLI_EXITS_ALL);
}

int main(int argc, char **argv)
{
    size_t i;
    hegui_io_messages_to(stderr, "hegui"); /* GDAL's own threads speak as hegui does */
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_INCOMPLETE;
    }
    if (cli_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0)
        return cli_cmd_version(1, argv + 1);
    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    }
    cli_error("unknown command '%s'; run 'hegui --help' for the list", argv[1]);
    return CLI_EXIT_INCOMPLETE;
}
