/* dapi_snapshots.c - snapshot and fork routes: POST /sandboxes/{id}/snapshots, GET /snapshots,
 * DELETE /templates/{snapshotID} (how the SDK deletes a snapshot), POST /sandboxes/{id}/fork.
 * Both are copies of the sandbox's writable layer (snapshot.h); shapes and errors:
 * protocol/snapshots-volumes.md §2-3. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "boxtop/json.h"

#include "boxtop/log.h"

#include "../query.h"
#include "../runtime/runtime.h"
#include "../sandbox.h"
#include "../server.h"
#include "../snapshot.h"
#include "dapi.h"
#include "dapi_copy_wait.h"
#include "dapi_validate.h"

#define FORK_MAX_COUNT   100
#define FORK_DEFAULT_TTL 15
#define LIST_MAX         100

static cJSON *snapshot_info(const struct snapshot *s)
{
    char id[128];
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    snapshot_id(s, id, sizeof id);
    cJSON_AddStringToObject(o, "snapshotID", id);
    cJSON *names = cJSON_AddArrayToObject(o, "names");
    if (names && s->name[0]) cJSON_AddItemToArray(names, cJSON_CreateString(s->name));
    return o;
}

/* GET /snapshots adds what a list view wants (E2B's SnapshotInfo has only the two fields;
 * clients ignore unknown ones). */
static cJSON *snapshot_listed(const struct snapshot *s)
{
    cJSON *o = snapshot_info(s);
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "sandboxID", s->sandbox_id);
    json_add_time(o, "createdAt", s->created_ms);
    cJSON_AddNumberToObject(o, "sizeBytes", (double)s->bytes);
    return o;
}

static void snapshot_taken(void *ud, struct snapshot *snap, const struct error *err)
{
    struct copy_wait *w = ud;
    struct sbx *s = sbx_find(w->d, w->sbx_id);
    char id[128];
    if (snap) {
        snapshot_id(snap, id, sizeof id);
        if (s)
            sbx_log(s, LOG_INFO, NULL, "snapshot %s taken (%lld bytes)", id,
                    (long long)snap->bytes);
    } else if (s) {
        sbx_log(s, LOG_ERROR, NULL, "%s", err->msg);
    }
    cJSON *info = snap ? snapshot_info(snap) : NULL;
    struct server_request *req = copy_wait_end(w);
    if (!req) {
        cJSON_Delete(info);
        return;
    }
    if (snap)
        server_respond_json(req, 201, info);
    else
        dapi_answer_error(req, err);
}

int dapi_sandbox_snapshot(struct daemon *d, struct server_request *req)
{
    struct error err;
    cJSON *body = dapi_body_object(req, true);
    if (!body) return 0;
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(body, "name");
    if (name && !cJSON_IsNull(name) && !cJSON_IsString(name)) {
        cJSON_Delete(body);
        return server_respond_error(req, 400, "validation error: field \"name\" must be a string");
    }
    struct sbx *s = dapi_sandbox_or_404(d, req, 0);
    if (!s) {
        cJSON_Delete(body);
        return 0;
    }
    /* Running or paused (the issue asks for both; E2B cloud answers 404 for a paused one):
     * either way it is the files, frozen for the copy while running. The copy runs in a
     * child; like E2B's the answer (201) comes when the snapshot is usable. */
    struct copy_wait *w = copy_wait_new(d, s->id);
    if (!w) {
        cJSON_Delete(body);
        return server_respond_error(req, 500, "out of memory");
    }
    int rc = snapshot_create_start(d, s, cJSON_IsString(name) ? name->valuestring : NULL,
                                   snapshot_taken, w, &err);
    cJSON_Delete(body);
    if (rc < 0) {
        copy_wait_free(w);
        return dapi_answer_error(req, &err);
    }
    copy_wait_hold(w, req);
    return 0;
}

int dapi_snapshots_list(struct daemon *d, struct server_request *req)
{
    struct query *q = server_request_query_all(req);
    if (!q) return server_respond_error(req, 400, "validation error: malformed query string");
    long long limit, start = 0;
    if (dapi_query_int(req, "limit", LIST_MAX, 1, LIST_MAX, &limit) < 0) return 0;
    const char *tok = query_get(q, "nextToken");
    if (tok && (query_parse_int64(tok, &start) < 0 || start < 0))
        return server_respond_error(req, 400, "Invalid next token");
    const char *sid = query_get(q, "sandboxID");
    const char *name = query_get(q, "name");
    char nn[SNAPSHOT_NAME_MAX + 8], tag[32];
    struct error err;
    bool has_tag = name && strchr(name, ':');
    if (name && snapshot_name_parse(name, nn, sizeof nn, tag, sizeof tag, &err) < 0)
        return server_respond_error(req, 400, "%s", err.msg);
    cJSON *arr = cJSON_CreateArray();
    if (!arr) return server_respond_error(req, 500, "out of memory");
    long long seen = 0, added = 0;
    bool more = false;
    for (size_t i = d->snaps ? d->snaps->n : 0; i-- > 0;) { /* newest first */
        const struct snapshot *s = d->snaps->v[i];
        if (sid && strcmp(sid, s->sandbox_id) != 0) continue;
        if (name && (strcmp(nn, s->name) != 0 || (has_tag && strcmp(tag, s->tag) != 0)) &&
            strcmp(name, s->template_id) != 0)
            continue;
        if (seen++ < start) continue;
        if (added == limit) {
            more = true;
            break;
        }
        cJSON_AddItemToArray(arr, snapshot_listed(s));
        added++;
    }
    if (more) {
        char next[32];
        snprintf(next, sizeof next, "%lld", start + added);
        server_add_header(req, "X-Next-Token", next);
    }
    return server_respond_json(req, 200, arr);
}

/* DELETE /templates/{id}: snapshots only (boxtopd's one real template, base, stays). */
int dapi_template_delete(struct daemon *d, struct server_request *req)
{
    const char *ref = server_request_capture(req, 0);
    struct error err;
    if (!ref || !*ref || strlen(ref) > 200)
        return server_respond_error(req, 400, "Invalid template ID");
    if (validate_template_ref(ref))
        return server_respond_error(req, 400, "the base template cannot be deleted");
    struct snapshot *s = snapshot_find(d, ref);
    if (!s) return server_respond_error(req, 404, "template not found");
    if (snapshot_delete(d, s, &err) < 0) return server_respond_error(req, 400, "%s", err.msg);
    return server_respond(req, 204, NULL, NULL, 0);
}

static cJSON *fork_error(int code, const char *msg)
{
    cJSON *o = cJSON_CreateObject(), *e = o ? cJSON_AddObjectToObject(o, "error") : NULL;
    if (e) {
        cJSON_AddNumberToObject(e, "code", code);
        cJSON_AddStringToObject(e, "message", msg);
    }
    return o;
}

static int error_status(const struct error *err)
{
    switch (err->kind) {
    case ERROR_RATE_LIMIT:
        return 429;
    case ERROR_NOT_FOUND:
        return 404;
    case ERROR_CONFLICT:
        return 409;
    case ERROR_USAGE:
        return 400;
    default:
        return 500;
    }
}

/* The seeds are copied: the forks start from them (each taking its seed whole). */
static void fork_copied(void *ud, int64_t bytes, const struct error *cerr)
{
    (void)bytes;
    struct copy_wait *w = ud;
    struct daemon *d = w->d;
    struct sbx *src = sbx_find(d, w->sbx_id);
    struct error err;
    cJSON *out = NULL;
    int made = 0;
    if (cerr) {
        err = *cerr;
    } else if (!src) {
        error_set(&err, ERROR_NOT_FOUND, "sandbox %s was removed while it was forked", w->sbx_id);
    } else {
        out = cJSON_CreateArray();
        if (!out) error_set(&err, ERROR_GENERIC, "out of memory");
    }
    /* the forks stack on the same read-only layers as src (a template's), if any */
    char *lowers =
        out && src->rt && *rt_sandbox_lowers(src->rt) ? strdup(rt_sandbox_lowers(src->rt)) : NULL;
    for (int i = 0; out && i < w->count; i++) {
        struct sbx_create_opts o = {
            .template_ref = "base",
            .template_id = src->template_id,
            .alias = src->alias,
            .seed_dir = w->seeds[i],
            .seed_idbase = w->idbase,
            .seed_move = true,
            .lowers = lowers,
            .cpu_count = src->cpu_count,
            .memory_mb = src->memory_mb,
            .timeout_s = w->timeout_s,
            .auto_pause = src->auto_pause,
            .auto_pause_fs_only = src->auto_pause_fs_only,
            .auto_resume = src->auto_resume,
            .secure = src->secure,
            .allow_internet = src->allow_internet,
            .metadata = src->metadata ? cJSON_Duplicate(src->metadata, 1) : NULL,
            .env_vars = src->env_vars ? cJSON_Duplicate(src->env_vars, 1) : NULL,
            .volume_mounts = src->volume_mounts ? cJSON_Duplicate(src->volume_mounts, 1) : NULL,
            .admitted = true, /* before the copy (dapi_sandbox_fork) */
        };
        struct sbx *f;
        struct error ferr;
        if (sbx_create(d, &o, &f, &ferr) < 0) {
            cJSON_Delete(o.metadata);
            cJSON_Delete(o.env_vars);
            cJSON_Delete(o.volume_mounts);
            cJSON_AddItemToArray(out, fork_error(error_status(&ferr), ferr.msg));
            continue;
        }
        cJSON *e = cJSON_CreateObject();
        if (e) cJSON_AddItemToObject(e, "sandbox", dapi_sandbox_json(f));
        cJSON_AddItemToArray(out, e);
        sbx_log(f, LOG_INFO, NULL, "forked from %s", src->id);
        made++;
    }
    free(lowers);
    for (int i = out ? w->count : 0; i < w->count; i++) /* none was created */
        sbx_create_unadmit(d);
    for (int i = 0; i < w->count; i++) /* empty where a fork took its seed */
        snapshot_tmp_remove(d, w->seeds[i]);
    if (src && out) sbx_log(src, LOG_INFO, NULL, "forked %d of %d", made, w->count);
    if (src && !out) sbx_log(src, LOG_ERROR, NULL, "fork failed: %s", err.msg);
    struct server_request *req = copy_wait_end(w);
    if (!req) {
        cJSON_Delete(out);
        return;
    }
    if (out)
        server_respond_json(req, 201, out);
    else if (err.kind == ERROR_NOT_FOUND)
        server_respond_error(req, 404, "%s", err.msg);
    else
        server_respond_error(req, 500, "Error forking sandbox: %s", err.msg);
}

/* The first seed is copied (src thawed again): the others are copied from it, so src is
 * frozen for one copy whatever the count. */
static void fork_first_copied(void *ud, int64_t bytes, const struct error *cerr)
{
    struct copy_wait *w = ud;
    struct error err;
    const char *dirs[FORK_MAX_COUNT];
    for (int i = 1; i < w->count; i++)
        dirs[i - 1] = w->seeds[i];
    if (cerr || w->count == 1 || !sbx_find(w->d, w->sbx_id)) {
        fork_copied(w, bytes, cerr);
        return;
    }
    if (rt_dir_copy_start(w->d->rt, w->seeds[0], w->idbase, dirs, w->count - 1, fork_copied, w,
                          &err) < 0)
        fork_copied(w, bytes, &err);
}

int dapi_sandbox_fork(struct daemon *d, struct server_request *req)
{
    struct error err;
    cJSON *body = dapi_body_object(req, true);
    if (!body) return 0;
    const cJSON *jt = cJSON_GetObjectItemCaseSensitive(body, "timeout");
    const cJSON *jc = cJSON_GetObjectItemCaseSensitive(body, "count");
    bool bad = (jt && !cJSON_IsNull(jt) && !cJSON_IsNumber(jt)) ||
               (jc && !cJSON_IsNull(jc) && !cJSON_IsNumber(jc));
    double timeout = cJSON_IsNumber(jt) ? jt->valuedouble : FORK_DEFAULT_TTL;
    double count = cJSON_IsNumber(jc) ? jc->valuedouble : 1;
    cJSON_Delete(body);
    if (bad || timeout != (double)(long long)timeout || count != (double)(long long)count)
        return server_respond_error(req, 400,
                                    "validation error: timeout and count must be integers");
    if (timeout <= 0) return server_respond_error(req, 400, "Timeout must be greater than 0");
    if (timeout > VALIDATE_MAX_TIMEOUT_S)
        return server_respond_error(req, 400, "Timeout cannot be greater than %d hours",
                                    VALIDATE_MAX_TIMEOUT_S / 3600);
    if (count < 1) return server_respond_error(req, 400, "Count must be at least 1");
    if (count > FORK_MAX_COUNT)
        return server_respond_error(req, 400, "Count cannot be greater than %d", FORK_MAX_COUNT);
    if (count > d->opt.max_sandboxes)
        return server_respond_error(
            req, 400, "Count must be lower than the maximum number of concurrent sandboxes (%d)",
            d->opt.max_sandboxes);
    struct sbx *src = dapi_sandbox_or_404(d, req, 0);
    if (!src) return 0;
    if (src->state != SBX_RUNNING)
        return server_respond_error(
            req, 409, "Sandbox '%s' is paused and cannot be forked; resume it first", src->id);
    if (!src->rt) return server_respond_error(req, 409, "the sandbox's files are not loaded");
    /* one copy per fork, made in a child: the first while src is frozen, the others from
     * it (fork_first_copied); each fork takes its own whole (a rename), so the loop copies
     * nothing */
    struct copy_wait *w = copy_wait_new(d, src->id);
    if (w) w->seeds = calloc((size_t)count, sizeof *w->seeds);
    if (!w || !w->seeds) {
        if (w) copy_wait_free(w);
        return server_respond_error(req, 500, "out of memory");
    }
    w->count = (int)count;
    w->timeout_s = (int64_t)timeout;
    /* the limits first: forks refused must not freeze src and copy for nothing */
    for (int i = 0; i < w->count; i++)
        if (sbx_create_admit(d, &err) < 0) {
            while (i-- > 0)
                sbx_create_unadmit(d);
            copy_wait_free(w);
            return dapi_answer_error(req, &err);
        }
    const char *dirs[FORK_MAX_COUNT];
    for (int i = 0; i < w->count; i++) {
        if (rt_seed_dir(d->rt, w->seeds[i], sizeof w->seeds[i], &err) < 0) {
            while (i-- > 0)
                snapshot_tmp_remove(d, w->seeds[i]);
            for (int k = 0; k < w->count; k++)
                sbx_create_unadmit(d);
            copy_wait_free(w);
            return server_respond_error(req, 500, "Error forking sandbox: %s", err.msg);
        }
        dirs[i] = w->seeds[i];
    }
    if (rt_sandbox_copy_start(d->rt, src->rt, dirs, 1, &w->idbase, fork_first_copied, w, &err) <
        0) {
        for (int i = 0; i < w->count; i++) {
            snapshot_tmp_remove(d, w->seeds[i]);
            sbx_create_unadmit(d);
        }
        copy_wait_free(w);
        return server_respond_error(req, 500, "Error forking sandbox: %s", err.msg);
    }
    copy_wait_hold(w, req);
    return 0;
}
