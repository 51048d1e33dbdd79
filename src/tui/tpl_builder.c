/* tpl_builder.c - a template build from the TUI (see tpl_builder.h). */
#include "config.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "boxtop/api.h"
#include "boxtop/dockerfile.h"
#include "boxtop/http.h"
#include "boxtop/json.h"
#include "boxtop/i18n.h"
#include "boxtop/loop.h"
#include "boxtop/tpl_context.h"
#include "session.h"
#include "tpl_builder.h"

#define POLL_MS 200

struct copy_up {
    cJSON *step; /* in steps */
    struct buf tgz;
};

struct priv {
    struct tpl_builder pub; /* first: the view sees this */
    struct loop *loop;
    struct api *api;
    struct http *http;
    tpl_builder_cb cb;
    void *ud;
    struct dockerfile df;
    struct copy_up *ups;
    int n_ups, up_i;
    struct api_call *call;
    struct http_request *put;
    int64_t timer;
    long long offset;
    int cpu, memory;
};

static void changed(struct priv *p)
{
    if (p->cb) p->cb(p->ud);
}

static void add_line(struct priv *p, int level, const char *msg)
{
    struct tpl_builder *t = &p->pub;
    if (t->n_lines >= TPL_BUILDER_LINES_MAX) { /* keep the newest */
        free(t->lines[0].msg);
        memmove(t->lines, t->lines + 1, (size_t)(t->n_lines - 1) * sizeof *t->lines);
        t->n_lines--;
    }
    if (t->n_lines == t->cap_lines) {
        int nc = t->cap_lines ? t->cap_lines * 2 : 64;
        struct tpl_builder_line *nl = realloc(t->lines, (size_t)nc * sizeof *nl);
        if (!nl) return;
        t->lines = nl;
        t->cap_lines = nc;
    }
    t->lines[t->n_lines].level = level;
    t->lines[t->n_lines].msg = strdup(msg ? msg : "");
    if (t->lines[t->n_lines].msg) t->n_lines++;
    int i, n;
    const char *b = msg ? strstr(msg, "[builder ") : NULL;
    if (b && sscanf(b, "[builder %d/%d]", &i, &n) == 2 && i > 0 && n > 0 && n < 100000) {
        t->step = i;
        t->n_steps = n;
    }
}

static void fail(struct priv *p, const char *fmt, const char *detail)
{
    snprintf(p->pub.status, sizeof p->pub.status, "error");
    snprintf(p->pub.error, sizeof p->pub.error, fmt, detail ? detail : "");
    p->pub.finished_ms = loop_now_ms();
    add_line(p, 3, p->pub.error);
    changed(p);
}

/* An API answer arrived: false (and the build failed) when it is an error. */
static bool call_done(struct priv *p, const struct api_result *res)
{
    p->call = NULL;
    if (res->err.kind == ERROR_NONE) return true;
    fail(p, "%s", res->err.msg);
    return false;
}

/* After starting a request: one that could not start fails the build. */
static void check_started(struct priv *p)
{
    if (!p->call) fail(p, "%s", _("cannot start the request"));
}

/* GET path (freed here); cb gets the answer. */
static void get_path(struct priv *p, struct buf *path, api_done_cb cb)
{
    p->call = api_get_raw(p->api, buf_cstr(path), cb, p);
    buf_free(path);
    check_started(p);
}

/* prefix + "<templateID>/builds/<buildID>", both escaped. */
static void build_path(const struct priv *p, const char *prefix, struct buf *path)
{
    buf_append_str(path, prefix);
    api_uri_component(p->pub.tid, path);
    buf_append_str(path, "/builds/");
    api_uri_component(p->pub.bid, path);
}

static void next_upload(struct priv *p);
static void start_build(struct priv *p);
static void poll_status(struct priv *p);
static void on_timer(struct loop *l, void *ud);

static void on_status(struct api_result *res, void *ud)
{
    struct priv *p = ud;
    if (!call_done(p, res)) return;
    cJSON *o = cJSON_ParseWithLength(res->body ? res->body : "", res->body_len);
    const char *st = json_str(o, "status");
    const cJSON *e;
    int n = 0;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(o, "logEntries"))
    {
        const char *lv = json_str(e, "level");
        int level = !lv                    ? 1
                    : !strcmp(lv, "error") ? 3
                    : !strcmp(lv, "warn")  ? 2
                    : !strcmp(lv, "debug") ? 0
                                           : 1;
        add_line(p, level, json_str(e, "message"));
        n++;
    }
    p->offset += n;
    bool terminal = st && (!strcmp(st, "ready") || !strcmp(st, "error"));
    if (st) snprintf(p->pub.status, sizeof p->pub.status, "%s", st);
    if (st && !strcmp(st, "error")) {
        const char *why = json_str(cJSON_GetObjectItemCaseSensitive(o, "reason"), "message");
        snprintf(p->pub.error, sizeof p->pub.error, "%s", why ? why : _("the build failed"));
    }
    cJSON_Delete(o);
    if (terminal && !p->pub.finished_ms) p->pub.finished_ms = loop_now_ms();
    changed(p);
    if (terminal && n == 0) return; /* drained */
    p->timer = loop_timer_add(p->loop, n >= 100 ? 0 : POLL_MS, on_timer, p);
}

static void on_timer(struct loop *l, void *ud)
{
    (void)l;
    struct priv *p = ud;
    p->timer = 0;
    poll_status(p);
}

static void poll_status(struct priv *p)
{
    struct buf path = BUF_INIT;
    build_path(p, "/templates/", &path);
    buf_printf(&path, "/status?logsOffset=%lld", p->offset);
    get_path(p, &path, on_status);
}

static void on_started(struct api_result *res, void *ud)
{
    struct priv *p = ud;
    if (!call_done(p, res)) return;
    snprintf(p->pub.status, sizeof p->pub.status, "building");
    changed(p);
    poll_status(p);
}

static void start_build(struct priv *p)
{
    cJSON *b = cJSON_CreateObject();
    if (p->df.from_image)
        cJSON_AddStringToObject(b, "fromImage", p->df.from_image);
    else
        cJSON_AddStringToObject(b, "fromTemplate", p->df.from_template);
    cJSON_AddBoolToObject(b, "force", false);
    cJSON_AddItemReferenceToObject(b, "steps", p->df.steps);
    if (p->df.start_cmd) cJSON_AddStringToObject(b, "startCmd", p->df.start_cmd);
    char *text = cJSON_PrintUnformatted(b);
    cJSON_Delete(b);
    struct buf path = BUF_INIT;
    build_path(p, "/v2/templates/", &path);
    p->call = api_request_raw(p->api, "POST", buf_cstr(&path), text, on_started, p);
    buf_free(&path);
    free(text);
    check_started(p);
}

static void on_put(struct http_request *req, struct http_result *res, void *ud)
{
    (void)req;
    struct priv *p = ud;
    p->put = NULL;
    if (res->status < 200 || res->status >= 300) {
        fail(p, _("upload failed: %s"), res->err.msg[0] ? res->err.msg : "?");
        return;
    }
    char line[300];
    snprintf(line, sizeof line, _("Uploaded '%s'"),
             cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(p->ups[p->up_i].step, "args"), 0)
                 ->valuestring);
    add_line(p, 1, line);
    p->up_i++;
    next_upload(p);
}

static void on_link(struct api_result *res, void *ud)
{
    struct priv *p = ud;
    if (!call_done(p, res)) return;
    cJSON *o = cJSON_ParseWithLength(res->body ? res->body : "", res->body_len);
    bool present = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "present"));
    const char *url = json_str(o, "url");
    if (present || !url) {
        cJSON_Delete(o);
        p->up_i++;
        next_upload(p);
        return;
    }
    static const char *const hdrs[] = {"Content-Type:", NULL};
    struct http_opts ho = {.method = "PUT",
                           .url = url,
                           .headers = hdrs,
                           .body = p->ups[p->up_i].tgz.data,
                           .body_len = p->ups[p->up_i].tgz.len,
                           .on_done = on_put,
                           .ud = p,
                           .timeout_ms = 3600 * 1000};
    struct error err = {0};
    p->put = http_start(p->http, &ho, &err);
    cJSON_Delete(o);
    if (!p->put) fail(p, "%s", err.msg);
}

static void next_upload(struct priv *p)
{
    if (p->up_i >= p->n_ups) {
        start_build(p);
        return;
    }
    snprintf(p->pub.status, sizeof p->pub.status, "uploading");
    changed(p);
    const char *hash = json_str(p->ups[p->up_i].step, "filesHash");
    struct buf path = BUF_INIT;
    buf_append_str(&path, "/templates/");
    api_uri_component(p->pub.tid, &path);
    buf_printf(&path, "/files/%s", hash);
    get_path(p, &path, on_link);
}

static void on_created(struct api_result *res, void *ud)
{
    struct priv *p = ud;
    if (!call_done(p, res)) return;
    cJSON *o = cJSON_ParseWithLength(res->body ? res->body : "", res->body_len);
    const char *tid = json_str(o, "templateID"), *bid = json_str(o, "buildID");
    if (!tid || !bid || strlen(tid) >= sizeof p->pub.tid || strlen(bid) >= sizeof p->pub.bid) {
        cJSON_Delete(o);
        fail(p, "%s", _("the server's answer has no templateID/buildID"));
        return;
    }
    snprintf(p->pub.tid, sizeof p->pub.tid, "%s", tid);
    snprintf(p->pub.bid, sizeof p->pub.bid, "%s", bid);
    cJSON_Delete(o);
    next_upload(p);
}

/* The backend's API and HTTP clients, or why there are none yet. */
static int connected_env(struct backend *be, struct session_env *env, struct error *err)
{
    if (!be->ops->session_env || be->ops->session_env(be, env) < 0 || !env->api || !env->http) {
        error_set(err, ERROR_GENERIC, "%s", _("not connected to a server yet"));
        return -1;
    }
    return 0;
}

static void bind_env(struct priv *p, struct loop *l, const struct session_env *env,
                     tpl_builder_cb cb, void *ud)
{
    p->loop = l;
    p->api = env->api;
    p->http = env->http;
    p->cb = cb;
    p->ud = ud;
}

/* The builder whose first request started, or NULL (freed) when it could not start. */
static struct tpl_builder *started_or_free(struct priv *p, struct error *err)
{
    if (!p->call) {
        tpl_builder_free(&p->pub);
        error_set(err, ERROR_GENERIC, "%s", _("cannot start the request"));
        return NULL;
    }
    return &p->pub;
}

struct tpl_builder *tpl_builder_start(struct backend *be, const char *file, const char *name,
                                      int cpu, int memory_mb, tpl_builder_cb cb, void *ud,
                                      struct error *err)
{
    struct session_env env = {0};
    if (connected_env(be, &env, err) < 0) return NULL;
    struct buf text = BUF_INIT;
    FILE *f = fopen(file, "rb");
    if (!f) {
        error_set(err, ERROR_USAGE, _("cannot open %s"), file);
        return NULL;
    }
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && text.len <= DOCKERFILE_MAX_BYTES)
        buf_append(&text, chunk, n);
    fclose(f);
    struct priv *p = calloc(1, sizeof *p);
    if (!p) {
        buf_free(&text);
        error_set(err, ERROR_GENERIC, "%s", _("out of memory"));
        return NULL;
    }
    int rc = dockerfile_parse(text.data ? text.data : "", text.len, &p->df, err);
    buf_free(&text);
    if (rc < 0) {
        free(p);
        return NULL;
    }
    char *fc = strdup(file);
    const char *ctx = fc ? dirname(fc) : ".";
    cJSON *s;
    cJSON_ArrayForEach(s, p->df.steps) if (!strcmp(json_str(s, "type"), "COPY")) p->n_ups++;
    p->ups = calloc((size_t)p->n_ups + 1, sizeof *p->ups);
    int k = 0;
    cJSON_ArrayForEach(s, p->df.steps)
    {
        if (rc < 0 || !p->ups || strcmp(json_str(s, "type"), "COPY") != 0) continue;
        const cJSON *args = cJSON_GetObjectItemCaseSensitive(s, "args");
        char hash[65];
        p->ups[k].step = s;
        p->ups[k].tgz = (struct buf)BUF_INIT;
        rc = tpl_context_pack(ctx, cJSON_GetArrayItem(args, 0)->valuestring,
                              cJSON_GetArrayItem(args, 1)->valuestring, &p->ups[k].tgz, hash, err);
        if (rc == 0) cJSON_AddStringToObject(s, "filesHash", hash);
        k++;
    }
    free(fc);
    if (rc < 0 || !p->ups) {
        if (!p->ups) error_set(err, ERROR_GENERIC, "%s", _("out of memory"));
        p->n_ups = k;
        tpl_builder_free(&p->pub);
        return NULL;
    }
    bind_env(p, be->loop, &env, cb, ud);
    p->cpu = cpu;
    p->memory = memory_mb;
    snprintf(p->pub.name, sizeof p->pub.name, "%s", name);
    snprintf(p->pub.status, sizeof p->pub.status, "preparing");
    p->pub.started_ms = loop_now_ms();
    p->pub.n_steps = cJSON_GetArraySize(p->df.steps);
    cJSON *req = cJSON_CreateObject();
    cJSON_AddStringToObject(req, "name", name);
    cJSON_AddNumberToObject(req, "cpuCount", cpu);
    cJSON_AddNumberToObject(req, "memoryMB", memory_mb);
    char *body = cJSON_PrintUnformatted(req);
    cJSON_Delete(req);
    p->call = api_request_raw(p->api, "POST", "/v3/templates", body, on_created, p);
    free(body);
    return started_or_free(p, err);
}

struct tpl_builder *tpl_builder_attach(struct backend *be, const char *tid, const char *bid,
                                       const char *name, int64_t created_ms, int64_t finished_ms,
                                       tpl_builder_cb cb, void *ud, struct error *err)
{
    struct session_env env = {0};
    if (connected_env(be, &env, err) < 0) return NULL;
    struct priv *p = calloc(1, sizeof *p);
    if (!p) {
        error_set(err, ERROR_GENERIC, "%s", _("out of memory"));
        return NULL;
    }
    bind_env(p, be->loop, &env, cb, ud);
    snprintf(p->pub.name, sizeof p->pub.name, "%s", name);
    snprintf(p->pub.tid, sizeof p->pub.tid, "%s", tid);
    snprintf(p->pub.bid, sizeof p->pub.bid, "%s", bid);
    snprintf(p->pub.status, sizeof p->pub.status, "%s", _("loading"));
    /* the elapsed time counts from the build's creation, on the monotonic clock */
    int64_t now = loop_now_ms(), age = created_ms ? loop_wall_ms() - created_ms : 0;
    p->pub.started_ms = now - (age > 0 ? age : 0);
    if (finished_ms && created_ms && finished_ms >= created_ms)
        p->pub.finished_ms = p->pub.started_ms + (finished_ms - created_ms);
    poll_status(p);
    return started_or_free(p, err);
}

void tpl_builder_free(struct tpl_builder *t)
{
    if (!t) return;
    struct priv *p = (struct priv *)t;
    if (p->call) api_cancel(p->call);
    if (p->put) http_cancel(p->put);
    if (p->timer) loop_timer_cancel(p->loop, p->timer);
    for (int i = 0; i < p->n_ups; i++)
        buf_free(&p->ups[i].tgz);
    free(p->ups);
    dockerfile_free(&p->df);
    for (int i = 0; i < t->n_lines; i++)
        free(t->lines[i].msg);
    free(t->lines);
    free(p);
}
