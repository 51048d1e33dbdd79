/* backend_e2b_remote.c - one sandbox's file system and transfers over envd for the E2B
 * backend (backend_remote.h): the session looks the sandbox up (backend_ops.envd_open), then
 * lists, stats, watches, makes, moves and removes through envd's filesystem RPCs, peeks with
 * a bounded /files read (backend_e2b_peek.c) and copies through the transfer engine
 * (src/e2b/xfer.c). Answers reach the views parsed: listings as struct flist, entries as
 * struct fent (files/flist_envd.c). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "boxtop/i18n.h"
#include "backend_e2b_peek.h"
#include "backend_e2b_remote.h"
#include "files/flist_envd.h"

static struct e2b_remote *R(struct bremote *r)
{
    return (struct e2b_remote *)r;
}

/* ---- session ---- */

static void on_xfer(void *ud, enum xfer_event ev, struct xfer_job *j)
{
    struct e2b_remote *r = ud;
    if (r->ev.xfer) r->ev.xfer(r->ud, ev, j);
}

static void on_envd(struct envd_client *c, const struct error *err, void *ud)
{
    struct e2b_remote *r = ud;
    r->open_h = NULL;
    if (!c) {
        r->st = BREM_FAILED;
        r->ev.ready(r->ud, err);
        return;
    }
    r->envd = c;
    r->st = BREM_READY;
    xfer_init(&r->x, r->be->loop, c, on_xfer, r);
    r->ev.ready(r->ud, NULL);
}

static int connect_start(struct e2b_remote *r, struct error *err)
{
    r->st = BREM_CONNECTING;
    r->open_h = r->be->ops->envd_open(r->be, r->id, on_envd, r);
    if (r->open_h) return 0;
    r->st = BREM_FAILED;
    return error_set(err, ERROR_GENERIC, "%s", _("cannot look the sandbox up"));
}

static enum brem_state rs_state(struct bremote *rr)
{
    return R(rr)->st;
}

static void rs_retry(struct bremote *rr)
{
    struct e2b_remote *r = R(rr);
    struct error err = {0};
    if (r->st != BREM_FAILED) return;
    if (connect_start(r, &err) < 0) r->ev.ready(r->ud, &err);
}

static void rs_peek_cancel(struct bremote *rr, struct brem_peek *k);

static void rs_close(struct bremote *rr)
{
    struct e2b_remote *r = R(rr);
    if (r->open_h) r->be->ops->envd_cancel(r->be, r->open_h);
    while (r->peeks)
        rs_peek_cancel(rr, r->peeks);
    rcall_close_all(r);
    if (r->envd) {
        xfer_free(&r->x);
        xfer_release_client(&r->x, r->envd); /* once the last removal of a temporary answered */
    }
    free(r->id);
    free(r);
}

/* ---- file system ---- */

static void answer_list(struct brem_req *q, const cJSON *resp, const struct error *err)
{
    brem_list_cb cb = (brem_list_cb)q->cb;
    struct envd_entries es = {0};
    struct flist fresh = {0};
    struct error e2 = {0};
    if (err) {
        cb(NULL, err, q->ud);
    } else if (envd_entries_parse(resp, &es, &e2) < 0 ||
               flist_set_envd(&fresh, q->path, &es, &e2) < 0) {
        cb(NULL, &e2, q->ud);
    } else {
        cb(&fresh, NULL, q->ud);
    }
    flist_free(&fresh);
    envd_entries_free(&es);
}

static struct brem_req *rs_list(struct bremote *rr, const char *path, brem_list_cb cb, void *ud,
                                struct error *err)
{
    struct e2b_remote *r = R(rr);
    struct brem_req *q = rcall_begin(r, answer_list, (void (*)(void))cb, ud, err);
    if (q && !(q->path = strdup(path))) {
        rcall_cancel(q);
        error_set(err, ERROR_GENERIC, "%s", _("out of memory"));
        return NULL;
    }
    return q ? rcall_started(q, envd_fs_list_dir(r->envd, path, 1, xfer_call_cb, q->t, err)) : NULL;
}

static void answer_stat(struct brem_req *q, const cJSON *resp, const struct error *err)
{
    brem_stat_cb cb = (brem_stat_cb)q->cb;
    struct envd_entry ee = {0};
    struct fent e = {0};
    struct error e2 = {0};
    if (err) {
        cb(NULL, err, q->ud);
    } else if (envd_entry_response_parse(resp, &ee, &e2) < 0) {
        cb(NULL, &e2, q->ud);
    } else if (fent_set_envd(&e, &ee) < 0) {
        error_set(&e2, ERROR_GENERIC, "%s", _("the sandbox answered with an unusable name"));
        cb(NULL, &e2, q->ud);
    } else {
        cb(&e, NULL, q->ud);
    }
    fent_free(&e);
    envd_entry_free(&ee);
}

static struct brem_req *rs_stat(struct bremote *rr, const char *path, brem_stat_cb cb, void *ud,
                                struct error *err)
{
    struct e2b_remote *r = R(rr);
    struct brem_req *q = rcall_begin(r, answer_stat, (void (*)(void))cb, ud, err);
    return q ? rcall_started(q, envd_fs_stat(r->envd, path, xfer_call_cb, q->t, err)) : NULL;
}

static void rs_cancel(struct bremote *rr, struct brem_req *q)
{
    (void)rr;
    rcall_cancel(q);
}

static int rs_mkdir(struct bremote *rr, const char *path, brem_done_cb cb, void *ud,
                    struct error *err)
{
    struct e2b_remote *r = R(rr);
    struct brem_req *q = rcall_begin(r, rcall_answer_done, (void (*)(void))cb, ud, err);
    return q && rcall_started(q, envd_fs_make_dir(r->envd, path, xfer_call_cb, q->t, err)) ? 0 : -1;
}

static int rs_move(struct bremote *rr, const char *from, const char *to, brem_done_cb cb, void *ud,
                   struct error *err)
{
    struct e2b_remote *r = R(rr);
    struct brem_req *q = rcall_begin(r, rcall_answer_done, (void (*)(void))cb, ud, err);
    return q && rcall_started(q, envd_fs_move(r->envd, from, to, xfer_call_cb, q->t, err)) ? 0 : -1;
}

static int rs_remove(struct bremote *rr, const char *path, brem_done_cb cb, void *ud,
                     struct error *err)
{
    struct e2b_remote *r = R(rr);
    struct brem_req *q = rcall_begin(r, rcall_answer_done, (void (*)(void))cb, ud, err);
    return q && rcall_started(q, envd_fs_remove(r->envd, path, xfer_call_cb, q->t, err)) ? 0 : -1;
}

static int on_fs_event(const struct envd_fs_event *ev, void *ud, struct error *err)
{
    (void)err;
    struct brem_watch *w = ud;
    if (ev->kind == ENVD_FS_EVENT && w->on_change) w->on_change(w->ud);
    return 0;
}

static struct brem_watch *rs_watch(struct bremote *rr, const char *path, int recursive,
                                   brem_change_cb on_change, brem_end_cb on_end, void *ud,
                                   struct error *err)
{
    struct e2b_remote *r = R(rr);
    struct brem_watch *w = rwatch_new(r, ud, on_end, err);
    if (!w) return NULL;
    w->on_change = on_change;
    return rwatch_started(
        w, envd_fs_watch_dir(r->envd, path, recursive != 0, on_fs_event, rwatch_end, w, err));
}

static void rs_unwatch(struct bremote *rr, struct brem_watch *w)
{
    (void)rr;
    rwatch_cancel(w);
}

/* A peek in flight, on the session's list so that closing it cancels the read (the /files
 * download uses the envd client the session frees). */
struct brem_peek {
    struct brem_peek *next, **pprev;
    struct fpeek *p;
    brem_peek_cb cb;
    void *ud;
};

static void peek_unlink(struct brem_peek *k)
{
    *k->pprev = k->next;
    if (k->next) k->next->pprev = k->pprev;
}

static void on_peeked(int fd, size_t len, int more, const struct error *err, void *ud)
{
    struct brem_peek *k = ud;
    brem_peek_cb cb = k->cb;
    void *cud = k->ud;
    peek_unlink(k); /* the read freed itself */
    free(k);
    cb(fd, len, more, err, cud);
}

static struct brem_peek *rs_peek(struct bremote *rr, const char *path, const char *tmpdir,
                                 size_t max, brem_peek_cb cb, void *ud, struct error *err)
{
    struct e2b_remote *r = R(rr);
    struct brem_peek *k = NULL;
    if (r->st != BREM_READY) {
        error_set(err, ERROR_GENERIC, "%s", _("not connected"));
        return NULL;
    }
    e2b_remote_follow(r);
    if (!(k = calloc(1, sizeof *k))) {
        error_set(err, ERROR_GENERIC, "%s", _("out of memory"));
        return NULL;
    }
    k->cb = cb;
    k->ud = ud;
    if (!(k->p = fpeek_start(r->be->loop, r->envd, path, tmpdir, max, on_peeked, k, err))) {
        free(k);
        return NULL;
    }
    k->next = r->peeks;
    if (k->next) k->next->pprev = &k->next;
    k->pprev = &r->peeks;
    r->peeks = k;
    return k;
}

static void rs_peek_cancel(struct bremote *rr, struct brem_peek *k)
{
    (void)rr;
    if (!k) return;
    fpeek_cancel(k->p);
    peek_unlink(k);
    free(k);
}

/* ---- transfers ---- */

static struct xfer_job *rs_copy(struct bremote *rr, enum xfer_dir dir, const char *src,
                                const char *dst, int is_dir)
{
    struct e2b_remote *r = R(rr);
    if (r->st != BREM_READY) return NULL;
    e2b_remote_follow(r); /* a retry after boxtopd's restart goes to its new ports */
    return xfer_add(&r->x, dir, src, dst, is_dir);
}

static void rs_copy_cancel(struct bremote *rr, struct xfer_job *j)
{
    if (R(rr)->st == BREM_READY) xfer_cancel(&R(rr)->x, j);
}

static void rs_clear_finished(struct bremote *rr)
{
    if (R(rr)->st == BREM_READY) xfer_clear_finished(&R(rr)->x);
}

static struct xfer_job *const *rs_jobs(struct bremote *rr, size_t *n)
{
    struct e2b_remote *r = R(rr);
    *n = r->envd ? r->x.njobs : 0;
    return r->envd ? r->x.jobs : NULL;
}

static int rs_busy(struct bremote *rr)
{
    return R(rr)->envd && xfer_busy(&R(rr)->x);
}

static const struct bremote_ops e2b_remote_ops = {
    .state = rs_state,
    .retry = rs_retry,
    .close = rs_close,
    .list = rs_list,
    .stat = rs_stat,
    .cancel = rs_cancel,
    .mkdir = rs_mkdir,
    .rename = rs_move,
    .remove = rs_remove,
    .watch = rs_watch,
    .unwatch = rs_unwatch,
    .peek = rs_peek,
    .peek_cancel = rs_peek_cancel,
    .copy = rs_copy,
    .copy_cancel = rs_copy_cancel,
    .clear_finished = rs_clear_finished,
    .jobs = rs_jobs,
    .busy = rs_busy,
    .procs = e2b_remote_procs,
    .input = e2b_remote_input,
    .signal = e2b_remote_signal,
    .attach = e2b_remote_attach,
};

struct bremote *e2b_remote_open(struct backend *be, const char *id, const struct brem_events *ev,
                                void *ud, struct error *err)
{
    struct e2b_remote *r = calloc(1, sizeof *r);
    if (!r || !(r->id = strdup(id))) {
        free(r);
        error_set(err, ERROR_GENERIC, "%s", _("out of memory"));
        return NULL;
    }
    r->base.ops = &e2b_remote_ops;
    r->be = be;
    r->ev = *ev;
    r->ud = ud;
    if (connect_start(r, err) < 0) {
        free(r->id);
        free(r);
        return NULL;
    }
    return &r->base;
}
