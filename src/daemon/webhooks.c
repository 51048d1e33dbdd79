/* webhooks.c - webhook registry, persistence and the delivery engine (see webhooks.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "boxtop/buf.h"
#include "boxtop/log.h"
#include "boxtop/loop.h"
#include "daemon.h"
#include "events.h"
#include "fsutil.h"
#include "ids.h"
#include "server.h"
#include "webhook_http.h"
#include "webhooks.h"

struct slot {
    struct webhooks *ws;
    struct webhook *w;
    struct server_timer *timer;
    struct whttp_req *inflight;
    struct wh_attempt cur; /* the attempt in flight */
};

struct webhooks {
    struct daemon *d;
    struct whttp *http;
    struct slot **v;
    size_t n;
    char path[4200];
    long timeout_ms, retry_ms;
};

static long env_ms(const char *name, long def)
{
    const char *s = getenv(name);
    char *end;
    if (!s || !*s) return def;
    long v = strtol(s, &end, 10);
    return *end || v < 1 || v > 600000 ? def : v;
}

static void save(struct webhooks *ws)
{
    struct webhook *tmp[WEBHOOKS_MAX];
    struct error err;
    for (size_t i = 0; i < ws->n; i++)
        tmp[i] = ws->v[i]->w;
    cJSON *j = webhooks_state_to_json(tmp, ws->n);
    char *txt = j ? cJSON_PrintUnformatted(j) : NULL;
    cJSON_Delete(j);
    if (!txt || fs_write_atomic(ws->path, txt, strlen(txt), 0600, &err) < 0)
        log_msg(ws->d->log, LOG_ERROR, "webhooks: cannot save %s: %s", ws->path,
                txt ? err.msg : "out of memory");
    if (txt) {
        memset(txt, 0, strlen(txt)); /* held the secrets */
        free(txt);
    }
}

/* ---- delivery ---------------------------------------------------------------------------- */

static void kick(struct slot *s);

static void on_delivered(int status, const char *errmsg, void *ud)
{
    struct slot *s = ud;
    struct webhooks *ws = s->ws;
    struct webhook *w = s->w;
    s->inflight = NULL;
    s->cur.status = status;
    snprintf(s->cur.error, sizeof s->cur.error, "%s", errmsg);
    s->cur.latency_ms = loop_wall_ms() - s->cur.at_ms;
    webhook_history_add(w, &s->cur);
    if (w->nq && !strcmp(w->q[0].event_id, s->cur.event_id)) {
        struct wh_pending *p = &w->q[0];
        p->attempts++;
        if (!errmsg[0]) {
            log_msg(ws->d->log, LOG_DEBUG, "webhooks: %s: %s delivered (attempt %d)", w->id,
                    p->type, p->attempts);
            webhook_queue_pop(w);
        } else if (p->attempts > WEBHOOK_RETRIES) {
            log_msg(ws->d->log, LOG_WARN, "webhooks: %s: %s given up after %d attempts (%s)", w->id,
                    p->type, p->attempts, errmsg);
            webhook_queue_pop(w);
        } else {
            log_msg(ws->d->log, LOG_INFO, "webhooks: %s: %s attempt %d failed (%s), retrying",
                    w->id, p->type, p->attempts, errmsg);
            p->due_ms = loop_wall_ms() + ws->retry_ms;
        }
    }
    save(ws);
    kick(s);
}

static void attempt(struct slot *s)
{
    struct webhooks *ws = s->ws;
    struct webhook *w = s->w;
    struct wh_pending *p = &w->q[0];
    char sig[64], h_id[96], h_del[96], h_sig[128];
    memset(&s->cur, 0, sizeof s->cur);
    s->cur.at_ms = loop_wall_ms();
    ids_uuid4(s->cur.delivery_id, sizeof s->cur.delivery_id);
    snprintf(s->cur.event_id, sizeof s->cur.event_id, "%s", p->event_id);
    snprintf(s->cur.type, sizeof s->cur.type, "%s", p->type);
    s->cur.attempt = p->attempts + 1;
    size_t len = strlen(p->body);
    if (webhook_sign(w->secret, p->body, len, sig, sizeof sig) < 0) {
        on_delivered(0, "cannot sign the delivery", s);
        return;
    }
    snprintf(h_id, sizeof h_id, "e2b-webhook-id: %s", w->id);
    snprintf(h_del, sizeof h_del, "e2b-delivery-id: %s", s->cur.delivery_id);
    snprintf(h_sig, sizeof h_sig, "e2b-signature: %s", sig);
    const char *hdrs[] = {"Content-Type: application/json", h_id,  h_del,
                          "e2b-signature-version: v1",      h_sig, NULL};
    s->inflight = whttp_post(ws->http, w->url, hdrs, p->body, len, ws->timeout_ms, on_delivered, s);
    memset(h_sig, 0, sizeof h_sig);
    if (!s->inflight) on_delivered(0, "cannot start the request", s);
}

static void on_timer(struct server_timer *t, void *ud)
{
    struct slot *s = ud;
    (void)t;
    if (s->inflight || !s->w->enabled || !s->w->nq) return;
    if (s->w->q[0].due_ms > loop_wall_ms()) {
        kick(s);
        return;
    }
    attempt(s);
}

/* Arm the timer for the head of the queue (never deliver from inside a caller's stack). */
static void kick(struct slot *s)
{
    if (s->inflight || !s->w->enabled || !s->w->nq) {
        server_timer_stop(s->timer);
        return;
    }
    int64_t wait = s->w->q[0].due_ms - loop_wall_ms();
    server_timer_start(s->timer, wait < 0 ? 0 : wait);
}

static void on_event(void *ud, const cJSON *event)
{
    struct webhooks *ws = ud;
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(event, "type");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(event, "id");
    unsigned bit = cJSON_IsString(type) ? webhook_event_bit(type->valuestring) : 0;
    char *body = NULL;
    bool changed = false;
    if (!bit || !cJSON_IsString(id)) return;
    for (size_t i = 0; i < ws->n; i++) {
        struct slot *s = ws->v[i];
        if (!s->w->enabled || !(s->w->events & bit)) continue;
        if (!body && !(body = cJSON_PrintUnformatted(event))) return;
        char *copy = strdup(body);
        if (!copy) continue;
        int rc = webhook_queue_push(s->w, copy, id->valuestring, type->valuestring, loop_wall_ms());
        if (rc == 1)
            log_msg(ws->d->log, LOG_WARN, "webhooks: %s: queue full, oldest delivery dropped",
                    s->w->id);
        changed = true;
        kick(s);
    }
    free(body);
    if (changed) save(ws);
}

/* ---- registry ---------------------------------------------------------------------------- */

static struct slot *slot_new(struct webhooks *ws, struct webhook *w)
{
    struct slot *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->ws = ws;
    s->w = w;
    s->timer = server_timer_new(ws->d->srv, on_timer, s);
    if (!s->timer) {
        free(s);
        return NULL;
    }
    return s;
}

static void slot_free(struct slot *s)
{
    whttp_cancel(s->inflight);
    server_timer_free(s->timer);
    webhook_free(s->w);
    free(s->w);
    free(s);
}

int webhooks_start(struct daemon *d, struct error *err)
{
    struct webhooks *ws = calloc(1, sizeof *ws);
    if (!ws) return error_set(err, ERROR_GENERIC, "out of memory");
    ws->d = d;
    ws->timeout_ms = env_ms("BOXTOPD_WEBHOOK_TIMEOUT_MS", WEBHOOK_DEFAULT_TIMEOUT_MS);
    ws->retry_ms = env_ms("BOXTOPD_WEBHOOK_RETRY_MS", WEBHOOK_DEFAULT_RETRY_MS);
    snprintf(ws->path, sizeof ws->path, "%s/webhooks.json", d->opt.state_dir);
    ws->v = calloc(WEBHOOKS_MAX, sizeof *ws->v);
    if (!ws->v) {
        free(ws);
        return error_set(err, ERROR_GENERIC, "out of memory");
    }
    if (whttp_new(&ws->http, d->srv, err) < 0) {
        free(ws->v);
        free(ws);
        return -1;
    }
    d->webhooks = ws;
    struct buf b = BUF_INIT;
    struct error lerr = {0};
    if (fs_read_file(ws->path, &b, 256u << 20, &lerr) == 0) {
        struct webhook **v = NULL;
        size_t n = 0, skipped = 0;
        if (webhooks_state_from_json(b.data ? b.data : "", b.len, &v, &n, &skipped, &lerr) < 0)
            log_msg(d->log, LOG_ERROR, "webhooks: %s ignored: %s", ws->path, lerr.msg);
        for (size_t i = 0; i < n; i++) {
            struct slot *s = slot_new(ws, v[i]);
            if (!s) {
                webhook_free(v[i]);
                free(v[i]);
                continue;
            }
            ws->v[ws->n++] = s;
            kick(s);
        }
        free(v);
        if (skipped)
            log_msg(d->log, LOG_WARN, "webhooks: %zu malformed entries in %s skipped", skipped,
                    ws->path);
        log_msg(d->log, LOG_INFO, "webhooks: %zu loaded", ws->n);
    }
    if (b.data) memset(b.data, 0, b.len);
    buf_free(&b);
    events_set_hook(d->events, on_event, ws);
    return 0;
}

void webhooks_stop(struct daemon *d)
{
    struct webhooks *ws = d->webhooks;
    if (!ws) return;
    events_set_hook(d->events, NULL, NULL);
    for (size_t i = 0; i < ws->n; i++) {
        struct slot *s = ws->v[i];
        if (!s->inflight) continue;
        /* cut short: shown in the history, and it stays pending with one try left at least,
         * due as soon as boxtopd runs again */
        whttp_cancel(s->inflight);
        s->inflight = NULL;
        snprintf(s->cur.error, sizeof s->cur.error, "boxtopd stopped during the attempt");
        s->cur.latency_ms = loop_wall_ms() - s->cur.at_ms;
        webhook_history_add(s->w, &s->cur);
        if (s->w->nq && !strcmp(s->w->q[0].event_id, s->cur.event_id)) {
            struct wh_pending *p = &s->w->q[0];
            p->attempts = p->attempts + 1 > WEBHOOK_RETRIES ? WEBHOOK_RETRIES : p->attempts + 1;
            p->due_ms = loop_wall_ms();
        }
    }
    save(ws);
    for (size_t i = 0; i < ws->n; i++)
        slot_free(ws->v[i]);
    whttp_free(ws->http);
    free(ws->v);
    free(ws);
    d->webhooks = NULL;
}

size_t webhooks_count(const struct webhooks *ws)
{
    return ws ? ws->n : 0;
}

struct webhook *webhooks_at(struct webhooks *ws, size_t i)
{
    return i < ws->n ? ws->v[i]->w : NULL;
}

static struct slot *find_slot(struct webhooks *ws, const char *id, size_t *idx)
{
    for (size_t i = 0; ws && i < ws->n; i++)
        if (!strcmp(ws->v[i]->w->id, id)) {
            if (idx) *idx = i;
            return ws->v[i];
        }
    return NULL;
}

struct webhook *webhooks_find(struct webhooks *ws, const char *id)
{
    struct slot *s = find_slot(ws, id, NULL);
    return s ? s->w : NULL;
}

int webhooks_create(struct webhooks *ws, struct webhook_input *in, struct webhook **out,
                    struct error *err)
{
    if (ws->n >= WEBHOOKS_MAX) {
        error_set(err, ERROR_USAGE, "a team has at most %d webhooks", WEBHOOKS_MAX);
        return 400;
    }
    struct webhook *w = calloc(1, sizeof *w);
    struct slot *s = w ? slot_new(ws, w) : NULL;
    if (!s) {
        free(w);
        error_set(err, ERROR_GENERIC, "out of memory");
        return 500;
    }
    ids_uuid4(w->id, sizeof w->id);
    w->enabled = true;
    w->created_ms = loop_wall_ms();
    webhook_apply(w, in);
    ws->v[ws->n++] = s;
    save(ws);
    log_msg(ws->d->log, LOG_INFO, "webhooks: %s created", w->id);
    *out = w;
    return 0;
}

int webhooks_update(struct webhooks *ws, struct webhook *w, struct webhook_input *in,
                    struct error *err)
{
    (void)err;
    struct slot *s = find_slot(ws, w->id, NULL);
    webhook_apply(w, in);
    save(ws);
    log_msg(ws->d->log, LOG_INFO, "webhooks: %s updated", w->id);
    if (s) kick(s); /* enabled again: its queue goes on */
    return 0;
}

int webhooks_delete(struct webhooks *ws, const char *id)
{
    size_t i;
    struct slot *s = find_slot(ws, id, &i);
    if (!s) return -1;
    memmove(ws->v + i, ws->v + i + 1, (ws->n - i - 1) * sizeof *ws->v);
    ws->n--;
    log_msg(ws->d->log, LOG_INFO, "webhooks: %s deleted", s->w->id);
    slot_free(s);
    save(ws);
    return 0;
}
