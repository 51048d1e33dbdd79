/* files_sig.c - signed /files URLs (see files_sig.h). SHA-256 from libcrypto, base64 from core. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "boxtop/base64.h"
#include "boxtop/buf.h"
#include "boxtop/files_sig.h"

int files_sig_compute(const char *path, const char *op, const char *user, const char *token,
                      int64_t exp, char out[FILES_SIG_MAX])
{
    if (!path || !op || !token) return -1;
    struct buf s = BUF_INIT, b64 = BUF_INIT;
    unsigned char md[SHA256_DIGEST_LENGTH];
    int rc = buf_printf(&s, "%s:%s:%s:%s", path, op, user ? user : "", token);
    if (rc == 0 && exp >= 0) rc = buf_printf(&s, ":%" PRId64, exp);
    if (rc == 0 && s.data) SHA256((const unsigned char *)s.data, s.len, md);
    if (s.data) memset(s.data, 0, s.len); /* held the token */
    buf_free(&s);
    if (rc < 0 || base64_encode(&b64, md, sizeof md) < 0 || !b64.data) {
        buf_free(&b64);
        return -1;
    }
    size_t n = b64.len;
    while (n > 0 && b64.data[n - 1] == '=') /* unpadded */
        n--;
    snprintf(out, FILES_SIG_MAX, "v1_%.*s", (int)n, b64.data);
    buf_free(&b64);
    return 0;
}

bool files_sig_verify(const char *path, const char *op, const char *user, const char *token,
                      int64_t exp, const char *presented)
{
    char want[FILES_SIG_MAX];
    if (!presented || files_sig_compute(path, op, user, token, exp, want) < 0) return false;
    size_t n = strlen(want);
    if (strlen(presented) != n) return false;
    return CRYPTO_memcmp(want, presented, n) == 0;
}
