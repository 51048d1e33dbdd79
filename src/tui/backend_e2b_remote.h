/* backend_e2b_remote.h - the remote face of one sandbox (backend_remote.h) over envd, for the
 * E2B backend: the session (backend_e2b_remote.c: connect, file system, transfers), its
 * processes (backend_e2b_proc.c) and the calls both make (backend_e2b_rcall.c: answers that
 * can be abandoned, streams that end with the session). Not a view's header. */
#ifndef BOXTOP_TUI_BACKEND_E2B_REMOTE_H
#define BOXTOP_TUI_BACKEND_E2B_REMOTE_H

#include "boxtop/envd.h"
#include "boxtop/xfer.h"
#include "backend.h"
#include "backend_remote.h"

struct e2b_remote {
    struct bremote base;
    struct backend *be;
    char *id;
    struct brem_events ev;
    void *ud;
    enum brem_state st;
    void *open_h;             /* envd_open in flight */
    struct envd_client *envd; /* once ready */
    struct xfer x;            /* the transfer engine, on envd once ready */
    struct brem_req *reqs;    /* calls in flight */
    struct brem_watch *watches;
    struct brem_peek *peeks; /* backend_e2b_remote.c */
};

/* backend_ops.remote_open of the E2B backend (its envd_open looks the sandbox up). */
struct bremote *e2b_remote_open(struct backend *be, const char *id, const struct brem_events *ev,
                                void *ud, struct error *err);

/* ---- backend_e2b_rcall.c ---- */

/* Point envd at the backend's sandbox URL now: a local boxtopd that boxtop restarted serves
 * envd on new ports (the sandbox and its processes survive). Every call, watch, peek and copy
 * does this first, so a view's next request after the restart simply works. */
void e2b_remote_follow(struct e2b_remote *r);

/* Hands a unary answer on: parses resp (NULL on error) for the caller's cb. */
typedef void (*rcall_answer_fn)(struct brem_req *q, const cJSON *resp, const struct error *err);

struct brem_req {
    struct brem_req *next, **pprev;
    struct xfer_call *t;
    rcall_answer_fn answer;
    void (*cb)(void); /* the caller's callback, cast back by answer */
    void *ud;
    char *path; /* the listed / stat'ed path */
};

/* Begin a call: q->t goes to the envd call with xfer_call_cb, whose result goes to
 * rcall_started (NULL: it did not start; q is gone and err says why). */
struct brem_req *rcall_begin(struct e2b_remote *r, rcall_answer_fn answer, void (*cb)(void),
                             void *ud, struct error *err);
struct brem_req *rcall_started(struct brem_req *q, const void *http_req);
void rcall_cancel(struct brem_req *q); /* no answer afterwards; NULL ok */
/* The answer of a call that only succeeds or fails: q->cb is a brem_done_cb (may be NULL). */
void rcall_answer_done(struct brem_req *q, const cJSON *resp, const struct error *err);

struct brem_watch {
    struct brem_watch *next, **pprev;
    struct envd_stream *s;
    brem_change_cb on_change;
    brem_proc_cb on_proc;
    brem_end_cb on_end;
    void *ud;
    struct e2b_remote *r;
};
/* A watch record for a stream about to open (link it with rwatch_started). */
struct brem_watch *rwatch_new(struct e2b_remote *r, void *ud, brem_end_cb on_end,
                              struct error *err);
struct brem_watch *rwatch_started(struct brem_watch *w, struct envd_stream *s);
void rwatch_end(const struct error *err, void *ud); /* the stream's envd_end_cb */
void rwatch_cancel(struct brem_watch *w);           /* NULL ok */
/* The session closes: abandon every call, cancel every stream. */
void rcall_close_all(struct e2b_remote *r);

/* ---- backend_e2b_proc.c ---- */
struct brem_req *e2b_remote_procs(struct bremote *rr, brem_procs_cb cb, void *ud,
                                  struct error *err);
int e2b_remote_input(struct bremote *rr, uint32_t pid, int pty, const void *data, size_t len,
                     brem_done_cb cb, void *ud, struct error *err);
int e2b_remote_signal(struct bremote *rr, uint32_t pid, int signo, brem_done_cb cb, void *ud,
                      struct error *err);
struct brem_watch *e2b_remote_attach(struct bremote *rr, uint32_t pid, brem_proc_cb on_event,
                                     brem_end_cb on_end, void *ud, struct error *err);

#endif
