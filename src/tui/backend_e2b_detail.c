/* backend_e2b_detail.c - the watched sandbox of the detail view: its history window, its
 * processes (envd Process.List, kill) and its latest logs, refreshed each round. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <signal.h>

#include "boxtop/i18n.h"
#include "app.h"
#include "backend_e2b_int.h"

/* ---- the watched sandbox: processes and logs ---------------------------------------- */

void e2b_detail_stop(struct e2b_backend *b)
{
    if (b->info_call) api_cancel(b->info_call);
    if (b->logs_call) api_cancel(b->logs_call);
    if (b->procs_req) http_cancel(b->procs_req);
    b->info_call = b->logs_call = NULL;
    b->procs_req = NULL;
    if (b->envd_ready) envd_client_free(&b->envd);
    struct box *w = e2b_watched(b);
    if (w) /* back to a table row's history */
        box_history_reserve(w, MODEL_HISTORY_ROW);
    b->envd_ready = 0;
    free(b->watch_id);
    b->watch_id = NULL;
}

static void join_args(struct buf *out, const cJSON *cfg)
{
    const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(cfg, "cmd");
    const cJSON *args = cJSON_GetObjectItemCaseSensitive(cfg, "args");
    if (cJSON_IsString(cmd)) buf_append_str(out, cmd->valuestring);
    const cJSON *a;
    if (cJSON_IsArray(args)) cJSON_ArrayForEach(a, args) if (cJSON_IsString(a))
        {
            buf_append_byte(out, ' ');
            buf_append_str(out, a->valuestring);
        }
}

static void on_procs(const cJSON *resp, const struct error *err, void *ud)
{
    struct e2b_backend *b = ud;
    b->procs_req = NULL;
    struct box *s = e2b_watched(b);
    if (!s) return;
    const cJSON *arr = resp ? cJSON_GetObjectItemCaseSensitive(resp, "processes") : NULL;
    if (err || (arr && !cJSON_IsArray(arr))) {
        box_panel_error(&s->procs_err, &s->procs_state,
                        err ? err->msg : _("envd sent a malformed process list"));
    } else {
        int n = arr ? cJSON_GetArraySize(arr) : 0;
        struct box_proc *v = calloc((size_t)n + 1, sizeof(*v));
        int k = 0;
        const cJSON *it;
        if (v && arr) cJSON_ArrayForEach(it, arr)
            {
                const cJSON *pid = cJSON_GetObjectItemCaseSensitive(it, "pid");
                const cJSON *tag = cJSON_GetObjectItemCaseSensitive(it, "tag");
                const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(it, "config");
                if (!cJSON_IsNumber(pid) || pid->valuedouble < 0 || pid->valuedouble > 4294967295.0)
                    continue;
                struct buf c = BUF_INIT;
                if (cJSON_IsObject(cfg)) join_args(&c, cfg);
                v[k].pid = (uint32_t)pid->valuedouble;
                v[k].cmd = buf_steal(&c);
                v[k].tag = cJSON_IsString(tag) ? strdup(tag->valuestring) : NULL;
                k++;
            }
        box_set_procs(s, v, k);
        s->procs_state = PANEL_OK;
    }
    model_touch(b->base.model);
    backend_report(&b->base, BACKEND_MODEL_CHANGED, NULL);
}

static void procs_fetch(struct e2b_backend *b)
{
    struct box *s = e2b_watched(b);
    if (!s || !b->envd_ready || b->procs_req) return;
    if (s->state == BOX_PAUSED) {
        box_panel_error(&s->procs_err, &s->procs_state, _("paused: resume it to see processes"));
        return;
    }
    struct error err = {0};
    b->procs_req = envd_process_list(&b->envd, on_procs, b, &err);
    if (!b->procs_req) box_panel_error(&s->procs_err, &s->procs_state, err.msg);
}

static void on_info(struct api_result *res, void *ud)
{
    struct e2b_backend *b = ud;
    b->info_call = NULL;
    struct box *s = e2b_watched(b);
    if (!s) return;
    if (res->err.kind != ERROR_NONE) {
        box_panel_error(&s->procs_err, &s->procs_state, res->err.msg);
        model_touch(b->base.model);
        return;
    }
    struct error err = {0};
    const char *domain = res->sandbox.domain ? res->sandbox.domain : b->domain;
    if (envd_client_init(&b->envd, b->http, b->watch_id, b->sandbox_url, domain, false,
                         res->sandbox.envd_access_token, NULL, &err)) {
        box_panel_error(&s->procs_err, &s->procs_state, err.msg);
        model_touch(b->base.model);
        return;
    }
    b->envd_ready = 1;
    procs_fetch(b);
}

static void on_logs(struct api_result *res, void *ud)
{
    struct e2b_backend *b = ud;
    b->logs_call = NULL;
    struct box *s = e2b_watched(b);
    if (!s) return;
    if (res->err.kind != ERROR_NONE) {
        box_panel_error(&s->logs_err, &s->logs_state, res->err.msg);
    } else {
        int n = res->logs.n;
        struct box_log *v = calloc((size_t)n + 1, sizeof(*v));
        for (int i = 0; v && i < n; i++) {
            v[i].t_ms = res->logs.items[i].ts_ms;
            v[i].level = strdup(log_entry_level_name(res->logs.items[i].level));
            v[i].msg = strdup(res->logs.items[i].message ? res->logs.items[i].message : "");
        }
        box_set_logs(s, v, v ? n : 0);
        s->logs_state = PANEL_OK;
    }
    model_touch(b->base.model);
    backend_report(&b->base, BACKEND_MODEL_CHANGED, NULL);
}

#define DETAIL_LOG_LINES 20

/* The batch endpoint gives one sample per poll; opening the detail view fetches the kept
 * window at once so the graphs are full from the first frame. */
static void on_history(struct api_result *res, void *ud)
{
    struct e2b_backend *b = ud;
    b->hist_call = NULL;
    struct box *s = e2b_watched(b);
    if (s && res->err.kind == ERROR_NONE) e2b_merge_history(b, s, res);
}

void e2b_detail_fetch(struct e2b_backend *b)
{
    struct box *s = e2b_watched(b);
    if (!s || !b->api) return;
    if (!b->envd_ready && !b->info_call)
        b->info_call = api_get_sandbox(b->api, b->watch_id, on_info, b);
    else
        procs_fetch(b);
    if (!b->logs_call) {
        struct api_logs_query q = {0};
        q.direction = "backward";
        q.limit = DETAIL_LOG_LINES;
        b->logs_call = api_logs_v2(b->api, b->watch_id, &q, on_logs, b);
    }
}

void e2b_watch(struct backend *be, const char *id)
{
    struct e2b_backend *b = (struct e2b_backend *)be;
    if (id && b->watch_id && !strcmp(id, b->watch_id)) return;
    e2b_detail_stop(b);
    if (!id) return;
    b->watch_id = strdup(id);
    struct box *s = e2b_watched(b);
    if (s) box_history_reserve(s, MODEL_HISTORY);
    if (s && b->api) {
        int64_t now_s = loop_wall_ms() / 1000;
        s->hist_full = 1; /* this window is longer than a row's */
        b->hist_call = api_sandbox_metrics(
            b->api, id, now_s - MODEL_HISTORY * TICK_METRICS_MS / 1000, now_s, on_history, b);
    }
    if (s) {
        s->procs_state = s->procs_state == PANEL_OK ? PANEL_OK : PANEL_LOADING;
        s->logs_state = s->logs_state == PANEL_OK ? PANEL_OK : PANEL_LOADING;
    }
    e2b_detail_fetch(b);
}

static void on_signal_done(const cJSON *resp, const struct error *err, void *ud)
{
    (void)resp;
    struct action *ac = ud;
    struct e2b_backend *b = ac->b;
    if (err)
        backend_report_err(&b->base, BACKEND_ACTION_FAILED, err, "%s: %s", ac->id, err->msg);
    else
        backend_report(&b->base, BACKEND_ACTION_OK, "%s", ac->verb);
    free(ac->id);
    free(ac);
    procs_fetch(b);
}

void e2b_kill_process(struct backend *be, const char *id, uint32_t pid)
{
    struct e2b_backend *b = (struct e2b_backend *)be;
    if (!b->envd_ready || !b->watch_id || strcmp(id, b->watch_id)) {
        backend_report(be, BACKEND_ACTION_FAILED, _("the process list is not loaded yet"));
        return;
    }
    struct action *ac = e2b_action_new(b, id, _("killed the process"));
    if (!ac) return;
    struct error err = {0};
    if (!envd_process_signal(&b->envd, pid, SIGKILL, on_signal_done, ac, &err)) {
        backend_report_err(be, BACKEND_ACTION_FAILED, &err, "%s", err.msg);
        free(ac->id);
        free(ac);
    }
}
