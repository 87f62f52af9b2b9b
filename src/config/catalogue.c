/*
 * catalogue.c - the rule catalogue (DESIGN.md section 3): id, family,
 * default severity, titles and descriptions in Chinese and English, and the
 * parameters each rule takes.
 *
 * The catalogue says which parameters exist and what they look like; their
 * default VALUES live in one place only, the embedded default rules file
 * (default_rules.yaml), which must hold a block for every rule with every
 * parameter (checked when it is parsed, and by test_config). Adding a rule
 * means one entry here and one block there.
 */
#include <string.h>

#include "config/config_internal.h"

/* Shorthands for the table below (unnamed fields are 0: HEGUI_SYNTAX_TEXT,
 * NULL choices, no inherit). */
#define NUMBER(name_, en, zh, inherit_)                                                            \
    {                                                                                              \
        .name = (name_), .type = HEGUI_PARAM_NUMBER, .doc_en = (en), .doc_zh = (zh),               \
        .inherit = (inherit_)                                                                      \
    }
#define ENUM(name_, choices_, en, zh, inherit_)                                                    \
    {                                                                                              \
        .name = (name_), .type = HEGUI_PARAM_ENUM, .choices = (choices_), .doc_en = (en),          \
        .doc_zh = (zh), .inherit = (inherit_)                                                      \
    }
#define END                                                                                        \
    {                                                                                              \
        .name = NULL                                                                               \
    }

#define MIN_AREA_OVERLAP                                                                           \
    NUMBER("min_area_m2", "overlaps of this area (m2) or less are noise, not findings",            \
           "面积（平方米）不超过此值的重叠视为噪声，不报告", "min_area_m2")

static const hegui_param_def params_s01[] = {
    ENUM("repair_method", "structure|linework",
         "how invalid geometry is repaired for computation (GEOS MakeValid method)",
         "计算前修复无效几何的方法（GEOS MakeValid 方法）", NULL),
    END};

static const hegui_param_def params_s02[] = {MIN_AREA_OVERLAP, END};

static const hegui_param_def params_s03[] = {
    NUMBER("pass_m2", "an area difference (m2) of at most this passes",
           "面积差（平方米）不超过此值即通过", NULL),
    NUMBER("warn_ratio",
           "a larger difference of at most this share of the declared area is a warning "
           "(0.001 = 0.1 %); more is a finding of the rule's severity",
           "超出上一项但不超过申报面积此比例（0.001 即 0.1%）的差异为警告，再大则按本规则级别报告",
           NULL),
    ENUM("area_method", "planar|ellipsoidal", "which surveyed area is compared",
         "用哪种测量面积比较（平面 / 椭球）", "area_method"),
    END};

static const hegui_param_def params_s04[] = {END};

static const hegui_param_def params_s05[] = {
    {.name = "code_pattern",
     .type = HEGUI_PARAM_STRING,
     .syntax = HEGUI_SYNTAX_REGEX,
     .doc_en = "POSIX extended regular expression a zone code must match (G/S + 6 digits)",
     .doc_zh = "开发区代码须匹配的 POSIX 扩展正则表达式（G/S 加 6 位数字）"},
    END};

static const hegui_param_def params_s06[] = {
    NUMBER("min_area_m2", "parts smaller than this area (m2) are slivers",
           "面积（平方米）小于此值的部分为碎片", NULL),
    NUMBER("min_width_m", "parts narrower than this width (m) are spikes or slivers",
           "宽度（米）小于此值的部分为尖角或碎片", NULL),
    END};

static const hegui_param_def params_s07[] = {END};

static const hegui_param_def params_overlap[] = {MIN_AREA_OVERLAP, END};

static const hegui_param_def params_c04[] = {
    ENUM("code_set", "ydyh|gbt21010",
         "code set of land-use layers that do not name theirs: ydyh (用地用海) uses `classes`, "
         "gbt21010 (三调 / GB/T 21010) uses `classes_gbt21010`",
         "未注明代码体系的用地图层所用体系：ydyh（用地用海）用 classes，gbt21010（三调）用 "
         "classes_gbt21010",
         NULL),
    ENUM("default", "allowed|warning|conflict", "verdict for a class that no prefix matches",
         "没有任何前缀匹配的地类的结论", NULL),
    {.name = "classes",
     .type = HEGUI_PARAM_MAP,
     .syntax = HEGUI_SYNTAX_DIGITS,
     .choices = "allowed|warning|conflict",
     .doc_en = "用地用海 code prefix -> allowed | warning | conflict; the longest matching "
               "prefix wins",
     .doc_zh =
         "用地用海代码前缀 → allowed（允许）| warning（警告）| conflict（冲突）；最长前缀优先"},
    {.name = "classes_gbt21010",
     .type = HEGUI_PARAM_MAP,
     .syntax = HEGUI_SYNTAX_CODE,
     .choices = "allowed|warning|conflict",
     .doc_en = "三调 / GB/T 21010 code prefix -> allowed | warning | conflict; the longest "
               "matching prefix wins",
     .doc_zh = "三调 / GB/T 21010 代码前缀 → allowed | warning | conflict；最长前缀优先"},
    END};

static const hegui_param_def params_c06[] = {
    NUMBER("min_area_m2", "difference patches of this area (m2) or less are noise",
           "面积（平方米）不超过此值的差异图斑视为噪声", "min_area_m2"),
    {.name = "construction_ydyh",
     .type = HEGUI_PARAM_LIST,
     .syntax = HEGUI_SYNTAX_DIGITS,
     .doc_en = "用地用海 code prefixes that are construction land (建设用地)",
     .doc_zh = "属于建设用地的用地用海代码前缀"},
    {.name = "construction_gbt21010",
     .type = HEGUI_PARAM_LIST,
     .syntax = HEGUI_SYNTAX_CODE,
     .doc_en = "三调 / GB/T 21010 code prefixes that are construction land",
     .doc_zh = "属于建设用地的三调 / GB/T 21010 代码前缀"},
    END};

static const hegui_param_def params_i01[] = {
    {.name = "industries",
     .type = HEGUI_PARAM_MAP_LIST,
     .syntax = HEGUI_SYNTAX_DIGITS,
     .doc_en = "industry label (as written in the zones' leading industries) -> GB/T 4754-2017 "
               "code prefixes",
     .doc_zh = "产业标签（开发区主导产业中的写法）→ GB/T 4754-2017 行业代码前缀"},
    END};

static const hegui_param_def params_i02[] = {
    NUMBER("distance_m", "enterprises within this distance (m) of the urban area are reported",
           "距中心城区不超过此距离（米）的企业被报告", NULL),
    {.name = "polluting",
     .type = HEGUI_PARAM_LIST,
     .syntax = HEGUI_SYNTAX_INDUSTRY,
     .doc_en = "polluting industries: labels of I01 industries, or GB/T 4754 code prefixes",
     .doc_zh = "污染行业：I01 industries 中的标签，或 GB/T 4754 代码前缀"},
    END};

static const hegui_param_def params_i03[] = {
    NUMBER("investment_per_mu_min", "minimum investment per 亩 (万元); 0 = no threshold",
           "亩均投资下限（万元）；0 表示不设阈值", NULL),
    NUMBER("output_per_mu_min", "minimum annual output per 亩 (万元); 0 = no threshold",
           "亩均产值下限（万元）；0 表示不设阈值", NULL),
    NUMBER("tax_per_mu_min", "minimum annual tax per 亩 (万元); 0 = no threshold",
           "亩均税收下限（万元）；0 表示不设阈值", NULL),
    END};

static const hegui_rule_def catalogue[] = {
    {"S01", "survey", HEGUI_SEVERITY_ERROR, "无效几何", "Invalid geometry",
     "几何图形无效（给出原因与位置）、坐标非有限值或几何为空。",
     "Invalid geometry (with the reason and location), non-finite coordinates or empty "
     "geometry.",
     params_s01},
    {"S02", "survey", HEGUI_SEVERITY_ERROR, "开发区或区块相互重叠", "Overlapping zones or blocks",
     "开发区或区块之间相互重叠。", "Zones or blocks overlap one another.", params_s02},
    {"S03", "survey", HEGUI_SEVERITY_ERROR, "测量面积与申报面积不符", "Surveyed vs declared area",
     "测量面积与申报或批准面积之差超出容差。",
     "The surveyed area differs from the declared or approved area beyond the tolerance.",
     params_s03},
    {"S04", "survey", HEGUI_SEVERITY_ERROR, "坐标系问题", "Coordinate system",
     "坐标系缺失、不是 CGCS2000，或与坐标不符（带号、坐标轴互换）；西安 80、北京 54 报警告。",
     "CRS missing, not CGCS2000, or inconsistent with the coordinates (zone prefix, swapped "
     "axes); Xian 1980 and Beijing 1954 are reported as warnings.",
     params_s04},
    {"S05", "survey", HEGUI_SEVERITY_ERROR, "属性缺失或错误", "Attributes",
     "必填属性缺失或格式错误（开发区代码格式、代码重复、主导产业）。",
     "Required attributes missing or malformed (zone code format, duplicates, leading "
     "industries).",
     params_s05},
    {"S06", "survey", HEGUI_SEVERITY_WARNING, "碎片与尖角", "Slivers and spikes",
     "面积或宽度低于下限的碎片与尖角。", "Parts below a minimum area or width.", params_s06},
    {"S07", "survey", HEGUI_SEVERITY_ERROR, "界址点文件格式", "Boundary-point file format",
     "界址点坐标文件（TXT）格式不符：缺少节、无法识别的行、坐标不是数字、"
     "环少于 4 个点、带号缺失或与坐标矛盾、X 与 Y 互换；界址点数不符、面积像平方米报警告。",
     "The boundary-point coordinate file (TXT) departs from the format: a missing section, a "
     "malformed line, a non-numeric coordinate, a ring of fewer than 4 points, 带号 missing or "
     "contradicting the coordinates, swapped axes; 界址点数 mismatches and areas that look like "
     "m2 are warnings.",
     params_s07},
    {"C01", "conflict", HEGUI_SEVERITY_ERROR, "占用永久基本农田", "Permanent basic farmland",
     "开发区与永久基本农田重叠。", "The zone overlaps permanent basic farmland.", params_overlap},
    {"C02", "conflict", HEGUI_SEVERITY_ERROR, "占用生态保护红线", "Ecological protection red line",
     "开发区与生态保护红线重叠。", "The zone overlaps the ecological protection red line.",
     params_overlap},
    {"C03", "conflict", HEGUI_SEVERITY_ERROR, "超出城镇开发边界",
     "Outside the urban development boundary", "开发区超出城镇开发边界。",
     "The zone extends outside the urban development boundary.", params_overlap},
    {"C04", "conflict", HEGUI_SEVERITY_ERROR, "用地分类不相容", "Incompatible land-use classes",
     "开发区内的用地分类与开发区不相容（按“分类 → 允许 / 警告 / 冲突”表）。",
     "Land-use classes inside the zone are incompatible with it (a class -> allowed / warning "
     "/ conflict table).",
     params_c04},
    {"C05", "conflict", HEGUI_SEVERITY_ERROR, "占用其他管控图层", "Other exclusion layers",
     "开发区与其他管控图层（自然保护地、饮用水水源保护区等）重叠。",
     "The zone overlaps another configured exclusion layer (nature reserves, drinking-water "
     "source zones …).",
     params_overlap},
    {"C06", "conflict", HEGUI_SEVERITY_WARNING, "两版规划差异图斑",
     "Difference patches between two plans",
     "两版规划之间建设用地与非建设用地不一致的差异图斑（双向）。",
     "Patches that are construction land in one plan and not in the other (both directions).",
     params_c06},
    {"I01", "industry", HEGUI_SEVERITY_WARNING, "企业不属主导产业",
     "Enterprise outside the leading industries", "开发区内企业的行业不在该开发区的主导产业之列。",
     "An enterprise inside a zone whose industry is not among the zone's leading industries.",
     params_i01},
    {"I02", "industry", HEGUI_SEVERITY_WARNING, "城区周边污染企业",
     "Polluting enterprise near the urban area",
     "所列污染行业的企业位于所有开发区之外、距中心城区一定距离内：搬迁入园候选。",
     "An enterprise of a listed polluting industry outside every zone and within a distance "
     "of the urban area: a relocation candidate.",
     params_i02},
    {"I03", "industry", HEGUI_SEVERITY_INFO, "亩均效益", "Land-use intensity per mu",
     "开发区与企业的亩均投资、产值、税收，对照阈值。",
     "Investment, output and tax per 亩 for each zone and enterprise, against thresholds.",
     params_i03},
};

const hegui_rule_def *hegui_rules_catalogue(size_t *out_count)
{
    if (out_count)
        *out_count = sizeof(catalogue) / sizeof(catalogue[0]);
    return catalogue;
}

const hegui_rule_def *hegui_rules_find(const char *id)
{
    size_t i;
    if (!id)
        return NULL;
    for (i = 0; i < sizeof(catalogue) / sizeof(catalogue[0]); i++) {
        if (strcmp(catalogue[i].id, id) == 0)
            return &catalogue[i];
    }
    return NULL;
}

const hegui_param_def *hegui_rule_def_param(const hegui_rule_def *def, const char *name)
{
    const hegui_param_def *p;
    if (!def || !name)
        return NULL;
    for (p = def->params; p->name; p++) {
        if (strcmp(p->name, name) == 0)
            return p;
    }
    return NULL;
}

const char *hegui_param_type_name(hegui_param_type type)
{
    switch (type) {
    case HEGUI_PARAM_NUMBER:
        return "number";
    case HEGUI_PARAM_STRING:
        return "string";
    case HEGUI_PARAM_ENUM:
        return "enum";
    case HEGUI_PARAM_BOOL:
        return "bool";
    case HEGUI_PARAM_LIST:
        return "list";
    case HEGUI_PARAM_MAP:
        return "map";
    case HEGUI_PARAM_MAP_LIST:
        return "map_list";
    }
    return "unknown";
}
