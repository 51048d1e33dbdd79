/* envd_target.c - where a sandbox's envd is and the exact request an RPC puts on the wire.
 *
 * Pure string work (no network) so that unit tests can compare URLs, headers and bodies with
 * what the official SDK sends (tests/unit/test_envd.c vs sdk-transcripts). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "boxtop/base64.h"
#include "boxtop/envd.h"
#include "boxtop/secret.h"

static bool id_valid(const char *id)
{
    size_t n = id ? strlen(id) : 0;
    if (n == 0 || n > 128) return false;
    for (size_t i = 0; i < n; i++)
        if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= '0' && id[i] <= '9'))) return false;
    return true;
}

static bool host_valid(const char *h)
{
    size_t n = strlen(h);
    if (n == 0 || n > 253 || h[0] == '.' || h[0] == '-') return false;
    for (size_t i = 0; i < n; i++) {
        char c = h[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-'))
            return false;
    }
    return true;
}

/* Header values must not smuggle CR/LF or other controls into the request. */
static bool header_value_valid(const char *v)
{
    for (; *v; v++)
        if ((unsigned char)*v < 0x20 || *v == 0x7f) return false;
    return true;
}

static bool user_valid(const char *u)
{
    /* POSIX portable user names plus what useradd accepts; ':' would break Basic auth. */
    size_t n = strlen(u);
    if (n == 0 || n > 64 || u[0] == '-') return false;
    for (size_t i = 0; i < n; i++) {
        char c = u[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-' || (c == '$' && i == n - 1)))
            return false;
    }
    return true;
}

int envd_target_init(struct envd_target *t, const char *sandbox_id, const char *sandbox_url,
                     const char *domain, bool debug, const char *access_token, const char *user,
                     struct error *err)
{
    memset(t, 0, sizeof *t);
    if (!id_valid(sandbox_id))
        return error_set(err, ERROR_USAGE,
                         "invalid sandbox ID (expected lowercase letters and digits)");
    if (access_token && (!*access_token || !header_value_valid(access_token)))
        return error_set(err, ERROR_AUTH, "invalid envd access token");
    if (user && !user_valid(user)) return error_set(err, ERROR_USAGE, "invalid user name");
    struct buf url = BUF_INIT;
    if (sandbox_url && *sandbox_url) {
        if (strncmp(sandbox_url, "http://", 7) && strncmp(sandbox_url, "https://", 8))
            return error_set(err, ERROR_USAGE,
                             "E2B_SANDBOX_URL must start with http:// or https://");
        if (!header_value_valid(sandbox_url) || strchr(sandbox_url, ' ') ||
            strchr(sandbox_url, '?') || strchr(sandbox_url, '#'))
            return error_set(err, ERROR_USAGE, "E2B_SANDBOX_URL is not a plain base URL");
        buf_append_str(&url, sandbox_url);
        while (url.len > 8 && url.data[url.len - 1] == '/')
            url.data[--url.len] = '\0';
    } else if (debug) {
        buf_printf(&url, "http://localhost:%d", ENVD_PORT);
    } else {
        const char *d = domain && *domain ? domain : "e2b.app";
        if (!host_valid(d)) return error_set(err, ERROR_USAGE, "invalid E2B domain");
        buf_printf(&url, "https://%d-%s.%s", ENVD_PORT, sandbox_id, d);
    }
    t->base_url = buf_steal(&url);
    t->sandbox_id = strdup(sandbox_id);
    t->access_token = access_token ? strdup(access_token) : NULL;
    t->user = user ? strdup(user) : NULL;
    t->user_agent = strdup("boxtop/" PACKAGE_VERSION);
    if (!t->base_url || !t->sandbox_id || !t->user_agent || (access_token && !t->access_token) ||
        (user && !t->user)) {
        envd_target_free(t);
        return error_set(err, ERROR_GENERIC, "out of memory");
    }
    return 0;
}

void envd_target_free(struct envd_target *t)
{
    free(t->base_url);
    free(t->sandbox_id);
    secret_free(t->access_token);
    free(t->user);
    free(t->user_agent);
    memset(t, 0, sizeof *t);
}

static int header_add(struct envd_wire *w, size_t *n, const char *name, const char *value)
{
    if (*n >= ENVD_WIRE_MAX_HEADERS) return -1;
    struct buf h = BUF_INIT;
    if (buf_printf(&h, "%s: %s", name, value) < 0) return -1;
    w->headers[(*n)++] = buf_steal(&h);
    return w->headers[*n - 1] ? 0 : -1;
}

int envd_wire_build(const struct envd_target *t, const char *method, enum envd_call kind,
                    bool with_user, const cJSON *msg, long timeout_ms, struct envd_wire *w,
                    struct error *err)
{
    memset(w, 0, sizeof *w);
    struct buf url = BUF_INIT, json = BUF_INIT;
    size_t n = 0;
    int rc = 0;
    if (buf_printf(&url, "%s/%s", t->base_url, method) < 0 || pjson_print(&json, msg) < 0) rc = -1;
    w->url = buf_steal(&url);
    if (rc == 0 && with_user && t->user) {
        struct buf cred = BUF_INIT, b64 = BUF_INIT;
        buf_printf(&cred, "%s:", t->user);
        base64_encode(&b64, cred.data, cred.len);
        struct buf v = BUF_INIT;
        buf_printf(&v, "Basic %s", buf_cstr(&b64));
        rc = header_add(w, &n, "Authorization", buf_cstr(&v));
        buf_free(&cred);
        buf_free(&b64);
        buf_free(&v);
    }
    char tmp[32];
    if (rc == 0) rc = header_add(w, &n, "Connect-Protocol-Version", "1");
    if (rc == 0 && kind == ENVD_CALL_STREAM && timeout_ms > 0) {
        snprintf(tmp, sizeof tmp, "%ld", timeout_ms);
        rc = header_add(w, &n, "Connect-Timeout-Ms", tmp);
    }
    if (rc == 0)
        rc = header_add(w, &n, "Content-Type",
                        kind == ENVD_CALL_STREAM ? "application/connect+json" : "application/json");
    if (rc == 0) rc = header_add(w, &n, "E2b-Sandbox-Id", t->sandbox_id);
    snprintf(tmp, sizeof tmp, "%d", ENVD_PORT);
    if (rc == 0) rc = header_add(w, &n, "E2b-Sandbox-Port", tmp);
    if (rc == 0 && kind == ENVD_CALL_STREAM) {
        snprintf(tmp, sizeof tmp, "%d", ENVD_KEEPALIVE_SECONDS);
        rc = header_add(w, &n, "Keepalive-Ping-Interval", tmp);
    }
    if (rc == 0) rc = header_add(w, &n, "User-Agent", t->user_agent);
    if (rc == 0 && t->access_token) rc = header_add(w, &n, "X-Access-Token", t->access_token);
    if (rc == 0) {
        if (kind == ENVD_CALL_STREAM)
            rc = connect_envelope_append(&w->body, 0, json.data, json.len);
        else
            rc = buf_append(&w->body, json.data, json.len);
    }
    buf_free(&json);
    if (rc < 0 || !w->url) {
        envd_wire_free(w);
        return error_set(err, ERROR_GENERIC, "cannot build the %s request", method);
    }
    return 0;
}

void envd_wire_free(struct envd_wire *w)
{
    free(w->url);
    for (size_t i = 0; i < ENVD_WIRE_MAX_HEADERS && w->headers[i]; i++)
        secret_free(w->headers[i]); /* headers may hold the access token */
    buf_free(&w->body);
    memset(w, 0, sizeof *w);
}

const char *envd_wire_header(const struct envd_wire *w, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < ENVD_WIRE_MAX_HEADERS && w->headers[i]; i++)
        if (!strncasecmp(w->headers[i], name, n) && w->headers[i][n] == ':')
            return w->headers[i] + n + 2;
    return NULL;
}

bool envd_version_at_least(const char *version, int maj, int min, int patch)
{
    int v[3] = {0, 0, 0};
    if (!version || sscanf(version, "%d.%d.%d", &v[0], &v[1], &v[2]) < 1) return true;
    if (v[0] != maj) return v[0] > maj;
    if (v[1] != min) return v[1] > min;
    return v[2] >= patch;
}

int envd_target_follow(struct envd_target *t, const char *sandbox_url)
{
    if (!t->base_url || !t->sandbox_id || !sandbox_url || !*sandbox_url) return 0;
    struct envd_target n;
    struct error err;
    if (envd_target_init(&n, t->sandbox_id, sandbox_url, NULL, false, NULL, NULL, &err) < 0)
        return 0;
    int changed = strcmp(n.base_url, t->base_url) != 0;
    if (changed) {
        free(t->base_url);
        t->base_url = n.base_url;
        n.base_url = NULL;
    }
    envd_target_free(&n);
    return changed;
}
