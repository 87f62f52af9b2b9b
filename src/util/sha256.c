/*
 * sha256.c - SHA-256 for the input and rules hashes of the reports, on
 * OpenSSL's libcrypto (EVP_sha256). libcrypto picks the SHA-NI or AVX2
 * code at run time (about 5x our former portable C) and is a well-kept,
 * widely reviewed library; util/ otherwise stays libc only. Checked
 * against the FIPS 180-2 vectors in tests/unit/test_util.c.
 *
 * EVP allocates its context itself, outside hegui_malloc; a failure is
 * still reported as HEGUI_ENOMEM.
 */
#include <openssl/evp.h>

#include "util/util.h"

int hegui_sha256_init(hegui_sha256 *s)
{
    s->evp = EVP_MD_CTX_new();
    if (!s->evp)
        return hegui_error_set(HEGUI_ENOMEM, "out of memory (SHA-256 context)");
    if (EVP_DigestInit_ex(s->evp, EVP_sha256(), NULL) != 1) {
        hegui_sha256_release(s);
        return hegui_error_set(HEGUI_EINTERNAL, "SHA-256: OpenSSL cannot start a digest");
    }
    return HEGUI_OK;
}

int hegui_sha256_update(hegui_sha256 *s, const void *data, size_t len)
{
    if (len > 0 && EVP_DigestUpdate(s->evp, data, len) != 1)
        return hegui_error_set(HEGUI_EINTERNAL, "SHA-256: OpenSSL failed to hash %zu bytes", len);
    return HEGUI_OK;
}

int hegui_sha256_final_hex(hegui_sha256 *s, char out_hex[65])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    size_t i;
    int ok = EVP_DigestFinal_ex(s->evp, digest, &size) == 1 && size == 32;
    hegui_sha256_release(s);
    out_hex[0] = '\0';
    if (!ok)
        return hegui_error_set(HEGUI_EINTERNAL, "SHA-256: OpenSSL failed to finish a digest");
    for (i = 0; i < 32; i++) {
        out_hex[2 * i] = hex[digest[i] >> 4];
        out_hex[2 * i + 1] = hex[digest[i] & 15];
    }
    out_hex[64] = '\0';
    return HEGUI_OK;
}

void hegui_sha256_release(hegui_sha256 *s)
{
    if (!s)
        return;
    EVP_MD_CTX_free(s->evp);
    s->evp = NULL;
}
