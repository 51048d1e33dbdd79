/* rt_grave.c - ending sandboxes: kill every process, forget init, and bury the files and
 * cgroups (renamed to DIR/runtime/.trash-<id>-<n> first), which a later call finishes where
 * processes are still dying (init's pidfd, rt_tick, the next create). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rt_internal.h"

void rt_grave_try(struct rt *rt)
{
    for (struct rt_grave **pp = &rt->graves; *pp;) {
        struct rt_grave *g = *pp;
        bool cg_gone = true;
        if (g->id[0]) { /* "" = a leftover directory from an earlier run */
            rt_cgroup_kill_all(rt, g->id);
            cg_gone = rt_cgroup_remove(rt, g->id) == 0;
        }
        /* bounded: a huge writable layer is deleted over several calls */
        if (g->rm_pid > 0 && waitpid(g->rm_pid, NULL, WNOHANG) != 0) g->rm_pid = 0;
        if (g->trash[0] && g->rm_pid == 0) {
            int r = rt_rm_step(g->trash, RT_RM_STEP);
            if (r == 0) g->trash[0] = '\0';
            /* rootless: files the sandbox's root made belong to the subordinate range */
            if (r < 0 && rt->sub.ok && !g->rm_spawned) {
                g->rm_spawned = true; /* once: what is still stuck then stays for later runs */
                g->rm_pid = rt_subid_rm_spawn(&rt->sub, g->trash);
                if (g->rm_pid < 0) g->rm_pid = 0;
            }
        }
        if (cg_gone && !g->trash[0]) {
            *pp = g->next;
            rt_unwatch_close(rt, &g->pidfd);
            free(g);
        } else {
            pp = &g->next;
        }
    }
}

/* Shutdown only: give killed sandboxes a bounded moment to finish dying so that their cgroups
 * and files go now instead of at the next start (the loop is ending, so waiting is fine). */
void rt_graves_drain(struct rt *rt, int budget_ms)
{
    for (int waited = 0; rt->graves && waited < budget_ms; waited += 20) {
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
    struct rt_grave *g = calloc(1, sizeof *g);
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
    for (int tries = 0; tries < 100; tries++) {
        if (rt_path(g->trash, sizeof g->trash, "%s/.trash-%s-%u", rt->rt_dir, sb->id,
                    rt->trash_seq++) < 0)
            break;
        if (rename(sb->dir, g->trash) == 0) break;
        g->trash[0] = '\0';
        if (errno != EEXIST && errno != ENOTEMPTY) break;
    }
    if (!g->trash[0]) snprintf(g->trash, sizeof g->trash, "%s", sb->dir);
    rt_sb_free(sb);
    g->next = rt->graves;
    rt->graves = g;
    rt_watch(rt, g->pidfd);
    rt_grave_try(rt);
    return 0;
}
