/* http.c - the asynchronous HTTP client: one curl multi handle driven by the core loop.
 *
 * Design: curl tells us which sockets to watch (CURLMOPT_SOCKETFUNCTION) and when to wake
 * it (CURLMOPT_TIMERFUNCTION); we mirror both into loop fd watchers and one loop timer, and
 * hand readiness back with curl_multi_socket_action(). Finished transfers are collected with
 * curl_multi_info_read() after every action, outside any curl callback, which is the only
 * place where on_done runs and where easy handles are removed from the multi.
 *
 * Invariants:
 *  - curl_multi_add/remove_handle are never called from inside a curl callback
 *    (on_data/read_cb run inside one): cancellations requested there are deferred to a
 *    0 ms loop timer (the "reaper").
 *  - Error bodies (status >= 400) are always collected, never streamed to on_data, so a 429
 *    that gets retried is invisible to a streaming caller.
 *  - Messages built here never contain query strings (signatures) nor registered secrets. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cJSON.h>
#include <curl/curl.h>

#include "boxtop/http.h"
#include "boxtop/i18n.h"

#define HTTP_DEFAULT_CONNECT_MS 10000L
#define HTTP_BACKOFF_BASE_MS    250
#define HTTP_BACKOFF_MAX_MS     8000
/* A Retry-After above this is not waited for: the call fails at once and says so (a server
 * asking for 99999999 s kept `boxtop ls` silent for 3 x 30 s). */
#define HTTP_RETRY_AFTER_MAX_S 10
#define HTTP_ERROR_BODY_MAX    (64 * 1024)
#define HTTP_BODY_MAX          ((size_t)256 * 1024 * 1024)

enum req_state {
    REQ_ACTIVE,  /* in the multi handle */
    REQ_WAITING, /* waiting for a retry timer */
    REQ_DONE,    /* on_done running / finished */
};

struct http_request {
    struct http *h;
    struct http_request *prev, *next;
    CURL *easy;
    struct curl_slist *hdrs;
    char *url;
    CURLU *curlu; /* url parsed once, handed to curl with it (see http_start) */
    enum req_state state;
    bool cancelled;
    bool paused;
    bool aborted_by_receiver;
    bool too_big;
    bool retry_too_far; /* a Retry-After beyond HTTP_RETRY_AFTER_MAX_S: not retried */
    bool stalled;       /* failed by the stall watchdog */
    /* the stall watchdog: curl's low-speed limit averages over seconds that still hold the
     * last burst (64 MB, then silence, went unnoticed for minutes), so count silence here */
    long stall_ms;
    int64_t last_byte_ms;
    int64_t stall_timer;
    size_t max_body;
    int attempt;
    int64_t retry_timer;

    http_data_cb on_data;
    http_read_cb read_cb;
    void *read_ud;
    http_done_cb on_done;
    void *ud;
    int max_retries;

    struct buf body;       /* collected body (or error body) */
    struct buf *recv_into; /* whose memory body is, given back at the end (http_opts) */
    struct buf headers;    /* "lowercase-name: value\n" of the final response */
    char errbuf[CURL_ERROR_SIZE];
    /* the API log (http_set_observer): what was asked, kept only while someone observes */
    char *obs_method;
    struct buf obs_body;
    int64_t obs_started_ms;
};

#define HTTP_IDLE_EASY 8

struct http {
    struct loop *loop;
    struct log *lg;
    CURLM *multi;
    int64_t timer_id;  /* curl's timeout, 0 = none */
    bool timer_now;    /* ... and it is 0 ms: curl wants to run at once (see check_done) */
    int64_t reaper_id; /* deferred cancellations, 0 = none */
    int in_curl_cb;    /* > 0 while a curl callback of ours runs */
    int active;
    struct http_request *reqs;
    struct http_request *wait_req; /* what http_run_until_done waits for */
    bool wait_done;
    int wait_status;
    char **secrets;
    int n_secrets;
    /* finished easy handles kept for the next requests: a fresh one costs a dozen
     * allocations and its 64 KB buffer (the TUI makes ~100 calls every 5 s at 10 000
     * sandboxes); curl_easy_reset() gives back one with default options */
    CURL *idle[HTTP_IDLE_EASY];
    int n_idle;
    http_observer_cb observer;
    void *observer_ud;
    bool proxy_env; /* curl may use a proxy from the environment (see long_target) */
};

static void check_done(struct http *h);

static CURL *easy_take(struct http *h)
{
    if (!h->n_idle) return curl_easy_init();
    CURL *e = h->idle[--h->n_idle];
    curl_easy_reset(e);
    return e;
}

static void easy_give_back(struct http *h, CURL *e)
{
    if (!e) return;
    if (h->n_idle < HTTP_IDLE_EASY)
        h->idle[h->n_idle++] = e;
    else
        curl_easy_cleanup(e);
}
static void on_retry_timer(struct loop *l, void *ud);
static void finish(struct http_request *r, CURLcode rc);

/* ---- the stall watchdog (re-armed lazily: bytes only stamp last_byte_ms) ------------------ */

static void on_stall_timer(struct loop *l, void *ud)
{
    struct http_request *r = ud;
    struct http *h = r->h;
    r->stall_timer = 0;
    if (r->state != REQ_ACTIVE || r->cancelled) return;
    int64_t quiet = loop_now_ms() - r->last_byte_ms;
    if (quiet < r->stall_ms || r->paused) { /* a paused upload waits for its own source */
        r->stall_timer = loop_timer_add(l, quiet < r->stall_ms ? r->stall_ms - quiet : r->stall_ms,
                                        on_stall_timer, r);
        return;
    }
    r->stalled = true;
    curl_multi_remove_handle(h->multi, r->easy);
    h->active--;
    r->state = REQ_WAITING;
    finish(r, CURLE_OPERATION_TIMEDOUT);
}

static void stall_arm(struct http_request *r)
{
    if (r->stall_ms <= 0 || r->stall_timer) return;
    r->last_byte_ms = loop_now_ms();
    int64_t id = loop_timer_add(r->h->loop, r->stall_ms, on_stall_timer, r);
    r->stall_timer = id > 0 ? id : 0;
}

/* ---- secrets ----------------------------------------------------------------------------- */

int http_add_secret(struct http *h, const char *secret)
{
    if (!secret || strlen(secret) < 4) return 0;
    char **p = realloc(h->secrets, (size_t)(h->n_secrets + 1) * sizeof *p);
    if (!p) return -ENOMEM;
    h->secrets = p;
    if (!(p[h->n_secrets] = strdup(secret))) return -ENOMEM;
    h->n_secrets++;
    return 0;
}

/* Replace every occurrence of a registered secret by its masked form ("e2b_…1234"). */
static void redact(const struct http *h, char *msg, size_t size)
{
    for (int i = 0; i < h->n_secrets; i++) {
        const char *s = h->secrets[i];
        size_t sl = strlen(s);
        char *hit;
        while ((hit = strstr(msg, s))) {
            char mask[32];
            const char *us = strchr(s, '_');
            int pre = us && us - s < 8 ? (int)(us - s) + 1 : 0;
            snprintf(mask, sizeof mask, "%.*s\xe2\x80\xa6%s", pre, s, s + sl - 4);
            size_t ml = strlen(mask), tail = strlen(hit + sl);
            if ((size_t)(hit - msg) + ml + tail + 1 > size)
                tail = size - 1 - (size_t)(hit - msg) - ml;
            memmove(hit + ml, hit + sl, tail);
            hit[ml + tail] = '\0';
            memcpy(hit, mask, ml);
        }
    }
}

/* "scheme://host[:port]/path" of url, without query or fragment (may hold signatures). */
/* The URL as an error message may show it: without the query and fragment (signatures,
 * tokens) and without user:password (E2B_API_URL=http://user:pass@proxy/...). */
void http_url_shown(const char *url, char *out, size_t n)
{
    CURLU *u = curl_url();
    char *clean = NULL;
    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_USER, NULL, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_PASSWORD, NULL, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_OPTIONS, NULL, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_QUERY, NULL, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_URL, &clean, 0) == CURLUE_OK) {
        snprintf(out, n, "%s", clean);
    } else {
        /* unparsable: keep only the scheme and host part after any '@' of the authority */
        size_t l = strcspn(url, "?#");
        const char *sep = strstr(url, "://");
        const char *host = sep && (size_t)(sep - url) < l ? sep + 3 : url;
        size_t auth = strcspn(host, "/?#");
        const char *at = memchr(host, '@', auth);
        if (at)
            snprintf(out, n, "%.*s%.*s", (int)(host - url), url, (int)(l - (size_t)(at + 1 - url)),
                     at + 1);
        else
            snprintf(out, n, "%.*s", (int)l, url);
    }
    curl_free(clean);
    curl_url_cleanup(u);
}

/* ---- error mapping ----------------------------------------------------------------------- */

static enum error_kind kind_for_status(long status)
{
    switch (status) {
    case 401:
    case 403:
        return ERROR_AUTH;
    case 404:
        return ERROR_NOT_FOUND;
    case 409:
        return ERROR_CONFLICT;
    case 429:
        return ERROR_RATE_LIMIT;
    default:
        return ERROR_GENERIC;
    }
}

/* Copy printable text only: error text from a server is hostile (escape sequences). */
static void copy_plain(char *out, size_t n, const char *s, size_t len)
{
    size_t j = 0;
    for (size_t i = 0; i < len && j + 1 < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
        if (c < 0x20 || c == 0x7f) continue;
        out[j++] = (char)c;
    }
    while (j > 0 && out[j - 1] == ' ')
        j--;
    out[j] = '\0';
}

void http_error_from_response(struct error *err, long status, const char *body, size_t len)
{
    if (!err) return;
    char text[384] = "";
    cJSON *doc = body && len ? cJSON_ParseWithLength(body, len) : NULL;
    if (doc && cJSON_IsObject(doc)) {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(doc, "message");
        if (!cJSON_IsString(m)) m = cJSON_GetObjectItemCaseSensitive(doc, "error");
        if (cJSON_IsString(m) && m->valuestring)
            copy_plain(text, sizeof text, m->valuestring, strlen(m->valuestring));
    } else if (body && len) {
        /* Not JSON: the first line of a text body, if it looks like text at all. */
        size_t l = strcspn(body, "\n");
        if (l > len) l = len;
        if (l > 200) l = 200;
        if (len && body[0] != '<') copy_plain(text, sizeof text, body, l);
    }
    cJSON_Delete(doc);
    enum error_kind kind = kind_for_status(status);
    const char *what;
    switch (kind) {
    case ERROR_AUTH:
        what = status == 401 ? _("authentication failed") : _("access denied");
        break;
    case ERROR_NOT_FOUND:
        what = _("not found");
        break;
    case ERROR_CONFLICT:
        what = _("conflict");
        break;
    case ERROR_RATE_LIMIT:
        what = _("rate limited");
        break;
    default:
        what = status >= 500 ? _("server error") : _("request failed");
        break;
    }
    if (text[0])
        error_set(err, kind, "%s (HTTP %ld): %s", what, status, text);
    else
        error_set(err, kind, "%s (HTTP %ld)", what, status);
    err->code = (int)status;
    /* the body as it came, for `:messages` (a JSON error without "message", an HTML page) */
    if (body && len) {
        char raw[sizeof err->detail - 16];
        copy_plain(raw, sizeof raw, body, len < sizeof raw - 1 ? len : sizeof raw - 1);
        if (raw[0]) error_detail(err, "HTTP %ld: %s", status, raw);
    }
}

void http_body_detail(const struct http *h, struct error *err, long status, const char *body,
                      size_t len)
{
    if (!err || err->detail[0] || !body || !len) return;
    char raw[sizeof err->detail - 16];
    copy_plain(raw, sizeof raw, body, len < sizeof raw - 1 ? len : sizeof raw - 1);
    if (raw[0]) error_detail(err, "HTTP %ld: %s", status, raw);
    if (h) redact(h, err->detail, sizeof err->detail);
}

/* ---- loop <-> curl glue ------------------------------------------------------------------ */

static void on_fd(struct loop *l, int fd, int events, void *ud)
{
    (void)l;
    struct http *h = ud;
    int flags = ((events & LOOP_READ) ? CURL_CSELECT_IN : 0) |
                ((events & LOOP_WRITE) ? CURL_CSELECT_OUT : 0) |
                ((events & LOOP_ERROR) ? CURL_CSELECT_ERR : 0);
    int running;
    h->in_curl_cb++;
    curl_multi_socket_action(h->multi, fd, flags, &running);
    h->in_curl_cb--;
    check_done(h);
}

static int sock_cb(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
    (void)easy;
    (void)socketp;
    struct http *h = userp;
    if (what == CURL_POLL_REMOVE) {
        loop_fd_remove(h->loop, fd);
        return 0;
    }
    int ev = ((what & CURL_POLL_IN) ? LOOP_READ : 0) | ((what & CURL_POLL_OUT) ? LOOP_WRITE : 0);
    return loop_fd_add(h->loop, fd, ev, on_fd, h) < 0 ? -1 : 0;
}

static void on_curl_timer(struct loop *l, void *ud)
{
    (void)l;
    struct http *h = ud;
    h->timer_id = 0;
    h->timer_now = false;
    int running;
    h->in_curl_cb++;
    curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    h->in_curl_cb--;
    check_done(h);
}

static int timer_cb(CURLM *multi, long ms, void *userp)
{
    (void)multi;
    struct http *h = userp;
    if (h->timer_id) {
        loop_timer_cancel(h->loop, h->timer_id);
        h->timer_id = 0;
    }
    if (ms >= 0) {
        /* Even 0 goes through the loop: calling socket_action from here would recurse. */
        int64_t id = loop_timer_add(h->loop, ms, on_curl_timer, h);
        if (id < 0) return -1;
        h->timer_id = id;
    }
    h->timer_now = ms == 0;
    return 0;
}

/* ---- per-transfer callbacks -------------------------------------------------------------- */

static long response_status(struct http_request *r)
{
    long st = 0;
    curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &st);
    return st;
}

static size_t header_cb(char *p, size_t size, size_t n, void *ud)
{
    struct http_request *r = ud;
    size_t len = size * n;
    if (r->cancelled) return 0;
    r->last_byte_ms = loop_now_ms();
    if (len >= 5 && !memcmp(p, "HTTP/", 5)) {
        buf_reset(&r->headers); /* a new response (after 100 Continue or a retry) */
        return len;
    }
    const char *colon = memchr(p, ':', len);
    if (!colon || colon == p) return len;
    size_t nl = (size_t)(colon - p);
    const char *v = colon + 1, *end = p + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    if (r->headers.len > 256 * 1024) return len;           /* a header flood: ignore the rest */
    if (buf_reserve(&r->headers, len + 4) < 0) return len; /* the line at most, grown once */
    for (size_t i = 0; i < nl; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x21 || c == 0x7f) return len;
        buf_append_byte(&r->headers, (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c));
    }
    buf_append(&r->headers, ": ", 2);
    for (const char *q = v; q < end; q++)
        buf_append_byte(&r->headers, *q == '\n' || *q == '\r' ? ' ' : (unsigned char)*q);
    buf_append_byte(&r->headers, '\n');
    return len;
}

static size_t write_cb(char *p, size_t size, size_t n, void *ud)
{
    struct http_request *r = ud;
    size_t len = size * n;
    if (r->cancelled) return 0;
    r->last_byte_ms = loop_now_ms();
    long st = response_status(r);
    if (st >= 300) { /* redirects are not followed: their body is an error body too */
        if (r->body.len < HTTP_ERROR_BODY_MAX)
            buf_append(&r->body, p, len < HTTP_ERROR_BODY_MAX ? len : HTTP_ERROR_BODY_MAX);
        return len;
    }
    if (r->on_data) {
        r->h->in_curl_cb++;
        int rc = r->on_data(r, p, len, r->ud);
        r->h->in_curl_cb--;
        if (rc < 0 || r->cancelled) {
            r->aborted_by_receiver = !r->cancelled;
            return 0;
        }
        return len;
    }
    if (r->body.len + len > r->max_body) {
        r->too_big = true;
        return 0;
    }
    /* the announced length at once and exactly (the API log keeps the buffer: no slack), not
     * a chain of doublings and copies; a server's claim is trusted only up to 8 MiB (more
     * grows as bytes arrive) */
    if (!r->body.len) {
        curl_off_t cl = -1;
        if (curl_easy_getinfo(r->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl) == CURLE_OK &&
            cl >= (curl_off_t)len && cl <= 8 * 1024 * 1024 && (uint64_t)cl <= (uint64_t)r->max_body)
            buf_reserve_exact(&r->body, (size_t)cl);
    }
    if (buf_append(&r->body, p, len) < 0) return 0;
    return len;
}

static size_t read_cb(char *p, size_t size, size_t n, void *ud)
{
    struct http_request *r = ud;
    if (r->cancelled) return CURL_READFUNC_ABORT;
    r->h->in_curl_cb++;
    ssize_t got = r->read_cb(p, size * n, r->read_ud);
    r->h->in_curl_cb--;
    if (r->cancelled) return CURL_READFUNC_ABORT;
    if (got == HTTP_READ_PAUSE) {
        r->paused = true;
        return CURL_READFUNC_PAUSE;
    }
    if (got < 0) return CURL_READFUNC_ABORT;
    r->last_byte_ms = loop_now_ms();
    return (size_t)got;
}

/* ---- lifecycle --------------------------------------------------------------------------- */

struct http *http_new(struct loop *loop, struct log *lg)
{
    struct http *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    h->loop = loop;
    h->lg = lg;
    /* curl_global_init is reference counted and idempotent once done; boxtop is single
     * threaded, so calling it here is safe. */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || !(h->multi = curl_multi_init())) {
        free(h);
        return NULL;
    }
    curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, sock_cb);
    curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
    curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
    curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
    curl_multi_setopt(h->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 8L);
    const char *proxies[] = {"http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"};
    for (size_t i = 0; i < sizeof proxies / sizeof *proxies; i++) {
        const char *v = getenv(proxies[i]);
        if (v && *v) h->proxy_env = true;
    }
    return h;
}

static void req_unlink(struct http_request *r)
{
    struct http *h = r->h;
    if (r->prev)
        r->prev->next = r->next;
    else if (h->reqs == r)
        h->reqs = r->next;
    if (r->next) r->next->prev = r->prev;
    r->prev = r->next = NULL;
}

/* ---- the API log's hook ------------------------------------------------------------------ */

void http_set_observer(struct http *h, http_observer_cb cb, void *ud)
{
    h->observer = cb;
    h->observer_ud = ud;
}

static void observe_start(struct http_request *r, const struct http_opts *o)
{
    if (!r->h->observer) return;
    r->obs_method = strdup(o->method ? o->method : "GET");
    r->obs_started_ms = loop_wall_ms();
    if (o->body) buf_append(&r->obs_body, o->body, o->body_len);
}

/* Hand the call to the observer once (at its end, or when it is cancelled). */
static void observe_end(struct http_request *r, struct http_result *res)
{
    struct http *h = r->h;
    if (!h->observer || !r->obs_method) return;
    struct buf rh = BUF_INIT;
    for (struct curl_slist *l = r->hdrs; l; l = l->next)
        if (strcmp(l->data, "Expect:")) {
            buf_append_str(&rh, l->data);
            buf_append_byte(&rh, '\n');
        }
    curl_off_t ttfb = 0, total = 0, up = 0, down = 0;
    curl_easy_getinfo(r->easy, CURLINFO_STARTTRANSFER_TIME_T, &ttfb);
    curl_easy_getinfo(r->easy, CURLINFO_TOTAL_TIME_T, &total);
    curl_easy_getinfo(r->easy, CURLINFO_SIZE_UPLOAD_T, &up);
    curl_easy_getinfo(r->easy, CURLINFO_SIZE_DOWNLOAD_T, &down);
    struct http_call c = {
        .method = r->obs_method,
        .url = r->url,
        .req_headers = buf_cstr(&rh),
        .req_body = r->read_cb ? NULL : buf_cstr(&r->obs_body),
        .req_body_len = r->obs_body.len,
        .resp_headers = buf_cstr(&r->headers),
        .resp_body = res && !r->on_data ? res->body.data : NULL,
        .resp_body_len = res && !r->on_data ? res->body.len : 0,
        .status = res ? res->status : response_status(r),
        .cancelled = !res,
        .streamed = r->on_data != NULL,
        .started_ms = r->obs_started_ms,
        .ttfb_us = ttfb,
        .total_us = res ? total : (loop_wall_ms() - r->obs_started_ms) * 1000,
        .bytes_out = up,
        .bytes_in = down,
        .error = res && res->err.kind != ERROR_NONE ? res->err.msg : NULL,
        .secrets = (const char *const *)h->secrets,
        .n_secrets = h->n_secrets,
        /* all of it is freed after this: the log keeps it rather than a copy */
        .keep_url = &r->url,
        .keep_req_headers = &rh,
        .keep_resp_headers = &r->headers,
        .keep_resp_body = res && !r->on_data && !r->recv_into ? &res->body : NULL,
    };
    h->observer(&c, h->observer_ud);
    free(r->obs_method);
    r->obs_method = NULL;
    buf_free(&rh);
}

/* Remove from the multi (if there), unlink and free. Never from inside a curl callback. */
static void req_destroy(struct http_request *r)
{
    struct http *h = r->h;
    if (r->obs_method) observe_end(r, NULL); /* cancelled (finish() reports the others) */
    if (h->wait_req == r && !h->wait_done) { /* cancelled under http_run_until_done */
        h->wait_done = true;
        h->wait_status = -1;
    }
    if (r->retry_timer) loop_timer_cancel(h->loop, r->retry_timer);
    if (r->stall_timer) loop_timer_cancel(h->loop, r->stall_timer);
    if (r->state == REQ_ACTIVE) {
        curl_multi_remove_handle(h->multi, r->easy);
        h->active--;
    }
    req_unlink(r);
    easy_give_back(h, r->easy);
    curl_slist_free_all(r->hdrs);
    curl_url_cleanup(r->curlu);
    free(r->url);
    free(r->obs_method);
    buf_free(&r->obs_body);
    if (r->recv_into) { /* the lender's memory, back to it */
        buf_reset(&r->body);
        buf_free(r->recv_into);
        *r->recv_into = r->body;
        r->body = (struct buf)BUF_INIT;
    }
    buf_free(&r->body);
    buf_free(&r->headers);
    free(r);
}

void http_free(struct http *h)
{
    if (!h) return;
    while (h->reqs)
        req_destroy(h->reqs);
    if (h->timer_id) loop_timer_cancel(h->loop, h->timer_id);
    if (h->reaper_id) loop_timer_cancel(h->loop, h->reaper_id);
    while (h->n_idle)
        curl_easy_cleanup(h->idle[--h->n_idle]);
    curl_multi_cleanup(h->multi);
    curl_global_cleanup();
    for (int i = 0; i < h->n_secrets; i++)
        free(h->secrets[i]);
    free(h->secrets);
    free(h);
}

struct loop *http_loop(const struct http *h)
{
    return h->loop;
}

int http_active(const struct http *h)
{
    int n = 0;
    for (const struct http_request *r = h->reqs; r; r = r->next)
        n += !r->cancelled && r->state != REQ_DONE;
    return n;
}

static int set_method(struct http_request *r, const struct http_opts *o)
{
    CURL *e = r->easy;
    const char *m = o->method ? o->method : "GET";
    bool has_body = o->body || o->read_cb;
    if (!strcmp(m, "HEAD")) {
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
        return 0;
    }
    if (!has_body && !strcmp(m, "GET")) {
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
        return 0;
    }
    if (o->read_cb) {
        curl_easy_setopt(e, CURLOPT_POST, 1L);
        curl_easy_setopt(e, CURLOPT_READFUNCTION, read_cb);
        curl_easy_setopt(e, CURLOPT_READDATA, r);
        /* -1 makes curl send Transfer-Encoding: chunked. */
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
                         (curl_off_t)(o->body_size >= 0 ? o->body_size : -1));
    } else if (has_body || !strcmp(m, "POST") || !strcmp(m, "PUT") || !strcmp(m, "PATCH")) {
        /* Always give a body to body-carrying methods: a bare CURLOPT_POST reads stdin. */
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(o->body ? o->body_len : 0));
        if (curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, o->body ? (const char *)o->body : "") !=
            CURLE_OK)
            return -1;
    }
    if (strcmp(m, "POST") && strcmp(m, "GET"))
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, m);
    else if (!strcmp(m, "GET") && has_body)
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "GET");
    return 0;
}

/* A long URL (a batch-metrics call: 100 ids, 2 KB) is handed to curl as its origin and path
 * only, and its path and query as the request target, which curl sends as it is: curl 7.88
 * otherwise prints the whole URL once more when it takes it and the query into the request
 * line, one byte at a time through its printf, ~5 % of boxtop's CPU sorted by CPU at 10 000
 * sandboxes. Only where nothing would differ: no proxy (it would need the absolute URL), and
 * a path and query of plain URL characters with no dot segment or fragment for curl to
 * normalise. Returns where the path starts, or NULL to give curl the whole URL. */
#define HTTP_LONG_URL 512
static const char *long_target(const struct http *h, const char *url)
{
    size_t n = strlen(url);
    if (n < HTTP_LONG_URL || h->proxy_env) return NULL;
    const char *sep = strstr(url, "://");
    if (!sep) return NULL;
    const char *path = strchr(sep + 3, '/');
    if (!path) return NULL;
    /* one pass over 2 KB: a table of the plain characters, a dot checked only after '/' */
    static const char plain[] = "-._~%!$&'()*+,;=:@/?";
    bool ok[256] = {false}, query = false;
    for (int c = '0'; c <= '9'; c++)
        ok[c] = true;
    for (int c = 'a'; c <= 'z'; c++)
        ok[c] = ok[c - 'a' + 'A'] = true;
    for (const char *p = plain; *p; p++)
        ok[(unsigned char)*p] = true;
    for (const char *p = path; *p; p++) {
        if (!ok[(unsigned char)*p] || (*p == '/' && p[1] == '.')) return NULL;
        query |= *p == '?';
    }
    return query ? path : NULL;
}

struct http_request *http_start(struct http *h, const struct http_opts *o, struct error *err)
{
    if (!o || !o->url) {
        error_set(err, ERROR_USAGE, "http: no URL");
        return NULL;
    }
    struct http_request *r = calloc(1, sizeof *r);
    if (!r || !(r->easy = easy_take(h)) || !(r->url = strdup(o->url))) {
        if (r) easy_give_back(h, r->easy);
        free(r);
        error_set(err, ERROR_GENERIC, "http: out of memory");
        return NULL;
    }
    r->h = h;
    r->on_data = o->on_data;
    r->read_cb = o->read_cb;
    r->read_ud = o->read_ud;
    r->on_done = o->on_done;
    r->ud = o->ud;
    r->max_retries = o->read_cb ? 0 : (o->max_retries > 0 ? o->max_retries : 0);
    r->max_body = o->max_body ? o->max_body : HTTP_BODY_MAX;
    if (o->recv_into && !o->on_data) {
        r->recv_into = o->recv_into;
        r->body = *o->recv_into;
        *o->recv_into = (struct buf)BUF_INIT;
        buf_reset(&r->body);
    }
    r->state = REQ_DONE; /* not in the multi yet: req_destroy must not remove it */

    CURL *e = r->easy;
    bool ok = true;
    ok &= curl_easy_setopt(e, CURLOPT_URL, r->url) == CURLE_OK;
    /* The parsed URL as well: curl 7.88 otherwise parses the string again and rebuilds it
     * through its printf one byte at a time, ~90 us for a 2 KB batch-metrics URL (a tenth of
     * boxtop's CPU sorted by CPU at 10 000 sandboxes). Unparsable here: curl says why. */
    if ((r->curlu = curl_url()) && curl_url_set(r->curlu, CURLUPART_URL, r->url, 0) == CURLUE_OK) {
        const char *target = long_target(h, r->url);
        if (target && curl_url_set(r->curlu, CURLUPART_QUERY, NULL, 0) == CURLUE_OK)
            curl_easy_setopt(e, CURLOPT_REQUEST_TARGET, target);
        curl_easy_setopt(e, CURLOPT_CURLU, r->curlu);
    }
    curl_easy_setopt(e, CURLOPT_PRIVATE, r);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(e, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    /* 16 KB by default: a 45 KB list page took three reads and as many write callbacks and
     * readiness checks. 64 KB stays under glibc's mmap threshold (one heap block per call). */
    curl_easy_setopt(e, CURLOPT_BUFFERSIZE, o->bulk ? HTTP_BULK_BUFFER : 64 * 1024L);
    if (o->bulk) curl_easy_setopt(e, CURLOPT_UPLOAD_BUFFERSIZE, HTTP_BULK_BUFFER);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, header_cb);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "boxtop/" PACKAGE_VERSION);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, o->timeout_ms > 0 ? o->timeout_ms : 0L);
    r->stall_ms = o->stall_ms > 0 ? o->stall_ms : 0;
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                     o->connect_timeout_ms > 0 ? o->connect_timeout_ms : HTTP_DEFAULT_CONNECT_MS);
    if (o->accept_gzip) curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "gzip");
    if (set_method(r, o) < 0) ok = false;

    /* lws never answers 100-continue: an empty Expect: stops curl from waiting 1 s. */
    struct curl_slist *hl = curl_slist_append(NULL, "Expect:");
    if (!hl) ok = false;
    r->hdrs = hl;
    for (const char *const *p = o->headers; ok && p && *p; p++) {
        if (strpbrk(*p, "\r\n")) { /* header injection from hostile input */
            req_destroy(r);
            error_set(err, ERROR_USAGE, "http: header contains a line break");
            return NULL;
        }
        struct curl_slist *n = curl_slist_append(r->hdrs, *p);
        if (!n)
            ok = false;
        else
            r->hdrs = n;
    }
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->hdrs);

    r->next = h->reqs;
    if (h->reqs) h->reqs->prev = r;
    h->reqs = r;
    if (ok && h->in_curl_cb) {
        /* curl refuses add_handle from inside its callbacks: start on the next loop turn. */
        r->state = REQ_WAITING;
        r->retry_timer = loop_timer_add(h->loop, 0, on_retry_timer, r);
        if (r->retry_timer > 0) {
            observe_start(r, o);
            return r;
        }
        r->retry_timer = 0;
        r->state = REQ_DONE;
        ok = false;
    }
    if (!ok || curl_multi_add_handle(h->multi, e) != CURLM_OK) {
        req_destroy(r);
        error_set(err, ERROR_GENERIC, "http: cannot start the request");
        return NULL;
    }
    r->state = REQ_ACTIVE;
    h->active++;
    stall_arm(r);
    observe_start(r, o);
    return r;
}

/* ---- cancellation, pause ----------------------------------------------------------------- */

static void on_reaper(struct loop *l, void *ud)
{
    (void)l;
    struct http *h = ud;
    h->reaper_id = 0;
    struct http_request *r = h->reqs, *next;
    for (; r; r = next) {
        next = r->next;
        if (r->cancelled && r->state != REQ_DONE) req_destroy(r);
    }
}

void http_cancel(struct http_request *r)
{
    if (!r || r->cancelled) return;
    struct http *h = r->h;
    r->cancelled = true;
    if (r->state == REQ_DONE) return; /* inside its own on_done: freed right after */
    if (h->in_curl_cb) {
        /* Inside a curl callback: removing handles now is not allowed. */
        if (!h->reaper_id) h->reaper_id = loop_timer_add(h->loop, 0, on_reaper, h);
        return;
    }
    req_destroy(r);
}

void http_resume(struct http_request *r)
{
    if (!r || r->cancelled || !r->paused || r->state != REQ_ACTIVE) return;
    r->paused = false;
    curl_easy_pause(r->easy, CURLPAUSE_CONT);
}

const char *http_response_header(const struct http_request *r, const char *name, char *out,
                                 size_t n)
{
    if (!r || !r->headers.data || !n) return NULL;
    size_t nl = strlen(name);
    const char *p = r->headers.data;
    while (*p) {
        const char *eol = strchr(p, '\n');
        if (!eol) break;
        if ((size_t)(eol - p) > nl + 1 && !strncasecmp(p, name, nl) && p[nl] == ':') {
            const char *v = p + nl + 2;
            snprintf(out, n, "%.*s", (int)(eol - v), v);
            return out;
        }
        p = eol + 1;
    }
    return NULL;
}

/* ---- completion, retries ----------------------------------------------------------------- */

static void on_retry_timer(struct loop *l, void *ud)
{
    (void)l;
    struct http_request *r = ud;
    struct http *h = r->h;
    r->retry_timer = 0;
    buf_reset(&r->body);
    buf_reset(&r->headers);
    if (curl_multi_add_handle(h->multi, r->easy) != CURLM_OK) {
        struct http_result res = {0};
        error_set(&res.err, ERROR_GENERIC, "http: cannot restart the request");
        r->state = REQ_DONE;
        if (r->on_done) r->on_done(r, &res, r->ud);
        req_destroy(r);
        return;
    }
    r->state = REQ_ACTIVE;
    h->active++;
    stall_arm(r);
}

/* Delay before the next attempt, or -1 when the failure is not retryable. */
static int64_t retry_delay(struct http_request *r, CURLcode rc, long status)
{
    if (r->attempt >= r->max_retries || r->cancelled) return -1;
    bool retry =
        (rc == CURLE_OK && (status == 429 || status == 503)) || rc == CURLE_COULDNT_CONNECT;
    if (!retry) return -1;
    int64_t ms = (int64_t)HTTP_BACKOFF_BASE_MS << r->attempt;
    if (ms > HTTP_BACKOFF_MAX_MS) ms = HTTP_BACKOFF_MAX_MS;
    char v[64];
    if (rc == CURLE_OK && http_response_header(r, "retry-after", v, sizeof v)) {
        char *end;
        long s = strtol(v, &end, 10);
        if (end != v && *end == '\0' && s >= 0) {
            ms = s > HTTP_RETRY_AFTER_MAX_S ? -1 : (int64_t)s * 1000;
        } else {
            time_t t = curl_getdate(v, NULL);
            if (t > 0) {
                int64_t d = (int64_t)t * 1000 - loop_wall_ms();
                ms = d < 0 ? 0 : d > HTTP_RETRY_AFTER_MAX_S * 1000 ? -1 : d;
            }
        }
        if (ms < 0) r->retry_too_far = true;
    } else {
        ms += loop_now_ms() % (ms / 4 + 1); /* jitter so that clients do not retry in step */
    }
    return ms;
}

/* What failed, why and what to do, in words; curl's own text goes to the detail (a person
 * reads "nothing answers at URL", `:messages` keeps "Failed to connect ... after 0 ms"). */
static void transport_error(struct http_request *r, CURLcode rc, struct error *err)
{
    char where[256];
    http_url_shown(r->url, where, sizeof where);
    const char *raw = r->errbuf[0] ? r->errbuf : curl_easy_strerror(rc);
    long os_errno = 0;
    curl_easy_getinfo(r->easy, CURLINFO_OS_ERRNO, &os_errno);
    enum error_kind kind = ERROR_NETWORK;
    if (r->too_big) {
        error_set(err, ERROR_PROTOCOL, _("%s: response body too large (more than %zu MiB)"), where,
                  r->max_body >> 20);
        return;
    }
    if (r->aborted_by_receiver) {
        error_set(err, ERROR_GENERIC, _("%s: transfer aborted by the receiver"), where);
        return;
    }
    if (r->stalled)
        error_set(err, kind, _("%s: nothing moved for %ld s"), where, r->stall_ms / 1000);
    else if (rc == CURLE_OPERATION_TIMEDOUT)
        error_set(err, kind,
                  _("%s did not answer in time: the server or the network is slow or down"), where);
    else if (rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_RESOLVE_PROXY)
        error_set(err, kind,
                  _("cannot find the server of %s (its name does not resolve): check the URL and "
                    "your network"),
                  where);
    else if (rc == CURLE_COULDNT_CONNECT && os_errno == ECONNREFUSED)
        error_set(err, kind,
                  _("nothing answers at %s (connection refused): is the server running and the "
                    "URL right?"),
                  where);
    else if (rc == CURLE_COULDNT_CONNECT)
        error_set(err, kind, _("cannot connect to %s: check your network and the URL"), where);
    else if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CONNECT_ERROR ||
             rc == CURLE_SSL_CERTPROBLEM || rc == CURLE_SSL_CIPHER ||
             rc == CURLE_SSL_CACERT_BADFILE)
        error_set(err, kind,
                  _("no secure connection to %s (a certificate or TLS problem): check the URL"),
                  where);
    else if (rc == CURLE_GOT_NOTHING || rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR ||
             rc == CURLE_PARTIAL_FILE)
        error_set(err, kind, _("the connection to %s broke off before the answer was complete"),
                  where);
    else if (rc == CURLE_READ_ERROR || rc == CURLE_ABORTED_BY_CALLBACK)
        error_set(err, ERROR_GENERIC, _("%s: the request body could not be read"), where);
    else
        error_set(err, kind, _("the request to %s failed"), where);
    if (os_errno)
        error_detail(err, "curl %d: %s (%s)", (int)rc, raw, strerror((int)os_errno));
    else
        error_detail(err, "curl %d: %s", (int)rc, raw);
}

static void finish(struct http_request *r, CURLcode rc)
{
    struct http *h = r->h;
    long status = rc == CURLE_OK || rc == CURLE_WRITE_ERROR ? response_status(r) : 0;
    int64_t delay = retry_delay(r, rc, status);
    if (delay >= 0) {
        r->attempt++;
        r->state = REQ_WAITING;
        r->retry_timer = loop_timer_add(h->loop, delay, on_retry_timer, r);
        if (r->retry_timer > 0) return;
        r->retry_timer = 0;
    }
    r->state = REQ_DONE;
    struct http_result res = {0};
    res.status = status;
    if (rc != CURLE_OK)
        transport_error(r, rc, &res.err);
    else if (status >= 400)
        http_error_from_response(&res.err, status, r->body.data, r->body.len);
    else if (status >= 300)
        error_set(&res.err, ERROR_PROTOCOL, _("redirect not followed (HTTP %ld)"), status);
    else if (status < 200)
        error_set(&res.err, ERROR_PROTOCOL, _("unexpected HTTP status %ld"), status);
    if (r->retry_too_far) {
        char v[64] = "", shown[32];
        http_response_header(r, "retry-after", v, sizeof v);
        copy_plain(shown, sizeof shown, v, strlen(v)); /* a header is hostile text too */
        size_t l = strlen(res.err.msg);
        snprintf(res.err.msg + l, sizeof res.err.msg - l,
                 _("; the server asks to wait %s s (more than %d s): not retried"), shown,
                 HTTP_RETRY_AFTER_MAX_S);
    }
    redact(h, res.err.msg, sizeof res.err.msg);
    redact(h, res.err.detail, sizeof res.err.detail);
    if (rc != CURLE_OK) res.status = 0;
    char *ct = NULL;
    curl_easy_getinfo(r->easy, CURLINFO_CONTENT_TYPE, &ct);
    res.content_type = ct;
    res.body = r->body;
    r->body = (struct buf)BUF_INIT;
    if (h->wait_req == r) {
        h->wait_done = true;
        h->wait_status = rc == CURLE_OK ? (int)status : -1;
    }
    if (r->on_done) r->on_done(r, &res, r->ud);
    observe_end(r, &res); /* after: the log may take the body (and the url, the headers) */
    if (r->recv_into)
        r->body = res.body; /* req_destroy gives it back */
    else
        buf_free(&res.body);
    req_destroy(r);
}

/* Collect finished transfers. An on_done that starts the next request (the next list page)
 * leaves curl asking for a 0 ms timeout: that is run here, as the loop's timer would run it
 * (outside any curl callback), instead of a loop turn later — one poll(2) and one frame check
 * fewer per request, 100 list pages a round at 10 000 sandboxes (issue 22). A few times at
 * most; the loop's timer is there for the rest. */
static void check_done(struct http *h)
{
    if (h->in_curl_cb) return; /* the outermost caller collects */
    for (int turn = 0;; turn++) {
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(h->multi, &left))) {
            if (msg->msg != CURLMSG_DONE) continue;
            CURL *e = msg->easy_handle;
            CURLcode rc = msg->data.result;
            struct http_request *r = NULL;
            curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&r);
            if (!r) continue;
            curl_multi_remove_handle(h->multi, e);
            h->active--;
            r->state = REQ_WAITING; /* out of the multi, not done yet */
            if (r->cancelled) {
                r->state = REQ_DONE;
                req_destroy(r);
                continue;
            }
            finish(r, rc);
        }
        if (!h->timer_now || !h->timer_id || h->in_curl_cb || turn >= 4) return;
        loop_timer_cancel(h->loop, h->timer_id);
        h->timer_id = 0;
        h->timer_now = false;
        int running;
        h->in_curl_cb++;
        curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
        h->in_curl_cb--;
    }
}

int http_run_until_done(struct http *h, struct http_request *req)
{
    if (!req) return -1;
    /* Nested waits (a callback waiting for another request) save the outer one. */
    struct http_request *outer = h->wait_req;
    bool outer_done = h->wait_done;
    int outer_status = h->wait_status;
    h->wait_req = req; /* finish() or req_destroy() (cancel) sets wait_done */
    h->wait_done = false;
    h->wait_status = -1;
    int rc = 0;
    while (!h->wait_done && rc >= 0)
        rc = loop_run_once(h->loop, 1000);
    int status = rc < 0 ? -1 : h->wait_status;
    h->wait_req = outer;
    h->wait_done = outer_done;
    h->wait_status = outer_status;
    return status;
}
