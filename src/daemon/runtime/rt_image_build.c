/* rt_image_build.c - the builder of the base image: a blocking job that runs in its own
 * process (a child of boxtopd, or of `boxtopd --build-base`) and reports to its parent in
 * lines on a pipe:
 *   "P <percent> <phase>"  progress (percent of the whole build)
 *   "L <text>"             a line of mmdebstrap's own output, for the log
 *   "D <dir>"              done: the unpacked root filesystem
 *   "E <text>"             failed, and why
 *
 * Cache layout (one directory per recipe, shared by every state dir of the user):
 *   CACHE/base/<key>.lock    flock: one build at a time, across processes
 *   CACHE/base/<key>/recipe  what it is made of (for people)
 *   CACHE/base/<key>/base.tar             mmdebstrap's output (kept: other id ranges and
 *                                         rootless users unpack it again without a download)
 *   CACHE/base/<key>/rootfs-<idbase>/     the unpacked lower layer, owned by ids idbase+N
 * A file or directory exists under its final name only when complete (renamed into place).
 *
 * mmdebstrap draws its progress bars only on a terminal, so it gets a pty, and the bars
 * ("downloading:  42.00 [###  ]") and phase lines ("I: installing essential packages...")
 * are turned into one percentage for the whole build. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rt_image.h"
#include "rt_internal.h"

/* Where a job's unpacked rootfs lives (rt_image.c checks it before starting a build). */
int rt_image_lower_path(const struct rt_image_job *j, char *out, size_t n)
{
    if (j->as_root) return rt_path(out, n, "%s/rootfs-%u", j->dir, j->idbase);
    if (j->sub.ok) /* the sandbox map: root = the range's start, user = the caller */
        return rt_path(out, n, "%s/rootfs-user%u-%u-%u", j->dir, (unsigned)j->sub.uid,
                       j->sub.uid_start, j->sub.gid_start);
    return rt_path(out, n, "%s/rootfs-user%u", j->dir, (unsigned)getuid());
}

static void say(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(int fd, const char *fmt, ...)
{
    char line[700];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n > sizeof line - 2) n = (int)sizeof line - 2;
    for (int i = 0; i < n; i++) /* one message = one line */
        if (line[i] == '\n' || line[i] == '\r') line[i] = ' ';
    line[n++] = '\n';
    if (write(fd, line, (size_t)n) < 0) { /* the parent is gone: the build still finishes */
    }
}

/* mmdebstrap's phases ("I: <text>...") and the share of the whole build each one takes. */
static const struct stage {
    const char *prefix, *phase;
    int from, to;
} stages[] = {
    {"running apt-get update", "updating package lists", 0, 5},
    {"downloading packages", "downloading packages", 5, 35},
    {"extracting archives", "extracting packages", 35, 45},
    {"installing essential packages", "installing packages", 45, 65},
    {"installing remaining packages", "installing packages", 65, 88},
    {"running --customize-hook", "configuring", 88, 90},
    {"creating tarball", "packing", 90, 94},
};

struct progress {
    int out;
    const struct stage *st;
    int last;
    char err[300];
};

static void on_line(struct progress *p, char *line)
{
    /* strip the escape sequences of the bar (ESC [ 2 K) */
    char *w = line;
    for (char *r = line; *r; r++) {
        if (*r == 0x1b) {
            while (r[1] && !((r[1] >= 'A' && r[1] <= 'Z') || (r[1] >= 'a' && r[1] <= 'z')))
                r++;
            if (r[1]) r++;
            continue;
        }
        *w++ = (unsigned char)*r < 0x20 ? ' ' : *r;
    }
    *w = '\0';
    while (w > line && w[-1] == ' ')
        *--w = '\0';
    if (!line[0]) return;
    if (strncmp(line, "I: ", 3) == 0 || strncmp(line, "W: ", 3) == 0 ||
        strncmp(line, "E: ", 3) == 0) {
        say(p->out, "L %s", line);
        if (line[0] == 'E' && !p->err[0]) /* the first one is the cause */
            snprintf(p->err, sizeof p->err, "%s", line + 3);
        for (size_t i = 0; i < sizeof stages / sizeof stages[0]; i++) {
            if (strncmp(line + 3, stages[i].prefix, strlen(stages[i].prefix)) == 0 &&
                stages[i].from >= p->last) {
                p->st = &stages[i];
                p->last = stages[i].from;
                say(p->out, "P %d %s", p->last, p->st->phase);
            }
        }
        return;
    }
    /* "downloading:  42.15 [####....]" */
    char *colon = strchr(line, ':');
    if (!p->st || !colon) return;
    char *end;
    double v = strtod(colon + 1, &end);
    if (end == colon + 1 || v < 0 || v > 100) return;
    int pct = p->st->from + (int)((p->st->to - p->st->from) * v / 100.0);
    if (pct > p->last) {
        p->last = pct;
        say(p->out, "P %d %s", pct, p->st->phase);
    }
}

/* Runs argv with stdout+stderr on a pty; lines go through on_line. Returns the exit status.
 * A SIGTERM to the builder (boxtopd stopping) is passed on to mmdebstrap's process group, so
 * that it cleans up its temporary directory; it gets 10 s for that, then SIGKILL. */
static int run_pty(char *const argv[], struct progress *p)
{
    sigset_t term, old;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    sigprocmask(SIG_BLOCK, &term, &old);
    int sfd = signalfd(-1, &term, SFD_CLOEXEC);
    int master = -1;
    struct winsize ws = {.ws_row = 24, .ws_col = 100};
    pid_t pid = forkpty(&master, NULL, NULL, &ws);
    if (pid < 0) {
        if (sfd >= 0) close(sfd);
        sigprocmask(SIG_SETMASK, &old, NULL);
        return -1;
    }
    if (pid == 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        int nul = open("/dev/null", O_RDONLY);
        if (nul >= 0) dup2(nul, 0);
        setenv("LC_ALL", "C.UTF-8", 1);
        setenv("TERM", "dumb", 1);
        execvp(argv[0], argv);
        fprintf(stderr, "E: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    char buf[4096], line[1024];
    size_t ll = 0;
    long long kill_at = 0; /* seconds (CLOCK_MONOTONIC) after a SIGTERM */
    for (;;) {
        struct pollfd pf[2] = {{.fd = master, .events = POLLIN}, {.fd = sfd, .events = POLLIN}};
        int r = poll(pf, sfd >= 0 ? 2 : 1, kill_at ? 1000 : -1);
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (kill_at && now.tv_sec >= kill_at) {
            kill(-pid, SIGKILL);
            kill_at = 0;
        }
        if (r < 0 && errno != EINTR) break;
        if (r <= 0) continue;
        if (sfd >= 0 && pf[1].revents) {
            struct signalfd_siginfo si;
            if (read(sfd, &si, sizeof si) > 0 && !kill_at) {
                kill(-pid, SIGTERM);
                kill_at = now.tv_sec + 10;
                snprintf(p->err, sizeof p->err, "stopped (boxtopd is shutting down)");
            }
        }
        if (!pf[0].revents) continue;
        ssize_t n = read(master, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break; /* EIO once the child's side is closed */
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] == '\n' || buf[i] == '\r') {
                line[ll] = '\0';
                on_line(p, line);
                ll = 0;
            } else if (ll < sizeof line - 1) {
                line[ll++] = buf[i];
            }
        }
    }
    if (ll) {
        line[ll] = '\0';
        on_line(p, line);
    }
    close(master);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (sfd >= 0) close(sfd);
    /* SIGTERM stays blocked: the builder removes mmdebstrap's temporary files, then ends */
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

/* The user "user" (uid 1000, /home/user, bash) with passwordless sudo, as in E2B's base
 * template; no host file is read (written with shell only, the image may lack useradd). */
static const char hook_user[] =
    "set -e; r=\"$1\"; "
    "grep -q '^user:' \"$r/etc/passwd\" || "
    "echo 'user:x:1000:1000:user:/home/user:/bin/bash' >> \"$r/etc/passwd\"; "
    "grep -q '^user:' \"$r/etc/group\" || echo 'user:x:1000:' >> \"$r/etc/group\"; "
    "grep -q '^user:' \"$r/etc/shadow\" || echo 'user:*:19000:0:99999:7:::' >> "
    "\"$r/etc/shadow\"; "
    "sed -i 's/^sudo:x:27:$/sudo:x:27:user/' \"$r/etc/group\"; "
    "mkdir -p \"$r/home/user\"; cp -r \"$r/etc/skel/.\" \"$r/home/user/\" 2>/dev/null || true; "
    "chown -R 1000:1000 \"$r/home/user\"; chmod 0755 \"$r/home/user\"; "
    "printf 'user ALL=(ALL:ALL) NOPASSWD: ALL\\n' > \"$r/etc/sudoers.d/user\"; "
    "chmod 0440 \"$r/etc/sudoers.d/user\"; "
    "rm -f \"$r/etc/hostname\" \"$r/etc/resolv.conf\"; "
    "rm -rf \"$r/var/lib/apt/lists\"/*_Packages* \"$r/var/cache/apt\"/*.bin";

static int run_mmdebstrap_in(const struct rt_image_job *j, const char *out_tar, struct progress *p);

/* Every directory from / down to dir can be searched by others. */
static bool searchable_by_others(const char *dir)
{
    char p[PATH_MAX];
    if (rt_path(p, sizeof p, "%s", dir) < 0) return false;
    for (char *slash = p + strlen(p); slash > p; slash = strrchr(p, '/')) {
        struct stat st;
        *slash = '\0';
        if (p[0] && (stat(p, &st) < 0 || !(st.st_mode & S_IXOTH))) return false;
    }
    return true;
}

/* Its temporary files (the chroot, a gpg home) go to the cache (a user's cache others cannot
 * search: a directory in /var/tmp) and are removed whatever happens: a failed or stopped
 * build leaves nothing in /tmp. */
static int run_mmdebstrap(const struct rt_image_job *j, const char *out_tar, struct progress *p)
{
    char tmp[PATH_MAX];
    bool own = geteuid() == 0 || searchable_by_others(j->dir);
    if (own) {
        if (rt_path(tmp, sizeof tmp, "%s/tmp", j->dir) < 0) return -1;
        rt_rm_rf(tmp);
        if (mkdir(tmp, 0700) < 0) return -1;
    } else {
        /* Not root, mmdebstrap works as root of a user namespace mapped to the subordinate
         * range, which must reach its chroot: a private cache (0700, as XDG allows) is out of
         * its reach, so /var/tmp then (mmdebstrap removes its own tempdir). */
        snprintf(tmp, sizeof tmp, "/var/tmp/boxtop-base-XXXXXX");
        if (!mkdtemp(tmp)) return -1;
    }
    /* Not root, that root must create its chroot here: the directory is open like /tmp. */
    if (geteuid() != 0 && chmod(tmp, 01777) < 0) {
        rt_rm_rf(tmp);
        return -1;
    }
    setenv("TMPDIR", tmp, 1);
    int rc = run_mmdebstrap_in(j, out_tar, p);
    rt_rm_rf(tmp);
    return rc;
}

static int run_mmdebstrap_in(const struct rt_image_job *j, const char *out_tar, struct progress *p)
{
    char include[1400];
    snprintf(include, sizeof include, "--include=%s%s%s", RT_IMAGE_PACKAGES,
             j->packages[0] ? "," : "", j->packages);
    char hook[sizeof hook_user + 32];
    snprintf(hook, sizeof hook, "--customize-hook=%s", hook_user);
    char *argv[] = {"mmdebstrap",     "--variant=minbase", "--format=tar",    include, hook,
                    (char *)j->suite, (char *)out_tar,     (char *)j->mirror, NULL};
    int rc = run_pty(argv, p);
    if (rc == 127 && strstr(p->err, "cannot run"))
        snprintf(p->err, sizeof p->err,
                 "mmdebstrap is not installed (apt-get install mmdebstrap), or use --base-rootfs "
                 "TAR or --base host");
    return rc;
}

static int tar_fn(void *dir)
{
    if (chdir(dir) < 0) return -1;
    execlp("tar", "tar", "-xpf", "-", "--numeric-owner", "--exclude=./dev/*", (char *)NULL);
    return -1;
}

/* Rootless with a subordinate range: tar as root of a namespace with the sandbox map, so the
 * files' owners are the ids a sandbox's root and user have (sudo stays set-uid root). */
static int unpack_subid(const char *tar, const char *dir, const struct rt_subid *sub, char *why,
                        size_t n)
{
    int tfd = open(tar, O_RDONLY | O_CLOEXEC);
    if (tfd < 0 || dup2(tfd, 0) < 0) {
        snprintf(why, n, "open %s: %s", tar, strerror(errno));
        if (tfd >= 0) close(tfd);
        return -1;
    }
    close(tfd);
    if (mkdir(dir, 0755) < 0) {
        snprintf(why, n, "mkdir %s: %s", dir, strerror(errno));
        return -1;
    }
    if (rt_subid_run(sub, tar_fn, (void *)dir) < 0) {
        snprintf(why, n, "unpacking %s in %s's subordinate range failed", tar, sub->user);
        return -1;
    }
    return 0;
}

/* Unpacks the tarball into dir, owned by ids base+N (root: tar runs in a user namespace that
 * maps 0..65535 to base..; not root: everything belongs to the calling user, or see
 * unpack_subid). /dev's nodes are left out: each sandbox gets its own /dev. */
static int unpack(const char *tar, const char *dir, bool root, uint32_t base, char *why, size_t n)
{
    int tfd = open(tar, O_RDONLY | O_CLOEXEC);
    if (tfd < 0) {
        snprintf(why, n, "open %s: %s", tar, strerror(errno));
        return -1;
    }
    if (mkdir(dir, 0755) < 0 || (root && chown(dir, base, base) < 0)) {
        snprintf(why, n, "mkdir %s: %s", dir, strerror(errno));
        close(tfd);
        return -1;
    }
    int sp[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) < 0) {
        snprintf(why, n, "socketpair: %s", strerror(errno));
        close(tfd);
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        char c = 0;
        close(sp[0]);
        if (dup2(tfd, 0) < 0 || chdir(dir) < 0) _exit(126);
        if (root) {
            /* cwd is kept: the cache's parents (0700 host root) need not be searchable */
            if (unshare(CLONE_NEWUSER) < 0 || write(sp[1], "u", 1) != 1 ||
                read(sp[1], &c, 1) != 1 || c != 'm' || setresgid(0, 0, 0) < 0 ||
                setresuid(0, 0, 0) < 0)
                _exit(125);
            execlp("tar", "tar", "-xpf", "-", "--numeric-owner", "--exclude=./dev/*", (char *)NULL);
        } else {
            execlp("tar", "tar", "-xpf", "-", "--no-same-owner", "--exclude=./dev/*", (char *)NULL);
        }
        _exit(127);
    }
    close(sp[1]);
    close(tfd);
    if (pid < 0) {
        close(sp[0]);
        snprintf(why, n, "fork: %s", strerror(errno));
        return -1;
    }
    if (root) {
        char c = 0, p[64], map[64];
        snprintf(map, sizeof map, "0 %u %u\n", base, RT_IDMAP_SIZE);
        bool ok = read(sp[0], &c, 1) == 1 && c == 'u';
        snprintf(p, sizeof p, "/proc/%d/uid_map", (int)pid);
        ok = ok && rt_write_str(p, map) == 0;
        snprintf(p, sizeof p, "/proc/%d/gid_map", (int)pid);
        ok = ok && rt_write_str(p, map) == 0;
        if (ok && write(sp[0], "m", 1) != 1) ok = false;
        if (!ok) kill(pid, SIGKILL);
    }
    close(sp[0]);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        snprintf(why, n, "unpacking %s failed (tar exit %d)", tar,
                 WIFEXITED(st) ? WEXITSTATUS(st) : -1);
        return -1;
    }
    return 0;
}

static bool exists(const char *p)
{
    struct stat st;
    return lstat(p, &st) == 0;
}

int rt_image_build(const struct rt_image_job *j, int out)
{
    char lock[PATH_MAX], tar[PATH_MAX], part[PATH_MAX], lower[PATH_MAX], tmp[PATH_MAX];
    char why[PATH_MAX + 600];
    if (rt_mkdir_p(j->dir, 0755) < 0 || rt_path(lock, sizeof lock, "%s.lock", j->dir) < 0) {
        say(out, "E cache directory %s: %s", j->dir, strerror(errno));
        return -1;
    }
    int lfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lfd < 0) {
        say(out, "E lock %s: %s", lock, strerror(errno));
        return -1;
    }
    if (flock(lfd, LOCK_EX | LOCK_NB) < 0) {
        say(out, "P 0 waiting for another build of the same image");
        while (flock(lfd, LOCK_EX) < 0 && errno == EINTR)
            ;
    }
    if (rt_image_lower_path(j, lower, sizeof lower) < 0 ||
        rt_path(tmp, sizeof tmp, "%s.part", lower) < 0 ||
        rt_path(tar, sizeof tar, "%s/base.tar", j->dir) < 0 ||
        rt_path(part, sizeof part, "%s/base.tar.part", j->dir) < 0) {
        say(out, "E cache path too long");
        return -1;
    }
    if (j->rebuild) { /* the old one goes only once the new one is complete */
    } else if (exists(lower)) {
        say(out, "D %s", lower);
        return 0;
    }
    const char *src = j->tarball[0] ? j->tarball : tar;
    if (!j->tarball[0] && (j->rebuild || !exists(tar))) {
        struct progress p = {.out = out};
        say(out, "P 0 starting mmdebstrap");
        unlink(part);
        int rc = run_mmdebstrap(j, part, &p);
        if (rc != 0) {
            unlink(part);
            say(out, "E mmdebstrap failed (exit %d): %s", rc,
                p.err[0] ? p.err : "see the log for its output");
            return -1;
        }
        if (rename(part, tar) < 0) {
            say(out, "E %s: %s", tar, strerror(errno));
            return -1;
        }
    }
    say(out, "P 95 unpacking");
    const struct rt_subid *sub = j->sub.ok ? &j->sub : NULL;
    rt_subid_rm_rf(sub, tmp);
    if ((sub ? unpack_subid(src, tmp, sub, why, sizeof why)
             : unpack(src, tmp, j->as_root, j->idbase, why, sizeof why)) < 0) {
        rt_subid_rm_rf(sub, tmp);
        say(out, "E %s", why);
        return -1;
    }
    if (exists(lower)) { /* a rebuild: set the old one aside, then delete it */
        char old[PATH_MAX];
        if (rt_path(old, sizeof old, "%s.old", lower) == 0) {
            rt_subid_rm_rf(sub, old);
            if (rename(lower, old) == 0) rt_subid_rm_rf(sub, old);
        }
    }
    if (rename(tmp, lower) < 0) {
        say(out, "E %s: %s", lower, strerror(errno));
        return -1;
    }
    char rp[PATH_MAX];
    if (rt_path(rp, sizeof rp, "%s/recipe", j->dir) == 0)
        rt_write_file(rp, j->recipe, strlen(j->recipe), 0644);
    say(out, "P 100 ready");
    say(out, "D %s", lower);
    close(lfd);
    return 0;
}
