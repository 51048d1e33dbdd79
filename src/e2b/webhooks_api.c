/* webhooks_api.c - the /events/webhooks calls (see boxtop/webhooks.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "boxtop/webhooks.h"

static char *path_of(const char *id, const char *suffix)
{
    struct buf b = BUF_INIT;
    buf_append_str(&b, "/events/webhooks/");
    api_uri_component(id ? id : "", &b);
    buf_append_str(&b, suffix);
    return buf_steal(&b);
}

static void wipe_free(char *s)
{
    if (s) memset(s, 0, strlen(s));
    free(s);
}

struct api_call *api_webhooks_list(struct api *a, api_done_cb cb, void *ud)
{
    return api_request_raw(a, "GET", "/events/webhooks", NULL, cb, ud);
}

struct api_call *api_webhook_create(struct api *a, const struct webhook_fields *f, api_done_cb cb,
                                    void *ud)
{
    char *body = webhook_body(f);
    struct api_call *c = body ? api_request_raw(a, "POST", "/events/webhooks", body, cb, ud) : NULL;
    wipe_free(body);
    return c;
}

struct api_call *api_webhook_update(struct api *a, const char *id, const struct webhook_fields *f,
                                    api_done_cb cb, void *ud)
{
    char *body = webhook_body(f), *p = path_of(id, "");
    struct api_call *c = body && p ? api_request_raw(a, "PATCH", p, body, cb, ud) : NULL;
    wipe_free(body);
    free(p);
    return c;
}

struct api_call *api_webhook_delete(struct api *a, const char *id, api_done_cb cb, void *ud)
{
    char *p = path_of(id, "");
    struct api_call *c = p ? api_request_raw(a, "DELETE", p, NULL, cb, ud) : NULL;
    free(p);
    return c;
}

struct api_call *api_webhook_deliveries(struct api *a, const char *id, api_done_cb cb, void *ud)
{
    char *p = path_of(id, "/deliveries");
    struct api_call *c = p ? api_request_raw(a, "GET", p, NULL, cb, ud) : NULL;
    free(p);
    return c;
}

bool webhook_no_history(const struct api_result *res)
{
    /* E2B cloud has no such route: 404 (or 405/501 from a proxy in front of it) */
    return res->err.kind != ERROR_NONE &&
           (res->status == 404 || res->status == 405 || res->status == 501);
}
