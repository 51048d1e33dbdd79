/* logs.c - GET /sandboxes/{id}/logs (v1, oldest first) and /v2/sandboxes/{id}/logs (cursor,
 * direction, level, search, pid). Entries: metrics-logs-events.md §3; envd's process lines:
 * envd-process-logs.md. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cJSON.h>

#include "boxtop/json.h"
#include "boxtop/loop.h"
#include "../sandbox.h"
#include "../sblog.h"
#include "dapi.h"

#define WEEK_MS (7LL * 24 * 3600 * 1000)

static void time_ns(int64_t ns, char *out, size_t n)
{
    json_format_time_ns(ns / 1000000000, (long)(ns % 1000000000), 9, out, n);
}

/* E2B answers the logs of a sandbox it never had 404 (an empty 200 read as "no output yet"). */
static int unknown_sandbox(struct server_request *req, const char *id)
{
    return server_respond_error(req, 404,
                                "Sandbox \"%s\" doesn't exist or you don't have access to it", id);
}

static cJSON *entry_json(const struct sblog_entry *e)
{
    char ts[64];
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    time_ns(e->ts_ns, ts, sizeof ts);
    cJSON_AddStringToObject(o, "timestamp", ts);
    cJSON_AddStringToObject(o, "level", sblog_level_name(e->level));
    cJSON_AddStringToObject(o, "message", e->message ? e->message : "");
    cJSON_AddItemToObject(o, "fields", sblog_entry_fields(e));
    return o;
}

int dapi_sandbox_logs_v1(struct daemon *d, struct server_request *req)
{
    char id[IDS_SANDBOX_MAX + 1], ts[64];
    long long start, limit;
    int64_t now = loop_wall_ms();

    if (!dapi_sandbox_id(req, 0, id, sizeof id)) return 0;
    if (dapi_query_int(req, "start", now - WEEK_MS, 0, 1LL << 50, &start) < 0 ||
        dapi_query_int(req, "limit", 1000, 0, 1LL << 31, &limit) < 0)
        return 0;
    const struct sblog *l = sbx_logs_of(d, id);
    if (!l && !sbx_find(d, id)) return unknown_sandbox(req, id);
    cJSON *root = cJSON_CreateObject();
    cJSON *logs = root ? cJSON_AddArrayToObject(root, "logs") : NULL;
    cJSON *entries = root ? cJSON_AddArrayToObject(root, "logEntries") : NULL;
    if (!logs || !entries) {
        cJSON_Delete(root);
        return server_respond_error(req, 500, "out of memory");
    }
    long long added = 0;
    for (size_t i = 0; i < sblog_count(l) && added < limit; i++) {
        const struct sblog_entry *e = sblog_at(l, i);
        if (e->ts_ns / 1000000 < start || e->ts_ns / 1000000 > now) continue;
        cJSON *lo = cJSON_CreateObject();
        char *line = sblog_entry_raw_line(e, id);
        if (lo && line) {
            time_ns(e->ts_ns, ts, sizeof ts);
            cJSON_AddStringToObject(lo, "timestamp", ts);
            cJSON_AddStringToObject(lo, "line", line);
            cJSON_AddItemToArray(logs, lo);
            cJSON_AddItemToArray(entries, entry_json(e));
            added++;
        } else {
            cJSON_Delete(lo);
        }
        free(line);
    }
    return server_respond_json(req, 200, root);
}

static int level_rank(const char *s)
{
    if (!strcmp(s, "debug")) return LOG_DEBUG;
    if (!strcmp(s, "info")) return LOG_INFO;
    if (!strcmp(s, "warn")) return LOG_WARN;
    if (!strcmp(s, "error")) return LOG_ERROR;
    return -1;
}

int dapi_sandbox_logs_v2(struct daemon *d, struct server_request *req)
{
    char id[IDS_SANDBOX_MAX + 1];
    long long cursor, limit;
    int64_t now = loop_wall_ms();
    int min_level = LOG_DEBUG;
    bool forward = false;

    if (!dapi_sandbox_id(req, 0, id, sizeof id)) return 0;
    if (dapi_query_int(req, "cursor", -1, 0, 1LL << 50, &cursor) < 0 ||
        dapi_query_int(req, "limit", 1000, 0, 1000, &limit) < 0)
        return 0;
    const char *dir = server_request_query(req, "direction");
    if (dir) {
        if (!strcmp(dir, "forward"))
            forward = true;
        else if (strcmp(dir, "backward") != 0)
            return server_respond_error(req, 400,
                                        "validation error: parameter \"direction\" "
                                        "must be forward or backward");
    }
    const char *lv = server_request_query(req, "level");
    if (lv && (min_level = level_rank(lv)) < 0)
        return server_respond_error(req, 400,
                                    "validation error: parameter \"level\" must be "
                                    "debug, info, warn or error");
    /* ?pid= (infra PR #2935, ahead of E2B cloud): that process's output lines only; the
     * level filter does not apply to them */
    long long pid = 0;
    if (dapi_query_int(req, "pid", 0, 1, 2147483647LL, &pid) < 0) return 0;
    if (pid > 0) min_level = LOG_DEBUG;
    const char *search = server_request_query(req, "search");
    if (search && strlen(search) > 256)
        return server_respond_error(req, 400, "validation error: search is longer than 256");

    int64_t lo, hi;
    if (cursor < 0) {
        lo = now - WEEK_MS;
        hi = now;
    } else if (forward) {
        lo = cursor;
        hi = cursor + WEEK_MS;
    } else {
        lo = cursor - WEEK_MS;
        hi = cursor;
    }
    if (lo < now - WEEK_MS) lo = now - WEEK_MS;

    const struct sblog *l = sbx_logs_of(d, id);
    if (!l && !sbx_find(d, id)) return unknown_sandbox(req, id);
    size_t n = sblog_count(l);
    cJSON *root = cJSON_CreateObject();
    cJSON *logs = root ? cJSON_AddArrayToObject(root, "logs") : NULL;
    if (!logs) {
        cJSON_Delete(root);
        return server_respond_error(req, 500, "out of memory");
    }
    long long added = 0;
    for (size_t k = 0; k < n && added < limit; k++) {
        const struct sblog_entry *e = sblog_at(l, forward ? k : n - 1 - k);
        int64_t ms = e->ts_ns / 1000000;
        if (ms < lo || ms > hi) continue;
        if ((int)e->level < min_level) continue;
        if (pid > 0 && e->out_pid != (uint32_t)pid) continue;
        if (search && *search && (!e->message || !strstr(e->message, search))) continue;
        cJSON_AddItemToArray(logs, entry_json(e));
        added++;
    }
    return server_respond_json(req, 200, root);
}
