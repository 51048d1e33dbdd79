/* test_envd_fake.c - the fake E2B backend of test_envd_fake.h (child side: blocking I/O is
 * fine here). Streams are chunked application/connect+json cut into tiny chunks so frames
 * never align with reads; errors come the way envd/the proxy send them. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "boxtop/buf.h"
#include "boxtop/connect.h"
#include "fake_conn.h"
#include "fake_server.h"
#include "test_envd_fake.h"

/* BIG in decimal for JSON strings (3 MiB + 123). */
#define BIG_DEC 3145851
_Static_assert(BIG_DEC == BIG, "BIG_DEC");

#define SBX "sbx1"
#define BIG (3u * 1024u * 1024u + 123u)

uint64_t fnv(uint64_t h, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

unsigned char big_byte(size_t i)
{
    return (unsigned char)((i * 7u) % 251u);
}

/* ---- the fake envd (child side: blocking I/O and short sleeps are fine) ---- */

static void put(int fd, const void *p, size_t n)
{
    const char *s = p;
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w <= 0) _exit(1);
        s += w;
        n -= (size_t)w;
    }
}

static void putf(int fd, const char *fmt, ...)
{
    char out[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, sizeof out, fmt, ap);
    va_end(ap);
    put(fd, out, (size_t)n);
}

static void reply(int fd, int status, const char *ct, const char *body)
{
    putf(fd, "HTTP/1.1 %d X\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n%s", status, ct,
         strlen(body), body);
}

/* Chunked body sent in pieces of `piece` bytes. */
static void send_chunked(int fd, const char *ct, const char *data, size_t len, size_t piece)
{
    putf(fd, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nTransfer-Encoding: chunked\r\n\r\n", ct);
    for (size_t off = 0; off < len; off += piece) {
        size_t n = len - off < piece ? len - off : piece;
        putf(fd, "%zx\r\n", n);
        put(fd, data + off, n);
        put(fd, "\r\n", 2);
    }
    put(fd, "0\r\n\r\n", 5);
}

static void frames_add(struct buf *b, unsigned flags, const char *json)
{
    connect_envelope_append(b, flags, json, strlen(json));
}

/* Body of one request (Content-Length or chunked), hashed; small bodies kept in out. */
static int read_body(struct conn *c, const char *hdrs, struct buf *out, uint64_t *n_out,
                     uint64_t *hash)
{
    const char *cl = strcasestr(hdrs, "\r\ncontent-length:");
    bool chunked = strcasestr(hdrs, "\r\ntransfer-encoding: chunked") != NULL;
    uint64_t total = 0, h = FNV_INIT;
    if (cl && !chunked) {
        size_t need = strtoul(cl + 17, NULL, 10);
        while (need) {
            if (!c->len && conn_fill(c) < 0) return -1;
            size_t k = c->len < need ? c->len : need;
            h = fnv(h, (unsigned char *)c->buf, k);
            if (out->len < 65536) buf_append(out, c->buf, k);
            total += k;
            conn_drop(c, k);
            need -= k;
        }
    } else if (chunked) {
        for (;;) {
            char *e;
            while (!(e = memmem(c->buf, c->len, "\r\n", 2)))
                if (conn_fill(c) < 0) return -1;
            size_t sz = strtoul(c->buf, NULL, 16);
            conn_drop(c, (size_t)(e - c->buf) + 2);
            size_t need = sz + 2;
            while (need) {
                if (!c->len && conn_fill(c) < 0) return -1;
                size_t k = c->len < need ? c->len : need;
                size_t data = need > 2 ? (k < need - 2 ? k : need - 2) : 0;
                h = fnv(h, (unsigned char *)c->buf, data);
                if (out->len < 65536) buf_append(out, c->buf, data);
                total += data;
                conn_drop(c, k);
                need -= k;
            }
            if (sz == 0) break;
        }
    }
    *n_out = total;
    *hash = h;
    return 0;
}

static void record(struct shared *sh, const char *what, const char *arg, uint64_t bytes,
                   uint64_t hash)
{
    int i = __atomic_fetch_add(&sh->nrec, 1, __ATOMIC_SEQ_CST);
    if (i >= FAKE_MAX_RECORDS) return;
    struct buf b = BUF_INIT;
    buf_printf(&b, "%s %s", what, arg);
    size_t n = b.len < sizeof sh->rec[i].what - 1 ? b.len : sizeof sh->rec[i].what - 1;
    memcpy(sh->rec[i].what, buf_cstr(&b), n);
    sh->rec[i].what[n] = '\0';
    buf_free(&b);
    sh->rec[i].bytes = bytes;
    sh->rec[i].hash = hash;
}

#define FILE_ENTRY(name, path, size, mode)                                                         \
    "{\"name\":\"" name "\",\"type\":\"FILE_TYPE_FILE\",\"path\":\"" path "\",\"size\":\"" size    \
    "\",\"mode\":" mode "}"
#define DIR_ENTRY(name, path, mode)                                                                \
    "{\"name\":\"" name "\",\"type\":\"FILE_TYPE_DIRECTORY\",\"path\":\"" path "\",\"mode\":" mode \
    "}"
#define STR_(x) #x
#define STR(x)  STR_(x)

/* A JSON string value of body's "path" (tests use plain paths). */
static void json_path_of(const char *body, char *out, size_t n)
{
    const char *p = strstr(body, "\"path\":\"");
    out[0] = '\0';
    if (!p) return;
    p += 8;
    const char *e = strchr(p, '"');
    if (e) snprintf(out, n, "%.*s", (int)(e - p), p);
}

static void serve_conn(struct conn *c, int fd, struct shared *sh)
{
    for (;;) {
        char *e;
        while (!(e = memmem(c->buf, c->len, "\r\n\r\n", 4)))
            if (conn_fill(c) < 0) return;
        size_t hl = (size_t)(e - c->buf) + 4;
        char hdrs[8192];
        snprintf(hdrs, sizeof hdrs, "%.*s", (int)hl, c->buf);
        conn_drop(c, hl);
        char method[16], path[1024];
        if (sscanf(hdrs, "%15s %1023s", method, path) != 2) return;
        struct buf body = BUF_INIT;
        uint64_t n = 0, hash = 0;
        if (read_body(c, hdrs, &body, &n, &hash) < 0) return;
        char rpath[512];
        json_path_of(buf_cstr(&body), rpath, sizeof rpath);
        if (!strncmp(path, "/v2/sandboxes/", 14) || !strncmp(path, "/sandboxes/", 11)) {
            if (!strcasestr(hdrs, "\r\nx-api-key: " API_KEY "\r\n"))
                reply(fd, 401, "application/json",
                      "{\"code\":401,\"message\":\"Invalid API key\"}");
            else if (!strcmp(path, "/v2/sandboxes/" SBX "/connect"))
                reply(fd, 200, "application/json",
                      "{\"sandboxID\":\"" SBX "\",\"templateID\":\"base\",\"envdVersion\":"
                      "\"0.6.13\",\"envdAccessToken\":\"" TOKEN "\"}");
            else
                reply(fd, 404, "application/json",
                      "{\"code\":404,\"message\":\"sandbox not found\"}");
        } else if (!strcasestr(hdrs, "\r\nx-access-token: " TOKEN "\r\n")) {
            reply(fd, 401, "application/json",
                  "{\"code\":401,\"message\":\"unauthorized access, please provide a valid "
                  "access token or method signing if supported\"}");
        } else if (!strcmp(path, "/process.Process/Start") && body.len > 5 &&
                   strstr(body.data + 5, "\"cmd\":\"chmod\"")) {
            record(sh, "start", buf_cstr(&body) + 5, 0, 0);
            struct buf s = BUF_INIT;
            frames_add(&s, 0, "{\"event\":{\"start\":{\"pid\":78}}}");
            frames_add(&s, 0,
                       "{\"event\":{\"end\":{\"exited\":true,\"status\":\"exit status 0\"}}}");
            frames_add(&s, CONNECT_FLAG_END_STREAM, "{}");
            send_chunked(fd, "application/connect+json", s.data, s.len, 7);
            buf_free(&s);
        } else if (!strcmp(path, "/process.Process/Start")) {
            record(sh, "start", buf_cstr(&body) + 5, 0, 0);
            struct buf s = BUF_INIT;
            frames_add(&s, 0, "{\"event\":{\"start\":{\"pid\":77}}}");
            frames_add(&s, 0, "{\"event\":{\"data\":{\"stdout\":\"aGVsbG8K\"}}}");
            frames_add(&s, 0, "{\"event\":{\"keepalive\":{}}}");
            frames_add(&s, 0, "{\"event\":{\"data\":{\"stderr\":\"b29wcw==\"}}}");
            frames_add(&s, 0,
                       "{\"event\":{\"end\":{\"exitCode\":3,\"status\":\"exit status 3\"}}}");
            frames_add(&s, CONNECT_FLAG_END_STREAM, "{}");
            send_chunked(fd, "application/connect+json", s.data, s.len, 3);
            buf_free(&s);
        } else if (!strcmp(path, "/process.Process/Connect") && body.len > 5 &&
                   strstr(body.data + 5, "\"pid\":5}")) {
            /* A start event, then silence: the client's watchdog must give up. */
            struct buf s = BUF_INIT;
            frames_add(&s, 0, "{\"event\":{\"start\":{\"pid\":5}}}");
            putf(fd,
                 "HTTP/1.1 200 OK\r\nContent-Type: application/connect+json\r\n"
                 "Transfer-Encoding: chunked\r\n\r\n%zx\r\n",
                 s.len);
            put(fd, s.data, s.len);
            put(fd, "\r\n", 2);
            buf_free(&s);
            sleep(20);
            return;
        } else if (!strcmp(path, "/process.Process/Connect") && body.len > 5 &&
                   strstr(body.data + 5, "\"pid\":6}")) {
            /* output before the start event (issue 25): the client must refuse it */
            struct buf s = BUF_INIT;
            frames_add(&s, 0, "{\"event\":{\"data\":{\"pty\":\"RUFSTFk=\"}}}");
            frames_add(&s, 0, "{\"event\":{\"start\":{\"pid\":6}}}");
            frames_add(&s, CONNECT_FLAG_END_STREAM, "{}");
            send_chunked(fd, "application/connect+json", s.data, s.len, 7);
            buf_free(&s);
        } else if (!strcmp(path, "/process.Process/Connect")) {
            struct buf s = BUF_INIT;
            frames_add(&s, CONNECT_FLAG_END_STREAM,
                       "{\"error\":{\"code\":\"not_found\",\"message\":\"process with pid 9 not "
                       "found\"}}");
            send_chunked(fd, "application/connect+json", s.data, s.len, 2);
            buf_free(&s);
        } else if (!strcmp(path, "/filesystem.Filesystem/WatchDir")) {
            /* Stream cut off without an end-stream frame. */
            struct buf s = BUF_INIT;
            frames_add(&s, 0, "{\"start\":{}}");
            frames_add(&s, 0, "{\"filesystem\":{\"name\":\"a\",\"type\":\"EVENT_TYPE_CREATE\"}}");
            send_chunked(fd, "application/connect+json", s.data, s.len, 5);
            buf_free(&s);
        } else if (!strcmp(path, "/process.Process/List")) {
            reply(
                fd, 502, "application/json",
                "{\"sandboxId\":\"sbx1\",\"message\":\"The sandbox was not found\",\"code\":502}");
        } else if (!strcmp(path, "/process.Process/SendInput")) {
            snprintf(sh->last_input, sizeof sh->last_input, "%s", buf_cstr(&body));
            reply(fd, 200, "application/json", "{}");
        } else if (!strcmp(path, "/filesystem.Filesystem/Stat") && !strcmp(rpath, "/big")) {
            reply(fd, 200, "application/json",
                  "{\"entry\":" FILE_ENTRY("big", "/big", STR(BIG_DEC), "416") "}");
        } else if (!strcmp(path, "/filesystem.Filesystem/Stat") && !strcmp(rpath, "/dir")) {
            reply(fd, 200, "application/json", "{\"entry\":" DIR_ENTRY("dir", "/dir", "488") "}");
        } else if (!strcmp(path, "/filesystem.Filesystem/Stat") && !strcmp(rpath, "/trick")) {
            /* a hostile Stat answer: the "real path" of /trick is its parent's parent */
            reply(fd, 200, "application/json",
                  "{\"entry\":" DIR_ENTRY("..", "/trick/..", "493") "}");
        } else if (!strcmp(path, "/filesystem.Filesystem/ListDir") && !strcmp(rpath, "/trick/..")) {
            reply(fd, 200, "application/json",
                  "{\"entries\":[" FILE_ENTRY("planted", "/trick/../planted", "2", "420") "]}");
        } else if (!strcmp(method, "GET") && !strcmp(path, "/files?path=%2Ftrick%2F..%2Fplanted")) {
            reply(fd, 200, "application/octet-stream", "P\n");
        } else if (!strcmp(path, "/filesystem.Filesystem/Stat") && !strcmp(rpath, "/home")) {
            reply(fd, 200, "application/json", "{\"entry\":" DIR_ENTRY("home", "/home", "493") "}");
        } else if (!strcmp(path, "/filesystem.Filesystem/Stat")) {
            reply(fd, 404, "application/json",
                  "{\"code\":\"not_found\",\"message\":\"file not found: /nope\"}");
        } else if (!strcmp(path, "/filesystem.Filesystem/ListDir") && !strcmp(rpath, "/dir")) {
            reply(
                fd, 200, "application/json",
                "{\"entries\":[" FILE_ENTRY("a", "/dir/a", "10", "493") "," DIR_ENTRY(
                    "sub", "/dir/sub",
                    "493") "," FILE_ENTRY("b", "/dir/sub/b", "2",
                                          "420") "," FILE_ENTRY("escape", "/dir/../escape", "2",
                                                                "420") "," FILE_ENTRY("odd",
                                                                                      "/dirx/odd",
                                                                                      "2",
                                                                                      "420") "]}");
        } else if (!strcmp(path, "/filesystem.Filesystem/Move") ||
                   !strcmp(path, "/filesystem.Filesystem/Remove")) {
            /* "move {json}": the transfer engine uploads to a temporary name, then renames */
            record(sh, path[23] == 'M' ? "move" : "remove", buf_cstr(&body), 0, 0);
            reply(fd, 200, "application/json",
                  path[23] == 'M' ? "{\"entry\":" FILE_ENTRY("x", "/x", "1", "420") "}" : "{}");
        } else if (!strcmp(path, "/filesystem.Filesystem/MakeDir")) {
            record(sh, "mkdir", rpath, 0, 0);
            reply(fd, 200, "application/json", "{\"entry\":" DIR_ENTRY("x", "/x", "493") "}");
        } else if (!strcmp(method, "GET") && !strcmp(path, "/files?path=%2Fdir%2Fa")) {
            reply(fd, 200, "application/octet-stream", "A-content\n");
        } else if (!strcmp(method, "GET") && (!strcmp(path, "/files?path=%2Fdir%2Fsub%2Fb") ||
                                              !strcmp(path, "/files?path=%2Fdir%2F..%2Fescape"))) {
            reply(fd, 200, "application/octet-stream", "B\n");
        } else if (!strcmp(method, "GET") && !strcmp(path, "/files?path=%2Fbig")) {
            char *data = malloc(BIG);
            for (size_t i = 0; i < BIG; i++)
                data[i] = (char)big_byte(i);
            send_chunked(fd, "application/octet-stream", data, BIG, 65536 + 17);
            free(data);
        } else if (!strcmp(method, "GET")) {
            reply(fd, 404, "application/json; charset=utf-8",
                  "{\"code\":404,\"message\":\"path '/missing' does not exist\"}");
        } else if (!strcmp(method, "POST") && !strcmp(path, "/files?path=%2Fup") &&
                   strcasestr(hdrs, "\r\ncontent-type: application/octet-stream\r\n")) {
            sh->up_bytes = n;
            sh->up_hash = hash;
            reply(fd, 200, "application/json",
                  "[{\"path\":\"/up\",\"name\":\"up\",\"type\":\"file\"}]");
        } else if (!strcmp(method, "POST") && !strncmp(path, "/files?path=", 12) &&
                   strcasestr(hdrs, "\r\ncontent-type: application/octet-stream\r\n")) {
            record(sh, "upload", path + 12, n, hash);
            reply(fd, 200, "application/json", "[]");
        } else if (!strcmp(method, "POST") && !strncmp(path, "/files?path=", 12) &&
                   strcasestr(hdrs, "\r\ncontent-type: multipart/form-data; boundary=")) {
            /* Check the framing and record the file part's bytes. */
            const char *bp = strcasestr(hdrs, "boundary=") + 9;
            char boundary[128], open_line[160], close_line[170];
            snprintf(boundary, sizeof boundary, "%.*s", (int)strcspn(bp, "\r\n"), bp);
            snprintf(open_line, sizeof open_line, "--%s\r\n", boundary);
            snprintf(close_line, sizeof close_line, "\r\n--%s--\r\n", boundary);
            const char *hdr_end = memmem(body.data, body.len, "\r\n\r\n", 4);
            size_t cl = strlen(close_line);
            if (body.len >= 65536 || !hdr_end || strncmp(body.data, open_line, strlen(open_line)) ||
                !memmem(body.data, (size_t)(hdr_end - body.data), "name=\"file\"; filename=\"",
                        23) ||
                body.len < cl || memcmp(body.data + body.len - cl, close_line, cl)) {
                reply(fd, 400, "application/json", "{\"code\":400,\"message\":\"bad multipart\"}");
            } else {
                const char *data = hdr_end + 4;
                size_t dn = (size_t)(body.data + body.len - cl - data);
                record(sh, "multipart", path + 12, dn,
                       fnv(FNV_INIT, (const unsigned char *)data, dn));
                reply(fd, 200, "application/json", "[]");
            }
        } else if (!strcmp(path, "/process.Process/CloseStdin") ||
                   !strcmp(path, "/process.Process/SendSignal")) {
            record(sh, path + 17, buf_cstr(&body), 0, 0);
            reply(fd, 200, "application/json", "{}");
        } else {
            reply(fd, 404, "text/plain", "404 page not found");
        }
        buf_free(&body);
    }
}

static void serve(int fd, struct shared *sh)
{
    struct conn *c = calloc(1, sizeof *c);
    if (!c) return;
    c->fd = fd;
    serve_conn(c, fd, sh);
    free(c);
}

static void serve_one(int fd, int no, void *shared)
{
    (void)no;
    serve(fd, shared);
}

int server_start(void **state)
{
    static struct server srv;
    if (fake_server_start(&srv.fs, sizeof *srv.sh, serve_one) < 0) return -1;
    srv.sh = srv.fs.shared;
    srv.port = srv.fs.port;
    *state = &srv;
    return 0;
}

int server_stop(void **state)
{
    struct server *srv = *state;
    fake_server_stop(&srv->fs);
    return 0;
}
