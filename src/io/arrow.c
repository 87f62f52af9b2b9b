/*
 * arrow.c - reading a layer through OGR's Arrow C stream (RFC 86), the
 * column-oriented path: batches of FIDs, WKB and text columns, with no
 * OGRFeature or OGRGeometry built per feature. GDAL's GeoPackage driver has
 * a fast path for it (the blob's WKB is handed out as stored); other
 * drivers go through a generic adapter over GetNextFeature that gains
 * nothing, so reader.c uses this for GeoPackage only.
 *
 * GDAL 3.6.2's GeoPackage stream returns empty geometries when every
 * attribute is ignored and the FID is not included: the FID is always
 * requested (INCLUDE_FID=YES) and read.
 *
 * Only columns this file can hand out exactly as OGR_F_GetFieldAsString
 * would are accepted: text (Arrow "u"). A requested field of another type
 * makes io_arrow_open decline, and the caller reads feature by feature.
 */
#include <stdio.h>
#include <string.h>

#include <ogr_api.h>
#include <ogr_recordbatch.h>

#include "io/io_internal.h"

struct io_arrow {
    struct ArrowArrayStream stream;
    struct ArrowSchema schema;
    struct ArrowArray batch; /* the current batch; release == NULL: none */
    int64_t row;             /* next row of batch */
    int fid_col, geom_col;
    int *field_col; /* per requested field: column, or -1 (absent) */
    size_t field_count;
};

void io_arrow_close(io_arrow *a)
{
    if (!a)
        return;
    if (a->batch.release)
        a->batch.release(&a->batch);
    if (a->schema.release)
        a->schema.release(&a->schema);
    if (a->stream.release)
        a->stream.release(&a->stream);
    hegui_free(a->field_col);
    hegui_free(a);
}

int io_arrow_open(io_arrow **out, OGRLayerH layer, const char *const *fields, size_t count,
                  int64_t batch_features)
{
    io_arrow *a;
    char batch[64], *options[] = {"INCLUDE_FID=YES", batch, NULL};
    const char *fid_name = OGR_L_GetFIDColumn(layer), *geom_name = OGR_L_GetGeometryColumn(layer);
    int64_t i;
    size_t k;

    *out = NULL;
    a = hegui_calloc(1, sizeof(*a));
    if (!a)
        return HEGUI_ENOMEM;
    a->field_count = count;
    a->field_col = hegui_calloc(count ? count : 1, sizeof(int));
    if (!a->field_col) {
        hegui_free(a);
        return HEGUI_ENOMEM;
    }
    snprintf(batch, sizeof(batch), "MAX_FEATURES_IN_BATCH=%lld", (long long)batch_features);
    a->fid_col = a->geom_col = -1;
    for (k = 0; k < count; k++)
        a->field_col[k] = -1;
    if (!OGR_L_GetArrowStream(layer, &a->stream, options) ||
        a->stream.get_schema(&a->stream, &a->schema) != 0 || strcmp(a->schema.format, "+s") != 0)
        goto decline;
    for (i = 0; i < a->schema.n_children; i++) {
        const struct ArrowSchema *c = a->schema.children[i];
        const char *name = c->name ? c->name : "";
        if (a->fid_col < 0 && strcmp(c->format, "l") == 0 &&
            (strcmp(name, fid_name && *fid_name ? fid_name : "OGC_FID") == 0)) {
            a->fid_col = (int)i;
            continue;
        }
        if (a->geom_col < 0 && strcmp(c->format, "z") == 0 &&
            strcmp(name, geom_name && *geom_name ? geom_name : "wkb_geometry") == 0) {
            a->geom_col = (int)i;
            continue;
        }
        for (k = 0; k < count; k++) {
            if (fields[k] && a->field_col[k] < 0 && strcmp(fields[k], name) == 0) {
                if (strcmp(c->format, "u") != 0)
                    goto decline; /* not text: OGR's own formatting is the reference */
                a->field_col[k] = (int)i;
            }
        }
    }
    if (a->fid_col < 0 || a->geom_col < 0)
        goto decline;
    *out = a;
    return HEGUI_OK;
decline:
    io_arrow_close(a);
    return HEGUI_OK; /* *out stays NULL: read feature by feature */
}

size_t io_arrow_missing(const io_arrow *a)
{
    size_t k, missing = 0;
    for (k = 0; k < a->field_count; k++)
        missing += a->field_col[k] < 0;
    return missing;
}

bool io_arrow_pays(int64_t bytes_per_feature)
{
    return bytes_per_feature <= IO_ARROW_MAX_FEATURE_BYTES;
}

int64_t io_arrow_batch_features(int64_t bytes_per_feature)
{
    int64_t batch = bytes_per_feature > 0 ? (4 << 20) / bytes_per_feature : 8192;
    return batch < 1 ? 1 : batch > 8192 ? 8192 : batch;
}

/* Validity of row i of column c (a null bitmap is optional). */
static int is_valid(const struct ArrowArray *c, int64_t i)
{
    const unsigned char *bits = c->n_buffers > 0 ? c->buffers[0] : NULL;
    int64_t j = i + c->offset;
    if (!bits || c->null_count == 0)
        return 1;
    return (bits[j / 8] >> (j % 8)) & 1;
}

/* Bytes of row i of a binary or text column ("z" or "u": int32 offsets). */
static const unsigned char *var_value(const struct ArrowArray *c, int64_t i, size_t *size)
{
    const int32_t *offsets = c->buffers[1];
    const unsigned char *data = c->buffers[2];
    int64_t j = i + c->offset;
    *size = (size_t)(offsets[j + 1] - offsets[j]);
    return data + offsets[j];
}

int io_arrow_next(io_arrow *a, io_arrow_row *row)
{
    io_capture cap;
    size_t k;
    int failed;
    while (!a->batch.release || a->row >= a->batch.length) {
        if (a->batch.release)
            a->batch.release(&a->batch);
        memset(&a->batch, 0, sizeof(a->batch));
        a->row = 0;
        /* GDAL speaks only here, once a batch: its messages are kept, never
         * printed, and name the cause when the stream gives none */
        io_capture_begin(&cap);
        failed = a->stream.get_next(&a->stream, &a->batch) != 0;
        io_capture_end(&cap);
        /* An error GDAL reports while returning a batch is a failure too:
         * on a damaged page, GDAL 3.6's GeoPackage stream says so and then
         * hands out empty batches without end */
        if (failed || cap.errors) {
            const char *why = failed ? a->stream.get_last_error(&a->stream) : NULL;
            if (!why || !*why)
                why = cap.errors ? cap.first : "no reason given";
            if (!failed && a->batch.release)
                a->batch.release(&a->batch);
            memset(&a->batch, 0, sizeof(a->batch));
            return hegui_error_set(HEGUI_EINPUT, "the Arrow stream failed: %s", why);
        }
        if (!a->batch.release)
            return 0; /* end of stream */
    }
    {
        const struct ArrowArray *fid = a->batch.children[a->fid_col];
        const struct ArrowArray *geom = a->batch.children[a->geom_col];
        int64_t i = a->row++;
        row->fid = ((const int64_t *)fid->buffers[1])[i + fid->offset];
        row->wkb = NULL;
        row->wkb_size = 0;
        if (is_valid(geom, i))
            row->wkb = var_value(geom, i, &row->wkb_size);
        for (k = 0; k < a->field_count; k++) {
            const struct ArrowArray *c;
            row->values[k] = NULL;
            row->sizes[k] = 0;
            if (a->field_col[k] < 0)
                continue;
            c = a->batch.children[a->field_col[k]];
            if (is_valid(c, i))
                row->values[k] = (const char *)var_value(c, i, &row->sizes[k]);
        }
    }
    return 1;
}
