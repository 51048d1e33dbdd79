/* dapi_routes.c - the platform API route table and the X-API-Key check (request helpers for the
 * handlers: dapi_request.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "boxtop/log.h"
#include "../sandbox.h"
#include "../tpl_tar.h"
#include "dapi.h"
#include "dapi_volcontent.h"
#include "secret_store.h"

struct dapi_ctx {
    struct daemon *d;
    dapi_fn fn;
    bool auth;
};

static const struct {
    const char *method;
    const char *pattern;
    dapi_fn fn;
    bool auth;
} dapi_table[] = {
    {"GET", "/health", dapi_health, false},
    {"POST", "/sandboxes", dapi_sandbox_create, true},
    {"GET", "/sandboxes", dapi_sandbox_list_v1, true},
    {"POST", "/v2/sandboxes", dapi_sandbox_create_v2, true},
    {"GET", "/v2/sandboxes", dapi_sandbox_list_v2, true},
    {"GET", "/sandboxes/metrics", dapi_sandboxes_metrics, true},
    {"GET", "/sandboxes/*", dapi_sandbox_get, true},
    {"DELETE", "/sandboxes/*", dapi_sandbox_kill, true},
    {"POST", "/sandboxes/*/pause", dapi_sandbox_pause, true},
    {"POST", "/sandboxes/*/snapshots", dapi_sandbox_snapshot, true},
    {"POST", "/sandboxes/*/fork", dapi_sandbox_fork, true},
    {"GET", "/snapshots", dapi_snapshots_list, true},
    {"POST", "/v3/templates", dapi_tpl_create_v3, true},
    {"POST", "/v2/templates", dapi_tpl_create_v2, true},
    {"POST", "/templates", dapi_tpl_create_v1, true},
    {"PUT", "/upload", dapi_tpl_upload, false}, /* signed link of /templates/{id}/files/{h} */
    {"POST", "/templates/tags", dapi_tpl_tags_assign, true},
    {"DELETE", "/templates/tags", dapi_tpl_tags_remove, true},
    {"GET", "/templates/*/files/*", dapi_tpl_files, true},
    {"POST", "/v2/templates/*/builds/*", dapi_tpl_build_start, true},
    {"POST", "/templates/*/builds/*", dapi_tpl_build_start, true},
    {"GET", "/templates/*/builds/*/status", dapi_tpl_build_status, true},
    {"GET", "/templates/*/builds/*/logs", dapi_tpl_build_logs, true},
    {"GET", "/templates/*/tags", dapi_tpl_tags_get, true},
    {"PATCH", "/v2/templates/*", dapi_tpl_patch, true},
    {"PATCH", "/templates/*", dapi_tpl_patch, true},
    {"DELETE", "/templates/*", dapi_tpl_delete, true},
    {"DELETE", "/templates/**", dapi_template_delete, true},
    {"GET", "/volumes", dapi_volumes_list, true},
    {"POST", "/volumes", dapi_volume_create, true},
    {"GET", "/volumes/*", dapi_volume_get, true},
    {"DELETE", "/volumes/*", dapi_volume_delete, true},
    {"POST", "/sandboxes/*/resume", dapi_sandbox_resume, true},
    {"POST", "/sandboxes/*/connect", dapi_sandbox_connect, true},
    {"POST", "/v2/sandboxes/*/connect", dapi_sandbox_connect_v2, true},
    {"POST", "/sandboxes/*/timeout", dapi_sandbox_timeout, true},
    {"POST", "/sandboxes/*/refreshes", dapi_sandbox_refreshes, true},
    {"GET", "/sandboxes/*/metrics", dapi_sandbox_metrics, true},
    {"GET", "/sandboxes/*/logs", dapi_sandbox_logs_v1, true},
    {"GET", "/v2/sandboxes/*/logs", dapi_sandbox_logs_v2, true},
    {"GET", "/teams/*/metrics", dapi_team_metrics, true},
    {"GET", "/teams/*/metrics/max", dapi_team_metrics_max, true},
    {"GET", "/templates", dapi_templates_list, true},
    {"GET", "/v2/templates", dapi_templates_list_v2, true},
    {"GET", "/templates/aliases/**", dapi_tpl_alias, true},
    {"GET", "/templates/*", dapi_tpl_get, true},
    {"GET", "/events/sandboxes", dapi_events_team, true},
    {"GET", "/events/sandboxes/*", dapi_events_sandbox, true},
    {"POST", "/events/webhooks", dapi_webhook_create, true},
    {"GET", "/events/webhooks", dapi_webhooks_list, true},
    {"GET", "/events/webhooks/*", dapi_webhook_get, true},
    {"PATCH", "/events/webhooks/*", dapi_webhook_update, true},
    {"DELETE", "/events/webhooks/*", dapi_webhook_delete, true},
    {"GET", "/events/webhooks/*/deliveries", dapi_webhook_deliveries, true},
    {"GET", "/secrets", dapi_secrets_list, true},
    {"POST", "/secrets", dapi_secret_create, true},
    {"GET", "/secrets/*", dapi_secret_get, true},
    {"POST", "/secrets/*", dapi_secret_update, true},
    {"DELETE", "/secrets/*", dapi_secret_delete, true},
    /* any other method or depth: upstream's router finds no operation, 404 before the key */
    {NULL, "/secrets", dapi_secrets_no_route, false},
    {NULL, "/secrets/*", dapi_secrets_no_route, false},
    {NULL, "/secrets/*/**", dapi_secrets_no_route, false},
    {"PUT", "/sandboxes/*/network", dapi_sandbox_network, true},
    /* credentials boxtopd never issues: 401 as self-hosted E2B answers a team key */
    {"GET", "/nodes", dapi_admin_only, false},
    {"GET", "/nodes/*", dapi_admin_only, false},
    {"POST", "/nodes/*", dapi_admin_only, false},
    {"POST", "/admin/teams/*/sandboxes/kill", dapi_admin_only, false},
    {"GET", "/admin/sandboxes/running-counts", dapi_admin_only, false},
    {"POST", "/admin/teams/*/builds/cancel", dapi_admin_only, false},
    {"POST", "/admin/teams/*/api-keys", dapi_admin_only, false},
    {"DELETE", "/admin/teams/*/api-keys/*", dapi_admin_only, false},
    {"GET", "/teams", dapi_user_only, false},
    {"POST", "/templates/*", dapi_user_only, false}, /* v1 rebuild */
    {"POST", "/access-tokens", dapi_user_only, false},
    {"DELETE", "/access-tokens/*", dapi_user_only, false},
    {"GET", "/api-keys", dapi_user_or_admin, false},
    {"POST", "/api-keys", dapi_user_only, false},
    {"PATCH", "/api-keys/*", dapi_user_or_admin, false},
    {"DELETE", "/api-keys/*", dapi_user_or_admin, false},
};
#define N_API (sizeof dapi_table / sizeof dapi_table[0])

/* /secrets and below: names there are confidential selectors (upstream middleware/secrets.go):
 * such a path is never logged whole and every answer is no-store with a fixed text. */
static bool secrets_path(const char *path)
{
    return strncmp(path, "/secrets", 8) == 0 && (path[8] == '\0' || path[8] == '/');
}

/* The path as it may be logged. */
static const char *loggable_path(struct server_request *req)
{
    const char *p = server_request_path(req);
    return secrets_path(p) ? (p[8] ? "/secrets/..." : "/secrets") : p;
}

/* 0 when the X-API-Key is the daemon's; else answers 401 (upstream's texts) and returns -1. */
static int check_key(struct daemon *d, struct server_request *req)
{
    const char *key = server_request_header(req, "x-api-key");
    bool secrets = secrets_path(server_request_path(req));
    if (secrets) server_add_header(req, "Cache-Control", "no-store");
    if (!key || !*key) {
        server_respond_error(req, 401, "%s",
                             secrets ? "You are not authenticated"
                                     : "authorization header is missing");
        return -1;
    }
    if (!auth_key_matches(d->api_key, key)) {
        log_msg(d->log, LOG_INFO, "api: %s %s from %s: invalid API key", server_request_method(req),
                loggable_path(req), server_request_peer(req));
        server_respond_error(req, 401, "%s",
                             secrets ? "You are not authenticated"
                                     : "Invalid API key, please visit "
                                       "https://e2b.dev/docs/api-key for more information.");
        return -1;
    }
    return 0;
}

static int dapi_dispatch(struct server_request *req, void *ud)
{
    struct dapi_ctx *c = ud;
    struct daemon *d = c->d;

    if (c->auth && check_key(d, req) < 0) return 0;
    log_msg(d->log, LOG_DEBUG, "api: %s %s", server_request_method(req), loggable_path(req));
    return c->fn(d, req);
}

static int dapi_not_found(struct server_request *req, void *ud)
{
    struct dapi_ctx *c = ud;
    if (check_key(c->d, req) < 0) return 0;
    if (secrets_path(server_request_path(req))) return server_respond_error(req, 404, "Not found");
    /* upstream's OpenAPI validator's words; a (hostile) path is never echoed */
    return server_respond_error(req, 404, "validation error: no matching operation was found");
}

/* One ctx per route, allocated once; kept in a static-free array hung off the daemon. */
struct dapi_state {
    struct dapi_ctx ctx[N_API];
    struct dapi_ctx fallback;
    struct secret_store secrets; /* d->secrets when loaded; else /secrets answers 502 */
};

int dapi_register(struct daemon *d, struct error *err)
{
    struct dapi_state *st = calloc(1, sizeof *st);
    if (!st) return error_set(err, ERROR_GENERIC, "out of memory");
    d->dapi_state = st;
    struct error serr;
    if (secret_store_open(&st->secrets, d->opt.state_dir, &serr) == 0)
        d->secrets = &st->secrets;
    else
        log_msg(d->log, LOG_ERROR, "boxtopd: secrets: %s", serr.msg);
    for (size_t i = 0; i < N_API; i++) {
        st->ctx[i] = (struct dapi_ctx){d, dapi_table[i].fn, dapi_table[i].auth};
        struct server_route r = {
            .method = dapi_table[i].method,
            .pattern = dapi_table[i].pattern,
            .handler = dapi_dispatch,
            .ud = &st->ctx[i],
            .body_mode = SERVER_BODY_BUFFER,
            .max_body = 1u << 20, /* JSON bodies: 1 MiB is plenty */
        };
        if (strcmp(dapi_table[i].pattern, "/upload") == 0)
            r.max_body = TPL_TAR_MAX_BYTES; /* COPY archives */
        if (server_route_add(d->srv, SERVER_VHOST_API, &r) < 0)
            return error_set(err, ERROR_GENERIC, "cannot add route %s", r.pattern);
    }
    if (dapi_volcontent_register(d, err) < 0) return -1; /* volume-token routes */
    st->fallback = (struct dapi_ctx){d, NULL, true};
    struct server_route fb = {.handler = dapi_not_found, .ud = &st->fallback, .max_body = 1u << 20};
    server_set_fallback(d->srv, SERVER_VHOST_API, &fb);
    return 0;
}

void dapi_unregister(struct daemon *d)
{
    if (d->secrets) secret_store_close(d->secrets);
    d->secrets = NULL;
    free(d->dapi_state);
    d->dapi_state = NULL;
}
