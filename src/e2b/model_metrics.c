/* model_metrics.c - sandbox metric samples (one sandbox over time, and the batch of latest
 * samples) and team metrics. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/json.h"
#include "boxtop/models.h"
#include "model_util.h"

static int nonneg(const cJSON *o, const char *path, const char *key, int64_t *out,
                  struct error *err)
{
    if (json_get_int64(o, path, key, out, err) < 0) return -1;
    if (*out < 0) return error_set(err, ERROR_PROTOCOL, "%s.%s: negative", path, key);
    return 0;
}

/* cpuUsedPct is of the whole sandbox (0..100); servers that sum cores reach 100 x cores. */
#define METRIC_CPU_PCT_MAX (100.0 * 4096)

static int parse_sample(const cJSON *o, const char *path, struct metric_sample *m,
                        struct error *err)
{
    memset(m, 0, sizeof *m);
    if (json_expect_object(o, path, err) < 0 || nonneg(o, path, "timestampUnix", &m->ts, err) < 0 ||
        model_req_int(o, path, "cpuCount", 0, 4096, &m->cpu_count, err) < 0 ||
        json_get_double(o, path, "cpuUsedPct", &m->cpu_pct, err) < 0 ||
        nonneg(o, path, "memUsed", &m->mem_used, err) < 0 ||
        nonneg(o, path, "memTotal", &m->mem_total, err) < 0 ||
        nonneg(o, path, "diskUsed", &m->disk_used, err) < 0 ||
        nonneg(o, path, "diskTotal", &m->disk_total, err) < 0)
        return -1;
    /* memCache is required by the spec but absent from envd < 0.5.9 data: default 0. */
    if (json_opt_int64(o, path, "memCache", &m->mem_cache, 0, err) < 0) return -1;
    /* a percentage of the sandbox; 1.8e308 printed 309 digits */
    if (!isfinite(m->cpu_pct) || m->cpu_pct < 0 || m->cpu_pct > METRIC_CPU_PCT_MAX)
        return error_set(err, ERROR_PROTOCOL, "%s.cpuUsedPct: out of range", path);
    return 0;
}

int metrics_parse(const char *text, size_t len, struct metric_list *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    cJSON *doc = model_parse_doc(text, len, 1, "metrics", err);
    if (!doc) return -1;
    int i = 0, rc = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, doc)
    {
        char path[64];
        struct metric_sample *m = model_grow((void **)&out->items, &out->n, sizeof *m);
        if (!m) {
            rc = error_set(err, ERROR_GENERIC, "out of memory");
            break;
        }
        if ((rc = parse_sample(it, json_path_index(path, sizeof path, "metrics", i++), m, err)) < 0)
            break;
    }
    cJSON_Delete(doc);
    if (rc < 0) metric_list_free(out);
    return rc;
}

int metrics_batch_parse(const char *text, size_t len, struct sandbox_metric_list *out,
                        struct error *err)
{
    cJSON *doc = model_parse_doc(text, len, 0, "metrics", err);
    if (!doc) return -1;
    const cJSON *sbx;
    int rc = json_get_object(doc, "metrics", "sandboxes", &sbx, err);
    const cJSON *it;
    if (rc == 0) {
        cJSON_ArrayForEach(it, sbx)
        {
            char path[300];
            json_path_key(path, sizeof path, "metrics.sandboxes", it->string ? it->string : "");
            struct sandbox_metric *m = model_grow((void **)&out->items, &out->n, sizeof *m);
            if (!m || !(m->sandbox_id = strdup(it->string ? it->string : ""))) {
                rc = error_set(err, ERROR_GENERIC, "out of memory");
                break;
            }
            if ((rc = parse_sample(it, path, &m->m, err)) < 0) break;
        }
    }
    cJSON_Delete(doc);
    if (rc < 0) sandbox_metric_list_free(out);
    return rc;
}

void metric_list_free(struct metric_list *l)
{
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

void sandbox_metric_list_free(struct sandbox_metric_list *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->items[i].sandbox_id);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

int team_metrics_parse(const char *text, size_t len, struct team_metric_list *out,
                       struct error *err)
{
    memset(out, 0, sizeof *out);
    cJSON *doc = model_parse_doc(text, len, 1, "teamMetrics", err);
    if (!doc) return -1;
    int i = 0, rc = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, doc)
    {
        char path[64];
        json_path_index(path, sizeof path, "teamMetrics", i++);
        struct team_metric *m = model_grow((void **)&out->items, &out->n, sizeof *m);
        if (!m) {
            rc = error_set(err, ERROR_GENERIC, "out of memory");
            break;
        }
        if ((rc = json_expect_object(it, path, err)) < 0 ||
            (rc = nonneg(it, path, "timestampUnix", &m->ts, err)) < 0 ||
            (rc = model_req_int(it, path, "concurrentSandboxes", 0, 1 << 30,
                                &m->concurrent_sandboxes, err)) < 0 ||
            (rc = json_get_double(it, path, "sandboxStartRate", &m->start_rate, err)) < 0)
            break;
        /* starts a second: 1e309 showed "starts/min inf" */
        if (!isfinite(m->start_rate) || m->start_rate < 0 || m->start_rate > 1e6) {
            rc = error_set(err, ERROR_PROTOCOL, "%s.sandboxStartRate: out of range", path);
            break;
        }
    }
    cJSON_Delete(doc);
    if (rc < 0) team_metric_list_free(out);
    return rc;
}

int team_metric_max_parse(const char *text, size_t len, struct team_metric_max *out,
                          struct error *err)
{
    memset(out, 0, sizeof *out);
    cJSON *doc = model_parse_doc(text, len, 0, "maxTeamMetric", err);
    if (!doc) return -1;
    int rc = nonneg(doc, "maxTeamMetric", "timestampUnix", &out->ts, err);
    if (rc == 0) rc = json_get_double(doc, "maxTeamMetric", "value", &out->value, err);
    cJSON_Delete(doc);
    return rc;
}

void team_metric_list_free(struct team_metric_list *l)
{
    free(l->items);
    l->items = NULL;
    l->n = 0;
}
