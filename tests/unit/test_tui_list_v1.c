/* test_tui_list_v1.c - how the live backend lists a round (backend_e2b_list.c, issue 22):
 * after a first round of /v2/sandboxes pages, every running sandbox in one answer of GET
 * /sandboxes (E2B's deprecated but served v1 list), then the paused ones from
 * /v2/sandboxes?state=paused page by page; changed sandboxes of that one answer are merged in
 * chunks, all of them. Against a server without that route (404, 405, 410) or one that pages
 * it, every sandbox through /v2/sandboxes pages, and the v1 route is not asked again. A v1
 * answer of 500 is an error shown as one (not a reason to give up the route). The fake
 * server keeps E2B's rules: v1 lists running sandboxes only, v2 honours state=. */
#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake_backend.h"
#include "fake_conn.h"
#include "fake_server.h"

#define RUNNING  230 /* more than two v2 pages: v1 must not be cut at 100 */
#define PAUSED   5
#define PER_PAGE 2 /* the fake's v2 page size (E2B: 100), so the paused ones take 3 pages */

enum v1_mode { V1_OK, V1_404, V1_405, V1_410, V1_PAGED, V1_500 };

struct shared {
    int mode;
    int gen;    /* every sandbox's cpuCount is 1 + gen: all of them change at once */
    int v1;     /* GET /sandboxes answered */
    int paused; /* GET /v2/sandboxes?state=paused pages answered */
    int all;    /* other GET /v2/sandboxes pages answered */
};

/* Sandbox k of the server: the first RUNNING are running, the rest paused. */
static size_t listed(char *out, int k, int first, int gen)
{
    return (size_t)sprintf(
        out,
        "%s{\"templateID\":\"base\",\"sandboxID\":\"i%c%03d\",\"clientID\":\"c\","
        "\"startedAt\":\"2026-11-25T10:00:00Z\",\"endAt\":\"2099-11-25T10:05:"
        "00Z\",\"cpuCount\":%d,\"memoryMB\":256,\"diskSizeMB\":512,\"state\":"
        "\"%s\",\"envdVersion\":\"0.2.0\"}",
        first ? "" : ",", k < RUNNING ? 'r' : 'p', k, 1 + gen, k < RUNNING ? "running" : "paused");
}

/* Sandboxes [from, to) of the server as a JSON array, with headers. */
static void answer(int fd, struct shared *sh, int status, const char *extra, int from, int to)
{
    int gen = __atomic_load_n(&sh->gen, __ATOMIC_SEQ_CST);
    char *body = malloc((size_t)(to - from + 1) * 320 + 8);
    size_t l = 1;
    body[0] = '[';
    for (int k = from; k < to; k++)
        l += listed(body + l, k, k == from, gen);
    strcpy(body + l, "]");
    fake_reply(fd, status, extra, body);
    free(body);
}

/* A v2 page: state= picks the sandboxes, nextToken=tN starts at the N-th of them. */
static void v2_page(int fd, const char *req, struct shared *sh)
{
    const char *eol = strstr(req, " HTTP/");
    int only_paused = strstr(req, "state=paused") && strstr(req, "state=paused") < eol;
    const char *t = strstr(req, "nextToken=t");
    int off = t && t < eol ? atoi(t + 11) : 0;
    int first = only_paused ? RUNNING : 0, total = RUNNING + PAUSED;
    int from = first + off, to = from + PER_PAGE < total ? from + PER_PAGE : total;
    char hdr[64] = "";
    if (to < total) snprintf(hdr, sizeof hdr, "X-Next-Token: t%d\r\n", to - first);
    answer(fd, sh, 200, hdr, from, to);
    __atomic_add_fetch(only_paused ? &sh->paused : &sh->all, 1, __ATOMIC_SEQ_CST);
}

static void v1_list(int fd, struct shared *sh)
{
    static const int status[] = {[V1_404] = 404, [V1_405] = 405, [V1_410] = 410, [V1_500] = 500};
    int mode = __atomic_load_n(&sh->mode, __ATOMIC_SEQ_CST);
    if (mode == V1_OK)
        answer(fd, sh, 200, "", 0, RUNNING);
    else if (mode == V1_PAGED) /* an older API's paged v1: the first page only */
        answer(fd, sh, 200, "X-Has-Next-Page: true\r\n", 0, 10);
    else
        fake_reply(fd, status[mode], "", "{\"code\":1,\"message\":\"no such route here\"}");
    __atomic_add_fetch(&sh->v1, 1, __ATOMIC_SEQ_CST);
}

static void serve(int fd, int no, void *shared)
{
    (void)no;
    struct shared *sh = shared;
    struct conn c = {.fd = fd};
    for (;;) {
        char *end;
        while (!(end = memmem(c.buf, c.len, "\r\n\r\n", 4)))
            if (conn_fill(&c) < 0) return;
        *end = '\0'; /* GETs only: no bodies */
        if (!strncmp(c.buf, "GET /v2/sandboxes?", 18) || !strncmp(c.buf, "GET /v2/sandboxes ", 18))
            v2_page(fd, c.buf, sh);
        else if (!strncmp(c.buf, "GET /sandboxes ", 15))
            v1_list(fd, sh);
        else if (!strncmp(c.buf, "GET /sandboxes/metrics?", 23))
            fake_reply(fd, 200, "", "{\"sandboxes\":{}}");
        else
            fake_reply_unknown(fd, c.buf);
        conn_drop(&c, (size_t)(end + 4 - c.buf));
    }
}

static int server_up(void **state)
{
    return fake_server_setup(state, sizeof(struct shared), serve);
}

struct seen {
    int offline; /* BACKEND_OFFLINE reports */
    char msg[512];
};

static void on_event(void *ud, enum backend_event ev, const char *msg)
{
    struct seen *s = ud;
    if (ev == BACKEND_OFFLINE) {
        s->offline++;
        snprintf(s->msg, sizeof s->msg, "%s", msg ? msg : "");
    }
}

struct run {
    struct fake_backend b;
    struct loop *l; /* b's, for short */
    struct model *m;
    struct backend *be;
    struct seen seen;
    struct shared *sh;
};

static int count(struct shared *sh)
{
    return __atomic_load_n(&sh->v1, __ATOMIC_SEQ_CST) +
           __atomic_load_n(&sh->paused, __ATOMIC_SEQ_CST) +
           __atomic_load_n(&sh->all, __ATOMIC_SEQ_CST);
}

/* Run the loop until the server has answered `requests` more list requests, then let the
 * client read the last one and finish the round. */
static void settle(struct run *r, int requests)
{
    int want = count(r->sh) + requests;
    int64_t end = loop_now_ms() + 20000;
    while (count(r->sh) < want && loop_now_ms() < end)
        loop_run_once(r->l, 50);
    assert_int_equal(count(r->sh), want);
    for (int i = 0; i < 10; i++)
        loop_run_once(r->l, 20);
}

static void run_start(struct run *r, struct fake_server *fs, int mode)
{
    memset(r, 0, sizeof *r);
    r->sh = fs->shared;
    r->sh->mode = mode;
    fake_backend_open(&r->b, fs->port, on_event, &r->seen);
    r->l = r->b.l;
    r->m = &r->b.m;
    r->be = r->b.be;
}

static void run_end(struct run *r)
{
    fake_backend_close(&r->b);
}

/* Every sandbox of the server is in the model with its state and cpuCount. */
static void assert_complete(struct model *m, struct shared *sh)
{
    int cpus = 1 + __atomic_load_n(&sh->gen, __ATOMIC_SEQ_CST);
    assert_int_equal(m->n, RUNNING + PAUSED);
    char id[16];
    for (int k = 0; k < RUNNING + PAUSED; k++) {
        snprintf(id, sizeof id, "i%c%03d", k < RUNNING ? 'r' : 'p', k);
        struct box *s = model_find(m, id);
        if (!s) fail_msg("%s is not listed", id);
        assert_int_equal(s->state, k < RUNNING ? BOX_RUNNING : BOX_PAUSED);
        assert_int_equal(s->cpu_count, cpus);
    }
}

#define PAUSED_PAGES ((PAUSED + PER_PAGE - 1) / PER_PAGE)
#define ALL_PAGES    ((RUNNING + PAUSED + PER_PAGE - 1) / PER_PAGE)

/* The first round pages through v2 (its first page shows at once); the next ones ask v1
 * once and page through the paused ones only. */
static void t_v1_then_paused(void **state)
{
    struct run r;
    run_start(&r, *state, V1_OK);
    settle(&r, ALL_PAGES);
    assert_complete(r.m, r.sh);
    assert_int_equal(r.sh->all, ALL_PAGES);
    for (int round = 1; round <= 2; round++) {
        r.be->ops->poll_now(r.be);
        settle(&r, 1 + PAUSED_PAGES);
        assert_complete(r.m, r.sh);
        assert_int_equal(r.sh->v1, round);
        assert_int_equal(r.sh->paused, round * PAUSED_PAGES);
        assert_int_equal(r.sh->all, ALL_PAGES);
    }
    /* every sandbox changes at once: the one v1 answer holds 230 changed objects, merged a
     * hundred at a time, all of them */
    __atomic_store_n(&r.sh->gen, 1, __ATOMIC_SEQ_CST);
    r.be->ops->poll_now(r.be);
    settle(&r, 1 + PAUSED_PAGES);
    assert_complete(r.m, r.sh);
    r.be->ops->poll_now(r.be); /* and the round after takes them as they are */
    settle(&r, 1 + PAUSED_PAGES);
    assert_complete(r.m, r.sh);
    assert_int_equal(r.sh->all, ALL_PAGES);
    assert_int_equal(r.seen.offline, 0);
    run_end(&r);
}

/* No v1 route (or a paged one): that round goes on through v2, and so do the next ones. */
static void fallback(void **state, int mode)
{
    struct run r;
    run_start(&r, *state, mode);
    settle(&r, ALL_PAGES);
    r.be->ops->poll_now(r.be);
    settle(&r, 1 + ALL_PAGES);
    assert_complete(r.m, r.sh);
    r.be->ops->poll_now(r.be);
    settle(&r, ALL_PAGES);
    assert_complete(r.m, r.sh);
    assert_int_equal(r.sh->v1, 1);
    assert_int_equal(r.sh->all, 3 * ALL_PAGES);
    assert_int_equal(r.sh->paused, 0);
    assert_int_equal(r.seen.offline, 0); /* not an error to show */
    run_end(&r);
}

static void t_fallback_404(void **state)
{
    fallback(state, V1_404);
}

static void t_fallback_405(void **state)
{
    fallback(state, V1_405);
}

static void t_fallback_410(void **state)
{
    fallback(state, V1_410);
}

static void t_fallback_paged(void **state)
{
    fallback(state, V1_PAGED);
}

/* A server error on v1 is shown as the round's error and v1 is asked again next round; once
 * it answers, the listing is complete again. */
static void t_v1_error_shown(void **state)
{
    struct run r;
    run_start(&r, *state, V1_500);
    settle(&r, ALL_PAGES);
    assert_complete(r.m, r.sh);
    r.be->ops->poll_now(r.be);
    settle(&r, 1);
    assert_int_equal(r.seen.offline, 1);
    assert_non_null(strstr(r.seen.msg, "500"));
    assert_int_equal(r.sh->all, ALL_PAGES);
    assert_int_equal(r.sh->paused, 0);
    __atomic_store_n(&r.sh->mode, V1_OK, __ATOMIC_SEQ_CST);
    r.be->ops->poll_now(r.be);
    settle(&r, 1 + PAUSED_PAGES);
    assert_complete(r.m, r.sh);
    assert_int_equal(r.sh->v1, 2);
    assert_int_equal(r.sh->all, ALL_PAGES);
    run_end(&r);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(t_v1_then_paused, server_up, fake_server_teardown),
        cmocka_unit_test_setup_teardown(t_fallback_404, server_up, fake_server_teardown),
        cmocka_unit_test_setup_teardown(t_fallback_405, server_up, fake_server_teardown),
        cmocka_unit_test_setup_teardown(t_fallback_410, server_up, fake_server_teardown),
        cmocka_unit_test_setup_teardown(t_fallback_paged, server_up, fake_server_teardown),
        cmocka_unit_test_setup_teardown(t_v1_error_shown, server_up, fake_server_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
