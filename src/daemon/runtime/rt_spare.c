/* rt_spare.c - one sandbox booted ahead of time, so that a create does not wait for the boot
 * (issue 22: the fork of boxtopd, the setup child's mounts, init's exec and pivot were most
 * of a create's time).
 *
 * A spare is a sandbox like any other (rt_boot.c), under the name .spare-<pid>-<n>: its own
 * writable layer, overlay root, /dev, pid/uts/ipc namespaces, cgroups and id range, booted
 * while the loop runs (the sync socket is watched, nothing blocks). Its init stops before it
 * enters the sandbox's user namespace and waits, still real root, with no other process in
 * the sandbox: nothing has run in it, so nothing can leak from one create into another. A
 * create that needs nothing of its own before boot (no seed, volumes or layers) takes it:
 * init is named (hostname, /etc/hostname, hosts and resolv.conf, written by init through its
 * root), enters the user ns as usual, then the directory and cgroups are renamed to the
 * sandbox's id and the spec's limits set. What is left is the same as a fresh boot's. The
 * next spare boots a moment later; one that fails or hangs is dropped (after a few failures
 * in a row spares stop, and creates boot as before). Full mode only, on cgroup v1 (whose
 * groups can be renamed) or without cgroups. BOXTOPD_SPARE=0 turns spares off. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "boxtop/log.h"
#include "rt_internal.h"

/* After a take the next spare boots once the new sandbox's first process has started (the
 * usual next request: its start is not slowed by the boot's work in this loop), at the latest
 * SPARE_DELAY_MS later. */
#define SPARE_DELAY_MS    20
#define SPARE_RETRY_MS    1000 /* after a failed boot */
#define SPARE_MAX_FAILURE 3

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void arm(struct rt *rt, int ms)
{
    struct itimerspec it = {.it_value = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L}};
    if (ms <= 0) it.it_value.tv_nsec = 1; /* 0 would disarm */
    if (rt->spare.timer_fd >= 0) timerfd_settime(rt->spare.timer_fd, 0, &it, NULL);
}

void rt_spare_init(struct rt *rt)
{
    struct rt_spare *s = &rt->spare;
    const char *env = getenv("BOXTOPD_SPARE");
    s->timer_fd = -1;
    s->enabled = rt->mode == RT_MODE_FULL && rt->cg.version != 2 && !(env && !strcmp(env, "0"));
    if (!s->enabled) return;
    s->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (s->timer_fd < 0 || !rt->hooks.watch_fd ||
        rt->hooks.watch_fd(rt->hooks.ud, s->timer_fd) < 0) {
        if (s->timer_fd >= 0) close(s->timer_fd);
        s->timer_fd = -1;
        s->enabled = false;
    }
}

void rt_spare_schedule(struct rt *rt, int ms)
{
    if (rt->spare.enabled && !rt->spare.sb) arm(rt, ms);
}

static void unwatch_boot_fd(struct rt *rt)
{
    struct rt_spare *s = &rt->spare;
    if (s->boot.fd >= 0 && rt->hooks.unwatch_fd) rt->hooks.unwatch_fd(rt->hooks.ud, s->boot.fd);
}

/* The spare goes: its processes are killed, its files and cgroups go the way of a destroyed
 * sandbox's (rt_grave_try). */
static void drop(struct rt *rt, bool failed)
{
    struct rt_spare *s = &rt->spare;
    struct rt_sandbox *sb = s->sb;
    if (!sb) return;
    unwatch_boot_fd(rt);
    rt_boot_abort(rt, sb, &s->boot);
    if (s->boot.g > 0 && !sb->init_pid) {
        sb->init_pid = s->boot.g;
        sb->init_start = rt_proc_starttime(s->boot.g);
    }
    s->sb = NULL;
    s->ready = false;
    rt_sandbox_destroy(rt, sb, NULL); /* sb is in no list: this only buries it */
    if (failed && ++s->failures >= SPARE_MAX_FAILURE) {
        if (rt->lg) log_msg(rt->lg, LOG_WARN, "spare sandboxes failed %d times: off", s->failures);
        s->enabled = false;
    }
}

static void boot(struct rt *rt)
{
    struct rt_spare *s = &rt->spare;
    struct error err = {0};
    enum rt_base_state base = rt->base.st.state;
    if (!s->enabled || s->sb || (base != RT_BASE_READY && base != RT_BASE_HOST)) return;
    char id[64];
    snprintf(id, sizeof id, RT_SPARE_PREFIX "%d-%u", (int)getpid(), s->seq++);
    struct rt_sandbox *sb = rt_sb_alloc(rt, id, NULL);
    if (!sb) return;
    s->boot = (struct rt_boot){.fd = -1};
    int made = rt_sb_mkdir(rt, sb, NULL, &err);
    if (made == 0) { /* no directory: nothing to bury */
        free(sb);
        if (rt->lg) log_msg(rt->lg, LOG_WARN, "spare sandbox: %s", err.msg);
        if (++s->failures >= SPARE_MAX_FAILURE) s->enabled = false;
        arm(rt, SPARE_RETRY_MS);
        return;
    }
    s->sb = sb;
    if (made < 0 || rt_rootfs_prepare(rt, sb, &err) < 0 ||
        rt_boot_start(rt, sb, true, &s->boot, &err) < 0 ||
        rt->hooks.watch_fd(rt->hooks.ud, s->boot.fd) < 0) {
        if (rt->lg) log_msg(rt->lg, LOG_WARN, "spare sandbox: %s", err.msg);
        drop(rt, true);
        arm(rt, SPARE_RETRY_MS);
        return;
    }
    s->started_ms = mono_ms();
    arm(rt, RT_REPLY_MS); /* the deadline of this boot */
}

/* The spare's sync socket: boot progress, or (waiting) its init's end. */
static void on_sync(struct rt *rt)
{
    struct rt_spare *s = &rt->spare;
    struct error err = {0};
    if (s->ready) { /* a waiting init says nothing: this is its end */
        drop(rt, true);
        arm(rt, SPARE_RETRY_MS);
        return;
    }
    int rc, fd = s->boot.fd;
    while ((rc = rt_boot_step(rt, s->sb, &s->boot, -1, &err)) == 0 && s->boot.fd >= 0) {
        char c;
        if (recv(s->boot.fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) < 0) return; /* more later */
    }
    if (rc < 0) { /* the step closed the socket: still watched under its number */
        if (rt->hooks.unwatch_fd) rt->hooks.unwatch_fd(rt->hooks.ud, fd);
        if (rt->lg) log_msg(rt->lg, LOG_WARN, "spare sandbox: %s", err.msg);
        drop(rt, true);
        arm(rt, SPARE_RETRY_MS);
        return;
    }
    s->sb->init_pid = s->boot.g;
    s->sb->init_start = rt_proc_starttime(s->boot.g);
    rt_sb_write_pid(s->sb); /* a boxtopd started after a crash kills it by this */
    s->ready = true;
    s->failures = 0;
}

bool rt_spare_on_fd(struct rt *rt, int fd)
{
    struct rt_spare *s = &rt->spare;
    if (fd < 0) return false;
    if (fd == s->timer_fd) {
        uint64_t n;
        if (read(fd, &n, sizeof n) < 0) { /* spurious: the state below decides */
        }
        if (!s->sb)
            boot(rt);
        else if (!s->ready && mono_ms() - s->started_ms >= RT_REPLY_MS) {
            if (rt->lg) log_msg(rt->lg, LOG_WARN, "spare sandbox: its boot hangs; dropped");
            drop(rt, true);
            arm(rt, SPARE_RETRY_MS);
        }
        return true;
    }
    if (s->sb && fd == s->boot.fd) {
        on_sync(rt);
        return true;
    }
    return false;
}

/* "N" + id + NUL + the /etc texts, each + NUL (rt_init.c: spare_wait_name). */
static int send_name(struct rt *rt, struct rt_spare *s, const char *id)
{
    static char msg[1 + RT_ID_MAX + 1 + sizeof(struct rt_etc)];
    struct rt_etc e;
    rt_etc_texts(rt, id, &e);
    size_t n = 0;
    msg[n++] = 'N';
    const char *parts[] = {id, e.hostname, e.hosts, e.resolv};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        size_t l = strlen(parts[i]);
        memcpy(msg + n, parts[i], l + 1);
        n += l + 1;
    }
    return send(s->boot.fd, msg, n, MSG_NOSIGNAL) == (ssize_t)n ? 0 : -1;
}

struct rt_sandbox *rt_spare_take(struct rt *rt, const struct rt_spec *spec)
{
    struct rt_spare *s = &rt->spare;
    struct rt_sandbox *sb = s->sb;
    enum error_kind kind;
    /* a spare runs on the host's network: a sandbox without one boots its own init */
    if (!s->ready || !sb || !spec || spec->no_net || spec->seed_dir ||
        (spec->binds && *spec->binds) || (spec->lowers && *spec->lowers) ||
        rt_sb_refused(rt, spec->id, &kind))
        return NULL;
    char dir[PATH_MAX], old_id[RT_ID_MAX + 1];
    struct stat st;
    if (rt_path(dir, sizeof dir, "%s/%s", rt->rt_dir, spec->id) < 0 || lstat(dir, &st) == 0)
        return NULL; /* the usual path says why */
    snprintf(old_id, sizeof old_id, "%s", sb->id);
    unwatch_boot_fd(rt);
    s->ready = false;
    struct error err = {0};
    /* named while it is still the spare: a failure leaves only a spare to drop */
    if (send_name(rt, s, spec->id) < 0 || rt_boot_finish(rt, sb, &s->boot, &err) < 0) {
        if (rt->lg)
            log_msg(rt->lg, LOG_WARN, "spare sandbox: %s", err.msg[0] ? err.msg : strerror(errno));
        drop(rt, true);
        arm(rt, SPARE_RETRY_MS);
        return NULL;
    }
    if (rt_cgroup_rename(rt, old_id, spec->id) < 0) {
        if (rt->lg) log_msg(rt->lg, LOG_WARN, "spare sandbox: cgroup rename: %s", strerror(errno));
        drop(rt, true);
        arm(rt, SPARE_RETRY_MS);
        return NULL;
    }
    if (renameat2(AT_FDCWD, sb->dir, AT_FDCWD, dir, RENAME_NOREPLACE) < 0) {
        rt_cgroup_rename(rt, spec->id, old_id);
        drop(rt, true);
        arm(rt, SPARE_RETRY_MS);
        return NULL;
    }
    s->sb = NULL;
    s->kick = true;
    rt_sb_name(rt, sb, spec->id, spec);
    arm(rt, SPARE_DELAY_MS);
    return sb;
}

void rt_spare_after_spawn(struct rt *rt)
{
    if (!rt->spare.kick) return;
    rt->spare.kick = false;
    rt_spare_schedule(rt, 1); /* a later loop turn: the start's answer goes out first */
}

void rt_spare_free(struct rt *rt)
{
    struct rt_spare *s = &rt->spare;
    drop(rt, false);
    s->enabled = false;
    if (s->timer_fd >= 0) {
        if (rt->hooks.unwatch_fd) rt->hooks.unwatch_fd(rt->hooks.ud, s->timer_fd);
        close(s->timer_fd);
        s->timer_fd = -1;
    }
}

/* DIR/runtime/.spare-* of a boxtopd that died: its init (by init.pid, if it still runs) and
 * cgroups go with the directory. */
void rt_spare_leftover(struct rt *rt, struct rt_grave *g, const char *name)
{
    char p[PATH_MAX], buf[64];
    int pid = 0;
    unsigned long long start = 0;
    snprintf(g->id, sizeof g->id, "%s", name);
    if (rt_path(p, sizeof p, "%s/init.pid", g->trash) == 0 &&
        rt_read_file(p, buf, sizeof buf) > 0 && sscanf(buf, "%d %llu", &pid, &start) == 2 &&
        pid > 0 && rt_proc_starttime(pid) == start)
        kill(pid, SIGKILL);
    (void)rt;
}
