/* server.c - boxtopd's HTTP/1.1 server (interface and lifecycle in server.h).
 *
 * Design notes (why it looks like this):
 * - libwebsockets 4.1 is only the event loop here. Its HTTP parser could not take chunked
 *   bodies past ~100 MiB, ended the request line at a decoded %0D/%0A, collapsed "//" and had
 *   no custom-header iterator (libs-notes §4), so every connection is a RAW_FILE wsi whose
 *   bytes we read and write ourselves: the request head goes through http_head.c, bodies
 *   through a Content-Length count or our chunked decoder (chunked.h), and responses are
 *   written with write(2) straight from one queue per connection.
 * - API calls never write or finish synchronously: they queue bytes and ask for a writeable
 *   callback, which writes until the socket is full, runs the drain callback, and finishes
 *   the request once its response is out. So no handler ever sees its request freed under it.
 * - A connection is reused only when the request body was consumed exactly and the response
 *   was complete; otherwise it is closed after the response, lingering: our side is shut
 *   down for writing and whatever the client still sends is read and dropped for a while, so
 *   a client still uploading reads the status instead of a reset (EPIPE).
 * - Watched fds are dup()ed before adoption: lws closes the fd of a RAW_FILE wsi, while the
 *   caller keeps owning its own descriptor. Connection sockets are lws's to close. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cJSON.h>
#include <libwebsockets.h>

#include "boxtop/buf.h"
#include "boxtop/log.h"
#include "boxtop/sanitize.h"
#include "chunked.h"
#include "http_head.h"
#include "query.h"
#include "server.h"

#define READ_PIECE     (256u << 10) /* bytes per read(2) */
#define READS_PER_TURN 4            /* reads per readable callback before polling again */
#define PIPELINE_MAX   (64u << 10)  /* buffered bytes of a following request before we stop */
#define IDLE_SECS      75           /* keep-alive idle, or a request that stopped arriving */
#define LINGER_SECS    10           /* reading and dropping after our last byte before closing */
#define OUT_KEEP       (1u << 20)   /* an idle queue bigger than this gives its memory back */
#define SENDFILE_PIECE (4u << 20)   /* bytes per sendfile(2) */
#define FILE_SNDBUF    (4 << 20)    /* SO_SNDBUF for big file bodies (the kernel doubles it) */

struct route {
    char *method;
    char *pattern;
    server_handler_fn handler;
    void *ud;
    enum server_body_mode body_mode;
    size_t max_body;
};

struct route_table {
    struct route *v;
    size_t n;
    struct route fallback;
    bool has_fallback;
};

struct conn;

struct listener {
    struct server *srv;
    enum server_vhost vh;
    int fd; /* lws owns it once adopted */
    int port;
    struct lws *wsi;
};

struct server {
    struct lws_context *ctx;
    struct lws_vhost *vhost;
    struct route_table routes[SERVER_VHOST_COUNT];
    struct listener listeners[SERVER_VHOST_COUNT];
    struct log *log;
    bool stop;
    struct server_request *active; /* every unfinished request */
    struct conn *conns;
    int n_conns, max_conns;
    char *scratch; /* READ_PIECE bytes: one loop, one read at a time */
    struct lws_protocols protocols[4];
};

struct server_request {
    struct server *srv;
    struct server_request *prev, *next; /* srv->active */
    struct conn *conn;
    enum server_vhost vh;
    struct http_head head;
    char method[16];
    struct query query;
    int query_state; /* 0 not parsed, 1 ok, -1 malformed */
    char *captures[SERVER_MAX_CAPTURES];
    const struct route *route;
    void *ud;
    bool head_only; /* HEAD: no body in the answer */
    bool http10;

    /* body in */
    int64_t content_length; /* -1 unknown */
    int64_t body_seen;      /* payload bytes delivered */
    bool chunked;
    struct chunked dec;
    struct buf body;
    bool body_done;
    bool body_error;
    bool discard_body; /* already answered (413, error): swallow the rest */
    bool handler_ran;
    size_t max_body;
    server_body_data_fn on_data;
    server_body_end_fn on_end;
    void *body_ud;

    server_close_fn on_close;
    void *close_ud;

    /* response out (bytes go to conn->out as they are produced) */
    bool responded;
    bool streaming;
    bool stream_ended;
    bool close_after;
    int status;
    struct buf resp_hdrs; /* "name:\0value\0" pairs */
    int file_fd;          /* server_respond_fd: our dup, -1 when none */
    int64_t file_off, file_left;
    server_drain_fn on_drain;
    void *drain_ud;
};

struct conn {
    lws_sorted_usec_list_t rearm; /* first: lws hands us a pointer to it */
    struct server *srv;
    struct conn *prev, *next;
    struct lws *wsi;
    enum server_vhost vh;
    char peer[64];
    struct buf in; /* bytes not yet consumed: a partial head, a paused body, the next request */
    size_t in_off;
    struct buf out; /* bytes not yet written */
    size_t out_off;
    struct server_request *req;
    bool paused;       /* the handler paused the body */
    bool rx_off;       /* POLLIN disabled */
    bool lingering;    /* shut down for writing; dropping input until EOF or LINGER_SECS */
    bool in_writeable; /* inside the writeable callback (see conn_wake) */
    bool want_write;
};

struct server_fd {
    struct server *srv;
    struct lws *wsi;
    int fd; /* the caller's fd (lws owns a dup) */
    server_fd_fn fn;
    void *ud;
    bool dead;
};

struct server_timer {
    lws_sorted_usec_list_t sul; /* first: lws hands us a pointer to it */
    struct server *srv;
    server_timer_fn fn;
    void *ud;
};

enum { OPAQUE_LISTENER = 1, OPAQUE_CONN, OPAQUE_FD };

static void req_finish(struct server_request *req, bool conn_closing);
static int req_dispatch(struct server_request *req);
static void conn_wake(struct conn *c);
static void conn_rx_update(struct conn *c);

/* ------------------------------------------------------------------ routing */

static bool seg_match(const char *pat, size_t plen, const char *seg, size_t slen)
{
    return plen == slen && memcmp(pat, seg, plen) == 0;
}

/* Match path against pattern; on success fill caps (malloc'd; http_head.c has already
 * percent-decoded the path and resolved dot segments). Returns 1 match, 0 no match, -1 when
 * out of memory. */
static int pattern_match(const char *pattern, const char *path, char **caps)
{
    const char *p = pattern, *s = path;
    int ncap = 0;
    char *tmp[SERVER_MAX_CAPTURES] = {0};

    if (*p != '/' || *s != '/') return 0;
    for (;;) {
        p++;
        s++;
        const char *pe = strchr(p, '/');
        size_t plen = pe ? (size_t)(pe - p) : strlen(p);
        const char *se = strchr(s, '/');
        size_t slen = se ? (size_t)(se - s) : strlen(s);

        if (plen == 2 && p[0] == '*' && p[1] == '*' && !pe) {
            if (ncap >= SERVER_MAX_CAPTURES || !(tmp[ncap] = strdup(s))) goto bad;
            ncap++;
            break;
        }
        if (plen == 1 && p[0] == '*') {
            if (slen == 0) goto nomatch;
            if (ncap >= SERVER_MAX_CAPTURES || !(tmp[ncap] = strndup(s, slen))) goto bad;
            ncap++;
        } else if (!seg_match(p, plen, s, slen)) {
            goto nomatch;
        }
        if (!pe && !se) break;
        if (!pe || !se) goto nomatch;
        p = pe;
        s = se;
    }
    for (int i = 0; i < SERVER_MAX_CAPTURES; i++)
        caps[i] = tmp[i];
    return 1;
nomatch:
    for (int i = 0; i < ncap; i++)
        free(tmp[i]);
    return 0;
bad:
    for (int i = 0; i < SERVER_MAX_CAPTURES; i++)
        free(tmp[i]);
    return -1;
}

int server_route_add(struct server *srv, enum server_vhost vh, const struct server_route *r)
{
    struct route_table *t = &srv->routes[vh];
    struct route *nv = realloc(t->v, (t->n + 1) * sizeof *nv);

    if (!nv) return -1;
    t->v = nv;
    struct route *x = &t->v[t->n];
    memset(x, 0, sizeof *x);
    x->method = r->method ? strdup(r->method) : NULL;
    x->pattern = strdup(r->pattern);
    if ((r->method && !x->method) || !x->pattern) {
        free(x->method);
        free(x->pattern);
        return -1;
    }
    x->handler = r->handler;
    x->ud = r->ud;
    x->body_mode = r->body_mode;
    x->max_body = r->max_body ? r->max_body : SERVER_DEFAULT_MAX_BODY;
    t->n++;
    return 0;
}

void server_set_fallback(struct server *srv, enum server_vhost vh, const struct server_route *r)
{
    struct route_table *t = &srv->routes[vh];
    t->fallback.handler = r->handler;
    t->fallback.ud = r->ud;
    t->fallback.body_mode = r->body_mode;
    t->fallback.max_body = r->max_body ? r->max_body : SERVER_DEFAULT_MAX_BODY;
    t->has_fallback = true;
}

/* ------------------------------------------------------------------ requests */

static void req_free(struct server_request *req)
{
    http_head_free(&req->head);
    query_free(&req->query);
    for (int i = 0; i < SERVER_MAX_CAPTURES; i++)
        free(req->captures[i]);
    buf_free(&req->body);
    buf_free(&req->resp_hdrs);
    if (req->file_fd >= 0) close(req->file_fd);
    free(req);
}

enum server_vhost server_request_vhost(const struct server_request *req)
{
    return req->vh;
}

const char *server_request_method(const struct server_request *req)
{
    return req->method;
}

const char *server_request_path(const struct server_request *req)
{
    return req->head.path ? req->head.path : "/";
}

const char *server_request_query_raw(const struct server_request *req)
{
    return req->head.query ? req->head.query : "";
}

struct query *server_request_query_all(struct server_request *req)
{
    if (req->query_state == 0) {
        struct error err;
        const char *raw = server_request_query_raw(req);
        req->query_state = query_parse(&req->query, raw, strlen(raw), &err) < 0 ? -1 : 1;
    }
    return req->query_state > 0 ? &req->query : NULL;
}

const char *server_request_query(struct server_request *req, const char *name)
{
    struct query *q = server_request_query_all(req);
    return q ? query_get(q, name) : NULL;
}

const char *server_request_capture(const struct server_request *req, int i)
{
    if (i < 0 || i >= SERVER_MAX_CAPTURES) return NULL;
    return req->captures[i];
}

const char *server_request_header(struct server_request *req, const char *lname)
{
    return http_head_get(&req->head, lname);
}

int server_request_headers_prefixed(struct server_request *req, const char *prefix,
                                    void (*fn)(void *ud, const char *name, const char *value),
                                    void *ud)
{
    size_t plen = strlen(prefix);
    int count = 0;
    for (size_t i = 0; i < req->head.n_fields; i++) {
        const struct http_field *f = &req->head.fields[i];
        if (strlen(f->name) > plen && strncmp(f->name, prefix, plen) == 0) {
            fn(ud, f->name + plen, f->value);
            count++;
        }
    }
    return count;
}

const char *server_request_body(const struct server_request *req, size_t *len)
{
    if (len) *len = req->body.len;
    return buf_cstr(&req->body);
}

int64_t server_request_content_length(const struct server_request *req)
{
    return req->content_length;
}

bool server_request_is_chunked(const struct server_request *req)
{
    return req->chunked;
}

const char *server_request_peer(const struct server_request *req)
{
    return req->conn ? req->conn->peer : "";
}

void server_request_set_ud(struct server_request *req, void *ud)
{
    req->ud = ud;
}

void *server_request_get_ud(const struct server_request *req)
{
    return req->ud;
}

void server_request_set_body_cb(struct server_request *req, server_body_data_fn on_data,
                                server_body_end_fn on_end, void *ud)
{
    req->on_data = on_data;
    req->on_end = on_end;
    req->body_ud = ud;
}

void server_request_pause_body(struct server_request *req, bool paused)
{
    struct conn *c = req->conn;
    if (!c || c->req != req || c->paused == paused) return;
    c->paused = paused;
    conn_rx_update(c);
    if (!paused) conn_wake(c); /* the writeable turn feeds what was buffered meanwhile */
}

void server_request_set_close_cb(struct server_request *req, server_close_fn fn, void *ud)
{
    req->on_close = fn;
    req->close_ud = ud;
}

/* ------------------------------------------------------------------ responses */

static const char *reason_phrase(int status)
{
    static const struct {
        int code;
        const char *text;
    } r[] = {
        {100, "Continue"},
        {200, "OK"},
        {201, "Created"},
        {202, "Accepted"},
        {204, "No Content"},
        {206, "Partial Content"},
        {301, "Moved Permanently"},
        {302, "Found"},
        {304, "Not Modified"},
        {400, "Bad Request"},
        {401, "Unauthorized"},
        {403, "Forbidden"},
        {404, "Not Found"},
        {405, "Method Not Allowed"},
        {406, "Not Acceptable"},
        {408, "Request Timeout"},
        {409, "Conflict"},
        {410, "Gone"},
        {411, "Length Required"},
        {412, "Precondition Failed"},
        {413, "Content Too Large"},
        {414, "URI Too Long"},
        {415, "Unsupported Media Type"},
        {416, "Range Not Satisfiable"},
        {422, "Unprocessable Content"},
        {429, "Too Many Requests"},
        {431, "Request Header Fields Too Large"},
        {500, "Internal Server Error"},
        {501, "Not Implemented"},
        {502, "Bad Gateway"},
        {503, "Service Unavailable"},
        {504, "Gateway Timeout"},
        {505, "HTTP Version Not Supported"},
        {507, "Insufficient Storage"},
    };
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
        if (r[i].code == status) return r[i].text;
    return "";
}

int server_add_header(struct server_request *req, const char *name, const char *value)
{
    if (req->responded) return -1;
    char lname[80];
    size_t n = strlen(name);
    if (n == 0 || n + 2 > sizeof lname) return -1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c <= 0x20 || c >= 0x7f || c == ':') return -1;
        lname[i] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
    }
    lname[n] = ':';
    lname[n + 1] = '\0';
    for (const char *v = value; *v; v++)
        if (*v == '\r' || *v == '\n') return -1; /* no header injection */
    if (buf_append(&req->resp_hdrs, lname, n + 2) < 0 ||
        buf_append(&req->resp_hdrs, value, strlen(value) + 1) < 0)
        return -1;
    return 0;
}

/* Status line and headers into the connection's queue. len < 0: a stream. */
static int queue_headers(struct server_request *req, const char *content_type, int64_t len)
{
    struct buf *o = &req->conn->out;
    int rc = buf_printf(o, "HTTP/1.%d %d %s\r\n", req->http10 ? 0 : 1, req->status,
                        reason_phrase(req->status));
    if (content_type && !strpbrk(content_type, "\r\n"))
        rc |= buf_printf(o, "content-type: %s\r\n", content_type);
    if (len < 0) {
        if (!req->http10) rc |= buf_append_str(o, "transfer-encoding: chunked\r\n");
    } else if (req->status != 204 && req->status != 304) {
        rc |= buf_printf(o, "content-length: %lld\r\n", (long long)len);
    }
    if (req->close_after) rc |= buf_append_str(o, "connection: close\r\n");
    for (size_t off = 0; off < req->resp_hdrs.len;) {
        const char *name = req->resp_hdrs.data + off;
        const char *val = name + strlen(name) + 1;
        off = (size_t)(val - req->resp_hdrs.data) + strlen(val) + 1;
        rc |= buf_printf(o, "%s %s\r\n", name, val);
    }
    rc |= buf_append_str(o, "\r\n");
    return rc < 0 ? -1 : 0;
}

static int respond_common(struct server_request *req, int status)
{
    if (req->responded) return -1;
    req->responded = true;
    req->status = status;
    /* An answer given before the body was read (errors, 413): the rest of the body would be
     * read as the next request, so close the connection afterwards. A streaming handler may
     * answer early and still want its body: it keeps getting on_data/on_end. */
    if (!req->body_done) {
        req->close_after = true;
        if (!req->route || req->route->body_mode != SERVER_BODY_STREAM || !req->handler_ran)
            req->discard_body = true;
    }
    if (req->http10) req->close_after = true;
    return 0;
}

int server_respond(struct server_request *req, int status, const char *content_type,
                   const void *body, size_t len)
{
    if (respond_common(req, status) < 0) return -1;
    if (!req->conn) return 0;
    if (queue_headers(req, content_type, (int64_t)len) < 0 ||
        (len && !req->head_only && buf_append(&req->conn->out, body, len) < 0))
        req->close_after = true; /* out of memory: the client sees the connection end */
    conn_wake(req->conn);
    return 0;
}

int server_respond_fd(struct server_request *req, int status, const char *content_type, int fd,
                      int64_t offset, int64_t len)
{
    if (req->responded || offset < 0 || len < 0) return -1;
    int dup = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (dup < 0) return -1;
    respond_common(req, status);
    req->file_fd = dup;
    req->file_off = offset;
    req->file_left = req->head_only ? 0 : len;
    if (!req->conn) return 0;
    if (len >= (int64_t)SENDFILE_PIECE) {
        /* a big file: a deeper socket buffer means fewer wakeups of a busy loop per GiB
         * (strace, 1 GiB under load: 302 instead of 471 full-socket stalls) */
        int sz = FILE_SNDBUF;
        setsockopt(lws_get_socket_fd(req->conn->wsi), SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
    }
    if (queue_headers(req, content_type, len) < 0) req->close_after = true;
    conn_wake(req->conn);
    return 0;
}

int server_respond_json(struct server_request *req, int status, cJSON *json)
{
    char *s = json ? cJSON_PrintUnformatted(json) : NULL;
    int rc;

    cJSON_Delete(json);
    if (!s)
        return server_respond(req, 500, "application/json",
                              "{\"code\":500,\"message\":\"out of memory\"}", 38);
    rc = server_respond(req, status, "application/json", s, strlen(s));
    free(s);
    return rc;
}

int server_respond_error(struct server_request *req, int status, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    cJSON *o = cJSON_CreateObject();

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* Messages quote request values (template names, paths): invalid UTF-8 from the client, or
     * a character cut by the truncation above, would make the JSON invalid, and controls would
     * reach whoever shows the message. The sanitizer repairs and strips both. */
    char *clean = sanitize_dup(msg, 0);
    if (o) {
        cJSON_AddNumberToObject(o, "code", status);
        cJSON_AddStringToObject(o, "message", clean ? clean : "error");
    }
    free(clean);
    return server_respond_json(req, status, o);
}

bool server_responded(const struct server_request *req)
{
    return req->responded;
}

int server_stream_begin(struct server_request *req, int status, const char *content_type,
                        server_drain_fn on_drain, void *ud)
{
    if (respond_common(req, status) < 0) return -1;
    req->streaming = true;
    req->on_drain = on_drain;
    req->drain_ud = ud;
    if (!req->conn) return 0;
    if (req->http10) req->close_after = true; /* the body ends with the connection */
    if (queue_headers(req, content_type, -1) < 0) req->close_after = true;
    /* a long-lived answer (a PTY, a watch) is not an idle connection */
    if (req->body_done) lws_set_timeout(req->conn->wsi, NO_PENDING_TIMEOUT, 0);
    conn_wake(req->conn);
    return 0;
}

int server_stream_write(struct server_request *req, const void *data, size_t len)
{
    if (!req->streaming || req->stream_ended) return -1;
    if (len == 0 || !req->conn || req->head_only) return 0;
    struct buf *o = &req->conn->out;
    if (req->http10) {
        if (buf_append(o, data, len) < 0) return -1;
    } else if (buf_printf(o, "%zx\r\n", len) < 0 || buf_append(o, data, len) < 0 ||
               buf_append(o, "\r\n", 2) < 0) {
        return -1;
    }
    conn_wake(req->conn);
    return 0;
}

size_t server_stream_queued(const struct server_request *req)
{
    return req->conn ? req->conn->out.len - req->conn->out_off : 0;
}

int server_stream_end(struct server_request *req)
{
    if (!req->streaming || req->stream_ended) return -1;
    req->stream_ended = true;
    if (!req->conn) return 0;
    if (!req->http10 && !req->head_only && buf_append(&req->conn->out, "0\r\n\r\n", 5) < 0)
        req->close_after = true;
    conn_wake(req->conn);
    return 0;
}

int server_stream_cut(struct server_request *req)
{
    if (!req->streaming || req->stream_ended) return -1;
    req->stream_ended = true; /* no terminating chunk: what is queued goes, then the close */
    req->close_after = true;
    if (req->conn) conn_wake(req->conn);
    return 0;
}

static bool response_complete(const struct server_request *req)
{
    return req->responded && (!req->streaming || req->stream_ended) && req->file_left == 0;
}

/* ------------------------------------------------------------------ body */

static void body_complete(struct server_request *req)
{
    req->body_done = true;
    if (req->discard_body) return;
    if (req->route && req->route->body_mode == SERVER_BODY_STREAM) {
        if (req->on_end) req->on_end(req, 0, req->body_ud);
        return;
    }
    req_dispatch(req);
}

static int body_bytes(void *ud, const char *data, size_t len)
{
    struct server_request *req = ud;

    req->body_seen += (int64_t)len;
    if (req->discard_body) return 0;
    if (req->route && req->route->body_mode == SERVER_BODY_STREAM) {
        if (req->on_data && req->on_data(req, data, len, req->body_ud) != 0) {
            req->discard_body = true;
            if (!req->responded) server_respond_error(req, 400, "request body rejected");
            req->close_after = true;
        }
        return 0;
    }
    if (req->body.len + len > req->max_body) {
        server_respond_error(req, 413, "request body too large (limit %zu bytes)", req->max_body);
        req->discard_body = true;
        return 0;
    }
    if (buf_append(&req->body, data, len) < 0) {
        server_respond_error(req, 500, "out of memory");
        req->discard_body = true;
    }
    return 0;
}

static void body_fail(struct server_request *req, const char *why)
{
    req->body_error = true;
    req->body_done = true;
    req->close_after = true;
    if (!req->discard_body && req->route && req->route->body_mode == SERVER_BODY_STREAM &&
        req->on_end)
        req->on_end(req, -EPROTO, req->body_ud);
    req->discard_body = true;
    if (!req->responded) server_respond_error(req, 400, "malformed request body: %s", why);
}

/* Hand body bytes to the request; returns how many belonged to its body. */
static size_t body_feed(struct server_request *req, const char *in, size_t len)
{
    if (req->chunked) {
        size_t used = 0;
        int rc = chunked_feed(&req->dec, in, len, &used, body_bytes, req);
        if (rc < 0) {
            body_fail(req, req->dec.error ? req->dec.error : "bad chunked framing");
            return len; /* the connection closes: the rest means nothing */
        }
        if (chunked_done(&req->dec)) body_complete(req);
        return used;
    }
    uint64_t left = (uint64_t)(req->content_length - req->body_seen);
    size_t take = left < len ? (size_t)left : len;
    body_bytes(req, in, take);
    if (req->body_seen == req->content_length) body_complete(req);
    return take;
}

/* ------------------------------------------------------------------ dispatch */

static int req_dispatch(struct server_request *req)
{
    if (req->handler_ran) return 0;
    req->handler_ran = true;
    int rc = req->route->handler(req, req->route->ud);
    if (rc < 0 && !req->responded) server_respond_error(req, 500, "internal error");
    return 0;
}

static bool known_method(const char *m)
{
    static const char *const ok[] = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (strcmp(m, ok[i]) == 0) return true;
    return false;
}

/* Body framing from the headers (RFC 9112 §6). 0, or answered (an error). */
static int req_framing(struct server_request *req)
{
    const char *te = http_head_get(&req->head, "transfer-encoding");
    const char *cl = http_head_get(&req->head, "content-length");
    if (te) {
        if (http_head_count(&req->head, "transfer-encoding") != 1 || strcasecmp(te, "chunked")) {
            req->body_done = true;
            req->close_after = true;
            server_respond_error(req, 501, "unsupported transfer-encoding");
            return -1;
        }
        req->chunked = true;
        if (cl) req->close_after = true; /* both: chunked wins, the connection is not trusted */
        chunked_init(&req->dec);
        return 0;
    }
    if (cl) {
        long long v;
        for (size_t i = 0; i < req->head.n_fields; i++) /* repeated: all must agree */
            if (strcmp(req->head.fields[i].name, "content-length") == 0 &&
                strcmp(req->head.fields[i].value, cl) != 0)
                cl = "";
        if (query_parse_int64(cl, &v) < 0 || v < 0) {
            req->body_done = true;
            req->close_after = true;
            server_respond_error(req, 400, "invalid content-length");
            return -1;
        }
        req->content_length = v;
    }
    if (req->content_length <= 0) req->body_done = true;
    return 0;
}

/* A request head arrived on c (head is taken over). Creates c->req and routes it. Returns -1
 * only when out of memory (the connection is then dropped). */
static int req_start(struct conn *c, struct http_head *head, int head_status, const char *why)
{
    struct server *srv = c->srv;
    struct server_request *req = calloc(1, sizeof *req);
    struct route_table *t = &srv->routes[c->vh];
    bool path_matched = false;

    if (!req) {
        http_head_free(head);
        return -1;
    }
    req->srv = srv;
    req->conn = c;
    req->vh = c->vh;
    req->head = *head;
    memset(head, 0, sizeof *head);
    req->content_length = -1;
    req->file_fd = -1;
    req->http10 = req->head.minor == 0;
    snprintf(req->method, sizeof req->method, "%s", req->head.method);
    req->head_only = strcmp(req->method, "HEAD") == 0;
    c->req = req;
    req->next = srv->active;
    if (srv->active) srv->active->prev = req;
    srv->active = req;
    if (req->http10) req->close_after = true;

    if (head_status) {
        /* unreadable head: its body framing is unknown, so the connection ends after this */
        req->body_done = true;
        req->close_after = true;
        server_respond_error(req, head_status, "%s", why);
        return 0;
    }
    if (req_framing(req) < 0) return 0;
    const char *conn_hdr = http_head_get(&req->head, "connection");
    if (conn_hdr && strcasestr(conn_hdr, "close")) req->close_after = true;

    if (!known_method(req->method)) {
        server_respond_error(req, 405, "method not allowed");
        return 0;
    }
    for (size_t i = 0; i < t->n; i++) {
        char *caps[SERVER_MAX_CAPTURES] = {0};
        int m = pattern_match(t->v[i].pattern, req->head.path, caps);
        if (m < 0) {
            server_respond_error(req, 500, "out of memory");
            return 0;
        }
        if (m == 0) continue;
        path_matched = true;
        if (t->v[i].method && strcmp(t->v[i].method, req->method) != 0) {
            for (int k = 0; k < SERVER_MAX_CAPTURES; k++)
                free(caps[k]);
            continue;
        }
        memcpy(req->captures, caps, sizeof caps);
        req->route = &t->v[i];
        break;
    }
    if (!req->route) {
        if (path_matched) {
            server_respond_error(req, 405, "method %s not allowed on %s", req->method,
                                 req->head.path);
            return 0;
        }
        if (!t->has_fallback) {
            server_respond_error(req, 404, "no route for %s %s", req->method, req->head.path);
            return 0;
        }
        req->route = &t->fallback;
    }
    req->max_body = req->route->max_body;
    if (req->route->body_mode == SERVER_BODY_BUFFER && req->content_length >= 0 &&
        (uint64_t)req->content_length > req->max_body) {
        server_respond_error(req, 413, "request body too large (limit %zu bytes)", req->max_body);
        return 0;
    }
    /* Expect: 100-continue (libcurl's default for unknown-size uploads): the client waits
     * for this before sending the body, so it goes out before the handler's answer. */
    const char *expect = http_head_get(&req->head, "expect");
    if (expect && strcasecmp(expect, "100-continue") == 0 && !req->body_done && !req->http10) {
        buf_append_str(&c->out, "HTTP/1.1 100 Continue\r\n\r\n");
        conn_wake(c);
    }
    if (req->route->body_mode == SERVER_BODY_STREAM || req->body_done) req_dispatch(req);
    if (req->body_done && req->route->body_mode == SERVER_BODY_STREAM && req->on_end &&
        !req->discard_body && c->req == req)
        req->on_end(req, 0, req->body_ud); /* no body at all */
    return 0;
}

/* The request is over (response sent, or connection gone): tell the owner, free it. */
static void req_finish(struct server_request *req, bool conn_closing)
{
    struct conn *c = req->conn;

    if (conn_closing && !req->body_done && !req->discard_body && req->route &&
        req->route->body_mode == SERVER_BODY_STREAM && req->on_end && req->handler_ran) {
        req->body_done = true;
        req->on_end(req, -ECONNRESET, req->body_ud);
    }
    req->conn = NULL;
    if (c && c->req == req) {
        c->req = NULL;
        c->paused = false;
    }
    if (req->prev)
        req->prev->next = req->next;
    else if (req->srv->active == req)
        req->srv->active = req->next;
    if (req->next) req->next->prev = req->prev;
    req->prev = req->next = NULL;
    if (req->on_close) req->on_close(req, req->close_ud);
    req_free(req);
}

void server_close_requests(struct server *srv)
{
    while (srv->active) {
        struct server_request *req = srv->active;
        struct conn *c = req->conn;
        req_finish(req, true);
        if (c && c->wsi)
            lws_set_timeout(c->wsi, PENDING_TIMEOUT_AWAITING_PROXY_RESPONSE, LWS_TO_KILL_ASYNC);
    }
}

/* ------------------------------------------------------------------ connections */

static void conn_rearm_fire(lws_sorted_usec_list_t *sul)
{
    struct conn *c = (struct conn *)sul;
    if (c->wsi && !c->lingering) lws_callback_on_writable(c->wsi);
}

/* lws's RAW_FILE role clears POLLOUT after the writeable callback returns (ops-raw-file.c), so
 * a wakeup asked for inside it would be lost: it is asked for again from a timer right after. */
static void conn_wake(struct conn *c)
{
    if (!c->wsi || c->lingering) return;
    if (c->in_writeable)
        c->want_write = true;
    else
        lws_callback_on_writable(c->wsi);
}

static size_t conn_in_pending(const struct conn *c)
{
    return c->in.len - c->in_off;
}

/* Read from the socket only while the bytes have somewhere to go. */
static void conn_rx_update(struct conn *c)
{
    bool want = true;
    if (!c->lingering) {
        if (c->paused)
            want = false;
        else if (c->req && c->req->body_done && conn_in_pending(c) >= PIPELINE_MAX)
            want = false; /* pipelined requests wait for the current one */
    }
    if (!c->wsi || want == !c->rx_off) return;
    c->rx_off = !want;
    lws_rx_flow_control(c->wsi, want ? 1 : 0);
}

/* Idle limits: waiting for a request or its body; none while the answer is being made. */
static void conn_timeout_update(struct conn *c)
{
    if (c->lingering || !c->wsi) return;
    if (!c->req)
        lws_set_timeout(c->wsi, PENDING_TIMEOUT_HTTP_KEEPALIVE_IDLE, IDLE_SECS);
    else if (!c->req->body_done)
        lws_set_timeout(c->wsi, PENDING_TIMEOUT_HTTP_CONTENT, IDLE_SECS);
    else
        lws_set_timeout(c->wsi, NO_PENDING_TIMEOUT, 0);
}

/* Parse and feed what c->in holds, as far as the current request allows. */
static int conn_process(struct conn *c)
{
    while (!c->lingering) {
        size_t avail = conn_in_pending(c);
        const char *p = c->in.data + c->in_off;
        struct server_request *req = c->req;
        if (!req) {
            if (!avail) break;
            size_t end = http_head_end(p, avail);
            if (!end && avail <= HTTP_HEAD_MAX) break;
            struct http_head h;
            const char *why = "request head too large";
            int st = 431;
            if (end && end <= HTTP_HEAD_MAX) {
                st = http_head_parse(&h, p, end, &why);
            } else {
                memset(&h, 0, sizeof h);
                h.minor = 1;
            }
            c->in_off += end && end <= HTTP_HEAD_MAX ? end : avail;
            if (req_start(c, &h, st, why) < 0) return -1;
            continue;
        }
        if (req->body_done || c->paused || !avail) break;
        size_t k = body_feed(req, p, avail);
        c->in_off += k;
        if (!k) break;
    }
    if (c->in_off == c->in.len) {
        if (c->in.cap > PIPELINE_MAX + HTTP_HEAD_MAX)
            buf_free(&c->in);
        else
            buf_reset(&c->in);
        c->in_off = 0;
    } else if (c->in_off > (64u << 10)) {
        buf_consume(&c->in, c->in_off);
        c->in_off = 0;
    }
    conn_rx_update(c);
    return 0;
}

/* Bytes read from the socket: straight into the body when nothing waits before them. */
static int conn_input(struct conn *c, const char *data, size_t n)
{
    if (!conn_in_pending(c) && c->req && !c->req->body_done && !c->paused) {
        size_t k = body_feed(c->req, data, n);
        data += k;
        n -= k;
    }
    if (n && buf_append(&c->in, data, n) < 0) return -1;
    return conn_process(c);
}

/* Our answer is out but the connection cannot carry another request: shut down our side and
 * read (and drop) whatever the client still sends, so it reads our status rather than a reset,
 * until it closes or LINGER_SECS pass. */
static int conn_linger(struct conn *c)
{
    c->lingering = true;
    c->paused = false;
    buf_free(&c->in);
    buf_free(&c->out);
    c->in_off = c->out_off = 0;
    if (shutdown(lws_get_socket_fd(c->wsi), SHUT_WR) < 0) return -1;
    conn_rx_update(c);
    lws_set_timeout(c->wsi, PENDING_TIMEOUT_CLOSE_SEND, LINGER_SECS);
    return 0;
}

static int conn_readable(struct conn *c)
{
    int fd = lws_get_socket_fd(c->wsi);
    char *buf = c->srv->scratch;
    for (int i = 0; i < READS_PER_TURN; i++) {
        ssize_t n = recv(fd, buf, READ_PIECE, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) break;
            return -1;
        }
        if (n == 0) return -1; /* the client is gone */
        if (c->lingering) continue;
        if (conn_input(c, buf, (size_t)n) < 0) return -1;
        if (c->rx_off || c->lingering || (size_t)n < READ_PIECE) break;
    }
    conn_timeout_update(c);
    return 0;
}

/* Write what is queued, keep streams topped up, finish the request once its answer is out. */
static int conn_writeable_turn(struct conn *c);

static int conn_writeable(struct conn *c)
{
    c->in_writeable = true;
    c->want_write = false;
    int rc = conn_writeable_turn(c);
    c->in_writeable = false;
    if (rc == 0 && c->want_write && !c->lingering)
        lws_sul_schedule(c->srv->ctx, 0, &c->rearm, conn_rearm_fire, 1);
    return rc;
}

/* A file body: 0 when all sent, 1 when the socket is full, -1 to cut the connection (an error,
 * or the file ended early: a short body must not look complete). */
static int conn_sendfile(struct conn *c, struct server_request *req, int sock)
{
    (void)c;
    while (req->file_left > 0) {
        off_t off = (off_t)req->file_off;
        size_t n =
            req->file_left > (int64_t)SENDFILE_PIECE ? SENDFILE_PIECE : (size_t)req->file_left;
        ssize_t w = sendfile(sock, req->file_fd, &off, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) return 1;
            return -1;
        }
        if (w == 0) return -1;
        req->file_off = (int64_t)off;
        req->file_left -= w;
    }
    close(req->file_fd);
    req->file_fd = -1;
    return 0;
}

static int conn_writeable_turn(struct conn *c)
{
    int fd = lws_get_socket_fd(c->wsi);
    if (c->lingering) return 0;
    for (int round = 0; round < 64; round++) {
        size_t pending = c->out.len - c->out_off;
        while (pending) {
            ssize_t w = send(fd, c->out.data + c->out_off, pending, MSG_NOSIGNAL);
            if (w < 0) {
                if (errno == EINTR) continue;
                if (errno == EAGAIN || errno == EWOULDBLOCK) break;
                return -1;
            }
            c->out_off += (size_t)w;
            pending -= (size_t)w;
        }
        if (!pending) {
            if (c->out.cap > OUT_KEEP)
                buf_free(&c->out);
            else
                buf_reset(&c->out);
            c->out_off = 0;
        } else if (c->out_off > (256u << 10) && c->out_off * 2 > c->out.len) {
            buf_consume(&c->out, c->out_off);
            c->out_off = 0;
        }
        struct server_request *req = c->req;
        if (!pending && req && req->file_left > 0) {
            int rc = conn_sendfile(c, req, fd);
            if (rc < 0) return -1;
            if (rc > 0) break; /* the socket is full */
        }
        size_t before = c->out.len;
        if (req && req->streaming && !req->stream_ended && req->on_drain &&
            pending < SERVER_STREAM_LOW_WATER)
            req->on_drain(req, req->drain_ud);
        if (pending || c->out.len == before) break;
    }
    if (c->out.len > c->out_off || (c->req && c->req->file_left > 0)) {
        conn_wake(c);
        return 0;
    }
    struct server_request *req = c->req;
    if (req && response_complete(req)) {
        bool reuse = !req->close_after && req->body_done && !req->body_error;
        req_finish(req, false);
        if (!reuse) return conn_linger(c);
        conn_timeout_update(c);
        return conn_process(c); /* a pipelined request may be waiting */
    }
    if (req && !c->paused && !req->body_done && conn_in_pending(c)) return conn_process(c);
    return 0;
}

static void conn_closed(struct conn *c)
{
    struct server *srv = c->srv;
    c->wsi = NULL;
    lws_sul_schedule(srv->ctx, 0, &c->rearm, NULL, LWS_SET_TIMER_USEC_CANCEL);
    if (c->req) req_finish(c->req, true);
    if (c->prev)
        c->prev->next = c->next;
    else if (srv->conns == c)
        srv->conns = c->next;
    if (c->next) c->next->prev = c->prev;
    srv->n_conns--;
    buf_free(&c->in);
    buf_free(&c->out);
    free(c);
}

static void listener_accept(struct listener *l)
{
    struct server *srv = l->srv;
    int lfd = lws_get_socket_fd(l->wsi);
    for (int i = 0; i < 64; i++) {
        struct sockaddr_in sa;
        socklen_t sl = sizeof sa;
        int fd = accept4(lfd, (struct sockaddr *)&sa, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            break;
        }
        struct conn *c = srv->n_conns < srv->max_conns ? calloc(1, sizeof *c) : NULL;
        if (!c) {
            close(fd); /* over the limit: the client sees a refused connection */
            continue;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        c->srv = srv;
        c->vh = l->vh;
        if (sa.sin_family == AF_INET) inet_ntop(AF_INET, &sa.sin_addr, c->peer, sizeof c->peer);
        lws_sock_file_fd_type u;
        u.filefd = fd;
        c->wsi = lws_adopt_descriptor_vhost(srv->vhost, LWS_ADOPT_RAW_FILE_DESC, u, "boxtopd-conn",
                                            NULL);
        if (!c->wsi) {
            close(fd);
            free(c);
            continue;
        }
        lws_set_opaque_user_data(c->wsi, c);
        c->next = srv->conns;
        if (srv->conns) srv->conns->prev = c;
        srv->conns = c;
        srv->n_conns++;
        conn_timeout_update(c);
    }
}

/* ------------------------------------------------------------------ lws callbacks */

static int cb_conn(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                   size_t len)
{
    struct conn *c = lws_get_opaque_user_data(wsi);
    (void)user;
    (void)in;
    (void)len;
    switch (reason) {
    case LWS_CALLBACK_RAW_RX_FILE:
        return c ? conn_readable(c) : 0;
    case LWS_CALLBACK_RAW_WRITEABLE_FILE:
        return c ? conn_writeable(c) : 0;
    case LWS_CALLBACK_RAW_CLOSE_FILE:
        if (c) {
            lws_set_opaque_user_data(wsi, NULL);
            conn_closed(c);
        }
        return 0;
    default:
        return 0;
    }
}

static int cb_listen(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                     size_t len)
{
    struct listener *l = lws_get_opaque_user_data(wsi);
    (void)user;
    (void)in;
    (void)len;
    if (reason == LWS_CALLBACK_RAW_RX_FILE && l) listener_accept(l);
    if (reason == LWS_CALLBACK_RAW_CLOSE_FILE && l) {
        lws_set_opaque_user_data(wsi, NULL);
        l->wsi = NULL;
    }
    return 0;
}

static int cb_fd(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                 size_t len)
{
    struct server_fd *w = lws_get_opaque_user_data(wsi);

    (void)user;
    (void)in;
    (void)len;
    switch (reason) {
    case LWS_CALLBACK_RAW_RX_FILE:
        if (w && !w->dead) w->fn(w, w->fd, SERVER_FD_READABLE, w->ud);
        return 0;
    case LWS_CALLBACK_RAW_CLOSE_FILE:
        if (w) {
            lws_set_opaque_user_data(wsi, NULL);
            if (!w->dead) w->fn(w, w->fd, SERVER_FD_CLOSED, w->ud);
            free(w);
        }
        return 0;
    default:
        return 0;
    }
}

struct server_fd *server_watch_fd(struct server *srv, int fd, server_fd_fn fn, void *ud)
{
    struct server_fd *w = calloc(1, sizeof *w);
    lws_sock_file_fd_type u;

    if (!w) return NULL;
    w->srv = srv;
    w->fd = fd;
    w->fn = fn;
    w->ud = ud;
    u.filefd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (u.filefd < 0) {
        free(w);
        return NULL;
    }
    w->wsi = lws_adopt_descriptor_vhost(srv->vhost, LWS_ADOPT_RAW_FILE_DESC, u, "boxtopd-fd", NULL);
    if (!w->wsi) {
        close(u.filefd);
        free(w);
        return NULL;
    }
    lws_set_opaque_user_data(w->wsi, w);
    return w;
}

void server_unwatch_fd(struct server_fd *w)
{
    if (!w || w->dead) return;
    w->dead = true;
    /* closes our dup and frees w from RAW_CLOSE_FILE, outside the caller's stack */
    lws_set_timeout(w->wsi, PENDING_TIMEOUT_AWAITING_PROXY_RESPONSE, LWS_TO_KILL_ASYNC);
}

static void timer_fire(lws_sorted_usec_list_t *sul)
{
    struct server_timer *t = (struct server_timer *)sul;
    t->fn(t, t->ud);
}

struct server_timer *server_timer_new(struct server *srv, server_timer_fn fn, void *ud)
{
    struct server_timer *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->srv = srv;
    t->fn = fn;
    t->ud = ud;
    return t;
}

void server_timer_start(struct server_timer *t, int64_t ms)
{
    lws_sul_schedule(t->srv->ctx, 0, &t->sul, timer_fire, (lws_usec_t)(ms < 0 ? 0 : ms) * 1000);
}

void server_timer_stop(struct server_timer *t)
{
    if (t) lws_sul_schedule(t->srv->ctx, 0, &t->sul, NULL, LWS_SET_TIMER_USEC_CANCEL);
}

void server_timer_free(struct server_timer *t)
{
    if (!t) return;
    server_timer_stop(t);
    free(t);
}

/* ------------------------------------------------------------------ context */

static void lws_log_to_ours(int level, const char *line)
{
    (void)level;
    (void)line; /* lws's own chatter is dropped; our log says what matters */
}

static int listen_on(struct server *srv, enum server_vhost vh, const struct server_listen *ls,
                     struct error *err)
{
    struct listener *l = &srv->listeners[vh];
    struct addrinfo hints = {
        .ai_family = AF_INET, .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV | AI_PASSIVE};
    struct addrinfo *ai = NULL;
    char port[16];
    snprintf(port, sizeof port, "%d", ls->port);
    l->srv = srv;
    l->vh = vh;
    if (getaddrinfo(ls->host, port, &hints, &ai) != 0 || !ai)
        return error_set(err, ERROR_GENERIC, "cannot resolve %s", ls->host);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    struct sockaddr_in sa;
    socklen_t sl = sizeof sa;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 1024) < 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &sl) < 0) {
        int e = errno;
        if (fd >= 0) close(fd);
        freeaddrinfo(ai);
        return error_set(err, ERROR_GENERIC, "cannot listen on %s:%d: %s", ls->host, ls->port,
                         strerror(e));
    }
    freeaddrinfo(ai);
    l->port = ntohs(sa.sin_port);
    lws_sock_file_fd_type u;
    u.filefd = fd;
    l->wsi =
        lws_adopt_descriptor_vhost(srv->vhost, LWS_ADOPT_RAW_FILE_DESC, u, "boxtopd-listen", NULL);
    if (!l->wsi) {
        close(fd);
        return error_set(err, ERROR_GENERIC, "cannot watch the %s:%d listener", ls->host, ls->port);
    }
    lws_set_opaque_user_data(l->wsi, l);
    return 0;
}

int server_new(struct server **out, const struct server_config *cfg, struct error *err)
{
    struct server *srv = calloc(1, sizeof *srv);
    struct lws_context_creation_info info;

    *out = NULL;
    if (!srv || !(srv->scratch = malloc(READ_PIECE))) {
        free(srv);
        return error_set(err, ERROR_GENERIC, "out of memory");
    }
    srv->log = cfg->log;
    srv->max_conns = cfg->max_connections > 0 ? cfg->max_connections : 1024;
    lws_set_log_level(LLL_ERR, lws_log_to_ours);

    memset(&info, 0, sizeof info);
    info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS | LWS_SERVER_OPTION_DISABLE_IPV6;
    info.user = srv;
    info.fd_limit_per_thread = (unsigned int)srv->max_conns + 256;
    srv->ctx = lws_create_context(&info);
    if (!srv->ctx) {
        free(srv->scratch);
        free(srv);
        return error_set(err, ERROR_GENERIC, "cannot create the lws context");
    }
    static const char *const names[] = {"boxtopd-conn", "boxtopd-listen", "boxtopd-fd"};
    lws_callback_function *const cbs[] = {cb_conn, cb_listen, cb_fd};
    for (int i = 0; i < 3; i++)
        srv->protocols[i] = (struct lws_protocols){.name = names[i], .callback = cbs[i]};
    memset(&srv->protocols[3], 0, sizeof srv->protocols[3]);
    memset(&info, 0, sizeof info);
    info.vhost_name = "boxtopd";
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = srv->protocols;
    info.options = LWS_SERVER_OPTION_DISABLE_IPV6;
    srv->vhost = lws_create_vhost(srv->ctx, &info);
    if (!srv->vhost) {
        error_set(err, ERROR_GENERIC, "cannot create the lws vhost");
        server_free(srv);
        return -1;
    }
    for (int v = 0; v < SERVER_VHOST_COUNT; v++) {
        if (listen_on(srv, (enum server_vhost)v, &cfg->listen[v], err) < 0) {
            server_free(srv);
            return -1;
        }
    }
    *out = srv;
    return 0;
}

int server_port(const struct server *srv, enum server_vhost vh)
{
    return srv->listeners[vh].port;
}

int server_run(struct server *srv)
{
    while (!srv->stop) {
        if (lws_service(srv->ctx, 0) < 0) break;
    }
    return 0;
}

void server_stop(struct server *srv)
{
    srv->stop = true;
    lws_cancel_service(srv->ctx);
}

void server_free(struct server *srv)
{
    if (!srv) return;
    if (srv->ctx) lws_context_destroy(srv->ctx); /* RAW_CLOSE_FILE runs for every connection */
    for (int v = 0; v < SERVER_VHOST_COUNT; v++) {
        for (size_t i = 0; i < srv->routes[v].n; i++) {
            free(srv->routes[v].v[i].method);
            free(srv->routes[v].v[i].pattern);
        }
        free(srv->routes[v].v);
    }
    free(srv->scratch);
    free(srv);
}
