/* api.h - asynchronous client of the E2B platform REST API (X-API-Key), over http.h.
 *
 * Every call returns a handle (cancel it with api_cancel; no callback afterwards) and ends
 * with exactly one callback carrying a struct api_result: err.kind == ERROR_NONE on success,
 * and the parsed model of that call. Everything in the result is freed when the callback
 * returns; a callback that wants to keep a model moves it out (copy the struct, then zero the
 * field in the result). */
#ifndef BOXTOP_API_H
#define BOXTOP_API_H

#include <stdint.h>

#include "boxtop/buf.h"
#include "boxtop/error.h"
#include "boxtop/models.h"

struct http;
struct api;
struct api_call;

enum { API_STATE_RUNNING = 1, API_STATE_PAUSED = 2 };

struct api_list_query {
    int states;                     /* API_STATE_* bits; 0 = server default (both) */
    const struct kv_list *metadata; /* exact-match filter, NULL = none */
    int limit;                      /* 1..100; 0 = server default (100) */
    const char *next_token;         /* from the previous page, or NULL */
    const char *order;              /* "asc" | "desc" | NULL */
    const char *template_id;        /* NULL = any */
};

struct api_create_opts {
    const char *template_id; /* NULL = "base" */
    int timeout_s;           /* 0 = server default (300 on v2) */
    const struct kv_list *metadata;
    const struct kv_list *env_vars;
    int auto_pause;     /* -1 = omit, 0/1 */
    int allow_internet; /* -1 = omit, 0/1 */
};

struct api_logs_query {
    int64_t cursor_ms;     /* 0 = none */
    const char *direction; /* "forward" | "backward" | NULL (server: backward) */
    int limit;             /* 0 = server default (1000) */
    const char *level;     /* minimum level or NULL */
    const char *search;    /* substring or NULL */
};

struct api_result {
    struct error err;
    long status;                      /* HTTP status of the (last) response, 0 = none */
    struct sandbox_list sandboxes;    /* list */
    char *next_token;                 /* list/templates: next page, NULL = last page */
    int64_t total_running;            /* list: X-Total-Running, -1 when absent */
    int more_pages;                   /* list: X-Has-Next-Page: true (a paged v1 list) */
    struct sandbox sandbox;           /* get, create, connect/resume */
    struct metric_list metrics;       /* sandbox metrics */
    struct sandbox_metric_list batch; /* batch metrics */
    struct log_list logs;             /* logs v1/v2 */
    struct template_list templates;   /* templates */
    struct team_metric_list team;     /* team metrics */
    struct team_metric_max team_max;  /* team metrics max */
    const char *body;                 /* raw body of the last response (valid in the cb) */
    size_t body_len;
};

typedef void (*api_done_cb)(struct api_result *res, void *ud);

/* base_url like "https://api.e2b.app" (no trailing path); api_key may be NULL (then calls
 * that need auth fail with the server's 401). The key is registered as a secret with http. */
struct api *api_new(struct http *h, const char *base_url, const char *api_key, struct error *err);
void api_free(struct api *a); /* cancels outstanding calls silently; not from a callback */
const char *api_base_url(const struct api *a);

void api_cancel(struct api_call *c); /* no callback afterwards; a no-op inside c's own callback */
/* Skip decoding: the callback gets status, err (network/HTTP only), next_token and the raw
 * body, and decodes it itself (the TUI's poller at 10 000 sandboxes, which skips what has not
 * changed). Call right after starting the call; results always arrive from the loop. */
void api_call_set_raw(struct api_call *c);
/* A raw call's body the caller could not read: its start as err's detail, secrets masked
 * (http_body_detail); a may be NULL. */
void api_body_detail(const struct api *a, struct error *err, const struct api_result *res);
/* If the api is freed while c runs (a restarted local boxtopd has a new URL and the backend
 * makes a new api), c's callback still runs once, from the loop, with ERROR_NETWORK, instead
 * of c being dropped silently: for callers that wait for their answer before asking again
 * (views polling with a cursor). api_cancel works on it as before. */
void api_call_notify_drop(struct api_call *c);

struct api_call *api_list_sandboxes(struct api *a, const struct api_list_query *q, api_done_cb cb,
                                    void *ud);
/* GET /sandboxes (v1, deprecated but served by E2B cloud and boxtopd): every running sandbox
 * in one answer, no paging; metadata as in api_list_query (NULL = no filter). A server
 * without it answers 404/405/410; one that pages it sets next_token or more_pages.
 * recv_into (or NULL): the body is collected in that buffer's memory (http_opts.recv_into). */
struct api_call *api_list_running(struct api *a, const struct kv_list *metadata,
                                  struct buf *recv_into, api_done_cb cb, void *ud);
struct api_call *api_get_sandbox(struct api *a, const char *id, api_done_cb cb, void *ud);
/* POST /v2/sandboxes, falling back to POST /sandboxes on 404/405. */
struct api_call *api_create_sandbox(struct api *a, const struct api_create_opts *o, api_done_cb cb,
                                    void *ud);
/* POST /v2/sandboxes/{id}/connect (fallback v1): resumes a paused sandbox; timeout_s < 0 =
 * omit (server default 300). status 201 = resumed, 200 = was running. */
struct api_call *api_connect_sandbox(struct api *a, const char *id, int timeout_s, api_done_cb cb,
                                     void *ud);
struct api_call *api_kill_sandbox(struct api *a, const char *id, api_done_cb cb, void *ud);
struct api_call *api_pause_sandbox(struct api *a, const char *id, api_done_cb cb, void *ud);
struct api_call *api_set_timeout(struct api *a, const char *id, int timeout_s, api_done_cb cb,
                                 void *ud);
struct api_call *api_refresh_sandbox(struct api *a, const char *id, int duration_s, api_done_cb cb,
                                     void *ud);
/* start_s/end_s: Unix seconds, 0 = omit. */
struct api_call *api_sandbox_metrics(struct api *a, const char *id, int64_t start_s, int64_t end_s,
                                     api_done_cb cb, void *ud);
/* Latest sample per sandbox; any number of ids (split into calls of at most 100). */
struct api_call *api_metrics_batch(struct api *a, const char *const *ids, int n, api_done_cb cb,
                                   void *ud);
struct api_call *api_logs_v2(struct api *a, const char *id, const struct api_logs_query *q,
                             api_done_cb cb, void *ud);
/* start_ms 0 = omit (server: now - 7 d); limit 0 = omit. */
struct api_call *api_logs_v1(struct api *a, const char *id, int64_t start_ms, int limit,
                             api_done_cb cb, void *ud);
struct api_call *api_team_metrics(struct api *a, const char *team_id, int64_t start_s,
                                  int64_t end_s, api_done_cb cb, void *ud);
/* metric: "concurrent_sandboxes" | "sandbox_start_rate". */
struct api_call *api_team_metrics_max(struct api *a, const char *team_id, const char *metric,
                                      int64_t start_s, int64_t end_s, api_done_cb cb, void *ud);
/* GET /v2/templates (fallback /templates); team_id and next_token may be NULL. */
struct api_call *api_list_templates(struct api *a, const char *team_id, const char *next_token,
                                    api_done_cb cb, void *ud);
struct api_call *api_health(struct api *a, api_done_cb cb, void *ud);
/* GET path_and_query (already escaped, e.g. "/events/sandboxes?limit=100") for the endpoints
 * without a model here: the result has only status and body (the caller parses it). */
struct api_call *api_get_raw(struct api *a, const char *path_and_query, api_done_cb cb, void *ud);
/* Any method with an optional JSON body (copied), same result shape as api_get_raw. */
struct api_call *api_request_raw(struct api *a, const char *method, const char *path,
                                 const char *json_body, api_done_cb cb, void *ud);

/* Query building, exposed for tests: the metadata filter exactly as the JS SDK encodes it
 * (encodeURIComponent per key/value, URLSearchParams join, then encodeURIComponent of the
 * whole), and the full list path "/v2/sandboxes?...". */
int api_encode_metadata(const struct kv_list *md, struct buf *out);
int api_list_path(const struct api_list_query *q, struct buf *out);

/* Bounds of one listing (all the pages of one `ls` or one poll round), whichever comes first;
 * a page itself is at most 16 MiB after decoding. 20 000 sandboxes is twice what boxtop is
 * measured at (bench/list); 32 MiB is ~3 times what 20 000 ordinary sandboxes take. */
#define API_LIST_MAX_PAGES 1000
#define API_LIST_MAX_ITEMS 20000
#define API_LIST_MAX_BYTES ((size_t)32 * 1024 * 1024)

enum api_paging_step {
    API_PAGING_MORE,  /* fetch the page of p->token */
    API_PAGING_DONE,  /* the last page */
    API_PAGING_STUCK, /* a repeated token or an empty page with a token: p->why says so */
    API_PAGING_CUT,   /* a bound above was reached: p->why says what was cut */
};
struct api_paging {
    int pages, items;
    size_t bytes;
    char *token;   /* the token to ask for next (owned) */
    char why[256]; /* translated, for STUCK and CUT */
};
/* Account one page (its item count, body size and next token) and say how to go on. */
enum api_paging_step api_paging_next(struct api_paging *p, int items, size_t bytes,
                                     const char *next_token);
void api_paging_free(struct api_paging *p);
/* encodeURIComponent (UTF-8 bytes, upper-case hex). */
int api_uri_component(const char *s, struct buf *out);

/* Run the loop until c finishes (CLI); the callback still runs. */
int api_wait(struct api *a, struct api_call *c);

#endif
