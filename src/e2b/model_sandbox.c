/* model_sandbox.c - struct sandbox from ListedSandbox, SandboxDetail and Sandbox JSON. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/json.h"
#include "boxtop/models.h"
#include "model_util.h"

/* Sandbox sizes: generous bounds, only there to reject nonsense (negative, overflow). */
#define MAX_CPU 4096
#define MAX_MB  (1 << 30)

enum shape { SHAPE_LISTED, SHAPE_DETAIL, SHAPE_CREATED };

static int parse_state(const cJSON *o, const char *path, struct sandbox *s, struct error *err)
{
    if (model_req_str(o, path, "state", &s->state_name, err) < 0) return -1;
    if (!strcmp(s->state_name, "running"))
        s->state = SANDBOX_RUNNING;
    else if (!strcmp(s->state_name, "paused"))
        s->state = SANDBOX_PAUSED;
    else
        s->state = SANDBOX_STATE_OTHER; /* newer servers may add states: keep the name */
    return 0;
}

static int parse_one(const cJSON *o, const char *path, enum shape shape, struct sandbox *s,
                     struct error *err)
{
    memset(s, 0, sizeof *s);
    s->allow_internet = -1;
    if (json_expect_object(o, path, err) < 0) return -1;
    if (model_req_str(o, path, "sandboxID", &s->id, err) < 0 ||
        model_req_str(o, path, "templateID", &s->template_id, err) < 0 ||
        model_opt_str(o, path, "alias", &s->alias, err) < 0 ||
        model_opt_str(o, path, "clientID", &s->client_id, err) < 0 || /* deprecated */
        model_req_str(o, path, "envdVersion", &s->envd_version, err) < 0 ||
        model_opt_str(o, path, "envdAccessToken", &s->envd_access_token, err) < 0 ||
        model_opt_str(o, path, "domain", &s->domain, err) < 0)
        return -1;
    if (!s->id[0]) return error_set(err, ERROR_PROTOCOL, "%s.sandboxID: empty", path);
    if (shape == SHAPE_CREATED)
        return model_opt_str(o, path, "trafficAccessToken", &s->traffic_access_token, err);

    if (parse_state(o, path, s, err) < 0 ||
        model_req_time(o, path, "startedAt", &s->started_at_ms, err) < 0 ||
        model_req_time(o, path, "endAt", &s->end_at_ms, err) < 0 ||
        model_req_int(o, path, "cpuCount", 0, MAX_CPU, &s->cpu_count, err) < 0 ||
        model_req_int(o, path, "memoryMB", 0, MAX_MB, &s->memory_mb, err) < 0 ||
        model_req_int(o, path, "diskSizeMB", 0, MAX_MB, &s->disk_size_mb, err) < 0)
        return -1;
    const cJSON *md = NULL;
    char sub[256];
    if (json_opt_object(o, path, "metadata", &md, err) < 0) return -1;
    if (md && model_kv_object(md, json_path_key(sub, sizeof sub, path, "metadata"), &s->metadata, 0,
                              err) < 0)
        return -1;
    if (shape == SHAPE_DETAIL) {
        bool ai;
        const cJSON *lc = NULL;
        if (json_opt_bool(o, path, "allowInternetAccess", &ai, true, err) < 0 ||
            json_opt_object(o, path, "lifecycle", &lc, err) < 0)
            return -1;
        if (cJSON_GetObjectItemCaseSensitive(o, "allowInternetAccess") &&
            !cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, "allowInternetAccess")))
            s->allow_internet = ai;
        if (lc && model_opt_str(lc, json_path_key(sub, sizeof sub, path, "lifecycle"), "onTimeout",
                                &s->on_timeout, err) < 0)
            return -1;
    }
    return 0;
}

static int parse_doc_one(const char *text, size_t len, enum shape shape, struct sandbox *out,
                         struct error *err)
{
    memset(out, 0, sizeof *out);
    cJSON *doc = model_parse_doc(text, len, 0, "sandbox", err);
    if (!doc) return -1;
    int rc = parse_one(doc, "sandbox", shape, out, err);
    cJSON_Delete(doc);
    if (rc < 0) sandbox_free(out);
    return rc;
}

int sandbox_detail_parse(const char *text, size_t len, struct sandbox *out, struct error *err)
{
    return parse_doc_one(text, len, SHAPE_DETAIL, out, err);
}

int sandbox_created_parse(const char *text, size_t len, struct sandbox *out, struct error *err)
{
    return parse_doc_one(text, len, SHAPE_CREATED, out, err);
}

int sandbox_list_parse(const char *text, size_t len, struct sandbox_list *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    cJSON *doc = model_parse_doc(text, len, 1, "sandboxes", err);
    if (!doc) return -1;
    int n = cJSON_GetArraySize(doc);
    out->items = n ? calloc((size_t)n, sizeof *out->items) : NULL;
    if (n && !out->items) {
        cJSON_Delete(doc);
        return error_set(err, ERROR_GENERIC, "out of memory");
    }
    int i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, doc)
    {
        char path[64];
        struct error e = {0};
        json_path_index(path, sizeof path, "sandboxes", i++);
        if (parse_one(it, path, SHAPE_LISTED, &out->items[out->n], &e) == 0) {
            out->n++;
            continue;
        }
        sandbox_free(&out->items[out->n]);
        if (!out->skipped++) snprintf(out->skip_why, sizeof out->skip_why, "%s", e.msg);
    }
    cJSON_Delete(doc);
    return 0;
}

void sandbox_free(struct sandbox *s)
{
    if (!s) return;
    free(s->id);
    free(s->template_id);
    free(s->alias);
    free(s->client_id);
    free(s->state_name);
    free(s->envd_version);
    if (s->envd_access_token) /* wipe secrets before giving the memory back */
        memset(s->envd_access_token, 0, strlen(s->envd_access_token));
    free(s->envd_access_token);
    if (s->traffic_access_token)
        memset(s->traffic_access_token, 0, strlen(s->traffic_access_token));
    free(s->traffic_access_token);
    kv_list_free(&s->metadata);
    free(s->domain);
    free(s->on_timeout);
    memset(s, 0, sizeof *s);
}

void sandbox_list_free(struct sandbox_list *l)
{
    for (int i = 0; i < l->n; i++)
        sandbox_free(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

const char *sandbox_state_name(const struct sandbox *s)
{
    switch (s->state) {
    case SANDBOX_RUNNING:
        return "running";
    case SANDBOX_PAUSED:
        return "paused";
    default:
        return s->state_name ? s->state_name : "unknown";
    }
}
