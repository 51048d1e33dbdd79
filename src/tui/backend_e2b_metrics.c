/* backend_e2b_metrics.c - the metrics of a round: the views' demand (model.h), batch calls
 * of 100 ids staged and applied at once, and the history windows of rows that come on
 * screen without one (GET /sandboxes/{id}/metrics). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/grow.h"
#include "boxtop/i18n.h"
#include "app.h"
#include "backend_e2b_int.h"
#include "fastscan.h"

static int stage(struct e2b_backend *b, struct box *s, const struct metric_sample *m)
{
    if (GROW_INT(b->staged, b->cap_staged, b->nstaged + 1) < 0) return -1;
    b->staged[b->nstaged++] = (struct staged){
        s, {m->ts * 1000, m->cpu_pct, m->mem_used, m->mem_total, m->disk_used, m->disk_total}};
    return 0;
}

static int on_scanned_metric(const char *id, size_t id_len, const struct metric_sample *m, void *ud)
{
    struct e2b_backend *b = ud;
    int i = b->scan_next;
    if (i >= 0 && i < b->nbatch && b->base.model->members == b->batch_members) {
        const char *want = b->batch_ids[i];
        if (!strncmp(want, id, id_len) && want[id_len] == '\0') {
            b->scan_next++;
            return stage(b, b->batch_boxes[i], m);
        }
    }
    b->scan_next = -1; /* another order (E2B cloud sorts the ids): look each one up */
    char key[256];
    if (id_len >= sizeof(key)) return 0; /* no sandbox has such an id */
    memcpy(key, id, id_len);
    key[id_len] = '\0';
    struct box *s = model_find(b->base.model, key);
    return s ? stage(b, s, m) : 0;
}

static void metrics_done(struct e2b_backend *b)
{
    if (b->metrics_err.kind == ERROR_NONE) {
        for (int i = 0; i < b->nstaged; i++) {
            /* 9 000 sandboxes sorted by CPU: each box is a cache miss the loop waited for */
            if (i + 8 < b->nstaged) __builtin_prefetch(b->staged[i + 8].s);
            box_add_sample(b->staged[i].s, &b->staged[i].smp);
            b->staged[i].s->sampled = b->round;
        }
        b->changed = 1;
        b->metrics_warned = 0;
    } else if (!b->metrics_warned) {
        /* best effort (a backend without metrics still lists sandboxes): say it once */
        backend_report(&b->base, BACKEND_ACTION_FAILED, _("metrics unavailable: %s"),
                       b->metrics_err.msg);
        b->metrics_warned = 1;
    }
    /* 10 000 samples are a few hundred KB: give them back rather than keep them all day */
    free(b->staged);
    b->staged = NULL;
    b->nstaged = b->cap_staged = 0;
    e2b_round_done(b);
}

static void on_metrics(struct api_result *res, void *ud)
{
    struct batch_part *part = ud;
    struct e2b_backend *b = part->b;
    b->scan_next = part->first;
    b->metrics_pending--;
    if (b->metrics_err.kind == ERROR_NONE && res->err.kind != ERROR_NONE) b->metrics_err = res->err;
    if (b->metrics_err.kind == ERROR_NONE) {
        int before = b->nstaged;
        const char *body = res->body ? res->body : "";
        if (scan_metrics_batch(body, res->body_len, on_scanned_metric, b) < 0) {
            /* not the plain shape: the strict parser decides (and names the problem) */
            b->nstaged = before;
            struct sandbox_metric_list l = {0};
            if (metrics_batch_parse(body, res->body_len, &l, &b->metrics_err) < 0) {
                b->metrics_err.kind = ERROR_PROTOCOL;
                error_prefix(&b->metrics_err, _("unexpected response from %s"),
                             api_base_url(b->api));
            } else {
                for (int i = 0; i < l.n; i++) {
                    struct box *s = model_find(b->base.model, l.items[i].sandbox_id);
                    if (s) stage(b, s, &l.items[i].m);
                }
            }
            sandbox_metric_list_free(&l);
        }
    }
    e2b_metrics_more(b);
    if (b->metrics_pending == 0) metrics_done(b);
}

/* ---- rows' history windows ------------------------------------------------------------ */

#define HIST_DEAD_AFTER 3

static void hist_next(struct e2b_backend *b);

/* A fetched window of samples (GET /sandboxes/{id}/metrics) into the sandbox's history. */
void e2b_merge_history(struct e2b_backend *b, struct box *s, const struct api_result *res)
{
    if (res->metrics.n <= 0) return;
    struct sample *v = calloc((size_t)res->metrics.n, sizeof(*v));
    if (!v) return;
    for (int i = 0; i < res->metrics.n; i++) {
        const struct metric_sample *m = &res->metrics.items[i];
        v[i] = (struct sample){m->ts * 1000, m->cpu_pct,   m->mem_used,
                               m->mem_total, m->disk_used, m->disk_total};
    }
    const struct sample *l = box_latest(s);
    int64_t latest = l ? l->t_ms : -1;
    box_merge_samples(s, v, res->metrics.n);
    s->sampled = b->round;
    free(v);
    l = box_latest(s);
    if (!l || l->t_ms == latest) {
        /* only older samples: not a model change (what a sorted table orders by is the
         * latest sample; re-sorting 10 000 rows for each window cost more than all the rest
         * of a round sorted by CPU) */
        backend_report(&b->base, BACKEND_SAMPLES, NULL);
    } else if (b->list_call || b->metrics_pending) {
        /* a newer latest sample while a round is in flight (the windows of the rows on
         * screen race the round's batch calls): the round's end takes it into the order with
         * its own samples, once, instead of one model change per window */
        b->changed = 1;
        backend_report(&b->base, BACKEND_SAMPLES, NULL);
    } else {
        model_touch(b->base.model);
        backend_report(&b->base, BACKEND_MODEL_CHANGED, NULL);
    }
}

void e2b_hist_queue_clear(struct e2b_backend *b)
{
    for (int i = 0; i < b->nhist_queue; i++)
        free(b->hist_queue[i]);
    b->nhist_queue = 0;
}

/* Forget the calls in flight (after api_free(), which dropped them without callbacks). */
void e2b_hist_slots_clear(struct e2b_backend *b)
{
    for (int i = 0; i < HIST_SLOTS; i++) {
        free(b->hist_slots[i].id);
        b->hist_slots[i] = (struct row_hist){0};
    }
}

static int hist_busy(struct e2b_backend *b, const char *id)
{
    for (int i = 0; i < HIST_SLOTS; i++)
        if (b->hist_slots[i].call && !strcmp(b->hist_slots[i].id, id)) return 1;
    return 0;
}

/* A window read raw: the fast reader, else the strict parser (which names what is wrong). */
static void hist_decode(struct e2b_backend *b, struct api_result *res)
{
    if (res->err.kind != ERROR_NONE) return;
    const char *body = res->body ? res->body : "";
    metric_list_free(&res->metrics);
    if (scan_metrics_array(body, res->body_len, &res->metrics) == 0) return;
    if (metrics_parse(body, res->body_len, &res->metrics, &res->err) < 0) {
        res->err.kind = ERROR_PROTOCOL;
        error_prefix(&res->err, _("unexpected response from %s"), api_base_url(b->api));
    }
}

static void on_row_hist(struct api_result *res, void *ud)
{
    struct row_hist *slot = ud;
    struct e2b_backend *b = slot->b;
    struct box *s = model_find(b->base.model, slot->id);
    slot->call = NULL;
    hist_decode(b, res);
    if (res->err.kind != ERROR_NONE) {
        if (res->err.kind != ERROR_NETWORK) b->hist_fails++;
        /* an answer that makes no sense (a CPU of 1.8e308) is named, not dropped silently */
        if (res->err.kind == ERROR_PROTOCOL)
            backend_report(&b->base, BACKEND_ACTION_FAILED, _("metrics of %s: %s"), slot->id,
                           res->err.msg);
        if (s) s->hist_full = 1; /* the batch call gives it samples from now on */
    } else {
        b->hist_fails = 0;
        if (s) {
            e2b_merge_history(b, s, res);
            s->hist_full = 1;
        }
    }
    free(slot->id);
    slot->id = NULL;
    hist_next(b);
}

static void hist_next(struct e2b_backend *b)
{
    int64_t now_s = loop_wall_ms() / 1000;
    for (int i = 0; i < HIST_SLOTS && b->nhist_queue > 0; i++) {
        struct row_hist *slot = &b->hist_slots[i];
        if (slot->call) continue;
        char *id = b->hist_queue[--b->nhist_queue]; /* the last queued is the last shown */
        struct box *s = model_find(b->base.model, id);
        if (!s || s->state != BOX_RUNNING || hist_busy(b, id)) {
            free(id);
            i--; /* this slot is still free */
            continue;
        }
        slot->b = b;
        slot->id = id;
        slot->call =
            api_sandbox_metrics(b->api, id, now_s - MODEL_HISTORY_ROW * TICK_METRICS_MS / 1000,
                                now_s, on_row_hist, slot);
        if (!slot->call) {
            free(slot->id);
            slot->id = NULL;
        } else {
            api_call_set_raw(slot->call); /* hist_decode() reads it */
        }
    }
}

static void hist_push(struct e2b_backend *b, const char *id)
{
    if (GROW_INT(b->hist_queue, b->cap_hist_queue, b->nhist_queue + 1)) return;
    char *d = strdup(id);
    if (d) b->hist_queue[b->nhist_queue++] = d;
}

/* Sorted by a metric, every round's samples reorder the table and the rows on screen change
 * with them (all of them, when the load moves): a row's history window is fetched once it has
 * stayed on screen into a second round, or on the first screen of the sort. Until then it
 * shows the samples the batch gave it every round since the sort. Fetching the windows of
 * rows that are gone again five seconds later was 40 calls a round at 10 000 sandboxes. */
static int hist_due(struct e2b_backend *b, struct box *s)
{
    if (s->shown_round + 1 < b->round) s->shown_since = b->round; /* (back) on screen */
    s->shown_round = b->round;
    return !b->base.model->metrics_all || s->shown_since < b->round || b->round == b->all_from;
}

/* One sandbox of the demand: its history window is queued when it is on screen without one,
 * else (batch) its id goes into the round's batch call. */
static void demand_box(struct e2b_backend *b, struct box *s, int batch, int hist_ok)
{
    struct model *m = b->base.model;
    if (s->state != BOX_RUNNING) return;                      /* paused: no fresh metrics */
    if (batch && s->sampled + 1 < b->round) s->hist_full = 0; /* missed a round: a gap */
    int want = s->wanted == m->demand;
    if (want && !s->hist_full && hist_ok && hist_due(b, s)) {
        if (!hist_busy(b, s->id)) hist_push(b, s->id);
    } else if (batch && (want || m->metrics_all) &&
               !GROW_INT(b->batch_ids, b->cap_batch, b->nbatch + 1) &&
               !GROW_INT(b->batch_boxes, b->cap_batch_boxes, b->nbatch + 1)) {
        b->batch_boxes[b->nbatch] = s;
        b->batch_ids[b->nbatch++] = s->id; /* each sandbox comes once: model_want() lists it once */
    }
}

/* Ask the views what they show (model.h "metrics demand") and queue the history windows of
 * the rows on screen that lack one; with batch, also collect the ids of the round's batch
 * call (b->batch_ids, valid until the next round's listing). Walks every sandbox only when
 * all of them are asked for. */
static void demand_scan(struct e2b_backend *b, int batch)
{
    struct model *m = b->base.model;
    m->demand++;
    m->metrics_all = 0;
    m->nwanted = 0;
    b->nbatch = 0;
    backend_report(&b->base, BACKEND_DEMAND, NULL);
    struct box *w = e2b_watched(b);
    if (w) model_want(m, w);
    if (batch && m->metrics_all && !b->all_before) b->all_from = b->round; /* a new sort */
    if (batch) b->all_before = m->metrics_all;
    e2b_hist_queue_clear(b);
    int hist_ok = b->hist_fails < HIST_DEAD_AFTER;
    if (batch && m->metrics_all)
        for (int i = 0; i < m->n; i++)
            demand_box(b, m->sb[i], batch, hist_ok);
    else
        for (int i = 0; i < m->nwanted; i++)
            demand_box(b, m->wanted[i], batch, hist_ok);
    hist_next(b);
}

void e2b_demand_now(struct backend *be)
{
    struct e2b_backend *b = (struct e2b_backend *)be;
    if (!b->api || b->base.model->loading) return;
    int all_before = b->base.model->metrics_all;
    demand_scan(b, 0);
    /* sorted by a metric now: every running sandbox's sample is needed, not in 5 s */
    if (b->base.model->metrics_all && !all_before) e2b_poll_now(be);
}

/* Latest samples of the sandboxes asked for, 100 ids per call (the API's limit), all at once. */
void e2b_metrics_start(struct e2b_backend *b)
{
    memset(&b->metrics_err, 0, sizeof(b->metrics_err));
    b->nstaged = 0;
    demand_scan(b, 1);
    int asked = b->nbatch;
    if (asked > b->cap_staged) { /* one allocation of the right size, not a doubling chain */
        free(b->staged);
        b->staged = malloc((size_t)asked * sizeof(*b->staged));
        b->cap_staged = b->staged ? asked : 0;
    }
    b->batch_members = b->base.model->members;
    /* no call of the last round is out (poll_start waits for them): the parts can move */
    if (GROW_INT(b->parts, b->cap_parts, asked / 100 + 1) < 0) {
        e2b_round_done(b);
        return;
    }
    b->nparts = (asked + 99) / 100;
    b->parts_next = 0;
    e2b_metrics_more(b);
    if (!b->metrics_pending) e2b_round_done(b);
}

/* The next calls of the round, up to METRICS_AT_ONCE in flight: curl runs no more at once
 * anyway (connections per host), and the rest waited in its queue each holding a transfer
 * handle — a round sorted by CPU at 10 000 sandboxes made and freed 80 of them. */
void e2b_metrics_more(struct e2b_backend *b)
{
    while (b->parts_next < b->nparts && b->metrics_pending < METRICS_AT_ONCE) {
        int i = b->parts_next++ * 100, n = b->nbatch - i < 100 ? b->nbatch - i : 100;
        struct batch_part *part = &b->parts[i / 100];
        *part = (struct batch_part){b, i, n};
        struct api_call *c = api_metrics_batch(b->api, b->batch_ids + i, n, on_metrics, part);
        if (!c) { /* what was asked stands, the rest is not asked this round */
            b->parts_next = b->nparts;
            break;
        }
        api_call_set_raw(c);
        b->metrics_pending++;
    }
}
