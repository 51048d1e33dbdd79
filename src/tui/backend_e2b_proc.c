/* backend_e2b_proc.c - one sandbox's processes over envd for the E2B backend
 * (backend_remote.h): the running list (process.List, handed on as struct cmd_listed), a line
 * to stdin, a signal, and attaching to a running command's output (Process.Connect, handed on
 * as struct brem_proc_event). */
#include "config.h"

#include <stdlib.h>

#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "backend_e2b_remote.h"

static void answer_procs(struct brem_req *q, const cJSON *resp, const struct error *err)
{
    brem_procs_cb cb = (brem_procs_cb)q->cb;
    struct envd_processes ps = {0};
    struct error perr = {0};
    if (err) {
        cb(NULL, 0, err, q->ud);
        return;
    }
    if (envd_processes_parse(resp, &ps, &perr) < 0) {
        cb(NULL, 0, &perr, q->ud);
        return;
    }
    struct cmd_listed *l = calloc(ps.n ? ps.n : 1, sizeof *l);
    char **cmds = calloc(ps.n ? ps.n : 1, sizeof *cmds);
    for (size_t i = 0; l && cmds && i < ps.n; i++) {
        struct buf b = BUF_INIT; /* envd's form: cmd and args joined by spaces */
        buf_append_str(&b, ps.v[i].cmd ? ps.v[i].cmd : "");
        for (char **a = ps.v[i].args; a && *a; a++) {
            buf_append_byte(&b, ' ');
            buf_append_str(&b, *a);
        }
        cmds[i] = buf_steal(&b);
        l[i] = (struct cmd_listed){ps.v[i].pid, cmds[i], ps.v[i].cwd, ps.v[i].tag};
    }
    if (l && cmds) {
        cb(l, ps.n, NULL, q->ud);
    } else {
        error_set(&perr, ERROR_GENERIC, "%s", _("out of memory"));
        cb(NULL, 0, &perr, q->ud);
    }
    for (size_t i = 0; cmds && i < ps.n; i++)
        free(cmds[i]);
    free(cmds);
    free(l);
    envd_processes_free(&ps);
}

struct brem_req *e2b_remote_procs(struct bremote *rr, brem_procs_cb cb, void *ud, struct error *err)
{
    struct e2b_remote *r = (struct e2b_remote *)rr;
    struct brem_req *q = rcall_begin(r, answer_procs, (void (*)(void))cb, ud, err);
    return q ? rcall_started(q, envd_process_list(r->envd, xfer_call_cb, q->t, err)) : NULL;
}

int e2b_remote_input(struct bremote *rr, uint32_t pid, int pty, const void *data, size_t len,
                     brem_done_cb cb, void *ud, struct error *err)
{
    struct e2b_remote *r = (struct e2b_remote *)rr;
    struct brem_req *q = rcall_begin(r, rcall_answer_done, (void (*)(void))cb, ud, err);
    return q && rcall_started(q, envd_process_send_input(r->envd, pid, pty != 0, data, len,
                                                         xfer_call_cb, q->t, err))
               ? 0
               : -1;
}

int e2b_remote_signal(struct bremote *rr, uint32_t pid, int signo, brem_done_cb cb, void *ud,
                      struct error *err)
{
    struct e2b_remote *r = (struct e2b_remote *)rr;
    struct brem_req *q = rcall_begin(r, rcall_answer_done, (void (*)(void))cb, ud, err);
    return q && rcall_started(q, envd_process_signal(r->envd, pid, signo, xfer_call_cb, q->t, err))
               ? 0
               : -1;
}

static int on_proc(const struct envd_proc_event *ev, void *ud, struct error *err)
{
    (void)err;
    struct brem_watch *w = ud;
    struct brem_proc_event e = {0};
    switch (ev->kind) {
    case ENVD_PROC_START:
        e.kind = BREM_PROC_START;
        break;
    case ENVD_PROC_DATA:
        e.kind = BREM_PROC_DATA;
        e.is_stderr = ev->output == ENVD_OUT_STDERR;
        e.data = ev->data;
        e.len = ev->len;
        break;
    case ENVD_PROC_END:
        e.kind = BREM_PROC_END;
        e.exit_status = envd_proc_exit_status(ev);
        break;
    default:
        return 0; /* keepalives */
    }
    w->on_proc(&e, w->ud);
    return 0;
}

struct brem_watch *e2b_remote_attach(struct bremote *rr, uint32_t pid, brem_proc_cb on_event,
                                     brem_end_cb on_end, void *ud, struct error *err)
{
    struct e2b_remote *r = (struct e2b_remote *)rr;
    struct brem_watch *w = rwatch_new(r, ud, on_end, err);
    if (!w) return NULL;
    w->on_proc = on_event;
    return rwatch_started(w, envd_process_connect(r->envd, pid, on_proc, rwatch_end, w, err));
}
