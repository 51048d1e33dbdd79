/* backend_fetch.h - one-shot fetches for the logs, events, templates and team views.
 *
 * The views ask the backend for data (never the network themselves). Over the live backend
 * these wrap its api client; over a replay they are answered from the recording's "api"
 * section (backend_replay_fetch.c: the recorded response bodies, run through the same
 * parsers). Results arrive from the loop through the api's callback (struct api_result, freed
 * when the callback returns); cancel with bfetch_cancel() (no callback afterwards). */
#ifndef BOXTOP_TUI_BACKEND_FETCH_H
#define BOXTOP_TUI_BACKEND_FETCH_H

#include <stdint.h>

#include "boxtop/api.h"
#include "boxtop/error.h"
#include "boxtop/events_parse.h"
#include "boxtop/snapvol.h"
#include "backend.h"

/* A fetch in flight, whichever backend answers it. */
struct bfetch {
    void (*cancel)(struct bfetch *f); /* frees f; no callback afterwards */
};

struct bfetch *bfetch_logs(struct backend *b, const char *id, const struct api_logs_query *q,
                           api_done_cb cb, void *ud, struct error *err);
/* Lifecycle events of the team (id NULL) or of one sandbox, newest first, limit 1..100, handed
 * over parsed: cb gets the list (move it out to keep it; it is freed when cb returns) or err
 * (the transport's, the server's status, or why the body did not parse). */
typedef void (*bfetch_events_cb)(struct sbx_event_list *l, const struct error *err, void *ud);
struct bfetch *bfetch_events(struct backend *b, const char *id, int limit, bfetch_events_cb cb,
                             void *ud, struct error *err);
struct bfetch *bfetch_templates(struct backend *b, api_done_cb cb, void *ud, struct error *err);
struct bfetch *bfetch_team(struct backend *b, int64_t start_s, int64_t end_s, api_done_cb cb,
                           void *ud, struct error *err);
struct bfetch *bfetch_team_max(struct backend *b, const char *metric, int64_t start_s,
                               int64_t end_s, api_done_cb cb, void *ud, struct error *err);
/* Snapshots, forks, filesystem-only pause and volumes (snapvol.h; raw results: status and
 * body, parsed by the caller). */
struct bfetch *bfetch_snapshot_create(struct backend *b, const char *id, const char *name,
                                      api_done_cb cb, void *ud, struct error *err);
struct bfetch *bfetch_snapshots(struct backend *b, api_done_cb cb, void *ud, struct error *err);
struct bfetch *bfetch_snapshot_delete(struct backend *b, const char *snapshot_id, api_done_cb cb,
                                      void *ud, struct error *err);
struct bfetch *bfetch_fork(struct backend *b, const char *id, int count, api_done_cb cb, void *ud,
                           struct error *err);
struct bfetch *bfetch_pause_fs_only(struct backend *b, const char *id, api_done_cb cb, void *ud,
                                    struct error *err);
struct bfetch *bfetch_volumes(struct backend *b, api_done_cb cb, void *ud, struct error *err);
struct bfetch *bfetch_volume_create(struct backend *b, const char *name, api_done_cb cb, void *ud,
                                    struct error *err);
struct bfetch *bfetch_volume_delete(struct backend *b, const char *id, api_done_cb cb, void *ud,
                                    struct error *err);
/* GET /sandboxes/{id} (raw: the detail with volumeMounts). */
struct bfetch *bfetch_sandbox_detail(struct backend *b, const char *id, api_done_cb cb, void *ud,
                                     struct error *err);
/* DELETE /templates/{id} (raw result). */
struct bfetch *bfetch_template_delete(struct backend *b, const char *id, api_done_cb cb, void *ud,
                                      struct error *err);
struct envd_client;
/* Point c at the backend's sandbox URL now: a local boxtopd that boxtop restarted serves envd
 * on new ports (views keep their envd client). Returns 1 when it moved. */
int bfetch_follow_envd(struct backend *b, struct envd_client *c);
/* One template's builds (GET /templates/{id}: TemplateWithBuilds, a page of
 * BFETCH_BUILDS_PAGE from next_token, NULL for the first; res->next_token is the next page's)
 * and tags (GET /templates/{id}/tags), raw results (template_builds.h parses them); a replay
 * answers them from api.templateBuilds.<id> and api.templateTags.<id>, in one page. */
#define BFETCH_BUILDS_PAGE 100
struct bfetch *bfetch_template_builds(struct backend *b, const char *id, const char *next_token,
                                      api_done_cb cb, void *ud, struct error *err);
struct bfetch *bfetch_template_tags(struct backend *b, const char *id, api_done_cb cb, void *ud,
                                    struct error *err);
/* add 1: POST /templates/tags {"target":"NAME:FROM_TAG","tags":[...]} (the build that carries
 * from_tag gets the tags); add 0: DELETE /templates/tags {"name":NAME,"tags":[...]}
 * (from_tag unused). Raw results. */
struct bfetch *bfetch_template_tags_edit(struct backend *b, int add, const char *name,
                                         const char *from_tag, const char *const *tags, int n,
                                         api_done_cb cb, void *ud, struct error *err);
/* PATCH /v2/templates/{id} {"public":...} (raw result). */
struct bfetch *bfetch_template_publish(struct backend *b, const char *id, int public_,
                                       api_done_cb cb, void *ud, struct error *err);
/* The team id the team metrics use, NULL when unknown. */
const char *bfetch_team_id(struct backend *b);
void bfetch_cancel(struct bfetch *f); /* NULL is fine */
/* An answer the view could not parse: the body's start as err's detail for `:messages`, the
 * live backend's secrets masked (api_body_detail). */
void bfetch_body_detail(struct backend *b, struct error *err, const struct api_result *res);

/* For the backend's other calls (backend_webhooks.c): a bfetch around an api call, never the
 * call itself (an api_call is no bfetch). bfetch_live_new(cb, ud) gives the wrapper; start
 * the call with bfetch_live_done as its callback and the wrapper as its ud; then
 * bfetch_live_started(wrapper, call) (NULL call: err set, the wrapper freed). */
struct live_fetch;
struct live_fetch *bfetch_live_new(api_done_cb cb, void *ud, struct error *err);
void bfetch_live_done(struct api_result *res, void *live);
struct bfetch *bfetch_live_started(struct live_fetch *lf, struct api_call *c, struct error *err);

#endif
