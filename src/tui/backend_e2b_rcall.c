/* backend_e2b_rcall.c - the calls a remote session makes (backend_e2b_remote.h): every unary
 * call and stream is on the session's lists, so closing it abandons the answers still to come
 * and cancels the streams before the envd client goes. Unary calls ride the transfer
 * engine's tickets (xfer_call_*), which keep the client alive until the last one answered. */
#include "config.h"

#include <stdlib.h>

#include "boxtop/i18n.h"
#include "backend_e2b_remote.h"
#include "backend_fetch.h"

static void req_unlink(struct brem_req *q)
{
    *q->pprev = q->next;
    if (q->next) q->next->pprev = q->pprev;
}

static void req_free(struct brem_req *q)
{
    free(q->path);
    free(q);
}

static void on_answer(const cJSON *resp, const struct error *err, void *ud)
{
    struct brem_req *q = ud;
    req_unlink(q);
    q->answer(q, resp, err);
    req_free(q);
}

void e2b_remote_follow(struct e2b_remote *r)
{
    if (r->envd) bfetch_follow_envd(r->be, r->envd);
}

struct brem_req *rcall_begin(struct e2b_remote *r, rcall_answer_fn answer, void (*cb)(void),
                             void *ud, struct error *err)
{
    struct brem_req *q = NULL;
    if (r->st != BREM_READY || !r->envd) {
        error_set(err, ERROR_GENERIC, "%s", _("not connected"));
        return NULL;
    }
    e2b_remote_follow(r);
    if (!(q = calloc(1, sizeof *q)) || !(q->t = xfer_call_begin(&r->x, on_answer, q))) {
        free(q);
        error_set(err, ERROR_GENERIC, "%s", _("out of memory"));
        return NULL;
    }
    q->answer = answer;
    q->cb = cb;
    q->ud = ud;
    q->next = r->reqs;
    if (q->next) q->next->pprev = &q->next;
    q->pprev = &r->reqs;
    r->reqs = q;
    return q;
}

void rcall_answer_done(struct brem_req *q, const cJSON *resp, const struct error *err)
{
    (void)resp;
    brem_done_cb cb = (brem_done_cb)q->cb;
    if (cb) cb(err, q->ud);
}

struct brem_req *rcall_started(struct brem_req *q, const void *http_req)
{
    if (!q) return NULL;
    if (xfer_call_started(q->t, http_req)) return q;
    req_unlink(q); /* the ticket is gone with it */
    req_free(q);
    return NULL;
}

void rcall_cancel(struct brem_req *q)
{
    if (!q) return;
    xfer_call_abandon(q->t); /* its answer goes nowhere */
    req_unlink(q);
    req_free(q);
}

struct brem_watch *rwatch_new(struct e2b_remote *r, void *ud, brem_end_cb on_end, struct error *err)
{
    struct brem_watch *w = NULL;
    if (r->st != BREM_READY || !r->envd) {
        error_set(err, ERROR_GENERIC, "%s", _("not connected"));
        return NULL;
    }
    e2b_remote_follow(r);
    if (!(w = calloc(1, sizeof *w))) {
        error_set(err, ERROR_GENERIC, "%s", _("out of memory"));
        return NULL;
    }
    w->r = r;
    w->ud = ud;
    w->on_end = on_end;
    return w;
}

struct brem_watch *rwatch_started(struct brem_watch *w, struct envd_stream *s)
{
    if (!w) return NULL;
    if (!s) {
        free(w);
        return NULL;
    }
    w->s = s;
    w->next = w->r->watches;
    if (w->next) w->next->pprev = &w->next;
    w->pprev = &w->r->watches;
    w->r->watches = w;
    return w;
}

static void watch_unlink(struct brem_watch *w)
{
    *w->pprev = w->next;
    if (w->next) w->next->pprev = w->pprev;
}

void rwatch_end(const struct error *err, void *ud)
{
    struct brem_watch *w = ud;
    brem_end_cb cb = w->on_end;
    void *cud = w->ud;
    watch_unlink(w); /* the stream is gone already */
    free(w);
    if (cb) cb(err, cud);
}

void rwatch_cancel(struct brem_watch *w)
{
    if (!w) return;
    envd_stream_cancel(w->s);
    watch_unlink(w);
    free(w);
}

void rcall_close_all(struct e2b_remote *r)
{
    while (r->reqs)
        rcall_cancel(r->reqs);
    while (r->watches)
        rwatch_cancel(r->watches);
}
