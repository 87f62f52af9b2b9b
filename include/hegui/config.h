/*
 * hegui/config.h - the rules file: layers, working CRS, area method,
 * tolerances and the rule catalogue with per-rule severity and parameters.
 *
 * A hegui_config is plain data, built by hegui_config_load() from a YAML
 * file, by hegui_config_parse() from text, or by hegui_config_default() from
 * the rules file embedded in the binary. It is immutable once built and is
 * freed with hegui_config_free(). Every value carries the line and column
 * where it was written so later stages can point back at the rules file.
 *
 * Overlay: a user's rules file is laid over the embedded default file (which
 * IS the defaults, see src/config/default_rules.yaml), so it need only name
 * what it changes. Scalars and lists are replaced whole; MAP and MAP_LIST
 * parameters are merged entry by entry (an entry set to null, `~`, is
 * removed); `layers` replaces the whole list. A rule parameter whose
 * hegui_param_def.inherit names a top-level key (min_area_m2, area_method)
 * takes that key's value when the user file sets the top-level key but not
 * the parameter. Values that come from the default file have line 0 and
 * column 0 in a configuration built from a user file.
 */
#ifndef HEGUI_CONFIG_H
#define HEGUI_CONFIG_H

#include <stddef.h>

#include "hegui/common.h"
#include "hegui/role.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hegui_severity {
    HEGUI_SEVERITY_INFO = 1,
    HEGUI_SEVERITY_WARNING = 2,
    HEGUI_SEVERITY_ERROR = 3
} hegui_severity;

/** "info" / "warning" / "error". */
const char *hegui_severity_name(hegui_severity severity);
int hegui_severity_parse(hegui_severity *out, const char *name);

typedef enum hegui_area_method {
    HEGUI_AREA_PLANAR = 0,     /**< in the working (projected) CRS */
    HEGUI_AREA_ELLIPSOIDAL = 1 /**< geodesic, on the CRS's ellipsoid */
} hegui_area_method;

/** A parsed YAML value: a scalar, a list or a map, with its position. */
typedef enum hegui_value_kind {
    HEGUI_VALUE_SCALAR,
    HEGUI_VALUE_LIST,
    HEGUI_VALUE_MAP
} hegui_value_kind;

/** A position in a rules file, 1-based; 0, 0 = not written in that file. */
typedef struct hegui_pos {
    int line;
    int column;
} hegui_pos;

typedef struct hegui_value {
    hegui_value_kind kind;
    char *scalar;               /**< SCALAR: UTF-8 text as written (owned); NULL for a
                                     YAML null (~, null, nothing) in a parsed tree.
                                     Never NULL in hegui_config.rules params. */
    struct hegui_value *items;  /**< LIST items or MAP values (owned array) */
    char **keys;                /**< MAP keys, count of them (owned) */
    size_t count;               /**< LIST/MAP size */
    int line, column;           /**< 1-based position in the rules file */
    hegui_pos *key_pos;         /**< MAP: where each key was written (owned array) */
} hegui_value;

/** A logical field name mapped to the layer's real field name. */
typedef struct hegui_field_map {
    char *key;   /**< logical name: code, name, block, approved_area_ha, … */
    char *field; /**< field name in the layer (KFQDM, 开发区代码, …) */
} hegui_field_map;

/** One layer named in the rules file. Strings are owned; NULL = unset. */
typedef struct hegui_layer_spec {
    char *path;      /**< dataset path, resolved against the rules file's folder */
    char *layer;     /**< layer inside the dataset (NULL: the only layer) */
    hegui_role role; /**< role it plays */
    char *label;     /**< display name (exclusion layers: 自然保护地 …) */
    char *where;     /**< OGR attribute filter */
    char *srs;       /**< CRS to assign (any OSRSetFromUserInput text) */
    char *encoding;  /**< text encoding of a shapefile (NULL = auto) */
    char *code_set;  /**< land-class code set: "ydyh" or "gbt21010"; landuse and
                          plan_b only; NULL: C04's code_set parameter */
    hegui_field_map *fields; /**< logical names of hegui_layer_field_keys() only */
    size_t field_count;
    int line; /**< where the entry starts in the rules file */
} hegui_layer_spec;

/** One rule's settings. params is a MAP holding every parameter of the
 *  rule's catalogue entry (defaults filled in). */
typedef struct hegui_rule_config {
    const char *id; /**< "S01" …; points into the static catalogue */
    int enabled;
    hegui_severity severity;
    hegui_value params;
} hegui_rule_config;

typedef struct hegui_config {
    char *source;            /**< path of the rules file, or "<default>" */
    char *working_crs;       /**< NULL: derive from the zones (DESIGN.md 2) */
    int working_crs_line;    /**< its line in the rules file; 0 when set by
                                  hegui_config_set_working_crs (-t_srs) */
    hegui_area_method area_method;
    double min_area_m2;      /**< overlaps at or below this are noise */
    hegui_layer_spec *layers;
    size_t layer_count;
    hegui_rule_config *rules; /**< one per catalogue entry, catalogue order */
    size_t rule_count;
} hegui_config;

/** Parameter types of the catalogue. */
typedef enum hegui_param_type {
    HEGUI_PARAM_NUMBER,   /**< a finite real number >= 0 (every number of the
                               catalogue is an area, ratio, distance or threshold) */
    HEGUI_PARAM_STRING,   /**< free text */
    HEGUI_PARAM_ENUM,     /**< one of a fixed set of words */
    HEGUI_PARAM_BOOL,     /**< true / false */
    HEGUI_PARAM_LIST,     /**< list of strings */
    HEGUI_PARAM_MAP,      /**< map of string -> string */
    HEGUI_PARAM_MAP_LIST  /**< map of string -> list of strings */
} hegui_param_type;

/** What the texts of a parameter must look like: LIST items, MAP keys,
 *  MAP_LIST list items, or the STRING itself (REGEX). */
typedef enum hegui_param_syntax {
    HEGUI_SYNTAX_TEXT = 0, /**< any non-empty text */
    HEGUI_SYNTAX_DIGITS,   /**< [0-9]+: 用地用海 class codes, GB/T 4754 codes */
    HEGUI_SYNTAX_CODE,     /**< [0-9A-Z]+: 三调 / GB/T 21010 codes (05H1 …) */
    HEGUI_SYNTAX_REGEX,    /**< a POSIX extended regular expression */
    HEGUI_SYNTAX_INDUSTRY  /**< a label of I01 industries, or a GB/T 4754 code */
} hegui_param_syntax;

typedef struct hegui_param_def {
    const char *name;
    hegui_param_type type;
    hegui_param_syntax syntax;
    const char *choices;    /**< ENUM, and MAP values: words separated by '|' */
    const char *doc_en;
    const char *doc_zh;
    const char *inherit;    /**< top-level key this parameter follows (see above),
                                 or NULL */
} hegui_param_def;

/** One entry of the rule catalogue (static data). */
typedef struct hegui_rule_def {
    const char *id;        /**< "S01" */
    const char *family;    /**< "survey" | "conflict" | "industry" */
    hegui_severity default_severity;
    const char *title_zh;
    const char *title_en;
    const char *description_zh;
    const char *description_en;
    const hegui_param_def *params; /**< terminated by a {NULL} entry */
} hegui_rule_def;

/** "number", "string", "enum", "bool", "list", "map", "map_list". */
const char *hegui_param_type_name(hegui_param_type type);

/** The catalogue, in id order. Static storage. */
const hegui_rule_def *hegui_rules_catalogue(size_t *out_count);
/** Catalogue entry of id, or NULL. */
const hegui_rule_def *hegui_rules_find(const char *id);

/** The default rules file embedded in the binary (NUL-terminated). */
const char *hegui_config_default_text(void);

/**
 * Reads and checks the rules file at path. Errors (HEGUI_ECONFIG, or
 * HEGUI_EINPUT when unreadable) name path:line:column and the key.
 * Free *out with hegui_config_free().
 */
int hegui_config_load(hegui_config **out, const char *path);
/**
 * As hegui_config_load, from text; name is used in messages and as source,
 * and relative layer paths are resolved against its folder part ("a/r.yaml"
 * gives "a/"; a bare name leaves them relative to the working directory).
 */
int hegui_config_parse(hegui_config **out, const char *text, size_t len, const char *name);
/** The embedded default configuration. */
int hegui_config_default(hegui_config **out);
void hegui_config_free(hegui_config *config);
/** Sets the working CRS ("EPSG:4527", WKT, …) over the rules file's, as
 *  -t_srs does; NULL derives it from the zones again. hegui_catalog_working_crs
 *  checks it. */
int hegui_config_set_working_crs(hegui_config *config, const char *definition);

/** Settings of rule id, or NULL for an unknown id. Borrowed. */
const hegui_rule_config *hegui_config_rule(const hegui_config *config, const char *id);
/** Parameter definition name of a catalogue entry, or NULL. Static storage. */
const hegui_param_def *hegui_rule_def_param(const hegui_rule_def *def, const char *name);
/** Parameter name of a rule, or NULL. Borrowed. */
const hegui_value *hegui_rule_param(const hegui_rule_config *rule, const char *name);
/** Number parameter; fallback when absent. */
double hegui_rule_number(const hegui_rule_config *rule, const char *name, double fallback);
/** String / enum parameter; fallback when absent. Borrowed. */
const char *hegui_rule_string(const hegui_rule_config *rule, const char *name,
                              const char *fallback);
/** Value of key in a MAP value, or NULL. Borrowed. */
const hegui_value *hegui_value_get(const hegui_value *map, const char *key);
/**
 * Value of the longest key of map that is a prefix of code (ASCII
 * case-insensitive), or NULL: how C04 looks a class code up in `classes`
 * ("1001" finds "1001" before "10"). Borrowed.
 */
const hegui_value *hegui_value_longest_prefix(const hegui_value *map, const char *code);

/**
 * The logical field names a layer of role may map in `fields` (zones: code,
 * name, block, …); *out_count gets their number (0 for roles without any).
 * Static storage.
 */
const char *const *hegui_layer_field_keys(hegui_role role, size_t *out_count);
/** Real field name mapped to logical name key in spec, or NULL. Borrowed. */
const char *hegui_layer_field(const hegui_layer_spec *spec, const char *key);

/**
 * Canonical text of the configuration (sorted keys, normalised numbers):
 * two configurations are the same iff their canonical texts are equal; its
 * SHA-256 is the rules hash of the reports. Free with hegui_free.
 */
char *hegui_config_canonical(const hegui_config *config);

#ifdef __cplusplus
}
#endif
#endif
