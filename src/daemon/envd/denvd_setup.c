/* denvd_setup.c - plugs envd into boxtopd (see daemon.h): one fallback route on the envd
 * vhost that takes every request, the sandbox table as struct envd_host, and the runtime's
 * process/sandbox hooks forwarded through d->denvd_ops. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "denvd.h"
#include "sandbox.h"
#include "server.h"
#include "tpl.h"

static bool usable(const struct sbx *s)
{
    return s && sbx_is_running(s) && s->rt && !s->frozen;
}

static void fill(const struct sbx *s, struct denvd_sandbox_info *out)
{
    memset(out, 0, sizeof *out);
    out->id = s->id;
    out->token = s->secure ? s->envd_token : "";
    out->rt = s->rt;
    out->template_id = s->template_id[0] ? s->template_id : NULL;
    out->env_vars = s->env_vars;
    out->cpu_count = s->cpu_count;
    out->volume_mounts = s->volume_mounts;
    struct tpl_build *b = NULL;
    if (strcmp(s->template_id, "base") != 0 && tpl_find(s->d, s->template_id, &b) && b) {
        out->default_user = b->user;
        out->default_workdir = b->workdir;
    }
}

static int host_get(void *ud, const char *id, struct denvd_sandbox_info *out)
{
    struct daemon *d = ud;
    struct sbx *s = sbx_find(d, id);
    if (!usable(s)) return -1;
    fill(s, out);
    return 0;
}

static void host_foreach(void *ud, int (*cb)(void *arg, const struct denvd_sandbox_info *sb),
                         void *arg)
{
    struct daemon *d = ud;
    for (size_t i = 0; i < d->n_sbx; i++) {
        if (!usable(d->sbx[i])) continue;
        struct denvd_sandbox_info info;
        fill(d->sbx[i], &info);
        if (cb(arg, &info)) return;
    }
}

static void host_log(void *ud, const char *id, int level, const char *msg, const cJSON *raw)
{
    struct sbx *s = sbx_find(ud, id);
    if (s) sbx_log_raw(s, (enum log_level)level, msg, raw);
}

static void ops_proc_exited(void *ud, struct sbx *s, pid_t pid, int exit_code, int signo)
{
    struct envd *e = ud;
    if (s && s->rt) denvd_on_proc_exited(e, s->rt, pid, exit_code, signo);
}

static void ops_sandbox_stopping(void *ud, struct sbx *s, bool processes_survive, bool sandbox_ends)
{
    struct envd *e = ud;
    if (processes_survive)
        denvd_on_sandbox_paused(e, s->id);
    else
        denvd_on_sandbox_gone(e, s->id, !sandbox_ends);
}

static void ops_shutdown(void *ud)
{
    denvd_free(ud);
}

int denvd_setup(struct daemon *d, struct error *err)
{
    struct envd_host host = {
        .ud = d,
        .rt = d->rt,
        .srv = d->srv,
        .sandbox_get = host_get,
        .sandbox_foreach = host_foreach,
        .sandbox_log = host_log,
    };
    struct envd *e;
    if (denvd_new(&e, &host, err) < 0) return -1;
    struct server_route all = {
        .handler = denvd_http_handle,
        .ud = e,
        .body_mode = SERVER_BODY_STREAM, /* routing and auth before any body is read */
    };
    server_set_fallback(d->srv, SERVER_VHOST_ENVD, &all);
    d->denvd_ops.ud = e;
    d->denvd_ops.proc_exited = ops_proc_exited;
    d->denvd_ops.sandbox_stopping = ops_sandbox_stopping;
    d->denvd_ops.shutdown = ops_shutdown;
    denvd_adopt_running(e);
    return 0;
}
