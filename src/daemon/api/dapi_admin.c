/* dapi_admin.c - routes of E2B's API that take credentials boxtopd never issues: the cluster
 * admin's X-Admin-Token (/nodes, /admin/...) and a dashboard user's Bearer token (/teams,
 * /api-keys, /access-tokens, the v1 template rebuild). boxtopd has one team key and no admin or
 * user, so these answer what self-hosted E2B answers a caller holding only a team key: 401
 * from its security check (auth/internal/middleware/middleware.go, security.go), before any
 * handler runs. The X-API-Key is not looked at, as upstream does not for these schemes. */
#include "config.h"

#include <cJSON.h>

#include "dapi.h"

/* Which of the two credential headers the route's security schemes read. */
static int deny(struct server_request *req, bool admin, bool bearer)
{
    const char *a = admin ? server_request_header(req, "x-admin-token") : NULL;
    const char *b = bearer ? server_request_header(req, "authorization") : NULL;
    /* security.go: a scheme that found its header beats "missing"; admin tokens are compared
     * with the configured one (none here), user tokens verified (none is ours) */
    if (a && *a) { /* errorMessage + "\n" + ClientMsg, newline and all (server_respond_error
                    * would flatten it) */
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "code", 401);
        cJSON_AddStringToObject(o, "message", "Invalid Access token.\nInvalid Access token.");
        return server_respond_json(req, 401, o);
    }
    if (b && *b) return server_respond_error(req, 401, "Invalid auth provider token.");
    return server_respond_error(req, 401, "authorization header is missing");
}

int dapi_admin_only(struct daemon *d, struct server_request *req)
{
    (void)d;
    return deny(req, true, false);
}

int dapi_user_only(struct daemon *d, struct server_request *req)
{
    (void)d;
    return deny(req, false, true);
}

int dapi_user_or_admin(struct daemon *d, struct server_request *req)
{
    (void)d;
    return deny(req, true, true);
}
