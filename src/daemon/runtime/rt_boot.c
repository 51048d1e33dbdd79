/* rt_boot.c - starting a sandbox's init (see rt_internal.h for the process structure).
 *
 * boxtopd and the setup child talk over a SOCK_SEQPACKET pair with one-letter messages:
 *   C→boxtopd "U"          user ns created: write uid_map/gid_map now   (full mode: from
 *                          init; rootless with a subordinate range: from C, by newuidmap)
 *   boxtopd→C "M"          maps written
 *   C→boxtopd "P <pid>"    init's host pid
 *   init→boxtopd "R"       root filesystem entered, control socket served
 *   any→boxtopd "E <text>" a step failed
 * A spare (rt_spare.c) stops before "U": init→boxtopd "W" (waiting), and later
 * boxtopd→init "N<id>\0<etc texts>" names it; then "U", "M", "R" as above.
 * Every wait is bounded by RT_REPLY_MS; the whole boot takes a few milliseconds. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rt_internal.h"

static void sync_send(int fd, const char *fmt, const char *s)
{
    char msg[600];
    int n = snprintf(msg, sizeof msg, fmt, s);
    if (n > 0 && send(fd, msg, (size_t)n, MSG_NOSIGNAL) < 0) { /* boxtopd gave up: exit below */
    }
}

static void child_fail(int sync_fd, const char *why)
{
    sync_send(sync_fd, "E %s", why);
    _exit(1);
}

static void write_oom_adj(const char *v)
{
    int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (write(fd, v, strlen(v)) < 0) { /* not fatal: init is just less protected */
        }
        close(fd);
    }
}

/* A candidate boxtopd-init that boxtopd may run as root: a regular executable file nobody but
 * root or boxtopd's own user can change. */
static int exe_open(const char *path)
{
    int fd = open(path, O_PATH | O_CLOEXEC);
    struct stat st;
    if (fd < 0) return -1;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || !(st.st_mode & S_IXUSR) ||
        (st.st_mode & (S_IWGRP | S_IWOTH)) || (st.st_uid != 0 && st.st_uid != geteuid())) {
        close(fd);
        return -1;
    }
    return fd;
}

int rt_init_exe_open(void)
{
    char self[PATH_MAX], p[PATH_MAX + 32];
    /* next to the running binary (the build tree: src/), then where make install put it */
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = '\0';
        char *slash = strrchr(self, '/');
        if (slash) {
            *slash = '\0';
            snprintf(p, sizeof p, "%s/boxtopd-init", self);
            int fd = exe_open(p);
            if (fd >= 0) return fd;
        }
    }
#ifdef BOXTOP_LIBEXECDIR
    return exe_open(BOXTOP_LIBEXECDIR "/boxtop/boxtopd-init");
#else
    return -1;
#endif
}

/* The sandbox's root filesystem at DIR/root, in the setup child's new mount ns: the base
 * image, or the host's root (--base host; rootless: a tmpfs with per-directory overlays). */
static int mount_root(struct rt *rt, struct rt_sandbox *sb, char *why, size_t n)
{
    bool rootless = rt->mode == RT_MODE_ROOTLESS;
    if (rt_on_image(rt))
        return rootless ? rt_imagefs_mount(sb->dir, rt->base.st.lower, true, 0, 0, why, n)
                        : rt_imagefs_mount(sb->dir, rt->base.st.lower, false, rt->base.lower_base,
                                           sb->idbase, why, n);
    return rootless ? rt_rootfs_mount_rootless(sb->dir, rt->state_dir, why, n)
                    : rt_rootfs_mount_host(sb->dir, rt->state_dir, why, n);
}

/* Rootless with a subordinate range: boxtopd maps this process's new user ns (newuidmap). */
static int wait_maps(int sync_fd, char *why, size_t n)
{
    char c = 0;
    if (send(sync_fd, "U", 1, MSG_NOSIGNAL) != 1 || recv(sync_fd, &c, 1, 0) != 1 || c != 'M') {
        snprintf(why, n, "no uid map from boxtopd");
        return -1;
    }
    return 0;
}

/* The setup child C. Never returns. */
static void boot_child(struct rt *rt, struct rt_sandbox *sb, int listen_fd, int sync_fd, bool spare)
{
    char why[512];
    /* Keep only the two sockets: boxtopd's listeners and clients must not live on in init. */
    /* ...and the binary init re-executes after pivot_root (fd 5): boxtopd-init, else the
     * running one. */
    int exe = rt->init_exe >= 0 ? rt->init_exe : open("/proc/self/exe", O_PATH | O_CLOEXEC);
    if (dup2(listen_fd, 3) < 0 || dup2(sync_fd, 4) < 0) _exit(1);
    if (exe < 0 || dup2(exe, 5) < 0) close(5);
    listen_fd = 3;
    sync_fd = 4;
    syscall(SYS_close_range, 6U, ~0U, 0U);
    /* Not boxtopd's stdio either: init outlives boxtopd, and whoever reads boxtopd's output
     * (a terminal, a test harness's pipe) must see it end when boxtopd does. */
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0) _exit(1);
    if (null > 5) close(null);
    fcntl(3, F_SETFD, FD_CLOEXEC);
    fcntl(4, F_SETFD, FD_CLOEXEC);
    fcntl(5, F_SETFD, FD_CLOEXEC);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (int s = 1; s < NSIG; s++)
        if (s != SIGKILL && s != SIGSTOP) signal(s, SIG_DFL);
    setsid(); /* boxtopd's terminal (Ctrl-C) must not reach the sandbox */
    if (rt->nofile.rlim_cur != RLIM_INFINITY) setrlimit(RLIMIT_NOFILE, &rt->nofile);
    int rc = rt_cgroup_attach_self(rt, sb->id);
    if (rc < 0) {
        snprintf(why, sizeof why, "join cgroup: %s", strerror(-rc));
        child_fail(sync_fd, why);
    }
    write_oom_adj("-999");

    struct rt_init_args a = {
        .mode = rt->mode, .listen_fd = listen_fd, .sync_fd = sync_fd, .id = sb->id, .spare = spare};
    snprintf(a.home, sizeof a.home, "%s", sb->home);
    if (rt_mode_ns(rt->mode)) {
        bool rootless = rt->mode == RT_MODE_ROOTLESS;
        uid_t uid = getuid(); /* before the user ns: unmapped, it reads as the overflow id */
        gid_t gid = getgid();
        if (rt_path(a.root, sizeof a.root, "%s/root", sb->dir) < 0)
            child_fail(sync_fd, "path too long");
        /* Full mode: a mount ns of the host's user ns (root inside can neither mount nor
         * unmount; init enters the sandbox's user ns last, see rt_init_enter). Rootless: the
         * user ns first, whose ids then own the mount ns. */
        if (unshare(rootless ? CLONE_NEWUSER | CLONE_NEWNS : CLONE_NEWNS) < 0) {
            snprintf(why, sizeof why, "unshare %s ns: %s", rootless ? "user+mount" : "mount",
                     strerror(errno));
            child_fail(sync_fd, why);
        }
        if ((rootless && (rt->sub.ok ? wait_maps(sync_fd, why, sizeof why)
                                     : rt_rootfs_self_map(uid, gid, why, sizeof why)) < 0) ||
            (rootless && rt->sub.ok && rt_on_image(rt) &&
             rt_imagefs_etc(rt, sb, why, sizeof why) < 0) ||
            mount_root(rt, sb, why, sizeof why) < 0 ||
            rt_binds_mount(sb->dir, a.root, sb->idbase, !rootless, why, sizeof why) < 0)
            child_fail(sync_fd, why);
        if (chdir(a.root) < 0) {
            snprintf(why, sizeof why, "chdir root: %s", strerror(errno));
            child_fail(sync_fd, why);
        }
        if (unshare(CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC) < 0) {
            snprintf(why, sizeof why, "unshare namespaces: %s", strerror(errno));
            child_fail(sync_fd, why);
        }
        /* No internet: init and all it starts in a network ns of their own (full mode: owned
         * by the host's user ns, so root inside cannot reconfigure it; rootless: by the user
         * ns made above, whose root this process is now) */
        if (sb->spec.no_net && rt_net_isolate(why, sizeof why) < 0) child_fail(sync_fd, why);
    }
    pid_t g = fork();
    if (g < 0) {
        snprintf(why, sizeof why, "fork init: %s", strerror(errno));
        child_fail(sync_fd, why);
    }
    if (g == 0) {
        if (rt_mode_ns(rt->mode)) {
            /* devpts' "tty" group: a host id (full), 5 inside (rootless range), or none */
            long tty = rt->mode == RT_MODE_FULL ? (long)sb->idbase + 5 : rt->sub.ok ? 5L : -1L;
            if (rt_rootfs_enter(sb->id, tty, why, sizeof why) < 0) child_fail(sync_fd, why);
        } else if (chdir(a.home) < 0) {
            snprintf(why, sizeof why, "chdir home: %s", strerror(errno));
            child_fail(sync_fd, why);
        }
        /* Rootless: exec would drop the capabilities (uid "user", not root, in its user ns)
         * that pivot_root needs, and after it the image lacks boxtopd's libraries; so init
         * pivots now and stays the forked copy (rt_init_enter says why it stays dumpable). */
        if (rt->mode == RT_MODE_ROOTLESS && rt_rootfs_pivot() < 0) {
            snprintf(why, sizeof why, "pivot_root: %s", strerror(errno));
            child_fail(sync_fd, why);
        }
        if (rt->mode != RT_MODE_ROOTLESS)
            rt_init_exec(&a); /* continues in rt_init_enter + rt_init_main of the new image */
        rt_init_enter(&a);    /* exec failed: the same, in this copy */
        rt_init_main(&a);
    }
    char pidtxt[32];
    snprintf(pidtxt, sizeof pidtxt, "%d", (int)g);
    sync_send(sync_fd, "P %s", pidtxt);
    _exit(0);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One sync message, waiting at most until deadline. */
static ssize_t sync_recv(int fd, char *buf, size_t cap, int64_t deadline)
{
    for (;;) {
        int64_t left = deadline - now_ms();
        if (left <= 0) {
            errno = ETIMEDOUT;
            return -1;
        }
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int r = poll(&p, 1, (int)left);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            errno = r == 0 ? ETIMEDOUT : errno;
            return -1;
        }
        ssize_t n = recv(fd, buf, cap - 1, MSG_DONTWAIT);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n >= 0) buf[n] = '\0';
        return n;
    }
}

static int write_maps(pid_t pid, uint32_t base)
{
    char p[64], map[64];
    snprintf(map, sizeof map, "0 %u %u\n", base, RT_IDMAP_SIZE);
    snprintf(p, sizeof p, "/proc/%d/uid_map", (int)pid);
    if (rt_write_str(p, map) < 0) return -1;
    snprintf(p, sizeof p, "/proc/%d/gid_map", (int)pid);
    return rt_write_str(p, map);
}

int rt_ctl_connect(struct rt_sandbox *sb, uint32_t hello)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    /* Through the directory fd: the state dir path may be longer than sun_path. */
    snprintf(sa.sun_path, sizeof sa.sun_path, "/proc/self/fd/%d/ctl.sock", sb->dir_fd);
    int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int big = 2 * RT_MSG_MAX;
    if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof big) < 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
    struct rt_msg_hdr h = {hello, 0};
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
        send(fd, &h, sizeof h, MSG_NOSIGNAL) != (ssize_t)sizeof h) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

static int ctl_listen(struct rt_sandbox *sb)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "/proc/self/fd/%d/ctl.sock", sb->dir_fd);
    unlinkat(sb->dir_fd, "ctl.sock", 0);
    int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 8) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

void rt_boot_abort(struct rt *rt, struct rt_sandbox *sb, struct rt_boot *b)
{
    if (b->g > 0) kill(b->g, SIGKILL);
    if (b->c > 0 && !b->c_done) {
        kill(b->c, SIGKILL);
        waitpid(b->c, NULL, 0);
    }
    b->c_done = true;
    if (b->fd >= 0) close(b->fd);
    b->fd = -1;
    rt_cgroup_kill_all(rt, sb->id);
}

int rt_boot_start(struct rt *rt, struct rt_sandbox *sb, bool spare, struct rt_boot *b,
                  struct error *err)
{
    *b = (struct rt_boot){.fd = -1};
    if (rt_cgroup_create(rt, sb, err) < 0) return -1;
    rt_cgroup_kill_all(rt, sb->id); /* leftovers of a crashed earlier boot */
    int lfd = ctl_listen(sb);
    if (lfd < 0) return error_set(err, ERROR_GENERIC, "control socket: %s", strerror(errno));
    int sp[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0) {
        close(lfd);
        return error_set(err, ERROR_GENERIC, "socketpair: %s", strerror(errno));
    }
    pid_t c = fork();
    if (c < 0) {
        close(lfd);
        close(sp[0]);
        close(sp[1]);
        return error_set(err, ERROR_GENERIC, "fork: %s", strerror(errno));
    }
    if (c == 0) {
        close(sp[0]);
        boot_child(rt, sb, lfd, sp[1], spare);
    }
    close(lfd);
    close(sp[1]);
    b->c = c;
    b->fd = sp[0];
    return 0;
}

/* One sync message (see the top): 1 when init is ready ("R", or "W" from a spare), 0 when more
 * is to come, -1 when the boot failed (err says why; the boot is aborted). deadline < 0: only
 * what is there already (the fd was readable). */
int rt_boot_step(struct rt *rt, struct rt_sandbox *sb, struct rt_boot *b, int64_t deadline,
                 struct error *err)
{
    char msg[600];
    ssize_t n = deadline < 0 ? recv(b->fd, msg, sizeof msg - 1, MSG_DONTWAIT)
                             : sync_recv(b->fd, msg, sizeof msg, deadline);
    if (n < 0 && deadline < 0 && (errno == EAGAIN || errno == EINTR)) return 0;
    if (n > 0) msg[n] = '\0';
    if (n <= 0 || msg[0] == 'E') {
        if (n > 0)
            error_set(err, ERROR_GENERIC, "sandbox %s: %s", sb->id, msg + 2);
        else
            error_set(err, ERROR_GENERIC, "sandbox %s: init did not start: %s", sb->id,
                      n == 0 ? "setup process exited" : strerror(errno));
        rt_boot_abort(rt, sb, b);
        return -1;
    }
    if (msg[0] == 'U') {
        b->want_maps = true; /* init made its user ns (maybe before we know its pid) */
    } else if (msg[0] == 'P') {
        b->g = (pid_t)atoi(msg + 2);
        waitpid(b->c, NULL, 0); /* C exits right after this message */
        b->c_done = true;
    } else if (msg[0] == 'R') {
        b->ready = true;
    } else if (msg[0] == 'W') {
        b->waiting = true;
    }
    /* full mode: init's user ns (after "P"); rootless: the setup child's, by newuidmap */
    bool rootless = rt->mode == RT_MODE_ROOTLESS;
    if (b->want_maps && (rootless || b->g > 0)) {
        b->want_maps = false;
        char why[300] = "";
        if ((rootless ? rt_subid_write_maps(&rt->sub, b->c, why, sizeof why)
                      : write_maps(b->g, sb->idbase)) < 0 ||
            send(b->fd, "M", 1, MSG_NOSIGNAL) != 1) {
            error_set(err, ERROR_GENERIC, "sandbox %s: uid map: %s", sb->id,
                      why[0] ? why : strerror(errno));
            rt_boot_abort(rt, sb, b);
            return -1;
        }
    }
    return b->g > 0 && (b->ready || b->waiting) ? 1 : 0;
}

/* Until init is ready, at most RT_REPLY_MS; then it is sb's. */
int rt_boot_finish(struct rt *rt, struct rt_sandbox *sb, struct rt_boot *b, struct error *err)
{
    int64_t deadline = now_ms() + RT_REPLY_MS;
    int rc;
    while ((rc = rt_boot_step(rt, sb, b, deadline, err)) == 0 || (rc == 1 && !b->ready))
        ;
    if (rc < 0) return -1;
    close(b->fd);
    b->fd = -1;
    sb->init_pid = b->g;
    sb->init_start = rt_proc_starttime(b->g);
    return 0;
}

int rt_boot_init(struct rt *rt, struct rt_sandbox *sb, struct error *err)
{
    struct rt_boot b;
    if (rt_boot_start(rt, sb, false, &b, err) < 0) return -1;
    return rt_boot_finish(rt, sb, &b, err);
}
