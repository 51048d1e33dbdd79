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
#include "boxtop/xfer_job.h"

#define XFER_MAX_ACTIVE 4  /* files moving at once, over all jobs */
#define XFER_SAMPLE_MS  250

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
int xfer_busy(const struct xfer *x); /* jobs not finished */
/* A path below a copied sandbox directory, relative to it, may be joined to a local directory:
 * not empty, not absolute, no empty, "." or ".." component. Control characters are kept: such
 * names are copied byte-exact (and sanitized when shown). */
int xfer_relpath_safe(const char *rel);
/* Record a rate sample (the engine calls it; exposed for tests). */
void xfer_sample(struct xfer_job *j, int64_t now);

#endif
