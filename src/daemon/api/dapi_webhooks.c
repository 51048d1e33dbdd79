/* webhooks.c - /events/webhooks[/{id}] as E2B (protocol/webhooks.md; the secret is
 * write-only) and GET /events/webhooks/{id}/deliveries, boxtopd's extension: the last
 * WEBHOOK_HISTORY delivery attempts, newest first. */
#include "config.h"

#include <string.h>

#include <cJSON.h>

#include "../webhooks.h"
#include "dapi.h"

static struct webhook *webhook_or_404(struct daemon *d, struct server_request *req)
{
    const char *id = server_request_capture(req, 0);
    struct webhook *w = id && strlen(id) == WEBHOOK_ID_LEN ? webhooks_find(d->webhooks, id) : NULL;
    if (!w) server_respond_error(req, 404, "webhook not found");
    return w;
}

int dapi_webhooks_list(struct daemon *d, struct server_request *req)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < webhooks_count(d->webhooks); i++)
        cJSON_AddItemToArray(arr, webhook_to_json(webhooks_at(d->webhooks, i), TEAM_ID));
    if (!arr) return server_respond_error(req, 500, "out of memory");
    return server_respond_json(req, 200, arr);
}

int dapi_webhook_create(struct daemon *d, struct server_request *req)
{
    struct webhook_input in;
    struct webhook *w = NULL;
    struct error err = {0};
    size_t len;
    const char *body = server_request_body(req, &len);
    int rc = webhook_input_parse(body, len, true, &in, &err);
    if (!rc) rc = webhooks_create(d->webhooks, &in, &w, &err);
    webhook_input_free(&in);
    if (rc) return server_respond_error(req, rc, "%s", err.msg);
    return server_respond_json(req, 201, webhook_to_json(w, TEAM_ID));
}

int dapi_webhook_get(struct daemon *d, struct server_request *req)
{
    struct webhook *w = webhook_or_404(d, req);
    return w ? server_respond_json(req, 200, webhook_to_json(w, TEAM_ID)) : 0;
}

int dapi_webhook_update(struct daemon *d, struct server_request *req)
{
    struct webhook *w = webhook_or_404(d, req);
    if (!w) return 0;
    struct webhook_input in;
    struct error err = {0};
    size_t len;
    const char *body = server_request_body(req, &len);
    int rc = webhook_input_parse(body, len, false, &in, &err);
    if (!rc) rc = webhooks_update(d->webhooks, w, &in, &err);
    webhook_input_free(&in);
    if (rc) return server_respond_error(req, rc, "%s", err.msg);
    return server_respond_json(req, 200, webhook_to_json(w, TEAM_ID));
}

int dapi_webhook_delete(struct daemon *d, struct server_request *req)
{
    struct webhook *w = webhook_or_404(d, req);
    if (!w) return 0;
    webhooks_delete(d->webhooks, w->id);
    return server_respond(req, 204, NULL, NULL, 0);
}

int dapi_webhook_deliveries(struct daemon *d, struct server_request *req)
{
    struct webhook *w = webhook_or_404(d, req);
    return w ? server_respond_json(req, 200, webhook_history_json(w)) : 0;
}
