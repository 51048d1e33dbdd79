/* backend_remote.h - one sandbox as the views reach it past the platform API (issue 13): its
 * file system (list, stat, watch, mkdir, rename (move), remove, peek, transfer) and its processes
 * (list, input, signal, attach). backend_ops.remote_open starts a session that connects in
 * the background; every answer comes from the loop as parsed data (struct fent, struct
 * cmd_listed, struct brem_proc_event), never as an HTTP status or a body, so a view needs no
 * HTTP or envd header. Closing the session abandons every answer still to come (no callback
 * runs afterwards) and cancels its transfers, removing their temporary files.
 *
 * The E2B backend implements it over envd (backend_e2b_remote.c, backend_e2b_proc.c); a
 * backend without sandboxes to reach (replay) leaves remote_open NULL. */
#ifndef BOXTOP_TUI_BACKEND_REMOTE_H
#define BOXTOP_TUI_BACKEND_REMOTE_H

#include <stddef.h>
#include <stdint.h>

#include "boxtop/commands.h"
#include "boxtop/error.h"
#include "boxtop/xfer_job.h"
#include "files/flist.h"

struct bremote;
struct brem_req;   /* a call whose answer can still be abandoned */
struct brem_watch; /* a directory watch or a process attach */
struct brem_peek;  /* the viewer's bounded read */

enum brem_state { BREM_CONNECTING = 0, BREM_READY, BREM_FAILED };

/* What the session tells its owner (ud of remote_open). */
struct brem_events {
    void (*ready)(void *ud, const struct error *err); /* connected (err NULL) or not */
    void (*xfer)(void *ud, enum xfer_event ev, struct xfer_job *j); /* NULL: not interested */
};

/* A directory listing: fresh holds the entries and path (take them with flist_take); NULL and
 * err on failure (err->kind ERROR_NOT_FOUND when the directory is not there). */
typedef void (*brem_list_cb)(struct flist *fresh, const struct error *err, void *ud);
/* Stat: one entry (name is the last path component) or err. */
typedef void (*brem_stat_cb)(const struct fent *e, const struct error *err, void *ud);
/* A mkdir, move, remove, input or signal finished: err NULL on success. */
typedef void (*brem_done_cb)(const struct error *err, void *ud);
/* Something changed below the watched directory. */
typedef void (*brem_change_cb)(void *ud);
/* A watch or an attach ended (err NULL: cleanly); the handle is gone when this runs. */
typedef void (*brem_end_cb)(const struct error *err, void *ud);
/* The peek's answer, once: fd (the callee closes it) holds the first len bytes at offset 0;
 * more is 1 when the file goes on. fd is -1 and err set on failure. */
typedef void (*brem_peek_cb)(int fd, size_t len, int more, const struct error *err, void *ud);
/* The processes running in the sandbox (move nothing out: freed when the callback returns). */
typedef void (*brem_procs_cb)(const struct cmd_listed *l, size_t n, const struct error *err,
                              void *ud);

enum brem_proc_kind { BREM_PROC_START, BREM_PROC_DATA, BREM_PROC_END };
struct brem_proc_event {
    enum brem_proc_kind kind;
    int is_stderr;    /* DATA */
    const char *data; /* DATA: the bytes (valid during the callback) */
    size_t len;
    int exit_status; /* END: as a shell reports it (128+n for signal n) */
};
typedef void (*brem_proc_cb)(const struct brem_proc_event *ev, void *ud);

/* Calls that start something return the handle (or 0) and fill err when they cannot. */
struct bremote_ops {
    enum brem_state (*state)(struct bremote *r);
    /* Connect again after a failure (a paused sandbox that runs again); no-op otherwise. */
    void (*retry)(struct bremote *r);
    void (*close)(struct bremote *r); /* NULL is not allowed; frees r */

    /* ---- file system ---- */
    struct brem_req *(*list)(struct bremote *r, const char *path, brem_list_cb cb, void *ud,
                             struct error *err);
    struct brem_req *(*stat)(struct bremote *r, const char *path, brem_stat_cb cb, void *ud,
                             struct error *err);
    void (*cancel)(struct bremote *r, struct brem_req *q); /* no callback afterwards; NULL ok */
    int (*mkdir)(struct bremote *r, const char *path, brem_done_cb cb, void *ud, struct error *err);
    int (*rename)(struct bremote *r, const char *from, const char *to, brem_done_cb cb, void *ud,
                  struct error *err);
    int (*remove)(struct bremote *r, const char *path, brem_done_cb cb, void *ud,
                  struct error *err);
    struct brem_watch *(*watch)(struct bremote *r, const char *path, int recursive,
                                brem_change_cb on_change, brem_end_cb on_end, void *ud,
                                struct error *err);
    void (*unwatch)(struct bremote *r, struct brem_watch *w); /* no on_end; NULL ok */
    /* Read at most max bytes of path into an unlinked scratch file under tmpdir. */
    struct brem_peek *(*peek)(struct bremote *r, const char *path, const char *tmpdir, size_t max,
                              brem_peek_cb cb, void *ud, struct error *err);
    void (*peek_cancel)(struct bremote *r, struct brem_peek *p); /* NULL ok */

    /* ---- transfers (the one engine, src/e2b/xfer.c; progress through brem_events.xfer) ---- */
    struct xfer_job *(*copy)(struct bremote *r, enum xfer_dir dir, const char *src, const char *dst,
                             int is_dir); /* NULL: out of memory */
    void (*copy_cancel)(struct bremote *r, struct xfer_job *j);
    void (*clear_finished)(struct bremote *r);
    struct xfer_job *const *(*jobs)(struct bremote *r, size_t *n);
    int (*busy)(struct bremote *r); /* jobs not finished */

    /* ---- processes ---- */
    struct brem_req *(*procs)(struct bremote *r, brem_procs_cb cb, void *ud, struct error *err);
    int (*input)(struct bremote *r, uint32_t pid, int pty, const void *data, size_t len,
                 brem_done_cb cb, void *ud, struct error *err);
    int (*signal)(struct bremote *r, uint32_t pid, int signo, brem_done_cb cb, void *ud,
                  struct error *err); /* envd knows SIGTERM (15) and SIGKILL (9) */
    /* Follow a running process's output from now on (unwatch stops it). */
    struct brem_watch *(*attach)(struct bremote *r, uint32_t pid, brem_proc_cb on_event,
                                 brem_end_cb on_end, void *ud, struct error *err);
};

struct bremote {
    const struct bremote_ops *ops;
};

#endif
