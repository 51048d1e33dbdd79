/* rt_image.c - the base image every sandbox stacks on: its recipe and cache key, and the
 * builder process seen from boxtopd (started, read without blocking, reported in
 * rt_base_get_status). The build itself is in rt_image_build.c.
 *
 * The recipe (suite, mirror, packages, RT_IMAGE_RECIPE_VERSION; or a given tarball's path,
 * size and time) names a cache directory; a changed recipe is a new image, and
 * --rebuild-base builds the same one again. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "boxtop/log.h"
#include "rt_image.h"
#include "rt_internal.h"

/* FNV-1a: a cache key, not a security boundary (the cache is the user's own). */
static uint64_t fnv1a(const char *s)
{
    uint64_t h = 14695981039346656037ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static bool uri_ok(const char *u)
{
    return (strncmp(u, "http://", 7) == 0 || strncmp(u, "https://", 8) == 0 ||
            strncmp(u, "file:/", 6) == 0) &&
           !strpbrk(u, " \t\n'\"\\");
}

/* One sources file: one-line ("deb [opts] URI suite comps") or deb822 ("URIs:", "Suites:"). */
static bool mirror_in(const char *path, const char *suite, char *out, size_t n)
{
    char buf[16384];
    if (rt_read_file(path, buf, sizeof buf) < 0) return false;
    char uris[1024] = "", suites[512] = "";
    bool found = false;
    for (char *line = buf; line && !found;) {
        char *next = strchr(line, '\n');
        if (next) *next++ = '\0';
        char *s = line + strspn(line, " \t");
        if (strncmp(s, "deb ", 4) == 0) {
            char a[512], b[512], c[128];
            int k = sscanf(s + 4, "%511s %511s %127s", a, b, c);
            const char *uri = a, *st = b;
            if (k >= 1 && a[0] == '[') { /* options: "[signed-by=...]" maybe several words */
                char *close = strchr(s + 4, ']');
                k = close ? sscanf(close + 1, "%511s %127s", a, c) + 1 : 0;
                uri = a;
                st = c;
            }
            if (k >= 2 && strcmp(st, suite) == 0 && uri_ok(uri)) {
                snprintf(out, n, "%s", uri);
                found = true;
            }
        } else if (strncasecmp(s, "URIs:", 5) == 0) {
            snprintf(uris, sizeof uris, "%s", s + 5);
        } else if (strncasecmp(s, "Suites:", 7) == 0) {
            snprintf(suites, sizeof suites, " %s ", s + 7);
        } else if (!*s) { /* end of a stanza */
            uris[0] = suites[0] = '\0';
        }
        if (!found && uris[0] && suites[0]) {
            char want[80];
            snprintf(want, sizeof want, " %s ", suite);
            char first[512];
            if (strstr(suites, want) && sscanf(uris, "%511s", first) == 1 && uri_ok(first)) {
                snprintf(out, n, "%s", first);
                found = true;
            }
        }
        line = next;
    }
    return found;
}

void rt_image_default_mirror(const char *suite, char *out, size_t n)
{
    if (mirror_in("/etc/apt/sources.list", suite, out, n)) return;
    glob_t g;
    bool found = false;
    if (glob("/etc/apt/sources.list.d/*.sources", 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc && !found; i++)
            found = mirror_in(g.gl_pathv[i], suite, out, n);
        globfree(&g);
    }
    if (!found && glob("/etc/apt/sources.list.d/*.list", 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc && !found; i++)
            found = mirror_in(g.gl_pathv[i], suite, out, n);
        globfree(&g);
    }
    if (!found) snprintf(out, n, "http://deb.debian.org/debian");
}

static int cache_root(const struct rt_base_opts *o, char *out, size_t n)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (o->cache_dir && *o->cache_dir) return rt_path(out, n, "%s", o->cache_dir);
    if (xdg && xdg[0] == '/') return rt_path(out, n, "%s/boxtop", xdg);
    if (home && home[0] == '/') return rt_path(out, n, "%s/.cache/boxtop", home);
    struct passwd *pw = getpwuid(getuid()); /* a service started without HOME */
    if (pw && pw->pw_dir && pw->pw_dir[0] == '/')
        return rt_path(out, n, "%s/.cache/boxtop", pw->pw_dir);
    errno = ENOENT;
    return -1;
}

int rt_image_job_init(struct rt_image_job *j, const struct rt_base_opts *o, bool as_root,
                      uint32_t idbase, const struct rt_subid *sub, struct error *err)
{
    memset(j, 0, sizeof *j);
    j->rebuild = o->rebuild;
    j->as_root = as_root;
    j->idbase = as_root ? idbase : 0;
    if (!as_root && sub && sub->ok) j->sub = *sub;
    const char *suite = o->suite && *o->suite ? o->suite : "bookworm";
    if (strlen(suite) >= sizeof j->suite ||
        strspn(suite, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(suite))
        return error_set(err, ERROR_USAGE, "bad --base-suite '%s'", suite);
    snprintf(j->suite, sizeof j->suite, "%s", suite);
    if (o->mirror && *o->mirror) {
        if (!uri_ok(o->mirror) || strlen(o->mirror) >= sizeof j->mirror)
            return error_set(err, ERROR_USAGE,
                             "bad --base-mirror (want http://, https:// or file:/)");
        snprintf(j->mirror, sizeof j->mirror, "%s", o->mirror);
    } else {
        rt_image_default_mirror(j->suite, j->mirror, sizeof j->mirror);
    }
    if (o->packages) { /* "a b,c" -> "a,b,c"; package names only */
        size_t k = 0;
        for (const char *s = o->packages; *s && k < sizeof j->packages - 1; s++) {
            char c = *s == ' ' ? ',' : *s;
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || strchr(",.+-", c)))
                return error_set(err, ERROR_USAGE, "bad package list '%s'", o->packages);
            if (c == ',' && (k == 0 || j->packages[k - 1] == ',')) continue;
            j->packages[k++] = c;
        }
        while (k && j->packages[k - 1] == ',')
            k--;
        j->packages[k] = '\0';
    }
    char root[PATH_MAX];
    if (cache_root(o, root, sizeof root) < 0)
        return error_set(err, ERROR_USAGE, "no cache directory (set XDG_CACHE_HOME or HOME)");
    if (o->tarball && *o->tarball) {
        struct stat st;
        if (!realpath(o->tarball, j->tarball) || stat(j->tarball, &st) < 0 || !S_ISREG(st.st_mode))
            return error_set(err, ERROR_USAGE, "--base-rootfs %s: %s", o->tarball,
                             errno ? strerror(errno) : "not a file");
        snprintf(j->recipe, sizeof j->recipe, "tarball=%s\nsize=%lld\nmtime=%lld\nversion=%d\n",
                 j->tarball, (long long)st.st_size, (long long)st.st_mtime,
                 RT_IMAGE_RECIPE_VERSION);
    } else {
        snprintf(j->recipe, sizeof j->recipe,
                 "suite=%s\nmirror=%s\npackages=%s%s%s\nvariant=minbase\nversion=%d\n", j->suite,
                 j->mirror, RT_IMAGE_PACKAGES, j->packages[0] ? "," : "", j->packages,
                 RT_IMAGE_RECIPE_VERSION);
    }
    if (rt_path(j->dir, sizeof j->dir, "%s/base/%s-%016llx", root, j->suite,
                (unsigned long long)fnv1a(j->recipe)) < 0)
        return error_set(err, ERROR_USAGE, "cache path too long");
    return 0;
}

/* ------------------------------------------------------------------ builder messages */

static void on_message(struct rt_base_status *st, struct log *lg, char *line)
{
    if (line[0] == 'P' && line[1] == ' ') {
        char *end;
        long v = strtol(line + 2, &end, 10);
        if (end == line + 2 || v < 0 || v > 100) return;
        st->percent = (int)v;
        snprintf(st->phase, sizeof st->phase, "%s", *end == ' ' ? end + 1 : "");
    } else if (line[0] == 'L' && line[1] == ' ') {
        if (lg) log_msg(lg, LOG_INFO, "base image: %s", line + 2);
    } else if (line[0] == 'D' && line[1] == ' ') {
        snprintf(st->lower, sizeof st->lower, "%s", line + 2);
        st->state = RT_BASE_READY;
        st->percent = 100;
    } else if (line[0] == 'E' && line[1] == ' ') {
        snprintf(st->error, sizeof st->error, "%s", line + 2);
        st->state = RT_BASE_FAILED;
    }
}

/* One read: splits what arrived into lines. 1 = read something, 0 = EOF or error,
 * -1 = nothing there yet (non-blocking fd). */
static int read_messages(struct rt_base *b, struct rt_base_status *st, struct log *lg)
{
    ssize_t n;
    while ((n = read(b->fd, b->buf + b->len, sizeof b->buf - 1 - b->len)) < 0 && errno == EINTR)
        ;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return -1;
    if (n <= 0) return 0;
    b->len += (size_t)n;
    char *nl;
    while ((nl = memchr(b->buf, '\n', b->len))) {
        *nl = '\0';
        on_message(st, lg, b->buf);
        size_t used = (size_t)(nl + 1 - b->buf);
        memmove(b->buf, nl + 1, b->len - used);
        b->len -= used;
    }
    if (b->len == sizeof b->buf - 1) b->len = 0; /* an overlong line: drop it */
    return 1;
}

static pid_t start_builder(const struct rt_image_job *j, int *fd_out)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0) return -1;
    pid_t pid = fork();
    if (pid == 0) {
        /* Only the pipe: boxtopd's sockets must not live on in the builder. */
        if (dup2(p[1], 3) < 0) _exit(1);
        syscall(SYS_close_range, 4U, ~0U, 0U);
        int nul = open("/dev/null", O_RDWR);
        if (nul >= 0) {
            dup2(nul, 0);
            dup2(nul, 1);
            dup2(nul, 2);
            if (nul > 3) close(nul);
        }
        setpgid(0, 0); /* rt_free ends the whole build (mmdebstrap and apt) at once */
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGPIPE, SIG_IGN);
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        _exit(rt_image_build(j, 3) == 0 ? 0 : 1);
    }
    close(p[1]);
    if (pid < 0) {
        close(p[0]);
        return -1;
    }
    *fd_out = p[0];
    return pid;
}

int rt_base_start(struct rt *rt, const struct rt_base_opts *o, struct error *err)
{
    struct rt_base *b = &rt->base;
    struct rt_base_status *st = &b->st;
    if (b->pid > 0) return error_set(err, ERROR_CONFLICT, "the base image is being built");
    memset(st, 0, sizeof *st);
    if (o->host) {
        st->state = RT_BASE_HOST;
        snprintf(st->recipe, sizeof st->recipe, "host");
        rt_spare_schedule(rt, 0);
        return 0;
    }
    struct rt_image_job *j = &b->job;
    if (rt_image_job_init(j, o, rt->is_root, rt->idmap_base, &rt->sub, err) < 0) return -1;
    snprintf(st->recipe, sizeof st->recipe, "%s", j->recipe);
    b->lower_base = j->idbase;
    char lower[PATH_MAX];
    struct stat sb;
    if (!j->rebuild && rt_image_lower_path(j, lower, sizeof lower) == 0 && stat(lower, &sb) == 0 &&
        S_ISDIR(sb.st_mode)) {
        st->state = RT_BASE_READY;
        st->percent = 100;
        snprintf(st->lower, sizeof st->lower, "%s", lower);
        rt_spare_schedule(rt, 0);
        return 0;
    }
    st->state = RT_BASE_BUILDING;
    snprintf(st->phase, sizeof st->phase, "starting");
    b->len = 0;
    b->pid = start_builder(j, &b->fd);
    if (b->pid < 0) {
        b->pid = 0;
        st->state = RT_BASE_FAILED;
        snprintf(st->error, sizeof st->error, "cannot start the builder: %s", strerror(errno));
        return error_set(err, ERROR_GENERIC, "base image: %s", st->error);
    }
    fcntl(b->fd, F_SETFL, O_NONBLOCK);
    if (rt->hooks.watch_fd) rt->hooks.watch_fd(rt->hooks.ud, b->fd);
    if (rt->lg) log_msg(rt->lg, LOG_INFO, "base image: building in %s", j->dir);
    return 0;
}

/* The builder's pipe is readable (progress) or closed (it ended). */
bool rt_base_on_fd(struct rt *rt, int fd)
{
    struct rt_base *b = &rt->base;
    if (b->pid <= 0 || fd != b->fd) return false;
    int r;
    while ((r = read_messages(b, &b->st, rt->lg)) == 1)
        ;
    if (r < 0) return true;
    if (rt->hooks.unwatch_fd) rt->hooks.unwatch_fd(rt->hooks.ud, b->fd);
    close(b->fd);
    b->fd = -1;
    int ws = 0;
    while (waitpid(b->pid, &ws, 0) < 0 && errno == EINTR)
        ;
    b->pid = 0;
    if (b->st.state == RT_BASE_BUILDING) {
        b->st.state = RT_BASE_FAILED;
        snprintf(b->st.error, sizeof b->st.error, "the builder ended without an image (status %d)",
                 ws);
    }
    if (rt->lg) {
        if (b->st.state == RT_BASE_READY)
            log_msg(rt->lg, LOG_INFO, "base image: ready in %s", b->st.lower);
        else
            log_msg(rt->lg, LOG_ERROR, "base image: %s", b->st.error);
    }
    if (b->st.state == RT_BASE_READY) rt_spare_schedule(rt, 0);
    return true;
}

void rt_base_stop(struct rt *rt)
{
    struct rt_base *b = &rt->base;
    if (b->pid <= 0) return;
    kill(-b->pid, SIGTERM); /* mmdebstrap cleans up its temporary directory on SIGTERM */
    if (rt->hooks.unwatch_fd) rt->hooks.unwatch_fd(rt->hooks.ud, b->fd);
    close(b->fd);
    b->fd = -1;
    while (waitpid(b->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    b->pid = 0;
}

void rt_base_get_status(const struct rt *rt, struct rt_base_status *st)
{
    *st = rt->base.st;
}

int rt_base_build_now(const struct rt_base_opts *o, int progress_fd, struct error *err)
{
    struct rt_image_job j;
    uint32_t base = 0, slots = 0;
    bool root = geteuid() == 0;
    rt_idmap_detect(&base, &slots);
    struct rt_subid sub;
    char why[512];
    if (!root) rt_subid_usable(&sub, why, sizeof why);
    if (rt_image_job_init(&j, o, root, base, root ? NULL : &sub, err) < 0) return -1;
    struct rt_base b = {.fd = -1};
    struct rt_base_status *st = &b.st;
    st->state = RT_BASE_BUILDING;
    b.pid = start_builder(&j, &b.fd);
    if (b.pid < 0)
        return error_set(err, ERROR_GENERIC, "cannot start the builder: %s", strerror(errno));
    /* A terminal gets one line redrawn; a log one line per phase and per 10 %. */
    bool tty = progress_fd >= 0 && isatty(progress_fd);
    int last = -1;
    char shown[64] = "";
    while (read_messages(&b, st, NULL) == 1) { /* blocking fd */
        if (progress_fd < 0 || st->state != RT_BASE_BUILDING) continue;
        bool new_phase = strcmp(shown, st->phase) != 0;
        if (tty && (new_phase || st->percent != last))
            dprintf(progress_fd, "\r\033[Kbase: %s %d %%", st->phase, st->percent);
        else if (!tty && (new_phase || st->percent / 10 != last / 10))
            dprintf(progress_fd, "base: %s %d %%\n", st->phase, st->percent);
        else
            continue;
        last = st->percent;
        snprintf(shown, sizeof shown, "%s", st->phase);
    }
    if (tty && last >= 0) dprintf(progress_fd, "\n");
    close(b.fd);
    while (waitpid(b.pid, NULL, 0) < 0 && errno == EINTR)
        ;
    if (st->state == RT_BASE_READY) {
        if (progress_fd >= 0) dprintf(progress_fd, "base: ready in %s\n", st->lower);
        return 0;
    }
    return error_set(err, ERROR_GENERIC, "base image: %s",
                     st->error[0] ? st->error : "the builder ended without an image");
}
