/* validate.c - request body validation for the platform API (see validate.h). Messages follow
 * E2B's ("validation error: ...", "Timeout must be greater than 0"). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "validate.h"

static bool is_ws(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

int validate_object(const char *body, size_t len, bool allow_empty, cJSON **out, struct error *err)
{
    size_t i = 0;
    const char *end = NULL;
    cJSON *j;

    *out = NULL;
    while (i < len && is_ws(body[i]))
        i++;
    if (i == len) {
        if (!allow_empty) {
            error_set(err, ERROR_USAGE,
                      "validation error: request body has an error: value is required but "
                      "missing");
            return 400;
        }
        *out = cJSON_CreateObject();
        if (!*out) {
            error_set(err, ERROR_GENERIC, "out of memory");
            return 500;
        }
        return 0;
    }
    if (memchr(body, '\0', len)) {
        error_set(err, ERROR_USAGE, "validation error: request body is not valid JSON");
        return 400;
    }
    j = cJSON_ParseWithLengthOpts(body, len, &end, 0);
    if (j && end) {
        while (end < body + len && is_ws(*end))
            end++;
        if (end != body + len) {
            cJSON_Delete(j);
            j = NULL;
        }
    }
    if (!j) {
        error_set(err, ERROR_USAGE, "validation error: request body is not valid JSON");
        return 400;
    }
    if (!cJSON_IsObject(j)) {
        cJSON_Delete(j);
        error_set(err, ERROR_USAGE, "validation error: request body must be a JSON object");
        return 400;
    }
    *out = j;
    return 0;
}

static int opt_int32(const cJSON *o, const char *key, int64_t def, int64_t *out, struct error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    *out = def;
    if (!v || cJSON_IsNull(v)) return 0;
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) ||
        v->valuedouble != floor(v->valuedouble) || v->valuedouble > 2147483647.0 ||
        v->valuedouble < -2147483648.0) {
        error_set(err, ERROR_USAGE, "validation error: field \"%s\" must be an int32", key);
        return 400;
    }
    *out = (int64_t)v->valuedouble;
    return 0;
}

static int opt_bool(const cJSON *o, const char *key, bool def, bool *out, struct error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    *out = def;
    if (!v || cJSON_IsNull(v)) return 0;
    if (!cJSON_IsBool(v)) {
        error_set(err, ERROR_USAGE, "validation error: field \"%s\" must be a boolean", key);
        return 400;
    }
    *out = cJSON_IsTrue(v);
    return 0;
}

#define MAP_MAX_ENTRIES 256
#define MAP_MAX_BYTES   (64u << 10)

static int opt_string_map(const cJSON *o, const char *key, cJSON **out, struct error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key), *it;
    size_t n = 0, bytes = 0;
    *out = NULL;
    if (!v || cJSON_IsNull(v)) return 0;
    if (!cJSON_IsObject(v)) goto bad;
    cJSON_ArrayForEach(it, v)
    {
        if (!cJSON_IsString(it) || !it->string) goto bad;
        bytes += strlen(it->string) + strlen(it->valuestring);
        if (++n > MAP_MAX_ENTRIES || bytes > MAP_MAX_BYTES) {
            error_set(err, ERROR_USAGE, "validation error: field \"%s\" is too large", key);
            return 400;
        }
        for (const cJSON *p = v->child; p != it; p = p->next)
            if (strcmp(p->string, it->string) == 0) {
                error_set(err, ERROR_USAGE,
                          "validation error: field \"%s\" has a duplicate "
                          "key",
                          key);
                return 400;
            }
    }
    *out = cJSON_Duplicate(v, 1);
    if (!*out) {
        error_set(err, ERROR_GENERIC, "out of memory");
        return 500;
    }
    return 0;
bad:
    error_set(err, ERROR_USAGE, "validation error: field \"%s\" must be an object of strings", key);
    return 400;
}

bool validate_template_ref(const char *ref)
{
    const char *slash = strchr(ref, '/');
    const char *name = slash ? slash + 1 : ref;
    if (slash && (slash == ref || strchr(name, '/'))) return false;
    for (const char *p = ref; slash && p < slash; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return false; /* namespace: a team slug */
    size_t n = strcspn(name, ":");
    if (n != 4 || strncmp(name, "base", 4) != 0) return false;
    if (name[4] == ':') return strcmp(name + 5, "default") == 0 || strcmp(name + 5, "latest") == 0;
    return name[4] == '\0';
}

void create_req_free(struct create_req *r)
{
    cJSON_Delete(r->metadata);
    cJSON_Delete(r->env_vars);
    r->metadata = r->env_vars = NULL;
}

int validate_create(const char *body, size_t len, bool v2, struct create_req *out,
                    struct error *err)
{
    cJSON *o;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = validate_object(body, len, false, &o, err))) return rc;
    const cJSON *tpl = cJSON_GetObjectItemCaseSensitive(o, "templateID");
    if (!cJSON_IsString(tpl) || !*tpl->valuestring) {
        error_set(err, ERROR_USAGE,
                  "validation error: field \"templateID\" is required and must be a string");
        rc = 400;
        goto out;
    }
    if ((rc = opt_int32(o, "timeout", v2 ? 300 : 15, &out->timeout_s, err)) ||
        (rc = opt_bool(o, "autoPause", false, &out->auto_pause, err)) ||
        (rc = opt_bool(o, "secure", false, &out->secure, err)) ||
        (rc = opt_bool(o, "allow_internet_access", true, &out->allow_internet, err)) ||
        (rc = opt_string_map(o, "metadata", &out->metadata, err)) ||
        (rc = opt_string_map(o, "envVars", &out->env_vars, err)))
        goto out;
    const cJSON *ar = cJSON_GetObjectItemCaseSensitive(o, "autoResume");
    if (ar && !cJSON_IsNull(ar)) {
        if (!cJSON_IsObject(ar)) {
            error_set(err, ERROR_USAGE,
                      "validation error: field \"autoResume\" must be an "
                      "object");
            rc = 400;
            goto out;
        }
        if ((rc = opt_bool(ar, "enabled", false, &out->auto_resume, err))) goto out;
        if (out->auto_resume && !out->auto_pause) {
            error_set(err, ERROR_USAGE, "autoResume requires autoPause");
            rc = 400;
            goto out;
        }
    }
    if (out->timeout_s <= 0) {
        error_set(err, ERROR_USAGE, "Timeout must be greater than 0");
        rc = 400;
        goto out;
    }
    if (out->timeout_s > VALIDATE_MAX_TIMEOUT_S) {
        error_set(err, ERROR_USAGE, "Timeout cannot be greater than %d hours",
                  VALIDATE_MAX_TIMEOUT_S / 3600);
        rc = 400;
        goto out;
    }
    if (strlen(tpl->valuestring) >= sizeof out->template_ref ||
        !validate_template_ref(tpl->valuestring)) {
        char shown[64];
        size_t k = 0;
        for (const char *p = tpl->valuestring; *p && k < sizeof shown - 1; p++)
            shown[k++] = ((unsigned char)*p < 0x20 || *p == 0x7f) ? '?' : *p;
        shown[k] = '\0';
        error_set(err, ERROR_NOT_FOUND, "template '%s' not found", shown);
        rc = 404;
        goto out;
    }
    snprintf(out->template_ref, sizeof out->template_ref, "%s", tpl->valuestring);
    if (v2) out->secure = true; /* v2 sandboxes are always secured */
out:
    if (rc) create_req_free(out);
    cJSON_Delete(o);
    return rc;
}

int validate_connect(const char *body, size_t len, int64_t *timeout_s, struct error *err)
{
    cJSON *o;
    int rc;
    if ((rc = validate_object(body, len, true, &o, err))) return rc;
    rc = opt_int32(o, "timeout", 300, timeout_s, err);
    cJSON_Delete(o);
    if (rc) return rc;
    if (*timeout_s < 0) {
        error_set(err, ERROR_USAGE, "validation error: timeout must be >= 0");
        return 400;
    }
    if (*timeout_s > VALIDATE_MAX_TIMEOUT_S) {
        error_set(err, ERROR_USAGE, "Timeout cannot be greater than %d hours",
                  VALIDATE_MAX_TIMEOUT_S / 3600);
        return 400;
    }
    return 0;
}

int validate_timeout(const char *body, size_t len, int64_t *timeout_s, struct error *err)
{
    cJSON *o;
    int rc;
    if ((rc = validate_object(body, len, false, &o, err))) return rc;
    if (!cJSON_GetObjectItemCaseSensitive(o, "timeout")) {
        cJSON_Delete(o);
        error_set(err, ERROR_USAGE, "validation error: field \"timeout\" is required");
        return 400;
    }
    rc = opt_int32(o, "timeout", 0, timeout_s, err);
    cJSON_Delete(o);
    if (!rc && *timeout_s < 0) *timeout_s = 0;
    return rc;
}

int validate_refresh(const char *body, size_t len, int64_t *duration_s, struct error *err)
{
    cJSON *o;
    int rc;
    if ((rc = validate_object(body, len, true, &o, err))) return rc;
    rc = opt_int32(o, "duration", 15, duration_s, err);
    cJSON_Delete(o);
    if (rc) return rc;
    if (*duration_s < 0 || *duration_s > 3600) {
        error_set(err, ERROR_USAGE, "validation error: duration must be in [0, 3600]");
        return 400;
    }
    if (*duration_s < 15) *duration_s = 15;
    return 0;
}

int validate_resume(const char *body, size_t len, int64_t *timeout_s, bool *auto_pause,
                    bool *has_auto_pause, struct error *err)
{
    cJSON *o;
    int rc;
    if ((rc = validate_object(body, len, true, &o, err))) return rc;
    *has_auto_pause = cJSON_GetObjectItemCaseSensitive(o, "autoPause") != NULL;
    if (!(rc = opt_int32(o, "timeout", 15, timeout_s, err)))
        rc = opt_bool(o, "autoPause", false, auto_pause, err);
    cJSON_Delete(o);
    if (rc) return rc;
    if (*timeout_s <= 0 || *timeout_s > VALIDATE_MAX_TIMEOUT_S) {
        error_set(err, ERROR_USAGE, "Timeout must be between 1 and %d seconds",
                  VALIDATE_MAX_TIMEOUT_S);
        return 400;
    }
    return 0;
}

int validate_pause(const char *body, size_t len, struct error *err)
{
    cJSON *o;
    bool memory;
    int rc;
    if ((rc = validate_object(body, len, true, &o, err))) return rc;
    rc = opt_bool(o, "memory", true, &memory, err);
    cJSON_Delete(o);
    return rc;
}
