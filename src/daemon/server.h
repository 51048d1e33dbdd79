/* server.h - boxtopd's HTTP/1.1 server: one event loop (libwebsockets 4.1 as the poll loop
 * only), one thread, two listeners.
 *
 * SERVER_VHOST_API serves the E2B platform API (--api-listen), SERVER_VHOST_ENVD serves envd
 * for every sandbox (--envd-listen). Both speak plain HTTP/1.1 with keep-alive; requests are
 * read by our own parser (http_head.h) and bodies by our own framing (Content-Length or
 * chunked.h, any size), so paths may hold encoded CR/LF, "//x" is not "/x", and an encoded
 * NUL in a path is a 400. Everything runs in one loop: sockets, adopted fds and timers.
 *
 * Routing. Modules register routes per vhost with server_route_add(). A pattern is an exact
 * path whose segments may be "*" (one segment, captured) or a final "**" (the rest, captured):
 * "/sandboxes/ * /pause" style ("/sandboxes/x/pause" captures "x"). Routes are tried in the
 * order added; the first whose pattern matches and whose method matches (NULL = any) wins. If
 * a pattern matched but no method did: 405. Nothing matched: the vhost's fallback handler
 * (server_set_fallback) or a JSON 404. The path is already percent-decoded with "." and ".."
 * segments resolved, so captures are plain strings (validate them anyway: they may hold any
 * byte but NUL).
 *
 * Request lifecycle (struct server_request, owned by the server; never free it):
 *   1. headers arrive; the route is chosen; `Expect: 100-continue` is answered right away.
 *   2. body: SERVER_BODY_BUFFER routes get the whole body in server_request_body() before the
 *      handler runs (over route.max_body, or SERVER_DEFAULT_MAX_BODY when 0 -> 413 JSON);
 *      SERVER_BODY_STREAM routes run the handler right after the headers, and the handler
 *      calls server_request_set_body_cb() to receive body bytes (chunked framing already
 *      removed; our own strict decoder, chunked.h) and the end of the body.
 *   3. the handler (now or later, e.g. from a fd or timer callback) answers exactly once:
 *      server_respond*() for a complete response, or server_stream_begin() for a streaming
 *      one (chunked framing written by us, keep-alive kept), fed by server_stream_write() and
 *      ended by server_stream_end().
 *   4. on_close (server_request_set_close_cb) runs exactly once when the request is finished
 *      or the connection dies (client gone, server shutdown). After it returns the request
 *      pointer is invalid: drop every reference to it there.
 *
 * Connections: HTTP/1.1 keep-alive (pipelining included), except that a request answered
 * before its body was read (413, auth errors), a malformed one, or HTTP/1.0 closes its
 * connection after the response; the close lingers (our side shut down, the client's late
 * bytes read and dropped for a while) so a client still sending reads the status, not EPIPE.
 *
 * Headers: server_request_header() takes a lowercase name without colon ("x-api-key",
 * "content-type", "lang_version") and gives the first such field; values live as long as the
 * request. A NUL byte inside a value arrives as 0x7f (see http_head.h).
 *
 * Streaming output: server_stream_write() queues bytes (framed as one chunk) and asks the loop
 * for a writeable callback; the queue is written as far as the socket takes it. Producers that
 * could outrun the socket (downloads, PTY floods) check server_stream_queued() and register
 * on_drain (server_stream_begin) to be called when the queue falls below
 * SERVER_STREAM_LOW_WATER. Wakeups are per request ("ready" flags), never per protocol.
 *
 * Other fds and timers in the same loop: server_watch_fd() adopts a pipe/PTY/inotify/signalfd
 * as an lws RAW_FILE; its callback runs on readable and once with SERVER_FD_CLOSED when lws
 * sees hangup (EOF arrives as hangup, libs-notes §4); after that call the watch is freed:
 * never pass it to server_unwatch_fd(). server_unwatch_fd() ends a live watch without a
 * callback. The fd is never closed by the server (lws gets a dup). server_timer_*() wrap
 * lws_sul; a timer callback may restart or free its own timer. */
#ifndef BOXTOPD_SERVER_H
#define BOXTOPD_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boxtop/error.h"

struct cJSON;
struct log;
struct server;
struct server_request;
struct server_fd;
struct server_timer;

enum server_vhost { SERVER_VHOST_API = 0, SERVER_VHOST_ENVD = 1, SERVER_VHOST_COUNT };

#define SERVER_DEFAULT_MAX_BODY (16u << 20) /* 16 MiB, E2B's API body limit */
#define SERVER_STREAM_LOW_WATER (64u << 10)
#define SERVER_MAX_CAPTURES     4

enum server_body_mode { SERVER_BODY_BUFFER = 0, SERVER_BODY_STREAM = 1 };

/* Runs when the route is chosen (STREAM) or the body is complete (BUFFER). Return 0 (the
 * handler answered or will answer later) or -1 (the server answers 500 if nothing was sent). */
typedef int (*server_handler_fn)(struct server_request *req, void *ud);

struct server_route {
    const char *method;  /* "GET", "POST", ...; NULL = any method */
    const char *pattern; /* see the top comment; copied */
    server_handler_fn handler;
    void *ud;
    enum server_body_mode body_mode;
    size_t max_body; /* BUFFER only; 0 = SERVER_DEFAULT_MAX_BODY */
};

struct server_listen {
    const char *host; /* "127.0.0.1" */
    int port;         /* 0 = pick a free port */
};

struct server_config {
    struct server_listen listen[SERVER_VHOST_COUNT];
    struct log *log;
    int max_connections; /* per process; 0 = 1024 */
};

int server_new(struct server **out, const struct server_config *cfg, struct error *err);
void server_free(struct server *srv); /* closes every connection (on_close runs) */
/* The bound port (useful after port 0). */
int server_port(const struct server *srv, enum server_vhost vh);
/* Serve until server_stop(); returns 0. */
int server_run(struct server *srv);
void server_stop(struct server *srv);
/* Finish every open request now (on_close runs for each; their connections are dropped).
 * For shutdown, before the modules that own request state go away. */
void server_close_requests(struct server *srv);

int server_route_add(struct server *srv, enum server_vhost vh, const struct server_route *r);
/* Handler for requests no route matched (replaces the JSON 404). */
void server_set_fallback(struct server *srv, enum server_vhost vh, const struct server_route *r);

/* ---- requests ---- */
enum server_vhost server_request_vhost(const struct server_request *req);
const char *server_request_method(const struct server_request *req);    /* "GET" */
const char *server_request_path(const struct server_request *req);      /* raw path, no query */
const char *server_request_query_raw(const struct server_request *req); /* "" when none */
/* Decoded query value (first occurrence) or NULL; parsed lazily; see query.h for more. */
const char *server_request_query(struct server_request *req, const char *name);
struct query *server_request_query_all(struct server_request *req); /* NULL if malformed */
/* i-th "*" or "**" segment captured by the route pattern, or NULL. */
const char *server_request_capture(const struct server_request *req, int i);
/* Lowercase name without colon. Returns the value (valid until the request ends) or NULL. */
const char *server_request_header(struct server_request *req, const char *lname);
/* Every custom (non-standard) header whose lowercase name starts with prefix ("x-metadata-"):
 * fn(ud, name without the prefix, value) in arrival order; returns how many, or -1. */
int server_request_headers_prefixed(struct server_request *req, const char *prefix,
                                    void (*fn)(void *ud, const char *name, const char *value),
                                    void *ud);
/* BUFFER mode: the whole body (NUL-terminated after len). */
const char *server_request_body(const struct server_request *req, size_t *len);
int64_t server_request_content_length(const struct server_request *req); /* -1 = unknown */
bool server_request_is_chunked(const struct server_request *req);
const char *server_request_peer(const struct server_request *req); /* "127.0.0.1" */

void server_request_set_ud(struct server_request *req, void *ud);
void *server_request_get_ud(const struct server_request *req);

/* STREAM mode: body bytes and the end of the body. on_data returning non-zero aborts the
 * request (the server answers 400 unless the handler already answered). on_end gets 0 or a
 * negative code when the body was malformed or the client vanished mid-body. */
typedef int (*server_body_data_fn)(struct server_request *req, const char *data, size_t len,
                                   void *ud);
typedef void (*server_body_end_fn)(struct server_request *req, int status, void *ud);
void server_request_set_body_cb(struct server_request *req, server_body_data_fn on_data,
                                server_body_end_fn on_end, void *ud);
/* Stop/restart reading the body from the socket (backpressure for slow sinks). */
void server_request_pause_body(struct server_request *req, bool paused);
/* STREAM mode with a Content-Length: the body bytes still in the socket go into fd by
 * splice(2) (socket -> pipe -> fd: no copy through our memory) instead of to on_data; bytes
 * that came in with the head still arrive through on_data first, so on_data must write to fd
 * at once, unbuffered. on_sunk reports each piece written (err 0) or a write error (an errno):
 * after an error nothing more is spliced and the rest of the body comes through on_data, as
 * it does, without an error, from a fd that cannot be spliced into (EINVAL). Non-zero from
 * on_sunk aborts the request as from on_data. Ignored for chunked bodies. */
typedef int (*server_body_sunk_fn)(struct server_request *req, size_t n, int err, void *ud);
void server_request_set_body_fd(struct server_request *req, int fd, server_body_sunk_fn on_sunk);

/* The handler wants no more of the body (its sink went away): what still comes is read and
 * dropped, nothing more is spliced, and the connection closes after the answer. */
void server_request_drop_body(struct server_request *req);

typedef void (*server_close_fn)(struct server_request *req, void *ud);
void server_request_set_close_cb(struct server_request *req, server_close_fn fn, void *ud);

/* ---- responses (exactly one per request) ---- */
/* Extra response header, before server_respond() or server_stream_begin(). Any case. */
int server_add_header(struct server_request *req, const char *name, const char *value);
int server_respond(struct server_request *req, int status, const char *content_type,
                   const void *body, size_t len);
/* A complete answer whose body is len bytes of the regular file fd from offset, sent with
 * sendfile(2) and a Content-Length. The server works on its own dup of fd. If the file turns
 * out shorter, the connection is cut (the client sees a short body, never a complete one).
 * Returns -1 (nothing sent) when fd cannot be duplicated. */
int server_respond_fd(struct server_request *req, int status, const char *content_type, int fd,
                      int64_t offset, int64_t len);
/* Takes ownership of json (freed). */
int server_respond_json(struct server_request *req, int status, struct cJSON *json);
/* {"code":status,"message":msg} */
/* From now on req's error bodies carry "code" as a string ("404"), as the volume content
 * API's schema says; otherwise a number (the platform API's Error). */
void server_request_error_code_string(struct server_request *req);
int server_respond_error(struct server_request *req, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool server_responded(const struct server_request *req);
/* The answer will come later than lws's 5 s request timeout allows (a create waiting for a
 * ready command): turn that timeout off for req. */
void server_request_hold(struct server_request *req);

typedef void (*server_drain_fn)(struct server_request *req, void *ud);
/* Headers now, body later (chunked). on_drain may be NULL. */
int server_stream_begin(struct server_request *req, int status, const char *content_type,
                        server_drain_fn on_drain, void *ud);
int server_stream_write(struct server_request *req, const void *data, size_t len);
size_t server_stream_queued(const struct server_request *req);
int server_stream_end(struct server_request *req);
/* End a stream the way a dying peer does: the queued bytes, then the connection closes
 * without the final chunk (clients see it cut, e.g. undici's "terminated"). */
int server_stream_cut(struct server_request *req);
/* The same for any answer under way: a stream as above, a file (server_respond_fd) is cut
 * where it is. -1 when nothing is being sent. */
int server_response_cut(struct server_request *req);

/* ---- fds and timers in the lws loop ---- */
enum { SERVER_FD_READABLE = 1, SERVER_FD_CLOSED = 2 };
typedef void (*server_fd_fn)(struct server_fd *w, int fd, int events, void *ud);
struct server_fd *server_watch_fd(struct server *srv, int fd, server_fd_fn fn, void *ud);
/* Stop watching (fd stays open); fn is not called again. */
void server_unwatch_fd(struct server_fd *w);

typedef void (*server_timer_fn)(struct server_timer *t, void *ud);
struct server_timer *server_timer_new(struct server *srv, server_timer_fn fn, void *ud);
void server_timer_start(struct server_timer *t, int64_t ms); /* one-shot; restarts if pending */
void server_timer_stop(struct server_timer *t);
void server_timer_free(struct server_timer *t);

#endif
