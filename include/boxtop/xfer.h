/* xfer.h - the transfer engine: a queue of copy jobs between the local disk and one sandbox,
 * run inside the event loop (several files at once, never a whole file in memory). The file
 * browser (src/tui/views/files.c) and `boxtop cp` (src/cli/cmd_cp.c) both drive it, so a copy
 * follows one policy whichever face started it. No curses, no drawing: progress and state
 * changes go to one notify callback.
 *
 * A job copies one file or directory tree. It is first expanded into items (directories
 * first, pre-order, then files; a download asks the sandbox with Stat, then one ListDir of the
 * whole tree), then the files are streamed through envd's /files endpoint:
 * an upload reads the local file as curl asks and POSTs it to a temporary name next to the
 * target, then filesystem Move renames it; a download writes bytes as they arrive into a local
 * temporary file (O_EXCL, 0600) that is fchmod'ed and rename(2)d on success. Cancel or
 * failure removes the temporary file, so the final name never holds half a file. Mode bits:
 * kept on download; on upload envd has no chmod RPC, so modes other than envd's defaults are
 * applied at the end of the job with one `chmod` process per distinct mode.
 *
 * A tree copy goes on past a file or directory that fails (as mc and rsync do); the job then
 * ends XS_FAILED with the number of errors and the first one in msg. What is not copied on
 * purpose (links to directories, special files, a sandbox path outside the copied tree) is
 * skipped with an XEV_WARN; a job that only skipped ends XS_DONE with a note in msg.
 *
 * boxtopd's HTTP server (lws 4.1) cannot read a /files?path= query with CR or LF (see xfer.c):
 * a sandbox file whose path holds one is downloaded through a temporary second name (a hard
 * link or copy made in the sandbox), and an upload's temporary name goes into the nearest
 * directory without one. */
#ifndef BOXTOP_XFER_H
#define BOXTOP_XFER_H

#include <stddef.h>
#include <stdint.h>

#include "boxtop/envd.h"
#include "boxtop/loop.h"

#define XFER_MAX_ACTIVE 4  /* files moving at once, over all jobs */
#define XFER_RATE_WIN   20 /* rate samples kept (one per XFER_SAMPLE_MS: a 5 s window) */
#define XFER_SAMPLE_MS  250

enum xfer_dir { XFER_UP = 0, XFER_DOWN };
enum xfer_state {
    XS_QUEUED = 0,
    XS_PREPARING,
    XS_RUNNING,
    XS_MODES,
    XS_DONE,
    XS_FAILED,
    XS_CANCELLED
};

struct xitem {
    char *src, *dst;
    int is_dir;
    int made; /* download: this job made the directory (removed again if the copy fails and
                 leaves it empty) */
    uint32_t mode;
    int64_t size;
};

struct xrun;

struct xfer_job {
    unsigned id;
    enum xfer_dir dir;
    char *src, *dst; /* full paths: source and final target */
    enum xfer_state state;
    uint64_t total, done; /* bytes */
    unsigned files_total, files_done;
    unsigned errors;     /* items (files, directories) that failed; the job goes on */
    char first_err[400]; /* the first of them */
    unsigned skipped;    /* entries left out on purpose (XEV_WARN each) */
    char warn[400];      /* the latest of them (raw: sanitized when shown) */
    char msg[512];       /* why it failed (raw: sanitized when drawn) */
    int64_t started_ms, ended_ms;
    struct {
        int64_t t;
        uint64_t b;
    } win[XFER_RATE_WIN];
    int nwin, hwin;
    /* plan */
    struct xitem *items;
    size_t nitems, next, cap;
    int active;   /* runs in flight */
    int dir_busy; /* a remote MakeDir in flight (directories go one by one) */
    void *prep;   /* ListDir request (download) in flight */
    struct xfer *x;
    /* upload modes to fix afterwards */
    size_t mode_next;
    struct envd_stream *chmod_proc;
};

/* XEV_PROGRESS at most every 200 ms; XEV_STATE on every state change; XEV_WARN when an entry
 * is skipped (the reason in j->warn). */
enum xfer_event { XEV_PROGRESS, XEV_STATE, XEV_WARN };
typedef void (*xfer_notify_cb)(void *ud, enum xfer_event ev, struct xfer_job *j);

struct xfer {
    struct loop *loop;
    struct envd_client *envd; /* borrowed */
    struct xfer_job **jobs;
    size_t njobs, cap_jobs;
    unsigned next_id;
    int active; /* runs in flight over all jobs */
    struct xrun *runs;
    xfer_notify_cb notify;
    void *ud;
    int64_t last_notify;
    struct xfer_gc *gc; /* fire-and-forget removals may outlive the engine */
    unsigned seq;       /* temporary names */
};

void xfer_init(struct xfer *x, struct loop *loop, struct envd_client *envd, xfer_notify_cb cb,
               void *ud);
/* Cancels everything (temporaries removed) without notifications. */
void xfer_free(struct xfer *x);
/* Queue a copy of src (a file or a directory) to the full target path dst. is_dir tells
 * what a local src is (a sandbox src is asked with Stat). Returns the job or NULL (ENOMEM). */
struct xfer_job *xfer_add(struct xfer *x, enum xfer_dir dir, const char *src, const char *dst,
                          int is_dir);
void xfer_cancel(struct xfer *x, struct xfer_job *j);
/* A unary envd call that can be abandoned (envd.h has no cancel for them, and http_cancel
 * would leak the envd wrapper): begin a ticket, pass xfer_call_cb and the ticket to the envd
 * call, then hand its result to xfer_call_started (0 = it did not start; the ticket is gone).
 * cb runs once with ud unless xfer_call_abandon ran first. xfer_free abandons every call; the
 * envd client stays alive until the last one has answered (xfer_release_client). */
struct xfer_call;
struct xfer_call *xfer_call_begin(struct xfer *x, envd_unary_cb cb, void *ud);
void xfer_call_cb(const cJSON *resp, const struct error *err, void *ud);
int xfer_call_started(struct xfer_call *t, const void *req);
void xfer_call_abandon(struct xfer_call *t);

/* Free envd (envd_client_free + free) once the last removal of a temporary file has answered:
 * call it instead of freeing the client after xfer_free. */
void xfer_release_client(struct xfer *x, struct envd_client *envd);
/* Forget finished jobs (done, failed, cancelled). */
void xfer_clear_finished(struct xfer *x);
/* Bytes per second over the last window (0 when unknown); ETA in ms (-1 when unknown). */
double xfer_rate(const struct xfer_job *j, int64_t now);
int64_t xfer_eta_ms(const struct xfer_job *j, int64_t now);
int xfer_busy(const struct xfer *x); /* jobs not finished */
/* A path below a copied sandbox directory, relative to it, may be joined to a local directory:
 * not empty, not absolute, no empty, "." or ".." component. Control characters are kept: such
 * names are copied byte-exact (and sanitized when shown). */
int xfer_relpath_safe(const char *rel);
/* Record a rate sample (the engine calls it; exposed for tests). */
void xfer_sample(struct xfer_job *j, int64_t now);

#endif
