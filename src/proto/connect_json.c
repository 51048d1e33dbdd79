/* connect_json.c - proto3 JSON mapping helpers over cJSON (connect-rpc.md §9).
 *
 * Go's protojson writes int64 as strings, omits defaults and writes enums as names; it reads
 * numbers or strings and names or numbers. These helpers do the same for the few scalar
 * kinds envd messages use, so request building and event parsing stay short and strict. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/base64.h"
#include "boxtop/connect.h"

const char *pjson_enum_name(const struct pjson_enum *tab, int value)
{
    for (; tab->name; tab++)
        if (tab->value == value) return tab->name;
    return NULL;
}

int pjson_enum_value(const struct pjson_enum *tab, const cJSON *item, int *out)
{
    if (cJSON_IsString(item)) {
        for (; tab->name; tab++) {
            if (!strcmp(tab->name, item->valuestring)) {
                *out = tab->value;
                return 0;
            }
        }
        return -1;
    }
    if (cJSON_IsNumber(item)) {
        double v = item->valuedouble;
        if (!(v >= INT_MIN && v <= INT_MAX) || (double)(int)v != v) return -1;
        /* protojson keeps unknown numeric enum values; so do we. */
        *out = (int)v;
        return 0;
    }
    return -1;
}

static int added(const cJSON *item)
{
    return item ? 0 : -ENOMEM;
}

int pjson_add_string(cJSON *obj, const char *key, const char *s, bool always)
{
    if (!s || (!*s && !always)) return 0;
    return added(cJSON_AddStringToObject(obj, key, s));
}

int pjson_add_bool(cJSON *obj, const char *key, bool v, bool always)
{
    if (!v && !always) return 0;
    return added(cJSON_AddBoolToObject(obj, key, v));
}

int pjson_add_uint32(cJSON *obj, const char *key, uint32_t v, bool always)
{
    if (!v && !always) return 0;
    return added(cJSON_AddNumberToObject(obj, key, (double)v));
}

int pjson_add_int32(cJSON *obj, const char *key, int32_t v, bool always)
{
    if (!v && !always) return 0;
    return added(cJSON_AddNumberToObject(obj, key, (double)v));
}

int pjson_add_int64(cJSON *obj, const char *key, int64_t v, bool always)
{
    if (!v && !always) return 0;
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%" PRId64, v);
    return added(cJSON_AddStringToObject(obj, key, tmp));
}

int pjson_add_bytes(cJSON *obj, const char *key, const void *data, size_t len, bool always)
{
    if (!len && !always) return 0;
    struct buf b = BUF_INIT;
    int rc = base64_encode(&b, data, len);
    if (rc == 0) rc = added(cJSON_AddStringToObject(obj, key, buf_cstr(&b)));
    buf_free(&b);
    return rc;
}

int pjson_add_enum(cJSON *obj, const char *key, const struct pjson_enum *tab, int value,
                   bool always)
{
    if (!value && !always) return 0;
    const char *name = pjson_enum_name(tab, value);
    if (name) return added(cJSON_AddStringToObject(obj, key, name));
    return added(cJSON_AddNumberToObject(obj, key, value));
}

/* Member or NULL when absent or JSON null (protojson treats null as the default). */
static const cJSON *member(const cJSON *obj, const char *key)
{
    const cJSON *it = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
    return (it && !cJSON_IsNull(it)) ? it : NULL;
}

static int bad(struct error *err, const char *path, const char *key, const char *what)
{
    return error_set(err, ERROR_PROTOCOL, "%s%s%s: %s", path ? path : "", path && *path ? "." : "",
                     key, what);
}

int pjson_get_string(const cJSON *obj, const char *path, const char *key, const char **out,
                     struct error *err)
{
    const cJSON *it = member(obj, key);
    *out = NULL;
    if (!it) return 0;
    if (!cJSON_IsString(it)) return bad(err, path, key, "expected a string");
    *out = it->valuestring;
    return 0;
}

int pjson_get_bool(const cJSON *obj, const char *path, const char *key, bool *out,
                   struct error *err)
{
    const cJSON *it = member(obj, key);
    *out = false;
    if (!it) return 0;
    if (!cJSON_IsBool(it)) return bad(err, path, key, "expected a boolean");
    *out = cJSON_IsTrue(it);
    return 0;
}

/* Integer from a JSON number (integral) or a decimal string, within [lo, hi]. */
static int get_integer(const cJSON *obj, const char *path, const char *key, int64_t lo, int64_t hi,
                       int64_t *out, struct error *err)
{
    const cJSON *it = member(obj, key);
    *out = 0;
    if (!it) return 0;
    int64_t v;
    if (cJSON_IsNumber(it)) {
        double d = it->valuedouble;
        /* Beyond 2^53 a double cannot hold every integer: require the string form. */
        if (!(d >= -9007199254740992.0 && d <= 9007199254740992.0) || (double)(int64_t)d != d)
            return bad(err, path, key, "expected an integer");
        v = (int64_t)d;
    } else if (cJSON_IsString(it)) {
        const char *s = it->valuestring;
        char *end = NULL;
        if (!*s || !(*s == '-' || (*s >= '0' && *s <= '9')))
            return bad(err, path, key, "expected an integer");
        errno = 0;
        long long ll = strtoll(s, &end, 10);
        if (errno || *end) return bad(err, path, key, "expected an integer");
        v = ll;
    } else {
        return bad(err, path, key, "expected an integer");
    }
    if (v < lo || v > hi) return bad(err, path, key, "integer out of range");
    *out = v;
    return 0;
}

int pjson_get_uint32(const cJSON *obj, const char *path, const char *key, uint32_t *out,
                     struct error *err)
{
    int64_t v;
    int rc = get_integer(obj, path, key, 0, UINT32_MAX, &v, err);
    *out = (uint32_t)v;
    return rc;
}

int pjson_get_int32(const cJSON *obj, const char *path, const char *key, int32_t *out,
                    struct error *err)
{
    int64_t v;
    int rc = get_integer(obj, path, key, INT32_MIN, INT32_MAX, &v, err);
    *out = (int32_t)v;
    return rc;
}

int pjson_get_int64(const cJSON *obj, const char *path, const char *key, int64_t *out,
                    struct error *err)
{
    return get_integer(obj, path, key, INT64_MIN, INT64_MAX, out, err);
}

int pjson_get_bytes(const cJSON *obj, const char *path, const char *key, struct buf *out,
                    struct error *err)
{
    const cJSON *it = member(obj, key);
    if (!it) return 0;
    if (!cJSON_IsString(it)) return bad(err, path, key, "expected base64 bytes");
    if (base64_decode(out, it->valuestring, strlen(it->valuestring)) < 0)
        return bad(err, path, key, "invalid base64");
    return 0;
}

int pjson_get_enum(const cJSON *obj, const char *path, const char *key,
                   const struct pjson_enum *tab, int *out, struct error *err)
{
    const cJSON *it = member(obj, key);
    *out = 0;
    if (!it) return 0;
    if (pjson_enum_value(tab, it, out) < 0) return bad(err, path, key, "unknown enum value");
    return 0;
}

int pjson_get_object(const cJSON *obj, const char *path, const char *key, const cJSON **out,
                     struct error *err)
{
    const cJSON *it = member(obj, key);
    *out = NULL;
    if (!it) return 0;
    if (!cJSON_IsObject(it)) return bad(err, path, key, "expected an object");
    *out = it;
    return 0;
}

int pjson_print(struct buf *out, const cJSON *doc)
{
    char *s = cJSON_PrintUnformatted(doc);
    if (!s) return -ENOMEM;
    int rc = buf_append_str(out, s);
    cJSON_free(s);
    return rc;
}
