/* health_caps.c - GET /health with Accept: application/json: what this backend can do of
 * today's E2B, as JSON (plain /health stays health.c's text). Snapshots and forks copy the
 * filesystem only: processes start afresh from them, memory is not captured. */
#include "config.h"

#include <string.h>

#include <cJSON.h>

#include "../snapshot.h"
#include "api.h"

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
    if (c) {
        cJSON_AddBoolToObject(c, "volumes", true);
        cJSON_AddBoolToObject(c, "fileMetadata", true);
    }
    cJSON *st = cJSON_AddObjectToObject(o, "snapshots");
    if (st) {
        cJSON_AddNumberToObject(st, "count", d->snaps ? (double)d->snaps->n : 0);
        cJSON_AddNumberToObject(st, "bytes", (double)snapshots_bytes(d));
    }
    return server_respond_json(req, 200, o);
}

int api_health_caps(struct daemon *d, struct server_request *req)
{
    const char *accept = server_request_header(req, "accept");
    if (!d->shutting_down && accept && strstr(accept, "application/json"))
        return health_json(d, req);
    return api_health(d, req);
}
