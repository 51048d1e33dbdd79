/* backend_e2b_round.c - the live backend's poll timer and the ends of its rounds: a round
 * starts the list (b->list_start) and ends here, which refreshes the detail view
 * (b->detail_fetch) and schedules the next one; network state flips online/offline. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/i18n.h"
#include "app.h"
#include "backend_e2b_int.h"

static void poll_start(struct e2b_backend *b);

static void on_timer(struct loop *l, void *ud)
{
    (void)l;
    struct e2b_backend *b = ud;
    b->timer = 0;
    poll_start(b);
}

void e2b_schedule(struct e2b_backend *b, int64_t ms)
{
    if (b->timer) loop_timer_cancel(b->base.loop, b->timer);
    b->timer = loop_timer_add(b->base.loop, ms, on_timer, b);
}

static int64_t jittered_period(void)
{
    /* ±10 %: the jitter only needs to spread clients, not be unpredictable */
    int64_t j = (loop_now_ms() * 2654435761u) % (TICK_METRICS_MS / 5);
    return TICK_METRICS_MS - TICK_METRICS_MS / 10 + j;
}

void e2b_round_done(struct e2b_backend *b)
{
    if (b->changed) { /* the list and the samples of a round show in one frame */
        b->changed = 0;
        model_touch(b->base.model);
        backend_report(&b->base, BACKEND_MODEL_CHANGED, NULL);
    }
    b->detail_fetch(b); /* the detail view's panels follow the round */
    int64_t wait = b->again ? 0 : jittered_period();
    b->again = 0;
    e2b_schedule(b, wait);
    if (b->offline && b->base.retry_kind == BACKEND_RETRY_POLL) { /* counted down on screen */
        b->base.retry_at = loop_now_ms() + wait;
        backend_report(&b->base, BACKEND_RETRY, NULL);
    }
}

void e2b_set_offline(struct e2b_backend *b, const struct error *err)
{
    /* only a network failure is "unreachable": a 500 or a redirect answered; the next try's
     * time is counted down by the app (e2b_round_done sets it) */
    if (!b->offline)
        backend_report_err(&b->base, BACKEND_OFFLINE, err,
                           err->kind == ERROR_NETWORK ? _("backend unreachable: %s")
                                                      : _("the backend answers with an error: %s"),
                           err->msg);
    b->offline = 1;
}

void e2b_set_online(struct e2b_backend *b)
{
    int was = b->offline;
    b->offline = 0;
    b->base.retry_at = 0;
    if (was) backend_report(&b->base, BACKEND_ONLINE, _("backend is reachable again"));
}

static void poll_start(struct e2b_backend *b)
{
    if (!b->api) return; /* not connected yet (the local boxtopd is starting) */
    if (b->list_call || b->metrics_pending) {
        b->again = 1;
        return;
    }
    b->round++;
    b->cursor = 0;
    b->listed = 0;
    api_paging_free(&b->paging);
    b->list_skipped = 0;
    b->list_start(b);
}

void e2b_poll_now(struct backend *be)
{
    struct e2b_backend *b = (struct e2b_backend *)be;
    if (!b->api) return;
    if (b->list_call || b->metrics_pending)
        b->again = 1;
    else
        e2b_schedule(b, 0);
}

struct box *e2b_watched(struct e2b_backend *b)
{
    return b->watch_id ? model_find(b->base.model, b->watch_id) : NULL;
}
