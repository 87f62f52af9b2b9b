/*
 * test_check_totals.c - the per (rule, zone) totals of totals.c: patches
 * whose interiors overlap are dissolved, patches that touch or lie apart
 * are summed from their stored areas, and the totals do not depend on the
 * number of threads. Patches come either from the conflict rules through
 * the real reader and overlay engine, or straight from check_piece_add with
 * stored areas, which a total must use as they are.
 */
#include "check_fixture.h"

#define ZONE "G141061"

static const block_spec one_block[] = {{SQ(0, 0, 100, 100), NULL}};

/* The total row of rule in the fixture's zone. */
static const hegui_run_total *total_row(const fixture *fx, const char *rule)
{
    size_t i;
    for (i = 0; i < fx->run.total_count; i++) {
        if (strcmp(fx->run.totals[i].rule, rule) == 0 &&
            strcmp(fx->run.totals[i].zone_code, ZONE) == 0)
            return &fx->run.totals[i];
    }
    fail_msg("no total row for %s", rule);
    return NULL;
}

/* Farmland features over one 100 x 100 block, C01-C05 on threads workers,
 * totals on totals_threads. */
static fixture *farmland_run(const feature_spec *features, size_t n, int threads,
                             int totals_threads)
{
    layer_spec layer = {HEGUI_ROLE_FARMLAND, "YJJBNTTBBH", features, n};
    fixture *fx = fixture_new(one_block, 1, &layer, 1, NULL);
    fx->ctx.threads = threads;
    if (check_conflict_run(&fx->ctx, NULL, NULL) < 0)
        fail_msg("check_conflict_run: %s", hegui_error_last());
    fx->ctx.threads = totals_threads;
    fixture_finish(fx);
    return fx;
}

/* Keeps the local-metre WKT as a patch of rule with the given stored areas. */
static void add_piece(fixture *fx, const char *rule, const char *wkt, double area_m2,
                      double area_ellipsoidal_m2)
{
    GEOSGeometry *g = fixture_geom(&fx->ctx, wkt);
    assert_int_equal(check_piece_add(&fx->ctx, rule, ZONE, g, area_m2, area_ellipsoidal_m2),
                     HEGUI_OK);
    GEOSGeom_destroy_r(fx->ctx.h, g);
}

/* Two farmland squares sharing an edge: two findings of 100 m2 and a total
 * of exactly 200 m2, the sum of the findings' areas (planar and
 * ellipsoidal), not a re-measured union. */
static void test_check_totals_touching_summed(void **state)
{
    const feature_spec farmland[] = {
        {SQ(10, 10, 20, 20), "\"YJJBNTTBBH\": \"A\""},
        {SQ(20, 10, 30, 20), "\"YJJBNTTBBH\": \"B\""},
    };
    fixture *fx = farmland_run(farmland, 2, 1, 1);
    const hegui_run_total *t = total_row(fx, "C01");
    const hegui_finding *a, *b;
    (void)state;
    assert_int_equal(count_rule(fx, "C01"), 2);
    a = nth(fx, "C01", 0);
    b = nth(fx, "C01", 1);
    assert_true(a->area_m2 == 100.0 && b->area_m2 == 100.0);
    assert_int_equal(t->count, 2);
    assert_true(t->area_m2 == 200.0);
    assert_true(t->area_ellipsoidal_m2 == a->area_ellipsoidal_m2 + b->area_ellipsoidal_m2);
    assert_true(t->share_of_zone == 200.0 / 10000.0);
    fixture_free(fx);
}

/* A overlaps B (100 m2), B overlaps C (25 m2), A and C are disjoint: one
 * component, 3 x 400 - 100 - 25 = 1075 m2; D apart adds its 100 m2. */
static void test_check_totals_chain_one_component(void **state)
{
    const feature_spec farmland[] = {
        {SQ(10, 10, 30, 30), "\"YJJBNTTBBH\": \"A\""},
        {SQ(35, 35, 55, 55), "\"YJJBNTTBBH\": \"C\""},
        {SQ(20, 20, 40, 40), "\"YJJBNTTBBH\": \"B\""},
        {SQ(70, 70, 80, 80), "\"YJJBNTTBBH\": \"D\""},
    };
    fixture *fx = farmland_run(farmland, 4, 1, 1);
    const hegui_run_total *t = total_row(fx, "C01");
    (void)state;
    assert_int_equal(count_rule(fx, "C01"), 4);
    assert_int_equal(t->count, 4);
    assert_double_near(t->area_m2, 1175.0, 1e-6);
    /* EPSG:4547 about 100 km west of its central meridian: the geodesic
     * area is a few 1e-4 smaller than the grid area, never equal */
    assert_true(t->area_ellipsoidal_m2 < t->area_m2);
    assert_true(t->area_ellipsoidal_m2 > 0.999 * t->area_m2);
    fixture_free(fx);
}

/* Touching and separate pieces count their stored areas; overlapping ones
 * (also when linked only through a third piece added last) count theirs
 * less the overlaps measured on the geometries. */
static void test_check_totals_stored_areas_unless_overlapping(void **state)
{
    fixture *fx = fixture_new(one_block, 1, NULL, 0, NULL);
    const hegui_run_total *t;
    (void)state;
    /* C01: an edge and a corner shared, one piece apart: 1 + 2 + 4 + 8 */
    add_piece(fx, "C01", SQ(10, 10, 20, 20), 1.0, 10.0);
    add_piece(fx, "C01", SQ(20, 10, 30, 20), 2.0, 20.0);
    add_piece(fx, "C01", SQ(30, 20, 40, 30), 4.0, 40.0);
    add_piece(fx, "C01", SQ(60, 60, 70, 70), 8.0, 80.0);
    /* C02: A and C disjoint, joined by B: the stored areas less the
     * overlaps measured on the geometries (100 and 25 m2); stored
     * ellipsoidal areas a little below the planar ones, as on the grid */
    add_piece(fx, "C02", SQ(10, 10, 30, 30), 400.0, 399.9);
    add_piece(fx, "C02", SQ(35, 35, 55, 55), 400.0, 399.9);
    add_piece(fx, "C02", SQ(20, 20, 40, 40), 400.0, 399.9);
    /* C03: one piece inside another, and one apart (stored 3) */
    add_piece(fx, "C03", SQ(0, 0, 50, 50), 2500.0, 2500.0);
    add_piece(fx, "C03", SQ(10, 10, 20, 20), 100.0, 100.0);
    add_piece(fx, "C03", SQ(80, 80, 90, 90), 3.0, 3.0);
    /* C04: a single piece keeps its stored areas */
    add_piece(fx, "C04", SQ(0, 0, 10, 10), 5.0, 6.0);
    fixture_finish(fx);

    t = total_row(fx, "C01");
    assert_true(t->area_m2 == 15.0);
    assert_true(t->area_ellipsoidal_m2 == 150.0);
    assert_int_equal(t->count, 0); /* pieces are not findings */
    t = total_row(fx, "C02");
    assert_double_near(t->area_m2, 1075.0, 1e-6);
    /* 3 x 399.9 less an ellipsoidal overlap a few 1e-4 under 125 */
    assert_true(t->area_ellipsoidal_m2 > 1074.7 && t->area_ellipsoidal_m2 < 1074.75);
    t = total_row(fx, "C03");
    assert_double_near(t->area_m2, 2500.0 + 3.0, 1e-6);
    t = total_row(fx, "C04");
    assert_true(t->area_m2 == 5.0 && t->area_ellipsoidal_m2 == 6.0);
    assert_true(t->share_of_zone == 5.0 / 10000.0);
    t = total_row(fx, "C05");
    assert_true(t->area_m2 == 0.0 && t->area_ellipsoidal_m2 == 0.0);
    fixture_free(fx);
}

/* WKT of the rectangle (x0, y0)-(x1, y1) with n points on each side, so
 * that a pair of them is large enough to be cut before it is intersected. */
static char *dense_rect(double x0, double y0, double x1, double y1, int n)
{
    static char buf[4][65536];
    static int next;
    char *out = buf[next++ % 4];
    size_t len = 0;
    int side, i;
    const double xs[5] = {x0, x1, x1, x0, x0}, ys[5] = {y0, y0, y1, y1, y0};
    len += (size_t)snprintf(out + len, 65536 - len, "POLYGON((");
    for (side = 0; side < 4; side++) {
        for (i = 0; i < n; i++) {
            double t = (double)i / n;
            len += (size_t)snprintf(out + len, 65536 - len, "%.6f %.6f,",
                                    xs[side] + t * (xs[side + 1] - xs[side]),
                                    ys[side] + t * (ys[side + 1] - ys[side]));
        }
    }
    snprintf(out + len, 65536 - len, "%.6f %.6f))", x0, y0);
    return out;
}

/* Two large crossing patches (1 600 points each) and a third over their
 * crossing: their overlaps are measured piecewise after cuts, and the
 * total is the hand-computed 2000 + 2000 - 400 + 100 - 100. The first
 * patch's stored area is 0.5 m2 more than its geometry's, which only the
 * overlap measure (not a fallback union) carries into the total. */
static void test_check_totals_large_crossing(void **state)
{
    fixture *fx = fixture_new(one_block, 1, NULL, 0, NULL);
    const hegui_run_total *t;
    (void)state;
    add_piece(fx, "C02", dense_rect(0, 40, 100, 60, 400), 2000.5, 2000.0);
    add_piece(fx, "C02", dense_rect(40, 0, 60, 100, 400), 2000.0, 2000.0);
    add_piece(fx, "C02", dense_rect(45, 45, 55, 55, 300), 100.0, 100.0);
    fixture_finish(fx);
    t = total_row(fx, "C02");
    assert_double_near(t->area_m2, 3600.5, 1e-6);
    fixture_free(fx);
}

/* A third patch over two others: its overlaps with them are summed when
 * they are apart (C01: 100 + 100 + 200 - 50 - 50 = 300) and dissolved
 * when they cover one spot (C02: three copies of one square = 100). */
static void test_check_totals_third_patch(void **state)
{
    fixture *fx = fixture_new(one_block, 1, NULL, 0, NULL);
    (void)state;
    add_piece(fx, "C01", SQ(0, 0, 10, 10), 100.0, 100.0);
    add_piece(fx, "C01", SQ(20, 0, 30, 10), 100.0, 100.0);
    add_piece(fx, "C01", SQ(5, 0, 25, 10), 200.0, 200.0);
    add_piece(fx, "C02", SQ(10, 10, 20, 20), 100.0, 100.0);
    add_piece(fx, "C02", SQ(10, 10, 20, 20), 100.0, 100.0);
    add_piece(fx, "C02", SQ(10, 10, 20, 20), 100.0, 100.0);
    fixture_finish(fx);
    assert_double_near(total_row(fx, "C01")->area_m2, 300.0, 1e-9);
    assert_double_near(total_row(fx, "C02")->area_m2, 100.0, 1e-9);
    fixture_free(fx);
}

/* The 2D WKB of wkt in a blob from the hegui allocator, cut short by
 * trim bytes. */
static unsigned char *wkb_blob(fixture *fx, const char *wkt, size_t trim, size_t *size)
{
    GEOSGeometry *g = fixture_geom(&fx->ctx, wkt);
    GEOSWKBWriter *writer = GEOSWKBWriter_create_r(fx->ctx.h);
    unsigned char *wkb, *blob;
    GEOSWKBWriter_setOutputDimension_r(fx->ctx.h, writer, 2);
    wkb = GEOSWKBWriter_write_r(fx->ctx.h, writer, g, size);
    assert_non_null(wkb);
    *size -= trim;
    blob = hegui_malloc(*size);
    assert_non_null(blob);
    memcpy(blob, wkb, *size);
    GEOSFree_r(fx->ctx.h, wkb);
    GEOSWKBWriter_destroy_r(fx->ctx.h, writer);
    GEOSGeom_destroy_r(fx->ctx.h, g);
    return blob;
}

/* check_piece_take_wkb keeps the blob itself (freed with the pieces: ASan
 * checks that nothing leaks or is freed twice); a truncated one fails the
 * totals with a message, not a crash. */
static void test_check_totals_piece_wkb(void **state)
{
    fixture *fx = fixture_new(one_block, 1, NULL, 0, NULL);
    size_t size;
    unsigned char *blob = wkb_blob(fx, SQ(10, 10, 30, 30), 0, &size);
    (void)state;
    assert_int_equal(check_piece_take_wkb(&fx->ctx, "C01", ZONE, blob, size, 400, 400), HEGUI_OK);
    assert_ptr_equal(fx->ctx.piece_blobs[0], blob); /* taken, not copied */
    add_piece(fx, "C01", SQ(20, 20, 40, 40), 400.0, 400.0);
    fixture_finish(fx);
    assert_double_near(total_row(fx, "C01")->area_m2, 700.0, 1e-6);
    fixture_free(fx);

    fx = fixture_new(one_block, 1, NULL, 0, NULL);
    blob = wkb_blob(fx, SQ(10, 10, 30, 30), 8, &size);
    assert_int_equal(check_piece_take_wkb(&fx->ctx, "C01", ZONE, blob, size, 400, 400), HEGUI_OK);
    add_piece(fx, "C01", SQ(20, 20, 40, 40), 400.0, 400.0);
    assert_int_equal(check_totals_build(&fx->ctx), HEGUI_EINPUT);
    assert_contains(hegui_error_last(), "patch of C01 in zone " ZONE ": malformed WKB");
    fixture_free(fx);
}

/* WKT of the square [x0, x1] x [y0, y1] into buf. */
static const char *square(char *buf, size_t size, int x0, int y0, int x1, int y1)
{
    snprintf(buf, size, "POLYGON((%d %d,%d %d,%d %d,%d %d,%d %d))", x0, y0, x1, y0, x1, y1, x0, y1,
             x0, y0);
    return buf;
}

/*
 * Rows of many pieces: C01 a mosaic of 30 x 30 touching 10 m squares
 * (90 000 m2 from stored areas), C02 the same squares 9 m apart, one
 * overlapping component (a 271 m square), C03 400 pairs of squares
 * overlapping by 25 m2 (400 x 175), C04 squares 12 m apart.
 */
static fixture *many_pieces(int threads)
{
    fixture *fx = fixture_new(one_block, 1, NULL, 0, NULL);
    char wkt[160];
    int i;
    for (i = 0; i < 900; i++) {
        int x = i % 30, y = i / 30;
        add_piece(fx, "C01", square(wkt, sizeof(wkt), 10 * x, 10 * y, 10 * x + 10, 10 * y + 10),
                  100.0, 99.97);
        add_piece(fx, "C02", square(wkt, sizeof(wkt), 9 * x, 9 * y, 9 * x + 10, 9 * y + 10), 100.0,
                  99.97);
        add_piece(fx, "C04", square(wkt, sizeof(wkt), 12 * x, 12 * y, 12 * x + 10, 12 * y + 10),
                  100.0, 99.97);
    }
    for (i = 0; i < 400; i++) {
        int x = 30 * (i % 20), y = 30 * (i / 20);
        add_piece(fx, "C03", square(wkt, sizeof(wkt), x, y, x + 10, y + 10), 100.0, 99.97);
        add_piece(fx, "C03", square(wkt, sizeof(wkt), x + 5, y + 5, x + 15, y + 15), 100.0, 99.97);
    }
    fx->ctx.threads = threads;
    fixture_finish(fx);
    return fx;
}

/* The same totals, to the bit, on 1, 2 and 4 threads. */
static void test_check_totals_threads_identical(void **state)
{
    fixture *one = many_pieces(1), *other;
    const int threads[] = {2, 4};
    size_t k, i;
    (void)state;
    assert_double_near(total_row(one, "C01")->area_m2, 90000.0, 1e-6);
    assert_double_near(total_row(one, "C02")->area_m2, 271.0 * 271.0, 1e-6);
    assert_double_near(total_row(one, "C03")->area_m2, 400 * 175.0, 1e-6);
    assert_double_near(total_row(one, "C04")->area_m2, 90000.0, 1e-6);
    for (k = 0; k < sizeof(threads) / sizeof(threads[0]); k++) {
        other = many_pieces(threads[k]);
        assert_int_equal(one->run.total_count, other->run.total_count);
        for (i = 0; i < one->run.total_count; i++) {
            const hegui_run_total *a = &one->run.totals[i], *b = &other->run.totals[i];
            assert_string_equal(a->rule, b->rule);
            assert_string_equal(a->zone_code, b->zone_code);
            assert_true(a->area_m2 == b->area_m2);
            assert_true(a->area_ellipsoidal_m2 == b->area_ellipsoidal_m2);
            assert_true(a->share_of_zone == b->share_of_zone);
        }
        fixture_free(other);
    }
    fixture_free(one);
}

/* Frees the totals of a run so that they can be built again. */
static void drop_totals(hegui_run *run)
{
    size_t i;
    for (i = 0; i < run->total_count; i++) {
        hegui_free(run->totals[i].zone_code);
        hegui_free(run->totals[i].zone_name);
    }
    hegui_free(run->totals);
    run->totals = NULL;
    run->total_count = 0;
}

/* Every allocation of a threaded build failing in turn: HEGUI_ENOMEM with
 * the message in the calling thread, whichever thread failed, no leak. */
static void test_check_totals_allocation_failures(void **state)
{
    fixture *fx = fixture_new(one_block, 1, NULL, 0, NULL);
    long n;
    int rc = HEGUI_ENOMEM;
    (void)state;
    add_piece(fx, "C01", SQ(10, 10, 30, 30), 400, 400);
    add_piece(fx, "C01", SQ(20, 20, 40, 40), 400, 400);
    add_piece(fx, "C02", SQ(10, 10, 30, 30), 400, 400);
    add_piece(fx, "C02", SQ(20, 20, 40, 40), 400, 400);
    add_piece(fx, "C03", SQ(10, 10, 20, 20), 1, 1);
    add_piece(fx, "C03", SQ(20, 10, 30, 20), 1, 1);
    fx->ctx.threads = 3;
    for (n = 1; n < 1000 && rc != HEGUI_OK; n++) {
        hegui_error_clear();
        hegui_alloc_fail_after(n);
        rc = check_totals_build(&fx->ctx);
        hegui_alloc_fail_after(0);
        if (rc != HEGUI_OK) {
            assert_int_equal(rc, HEGUI_ENOMEM);
            assert_contains(hegui_error_last(), "out of memory");
            drop_totals(&fx->run);
        }
    }
    assert_int_equal(rc, HEGUI_OK);
    assert_true(n > 10);
    assert_double_near(total_row(fx, "C01")->area_m2, 700.0, 1e-6);
    assert_double_near(total_row(fx, "C02")->area_m2, 700.0, 1e-6);
    assert_true(total_row(fx, "C03")->area_m2 == 2.0);
    fixture_free(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_totals_touching_summed),
        cmocka_unit_test(test_check_totals_chain_one_component),
        cmocka_unit_test(test_check_totals_stored_areas_unless_overlapping),
        cmocka_unit_test(test_check_totals_piece_wkb),
        cmocka_unit_test(test_check_totals_large_crossing),
        cmocka_unit_test(test_check_totals_third_patch),
        cmocka_unit_test(test_check_totals_threads_identical),
        cmocka_unit_test(test_check_totals_allocation_failures),
    };
    GDALAllRegister();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
