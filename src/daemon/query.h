/* query.h - URL query strings as boxtopd's handlers see them.
 *
 * Decoding follows Go's net/url (what E2B's API server uses): '+' is a space, %XX is a byte,
 * a malformed escape is an error. Decoded NUL bytes are refused so that no value can carry
 * one into a path or a comparison. The metadata filter of GET /v2/sandboxes is decoded three
 * times in total, as the E2B API does: once as a query parameter (query_parse), once as a
 * whole string, then each key and value (query_parse_metadata); see platform-api.md §5. */
#ifndef BOXTOPD_QUERY_H
#define BOXTOPD_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "boxtop/error.h"

struct query_param {
    char *name;  /* decoded, NUL-terminated */
    char *value; /* decoded, NUL-terminated ("" for "name" without '=') */
};

struct query {
    struct query_param *params;
    size_t n, cap;
};

#define QUERY_MAX_PARAMS 256

/* Percent-decode len bytes of in into a new malloc'd string (*out). plus_space: '+' -> ' '.
 * Returns 0, or -1 (bad escape, NUL byte, or no memory). */
int query_unescape(const char *in, size_t len, bool plus_space, char **out);

/* Parse "a=1&b=2" (raw, as on the wire, without '?'). Empty pieces are skipped. */
int query_parse(struct query *q, const char *raw, size_t len, struct error *err);
void query_free(struct query *q);

/* First value of name, or NULL. */
const char *query_get(const struct query *q, const char *name);
/* Number of occurrences of name; query_get_nth returns the i-th (for repeated "types="). */
size_t query_count(const struct query *q, const char *name);
const char *query_get_nth(const struct query *q, const char *name, size_t i);

/* The already-once-decoded `metadata` value "k1=v1&k2=v2" -> pairs (see the top comment). */
int query_parse_metadata(const char *value, struct query *out, struct error *err);

/* Strict integers for query values: optional '-', digits only, no overflow. */
int query_parse_int64(const char *s, long long *out);

#endif
