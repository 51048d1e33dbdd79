/* backend.h - where the model's data comes from and where actions go.
 *
 * A small vtable so the app does not care whether it is driving the E2B platform API (the e2b
 * client, polling every TICK_METRICS_MS) or a recorded model (--replay FILE, for tests, bug
 * reports and offline demos: actions are applied to the in-memory model). Every call returns
 * at once; results arrive later through backend_report(), from the loop. */
#ifndef BOXTOP_TUI_BACKEND_H
#define BOXTOP_TUI_BACKEND_H

#include <stdint.h>

#include "boxtop/error.h"
#include "boxtop/loop.h"
#include "model.h"

enum backend_event {
    BACKEND_MODEL_CHANGED, /* the model was updated (views re-read it) */
    BACKEND_DEMAND,        /* stamp model.demand on the sandboxes shown (model.h), now */
    BACKEND_SAMPLES,       /* only samples of known sandboxes changed: redraw, keep the rows */
    BACKEND_ACTION_OK,     /* msg: what was done ("paused sbx_1") */
    BACKEND_ACTION_FAILED, /* msg: why (never a secret) */
    BACKEND_OFFLINE,       /* msg: the backend stopped answering */
    BACKEND_ONLINE,        /* it answers again */
    BACKEND_RETRY,         /* backend.retry_at changed: when it is tried again (while offline) */
};

enum backend_retry { BACKEND_RETRY_POLL = 0, BACKEND_RETRY_RESTART, BACKEND_RETRY_LOOK };

struct create_req {
    const char *template_id;
    int timeout_s;
    const char *const *meta_kv; /* NULL-terminated "key=value" list */
};

struct backend;
struct session_env;
struct envd_client;
struct bremote;
struct brem_events;

/* envd_open's answer: c (owned by the callee: envd_client_free + free) or err. */
typedef void (*backend_envd_cb)(struct envd_client *c, const struct error *err, void *ud);

struct backend_ops {
    const char *kind;                    /* "replay", "e2b" */
    void (*poll_now)(struct backend *b); /* poll now (not "refresh": curses macro) */
    /* The views' metrics demand may have changed (scrolled, sorted, resized): fetch what new
     * rows on screen lack, without a poll round. NULL = nothing to do (replay). */
    void (*demand_now)(struct backend *b);
    void (*kill)(struct backend *b, const char *id);
    void (*pause)(struct backend *b, const char *id);
    void (*resume)(struct backend *b, const char *id);
    void (*set_timeout)(struct backend *b, const char *id, int seconds);
    void (*create)(struct backend *b, const struct create_req *req);
    /* Keep the process list and latest log lines of one sandbox fresh (the detail view);
     * NULL stops. Results land in the model (box.procs, box.logs). */
    void (*watch)(struct backend *b, const char *id);
    void (*kill_process)(struct backend *b, const char *id, uint32_t pid);
    /* Known template ids/aliases for the picker (NULL-terminated, owned by the backend). */
    const char *const *(*templates)(struct backend *b);
    void (*destroy)(struct backend *b);
    /* Terminal sessions (issue 7, session.h): the live http/api clients and where envd is.
     * -1 when there are none (replay, not connected yet). NULL = not supported. */
    int (*session_env)(struct backend *b, struct session_env *out);
    /* An envd client for sandbox id (the files view). cb runs once, from the loop, unless the
     * returned handle is passed to envd_cancel first. NULL ops = not possible (replay). */
    void *(*envd_open)(struct backend *b, const char *id, backend_envd_cb cb, void *ud);
    void (*envd_cancel)(struct backend *b, void *handle);
    /* Sandbox id's file system and processes for the views (backend_remote.h): a session that
     * connects in the background and tells ev (ud) when it is ready. NULL + err when the
     * lookup cannot start; NULL op = not possible (replay). */
    struct bremote *(*remote_open)(struct backend *b, const char *id, const struct brem_events *ev,
                                   void *ud, struct error *err);
};

typedef void (*backend_event_cb)(void *ud, enum backend_event ev, const char *msg);

struct backend {
    const struct backend_ops *ops;
    struct loop *loop;
    struct model *model;
    backend_event_cb on_event;
    void *ud;
    /* During on_event only: the raw detail behind msg (struct error's), NULL = none. */
    const char *detail;
    int64_t retry_at; /* while offline: monotonic ms of the next try, 0 = not known */
    /* what that try does (enum backend_retry); the local boxtopd's supervisor owns retry_at
     * while it is down (BACKEND_RETRY_RESTART/LOOK): the API rounds then leave it alone */
    int retry_kind;
};

void backend_report(struct backend *b, enum backend_event ev, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same with the detail of the error behind it (err->detail; `:messages` shows it). */
void backend_report_err(struct backend *b, enum backend_event ev, const struct error *err,
                        const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* --replay FILE: load the recording into model. NULL + err on failure. */
struct backend *backend_replay_new(struct loop *loop, struct model *model, const char *path,
                                   struct error *err);

#endif
