/* envd.c - the envd object: per-sandbox state and the hooks the daemon forwards from the
 * runtime. Routing and auth: envd_http.c; replies: envd_reply.c; the response writer:
 * envd_conn.c. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/runtime.h"
#include "envd_int.h"

int envd_new(struct envd **out, const struct envd_host *host, struct error *err)
{
    struct envd *e = calloc(1, sizeof *e);
    if (!e) return error_set(err, ERROR_GENERIC, "out of memory");
    e->host = *host;
    *out = e;
    return 0;
}

static void sbx_free(struct envd_sbx *s)
{
    envd_process_sbx_free(s);
    envd_watch_sbx_free(s);
    free(s);
}

void envd_free(struct envd *e)
{
    if (!e) return;
    while (e->sbxs) {
        struct envd_sbx *s = e->sbxs;
        e->sbxs = s->next;
        sbx_free(s);
    }
    free(e);
}

struct envd_sbx *envd_sbx_get(struct envd *e, const char *id, struct rt_sandbox *rt)
{
    for (struct envd_sbx *s = e->sbxs; s; s = s->next)
        if (strcmp(s->id, id) == 0) {
            if (rt && s->rt != rt) {
                /* the sandbox was rebooted (resume after restart): old fds are gone */
                envd_process_sbx_free(s);
                envd_watch_sbx_free(s);
                s->rt = rt;
                envd_process_adopt(s); /* none after a reboot; those kept while boxtopd was down */
            }
            return s;
        }
    if (strlen(id) >= sizeof e->sbxs->id) return NULL;
    struct envd_sbx *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->e = e;
    s->rt = rt;
    snprintf(s->id, sizeof s->id, "%s", id);
    s->next = e->sbxs;
    e->sbxs = s;
    if (rt) envd_process_adopt(s); /* a boxtopd restarted after a crash: its processes */
    return s;
}

static int adopt_one(void *arg, const struct envd_sandbox_info *sb)
{
    envd_sbx_get(arg, sb->id, sb->rt);
    return 0;
}

void envd_adopt_running(struct envd *e)
{
    if (e && e->host.sandbox_foreach) e->host.sandbox_foreach(e->host.ud, adopt_one, e);
}

void envd_on_proc_exited(struct envd *e, struct rt_sandbox *sb, pid_t pid, int exit_code, int signo)
{
    if (!e || !sb) return;
    for (struct envd_sbx *s = e->sbxs; s; s = s->next)
        if (s->rt == sb) {
            envd_process_exited(s, pid, exit_code, signo);
            return;
        }
}

void envd_on_sandbox_gone(struct envd *e, const char *id)
{
    if (!e || !id) return;
    for (struct envd_sbx **pp = &e->sbxs; *pp; pp = &(*pp)->next)
        if (strcmp((*pp)->id, id) == 0) {
            struct envd_sbx *s = *pp;
            *pp = s->next;
            sbx_free(s);
            return;
        }
}

void envd_on_sandbox_paused(struct envd *e, const char *id)
{
    if (!e || !id) return;
    for (struct envd_sbx *s = e->sbxs; s; s = s->next)
        if (strcmp(s->id, id) == 0) {
            envd_process_sbx_cut(s);
            envd_watch_sbx_free(s);
            return;
        }
}
