/* backend_webhooks.h - the webhooks view's calls over the live backend's api client, like
 * backend_fetch.h (NULL + err in a replay; results from the loop; cancel with bfetch_cancel). */
#ifndef BOXTOP_TUI_BACKEND_WEBHOOKS_H
#define BOXTOP_TUI_BACKEND_WEBHOOKS_H

#include "boxtop/webhooks.h"
#include "backend_fetch.h"

struct bfetch *bfetch_webhooks(struct backend *b, api_done_cb cb, void *ud, struct error *err);
struct bfetch *bfetch_webhook_create(struct backend *b, const struct webhook_fields *f,
                                     api_done_cb cb, void *ud, struct error *err);
struct bfetch *bfetch_webhook_update(struct backend *b, const char *id,
                                     const struct webhook_fields *f, api_done_cb cb, void *ud,
                                     struct error *err);
struct bfetch *bfetch_webhook_delete(struct backend *b, const char *id, api_done_cb cb, void *ud,
                                     struct error *err);
struct bfetch *bfetch_webhook_deliveries(struct backend *b, const char *id, api_done_cb cb,
                                         void *ud, struct error *err);

#endif
