/*
 * report_gpkg.c - findings.gpkg: the findings as a GeoPackage for QGIS and
 * ArcGIS, written through GDAL (the one report file that includes GDAL
 * headers; reporters see only the hegui_run).
 *
 * Layout (docs/reports.md): one layer per rule family and shape.
 *   survey (S01-S06), conflict (C01-C05), plan_diff (C06), industry (I01-I03)
 *   <family>         MultiPolygon; polygons are promoted to MultiPolygon, and
 *                    findings without a geometry are rows with a NULL
 *                    geometry here, so the family's table lists them too
 *   <family>_points  MultiPoint   (e.g. S01 locations), only when needed
 *   <family>_lines   MultiLineString (e.g. S06 clearance lines), only when needed
 * QGIS styles layers with one geometry type well and wkbUnknown badly, hence
 * the split. A geometry collection goes where its highest-dimension parts
 * go and keeps only those parts. `survey` always exists, and `conflict`
 * for `check`, so the file never lacks its main layers; other layers exist
 * only when the run has findings for them. Layers come in the order above.
 *
 * Every layer has the attributes of a finding (same names as summary.json
 * and findings.csv), FID column `finding_id` = 1-based position of the
 * finding in summary.json's findings array, geometry column `geom`, in the
 * working CRS (EPSG code, traditional GIS axis order; when the working CRS
 * has no EPSG code, the GeoPackage's "Undefined Cartesian SRS", srs_id -1).
 * Areas are stored rounded as summary.json prints them (m2 2 decimals,
 * ha 4, mu 2, share 6).
 *
 * A `layer_styles` table (QGIS's convention, the table QGIS itself creates)
 * holds one default style per layer: a QML document with a categorized
 * renderer on `rule` (a fixed colour per rule id) and the severity shown by
 * the outline (error: dark red, thick, solid; warning: orange, dashed;
 * info: grey, dotted).
 *
 * Deterministic bytes: GDAL's OGR_CURRENT_DATE (gpkg_contents.last_change)
 * is set to run->timestamp for the write (thread-local, restored after),
 * layer_styles.update_time is run->timestamp, features are written in the
 * run's finding order with explicit FIDs, all in one transaction.
 *
 * GDAL's messages are captured (never printed); any GDAL failure while
 * writing, including when the file is closed, fails the write with
 * HEGUI_EOUTPUT and GDAL's first message.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "hegui/config.h"
#include "report/report_internal.h"

/* --- layout --- */

enum { FAMILY_SURVEY, FAMILY_CONFLICT, FAMILY_PLAN_DIFF, FAMILY_INDUSTRY, FAMILY_COUNT };
enum { SHAPE_POLYGON, SHAPE_POINT, SHAPE_LINE, SHAPE_COUNT };
#define SLOT_COUNT (FAMILY_COUNT * SHAPE_COUNT)

static const char *const family_names[FAMILY_COUNT] = {"survey", "conflict", "plan_diff",
                                                       "industry"};
static const char *const family_rules[FAMILY_COUNT] = {"S01-S06", "C01-C05", "C06", "I01-I03"};
static const char *const shape_suffixes[SHAPE_COUNT] = {"", "_points", "_lines"};
static const char *const shape_words[SHAPE_COUNT] = {
    "polygons; findings without geometry have a NULL geometry", "points", "lines"};
/* QML <layerGeometryType>: 0 point, 1 line, 2 polygon */
static const int shape_qgis_types[SHAPE_COUNT] = {2, 0, 1};

#define GEOMETRY_COLUMN "geom"
#define FID_COLUMN "finding_id"

/* The attributes, in column order (field index = position). */
enum {
    COL_RULE,
    COL_SEVERITY,
    COL_ZONE_CODE,
    COL_ZONE_NAME,
    COL_BLOCK,
    COL_LAYER,
    COL_LAYER_PATH,
    COL_FID,
    COL_OTHER_LAYER,
    COL_OTHER_FID,
    COL_SUBJECT_ATTRS,
    COL_OTHER_ATTRS,
    COL_AREA_M2,
    COL_AREA_HA,
    COL_AREA_MU,
    COL_AREA_ELLIPSOIDAL_M2,
    COL_SHARE_OF_ZONE,
    COL_MESSAGE_ZH,
    COL_MESSAGE_EN,
    COL_COUNT
};

static const struct {
    const char *name;
    OGRFieldType type;
} columns[COL_COUNT] = {
    {"rule", OFTString},          {"severity", OFTString},
    {"zone_code", OFTString},     {"zone_name", OFTString},
    {"block", OFTString},         {"layer", OFTString},
    {"layer_path", OFTString},    {"fid", OFTInteger64},
    {"other_layer", OFTString},   {"other_fid", OFTInteger64},
    {"subject_attrs", OFTString}, {"other_attrs", OFTString},
    {"area_m2", OFTReal},         {"area_ha", OFTReal},
    {"area_mu", OFTReal},         {"area_ellipsoidal_m2", OFTReal},
    {"share_of_zone", OFTReal},   {"message_zh", OFTString},
    {"message_en", OFTString},
};

/* Family of a rule id: the catalogue's family, with C06 (plan versions)
 * apart; unknown ids by their letter. -1 when none fits. */
static int rule_family(const char *rule)
{
    const hegui_rule_def *def = rule ? hegui_rules_find(rule) : NULL;
    const char *family = def ? def->family : NULL;
    if (!rule)
        return -1;
    if (strcmp(rule, "C06") == 0)
        return FAMILY_PLAN_DIFF;
    if (family) {
        if (strcmp(family, "survey") == 0)
            return FAMILY_SURVEY;
        if (strcmp(family, "conflict") == 0)
            return FAMILY_CONFLICT;
        if (strcmp(family, "industry") == 0)
            return FAMILY_INDUSTRY;
    }
    switch (rule[0]) {
    case 'S':
        return FAMILY_SURVEY;
    case 'C':
        return FAMILY_CONFLICT;
    case 'I':
        return FAMILY_INDUSTRY;
    default:
        return -1;
    }
}

/* --- GDAL messages --- */

typedef struct gdal_capture {
    int errors;
    char first[512];
} gdal_capture;

static void CPL_STDCALL capture_handler(CPLErr level, CPLErrorNum num, const char *msg)
{
    gdal_capture *cap = CPLGetErrorHandlerUserData();
    size_t n;
    (void)num;
    if (!cap || (level != CE_Failure && level != CE_Fatal))
        return; /* warnings and debug output are dropped */
    if (cap->errors++ == 0) {
        n = strlen(msg);
        if (n >= sizeof(cap->first))
            n = sizeof(cap->first) - 1;
        memcpy(cap->first, msg, n);
        cap->first[n] = '\0';
        while (n > 0 && (cap->first[n - 1] == '\n' || cap->first[n - 1] == '.'))
            cap->first[--n] = '\0';
    }
}

/* HEGUI_EOUTPUT with GDAL's first message, or what when GDAL said nothing. */
static int gdal_failure(const gdal_capture *cap, const char *what)
{
    if (cap->errors > 0)
        return hegui_error_set(HEGUI_EOUTPUT, "%s: %s", what, cap->first);
    return hegui_error_set(HEGUI_EOUTPUT, "%s", what);
}

/* --- values --- */

/* value as summary.json prints it with decimals digits (same rounding). */
static double rounded(double value, int decimals)
{
    char text[512];
    report_format_fixed(text, sizeof(text), value, decimals);
    return CPLAtof(text);
}

/* A valid UTF-8 copy of s when s is not valid (else NULL: use s). */
static int utf8_or_repaired(const char *s, const char **out, char **out_owned)
{
    *out_owned = NULL;
    *out = s ? s : "";
    if (hegui_utf8_valid(*out, strlen(*out)))
        return HEGUI_OK;
    *out_owned = hegui_utf8_repair(*out, NULL);
    if (!*out_owned)
        return HEGUI_ENOMEM;
    *out = *out_owned;
    return HEGUI_OK;
}

static int set_text(OGRFeatureH feature, int column, const char *value)
{
    const char *text;
    char *owned;
    int rc = utf8_or_repaired(value, &text, &owned);
    if (rc < 0)
        return rc;
    OGR_F_SetFieldString(feature, column, text);
    hegui_free(owned);
    return HEGUI_OK;
}

static void set_fid(OGRFeatureH feature, int column, int64_t fid)
{
    if (fid == -1)
        OGR_F_SetFieldNull(feature, column);
    else
        OGR_F_SetFieldInteger64(feature, column, (GIntBig)fid);
}

static int set_area(OGRFeatureH feature, int column, double value, int decimals,
                    const hegui_finding *f)
{
    if (!isfinite(value))
        return hegui_error_set(
            HEGUI_EINTERNAL, "findings.gpkg: finding %s %s:%lld %s is not a finite number", f->rule,
            f->layer ? f->layer : "", (long long)f->fid, columns[column].name);
    OGR_F_SetFieldDouble(feature, column, rounded(value, decimals));
    return HEGUI_OK;
}

/* --- geometry --- */

/* Adds the parts of g whose dimension is dim to multi (recursing into
 * collections); single parts are promoted so they fit the multi type. */
static void collect_parts(OGRGeometryH multi, OGRGeometryH g, int dim)
{
    int i, n;
    OGRwkbGeometryType type = wkbFlatten(OGR_G_GetGeometryType(g));
    if (type == wkbGeometryCollection || type == wkbMultiPolygon || type == wkbMultiPoint ||
        type == wkbMultiLineString || type == wkbMultiSurface || type == wkbMultiCurve) {
        n = OGR_G_GetGeometryCount(g);
        for (i = 0; i < n; i++)
            collect_parts(multi, OGR_G_GetGeometryRef(g, i), dim);
        return;
    }
    if (OGR_G_GetDimension(g) != dim || OGR_G_IsEmpty(g))
        return;
    if (type == wkbCurvePolygon || type == wkbCircularString || type == wkbCompoundCurve) {
        OGRGeometryH linear = OGR_G_GetLinearGeometry(g, 0, NULL);
        if (linear) {
            OGR_G_AddGeometryDirectly(multi, linear);
        }
        return;
    }
    OGR_G_AddGeometry(multi, g);
}

/* Whether wkt is a POLYGON or MULTIPOLYGON (of any dimension, empty or
 * not): its finding goes to its family's polygon layer either way, known
 * without parsing it (most findings are such patches, and parsing is the
 * most of writing the file). */
static bool polygon_wkt(const char *wkt)
{
    size_t n = 0;
    while (*wkt == ' ')
        wkt++;
    while ((wkt[n] >= 'A' && wkt[n] <= 'Z') || (wkt[n] >= 'a' && wkt[n] <= 'z'))
        n++;
    return (n == 7 && hegui_str_istarts(wkt, "POLYGON")) ||
           (n == 12 && hegui_str_istarts(wkt, "MULTIPOLYGON"));
}

/*
 * A POLYGON or MULTIPOLYGON, read by the reports' own parser (wkt_svg.c)
 * into the 2D MultiPolygon GDAL's parse gives (NULL when empty): the same
 * rings and the same doubles, at a third of the time GDAL's WKT reader
 * takes (strtod by way of its locale handling). 1 when taken; 0 when GDAL
 * must parse (other WKT, text the parser refuses, or a number it rounds
 * differently from strtod); HEGUI_ENOMEM.
 */
static int polygons_from_wkt(OGRGeometryH *out, const char *wkt, report_geometry *g)
{
    OGRGeometryH multi = NULL, polygon = NULL;
    size_t i;
    *out = NULL;
    if (!polygon_wkt(wkt) || report_wkt_parse(g, wkt) < 0 || g->inexact > 0)
        return 0;
    if (g->part_count == 0)
        return 1;
    if (!(multi = OGR_G_CreateGeometry(wkbMultiPolygon)))
        return hegui_error_set(HEGUI_ENOMEM, "GDAL: out of memory");
    for (i = 0; i < g->part_count; i++) {
        const report_part *part = &g->parts[i];
        OGRGeometryH ring;
        if (part->kind != REPORT_PART_RING || (!part->exterior && !polygon)) {
            OGR_G_DestroyGeometry(multi); /* not a polygon's rings: GDAL decides */
            return 0;
        }
        if (part->exterior) {
            if (!(polygon = OGR_G_CreateGeometry(wkbPolygon)) ||
                OGR_G_AddGeometryDirectly(multi, polygon) != OGRERR_NONE)
                goto nomem;
        }
        if (!(ring = OGR_G_CreateGeometry(wkbLinearRing)))
            goto nomem;
        OGR_G_SetPoints(ring, (int)part->count, g->xy + 2 * part->first, 2 * sizeof(double),
                        g->xy + 2 * part->first + 1, 2 * sizeof(double), NULL, 0);
        if (OGR_G_AddGeometryDirectly(polygon, ring) != OGRERR_NONE)
            goto nomem;
    }
    *out = multi;
    return 1;
nomem:
    OGR_G_DestroyGeometry(multi);
    return hegui_error_set(HEGUI_ENOMEM, "GDAL: out of memory");
}

/*
 * Parses a finding's WKT into the geometry its layer takes: *out is NULL for
 * no geometry (empty WKT or an empty geometry; shape polygon: the family's
 * main layer), else a 2D MultiPolygon, MultiPoint or MultiLineString, with
 * *out_shape set. Free *out with OGR_G_DestroyGeometry. HEGUI_EINTERNAL for
 * WKT that does not parse (hegui wrote it: a bug).
 */
static int finding_geometry(OGRGeometryH *out, int *out_shape, const hegui_finding *f,
                            report_geometry *scratch)
{
    static const OGRwkbGeometryType multi_types[] = {wkbMultiPoint, wkbMultiLineString,
                                                     wkbMultiPolygon};
    static const int shapes[] = {SHAPE_POINT, SHAPE_LINE, SHAPE_POLYGON};
    char *cursor = (char *)f->wkt;
    OGRGeometryH g = NULL, multi = NULL;
    int dim, taken;

    *out = NULL;
    *out_shape = SHAPE_POLYGON;
    if (!f->wkt || !*f->wkt)
        return HEGUI_OK;
    if ((taken = polygons_from_wkt(out, f->wkt, scratch)) != 0)
        return taken < 0 ? taken : HEGUI_OK;
    if (OGR_G_CreateFromWkt(&cursor, NULL, &g) != OGRERR_NONE || !g)
        return hegui_error_set(HEGUI_EINTERNAL,
                               "findings.gpkg: finding %s %s:%lld has a geometry GDAL cannot "
                               "read: %.60s",
                               f->rule, f->layer ? f->layer : "", (long long)f->fid, f->wkt);
    if (OGR_G_IsEmpty(g)) {
        OGR_G_DestroyGeometry(g);
        return HEGUI_OK;
    }
    OGR_G_FlattenTo2D(g);
    dim = OGR_G_GetDimension(g); /* of a collection: its highest part */
    if (dim < 0 || dim > 2)
        dim = 2;
    multi = OGR_G_CreateGeometry(multi_types[dim]);
    if (!multi) {
        OGR_G_DestroyGeometry(g);
        return hegui_error_set(HEGUI_ENOMEM, "GDAL: out of memory");
    }
    collect_parts(multi, g, dim);
    OGR_G_DestroyGeometry(g);
    if (OGR_G_IsEmpty(multi)) {
        OGR_G_DestroyGeometry(multi);
        return HEGUI_OK;
    }
    *out = multi;
    *out_shape = shapes[dim];
    return HEGUI_OK;
}

/* --- the QML style --- */

static void put_option(hegui_buf *buf, const char *indent, const char *name, const char *value)
{
    hegui_buf_printf(buf, "%s<Option name=\"%s\" type=\"QString\" value=\"", indent, name);
    report_put_xml(buf, value, 1);
    hegui_buf_puts(buf, "\"/>\n");
}

/* Severity drives the outline (for lines: the line's width and dashes). */
#define SEVERITY_COLOUR                                                                            \
    "CASE \"severity\" WHEN 'error' THEN '178,24,43,255' WHEN 'warning' THEN '230,97,1,255' "      \
    "ELSE '99,99,99,255' END"
#define SEVERITY_WIDTH                                                                             \
    "CASE \"severity\" WHEN 'error' THEN 0.8 WHEN 'warning' THEN 0.5 ELSE 0.3 END"
#define SEVERITY_LINE_WIDTH                                                                        \
    "CASE \"severity\" WHEN 'error' THEN 1.2 WHEN 'warning' THEN 0.8 ELSE 0.5 END"
#define SEVERITY_STYLE                                                                             \
    "CASE \"severity\" WHEN 'error' THEN 'solid' WHEN 'warning' THEN 'dash' ELSE 'dot' END"

static void put_dd_property(hegui_buf *buf, const char *name, const char *expression)
{
    hegui_buf_printf(buf, "              <Option name=\"%s\" type=\"Map\">\n", name);
    hegui_buf_puts(buf, "                <Option name=\"active\" type=\"bool\" value=\"true\"/>\n");
    put_option(buf, "                ", "expression", expression);
    hegui_buf_puts(buf, "                <Option name=\"type\" type=\"int\" value=\"3\"/>\n"
                        "              </Option>\n");
}

/* One <symbol> for a rule colour and a layer shape. */
static void put_symbol(hegui_buf *buf, size_t index, int shape, const unsigned char rgb[3])
{
    static const char *const symbol_types[SHAPE_COUNT] = {"fill", "marker", "line"};
    static const char *const layer_classes[SHAPE_COUNT] = {"SimpleFill", "SimpleMarker",
                                                           "SimpleLine"};
    char colour[64], fill[64];

    snprintf(colour, sizeof(colour), "%u,%u,%u,255", rgb[0], rgb[1], rgb[2]);
    snprintf(fill, sizeof(fill), "%u,%u,%u,110", rgb[0], rgb[1], rgb[2]);
    hegui_buf_printf(buf,
                     "      <symbol type=\"%s\" name=\"%zu\" alpha=\"1\" clip_to_extent=\"1\" "
                     "force_rhr=\"0\">\n"
                     "        <layer class=\"%s\" enabled=\"1\" locked=\"0\" pass=\"0\">\n"
                     "          <Option type=\"Map\">\n",
                     symbol_types[shape], index, layer_classes[shape]);
    if (shape == SHAPE_POLYGON) {
        put_option(buf, "            ", "color", fill);
        put_option(buf, "            ", "joinstyle", "bevel");
        put_option(buf, "            ", "outline_color", "178,24,43,255");
        put_option(buf, "            ", "outline_style", "solid");
        put_option(buf, "            ", "outline_width", "0.8");
        put_option(buf, "            ", "outline_width_unit", "MM");
        put_option(buf, "            ", "style", "solid");
    } else if (shape == SHAPE_POINT) {
        put_option(buf, "            ", "color", colour);
        put_option(buf, "            ", "name", "circle");
        put_option(buf, "            ", "outline_color", "178,24,43,255");
        put_option(buf, "            ", "outline_style", "solid");
        put_option(buf, "            ", "outline_width", "0.8");
        put_option(buf, "            ", "outline_width_unit", "MM");
        put_option(buf, "            ", "scale_method", "diameter");
        put_option(buf, "            ", "size", "3");
        put_option(buf, "            ", "size_unit", "MM");
    } else {
        put_option(buf, "            ", "capstyle", "round");
        put_option(buf, "            ", "joinstyle", "round");
        put_option(buf, "            ", "line_color", colour);
        put_option(buf, "            ", "line_style", "solid");
        put_option(buf, "            ", "line_width", "1.2");
        put_option(buf, "            ", "line_width_unit", "MM");
    }
    hegui_buf_puts(buf, "          </Option>\n"
                        "          <data_defined_properties>\n"
                        "            <Option type=\"Map\">\n"
                        "              <Option name=\"name\" type=\"QString\" value=\"\"/>\n"
                        "              <Option name=\"properties\" type=\"Map\">\n");
    if (shape != SHAPE_LINE)
        put_dd_property(buf, "outlineColor", SEVERITY_COLOUR);
    put_dd_property(buf, "outlineStyle", SEVERITY_STYLE);
    put_dd_property(buf, "outlineWidth",
                    shape == SHAPE_LINE ? SEVERITY_LINE_WIDTH : SEVERITY_WIDTH);
    hegui_buf_puts(buf, "              </Option>\n"
                        "              <Option name=\"type\" type=\"QString\" "
                        "value=\"collection\"/>\n"
                        "            </Option>\n"
                        "          </data_defined_properties>\n"
                        "        </layer>\n"
                        "      </symbol>\n");
}

/*
 * The QML of a layer: a categorized renderer on "rule" with one category
 * per catalogue rule of the family (fixed colours), severity on the
 * outline. Returned string freed with hegui_free; NULL: HEGUI_ENOMEM.
 */
static char *style_qml(int family, int shape)
{
    hegui_buf buf = HEGUI_BUF_INIT;
    size_t count, i, n;
    const hegui_rule_def *catalogue = hegui_rules_catalogue(&count);
    unsigned char rgb[3];
    char *text;

    hegui_buf_puts(&buf, "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
                         "<qgis version=\"3.28\" styleCategories=\"Symbology\">\n"
                         "  <renderer-v2 type=\"categorizedSymbol\" attr=\"rule\" "
                         "forceraster=\"0\" symbollevels=\"0\" enableorderby=\"0\" "
                         "referencescale=\"-1\">\n"
                         "    <categories>\n");
    for (i = 0, n = 0; i < count; i++) {
        if (rule_family(catalogue[i].id) != family)
            continue;
        hegui_buf_printf(&buf,
                         "      <category render=\"true\" value=\"%s\" symbol=\"%zu\" "
                         "type=\"string\" label=\"",
                         catalogue[i].id, n++);
        report_put_xml(&buf, catalogue[i].id, 1);
        hegui_buf_putc(&buf, ' ');
        report_put_xml(&buf, catalogue[i].title_zh, 1);
        hegui_buf_puts(&buf, " / ");
        report_put_xml(&buf, catalogue[i].title_en, 1);
        hegui_buf_puts(&buf, "\"/>\n");
    }
    hegui_buf_puts(&buf, "    </categories>\n"
                         "    <symbols>\n");
    for (i = 0, n = 0; i < count; i++) {
        if (rule_family(catalogue[i].id) != family)
            continue;
        report_rule_rgb(catalogue[i].id, rgb);
        put_symbol(&buf, n++, shape, rgb);
    }
    hegui_buf_printf(&buf,
                     "    </symbols>\n"
                     "    <rotation/>\n"
                     "    <sizescale/>\n"
                     "  </renderer-v2>\n"
                     "  <layerGeometryType>%d</layerGeometryType>\n"
                     "</qgis>\n",
                     shape_qgis_types[shape]);
    if (buf.failed) {
        hegui_buf_release(&buf);
        return NULL;
    }
    text = hegui_buf_take(&buf);
    return text;
}

/* --- the file --- */

typedef struct gpkg_writer {
    const hegui_run *run;
    GDALDatasetH ds;
    OGRSpatialReferenceH srs;
    OGRLayerH layers[SLOT_COUNT];
    OGRLayerH styles;
    unsigned char *slots; /* per finding: family * SHAPE_COUNT + shape */
    char update_time[32]; /* run->timestamp, "YYYY-MM-DDTHH:MM:SSZ" */
    report_geometry scratch; /* the polygons' WKT parsed, reused finding to finding */
} gpkg_writer;

static void slot_name(char *out, size_t size, int slot)
{
    snprintf(out, size, "%s%s", family_names[slot / SHAPE_COUNT],
             shape_suffixes[slot % SHAPE_COUNT]);
}

/* Decides the layer of every finding (w->slots). */
static int classify(gpkg_writer *w)
{
    size_t i;
    const hegui_findings *list = &w->run->findings;
    w->slots = hegui_malloc(list->count + 1);
    if (!w->slots)
        return HEGUI_ENOMEM;
    for (i = 0; i < list->count; i++) {
        const hegui_finding *f = &list->items[i];
        OGRGeometryH g;
        int shape, rc, family = rule_family(f->rule);
        if (family < 0)
            return hegui_error_set(HEGUI_EINTERNAL,
                                   "findings.gpkg: finding with rule id '%s' belongs to no family",
                                   f->rule ? f->rule : "");
        if (f->wkt && polygon_wkt(f->wkt)) {
            shape = SHAPE_POLYGON;
        } else {
            if ((rc = finding_geometry(&g, &shape, f, &w->scratch)) < 0)
                return rc;
            if (g)
                OGR_G_DestroyGeometry(g);
        }
        w->slots[i] = (unsigned char)(family * SHAPE_COUNT + shape);
    }
    return HEGUI_OK;
}

static int create_layer(gpkg_writer *w, int slot, const gdal_capture *cap)
{
    static const OGRwkbGeometryType types[SHAPE_COUNT] = {wkbMultiPolygon, wkbMultiPoint,
                                                          wkbMultiLineString};
    char name[64], description[256], fid[64], geometry[64];
    char *options[4];
    OGRLayerH layer;
    int i, shape = slot % SHAPE_COUNT;

    slot_name(name, sizeof(name), slot);
    snprintf(fid, sizeof(fid), "FID=%s", FID_COLUMN);
    snprintf(geometry, sizeof(geometry), "GEOMETRY_NAME=%s", GEOMETRY_COLUMN);
    snprintf(description, sizeof(description), "DESCRIPTION=hegui findings: %s rules (%s), %s",
             family_names[slot / SHAPE_COUNT], family_rules[slot / SHAPE_COUNT],
             shape_words[shape]);
    options[0] = fid;
    options[1] = geometry;
    options[2] = description;
    options[3] = NULL;
    layer = GDALDatasetCreateLayer(w->ds, name, w->srs, types[shape], options);
    if (!layer)
        return gdal_failure(cap, "cannot create layer");
    for (i = 0; i < COL_COUNT; i++) {
        OGRFieldDefnH field = OGR_Fld_Create(columns[i].name, columns[i].type);
        OGRErr err = OGR_L_CreateField(layer, field, TRUE);
        OGR_Fld_Destroy(field);
        if (err != OGRERR_NONE)
            return gdal_failure(cap, "cannot create a field");
    }
    /* GDAL defers the CREATE TABLE to the first feature; creating it now
     * keeps the layers (gpkg_contents) in the documented order */
    if (OGR_L_SyncToDisk(layer) != OGRERR_NONE)
        return gdal_failure(cap, "cannot create layer");
    w->layers[slot] = layer;
    return HEGUI_OK;
}

/* layer_styles as QGIS creates it (qgsogrprovider.cpp, saveStyle). */
static int create_styles_layer(gpkg_writer *w, const gdal_capture *cap)
{
    static const struct {
        const char *name;
        OGRFieldType type;
        int width;
        int boolean;
    } fields[] = {
        {"f_table_catalog", OFTString, 256, 0},
        {"f_table_schema", OFTString, 256, 0},
        {"f_table_name", OFTString, 256, 0},
        {"f_geometry_column", OFTString, 256, 0},
        {"styleName", OFTString, 30, 0},
        {"styleQML", OFTString, 0, 0},
        {"styleSLD", OFTString, 0, 0},
        {"useAsDefault", OFTInteger, 0, 1},
        {"description", OFTString, 0, 0},
        {"owner", OFTString, 30, 0},
        {"ui", OFTString, 30, 0},
        {"update_time", OFTDateTime, 0, 0},
    };
    char fid[] = "FID=id";
    char *options[] = {fid, NULL};
    size_t i;

    w->styles = GDALDatasetCreateLayer(w->ds, "layer_styles", NULL, wkbNone, options);
    if (!w->styles)
        return gdal_failure(cap, "cannot create layer_styles");
    for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        OGRFieldDefnH field = OGR_Fld_Create(fields[i].name, fields[i].type);
        OGRErr err;
        if (fields[i].width)
            OGR_Fld_SetWidth(field, fields[i].width);
        if (fields[i].boolean)
            OGR_Fld_SetSubType(field, OFSTBoolean);
        if (fields[i].type == OFTDateTime)
            OGR_Fld_SetDefault(field, "CURRENT_TIMESTAMP");
        err = OGR_L_CreateField(w->styles, field, TRUE);
        OGR_Fld_Destroy(field);
        if (err != OGRERR_NONE)
            return gdal_failure(cap, "cannot create a field of layer_styles");
    }
    if (OGR_L_SyncToDisk(w->styles) != OGRERR_NONE)
        return gdal_failure(cap, "cannot create layer_styles");
    return HEGUI_OK;
}

static int write_style(gpkg_writer *w, int slot, const gdal_capture *cap)
{
    int rc = HEGUI_OK;
    char name[64], description[200];
    char *qml = NULL;
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(w->styles);
    OGRFeatureH feature = NULL;
    int year, month, day, hour, minute, second;

    qml = style_qml(slot / SHAPE_COUNT, slot % SHAPE_COUNT);
    if (!qml) {
        rc = HEGUI_ENOMEM;
        goto done;
    }
    slot_name(name, sizeof(name), slot);
    snprintf(description, sizeof(description),
             "hegui: colour by rule, outline by severity (error solid, warning dashed, info "
             "dotted)");
    feature = OGR_F_Create(defn);
    if (!feature) {
        rc = hegui_error_set(HEGUI_ENOMEM, "GDAL: out of memory");
        goto done;
    }
    OGR_F_SetFieldString(feature, OGR_FD_GetFieldIndex(defn, "f_table_catalog"), "");
    OGR_F_SetFieldString(feature, OGR_FD_GetFieldIndex(defn, "f_table_schema"), "");
    OGR_F_SetFieldString(feature, OGR_FD_GetFieldIndex(defn, "f_table_name"), name);
    OGR_F_SetFieldString(feature, OGR_FD_GetFieldIndex(defn, "f_geometry_column"), GEOMETRY_COLUMN);
    OGR_F_SetFieldString(feature, OGR_FD_GetFieldIndex(defn, "styleName"), name);
    OGR_F_SetFieldString(feature, OGR_FD_GetFieldIndex(defn, "styleQML"), qml);
    OGR_F_SetFieldString(feature, OGR_FD_GetFieldIndex(defn, "styleSLD"), "");
    OGR_F_SetFieldInteger(feature, OGR_FD_GetFieldIndex(defn, "useAsDefault"), 1);
    OGR_F_SetFieldString(feature, OGR_FD_GetFieldIndex(defn, "description"), description);
    OGR_F_SetFieldString(feature, OGR_FD_GetFieldIndex(defn, "owner"), "");
    if (sscanf(w->update_time, "%d-%d-%dT%d:%d:%d", &year, &month, &day, &hour, &minute, &second) !=
        6) {
        rc = hegui_error_set(HEGUI_EINTERNAL, "findings.gpkg: bad timestamp %s", w->update_time);
        goto done;
    }
    OGR_F_SetFieldDateTimeEx(feature, OGR_FD_GetFieldIndex(defn, "update_time"), year, month, day,
                             hour, minute, (float)second, 100 /* UTC */);
    if (OGR_L_CreateFeature(w->styles, feature) != OGRERR_NONE)
        rc = gdal_failure(cap, "cannot write layer_styles");

done:
    if (feature)
        OGR_F_Destroy(feature);
    hegui_free(qml);
    return rc;
}

static int write_finding(gpkg_writer *w, size_t index, const gdal_capture *cap)
{
    int rc = HEGUI_OK, shape;
    const hegui_finding *f = &w->run->findings.items[index];
    OGRLayerH layer = w->layers[w->slots[index]];
    OGRFeatureH feature = NULL;
    OGRGeometryH g = NULL;

    feature = OGR_F_Create(OGR_L_GetLayerDefn(layer));
    if (!feature)
        return hegui_error_set(HEGUI_ENOMEM, "GDAL: out of memory");
    OGR_F_SetFID(feature, (GIntBig)index + 1);
    if ((rc = set_text(feature, COL_RULE, f->rule)) < 0 ||
        (rc = set_text(feature, COL_SEVERITY, hegui_severity_name(f->severity))) < 0 ||
        (rc = set_text(feature, COL_ZONE_CODE, f->zone_code)) < 0 ||
        (rc = set_text(feature, COL_ZONE_NAME, f->zone_name)) < 0 ||
        (rc = set_text(feature, COL_BLOCK, f->block)) < 0 ||
        (rc = set_text(feature, COL_LAYER, f->layer)) < 0 ||
        (rc = set_text(feature, COL_LAYER_PATH, f->layer_path)) < 0 ||
        (rc = set_text(feature, COL_OTHER_LAYER, f->other_layer)) < 0 ||
        (rc = set_text(feature, COL_SUBJECT_ATTRS, f->subject_attrs)) < 0 ||
        (rc = set_text(feature, COL_OTHER_ATTRS, f->other_attrs)) < 0 ||
        (rc = set_text(feature, COL_MESSAGE_ZH, f->message_zh)) < 0 ||
        (rc = set_text(feature, COL_MESSAGE_EN, f->message_en)) < 0)
        goto done;
    set_fid(feature, COL_FID, f->fid);
    set_fid(feature, COL_OTHER_FID, f->other_fid);
    if (f->has_area) {
        if ((rc = set_area(feature, COL_AREA_M2, f->area_m2, 2, f)) < 0 ||
            (rc = set_area(feature, COL_AREA_HA, hegui_area_ha(f->area_m2), 4, f)) < 0 ||
            (rc = set_area(feature, COL_AREA_MU, hegui_area_mu(f->area_m2), 2, f)) < 0 ||
            (rc = set_area(feature, COL_AREA_ELLIPSOIDAL_M2, f->area_ellipsoidal_m2, 2, f)) < 0)
            goto done;
    } else {
        OGR_F_SetFieldNull(feature, COL_AREA_M2);
        OGR_F_SetFieldNull(feature, COL_AREA_HA);
        OGR_F_SetFieldNull(feature, COL_AREA_MU);
        OGR_F_SetFieldNull(feature, COL_AREA_ELLIPSOIDAL_M2);
    }
    if (isfinite(f->share_of_zone) && f->share_of_zone >= 0)
        OGR_F_SetFieldDouble(feature, COL_SHARE_OF_ZONE, rounded(f->share_of_zone, 6));
    else
        OGR_F_SetFieldNull(feature, COL_SHARE_OF_ZONE);

    if ((rc = finding_geometry(&g, &shape, f, &w->scratch)) < 0)
        goto done;
    if (g) {
        OGR_F_SetGeometryDirectly(feature, g); /* owned by the feature now */
        g = NULL;
    }
    if (OGR_L_CreateFeature(layer, feature) != OGRERR_NONE)
        rc = gdal_failure(cap, "cannot write a feature");

done:
    if (g)
        OGR_G_DestroyGeometry(g);
    OGR_F_Destroy(feature);
    return rc;
}

/* Creates the file and writes everything; w->ds is closed by the caller. */
static int write_dataset(gpkg_writer *w, const char *path, gdal_capture *cap)
{
    int rc = HEGUI_OK, slot, family;
    int need[SLOT_COUNT];
    size_t i;
    GDALDriverH driver;

    if ((rc = classify(w)) < 0)
        return rc;
    memset(need, 0, sizeof(need));
    need[FAMILY_SURVEY * SHAPE_COUNT + SHAPE_POLYGON] = 1;
    if (w->run->command && strcmp(w->run->command, "check") == 0)
        need[FAMILY_CONFLICT * SHAPE_COUNT + SHAPE_POLYGON] = 1;
    for (i = 0; i < w->run->findings.count; i++)
        need[w->slots[i]] = 1;

    driver = GDALGetDriverByName("GPKG");
    if (!driver) {
        GDALAllRegister();
        driver = GDALGetDriverByName("GPKG");
    }
    if (!driver)
        return hegui_error_set(HEGUI_EOUTPUT, "GDAL has no GPKG driver");
    w->ds = GDALCreate(driver, path, 0, 0, 0, GDT_Unknown, NULL);
    if (!w->ds)
        return gdal_failure(cap, "cannot create the GeoPackage");

    w->srs = OSRNewSpatialReference(NULL);
    if (!w->srs)
        return hegui_error_set(HEGUI_ENOMEM, "GDAL: out of memory");
    if (w->run->working_crs.epsg > 0) {
        if (OSRImportFromEPSG(w->srs, w->run->working_crs.epsg) != OGRERR_NONE)
            return hegui_error_set(HEGUI_EINTERNAL, "findings.gpkg: PROJ does not know EPSG:%d",
                                   w->run->working_crs.epsg);
    } else {
        /* GDAL maps this name to the GeoPackage's srs_id -1; with no CRS at
         * all it would write srs_id 0, "Undefined geographic SRS" */
        if (OSRSetLocalCS(w->srs, "Undefined Cartesian SRS") != OGRERR_NONE ||
            OSRSetLinearUnits(w->srs, SRS_UL_METER, 1.0) != OGRERR_NONE)
            return gdal_failure(cap, "cannot describe an undefined CRS");
    }
    OSRSetAxisMappingStrategy(w->srs, OAMS_TRADITIONAL_GIS_ORDER);
    for (family = 0; family < FAMILY_COUNT; family++) {
        for (slot = family * SHAPE_COUNT; slot < (family + 1) * SHAPE_COUNT; slot++) {
            if (need[slot] && (rc = create_layer(w, slot, cap)) < 0)
                return rc;
        }
    }
    if ((rc = create_styles_layer(w, cap)) < 0)
        return rc;

    if (GDALDatasetStartTransaction(w->ds, FALSE) != OGRERR_NONE)
        return gdal_failure(cap, "cannot start a transaction");
    for (i = 0; i < w->run->findings.count; i++) {
        if ((rc = write_finding(w, i, cap)) < 0)
            return rc; /* the transaction is rolled back when the file closes */
    }
    for (slot = 0; slot < SLOT_COUNT; slot++) {
        if (w->layers[slot] && (rc = write_style(w, slot, cap)) < 0)
            return rc;
    }
    if (GDALDatasetCommitTransaction(w->ds) != OGRERR_NONE)
        return gdal_failure(cap, "cannot commit");
    return HEGUI_OK;
}

/* GDAL options set on this thread for the write, and restored after. */
typedef struct thread_option {
    const char *key;
    char *saved; /* the thread's own value before, or NULL */
    bool had;
} thread_option;

static int set_thread_option(thread_option *o, const char *key, const char *value)
{
    const char *previous = CPLGetThreadLocalConfigOption(key, NULL);
    o->key = key;
    o->had = previous != NULL;
    o->saved = NULL;
    if (previous && !(o->saved = hegui_strdup(previous)))
        return HEGUI_ENOMEM;
    CPLSetThreadLocalConfigOption(key, value);
    return HEGUI_OK;
}

static void restore_thread_option(thread_option *o)
{
    if (!o->key)
        return;
    CPLSetThreadLocalConfigOption(o->key, o->had ? o->saved : NULL);
    hegui_free(o->saved);
    o->key = NULL;
}

int report_gpkg_write_path(const char *path, const hegui_run *run,
                           const hegui_report_options *options)
{
    int rc = HEGUI_OK;
    gpkg_writer w;
    gdal_capture cap;
    char when[32], current_date[40];
    thread_option date, rtree;

    (void)options; /* the same file in every language: both messages */
    memset(&w, 0, sizeof(w));
    memset(&cap, 0, sizeof(cap));
    memset(&date, 0, sizeof(date));
    memset(&rtree, 0, sizeof(rtree));
    w.run = run;
    if (!path || !run)
        return hegui_error_set(HEGUI_EINVAL, "report_gpkg_write_path: NULL argument");

    /* gpkg_contents.last_change comes from OGR_CURRENT_DATE: the run's time */
    report_format_utc(when, sizeof(when), run->timestamp);
    snprintf(w.update_time, sizeof(w.update_time), "%s", when);
    snprintf(current_date, sizeof(current_date), "%.19s.000Z", when);
    /* GDAL 3.6 fills a new layer's R-tree on a thread of its own, and when
     * the file closes after the features' transaction it writes what that
     * thread holds one row, one commit (journal created and deleted) at a
     * time: 38 486 journals at 10^6 (strace -c), 3 of the 4.9 s of writing
     * the bench's findings. Without it, GDAL builds each R-tree in one statement when
     * the file closes: the same rows. */
    if ((rc = set_thread_option(&date, "OGR_CURRENT_DATE", current_date)) < 0 ||
        (rc = set_thread_option(&rtree, "OGR_GPKG_ALLOW_THREADED_RTREE", "NO")) < 0) {
        restore_thread_option(&rtree);
        restore_thread_option(&date);
        return rc;
    }
    CPLPushErrorHandlerEx(capture_handler, &cap);

    rc = write_dataset(&w, path, &cap);

    if (w.ds) {
        GDALClose(w.ds); /* builds the spatial indexes; failures reach cap */
        w.ds = NULL;
    }
    if (w.srs)
        OSRDestroySpatialReference(w.srs);
    CPLPopErrorHandler();
    restore_thread_option(&rtree);
    restore_thread_option(&date);
    if (rc == HEGUI_OK && cap.errors > 0)
        rc = gdal_failure(&cap, "GDAL failed while writing the GeoPackage");
    hegui_free(w.slots);
    report_geometry_release(&w.scratch);
    return rc;
}

int report_gpkg_write(FILE *out, const hegui_run *run, const hegui_report_options *options)
{
    static const char *const side_suffixes[] = {"", "-journal", "-wal", "-shm"};
    int rc;
    char name[96], side[128];
    vsi_l_offset size = 0;
    GByte *data;
    size_t i;
    gdal_capture cap;

    /* a name no other thread uses at the same time: this frame's address */
    snprintf(name, sizeof(name), "/vsimem/hegui-findings-%p.gpkg", (void *)name);
    rc = report_gpkg_write_path(name, run, options);
    if (rc == HEGUI_OK) {
        data = VSIGetMemFileBuffer(name, &size, FALSE);
        if (!data)
            rc = hegui_error_set(HEGUI_EOUTPUT, "GDAL lost the in-memory GeoPackage");
        else if (size > 0 && fwrite(data, 1, (size_t)size, out) != (size_t)size)
            rc = hegui_error_set(HEGUI_EOUTPUT, "write error: %s", strerror(errno));
    }
    memset(&cap, 0, sizeof(cap));
    CPLPushErrorHandlerEx(capture_handler, &cap); /* unlinking absent names is fine */
    for (i = 0; i < sizeof(side_suffixes) / sizeof(side_suffixes[0]); i++) {
        snprintf(side, sizeof(side), "%s%s", name, side_suffixes[i]);
        VSIUnlink(side);
    }
    CPLPopErrorHandler();
    return rc;
}
