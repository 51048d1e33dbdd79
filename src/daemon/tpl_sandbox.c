/* tpl_sandbox.c - a template's env and start command for its sandboxes (tpl_sandbox.h). */
#define _GNU_SOURCE
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

#include "runtime/runtime.h"
#include "sandbox.h"
#include "tpl.h"
#include "tpl_sandbox.h"

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

int tpl_sandbox_start_cmd(struct daemon *d, struct sbx *s, const struct tpl_build *b,
                          struct error *err)
{
    if (!b->start_cmd || !b->start_cmd[0] || !s->rt) return 0;
    const char *user = b->user ? b->user : "user";
    uid_t uid;
    gid_t gid;
    const char *home = NULL;
    if (rt_user_ids(s->rt, user, &uid, &gid, &home) < 0)
        return error_set(err, ERROR_GENERIC, "start command: unknown user '%s'", user);
    char *cmd = NULL;
    if (asprintf(&cmd, "exec </dev/null >/dev/null 2>&1; %s", b->start_cmd) < 0)
        return error_set(err, ERROR_GENERIC, "out of memory");
    const char *argv[] = {"/bin/bash", "-l", "-c", cmd, NULL};
    size_t n = 0, cap = (size_t)cJSON_GetArraySize(s->env_vars) + 8;
    char **envp = calloc(cap, sizeof *envp);
    if (!envp) {
        free(cmd);
        return error_set(err, ERROR_GENERIC, "out of memory");
    }
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
        .argv = argv, .envp = (const char *const *)envp, .cwd = b->workdir, .user = user};
    struct rt_proc pr;
    int rc = rt_spawn(d->rt, s->rt, &sp, &pr, err);
    for (size_t i = 0; i < n; i++)
        free(envp[i]);
    free(envp);
    free(cmd);
    if (rc < 0) return error_prefix(err, "start command");
    if (pr.stdout_fd >= 0) close(pr.stdout_fd);
    if (pr.stderr_fd >= 0) close(pr.stderr_fd);
    if (pr.stdin_fd >= 0) close(pr.stdin_fd);
    if (pr.pty_fd >= 0) close(pr.pty_fd);
    sbx_log(s, LOG_INFO, NULL, "start command running (pid %d)", (int)pr.pid);
    return 0;
}
