/*
 * yaml.c - YAML text to a hegui_value tree, with libyaml's event parser.
 *
 * The tree keeps every scalar as the text that was written (07 stays "07",
 * 1.0 stays "1.0"); typing is the schema's job (config.c). Every node and
 * every map key carries its 1-based line and column. Refused, with
 * name:line:column in the message (HEGUI_ECONFIG): anchors and aliases
 * (a rules file is small enough to write out; resolving aliases invites
 * "billion laughs"), non-text map keys, duplicate keys, more than one
 * document, nesting deeper than CONFIG_YAML_MAX_DEPTH, NUL characters.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "config/config_internal.h"
#include "util/util.h"

typedef struct reader {
    yaml_parser_t parser;
    const char *name;
} reader;

static int mark_int(size_t zero_based)
{
    return zero_based >= (size_t)INT_MAX ? INT_MAX : (int)zero_based + 1;
}

static hegui_pos mark_pos(yaml_mark_t mark)
{
    hegui_pos pos;
    pos.line = mark_int(mark.line);
    pos.column = mark_int(mark.column);
    return pos;
}

/* Turns libyaml's error state into our message. */
static int syntax_error(const reader *r)
{
    const yaml_parser_t *p = &r->parser;
    const char *problem = p->problem ? p->problem : "unknown problem";
    if (p->error == YAML_MEMORY_ERROR)
        return hegui_error_set(HEGUI_ENOMEM, "%s: out of memory while reading YAML", r->name);
    if (p->error == YAML_READER_ERROR)
        return hegui_error_set(HEGUI_ECONFIG, "%s: YAML error: %s at byte %zu", r->name, problem,
                               p->problem_offset);
    if (p->context)
        return hegui_error_set(HEGUI_ECONFIG, "%s:%d:%d: YAML syntax error: %s (%s at %d:%d)",
                               r->name, mark_int(p->problem_mark.line),
                               mark_int(p->problem_mark.column), problem, p->context,
                               mark_int(p->context_mark.line), mark_int(p->context_mark.column));
    return hegui_error_set(HEGUI_ECONFIG, "%s:%d:%d: YAML syntax error: %s", r->name,
                           mark_int(p->problem_mark.line), mark_int(p->problem_mark.column),
                           problem);
}

static int next_event(reader *r, yaml_event_t *event)
{
    if (!yaml_parser_parse(&r->parser, event))
        return syntax_error(r);
    return HEGUI_OK;
}

static int error_at(const reader *r, yaml_mark_t mark, const char *what)
{
    hegui_pos pos = mark_pos(mark);
    return hegui_error_set(HEGUI_ECONFIG, "%s:%d:%d: %s", r->name, pos.line, pos.column, what);
}

static int anchor_error(const reader *r, yaml_mark_t mark, const yaml_char_t *anchor)
{
    hegui_pos pos = mark_pos(mark);
    return hegui_error_set(HEGUI_ECONFIG,
                           "%s:%d:%d: YAML anchors (&%s) are not supported: write the value out",
                           r->name, pos.line, pos.column, (const char *)anchor);
}

/* A plain, untagged ~ / null / Null / NULL / nothing, or an explicit !!null. */
static bool scalar_is_null(const yaml_event_t *event)
{
    const char *text = (const char *)event->data.scalar.value;
    const char *tag = (const char *)event->data.scalar.tag;
    if (tag && strcmp(tag, YAML_NULL_TAG) == 0)
        return true;
    if (!event->data.scalar.plain_implicit || event->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    return text[0] == '\0' || strcmp(text, "~") == 0 || strcmp(text, "null") == 0 ||
           strcmp(text, "Null") == 0 || strcmp(text, "NULL") == 0;
}

static int scalar_text(const reader *r, const yaml_event_t *event, char **out)
{
    const char *text = (const char *)event->data.scalar.value;
    size_t len = event->data.scalar.length;
    *out = NULL;
    if (strlen(text) != len)
        return error_at(r, event->start_mark, "NUL characters are not allowed in values");
    *out = hegui_strndup(text, len);
    return *out ? HEGUI_OK : HEGUI_ENOMEM;
}

static int parse_node(reader *r, yaml_event_t *event, hegui_value *out, int depth);

/* Items up to SEQUENCE-END into the LIST out. */
static int parse_list(reader *r, hegui_value *out, int depth)
{
    yaml_event_t event;
    size_t cap = 0;
    int rc;
    for (;;) {
        rc = next_event(r, &event);
        if (rc < 0)
            return rc;
        if (event.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&event);
            return HEGUI_OK;
        }
        if (out->count == cap) {
            size_t new_cap = cap ? cap * 2 : 4;
            hegui_value *items = hegui_realloc(out->items, new_cap * sizeof(*items));
            if (!items) {
                yaml_event_delete(&event);
                return HEGUI_ENOMEM;
            }
            out->items = items;
            cap = new_cap;
        }
        rc = parse_node(r, &event, &out->items[out->count], depth);
        if (rc < 0) {
            config_value_release(&out->items[out->count]);
            return rc;
        }
        out->count++;
    }
}

/* Grows the three parallel arrays of a MAP under construction to new_cap. */
static int map_reserve(hegui_value *map, size_t new_cap)
{
    char **keys;
    hegui_pos *key_pos;
    hegui_value *items;
    keys = hegui_realloc(map->keys, new_cap * sizeof(*keys));
    if (!keys)
        return HEGUI_ENOMEM;
    map->keys = keys;
    key_pos = hegui_realloc(map->key_pos, new_cap * sizeof(*key_pos));
    if (!key_pos)
        return HEGUI_ENOMEM;
    map->key_pos = key_pos;
    items = hegui_realloc(map->items, new_cap * sizeof(*items));
    if (!items)
        return HEGUI_ENOMEM;
    map->items = items;
    return HEGUI_OK;
}

typedef struct key_ref {
    const char *key;
    size_t index;
} key_ref;

static int compare_key_ref(const void *a, const void *b)
{
    const key_ref *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c != 0)
        return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * Duplicate keys, in O(n log n) so that a hostile file cannot make this
 * quadratic. Reports the duplicate that comes first in the file.
 */
static int check_duplicates(const reader *r, const hegui_value *map)
{
    key_ref *refs;
    size_t i, dup = SIZE_MAX, first = 0;
    if (map->count < 2)
        return HEGUI_OK;
    refs = hegui_malloc(map->count * sizeof(*refs));
    if (!refs)
        return HEGUI_ENOMEM;
    for (i = 0; i < map->count; i++) {
        refs[i].key = map->keys[i];
        refs[i].index = i;
    }
    qsort(refs, map->count, sizeof(*refs), compare_key_ref);
    for (i = 1; i < map->count; i++) {
        if (strcmp(refs[i].key, refs[i - 1].key) == 0 && (dup == SIZE_MAX || refs[i].index < dup)) {
            size_t j = i - 1;
            while (j > 0 && strcmp(refs[j - 1].key, refs[i].key) == 0)
                j--;
            dup = refs[i].index;
            first = refs[j].index;
        }
    }
    hegui_free(refs);
    if (dup == SIZE_MAX)
        return HEGUI_OK;
    return hegui_error_set(HEGUI_ECONFIG, "%s:%d:%d: duplicate key '%s' (first at %d:%d)", r->name,
                           map->key_pos[dup].line, map->key_pos[dup].column, map->keys[dup],
                           map->key_pos[first].line, map->key_pos[first].column);
}

/* Key/value pairs up to MAPPING-END into the MAP out. */
static int parse_map(reader *r, hegui_value *out, int depth)
{
    yaml_event_t event;
    size_t cap = 0;
    char *key = NULL;
    hegui_pos key_pos;
    int rc;
    for (;;) {
        rc = next_event(r, &event);
        if (rc < 0)
            return rc;
        if (event.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&event);
            return check_duplicates(r, out);
        }
        if (event.type != YAML_SCALAR_EVENT) {
            rc = error_at(r, event.start_mark, "map keys must be plain text");
            yaml_event_delete(&event);
            return rc;
        }
        if (event.data.scalar.anchor) {
            rc = anchor_error(r, event.start_mark, event.data.scalar.anchor);
            yaml_event_delete(&event);
            return rc;
        }
        key_pos = mark_pos(event.start_mark);
        rc = scalar_text(r, &event, &key);
        yaml_event_delete(&event);
        if (rc < 0)
            return rc;
        if (out->count == cap) {
            size_t new_cap = cap ? cap * 2 : 4;
            rc = map_reserve(out, new_cap);
            if (rc < 0) {
                hegui_free(key);
                return rc;
            }
            cap = new_cap;
        }
        rc = next_event(r, &event);
        if (rc < 0) {
            hegui_free(key);
            return rc;
        }
        rc = parse_node(r, &event, &out->items[out->count], depth);
        if (rc < 0) {
            config_value_release(&out->items[out->count]);
            hegui_free(key);
            return rc;
        }
        out->keys[out->count] = key;
        out->key_pos[out->count] = key_pos;
        key = NULL;
        out->count++;
    }
}

/*
 * One node starting with *event (which this function deletes) into *out.
 * On failure *out holds what was built so far; the caller releases it.
 */
static int parse_node(reader *r, yaml_event_t *event, hegui_value *out, int depth)
{
    hegui_pos pos = mark_pos(event->start_mark);
    int rc = HEGUI_OK;
    memset(out, 0, sizeof(*out));
    out->line = pos.line;
    out->column = pos.column;
    switch (event->type) {
    case YAML_ALIAS_EVENT:
        rc = hegui_error_set(HEGUI_ECONFIG,
                             "%s:%d:%d: YAML aliases (*%s) are not supported: write the value out",
                             r->name, pos.line, pos.column, (const char *)event->data.alias.anchor);
        break;
    case YAML_SCALAR_EVENT:
        out->kind = HEGUI_VALUE_SCALAR;
        if (event->data.scalar.anchor)
            rc = anchor_error(r, event->start_mark, event->data.scalar.anchor);
        else if (!scalar_is_null(event))
            rc = scalar_text(r, event, &out->scalar);
        break;
    case YAML_SEQUENCE_START_EVENT:
        out->kind = HEGUI_VALUE_LIST;
        if (event->data.sequence_start.anchor)
            rc = anchor_error(r, event->start_mark, event->data.sequence_start.anchor);
        else if (depth >= CONFIG_YAML_MAX_DEPTH)
            rc = error_at(r, event->start_mark, "nesting is too deep");
        break;
    case YAML_MAPPING_START_EVENT:
        out->kind = HEGUI_VALUE_MAP;
        if (event->data.mapping_start.anchor)
            rc = anchor_error(r, event->start_mark, event->data.mapping_start.anchor);
        else if (depth >= CONFIG_YAML_MAX_DEPTH)
            rc = error_at(r, event->start_mark, "nesting is too deep");
        break;
    default:
        rc = hegui_error_set(HEGUI_EINTERNAL, "%s:%d:%d: unexpected YAML event %d", r->name,
                             pos.line, pos.column, (int)event->type);
        break;
    }
    yaml_event_delete(event);
    if (rc < 0)
        return rc;
    if (out->kind == HEGUI_VALUE_LIST)
        return parse_list(r, out, depth + 1);
    if (out->kind == HEGUI_VALUE_MAP)
        return parse_map(r, out, depth + 1);
    return HEGUI_OK;
}

/* The stream: nothing (an empty map), or exactly one document. */
static int parse_stream(reader *r, hegui_value *out)
{
    yaml_event_t event;
    int rc;
    rc = next_event(r, &event); /* STREAM-START */
    if (rc < 0)
        return rc;
    yaml_event_delete(&event);
    rc = next_event(r, &event);
    if (rc < 0)
        return rc;
    if (event.type == YAML_STREAM_END_EVENT) {
        yaml_event_delete(&event);
        out->kind = HEGUI_VALUE_MAP;
        out->line = out->column = 1;
        return HEGUI_OK;
    }
    yaml_event_delete(&event); /* DOCUMENT-START */
    rc = next_event(r, &event);
    if (rc < 0)
        return rc;
    rc = parse_node(r, &event, out, 0);
    if (rc < 0)
        return rc;
    rc = next_event(r, &event); /* DOCUMENT-END */
    if (rc < 0)
        return rc;
    yaml_event_delete(&event);
    rc = next_event(r, &event);
    if (rc < 0)
        return rc;
    if (event.type != YAML_STREAM_END_EVENT)
        rc = error_at(r, event.start_mark, "a rules file holds one YAML document, not several");
    yaml_event_delete(&event);
    return rc;
}

int config_yaml_parse(hegui_value *out, const char *text, size_t len, const char *name)
{
    reader r;
    int rc;
    memset(out, 0, sizeof(*out));
    memset(&r, 0, sizeof(r));
    r.name = name ? name : "<text>";
    if (!yaml_parser_initialize(&r.parser))
        return hegui_error_set(HEGUI_ENOMEM, "%s: cannot initialise the YAML parser", r.name);
    yaml_parser_set_input_string(&r.parser, (const unsigned char *)text, len);
    rc = parse_stream(&r, out);
    yaml_parser_delete(&r.parser);
    if (rc < 0)
        config_value_release(out);
    return rc;
}

void config_value_release(hegui_value *value)
{
    size_t i;
    if (!value)
        return;
    for (i = 0; i < value->count; i++) {
        if (value->items)
            config_value_release(&value->items[i]);
        if (value->keys)
            hegui_free(value->keys[i]);
    }
    hegui_free(value->scalar);
    hegui_free(value->items);
    hegui_free(value->keys);
    hegui_free(value->key_pos);
    memset(value, 0, sizeof(*value));
}

int config_value_copy(hegui_value *out, const hegui_value *src)
{
    size_t i;
    int rc = HEGUI_OK;
    memset(out, 0, sizeof(*out));
    out->kind = src->kind;
    out->line = src->line;
    out->column = src->column;
    if (src->scalar) {
        out->scalar = hegui_strdup(src->scalar);
        if (!out->scalar)
            return HEGUI_ENOMEM;
    }
    if (src->count == 0)
        return HEGUI_OK;
    out->items = hegui_calloc(src->count, sizeof(*out->items));
    if (!out->items) {
        rc = HEGUI_ENOMEM;
        goto done;
    }
    if (src->kind == HEGUI_VALUE_MAP) {
        out->keys = hegui_calloc(src->count, sizeof(*out->keys));
        out->key_pos = hegui_calloc(src->count, sizeof(*out->key_pos));
        if (!out->keys || !out->key_pos) {
            rc = HEGUI_ENOMEM;
            goto done;
        }
    }
    /* count grows with the copies so that a failure frees only those */
    for (i = 0; i < src->count; i++) {
        if (out->keys) {
            out->keys[i] = hegui_strdup(src->keys[i]);
            if (!out->keys[i]) {
                rc = HEGUI_ENOMEM;
                goto done;
            }
            out->key_pos[i] = src->key_pos[i];
        }
        out->count = i + 1;
        rc = config_value_copy(&out->items[i], &src->items[i]);
        if (rc < 0)
            goto done;
    }
done:
    if (rc < 0)
        config_value_release(out);
    return rc;
}

bool config_value_is_null(const hegui_value *value)
{
    return value && value->kind == HEGUI_VALUE_SCALAR && value->scalar == NULL;
}

void config_value_forget_positions(hegui_value *value)
{
    size_t i;
    value->line = value->column = 0;
    for (i = 0; i < value->count; i++) {
        if (value->key_pos)
            value->key_pos[i].line = value->key_pos[i].column = 0;
        config_value_forget_positions(&value->items[i]);
    }
}

int config_map_append(hegui_value *map, const char *key, hegui_pos pos, hegui_value *item)
{
    char *key_copy = hegui_strdup(key);
    int rc;
    if (!key_copy)
        return HEGUI_ENOMEM;
    rc = map_reserve(map, map->count + 1);
    if (rc < 0) {
        hegui_free(key_copy);
        return rc;
    }
    map->keys[map->count] = key_copy;
    map->key_pos[map->count] = pos;
    map->items[map->count] = *item;
    map->count++;
    memset(item, 0, sizeof(*item));
    return HEGUI_OK;
}

void config_map_remove(hegui_value *map, size_t index)
{
    size_t tail;
    if (index >= map->count)
        return;
    hegui_free(map->keys[index]);
    config_value_release(&map->items[index]);
    tail = map->count - index - 1;
    memmove(&map->keys[index], &map->keys[index + 1], tail * sizeof(*map->keys));
    memmove(&map->key_pos[index], &map->key_pos[index + 1], tail * sizeof(*map->key_pos));
    memmove(&map->items[index], &map->items[index + 1], tail * sizeof(*map->items));
    map->count--;
}

long config_map_find(const hegui_value *map, const char *key)
{
    size_t i;
    if (!map || map->kind != HEGUI_VALUE_MAP)
        return -1;
    for (i = 0; i < map->count; i++) {
        if (strcmp(map->keys[i], key) == 0)
            return (long)i;
    }
    return -1;
}
