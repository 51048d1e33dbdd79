/* health.c - GET /health: liveness, which isolation is missing, and what this backend can do
 * of today's E2B (plain text; JSON with Accept: application/json). Snapshots and forks copy
 * the filesystem only: processes start afresh from them, memory is not captured. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "../snapshot.h"
#include "api.h"

#define CAPABILITIES                                                                               \
    "snapshots and fork: filesystem only (memory is not captured; processes start afresh); "       \
    "pause: with memory (frozen) or filesystem only; volumes: bind-mounted directories"

static int health_json(struct daemon *d, struct server_request *req)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return server_respond_error(req, 500, "out of memory");
    cJSON_AddStringToObject(o, "status", "ok");
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
    cJSON *st = cJSON_AddObjectToObject(o, "snapshots");
    if (st) {
        cJSON_AddNumberToObject(st, "count", d->snaps ? (double)d->snaps->n : 0);
        cJSON_AddNumberToObject(st, "bytes", (double)snapshots_bytes(d));
    }
    return server_respond_json(req, 200, o);
}

int api_health(struct daemon *d, struct server_request *req)
{
    char msg[1024];
    int n;

    if (d->shutting_down)
        return server_respond(req, 503, "text/plain; charset=utf-8", "Service is unavailable", 22);
    const char *accept = server_request_header(req, "accept");
    if (accept && strstr(accept, "application/json")) return health_json(d, req);
    if (d->isolation_missing[0])
        n = snprintf(msg, sizeof msg, "Health check successful (isolation missing: %s)\n%s\n",
                     d->isolation_missing, CAPABILITIES);
    else
        n = snprintf(msg, sizeof msg, "Health check successful\n%s\n", CAPABILITIES);
    if (n < 0) n = 0;
    if ((size_t)n >= sizeof msg) n = (int)sizeof msg - 1;
    return server_respond(req, 200, "text/plain; charset=utf-8", msg, (size_t)n);
}
