/* postmortem_track.c - ended rows and their post-mortems (postmortem_track.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "boxtop/commands.h"
#include "boxtop/grow.h"
#include "boxtop/i18n.h"
#include "app.h"
#include "backend_fetch.h"
#include "postmortem_track.h"
#include "session.h"

#define PM_EVENT_TRIES    4 /* the killed event may lag the list: ask again */
#define PM_EVENT_RETRY_MS 2500
#define PM_EXPIRE_TICK_MS 30000

struct pm_entry {
    struct pm_track *t;
    struct box *box; /* owned, state BOX_ENDED */
    struct postmortem rec;
    int64_t gone_mono; /* loop_now_ms() when it left the list */
    int unreachable;   /* the backend was offline when it went */
    struct bfetch *ev_call, *log_call;
    struct cmd_feed *feed;
    int ev_tries;
    int64_t ev_timer;
    int saved;
};

struct pm_track {
    struct app *a;
    struct pm_entry **v; /* newest first */
    int n, cap;
    char *dir;
    int hidden;
    int64_t expire_timer;
    struct view *(*card_new)(struct app *a, const char *id);
};

static void save_if_done(struct pm_entry *e);

static void changed(struct pm_track *t)
{
    model_touch(&t->a->model);
    app_dirty(t->a, DIRTY_ALL);
}

static void entry_free(struct pm_entry *e)
{
    bfetch_cancel(e->ev_call);
    bfetch_cancel(e->log_call);
    if (e->feed) cmd_feed_free(e->feed);
    if (e->ev_timer) loop_timer_cancel(e->t->a->loop, e->ev_timer);
    box_free(e->box);
    pm_free(&e->rec);
    free(e);
}

/* ---- the lifecycle events --------------------------------------------------------------- */

static void ask_events(struct pm_entry *e);

static void ev_retry(struct loop *l, void *ud)
{
    (void)l;
    struct pm_entry *e = ud;
    e->ev_timer = 0;
    ask_events(e);
}

static void on_events(struct sbx_event_list *l, const struct error *err, void *ud)
{
    struct pm_entry *e = ud;
    e->ev_call = NULL;
    struct postmortem *p = &e->rec;
    if (err) {
        p->events_failed = true;
    } else {
        p->events_failed = false;
        for (int i = 0; i < p->n_events; i++) {
            free(p->events[i].type);
            free(p->events[i].detail);
        }
        free(p->events);
        p->events = NULL;
        p->n_events = 0;
        int n = l->n < PM_EVENTS ? l->n : PM_EVENTS;
        p->events = n ? calloc((size_t)n, sizeof(*p->events)) : NULL;
        if (p->events) /* the list is newest first; the record keeps oldest first */
            for (int i = n - 1; i >= 0; i--) {
                struct pm_event *d = &p->events[p->n_events++];
                d->t_ms = l->v[i].t_ms;
                d->type = l->v[i].type ? strdup(l->v[i].type) : NULL;
                d->detail = l->v[i].detail ? strdup(l->v[i].detail) : NULL;
            }
    }
    pm_decide_cause(p, e->unreachable);
    int from_event =
        p->cause == PM_CAUSE_REQUEST || p->cause == PM_CAUSE_TIMEOUT || p->cause == PM_CAUSE_KILLED;
    if (!from_event && ++e->ev_tries < PM_EVENT_TRIES) {
        /* not the backend's word yet: say so until the last try */
        e->ev_timer = loop_timer_add(e->t->a->loop, PM_EVENT_RETRY_MS, ev_retry, e);
        p->cause = PM_CAUSE_PENDING;
    }
    save_if_done(e);
    changed(e->t);
}

static void ask_events(struct pm_entry *e)
{
    struct error err = {0};
    e->ev_call = bfetch_events(e->t->a->be, e->rec.id, 100, on_events, e, &err);
    if (!e->ev_call) {
        e->rec.events_failed = true;
        pm_decide_cause(&e->rec, e->unreachable);
    }
}

/* ---- the last log lines ----------------------------------------------------------------- */

static int by_time(const void *pa, const void *pb)
{
    const struct log_entry *a = pa, *b = pb;
    return a->ts_ms < b->ts_ms ? -1 : a->ts_ms > b->ts_ms;
}

static void on_logs(struct api_result *res, void *ud)
{
    struct pm_entry *e = ud;
    e->log_call = NULL;
    struct postmortem *p = &e->rec;
    if (res->err.kind != ERROR_NONE) {
        p->logs_failed = true;
    } else {
        struct log_list *l = &res->logs;
        qsort(l->items, (size_t)l->n, sizeof(*l->items), by_time);
        int from = l->n > PM_LOGS ? l->n - PM_LOGS : 0;
        p->logs = l->n - from ? calloc((size_t)(l->n - from), sizeof(*p->logs)) : NULL;
        for (int i = from; p->logs && i < l->n; i++) {
            struct pm_log *d = &p->logs[p->n_logs++];
            d->t_ms = l->items[i].ts_ms;
            d->level = strdup(log_entry_level_name(l->items[i].level));
            d->msg = l->items[i].message ? strdup(l->items[i].message) : NULL;
        }
    }
    save_if_done(e);
    changed(e->t);
}

static void ask_logs(struct pm_entry *e)
{
    struct api_logs_query q = {0};
    q.direction = "backward";
    q.limit = PM_LOGS;
    struct error err = {0};
    e->log_call = bfetch_logs(e->t->a->be, e->rec.id, &q, on_logs, e, &err);
    if (!e->log_call) e->rec.logs_failed = true;
}

/* ---- the last commands ------------------------------------------------------------------ */

static void on_cmds(void *ud, const struct error *err)
{
    struct pm_entry *e = ud;
    if (cmd_feed_busy(e->feed)) return; /* more pages on the way */
    struct postmortem *p = &e->rec;
    if (err) {
        p->cmds_failed = true;
    } else {
        struct cmd_hist *h = cmd_feed_hist(e->feed);
        h->sandbox_gone = true; /* what still runs ended with the sandbox */
        cmd_hist_rebuild(h);
        p->cmds = calloc(PM_CMDS, sizeof(*p->cmds));
        for (size_t i = h->n; p->cmds && i-- > 0 && p->n_cmds < PM_CMDS;) {
            const struct cmd *c = &h->v[i];
            if (c->internal || !c->command) continue;
            struct pm_cmd *d = &p->cmds[p->n_cmds++];
            char res[64];
            cmd_result_text(c, res, sizeof(res));
            d->command = strdup(cmd_display(c->command));
            d->result = strdup(res);
            d->start_ms = c->start_ns / 1000000;
            d->end_ms = c->end_ns / 1000000;
            d->failed = cmd_failed(c);
            d->running = c->result == CMD_GONE || c->result == CMD_RUNNING;
        }
    }
    cmd_feed_free(e->feed);
    e->feed = NULL;
    save_if_done(e);
    changed(e->t);
}

static void ask_cmds(struct pm_entry *e)
{
    struct backend *be = e->t->a->be;
    struct session_env env;
    struct error err = {0};
    if (!be->ops->session_env || be->ops->session_env(be, &env) < 0 || !env.api ||
        !(e->feed = cmd_feed_new(env.api, e->rec.id, on_cmds, e)) ||
        cmd_feed_poll(e->feed, &err) < 0) {
        if (e->feed) cmd_feed_free(e->feed);
        e->feed = NULL;
        e->rec.cmds_failed = true;
    }
}

/* ---- keeping --------------------------------------------------------------------------- */

static void save_if_done(struct pm_entry *e)
{
    if (e->ev_call || e->ev_timer || e->log_call || e->feed || !e->t->dir) return;
    struct error err = {0};
    if (pm_store_save(e->t->dir, &e->rec, &err) < 0)
        app_status(e->t->a, STATUS_WARN, _("post-mortem not saved: %s"), err.msg);
    else
        e->saved = 1;
}

/* The record from what boxtop saw of it. */
static void rec_from_box(struct postmortem *p, const struct box *s, int64_t now)
{
    p->id = strdup(s->id);
    p->template_id = s->template_id ? strdup(s->template_id) : NULL;
    p->alias = s->alias ? strdup(s->alias) : NULL;
    p->cpu_count = s->cpu_count;
    p->memory_mb = s->memory_mb;
    p->started_ms = s->started_ms;
    p->planned_end_ms = s->end_ms;
    p->noticed_ms = p->ended_ms = now;
    p->cause = PM_CAUSE_PENDING;
    int n = s->hist_len < PM_SAMPLES ? s->hist_len : PM_SAMPLES;
    p->samples = n ? calloc((size_t)n, sizeof(*p->samples)) : NULL;
    for (int i = s->hist_len - n; p->samples && i < s->hist_len; i++) {
        const struct sample *x = box_sample_at(s, i);
        if (!x) continue;
        struct pm_sample *d = &p->samples[p->n_samples++];
        d->t_ms = x->t_ms;
        d->cpu_pct = x->cpu_pct;
        d->mem_used = x->mem_used;
        d->mem_total = x->mem_total;
    }
}

/* Does the view on top show this sandbox? Then the card replaces what just went dead. */
static void show_card_if_open(struct pm_track *t, const char *id)
{
    struct view *top = app_top(t->a);
    if (!top || !top->ops->sandbox_id) return;
    const char *sid = top->ops->sandbox_id(top);
    if (!sid || strcmp(sid, id)) return;
    struct view *card = t->card_new ? t->card_new(t->a, id) : NULL;
    if (card) app_push_view(t->a, card);
}

static void trim(struct pm_track *t);

static void on_gone(struct model *m, struct box *s, void *ud)
{
    (void)m;
    struct pm_track *t = ud;
    struct pm_entry *e = calloc(1, sizeof(*e));
    if (!e || GROW_INT(t->v, t->cap, t->n + 1) < 0) {
        free(e);
        box_free(s);
        return;
    }
    e->t = t;
    e->box = s;
    e->gone_mono = loop_now_ms();
    e->unreachable = t->a->offline;
    rec_from_box(&e->rec, s, loop_wall_ms());
    s->state = BOX_ENDED;
    s->end_ms = e->rec.noticed_ms;
    memmove(t->v + 1, t->v, (size_t)t->n * sizeof(*t->v));
    t->v[0] = e;
    t->n++;
    ask_events(e);
    ask_logs(e);
    ask_cmds(e);
    save_if_done(e);
    show_card_if_open(t, e->rec.id);
    if (t->n > PM_KEEP_MAX) trim(t);
}

/* Ended rows go after PM_KEEP_MS, and beyond the newest PM_KEEP_MAX (v is newest first), once
 * nothing is in flight for them; a card open on one reads the record from the store. */
static void trim(struct pm_track *t)
{
    int64_t now = loop_now_ms();
    int kept = 0;
    for (int i = 0; i < t->n; i++) {
        struct pm_entry *e = t->v[i];
        if ((now - e->gone_mono >= PM_KEEP_MS || kept >= PM_KEEP_MAX) && !e->ev_call &&
            !e->log_call && !e->feed) {
            if (!e->saved && t->dir) save_if_done(e);
            entry_free(e);
        } else {
            t->v[kept++] = e;
        }
    }
    if (kept != t->n) {
        t->n = kept;
        changed(t);
    }
}

static void expire(struct loop *l, void *ud)
{
    struct pm_track *t = ud;
    t->expire_timer = loop_timer_add(l, PM_EXPIRE_TICK_MS, expire, t);
    trim(t);
}

struct view *pm_track_card(struct pm_track *t, const char *id)
{
    return t && t->card_new ? t->card_new(t->a, id) : NULL;
}

struct pm_track *pm_track_new(struct app *a,
                              struct view *(*card_new)(struct app *a, const char *id))
{
    struct pm_track *t = calloc(1, sizeof(*t));
    if (!t) return NULL;
    t->a = a;
    t->card_new = card_new;
    /* a replay's sandboxes never existed: their ends are not worth keeping on disk */
    t->dir = strcmp(a->be->ops->kind, "replay") ? pm_store_dir() : NULL;
    t->expire_timer = loop_timer_add(a->loop, PM_EXPIRE_TICK_MS, expire, t);
    a->model.on_gone = on_gone;
    a->model.gone_ud = t;
    return t;
}

void pm_track_free(struct pm_track *t)
{
    if (!t) return;
    if (t->a->model.gone_ud == t) {
        t->a->model.on_gone = NULL;
        t->a->model.gone_ud = NULL;
    }
    for (int i = 0; i < t->n; i++) {
        struct pm_entry *e = t->v[i];
        /* quitting before every answer came: keep what is known */
        if (!e->saved && t->dir) {
            struct error err = {0};
            if (e->rec.cause == PM_CAUSE_PENDING) pm_decide_cause(&e->rec, e->unreachable);
            pm_store_save(t->dir, &e->rec, &err);
        }
        entry_free(e);
    }
    if (t->expire_timer) loop_timer_cancel(t->a->loop, t->expire_timer);
    free(t->v);
    free(t->dir);
    free(t);
}

int pm_track_count(const struct pm_track *t)
{
    return t ? t->n : 0;
}

struct box *pm_track_box(const struct pm_track *t, int i)
{
    return t && i >= 0 && i < t->n ? t->v[i]->box : NULL;
}

const struct postmortem *pm_track_find(const struct pm_track *t, const char *id)
{
    for (int i = 0; t && i < t->n; i++)
        if (!strcmp(t->v[i]->rec.id, id)) return &t->v[i]->rec;
    return NULL;
}

int pm_track_shown(const struct pm_track *t)
{
    return t && !t->hidden;
}

void pm_track_toggle_shown(struct pm_track *t)
{
    if (!t) return;
    t->hidden = !t->hidden;
    changed(t);
}
