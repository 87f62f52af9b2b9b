/*
 * role.c - names of the layer roles (include/hegui/role.h, DESIGN.md
 * section 2). The names are stable: rules files, reports and JSON use them.
 */
#include <string.h>

#include "hegui/role.h"
#include "util/util.h"

typedef struct role_entry {
    const char *name;
    const char *name_zh;
    bool single; /* a run may have only one layer of this role */
    bool parts;  /* single, but the rules file may name it in parts (a file per county) */
} role_entry;

static const role_entry roles[HEGUI_ROLE_COUNT] = {
    [HEGUI_ROLE_NONE] = {"none", "未识别", false, false},
    [HEGUI_ROLE_ZONES] = {"zones", "开发区四至", false, false},
    [HEGUI_ROLE_FARMLAND] = {"farmland", "永久基本农田", false, false},
    [HEGUI_ROLE_REDLINE] = {"redline", "生态保护红线", false, false},
    [HEGUI_ROLE_URBAN_BOUNDARY] = {"urban_boundary", "城镇开发边界", true, true},
    [HEGUI_ROLE_LANDUSE] = {"landuse", "用地用海规划", true, true},
    [HEGUI_ROLE_ENTERPRISES] = {"enterprises", "企业", false, false},
    [HEGUI_ROLE_URBAN_AREA] = {"urban_area", "中心城区", true, false},
    [HEGUI_ROLE_PLAN_B] = {"plan_b", "对比规划", true, true},
    [HEGUI_ROLE_EXCLUSION] = {"exclusion", "其他管控图层", false, false},
};

static bool role_valid(hegui_role role)
{
    return (int)role >= 0 && role < HEGUI_ROLE_COUNT;
}

const char *hegui_role_name(hegui_role role)
{
    return role_valid(role) ? roles[role].name : roles[HEGUI_ROLE_NONE].name;
}

const char *hegui_role_name_zh(hegui_role role)
{
    return role_valid(role) ? roles[role].name_zh : roles[HEGUI_ROLE_NONE].name_zh;
}

/*
 * Accepts the English name and, for Chinese rules files, the Chinese name;
 * "none" is not a role one can assign.
 */
int hegui_role_parse(hegui_role *out, const char *name)
{
    int i;
    if (name) {
        for (i = HEGUI_ROLE_NONE + 1; i < HEGUI_ROLE_COUNT; i++) {
            if (strcmp(name, roles[i].name) == 0 || strcmp(name, roles[i].name_zh) == 0) {
                *out = (hegui_role)i;
                return HEGUI_OK;
            }
        }
    }
    return hegui_error_set(HEGUI_EINVAL,
                           "'%s' is not a role (roles: zones, farmland, redline, urban_boundary, "
                           "landuse, enterprises, urban_area, plan_b, exclusion)",
                           name ? name : "(null)");
}

bool hegui_role_is_single(hegui_role role)
{
    return role_valid(role) && roles[role].single;
}

bool hegui_role_has_parts(hegui_role role)
{
    return role_valid(role) && roles[role].parts;
}
