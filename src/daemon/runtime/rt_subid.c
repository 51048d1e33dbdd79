/* rt_subid.c - rootless boxtopd's subordinate id range (/etc/subuid, /etc/subgid), so that a
 * sandbox has a real root (and sudo works) without boxtopd being root.
 *
 * The map of every rootless sandbox's user namespace, written by the set-uid helpers
 * newuidmap/newgidmap (package uidmap), which allow exactly the ranges those files give the
 * user plus the user's own id:
 *   inside 0..999     -> range start + 0..999      (root inside = the range's first id)
 *   inside 1000       -> boxtopd's own uid/gid     ("user": its files stay boxtopd's)
 *   inside 1001..65535 -> range start + 1001..65535
 * Never host root. Files root inside creates belong to the range on the host, which boxtopd's
 * user cannot delete directly: rt_subid_spawn runs a function as root of such a namespace. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rt_internal.h"

/* The first line of file for name (or the numeric uid) with at least RT_IDMAP_SIZE ids. */
static bool range_in(const char *file, const char *name, uid_t uid, uint32_t *start)
{
    char buf[65536], num[16];
    if (rt_read_file(file, buf, sizeof buf) < 0) return false;
    snprintf(num, sizeof num, "%u", (unsigned)uid);
    for (char *line = buf; line && *line;) {
        char *next = strchr(line, '\n');
        if (next) *next++ = '\0';
        char *colon = strchr(line, ':');
        unsigned long s, c;
        if (colon) {
            *colon = '\0';
            if ((strcmp(line, name) == 0 || strcmp(line, num) == 0) &&
                sscanf(colon + 1, "%lu:%lu", &s, &c) == 2 && c >= RT_IDMAP_SIZE && s > 0 &&
                s + RT_IDMAP_SIZE <= 0xffffffffUL) {
                *start = (uint32_t)s;
                return true;
            }
        }
        line = next;
    }
    return false;
}

static bool in_path(const char *prog)
{
    const char *path = getenv("PATH");
    char dir[PATH_MAX], p[PATH_MAX + 64];
    if (!path || !*path) path = RT_DEFAULT_PATH;
    while (*path) {
        size_t l = strcspn(path, ":");
        if (l && l < sizeof dir) {
            memcpy(dir, path, l);
            dir[l] = '\0';
            snprintf(p, sizeof p, "%s/%s", dir, prog);
            if (access(p, X_OK) == 0) return true;
        }
        path += l + (path[l] == ':');
    }
    return false;
}

bool rt_subid_detect(struct rt_subid *s, char *why, size_t n)
{
    memset(s, 0, sizeof *s);
    s->uid = getuid();
    s->gid = getgid();
    struct passwd *pw = getpwuid(s->uid);
    snprintf(s->user, sizeof s->user, "%s", pw && pw->pw_name ? pw->pw_name : "");
    const char *who = s->user[0] ? s->user : "this user";
    if (!range_in("/etc/subuid", s->user, s->uid, &s->uid_start) ||
        !range_in("/etc/subgid", s->user, s->uid, &s->gid_start)) {
        snprintf(why, n,
                 "sudo unavailable: no subordinate range for %s in /etc/subuid and /etc/subgid "
                 "(root requests run as user; add one with `usermod --add-subuids "
                 "100000-165535 --add-subgids 100000-165535 %s` as root, and install uidmap)",
                 who, s->user[0] ? s->user : "USER");
        return false;
    }
    if (!in_path("newuidmap") || !in_path("newgidmap")) {
        snprintf(why, n,
                 "sudo unavailable: newuidmap/newgidmap not found for %s's subordinate range "
                 "(root requests run as user; install the uidmap package)",
                 who);
        return false;
    }
    s->ok = true;
    return true;
}

/* "newuidmap PID 0 START 1000 1000 OWN 1 1001 START+1001 64535": one exec, waited for. */
static int run_map(const char *prog, pid_t pid, uint32_t start, unsigned own)
{
    char a[6][24];
    snprintf(a[0], sizeof a[0], "%d", (int)pid);
    snprintf(a[1], sizeof a[1], "%u", start);
    snprintf(a[2], sizeof a[2], "%u", RT_USER_UID);
    snprintf(a[3], sizeof a[3], "%u", own);
    snprintf(a[4], sizeof a[4], "%u", start + RT_USER_UID + 1);
    snprintf(a[5], sizeof a[5], "%u", RT_IDMAP_SIZE - RT_USER_UID - 1);
    char *argv[] = {(char *)prog, a[0], "0", a[1], a[2], a[2], a[3], "1", "1001", a[4], a[5], NULL};
    pid_t c = fork();
    if (c < 0) return -1;
    if (c == 0) {
        int nul = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (nul >= 0) {
            dup2(nul, 0);
            dup2(nul, 1);
        }
        execvp(prog, argv);
        _exit(127);
    }
    int st = 0;
    while (waitpid(c, &st, 0) < 0)
        if (errno != EINTR) return -1;
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0) return 0;
    errno = EPERM;
    return -1;
}

int rt_subid_write_maps(const struct rt_subid *s, pid_t pid, char *why, size_t n)
{
    if (run_map("newuidmap", pid, s->uid_start, (unsigned)s->uid) < 0)
        return rt_fail(why, n, "newuidmap for %s's subordinate range", s->user);
    if (run_map("newgidmap", pid, s->gid_start, (unsigned)s->gid) < 0)
        return rt_fail(why, n, "newgidmap for %s's subordinate range", s->user);
    return 0;
}

uint32_t rt_subid_host_uid(const struct rt_subid *s, uint32_t inside)
{
    return inside == RT_USER_UID ? (uint32_t)s->uid : s->uid_start + inside;
}

uint32_t rt_subid_host_gid(const struct rt_subid *s, uint32_t inside)
{
    return inside == RT_USER_UID ? (uint32_t)s->gid : s->gid_start + inside;
}

uint32_t rt_subid_inside_uid(const struct rt_subid *s, uint32_t host)
{
    return host == (uint32_t)s->uid ? RT_USER_UID : host - s->uid_start;
}

uint32_t rt_subid_inside_gid(const struct rt_subid *s, uint32_t host)
{
    return host == (uint32_t)s->gid ? RT_USER_UID : host - s->gid_start;
}

/* The child that enters the namespace: it waits for the maps, becomes root there and runs fn. */
static void ns_child(const struct rt_subid *s, int fd, int (*fn)(void *), void *arg)
{
    char c = 0;
    if (unshare(CLONE_NEWUSER) < 0 || write(fd, "u", 1) != 1 || read(fd, &c, 1) != 1 || c != 'm')
        _exit(125);
    close(fd);
    if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0) _exit(125);
    (void)s;
    int rc = fn(arg); /* -errno comes back as the exit status */
    _exit(rc == 0 ? 0 : rc < 0 && rc > -125 ? -rc : 1);
}

/* keep: one descriptor of boxtopd's the function uses (-1: none). */
static pid_t spawn_keep(const struct rt_subid *s, int keep, int (*fn)(void *), void *arg)
{
    pid_t helper = fork(); /* so that boxtopd need not wait: helper maps, then waits */
    if (helper != 0) return helper;
    /* none of boxtopd's sockets live on in here */
    if (keep < 3) {
        syscall(SYS_close_range, 3U, ~0U, 0U);
    } else {
        if (keep > 3) syscall(SYS_close_range, 3U, (unsigned)keep - 1, 0U);
        syscall(SYS_close_range, (unsigned)keep + 1, ~0U, 0U);
    }
    int sp[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) < 0) _exit(126);
    pid_t pid = fork();
    if (pid < 0) _exit(126);
    if (pid == 0) {
        close(sp[0]);
        ns_child(s, sp[1], fn, arg);
    }
    close(sp[1]);
    char c = 0, why[256];
    if (read(sp[0], &c, 1) != 1 || c != 'u' || rt_subid_write_maps(s, pid, why, sizeof why) < 0 ||
        write(sp[0], "m", 1) != 1)
        kill(pid, SIGKILL);
    close(sp[0]);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 1);
}

pid_t rt_subid_spawn(const struct rt_subid *s, int (*fn)(void *), void *arg)
{
    return spawn_keep(s, -1, fn, arg);
}

/* Waited for: 0, or -(the child's exit status) (fn's errno, 1 for other failures). */
static int run_keep(const struct rt_subid *s, int keep, int (*fn)(void *), void *arg)
{
    pid_t pid = spawn_keep(s, keep, fn, arg);
    if (pid < 0) return -errno;
    int st = 0;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) return -errno;
    if (!WIFEXITED(st) || WEXITSTATUS(st) >= 125) return -EPERM; /* no namespace or map */
    return -WEXITSTATUS(st);
}

int rt_subid_run(const struct rt_subid *s, int (*fn)(void *), void *arg)
{
    return run_keep(s, -1, fn, arg) == 0 ? 0 : -1;
}

struct as_root {
    rt_as_root_fn *fn;
    void *arg;
    int root_fd;
    uid_t uid;
    gid_t gid;
};

static int as_root_fn(void *arg)
{
    struct as_root *a = arg;
    return a->fn(a->root_fd, a->uid, a->gid, a->arg);
}

int rt_sandbox_as_root(struct rt_sandbox *sb, uid_t uid, gid_t gid, rt_as_root_fn *fn, void *arg)
{
    const struct rt_subid *s = &sb->rt->sub;
    if (sb->rt->mode != RT_MODE_ROOTLESS || !s->ok || sb->root_fd < 0) return -ENOTSUP;
    if (uid != s->uid && (uid < s->uid_start || uid - s->uid_start >= RT_IDMAP_SIZE)) return -EPERM;
    if (gid != s->gid && (gid < s->gid_start || gid - s->gid_start >= RT_IDMAP_SIZE)) return -EPERM;
    struct as_root a = {fn, arg, sb->root_fd, rt_subid_inside_uid(s, uid),
                        rt_subid_inside_gid(s, gid)};
    return run_keep(s, sb->root_fd, as_root_fn, &a);
}

static int noop_fn(void *arg)
{
    (void)arg;
    return 0;
}

bool rt_subid_usable(struct rt_subid *s, char *why, size_t n)
{
    if (!rt_subid_detect(s, why, n)) return false;
    if (rt_subid_run(s, noop_fn, NULL) == 0) return true;
    s->ok = false;
    snprintf(why, n,
             "sudo unavailable: newuidmap/newgidmap refused %s's subordinate range (root "
             "requests run as user)",
             s->user[0] ? s->user : "this user");
    return false;
}

static int rm_fn(void *arg)
{
    return rt_rm_rf(arg);
}

pid_t rt_subid_rm_spawn(const struct rt_subid *s, const char *path)
{
    return rt_subid_spawn(s, rm_fn, (void *)path);
}

int rt_subid_rm_rf(const struct rt_subid *s, const char *path)
{
    if (rt_rm_rf(path) == 0) return 0;
    return s && s->ok ? rt_subid_run(s, rm_fn, (void *)path) : -1;
}
