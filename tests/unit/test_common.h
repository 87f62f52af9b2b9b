/*
 * test_common.h - the one place that includes cmocka, with the headers
 * cmocka 1.1.5 needs before it (kept together so clang-format cannot
 * reorder them), and small helpers shared by the unit tests.
 */
#ifndef HEGUI_TEST_COMMON_H
#define HEGUI_TEST_COMMON_H

// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <math.h>
#include <stdio.h>
#include <string.h>

/* cmocka's assert_float_equal converts to float: compare doubles here. */
#define assert_double_near(a, b, eps)                                                              \
    do {                                                                                           \
        double a_ = (a), b_ = (b);                                                                 \
        if (!(fabs(a_ - b_) <= (eps)))                                                             \
            fail_msg("%s = %.9f, expected %.9f (eps %g)", #a, a_, b_, (double)(eps));              \
    } while (0)

/* Asserts that haystack contains needle, with both shown on failure. */
#define assert_contains(haystack, needle)                                                          \
    do {                                                                                           \
        const char *h_ = (haystack), *n_ = (needle);                                               \
        if (!h_ || !strstr(h_, n_))                                                                \
            fail_msg("expected \"%s\" in \"%s\"", n_, h_ ? h_ : "(null)");                         \
    } while (0)

#endif
