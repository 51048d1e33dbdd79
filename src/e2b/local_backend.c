/* local_backend.c - discover, start and stop the local boxtopd through its state dir.
 *
 * Starting is asynchronous: after fork+exec we watch the state dir with inotify (boxtopd
 * writes boxtopd.json atomically, i.e. a rename: IN_MOVED_TO, or IN_CLOSE_WRITE when it
 * writes in place), the child with a pidfd (readable when it exits, so an early crash is
 * reported at once instead of after the timeout), and a timer for the overall timeout.
 * When the file names our child's pid, GET /health decides. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cJSON.h>

#include "boxtop/api.h"
#include "boxtop/http.h"
#include "boxtop/i18n.h"
#include "boxtop/json.h"
#include "boxtop/local_backend.h"
#include "boxtop/loop.h"
#include "boxtop/secret.h"

#define STATE_FILE "boxtopd.json"
#define KEY_FILE   "api-key"
#define STATE_MAX  (64 * 1024)

struct local_backend {
    struct loop *loop;
    struct http *http;
    char *dir;
    local_backend_cb cb;
    void *ud;
    pid_t child;          /* > 0 when we started it */
    bool keep;            /* started to outlive us (local_backend_start_kept) */
    bool ready;           /* reported an answering backend */
    int pidfd;            /* -1 when none */
    int inotify_fd;       /* -1 when none */
    int64_t timer;        /* overall timeout */
    int64_t child_poll;   /* waitpid timer when pidfd is unavailable */
    int64_t report_timer; /* health result waiting to be reported */
    struct error health_err;
    struct api *api; /* for /health */
    struct api_call *health;
    struct local_backend_info info;
    bool reported;
    bool child_exited;
    int exit_status;
    /* the base image's state (local_backend_watch_base) */
    local_backend_base_cb base_cb;
    void *base_ud;
    struct api_call *base_call;
    int64_t base_timer;
    char base_note[256];
};

/* ---- files ------------------------------------------------------------------------------- */

char *local_backend_default_dir(void)
{
    const char *e = getenv("BOXTOP_STATE_DIR");
    char buf[PATH_MAX];
    if (e && *e) return strdup(e);
    e = getenv("XDG_DATA_HOME");
    if (e && *e == '/') {
        snprintf(buf, sizeof buf, "%s/boxtop/boxtopd", e);
        return strdup(buf);
    }
    e = getenv("HOME");
    if (!e || !*e) return NULL;
    snprintf(buf, sizeof buf, "%s/.local/share/boxtop/boxtopd", e);
    return strdup(buf);
}

/* Whole small file into a malloc'd NUL-terminated string. */
static char *slurp(const char *path, size_t *len, struct error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        error_set(err, errno == ENOENT ? ERROR_NOT_FOUND : ERROR_GENERIC, "%s: %s", path,
                  strerror(errno));
        return NULL;
    }
    struct buf b = BUF_INIT;
    char chunk[4096];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) > 0 && b.len < STATE_MAX)
        buf_append(&b, chunk, (size_t)n);
    close(fd);
    if (n < 0 || b.len >= STATE_MAX) {
        buf_free(&b);
        error_set(err, ERROR_GENERIC, _("%s: cannot read"), path);
        return NULL;
    }
    *len = b.len;
    return b.data ? buf_steal(&b) : strdup("");
}

void local_backend_info_free(struct local_backend_info *info)
{
    free(info->api_url);
    free(info->sandbox_url);
    free(info->version);
    secret_free(info->api_key);
    memset(info, 0, sizeof *info);
}

static int check_url(const char *url, const char *field, struct error *err)
{
    if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8))
        return error_set(err, ERROR_PROTOCOL, "boxtopd.json.%s: not an http(s) URL", field);
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return error_set(err, ERROR_PROTOCOL, "boxtopd.json.%s: bad character", field);
    return 0;
}

int local_backend_parse_state(const char *text, size_t len, struct local_backend_info *out,
                              struct error *err)
{
    memset(out, 0, sizeof *out);
    cJSON *doc = json_parse(text, len, err);
    if (!doc) return error_prefix(err, "boxtopd.json");
    int64_t pid;
    const char *api = NULL, *sbx = NULL, *ver = NULL;
    int rc = json_expect_object(doc, "boxtopd.json", err);
    if (rc == 0) rc = json_get_int64(doc, "boxtopd.json", "pid", &pid, err);
    if (rc == 0) rc = json_get_string(doc, "boxtopd.json", "apiUrl", &api, err);
    if (rc == 0) rc = json_get_string(doc, "boxtopd.json", "sandboxUrl", &sbx, err);
    if (rc == 0) rc = json_opt_string(doc, "boxtopd.json", "version", &ver, err);
    if (rc == 0 && (pid <= 1 || pid > INT_MAX))
        rc = error_set(err, ERROR_PROTOCOL, "boxtopd.json.pid: out of range");
    if (rc == 0) rc = check_url(api, "apiUrl", err);
    if (rc == 0) rc = check_url(sbx, "sandboxUrl", err);
    if (rc == 0) {
        out->pid = (pid_t)pid;
        out->api_url = strdup(api);
        out->sandbox_url = strdup(sbx);
        out->version = strdup(ver ? ver : "");
        if (!out->api_url || !out->sandbox_url || !out->version)
            rc = error_set(err, ERROR_GENERIC, "out of memory");
    }
    cJSON_Delete(doc);
    if (rc < 0) local_backend_info_free(out);
    return rc;
}

static int read_key(const char *dir, char **out, struct error *err)
{
    char path[PATH_MAX];
    size_t len;
    snprintf(path, sizeof path, "%s/" KEY_FILE, dir);
    char *k = slurp(path, &len, err);
    if (!k) return -1;
    k[strcspn(k, "\r\n")] = '\0';
    for (const char *p = k; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f) {
            free(k);
            return error_set(err, ERROR_PROTOCOL, _("%s: malformed API key file"), path);
        }
    if (!*k) {
        free(k);
        return error_set(err, ERROR_PROTOCOL, _("%s: empty API key file"), path);
    }
    *out = k;
    return 0;
}

int local_backend_read(const char *dir, struct local_backend_info *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    char path[PATH_MAX];
    size_t len;
    snprintf(path, sizeof path, "%s/" STATE_FILE, dir);
    char *text = slurp(path, &len, err);
    if (!text) return -1;
    int rc = local_backend_parse_state(text, len, out, err);
    free(text);
    if (rc < 0) return -1;
    if (kill(out->pid, 0) < 0 && errno == ESRCH) {
        local_backend_info_free(out);
        return error_set(err, ERROR_NOT_FOUND, _("boxtopd is not running (stale %s)"), path);
    }
    if (read_key(dir, &out->api_key, err) < 0) {
        local_backend_info_free(out);
        return -1;
    }
    return 0;
}

/* ---- finding the binary ------------------------------------------------------------------ */

static char *executable_in(const char *dir)
{
    char p[PATH_MAX];
    if (snprintf(p, sizeof p, "%s/boxtopd", dir) >= (int)sizeof p) return NULL;
    return access(p, X_OK) == 0 ? strdup(p) : NULL;
}

char *local_backend_find_daemon(struct error *err)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    char *found = NULL;
    if (n > 0) {
        self[n] = '\0';
        char *slash = strrchr(self, '/');
        if (slash) {
            *slash = '\0';
            found = executable_in(self);
        }
    }
    const char *env = getenv("BOXTOP_BINDIR");
    if (!found && env && *env) found = executable_in(env);
#ifdef BOXTOP_BINDIR
    if (!found) found = executable_in(BOXTOP_BINDIR);
#endif
#ifdef BOXTOP_SBINDIR
    if (!found) found = executable_in(BOXTOP_SBINDIR);
#endif
    const char *path = getenv("PATH");
    if (!found && path) {
        char *copy = strdup(path), *save = NULL;
        for (char *d = copy ? strtok_r(copy, ":", &save) : NULL; d && !found;
             d = strtok_r(NULL, ":", &save))
            if (*d) found = executable_in(d);
        free(copy);
    }
    if (!found)
        error_set(err, ERROR_NOT_FOUND,
                  _("boxtopd not found (looked next to boxtop, in $BOXTOP_BINDIR and $PATH)"));
    return found;
}

/* ---- starting ---------------------------------------------------------------------------- */

static void report(struct local_backend *lb, const struct error *err)
{
    if (lb->reported) return;
    lb->reported = true;
    lb->ready = !err;
    if (lb->timer) {
        loop_timer_cancel(lb->loop, lb->timer);
        lb->timer = 0;
    }
    if (lb->inotify_fd >= 0) {
        loop_fd_remove(lb->loop, lb->inotify_fd);
        close(lb->inotify_fd);
        lb->inotify_fd = -1;
    }
    if (lb->cb) lb->cb(lb, err ? NULL : &lb->info, err, lb->ud);
}

/* The health answer is reported from a 0 ms timer, outside the API callback, so that the
 * user's callback may call local_backend_stop() (which frees the API object). */
static void on_health_report(struct loop *l, void *ud)
{
    (void)l;
    struct local_backend *lb = ud;
    lb->report_timer = 0;
    report(lb, lb->health_err.kind != ERROR_NONE ? &lb->health_err : NULL);
}

static void on_health(struct api_result *res, void *ud)
{
    struct local_backend *lb = ud;
    lb->health = NULL;
    lb->health_err = res->err;
    if (res->err.kind != ERROR_NONE)
        error_prefix(&lb->health_err, _("boxtopd at %s does not answer"), lb->info.api_url);
    lb->report_timer = loop_timer_add(lb->loop, 0, on_health_report, lb);
    if (lb->report_timer < 0) {
        lb->report_timer = 0;
        report(lb, lb->health_err.kind != ERROR_NONE ? &lb->health_err : NULL);
    }
}

/* The state file is there (or changed): if it names a live boxtopd (ours when we started
 * one), ask /health. Returns 1 when a health check is under way. */
static int try_state(struct local_backend *lb)
{
    struct local_backend_info info;
    struct error err = {0};
    if (lb->health || local_backend_read(lb->dir, &info, &err) < 0) return 0;
    if (lb->child > 0 && info.pid != lb->child) {
        local_backend_info_free(&info); /* an old file from someone else: keep waiting */
        return 0;
    }
    local_backend_info_free(&lb->info);
    lb->info = info;
    api_free(lb->api);
    lb->api = api_new(lb->http, info.api_url, info.api_key, &err);
    if (lb->api) lb->health = api_health(lb->api, on_health, lb);
    if (!lb->health) {
        report(lb, &err);
        return 1;
    }
    return 1;
}

static void on_inotify(struct loop *l, int fd, int events, void *ud)
{
    (void)l;
    (void)events;
    struct local_backend *lb = ud;
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    bool relevant = false;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        for (char *p = buf; p < buf + n;) {
            struct inotify_event *ev = (struct inotify_event *)p;
            if (ev->len && !strcmp(ev->name, STATE_FILE)) relevant = true;
            p += sizeof *ev + ev->len;
        }
    }
    if (relevant) try_state(lb);
}

static void child_gone(struct local_backend *lb, int st)
{
    lb->child_exited = true;
    lb->exit_status = st;
    lb->child = -lb->child; /* remember that we started it, and that it is gone */
    struct error e;
    if (WIFEXITED(st))
        error_set(&e, ERROR_GENERIC, _("boxtopd exited with status %d before it was ready"),
                  WEXITSTATUS(st));
    else
        error_set(&e, ERROR_GENERIC, _("boxtopd was killed by signal %d before it was ready"),
                  WTERMSIG(st));
    report(lb, &e);
}

static void on_pidfd(struct loop *l, int fd, int events, void *ud)
{
    (void)events;
    struct local_backend *lb = ud;
    loop_fd_remove(l, fd);
    close(fd);
    lb->pidfd = -1;
    int st = 0;
    if (lb->child > 0 && waitpid(lb->child, &st, WNOHANG) == lb->child) child_gone(lb, st);
}

/* Without pidfd (kernels before 5.3, valgrind): look at the child every 100 ms until it is
 * ready or gone. */
static void on_child_poll(struct loop *l, void *ud)
{
    struct local_backend *lb = ud;
    lb->child_poll = 0;
    int st = 0;
    if (lb->child > 0 && waitpid(lb->child, &st, WNOHANG) == lb->child)
        child_gone(lb, st);
    else if (!lb->reported)
        lb->child_poll = loop_timer_add(l, 100, on_child_poll, lb);
}

static void on_timeout(struct loop *l, void *ud)
{
    (void)l;
    struct local_backend *lb = ud;
    lb->timer = 0;
    struct error e;
    error_set(&e, ERROR_NETWORK, _("boxtopd did not become ready in time (state dir %s)"), lb->dir);
    report(lb, &e);
}

static int mkdir_p(const char *dir)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s", dir);
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            if (mkdir(p, 0700) < 0 && errno != EEXIST) return -1;
            *s = '/';
        }
    return mkdir(p, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

static int spawn(struct local_backend *lb, const char *daemon, struct error *err)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) return error_set(err, ERROR_GENERIC, "fork: %s", strerror(errno));
    if (pid == 0) {
        /* Child: own process group so that a Ctrl-C aimed at boxtop's terminal does not
         * kill it behind boxtop's back; stdin from /dev/null, output kept for diagnosis. */
        if (lb->keep) {
            /* the command line's backend outlives it: its own session, no death signal */
            setsid();
        } else {
            setpgid(0, 0);
            /* Ours to stop even when boxtop cannot (SIGKILL): it gets SIGTERM when boxtop
             * dies, as local_backend_stop would send; a parent already gone counts too. */
            prctl(PR_SET_PDEATHSIG, SIGTERM);
            if (getppid() != parent) _exit(0);
        }
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL); /* not the caller's blocked signals */
        int nul = open("/dev/null", O_RDONLY);
        if (nul >= 0) {
            dup2(nul, 0);
            close(nul);
        }
        /* Its log goes to DIR/boxtopd.log: the terminal belongs to the TUI. */
        char logp[PATH_MAX];
        snprintf(logp, sizeof logp, "%s/boxtopd.log", lb->dir);
        int log = open(logp, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (log >= 0) {
            dup2(log, 1);
            dup2(log, 2);
        }
        char *argv[] = {(char *)daemon, "--foreground",  "--state-dir", lb->dir, "--api-listen",
                        "127.0.0.1:0",  "--envd-listen", "127.0.0.1:0", NULL};
        execv(daemon, argv);
        _exit(127);
    }
    lb->child = pid;
    lb->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (lb->pidfd >= 0)
        loop_fd_add(lb->loop, lb->pidfd, LOOP_READ, on_pidfd, lb);
    else
        lb->child_poll = loop_timer_add(lb->loop, 100, on_child_poll, lb);
    return 0;
}

static struct local_backend *start(struct loop *l, struct http *h, const char *dir,
                                   const char *daemon_path, int timeout_ms, local_backend_cb cb,
                                   void *ud, bool keep, struct error *err)
{
    struct local_backend *lb = calloc(1, sizeof *lb);
    if (!lb || !(lb->dir = strdup(dir))) {
        free(lb);
        error_set(err, ERROR_GENERIC, "out of memory");
        return NULL;
    }
    lb->keep = keep;
    lb->loop = l;
    lb->http = h;
    lb->cb = cb;
    lb->ud = ud;
    lb->pidfd = lb->inotify_fd = -1;

    /* Already running? The health check then reports. */
    if (try_state(lb)) {
        lb->timer = loop_timer_add(l, timeout_ms, on_timeout, lb);
        return lb;
    }
    char *daemon = daemon_path ? strdup(daemon_path) : local_backend_find_daemon(err);
    if (!daemon || mkdir_p(dir) < 0) {
        if (daemon) error_set(err, ERROR_GENERIC, _("cannot create %s: %s"), dir, strerror(errno));
        free(daemon);
        free(lb->dir);
        free(lb);
        return NULL;
    }
    /* Watch before spawning so that the file cannot appear unseen. */
    lb->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (lb->inotify_fd < 0 ||
        inotify_add_watch(lb->inotify_fd, dir, IN_MOVED_TO | IN_CLOSE_WRITE | IN_CREATE) < 0 ||
        loop_fd_add(l, lb->inotify_fd, LOOP_READ, on_inotify, lb) < 0 ||
        spawn(lb, daemon, err) < 0) {
        if (err && err->kind == ERROR_NONE)
            error_set(err, ERROR_GENERIC, "inotify: %s", strerror(errno));
        free(daemon);
        local_backend_stop(lb);
        return NULL;
    }
    free(daemon);
    lb->timer = loop_timer_add(l, timeout_ms, on_timeout, lb);
    return lb;
}

struct local_backend *local_backend_start(struct loop *l, struct http *h, const char *dir,
                                          const char *daemon_path, int timeout_ms,
                                          local_backend_cb cb, void *ud, struct error *err)
{
    return start(l, h, dir, daemon_path, timeout_ms, cb, ud, false, err);
}

struct local_backend *local_backend_start_kept(struct loop *l, struct http *h, const char *dir,
                                               const char *daemon_path, int timeout_ms,
                                               local_backend_cb cb, void *ud, struct error *err)
{
    return start(l, h, dir, daemon_path, timeout_ms, cb, ud, true, err);
}

bool local_backend_started_by_us(const struct local_backend *lb)
{
    return lb && lb->child != 0;
}

static void on_stop_pidfd(struct loop *l, int fd, int events, void *ud)
{
    (void)events;
    bool *exited = ud;
    *exited = true;
    loop_fd_remove(l, fd);
}

/* ---- the base image ----------------------------------------------------------------------- */

void local_backend_base_note(const char *body, size_t len, char *out, size_t n)
{
    static const char *const keys[] = {"base image failed: ", "base: "};
    out[0] = '\0';
    if (n == 0) return;
    if (len && body[0] == '{') { /* the JSON answer (Accept: application/json) names it "base" */
        cJSON *o = cJSON_ParseWithLength(body, len);
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(o, "base");
        if (cJSON_IsString(b)) snprintf(out, n, "%s", b->valuestring);
        cJSON_Delete(o);
        return;
    }
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        size_t kl = strlen(keys[k]);
        for (size_t i = 0; i + kl <= len; i++) {
            if (memcmp(body + i, keys[k], kl) != 0) continue;
            /* up to the ")" that closes the health message (the note may hold one) */
            size_t end = len && body[len - 1] == ')' ? len - 1 : len, e = i;
            while (e < end && body[e] != '\n' && body[e] != ';')
                e++;
            size_t l = e - i < n - 1 ? e - i : n - 1;
            memcpy(out, body + i, l); /* drawn through the sanitizer like every label */
            out[l] = '\0';
            return;
        }
    }
}

static void base_poll(struct loop *l, void *ud);

static void on_base_health(struct api_result *res, void *ud)
{
    struct local_backend *lb = ud;
    lb->base_call = NULL;
    char note[sizeof lb->base_note];
    if (res->err.kind != ERROR_NONE || !res->body) return; /* boxtopd is going away */
    local_backend_base_note(res->body, res->body_len, note, sizeof note);
    if (strcmp(note, lb->base_note) != 0) {
        snprintf(lb->base_note, sizeof lb->base_note, "%s", note);
        if (lb->base_cb) lb->base_cb(lb, note, lb->base_ud);
    }
    /* only a build in progress changes by itself */
    if (strncmp(note, "base: ", 6) == 0 && !strstr(note, "--base host"))
        lb->base_timer = loop_timer_add(lb->loop, 1000, base_poll, lb);
}

static void base_poll(struct loop *l, void *ud)
{
    (void)l;
    struct local_backend *lb = ud;
    lb->base_timer = 0;
    if (lb->api && !lb->base_call) lb->base_call = api_health(lb->api, on_base_health, lb);
}

void local_backend_watch_base(struct local_backend *lb, local_backend_base_cb cb, void *ud)
{
    lb->base_cb = cb;
    lb->base_ud = ud;
    lb->base_note[0] = '\0';
    if (!lb->base_timer && !lb->base_call) base_poll(lb->loop, lb);
}

void local_backend_stop(struct local_backend *lb)
{
    if (!lb) return;
    lb->reported = true; /* no callback from here on */
    lb->base_cb = NULL;
    if (lb->base_timer > 0) loop_timer_cancel(lb->loop, lb->base_timer);
    if (lb->base_call) api_cancel(lb->base_call);
    if (lb->timer) loop_timer_cancel(lb->loop, lb->timer);
    if (lb->child_poll) loop_timer_cancel(lb->loop, lb->child_poll);
    if (lb->health) api_cancel(lb->health);
    api_free(lb->api);
    if (lb->inotify_fd >= 0) {
        loop_fd_remove(lb->loop, lb->inotify_fd);
        close(lb->inotify_fd);
    }
    if (lb->child > 0 && lb->keep && lb->ready && !lb->child_exited) {
        /* kept and ready: it runs on without us (init reaps it once we are gone) */
    } else if (lb->child > 0) {
        /* Ours and alive: ask it to stop (it removes boxtopd.json), give it 3 s. The pidfd
         * wakes the loop when it exits, so this waits without sleeping or polling. */
        bool exited = false;
        if (lb->pidfd >= 0) loop_fd_add(lb->loop, lb->pidfd, LOOP_READ, on_stop_pidfd, &exited);
        kill(lb->child, SIGTERM);
        int64_t deadline = loop_now_ms() + 3000;
        while (!exited && loop_now_ms() < deadline) {
            /* without a pidfd: wake every 50 ms to look */
            loop_run_once(lb->loop, lb->pidfd >= 0 ? (int)(deadline - loop_now_ms()) : 50);
            if (lb->pidfd < 0 && waitpid(lb->child, NULL, WNOHANG) == lb->child) {
                exited = true;
                lb->child = -lb->child;
            }
        }
        if (lb->child > 0 && waitpid(lb->child, NULL, WNOHANG) != lb->child) {
            kill(lb->child, SIGKILL);
            waitpid(lb->child, NULL, 0);
        }
    }
    if (lb->pidfd >= 0) {
        loop_fd_remove(lb->loop, lb->pidfd);
        close(lb->pidfd);
    }
    local_backend_info_free(&lb->info);
    free(lb->dir);
    free(lb);
}

/* ---- probing (CLI) ----------------------------------------------------------------------- */

struct probe {
    bool done;
    struct error err;
};

static void on_probe_health(struct api_result *res, void *ud)
{
    struct probe *p = ud;
    p->done = true;
    p->err = res->err;
}

int local_backend_probe(struct loop *l, struct http *h, const char *dir,
                        struct local_backend_info *out, struct error *err)
{
    (void)l;
    if (local_backend_read(dir, out, err) < 0) return -1;
    struct api *a = api_new(h, out->api_url, out->api_key, err);
    if (!a) {
        local_backend_info_free(out);
        return -1;
    }
    struct probe p = {0};
    struct api_call *c = api_health(a, on_probe_health, &p);
    if (c) api_wait(a, c);
    api_free(a);
    if (!c || !p.done || p.err.kind != ERROR_NONE) {
        if (err) {
            *err = p.err;
            if (err->kind == ERROR_NONE) error_set(err, ERROR_NETWORK, "health check failed");
        }
        error_prefix(err, _("boxtopd at %s does not answer"), out->api_url);
        local_backend_info_free(out);
        return -1;
    }
    return 0;
}
