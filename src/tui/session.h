/* session.h - PTY sessions in sandboxes (issue 7): envd Process.Start/Connect streams on one
 * side, a terminal engine (term.h) on the other.
 *
 * A session owns its engine, so the client-side scrollback outlives detaching and dropped
 * connections. Output bytes are queued when they arrive and fed to the engine from a 0 ms
 * timer with a per-turn byte cap, so keys and frames keep their turn under a flood; the queue
 * is bounded (past SESSION_QUEUE_MAX the excess is fed at once). Input (encoded keys and the
 * engine's replies to DA/DSR) collects in a buffer that goes out as ONE Process.SendInput per
 * loop turn, one request in flight at a time on the http client's reused connections.
 * While a session is attached, the sandbox's time to live is extended before it runs out.
 * No global state; everything hangs off struct session_mgr. */
#ifndef BOXTOP_TUI_SESSION_H
#define BOXTOP_TUI_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "boxtop/error.h"
#include "boxtop/loop.h"

#define SESSION_FEED_CAP         (256 * 1024)      /* bytes parsed per session per loop turn */
#define SESSION_DIRECT_MAX       4096              /* smaller chunks are parsed on arrival */
#define SESSION_QUEUE_MAX        (4 * 1024 * 1024) /* queued output beyond this is parsed at once */
#define SESSION_TTL_S            300               /* keep-alive: the time to live we ask for */
#define SESSION_TTL_MARGIN_S     90                /* ... when less than this is left */
#define SESSION_RECONNECT_MS     500 /* first retry after a dropped stream (doubles) */
#define SESSION_RECONNECT_MAX_MS 30000
#define SESSION_STABLE_MS        10000 /* a stream that lived this long resets the back-off */
#define SESSION_PAUSED_POLL_MS   3000  /* a paused sandbox: how often to look for the resume */

struct http;
struct api;
struct term_engine;
struct session;
struct session_mgr;

/* Where envd and the platform API are (borrowed, asked again before every use since a context
 * switch replaces them). */
struct session_env {
    struct http *http;
    struct api *api;
    const char *sandbox_url; /* E2B_SANDBOX_URL or the local boxtopd's, NULL = cloud */
    const char *domain;
};
typedef int (*session_env_fn)(void *ud, struct session_env *out);

enum session_state {
    SESSION_STARTING,     /* looking up the sandbox / waiting for the start event */
    SESSION_ATTACHED,     /* stream open, output flowing */
    SESSION_DETACHED,     /* no tab shows it; the stream and screen keep going */
    SESSION_RECONNECTING, /* stream dropped; Process.Connect again after a back-off */
    SESSION_EXITED,       /* end event seen: exit_code is valid */
    SESSION_FAILED,       /* could not start (message in notice) */
};

/* What the session tells its view: output was fed (rows are dirty), or the state/notice
 * changed. Either may be NULL. */
struct session_hooks {
    void (*output)(void *ud, struct session *s);
    void (*state)(void *ud, struct session *s);
    void *ud;
};

struct session_mgr *session_mgr_new(struct loop *loop, session_env_fn env, void *env_ud);
/* Cancels every stream (the processes keep running in their sandboxes) and frees all. */
void session_mgr_free(struct session_mgr *m);
void session_mgr_set_hooks(struct session_mgr *m, const struct session_hooks *h);
/* Record every new session as asciicast v2 into dir (NULL = off). Copied. */
int session_mgr_set_record_dir(struct session_mgr *m, const char *dir);
int session_mgr_count(const struct session_mgr *m);
struct session *session_mgr_at(struct session_mgr *m, int i); /* in opening order */

/* Where a replay's recorded terminals come from (NULL fn: none). fn answers a sandbox's
 * recorded terminal as asciicast v2 in one JSON array: the header object, then the events
 * [time, "o", data] (other kinds are skipped: the pane decides the size), or NULL. */
struct cJSON;
typedef const struct cJSON *(*session_cast_fn)(void *ud, const char *sandbox_id);
void session_mgr_set_cast_source(struct session_mgr *m, session_cast_fn fn, void *ud);

/* Start /bin/bash -i -l in a PTY of rows x cols in sandbox_id. NULL + err when impossible now.
 * Without a live backend, a recorded terminal of the sandbox (session_mgr_set_cast_source) is
 * opened instead: its output fed to the engine at once, the session EXITED, no input taken. */
struct session *session_open(struct session_mgr *m, const char *sandbox_id, int rows, int cols,
                             int scrollback, struct error *err);
/* Attach to the running PTY process pid (Process.Connect) instead of starting a shell. */
struct session *session_open_pid(struct session_mgr *m, const char *sandbox_id, uint32_t pid,
                                 int rows, int cols, int scrollback, struct error *err);
/* No tab shows it any more: the process keeps running and the stream stays open, so the
 * screen keeps up with the output (within the engine's scrollback) for the next reattach. */
void session_detach(struct session *s);
/* Shown again at rows x cols: the current screen at once; a dropped stream reconnects now
 * (Process.Connect by pid). 0 or -1 + err. */
int session_reattach(struct session *s, int rows, int cols, struct error *err);
/* Kill the process (SIGKILL) unless it ended, and free the session. */
void session_close(struct session *s);
/* New pane size: engine resize + Process.Update (coalesced, one in flight). */
void session_resize(struct session *s, int rows, int cols);

/* Input. Keys as get_wch gave them (see term_engine_send_curses); queued for this turn. */
int session_send_curses(struct session *s, int is_keycode, uint32_t ch);
int session_send_bytes(struct session *s, const char *p, size_t len);
/* Pasted text (term_engine_send_paste: bracketed if the app asked, controls dropped). */
int session_send_paste(struct session *s, const char *p, size_t len);

/* Recording of this session: start into path (asciicast v2) or stop (path NULL). */
int session_record(struct session *s, const char *path, struct error *err);
int session_recording(const struct session *s);

struct term_engine *session_engine(struct session *s);
enum session_state session_state(const struct session *s);
int session_detached(const struct session *s); /* detached, running or ended since */
const char *session_sandbox(const struct session *s);
uint32_t session_pid(const struct session *s);
int session_exit_code(const struct session *s);
/* Last notice ("reconnecting…", an error) or "" - sanitized by the reader before display. */
const char *session_notice(const struct session *s);
/* The notice reports progress (starting, attaching): the info level, not a warning. */
int session_notice_is_info(const struct session *s);
size_t session_queued(const struct session *s); /* output bytes not yet parsed */
const char *session_state_name(enum session_state st);

#endif
