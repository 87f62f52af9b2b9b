/*
 * roles.c - detects the role of a layer from its layer name, file name and
 * fields (DESIGN.md section 2, DOMAIN.md section 6). Detection is a
 * convenience: every result carries its reason, and a rules file can name
 * every layer explicitly.
 */
#include <stdio.h>
#include <string.h>

#include "io/io_internal.h"

/* One name pattern. ASCII codes match a whole token of the name or the
 * start of one (codes of at least 4 letters); Chinese text matches
 * anywhere in the name. */
typedef struct name_rule {
    hegui_role role;
    const char *pattern;
    const char *label; /* exclusion layers: what it is */
} name_rule;

/* Order matters only between patterns that could both match one name: the
 * more specific comes first. */
static const name_rule name_rules[] = {
    {HEGUI_ROLE_FARMLAND, "YJJBNT", NULL},
    {HEGUI_ROLE_FARMLAND, "JBNT", NULL},
    {HEGUI_ROLE_FARMLAND, "永久基本农田", NULL},
    {HEGUI_ROLE_FARMLAND, "基本农田", NULL},
    {HEGUI_ROLE_REDLINE, "STBHHX", NULL},
    {HEGUI_ROLE_REDLINE, "生态保护红线", NULL},
    {HEGUI_ROLE_REDLINE, "生态红线", NULL},
    {HEGUI_ROLE_URBAN_BOUNDARY, "CZKFBJ", NULL},
    {HEGUI_ROLE_URBAN_BOUNDARY, "CSKFBJ", NULL},
    {HEGUI_ROLE_URBAN_BOUNDARY, "城镇开发边界", NULL},
    {HEGUI_ROLE_ZONES, "KFQ", NULL},
    {HEGUI_ROLE_ZONES, "SZFW", NULL},
    {HEGUI_ROLE_ZONES, "开发区", NULL},
    {HEGUI_ROLE_ZONES, "四至", NULL},
    {HEGUI_ROLE_LANDUSE, "GHYDYH", NULL},
    {HEGUI_ROLE_LANDUSE, "YDYH", NULL},
    {HEGUI_ROLE_LANDUSE, "DLTB", NULL},
    {HEGUI_ROLE_LANDUSE, "用地用海", NULL},
    {HEGUI_ROLE_LANDUSE, "土地利用规划", NULL},
    {HEGUI_ROLE_ENTERPRISES, "QY", NULL},
    {HEGUI_ROLE_ENTERPRISES, "企业", NULL},
    {HEGUI_ROLE_URBAN_AREA, "ZXCQ", NULL},
    {HEGUI_ROLE_URBAN_AREA, "中心城区", NULL},
    {HEGUI_ROLE_URBAN_AREA, "市区", NULL},
    {HEGUI_ROLE_EXCLUSION, "ZRBHD", "自然保护地"},
    {HEGUI_ROLE_EXCLUSION, "自然保护地", "自然保护地"},
    {HEGUI_ROLE_EXCLUSION, "自然保护区", "自然保护地"},
    {HEGUI_ROLE_EXCLUSION, "SYBHQ", "饮用水水源保护区"},
    {HEGUI_ROLE_EXCLUSION, "水源保护区", "饮用水水源保护区"},
};

/* Fields that identify a role on their own (all must be present). */
typedef struct field_rule {
    hegui_role role;
    const char *fields[3];
} field_rule;

static const field_rule field_rules[] = {
    {HEGUI_ROLE_ZONES, {"KFQDM", NULL}},
    {HEGUI_ROLE_FARMLAND, {"YJJBNTTBBH", NULL}},
    {HEGUI_ROLE_REDLINE, {"HXBM", "HXLX", NULL}},
    {HEGUI_ROLE_LANDUSE, {"YDYHFLDM", NULL}},
    {HEGUI_ROLE_ENTERPRISES, {"QYMC", "HYDM", NULL}},
    {HEGUI_ROLE_LANDUSE, {"DLBM", "TBMJ", NULL}},
};

static bool is_ascii_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* True when the ASCII code matches a token of name: the token equals the
 * code, or (codes of 4+ letters) starts with it. Tokens are split at
 * non-alphanumeric bytes, so "KFQ_SZFW" has the tokens KFQ and SZFW. */
static bool token_match(const char *name, const char *code)
{
    size_t code_len = strlen(code);
    const unsigned char *p = (const unsigned char *)name;
    while (*p) {
        const unsigned char *start;
        size_t len;
        while (*p && !is_ascii_alnum(*p))
            p++;
        start = p;
        while (*p && is_ascii_alnum(*p))
            p++;
        len = (size_t)(p - start);
        if (len == 0)
            continue;
        if (len >= code_len && hegui_str_istarts((const char *)start, code) &&
            (len == code_len || code_len >= 4))
            return true;
    }
    return false;
}

static bool name_matches(const char *name, const char *pattern)
{
    if ((unsigned char)pattern[0] >= 0x80)
        return strstr(name, pattern) != NULL;
    return token_match(name, pattern);
}

static bool has_field(const char *const *fields, size_t count, const char *name)
{
    size_t i;
    for (i = 0; i < count; i++) {
        if (fields[i] && hegui_str_iequal(fields[i], name))
            return true;
    }
    return false;
}

/* Role from a name; writes reason and label on a match. */
static hegui_role detect_from_name(const char *what, const char *name, char *reason,
                                   size_t reason_size, char *label, size_t label_size)
{
    size_t i;
    for (i = 0; i < sizeof(name_rules) / sizeof(name_rules[0]); i++) {
        if (name_matches(name, name_rules[i].pattern)) {
            snprintf(reason, reason_size, "%s '%s' matches '%s'", what, name,
                     name_rules[i].pattern);
            if (name_rules[i].label)
                snprintf(label, label_size, "%s", name_rules[i].label);
            return name_rules[i].role;
        }
    }
    return HEGUI_ROLE_NONE;
}

hegui_role io_role_detect(const char *dataset_path, const char *layer_name,
                          const char *const *fields, size_t field_count, char *reason,
                          size_t reason_size, char *label, size_t label_size)
{
    hegui_role role = HEGUI_ROLE_NONE;
    char *stem = NULL;
    size_t i;

    reason[0] = '\0';
    label[0] = '\0';
    if (layer_name)
        role = detect_from_name("layer name", layer_name, reason, reason_size, label, label_size);
    if (role == HEGUI_ROLE_NONE && dataset_path) {
        stem = hegui_path_stem(dataset_path);
        if (stem && (!layer_name || strcmp(stem, layer_name) != 0))
            role = detect_from_name("file name", stem, reason, reason_size, label, label_size);
        hegui_free(stem);
    }
    if (role != HEGUI_ROLE_NONE)
        return role;
    for (i = 0; i < sizeof(field_rules) / sizeof(field_rules[0]); i++) {
        const field_rule *rule = &field_rules[i];
        size_t k;
        bool all = true;
        for (k = 0; k < 3 && rule->fields[k]; k++)
            all = all && has_field(fields, field_count, rule->fields[k]);
        if (all) {
            snprintf(reason, reason_size, "has the field%s %s%s%s", rule->fields[1] ? "s" : "",
                     rule->fields[0], rule->fields[1] ? ", " : "",
                     rule->fields[1] ? rule->fields[1] : "");
            return rule->role;
        }
    }
    snprintf(reason, reason_size, "no layer name, file name or field matches a role");
    return HEGUI_ROLE_NONE;
}
