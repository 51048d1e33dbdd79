/* dapi_request.c - what every platform API handler asks of a request: the {id} capture as a
 * valid sandbox ID, the sandbox it names (or a 404), a bounded integer query parameter. Each
 * answers the error itself, so a handler just returns when it gets NULL / -1. */
#include "config.h"

#include <string.h>

#include "../ids.h"
#include "../query.h"
#include "../sandbox.h"
#include "dapi.h"

const char *dapi_sandbox_id(struct server_request *req, int capture, char *out, size_t n)
{
    const char *raw = server_request_capture(req, capture);
    if (!raw || ids_sandbox_parse(raw, out, n) < 0) {
        /* an id of id characters names no sandbox whatever its length: 404, as for any id */
        if (raw && *raw && strspn(raw, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(raw))
            server_respond_error(req, 404, "Sandbox doesn't exist or you don't have access to it");
        else
            server_respond_error(req, 400, "Invalid sandbox ID");
        return NULL;
    }
    return out;
}

struct sbx *dapi_sandbox_or_404(struct daemon *d, struct server_request *req, int capture)
{
    char id[IDS_SANDBOX_MAX + 1];
    if (!dapi_sandbox_id(req, capture, id, sizeof id)) return NULL;
    struct sbx *s = sbx_find(d, id);
    if (!s)
        server_respond_error(req, 404,
                             "Sandbox \"%s\" doesn't exist or you don't have access "
                             "to it",
                             id);
    return s;
}

int dapi_query_int(struct server_request *req, const char *name, long long def, long long min,
                   long long max, long long *out)
{
    struct query *q = server_request_query_all(req);
    if (!q) {
        server_respond_error(req, 400, "validation error: malformed query string");
        return -1;
    }
    const char *v = query_get(q, name);
    *out = def;
    if (!v) return 0;
    long long x;
    if (query_parse_int64(v, &x) < 0 || x < min || x > max) {
        server_respond_error(req, 400,
                             "validation error: parameter \"%s\" must be an integer in "
                             "[%lld, %lld]",
                             name, min, max);
        return -1;
    }
    *out = x;
    return 0;
}
