/*
 * test_util.c - util/ helpers: SHA-256 (libcrypto) against the FIPS 180-2 vectors,
 * UTF-8 validation and repair, the string buffer, allocation failures.
 */
#include "test_common.h"

#include "util/util.h"

static void sha_hex(char out[65], const char *data, size_t len, size_t chunk)
{
    hegui_sha256 s;
    size_t i;
    assert_int_equal(hegui_sha256_init(&s), HEGUI_OK);
    for (i = 0; i < len; i += chunk)
        assert_int_equal(hegui_sha256_update(&s, data + i, len - i < chunk ? len - i : chunk),
                         HEGUI_OK);
    assert_int_equal(hegui_sha256_final_hex(&s, out), HEGUI_OK);
    assert_null(s.evp); /* final_hex released the context */
}

/* FIPS 180-2 appendix B known answers, each fed in one piece and in small
 * pieces that straddle the 64-byte blocks. */
static void test_util_sha256_vectors(void **state)
{
    char hex[65];
    static char million[1000000];
    const char *two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    (void)state;
    sha_hex(hex, "", 0, 1);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha_hex(hex, "abc", 3, 3);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sha_hex(hex, "abc", 3, 1);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sha_hex(hex, two_blocks, strlen(two_blocks), 7);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    memset(million, 'a', sizeof(million));
    sha_hex(hex, million, sizeof(million), sizeof(million));
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    sha_hex(hex, million, sizeof(million), 4093);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Splitting the input at any point, into two updates or around empty
 * ones, gives the one-piece digest; a different message does not. */
static void test_util_sha256_split_updates(void **state)
{
    char message[300], whole[65], split[65];
    size_t i, cut;
    (void)state;
    for (i = 0; i < sizeof(message); i++)
        message[i] = (char)(i * 7 + 3);
    sha_hex(whole, message, sizeof(message), sizeof(message));
    for (cut = 0; cut <= sizeof(message); cut++) {
        hegui_sha256 s;
        assert_int_equal(hegui_sha256_init(&s), HEGUI_OK);
        assert_int_equal(hegui_sha256_update(&s, message, cut), HEGUI_OK);
        assert_int_equal(hegui_sha256_update(&s, message + cut, 0), HEGUI_OK);
        assert_int_equal(hegui_sha256_update(&s, message + cut, sizeof(message) - cut), HEGUI_OK);
        assert_int_equal(hegui_sha256_final_hex(&s, split), HEGUI_OK);
        if (strcmp(split, whole) != 0)
            fail_msg("cut at %zu: %s, expected %s", cut, split, whole);
    }
    message[150] ^= 1;
    sha_hex(split, message, sizeof(message), 64);
    assert_string_not_equal(split, whole);
}

/* A hash abandoned before final_hex is released without a leak (the ASan
 * build checks), and releasing twice or after final_hex is harmless. */
static void test_util_sha256_release(void **state)
{
    hegui_sha256 s;
    char hex[65];
    (void)state;
    assert_int_equal(hegui_sha256_init(&s), HEGUI_OK);
    assert_non_null(s.evp);
    assert_int_equal(hegui_sha256_update(&s, "abc", 3), HEGUI_OK);
    hegui_sha256_release(&s);
    assert_null(s.evp);
    hegui_sha256_release(&s);
    hegui_sha256_release(NULL);
    assert_int_equal(hegui_sha256_init(&s), HEGUI_OK);
    assert_int_equal(hegui_sha256_final_hex(&s, hex), HEGUI_OK);
    hegui_sha256_release(&s);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_util_utf8(void **state)
{
    size_t replaced = 0;
    char *fixed;
    (void)state;
    assert_true(hegui_utf8_valid("晋城", strlen("晋城")));
    assert_false(hegui_utf8_valid("\xbd\xfa\xb3\xc7", 4)); /* 晋城 in GBK */
    assert_false(hegui_utf8_valid("\xc0\xaf", 2));         /* overlong '/' */
    assert_false(hegui_utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
    /* after and between runs of eight ASCII bytes (checked a word at a time) */
    assert_true(hegui_utf8_valid("POLYGON((1 2,3 4))", 18));
    assert_true(hegui_utf8_valid("POLYGON \xe6\x99\x8b\xe5\x9f\x8e 12345678 9", 25));
    assert_false(hegui_utf8_valid("POLYGON((1 2,3 4))\xff", 19));
    assert_false(hegui_utf8_valid("12345678\xe6\x99", 10)); /* cut short at the end */
    assert_false(hegui_utf8_valid("1234567812345678\xbd\xfa 12345678", 27));
    fixed = hegui_utf8_repair("a\xbd\xfa" "b", &replaced);
    assert_non_null(fixed);
    assert_int_equal(replaced, 2);
    assert_string_equal(fixed, "a\xEF\xBF\xBD\xEF\xBF\xBD" "b");
    hegui_free(fixed);
}

static void test_util_buf_json_and_failure(void **state)
{
    hegui_buf b = HEGUI_BUF_INIT;
    char *s;
    (void)state;
    hegui_buf_put_json_string(&b, "a\"b\\c\n\x01");
    assert_string_equal(hegui_buf_cstr(&b), "\"a\\\"b\\\\c\\n\\u0001\"");
    hegui_buf_release(&b);
    hegui_alloc_fail_after(1);
    assert_int_equal(hegui_buf_puts(&b, "x"), HEGUI_ENOMEM);
    assert_int_equal(hegui_error_code(), HEGUI_ENOMEM);
    assert_true(b.failed);
    hegui_buf_release(&b);
    hegui_alloc_fail_after(0);
    s = hegui_sprintf("%d-%s", 7, "x");
    assert_string_equal(s, "7-x");
    hegui_free(s);
}

static void test_util_strings(void **state)
{
    char *stem;
    (void)state;
    assert_true(hegui_str_iends("a/KFQ.SHP", ".shp"));
    assert_true(hegui_str_icontains("CGCS2000_3_Degree_GK_Zone_38", "gk_zone"));
    assert_false(hegui_str_istarts("ab", "abc"));
    assert_string_equal(hegui_path_basename("/x/y/z.gpkg"), "z.gpkg");
    stem = hegui_path_stem("/x/y/开发区.shp");
    assert_string_equal(stem, "开发区");
    hegui_free(stem);
}

/* A PostgreSQL connection string shows every password masked, in both of
 * libpq's forms; everything else stays as written. */
static void test_util_path_shown(void **state)
{
    static const char *const cases[][2] = {
        {"/data/jincheng/KFQ.shp", "/data/jincheng/KFQ.shp"},
        {"PG:dbname=plans host=db", "PG:dbname=plans host=db"},
        {"PG:dbname=plans password=s3cret host=db", "PG:dbname=plans password=*** host=db"},
        {"pg: host=db PASSWORD = s3cret", "pg: host=db PASSWORD = ***"},
        {"PG:password='a b\\' c' user=gis", "PG:password=*** user=gis"},
        {"PG:password=a\\ b user=gis", "PG:password=*** user=gis"},
        {"PG:user=gis password='open", "PG:***"}, /* unterminated quote */
        {"PG:user=gis password", "PG:***"},
        {"PG:dbname=plans tables=ydyh(geom)", "PG:dbname=plans tables=ydyh(geom)"},
        {"PG:postgresql://gis:s3cret@db:5432/plans", "PG:postgresql://gis:***@db:5432/plans"},
        {"PG:postgres://gis@db/plans?password=s3cret&sslmode=require",
         "PG:postgres://gis@db/plans?password=***&sslmode=require"},
        {"PG:postgresql://db/plans?sslmode=require", "PG:postgresql://db/plans?sslmode=require"},
        {"PG:postgresql://gis:p@ss@db/plans", "PG:postgresql://gis:***@db/plans"},
    };
    static const char *const dropped[][2] = {
        {"PG:dbname=plans password=s3cret host=db", "PG:dbname=plans host=db"},
        {"PG:password='a b' user=gis", "PG: user=gis"},
        {"PG:postgresql://gis:s3cret@db:5432/plans", "PG:postgresql://gis@db:5432/plans"},
        {"PG:postgres://gis@db/plans?password=s3cret&sslmode=require",
         "PG:postgres://gis@db/plans?sslmode=require"},
        {"PG:postgres://db/plans?sslmode=require&password=s3cret",
         "PG:postgres://db/plans?sslmode=require"},
        {"/data/KFQ.shp", "/data/KFQ.shp"},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *shown = hegui_path_shown(cases[i][0]);
        assert_non_null(shown);
        assert_string_equal(shown, cases[i][1]);
        hegui_free(shown);
    }
    for (i = 0; i < sizeof(dropped) / sizeof(dropped[0]); i++) {
        char *kept = hegui_path_without_password(dropped[i][0]);
        assert_non_null(kept);
        assert_string_equal(kept, dropped[i][1]);
        hegui_free(kept);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_util_sha256_vectors),
        cmocka_unit_test(test_util_sha256_split_updates),
        cmocka_unit_test(test_util_sha256_release),
        cmocka_unit_test(test_util_utf8),
        cmocka_unit_test(test_util_buf_json_and_failure),
        cmocka_unit_test(test_util_strings),
        cmocka_unit_test(test_util_path_shown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
