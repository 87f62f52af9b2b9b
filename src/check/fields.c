/*
 * fields.c - which attribute field of a layer the checks read for each
 * logical field name (code, name, class_code …), for `hegui init` and
 * anyone else who must show it. The default names live beside the rules
 * that read them (zones.c, conflict.c, industry.c); this file only asks
 * them, so what it reports is what a check reads.
 */
#include <string.h>

#include "check/check_internal.h"

const char *hegui_check_layer_field(const hegui_layer_info *layer, const char *key)
{
    const char *const *candidates = NULL;
    if (!layer || !key)
        return NULL;
    switch (layer->role) {
    case HEGUI_ROLE_ZONES:
        candidates = check_zone_field_candidates(key);
        break;
    case HEGUI_ROLE_ENTERPRISES:
        candidates = check_industry_field_candidates(key);
        break;
    case HEGUI_ROLE_FARMLAND:
    case HEGUI_ROLE_REDLINE:
    case HEGUI_ROLE_URBAN_BOUNDARY:
    case HEGUI_ROLE_LANDUSE:
    case HEGUI_ROLE_PLAN_B:
    case HEGUI_ROLE_EXCLUSION:
        candidates = check_conflict_field_candidates(layer->role, key);
        break;
    default:
        return NULL;
    }
    return check_field_name(layer, key, candidates);
}
