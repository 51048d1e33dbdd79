/* rt_init.c - a sandbox's init: pid 1 inside its pid namespace (or a subreaper in plain mode).
 *
 * It reaps every orphan, and starts the processes boxtopd asks for over the control socket
 * (DIR/runtime/<id>/ctl.sock): boxtopd connects twice, one connection for requests (SPAWN,
 * SIGNAL, each answered by one REPLY carrying the pty master or pipe ends as SCM_RIGHTS) and
 * one for events (EXIT of a spawned process). A restarted boxtopd just connects again; the
 * newest connection of each kind wins. init is a forked copy of boxtopd and runs one poll loop;
 * it never waits on boxtopd except to hand over a reply or event (non-blocking, dropped when
 * boxtopd is not reading, since nobody would be left to care).
 *
 * init keeps its own copy of every process's pty master or pipe ends (and the metadata
 * boxtopd gave with SPAWN) until it reaps the process: when boxtopd dies, no shell is hung up
 * and no pipe breaks (a process that fills its pty or pipe just waits), and the boxtopd that
 * adopts the sandbox takes them back with LIST. It never reads or writes them itself. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <linux/capability.h>

#include "rt_internal.h"

#define INIT_MAX_PENDING 4
#define INIT_MAX_TRACKED 4096
#define INIT_MAX_KEPT    1024 /* processes whose fds and metadata are kept (bounds init) */

/* A process init started: its EXIT goes to boxtopd; its stdio is kept for a new boxtopd. */
struct iproc {
    pid_t pid;
    uint32_t flags; /* RT_SPAWN_PTY / RT_SPAWN_STDIN of what is kept */
    int fd[3];      /* as in struct rt_msg_proc */
    int nfd;
    char *meta;
    uint32_t metalen;
};

struct init {
    struct rt_init_args *a;
    int sig_fd;
    int req_fd, ev_fd;
    int pending[INIT_MAX_PENDING];
    struct iproc *tracked; /* INIT_MAX_TRACKED */
    int ntracked, nkept;
    struct rlimit nofile; /* as init got it: what the processes it starts get */
    char *buf;
};

static void iproc_drop(struct init *in, struct iproc *p)
{
    for (int i = 0; i < p->nfd; i++)
        close(p->fd[i]);
    if (p->nfd) in->nkept--;
    p->nfd = 0;
    free(p->meta);
    p->meta = NULL;
    p->metalen = 0;
}

/* Returns true when it kept the fds (else they stay the caller's) and a copy of meta. */
static bool init_track(struct init *in, pid_t pid, uint32_t flags, const int *fds, int nfd,
                       const char *meta, uint32_t metalen)
{
    struct iproc *p = in->ntracked < INIT_MAX_TRACKED ? &in->tracked[in->ntracked] : NULL;
    char *m = p && nfd && metalen ? malloc(metalen) : NULL;
    if (!p || in->nkept >= INIT_MAX_KEPT || (metalen && !m)) {
        free(m);
        nfd = 0;
        m = NULL;
        metalen = 0;
        if (!p) return false;
    }
    in->ntracked++;
    *p = (struct iproc){.pid = pid, .flags = flags, .nfd = nfd, .meta = m, .metalen = metalen};
    if (m) memcpy(m, meta, metalen);
    for (int i = 0; i < nfd; i++)
        p->fd[i] = fds[i];
    if (nfd) in->nkept++;
    return nfd > 0;
}

static struct iproc *init_find(struct init *in, pid_t pid)
{
    for (int i = 0; i < in->ntracked; i++)
        if (in->tracked[i].pid == pid) return &in->tracked[i];
    return NULL;
}

static bool init_untrack(struct init *in, pid_t pid)
{
    struct iproc *p = init_find(in, pid);
    if (!p) return false;
    iproc_drop(in, p);
    *p = in->tracked[--in->ntracked];
    return true;
}

static void init_reap(struct init *in)
{
    struct signalfd_siginfo si;
    while (read(in->sig_fd, &si, sizeof si) == (ssize_t)sizeof si)
        ;
    int st;
    pid_t pid;
    while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
        if (!init_untrack(in, pid) || in->ev_fd < 0) continue;
        struct rt_msg_exit ev = {.h = {RT_MSG_EXIT, 0}, .pid = pid, .code = -1, .signo = 0};
        if (WIFEXITED(st))
            ev.code = WEXITSTATUS(st);
        else if (WIFSIGNALED(st))
            ev.signo = WTERMSIG(st);
        if (send(in->ev_fd, &ev, sizeof ev, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 && errno != EAGAIN) {
            close(in->ev_fd);
            in->ev_fd = -1;
        }
    }
}

/* execvpe() searches init's own PATH; the process's PATH is the one in its envp. */
static void exec_in_path(char *const argv[], char *const envp[])
{
    const char *file = argv[0];
    if (strchr(file, '/')) {
        execve(file, argv, envp);
        return;
    }
    const char *path = RT_DEFAULT_PATH;
    for (int i = 0; envp[i]; i++)
        if (strncmp(envp[i], "PATH=", 5) == 0) path = envp[i] + 5;
    int saved = ENOENT;
    char full[PATH_MAX];
    for (const char *p = path;; p++) {
        const char *e = strchr(p, ':');
        size_t dl = e ? (size_t)(e - p) : strlen(p);
        if (dl == 0)
            snprintf(full, sizeof full, "%s", file);
        else if (dl + strlen(file) + 2 <= sizeof full)
            snprintf(full, sizeof full, "%.*s/%s", (int)dl, p, file);
        else
            full[0] = '\0';
        if (full[0]) {
            execve(full, argv, envp);
            if (errno == EACCES)
                saved = EACCES;
            else if (errno != ENOENT && errno != ENOTDIR)
                return;
        }
        if (!e) break;
        p = e;
    }
    errno = saved;
}

/* Rootless: the sandbox's user ns owns its mount and pid namespaces, so its root (a real one
 * with a subordinate id range) must not get the capabilities that would reach init or the
 * mounts: no mount/umount, no ptrace of init (whose permitted set then stays larger), no raw
 * devices. What root usually needs (chown, setuid, kill, DAC override...) stays. */
static int drop_bounding(void)
{
    static const int caps[] = {
        CAP_SYS_ADMIN,  CAP_SYS_PTRACE,    CAP_SYS_MODULE,     CAP_SYS_RAWIO, CAP_SYS_BOOT,
        CAP_SYS_TIME,   CAP_MAC_ADMIN,     CAP_MAC_OVERRIDE,   CAP_SYSLOG,    CAP_SYS_PACCT,
        CAP_WAKE_ALARM, CAP_BLOCK_SUSPEND, CAP_LINUX_IMMUTABLE};
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++)
        if (prctl(PR_CAPBSET_DROP, caps[i], 0, 0, 0) < 0 && errno != EINVAL) return -1;
    return 0;
}

/* Runs in the forked child: never returns. Failures go to errp as an errno + step. */
static void child_exec(const struct rt_msg_spawn *sp, const char *cwd, char **argv, char **envp,
                       int in_fd, int out_fd, int err_fd, int pty_slave, int errp,
                       enum rt_mode mode)
{
    sigset_t all;
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    int e = 0;
    const char *step = "setsid";
    /* As upstream envd: a PTY process leads a new session (its terminal's), any other stays
     * in init's process group and session, as envd's children stay in envd's. Trees are
     * ended process by process (SendSignal, boxtop exec's Ctrl-C), never by group. */
    if (pty_slave >= 0) {
        if (setsid() < 0) goto fail;
        step = "controlling tty";
        if (ioctl(pty_slave, TIOCSCTTY, 0) < 0) goto fail;
        in_fd = out_fd = err_fd = pty_slave;
        if (mode == RT_MODE_FULL && fchown(pty_slave, sp->uid, 5) < 0) goto fail;
    }
    step = "stdio";
    if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) goto fail;
    /* init is shielded from the OOM killer; the processes it starts are not. A non-dumpable
     * init's child has /proc files of host root's until its exec: dumpable, it can write them
     * (envd's OOM score 100 below; a shell could after the exec too). */
    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
    int oom = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (oom >= 0) {
        if (write(oom, "0", 1) < 0) { /* nothing to do: the old value stays */
        }
        close(oom);
    }
    /* before the switch of user, which makes /proc/self root's until the exec */
    struct rt_envd_wrap wrap = {{0}, {0}};
    bool envd = sp->flags & RT_SPAWN_ENVD;
    if (envd) rt_envd_wrap_prepare(&wrap);
    step = "drop capabilities";
    if (mode == RT_MODE_ROOTLESS && drop_bounding() < 0) goto fail;
    if (getuid() != sp->uid || getgid() != sp->gid) {
        step = "switch user";
        gid_t g = sp->gid;
        if (setgroups(1, &g) < 0 || setresgid(sp->gid, sp->gid, sp->gid) < 0 ||
            setresuid(sp->uid, sp->uid, sp->uid) < 0)
            goto fail;
    }
    step = "cwd";
    if (chdir(cwd) < 0) goto fail;
    step = "exec";
    if (argv[0][0])
        exec_in_path(argv, envp);
    else
        errno = ENOENT; /* execvp("") */
    if (envd) rt_envd_wrap_failed(&wrap, argv[0], errno);
fail:
    e = errno;
    char msg[128];
    int n = snprintf(msg, sizeof msg, "%d %s", e, step);
    if (write(errp, msg, (size_t)n) < 0) { /* the parent sees EOF and reports "exec" */
    }
    _exit(127);
}

static void init_spawn(struct init *in, char *msg, size_t len)
{
    struct rt_msg_reply rep = {.h = {RT_MSG_REPLY, 0}};
    struct rt_msg_spawn sp;
    int fds[3], nfds = 0;
    int child_fds[6] = {-1, -1, -1, -1, -1, -1}; /* in_r,in_w,out_r,out_w,err_r,err_w */
    int master = -1, slave = -1, errp[2] = {-1, -1};
    bool keep = false;
    char **vec = NULL;
    if (len < sizeof sp) {
        rep.err = EINVAL;
        goto reply;
    }
    memcpy(&sp, msg, sizeof sp);
    rep.h.seq = sp.h.seq;
    if (sp.argc == 0 || sp.argc > 100000 || sp.envc > 100000) {
        rep.err = EINVAL;
        goto reply;
    }
    vec = calloc((size_t)sp.argc + sp.envc + 3, sizeof *vec);
    if (!vec) {
        rep.err = ENOMEM;
        goto reply;
    }
    char *p = msg + sizeof sp, *end = msg + len;
    char *cwd = p;
    char *z = memchr(p, '\0', (size_t)(end - p));
    if (!z) {
        rep.err = EINVAL;
        goto reply;
    }
    p = z + 1;
    char **argv = vec, **envp = vec + sp.argc + 1;
    for (uint32_t i = 0; i < sp.argc + sp.envc; i++) {
        z = memchr(p, '\0', (size_t)(end - p));
        if (!z) {
            rep.err = EINVAL;
            goto reply;
        }
        if (i < sp.argc)
            argv[i] = p;
        else
            envp[i - sp.argc] = p;
        p = z + 1;
    }
    const char *meta = p;
    if (sp.metalen > RT_META_MAX || sp.metalen > (size_t)(end - p)) {
        rep.err = EINVAL;
        goto reply;
    }
    argv[sp.argc] = NULL;
    envp[sp.envc] = NULL;
    if (!*cwd) cwd = rt_mode_ns(in->a->mode) ? (sp.uid == 0 ? "/root" : "/home/user") : in->a->home;

    if (sp.flags & RT_SPAWN_PTY) {
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master < 0 || unlockpt(master) < 0) {
            rep.err = errno;
            snprintf(rep.msg, sizeof rep.msg, "open /dev/ptmx");
            goto reply;
        }
        slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (slave < 0) {
            char name[64];
            if (ptsname_r(master, name, sizeof name) == 0)
                slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
        }
        if (slave < 0) {
            rep.err = errno;
            snprintf(rep.msg, sizeof rep.msg, "open pty slave");
            goto reply;
        }
        struct termios t;
        if (tcgetattr(slave, &t) == 0) {
            t.c_iflag |= ICRNL; /* a terminal sends CR for Enter; programs expect NL */
            tcsetattr(slave, TCSANOW, &t);
        }
        struct winsize ws = {.ws_row = sp.rows ? sp.rows : 24, .ws_col = sp.cols ? sp.cols : 80};
        ioctl(slave, TIOCSWINSZ, &ws);
    } else {
        if (pipe2(child_fds + 2, O_CLOEXEC) < 0 || pipe2(child_fds + 4, O_CLOEXEC) < 0) {
            rep.err = errno;
            goto reply;
        }
        if (sp.flags & RT_SPAWN_STDIN) {
            if (pipe2(child_fds, O_CLOEXEC) < 0) {
                rep.err = errno;
                goto reply;
            }
        } else {
            child_fds[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
            if (child_fds[0] < 0) {
                rep.err = errno;
                goto reply;
            }
        }
    }
    if (pipe2(errp, O_CLOEXEC) < 0) {
        rep.err = errno;
        goto reply;
    }
    pid_t pid = fork();
    if (pid < 0) {
        rep.err = errno;
        snprintf(rep.msg, sizeof rep.msg, "fork");
        goto reply;
    }
    if (pid == 0) {
        close(errp[0]);
        setrlimit(RLIMIT_NOFILE, &in->nofile);
        child_exec(&sp, cwd, argv, envp, child_fds[0], child_fds[3], child_fds[5], slave, errp[1],
                   in->a->mode);
    }
    close(errp[1]);
    errp[1] = -1;
    /* EOF = exec succeeded (errp is close-on-exec); otherwise "errno step". Bounded: the
     * child does nothing that can block between fork and exec. */
    char ebuf[128];
    ssize_t r;
    do {
        r = read(errp[0], ebuf, sizeof ebuf - 1);
    } while (r < 0 && errno == EINTR);
    if (r > 0) {
        ebuf[r] = '\0';
        char *sp2 = strchr(ebuf, ' ');
        rep.err = atoi(ebuf);
        if (rep.err <= 0) rep.err = EIO;
        snprintf(rep.msg, sizeof rep.msg, "%s", sp2 ? sp2 + 1 : "exec");
        goto reply; /* untracked: the reaper collects it without an EXIT event */
    }
    rep.pid = pid;
    uint32_t kept = sp.flags & RT_SPAWN_PTY;
    if (master >= 0) {
        fds[nfds++] = master;
        master = -1;
    } else {
        if (sp.flags & RT_SPAWN_STDIN) {
            fds[nfds++] = child_fds[1];
            kept |= RT_SPAWN_STDIN;
        }
        fds[nfds++] = child_fds[2];
        fds[nfds++] = child_fds[4];
        child_fds[1] = child_fds[2] = child_fds[4] = -1;
    }
    /* sent below and, when asked, kept here: a copy survives boxtopd */
    keep = init_track(in, pid, kept, fds, (sp.flags & RT_SPAWN_KEEP) ? nfds : 0, meta, sp.metalen);
reply:
    if (rep.err) nfds = 0;
    rep.nfds = (uint32_t)nfds;
    if (in->req_fd >= 0 && rt_msg_send(in->req_fd, &rep, sizeof rep, fds, nfds) < 0) {
        close(in->req_fd);
        in->req_fd = -1;
    }
    if (!keep)
        for (int i = 0; i < nfds; i++)
            close(fds[i]);
    free(vec);
    for (int i = 0; i < 6; i++)
        if (child_fds[i] >= 0) close(child_fds[i]);
    if (master >= 0) close(master);
    if (slave >= 0) close(slave);
    if (errp[0] >= 0) close(errp[0]);
    if (errp[1] >= 0) close(errp[1]);
}

static void init_signal(struct init *in, const char *msg, size_t len)
{
    struct rt_msg_signal s;
    struct rt_msg_reply rep = {.h = {RT_MSG_REPLY, 0}};
    if (len < sizeof s) {
        rep.err = EINVAL;
    } else {
        memcpy(&s, msg, sizeof s);
        rep.h.seq = s.h.seq;
        /* the process only, as envd does (handler.go SendSignal: cmd.Process.Signal): a
         * killed `bash -c` leaves its background children running, like upstream */
        if (s.pid <= 1 || s.signo < 0 || s.signo > 64)
            rep.err = EINVAL;
        else if (kill(s.pid, s.signo) < 0)
            rep.err = errno;
    }
    if (in->req_fd >= 0 && rt_msg_send(in->req_fd, &rep, sizeof rep, NULL, 0) < 0) {
        close(in->req_fd);
        in->req_fd = -1;
    }
}

static void init_reply(struct init *in, const void *msg, size_t len, const int *fds, int nfds)
{
    if (in->req_fd >= 0 && rt_msg_send(in->req_fd, msg, len, fds, nfds) < 0) {
        close(in->req_fd);
        in->req_fd = -1;
    }
}

/* The kept process with the smallest pid above the one asked for: a restarted boxtopd walks
 * the table one request at a time, so no answer can overflow the socket. */
static void init_list(struct init *in, const char *msg, size_t len)
{
    struct rt_msg_list l;
    struct rt_msg_proc rep = {.h = {RT_MSG_PROC, 0}, .err = ENOENT};
    const struct iproc *best = NULL;
    if (len < sizeof l) {
        rep.err = EINVAL;
    } else {
        memcpy(&l, msg, sizeof l);
        rep.h.seq = l.h.seq;
        for (int i = 0; i < in->ntracked; i++) {
            const struct iproc *p = &in->tracked[i];
            if (p->nfd && p->pid > l.after && (!best || p->pid < best->pid)) best = p;
        }
    }
    if (!best) {
        init_reply(in, &rep, sizeof rep, NULL, 0);
        return;
    }
    rep.err = 0;
    rep.pid = best->pid;
    rep.flags = best->flags;
    rep.nfds = (uint32_t)best->nfd;
    rep.metalen = best->metalen;
    memcpy(in->buf, &rep, sizeof rep);
    if (best->metalen) memcpy(in->buf + sizeof rep, best->meta, best->metalen);
    init_reply(in, in->buf, sizeof rep + best->metalen, best->fd, best->nfd);
}

static void init_close_stdin(struct init *in, const char *msg, size_t len)
{
    struct rt_msg_pid m;
    struct rt_msg_reply rep = {.h = {RT_MSG_REPLY, 0}};
    if (len < sizeof m) {
        rep.err = EINVAL;
    } else {
        memcpy(&m, msg, sizeof m);
        rep.h.seq = m.h.seq;
        struct iproc *p = init_find(in, m.pid);
        if (p && p->nfd && (p->flags & RT_SPAWN_STDIN)) {
            close(p->fd[0]); /* the stdin write end comes first */
            memmove(p->fd, p->fd + 1, sizeof p->fd[0] * (size_t)(p->nfd - 1));
            p->nfd--;
            p->flags &= ~RT_SPAWN_STDIN;
        }
    }
    init_reply(in, &rep, sizeof rep, NULL, 0);
}

static void init_on_request(struct init *in)
{
    ssize_t n = rt_msg_recv(in->req_fd, in->buf, RT_MSG_MAX, NULL, NULL, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n < (ssize_t)sizeof(struct rt_msg_hdr)) {
        close(in->req_fd);
        in->req_fd = -1;
        return;
    }
    struct rt_msg_hdr h;
    memcpy(&h, in->buf, sizeof h);
    if (h.type == RT_MSG_SPAWN)
        init_spawn(in, in->buf, (size_t)n);
    else if (h.type == RT_MSG_SIGNAL)
        init_signal(in, in->buf, (size_t)n);
    else if (h.type == RT_MSG_LIST)
        init_list(in, in->buf, (size_t)n);
    else if (h.type == RT_MSG_CLOSE_STDIN)
        init_close_stdin(in, in->buf, (size_t)n);
}

static void init_on_pending(struct init *in, int i)
{
    struct rt_msg_hdr h;
    int fd = in->pending[i];
    ssize_t n = recv(fd, &h, sizeof h, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    in->pending[i] = -1;
    if (n != (ssize_t)sizeof h || (h.type != RT_MSG_HELLO_REQ && h.type != RT_MSG_HELLO_EV)) {
        close(fd);
        return;
    }
    int *slot = h.type == RT_MSG_HELLO_REQ ? &in->req_fd : &in->ev_fd;
    if (*slot >= 0) close(*slot);
    *slot = fd;
}

static void init_accept(struct init *in)
{
    int fd = accept4(in->a->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) return;
    int big = RT_MSG_MAX + 4096;
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
    for (int i = 0; i < INIT_MAX_PENDING; i++) {
        if (in->pending[i] < 0) {
            in->pending[i] = fd;
            return;
        }
    }
    close(in->pending[0]); /* someone is connecting and not talking: make room */
    in->pending[0] = fd;
}

/* init re-executes the running binary (/proc/self/exe, reachable even after pivot_root) so
 * that it does not keep a copy-on-write snapshot of boxtopd's whole heap alive for the
 * sandbox's lifetime. The constructor below catches the new image before main() runs. */
#define RT_INIT_ENV "BOXTOPD_RT_INIT="

void rt_init_exec(struct rt_init_args *a)
{
    /* fds 3 (listening) and 4 (boot sync) without close-on-exec; boot_child put them there
     * (dup2 onto itself would keep the flag, hence fcntl) */
    if (a->listen_fd != 3 || a->sync_fd != 4) return;
    if (fcntl(3, F_SETFD, 0) < 0 || fcntl(4, F_SETFD, 0) < 0) return;
    char env[PATH_MAX + 64];
    snprintf(env, sizeof env, RT_INIT_ENV "%d%s:%s", (int)a->mode, a->spare ? "s" : "", a->home);
    char *argv[] = {"boxtopd-init", NULL};
    char *envp[] = {env, NULL};
    /* fd 5: the binary, opened by the setup child before the root changed */
    syscall(SYS_execveat, 5, "", argv, envp, AT_EMPTY_PATH);
    /* still here (no execveat, or under valgrind): carry on as the forked copy */
    close(5);
    fcntl(3, F_SETFD, FD_CLOEXEC);
    fcntl(4, F_SETFD, FD_CLOEXEC);
}

static void enter_fail(struct rt_init_args *a, const char *step)
{
    char msg[256];
    int n = snprintf(msg, sizeof msg, "E %s: %s", step, strerror(errno));
    if (n > 0 && send(a->sync_fd, msg, (size_t)n, MSG_NOSIGNAL) < 0) { /* boxtopd gave up */
    }
    _exit(1);
}

/* A spare (rt_spare.c) waits here, booted up to its name: "N" + the sandbox's id, then the
 * per-sandbox /etc files' texts (rt_etc_texts), each ending in a NUL; an empty text leaves that
 * file alone. Still real root over the mount and uts namespaces, so it names itself and writes
 * the files through its own root before it becomes the sandbox's root below. Only existing
 * files are rewritten (their owners stay the sandbox's). EOF: boxtopd dropped the spare. */
static void spare_wait_name(struct rt_init_args *a)
{
    static char msg[1 + RT_ID_MAX + 1 + sizeof(struct rt_etc)];
    if (send(a->sync_fd, "W", 1, MSG_NOSIGNAL) != 1) _exit(1);
    ssize_t n = recv(a->sync_fd, msg, sizeof msg - 1, 0);
    if (n < 3 || msg[0] != 'N') _exit(1);
    msg[n] = '\0';
    const char *id = msg + 1, *end = msg + n;
    if (!rt_id_valid(id)) enter_fail(a, "spare name");
    if (sethostname(id, strlen(id)) < 0) enter_fail(a, "sethostname");
    static const char *const files[] = {"/etc/hostname", "/etc/hosts", "/etc/resolv.conf"};
    const char *text = id + strlen(id) + 1;
    for (size_t i = 0; i < sizeof files / sizeof files[0] && text < end; i++) {
        size_t len = strnlen(text, (size_t)(end - text));
        int fd = len ? open(files[i], O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC) : -1;
        if (fd >= 0) {
            ssize_t w = write(fd, text, len);
            close(fd);
            if (w != (ssize_t)len) enter_fail(a, files[i]);
        }
        text += len + 1;
    }
}

void rt_init_enter(struct rt_init_args *a)
{
    if (a->mode == RT_MODE_FULL && rt_rootfs_pivot() < 0) enter_fail(a, "pivot_root");
    if (rt_mode_ns(a->mode)) rt_bootid_mount(); /* "/" is the sandbox's now, still privileged */
    if (a->spare) spare_wait_name(a);
    if (a->mode == RT_MODE_FULL) {
        /* Entered last, after every mount was made by real root: the mount, pid, uts and ipc
         * namespaces stay owned by the host's user ns, so root inside cannot mount anything,
         * and this process keeps an mm of the host's user ns, so (non-dumpable) it cannot be
         * ptraced by the sandbox's root. */
        if (unshare(CLONE_NEWUSER) < 0) enter_fail(a, "unshare user ns");
        if (send(a->sync_fd, "U", 1, MSG_NOSIGNAL) != 1) _exit(1);
        char c = 0;
        if (recv(a->sync_fd, &c, 1, 0) != 1 || c != 'M') _exit(1);
        if (setgroups(0, NULL) < 0 || setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
            enter_fail(a, "become root in the user ns");
    }
    /* Rootless init was not re-executed: its memory belongs to the host's user ns, where
     * boxtopd has no CAP_SYS_PTRACE, so non-dumpable would hide /proc/PID/root from boxtopd
     * (rt_root_fd). Dumpable, it stays out of reach of the sandbox's processes anyway: they
     * hold none of the capabilities init has in the sandbox's user ns. */
    if (a->mode != RT_MODE_ROOTLESS) prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    if (send(a->sync_fd, "R", 1, MSG_NOSIGNAL) != 1) _exit(1);
    close(a->sync_fd);
    a->sync_fd = -1;
}

__attribute__((constructor)) static void rt_init_ctor(void)
{
    const char *v = getenv("BOXTOPD_RT_INIT");
    int listening = 0, type = 0;
    socklen_t len = sizeof listening, tl = sizeof type;
    /* Only a process started by rt_init_exec: the variable, a listening fd 3, a socket 4. */
    if (!v || getsockopt(3, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) < 0 || !listening ||
        getsockopt(4, SOL_SOCKET, SO_TYPE, &type, &tl) < 0 || type != SOCK_SEQPACKET)
        return;
    static struct rt_init_args a; /* lives as long as init; written once, before main */
    a.mode = v[0] == '0' ? RT_MODE_FULL : v[0] == '2' ? RT_MODE_ROOTLESS : RT_MODE_PLAIN;
    a.listen_fd = 3;
    a.sync_fd = 4;
    a.id = "";
    a.spare = v[1] == 's';
    const char *colon = strchr(v, ':');
    if (colon) snprintf(a.home, sizeof a.home, "%s", colon + 1);
    fcntl(3, F_SETFD, FD_CLOEXEC);
    fcntl(4, F_SETFD, FD_CLOEXEC);
    unsetenv("BOXTOPD_RT_INIT");
    rt_init_enter(&a);
    rt_init_main(&a);
}

void rt_init_main(struct rt_init_args *a)
{
    struct init in = {.a = a, .req_fd = -1, .ev_fd = -1};
    for (int i = 0; i < INIT_MAX_PENDING; i++)
        in.pending[i] = -1;
    prctl(PR_SET_NAME, "boxtopd-init", 0, 0, 0);
    if (a->mode == RT_MODE_PLAIN) prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    in.sig_fd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
    /* Commands share init's process group (child_exec): a command's `kill 0` must not end
     * init (in plain mode it is not a pid namespace's init, which the kernel shields). Held
     * pending, never delivered; child_exec unblocks everything for the command. */
    static const int group_sigs[] = {SIGINT,  SIGTERM, SIGQUIT, SIGUSR1,   SIGUSR2, SIGALRM,
                                     SIGTSTP, SIGTTIN, SIGTTOU, SIGVTALRM, SIGPROF};
    sigset_t held;
    sigemptyset(&held);
    for (size_t i = 0; i < sizeof group_sigs / sizeof group_sigs[0]; i++)
        sigaddset(&held, group_sigs[i]);
    sigprocmask(SIG_BLOCK, &held, NULL);
    in.buf = malloc(RT_MSG_MAX);
    in.tracked = calloc(INIT_MAX_TRACKED, sizeof *in.tracked);
    if (in.sig_fd < 0 || !in.buf || !in.tracked) _exit(1);
    /* up to three kept fds per process: the hard limit, not the soft 1024 */
    if (getrlimit(RLIMIT_NOFILE, &in.nofile) < 0) /* the children's setrlimit fails: kept */
        in.nofile = (struct rlimit){RLIM_INFINITY, RLIM_INFINITY};
    else if (in.nofile.rlim_cur < in.nofile.rlim_max) {
        struct rlimit rl = {in.nofile.rlim_max, in.nofile.rlim_max};
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    fcntl(a->listen_fd, F_SETFL, O_NONBLOCK);

    for (;;) {
        struct pollfd p[4 + INIT_MAX_PENDING];
        int n = 0;
        p[n++] = (struct pollfd){.fd = in.sig_fd, .events = POLLIN};
        p[n++] = (struct pollfd){.fd = a->listen_fd, .events = POLLIN};
        p[n++] = (struct pollfd){.fd = in.req_fd, .events = POLLIN};
        p[n++] = (struct pollfd){.fd = in.ev_fd, .events = POLLIN}; /* only EOF expected */
        for (int i = 0; i < INIT_MAX_PENDING; i++)
            p[n++] = (struct pollfd){.fd = in.pending[i], .events = POLLIN};
        if (poll(p, (nfds_t)n, -1) < 0) continue;
        if (p[0].revents) init_reap(&in);
        if (p[1].revents) init_accept(&in);
        if (p[2].revents && in.req_fd >= 0) init_on_request(&in);
        if (p[3].revents && in.ev_fd >= 0) {
            char c;
            if (recv(in.ev_fd, &c, 1, MSG_DONTWAIT) == 0 || (p[3].revents & (POLLHUP | POLLERR))) {
                close(in.ev_fd);
                in.ev_fd = -1;
            }
        }
        for (int i = 0; i < INIT_MAX_PENDING; i++)
            if (p[4 + i].revents && in.pending[i] >= 0) init_on_pending(&in, i);
    }
}
