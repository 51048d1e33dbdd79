/* dapi_validate.c - request body validation for the platform API (see dapi_validate.h). Messages
 * follow E2B's ("validation error: ...", "Timeout must be greater than 0"). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "dapi_validate.h"

static bool is_ws(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

/* A JSON string escape \u0000 anywhere in the text: cJSON keeps C strings, so such a value
 * (metadata, environment, ...) would be cut at the NUL and stored silently shortened. */
static bool has_nul_escape(const char *s, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if (s[i] != '\\') continue;
        if (s[i + 1] == 'u' && i + 5 < len && !memcmp(s + i + 2, "0000", 4)) return true;
        i++; /* the escaped character (also a second backslash) */
    }
    return false;
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
    if (has_nul_escape(body, len)) {
        error_set(err, ERROR_USAGE,
                  "validation error: a string holds \\u0000, which cannot be "
                  "stored");
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
    cJSON_Delete(r->volume_mounts);
    cJSON_Delete(r->network);
    r->metadata = r->env_vars = r->volume_mounts = r->network = NULL;
}

static bool clean_abs_path(const char *p)
{
    if (p[0] != '/') return false;
    if (strcmp(p, "/") == 0) return false; /* a volume over the whole root: no */
    size_t n = strlen(p);
    if (p[n - 1] == '/' || strstr(p, "//") || strstr(p, "/./") || strstr(p, "/../")) return false;
    if (n >= 2 && strcmp(p + n - 2, "/.") == 0) return false;
    if (n >= 3 && strcmp(p + n - 3, "/..") == 0) return false;
    for (const char *q = p; *q; q++)
        if ((unsigned char)*q < 0x20 || *q == 0x7f) return false;
    return n < 1024;
}

static bool volume_name_ok(const char *n)
{
    size_t l = strlen(n);
    if (l == 0 || l > 64) return false;
    for (; *n; n++)
        if (!((*n >= 'a' && *n <= 'z') || (*n >= 'A' && *n <= 'Z') || (*n >= '0' && *n <= '9') ||
              *n == '-' || *n == '_'))
            return false;
    return true;
}

/* volumeMounts: every problem reported at once, like upstream ("invalid mounts:\n\t- ..."). */
static int opt_volume_mounts(const cJSON *o, cJSON **out, struct error *err)
{
    const cJSON *vm = cJSON_GetObjectItemCaseSensitive(o, "volumeMounts");
    *out = NULL;
    if (!vm || cJSON_IsNull(vm)) return 0;
    if (!cJSON_IsArray(vm) || cJSON_GetArraySize(vm) > 32) {
        error_set(err, ERROR_USAGE,
                  "validation error: field \"volumeMounts\" must be an array "
                  "of at most 32 mounts");
        return 400;
    }
    char msg[sizeof err->msg] = "invalid mounts:";
    size_t ml = strlen(msg);
    bool bad = false;
    int i = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, vm)
    {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(m, "name");
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(m, "path");
        const char *why = NULL;
        if (!cJSON_IsObject(m) || !cJSON_IsString(n) || !cJSON_IsString(p))
            why = "expected {\"name\": string, \"path\": string}";
        else if (!volume_name_ok(n->valuestring))
            why = "invalid volume name";
        else if (!clean_abs_path(p->valuestring))
            why = "path must be absolute and clean (and not /)";
        for (const cJSON *e = vm->child; !why && e != m; e = e->next) {
            const cJSON *ep = cJSON_GetObjectItemCaseSensitive(e, "path");
            if (cJSON_IsString(ep) && strcmp(ep->valuestring, p->valuestring) == 0)
                why = "path is used by another mount";
        }
        if (why) {
            bad = true;
            if (ml < sizeof msg)
                ml += (size_t)snprintf(msg + ml, sizeof msg - ml, "\n\t- volume mount #%d: %s", i,
                                       why);
        }
        i++;
    }
    if (bad) {
        error_set(err, ERROR_USAGE, "%s", msg);
        return 400;
    }
    *out = cJSON_Duplicate(vm, 1);
    return *out ? 0 : 500;
}

bool validate_memory_flag(const char *body, size_t len)
{
    cJSON *o = cJSON_ParseWithLength(body ? body : "", len);
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, "memory");
    bool memory = !cJSON_IsFalse(m);
    cJSON_Delete(o);
    return memory;
}

int validate_create(const char *body, size_t len, bool v2, struct create_req *out,
                    struct error *err)
{
    return validate_create_ex(body, len, v2, NULL, NULL, out, err);
}

int validate_create_ex(const char *body, size_t len, bool v2, bool (*known)(void *, const char *),
                       void *ud, struct create_req *out, struct error *err)
{
    cJSON *o;
    int rc;
    bool memory = true;

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
        (rc = opt_string_map(o, "envVars", &out->env_vars, err)) ||
        (rc = opt_bool(o, "autoPauseMemory", true, &memory, err)) ||
        (rc = opt_volume_mounts(o, &out->volume_mounts, err)))
        goto out;
    out->auto_pause_fs_only = out->auto_pause && !memory;
    const cJSON *net = cJSON_GetObjectItemCaseSensitive(o, "network");
    if (net && !cJSON_IsNull(net)) {
        if (!cJSON_IsObject(net)) {
            error_set(err, ERROR_USAGE, "validation error: field \"network\" must be an object");
            rc = 400;
            goto out;
        }
        if (!(out->network = cJSON_Duplicate(net, 1))) {
            rc = 500;
            goto out;
        }
    }
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
        if (out->auto_resume && out->auto_pause_fs_only) {
            error_set(err, ERROR_USAGE,
                      "autoResume cannot be combined with autoPauseMemory: false (a "
                      "filesystem-only pause must be resumed explicitly)");
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
        (!validate_template_ref(tpl->valuestring) && !(known && known(ud, tpl->valuestring)))) {
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
