/* envd_call.c - envd RPCs over the async http client: unary calls and server streams.
 *
 * A stream feeds every received byte to the incremental Connect decoder (frames never align
 * with curl's write callbacks) and ends exactly once: with the end-stream frame's error (or
 * none), with an HTTP-level error (proxy 502, envd 401, 405/415), or with a protocol error
 * (bad content type, bad frame, EOF without end-stream). Cancellation from inside a message
 * callback is deferred until the decoder has returned, so no callback ever runs on freed
 * memory. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "boxtop/buf.h"
#include "boxtop/envd.h"
#include "boxtop/http.h"
#include "boxtop/i18n.h"
#include "boxtop/json.h"
#include "boxtop/loop.h"
#include "boxtop/sanitize.h"

/* Replace any occurrence of the access token in a message (belt and braces: a server might
 * echo a header back). */
static void mask_token(const struct envd_client *c, struct error *err)
{
    const char *tok = c->target.access_token;
    if (!err || !tok || strlen(tok) < 4) return;
    char *texts[] = {err->msg, err->detail};
    for (size_t i = 0; i < 2; i++) {
        char *p;
        while ((p = strstr(texts[i], tok))) {
            size_t tl = strlen(tok);
            char mask[16];
            snprintf(mask, sizeof mask, "…%s", tok + tl - 4);
            size_t ml = strlen(mask);
            memmove(p + ml, p + tl, strlen(p + tl) + 1);
            memcpy(p, mask, ml);
        }
    }
}

/* What an RPC does, in words (its name stays in the error's detail). */
static const char *method_words(const char *m)
{
    static const struct {
        const char *method, *words;
    } t[] = {
        {"ListDir", N_("listing the directory")},
        {"MakeDir", N_("making the directory")},
        {"Remove", N_("deleting")},
        {"Move", N_("moving")},
        {"Stat", N_("reading the file's details")},
        {"WatchDir", N_("watching the directory")},
        {"CreateWatcher", N_("watching the directory")},
        {"GetWatcherEvents", N_("watching the directory")},
        {"RemoveWatcher", N_("watching the directory")},
        {"Start", N_("starting the command")},
        {"Connect", N_("attaching to the process")},
        {"List", N_("listing the processes")},
        {"SendInput", N_("sending input")},
        {"StreamInput", N_("sending input")},
        {"SendSignal", N_("signalling the process")},
        {"Update", N_("resizing the terminal")},
        {"CloseStdin", N_("closing the input")},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(t[i].method, m)) return _(t[i].words);
    return m;
}

/* A Connect code in words; NULL for ok. */
static const char *code_words(enum connect_code code)
{
    switch (code) {
    case CONNECT_CANCELED:
        return _("cancelled");
    case CONNECT_INVALID_ARGUMENT:
        return _("invalid request");
    case CONNECT_DEADLINE_EXCEEDED:
        return _("it took too long");
    case CONNECT_NOT_FOUND:
        return _("not found");
    case CONNECT_ALREADY_EXISTS:
        return _("already exists");
    case CONNECT_PERMISSION_DENIED:
        return _("permission denied");
    case CONNECT_RESOURCE_EXHAUSTED:
        return _("out of resources (disk, memory or a limit)");
    case CONNECT_FAILED_PRECONDITION:
        return _("not possible in this state");
    case CONNECT_ABORTED:
        return _("aborted");
    case CONNECT_OUT_OF_RANGE:
        return _("out of range");
    case CONNECT_UNIMPLEMENTED:
        return _("not supported by this sandbox");
    case CONNECT_INTERNAL:
        return _("the sandbox's agent failed");
    case CONNECT_UNAVAILABLE:
        return _("the sandbox is not available (paused or ending?)");
    case CONNECT_DATA_LOSS:
        return _("data was lost");
    case CONNECT_UNAUTHENTICATED:
        return _("the sandbox refused the access token");
    case CONNECT_OK:
        return NULL;
    default:
        return _("unknown error");
    }
}

/* A Connect error in words: "listing the directory failed: file not found: /x", the raw
 * "ListDir: not_found: file not found: /x" as its detail. */
static void connect_words(const char *method, const struct connect_error *ce, struct error *err)
{
    connect_error_to_error(ce, err);
    char raw[sizeof err->msg + 64];
    snprintf(raw, sizeof raw, "%s: %s", method, err->msg);
    enum error_kind kind = err->kind;
    int code = err->code;
    const char *words = code_words(ce->code);
    char said[sizeof err->msg] = "";
    if (ce->message) {
        struct buf b = BUF_INIT;
        sanitize_append(&b, ce->message, strlen(ce->message), 0);
        snprintf(said, sizeof said, "%s", buf_cstr(&b));
        buf_free(&b);
    }
    if (!said[0] || !words)
        error_set(err, kind, _("%s failed: %s"), method_words(method), said[0] ? said : words);
    else if (strcasestr(said, words))
        error_set(err, kind, _("%s failed: %s"), method_words(method), said);
    else
        error_set(err, kind, _("%s failed: %s (%s)"), method_words(method), said, words);
    err->code = code;
    error_detail(err, "%s", raw);
}

/* Error of a finished non-200 or failed transfer. */
static void error_from_result(const struct envd_client *c, const char *method,
                              const struct http_result *res, struct error *err)
{
    /* "listing the directory failed: nothing answers at ...", curl's text as the detail */
    char raw[sizeof err->detail * 2 + 64]; /* cut to the detail's size by error_detail */
    if (res->status == 0) {
        *err = res->err;
        if (err->kind == ERROR_NONE) error_set(err, ERROR_NETWORK, "transfer failed");
        snprintf(raw, sizeof raw, "%s: %s", method, err->detail[0] ? err->detail : err->msg);
        error_prefix(err, _("%s failed"), method_words(method));
    } else {
        struct connect_error ce;
        connect_error_from_unary(res->status, res->body.data, res->body.len, &ce);
        connect_words(method, &ce, err);
        connect_error_free(&ce);
        /* 502 from the E2B proxy means the sandbox is gone. */
        if (res->status == 502) err->kind = ERROR_NOT_FOUND;
    }
    if (res->status == 0) error_detail(err, "%s", raw);
    mask_token(c, err);
}

static const char *short_method(const char *method)
{
    const char *slash = strrchr(method, '/');
    return slash ? slash + 1 : method;
}

int envd_client_init(struct envd_client *c, struct http *h, const char *sandbox_id,
                     const char *sandbox_url, const char *domain, bool debug,
                     const char *access_token, const char *user, struct error *err)
{
    memset(c, 0, sizeof *c);
    if (envd_target_init(&c->target, sandbox_id, sandbox_url, domain, debug, access_token, user,
                         err) < 0)
        return -1;
    c->http = h;
    /* BOXTOP_STALL_S: seconds without a byte before a /files transfer fails (tests, links
     * known to pause longer) */
    const char *st = getenv("BOXTOP_STALL_S");
    long sv = st ? strtol(st, NULL, 10) : 0;
    c->files_stall_ms = sv > 0 && sv <= 86400 ? sv * 1000 : ENVD_FILES_STALL_MS;
    if (access_token && http_add_secret(h, access_token) < 0) {
        envd_target_free(&c->target);
        return error_set(err, ERROR_GENERIC, "out of memory");
    }
    return 0;
}

void envd_client_free(struct envd_client *c)
{
    envd_target_free(&c->target);
    c->http = NULL;
}

struct unary {
    struct envd_client *c;
    envd_unary_cb cb;
    void *ud;
    const char *method;
};

static void unary_done(struct http_request *req, struct http_result *res, void *ud)
{
    (void)req;
    struct unary *u = ud;
    struct error err;
    error_clear(&err);
    if (res->status != 200) {
        error_from_result(u->c, short_method(u->method), res, &err);
        u->cb(NULL, &err, u->ud);
    } else {
        cJSON *doc = json_parse(res->body.data ? res->body.data : "", res->body.len, &err);
        if (!doc || !cJSON_IsObject(doc)) {
            if (doc) error_set(&err, ERROR_PROTOCOL, "response is not a JSON object");
            error_prefix(&err, "%s", short_method(u->method));
            u->cb(NULL, &err, u->ud);
        } else {
            u->cb(doc, NULL, u->ud);
        }
        cJSON_Delete(doc);
    }
    free(u);
}

/* The POST that carries a built call (the wire must outlive http_start, which copies it). */
static struct http_opts wire_post(const struct envd_wire *w, void *ud)
{
    return (struct http_opts){
        .method = "POST",
        .url = w->url,
        .headers = (const char *const *)w->headers,
        .body = w->body.data,
        .body_len = w->body.len,
        .ud = ud,
    };
}

struct http_request *envd_unary(struct envd_client *c, const char *method, bool with_user,
                                cJSON *msg, envd_unary_cb cb, void *ud, struct error *err)
{
    if (!msg) {
        error_set(err, ERROR_USAGE, "%s: invalid request", short_method(method));
        return NULL;
    }
    struct envd_wire w;
    int rc = envd_wire_build(&c->target, method, ENVD_CALL_UNARY, with_user, msg, 0, &w, err);
    cJSON_Delete(msg);
    if (rc < 0) return NULL;
    struct unary *u = calloc(1, sizeof *u);
    if (!u) {
        envd_wire_free(&w);
        error_set(err, ERROR_GENERIC, "out of memory");
        return NULL;
    }
    *u = (struct unary){c, cb, ud, method};
    struct http_opts o = wire_post(&w, u);
    o.on_done = unary_done;
    o.timeout_ms = ENVD_UNARY_TIMEOUT_MS;
    o.accept_gzip = 1;
    /* a 254 KB gzip ListDir answer inflated to 250 MiB was accepted under the default */
    o.max_body = strstr(method, "/ListDir") ? ENVD_LISTDIR_BODY_MAX : ENVD_UNARY_BODY_MAX;
    struct http_request *req = http_start(c->http, &o, err);
    envd_wire_free(&w);
    if (!req) free(u);
    return req;
}

struct envd_stream {
    struct envd_client *c;
    struct http_request *req;
    const char *method;
    struct connect_decoder dec;
    envd_msg_cb on_msg;
    envd_end_cb on_end;
    void *ud;     /* for on_msg */
    void *end_ud; /* for on_end */
    bool checked_type;
    bool failed;   /* err holds the reason */
    bool have_end; /* end-stream seen; end_err valid when end_failed */
    bool end_failed;
    bool in_feed;
    bool cancel_requested;
    int64_t idle_timer; /* watchdog: envd sends keepalives, so silence means a dead link */
    int64_t last_data_ms;
    struct error err;
    struct error end_err;
    /* typed adapters */
    envd_proc_cb proc_cb;
    bool proc_started; /* the start event came (output before it is a protocol error) */
    envd_fs_cb fs_cb;
    void *typed_ud;
    struct envd_parse parse;
};

static void stream_free(struct envd_stream *s)
{
    if (s->idle_timer > 0) loop_timer_cancel(http_loop(s->c->http), s->idle_timer);
    connect_decoder_free(&s->dec);
    envd_parse_free(&s->parse);
    free(s);
}

static int frame_cb(const struct connect_frame *f, void *ud, struct error *err)
{
    struct envd_stream *s = ud;
    if (f->end) {
        s->have_end = true;
        if (f->end->has_error) {
            s->end_failed = true;
            connect_words(short_method(s->method), &f->end->error, &s->end_err);
            mask_token(s->c, &s->end_err);
        }
        return 0;
    }
    if (s->cancel_requested) return -1;
    return s->on_msg(f->data, f->len, s->ud, err);
}

/* Re-armed lazily: data only stamps last_data_ms; the timer checks it when it fires. */
static long idle_ms(const struct envd_client *c)
{
    return c->stream_idle_ms > 0 ? c->stream_idle_ms : ENVD_STREAM_IDLE_MS;
}

static void idle_check(struct loop *l, void *ud)
{
    struct envd_stream *s = ud;
    int64_t quiet = loop_now_ms() - s->last_data_ms;
    s->idle_timer = 0;
    if (quiet < idle_ms(s->c)) {
        s->idle_timer = loop_timer_add(l, idle_ms(s->c) - quiet, idle_check, s);
        return;
    }
    struct error err;
    error_set(&err, ERROR_NETWORK, "%s: no data from the sandbox for %.1f s",
              short_method(s->method), (double)idle_ms(s->c) / 1000.0);
    envd_end_cb cb = s->on_end;
    void *cud = s->end_ud;
    http_cancel(s->req);
    stream_free(s);
    if (cb) cb(&err, cud);
}

static int stream_data(struct http_request *req, const char *data, size_t len, void *ud)
{
    struct envd_stream *s = ud;
    s->last_data_ms = loop_now_ms();
    if (s->failed) return -1;
    if (!s->checked_type) {
        char ct[128];
        s->checked_type = true;
        const char *v = http_response_header(req, "Content-Type", ct, sizeof ct);
        if (!v || strncasecmp(v, "application/connect+json", 24) ||
            (v[24] && v[24] != ';' && v[24] != ' ')) {
            s->failed = true;
            error_set(&s->err, ERROR_PROTOCOL, "%s: unexpected response content type",
                      short_method(s->method));
            return -1;
        }
    }
    s->in_feed = true;
    int rc = connect_decoder_feed(&s->dec, data, len, frame_cb, s, &s->err);
    s->in_feed = false;
    if (s->cancel_requested) {
        /* envd_stream_cancel() ran inside a callback; http_cancel was already called. */
        stream_free(s);
        return -1;
    }
    if (rc < 0) {
        s->failed = true;
        if (s->err.kind == ERROR_PROTOCOL) error_prefix(&s->err, "%s", short_method(s->method));
        return -1;
    }
    return 0;
}

static void stream_done(struct http_request *req, struct http_result *res, void *ud)
{
    (void)req;
    struct envd_stream *s = ud;
    struct error err;
    error_clear(&err);
    const struct error *out = NULL;
    if (s->failed) {
        err = s->err;
        out = &err;
    } else if (res->status != 200) {
        error_from_result(s->c, short_method(s->method), res, &err);
        out = &err;
    } else if (connect_decoder_finish(&s->dec, &err) < 0) {
        error_prefix(&err, "%s", short_method(s->method));
        out = &err;
    } else if (s->end_failed) {
        err = s->end_err;
        out = &err;
    }
    envd_end_cb cb = s->on_end;
    void *cud = s->end_ud;
    stream_free(s);
    if (cb) cb(out, cud);
}

struct envd_stream *envd_stream_open(struct envd_client *c, const char *method, bool with_user,
                                     cJSON *msg, long timeout_ms, envd_msg_cb on_msg,
                                     envd_end_cb on_end, void *ud, struct error *err)
{
    if (!msg) {
        error_set(err, ERROR_USAGE, "%s: invalid request", short_method(method));
        return NULL;
    }
    struct envd_wire w;
    int rc =
        envd_wire_build(&c->target, method, ENVD_CALL_STREAM, with_user, msg, timeout_ms, &w, err);
    cJSON_Delete(msg);
    if (rc < 0) return NULL;
    struct envd_stream *s = calloc(1, sizeof *s);
    if (!s) {
        envd_wire_free(&w);
        error_set(err, ERROR_GENERIC, "out of memory");
        return NULL;
    }
    s->c = c;
    s->method = method;
    s->on_msg = on_msg;
    s->on_end = on_end;
    s->ud = ud;
    s->end_ud = ud;
    connect_decoder_init(&s->dec, 0);
    struct http_opts o = wire_post(&w, s);
    o.on_data = stream_data;
    o.on_done = stream_done;
    o.timeout_ms = 0;
    s->req = http_start(c->http, &o, err);
    envd_wire_free(&w);
    if (!s->req) {
        stream_free(s);
        return NULL;
    }
    s->last_data_ms = loop_now_ms();
    s->idle_timer = loop_timer_add(http_loop(c->http), idle_ms(c), idle_check, s);
    return s;
}

void envd_stream_cancel(struct envd_stream *s)
{
    if (!s || s->cancel_requested) return;
    http_cancel(s->req);
    if (s->in_feed)
        s->cancel_requested = true; /* freed by stream_data once the decoder returns */
    else
        stream_free(s);
}

/* ---- typed process and filesystem streams ---- */

static int proc_msg(const char *json, size_t len, void *ud, struct error *err)
{
    struct envd_stream *s = ud;
    struct envd_proc_event ev;
    if (envd_proc_event_parse(json, len, &ev, &s->parse, err) < 0) return -1;
    /* envd always sends start first (Start and Connect alike): output before it would be
     * shown without knowing which process it belongs to */
    if (ev.kind == ENVD_PROC_START)
        s->proc_started = true;
    else if (!s->proc_started && ev.kind != ENVD_PROC_KEEPALIVE)
        return error_set(err, ERROR_PROTOCOL, "%s: output before the start event",
                         short_method(s->method));
    return s->proc_cb(&ev, s->typed_ud, err);
}

static int fs_msg(const char *json, size_t len, void *ud, struct error *err)
{
    struct envd_stream *s = ud;
    struct envd_fs_event ev;
    if (envd_fs_event_parse(json, len, &ev, &s->parse, err) < 0) return -1;
    return s->fs_cb(&ev, s->typed_ud, err);
}

/* Open a stream whose ud is the stream itself, so the typed adapter can find its callback. */
static struct envd_stream *typed_open(struct envd_client *c, const char *method, bool with_user,
                                      cJSON *msg, envd_msg_cb adapter, envd_end_cb on_end, void *ud,
                                      struct error *err)
{
    struct envd_stream *s =
        envd_stream_open(c, method, with_user, msg, 0, adapter, on_end, ud, err);
    if (!s) return NULL;
    s->typed_ud = ud;
    s->ud = s; /* the adapter gets the stream; on_end still gets the caller's ud */
    return s;
}

struct envd_stream *envd_process_start(struct envd_client *c, const struct envd_start_opts *o,
                                       envd_proc_cb on_event, envd_end_cb on_end, void *ud,
                                       struct error *err)
{
    struct envd_stream *s =
        typed_open(c, "process.Process/Start", true, envd_msg_start(o), proc_msg, on_end, ud, err);
    if (s) s->proc_cb = on_event;
    return s;
}

struct envd_stream *envd_process_connect(struct envd_client *c, uint32_t pid, envd_proc_cb on_event,
                                         envd_end_cb on_end, void *ud, struct error *err)
{
    struct envd_stream *s = typed_open(c, "process.Process/Connect", false, envd_msg_process(pid),
                                       proc_msg, on_end, ud, err);
    if (s) s->proc_cb = on_event;
    return s;
}

struct envd_stream *envd_fs_watch_dir(struct envd_client *c, const char *path, bool recursive,
                                      envd_fs_cb on_event, envd_end_cb on_end, void *ud,
                                      struct error *err)
{
    struct envd_stream *s =
        typed_open(c, "filesystem.Filesystem/WatchDir", true,
                   envd_msg_watch_dir(path, recursive, false), fs_msg, on_end, ud, err);
    if (s) s->fs_cb = on_event;
    return s;
}

/* ---- unary wrappers ---- */

struct http_request *envd_process_send_input(struct envd_client *c, uint32_t pid, bool pty,
                                             const void *data, size_t len, envd_unary_cb cb,
                                             void *ud, struct error *err)
{
    return envd_unary(c, "process.Process/SendInput", false,
                      envd_msg_send_input(pid, pty, data, len), cb, ud, err);
}

struct http_request *envd_process_update(struct envd_client *c, uint32_t pid, uint16_t cols,
                                         uint16_t rows, envd_unary_cb cb, void *ud,
                                         struct error *err)
{
    return envd_unary(c, "process.Process/Update", false, envd_msg_update(pid, cols, rows), cb, ud,
                      err);
}

struct http_request *envd_process_signal(struct envd_client *c, uint32_t pid, int signo,
                                         envd_unary_cb cb, void *ud, struct error *err)
{
    return envd_unary(c, "process.Process/SendSignal", false, envd_msg_signal(pid, signo), cb, ud,
                      err);
}

struct http_request *envd_process_close_stdin(struct envd_client *c, uint32_t pid, envd_unary_cb cb,
                                              void *ud, struct error *err)
{
    return envd_unary(c, "process.Process/CloseStdin", false, envd_msg_process(pid), cb, ud, err);
}

struct http_request *envd_process_list(struct envd_client *c, envd_unary_cb cb, void *ud,
                                       struct error *err)
{
    return envd_unary(c, "process.Process/List", false, cJSON_CreateObject(), cb, ud, err);
}

struct http_request *envd_fs_stat(struct envd_client *c, const char *path, envd_unary_cb cb,
                                  void *ud, struct error *err)
{
    return envd_unary(c, "filesystem.Filesystem/Stat", true, envd_msg_path(path), cb, ud, err);
}

struct http_request *envd_fs_list_dir(struct envd_client *c, const char *path, uint32_t depth,
                                      envd_unary_cb cb, void *ud, struct error *err)
{
    return envd_unary(c, "filesystem.Filesystem/ListDir", true, envd_msg_list_dir(path, depth), cb,
                      ud, err);
}

struct http_request *envd_fs_make_dir(struct envd_client *c, const char *path, envd_unary_cb cb,
                                      void *ud, struct error *err)
{
    return envd_unary(c, "filesystem.Filesystem/MakeDir", true, envd_msg_path(path), cb, ud, err);
}

struct http_request *envd_fs_move(struct envd_client *c, const char *source,
                                  const char *destination, envd_unary_cb cb, void *ud,
                                  struct error *err)
{
    return envd_unary(c, "filesystem.Filesystem/Move", true, envd_msg_move(source, destination), cb,
                      ud, err);
}

struct http_request *envd_fs_remove(struct envd_client *c, const char *path, envd_unary_cb cb,
                                    void *ud, struct error *err)
{
    return envd_unary(c, "filesystem.Filesystem/Remove", true, envd_msg_path(path), cb, ud, err);
}
