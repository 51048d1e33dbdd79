/* server_int.h - what server.c (HTTP requests and answers) and server_conn.c (sockets,
 * listeners, the lws loop, fds and timers) share: the structures and the calls between them.
 * Private to the server; modules use server.h. */
#ifndef BOXTOPD_SERVER_INT_H
#define BOXTOPD_SERVER_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <libwebsockets.h>

#include "boxtop/buf.h"
#include "chunked.h"
#include "http_head.h"
#include "query.h"
#include "server.h"

#define READ_PIECE     (256u << 10) /* bytes per read(2) */
#define READS_PER_TURN 4            /* reads per readable callback before polling again */
#define PIPELINE_MAX   (64u << 10)  /* buffered bytes of a following request before we stop */
#define IDLE_SECS      75           /* keep-alive idle, or a request that stopped arriving */
#define LINGER_SECS    10           /* reading and dropping after our last byte before closing */
#define OUT_KEEP       (1u << 20)   /* an empty queue bigger than this gives its memory back */
#define IDLE_KEEP      (64u << 10)  /* the same between requests */
#define SENDFILE_PIECE (4u << 20)   /* bytes per sendfile(2) */
#define FILE_SNDBUF    (4 << 20)    /* SO_SNDBUF for big file bodies (the kernel doubles it) */
#define SPLICE_PIPE    (1 << 20)    /* the pipe a spliced body passes through (when allowed) */

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
    char *scratch;      /* READ_PIECE bytes: one loop, one read at a time */
    int splice_pipe[2]; /* spliced bodies pass through it, always empty between calls; -1 */
    size_t splice_cap;  /* its size */
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
    bool error_code_string; /* server_request_error_code_string */
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
    int sink_fd; /* server_request_set_body_fd, -1 when none */
    server_body_sunk_fn on_sunk;

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
    bool file_cut; /* server_response_cut: the rest of the file is not sent */
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

/* server.c */
/* A request head arrived on c (head is taken over): create c->req, route and dispatch it.
 * head_status != 0: the head was unreadable; answer that status with why. -1 = out of memory. */
int server_req_start(struct conn *c, struct http_head *head, int head_status, const char *why);
/* The request is over (answer sent, or connection gone): on_close runs, req is freed. */
void server_req_finish(struct server_request *req, bool conn_closing);
/* Body bytes for the request; returns how many belonged to its body. */
size_t server_body_feed(struct server_request *req, const char *in, size_t len);
/* The body goes to req->sink_fd by splice now: nothing buffered, a Content-Length, not done. */
bool server_body_sinking(const struct server_request *req);
/* written body bytes went from the socket into sink_fd; err: why not more (then no more). */
void server_body_sunk(struct server_request *req, size_t written, int err);
bool server_response_complete(const struct server_request *req);

/* server_wake.c */
/* Ask for a writeable turn (the queue or a file body has something to send). */
void server_conn_wake(struct conn *c);
/* Read from the socket only while the bytes have somewhere to go. */
void server_conn_rx_update(struct conn *c);
/* The timer that asks again for a writeable turn asked for inside one (see server_conn_wake). */
void server_conn_rearm_fire(lws_sorted_usec_list_t *sul);

static inline size_t server_conn_in_pending(const struct conn *c)
{
    return c->in.len - c->in_off;
}

#endif
