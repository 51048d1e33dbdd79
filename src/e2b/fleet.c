/* fleet.c - one action over many sandboxes, `parallel` at a time (see fleet.h).
 *
 * Each item has a run: the platform lookup, then its own envd client and either a process
 * stream or a transfer engine with one job. An item that ends only marks itself; a 0 ms
 * timer (the reaper) frees what it used and starts the next queued ones, so nothing is
 * freed from inside the callback of the thing being freed (xfer notifies from its own
 * loop turns). */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "boxtop/api.h"
#include "boxtop/envd.h"
#include "boxtop/fleet.h"
#include "boxtop/http.h"
#include "boxtop/loop.h"
#include "boxtop/xfer.h"

struct frun {
    struct fleet *f;
    int i;
    struct api_call *lookup;
    struct envd_client *envd;
    struct envd_stream *stream;
    struct xfer *x;
    struct xfer_job *job;
    uint32_t pid;
    int have_end, end_status, ended;
    int kill_pending; /* cancelled before its process said its pid: kill it once it does */
};

struct fleet {
    struct http *http;
    struct api *api;
    struct loop *loop;
    struct fleet_opts o;
    char *cmd, *local, *remote, *sandbox_url, *domain;
    struct fleet_item *items;
    struct frun *runs;
    int n, next, running, parallel;
    int64_t reaper;
    int over; /* the end was announced */
    fleet_cb cb;
    void *ud;
};

static void reap(struct loop *l, void *ud);
static void signal_sent(const cJSON *resp, const struct error *err, void *ud);

static void arm_reaper(struct fleet *f)
{
    if (!f->reaper) f->reaper = loop_timer_add(f->loop, 0, reap, f);
}

static void end_item(struct frun *r, enum fleet_state st, const char *why)
{
    struct fleet_item *it = &r->f->items[r->i];
    if (r->ended) return;
    r->ended = 1;
    it->state = st;
    it->ended_ms = loop_now_ms();
    if (why) snprintf(it->err, sizeof it->err, "%s", why);
    arm_reaper(r->f);
    if (r->f->cb) r->f->cb(r->f, r->i, r->f->ud);
}

/* ---- exec -------------------------------------------------------------------------------- */

static int on_proc(const struct envd_proc_event *ev, void *ud, struct error *err)
{
    (void)err;
    struct frun *r = ud;
    struct fleet_item *it = &r->f->items[r->i];
    if (ev->kind == ENVD_PROC_START) {
        r->pid = ev->pid;
        if (r->kill_pending) { /* the client goes with the kill (signal_sent frees it) */
            struct envd_client *c = r->envd;
            if (envd_process_signal(c, r->pid, SIGKILL, signal_sent, c, NULL)) r->envd = NULL;
            envd_stream_cancel(r->stream);
            r->stream = NULL;
            r->kill_pending = 0;
            arm_reaper(r->f);
        }
    } else if (ev->kind == ENVD_PROC_DATA) {
        it->out_bytes += (int64_t)ev->len;
        size_t room = it->out.len < FLEET_OUT_MAX ? FLEET_OUT_MAX - it->out.len : 0;
        buf_append(&it->out, ev->data, ev->len < room ? ev->len : room);
        if (r->f->cb) r->f->cb(r->f, r->i, r->f->ud);
    } else if (ev->kind == ENVD_PROC_END) {
        r->have_end = 1;
        r->end_status = envd_proc_exit_status(ev);
    }
    return 0;
}

static void on_proc_end(const struct error *err, void *ud)
{
    struct frun *r = ud;
    r->stream = NULL;
    if (r->kill_pending) { /* ended before it started: nothing left to kill */
        r->kill_pending = 0;
        arm_reaper(r->f);
        return;
    }
    if (r->have_end) {
        r->f->items[r->i].exit_code = r->end_status;
        end_item(r, FLEET_DONE, NULL);
    } else {
        end_item(r, FLEET_FAILED, err && err->msg[0] ? err->msg : "ended without an exit status");
    }
}

/* ---- put / get --------------------------------------------------------------------------- */

static void on_xfer(void *ud, enum xfer_event ev, struct xfer_job *j)
{
    struct frun *r = ud;
    struct fleet_item *it = &r->f->items[r->i];
    it->out_bytes = (int64_t)j->done;
    if (ev == XEV_PROGRESS) {
        if (r->f->cb) r->f->cb(r->f, r->i, r->f->ud);
        return;
    }
    if (ev != XEV_STATE) return;
    if (j->state == XS_DONE)
        end_item(r, FLEET_DONE, NULL);
    else if (j->state == XS_FAILED)
        end_item(r, FLEET_FAILED, j->msg[0] ? j->msg : j->first_err);
    else if (j->state == XS_CANCELLED)
        end_item(r, FLEET_CANCELLED, NULL);
}

/* ---- the platform lookup, then the action ------------------------------------------------ */

static int begin_action(struct frun *r, struct error *err)
{
    struct fleet *f = r->f;
    struct fleet_item *it = &f->items[r->i];
    if (f->o.op == FLEET_EXEC) {
        const char *args[] = {"-l", "-c", f->cmd, NULL};
        struct envd_start_opts so = {.cmd = "/bin/bash", .args = args, .stdin_mode = 0};
        r->stream = envd_process_start(r->envd, &so, on_proc, on_proc_end, r, err);
        return r->stream ? 0 : -1;
    }
    if (!(r->x = calloc(1, sizeof *r->x))) return -1;
    xfer_init(r->x, f->loop, r->envd, on_xfer, r);
    /* temporary names count per engine: one engine per sandbox writing into one LOCALDIR
     * must not pick the same ".boxtop-PID-N.part" */
    r->x->seq = (unsigned)r->i * 1000000u;
    if (f->o.op == FLEET_GET) {
        struct buf p = BUF_INIT;
        buf_printf(&p, "%s/%s", f->local, it->id);
        it->local_path = buf_steal(&p);
        r->job = it->local_path ? xfer_add(r->x, XFER_DOWN, f->remote, it->local_path, 0) : NULL;
    } else {
        r->job = xfer_add(r->x, XFER_UP, f->local, f->remote, 0);
    }
    if (!r->job) error_set(err, ERROR_GENERIC, "out of memory");
    return r->job ? 0 : -1;
}

static void on_info(struct api_result *res, void *ud)
{
    struct frun *r = ud;
    struct fleet *f = r->f;
    r->lookup = NULL;
    if (res->err.kind != ERROR_NONE) {
        end_item(r, FLEET_FAILED, res->err.msg);
        return;
    }
    const struct sandbox *sb = &res->sandbox;
    struct error err;
    error_clear(&err);
    if (!(r->envd = calloc(1, sizeof *r->envd)) ||
        envd_client_init(r->envd, f->http, sb->id ? sb->id : f->items[r->i].id, f->sandbox_url,
                         sb->domain ? sb->domain : f->domain, f->o.debug != 0,
                         sb->envd_access_token, NULL, &err) < 0 ||
        (r->envd->multipart_upload = !envd_version_at_least(sb->envd_version, 0, 5, 7),
         begin_action(r, &err) < 0))
        end_item(r, FLEET_FAILED, err.msg[0] ? err.msg : "cannot start");
}

static void launch(struct fleet *f, int i)
{
    struct frun *r = &f->runs[i];
    struct fleet_item *it = &f->items[i];
    r->f = f;
    r->i = i;
    it->state = FLEET_RUNNING;
    it->started_ms = loop_now_ms();
    f->running++;
    r->lookup = api_get_sandbox(f->api, it->id, on_info, r);
    if (!r->lookup)
        end_item(r, FLEET_FAILED, "cannot ask the API");
    else if (f->cb)
        f->cb(f, i, f->ud);
}

/* The SIGKILL of a cancelled command has answered: its client can go. */
static void signal_sent(const cJSON *resp, const struct error *err, void *ud)
{
    (void)resp;
    (void)err;
    struct envd_client *c = ud;
    envd_client_free(c);
    free(c);
}

/* Free what a run used (never from inside its own callbacks: from the reaper or fleet_free). */
static void run_release(struct frun *r, int kill_remote)
{
    if (r->lookup) api_cancel(r->lookup);
    r->lookup = NULL;
    if (r->stream) {
        envd_stream_cancel(r->stream);
        r->stream = NULL;
        /* the client lives on until the kill has answered (signal_sent frees it) */
        if (kill_remote && r->pid && r->envd &&
            envd_process_signal(r->envd, r->pid, SIGKILL, signal_sent, r->envd, NULL))
            r->envd = NULL;
    }
    if (r->x) {
        xfer_free(r->x);
        xfer_release_client(r->x, r->envd); /* frees the client after its last removal */
        free(r->x);
        r->x = NULL;
        r->envd = NULL;
    }
    if (r->envd) {
        envd_client_free(r->envd);
        free(r->envd);
        r->envd = NULL;
    }
}

static void start_more(struct fleet *f)
{
    while (f->running < f->parallel && f->next < f->n)
        launch(f, f->next++);
}

static void reap(struct loop *l, void *ud)
{
    (void)l;
    struct fleet *f = ud;
    f->reaper = 0;
    for (int i = 0; i < f->n; i++) {
        struct frun *r = &f->runs[i];
        if (r->ended && r->f && !r->kill_pending) {
            run_release(r, 0);
            r->f = NULL; /* released */
            f->running--;
        }
    }
    start_more(f);
    if (!f->running && f->next >= f->n && !f->over) {
        f->over = 1;
        if (f->cb) f->cb(f, -1, f->ud);
    }
}

struct fleet *fleet_start(struct http *h, struct api *a, const char *const *ids, int n,
                          const struct fleet_opts *o, fleet_cb cb, void *ud, struct error *err)
{
    if ((o->op == FLEET_EXEC && (!o->cmd || !o->cmd[0])) ||
        (o->op != FLEET_EXEC && (!o->local || !o->remote || !o->local[0] || !o->remote[0]))) {
        error_set(err, ERROR_USAGE, "nothing to do");
        return NULL;
    }
    /* LOCALDIR is made when missing (one level, like `cp file dir/` expects the dir) */
    if (o->op == FLEET_GET && mkdir(o->local, 0755) < 0 && errno != EEXIST) {
        error_set(err, ERROR_GENERIC, "%s: %s", o->local, strerror(errno));
        return NULL;
    }
    struct fleet *f = calloc(1, sizeof *f);
    if (!f) goto oom;
    f->http = h;
    f->api = a;
    f->loop = http_loop(h);
    f->o = *o;
    f->cb = cb;
    f->ud = ud;
    f->parallel = o->parallel > 0 ? o->parallel : FLEET_PARALLEL_DEFAULT;
    f->n = n;
    f->cmd = o->cmd ? strdup(o->cmd) : NULL;
    f->local = o->local ? strdup(o->local) : NULL;
    f->remote = o->remote ? strdup(o->remote) : NULL;
    f->sandbox_url = o->sandbox_url ? strdup(o->sandbox_url) : NULL;
    f->domain = o->domain ? strdup(o->domain) : NULL;
    f->items = calloc((size_t)(n ? n : 1), sizeof *f->items);
    f->runs = calloc((size_t)(n ? n : 1), sizeof *f->runs);
    if (!f->items || !f->runs) goto oom;
    for (int i = 0; i < n; i++)
        if (!(f->items[i].id = strdup(ids[i]))) goto oom;
    arm_reaper(f); /* starts the first ones from the loop: callbacks never run in here */
    return f;
oom:
    fleet_free(f);
    error_set(err, ERROR_GENERIC, "out of memory");
    return NULL;
}

int fleet_count(const struct fleet *f)
{
    return f ? f->n : 0;
}

const struct fleet_item *fleet_item(const struct fleet *f, int i)
{
    return f && i >= 0 && i < f->n ? &f->items[i] : NULL;
}

int fleet_finished(const struct fleet *f)
{
    int k = 0;
    for (int i = 0; f && i < f->n; i++)
        k += f->items[i].state >= FLEET_DONE;
    return k;
}

int fleet_running(const struct fleet *f)
{
    int k = 0;
    for (int i = 0; f && i < f->n; i++)
        k += f->items[i].state == FLEET_RUNNING;
    return k;
}

void fleet_cancel(struct fleet *f)
{
    if (!f) return;
    fleet_cb cb = f->cb;
    f->cb = NULL; /* quiet while cancelling */
    for (int i = 0; i < f->n; i++) {
        struct fleet_item *it = &f->items[i];
        struct frun *r = &f->runs[i];
        if (it->state == FLEET_QUEUED) {
            it->state = FLEET_CANCELLED;
        } else if (it->state == FLEET_RUNNING && r->f) {
            if (r->stream && !r->pid)
                r->kill_pending = 1; /* the stream stays until the pid is known */
            else
                run_release(r, 1);
            r->ended = 1;
            it->state = FLEET_CANCELLED;
            it->ended_ms = loop_now_ms();
        }
    }
    f->next = f->n;
    f->cb = cb;
    arm_reaper(f);
}

void fleet_free(struct fleet *f)
{
    if (!f) return;
    if (f->reaper) loop_timer_cancel(f->loop, f->reaper);
    for (int i = 0; f->runs && i < f->n; i++)
        if (f->runs[i].f) run_release(&f->runs[i], 1);
    for (int i = 0; f->items && i < f->n; i++) {
        free(f->items[i].id);
        free(f->items[i].local_path);
        buf_free(&f->items[i].out);
    }
    free(f->items);
    free(f->runs);
    free(f->cmd);
    free(f->local);
    free(f->remote);
    free(f->sandbox_url);
    free(f->domain);
    free(f);
}

void fleet_first_line(const struct fleet_item *it, char *out, size_t n)
{
    const char *p = buf_cstr(&it->out);
    size_t len = it->out.len;
    while (len && (*p == '\n' || *p == '\r')) {
        p++;
        len--;
    }
    size_t l = 0;
    while (l < len && p[l] != '\n' && p[l] != '\r')
        l++;
    if (l >= n) l = n - 1;
    memcpy(out, p, l);
    out[l] = '\0';
}
