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

#include "../query.h"
#include "../runtime/runtime.h"
#include "../sandbox.h"
#include "../snapshot.h"
#include "dapi.h"
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
     * either way it is the files, frozen for the copy while running. */
    struct snapshot *snap;
    int rc = snapshot_create(d, s, cJSON_IsString(name) ? name->valuestring : NULL, &snap, &err);
    cJSON_Delete(body);
    if (rc < 0) return dapi_answer_error(req, &err);
    char id[128];
    snapshot_id(snap, id, sizeof id);
    sbx_log(s, LOG_INFO, NULL, "snapshot %s taken (%lld bytes)", id, (long long)snap->bytes);
    return server_respond_json(req, 201, snapshot_info(snap));
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
    char seed[4096];
    uint32_t idbase;
    if (snapshot_export_tmp(d, src, seed, sizeof seed, &idbase, &err) < 0)
        return server_respond_error(req, 500, "Error forking sandbox: %s", err.msg);
    /* the forks stack on the same read-only layers as src (a template's), if any */
    char *lowers =
        src->rt && *rt_sandbox_lowers(src->rt) ? strdup(rt_sandbox_lowers(src->rt)) : NULL;
    cJSON *out = cJSON_CreateArray();
    int made = 0;
    for (int i = 0; out && i < (int)count; i++) {
        struct sbx_create_opts o = {
            .template_ref = "base",
            .template_id = src->template_id,
            .alias = src->alias,
            .seed_dir = seed,
            .seed_idbase = idbase,
            .lowers = lowers,
            .cpu_count = src->cpu_count,
            .memory_mb = src->memory_mb,
            .timeout_s = (int64_t)timeout,
            .auto_pause = src->auto_pause,
            .auto_pause_fs_only = src->auto_pause_fs_only,
            .auto_resume = src->auto_resume,
            .secure = src->secure,
            .allow_internet = src->allow_internet,
            .metadata = src->metadata ? cJSON_Duplicate(src->metadata, 1) : NULL,
            .env_vars = src->env_vars ? cJSON_Duplicate(src->env_vars, 1) : NULL,
            .volume_mounts = src->volume_mounts ? cJSON_Duplicate(src->volume_mounts, 1) : NULL,
        };
        struct sbx *f;
        if (sbx_create(d, &o, &f, &err) < 0) {
            cJSON_Delete(o.metadata);
            cJSON_Delete(o.env_vars);
            cJSON_Delete(o.volume_mounts);
            cJSON_AddItemToArray(out, fork_error(error_status(&err), err.msg));
            continue;
        }
        cJSON *e = cJSON_CreateObject();
        if (e) cJSON_AddItemToObject(e, "sandbox", dapi_sandbox_json(f));
        cJSON_AddItemToArray(out, e);
        sbx_log(f, LOG_INFO, NULL, "forked from %s", src->id);
        made++;
    }
    snapshot_tmp_remove(seed);
    free(lowers);
    sbx_log(src, LOG_INFO, NULL, "forked %d of %d", made, (int)count);
    if (!out) return server_respond_error(req, 500, "out of memory");
    return server_respond_json(req, 201, out);
}
