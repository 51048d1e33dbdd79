/* api.c - platform API calls: request plumbing, v2 -> v1 fallback, response parsing.
 *
 * A struct api_call owns one or more http requests (the batch metrics call splits into
 * several) and one struct api_result that the parsers fill. The callback runs once, when the
 * last request has finished; then the call and everything in its result are freed. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "boxtop/api.h"
#include "boxtop/http.h"
#include "boxtop/i18n.h"
#include "boxtop/loop.h"

#define API_TIMEOUT_MS 60000L /* the SDK's default request timeout */
#define API_RETRIES    3
/* Platform API answers are pages of at most 100 sandboxes or 1000 log entries: far below
 * this. A hostile server's 256 MiB list would cost ~1.5 GB once parsed into cJSON; a 30 KB
 * gzip answer of 31 MiB [{},{},...] cost 1 GB and blocked keys for a second. */
#define API_BODY_MAX ((size_t)16 * 1024 * 1024)
#define BATCH_MAX    100

enum call_kind {
    K_LIST,
    K_GET,
    K_CREATE,
    K_CONNECT,
    K_NOBODY, /* kill, pause, timeout, refresh, health: status only */
    K_METRICS,
    K_BATCH,
    K_LOGS_V2,
    K_LOGS_V1,
    K_TEAM,
    K_TEAM_MAX,
    K_TEMPLATES,
};

struct api {
    struct http *http;
    char *base;
    char *key_header; /* "X-API-Key: e2b_..." or NULL */
    struct api_call *calls;
    struct api_call *wait_call;
    bool wait_done;
};

struct api_call {
    struct api *api;
    struct api_call *prev, *next;
    enum call_kind kind;
    api_done_cb cb;
    void *ud;
    struct http_request **reqs; /* in flight; NULL slots are finished */
    int n_reqs, pending;
    const char *fallback_method;
    char *fallback_path; /* v1 path to try on 404/405 */
    char *fallback_body;
    int64_t deferred;      /* timer of a failure reported from the loop, 0 = none */
    bool finishing;        /* the callback runs: cancel is a no-op */
    bool raw;              /* api_call_set_raw(): the caller decodes res.body itself */
    bool notify_drop;      /* api_call_notify_drop(): api_free reports it instead of dropping it */
    struct buf *recv_into; /* the caller's receive buffer (http_opts.recv_into), or NULL */
    struct loop *loop;
    struct api_result res;
};

/* ---- lifecycle --------------------------------------------------------------------------- */

struct api *api_new(struct http *h, const char *base_url, const char *api_key, struct error *err)
{
    if (!base_url || !*base_url) {
        error_set(err, ERROR_USAGE, _("no API URL configured"));
        return NULL;
    }
    if (api_key && strpbrk(api_key, "\r\n")) {
        error_set(err, ERROR_USAGE, _("the API key contains a line break"));
        return NULL;
    }
    struct api *a = calloc(1, sizeof *a);
    if (!a || !(a->base = strdup(base_url))) {
        free(a);
        error_set(err, ERROR_GENERIC, "out of memory");
        return NULL;
    }
    size_t l = strlen(a->base);
    while (l > 0 && a->base[l - 1] == '/')
        a->base[--l] = '\0';
    a->http = h;
    if (api_key) {
        struct buf b = BUF_INIT;
        buf_printf(&b, "X-API-Key: %s", api_key);
        a->key_header = buf_steal(&b);
        http_add_secret(h, api_key);
    }
    return a;
}

static void result_free(struct api_result *r)
{
    sandbox_list_free(&r->sandboxes);
    free(r->next_token);
    sandbox_free(&r->sandbox);
    metric_list_free(&r->metrics);
    sandbox_metric_list_free(&r->batch);
    log_list_free(&r->logs);
    template_list_free(&r->templates);
    team_metric_list_free(&r->team);
}

static void call_free(struct api_call *c)
{
    struct api *a = c->api; /* NULL once its api was freed (notify_drop) */
    if (c->prev)
        c->prev->next = c->next;
    else if (a && a->calls == c)
        a->calls = c->next;
    if (c->next) c->next->prev = c->prev;
    if (a && a->wait_call == c) a->wait_done = true;
    result_free(&c->res);
    free(c->reqs);
    free(c->fallback_path);
    free(c->fallback_body);
    free(c);
}

void api_cancel(struct api_call *c)
{
    if (!c) return;
    if (c->finishing) return; /* inside its own callback: finish_call frees it */
    for (int i = 0; i < c->n_reqs; i++)
        if (c->reqs[i]) http_cancel(c->reqs[i]);
    if (c->deferred) loop_timer_cancel(c->loop, c->deferred);
    call_free(c);
}

static void on_deferred_fail(struct loop *l, void *ud);

/* api_free of a call that asked to hear about it: it leaves the api and reports from the loop */
static bool call_orphan(struct api_call *c)
{
    if (!c->notify_drop || c->finishing) return false;
    for (int i = 0; i < c->n_reqs; i++)
        if (c->reqs[i]) http_cancel(c->reqs[i]);
    for (int i = 0; i < c->n_reqs; i++)
        c->reqs[i] = NULL;
    c->pending = 0;
    if (!c->deferred) c->deferred = loop_timer_add(c->loop, 0, on_deferred_fail, c);
    if (c->deferred <= 0) {
        c->deferred = 0;
        return false;
    }
    struct api *a = c->api;
    if (c->prev)
        c->prev->next = c->next;
    else
        a->calls = c->next;
    if (c->next) c->next->prev = c->prev;
    if (a->wait_call == c) a->wait_done = true;
    c->prev = c->next = NULL;
    c->api = NULL;
    result_free(&c->res);
    memset(&c->res, 0, sizeof c->res);
    c->res.total_running = -1;
    error_set(&c->res.err, ERROR_NETWORK, "%s",
              _("the connection to the backend was replaced (it restarted): asking again"));
    return true;
}

void api_free(struct api *a)
{
    if (!a) return;
    while (a->calls)
        if (!call_orphan(a->calls)) api_cancel(a->calls);
    if (a->key_header) {
        memset(a->key_header, 0, strlen(a->key_header));
        free(a->key_header);
    }
    free(a->base);
    free(a);
}

const char *api_base_url(const struct api *a)
{
    return a->base;
}

int api_wait(struct api *a, struct api_call *c)
{
    if (!c) return -1;
    struct loop *l = http_loop(a->http);
    struct api_call *outer = a->wait_call;
    bool outer_done = a->wait_done;
    a->wait_call = c;
    a->wait_done = false;
    int rc = 0;
    while (!a->wait_done && rc >= 0)
        rc = loop_run_once(l, 1000);
    a->wait_call = outer;
    a->wait_done = outer_done;
    return rc < 0 ? -1 : 0;
}

/* ---- responses --------------------------------------------------------------------------- */

static void on_http_done(struct http_request *req, struct http_result *hr, void *ud);

static int send_req(struct api_call *c, int slot, const char *method, const char *path,
                    const char *body, struct error *err)
{
    struct api *a = c->api;
    struct buf url = BUF_INIT;
    buf_printf(&url, "%s%s", a->base, path);
    const char *hdrs[4];
    int n = 0;
    hdrs[n++] = "Accept: application/json";
    if (a->key_header) hdrs[n++] = a->key_header;
    if (body) hdrs[n++] = "Content-Type: application/json";
    hdrs[n] = NULL;
    struct http_opts o = {
        .method = method,
        .url = buf_cstr(&url),
        .headers = hdrs,
        .body = body,
        .body_len = body ? strlen(body) : 0,
        .on_done = on_http_done,
        .ud = c,
        .timeout_ms = API_TIMEOUT_MS,
        .max_retries = API_RETRIES,
        .accept_gzip = 1,
        .max_body = API_BODY_MAX,
        .recv_into = c->recv_into,
    };
    struct http_request *r = http_start(a->http, &o, err);
    buf_free(&url);
    if (!r) return -1;
    c->reqs[slot] = r;
    c->pending++;
    return 0;
}

static int parse(struct api_call *c, const char *body, size_t len, struct error *err)
{
    struct api_result *r = &c->res;
    switch (c->kind) {
    case K_LIST:
        return sandbox_list_parse(body, len, &r->sandboxes, err);
    case K_GET:
        return sandbox_detail_parse(body, len, &r->sandbox, err);
    case K_CREATE:
    case K_CONNECT:
        return sandbox_created_parse(body, len, &r->sandbox, err);
    case K_NOBODY:
        return 0;
    case K_METRICS:
        return metrics_parse(body, len, &r->metrics, err);
    case K_BATCH:
        return metrics_batch_parse(body, len, &r->batch, err);
    case K_LOGS_V2:
        return logs_v2_parse(body, len, &r->logs, err);
    case K_LOGS_V1:
        return logs_v1_parse(body, len, &r->logs, err);
    case K_TEAM:
        return team_metrics_parse(body, len, &r->team, err);
    case K_TEAM_MAX:
        return team_metric_max_parse(body, len, &r->team_max, err);
    case K_TEMPLATES:
        return templates_parse(body, len, &r->templates, err);
    }
    return 0;
}

static void finish_call(struct api_call *c)
{
    c->finishing = true;
    if (c->cb) c->cb(&c->res, c->ud);
    call_free(c);
}

static void on_http_done(struct http_request *req, struct http_result *hr, void *ud)
{
    struct api_call *c = ud;
    int slot = 0;
    for (int i = 0; i < c->n_reqs; i++)
        if (c->reqs[i] == req) slot = i;
    c->reqs[slot] = NULL;
    c->pending--;

    /* An older server without the v2 route: try v1 once. */
    if ((hr->status == 404 || hr->status == 405) && c->fallback_path) {
        char *path = c->fallback_path, *body = c->fallback_body;
        c->fallback_path = c->fallback_body = NULL;
        struct error err = {0};
        int rc = send_req(c, slot, c->fallback_method, path, body, &err);
        free(path);
        free(body);
        if (rc == 0) return;
        c->res.err = err;
        if (c->pending == 0) finish_call(c);
        return;
    }

    c->res.status = hr->status;
    c->res.body = hr->body.data;
    c->res.body_len = hr->body.len;
    if (c->res.err.kind == ERROR_NONE) {
        if (hr->err.kind != ERROR_NONE) {
            c->res.err = hr->err;
        } else {
            char v[1024];
            if (http_response_header(req, "x-next-token", v, sizeof v) && v[0])
                c->res.next_token = strdup(v);
            c->res.total_running = -1;
            if (http_response_header(req, "x-total-running", v, sizeof v))
                c->res.total_running = strtoll(v, NULL, 10);
            if (c->kind == K_LIST && http_response_header(req, "x-has-next-page", v, sizeof v))
                c->res.more_pages = !strcasecmp(v, "true");
            if (!c->raw &&
                parse(c, hr->body.data ? hr->body.data : "", hr->body.len, &c->res.err) < 0) {
                c->res.err.kind = ERROR_PROTOCOL;
                error_prefix(&c->res.err, _("unexpected response from %s"), c->api->base);
                http_body_detail(c->api->http, &c->res.err, hr->status, hr->body.data,
                                 hr->body.len);
            }
        }
    }
    if (c->pending == 0) finish_call(c);
}

/* ---- call construction -------------------------------------------------------------------- */

void api_body_detail(const struct api *a, struct error *err, const struct api_result *res)
{
    http_body_detail(a ? a->http : NULL, err, res->status, res->body, res->body_len);
}

void api_call_set_raw(struct api_call *c)
{
    if (c) c->raw = true;
}

void api_call_notify_drop(struct api_call *c)
{
    if (c) c->notify_drop = true;
}

static struct api_call *call_new(struct api *a, enum call_kind kind, int n_reqs, api_done_cb cb,
                                 void *ud)
{
    struct api_call *c = calloc(1, sizeof *c);
    if (!c || !(c->reqs = calloc((size_t)n_reqs, sizeof *c->reqs))) {
        free(c);
        return NULL;
    }
    c->api = a;
    c->loop = http_loop(a->http);
    c->kind = kind;
    c->cb = cb;
    c->ud = ud;
    c->n_reqs = n_reqs;
    c->res.total_running = -1;
    c->next = a->calls;
    if (a->calls) a->calls->prev = c;
    a->calls = c;
    return c;
}

/* A request that could not even start still reports through the callback, but from the
 * loop (a 0 ms timer) so that callers never see their callback before the call returns. */
static void on_deferred_fail(struct loop *l, void *ud)
{
    (void)l;
    struct api_call *c = ud;
    c->deferred = 0;
    finish_call(c);
}

static struct api_call *fail_later(struct api_call *c, const struct error *err)
{
    c->res.err = *err;
    if (c->pending > 0) return c; /* other parts of a batch are running: they finish the call */
    c->deferred = loop_timer_add(c->loop, 0, on_deferred_fail, c);
    if (c->deferred < 0) {
        c->deferred = 0;
        call_free(c);
        return NULL;
    }
    return c;
}

static struct api_call *start(struct api *a, enum call_kind kind, const char *method,
                              const char *path, const char *body, api_done_cb cb, void *ud)
{
    struct api_call *c = call_new(a, kind, 1, cb, ud);
    if (!c) return NULL;
    struct error err = {0};
    if (send_req(c, 0, method, path, body, &err) < 0) return fail_later(c, &err);
    return c;
}

/* "/sandboxes/<escaped id><suffix>" */
static char *sandbox_path(const char *prefix, const char *id, const char *suffix)
{
    struct buf b = BUF_INIT;
    buf_append_str(&b, prefix);
    api_uri_component(id ? id : "", &b);
    buf_append_str(&b, suffix);
    return buf_steal(&b);
}

struct api_call *api_list_sandboxes(struct api *a, const struct api_list_query *q, api_done_cb cb,
                                    void *ud)
{
    struct buf p = BUF_INIT;
    api_list_path(q, &p);
    struct api_call *c = start(a, K_LIST, "GET", buf_cstr(&p), NULL, cb, ud);
    buf_free(&p);
    return c;
}

struct api_call *api_list_running(struct api *a, const struct kv_list *metadata,
                                  struct buf *recv_into, api_done_cb cb, void *ud)
{
    struct api_call *c = call_new(a, K_LIST, 1, cb, ud);
    if (!c) return NULL;
    c->recv_into = recv_into;
    struct buf p = BUF_INIT;
    buf_append_str(&p, "/sandboxes");
    if (metadata && metadata->n) {
        buf_append_str(&p, "?metadata=");
        api_encode_metadata(metadata, &p);
    }
    struct error err = {0};
    int rc = send_req(c, 0, "GET", buf_cstr(&p), NULL, &err);
    buf_free(&p);
    return rc < 0 ? fail_later(c, &err) : c;
}

struct api_call *api_get_sandbox(struct api *a, const char *id, api_done_cb cb, void *ud)
{
    char *p = sandbox_path("/sandboxes/", id, "");
    struct api_call *c = start(a, K_GET, "GET", p, NULL, cb, ud);
    free(p);
    return c;
}

static void add_kv(cJSON *o, const char *key, const struct kv_list *l)
{
    if (!l || !l->n) return;
    cJSON *m = cJSON_AddObjectToObject(o, key);
    for (int i = 0; m && i < l->n; i++)
        cJSON_AddStringToObject(m, l->items[i].key, l->items[i].value);
}

struct api_call *api_create_sandbox(struct api *a, const struct api_create_opts *o, api_done_cb cb,
                                    void *ud)
{
    /* Field order as the SDK sends it: templateID, metadata, envVars, timeout, ... */
    cJSON *b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "templateID", o && o->template_id ? o->template_id : "base");
    if (o) {
        add_kv(b, "metadata", o->metadata);
        add_kv(b, "envVars", o->env_vars);
        if (o->timeout_s > 0) cJSON_AddNumberToObject(b, "timeout", o->timeout_s);
        if (o->auto_pause >= 0) cJSON_AddBoolToObject(b, "autoPause", o->auto_pause);
        if (o->allow_internet >= 0)
            cJSON_AddBoolToObject(b, "allow_internet_access", o->allow_internet);
    }
    char *v2 = cJSON_PrintUnformatted(b);
    /* v1 needs "secure" to hand out envdAccessToken, and a timeout (its default is 15 s). */
    if (!(o && o->timeout_s > 0)) cJSON_AddNumberToObject(b, "timeout", 300);
    cJSON_AddBoolToObject(b, "secure", 1);
    char *v1 = cJSON_PrintUnformatted(b);
    cJSON_Delete(b);
    struct api_call *c = NULL;
    if (v2 && v1) {
        c = start(a, K_CREATE, "POST", "/v2/sandboxes", v2, cb, ud);
        if (c && c->pending) {
            c->fallback_method = "POST";
            c->fallback_path = strdup("/sandboxes");
            c->fallback_body = v1;
            v1 = NULL;
        }
    }
    free(v1);
    free(v2);
    return c;
}

struct api_call *api_connect_sandbox(struct api *a, const char *id, int timeout_s, api_done_cb cb,
                                     void *ud)
{
    char body[64], v1body[64];
    if (timeout_s >= 0)
        snprintf(body, sizeof body, "{\"timeout\":%d}", timeout_s);
    else
        snprintf(body, sizeof body, "{}");
    snprintf(v1body, sizeof v1body, "{\"timeout\":%d}", timeout_s >= 0 ? timeout_s : 300);
    char *p = sandbox_path("/v2/sandboxes/", id, "/connect");
    struct api_call *c = start(a, K_CONNECT, "POST", p, body, cb, ud);
    free(p);
    if (c && c->pending) {
        c->fallback_method = "POST";
        c->fallback_path = sandbox_path("/sandboxes/", id, "/connect");
        c->fallback_body = strdup(v1body);
    }
    return c;
}

static struct api_call *simple(struct api *a, const char *method, const char *id,
                               const char *suffix, const char *body, api_done_cb cb, void *ud)
{
    char *p = sandbox_path("/sandboxes/", id, suffix);
    struct api_call *c = start(a, K_NOBODY, method, p, body, cb, ud);
    free(p);
    return c;
}

struct api_call *api_kill_sandbox(struct api *a, const char *id, api_done_cb cb, void *ud)
{
    return simple(a, "DELETE", id, "", NULL, cb, ud);
}

struct api_call *api_pause_sandbox(struct api *a, const char *id, api_done_cb cb, void *ud)
{
    return simple(a, "POST", id, "/pause", "{}", cb, ud);
}

struct api_call *api_set_timeout(struct api *a, const char *id, int timeout_s, api_done_cb cb,
                                 void *ud)
{
    char body[48];
    snprintf(body, sizeof body, "{\"timeout\":%d}", timeout_s < 0 ? 0 : timeout_s);
    return simple(a, "POST", id, "/timeout", body, cb, ud);
}

struct api_call *api_refresh_sandbox(struct api *a, const char *id, int duration_s, api_done_cb cb,
                                     void *ud)
{
    char body[48];
    snprintf(body, sizeof body, "{\"duration\":%d}", duration_s < 0 ? 0 : duration_s);
    return simple(a, "POST", id, "/refreshes", body, cb, ud);
}

static void range_query(struct buf *p, const char *first_sep, int64_t start_s, int64_t end_s)
{
    const char *s = first_sep;
    if (start_s > 0) {
        buf_printf(p, "%sstart=%lld", s, (long long)start_s);
        s = "&";
    }
    if (end_s > 0) buf_printf(p, "%send=%lld", s, (long long)end_s);
}

struct api_call *api_sandbox_metrics(struct api *a, const char *id, int64_t start_s, int64_t end_s,
                                     api_done_cb cb, void *ud)
{
    char *base = sandbox_path("/sandboxes/", id, "/metrics");
    struct buf p = BUF_INIT;
    buf_append_str(&p, base);
    free(base);
    range_query(&p, "?", start_s, end_s);
    struct api_call *c = start(a, K_METRICS, "GET", buf_cstr(&p), NULL, cb, ud);
    buf_free(&p);
    return c;
}

struct api_call *api_metrics_batch(struct api *a, const char *const *ids, int n, api_done_cb cb,
                                   void *ud)
{
    int parts = n <= 0 ? 1 : (n + BATCH_MAX - 1) / BATCH_MAX;
    struct api_call *c = call_new(a, K_BATCH, parts, cb, ud);
    if (!c) return NULL;
    if (n <= 0) { /* nothing to ask: an empty answer, from the loop */
        struct error none = {0};
        return fail_later(c, &none);
    }
    for (int part = 0; part < parts; part++) {
        struct buf p = BUF_INIT;
        buf_append_str(&p, "/sandboxes/metrics?sandbox_ids=");
        for (int i = part * BATCH_MAX; i < n && i < (part + 1) * BATCH_MAX; i++) {
            /* each id lives in its own sandbox's block: its first byte was a cache miss that
             * the escaping waited for (5 % of a round sorted by CPU at 10 000 sandboxes) */
            if (i + 8 < n) __builtin_prefetch(ids[i + 8]);
            if (i > part * BATCH_MAX)
                buf_append_byte(&p, ','); /* style=form: the comma stays literal */
            api_uri_component(ids[i], &p);
        }
        struct error err = {0};
        int rc = send_req(c, part, "GET", buf_cstr(&p), NULL, &err);
        buf_free(&p);
        if (rc < 0) {
            for (int i = 0; i < part; i++)
                if (c->reqs[i]) {
                    http_cancel(c->reqs[i]);
                    c->reqs[i] = NULL;
                }
            c->pending = 0;
            return fail_later(c, &err);
        }
    }
    return c;
}

struct api_call *api_logs_v2(struct api *a, const char *id, const struct api_logs_query *q,
                             api_done_cb cb, void *ud)
{
    char *base = sandbox_path("/v2/sandboxes/", id, "/logs");
    struct buf p = BUF_INIT;
    buf_append_str(&p, base);
    free(base);
    const char *s = "?";
    if (q && q->cursor_ms > 0) {
        buf_printf(&p, "%scursor=%lld", s, (long long)q->cursor_ms);
        s = "&";
    }
    if (q && q->direction) {
        buf_printf(&p, "%sdirection=", s);
        api_uri_component(q->direction, &p);
        s = "&";
    }
    if (q && q->limit > 0) {
        buf_printf(&p, "%slimit=%d", s, q->limit);
        s = "&";
    }
    if (q && q->level) {
        buf_printf(&p, "%slevel=", s);
        api_uri_component(q->level, &p);
        s = "&";
    }
    if (q && q->search) {
        buf_printf(&p, "%ssearch=", s);
        api_uri_component(q->search, &p);
    }
    struct api_call *c = start(a, K_LOGS_V2, "GET", buf_cstr(&p), NULL, cb, ud);
    buf_free(&p);
    return c;
}

struct api_call *api_logs_v1(struct api *a, const char *id, int64_t start_ms, int limit,
                             api_done_cb cb, void *ud)
{
    char *base = sandbox_path("/sandboxes/", id, "/logs");
    struct buf p = BUF_INIT;
    buf_append_str(&p, base);
    free(base);
    const char *s = "?";
    if (start_ms > 0) {
        buf_printf(&p, "?start=%lld", (long long)start_ms);
        s = "&";
    }
    if (limit > 0) buf_printf(&p, "%slimit=%d", s, limit);
    struct api_call *c = start(a, K_LOGS_V1, "GET", buf_cstr(&p), NULL, cb, ud);
    buf_free(&p);
    return c;
}

struct api_call *api_team_metrics(struct api *a, const char *team_id, int64_t start_s,
                                  int64_t end_s, api_done_cb cb, void *ud)
{
    char *base = sandbox_path("/teams/", team_id, "/metrics");
    struct buf p = BUF_INIT;
    buf_append_str(&p, base);
    free(base);
    range_query(&p, "?", start_s, end_s);
    struct api_call *c = start(a, K_TEAM, "GET", buf_cstr(&p), NULL, cb, ud);
    buf_free(&p);
    return c;
}

struct api_call *api_team_metrics_max(struct api *a, const char *team_id, const char *metric,
                                      int64_t start_s, int64_t end_s, api_done_cb cb, void *ud)
{
    char *base = sandbox_path("/teams/", team_id, "/metrics/max?metric=");
    struct buf p = BUF_INIT;
    buf_append_str(&p, base);
    free(base);
    api_uri_component(metric ? metric : "concurrent_sandboxes", &p);
    range_query(&p, "&", start_s, end_s);
    struct api_call *c = start(a, K_TEAM_MAX, "GET", buf_cstr(&p), NULL, cb, ud);
    buf_free(&p);
    return c;
}

struct api_call *api_list_templates(struct api *a, const char *team_id, const char *next_token,
                                    api_done_cb cb, void *ud)
{
    struct buf p = BUF_INIT, v1 = BUF_INIT;
    buf_append_str(&p, "/v2/templates?limit=100");
    buf_append_str(&v1, "/templates");
    if (team_id) {
        buf_append_str(&p, "&teamID=");
        api_uri_component(team_id, &p);
        buf_append_str(&v1, "?teamID=");
        api_uri_component(team_id, &v1);
    }
    if (next_token) {
        buf_append_str(&p, "&nextToken=");
        api_uri_component(next_token, &p);
    }
    struct api_call *c = start(a, K_TEMPLATES, "GET", buf_cstr(&p), NULL, cb, ud);
    buf_free(&p);
    if (c && c->pending) {
        c->fallback_method = "GET";
        c->fallback_path = buf_steal(&v1);
    }
    buf_free(&v1);
    return c;
}

struct api_call *api_health(struct api *a, api_done_cb cb, void *ud)
{
    return start(a, K_NOBODY, "GET", "/health", NULL, cb, ud);
}

struct api_call *api_get_raw(struct api *a, const char *path_and_query, api_done_cb cb, void *ud)
{
    return start(a, K_NOBODY, "GET", path_and_query, NULL, cb, ud);
}

struct api_call *api_request_raw(struct api *a, const char *method, const char *path,
                                 const char *json_body, api_done_cb cb, void *ud)
{
    return start(a, K_NOBODY, method, path, json_body, cb, ud);
}
