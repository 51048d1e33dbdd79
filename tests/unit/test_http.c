/* test_http.c - the curl-multi HTTP client against a small loopback HTTP/1.1 server.
 *
 * The server is forked once per run (its own process group, killed in teardown) and forks
 * again per connection, so slow handlers never block other tests. It decodes chunked request
 * bodies itself and reports what it saw (bytes, hash, headers) back as JSON. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake_conn.h"
#include "fake_server.h"

#include "boxtop/http.h"
#include "boxtop/loop.h"

#define SECRET_KEY "e2b_0123456789abcdef0123456789abcdef01234567"

struct shared {
    int conns;
    int retry_hits;
    int hits503;
    int hits_far;
};

struct server {
    struct fake_server fs;
    int port;
    struct shared *sh;
};

/* ---- the server (child side; blocking I/O and sleeps are fine here) ---------------------- */

static uint64_t fnv(uint64_t h, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* Read exactly n body bytes into the hash. */
static int body_read(struct conn *c, size_t n, uint64_t *h, size_t *total)
{
    while (n > 0) {
        if (c->len == 0 && conn_fill(c) < 0) return -1;
        size_t k = c->len < n ? c->len : n;
        *h = fnv(*h, (unsigned char *)c->buf, k);
        *total += k;
        conn_drop(c, k);
        n -= k;
    }
    return 0;
}

static int line_read(struct conn *c, char *out, size_t n)
{
    char *e;
    while (!(e = memmem(c->buf, c->len, "\r\n", 2)))
        if (conn_fill(c) < 0) return -1;
    size_t l = (size_t)(e - c->buf);
    snprintf(out, n, "%.*s", (int)l, c->buf);
    conn_drop(c, l + 2);
    return 0;
}

static void say(int fd, const char *fmt, ...)
{
    char out[8192];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, sizeof out, fmt, ap);
    va_end(ap);
    if (write(fd, out, (size_t)n) < 0) _exit(1);
}

static void serve_conn(int fd, int id, struct shared *sh)
{
    struct conn c = {.fd = fd};
    for (;;) {
        char line[4096], method[16] = "", path[1024] = "", target[4096] = "";
        if (line_read(&c, line, sizeof line) < 0) return;
        sscanf(line, "%15s %1023s", method, path);
        sscanf(line, "%*15s %4095s", target); /* the request target as sent, whole */
        path[strcspn(path, "?")] = '\0';
        long clen = -1;
        bool chunked = false, expect = false;
        for (;;) {
            if (line_read(&c, line, sizeof line) < 0) return;
            if (!line[0]) break;
            if (!strncasecmp(line, "content-length:", 15)) clen = atol(line + 15);
            if (!strncasecmp(line, "transfer-encoding:", 18) && strstr(line, "chunked"))
                chunked = true;
            if (!strncasecmp(line, "expect:", 7)) expect = true;
        }
        uint64_t h = 1469598103934665603ULL;
        size_t total = 0;
        char echo[4096] = "";
        if (chunked) {
            for (;;) {
                if (line_read(&c, line, sizeof line) < 0) return;
                size_t n = strtoul(line, NULL, 16);
                if (n == 0) {
                    while (line_read(&c, line, sizeof line) == 0 && line[0])
                        ;
                    break;
                }
                if (body_read(&c, n, &h, &total) < 0 || line_read(&c, line, sizeof line) < 0)
                    return;
            }
        } else if (clen > 0) {
            if (clen < (long)sizeof echo) {
                while (c.len < (size_t)clen)
                    if (conn_fill(&c) < 0) return;
                memcpy(echo, c.buf, (size_t)clen);
                echo[clen] = '\0';
            }
            if (body_read(&c, (size_t)clen, &h, &total) < 0) return;
        }
        char out[4200];
        if (strstr(target, "/target?")) { /* origin-form, or absolute-form through a proxy */
            fake_reply(fd, 200, "", target);
        } else if (!strcmp(path, "/hello")) {
            snprintf(out, sizeof out, "hello conn=%d", id);
            fake_reply(fd, 200, "", out);
        } else if (!strcmp(path, "/stream")) {
            say(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 1; i <= 3; i++) {
                say(fd, "6\r\npart%d\n\r\n", i);
                usleep(300 * 1000);
            }
            say(fd, "0\r\n\r\n");
        } else if (!strcmp(path, "/retry")) {
            int n = __atomic_add_fetch(&sh->retry_hits, 1, __ATOMIC_SEQ_CST);
            if (n == 1) {
                fake_reply(fd, 429, "Retry-After: 1\r\n",
                           "{\"code\":429,\"message\":\"slow down\"}");
            } else {
                snprintf(out, sizeof out, "attempts=%d", n);
                fake_reply(fd, 200, "", out);
            }
        } else if (!strcmp(path, "/retry503")) {
            __atomic_add_fetch(&sh->hits503, 1, __ATOMIC_SEQ_CST);
            fake_reply(fd, 503, "", "{\"code\":503,\"message\":\"overloaded\"}");
        } else if (!strcmp(path, "/missing")) {
            fake_reply(fd, 404, "", "{\"code\":404,\"message\":\"sandbox abc not found\"}");
        } else if (!strcmp(path, "/leak")) {
            fake_reply(fd, 401, "",
                       "{\"code\":401,\"message\":\"Invalid API key " SECRET_KEY "\"}");
        } else if (!strcmp(path, "/leak500")) { /* no "message": the body is the detail */
            fake_reply(fd, 500, "",
                       "{\"code\":500,\"trace\":\"db down\",\"key\":\"" SECRET_KEY "\"}");
        } else if (!strcmp(path, "/upload")) {
            snprintf(out, sizeof out,
                     "{\"bytes\":%zu,\"hash\":\"%016llx\",\"chunked\":%s,\"expect\":%s}", total,
                     (unsigned long long)h, chunked ? "true" : "false", expect ? "true" : "false");
            fake_reply(fd, 200, "", out);
        } else if (!strcmp(path, "/echo")) {
            snprintf(out, sizeof out, "%s %s", method, echo);
            fake_reply(fd, 200, "", out);
        } else if (!strcmp(path, "/slow")) {
            sleep(2);
            fake_reply(fd, 200, "", "late");
        } else if (!strcmp(path, "/redirect")) {
            fake_reply(fd, 307, "Location: http://127.0.0.1:1/elsewhere\r\n", "[]");
        } else if (!strcmp(path, "/retry-far")) {
            __atomic_add_fetch(&sh->hits_far, 1, __ATOMIC_SEQ_CST);
            fake_reply(fd, 429, "Retry-After: 99999999\r\n",
                       "{\"code\":429,\"message\":\"later\"}");
        } else if (!strcmp(path, "/stall")) { /* 10 of 100 bytes, then silence */
            say(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
            sleep(3);
            return;
        } else if (!strcmp(path, "/page")) {
            fake_reply(fd, 200, "X-Next-Token: tok_2\r\n", "[]");
        } else {
            fake_reply(fd, 500, "", "<html>oops</html>");
        }
    }
}

static void serve_one(int fd, int id, void *shared)
{
    struct shared *sh = shared;
    __atomic_add_fetch(&sh->conns, 1, __ATOMIC_SEQ_CST);
    serve_conn(fd, id, sh);
}

static int server_start(void **state)
{
    static struct server srv; /* handed to the tests through cmocka's state */
    if (fake_server_start(&srv.fs, sizeof *srv.sh, serve_one) < 0) return -1;
    srv.sh = srv.fs.shared;
    srv.port = srv.fs.port;
    *state = &srv;
    return 0;
}

static int server_stop(void **state)
{
    struct server *srv = *state;
    fake_server_stop(&srv->fs);
    return 0;
}

/* ---- client helpers ---------------------------------------------------------------------- */

struct result {
    bool done;
    long status;
    struct error err;
    char body[8192];
    char next_token[64];
    int64_t done_ms;
    int64_t first_data_ms;
    int n_data;
    int cancel_after;
    struct http_request *self;
};

static void on_done(struct http_request *req, struct http_result *res, void *ud)
{
    struct result *r = ud;
    r->done = true;
    r->status = res->status;
    r->err = res->err;
    if (res->body.len) /* streamed bodies were collected by on_data */
        snprintf(r->body, sizeof r->body, "%s", buf_cstr(&res->body));
    http_response_header(req, "x-next-token", r->next_token, sizeof r->next_token);
    r->done_ms = loop_now_ms();
}

static int on_data(struct http_request *req, const char *data, size_t len, void *ud)
{
    struct result *r = ud;
    if (r->n_data++ == 0) r->first_data_ms = loop_now_ms();
    strncat(r->body, data, len < sizeof r->body - strlen(r->body) - 1 ? len : 0);
    if (r->cancel_after && r->n_data >= r->cancel_after) http_cancel(req);
    return 0;
}

static char *url(const struct server *srv, const char *path)
{
    static char u[256]; /* test helper: used before the next call only */
    snprintf(u, sizeof u, "http://127.0.0.1:%d%s", srv->port, path);
    return u;
}

static void run(struct http *h, const struct http_opts *o, struct result *r)
{
    struct http_opts oo = *o;
    oo.on_done = on_done;
    oo.ud = r;
    struct error err = {0};
    struct http_request *req = http_start(h, &oo, &err);
    assert_non_null(req);
    http_run_until_done(h, req);
    assert_true(r->done);
}

/* ---- tests ------------------------------------------------------------------------------- */

static void test_get_reuses_connection(void **state)
{
    struct server *srv = *state;
    struct loop *l = loop_new();
    struct http *h = http_new(l, NULL);
    struct result a = {0}, b = {0};
    run(h, &(struct http_opts){.url = url(srv, "/hello"), .timeout_ms = 5000}, &a);
    run(h, &(struct http_opts){.url = url(srv, "/hello"), .timeout_ms = 5000}, &b);
    assert_int_equal(a.status, 200);
    assert_int_equal(a.err.kind, ERROR_NONE);
    assert_true(!strncmp(a.body, "hello conn=", 11));
    assert_string_equal(a.body, b.body); /* same connection id: keep-alive worked */
    assert_int_equal(http_active(h), 0);
    http_free(h);
    loop_free(l);
}

static void test_stream_arrives_before_end(void **state)
{
    struct server *srv = *state;
    struct loop *l = loop_new();
    struct http *h = http_new(l, NULL);
    struct result r = {0};
    run(h, &(struct http_opts){.url = url(srv, "/stream"), .on_data = on_data}, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "part1\npart2\npart3\n");
    assert_true(r.n_data >= 3);
    assert_true(r.done_ms - r.first_data_ms >= 600); /* the first chunk came ~900 ms early */
    http_free(h);
    loop_free(l);
}

static void test_retry_after_429(void **state)
{
    struct server *srv = *state;
    struct loop *l = loop_new();
    struct http *h = http_new(l, NULL);
    struct result r = {0};
    int64_t t0 = loop_now_ms();
    run(h, &(struct http_opts){.url = url(srv, "/retry"), .max_retries = 3, .timeout_ms = 5000},
        &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.err.kind, ERROR_NONE);
    assert_string_equal(r.body, "attempts=2");
    assert_true(loop_now_ms() - t0 >= 950); /* Retry-After: 1 honoured */
    http_free(h);
    loop_free(l);
}

static void test_503_retries_exhausted(void **state)
{
    struct server *srv = *state;
    struct loop *l = loop_new();
    struct http *h = http_new(l, NULL);
    struct result r = {0};
    int64_t t0 = loop_now_ms();
    run(h, &(struct http_opts){.url = url(srv, "/retry503"), .max_retries = 2}, &r);
    assert_int_equal(r.status, 503);
    assert_int_equal(r.err.kind, ERROR_GENERIC);
    assert_int_equal(r.err.code, 503);
    assert_non_null(strstr(r.err.msg, "overloaded"));
    assert_int_equal(srv->sh->hits503, 3);  /* first try + 2 retries */
    assert_true(loop_now_ms() - t0 >= 700); /* 250 ms then 500 ms backoff */
    http_free(h);
    loop_free(l);
}

static void test_404_mapped(void **state)
{
    struct server *srv = *state;
    struct loop *l = loop_new();
    struct http *h = http_new(l, NULL);
    struct result r = {0};
    run(h, &(struct http_opts){.url = url(srv, "/missing?signature=s3cr3t")}, &r);
    assert_int_equal(r.status, 404);
    assert_int_equal(r.err.kind, ERROR_NOT_FOUND);
    assert_int_equal(r.err.code, 404);
    assert_non_null(strstr(r.err.msg, "sandbox abc not found"));
    http_free(h);
    loop_free(l);
}

static void test_secret_never_in_message(void **state)
{
    struct server *srv = *state;
    struct loop *l = loop_new();
    struct http *h = http_new(l, NULL);
    assert_int_equal(http_add_secret(h, SECRET_KEY), 0);
    struct result r = {0};
    run(h, &(struct http_opts){.url = url(srv, "/leak")}, &r);
    assert_int_equal(r.err.kind, ERROR_AUTH);
    assert_null(strstr(r.err.msg, SECRET_KEY));
    assert_null(strstr(r.err.msg, "0123456789abcdef"));
    assert_non_null(strstr(r.err.msg, "e2b_\xe2\x80\xa6"
                                      "4567"));
    assert_null(strstr(r.err.detail, SECRET_KEY)); /* the raw body: redacted as well */
    assert_non_null(strstr(r.err.detail, "HTTP 401: "));
    http_free(h);
    loop_free(l);
}

/* A 500 whose JSON has no "message": a short human text, the body as it came in the detail
 * (`:messages`), with the key that the body echoed redacted. */
static void test_error_body_is_detail(void **state)
{
    struct server *srv = *state;
    struct loop *l = loop_new();
    struct http *h = http_new(l, NULL);
    assert_int_equal(http_add_secret(h, SECRET_KEY), 0);
    struct result r = {0};
    run(h, &(struct http_opts){.url = url(srv, "/leak500")}, &r);
    assert_int_equal(r.status, 500);
    assert_string_equal(r.err.msg, "server error (HTTP 500)");
    assert_non_null(strstr(r.err.detail, "HTTP 500: {\"code\":500,\"trace\":\"db down\""));
    assert_null(strstr(r.err.detail, SECRET_KEY));
    assert_null(strstr(r.err.detail, "0123456789abcdef"));
    http_free(h);
    loop_free(l);
}

struct upload {
    struct loop *l;
    struct http_request *req;
    size_t sent, size;
    uint64_t hash;
    size_t next_pause;
    int pauses;
};

static void resume_upload(struct loop *l, void *ud)
{
    (void)l;
    struct upload *u = ud;
    http_resume(u->req);
}

static ssize_t upload_read(char *buf, size_t n, void *ud)
{
    struct upload *u = ud;
    if (u->sent >= u->next_pause) {
        /* Nothing "available" for 20 ms: exercises pause/resume from the loop. */
        u->next_pause += 1024 * 1024;
        u->pauses++;
        loop_timer_add(u->l, 20, resume_upload, u);
        return HTTP_READ_PAUSE;
    }
    size_t k = u->size - u->sent;
    if (k > n) k = n;
    if (k > u->next_pause - u->sent) k = u->next_pause - u->sent;
    for (size_t i = 0; i < k; i++)
        buf[i] = (char)((u->sent + i) * 7 % 251);
    u->hash = fnv(u->hash, (unsigned char *)buf, k);
    u->sent += k;
    return (ssize_t)k;
}

static void upload_case(struct server *srv, int64_t declared)
{
    struct loop *l = loop_new();
    struct http *h = http_new(l, NULL);
    struct result r = {0};
    struct upload u = {
        .l = l, .size = 5 * 1024 * 1024, .hash = 1469598103934665603ULL, .next_pause = 512 * 1024};
    struct http_opts o = {.method = "POST",
                          .url = url(srv, "/upload"),
                          .read_cb = upload_read,
                          .read_ud = &u,
                          .body_size = declared,
                          .on_done = on_done,
                          .ud = &r,
                          .timeout_ms = 20000};
    struct error err = {0};
    u.req = http_start(h, &o, &err);
    assert_non_null(u.req);
    http_run_until_done(h, u.req);
    assert_true(r.done);
    assert_int_equal(r.status, 200);
    char want[256];
    snprintf(want, sizeof want,
             "{\"bytes\":%zu,\"hash\":\"%016llx\",\"chunked\":%s,\"expect\":false}", u.size,
             (unsigned long long)u.hash, declared < 0 ? "true" : "false");
    assert_string_equal(r.body, want);
    assert_true(u.pauses >= 5);
    http_free(h);
    loop_free(l);
}

static void test_upload_5mb_chunked(void **state)
{
    upload_case(*state, -1);
}

static void test_upload_5mb_sized(void **state)
{
    upload_case(*state, 5 * 1024 * 1024);
}

static void test_post_memory_body(void **state)
{
    struct server *srv = *state;
    struct loop *l = loop_new();
    struct http *h = http_new(l, NULL);
    struct result r = {0}, d = {0};
    const char *json = "{\"templateID\":\"base\"}";
    run(h,
        &(struct http_opts){.method = "POST",
                            .url = url(srv, "/echo"),
                            .body = json,
                            .body_len = strlen(json),
                            .headers =
                                (const char *const[]){"Content-Type: application/json", NULL}},
        &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "POST {\"templateID\":\"base\"}");
    run(h, &(struct http_opts){.method = "DELETE", .url = url(srv, "/echo")}, &d);
    assert_string_equal(d.body, "DELETE ");
    http_free(h);
    loop_free(l);
}

static void test_header_injection_refused(void **state)
{
    struct server *srv = *state;
    struct loop *l = loop_new();
    struct http *h = http_new(l, NULL);
    struct error err = {0};
    struct http_opts o = {.url = url(srv, "/hello"),
                          .headers = (const char *const[]){"X-A: b\r\nX-Evil: 1", NULL}};
    assert_null(http_start(h, &o, &err));
    assert_int_equal(err.kind, ERROR_USAGE);
    http_free(h);
    loop_free(l);
}

/* A redirect is not followed and not taken for a success (a 307 was parsed as the answer). */
static void test_redirect_is_an_error(void **state)
{
    struct server *srv = *state;
    struct loop *l = loop_new();
    struct http *h = http_new(l, NULL);
    struct result r = {0};
    run(h, &(struct http_opts){.url = url(srv, "/redirect"), .timeout_ms = 5000}, &r);
    assert_int_equal(r.status, 307);
    assert_int_equal(r.err.kind, ERROR_PROTOCOL);
    assert_non_null(strstr(r.err.msg, "redirect not followed (HTTP 307)"));
    struct result s = {0}; /* streamed: the redirect's body never reaches on_data */
    run(h,
        &(struct http_opts){.url = url(srv, "/redirect"), .on_data = on_data, .timeout_ms = 5000},
        &s);
    assert_int_equal(s.n_data, 0);
    assert_int_equal(s.err.kind, ERROR_PROTOCOL);
    http_free(h);
    loop_free(l);
}

/* Retry-After: 99999999 is not waited for (the CLI was silent for 90 s): at once, said. */
static void test_retry_after_too_far(void **state)
{
    struct server *srv = *state;
    struct loop *l = loop_new();
    struct http *h = http_new(l, NULL);
    struct result r = {0};
    int64_t t0 = loop_now_ms();
    run(h, &(struct http_opts){.url = url(srv, "/retry-far"), .max_retries = 3, .timeout_ms = 5000},
        &r);
    assert_int_equal(r.status, 429);
    assert_int_equal(r.err.kind, ERROR_RATE_LIMIT);
    assert_non_null(strstr(r.err.msg, "99999999"));
    assert_non_null(strstr(r.err.msg, "not retried"));
    assert_int_equal(__atomic_load_n(&srv->sh->hits_far, __ATOMIC_SEQ_CST), 1);
    assert_true(loop_now_ms() - t0 < 1000);
    http_free(h);
    loop_free(l);
}

/* A transfer without a whole-transfer timeout still fails when no byte comes for stall_ms. */
static void test_stall(void **state)
{
    struct server *srv = *state;
    struct loop *l = loop_new();
    struct http *h = http_new(l, NULL);
    struct result r = {0};
    int64_t t0 = loop_now_ms();
    run(h, &(struct http_opts){.url = url(srv, "/stall"), .on_data = on_data, .stall_ms = 1000},
        &r);
    assert_int_equal(r.status, 0);
    assert_int_equal(r.err.kind, ERROR_NETWORK);
    if (!strstr(r.err.msg, "nothing moved for 1 s")) fprintf(stderr, "# msg: %s\n", r.err.msg);
    assert_non_null(strstr(r.err.msg, "nothing moved for 1 s"));
    assert_string_equal(r.body, "0123456789");
    assert_true(loop_now_ms() - t0 < 2900); /* before the server's 3 s silence ends */
    http_free(h);
    loop_free(l);
}

static void test_timeout(void **state)
{
    struct server *srv = *state;
    struct loop *l = loop_new();
    struct http *h = http_new(l, NULL);
    struct result r = {0};
    int64_t t0 = loop_now_ms();
    run(h, &(struct http_opts){.url = url(srv, "/slow"), .timeout_ms = 300}, &r);
    assert_int_equal(r.status, 0);
    assert_int_equal(r.err.kind, ERROR_NETWORK);
    /* in words for a person; curl's own text is the detail */
    assert_non_null(strstr(r.err.msg, "did not answer in time"));
    assert_null(strstr(r.err.msg, "Operation"));
    assert_non_null(strstr(r.err.detail, "curl 28: "));
    assert_non_null(strstr(r.err.detail, "timed out"));
    assert_true(loop_now_ms() - t0 < 1500);
    http_free(h);
    loop_free(l);
}

/* A loopback port that was free a moment ago (bound, read, closed): nothing listens there. */
static int closed_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    getsockname(s, (struct sockaddr *)&a, &al);
    close(s);
    return ntohs(a.sin_port);
}

static void test_connect_refused_retried(void **state)
{
    (void)state;
    int port = closed_port();
    char u[128];
    snprintf(u, sizeof u, "http://127.0.0.1:%d/x?sig=abc", port);
    struct loop *l = loop_new();
    struct http *h = http_new(l, NULL);
    struct result r = {0};
    int64_t t0 = loop_now_ms();
    run(h, &(struct http_opts){.url = u, .max_retries = 2}, &r);
    assert_int_equal(r.status, 0);
    assert_int_equal(r.err.kind, ERROR_NETWORK);
    assert_null(strstr(r.err.msg, "sig=abc")); /* query strings may hold signatures */
    assert_null(strstr(r.err.detail, "sig=abc"));
    /* what failed, why and what to do; curl's "Couldn't connect to server" only in the detail */
    assert_non_null(strstr(r.err.msg, "nothing answers at http://127.0.0.1:"));
    assert_non_null(strstr(r.err.msg, "connection refused"));
    assert_non_null(strstr(r.err.msg, "is the server running"));
    assert_null(strstr(r.err.msg, "Couldn't"));
    assert_non_null(strstr(r.err.detail, "curl 7: "));
    assert_non_null(strstr(r.err.detail, "Connection refused"));
    assert_true(loop_now_ms() - t0 >= 700);
    http_free(h);
    loop_free(l);
}

/* user:password in the URL (a proxy URL in E2B_API_URL) never reaches an error message. */
static void test_userinfo_never_in_message(void **state)
{
    (void)state;
    int port = closed_port();
    char u[128];
    snprintf(u, sizeof u, "http://alice:pw-s3cret@127.0.0.1:%d/x?sig=abc#frag", port);
    struct loop *l = loop_new();
    struct http *h = http_new(l, NULL);
    struct result r = {0};
    run(h, &(struct http_opts){.url = u}, &r);
    assert_int_equal(r.err.kind, ERROR_NETWORK);
    assert_null(strstr(r.err.msg, "pw-s3cret"));
    assert_null(strstr(r.err.msg, "alice"));
    assert_null(strstr(r.err.detail, "pw-s3cret"));
    assert_null(strstr(r.err.detail, "sig=abc"));
    assert_null(strstr(r.err.msg, "sig=abc"));
    assert_non_null(strstr(r.err.msg, "http://127.0.0.1:"));
    assert_non_null(strstr(r.err.msg, "/x"));
    http_free(h);
    loop_free(l);
}

/* max_body bounds a collected body: past it the request fails with a clear message. */
static void test_max_body(void **state)
{
    struct server *srv = *state;
    struct loop *l = loop_new();
    struct http *h = http_new(l, NULL);
    struct result r = {0};
    run(h, &(struct http_opts){.url = url(srv, "/stream"), .max_body = 10}, &r);
    assert_int_equal(r.err.kind, ERROR_PROTOCOL);
    assert_non_null(strstr(r.err.msg, "too large"));
    struct result ok = {0};
    run(h, &(struct http_opts){.url = url(srv, "/stream"), .max_body = 18}, &ok);
    assert_int_equal(ok.status, 200);
    assert_string_equal(ok.body, "part1\npart2\npart3\n");
    http_free(h);
    loop_free(l);
}

/* A lent receive buffer: the body is collected in its memory, handed back emptied with that
 * memory when the request ends (the same block the next time), and when it is cancelled. */
static void test_recv_into(void **state)
{
    struct server *srv = *state;
    struct loop *l = loop_new();
    struct http *h = http_new(l, NULL);
    struct buf lent = BUF_INIT;
    assert_int_equal(buf_reserve(&lent, 4096), 0);
    char *mem = lent.data;
    struct result a = {0};
    run(h, &(struct http_opts){.url = url(srv, "/stream"), .recv_into = &lent}, &a);
    assert_int_equal(a.status, 200);
    assert_string_equal(a.body, "part1\npart2\npart3\n");
    assert_ptr_equal(lent.data, mem); /* back, with its memory */
    assert_int_equal(lent.len, 0);
    assert_true(lent.cap >= 4096);
    struct result b = {0};
    run(h, &(struct http_opts){.url = url(srv, "/stream"), .recv_into = &lent}, &b);
    assert_string_equal(b.body, "part1\npart2\npart3\n");
    assert_ptr_equal(lent.data, mem);
    /* taken while the request runs, back when it is cancelled */
    struct error err = {0};
    struct http_request *req =
        http_start(h, &(struct http_opts){.url = url(srv, "/stream"), .recv_into = &lent}, &err);
    assert_non_null(req);
    assert_null(lent.data);
    http_cancel(req);
    assert_ptr_equal(lent.data, mem);
    http_free(h);
    loop_free(l);
    buf_free(&lent);
}

static void test_cancel_in_on_data(void **state)
{
    struct server *srv = *state;
    struct loop *l = loop_new();
    struct http *h = http_new(l, NULL);
    struct result r = {.cancel_after = 1};
    struct error err = {0};
    struct http_opts o = {
        .url = url(srv, "/stream"), .on_data = on_data, .on_done = on_done, .ud = &r};
    struct http_request *req = http_start(h, &o, &err);
    assert_non_null(req);
    assert_int_equal(http_run_until_done(h, req), -1);
    assert_false(r.done); /* cancel is silent */
    assert_int_equal(r.n_data, 1);
    assert_int_equal(http_active(h), 0);
    http_free(h);
    loop_free(l);
}

struct chain {
    struct http *h;
    struct server *srv;
    struct result first, second;
    struct http_request *second_req;
};

static int abort_on_data(struct http_request *req, const char *data, size_t len, void *ud)
{
    (void)req;
    (void)data;
    (void)len;
    struct result *r = ud;
    r->n_data++;
    return -1; /* stop the transfer: on_done still runs, with an error */
}

static int start_from_on_data(struct http_request *req, const char *data, size_t len, void *ud)
{
    (void)req;
    (void)data;
    (void)len;
    struct chain *c = ud;
    if (c->first.n_data++ == 0) {
        /* inside a curl callback: the new request must be deferred, not refused */
        struct error err = {0};
        struct http_opts o = {.url = url(c->srv, "/hello"), .on_done = on_done, .ud = &c->second};
        c->second_req = http_start(c->h, &o, &err);
    }
    return 0;
}

static void on_first_done(struct http_request *req, struct http_result *res, void *ud)
{
    struct chain *c = ud;
    on_done(req, res, &c->first);
}

static void test_abort_and_start_inside_callbacks(void **state)
{
    struct server *srv = *state;
    struct loop *l = loop_new();
    struct http *h = http_new(l, NULL);
    struct result r = {0};
    struct error err = {0};
    struct http_opts o = {
        .url = url(srv, "/stream"), .on_data = abort_on_data, .on_done = on_done, .ud = &r};
    struct http_request *req = http_start(h, &o, &err);
    assert_non_null(req);
    http_run_until_done(h, req);
    assert_true(r.done);
    assert_int_equal(r.n_data, 1);
    assert_int_equal(r.err.kind, ERROR_GENERIC);
    assert_non_null(strstr(r.err.msg, "aborted"));

    struct chain c = {.h = h, .srv = srv};
    struct http_opts o2 = {.url = url(srv, "/stream"),
                           .on_data = start_from_on_data,
                           .on_done = on_first_done,
                           .ud = &c};
    req = http_start(h, &o2, &err);
    assert_non_null(req);
    http_run_until_done(h, req);
    assert_non_null(c.second_req);
    if (!c.second.done) http_run_until_done(h, c.second_req);
    assert_true(c.second.done);
    assert_int_equal(c.second.status, 200);
    assert_true(!strncmp(c.second.body, "hello conn=", 11));
    http_free(h);
    loop_free(l);
}

static void test_response_header(void **state)
{
    struct server *srv = *state;
    struct loop *l = loop_new();
    struct http *h = http_new(l, NULL);
    struct result r = {0};
    run(h, &(struct http_opts){.url = url(srv, "/page")}, &r);
    assert_string_equal(r.next_token, "tok_2");
    http_free(h);
    loop_free(l);
}

/* A long URL (a batch-metrics call) goes to curl as origin and path, its path and query as
 * the request target (http.c long_target): the server must see exactly what curl would have
 * sent — the whole query; dot segments resolved as curl resolves them; the absolute URL when
 * a proxy from the environment is used. */
static void target_case(struct server *srv, const char *path, const char *want_path, int proxy)
{
    char origin[64];
    snprintf(origin, sizeof origin, "http://127.0.0.1:%d", srv->port);
    struct buf u = BUF_INIT, want = BUF_INIT;
    buf_printf(&u, "%s%s?ids=", origin, path);
    buf_printf(&want, "%s%s?ids=", proxy ? origin : "", want_path);
    for (int i = 0; i < 100; i++) {
        char id[32];
        snprintf(id, sizeof id, "%si%019d", i ? "," : "", i);
        buf_append_str(&u, id);
        buf_append_str(&want, id);
    }
    if (proxy) { /* the fake answers as a proxy would: with the target it was sent */
        setenv("http_proxy", origin, 1);
        setenv("no_proxy", "", 1);
        setenv("NO_PROXY", "", 1);
    }
    struct loop *l = loop_new();
    struct http *h = http_new(l, NULL);
    struct result r = {0};
    run(h, &(struct http_opts){.url = u.data, .timeout_ms = 5000}, &r);
    if (proxy) unsetenv("http_proxy");
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, want.data);
    http_free(h);
    loop_free(l);
    buf_free(&u);
    buf_free(&want);
}

static void test_long_url_target(void **state)
{
    struct server *srv = *state;
    target_case(srv, "/target", "/target", 0);
    target_case(srv, "/x/../target", "/target", 0); /* left to curl: the same as before */
    target_case(srv, "/target", "/target", 1);
}

static void test_error_mapping(void **state)
{
    (void)state;
    struct error e;
    const char *j = "{\"code\":401,\"message\":\"Invalid API key\"}";
    http_error_from_response(&e, 401, j, strlen(j));
    assert_int_equal(e.kind, ERROR_AUTH);
    assert_int_equal(e.code, 401);
    assert_non_null(strstr(e.msg, "Invalid API key"));
    http_error_from_response(&e, 403, NULL, 0);
    assert_int_equal(e.kind, ERROR_AUTH);
    http_error_from_response(&e, 409, "{\"message\":\"already paused\"}", 28);
    assert_int_equal(e.kind, ERROR_CONFLICT);
    assert_non_null(strstr(e.msg, "already paused"));
    http_error_from_response(&e, 429, "", 0);
    assert_int_equal(e.kind, ERROR_RATE_LIMIT);
    http_error_from_response(&e, 500, "<html><body>x</body></html>", 27);
    assert_int_equal(e.kind, ERROR_GENERIC);
    assert_null(strstr(e.msg, "html"));
    const char *esc = "{\"message\":\"bad \\u001b[31mred\"}";
    http_error_from_response(&e, 400, esc, strlen(esc));
    assert_null(strchr(e.msg, 0x1b)); /* escape sequences from a server are dropped */
    http_error_from_response(&e, 502, "plain text failure\nsecond line", 30);
    assert_non_null(strstr(e.msg, "plain text failure"));
    assert_null(strstr(e.msg, "second"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_mapping),
        cmocka_unit_test(test_get_reuses_connection),
        cmocka_unit_test(test_stream_arrives_before_end),
        cmocka_unit_test(test_retry_after_429),
        cmocka_unit_test(test_503_retries_exhausted),
        cmocka_unit_test(test_404_mapped),
        cmocka_unit_test(test_secret_never_in_message),
        cmocka_unit_test(test_error_body_is_detail),
        cmocka_unit_test(test_upload_5mb_chunked),
        cmocka_unit_test(test_upload_5mb_sized),
        cmocka_unit_test(test_post_memory_body),
        cmocka_unit_test(test_header_injection_refused),
        cmocka_unit_test(test_timeout),
        cmocka_unit_test(test_redirect_is_an_error),
        cmocka_unit_test(test_retry_after_too_far),
        cmocka_unit_test(test_stall),
        cmocka_unit_test(test_connect_refused_retried),
        cmocka_unit_test(test_userinfo_never_in_message),
        cmocka_unit_test(test_max_body),
        cmocka_unit_test(test_recv_into),
        cmocka_unit_test(test_cancel_in_on_data),
        cmocka_unit_test(test_response_header),
        cmocka_unit_test(test_abort_and_start_inside_callbacks),
        cmocka_unit_test(test_long_url_target),
    };
    return cmocka_run_group_tests(tests, server_start, server_stop);
}
