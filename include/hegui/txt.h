/*
 * hegui/txt.h - the boundary-point coordinate file (界址点坐标交换格式,
 * DOMAIN.md section 4): a parser that is safe on any bytes, and a writer.
 *
 * The parser is hand-written and bounded: it never reads past the end of
 * its input, never recurses on it, and turns every departure from the
 * format into a problem (line, severity, message in Chinese and English)
 * instead of failing; only allocation failure is an error. What it hands
 * back is plain data: the key=value items of every section, the CRS derived
 * from [属性描述] and the coordinates themselves (the coordinates win when
 * the two disagree), and the parcels with their rings in easting, northing
 * order, closed, and classified into shells and holes by containment.
 *
 * The catalog turns a parsed file into a layer like any other (role
 * `zones` by default; see README.md "Boundary-point TXT" for its fields),
 * and rule S07 reports its problems. No GDAL types appear here.
 */
#ifndef HEGUI_TXT_H
#define HEGUI_TXT_H

#include <stdbool.h>
#include <stddef.h>

#include "hegui/common.h"
#include "hegui/config.h"
#include "hegui/crs.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One departure from the format. Strings owned by the hegui_txt. */
typedef struct hegui_txt_problem {
    int line;                /**< 1-based line of the file; 0 = the file as a whole */
    long parcel;             /**< index of the parcel it concerns; -1 for none */
    hegui_severity severity; /**< error, warning or info */
    char *message_zh;
    char *message_en;
} hegui_txt_problem;

/** A key=value line of a section ([属性描述], [项目信息], …). Owned strings. */
typedef struct hegui_txt_item {
    char *section; /**< section name without brackets, e.g. "属性描述" */
    char *key;     /**< trimmed key */
    char *value;   /**< trimmed value, "" when empty */
    int line;
} hegui_txt_item;

/** One ring of a parcel. */
typedef struct hegui_txt_ring {
    double *coords;      /**< easting, northing pairs (metres); closed: last == first. Owned */
    size_t point_count;  /**< pairs in coords, the closing point included (>= 4) */
    int ring_number;     /**< 圈号 as written */
    int line;            /**< line of the ring's first point */
    bool closed_on_read; /**< the file did not repeat the first point; hegui did */
    bool hole;           /**< inside an odd number of the parcel's other rings */
    size_t shell;        /**< a hole: index of the ring directly containing it;
                              a shell: its own index */
    double area_m2;      /**< planar area, positive */
} hegui_txt_ring;

/** One parcel (地块): a header line ending in @ and its point lines. */
typedef struct hegui_txt_parcel {
    int line;             /**< line of the header */
    long declared_points; /**< 界址点数 as written; -1 when missing or not a number */
    bool has_area;        /**< 地块面积 was given as a number */
    double declared_area; /**< 地块面积 as written */
    double area_ha;       /**< 地块面积 in 公顷 (declared_area / 10000 when it was
                               written in m2, see area_in_m2) */
    bool area_in_m2;      /**< the declared area matches the coordinates in m2 */
    char *id;             /**< 地块编号 ("" when empty); owned like every string here */
    char *name;           /**< 地块名称 */
    char *shape;          /**< 图形属性 (面 / 线 / 点) */
    char *sheet;          /**< 图幅号 */
    char *use;            /**< 地块用途 */
    char *land_class;     /**< 地类编码 */
    char **extra;         /**< header fields after the eighth, before the @ */
    size_t extra_count;
    size_t point_lines;    /**< point lines read for this parcel (valid ones) */
    hegui_txt_ring *rings; /**< rings with at least 4 points, in file order */
    size_t ring_count;
    double area_m2; /**< planar area: shells minus holes */
} hegui_txt_parcel;

/** A parsed boundary-point file. Free with hegui_txt_free(). */
typedef struct hegui_txt {
    char *encoding;     /**< "UTF-8" or "GB18030" */
    bool bom;           /**< the UTF-8 text began with a byte-order mark */
    size_t undecodable; /**< bytes that were replaced by U+FFFD */
    size_t line_count;
    bool has_attributes;   /**< a [属性描述] section was present */
    bool has_parcels;      /**< a [地块坐标] section was present */
    hegui_txt_item *items; /**< key=value items of every section, in file order */
    size_t item_count;
    hegui_datum datum; /**< from 坐标系 (CGCS2000 when missing) */
    int gk_width;      /**< 3 or 6; 0 when unknown */
    int zone;          /**< GK zone (the eastings' prefix wins over 带号); 0 unknown */
    bool prefixed;     /**< eastings carry the zone number */
    int epsg;          /**< EPSG code of the CRS; 0 when it cannot be derived */
    bool axes_swapped; /**< X and Y were exchanged in the file (fixed on read) */
    double precision;  /**< 精度 (metres); 0 when not given */
    hegui_txt_parcel *parcels;
    size_t parcel_count;
    hegui_txt_problem *problems; /**< in the order found */
    size_t problem_count;
} hegui_txt;

/**
 * Parses size bytes at data (any bytes: UTF-8 with or without a BOM, else
 * GB18030; CRLF or LF). Problems of the content are recorded in
 * (*out)->problems, never returned as errors; the only error is
 * HEGUI_ENOMEM. Free *out with hegui_txt_free().
 */
int hegui_txt_parse(hegui_txt **out, const char *data, size_t size);

/**
 * Reads and parses the file at path. HEGUI_EINPUT when it cannot be read
 * (or exceeds 512 MiB). Free *out with hegui_txt_free().
 */
int hegui_txt_read(hegui_txt **out, const char *path);

/** Frees a parsed file. NULL is allowed. */
void hegui_txt_free(hegui_txt *txt);

/**
 * True when the first bytes of a file (size of them) look like a
 * boundary-point TXT: they hold "[地块坐标]" or "[属性描述]" in UTF-8 or
 * GB18030.
 */
bool hegui_txt_sniff(const char *data, size_t size);

/** Value of the first item named key in any section, or NULL. Borrowed. */
const char *hegui_txt_value(const hegui_txt *txt, const char *key);

/** Options of hegui_txt_write_layer(). Zero-initialise for the defaults. */
typedef struct hegui_txt_write_options {
    int zone;             /**< GK zone to write in: 25-45 a 3-degree zone, 13-23 a
                               6-degree zone; 0 = the layer's own zone, else the
                               3-degree zone of its centre */
    int precision;        /**< decimals of the coordinates, 0-9; negative = 3 */
    const char *encoding; /**< "UTF-8" (NULL) or "GBK" (written as GB18030, its superset) */
    bool computed_area;   /**< write the area computed from the coordinates even when
                               the layer declares one (DKMJ, QKMJ, 地块面积) */
    long long timestamp;  /**< 数据产生日期, seconds since 1970 */
} hegui_txt_write_options;

/** What hegui_txt_write_layer() wrote. */
typedef struct hegui_txt_write_result {
    size_t parcels;   /**< parcels written */
    size_t skipped;   /**< features without a polygon, not written */
    int epsg;         /**< EPSG code of the coordinates written */
    char notes[1024]; /**< attributes that could not be written ("" when none) */
} hegui_txt_write_result;

struct hegui_layer_info;

/**
 * Writes the polygons of a catalog layer as a boundary-point TXT file at
 * path: [属性描述] with the CRS (zone-prefixed eastings), [项目信息] with
 * the zone attributes the features share (开发区代码, 开发区名称, 核准面积,
 * 主导产业 as the union of the features', 级别), and one parcel per feature:
 * 界址点数 counting every point line, 地块面积 in 公顷 with 4 decimals, ring
 * number 1 for shells and 2, 3, … for holes, closing points written. The
 * file is written atomically (temporary file, then rename).
 * HEGUI_EOUTPUT when it cannot be written, HEGUI_ECRS when no
 * Gauss-Kruger CRS fits. result may be NULL.
 */
int hegui_txt_write_layer(hegui_txt_write_result *result, const struct hegui_layer_info *layer,
                          const char *path, const hegui_txt_write_options *options);

/**
 * Copies a catalog layer (a boundary-point TXT or any other) into a new
 * GDAL vector dataset at path. format is a GDAL driver short name, or NULL
 * to choose it by the extension of path (.gpkg, .shp, .geojson, .fgb, .kml,
 * .csv, .gml, .tab, .sqlite, .gdb). The copy keeps the layer's CRS, also
 * one assigned with -s_srs (the source has none); t_srs, when not NULL,
 * reprojects it into that CRS. HEGUI_EINVAL for an unknown format or an
 * existing path (unless overwrite), HEGUI_ECRS for a t_srs PROJ does not
 * know, HEGUI_EOUTPUT when GDAL fails.
 */
int hegui_io_export_layer(const struct hegui_layer_info *layer, const char *path,
                          const char *format, bool overwrite, const char *t_srs);

#ifdef __cplusplus
}
#endif
#endif
