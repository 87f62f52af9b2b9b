/*
 * config.c - checks a rules-file tree against the schema and the rule
 * catalogue and builds a hegui_config; getters; the canonical text.
 *
 * Building is an overlay (see include/hegui/config.h): the embedded default
 * file is applied first in "complete" mode, where it must give every
 * top-level setting and every parameter of every rule; then the user's file,
 * if any, is applied over it. Both go through the same checks, so the
 * defaults can never be something a user could not have written. A broken
 * default file is a bug: HEGUI_EINTERNAL. A broken user file: HEGUI_ECONFIG
 * with file:line:column and the offending key in the message.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_internal.h"
#include "util/util.h"

#define RULES_FILE_MAX (16UL * 1024UL * 1024UL)
#define DEFAULT_NAME "built-in rules file"

static const char *const top_keys[] = {"version",     "working_crs", "area_method",
                                       "min_area_m2", "layers",      "rules"};
static const char *const layer_keys[] = {"path", "layer",    "role",     "label", "where",
                                         "srs",  "encoding", "code_set", "fields"};
static const char *const zones_fields[] = {
    "code", "name", "block", "approved_area_ha", "block_area_ha", "industries", "level"};
static const char *const landuse_fields[] = {"class_code", "class_name"};
static const char *const farmland_fields[] = {"id", "class_code"};
static const char *const redline_fields[] = {"id", "name", "type"};
static const char *const urban_boundary_fields[] = {"id", "name"};
static const char *const enterprises_fields[] = {"name", "industry_code", "investment",    "output",
                                                 "tax",  "land_area_m2",  "env_compliant", "park"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define ROLES_TEXT                                                                                 \
    "zones, farmland, redline, urban_boundary, landuse, enterprises, urban_area, plan_b, "         \
    "exclusion"

/* ------------------------------------------------------------------ */
/* severities, field names                                             */

const char *hegui_severity_name(hegui_severity severity)
{
    switch (severity) {
    case HEGUI_SEVERITY_INFO:
        return "info";
    case HEGUI_SEVERITY_WARNING:
        return "warning";
    case HEGUI_SEVERITY_ERROR:
        return "error";
    }
    return "unknown";
}

int hegui_severity_parse(hegui_severity *out, const char *name)
{
    if (name && strcmp(name, "info") == 0)
        *out = HEGUI_SEVERITY_INFO;
    else if (name && strcmp(name, "warning") == 0)
        *out = HEGUI_SEVERITY_WARNING;
    else if (name && strcmp(name, "error") == 0)
        *out = HEGUI_SEVERITY_ERROR;
    else
        return hegui_error_set(HEGUI_EINVAL, "'%s' is not a severity (error, warning, info)",
                               name ? name : "(null)");
    return HEGUI_OK;
}

const char *const *hegui_layer_field_keys(hegui_role role, size_t *out_count)
{
    const char *const *keys = NULL;
    size_t count = 0;
    switch (role) {
    case HEGUI_ROLE_ZONES:
        keys = zones_fields, count = COUNT(zones_fields);
        break;
    case HEGUI_ROLE_LANDUSE:
    case HEGUI_ROLE_PLAN_B:
        keys = landuse_fields, count = COUNT(landuse_fields);
        break;
    case HEGUI_ROLE_FARMLAND:
        keys = farmland_fields, count = COUNT(farmland_fields);
        break;
    case HEGUI_ROLE_REDLINE:
        keys = redline_fields, count = COUNT(redline_fields);
        break;
    case HEGUI_ROLE_URBAN_BOUNDARY:
        keys = urban_boundary_fields, count = COUNT(urban_boundary_fields);
        break;
    case HEGUI_ROLE_ENTERPRISES:
        keys = enterprises_fields, count = COUNT(enterprises_fields);
        break;
    default:
        break;
    }
    if (out_count)
        *out_count = count;
    return keys;
}

const char *hegui_layer_field(const hegui_layer_spec *spec, const char *key)
{
    size_t i;
    if (!spec || !key)
        return NULL;
    for (i = 0; i < spec->field_count; i++) {
        if (strcmp(spec->fields[i].key, key) == 0)
            return spec->fields[i].field;
    }
    return NULL;
}

/* ------------------------------------------------------------------ */
/* numbers, independent of LC_NUMERIC                                  */

/* The locale's decimal point (one byte; '.' in the C locale). */
static char locale_point(void)
{
    const struct lconv *lc = localeconv();
    char point = '.';
    if (lc && lc->decimal_point && lc->decimal_point[0])
        point = lc->decimal_point[0];
    return point;
}

int config_number_parse(double *out, const char *text)
{
    char copy[128];
    const char *p = text;
    char *end;
    size_t digits = 0, len;
    double value;
    if (!text)
        return HEGUI_EINVAL;
    len = strlen(text);
    if (len == 0 || len >= sizeof(copy))
        return HEGUI_EINVAL;
    /* [+-] digits [. digits] [e [+-] digits], at least one mantissa digit */
    if (*p == '+' || *p == '-')
        p++;
    while (*p >= '0' && *p <= '9')
        p++, digits++;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9')
            p++, digits++;
    }
    if (digits == 0)
        return HEGUI_EINVAL;
    if (*p == 'e' || *p == 'E') {
        size_t exp_digits = 0;
        p++;
        if (*p == '+' || *p == '-')
            p++;
        while (*p >= '0' && *p <= '9')
            p++, exp_digits++;
        if (exp_digits == 0)
            return HEGUI_EINVAL;
    }
    if (*p != '\0')
        return HEGUI_EINVAL;
    memcpy(copy, text, len + 1);
    end = strchr(copy, '.');
    if (end)
        *end = locale_point();
    errno = 0;
    value = strtod(copy, &end);
    if (*end != '\0' || !isfinite(value))
        return HEGUI_EINVAL;
    *out = value == 0.0 ? 0.0 : value; /* no "-0" */
    return HEGUI_OK;
}

void config_number_format(char *out, size_t size, double value)
{
    int precision;
    double back;
    char point = locale_point();
    char *p;
    if (value == 0.0)
        value = 0.0;
    for (precision = 15; precision <= 17; precision++) {
        snprintf(out, size, "%.*g", precision, value);
        if (point != '.') {
            p = strchr(out, point);
            if (p)
                *p = '.';
        }
        if (config_number_parse(&back, out) == HEGUI_OK && back == value)
            break;
    }
}

/* ------------------------------------------------------------------ */
/* messages                                                            */

typedef struct ctx {
    const char *name; /* rules file for messages */
    int code;         /* HEGUI_ECONFIG, or HEGUI_EINTERNAL for the built-in file */
    bool complete;    /* the default file: every setting must be given */
    const char *dir;  /* folder of the rules file, with its '/', or NULL */
    size_t dir_len;
    const char *context; /* "rule S03", "layer entry 2", or NULL */
} ctx;

/* Sets the error "name:line:column: [context: ]message" (no position when
 * line is 0: the value came from the built-in defaults). */
static int vfail_at(const ctx *c, int line, int column, const char *fmt, va_list ap)
{
    char message[1200];
    vsnprintf(message, sizeof(message), fmt, ap);
    if (line > 0)
        hegui_error_set(c->code, "%s:%d:%d: %s%s%s", c->name, line, column,
                        c->context ? c->context : "", c->context ? ": " : "", message);
    else
        hegui_error_set(c->code, "%s: %s%s%s", c->name, c->context ? c->context : "",
                        c->context ? ": " : "", message);
    /* visibly negative, for readers and static analysers */
    return c->code < 0 ? c->code : HEGUI_EINTERNAL;
}

/* The code of a failure just reported, visibly negative. */
static int failed(const ctx *c)
{
    return c->code < 0 ? c->code : HEGUI_EINTERNAL;
}

static int fail_at(const ctx *c, hegui_pos pos, const char *fmt, ...) HEGUI_PRINTF(3, 4);
static int fail_at(const ctx *c, hegui_pos pos, const char *fmt, ...)
{
    va_list ap;
    int rc;
    va_start(ap, fmt);
    rc = vfail_at(c, pos.line, pos.column, fmt, ap);
    va_end(ap);
    return rc;
}

static int fail_value(const ctx *c, const hegui_value *v, const char *fmt, ...) HEGUI_PRINTF(3, 4);
static int fail_value(const ctx *c, const hegui_value *v, const char *fmt, ...)
{
    va_list ap;
    int rc;
    va_start(ap, fmt);
    rc = vfail_at(c, v->line, v->column, fmt, ap);
    va_end(ap);
    return rc;
}

/* What v is, for "got ...": 'text' (shortened), nothing, a list, a map. */
static const char *describe(const hegui_value *v, char *buf, size_t size)
{
    if (v->kind == HEGUI_VALUE_LIST)
        return "a list";
    if (v->kind == HEGUI_VALUE_MAP)
        return "a map";
    if (!v->scalar)
        return "nothing";
    if (strlen(v->scalar) > 60)
        snprintf(buf, size, "'%.60s…'", v->scalar);
    else
        snprintf(buf, size, "'%s'", v->scalar);
    return buf;
}

/* names joined by ", " into buf (truncated to fit). */
static const char *join(char *buf, size_t size, const char *const *names, size_t count)
{
    size_t i, used = 0;
    buf[0] = '\0';
    for (i = 0; i < count && used < size; i++) {
        int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", names[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    return buf;
}

/* "a|b|c" -> "a, b, c" */
static const char *choices_text(char *buf, size_t size, const char *choices)
{
    size_t i, used = 0;
    for (i = 0; choices[i] && used + 3 < size; i++) {
        if (choices[i] == '|') {
            buf[used++] = ',';
            buf[used++] = ' ';
        } else {
            buf[used++] = choices[i];
        }
    }
    buf[used] = '\0';
    return buf;
}

static bool choice_has(const char *choices, const char *word)
{
    size_t len = strlen(word);
    const char *p = choices;
    while (*p) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n == len && strncmp(p, word, len) == 0)
            return true;
        if (!bar)
            break;
        p = bar + 1;
    }
    return false;
}

/* ------------------------------------------------------------------ */
/* typed checks of one value                                           */

static int expect_text(const ctx *c, const hegui_value *v, const char *what, const char **out)
{
    char got[96];
    if (v->kind == HEGUI_VALUE_SCALAR && v->scalar && v->scalar[0]) {
        *out = v->scalar;
        return HEGUI_OK;
    }
    fail_value(c, v, "expected text for %s, got %s", what, describe(v, got, sizeof(got)));
    return failed(c);
}

static int expect_number(const ctx *c, const hegui_value *v, const char *what, double *out)
{
    char got[96];
    double value = 0;
    if (v->kind != HEGUI_VALUE_SCALAR || !v->scalar ||
        config_number_parse(&value, v->scalar) != HEGUI_OK) {
        fail_value(c, v, "expected a number for %s, got %s", what, describe(v, got, sizeof(got)));
        return failed(c);
    }
    if (value < 0) {
        fail_value(c, v, "%s must not be negative, got %s", what, describe(v, got, sizeof(got)));
        return failed(c);
    }
    if (out)
        *out = value;
    return HEGUI_OK;
}

static int expect_bool(const ctx *c, const hegui_value *v, const char *what, int *out)
{
    char got[96];
    const char *s = v->kind == HEGUI_VALUE_SCALAR ? v->scalar : NULL;
    if (s && (strcmp(s, "true") == 0 || strcmp(s, "True") == 0 || strcmp(s, "TRUE") == 0)) {
        if (out)
            *out = 1;
        return HEGUI_OK;
    }
    if (s && (strcmp(s, "false") == 0 || strcmp(s, "False") == 0 || strcmp(s, "FALSE") == 0)) {
        if (out)
            *out = 0;
        return HEGUI_OK;
    }
    fail_value(c, v, "expected true or false for %s, got %s", what, describe(v, got, sizeof(got)));
    return failed(c);
}

static int expect_enum(const ctx *c, const hegui_value *v, const char *what, const char *choices,
                       const char **out)
{
    char got[96], list[256];
    if (v->kind == HEGUI_VALUE_SCALAR && v->scalar && choice_has(choices, v->scalar)) {
        if (out)
            *out = v->scalar;
        return HEGUI_OK;
    }
    fail_value(c, v, "expected one of %s for %s, got %s", choices_text(list, sizeof(list), choices),
               what, describe(v, got, sizeof(got)));
    return failed(c);
}

/* A code or label in a list or as a map key, against the parameter's
 * syntax. INDUSTRY is checked later against I01 (check_industries). */
static int expect_syntax(const ctx *c, hegui_pos pos, const char *text, hegui_param_syntax syntax,
                         const char *what)
{
    const char *p;
    if (!text[0])
        return fail_at(c, pos, "empty text in %s", what);
    if (syntax == HEGUI_SYNTAX_DIGITS) {
        for (p = text; *p; p++) {
            if (*p < '0' || *p > '9')
                return fail_at(c, pos, "expected a code of digits in %s, got '%s'", what, text);
        }
    } else if (syntax == HEGUI_SYNTAX_CODE) {
        for (p = text; *p; p++) {
            if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z')))
                return fail_at(c, pos,
                               "expected a code of digits and capital letters in %s, got '%s'",
                               what, text);
        }
    }
    return HEGUI_OK;
}

static hegui_pos value_pos(const hegui_value *v)
{
    hegui_pos pos;
    pos.line = v->line;
    pos.column = v->column;
    return pos;
}

/* A LIST of non-empty texts of the given syntax. */
static int expect_text_list(const ctx *c, const hegui_value *v, const char *what,
                            hegui_param_syntax syntax)
{
    char got[96];
    size_t i;
    int rc;
    if (v->kind != HEGUI_VALUE_LIST)
        return fail_value(c, v, "expected a list for %s, got %s", what,
                          describe(v, got, sizeof(got)));
    for (i = 0; i < v->count; i++) {
        const hegui_value *item = &v->items[i];
        if (item->kind != HEGUI_VALUE_SCALAR || !item->scalar)
            return fail_value(c, item, "expected text items in %s, got %s", what,
                              describe(item, got, sizeof(got)));
        rc = expect_syntax(c, value_pos(item), item->scalar, syntax, what);
        if (rc < 0)
            return rc;
    }
    return HEGUI_OK;
}

static int expect_regex(const ctx *c, const hegui_value *v, const char *what)
{
    regex_t re;
    char reason[256];
    int err = regcomp(&re, v->scalar, REG_EXTENDED | REG_NOSUB);
    if (err != 0) {
        regerror(err, &re, reason, sizeof(reason));
        return fail_value(c, v, "invalid regular expression for %s: %s", what, reason);
    }
    regfree(&re);
    return HEGUI_OK;
}

/* ------------------------------------------------------------------ */
/* building                                                            */

static void layer_release(hegui_layer_spec *spec)
{
    size_t i;
    hegui_free(spec->path);
    hegui_free(spec->layer);
    hegui_free(spec->label);
    hegui_free(spec->where);
    hegui_free(spec->srs);
    hegui_free(spec->encoding);
    hegui_free(spec->code_set);
    for (i = 0; i < spec->field_count; i++) {
        hegui_free(spec->fields[i].key);
        hegui_free(spec->fields[i].field);
    }
    hegui_free(spec->fields);
    memset(spec, 0, sizeof(*spec));
}

static void layers_free(hegui_layer_spec *layers, size_t count)
{
    size_t i;
    for (i = 0; i < count; i++)
        layer_release(&layers[i]);
    hegui_free(layers);
}

void hegui_config_free(hegui_config *config)
{
    size_t i;
    if (!config)
        return;
    hegui_free(config->source);
    hegui_free(config->working_crs);
    layers_free(config->layers, config->layer_count);
    for (i = 0; i < config->rule_count; i++)
        config_value_release(&config->rules[i].params);
    hegui_free(config->rules);
    hegui_free(config);
}

/* Replaces *slot with a copy of text (NULL allowed). */
static int set_string(char **slot, const char *text)
{
    char *copy = NULL;
    if (text) {
        copy = hegui_strdup(text);
        if (!copy)
            return HEGUI_ENOMEM;
    }
    hegui_free(*slot);
    *slot = copy;
    return HEGUI_OK;
}

/* A configuration with every rule at its catalogue severity and every
 * parameter unset (a null scalar), for the default file to fill. */
static int config_new(hegui_config **out)
{
    size_t i, count;
    const hegui_rule_def *defs = hegui_rules_catalogue(&count);
    const hegui_param_def *p;
    hegui_config *cfg;
    hegui_value unset;
    hegui_pos nowhere = {0, 0};
    int rc = HEGUI_OK;
    *out = NULL;
    cfg = hegui_calloc(1, sizeof(*cfg));
    if (!cfg)
        return HEGUI_ENOMEM;
    cfg->rules = hegui_calloc(count, sizeof(*cfg->rules));
    if (!cfg->rules) {
        rc = HEGUI_ENOMEM;
        goto done;
    }
    cfg->rule_count = count;
    for (i = 0; i < count; i++) {
        hegui_rule_config *rule = &cfg->rules[i];
        rule->id = defs[i].id;
        rule->enabled = 1;
        rule->severity = defs[i].default_severity;
        rule->params.kind = HEGUI_VALUE_MAP;
        for (p = defs[i].params; p->name; p++) {
            memset(&unset, 0, sizeof(unset));
            rc = config_map_append(&rule->params, p->name, nowhere, &unset);
            if (rc < 0)
                goto done;
        }
    }
done:
    if (rc < 0)
        hegui_config_free(cfg);
    else
        *out = cfg;
    return rc;
}

/* GDAL connection strings (PG:…, MySQL:…) and drive letters are not paths
 * relative to the rules file. */
static bool has_scheme(const char *path)
{
    const char *p = path;
    if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
        return false;
    while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
           *p == '_')
        p++;
    return *p == ':';
}

static char *resolve_path(const ctx *c, const char *path)
{
    if (!c->dir || path[0] == '/' || path[0] == '\\' || has_scheme(path))
        return hegui_strdup(path);
    return hegui_sprintf("%.*s%s", (int)c->dir_len, c->dir, path);
}

/* fields: {logical: FIELD, …} of a layer entry of the given role. */
static int build_fields(const ctx *c, const hegui_value *v, hegui_role role, hegui_layer_spec *spec)
{
    char got[96], known[512];
    size_t i, j, key_count;
    const char *const *keys = hegui_layer_field_keys(role, &key_count);
    const char *field = NULL;
    int rc;
    if (config_value_is_null(v))
        return HEGUI_OK;
    if (v->kind != HEGUI_VALUE_MAP)
        return fail_value(c, v, "expected a map of logical name: field name for fields, got %s",
                          describe(v, got, sizeof(got)));
    if (v->count == 0)
        return HEGUI_OK;
    spec->fields = hegui_calloc(v->count, sizeof(*spec->fields));
    if (!spec->fields)
        return HEGUI_ENOMEM;
    for (i = 0; i < v->count; i++) {
        for (j = 0; j < key_count; j++) {
            if (strcmp(keys[j], v->keys[i]) == 0)
                break;
        }
        if (key_count == 0)
            return fail_at(c, v->key_pos[i],
                           "unknown field '%s': layers of role %s have no fields to map",
                           v->keys[i], hegui_role_name(role));
        if (j == key_count)
            return fail_at(c, v->key_pos[i], "unknown field '%s' for a %s layer (known: %s)",
                           v->keys[i], hegui_role_name(role),
                           join(known, sizeof(known), keys, key_count));
        rc = expect_text(c, &v->items[i], v->keys[i], &field);
        if (rc < 0)
            return rc;
        spec->fields[i].key = hegui_strdup(v->keys[i]);
        spec->fields[i].field = hegui_strdup(field);
        spec->field_count = i + 1;
        if (!spec->fields[i].key || !spec->fields[i].field)
            return HEGUI_ENOMEM;
    }
    return HEGUI_OK;
}

/* An optional text setting of a layer entry: null leaves it unset. */
static int optional_text(const ctx *c, const hegui_value *v, const char *what, char **slot)
{
    const char *text = NULL;
    int rc;
    if (config_value_is_null(v))
        return set_string(slot, NULL);
    rc = expect_text(c, v, what, &text);
    if (rc < 0)
        return rc;
    return set_string(slot, text);
}

/* One entry of `layers`; spec is zeroed and released by the caller. */
static int build_layer(ctx *c, const hegui_value *v, size_t number, hegui_layer_spec *spec)
{
    char got[96], known[256], context[48];
    const hegui_value *role_v, *path_v;
    const char *text = NULL;
    size_t i;
    int rc;
    if (v->kind != HEGUI_VALUE_MAP)
        return fail_value(c, v, "expected a map for layer entry %zu, got %s", number,
                          describe(v, got, sizeof(got)));
    spec->line = v->line;
    role_v = hegui_value_get(v, "role");
    path_v = hegui_value_get(v, "path");
    if (!path_v)
        return fail_value(c, v, "layer entry %zu has no path", number);
    if (!role_v)
        return fail_value(c, v, "layer entry %zu has no role (roles: " ROLES_TEXT ")", number);
    snprintf(context, sizeof(context), "layer entry %zu", number);
    c->context = context;
    rc = expect_text(c, role_v, "role", &text);
    if (rc < 0)
        goto done;
    if (hegui_role_parse(&spec->role, text) < 0) {
        c->context = NULL;
        rc = fail_value(c, role_v, "role '%s' is not a role (roles: " ROLES_TEXT ")", text);
        goto done;
    }
    for (i = 0; i < v->count; i++) {
        const char *key = v->keys[i];
        const hegui_value *item = &v->items[i];
        if (strcmp(key, "path") == 0) {
            rc = expect_text(c, item, "path", &text);
            if (rc >= 0) {
                spec->path = resolve_path(c, text);
                rc = spec->path ? HEGUI_OK : HEGUI_ENOMEM;
            }
        } else if (strcmp(key, "role") == 0) {
            continue;
        } else if (strcmp(key, "layer") == 0) {
            rc = optional_text(c, item, key, &spec->layer);
        } else if (strcmp(key, "label") == 0) {
            rc = optional_text(c, item, key, &spec->label);
        } else if (strcmp(key, "where") == 0) {
            rc = optional_text(c, item, key, &spec->where);
        } else if (strcmp(key, "srs") == 0) {
            rc = optional_text(c, item, key, &spec->srs);
        } else if (strcmp(key, "encoding") == 0) {
            rc = optional_text(c, item, key, &spec->encoding);
        } else if (strcmp(key, "code_set") == 0) {
            if (spec->role != HEGUI_ROLE_LANDUSE && spec->role != HEGUI_ROLE_PLAN_B) {
                rc = fail_at(c, v->key_pos[i],
                             "code_set applies to landuse and plan_b layers only, not to %s",
                             hegui_role_name(spec->role));
            } else if (config_value_is_null(item)) {
                rc = set_string(&spec->code_set, NULL);
            } else {
                rc = expect_enum(c, item, "code_set", "ydyh|gbt21010", &text);
                if (rc >= 0)
                    rc = set_string(&spec->code_set, text);
            }
        } else if (strcmp(key, "fields") == 0) {
            rc = build_fields(c, item, spec->role, spec);
        } else {
            c->context = NULL;
            rc = fail_at(c, v->key_pos[i], "unknown key '%s' in layer entry %zu (known: %s)", key,
                         number, join(known, sizeof(known), layer_keys, COUNT(layer_keys)));
        }
        if (rc < 0)
            goto done;
    }
done:
    c->context = NULL;
    return rc;
}

/* `layers`: replaces the whole list. */
static int apply_layers(ctx *c, hegui_config *cfg, const hegui_value *v)
{
    char got[96];
    hegui_layer_spec *layers = NULL;
    size_t i, j, built = 0;
    int rc = HEGUI_OK;
    if (config_value_is_null(v)) {
        layers_free(cfg->layers, cfg->layer_count);
        cfg->layers = NULL;
        cfg->layer_count = 0;
        return HEGUI_OK;
    }
    if (v->kind != HEGUI_VALUE_LIST)
        return fail_value(c, v, "expected a list of layer entries for layers, got %s",
                          describe(v, got, sizeof(got)));
    if (v->count > 0) {
        layers = hegui_calloc(v->count, sizeof(*layers));
        if (!layers)
            return HEGUI_ENOMEM;
    }
    for (i = 0; i < v->count; i++) {
        built = i + 1;
        rc = build_layer(c, &v->items[i], i + 1, &layers[i]);
        if (rc < 0)
            goto done;
        if (!hegui_role_is_single(layers[i].role) || hegui_role_has_parts(layers[i].role))
            continue; /* parts of one plan (a file per county) are read together */
        for (j = 0; j < i; j++) {
            if (layers[j].role == layers[i].role) {
                rc = fail_value(c, &v->items[i],
                                "only one %s layer is allowed (the first is at line %d)",
                                hegui_role_name(layers[i].role), layers[j].line);
                goto done;
            }
        }
    }
done:
    if (rc < 0) {
        layers_free(layers, built);
        return rc;
    }
    layers_free(cfg->layers, cfg->layer_count);
    cfg->layers = layers;
    cfg->layer_count = v->count;
    return HEGUI_OK;
}

/* Replaces the value of params entry index by a copy of v, written at pos. */
static int replace_param(hegui_value *params, size_t index, const hegui_value *v, hegui_pos pos)
{
    hegui_value copy;
    int rc = config_value_copy(&copy, v);
    if (rc < 0)
        return rc;
    config_value_release(&params->items[index]);
    params->items[index] = copy;
    params->key_pos[index] = pos;
    return HEGUI_OK;
}

/* MAP and MAP_LIST parameters: checks v, then merges it into *slot entry by
 * entry (null removes an entry). */
static int merge_map_param(const ctx *c, const hegui_param_def *def, hegui_value *slot,
                           const hegui_value *v)
{
    char got[96];
    const char *unused;
    size_t i;
    int rc;
    if (v->kind != HEGUI_VALUE_MAP)
        return fail_value(c, v, "expected a map for %s, got %s", def->name,
                          describe(v, got, sizeof(got)));
    /* check everything before changing anything */
    for (i = 0; i < v->count; i++) {
        const hegui_value *item = &v->items[i];
        rc = expect_syntax(c, v->key_pos[i], v->keys[i],
                           def->type == HEGUI_PARAM_MAP ? def->syntax : HEGUI_SYNTAX_TEXT,
                           def->name);
        if (rc < 0)
            return rc;
        if (config_value_is_null(item))
            continue;
        if (def->type == HEGUI_PARAM_MAP_LIST)
            rc = expect_text_list(c, item, def->name, def->syntax);
        else if (def->choices)
            rc = expect_enum(c, item, def->name, def->choices, NULL);
        else
            rc = expect_text(c, item, def->name, &unused);
        if (rc < 0)
            return rc;
    }
    if (slot->kind != HEGUI_VALUE_MAP) {
        config_value_release(slot);
        slot->kind = HEGUI_VALUE_MAP;
    }
    slot->line = v->line;
    slot->column = v->column;
    for (i = 0; i < v->count; i++) {
        long at = config_map_find(slot, v->keys[i]);
        hegui_value copy;
        if (config_value_is_null(&v->items[i])) {
            if (at >= 0)
                config_map_remove(slot, (size_t)at);
            continue;
        }
        if (at >= 0) {
            rc = replace_param(slot, (size_t)at, &v->items[i], v->key_pos[i]);
        } else {
            rc = config_value_copy(&copy, &v->items[i]);
            if (rc >= 0) {
                rc = config_map_append(slot, v->keys[i], v->key_pos[i], &copy);
                config_value_release(&copy);
            }
        }
        if (rc < 0)
            return rc;
    }
    return HEGUI_OK;
}

/* One parameter of a rule: checks v against def and stores it. */
static int apply_param(ctx *c, hegui_rule_config *rule, const hegui_param_def *def,
                       const hegui_value *v, hegui_pos key_pos)
{
    long index = config_map_find(&rule->params, def->name);
    const char *text = NULL;
    int rc = HEGUI_OK;
    if (index < 0)
        return hegui_error_set(HEGUI_EINTERNAL, "rule %s lacks parameter %s", rule->id, def->name);
    switch (def->type) {
    case HEGUI_PARAM_NUMBER:
        rc = expect_number(c, v, def->name, NULL);
        break;
    case HEGUI_PARAM_STRING:
        rc = expect_text(c, v, def->name, &text);
        if (rc >= 0 && def->syntax == HEGUI_SYNTAX_REGEX)
            rc = expect_regex(c, v, def->name);
        break;
    case HEGUI_PARAM_ENUM:
        rc = expect_enum(c, v, def->name, def->choices, NULL);
        break;
    case HEGUI_PARAM_BOOL:
        rc = expect_bool(c, v, def->name, NULL);
        break;
    case HEGUI_PARAM_LIST:
        rc = expect_text_list(c, v, def->name, def->syntax);
        break;
    case HEGUI_PARAM_MAP:
    case HEGUI_PARAM_MAP_LIST:
        rc = merge_map_param(c, def, &rule->params.items[index], v);
        if (rc >= 0)
            rule->params.key_pos[index] = key_pos;
        return rc;
    }
    if (rc < 0)
        return rc;
    return replace_param(&rule->params, (size_t)index, v, key_pos);
}

/* One rule block: {enabled, severity, parameters…}. */
static int apply_rule(ctx *c, hegui_rule_config *rule, const hegui_rule_def *def,
                      const hegui_value *v)
{
    char got[96], known[512], context[32];
    const char *names[32];
    const hegui_param_def *p;
    const char *text = NULL;
    size_t i, name_count = 0;
    int rc = HEGUI_OK;
    if (v->kind != HEGUI_VALUE_MAP)
        return fail_value(c, v, "expected a map of settings for rule %s, got %s", def->id,
                          describe(v, got, sizeof(got)));
    snprintf(context, sizeof(context), "rule %s", def->id);
    for (i = 0; i < v->count; i++) {
        const char *key = v->keys[i];
        const hegui_value *item = &v->items[i];
        c->context = context;
        if (strcmp(key, "enabled") == 0) {
            rc = expect_bool(c, item, "enabled", &rule->enabled);
        } else if (strcmp(key, "severity") == 0) {
            rc = expect_enum(c, item, "severity", "error|warning|info", &text);
            if (rc >= 0)
                rc = hegui_severity_parse(&rule->severity, text);
        } else if ((p = hegui_rule_def_param(def, key)) != NULL) {
            rc = apply_param(c, rule, p, item, v->key_pos[i]);
        } else {
            names[name_count++] = "enabled";
            names[name_count++] = "severity";
            for (p = def->params; p->name && name_count < COUNT(names); p++)
                names[name_count++] = p->name;
            c->context = NULL;
            rc = fail_at(c, v->key_pos[i], "unknown key '%s' in rule %s (known: %s)", key, def->id,
                         join(known, sizeof(known), names, name_count));
        }
        if (rc < 0)
            break;
    }
    c->context = NULL;
    return rc;
}

static int apply_rules(ctx *c, hegui_config *cfg, const hegui_value *v)
{
    char got[96], known[512];
    const char *ids[64];
    size_t i, j, count;
    const hegui_rule_def *defs = hegui_rules_catalogue(&count);
    int rc;
    if (config_value_is_null(v))
        return HEGUI_OK;
    if (v->kind != HEGUI_VALUE_MAP)
        return fail_value(c, v, "expected a map of rule id: settings for rules, got %s",
                          describe(v, got, sizeof(got)));
    for (i = 0; i < v->count; i++) {
        const hegui_rule_def *def = hegui_rules_find(v->keys[i]);
        if (!def) {
            for (j = 0; j < count && j < COUNT(ids); j++)
                ids[j] = defs[j].id;
            return fail_at(c, v->key_pos[i], "unknown rule id '%s' (known: %s)", v->keys[i],
                           join(known, sizeof(known), ids, j));
        }
        rc = apply_rule(c, &cfg->rules[def - defs], def, &v->items[i]);
        if (rc < 0)
            return rc;
    }
    return HEGUI_OK;
}

/* The whole tree of one rules file. */
static int apply_root(ctx *c, hegui_config *cfg, const hegui_value *root)
{
    char got[96], known[256];
    const char *text = NULL;
    double number = 0;
    size_t i;
    int rc = HEGUI_OK;
    if (config_value_is_null(root))
        return HEGUI_OK; /* an empty document */
    if (root->kind != HEGUI_VALUE_MAP)
        return fail_value(c, root, "expected a map at the top of the rules file, got %s",
                          describe(root, got, sizeof(got)));
    for (i = 0; i < root->count && rc >= 0; i++) {
        const char *key = root->keys[i];
        const hegui_value *v = &root->items[i];
        if (strcmp(key, "version") == 0) {
            rc = expect_number(c, v, "version", &number);
            if (rc >= 0 && number != 1.0)
                rc = fail_value(c, v,
                                "unsupported rules file version %s (this hegui reads "
                                "version 1)",
                                v->scalar);
        } else if (strcmp(key, "working_crs") == 0) {
            rc = optional_text(c, v, "working_crs", &cfg->working_crs);
            cfg->working_crs_line = v->line;
        } else if (strcmp(key, "area_method") == 0) {
            rc = expect_enum(c, v, "area_method", "planar|ellipsoidal", &text);
            if (rc >= 0 && text)
                cfg->area_method =
                    strcmp(text, "planar") == 0 ? HEGUI_AREA_PLANAR : HEGUI_AREA_ELLIPSOIDAL;
        } else if (strcmp(key, "min_area_m2") == 0) {
            rc = expect_number(c, v, "min_area_m2", &cfg->min_area_m2);
        } else if (strcmp(key, "layers") == 0) {
            rc = apply_layers(c, cfg, v);
        } else if (strcmp(key, "rules") == 0) {
            rc = apply_rules(c, cfg, v);
        } else {
            rc = fail_at(c, root->key_pos[i], "unknown top-level key '%s' (known: %s)", key,
                         join(known, sizeof(known), top_keys, COUNT(top_keys)));
        }
    }
    return rc;
}

/* The default file must give everything, agree with the catalogue, and
 * name no layers. */
static int check_complete(const ctx *c, const hegui_config *cfg, const hegui_value *root)
{
    static const char *const required[] = {"version", "area_method", "min_area_m2", "rules"};
    const hegui_value *rules = hegui_value_get(root, "rules");
    hegui_pos nowhere = {0, 0};
    size_t i, j;
    for (i = 0; i < COUNT(required); i++) {
        if (!hegui_value_get(root, required[i]))
            return fail_at(c, nowhere, "no top-level %s", required[i]);
    }
    if (cfg->layer_count)
        return fail_at(c, nowhere, "the built-in rules file must not name layers");
    for (i = 0; i < cfg->rule_count; i++) {
        const hegui_rule_config *rule = &cfg->rules[i];
        const hegui_rule_def *def = hegui_rules_find(rule->id);
        const hegui_value *block = hegui_value_get(rules, rule->id);
        if (!block)
            return fail_at(c, nowhere, "no block for rule %s", rule->id);
        if (!hegui_value_get(block, "enabled") || !hegui_value_get(block, "severity"))
            return fail_value(c, block, "rule %s must give enabled and severity", rule->id);
        if (rule->severity != def->default_severity)
            return fail_value(c, block, "rule %s: severity %s differs from the catalogue's %s",
                              rule->id, hegui_severity_name(rule->severity),
                              hegui_severity_name(def->default_severity));
        for (j = 0; j < rule->params.count; j++) {
            if (config_value_is_null(&rule->params.items[j]))
                return fail_value(c, block, "rule %s has no value for %s", rule->id,
                                  rule->params.keys[j]);
        }
    }
    return HEGUI_OK;
}

/* A rule parameter with `inherit` follows the user's top-level setting of
 * that name unless the user's rule block sets the parameter itself. */
static int apply_inheritance(hegui_config *cfg, const hegui_value *root)
{
    const hegui_value *rules = hegui_value_get(root, "rules");
    size_t i, k;
    int rc;
    if (!root || root->kind != HEGUI_VALUE_MAP)
        return HEGUI_OK;
    for (k = 0; k < root->count; k++) {
        const hegui_value *top = &root->items[k];
        for (i = 0; i < cfg->rule_count; i++) {
            hegui_rule_config *rule = &cfg->rules[i];
            const hegui_rule_def *def = hegui_rules_find(rule->id);
            const hegui_value *block = rules ? hegui_value_get(rules, rule->id) : NULL;
            const hegui_param_def *p;
            for (p = def->params; p->name; p++) {
                long index;
                if (!p->inherit || strcmp(p->inherit, root->keys[k]) != 0)
                    continue;
                if (block && hegui_value_get(block, p->name))
                    continue;
                index = config_map_find(&rule->params, p->name);
                if (index < 0)
                    continue;
                rc = replace_param(&rule->params, (size_t)index, top, root->key_pos[k]);
                if (rc < 0)
                    return rc;
            }
        }
    }
    return HEGUI_OK;
}

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
    }
    return true;
}

/* INDUSTRY items (I02 polluting) must be labels of I01 industries or codes;
 * checked once everything is applied, as I01 may come later in the file or
 * be changed by the user. */
static int check_industries(ctx *c, const hegui_config *cfg)
{
    const hegui_rule_config *i01 = hegui_config_rule(cfg, "I01");
    const hegui_value *labels = i01 ? hegui_rule_param(i01, "industries") : NULL;
    char context[32];
    size_t i, j;
    for (i = 0; i < cfg->rule_count; i++) {
        const hegui_rule_config *rule = &cfg->rules[i];
        const hegui_rule_def *def = hegui_rules_find(rule->id);
        const hegui_param_def *p;
        for (p = def->params; p->name; p++) {
            const hegui_value *list;
            if (p->syntax != HEGUI_SYNTAX_INDUSTRY)
                continue;
            list = hegui_rule_param(rule, p->name);
            for (j = 0; list && list->kind == HEGUI_VALUE_LIST && j < list->count; j++) {
                const char *item = list->items[j].scalar;
                int rc;
                if (!item || all_digits(item) || config_map_find(labels, item) >= 0)
                    continue;
                snprintf(context, sizeof(context), "rule %s", rule->id);
                c->context = context;
                rc = fail_value(c, &list->items[j],
                                "'%s' in %s is neither a label of I01 industries nor a GB/T "
                                "4754 code",
                                item, p->name);
                c->context = NULL;
                return rc;
            }
        }
    }
    return HEGUI_OK;
}

/* Re-sets the current error with code HEGUI_EINTERNAL (the built-in file is
 * broken: a bug), keeping the message. */
static int as_internal(int rc)
{
    char message[1024];
    if (rc == HEGUI_ENOMEM || rc == HEGUI_EINTERNAL)
        return rc;
    snprintf(message, sizeof(message), "%s", hegui_error_last());
    return hegui_error_set(HEGUI_EINTERNAL, "%s", message);
}

/*
 * The default file, then (when text is not NULL) the user's text over it.
 */
static int build(hegui_config **out, const char *text, size_t len, const char *name)
{
    hegui_config *cfg = NULL;
    hegui_value defaults, user;
    ctx dc, uc;
    const char *slash;
    size_t i;
    int rc;
    *out = NULL;
    memset(&defaults, 0, sizeof(defaults));
    memset(&user, 0, sizeof(user));
    memset(&dc, 0, sizeof(dc));
    memset(&uc, 0, sizeof(uc));
    dc.name = DEFAULT_NAME;
    dc.code = HEGUI_EINTERNAL;
    dc.complete = true;

    rc = config_new(&cfg);
    if (rc < 0)
        goto done;
    rc = config_yaml_parse(&defaults, hegui_default_rules_yaml,
                           (size_t)hegui_default_rules_yaml_len, DEFAULT_NAME);
    if (rc < 0) {
        rc = as_internal(rc);
        goto done;
    }
    rc = apply_root(&dc, cfg, &defaults);
    if (rc >= 0)
        rc = check_complete(&dc, cfg, &defaults);
    if (rc < 0)
        goto done;

    if (!text) {
        rc = check_industries(&dc, cfg);
        if (rc < 0)
            goto done;
        rc = set_string(&cfg->source, name);
        goto done;
    }

    /* user file: positions of default values mean nothing in it */
    for (i = 0; i < cfg->rule_count; i++)
        config_value_forget_positions(&cfg->rules[i].params);
    uc.name = name;
    uc.code = HEGUI_ECONFIG;
    slash = strrchr(name, '/');
    if (slash) {
        uc.dir = name;
        uc.dir_len = (size_t)(slash - name) + 1;
    }
    rc = config_yaml_parse(&user, text, len, name);
    if (rc < 0)
        goto done;
    rc = apply_root(&uc, cfg, &user);
    if (rc >= 0)
        rc = apply_inheritance(cfg, &user);
    if (rc >= 0)
        rc = check_industries(&uc, cfg);
    if (rc >= 0)
        rc = set_string(&cfg->source, name);
done:
    config_value_release(&user);
    config_value_release(&defaults);
    if (rc < 0) {
        hegui_config_free(cfg);
        return rc;
    }
    *out = cfg;
    return HEGUI_OK;
}

const char *hegui_config_default_text(void)
{
    return hegui_default_rules_yaml;
}

int hegui_config_default(hegui_config **out)
{
    return build(out, NULL, 0, "<default>");
}

int hegui_config_parse(hegui_config **out, const char *text, size_t len, const char *name)
{
    return build(out, text ? text : "", text ? len : 0, name ? name : "<text>");
}

int hegui_config_set_working_crs(hegui_config *config, const char *definition)
{
    int rc = set_string(&config->working_crs, definition);
    if (rc == HEGUI_OK)
        config->working_crs_line = 0;
    return rc;
}

int hegui_config_load(hegui_config **out, const char *path)
{
    hegui_buf buf = HEGUI_BUF_INIT;
    char chunk[8192];
    FILE *file;
    size_t n;
    int rc = HEGUI_OK;
    *out = NULL;
    if (!path)
        return hegui_error_set(HEGUI_EINVAL, "no rules file named");
    file = fopen(path, "rb");
    if (!file)
        return hegui_error_set(HEGUI_EINPUT, "cannot read rules file '%s': %s", path,
                               strerror(errno));
    for (;;) {
        n = fread(chunk, 1, sizeof(chunk), file);
        if (n > 0) {
            if (buf.len + n > RULES_FILE_MAX) {
                rc = hegui_error_set(HEGUI_EINPUT, "rules file '%s' is larger than %lu bytes", path,
                                     RULES_FILE_MAX);
                goto done;
            }
            rc = hegui_buf_put(&buf, chunk, n);
            if (rc < 0)
                goto done;
        }
        if (n < sizeof(chunk)) {
            if (ferror(file)) {
                rc = hegui_error_set(HEGUI_EINPUT, "cannot read rules file '%s': %s", path,
                                     strerror(errno));
                goto done;
            }
            break;
        }
    }
    rc = hegui_config_parse(out, hegui_buf_cstr(&buf), buf.len, path);
done:
    fclose(file);
    hegui_buf_release(&buf);
    return rc;
}

/* ------------------------------------------------------------------ */
/* getters                                                             */

const hegui_rule_config *hegui_config_rule(const hegui_config *config, const char *id)
{
    size_t i;
    if (!config || !id)
        return NULL;
    for (i = 0; i < config->rule_count; i++) {
        if (strcmp(config->rules[i].id, id) == 0)
            return &config->rules[i];
    }
    return NULL;
}

const hegui_value *hegui_value_get(const hegui_value *map, const char *key)
{
    long index = key ? config_map_find(map, key) : -1;
    return index < 0 ? NULL : &map->items[index];
}

const hegui_value *hegui_value_longest_prefix(const hegui_value *map, const char *code)
{
    const hegui_value *best = NULL;
    size_t i, best_len = 0;
    if (!map || map->kind != HEGUI_VALUE_MAP || !code)
        return NULL;
    for (i = 0; i < map->count; i++) {
        size_t len = strlen(map->keys[i]);
        if (len > best_len && hegui_str_istarts(code, map->keys[i])) {
            best = &map->items[i];
            best_len = len;
        }
    }
    return best;
}

const hegui_value *hegui_rule_param(const hegui_rule_config *rule, const char *name)
{
    return rule ? hegui_value_get(&rule->params, name) : NULL;
}

double hegui_rule_number(const hegui_rule_config *rule, const char *name, double fallback)
{
    const hegui_value *v = hegui_rule_param(rule, name);
    double value;
    if (!v || v->kind != HEGUI_VALUE_SCALAR || config_number_parse(&value, v->scalar) < 0)
        return fallback;
    return value;
}

const char *hegui_rule_string(const hegui_rule_config *rule, const char *name, const char *fallback)
{
    const hegui_value *v = hegui_rule_param(rule, name);
    if (!v || v->kind != HEGUI_VALUE_SCALAR || !v->scalar)
        return fallback;
    return v->scalar;
}

/* ------------------------------------------------------------------ */
/* canonical text                                                      */

typedef struct sort_ref {
    const char *key;
    size_t index;
} sort_ref;

static int compare_sort_ref(const void *a, const void *b)
{
    return strcmp(((const sort_ref *)a)->key, ((const sort_ref *)b)->key);
}

/* The keys of a MAP with their indices, in byte order; NULL on ENOMEM. */
static sort_ref *sorted_keys(const hegui_value *map)
{
    sort_ref *refs = hegui_malloc((map->count ? map->count : 1) * sizeof(*refs));
    size_t i;
    if (!refs)
        return NULL;
    for (i = 0; i < map->count; i++) {
        refs[i].key = map->keys[i];
        refs[i].index = i;
    }
    qsort(refs, map->count, sizeof(*refs), compare_sort_ref);
    return refs;
}

static void put_number(hegui_buf *buf, const char *text)
{
    char out[40];
    double value = 0;
    if (config_number_parse(&value, text) < 0) {
        hegui_buf_put_json_string(buf, text);
        return;
    }
    config_number_format(out, sizeof(out), value);
    hegui_buf_puts(buf, out);
}

/* Scalars as strings, lists as arrays, maps as objects with sorted keys. */
static int put_generic(hegui_buf *buf, const hegui_value *v)
{
    sort_ref *refs;
    size_t i;
    if (v->kind == HEGUI_VALUE_SCALAR) {
        if (v->scalar)
            return hegui_buf_put_json_string(buf, v->scalar);
        return hegui_buf_puts(buf, "null");
    }
    if (v->kind == HEGUI_VALUE_LIST) {
        hegui_buf_putc(buf, '[');
        for (i = 0; i < v->count; i++) {
            if (i)
                hegui_buf_putc(buf, ',');
            if (put_generic(buf, &v->items[i]) < 0 && !buf->failed)
                return HEGUI_ENOMEM;
        }
        return hegui_buf_putc(buf, ']');
    }
    refs = sorted_keys(v);
    if (!refs)
        return HEGUI_ENOMEM;
    hegui_buf_putc(buf, '{');
    for (i = 0; i < v->count; i++) {
        if (i)
            hegui_buf_putc(buf, ',');
        hegui_buf_put_json_string(buf, refs[i].key);
        hegui_buf_putc(buf, ':');
        if (put_generic(buf, &v->items[refs[i].index]) < 0) {
            hegui_free(refs);
            return HEGUI_ENOMEM;
        }
    }
    hegui_free(refs);
    return hegui_buf_putc(buf, '}');
}

static int put_param(hegui_buf *buf, const hegui_param_def *def, const hegui_value *v)
{
    if (def && v->kind == HEGUI_VALUE_SCALAR && v->scalar) {
        if (def->type == HEGUI_PARAM_NUMBER) {
            put_number(buf, v->scalar);
            return buf->failed ? HEGUI_ENOMEM : HEGUI_OK;
        }
        if (def->type == HEGUI_PARAM_BOOL)
            return hegui_buf_puts(buf,
                                  (v->scalar[0] == 't' || v->scalar[0] == 'T') ? "true" : "false");
    }
    return put_generic(buf, v);
}

static void put_key(hegui_buf *buf, const char *key, bool first)
{
    if (!first)
        hegui_buf_putc(buf, ',');
    hegui_buf_put_json_string(buf, key);
    hegui_buf_putc(buf, ':');
}

static void put_opt_string(hegui_buf *buf, const char *key, const char *value)
{
    put_key(buf, key, false);
    if (value)
        hegui_buf_put_json_string(buf, value);
    else
        hegui_buf_puts(buf, "null");
}

static int put_layer(hegui_buf *buf, const hegui_layer_spec *spec)
{
    sort_ref *refs;
    size_t i;
    hegui_buf_putc(buf, '{');
    put_key(buf, "code_set", true);
    hegui_buf_puts(buf, spec->code_set ? "" : "null");
    if (spec->code_set)
        hegui_buf_put_json_string(buf, spec->code_set);
    put_opt_string(buf, "encoding", spec->encoding);
    put_key(buf, "fields", false);
    refs = hegui_malloc((spec->field_count ? spec->field_count : 1) * sizeof(*refs));
    if (!refs)
        return HEGUI_ENOMEM;
    for (i = 0; i < spec->field_count; i++) {
        refs[i].key = spec->fields[i].key;
        refs[i].index = i;
    }
    qsort(refs, spec->field_count, sizeof(*refs), compare_sort_ref);
    hegui_buf_putc(buf, '{');
    for (i = 0; i < spec->field_count; i++) {
        put_key(buf, refs[i].key, i == 0);
        hegui_buf_put_json_string(buf, spec->fields[refs[i].index].field);
    }
    hegui_buf_putc(buf, '}');
    hegui_free(refs);
    put_opt_string(buf, "label", spec->label);
    put_opt_string(buf, "layer", spec->layer);
    put_opt_string(buf, "path", spec->path);
    put_opt_string(buf, "role", hegui_role_name(spec->role));
    put_opt_string(buf, "srs", spec->srs);
    put_opt_string(buf, "where", spec->where);
    return hegui_buf_putc(buf, '}');
}

static int put_rule(hegui_buf *buf, const hegui_rule_config *rule)
{
    const hegui_rule_def *def = hegui_rules_find(rule->id);
    sort_ref *refs;
    size_t i;
    hegui_buf_putc(buf, '{');
    put_key(buf, "enabled", true);
    hegui_buf_puts(buf, rule->enabled ? "true" : "false");
    put_key(buf, "params", false);
    refs = sorted_keys(&rule->params);
    if (!refs)
        return HEGUI_ENOMEM;
    hegui_buf_putc(buf, '{');
    for (i = 0; i < rule->params.count; i++) {
        put_key(buf, refs[i].key, i == 0);
        if (put_param(buf, hegui_rule_def_param(def, refs[i].key),
                      &rule->params.items[refs[i].index]) < 0) {
            hegui_free(refs);
            return HEGUI_ENOMEM;
        }
    }
    hegui_free(refs);
    hegui_buf_putc(buf, '}');
    put_opt_string(buf, "severity", hegui_severity_name(rule->severity));
    return hegui_buf_putc(buf, '}');
}

char *hegui_config_canonical(const hegui_config *config)
{
    hegui_buf buf = HEGUI_BUF_INIT;
    sort_ref *refs = NULL;
    char number[40];
    size_t i;
    int rc = HEGUI_OK;
    if (!config) {
        hegui_error_set(HEGUI_EINVAL, "no configuration");
        return NULL;
    }
    hegui_buf_putc(&buf, '{');
    put_key(&buf, "area_method", true);
    hegui_buf_put_json_string(&buf,
                              config->area_method == HEGUI_AREA_PLANAR ? "planar" : "ellipsoidal");
    put_key(&buf, "layers", false);
    hegui_buf_putc(&buf, '[');
    for (i = 0; i < config->layer_count && rc >= 0; i++) {
        if (i)
            hegui_buf_putc(&buf, ',');
        rc = put_layer(&buf, &config->layers[i]);
    }
    hegui_buf_putc(&buf, ']');
    put_key(&buf, "min_area_m2", false);
    config_number_format(number, sizeof(number), config->min_area_m2);
    hegui_buf_puts(&buf, number);
    put_key(&buf, "rules", false);
    refs = hegui_malloc((config->rule_count ? config->rule_count : 1) * sizeof(*refs));
    if (!refs) {
        rc = HEGUI_ENOMEM;
    } else {
        for (i = 0; i < config->rule_count; i++) {
            refs[i].key = config->rules[i].id;
            refs[i].index = i;
        }
        qsort(refs, config->rule_count, sizeof(*refs), compare_sort_ref);
    }
    hegui_buf_putc(&buf, '{');
    for (i = 0; rc >= 0 && i < config->rule_count; i++) {
        put_key(&buf, refs[i].key, i == 0);
        rc = put_rule(&buf, &config->rules[refs[i].index]);
    }
    hegui_buf_putc(&buf, '}');
    put_key(&buf, "version", false);
    hegui_buf_puts(&buf, "1");
    put_opt_string(&buf, "working_crs", config->working_crs);
    hegui_buf_putc(&buf, '}');
    hegui_free(refs);
    if (rc < 0 || buf.failed) {
        hegui_buf_release(&buf);
        hegui_error_set(HEGUI_ENOMEM, "out of memory while writing the canonical configuration");
        return NULL;
    }
    return hegui_buf_take(&buf);
}
