/* model_util.h - small helpers shared by the model parsers (private to src/e2b). */
#ifndef BOXTOP_MODEL_UTIL_H
#define BOXTOP_MODEL_UTIL_H

#include <stdint.h>

#include <cJSON.h>

#include "boxtop/error.h"
#include "boxtop/models.h"

/* Required/optional string copied with strdup (out NULL when optional and absent). */
int model_req_str(const cJSON *o, const char *path, const char *key, char **out, struct error *err);
int model_opt_str(const cJSON *o, const char *path, const char *key, char **out, struct error *err);
/* Required int within [lo, hi]. */
int model_req_int(const cJSON *o, const char *path, const char *key, int lo, int hi, int *out,
                  struct error *err);
int model_opt_int(const cJSON *o, const char *path, const char *key, int lo, int hi, int *out,
                  struct error *err);
/* RFC 3339 time field to Unix ms. */
int model_req_time(const cJSON *o, const char *path, const char *key, int64_t *out,
                   struct error *err);
int model_opt_time(const cJSON *o, const char *path, const char *key, int64_t *out,
                   struct error *err);
/* A JSON object of string values into l (non-string values are an error unless lenient,
 * in which case numbers and booleans are formatted and other types skipped). */
int model_kv_object(const cJSON *o, const char *path, struct kv_list *l, int lenient,
                    struct error *err);
/* The same, keeping at most max pairs (0 = all); the others are counted in *dropped. */
int model_kv_object_max(const cJSON *o, const char *path, struct kv_list *l, int lenient, int max,
                        int *dropped, struct error *err);
/* Parse text as a document whose top level is an object (or an array with want_array). */
cJSON *model_parse_doc(const char *text, size_t len, int want_array, const char *what,
                       struct error *err);
/* A required array of strings at key into *out (*n entries; free with model_strv_free). */
int model_str_array(const cJSON *o, const char *path, const char *key, char ***out, int *n,
                    struct error *err);
void model_strv_free(char **v, int n);
/* Grow-by-one for the model arrays; returns the new zeroed slot or NULL. */
void *model_grow(void **items, int *n, size_t size);

#endif
