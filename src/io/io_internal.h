/*
 * io/io_internal.h - private declarations of the io module: the GDAL error
 * capture, CRS description from OSR handles, and role detection.
 *
 * Only files under src/io/ include GDAL headers.
 */
#ifndef HEGUI_IO_INTERNAL_H
#define HEGUI_IO_INTERNAL_H

#include <gdal.h>
#include <iconv.h>
#include <ogr_srs_api.h>
#include <shapefil.h>

#include "hegui/io.h"
#include "util/util.h"

/* --- GDAL error capture (gdal_errors.c) --- */

/* GDAL errors captured while a capture is pushed (on this thread). */
typedef struct io_capture {
    int errors;          /* CE_Failure and CE_Fatal count */
    int warnings;        /* CE_Warning count */
    char first[512];     /* first error message */
    char last[512];      /* last error message */
    char first_warning[512];
} io_capture;

/* Starts capturing GDAL messages into cap (zeroed). Pair with io_capture_end. */
void io_capture_begin(io_capture *cap);
void io_capture_end(io_capture *cap);

/* Appends name as a double-quoted SQL identifier (catalog.c). */
void io_sql_identifier(hegui_buf *b, const char *name);

/* --- CRS (crs.c) --- */

/* Describes an OSR handle into out (the handle is not kept). */
void io_crs_describe_srs(hegui_crs_info *out, OGRSpatialReferenceH srs);
/* A new spatial reference with GIS axis order (x = easting/lon), or NULL
 * with the error set. Destroy with OSRDestroySpatialReference. */
OGRSpatialReferenceH io_srs_from_epsg(int epsg);
OGRSpatialReferenceH io_srs_from_user_input(const char *definition);

/* True when the layer's coordinates contradict its CRS and a better CRS
 * is known: they are read in coord_check.suggested_epsg (working_crs.c). */
bool io_layer_reinterpreted(const hegui_layer_info *info);

/* --- roles (roles.c) --- */

/*
 * Detects the role of a layer from its layer name, its dataset file name and
 * its field names. Writes a reason into reason (at least 200 bytes) and the
 * label for exclusion layers into label (at least 64 bytes; "" otherwise).
 */
hegui_role io_role_detect(const char *dataset_path, const char *layer_name,
                          const char *const *fields, size_t field_count, char *reason,
                          size_t reason_size, char *label, size_t label_size);

/* --- shapelib (shapelib.c): what GDAL does not expose of a Shapefile --- */

/* Default hooks whose messages are kept for this thread (read with
 * io_shapelib_message, "" when none since this call), never printed. */
void io_shapelib_hooks(SAHooks *hooks);
const char *io_shapelib_message(void);
/* The records of shp_path's .dbf marked deleted (skipped by GDAL's reads,
 * counted by its feature count), or -1 when the .dbf cannot be read. */
int64_t io_shp_deleted_records(const char *shp_path);
/* The path of shp_path's sibling of extension ext ("qix": three lower-case
 * letters, upper-cased when the .shp's are), whether it exists or not; NULL
 * when shp_path does not end in .shp, or out of memory. hegui_free it. */
char *io_shp_sibling(const char *shp_path, const char *ext);
/* Whether the spatial index GDAL would use for shp_path (its .qix, else its
 * .sbn) no longer matches it: a .qix built over another number of records,
 * or an index older than the .shp (edited by a program that does not keep
 * the index, ArcGIS with a .qix say). GDAL would trust it and miss the
 * features it does not list. why (a sentence naming the index) is set when
 * stale. False when there is no index. */
bool io_shp_index_stale(const char *shp_path, char *why, size_t why_size);

/* --- drivers (catalog.c) --- */

/* NULL-terminated allow-list of GDAL vector drivers hegui opens. */
extern const char *const io_allowed_drivers[];

/* Opens a dataset read-only with the allow-list; NULL with the error set.
 * open_option may be NULL or one NAME=VALUE; extra may be NULL. */
GDALDatasetH io_open_dataset(const char *path, const char *open_option,
                             const char *const *extra, io_capture *cap);

/* recode.c: shapefile text decoded by hegui with one iconv descriptor
 * per read (one per thread), instead of one per string in GDAL. */
typedef struct io_recoder io_recoder;
/* True when info's text is decoded here: a shapefile in an encoding other
 * than UTF-8, without an attribute filter (GDAL compares its literals
 * with decoded text). */
bool io_layer_recodes(const hegui_layer_info *info);
/* A decoder for info's encoding into *out, or NULL when info's text is
 * not decoded here (GDAL then decodes it, as it also does when iconv does
 * not know the encoding). */
int io_recoder_open(io_recoder **out, const hegui_layer_info *info);
void io_recoder_close(io_recoder *rc);
/* The open option to read info with: ENCODING= (the stored bytes) when rc
 * decodes, else info's own. */
const char *io_recoder_open_option(const io_recoder *rc, const char *open_option);
/* s as UTF-8 (a new string; NULL when out of memory); *replaced counts the
 * bytes not valid in the encoding, each now U+FFFD. */
char *io_recode(io_recoder *rc, const char *s, size_t *replaced);
/* The size bytes at in, converted by cd (to UTF-8) into a new
 * NUL-terminated string of *out_len bytes; a byte that starts no character,
 * or a character cut short at the end, becomes U+FFFD, counted in
 * *replaced (not reset). NULL when out of memory. Shared by io_recode and
 * the boundary-point TXT's decoding. */
char *io_iconv_utf8(iconv_t cd, const char *in, size_t size, size_t *out_len, size_t *replaced);

/* --- boundary-point TXT (txt.c, txt_write.c) --- */

/* Appends the GeoJSON FeatureCollection of a parsed file to b: layer
 * layer_name, its CRS as an EPSG urn (none when unknown), one feature per
 * parcel with the fields of README.md "Boundary-point TXT". */
int io_txt_geojson(hegui_buf *b, const hegui_txt *txt, const char *layer_name);
/* Signed planar area (shoelace, shifted to the first point) of a closed
 * ring of x, y pairs; negative when clockwise. */
double io_ring_area(const double *coords, size_t point_count);

/* --- curves (curves.c): arcs read as polylines --- */

/* Degrees of arc between the vertices of a linearized arc. An arc of
 * radius r and length L loses about L r step^2 / 12 of area (step in
 * radians): 0.4 m2 on a circle of 1 km radius, 1.3e-7 of its area. */
#define IO_CURVE_STEP_DEG 0.05
/* A linear copy of geom when it is or holds a curve, else NULL (geom
 * NULL too). Destroy with OGR_G_DestroyGeometry. */
OGRGeometryH io_linear_copy(OGRGeometryH geom);
/* When wkb (ISO WKB) is or holds a curve: its linear form as ISO WKB in
 * *buf (grown as needed; *cap its size), *out_size bytes, and 1. 0 when it
 * holds none or GDAL cannot parse it; HEGUI_ENOMEM. */
int io_linearize_wkb(const unsigned char *wkb, size_t size, unsigned char **buf, size_t *cap,
                     size_t *out_size);

/* --- the Arrow stream (arrow.c) --- */

typedef struct io_arrow io_arrow;

/* One row of an Arrow stream; the pointers stay valid until the next call. */
typedef struct io_arrow_row {
    int64_t fid;
    const unsigned char *wkb; /* ISO WKB as stored, or NULL for a null geometry */
    size_t wkb_size;
    const char **values; /* caller's array of field_count: bytes (not NUL-terminated), NULL for null */
    size_t *sizes;       /* caller's array of field_count */
} io_arrow_row;

/* Features above this many bytes of WKB on average are read feature by
 * feature: GDAL builds each batch in fresh buffers, and on 430 KB red-line
 * polygons the stream took about twice the CPU of GetNextFeature with
 * ISO WKB export (0.55-0.8 s against 0.32 s for 858 MB); on 125-byte
 * land-use patches it took half (0.55 s against 1.06 s for 10^6). */
#define IO_ARROW_MAX_FEATURE_BYTES (64 * 1024)
/* hegui_reader_set_passes: a Shapefile is read box by box when it has this
 * many features per box or more (below that, the boxes cover much of it and
 * one pass costs less); a GeoPackage read feature by feature, when its
 * R-tree selects at most this share of its features (bench/README.md: 1298
 * of the red line's 2000 polygons, 0.42 s of GDAL's CPU instead of 0.70) */
#define IO_PASSES_FEATURES_PER_BOX 16
#define IO_RTREE_MAX_SHARE 0.75
/* Whether a layer whose features average bytes_per_feature of WKB is read
 * faster through the Arrow stream (0: unknown, taken as small). */
bool io_arrow_pays(int64_t bytes_per_feature);
/* Features per batch for about 4 MiB of geometry (GDAL builds a whole
 * batch before handing it out): 1 to 8192, 8192 when unknown (0). */
int64_t io_arrow_batch_features(int64_t bytes_per_feature);

/* Starts the Arrow stream of layer (with its filters) for the given text
 * fields, batch_features features per batch. *out stays NULL, with HEGUI_OK, when the stream cannot serve
 * them exactly (no stream, no FID or geometry column, a field that is not
 * text): the caller then reads feature by feature. */
int io_arrow_open(io_arrow **out, OGRLayerH layer, const char *const *fields, size_t count,
                  int64_t batch_features);
/* The next row: 1, 0 at the end, or HEGUI_EINPUT naming GDAL's reason
 * (the stream failed, or GDAL reported an error while filling a batch). */
int io_arrow_next(io_arrow *arrow, io_arrow_row *row);
/* The fields asked for that the stream has no column for (their values
 * come out NULL). */
size_t io_arrow_missing(const io_arrow *arrow);
void io_arrow_close(io_arrow *arrow);

#endif
