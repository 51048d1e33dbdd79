/* dapi_sandboxes.c - sandbox lifecycle routes: create (v1/v2), list (v1/v2), get, kill, pause,
 * resume, connect (v1/v2), timeout, refreshes. Shapes: platform-api.md §5, §10. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "boxtop/json.h"
#include "boxtop/loop.h"
#include "../query.h"
#include "../sandbox.h"
#include "../snapshot.h"
#include "../tpl.h"
#include "../tpl_sandbox.h"
#include "dapi.h"
#include "dapi_copy_wait.h"
#include "dapi_list_filter.h"
#include "dapi_validate.h"

#define CLIENT_ID      "6532622b"
#define MAX_TIMEOUT_S  VALIDATE_MAX_TIMEOUT_S
#define V1_DEFAULT_TTL 15
#define V2_DEFAULT_TTL 300

/* ------------------------------------------------------------------ JSON shapes */

cJSON *dapi_sandbox_json(const struct sbx *s)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "templateID", s->template_id);
    cJSON_AddStringToObject(o, "sandboxID", s->id);
    cJSON_AddStringToObject(o, "alias", s->alias);
    cJSON_AddStringToObject(o, "clientID", CLIENT_ID);
    cJSON_AddStringToObject(o, "envdVersion", ENVD_VERSION);
    if (s->secure) cJSON_AddStringToObject(o, "envdAccessToken", s->envd_token);
    return o;
}

static cJSON *listed_json(const struct sbx *s, bool detail)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "templateID", s->template_id);
    cJSON_AddStringToObject(o, "alias", s->alias);
    cJSON_AddStringToObject(o, "sandboxID", s->id);
    cJSON_AddStringToObject(o, "clientID", CLIENT_ID);
    json_add_time(o, "startedAt", s->started_at_ms);
    json_add_time(o, "endAt", s->state == SBX_RUNNING ? s->end_at_ms : s->paused_at_ms);
    cJSON_AddNumberToObject(o, "cpuCount", s->cpu_count);
    cJSON_AddNumberToObject(o, "memoryMB", s->memory_mb);
    cJSON_AddNumberToObject(o, "diskSizeMB", s->disk_mb);
    if (s->metadata) cJSON_AddItemToObject(o, "metadata", cJSON_Duplicate(s->metadata, 1));
    cJSON_AddStringToObject(o, "state", s->state == SBX_RUNNING ? "running" : "paused");
    cJSON_AddStringToObject(o, "envdVersion", ENVD_VERSION);
    if (!detail || s->state == SBX_RUNNING)
        cJSON_AddItemToObject(o, "volumeMounts",
                              s->volume_mounts ? cJSON_Duplicate(s->volume_mounts, 1)
                                               : cJSON_CreateArray());
    if (detail) {
        if (s->secure) cJSON_AddStringToObject(o, "envdAccessToken", s->envd_token);
        cJSON_AddBoolToObject(o, "allowInternetAccess", s->allow_internet);
        cJSON *lc = cJSON_AddObjectToObject(o, "lifecycle");
        if (lc) {
            cJSON_AddBoolToObject(lc, "autoResume", s->auto_resume);
            cJSON_AddStringToObject(lc, "onTimeout", s->auto_pause ? "pause" : "kill");
            if (s->auto_pause) cJSON_AddBoolToObject(lc, "autoPauseMemory", !s->auto_pause_fs_only);
        }
    }
    return o;
}

int dapi_answer_error(struct server_request *req, const struct error *err)
{
    switch (err->kind) {
    case ERROR_RATE_LIMIT: {
        char ra[16];
        snprintf(ra, sizeof ra, "%d", err->code > 0 ? err->code : 1);
        server_add_header(req, "Retry-After", ra);
        return server_respond_error(req, 429, "%s", err->msg);
    }
    case ERROR_NOT_FOUND:
        return server_respond_error(req, 404, "%s", err->msg);
    case ERROR_CONFLICT:
        return server_respond_error(req, 409, "%s", err->msg);
    case ERROR_USAGE:
        return server_respond_error(req, 400, "%s", err->msg);
    default:
        if (err->code == 503) { /* the base image is being built */
            server_add_header(req, "Retry-After", "5");
            return server_respond_error(req, 503, "%s", err->msg);
        }
        return server_respond_error(req, 500, "%s", err->msg);
    }
}

/* ------------------------------------------------------------------ create */

static int send_validation(struct server_request *req, int status, const struct error *err)
{
    return server_respond_error(req, status, "%s", err->msg);
}

static bool snapshot_known(void *ud, const char *ref)
{
    struct tpl_build *b = NULL;
    return snapshot_find(ud, ref) != NULL || (tpl_find(ud, ref, &b) && b);
}

static int create_rest(struct daemon *d, struct server_request *req, struct create_req *crp,
                       const struct snapshot *snap, const char *seed, const struct error *cerr);

static int create_common(struct daemon *d, struct server_request *req, bool v2)
{
    struct create_req cr;
    struct error err;
    size_t len;
    const char *body = server_request_body(req, &len);
    int rc = validate_create_ex(body, len, v2, snapshot_known, d, &cr, &err);

    if (rc) return send_validation(req, rc, &err);
    /* network rules: deny-all becomes allow_internet false (an empty network ns) */
    int nrc = dapi_create_network(req, cr.network, &cr.allow_internet);
    cJSON_Delete(cr.network); /* read: not kept (the copy waits and create_rest pass cr on) */
    cr.network = NULL;
    if (nrc < 0) {
        create_req_free(&cr);
        return 0;
    }
    const struct snapshot *snap =
        validate_template_ref(cr.template_ref) ? NULL : snapshot_find(d, cr.template_ref);
    if (snap) /* its files are copied off the loop first */
        return dapi_create_seeded(d, req, &cr, snap, create_rest);
    struct tpl_build *tb = NULL;
    if (!validate_template_ref(cr.template_ref) && tpl_find(d, cr.template_ref, &tb) && tb &&
        !tb->stacked && tb->layer[0]) /* a whole copy of a layer (plain mode): the same */
        return dapi_create_seeded_tpl(d, req, &cr, tb, create_rest);
    return create_rest(d, req, &cr, NULL, NULL, NULL);
}

/* The create itself (from a snapshot: once its files are in seed, or err why not). */
static int create_rest(struct daemon *d, struct server_request *req, struct create_req *crp,
                       const struct snapshot *snap, const char *seed, const struct error *cerr)
{
    struct create_req cr = *crp;
    if (cerr) {
        create_req_free(&cr);
        return dapi_answer_error(req, cerr);
    }
    struct sbx_create_opts o;
    struct error err;
    struct sbx *s;

    memset(&o, 0, sizeof o);
    if (snap) { /* a sandbox from a snapshot: its files (a copy it takes), processes afresh */
        o.template_id = snap->template_id;
        o.alias = snap->name[0] ? snap->name : snap->template_id;
        o.seed_dir = seed;
        o.seed_move = true;
        o.seed_idbase = snap->idbase;
        o.lowers = snap->lowers;
        o.admitted = true; /* before its copy (dapi_create_seeded) */
    }
    struct tpl_build *tb = NULL;
    struct tpl *tp =
        snap || validate_template_ref(cr.template_ref) ? NULL : tpl_find(d, cr.template_ref, &tb);
    char tpl_dir[4200];
    char *lowers = NULL;
    if (tp && tb) { /* a template built here: its layers, size, env, user, workdir, commands */
        o.template_id = tp->id;
        o.alias = tp->alias;
        if (tb->stacked) {
            o.lowers = lowers = tpl_lowers(d, tb);
        } else if (seed) { /* copied off the loop (dapi_create_seeded_tpl) */
            o.seed_dir = seed;
            o.seed_move = true;
            o.seed_idbase = tb->idbase;
            o.admitted = true;
        } else {
            tpl_layer_dir(d, tb->layer, tpl_dir, sizeof tpl_dir);
            o.seed_dir = tpl_dir;
            o.seed_idbase = tb->idbase;
        }
        o.cpu_count = tb->cpu;
        o.memory_mb = tb->memory_mb;
        cr.env_vars = tpl_sandbox_env(tb, cr.env_vars);
    }
    o.auto_pause_fs_only = cr.auto_pause_fs_only;
    if (cr.volume_mounts && dapi_volume_mounts_check(d, cr.volume_mounts, &err) < 0) {
        if (o.admitted) sbx_create_unadmit(d);
        free(lowers);
        create_req_free(&cr);
        return send_validation(req, 400, &err);
    }
    o.volume_mounts = cr.volume_mounts;
    o.template_ref = cr.template_ref;
    o.timeout_s = cr.timeout_s;
    o.auto_pause = cr.auto_pause;
    o.auto_resume = cr.auto_resume;
    o.secure = cr.secure;
    o.allow_internet = cr.allow_internet;
    o.metadata = cr.metadata;
    o.env_vars = cr.env_vars;
    int crc = sbx_create(d, &o, &s, &err);
    free(lowers);
    if (crc < 0) {
        create_req_free(&cr);
        return dapi_answer_error(req, &err);
    }
    cr.volume_mounts = NULL; /* the sandbox's now */
    if (tp && tb && tpl_sandbox_start_cmd(d, s, tb, &err) < 0)
        sbx_log(s, LOG_ERROR, NULL, "%s", err.msg);
    if (tp && tb && tb->ready_cmd && tb->ready_cmd[0]) { /* answers when it passes */
        if (tpl_sandbox_ready_wait(d, req, s, tp, tb, dapi_sandbox_json(s), &err) == 0) return 0;
        struct error kerr;
        sbx_kill(d, s, "ready command failed", &kerr);
        return dapi_answer_error(req, &err);
    }
    /* the sandbox owns metadata and env vars now */
    return server_respond_json(req, 201, dapi_sandbox_json(s));
}

int dapi_sandbox_create(struct daemon *d, struct server_request *req)
{
    return create_common(d, req, false);
}

int dapi_sandbox_create_v2(struct daemon *d, struct server_request *req)
{
    return create_common(d, req, true);
}

/* ------------------------------------------------------------------ list */

static int list_common(struct daemon *d, struct server_request *req, bool v2)
{
    struct query *q = server_request_query_all(req);
    struct list_filter f;
    struct error err;
    cJSON *arr;
    char next[256];
    size_t total_running = 0;

    if (!q) return server_respond_error(req, 400, "validation error: malformed query string");
    if (list_filter_parse(&f, q, v2, &err) < 0) {
        list_filter_free(&f);
        return server_respond_error(req, 400, "%s", err.msg);
    }
    arr = list_filter_run(&f, d->sbx, d->n_sbx, listed_json, next, sizeof next, &total_running);
    if (v2 && next[0]) server_add_header(req, "X-Next-Token", next);
    if (v2 && f.want_running) {
        char tr[32];
        snprintf(tr, sizeof tr, "%zu", total_running);
        server_add_header(req, "X-Total-Running", tr);
    }
    list_filter_free(&f);
    if (!arr) return server_respond_error(req, 500, "out of memory");
    return server_respond_json(req, 200, arr);
}

int dapi_sandbox_list_v1(struct daemon *d, struct server_request *req)
{
    return list_common(d, req, false);
}

int dapi_sandbox_list_v2(struct daemon *d, struct server_request *req)
{
    return list_common(d, req, true);
}

/* ------------------------------------------------------------------ one sandbox */

int dapi_sandbox_get(struct daemon *d, struct server_request *req)
{
    struct sbx *s = dapi_sandbox_or_404(d, req, 0);
    if (!s) return 0;
    return server_respond_json(req, 200, listed_json(s, true));
}

int dapi_sandbox_kill(struct daemon *d, struct server_request *req)
{
    struct error err;
    struct sbx *s = dapi_sandbox_or_404(d, req, 0);
    if (!s) return 0;
    sbx_kill(d, s, "request", &err);
    return server_respond(req, 204, NULL, NULL, 0);
}

int dapi_sandbox_pause(struct daemon *d, struct server_request *req)
{
    struct error err;
    size_t len;
    const char *body = server_request_body(req, &len);
    int rc = validate_pause(body, len, &err);
    if (rc) return send_validation(req, rc, &err);
    struct sbx *s = dapi_sandbox_or_404(d, req, 0);
    if (!s) return 0;
    if (sbx_pause(d, s, validate_memory_flag(body, len), &err) < 0)
        return dapi_answer_error(req, &err);
    return server_respond(req, 204, NULL, NULL, 0);
}

/* connect: running -> 200 and extend the TTL; paused -> resume, 201. */
static int connect_common(struct daemon *d, struct server_request *req, bool v2)
{
    struct error err;
    int64_t timeout;
    size_t len;
    const char *body = server_request_body(req, &len);
    int rc = validate_connect(body, len, &timeout, &err);

    (void)v2;
    if (rc) return send_validation(req, rc, &err);
    struct sbx *s = dapi_sandbox_or_404(d, req, 0);
    if (!s) return 0;
    if (s->state == SBX_RUNNING) {
        int64_t want = loop_wall_ms() + timeout * 1000;
        int64_t cap = s->started_at_ms + (int64_t)MAX_TIMEOUT_S * 1000;
        if (want > cap) want = cap;
        if (timeout > 0 && want > s->end_at_ms) sbx_set_end(d, s, want);
        return server_respond_json(req, 200, dapi_sandbox_json(s));
    }
    if (sbx_resume(d, s, timeout ? timeout : V2_DEFAULT_TTL, validate_memory_flag(body, len),
                   &err) < 0)
        return dapi_answer_error(req, &err);
    return server_respond_json(req, 201, dapi_sandbox_json(s));
}

int dapi_sandbox_connect(struct daemon *d, struct server_request *req)
{
    return connect_common(d, req, false);
}

int dapi_sandbox_connect_v2(struct daemon *d, struct server_request *req)
{
    return connect_common(d, req, true);
}

int dapi_sandbox_resume(struct daemon *d, struct server_request *req)
{
    struct error err;
    int64_t timeout;
    bool auto_pause, has_ap;
    size_t len;
    const char *body = server_request_body(req, &len);
    int rc = validate_resume(body, len, &timeout, &auto_pause, &has_ap, &err);

    if (rc) return send_validation(req, rc, &err);
    struct sbx *s = dapi_sandbox_or_404(d, req, 0);
    if (!s) return 0;
    if (s->state == SBX_RUNNING)
        return server_respond_error(req, 409, "Sandbox %s is already running", s->id);
    if (has_ap) s->auto_pause = auto_pause;
    if (sbx_resume(d, s, timeout, validate_memory_flag(body, len), &err) < 0)
        return dapi_answer_error(req, &err);
    return server_respond_json(req, 201, dapi_sandbox_json(s));
}

/* The API's KeepAliveFor (orchestrator/keep_alive.go): the new end is now + seconds, capped at
 * the max instance length from the start (getMaxAllowedTTL); only a sandbox already past that
 * length is an error. */
static int keep_alive_end(const struct sbx *s, int64_t seconds, int64_t *end)
{
    int64_t now = loop_wall_ms(), cap = s->started_at_ms + (int64_t)MAX_TIMEOUT_S * 1000;
    if (now > cap) return -1;
    *end = now + seconds * 1000;
    if (*end > cap) *end = cap;
    return 0;
}

int dapi_sandbox_timeout(struct daemon *d, struct server_request *req)
{
    struct error err;
    int64_t timeout;
    size_t len;
    const char *body = server_request_body(req, &len);
    int rc = validate_timeout(body, len, &timeout, &err);

    if (rc) return send_validation(req, rc, &err);
    struct sbx *s = dapi_sandbox_or_404(d, req, 0);
    if (!s) return 0;
    if (s->state != SBX_RUNNING)
        return server_respond_error(req, 404, "Sandbox \"%s\" is paused", s->id);
    if (timeout < 0) timeout = 0;
    int64_t end;
    if (keep_alive_end(s, timeout, &end) < 0)
        return server_respond_error(req, 400, "Max instance length exceeded");
    sbx_set_end(d, s, end);
    return server_respond(req, 204, NULL, NULL, 0);
}

int dapi_sandbox_refreshes(struct daemon *d, struct server_request *req)
{
    struct error err;
    int64_t duration;
    size_t len;
    const char *body = server_request_body(req, &len);
    int rc = validate_refresh(body, len, &duration, &err);

    if (rc) return send_validation(req, rc, &err);
    struct sbx *s = dapi_sandbox_or_404(d, req, 0);
    if (!s) return 0;
    if (s->state != SBX_RUNNING)
        return server_respond_error(req, 404, "Sandbox \"%s\" is paused", s->id);
    int64_t end;
    if (keep_alive_end(s, duration, &end) < 0)
        return server_respond_error(req, 400, "Max instance length exceeded");
    if (end > s->end_at_ms) sbx_set_end(d, s, end);
    return server_respond(req, 204, NULL, NULL, 0);
}
