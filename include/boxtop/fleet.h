/* fleet.h - one action over many sandboxes at once (issue 18): run a command, upload a file
 * or download one from each, at most `parallel` sandboxes at a time.
 *
 * Each sandbox goes queued → running → done (or failed / cancelled) on its own: the platform
 * API is asked where its envd is (GET /sandboxes/{id}: domain and access token), then the
 * command runs through Process.Start (/bin/bash -l -c CMD, as `e2b sandbox exec` does) with
 * stdout and stderr collected in arrival order, or the file moves through the transfer engine
 * (xfer.h). Results fill in as they end; the caller hears about every change through one
 * callback. No curses here: the TUI's results table and `boxtop exec --all` share it. */
#ifndef BOXTOP_FLEET_H
#define BOXTOP_FLEET_H

#include <stdint.h>

#include "boxtop/buf.h"
#include "boxtop/error.h"

#define FLEET_PARALLEL_DEFAULT 8
#define FLEET_OUT_MAX          (1024 * 1024) /* output kept per sandbox (the rest counted) */

struct http;
struct api;

enum fleet_op { FLEET_EXEC = 0, FLEET_PUT, FLEET_GET };

enum fleet_state { FLEET_QUEUED = 0, FLEET_RUNNING, FLEET_DONE, FLEET_FAILED, FLEET_CANCELLED };

struct fleet_item {
    char *id;
    enum fleet_state state;
    int exit_code;      /* EXEC, DONE: the command's status (128+n for signal n) */
    int64_t started_ms; /* monotonic; 0 = not started */
    int64_t ended_ms;
    struct buf out;    /* EXEC: output (stdout and stderr as they came), at most FLEET_OUT_MAX */
    int64_t out_bytes; /* EXEC: all output bytes; PUT/GET: bytes moved */
    char *local_path;  /* GET: the file written (LOCALDIR/ID) */
    char err[ERROR_MSG_MAX]; /* FAILED: why (raw: sanitize before drawing) */
};

struct fleet_opts {
    enum fleet_op op;
    const char *cmd;                  /* EXEC */
    const char *local;                /* PUT: the local file; GET: the local directory */
    const char *remote;               /* PUT/GET: the sandbox path */
    int parallel;                     /* 0 = FLEET_PARALLEL_DEFAULT */
    const char *sandbox_url, *domain; /* where envd is (E2B_SANDBOX_URL / domain), may be NULL */
    int debug;
};

struct fleet;
/* i: the item that changed; -1 when the whole run ended (every item done/failed/cancelled). */
typedef void (*fleet_cb)(struct fleet *f, int i, void *ud);

/* Start at once (ids copied). NULL + err on bad options. */
struct fleet *fleet_start(struct http *h, struct api *a, const char *const *ids, int n,
                          const struct fleet_opts *o, fleet_cb cb, void *ud, struct error *err);
int fleet_count(const struct fleet *f);
const struct fleet_item *fleet_item(const struct fleet *f, int i);
int fleet_finished(const struct fleet *f); /* items not queued or running */
int fleet_running(const struct fleet *f);
/* Cancel the queued and running items (the remote processes get SIGKILL); no callbacks from
 * inside. */
void fleet_cancel(struct fleet *f);
void fleet_free(struct fleet *f); /* cancels silently */

/* The first line of an item's output, without the newline (for tables). */
void fleet_first_line(const struct fleet_item *it, char *out, size_t n);

#endif
