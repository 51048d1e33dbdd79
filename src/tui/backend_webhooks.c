/* backend_webhooks.c - see backend_webhooks.h. */
#include "config.h"

#include <string.h>

#include "boxtop/i18n.h"
#include "backend_e2b.h"
#include "backend_replay.h"
#include "backend_webhooks.h"

static struct api *api_of(struct backend *b, struct error *err)
{
    bool live = b && !strcmp(b->ops->kind, "e2b");
    struct api *api = live ? backend_e2b_api(b) : NULL;
    if (!api)
        error_set(err, ERROR_GENERIC, "%s",
                  live ? _("not connected to a server yet") : _("not available in a replay"));
    return api;
}

/* A recording with an "api" section answers the reads (backend_replay.h); writes stay live. */
static bool replay_api(struct backend *b)
{
    return b && !strcmp(b->ops->kind, "replay") && backend_replay_has_api(b);
}

/* The live path: each call behind a bfetch wrapper (backend_fetch.h), so bfetch_cancel() of
 * a call still in flight cancels it (the api_call cast to a bfetch crashed on cancel: Esc
 * while the list or a delivery history was loading). */
static struct live_fetch *live(struct backend *b, struct api **api, api_done_cb cb, void *ud,
                               struct error *err)
{
    *api = api_of(b, err);
    return *api ? bfetch_live_new(cb, ud, err) : NULL;
}

struct bfetch *bfetch_webhooks(struct backend *b, api_done_cb cb, void *ud, struct error *err)
{
    if (replay_api(b)) return replay_fetch_raw(b, "webhooks", cb, ud, err);
    struct api *api;
    struct live_fetch *lf = live(b, &api, cb, ud, err);
    return lf ? bfetch_live_started(lf, api_webhooks_list(api, bfetch_live_done, lf), err) : NULL;
}

struct bfetch *bfetch_webhook_create(struct backend *b, const struct webhook_fields *f,
                                     api_done_cb cb, void *ud, struct error *err)
{
    struct api *api;
    struct live_fetch *lf = live(b, &api, cb, ud, err);
    return lf ? bfetch_live_started(lf, api_webhook_create(api, f, bfetch_live_done, lf), err)
              : NULL;
}

struct bfetch *bfetch_webhook_update(struct backend *b, const char *id,
                                     const struct webhook_fields *f, api_done_cb cb, void *ud,
                                     struct error *err)
{
    struct api *api;
    struct live_fetch *lf = live(b, &api, cb, ud, err);
    return lf ? bfetch_live_started(lf, api_webhook_update(api, id, f, bfetch_live_done, lf), err)
              : NULL;
}

struct bfetch *bfetch_webhook_delete(struct backend *b, const char *id, api_done_cb cb, void *ud,
                                     struct error *err)
{
    struct api *api;
    struct live_fetch *lf = live(b, &api, cb, ud, err);
    return lf ? bfetch_live_started(lf, api_webhook_delete(api, id, bfetch_live_done, lf), err)
              : NULL;
}

struct bfetch *bfetch_webhook_deliveries(struct backend *b, const char *id, api_done_cb cb,
                                         void *ud, struct error *err)
{
    if (replay_api(b)) return replay_fetch_deliveries(b, id, cb, ud, err);
    struct api *api;
    struct live_fetch *lf = live(b, &api, cb, ud, err);
    return lf ? bfetch_live_started(lf, api_webhook_deliveries(api, id, bfetch_live_done, lf), err)
              : NULL;
}
