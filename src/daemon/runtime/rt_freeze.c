/* rt_freeze.c - pausing a sandbox in place: the cgroup freezer, or SIGSTOP/SIGCONT to its
 * process tree where there is none. A "frozen" marker file tells rt_sandbox_open() after a
 * restart. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "rt_internal.h"

static int signal_tree(struct rt *rt, struct rt_sandbox *sb, int signo)
{
    pid_t pids[4096];
    int n = rt->cg.version ? rt_cgroup_pids(rt, sb->id, pids, 4096) : -1;
    if (n < 0) n = rt_proc_tree(sb->init_pid, pids, 4096);
    for (int i = 0; i < n; i++)
        kill(pids[i], signo);
    return n < 0 ? -1 : 0;
}

int rt_sandbox_freeze(struct rt *rt, struct rt_sandbox *sb, struct error *err)
{
    if (!sb->running) return error_set(err, ERROR_CONFLICT, "sandbox %s is not running", sb->id);
    if (sb->copy_froze) { /* frozen for a copy already: now it stays frozen after it */
        sb->copy_froze = false;
        unlinkat(sb->dir_fd, "copy-frozen", 0);
    }
    int rc = rt_cgroup_freeze(rt, sb, true);
    if (rc == -ENOTSUP) rc = signal_tree(rt, sb, SIGSTOP);
    if (rc < 0) return error_set(err, ERROR_GENERIC, "freeze %s: %s", sb->id, strerror(-rc));
    sb->frozen = true;
    char p[PATH_MAX];
    if (rt_path(p, sizeof p, "%s/frozen", sb->dir) == 0)
        rt_write_file(p, "", 0, 0600); /* how open() knows after a restart without a freezer */
    return 0;
}

int rt_sandbox_thaw(struct rt *rt, struct rt_sandbox *sb, struct error *err)
{
    if (!sb->running) return error_set(err, ERROR_CONFLICT, "sandbox %s is not running", sb->id);
    if (sb->copies > 0 && !sb->copy_froze) /* a copy needs it still: one point in time */
        return error_set(err, ERROR_CONFLICT,
                         "sandbox %s is being copied (a snapshot or fork); try again when it is "
                         "done",
                         sb->id);
    int rc = rt_cgroup_freeze(rt, sb, false);
    if (rc == -ENOTSUP) rc = signal_tree(rt, sb, SIGCONT);
    if (rc < 0) return error_set(err, ERROR_GENERIC, "thaw %s: %s", sb->id, strerror(-rc));
    sb->frozen = false;
    unlinkat(sb->dir_fd, "frozen", 0);
    return 0;
}
