/*
 * hegui/io.h - reading the inputs: datasets, layers, their roles, CRS and
 * text encodings (the catalog), and streaming their features as WKB in the
 * working CRS (the reader).
 *
 * Everything is opened read-only through GDAL with an allow-list of vector
 * drivers; nothing is ever written beside an input. GDAL's own messages are
 * captured per layer and folded into hegui's errors; a layer that GDAL
 * could not read completely is an error (HEGUI_EINPUT), never a silent
 * partial read. GDAL types do not appear in this header.
 */
#ifndef HEGUI_IO_H
#define HEGUI_IO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hegui/common.h"
#include "hegui/config.h"
#include "hegui/crs.h"
#include "hegui/role.h"
#include "hegui/txt.h"

#ifdef __cplusplus
extern "C" {
#endif

/** How inputs are opened. Zero-initialise for the defaults. */
typedef struct hegui_open_options {
    const char *input_encoding; /**< "auto" (NULL) or an encoding for shapefiles */
    const char *assign_srs;     /**< CRS for every layer without one (-s_srs) */
    int recursive;              /**< descend into sub-folders (-r) */
    const char *const *open_options; /**< NULL-terminated NAME=VALUE list (-oo) */
    int threads;                /**< threads reading layers in full (0: the number of cores) */
    int64_t split_bytes;        /**< files this large are read in parts by those threads
                                     (0: 16 MiB) */
    int hash;                   /**< start hashing the datasets (SHA-256) on a thread at idle
                                     priority before the layers are read, for a check's list
                                     of inputs (hegui_catalog.hashing) */
} hegui_open_options;

/** One layer found in the inputs. All strings owned by the catalog. */
typedef struct hegui_layer_info {
    char *path;          /**< dataset path as given or found; a connection string's
                              password masked ("password=***") */
    char *layer_name;    /**< layer name inside the dataset */
    char *driver;        /**< GDAL driver short name */
    char *geometry_type; /**< "Polygon", "MultiPolygon", "Point", "None", … */
    int64_t feature_count;
    bool has_crs;        /**< a CRS was declared or assigned */
    bool crs_assigned;   /**< the CRS comes from -s_srs or the rules file */
    hegui_crs_info crs;
    char *crs_wkt;       /**< WKT of the layer's CRS (NULL when none) */
    bool has_extent;
    double extent[4];    /**< xmin, ymin, xmax, ymax in the layer's CRS */
    hegui_coord_check coord_check;
    hegui_role role;
    char *role_reason;   /**< why this role ("layer name contains YJJBNT") */
    hegui_role overruled_role; /**< the single-layer role detection gave this layer when the
                                    rules file names that role's layer (role is then none),
                                    else HEGUI_ROLE_NONE */
    char *label;         /**< display label (rules file), or NULL */
    char *encoding;      /**< text encoding read with ("UTF-8", "CP936", …) */
    char *encoding_note; /**< how the encoding was decided */
    char **fields;       /**< attribute field names, UTF-8 */
    bool *field_numeric; /**< per field: stored as a number (integer or real), so a
                              code's leading zero is lost ("0301" reads "301") */
    size_t field_count;
    int64_t null_geometries;     /**< features without geometry */
    int64_t empty_geometries;    /**< features with an empty geometry */
    int64_t nonfinite_geometries;/**< features with NaN/Inf coordinates */
    int64_t curved_geometries;   /**< features with arcs (curve types), read as polylines */
    int64_t bad_strings;         /**< attribute values with invalid UTF-8 */
    int64_t deleted_records;     /**< Shapefile: records marked deleted in the .dbf, not
                                      features (skipped, as GDAL and QGIS do) */
    bool spatial_index_stale;    /**< Shapefile: its .qix (or .sbn) no longer matches the
                                      .shp (older, or other records); GeoPackage: its R-tree
                                      lists another number of features than have a
                                      geometry. Not used: no spatial filter */
    int64_t geometry_bytes;      /**< ISO WKB bytes of all geometries (sizes batches) */
    int read_parts;              /**< parts the full read was split into (1: read whole) */
    int64_t read_streamed;       /**< features the full read took from OGR's Arrow stream
                                      (GeoPackage layers of small features), not one by one */
    const hegui_layer_spec *spec;/**< rules-file entry, or NULL (borrowed) */
    char *open_option;           /**< dataset open option to reuse, or NULL */
    char *gdal_path;             /**< where GDAL opens the layer when that is not path (the
                                      in-memory copy of a boundary-point TXT; a connection
                                      string with a password, which path shows masked), or NULL */
    hegui_txt_problem *txt_problems; /**< format problems of a boundary-point TXT (S07) */
    size_t txt_problem_count;
} hegui_layer_info;

/** Everything found in the inputs, sorted by path then layer name. */
struct hegui_io_hash;

typedef struct hegui_catalog {
    hegui_layer_info *layers;
    size_t count;
    char **notes;        /**< warnings for the user (ambiguous roles, skipped files) */
    size_t note_count;
    struct hegui_io_hash *hashing; /**< the datasets being hashed (hegui_open_options.hash),
                                        which a check finishes; NULL: none. Opaque */
} hegui_catalog;

/**
 * Opens every input (files, folders, "PG:" connection strings) and every
 * layer named in config (may be NULL), reads each layer completely once
 * (counting features, NULL/empty/non-finite geometries and bad strings),
 * detects roles, encodings and CRS contradictions.
 *
 * Fails with HEGUI_EINPUT naming the file (and feature) when a dataset cannot
 * be opened or read completely, HEGUI_ENOTFOUND for a missing path, and
 * HEGUI_ECRS for a layer with geometry but no CRS (unless assigned).
 * Free *out with hegui_catalog_free().
 */
int hegui_catalog_scan(hegui_catalog **out, const char *const *paths, size_t path_count,
                       const hegui_open_options *options, const hegui_config *config);
void hegui_catalog_free(hegui_catalog *catalog);

/**
 * The working CRS of a catalog (DESIGN.md section 2): config->working_crs if
 * set, else the projected CRS of the zones layers, else the CGCS2000 3-degree
 * GK zone (no prefix) containing the zones' centre. *out_reason says which
 * (static string). HEGUI_ECRS when no CRS can be derived.
 */
int hegui_catalog_working_crs(hegui_crs_info *out, const char **out_reason,
                              const hegui_catalog *catalog, const hegui_config *config);

/** Feature problems found while reading (bit set). */
enum {
    HEGUI_FEATURE_NULL_GEOMETRY = 1u << 0,
    HEGUI_FEATURE_EMPTY_GEOMETRY = 1u << 1,
    HEGUI_FEATURE_NONFINITE = 1u << 2,
    HEGUI_FEATURE_BAD_UTF8 = 1u << 3,
    HEGUI_FEATURE_FAR = 1u << 4 /**< a focused reader found it near no focus box: no wkb or values */
};

/** One feature as read: geometry as ISO WKB in the working CRS. */
typedef struct hegui_feature {
    int64_t fid;
    const unsigned char *wkb; /**< NULL for a NULL geometry; owned by the reader, valid
                                   until the next read */
    size_t wkb_size;
    char **values;       /**< requested fields as UTF-8 text, NULL = null value */
    size_t value_count;
    unsigned problems;   /**< HEGUI_FEATURE_* bits */
} hegui_feature;

typedef struct hegui_reader hegui_reader;

/**
 * Opens a reader on a catalog layer. fields: names of the attribute fields
 * to read (NULL-able entries for absent ones), target_epsg: the working CRS
 * (0 = keep the layer's CRS), filter: optional xmin, ymin, xmax, ymax in the
 * working CRS (NULL = all features), a hint: features outside it may still
 * come (it is not applied when it covers half the layer's extent or more,
 * where a plain scan is faster). Free with hegui_reader_close().
 */
int hegui_reader_open(hegui_reader **out, const hegui_layer_info *layer,
                      const char *const *fields, size_t field_count, int target_epsg,
                      const double *filter);
/**
 * Next feature into *feature (valid until the next call). Returns 1 when a
 * feature was read, 0 at the end, or a negative code (HEGUI_EINPUT naming
 * the file and feature when GDAL reported an error).
 */
int hegui_reader_next(hegui_reader *reader, hegui_feature *feature);
/** Number of features read so far. */
int64_t hegui_reader_count(const hegui_reader *reader);
/** Closes the reader. NULL is allowed. */
void hegui_reader_close(hegui_reader *reader);

/** Versions of the libraries, e.g. "3.6.2". Static storage. */
const char *hegui_io_gdal_version(void);
const char *hegui_io_proj_version(void);

#ifdef __cplusplus
}
#endif
#endif

/* hegui/io.h continued: process-wide GDAL settings. */
#ifndef HEGUI_IO_SETTINGS_H
#define HEGUI_IO_SETTINGS_H
#ifdef __cplusplus
extern "C" {
#endif
/**
 * Where GDAL's messages go that no capture of hegui's takes: those GDAL
 * gives on its own threads (a GeoPackage Arrow stream's reading thread, on
 * a damaged page) or outside hegui's calls. Each is written to stream as
 * one line "<prefix>: GDAL error: <message>" (or "GDAL warning"), in
 * place of GDAL's "ERROR 1: …"; debug messages stay GDAL's. stream NULL
 * gives GDAL's own handler back. Process-wide; for programs, not
 * libraries.
 */
void hegui_io_messages_to(FILE *stream, const char *prefix);

/**
 * Sets a GDAL configuration option (--config KEY VALUE). Options that make
 * GDAL write beside the inputs (SHAPE_RESTORE_SHX …) are refused with
 * HEGUI_EINVAL.
 */
int hegui_io_set_config_option(const char *key, const char *value);
#ifdef __cplusplus
}
#endif
#endif

/* hegui/io.h continued: layer geography and input hashes. */
#ifndef HEGUI_IO_EXTRA_H
#define HEGUI_IO_EXTRA_H
#ifdef __cplusplus
extern "C" {
#endif
/**
 * Longitude range (degrees) of a layer's extent, through its CRS (or the
 * CRS its coordinates suggest when they contradict the declared one).
 */
int hegui_layer_lon_range(double *out_min, double *out_max, const hegui_layer_info *layer);
/**
 * The EPSG code the layer's coordinates are read in: its own CRS, or the
 * suggested one when the coordinates contradict it (S04 reports that).
 * 0 when unknown.
 */
int hegui_layer_effective_epsg(const hegui_layer_info *layer);
/**
 * SHA-256 (lower-case hex, 64 characters + NUL) of a dataset: the file's
 * bytes, and for a shapefile the .shp, .shx, .dbf, .prj and .cpg in that
 * order. "" for connection strings.
 */
int hegui_io_sha256(char out_hex[65], const char *path);
#ifdef __cplusplus
}
#endif
#endif

/* hegui/io.h continued: reading without transforming, and transforming in
 * worker threads. */
#ifndef HEGUI_IO_TRANSFORM_H
#define HEGUI_IO_TRANSFORM_H
#ifdef __cplusplus
extern "C" {
#endif
/**
 * As hegui_reader_open, but the WKB stays in the layer's own coordinates
 * (as stored: no axis swap, no reprojection) so that the expensive
 * transformation can run on worker threads with hegui_transform_wkb().
 * filter is in EPSG:filter_epsg (the working CRS) as for hegui_reader_open.
 */
int hegui_reader_open_native(hegui_reader **out, const hegui_layer_info *layer,
                             const char *const *fields, size_t field_count, int filter_epsg,
                             const double *filter);

typedef struct hegui_transform hegui_transform;

/** Gives a native reader a focus (hegui_transform_focus, borrowed): a
 *  feature whose envelope cannot meet it comes with its FID but without WKB
 *  or values, flagged HEGUI_FEATURE_FAR, which spares the geometry's export
 *  and copy and the decoding of its attributes. */
void hegui_reader_set_focus(hegui_reader *r, const hegui_transform *focus);

/** Reads a native reader's layer near boxes only instead of in one pass:
 *  boxes (xmin, ymin, xmax, ymax in the working CRS, count of them); each
 *  feature whose geometry meets one is handed out once. For a large layer
 *  of which only the parts near a few boxes matter, this spares reading
 *  every feature far from them. Taken before the first feature, given two
 *  boxes or more, by a layer read feature by feature (not through the
 *  Arrow stream) with a spatial index the catalog found sound:
 *  - a Shapefile with a .qix or .sbn and at least 16 features per box: with
 *    a .qix, the index is asked for every box first and the records it
 *    gives that meet a box (as GDAL's spatial filter decides) are read in
 *    the file's order; otherwise (a .sbn, an attribute filter, a .qix
 *    shapelib cannot read) one spatial filter per box, one after the
 *    other, and then the order of the features is no longer the file's;
 *  - a GeoPackage layer without an attribute filter whose R-tree gives at
 *    most 3/4 of its features for the boxes: those, in FID order (a
 *    feature whose envelope meets a box but not its geometry comes too).
 *  Returns 1 then, 0 when the reader stays one pass, HEGUI_ENOMEM. FIDs
 *  keep their meaning. */
int hegui_reader_set_passes(hegui_reader *r, const double *boxes, size_t count);

/** Whether r reads through the layer's Arrow stream (GeoPackage, text
 *  fields only) rather than feature by feature. */
bool hegui_reader_uses_arrow(const hegui_reader *r);

/* hegui_transform (declared above) brings WKB from a layer's stored
 * coordinates into a target CRS. One per thread: PROJ objects are not
 * shared between threads. */

/**
 * Transformation of layer's stored coordinates into EPSG:target_epsg,
 * including the axis swap and CRS reinterpretation the reader applies
 * (hegui_layer_effective_epsg). Free with hegui_transform_free().
 */
int hegui_transform_new(hegui_transform **out, const hegui_layer_info *layer, int target_epsg);
/** Transforms every coordinate of wkb in place. HEGUI_EINPUT when a point
 *  cannot be transformed or the WKB is malformed. */
int hegui_transform_wkb(hegui_transform *transform, unsigned char *wkb, size_t size);
void hegui_transform_free(hegui_transform *transform);
/**
 * Focuses the transformation on boxes (count × {xmin, ymin, xmax, ymax} in
 * the target CRS): points of edges that may come within margin (target
 * units) of a box are transformed exactly; the others are interpolated
 * between exactly transformed grid nodes, to well under margin / 100 (see
 * transform.c). Any overlay restricted to the boxes then gets exactly the
 * coordinates of an unfocused run. Without a usable inverse, or with no
 * box, every point stays exact.
 */
int hegui_transform_focus(hegui_transform *transform, const double *boxes, size_t count,
                          double margin);
/**
 * A copy of model for another thread: the same CRSs, axis swap and focus
 * (hegui_transform_focus, or none), so the same points bit for bit, with
 * PROJ objects of the calling thread's own. GDAL clones them instead of
 * looking the CRSs and the operation up in PROJ's database again, which
 * costs a thread's first hegui_transform_new 10-60 ms (the clone: under a
 * millisecond) and spares computing the focus again (its 200 box bounds
 * take a PROJ call per densified point). model's PROJ objects are read:
 * clone one model on one thread at a time, and not while it transforms.
 */
int hegui_transform_clone(hegui_transform **out, const hegui_transform *model);
/**
 * Whether hegui_transform_new(layer, target_epsg) would build the same
 * transformation as t's: the same target, and a source CRS built from the
 * same definition (the layer's WKT, or the CRS its coordinates are
 * reinterpreted in, axes swapped or not). A focus computed for t then holds
 * for such a layer too (clone t instead of focusing again).
 */
bool hegui_transform_fits(const hegui_transform *transform, const hegui_layer_info *layer,
                          int target_epsg);
/**
 * Whether a geometry with this envelope (in the layer's stored coordinates,
 * as a native reader hands them out) may meet one of the focus boxes
 * (widened by the margin). true when there is no focus. A false answer is
 * certain: such a feature needs no reprojection, no GEOS and no overlay.
 */
bool hegui_transform_may_meet(const hegui_transform *transform, const double envelope[4]);
/** Points transformed exactly and interpolated so far. */
void hegui_transform_counts(const hegui_transform *transform, int64_t *exact,
                            int64_t *interpolated);
#ifdef __cplusplus
}
#endif
#endif
