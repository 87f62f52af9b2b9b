/*
 * test_transform.c - the focused reprojection (io/transform.c): inside the
 * focus every coordinate equals PROJ's exact result bit for bit; outside it
 * the interpolated ones stay within a hundredth of the margin; edges that
 * cross a box keep both ends exact whatever their length.
 */
#include "test_common.h"

#include <pthread.h>
#include <stdlib.h>

#include "hegui/io.h"

#define MARGIN 10.0

/* The red-line layer of samples/jincheng (EPSG:4490, lon/lat). */
static hegui_catalog *open_sample(const hegui_layer_info **redline)
{
    const char *paths[] = {HEGUI_SAMPLES "/jincheng/SXSX.gpkg"};
    hegui_catalog *cat = NULL;
    size_t i;
    assert_int_equal(hegui_catalog_scan(&cat, paths, 1, NULL, NULL), HEGUI_OK);
    *redline = NULL;
    for (i = 0; i < cat->count; i++) {
        if (cat->layers[i].role == HEGUI_ROLE_REDLINE)
            *redline = &cat->layers[i];
    }
    assert_non_null(*redline);
    assert_int_equal((*redline)->crs.epsg, 4490);
    return cat;
}

/* Little-endian ISO WKB of a polygon with one ring of n points (closed by
 * the caller: the last point repeats the first). */
static unsigned char *polygon_wkb(const double *xy, uint32_t n, size_t *size)
{
    unsigned char *w;
    uint32_t type = 3, rings = 1, i;
    *size = 1 + 4 + 4 + 4 + 16 * (size_t)n;
    w = malloc(*size);
    assert_non_null(w);
    w[0] = 1;
    memcpy(w + 1, &type, 4);
    memcpy(w + 5, &rings, 4);
    memcpy(w + 9, &n, 4);
    for (i = 0; i < 2 * n; i++)
        memcpy(w + 13 + 8 * (size_t)i, &xy[i], 8);
    return w;
}

static void point_at(const unsigned char *wkb, uint32_t i, double *x, double *y)
{
    memcpy(x, wkb + 13 + 16 * (size_t)i, 8);
    memcpy(y, wkb + 13 + 16 * (size_t)i + 8, 8);
}

/* Whether segment a-b meets the box (expanded by pad), by clipping. */
static bool segment_meets_box(double ax, double ay, double bx, double by, const double *box,
                              double pad)
{
    double t0 = 0, t1 = 1, d[2] = {bx - ax, by - ay}, p[2] = {ax, ay};
    int k;
    for (k = 0; k < 2; k++) {
        double lo = box[k] - pad, hi = box[k + 2] + pad;
        if (d[k] == 0) {
            if (p[k] < lo || p[k] > hi)
                return false;
        } else {
            double u = (lo - p[k]) / d[k], v = (hi - p[k]) / d[k];
            if (u > v) {
                double s = u;
                u = v;
                v = s;
            }
            t0 = u > t0 ? u : t0;
            t1 = v < t1 ? v : t1;
            if (t0 > t1)
                return false;
        }
    }
    return true;
}

/*
 * A ring of 4 001 points around Jincheng (lon/lat): a wavy line out and
 * back, 30 km long, and one 6 km edge straight across the focus box.
 */
static double *test_ring(uint32_t *n)
{
    uint32_t side = 2000, i, k = 0;
    double *xy = calloc(2 * (2 * side + 2), sizeof(double));
    assert_non_null(xy);
    for (i = 0; i < side; i++) { /* south bank, west to east */
        double t = (double)i / (side - 1);
        xy[k++] = 112.70 + 0.33 * t;
        xy[k++] = 35.48 + 0.01 * sin(40 * t);
    }
    for (i = 0; i < side; i++) { /* north bank, east to west */
        double t = 1 - (double)i / (side - 1);
        xy[k++] = 112.70 + 0.33 * t;
        xy[k++] = 35.50 + 0.01 * sin(40 * t);
    }
    xy[k++] = xy[0];
    xy[k++] = xy[1];
    *n = 2 * side + 1;
    return xy;
}

static void test_transform_focus_exact_inside(void **state)
{
    const hegui_layer_info *layer;
    hegui_catalog *cat = open_sample(&layer);
    hegui_transform *exact = NULL, *focused = NULL;
    unsigned char *a, *b;
    size_t size;
    uint32_t n, i, exact_inside = 0, crossing_checked = 0;
    double *xy = test_ring(&n), box[4], cx, cy, worst = 0;
    int64_t n_exact, n_interp;
    (void)state;

    assert_int_equal(hegui_transform_new(&exact, layer, 4526), HEGUI_OK);
    assert_int_equal(hegui_transform_new(&focused, layer, 4526), HEGUI_OK);
    a = polygon_wkb(xy, n, &size);
    b = polygon_wkb(xy, n, &size);
    assert_int_equal(hegui_transform_wkb(exact, a, size), HEGUI_OK);
    /* a 2 km box around the ring's middle, in EPSG:4526 metres */
    point_at(a, 1000, &cx, &cy);
    box[0] = cx - 1000, box[1] = cy - 1000, box[2] = cx + 1000, box[3] = cy + 1000;
    assert_int_equal(hegui_transform_focus(focused, box, 1, MARGIN), HEGUI_OK);
    assert_int_equal(hegui_transform_wkb(focused, b, size), HEGUI_OK);

    for (i = 0; i < n; i++) {
        double ax, ay, bx, by;
        point_at(a, i, &ax, &ay);
        point_at(b, i, &bx, &by);
        if (ax >= box[0] - MARGIN && ax <= box[2] + MARGIN && ay >= box[1] - MARGIN &&
            ay <= box[3] + MARGIN) {
            /* inside the focus: PROJ's own result, bit for bit */
            assert_true(ax == bx && ay == by);
            exact_inside++;
        }
        worst = fmax(worst, hypot(ax - bx, ay - by));
        if (i + 1 < n) {
            double ax2, ay2, bx2, by2;
            point_at(a, i + 1, &ax2, &ay2);
            point_at(b, i + 1, &bx2, &by2);
            if (segment_meets_box(ax, ay, ax2, ay2, box, MARGIN)) {
                assert_true(ax == bx && ay == by && ax2 == bx2 && ay2 == by2);
                crossing_checked++;
            }
        }
    }
    assert_true(exact_inside > 50);
    assert_true(crossing_checked > exact_inside);
    /* outside: within margin / 100, and really interpolated */
    assert_true(worst < MARGIN / 100);
    assert_true(worst > 0);
    hegui_transform_counts(focused, &n_exact, &n_interp);
    assert_true(n_interp > 3 * n_exact);
    assert_true(n_exact >= exact_inside);
    /* the ring stays closed */
    {
        double x0, y0, x1, y1;
        point_at(b, 0, &x0, &y0);
        point_at(b, n - 1, &x1, &y1);
        assert_true(x0 == x1 && y0 == y1);
    }
    free(a);
    free(b);
    free(xy);
    hegui_transform_free(exact);
    hegui_transform_free(focused);
    hegui_catalog_free(cat);
}

/* A long edge straight through the box, with both ends far outside it,
 * keeps both ends exact. */
static void test_transform_focus_long_edge(void **state)
{
    const hegui_layer_info *layer;
    hegui_catalog *cat = open_sample(&layer);
    hegui_transform *exact = NULL, *focused = NULL;
    /* a thin triangle whose long base (0.2 degrees, ~18 km) crosses the box */
    double xy[] = {112.75, 35.50, 112.95, 35.50, 112.85, 35.60, 112.75, 35.50};
    size_t size;
    unsigned char *a = polygon_wkb(xy, 4, &size), *b = polygon_wkb(xy, 4, &size);
    double mx, my, box[4], ax, ay, bx, by;
    uint32_t i;
    (void)state;
    assert_int_equal(hegui_transform_new(&exact, layer, 4526), HEGUI_OK);
    assert_int_equal(hegui_transform_new(&focused, layer, 4526), HEGUI_OK);
    assert_int_equal(hegui_transform_wkb(exact, a, size), HEGUI_OK);
    point_at(a, 0, &ax, &ay);
    point_at(a, 1, &bx, &by);
    mx = (ax + bx) / 2, my = (ay + by) / 2;
    box[0] = mx - 200, box[1] = my - 200, box[2] = mx + 200, box[3] = my + 200;
    assert_int_equal(hegui_transform_focus(focused, box, 1, MARGIN), HEGUI_OK);
    assert_int_equal(hegui_transform_wkb(focused, b, size), HEGUI_OK);
    for (i = 0; i < 2; i++) {
        point_at(a, i, &ax, &ay);
        point_at(b, i, &bx, &by);
        assert_true(ax == bx && ay == by);
    }
    free(a);
    free(b);
    hegui_transform_free(exact);
    hegui_transform_free(focused);
    hegui_catalog_free(cat);
}

/* Without a box, or to the same CRS, nothing is interpolated. */
static void test_transform_focus_none(void **state)
{
    const hegui_layer_info *layer;
    hegui_catalog *cat = open_sample(&layer);
    hegui_transform *t = NULL;
    uint32_t n;
    double *xy = test_ring(&n);
    size_t size;
    unsigned char *w = polygon_wkb(xy, n, &size);
    int64_t n_exact, n_interp;
    (void)state;
    assert_int_equal(hegui_transform_new(&t, layer, 4526), HEGUI_OK);
    assert_int_equal(hegui_transform_focus(t, NULL, 0, MARGIN), HEGUI_OK);
    assert_int_equal(hegui_transform_wkb(t, w, size), HEGUI_OK);
    hegui_transform_counts(t, &n_exact, &n_interp);
    assert_int_equal(n_exact, n);
    assert_int_equal(n_interp, 0);
    free(w);
    free(xy);
    hegui_transform_free(t);
    hegui_catalog_free(cat);
}

/* A clone transforms on its own thread, as each overlay worker does. */
typedef struct clone_job {
    const hegui_transform *model;
    unsigned char *wkb;
    size_t size;
    int rc;
    int64_t exact, interpolated;
} clone_job;

static void *clone_and_transform(void *arg)
{
    clone_job *job = arg;
    hegui_transform *copy = NULL;
    job->rc = hegui_transform_clone(&copy, job->model);
    if (job->rc == HEGUI_OK)
        job->rc = hegui_transform_wkb(copy, job->wkb, job->size);
    if (copy)
        hegui_transform_counts(copy, &job->exact, &job->interpolated);
    hegui_transform_free(copy);
    return NULL;
}

static void clone_on_thread(clone_job *job)
{
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, clone_and_transform, job), 0);
    assert_int_equal(pthread_join(thread, NULL), 0);
}

/* A clone made on another thread (each overlay worker clones the
 * reader's) gives the same points bit for bit as its model, the same split
 * of exact and interpolated points, and the same answers to may_meet; a
 * model without a focus leaves every point exact; a model of one CRS (no
 * reprojection) clones to one that leaves the coordinates as they are. */
static void test_transform_clone(void **state)
{
    const hegui_layer_info *layer;
    hegui_catalog *cat = open_sample(&layer);
    hegui_layer_info same;
    hegui_transform *model = NULL, *copy = NULL, *plain = NULL, *identity = NULL;
    unsigned char *a, *b;
    size_t size;
    uint32_t n, i;
    double *xy = test_ring(&n), box[4], cx, cy, env[4];
    int64_t e1, i1;
    clone_job job;
    (void)state;

    assert_int_equal(hegui_transform_new(&model, layer, 4526), HEGUI_OK);
    a = polygon_wkb(xy, n, &size);
    b = polygon_wkb(xy, n, &size);
    assert_int_equal(hegui_transform_wkb(model, a, size), HEGUI_OK); /* unfocused: exact */
    point_at(a, 1000, &cx, &cy);
    box[0] = cx - 1000, box[1] = cy - 1000, box[2] = cx + 1000, box[3] = cy + 1000;
    free(a);
    a = polygon_wkb(xy, n, &size);
    assert_int_equal(hegui_transform_focus(model, box, 1, MARGIN), HEGUI_OK);
    job = (clone_job){model, b, size, HEGUI_EINTERNAL, 0, 0};
    clone_on_thread(&job);
    assert_int_equal(job.rc, HEGUI_OK);
    assert_int_equal(hegui_transform_wkb(model, a, size), HEGUI_OK);
    assert_memory_equal(a, b, size);
    hegui_transform_counts(model, &e1, &i1);
    assert_true(job.interpolated > 3 * job.exact); /* really focused */
    assert_int_equal(e1 - n, job.exact); /* the model's first, unfocused pass was all exact */
    assert_int_equal(i1, job.interpolated);
    assert_int_equal(hegui_transform_clone(&copy, model), HEGUI_OK);
    for (i = 0; i + 1 < n; i += 37) { /* envelopes along the ring, in degrees */
        env[0] = fmin(xy[2 * i], xy[2 * i + 2]), env[1] = fmin(xy[2 * i + 1], xy[2 * i + 3]);
        env[2] = fmax(xy[2 * i], xy[2 * i + 2]), env[3] = fmax(xy[2 * i + 1], xy[2 * i + 3]);
        assert_int_equal(hegui_transform_may_meet(model, env), hegui_transform_may_meet(copy, env));
    }

    /* from a model with no focus: every point exact, as the model's */
    assert_int_equal(hegui_transform_new(&plain, layer, 4526), HEGUI_OK);
    assert_int_equal(hegui_transform_focus(plain, NULL, 0, MARGIN), HEGUI_OK);
    free(a);
    free(b);
    a = polygon_wkb(xy, n, &size);
    b = polygon_wkb(xy, n, &size);
    job = (clone_job){plain, b, size, HEGUI_EINTERNAL, 0, 0};
    clone_on_thread(&job);
    assert_int_equal(job.rc, HEGUI_OK);
    assert_int_equal(job.exact, n);
    assert_int_equal(job.interpolated, 0);
    assert_int_equal(hegui_transform_wkb(plain, a, size), HEGUI_OK);
    assert_memory_equal(a, b, size);

    /* the layer's own CRS: nothing to reproject, before or after cloning */
    same = *layer;
    assert_int_equal(hegui_transform_new(&identity, &same, 4490), HEGUI_OK);
    free(b);
    b = polygon_wkb(xy, n, &size);
    job = (clone_job){identity, b, size, HEGUI_EINTERNAL, 0, 0};
    clone_on_thread(&job);
    assert_int_equal(job.rc, HEGUI_OK);
    for (i = 0; i < n; i += 101) {
        point_at(b, i, &cx, &cy);
        assert_true(cx == xy[2 * i] && cy == xy[2 * i + 1]);
    }

    free(a);
    free(b);
    free(xy);
    hegui_transform_free(model);
    hegui_transform_free(copy);
    hegui_transform_free(plain);
    hegui_transform_free(identity);
    hegui_catalog_free(cat);
}

/* hegui_transform_fits: a layer of the same CRS definition and target fits
 * (and its clone too); another target, another WKT, or coordinates
 * reinterpreted in another CRS (swapped or not) do not. */
static void test_transform_fits(void **state)
{
    const hegui_layer_info *layer;
    hegui_catalog *cat = open_sample(&layer);
    hegui_layer_info other;
    hegui_transform *t = NULL, *copy = NULL;
    char wkt[] = "GEOGCRS[\"other\"]";
    (void)state;
    assert_int_equal(hegui_transform_new(&t, layer, 4526), HEGUI_OK);
    assert_true(hegui_transform_fits(t, layer, 4526));
    assert_false(hegui_transform_fits(t, layer, 4527));
    assert_int_equal(hegui_transform_clone(&copy, t), HEGUI_OK);
    assert_true(hegui_transform_fits(copy, layer, 4526));
    other = *layer;
    other.crs_wkt = wkt;
    assert_false(hegui_transform_fits(t, &other, 4526));
    other = *layer;
    other.coord_check.issue = HEGUI_COORD_SWAPPED;
    other.coord_check.suggested_epsg = 4490;
    assert_false(hegui_transform_fits(t, &other, 4526)); /* read as lat/lon swapped */
    hegui_transform_free(t);
    hegui_transform_free(copy);
    hegui_catalog_free(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transform_focus_exact_inside),
        cmocka_unit_test(test_transform_focus_long_edge),
        cmocka_unit_test(test_transform_focus_none),
        cmocka_unit_test(test_transform_clone),
        cmocka_unit_test(test_transform_fits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
