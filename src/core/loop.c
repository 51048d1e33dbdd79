/* loop.c - poll(2) event loop: fd watchers, one-shot monotonic timers, signals via signalfd.
 *
 * Watchers live in flat arrays; removal during dispatch only marks an entry dead, and dead
 * entries are compacted between turns, so callbacks may add or remove anything. Signals are
 * blocked and read from a signalfd, so no handler and no global state is needed. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "boxtop/grow.h"
#include "boxtop/loop.h"

struct fd_watch {
    int fd; /* -1 when removed */
    int events;
    loop_fd_cb cb;
    void *ud;
};

struct timer {
    int64_t id; /* 0 when cancelled or fired */
    int64_t due_ms;
    loop_timer_cb cb;
    void *ud;
};

struct sig_watch {
    int signo;
    loop_signal_cb cb;
    void *ud;
};

struct loop {
    struct fd_watch *fds;
    int n_fds, cap_fds;
    struct timer *timers;
    int n_timers, cap_timers;
    int64_t next_timer_id;
    struct sig_watch *sigs;
    int n_sigs, cap_sigs;
    int sigfd;
    sigset_t sigmask;
    loop_idle_cb before_sleep;
    void *before_sleep_ud;
    struct pollfd *pfds;
    int cap_pfds;
    int stop;
};

int64_t loop_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t loop_wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct loop *loop_new(void)
{
    struct loop *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->sigfd = -1;
    sigemptyset(&l->sigmask);
    return l;
}

void loop_free(struct loop *l)
{
    if (!l)
        return;
    if (l->sigfd >= 0) {
        close(l->sigfd);
        sigprocmask(SIG_UNBLOCK, &l->sigmask, NULL);
    }
    free(l->fds);
    free(l->timers);
    free(l->sigs);
    free(l->pfds);
    free(l);
}

static struct fd_watch *find_fd(struct loop *l, int fd)
{
    for (int i = 0; i < l->n_fds; i++)
        if (l->fds[i].fd == fd)
            return &l->fds[i];
    return NULL;
}

int loop_fd_add(struct loop *l, int fd, int events, loop_fd_cb cb, void *ud)
{
    if (fd < 0 || !cb)
        return -EINVAL;
    struct fd_watch *w = find_fd(l, fd);
    if (!w) {
        if (GROW_INT(l->fds, l->cap_fds, l->n_fds + 1) < 0)
            return -ENOMEM;
        w = &l->fds[l->n_fds++];
    }
    w->fd = fd;
    w->events = events;
    w->cb = cb;
    w->ud = ud;
    return 0;
}

int loop_fd_modify(struct loop *l, int fd, int events)
{
    struct fd_watch *w = find_fd(l, fd);
    if (!w)
        return -ENOENT;
    w->events = events;
    return 0;
}

void loop_fd_remove(struct loop *l, int fd)
{
    struct fd_watch *w = find_fd(l, fd);
    if (w)
        w->fd = -1;
}

int64_t loop_timer_add(struct loop *l, int64_t ms, loop_timer_cb cb, void *ud)
{
    if (!cb)
        return -EINVAL;
    struct timer *t = NULL;
    for (int i = 0; i < l->n_timers; i++)
        if (l->timers[i].id == 0) {
            t = &l->timers[i];
            break;
        }
    if (!t) {
        if (GROW_INT(l->timers, l->cap_timers, l->n_timers + 1) < 0)
            return -ENOMEM;
        t = &l->timers[l->n_timers++];
    }
    t->id = ++l->next_timer_id;
    t->due_ms = loop_now_ms() + (ms > 0 ? ms : 0);
    t->cb = cb;
    t->ud = ud;
    return t->id;
}

void loop_timer_cancel(struct loop *l, int64_t id)
{
    if (id <= 0)
        return;
    for (int i = 0; i < l->n_timers; i++)
        if (l->timers[i].id == id)
            l->timers[i].id = 0;
}

static void on_signalfd(struct loop *l, int fd, int events, void *ud)
{
    (void)events;
    (void)ud;
    struct signalfd_siginfo si;
    while (read(fd, &si, sizeof si) == (ssize_t)sizeof si) {
        for (int i = 0; i < l->n_sigs; i++)
            if (l->sigs[i].signo == (int)si.ssi_signo)
                l->sigs[i].cb(l, (int)si.ssi_signo, l->sigs[i].ud);
    }
}

int loop_signal_add(struct loop *l, int signo, loop_signal_cb cb, void *ud)
{
    if (GROW_INT(l->sigs, l->cap_sigs, l->n_sigs + 1) < 0)
        return -ENOMEM;
    l->sigs[l->n_sigs++] = (struct sig_watch){signo, cb, ud};
    sigaddset(&l->sigmask, signo);
    if (sigprocmask(SIG_BLOCK, &l->sigmask, NULL) < 0)
        return -errno;
    int fd = signalfd(l->sigfd, &l->sigmask, SFD_NONBLOCK | SFD_CLOEXEC);
    if (fd < 0)
        return -errno;
    if (l->sigfd < 0) {
        l->sigfd = fd;
        return loop_fd_add(l, fd, LOOP_READ, on_signalfd, NULL);
    }
    return 0;
}

void loop_set_before_sleep(struct loop *l, loop_idle_cb cb, void *ud)
{
    l->before_sleep = cb;
    l->before_sleep_ud = ud;
}

static void compact(struct loop *l)
{
    int j = 0;
    for (int i = 0; i < l->n_fds; i++)
        if (l->fds[i].fd >= 0)
            l->fds[j++] = l->fds[i];
    l->n_fds = j;
    while (l->n_timers > 0 && l->timers[l->n_timers - 1].id == 0)
        l->n_timers--;
}

/* Fire due timers; returns ms until the next one (-1 if none), and sets *fired. */
static int run_timers(struct loop *l, int *fired)
{
    int64_t now = loop_now_ms();
    int64_t next = -1;
    /* Timers added by callbacks get ids above this and wait for the next turn. */
    int64_t last_id = l->next_timer_id;
    for (int i = 0; i < l->n_timers; i++) {
        struct timer *t = &l->timers[i];
        if (t->id == 0 || t->id > last_id)
            continue;
        if (t->due_ms <= now) {
            loop_timer_cb cb = t->cb;
            void *ud = t->ud;
            t->id = 0;
            *fired = 1;
            cb(l, ud); /* may realloc l->timers */
        }
    }
    now = loop_now_ms();
    for (int i = 0; i < l->n_timers; i++) {
        struct timer *t = &l->timers[i];
        if (t->id == 0)
            continue;
        int64_t d = t->due_ms - now;
        if (d < 0)
            d = 0;
        if (next < 0 || d < next)
            next = d;
    }
    return next > 0x7fffffff ? 0x7fffffff : (int)next;
}

int loop_run_once(struct loop *l, int max_wait_ms)
{
    compact(l);
    int fired = 0;
    int wait = run_timers(l, &fired);
    if (l->before_sleep)
        l->before_sleep(l, l->before_sleep_ud);
    compact(l);
    if (max_wait_ms >= 0 && (wait < 0 || wait > max_wait_ms))
        wait = max_wait_ms;
    /* A timer callback may have finished what a nested wait waits for, or stopped the loop:
     * look at the fds without sleeping so the caller gets control back this turn. */
    if (fired || l->stop)
        wait = 0;
    if (GROW_INT(l->pfds, l->cap_pfds, l->n_fds) < 0)
        return -ENOMEM;
    int n = l->n_fds;
    for (int i = 0; i < n; i++) {
        l->pfds[i].fd = l->fds[i].fd;
        l->pfds[i].events = (short)(((l->fds[i].events & LOOP_READ) ? POLLIN : 0) |
                                    ((l->fds[i].events & LOOP_WRITE) ? POLLOUT : 0));
        l->pfds[i].revents = 0;
    }
    int rc = poll(l->pfds, (nfds_t)n, wait);
    if (rc < 0)
        return errno == EINTR ? 0 : -errno;
    for (int i = 0; i < n && rc > 0; i++) {
        short re = l->pfds[i].revents;
        if (!re)
            continue;
        rc--;
        /* Re-find by fd: an earlier callback may have removed or replaced the watcher. */
        struct fd_watch *w = find_fd(l, l->pfds[i].fd);
        if (!w)
            continue;
        int ev = ((re & POLLIN) ? LOOP_READ : 0) | ((re & POLLOUT) ? LOOP_WRITE : 0) |
                 ((re & (POLLERR | POLLHUP | POLLNVAL)) ? LOOP_ERROR : 0);
        w->cb(l, w->fd, ev, w->ud);
    }
    return 0;
}

int loop_run(struct loop *l)
{
    l->stop = 0;
    while (!l->stop) {
        int rc = loop_run_once(l, -1);
        if (rc < 0)
            return rc;
    }
    return 0;
}

void loop_stop(struct loop *l)
{
    l->stop = 1;
}

int loop_stopped(const struct loop *l)
{
    return l->stop;
}
