/* backend_fetch.c - the views' one-shot fetches over the live backend's api client (see
 * backend_fetch.h). Kept apart from backend_e2b.c, which owns the polling of the model. */
#include "config.h"

#include <string.h>

#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "backend_e2b.h"
#include "backend_fetch.h"

static struct api *api_of(struct backend *b, struct error *err)
{
    struct api *api = b && !strcmp(b->ops->kind, "e2b") ? backend_e2b_api(b) : NULL;
    if (!api)
        error_set(err, ERROR_GENERIC, "%s",
                  b && !strcmp(b->ops->kind, "e2b") ? _("not connected to a server yet")
                                                    : _("not available in a replay"));
    return api;
}

static struct bfetch *started(struct api_call *c, struct error *err)
{
    if (!c) error_set(err, ERROR_GENERIC, "%s", _("out of memory"));
    return (struct bfetch *)c;
}

struct bfetch *bfetch_logs(struct backend *b, const char *id, const struct api_logs_query *q,
                           api_done_cb cb, void *ud, struct error *err)
{
    struct api *api = api_of(b, err);
    return api ? started(api_logs_v2(api, id, q, cb, ud), err) : NULL;
}

struct bfetch *bfetch_events(struct backend *b, const char *id, int limit, api_done_cb cb, void *ud,
                             struct error *err)
{
    struct api *api = api_of(b, err);
    if (!api) return NULL;
    struct buf p = BUF_INIT;
    buf_append_str(&p, "/events/sandboxes");
    if (id) {
        buf_append_str(&p, "/");
        api_uri_component(id, &p);
    }
    buf_printf(&p, "?limit=%d&orderAsc=false", limit < 1 ? 1 : limit > 100 ? 100 : limit);
    struct bfetch *f = started(api_get_raw(api, buf_cstr(&p), cb, ud), err);
    buf_free(&p);
    return f;
}

struct bfetch *bfetch_templates(struct backend *b, api_done_cb cb, void *ud, struct error *err)
{
    struct api *api = api_of(b, err);
    return api ? started(api_list_templates(api, NULL, NULL, cb, ud), err) : NULL;
}

const char *bfetch_team_id(struct backend *b)
{
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
    struct api *api = team_api(b, err);
    return api ? started(api_team_metrics(api, bfetch_team_id(b), start_s, end_s, cb, ud), err)
               : NULL;
}

struct bfetch *bfetch_team_max(struct backend *b, const char *metric, int64_t start_s,
                               int64_t end_s, api_done_cb cb, void *ud, struct error *err)
{
    struct api *api = team_api(b, err);
    return api ? started(
                     api_team_metrics_max(api, bfetch_team_id(b), metric, start_s, end_s, cb, ud),
                     err)
               : NULL;
}

struct bfetch *bfetch_snapshot_create(struct backend *b, const char *id, const char *name,
                                      api_done_cb cb, void *ud, struct error *err)
{
    struct api *api = api_of(b, err);
    return api ? started(api_snapshot_create(api, id, name, cb, ud), err) : NULL;
}

struct bfetch *bfetch_snapshots(struct backend *b, api_done_cb cb, void *ud, struct error *err)
{
    struct api *api = api_of(b, err);
    return api ? started(api_snapshots_list(api, NULL, NULL, cb, ud), err) : NULL;
}

struct bfetch *bfetch_snapshot_delete(struct backend *b, const char *snapshot_id, api_done_cb cb,
                                      void *ud, struct error *err)
{
    struct api *api = api_of(b, err);
    return api ? started(api_snapshot_delete(api, snapshot_id, cb, ud), err) : NULL;
}

struct bfetch *bfetch_fork(struct backend *b, const char *id, int count, api_done_cb cb, void *ud,
                           struct error *err)
{
    struct api *api = api_of(b, err);
    return api ? started(api_fork_sandbox(api, id, count, 300, cb, ud), err) : NULL;
}

struct bfetch *bfetch_pause_fs_only(struct backend *b, const char *id, api_done_cb cb, void *ud,
                                    struct error *err)
{
    struct api *api = api_of(b, err);
    return api ? started(api_pause_fs_only(api, id, cb, ud), err) : NULL;
}

struct bfetch *bfetch_volumes(struct backend *b, api_done_cb cb, void *ud, struct error *err)
{
    struct api *api = api_of(b, err);
    return api ? started(api_volumes_list(api, cb, ud), err) : NULL;
}

struct bfetch *bfetch_volume_create(struct backend *b, const char *name, api_done_cb cb, void *ud,
                                    struct error *err)
{
    struct api *api = api_of(b, err);
    return api ? started(api_volume_create(api, name, cb, ud), err) : NULL;
}

struct bfetch *bfetch_volume_delete(struct backend *b, const char *id, api_done_cb cb, void *ud,
                                    struct error *err)
{
    struct api *api = api_of(b, err);
    return api ? started(api_volume_delete(api, id, cb, ud), err) : NULL;
}

struct bfetch *bfetch_sandbox_detail(struct backend *b, const char *id, api_done_cb cb, void *ud,
                                     struct error *err)
{
    struct api *api = api_of(b, err);
    if (!api) return NULL;
    struct buf p = BUF_INIT;
    buf_append_str(&p, "/sandboxes/");
    api_uri_component(id, &p);
    struct bfetch *f = started(api_get_raw(api, buf_cstr(&p), cb, ud), err);
    buf_free(&p);
    return f;
}

void bfetch_cancel(struct bfetch *f)
{
    if (f) api_cancel((struct api_call *)f);
}
