/* envd_glue.c - envd inside boxtopd (see envd_glue.h).
 *
 * envd sees only running sandboxes: a paused or unknown id gets E2B's proxy 502 from envd.
 * A pause that freezes the processes does not tell envd anything: its streams stall while
 * frozen and continue after connect, and its process table stays valid (the processes are
 * the same). Everything else that stops a sandbox (kill, timeout, a pause that had to stop
 * the processes, init death, shutdown) tells envd to cut streams and forget processes. */
#include "config.h"

#include <string.h>

#include <libwebsockets.h>

#include "daemon.h"
#include "envd/envd.h"
#include "envd/envd_lws.h"
#include "envd_glue.h"
#include "sandbox.h"
#include "server.h"

static const struct lws_protocols envd_protocols[] = {ENVD_LWS_PROTOCOLS,
                                                      {NULL, NULL, 0, 0, 0, NULL, 0}};

const struct lws_protocols *envd_glue_protocols(void)
{
    return envd_protocols;
}

static void fill_info(const struct sbx *s, struct envd_sandbox_info *out)
{
    memset(out, 0, sizeof *out);
    out->id = s->id;
    out->token = s->secure ? s->envd_token : "";
    out->rt = s->rt;
    out->template_id = s->template_id;
    out->env_vars = s->env_vars;
}

static int host_get(void *ud, const char *id, struct envd_sandbox_info *out)
{
    struct daemon *d = ud;
    struct sbx *s = id ? sbx_find(d, id) : NULL;
    if (!s || s->state != SBX_RUNNING || !s->rt) return -1;
    fill_info(s, out);
    return 0;
}

static void host_foreach(void *ud, int (*cb)(void *arg, const struct envd_sandbox_info *sb),
                         void *arg)
{
    struct daemon *d = ud;
    struct envd_sandbox_info info;
    for (size_t i = 0; i < d->n_sbx; i++) {
        struct sbx *s = d->sbx[i];
        if (s->state != SBX_RUNNING || !s->rt) continue;
        fill_info(s, &info);
        if (cb(arg, &info)) return;
    }
}

static void on_proc_exited(void *ud, struct sbx *s, pid_t pid, int code, int signo)
{
    if (s->rt) envd_on_proc_exited(ud, s->rt, pid, code, signo);
}

static void on_stopping(void *ud, struct sbx *s, bool processes_survive)
{
    if (!processes_survive) envd_on_sandbox_gone(ud, s->id);
}

static void on_shutdown(void *ud)
{
    envd_free(ud);
}

int envd_glue_start(struct daemon *d, struct error *err)
{
    struct envd *e;
    struct envd_host host = {
        .ud = d,
        .rt = d->rt,
        .sandbox_get = host_get,
        .sandbox_foreach = host_foreach,
    };
    if (envd_new(&e, &host, err) < 0) return -1;
    if (envd_lws_bind(e, server_lws_context(d->srv), server_lws_vhost(d->srv, SERVER_VHOST_ENVD)) <
        0) {
        envd_free(e);
        return error_set(err, ERROR_GENERIC, "cannot bind envd to its vhost");
    }
    d->envd_ops = (struct envd_ops){
        .ud = e,
        .proc_exited = on_proc_exited,
        .sandbox_stopping = on_stopping,
        .shutdown = on_shutdown,
    };
    return 0;
}
