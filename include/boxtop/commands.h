/* commands.h - "what did the agent run": a sandbox's command history rebuilt from envd's
 * structured process log lines (../shared/protocol/envd-process-logs.md §5).
 *
 * Three layers, each usable on its own:
 *   1. parsing (commands_parse.c): a logs page — v1 (raw `line`s, which keep the exit code)
 *      or v2 (`fields` of strings) — into process events; hostile input gives an error,
 *      never a crash;
 *   2. the history (commands.c): events de-duplicated, sorted by envd's timestamp and paired
 *      into commands by operation_id (per envd boot), else by pid, never across an end;
 *      one command's output lines, and the seam between logged and live output;
 *   3. fetching (commands_feed.c): paging the logs API forward and following it, for the
 *      command line and the TUI.
 * Works with E2B cloud's entries (no process_output, exit codes only in v1 lines, lines
 * arriving out of order, reused pids, ends without starts) and with boxtopd's. */
#ifndef BOXTOP_COMMANDS_H
#define BOXTOP_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boxtop/error.h"

/* boxtop's own processes (chmod, links in the file browser) run as
 * `/bin/sh -c <script> boxtop-internal ...` with this envd tag, so the history can hide them. */
#define CMD_INTERNAL_TAG "boxtop-internal"

/* ---- 1. events ---- */

enum cmd_ev_type { CMD_EV_START, CMD_EV_OUTPUT, CMD_EV_MARKER, CMD_EV_END };

struct cmd_ev {
    int64_t ts_ns;
    enum cmd_ev_type type;
    uint32_t pid;
    int64_t op;        /* operation_id, -1 when absent */
    char *text;        /* START: the command; OUTPUT: the line; END: status ("signal: killed") */
    uint64_t out_len;  /* OUTPUT: the line's bytes with its newline, kept when the text is not */
    bool is_stderr;    /* OUTPUT, MARKER */
    double timeout_ms; /* START */
    bool has_result, exited;                        /* END: process_result seen (v1 only) */
    int exit_code;                                  /* END: -1 = killed by a signal */
    bool has_bytes;                                 /* END */
    uint64_t stdout_bytes, stderr_bytes, pty_bytes; /* END */
};

struct cmd_evs {
    struct cmd_ev *v;
    size_t n, cap;
};
void cmd_evs_free(struct cmd_evs *e);

/* One page of GET /sandboxes/{id}/logs (v1) or /v2/sandboxes/{id}/logs. Appends the process
 * events to out; *entries = entries in the page, *last_ms = newest entry time (ms, 0 when
 * none), for paging. keep_text false drops output lines' text (the history needs counts). */
struct cmd_page {
    size_t entries;
    int64_t first_ms, last_ms;
};
int cmd_parse_v1(const char *body, size_t len, bool keep_text, struct cmd_evs *out,
                 struct cmd_page *page, struct error *err);
int cmd_parse_v2(const char *body, size_t len, bool keep_text, struct cmd_evs *out,
                 struct cmd_page *page, struct error *err);
/* RFC 3339 with up to 9 fractional digits to Unix ns; -1 when malformed. */
int cmd_parse_time_ns(const char *s, int64_t *ns);

/* ---- 2. the history ---- */

enum cmd_result {
    CMD_RUNNING, /* no end (yet) */
    CMD_OK,      /* exit 0 */
    CMD_EXIT,    /* exit N != 0 */
    CMD_SIGNAL,  /* killed by a signal */
    CMD_ENDED,   /* ended; the result is unknown (v2 entries only) */
    CMD_GONE,    /* no end, and the sandbox is gone: ended with the sandbox */
};

struct cmd {
    uint32_t pid;
    int64_t op;
    unsigned boot;            /* envd boot (operation_id counter restarts) */
    char *command;            /* as logged; NULL: an end without a start */
    int64_t start_ns, end_ns; /* 0 = unknown */
    enum cmd_result result;
    int exit_code;
    char *status; /* "signal: killed", or NULL */
    bool has_bytes;
    uint64_t stdout_bytes, stderr_bytes, pty_bytes;
    size_t out_lines; /* process_output records seen */
    uint64_t out_bytes;
    bool truncated;
    bool internal;    /* boxtop's own */
    bool listed_only; /* seen in Process.List, not (yet) in the log */
    char *cwd, *user; /* where known (Process.List) */
};

struct cmd_hist {
    struct cmd_evs evs; /* kept, sorted, unique */
    size_t sorted;      /* evs.v[0..sorted) are sorted and unique */
    struct cmd *v;      /* rebuilt by cmd_hist_rebuild */
    size_t n;
    bool sandbox_gone;
    bool saw_process;   /* any process_* line: the backend logs process events */
    bool saw_output;    /* any process_output line: the backend keeps output */
    struct cmd *listed; /* from Process.List, not matched to a logged command */
    size_t nlisted;
    uint32_t *alive; /* the pids of the last Process.List ... */
    size_t nalive;
    int64_t alive_ns; /* ... taken then (0: none yet) */
    uint64_t gen;     /* bumped when events were added or the commands rebuilt */
};

void cmd_hist_init(struct cmd_hist *h);
void cmd_hist_free(struct cmd_hist *h);
/* Take the events of evs (evs is emptied; duplicates of known events dropped). Returns how
 * many were new. */
size_t cmd_hist_add(struct cmd_hist *h, struct cmd_evs *evs);
/* Pair the events into commands (h->v, oldest start first; ends without start at their end). */
void cmd_hist_rebuild(struct cmd_hist *h);
/* Running processes from Process.List at now_ns: those not matched to a running logged command
 * (by pid) are kept in h->listed, marked listed_only. While the log has no process events at
 * all (an envd that logs none), a listed process that is gone is kept as ended at the time
 * it was missed: the commands seen while boxtop watched. */
struct cmd_listed {
    uint32_t pid;
    const char *command, *cwd, *tag;
};
void cmd_hist_set_listed(struct cmd_hist *h, const struct cmd_listed *v, size_t n, int64_t now_ns);
/* A logged command that never ended and is not in the last Process.List although it started
 * CMD_UNLISTED_SLACK_NS before it has ended (its processes were stopped: a restart of the
 * backend, a filesystem-only pause): CMD_ENDED at the list's time. The rebuild and the list
 * both apply it. */
#define CMD_UNLISTED_SLACK_NS (5 * 1000000000LL)

/* The command as a person reads it: SDK wrappers removed ("/bin/bash -l -c X" -> "X"). */
const char *cmd_display(const char *command);
bool cmd_is_internal(const char *command);
/* "running", "exit 0", "exit 3", "signal: killed", "ended", "ended with the sandbox". */
void cmd_result_text(const struct cmd *c, char *out, size_t n);
bool cmd_failed(const struct cmd *c);
/* A shell's view of the result: 0..255, 128+n for signal n (killed: 137); -1 when unknown. */
int cmd_exit_status(const struct cmd *c);
/* "state:failed", "state:running" and words (all must match the command). */
bool cmd_matches(const struct cmd *c, const char *filter);

/* ---- one command's output ---- */

struct cmd_line {
    int64_t ts_ns; /* envd's time; 0 for live lines */
    bool is_stderr, marker;
    char *text;
};

struct cmd_output {
    struct cmd_line *v;
    size_t n, cap;
    size_t logged;          /* v[0..logged) came from the log, the rest live */
    struct cmd_evs pending; /* logged lines not yet placed (after the attach time) */
    int64_t attach_ns;      /* 0: not attached */
    struct {
        char *p;
        size_t len;
    } part[2]; /* the unfinished live line per stream */
    bool seam_done;
    bool truncated;
};
void cmd_output_init(struct cmd_output *o);
void cmd_output_free(struct cmd_output *o);
/* Logged lines (CMD_EV_OUTPUT/MARKER of this command); duplicates are ignored. */
void cmd_output_add_logged(struct cmd_output *o, struct cmd_evs *evs);
/* About to attach with Process.Connect at (our) time now_ns: logged lines from then on
 * overlap what the stream brings. */
void cmd_output_attach(struct cmd_output *o, int64_t now_ns);
/* Bytes from the attached stream. */
void cmd_output_add_live(struct cmd_output *o, bool is_stderr, const char *data, size_t len);
/* The stream ended: partial lines become lines. */
void cmd_output_live_end(struct cmd_output *o);
/* Place the logged lines that overlap the live head once the log has caught up: of the logged
 * lines after the attach time, those that are not the start of the live lines come first.
 * Waits for the first live line unless final (the stream ended). */
void cmd_output_seam(struct cmd_output *o, bool final);
/* Pure seam rule, exposed for tests: how many of log[0..nlog) precede live[0..nlive): the
 * smallest i such that log[i..] and live[0..] agree on their common length. */
size_t cmd_seam_split(const char *const *log, size_t nlog, const char *const *live, size_t nlive);

/* ---- 3. fetching ---- */

struct api;
struct cmd_feed;
/* A fetch round ended (err NULL: caught up with the log). */
typedef void (*cmd_feed_cb)(void *ud, const struct error *err);

#define CMD_FEED_PAGE 1000

/* The history of sandbox id: every round pages the logs forward from where the last one
 * stopped (v1 for the exit codes; v2 when the server has no v1) until a short page. */
struct cmd_feed *cmd_feed_new(struct api *a, const char *id, cmd_feed_cb cb, void *ud);
void cmd_feed_free(struct cmd_feed *f);
/* The backend made a new api (a restarted local boxtopd): go on with it from the cursor. A
 * round in flight on the old one ends with an error (api_call_notify_drop). */
void cmd_feed_set_api(struct cmd_feed *f, struct api *a);
/* Start a round; a no-op while one runs. Returns 0 or -1 (could not start: err). */
int cmd_feed_poll(struct cmd_feed *f, struct error *err);
/* Also call back after every full page (the history rebuilt, cmd_feed_busy() still true), so a
 * long history shows its first screen at once (the TUI). */
void cmd_feed_set_progress(struct cmd_feed *f, bool on);
bool cmd_feed_busy(const struct cmd_feed *f);
struct cmd_hist *cmd_feed_hist(struct cmd_feed *f);
bool cmd_feed_uses_v2(const struct cmd_feed *f); /* results unknown: v2 has no exit codes */

/* One command's logged output (GET /v2/sandboxes/{id}/logs?pid=, infra PR #2935): lines of
 * that command only (its operation_id, else its time window). */
struct cmd_out_feed;
struct cmd_out_feed *cmd_out_feed_new(struct api *a, const char *id, const struct cmd *c,
                                      cmd_feed_cb cb, void *ud);
void cmd_out_feed_free(struct cmd_out_feed *f);
void cmd_out_feed_set_api(struct cmd_out_feed *f, struct api *a); /* as cmd_feed_set_api */
int cmd_out_feed_poll(struct cmd_out_feed *f, struct error *err);
bool cmd_out_feed_busy(const struct cmd_out_feed *f);
/* The server does not filter by pid (E2B cloud today: 501/400): no logged output. */
bool cmd_out_feed_unsupported(const struct cmd_out_feed *f);
/* The command ended: its end time bounds the window. */
void cmd_out_feed_set_end(struct cmd_out_feed *f, int64_t end_ns);
struct cmd_output *cmd_out_feed_output(struct cmd_out_feed *f);

#endif
