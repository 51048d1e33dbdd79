/* changes_track.c - marks, the deletion watcher, the scan and its downloads (changes_track.h). */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "boxtop/commands.h"
#include "boxtop/envd.h"
#include "boxtop/fpath.h"
#include "boxtop/i18n.h"
#include "boxtop/xfer.h"
#include "app.h"
#include "changes_track.h"
#include "backend_e2b_peek.h"

#define CHG_WATCH_DIR "/home/user" /* E2B's default user's home: where agents write */
#define CHG_PEEK_MAX  (1 << 20)
#define CHG_MARKS_MAX 32

/* `m` on a sandbox: since when, and the removals seen since. */
struct chg_markrec {
    char *id;
    int64_t since_ms;
    void *open_h; /* envd_open in flight */
    struct envd_client *c;
    struct envd_stream *watch;
    struct chg_list deleted;
    int watching; /* the watch stream is up */
};

struct chg_marks {
    struct chg_markrec *v[CHG_MARKS_MAX];
    int n;
};

struct chg_scan {
    struct app *a;
    char *id;
    chg_cb cb;
    void *ud;
    enum chg_state state;
    char err[512];
    int64_t since_ms;
    int from_mark, watched;
    void *open_h;
    struct envd_client *c;
    int have_xfer;
    struct xfer x;
    struct envd_stream *proc;
    uint32_t pid;
    struct chg_parser parser;
    struct chg_list list;
    struct fpeek *peek;
    chg_peek_cb peek_cb;
    void *peek_ud;
};

/* ---- marks and the watcher --------------------------------------------------------------- */

static struct chg_markrec *mark_find(struct app *a, const char *id)
{
    for (int i = 0; a->chg && i < a->chg->n; i++)
        if (!strcmp(a->chg->v[i]->id, id)) return a->chg->v[i];
    return NULL;
}

static void mark_free(struct app *a, struct chg_markrec *m)
{
    if (m->open_h && a->be->ops->envd_cancel) a->be->ops->envd_cancel(a->be, m->open_h);
    if (m->watch) envd_stream_cancel(m->watch);
    if (m->c) {
        envd_client_free(m->c);
        free(m->c);
    }
    chg_list_free(&m->deleted);
    free(m->id);
    free(m);
}

static int on_fs(const struct envd_fs_event *ev, void *ud, struct error *err)
{
    (void)err;
    struct chg_markrec *m = ud;
    if (ev->op != ENVD_FS_OP_REMOVE || !ev->name || !ev->name[0]) return 0;
    char *p = fpath_join(CHG_WATCH_DIR, ev->name);
    if (p) chg_add_deleted(&m->deleted, p, loop_wall_ms());
    free(p);
    return 0;
}

static void on_watch_end(const struct error *err, void *ud)
{
    (void)err;
    struct chg_markrec *m = ud;
    m->watch = NULL;
    m->watching = 0;
}

static void on_mark_envd(struct envd_client *c, const struct error *err, void *ud)
{
    struct chg_markrec *m = ud;
    m->open_h = NULL;
    if (!c) {
        (void)err;
        return;
    }
    m->c = c;
    struct error e = {0};
    m->watch = envd_fs_watch_dir(c, CHG_WATCH_DIR, true, on_fs, on_watch_end, m, &e);
    m->watching = m->watch != NULL;
}

void chg_mark(struct app *a, const char *id)
{
    if (!a->chg && !(a->chg = calloc(1, sizeof(*a->chg)))) return;
    struct chg_markrec *old = mark_find(a, id);
    if (old) { /* a new mark replaces the old one: removals count from now */
        old->since_ms = loop_wall_ms();
        chg_list_free(&old->deleted);
        app_status(a, STATUS_INFO, _("changes of %s count from now (d lists them)"), id);
        return;
    }
    if (a->chg->n == CHG_MARKS_MAX) { /* the oldest mark goes */
        mark_free(a, a->chg->v[0]);
        memmove(a->chg->v, a->chg->v + 1, (CHG_MARKS_MAX - 1) * sizeof(*a->chg->v));
        a->chg->n--;
    }
    struct chg_markrec *m = calloc(1, sizeof(*m));
    if (!m || !(m->id = strdup(id))) {
        free(m);
        return;
    }
    m->since_ms = loop_wall_ms();
    a->chg->v[a->chg->n++] = m;
    if (a->be->ops->envd_open) m->open_h = a->be->ops->envd_open(a->be, id, on_mark_envd, m);
    app_status(a, STATUS_INFO, _("changes of %s count from now (d lists them)"), id);
}

void chg_marks_free(struct app *a)
{
    for (int i = 0; a->chg && i < a->chg->n; i++)
        mark_free(a, a->chg->v[i]);
    free(a->chg);
    a->chg = NULL;
}

/* ---- the scan -------------------------------------------------------------------------- */

static void notify(struct chg_scan *s)
{
    if (s->cb) s->cb(s->ud);
}

static void fail(struct chg_scan *s, const char *msg)
{
    s->state = CHG_FAILED;
    snprintf(s->err, sizeof(s->err), "%s", msg);
    notify(s);
}

/* The scan is over: add what the watcher saw, sort. */
static void finish(struct chg_scan *s, enum chg_state st)
{
    s->state = st;
    struct chg_markrec *m = s->from_mark ? mark_find(s->a, s->id) : NULL;
    for (size_t i = 0; m && i < m->deleted.n; i++)
        chg_add_deleted(&s->list, m->deleted.v[i].path, m->deleted.v[i].mtime_ms);
    chg_sort(&s->list);
    notify(s);
}

static int on_proc(const struct envd_proc_event *ev, void *ud, struct error *err)
{
    (void)err;
    struct chg_scan *s = ud;
    if (ev->kind == ENVD_PROC_START) {
        s->pid = ev->pid;
    } else if (ev->kind == ENVD_PROC_DATA && ev->output == ENVD_OUT_STDOUT) {
        if (chg_feed(&s->parser, ev->data, ev->len, &s->list) > 0) {
            chg_sort(&s->list);
            notify(s); /* rows show as they stream in */
        }
    }
    return 0;
}

static void on_proc_end(const struct error *err, void *ud)
{
    struct chg_scan *s = ud;
    s->proc = NULL;
    if (err) {
        fail(s, err->msg);
        return;
    }
    finish(s, CHG_DONE);
}

static void on_xfer(void *ud, enum xfer_event ev, struct xfer_job *j)
{
    (void)ev;
    (void)j;
    notify(ud);
}

static void on_scan_envd(struct envd_client *c, const struct error *err, void *ud)
{
    struct chg_scan *s = ud;
    s->open_h = NULL;
    if (!c) {
        fail(s, err ? err->msg : _("the sandbox cannot be reached"));
        return;
    }
    s->c = c;
    /* as root: an agent's files may be anywhere and anyone's */
    free(c->target.user);
    c->target.user = strdup("root");
    xfer_init(&s->x, s->a->loop, c, on_xfer, s);
    s->have_xfer = 1;
    char since[32];
    snprintf(since, sizeof(since), "%lld.%03lld", (long long)(s->since_ms / 1000),
             (long long)(s->since_ms % 1000));
    /* one process; /proc, /sys and /dev are not files an agent changed */
    static const char script[] =
        "exec find / \\( -path /proc -o -path /sys -o -path /dev \\) -prune -o "
        "\\( -type f -o -type l \\) -newermt \"@$1\" -printf '" CHG_PRINTF "' 2>/dev/null";
    const char *args[] = {"-c", script, CMD_INTERNAL_TAG, since, NULL};
    struct envd_start_opts o = {0};
    o.cmd = "/bin/sh";
    o.args = args;
    o.stdin_mode = -1;
    o.tag = CMD_INTERNAL_TAG;
    struct error e = {0};
    s->proc = envd_process_start(c, &o, on_proc, on_proc_end, s, &e);
    if (!s->proc) {
        fail(s, e.msg);
        return;
    }
    s->state = CHG_SCANNING;
    notify(s);
}

struct chg_scan *chg_scan_start(struct app *a, const char *id, chg_cb cb, void *ud)
{
    struct chg_scan *s = calloc(1, sizeof(*s));
    if (!s || !(s->id = strdup(id))) {
        free(s);
        return NULL;
    }
    s->a = a;
    s->cb = cb;
    s->ud = ud;
    struct chg_markrec *m = mark_find(a, id);
    struct box *b = model_find(&a->model, id);
    if (m) {
        s->since_ms = m->since_ms;
        s->from_mark = 1;
        s->watched = m->watching;
    } else {
        s->since_ms = b && b->started_ms ? b->started_ms : 0;
    }
    if (!a->be->ops->envd_open) {
        s->state = CHG_FAILED;
        snprintf(s->err, sizeof(s->err), "%s", _("changed files need a live backend"));
        return s;
    }
    s->open_h = a->be->ops->envd_open(a->be, id, on_scan_envd, s);
    return s;
}

static void ignore_cb(const cJSON *resp, const struct error *err, void *ud)
{
    (void)resp, (void)err, (void)ud;
}

void chg_scan_cancel(struct chg_scan *s)
{
    if (!s || (s->state != CHG_SCANNING && s->state != CHG_CONNECTING)) return;
    if (s->open_h && s->a->be->ops->envd_cancel) s->a->be->ops->envd_cancel(s->a->be, s->open_h);
    s->open_h = NULL;
    if (s->proc) envd_stream_cancel(s->proc);
    s->proc = NULL;
    if (s->pid && s->have_xfer) { /* the walk stops in the sandbox too */
        struct error e = {0};
        struct xfer_call *t = xfer_call_begin(&s->x, ignore_cb, NULL);
        if (t)
            xfer_call_started(t, envd_process_signal(s->c, s->pid, SIGKILL, xfer_call_cb, t, &e));
    }
    finish(s, CHG_CANCELLED);
}

void chg_scan_free(struct chg_scan *s)
{
    if (!s) return;
    s->cb = NULL;
    chg_scan_cancel(s);
    fpeek_cancel(s->peek);
    if (s->have_xfer) {
        xfer_free(&s->x);
        xfer_release_client(&s->x, s->c);
    } else if (s->c) {
        envd_client_free(s->c);
        free(s->c);
    }
    chg_parser_free(&s->parser);
    chg_list_free(&s->list);
    free(s->id);
    free(s);
}

enum chg_state chg_scan_state(const struct chg_scan *s)
{
    return s->state;
}

const char *chg_scan_error(const struct chg_scan *s)
{
    return s->err;
}

const struct chg_list *chg_scan_list(const struct chg_scan *s)
{
    return &s->list;
}

int64_t chg_scan_since(const struct chg_scan *s)
{
    return s->since_ms;
}

int chg_scan_from_mark(const struct chg_scan *s)
{
    return s->from_mark;
}

int chg_scan_watched(const struct chg_scan *s)
{
    return s->watched;
}

/* ---- reading and downloading ------------------------------------------------------------ */

static void on_peek(int fd, size_t len, int more, const struct error *err, void *ud)
{
    struct chg_scan *s = ud;
    s->peek = NULL;
    s->peek_cb(fd, len, more, err, s->peek_ud);
}

int chg_scan_peek(struct chg_scan *s, const char *path, chg_peek_cb cb, void *ud, struct error *err)
{
    if (!s->c) return error_set(err, ERROR_GENERIC, "%s", _("not connected yet")), -1;
    fpeek_cancel(s->peek);
    const char *tmp = getenv("TMPDIR");
    s->peek_cb = cb;
    s->peek_ud = ud;
    s->peek = fpeek_start(s->a->loop, s->c, path, tmp && tmp[0] == '/' ? tmp : "/tmp", CHG_PEEK_MAX,
                          on_peek, s, err);
    return s->peek ? 0 : -1;
}

/* mkdir -p of path's parent (0755 like a copied tree). */
static int parents(const char *path)
{
    char *p = strdup(path);
    if (!p) return -1;
    for (char *q = p + 1; *q; q++) {
        if (*q != '/') continue;
        *q = '\0';
        if (mkdir(p, 0755) < 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *q = '/';
    }
    free(p);
    return 0;
}

int chg_scan_download(struct chg_scan *s, const char *dir, const char *const *paths, size_t n,
                      struct error *err)
{
    if (!s->have_xfer) return error_set(err, ERROR_GENERIC, "%s", _("not connected yet")), -1;
    for (size_t i = 0; i < n; i++) {
        /* a hostile path (.., empty components) must not leave dir */
        if (paths[i][0] != '/' || !xfer_relpath_safe(paths[i] + 1)) continue;
        char *dst = fpath_join(dir, paths[i] + 1);
        if (!dst || parents(dst) < 0 || !xfer_add(&s->x, XFER_DOWN, paths[i], dst, 0)) {
            error_set(err, ERROR_GENERIC, "%s: %s", dst ? dst : dir, strerror(errno));
            free(dst);
            return -1;
        }
        free(dst);
    }
    return 0;
}

void chg_scan_download_text(const struct chg_scan *s, char *out, size_t n, int *failed)
{
    *failed = 0;
    out[0] = '\0';
    if (!s->have_xfer || !s->x.njobs) return;
    size_t done = 0, bad = 0;
    uint64_t bytes = 0;
    const char *first = NULL;
    for (size_t i = 0; i < s->x.njobs; i++) {
        const struct xfer_job *j = s->x.jobs[i];
        bytes += j->done;
        if (j->state == XS_DONE) done++;
        if (j->state == XS_FAILED || j->state == XS_CANCELLED) {
            bad++;
            if (!first) first = j->msg[0] ? j->msg : j->first_err;
        }
    }
    *failed = bad > 0;
    if (bad)
        snprintf(out, n, _("downloaded %zu of %zu files (%llu bytes), %zu failed: %s"), done,
                 s->x.njobs, (unsigned long long)bytes, bad, first ? first : "");
    else
        snprintf(out, n, _("downloaded %zu of %zu files (%llu bytes)"), done, s->x.njobs,
                 (unsigned long long)bytes);
}
