/*
 * cmd_rules.c - `hegui rules`: the rule catalogue as a table (Chinese,
 * English or both), as JSON (--json), or the built-in rules file byte for
 * byte (--default). Parameter defaults come from the built-in rules file,
 * the one place they are written.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "hegui/config.h"
#include "util/util.h"

enum { LANG_BOTH, LANG_ZH, LANG_EN };

static void usage(FILE *out)
{
    fputs("usage: hegui rules [--lang zh|en] [--json | --default]\n"
          "\n"
          "Lists the rule catalogue: id, family, default severity, title, description and\n"
          "parameters with their defaults. 列出规则目录：编号、类别、默认级别、名称、说明、\n"
          "参数及默认值。\n"
          "\n"
          "Options:\n"
          "  --lang zh|en   only Chinese or only English (default: both)\n"
          "  --json         the catalogue as JSON on stdout\n"
          "  --default      print the built-in rules file (the defaults, with comments);\n"
          "                 a rules file need only name what it changes\n"
          "  -h, --help     this help\n"
          "\n",
          out);
    cli_print_exit_codes(out, CLI_EXITS_DONE);
}

static const char *family_zh(const char *family)
{
    if (strcmp(family, "survey") == 0)
        return "测量成果";
    if (strcmp(family, "conflict") == 0)
        return "规划冲突";
    if (strcmp(family, "industry") == 0)
        return "产业";
    return family;
}

static const char *severity_zh(hegui_severity severity)
{
    switch (severity) {
    case HEGUI_SEVERITY_ERROR:
        return "错误";
    case HEGUI_SEVERITY_WARNING:
        return "警告";
    case HEGUI_SEVERITY_INFO:
        return "提示";
    }
    return "?";
}

/* Terminal columns of UTF-8 text: CJK (3-byte and longer sequences) take
 * two, ASCII one. Good enough for the labels of this table. */
static size_t display_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t width = 0;
    while (*p) {
        if (*p < 0x80) {
            width++;
            p++;
        } else if (*p >= 0xE0) {
            width += 2;
            p += (*p >= 0xF0) ? 4 : 3;
        } else {
            width++;
            p += 2;
        }
    }
    return width;
}

static void put_padded(const char *s, size_t width)
{
    size_t w = display_width(s);
    fputs(s, stdout);
    while (w++ < width)
        putchar(' ');
}

/* A parameter's default, short: the scalar, the list, or "n entries". */
static void print_value(const hegui_value *v)
{
    size_t i;
    if (!v) {
        fputs("-", stdout);
    } else if (v->kind == HEGUI_VALUE_SCALAR) {
        fputs(v->scalar ? v->scalar : "~", stdout);
    } else if (v->kind == HEGUI_VALUE_LIST) {
        fputs("[", stdout);
        for (i = 0; i < v->count; i++)
            printf("%s%s", i ? ", " : "", v->items[i].scalar ? v->items[i].scalar : "~");
        fputs("]", stdout);
    } else {
        printf("{%zu entries:", v->count);
        for (i = 0; i < v->count && i < 6; i++)
            printf(" %s", v->keys[i]);
        fputs(v->count > 6 ? " …}" : "}", stdout);
    }
}

static void print_table(int lang, const hegui_config *defaults)
{
    size_t i, count;
    const hegui_rule_def *defs = hegui_rules_catalogue(&count);
    const hegui_param_def *p;
    const char *indent = "     ";
    if (lang == LANG_ZH)
        fputs("编号 类别      级别      名称\n", stdout);
    else
        fputs("ID   FAMILY    SEVERITY  TITLE\n", stdout);
    for (i = 0; i < count; i++) {
        const hegui_rule_def *def = &defs[i];
        const hegui_rule_config *rule = hegui_config_rule(defaults, def->id);
        putchar('\n');
        printf("%-5s", def->id);
        if (lang == LANG_ZH) {
            put_padded(family_zh(def->family), 10);
            put_padded(severity_zh(def->default_severity), 10);
            printf("%s\n", def->title_zh);
        } else {
            put_padded(def->family, 10);
            put_padded(hegui_severity_name(def->default_severity), 10);
            if (lang == LANG_EN)
                printf("%s\n", def->title_en);
            else
                printf("%s / %s\n", def->title_zh, def->title_en);
        }
        if (lang != LANG_EN)
            printf("%s%s\n", indent, def->description_zh);
        if (lang != LANG_ZH)
            printf("%s%s\n", indent, def->description_en);
        for (p = def->params; p->name; p++) {
            printf("%s- %s = ", indent, p->name);
            print_value(hegui_rule_param(rule, p->name));
            printf("  (%s%s%s)\n", hegui_param_type_name(p->type), p->choices ? ": " : "",
                   p->choices ? p->choices : "");
            if (lang != LANG_EN)
                printf("%s    %s\n", indent, p->doc_zh);
            if (lang != LANG_ZH)
                printf("%s    %s\n", indent, p->doc_en);
        }
    }
    putchar('\n');
    if (lang == LANG_ZH)
        fputs("参数默认值来自内置规则文件（hegui rules --default）；规则文件只需写出要改变的项。\n",
              stdout);
    else if (lang == LANG_EN)
        fputs("Defaults come from the built-in rules file (hegui rules --default); a rules\n"
              "file need only name what it changes.\n",
              stdout);
    else
        fputs("参数默认值来自内置规则文件（hegui rules --default）；规则文件只需写出要改变的项。\n"
              "Defaults come from the built-in rules file (hegui rules --default); a rules\n"
              "file need only name what it changes.\n",
              stdout);
}

/* A parameter value as JSON: numbers and booleans typed, the rest text. */
static void json_value(hegui_buf *buf, const hegui_param_def *def, const hegui_value *v)
{
    size_t i;
    if (!v) {
        hegui_buf_puts(buf, "null");
    } else if (v->kind == HEGUI_VALUE_SCALAR) {
        if (!v->scalar)
            hegui_buf_puts(buf, "null");
        else if (def && (def->type == HEGUI_PARAM_NUMBER || def->type == HEGUI_PARAM_BOOL))
            hegui_buf_puts(buf, v->scalar); /* checked by the config parser */
        else
            hegui_buf_put_json_string(buf, v->scalar);
    } else if (v->kind == HEGUI_VALUE_LIST) {
        hegui_buf_putc(buf, '[');
        for (i = 0; i < v->count; i++) {
            if (i)
                hegui_buf_putc(buf, ',');
            json_value(buf, NULL, &v->items[i]);
        }
        hegui_buf_putc(buf, ']');
    } else {
        hegui_buf_putc(buf, '{');
        for (i = 0; i < v->count; i++) {
            if (i)
                hegui_buf_putc(buf, ',');
            hegui_buf_put_json_string(buf, v->keys[i]);
            hegui_buf_putc(buf, ':');
            json_value(buf, NULL, &v->items[i]);
        }
        hegui_buf_putc(buf, '}');
    }
}

static void json_field(hegui_buf *buf, const char *key, const char *value, int first)
{
    if (!first)
        hegui_buf_putc(buf, ',');
    hegui_buf_put_json_string(buf, key);
    hegui_buf_putc(buf, ':');
    if (value)
        hegui_buf_put_json_string(buf, value);
    else
        hegui_buf_puts(buf, "null");
}

/* {"rules":[{id, family, default_severity, titles, descriptions, params}]} */
static int print_json(const hegui_config *defaults)
{
    hegui_buf buf = HEGUI_BUF_INIT;
    size_t i, count;
    const hegui_rule_def *defs = hegui_rules_catalogue(&count);
    const hegui_param_def *p;
    int rc = CLI_EXIT_OK;
    hegui_buf_puts(&buf, "{\"rules\":[");
    for (i = 0; i < count; i++) {
        const hegui_rule_def *def = &defs[i];
        const hegui_rule_config *rule = hegui_config_rule(defaults, def->id);
        if (i)
            hegui_buf_putc(&buf, ',');
        hegui_buf_putc(&buf, '{');
        json_field(&buf, "id", def->id, 1);
        json_field(&buf, "family", def->family, 0);
        json_field(&buf, "default_severity", hegui_severity_name(def->default_severity), 0);
        json_field(&buf, "title_zh", def->title_zh, 0);
        json_field(&buf, "title_en", def->title_en, 0);
        json_field(&buf, "description_zh", def->description_zh, 0);
        json_field(&buf, "description_en", def->description_en, 0);
        hegui_buf_puts(&buf, ",\"params\":[");
        for (p = def->params; p->name; p++) {
            if (p != def->params)
                hegui_buf_putc(&buf, ',');
            hegui_buf_putc(&buf, '{');
            json_field(&buf, "name", p->name, 1);
            json_field(&buf, "type", hegui_param_type_name(p->type), 0);
            json_field(&buf, "choices", p->choices, 0);
            json_field(&buf, "inherits", p->inherit, 0);
            json_field(&buf, "doc_zh", p->doc_zh, 0);
            json_field(&buf, "doc_en", p->doc_en, 0);
            hegui_buf_puts(&buf, ",\"default\":");
            json_value(&buf, p, hegui_rule_param(rule, p->name));
            hegui_buf_putc(&buf, '}');
        }
        hegui_buf_puts(&buf, "]}");
    }
    hegui_buf_puts(&buf, "]}\n");
    if (buf.failed)
        rc = cli_fail(HEGUI_ENOMEM);
    else
        fwrite(buf.ptr, 1, buf.len, stdout);
    hegui_buf_release(&buf);
    return rc;
}

int cli_cmd_rules(int argc, char **argv)
{
    hegui_config *defaults = NULL;
    const char *text;
    int lang = LANG_BOTH, json = 0, print_default = 0, i, rc = CLI_EXIT_OK;
    for (i = 1; i < argc; i++) {
        const char *arg = argv[i], *value = NULL;
        if (cli_is_help(arg)) {
            usage(stdout);
            return CLI_EXIT_OK;
        } else if (strcmp(arg, "--json") == 0) {
            json = 1;
        } else if (strcmp(arg, "--default") == 0) {
            print_default = 1;
        } else if (strcmp(arg, "--lang") == 0 || strncmp(arg, "--lang=", 7) == 0) {
            value = arg[6] == '=' ? arg + 7 : (i + 1 < argc ? argv[++i] : NULL);
            if (value && strcmp(value, "zh") == 0) {
                lang = LANG_ZH;
            } else if (value && strcmp(value, "en") == 0) {
                lang = LANG_EN;
            } else {
                cli_error("--lang takes zh or en%s%s%s", value ? ", not '" : "", value ? value : "",
                          value ? "'" : "");
                return CLI_EXIT_INCOMPLETE;
            }
        } else {
            cli_error("%s '%s'; run 'hegui rules --help'",
                      arg[0] == '-' ? "unknown option" : "unexpected argument", arg);
            return CLI_EXIT_INCOMPLETE;
        }
    }
    if (json && print_default) {
        cli_error("--json and --default cannot be combined");
        return CLI_EXIT_INCOMPLETE;
    }
    if (print_default) {
        text = hegui_config_default_text();
        fwrite(text, 1, strlen(text), stdout);
    } else {
        int code = hegui_config_default(&defaults);
        if (code < 0)
            return cli_fail(code);
        if (json)
            rc = print_json(defaults);
        else
            print_table(lang, defaults);
        hegui_config_free(defaults);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write to standard output");
        return CLI_EXIT_INCOMPLETE;
    }
    return rc;
}
