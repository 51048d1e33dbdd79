/* envd.c - the envd object: per-sandbox state, reply helpers, and the hooks the daemon
 * forwards from the runtime. Request routing and auth live in envd_http.c. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
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
    return s;
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

void envd_owner_names(struct envd_call *c, uid_t uid, gid_t gid, char *owner, size_t on,
                      char *group, size_t gn)
{
    /* Files carry host ids: the sandbox's ids shifted by its base (root's host uid). Show
     * them as the sandbox does: its two users by name, other ids of its range by number,
     * and ids outside the range (host files bound in) as the kernel's overflow ids, which
     * `stat` inside the sandbox shows as nobody/nogroup. */
    uid_t ru, uu;
    gid_t rg, ug;
    const char *home;
    bool have_root = rt_user_ids(c->sbx->rt, "root", &ru, &rg, &home) == 0;
    bool have_user = rt_user_ids(c->sbx->rt, "user", &uu, &ug, &home) == 0;
    if (have_user && uid == uu)
        snprintf(owner, on, "user");
    else if (have_root && uid == ru)
        snprintf(owner, on, "root");
    else if (have_root && ru != 0 && (uid < ru || uid - ru > 65535))
        snprintf(owner, on, "nobody");
    else
        snprintf(owner, on, "%u", (unsigned)(have_root ? uid - ru : uid));
    if (have_user && gid == ug)
        snprintf(group, gn, "user");
    else if (have_root && gid == rg)
        snprintf(group, gn, "root");
    else if (have_root && rg != 0 && (gid < rg || gid - rg > 65535))
        snprintf(group, gn, "nogroup");
    else
        snprintf(group, gn, "%u", (unsigned)(have_root ? gid - rg : gid));
}

int envd_reply_error(struct envd_reply *r, enum connect_code code, const char *fmt, ...)
{
    r->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->message, sizeof r->message, fmt, ap);
    va_end(ap);
    return -1;
}

int envd_reply_json(struct envd_reply *r, cJSON *msg)
{
    if (!msg) return envd_reply_error(r, CONNECT_INTERNAL, "out of memory");
    buf_reset(&r->body);
    int rc = pjson_print(&r->body, msg);
    cJSON_Delete(msg);
    if (rc < 0) return envd_reply_error(r, CONNECT_INTERNAL, "out of memory");
    r->code = CONNECT_OK;
    return 0;
}

int envd_frame_json(struct buf *out, cJSON *msg)
{
    if (!msg) return -ENOMEM;
    struct buf j = BUF_INIT;
    int rc = pjson_print(&j, msg);
    cJSON_Delete(msg);
    if (rc == 0) rc = connect_envelope_append(out, 0, j.data, j.len);
    buf_free(&j);
    return rc;
}

enum connect_code envd_errno_code(int err)
{
    if (err < 0) err = -err;
    switch (err) {
    case ENOENT:
        return CONNECT_NOT_FOUND;
    case EEXIST:
        return CONNECT_ALREADY_EXISTS;
    case ENOTDIR:
    case EISDIR:
    case EINVAL:
    case ENAMETOOLONG:
        return CONNECT_INVALID_ARGUMENT;
    case ELOOP:
        return CONNECT_FAILED_PRECONDITION;
    case EACCES:
    case EPERM:
        return CONNECT_PERMISSION_DENIED;
    case ENOSPC:
    case EDQUOT:
        return CONNECT_RESOURCE_EXHAUSTED;
    default:
        return CONNECT_INTERNAL;
    }
}
