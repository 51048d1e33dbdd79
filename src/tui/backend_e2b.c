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
/* This file: the vtable, construction and connecting; the jobs live in backend_e2b_round.c
 * (timer, round end), _list.c (pages, merge, team), _metrics.c (batch, demand, history),
 * _actions.c (kill/pause/..., templates) and _detail.c (the watched sandbox). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/i18n.h"
#include "app.h"
#include "backend_e2b.h"
#include "backend_e2b_int.h"
#include "backend_e2b_remote.h"
#include "session.h"

static void e2b_destroy(struct backend *be)
{
    struct e2b_backend *b = (struct e2b_backend *)be;
    e2b_detail_stop(b);
    free(b->sandbox_url);
    free(b->domain);
    free(b->team_id);
    api_paging_free(&b->paging);
    if (b->timer) loop_timer_cancel(be->loop, b->timer);
    api_free(b->api); /* cancels the calls in flight without callbacks */
    e2b_hist_slots_clear(b);
    e2b_hist_queue_clear(b);
    free(b->hist_queue);
    free(b->batch_ids);
    free(b->batch_boxes);
    free(b->parts);
    free(b->staged);
    list_memo_free(&b->memo);
    buf_free(&b->v1_body); /* after api_free: a call in flight gave it back */
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
    b->list_start = e2b_list_start;
    b->detail_fetch = e2b_detail_fetch;
    e2b_add_template(b, "base");
    return &b->base;
}

int backend_e2b_connect(struct backend *be, const char *api_url, const char *api_key,
                        const char *sandbox_url, const char *domain, const char *team_id,
                        struct error *err)
{
    struct e2b_backend *b = (struct e2b_backend *)be;
    char *watch = b->watch_id ? strdup(b->watch_id) : NULL;
    e2b_detail_stop(b);
    if (b->api) api_free(b->api);
    e2b_hist_slots_clear(b);
    e2b_hist_queue_clear(b);
    b->hist_fails = 0;
    b->list_call = b->tpl_call = NULL;
    b->metrics_pending = 0; /* api_free() dropped them */
    b->parts_next = b->nparts;
    free(b->staged);
    b->staged = NULL;
    b->nstaged = b->cap_staged = 0;
    box_set_str(&b->sandbox_url, sandbox_url && sandbox_url[0] ? sandbox_url : NULL);
    box_set_str(&b->domain, domain);
    box_set_str(&b->team_id, team_id && team_id[0] ? team_id : NULL);
    b->team_call = NULL;
    b->team_ok = b->team_dead = 0;
    b->v1_gone = 0; /* another server: ask it for its unpaged list again */
    b->watch_id = watch;
    b->api = api_new(b->http, api_url, api_key, err);
    if (!b->api) return -1;
    b->tpl_call = api_list_templates(b->api, NULL, NULL, e2b_on_templates, b);
    e2b_schedule(b, 0);
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
