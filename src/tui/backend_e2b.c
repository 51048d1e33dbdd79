/* backend_e2b.c - the live backend: the E2B platform API (cloud, self-hosted or the local
 * boxtopd) polled every TICK_METRICS_MS (±10 % jitter so many boxtops do not beat in step).
 *
 * One poll round = GET /v2/sandboxes (all pages) → upsert into the model, prune the vanished →
 * GET /sandboxes/metrics (calls of 100 ids) → one sample per sandbox, for the sandboxes the
 * views show (model.h "metrics demand"), or all running ones when the order depends on their
 * metrics. A row that comes on screen without a sample from the last round gets its window
 * from GET /sandboxes/{id}/metrics instead, so its sparkline is full at once. At 10 000
 * sandboxes that is 10 MB of JSON every 5 s, so both answers are read raw (fastscan.c): list
 * objects byte-identical to last time are only marked seen, changed ones go through the strict
 * parser, metrics are read without a cJSON tree; anything unusual takes the strict path, with
 * the same result and errors as before. Everything runs on the
 * curl multi handle inside the core loop, so input never waits for the network. Actions
 * (kill, pause, ...) are separate calls; each success triggers an early poll so the table
 * shows the result at once. Network failures flip the backend "offline" (the UI says so)
 * and polling simply continues; the first good answer flips it back. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <signal.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "boxtop/grow.h"
#include "boxtop/api.h"
#include "boxtop/envd.h"
#include "boxtop/http.h"
#include "boxtop/i18n.h"
#include "app.h"
#include "backend.h"
#include "backend_e2b.h"
#include "backend_e2b_remote.h"
#include "fastscan.h"
#include "session.h"

#define MAX_TEMPLATES 64
/* Rows' history windows fetched at once (a screenful takes a few turns of these). */
#define HIST_SLOTS 8

struct row_hist {
    struct e2b_backend *b;
    struct api_call *call; /* NULL = free slot */
    char *id;
};

struct e2b_backend {
    struct backend base;
    struct http *http;
    struct api *api;
    int64_t timer;
    struct api_call *list_call, *tpl_call;
    /* the metrics of a round: calls of at most 100 ids; samples are staged and applied once
     * every call has answered, so a failing call adds none (as one batch call did) */
    int metrics_pending;
    struct staged *staged;
    int nstaged, cap_staged;
    struct error metrics_err;
    int again;   /* a poll was asked for while one was running */
    int offline; /* last poll failed at the network level */
    int metrics_warned;
    unsigned round;
    struct api_paging paging; /* this round's pages: bounded like `boxtop ls` (api_paging.c) */
    int list_skipped;         /* items of this round that were not valid sandboxes */
    char skip_why[256];
    char note[320]; /* what the last round cut or skipped, as last reported ("" = nothing) */
    /* starts per minute: ids first seen with a recent start time */
    int64_t starts[256];
    int nstarts;
    char *sandbox_url, *domain; /* where envd lives (NULL = per-sandbox cloud URL) */
    char *team_id;              /* team metrics (start rate) when known */
    struct api_call *team_call;
    int team_ok;   /* the team endpoint answered: its start rate wins over our estimate */
    int team_dead; /* it failed: stop asking */
    /* the detail view's sandbox: processes (envd Process.List) and latest logs */
    char *watch_id;
    struct envd_client envd;
    int envd_ready;
    struct api_call *info_call, *logs_call, *hist_call;
    /* history windows of rows that came on screen: a queue of ids and the calls in flight */
    char **hist_queue;
    int nhist_queue, cap_hist_queue;
    struct row_hist hist_slots[HIST_SLOTS];
    int hist_fails; /* in a row: a backend without the per-sandbox endpoint is not asked again */
    struct http_request *procs_req;
    char *templates[MAX_TEMPLATES + 1];
    int ntemplates;
    int first_done;
    uint64_t trimmed_members; /* model.members at the last heap trim */
    int listed;               /* distinct sandboxes listed in this round */
    const char **batch_ids;   /* the round's batch metrics ids (box ids, see demand_scan) */
    int nbatch, cap_batch;
    int changed; /* the model changed in this round: report it when the round ends */
    int cursor;  /* model.sb index expected for the next listed sandbox (see on_list_object) */
};

/* What identifies a list object as sent: unchanged ones are not parsed again (box.list_*). */
struct obj_sig {
    uint64_t hash;
    uint32_t len;
};

struct staged {
    struct box *s; /* valid until the round ends: only a round's end prunes the model */
    struct sample smp;
};

struct action {
    struct e2b_backend *b;
    char *id;
    const char *verb; /* already translated "killed", ... */
};

static void poll_start(struct e2b_backend *b);
static struct box *watched(struct e2b_backend *b);
static void e2b_poll_now(struct backend *be);

static void on_timer(struct loop *l, void *ud)
{
    (void)l;
    struct e2b_backend *b = ud;
    b->timer = 0;
    poll_start(b);
}

static void schedule(struct e2b_backend *b, int64_t ms)
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

static void detail_fetch(struct e2b_backend *b);

static void round_done(struct e2b_backend *b)
{
    if (b->changed) { /* the list and the samples of a round show in one frame */
        b->changed = 0;
        model_touch(b->base.model);
        backend_report(&b->base, BACKEND_MODEL_CHANGED, NULL);
    }
    detail_fetch(b);
    if (b->again) {
        b->again = 0;
        schedule(b, 0);
    } else {
        schedule(b, jittered_period());
    }
}

static void set_offline(struct e2b_backend *b, const struct error *err)
{
    /* only a network failure is "unreachable": a 500 or a redirect answered */
    if (!b->offline)
        backend_report(&b->base, BACKEND_OFFLINE,
                       err->kind == ERROR_NETWORK
                           ? _("backend unreachable: %s (retrying every %ds)")
                           : _("the backend answers with an error: %s (retrying every %ds)"),
                       err->msg, TICK_METRICS_MS / 1000);
    b->offline = 1;
}

static void set_online(struct e2b_backend *b)
{
    if (b->offline) backend_report(&b->base, BACKEND_ONLINE, _("backend is reachable again"));
    b->offline = 0;
}

static void count_start(struct e2b_backend *b, int64_t started_ms)
{
    int64_t now = loop_wall_ms();
    if (!b->first_done || !started_ms || now - started_ms > 60000) return;
    if (b->nstarts == (int)(sizeof(b->starts) / sizeof(b->starts[0])))
        memmove(b->starts, b->starts + 1, sizeof(b->starts) - sizeof(b->starts[0]));
    else
        b->nstarts++;
    b->starts[b->nstarts - 1] = started_ms;
}

static double starts_per_min(struct e2b_backend *b)
{
    int64_t now = loop_wall_ms();
    int n = 0;
    for (int i = 0; i < b->nstarts; i++)
        if (now - b->starts[i] <= 60000) n++;
    return n;
}

/* Move a parsed string into the model (src is left NULL): the strings then stay where the
 * parser put them instead of being copied and freed, which at 10 000 new sandboxes left
 * megabytes of small holes in the heap. */
static void take_str(char **field, char **src)
{
    if (*field && *src && !strcmp(*field, *src)) return; /* unchanged: src is freed later */
    free(*field);
    *field = *src;
    *src = NULL;
}

/* The same result as box_clear_meta() + box_set_meta() for each pair (a repeated key updates
 * the first one's value), with the parsed strings moved rather than copied. */
static void take_meta(struct box *s, struct kv_list *md)
{
    box_clear_meta(s);
    if (md->n <= 0) return;
    struct box_kv *v = malloc((size_t)md->n * sizeof(*v));
    if (!v) return;
    int k = 0;
    for (int i = 0; i < md->n; i++) {
        struct kv *it = &md->items[i];
        if (!it->key) continue;
        if (!it->value && !(it->value = strdup(""))) continue;
        int j = 0;
        while (j < k && strcmp(v[j].key, it->key))
            j++;
        if (j < k) { /* a repeated key */
            free(v[j].value);
            v[j].value = it->value;
            it->value = NULL;
            continue;
        }
        v[k].key = it->key;
        v[k].value = it->value;
        it->key = it->value = NULL;
        k++;
    }
    s->meta = v;
    s->n_meta = k;
}

static void merge_sandbox(struct e2b_backend *b, struct sandbox *src, struct obj_sig sig)
{
    struct model *m = b->base.model;
    int is_new = model_find(m, src->id) == NULL;
    struct box *s = model_upsert(m, src->id);
    if (!s) return;
    if (is_new) count_start(b, src->started_at_ms);
    take_str(&s->template_id, &src->template_id);
    take_str(&s->alias, &src->alias);
    take_str(&s->envd_version, &src->envd_version);
    s->state = src->state == SANDBOX_PAUSED    ? BOX_PAUSED
               : src->state == SANDBOX_RUNNING ? BOX_RUNNING
                                               : BOX_UNKNOWN;
    s->cpu_count = src->cpu_count;
    s->memory_mb = src->memory_mb;
    s->disk_mb = src->disk_size_mb;
    s->started_ms = src->started_at_ms;
    s->end_ms = src->end_at_ms;
    take_meta(s, &src->metadata);
    b->listed += s->seen != b->round;
    s->seen = b->round;
    s->list_hash = sig.hash;
    s->list_len = sig.len;
}

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
    round_done(b);
}

static void on_metrics(struct api_result *res, void *ud)
{
    struct e2b_backend *b = ud;
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
    if (b->metrics_pending == 0) metrics_done(b);
}

/* ---- rows' history windows ------------------------------------------------------------ */

#define HIST_DEAD_AFTER 3

static void hist_next(struct e2b_backend *b);

/* A fetched window of samples (GET /sandboxes/{id}/metrics) into the sandbox's history. */
static void merge_history(struct e2b_backend *b, struct box *s, const struct api_result *res)
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
    } else {
        model_touch(b->base.model);
        backend_report(&b->base, BACKEND_MODEL_CHANGED, NULL);
    }
}

static void hist_queue_clear(struct e2b_backend *b)
{
    for (int i = 0; i < b->nhist_queue; i++)
        free(b->hist_queue[i]);
    b->nhist_queue = 0;
}

/* Forget the calls in flight (after api_free(), which dropped them without callbacks). */
static void hist_slots_clear(struct e2b_backend *b)
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

static void on_row_hist(struct api_result *res, void *ud)
{
    struct row_hist *slot = ud;
    struct e2b_backend *b = slot->b;
    struct box *s = model_find(b->base.model, slot->id);
    slot->call = NULL;
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
            merge_history(b, s, res);
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
        }
    }
}

static void hist_push(struct e2b_backend *b, const char *id)
{
    if (GROW_INT(b->hist_queue, b->cap_hist_queue, b->nhist_queue + 1)) return;
    char *d = strdup(id);
    if (d) b->hist_queue[b->nhist_queue++] = d;
}

/* One sandbox of the demand: its history window is queued when it is on screen without one,
 * else (batch) its id goes into the round's batch call. */
static void demand_box(struct e2b_backend *b, struct box *s, int batch, int hist_ok)
{
    struct model *m = b->base.model;
    if (s->state != BOX_RUNNING) return;                      /* paused: no fresh metrics */
    if (batch && s->sampled + 1 < b->round) s->hist_full = 0; /* missed a round: a gap */
    int want = s->wanted == m->demand;
    if (want && !s->hist_full && hist_ok) {
        if (!hist_busy(b, s->id)) hist_push(b, s->id);
    } else if (batch && (want || m->metrics_all) &&
               !GROW_INT(b->batch_ids, b->cap_batch, b->nbatch + 1)) {
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
    struct box *w = watched(b);
    if (w) model_want(m, w);
    hist_queue_clear(b);
    int hist_ok = b->hist_fails < HIST_DEAD_AFTER;
    if (batch && m->metrics_all)
        for (int i = 0; i < m->n; i++)
            demand_box(b, m->sb[i], batch, hist_ok);
    else
        for (int i = 0; i < m->nwanted; i++)
            demand_box(b, m->wanted[i], batch, hist_ok);
    hist_next(b);
}

static void e2b_demand_now(struct backend *be)
{
    struct e2b_backend *b = (struct e2b_backend *)be;
    if (!b->api || b->base.model->loading) return;
    int all_before = b->base.model->metrics_all;
    demand_scan(b, 0);
    /* sorted by a metric now: every running sandbox's sample is needed, not in 5 s */
    if (b->base.model->metrics_all && !all_before) e2b_poll_now(be);
}

/* Latest samples of the sandboxes asked for, 100 ids per call (the API's limit), all at once. */
static void metrics_start(struct e2b_backend *b)
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
    for (int i = 0; i < asked; i += 100) {
        int n = asked - i < 100 ? asked - i : 100;
        struct api_call *c = api_metrics_batch(b->api, b->batch_ids + i, n, on_metrics, b);
        if (!c) break;
        api_call_set_raw(c);
        b->metrics_pending++;
    }
    if (!b->metrics_pending) round_done(b);
}

static void list_page(struct e2b_backend *b, const char *next_token);

/* Team figures from GET /teams/{id}/metrics (E2B cloud and boxtopd): the latest sandbox start
 * rate. Without a team id, or when the endpoint fails, the header uses our own count of new
 * sandboxes seen in the last minute instead. */
static void on_team(struct api_result *res, void *ud)
{
    struct e2b_backend *b = ud;
    b->team_call = NULL;
    if (res->err.kind != ERROR_NONE || res->team.n == 0) {
        b->team_dead = res->err.kind != ERROR_NONE && res->err.kind != ERROR_NETWORK;
        return;
    }
    /* Starts over the last minute: each bucket's rate times its width, summed over the
     * buckets that overlap that minute. The latest bucket's rate times 60 would read one
     * start in a 5 s bucket as 12 a minute. The width is the spacing of the buckets; with a
     * single bucket it is unknown, and our own count of new sandboxes stands. */
    int64_t now_s = loop_wall_ms() / 1000, step = 0;
    for (int i = 1; i < res->team.n; i++) { /* the series comes in time order */
        int64_t d = res->team.items[i].ts - res->team.items[i - 1].ts;
        if (d < 0) d = -d;
        if (d > 0 && (!step || d < step)) step = d;
    }
    if (!step) return;
    double starts = 0;
    for (int i = 0; i < res->team.n; i++)
        if (res->team.items[i].ts + step > now_s - 60 && res->team.items[i].ts <= now_s)
            starts += res->team.items[i].start_rate * (double)step;
    b->team_ok = 1;
    b->base.model->starts_per_min = (double)(long long)(starts + 0.5);
    model_touch(b->base.model);
    backend_report(&b->base, BACKEND_MODEL_CHANGED, NULL);
}

static void team_fetch(struct e2b_backend *b)
{
    if (!b->team_id || b->team_dead || b->team_call || !b->api) return;
    int64_t now_s = loop_wall_ms() / 1000;
    b->team_call = api_team_metrics(b->api, b->team_id, now_s - 300, now_s, on_team, b);
}

/* One list page, read raw: objects are sorted into unchanged sandboxes (same bytes as last
 * time) and changed or new ones, which are collected into a JSON array for the strict parser. */
struct page_scan {
    struct e2b_backend *b;
    struct box **same;
    int nsame, cap;
    struct buf changed;   /* "[obj,obj" */
    struct obj_sig *sigs; /* of the changed objects, in order */
    int nchanged, sigcap;
    struct box *known; /* the sandbox known_object() recognised, for on_list_object() */
};

/* The sandbox an object of the list is about. Listings come in the same order every round
 * and the model keeps the order they were first listed in, so the next sandbox of the model
 * is tried before the hash index (whose lookups are cache misses at 10 000 sandboxes); a
 * miss finds it through the index and continues from there. */
static struct box *listed_box(struct e2b_backend *b, const char *id, size_t len)
{
    struct model *m = b->base.model;
    if (b->cursor >= 0 && b->cursor < m->n) {
        const char *c = m->sb[b->cursor]->id;
        if (!strncmp(c, id, len) && c[len] == '\0') return m->sb[b->cursor++];
    }
    char key[256];
    if (len >= sizeof(key)) return NULL; /* no sandbox has such an id */
    memcpy(key, id, len);
    key[len] = '\0';
    int i = model_index_of(m, key);
    b->cursor = i < 0 ? b->cursor : i + 1;
    return i < 0 ? NULL : m->sb[i];
}

/* The object at p when it is, byte for byte, the one the next sandbox in listing order had
 * last round (same length and hash): then it is not read at all, only hashed. */
static size_t known_object(const char *p, size_t avail, void *ud)
{
    struct page_scan *ps = ud;
    struct model *m = ps->b->base.model;
    int i = ps->b->cursor;
    ps->known = NULL;
    if (i < 0 || i >= m->n) return 0;
    struct box *s = m->sb[i];
    /* the next sandbox's fields arrive while this object is hashed (a cache miss each) */
    if (i + 1 < m->n) __builtin_prefetch(&m->sb[i + 1]->list_hash);
    size_t n = s->list_len;
    if (!s->list_hash || n < 2 || n > avail || p[n - 1] != '}' ||
        (scan_hash(p, n) | 1) != s->list_hash)
        return 0;
    ps->known = s;
    ps->b->cursor++;
    return n;
}

static int on_list_object(const struct scan_obj *o, void *ud)
{
    struct page_scan *ps = ud;
    if (!o->id && ps->known) {
        if (GROW_INT(ps->same, ps->cap, ps->nsame + 1)) return -1;
        ps->same[ps->nsame++] = ps->known;
        ps->known = NULL;
        return 0;
    }
    uint64_t h = scan_hash(o->p, o->len) | 1; /* never 0, which means "none" */
    if (o->id && !memchr(o->id, '\0', o->id_len)) {
        struct box *s = listed_box(ps->b, o->id, o->id_len);
        if (s && s->list_hash == h) {
            if (GROW_INT(ps->same, ps->cap, ps->nsame + 1)) return -1;
            ps->same[ps->nsame++] = s;
            return 0;
        }
    }
    if (GROW_INT(ps->sigs, ps->sigcap, ps->nchanged + 1)) return -1;
    ps->sigs[ps->nchanged++] = (struct obj_sig){h, o->len > UINT32_MAX ? 0 : (uint32_t)o->len};
    if (buf_append_byte(&ps->changed, ps->changed.len ? ',' : '[') < 0 ||
        buf_append(&ps->changed, o->p, o->len) < 0)
        return -1;
    return 0;
}

/* Merge a page into the model; 0, or -1 with err as the strict parser of the page gives it.
 * *items = the number of sandboxes the page held. */
static int merge_page(struct e2b_backend *b, const char *body, size_t len, int *items,
                      struct error *err)
{
    *items = 0;
    struct page_scan ps = {b, NULL, 0, 0, BUF_INIT, NULL, 0, 0, NULL};
    struct sandbox_list l = {0};
    int rc = -1;
    if (scan_list_objects_known(body, len, known_object, on_list_object, &ps) == 0 &&
        buf_append_byte(&ps.changed, ps.changed.len ? ']' : '[') == 0 &&
        (ps.changed.len > 1 || buf_append_byte(&ps.changed, ']') == 0) &&
        sandbox_list_parse(ps.changed.data, ps.changed.len, &l, err) == 0 && l.n == ps.nchanged) {
        for (int i = 0; i < l.n; i++)
            merge_sandbox(b, &l.items[i], ps.sigs[i]);
        for (int i = 0; i < ps.nsame; i++) {
            b->listed += ps.same[i]->seen != b->round;
            ps.same[i]->seen = b->round;
        }
        *items = l.n + ps.nsame;
        rc = 0;
    } else {
        /* not the plain shape, or a changed object is wrong: the whole page through the
         * strict parser, which merges it or gives the error as it always did */
        sandbox_list_free(&l);
        memset(err, 0, sizeof(*err));
        if (sandbox_list_parse(body, len, &l, err) == 0) {
            for (int i = 0; i < l.n; i++)
                merge_sandbox(b, &l.items[i], (struct obj_sig){0, 0});
            *items = l.n + l.skipped;
            if (l.skipped && !b->list_skipped)
                snprintf(b->skip_why, sizeof b->skip_why, "%.200s", l.skip_why);
            b->list_skipped += l.skipped;
            rc = 0;
        } else {
            err->kind = ERROR_PROTOCOL;
            error_prefix(err, _("unexpected response from %s"), api_base_url(b->api));
        }
    }
    sandbox_list_free(&l);
    buf_free(&ps.changed);
    free(ps.same);
    free(ps.sigs);
    return rc;
}

/* Say what a round left out (cut, stuck, invalid items) once, and again only when it
 * changes; why NULL = nothing was cut. */
static void list_note(struct e2b_backend *b, const char *why)
{
    char note[sizeof b->note] = "";
    if (why && b->list_skipped)
        snprintf(note, sizeof note, _("%s; %d invalid sandboxes not shown (%s)"), why,
                 b->list_skipped, b->skip_why);
    else if (why)
        snprintf(note, sizeof note, "%s", why);
    else if (b->list_skipped)
        snprintf(note, sizeof note, _("%d invalid sandboxes not shown (the first: %s)"),
                 b->list_skipped, b->skip_why);
    if (!strcmp(note, b->note)) return;
    snprintf(b->note, sizeof b->note, "%s", note);
    if (note[0]) backend_report(&b->base, BACKEND_ACTION_FAILED, "%s", note);
}

static void on_list(struct api_result *res, void *ud)
{
    struct e2b_backend *b = ud;
    struct model *m = b->base.model;
    b->list_call = NULL;
    int items = 0;
    if (res->err.kind == ERROR_NONE)
        merge_page(b, res->body ? res->body : "", res->body_len, &items, &res->err);
    if (res->err.kind != ERROR_NONE) {
        /* no listing at all: the table cannot show anything current (a redirect, a 500, a
         * page too large): say so in the status line and the table, keep polling */
        set_offline(b, &res->err);
        round_done(b);
        return;
    }
    set_online(b);
    switch (api_paging_next(&b->paging, items, res->body_len, res->next_token)) {
    case API_PAGING_MORE:
        list_page(b, b->paging.token);
        return;
    case API_PAGING_DONE:
        list_note(b, NULL);
        break;
    case API_PAGING_STUCK:
    case API_PAGING_CUT:
        /* the round ends with what was listed (the rest is pruned: memory stays bounded) */
        list_note(b, b->paging.why);
        break;
    }
    /* every sandbox of the model listed again: nothing to prune (no walk over all of them) */
    if (b->listed != m->n) model_prune(m, b->round);
    m->loading = 0;
    m->updated_ms = loop_wall_ms();
    if (!b->team_ok) m->starts_per_min = b->first_done ? starts_per_min(b) : -1;
    team_fetch(b);
    if (b->first_done) {
        b->changed = 1; /* shown with the round's samples (round_done) */
    } else {            /* the first listing shows at once */
        model_touch(m);
        backend_report(&b->base, BACKEND_MODEL_CHANGED, NULL);
    }
    b->first_done = 1;
#ifdef __GLIBC__
    /* Sandboxes came or went: parsing them left free space inside the heap (thousands of
     * them are parsed in the first round). Give its pages back before the metrics' history
     * rings are allocated, so they fill the holes instead of growing the heap. Not in steady
     * rounds, which parse nothing new. */
    if (m->members != b->trimmed_members) {
        malloc_trim(0);
        b->trimmed_members = m->members;
    }
#endif
    metrics_start(b);
}

static void list_page(struct e2b_backend *b, const char *next_token)
{
    struct api_list_query q = {0};
    q.states = API_STATE_RUNNING | API_STATE_PAUSED;
    q.limit = 100;
    q.next_token = next_token;
    b->list_call = api_list_sandboxes(b->api, &q, on_list, b);
    if (!b->list_call)
        round_done(b);
    else
        api_call_set_raw(b->list_call);
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
    list_page(b, NULL);
}

static void e2b_poll_now(struct backend *be)
{
    struct e2b_backend *b = (struct e2b_backend *)be;
    if (!b->api) return;
    if (b->list_call || b->metrics_pending)
        b->again = 1;
    else
        schedule(b, 0);
}

static void on_action(struct api_result *res, void *ud)
{
    struct action *ac = ud;
    struct e2b_backend *b = ac->b;
    if (res->err.kind == ERROR_NONE)
        backend_report(&b->base, BACKEND_ACTION_OK, "%s %s", ac->verb, ac->id);
    else
        backend_report(&b->base, BACKEND_ACTION_FAILED, "%s: %s", ac->id, res->err.msg);
    free(ac->id);
    free(ac);
    e2b_poll_now(&b->base);
}

static struct action *action_new(struct e2b_backend *b, const char *id, const char *verb)
{
    if (!b->api) {
        backend_report(&b->base, BACKEND_ACTION_FAILED, _("not connected to a backend yet"));
        return NULL;
    }
    struct action *ac = calloc(1, sizeof(*ac));
    if (!ac || !(ac->id = strdup(id))) {
        free(ac);
        backend_report(&b->base, BACKEND_ACTION_FAILED, _("out of memory"));
        return NULL;
    }
    ac->b = b;
    ac->verb = verb;
    return ac;
}

static void action_started(struct e2b_backend *b, struct action *ac, struct api_call *c)
{
    if (!c) {
        backend_report(&b->base, BACKEND_ACTION_FAILED, _("%s: could not start the request"),
                       ac->id);
        free(ac->id);
        free(ac);
    }
}

static void e2b_kill(struct backend *be, const char *id)
{
    struct e2b_backend *b = (struct e2b_backend *)be;
    struct action *ac = action_new(b, id, _("killed"));
    if (ac) action_started(b, ac, api_kill_sandbox(b->api, id, on_action, ac));
}

static void e2b_pause(struct backend *be, const char *id)
{
    struct e2b_backend *b = (struct e2b_backend *)be;
    struct action *ac = action_new(b, id, _("paused"));
    if (ac) action_started(b, ac, api_pause_sandbox(b->api, id, on_action, ac));
}

static void e2b_resume(struct backend *be, const char *id)
{
    struct e2b_backend *b = (struct e2b_backend *)be;
    struct action *ac = action_new(b, id, _("resumed"));
    if (ac) action_started(b, ac, api_connect_sandbox(b->api, id, -1, on_action, ac));
}

static void e2b_set_timeout(struct backend *be, const char *id, int seconds)
{
    struct e2b_backend *b = (struct e2b_backend *)be;
    struct action *ac = action_new(b, id, _("set the time to live of"));
    if (ac) action_started(b, ac, api_set_timeout(b->api, id, seconds, on_action, ac));
}

static void on_created(struct api_result *res, void *ud)
{
    struct e2b_backend *b = ud;
    if (res->err.kind == ERROR_NONE)
        backend_report(&b->base, BACKEND_ACTION_OK, _("created %s"),
                       res->sandbox.id ? res->sandbox.id : "?");
    else
        backend_report(&b->base, BACKEND_ACTION_FAILED, _("create failed: %s"), res->err.msg);
    e2b_poll_now(&b->base);
}

static void e2b_create(struct backend *be, const struct create_req *req)
{
    struct e2b_backend *b = (struct e2b_backend *)be;
    if (!b->api) {
        backend_report(&b->base, BACKEND_ACTION_FAILED, _("not connected to a backend yet"));
        return;
    }
    struct kv_list md = {0};
    for (int i = 0; req->meta_kv && req->meta_kv[i]; i++) {
        const char *eq = strchr(req->meta_kv[i], '=');
        if (!eq) continue;
        char key[256];
        snprintf(key, sizeof(key), "%.*s", (int)(eq - req->meta_kv[i]), req->meta_kv[i]);
        kv_list_add(&md, key, eq + 1);
    }
    struct api_create_opts o = {0};
    o.template_id = req->template_id;
    o.timeout_s = req->timeout_s;
    o.metadata = md.n ? &md : NULL;
    o.auto_pause = -1;
    o.allow_internet = -1;
    if (!api_create_sandbox(b->api, &o, on_created, b))
        backend_report(&b->base, BACKEND_ACTION_FAILED, _("create: could not start the request"));
    kv_list_free(&md);
}

static void add_template(struct e2b_backend *b, const char *t)
{
    if (!t || !t[0] || b->ntemplates >= MAX_TEMPLATES) return;
    for (int i = 0; i < b->ntemplates; i++)
        if (!strcmp(b->templates[i], t)) return;
    char *d = strdup(t);
    if (d) b->templates[b->ntemplates++] = d;
}

static void on_templates(struct api_result *res, void *ud)
{
    struct e2b_backend *b = ud;
    b->tpl_call = NULL;
    if (res->err.kind != ERROR_NONE)
        return; /* the picker still offers "base" and what the list showed */
    for (int i = 0; i < res->templates.n; i++) {
        const struct template_info *t = &res->templates.items[i];
        for (int k = 0; k < t->n_aliases; k++)
            add_template(b, t->aliases[k]);
        add_template(b, t->id);
    }
}

static const char *const *e2b_templates(struct backend *be)
{
    struct e2b_backend *b = (struct e2b_backend *)be;
    for (int i = 0; i < be->model->n; i++)
        add_template(b, be->model->sb[i]->alias);
    return (const char *const *)b->templates;
}

/* ---- the watched sandbox: processes and logs ---------------------------------------- */

static struct box *watched(struct e2b_backend *b)
{
    return b->watch_id ? model_find(b->base.model, b->watch_id) : NULL;
}

static void detail_stop(struct e2b_backend *b)
{
    if (b->info_call) api_cancel(b->info_call);
    if (b->logs_call) api_cancel(b->logs_call);
    if (b->procs_req) http_cancel(b->procs_req);
    b->info_call = b->logs_call = NULL;
    b->procs_req = NULL;
    if (b->envd_ready) envd_client_free(&b->envd);
    struct box *w = watched(b);
    if (w) /* back to a table row's history */
        box_history_reserve(w, MODEL_HISTORY_ROW);
    b->envd_ready = 0;
    free(b->watch_id);
    b->watch_id = NULL;
}

static void join_args(struct buf *out, const cJSON *cfg)
{
    const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(cfg, "cmd");
    const cJSON *args = cJSON_GetObjectItemCaseSensitive(cfg, "args");
    if (cJSON_IsString(cmd)) buf_append_str(out, cmd->valuestring);
    const cJSON *a;
    if (cJSON_IsArray(args)) cJSON_ArrayForEach(a, args) if (cJSON_IsString(a))
        {
            buf_append_byte(out, ' ');
            buf_append_str(out, a->valuestring);
        }
}

static void on_procs(const cJSON *resp, const struct error *err, void *ud)
{
    struct e2b_backend *b = ud;
    b->procs_req = NULL;
    struct box *s = watched(b);
    if (!s) return;
    const cJSON *arr = resp ? cJSON_GetObjectItemCaseSensitive(resp, "processes") : NULL;
    if (err || (arr && !cJSON_IsArray(arr))) {
        box_panel_error(&s->procs_err, &s->procs_state,
                        err ? err->msg : _("envd sent a malformed process list"));
    } else {
        int n = arr ? cJSON_GetArraySize(arr) : 0;
        struct box_proc *v = calloc((size_t)n + 1, sizeof(*v));
        int k = 0;
        const cJSON *it;
        if (v && arr) cJSON_ArrayForEach(it, arr)
            {
                const cJSON *pid = cJSON_GetObjectItemCaseSensitive(it, "pid");
                const cJSON *tag = cJSON_GetObjectItemCaseSensitive(it, "tag");
                const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(it, "config");
                if (!cJSON_IsNumber(pid) || pid->valuedouble < 0 || pid->valuedouble > 4294967295.0)
                    continue;
                struct buf c = BUF_INIT;
                if (cJSON_IsObject(cfg)) join_args(&c, cfg);
                v[k].pid = (uint32_t)pid->valuedouble;
                v[k].cmd = buf_steal(&c);
                v[k].tag = cJSON_IsString(tag) ? strdup(tag->valuestring) : NULL;
                k++;
            }
        box_set_procs(s, v, k);
        s->procs_state = PANEL_OK;
    }
    model_touch(b->base.model);
    backend_report(&b->base, BACKEND_MODEL_CHANGED, NULL);
}

static void procs_fetch(struct e2b_backend *b)
{
    struct box *s = watched(b);
    if (!s || !b->envd_ready || b->procs_req) return;
    if (s->state == BOX_PAUSED) {
        box_panel_error(&s->procs_err, &s->procs_state, _("paused: resume it to see processes"));
        return;
    }
    struct error err = {0};
    b->procs_req = envd_process_list(&b->envd, on_procs, b, &err);
    if (!b->procs_req) box_panel_error(&s->procs_err, &s->procs_state, err.msg);
}

static void on_info(struct api_result *res, void *ud)
{
    struct e2b_backend *b = ud;
    b->info_call = NULL;
    struct box *s = watched(b);
    if (!s) return;
    if (res->err.kind != ERROR_NONE) {
        box_panel_error(&s->procs_err, &s->procs_state, res->err.msg);
        model_touch(b->base.model);
        return;
    }
    struct error err = {0};
    const char *domain = res->sandbox.domain ? res->sandbox.domain : b->domain;
    if (envd_client_init(&b->envd, b->http, b->watch_id, b->sandbox_url, domain, false,
                         res->sandbox.envd_access_token, NULL, &err)) {
        box_panel_error(&s->procs_err, &s->procs_state, err.msg);
        model_touch(b->base.model);
        return;
    }
    b->envd_ready = 1;
    procs_fetch(b);
}

static void on_logs(struct api_result *res, void *ud)
{
    struct e2b_backend *b = ud;
    b->logs_call = NULL;
    struct box *s = watched(b);
    if (!s) return;
    if (res->err.kind != ERROR_NONE) {
        box_panel_error(&s->logs_err, &s->logs_state, res->err.msg);
    } else {
        int n = res->logs.n;
        struct box_log *v = calloc((size_t)n + 1, sizeof(*v));
        for (int i = 0; v && i < n; i++) {
            v[i].t_ms = res->logs.items[i].ts_ms;
            v[i].level = strdup(log_entry_level_name(res->logs.items[i].level));
            v[i].msg = strdup(res->logs.items[i].message ? res->logs.items[i].message : "");
        }
        box_set_logs(s, v, v ? n : 0);
        s->logs_state = PANEL_OK;
    }
    model_touch(b->base.model);
    backend_report(&b->base, BACKEND_MODEL_CHANGED, NULL);
}

#define DETAIL_LOG_LINES 20

/* The batch endpoint gives one sample per poll; opening the detail view fetches the kept
 * window at once so the graphs are full from the first frame. */
static void on_history(struct api_result *res, void *ud)
{
    struct e2b_backend *b = ud;
    b->hist_call = NULL;
    struct box *s = watched(b);
    if (s && res->err.kind == ERROR_NONE) merge_history(b, s, res);
}

static void detail_fetch(struct e2b_backend *b)
{
    struct box *s = watched(b);
    if (!s || !b->api) return;
    if (!b->envd_ready && !b->info_call)
        b->info_call = api_get_sandbox(b->api, b->watch_id, on_info, b);
    else
        procs_fetch(b);
    if (!b->logs_call) {
        struct api_logs_query q = {0};
        q.direction = "backward";
        q.limit = DETAIL_LOG_LINES;
        b->logs_call = api_logs_v2(b->api, b->watch_id, &q, on_logs, b);
    }
}

static void e2b_watch(struct backend *be, const char *id)
{
    struct e2b_backend *b = (struct e2b_backend *)be;
    if (id && b->watch_id && !strcmp(id, b->watch_id)) return;
    detail_stop(b);
    if (!id) return;
    b->watch_id = strdup(id);
    struct box *s = watched(b);
    if (s) box_history_reserve(s, MODEL_HISTORY);
    if (s && b->api) {
        int64_t now_s = loop_wall_ms() / 1000;
        s->hist_full = 1; /* this window is longer than a row's */
        b->hist_call = api_sandbox_metrics(
            b->api, id, now_s - MODEL_HISTORY * TICK_METRICS_MS / 1000, now_s, on_history, b);
    }
    if (s) {
        s->procs_state = s->procs_state == PANEL_OK ? PANEL_OK : PANEL_LOADING;
        s->logs_state = s->logs_state == PANEL_OK ? PANEL_OK : PANEL_LOADING;
    }
    detail_fetch(b);
}

static void on_signal_done(const cJSON *resp, const struct error *err, void *ud)
{
    (void)resp;
    struct action *ac = ud;
    struct e2b_backend *b = ac->b;
    if (err)
        backend_report(&b->base, BACKEND_ACTION_FAILED, "%s: %s", ac->id, err->msg);
    else
        backend_report(&b->base, BACKEND_ACTION_OK, "%s", ac->verb);
    free(ac->id);
    free(ac);
    procs_fetch(b);
}

static void e2b_kill_process(struct backend *be, const char *id, uint32_t pid)
{
    struct e2b_backend *b = (struct e2b_backend *)be;
    if (!b->envd_ready || !b->watch_id || strcmp(id, b->watch_id)) {
        backend_report(be, BACKEND_ACTION_FAILED, _("the process list is not loaded yet"));
        return;
    }
    struct action *ac = action_new(b, id, _("killed the process"));
    if (!ac) return;
    struct error err = {0};
    if (!envd_process_signal(&b->envd, pid, SIGKILL, on_signal_done, ac, &err)) {
        backend_report(be, BACKEND_ACTION_FAILED, "%s", err.msg);
        free(ac->id);
        free(ac);
    }
}

static void e2b_destroy(struct backend *be)
{
    struct e2b_backend *b = (struct e2b_backend *)be;
    detail_stop(b);
    free(b->sandbox_url);
    free(b->domain);
    free(b->team_id);
    api_paging_free(&b->paging);
    if (b->timer) loop_timer_cancel(be->loop, b->timer);
    api_free(b->api); /* cancels the calls in flight without callbacks */
    hist_slots_clear(b);
    hist_queue_clear(b);
    free(b->hist_queue);
    free(b->batch_ids);
    free(b->staged);
    for (int i = 0; i < b->ntemplates; i++)
        free(b->templates[i]);
    free(b);
}

/* Terminal sessions reach envd and the API through the same clients (session.h). */
static int e2b_session_env(struct backend *be, struct session_env *out)
{
    struct e2b_backend *b = (struct e2b_backend *)be;
    if (!b->api) return -1;
    out->http = b->http;
    out->api = b->api;
    out->sandbox_url = b->sandbox_url;
    out->domain = b->domain;
    return 0;
}

/* The files view's envd client: look the sandbox up for its access token and domain. */
struct envd_open {
    struct e2b_backend *b;
    struct api_call *call;
    backend_envd_cb cb;
    void *ud;
    char *id;
};

static void on_envd_info(struct api_result *res, void *ud)
{
    struct envd_open *o = ud;
    struct error err = {0};
    struct envd_client *c = NULL;
    if (res->err.kind != ERROR_NONE) {
        err = res->err;
    } else if (!(c = calloc(1, sizeof(*c)))) {
        error_set(&err, ERROR_GENERIC, "%s", _("out of memory"));
    } else {
        const char *domain = res->sandbox.domain ? res->sandbox.domain : o->b->domain;
        if (envd_client_init(c, o->b->http, o->id, o->b->sandbox_url, domain, false,
                             res->sandbox.envd_access_token, NULL, &err)) {
            free(c);
            c = NULL;
        }
    }
    o->cb(c, c ? NULL : &err, o->ud);
    free(o->id);
    free(o);
}

static void *e2b_envd_open(struct backend *be, const char *id, backend_envd_cb cb, void *ud)
{
    struct e2b_backend *b = (struct e2b_backend *)be;
    struct envd_open *o = calloc(1, sizeof(*o));
    if (!o || !b->api || !(o->id = strdup(id))) {
        free(o);
        return NULL;
    }
    o->b = b;
    o->cb = cb;
    o->ud = ud;
    o->call = api_get_sandbox(b->api, id, on_envd_info, o);
    if (!o->call) {
        free(o->id);
        free(o);
        return NULL;
    }
    return o;
}

static void e2b_envd_cancel(struct backend *be, void *h)
{
    struct envd_open *o = h;
    (void)be;
    if (!o) return;
    api_cancel(o->call);
    free(o->id);
    free(o);
}

static const struct backend_ops e2b_ops = {
    .kind = "e2b",
    .poll_now = e2b_poll_now,
    .demand_now = e2b_demand_now,
    .kill = e2b_kill,
    .pause = e2b_pause,
    .resume = e2b_resume,
    .set_timeout = e2b_set_timeout,
    .create = e2b_create,
    .watch = e2b_watch,
    .kill_process = e2b_kill_process,
    .templates = e2b_templates,
    .destroy = e2b_destroy,
    .session_env = e2b_session_env,
    .envd_open = e2b_envd_open,
    .envd_cancel = e2b_envd_cancel,
    .remote_open = e2b_remote_open,
};

struct backend *backend_e2b_new(struct loop *loop, struct model *model, struct http *http)
{
    struct e2b_backend *b = calloc(1, sizeof(*b));
    if (!b) return NULL;
    b->base.ops = &e2b_ops;
    b->base.loop = loop;
    b->base.model = model;
    b->http = http;
    add_template(b, "base");
    return &b->base;
}

int backend_e2b_connect(struct backend *be, const char *api_url, const char *api_key,
                        const char *sandbox_url, const char *domain, const char *team_id,
                        struct error *err)
{
    struct e2b_backend *b = (struct e2b_backend *)be;
    char *watch = b->watch_id ? strdup(b->watch_id) : NULL;
    detail_stop(b);
    if (b->api) api_free(b->api);
    hist_slots_clear(b);
    hist_queue_clear(b);
    b->hist_fails = 0;
    b->list_call = b->tpl_call = NULL;
    b->metrics_pending = 0; /* api_free() dropped them */
    free(b->staged);
    b->staged = NULL;
    b->nstaged = b->cap_staged = 0;
    box_set_str(&b->sandbox_url, sandbox_url && sandbox_url[0] ? sandbox_url : NULL);
    box_set_str(&b->domain, domain);
    box_set_str(&b->team_id, team_id && team_id[0] ? team_id : NULL);
    b->team_call = NULL;
    b->team_ok = b->team_dead = 0;
    b->watch_id = watch;
    b->api = api_new(b->http, api_url, api_key, err);
    if (!b->api) return -1;
    b->tpl_call = api_list_templates(b->api, NULL, NULL, on_templates, b);
    schedule(b, 0);
    return 0;
}

struct api *backend_e2b_api(struct backend *be)
{
    return ((struct e2b_backend *)be)->api;
}

const char *backend_e2b_team(struct backend *be)
{
    return ((struct e2b_backend *)be)->team_id;
}
