/* server.c - HTTP/1.1 server on libwebsockets 4.1 (interface and lifecycle in server.h).
 *
 * Design notes (why it looks like this; measured facts in libs-notes §4):
 * - lws does not de-chunk request bodies and never fires BODY_COMPLETION for them, so a
 *   chunked body goes through our decoder (chunked.h) and its end is our completion.
 * - lws never answers `Expect: 100-continue`; we write the interim response ourselves as soon
 *   as the headers are in, so curl-based clients do not stall for a second.
 * - Responses are written only from HTTP_WRITEABLE, one lws_write per callback, and only for
 *   requests whose "ready" flag is set: a wakeup meant for another request is ignored.
 * - Streaming responses use our own chunked framing so the connection stays keep-alive.
 * - A connection is reused only when both the request body was consumed exactly and the
 *   response was complete; anything else (early error answer, body left unread) closes it,
 *   so no byte is ever mistaken for the next request. A chunked request always closes its
 *   connection: lws 4.1 cannot find the next request after one (it stalls 5 s).
 * - Watched fds are dup()ed before adoption: lws closes the fd of a RAW_FILE wsi, while the
 *   caller keeps owning its own descriptor. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <fcntl.h>

#include <cJSON.h>
#include <libwebsockets.h>

#include "boxtop/buf.h"
#include "boxtop/log.h"
#include "boxtop/sanitize.h"
#include "chunked.h"
#include "query.h"
#include "server.h"

#define WRITE_PIECE (32u << 10) /* bytes handed to lws_write per writeable callback */

struct route {
    char *method;
    char *pattern;
    server_handler_fn handler;
    void *ud;
    enum server_body_mode body_mode;
    size_t max_body;
};

struct route_table {
    struct route *v;
    size_t n;
    struct route fallback;
    bool has_fallback;
};

struct server {
    struct lws_context *ctx;
    struct lws_vhost *vh[SERVER_VHOST_COUNT];
    struct route_table routes[SERVER_VHOST_COUNT];
    struct log *log;
    bool stop;
    struct server_request *active; /* every unfinished request */
    struct lws_protocols protocols[SERVER_VHOST_COUNT][3];
    int vh_index[SERVER_VHOST_COUNT]; /* stable storage for the protocol user pointer */
};

/* Headers copied when a request starts (lws token, or -1 = custom header). */
static const struct {
    const char *name;
    int token;
} snap_headers[] = {
    {"content-type", WSI_TOKEN_HTTP_CONTENT_TYPE},
    {"content-length", WSI_TOKEN_HTTP_CONTENT_LENGTH},
    {"transfer-encoding", WSI_TOKEN_HTTP_TRANSFER_ENCODING},
    {"content-encoding", WSI_TOKEN_HTTP_CONTENT_ENCODING},
    {"accept-encoding", WSI_TOKEN_HTTP_ACCEPT_ENCODING},
    {"authorization", WSI_TOKEN_HTTP_AUTHORIZATION},
    {"expect", WSI_TOKEN_HTTP_EXPECT},
    {"host", WSI_TOKEN_HOST},
    {"user-agent", WSI_TOKEN_HTTP_USER_AGENT},
    {"range", WSI_TOKEN_HTTP_RANGE},
    {"connection", WSI_TOKEN_CONNECTION},
    {"x-api-key", -1},
    {"x-access-token", -1},
    {"e2b-sandbox-id", -1},
    {"e2b-sandbox-port", -1},
    {"connect-protocol-version", -1},
    {"connect-timeout-ms", -1},
    {"connect-content-encoding", -1},
    {"connect-accept-encoding", -1},
    {"keepalive-ping-interval", -1},
    {"accept", WSI_TOKEN_HTTP_ACCEPT}, /* appended: the ones above are also used by index */
};
#define N_SNAP (sizeof snap_headers / sizeof snap_headers[0])

struct hdr_extra {
    char *name;
    char *value;
};

struct server_request {
    struct server *srv;
    struct server_request *prev, *next; /* srv->active */
    struct lws *wsi;
    enum server_vhost vh;
    char method[8];
    char *path;
    char *query_raw;
    struct query query;
    int query_state; /* 0 not parsed, 1 ok, -1 malformed */
    char *captures[SERVER_MAX_CAPTURES];
    char *snap[N_SNAP];
    struct hdr_extra *extra_hdrs; /* other headers read through server_request_header */
    size_t n_extra_hdrs;
    char peer[64];
    const struct route *route;
    void *ud;

    /* body in */
    int64_t content_length; /* -1 unknown */
    int64_t body_seen;      /* payload bytes delivered */
    bool chunked;
    struct chunked dec;
    struct buf body;
    bool body_done;
    bool body_error;
    bool discard_body; /* already answered (413, error): swallow the rest */
    bool line_cut;     /* request_line_cut: answer 400 once the body is drained */
    bool handler_ran;
    size_t max_body;
    server_body_data_fn on_data;
    server_body_end_fn on_end;
    void *body_ud;

    server_close_fn on_close;
    void *close_ud;

    /* response out */
    bool responded; /* a response has been committed */
    bool ready;     /* something to write */
    bool headers_sent;
    bool streaming;
    bool stream_ended;
    bool finished; /* last byte handed to lws */
    bool close_after;
    int status;
    char *content_type;
    int64_t resp_len;
    struct buf resp_hdrs; /* "name\0value\0" pairs */
    struct buf out;       /* body bytes (framed when streaming) */
    size_t out_off;
    server_drain_fn on_drain;
    void *drain_ud;
};

struct conn {
    struct server_request *req;
};

struct server_fd {
    struct server *srv;
    struct lws *wsi;
    int fd; /* the caller's fd (lws owns a dup) */
    server_fd_fn fn;
    void *ud;
    bool dead;
};

struct server_timer {
    lws_sorted_usec_list_t sul; /* first: lws hands us a pointer to it */
    struct server *srv;
    server_timer_fn fn;
    void *ud;
};

static void req_finish(struct server_request *req, bool conn_closing);
static int req_dispatch(struct server_request *req);

/* ------------------------------------------------------------------ routing */

static bool seg_match(const char *pat, size_t plen, const char *seg, size_t slen)
{
    return plen == slen && memcmp(pat, seg, plen) == 0;
}

/* Match path against pattern; on success fill caps (malloc'd; lws has already
 * percent-decoded the path and resolved dot segments). Returns 1 match, 0 no match, -1 when
 * out of memory. */
static int pattern_match(const char *pattern, const char *path, char **caps)
{
    const char *p = pattern, *s = path;
    int ncap = 0;
    char *tmp[SERVER_MAX_CAPTURES] = {0};

    if (*p != '/' || *s != '/') return 0;
    for (;;) {
        p++;
        s++;
        const char *pe = strchr(p, '/');
        size_t plen = pe ? (size_t)(pe - p) : strlen(p);
        const char *se = strchr(s, '/');
        size_t slen = se ? (size_t)(se - s) : strlen(s);

        if (plen == 2 && p[0] == '*' && p[1] == '*' && !pe) {
            if (ncap >= SERVER_MAX_CAPTURES || !(tmp[ncap] = strdup(s))) goto bad;
            ncap++;
            break;
        }
        if (plen == 1 && p[0] == '*') {
            if (slen == 0) goto nomatch;
            if (ncap >= SERVER_MAX_CAPTURES || !(tmp[ncap] = strndup(s, slen))) goto bad;
            ncap++;
        } else if (!seg_match(p, plen, s, slen)) {
            goto nomatch;
        }
        if (!pe && !se) break;
        if (!pe || !se) goto nomatch;
        p = pe;
        s = se;
    }
    for (int i = 0; i < SERVER_MAX_CAPTURES; i++)
        caps[i] = tmp[i];
    return 1;
nomatch:
    for (int i = 0; i < ncap; i++)
        free(tmp[i]);
    return 0;
bad:
    for (int i = 0; i < SERVER_MAX_CAPTURES; i++)
        free(tmp[i]);
    return -1;
}

int server_route_add(struct server *srv, enum server_vhost vh, const struct server_route *r)
{
    struct route_table *t = &srv->routes[vh];
    struct route *nv = realloc(t->v, (t->n + 1) * sizeof *nv);

    if (!nv) return -1;
    t->v = nv;
    struct route *x = &t->v[t->n];
    memset(x, 0, sizeof *x);
    x->method = r->method ? strdup(r->method) : NULL;
    x->pattern = strdup(r->pattern);
    if ((r->method && !x->method) || !x->pattern) {
        free(x->method);
        free(x->pattern);
        return -1;
    }
    x->handler = r->handler;
    x->ud = r->ud;
    x->body_mode = r->body_mode;
    x->max_body = r->max_body ? r->max_body : SERVER_DEFAULT_MAX_BODY;
    t->n++;
    return 0;
}

void server_set_fallback(struct server *srv, enum server_vhost vh, const struct server_route *r)
{
    struct route_table *t = &srv->routes[vh];
    t->fallback.handler = r->handler;
    t->fallback.ud = r->ud;
    t->fallback.body_mode = r->body_mode;
    t->fallback.max_body = r->max_body ? r->max_body : SERVER_DEFAULT_MAX_BODY;
    t->has_fallback = true;
}

/* ------------------------------------------------------------------ requests */

static int method_of(struct lws *wsi, char *out, size_t n)
{
    static const struct {
        int tok;
        const char *name;
    } m[] = {
        {WSI_TOKEN_GET_URI, "GET"},     {WSI_TOKEN_POST_URI, "POST"},
        {WSI_TOKEN_PUT_URI, "PUT"},     {WSI_TOKEN_DELETE_URI, "DELETE"},
        {WSI_TOKEN_PATCH_URI, "PATCH"}, {WSI_TOKEN_OPTIONS_URI, "OPTIONS"},
        {WSI_TOKEN_HEAD_URI, "HEAD"},
    };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
        if (lws_hdr_total_length(wsi, m[i].tok) > 0) {
            snprintf(out, n, "%s", m[i].name);
            return 0;
        }
    }
    return -1;
}

static char *hdr_dup(struct lws *wsi, const char *lname, int token)
{
    int len;
    char *v;

    if (token >= 0) {
        len = lws_hdr_total_length(wsi, (enum lws_token_indexes)token);
        if (len <= 0) return NULL;
        v = malloc((size_t)len + 1);
        if (!v) return NULL;
        if (lws_hdr_copy(wsi, v, len + 1, (enum lws_token_indexes)token) < 0) {
            free(v);
            return NULL;
        }
        return v;
    }
    char name[80];
    int nlen = snprintf(name, sizeof name, "%s:", lname);
    if (nlen <= 0 || (size_t)nlen >= sizeof name) return NULL;
    len = lws_hdr_custom_length(wsi, name, nlen);
    if (len < 0) return NULL;
    v = malloc((size_t)len + 1);
    if (!v) return NULL;
    if (lws_hdr_custom_copy(wsi, v, len + 1, name, nlen) < 0) {
        free(v);
        return NULL;
    }
    v[len] = '\0';
    /* A NUL inside a header value would cut it short for every C caller ("ID\0../x" read
     * as "ID"): make it a byte no id, key or token can contain, so the value stays invalid. */
    for (int i = 0; i < len; i++)
        if (v[i] == '\0') v[i] = 0x7f;
    return v;
}

/* The raw query string. lws 4.1 only keeps the args as '&'-split fragments (each one
 * already percent-decoded by lws, which is too early for the metadata filter), so we rebuild
 * "a=1&b=2" from the fragments after re-escaping the characters that matter to query_parse. */
static char *query_rebuild(struct lws *wsi)
{
    struct buf b = BUF_INIT;
    char frag[8192];

    for (int i = 0;; i++) {
        int n = lws_hdr_copy_fragment(wsi, frag, sizeof frag, WSI_TOKEN_HTTP_URI_ARGS, i);
        if (n < 0) break;
        if (b.len && buf_append_byte(&b, '&') < 0) goto oom;
        /* the first '=' separates name and value; re-escape %, &, + and later '=' */
        bool seen_eq = false;
        for (int j = 0; j < n; j++) {
            unsigned char c = (unsigned char)frag[j];
            int rc;
            if (c == '=' && !seen_eq) {
                seen_eq = true;
                rc = buf_append_byte(&b, c);
            } else if (c == '%' || c == '&' || c == '+' || c == '=' || c == '#' || c < 0x21 ||
                       c == 0x7f) {
                rc = buf_printf(&b, "%%%02X", c);
            } else {
                rc = buf_append_byte(&b, c);
            }
            if (rc < 0) goto oom;
        }
    }
    if (!b.data) return strdup("");
    return buf_steal(&b);
oom:
    buf_free(&b);
    return NULL;
}

/* lws 4.1 percent-decodes the request URI while it parses the request line, and its
 * end-of-line check runs on the decoded byte: a %0D or %0A in the URI ends the request line
 * there (lib/roles/http/parsers.c, lws_parse "bail at EOL"). After a %0D the rest of the line
 * is skipped; after a %0A it is taken as a header name (lower-cased) that no public API can
 * enumerate. Either way the bytes are gone, and what is left looks like a valid shorter
 * request: "GET /files?path=/home/user/a%0Ab&username=user" arrives as path=/home/user/a, the
 * wrong file. Such a request line never reached its " HTTP/1.x" part, so lws has no version
 * token for it: refuse it (400) rather than act on the truncated URI. Real clients always send
 * the version; h2 streams have none and cannot be cut this way. */
static bool request_line_cut(struct lws *wsi)
{
    if (lws_get_network_wsi(wsi) != wsi) return false; /* an h2 stream */
    return lws_hdr_total_length(wsi, WSI_TOKEN_HTTP) <= 0;
}

static void req_free(struct server_request *req)
{
    free(req->path);
    free(req->query_raw);
    query_free(&req->query);
    for (int i = 0; i < SERVER_MAX_CAPTURES; i++)
        free(req->captures[i]);
    for (size_t i = 0; i < N_SNAP; i++)
        free(req->snap[i]);
    for (size_t i = 0; i < req->n_extra_hdrs; i++) {
        free(req->extra_hdrs[i].name);
        free(req->extra_hdrs[i].value);
    }
    free(req->extra_hdrs);
    buf_free(&req->body);
    buf_free(&req->resp_hdrs);
    buf_free(&req->out);
    free(req->content_type);
    free(req);
}

enum server_vhost server_request_vhost(const struct server_request *req)
{
    return req->vh;
}

const char *server_request_method(const struct server_request *req)
{
    return req->method;
}

const char *server_request_path(const struct server_request *req)
{
    return req->path;
}

const char *server_request_query_raw(const struct server_request *req)
{
    return req->query_raw ? req->query_raw : "";
}

struct query *server_request_query_all(struct server_request *req)
{
    if (req->query_state == 0) {
        struct error err;
        const char *raw = server_request_query_raw(req);
        req->query_state = query_parse(&req->query, raw, strlen(raw), &err) < 0 ? -1 : 1;
    }
    return req->query_state > 0 ? &req->query : NULL;
}

const char *server_request_query(struct server_request *req, const char *name)
{
    struct query *q = server_request_query_all(req);
    return q ? query_get(q, name) : NULL;
}

const char *server_request_capture(const struct server_request *req, int i)
{
    if (i < 0 || i >= SERVER_MAX_CAPTURES) return NULL;
    return req->captures[i];
}

const char *server_request_header(struct server_request *req, const char *lname)
{
    for (size_t i = 0; i < N_SNAP; i++)
        if (strcmp(snap_headers[i].name, lname) == 0) return req->snap[i];
    for (size_t i = 0; i < req->n_extra_hdrs; i++)
        if (strcmp(req->extra_hdrs[i].name, lname) == 0) return req->extra_hdrs[i].value;
    if (!req->wsi) return NULL;
    char *v = hdr_dup(req->wsi, lname, -1);
    if (!v) return NULL;
    struct hdr_extra *nx = realloc(req->extra_hdrs, (req->n_extra_hdrs + 1) * sizeof *nx);
    char *name = strdup(lname);
    if (!nx || !name) {
        if (nx) req->extra_hdrs = nx;
        free(name);
        free(v);
        return NULL;
    }
    req->extra_hdrs = nx;
    nx[req->n_extra_hdrs].name = name;
    nx[req->n_extra_hdrs].value = v;
    req->n_extra_hdrs++;
    return v;
}

/* lws 4.1 has no iterator over custom headers (lws_hdr_custom_name_foreach came in 4.3), and
 * envd's file metadata arrives as X-Metadata-<any key>. lws keeps custom headers as a linked
 * list in the request's header buffer, each node "name length (16-bit BE), value length (16-bit
 * BE), next node offset (32-bit BE), lowercase name with its colon, value", and the method's
 * URI is the first thing in that buffer. So: scan forward from the URI for the first node, then
 * follow the links. Nothing found this way is trusted: every node must be one lws itself finds
 * by name with the same value length (lws_hdr_custom_length), values are read through
 * lws_hdr_custom_copy, and the scan only reads bytes lws wrote: it runs only when a custom
 * header we know of exists (so a real node, all written, ends it) and a candidate name stops at
 * the first byte that cannot be in a name (the zero bytes of a real node's lengths). The URI
 * pointer comes from lws_http_get_uri_and_method. Checked by test_daemon_server. */
#define UHO_NLEN        0
#define UHO_VLEN        2
#define UHO_LL          4
#define UHO_NAME        8
#define CUSTOM_SCAN_MAX 32768 /* the header buffer's size (max_http_header_data2) */
#define CUSTOM_NAME_MAX 1024

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static bool hdr_name_char(unsigned char c)
{
    return c > 0x20 && c < 0x7f && c != ':';
}

/* A node at p (offset off of the buffer) that lws knows: its name length, else 0. */
static unsigned custom_node_at(struct lws *wsi, const unsigned char *p, size_t off)
{
    unsigned nlen = be16(p + UHO_NLEN);
    if (nlen < 2 || nlen > CUSTOM_NAME_MAX || off + UHO_NAME + nlen > CUSTOM_SCAN_MAX) return 0;
    for (unsigned i = 0; i + 1 < nlen; i++)
        if (!hdr_name_char(p[UHO_NAME + i])) return 0;
    if (p[UHO_NAME + nlen - 1] != ':') return 0;
    int vlen = lws_hdr_custom_length(wsi, (const char *)p + UHO_NAME, (int)nlen);
    return vlen >= 0 && (unsigned)vlen == be16(p + UHO_VLEN) ? nlen : 0;
}

int server_request_headers_prefixed(struct server_request *req, const char *prefix,
                                    void (*fn)(void *ud, const char *name, const char *value),
                                    void *ud)
{
    char *uri = NULL;
    int ulen = 0;
    if (!req->wsi || lws_http_get_uri_and_method(req->wsi, &uri, &ulen) < 0 || !uri) return -1;
    const unsigned char *base = (const unsigned char *)uri;
    /* The scan must end at a real node: one of the custom headers we read anyway must exist. */
    bool known = false;
    for (size_t i = 0; i < N_SNAP; i++)
        if (snap_headers[i].token < 0 && req->snap[i]) known = true;
    if (!known) return 0;
    size_t head = 0;
    bool found = false;
    for (size_t off = 0; off + UHO_NAME < CUSTOM_SCAN_MAX && !found; off++)
        if (base[off] == 0 && custom_node_at(req->wsi, base + off, off)) {
            head = off;
            found = true;
        }
    if (!found) return 0;
    size_t plen = strlen(prefix);
    int count = 0;
    /* Links are offsets from the buffer's start, which lies a few bytes before the URI (9 in
     * lws 4.1.6): found once, from the first link, by scanning forward again. */
    long delta = -1;
    for (size_t off = head, hops = 0; hops < 1024; hops++) {
        unsigned nlen = custom_node_at(req->wsi, base + off, off);
        if (!nlen) break;
        char name[CUSTOM_NAME_MAX + 1];
        memcpy(name, base + off + UHO_NAME, nlen);
        name[nlen] = '\0';
        if (nlen - 1 > plen && strncmp(name, prefix, plen) == 0) {
            int vlen = lws_hdr_custom_length(req->wsi, name, (int)nlen);
            char *v = vlen >= 0 ? malloc((size_t)vlen + 1) : NULL;
            if (v && lws_hdr_custom_copy(req->wsi, v, vlen + 1, name, (int)nlen) >= 0) {
                name[nlen - 1] = '\0'; /* the colon */
                fn(ud, name + plen, v);
                count++;
            }
            free(v);
        }
        const unsigned char *ll = base + off + UHO_LL;
        size_t next = (size_t)ll[0] << 24 | (size_t)ll[1] << 16 | (size_t)ll[2] << 8 | ll[3];
        if (next == 0 || next >= CUSTOM_SCAN_MAX) break; /* the tail */
        if (delta < 0) {
            for (size_t dl = next < 64 ? next : 64; dl-- > 0 && delta < 0;)
                if (next - dl > off + UHO_NAME + nlen &&
                    custom_node_at(req->wsi, base + next - dl, next - dl))
                    delta = (long)dl;
            if (delta < 0) break;
        }
        if (next < (size_t)delta || next - (size_t)delta <= off) break;
        off = next - (size_t)delta;
    }
    return count;
}

const char *server_request_body(const struct server_request *req, size_t *len)
{
    if (len) *len = req->body.len;
    return buf_cstr(&req->body);
}

int64_t server_request_content_length(const struct server_request *req)
{
    return req->content_length;
}

bool server_request_is_chunked(const struct server_request *req)
{
    return req->chunked;
}

const char *server_request_peer(const struct server_request *req)
{
    return req->peer;
}

void server_request_set_ud(struct server_request *req, void *ud)
{
    req->ud = ud;
}

void *server_request_get_ud(const struct server_request *req)
{
    return req->ud;
}

void server_request_set_body_cb(struct server_request *req, server_body_data_fn on_data,
                                server_body_end_fn on_end, void *ud)
{
    req->on_data = on_data;
    req->on_end = on_end;
    req->body_ud = ud;
}

void server_request_pause_body(struct server_request *req, bool paused)
{
    if (req->wsi) lws_rx_flow_control(req->wsi, paused ? 0 : 1);
}

void server_request_set_close_cb(struct server_request *req, server_close_fn fn, void *ud)
{
    req->on_close = fn;
    req->close_ud = ud;
}

/* ------------------------------------------------------------------ responses */

static void req_wake(struct server_request *req)
{
    req->ready = true;
    if (req->wsi) lws_callback_on_writable(req->wsi);
}

int server_add_header(struct server_request *req, const char *name, const char *value)
{
    if (req->responded) return -1;
    char lname[80];
    size_t n = strlen(name);
    if (n == 0 || n + 2 > sizeof lname) return -1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c <= 0x20 || c >= 0x7f || c == ':') return -1;
        lname[i] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
    }
    lname[n] = ':';
    lname[n + 1] = '\0';
    for (const char *v = value; *v; v++)
        if (*v == '\r' || *v == '\n') return -1; /* no header injection */
    if (buf_append(&req->resp_hdrs, lname, n + 2) < 0 ||
        buf_append(&req->resp_hdrs, value, strlen(value) + 1) < 0)
        return -1;
    return 0;
}

static int respond_common(struct server_request *req, int status, const char *content_type)
{
    if (req->responded) return -1;
    req->responded = true;
    req->status = status;
    req->content_type = content_type ? strdup(content_type) : NULL;
    /* An answer given before the body was read (errors, 413): the rest of the body would be
     * read as the next request, so close the connection afterwards. A streaming handler may
     * answer early and still want its body: it keeps getting on_data/on_end. */
    if (!req->body_done) {
        req->close_after = true;
        if (!req->route || req->route->body_mode != SERVER_BODY_STREAM || !req->handler_ran)
            req->discard_body = true;
    }
    return 0;
}

int server_respond(struct server_request *req, int status, const char *content_type,
                   const void *body, size_t len)
{
    if (respond_common(req, status, content_type) < 0) return -1;
    req->resp_len = (int64_t)len;
    if (len && buf_append(&req->out, body, len) < 0) {
        req->close_after = true;
        req->resp_len = 0;
    }
    req_wake(req);
    return 0;
}

int server_respond_json(struct server_request *req, int status, cJSON *json)
{
    char *s = json ? cJSON_PrintUnformatted(json) : NULL;
    int rc;

    cJSON_Delete(json);
    if (!s)
        return server_respond(req, 500, "application/json",
                              "{\"code\":500,\"message\":\"out of memory\"}", 38);
    rc = server_respond(req, status, "application/json", s, strlen(s));
    free(s);
    return rc;
}

int server_respond_error(struct server_request *req, int status, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    cJSON *o = cJSON_CreateObject();

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* Messages quote request values (template names, paths): invalid UTF-8 from the client, or
     * a character cut by the truncation above, would make the JSON invalid, and controls would
     * reach whoever shows the message. The sanitizer repairs and strips both. */
    char *clean = sanitize_dup(msg, 0);
    if (o) {
        cJSON_AddNumberToObject(o, "code", status);
        cJSON_AddStringToObject(o, "message", clean ? clean : "error");
    }
    free(clean);
    return server_respond_json(req, status, o);
}

bool server_responded(const struct server_request *req)
{
    return req->responded;
}

int server_stream_begin(struct server_request *req, int status, const char *content_type,
                        server_drain_fn on_drain, void *ud)
{
    if (respond_common(req, status, content_type) < 0) return -1;
    req->streaming = true;
    req->resp_len = -1;
    req->on_drain = on_drain;
    req->drain_ud = ud;
    /* [envd edit] lws leaves its 5 s request timeout armed on GETs: without this, every
     * streaming answer to a GET (a /files download) was cut 5 s after it started. */
    if (req->wsi) lws_set_timeout(req->wsi, NO_PENDING_TIMEOUT, 0);
    req_wake(req);
    return 0;
}

int server_stream_write(struct server_request *req, const void *data, size_t len)
{
    if (!req->streaming || req->stream_ended) return -1;
    if (len == 0) return 0;
    if (buf_printf(&req->out, "%zx\r\n", len) < 0 || buf_append(&req->out, data, len) < 0 ||
        buf_append(&req->out, "\r\n", 2) < 0)
        return -1;
    req_wake(req);
    return 0;
}

size_t server_stream_queued(const struct server_request *req)
{
    return req->out.len - req->out_off;
}

int server_stream_end(struct server_request *req)
{
    if (!req->streaming || req->stream_ended) return -1;
    req->stream_ended = true;
    if (buf_append(&req->out, "0\r\n\r\n", 5) < 0) req->close_after = true;
    req_wake(req);
    return 0;
}

int server_stream_cut(struct server_request *req)
{
    if (!req->streaming || req->stream_ended) return -1;
    req->stream_ended = true; /* no terminating chunk: what is queued goes, then the close */
    req->close_after = true;
    req_wake(req);
    return 0;
}

/* Write the status line and headers. */
static int write_headers(struct server_request *req)
{
    struct lws *wsi = req->wsi;
    size_t hsz = 1024 + req->resp_hdrs.len;
    unsigned char *mem = malloc(LWS_PRE + hsz);
    unsigned char *start, *p, *end;
    int rc = -1;

    if (!mem) return -1;
    start = p = mem + LWS_PRE;
    end = start + hsz - 1;
    if (lws_add_http_header_status(wsi, (unsigned int)req->status, &p, end)) goto out;
    if (req->content_type && lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE,
                                                          (const unsigned char *)req->content_type,
                                                          (int)strlen(req->content_type), &p, end))
        goto out;
    if (req->streaming) {
        if (lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING,
                                         (const unsigned char *)"chunked", 7, &p, end))
            goto out;
    } else if (req->status != 204 && req->status != 304 &&
               lws_add_http_header_content_length(wsi, (lws_filepos_t)req->resp_len, &p, end)) {
        goto out;
    }
    if (req->close_after &&
        lws_add_http_header_by_token(wsi, WSI_TOKEN_CONNECTION, (const unsigned char *)"close", 5,
                                     &p, end))
        goto out;
    for (size_t off = 0; off < req->resp_hdrs.len;) {
        const char *name = req->resp_hdrs.data + off;
        const char *val = name + strlen(name) + 1;
        off = (size_t)(val - req->resp_hdrs.data) + strlen(val) + 1;
        if (lws_add_http_header_by_name(wsi, (const unsigned char *)name,
                                        (const unsigned char *)val, (int)strlen(val), &p, end))
            goto out;
    }
    if (lws_finalize_write_http_header(wsi, start, &p, end)) goto out;
    rc = 0;
out:
    free(mem);
    return rc;
}

/* One writeable turn: headers, or one piece of the body. Returns -1 to close the wsi. */
static int req_writeable(struct server_request *req)
{
    struct lws *wsi = req->wsi;

    if (!req->ready || req->finished) return 0; /* someone else's wakeup */
    if (!req->headers_sent) {
        if (write_headers(req) < 0) return -1;
        req->headers_sent = true;
        lws_callback_on_writable(wsi);
        return 0;
    }
    size_t avail = req->out.len - req->out_off;
    bool last = req->streaming ? req->stream_ended : true;
    if (avail == 0 && !last) {
        req->ready = false; /* nothing queued: wait for server_stream_write */
        return 0;
    }
    if (avail) {
        size_t n = avail > WRITE_PIECE ? WRITE_PIECE : avail;
        bool final = last && n == avail;
        unsigned char *mem = malloc(LWS_PRE + n);
        if (!mem) return -1;
        memcpy(mem + LWS_PRE, req->out.data + req->out_off, n);
        int w = lws_write(wsi, mem + LWS_PRE, n,
                          (final && !req->streaming) ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP);
        free(mem);
        if (w < (int)n) return -1;
        req->out_off += n;
        if (req->out_off > (256u << 10) && req->out_off * 2 > req->out.len) {
            buf_consume(&req->out, req->out_off); /* keep the queue from growing forever */
            req->out_off = 0;
        }
        if (!final) {
            lws_callback_on_writable(wsi);
            if (req->streaming && req->on_drain &&
                req->out.len - req->out_off < SERVER_STREAM_LOW_WATER)
                req->on_drain(req, req->drain_ud);
            return 0;
        }
    }
    /* everything is out */
    req->finished = true;
    bool reuse = !req->close_after && req->body_done && !req->body_error;
    req_finish(req, false);
    if (!reuse) return -1;
    if (lws_http_transaction_completed(wsi)) return -1;
    return 0;
}

/* ------------------------------------------------------------------ body */

static void line_cut_answer(struct server_request *req)
{
    if (!req->responded)
        server_respond_error(req, 400,
                             "request URI holds an encoded CR or LF (%%0D/%%0A), which this "
                             "server cannot read");
}

static void body_complete(struct server_request *req)
{
    req->body_done = true;
    if (req->line_cut) line_cut_answer(req);
    if (req->discard_body) return;
    if (req->route && req->route->body_mode == SERVER_BODY_STREAM) {
        if (req->on_end) req->on_end(req, 0, req->body_ud);
        return;
    }
    req_dispatch(req);
}

static int body_bytes(void *ud, const char *data, size_t len)
{
    struct server_request *req = ud;

    req->body_seen += (int64_t)len;
    if (req->discard_body) return 0;
    if (req->route && req->route->body_mode == SERVER_BODY_STREAM) {
        if (req->on_data && req->on_data(req, data, len, req->body_ud) != 0) {
            req->discard_body = true;
            if (!req->responded) server_respond_error(req, 400, "request body rejected");
            req->close_after = true;
        }
        return 0;
    }
    if (req->body.len + len > req->max_body) {
        server_respond_error(req, 413, "request body too large (limit %zu bytes)", req->max_body);
        req->discard_body = true;
        return 0;
    }
    if (buf_append(&req->body, data, len) < 0) {
        server_respond_error(req, 500, "out of memory");
        req->discard_body = true;
    }
    return 0;
}

static void body_fail(struct server_request *req, const char *why)
{
    req->body_error = true;
    req->body_done = true;
    req->close_after = true;
    if (!req->discard_body && req->route && req->route->body_mode == SERVER_BODY_STREAM &&
        req->on_end)
        req->on_end(req, -EPROTO, req->body_ud);
    req->discard_body = true;
    if (!req->responded) server_respond_error(req, 400, "malformed request body: %s", why);
}

static int req_body_in(struct server_request *req, const char *in, size_t len)
{
    if (req->body_done) return 0; /* bytes past a complete body: the connection will be closed */
    if (req->chunked) {
        size_t used = 0;
        int rc = chunked_feed(&req->dec, in, len, &used, body_bytes, req);
        if (rc < 0) {
            body_fail(req, req->dec.error ? req->dec.error : "bad chunked framing");
            return 0;
        }
        if (chunked_done(&req->dec)) {
            if (used < len)
                req->close_after = true; /* pipelined bytes we cannot hand back to lws */
            body_complete(req);
        }
        return 0;
    }
    body_bytes(req, in, len);
    return 0;
}

/* ------------------------------------------------------------------ dispatch */

static int req_dispatch(struct server_request *req)
{
    if (req->handler_ran) return 0;
    req->handler_ran = true;
    int rc = req->route->handler(req, req->route->ud);
    if (rc < 0 && !req->responded) server_respond_error(req, 500, "internal error");
    return 0;
}

static int req_start(struct server *srv, struct lws *wsi, enum server_vhost vh, struct conn *c,
                     const char *uri, size_t uri_len)
{
    struct server_request *req = calloc(1, sizeof *req);
    struct route_table *t = &srv->routes[vh];
    bool path_matched = false;

    if (!req) return -1;
    req->srv = srv;
    req->wsi = wsi;
    req->vh = vh;
    req->content_length = -1;
    c->req = req;
    req->next = srv->active;
    if (srv->active) srv->active->prev = req;
    srv->active = req;
    for (size_t i = 0; i < N_SNAP; i++)
        req->snap[i] = hdr_dup(wsi, snap_headers[i].name, snap_headers[i].token);
    lws_get_peer_simple(wsi, req->peer, sizeof req->peer);
    req->path = strdup(uri ? uri : "/");
    req->query_raw = query_rebuild(wsi);
    if (!req->path || !req->query_raw) return -1;

    const char *te = req->snap[2];
    const char *cl = req->snap[1];
    if (te) {
        if (strcasecmp(te, "chunked") != 0) {
            req->body_done = true;
            server_respond_error(req, 501, "unsupported transfer-encoding");
            return 0;
        }
        req->chunked = true;
        /* lws 4.1 does not know where a chunked body ends: after one, the next request on
         * the connection is swallowed as body and stalls until lws's timeout (measured: 5 s),
         * so chunked requests always end their connection. */
        req->close_after = true;
        chunked_init(&req->dec);
    } else if (cl) {
        long long v;
        if (query_parse_int64(cl, &v) < 0 || v < 0) {
            req->body_done = true;
            server_respond_error(req, 400, "invalid content-length");
            return 0;
        }
        req->content_length = v;
    }
    if (!req->chunked && req->content_length <= 0) req->body_done = true;

    if (request_line_cut(wsi)) {
        /* Answered after the body (dropped) has arrived: a client still sending when the
         * answer and the close come sees only a broken connection ("fetch failed"). */
        req->line_cut = true;
        req->close_after = true;
        req->discard_body = true;
        if (req->body_done) line_cut_answer(req);
        return 0;
    }

    if (method_of(wsi, req->method, sizeof req->method) < 0) {
        server_respond_error(req, 405, "method not allowed");
        return 0;
    }
    /* lws decodes %00 into the path, which then ends there: refuse instead of routing the rest */
    if (uri && uri_len > strlen(uri)) {
        req->close_after = true;
        req->discard_body = true;
        server_respond_error(req, 400, "request path holds an encoded NUL (%%00)");
        return 0;
    }

    /* Expect: 100-continue (libcurl's default for unknown-size uploads) */
    const char *expect = req->snap[6];
    if (expect && strcasecmp(expect, "100-continue") == 0 && !req->body_done) {
        static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
        unsigned char mem[LWS_PRE + sizeof cont];
        memcpy(mem + LWS_PRE, cont, sizeof cont - 1);
        if (lws_write(wsi, mem + LWS_PRE, sizeof cont - 1, LWS_WRITE_HTTP) < 0) return -1;
    }

    for (size_t i = 0; i < t->n; i++) {
        char *caps[SERVER_MAX_CAPTURES] = {0};
        int m = pattern_match(t->v[i].pattern, req->path, caps);
        if (m < 0) {
            server_respond_error(req, 400, "invalid path");
            return 0;
        }
        if (m == 0) continue;
        path_matched = true;
        if (t->v[i].method && strcmp(t->v[i].method, req->method) != 0) {
            for (int k = 0; k < SERVER_MAX_CAPTURES; k++)
                free(caps[k]);
            continue;
        }
        memcpy(req->captures, caps, sizeof caps);
        req->route = &t->v[i];
        break;
    }
    if (!req->route) {
        if (path_matched) {
            server_respond_error(req, 405, "method %s not allowed on %s", req->method, req->path);
            return 0;
        }
        if (!t->has_fallback) {
            server_respond_error(req, 404, "no route for %s %s", req->method, req->path);
            return 0;
        }
        req->route = &t->fallback;
    }
    req->max_body = req->route->max_body;
    if (req->route->body_mode == SERVER_BODY_BUFFER && req->content_length >= 0 &&
        (uint64_t)req->content_length > req->max_body) {
        server_respond_error(req, 413, "request body too large (limit %zu bytes)", req->max_body);
        return 0;
    }
    if (req->route->body_mode == SERVER_BODY_STREAM || req->body_done) req_dispatch(req);
    if (req->body_done && req->route->body_mode == SERVER_BODY_STREAM && req->on_end &&
        !req->discard_body)
        req->on_end(req, 0, req->body_ud); /* no body at all */
    return 0;
}

/* The request is over (response sent, or connection gone): tell the owner, free it. */
static void req_finish(struct server_request *req, bool conn_closing)
{
    struct lws *wsi = req->wsi;
    struct conn *c = wsi ? (struct conn *)lws_wsi_user(wsi) : NULL;

    if (conn_closing && !req->body_done && !req->discard_body && req->route &&
        req->route->body_mode == SERVER_BODY_STREAM && req->on_end && req->handler_ran) {
        req->body_done = true;
        req->on_end(req, -ECONNRESET, req->body_ud);
    }
    req->wsi = NULL;
    if (c && c->req == req) c->req = NULL;
    if (req->prev)
        req->prev->next = req->next;
    else if (req->srv->active == req)
        req->srv->active = req->next;
    if (req->next) req->next->prev = req->prev;
    req->prev = req->next = NULL;
    if (req->on_close) req->on_close(req, req->close_ud);
    req_free(req);
}

void server_close_requests(struct server *srv)
{
    while (srv->active) {
        struct server_request *req = srv->active;
        struct lws *wsi = req->wsi;
        req_finish(req, true);
        if (wsi) lws_set_timeout(wsi, PENDING_TIMEOUT_AWAITING_PROXY_RESPONSE, LWS_TO_KILL_ASYNC);
    }
}

/* ------------------------------------------------------------------ lws callbacks */

static int cb_http(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                   size_t len)
{
    struct conn *c = user;
    const struct lws_protocols *proto = lws_get_protocol(wsi);
    int *vhp = proto ? (int *)proto->user : NULL;
    struct server *srv = lws_context_user(lws_get_context(wsi));

    switch (reason) {
    case LWS_CALLBACK_HTTP:
        if (!c || !vhp) return -1;
        if (c->req) /* a new request while the old one is unfinished: drop it */
            req_finish(c->req, true);
        if (req_start(srv, wsi, (enum server_vhost) * vhp, c, in, len) < 0) return -1;
        return 0;
    case LWS_CALLBACK_HTTP_BODY:
        if (c && c->req) return req_body_in(c->req, in, len);
        return 0;
    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
        if (c && c->req && !c->req->chunked && !c->req->body_done) body_complete(c->req);
        return 0;
    case LWS_CALLBACK_HTTP_WRITEABLE:
        if (c && c->req) return req_writeable(c->req);
        return 0;
    case LWS_CALLBACK_CLOSED_HTTP:
        if (c && c->req) req_finish(c->req, true);
        return 0;
    default:
        break;
    }
    return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static int cb_fd(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                 size_t len)
{
    struct server_fd *w = lws_get_opaque_user_data(wsi);

    (void)user;
    (void)in;
    (void)len;
    switch (reason) {
    case LWS_CALLBACK_RAW_RX_FILE:
        if (w && !w->dead) w->fn(w, w->fd, SERVER_FD_READABLE, w->ud);
        return 0;
    case LWS_CALLBACK_RAW_CLOSE_FILE:
        if (w) {
            lws_set_opaque_user_data(wsi, NULL);
            if (!w->dead) w->fn(w, w->fd, SERVER_FD_CLOSED, w->ud);
            free(w);
        }
        return 0;
    default:
        return 0;
    }
}

struct server_fd *server_watch_fd(struct server *srv, int fd, server_fd_fn fn, void *ud)
{
    struct server_fd *w = calloc(1, sizeof *w);
    lws_sock_file_fd_type u;

    if (!w) return NULL;
    w->srv = srv;
    w->fd = fd;
    w->fn = fn;
    w->ud = ud;
    u.filefd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (u.filefd < 0) {
        free(w);
        return NULL;
    }
    w->wsi = lws_adopt_descriptor_vhost(srv->vh[SERVER_VHOST_API], LWS_ADOPT_RAW_FILE_DESC, u,
                                        "boxtopd-fd", NULL);
    if (!w->wsi) {
        close(u.filefd);
        free(w);
        return NULL;
    }
    lws_set_opaque_user_data(w->wsi, w);
    return w;
}

void server_unwatch_fd(struct server_fd *w)
{
    if (!w || w->dead) return;
    w->dead = true;
    /* closes our dup and frees w from RAW_CLOSE_FILE, outside the caller's stack */
    lws_set_timeout(w->wsi, PENDING_TIMEOUT_AWAITING_PROXY_RESPONSE, LWS_TO_KILL_ASYNC);
}

static void timer_fire(lws_sorted_usec_list_t *sul)
{
    struct server_timer *t = (struct server_timer *)sul;
    t->fn(t, t->ud);
}

struct server_timer *server_timer_new(struct server *srv, server_timer_fn fn, void *ud)
{
    struct server_timer *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->srv = srv;
    t->fn = fn;
    t->ud = ud;
    return t;
}

void server_timer_start(struct server_timer *t, int64_t ms)
{
    lws_sul_schedule(t->srv->ctx, 0, &t->sul, timer_fire, (lws_usec_t)(ms < 0 ? 0 : ms) * 1000);
}

void server_timer_stop(struct server_timer *t)
{
    if (t) lws_sul_schedule(t->srv->ctx, 0, &t->sul, NULL, LWS_SET_TIMER_USEC_CANCEL);
}

void server_timer_free(struct server_timer *t)
{
    if (!t) return;
    server_timer_stop(t);
    free(t);
}

/* ------------------------------------------------------------------ context */

static void lws_log_to_ours(int level, const char *line)
{
    (void)level;
    (void)line; /* lws's own chatter is dropped; our log says what matters */
}

int server_new(struct server **out, const struct server_config *cfg, struct error *err)
{
    struct server *srv = calloc(1, sizeof *srv);
    struct lws_context_creation_info info;
    static const char *const names[SERVER_VHOST_COUNT] = {"api", "envd"};

    *out = NULL;
    if (!srv) return error_set(err, ERROR_GENERIC, "out of memory");
    srv->log = cfg->log;
    lws_set_log_level(LLL_ERR, lws_log_to_ours);

    memset(&info, 0, sizeof info);
    info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS | LWS_SERVER_OPTION_DISABLE_IPV6;
    info.user = srv;
    /* lws drops a connection whose headers exceed this (default 4 KiB) without answering;
     * 32 KiB lets long hostile ids and keys reach us and get a JSON 400/401. */
    info.max_http_header_data2 = 32768;
    /* lws reads and writes bodies through this per-thread buffer (default 4 KiB): a 1 GiB
     * /files transfer cost 2 syscalls per 4 KiB (strace -c: 66 812 recvfrom + 66 812 poll
     * per 256 MiB), so larger chunks mean fewer turns of the loop (issue 22). */
    info.pt_serv_buf_size = 256 * 1024;
    info.fd_limit_per_thread =
        (unsigned int)(cfg->max_connections > 0 ? cfg->max_connections + 64 : 1024 + 64);
    srv->ctx = lws_create_context(&info);
    if (!srv->ctx) {
        free(srv);
        return error_set(err, ERROR_GENERIC, "cannot create the lws context");
    }
    for (int v = 0; v < SERVER_VHOST_COUNT; v++) {
        srv->vh_index[v] = v;
        srv->protocols[v][0] = (struct lws_protocols){
            .name = "http",
            .callback = cb_http,
            .per_session_data_size = sizeof(struct conn),
            .rx_buffer_size = 0,
            .user = &srv->vh_index[v],
        };
        srv->protocols[v][1] = (struct lws_protocols){
            .name = "boxtopd-fd",
            .callback = cb_fd,
        };
        memset(&srv->protocols[v][2], 0, sizeof srv->protocols[v][2]);

        memset(&info, 0, sizeof info);
        info.vhost_name = names[v];
        info.iface = cfg->listen[v].host;
        info.port = cfg->listen[v].port;
        info.protocols = srv->protocols[v];
        info.options = LWS_SERVER_OPTION_DISABLE_IPV6;
        info.keepalive_timeout = 75;
        info.timeout_secs = 75;
        srv->vh[v] = lws_create_vhost(srv->ctx, &info);
        if (!srv->vh[v] || lws_get_vhost_listen_port(srv->vh[v]) <= 0) {
            error_set(err, ERROR_GENERIC, "cannot listen on %s:%d for the %s server",
                      cfg->listen[v].host, cfg->listen[v].port, names[v]);
            server_free(srv);
            return -1;
        }
    }
    *out = srv;
    return 0;
}

int server_port(const struct server *srv, enum server_vhost vh)
{
    return lws_get_vhost_listen_port(srv->vh[vh]);
}

int server_run(struct server *srv)
{
    while (!srv->stop) {
        if (lws_service(srv->ctx, 0) < 0) break;
    }
    return 0;
}

void server_stop(struct server *srv)
{
    srv->stop = true;
    lws_cancel_service(srv->ctx);
}

void server_free(struct server *srv)
{
    if (!srv) return;
    if (srv->ctx) lws_context_destroy(srv->ctx); /* CLOSED_HTTP runs for every open request */
    for (int v = 0; v < SERVER_VHOST_COUNT; v++) {
        for (size_t i = 0; i < srv->routes[v].n; i++) {
            free(srv->routes[v].v[i].method);
            free(srv->routes[v].v[i].pattern);
        }
        free(srv->routes[v].v);
    }
    free(srv);
}
