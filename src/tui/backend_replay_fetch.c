/* backend_replay_fetch.c - the views' fetches answered from a recording (see backend_replay.h).
 *
 * Each answer is the recorded response body, cut to what the query asks (a sandbox's events,
 * logs after or before a cursor) and decoded by the parser a live answer goes through, so a
 * replay exercises the same code as E2B cloud. Answers arrive from the loop (a 0 ms timer),
 * never inside the call, like a live fetch. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "boxtop/i18n.h"
#include "backend_replay.h"

enum rkind { R_LOGS, R_RAW, R_TEMPLATES, R_TEAM, R_TEAM_MAX, R_NOT_FOUND };

struct replay_fetch {
    struct bfetch base;
    struct loop *loop;
    int64_t timer;
    enum rkind kind;
    char *body; /* the recorded body, already cut to the query */
    struct api_logs_query q;
    api_done_cb cb;
    void *ud;
};

static void rf_cancel(struct bfetch *f)
{
    struct replay_fetch *rf = (struct replay_fetch *)f;
    loop_timer_cancel(rf->loop, rf->timer);
    free(rf->body);
    free(rf);
}

/* Logs the query asks for: after (forward) or before (backward) the cursor, both inclusive
 * as the API's are (the store drops repeats). */
static void logs_cut(struct log_list *l, const struct api_logs_query *q)
{
    int fwd = q->direction && !strcmp(q->direction, "forward"), w = 0;
    for (int i = 0; i < l->n; i++) {
        int64_t t = l->items[i].ts_ms;
        if (!q->cursor_ms || (fwd ? t >= q->cursor_ms : t <= q->cursor_ms)) {
            l->items[w++] = l->items[i];
            continue;
        }
        free(l->items[i].timestamp);
        free(l->items[i].message);
        kv_list_free(&l->items[i].fields);
    }
    l->n = w;
}

static void rf_fire(struct loop *lp, void *ud)
{
    (void)lp;
    struct replay_fetch *rf = ud;
    struct api_result res;
    memset(&res, 0, sizeof res);
    res.status = 200;
    res.total_running = -1;
    res.body = rf->body;
    res.body_len = strlen(rf->body);
    switch (rf->kind) {
    case R_LOGS:
        if (logs_v2_parse(res.body, res.body_len, &res.logs, &res.err) == 0)
            logs_cut(&res.logs, &rf->q);
        break;
    case R_NOT_FOUND: /* what a backend without the route answers */
        res.status = 404;
        res.body_len = 0;
        error_set(&res.err, ERROR_NOT_FOUND, "%s", _("not found"));
        break;
    case R_RAW:
        break; /* the caller decodes the body itself (events, a template's builds) */
    case R_TEMPLATES:
        templates_parse(res.body, res.body_len, &res.templates, &res.err);
        break;
    case R_TEAM:
        team_metrics_parse(res.body, res.body_len, &res.team, &res.err);
        break;
    case R_TEAM_MAX:
        team_metric_max_parse(res.body, res.body_len, &res.team_max, &res.err);
        break;
    }
    rf->cb(&res, rf->ud);
    log_list_free(&res.logs);
    template_list_free(&res.templates);
    team_metric_list_free(&res.team);
    free(rf->body);
    free(rf);
}

/* Start an answer with body doc (NULL: the recording has none for this call). */
static struct bfetch *answer(struct backend *b, enum rkind kind, const cJSON *doc, api_done_cb cb,
                             void *ud, struct error *err)
{
    if (!doc) {
        error_set(err, ERROR_NOT_FOUND, "%s", _("not in the recording"));
        return NULL;
    }
    struct replay_fetch *rf = calloc(1, sizeof *rf);
    if (rf) rf->body = cJSON_PrintUnformatted(doc);
    if (!rf || !rf->body || (rf->timer = loop_timer_add(b->loop, 0, rf_fire, rf)) <= 0) {
        if (rf) free(rf->body);
        free(rf);
        error_set(err, ERROR_GENERIC, "%s", _("out of memory"));
        return NULL;
    }
    rf->base.cancel = rf_cancel;
    rf->loop = b->loop;
    rf->kind = kind;
    rf->cb = cb;
    rf->ud = ud;
    return &rf->base;
}

struct bfetch *replay_fetch_logs(struct backend *b, const char *id, const struct api_logs_query *q,
                                 api_done_cb cb, void *ud, struct error *err)
{
    const cJSON *all = backend_replay_api(b, "logs");
    const cJSON *doc = id ? cJSON_GetObjectItemCaseSensitive(all, id) : NULL;
    struct replay_fetch *rf = (struct replay_fetch *)answer(b, R_LOGS, doc, cb, ud, err);
    if (rf && q) {
        rf->q.cursor_ms = q->cursor_ms;
        rf->q.direction = q->direction && !strcmp(q->direction, "forward") ? "forward" : NULL;
    }
    return rf ? &rf->base : NULL;
}

struct bfetch *replay_fetch_events(struct backend *b, const char *id, int limit, api_done_cb cb,
                                   void *ud, struct error *err)
{
    const cJSON *all = backend_replay_api(b, "events");
    cJSON *cut = cJSON_IsArray(all) ? cJSON_CreateArray() : NULL;
    const cJSON *e;
    cJSON_ArrayForEach(e, all)
    {
        const cJSON *sid = cJSON_GetObjectItemCaseSensitive(e, "sandboxId");
        if (cJSON_GetArraySize(cut) >= limit) break;
        if (id && !(cJSON_IsString(sid) && !strcmp(sid->valuestring, id))) continue;
        cJSON_AddItemToArray(cut, cJSON_Duplicate(e, 1));
    }
    struct bfetch *f = answer(b, R_RAW, cut, cb, ud, err);
    cJSON_Delete(cut);
    return f;
}

struct bfetch *replay_fetch_templates(struct backend *b, api_done_cb cb, void *ud,
                                      struct error *err)
{
    return answer(b, R_TEMPLATES, backend_replay_api(b, "templates"), cb, ud, err);
}

struct bfetch *replay_fetch_team(struct backend *b, const char *metric, int64_t start_s,
                                 int64_t end_s, api_done_cb cb, void *ud, struct error *err)
{
    (void)start_s; /* a recording holds one window */
    (void)end_s;
    if (!metric) return answer(b, R_TEAM, backend_replay_api(b, "teamMetrics"), cb, ud, err);
    const cJSON *max =
        cJSON_GetObjectItemCaseSensitive(backend_replay_api(b, "teamMetricsMax"), metric);
    return answer(b, R_TEAM_MAX, max, cb, ud, err);
}

struct bfetch *replay_fetch_keyed(struct backend *b, const char *section, const char *id,
                                  api_done_cb cb, void *ud, struct error *err)
{
    const cJSON *all = backend_replay_api(b, section);
    return answer(b, R_RAW, id ? cJSON_GetObjectItemCaseSensitive(all, id) : NULL, cb, ud, err);
}

struct bfetch *replay_fetch_raw(struct backend *b, const char *section, api_done_cb cb, void *ud,
                                struct error *err)
{
    return answer(b, R_RAW, backend_replay_api(b, section), cb, ud, err);
}

struct bfetch *replay_fetch_deliveries(struct backend *b, const char *id, api_done_cb cb, void *ud,
                                       struct error *err)
{
    const cJSON *all = backend_replay_api(b, "webhookDeliveries");
    if (!all) { /* the recorded backend kept no history: its 404, with an empty body */
        cJSON *none = cJSON_CreateString("");
        struct bfetch *f = answer(b, R_NOT_FOUND, none, cb, ud, err);
        cJSON_Delete(none);
        return f;
    }
    const cJSON *d = id ? cJSON_GetObjectItemCaseSensitive(all, id) : NULL;
    cJSON *empty = d ? NULL : cJSON_CreateArray(); /* not listed: no deliveries yet */
    struct bfetch *f = answer(b, R_RAW, d ? d : empty, cb, ud, err);
    cJSON_Delete(empty);
    return f;
}
