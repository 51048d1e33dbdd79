/* files_sig.h - envd's signed /files URLs, one implementation for both programs: boxtop signs
 * (files.c: files_url), boxtopd verifies (src/daemon/envd/denvd_http.c).
 *
 * signature = "v1_" + unpadded standard base64(SHA-256("path:op:user:token[:exp]")), as envd
 * in Go computes it. user is "" when the URL carries no username; op is "read" or "write".
 * No expiry has one meaning everywhere: FILES_SIG_NO_EXPIRY (any exp < 0) leaves the ":exp"
 * part and the signature_expiration parameter out; every exp >= 0 is a Unix time in seconds
 * and is signed, as envd does with a signature_expiration that is present (even 0). */
#ifndef BOXTOP_FILES_SIG_H
#define BOXTOP_FILES_SIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FILES_SIG_MAX       64 /* "v1_" + 43 base64 chars + NUL fits easily */
#define FILES_SIG_NO_EXPIRY (-1)

/* 0, or -1 (out of memory, NULL arguments). */
int files_sig_compute(const char *path, const char *op, const char *user, const char *token,
                      int64_t exp, char out[FILES_SIG_MAX]);

/* Constant-time check of a presented signature. */
bool files_sig_verify(const char *path, const char *op, const char *user, const char *token,
                      int64_t exp, const char *presented);

#endif
