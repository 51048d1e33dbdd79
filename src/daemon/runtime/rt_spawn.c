/* rt_spawn.c - boxtopd's side of the control protocol: start and signal processes through a
 * sandbox's init, and turn init's events into rt_hooks.proc_exited.
 *
 * Requests are synchronous on the request connection (init answers at once: it only forks and
 * waits for the exec to succeed), bounded by RT_REPLY_MS. Events arrive on the separate event
 * connection, which the host loop watches, so a reply never has to be fished out from among
 * events. The caller supplies the whole environment: TERM=xterm-256color and LANG=C.UTF-8 for
 * PTYs, HOME, USER, PATH - the runtime adds nothing. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "rt_internal.h"

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sends one request and waits for the answer of type want with the same seq (into rep, cap
 * bytes, at least min). Returns its length, or -1 with err. */
static ssize_t request(struct rt_sandbox *sb, const void *msg, size_t len, uint32_t want_type,
                       void *rep, size_t cap, size_t min, int *fds, int *nfds, struct error *err)
{
    int want = nfds ? *nfds : 0;
    if (nfds) *nfds = 0;
    if (sb->req_fd < 0) sb->req_fd = rt_ctl_connect(sb, RT_MSG_HELLO_REQ);
    if (sb->req_fd < 0)
        return error_set(err, ERROR_GENERIC, "sandbox %s: init unreachable: %s", sb->id,
                         strerror(errno));
    struct rt_msg_hdr h;
    memcpy(&h, msg, sizeof h);
    if (rt_msg_send(sb->req_fd, msg, len, NULL, 0) < 0) {
        int e = errno;
        close(sb->req_fd);
        sb->req_fd = -1;
        return error_set(err, ERROR_GENERIC, "sandbox %s: request: %s", sb->id, strerror(e));
    }
    int64_t deadline = mono_ms() + RT_REPLY_MS;
    for (;;) {
        int64_t left = deadline - mono_ms();
        struct pollfd p = {.fd = sb->req_fd, .events = POLLIN};
        int r = left > 0 ? poll(&p, 1, (int)left) : 0;
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        int n = want;
        ssize_t got = rt_msg_recv(sb->req_fd, rep, cap, fds, &n, MSG_DONTWAIT);
        if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        struct rt_msg_hdr rh = {0, 0};
        if (got >= (ssize_t)sizeof rh) memcpy(&rh, rep, sizeof rh);
        if (got < (ssize_t)min || rh.type != want_type || rh.seq != h.seq) {
            /* garbage, or the answer to a request that timed out earlier */
            for (int i = 0; i < n; i++)
                close(fds[i]);
            if (got <= 0) break;
            continue;
        }
        if (nfds) *nfds = n;
        return got;
    }
    close(sb->req_fd);
    sb->req_fd = -1;
    return error_set(err, ERROR_GENERIC, "sandbox %s: init did not answer", sb->id);
}

static int request_reply(struct rt_sandbox *sb, const void *msg, size_t len,
                         struct rt_msg_reply *rep, int *fds, int *nfds, struct error *err)
{
    return request(sb, msg, len, RT_MSG_REPLY, rep, sizeof *rep, sizeof *rep, fds, nfds, err) < 0
               ? -1
               : 0;
}

int rt_spawn(struct rt *rt, struct rt_sandbox *sb, const struct rt_spawn *sp, struct rt_proc *out,
             struct error *err)
{
    out->pid = 0;
    out->pty_fd = out->stdin_fd = out->stdout_fd = out->stderr_fd = -1;
    if (!sb->running) return error_set(err, ERROR_CONFLICT, "sandbox %s is not running", sb->id);
    if (sb->frozen) return error_set(err, ERROR_CONFLICT, "sandbox %s is paused", sb->id);
    if (!sp->argv || !sp->argv[0] || (!sp->argv[0][0] && !sp->envd_wrap))
        return error_set(err, ERROR_USAGE, "empty command");
    uid_t uid;
    gid_t gid;
    const char *user = sp->user ? sp->user : "user";
    const char *home = NULL;
    if (rt_user_ids(sb, user, &uid, &gid, &home) < 0)
        return error_set(err, ERROR_USAGE, "unknown user '%s' (use user or root)", user);
    bool root = strcmp(user, "root") == 0;
    struct rt_msg_spawn m = {.h = {RT_MSG_SPAWN, ++sb->seq}};
    m.flags = (sp->pty ? RT_SPAWN_PTY : 0) | (sp->want_stdin ? RT_SPAWN_STDIN : 0) |
              (root ? RT_SPAWN_ROOT : 0) | (sp->keep ? RT_SPAWN_KEEP : 0) |
              (sp->envd_wrap ? RT_SPAWN_ENVD : 0);
    m.rows = (uint16_t)(sp->rows > 0 && sp->rows < 65536 ? sp->rows : 24);
    m.cols = (uint16_t)(sp->cols > 0 && sp->cols < 65536 ? sp->cols : 80);
    if (rt->mode == RT_MODE_FULL) { /* "user", or one a template build added */
        m.uid = root ? 0 : uid - sb->idbase;
        m.gid = root ? 0 : gid - sb->idbase;
    } else if (rt->mode == RT_MODE_ROOTLESS && !root && strcmp(user, "user") != 0) {
        m.uid = rt_subid_inside_uid(&rt->sub, uid); /* one a template build added */
        m.gid = rt_subid_inside_gid(&rt->sub, gid);
    } else if (rt->mode == RT_MODE_ROOTLESS) { /* without a range, "user" is the only id */
        m.uid = m.gid = root && rt->sub.ok ? 0 : RT_USER_UID;
    } else {
        m.uid = uid;
        m.gid = gid;
    }
    const char *cwd = sp->cwd                                                      ? sp->cwd
                      : rt->mode != RT_MODE_PLAIN && !root && strcmp(user, "user") ? home
                                                                                   : "";
    if (sp->keep && sp->meta && sp->metalen <= RT_META_MAX) m.metalen = (uint32_t)sp->metalen;
    size_t len = sizeof m + strlen(cwd) + 1 + m.metalen;
    for (m.argc = 0; sp->argv[m.argc]; m.argc++)
        len += strlen(sp->argv[m.argc]) + 1;
    for (m.envc = 0; sp->envp && sp->envp[m.envc]; m.envc++)
        len += strlen(sp->envp[m.envc]) + 1;
    if (len > RT_MSG_MAX)
        return error_set(err, ERROR_USAGE, "command and environment too large (%zu bytes)", len);
    char *buf = malloc(len), *p = buf;
    if (!buf) return error_set(err, ERROR_GENERIC, "out of memory");
    memcpy(p, &m, sizeof m);
    p += sizeof m;
    size_t l = strlen(cwd) + 1;
    memcpy(p, cwd, l);
    p += l;
    for (uint32_t i = 0; i < m.argc; i++) {
        l = strlen(sp->argv[i]) + 1;
        memcpy(p, sp->argv[i], l);
        p += l;
    }
    for (uint32_t i = 0; i < m.envc; i++) {
        l = strlen(sp->envp[i]) + 1;
        memcpy(p, sp->envp[i], l);
        p += l;
    }
    if (m.metalen) memcpy(p, sp->meta, m.metalen);
    struct rt_msg_reply rep;
    int fds[3], nfds = 3;
    int rc = request_reply(sb, buf, len, &rep, fds, &nfds, err);
    free(buf);
    if (rc < 0) return -1;
    if (rep.err) {
        rep.msg[sizeof rep.msg - 1] = '\0';
        return error_set(err, rep.err == ENOENT ? ERROR_NOT_FOUND : ERROR_GENERIC, "%s: %s: %s",
                         sp->argv[0], rep.msg, strerror(rep.err));
    }
    int need = sp->pty ? 1 : (sp->want_stdin ? 3 : 2);
    if (nfds != need) {
        for (int i = 0; i < nfds; i++)
            close(fds[i]);
        return error_set(err, ERROR_PROTOCOL, "sandbox %s: init sent %d fds", sb->id, nfds);
    }
    out->pid = rep.pid;
    for (int i = 0; i < nfds; i++) /* the caller's loop reads and writes without blocking */
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
    if (sp->pty) {
        out->pty_fd = fds[0];
    } else if (sp->want_stdin) {
        out->stdin_fd = fds[0];
        out->stdout_fd = fds[1];
        out->stderr_fd = fds[2];
    } else {
        out->stdout_fd = fds[0];
        out->stderr_fd = fds[1];
    }
    rt_spare_after_spawn(rt);
    return 0;
}

int rt_signal(struct rt *rt, struct rt_sandbox *sb, pid_t pid, int signo, struct error *err)
{
    (void)rt;
    if (!sb->running) return error_set(err, ERROR_CONFLICT, "sandbox %s is not running", sb->id);
    if (sb->frozen) return error_set(err, ERROR_CONFLICT, "sandbox %s is paused", sb->id);
    struct rt_msg_signal m = {.h = {RT_MSG_SIGNAL, ++sb->seq}, .pid = pid, .signo = signo};
    struct rt_msg_reply rep;
    if (request_reply(sb, &m, sizeof m, &rep, NULL, NULL, err) < 0) return -1;
    if (rep.err)
        return error_set(err, rep.err == ESRCH ? ERROR_NOT_FOUND : ERROR_GENERIC,
                         "signal %d to %d: %s", signo, (int)pid, strerror(rep.err));
    return 0;
}

int rt_close_stdin(struct rt *rt, struct rt_sandbox *sb, pid_t pid, struct error *err)
{
    (void)rt;
    if (!sb->running) return error_set(err, ERROR_CONFLICT, "sandbox %s is not running", sb->id);
    if (sb->frozen) return error_set(err, ERROR_CONFLICT, "sandbox %s is paused", sb->id);
    struct rt_msg_pid m = {.h = {RT_MSG_CLOSE_STDIN, ++sb->seq}, .pid = pid};
    struct rt_msg_reply rep;
    if (request_reply(sb, &m, sizeof m, &rep, NULL, NULL, err) < 0) return -1;
    if (rep.err)
        return error_set(err, ERROR_GENERIC, "close stdin of %d: %s", (int)pid, strerror(rep.err));
    return 0;
}

/* One process at a time (smallest pid above the last): every answer fits the socket. */
int rt_procs_adopt(struct rt *rt, struct rt_sandbox *sb,
                   void (*cb)(void *ud, const struct rt_adopted *p), void *ud, struct error *err)
{
    (void)rt;
    if (!sb->running || sb->frozen) return 0;
    char *buf = malloc(sizeof(struct rt_msg_proc) + RT_META_MAX);
    if (!buf) return error_set(err, ERROR_GENERIC, "out of memory");
    int count = 0;
    int32_t after = 0;
    for (;;) {
        struct rt_msg_list m = {.h = {RT_MSG_LIST, ++sb->seq}, .after = after};
        struct rt_msg_proc rep;
        int fds[3], nfds = 3;
        ssize_t n = request(sb, &m, sizeof m, RT_MSG_PROC, buf, sizeof rep + RT_META_MAX,
                            sizeof rep, fds, &nfds, err);
        if (n < 0) {
            count = -1;
            break;
        }
        memcpy(&rep, buf, sizeof rep);
        bool pty = rep.flags & RT_SPAWN_PTY, in = rep.flags & RT_SPAWN_STDIN;
        int need = pty ? 1 : in ? 3 : 2;
        bool sane = rep.err == 0 && rep.pid > after && rep.nfds == (uint32_t)nfds && nfds == need &&
                    rep.metalen == (size_t)n - sizeof rep;
        if (!sane) {
            for (int i = 0; i < nfds; i++)
                close(fds[i]);
            if (rep.err != ENOENT) {
                error_set(err, ERROR_PROTOCOL, "sandbox %s: init sent a bad process entry", sb->id);
                count = -1;
            }
            break;
        }
        after = rep.pid;
        for (int i = 0; i < nfds; i++)
            fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
        struct rt_adopted a = {.proc = {.pid = rep.pid,
                                        .pty_fd = -1,
                                        .stdin_fd = -1,
                                        .stdout_fd = -1,
                                        .stderr_fd = -1},
                               .pty = pty,
                               .meta = buf + sizeof rep,
                               .metalen = rep.metalen};
        if (pty) {
            a.proc.pty_fd = fds[0];
        } else {
            int k = 0;
            if (in) a.proc.stdin_fd = fds[k++];
            a.proc.stdout_fd = fds[k++];
            a.proc.stderr_fd = fds[k];
        }
        cb(ud, &a);
        count++;
    }
    free(buf);
    return count;
}

int rt_pty_resize(int pty_fd, int rows, int cols)
{
    if (rows <= 0 || cols <= 0 || rows > 65535 || cols > 65535) return -1;
    struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
    return ioctl(pty_fd, TIOCSWINSZ, &ws);
}

void rt_on_readable(struct rt *rt, int fd)
{
    if (rt_base_on_fd(rt, fd) || rt_spare_on_fd(rt, fd)) return;
    struct rt_sandbox *sb = rt->sandboxes;
    while (sb && sb->ev_fd != fd)
        sb = sb->next;
    if (!sb) {
        rt_on_pidfd(rt, fd);
        return;
    }
    /* A hook may destroy sb (or others): re-find it after every call. */
    for (int budget = 256; budget > 0; budget--) {
        struct rt_msg_exit ev;
        ssize_t n = rt_msg_recv(fd, &ev, sizeof ev, NULL, NULL, MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
        if (n <= 0) {
            /* init is going away; its pidfd reports the end (and the reason) */
            if (rt->hooks.unwatch_fd) rt->hooks.unwatch_fd(rt->hooks.ud, fd);
            close(fd);
            sb->ev_fd = -1;
            if (sb->pidfd < 0 && !sb->stopping) /* no pidfd (Linux < 5.3) */
                rt_sandbox_lost(rt, sb);
            return;
        }
        if (n != (ssize_t)sizeof ev || ev.h.type != RT_MSG_EXIT) continue;
        if (rt->hooks.proc_exited)
            rt->hooks.proc_exited(rt->hooks.ud, sb, ev.pid, ev.signo ? -1 : ev.code, ev.signo);
        struct rt_sandbox *s = rt->sandboxes;
        while (s && !(s == sb && s->ev_fd == fd))
            s = s->next;
        if (!s) return;
    }
}
