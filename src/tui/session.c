/* session.c - PTY sessions: envd process streams <-> terminal engine (design in session.h). */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cJSON.h>

#include "boxtop/api.h"
#include "boxtop/buf.h"
#include "boxtop/envd.h"
#include "boxtop/http.h"
#include "boxtop/i18n.h"
#include "session.h"
#include "session_dedup.h"
#include "term.h"
#include "term_rec.h"

struct session {
    struct session_mgr *m;
    struct session *next;
    char *sandbox;
    enum session_state state; /* of the stream; shown as DETACHED while detached is set */
    int detached;             /* no tab shows it: the stream and the screen keep going */
    uint32_t pid;
    int exit_code;
    char notice[256];
    int notice_info; /* the notice is progress ("starting a shell…"), not a problem */
    int rows, cols;

    struct term_engine *eng;
    struct envd_client envd;
    int envd_ready;
    struct envd_stream *stream;
    struct api_call *lookup; /* GET /sandboxes/{id} for the envd token */

    struct buf out; /* output not yet parsed */
    struct buf in;  /* input not yet sent */
    struct http_request *in_req, *upd_req, *kill_req;
    int upd_pending; /* a resize arrived while an Update was in flight */
    int64_t flush_timer, retry_timer, ttl_timer;
    int retry_ms;
    int reattaching; /* force a repaint after the next start event */
    /* envd said "not found": E2B's proxy says so for a paused sandbox too, so the platform
     * API is asked (recheck) before the next Connect; confirmed = it said running since the
     * last start event, so another "not found" means the process itself is gone. */
    int recheck, confirmed, paused;
    int closing;         /* closed by the user: on m->closing until its SIGKILL is delivered */
    uint32_t attach_pid; /* session_open_pid: attach to this process instead of a new shell */
    int64_t started_ms;  /* when the current stream's start event came (back-off reset) */
    struct out_dedup dd; /* output a reconnected stream sends again is dropped */

    int64_t end_ms; /* sandbox end of life (wall ms), 0 = unknown */
    struct api_call *ttl_call;

    struct term_rec *rec;
    int64_t rec_t0;
};

struct session_mgr {
    struct loop *loop;
    session_env_fn env;
    void *env_ud;
    struct session_hooks hooks;
    struct session *head;
    struct session *closing; /* closed sessions whose shell is not killed yet */
    int64_t feed_timer;
    char *rec_dir;
    session_cast_fn cast_fn;
    void *cast_ud;
};

static void s_notify(struct session *s)
{
    if (!s->closing && s->m->hooks.state) s->m->hooks.state(s->m->hooks.ud, s);
}

static void s_notice(struct session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void s_notice(struct session *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->notice, sizeof(s->notice), fmt, ap);
    va_end(ap);
    s->notice_info = 0;
}

/* A notice that reports progress, recorded at the info level. */
static void s_progress(struct session *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void s_progress(struct session *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->notice, sizeof(s->notice), fmt, ap);
    va_end(ap);
    s->notice_info = 1;
}

static int get_env(struct session_mgr *m, struct session_env *e, struct error *err)
{
    memset(e, 0, sizeof(*e));
    if (!m->env || m->env(m->env_ud, e) || !e->http || !e->api)
        return error_set(err, ERROR_USAGE, _("terminals need a live backend (not a replay)"));
    return 0;
}

/* ---- output: queue, then parse with a per-turn cap ------------------------------------- */

static void feed_arm(struct session_mgr *m);

static void on_feed(struct loop *l, void *ud)
{
    (void)l;
    struct session_mgr *m = ud;
    m->feed_timer = 0;
    int more = 0;
    for (struct session *s = m->head; s; s = s->next) {
        if (!s->out.len) continue;
        size_t used = 0;
        term_engine_write(s->eng, s->out.data, s->out.len, SESSION_FEED_CAP, &used);
        buf_consume(&s->out, used);
        if (s->out.len) more = 1;
        if (m->hooks.output) m->hooks.output(m->hooks.ud, s);
    }
    if (more) feed_arm(m);
}

static void feed_arm(struct session_mgr *m)
{
    if (!m->feed_timer) m->feed_timer = loop_timer_add(m->loop, 0, on_feed, m);
}

static void queue_output(struct session *s, const char *p, size_t len)
{
    if (s->rec) term_rec_output(s->rec, (double)(loop_now_ms() - s->rec_t0) / 1000.0, p, len);
    /* bounded: beyond the cap the backlog is parsed right away (a frame is skipped instead) */
    if (s->out.len + len > SESSION_QUEUE_MAX) {
        size_t used = 0;
        if (s->out.len) {
            term_engine_write(s->eng, s->out.data, s->out.len, 0, &used);
            buf_reset(&s->out);
        }
        term_engine_write(s->eng, p, len, 0, &used);
        if (s->m->hooks.output) s->m->hooks.output(s->m->hooks.ud, s);
        return;
    }
    if (!s->out.len && len <= SESSION_DIRECT_MAX) {
        /* an echo or a prompt: parse it now rather than a loop turn later (typing latency);
         * floods arrive in envd's 16 KiB reads and take the capped path */
        size_t used = 0;
        term_engine_write(s->eng, p, len, 0, &used);
        if (s->m->hooks.output) s->m->hooks.output(s->m->hooks.ud, s);
        return;
    }
    if (buf_append(&s->out, p, len)) return;
    feed_arm(s->m);
}

/* ---- input: one SendInput per loop turn, one in flight -------------------------------- */

static void flush_input(struct session *s);

static void on_input_done(const cJSON *resp, const struct error *err, void *ud)
{
    (void)resp;
    struct session *s = ud;
    s->in_req = NULL;
    if (err && s->state == SESSION_ATTACHED) {
        s_notice(s, _("input not delivered: %s"), err->msg);
        s_notify(s);
    }
    flush_input(s);
}

static void flush_input(struct session *s)
{
    if (s->in_req || !s->in.len || !s->pid || s->state != SESSION_ATTACHED) return;
    struct error err = {0};
    s->in_req = envd_process_send_input(&s->envd, s->pid, true, s->in.data, s->in.len,
                                        on_input_done, s, &err);
    if (!s->in_req) {
        s_notice(s, _("input not delivered: %s"), err.msg);
        s_notify(s);
    }
    buf_reset(&s->in);
}

static void on_flush_timer(struct loop *l, void *ud)
{
    (void)l;
    struct session *s = ud;
    s->flush_timer = 0;
    flush_input(s);
}

/* The engine's output callback: encoded keys and terminal replies. */
static void on_engine_output(const char *bytes, size_t len, void *user)
{
    struct session *s = user;
    if (s->state == SESSION_EXITED || s->state == SESSION_FAILED) return;
    if (buf_append(&s->in, bytes, len)) return;
    /* sent after this turn's other keys were read: all of them in one request */
    if (!s->flush_timer) s->flush_timer = loop_timer_add(s->m->loop, 0, on_flush_timer, s);
}

int session_send_curses(struct session *s, int is_keycode, uint32_t ch)
{
    return term_engine_send_curses(s->eng, is_keycode, ch, 0);
}

int session_send_paste(struct session *s, const char *p, size_t len)
{
    return term_engine_send_paste(s->eng, p, len);
}

int session_send_bytes(struct session *s, const char *p, size_t len)
{
    on_engine_output(p, len, s);
    return 0;
}

/* ---- resize ----------------------------------------------------------------------------- */

static void send_update(struct session *s);

static void on_update_done(const cJSON *resp, const struct error *err, void *ud)
{
    (void)resp;
    struct session *s = ud;
    s->upd_req = NULL;
    if (err && s->state == SESSION_ATTACHED) {
        s_notice(s, _("resize not delivered: %s"), err->msg);
        s_notify(s);
    }
    if (s->upd_pending) send_update(s);
}

static void send_update(struct session *s)
{
    if (!s->pid || s->state != SESSION_ATTACHED) return;
    if (s->upd_req) {
        s->upd_pending = 1;
        return;
    }
    s->upd_pending = 0;
    struct error err = {0};
    s->upd_req = envd_process_update(&s->envd, s->pid, (uint16_t)s->cols, (uint16_t)s->rows,
                                     on_update_done, s, &err);
}

void session_resize(struct session *s, int rows, int cols)
{
    if (rows < 1 || cols < 1 || rows > 4096 || cols > 4096) return;
    if (rows == s->rows && cols == s->cols) return;
    s->rows = rows;
    s->cols = cols;
    term_engine_resize(s->eng, rows, cols);
    if (s->rec) term_rec_resize(s->rec, (double)(loop_now_ms() - s->rec_t0) / 1000.0, cols, rows);
    send_update(s);
}

/* ---- keep-alive of the sandbox ---------------------------------------------------------- */

static void ttl_arm(struct session *s);

static void on_ttl_done(struct api_result *res, void *ud)
{
    struct session *s = ud;
    s->ttl_call = NULL;
    if (res->err.kind == ERROR_NONE)
        s->end_ms = loop_wall_ms() + (int64_t)SESSION_TTL_S * 1000;
    else {
        s_notice(s, _("could not extend the sandbox's time to live: %s"), res->err.msg);
        s_notify(s);
        s->end_ms = 0; /* retry on the next tick */
    }
    ttl_arm(s);
}

static bool ttl_far(const struct session *s)
{
    return s->end_ms && s->end_ms - loop_wall_ms() > (int64_t)SESSION_TTL_MARGIN_S * 1000;
}

/* The sandbox's end time as the API says it now: someone may have given it longer since we
 * last looked (`t 2h`, the CLI, the SDK), and asking for SESSION_TTL_S would cut that short. */
static void on_ttl_checked(struct api_result *res, void *ud)
{
    struct session *s = ud;
    s->ttl_call = NULL;
    /* unknown after an error: look again on the next tick (30 s), never cut blindly */
    s->end_ms = res->err.kind == ERROR_NONE ? res->sandbox.end_at_ms : 0;
    if (res->err.kind != ERROR_NONE || ttl_far(s) || s->state != SESSION_ATTACHED || s->detached) {
        ttl_arm(s);
        return;
    }
    struct session_env e;
    struct error err = {0};
    if (get_env(s->m, &e, &err)) return;
    s->ttl_call = api_set_timeout(e.api, s->sandbox, SESSION_TTL_S, on_ttl_done, s);
    api_call_notify_drop(s->ttl_call);
    if (!s->ttl_call) ttl_arm(s);
}

static void on_ttl_timer(struct loop *l, void *ud)
{
    (void)l;
    struct session *s = ud;
    s->ttl_timer = 0;
    if (s->state != SESSION_ATTACHED || s->detached) return; /* the start event re-arms */
    struct session_env e;
    struct error err = {0};
    if (get_env(s->m, &e, &err)) return;
    /* asked every tick (at most a minute apart): a time to live cut short elsewhere is seen
     * in time too */
    s->ttl_call = api_get_sandbox(e.api, s->sandbox, on_ttl_checked, s);
    api_call_notify_drop(s->ttl_call);
    if (!s->ttl_call) ttl_arm(s);
}

static void ttl_arm(struct session *s)
{
    if (s->ttl_timer || s->ttl_call) return;
    int64_t ms = 30000;
    if (s->end_ms) {
        int64_t left = s->end_ms - loop_wall_ms() - (int64_t)SESSION_TTL_MARGIN_S * 1000;
        ms = left < 1000 ? 1000 : left > 60000 ? 60000 : left;
    }
    s->ttl_timer = loop_timer_add(s->m->loop, ms, on_ttl_timer, s);
}

/* ---- streams ---------------------------------------------------------------------------- */

static void retry_arm(struct session *s);

static int on_proc_event(const struct envd_proc_event *ev, void *ud, struct error *err)
{
    (void)err;
    struct session *s = ud;
    switch (ev->kind) {
    case ENVD_PROC_START:
        if (!s->pid) s->pid = ev->pid;
        s->state = SESSION_ATTACHED;
        s->recheck = s->confirmed = s->paused = 0;
        /* the back-off is reset only once a stream has lived (on_stream_end): a server that
         * starts each stream and ends it badly was reconnected twice a second forever */
        s->started_ms = loop_now_ms();
        if (s->reattaching) {
            s->reattaching = 0;
            s->notice[0] = '\0';
            send_update(s);
            /* full-screen programs repaint on ^L; a shell prompt is left alone (bash would
             * clear the screen and the output kept here) */
            if (term_engine_altscreen(s->eng) || s->attach_pid) on_engine_output("\f", 1, s);
            s->attach_pid = 0; /* a fresh attach: ^L makes the program draw its screen */
        } else {
            s->notice[0] = '\0';
        }
        flush_input(s);
        ttl_arm(s);
        s_notify(s);
        break;
    case ENVD_PROC_DATA: {
        size_t dup = out_dedup_filter(&s->dd, ev->data, ev->len);
        if (dup < ev->len) {
            out_dedup_shown(&s->dd, ev->data + dup, ev->len - dup);
            queue_output(s, ev->data + dup, ev->len - dup);
        }
        break;
    }
    case ENVD_PROC_END:
        s->exit_code = envd_proc_exit_status(ev);
        s->state = SESSION_EXITED;
        s_notice(s, _("exited with code %d"), s->exit_code);
        s_notify(s);
        break;
    case ENVD_PROC_KEEPALIVE:
        break;
    }
    return 0;
}

static void on_stream_end(const struct error *err, void *ud)
{
    struct session *s = ud;
    s->stream = NULL;
    if (s->state == SESSION_EXITED) return;
    if (!s->pid) {
        s->state = SESSION_FAILED;
        s_notice(s, _("the shell did not start: %s"),
                 err ? err->msg : _("the stream ended before the start event"));
        s_notify(s);
        return;
    }
    if (err && err->kind == ERROR_NOT_FOUND) {
        if (s->confirmed) { /* the sandbox runs, the process does not */
            s->state = SESSION_EXITED;
            s->exit_code = -1;
            s_notice(s, _("the shell is gone (%s)"), err->msg);
            s_notify(s);
            return;
        }
        s->recheck = 1; /* paused, or gone with its sandbox: on_recheck tells */
    }
    s->state = SESSION_RECONNECTING;
    if (s->started_ms && loop_now_ms() - s->started_ms >= SESSION_STABLE_MS) s->retry_ms = 0;
    s->started_ms = 0;
    retry_arm(s);
    s_notice(s, _("connection lost (%s) - reconnecting in %d s…"),
             err ? err->msg : _("stream closed by the server"), (s->retry_ms + 999) / 1000);
    s_notify(s);
}

static int connect_stream(struct session *s, struct error *err)
{
    s->stream = envd_process_connect(&s->envd, s->pid, on_proc_event, on_stream_end, s, err);
    return s->stream ? 0 : -1;
}

static void recheck_sandbox(struct session *s);
static void close_kill(struct session *s);

/* The backend may have been replaced since (a restarted local boxtopd has new ports and a
 * new API object): calls made on the old API end with an error (api_call_notify_drop), and
 * envd is now at the new sandbox URL. The process keeps its pid, so Connect finds it there. */
static void follow_backend(struct session *s)
{
    struct session_env e;
    struct error err = {0};
    if (get_env(s->m, &e, &err)) return;
    if (s->envd_ready) envd_target_follow(&s->envd.target, e.sandbox_url);
}

static void on_retry(struct loop *l, void *ud)
{
    (void)l;
    struct session *s = ud;
    s->retry_timer = 0;
    follow_backend(s);
    if (s->stream || s->lookup) return; /* a reattach got there first */
    if (s->recheck) {
        recheck_sandbox(s);
        return;
    }
    if (s->closing) {
        close_kill(s);
        return;
    }
    if (s->state != SESSION_RECONNECTING) return;
    struct error err = {0};
    s->reattaching = 1;
    out_dedup_reconnect(&s->dd);
    if (connect_stream(s, &err)) {
        s_notice(s, _("reconnect failed: %s - retrying…"), err.msg);
        s_notify(s);
        retry_arm(s);
    }
}

static void retry_arm(struct session *s)
{
    if (s->retry_timer) return;
    s->retry_ms = s->retry_ms ? s->retry_ms * 2 : SESSION_RECONNECT_MS;
    if (s->retry_ms > SESSION_RECONNECT_MAX_MS) s->retry_ms = SESSION_RECONNECT_MAX_MS;
    s->retry_timer = loop_timer_add(s->m->loop, s->retry_ms, on_retry, s);
}

/* ---- a sandbox that went away: paused (E2B's proxy answers "not found" then) or gone ---- */

static void session_free(struct session *s);

static void reap(struct session *s)
{
    for (struct session **pp = &s->m->closing; *pp; pp = &(*pp)->next)
        if (*pp == s) {
            *pp = s->next;
            break;
        }
    session_free(s);
}

static void on_recheck(struct api_result *res, void *ud)
{
    struct session *s = ud;
    s->lookup = NULL;
    if (res->err.kind == ERROR_NOT_FOUND) { /* the sandbox itself is gone, its shell too */
        if (s->closing) {
            reap(s);
            return;
        }
        s->state = SESSION_EXITED;
        s->exit_code = -1;
        s_notice(s, _("the sandbox is gone (%s)"), res->err.msg);
        s_notify(s);
        return;
    }
    if (res->err.kind == ERROR_NONE && res->sandbox.state == SANDBOX_PAUSED) {
        if (!s->paused) {
            s->paused = 1;
            s_notice(s, _("the sandbox is paused - the shell reconnects after a resume"));
            s_notify(s);
        }
        /* a cheap GET at a steady pace, not the back-off: the resume is seen within seconds */
        if (!s->retry_timer)
            s->retry_timer = loop_timer_add(s->m->loop, SESSION_PAUSED_POLL_MS, on_retry, s);
        return;
    } else if (res->err.kind == ERROR_NONE) {
        s->recheck = 0;
        s->confirmed = 1;
        s->paused = 0;
        s->retry_ms = 0;
    }
    retry_arm(s); /* running: Connect (or the kill) at the first back-off step */
}

static void recheck_sandbox(struct session *s)
{
    struct session_env e;
    struct error err = {0};
    if (!get_env(s->m, &e, &err)) {
        s->lookup = api_get_sandbox(e.api, s->sandbox, on_recheck, s);
        api_call_notify_drop(s->lookup); /* a new api (restarted boxtopd): an error, a retry */
    }
    if (!s->lookup) retry_arm(s);
}

static void on_close_kill(const cJSON *resp, const struct error *err, void *ud)
{
    (void)resp;
    struct session *s = ud;
    s->kill_req = NULL;
    if (!err || (err->kind == ERROR_NOT_FOUND && s->confirmed)) {
        reap(s); /* killed, or no such process in a running sandbox */
        return;
    }
    if (err->kind == ERROR_NOT_FOUND) s->recheck = 1; /* paused? */
    retry_arm(s);
}

/* SIGKILL the shell of a closed session, again after a pause if need be (interactive bash
 * ignores SIGTERM); the session is freed when that is done. */
static void close_kill(struct session *s)
{
    struct error err = {0};
    s->kill_req = envd_process_signal(&s->envd, s->pid, SIGKILL, on_close_kill, s, &err);
    if (!s->kill_req) retry_arm(s);
}

static void start_shell(struct session *s)
{
    static const char *const args[] = {"-i", "-l", NULL};
    static const char *const envs[] = {"TERM=xterm-256color", "LANG=C.UTF-8", "LC_ALL=C.UTF-8",
                                       "COLORTERM=truecolor", NULL};
    struct envd_start_opts o = {0};
    o.cmd = "/bin/bash";
    o.args = args;
    o.envs = envs;
    o.pty = true;
    o.cols = (uint16_t)s->cols;
    o.rows = (uint16_t)s->rows;
    o.stdin_mode = -1;
    struct error err = {0};
    /* no Connect-Timeout-Ms: envd would kill the shell at the deadline */
    s->stream = envd_process_start(&s->envd, &o, on_proc_event, on_stream_end, s, &err);
    if (!s->stream) {
        s->state = SESSION_FAILED;
        s_notice(s, _("the shell did not start: %s"), err.msg);
        s_notify(s);
    }
}

static void on_lookup(struct api_result *res, void *ud)
{
    struct session *s = ud;
    s->lookup = NULL;
    struct session_env e;
    struct error err = {0};
    if (res->err.kind != ERROR_NONE) {
        s->state = SESSION_FAILED;
        s_notice(s, _("sandbox %s: %s"), s->sandbox, res->err.msg);
        s_notify(s);
        return;
    }
    if (get_env(s->m, &e, &err) ||
        envd_client_init(&s->envd, e.http, s->sandbox, e.sandbox_url,
                         res->sandbox.domain ? res->sandbox.domain : e.domain, false,
                         res->sandbox.envd_access_token, NULL, &err)) {
        s->state = SESSION_FAILED;
        s_notice(s, "%s", err.msg);
        s_notify(s);
        return;
    }
    s->envd_ready = 1;
    s->end_ms = res->sandbox.end_at_ms;
    if (s->attach_pid) { /* a running PTY (the commands view's `a`) */
        s->pid = s->attach_pid;
        s->reattaching = 1;
        s->state = SESSION_RECONNECTING;
        if (connect_stream(s, &err)) {
            s->state = SESSION_FAILED;
            s_notice(s, "%s", err.msg);
        }
        s_notify(s);
        return;
    }
    start_shell(s);
}

/* ---- life cycle ------------------------------------------------------------------------- */

static int rec_start(struct session *s, const char *path, struct error *err)
{
    struct term_rec_opts o = {0};
    o.cols = s->cols;
    o.rows = s->rows;
    o.term = "xterm-256color";
    o.shell = "/bin/bash";
    o.title = s->sandbox;
    s->rec = term_rec_open(path, &o, err);
    s->rec_t0 = loop_now_ms();
    return s->rec ? 0 : -1;
}

static struct session *open_cast(struct session_mgr *m, const char *sandbox_id, int rows, int cols,
                                 int scrollback, const cJSON *cast, struct error *err);

struct session *session_open(struct session_mgr *m, const char *sandbox_id, int rows, int cols,
                             int scrollback, struct error *err)
{
    struct session_env e;
    if (get_env(m, &e, err)) {
        const cJSON *cast = m->cast_fn ? m->cast_fn(m->cast_ud, sandbox_id) : NULL;
        return cast ? open_cast(m, sandbox_id, rows, cols, scrollback, cast, err) : NULL;
    }
    if (rows < 1 || cols < 1 || rows > 4096 || cols > 4096) {
        error_set(err, ERROR_USAGE, _("the pane is too small for a terminal"));
        return NULL;
    }
    struct session *s = calloc(1, sizeof(*s));
    if (!s || !(s->sandbox = strdup(sandbox_id))) {
        free(s);
        error_set(err, ERROR_GENERIC, "out of memory");
        return NULL;
    }
    s->m = m;
    s->rows = rows;
    s->cols = cols;
    struct term_engine_opts eo = {rows, cols, scrollback, on_engine_output, s};
    s->eng = term_engine_new(&eo, err);
    if (!s->eng) {
        free(s->sandbox);
        free(s);
        return NULL;
    }
    s->state = SESSION_STARTING;
    s_progress(s, _("starting a shell in %s…"), sandbox_id);
    /* append: tabs keep their opening order */
    struct session **pp = &m->head;
    while (*pp)
        pp = &(*pp)->next;
    *pp = s;
    if (m->rec_dir) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s-%lld.cast", m->rec_dir, sandbox_id,
                 (long long)loop_wall_ms());
        struct error rerr = {0};
        if (rec_start(s, path, &rerr)) s_notice(s, _("not recording: %s"), rerr.msg);
    }
    s->lookup = api_get_sandbox(e.api, sandbox_id, on_lookup, s);
    api_call_notify_drop(s->lookup);
    if (!s->lookup) {
        s->state = SESSION_FAILED;
        s_notice(s, _("could not look up sandbox %s"), sandbox_id);
    }
    return s;
}

struct session *session_open_pid(struct session_mgr *m, const char *sandbox_id, uint32_t pid,
                                 int rows, int cols, int scrollback, struct error *err)
{
    struct session *s = session_open(m, sandbox_id, rows, cols, scrollback, err);
    if (s) {
        s->attach_pid = pid;
        s_progress(s, _("attaching to pid %u in %s…"), (unsigned)pid, sandbox_id);
    }
    return s;
}

/* ---- a recorded terminal (replay) ------------------------------------------------------- */

void session_mgr_set_cast_source(struct session_mgr *m, session_cast_fn fn, void *ud)
{
    m->cast_fn = fn;
    m->cast_ud = ud;
}

static struct session *open_cast(struct session_mgr *m, const char *sandbox_id, int rows, int cols,
                                 int scrollback, const cJSON *cast, struct error *err)
{
    const cJSON *hdr = cJSON_GetArrayItem(cast, 0),
                *ver = cJSON_GetObjectItemCaseSensitive(hdr, "version");
    if (!cJSON_IsArray(cast) || !cJSON_IsNumber(ver) || ver->valueint != 2) {
        error_set(err, ERROR_PROTOCOL, "%s", _("the recorded terminal is not asciicast v2"));
        return NULL;
    }
    if (rows < 1 || cols < 1 || rows > 4096 || cols > 4096) {
        error_set(err, ERROR_USAGE, _("the pane is too small for a terminal"));
        return NULL;
    }
    struct session *s = calloc(1, sizeof(*s));
    struct term_engine_opts eo = {rows, cols, scrollback, on_engine_output, s};
    if (!s || !(s->sandbox = strdup(sandbox_id)) || !(s->eng = term_engine_new(&eo, err))) {
        if (s) free(s->sandbox);
        free(s);
        if (err->kind == ERROR_NONE) error_set(err, ERROR_GENERIC, "out of memory");
        return NULL;
    }
    s->m = m;
    s->rows = rows;
    s->cols = cols;
    struct session **pp = &m->head;
    while (*pp)
        pp = &(*pp)->next;
    *pp = s;
    const cJSON *ev;
    cJSON_ArrayForEach(ev, cast)
    {
        const cJSON *kind = cJSON_GetArrayItem(ev, 1), *data = cJSON_GetArrayItem(ev, 2);
        if (ev != hdr && cJSON_IsString(kind) && !strcmp(kind->valuestring, "o") &&
            cJSON_IsString(data))
            queue_output(s, data->valuestring, strlen(data->valuestring));
    }
    s->state = SESSION_EXITED; /* a recording takes no input */
    s_notice(s, "%s", _("a recorded terminal (replay)"));
    return s;
}

static void stop_io(struct session *s)
{
    if (s->stream) envd_stream_cancel(s->stream);
    s->stream = NULL;
    /* valid until their callback even when the backend replaced its api (notify_drop) */
    api_cancel(s->lookup);
    s->lookup = NULL;
    api_cancel(s->ttl_call);
    s->ttl_call = NULL;
    struct http_request **rq[] = {&s->in_req, &s->upd_req, &s->kill_req};
    for (size_t i = 0; i < 3; i++)
        if (*rq[i]) {
            http_cancel(*rq[i]);
            *rq[i] = NULL;
        }
    int64_t *tm[] = {&s->flush_timer, &s->retry_timer, &s->ttl_timer};
    for (size_t i = 0; i < 3; i++)
        if (*tm[i]) {
            loop_timer_cancel(s->m->loop, *tm[i]);
            *tm[i] = 0;
        }
}

/* Detached is like a tmux session without a client: the stream stays open and the screen keeps
 * following the output (the engine's scrollback is the memory bound), so reattaching shows
 * the current screen; a stream that drops meanwhile reconnects as for a tab. Only the keys and
 * the sandbox keep-alive stop. */
void session_detach(struct session *s)
{
    if (s->detached || (s->state != SESSION_ATTACHED && s->state != SESSION_RECONNECTING)) return;
    s->detached = 1;
    buf_reset(&s->in);
    if (s->flush_timer) loop_timer_cancel(s->m->loop, s->flush_timer);
    s->flush_timer = 0;
    if (s->ttl_timer) loop_timer_cancel(s->m->loop, s->ttl_timer);
    s->ttl_timer = 0;
    s_notice(s, _("detached (pid %u keeps running)"), (unsigned)s->pid);
    s_notify(s);
}

int session_reattach(struct session *s, int rows, int cols, struct error *err)
{
    if (!s->detached) return error_set(err, ERROR_USAGE, _("this session is not detached"));
    s->detached = 0;
    s->notice[0] = '\0';
    session_resize(s, rows, cols);
    if (s->state == SESSION_ATTACHED) {
        ttl_arm(s);
    } else if (s->state == SESSION_RECONNECTING && !s->stream && !s->lookup) {
        /* no need to wait for the back-off: someone is looking now */
        if (s->retry_timer) loop_timer_cancel(s->m->loop, s->retry_timer);
        s->retry_timer = 0;
        s->retry_ms = 0;
        if (s->recheck) { /* paused or gone: the API says which first */
            recheck_sandbox(s);
        } else {
            s->reattaching = 1;
            out_dedup_reconnect(&s->dd);
            if (connect_stream(s, err)) {
                retry_arm(s);
                return -1;
            }
            s_progress(s, _("reattaching to pid %u…"), (unsigned)s->pid);
        }
    }
    s_notify(s);
    return 0;
}

static void session_free(struct session *s)
{
    stop_io(s);
    if (s->rec) term_rec_close(s->rec, NULL);
    if (s->envd_ready) envd_client_free(&s->envd);
    term_engine_free(s->eng);
    buf_free(&s->out);
    out_dedup_free(&s->dd);
    buf_free(&s->in);
    free(s->sandbox);
    free(s);
}

void session_close(struct session *s)
{
    struct session_mgr *m = s->m;
    for (struct session **pp = &m->head; *pp; pp = &(*pp)->next)
        if (*pp == s) {
            *pp = s->next;
            break;
        }
    if (!s->pid || !s->envd_ready || s->state == SESSION_EXITED || s->state == SESSION_FAILED) {
        session_free(s);
        return;
    }
    /* no orphan shells: the kill is retried (through a pause) until envd took it */
    stop_io(s);
    if (s->rec) term_rec_close(s->rec, NULL);
    s->rec = NULL;
    s->closing = 1;
    s->retry_ms = 0;
    s->next = m->closing;
    m->closing = s;
    close_kill(s);
}

int session_record(struct session *s, const char *path, struct error *err)
{
    if (!path) {
        if (!s->rec) return 0;
        int rc = term_rec_close(s->rec, err);
        s->rec = NULL;
        return rc;
    }
    if (s->rec) return error_set(err, ERROR_USAGE, _("already recording"));
    return rec_start(s, path, err);
}

int session_recording(const struct session *s)
{
    return s->rec != NULL;
}

/* ---- manager ---------------------------------------------------------------------------- */

struct session_mgr *session_mgr_new(struct loop *loop, session_env_fn env, void *env_ud)
{
    struct session_mgr *m = calloc(1, sizeof(*m));
    if (!m) return NULL;
    m->loop = loop;
    m->env = env;
    m->env_ud = env_ud;
    return m;
}

void session_mgr_free(struct session_mgr *m)
{
    if (!m) return;
    while (m->head) {
        struct session *s = m->head;
        m->head = s->next;
        session_free(s);
    }
    while (m->closing) {
        struct session *s = m->closing;
        m->closing = s->next;
        session_free(s);
    }
    if (m->feed_timer) loop_timer_cancel(m->loop, m->feed_timer);
    free(m->rec_dir);
    free(m);
}

void session_mgr_set_hooks(struct session_mgr *m, const struct session_hooks *h)
{
    if (h)
        m->hooks = *h;
    else
        memset(&m->hooks, 0, sizeof(m->hooks));
}

int session_mgr_set_record_dir(struct session_mgr *m, const char *dir)
{
    free(m->rec_dir);
    m->rec_dir = dir ? strdup(dir) : NULL;
    return dir && !m->rec_dir ? -ENOMEM : 0;
}

int session_mgr_count(const struct session_mgr *m)
{
    int n = 0;
    for (const struct session *s = m->head; s; s = s->next)
        n++;
    return n;
}

struct session *session_mgr_at(struct session_mgr *m, int i)
{
    struct session *s = m->head;
    while (s && i-- > 0)
        s = s->next;
    return s;
}

struct term_engine *session_engine(struct session *s)
{
    return s->eng;
}
enum session_state session_state(const struct session *s)
{
    if (s->detached && (s->state == SESSION_ATTACHED || s->state == SESSION_RECONNECTING))
        return SESSION_DETACHED;
    return s->state;
}
int session_detached(const struct session *s)
{
    return s->detached;
}
const char *session_sandbox(const struct session *s)
{
    return s->sandbox;
}
uint32_t session_pid(const struct session *s)
{
    return s->pid;
}
int session_exit_code(const struct session *s)
{
    return s->exit_code;
}
const char *session_notice(const struct session *s)
{
    return s->notice;
}
int session_notice_is_info(const struct session *s)
{
    return s->notice_info;
}
size_t session_queued(const struct session *s)
{
    return s->out.len;
}

const char *session_state_name(enum session_state st)
{
    switch (st) {
    case SESSION_STARTING:
        return _("starting");
    case SESSION_ATTACHED:
        return _("attached");
    case SESSION_DETACHED:
        return _("detached");
    case SESSION_RECONNECTING:
        return _("reconnecting");
    case SESSION_EXITED:
        return _("exited");
    case SESSION_FAILED:
        return _("failed");
    }
    return "?";
}
