/*
 * hegui/role.h - the roles a layer plays in a check (DESIGN.md section 2).
 */
#ifndef HEGUI_ROLE_H
#define HEGUI_ROLE_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hegui_role {
    HEGUI_ROLE_NONE = 0,       /**< not detected / not used */
    HEGUI_ROLE_ZONES,          /**< four-boundary survey of development zones */
    HEGUI_ROLE_FARMLAND,       /**< 永久基本农田 */
    HEGUI_ROLE_REDLINE,        /**< 生态保护红线 */
    HEGUI_ROLE_URBAN_BOUNDARY, /**< 城镇开发边界 */
    HEGUI_ROLE_LANDUSE,        /**< land-use plan patches with a class code */
    HEGUI_ROLE_ENTERPRISES,    /**< industry layer */
    HEGUI_ROLE_URBAN_AREA,     /**< central urban / built-up area */
    HEGUI_ROLE_PLAN_B,         /**< second plan for difference patches */
    HEGUI_ROLE_EXCLUSION,      /**< any other exclusion layer (自然保护地 …) */
    HEGUI_ROLE_COUNT
} hegui_role;

/** Stable lower-case name ("zones", "urban_boundary", …); "none" for NONE. */
const char *hegui_role_name(hegui_role role);
/** Chinese name of the role (开发区四至, 永久基本农田, …). */
const char *hegui_role_name_zh(hegui_role role);
/** Parses a role name (as hegui_role_name gives). 0, or HEGUI_EINVAL. */
int hegui_role_parse(hegui_role *out, const char *name);
/** True for roles that a run may have only one layer of. */
bool hegui_role_is_single(hegui_role role);
/** True for the single-layer roles of a plan that may come in parts, one
 *  layer per county (landuse, urban_boundary, plan_b): several layers the
 *  rules file names with such a role are read as one plan. */
bool hegui_role_has_parts(hegui_role role);

#ifdef __cplusplus
}
#endif
#endif
