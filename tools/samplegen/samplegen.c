/*
 * samplegen: deterministic generator of hegui's sample data.
 *
 * Writes a realistic, fully synthetic data set for 晋城经济技术开发区
 * ("一区四园": 主区, 金匠, 北留周村, 巴公, 北石店) placed in the real
 * geography of Jincheng (district boundaries read from a GeoJSON file):
 *
 *   OUTDIR/jincheng/          the clean data set, with planted plan conflicts
 *   OUTDIR/jincheng-defects/  the same zone blocks with planted survey defects
 *
 * samples/README.md lists every file, layer and planted case;
 * tools/samplegen/README.md explains how to run this program.
 *
 * Determinism: every random number comes from splitmix64 streams seeded
 * from one fixed seed (never rand(), never the clock); GDAL is told a fixed
 * date (OGR_CURRENT_DATE, DBF_DATE_LAST_UPDATE), so two runs produce
 * byte-identical files.
 *
 * Working CRS: CGCS2000 3-degree Gauss-Krüger zone 38 with the zone prefix
 * (EPSG:4526, eastings 38xxxxxx). All geometry is built there and converted
 * at write time (EPSG:4490 for 三区三线, EPSG:4547 for the enterprises).
 *
 * Sizes are parameters (struct gen_params) so that a later "bench" mode can
 * ask for 10^5-10^6 land-use patches, more farmland and more zones without
 * touching the generators themselves.
 *
 * This is a tool, not library code: on any failure it prints a message and
 * exits with status 1.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <geos_c.h>

#define PI 3.14159265358979323846
#define FIXED_DATE "2024-05-20"
#define FIXED_DATETIME "2024-05-20T00:00:00.000Z" /* GeoPackage Req 15 format */
#define DEFAULT_SEED UINT64_C(20240520)
#define DEFAULT_DISTRICTS "tools/samplegen/jincheng_districts.geojson"
#define ZONE38_PREFIX_M 38000000.0 /* false-easting prefix of EPSG:4526 vs EPSG:4547 */
#define EPSG_GEOGRAPHIC 4490       /* CGCS2000 */
#define EPSG_GK38_PREFIX 4526      /* CGCS2000 3-degree GK zone 38, prefixed eastings */
#define EPSG_GK38_CM114 4547       /* CGCS2000 3-degree GK CM 114E, no prefix */
#define M2_PER_HA 10000.0
#define MAX_OUTLINE_VERTICES 160

/* ------------------------------------------------------------------------ */
/* Failure reporting                                                        */
/* ------------------------------------------------------------------------ */

static int g_quiet;
static int g_gdal_problems; /* GDAL warnings and errors seen while writing */

_Noreturn static void fatal(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("samplegen: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void note(const char *fmt, ...)
{
    va_list ap;
    if (g_quiet) {
        return;
    }
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

static void CPL_STDCALL gdal_error_handler(CPLErr cls, CPLErrorNum num, const char *msg)
{
    if (cls == CE_Debug || cls == CE_None) {
        return;
    }
    fprintf(stderr, "samplegen: GDAL %s %d: %s\n", cls == CE_Warning ? "warning" : "error",
            (int)num, msg);
    g_gdal_problems++;
}

static GEOSContextHandle_t G; /* the one GEOS context of this single-threaded tool */
static GEOSWKBWriter *g_wkb_writer;

/* GEOS notices (e.g. "Self-intersection at ..." from validity checks on the
 * planted defects) are expected here and not worth printing. */
static void geos_notice(const char *fmt, ...)
{
    (void)fmt;
}

static void geos_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("samplegen: GEOS error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count == 0 ? 1 : count, size == 0 ? 1 : size);
    if (p == NULL) {
        fatal("out of memory");
    }
    return p;
}

static void *xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size == 0 ? 1 : size);
    if (q == NULL) {
        fatal("out of memory");
    }
    return q;
}

/* ------------------------------------------------------------------------ */
/* Random numbers: splitmix64, one independent stream per generator, so that */
/* changing one count (e.g. --landuse-patches) leaves the other layers alone. */
/* ------------------------------------------------------------------------ */

typedef struct rng {
    uint64_t state;
} rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static rng rng_stream(uint64_t seed, uint64_t stream)
{
    rng r;
    r.state = seed ^ (stream * UINT64_C(0xD1B54A32D192ED03));
    (void)rng_next(&r);
    return r;
}

/* Uniform in [0, 1) with 53 random bits. */
static double rng_uniform(rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static double rng_range(rng *r, double lo, double hi)
{
    return lo + (hi - lo) * rng_uniform(r);
}

/* Uniform integer in [lo, hi]. */
static int rng_int(rng *r, int lo, int hi)
{
    return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

/* Log-uniform in [lo, hi], for money amounts. */
static double rng_log_range(rng *r, double lo, double hi)
{
    return exp(rng_range(r, log(lo), log(hi)));
}

enum {
    STREAM_BLOCKS = 1,
    STREAM_REDLINE,
    STREAM_LANDUSE_SEEDS,
    STREAM_LANDUSE_CLASSES,
    STREAM_FARMLAND,
    STREAM_ENTERPRISES,
    STREAM_DEFECTS
};

/* ------------------------------------------------------------------------ */
/* Parameters                                                               */
/* ------------------------------------------------------------------------ */

typedef struct gen_params {
    uint64_t seed;
    int landuse_patches;         /* Voronoi seeds of the land-use mosaic */
    double landuse_park_share;   /* share of those seeds placed in and near the parks */
    double landuse_city_share;   /* share placed in the central urban area */
    double mosaic_margin_m;      /* margin of the mosaic envelope around the parks */
    double landuse_min_patch_m2; /* smaller pieces are merged into a neighbour */
    double farmland_patch_ha;    /* mean size of one 永久基本农田 patch */
    double farmland_share;       /* share of rural cultivated cells that are 永久基本农田 */
    const char *districts_path;  /* GeoJSON with the real district boundaries */
} gen_params;

/* ------------------------------------------------------------------------ */
/* Domain tables                                                            */
/* ------------------------------------------------------------------------ */

enum { BLOCK_MAIN, BLOCK_JINJIANG, BLOCK_BEILIU, BLOCK_BAGONG, BLOCK_BEISHIDIAN, NBLOCKS };

/* One block (区块) of the zone; the outline is a star-shaped rounded
 * rectangle (superellipse) with jittered vertices, a few stepped notches and
 * low-frequency wobble, scaled to target_ha. */
typedef struct block_spec {
    const char *name;       /* QKMC */
    const char *industries; /* ZDCY, labels separated by 、 */
    const char *district;   /* district code the block should lie in (check only) */
    double lon, lat;        /* centre, CGCS2000 degrees */
    double target_ha;       /* planar area in EPSG:4526 after fitting */
    double aspect;          /* long / short semi-axis */
    double rotation_deg;    /* of the long axis, counter-clockwise from east */
    double squareness;      /* superellipse exponent: 2 ellipse, 4-6 rounded rectangle */
    int vertices;           /* base vertices before corners and notches */
    int notches;
} block_spec;

static const block_spec BLOCK_SPECS[NBLOCKS] = {
    {"主区", "光机电、装备制造、新能源", "140502", 112.8760, 35.4745, 1248.6375, 1.45, 12.0, 4.5,
     44, 2},
    {"金匠工业园区", "光机电、新能源", "140525", 112.8150, 35.5720, 421.2950, 1.35, 28.0, 5.0, 34,
     1},
    {"北留周村工业园区", "煤化工、新材料", "140522", 112.5520, 35.5000, 479.8260, 1.7, 70.0, 4.0,
     36, 1},
    {"巴公工业园区", "新材料、煤化工", "140525", 112.8820, 35.6220, 561.4710, 1.55, -18.0, 4.0, 38,
     1},
    {"北石店工业园区", "装备制造、医药", "140502", 112.9010, 35.4962, 468.7705, 1.3, 40.0, 4.5, 32,
     1},
};

#define ZONE_CODE "G141061"
#define ZONE_NAME "晋城经济技术开发区"
#define ZONE_LEVEL "国家级"

/* 用地用海分类 (2023) classes used by the mosaic. */
typedef struct lu_class {
    const char *code;
    const char *name;
} lu_class;

enum {
    LU_0101,
    LU_0102,
    LU_0103,
    LU_0301,
    LU_0303,
    LU_0403,
    LU_0701,
    LU_0703,
    LU_0801,
    LU_0804,
    LU_0901,
    LU_1001,
    LU_1002,
    LU_1101,
    LU_1201,
    LU_1202,
    LU_1207,
    LU_1208,
    LU_1303,
    LU_1401,
    LU_1402,
    LU_1701,
    LU_1704,
    NLU
};

static const lu_class LU_CLASSES[NLU] = {
    {"0101", "水田"},         {"0102", "水浇地"},         {"0103", "旱地"},
    {"0301", "乔木林地"},     {"0303", "灌木林地"},       {"0403", "其他草地"},
    {"0701", "城镇住宅用地"}, {"0703", "农村宅基地"},     {"0801", "机关团体用地"},
    {"0804", "教育用地"},     {"0901", "商业用地"},       {"1001", "工业用地"},
    {"1002", "采矿用地"},     {"1101", "物流仓储用地"},   {"1201", "铁路用地"},
    {"1202", "公路用地"},     {"1207", "城镇村道路用地"}, {"1208", "交通场站用地"},
    {"1303", "供电用地"},     {"1401", "公园绿地"},       {"1402", "防护绿地"},
    {"1701", "河流水面"},     {"1704", "坑塘水面"},
};

typedef struct lu_weight {
    int lu;
    double weight;
} lu_weight;

/* Inside a park: construction classes only (planted 0301/1701 aside). */
static const lu_weight MIX_PARK[] = {
    {LU_1001, 62}, {LU_1101, 9}, {LU_1207, 9}, {LU_1402, 7}, {LU_1303, 4},
    {LU_0701, 3},  {LU_0901, 3}, {LU_1208, 2}, {LU_1201, 1},
};
/* Central urban area and the rest of the urban development boundary. */
static const lu_weight MIX_CITY[] = {
    {LU_0701, 38}, {LU_0901, 12}, {LU_1207, 12}, {LU_0801, 5}, {LU_0804, 6},
    {LU_1401, 8},  {LU_1001, 9},  {LU_1101, 4},  {LU_1402, 3}, {LU_1208, 3},
};
/* Ecological red line. */
static const lu_weight MIX_ECO[] = {{LU_0301, 65}, {LU_0303, 22}, {LU_0403, 13}};
/* Rural, hilly: forest dominated. */
static const lu_weight MIX_FOREST[] = {{LU_0301, 62}, {LU_0303, 22}, {LU_0403, 12}, {LU_0103, 4}};
/* Rural, open: cultivated land dominated. */
static const lu_weight MIX_FARM[] = {
    {LU_0103, 52}, {LU_0102, 17}, {LU_0101, 2}, {LU_0703, 11}, {LU_1202, 3}, {LU_1207, 2},
    {LU_1701, 2},  {LU_1704, 1},  {LU_1002, 3}, {LU_0403, 4},  {LU_0301, 3},
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int pick_class(rng *r, const lu_weight *mix, size_t n)
{
    double total = 0.0;
    double u;
    size_t i;
    for (i = 0; i < n; i++) {
        total += mix[i].weight;
    }
    u = rng_uniform(r) * total;
    for (i = 0; i < n; i++) {
        if (u < mix[i].weight) {
            return mix[i].lu;
        }
        u -= mix[i].weight;
    }
    return mix[n - 1].lu;
}

/* GB/T 4754-2017 codes used for enterprises, with a name word. */
typedef struct industry {
    const char *code;
    const char *word; /* goes into the enterprise name */
} industry;

static const industry IND_GUANGJIDIAN[] = {{"3976", "光电科技"}, {"3975", "半导体照明"},
                                           {"3983", "传感技术"}, {"4040", "光学仪器"},
                                           {"3525", "精密模具"}, {"3484", "精密机械"}};
static const industry IND_ZHUANGBEI[] = {{"3511", "煤机装备"}, {"3441", "泵业"},
                                         {"3311", "钢结构"},   {"3612", "新能源汽车"},
                                         {"3421", "数控机床"}, {"3824", "电力电子"}};
static const industry IND_XINNENGYUAN[] = {
    {"3825", "光伏科技"}, {"3841", "锂电科技"}, {"3415", "风电装备"}, {"4511", "煤层气"}};
static const industry IND_XINCAILIAO[] = {
    {"3130", "轧钢"}, {"3140", "铁合金"}, {"3240", "合金材料"}, {"3073", "特种陶瓷"}};
static const industry IND_MEIHUAGONG[] = {
    {"2521", "焦化"}, {"2522", "煤气化"}, {"2523", "煤制油"}, {"2621", "化肥"}};
static const industry IND_YIYAO[] = {
    {"2710", "药业"}, {"2720", "制药"}, {"2740", "中药"}, {"2761", "生物制药"}};

typedef struct industry_set {
    const industry *items;
    size_t count;
} industry_set;

#define ISET(a)                                                                                    \
    {                                                                                              \
        a, NELEM(a)                                                                                \
    }

/* Leading-industry labels of each block, in BLOCK_SPECS order. */
static const industry_set PARK_INDUSTRIES[NBLOCKS][3] = {
    {ISET(IND_GUANGJIDIAN), ISET(IND_ZHUANGBEI), ISET(IND_XINNENGYUAN)},
    {ISET(IND_GUANGJIDIAN), ISET(IND_XINNENGYUAN), {NULL, 0}},
    {ISET(IND_MEIHUAGONG), ISET(IND_XINCAILIAO), {NULL, 0}},
    {ISET(IND_XINCAILIAO), ISET(IND_MEIHUAGONG), {NULL, 0}},
    {ISET(IND_ZHUANGBEI), ISET(IND_YIYAO), {NULL, 0}},
};
static const int PARK_ENTERPRISES[NBLOCKS] = {28, 10, 10, 14, 14};

/* Two-character trade names (字号) are built from these; all fictitious. */
static const char *const TRADE_FIRST[] = {"宏", "鑫", "瑞", "恒", "华", "金", "泰",
                                          "博", "明", "天", "中", "凤", "嘉", "晟",
                                          "兴", "德", "远", "盛", "永", "欣"};
static const char *const TRADE_SECOND[] = {"达", "源", "康", "鼎", "利", "通", "和",
                                           "信", "安", "阳", "辉", "峰", "创"};

/* ------------------------------------------------------------------------ */
/* Growable arrays                                                          */
/* ------------------------------------------------------------------------ */

typedef struct geom_list {
    GEOSGeometry **items; /* owned */
    size_t count, cap;
} geom_list;

static void glist_push(geom_list *l, GEOSGeometry *g)
{
    if (l->count == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
        l->items = xrealloc(l->items, l->cap * sizeof(*l->items));
    }
    l->items[l->count++] = g;
}

static void glist_release(geom_list *l)
{
    size_t i;
    for (i = 0; i < l->count; i++) {
        GEOSGeom_destroy_r(G, l->items[i]);
    }
    free(l->items);
    l->items = NULL;
    l->count = l->cap = 0;
}

/* One land-use patch of the mosaic. */
typedef struct patch {
    GEOSGeometry *geom; /* EPSG:4526, owned */
    int block;          /* block it lies in, -1 outside every block */
    int lu;             /* index into LU_CLASSES */
    int planted;        /* 1 for the planted C04 patches */
    double area_m2;
} patch;

typedef struct patch_list {
    patch *items;
    size_t count, cap;
} patch_list;

static patch *plist_add(patch_list *l)
{
    if (l->count == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 256;
        l->items = xrealloc(l->items, l->cap * sizeof(*l->items));
    }
    memset(&l->items[l->count], 0, sizeof(patch));
    return &l->items[l->count++];
}

/* One 永久基本农田 patch. */
typedef struct farm_patch {
    GEOSGeometry *geom; /* EPSG:4526, owned */
    int lu;             /* DLBM class */
    char id[24];        /* YJJBNTTBBH */
    int planted;        /* 1, 2 for the planted C01 pair */
    double area_m2;
} farm_patch;

typedef struct farm_list {
    farm_patch *items;
    size_t count, cap;
} farm_list;

static farm_patch *flist_add(farm_list *l)
{
    if (l->count == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 256;
        l->items = xrealloc(l->items, l->cap * sizeof(*l->items));
    }
    memset(&l->items[l->count], 0, sizeof(farm_patch));
    return &l->items[l->count++];
}

typedef struct redline_zone {
    GEOSGeometry *geom; /* EPSG:4526, owned */
    const char *code, *name, *type;
    double area_m2;
} redline_zone;

typedef struct enterprise {
    char name[128];                 /* QYMC, UTF-8 */
    const char *hydm;               /* GB/T 4754 code */
    double tze_wan, cz_wan, ss_wan; /* investment, annual output, annual tax: 万元 */
    double ydmj_m2;
    int compliant;       /* HPDB 是/否 */
    int block;           /* SSYQ: block index, -1 outside every zone */
    double x, y;         /* EPSG:4526 */
    const char *planted; /* planted case, NULL for ordinary ones */
} enterprise;

#define MAX_ENTERPRISES 256
#define MAX_REDLINES 8

/* Everything generated, in EPSG:4526. */
typedef struct world {
    GEOSGeometry *district[6]; /* districts of Jincheng, made valid */
    char district_code[6][8];
    int ndistricts;
    GEOSGeometry *block[NBLOCKS]; /* the zone blocks, mm coordinates */
    double block_area_m2[NBLOCKS];
    double block_qkmj_ha[NBLOCKS]; /* declared: planar area rounded to 0.0001 ha */
    double zone_hzmj_ha;           /* sum of the declared block areas */
    GEOSGeometry *zxcq;            /* central urban area */
    redline_zone redline[MAX_REDLINES];
    int nredlines;
    GEOSGeometry *redline_union;
    geom_list czkfbj; /* parts of the urban development boundary */
    GEOSGeometry *czkfbj_union;
    double jinjiang_cut_northing; /* north of this, 金匠 is outside CZKFBJ */
    patch_list landuse;
    farm_list farmland;
    enterprise ent[MAX_ENTERPRISES];
    int nent;
    double xmin, ymin, xmax, ymax; /* mosaic envelope */
} world;

/* ------------------------------------------------------------------------ */
/* CRS helpers                                                              */
/* ------------------------------------------------------------------------ */

static OGRSpatialReferenceH srs_from_epsg(int epsg)
{
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    if (srs == NULL || OSRImportFromEPSG(srs, epsg) != OGRERR_NONE) {
        fatal("cannot build EPSG:%d", epsg);
    }
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

static OGRCoordinateTransformationH g_ll_to_gk; /* EPSG:4490 -> EPSG:4526 */
static OGRCoordinateTransformationH g_gk_to_ll; /* EPSG:4526 -> EPSG:4490 */

static void crs_init(void)
{
    OGRSpatialReferenceH ll = srs_from_epsg(EPSG_GEOGRAPHIC);
    OGRSpatialReferenceH gk = srs_from_epsg(EPSG_GK38_PREFIX);
    g_ll_to_gk = OCTNewCoordinateTransformation(ll, gk);
    g_gk_to_ll = OCTNewCoordinateTransformation(gk, ll);
    if (g_ll_to_gk == NULL || g_gk_to_ll == NULL) {
        fatal("cannot build the EPSG:4490 <-> EPSG:4526 transformation");
    }
    OSRDestroySpatialReference(ll);
    OSRDestroySpatialReference(gk);
}

static void ll_to_gk(double lon, double lat, double *out_x, double *out_y)
{
    double x = lon, y = lat;
    if (!OCTTransform(g_ll_to_gk, 1, &x, &y, NULL)) {
        fatal("cannot project %.6f %.6f", lon, lat);
    }
    *out_x = x;
    *out_y = y;
}

static void gk_to_ll(double x, double y, double *out_lon, double *out_lat)
{
    double lon = x, lat = y;
    if (!OCTTransform(g_gk_to_ll, 1, &lon, &lat, NULL)) {
        fatal("cannot unproject %.3f %.3f", x, y);
    }
    *out_lon = lon;
    *out_lat = lat;
}

static int transform_cb(double *x, double *y, void *userdata)
{
    OGRCoordinateTransformationH ct = userdata;
    return OCTTransform(ct, 1, x, y, NULL) ? 1 : 0;
}

/* ------------------------------------------------------------------------ */
/* GEOS helpers (all geometry in EPSG:4526 metres)                          */
/* ------------------------------------------------------------------------ */

static GEOSGeometry *check_geom(GEOSGeometry *g, const char *what)
{
    if (g == NULL) {
        fatal("GEOS failed: %s", what);
    }
    return g;
}

static double area_of(const GEOSGeometry *g)
{
    double a = 0.0;
    if (!GEOSArea_r(G, g, &a)) {
        fatal("GEOSArea failed");
    }
    return a;
}

static double distance_of(const GEOSGeometry *a, const GEOSGeometry *b)
{
    double d = 0.0;
    if (!GEOSDistance_r(G, a, b, &d)) {
        fatal("GEOSDistance failed");
    }
    return d;
}

static int is_valid(const GEOSGeometry *g)
{
    char v = GEOSisValid_r(G, g);
    if (v == 2) {
        fatal("GEOSisValid failed");
    }
    return v == 1;
}

static int intersects(const GEOSGeometry *a, const GEOSGeometry *b)
{
    char v = GEOSIntersects_r(G, a, b);
    if (v == 2) {
        fatal("GEOSIntersects failed");
    }
    return v == 1;
}

static int prep_contains_xy(const GEOSPreparedGeometry *p, double x, double y)
{
    GEOSGeometry *pt = check_geom(GEOSGeom_createPointFromXY_r(G, x, y), "point");
    char v = GEOSPreparedContains_r(G, p, pt);
    GEOSGeom_destroy_r(G, pt);
    if (v == 2) {
        fatal("GEOSPreparedContains failed");
    }
    return v == 1;
}

static int prep_intersects(const GEOSPreparedGeometry *p, const GEOSGeometry *g)
{
    char v = GEOSPreparedIntersects_r(G, p, g);
    if (v == 2) {
        fatal("GEOSPreparedIntersects failed");
    }
    return v == 1;
}

static GEOSGeometry *intersection(const GEOSGeometry *a, const GEOSGeometry *b)
{
    return check_geom(GEOSIntersection_r(G, a, b), "intersection");
}

static GEOSGeometry *difference(const GEOSGeometry *a, const GEOSGeometry *b)
{
    return check_geom(GEOSDifference_r(G, a, b), "difference");
}

static GEOSGeometry *union2(const GEOSGeometry *a, const GEOSGeometry *b)
{
    return check_geom(GEOSUnion_r(G, a, b), "union");
}

/* Mitred buffer: offsets a survey outline without rounding its corners. */
static GEOSGeometry *buffer_mitre(const GEOSGeometry *g, double dist_m)
{
    return check_geom(
        GEOSBufferWithStyle_r(G, g, dist_m, 2, GEOSBUF_CAP_FLAT, GEOSBUF_JOIN_MITRE, 3.0),
        "buffer");
}

static GEOSGeometry *buffer_round(const GEOSGeometry *g, double dist_m)
{
    return check_geom(GEOSBuffer_r(G, g, dist_m, 4), "buffer");
}

/* Snaps to a millimetre grid (survey precision), keeping the result valid. */
static GEOSGeometry *snap_mm(GEOSGeometry *g)
{
    GEOSGeometry *s = check_geom(GEOSGeom_setPrecision_r(G, g, 0.001, 0), "set precision");
    GEOSGeom_destroy_r(G, g);
    return s;
}

static GEOSGeometry *make_polygon(const double *xy, size_t n)
{
    GEOSCoordSequence *cs = GEOSCoordSeq_create_r(G, (unsigned int)(n + 1), 2);
    GEOSGeometry *ring;
    size_t i;
    if (n < 3) {
        fatal("a polygon needs at least 3 vertices");
    }
    if (cs == NULL) {
        fatal("GEOSCoordSeq_create failed");
    }
    for (i = 0; i <= n; i++) {
        size_t k = i % n;
        GEOSCoordSeq_setXY_r(G, cs, (unsigned int)i, xy[2 * k], xy[2 * k + 1]);
    }
    ring = check_geom(GEOSGeom_createLinearRing_r(G, cs), "ring");
    return check_geom(GEOSGeom_createPolygon_r(G, ring, NULL, 0), "polygon");
}

static GEOSGeometry *make_rect(double x0, double y0, double x1, double y1)
{
    double xy[8];
    xy[0] = x0;
    xy[1] = y0;
    xy[2] = x1;
    xy[3] = y0;
    xy[4] = x1;
    xy[5] = y1;
    xy[6] = x0;
    xy[7] = y1;
    return make_polygon(xy, 4);
}

/* Appends clones of every polygon in g with area above min_area_m2. */
static void collect_polygons(const GEOSGeometry *g, double min_area_m2, geom_list *out)
{
    int type = GEOSGeomTypeId_r(G, g);
    if (type == GEOS_POLYGON) {
        if (!GEOSisEmpty_r(G, g) && area_of(g) > min_area_m2) {
            glist_push(out, check_geom(GEOSGeom_clone_r(G, g), "clone"));
        }
    } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        int i, n = GEOSGetNumGeometries_r(G, g);
        for (i = 0; i < n; i++) {
            collect_polygons(GEOSGetGeometryN_r(G, g, i), min_area_m2, out);
        }
    }
}

/* The largest polygon of g, without holes; takes ownership of g. */
static GEOSGeometry *largest_shell(GEOSGeometry *g)
{
    geom_list parts = {0};
    GEOSGeometry *best = NULL;
    double best_area = -1.0;
    size_t i;
    collect_polygons(g, 0.0, &parts);
    GEOSGeom_destroy_r(G, g);
    for (i = 0; i < parts.count; i++) {
        double a = area_of(parts.items[i]);
        if (a > best_area) {
            best_area = a;
            best = parts.items[i];
        }
    }
    if (best == NULL) {
        fatal("empty geometry where a polygon was expected");
    }
    {
        const GEOSGeometry *shell = GEOSGetExteriorRing_r(G, best);
        GEOSGeometry *ring = check_geom(GEOSGeom_clone_r(G, shell), "clone");
        GEOSGeometry *poly = check_geom(GEOSGeom_createPolygon_r(G, ring, NULL, 0), "polygon");
        glist_release(&parts);
        return poly;
    }
}

static void centroid_xy(const GEOSGeometry *g, double *out_x, double *out_y)
{
    GEOSGeometry *c = check_geom(GEOSGetCentroid_r(G, g), "centroid");
    GEOSGeomGetX_r(G, c, out_x);
    GEOSGeomGetY_r(G, c, out_y);
    GEOSGeom_destroy_r(G, c);
}

static void surface_point_xy(const GEOSGeometry *g, double *out_x, double *out_y)
{
    GEOSGeometry *c = check_geom(GEOSPointOnSurface_r(G, g), "point on surface");
    GEOSGeomGetX_r(G, c, out_x);
    GEOSGeomGetY_r(G, c, out_y);
    GEOSGeom_destroy_r(G, c);
}

static void bounds_of(const GEOSGeometry *g, double *x0, double *y0, double *x1, double *y1)
{
    *x0 = *y0 = *x1 = *y1 = 0.0;
    if (!GEOSGeom_getXMin_r(G, g, x0) || !GEOSGeom_getYMin_r(G, g, y0) ||
        !GEOSGeom_getXMax_r(G, g, x1) || !GEOSGeom_getYMax_r(G, g, y1)) {
        fatal("GEOS bounds failed");
    }
}

/* Uniform random point inside a (prepared) polygon by rejection. */
static void random_point_in(rng *r, const GEOSGeometry *g, const GEOSPreparedGeometry *p,
                            double *out_x, double *out_y)
{
    double x0, y0, x1, y1;
    int tries;
    bounds_of(g, &x0, &y0, &x1, &y1);
    for (tries = 0; tries < 100000; tries++) {
        double x = rng_range(r, x0, x1);
        double y = rng_range(r, y0, y1);
        if (prep_contains_xy(p, x, y)) {
            *out_x = x;
            *out_y = y;
            return;
        }
    }
    fatal("cannot place a random point inside a polygon");
}

/* ------------------------------------------------------------------------ */
/* Reading the districts                                                    */
/* ------------------------------------------------------------------------ */

static GEOSGeometry *geos_from_ogr(OGRGeometryH og)
{
    size_t size = (size_t)OGR_G_WkbSize(og);
    unsigned char *buf = xcalloc(size, 1);
    GEOSGeometry *g;
    if (OGR_G_ExportToWkb(og, wkbNDR, buf) != OGRERR_NONE) {
        fatal("cannot export a geometry to WKB");
    }
    g = check_geom(GEOSGeomFromWKB_buf_r(G, buf, size), "WKB read");
    free(buf);
    return g;
}

static OGRGeometryH ogr_from_geos(const GEOSGeometry *g)
{
    size_t size = 0;
    unsigned char *wkb = GEOSWKBWriter_write_r(G, g_wkb_writer, g, &size);
    OGRGeometryH og = NULL;
    if (wkb == NULL) {
        fatal("GEOS WKB write failed");
    }
    if (OGR_G_CreateFromWkb(wkb, NULL, &og, (int)size) != OGRERR_NONE) {
        fatal("OGR cannot read a GEOS WKB");
    }
    GEOSFree_r(G, wkb);
    return og;
}

/* The district file is WGS84 lon/lat quantised to ~1/1024 degree; WGS84 and
 * CGCS2000 differ by centimetres, far below that, so it is read as 4490. */
static void read_districts(world *w, const char *path)
{
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    OGRLayerH lyr;
    OGRFeatureH f;
    if (ds == NULL) {
        fatal("cannot open the district boundaries %s (use --districts PATH)", path);
    }
    lyr = GDALDatasetGetLayer(ds, 0);
    OGR_L_ResetReading(lyr);
    while ((f = OGR_L_GetNextFeature(lyr)) != NULL) {
        OGRGeometryH og = OGR_F_GetGeometryRef(f);
        int idx = OGR_F_GetFieldIndex(f, "id");
        if (og != NULL && idx >= 0 && w->ndistricts < 6) {
            GEOSGeometry *ll = geos_from_ogr(og);
            GEOSGeometry *gk =
                check_geom(GEOSGeom_transformXY_r(G, ll, transform_cb, g_ll_to_gk), "transform");
            GEOSGeometry *valid = check_geom(GEOSMakeValid_r(G, gk), "make valid");
            snprintf(w->district_code[w->ndistricts], sizeof(w->district_code[0]), "%s",
                     OGR_F_GetFieldAsString(f, idx));
            w->district[w->ndistricts++] = valid;
            GEOSGeom_destroy_r(G, ll);
            GEOSGeom_destroy_r(G, gk);
        }
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    if (w->ndistricts != 6) {
        fatal("%s: expected the 6 districts of Jincheng, found %d", path, w->ndistricts);
    }
}

static const GEOSGeometry *district_by_code(const world *w, const char *code)
{
    int i;
    for (i = 0; i < w->ndistricts; i++) {
        if (strcmp(w->district_code[i], code) == 0) {
            return w->district[i];
        }
    }
    fatal("district %s not found", code);
    return NULL;
}

/* District code at a point, "140500" when outside all of them. */
static const char *district_at(const world *w, double x, double y)
{
    GEOSGeometry *pt = check_geom(GEOSGeom_createPointFromXY_r(G, x, y), "point");
    const char *code = "140500";
    int i;
    for (i = 0; i < w->ndistricts; i++) {
        if (intersects(w->district[i], pt)) {
            code = w->district_code[i];
            break;
        }
    }
    GEOSGeom_destroy_r(G, pt);
    return code;
}

/* ------------------------------------------------------------------------ */
/* Irregular outlines                                                       */
/* ------------------------------------------------------------------------ */

/* A star-shaped outline around the origin: strictly increasing angles and
 * positive radii, hence always a simple polygon. */
typedef struct outline {
    size_t n;
    double theta[MAX_OUTLINE_VERTICES];  /* radians, [0, 2 pi) */
    double radius[MAX_OUTLINE_VERTICES]; /* relative units */
} outline;

typedef struct outline_style {
    double aspect;       /* long / short semi-axis */
    double rotation_rad; /* of the long axis */
    double squareness;   /* superellipse exponent */
    int vertices;        /* base vertices */
    int notches;         /* stepped notches */
    double wobble;       /* amplitude of low-frequency harmonics */
    double jitter;       /* relative radial noise per vertex */
} outline_style;

static double superellipse_radius(double phi, double a, double b, double p)
{
    double c = fabs(cos(phi)) / a;
    double s = fabs(sin(phi)) / b;
    return pow(pow(c, p) + pow(s, p), -1.0 / p);
}

typedef struct outline_vertex {
    double theta;
    double factor; /* notch factor, 1 outside notches */
    int fixed;     /* corners and notch steps are never dropped */
} outline_vertex;

static int cmp_vertex(const void *a, const void *b)
{
    const outline_vertex *va = a, *vb = b;
    if (va->theta < vb->theta) {
        return -1;
    }
    return va->theta > vb->theta ? 1 : 0;
}

static double wrap_angle(double t)
{
    while (t < 0.0) {
        t += 2.0 * PI;
    }
    while (t >= 2.0 * PI) {
        t -= 2.0 * PI;
    }
    return t;
}

static void make_outline(rng *r, const outline_style *st, outline *out)
{
    outline_vertex v[MAX_OUTLINE_VERTICES];
    size_t nv = 0, i, k;
    double a = st->aspect, b = 1.0;
    double corner = atan2(b, a);
    double harm_amp[4], harm_phase[4];
    double notch_lo[4], notch_hi[4];
    const double step = 0.0015; /* radians between the two vertices of a step */
    int nn = st->notches < 4 ? st->notches : 4;
    int j;

    for (j = 0; j < 4; j++) {
        harm_amp[j] = st->wobble * rng_range(r, 0.3, 1.0) / (double)(j + 1);
        harm_phase[j] = rng_range(r, 0.0, 2.0 * PI);
    }
    for (j = 0; j < nn; j++) {
        notch_lo[j] = rng_range(r, 0.0, 2.0 * PI);
        notch_hi[j] = notch_lo[j] + rng_range(r, 0.12, 0.30);
    }
    /* base vertices at jittered regular angles */
    for (j = 0; j < st->vertices && nv < MAX_OUTLINE_VERTICES - 24; j++) {
        double t = 2.0 * PI * ((double)j + rng_range(r, -0.35, 0.35)) / (double)st->vertices;
        v[nv].theta = wrap_angle(t);
        v[nv].factor = 1.0;
        v[nv].fixed = 0;
        nv++;
    }
    /* the four corners of the rounded rectangle */
    {
        const double corners[4] = {corner, PI - corner, PI + corner, 2.0 * PI - corner};
        for (j = 0; j < 4; j++) {
            v[nv].theta = wrap_angle(corners[j] + st->rotation_rad);
            v[nv].factor = 1.0;
            v[nv].fixed = 1;
            nv++;
        }
    }
    /* notches: a radial step in and out */
    for (j = 0; j < nn; j++) {
        v[nv].theta = wrap_angle(notch_lo[j] - step);
        v[nv].fixed = 1;
        nv++;
        v[nv].theta = wrap_angle(notch_lo[j] + step);
        v[nv].fixed = 1;
        nv++;
        v[nv].theta = wrap_angle(notch_hi[j] - step);
        v[nv].fixed = 1;
        nv++;
        v[nv].theta = wrap_angle(notch_hi[j] + step);
        v[nv].fixed = 1;
        nv++;
    }
    /* notch factor of every vertex */
    for (i = 0; i < nv; i++) {
        v[i].factor = 1.0;
        for (j = 0; j < nn; j++) {
            double t = v[i].theta;
            double lo = notch_lo[j], hi = notch_hi[j];
            int inside = (t > lo && t < hi) || (t + 2.0 * PI > lo && t + 2.0 * PI < hi);
            if (inside) {
                v[i].factor = 0.88;
            }
        }
    }
    qsort(v, nv, sizeof(v[0]), cmp_vertex);
    /* drop base vertices too close to a neighbour (angles must increase) */
    out->n = 0;
    for (i = 0; i < nv; i++) {
        double prev = out->n ? out->theta[out->n - 1] : -1.0;
        if (out->n && v[i].theta - prev < 2.0 * step) {
            if (!v[i].fixed) {
                continue;
            }
            if (out->n && v[i].theta - prev < 0.5 * step) {
                continue;
            }
        }
        {
            double phi = v[i].theta - st->rotation_rad;
            double rad = superellipse_radius(phi, a, b, st->squareness);
            double wob = 1.0;
            for (k = 0; k < 4; k++) {
                wob += harm_amp[k] * cos((double)(k + 1) * v[i].theta + harm_phase[k]);
            }
            rad *= wob * v[i].factor * (1.0 + st->jitter * rng_range(r, -0.5, 0.5));
            out->theta[out->n] = v[i].theta;
            out->radius[out->n] = rad;
            out->n++;
        }
    }
}

/* The outline at a scale, centred on (cx, cy), coordinates on a mm grid. */
static GEOSGeometry *outline_polygon(const outline *o, double cx, double cy, double scale_m)
{
    double xy[2 * MAX_OUTLINE_VERTICES];
    size_t i;
    for (i = 0; i < o->n; i++) {
        double x = cx + scale_m * o->radius[i] * cos(o->theta[i]);
        double y = cy + scale_m * o->radius[i] * sin(o->theta[i]);
        xy[2 * i] = floor(x * 1000.0 + 0.5) / 1000.0;
        xy[2 * i + 1] = floor(y * 1000.0 + 0.5) / 1000.0;
    }
    return make_polygon(xy, o->n);
}

/* Scale so that area(outline(scale) minus carve) equals target_m2. */
static GEOSGeometry *fit_outline(const outline *o, double cx, double cy, double target_m2,
                                 const GEOSGeometry *carve)
{
    GEOSGeometry *unit = outline_polygon(o, 0.0, 0.0, 1000.0);
    double s0 = 1000.0 * sqrt(target_m2 / area_of(unit));
    double lo = 0.7 * s0, hi = 1.6 * s0, s = s0;
    GEOSGeometry *g;
    int it;
    GEOSGeom_destroy_r(G, unit);
    if (carve == NULL) {
        return outline_polygon(o, cx, cy, s0);
    }
    for (it = 0; it < 60; it++) {
        GEOSGeometry *p, *d;
        double a;
        s = 0.5 * (lo + hi);
        p = outline_polygon(o, cx, cy, s);
        d = difference(p, carve);
        a = area_of(d);
        GEOSGeom_destroy_r(G, p);
        GEOSGeom_destroy_r(G, d);
        if (a < target_m2) {
            lo = s;
        } else {
            hi = s;
        }
    }
    {
        GEOSGeometry *p = outline_polygon(o, cx, cy, s);
        g = largest_shell(difference(p, carve));
        GEOSGeom_destroy_r(G, p);
    }
    return snap_mm(g);
}

/* ------------------------------------------------------------------------ */
/* Zone blocks                                                              */
/* ------------------------------------------------------------------------ */

static double round_to(double v, double unit)
{
    return floor(v / unit + 0.5) * unit;
}

/* 北石店 is generated first; 主区 is carved around it with a 60 m road gap so
 * that the two share a frontier (the defect set overlaps them there). */
static void gen_blocks(world *w, const gen_params *prm)
{
    static const int order[NBLOCKS] = {BLOCK_BEISHIDIAN, BLOCK_MAIN, BLOCK_JINJIANG, BLOCK_BEILIU,
                                       BLOCK_BAGONG};
    rng r = rng_stream(prm->seed, STREAM_BLOCKS);
    int i, j;
    double total = 0.0;

    for (i = 0; i < NBLOCKS; i++) {
        int b = order[i];
        const block_spec *bs = &BLOCK_SPECS[b];
        outline o;
        outline_style st;
        double cx, cy;
        GEOSGeometry *carve = NULL;
        st.aspect = bs->aspect;
        st.rotation_rad = bs->rotation_deg * PI / 180.0;
        st.squareness = bs->squareness;
        st.vertices = bs->vertices;
        st.notches = bs->notches;
        st.wobble = 0.05;
        st.jitter = 0.03;
        make_outline(&r, &st, &o);
        ll_to_gk(bs->lon, bs->lat, &cx, &cy);
        if (b == BLOCK_MAIN) {
            carve = buffer_mitre(w->block[BLOCK_BEISHIDIAN], 60.0);
        }
        w->block[b] = fit_outline(&o, cx, cy, bs->target_ha * M2_PER_HA, carve);
        if (carve != NULL) {
            GEOSGeom_destroy_r(G, carve);
        }
        if (GEOSGeomTypeId_r(G, w->block[b]) != GEOS_POLYGON || !is_valid(w->block[b])) {
            fatal("block %s is not a valid polygon", bs->name);
        }
    }
    for (i = 0; i < NBLOCKS; i++) {
        for (j = i + 1; j < NBLOCKS; j++) {
            if (intersects(w->block[i], w->block[j])) {
                fatal("blocks %s and %s touch", BLOCK_SPECS[i].name, BLOCK_SPECS[j].name);
            }
        }
        w->block_area_m2[i] = area_of(w->block[i]);
        w->block_qkmj_ha[i] = round_to(w->block_area_m2[i] / M2_PER_HA, 0.0001);
        total += w->block_qkmj_ha[i];
    }
    w->zone_hzmj_ha = round_to(total, 0.0001);
}

static void report_blocks(const world *w)
{
    int b;
    note("blocks (EPSG:4526 planar):\n");
    for (b = 0; b < NBLOCKS; b++) {
        const GEOSGeometry *g = w->block[b];
        const GEOSGeometry *d = district_by_code(w, BLOCK_SPECS[b].district);
        GEOSGeometry *in = intersection(g, d);
        double x0, y0, x1, y1, lon0, lat0, lon1, lat1;
        bounds_of(g, &x0, &y0, &x1, &y1);
        gk_to_ll(x0, y0, &lon0, &lat0);
        gk_to_ll(x1, y1, &lon1, &lat1);
        note("  %-24s %12.4f ha  %3d vertices  %5.1f%% in %s  lon %.4f..%.4f lat %.4f..%.4f\n",
             BLOCK_SPECS[b].name, w->block_area_m2[b] / M2_PER_HA,
             GEOSGeomGetNumPoints_r(G, GEOSGetExteriorRing_r(G, g)) - 1,
             100.0 * area_of(in) / w->block_area_m2[b], BLOCK_SPECS[b].district, lon0, lon1, lat0,
             lat1);
        GEOSGeom_destroy_r(G, in);
    }
    note("  zone HZMJ %.4f ha\n", w->zone_hzmj_ha);
    {
        GEOSGeometry *gap;
        double len = 0.0;
        GEOSGeometry *ring = GEOSGeom_clone_r(G, GEOSGetExteriorRing_r(G, w->block[BLOCK_MAIN]));
        GEOSGeometry *near = buffer_round(w->block[BLOCK_BEISHIDIAN], 61.0);
        gap = intersection(ring, near);
        GEOSLength_r(G, gap, &len);
        note("  主区/北石店 frontier (60 m road): %.0f m\n", len);
        GEOSGeom_destroy_r(G, gap);
        GEOSGeom_destroy_r(G, ring);
        GEOSGeom_destroy_r(G, near);
    }
}

/* ------------------------------------------------------------------------ */
/* Central urban area, ecological red line, urban development boundary      */
/* ------------------------------------------------------------------------ */

/* 中心城区: the 城区 district, generalised (the source is a 100 m staircase). */
static void gen_zxcq(world *w)
{
    const GEOSGeometry *chengqu = district_by_code(w, "140502");
    GEOSGeometry *s = check_geom(GEOSTopologyPreserveSimplify_r(G, chengqu, 120.0), "simplify");
    GEOSGeometry *grown = buffer_round(s, 400.0);
    GEOSGeometry *shrunk = buffer_round(grown, -400.0);
    GEOSGeometry *simple = check_geom(GEOSTopologyPreserveSimplify_r(G, shrunk, 20.0), "simplify");
    w->zxcq = snap_mm(largest_shell(simple));
    GEOSGeom_destroy_r(G, s);
    GEOSGeom_destroy_r(G, grown);
    GEOSGeom_destroy_r(G, shrunk);
}

typedef struct redline_spec {
    const char *code, *name, *type;
    double lon, lat, target_ha, aspect, rotation_deg;
} redline_spec;

static const redline_spec REDLINE_BLOBS[] = {
    {"STBHHX140525001", "太行山南麓水源涵养生态保护红线", "水源涵养", 112.9520, 35.6050, 1287.4,
     1.6, 75.0},
    {"STBHHX140525002", "珏山水土保持生态保护红线", "水土保持", 112.9420, 35.4330, 713.8, 1.3,
     20.0},
    {"STBHHX140525003", "泽州西部生物多样性维护生态保护红线", "生物多样性维护", 112.6950, 35.4720,
     1526.1, 1.8, 110.0},
    {"STBHHX140522001", "阳城东部水土保持生态保护红线", "水土保持", 112.6150, 35.5850, 884.6, 1.4,
     35.0},
};

/* The planted C02 case: a 沁河 river corridor (80 m wide) that crosses 北留周村. */
static GEOSGeometry *river_corridor(rng *r, const GEOSGeometry *block)
{
    double cx, cy;
    double bearing = 160.0 * PI / 180.0; /* compass bearing of the flow */
    double dx = sin(bearing), dy = cos(bearing);
    double nx = -dy, ny = dx; /* left normal */
    double phase = rng_range(r, 0.0, 2.0 * PI);
    const int n = 101; /* vertices, 100 m apart */
    GEOSCoordSequence *cs = GEOSCoordSeq_create_r(G, (unsigned int)n, 2);
    GEOSGeometry *line, *strip;
    int i;
    centroid_xy(block, &cx, &cy);
    cx += 250.0 * nx;
    cy += 250.0 * ny;
    for (i = 0; i < n; i++) {
        double t = -5000.0 + 100.0 * (double)i;
        double m = 160.0 * sin(t / 900.0 + phase) + 50.0 * sin(t / 270.0 + 2.0 * phase) +
                   rng_range(r, -8.0, 8.0);
        double x = cx + t * dx + m * nx;
        double y = cy + t * dy + m * ny;
        GEOSCoordSeq_setXY_r(G, cs, (unsigned int)i, round_to(x, 0.001), round_to(y, 0.001));
    }
    line = check_geom(GEOSGeom_createLineString_r(G, cs), "line");
    strip = check_geom(
        GEOSBufferWithStyle_r(G, line, 40.0, 4, GEOSBUF_CAP_FLAT, GEOSBUF_JOIN_ROUND, 5.0),
        "buffer");
    GEOSGeom_destroy_r(G, line);
    return snap_mm(strip);
}

static void gen_redline(world *w, const gen_params *prm)
{
    rng r = rng_stream(prm->seed, STREAM_REDLINE);
    GEOSGeometry *keep_out = NULL;
    size_t i;
    int b;

    /* blobs keep 1.5 km from every block and 1 km from the central urban area */
    keep_out = buffer_round(w->zxcq, 1000.0);
    for (b = 0; b < NBLOCKS; b++) {
        GEOSGeometry *bb = buffer_round(w->block[b], 1500.0);
        GEOSGeometry *u = union2(keep_out, bb);
        GEOSGeom_destroy_r(G, keep_out);
        GEOSGeom_destroy_r(G, bb);
        keep_out = u;
    }

    {
        redline_zone *z = &w->redline[w->nredlines++];
        z->geom = river_corridor(&r, w->block[BLOCK_BEILIU]);
        z->code = "STBHHX140522002";
        z->name = "沁河河流生态廊道生态保护红线";
        z->type = "水源涵养";
    }
    for (i = 0; i < NELEM(REDLINE_BLOBS); i++) {
        const redline_spec *rs = &REDLINE_BLOBS[i];
        redline_zone *z = &w->redline[w->nredlines++];
        outline o;
        outline_style st;
        double cx, cy;
        GEOSGeometry *blob;
        st.aspect = rs->aspect;
        st.rotation_rad = rs->rotation_deg * PI / 180.0;
        st.squareness = 2.0;
        st.vertices = 64;
        st.notches = 0;
        st.wobble = 0.22;
        st.jitter = 0.10;
        make_outline(&r, &st, &o);
        ll_to_gk(rs->lon, rs->lat, &cx, &cy);
        blob = fit_outline(&o, cx, cy, rs->target_ha * M2_PER_HA, NULL);
        z->geom = snap_mm(largest_shell(difference(blob, keep_out)));
        GEOSGeom_destroy_r(G, blob);
        z->code = rs->code;
        z->name = rs->name;
        z->type = rs->type;
    }
    GEOSGeom_destroy_r(G, keep_out);

    for (i = 0; i < (size_t)w->nredlines; i++) {
        w->redline[i].area_m2 = area_of(w->redline[i].geom);
        if (!is_valid(w->redline[i].geom)) {
            fatal("red line %s is invalid", w->redline[i].code);
        }
        if (w->redline_union == NULL) {
            w->redline_union = check_geom(GEOSGeom_clone_r(G, w->redline[i].geom), "clone");
        } else {
            GEOSGeometry *u = union2(w->redline_union, w->redline[i].geom);
            GEOSGeom_destroy_r(G, w->redline_union);
            w->redline_union = u;
        }
    }
}

/* 城镇开发边界: the central urban area + 800 m and every block + 150 m,
 * except the north part of 金匠 (the planted C03 case). */
static void gen_czkfbj(world *w)
{
    const double target_outside_m2 = 21.37 * M2_PER_HA;
    GEOSGeometry *u = buffer_round(w->zxcq, 800.0);
    GEOSGeometry *jj = w->block[BLOCK_JINJIANG];
    GEOSGeometry *jj_near, *cut, *rest;
    double x0, y0, x1, y1, lo, hi;
    int b, it;

    for (b = 0; b < NBLOCKS; b++) {
        GEOSGeometry *bb = buffer_round(w->block[b], 150.0);
        GEOSGeometry *v = union2(u, bb);
        GEOSGeom_destroy_r(G, u);
        GEOSGeom_destroy_r(G, bb);
        u = v;
    }
    /* northing of the cut: area of 金匠 north of it = target */
    bounds_of(jj, &x0, &y0, &x1, &y1);
    lo = y0;
    hi = y1;
    for (it = 0; it < 60; it++) {
        double mid = 0.5 * (lo + hi);
        GEOSGeometry *half = make_rect(x0 - 10.0, mid, x1 + 10.0, y1 + 10.0);
        GEOSGeometry *part = intersection(jj, half);
        double a = area_of(part);
        GEOSGeom_destroy_r(G, half);
        GEOSGeom_destroy_r(G, part);
        if (a > target_outside_m2) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    w->jinjiang_cut_northing = round_to(0.5 * (lo + hi), 0.001);
    note("urban development boundary: 金匠 outside north of N %.3f\n", w->jinjiang_cut_northing);
    jj_near = buffer_round(jj, 400.0);
    {
        GEOSGeometry *half =
            make_rect(x0 - 1000.0, w->jinjiang_cut_northing, x1 + 1000.0, y1 + 1000.0);
        cut = intersection(jj_near, half);
        GEOSGeom_destroy_r(G, half);
    }
    rest = snap_mm(difference(u, cut));
    collect_polygons(rest, 1.0, &w->czkfbj);
    w->czkfbj_union = rest;
    GEOSGeom_destroy_r(G, u);
    GEOSGeom_destroy_r(G, jj_near);
    GEOSGeom_destroy_r(G, cut);
}

/* ------------------------------------------------------------------------ */
/* Land-use mosaic (用地用海规划)                                           */
/* ------------------------------------------------------------------------ */

typedef struct item_list {
    size_t *items;
    size_t count, cap;
} item_list;

static void strtree_collect(void *item, void *userdata)
{
    item_list *l = userdata;
    if (l->count == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->items = xrealloc(l->items, l->cap * sizeof(*l->items));
    }
    l->items[l->count++] = (size_t)(intptr_t)item - 1;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* A smooth "hilliness" field in [-1, 1] that clusters forest outside the city. */
typedef struct hill_field {
    double phase[4];
} hill_field;

static double hill_at(const hill_field *h, double x, double y)
{
    double v = sin(2.0 * PI * x / 9000.0 + h->phase[0]) * cos(2.0 * PI * y / 7000.0 + h->phase[1]) +
               0.6 * sin(2.0 * PI * (x + y) / 4300.0 + h->phase[2]) +
               0.3 * cos(2.0 * PI * (x - 0.5 * y) / 2100.0 + h->phase[3]);
    return v / 1.9;
}

/* Splits a cell at the block boundaries and appends the pieces. */
static void add_cell(world *w, GEOSSTRtree *tree, const GEOSPreparedGeometry *const *prep,
                     GEOSGeometry *cell)
{
    item_list hits = {0};
    GEOSGeometry *rest = cell;
    geom_list parts = {0};
    size_t i, k;
    GEOSSTRtree_query_r(G, tree, cell, strtree_collect, &hits);
    qsort(hits.items, hits.count, sizeof(size_t), cmp_size);
    for (i = 0; i < hits.count && rest != NULL; i++) {
        int b = (int)hits.items[i];
        if (!prep_intersects(prep[b], rest)) {
            continue;
        }
        if (GEOSPreparedContains_r(G, prep[b], rest) == 1) {
            collect_polygons(rest, 0.0, &parts);
            for (k = 0; k < parts.count; k++) {
                patch *p = plist_add(&w->landuse);
                p->geom = parts.items[k];
                p->block = b;
            }
            parts.count = 0;
            GEOSGeom_destroy_r(G, rest);
            rest = NULL;
            break;
        }
        {
            GEOSGeometry *in = intersection(rest, w->block[b]);
            GEOSGeometry *out = difference(rest, w->block[b]);
            collect_polygons(in, 1e-6, &parts);
            for (k = 0; k < parts.count; k++) {
                patch *p = plist_add(&w->landuse);
                p->geom = parts.items[k];
                p->block = b;
            }
            parts.count = 0;
            GEOSGeom_destroy_r(G, in);
            GEOSGeom_destroy_r(G, rest);
            rest = out;
        }
    }
    if (rest != NULL) {
        collect_polygons(rest, 1e-6, &parts);
        for (k = 0; k < parts.count; k++) {
            patch *p = plist_add(&w->landuse);
            p->geom = parts.items[k];
            p->block = -1;
        }
        GEOSGeom_destroy_r(G, rest);
    }
    free(parts.items);
    free(hits.items);
}

/* Merges every patch smaller than min_area_m2 (corners of Voronoi cells cut
 * off by a block boundary) into the neighbour on the same side of the block
 * boundary with which it shares the longest edge. Coverage is unchanged. */
static void merge_slivers(patch_list *pl, double min_area_m2)
{
    GEOSSTRtree *tree = GEOSSTRtree_create_r(G, 10);
    item_list cand = {0};
    size_t k, j, kept;
    int merged = 0;
    for (k = 0; k < pl->count; k++) {
        pl->items[k].area_m2 = area_of(pl->items[k].geom);
        GEOSSTRtree_insert_r(G, tree, pl->items[k].geom, (void *)(intptr_t)(k + 1));
    }
    for (k = 0; k < pl->count; k++) {
        patch *p = &pl->items[k];
        GEOSGeometry *pb;
        size_t best = SIZE_MAX;
        double best_len = 0.0;
        if (p->geom == NULL || p->area_m2 >= min_area_m2) {
            continue;
        }
        cand.count = 0;
        GEOSSTRtree_query_r(G, tree, p->geom, strtree_collect, &cand);
        qsort(cand.items, cand.count, sizeof(size_t), cmp_size);
        pb = check_geom(GEOSBoundary_r(G, p->geom), "boundary");
        for (j = 0; j < cand.count; j++) {
            patch *q = &pl->items[cand.items[j]];
            GEOSGeometry *qb, *shared;
            double len = 0.0;
            if (cand.items[j] == k || q->geom == NULL || q->block != p->block) {
                continue;
            }
            qb = check_geom(GEOSBoundary_r(G, q->geom), "boundary");
            shared = intersection(pb, qb);
            GEOSLength_r(G, shared, &len);
            if (len > best_len) {
                best_len = len;
                best = cand.items[j];
            }
            GEOSGeom_destroy_r(G, qb);
            GEOSGeom_destroy_r(G, shared);
        }
        GEOSGeom_destroy_r(G, pb);
        if (best != SIZE_MAX) {
            patch *q = &pl->items[best];
            GEOSGeometry *u = union2(q->geom, p->geom);
            if (GEOSGeomTypeId_r(G, u) == GEOS_POLYGON) {
                /* the tree keeps q's old envelope: good enough for slivers */
                GEOSGeom_destroy_r(G, q->geom);
                q->geom = u;
                q->area_m2 = area_of(u);
                GEOSGeom_destroy_r(G, p->geom);
                p->geom = NULL;
                merged++;
            } else {
                GEOSGeom_destroy_r(G, u);
            }
        }
    }
    GEOSSTRtree_destroy_r(G, tree);
    free(cand.items);
    for (k = 0, kept = 0; k < pl->count; k++) {
        if (pl->items[k].geom != NULL) {
            pl->items[kept++] = pl->items[k];
        }
    }
    pl->count = kept;
    note("land use: merged %d slivers below %.0f m2\n", merged, min_area_m2);
}

/* Voronoi mosaic of prm->landuse_patches seeds over the envelope of the
 * parks (plus margin), clipped to the envelope, split at block boundaries:
 * no gaps, no overlaps, every block fully covered. */
static void gen_landuse(world *w, const gen_params *prm)
{
    rng r = rng_stream(prm->seed, STREAM_LANDUSE_SEEDS);
    rng rc = rng_stream(prm->seed, STREAM_LANDUSE_CLASSES);
    int n = prm->landuse_patches;
    int n_park = (int)(prm->landuse_park_share * (double)n);
    int n_city = (int)(prm->landuse_city_share * (double)n);
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
    GEOSGeometry **pts = xcalloc((size_t)n, sizeof(*pts));
    GEOSGeometry *mp, *env, *cells;
    GEOSGeometry *park_near[NBLOCKS];
    const GEOSPreparedGeometry *park_near_prep[NBLOCKS];
    const GEOSPreparedGeometry *block_prep[NBLOCKS];
    const GEOSPreparedGeometry *zxcq_prep, *czkfbj_prep, *redline_prep, *env_prep;
    double park_area[NBLOCKS], park_area_total = 0.0;
    GEOSSTRtree *tree;
    hill_field hill;
    int i, b, ncells;
    size_t k;

    /* envelope: the blocks plus margin, on a 100 m grid */
    for (b = 0; b < NBLOCKS; b++) {
        double x0, y0, x1, y1;
        bounds_of(w->block[b], &x0, &y0, &x1, &y1);
        if (b == 0 || x0 < w->xmin) {
            w->xmin = x0;
        }
        if (b == 0 || y0 < w->ymin) {
            w->ymin = y0;
        }
        if (b == 0 || x1 > w->xmax) {
            w->xmax = x1;
        }
        if (b == 0 || y1 > w->ymax) {
            w->ymax = y1;
        }
    }
    w->xmin = floor((w->xmin - prm->mosaic_margin_m) / 100.0) * 100.0;
    w->ymin = floor((w->ymin - prm->mosaic_margin_m) / 100.0) * 100.0;
    w->xmax = ceil((w->xmax + prm->mosaic_margin_m) / 100.0) * 100.0;
    w->ymax = ceil((w->ymax + prm->mosaic_margin_m) / 100.0) * 100.0;
    env = make_rect(w->xmin, w->ymin, w->xmax, w->ymax);
    env_prep = GEOSPrepare_r(G, env);

    /* seeds: denser in the parks and the city, where parcels are small */
    for (b = 0; b < NBLOCKS; b++) {
        park_near[b] = buffer_round(w->block[b], 200.0);
        park_near_prep[b] = GEOSPrepare_r(G, park_near[b]);
        block_prep[b] = GEOSPrepare_r(G, w->block[b]);
        park_area[b] = area_of(park_near[b]);
        park_area_total += park_area[b];
    }
    zxcq_prep = GEOSPrepare_r(G, w->zxcq);
    czkfbj_prep = GEOSPrepare_r(G, w->czkfbj_union);
    redline_prep = GEOSPrepare_r(G, w->redline_union);
    for (i = 0; i < n_park; i++) {
        double x, y, u = rng_uniform(&r) * park_area_total;
        for (b = 0; b < NBLOCKS - 1 && u >= park_area[b]; b++) {
            u -= park_area[b];
        }
        random_point_in(&r, park_near[b], park_near_prep[b], &x, &y);
        pts[i] = check_geom(GEOSGeom_createPointFromXY_r(G, x, y), "point");
    }
    {
        GEOSGeometry *city = intersection(w->zxcq, env);
        const GEOSPreparedGeometry *city_prep = GEOSPrepare_r(G, city);
        for (; i < n_park + n_city; i++) {
            double x, y;
            random_point_in(&r, city, city_prep, &x, &y);
            pts[i] = check_geom(GEOSGeom_createPointFromXY_r(G, x, y), "point");
        }
        GEOSPreparedGeom_destroy_r(G, city_prep);
        GEOSGeom_destroy_r(G, city);
    }
    for (; i < n; i++) {
        double x = rng_range(&r, w->xmin, w->xmax);
        double y = rng_range(&r, w->ymin, w->ymax);
        pts[i] = check_geom(GEOSGeom_createPointFromXY_r(G, x, y), "point");
    }
    mp = check_geom(GEOSGeom_createCollection_r(G, GEOS_MULTIPOINT, pts, (unsigned int)n),
                    "multipoint");
    free(pts);
    cells = check_geom(GEOSVoronoiDiagram_r(G, mp, env, 0.0, 0), "voronoi");
    GEOSGeom_destroy_r(G, mp);

    tree = GEOSSTRtree_create_r(G, 10);
    for (b = 0; b < NBLOCKS; b++) {
        GEOSSTRtree_insert_r(G, tree, w->block[b], (void *)(intptr_t)(b + 1));
    }
    ncells = GEOSGetNumGeometries_r(G, cells);
    for (i = 0; i < ncells; i++) {
        const GEOSGeometry *c = GEOSGetGeometryN_r(G, cells, i);
        GEOSGeometry *clipped;
        if (GEOSPreparedContains_r(G, env_prep, c) == 1) {
            clipped = check_geom(GEOSGeom_clone_r(G, c), "clone");
        } else {
            clipped = intersection(c, env);
        }
        add_cell(w, tree, block_prep, clipped);
    }
    GEOSGeom_destroy_r(G, cells);
    GEOSSTRtree_destroy_r(G, tree);
    merge_slivers(&w->landuse, prm->landuse_min_patch_m2);

    /* classes */
    for (i = 0; i < 4; i++) {
        hill.phase[i] = rng_range(&rc, 0.0, 2.0 * PI);
    }
    for (k = 0; k < w->landuse.count; k++) {
        patch *p = &w->landuse.items[k];
        double x, y;
        p->area_m2 = area_of(p->geom);
        surface_point_xy(p->geom, &x, &y);
        if (p->block >= 0) {
            p->lu = pick_class(&rc, MIX_PARK, NELEM(MIX_PARK));
        } else if (prep_contains_xy(redline_prep, x, y)) {
            p->lu = pick_class(&rc, MIX_ECO, NELEM(MIX_ECO));
        } else if (prep_contains_xy(zxcq_prep, x, y) || prep_contains_xy(czkfbj_prep, x, y)) {
            p->lu = pick_class(&rc, MIX_CITY, NELEM(MIX_CITY));
        } else if (rng_uniform(&rc) < 0.08 + 0.7 * fmax(0.0, hill_at(&hill, x, y))) {
            p->lu = pick_class(&rc, MIX_FOREST, NELEM(MIX_FOREST));
        } else {
            p->lu = pick_class(&rc, MIX_FARM, NELEM(MIX_FARM));
        }
    }

    /* planted C04: a wooded hill (0301) and a stream pond (1701) in 北石店 */
    {
        const GEOSGeometry *bsd = w->block[BLOCK_BEISHIDIAN];
        double cx, cy, x0, y0, x1, y1;
        double hx, hy, sx, sy;
        double best_d = 1e30;
        size_t best = 0, second = 0;
        double second_d = 1e30;
        centroid_xy(bsd, &cx, &cy);
        bounds_of(bsd, &x0, &y0, &x1, &y1);
        hx = cx + 0.30 * (x1 - cx);
        hy = cy + 0.25 * (y1 - cy);
        sx = cx - 0.45 * (cx - x0);
        sy = cy - 0.35 * (cy - y0);
        for (k = 0; k < w->landuse.count; k++) {
            patch *p = &w->landuse.items[k];
            double x, y, d;
            if (p->block != BLOCK_BEISHIDIAN) {
                continue;
            }
            centroid_xy(p->geom, &x, &y);
            if (hypot(x - hx, y - hy) < 230.0) {
                p->lu = LU_0301;
                p->planted = 1;
                continue;
            }
            d = hypot(x - sx, y - sy);
            if (d < best_d) {
                second = best;
                second_d = best_d;
                best = k;
                best_d = d;
            } else if (d < second_d) {
                second = k;
                second_d = d;
            }
        }
        w->landuse.items[best].lu = LU_1701;
        w->landuse.items[best].planted = 1;
        w->landuse.items[second].lu = LU_1701;
        w->landuse.items[second].planted = 1;
    }

    /* coverage check: every block is covered exactly */
    {
        double covered[NBLOCKS] = {0};
        double total = 0.0;
        for (k = 0; k < w->landuse.count; k++) {
            const patch *p = &w->landuse.items[k];
            if (p->block >= 0) {
                covered[p->block] += p->area_m2;
            }
            total += p->area_m2;
        }
        for (b = 0; b < NBLOCKS; b++) {
            if (fabs(covered[b] - w->block_area_m2[b]) > 0.01) {
                fatal("land-use patches cover %.3f m2 of %s (area %.3f m2)", covered[b],
                      BLOCK_SPECS[b].name, w->block_area_m2[b]);
            }
        }
        note("land use: %zu patches from %d seeds, %.3f km2 (envelope %.3f km2)\n",
             w->landuse.count, n, total / 1e6, (w->xmax - w->xmin) * (w->ymax - w->ymin) / 1e6);
    }

    for (b = 0; b < NBLOCKS; b++) {
        GEOSPreparedGeom_destroy_r(G, park_near_prep[b]);
        GEOSPreparedGeom_destroy_r(G, block_prep[b]);
        GEOSGeom_destroy_r(G, park_near[b]);
    }
    GEOSPreparedGeom_destroy_r(G, zxcq_prep);
    GEOSPreparedGeom_destroy_r(G, czkfbj_prep);
    GEOSPreparedGeom_destroy_r(G, redline_prep);
    GEOSPreparedGeom_destroy_r(G, env_prep);
    GEOSGeom_destroy_r(G, env);
}

/* ------------------------------------------------------------------------ */
/* 永久基本农田                                                             */
/* ------------------------------------------------------------------------ */

/* A jittered quadrilateral centred at (cx, cy), axes along (ux, uy). */
static GEOSGeometry *jittered_quad(rng *r, double cx, double cy, double ux, double uy,
                                   double half_u, double half_v)
{
    double vx = -uy, vy = ux;
    const double su[4] = {-1, 1, 1, -1}, sv[4] = {-1, -1, 1, 1};
    double xy[8];
    size_t i;
    for (i = 0; i < 4; i++) {
        double du = su[i] * half_u + rng_range(r, -15.0, 15.0);
        double dv = sv[i] * half_v + rng_range(r, -15.0, 15.0);
        xy[2 * i] = round_to(cx + du * ux + dv * vx, 0.001);
        xy[2 * i + 1] = round_to(cy + du * uy + dv * vy, 0.001);
    }
    return make_polygon(xy, 4);
}

/* The planted C01 pair at the north-east corner of 巴公: two cultivated
 * patches that overlap each other and the block. */
static void planted_farmland(world *w, rng *r, GEOSGeometry **out_a, GEOSGeometry **out_b)
{
    const GEOSGeometry *bg = w->block[BLOCK_BAGONG];
    const GEOSGeometry *ring = GEOSGetExteriorRing_r(G, bg);
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(G, ring);
    unsigned int n = 0, i;
    double cx, cy, best = -1e30, vx = 0, vy = 0;
    double ox, oy, tx, ty, len;
    centroid_xy(bg, &cx, &cy);
    GEOSCoordSeq_getSize_r(G, cs, &n);
    for (i = 0; i < n; i++) {
        double x, y;
        GEOSCoordSeq_getXY_r(G, cs, i, &x, &y);
        if ((x - cx) + (y - cy) > best) {
            best = (x - cx) + (y - cy);
            vx = x;
            vy = y;
        }
    }
    ox = vx - cx;
    oy = vy - cy;
    len = hypot(ox, oy);
    ox /= len;
    oy /= len;
    tx = -oy;
    ty = ox;
    *out_a = jittered_quad(r, vx + 30.0 * ox - 100.0 * tx, vy + 30.0 * oy - 100.0 * ty, tx, ty,
                           190.0, 140.0);
    *out_b = jittered_quad(r, vx + 10.0 * ox + 110.0 * tx, vy + 10.0 * oy + 110.0 * ty, tx, ty,
                           170.0, 125.0);
}

static int farm_class(int lu)
{
    return lu == LU_0101 || lu == LU_0102 || lu == LU_0103;
}

/* Cultivated mosaic patches outside the urban boundary and the red line are
 * subdivided into fields, shrunk by field roads and kept as 永久基本农田. */
static void gen_farmland(world *w, const gen_params *prm)
{
    rng r = rng_stream(prm->seed, STREAM_FARMLAND);
    GEOSGeometry *plant_a = NULL, *plant_b = NULL, *plant_u;
    GEOSGeometry *excl;
    const GEOSPreparedGeometry *excl_prep;
    int serial[6] = {0};
    size_t k, j;
    int b;

    planted_farmland(w, &r, &plant_a, &plant_b);
    plant_u = union2(plant_a, plant_b);

    /* exclusion: urban boundary, red line, 30 m around blocks, the planted pair */
    excl = union2(w->czkfbj_union, w->redline_union);
    for (b = 0; b < NBLOCKS; b++) {
        GEOSGeometry *bb = buffer_mitre(w->block[b], 30.0);
        GEOSGeometry *u = union2(excl, bb);
        GEOSGeom_destroy_r(G, excl);
        GEOSGeom_destroy_r(G, bb);
        excl = u;
    }
    {
        GEOSGeometry *pb = buffer_mitre(plant_u, 5.0);
        GEOSGeometry *u = union2(excl, pb);
        GEOSGeom_destroy_r(G, excl);
        GEOSGeom_destroy_r(G, pb);
        excl = u;
    }
    excl_prep = GEOSPrepare_r(G, excl);

    for (k = 0; k < w->landuse.count; k++) {
        const patch *p = &w->landuse.items[k];
        geom_list fields = {0};
        int nsub;
        if (p->block >= 0 || !farm_class(p->lu) || rng_uniform(&r) >= prm->farmland_share) {
            continue;
        }
        nsub = 1 + (int)(p->area_m2 / (prm->farmland_patch_ha * M2_PER_HA));
        if (nsub > 60) {
            nsub = 60;
        }
        if (nsub == 1) {
            glist_push(&fields, check_geom(GEOSGeom_clone_r(G, p->geom), "clone"));
        } else {
            const GEOSPreparedGeometry *pp = GEOSPrepare_r(G, p->geom);
            /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
            GEOSGeometry **pts = xcalloc((size_t)nsub, sizeof(*pts));
            GEOSGeometry *mp, *vor;
            int i, nc;
            for (i = 0; i < nsub; i++) {
                double x, y;
                random_point_in(&r, p->geom, pp, &x, &y);
                pts[i] = check_geom(GEOSGeom_createPointFromXY_r(G, x, y), "point");
            }
            mp = check_geom(
                GEOSGeom_createCollection_r(G, GEOS_MULTIPOINT, pts, (unsigned int)nsub), "mp");
            free(pts);
            vor = check_geom(GEOSVoronoiDiagram_r(G, mp, p->geom, 0.0, 0), "voronoi");
            nc = GEOSGetNumGeometries_r(G, vor);
            for (i = 0; i < nc; i++) {
                GEOSGeometry *c = intersection(GEOSGetGeometryN_r(G, vor, i), p->geom);
                collect_polygons(c, 0.0, &fields);
                GEOSGeom_destroy_r(G, c);
            }
            GEOSGeom_destroy_r(G, vor);
            GEOSGeom_destroy_r(G, mp);
            GEOSPreparedGeom_destroy_r(G, pp);
        }
        for (j = 0; j < fields.count; j++) {
            GEOSGeometry *shrunk = buffer_mitre(fields.items[j], -rng_range(&r, 2.0, 4.0));
            geom_list parts = {0};
            size_t m;
            if (prep_intersects(excl_prep, shrunk)) {
                GEOSGeometry *d = difference(shrunk, excl);
                GEOSGeom_destroy_r(G, shrunk);
                shrunk = d;
            }
            shrunk = snap_mm(shrunk);
            collect_polygons(shrunk, 800.0, &parts);
            GEOSGeom_destroy_r(G, shrunk);
            for (m = 0; m < parts.count; m++) {
                farm_patch *f = flist_add(&w->farmland);
                double x, y;
                const char *dc;
                int d;
                if (!is_valid(parts.items[m])) {
                    GEOSGeom_destroy_r(G, parts.items[m]);
                    w->farmland.count--;
                    continue;
                }
                f->geom = parts.items[m];
                f->lu = p->lu;
                f->area_m2 = area_of(f->geom);
                surface_point_xy(f->geom, &x, &y);
                dc = district_at(w, x, y);
                for (d = 0; d < w->ndistricts && strcmp(w->district_code[d], dc) != 0; d++) {
                }
                if (d == w->ndistricts) {
                    d = 0;
                }
                snprintf(f->id, sizeof(f->id), "%s%06d", dc, ++serial[d]);
            }
            free(parts.items);
        }
        glist_release(&fields);
    }

    /* the planted pair last, with ordinary ids */
    {
        GEOSGeometry *pl[2];
        int i;
        pl[0] = plant_a;
        pl[1] = plant_b;
        for (i = 0; i < 2; i++) {
            farm_patch *f = flist_add(&w->farmland);
            double x, y;
            const char *dc;
            int d;
            f->geom = pl[i];
            f->lu = LU_0103;
            f->planted = i + 1;
            f->area_m2 = area_of(f->geom);
            surface_point_xy(f->geom, &x, &y);
            dc = district_at(w, x, y);
            for (d = 0; d < w->ndistricts && strcmp(w->district_code[d], dc) != 0; d++) {
            }
            if (d == w->ndistricts) {
                d = 0;
            }
            snprintf(f->id, sizeof(f->id), "%s%06d", dc, ++serial[d]);
        }
    }
    GEOSGeom_destroy_r(G, plant_u);
    GEOSPreparedGeom_destroy_r(G, excl_prep);
    GEOSGeom_destroy_r(G, excl);
    note("farmland: %zu patches\n", w->farmland.count);
}

/* ------------------------------------------------------------------------ */
/* Enterprises                                                              */
/* ------------------------------------------------------------------------ */

typedef struct name_pool {
    int used[NELEM(TRADE_FIRST)][NELEM(TRADE_SECOND)];
} name_pool;

static void trade_name(rng *r, name_pool *pool, char *out, size_t size)
{
    for (;;) {
        int a = rng_int(r, 0, (int)NELEM(TRADE_FIRST) - 1);
        int b = rng_int(r, 0, (int)NELEM(TRADE_SECOND) - 1);
        if (!pool->used[a][b]) {
            pool->used[a][b] = 1;
            snprintf(out, size, "%s%s", TRADE_FIRST[a], TRADE_SECOND[b]);
            return;
        }
    }
}

static enterprise *add_enterprise(world *w, rng *r, name_pool *pool, const industry *ind, int block,
                                  double x, double y)
{
    enterprise *e;
    char tn[32];
    if (w->nent >= MAX_ENTERPRISES) {
        fatal("too many enterprises");
    }
    e = &w->ent[w->nent++];
    memset(e, 0, sizeof(*e));
    trade_name(r, pool, tn, sizeof(tn));
    snprintf(e->name, sizeof(e->name), "晋城%s%s有限公司", tn, ind->word);
    e->hydm = ind->code;
    e->tze_wan = round_to(rng_log_range(r, 3000.0, 250000.0), 0.01);
    e->cz_wan = round_to(e->tze_wan * rng_range(r, 0.4, 2.2), 0.01);
    e->ss_wan = round_to(e->cz_wan * rng_range(r, 0.02, 0.08), 0.01);
    e->ydmj_m2 = round_to(rng_range(r, 20.0, 45.0) * sqrt(e->tze_wan) * 10.0, 0.01);
    e->compliant = rng_uniform(r) < 0.92;
    e->block = block;
    e->x = round_to(x, 0.01);
    e->y = round_to(y, 0.01);
    return e;
}

/* A point at a given distance from the central urban area along a bearing. */
static void point_at_distance(const world *w, double bearing_deg, double dist_m, double *out_x,
                              double *out_y)
{
    double cx, cy, dx, dy;
    int step;
    centroid_xy(w->zxcq, &cx, &cy);
    dx = sin(bearing_deg * PI / 180.0);
    dy = cos(bearing_deg * PI / 180.0);
    for (step = 0; step < 12000; step++) {
        double t = 5.0 * (double)step; /* 5 m steps, up to 60 km */
        GEOSGeometry *pt =
            check_geom(GEOSGeom_createPointFromXY_r(G, cx + t * dx, cy + t * dy), "point");
        double d = distance_of(pt, w->zxcq);
        GEOSGeom_destroy_r(G, pt);
        if (d >= dist_m) {
            *out_x = cx + t * dx;
            *out_y = cy + t * dy;
            return;
        }
    }
    fatal("no point at %.0f m from the central urban area", dist_m);
}

static void gen_enterprises(world *w, const gen_params *prm)
{
    rng r = rng_stream(prm->seed, STREAM_ENTERPRISES);
    name_pool pool;
    GEOSGeometry *keep_out;
    const GEOSPreparedGeometry *keep_prep;
    int b, i;
    size_t k;

    memset(&pool, 0, sizeof(pool));
    /* enterprises stay off the planted conflicts */
    keep_out = check_geom(GEOSGeom_clone_r(G, w->redline_union), "clone");
    for (k = 0; k < w->landuse.count; k++) {
        if (w->landuse.items[k].planted) {
            GEOSGeometry *u = union2(keep_out, w->landuse.items[k].geom);
            GEOSGeom_destroy_r(G, keep_out);
            keep_out = u;
        }
    }
    for (k = 0; k < w->farmland.count; k++) {
        if (w->farmland.items[k].planted) {
            GEOSGeometry *u = union2(keep_out, w->farmland.items[k].geom);
            GEOSGeom_destroy_r(G, keep_out);
            keep_out = u;
        }
    }
    {
        GEOSGeometry *ko = buffer_round(keep_out, 60.0);
        GEOSGeom_destroy_r(G, keep_out);
        keep_out = ko;
    }
    keep_prep = GEOSPrepare_r(G, keep_out);

    for (b = 0; b < NBLOCKS; b++) {
        GEOSGeometry *inner = buffer_mitre(w->block[b], -80.0);
        const GEOSPreparedGeometry *ip = GEOSPrepare_r(G, inner);
        int nlabels = 0;
        while (nlabels < 3 && PARK_INDUSTRIES[b][nlabels].items != NULL) {
            nlabels++;
        }
        if (nlabels == 0) {
            fatal("block %s has no leading industries", BLOCK_SPECS[b].name);
        }
        for (i = 0; i < PARK_ENTERPRISES[b]; i++) {
            const industry_set *set = &PARK_INDUSTRIES[b][i % nlabels];
            const industry *ind = &set->items[rng_int(&r, 0, (int)set->count - 1)];
            double x = 0.0, y = 0.0;
            int tries, ok = 0;
            for (tries = 0; tries < 1000 && !ok; tries++) {
                int m;
                random_point_in(&r, inner, ip, &x, &y);
                ok = !prep_contains_xy(keep_prep, x, y);
                for (m = 0; m < w->nent && ok; m++) {
                    ok = hypot(w->ent[m].x - x, w->ent[m].y - y) > 150.0;
                }
            }
            if (!ok) {
                fatal("cannot place enterprise %d in %s", i, BLOCK_SPECS[b].name);
            }
            add_enterprise(w, &r, &pool, ind, b, x, y);
        }
        /* planted I01: a cotton weaving mill in 主区 */
        if (b == BLOCK_MAIN) {
            static const industry textile = {"1713", "纺织"};
            double x = 0.0, y = 0.0;
            int ok = 0;
            while (!ok) {
                int m;
                random_point_in(&r, inner, ip, &x, &y);
                ok = !prep_contains_xy(keep_prep, x, y);
                for (m = 0; m < w->nent && ok; m++) {
                    ok = hypot(w->ent[m].x - x, w->ent[m].y - y) > 150.0;
                }
            }
            add_enterprise(w, &r, &pool, &textile, b, x, y)->planted =
                "I01: 1713 棉织造加工 in 主区 (光机电、装备制造、新能源)";
        }
        GEOSPreparedGeom_destroy_r(G, ip);
        GEOSGeom_destroy_r(G, inner);
    }

    /* outside every zone */
    {
        static const industry coking = {"2521", "焦化"};
        static const industry ironworks = {"3110", "炼铁"};
        static const industry others[3] = {
            {"1353", "肉制品"}, {"1513", "酒业"}, {"2231", "纸制品"}};
        static const double other_bearing[3] = {300.0, 250.0, 20.0};
        static const double other_dist[3] = {2500.0, 4000.0, 6500.0};
        double x, y;
        enterprise *e;
        point_at_distance(w, 112.0, 5500.0, &x, &y);
        e = add_enterprise(w, &r, &pool, &coking, -1, x, y);
        e->compliant = 1;
        e->planted = "I02: 2521 炼焦 outside every zone, ~5.5 km from ZXCQ";
        point_at_distance(w, 190.0, 13500.0, &x, &y);
        e = add_enterprise(w, &r, &pool, &ironworks, -1, x, y);
        e->compliant = 1;
        e->planted = "not I02: 3110 炼铁 outside every zone, ~13.5 km from ZXCQ";
        for (i = 0; i < 3; i++) {
            point_at_distance(w, other_bearing[i], other_dist[i], &x, &y);
            add_enterprise(w, &r, &pool, &others[i], -1, x, y);
        }
    }

    /* checks: every enterprise is where its SSYQ says */
    for (i = 0; i < w->nent; i++) {
        enterprise *e = &w->ent[i];
        GEOSGeometry *pt = check_geom(GEOSGeom_createPointFromXY_r(G, e->x, e->y), "point");
        int inside = -1;
        for (b = 0; b < NBLOCKS; b++) {
            if (intersects(w->block[b], pt)) {
                inside = b;
            }
        }
        if (e->planted != NULL) {
            note("  planted %s\n", e->planted);
        }
        if (inside != e->block) {
            fatal("enterprise %s is in block %d, expected %d", e->name, inside, e->block);
        }
        if (e->block < 0) {
            double dmin = 1e30;
            for (b = 0; b < NBLOCKS; b++) {
                double d = distance_of(pt, w->block[b]);
                dmin = d < dmin ? d : dmin;
            }
            if (dmin < 1000.0) {
                fatal("enterprise %s is only %.0f m from a zone", e->name, dmin);
            }
            note("  outside: %s %s %.1f m from ZXCQ, %.0f m from the nearest block\n", e->hydm,
                 e->name, distance_of(pt, w->zxcq), dmin);
        }
        GEOSGeom_destroy_r(G, pt);
    }
    GEOSPreparedGeom_destroy_r(G, keep_prep);
    GEOSGeom_destroy_r(G, keep_out);
    note("enterprises: %d\n", w->nent);
}

/* ------------------------------------------------------------------------ */
/* Writing                                                                  */
/* ------------------------------------------------------------------------ */

typedef struct field_def {
    const char *name;
    OGRFieldType type;
    int width, precision;
} field_def;

/* out = dir/name; a path that does not fit is an error, never truncated. */
static void path_join(char *out, size_t size, const char *dir, const char *name)
{
    int n = snprintf(out, size, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= size) {
        fatal("path too long: %s/%s", dir, name);
    }
}

static void remove_outputs(const char *dir, const char *const *names, size_t count)
{
    static const char *const shp_ext[] = {".shp", ".shx", ".dbf", ".prj",
                                          ".cpg", ".qix", ".sbn", ".sbx"};
    static const char *const gpkg_ext[] = {"", "-wal", "-shm", "-journal"};
    size_t i, e;
    for (i = 0; i < count; i++) {
        char path[4096];
        const char *dot = strrchr(names[i], '.');
        if (dot != NULL && strcmp(dot, ".shp") == 0) {
            int base = (int)(dot - names[i]);
            for (e = 0; e < NELEM(shp_ext); e++) {
                char name[256];
                snprintf(name, sizeof(name), "%.*s%s", base, names[i], shp_ext[e]);
                path_join(path, sizeof(path), dir, name);
                VSIUnlink(path);
            }
        } else {
            for (e = 0; e < NELEM(gpkg_ext); e++) {
                char name[256];
                snprintf(name, sizeof(name), "%s%s", names[i], gpkg_ext[e]);
                path_join(path, sizeof(path), dir, name);
                VSIUnlink(path);
            }
        }
    }
}

static GDALDatasetH create_dataset(const char *driver, const char *path)
{
    GDALDriverH drv = GDALGetDriverByName(driver);
    GDALDatasetH ds;
    if (drv == NULL) {
        fatal("GDAL driver %s not available", driver);
    }
    ds = GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL);
    if (ds == NULL) {
        fatal("cannot create %s", path);
    }
    return ds;
}

static OGRLayerH create_layer(GDALDatasetH ds, const char *name, int epsg, OGRwkbGeometryType type,
                              const field_def *fields, size_t nfields, char **options)
{
    OGRSpatialReferenceH srs = srs_from_epsg(epsg);
    OGRLayerH lyr = GDALDatasetCreateLayer(ds, name, srs, type, options);
    size_t i;
    if (lyr == NULL) {
        fatal("cannot create layer %s", name);
    }
    for (i = 0; i < nfields; i++) {
        OGRFieldDefnH fd = OGR_Fld_Create(fields[i].name, fields[i].type);
        if (fields[i].width > 0) {
            OGR_Fld_SetWidth(fd, fields[i].width);
        }
        if (fields[i].precision > 0) {
            OGR_Fld_SetPrecision(fd, fields[i].precision);
        }
        if (OGR_L_CreateField(lyr, fd, TRUE) != OGRERR_NONE) {
            fatal("cannot create field %s.%s", name, fields[i].name);
        }
        OGR_Fld_Destroy(fd);
    }
    OSRDestroySpatialReference(srs);
    return lyr;
}

static void put_feature(OGRLayerH lyr, OGRFeatureH f, const GEOSGeometry *g, int as_multi)
{
    OGRGeometryH og = ogr_from_geos(g);
    if (as_multi) {
        og = OGR_G_ForceToMultiPolygon(og);
    }
    OGR_F_SetGeometryDirectly(f, og);
    if (OGR_L_CreateFeature(lyr, f) != OGRERR_NONE) {
        fatal("cannot write a feature");
    }
    OGR_F_Destroy(f);
}

static OGRFeatureH new_feature(OGRLayerH lyr)
{
    return OGR_F_Create(OGR_L_GetLayerDefn(lyr));
}

/* GDALClose reports failures through the error handler (GDAL 3.6 returns
 * void), which makes the run fail at the end. */
static void close_dataset(GDALDatasetH ds, const char *path)
{
    int before = g_gdal_problems;
    GDALClose(ds);
    if (g_gdal_problems != before) {
        fatal("error closing %s", path);
    }
}

/* One zone record for the zone shapefiles. */
typedef struct zone_record {
    const char *kfqdm, *kfqmc, *qkmc, *zdcy, *jb;
    double hzmj_ha, qkmj_ha;
    const GEOSGeometry *geom;
} zone_record;

static const field_def ZONE_FIELDS[] = {
    {"KFQDM", OFTString, 7, 0}, {"KFQMC", OFTString, 60, 0}, {"QKMC", OFTString, 40, 0},
    {"HZMJ", OFTReal, 16, 4},   {"QKMJ", OFTReal, 16, 4},    {"ZDCY", OFTString, 100, 0},
    {"JB", OFTString, 10, 0},
};

/* A zone shapefile in GBK with a .cpg; strings are passed in UTF-8 and GDAL
 * recodes them. epsg is what the .prj says (the defect set lies there). */
static void write_zone_shp(const char *dir, const char *base, int epsg, const zone_record *z,
                           size_t n)
{
    char path[4096];
    GDALDatasetH ds;
    OGRLayerH lyr;
    char **opts = NULL;
    size_t i;
    {
        char name[256];
        snprintf(name, sizeof(name), "%s.shp", base);
        path_join(path, sizeof(path), dir, name);
    }
    ds = create_dataset("ESRI Shapefile", path);
    opts = CSLSetNameValue(opts, "ENCODING", "CP936");
    opts = CSLSetNameValue(opts, "DBF_DATE_LAST_UPDATE", FIXED_DATE);
    lyr = create_layer(ds, base, epsg, wkbPolygon, ZONE_FIELDS, NELEM(ZONE_FIELDS), opts);
    CSLDestroy(opts);
    for (i = 0; i < n; i++) {
        OGRFeatureH f = new_feature(lyr);
        OGR_F_SetFieldString(f, 0, z[i].kfqdm);
        OGR_F_SetFieldString(f, 1, z[i].kfqmc);
        OGR_F_SetFieldString(f, 2, z[i].qkmc);
        OGR_F_SetFieldDouble(f, 3, z[i].hzmj_ha);
        OGR_F_SetFieldDouble(f, 4, z[i].qkmj_ha);
        OGR_F_SetFieldString(f, 5, z[i].zdcy);
        OGR_F_SetFieldString(f, 6, z[i].jb);
        put_feature(lyr, f, z[i].geom, 0);
    }
    close_dataset(ds, path);
}

static void clean_zone_records(const world *w, zone_record *z)
{
    int b;
    for (b = 0; b < NBLOCKS; b++) {
        z[b].kfqdm = ZONE_CODE;
        z[b].kfqmc = ZONE_NAME;
        z[b].qkmc = BLOCK_SPECS[b].name;
        z[b].zdcy = BLOCK_SPECS[b].industries;
        z[b].jb = ZONE_LEVEL;
        z[b].hzmj_ha = w->zone_hzmj_ha;
        z[b].qkmj_ha = w->block_qkmj_ha[b];
        z[b].geom = w->block[b];
    }
}

static GEOSGeometry *to_geographic(const GEOSGeometry *g)
{
    return check_geom(GEOSGeom_transformXY_r(G, g, transform_cb, g_gk_to_ll), "transform");
}

static void write_sxsx(const world *w, const char *dir)
{
    static const field_def farm_fields[] = {{"YJJBNTTBBH", OFTString, 20, 0},
                                            {"DLBM", OFTString, 4, 0},
                                            {"DLMC", OFTString, 20, 0},
                                            {"YJJBNTMJ", OFTReal, 0, 0}};
    static const field_def red_fields[] = {{"HXBM", OFTString, 20, 0},
                                           {"HXMC", OFTString, 60, 0},
                                           {"HXLX", OFTString, 20, 0},
                                           {"MJ", OFTReal, 0, 0}};
    static const field_def cz_fields[] = {
        {"GHFQDM", OFTString, 4, 0}, {"GHFQMC", OFTString, 20, 0}, {"MJ", OFTReal, 0, 0}};
    char path[4096];
    GDALDatasetH ds;
    OGRLayerH lyr;
    char **opts = CSLSetNameValue(NULL, "FID", "fid");
    size_t i;
    path_join(path, sizeof(path), dir, "SXSX.gpkg");
    ds = create_dataset("GPKG", path);

    lyr = create_layer(ds, "YJJBNTBHTB", EPSG_GEOGRAPHIC, wkbPolygon, farm_fields,
                       NELEM(farm_fields), opts);
    GDALDatasetStartTransaction(ds, FALSE);
    for (i = 0; i < w->farmland.count; i++) {
        const farm_patch *fp = &w->farmland.items[i];
        OGRFeatureH f = new_feature(lyr);
        GEOSGeometry *ll = to_geographic(fp->geom);
        OGR_F_SetFieldString(f, 0, fp->id);
        OGR_F_SetFieldString(f, 1, LU_CLASSES[fp->lu].code);
        OGR_F_SetFieldString(f, 2, LU_CLASSES[fp->lu].name);
        OGR_F_SetFieldDouble(f, 3, round_to(fp->area_m2, 0.01));
        put_feature(lyr, f, ll, 0);
        GEOSGeom_destroy_r(G, ll);
    }
    GDALDatasetCommitTransaction(ds);

    lyr = create_layer(ds, "STBHHX", EPSG_GEOGRAPHIC, wkbMultiPolygon, red_fields,
                       NELEM(red_fields), opts);
    for (i = 0; i < (size_t)w->nredlines; i++) {
        const redline_zone *z = &w->redline[i];
        OGRFeatureH f = new_feature(lyr);
        GEOSGeometry *ll = to_geographic(z->geom);
        OGR_F_SetFieldString(f, 0, z->code);
        OGR_F_SetFieldString(f, 1, z->name);
        OGR_F_SetFieldString(f, 2, z->type);
        OGR_F_SetFieldDouble(f, 3, round_to(z->area_m2, 0.01));
        put_feature(lyr, f, ll, 1);
        GEOSGeom_destroy_r(G, ll);
    }

    lyr = create_layer(ds, "CZKFBJ", EPSG_GEOGRAPHIC, wkbMultiPolygon, cz_fields, NELEM(cz_fields),
                       opts);
    for (i = 0; i < w->czkfbj.count; i++) {
        OGRFeatureH f = new_feature(lyr);
        GEOSGeometry *ll = to_geographic(w->czkfbj.items[i]);
        OGR_F_SetFieldString(f, 0, "0401");
        OGR_F_SetFieldString(f, 1, "城镇集中建设区");
        OGR_F_SetFieldDouble(f, 2, round_to(area_of(w->czkfbj.items[i]), 0.01));
        put_feature(lyr, f, ll, 1);
        GEOSGeom_destroy_r(G, ll);
    }
    CSLDestroy(opts);
    close_dataset(ds, path);
}

static void write_ghydyh(const world *w, const char *dir)
{
    static const field_def fields[] = {
        {"YDYHFLDM", OFTString, 6, 0}, {"YDYHFLMC", OFTString, 30, 0}, {"TBMJ", OFTReal, 0, 0}};
    char path[4096];
    GDALDatasetH ds;
    OGRLayerH lyr;
    char **opts = CSLSetNameValue(NULL, "FID", "fid");
    size_t i;
    path_join(path, sizeof(path), dir, "GHYDYH.gpkg");
    ds = create_dataset("GPKG", path);
    lyr = create_layer(ds, "YDYH", EPSG_GK38_PREFIX, wkbPolygon, fields, NELEM(fields), opts);
    CSLDestroy(opts);
    GDALDatasetStartTransaction(ds, FALSE);
    for (i = 0; i < w->landuse.count; i++) {
        const patch *p = &w->landuse.items[i];
        OGRFeatureH f = new_feature(lyr);
        OGR_F_SetFieldString(f, 0, LU_CLASSES[p->lu].code);
        OGR_F_SetFieldString(f, 1, LU_CLASSES[p->lu].name);
        OGR_F_SetFieldDouble(f, 2, round_to(p->area_m2, 0.01));
        put_feature(lyr, f, p->geom, 0);
    }
    GDALDatasetCommitTransaction(ds);
    close_dataset(ds, path);
}

static void write_zxcq(const world *w, const char *dir)
{
    static const field_def fields[] = {{"MC", OFTString, 40, 0}};
    char path[4096];
    GDALDatasetH ds;
    OGRLayerH lyr;
    OGRFeatureH f;
    char **opts = CSLSetNameValue(NULL, "FID", "fid");
    path_join(path, sizeof(path), dir, "ZXCQ.gpkg");
    ds = create_dataset("GPKG", path);
    lyr = create_layer(ds, "ZXCQ", EPSG_GK38_PREFIX, wkbPolygon, fields, NELEM(fields), opts);
    CSLDestroy(opts);
    f = new_feature(lyr);
    OGR_F_SetFieldString(f, 0, "晋城市中心城区");
    put_feature(lyr, f, w->zxcq, 0);
    close_dataset(ds, path);
}

/* GBK bytes of a UTF-8 string, for the shapefile without a .cpg. */
static void set_gbk(OGRFeatureH f, int field, const char *utf8)
{
    char *gbk = CPLRecode(utf8, CPL_ENC_UTF8, "CP936");
    OGR_F_SetFieldString(f, field, gbk);
    CPLFree(gbk);
}

/* Enterprises: points in EPSG:4547 (no zone prefix), GBK strings, no .cpg
 * and no language driver id: the reader has to be told the encoding. */
static void write_qy(const world *w, const char *dir)
{
    static const field_def fields[] = {
        {"QYMC", OFTString, 80, 0}, {"HYDM", OFTString, 4, 0},  {"TZE", OFTReal, 16, 2},
        {"CZ", OFTReal, 16, 2},     {"SS", OFTReal, 16, 2},     {"YDMJ", OFTReal, 16, 2},
        {"HPDB", OFTString, 2, 0},  {"SSYQ", OFTString, 20, 0},
    };
    char path[4096];
    GDALDatasetH ds;
    OGRLayerH lyr;
    char **opts = NULL;
    int i;
    path_join(path, sizeof(path), dir, "QY.shp");
    ds = create_dataset("ESRI Shapefile", path);
    opts = CSLSetNameValue(opts, "ENCODING", "");
    opts = CSLSetNameValue(opts, "DBF_DATE_LAST_UPDATE", FIXED_DATE);
    lyr = create_layer(ds, "QY", EPSG_GK38_CM114, wkbPoint, fields, NELEM(fields), opts);
    CSLDestroy(opts);
    for (i = 0; i < w->nent; i++) {
        const enterprise *e = &w->ent[i];
        OGRFeatureH f = new_feature(lyr);
        OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
        set_gbk(f, 0, e->name);
        OGR_F_SetFieldString(f, 1, e->hydm);
        OGR_F_SetFieldDouble(f, 2, e->tze_wan);
        OGR_F_SetFieldDouble(f, 3, e->cz_wan);
        OGR_F_SetFieldDouble(f, 4, e->ss_wan);
        OGR_F_SetFieldDouble(f, 5, e->ydmj_m2);
        set_gbk(f, 6, e->compliant ? "是" : "否");
        set_gbk(f, 7, e->block >= 0 ? BLOCK_SPECS[e->block].name : "");
        OGR_G_SetPoint_2D(pt, 0, round_to(e->x - ZONE38_PREFIX_M, 0.01), e->y);
        OGR_F_SetGeometryDirectly(f, pt);
        if (OGR_L_CreateFeature(lyr, f) != OGRERR_NONE) {
            fatal("cannot write an enterprise");
        }
        OGR_F_Destroy(f);
    }
    close_dataset(ds, path);
    /* GDAL leaves an empty .cpg for ENCODING=""; the delivery has none */
    path_join(path, sizeof(path), dir, "QY.cpg");
    VSIUnlink(path);
}

/* ------------------------------------------------------------------------ */
/* The defect set                                                           */
/* ------------------------------------------------------------------------ */

/* (a) A bow-tie notch in the middle of the longest edge of a block: the
 * ring leaves the edge at A, crosses itself and rejoins it at B, enclosing
 * a small inverted triangle (120 m wide, 25 m deep). */
static GEOSGeometry *bow_tie(const GEOSGeometry *block)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(G, GEOSGetExteriorRing_r(G, block));
    unsigned int n = 0, i, best = 0;
    double best_len = -1.0, px, py, qx, qy, ux, uy, len, nx, ny;
    double *xy;
    size_t m = 0;
    GEOSGeometry *g;
    const double depth = 25.0;
    GEOSCoordSeq_getSize_r(G, cs, &n);
    for (i = 0; i + 1 < n; i++) {
        double x0, y0, x1, y1;
        GEOSCoordSeq_getXY_r(G, cs, i, &x0, &y0);
        GEOSCoordSeq_getXY_r(G, cs, i + 1, &x1, &y1);
        if (hypot(x1 - x0, y1 - y0) > best_len) {
            best_len = hypot(x1 - x0, y1 - y0);
            best = i;
        }
    }
    if (best_len < 200.0) {
        fatal("no edge long enough for the bow-tie notch");
    }
    GEOSCoordSeq_getXY_r(G, cs, best, &px, &py);
    GEOSCoordSeq_getXY_r(G, cs, best + 1, &qx, &qy);
    len = hypot(qx - px, qy - py);
    ux = (qx - px) / len;
    uy = (qy - py) / len;
    /* inward normal: towards the centroid */
    {
        double cx, cy;
        centroid_xy(block, &cx, &cy);
        nx = -uy;
        ny = ux;
        if ((cx - px) * nx + (cy - py) * ny < 0.0) {
            nx = -nx;
            ny = -ny;
        }
    }
    xy = xcalloc(2 * (size_t)(n + 4), sizeof(double));
    for (i = 0; i + 1 < n; i++) {
        double x, y;
        GEOSCoordSeq_getXY_r(G, cs, i, &x, &y);
        xy[2 * m] = x;
        xy[2 * m + 1] = y;
        m++;
        if (i == best) {
            /* P .. A -> X1 -> X2 -> B .. Q; A->X1 and X2->B cross */
            double ta = 0.5 * len - 60.0, tb = 0.5 * len + 60.0;
            double t1 = 0.5 * len + 40.0, t2 = 0.5 * len - 40.0;
            xy[2 * m] = round_to(px + ta * ux, 0.001);
            xy[2 * m + 1] = round_to(py + ta * uy, 0.001);
            m++;
            xy[2 * m] = round_to(px + t1 * ux + depth * nx, 0.001);
            xy[2 * m + 1] = round_to(py + t1 * uy + depth * ny, 0.001);
            m++;
            xy[2 * m] = round_to(px + t2 * ux + depth * nx, 0.001);
            xy[2 * m + 1] = round_to(py + t2 * uy + depth * ny, 0.001);
            m++;
            xy[2 * m] = round_to(px + tb * ux, 0.001);
            xy[2 * m + 1] = round_to(py + tb * uy, 0.001);
            m++;
        }
    }
    g = make_polygon(xy, m);
    free(xy);
    if (is_valid(g)) {
        fatal("the bow-tie defect came out valid");
    }
    return g;
}

/* (b) A tongue from one block across the road into its neighbour. */
static GEOSGeometry *tongue_into(const GEOSGeometry *from, const GEOSGeometry *into, double width_m,
                                 double depth_m)
{
    GEOSCoordSequence *np = GEOSNearestPoints_r(G, from, into);
    double px, py, qx, qy, ux, uy, vx, vy, len, xy[8];
    GEOSGeometry *rect, *u;
    if (np == NULL) {
        fatal("GEOSNearestPoints failed");
    }
    GEOSCoordSeq_getXY_r(G, np, 0, &px, &py);
    GEOSCoordSeq_getXY_r(G, np, 1, &qx, &qy);
    GEOSCoordSeq_destroy_r(G, np);
    len = hypot(qx - px, qy - py);
    ux = (qx - px) / len;
    uy = (qy - py) / len;
    vx = -uy;
    vy = ux;
    {
        double ax = px - 40.0 * ux, ay = py - 40.0 * uy;       /* back inside `from` */
        double bx = qx + depth_m * ux, by = qy + depth_m * uy; /* deep inside `into` */
        double h = 0.5 * width_m;
        xy[0] = round_to(ax + h * vx, 0.001);
        xy[1] = round_to(ay + h * vy, 0.001);
        xy[2] = round_to(bx + h * vx, 0.001);
        xy[3] = round_to(by + h * vy, 0.001);
        xy[4] = round_to(bx - h * vx, 0.001);
        xy[5] = round_to(by - h * vy, 0.001);
        xy[6] = round_to(ax - h * vx, 0.001);
        xy[7] = round_to(ay - h * vy, 0.001);
    }
    rect = make_polygon(xy, 4);
    u = snap_mm(union2(from, rect));
    GEOSGeom_destroy_r(G, rect);
    if (GEOSGeomTypeId_r(G, u) != GEOS_POLYGON || !is_valid(u)) {
        fatal("the extended block is not a valid polygon");
    }
    return u;
}

typedef struct bckc_spec {
    const char *name;
    double lon, lat, target_ha, aspect, rotation_deg;
} bckc_spec;

/* (e) A fictitious provincial zone south of the city (补充勘测). */
static const bckc_spec BCKC_SPECS[] = {
    {"南村园区", 112.8700, 35.3980, 183.6420, 1.4, 25.0},
    {"高都园区", 112.9180, 35.3800, 141.3580, 1.25, -15.0},
};
#define BCKC_CODE "S147031"
#define BCKC_NAME "山西泽州经济开发区"
#define BCKC_INDUSTRIES "装备制造、现代陶瓷"

static void write_defects(const world *w, const gen_params *prm, const char *dir)
{
    rng r = rng_stream(prm->seed, STREAM_DEFECTS);
    zone_record z[NBLOCKS];
    GEOSGeometry *bowtie = bow_tie(w->block[BLOCK_BEILIU]);
    GEOSGeometry *bsd = tongue_into(w->block[BLOCK_BEISHIDIAN], w->block[BLOCK_MAIN], 320.0, 130.0);
    GEOSGeometry *bckc[NELEM(BCKC_SPECS)];
    zone_record zb[NELEM(BCKC_SPECS)];
    double bckc_total = 0.0;
    size_t i;
    int b;

    clean_zone_records(w, z);
    z[BLOCK_BEILIU].geom = bowtie;  /* (a) self-intersection */
    z[BLOCK_BEISHIDIAN].geom = bsd; /* (b) overlaps 主区 */
    z[BLOCK_BEISHIDIAN].qkmj_ha = round_to(area_of(bsd) / M2_PER_HA, 0.0001);
    z[BLOCK_BAGONG].qkmj_ha = w->block_qkmj_ha[BLOCK_BAGONG] + 2.5; /* (c) declared +2.5 ha */
    z[BLOCK_JINJIANG].kfqdm = "";                                   /* (d) missing zone code */
    write_zone_shp(dir, "KFQ_SZFW", EPSG_GK38_PREFIX, z, NBLOCKS);
    {
        GEOSGeometry *ov = intersection(bsd, w->block[BLOCK_MAIN]);
        note("defects: 北石店 overlaps 主区 by %.2f m2; bow-tie block area %.2f m2 (clean "
             "%.2f)\n",
             area_of(ov), area_of(bowtie), w->block_area_m2[BLOCK_BEILIU]);
        GEOSGeom_destroy_r(G, ov);
    }

    /* (e) prefixed coordinates under a .prj for the no-prefix CRS */
    for (i = 0; i < NELEM(BCKC_SPECS); i++) {
        const bckc_spec *bs = &BCKC_SPECS[i];
        outline o;
        outline_style st;
        double cx, cy;
        st.aspect = bs->aspect;
        st.rotation_rad = bs->rotation_deg * PI / 180.0;
        st.squareness = 4.0;
        st.vertices = 26;
        st.notches = 1;
        st.wobble = 0.05;
        st.jitter = 0.03;
        make_outline(&r, &st, &o);
        ll_to_gk(bs->lon, bs->lat, &cx, &cy);
        bckc[i] = fit_outline(&o, cx, cy, bs->target_ha * M2_PER_HA, NULL);
        for (b = 0; b < NBLOCKS; b++) {
            if (distance_of(bckc[i], w->block[b]) < 1000.0) {
                fatal("补充勘测 block %s is too close to %s", bs->name, BLOCK_SPECS[b].name);
            }
        }
        zb[i].kfqdm = BCKC_CODE;
        zb[i].kfqmc = BCKC_NAME;
        zb[i].qkmc = bs->name;
        zb[i].zdcy = BCKC_INDUSTRIES;
        zb[i].jb = "省级";
        zb[i].qkmj_ha = round_to(area_of(bckc[i]) / M2_PER_HA, 0.0001);
        zb[i].geom = bckc[i];
        bckc_total += zb[i].qkmj_ha;
        note("  补充勘测 %s: %.4f ha in %s\n", bs->name, zb[i].qkmj_ha, district_at(w, cx, cy));
    }
    for (i = 0; i < NELEM(BCKC_SPECS); i++) {
        zb[i].hzmj_ha = round_to(bckc_total, 0.0001);
    }
    write_zone_shp(dir, "KFQ_BCKC", EPSG_GK38_CM114, zb, NELEM(BCKC_SPECS));

    for (i = 0; i < NELEM(BCKC_SPECS); i++) {
        GEOSGeom_destroy_r(G, bckc[i]);
    }
    GEOSGeom_destroy_r(G, bowtie);
    GEOSGeom_destroy_r(G, bsd);
}

/* ------------------------------------------------------------------------ */
/* Cross-check of the planted conflicts with GEOS (the README's numbers are  */
/* computed independently by tools/samplegen/expected.sh).                   */
/* ------------------------------------------------------------------------ */

static void report_conflicts(const world *w)
{
    int b;
    size_t k;
    note("planted conflicts (GEOS, EPSG:4526 planar, m2):\n");
    note("  %-24s %12s %12s %12s %12s %12s %12s\n", "block", "farm(diss)", "farm(sum)", "redline",
         "outsideCZ", "0301", "1701");
    for (b = 0; b < NBLOCKS; b++) {
        const GEOSGeometry *blk = w->block[b];
        GEOSGeometry *fu = NULL, *t;
        double sum = 0.0, diss = 0.0, red, out, forest = 0.0, water = 0.0;
        for (k = 0; k < w->farmland.count; k++) {
            const GEOSGeometry *g = w->farmland.items[k].geom;
            if (intersects(g, blk)) {
                GEOSGeometry *i1 = intersection(g, blk);
                sum += area_of(i1);
                GEOSGeom_destroy_r(G, i1);
                if (fu == NULL) {
                    fu = check_geom(GEOSGeom_clone_r(G, g), "clone");
                } else {
                    GEOSGeometry *u = union2(fu, g);
                    GEOSGeom_destroy_r(G, fu);
                    fu = u;
                }
            }
        }
        if (fu != NULL) {
            t = intersection(fu, blk);
            diss = area_of(t);
            GEOSGeom_destroy_r(G, t);
            GEOSGeom_destroy_r(G, fu);
        }
        t = intersection(w->redline_union, blk);
        red = area_of(t);
        GEOSGeom_destroy_r(G, t);
        t = difference(blk, w->czkfbj_union);
        out = area_of(t);
        GEOSGeom_destroy_r(G, t);
        for (k = 0; k < w->landuse.count; k++) {
            const patch *p = &w->landuse.items[k];
            if (p->block == b && p->lu == LU_0301) {
                forest += p->area_m2;
            }
            if (p->block == b && p->lu == LU_1701) {
                water += p->area_m2;
            }
        }
        note("  %-24s %12.2f %12.2f %12.2f %12.2f %12.2f %12.2f\n", BLOCK_SPECS[b].name, diss, sum,
             red, out, forest, water);
    }
}

/* ------------------------------------------------------------------------ */
/* Driver                                                                   */
/* ------------------------------------------------------------------------ */

/* Creates a folder if missing (an existing one is fine; a folder that could
 * not be made shows up as a failure to create the first file in it). */
static void make_dir(const char *path)
{
    (void)VSIMkdir(path, 0755);
}

static void world_release(world *w)
{
    size_t k;
    int i;
    for (i = 0; i < w->ndistricts; i++) {
        GEOSGeom_destroy_r(G, w->district[i]);
    }
    for (i = 0; i < NBLOCKS; i++) {
        GEOSGeom_destroy_r(G, w->block[i]);
    }
    GEOSGeom_destroy_r(G, w->zxcq);
    for (i = 0; i < w->nredlines; i++) {
        GEOSGeom_destroy_r(G, w->redline[i].geom);
    }
    GEOSGeom_destroy_r(G, w->redline_union);
    glist_release(&w->czkfbj);
    GEOSGeom_destroy_r(G, w->czkfbj_union);
    for (k = 0; k < w->landuse.count; k++) {
        GEOSGeom_destroy_r(G, w->landuse.items[k].geom);
    }
    free(w->landuse.items);
    for (k = 0; k < w->farmland.count; k++) {
        GEOSGeom_destroy_r(G, w->farmland.items[k].geom);
    }
    free(w->farmland.items);
}

/* ------------------------------------------------------------------------ */
/* Bench mode: a city-scale data set for bench/run                          */
/* ------------------------------------------------------------------------ */

/*
 * `samplegen --bench OUTDIR` writes one folder with the file and layer names
 * of samples/jincheng, at city scale, for timing hegui against PostGIS and
 * SpatiaLite (bench/README.md):
 *
 *   KFQ_SZFW  200 blocks of 20 zones (10 blocks share a KFQDM), EPSG:4526
 *   SXSX      YJJBNTBHTB ~3e5 farmland fields, STBHHX 2000 river corridors of
 *             5 000-80 000 vertices, CZKFBJ: all in EPSG:4490, as delivered
 *   GHYDYH    YDYH: a Voronoi mosaic of N land-use patches, EPSG:4526
 *   ZXCQ      the central urban area, EPSG:4526
 *   QY        5 enterprises per block, EPSG:4526
 *
 * GeoPackages by default; --format shp writes one Shapefile per layer
 * (KFQ_SZFW, YJJBNTBHTB, STBHHX, CZKFBJ, YDYH, ZXCQ, QY) with a .qix index.
 * Nothing is planted: the bench compares tools, it does not test findings.
 * Everything is built in a fixed 80 km x 64 km rectangle around Jincheng
 * (no district file), and the large layers are generated and written as a
 * stream (Voronoi diagrams in tiles, corridors one at a time), so memory
 * stays flat whatever the counts.
 */

#define BENCH_WIDTH_M 80000.0
#define BENCH_HEIGHT_M 64000.0
#define BENCH_CENTRE_LON 112.85
#define BENCH_CENTRE_LAT 35.52
#define BENCH_TILE_SEEDS 50000 /* Voronoi seeds per tile (owned, margin excluded) */
#define BENCH_MAX_BLOCKS 2000

enum {
    STREAM_BENCH_ZONES = 101,
    STREAM_BENCH_REDLINE,
    STREAM_BENCH_FARM_SEEDS,
    STREAM_BENCH_FARM,
    STREAM_BENCH_LANDUSE_SEEDS,
    STREAM_BENCH_LANDUSE_CLASSES,
    STREAM_BENCH_ENTERPRISES
};

typedef struct bench_params {
    uint64_t seed;
    int landuse_patches;      /* Voronoi cells of the land-use mosaic (= patches) */
    int farmland_patches;     /* target count of 永久基本农田 patches */
    int redline_polygons;     /* river corridors */
    int redline_min_vertices; /* ring vertices, drawn log-uniformly in [min, max] */
    int redline_max_vertices;
    int blocks; /* zone blocks, spread over `zones` zone codes */
    int zones;
    int shapefile; /* 1: Shapefiles, 0: GeoPackages */
} bench_params;

/* Leading-industry labels of the bench zones, with their GB/T 4754 sets. */
typedef struct bench_label {
    const char *label;
    industry_set set;
} bench_label;

static const bench_label BENCH_LABELS[] = {
    {"光机电", ISET(IND_GUANGJIDIAN)}, {"装备制造", ISET(IND_ZHUANGBEI)},
    {"新能源", ISET(IND_XINNENGYUAN)}, {"新材料", ISET(IND_XINCAILIAO)},
    {"煤化工", ISET(IND_MEIHUAGONG)},  {"医药", ISET(IND_YIYAO)},
};

/* Inside a block: mostly construction, with the odd field, wood or pond
 * left inside the surveyed outline (C04 material in every zone). */
static const lu_weight MIX_BENCH_PARK[] = {
    {LU_1001, 55}, {LU_1101, 8}, {LU_1207, 8}, {LU_1402, 6}, {LU_1303, 3},
    {LU_0701, 3},  {LU_0901, 3}, {LU_1208, 2}, {LU_1201, 1}, {LU_0103, 4},
    {LU_0301, 3},  {LU_0403, 2}, {LU_1701, 1}, {LU_1704, 1},
};

typedef struct bench_zone {
    char code[16]; /* KFQDM: 7 characters; room for any int */
    char name[64]; /* KFQMC */
    char industries[64];
    int label[3];
    int nlabels;
    const char *level; /* JB */
    double cx, cy;
    double hzmj_ha;
} bench_zone;

typedef struct bench_world {
    double xmin, ymin, xmax, ymax; /* the rectangle, EPSG:4526 */
    GEOSGeometry *zxcq;
    bench_zone zone[64];
    int nzones;
    GEOSGeometry *block[BENCH_MAX_BLOCKS];
    int block_zone[BENCH_MAX_BLOCKS];
    double block_qkmj_ha[BENCH_MAX_BLOCKS];
    char block_name[BENCH_MAX_BLOCKS][32];
    int nblocks;
    GEOSGeometry *czkfbj_union;
    geom_list czkfbj;
} bench_world;

/* Where the layers go: one GeoPackage per dataset, or one Shapefile per
 * layer. */
typedef struct bench_out {
    const char *dir;
    int shapefile;
    GDALDatasetH gpkg; /* the open GeoPackage of the current group */
    char gpkg_path[4096];
    GDALDatasetH shp; /* the open Shapefile of the current layer */
    char shp_path[4096];
    OGRLayerH lyr;
} bench_out;

static void bench_open_group(bench_out *o, const char *gpkg_file)
{
    if (o->shapefile) {
        return;
    }
    path_join(o->gpkg_path, sizeof(o->gpkg_path), o->dir, gpkg_file);
    o->gpkg = create_dataset("GPKG", o->gpkg_path);
}

static void bench_close_group(bench_out *o)
{
    if (o->gpkg != NULL) {
        close_dataset(o->gpkg, o->gpkg_path);
        o->gpkg = NULL;
    }
}

/* A Shapefile layer dir/name.shp in its own dataset (GBK with a .cpg,
 * fixed DBF date, optionally a .qix spatial index). */
static OGRLayerH shp_layer(const char *dir, const char *name, int epsg, OGRwkbGeometryType type,
                           const field_def *fields, size_t nfields, int qix, GDALDatasetH *out_ds,
                           char *path, size_t path_size)
{
    char file[256];
    char **opts = NULL;
    OGRLayerH lyr;
    snprintf(file, sizeof(file), "%s.shp", name);
    path_join(path, path_size, dir, file);
    *out_ds = create_dataset("ESRI Shapefile", path);
    opts = CSLSetNameValue(opts, "ENCODING", "CP936");
    opts = CSLSetNameValue(opts, "DBF_DATE_LAST_UPDATE", FIXED_DATE);
    if (qix) {
        opts = CSLSetNameValue(opts, "SPATIAL_INDEX", "YES");
    }
    lyr = create_layer(*out_ds, name, epsg, type, fields, nfields, opts);
    CSLDestroy(opts);
    return lyr;
}

static OGRLayerH bench_begin_layer(bench_out *o, const char *name, int epsg,
                                   OGRwkbGeometryType type, const field_def *fields, size_t nfields)
{
    if (o->shapefile) {
        o->lyr = shp_layer(o->dir, name, epsg, type, fields, nfields, 1, &o->shp, o->shp_path,
                           sizeof(o->shp_path));
    } else {
        char **opts = CSLSetNameValue(NULL, "FID", "fid");
        o->lyr = create_layer(o->gpkg, name, epsg, type, fields, nfields, opts);
        CSLDestroy(opts);
        GDALDatasetStartTransaction(o->gpkg, FALSE);
    }
    return o->lyr;
}

static void bench_end_layer(bench_out *o)
{
    if (o->shapefile) {
        close_dataset(o->shp, o->shp_path);
        o->shp = NULL;
    } else {
        GDALDatasetCommitTransaction(o->gpkg);
    }
    o->lyr = NULL;
}

/* Writes a GEOS polygon (EPSG:4526) as a feature, transformed to EPSG:4490
 * when geographic. */
static void bench_put(OGRLayerH lyr, OGRFeatureH f, const GEOSGeometry *g, int geographic,
                      int as_multi)
{
    if (geographic) {
        GEOSGeometry *ll = to_geographic(g);
        put_feature(lyr, f, ll, as_multi);
        GEOSGeom_destroy_r(G, ll);
    } else {
        put_feature(lyr, f, g, as_multi);
    }
}

/* ---- zones and blocks --------------------------------------------------- */

static void bench_zxcq(bench_world *bw, rng *r)
{
    outline o;
    outline_style st;
    double cx = 0.5 * (bw->xmin + bw->xmax), cy = 0.5 * (bw->ymin + bw->ymax);
    st.aspect = 1.3;
    st.rotation_rad = 20.0 * PI / 180.0;
    st.squareness = 2.2;
    st.vertices = 120;
    st.notches = 0;
    st.wobble = 0.15;
    st.jitter = 0.04;
    make_outline(r, &st, &o);
    bw->zxcq = fit_outline(&o, cx, cy, 160.0e6, NULL);
    if (!is_valid(bw->zxcq)) {
        fatal("bench: the central urban area is invalid");
    }
}

static double min_distance_to_blocks(const bench_world *bw, const GEOSGeometry *g)
{
    double dmin = 1e30;
    int i;
    for (i = 0; i < bw->nblocks; i++) {
        double d = distance_of(g, bw->block[i]);
        dmin = d < dmin ? d : dmin;
    }
    return dmin;
}

/* bp->zones zone centres at least 9 km apart; each zone's blocks within
 * 7 km of its centre, 100 m or more from every other block. */
static void bench_blocks(bench_world *bw, const bench_params *bp, rng *r)
{
    const double inner = 9000.0;
    int z, j, b;
    bw->nzones = bp->zones;
    for (z = 0; z < bw->nzones; z++) {
        bench_zone *zn = &bw->zone[z];
        int tries, k;
        for (tries = 0;; tries++) {
            int ok = 1;
            zn->cx = rng_range(r, bw->xmin + inner, bw->xmax - inner);
            zn->cy = rng_range(r, bw->ymin + inner, bw->ymax - inner);
            for (k = 0; k < z && ok; k++) {
                ok = hypot(bw->zone[k].cx - zn->cx, bw->zone[k].cy - zn->cy) > 9000.0;
            }
            if (ok) {
                break;
            }
            if (tries > 100000) {
                fatal("bench: cannot place %d zones 9 km apart", bw->nzones);
            }
        }
        /* G (national) for every fifth zone, S (provincial) otherwise */
        snprintf(zn->code, sizeof(zn->code), "%c14%d%03d", z % 5 == 0 ? 'G' : 'S', 1 + z % 3,
                 100 + z);
        snprintf(zn->name, sizeof(zn->name), "晋城基准%s开发区%02d",
                 z % 5 == 0 ? "经济技术" : "经济", z + 1);
        zn->level = z % 5 == 0 ? "国家级" : "省级";
        zn->nlabels = 2 + z % 2;
        zn->industries[0] = '\0';
        for (k = 0; k < zn->nlabels; k++) {
            size_t len = strlen(zn->industries);
            zn->label[k] = (z + 2 * k) % (int)NELEM(BENCH_LABELS);
            snprintf(zn->industries + len, sizeof(zn->industries) - len, "%s%s", k ? "、" : "",
                     BENCH_LABELS[zn->label[k]].label);
        }
    }
    for (b = 0; b < bp->blocks; b++) {
        int zi = (int)((long)b * bw->nzones / bp->blocks);
        bench_zone *zn = &bw->zone[zi];
        int first = b == 0 || (int)((long)(b - 1) * bw->nzones / bp->blocks) != zi;
        GEOSGeometry *g = NULL;
        int tries;
        for (tries = 0; tries < 2000; tries++) {
            outline o;
            outline_style st;
            double cx = zn->cx, cy = zn->cy, x0, y0, x1, y1;
            double target_ha = rng_log_range(r, 30.0, 500.0);
            if (!first || tries > 0) {
                double a = rng_range(r, 0.0, 2.0 * PI), d = rng_range(r, 1500.0, 7000.0);
                cx += d * cos(a);
                cy += d * sin(a);
            }
            st.aspect = rng_range(r, 1.1, 1.9);
            st.rotation_rad = rng_range(r, 0.0, PI);
            st.squareness = rng_range(r, 2.5, 5.0);
            st.vertices = rng_int(r, 20, 60);
            st.notches = rng_int(r, 0, 2);
            st.wobble = 0.05;
            st.jitter = 0.03;
            make_outline(r, &st, &o);
            g = fit_outline(&o, cx, cy, target_ha * M2_PER_HA, NULL);
            bounds_of(g, &x0, &y0, &x1, &y1);
            if (x0 > bw->xmin + 3000.0 && y0 > bw->ymin + 3000.0 && x1 < bw->xmax - 3000.0 &&
                y1 < bw->ymax - 3000.0 && is_valid(g) && min_distance_to_blocks(bw, g) >= 100.0) {
                break;
            }
            GEOSGeom_destroy_r(G, g);
            g = NULL;
        }
        if (g == NULL) {
            fatal("bench: cannot place block %d of zone %s", b, zn->code);
        }
        bw->block[b] = g;
        bw->block_zone[b] = zi;
        bw->block_qkmj_ha[b] = round_to(area_of(g) / M2_PER_HA, 0.0001);
        zn->hzmj_ha += bw->block_qkmj_ha[b];
        snprintf(bw->block_name[b], sizeof(bw->block_name[b]), "区块%03d", b + 1);
        bw->nblocks = b + 1;
    }
    for (j = 0; j < bw->nzones; j++) {
        bw->zone[j].hzmj_ha = round_to(bw->zone[j].hzmj_ha, 0.0001);
    }
}

/* 城镇开发边界: the central urban area + 800 m and the blocks + 150 m, but
 * one block in 20 is left out entirely and one in 8 loses its northern third
 * (C03 material). */
static void bench_czkfbj(bench_world *bw, rng *r)
{
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
    GEOSGeometry **parts = xcalloc((size_t)bw->nblocks + 1, sizeof(*parts));
    unsigned int n = 0;
    GEOSGeometry *coll, *u;
    int b;
    parts[n++] = buffer_round(bw->zxcq, 800.0);
    for (b = 0; b < bw->nblocks; b++) {
        double u01 = rng_uniform(r);
        GEOSGeometry *bb;
        if (u01 < 0.05) {
            continue;
        }
        bb = buffer_round(bw->block[b], 150.0);
        if (u01 < 0.175) {
            double x0, y0, x1, y1, cut_y;
            GEOSGeometry *half, *d;
            bounds_of(bw->block[b], &x0, &y0, &x1, &y1);
            cut_y = round_to(y0 + rng_range(r, 0.55, 0.8) * (y1 - y0), 0.001);
            half = make_rect(x0 - 1000.0, cut_y, x1 + 1000.0, y1 + 1000.0);
            d = difference(bb, half);
            GEOSGeom_destroy_r(G, bb);
            GEOSGeom_destroy_r(G, half);
            bb = d;
        }
        parts[n++] = bb;
    }
    coll = check_geom(GEOSGeom_createCollection_r(G, GEOS_GEOMETRYCOLLECTION, parts, n), "coll");
    free(parts);
    u = check_geom(GEOSUnaryUnion_r(G, coll), "union");
    GEOSGeom_destroy_r(G, coll);
    bw->czkfbj_union = snap_mm(u);
    collect_polygons(bw->czkfbj_union, 1.0, &bw->czkfbj);
}

/* ---- tiled Voronoi diagram ---------------------------------------------- */

typedef void (*cell_fn)(GEOSGeometry *cell, size_t seed, void *payload);

typedef struct owned_cell {
    GEOSGeometry *cell; /* owned */
    size_t seed;        /* index into the seed array */
} owned_cell;

static int cmp_owned(const void *a, const void *b)
{
    const owned_cell *x = a, *y = b;
    return (x->seed > y->seed) - (x->seed < y->seed);
}

/* Crossing-number test of (x, y) against the shell of a polygon. */
static int in_shell(const GEOSGeometry *poly, double x, double y, double **buf, size_t *cap)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(G, GEOSGetExteriorRing_r(G, poly));
    unsigned int n = 0, i, j;
    int inside = 0;
    double *p;
    GEOSCoordSeq_getSize_r(G, cs, &n);
    if ((size_t)n * 2 > *cap) {
        *cap = (size_t)n * 2;
        *buf = xrealloc(*buf, *cap * sizeof(double));
    }
    p = *buf;
    GEOSCoordSeq_copyToBuffer_r(G, cs, p, 0, 0);
    for (i = 0, j = n - 1; i < n; j = i++) {
        double xi = p[2 * i], yi = p[2 * i + 1], xj = p[2 * j], yj = p[2 * j + 1];
        if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) {
            inside = !inside;
        }
    }
    return inside;
}

static double max_vertex_distance(const GEOSGeometry *poly, double x, double y)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(G, GEOSGetExteriorRing_r(G, poly));
    unsigned int n = 0, i;
    double dmax = 0.0;
    GEOSCoordSeq_getSize_r(G, cs, &n);
    for (i = 0; i < n; i++) {
        double vx, vy;
        GEOSCoordSeq_getXY_r(G, cs, i, &vx, &vy);
        dmax = fmax(dmax, hypot(vx - x, vy - y));
    }
    return dmax;
}

/*
 * The Voronoi diagram of n seeds (xy interleaved) clipped to the rectangle,
 * computed tile by tile: each tile's diagram uses the seeds of the tile plus
 * a margin, and keeps the cells of its own seeds, clipped to the rectangle.
 * A kept cell is exact when every seed left out is farther from its seed
 * than twice the clipped cell's radius (its farthest vertex): the bisector
 * of such a seed cannot reach the cell. A tile where some cell cannot be
 * proved exact is redone with twice the margin. fn receives every cell once (ownership passes),
 * tile by tile, in seed order within a tile.
 */
static void voronoi_tiled(const double *xy, size_t n, double rx0, double ry0, double rx1,
                          double ry1, double margin0, cell_fn fn, void *payload)
{
    size_t ntiles = (n + BENCH_TILE_SEEDS - 1) / BENCH_TILE_SEEDS;
    double width = rx1 - rx0, height = ry1 - ry0;
    int nx, ny, tx, ty;
    GEOSGeometry *region = make_rect(rx0, ry0, rx1, ry1);
    size_t *local = xcalloc(n, sizeof(size_t));
    double *ring_buf = NULL;
    size_t ring_cap = 0;
    owned_cell *owned = NULL;
    size_t nowned = 0, owned_cap = 0;
    item_list cand = {0};

    ntiles = ntiles ? ntiles : 1;
    nx = (int)ceil(sqrt((double)ntiles * width / height));
    nx = nx < 1 ? 1 : nx;
    ny = (int)ceil((double)ntiles / (double)nx);
    for (ty = 0; ty < ny; ty++) {
        for (tx = 0; tx < nx; tx++) {
            double t0x = rx0 + width * tx / nx,
                   t1x = tx + 1 == nx ? rx1 : rx0 + width * (tx + 1) / nx;
            double t0y = ry0 + height * ty / ny,
                   t1y = ty + 1 == ny ? ry1 : ry0 + height * (ty + 1) / ny;
            double margin = margin0;
            for (;;) {
                double ex0 = fmax(rx0, t0x - margin), ex1 = fmin(rx1, t1x + margin);
                double ey0 = fmax(ry0, t0y - margin), ey1 = fmin(ry1, t1y + margin);
                size_t nlocal = 0, i, k;
                GEOSGeometry **pts, *mp, *vor;
                GEOSSTRtree *tree;
                int ncells, c, exact = 1;
                for (i = 0; i < n; i++) {
                    double x = xy[2 * i], y = xy[2 * i + 1];
                    if (x >= ex0 && x <= ex1 && y >= ey0 && y <= ey1) {
                        local[nlocal++] = i;
                    }
                }
                if (nlocal == 0) {
                    break;
                }
                /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
                pts = xcalloc(nlocal, sizeof(*pts));
                for (i = 0; i < nlocal; i++) {
                    pts[i] = check_geom(
                        GEOSGeom_createPointFromXY_r(G, xy[2 * local[i]], xy[2 * local[i] + 1]),
                        "point");
                }
                mp = check_geom(
                    GEOSGeom_createCollection_r(G, GEOS_MULTIPOINT, pts, (unsigned int)nlocal),
                    "multipoint");
                free(pts);
                tree = GEOSSTRtree_create_r(G, 10);
                for (i = 0; i < nlocal; i++) {
                    GEOSSTRtree_insert_r(G, tree, GEOSGetGeometryN_r(G, mp, (int)i),
                                         (void *)(intptr_t)(i + 1));
                }
                vor = check_geom(GEOSVoronoiDiagram_r(G, mp, region, 0.0, 0), "voronoi");
                ncells = GEOSGetNumGeometries_r(G, vor);
                nowned = 0;
                for (c = 0; c < ncells && exact; c++) {
                    const GEOSGeometry *cell = GEOSGetGeometryN_r(G, vor, c);
                    size_t seed = SIZE_MAX;
                    double sx, sy, rad;
                    GEOSGeometry *kept;
                    cand.count = 0;
                    GEOSSTRtree_query_r(G, tree, cell, strtree_collect, &cand);
                    for (k = 0; k < cand.count; k++) {
                        size_t s = local[cand.items[k]];
                        if (in_shell(cell, xy[2 * s], xy[2 * s + 1], &ring_buf, &ring_cap)) {
                            seed = s;
                            break;
                        }
                    }
                    if (seed == SIZE_MAX) {
                        continue; /* a duplicate seed's cell, or a cell of nothing */
                    }
                    sx = xy[2 * seed];
                    sy = xy[2 * seed + 1];
                    if (!(sx >= t0x && (sx < t1x || tx + 1 == nx) && sy >= t0y &&
                          (sy < t1y || ty + 1 == ny))) {
                        continue; /* a margin seed: another tile's cell */
                    }
                    /* hull cells reach far beyond the rectangle: clip first */
                    {
                        double x0, y0, x1, y1;
                        bounds_of(cell, &x0, &y0, &x1, &y1);
                        if (x0 < rx0 || y0 < ry0 || x1 > rx1 || y1 > ry1) {
                            kept = largest_shell(intersection(cell, region));
                        } else {
                            kept = check_geom(GEOSGeom_clone_r(G, cell), "clone");
                        }
                    }
                    if (nowned == owned_cap) {
                        owned_cap = owned_cap ? 2 * owned_cap : 4096;
                        owned = xrealloc(owned, owned_cap * sizeof(*owned));
                    }
                    owned[nowned].cell = kept;
                    owned[nowned].seed = seed;
                    nowned++;
                    rad = 2.0 * max_vertex_distance(kept, sx, sy);
                    if ((ex0 > rx0 && sx - ex0 < rad) || (ex1 < rx1 && ex1 - sx < rad) ||
                        (ey0 > ry0 && sy - ey0 < rad) || (ey1 < ry1 && ey1 - sy < rad)) {
                        exact = 0;
                        break;
                    }
                }
                GEOSGeom_destroy_r(G, vor);
                GEOSSTRtree_destroy_r(G, tree);
                GEOSGeom_destroy_r(G, mp);
                if (!exact) {
                    for (k = 0; k < nowned; k++) {
                        GEOSGeom_destroy_r(G, owned[k].cell);
                    }
                    nowned = 0;
                    margin *= 2.0;
                    continue;
                }
                qsort(owned, nowned, sizeof(*owned), cmp_owned);
                for (k = 0; k < nowned; k++) {
                    fn(owned[k].cell, owned[k].seed, payload);
                }
                nowned = 0;
                break;
            }
        }
    }
    free(owned);
    free(cand.items);
    free(ring_buf);
    free(local);
    GEOSGeom_destroy_r(G, region);
}

/* ---- land use ------------------------------------------------------------ */

typedef struct bench_blocks_index {
    GEOSSTRtree *tree;
    const GEOSPreparedGeometry **prep;
    int n;
} bench_blocks_index;

static void blocks_index_init(bench_blocks_index *bi, const bench_world *bw)
{
    int b;
    bi->n = bw->nblocks;
    bi->tree = GEOSSTRtree_create_r(G, 10);
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
    bi->prep = xcalloc((size_t)bw->nblocks, sizeof(*bi->prep));
    for (b = 0; b < bw->nblocks; b++) {
        bi->prep[b] = GEOSPrepare_r(G, bw->block[b]);
        GEOSSTRtree_insert_r(G, bi->tree, bw->block[b], (void *)(intptr_t)(b + 1));
    }
}

static void blocks_index_release(bench_blocks_index *bi)
{
    int b;
    for (b = 0; b < bi->n; b++) {
        GEOSPreparedGeom_destroy_r(G, bi->prep[b]);
    }
    free(bi->prep);
    GEOSSTRtree_destroy_r(G, bi->tree);
}

/* The block containing (x, y), -1 for none. */
static int block_at(const bench_blocks_index *bi, double x, double y, item_list *scratch)
{
    GEOSGeometry *pt = check_geom(GEOSGeom_createPointFromXY_r(G, x, y), "point");
    size_t k;
    int found = -1;
    scratch->count = 0;
    GEOSSTRtree_query_r(G, bi->tree, pt, strtree_collect, scratch);
    qsort(scratch->items, scratch->count, sizeof(size_t), cmp_size);
    for (k = 0; k < scratch->count && found < 0; k++) {
        char v = GEOSPreparedContains_r(G, bi->prep[scratch->items[k]], pt);
        if (v == 2) {
            fatal("GEOSPreparedContains failed");
        }
        if (v == 1) {
            found = (int)scratch->items[k];
        }
    }
    GEOSGeom_destroy_r(G, pt);
    return found;
}

typedef struct landuse_ctx {
    OGRLayerH lyr;
    rng classes;
    hill_field hill;
    bench_blocks_index *blocks;
    const GEOSPreparedGeometry *zxcq, *czkfbj;
    item_list scratch;
    size_t count;
    double total_m2;
} landuse_ctx;

static void landuse_cell(GEOSGeometry *cell, size_t seed, void *payload)
{
    landuse_ctx *c = payload;
    double x, y, area = area_of(cell);
    int lu;
    OGRFeatureH f;
    (void)seed;
    centroid_xy(cell, &x, &y); /* cells are convex: the centroid is inside */
    if (block_at(c->blocks, x, y, &c->scratch) >= 0) {
        lu = pick_class(&c->classes, MIX_BENCH_PARK, NELEM(MIX_BENCH_PARK));
    } else if (prep_contains_xy(c->zxcq, x, y) || prep_contains_xy(c->czkfbj, x, y)) {
        lu = pick_class(&c->classes, MIX_CITY, NELEM(MIX_CITY));
    } else if (rng_uniform(&c->classes) < 0.08 + 0.7 * fmax(0.0, hill_at(&c->hill, x, y))) {
        lu = pick_class(&c->classes, MIX_FOREST, NELEM(MIX_FOREST));
    } else {
        lu = pick_class(&c->classes, MIX_FARM, NELEM(MIX_FARM));
    }
    f = new_feature(c->lyr);
    OGR_F_SetFieldString(f, 0, LU_CLASSES[lu].code);
    OGR_F_SetFieldString(f, 1, LU_CLASSES[lu].name);
    OGR_F_SetFieldDouble(f, 2, round_to(area, 0.01));
    put_feature(c->lyr, f, cell, 0);
    GEOSGeom_destroy_r(G, cell);
    c->count++;
    c->total_m2 += area;
}

/* Seeds: 35 % in and within 200 m of the blocks, 15 % in the central urban
 * area, the rest uniform. */
static void bench_landuse(const bench_world *bw, const bench_params *bp, bench_out *o)
{
    static const field_def fields[] = {
        {"YDYHFLDM", OFTString, 6, 0}, {"YDYHFLMC", OFTString, 30, 0}, {"TBMJ", OFTReal, 16, 2}};
    rng r = rng_stream(bp->seed, STREAM_BENCH_LANDUSE_SEEDS);
    size_t n = (size_t)bp->landuse_patches, i;
    size_t n_park = (size_t)(0.35 * (double)n), n_city = (size_t)(0.15 * (double)n);
    double *xy = xcalloc(2 * n, sizeof(double));
    double *near_area = xcalloc((size_t)bw->nblocks, sizeof(double));
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
    GEOSGeometry **near = xcalloc((size_t)bw->nblocks, sizeof(*near));
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
    const GEOSPreparedGeometry **near_prep = xcalloc((size_t)bw->nblocks, sizeof(*near_prep));
    double near_total = 0.0, spacing;
    const GEOSPreparedGeometry *zxcq_prep = GEOSPrepare_r(G, bw->zxcq);
    bench_blocks_index bi;
    landuse_ctx c;
    int b;

    for (b = 0; b < bw->nblocks; b++) {
        near[b] = buffer_round(bw->block[b], 200.0);
        near_prep[b] = GEOSPrepare_r(G, near[b]);
        near_area[b] = area_of(near[b]);
        near_total += near_area[b];
    }
    for (i = 0; i < n_park; i++) {
        double u = rng_uniform(&r) * near_total;
        for (b = 0; b < bw->nblocks - 1 && u >= near_area[b]; b++) {
            u -= near_area[b];
        }
        random_point_in(&r, near[b], near_prep[b], &xy[2 * i], &xy[2 * i + 1]);
    }
    for (; i < n_park + n_city; i++) {
        random_point_in(&r, bw->zxcq, zxcq_prep, &xy[2 * i], &xy[2 * i + 1]);
    }
    for (; i < n; i++) {
        xy[2 * i] = rng_range(&r, bw->xmin, bw->xmax);
        xy[2 * i + 1] = rng_range(&r, bw->ymin, bw->ymax);
    }
    for (b = 0; b < bw->nblocks; b++) {
        GEOSPreparedGeom_destroy_r(G, near_prep[b]);
        GEOSGeom_destroy_r(G, near[b]);
    }
    free(near_prep);
    free(near);
    free(near_area);

    memset(&c, 0, sizeof(c));
    c.classes = rng_stream(bp->seed, STREAM_BENCH_LANDUSE_CLASSES);
    for (b = 0; b < 4; b++) {
        c.hill.phase[b] = rng_range(&c.classes, 0.0, 2.0 * PI);
    }
    blocks_index_init(&bi, bw);
    c.blocks = &bi;
    c.zxcq = zxcq_prep;
    c.czkfbj = GEOSPrepare_r(G, bw->czkfbj_union);
    bench_open_group(o, "GHYDYH.gpkg");
    c.lyr = bench_begin_layer(o, "YDYH", EPSG_GK38_PREFIX, wkbPolygon, fields, NELEM(fields));
    /* the sparsest seeds are the uniform half */
    spacing = sqrt((bw->xmax - bw->xmin) * (bw->ymax - bw->ymin) / (0.5 * (double)n));
    voronoi_tiled(xy, n, bw->xmin, bw->ymin, bw->xmax, bw->ymax, 6.0 * spacing, landuse_cell, &c);
    bench_end_layer(o);
    bench_close_group(o);
    note("bench: land use: %zu patches, %.3f km2\n", c.count, c.total_m2 / 1e6);
    if (fabs(c.total_m2 - (bw->xmax - bw->xmin) * (bw->ymax - bw->ymin)) > 1.0) {
        fatal("bench: the land-use mosaic does not cover the rectangle (%.3f m2)", c.total_m2);
    }
    blocks_index_release(&bi);
    GEOSPreparedGeom_destroy_r(G, c.czkfbj);
    GEOSPreparedGeom_destroy_r(G, zxcq_prep);
    free(c.scratch.items);
    free(xy);
}

/* ---- farmland ------------------------------------------------------------- */

typedef struct farm_ctx {
    OGRLayerH lyr;
    rng r;
    const unsigned char *is_farm; /* per seed */
    size_t count;
    size_t duplicates;
    double dup_share;
} farm_ctx;

static int shift_cb(double *x, double *y, void *userdata)
{
    const double *d = userdata;
    *x = round_to(*x + d[0], 0.001);
    *y = round_to(*y + d[1], 0.001);
    return 1;
}

static void farm_write(farm_ctx *c, const GEOSGeometry *g)
{
    static const int classes[3] = {LU_0103, LU_0102, LU_0101};
    int lu = classes[rng_uniform(&c->r) < 0.7 ? 0 : (rng_uniform(&c->r) < 0.85 ? 1 : 2)];
    char id[24];
    double area = area_of(g);
    OGRFeatureH f = new_feature(c->lyr);
    snprintf(id, sizeof(id), "1405%08zu", c->count + 1);
    OGR_F_SetFieldString(f, 0, id);
    OGR_F_SetFieldString(f, 1, LU_CLASSES[lu].code);
    OGR_F_SetFieldString(f, 2, LU_CLASSES[lu].name);
    OGR_F_SetFieldDouble(f, 3, round_to(area, 0.01));
    bench_put(c->lyr, f, g, 1, 0);
    c->count++;
}

/* A farm cell shrunk by 2-4 m (field roads); one in 200 is also delivered
 * twice, shifted by 3-8 m (digitised twice: overlapping patches that must
 * not be counted twice). */
static void farm_cell(GEOSGeometry *cell, size_t seed, void *payload)
{
    farm_ctx *c = payload;
    GEOSGeometry *shrunk;
    if (!c->is_farm[seed]) {
        GEOSGeom_destroy_r(G, cell);
        return;
    }
    shrunk = snap_mm(buffer_mitre(cell, -rng_range(&c->r, 2.0, 4.0)));
    GEOSGeom_destroy_r(G, cell);
    if (GEOSGeomTypeId_r(G, shrunk) == GEOS_POLYGON && !GEOSisEmpty_r(G, shrunk) &&
        area_of(shrunk) > 100.0 && is_valid(shrunk)) {
        farm_write(c, shrunk);
        if (rng_uniform(&c->r) < c->dup_share) {
            double d[2];
            double a = rng_range(&c->r, 0.0, 2.0 * PI), len = rng_range(&c->r, 3.0, 8.0);
            GEOSGeometry *moved;
            d[0] = len * cos(a);
            d[1] = len * sin(a);
            moved = check_geom(GEOSGeom_transformXY_r(G, shrunk, shift_cb, d), "shift");
            farm_write(c, moved);
            GEOSGeom_destroy_r(G, moved);
            c->duplicates++;
        }
    }
    GEOSGeom_destroy_r(G, shrunk);
}

/* Probability that a place is farmland: none in the central urban area,
 * little inside blocks, 15-90 % elsewhere following a smooth field. */
static double farm_probability(const hill_field *h, const GEOSPreparedGeometry *zxcq,
                               const bench_blocks_index *bi, item_list *scratch, double x, double y)
{
    if (prep_contains_xy(zxcq, x, y)) {
        return 0.0;
    }
    if (block_at(bi, x, y, scratch) >= 0) {
        return 0.12;
    }
    return fmin(0.9, fmax(0.15, 0.55 - 0.5 * hill_at(h, x, y)));
}

/* Uniform seeds, each a farm seed with farm_probability: the cells form a
 * uniform mosaic of which the farm cells are kept, until the target count of
 * farm seeds is reached. */
static void bench_farmland(const bench_world *bw, const bench_params *bp, bench_out *o)
{
    static const field_def fields[] = {{"YJJBNTTBBH", OFTString, 20, 0},
                                       {"DLBM", OFTString, 4, 0},
                                       {"DLMC", OFTString, 20, 0},
                                       {"YJJBNTMJ", OFTReal, 16, 2}};
    rng r = rng_stream(bp->seed, STREAM_BENCH_FARM_SEEDS);
    size_t target = (size_t)bp->farmland_patches * 200 / 201, nfarm = 0, n = 0, cap = 0;
    double *xy = NULL;
    unsigned char *is_farm = NULL;
    const GEOSPreparedGeometry *zxcq_prep = GEOSPrepare_r(G, bw->zxcq);
    bench_blocks_index bi;
    item_list scratch = {0};
    hill_field hill;
    farm_ctx c;
    int k;
    for (k = 0; k < 4; k++) {
        hill.phase[k] = rng_range(&r, 0.0, 2.0 * PI);
    }
    blocks_index_init(&bi, bw);
    while (nfarm < target) {
        double x = rng_range(&r, bw->xmin, bw->xmax), y = rng_range(&r, bw->ymin, bw->ymax);
        if (n == cap) {
            cap = cap ? 2 * cap : 65536;
            xy = xrealloc(xy, 2 * cap * sizeof(double));
            is_farm = xrealloc(is_farm, cap);
        }
        xy[2 * n] = x;
        xy[2 * n + 1] = y;
        is_farm[n] = rng_uniform(&r) < farm_probability(&hill, zxcq_prep, &bi, &scratch, x, y);
        nfarm += is_farm[n];
        n++;
    }
    memset(&c, 0, sizeof(c));
    c.r = rng_stream(bp->seed, STREAM_BENCH_FARM);
    c.is_farm = is_farm;
    c.dup_share = 0.005;
    c.lyr = bench_begin_layer(o, "YJJBNTBHTB", EPSG_GEOGRAPHIC, wkbPolygon, fields, NELEM(fields));
    voronoi_tiled(xy, n, bw->xmin, bw->ymin, bw->xmax, bw->ymax,
                  6.0 * sqrt((bw->xmax - bw->xmin) * (bw->ymax - bw->ymin) / (double)n), farm_cell,
                  &c);
    bench_end_layer(o);
    note("bench: farmland: %zu patches (%zu shifted duplicates) from %zu cells\n", c.count,
         c.duplicates, n);
    blocks_index_release(&bi);
    GEOSPreparedGeom_destroy_r(G, zxcq_prep);
    free(scratch.items);
    free(xy);
    free(is_farm);
}

/* ---- ecological red line: river corridors ---------------------------------- */

/*
 * One corridor: a meandering centre line (three sine harmonics whose
 * amplitudes keep the radius of curvature above 4 half-widths) offset to
 * both sides by a slowly varying half-width plus sub-metre noise, so every
 * vertex counts. nv ring vertices (even), coordinates on a mm grid, in
 * xs/ys (nv + 1 entries, closed).
 */
static void corridor_ring(rng *r, double cx, double cy, int nv, double *xs, double *ys)
{
    int nside = nv / 2, i;
    double bearing = rng_range(r, 0.0, PI);
    double len = rng_range(r, 3000.0, 18000.0), hw = rng_range(r, 8.0, 45.0);
    double dx = cos(bearing), dy = sin(bearing), nx = -dy, ny = dx;
    double rmin = fmax(4.0 * hw, 150.0);
    double lambda[3], amp[3], phase[3], wl, wphase;
    double step = len / (double)(nside - 1);
    double noise = fmin(0.3, 0.3 * step);
    int k;
    lambda[0] = rng_range(r, 3000.0, 8000.0);
    lambda[1] = rng_range(r, 800.0, 2000.0);
    lambda[2] = rng_range(r, 200.0, 500.0);
    for (k = 0; k < 3; k++) {
        double kk = 2.0 * PI / lambda[k];
        amp[k] = rng_range(r, 0.3, 1.0) / (3.0 * rmin * kk * kk);
        phase[k] = rng_range(r, 0.0, 2.0 * PI);
    }
    amp[0] = fmin(amp[0], 1500.0);
    wl = rng_range(r, 1000.0, 4000.0);
    wphase = rng_range(r, 0.0, 2.0 * PI);
    for (i = 0; i < nside; i++) {
        double t = -0.5 * len + step * (double)i;
        double m = 0.0, dm = 0.0, tx, ty, tl, px, py, w;
        for (k = 0; k < 3; k++) {
            double kk = 2.0 * PI / lambda[k];
            m += amp[k] * sin(kk * t + phase[k]);
            dm += amp[k] * kk * cos(kk * t + phase[k]);
        }
        px = cx + t * dx + m * nx;
        py = cy + t * dy + m * ny;
        tx = dx + dm * nx;
        ty = dy + dm * ny;
        tl = hypot(tx, ty);
        tx /= tl;
        ty /= tl;
        w = hw * (1.0 + 0.3 * sin(2.0 * PI * t / wl + wphase));
        {
            double wl_left = w + rng_range(r, -noise, noise);
            double wl_right = w + rng_range(r, -noise, noise);
            /* left side forward, right side backward: counter-clockwise */
            xs[i] = round_to(px - ty * wl_right, 0.001);
            ys[i] = round_to(py + tx * wl_right, 0.001);
            xs[nv - 1 - i] = round_to(px + ty * wl_left, 0.001);
            ys[nv - 1 - i] = round_to(py - tx * wl_left, 0.001);
        }
    }
    xs[nv] = xs[0];
    ys[nv] = ys[0];
}

static void bench_redline(const bench_world *bw, const bench_params *bp, bench_out *o)
{
    static const field_def fields[] = {{"HXBM", OFTString, 20, 0},
                                       {"HXMC", OFTString, 60, 0},
                                       {"HXLX", OFTString, 20, 0},
                                       {"MJ", OFTReal, 16, 2}};
    static const char *const types[] = {"水源涵养", "水土保持", "生物多样性维护"};
    rng r = rng_stream(bp->seed, STREAM_BENCH_REDLINE);
    size_t cap = (size_t)bp->redline_max_vertices + 2;
    double *xs = xcalloc(cap, sizeof(double)), *ys = xcalloc(cap, sizeof(double));
    double *buf = xcalloc(2 * cap, sizeof(double));
    double lo = log((double)bp->redline_min_vertices), hi = log((double)bp->redline_max_vertices);
    long long total_vertices = 0;
    OGRLayerH lyr =
        bench_begin_layer(o, "STBHHX", EPSG_GEOGRAPHIC, wkbMultiPolygon, fields, NELEM(fields));
    int i;
    for (i = 0; i < bp->redline_polygons; i++) {
        int nv = 2 * (int)round(0.5 * exp(rng_range(&r, lo, hi)));
        double cx = rng_range(&r, bw->xmin, bw->xmax), cy = rng_range(&r, bw->ymin, bw->ymax);
        double area = 0.0;
        int tries, j;
        char code[32], name[64];
        OGRFeatureH f;
        OGRGeometryH ring, poly;
        nv = nv < 8 ? 8 : nv;
        for (tries = 0;; tries++) {
            GEOSCoordSequence *cs;
            GEOSGeometry *g;
            corridor_ring(&r, cx, cy, nv, xs, ys);
            for (j = 0; j <= nv; j++) {
                buf[2 * j] = xs[j];
                buf[2 * j + 1] = ys[j];
            }
            cs = GEOSCoordSeq_copyFromBuffer_r(G, buf, (unsigned int)nv + 1, 0, 0);
            g = check_geom(GEOSGeom_createPolygon_r(
                               G, check_geom(GEOSGeom_createLinearRing_r(G, cs), "ring"), NULL, 0),
                           "polygon");
            if (is_valid(g)) {
                area = area_of(g);
                GEOSGeom_destroy_r(G, g);
                break;
            }
            GEOSGeom_destroy_r(G, g);
            if (tries > 20) {
                fatal("bench: cannot draw a valid corridor %d", i);
            }
        }
        /* straight to OGR in EPSG:4490, without a GEOS round trip */
        if (!OCTTransform(g_gk_to_ll, nv + 1, xs, ys, NULL)) {
            fatal("bench: cannot transform corridor %d", i);
        }
        ring = OGR_G_CreateGeometry(wkbLinearRing);
        OGR_G_SetPoints(ring, nv + 1, xs, (int)sizeof(double), ys, (int)sizeof(double), NULL, 0);
        poly = OGR_G_CreateGeometry(wkbMultiPolygon);
        {
            OGRGeometryH p = OGR_G_CreateGeometry(wkbPolygon);
            OGR_G_AddGeometryDirectly(p, ring);
            OGR_G_AddGeometryDirectly(poly, p);
        }
        snprintf(code, sizeof(code), "STBHHX1405%05d", i + 1);
        snprintf(name, sizeof(name), "基准河流生态廊道%04d生态保护红线", i + 1);
        f = new_feature(lyr);
        OGR_F_SetFieldString(f, 0, code);
        OGR_F_SetFieldString(f, 1, name);
        OGR_F_SetFieldString(f, 2, types[i % 3]);
        OGR_F_SetFieldDouble(f, 3, round_to(area, 0.01));
        OGR_F_SetGeometryDirectly(f, poly);
        if (OGR_L_CreateFeature(lyr, f) != OGRERR_NONE) {
            fatal("cannot write a corridor");
        }
        OGR_F_Destroy(f);
        total_vertices += nv;
    }
    bench_end_layer(o);
    note("bench: red line: %d corridors, %lld vertices\n", bp->redline_polygons, total_vertices);
    free(xs);
    free(ys);
    free(buf);
}

/* ---- the rest ------------------------------------------------------------ */

static void bench_write_zones(const bench_world *bw, bench_out *o)
{
    static const field_def zxcq_fields[] = {{"MC", OFTString, 40, 0}};
    OGRLayerH lyr;
    OGRFeatureH f;
    int b;
    /* a Shapefile in both formats, like the delivered 四至 */
    {
        char path[4096];
        GDALDatasetH ds;
        lyr = shp_layer(o->dir, "KFQ_SZFW", EPSG_GK38_PREFIX, wkbPolygon, ZONE_FIELDS,
                        NELEM(ZONE_FIELDS), 0, &ds, path, sizeof(path));
        for (b = 0; b < bw->nblocks; b++) {
            const bench_zone *zn = &bw->zone[bw->block_zone[b]];
            f = new_feature(lyr);
            OGR_F_SetFieldString(f, 0, zn->code);
            OGR_F_SetFieldString(f, 1, zn->name);
            OGR_F_SetFieldString(f, 2, bw->block_name[b]);
            OGR_F_SetFieldDouble(f, 3, zn->hzmj_ha);
            OGR_F_SetFieldDouble(f, 4, bw->block_qkmj_ha[b]);
            OGR_F_SetFieldString(f, 5, zn->industries);
            OGR_F_SetFieldString(f, 6, zn->level);
            put_feature(lyr, f, bw->block[b], 0);
        }
        close_dataset(ds, path);
    }
    bench_open_group(o, "ZXCQ.gpkg");
    lyr =
        bench_begin_layer(o, "ZXCQ", EPSG_GK38_PREFIX, wkbPolygon, zxcq_fields, NELEM(zxcq_fields));
    f = new_feature(lyr);
    OGR_F_SetFieldString(f, 0, "晋城市中心城区");
    put_feature(lyr, f, bw->zxcq, 0);
    bench_end_layer(o);
    bench_close_group(o);
}

static void bench_czkfbj_write(const bench_world *bw, bench_out *o)
{
    static const field_def fields[] = {
        {"GHFQDM", OFTString, 4, 0}, {"GHFQMC", OFTString, 20, 0}, {"MJ", OFTReal, 16, 2}};
    OGRLayerH lyr =
        bench_begin_layer(o, "CZKFBJ", EPSG_GEOGRAPHIC, wkbMultiPolygon, fields, NELEM(fields));
    size_t i;
    for (i = 0; i < bw->czkfbj.count; i++) {
        OGRFeatureH f = new_feature(lyr);
        OGR_F_SetFieldString(f, 0, "0401");
        OGR_F_SetFieldString(f, 1, "城镇集中建设区");
        OGR_F_SetFieldDouble(f, 2, round_to(area_of(bw->czkfbj.items[i]), 0.01));
        bench_put(lyr, f, bw->czkfbj.items[i], 1, 1);
    }
    bench_end_layer(o);
}

/* Five enterprises per block, industries from the zone's labels. */
static void bench_enterprises(const bench_world *bw, const bench_params *bp, bench_out *o)
{
    static const field_def fields[] = {
        {"QYMC", OFTString, 80, 0}, {"HYDM", OFTString, 4, 0},  {"TZE", OFTReal, 16, 2},
        {"CZ", OFTReal, 16, 2},     {"SS", OFTReal, 16, 2},     {"YDMJ", OFTReal, 16, 2},
        {"HPDB", OFTString, 2, 0},  {"SSYQ", OFTString, 20, 0},
    };
    rng r = rng_stream(bp->seed, STREAM_BENCH_ENTERPRISES);
    OGRLayerH lyr;
    GDALDatasetH ds;
    char path[4096];
    int b, i, serial = 0;
    /* a Shapefile in both formats, like the samples */
    lyr = shp_layer(o->dir, "QY", EPSG_GK38_PREFIX, wkbPoint, fields, NELEM(fields), 0, &ds, path,
                    sizeof(path));
    for (b = 0; b < bw->nblocks; b++) {
        const bench_zone *zn = &bw->zone[bw->block_zone[b]];
        GEOSGeometry *inner = buffer_mitre(bw->block[b], -50.0);
        const GEOSPreparedGeometry *ip = GEOSPrepare_r(G, inner);
        for (i = 0; i < 5; i++) {
            const industry_set *set = &BENCH_LABELS[zn->label[i % zn->nlabels]].set;
            const industry *ind = &set->items[rng_int(&r, 0, (int)set->count - 1)];
            OGRFeatureH f = new_feature(lyr);
            OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
            char name[128];
            double x, y, tze = round_to(rng_log_range(&r, 3000.0, 250000.0), 0.01);
            double cz = round_to(tze * rng_range(&r, 0.4, 2.2), 0.01);
            random_point_in(&r, inner, ip, &x, &y);
            snprintf(name, sizeof(name), "晋城基准%04d%s有限公司", ++serial, ind->word);
            OGR_F_SetFieldString(f, 0, name);
            OGR_F_SetFieldString(f, 1, ind->code);
            OGR_F_SetFieldDouble(f, 2, tze);
            OGR_F_SetFieldDouble(f, 3, cz);
            OGR_F_SetFieldDouble(f, 4, round_to(cz * rng_range(&r, 0.02, 0.08), 0.01));
            OGR_F_SetFieldDouble(f, 5,
                                 round_to(rng_range(&r, 20.0, 45.0) * sqrt(tze) * 10.0, 0.01));
            OGR_F_SetFieldString(f, 6, "是");
            OGR_F_SetFieldString(f, 7, bw->block_name[b]);
            OGR_G_SetPoint_2D(pt, 0, round_to(x, 0.01), round_to(y, 0.01));
            OGR_F_SetGeometryDirectly(f, pt);
            if (OGR_L_CreateFeature(lyr, f) != OGRERR_NONE) {
                fatal("cannot write an enterprise");
            }
            OGR_F_Destroy(f);
        }
        GEOSPreparedGeom_destroy_r(G, ip);
        GEOSGeom_destroy_r(G, inner);
    }
    close_dataset(ds, path);
}

static void bench_run(const bench_params *bp, const char *dir)
{
    static const char *const gpkg_files[] = {
        "KFQ_SZFW.shp",   "QY.shp",     "SXSX.gpkg",  "GHYDYH.gpkg", "ZXCQ.gpkg",
        "YJJBNTBHTB.shp", "STBHHX.shp", "CZKFBJ.shp", "YDYH.shp",    "ZXCQ.shp"};
    bench_world *bw = xcalloc(1, sizeof(*bw));
    bench_out o;
    rng r = rng_stream(bp->seed, STREAM_BENCH_ZONES);
    double cx, cy;
    int b;

    ll_to_gk(BENCH_CENTRE_LON, BENCH_CENTRE_LAT, &cx, &cy);
    cx = round_to(cx, 100.0);
    cy = round_to(cy, 100.0);
    bw->xmin = cx - 0.5 * BENCH_WIDTH_M;
    bw->xmax = cx + 0.5 * BENCH_WIDTH_M;
    bw->ymin = cy - 0.5 * BENCH_HEIGHT_M;
    bw->ymax = cy + 0.5 * BENCH_HEIGHT_M;
    /* faster GeoPackage writes; the file contents do not depend on it */
    CPLSetConfigOption("OGR_SQLITE_SYNCHRONOUS", "OFF");

    make_dir(dir);
    remove_outputs(dir, gpkg_files, NELEM(gpkg_files));
    memset(&o, 0, sizeof(o));
    o.dir = dir;
    o.shapefile = bp->shapefile;

    bench_zxcq(bw, &r);
    bench_blocks(bw, bp, &r);
    bench_czkfbj(bw, &r);
    note("bench: %d blocks in %d zones, %zu urban-boundary parts, rectangle %.0f x %.0f km\n",
         bw->nblocks, bw->nzones, bw->czkfbj.count, BENCH_WIDTH_M / 1000.0,
         BENCH_HEIGHT_M / 1000.0);
    bench_write_zones(bw, &o);
    bench_enterprises(bw, bp, &o);

    bench_open_group(&o, "SXSX.gpkg");
    bench_farmland(bw, bp, &o);
    bench_redline(bw, bp, &o);
    bench_czkfbj_write(bw, &o);
    bench_close_group(&o);

    bench_landuse(bw, bp, &o);

    for (b = 0; b < bw->nblocks; b++) {
        GEOSGeom_destroy_r(G, bw->block[b]);
    }
    GEOSGeom_destroy_r(G, bw->zxcq);
    GEOSGeom_destroy_r(G, bw->czkfbj_union);
    glist_release(&bw->czkfbj);
    free(bw);
}

static void usage(FILE *out)
{
    fputs("usage: samplegen [options] OUTDIR_PARENT\n"
          "       samplegen --bench [bench options] [--seed N] [-q] OUTDIR\n"
          "Writes OUTDIR_PARENT/jincheng and OUTDIR_PARENT/jincheng-defects;\n"
          "with --bench, a city-scale benchmark data set into OUTDIR itself.\n"
          "  --districts PATH       district boundaries GeoJSON\n"
          "                         (default " DEFAULT_DISTRICTS ")\n"
          "  --landuse-patches N    Voronoi seeds of the land-use mosaic (default 4000)\n"
          "  --seed N               master seed (default 20240520; the README's numbers\n"
          "                         hold for the default only)\n"
          "  -q, --quiet            no progress report on stderr\n"
          "bench options (defaults in brackets):\n"
          "  --landuse-patches N    land-use Voronoi patches [100000]\n"
          "  --farmland-patches N   永久基本农田 patches, about [300000]\n"
          "  --redline-polygons N   red-line river corridors [2000]\n"
          "  --redline-vertices MIN:MAX  vertices per corridor [5000:80000]\n"
          "  --blocks N             zone blocks [200]\n"
          "  --zones N              zone codes shared by the blocks [20]\n"
          "  --format gpkg|shp      GeoPackages or one Shapefile per layer [gpkg]\n",
          out);
}

_Noreturn static void usage_error(const char *fmt, const char *arg)
{
    fputs("samplegen: ", stderr);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    usage(stderr);
    exit(2);
}

static long parse_long(const char *s, const char *opt)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || v < 0) {
        usage_error("%s needs a non-negative integer", opt);
    }
    return v;
}

int main(int argc, char **argv)
{
    gen_params prm;
    world *w;
    const char *parent = NULL;
    char clean_dir[4096], defect_dir[4096];
    static const char *const clean_files[] = {"KFQ_SZFW.shp", "QY.shp", "SXSX.gpkg", "GHYDYH.gpkg",
                                              "ZXCQ.gpkg"};
    static const char *const defect_files[] = {"KFQ_SZFW.shp", "KFQ_BCKC.shp"};
    bench_params bp;
    int bench = 0, landuse_given = 0;
    const char *bench_only = NULL; /* a bench option seen, for the error without --bench */
    int i;

    memset(&prm, 0, sizeof(prm));
    prm.seed = DEFAULT_SEED;
    prm.landuse_patches = 4000;
    prm.landuse_park_share = 0.40;
    prm.landuse_city_share = 0.15;
    prm.mosaic_margin_m = 2500.0;
    prm.landuse_min_patch_m2 = 400.0;
    prm.farmland_patch_ha = 12.0;
    prm.farmland_share = 0.85;
    prm.districts_path = DEFAULT_DISTRICTS;
    memset(&bp, 0, sizeof(bp));
    bp.farmland_patches = 300000;
    bp.redline_polygons = 2000;
    bp.redline_min_vertices = 5000;
    bp.redline_max_vertices = 80000;
    bp.blocks = 200;
    bp.zones = 20;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            g_quiet = 1;
        } else if (strcmp(a, "--districts") == 0 && i + 1 < argc) {
            prm.districts_path = argv[++i];
        } else if (strcmp(a, "--landuse-patches") == 0 && i + 1 < argc) {
            long v = parse_long(argv[++i], a);
            if (v < 100 || v > 5000000) {
                usage_error("%s must be between 100 and 5000000", a);
            }
            prm.landuse_patches = (int)v;
            landuse_given = 1;
        } else if (strcmp(a, "--bench") == 0) {
            bench = 1;
        } else if (strcmp(a, "--farmland-patches") == 0 && i + 1 < argc) {
            bench_only = a;
            long v = parse_long(argv[++i], a);
            if (v < 100 || v > 5000000) {
                usage_error("%s must be between 100 and 5000000", a);
            }
            bp.farmland_patches = (int)v;
        } else if (strcmp(a, "--redline-polygons") == 0 && i + 1 < argc) {
            bench_only = a;
            long v = parse_long(argv[++i], a);
            if (v > 100000) {
                usage_error("%s must be at most 100000", a);
            }
            bp.redline_polygons = (int)v;
        } else if (strcmp(a, "--redline-vertices") == 0 && i + 1 < argc) {
            bench_only = a;
            const char *v = argv[++i];
            char *end = NULL;
            long lo = strtol(v, &end, 10), hi;
            if (end == v || *end != ':') {
                usage_error("%s needs MIN:MAX", a);
            }
            v = end + 1;
            hi = strtol(v, &end, 10);
            if (end == v || *end != '\0' || lo < 8 || hi < lo || hi > 10000000) {
                usage_error("%s needs 8 <= MIN <= MAX <= 10000000", a);
            }
            bp.redline_min_vertices = (int)lo;
            bp.redline_max_vertices = (int)hi;
        } else if (strcmp(a, "--blocks") == 0 && i + 1 < argc) {
            bench_only = a;
            long v = parse_long(argv[++i], a);
            if (v < 1 || v > BENCH_MAX_BLOCKS) {
                usage_error("%s must be between 1 and "
                            "2000",
                            a);
            }
            bp.blocks = (int)v;
        } else if (strcmp(a, "--zones") == 0 && i + 1 < argc) {
            bench_only = a;
            long v = parse_long(argv[++i], a);
            if (v < 1 || v > 20) {
                usage_error("%s must be between 1 and 20 (zones are 9 km apart)", a);
            }
            bp.zones = (int)v;
        } else if (strcmp(a, "--format") == 0 && i + 1 < argc) {
            bench_only = a;
            const char *v = argv[++i];
            if (strcmp(v, "gpkg") != 0 && strcmp(v, "shp") != 0) {
                usage_error("%s must be gpkg or shp", a);
            }
            bp.shapefile = strcmp(v, "shp") == 0;
        } else if (strcmp(a, "--seed") == 0 && i + 1 < argc) {
            prm.seed = (uint64_t)parse_long(argv[++i], a);
        } else if (a[0] == '-') {
            usage_error("unknown option or missing value: %s", a);
        } else if (parent == NULL) {
            parent = a;
        } else {
            usage_error("one output folder only, not also %s", a);
        }
    }
    if (parent == NULL) {
        usage(stderr);
        return 2;
    }
    if (bench_only != NULL && !bench) {
        usage_error("%s needs --bench", bench_only);
    }

    GDALAllRegister();
    CPLPushErrorHandler(gdal_error_handler);
    CPLSetConfigOption("OGR_CURRENT_DATE", FIXED_DATETIME);
    G = GEOS_init_r();
    GEOSContext_setNoticeHandler_r(G, geos_notice);
    GEOSContext_setErrorHandler_r(G, geos_error);
    g_wkb_writer = GEOSWKBWriter_create_r(G);
    crs_init();

    if (bench) {
        if (bp.zones > bp.blocks) {
            usage_error("%s: more zones than blocks", "--zones");
        }
        bp.seed = prm.seed;
        bp.landuse_patches = landuse_given ? prm.landuse_patches : 100000;
        bench_run(&bp, parent);
        GEOSWKBWriter_destroy_r(G, g_wkb_writer);
        OCTDestroyCoordinateTransformation(g_ll_to_gk);
        OCTDestroyCoordinateTransformation(g_gk_to_ll);
        GEOS_finish_r(G);
        CPLPopErrorHandler();
        if (g_gdal_problems > 0) {
            fatal("%d GDAL warning(s)/error(s): the output is not trustworthy", g_gdal_problems);
        }
        note("bench: wrote %s\n", parent);
        return 0;
    }

    w = xcalloc(1, sizeof(*w));
    read_districts(w, prm.districts_path);
    gen_blocks(w, &prm);
    report_blocks(w);
    gen_zxcq(w);
    gen_redline(w, &prm);
    gen_czkfbj(w);
    gen_landuse(w, &prm);
    gen_farmland(w, &prm);
    gen_enterprises(w, &prm);
    report_conflicts(w);

    path_join(clean_dir, sizeof(clean_dir), parent, "jincheng");
    path_join(defect_dir, sizeof(defect_dir), parent, "jincheng-defects");
    make_dir(parent);
    make_dir(clean_dir);
    make_dir(defect_dir);
    remove_outputs(clean_dir, clean_files, NELEM(clean_files));
    remove_outputs(defect_dir, defect_files, NELEM(defect_files));

    {
        zone_record z[NBLOCKS];
        clean_zone_records(w, z);
        write_zone_shp(clean_dir, "KFQ_SZFW", EPSG_GK38_PREFIX, z, NBLOCKS);
    }
    write_sxsx(w, clean_dir);
    write_ghydyh(w, clean_dir);
    write_qy(w, clean_dir);
    write_zxcq(w, clean_dir);
    write_defects(w, &prm, defect_dir);

    world_release(w);
    free(w);
    GEOSWKBWriter_destroy_r(G, g_wkb_writer);
    OCTDestroyCoordinateTransformation(g_ll_to_gk);
    OCTDestroyCoordinateTransformation(g_gk_to_ll);
    GEOS_finish_r(G);
    CPLPopErrorHandler();
    if (g_gdal_problems > 0) {
        fatal("%d GDAL warning(s)/error(s): the output is not trustworthy", g_gdal_problems);
    }
    note("wrote %s and %s\n", clean_dir, defect_dir);
    return 0;
}
