/* sig.c - signed /files URLs (see sig.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "sig.h"

int envd_sig_compute(const char *path, const char *op, const char *user, const char *token,
                     int64_t exp, char out[ENVD_SIG_MAX])
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx) return -1;
    unsigned char md[SHA256_DIGEST_LENGTH];
    unsigned int mdlen = 0;
    char expbuf[32] = "";
    if (exp >= 0) snprintf(expbuf, sizeof expbuf, ":%lld", (long long)exp);
    int ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
             EVP_DigestUpdate(ctx, path, strlen(path)) == 1 && EVP_DigestUpdate(ctx, ":", 1) == 1 &&
             EVP_DigestUpdate(ctx, op, strlen(op)) == 1 && EVP_DigestUpdate(ctx, ":", 1) == 1 &&
             EVP_DigestUpdate(ctx, user, strlen(user)) == 1 && EVP_DigestUpdate(ctx, ":", 1) == 1 &&
             EVP_DigestUpdate(ctx, token, strlen(token)) == 1 &&
             EVP_DigestUpdate(ctx, expbuf, strlen(expbuf)) == 1 &&
             EVP_DigestFinal_ex(ctx, md, &mdlen) == 1;
    EVP_MD_CTX_free(ctx);
    if (!ok || mdlen != sizeof md) return -1;
    unsigned char b64[64];
    int n = EVP_EncodeBlock(b64, md, (int)mdlen); /* padded, no newline for one block */
    while (n > 0 && b64[n - 1] == '=')
        n--;
    memcpy(out, "v1_", 3);
    memcpy(out + 3, b64, (size_t)n);
    out[3 + n] = '\0';
    return 0;
}

bool envd_sig_verify(const char *path, const char *op, const char *user, const char *token,
                     int64_t exp, const char *presented)
{
    char want[ENVD_SIG_MAX];
    if (!presented || envd_sig_compute(path, op, user, token, exp, want) < 0) return false;
    size_t n = strlen(want);
    if (strlen(presented) != n) return false;
    return CRYPTO_memcmp(want, presented, n) == 0;
}
