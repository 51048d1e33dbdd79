/* xfer_job.h - one job of the transfer engine (xfer.h) as its faces show it: direction,
 * state, byte and file counts, rate window, the reason it failed. Plain data and the helpers
 * that read it; no network, so the file browser's views can draw jobs without the engine.
 * The engine itself (queue, runs, envd calls) is xfer.h. */
#ifndef BOXTOP_XFER_JOB_H
#define BOXTOP_XFER_JOB_H

#include <stddef.h>
#include <stdint.h>

#define XFER_RATE_WIN 20 /* rate samples kept (one per XFER_SAMPLE_MS: a 5 s window) */

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
    /* the raw text behind first_err and msg (the system call and strerror, curl's text),
     * for `:messages` and the CLI's detail line; "" = none */
    char first_detail[512], msg_detail[512];
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

#define XFER_RATE_MIN_MS 1000 /* a rate needs this much of the transfer first */

/* Bytes per second, a moving average over the window up to now (0 when unknown: under
 * XFER_RATE_MIN_MS of samples; it falls to 0 when bytes stop coming); ETA in ms at that rate
 * (-1 when unknown). */
double xfer_rate(const struct xfer_job *j, int64_t now);
/* 1 once xfer_rate has XFER_RATE_MIN_MS of samples to go on: a 0 then means "nothing moves",
 * before it "not known yet" (show nothing, not "0 B/s"). */
int xfer_rate_known(const struct xfer_job *j, int64_t now);
int64_t xfer_eta_ms(const struct xfer_job *j, int64_t now);
/* A finished job's average: its bytes over its whole duration (start to end); -1 when it
 * has not ended. */
double xfer_avg_rate(const struct xfer_job *j);

#endif
