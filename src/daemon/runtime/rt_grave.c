/* rt_grave.c - ending sandboxes: kill every process, forget init, and bury the files and
 * cgroups (renamed to DIR/runtime/.trash-<id>-<n> first), which a later call finishes where
 * processes are still dying (init's pidfd, rt_tick, the next create). The files are deleted
 * by a child process the loop starts and reaps (rt_child.c), never in the loop: freed
 * template layers, deleted snapshots and volumes go the same way (rt_grave_bury). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "boxtop/log.h"
#include "rt_internal.h"

/* The deletion of a trash tree in a child (rt_child.c): exit 0 when it is gone, 1 when
 * something could not be deleted. */
static int rm_work(void *arg, int report_fd)
{
    (void)report_fd;
    return rt_rm_rf(arg) == 0 ? 0 : 1;
}

/* A deletion child of g ended: what is next is decided by rt_grave_try (none while closing). */
static void rm_done(struct rt *rt, void *ud, int status, const char *report, size_t len)
{
    (void)status;
    (void)report;
    (void)len;
    struct rt_grave *g = ud;
    g->rm = NULL;
    if (!rt->closing) rt_grave_try(rt);
}

/* No deletion child runs for g: what is next for g->trash. */
static void rm_next(struct rt *rt, struct rt_grave *g)
{
    struct stat st;
    if (lstat(g->trash, &st) < 0 && errno == ENOENT) {
        g->trash[0] = '\0';
        return;
    }
    if (g->rm_stage == 0) {
        g->rm_stage = 1;
        g->rm = rt_child_start(rt, "boxtopd-rm", rm_work, g->trash, rm_done, g);
        if (!g->rm && rt_rm_step(g->trash, RT_RM_STEP) == 0) /* no fork: a bounded step here */
            g->trash[0] = '\0';
        else if (!g->rm)
            g->rm_stage = 0;
        return;
    }
    /* rootless: files the sandbox's root made belong to the subordinate range */
    if (g->rm_stage == 1 && rt->sub.ok) {
        g->rm_stage = 2;
        pid_t pid = rt_subid_rm_spawn(&rt->sub, g->trash);
        if (pid > 0) {
            g->rm = rt_child_watch(rt, pid, rm_done, g);
            if (g->rm) return;
        }
    }
    /* stuck: what is left stays for a later run (which finds .trash-* again) */
    if (rt->lg) log_msg(rt->lg, LOG_WARN, "could not delete %s completely", g->trash);
    g->trash[0] = '\0';
}

void rt_grave_try(struct rt *rt)
{
    if (rt->closing) return;
    for (struct rt_grave **pp = &rt->graves; *pp;) {
        struct rt_grave *g = *pp;
        bool cg_gone = true;
        if (g->id[0]) { /* "" = a leftover directory from an earlier run, or a freed layer */
            rt_cgroup_kill_all(rt, g->id);
            cg_gone = rt_cgroup_remove(rt, g->id) == 0;
        }
        if (g->trash[0] && !g->rm) rm_next(rt, g);
        if (cg_gone && !g->trash[0] && !g->rm) {
            *pp = g->next;
            rt_unwatch_close(rt, &g->pidfd);
            free(g);
        } else {
            pp = &g->next;
        }
    }
}

/* Shutdown, after rt_children_free stopped the deletions (the next start continues them). */
void rt_graves_free(struct rt *rt)
{
    while (rt->graves) {
        struct rt_grave *g = rt->graves;
        rt->graves = g->next;
        rt_unwatch_close(rt, &g->pidfd);
        free(g);
    }
}

/* src renamed to DIR/runtime/.trash-TAG-n (n: the first free one) into g->trash. */
static int rename_to_trash(struct rt *rt, const char *src, const char *tag, struct rt_grave *g)
{
    for (int tries = 0; tries < 100; tries++) {
        if (rt_path(g->trash, sizeof g->trash, "%s/.trash-%s-%u", rt->rt_dir, tag,
                    rt->trash_seq++) < 0)
            break;
        if (rename(src, g->trash) == 0) return 0;
        if (errno != EEXIST && errno != ENOTEMPTY) break;
    }
    int e = errno;
    g->trash[0] = '\0';
    errno = e;
    return -1;
}

void rt_grave_leftover_id(struct rt_grave *g, const char *name)
{
    if (strncmp(name, ".trash-", 7) != 0) return;
    const char *id = name + 7;
    const char *dash = strrchr(id, '-');
    if (!dash || dash == id || (size_t)(dash - id) >= sizeof g->id) return;
    char buf[sizeof g->id];
    memcpy(buf, id, (size_t)(dash - id));
    buf[dash - id] = '\0';
    if (rt_id_valid(buf)) memcpy(g->id, buf, sizeof buf);
}

static struct rt_grave *grave_new(void)
{
    struct rt_grave *g = calloc(1, sizeof *g);
    if (g) g->pidfd = -1;
    return g;
}

int rt_grave_bury(struct rt *rt, const char *path, const char *tag)
{
    struct rt_grave *g = grave_new();
    if (!g) return -1;
    if (rename_to_trash(rt, path, tag, g) < 0) {
        free(g);
        return -1;
    }
    g->next = rt->graves;
    rt->graves = g;
    rt_grave_try(rt);
    return 0;
}

/* Shutdown only: give killed sandboxes a bounded moment to finish dying so that their cgroups
 * and files go now instead of at the next start (the loop is ending, so waiting is fine). */
void rt_graves_drain(struct rt *rt, int budget_ms)
{
    for (int waited = 0; rt->graves && waited < budget_ms; waited += 20) {
        rt_children_poll(rt);
        rt_grave_try(rt);
        if (!rt->graves) break;
        poll(NULL, 0, 20);
    }
}

/* Every process of the sandbox gets SIGKILL; nothing waits for them to be gone. */
void rt_kill_tree(struct rt *rt, struct rt_sandbox *sb)
{
    if (sb->init_pid > 0 && rt_proc_starttime(sb->init_pid) == sb->init_start) {
        if (rt->mode == RT_MODE_PLAIN || rt->cg.version == 0) {
            pid_t pids[4096];
            int n = rt_proc_tree(sb->init_pid, pids, 4096);
            for (int i = 0; i < n; i++) {
                kill(pids[i], SIGKILL);
                kill(pids[i], SIGCONT);
            }
        }
        kill(sb->init_pid, SIGKILL); /* in full mode this takes the whole pid ns with it */
    }
    rt_cgroup_kill_all(rt, sb->id);
}

/* Forget a (no longer) running init: fds, pid file. */
void rt_detach(struct rt *rt, struct rt_sandbox *sb)
{
    rt_unwatch_close(rt, &sb->ev_fd);
    rt_unwatch_close(rt, &sb->pidfd);
    if (sb->req_fd >= 0) close(sb->req_fd);
    sb->req_fd = -1;
    if (sb->root_fd >= 0) close(sb->root_fd);
    sb->root_fd = -1;
    sb->running = sb->frozen = false;
    sb->init_pid = 0;
    sb->init_start = 0;
    unlinkat(sb->dir_fd, "init.pid", 0);
    unlinkat(sb->dir_fd, "frozen", 0);
    unlinkat(sb->dir_fd, "ctl.sock", 0);
}

int rt_sandbox_destroy(struct rt *rt, struct rt_sandbox *sb, struct error *err)
{
    (void)err; /* cannot fail: what is not gone yet is retried later */
    sb->stopping = true;
    rt_children_kill_readers(rt, sb); /* a snapshot's copy of it fails (rt_layer.c) */
    struct rt_grave *g = grave_new();
    if (!g) { /* no memory for the retry list: do what can be done right now */
        rt_kill_tree(rt, sb);
        rt_detach(rt, sb);
        rt_sb_unlink(rt, sb);
        rt_rm_rf(sb->dir);
        rt_cgroup_remove(rt, sb->id);
        rt_sb_free(sb);
        return 0;
    }
    snprintf(g->id, sizeof g->id, "%s", sb->id);
    g->pid = sb->init_pid;
    g->pidfd = sb->pidfd >= 0 ? dup(sb->pidfd) : -1;
    if (g->pidfd >= 0) fcntl(g->pidfd, F_SETFD, FD_CLOEXEC);
    rt_kill_tree(rt, sb);
    rt_detach(rt, sb);
    rt_sb_unlink(rt, sb);
    if (rename_to_trash(rt, sb->dir, sb->id, g) < 0)
        snprintf(g->trash, sizeof g->trash, "%s", sb->dir);
    rt_sb_free(sb);
    g->next = rt->graves;
    rt->graves = g;
    rt_watch(rt, g->pidfd);
    rt_grave_try(rt);
    return 0;
}

int rt_remove_later(struct rt *rt, const char *path)
{
    if (!rt) {
        errno = EINVAL;
        return -1;
    }
    return rt_grave_bury(rt, path, "freed.layer"); /* "." : no sandbox id */
}
