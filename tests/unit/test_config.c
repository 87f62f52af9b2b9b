/*
 * test_config.c - the rules file: YAML reading, schema checks with
 * file:line:column messages, the overlay over the built-in defaults, the
 * catalogue, roles, the canonical text and allocation failures.
 *
 * Data: tests/data/rules/good_*.yaml and bad_*.yaml.
 */
#include "test_common.h"

#include <stdbool.h>
#include <stdlib.h>

#include "config/config_internal.h"
#include "hegui/config.h"
#include "hegui/role.h"

#define RULES_DIR HEGUI_TESTDATA "/rules/"

/* ------------------------------------------------------------------ */
/* helpers                                                             */

static hegui_config *load_ok(const char *path)
{
    hegui_config *config = NULL;
    int rc = hegui_config_load(&config, path);
    if (rc != HEGUI_OK)
        fail_msg("loading %s: rc %d: %s", path, rc, hegui_error_last());
    return config;
}

static hegui_config *parse_ok(const char *text, const char *name)
{
    hegui_config *config = NULL;
    int rc = hegui_config_parse(&config, text, strlen(text), name);
    if (rc != HEGUI_OK)
        fail_msg("parsing %s: rc %d: %s", name, rc, hegui_error_last());
    return config;
}

/* Structural equality of two values, positions ignored. */
static bool value_equal(const hegui_value *a, const hegui_value *b)
{
    size_t i;
    if (a->kind != b->kind || a->count != b->count)
        return false;
    if ((a->scalar == NULL) != (b->scalar == NULL))
        return false;
    if (a->scalar && strcmp(a->scalar, b->scalar) != 0)
        return false;
    for (i = 0; i < a->count; i++) {
        if (a->kind == HEGUI_VALUE_MAP && strcmp(a->keys[i], b->keys[i]) != 0)
            return false;
        if (!value_equal(&a->items[i], &b->items[i]))
            return false;
    }
    return true;
}

static hegui_value_kind kind_of(hegui_param_type type)
{
    switch (type) {
    case HEGUI_PARAM_LIST:
        return HEGUI_VALUE_LIST;
    case HEGUI_PARAM_MAP:
    case HEGUI_PARAM_MAP_LIST:
        return HEGUI_VALUE_MAP;
    default:
        return HEGUI_VALUE_SCALAR;
    }
}

/* ------------------------------------------------------------------ */
/* the defaults and the catalogue                                      */

static void test_config_default_matches_catalogue(void **state)
{
    hegui_config *config = NULL;
    size_t i, count, n;
    const hegui_rule_def *defs = hegui_rules_catalogue(&count);
    (void)state;
    assert_int_equal(count, 16);
    assert_int_equal(hegui_config_default(&config), HEGUI_OK);
    assert_string_equal(config->source, "<default>");
    assert_null(config->working_crs);
    assert_int_equal(config->area_method, HEGUI_AREA_PLANAR);
    assert_double_near(config->min_area_m2, 1.0, 0);
    assert_int_equal(config->layer_count, 0);
    assert_int_equal(config->rule_count, count);
    for (i = 0; i < count; i++) {
        const hegui_rule_config *rule = &config->rules[i];
        const hegui_param_def *p;
        assert_ptr_equal(rule->id, defs[i].id); /* catalogue order, static ids */
        assert_ptr_equal(hegui_rules_find(defs[i].id), &defs[i]);
        assert_int_equal(rule->enabled, 1);
        assert_int_equal(rule->severity, defs[i].default_severity);
        assert_int_equal(rule->params.kind, HEGUI_VALUE_MAP);
        for (p = defs[i].params, n = 0; p->name; p++, n++) {
            const hegui_value *v = hegui_rule_param(rule, p->name);
            if (!v) {
                fail_msg("rule %s has no default for %s", rule->id, p->name);
                return;
            }
            assert_string_equal(rule->params.keys[n], p->name); /* catalogue order */
            assert_int_equal(v->kind, kind_of(p->type));
            if (v->kind == HEGUI_VALUE_SCALAR)
                assert_non_null(v->scalar);
            if (p->type == HEGUI_PARAM_ENUM)
                assert_non_null(strstr(p->choices, v->scalar));
            assert_non_null(p->doc_en);
            assert_non_null(p->doc_zh);
        }
        assert_int_equal(rule->params.count, n);
        assert_non_null(defs[i].title_zh);
        assert_non_null(defs[i].description_en);
    }
    assert_null(hegui_rules_find("S99"));
    assert_null(hegui_rules_find(NULL));
    hegui_config_free(config);
}

/* The embedded file itself names every rule with enabled, severity and
 * every parameter (not only the built config: it is the documentation). */
static void test_config_default_file_has_every_block(void **state)
{
    hegui_value tree;
    const hegui_value *rules;
    size_t i, count;
    const hegui_rule_def *defs = hegui_rules_catalogue(&count);
    const char *text = hegui_config_default_text();
    (void)state;
    assert_int_equal(strlen(text), (size_t)hegui_default_rules_yaml_len);
    assert_int_equal(config_yaml_parse(&tree, text, strlen(text), "default"), HEGUI_OK);
    rules = hegui_value_get(&tree, "rules");
    assert_non_null(rules);
    assert_int_equal(rules->count, count);
    for (i = 0; i < count; i++) {
        const hegui_value *block = hegui_value_get(rules, defs[i].id);
        const hegui_param_def *p;
        if (!block)
            fail_msg("no block for %s in default_rules.yaml", defs[i].id);
        assert_non_null(hegui_value_get(block, "enabled"));
        assert_string_equal(hegui_value_get(block, "severity")->scalar,
                            hegui_severity_name(defs[i].default_severity));
        for (p = defs[i].params; p->name; p++) {
            if (!hegui_value_get(block, p->name))
                fail_msg("default_rules.yaml: %s lacks %s", defs[i].id, p->name);
        }
    }
    config_value_release(&tree);
}

/* default == parse(default text) == parse("") == load(comments only). */
static void test_config_default_text_roundtrip(void **state)
{
    hegui_config *a = NULL, *b, *c, *d;
    char *ta, *tb, *tc, *td;
    const char *text = hegui_config_default_text();
    (void)state;
    assert_int_equal(hegui_config_default(&a), HEGUI_OK);
    b = parse_ok(text, "rules.yaml");
    c = parse_ok("", "empty.yaml");
    d = load_ok(RULES_DIR "good_empty.yaml");
    ta = hegui_config_canonical(a);
    tb = hegui_config_canonical(b);
    tc = hegui_config_canonical(c);
    td = hegui_config_canonical(d);
    assert_non_null(ta);
    assert_string_equal(ta, tb);
    assert_string_equal(ta, tc);
    assert_string_equal(ta, td);
    assert_string_equal(b->source, "rules.yaml");
    assert_contains(ta, "\"min_area_m2\":1,");
    assert_contains(ta, "\"working_crs\":null}");
    hegui_free(ta);
    hegui_free(tb);
    hegui_free(tc);
    hegui_free(td);
    hegui_config_free(a);
    hegui_config_free(b);
    hegui_config_free(c);
    hegui_config_free(d);
}

/* ------------------------------------------------------------------ */
/* overlay                                                             */

static void test_config_overlay_changes_only_named(void **state)
{
    hegui_config *base = NULL, *user;
    size_t i, j;
    (void)state;
    assert_int_equal(hegui_config_default(&base), HEGUI_OK);
    user = load_ok(RULES_DIR "good_overlay.yaml");
    assert_string_equal(user->working_crs, "EPSG:4526");
    assert_int_equal(user->area_method, base->area_method);
    assert_double_near(user->min_area_m2, base->min_area_m2, 0);
    assert_int_equal(user->rule_count, base->rule_count);
    for (i = 0; i < base->rule_count; i++) {
        const hegui_rule_config *r0 = &base->rules[i], *r1 = &user->rules[i];
        bool is_i03 = strcmp(r0->id, "I03") == 0;
        assert_int_equal(r1->enabled, is_i03 ? 0 : r0->enabled);
        assert_int_equal(r1->severity, is_i03 ? HEGUI_SEVERITY_WARNING : r0->severity);
        assert_int_equal(r1->params.count, r0->params.count);
        for (j = 0; j < r0->params.count; j++) {
            bool named = strcmp(r0->id, "S03") == 0 && strcmp(r0->params.keys[j], "pass_m2") == 0;
            bool same = value_equal(&r0->params.items[j], &r1->params.items[j]);
            if (same == named)
                fail_msg("%s %s: %s", r0->id, r0->params.keys[j],
                         named ? "not changed" : "changed though not named");
        }
    }
    assert_double_near(hegui_rule_number(hegui_config_rule(user, "S03"), "pass_m2", -1), 5.0, 0);
    hegui_config_free(base);
    hegui_config_free(user);
}

static void test_config_layer_paths(void **state)
{
    static const struct {
        const char *name; /* rules file name given to hegui_config_parse */
        const char *path; /* as written */
        const char *want; /* as resolved */
    } cases[] = {
        {"some/dir/rules.yaml", "a.shp", "some/dir/a.shp"},
        {"/abs/dir/rules.yaml", "sub/a.shp", "/abs/dir/sub/a.shp"},
        {"rules.yaml", "a.shp", "a.shp"},
        {"some/dir/rules.yaml", "/data/a.gpkg", "/data/a.gpkg"},
        {"some/dir/rules.yaml", "PG:dbname=gis", "PG:dbname=gis"},
        {"some/dir/rules.yaml", "/vsizip/x.zip/a.shp", "/vsizip/x.zip/a.shp"},
    };
    hegui_config *config;
    char text[256];
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(text, sizeof(text), "layers:\n  - {path: \"%s\", role: zones}\n", cases[i].path);
        config = parse_ok(text, cases[i].name);
        assert_int_equal(config->layer_count, 1);
        assert_string_equal(config->layers[0].path, cases[i].want);
        hegui_config_free(config);
    }
    /* from a file: relative to the file's folder */
    config = load_ok(RULES_DIR "good_overlay.yaml");
    assert_int_equal(config->layer_count, 4);
    assert_string_equal(config->layers[0].path, RULES_DIR "KFQ_SZFW.shp");
    assert_string_equal(config->layers[1].path, "/data/plan/YJJBNT.gpkg");
    assert_string_equal(config->layers[2].path, "PG:dbname=gis");
    assert_string_equal(config->layers[3].path, RULES_DIR "sub/自然保护地.shp");
    hegui_config_free(config);
}

static void test_config_layer_settings(void **state)
{
    hegui_config *config;
    const hegui_layer_spec *zones, *farm, *landuse, *reserve;
    (void)state;
    config = load_ok(RULES_DIR "good_overlay.yaml");
    zones = &config->layers[0];
    farm = &config->layers[1];
    landuse = &config->layers[2];
    reserve = &config->layers[3];
    assert_int_equal(zones->role, HEGUI_ROLE_ZONES);
    assert_int_equal(zones->line, 5);
    assert_string_equal(zones->layer, "KFQ_SZFW");
    assert_string_equal(zones->label, "开发区");
    assert_string_equal(zones->where, "JB = '国家级'");
    assert_int_equal(zones->field_count, 4);
    assert_string_equal(hegui_layer_field(zones, "code"), "KFQDM");
    assert_string_equal(hegui_layer_field(zones, "industries"), "ZDCY");
    assert_null(hegui_layer_field(zones, "block"));
    assert_null(zones->srs);
    assert_null(zones->code_set);
    assert_int_equal(farm->role, HEGUI_ROLE_FARMLAND); /* written in Chinese */
    assert_null(farm->layer);
    assert_int_equal(landuse->role, HEGUI_ROLE_LANDUSE);
    assert_string_equal(landuse->code_set, "gbt21010");
    assert_string_equal(hegui_layer_field(landuse, "class_code"), "DLBM");
    assert_int_equal(reserve->role, HEGUI_ROLE_EXCLUSION);
    assert_string_equal(reserve->encoding, "GBK");
    assert_string_equal(reserve->srs, "EPSG:4490");
    assert_string_equal(reserve->label, "自然保护地");
    hegui_config_free(config);

    config = parse_ok("layers: ~\n", "r.yaml");
    assert_int_equal(config->layer_count, 0);
    hegui_config_free(config);
    config = parse_ok("layers: []\n", "r.yaml");
    assert_int_equal(config->layer_count, 0);
    hegui_config_free(config);
}

static void test_config_inherit_top_level(void **state)
{
    static const struct {
        const char *id;
        double min_area_m2;
    } cases[] = {
        {"S02", 5}, {"C01", 2}, {"C02", 5}, {"C03", 5},
        {"C05", 5}, {"C06", 5}, {"S06", 1}, /* sliver area: a different threshold, not inherited */
    };
    hegui_config *config;
    size_t i;
    (void)state;
    config = load_ok(RULES_DIR "good_inherit.yaml");
    assert_double_near(config->min_area_m2, 5.0, 0);
    assert_int_equal(config->area_method, HEGUI_AREA_ELLIPSOIDAL);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const hegui_rule_config *rule = hegui_config_rule(config, cases[i].id);
        assert_double_near(hegui_rule_number(rule, "min_area_m2", -1), cases[i].min_area_m2, 0);
    }
    assert_string_equal(hegui_rule_string(hegui_config_rule(config, "S03"), "area_method", ""),
                        "ellipsoidal");
    hegui_config_free(config);

    /* a rule that names the parameter keeps its own value */
    config = parse_ok("area_method: ellipsoidal\nrules: {S03: {area_method: planar}}\n", "r.yaml");
    assert_string_equal(hegui_rule_string(hegui_config_rule(config, "S03"), "area_method", ""),
                        "planar");
    hegui_config_free(config);
}

static void test_config_map_merge(void **state)
{
    hegui_config *config;
    const hegui_rule_config *c04, *i01, *i02, *c06;
    const hegui_value *classes, *gbt, *industries, *list;
    (void)state;
    config = load_ok(RULES_DIR "good_merge.yaml");
    c04 = hegui_config_rule(config, "C04");
    classes = hegui_rule_param(c04, "classes");
    assert_int_equal(classes->count, 15); /* 14 - "07" + "02" + "1001" */
    assert_null(hegui_value_get(classes, "07"));
    assert_string_equal(hegui_value_get(classes, "02")->scalar, "allowed");
    assert_string_equal(hegui_value_get(classes, "1001")->scalar, "conflict");
    assert_string_equal(hegui_value_get(classes, "10")->scalar, "allowed"); /* kept */
    gbt = hegui_rule_param(c04, "classes_gbt21010");
    assert_string_equal(hegui_value_get(gbt, "05H1")->scalar, "conflict");
    assert_string_equal(hegui_value_get(gbt, "05")->scalar, "allowed");

    i01 = hegui_config_rule(config, "I01");
    industries = hegui_rule_param(i01, "industries");
    assert_int_equal(industries->count, 12);
    list = hegui_value_get(industries, "医药");
    assert_int_equal(list->count, 1);
    assert_string_equal(list->items[0].scalar, "27");
    assert_int_equal(hegui_value_get(industries, "特色食品")->count, 2);
    assert_int_equal(hegui_value_get(industries, "冶铸")->count, 4);

    i02 = hegui_config_rule(config, "I02");
    list = hegui_rule_param(i02, "polluting");
    assert_int_equal(list->count, 3);
    assert_string_equal(list->items[1].scalar, "特色食品");

    c06 = hegui_config_rule(config, "C06");
    list = hegui_rule_param(c06, "construction_ydyh"); /* lists are replaced */
    assert_int_equal(list->count, 1);
    assert_string_equal(list->items[0].scalar, "10");
    hegui_config_free(config);
}

static void test_config_longest_prefix(void **state)
{
    static const struct {
        const char *code;
        const char *want; /* NULL: no prefix matches */
    } cases[] = {
        {"100101", "conflict"}, /* "1001" beats "10" */
        {"1002", "allowed"},    {"0101", "conflict"}, {"0201", "allowed"},
        {"0701", NULL},         {"2301", NULL},       {"", NULL},
    };
    hegui_config *config;
    const hegui_value *classes, *v;
    size_t i;
    (void)state;
    config = load_ok(RULES_DIR "good_merge.yaml");
    classes = hegui_rule_param(hegui_config_rule(config, "C04"), "classes");
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        v = hegui_value_longest_prefix(classes, cases[i].code);
        if (!cases[i].want) {
            assert_null(v);
        } else {
            assert_non_null(v);
            assert_string_equal(v->scalar, cases[i].want);
        }
    }
    v = hegui_value_longest_prefix(
        hegui_rule_param(hegui_config_rule(config, "C04"), "classes_gbt21010"), "1109");
    assert_string_equal(v->scalar, "allowed"); /* "1109" beats "11" */
    assert_null(hegui_value_longest_prefix(NULL, "01"));
    hegui_config_free(config);
}

/* User values carry their position in the user file; defaults have 0. */
static void test_config_positions(void **state)
{
    hegui_config *config;
    const hegui_rule_config *s03;
    const hegui_value *pass, *warn;
    (void)state;
    config = load_ok(RULES_DIR "good_overlay.yaml");
    s03 = hegui_config_rule(config, "S03");
    pass = hegui_rule_param(s03, "pass_m2");
    warn = hegui_rule_param(s03, "warn_ratio");
    assert_int_equal(pass->line, 24);
    assert_int_equal(pass->column, 18);
    assert_int_equal(warn->line, 0);
    assert_int_equal(warn->column, 0);
    hegui_config_free(config);

    assert_int_equal(hegui_config_default(&config), HEGUI_OK);
    warn = hegui_rule_param(hegui_config_rule(config, "S03"), "warn_ratio");
    assert_true(warn->line > 1); /* in the built-in file */
    hegui_config_free(config);
}

/* ------------------------------------------------------------------ */
/* errors                                                              */

typedef struct error_case {
    const char *file; /* under tests/data/rules/ */
    int code;
    const char *where; /* "file:line:column:" expected in the message */
    const char *what;  /* the key or value named, and the gist */
} error_case;

static const error_case error_cases[] = {
    {"bad_top_key.yaml", HEGUI_ECONFIG,
     "bad_top_key.yaml:3:1:", "unknown top-level key 'min_area'"},
    {"bad_layer_key.yaml", HEGUI_ECONFIG, "bad_layer_key.yaml:4:5:", "unknown key 'lyr' in layer"},
    {"bad_field_name.yaml", HEGUI_ECONFIG,
     "bad_field_name.yaml:6:7:", "unknown field 'area' for a zones layer (known: code, name"},
    {"bad_fields_list.yaml", HEGUI_ECONFIG, "bad_fields_list.yaml:4:14:", "unknown field 'name'"},
    {"bad_rule_id.yaml", HEGUI_ECONFIG, "bad_rule_id.yaml:3:3:", "unknown rule id 'S99'"},
    {"bad_param.yaml", HEGUI_ECONFIG, "bad_param.yaml:4:5:",
     "unknown key 'severty' in rule S03 (known: enabled, severity, pass_m2, warn_ratio, "
     "area_method)"},
    {"bad_severity.yaml", HEGUI_ECONFIG,
     "bad_severity.yaml:3:15:", "expected one of error, warning, info for severity, got 'fatal'"},
    {"bad_number.yaml", HEGUI_ECONFIG,
     "bad_number.yaml:3:22:", "expected a number for min_area_m2, got 'abc'"},
    {"bad_negative.yaml", HEGUI_ECONFIG,
     "bad_negative.yaml:1:14:", "min_area_m2 must not be negative"},
    {"bad_enum.yaml", HEGUI_ECONFIG,
     "bad_enum.yaml:3:18:", "expected one of planar, ellipsoidal for area_method, got 'geodesic'"},
    {"bad_bool.yaml", HEGUI_ECONFIG, "bad_bool.yaml:2:18:", "expected true or false for enabled"},
    {"bad_role.yaml", HEGUI_ECONFIG,
     "bad_role.yaml:3:11:", "role 'farm' is not a role (roles: zones, farmland"},
    {"bad_duplicate.yaml", HEGUI_ECONFIG,
     "bad_duplicate.yaml:4:3:", "duplicate key 'S01' (first at 2:3)"},
    {"bad_syntax.yaml", HEGUI_ECONFIG,
     "bad_syntax.yaml:2:18:", "YAML syntax error: mapping values are not allowed"},
    {"bad_list_for_map.yaml", HEGUI_ECONFIG,
     "bad_list_for_map.yaml:2:8:", "expected a map of settings for rule S03, got a list"},
    {"bad_layers_map.yaml", HEGUI_ECONFIG,
     "bad_layers_map.yaml:2:3:", "expected a list of layer entries for layers, got a map"},
    {"bad_top_list.yaml", HEGUI_ECONFIG, "bad_top_list.yaml:1:1:", "got a list"},
    {"bad_alias.yaml", HEGUI_ECONFIG, "bad_alias.yaml:2:8:", "anchors (&farm) are not supported"},
    {"bad_class_code.yaml", HEGUI_ECONFIG,
     "bad_class_code.yaml:4:7:", "expected a code of digits in classes, got '1A'"},
    {"bad_class_value.yaml", HEGUI_ECONFIG,
     "bad_class_value.yaml:3:21:", "for classes, got 'forbidden'"},
    {"bad_polluting.yaml", HEGUI_ECONFIG,
     "bad_polluting.yaml:3:21:", "'造纸' in polluting is neither a label of I01 industries"},
    {"bad_version.yaml", HEGUI_ECONFIG,
     "bad_version.yaml:1:10:", "unsupported rules file version 2"},
    {"bad_single_role.yaml", HEGUI_ECONFIG,
     "bad_single_role.yaml:4:5:", "only one urban_area layer is allowed (the first is at line 2)"},
    {"bad_missing_path.yaml", HEGUI_ECONFIG, "bad_missing_path.yaml:2:5:", "has no path"},
    {"bad_code_set_role.yaml", HEGUI_ECONFIG,
     "bad_code_set_role.yaml:4:5:", "code_set applies to landuse and plan_b layers only"},
    {"bad_regex.yaml", HEGUI_ECONFIG,
     "bad_regex.yaml:3:19:", "invalid regular expression for code_pattern"},
    {"bad_multi_doc.yaml", HEGUI_ECONFIG, "bad_multi_doc.yaml:2:1:", "one YAML document"},
    {"does_not_exist.yaml", HEGUI_EINPUT, "cannot read rules file '",
     "does_not_exist.yaml': No such file or directory"},
    {"", HEGUI_EINPUT, "cannot read rules file '", "Is a directory"},
};

static void test_config_errors(void **state)
{
    char path[512];
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
        const error_case *e = &error_cases[i];
        hegui_config *config = (hegui_config *)&path; /* must be reset to NULL */
        int rc;
        snprintf(path, sizeof(path), "%s%s", RULES_DIR, e->file);
        hegui_error_clear();
        rc = hegui_config_load(&config, path);
        if (rc != e->code)
            fail_msg("%s: rc %d, expected %d (%s)", e->file, rc, e->code, hegui_error_last());
        assert_null(config);
        assert_int_equal(hegui_error_code(), e->code);
        assert_contains(hegui_error_last(), e->where);
        assert_contains(hegui_error_last(), e->what);
    }
}

/* YAML the reader refuses, from text. */
static void test_config_yaml_refusals(void **state)
{
    static const struct {
        const char *text;
        const char *where;
        const char *what;
    } cases[] = {
        {"rules: {S01: *x}\n", "t.yaml:1:14:", "aliases (*x) are not supported"},
        {"? [a, b]\n: 1\n", "t.yaml:1:3:", "map keys must be plain text"},
        {"working_crs: \"EPSG\\0\"\n", "t.yaml:1:14:", "NUL characters"},
        {"version: 1\nworking_crs: \xff\n", "t.yaml: YAML error:", "UTF-8"},
        {"rules:\n  S01:\n", "t.yaml:2:", "expected a map of settings for rule S01, got nothing"},
        {"rules:\n  S01: {enabled: true, enabled: false}\n",
         "t.yaml:2:24:", "duplicate key 'enabled'"},
        {"layers:\n  - {path: a.shp}\n", "t.yaml:2:5:", "has no role"},
        {"layers:\n  - {path: a.shp, role: zones, fields: [code]}\n",
         "t.yaml:2:40:", "expected a map of logical name: field name for fields, got a list"},
        {"rules: {I01: {industries: {冶铸: \"31\"}}}\n",
         "t.yaml:1:32:", "expected a list for industries"},
        {"rules: {C06: {construction_ydyh: [\"07\", [\"08\"]]}}\n",
         "t.yaml:1:41:", "expected text items in construction_ydyh, got a list"},
        {"rules: {S02: {min_area_m2: 1e999}}\n", "t.yaml:1:28:", "expected a number"},
        {"rules: {S02: {min_area_m2: 0x10}}\n", "t.yaml:1:28:", "expected a number"},
        {"rules: {S02: {min_area_m2: .nan}}\n", "t.yaml:1:28:", "expected a number"},
    };
    hegui_config *config = NULL;
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc = hegui_config_parse(&config, cases[i].text, strlen(cases[i].text), "t.yaml");
        if (rc != HEGUI_ECONFIG)
            fail_msg("case %zu: rc %d (%s)", i, rc, hegui_error_last());
        assert_null(config);
        assert_contains(hegui_error_last(), cases[i].where);
        assert_contains(hegui_error_last(), cases[i].what);
    }
}

static void test_config_yaml_nesting_limit(void **state)
{
    char text[400];
    hegui_config *config = NULL;
    size_t i, depth = CONFIG_YAML_MAX_DEPTH + 10;
    (void)state;
    for (i = 0; i < depth; i++)
        text[i] = '[';
    for (i = 0; i < depth; i++)
        text[depth + i] = ']';
    text[2 * depth] = '\0';
    assert_int_equal(hegui_config_parse(&config, text, strlen(text), "deep.yaml"), HEGUI_ECONFIG);
    assert_contains(hegui_error_last(), "nesting is too deep");
    assert_null(config);
}

/* ------------------------------------------------------------------ */
/* numbers, canonical text                                             */

static void test_config_number_parse(void **state)
{
    static const struct {
        const char *text;
        int ok;
        double value;
    } cases[] = {
        {"1", 1, 1},        {"1.0", 1, 1},   {".5", 1, 0.5}, {"5.", 1, 5},  {"1e3", 1, 1000},
        {"1E-3", 1, 0.001}, {"-2", 1, -2},   {"+3", 1, 3},   {"-0", 1, 0},  {"abc", 0, 0},
        {"", 0, 0},         {"1.0.0", 0, 0}, {"0x10", 0, 0}, {"inf", 0, 0}, {"nan", 0, 0},
        {"1e", 0, 0},       {"1e400", 0, 0}, {" 1", 0, 0},   {"1 ", 0, 0},  {".", 0, 0},
        {"1,5", 0, 0},      {"--1", 0, 0},
    };
    size_t i;
    double value;
    char text[40];
    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc = config_number_parse(&value, cases[i].text);
        if ((rc == HEGUI_OK) != cases[i].ok)
            fail_msg("'%s': rc %d", cases[i].text, rc);
        if (cases[i].ok)
            assert_double_near(value, cases[i].value, 0);
    }
    assert_int_equal(config_number_parse(&value, NULL), HEGUI_EINVAL);
    config_number_format(text, sizeof(text), 0.001);
    assert_string_equal(text, "0.001");
    config_number_format(text, sizeof(text), 0.1);
    assert_string_equal(text, "0.1");
    config_number_format(text, sizeof(text), 10000);
    assert_string_equal(text, "10000");
    config_number_format(text, sizeof(text), 1.0 / 3.0);
    assert_int_equal(config_number_parse(&value, text), HEGUI_OK);
    assert_true(value == 1.0 / 3.0); /* shortest text that reads back exactly */
}

static void test_config_canonical(void **state)
{
    static const struct {
        const char *text;
        int same_as_default;
    } cases[] = {
        {"rules: {S03: {pass_m2: 1, warn_ratio: 1e-3}}\n", 1}, /* same numbers */
        {"min_area_m2: 1\narea_method: planar\n", 1},
        {"rules: {C04: {classes: {\"10\": allowed}}}\n", 1}, /* merge, same value */
        {"rules: {S03: {pass_m2: 1.5}}\n", 0},
        {"rules: {S01: {enabled: false}}\n", 0},
        {"rules: {S01: {severity: warning}}\n", 0},
        {"working_crs: EPSG:4526\n", 0},
        {"rules: {C04: {classes: {\"10\": ~}}}\n", 0},
        {"layers: [{path: a.shp, role: zones}]\n", 0},
        {"rules: {C06: {construction_ydyh: [\"08\", \"07\"]}}\n", 0},
    };
    hegui_config *base = NULL, *config;
    char *base_text, *text;
    size_t i;
    (void)state;
    assert_int_equal(hegui_config_default(&base), HEGUI_OK);
    base_text = hegui_config_canonical(base);
    assert_non_null(base_text);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        config = parse_ok(cases[i].text, "c.yaml");
        text = hegui_config_canonical(config);
        assert_non_null(text);
        if ((strcmp(text, base_text) == 0) != cases[i].same_as_default)
            fail_msg("case %zu (%s): canonical text %s", i, cases[i].text,
                     cases[i].same_as_default ? "differs" : "does not differ");
        hegui_free(text);
        hegui_config_free(config);
    }
    /* sorted keys, typed values */
    assert_true(strncmp(base_text, "{\"area_method\":\"planar\",\"layers\":[],", 35) == 0);
    assert_contains(base_text, "\"C01\":{\"enabled\":true,\"params\":{\"min_area_m2\":1},"
                               "\"severity\":\"error\"},\"C02\"");
    assert_contains(base_text, "\"warn_ratio\":0.001");
    assert_contains(base_text,
                    "\"I03\":{\"enabled\":true,\"params\":{\"investment_per_mu_min\":0,");
    assert_null(hegui_config_canonical(NULL));
    hegui_free(base_text);
    hegui_config_free(base);
}

/* ------------------------------------------------------------------ */
/* roles, severities, getters                                          */

static void test_config_role_roundtrip(void **state)
{
    static const struct {
        const char *name;
        const char *name_zh;
        hegui_role role;
        bool single;
    } roles[] = {
        {"zones", "开发区四至", HEGUI_ROLE_ZONES, false},
        {"farmland", "永久基本农田", HEGUI_ROLE_FARMLAND, false},
        {"redline", "生态保护红线", HEGUI_ROLE_REDLINE, false},
        {"urban_boundary", "城镇开发边界", HEGUI_ROLE_URBAN_BOUNDARY, true},
        {"landuse", "用地用海规划", HEGUI_ROLE_LANDUSE, true},
        {"enterprises", "企业", HEGUI_ROLE_ENTERPRISES, false},
        {"urban_area", "中心城区", HEGUI_ROLE_URBAN_AREA, true},
        {"plan_b", "对比规划", HEGUI_ROLE_PLAN_B, true},
        {"exclusion", "其他管控图层", HEGUI_ROLE_EXCLUSION, false},
    };
    hegui_role role;
    size_t i;
    (void)state;
    assert_int_equal(sizeof(roles) / sizeof(roles[0]), HEGUI_ROLE_COUNT - 1);
    for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
        assert_string_equal(hegui_role_name(roles[i].role), roles[i].name);
        assert_string_equal(hegui_role_name_zh(roles[i].role), roles[i].name_zh);
        assert_int_equal(hegui_role_is_single(roles[i].role), roles[i].single);
        role = HEGUI_ROLE_NONE;
        assert_int_equal(hegui_role_parse(&role, roles[i].name), HEGUI_OK);
        assert_int_equal(role, roles[i].role);
        role = HEGUI_ROLE_NONE;
        assert_int_equal(hegui_role_parse(&role, roles[i].name_zh), HEGUI_OK);
        assert_int_equal(role, roles[i].role);
    }
    assert_string_equal(hegui_role_name(HEGUI_ROLE_NONE), "none");
    assert_string_equal(hegui_role_name(HEGUI_ROLE_COUNT), "none");
    assert_false(hegui_role_is_single(HEGUI_ROLE_NONE));
    assert_int_equal(hegui_role_parse(&role, "none"), HEGUI_EINVAL);
    assert_int_equal(hegui_role_parse(&role, "Zones"), HEGUI_EINVAL);
    assert_int_equal(hegui_role_parse(&role, "farm"), HEGUI_EINVAL);
    assert_contains(hegui_error_last(), "'farm' is not a role");
    assert_int_equal(hegui_role_parse(&role, NULL), HEGUI_EINVAL);
}

static void test_config_severity_roundtrip(void **state)
{
    static const hegui_severity all[] = {HEGUI_SEVERITY_INFO, HEGUI_SEVERITY_WARNING,
                                         HEGUI_SEVERITY_ERROR};
    hegui_severity severity;
    size_t i;
    (void)state;
    for (i = 0; i < 3; i++) {
        assert_int_equal(hegui_severity_parse(&severity, hegui_severity_name(all[i])), HEGUI_OK);
        assert_int_equal(severity, all[i]);
    }
    assert_string_equal(hegui_severity_name(HEGUI_SEVERITY_WARNING), "warning");
    assert_int_equal(hegui_severity_parse(&severity, "fatal"), HEGUI_EINVAL);
    assert_int_equal(hegui_severity_parse(&severity, NULL), HEGUI_EINVAL);
}

static void test_config_getters(void **state)
{
    hegui_config *config = NULL;
    const hegui_rule_config *s01, *s05, *i02;
    const hegui_param_def *p;
    const char *const *keys;
    size_t count;
    (void)state;
    assert_int_equal(hegui_config_default(&config), HEGUI_OK);
    s01 = hegui_config_rule(config, "S01");
    s05 = hegui_config_rule(config, "S05");
    i02 = hegui_config_rule(config, "I02");
    assert_non_null(s01);
    assert_null(hegui_config_rule(config, "S99"));
    assert_null(hegui_config_rule(NULL, "S01"));
    assert_string_equal(hegui_rule_string(s01, "repair_method", NULL), "structure");
    assert_string_equal(hegui_rule_string(s05, "code_pattern", NULL), "^[GS][0-9]{6}$");
    assert_string_equal(hegui_rule_string(s01, "nope", "fb"), "fb");
    assert_double_near(hegui_rule_number(i02, "distance_m", -1), 10000, 0);
    assert_double_near(hegui_rule_number(i02, "polluting", -1), -1, 0); /* a list */
    assert_double_near(hegui_rule_number(NULL, "distance_m", -2), -2, 0);
    assert_null(hegui_rule_param(s01, "min_area_m2"));
    assert_null(hegui_value_get(NULL, "x"));
    p = hegui_rule_def_param(hegui_rules_find("S03"), "warn_ratio");
    assert_non_null(p);
    assert_int_equal(p->type, HEGUI_PARAM_NUMBER);
    assert_null(hegui_rule_def_param(hegui_rules_find("S03"), "nope"));
    assert_string_equal(hegui_param_type_name(HEGUI_PARAM_MAP_LIST), "map_list");
    keys = hegui_layer_field_keys(HEGUI_ROLE_ZONES, &count);
    assert_int_equal(count, 7);
    assert_string_equal(keys[3], "approved_area_ha");
    hegui_layer_field_keys(HEGUI_ROLE_ENTERPRISES, &count);
    assert_int_equal(count, 8);
    hegui_layer_field_keys(HEGUI_ROLE_PLAN_B, &count);
    assert_int_equal(count, 2);
    assert_null(hegui_layer_field_keys(HEGUI_ROLE_EXCLUSION, &count));
    assert_int_equal(count, 0);
    hegui_config_free(config);
    hegui_config_free(NULL);
}

/* ------------------------------------------------------------------ */
/* allocation failures                                                 */

/* Builds a configuration (from path, or the defaults when NULL) and its
 * canonical text; returns the first failure code. */
static int build_and_canonical(const char *path)
{
    hegui_config *config = NULL;
    char *text;
    int rc = path ? hegui_config_load(&config, path) : hegui_config_default(&config);
    if (rc < 0) {
        if (config)
            return HEGUI_EINTERNAL; /* *out must stay NULL on failure */
        return rc;
    }
    text = hegui_config_canonical(config);
    rc = text ? HEGUI_OK : hegui_error_code();
    hegui_free(text);
    hegui_config_free(config);
    return rc;
}

/* Fails the n-th allocation for n = 1, 2, … until a run succeeds: every
 * run must return HEGUI_ENOMEM or succeed (ASan checks for leaks). */
static void fail_every_allocation(const char *path)
{
    long n;
    int rc = HEGUI_ENOMEM;
    for (n = 1; n < 100000 && rc != HEGUI_OK; n++) {
        hegui_alloc_fail_after(n);
        rc = build_and_canonical(path);
        hegui_alloc_fail_after(0);
        if (rc != HEGUI_OK && rc != HEGUI_ENOMEM)
            fail_msg("%s, allocation %ld failing: rc %d (%s)", path ? path : "default", n, rc,
                     hegui_error_last());
    }
    assert_int_equal(rc, HEGUI_OK);
    assert_true(n > 100); /* the failures did hit many allocations */
}

static void test_config_alloc_failure_default(void **state)
{
    (void)state;
    fail_every_allocation(NULL);
}

static void test_config_alloc_failure_overlay(void **state)
{
    (void)state;
    fail_every_allocation(RULES_DIR "good_overlay.yaml");
    fail_every_allocation(RULES_DIR "good_merge.yaml");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_default_matches_catalogue),
        cmocka_unit_test(test_config_default_file_has_every_block),
        cmocka_unit_test(test_config_default_text_roundtrip),
        cmocka_unit_test(test_config_overlay_changes_only_named),
        cmocka_unit_test(test_config_layer_paths),
        cmocka_unit_test(test_config_layer_settings),
        cmocka_unit_test(test_config_inherit_top_level),
        cmocka_unit_test(test_config_map_merge),
        cmocka_unit_test(test_config_longest_prefix),
        cmocka_unit_test(test_config_positions),
        cmocka_unit_test(test_config_errors),
        cmocka_unit_test(test_config_yaml_refusals),
        cmocka_unit_test(test_config_yaml_nesting_limit),
        cmocka_unit_test(test_config_number_parse),
        cmocka_unit_test(test_config_canonical),
        cmocka_unit_test(test_config_role_roundtrip),
        cmocka_unit_test(test_config_severity_roundtrip),
        cmocka_unit_test(test_config_getters),
        cmocka_unit_test(test_config_alloc_failure_default),
        cmocka_unit_test(test_config_alloc_failure_overlay),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
