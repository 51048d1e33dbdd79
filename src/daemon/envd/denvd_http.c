/* denvd_http.c - envd's HTTP side on boxtopd's server (server.h): routing by E2b-Sandbox-Id,
 * auth (X-Access-Token, signed /files URLs, Basic user), Connect unary/stream framing, /files
 * streaming, /health, /metrics, /envs.
 *
 * Every request on the envd vhost comes through one fallback route in streaming-body mode, so
 * routing and auth happen as soon as the headers are in (before an upload's body is read),
 * and unknown sandboxes get E2B's proxy 502 whatever the path. One struct denvd_conn per
 * request carries what the services need (the engine only sees denvd_conn_*); it dies in the
 * request's on_close. Downloads are pumped from the drain callback, so a slow client holds
 * boxtopd at about SERVER_STREAM_LOW_WATER + one read per download; uploads are written to
 * disk as each body piece arrives and the server reads no further meanwhile. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <openssl/crypto.h>

#include "boxtop/base64.h"
#include "boxtop/files_sig.h"
#include "denvd_conn.h"
#include "denvd_files.h"
#include "denvd_int.h"
#include "xmeta.h"
#include "runtime/runtime.h"
#include "server.h"

#define RPC_BODY_MAX   (16u << 20)
#define DOWNLOAD_CHUNK (64 * 1024)
#define DOWNLOAD_QUEUE (256u << 10)

static void on_drain(struct server_request *req, void *ud);

static int stream_start(struct denvd_conn *c, const char *ctype)
{
    c->streaming = true;
    return server_stream_begin(c->req, 200, ctype, on_drain, c);
}

/* ---- error answers ---- */

/* envd's plain-HTTP error body: {"code":status,"message":msg} and a newline. */
static void json_error_body(struct buf *b, int status, const char *msg)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "code", status);
    cJSON_AddStringToObject(j, "message", msg);
    pjson_print(b, j);
    buf_append_str(b, "\n");
    cJSON_Delete(j);
}

static void respond_json_error(struct denvd_conn *c, int status, const char *msg)
{
    struct buf b = BUF_INIT;
    json_error_body(&b, status, msg);
    server_add_header(c->req, "X-Content-Type-Options", "nosniff"); /* envd's jsonError */
    server_respond(c->req, status, "application/json; charset=utf-8", b.data, b.len);
    buf_free(&b);
    c->kind = K_DONE;
}

static void respond_sandbox_not_found(struct denvd_conn *c, const char *id)
{
    cJSON *j = cJSON_CreateObject();
    if (id) cJSON_AddStringToObject(j, "sandboxId", id);
    cJSON_AddStringToObject(j, "message", "The sandbox was not found");
    cJSON_AddNumberToObject(j, "code", 502);
    server_respond_json(c->req, 502, j);
    c->kind = K_DONE;
}

static void respond_connect_error(struct denvd_conn *c, enum connect_code code, const char *msg)
{
    struct buf b = BUF_INIT;
    connect_error_json_append(&b, code, msg);
    server_respond(c->req, connect_code_http_status(code), "application/json", b.data, b.len);
    buf_free(&b);
    c->kind = K_DONE;
}

/* A stream RPC that fails before it starts: HTTP 200 + one end-stream frame (connect-go). */
static void stream_error(struct denvd_conn *c, enum connect_code code, const char *msg)
{
    struct buf b = BUF_INIT;
    connect_end_stream_append(&b, code, msg, NULL);
    server_respond(c->req, 200, "application/connect+json", b.data, b.len);
    buf_free(&b);
    c->kind = K_DONE;
}

/* An error before the RPC is routed (envd's authn middleware): connect-go's ErrorWriter picks
 * the format from the request's Content-Type, so a streaming call (Start, Connect, WatchDir)
 * gets HTTP 200 with one end-stream frame and the SDK shows the message, not "HTTP 401". */
static void respond_rpc_error(struct denvd_conn *c, enum connect_code code, const char *msg)
{
    const char *ct = server_request_header(c->req, "content-type");
    static const char *const streaming[] = {"application/connect+json",
                                            "application/connect+proto"};
    for (size_t i = 0; ct && i < sizeof streaming / sizeof streaming[0]; i++) {
        size_t n = strlen(streaming[i]);
        if (strncasecmp(ct, streaming[i], n) == 0 && (ct[n] == '\0' || ct[n] == ';')) {
            stream_error(c, code, msg);
            return;
        }
    }
    respond_connect_error(c, code, msg);
}

/* ---- sandbox lookup and auth ---- */

struct sig_search {
    const char *path, *op, *user, *sig;
    int64_t exp;
    char id[128];
    bool found;
};

static int sig_match(void *arg, const struct denvd_sandbox_info *sb)
{
    struct sig_search *s = arg;
    if (!sb->token || !sb->token[0]) return 0;
    if (files_sig_verify(s->path, s->op, s->user, sb->token, s->exp, s->sig)) {
        snprintf(s->id, sizeof s->id, "%s", sb->id);
        s->found = true;
        return 1;
    }
    return 0;
}

static bool token_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    return la == lb && CRYPTO_memcmp(a, b, la) == 0;
}

/* Basic auth → user name ("" when absent). Like Go's Request.BasicAuth, which envd's authn
 * middleware uses, a header that is not "Basic base64(user:password)" counts as absent (the
 * default user). -1 for a name no user can have (empty, too long, a NUL): out holds its start. */
static int basic_user(struct server_request *req, char *out, size_t n)
{
    const char *v = server_request_header(req, "authorization");
    out[0] = '\0';
    if (!v || strncasecmp(v, "Basic ", 6) != 0) return 0;
    struct buf dec = BUF_INIT;
    if (base64_decode(&dec, v + 6, strlen(v + 6)) < 0) {
        buf_free(&dec);
        return 0;
    }
    const char *d = dec.data ? dec.data : "";
    const char *colon = memchr(d, ':', dec.len);
    int rc = 0;
    if (colon) {
        size_t ul = (size_t)(colon - d), keep = ul < n ? ul : n - 1;
        if (ul == 0 || ul >= n || memchr(d, '\0', ul)) rc = -1; /* "" too: no such user */
        memcpy(out, d, keep);
        out[keep] = '\0';
    }
    buf_free(&dec);
    return rc;
}

static int setup_call(struct denvd_conn *c, const struct denvd_sandbox_info *info, const char *user)
{
    struct denvd_call *call = &c->call;
    memset(call, 0, sizeof *call);
    call->e = c->e;
    call->sbx = denvd_sbx_get(c->e, info->id, info->rt);
    if (!call->sbx) return -ENOMEM;
    call->root_fd = rt_root_fd(info->rt);
    const char *u = user && *user                               ? user
                    : info->default_user && *info->default_user ? info->default_user
                                                                : "user";
    size_t ul = strlen(u);
    if (ul >= sizeof call->user) return -EPERM; /* no such user; never a truncated name */
    memcpy(call->user, u, ul + 1);
    const char *home = NULL;
    if (rt_user_ids(info->rt, call->user, &call->uid, &call->gid, &home) < 0) return -EPERM;
    snprintf(call->home, sizeof call->home, "%s", home ? home : "/");
    struct rt_caps caps;
    rt_get_caps(c->e->host.rt, &caps);
    call->own_root = caps.mountns; /* plain mode: the root is the host's "/" */
    call->timeout_ms = -1;
    call->keepalive_s = 90;
    const char *v = server_request_header(c->req, "connect-timeout-ms");
    if (v && *v && strlen(v) <= 10) {
        char *end;
        long long ms = strtoll(v, &end, 10);
        if (*end == '\0' && ms > 0) call->timeout_ms = ms;
    }
    v = server_request_header(c->req, "keepalive-ping-interval");
    if (v && *v) {
        char *end;
        long s = strtol(v, &end, 10);
        if (*end == '\0' && s > 0 && s <= 3600) /* envd crashes on 0; we keep the default */
            call->keepalive_s = (int)s;
    }
    return 0;
}

/* ---- simple endpoints ---- */

static void handle_metrics(struct denvd_conn *c, const struct denvd_sandbox_info *info)
{
    struct rt_metrics m;
    struct error err;
    if (rt_sample(c->e->host.rt, info->rt, &m, &err) < 0) {
        server_respond(c->req, 500, NULL, NULL, 0);
        return;
    }
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "ts", (double)time(NULL));
    cJSON_AddNumberToObject(j, "cpu_count", info->cpu_count > 0 ? info->cpu_count : 1);
    cJSON_AddNumberToObject(j, "cpu_used_pct", info->cpu_used_pct);
    cJSON_AddNumberToObject(j, "mem_total_mib", (double)(m.mem_total >> 20));
    cJSON_AddNumberToObject(j, "mem_used_mib", (double)(m.mem_used >> 20));
    cJSON_AddNumberToObject(j, "mem_total", (double)m.mem_total);
    cJSON_AddNumberToObject(j, "mem_used", (double)m.mem_used);
    cJSON_AddNumberToObject(j, "mem_cache", 0);
    cJSON_AddNumberToObject(j, "disk_used", (double)m.disk_used);
    cJSON_AddNumberToObject(j, "disk_total", (double)m.disk_total);
    server_add_header(c->req, "Cache-Control", "no-store"); /* as envd's /metrics and /envs */
    server_respond_json(c->req, 200, j);
}

static void handle_envs(struct denvd_conn *c, const struct denvd_sandbox_info *info)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "E2B_SANDBOX", "true");
    cJSON_AddStringToObject(j, "E2B_SANDBOX_ID", info->id);
    if (info->template_id) cJSON_AddStringToObject(j, "E2B_TEMPLATE_ID", info->template_id);
    const cJSON *ev;
    if (info->env_vars)
        cJSON_ArrayForEach(ev, info->env_vars) if (cJSON_IsString(ev) && ev->string)
            cJSON_AddStringToObject(j, ev->string, ev->valuestring);
    server_add_header(c->req, "Cache-Control", "no-store");
    server_respond_json(c->req, 200, j);
}

/* ---- /files ---- */

static void pump_download(struct denvd_conn *c)
{
    char *chunk = malloc(DOWNLOAD_CHUNK);
    if (!chunk) {
        denvd_conn_finish(c);
        return;
    }
    while (c->dl && !c->ended && server_stream_queued(c->req) < DOWNLOAD_QUEUE) {
        ssize_t r = denvd_download_read(c->dl, chunk, DOWNLOAD_CHUNK);
        if (r > 0) {
            server_stream_write(c->req, chunk, (size_t)r);
            continue;
        }
        /* end, or a read error after the headers: ending is all we can do; on error the
         * body is short (and without the terminating gzip trailer when compressed) */
        denvd_download_free(c->dl);
        c->dl = NULL;
        denvd_conn_finish(c);
    }
    free(chunk);
}

static void start_download(struct denvd_conn *c, const char *path)
{
    const char *ae = server_request_header(c->req, "accept-encoding");
    const char *range = server_request_header(c->req, "range");
    if (range && *range)
        ae = NULL; /* envd serves ranges identity-encoded (we send the whole file) */
    struct denvd_download_info info;
    int status;
    char msg[512];
    struct denvd_cred cred;
    denvd_cred_enter(&c->call, &cred);
    int rc = denvd_download_open(&c->call, path, ae, &c->dl, &info, &status, msg, sizeof msg);
    denvd_cred_leave(&cred);
    if (rc < 0) {
        respond_json_error(c, status, msg);
        return;
    }
    c->kind = K_DOWNLOAD;
    denvd_xfers_add(c);
    char disp[400];
    snprintf(disp, sizeof disp, "inline; filename=\"%s\"", info.name);
    for (char *q = disp + 18; *q && q[1]; q++) /* keep the header well-formed */
        if (*q == '"' || *q == '\r' || *q == '\n' || *q == '\\') *q = '_';
    server_add_header(c->req, "Content-Disposition", disp);
    server_add_header(c->req, "Vary", "Accept-Encoding");
    if (info.gzip) server_add_header(c->req, "Content-Encoding", "gzip");
    int fd = denvd_download_plain_fd(c->dl);
    if (fd >= 0) {
        /* the file as it is: Content-Length and sendfile(2), no copy through our memory */
        if (server_respond_fd(c->req, 200, "application/octet-stream", fd, 0, info.size) == 0) {
            denvd_download_free(c->dl);
            c->dl = NULL;
            c->kind = K_DONE;
            return;
        }
    }
    stream_start(c, "application/octet-stream");
    pump_download(c);
}

/* A refused upload is answered only after its body was read (and thrown away): a client
 * still sending when the connection closes sees a reset instead of the status (undici:
 * "fetch failed"). Beyond UPLOAD_DRAIN_MAX it is answered at once and the connection closed. */
#define UPLOAD_DRAIN_MAX (64u << 20)

static void upload_refuse_later(struct denvd_conn *c, int status, struct buf *body)
{
    buf_free(&c->up_fail_body);
    c->up_fail_body = *body;
    *body = (struct buf)BUF_INIT;
    c->up_fail_status = status;
}

static void upload_answer_refusal(struct denvd_conn *c)
{
    server_respond(c->req, c->up_fail_status, "application/json; charset=utf-8",
                   c->up_fail_body.data, c->up_fail_body.len);
    buf_free(&c->up_fail_body);
    c->up_fail_status = 0;
    c->kind = K_DONE;
}

static void upload_failed(struct denvd_conn *c)
{
    int status;
    struct buf body = BUF_INIT;
    denvd_upload_finish(c->up, &status, &body);
    denvd_upload_free(c->up);
    c->up = NULL;
    server_request_set_body_fd(c->req, -1, NULL); /* its fd is closed */
    upload_refuse_later(c, status, &body);
}

static int upload_data(struct server_request *req, const char *data, size_t len, void *ud)
{
    struct denvd_conn *c = ud;
    if (c->kind != K_UPLOAD) return 0;
    c->body_in += len;
    if (c->up_fail_status) {
        if (c->body_in <= UPLOAD_DRAIN_MAX) return 0;
        upload_answer_refusal(c);
        return 1;
    }
    if (!c->up) return 0;
    /* no credential switch per piece: writes go to an open fd, and a multipart part that
     * opens a new file switches inside denvd_files.c */
    int rc = denvd_upload_feed(c->up, data, len);
    if (rc < 0)
        upload_failed(c);
    else if (denvd_upload_waiting(c->up))
        server_request_pause_body(req, true); /* until upload_ready */
    return 0;
}

/* Body bytes spliced straight into the upload's file (server_request_set_body_fd). */
static int upload_sunk(struct server_request *req, size_t n, int err, void *ud)
{
    (void)req;
    struct denvd_conn *c = ud;
    c->body_in += n;
    if (!err || !c->up) return 0;
    int status;
    struct buf body = BUF_INIT;
    denvd_upload_write_failed(c->up, err);
    denvd_upload_finish(c->up, &status, &body);
    denvd_upload_free(c->up);
    c->up = NULL;
    upload_refuse_later(c, status, &body);
    return 0;
}

static void upload_end(struct server_request *req, int status, void *ud)
{
    (void)req;
    struct denvd_conn *c = ud;
    if (c->kind != K_UPLOAD) return;
    if (c->up_fail_status) {
        upload_answer_refusal(c);
        return;
    }
    if (!c->up) return;
    if (status >= 0 && denvd_upload_waiting(c->up)) { /* finished by upload_ready */
        c->up_end_pending = true;
        c->up_end_status = status;
        return;
    }
    struct buf body = BUF_INIT;
    int st;
    if (status < 0) {
        denvd_upload_free(c->up);
        c->up = NULL;
        respond_json_error(c, 400, "error reading request body");
        return;
    }
    struct denvd_cred cred;
    denvd_cred_enter(&c->call, &cred);
    denvd_upload_finish(c->up, &st, &body);
    denvd_cred_leave(&cred);
    denvd_upload_free(c->up);
    c->up = NULL;
    server_respond(c->req, st, "application/json", body.data, body.len);
    buf_free(&body);
    c->kind = K_DONE;
}

/* The truncation of a big file the upload writes ended (denvd_files.c): its bytes are in,
 * reading goes on. Such an upload is not spliced (on_data keeps the order). */
static void upload_ready(void *ud)
{
    struct denvd_conn *c = ud;
    if (denvd_upload_status(c->up, NULL)) upload_failed(c);
    if (c->up_end_pending) {
        c->up_end_pending = false;
        upload_end(c->req, c->up_end_status, c);
        return;
    }
    if (c->up && denvd_upload_waiting(c->up)) return;
    server_request_pause_body(c->req, false);
}

struct meta_collect {
    cJSON *obj;
    int bad;
    char msg[300];
};

static void collect_meta(void *ud, const char *key, const char *value)
{
    struct meta_collect *m = ud;
    if (!m->bad && xmeta_add(m->obj, key, value, m->msg, sizeof m->msg) < 0) m->bad = 1;
}

static void start_upload(struct denvd_conn *c, const char *path)
{
    struct meta_collect meta = {cJSON_CreateObject(), 0, ""};
    struct denvd_upload_req ur = {path, server_request_header(c->req, "content-type"),
                                  server_request_header(c->req, "content-encoding"), meta.obj};
    int status;
    char msg[512];
    int rc;
    if (!meta.obj) {
        rc = -1;
        status = 500;
        snprintf(msg, sizeof msg, "out of memory");
    } else if (server_request_headers_prefixed(c->req, "x-metadata-", collect_meta, &meta),
               meta.bad) {
        rc = -1;
        status = 400;
        snprintf(msg, sizeof msg, "%s", meta.msg);
    } else {
        struct denvd_cred cred;
        denvd_cred_enter(&c->call, &cred);
        rc = denvd_upload_begin(&c->call, &ur, &c->up, &status, msg, sizeof msg);
        denvd_cred_leave(&cred);
    }
    cJSON_Delete(meta.obj);
    c->kind = K_UPLOAD;
    denvd_xfers_add(c);
    if (rc < 0) {
        struct buf b = BUF_INIT;
        json_error_body(&b, status, msg);
        upload_refuse_later(c, status, &b);
    }
    server_request_set_body_cb(c->req, upload_data, upload_end, c);
    if (c->up) denvd_upload_on_ready(c->up, upload_ready, c);
    if (c->up && denvd_upload_waiting(c->up)) server_request_pause_body(c->req, true);
    int fd = c->up ? denvd_upload_plain_fd(c->up) : -1;
    if (fd >= 0) server_request_set_body_fd(c->req, fd, upload_sunk);
}

/* ---- Connect RPCs ---- */

struct frames {
    cJSON *msgs[64];
    int n;
};

static int frame_cb(const struct connect_frame *f, void *ud, struct error *err)
{
    struct frames *fr = ud;
    if (f->flags & CONNECT_FLAG_END_STREAM) return 0; /* a client end-stream frame is tolerated */
    if (f->flags & CONNECT_FLAG_COMPRESSED)
        return error_set(err, ERROR_PROTOCOL, "compressed frames are not supported");
    if (fr->n >= (int)(sizeof fr->msgs / sizeof fr->msgs[0]))
        return error_set(err, ERROR_PROTOCOL, "too many request messages");
    cJSON *m = cJSON_ParseWithLength(f->data, f->len);
    if (!m) return error_set(err, ERROR_PROTOCOL, "request message is not JSON");
    fr->msgs[fr->n++] = m;
    return 0;
}

/* StreamInput: start{process} then data{input}…, answered once the body ended. */
static void stream_input(struct denvd_conn *c, struct frames *fr)
{
    struct denvd_reply r = {CONNECT_OK, "", BUF_INIT};
    cJSON *sel = NULL;
    for (int i = 0; i < fr->n && r.code == CONNECT_OK; i++) {
        const cJSON *ev = fr->msgs[i];
        const cJSON *start = cJSON_GetObjectItemCaseSensitive(ev, "start");
        const cJSON *data = cJSON_GetObjectItemCaseSensitive(ev, "data");
        if (start) { /* envd looks the process up at once (input.go streamInputHandler) */
            if (denvd_process_lookup(&c->call, start, &r) < 0) break;
            cJSON_Delete(sel);
            sel = cJSON_Duplicate(start, 1);
            continue;
        }
        if (cJSON_GetObjectItemCaseSensitive(ev, "keepalive")) continue;
        if (!data) {
            denvd_reply_error(&r, CONNECT_UNIMPLEMENTED, "invalid event type <nil>");
            break;
        }
        if (!sel) {
            denvd_reply_error(&r, CONNECT_INVALID_ARGUMENT, "data event before start event");
            break;
        }
        cJSON *req = cJSON_Duplicate(sel, 1);
        const cJSON *input = cJSON_GetObjectItemCaseSensitive(data, "input");
        if (input) cJSON_AddItemToObject(req, "input", cJSON_Duplicate(input, 1));
        denvd_process_unary(&c->call, "SendInput", req, &r);
        cJSON_Delete(req);
    }
    cJSON_Delete(sel);
    if (r.code != CONNECT_OK) {
        stream_error(c, r.code, r.message);
    } else {
        struct buf b = BUF_INIT;
        connect_envelope_append(&b, 0, "{}", 2);
        connect_end_stream_append(&b, CONNECT_OK, NULL, NULL);
        server_respond(c->req, 200, "application/connect+json", b.data, b.len);
        buf_free(&b);
        c->kind = K_DONE;
    }
    buf_free(&r.body);
}

/* A Remove's child is done (fs_remove.c). */
static void remove_answer(void *ud, struct denvd_reply *r)
{
    struct denvd_conn *c = ud;
    c->rm = NULL;
    denvd_timer_stop(c->rm_hold);
    c->rm_hold = NULL;
    if (r->code != CONNECT_OK)
        respond_connect_error(c, r->code, r->message);
    else
        server_respond(c->req, 200, "application/json", r->body.data, r->body.len);
    c->kind = K_DONE;
}

/* lws arms its request timeout after the body callback returned: off again */
static void remove_rehold(void *arg)
{
    struct denvd_conn *c = arg;
    c->rm_hold = NULL;
    if (c->req && c->rm) server_request_hold(c->req);
}

static void rpc_complete(struct denvd_conn *c)
{
    struct denvd_reply r = {CONNECT_OK, "", BUF_INIT};
    bool is_proc = strcmp(c->service, "process.Process") == 0;
    if (!c->stream_rpc) {
        cJSON *msg =
            c->body.len ? cJSON_ParseWithLength(c->body.data, c->body.len) : cJSON_CreateObject();
        if (!msg || !cJSON_IsObject(msg)) {
            cJSON_Delete(msg);
            respond_connect_error(c, CONNECT_INVALID_ARGUMENT, "request body is not a JSON object");
            return;
        }
        int rc;
        if (!is_proc && strcmp(c->method, "Remove") == 0) {
            rc = denvd_fs_remove(&c->call, msg, &r, remove_answer, c, &c->rm);
            if (rc == 1) { /* answered by remove_answer, maybe after lws's request timeout */
                cJSON_Delete(msg);
                server_request_hold(c->req);
                c->rm_hold = denvd_timer_start(c->e, 1, remove_rehold, c);
                return;
            }
        } else {
            rc = is_proc ? denvd_process_unary(&c->call, c->method, msg, &r)
                         : denvd_fs_unary(&c->call, c->method, msg, &r);
        }
        cJSON_Delete(msg);
        if (rc < 0 || r.code != CONNECT_OK)
            respond_connect_error(c, r.code, r.message);
        else
            server_respond(c->req, 200, "application/json", r.body.data, r.body.len);
        c->kind = K_DONE;
        buf_free(&r.body);
        return;
    }
    struct connect_decoder d;
    connect_decoder_init(&d, RPC_BODY_MAX);
    struct frames fr = {{NULL}, 0};
    struct error err;
    int rc = connect_decoder_feed(&d, c->body.data ? c->body.data : "", c->body.len, frame_cb, &fr,
                                  &err);
    if (rc == 0 && (d.prefix_len || d.payload.len))
        rc = error_set(&err, ERROR_PROTOCOL, "truncated request envelope");
    connect_decoder_free(&d);
    if (rc < 0 || fr.n == 0) {
        stream_error(c, CONNECT_INVALID_ARGUMENT, rc < 0 ? err.msg : "missing request message");
    } else if (strcmp(c->method, "StreamInput") == 0) {
        stream_input(c, &fr);
    } else if (!cJSON_IsObject(fr.msgs[0])) {
        stream_error(c, CONNECT_INVALID_ARGUMENT, "request message is not a JSON object");
    } else {
        /* headers go out now; the service writes its frames through the conn */
        stream_start(c, "application/connect+json");
        c->kind = K_STREAM;
        int src = is_proc ? denvd_process_stream(&c->call, c->method, fr.msgs[0], c, &r)
                          : denvd_fs_stream(&c->call, c->method, fr.msgs[0], c, &r);
        if (src < 0) {
            struct buf b = BUF_INIT;
            connect_end_stream_append(&b, r.code, r.message, NULL);
            denvd_conn_write(c, b.data, b.len);
            buf_free(&b);
            denvd_conn_finish(c);
        }
    }
    for (int i = 0; i < fr.n; i++)
        cJSON_Delete(fr.msgs[i]);
    buf_free(&r.body);
}

static int rpc_data(struct server_request *req, const char *data, size_t len, void *ud)
{
    (void)req;
    struct denvd_conn *c = ud;
    if (c->kind != K_RPC) return 0;
    if (c->body.len + len > RPC_BODY_MAX) {
        if (c->stream_rpc)
            stream_error(c, CONNECT_RESOURCE_EXHAUSTED, "request message too large");
        else
            respond_connect_error(c, CONNECT_RESOURCE_EXHAUSTED, "request message too large");
        return 1;
    }
    return buf_append(&c->body, data, len) < 0 ? 1 : 0;
}

static void rpc_end(struct server_request *req, int status, void *ud)
{
    (void)req;
    struct denvd_conn *c = ud;
    if (c->kind != K_RPC) return;
    if (status < 0) {
        respond_connect_error(c, CONNECT_INVALID_ARGUMENT, "malformed request body");
        return;
    }
    rpc_complete(c);
}

static bool is_stream_method(const char *service, const char *method)
{
    if (strcmp(service, "process.Process") == 0)
        return strcmp(method, "Start") == 0 || strcmp(method, "Connect") == 0 ||
               strcmp(method, "StreamInput") == 0;
    return strcmp(method, "WatchDir") == 0;
}

static void start_rpc(struct denvd_conn *c, const char *path)
{
    const char *method = server_request_method(c->req);
    const char *slash = strchr(path + 1, '/');
    if (!slash || (size_t)(slash - path - 1) >= sizeof c->service ||
        strlen(slash + 1) >= sizeof c->method || !slash[1] || strchr(slash + 1, '/')) {
        respond_json_error(c, 404, "not found");
        return;
    }
    snprintf(c->service, sizeof c->service, "%.*s", (int)(slash - path - 1), path + 1);
    snprintf(c->method, sizeof c->method, "%s", slash + 1);
    if (strcmp(c->service, "process.Process") != 0 &&
        strcmp(c->service, "filesystem.Filesystem") != 0) {
        respond_json_error(c, 404, "not found");
        return;
    }
    if (strcmp(method, "POST") != 0) {
        server_add_header(c->req, "Allow", "POST");
        respond_json_error(c, 405, "method not allowed");
        return;
    }
    const char *ct = server_request_header(c->req, "content-type");
    c->stream_rpc = is_stream_method(c->service, c->method);
    const char *want = c->stream_rpc ? "application/connect+json" : "application/json";
    size_t wl = strlen(want);
    if (!ct || strncasecmp(ct, want, wl) != 0 || (ct[wl] != '\0' && ct[wl] != ';')) {
        server_respond(c->req, 415, NULL, NULL, 0);
        c->kind = K_DONE;
        return;
    }
    c->kind = K_RPC;
    server_request_set_body_cb(c->req, rpc_data, rpc_end, c);
}

/* ---- request entry ---- */

static void on_close(struct server_request *req, void *ud)
{
    (void)req;
    struct denvd_conn *c = ud;
    c->req = NULL;
    if (c->owner.gone) {
        void (*gone)(void *) = c->owner.gone;
        c->owner.gone = NULL;
        gone(c->owner.arg);
    }
    denvd_remove_forget(c->rm); /* the deletion goes on */
    denvd_timer_stop(c->rm_hold);
    denvd_xfers_remove(c);
    denvd_upload_free(c->up);
    denvd_download_free(c->dl);
    buf_free(&c->body);
    buf_free(&c->up_fail_body);
    free(c);
}

static void on_drain(struct server_request *req, void *ud)
{
    (void)req;
    struct denvd_conn *c = ud;
    if (c->dl) {
        pump_download(c);
        return;
    }
    if (c->was_high && server_stream_queued(c->req) < ENVD_BACKLOG_LOW) {
        c->was_high = false;
        if (c->owner.drained) c->owner.drained(c->owner.arg);
    }
}

static bool reserved_path(const char *path)
{
    static const char *const reserved[] = {"/init",     "/freeze", "/unfreeze", "/collapse",
                                           "/fsfreeze", "/fsthaw", "/upgrade"};
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (strcmp(path, reserved[i]) == 0) return true;
    return false;
}

int denvd_http_handle(struct server_request *req, void *ud)
{
    struct envd *e = ud;
    struct denvd_conn *c = calloc(1, sizeof *c);
    if (!c) return -1;
    c->req = req;
    c->e = e;
    server_request_set_close_cb(req, on_close, c);

    const char *path = server_request_path(req);
    const char *method = server_request_method(req);
    bool get = strcmp(method, "GET") == 0, post = strcmp(method, "POST") == 0;
    bool is_files = strcmp(path, "/files") == 0;
    const char *id = server_request_header(req, "e2b-sandbox-id");

    /* Only a request without the header is boxtopd's own health check; an empty (or
     * NUL-cut) sandbox id is a bad id like any other and gets the proxy's 502 below. */
    if (strcmp(path, "/health") == 0 && !id) {
        server_add_header(req, "Cache-Control", "no-store");
        server_respond(req, 204, NULL, NULL, 0);
        return 0;
    }
    if (reserved_path(path)) {
        respond_json_error(c, 404,
                           "This endpoint is reserved for the E2B control plane and cannot be "
                           "accessed through the proxy");
        return 0;
    }

    const char *sig = is_files ? server_request_query(req, "signature") : NULL;
    const char *expq = is_files ? server_request_query(req, "signature_expiration") : NULL;
    const char *pathq = server_request_query(req, "path");
    const char *userq = is_files ? server_request_query(req, "username") : NULL;
    int64_t exp = FILES_SIG_NO_EXPIRY;
    if (expq) {
        char *end;
        long long x = strtoll(expq, &end, 10);
        if (!*expq || *end || x < 0) {
            respond_json_error(c, 400, "invalid signature_expiration");
            return 0;
        }
        exp = x;
    }
    struct denvd_sandbox_info info;
    memset(&info, 0, sizeof info);
    if (id && !*id) {
        respond_sandbox_not_found(c, NULL);
        return 0;
    }
    if (id) {
        if (e->host.sandbox_get(e->host.ud, id, &info) < 0) {
            respond_sandbox_not_found(c, id);
            return 0;
        }
    } else if (sig) {
        /* signed URLs name no sandbox: the one whose token made the signature is meant */
        struct sig_search s = {
            pathq ? pathq : "", post ? "write" : "read", userq ? userq : "", sig, exp, "", false};
        e->host.sandbox_foreach(e->host.ud, sig_match, &s);
        if (!s.found || e->host.sandbox_get(e->host.ud, s.id, &info) < 0) {
            respond_json_error(c, 401, "invalid signature");
            return 0;
        }
    } else {
        respond_sandbox_not_found(c, NULL);
        return 0;
    }
    if (strcmp(path, "/health") == 0) {
        server_add_header(req, "Cache-Control", "no-store");
        server_respond(req, 204, NULL, NULL, 0);
        return 0;
    }

    /* auth: the header token, or for /files a signature */
    if (info.token && info.token[0]) {
        const char *tok = server_request_header(req, "x-access-token");
        const char *generic = "unauthorized access, please provide a valid access token or "
                              "method signing if supported";
        if (tok && *tok) {
            if (!token_equal(tok, info.token)) {
                respond_json_error(c, 401,
                                   is_files ? "access token present in header but does not match"
                                            : generic);
                return 0;
            }
        } else if (sig) {
            if (!files_sig_verify(pathq ? pathq : "", post ? "write" : "read", userq ? userq : "",
                                  info.token, exp, sig)) {
                respond_json_error(c, 401, "invalid signature");
                return 0;
            }
            if (exp >= 0 && exp < (int64_t)time(NULL)) {
                respond_json_error(c, 401, "signature is already expired");
                return 0;
            }
        } else {
            respond_json_error(c, 401, is_files ? "missing signature query parameter" : generic);
            return 0;
        }
    }

    char user[64];
    int rc = 0;
    if (is_files) {
        snprintf(user, sizeof user, "%s", userq ? userq : "");
        if (userq && !*userq) rc = -EPERM; /* envd looks "" up (and fails) */
    } else if (basic_user(req, user, sizeof user) < 0)
        rc = -EPERM;
    if (rc == 0) rc = setup_call(c, &info, user);
    if (rc == -ENOMEM) {
        respond_json_error(c, 500, "out of memory");
        return 0;
    }
    if (rc < 0) {
        char m[192];
        if (is_files) { /* envd's /files handlers look the user up themselves (upload.go) */
            snprintf(m, sizeof m, "error looking up user '%.64s': user: unknown user %.64s", user,
                     user);
            respond_json_error(c, 401, m);
        } else {
            snprintf(m, sizeof m, "invalid username: '%.64s'", user);
            respond_rpc_error(c, CONNECT_UNAUTHENTICATED, m);
        }
        return 0;
    }

    if (is_files) {
        if (get)
            start_download(c, pathq ? pathq : "");
        else if (post)
            start_upload(c, pathq);
        else
            respond_json_error(c, 405, "method not allowed");
        return 0;
    }
    if (strcmp(path, "/metrics") == 0 && get) {
        handle_metrics(c, &info);
        return 0;
    }
    if (strcmp(path, "/envs") == 0 && get) {
        handle_envs(c, &info);
        return 0;
    }
    start_rpc(c, path);
    return 0;
}
