/* json.c - strict, path-reporting accessors over cJSON.
 *
 * Peers are hostile until checked: every getter verifies presence and type and reports the
 * field's full path ("sandboxes[3].cpuCount") in the error. Lookups are case-sensitive
 * (cJSON_GetObjectItem is not), integers are read from valuedouble (valueint saturates at
 * INT_MAX, which breaks millisecond timestamps), and error messages never quote the
 * offending value, which could be large, hostile or secret. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/i18n.h"
#include "boxtop/json.h"

/* 2^53: from here on a double cannot tell n from n+1 (9007199254740993 parses as 2^53),
 * so integers must stay below it (JavaScript's Number.MAX_SAFE_INTEGER is 2^53 - 1). */
#define JSON_UNSAFE_INT 9007199254740992.0

size_t json_count_values(const char *text, size_t len, size_t stop_above)
{
    /* every value but the first follows a ',' or opens a container's first member; ':' is
     * not counted (a member is one node), so this is an upper bound of cJSON's nodes */
    size_t n = 1;
    bool in_str = false;
    for (size_t i = 0; i < len && n <= stop_above; i++) {
        char c = text[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == ',' || c == '[' || c == '{') {
            n++;
        }
    }
    return n;
}

const char *json_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

double json_num(const cJSON *o, const char *key, double def)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : def;
}

int64_t json_int(const cJSON *o, const char *key, int64_t lo, int64_t hi, int64_t def)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (lo < -JSON_INT_MAX) lo = -JSON_INT_MAX;
    if (hi > JSON_INT_MAX) hi = JSON_INT_MAX; /* exact as a double, so the cast below is defined */
    /* written as !(in range) so that NaN is refused too */
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= (double)lo && v->valuedouble <= (double)hi))
        return def;
    return (int64_t)v->valuedouble;
}

cJSON *json_add_time(cJSON *o, const char *key, int64_t ms)
{
    char ts[64];
    json_format_time(ms, ts, sizeof ts);
    return cJSON_AddStringToObject(o, key, ts);
}

cJSON *json_parse(const char *text, size_t len, struct error *err)
{
    const char *end = NULL;
    if (!text || len == 0) {
        error_set(err, ERROR_PROTOCOL, _("invalid JSON: empty document"));
        return NULL;
    }
    /* A 254 KB gzip answer inflated to 250 MiB of [{},{},...] became 85 M cJSON nodes
     * (13 GB): count before building anything. */
    if (json_count_values(text, len, JSON_MAX_VALUES) > JSON_MAX_VALUES) {
        error_set(err, ERROR_PROTOCOL, _("the answer holds more than %d JSON values"),
                  JSON_MAX_VALUES);
        return NULL;
    }
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root) {
        size_t at = end && end >= text && end <= text + len ? (size_t)(end - text) : 0;
        error_set(err, ERROR_PROTOCOL, _("invalid JSON at byte %zu"), at);
        return NULL;
    }
    /* cJSON stops after the first value; anything but whitespace after it is garbage. */
    for (const char *p = end; p < text + len; p++) {
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
            cJSON_Delete(root);
            error_set(err, ERROR_PROTOCOL, _("invalid JSON: trailing data at byte %zu"),
                      (size_t)(p - text));
            return NULL;
        }
    }
    return root;
}

const char *json_path_key(char *out, size_t n, const char *path, const char *key)
{
    if (n == 0) return out;
    if (path && *path)
        snprintf(out, n, "%s.%s", path, key ? key : "");
    else
        snprintf(out, n, "%s", key ? key : "");
    return out;
}

const char *json_path_index(char *out, size_t n, const char *path, int index)
{
    if (n == 0) return out;
    snprintf(out, n, "%s[%d]", path ? path : "", index);
    return out;
}

static const char *type_name(const cJSON *v)
{
    if (!v || cJSON_IsInvalid(v)) return _("nothing");
    if (cJSON_IsNull(v)) return _("null");
    if (cJSON_IsBool(v)) return _("a boolean");
    if (cJSON_IsNumber(v)) return _("a number");
    if (cJSON_IsString(v)) return _("a string");
    if (cJSON_IsArray(v)) return _("an array");
    if (cJSON_IsObject(v)) return _("an object");
    return _("something else");
}

/* What field() found. */
enum found { FOUND, ABSENT, NOT_AN_OBJECT };

/* Look up obj[key] case-sensitively; JSON null counts as absent only when null_is_absent. */
static enum found field(const cJSON *obj, const char *key, bool null_is_absent, const cJSON **out)
{
    *out = NULL;
    if (!cJSON_IsObject(obj)) return NOT_AN_OBJECT;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v || (null_is_absent && cJSON_IsNull(v))) return ABSENT;
    *out = v;
    return FOUND;
}

static int err_not_object(const cJSON *obj, const char *path, struct error *err)
{
    return error_set(err, ERROR_PROTOCOL, _("%s: expected an object, got %s"),
                     path && *path ? path : _("document"), type_name(obj));
}

static int err_type(const char *path, const char *key, const char *want, const cJSON *got,
                    struct error *err)
{
    char p[256];
    return error_set(err, ERROR_PROTOCOL, _("%s: expected %s, got %s"),
                     json_path_key(p, sizeof p, path, key), want, type_name(got));
}

static int err_missing(const char *path, const char *key, struct error *err)
{
    char p[256];
    return error_set(err, ERROR_PROTOCOL, _("%s: missing"), json_path_key(p, sizeof p, path, key));
}

/* Fetch a field for a required (opt=false) or optional getter. Returns 1 found, 0 absent
 * and optional, -1 error (already reported). */
static int lookup(const cJSON *obj, const char *path, const char *key, bool opt, const cJSON **v,
                  struct error *err)
{
    switch (field(obj, key, opt, v)) {
    case NOT_AN_OBJECT:
        return err_not_object(obj, path, err);
    case ABSENT:
        return opt ? 0 : err_missing(path, key, err);
    case FOUND:
        break;
    }
    return 1;
}

static int get_string(const cJSON *obj, const char *path, const char *key, bool opt,
                      const char **out, struct error *err)
{
    const cJSON *v;
    int rc = lookup(obj, path, key, opt, &v, err);
    if (rc <= 0) return rc;
    if (!cJSON_IsString(v) || !v->valuestring) return err_type(path, key, _("a string"), v, err);
    *out = v->valuestring;
    return 0;
}

int json_get_string(const cJSON *obj, const char *path, const char *key, const char **out,
                    struct error *err)
{
    return get_string(obj, path, key, false, out, err);
}

int json_opt_string(const cJSON *obj, const char *path, const char *key, const char **out,
                    struct error *err)
{
    *out = NULL;
    return get_string(obj, path, key, true, out, err);
}

/* A proto3 int64 string: optional '-', decimal digits, within int64. */
static int parse_int64_string(const char *s, int64_t *out)
{
    bool neg = *s == '-';
    if (neg) s++;
    if (!*s) return -EINVAL;
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return -EINVAL;
        unsigned d = (unsigned)(*s - '0');
        if (v > (limit - d) / 10) return -ERANGE;
        v = v * 10 + d;
    }
    *out = neg ? (v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v) : (int64_t)v;
    return 0;
}

static int get_int64(const cJSON *obj, const char *path, const char *key, bool opt, int64_t *out,
                     struct error *err)
{
    const cJSON *v;
    int rc = lookup(obj, path, key, opt, &v, err);
    if (rc <= 0) return rc;
    char p[256];
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (!isfinite(d) || d != floor(d))
            return error_set(err, ERROR_PROTOCOL, _("%s: expected an integer"),
                             json_path_key(p, sizeof p, path, key));
        if (d >= JSON_UNSAFE_INT || d <= -JSON_UNSAFE_INT)
            return error_set(err, ERROR_PROTOCOL,
                             _("%s: integer too large to be exact (send it as a string)"),
                             json_path_key(p, sizeof p, path, key));
        *out = (int64_t)d;
        return 0;
    }
    if (cJSON_IsString(v) && v->valuestring) {
        int r = parse_int64_string(v->valuestring, out);
        if (r == -ERANGE)
            return error_set(err, ERROR_PROTOCOL, _("%s: integer out of range"),
                             json_path_key(p, sizeof p, path, key));
        if (r < 0)
            return error_set(err, ERROR_PROTOCOL, _("%s: expected an integer, got a string"),
                             json_path_key(p, sizeof p, path, key));
        return 0;
    }
    return err_type(path, key, _("an integer"), v, err);
}

int json_get_int64(const cJSON *obj, const char *path, const char *key, int64_t *out,
                   struct error *err)
{
    return get_int64(obj, path, key, false, out, err);
}

int json_opt_int64(const cJSON *obj, const char *path, const char *key, int64_t *out, int64_t def,
                   struct error *err)
{
    *out = def;
    return get_int64(obj, path, key, true, out, err);
}

/* proto3 JSON may send doubles as strings, including "NaN" and "Infinity". */
static int parse_double_string(const char *s, double *out)
{
    if (strcmp(s, "NaN") == 0) {
        *out = NAN;
        return 0;
    }
    if (strcmp(s, "Infinity") == 0 || strcmp(s, "-Infinity") == 0) {
        *out = s[0] == '-' ? -INFINITY : INFINITY;
        return 0;
    }
    /* Parsed as a JSON number by cJSON, which, unlike strtod, does not depend on the
     * locale's decimal point and does not take hex, "inf" or leading blanks. */
    size_t n = strlen(s);
    if (n == 0 || n > 64 || strspn(s, "0123456789+-.eE") != n) return -EINVAL;
    const char *end = NULL;
    cJSON *num = cJSON_ParseWithLengthOpts(s, n, &end, 0);
    bool ok = cJSON_IsNumber(num) && end == s + n;
    if (ok) *out = num->valuedouble;
    cJSON_Delete(num);
    return ok ? 0 : -EINVAL;
}

static int get_double(const cJSON *obj, const char *path, const char *key, bool opt, double *out,
                      struct error *err)
{
    const cJSON *v;
    int rc = lookup(obj, path, key, opt, &v, err);
    if (rc <= 0) return rc;
    if (cJSON_IsNumber(v)) {
        *out = v->valuedouble;
        return 0;
    }
    if (cJSON_IsString(v) && v->valuestring && parse_double_string(v->valuestring, out) == 0)
        return 0;
    return err_type(path, key, _("a number"), v, err);
}

int json_get_double(const cJSON *obj, const char *path, const char *key, double *out,
                    struct error *err)
{
    return get_double(obj, path, key, false, out, err);
}

int json_opt_double(const cJSON *obj, const char *path, const char *key, double *out, double def,
                    struct error *err)
{
    *out = def;
    return get_double(obj, path, key, true, out, err);
}

static int get_bool(const cJSON *obj, const char *path, const char *key, bool opt, bool *out,
                    struct error *err)
{
    const cJSON *v;
    int rc = lookup(obj, path, key, opt, &v, err);
    if (rc <= 0) return rc;
    if (!cJSON_IsBool(v)) return err_type(path, key, _("a boolean"), v, err);
    *out = cJSON_IsTrue(v);
    return 0;
}

int json_get_bool(const cJSON *obj, const char *path, const char *key, bool *out, struct error *err)
{
    return get_bool(obj, path, key, false, out, err);
}

int json_opt_bool(const cJSON *obj, const char *path, const char *key, bool *out, bool def,
                  struct error *err)
{
    *out = def;
    return get_bool(obj, path, key, true, out, err);
}

static int get_container(const cJSON *obj, const char *path, const char *key, bool opt,
                         bool want_array, const cJSON **out, struct error *err)
{
    const cJSON *v;
    int rc = lookup(obj, path, key, opt, &v, err);
    if (rc <= 0) return rc;
    if (want_array ? !cJSON_IsArray(v) : !cJSON_IsObject(v))
        return err_type(path, key, want_array ? _("an array") : _("an object"), v, err);
    *out = v;
    return 0;
}

int json_get_object(const cJSON *obj, const char *path, const char *key, const cJSON **out,
                    struct error *err)
{
    return get_container(obj, path, key, false, false, out, err);
}

int json_get_array(const cJSON *obj, const char *path, const char *key, const cJSON **out,
                   struct error *err)
{
    return get_container(obj, path, key, false, true, out, err);
}

int json_opt_object(const cJSON *obj, const char *path, const char *key, const cJSON **out,
                    struct error *err)
{
    *out = NULL;
    return get_container(obj, path, key, true, false, out, err);
}

int json_opt_array(const cJSON *obj, const char *path, const char *key, const cJSON **out,
                   struct error *err)
{
    *out = NULL;
    return get_container(obj, path, key, true, true, out, err);
}

int json_expect_object(const cJSON *obj, const char *path, struct error *err)
{
    if (cJSON_IsObject(obj)) return 0;
    return err_not_object(obj, path, err);
}

int json_expect_array(const cJSON *obj, const char *path, struct error *err)
{
    if (cJSON_IsArray(obj)) return 0;
    return error_set(err, ERROR_PROTOCOL, _("%s: expected an array, got %s"),
                     path && *path ? path : _("document"), type_name(obj));
}
