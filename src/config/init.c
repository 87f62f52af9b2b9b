/*
 * init.c - the rules file `hegui init` writes: the layers hegui detected
 * in a folder, each with its role, the fields the rules read and (in
 * comments) its CRS; the working CRS; and the default rules.
 *
 * What makes the file safe to run unchanged:
 *   - each layer keeps the role it was detected in, and `fields` names the
 *     fields the checks resolve on it (hegui_check_layer_field), so the
 *     rules read the same attributes;
 *   - CRS and encodings are comments, never `srs`/`encoding` (which would
 *     override what the data declares and change S04), except a CRS that
 *     was itself assigned (-s_srs);
 *   - working_crs is the EPSG code hegui derived;
 *   - the rules section is the built-in rules file's (the defaults).
 * Layer paths are relative to the folder the file is saved in, as the
 * rules file resolves them. The text is deterministic (no clock).
 */
#define _XOPEN_SOURCE 700

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hegui/check.h"
#include "hegui/init.h"
#include "util/util.h"

/* Chinese names of the logical fields, for the comments. */
static const struct {
    const char *key, *zh;
} field_names[] = {
    {"code", "开发区代码"},
    {"name", "名称"},
    {"block", "区块名称"},
    {"approved_area_ha", "核准面积（公顷）"},
    {"block_area_ha", "区块面积（公顷）"},
    {"industries", "主导产业"},
    {"level", "级别"},
    {"class_code", "地类代码"},
    {"class_name", "地类名称"},
    {"id", "编号"},
    {"type", "类型"},
    {"industry_code", "行业代码"},
    {"investment", "投资（万元）"},
    {"output", "产值（万元）"},
    {"tax", "税收（万元）"},
    {"land_area_m2", "用地面积（平方米）"},
    {"env_compliant", "环评达标"},
    {"park", "所在园区"},
};

static const char *field_zh(const char *key)
{
    size_t i;
    for (i = 0; i < sizeof(field_names) / sizeof(field_names[0]); i++) {
        if (strcmp(field_names[i].key, key) == 0)
            return field_names[i].zh;
    }
    return "";
}

/* A YAML double-quoted scalar: \ and " escaped, control characters as \xNN. */
static void put_quoted(hegui_buf *b, const char *s)
{
    const unsigned char *p;
    hegui_buf_putc(b, '"');
    for (p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\') {
            hegui_buf_putc(b, '\\');
            hegui_buf_putc(b, (char)*p);
        } else if (*p < 0x20 || *p == 0x7F) {
            hegui_buf_printf(b, "\\x%02X", *p);
        } else {
            hegui_buf_putc(b, (char)*p);
        }
    }
    hegui_buf_putc(b, '"');
}

/* A comment line's text: newlines would end the comment, so they go. */
static void put_comment_text(hegui_buf *b, const char *s)
{
    const char *p;
    for (p = s ? s : ""; *p; p++)
        hegui_buf_putc(b, (*p == '\n' || *p == '\r') ? ' ' : *p);
}

/* Splits an absolute path in place into its components; returns how many. */
static size_t split_path(char *path, char **parts, size_t max)
{
    size_t n = 0;
    char *p = path, *save = NULL, *tok;
    for (tok = strtok_r(p, "/", &save); tok && n < max; tok = strtok_r(NULL, "/", &save))
        parts[n++] = tok;
    return n;
}

/*
 * target relative to folder dir ("../data/KFQ.shp"), both resolved with
 * realpath; target unchanged when either cannot be resolved (a "PG:"
 * connection string, a path that vanished). Free with hegui_free.
 */
static char *relative_path(const char *target, const char *dir)
{
    char real_target[PATH_MAX], real_dir[PATH_MAX];
    char *tparts[PATH_MAX / 2], *dparts[PATH_MAX / 2];
    hegui_buf b = HEGUI_BUF_INIT;
    size_t tn, dn, common = 0, i;

    if (!realpath(target, real_target) || !realpath(dir && *dir ? dir : ".", real_dir))
        return hegui_strdup(target);
    tn = split_path(real_target, tparts, PATH_MAX / 2);
    dn = split_path(real_dir, dparts, PATH_MAX / 2);
    while (common < tn && common < dn && strcmp(tparts[common], dparts[common]) == 0)
        common++;
    for (i = common; i < dn; i++)
        hegui_buf_puts(&b, "../");
    for (i = common; i < tn; i++) {
        hegui_buf_puts(&b, tparts[i]);
        if (i + 1 < tn)
            hegui_buf_putc(&b, '/');
    }
    if (b.failed) {
        hegui_buf_release(&b);
        return NULL;
    }
    return hegui_buf_take(&b);
}

static void describe_crs(hegui_buf *b, const hegui_layer_info *l)
{
    if (!l->has_crs) {
        hegui_buf_puts(b, "无 / none");
        return;
    }
    if (l->crs.epsg)
        hegui_buf_printf(b, "EPSG:%d ", l->crs.epsg);
    put_comment_text(b, l->crs.name);
    if (l->crs_assigned)
        hegui_buf_puts(b, "（指定 / assigned）");
}

/* The header comment. */
static void put_header(hegui_buf *b, const hegui_init_options *o)
{
    size_t i;
    hegui_buf_puts(b, "# hegui 规则文件 / hegui rules file\n#\n"
                      "# 由 `hegui init` 根据以下数据生成 / written by `hegui init` from:");
    for (i = 0; o->inputs && i < o->input_count; i++) {
        char *shown = hegui_path_shown(o->inputs[i]);
        hegui_buf_puts(b, i ? ", " : " ");
        put_comment_text(b, shown ? shown : "?");
        hegui_free(shown);
    }
    hegui_buf_puts(
        b, "\n#\n"
           "# 本文件可直接使用：`hegui check -c 本文件` 与不用规则文件检查同一目录的结果相同。\n"
           "# It runs unchanged: `hegui check -c THIS_FILE` finds what a check of the same\n"
           "# folder without a rules file finds. Edit it to name layers, fields or\n"
           "# parameters of your own; `hegui rules --default` explains every setting.\n"
           "#\n"
           "# 图层路径相对于本文件所在的目录。\n"
           "# Layer paths are relative to the folder of this file.\n\n"
           "version: 1\n\n");
}

/* working_crs: config's (given with -t_srs), else the EPSG code derived
 * from the zones, or ~ with the reason. Fails only for a given CRS that is
 * not usable. */
static int put_working_crs(hegui_buf *b, const hegui_catalog *catalog, const hegui_config *config)
{
    hegui_crs_info crs;
    const char *why = NULL, *given = config ? config->working_crs : NULL;
    int rc;
    hegui_buf_puts(b, "# 工作坐标系：所有图层统一到此坐标系计算。\n"
                      "# Working CRS: every layer is brought into it.\n");
    memset(&crs, 0, sizeof(crs));
    if ((rc = hegui_catalog_working_crs(&crs, &why, catalog, given ? config : NULL)) < 0) {
        if (given)
            return rc;
        hegui_buf_puts(b, "# 无法推导 / cannot be derived: ");
        put_comment_text(b, hegui_error_last());
        hegui_buf_puts(b,
                       "\n# 请填写，例如 EPSG:4547 / name it, e.g. EPSG:4547\nworking_crs: ~\n\n");
        hegui_error_clear();
        return HEGUI_OK;
    }
    hegui_buf_puts(b, given ? "# 指定 / given: " : "# 检测结果 / detected: ");
    if (crs.epsg)
        hegui_buf_printf(b, "EPSG:%d ", crs.epsg);
    put_comment_text(b, crs.name);
    hegui_buf_puts(b, "\n#   (");
    put_comment_text(b, why);
    hegui_buf_puts(b, ")\n");
    if (crs.epsg) {
        hegui_buf_printf(b, "working_crs: EPSG:%d\n\n", crs.epsg);
    } else if (given) {
        hegui_buf_puts(b, "working_crs: ");
        put_quoted(b, given);
        hegui_buf_puts(b, "\n\n");
    } else {
        hegui_buf_puts(b, "# 没有 EPSG 代码，每次运行时推导 / no EPSG code: derived on every run\n"
                          "working_crs: ~\n\n");
    }
    return HEGUI_OK;
}

/* A number of the configuration, locale-free: up to 6 decimals, trimmed
 * ("1.0", "0.001"). */
static void put_number(hegui_buf *b, double v)
{
    long long micro = llround(v * 1e6);
    long long whole = micro / 1000000, frac = micro % 1000000;
    char digits[8];
    int n;
    if (micro < 0) {
        hegui_buf_putc(b, '-');
        whole = -whole;
        frac = -frac;
    }
    snprintf(digits, sizeof(digits), "%06lld", frac);
    for (n = 6; n > 1 && digits[n - 1] == '0'; n--)
        ;
    digits[n] = '\0';
    hegui_buf_printf(b, "%lld.%s", whole, digits);
}

static void put_settings(hegui_buf *b, const hegui_config *defaults)
{
    hegui_buf_puts(
        b, "# 以哪种面积判定：planar（工作坐标系平面面积）| ellipsoidal（CGCS2000 椭球面积）。\n"
           "# Which area decides: planar (working CRS) | ellipsoidal (CGCS2000).\n");
    hegui_buf_printf(b, "area_method: %s\n\n",
                     defaults->area_method == HEGUI_AREA_ELLIPSOIDAL ? "ellipsoidal" : "planar");
    hegui_buf_puts(
        b, "# 面积（平方米）不超过此值的重叠视为噪声。下面的规则也各自写出了 min_area_m2：\n"
           "# 修改此值时一并修改（或删去规则中的这一项，使其沿用此值）。\n"
           "# Overlaps of this area (m²) or less are noise. The rules below also set\n"
           "# their own min_area_m2: change those too (or delete them to follow this).\n"
           "min_area_m2: ");
    put_number(b, defaults->min_area_m2);
    hegui_buf_puts(b, "\n\n");
}

/* One layer entry; commented out (prefix "# ") when comment is set. */
static int put_layer(hegui_buf *b, const hegui_layer_info *l, const char *rules_dir,
                     const char *comment)
{
    const char *pre = comment ? "  # " : "  ";
    const char *const *keys;
    size_t key_count = 0, i;
    /* a connection string without its password (l->path masks it) */
    bool secret = l->gdal_path && hegui_str_istarts(l->path, "PG:");
    char *path =
        secret ? hegui_path_without_password(l->gdal_path) : relative_path(l->path, rules_dir);
    if (!path)
        return HEGUI_ENOMEM;

    hegui_buf_puts(b, "\n  # ");
    if (l->role != HEGUI_ROLE_NONE)
        hegui_buf_printf(b, "%s / %s", hegui_role_name_zh(l->role), hegui_role_name(l->role));
    else
        hegui_buf_puts(b, "未识别角色 / no role");
    hegui_buf_puts(b, " — ");
    put_comment_text(b, l->role_reason);
    hegui_buf_puts(b, "\n  # 坐标系 / CRS: ");
    describe_crs(b, l);
    hegui_buf_printf(b, "\n  # %s, %lld 个要素 / features; 编码 / encoding: ", l->geometry_type,
                     (long long)l->feature_count);
    put_comment_text(b, l->encoding);
    hegui_buf_putc(b, '\n');
    if (comment) {
        hegui_buf_puts(b, "  # ");
        put_comment_text(b, comment);
        hegui_buf_putc(b, '\n');
    }
    if (secret)
        hegui_buf_puts(b, "  # 密码未写入本文件 / the password is not written here: give it with "
                          "PGPASSWORD or ~/.pgpass\n");
    hegui_buf_printf(b, "%s- path: ", pre);
    put_quoted(b, path);
    hegui_buf_printf(b, "\n%s  layer: ", pre);
    put_quoted(b, l->layer_name);
    hegui_buf_printf(b, "\n%s  role: %s\n", pre,
                     l->role != HEGUI_ROLE_NONE ? hegui_role_name(l->role) : "exclusion");
    if (l->label) {
        hegui_buf_printf(b, "%s  label: ", pre);
        put_quoted(b, l->label);
        hegui_buf_putc(b, '\n');
    }
    if (l->crs_assigned && l->crs.epsg)
        hegui_buf_printf(b, "%s  srs: EPSG:%d\n", pre, l->crs.epsg);
    keys = hegui_layer_field_keys(l->role, &key_count);
    if (key_count) {
        hegui_buf_printf(b, "%s  fields:                 # 逻辑名: 字段 / logical name: field\n",
                         pre);
        for (i = 0; i < key_count; i++) {
            const char *field = hegui_check_layer_field(l, keys[i]);
            if (field) {
                size_t width = strlen(keys[i]) + 2 + strlen(field) + 2;
                hegui_buf_printf(b, "%s    %s: ", pre, keys[i]);
                put_quoted(b, field);
                while (width++ < 24)
                    hegui_buf_putc(b, ' ');
                hegui_buf_printf(b, " # %s\n", field_zh(keys[i]));
            } else {
                hegui_buf_printf(b, "%s    # %s: （未找到 / not found）%s\n", pre, keys[i],
                                 field_zh(keys[i]));
            }
        }
    }
    hegui_free(path);
    return HEGUI_OK;
}

/* The rules section of the built-in file, from its "# 规则 / Rules" comment
 * (or its "rules:" line) to the end. */
static void put_rules(hegui_buf *b)
{
    const char *text = hegui_config_default_text();
    const char *start = strstr(text, "\n# 规则 / Rules");
    if (!start)
        start = strstr(text, "\nrules:");
    hegui_buf_puts(
        b, "\n# 以下为内置规则文件（`hegui rules --default`）的规则部分：全部规则及其默认参数。\n"
           "# Below: the rules of the built-in rules file (`hegui rules --default`),\n"
           "# every rule with its default parameters.\n");
    hegui_buf_puts(b, start ? start : "\nrules: {}\n");
}

int hegui_init_rules_text(char **out, const hegui_catalog *catalog,
                          const hegui_init_options *options)
{
    hegui_init_options defaults;
    hegui_config *config = NULL;
    hegui_buf b = HEGUI_BUF_INIT;
    bool used[HEGUI_ROLE_COUNT];
    size_t i, listed = 0;
    int rc;

    *out = NULL;
    if (!options) {
        memset(&defaults, 0, sizeof(defaults));
        options = &defaults;
    }
    memset(used, 0, sizeof(used));
    if ((rc = hegui_config_default(&config)) < 0)
        return rc;
    put_header(&b, options);
    if ((rc = put_working_crs(&b, catalog, options->config)) < 0) {
        hegui_config_free(config);
        hegui_buf_release(&b);
        return rc;
    }
    put_settings(&b, config);
    hegui_config_free(config);

    hegui_buf_printf(&b,
                     "# 图层 / Layers: %zu 个 / found. 角色、字段与坐标系为检测结果。\n"
                     "# The role each was detected in (and why), the fields the rules read\n"
                     "# from it, its CRS and encoding.\n",
                     catalog->count);
    for (i = 0; i < catalog->count; i++)
        listed += catalog->layers[i].role != HEGUI_ROLE_NONE;
    hegui_buf_puts(&b, listed ? "layers:\n" : "# layers:\n");
    for (i = 0; i < catalog->count; i++) {
        const hegui_layer_info *l = &catalog->layers[i];
        const char *comment = NULL;
        if (l->role == HEGUI_ROLE_NONE)
            comment = "未使用：如需使用，取消注释并填写角色 / not used: uncomment and set "
                      "its role to use it";
        else if (hegui_role_has_parts(l->role) && used[l->role])
            comment =
                "该角色已有一个图层：如两者是同一规划的分县图层，取消注释即一并读取，否则二选一 "
                "/ another layer has this role: if both are parts of one plan (a file per "
                "county), uncomment this entry to read them as one; else choose one";
        else if (hegui_role_is_single(l->role) && used[l->role])
            comment = "该角色只能有一个图层，已有一个：请二选一 / only one layer may have this "
                      "role and another has it: choose one";
        if ((rc = put_layer(&b, l, options->rules_dir, comment)) < 0) {
            hegui_buf_release(&b);
            return rc;
        }
        if (!comment)
            used[l->role] = true;
    }
    put_rules(&b);
    if (b.failed) {
        hegui_buf_release(&b);
        return hegui_error_set(HEGUI_ENOMEM, "out of memory");
    }
    *out = hegui_buf_take(&b);
    return *out ? HEGUI_OK : HEGUI_ENOMEM;
}
