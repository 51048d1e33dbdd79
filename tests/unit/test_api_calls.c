/* test_api_calls.c - platform API calls against a loopback fake: batch metrics split into
 * calls of at most 100 ids and merged, v2 -> v1 fallbacks (templates, connect), team
 * metrics, logs v2 queries, cancellation, and the paths/bodies that were sent. */
#include "config.h"

#include <arpa/inet.h>
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

#include "fake_server.h"
#include "boxtop/api.h"
#include "boxtop/buf.h"
#include "boxtop/http.h"
#include "boxtop/loop.h"

#define KEY "e2b_3333333333333333333333333333333333333333"
#define METRIC                                                                                     \
    "{\"timestamp\":\"x\",\"timestampUnix\":5,\"cpuCount\":1,\"cpuUsedPct\":1,\"memUsed\":1,"      \
    "\"memTotal\":2,\"memCache\":0,\"diskUsed\":1,\"diskTotal\":2}"
#define TEMPLATE                                                                                   \
    "{\"templateID\":\"t\",\"buildID\":\"b\",\"cpuCount\":1,\"memoryMB\":1,\"diskSizeMB\":1,"      \
    "\"public\":false,\"aliases\":[],\"createdAt\":\"2026-01-01T00:00:00Z\",\"updatedAt\":"        \
    "\"2026-01-01T00:00:00Z\",\"createdBy\":null,\"lastSpawnedAt\":null,\"spawnCount\":0,"         \
    "\"buildCount\":1,\"envdVersion\":\"0.6.13\",\"buildStatus\":\"ready\"}"

struct shared {
    int off;
    char log[1 << 16];
};

struct env {
    struct fake_server fs;
    int port;
    struct shared *sh;
    struct loop *loop;
    struct http *http;
    struct api *api;
};

static void record(struct shared *sh, const char *s)
{
    int n = (int)strlen(s);
    int at = __atomic_fetch_add(&sh->off, n + 1, __ATOMIC_SEQ_CST);
    if (at + n + 1 < (int)sizeof sh->log) {
        memcpy(sh->log + at, s, (size_t)n);
        sh->log[at + n] = '\n';
    }
}

static void route(int fd, const char *method, const char *path, const char *body, struct shared *sh)
{
    char line[16384];
    snprintf(line, sizeof line, "%s %s%s%s", method, path, body[0] ? " " : "", body);
    record(sh, line);
    if (!strncmp(path, "/sandboxes/metrics?sandbox_ids=", 31)) {
        /* echo every id back with a sample */
        struct buf b = BUF_INIT;
        buf_append_str(&b, "{\"sandboxes\":{");
        const char *p = path + 31;
        int first = 1;
        while (*p) {
            size_t n = strcspn(p, ",");
            buf_printf(&b, "%s\"%.*s\":" METRIC, first ? "" : ",", (int)n, p);
            first = 0;
            p += n + (p[n] == ',');
        }
        buf_append_str(&b, "}}");
        fake_reply(fd, 200, "", buf_cstr(&b));
        buf_free(&b);
    } else if (!strncmp(path, "/v2/templates", 13) ||
               !strncmp(path, "/v2/sandboxes/s1/connect", 24)) {
        fake_reply(fd, 404, "", "{\"code\":404,\"message\":\"no such route\"}");
    } else if (!strncmp(path, "/templates", 10)) {
        fake_reply(fd, 200, "", "[" TEMPLATE "]");
    } else if (!strcmp(path, "/sandboxes/s1/connect")) {
        fake_reply(fd, 200, "",
                   "{\"templateID\":\"t\",\"sandboxID\":\"s1\",\"envdVersion\":\"0.6.13\"}");
    } else if (!strncmp(path, "/teams/team%201/metrics/max", 27)) {
        fake_reply(fd, 200, "", "{\"timestamp\":\"x\",\"timestampUnix\":9,\"value\":4}");
    } else if (!strncmp(path, "/teams/team%201/metrics", 23)) {
        fake_reply(fd, 200, "",
                   "[{\"timestamp\":\"x\",\"timestampUnix\":9,\"concurrentSandboxes\":4,"
                   "\"sandboxStartRate\":0.5}]");
    } else if (!strncmp(path, "/v2/sandboxes/s1/logs", 21)) {
        fake_reply(fd, 200, "", "{\"logs\":[]}");
    } else if (!strcmp(path, "/slow")) {
        sleep(5);
        fake_reply(fd, 200, "", "");
    } else {
        fake_reply(fd, 404, "", "{\"code\":404,\"message\":\"nope\"}");
    }
}

static void serve(int fd, struct shared *sh)
{
    char buf[32768];
    size_t len = 0;
    for (;;) {
        char *end;
        while (!(end = memmem(buf, len, "\r\n\r\n", 4))) {
            ssize_t n = read(fd, buf + len, sizeof buf - 1 - len);
            if (n <= 0) return;
            len += (size_t)n;
        }
        *end = '\0';
        char method[16] = "", path[8192] = "";
        sscanf(buf, "%15s %8191s", method, path);
        long clen = 0;
        for (char *l = strstr(buf, "\r\n"); l; l = strstr(l + 2, "\r\n"))
            if (!strncasecmp(l + 2, "content-length:", 15)) clen = atol(l + 17);
        size_t hdr = (size_t)(end - buf) + 4;
        while (len < hdr + (size_t)clen) {
            ssize_t n = read(fd, buf + len, sizeof buf - 1 - len);
            if (n <= 0) return;
            len += (size_t)n;
        }
        char body[1024];
        snprintf(body, sizeof body, "%.*s", (int)clen, buf + hdr);
        route(fd, method, path, body, sh);
        memmove(buf, buf + hdr + clen, len - hdr - (size_t)clen);
        len -= hdr + (size_t)clen;
    }
}

static void serve_one(int fd, int no, void *shared)
{
    (void)no;
    serve(fd, shared);
}

static int setup(void **state)
{
    static struct env e;
    if (fake_server_start(&e.fs, sizeof *e.sh, serve_one) < 0) return -1;
    e.sh = e.fs.shared;
    e.port = e.fs.port;
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", e.port); /* trailing slash is dropped */
    e.loop = loop_new();
    e.http = http_new(e.loop, NULL);
    e.api = api_new(e.http, url, KEY, NULL);
    *state = &e;
    return e.api ? 0 : -1;
}

static int teardown(void **state)
{
    struct env *e = *state;
    api_free(e->api);
    http_free(e->http);
    loop_free(e->loop);
    fake_server_stop(&e->fs);
    return 0;
}

struct got {
    int calls;
    struct api_result r; /* shallow copy of the scalar parts */
    struct sandbox_metric_list batch;
    struct template_list templates;
    struct team_metric_list team;
    struct sandbox sandbox;
};

static void on_done(struct api_result *res, void *ud)
{
    struct got *g = ud;
    g->calls++;
    g->r.err = res->err;
    g->r.status = res->status;
    g->r.team_max = res->team_max;
    g->batch = res->batch;
    memset(&res->batch, 0, sizeof res->batch);
    g->templates = res->templates;
    memset(&res->templates, 0, sizeof res->templates);
    g->team = res->team;
    memset(&res->team, 0, sizeof res->team);
    g->sandbox = res->sandbox;
    memset(&res->sandbox, 0, sizeof res->sandbox);
}

static void reset_log(struct env *e)
{
    e->sh->off = 0;
    memset(e->sh->log, 0, sizeof e->sh->log);
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

static void test_batch_split(void **state)
{
    struct env *e = *state;
    reset_log(e);
    char *ids[250];
    for (int i = 0; i < 250; i++) {
        ids[i] = malloc(16);
        snprintf(ids[i], 16, "i%03d", i);
    }
    struct got g = {0};
    struct api_call *c = api_metrics_batch(e->api, (const char *const *)ids, 250, on_done, &g);
    assert_non_null(c);
    assert_int_equal(g.calls, 0); /* never before the call returns */
    api_wait(e->api, c);
    assert_int_equal(g.calls, 1);
    assert_int_equal(g.r.err.kind, ERROR_NONE);
    assert_int_equal(g.batch.n, 250);
    assert_int_equal(count(e->sh->log, "GET /sandboxes/metrics?sandbox_ids="), 3);
    assert_non_null(strstr(e->sh->log, "sandbox_ids=i000,i001,"));
    assert_non_null(strstr(e->sh->log, "i099\n"));    /* first call ends at the 100th */
    assert_non_null(strstr(e->sh->log, "ids=i200,")); /* third call starts at the 201st */
    bool seen[250] = {false};
    for (int i = 0; i < g.batch.n; i++)
        seen[atoi(g.batch.items[i].sandbox_id + 1)] = true;
    for (int i = 0; i < 250; i++) {
        assert_true(seen[i]);
        free(ids[i]);
    }
    sandbox_metric_list_free(&g.batch);

    /* no ids: an empty answer, still through the callback */
    struct got z = {0};
    c = api_metrics_batch(e->api, NULL, 0, on_done, &z);
    api_wait(e->api, c);
    assert_int_equal(z.calls, 1);
    assert_int_equal(z.batch.n, 0);
}

static void test_fallbacks(void **state)
{
    struct env *e = *state;
    reset_log(e);
    struct got g = {0};
    api_wait(e->api, api_list_templates(e->api, "team 1", NULL, on_done, &g));
    assert_int_equal(g.r.err.kind, ERROR_NONE);
    assert_int_equal(g.templates.n, 1);
    assert_non_null(strstr(e->sh->log, "GET /v2/templates?limit=100&teamID=team%201\n"
                                       "GET /templates?teamID=team%201\n"));
    template_list_free(&g.templates);

    reset_log(e);
    struct got cg = {0};
    api_wait(e->api, api_connect_sandbox(e->api, "s1", -1, on_done, &cg));
    assert_int_equal(cg.r.err.kind, ERROR_NONE);
    assert_int_equal(cg.r.status, 200);
    assert_string_equal(cg.sandbox.id, "s1");
    assert_non_null(strstr(e->sh->log, "POST /v2/sandboxes/s1/connect {}\n"
                                       "POST /sandboxes/s1/connect {\"timeout\":300}\n"));
    sandbox_free(&cg.sandbox);
}

static void test_team_and_logs(void **state)
{
    struct env *e = *state;
    reset_log(e);
    struct got g = {0}, m = {0}, l = {0};
    api_wait(e->api, api_team_metrics(e->api, "team 1", 100, 200, on_done, &g));
    assert_int_equal(g.team.n, 1);
    assert_int_equal(g.team.items[0].concurrent_sandboxes, 4);
    team_metric_list_free(&g.team);
    api_wait(e->api,
             api_team_metrics_max(e->api, "team 1", "sandbox_start_rate", 100, 0, on_done, &m));
    assert_int_equal(m.r.err.kind, ERROR_NONE);
    assert_true(m.r.team_max.value > 3.9);
    struct api_logs_query q = {.cursor_ms = 1795372840123LL,
                               .direction = "forward",
                               .limit = 50,
                               .level = "warn",
                               .search = "a b&c"};
    api_wait(e->api, api_logs_v2(e->api, "s1", &q, on_done, &l));
    assert_int_equal(l.r.err.kind, ERROR_NONE);
    assert_non_null(strstr(e->sh->log, "GET /teams/team%201/metrics?start=100&end=200\n"));
    assert_non_null(strstr(
        e->sh->log, "GET /teams/team%201/metrics/max?metric=sandbox_start_rate&start=100\n"));
    assert_non_null(strstr(e->sh->log, "GET /v2/sandboxes/s1/logs?cursor=1795372840123&direction="
                                       "forward&limit=50&level=warn&search=a%20b%26c\n"));
}

static void test_not_found_and_cancel(void **state)
{
    struct env *e = *state;
    struct got g = {0};
    api_wait(e->api, api_get_sandbox(e->api, "../etc", on_done, &g));
    assert_int_equal(g.r.err.kind, ERROR_NOT_FOUND);
    assert_non_null(strstr(e->sh->log, "GET /sandboxes/..%2Fetc\n")); /* ids are escaped */

    /* a cancelled call never calls back, and the API object can be freed with calls open */
    struct got c = {0};
    struct api_call *call = api_kill_sandbox(e->api, "s1", on_done, &c);
    api_cancel(call);
    for (int i = 0; i < 5; i++)
        loop_run_once(e->loop, 20);
    assert_int_equal(c.calls, 0);
}

/* Issue 15: a restarted local boxtopd makes the backend free its api with calls open. A call
 * that asked (api_call_notify_drop) still ends through its callback, from the loop, with a
 * network error; the others stay silent; api_cancel of a reported one before it fires works. */
static void test_drop_notifies(void **state)
{
    struct env *e = *state;
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", e->port);
    struct api *old = api_new(e->http, url, KEY, NULL);
    assert_non_null(old);
    struct got told = {0}, silent = {0}, cancelled = {0};
    struct api_logs_query q = {.limit = 10};
    struct api_call *a = api_get_raw(old, "/slow", on_done, &told);
    struct api_call *b = api_logs_v2(old, "s1", &q, on_done, &silent);
    struct api_call *c = api_get_raw(old, "/slow", on_done, &cancelled);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    api_call_notify_drop(a);
    api_call_notify_drop(c);
    api_free(old);
    assert_int_equal(told.calls, 0); /* never from inside api_free */
    api_cancel(c);
    for (int i = 0; i < 5; i++)
        loop_run_once(e->loop, 20);
    assert_int_equal(told.calls, 1);
    assert_int_equal(told.r.err.kind, ERROR_NETWORK);
    assert_int_equal(silent.calls, 0);
    assert_int_equal(cancelled.calls, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drop_notifies),
        cmocka_unit_test(test_batch_split),
        cmocka_unit_test(test_fallbacks),
        cmocka_unit_test(test_team_and_logs),
        cmocka_unit_test(test_not_found_and_cancel),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
