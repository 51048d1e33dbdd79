/* rt_child.c - big file work in a child process the loop starts and watches: deleting a tree
 * (rt_grave.c), copying a writable layer (rt_layer.c). The loop never walks a big tree: a
 * sandbox's agent may have written 100 000 files, and one syscall can take 100 ms on a busy
 * disk.
 *
 * The child dies with boxtopd (PR_SET_DEATHSIG; what it left is found at the next start),
 * holds none of boxtopd's fds (a connection boxtopd closes must close) but its report pipe,
 * and runs niced. Its end wakes the loop through its pidfd (rt_on_pidfd); without pidfds
 * rt_tick polls. The owner hears once, in the loop: exit status and what the child wrote to
 * its report pipe (at most RT_CHILD_REPORT_MAX bytes, read after the exit). */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rt_internal.h"

struct rt_child {
    struct rt_child *next;
    pid_t pid;
    int pidfd;  /* watched, or -1 (rt_tick polls) */
    int msg_fd; /* read end of the report pipe, or -1 */
    const struct rt_sandbox *reads;
    bool cut; /* killed because the sandbox it reads went away (kill_readers) */
    rt_child_done_fn done;
    void *ud;
};

static struct rt_child *child_link(struct rt *rt, pid_t pid, int msg_fd, rt_child_done_fn done,
                                   void *ud)
{
    struct rt_child *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->pid = pid;
    c->msg_fd = msg_fd;
    c->done = done;
    c->ud = ud;
    c->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (c->pidfd >= 0) {
        fcntl(c->pidfd, F_SETFD, FD_CLOEXEC);
        rt_watch(rt, c->pidfd);
    }
    c->next = rt->children;
    rt->children = c;
    return c;
}

/* keep_fd: -1, or a fd the child keeps as fd 4 (the work finds it there). */
static struct rt_child *child_start(struct rt *rt, const char *name, int keep_fd,
                                    rt_child_work_fn work, void *arg, rt_child_done_fn done,
                                    void *ud)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0) return NULL;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        return NULL;
    }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        prctl(PR_SET_NAME, name); /* ps and the tests tell it from boxtopd */
        if (getppid() != parent) _exit(127);
        if (p[1] != 3 && dup2(p[1], 3) < 0) _exit(127); /* dup2's copy is not close-on-exec */
        if (p[1] == 3) fcntl(3, F_SETFD, 0);
        if (keep_fd >= 0 && keep_fd != 4 && dup2(keep_fd, 4) < 0) _exit(127);
        syscall(SYS_close_range, keep_fd >= 0 ? 5U : 4U, ~0U, 0U);
        if (setpriority(PRIO_PROCESS, 0, 10) < 0) { /* best effort */
        }
        _exit(work(arg, 3));
    }
    close(p[1]);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    struct rt_child *c = child_link(rt, pid, p[0], done, ud);
    if (!c) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        close(p[0]);
    }
    return c;
}

struct rt_child *rt_child_start(struct rt *rt, const char *name, rt_child_work_fn work, void *arg,
                                rt_child_done_fn done, void *ud)
{
    return child_start(rt, name, -1, work, arg, done, ud);
}

struct rt_child *rt_child_start_fd(struct rt *rt, const char *name, int keep_fd,
                                   rt_child_work_fn work, void *arg, rt_child_done_fn done,
                                   void *ud)
{
    return child_start(rt, name, keep_fd, work, arg, done, ud);
}

/* ---- truncating a file off the loop ---- */

struct trunc_job {
    rt_truncate_done_fn done;
    void *ud;
};

static int trunc_work(void *arg, int report_fd)
{
    (void)arg;
    (void)report_fd;
    while (ftruncate(4, 0) < 0)
        if (errno != EINTR) return errno > 0 && errno < 126 ? errno : EIO;
    return 0;
}

static void trunc_done(struct rt *rt, void *ud, int status, const char *report, size_t len)
{
    (void)rt;
    (void)report;
    (void)len;
    struct trunc_job *j = ud;
    rt_truncate_done_fn done = j->done;
    void *cud = j->ud;
    free(j);
    done(cud, status == 0 ? 0 : status > 0 ? status : EINTR);
}

int rt_truncate_start(struct rt *rt, int fd, rt_truncate_done_fn done, void *ud)
{
    struct trunc_job *j = rt ? malloc(sizeof *j) : NULL;
    if (!j) return -1;
    j->done = done;
    j->ud = ud;
    if (!child_start(rt, "boxtopd-trunc", fd, trunc_work, NULL, trunc_done, j)) {
        free(j);
        return -1;
    }
    return 0;
}

/* ---- work on a sandbox's files off the loop ---- */

struct sb_job {
    rt_work_fn work;
    void *arg;
    rt_work_done_fn done;
    void *ud;
};

static int sb_work(void *arg, int report_fd)
{
    (void)report_fd;
    struct sb_job *j = arg; /* the child's copy */
    return j->work(j->arg);
}

static void sb_done(struct rt *rt, void *ud, int status, const char *report, size_t len)
{
    (void)rt;
    (void)report;
    (void)len;
    struct sb_job *j = ud;
    rt_work_done_fn done = j->done;
    void *cud = j->ud;
    free(j);
    done(cud, status);
}

int rt_sandbox_work_start(struct rt *rt, struct rt_sandbox *sb, const char *name, int keep_fd,
                          rt_work_fn work, void *arg, rt_work_done_fn done, void *ud)
{
    struct sb_job *j = rt && sb ? malloc(sizeof *j) : NULL;
    if (!j) return -1;
    *j = (struct sb_job){work, arg, done, ud};
    struct rt_child *c = child_start(rt, name, keep_fd, sb_work, j, sb_done, j);
    if (!c) {
        free(j);
        return -1;
    }
    rt_child_reads(c, sb);
    return 0;
}

struct rt_child *rt_child_watch(struct rt *rt, pid_t pid, rt_child_done_fn done, void *ud)
{
    struct rt_child *c = child_link(rt, pid, -1, done, ud);
    if (!c) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
    return c;
}

void rt_child_reads(struct rt_child *c, const struct rt_sandbox *sb)
{
    c->reads = sb;
}

/* c ended (ws from waitpid): unlinked and freed, then its owner hears. */
static void finish(struct rt *rt, struct rt_child *c, int ws)
{
    for (struct rt_child **pp = &rt->children; *pp; pp = &(*pp)->next)
        if (*pp == c) {
            *pp = c->next;
            break;
        }
    rt_unwatch_close(rt, &c->pidfd);
    char report[RT_CHILD_REPORT_MAX];
    size_t len = 0;
    while (c->msg_fd >= 0 && len < sizeof report) {
        ssize_t n = read(c->msg_fd, report + len, sizeof report - len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        len += (size_t)n;
    }
    if (c->msg_fd >= 0) close(c->msg_fd);
    int status = WIFEXITED(ws) ? WEXITSTATUS(ws) : WIFSIGNALED(ws) ? -WTERMSIG(ws) : -1;
    if (c->cut)
        status = -SIGKILL; /* it may have ended just before: its sandbox is gone all the same */
    rt_child_done_fn done = c->done;
    void *ud = c->ud;
    free(c);
    if (done) done(rt, ud, status, report, len);
}

/* Reap whichever children ended; 1 when one did. */
static int reap_one(struct rt *rt, int pidfd)
{
    for (struct rt_child *c = rt->children; c; c = c->next) {
        if (pidfd >= 0 && c->pidfd != pidfd) continue;
        int ws;
        pid_t r = waitpid(c->pid, &ws, WNOHANG);
        if (r == 0) {
            if (pidfd >= 0) return 1; /* woke early: wait for the next wake */
            continue;
        }
        if (r < 0) ws = 0; /* reaped elsewhere: report success, the owner checks its result */
        finish(rt, c, ws);
        return 1;
    }
    return 0;
}

int rt_child_on_pidfd(struct rt *rt, int fd)
{
    for (struct rt_child *c = rt->children; c; c = c->next)
        if (c->pidfd == fd) {
            reap_one(rt, fd);
            return 1;
        }
    return 0;
}

void rt_children_poll(struct rt *rt)
{
    while (reap_one(rt, -1)) { /* a done callback may start or end others: start over */
    }
}

void rt_children_kill_readers(struct rt *rt, const struct rt_sandbox *sb)
{
    for (struct rt_child *c = rt->children; c; c = c->next)
        if (c->reads == sb) {
            kill(c->pid, SIGKILL);
            c->reads = NULL;
            c->cut = true;
        }
}

void rt_children_free(struct rt *rt)
{
    while (rt->children) {
        struct rt_child *c = rt->children;
        int ws = 0;
        kill(c->pid, SIGKILL);
        while (waitpid(c->pid, &ws, 0) < 0 && errno == EINTR) {
        }
        finish(rt, c, ws);
    }
}
