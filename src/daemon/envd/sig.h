/* sig.h - envd's signed /files URLs: "v1_" + unpadded base64(SHA-256(path:op:user:token[:exp])).
 * Pure functions (OpenSSL libcrypto for SHA-256 and base64). */
#ifndef BOXTOPD_ENVD_SIG_H
#define BOXTOPD_ENVD_SIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ENVD_SIG_MAX 64 /* "v1_" + 43 base64 chars + NUL fits easily */

/* Compute the signature. exp < 0 means "no expiration" (the ":exp" suffix is left out).
 * user may be "" (the username query parameter was absent). Returns 0 or -1. */
int envd_sig_compute(const char *path, const char *op, const char *user, const char *token,
                     int64_t exp, char out[ENVD_SIG_MAX]);

/* Constant-time check of a presented signature. */
bool envd_sig_verify(const char *path, const char *op, const char *user, const char *token,
                     int64_t exp, const char *presented);

#endif
