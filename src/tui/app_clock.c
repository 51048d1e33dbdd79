/* app_clock.c - when the TUI wakes up while idle: the 1 s clock, armed only while something
 * on screen counts (a view's ages and countdowns, a message that expires, the countdown to the
 * next try of a backend that is down), and the capped frame rate of new samples. */
#include "config.h"

#include "app.h"

static void on_samples_due(struct loop *l, void *ud)
{
    (void)l;
    struct app *a = ud;
    a->samples_timer = 0;
    app_dirty(a, DIRTY_MAIN);
}

void app_samples_changed(struct app *a)
{
    if (a->samples_timer || (a->dirty & DIRTY_MAIN)) return; /* a frame is coming anyway */
    int64_t wait = a->main_ms + APP_SAMPLES_FRAME_MS - loop_now_ms();
    if (wait <= 0 || (a->samples_timer = loop_timer_add(a->loop, wait, on_samples_due, a)) <= 0) {
        a->samples_timer = 0;
        app_dirty(a, DIRTY_MAIN);
    }
}

int app_retry_ticked(struct app *a)
{
    if (!a->offline || !a->retry_at) return 0;
    int64_t left = a->retry_at - loop_now_ms();
    int s = left <= 0 ? 0 : (int)((left + 999) / 1000); /* as app_retry_text rounds */
    if (a->retry_at == a->retry_seen_at && s == a->retry_seen_s) return 0;
    a->retry_seen_at = a->retry_at;
    a->retry_seen_s = s;
    return 1;
}

static void on_clock(struct loop *l, void *ud)
{
    (void)l;
    struct app *a = ud;
    a->clock_timer = 0;
    if (a->status_until && loop_now_ms() >= a->status_until) {
        a->status[0] = '\0';
        a->status_until = 0;
        app_dirty(a, DIRTY_STATUS);
    }
    /* the view only when it counts something: a countdown to a retry alone redraws the
     * header and the status line, not the table under them */
    if (a->clock_for_view) app_dirty(a, DIRTY_TICK);
    if (app_retry_ticked(a)) app_dirty(a, DIRTY_HEADER | DIRTY_STATUS);
    app_clock_check(a);
}

void app_clock_check(struct app *a)
{
    struct view *v = app_top(a);
    int64_t now = loop_wall_ms(), due = -1;
    if (v && v->ops->clock_due)
        due = v->ops->clock_due(v, a);
    else if (v && v->ops->needs_clock && v->ops->needs_clock(v, a))
        due = 0;
    int64_t view_due = due;
    if (a->status_until) {
        int64_t d = a->status_until - loop_now_ms();
        if (due < 0 || d < due) due = d < 0 ? 0 : d;
    }
    if (a->offline && a->retry_at > loop_now_ms()) /* the countdown to the next try */
        due = 0;
    if (due < 0) {
        if (a->clock_timer) loop_timer_cancel(a->loop, a->clock_timer);
        a->clock_timer = 0;
        return;
    }
    /* on the second boundary after the change, so countdowns tick together */
    int64_t at = (now + due) / TICK_CLOCK_MS * TICK_CLOCK_MS + TICK_CLOCK_MS;
    int64_t view_at =
        view_due < 0 ? -1 : (now + view_due) / TICK_CLOCK_MS * TICK_CLOCK_MS + TICK_CLOCK_MS;
    if (a->clock_timer && a->clock_at <= at) { /* that wake-up comes first anyway */
        if (view_at == a->clock_at) a->clock_for_view = 1;
        return;
    }
    if (a->clock_timer) loop_timer_cancel(a->loop, a->clock_timer);
    a->clock_timer = loop_timer_add(a->loop, at - now, on_clock, a);
    a->clock_at = at;
    a->clock_for_view = view_at == at;
}
