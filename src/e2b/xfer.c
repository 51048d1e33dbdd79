/* xfer.c - the transfer engine of the file browser and `boxtop cp` (see xfer.h for the design). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boxtop/commands.h"
#include "boxtop/grow.h"
#include "boxtop/files.h"
#include "boxtop/fpath.h"
#include "boxtop/http.h"
#include "boxtop/i18n.h"
#include "boxtop/xfer.h"
#include "boxtop/local_error.h"

#define XFER_LIST_DEPTH 4096 /* "everything": envd walks the whole tree */
#define XFER_NOTIFY_MS  200  /* progress redraws at most this often */
#define CHMOD_BATCH     200  /* paths per chmod process */

struct xalias;

/* One file (or remote directory) in flight. */
struct xrun {
    struct xrun *next;
    struct xfer_job *j;
    struct xitem *it;
    char *tmp; /* temporary name on the target side (NULL for a MakeDir) */
    int fd;
    struct files_transfer *ft;
    struct xfer_call *req; /* Move or MakeDir */
    uint64_t last;         /* bytes of this file already counted in j->done */
    struct xalias *al;     /* download: the sandbox's second name being made */
    char *ralias;          /* download: that name, once made (removed at the end) */
};

static void pump(struct xfer *x);

/* Removals of temporaries are not waited for, but they use the envd client until they
 * answer: the client is freed by the last of them when the view is gone. */
struct xfer_gc {
    int pending;
    struct envd_client *orphan;
    struct xfer_call *calls; /* in flight */
};

struct xfer_call {
    struct xfer_call *next, **pprev;
    struct xfer_gc *gc;
    envd_unary_cb cb;
    void *ud;
    int abandoned;
};

static void notify(struct xfer *x, enum xfer_event ev, struct xfer_job *j)
{
    int64_t now = loop_now_ms();
    if (ev == XEV_PROGRESS && now - x->last_notify < XFER_NOTIFY_MS) return;
    x->last_notify = now;
    if (x->notify) x->notify(x->ud, ev, j);
}

void xfer_init(struct xfer *x, struct loop *loop, struct envd_client *envd, xfer_notify_cb cb,
               void *ud)
{
    memset(x, 0, sizeof *x);
    x->loop = loop;
    x->envd = envd;
    x->notify = cb;
    x->ud = ud;
    x->next_id = 1;
    x->gc = calloc(1, sizeof *x->gc); /* NULL: temporaries are not removed remotely */
}

static int finished(const struct xfer_job *j)
{
    return j->state == XS_DONE || j->state == XS_FAILED || j->state == XS_CANCELLED;
}

int xfer_busy(const struct xfer *x)
{
    for (size_t i = 0; i < x->njobs; i++)
        if (!finished(x->jobs[i])) return 1;
    return 0;
}

/* ---- rate window ---- */

void xfer_sample(struct xfer_job *j, int64_t now)
{
    if (j->nwin) {
        int last = (j->hwin + j->nwin - 1) % XFER_RATE_WIN;
        if (now - j->win[last].t < XFER_SAMPLE_MS) return;
    }
    if (j->nwin < XFER_RATE_WIN) {
        j->win[(j->hwin + j->nwin) % XFER_RATE_WIN].t = now;
        j->win[(j->hwin + j->nwin) % XFER_RATE_WIN].b = j->done;
        j->nwin++;
    } else {
        j->win[j->hwin].t = now;
        j->win[j->hwin].b = j->done;
        j->hwin = (j->hwin + 1) % XFER_RATE_WIN;
    }
}

/* The window ends now, not at the last sample: bytes that stop coming (no progress, so no
 * sample) bring the rate down as the window slides past them, instead of the last speed
 * standing on screen; under XFER_RATE_MIN_MS of data it is unknown (start-up jitter). */
double xfer_rate(const struct xfer_job *j, int64_t now)
{
    if (j->nwin < 1) return 0;
    int64_t from = now - (int64_t)XFER_RATE_WIN * XFER_SAMPLE_MS;
    int k = (j->hwin + j->nwin - 1) % XFER_RATE_WIN; /* the newest, when all are older */
    for (int i = 0; i < j->nwin; i++) {
        int at = (j->hwin + i) % XFER_RATE_WIN;
        if (j->win[at].t >= from) {
            k = at;
            break;
        }
    }
    int64_t dt = now - j->win[k].t;
    if (dt <= 0 || now - j->win[j->hwin].t < XFER_RATE_MIN_MS) return 0;
    if (j->done < j->win[k].b) return 0; /* never negative */
    return (double)(j->done - j->win[k].b) * 1000.0 / (double)dt;
}

int xfer_rate_known(const struct xfer_job *j, int64_t now)
{
    return j->nwin >= 1 && now - j->win[j->hwin].t >= XFER_RATE_MIN_MS;
}

int64_t xfer_eta_ms(const struct xfer_job *j, int64_t now)
{
    double r = xfer_rate(j, now);
    if (r <= 0 || j->done > j->total) return -1;
    return (int64_t)((double)(j->total - j->done) * 1000.0 / r);
}

double xfer_avg_rate(const struct xfer_job *j)
{
    int64_t dt = j->ended_ms - j->started_ms;
    if (!j->ended_ms || !j->started_ms || dt <= 0) return -1;
    return (double)j->done * 1000.0 / (double)dt;
}

/* ---- plan ---- */

static int item_add(struct xfer_job *j, const char *src, const char *dst, int is_dir, uint32_t mode,
                    int64_t size)
{
    if (GROW(j->items, j->cap, j->nitems + 1) < 0) return -1;
    struct xitem *it = &j->items[j->nitems];
    it->src = strdup(src);
    it->dst = strdup(dst);
    if (!it->src || !it->dst) {
        free(it->src);
        free(it->dst);
        return -1;
    }
    it->is_dir = is_dir;
    it->mode = mode;
    it->size = size;
    j->nitems++;
    if (!is_dir) {
        j->files_total++;
        if (size > 0) j->total += (uint64_t)size;
    }
    return 0;
}

static void job_fail(struct xfer_job *j, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void item_fail(struct xfer_job *j, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void item_fail_local(struct xfer_job *j, enum local_op op, const char *call,
                            const char *path, int errnum);

/* An entry left out on purpose: counted, said (XEV_WARN), the copy goes on. */
static void item_skip(struct xfer_job *j, const char *path, const char *why)
{
    j->skipped++;
    snprintf(j->warn, sizeof j->warn, "%s: %s", path, why);
    notify(j->x, XEV_WARN, j);
}

/* Local tree, pre-order: each directory before what it holds. Files go to a second list so
 * that every directory exists before the first file starts. Links to files are followed (their
 * content is copied); other links and special files are skipped. */
static int walk_local(struct xfer_job *j, struct xfer_job *files, const char *src, const char *dst)
{
    DIR *d = opendir(src);
    if (!d) {
        item_fail_local(j, LOCAL_LIST, "opendir", src, errno); /* the rest of the tree goes */
        return 0;
    }
    struct dirent *de;
    int rc = 0;
    while (rc == 0 && (de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        char *s = fpath_join(src, de->d_name), *t = fpath_join(dst, de->d_name);
        struct stat st;
        if (!s || !t) {
            rc = -1;
        } else if (stat(s, &st) == 0 && S_ISDIR(st.st_mode)) {
            struct stat ls;
            if (lstat(s, &ls) == 0 && S_ISLNK(ls.st_mode)) {
                /* not followed: loops */
                item_skip(j, s, _("symbolic link to a directory, skipped"));
            } else if (item_add(j, s, t, 1, st.st_mode & 07777, 0) < 0) {
                rc = -1;
            } else {
                rc = walk_local(j, files, s, t);
            }
        } else if (stat(s, &st) == 0 && S_ISREG(st.st_mode)) {
            if (item_add(files, s, t, 0, st.st_mode & 07777, (int64_t)st.st_size) < 0) rc = -1;
        } else {
            item_skip(j, s, _("not a regular file or directory, skipped"));
        }
        free(s);
        free(t);
    }
    closedir(d);
    if (rc < 0 && j->state != XS_FAILED) job_fail(j, "%s", _("out of memory"));
    return rc;
}

static void items_append(struct xfer_job *j, struct xfer_job *files)
{
    for (size_t i = 0; i < files->nitems; i++) {
        if (GROW(j->items, j->cap, j->nitems + 1) < 0) {
            free(files->items[i].src);
            free(files->items[i].dst);
            continue;
        }
        j->items[j->nitems++] = files->items[i];
    }
    j->files_total += files->files_total;
    j->total += files->total;
    free(files->items);
}

static void plan_upload(struct xfer_job *j, int is_dir)
{
    struct stat st;
    if (stat(j->src, &st) < 0) {
        struct error e;
        local_error(&e, LOCAL_READ, "stat", j->src, errno);
        job_fail(j, "%s", e.msg);
        snprintf(j->msg_detail, sizeof j->msg_detail, "%s", e.detail);
        return;
    }
    if (!is_dir) {
        if (item_add(j, j->src, j->dst, 0, st.st_mode & 07777, (int64_t)st.st_size) < 0)
            job_fail(j, "%s", _("out of memory"));
        return;
    }
    struct xfer_job files = {0};
    if (item_add(j, j->src, j->dst, 1, st.st_mode & 07777, 0) < 0) {
        job_fail(j, "%s", _("out of memory"));
        return;
    }
    walk_local(j, &files, j->src, j->dst);
    items_append(j, &files);
}

int xfer_relpath_safe(const char *rel)
{
    if (!rel || !rel[0] || rel[0] == '/') return 0;
    const char *p = rel;
    while (*p) {
        size_t n = strcspn(p, "/");
        if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.')) return 0;
        p += n;
        if (*p == '/' && !*++p) return 0; /* a trailing slash: an empty last part */
    }
    return 1;
}

static void on_list(const cJSON *resp, const struct error *err, void *ud)
{
    struct xfer_job *j = ud;
    j->prep = NULL;
    struct envd_entries es = {0};
    struct error e2 = {0};
    if (err) {
        job_fail(j, "%s: %s", j->src, err->msg);
    } else if (envd_entries_parse(resp, &es, &e2) < 0) {
        job_fail(j, "%s: %s", j->src, e2.msg);
    } else {
        struct xfer_job files = {0};
        size_t sl = strlen(j->src);
        int bad = 0;
        for (size_t i = 0; !bad && i < es.n; i++) {
            const struct envd_entry *e = &es.v[i];
            if (!e->path || strncmp(e->path, j->src, sl) || e->path[sl] != '/' ||
                !xfer_relpath_safe(e->path + sl + 1)) {
                /* outside the source: never a local path */
                item_skip(j, e->path ? e->path : "?",
                          _("unexpected path from the sandbox, skipped"));
                continue;
            }
            char *t = fpath_join(j->dst, e->path + sl + 1);
            if (!t) {
                bad = 1;
            } else if (e->type == ENVD_FILE_DIRECTORY && e->symlink_target) {
                item_skip(j, e->path, _("symbolic link to a directory, skipped"));
            } else if (e->type == ENVD_FILE_DIRECTORY) {
                bad = item_add(j, e->path, t, 1, e->mode ? e->mode & 07777 : 0755, 0) < 0;
            } else if (e->type == ENVD_FILE_FILE) {
                bad = item_add(&files, e->path, t, 0, e->mode & 07777, e->size) < 0;
            } else {
                item_skip(j, e->path, _("not a regular file or directory, skipped"));
            }
            free(t);
        }
        items_append(j, &files);
        if (bad) job_fail(j, "%s", _("out of memory"));
    }
    envd_entries_free(&es);
    if (j->state == XS_PREPARING) j->state = XS_RUNNING;
    notify(j->x, XEV_STATE, j);
    pump(j->x);
}

/* A directory: the whole tree in one ListDir (its root's mode came with the Stat). */
static int list_start(struct xfer_job *j, struct error *err)
{
    j->prep = xfer_call_begin(j->x, on_list, j);
    if (!j->prep) return error_set(err, ERROR_GENERIC, "%s", _("out of memory"));
    if (!xfer_call_started(j->prep, envd_fs_list_dir(j->x->envd, j->src, XFER_LIST_DEPTH,
                                                     xfer_call_cb, j->prep, err))) {
        j->prep = NULL;
        return -1;
    }
    return 0;
}

static void on_stat(const cJSON *resp, const struct error *err, void *ud)
{
    struct xfer_job *j = ud;
    j->prep = NULL;
    struct envd_entry e = {0};
    struct error e2 = {0};
    if (err) {
        job_fail(j, "%s: %s", j->src, err->msg);
    } else if (envd_entry_response_parse(resp, &e, &e2) < 0) {
        job_fail(j, "%s: %s", j->src, e2.msg);
    } else if (e.type == ENVD_FILE_DIRECTORY) {
        if (item_add(j, j->src, j->dst, 1, e.mode ? e.mode & 07777 : 0755, 0) < 0)
            job_fail(j, "%s", _("out of memory"));
        else if (list_start(j, &e2) < 0)
            job_fail(j, "%s: %s", j->src, e2.msg);
        envd_entry_free(&e);
        if (j->prep) return; /* on_list goes on */
        notify(j->x, XEV_STATE, j);
        return;
    } else if (e.type != ENVD_FILE_FILE) {
        job_fail(j, "%s: %s", j->src, _("not a regular file or directory"));
    } else {
        if (item_add(j, j->src, j->dst, 0, e.mode & 07777, e.size) < 0)
            job_fail(j, "%s", _("out of memory"));
        else
            j->state = XS_RUNNING;
    }
    envd_entry_free(&e);
    notify(j->x, XEV_STATE, j);
    pump(j->x);
}

static void plan_start(struct xfer_job *j, int is_dir)
{
    struct error err = {0};
    j->state = XS_PREPARING;
    j->started_ms = loop_now_ms();
    if (j->dir == XFER_UP) {
        plan_upload(j, is_dir);
        if (j->state == XS_PREPARING) j->state = XS_RUNNING;
        return;
    }
    /* what the sandbox path is (and a directory's own mode) comes from Stat */
    j->prep = xfer_call_begin(j->x, on_stat, j);
    if (!j->prep) {
        job_fail(j, "%s", _("out of memory"));
        return;
    }
    if (!xfer_call_started(j->prep,
                           envd_fs_stat(j->x->envd, j->src, xfer_call_cb, j->prep, &err))) {
        j->prep = NULL;
        job_fail(j, "%s", err.msg);
    }
}

/* ---- runs ---- */

static void run_unlink(struct xfer *x, struct xrun *r)
{
    struct xrun **pp = &x->runs;
    while (*pp && *pp != r)
        pp = &(*pp)->next;
    if (*pp) *pp = r->next;
    x->active--;
    r->j->active--;
}

static void run_free(struct xrun *r)
{
    if (r->fd >= 0) close(r->fd);
    free(r->tmp);
    free(r);
}

static void gc_maybe_free(struct xfer_gc *gc)
{
    if (gc->pending || !gc->orphan) return;
    envd_client_free(gc->orphan);
    free(gc->orphan);
    free(gc);
}

static struct xfer_call *gc_call_begin(struct xfer_gc *gc, envd_unary_cb cb, void *ud)
{
    struct xfer_call *t = gc ? calloc(1, sizeof *t) : NULL;
    if (!t) return NULL;
    t->gc = gc;
    t->cb = cb;
    t->ud = ud;
    t->next = gc->calls;
    if (t->next) t->next->pprev = &t->next;
    t->pprev = &gc->calls;
    gc->calls = t;
    gc->pending++;
    return t;
}

struct xfer_call *xfer_call_begin(struct xfer *x, envd_unary_cb cb, void *ud)
{
    return gc_call_begin(x->gc, cb, ud);
}

static void call_unlink(struct xfer_call *t)
{
    *t->pprev = t->next;
    if (t->next) t->next->pprev = t->pprev;
}

int xfer_call_started(struct xfer_call *t, const void *req)
{
    if (req) return 1;
    call_unlink(t);
    t->gc->pending--;
    free(t);
    return 0;
}

void xfer_call_abandon(struct xfer_call *t)
{
    if (t) t->abandoned = 1;
}

void xfer_call_cb(const cJSON *resp, const struct error *err, void *ud)
{
    struct xfer_call *t = ud;
    struct xfer_gc *gc = t->gc;
    call_unlink(t);
    /* still counted while cb runs: a cb that releases the client cannot free gc under us */
    if (!t->abandoned && t->cb) t->cb(resp, err, t->ud);
    free(t);
    gc->pending--;
    gc_maybe_free(gc);
}

void xfer_release_client(struct xfer *x, struct envd_client *envd)
{
    struct xfer_gc *gc = x->gc;
    x->gc = NULL;
    if (!envd) { /* never connected: no removal can be pending */
        free(gc);
        return;
    }
    if (!gc) {
        envd_client_free(envd);
        free(envd);
        return;
    }
    gc->orphan = envd;
    gc_maybe_free(gc);
}

/* Remove path in the sandbox, fire-and-forget (the client lives until it has answered). */
static void gc_remove(struct xfer_gc *gc, struct envd_client *envd, const char *path)
{
    struct error err = {0};
    struct xfer_call *t = gc_call_begin(gc, NULL, NULL);
    if (t) xfer_call_started(t, envd_fs_remove(envd, path, xfer_call_cb, t, &err));
}

static void run_drop_ralias(struct xfer *x, struct xrun *r)
{
    if (!r->ralias) return;
    gc_remove(x->gc, x->envd, r->ralias);
    free(r->ralias);
    r->ralias = NULL;
}

static void alias_detach(struct xrun *r);

/* Remove the run's temporary file (best effort; remote removal is fire-and-forget), and the
 * sandbox's second name of a download. */
static void run_drop_tmp(struct xfer *x, struct xrun *r)
{
    alias_detach(r);
    run_drop_ralias(x, r);
    if (!r->tmp) return;
    if (r->j->dir == XFER_DOWN)
        unlink(r->tmp);
    else
        gc_remove(x->gc, x->envd, r->tmp);
}

/* Stop every run of j (temporaries removed), no callbacks. */
static void job_stop_runs(struct xfer *x, struct xfer_job *j)
{
    struct xrun **pp = &x->runs;
    while (*pp) {
        struct xrun *r = *pp;
        if (r->j != j) {
            pp = &r->next;
            continue;
        }
        *pp = r->next;
        if (r->ft) files_cancel(r->ft);
        xfer_call_abandon(r->req);
        run_drop_tmp(x, r);
        x->active--;
        j->active--;
        run_free(r);
    }
    xfer_call_abandon(j->prep);
    j->prep = NULL;
    if (j->chmod_proc) {
        envd_stream_cancel(j->chmod_proc);
        j->chmod_proc = NULL;
    }
    j->dir_busy = 0;
}

/* A download that failed or was cancelled leaves no empty directories it made (issue 25);
 * rmdir keeps those that hold what was copied. Deepest first: items come parent first. */
static void drop_made_dirs(struct xfer_job *j)
{
    if (j->dir != XFER_DOWN) return;
    for (size_t i = j->nitems; i-- > 0;)
        if (j->items[i].is_dir && j->items[i].made && rmdir(j->items[i].dst) == 0)
            j->items[i].made = 0;
}

static void job_fail(struct xfer_job *j, const char *fmt, ...)
{
    if (finished(j)) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(j->msg, sizeof j->msg, fmt, ap);
    va_end(ap);
    j->state = XS_FAILED;
    j->ended_ms = loop_now_ms();
    job_stop_runs(j->x, j);
    drop_made_dirs(j);
}

/* One file or directory failed: count it, keep the first message, and go on with the rest
 * (job_end reports them). */
static void item_fail(struct xfer_job *j, const char *fmt, ...)
{
    if (finished(j)) return;
    if (j->errors++ == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(j->first_err, sizeof j->first_err, fmt, ap);
        va_end(ap);
    }
}

/* item_fail with err's words, and its detail when it is the first. */
static void item_fail_err(struct xfer_job *j, const struct error *err)
{
    unsigned before = j->errors;
    item_fail(j, "%s", err->msg);
    if (before == 0 && j->errors == 1)
        snprintf(j->first_detail, sizeof j->first_detail, "%s", err->detail);
}

/* "PATH: message" of err (the sandbox's side failed), with its detail. */
static void item_fail_at(struct xfer_job *j, const char *path, const struct error *err)
{
    struct error e = *err;
    snprintf(e.msg, sizeof e.msg, "%.200s: %.300s", path, err->msg);
    item_fail_err(j, &e);
}

/* A local call on path failed with errnum: said in words (local_error.h). */
static void item_fail_local(struct xfer_job *j, enum local_op op, const char *call,
                            const char *path, int errnum)
{
    struct error e;
    local_error(&e, op, call, path, errnum);
    item_fail_err(j, &e);
}

/* Everything was tried: done, or failed with how many errors and the first one. */
static void job_end(struct xfer *x, struct xfer_job *j)
{
    j->ended_ms = loop_now_ms();
    if (!j->errors) {
        j->state = XS_DONE;
        if (j->skipped && !j->msg[0])
            snprintf(j->msg, sizeof j->msg, _("%u entries skipped, the latest: %s"), j->skipped,
                     j->warn);
    } else {
        j->state = XS_FAILED;
        drop_made_dirs(j);
        snprintf(j->msg_detail, sizeof j->msg_detail, "%s", j->first_detail);
        if (j->nitems <= 1 && j->errors == 1)
            snprintf(j->msg, sizeof j->msg, "%s", j->first_err);
        else
            snprintf(j->msg, sizeof j->msg, _("%u of %u files copied, errors: %u, the first: %s"),
                     j->files_done, j->files_total, j->errors, j->first_err);
    }
    notify(x, XEV_STATE, j);
}

static void progress_cb(uint64_t done, void *ud)
{
    struct xrun *r = ud;
    if (done > r->last) {
        r->j->done += done - r->last;
        r->last = done;
    }
    xfer_sample(r->j, loop_now_ms());
    notify(r->j->x, XEV_PROGRESS, r->j);
}

static void file_done(struct xfer *x, struct xrun *r)
{
    struct xfer_job *j = r->j;
    /* count what the progress callback may not have seen */
    if (r->it->size > 0 && (uint64_t)r->it->size > r->last)
        j->done += (uint64_t)r->it->size - r->last;
    j->files_done++;
    run_unlink(x, r);
    run_free(r);
    notify(x, XEV_PROGRESS, j);
    pump(x);
}

/* The run's file failed: clean up, count it, go on with the job's other files. what NULL:
 * why names the file already (a local error in words). A local file's errno (files.c's
 * negative code) is said in words: the download's target, the upload's source. */
static void run_failed(struct xfer *x, struct xrun *r, const char *what, const struct error *why)
{
    struct xfer_job *j = r->j;
    struct error e;
    int down = j->dir == XFER_DOWN;
    if (why->code < 0)
        local_error(&e, down ? LOCAL_WRITE : LOCAL_READ, down ? "write" : "read",
                    down ? r->it->dst : r->it->src, -why->code);
    else if (what)
        error_set(&e, why->kind, "%s %s: %s", what, r->it->dst, why->msg);
    else
        e = *why;
    if (why->code >= 0 && e.detail != why->detail) memcpy(e.detail, why->detail, sizeof e.detail);
    run_drop_tmp(x, r);
    run_unlink(x, r);
    r->it->mode = 0; /* no chmod for what is not there */
    item_fail_err(j, &e);
    run_free(r);
    notify(x, XEV_PROGRESS, j);
    pump(x);
}

static void on_moved(const cJSON *resp, const struct error *err, void *ud)
{
    (void)resp;
    struct xrun *r = ud;
    r->req = NULL;
    if (err) {
        run_failed(r->j->x, r, _("rename to"), err);
        return;
    }
    free(r->tmp);
    r->tmp = NULL;
    file_done(r->j->x, r);
}

static void on_uploaded(const struct error *err, void *ud)
{
    struct xrun *r = ud;
    struct xfer *x = r->j->x;
    r->ft = NULL;
    close(r->fd);
    r->fd = -1;
    if (err) {
        run_failed(x, r, _("upload"), err);
        return;
    }
    struct error e2 = {0};
    r->req = xfer_call_begin(x, on_moved, r);
    if (!r->req) {
        error_set(&e2, ERROR_GENERIC, "%s", _("out of memory"));
        run_failed(x, r, _("rename to"), &e2);
    } else if (!xfer_call_started(
                   r->req, envd_fs_move(x->envd, r->tmp, r->it->dst, xfer_call_cb, r->req, &e2))) {
        r->req = NULL;
        run_failed(x, r, _("rename to"), &e2);
    }
}

static void on_downloaded(const struct error *err, void *ud)
{
    struct xrun *r = ud;
    struct xfer *x = r->j->x;
    r->ft = NULL;
    run_drop_ralias(x, r);
    if (err) {
        run_failed(x, r, _("download"), err);
        return;
    }
    uint32_t mode = r->it->mode & 07777;
    if (fchmod(r->fd, (mode_t)(mode ? mode : 0644)) < 0 || close(r->fd) < 0) {
        r->fd = -1;
        struct error e;
        local_error(&e, LOCAL_WRITE, "close", r->it->dst, errno);
        run_failed(x, r, NULL, &e);
        return;
    }
    r->fd = -1;
    if (rename(r->tmp, r->it->dst) < 0) {
        struct error e;
        local_error(&e, LOCAL_WRITE, "rename", r->it->dst, errno);
        run_failed(x, r, NULL, &e);
        return;
    }
    free(r->tmp);
    r->tmp = NULL;
    file_done(x, r);
}

static int has_crlf(const char *path)
{
    return strpbrk(path, "\r\n") != NULL;
}

/* The temporary name next to dst. In the sandbox (upload) it is POSTed to /files, so its path
 * must hold no CR/LF (see below): under a directory with one, it goes into the nearest parent
 * without, which filesystem Move then renames it from. */
static char *tmp_name(struct xfer *x, const struct xfer_job *j, const char *dst)
{
    char *dir = fpath_parent(dst), name[64];
    while (dir && j->dir == XFER_UP && has_crlf(dir)) {
        char *up = fpath_parent(dir);
        free(dir);
        dir = up;
    }
    if (!dir) return NULL;
    snprintf(name, sizeof name, ".boxtop-%ld-%u.part", (long)getpid(), ++x->seq);
    char *p = fpath_join(dir, name);
    free(dir);
    return p;
}

/* ---- downloads of sandbox paths with CR or LF ----
 *
 * lws 4.1, boxtopd's HTTP server, percent-decodes the request URI while it parses the request
 * line and ends the line at a decoded CR or LF, so GET /files?path=<...%0A...> never reaches
 * boxtopd whole (it answers 400; E2B's envd in Go would serve it). Such a file is fetched
 * through a second name without CR/LF: the sandbox user makes a hard link to it (`ln -L`; `cp`
 * where a link is refused: another filesystem, fs.protected_hardlinks), next to the file or in
 * /tmp when the directory's path has CR/LF too. The name is removed (filesystem Remove) after
 * the download, whether it worked or not. If the run goes away while the process still runs,
 * the process is left to finish and its end removes the name, so nothing stays behind. When no
 * second name can be made (a read-only directory), the plain GET is tried: envd in Go takes it.
 * Uploads need no second name: they go to a temporary name without CR/LF (tmp_name), and
 * filesystem Move, whose paths travel in JSON, gives them their final name. */
struct xalias {
    struct xrun *r;     /* NULL once the run is gone: the end only cleans up */
    struct xfer_gc *gc; /* counts us in pending, so the client outlives the view */
    struct envd_client *envd;
    struct envd_stream *s;
    char *path;
    int status; /* exit status; -1 before the end event */
};

static char *alias_name(struct xfer *x, const char *src)
{
    char *dir = fpath_parent(src), name[96];
    if (!dir) return NULL;
    snprintf(name, sizeof name, ".boxtop-%ld-%u-%llx.dl", (long)getpid(), ++x->seq,
             (unsigned long long)loop_now_ms());
    char *p = fpath_join(has_crlf(dir) ? "/tmp" : dir, name);
    free(dir);
    return p;
}

static int alias_event(const struct envd_proc_event *ev, void *ud, struct error *err)
{
    struct xalias *al = ud;
    (void)err;
    if (ev->kind == ENVD_PROC_END) al->status = envd_proc_exit_status(ev);
    return 0;
}

static void run_download(struct xfer *x, struct xrun *r);

static void alias_end(const struct error *err, void *ud)
{
    struct xalias *al = ud;
    struct xfer_gc *gc = al->gc;
    struct xrun *r = al->r;
    al->s = NULL;
    if (r && !err && al->status == 0) {
        r->al = NULL;
        r->ralias = al->path;
        al->path = NULL;
        run_download(r->j->x, r);
    } else {
        /* a cp that failed half-way leaves a part: always remove */
        gc_remove(gc, al->envd, al->path);
        if (r) {
            r->al = NULL;
            run_download(r->j->x, r); /* no second name: the plain GET */
        }
    }
    free(al->path);
    free(al);
    gc->pending--;
    gc_maybe_free(gc);
}

/* The run goes away: an alias still being made is removed when its process ends. */
static void alias_detach(struct xrun *r)
{
    if (!r->al) return;
    r->al->r = NULL;
    r->al = NULL;
}

static int alias_start(struct xfer *x, struct xrun *r, struct error *err)
{
    struct xalias *al = x->gc ? calloc(1, sizeof *al) : NULL;
    if (!al || !(al->path = alias_name(x, r->it->src))) {
        free(al);
        error_set(err, ERROR_GENERIC, "%s", _("out of memory"));
        return -1;
    }
    al->r = r;
    al->gc = x->gc;
    al->envd = x->envd;
    al->status = -1;
    /* the paths are arguments, never part of the script */
    const char *args[] = {"-c",
                          "ln -L -- \"$1\" \"$2\" 2>/dev/null || exec cp -- \"$1\" \"$2\"",
                          CMD_INTERNAL_TAG,
                          r->it->src,
                          al->path,
                          NULL};
    /* boxtop's own process: the tag (and $0) let the commands view hide it */
    struct envd_start_opts o = {
        .cmd = "/bin/sh", .args = args, .stdin_mode = -1, .tag = CMD_INTERNAL_TAG};
    al->s = envd_process_start(x->envd, &o, alias_event, alias_end, al, err);
    if (!al->s) {
        free(al->path);
        free(al);
        return -1;
    }
    x->gc->pending++;
    r->al = al;
    return 0;
}

static void run_download(struct xfer *x, struct xrun *r)
{
    struct error err = {0};
    r->ft = files_download(x->envd, r->ralias ? r->ralias : r->it->src, r->fd, progress_cb,
                           on_downloaded, r, &err);
    if (!r->ft) run_failed(x, r, _("download"), &err);
}

/* Start one file. A file that cannot start counts as an error and the job goes on (returns
 * -1: the caller notifies); only running out of memory fails the whole job. */
static int run_start(struct xfer *x, struct xfer_job *j, struct xitem *it)
{
    struct xrun *r = calloc(1, sizeof *r);
    struct error err = {0};
    if (!r || !(r->tmp = tmp_name(x, j, it->dst))) {
        free(r);
        job_fail(j, "%s", _("out of memory"));
        return -1;
    }
    r->j = j;
    r->it = it;
    r->fd = -1;
    if (j->dir == XFER_UP) {
        r->fd = open(it->src, O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (r->fd < 0 || fstat(r->fd, &st) < 0) {
            it->mode = 0;
            item_fail_local(j, LOCAL_READ, r->fd < 0 ? "open" : "fstat", it->src, errno);
            run_free(r);
            return -1;
        }
        /* the size may have changed since the plan */
        if (S_ISREG(st.st_mode) && st.st_size != it->size) {
            j->total += (uint64_t)st.st_size;
            j->total -= (uint64_t)(it->size > 0 ? it->size : 0);
            it->size = (int64_t)st.st_size;
        }
        r->ft = files_upload(x->envd, r->tmp, r->fd, S_ISREG(st.st_mode) ? st.st_size : -1,
                             progress_cb, on_uploaded, r, &err);
    } else {
        r->fd = open(r->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (r->fd < 0) {
            item_fail_local(j, LOCAL_WRITE, "open", it->dst, errno); /* its temporary beside it */
            run_free(r);
            return -1;
        }
        if (has_crlf(it->src)) {
            if (alias_start(x, r, &err) == 0) goto started;
        } else {
            r->ft = files_download(x->envd, it->src, r->fd, progress_cb, on_downloaded, r, &err);
        }
    }
    if (!r->ft) {
        if (j->dir == XFER_DOWN) unlink(r->tmp);
        item_fail_at(j, it->dst, &err);
        run_free(r);
        return -1;
    }
started:
    r->next = x->runs;
    x->runs = r;
    x->active++;
    j->active++;
    return 0;
}

static void on_made_dir(const cJSON *resp, const struct error *err, void *ud)
{
    (void)resp;
    struct xrun *r = ud;
    struct xfer *x = r->j->x;
    struct xfer_job *j = r->j;
    r->req = NULL;
    j->dir_busy = 0;
    /* an existing directory is fine: copying into it merges */
    if (err && err->kind != ERROR_CONFLICT) {
        run_failed(x, r, _("make directory"), err);
        return;
    }
    run_unlink(x, r);
    run_free(r);
    pump(x);
}

static int dir_start(struct xfer *x, struct xfer_job *j, struct xitem *it)
{
    if (j->dir == XFER_DOWN) {
        /* owner rwx while filling; the directory's own mode comes at the end */
        if (mkdir(it->dst, 0700) == 0)
            it->made = 1;
        else if (errno != EEXIST) {
            it->mode = 0;
            item_fail_local(j, LOCAL_MKDIR, "mkdir", it->dst, errno);
            return -1;
        }
        struct stat st;
        if (stat(it->dst, &st) < 0 || !S_ISDIR(st.st_mode)) {
            it->mode = 0;
            item_fail(j, "%s: %s", it->dst, _("exists and is not a directory"));
            return -1;
        }
        return 0;
    }
    struct xrun *r = calloc(1, sizeof *r);
    struct error err = {0};
    if (!r) {
        job_fail(j, "%s", _("out of memory"));
        return -1;
    }
    r->j = j;
    r->it = it;
    r->fd = -1;
    r->req = xfer_call_begin(x, on_made_dir, r);
    if (!r->req || !xfer_call_started(
                       r->req, envd_fs_make_dir(x->envd, it->dst, xfer_call_cb, r->req, &err))) {
        if (!r->req) error_set(&err, ERROR_GENERIC, "%s", _("out of memory"));
        free(r);
        it->mode = 0;
        item_fail_at(j, it->dst, &err);
        return -1;
    }
    r->next = x->runs;
    x->runs = r;
    x->active++;
    j->active++;
    j->dir_busy = 1;
    return 0;
}

/* ---- upload modes: chmod in the sandbox, one process per mode ---- */

static void chmod_next(struct xfer_job *j);

static int chmod_event(const struct envd_proc_event *ev, void *ud, struct error *err)
{
    (void)ev;
    (void)ud;
    (void)err;
    return 0;
}

static void chmod_end(const struct error *err, void *ud)
{
    struct xfer_job *j = ud;
    j->chmod_proc = NULL;
    if (err && !j->msg[0]) snprintf(j->msg, sizeof j->msg, _("modes not kept: %s"), err->msg);
    chmod_next(j);
}

/* envd creates files 0644 and directories 0755 (with the usual umask): only others need a
 * chmod. Items are grouped by mode, CHMOD_BATCH paths per process. */
static int needs_chmod(const struct xitem *it)
{
    return it->mode && (it->mode & 07777) != (it->is_dir ? 0755u : 0644u);
}

static void chmod_next(struct xfer_job *j)
{
    struct xfer *x = j->x;
    while (j->mode_next < j->nitems && !needs_chmod(&j->items[j->mode_next]))
        j->mode_next++;
    if (j->mode_next >= j->nitems) {
        job_end(x, j);
        pump(x);
        return;
    }
    uint32_t mode = j->items[j->mode_next].mode & 07777;
    const char *args[CHMOD_BATCH + 7];
    char m[16];
    snprintf(m, sizeof m, "%o", mode);
    int n = 0;
    /* as boxtop's own process (commands.h): sh with the tag as $0 runs chmod */
    args[n++] = "-c";
    args[n++] = "exec /bin/chmod \"$@\"";
    args[n++] = CMD_INTERNAL_TAG;
    args[n++] = m;
    args[n++] = "--";
    /* this mode's paths from here on; others are picked up by later rounds */
    for (size_t i = j->mode_next; i < j->nitems && n < CHMOD_BATCH + 5; i++) {
        if (needs_chmod(&j->items[i]) && (j->items[i].mode & 07777) == mode) {
            args[n++] = j->items[i].dst;
            j->items[i].mode = j->items[i].is_dir ? 0755 : 0644; /* done */
        }
    }
    args[n] = NULL;
    struct envd_start_opts o = {
        .cmd = "/bin/sh", .args = args, .stdin_mode = -1, .tag = CMD_INTERNAL_TAG};
    struct error err = {0};
    j->chmod_proc = envd_process_start(x->envd, &o, chmod_event, chmod_end, j, &err);
    if (!j->chmod_proc) {
        snprintf(j->msg, sizeof j->msg, _("modes not kept: %s"), err.msg);
        j->mode_next = j->nitems;
        chmod_next(j);
    }
}

/* ---- scheduling ---- */

static void job_step(struct xfer *x, struct xfer_job *j)
{
    while (j->state == XS_RUNNING && j->next < j->nitems && x->active < XFER_MAX_ACTIVE &&
           !j->dir_busy) {
        struct xitem *it = &j->items[j->next];
        /* files wait until every directory exists */
        j->next++;
        if (it->is_dir ? dir_start(x, j, it) : run_start(x, j, it)) {
            /* that item failed (counted): go on, unless the whole job did */
            if (j->state != XS_RUNNING) {
                notify(x, XEV_STATE, j);
                return;
            }
            notify(x, XEV_PROGRESS, j);
        }
    }
    if (j->state == XS_RUNNING && j->next >= j->nitems && !j->active && !j->dir_busy) {
        if (j->dir == XFER_DOWN) {
            /* directory modes last, deepest first, so read-only ones could be filled */
            for (size_t i = j->nitems; i-- > 0;)
                if (j->items[i].is_dir)
                    chmod(j->items[i].dst, (mode_t)(j->items[i].mode ? j->items[i].mode : 0755));
            job_end(x, j);
        } else {
            j->state = XS_MODES;
            chmod_next(j);
        }
    }
}

static void pump(struct xfer *x)
{
    for (size_t i = 0; i < x->njobs; i++) {
        struct xfer_job *j = x->jobs[i];
        if (j->state == XS_RUNNING) job_step(x, j);
        if (x->active >= XFER_MAX_ACTIVE) break;
    }
}

struct xfer_job *xfer_add(struct xfer *x, enum xfer_dir dir, const char *src, const char *dst,
                          int is_dir)
{
    struct xfer_job *j = calloc(1, sizeof *j);
    if (!j || GROW(x->jobs, x->cap_jobs, x->njobs + 1) < 0 || !(j->src = strdup(src)) ||
        !(j->dst = strdup(dst))) {
        if (j) free(j->src);
        free(j);
        return NULL;
    }
    j->id = x->next_id++;
    j->dir = dir;
    j->x = x;
    x->jobs[x->njobs++] = j;
    /* planning is cheap and needs no slot: start it now, files wait for slots in pump */
    plan_start(j, is_dir);
    notify(x, XEV_STATE, j);
    pump(x);
    return j;
}

void xfer_cancel(struct xfer *x, struct xfer_job *j)
{
    if (finished(j)) return;
    job_stop_runs(x, j);
    j->state = XS_CANCELLED;
    j->ended_ms = loop_now_ms();
    drop_made_dirs(j);
    notify(x, XEV_STATE, j);
    pump(x);
}

static void job_free(struct xfer_job *j)
{
    for (size_t i = 0; i < j->nitems; i++) {
        free(j->items[i].src);
        free(j->items[i].dst);
    }
    free(j->items);
    free(j->src);
    free(j->dst);
    free(j);
}

void xfer_clear_finished(struct xfer *x)
{
    size_t k = 0;
    for (size_t i = 0; i < x->njobs; i++) {
        if (finished(x->jobs[i]))
            job_free(x->jobs[i]);
        else
            x->jobs[k++] = x->jobs[i];
    }
    x->njobs = k;
}

void xfer_free(struct xfer *x)
{
    x->notify = NULL;
    /* answers still to come go nowhere (removals of temporaries still run) */
    for (struct xfer_call *t = x->gc ? x->gc->calls : NULL; t; t = t->next)
        xfer_call_abandon(t);
    for (size_t i = 0; i < x->njobs; i++) {
        job_stop_runs(x, x->jobs[i]);
        job_free(x->jobs[i]);
    }
    free(x->jobs);
    x->jobs = NULL;
    x->njobs = x->cap_jobs = 0;
}
