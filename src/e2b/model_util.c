/* model_util.c - field helpers over json.h that copy into owned model structs. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/json.h"
#include "model_util.h"

static int oom(struct error *err)
{
    return error_set(err, ERROR_GENERIC, "out of memory");
}

int model_req_str(const cJSON *o, const char *path, const char *key, char **out, struct error *err)
{
    const char *s;
    if (json_get_string(o, path, key, &s, err) < 0) return -1;
    if (!(*out = strdup(s))) return oom(err);
    return 0;
}

int model_opt_str(const cJSON *o, const char *path, const char *key, char **out, struct error *err)
{
    const char *s = NULL;
    *out = NULL;
    if (json_opt_string(o, path, key, &s, err) < 0) return -1;
    if (s && !(*out = strdup(s))) return oom(err);
    return 0;
}

static int range(const char *path, const char *key, int64_t v, int lo, int hi, int *out,
                 struct error *err)
{
    if (v < lo || v > hi)
        return error_set(err, ERROR_PROTOCOL, "%s.%s: %lld is out of range", path, key,
                         (long long)v);
    *out = (int)v;
    return 0;
}

int model_req_int(const cJSON *o, const char *path, const char *key, int lo, int hi, int *out,
                  struct error *err)
{
    int64_t v;
    if (json_get_int64(o, path, key, &v, err) < 0) return -1;
    return range(path, key, v, lo, hi, out, err);
}

int model_opt_int(const cJSON *o, const char *path, const char *key, int lo, int hi, int *out,
                  struct error *err)
{
    int64_t v;
    if (json_opt_int64(o, path, key, &v, 0, err) < 0) return -1;
    return range(path, key, v, lo, hi, out, err);
}

static int to_time(const char *s, const char *path, const char *key, int64_t *out,
                   struct error *err)
{
    if (json_parse_time(s, out) < 0)
        return error_set(err, ERROR_PROTOCOL, "%s.%s: not an RFC 3339 time", path, key);
    return 0;
}

int model_req_time(const cJSON *o, const char *path, const char *key, int64_t *out,
                   struct error *err)
{
    const char *s;
    if (json_get_string(o, path, key, &s, err) < 0) return -1;
    return to_time(s, path, key, out, err);
}

int model_opt_time(const cJSON *o, const char *path, const char *key, int64_t *out,
                   struct error *err)
{
    const char *s = NULL;
    *out = 0;
    if (json_opt_string(o, path, key, &s, err) < 0) return -1;
    return s ? to_time(s, path, key, out, err) : 0;
}

int model_kv_object(const cJSON *o, const char *path, struct kv_list *l, int lenient,
                    struct error *err)
{
    return model_kv_object_max(o, path, l, lenient, 0, NULL, err);
}

int model_kv_object_max(const cJSON *o, const char *path, struct kv_list *l, int lenient, int max,
                        int *dropped, struct error *err)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, o)
    {
        if (max > 0 && l->n >= max) { /* counted, not copied */
            if (dropped) (*dropped)++;
            continue;
        }
        char num[64];
        const char *v = NULL;
        if (cJSON_IsString(it))
            v = it->valuestring;
        else if (lenient && cJSON_IsBool(it))
            v = cJSON_IsTrue(it) ? "true" : "false";
        else if (lenient && cJSON_IsNumber(it)) {
            snprintf(num, sizeof num, "%.15g", it->valuedouble);
            v = num;
        } else if (lenient)
            continue;
        else
            return error_set(err, ERROR_PROTOCOL, "%s.%s: expected a string", path,
                             it->string ? it->string : "?");
        if (!it->string || kv_list_add(l, it->string, v) < 0) return oom(err);
    }
    return 0;
}

cJSON *model_parse_doc(const char *text, size_t len, int want_array, const char *what,
                       struct error *err)
{
    cJSON *doc = json_parse(text, len, err);
    if (!doc) {
        error_prefix(err, "%s", what);
        return NULL;
    }
    if ((want_array ? json_expect_array(doc, what, err) : json_expect_object(doc, what, err)) < 0) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

int model_str_array(const cJSON *o, const char *path, const char *key, char ***out, int *n,
                    struct error *err)
{
    const cJSON *arr, *it;
    char sub[96];
    if (json_get_array(o, path, key, &arr, err) < 0) return -1;
    json_path_key(sub, sizeof sub, path, key);
    int i = 0;
    cJSON_ArrayForEach(it, arr)
    {
        if (!cJSON_IsString(it)) {
            char p[128];
            return error_set(err, ERROR_PROTOCOL, "%s: expected a string",
                             json_path_index(p, sizeof p, sub, i));
        }
        char **slot = model_grow((void **)out, n, sizeof *slot);
        if (!slot || !(*slot = strdup(it->valuestring)))
            return error_set(err, ERROR_GENERIC, "out of memory");
        i++;
    }
    return 0;
}

void model_strv_free(char **v, int n)
{
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void *model_grow(void **items, int *n, size_t size)
{
    char *p = realloc(*items, (size_t)(*n + 1) * size);
    if (!p) return NULL;
    *items = p;
    memset(p + (size_t)*n * size, 0, size);
    return p + (size_t)(*n)++ * size;
}

int kv_list_add(struct kv_list *l, const char *key, const char *value)
{
    struct kv *kv = model_grow((void **)&l->items, &l->n, sizeof *kv);
    if (!kv) return -ENOMEM;
    kv->key = strdup(key);
    kv->value = strdup(value);
    if (!kv->key || !kv->value) {
        free(kv->key);
        free(kv->value);
        l->n--;
        return -ENOMEM;
    }
    return 0;
}

const char *kv_list_get(const struct kv_list *l, const char *key)
{
    for (int i = 0; i < l->n; i++)
        if (!strcmp(l->items[i].key, key)) return l->items[i].value;
    return NULL;
}

void kv_list_free(struct kv_list *l)
{
    for (int i = 0; i < l->n; i++) {
        free(l->items[i].key);
        free(l->items[i].value);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}
