/* tpl_sandbox.c - a template's env, start and ready commands for its sandboxes
 * (tpl_sandbox.h). */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

#include "boxtop/loop.h"
#include "runtime/runtime.h"
#include "sandbox.h"
#include "server.h"
#include "tpl.h"
#include "tpl_sandbox.h"

#define READY_FIRST_MS 50   /* first retry of a failed ready command ... */
#define READY_EVERY_MS 1000 /* ... doubling up to this */

cJSON *tpl_sandbox_env(const struct tpl_build *b, cJSON *req)
{
    if (!b->envs || !cJSON_GetArraySize(b->envs)) return req;
    cJSON *o = cJSON_Duplicate(b->envs, true);
    if (!o) return req;
    cJSON *e;
    cJSON_ArrayForEach(e, req)
    {
        if (!e->string) continue;
        cJSON_DeleteItemFromObjectCaseSensitive(o, e->string);
        cJSON_AddItemToObject(o, e->string, cJSON_Duplicate(e, true));
    }
    cJSON_Delete(req);
    return o;
}

/* `bash -l -c script` in s as the template's user, in its workdir, with s's env vars. */
static int spawn_script(struct daemon *d, struct sbx *s, const char *user, const char *workdir,
                        const char *script, struct rt_proc *pr, struct error *err)
{
    uid_t uid;
    gid_t gid;
    const char *home = NULL;
    if (!s->rt || rt_user_ids(s->rt, user, &uid, &gid, &home) < 0)
        return error_set(err, ERROR_GENERIC, "unknown user '%s'", user);
    const char *argv[] = {"/bin/bash", "-l", "-c", script, NULL};
    size_t n = 0, cap = (size_t)cJSON_GetArraySize(s->env_vars) + 8;
    char **envp = calloc(cap, sizeof *envp);
    if (!envp) return error_set(err, ERROR_GENERIC, "out of memory");
    if (asprintf(&envp[n], "HOME=%s", home ? home : "/") > 0) n++;
    if (asprintf(&envp[n], "USER=%s", user) > 0) n++;
    envp[n++] = strdup("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    envp[n++] = strdup("E2B_SANDBOX=true");
    if (asprintf(&envp[n], "E2B_SANDBOX_ID=%s", s->id) > 0) n++;
    const cJSON *e;
    cJSON_ArrayForEach(e, s->env_vars)
    {
        if (cJSON_IsString(e) && e->string && n + 1 < cap &&
            asprintf(&envp[n], "%s=%s", e->string, e->valuestring) > 0)
            n++;
    }
    envp[n] = NULL;
    struct rt_spawn sp = {
        .argv = argv, .envp = (const char *const *)envp, .cwd = workdir, .user = user};
    int rc = rt_spawn(d->rt, s->rt, &sp, pr, err);
    for (size_t i = 0; i < n; i++)
        free(envp[i]);
    free(envp);
    if (rc < 0) return -1;
    if (pr->stdin_fd >= 0) close(pr->stdin_fd);
    if (pr->stderr_fd >= 0) close(pr->stderr_fd);
    if (pr->pty_fd >= 0) close(pr->pty_fd);
    pr->stdin_fd = pr->stderr_fd = pr->pty_fd = -1;
    return 0;
}

int tpl_sandbox_start_cmd(struct daemon *d, struct sbx *s, const struct tpl_build *b,
                          struct error *err)
{
    if (!b->start_cmd || !b->start_cmd[0] || !s->rt) return 0;
    char *cmd = NULL;
    if (asprintf(&cmd, "exec </dev/null >/dev/null 2>&1; %s", b->start_cmd) < 0)
        return error_set(err, ERROR_GENERIC, "out of memory");
    struct rt_proc pr;
    int rc = spawn_script(d, s, b->user ? b->user : "user", b->workdir, cmd, &pr, err);
    free(cmd);
    if (rc < 0) return error_prefix(err, "start command");
    if (pr.stdout_fd >= 0) close(pr.stdout_fd);
    sbx_log(s, LOG_INFO, NULL, "start command running (pid %d)", (int)pr.pid);
    return 0;
}

/* ------------------------------------------------------------------ the ready wait */

/* One create request waiting for its sandbox's ready command. The command runs with its
 * output thrown away; the wrapper prints its exit status, so EOF on the pipe ends a try even
 * when the command left a background child behind. Owned by the request: freed in on_close. */
struct ready_wait {
    struct daemon *d;
    struct server_request *req; /* NULL once answered */
    cJSON *created;             /* the 201 body */
    char sbx_id[IDS_SANDBOX_MAX + 1];
    char *script, *user, *workdir, *cmd, *tpl_alias;
    struct server_timer *retry, *limit;
    struct server_fd *w;
    int fd;
    char out[32];
    size_t out_len;
    int delay_ms, tries, last_status;
    int64_t started_ms, timeout_ms;
};

static void try_ready(struct server_timer *t, void *ud);

static void stop_try(struct ready_wait *rw)
{
    if (rw->w) server_unwatch_fd(rw->w);
    rw->w = NULL;
    if (rw->fd >= 0) close(rw->fd);
    rw->fd = -1;
    rw->out_len = 0;
}

static void answer(struct ready_wait *rw, bool ok, const char *why)
{
    struct server_request *req = rw->req;
    rw->req = NULL;
    stop_try(rw);
    server_timer_stop(rw->retry);
    server_timer_stop(rw->limit);
    struct sbx *s = sbx_find(rw->d, rw->sbx_id);
    if (!req) return;
    if (ok && s) {
        sbx_log(s, LOG_INFO, NULL, "ready command passed after %d tries (%lld ms)", rw->tries,
                (long long)(loop_now_ms() - rw->started_ms));
        server_respond_json(req, 201, rw->created);
        rw->created = NULL;
        return;
    }
    if (!why) why = "the sandbox was removed while waiting for its template's ready command";
    struct error err;
    if (s) {
        sbx_log(s, LOG_ERROR, NULL, "%s", why);
        sbx_kill(rw->d, s, "ready command failed", &err);
    }
    server_respond_error(req, 500, "%s", why);
}

static void on_out(struct server_fd *w, int fd, int events, void *ud)
{
    (void)w;
    struct ready_wait *rw = ud;
    bool eof = (events & SERVER_FD_CLOSED) != 0;
    for (;;) {
        char tmp[256];
        ssize_t n = read(fd, tmp, sizeof tmp);
        if (n > 0) {
            size_t k = (size_t)n;
            if (k > sizeof rw->out - 1 - rw->out_len) k = sizeof rw->out - 1 - rw->out_len;
            memcpy(rw->out + rw->out_len, tmp, k);
            rw->out_len += k;
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n == 0 || errno != EAGAIN) eof = true;
        break;
    }
    if (!eof) return;
    if (events & SERVER_FD_CLOSED) rw->w = NULL; /* the server freed the watch */
    rw->out[rw->out_len] = '\0';
    rw->last_status = rw->out_len ? atoi(rw->out) : -1;
    stop_try(rw);
    if (rw->last_status == 0) {
        answer(rw, true, NULL);
        return;
    }
    server_timer_start(rw->retry, rw->delay_ms);
    rw->delay_ms = rw->delay_ms * 2 > READY_EVERY_MS ? READY_EVERY_MS : rw->delay_ms * 2;
}

static void try_ready(struct server_timer *t, void *ud)
{
    (void)t;
    struct ready_wait *rw = ud;
    struct sbx *s = sbx_find(rw->d, rw->sbx_id);
    if (!rw->req) return;
    if (!s || !sbx_is_running(s)) {
        answer(rw, false, "the sandbox stopped while waiting for its template's ready command");
        return;
    }
    /* again now that lws is done with the body: it arms its timeout after the handler ran */
    server_request_hold(rw->req);
    struct rt_proc pr;
    struct error err;
    rw->tries++;
    if (spawn_script(rw->d, s, rw->user, rw->workdir, rw->script, &pr, &err) < 0) {
        char why[600];
        snprintf(why, sizeof why, "template '%s': ready command: %s", rw->tpl_alias, err.msg);
        answer(rw, false, why);
        return;
    }
    rw->fd = pr.stdout_fd;
    rw->w = rw->fd >= 0 ? server_watch_fd(rw->d->srv, rw->fd, on_out, rw) : NULL;
    if (!rw->w) answer(rw, false, "cannot watch the ready command");
}

static void on_limit(struct server_timer *t, void *ud)
{
    (void)t;
    struct ready_wait *rw = ud;
    char why[1200];
    snprintf(why, sizeof why,
             "template '%s': ready command '%.800s' did not pass within %llds (%d tries, last "
             "exit status %d); the sandbox was removed",
             rw->tpl_alias, rw->cmd, (long long)(rw->timeout_ms / 1000), rw->tries,
             rw->last_status);
    answer(rw, false, why);
}

static void ready_free(struct ready_wait *rw)
{
    stop_try(rw);
    server_timer_free(rw->retry);
    server_timer_free(rw->limit);
    free(rw->script);
    free(rw->user);
    free(rw->workdir);
    free(rw->cmd);
    free(rw->tpl_alias);
    cJSON_Delete(rw->created);
    free(rw);
}

static void on_close(struct server_request *req, void *ud)
{
    (void)req;
    ready_free(ud); /* answered, or the client left: the sandbox stays */
}

int tpl_sandbox_ready_wait(struct daemon *d, struct server_request *req, struct sbx *s,
                           const struct tpl *t, const struct tpl_build *b, cJSON *created,
                           struct error *err)
{
    struct ready_wait *rw = calloc(1, sizeof *rw);
    if (!rw) {
        cJSON_Delete(created);
        return error_set(err, ERROR_GENERIC, "out of memory");
    }
    rw->created = created;
    rw->d = d;
    rw->req = req;
    rw->fd = -1;
    rw->last_status = -1;
    rw->delay_ms = READY_FIRST_MS;
    rw->started_ms = loop_now_ms();
    rw->timeout_ms = (int64_t)d->opt.ready_timeout_s * 1000;
    snprintf(rw->sbx_id, sizeof rw->sbx_id, "%s", s->id);
    rw->user = strdup(b->user ? b->user : "user");
    rw->workdir = b->workdir ? strdup(b->workdir) : NULL;
    rw->cmd = strdup(b->ready_cmd);
    rw->tpl_alias = strdup(t->alias[0] ? t->alias : t->id);
    rw->retry = server_timer_new(d->srv, try_ready, rw);
    rw->limit = server_timer_new(d->srv, on_limit, rw);
    if (asprintf(&rw->script, "(%s) </dev/null >/dev/null 2>&1; echo $?", b->ready_cmd) < 0)
        rw->script = NULL;
    if (!rw->created || !rw->user || !rw->cmd || !rw->tpl_alias || !rw->retry || !rw->limit ||
        !rw->script || (b->workdir && !rw->workdir)) {
        ready_free(rw);
        return error_set(err, ERROR_GENERIC, "out of memory");
    }
    server_request_set_close_cb(req, on_close, rw);
    server_request_hold(req);
    sbx_log(s, LOG_INFO, NULL, "waiting for the ready command: %s", b->ready_cmd);
    server_timer_start(rw->limit, rw->timeout_ms);
    server_timer_start(rw->retry, 0); /* after the handler returned (server_request_hold) */
    return 0;
}
