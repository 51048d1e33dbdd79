/* supervise.c - keep a local boxtopd for a state dir (see supervise.h).
 *
 * Each attempt is one local_backend_start (it uses the boxtopd the discovery file names when
 * that one answers, else starts ours). Once ready, a pidfd on the named pid says when it goes
 * (kill(pid, 0) every 500 ms where pidfd_open is missing, e.g. under valgrind); inotify on
 * the state dir says when the discovery file changes. A finished local_backend is stopped
 * from the next timer, never inside its own callback. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "boxtop/i18n.h"
#include "boxtop/loop.h"
#include "boxtop/supervise.h"

#define STATE_FILE  "boxtopd.json"
#define PID_POLL_MS 500

struct supervisor {
    struct loop *loop;
    struct http *http;
    char *dir, *daemon;
    int timeout_ms;
    struct supervise_cbs cbs;
    struct local_backend *lb;  /* current attempt or backend */
    struct local_backend *old; /* finished, stopped from the next timer */
    bool ready;
    bool ours;     /* the last ready one was started by us: start it again when it goes */
    pid_t pid;     /* the ready backend's */
    char *api_url; /* the ready backend's */
    int pidfd;
    int64_t pid_poll, retry_timer;
    int inotify_fd;
    int failures;
    int64_t ready_ms;
};

int supervise_backoff_ms(int failures)
{
    int ms = SUPERVISE_BACKOFF_MIN_MS;
    for (int i = 0; i < failures && ms < SUPERVISE_BACKOFF_MAX_MS; i++)
        ms *= 2;
    return ms > SUPERVISE_BACKOFF_MAX_MS ? SUPERVISE_BACKOFF_MAX_MS : ms;
}

static void unwatch_pid(struct supervisor *s)
{
    if (s->pidfd >= 0) {
        loop_fd_remove(s->loop, s->pidfd);
        close(s->pidfd);
        s->pidfd = -1;
    }
    if (s->pid_poll) loop_timer_cancel(s->loop, s->pid_poll);
    s->pid_poll = 0;
}

static void on_retry(struct loop *l, void *ud);

static void retry_in(struct supervisor *s, int ms)
{
    if (s->retry_timer) loop_timer_cancel(s->loop, s->retry_timer);
    s->retry_timer = loop_timer_add(s->loop, ms, on_retry, s);
}

/* The backend is gone or did not start: try again after the back-off. */
static void fail(struct supervisor *s, const char *why)
{
    unwatch_pid(s);
    if (s->ready && loop_now_ms() - s->ready_ms >= SUPERVISE_STABLE_MS) s->failures = 0;
    int ms = supervise_backoff_ms(s->failures);
    if (s->failures < 30) s->failures++;
    if (s->lb) s->old = s->lb; /* a previous old was stopped by the timer that started lb */
    s->lb = NULL;
    s->ready = false;
    retry_in(s, ms);
    if (s->cbs.down) s->cbs.down(s, why, ms, s->ours, s->cbs.ud);
}

static void gone(struct supervisor *s)
{
    char why[128];
    snprintf(why, sizeof why, _("boxtopd (pid %d) went away"), (int)s->pid);
    fail(s, why);
}

static void on_pidfd(struct loop *l, int fd, int events, void *ud)
{
    (void)l;
    (void)fd;
    (void)events;
    gone(ud);
}

static void on_pid_poll(struct loop *l, void *ud)
{
    struct supervisor *s = ud;
    s->pid_poll = 0;
    if (kill(s->pid, 0) < 0 && errno == ESRCH)
        gone(s);
    else
        s->pid_poll = loop_timer_add(l, PID_POLL_MS, on_pid_poll, s);
}

static void watch_pid(struct supervisor *s)
{
    s->pidfd = (int)syscall(SYS_pidfd_open, s->pid, 0);
    if (s->pidfd >= 0 && loop_fd_add(s->loop, s->pidfd, LOOP_READ, on_pidfd, s) == 0) return;
    if (s->pidfd >= 0) close(s->pidfd);
    s->pidfd = -1;
    s->pid_poll = loop_timer_add(s->loop, 0, on_pid_poll, s); /* also: gone already */
}

static void on_lb(struct local_backend *lb, const struct local_backend_info *info,
                  const struct error *err, void *ud)
{
    struct supervisor *s = ud;
    if (lb != s->lb) return;
    if (err) {
        fail(s, err->msg);
        return;
    }
    s->ready = true;
    s->ours = local_backend_started_by_us(lb);
    s->ready_ms = loop_now_ms();
    s->pid = info->pid;
    free(s->api_url);
    s->api_url = strdup(info->api_url);
    watch_pid(s);
    if (s->cbs.ready) s->cbs.ready(s, lb, info, s->cbs.ud);
}

static void begin(struct supervisor *s)
{
    struct error err = {0};
    struct local_backend_info info;
    /* one someone else started is theirs to restart: only look for it again */
    if (!s->ours && local_backend_read(s->dir, &info, &err) < 0) {
        fail(s,
             err.kind == ERROR_NOT_FOUND ? _("waiting for boxtopd to be started again") : err.msg);
        return;
    }
    if (!s->ours) local_backend_info_free(&info);
    s->lb = local_backend_start(s->loop, s->http, s->dir, s->daemon, s->timeout_ms, on_lb, s, &err);
    if (!s->lb) fail(s, err.msg);
}

static void on_retry(struct loop *l, void *ud)
{
    (void)l;
    struct supervisor *s = ud;
    s->retry_timer = 0;
    if (s->old) {
        struct local_backend *old = s->old;
        s->old = NULL;
        local_backend_stop(old); /* ours is dead already: reaped at once */
    }
    if (!s->lb) begin(s);
}

/* The discovery file was written: a ready backend that it no longer names was replaced
 * (say, restarted by hand on new ports): follow it now; while waiting out a back-off, try
 * now. */
static void discovery_changed(struct supervisor *s)
{
    if (!s->ready) {
        if (!s->lb) retry_in(s, 0);
        return;
    }
    struct local_backend_info info;
    struct error err = {0};
    if (local_backend_read(s->dir, &info, &err) < 0) return; /* half there, or stale */
    bool moved = info.pid != s->pid || !s->api_url || strcmp(info.api_url, s->api_url) != 0;
    local_backend_info_free(&info);
    if (!moved) return;
    unwatch_pid(s);
    s->old = s->lb;
    s->lb = NULL;
    s->ready = false;
    retry_in(s, 0);
    s->ours = false; /* the new one is someone else's */
    if (s->cbs.down)
        s->cbs.down(s, _("boxtopd moved: connecting to the new one"), 0, false, s->cbs.ud);
}

static void on_inotify(struct loop *l, int fd, int events, void *ud)
{
    (void)l;
    (void)events;
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    bool relevant = false;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        for (char *p = buf; p < buf + n;) {
            struct inotify_event *ev = (struct inotify_event *)p;
            if (ev->len && !strcmp(ev->name, STATE_FILE)) relevant = true;
            p += sizeof *ev + ev->len;
        }
    if (relevant) discovery_changed(ud);
}

struct supervisor *supervise_start(struct loop *l, struct http *h, const char *dir,
                                   const char *daemon_path, int timeout_ms,
                                   const struct supervise_cbs *cbs, struct error *err)
{
    struct supervisor *s = calloc(1, sizeof *s);
    if (!s || !(s->dir = strdup(dir)) || (daemon_path && !(s->daemon = strdup(daemon_path)))) {
        if (s) free(s->dir);
        free(s);
        error_set(err, ERROR_GENERIC, "out of memory");
        return NULL;
    }
    s->loop = l;
    s->http = h;
    s->timeout_ms = timeout_ms;
    s->cbs = *cbs;
    s->pidfd = -1;
    s->ours = true; /* until one is found running: start one at first */
    s->lb = local_backend_start(l, h, dir, daemon_path, timeout_ms, on_lb, s, err);
    if (!s->lb) { /* not even a first try: the caller says why */
        free(s->daemon);
        free(s->dir);
        free(s);
        return NULL;
    }
    /* the dir exists now (local_backend_start made it) */
    s->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (s->inotify_fd >= 0 &&
        (inotify_add_watch(s->inotify_fd, dir, IN_MOVED_TO | IN_CLOSE_WRITE) < 0 ||
         loop_fd_add(l, s->inotify_fd, LOOP_READ, on_inotify, s) < 0)) {
        close(s->inotify_fd); /* then only our own pid watch restarts it */
        s->inotify_fd = -1;
    }
    return s;
}

void supervise_retry_now(struct supervisor *s)
{
    if (s && !s->ready && !s->lb) retry_in(s, 0);
}

struct local_backend *supervise_backend(struct supervisor *s)
{
    return s && s->ready ? s->lb : NULL;
}

void supervise_stop(struct supervisor *s)
{
    if (!s) return;
    unwatch_pid(s);
    if (s->retry_timer) loop_timer_cancel(s->loop, s->retry_timer);
    if (s->inotify_fd >= 0) {
        loop_fd_remove(s->loop, s->inotify_fd);
        close(s->inotify_fd);
    }
    local_backend_stop(s->old);
    local_backend_stop(s->lb);
    free(s->api_url);
    free(s->daemon);
    free(s->dir);
    free(s);
}
