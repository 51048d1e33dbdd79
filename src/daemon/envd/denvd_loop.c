/* denvd_loop.c - envd's fds and timers in boxtopd's loop, on the server's fd watches and
 * timers (server.h). The server's watches are read-only and cannot be paused, so:
 *   - write interest (stdin/pty input that hit EAGAIN) is a 10 ms retry timer;
 *   - pausing reads (a slow client) drops the watch and adopting the fd again resumes it.
 * The server watches a dup, so the fd itself stays ours: denvd_fd_close() closes it. */
#include "config.h"

#include <stdlib.h>
#include <unistd.h>

#include "denvd_int.h"
#include "server.h"

#define WRITE_RETRY_MS 10

struct denvd_fdw {
    struct envd *e;
    int fd;
    denvd_fd_cb cb;
    void *arg;
    struct server_fd *sw; /* NULL while paused or after the server reported the hangup */
    bool paused, hung_up;
    struct server_timer *wtimer;
    bool want_write;
};

struct denvd_timer {
    struct server_timer *t;
    denvd_timer_cb cb;
    void *arg;
};

static void on_fd(struct server_fd *sw, int fd, int events, void *ud)
{
    (void)sw;
    (void)fd;
    struct denvd_fdw *w = ud;
    if (events & SERVER_FD_CLOSED) {
        w->sw = NULL; /* the server frees its watch after this call */
        w->hung_up = true;
        if (w->cb) w->cb(w->arg, w->fd, ENVD_FD_HUP);
        return;
    }
    if ((events & SERVER_FD_READABLE) && w->cb) w->cb(w->arg, w->fd, ENVD_FD_READ);
}

static void on_write_retry(struct server_timer *t, void *ud)
{
    (void)t;
    struct denvd_fdw *w = ud;
    if (w->want_write && w->cb) w->cb(w->arg, w->fd, ENVD_FD_WRITE);
}

struct denvd_fdw *denvd_fd_watch(struct envd *e, int fd, denvd_fd_cb cb, void *arg)
{
    struct denvd_fdw *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->e = e;
    w->fd = fd;
    w->cb = cb;
    w->arg = arg;
    w->sw = server_watch_fd(e->host.srv, fd, on_fd, w);
    w->wtimer = server_timer_new(e->host.srv, on_write_retry, w);
    if (!w->sw || !w->wtimer) {
        if (w->sw) server_unwatch_fd(w->sw);
        if (w->wtimer) server_timer_free(w->wtimer);
        free(w);
        return NULL;
    }
    return w;
}

void denvd_fd_want_write(struct denvd_fdw *w, bool on)
{
    if (!w) return;
    w->want_write = on;
    if (on)
        server_timer_start(w->wtimer, WRITE_RETRY_MS);
    else
        server_timer_stop(w->wtimer);
}

void denvd_fd_pause_read(struct denvd_fdw *w, bool paused)
{
    if (!w || w->hung_up || w->paused == paused) return;
    w->paused = paused;
    if (paused) {
        if (w->sw) server_unwatch_fd(w->sw);
        w->sw = NULL;
    } else {
        w->sw = server_watch_fd(w->e->host.srv, w->fd, on_fd, w);
    }
}

void denvd_fd_close(struct denvd_fdw *w)
{
    if (!w) return;
    if (w->sw) server_unwatch_fd(w->sw);
    server_timer_free(w->wtimer);
    close(w->fd);
    free(w);
}

static void on_timer(struct server_timer *st, void *ud)
{
    struct denvd_timer *t = ud;
    denvd_timer_cb cb = t->cb;
    void *arg = t->arg;
    server_timer_free(st); /* allowed from its own callback */
    free(t);
    cb(arg);
}

struct denvd_timer *denvd_timer_start(struct envd *e, int64_t ms, denvd_timer_cb cb, void *arg)
{
    if (ms <= 0) return NULL;
    struct denvd_timer *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->cb = cb;
    t->arg = arg;
    t->t = server_timer_new(e->host.srv, on_timer, t);
    if (!t->t) {
        free(t);
        return NULL;
    }
    server_timer_start(t->t, ms);
    return t;
}

void denvd_timer_stop(struct denvd_timer *t)
{
    if (!t) return;
    server_timer_free(t->t);
    free(t);
}
