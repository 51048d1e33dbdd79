/* webhooks.h - the team's lifecycle webhooks in boxtopd: the registry (DIR/webhooks.json,
 * 0600: secrets, pending deliveries and the last WEBHOOK_HISTORY attempts per webhook, written
 * atomically on every change so a restart delivers what was due) and the delivery engine.
 *
 * Delivery: every lifecycle event recorded (events.h hook) is queued for each enabled webhook
 * subscribed to its type and POSTed, signed (webhook_sign), from the event loop (webhook_http).
 * Per webhook one delivery runs at a time, in event order; a failure (non-2xx, refused,
 * timeout) is retried WEBHOOK_RETRIES times, retry_ms apart, then given up. A disabled webhook
 * gets nothing (its queue waits). Times: BOXTOPD_WEBHOOK_TIMEOUT_MS and
 * BOXTOPD_WEBHOOK_RETRY_MS (default 10000 each; the tests shorten them). */
#ifndef BOXTOPD_WEBHOOKS_H
#define BOXTOPD_WEBHOOKS_H

#include <stddef.h>

#include "boxtop/error.h"
#include "webhook_model.h"

struct daemon;
struct webhooks;

#define WEBHOOK_RETRIES            3 /* after the first attempt */
#define WEBHOOK_DEFAULT_TIMEOUT_MS 10000
#define WEBHOOK_DEFAULT_RETRY_MS   10000

/* Load the state, hook into the events; d->webhooks is set. */
int webhooks_start(struct daemon *d, struct error *err);
/* Cancel deliveries in flight (they stay pending), save, free. */
void webhooks_stop(struct daemon *d);

size_t webhooks_count(const struct webhooks *ws);
struct webhook *webhooks_at(struct webhooks *ws, size_t i);
struct webhook *webhooks_find(struct webhooks *ws, const char *id);
/* Takes the strings out of in. Returns 0 or an HTTP status with err set. */
int webhooks_create(struct webhooks *ws, struct webhook_input *in, struct webhook **out,
                    struct error *err);
int webhooks_update(struct webhooks *ws, struct webhook *w, struct webhook_input *in,
                    struct error *err);
int webhooks_delete(struct webhooks *ws, const char *id); /* -1 when unknown */

#endif
