/* backend_fetch.c - the views' one-shot fetches over the live backend's api client (see
 * backend_fetch.h); a replay's are answered by backend_replay_fetch.c. Kept apart from
 * backend_e2b.c, which owns the polling of the model. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "boxtop/buf.h"
#include "boxtop/envd.h"
#include "boxtop/i18n.h"
#include "backend_e2b.h"
#include "backend_fetch.h"
#include "backend_replay.h"
#include "session.h"

/* An api call behind the bfetch face: the callback goes through here so the wrapper is freed
 * exactly once (after the callback, or at cancel). */
struct live_fetch {
    struct bfetch base;
    struct api_call *call;
    api_done_cb cb;
    void *ud;
    int in_cb;
};

static void live_cancel(struct bfetch *f)
{
    struct live_fetch *lf = (struct live_fetch *)f;
    if (lf->in_cb) { /* the view drops it from inside its own callback: freed on return */
        return;
    }
    api_cancel(lf->call);
    free(lf);
}

static void live_done(struct api_result *res, void *ud)
{
    struct live_fetch *lf = ud;
    lf->in_cb = 1;
    lf->cb(res, lf->ud);
    free(lf);
}

static struct live_fetch *live_new(api_done_cb cb, void *ud, struct error *err)
{
    struct live_fetch *lf = calloc(1, sizeof *lf);
    if (!lf) {
        error_set(err, ERROR_GENERIC, "%s", _("out of memory"));
        return NULL;
    }
    lf->base.cancel = live_cancel;
    lf->cb = cb;
    lf->ud = ud;
    return lf;
}

static struct api *api_of(struct backend *b, struct error *err)
{
    struct api *api = b && !strcmp(b->ops->kind, "e2b") ? backend_e2b_api(b) : NULL;
    if (!api)
        error_set(err, ERROR_GENERIC, "%s",
                  b && !strcmp(b->ops->kind, "e2b") ? _("not connected to a server yet")
                                                    : _("not available in a replay"));
    return api;
}

void bfetch_body_detail(struct backend *b, struct error *err, const struct api_result *res)
{
    bool live = b && !strcmp(b->ops->kind, "e2b");
    api_body_detail(live ? backend_e2b_api(b) : NULL, err, res);
}

static struct bfetch *started(struct live_fetch *lf, struct api_call *c, struct error *err)
{
    if (!c) {
        error_set(err, ERROR_GENERIC, "%s", _("out of memory"));
        free(lf);
        return NULL;
    }
    lf->call = c;
    /* a restarted local boxtopd (new api object) answers it with an error instead of leaving
     * the view waiting for ever: the view asks again, from its cursor */
    api_call_notify_drop(c);
    return &lf->base;
}

static int is_replay(struct backend *b)
{
    return b && !strcmp(b->ops->kind, "replay");
}

struct bfetch *bfetch_logs(struct backend *b, const char *id, const struct api_logs_query *q,
                           api_done_cb cb, void *ud, struct error *err)
{
    if (is_replay(b) && backend_replay_has_api(b)) return replay_fetch_logs(b, id, q, cb, ud, err);
    struct api *api = api_of(b, err);
    struct live_fetch *lf = api ? live_new(cb, ud, err) : NULL;
    return lf ? started(lf, api_logs_v2(api, id, q, live_done, lf), err) : NULL;
}

/* The events body becomes a list here, so the view never sees a status or a body. */
struct events_fetch {
    struct bfetch base;
    struct bfetch *inner;
    bfetch_events_cb cb;
    void *ud;
    int in_cb;
};

static void events_cancel(struct bfetch *f)
{
    struct events_fetch *ef = (struct events_fetch *)f;
    if (ef->in_cb) return; /* dropped from inside its own callback: freed on return */
    bfetch_cancel(ef->inner);
    free(ef);
}

static void events_done(struct api_result *res, void *ud)
{
    struct events_fetch *ef = ud;
    struct sbx_event_list l = {0};
    struct error err = res->err;
    if (err.kind == ERROR_NONE && res->status != 200)
        error_set(&err, ERROR_PROTOCOL, _("the server answered %ld"), res->status);
    else if (err.kind == ERROR_NONE)
        events_parse(res->body ? res->body : "", res->body_len, &l, &err);
    ef->in_cb = 1;
    ef->cb(err.kind == ERROR_NONE ? &l : NULL, err.kind == ERROR_NONE ? NULL : &err, ef->ud);
    events_list_free(&l);
    free(ef);
}

static struct bfetch *events_start(struct backend *b, const char *id, int limit,
                                   struct events_fetch *ef, struct error *err)
{
    if (is_replay(b) && backend_replay_has_api(b))
        return replay_fetch_events(b, id, limit, events_done, ef, err);
    struct api *api = api_of(b, err);
    struct live_fetch *lf = api ? live_new(events_done, ef, err) : NULL;
    if (!lf) return NULL;
    struct buf p = BUF_INIT;
    buf_append_str(&p, "/events/sandboxes");
    if (id) {
        buf_append_str(&p, "/");
        api_uri_component(id, &p);
    }
    buf_printf(&p, "?limit=%d&orderAsc=false", limit < 1 ? 1 : limit > 100 ? 100 : limit);
    struct bfetch *f = started(lf, api_get_raw(api, buf_cstr(&p), live_done, lf), err);
    buf_free(&p);
    return f;
}

struct bfetch *bfetch_events(struct backend *b, const char *id, int limit, bfetch_events_cb cb,
                             void *ud, struct error *err)
{
    struct events_fetch *ef = calloc(1, sizeof *ef);
    if (!ef) {
        error_set(err, ERROR_GENERIC, "%s", _("out of memory"));
        return NULL;
    }
    ef->base.cancel = events_cancel;
    ef->cb = cb;
    ef->ud = ud;
    if (!(ef->inner = events_start(b, id, limit, ef, err))) {
        free(ef);
        return NULL;
    }
    return &ef->base;
}

struct bfetch *bfetch_templates(struct backend *b, api_done_cb cb, void *ud, struct error *err)
{
    if (is_replay(b) && backend_replay_has_api(b)) return replay_fetch_templates(b, cb, ud, err);
    struct api *api = api_of(b, err);
    struct live_fetch *lf = api ? live_new(cb, ud, err) : NULL;
    return lf ? started(lf, api_list_templates(api, NULL, NULL, live_done, lf), err) : NULL;
}

const char *bfetch_team_id(struct backend *b)
{
    if (is_replay(b)) return backend_replay_team_id(b);
    return b && !strcmp(b->ops->kind, "e2b") ? backend_e2b_team(b) : NULL;
}

static struct api *team_api(struct backend *b, struct error *err)
{
    struct api *api = api_of(b, err);
    if (api && !bfetch_team_id(b)) {
        error_set(err, ERROR_GENERIC, "%s",
                  _("the team id is unknown: set E2B_TEAM_ID (or teamId in ~/.e2b/config.json)"));
        return NULL;
    }
    return api;
}

struct bfetch *bfetch_team(struct backend *b, int64_t start_s, int64_t end_s, api_done_cb cb,
                           void *ud, struct error *err)
{
    if (is_replay(b) && backend_replay_has_api(b))
        return replay_fetch_team(b, NULL, start_s, end_s, cb, ud, err);
    struct api *api = team_api(b, err);
    struct live_fetch *lf = api ? live_new(cb, ud, err) : NULL;
    return lf ? started(lf, api_team_metrics(api, bfetch_team_id(b), start_s, end_s, live_done, lf),
                        err)
              : NULL;
}

struct bfetch *bfetch_team_max(struct backend *b, const char *metric, int64_t start_s,
                               int64_t end_s, api_done_cb cb, void *ud, struct error *err)
{
    if (is_replay(b) && backend_replay_has_api(b))
        return replay_fetch_team(b, metric, start_s, end_s, cb, ud, err);
    struct api *api = team_api(b, err);
    struct live_fetch *lf = api ? live_new(cb, ud, err) : NULL;
    return lf ? started(lf,
                        api_team_metrics_max(api, bfetch_team_id(b), metric, start_s, end_s,
                                             live_done, lf),
                        err)
              : NULL;
}

struct bfetch *bfetch_snapshot_create(struct backend *b, const char *id, const char *name,
                                      api_done_cb cb, void *ud, struct error *err)
{
    struct api *api = api_of(b, err);
    struct live_fetch *lf = api ? live_new(cb, ud, err) : NULL;
    return lf ? started(lf, api_snapshot_create(api, id, name, live_done, lf), err) : NULL;
}

struct bfetch *bfetch_snapshots(struct backend *b, api_done_cb cb, void *ud, struct error *err)
{
    if (is_replay(b) && backend_replay_has_api(b))
        return replay_fetch_raw(b, "snapshots", cb, ud, err);
    struct api *api = api_of(b, err);
    struct live_fetch *lf = api ? live_new(cb, ud, err) : NULL;
    return lf ? started(lf, api_snapshots_list(api, NULL, NULL, live_done, lf), err) : NULL;
}

struct bfetch *bfetch_snapshot_delete(struct backend *b, const char *snapshot_id, api_done_cb cb,
                                      void *ud, struct error *err)
{
    struct api *api = api_of(b, err);
    struct live_fetch *lf = api ? live_new(cb, ud, err) : NULL;
    return lf ? started(lf, api_snapshot_delete(api, snapshot_id, live_done, lf), err) : NULL;
}

struct bfetch *bfetch_fork(struct backend *b, const char *id, int count, api_done_cb cb, void *ud,
                           struct error *err)
{
    struct api *api = api_of(b, err);
    struct live_fetch *lf = api ? live_new(cb, ud, err) : NULL;
    return lf ? started(lf, api_fork_sandbox(api, id, count, 300, live_done, lf), err) : NULL;
}

struct bfetch *bfetch_pause_fs_only(struct backend *b, const char *id, api_done_cb cb, void *ud,
                                    struct error *err)
{
    struct api *api = api_of(b, err);
    struct live_fetch *lf = api ? live_new(cb, ud, err) : NULL;
    return lf ? started(lf, api_pause_fs_only(api, id, live_done, lf), err) : NULL;
}

struct bfetch *bfetch_volumes(struct backend *b, api_done_cb cb, void *ud, struct error *err)
{
    if (is_replay(b) && backend_replay_has_api(b))
        return replay_fetch_raw(b, "volumes", cb, ud, err);
    struct api *api = api_of(b, err);
    struct live_fetch *lf = api ? live_new(cb, ud, err) : NULL;
    return lf ? started(lf, api_volumes_list(api, live_done, lf), err) : NULL;
}

struct bfetch *bfetch_volume_create(struct backend *b, const char *name, api_done_cb cb, void *ud,
                                    struct error *err)
{
    struct api *api = api_of(b, err);
    struct live_fetch *lf = api ? live_new(cb, ud, err) : NULL;
    return lf ? started(lf, api_volume_create(api, name, live_done, lf), err) : NULL;
}

struct bfetch *bfetch_volume_delete(struct backend *b, const char *id, api_done_cb cb, void *ud,
                                    struct error *err)
{
    struct api *api = api_of(b, err);
    struct live_fetch *lf = api ? live_new(cb, ud, err) : NULL;
    return lf ? started(lf, api_volume_delete(api, id, live_done, lf), err) : NULL;
}

/* A raw call (no body) on PREFIX<id, escaped>SUFFIX: the sandbox detail, a template's builds,
 * tags and delete. */
static struct bfetch *raw_on_id(struct backend *b, const char *method, const char *prefix,
                                const char *id, const char *suffix, api_done_cb cb, void *ud,
                                struct error *err)
{
    struct api *api = api_of(b, err);
    struct live_fetch *lf = api ? live_new(cb, ud, err) : NULL;
    if (!lf) return NULL;
    struct buf p = BUF_INIT;
    buf_append_str(&p, prefix);
    api_uri_component(id, &p);
    buf_append_str(&p, suffix);
    struct bfetch *f =
        started(lf, api_request_raw(api, method, buf_cstr(&p), NULL, live_done, lf), err);
    buf_free(&p);
    return f;
}

struct bfetch *bfetch_sandbox_detail(struct backend *b, const char *id, api_done_cb cb, void *ud,
                                     struct error *err)
{
    return raw_on_id(b, "GET", "/sandboxes/", id, "", cb, ud, err);
}

struct bfetch *bfetch_template_delete(struct backend *b, const char *id, api_done_cb cb, void *ud,
                                      struct error *err)
{
    return raw_on_id(b, "DELETE", "/templates/", id, "", cb, ud, err);
}

int bfetch_follow_envd(struct backend *b, struct envd_client *c)
{
    struct session_env env;
    if (!b || !c || !b->ops->session_env || b->ops->session_env(b, &env) < 0) return 0;
    return envd_target_follow(&c->target, env.sandbox_url);
}

/* A call on /templates/{id}SUFFIX, or its recorded answer (section.<id>) in a replay. */
static struct bfetch *template_get(struct backend *b, const char *id, const char *suffix,
                                   const char *section, api_done_cb cb, void *ud, struct error *err)
{
    if (is_replay(b) && backend_replay_has_api(b))
        return replay_fetch_keyed(b, section, id, cb, ud, err);
    return raw_on_id(b, "GET", "/templates/", id, suffix, cb, ud, err);
}

struct bfetch *bfetch_template_builds(struct backend *b, const char *id, const char *next_token,
                                      api_done_cb cb, void *ud, struct error *err)
{
    struct buf q = BUF_INIT;
    buf_printf(&q, "?limit=%d", BFETCH_BUILDS_PAGE);
    if (next_token && *next_token) {
        buf_append_str(&q, "&nextToken=");
        api_uri_component(next_token, &q);
    }
    struct bfetch *f = template_get(b, id, buf_cstr(&q), "templateBuilds", cb, ud, err);
    buf_free(&q);
    return f;
}

struct bfetch *bfetch_template_tags(struct backend *b, const char *id, api_done_cb cb, void *ud,
                                    struct error *err)
{
    return template_get(b, id, "/tags", "templateTags", cb, ud, err);
}

/* A JSON body call (method path body) whose body the caller built (freed here). */
static struct bfetch *json_call(struct backend *b, const char *method, const char *path,
                                cJSON *body, api_done_cb cb, void *ud, struct error *err)
{
    struct api *api = api_of(b, err);
    char *text = body ? cJSON_PrintUnformatted(body) : NULL;
    cJSON_Delete(body);
    struct live_fetch *lf = api && text ? live_new(cb, ud, err) : NULL;
    if (api && !text) error_set(err, ERROR_GENERIC, "%s", _("out of memory"));
    struct bfetch *f =
        lf ? started(lf, api_request_raw(api, method, path, text, live_done, lf), err) : NULL;
    free(text);
    return f;
}

struct bfetch *bfetch_template_tags_edit(struct backend *b, int add, const char *name,
                                         const char *from_tag, const char *const *tags, int n,
                                         api_done_cb cb, void *ud, struct error *err)
{
    cJSON *o = cJSON_CreateObject(), *arr = o ? cJSON_AddArrayToObject(o, "tags") : NULL;
    for (int i = 0; arr && i < n; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateString(tags[i]));
    if (add) {
        struct buf t = BUF_INIT;
        buf_printf(&t, "%s:%s", name, from_tag && *from_tag ? from_tag : "default");
        cJSON_AddStringToObject(o, "target", buf_cstr(&t));
        buf_free(&t);
    } else {
        cJSON_AddStringToObject(o, "name", name);
    }
    return json_call(b, add ? "POST" : "DELETE", "/templates/tags", o, cb, ud, err);
}

struct bfetch *bfetch_template_publish(struct backend *b, const char *id, int public_,
                                       api_done_cb cb, void *ud, struct error *err)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "public", public_);
    struct buf p = BUF_INIT;
    buf_append_str(&p, "/v2/templates/");
    api_uri_component(id, &p);
    struct bfetch *f = json_call(b, "PATCH", buf_cstr(&p), o, cb, ud, err);
    buf_free(&p);
    return f;
}

void bfetch_cancel(struct bfetch *f)
{
    if (f) f->cancel(f);
}

struct live_fetch *bfetch_live_new(api_done_cb cb, void *ud, struct error *err)
{
    return live_new(cb, ud, err);
}

void bfetch_live_done(struct api_result *res, void *live)
{
    live_done(res, live);
}

struct bfetch *bfetch_live_started(struct live_fetch *lf, struct api_call *c, struct error *err)
{
    return started(lf, c, err);
}
