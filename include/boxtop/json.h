/* json.h - strict accessors over cJSON.
 *
 * Every getter takes the path of the object it reads from (for messages such as
 * "sandboxes[3].cpuCount: expected a number, got a string") and never crashes on a missing
 * field or a wrong type: it returns -1 and fills err with ERROR_PROTOCOL. */
#ifndef BOXTOP_JSON_H
#define BOXTOP_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <cJSON.h>
#include "boxtop/error.h"

/* At most this many values (objects, arrays, members, elements) in one parsed document:
 * ~80 MB of cJSON nodes, some 80 000 directory entries or 1000 log entries of 1000 fields. */
#define JSON_MAX_VALUES 1000000

/* Parse exactly len bytes (no trailing garbage, no NUL needed). NULL + err on failure,
 * also when the document holds more than JSON_MAX_VALUES values (nothing is built then). */
cJSON *json_parse(const char *text, size_t len, struct error *err);
/* o's member key (case-sensitive) when it is a string, else NULL; json_num: when it is a
 * number, else def. o may be NULL or not an object. For lenient readers of our own files and
 * of optional fields; the json_get_* family below reports what is wrong. */
const char *json_str(const cJSON *o, const char *key);
double json_num(const cJSON *o, const char *key, double def);
/* o's member key when it is a number within [lo, hi] (and within +-2^53, where doubles are
 * exact integers), truncated; else def. Never casts a double that int64_t cannot hold (a
 * hand-edited state file's 1e999 or NaN would be undefined behaviour). */
#define JSON_INT_MAX INT64_C(9007199254740992)
int64_t json_int(const cJSON *o, const char *key, int64_t lo, int64_t hi, int64_t def);
/* o[key] = ms (Unix milliseconds) as json_format_time writes it; the added item or NULL. */
cJSON *json_add_time(cJSON *o, const char *key, int64_t ms);
/* An upper bound of the values in a JSON text (counting stops once above stop_above). */
size_t json_count_values(const char *text, size_t len, size_t stop_above);

/* Required fields: missing or wrong type is an error. The returned string points into obj. */
int json_get_string(const cJSON *obj, const char *path, const char *key, const char **out,
                    struct error *err);
/* int64 accepts a JSON integer (|n| < 2^53, where doubles are exact) or a decimal string (proto3
 * int64). */
int json_get_int64(const cJSON *obj, const char *path, const char *key, int64_t *out,
                   struct error *err);
int json_get_double(const cJSON *obj, const char *path, const char *key, double *out,
                    struct error *err);
int json_get_bool(const cJSON *obj, const char *path, const char *key, bool *out,
                  struct error *err);
int json_get_object(const cJSON *obj, const char *path, const char *key, const cJSON **out,
                    struct error *err);
int json_get_array(const cJSON *obj, const char *path, const char *key, const cJSON **out,
                   struct error *err);

/* Optional fields: absent or JSON null leaves *out = def (NULL for pointers) and returns 0;
 * present with a wrong type is still an error. */
int json_opt_string(const cJSON *obj, const char *path, const char *key, const char **out,
                    struct error *err);
int json_opt_int64(const cJSON *obj, const char *path, const char *key, int64_t *out, int64_t def,
                   struct error *err);
int json_opt_double(const cJSON *obj, const char *path, const char *key, double *out, double def,
                    struct error *err);
int json_opt_bool(const cJSON *obj, const char *path, const char *key, bool *out, bool def,
                  struct error *err);
int json_opt_object(const cJSON *obj, const char *path, const char *key, const cJSON **out,
                    struct error *err);
int json_opt_array(const cJSON *obj, const char *path, const char *key, const cJSON **out,
                   struct error *err);

/* Expect obj itself to be an object/array (for top-level documents and array items). */
int json_expect_object(const cJSON *obj, const char *path, struct error *err);
int json_expect_array(const cJSON *obj, const char *path, struct error *err);

/* "path.key" or "path[i]" into out (size n), for building child paths. */
const char *json_path_key(char *out, size_t n, const char *path, const char *key);
const char *json_path_index(char *out, size_t n, const char *path, int index);

/* Parse an RFC 3339 timestamp (up to 9 fractional digits, Z or +hh:mm) to Unix ms. */
int json_parse_time(const char *s, int64_t *ms_out);
/* Format Unix ms as RFC 3339 UTC with millisecond precision ("2026-11-25T12:00:00.123Z"). */
void json_format_time(int64_t ms, char *out, size_t n);
/* The one RFC 3339 formatter (UTC, "Z"): digits 3 or 9 fractional digits, 0 none, or
 * JSON_TIME_SHORTEST for 0, 3, 6 or 9 as the value needs (envd's file times). */
#define JSON_TIME_SHORTEST (-1)
void json_format_time_ns(int64_t sec, long nsec, int digits, char *out, size_t n);

#endif
