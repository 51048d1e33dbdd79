/* process.c - envd's process.Process service: Start/Connect streams, List, SendInput,
 * Update, SendSignal, CloseStdin, for the processes of one sandbox.
 *
 * Data flow: rt_spawn gives pty/pipe fds; they sit in the server loop (denvd_fd_watch). Each
 * read is one data event, sent to every attached stream (Start or Connect responses) and
 * dropped when none is attached, as envd does. When a client is slow (its backlog passes
 * ENVD_BACKLOG_HIGH) the process's output fds stop being read until it drains, so the
 * kernel pipe fills and the process blocks: bounded memory, like envd's synchronous fan-out.
 * The runtime reports the exit (denvd_process_exited): what is still buffered in the fds is
 * drained; like envd (handler.go Wait waits for its output readers), the end event waits
 * until every output fd is at EOF, so a background child that keeps stdout open keeps the
 * stream, List and Connect going. SIGKILL/SIGTERM through SendSignal and the Start timeout
 * end it at once (envd's outCancel). Then the end event goes to every stream, and the
 * streams end with "{}". The end event is kept 30 s for a late Connect, like envd.
 *
 * A boxtopd that crashed leaves its processes running: the sandbox's init keeps a copy of
 * their pty masters and pipe ends with their tag, config and operation_id (procmeta.h), and
 * the restarted boxtopd takes them back as it starts (denvd_process_adopt), so their output is
 * logged again, List shows them and Connect by pid attaches. What they wrote meanwhile
 * waits in the pty or pipe until the adoption reads it, then for the first Connect (held). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "boxtop/base64.h"
#include "boxtop/log.h"
#include "boxtop/loop.h"
#include "runtime/runtime.h"
#include "denvd_int.h"
#include "entry.h"
#include "rpcmsg.h"
#include "confine.h"
#include "procmeta.h"
#include "../proclog.h"

#define PTY_READ_MAX  (16 * 1024)
#define PIPE_READ_MAX (32 * 1024)
#define END_RETAIN_MS 30000

struct estream {
    struct estream *next;
    struct eproc *p;
    struct denvd_conn *conn;
    struct denvd_timer *keepalive, *deadline;
    int64_t keepalive_ms;
    bool is_start; /* the Start stream (vs Connect) */
};

struct eproc {
    struct eproc *next;
    struct denvd_sbx *sbx;
    uint32_t pid;
    char *tag;
    cJSON *config; /* ProcessConfig as sent, for List */
    bool pty;
    int out_fd, err_fd, in_fd; /* pty: out_fd == in_fd == master */
    struct denvd_fdw *out_w, *err_w, *in_w;
    bool paused;
    struct buf inq;
    bool stdin_closing;
    struct estream *streams;
    bool exit_known; /* the runtime reported the exit; outputs may still be open */
    bool end_now;    /* SendSignal KILL/TERM or the timeout: do not wait for the outputs */
    bool exited;     /* the end event is out */
    int exit_code, signo;
    struct buf end_json; /* the end event, once exited */
    struct denvd_timer *retain;
    struct denvd_timer *kill_at; /* Connect-Timeout-Ms of Start: the process lifetime */
    char op_id[24];              /* envd's operation_id of the Start that made it */
    uint64_t bytes[3];           /* read from stdout, stderr, pty (process_end) */
    struct proclog_out *capture; /* process_output records (non-PTY only) */
    /* taken back after a crash: what it wrote before anyone attached again (while boxtopd was
     * down, read at the adoption) is kept for the first Connect — stdout, stderr, pty, the
     * latest PROC_HELD_MAX bytes of each */
    bool holding;
    struct buf held[3];
};

#define PROC_HELD_MAX (256u << 10)

static void proc_free(struct eproc *p);
static void proc_finish(struct eproc *p);
static void stream_end(struct estream *s, enum connect_code code, const char *msg);

/* ---- frames ---- */

static int stream_send(struct estream *s, cJSON *ev)
{
    struct buf f = BUF_INIT;
    int rc = denvd_frame_json(&f, ev);
    if (rc == 0) rc = denvd_conn_write(s->conn, f.data, f.len);
    buf_free(&f);
    return rc;
}

static cJSON *event_wrap(const char *kind, cJSON *body)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *event = cJSON_AddObjectToObject(root, "event");
    cJSON_AddItemToObject(event, kind, body);
    return root;
}

static void send_start(struct estream *s)
{
    cJSON *b = cJSON_CreateObject();
    cJSON_AddNumberToObject(b, "pid", s->p->pid);
    stream_send(s, event_wrap("start", b));
}

static void keepalive_fire(void *arg)
{
    struct estream *s = arg;
    s->keepalive = NULL;
    stream_send(s, event_wrap("keepalive", cJSON_CreateObject()));
    s->keepalive = denvd_timer_start(s->p->sbx->e, s->keepalive_ms, keepalive_fire, s);
}

static void keepalive_reset(struct estream *s)
{
    denvd_timer_stop(s->keepalive);
    s->keepalive = denvd_timer_start(s->p->sbx->e, s->keepalive_ms, keepalive_fire, s);
}

/* ---- streams ---- */

static void stream_unlink(struct estream *s)
{
    struct estream **pp = &s->p->streams;
    while (*pp && *pp != s)
        pp = &(*pp)->next;
    if (*pp) *pp = s->next;
    denvd_timer_stop(s->keepalive);
    denvd_timer_stop(s->deadline);
    s->keepalive = s->deadline = NULL;
}

static void proc_update_flow(struct eproc *p);

static void stream_gone(void *arg)
{
    struct estream *s = arg;
    struct eproc *p = s->p;
    stream_unlink(s);
    free(s);
    proc_update_flow(p);
}

static void stream_drained(void *arg)
{
    struct estream *s = arg;
    proc_update_flow(s->p);
}

static void stream_end(struct estream *s, enum connect_code code, const char *msg)
{
    struct buf f = BUF_INIT;
    if (connect_end_stream_append(&f, code, msg, NULL) == 0)
        denvd_conn_write(s->conn, f.data, f.len);
    buf_free(&f);
    struct denvd_conn_owner none = {NULL, NULL, NULL};
    denvd_conn_set_owner(s->conn, &none);
    denvd_conn_finish(s->conn);
    stream_unlink(s);
    free(s);
}

static void deadline_fire(void *arg)
{
    struct estream *s = arg;
    struct eproc *p = s->p;
    s->deadline = NULL;
    stream_end(s, CONNECT_DEADLINE_EXCEEDED, "context deadline exceeded");
    proc_update_flow(p);
}

/* Start's Connect-Timeout-Ms is also the process's lifetime (envd kills through the request
 * context). It is the process's own timer: the client often gives up at the same moment and
 * closes the stream, and the process must die anyway. */
static void kill_at_fire(void *arg)
{
    struct eproc *p = arg;
    p->kill_at = NULL;
    if (p->exited) return;
    p->end_now = true;
    struct error err;
    if (p->exit_known) { /* reaped already: its pid may be another's */
        proc_finish(p);
        return;
    }
    rt_signal(p->sbx->e->host.rt, p->sbx->rt, (pid_t)p->pid, SIGKILL, &err);
}

static struct estream *stream_attach(struct denvd_call *c, struct eproc *p, struct denvd_conn *conn,
                                     bool is_start)
{
    struct estream *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->p = p;
    s->conn = conn;
    s->is_start = is_start;
    s->keepalive_ms = (int64_t)c->keepalive_s * 1000;
    s->next = p->streams;
    p->streams = s;
    struct denvd_conn_owner o = {stream_gone, stream_drained, s};
    denvd_conn_set_owner(conn, &o);
    if (c->timeout_ms > 0) s->deadline = denvd_timer_start(c->e, c->timeout_ms, deadline_fire, s);
    return s;
}

/* ---- envd's process log lines (proclog.h) ---- */

static void plog(struct denvd_sbx *sbx, enum log_level lv, const char *msg, cJSON *raw)
{
    struct envd_host *h = &sbx->e->host;
    if (raw && h->sandbox_log) h->sandbox_log(h->ud, sbx->id, (int)lv, msg, raw);
    cJSON_Delete(raw);
}

static void plog_ids(struct eproc *p, struct proclog_ids *ids)
{
    struct denvd_sandbox_info info;
    memset(&info, 0, sizeof info);
    p->sbx->e->host.sandbox_get(p->sbx->e->host.ud, p->sbx->id, &info);
    ids->operation_id = p->op_id[0] ? p->op_id : NULL;
    ids->sandbox_id = p->sbx->id;
    ids->template_id = info.template_id;
    ids->team_id = "local";
}

static void plog_output(void *ud, bool is_stderr, bool marker, const char *line, size_t len)
{
    struct eproc *p = ud;
    struct proclog_ids ids;
    plog_ids(p, &ids);
    char *msg = marker ? NULL : strndup(line, len);
    if (!marker && !msg) return;
    plog(p->sbx, marker ? LOG_WARN : LOG_INFO, marker ? PROCLOG_TRUNCATED : msg,
         proclog_output_raw(&ids, p->pid, is_stderr));
    free(msg);
}

/* ---- output ---- */

static const char *const held_kind[3] = {"stdout", "stderr", "pty"};

static void hold(struct eproc *p, const char *kind, const char *data, size_t n)
{
    struct buf *b = &p->held[p->pty ? 2 : strcmp(kind, "stderr") == 0];
    if (buf_append(b, data, n) < 0) return;
    if (b->len > PROC_HELD_MAX) buf_consume(b, b->len - PROC_HELD_MAX);
}

/* One data event ({"stdout"|"stderr"|"pty": base64}) to one stream. */
static void send_data(struct estream *s, const char *kind, const struct buf *b64)
{
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, kind, buf_cstr(b64));
    stream_send(s, event_wrap("data", d));
}

static void fan_out(struct eproc *p, const char *kind, const char *data, size_t n)
{
    if (!p->streams) { /* nobody attached: dropped, as envd does, unless taken back */
        if (p->holding) hold(p, kind, data, n);
        return;
    }
    struct buf b64 = BUF_INIT;
    if (base64_encode(&b64, data, n) < 0) {
        buf_free(&b64);
        return;
    }
    for (struct estream *s = p->streams; s; s = s->next) {
        send_data(s, kind, &b64);
        keepalive_reset(s);
    }
    buf_free(&b64);
    proc_update_flow(p);
}

/* The first Connect to a process taken back after a crash gets what it wrote meanwhile. */
static void replay_held(struct eproc *p, struct estream *s)
{
    p->holding = false;
    for (int i = 0; i < 3; i++) {
        struct buf b64 = BUF_INIT;
        if (p->held[i].len && base64_encode(&b64, p->held[i].data, p->held[i].len) == 0)
            send_data(s, held_kind[i], &b64);
        buf_free(&b64);
        buf_free(&p->held[i]);
    }
}

static void proc_update_flow(struct eproc *p)
{
    bool slow = false;
    for (struct estream *s = p->streams; s; s = s->next)
        if (denvd_conn_backlog(s->conn) > ENVD_BACKLOG_HIGH) slow = true;
    bool want_pause = slow;
    if (!want_pause && p->paused) {
        for (struct estream *s = p->streams; s; s = s->next)
            if (denvd_conn_backlog(s->conn) > ENVD_BACKLOG_LOW) want_pause = true;
    }
    if (want_pause == p->paused) return;
    p->paused = want_pause;
    if (p->out_w) denvd_fd_pause_read(p->out_w, want_pause);
    if (p->err_w) denvd_fd_pause_read(p->err_w, want_pause);
}

/* Read once from fd; returns bytes read, 0 at EOF (or EIO on a pty), -1 when nothing now. */
static ssize_t read_some(struct eproc *p, int fd, const char *kind)
{
    char buf[PIPE_READ_MAX];
    size_t max = p->pty ? PTY_READ_MAX : PIPE_READ_MAX;
    ssize_t n = read(fd, buf, max);
    if (n > 0) {
        bool is_err = strcmp(kind, "stderr") == 0;
        p->bytes[p->pty ? 2 : is_err] += (uint64_t)n;
        if (p->capture) proclog_out_feed(p->capture, is_err, buf, (size_t)n, plog_output, p);
        fan_out(p, kind, buf, (size_t)n);
        return n;
    }
    if (n == 0 || (n < 0 && errno == EIO)) return 0;
    if (errno == EAGAIN || errno == EINTR) return -1;
    return 0; /* any other error: treat as the end of this output */
}

static void out_closed(struct eproc *p, int fd)
{
    if (fd == p->out_fd) {
        if (p->out_w) denvd_fd_close(p->out_w);
        p->out_w = NULL;
        if (p->pty) p->in_fd = -1;
        p->out_fd = -1;
    } else if (fd == p->err_fd) {
        if (p->err_w) denvd_fd_close(p->err_w);
        p->err_w = NULL;
        p->err_fd = -1;
    }
    /* the last output of an exited process closed: now it ends */
    if (p->exit_known && !p->exited && p->out_fd < 0 && p->err_fd < 0) proc_finish(p);
}

static void flush_input(struct eproc *p);

static void on_output(void *arg, int fd, int what)
{
    struct eproc *p = arg;
    if (what & ENVD_FD_WRITE) {
        flush_input(p);
        if (fd != p->out_fd) return;
    }
    if (what & ENVD_FD_READ) {
        const char *kind = p->pty ? "pty" : (fd == p->err_fd ? "stderr" : "stdout");
        if (read_some(p, fd, kind) == 0) {
            out_closed(p, fd);
            return;
        }
    }
    if (what & ENVD_FD_HUP) {
        /* lws reports a hang-up without a final read: take what is left, then close */
        const char *kind = p->pty ? "pty" : (fd == p->err_fd ? "stderr" : "stdout");
        for (int i = 0; i < 64 && read_some(p, fd, kind) > 0; i++)
            ;
        out_closed(p, fd);
    }
}

/* ---- input ---- */

static void flush_input(struct eproc *p)
{
    while (p->inq.len && p->in_fd >= 0) {
        ssize_t n = write(p->in_fd, p->inq.data, p->inq.len);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) break;
            buf_reset(&p->inq); /* the reader is gone */
            break;
        }
        buf_consume(&p->inq, (size_t)n);
    }
    struct denvd_fdw *w = p->pty ? p->out_w : p->in_w;
    if (w) denvd_fd_want_write(w, p->inq.len > 0);
    if (!p->inq.len && p->stdin_closing && !p->pty && p->in_fd >= 0) {
        if (p->in_w)
            denvd_fd_close(p->in_w);
        else
            close(p->in_fd);
        p->in_w = NULL;
        p->in_fd = -1;
    }
}

static void on_stdin(void *arg, int fd, int what)
{
    struct eproc *p = arg;
    (void)fd;
    if (what & ENVD_FD_WRITE) flush_input(p);
    if ((what & ENVD_FD_HUP) && p->in_w) {
        denvd_fd_close(p->in_w);
        p->in_w = NULL;
        p->in_fd = -1;
        buf_reset(&p->inq);
    }
}

static int proc_input(struct eproc *p, enum denvd_input_kind kind, const struct buf *data,
                      struct denvd_reply *r)
{
    if (kind == ENVD_INPUT_NONE)
        return denvd_reply_error(r, CONNECT_UNIMPLEMENTED, "invalid input type");
    /* envd's texts (handler.go WriteTty / WriteStdin) */
    if (kind == ENVD_INPUT_PTY && !p->pty)
        return denvd_reply_error(r, CONNECT_INTERNAL,
                                 "error writing to tty: tty not assigned to process — input "
                                 "should be written to the stdin, not the tty");
    if (kind == ENVD_INPUT_STDIN && p->pty)
        return denvd_reply_error(r, CONNECT_INTERNAL,
                                 "error writing to stdin: tty assigned to process — input "
                                 "should be written to the pty, not the stdin");
    if (p->in_fd < 0 || p->stdin_closing)
        return denvd_reply_error(r, CONNECT_INTERNAL,
                                 "error writing to stdin: stdin not enabled or closed");
    if (p->inq.len + data->len > (8u << 20))
        return denvd_reply_error(r, CONNECT_RESOURCE_EXHAUSTED, "input queue full");
    if (buf_append(&p->inq, data->data ? data->data : "", data->len) < 0)
        return denvd_reply_error(r, CONNECT_INTERNAL, "out of memory");
    flush_input(p);
    return 0;
}

/* ---- table ---- */

static struct eproc *proc_find(struct denvd_sbx *s, const struct denvd_selector *sel,
                               bool include_exited)
{
    for (struct eproc *p = s->procs; p; p = p->next) {
        if (p->exited && !include_exited) continue;
        if (sel->has_pid ? p->pid == sel->pid : (p->tag && strcmp(p->tag, sel->tag) == 0)) return p;
    }
    return NULL;
}

static int not_found(struct denvd_reply *r, const struct denvd_selector *sel)
{
    if (sel->has_pid)
        return denvd_reply_error(r, CONNECT_NOT_FOUND, "process with pid %u not found", sel->pid);
    return denvd_reply_error(r, CONNECT_NOT_FOUND, "process with tag %s not found", sel->tag);
}

static void proc_unlink(struct eproc *p)
{
    struct eproc **pp = &p->sbx->procs;
    while (*pp && *pp != p)
        pp = &(*pp)->next;
    if (*pp) *pp = p->next;
}

static void proc_close_fds(struct eproc *p)
{
    if (p->out_w)
        denvd_fd_close(p->out_w);
    else if (p->out_fd >= 0)
        close(p->out_fd);
    if (p->err_w)
        denvd_fd_close(p->err_w);
    else if (p->err_fd >= 0)
        close(p->err_fd);
    if (!p->pty) {
        if (p->in_w)
            denvd_fd_close(p->in_w);
        else if (p->in_fd >= 0)
            close(p->in_fd);
    }
    p->out_w = p->err_w = p->in_w = NULL;
    p->out_fd = p->err_fd = p->in_fd = -1;
}

static void proc_free(struct eproc *p)
{
    while (p->streams)
        stream_end(p->streams, CONNECT_UNAVAILABLE, "sandbox is gone");
    proc_close_fds(p);
    denvd_timer_stop(p->retain);
    denvd_timer_stop(p->kill_at);
    buf_free(&p->inq);
    buf_free(&p->end_json);
    if (p->capture) proclog_out_free(p->capture);
    free(p->capture);
    for (int i = 0; i < 3; i++)
        buf_free(&p->held[i]);
    cJSON_Delete(p->config);
    free(p->tag);
    free(p);
}

static void retain_fire(void *arg)
{
    struct eproc *p = arg;
    p->retain = NULL;
    proc_unlink(p);
    proc_free(p);
}

static void send_end_json(struct estream *s, const struct buf *end_json)
{
    cJSON *ev = cJSON_ParseWithLength(end_json->data, end_json->len);
    if (ev) stream_send(s, event_wrap("end", ev));
}

void denvd_process_exited(struct denvd_sbx *s, pid_t pid, int exit_code, int signo)
{
    struct eproc *p = NULL;
    for (struct eproc *q = s->procs; q; q = q->next)
        if (!q->exit_known && q->pid == (uint32_t)pid) p = q;
    if (!p) return;
    p->exit_known = true;
    p->exit_code = exit_code;
    p->signo = signo;
    /* Output written just before the exit is still in the fds: deliver it first. When no
     * one else holds them, this reaches EOF and the process ends here (out_closed). */
    for (int i = 0; i < 256 && p->out_fd >= 0 && !p->exited; i++) {
        ssize_t n = read_some(p, p->out_fd, p->pty ? "pty" : "stdout");
        if (n == 0) out_closed(p, p->out_fd);
        if (n <= 0) break;
    }
    for (int i = 0; i < 256 && p->err_fd >= 0 && !p->exited; i++) {
        ssize_t n = read_some(p, p->err_fd, "stderr");
        if (n == 0) out_closed(p, p->err_fd);
        if (n <= 0) break;
    }
    if (!p->exited && (p->end_now || (p->out_fd < 0 && p->err_fd < 0))) proc_finish(p);
}

/* envd's process_end line (and the output lines still unfinished before it), stamped now. */
static void plog_end(struct eproc *p, int exit_code, int signo)
{
    if (p->capture) proclog_out_flush(p->capture, plog_output, p);
    struct proclog_ids ids;
    char msg[64];
    plog_ids(p, &ids);
    snprintf(msg, sizeof msg, "Process with pid %u ended", p->pid);
    plog(p->sbx, LOG_INFO, msg,
         proclog_end_raw(&ids, p->pid, exit_code, signo, p->bytes[0], p->bytes[1], p->bytes[2]));
}

/* The end: the process exited and its outputs are closed (or it was killed/timed out). */
static void proc_finish(struct eproc *p)
{
    struct denvd_sbx *s = p->sbx;
    int exit_code = p->exit_code, signo = p->signo;
    p->exited = true;
    plog_end(p, exit_code, signo);
    denvd_timer_stop(p->kill_at);
    p->kill_at = NULL;
    char status[96];
    proclog_status_text(exit_code, signo, status, sizeof status);
    cJSON *end = cJSON_CreateObject();
    int code = signo > 0 ? -1 : exit_code;
    if (code != 0) cJSON_AddNumberToObject(end, "exitCode", code);
    if (signo <= 0) cJSON_AddBoolToObject(end, "exited", 1);
    cJSON_AddStringToObject(end, "status", status);
    if (code != 0) cJSON_AddStringToObject(end, "error", status);
    pjson_print(&p->end_json, end);
    cJSON_Delete(end);
    while (p->streams) {
        struct estream *st = p->streams;
        send_end_json(st, &p->end_json);
        stream_end(st, CONNECT_OK, NULL);
    }
    /* ended early (killed, timed out) while a background child holds the outputs: envd
     * stops reading them too */
    proc_close_fds(p);
    p->retain = denvd_timer_start(s->e, END_RETAIN_MS, retain_fire, p);
}

void denvd_process_sbx_cut(struct denvd_sbx *s)
{
    for (struct eproc *p = s->procs; p; p = p->next)
        while (p->streams) {
            struct estream *st = p->streams;
            struct denvd_conn_owner none = {NULL, NULL, NULL};
            denvd_conn_set_owner(st->conn, &none);
            denvd_conn_abort(st->conn);
            stream_unlink(st);
            free(st);
        }
}

void denvd_process_sbx_stopped(struct denvd_sbx *s)
{
    for (struct eproc *p = s->procs; p; p = p->next) {
        if (p->exited) continue;
        /* the stop killed it (the runtime SIGKILLs the tree); an exit the runtime already
         * reported keeps its own status. Streams are left to the caller: they are cut. */
        bool known = p->exit_known;
        p->exited = true;
        plog_end(p, known ? p->exit_code : -1, known ? p->signo : SIGKILL);
    }
}

void denvd_process_sbx_free(struct denvd_sbx *s)
{
    while (s->procs) {
        struct eproc *p = s->procs;
        s->procs = p->next;
        while (p->streams) {
            struct estream *st = p->streams;
            struct denvd_conn_owner none = {NULL, NULL, NULL};
            denvd_conn_set_owner(st->conn, &none);
            denvd_conn_abort(st->conn); /* "a stream whose sandbox dies is cut" */
            stream_unlink(st);
            free(st);
        }
        proc_free(p);
    }
}

/* ---- Start ---- */

static int env_add(char ***envp, size_t *n, const char *k, const char *v)
{
    size_t klen = strlen(k);
    for (size_t i = 0; i < *n; i++) /* later wins */
        if (strncmp((*envp)[i], k, klen) == 0 && (*envp)[i][klen] == '=') {
            free((*envp)[i]);
            (*envp)[i] = NULL;
            memmove(&(*envp)[i], &(*envp)[i + 1], (*n - i - 1) * sizeof **envp);
            (*n)--;
            break;
        }
    char **nv = realloc(*envp, (*n + 2) * sizeof **envp);
    if (!nv) return -1;
    *envp = nv;
    size_t len = klen + strlen(v) + 2;
    nv[*n] = malloc(len);
    if (!nv[*n]) return -1;
    snprintf(nv[*n], len, "%s=%s", k, v);
    (*n)++;
    nv[*n] = NULL;
    return 0;
}

static void env_free(char **envp, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(envp[i]);
    free(envp);
}

static int set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* A process in the table with its fds in the loop; takes tag and config (freed on failure,
 * when the caller still owns rp's fds). */
static struct eproc *proc_add(struct denvd_sbx *sbx, const struct rt_proc *rp, bool pty, char *tag,
                              cJSON *config)
{
    struct eproc *p = calloc(1, sizeof *p);
    if (!p) {
        free(tag);
        cJSON_Delete(config);
        return NULL;
    }
    struct envd *e = sbx->e;
    p->sbx = sbx;
    p->pid = (uint32_t)rp->pid;
    p->tag = tag;
    p->pty = pty;
    p->config = config;
    if (p->pty) {
        p->out_fd = p->in_fd = rp->pty_fd;
        p->err_fd = -1;
    } else {
        p->out_fd = rp->stdout_fd;
        p->err_fd = rp->stderr_fd;
        p->in_fd = rp->stdin_fd;
    }
    if (p->out_fd >= 0) {
        set_nonblock(p->out_fd);
        p->out_w = denvd_fd_watch(e, p->out_fd, on_output, p);
    }
    if (p->err_fd >= 0) {
        set_nonblock(p->err_fd);
        p->err_w = denvd_fd_watch(e, p->err_fd, on_output, p);
    }
    if (!p->pty && p->in_fd >= 0) {
        set_nonblock(p->in_fd);
        p->in_w = denvd_fd_watch(e, p->in_fd, on_stdin, p);
    }
    p->next = sbx->procs;
    sbx->procs = p;
    if (!p->pty && (p->capture = malloc(sizeof *p->capture))) proclog_out_init(p->capture);
    return p;
}

static void adopt_one(void *ud, const struct rt_adopted *a)
{
    struct denvd_sbx *sbx = ud;
    char *tag = NULL;
    cJSON *config = NULL;
    char op[24];
    int64_t deadline = 0;
    if (procmeta_parse(a->meta, a->metalen, op, sizeof op, &deadline, &tag, &config) < 0)
        config = cJSON_CreateObject();
    struct eproc *p = proc_add(sbx, &a->proc, a->pty, tag, config);
    if (p) {
        snprintf(p->op_id, sizeof p->op_id, "%s", op);
        p->holding = true;
        if (deadline > 0) { /* the time limit it was started with goes on where it was */
            int64_t left = deadline - loop_wall_ms();
            p->kill_at = denvd_timer_start(sbx->e, left > 0 ? left : 0, kill_at_fire, p);
        }
        /* new Starts must not reuse a running process's operation_id */
        unsigned long long v = strtoull(op, NULL, 10);
        if (v > sbx->op_seq) denvd_ops_reserve(sbx, v);
    } else {
        int fds[] = {a->proc.pty_fd, a->proc.stdin_fd, a->proc.stdout_fd, a->proc.stderr_fd};
        for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
            if (fds[i] >= 0) close(fds[i]);
    }
}

int denvd_process_adopt(struct denvd_sbx *s)
{
    struct error err;
    int n = rt_procs_adopt(s->e->host.rt, s->rt, adopt_one, s, &err);
    char msg[sizeof err.msg + 64];
    if (n > 0)
        snprintf(msg, sizeof msg, "took back %d process%s after a boxtopd restart", n,
                 n == 1 ? "" : "es");
    else if (n < 0)
        snprintf(msg, sizeof msg, "could not take back the running processes: %s", err.msg);
    if (n != 0) plog(s, n > 0 ? LOG_INFO : LOG_WARN, msg, cJSON_CreateObject());
    return n;
}

static int proc_start(struct denvd_call *c, const cJSON *msg, struct denvd_conn *conn,
                      struct denvd_reply *r)
{
    struct denvd_start_req req;
    struct error err;
    uint64_t op = denvd_ops_next(c->sbx); /* every Start/Connect RPC takes an operation_id */
    if (denvd_parse_start(msg, &req, &err) < 0)
        return denvd_reply_error(r, CONNECT_INVALID_ARGUMENT, "%s", err.msg);
    int rc = -1;
    char cwd[ENVD_PATH_MAX];
    char **envp = NULL;
    size_t nenv = 0;
    const char **argv = NULL;
    struct denvd_sandbox_info info;
    memset(&info, 0, sizeof info);
    c->e->host.sandbox_get(c->e->host.ud, c->sbx->id, &info);

    const char *want = req.cwd ? req.cwd : info.default_workdir ? info.default_workdir : "";
    if (denvd_path_resolve(want, c->home, cwd, sizeof cwd, &err) < 0) {
        denvd_reply_error(r, CONNECT_INVALID_ARGUMENT, "invalid cwd: %s", err.msg);
        goto out;
    }
    struct stat st;
    struct denvd_cred cred;
    denvd_cred_enter(c, &cred);
    int src = cf_stat(c->root_fd, cwd, &st);
    denvd_cred_leave(&cred);
    if (src < 0 || !S_ISDIR(st.st_mode)) {
        denvd_reply_error(r, CONNECT_INVALID_ARGUMENT, "cwd '%s' does not exist", cwd);
        goto out;
    }
    /* envd's environment: PATH, the user's HOME/USER/LOGNAME, E2B globals, sandbox env
     * vars, then the request's envs (later wins); nothing else, not even TERM for a PTY (the
     * SDK and CLI send their own). */
    if (env_add(&envp, &nenv, "PATH", RT_DEFAULT_PATH) < 0 ||
        env_add(&envp, &nenv, "HOME", c->home) < 0 || env_add(&envp, &nenv, "USER", c->user) < 0 ||
        env_add(&envp, &nenv, "LOGNAME", c->user) < 0 ||
        env_add(&envp, &nenv, "E2B_SANDBOX", "true") < 0 ||
        env_add(&envp, &nenv, "E2B_SANDBOX_ID", c->sbx->id) < 0 ||
        (info.template_id && env_add(&envp, &nenv, "E2B_TEMPLATE_ID", info.template_id) < 0)) {
        denvd_reply_error(r, CONNECT_INTERNAL, "out of memory");
        goto out;
    }
    const cJSON *ev;
    if (info.env_vars)
        cJSON_ArrayForEach(ev, info.env_vars) if (cJSON_IsString(ev) && ev->string)
            env_add(&envp, &nenv, ev->string, ev->valuestring);
    for (size_t i = 0; i < req.nenvs; i++)
        if (env_add(&envp, &nenv, req.env_keys[i], req.env_vals[i]) < 0) {
            denvd_reply_error(r, CONNECT_INTERNAL, "out of memory");
            goto out;
        }
    argv = calloc(req.nargs + 2, sizeof *argv);
    if (!argv) {
        denvd_reply_error(r, CONNECT_INTERNAL, "out of memory");
        goto out;
    }
    argv[0] = req.cmd;
    for (size_t i = 0; i < req.nargs; i++)
        argv[i + 1] = req.args[i];

    struct rt_spawn sp = {
        .argv = argv,
        .envp = (const char *const *)envp,
        .cwd = cwd,
        .user = c->user,
        .pty = req.pty.present,
        .rows = req.pty.rows ? (int)req.pty.rows : 24,
        .cols = req.pty.cols ? (int)req.pty.cols : 80,
        .want_stdin = !req.has_stdin || req.stdin_on,
        .envd_wrap = true, /* handler.go New: every command runs through envd's wrapper */
        .keep = true,      /* the process outlives a boxtopd crash with its stdio */
    };
    struct buf meta = BUF_INIT; /* kept by init for a boxtopd restarted after a crash */
    char op_id[24];
    snprintf(op_id, sizeof op_id, "%llu", (unsigned long long)op);
    int64_t deadline = c->timeout_ms > 0 ? loop_wall_ms() + c->timeout_ms : 0;
    if (procmeta_build(&meta, op_id, deadline, req.tag,
                       cJSON_GetObjectItemCaseSensitive(msg, "process"), PROCMETA_MAX) == 0) {
        sp.meta = meta.data;
        sp.metalen = meta.len;
    }
    struct rt_proc rp;
    int src2 = rt_spawn(c->e->host.rt, c->sbx->rt, &sp, &rp, &err);
    buf_free(&meta);
    if (src2 < 0) {
        denvd_reply_error(r, CONNECT_INVALID_ARGUMENT, "error starting process: %s", err.msg);
        goto out;
    }
    struct eproc *p =
        proc_add(c->sbx, &rp, req.pty.present, req.tag ? strdup(req.tag) : NULL,
                 cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(msg, "process"), 1));
    if (!p) {
        struct error e2;
        rt_signal(c->e->host.rt, c->sbx->rt, rp.pid, SIGKILL, &e2);
        denvd_reply_error(r, CONNECT_INTERNAL, "out of memory");
        goto out;
    }
    snprintf(p->op_id, sizeof p->op_id, "%llu", (unsigned long long)op);
    {
        struct proclog_ids ids;
        char line[64];
        char *command = proclog_command(req.cmd, req.args, req.nargs);
        plog_ids(p, &ids);
        snprintf(line, sizeof line, "Process with pid %u started", p->pid);
        plog(c->sbx, LOG_INFO, line,
             command ? proclog_start_raw(&ids, p->pid, command,
                                         c->timeout_ms > 0 ? (double)c->timeout_ms : 0)
                     : NULL);
        free(command);
    }
    if (c->timeout_ms > 0) p->kill_at = denvd_timer_start(c->e, c->timeout_ms, kill_at_fire, p);
    struct estream *s = stream_attach(c, p, conn, true);
    if (!s) {
        denvd_reply_error(r, CONNECT_INTERNAL, "out of memory");
        goto out;
    }
    send_start(s);
    keepalive_reset(s);
    rc = 0;
out:
    free(argv);
    env_free(envp, nenv);
    denvd_start_req_free(&req);
    return rc;
}

static int proc_connect(struct denvd_call *c, const cJSON *msg, struct denvd_conn *conn,
                        struct denvd_reply *r)
{
    struct denvd_selector sel;
    struct error err;
    int src = denvd_parse_selector(msg, "process", &sel, &err);
    if (src < 0)
        return denvd_reply_error(
            r, src == DENVD_SELECTOR_EMPTY ? CONNECT_UNIMPLEMENTED : CONNECT_INVALID_ARGUMENT, "%s",
            err.msg);
    denvd_ops_next(c->sbx); /* every Start/Connect RPC takes an operation_id */
    struct eproc *p = proc_find(c->sbx, &sel, false);
    if (!p) p = proc_find(c->sbx, &sel, true);
    if (!p) return not_found(r, &sel);
    struct estream *s = stream_attach(c, p, conn, false);
    if (!s) return denvd_reply_error(r, CONNECT_INTERNAL, "out of memory");
    send_start(s);
    if (p->holding) replay_held(p, s);
    if (p->exited) {
        send_end_json(s, &p->end_json);
        stream_end(s, CONNECT_OK, NULL);
        return 0;
    }
    keepalive_reset(s);
    return 0;
}

int denvd_process_stream(struct denvd_call *c, const char *method, const cJSON *msg,
                         struct denvd_conn *conn, struct denvd_reply *r)
{
    if (strcmp(method, "Start") == 0) return proc_start(c, msg, conn, r);
    if (strcmp(method, "Connect") == 0) return proc_connect(c, msg, conn, r);
    return denvd_reply_error(r, CONNECT_UNIMPLEMENTED, "process.Process/%s is not a stream",
                             method);
}

/* ---- unary ---- */

static int proc_list(struct denvd_call *c, struct denvd_reply *r)
{
    cJSON *resp = cJSON_CreateObject();
    cJSON *arr = NULL;
    for (struct eproc *p = c->sbx->procs; p; p = p->next) {
        if (p->exited) continue;
        if (!arr) arr = cJSON_AddArrayToObject(resp, "processes");
        cJSON *pi = cJSON_CreateObject();
        cJSON_AddItemToObject(pi, "config",
                              p->config ? cJSON_Duplicate(p->config, 1) : cJSON_CreateObject());
        cJSON_AddNumberToObject(pi, "pid", p->pid);
        if (p->tag) cJSON_AddStringToObject(pi, "tag", p->tag);
        cJSON_AddItemToArray(arr, pi);
    }
    return denvd_reply_json(r, resp);
}

int denvd_process_lookup(struct denvd_call *c, const cJSON *msg, struct denvd_reply *r)
{
    struct denvd_selector sel;
    struct error err;
    int src = denvd_parse_selector(msg, "process", &sel, &err);
    if (src < 0)
        return denvd_reply_error(
            r, src == DENVD_SELECTOR_EMPTY ? CONNECT_UNIMPLEMENTED : CONNECT_INVALID_ARGUMENT, "%s",
            err.msg);
    return proc_find(c->sbx, &sel, false) ? 0 : not_found(r, &sel);
}

int denvd_process_unary(struct denvd_call *c, const char *method, const cJSON *msg,
                        struct denvd_reply *r)
{
    if (strcmp(method, "List") == 0) return proc_list(c, r);
    bool known = strcmp(method, "SendInput") == 0 || strcmp(method, "Update") == 0 ||
                 strcmp(method, "SendSignal") == 0 || strcmp(method, "CloseStdin") == 0;
    if (!known) /* as Connect's router: an unknown procedure is not found */
        return denvd_reply_error(r, CONNECT_NOT_FOUND, "unknown procedure process.Process/%s",
                                 method);
    struct denvd_selector sel;
    struct error err, serr;
    int src = denvd_parse_selector(msg, "process", &sel, &serr);
    if (src < 0 && src != DENVD_SELECTOR_EMPTY)
        return denvd_reply_error(r, CONNECT_INVALID_ARGUMENT, "%s", serr.msg);
    /* the whole message is decoded before any lookup, as protojson does: a bad enum or
     * base64 is invalid_argument whether or not the process exists */
    struct denvd_input in = {ENVD_INPUT_NONE, BUF_INIT};
    int signo = 0;
    if ((strcmp(method, "SendInput") == 0 &&
         denvd_parse_input(cJSON_GetObjectItemCaseSensitive(msg, "input"), &in, &err) < 0) ||
        (strcmp(method, "SendSignal") == 0 && denvd_parse_signal(msg, &signo, &err) < 0)) {
        buf_free(&in.data);
        return denvd_reply_error(r, CONNECT_INVALID_ARGUMENT, "%s", err.msg);
    }
    if (src == DENVD_SELECTOR_EMPTY) {
        buf_free(&in.data);
        return denvd_reply_error(r, CONNECT_UNIMPLEMENTED, "%s", serr.msg);
    }
    struct eproc *p = proc_find(c->sbx, &sel, false);
    if (!p) {
        buf_free(&in.data);
        return not_found(r, &sel);
    }

    if (strcmp(method, "SendInput") == 0) {
        int rc = proc_input(p, in.kind, &in.data, r);
        buf_free(&in.data);
        return rc < 0 ? rc : denvd_reply_json(r, cJSON_CreateObject());
    }
    if (strcmp(method, "Update") == 0) {
        struct denvd_pty_size pty;
        if (denvd_parse_pty(msg, &pty, &err) < 0)
            return denvd_reply_error(r, CONNECT_INVALID_ARGUMENT, "%s", err.msg);
        if (pty.present) {
            if (!p->pty || p->out_fd < 0)
                return denvd_reply_error(r, CONNECT_INTERNAL,
                                         "error resizing tty: tty not assigned to process");
            if (rt_pty_resize(p->out_fd, (int)pty.rows, (int)pty.cols) < 0)
                return denvd_reply_error(r, CONNECT_INTERNAL, "error resizing tty: %s",
                                         strerror(errno));
        }
        return denvd_reply_json(r, cJSON_CreateObject());
    }
    if (strcmp(method, "SendSignal") == 0) {
        if (signo == 0) return denvd_reply_error(r, CONNECT_UNIMPLEMENTED, "invalid signal");
        /* envd (handler.go SendSignal) stops waiting for the outputs on KILL and TERM */
        if (signo == SIGKILL || signo == SIGTERM) p->end_now = true;
        if (p->exit_known) { /* reaped already: its pid may be another's; the end is due now */
            if (p->end_now) proc_finish(p);
            return denvd_reply_json(r, cJSON_CreateObject());
        }
        if (rt_signal(c->e->host.rt, c->sbx->rt, (pid_t)p->pid, signo, &err) < 0)
            return denvd_reply_error(r, CONNECT_INTERNAL, "error sending signal: %s", err.msg);
        return denvd_reply_json(r, cJSON_CreateObject());
    }
    /* CloseStdin */
    if (p->pty)
        return denvd_reply_error(r, CONNECT_UNKNOWN,
                                 "error closing stdin: cannot close stdin for PTY process — "
                                 "send Ctrl+D (0x04) instead");
    p->stdin_closing = true;
    /* init's copy too, else the process never sees EOF; best effort (init unreachable =
     * the sandbox is going away anyway) */
    rt_close_stdin(c->e->host.rt, c->sbx->rt, (pid_t)p->pid, &err);
    flush_input(p);
    return denvd_reply_json(r, cJSON_CreateObject());
}
