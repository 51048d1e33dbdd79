/* test_tui_backend.c - the TUI's live backend (backend_e2b.c) against a fake platform server
 * that never stops handing out a next page: a poll round must still end (the table leaves
 * "loading") after a bounded number of requests, instead of hammering the server forever. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "boxtop/http.h"
#include "boxtop/loop.h"
#include "backend.h"
#include "backend_e2b.h"
#include "model.h"

#include "fake_server.h"
enum mode { EMPTY_PAGES, SAME_TOKEN, FRESH_TOKENS };

struct shared {
    int mode;
    int lists; /* GET /v2/sandboxes answered */
};

struct env {
    struct fake_server fs;
    int port;
    struct shared *sh;
};

static void reply(int fd, const char *extra, const char *body)
{
    char out[1024];
    int n = snprintf(out, sizeof out,
                     "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                     "%zu\r\n%s\r\n%s",
                     strlen(body), extra, body);
    if (write(fd, out, (size_t)n) < 0) _exit(1);
}

static void serve(int fd, struct shared *sh)
{
    char req[8192];
    size_t have = 0;
    for (;;) {
        ssize_t r = read(fd, req + have, sizeof req - 1 - have);
        if (r <= 0) return;
        have += (size_t)r;
        req[have] = '\0';
        char *end;
        while ((end = strstr(req, "\r\n\r\n"))) { /* GETs only: no bodies */
            *end = '\0';
            if (!strncmp(req, "GET /v2/sandboxes", 17)) {
                int n = __atomic_add_fetch(&sh->lists, 1, __ATOMIC_SEQ_CST);
                char hdr[64], body[512];
                snprintf(hdr, sizeof hdr, "X-Next-Token: t%d\r\n",
                         sh->mode == FRESH_TOKENS ? n : 1);
                snprintf(body, sizeof body,
                         "[{\"templateID\":\"base\",\"sandboxID\":\"ib%d\",\"clientID\":\"c\","
                         "\"startedAt\":\"2026-11-25T10:00:00Z\",\"endAt\":"
                         "\"2026-11-25T10:05:00Z\",\"cpuCount\":1,\"memoryMB\":256,"
                         "\"diskSizeMB\":512,\"state\":\"paused\",\"envdVersion\":\"0.2.0\"}]",
                         sh->mode == FRESH_TOKENS ? n : 1);
                /* past 3000 pages even the fake gives up, so an unbounded client fails the
                 * count check below instead of hanging the test */
                reply(fd, n > 3000 ? "" : hdr, sh->mode == EMPTY_PAGES ? "[]" : body);
            } else {
                reply(fd, "", "[]");
            }
            size_t used = (size_t)(end + 4 - req);
            memmove(req, end + 4, have - used + 1);
            have -= used;
        }
    }
}

static void serve_one(int fd, int no, void *shared)
{
    (void)no;
    serve(fd, shared);
}

static int setup(void **state)
{
    struct env *e = calloc(1, sizeof *e);
    if (!e || fake_server_start(&e->fs, sizeof *e->sh, serve_one) < 0) return -1;
    e->sh = e->fs.shared;
    e->port = e->fs.port;
    *state = e;
    return 0;
}

static int teardown(void **state)
{
    struct env *e = *state;
    fake_server_stop(&e->fs);
    free(e);
    return 0;
}

static void on_event(void *ud, enum backend_event ev, const char *msg)
{
    (void)ud, (void)ev, (void)msg;
}

/* One round against the fake in mode; returns the list requests it took (-1: never ended). */
static int one_round(struct env *e, enum mode mode, int *rows)
{
    e->sh->mode = mode;
    e->sh->lists = 0;
    struct loop *l = loop_new();
    struct http *h = http_new(l, NULL);
    struct model m;
    model_init(&m);
    struct backend *be = backend_e2b_new(l, &m, h);
    be->on_event = on_event;
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", e->port);
    struct error err = {0};
    assert_int_equal(backend_e2b_connect(be, url, "e2b_0000000000000000000000000000000000001234",
                                         NULL, NULL, NULL, &err),
                     0);
    int64_t end = loop_now_ms() + 20000;
    while (m.loading && loop_now_ms() < end)
        loop_run_once(l, 50);
    int lists = m.loading ? -1 : __atomic_load_n(&e->sh->lists, __ATOMIC_SEQ_CST);
    *rows = m.n;
    be->ops->destroy(be);
    http_free(h);
    model_free(&m);
    loop_free(l);
    return lists;
}

static void test_endless_paging_ends(void **state)
{
    struct env *e = *state;
    int rows = 0;
    assert_int_equal(one_round(e, EMPTY_PAGES, &rows), 1); /* an empty page ends the round */
    assert_int_equal(rows, 0);
    assert_int_equal(one_round(e, SAME_TOKEN, &rows), 2); /* the same token again ends it */
    assert_int_equal(rows, 1);
    int n = one_round(e, FRESH_TOKENS, &rows); /* new ids and tokens forever: capped */
    assert_true(n >= 1 && n <= 1000);
    assert_int_equal(rows, n);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_endless_paging_ends, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
