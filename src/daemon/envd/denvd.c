/* denvd.c - the envd object: per-sandbox state and the hooks the daemon forwards from the
 * runtime. Routing and auth: denvd_http.c; replies: denvd_reply.c; the response writer:
 * denvd_conn.c. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/runtime.h"
#include "denvd_int.h"

int denvd_new(struct envd **out, const struct envd_host *host, struct error *err)
{
    struct envd *e = calloc(1, sizeof *e);
    if (!e) return error_set(err, ERROR_GENERIC, "out of memory");
    e->host = *host;
    *out = e;
    return 0;
}

static void sbx_free(struct denvd_sbx *s)
{
    denvd_xfers_cut(s);
    denvd_process_sbx_free(s);
    denvd_watch_sbx_free(s);
    free(s);
}

void denvd_free(struct envd *e)
{
    if (!e) return;
    while (e->sbxs) {
        struct denvd_sbx *s = e->sbxs;
        e->sbxs = s->next;
        sbx_free(s);
    }
    free(e);
}

struct denvd_sbx *denvd_sbx_get(struct envd *e, const char *id, struct rt_sandbox *rt)
{
    for (struct denvd_sbx *s = e->sbxs; s; s = s->next)
        if (strcmp(s->id, id) == 0) {
            if (rt && s->rt != rt) {
                /* the sandbox was rebooted (resume after restart): old fds are gone */
                denvd_process_sbx_stopped(s);
                denvd_process_sbx_free(s);
                denvd_watch_sbx_free(s);
                s->rt = rt;
                denvd_ops_load(s);
                denvd_remove_sweep(s);
                denvd_process_adopt(s); /* none after a reboot; those kept while boxtopd was down */
            }
            return s;
        }
    if (strlen(id) >= sizeof e->sbxs->id) return NULL;
    struct denvd_sbx *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->e = e;
    s->rt = rt;
    snprintf(s->id, sizeof s->id, "%s", id);
    s->next = e->sbxs;
    e->sbxs = s;
    if (rt) {
        denvd_ops_load(s);      /* a restarted boxtopd continues its operation ids */
        denvd_remove_sweep(s);  /* and its deletions */
        denvd_process_adopt(s); /* a boxtopd restarted after a crash: its processes */
    }
    return s;
}

static int adopt_one(void *arg, const struct denvd_sandbox_info *sb)
{
    denvd_sbx_get(arg, sb->id, sb->rt);
    return 0;
}

void denvd_adopt_running(struct envd *e)
{
    if (e && e->host.sandbox_foreach) e->host.sandbox_foreach(e->host.ud, adopt_one, e);
}

void denvd_on_proc_exited(struct envd *e, struct rt_sandbox *sb, pid_t pid, int exit_code,
                          int signo)
{
    if (!e || !sb) return;
    for (struct denvd_sbx *s = e->sbxs; s; s = s->next)
        if (s->rt == sb) {
            denvd_process_exited(s, pid, exit_code, signo);
            return;
        }
}

void denvd_on_sandbox_gone(struct envd *e, const char *id, bool log_ends)
{
    if (!e || !id) return;
    for (struct denvd_sbx **pp = &e->sbxs; *pp; pp = &(*pp)->next)
        if (strcmp((*pp)->id, id) == 0) {
            struct denvd_sbx *s = *pp;
            *pp = s->next;
            if (log_ends) denvd_process_sbx_stopped(s);
            sbx_free(s);
            return;
        }
}

void denvd_on_sandbox_paused(struct envd *e, const char *id)
{
    if (!e || !id) return;
    for (struct denvd_sbx *s = e->sbxs; s; s = s->next)
        if (strcmp(s->id, id) == 0) {
            denvd_process_sbx_cut(s);
            denvd_xfers_cut(s);
            denvd_watch_sbx_free(s);
            return;
        }
}
