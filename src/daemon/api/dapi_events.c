/* events.c - GET /events/sandboxes and /events/sandboxes/{id} (platform-api.md §8). */
#include "config.h"

#include <string.h>

#include <cJSON.h>

#include "../events.h"
#include "../query.h"
#include "../sandbox.h"
#include "dapi.h"

static int events_common(struct daemon *d, struct server_request *req, const char *id)
{
    long long offset, limit;
    bool asc = false;
    const char *types[16];
    size_t ntypes = 0;

    if (dapi_query_int(req, "offset", 0, 0, 1LL << 31, &offset) < 0 ||
        dapi_query_int(req, "limit", 10, 1, 100, &limit) < 0)
        return 0;
    struct query *q = server_request_query_all(req);
    const char *oa = q ? query_get(q, "orderAsc") : NULL;
    if (oa) {
        if (!strcmp(oa, "true"))
            asc = true;
        else if (strcmp(oa, "false") != 0)
            return server_respond_error(req, 400, "validation error: orderAsc must be a boolean");
    }
    size_t nt = q ? query_count(q, "types") : 0;
    for (size_t i = 0; i < nt && ntypes < 16; i++) {
        const char *t = query_get_nth(q, "types", i);
        if (t && *t) types[ntypes++] = t;
    }
    cJSON *arr = events_query(d->events, id, (size_t)offset, (size_t)limit, asc, types, ntypes);
    if (!arr) return server_respond_error(req, 500, "out of memory");
    return server_respond_json(req, 200, arr);
}

int dapi_events_team(struct daemon *d, struct server_request *req)
{
    return events_common(d, req, NULL);
}

int dapi_events_sandbox(struct daemon *d, struct server_request *req)
{
    char id[IDS_SANDBOX_MAX + 1];
    if (!dapi_sandbox_id(req, 0, id, sizeof id)) return 0;
    return events_common(d, req, id);
}
