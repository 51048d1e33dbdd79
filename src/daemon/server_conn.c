/* server_conn.c - boxtopd's HTTP/1.1 server, the socket side: listeners, connections (read,
 * write, sendfile, keep-alive, lingering close), fds and timers in the libwebsockets loop, and
 * the context. The HTTP meaning of the bytes is server.c's; see its design notes. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server_int.h"
/* ------------------------------------------------------------------ connections */

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
        size_t avail = server_conn_in_pending(c);
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
            if (server_req_start(c, &h, st, why) < 0) return -1;
            continue;
        }
        if (req->body_done || c->paused || !avail) break;
        size_t k = server_body_feed(req, p, avail);
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
    server_conn_rx_update(c);
    return 0;
}

/* Bytes read from the socket: straight into the body when nothing waits before them. */
static int conn_input(struct conn *c, const char *data, size_t n)
{
    if (!server_conn_in_pending(c) && c->req && !c->req->body_done && !c->paused) {
        size_t k = server_body_feed(c->req, data, n);
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
    server_conn_rx_update(c);
    lws_set_timeout(c->wsi, PENDING_TIMEOUT_CLOSE_SEND, LINGER_SECS);
    return 0;
}

/* The server's pipe for spliced bodies, made on first use; NULL when the kernel says no. */
static int *splice_pipe(struct server *srv)
{
    if (srv->splice_pipe[0] >= 0) return srv->splice_pipe;
    if (pipe2(srv->splice_pipe, O_CLOEXEC) < 0) {
        srv->splice_pipe[0] = srv->splice_pipe[1] = -1;
        return NULL;
    }
    fcntl(srv->splice_pipe[1], F_SETPIPE_SZ, SPLICE_PIPE); /* else the default 64 KiB */
    int cap = fcntl(srv->splice_pipe[1], F_GETPIPE_SZ);
    srv->splice_cap = cap > 0 ? (size_t)cap : 4096;
    return srv->splice_pipe;
}

/* One piece of a body from the socket into its sink fd, through the pipe: 1 when bytes moved,
 * 0 when the socket is empty, -1 when the client is gone. The pipe is empty again on return:
 * what the sink did not take goes to on_data (a sink that cannot splice, EINVAL, is then
 * written by on_data from here on, as before; after a write error on_data drops it). */
static int conn_splice_body(struct conn *c, struct server_request *req, int sock)
{
    int *p = splice_pipe(c->srv);
    if (!p) {
        req->sink_fd = -1; /* on_data takes the body */
        return 1;
    }
    uint64_t left = (uint64_t)(req->content_length - req->body_seen);
    size_t want = left < c->srv->splice_cap ? (size_t)left : c->srv->splice_cap;
    ssize_t n = splice(sock, NULL, p[1], NULL, want, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    if (n < 0) {
        if (errno == EINTR) return 1;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
        return -1;
    }
    if (n == 0) return -1; /* the client is gone mid-body */
    size_t written = 0;
    int err = 0;
    while (written < (size_t)n) {
        ssize_t w = splice(p[0], NULL, req->sink_fd, NULL, (size_t)n - written, SPLICE_F_MOVE);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            err = w < 0 ? errno : EIO;
            break;
        }
        written += (size_t)w;
    }
    if (err == EINVAL) { /* this fd cannot be spliced into: not an error of the upload */
        req->sink_fd = -1;
        err = 0;
    }
    server_body_sunk(req, written, err);
    for (size_t rest = (size_t)n - written; rest > 0;) {
        ssize_t r = read(p[0], c->srv->scratch, rest < READ_PIECE ? rest : READ_PIECE);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1; /* cannot happen; never leave the pipe dirty */
        rest -= (size_t)r;
        server_body_feed(req, c->srv->scratch, (size_t)r);
    }
    return 1;
}

static int conn_readable(struct conn *c)
{
    int fd = lws_get_socket_fd(c->wsi);
    char *buf = c->srv->scratch;
    for (int i = 0; i < READS_PER_TURN; i++) {
        if (c->req && !c->lingering && !c->paused && !server_conn_in_pending(c) &&
            server_body_sinking(c->req)) {
            int rc = conn_splice_body(c, c->req, fd);
            if (rc < 0) return -1;
            if (rc == 0) break;
            if (c->req->body_done && conn_process(c) < 0) return -1;
            continue;
        }
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
        lws_sul_schedule(c->srv->ctx, 0, &c->rearm, server_conn_rearm_fire, 1);
    return rc;
}

/* A file body: 0 when all sent, 1 when the socket is full, -1 to cut the connection (an error,
 * or the file ended early: a short body must not look complete). */
static int conn_sendfile(struct conn *c, struct server_request *req, int sock)
{
    (void)c;
    if (req->file_cut && req->file_left > 0) return -1;
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
        server_conn_wake(c);
        return 0;
    }
    struct server_request *req = c->req;
    if (req && server_response_complete(req)) {
        bool reuse = !req->close_after && req->body_done && !req->body_error;
        server_req_finish(req, false);
        if (!reuse) return conn_linger(c);
        if (c->out.cap > IDLE_KEEP) buf_free(&c->out); /* idle keep-alive conns stay small */
        conn_timeout_update(c);
        return conn_process(c); /* a pipelined request may be waiting */
    }
    if (req && !c->paused && !req->body_done && server_conn_in_pending(c)) return conn_process(c);
    return 0;
}

static void conn_closed(struct conn *c)
{
    struct server *srv = c->srv;
    c->wsi = NULL;
    lws_sul_schedule(srv->ctx, 0, &c->rearm, NULL, LWS_SET_TIMER_USEC_CANCEL);
    if (c->req) server_req_finish(c->req, true);
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
    srv->splice_pipe[0] = srv->splice_pipe[1] = -1;
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
    for (int i = 0; i < 2; i++)
        if (srv->splice_pipe[i] >= 0) close(srv->splice_pipe[i]);
    free(srv->scratch);
    free(srv);
}
