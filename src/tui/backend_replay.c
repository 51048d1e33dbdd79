/* backend_replay.c - a recorded model as a backend (--replay FILE).
 *
 * The recording (model_json.h) is loaded once; actions change the in-memory model the way the
 * real backend would (kill removes, pause/resume flip the state, timeouts move the end time,
 * create adds a sandbox), so the whole UI can be exercised offline and the result recorded
 * again with --record. Nothing here pretends to be a server: the header says "replay". */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "backend.h"
#include "backend_replay.h"
#include "duration.h"
#include "model_json.h"

struct replay {
    struct backend base;
    cJSON *api; /* the recording's "api" section (backend_replay.h), NULL = none */
    char *templates[33];
    int ntemplates;
    unsigned created;
};

void backend_report(struct backend *b, enum backend_event ev, const char *fmt, ...)
{
    char msg[512] = "";
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
    }
    if (b->on_event) b->on_event(b->ud, ev, msg);
}

void backend_report_err(struct backend *b, enum backend_event ev, const struct error *err,
                        const char *fmt, ...)
{
    char msg[512] = "";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    b->detail = err && err->detail[0] ? err->detail : NULL;
    if (b->on_event) b->on_event(b->ud, ev, msg);
    b->detail = NULL;
}

static void replay_refresh(struct backend *b)
{
    (void)b; /* a recording does not change by itself */
}

static struct box *need(struct backend *b, const char *id)
{
    struct box *s = model_find(b->model, id);
    if (!s) backend_report(b, BACKEND_ACTION_FAILED, _("sandbox %s not found"), id);
    return s;
}

static void replay_kill(struct backend *b, const char *id)
{
    if (model_remove(b->model, id) == 0) {
        backend_report(b, BACKEND_ACTION_OK, _("killed %s"), id);
        backend_report(b, BACKEND_MODEL_CHANGED, NULL);
    } else {
        backend_report(b, BACKEND_ACTION_FAILED, _("sandbox %s not found"), id);
    }
}

static void set_state(struct backend *b, const char *id, enum box_state st)
{
    struct box *s = need(b, id);
    if (!s) return;
    if (s->state == st) {
        backend_report(b, BACKEND_ACTION_FAILED, _("sandbox %s is already %s"), id,
                       box_state_name(st));
        return;
    }
    s->state = st;
    model_touch(b->model);
    backend_report(b, BACKEND_ACTION_OK, st == BOX_PAUSED ? _("paused %s") : _("resumed %s"), id);
    backend_report(b, BACKEND_MODEL_CHANGED, NULL);
}

static void replay_pause(struct backend *b, const char *id)
{
    set_state(b, id, BOX_PAUSED);
}

static void replay_resume(struct backend *b, const char *id)
{
    set_state(b, id, BOX_RUNNING);
}

static void replay_set_timeout(struct backend *b, const char *id, int seconds)
{
    struct box *s = need(b, id);
    if (!s) return;
    s->end_ms = loop_wall_ms() + (int64_t)seconds * 1000;
    model_touch(b->model);
    char span[32];
    ui_fmt_span(span, sizeof span, seconds);
    backend_report(b, BACKEND_ACTION_OK, _("%s now ends in %s"), id, span);
    backend_report(b, BACKEND_MODEL_CHANGED, NULL);
}

static void replay_create(struct backend *b, const struct create_req *req)
{
    struct replay *r = (struct replay *)b;
    char id[40];
    snprintf(id, sizeof(id), "replay%04u", ++r->created);
    struct box *s = model_upsert(b->model, id);
    if (!s || box_set_str(&s->template_id, req->template_id)) {
        backend_report(b, BACKEND_ACTION_FAILED, _("out of memory"));
        return;
    }
    int64_t now = loop_wall_ms();
    s->state = BOX_RUNNING;
    s->started_ms = now;
    s->end_ms = now + (int64_t)req->timeout_s * 1000;
    s->cpu_count = 2;
    s->memory_mb = 512;
    s->seen = b->model->round;
    for (int i = 0; req->meta_kv && req->meta_kv[i]; i++) {
        const char *eq = strchr(req->meta_kv[i], '=');
        if (!eq) continue;
        char key[256];
        snprintf(key, sizeof(key), "%.*s", (int)(eq - req->meta_kv[i]), req->meta_kv[i]);
        box_set_meta(s, key, eq + 1);
    }
    model_touch(b->model);
    backend_report(b, BACKEND_ACTION_OK, _("created %s from %s"), id, req->template_id);
    backend_report(b, BACKEND_MODEL_CHANGED, NULL);
}

static void replay_watch(struct backend *b, const char *id)
{
    struct box *s = id ? model_find(b->model, id) : NULL;
    if (!s) return;
    box_history_reserve(s, MODEL_HISTORY);
    /* a recording without processes or logs has none to show: say so, do not spin */
    if (s->procs_state != PANEL_OK)
        box_panel_error(&s->procs_err, &s->procs_state, _("not in the recording"));
    if (s->logs_state != PANEL_OK)
        box_panel_error(&s->logs_err, &s->logs_state, _("not in the recording"));
    model_touch(b->model);
}

static void replay_kill_process(struct backend *b, const char *id, uint32_t pid)
{
    struct box *s = need(b, id);
    if (!s) return;
    for (int i = 0; i < s->n_procs; i++)
        if (s->procs[i].pid == pid) {
            free(s->procs[i].cmd);
            free(s->procs[i].tag);
            s->procs[i] = s->procs[--s->n_procs];
            model_touch(b->model);
            backend_report(b, BACKEND_ACTION_OK, _("killed process %u in %s"), pid, id);
            backend_report(b, BACKEND_MODEL_CHANGED, NULL);
            return;
        }
    backend_report(b, BACKEND_ACTION_FAILED, _("process %u not found in %s"), pid, id);
}

static const char *const *replay_templates(struct backend *b)
{
    return (const char *const *)((struct replay *)b)->templates;
}

static void replay_destroy(struct backend *b)
{
    struct replay *r = (struct replay *)b;
    for (int i = 0; i < r->ntemplates; i++)
        free(r->templates[i]);
    cJSON_Delete(r->api);
    free(r);
}

int backend_replay_has_api(struct backend *b)
{
    return ((struct replay *)b)->api != NULL;
}

const cJSON *backend_replay_api(struct backend *b, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(((struct replay *)b)->api, key);
}

const char *backend_replay_team_id(struct backend *b)
{
    const cJSON *t = backend_replay_api(b, "teamID");
    return cJSON_IsString(t) ? t->valuestring : NULL;
}

const cJSON *backend_replay_cast(struct backend *b, const char *sandbox_id)
{
    const cJSON *c =
        cJSON_GetObjectItemCaseSensitive(backend_replay_api(b, "terminals"), sandbox_id);
    return cJSON_IsArray(c) ? c : NULL;
}

/* The "api" section, read on its own: the model loader knows only the model's part. */
static cJSON *load_api(const char *path)
{
    struct buf b = BUF_INIT;
    FILE *f = fopen(path, "rb");
    char chunk[65536];
    size_t n;
    while (f && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, n);
    if (f) fclose(f);
    cJSON *root = b.len ? cJSON_ParseWithLength(b.data, b.len) : NULL;
    buf_free(&b);
    cJSON *api = cJSON_DetachItemFromObjectCaseSensitive(root, "api");
    cJSON_Delete(root);
    if (api && !cJSON_IsObject(api)) {
        cJSON_Delete(api);
        api = NULL;
    }
    return api;
}

static const struct backend_ops replay_ops = {
    .kind = "replay",
    .poll_now = replay_refresh,
    .kill = replay_kill,
    .pause = replay_pause,
    .resume = replay_resume,
    .set_timeout = replay_set_timeout,
    .create = replay_create,
    .watch = replay_watch,
    .kill_process = replay_kill_process,
    .templates = replay_templates,
    .destroy = replay_destroy,
};

static void add_template(struct replay *r, const char *t)
{
    if (!t || !t[0] || r->ntemplates >= 32) return;
    for (int i = 0; i < r->ntemplates; i++)
        if (!strcmp(r->templates[i], t)) return;
    char *d = strdup(t);
    if (d) r->templates[r->ntemplates++] = d;
}

struct backend *backend_replay_new(struct loop *loop, struct model *model, const char *path,
                                   struct error *err)
{
    struct replay *r = calloc(1, sizeof(*r));
    if (!r) {
        error_set(err, ERROR_GENERIC, "out of memory");
        return NULL;
    }
    r->base.ops = &replay_ops;
    r->base.loop = loop;
    r->base.model = model;
    if (model_load_file(model, path, loop_wall_ms(), err)) {
        free(r);
        return NULL;
    }
    r->api = load_api(path);
    add_template(r, "base");
    for (int i = 0; i < model->n; i++) {
        add_template(r, model->sb[i]->alias);
        add_template(r, model->sb[i]->template_id);
    }
    if (!model->backend_label) box_set_str(&model->backend_label, "recording");
    return &r->base;
}
