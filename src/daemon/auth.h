/* auth.h - the team API key of a state dir (DIR/api-key, `e2b_` + 40 hex, mode 0600). */
#ifndef BOXTOPD_AUTH_H
#define BOXTOPD_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#include "boxtop/error.h"

#define AUTH_KEY_LEN 44 /* "e2b_" + 40 hex */

/* Read DIR/api-key, or create it (RAND_bytes) on first start. out needs AUTH_KEY_LEN + 1. */
int auth_load_or_create(const char *state_dir, char *out, size_t n, struct error *err);
/* Read only (for --print-env); -1 when absent or malformed. */
int auth_load(const char *state_dir, char *out, size_t n, struct error *err);
bool auth_key_wellformed(const char *key);
/* Constant-time comparison of a presented key with the expected one. */
bool auth_key_matches(const char *expected, const char *given);

#endif
