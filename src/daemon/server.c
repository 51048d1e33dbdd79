/* server.c - boxtopd's HTTP/1.1 server, the request side: routing, request data, answers,
 * bodies (interface and lifecycle in server.h; sockets and the loop in server_conn.c).
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

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cJSON.h>

#include "boxtop/log.h"
#include "boxtop/sanitize.h"
#include "server_int.h"

static int req_dispatch(struct server_request *req);

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

void server_request_set_body_fd(struct server_request *req, int fd, server_body_sunk_fn on_sunk)
{
    if (req->chunked) return;
    req->sink_fd = fd;
    req->on_sunk = on_sunk;
}

void server_request_pause_body(struct server_request *req, bool paused)
{
    struct conn *c = req->conn;
    if (!c || c->req != req || c->paused == paused) return;
    c->paused = paused;
    server_conn_rx_update(c);
    if (!paused) server_conn_wake(c); /* the writeable turn feeds what was buffered meanwhile */
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
    server_conn_wake(req->conn);
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
    server_conn_wake(req->conn);
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

void server_request_error_code_string(struct server_request *req)
{
    req->error_code_string = true;
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
    if (o && req->error_code_string) {
        char code[16];
        snprintf(code, sizeof code, "%d", status);
        cJSON_AddStringToObject(o, "code", code);
    } else if (o) {
        cJSON_AddNumberToObject(o, "code", status);
    }
    if (o) cJSON_AddStringToObject(o, "message", clean ? clean : "error");
    free(clean);
    return server_respond_json(req, status, o);
}

bool server_responded(const struct server_request *req)
{
    return req->responded;
}

void server_request_hold(struct server_request *req)
{
    if (req->conn) lws_set_timeout(req->conn->wsi, NO_PENDING_TIMEOUT, 0);
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
    server_conn_wake(req->conn);
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
    server_conn_wake(req->conn);
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
    server_conn_wake(req->conn);
    return 0;
}

int server_stream_cut(struct server_request *req)
{
    if (!req->streaming || req->stream_ended) return -1;
    req->stream_ended = true; /* no terminating chunk: what is queued goes, then the close */
    req->close_after = true;
    if (req->conn) server_conn_wake(req->conn);
    return 0;
}

int server_response_cut(struct server_request *req)
{
    if (req->streaming) return server_stream_cut(req);
    if (req->file_left <= 0) return -1;
    req->file_cut = true;
    req->close_after = true;
    if (req->conn) server_conn_wake(req->conn);
    return 0;
}

bool server_response_complete(const struct server_request *req)
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

void server_request_drop_body(struct server_request *req)
{
    req->sink_fd = -1;
    req->on_sunk = NULL;
    req->discard_body = true;
    req->close_after = true;
    if (req->conn) server_conn_wake(req->conn);
}

bool server_body_sinking(const struct server_request *req)
{
    return req->sink_fd >= 0 && !req->chunked && !req->body_done && !req->discard_body &&
           req->route && req->route->body_mode == SERVER_BODY_STREAM &&
           req->body_seen < req->content_length;
}

void server_body_sunk(struct server_request *req, size_t written, int err)
{
    req->body_seen += (int64_t)written;
    if (err) req->sink_fd = -1; /* the rest comes through on_data */
    if (req->on_sunk && (written || err) && req->on_sunk(req, written, err, req->body_ud) != 0) {
        req->sink_fd = -1;
        req->discard_body = true;
        if (!req->responded) server_respond_error(req, 400, "request body rejected");
        req->close_after = true;
    }
    if (req->body_seen == req->content_length) body_complete(req);
}

/* Hand body bytes to the request; returns how many belonged to its body. */
size_t server_body_feed(struct server_request *req, const char *in, size_t len)
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
int server_req_start(struct conn *c, struct http_head *head, int head_status, const char *why)
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
    req->sink_fd = -1;
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
            /* the platform API (gin + the OpenAPI validator) answers a known path with a
             * wrong method 400 "method not allowed"; envd's router 405. Never the path. */
            if (req->vh == SERVER_VHOST_API)
                server_respond_error(req, 400, "validation error: method not allowed");
            else
                server_respond_error(req, 405, "method not allowed");
            return 0;
        }
        if (!t->has_fallback) {
            server_respond_error(req, 404, "not found"); /* never the path */
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
        server_conn_wake(c);
    }
    if (req->route->body_mode == SERVER_BODY_STREAM || req->body_done) req_dispatch(req);
    if (req->body_done && req->route->body_mode == SERVER_BODY_STREAM && req->on_end &&
        !req->discard_body && c->req == req)
        req->on_end(req, 0, req->body_ud); /* no body at all */
    return 0;
}

/* The request is over (response sent, or connection gone): tell the owner, free it. */
void server_req_finish(struct server_request *req, bool conn_closing)
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
        server_req_finish(req, true);
        if (c && c->wsi)
            lws_set_timeout(c->wsi, PENDING_TIMEOUT_AWAITING_PROXY_RESPONSE, LWS_TO_KILL_ASYNC);
    }
}
