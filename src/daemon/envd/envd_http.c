/* envd_http.c - envd's HTTP side on lws: routing by E2b-Sandbox-Id, auth (X-Access-Token,
 * signed /files URLs, Basic user), Connect unary/stream framing, /files streaming, /health,
 * /metrics, /envs.
 *
 * One struct envd_conn per request (the lws per-session slot holds a pointer to it). Unary
 * answers carry a Content-Length and keep the connection alive; streams (Connect server
 * streams, gzip downloads) are close-delimited, which lws does for LWS_ILLEGAL_HTTP_CONTENT_LEN
 * on HTTP/1.1. Request bodies may be chunked: lws 4.1.6 does not de-chunk them (libs-notes
 * §4), so dechunk.c does. Output is queued per conn and written only on HTTP_WRITEABLE;
 * downloads read the next piece of the file only then, so a slow client holds boxtopd at
 * one buffer per download. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <libwebsockets.h>
#include <openssl/crypto.h>

#include "boxtop/base64.h"
#include "daemon/runtime/runtime.h"
#include "dechunk.h"
#include "envd_files.h"
#include "envd_int.h"
#include "envd_lws.h"
#include "sig.h"

#define RPC_BODY_MAX (16u << 20)
#define WRITE_CHUNK  (64 * 1024)

enum conn_kind { K_NONE, K_RPC, K_UPLOAD, K_DOWNLOAD, K_DONE };

struct envd_conn {
    struct lws *wsi;
    struct envd *e;
    enum conn_kind kind;
    char service[32], method[32];
    bool stream_rpc;
    struct envd_call call;
    /* request body */
    bool chunked;
    struct dechunk dc;
    bool body_done;
    struct buf body;
    struct envd_upload *up;
    /* response */
    int status;
    char ctype[64];
    char extra[512];  /* "name:value\n" lines */
    int64_t resp_len; /* -1: close-delimited */
    bool headers_sent, finished, aborted, complete, close_after;
    struct buf out;
    size_t out_off;
    bool was_high;
    struct envd_conn_owner owner;
    struct envd_download *dl;
    unsigned char *scratch;
};

/* ---- helpers: headers ---- */

static int hdr_custom(struct lws *wsi, const char *name, char *out, size_t n)
{
    out[0] = '\0';
    int len = lws_hdr_custom_length(wsi, name, (int)strlen(name));
    if (len <= 0 || (size_t)len >= n) return len <= 0 ? 0 : -1;
    if (lws_hdr_custom_copy(wsi, out, (int)n, name, (int)strlen(name)) < 0) return -1;
    return len;
}

static int hdr_token(struct lws *wsi, enum lws_token_indexes t, char *out, size_t n)
{
    out[0] = '\0';
    int len = lws_hdr_total_length(wsi, t);
    if (len <= 0 || (size_t)len >= n) return len <= 0 ? 0 : -1;
    return lws_hdr_copy(wsi, out, (int)n, t) < 0 ? -1 : len;
}

static bool query_arg(struct lws *wsi, const char *name, char *out, size_t n)
{
    /* fragments come url-decoded as "name=value" */
    size_t nl = strlen(name);
    char frag[ENVD_PATH_MAX + 64];
    for (int i = 0; lws_hdr_copy_fragment(wsi, frag, sizeof frag, WSI_TOKEN_HTTP_URI_ARGS, i) >= 0;
         i++) {
        if (strncmp(frag, name, nl) == 0 && frag[nl] == '=') {
            snprintf(out, n, "%s", frag + nl + 1);
            return true;
        }
    }
    out[0] = '\0';
    return false;
}

/* ---- response plumbing ---- */

static void conn_wake(struct envd_conn *c)
{
    if (c->wsi) lws_callback_on_writable(c->wsi);
}

int envd_conn_write(struct envd_conn *c, const void *p, size_t n)
{
    if (c->finished || c->aborted) return -1;
    int rc = buf_append(&c->out, p, n);
    conn_wake(c);
    return rc;
}

void envd_conn_finish(struct envd_conn *c)
{
    c->finished = true;
    conn_wake(c);
}

void envd_conn_abort(struct envd_conn *c)
{
    c->aborted = true;
    conn_wake(c);
}

size_t envd_conn_backlog(const struct envd_conn *c)
{
    return c->out.len - c->out_off;
}

void envd_conn_set_owner(struct envd_conn *c, const struct envd_conn_owner *o)
{
    c->owner = *o;
}

static void add_extra(struct envd_conn *c, const char *name, const char *value)
{
    size_t l = strlen(c->extra);
    snprintf(c->extra + l, sizeof c->extra - l, "%s:%s\n", name, value);
}

/* A complete response with a known body. */
static void respond(struct envd_conn *c, int status, const char *ctype, const void *body,
                    size_t len)
{
    c->kind = K_DONE;
    c->status = status;
    snprintf(c->ctype, sizeof c->ctype, "%s", ctype ? ctype : "");
    c->resp_len = (int64_t)len;
    buf_reset(&c->out);
    c->out_off = 0;
    if (len) buf_append(&c->out, body, len);
    c->finished = true;
    conn_wake(c);
}

static void respond_json_error(struct envd_conn *c, int status, const char *msg)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "code", status);
    cJSON_AddStringToObject(j, "message", msg);
    struct buf b = BUF_INIT;
    pjson_print(&b, j);
    buf_append_str(&b, "\n");
    cJSON_Delete(j);
    respond(c, status, "application/json; charset=utf-8", b.data, b.len);
    buf_free(&b);
}

static void respond_not_found_sandbox(struct envd_conn *c, const char *id)
{
    cJSON *j = cJSON_CreateObject();
    if (id) cJSON_AddStringToObject(j, "sandboxId", id);
    cJSON_AddStringToObject(j, "message", "The sandbox was not found");
    cJSON_AddNumberToObject(j, "code", 502);
    struct buf b = BUF_INIT;
    pjson_print(&b, j);
    cJSON_Delete(j);
    respond(c, 502, "application/json", b.data, b.len);
    buf_free(&b);
}

static void respond_connect_error(struct envd_conn *c, enum connect_code code, const char *msg)
{
    struct buf b = BUF_INIT;
    connect_error_json_append(&b, code, msg);
    respond(c, connect_code_http_status(code), "application/json", b.data, b.len);
    buf_free(&b);
}

/* Start a close-delimited streaming response. */
static void stream_begin(struct envd_conn *c, int status, const char *ctype)
{
    c->status = status;
    snprintf(c->ctype, sizeof c->ctype, "%s", ctype);
    c->resp_len = -1;
    conn_wake(c);
}

static int write_headers(struct envd_conn *c)
{
    unsigned char hb[LWS_PRE + 2048];
    unsigned char *start = hb + LWS_PRE, *p = start, *end = hb + sizeof hb - 1;
    lws_filepos_t cl = c->resp_len >= 0 ? (lws_filepos_t)c->resp_len : LWS_ILLEGAL_HTTP_CONTENT_LEN;
    if (lws_add_http_common_headers(c->wsi, (unsigned)c->status, c->ctype[0] ? c->ctype : NULL, cl,
                                    &p, end))
        return -1;
    for (char *line = c->extra; *line;) {
        char *nl = strchr(line, '\n');
        char *colon = strchr(line, ':');
        if (!nl || !colon || colon > nl) break;
        char name[96];
        snprintf(name, sizeof name, "%.*s:", (int)(colon - line), line);
        if (lws_add_http_header_by_name(c->wsi, (const unsigned char *)name,
                                        (const unsigned char *)colon + 1, (int)(nl - colon - 1), &p,
                                        end))
            return -1;
        line = nl + 1;
    }
    if (lws_finalize_write_http_header(c->wsi, start, &p, end)) return -1;
    c->headers_sent = true;
    return 0;
}

static int on_writeable(struct envd_conn *c)
{
    if (c->aborted) return -1;
    if (c->complete || !c->status)
        return 0; /* woken before an answer exists (lws wakes per protocol sometimes) */
    if (!c->headers_sent && write_headers(c) < 0) return -1;
    if (!c->scratch && !(c->scratch = malloc(LWS_PRE + WRITE_CHUNK))) return -1;
    unsigned char *data = c->scratch + LWS_PRE;
    size_t n = 0;
    if (c->out.len > c->out_off) {
        n = c->out.len - c->out_off;
        if (n > WRITE_CHUNK) n = WRITE_CHUNK;
        memcpy(data, c->out.data + c->out_off, n);
        c->out_off += n;
        if (c->out_off == c->out.len) {
            buf_reset(&c->out);
            c->out_off = 0;
        }
    } else if (c->dl) {
        ssize_t r = envd_download_read(c->dl, data, WRITE_CHUNK);
        if (r < 0) return -1; /* the body is already partly sent: only closing tells the client */
        n = (size_t)r;
        if (r == 0) {
            envd_download_free(c->dl);
            c->dl = NULL;
            c->finished = true;
        }
    }
    bool last = c->finished && !c->dl && c->out.len == c->out_off;
    if (n || last) {
        if (lws_write(c->wsi, data, n, last ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP) < (int)n)
            return -1;
    }
    if (c->was_high && envd_conn_backlog(c) < ENVD_BACKLOG_LOW) {
        c->was_high = false;
        if (c->owner.drained) c->owner.drained(c->owner.arg);
    } else if (envd_conn_backlog(c) > ENVD_BACKLOG_HIGH) {
        c->was_high = true;
    }
    if (last) {
        c->complete = true;
        if (c->resp_len < 0 || c->close_after)
            return -1; /* close-delimited, or the rest of a refused body is unread */
        c->kind = K_DONE;
        if (lws_http_transaction_completed(c->wsi)) return -1;
        return 0;
    }
    if (c->out.len > c->out_off || c->dl) conn_wake(c);
    return 0;
}

/* ---- routing and auth ---- */

struct sig_search {
    const char *path, *op, *user, *sig;
    int64_t exp;
    char id[128];
    bool found;
};

static int sig_match(void *arg, const struct envd_sandbox_info *sb)
{
    struct sig_search *s = arg;
    if (!sb->token || !sb->token[0]) return 0;
    if (envd_sig_verify(s->path, s->op, s->user, sb->token, s->exp, s->sig)) {
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

/* Basic auth → user name ("" when absent). -1 when malformed. */
static int basic_user(struct lws *wsi, char *out, size_t n)
{
    char v[512];
    out[0] = '\0';
    if (hdr_token(wsi, WSI_TOKEN_HTTP_AUTHORIZATION, v, sizeof v) <= 0) return 0;
    if (strncasecmp(v, "Basic ", 6) != 0) return -1;
    struct buf dec = BUF_INIT;
    const char *b = v + 6;
    while (*b == ' ')
        b++;
    if (base64_decode(&dec, b, strlen(b)) < 0) {
        buf_free(&dec);
        return -1;
    }
    const char *colon = memchr(dec.data ? dec.data : "", ':', dec.len);
    size_t ul = colon ? (size_t)(colon - dec.data) : dec.len;
    if (ul >= n || memchr(dec.data ? dec.data : "", '\0', ul)) {
        buf_free(&dec);
        return -1;
    }
    memcpy(out, dec.data ? dec.data : "", ul);
    out[ul] = '\0';
    buf_free(&dec);
    return 0;
}

/* Fill c->call for sandbox info and user; -1 (and a response) when the user is unknown. */
static int setup_call(struct envd_conn *c, const struct envd_sandbox_info *info, const char *user)
{
    struct envd_call *call = &c->call;
    memset(call, 0, sizeof *call);
    call->e = c->e;
    call->sbx = envd_sbx_get(c->e, info->id, info->rt);
    if (!call->sbx) {
        respond_json_error(c, 500, "out of memory");
        return -1;
    }
    call->root_fd = rt_root_fd(info->rt);
    snprintf(call->user, sizeof call->user, "%s", user && *user ? user : "user");
    const char *home = NULL;
    if (rt_user_ids(info->rt, call->user, &call->uid, &call->gid, &home) < 0) return -1;
    snprintf(call->home, sizeof call->home, "%s", home ? home : "/");
    call->timeout_ms = -1;
    call->keepalive_s = 90;
    char v[64];
    if (hdr_custom(c->wsi, "connect-timeout-ms:", v, sizeof v) > 0) {
        char *end;
        long long ms = strtoll(v, &end, 10);
        if (*end == '\0' && ms > 0 && strlen(v) <= 10) call->timeout_ms = ms;
    }
    if (hdr_custom(c->wsi, "keepalive-ping-interval:", v, sizeof v) > 0) {
        char *end;
        long s = strtol(v, &end, 10);
        if (*end == '\0' && s > 0 && s <= 3600) /* envd crashes on 0; we keep the default */
            call->keepalive_s = (int)s;
    }
    return 0;
}

/* ---- request start ---- */

static void rpc_complete(struct envd_conn *c);
static void upload_complete(struct envd_conn *c);

static bool is_stream_method(const char *service, const char *method)
{
    if (strcmp(service, "process.Process") == 0)
        return strcmp(method, "Start") == 0 || strcmp(method, "Connect") == 0 ||
               strcmp(method, "StreamInput") == 0;
    return strcmp(method, "WatchDir") == 0;
}

static void handle_metrics(struct envd_conn *c, const struct envd_sandbox_info *info)
{
    struct rt_metrics m;
    struct error err;
    if (rt_sample(c->e->host.rt, info->rt, &m, &err) < 0) {
        respond(c, 500, NULL, NULL, 0);
        return;
    }
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "ts", (double)time(NULL));
    cJSON_AddNumberToObject(j, "cpu_count", (double)(cpus > 0 ? cpus : 1));
    cJSON_AddNumberToObject(j, "cpu_used_pct", 0);
    cJSON_AddNumberToObject(j, "mem_total_mib", (double)(m.mem_total >> 20));
    cJSON_AddNumberToObject(j, "mem_used_mib", (double)(m.mem_used >> 20));
    cJSON_AddNumberToObject(j, "mem_total", (double)m.mem_total);
    cJSON_AddNumberToObject(j, "mem_used", (double)m.mem_used);
    cJSON_AddNumberToObject(j, "mem_cache", 0);
    cJSON_AddNumberToObject(j, "disk_used", (double)m.disk_used);
    cJSON_AddNumberToObject(j, "disk_total", (double)m.disk_total);
    struct buf b = BUF_INIT;
    pjson_print(&b, j);
    cJSON_Delete(j);
    respond(c, 200, "application/json", b.data, b.len);
    buf_free(&b);
}

static void handle_envs(struct envd_conn *c, const struct envd_sandbox_info *info)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "E2B_SANDBOX", "true");
    cJSON_AddStringToObject(j, "E2B_SANDBOX_ID", info->id);
    if (info->template_id) cJSON_AddStringToObject(j, "E2B_TEMPLATE_ID", info->template_id);
    const cJSON *ev;
    if (info->env_vars)
        cJSON_ArrayForEach(ev, info->env_vars) if (cJSON_IsString(ev) && ev->string)
            cJSON_AddStringToObject(j, ev->string, ev->valuestring);
    struct buf b = BUF_INIT;
    pjson_print(&b, j);
    cJSON_Delete(j);
    respond(c, 200, "application/json", b.data, b.len);
    buf_free(&b);
}

static void start_download(struct envd_conn *c, const char *path)
{
    char ae[256];
    hdr_token(c->wsi, WSI_TOKEN_HTTP_ACCEPT_ENCODING, ae, sizeof ae);
    char range[8];
    if (hdr_token(c->wsi, WSI_TOKEN_HTTP_RANGE, range, sizeof range) != 0)
        ae[0] = '\0'; /* envd serves ranges identity-encoded; we ignore Range itself */
    struct envd_download_info info;
    int status;
    char msg[512];
    if (envd_download_open(&c->call, path, ae, &c->dl, &info, &status, msg, sizeof msg) < 0) {
        respond_json_error(c, status, msg);
        return;
    }
    c->kind = K_DOWNLOAD;
    char disp[400];
    snprintf(disp, sizeof disp, "inline; filename=\"%s\"", info.name);
    for (char *q = disp + 17; *q && q[1]; q++) /* keep the header well-formed */
        if (*q == '"' || *q == '\r' || *q == '\n' || *q == '\\') *q = '_';
    add_extra(c, "content-disposition", disp);
    add_extra(c, "vary", "Accept-Encoding");
    if (info.gzip) {
        add_extra(c, "content-encoding", "gzip");
        stream_begin(c, 200, "application/octet-stream");
    } else {
        c->status = 200;
        snprintf(c->ctype, sizeof c->ctype, "application/octet-stream");
        c->resp_len = info.size;
        c->finished = true; /* the body comes from c->dl */
        conn_wake(c);
    }
}

static void start_request(struct envd_conn *c, const char *uri)
{
    struct lws *wsi = c->wsi;
    bool get = lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) > 0;
    bool post = lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI) > 0;
    char te[64], cl[32];
    hdr_token(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING, te, sizeof te);
    hdr_token(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH, cl, sizeof cl);
    c->chunked = strcasestr(te, "chunked") != NULL;
    dechunk_init(&c->dc);
    bool has_body = post && (c->chunked || (cl[0] && strcmp(cl, "0") != 0));

    char id[160];
    int idl = hdr_custom(wsi, "e2b-sandbox-id:", id, sizeof id);
    bool is_files = strcmp(uri, "/files") == 0;

    if (strcmp(uri, "/health") == 0 && idl == 0) {
        add_extra(c, "cache-control", "no-store");
        respond(c, 204, NULL, NULL, 0);
        return;
    }
    /* control-plane endpoints are not reachable through E2B's proxy either */
    static const char *const reserved[] = {"/init",     "/freeze", "/unfreeze", "/collapse",
                                           "/fsfreeze", "/fsthaw", "/upgrade"};
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (strcmp(uri, reserved[i]) == 0) {
            respond_json_error(c, 404, "This endpoint is reserved for the E2B control plane");
            return;
        }

    struct envd_sandbox_info info;
    memset(&info, 0, sizeof info);
    char sig[128], expq[32], pathq[ENVD_PATH_MAX], userq[64];
    bool has_sig = is_files && query_arg(wsi, "signature", sig, sizeof sig);
    bool has_exp = is_files && query_arg(wsi, "signature_expiration", expq, sizeof expq);
    bool has_path = query_arg(wsi, "path", pathq, sizeof pathq);
    bool has_user = is_files && query_arg(wsi, "username", userq, sizeof userq);
    int64_t exp = -1;
    if (has_exp) {
        char *end;
        long long x = strtoll(expq, &end, 10);
        if (*end || x < 0) {
            respond_json_error(c, 400, "invalid signature_expiration");
            return;
        }
        exp = x;
    }
    char token_hdr[256];
    int tl = hdr_custom(wsi, "x-access-token:", token_hdr, sizeof token_hdr);

    if (idl > 0) {
        if (c->e->host.sandbox_get(c->e->host.ud, id, &info) < 0) {
            respond_not_found_sandbox(c, id);
            return;
        }
    } else if (idl < 0) {
        respond_json_error(c, 400, "Invalid sandbox ID");
        return;
    } else if (has_sig) {
        /* signed URLs name no sandbox: the one whose token made the signature is meant */
        struct sig_search s = {pathq, post ? "write" : "read", has_user ? userq : "", sig, exp, "",
                               false};
        c->e->host.sandbox_foreach(c->e->host.ud, sig_match, &s);
        if (!s.found || c->e->host.sandbox_get(c->e->host.ud, s.id, &info) < 0) {
            respond_json_error(c, 401, "invalid signature");
            return;
        }
    } else {
        respond_not_found_sandbox(c, NULL);
        return;
    }
    if (strcmp(uri, "/health") == 0) {
        add_extra(c, "cache-control", "no-store");
        respond(c, 204, NULL, NULL, 0);
        return;
    }

    /* auth: header token, or for /files a signature */
    bool secure = info.token && info.token[0];
    if (secure) {
        if (tl > 0) {
            if (!token_equal(token_hdr, info.token)) {
                respond_json_error(c, 401,
                                   is_files ? "access token present in header but does "
                                              "not match"
                                            : "unauthorized access, please provide a "
                                              "valid access token or method signing if "
                                              "supported");
                return;
            }
        } else if (is_files && has_sig) {
            if (!envd_sig_verify(pathq, post ? "write" : "read", has_user ? userq : "", info.token,
                                 exp, sig)) {
                respond_json_error(c, 401, "invalid signature");
                return;
            }
            if (exp >= 0 && exp < (int64_t)time(NULL)) {
                respond_json_error(c, 401, "signature is already expired");
                return;
            }
        } else {
            respond_json_error(c, 401,
                               is_files ? "missing signature query parameter"
                                        : "unauthorized access, please provide a valid "
                                          "access token or method signing if supported");
            return;
        }
    }

    char user[64];
    if (is_files) {
        snprintf(user, sizeof user, "%s", has_user ? userq : "");
    } else if (basic_user(wsi, user, sizeof user) < 0) {
        respond_connect_error(c, CONNECT_UNAUTHENTICATED, "invalid authorization header");
        return;
    }
    if (setup_call(c, &info, user) < 0) {
        if (c->kind == K_DONE) return;
        char m[128];
        snprintf(m, sizeof m, "invalid username: '%.64s'", user);
        if (is_files)
            respond_json_error(c, 401, m);
        else
            respond_connect_error(c, CONNECT_UNAUTHENTICATED, m);
        return;
    }

    if (is_files) {
        if (get) {
            start_download(c, has_path ? pathq : "");
            return;
        }
        if (!post) {
            respond_json_error(c, 405, "method not allowed");
            return;
        }
        char ct[256], ce[64];
        hdr_token(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE, ct, sizeof ct);
        hdr_token(wsi, WSI_TOKEN_HTTP_CONTENT_ENCODING, ce, sizeof ce);
        struct envd_upload_req req = {has_path ? pathq : NULL, ct, ce};
        int status;
        char msg[512];
        if (envd_upload_begin(&c->call, &req, &c->up, &status, msg, sizeof msg) < 0) {
            respond_json_error(c, status, msg);
            c->close_after = true;
            return;
        }
        c->kind = K_UPLOAD;
        if (!has_body) upload_complete(c);
        return;
    }
    if (strcmp(uri, "/metrics") == 0 && get) {
        handle_metrics(c, &info);
        return;
    }
    if (strcmp(uri, "/envs") == 0 && get) {
        handle_envs(c, &info);
        return;
    }
    /* Connect RPC: /<package>.<Service>/<Method> */
    const char *slash = strchr(uri + 1, '/');
    if (uri[0] != '/' || !slash || (size_t)(slash - uri - 1) >= sizeof c->service ||
        strlen(slash + 1) >= sizeof c->method || !slash[1]) {
        respond_json_error(c, 404, "not found");
        return;
    }
    snprintf(c->service, sizeof c->service, "%.*s", (int)(slash - uri - 1), uri + 1);
    snprintf(c->method, sizeof c->method, "%s", slash + 1);
    if (strcmp(c->service, "process.Process") != 0 &&
        strcmp(c->service, "filesystem.Filesystem") != 0) {
        respond_connect_error(c, CONNECT_UNIMPLEMENTED, "unknown service");
        return;
    }
    if (!post) {
        add_extra(c, "allow", "POST");
        respond_json_error(c, 405, "method not allowed");
        return;
    }
    char ct[128];
    hdr_token(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE, ct, sizeof ct);
    c->stream_rpc = is_stream_method(c->service, c->method);
    const char *want = c->stream_rpc ? "application/connect+json" : "application/json";
    if (strncasecmp(ct, want, strlen(want)) != 0 ||
        (ct[strlen(want)] != '\0' && ct[strlen(want)] != ';')) {
        respond(c, 415, NULL, NULL, 0);
        return;
    }
    c->kind = K_RPC;
    if (!has_body) rpc_complete(c);
}

/* ---- request bodies ---- */

static void upload_complete(struct envd_conn *c)
{
    int status;
    struct buf body = BUF_INIT;
    envd_upload_finish(c->up, &status, &body);
    envd_upload_free(c->up);
    c->up = NULL;
    respond(c, status, "application/json", body.data, body.len);
    buf_free(&body);
}

static void stream_error(struct envd_conn *c, enum connect_code code, const char *msg)
{
    struct buf b = BUF_INIT;
    connect_end_stream_append(&b, code, msg, NULL);
    c->kind = K_DONE;
    c->status = 200;
    snprintf(c->ctype, sizeof c->ctype, "application/connect+json");
    c->resp_len = (int64_t)b.len;
    buf_reset(&c->out);
    c->out_off = 0;
    buf_append(&c->out, b.data, b.len);
    c->finished = true;
    buf_free(&b);
    conn_wake(c);
}

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
static void stream_input(struct envd_conn *c, struct frames *fr)
{
    struct envd_reply r = {CONNECT_OK, "", BUF_INIT};
    cJSON *sel = NULL;
    for (int i = 0; i < fr->n; i++) {
        const cJSON *ev = fr->msgs[i];
        const cJSON *start = cJSON_GetObjectItemCaseSensitive(ev, "start");
        const cJSON *data = cJSON_GetObjectItemCaseSensitive(ev, "data");
        if (start) {
            cJSON_Delete(sel);
            sel = cJSON_Duplicate(start, 1);
            continue;
        }
        if (!data) continue; /* keepalive */
        if (!sel) {
            envd_reply_error(&r, CONNECT_INVALID_ARGUMENT, "data event before start event");
            break;
        }
        cJSON *req = cJSON_Duplicate(sel, 1);
        const cJSON *input = cJSON_GetObjectItemCaseSensitive(data, "input");
        if (input) cJSON_AddItemToObject(req, "input", cJSON_Duplicate(input, 1));
        int rc = envd_process_unary(&c->call, "SendInput", req, &r);
        cJSON_Delete(req);
        if (rc < 0) break;
    }
    cJSON_Delete(sel);
    if (r.code != CONNECT_OK) {
        stream_error(c, r.code, r.message);
    } else {
        struct buf b = BUF_INIT;
        connect_envelope_append(&b, 0, "{}", 2);
        connect_end_stream_append(&b, CONNECT_OK, NULL, NULL);
        c->kind = K_DONE;
        c->status = 200;
        snprintf(c->ctype, sizeof c->ctype, "application/connect+json");
        c->resp_len = (int64_t)b.len;
        buf_append(&c->out, b.data, b.len);
        c->finished = true;
        buf_free(&b);
        conn_wake(c);
    }
    buf_free(&r.body);
}

static void rpc_complete(struct envd_conn *c)
{
    struct envd_reply r = {CONNECT_OK, "", BUF_INIT};
    bool is_proc = strcmp(c->service, "process.Process") == 0;
    if (!c->stream_rpc) {
        cJSON *msg =
            c->body.len ? cJSON_ParseWithLength(c->body.data, c->body.len) : cJSON_CreateObject();
        if (!msg || !cJSON_IsObject(msg)) {
            cJSON_Delete(msg);
            respond_connect_error(c, CONNECT_INVALID_ARGUMENT, "request body is not a JSON object");
            return;
        }
        int rc = is_proc ? envd_process_unary(&c->call, c->method, msg, &r)
                         : envd_fs_unary(&c->call, c->method, msg, &r);
        cJSON_Delete(msg);
        if (rc < 0 || r.code != CONNECT_OK)
            respond_connect_error(c, r.code, r.message);
        else
            respond(c, 200, "application/json", r.body.data, r.body.len);
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
        /* headers go out before the first frame; the service writes frames via the conn */
        stream_begin(c, 200, "application/connect+json");
        int src = is_proc ? envd_process_stream(&c->call, c->method, fr.msgs[0], c, &r)
                          : envd_fs_stream(&c->call, c->method, fr.msgs[0], c, &r);
        if (src < 0) {
            struct buf b = BUF_INIT;
            connect_end_stream_append(&b, r.code, r.message, NULL);
            envd_conn_write(c, b.data, b.len);
            buf_free(&b);
            envd_conn_finish(c);
        }
        c->kind = K_DONE;
    }
    for (int i = 0; i < fr.n; i++)
        cJSON_Delete(fr.msgs[i]);
    buf_free(&r.body);
}

static int on_body(struct envd_conn *c, const char *in, size_t len)
{
    if (c->kind != K_RPC && c->kind != K_UPLOAD) return 0; /* already answered (error): discard */
    char tmp[8192];
    while (len > 0) {
        size_t n = len < sizeof tmp ? len : sizeof tmp;
        memcpy(tmp, in, n);
        in += n;
        len -= n;
        size_t payload = n;
        bool done = false;
        if (c->chunked) {
            size_t used;
            long p = dechunk_feed(&c->dc, tmp, n, &used, &done);
            if (p < 0) {
                if (c->up) {
                    envd_upload_free(c->up);
                    c->up = NULL;
                }
                respond_json_error(c, 400, "malformed chunked request body");
                c->close_after = true;
                return 0;
            }
            payload = (size_t)p;
        }
        if (c->kind == K_UPLOAD) {
            if (payload && envd_upload_feed(c->up, tmp, payload) < 0) {
                upload_complete(c); /* answers with the error */
                c->close_after = true;
                return 0;
            }
        } else {
            if (c->body.len + payload > RPC_BODY_MAX) {
                respond_connect_error(c, CONNECT_RESOURCE_EXHAUSTED, "request body too large");
                c->close_after = true;
                return 0;
            }
            buf_append(&c->body, tmp, payload);
        }
        if (done) {
            c->body_done = true;
            if (c->kind == K_UPLOAD)
                upload_complete(c);
            else
                rpc_complete(c);
            return 0;
        }
    }
    return 0;
}

/* ---- lws callback ---- */

static void conn_free(struct envd_conn *c)
{
    if (c->owner.gone) {
        void (*gone)(void *) = c->owner.gone;
        c->owner.gone = NULL;
        gone(c->owner.arg);
    }
    envd_upload_free(c->up);
    envd_download_free(c->dl);
    buf_free(&c->body);
    buf_free(&c->out);
    free(c->scratch);
    free(c);
}

int envd_lws_http_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                     size_t len)
{
    struct envd_conn **slot = user;
    struct envd_conn *c = slot ? *slot : NULL;
    switch (reason) {
    case LWS_CALLBACK_HTTP: {
        if (c) { /* a keep-alive connection's previous request */
            conn_free(c);
            *slot = NULL;
        }
        struct envd *e = envd_of_wsi(wsi);
        if (!e) return -1;
        c = calloc(1, sizeof *c);
        if (!c) return -1;
        c->wsi = wsi;
        c->e = e;
        *slot = c;
        char uri[512];
        snprintf(uri, sizeof uri, "%s", in ? (const char *)in : "/");
        start_request(c, uri);
        return 0;
    }
    case LWS_CALLBACK_HTTP_BODY:
        if (c && !c->body_done) on_body(c, in, len);
        return 0;
    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
        if (c && !c->body_done && !c->chunked) {
            c->body_done = true;
            if (c->kind == K_UPLOAD)
                upload_complete(c);
            else if (c->kind == K_RPC)
                rpc_complete(c);
        }
        return 0;
    case LWS_CALLBACK_HTTP_WRITEABLE:
        if (!c) return 0;
        return on_writeable(c);
    case LWS_CALLBACK_CLOSED_HTTP:
        if (c) {
            c->wsi = NULL;
            conn_free(c);
            *slot = NULL;
        }
        return 0;
    default:
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    }
}
