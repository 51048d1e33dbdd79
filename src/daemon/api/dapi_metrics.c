/* dapi_metrics.c - GET /sandboxes/{id}/metrics, GET /sandboxes/metrics (batch), team metrics. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "boxtop/json.h"
#include "boxtop/loop.h"
#include "../metrics_ring.h"
#include "../query.h"
#include "../sandbox.h"
#include "../team_metrics.h"
#include "dapi.h"

static cJSON *metric_json(const struct metric_sample *m)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    json_add_time(o, "timestamp", m->ts_ms);
    cJSON_AddNumberToObject(o, "timestampUnix", (double)(m->ts_ms / 1000));
    cJSON_AddNumberToObject(o, "cpuCount", m->cpu_count);
    cJSON_AddNumberToObject(o, "cpuUsedPct", m->cpu_pct);
    cJSON_AddNumberToObject(o, "memUsed", (double)m->mem_used);
    cJSON_AddNumberToObject(o, "memTotal", (double)m->mem_total);
    cJSON_AddNumberToObject(o, "memCache", (double)m->mem_cache);
    cJSON_AddNumberToObject(o, "diskUsed", (double)m->disk_used);
    cJSON_AddNumberToObject(o, "diskTotal", (double)m->disk_total);
    return o;
}

int dapi_sandbox_metrics(struct daemon *d, struct server_request *req)
{
    char id[IDS_SANDBOX_MAX + 1];
    long long start, end;

    if (!dapi_sandbox_id(req, 0, id, sizeof id)) return 0;
    if (dapi_query_int(req, "start", -1, 0, 1LL << 40, &start) < 0 ||
        dapi_query_int(req, "end", -1, 0, 1LL << 40, &end) < 0)
        return 0;
    const struct metrics_ring *r = sbx_metrics_of(d, id);
    if (!r && !sbx_find(d, id)) /* never had it: E2B's 404, not an empty history */
        return server_respond_error(
            req, 404, "Sandbox \"%s\" doesn't exist or you don't have access to it", id);
    cJSON *arr = cJSON_CreateArray();
    if (!arr) return server_respond_error(req, 500, "out of memory");
    if (!r || r->n == 0) {
        if (start >= 0 && end >= 0 && start > end) {
            cJSON_Delete(arr);
            return server_respond_error(req, 400, "Invalid time range for metrics");
        }
        return server_respond_json(req, 200, arr);
    }
    if (start < 0) start = metrics_ring_at(r, 0)->ts_ms / 1000;
    if (end < 0) end = metrics_ring_latest(r)->ts_ms / 1000;
    if (start > end) {
        cJSON_Delete(arr);
        return server_respond_error(req, 400, "Invalid time range for metrics");
    }
    struct metric_sample *out = malloc(METRICS_RING_CAP * sizeof *out);
    if (!out) {
        cJSON_Delete(arr);
        return server_respond_error(req, 500, "out of memory");
    }
    size_t n = metrics_ring_query(r, start, end, out, METRICS_RING_CAP);
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(arr, metric_json(&out[i]));
    free(out);
    return server_respond_json(req, 200, arr);
}

int dapi_sandboxes_metrics(struct daemon *d, struct server_request *req)
{
    const char *ids = server_request_query(req, "sandbox_ids");
    char id[IDS_SANDBOX_MAX + 1];
    size_t count = 0;

    if (!ids || !*ids)
        return server_respond_error(req, 400,
                                    "validation error: parameter \"sandbox_ids\" is "
                                    "required");
    cJSON *root = cJSON_CreateObject();
    cJSON *map = root ? cJSON_AddObjectToObject(root, "sandboxes") : NULL;
    char *copy = strdup(ids), *save = NULL;
    if (!map || !copy) {
        cJSON_Delete(root);
        free(copy);
        return server_respond_error(req, 500, "out of memory");
    }
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (++count > 100 || ids_sandbox_parse(t, id, sizeof id) < 0 ||
            cJSON_GetObjectItemCaseSensitive(map, id)) {
            free(copy);
            cJSON_Delete(root);
            return server_respond_error(req, 400,
                                        count > 100 ? "validation error: at most 100 sandbox ids"
                                                    : "validation error: invalid or duplicate "
                                                      "sandbox id in sandbox_ids");
        }
        const struct metrics_ring *r = sbx_metrics_of(d, id);
        const struct metric_sample *m = r ? metrics_ring_latest(r) : NULL;
        if (m) cJSON_AddItemToObject(map, id, metric_json(m));
    }
    free(copy);
    return server_respond_json(req, 200, root);
}

static int team_check(struct server_request *req)
{
    const char *team = server_request_capture(req, 0);
    if (!team || strcmp(team, TEAM_ID) != 0) {
        server_respond_error(req, 403,
                             "You (" TEAM_ID ") are not authorized to access this team's (%s) "
                             "metrics",
                             team ? (strlen(team) < 64 && ids_sandbox_valid(team) ? team : "?")
                                  : "?");
        return -1;
    }
    return 0;
}

static int team_range(struct server_request *req, long long *start, long long *end)
{
    long long now = loop_wall_ms() / 1000;
    if (dapi_query_int(req, "start", now - 7 * 24 * 3600, 0, 1LL << 40, start) < 0 ||
        dapi_query_int(req, "end", now, 0, 1LL << 40, end) < 0)
        return -1;
    if (*start > *end) {
        server_respond_error(req, 400, "Invalid time range for metrics");
        return -1;
    }
    return 0;
}

int dapi_team_metrics(struct daemon *d, struct server_request *req)
{
    long long start, end;

    if (team_check(req) < 0 || team_range(req, &start, &end) < 0) return 0;
    struct team_bucket *b = malloc(TEAM_METRICS_CAP * sizeof *b);
    cJSON *arr = cJSON_CreateArray();
    if (!b || !arr) {
        free(b);
        cJSON_Delete(arr);
        return server_respond_error(req, 500, "out of memory");
    }
    size_t n = team_metrics_query(d->team, start, end, b, TEAM_METRICS_CAP);
    for (size_t i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        if (!o) break;
        json_add_time(o, "timestamp", b[i].ts_s * 1000);
        cJSON_AddNumberToObject(o, "timestampUnix", (double)b[i].ts_s);
        cJSON_AddNumberToObject(o, "concurrentSandboxes", b[i].concurrent);
        cJSON_AddNumberToObject(o, "sandboxStartRate", b[i].start_rate);
        cJSON_AddItemToArray(arr, o);
    }
    free(b);
    return server_respond_json(req, 200, arr);
}

int dapi_team_metrics_max(struct daemon *d, struct server_request *req)
{
    long long start, end;
    int64_t ts_s = loop_wall_ms() / 1000;
    double value = 0;
    int metric;

    if (team_check(req) < 0) return 0;
    const char *m = server_request_query(req, "metric");
    if (m && !strcmp(m, "concurrent_sandboxes"))
        metric = 0;
    else if (m && !strcmp(m, "sandbox_start_rate"))
        metric = 1;
    else
        return server_respond_error(req, 400,
                                    "validation error: parameter \"metric\" must be "
                                    "concurrent_sandboxes or sandbox_start_rate");
    if (team_range(req, &start, &end) < 0) return 0;
    if (!team_metrics_max(d->team, metric, start, end, &ts_s, &value)) ts_s = loop_wall_ms() / 1000;
    cJSON *o = cJSON_CreateObject();
    if (!o) return server_respond_error(req, 500, "out of memory");
    json_add_time(o, "timestamp", ts_s * 1000);
    cJSON_AddNumberToObject(o, "timestampUnix", (double)ts_s);
    cJSON_AddNumberToObject(o, "value", value);
    return server_respond_json(req, 200, o);
}
