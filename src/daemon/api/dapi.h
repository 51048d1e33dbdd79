/* dapi.h - the E2B platform API handlers (SERVER_VHOST_API) and small shared helpers.
 *
 * dapi_register() adds every route; each handler runs after the X-API-Key check (except
 * /health). Handlers answer with server_respond_*; errors are {"code":N,"message":...}. */
#ifndef BOXTOPD_API_H
#define BOXTOPD_API_H

#include <stdbool.h>
#include <stdint.h>

#include "../daemon.h"
#include "../server.h"

struct cJSON;
struct sbx;

typedef int (*dapi_fn)(struct daemon *d, struct server_request *req);

int dapi_register(struct daemon *d, struct error *err);
void dapi_unregister(struct daemon *d);

/* ---- helpers shared by the handler files ---- */
/* The {id} capture validated (answers 400 "Invalid sandbox ID" itself on failure). */
const char *dapi_sandbox_id(struct server_request *req, int capture, char *out, size_t n);
/* Sandbox by {id} capture, or answers 404 itself and returns NULL. */
struct sbx *dapi_sandbox_or_404(struct daemon *d, struct server_request *req, int capture);
/* Optional integer query parameter in [min,max]; answers 400 itself on a bad value. */
int dapi_query_int(struct server_request *req, const char *name, long long def, long long min,
                   long long max, long long *out);
/* The request's body as a JSON object (allow_empty: no body is {}); on a bad one answers
 * the 400 itself and returns NULL. The caller deletes it. */
struct cJSON *dapi_body_object(struct server_request *req, bool allow_empty);
/* The Sandbox JSON of create/connect (dapi_sandboxes.c). */
struct cJSON *dapi_sandbox_json(const struct sbx *s);
/* An error of the sandbox manager as its HTTP status (429 with Retry-After, 404, 409, 400). */
int dapi_answer_error(struct server_request *req, const struct error *err);
/* volumeMounts of a create: every named volume exists (dapi_volumes.c); 0, or -1 with err. */
int dapi_volume_mounts_check(struct daemon *d, const struct cJSON *mounts, struct error *err);

/* handler groups (dapi_*.c) */
int dapi_health(struct daemon *d, struct server_request *req);
int dapi_sandbox_create(struct daemon *d, struct server_request *req);
int dapi_sandbox_create_v2(struct daemon *d, struct server_request *req);
int dapi_sandbox_list_v1(struct daemon *d, struct server_request *req);
int dapi_sandbox_list_v2(struct daemon *d, struct server_request *req);
int dapi_sandbox_get(struct daemon *d, struct server_request *req);
int dapi_sandbox_kill(struct daemon *d, struct server_request *req);
int dapi_sandbox_pause(struct daemon *d, struct server_request *req);
int dapi_sandbox_resume(struct daemon *d, struct server_request *req);
int dapi_sandbox_connect(struct daemon *d, struct server_request *req);
int dapi_sandbox_connect_v2(struct daemon *d, struct server_request *req);
int dapi_sandbox_timeout(struct daemon *d, struct server_request *req);
int dapi_sandbox_refreshes(struct daemon *d, struct server_request *req);
int dapi_sandbox_metrics(struct daemon *d, struct server_request *req);
int dapi_sandboxes_metrics(struct daemon *d, struct server_request *req);
int dapi_sandbox_logs_v1(struct daemon *d, struct server_request *req);
int dapi_sandbox_logs_v2(struct daemon *d, struct server_request *req);
int dapi_team_metrics(struct daemon *d, struct server_request *req);
int dapi_team_metrics_max(struct daemon *d, struct server_request *req);
int dapi_templates_list(struct daemon *d, struct server_request *req);
int dapi_templates_list_v2(struct daemon *d, struct server_request *req);
int dapi_template_get(struct daemon *d, struct server_request *req);
int dapi_template_tags(struct daemon *d, struct server_request *req); /* base's */
int dapi_template_alias(struct daemon *d, struct server_request *req);
int dapi_events_team(struct daemon *d, struct server_request *req);
int dapi_events_sandbox(struct daemon *d, struct server_request *req);
int dapi_sandbox_snapshot(struct daemon *d, struct server_request *req);
int dapi_snapshots_list(struct daemon *d, struct server_request *req);
int dapi_template_delete(struct daemon *d, struct server_request *req);
int dapi_sandbox_fork(struct daemon *d, struct server_request *req);
int dapi_volumes_list(struct daemon *d, struct server_request *req);
int dapi_volume_create(struct daemon *d, struct server_request *req);
int dapi_volume_get(struct daemon *d, struct server_request *req);
int dapi_volume_delete(struct daemon *d, struct server_request *req);
int dapi_webhooks_list(struct daemon *d, struct server_request *req); /* dapi_webhooks.c */
int dapi_webhook_create(struct daemon *d, struct server_request *req);
int dapi_webhook_get(struct daemon *d, struct server_request *req);
int dapi_webhook_update(struct daemon *d, struct server_request *req);
int dapi_webhook_delete(struct daemon *d, struct server_request *req);
int dapi_webhook_deliveries(struct daemon *d, struct server_request *req);
int dapi_tpl_create_v3(struct daemon *d,
                       struct server_request *req); /* api/dapi_templates_build.c */
int dapi_tpl_create_v2(struct daemon *d, struct server_request *req);
int dapi_tpl_create_v1(struct daemon *d, struct server_request *req);
int dapi_tpl_files(struct daemon *d, struct server_request *req);
int dapi_tpl_upload(struct daemon *d, struct server_request *req);
int dapi_tpl_build_start(struct daemon *d, struct server_request *req);
int dapi_tpl_build_status(struct daemon *d, struct server_request *req);
int dapi_tpl_build_logs(struct daemon *d, struct server_request *req);
int dapi_tpl_get(struct daemon *d, struct server_request *req);
int dapi_tpl_patch(struct daemon *d, struct server_request *req);
int dapi_tpl_delete(struct daemon *d, struct server_request *req);
int dapi_tpl_alias(struct daemon *d, struct server_request *req);
int dapi_tpl_tags_get(struct daemon *d, struct server_request *req);
int dapi_tpl_tags_assign(struct daemon *d, struct server_request *req);
int dapi_tpl_tags_remove(struct daemon *d, struct server_request *req);
int dapi_sandbox_network(struct daemon *d, struct server_request *req); /* dapi_network.c */
/* A create's network rules (NULL: none) against *allow_internet (allow_internet_access):
 * 0, with *allow_internet false when they deny all egress; else -1, the 400/500 answered. */
int dapi_create_network(struct server_request *req, const struct cJSON *network,
                        bool *allow_internet);
/* dapi_admin.c: routes whose credentials boxtopd never issues (401 as upstream) */
int dapi_admin_only(struct daemon *d, struct server_request *req);
int dapi_user_only(struct daemon *d, struct server_request *req);
int dapi_user_or_admin(struct daemon *d, struct server_request *req);
int dapi_secrets_list(struct daemon *d, struct server_request *req); /* dapi_secrets.c */
int dapi_secret_create(struct daemon *d, struct server_request *req);
int dapi_secret_get(struct daemon *d, struct server_request *req);
int dapi_secret_update(struct daemon *d, struct server_request *req);
int dapi_secret_delete(struct daemon *d, struct server_request *req);
int dapi_secrets_no_route(struct daemon *d, struct server_request *req);

#endif
