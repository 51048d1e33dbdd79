/* health.c - GET /health: liveness, which isolation is missing and how the base image is
 * (building with its progress, failed and why, or the host's root) in one plain-text line; with
 * Accept: application/json also what this backend can do of today's E2B. Snapshots and forks
 * copy the filesystem only: processes start afresh from them, memory is not captured. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "../runtime/runtime.h"
#include "../snapshot.h"
#include "dapi.h"

/* " (base: downloading packages 40 %)"-style note, "" when the image is ready. */
static void base_note(struct daemon *d, char *out, size_t n)
{
    struct rt_base_status st;
    out[0] = '\0';
    if (!d->rt) return;
    rt_base_get_status(d->rt, &st);
    switch (st.state) {
    case RT_BASE_BUILDING:
        snprintf(out, n, "base: %s %d %%", st.phase, st.percent);
        break;
    case RT_BASE_FAILED:
        snprintf(out, n, "base image failed: %s", st.error);
        break;
    case RT_BASE_HOST:
        snprintf(out, n, "base: host root (--base host), sandboxes see the host's files");
        break;
    default:
        break;
    }
}

#define CAPABILITIES                                                                               \
    "snapshots and fork: filesystem only (memory is not captured; processes start afresh); "       \
    "pause: with memory (frozen) or filesystem only; volumes: bind-mounted directories"

static int health_json(struct daemon *d, struct server_request *req, const char *base)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return server_respond_error(req, 500, "out of memory");
    cJSON_AddStringToObject(o, "status", "ok");
    if (base[0]) cJSON_AddStringToObject(o, "base", base);
    if (d->isolation_missing[0])
        cJSON_AddStringToObject(o, "isolationMissing", d->isolation_missing);
    cJSON *c = cJSON_AddObjectToObject(o, "capabilities");
    cJSON *sn = c ? cJSON_AddObjectToObject(c, "snapshots") : NULL;
    if (sn) {
        cJSON_AddBoolToObject(sn, "filesystem", true);
        cJSON_AddBoolToObject(sn, "memory", false);
    }
    cJSON *fk = c ? cJSON_AddObjectToObject(c, "fork") : NULL;
    if (fk) {
        cJSON_AddBoolToObject(fk, "filesystem", true);
        cJSON_AddBoolToObject(fk, "memory", false);
    }
    cJSON *pa = c ? cJSON_AddObjectToObject(c, "pause") : NULL;
    if (pa) {
        cJSON_AddBoolToObject(pa, "memory", true);
        cJSON_AddBoolToObject(pa, "filesystemOnly", true);
    }
    if (c) cJSON_AddBoolToObject(c, "volumes", true);
    if (c) cJSON_AddStringToObject(c, "summary", CAPABILITIES);
    cJSON *st = cJSON_AddObjectToObject(o, "snapshots");
    if (st) {
        cJSON_AddNumberToObject(st, "count", d->snaps ? (double)d->snaps->n : 0);
        cJSON_AddNumberToObject(st, "bytes", (double)snapshots_bytes(d));
    }
    return server_respond_json(req, 200, o);
}

int dapi_health(struct daemon *d, struct server_request *req)
{
    char msg[1024], base[400];
    int n;

    if (d->shutting_down)
        return server_respond(req, 503, "text/plain; charset=utf-8", "Service is unavailable", 22);
    base_note(d, base, sizeof base);
    const char *accept = server_request_header(req, "accept");
    if (accept && strstr(accept, "application/json")) return health_json(d, req, base);
    const char *sep = d->isolation_missing[0] && base[0] ? "; " : "";
    if (d->isolation_missing[0] || base[0])
        n = snprintf(msg, sizeof msg, "Health check successful (%s%s%s%s)",
                     d->isolation_missing[0] ? "isolation missing: " : "", d->isolation_missing,
                     sep, base);
    else
        n = snprintf(msg, sizeof msg, "Health check successful");
    if (n < 0) n = 0;
    if ((size_t)n >= sizeof msg) n = (int)sizeof msg - 1;
    return server_respond(req, 200, "text/plain; charset=utf-8", msg, (size_t)n);
}
