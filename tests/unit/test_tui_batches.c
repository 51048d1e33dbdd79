/* test_tui_batches.c - the batch metrics of a round sorted by CPU (backend_e2b_metrics.c):
 * 1950 running sandboxes are asked for in 20 calls of at most 100 ids, at most
 * METRICS_AT_ONCE (8) in flight at once in the client (the server sees more than one at
 * once), and every sandbox gets its sample when the last call has answered (issue 22: the 90
 * calls of a round at 10 000 sandboxes were all started at once, the rest waiting in curl's
 * queue, each holding a transfer handle). */
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

#define BOXES 1950

struct shared {
    int batches;  /* batch calls answered */
    int inflight; /* batch calls being answered now */
    int most;     /* the most at once */
    int ids;      /* ids asked for, over all calls */
    int too_many; /* a call asked for more than 100 */
};

static void list(int fd)
{
    char *body = malloc(BOXES * 300 + 16);
    size_t l = 0;
    for (int i = 0; i < BOXES; i++)
        l += (size_t)sprintf(body + l,
                             "%s{\"templateID\":\"base\",\"sandboxID\":\"ib%04d\",\"clientID\":"
                             "\"c\",\"startedAt\":\"2026-11-25T10:00:00Z\",\"endAt\":"
                             "\"2099-11-25T10:05:00Z\",\"cpuCount\":1,\"memoryMB\":256,"
                             "\"diskSizeMB\":512,\"state\":\"running\",\"envdVersion\":\"0.2.0\"}",
                             i ? "," : "[", i);
    sprintf(body + l, "]");
    fake_reply_json(fd, "", body);
    free(body);
}

/* {"sandboxes": {id: sample, ...}} for the ids asked, answered slowly so that calls overlap */
static void batch(int fd, const char *req, struct shared *sh)
{
    int now = __atomic_add_fetch(&sh->inflight, 1, __ATOMIC_SEQ_CST);
    int most = __atomic_load_n(&sh->most, __ATOMIC_SEQ_CST);
    while (now > most && !__atomic_compare_exchange_n(&sh->most, &most, now, 0, __ATOMIC_SEQ_CST,
                                                      __ATOMIC_SEQ_CST))
        ;
    usleep(100 * 1000);
    const char *p = strstr(req, "sandbox_ids=") + 12;
    char *body = malloc(101 * 300 + 64);
    size_t l = (size_t)sprintf(body, "{\"sandboxes\":{");
    int n = 0;
    while (*p && *p != ' ') {
        size_t idl = strcspn(p, ", ");
        l += (size_t)sprintf(body + l,
                             "%s\"%.*s\":{\"timestamp\":\"2026-11-25T10:00:00Z\",\"timestampUnix\":"
                             "1796000000,\"cpuCount\":1,\"cpuUsedPct\":%d.5,\"memUsed\":1000,"
                             "\"memTotal\":4000,\"diskUsed\":10,\"diskTotal\":100}",
                             n ? "," : "", (int)idl, p, n % 90);
        n++;
        p += idl;
        if (*p == ',') p++;
        if (n > 100) break;
    }
    sprintf(body + l, "}}");
    __atomic_add_fetch(&sh->ids, n, __ATOMIC_SEQ_CST);
    if (n > 100) __atomic_store_n(&sh->too_many, 1, __ATOMIC_SEQ_CST);
    __atomic_sub_fetch(&sh->inflight, 1, __ATOMIC_SEQ_CST);
    fake_reply_json(fd, "", body);
    free(body);
    __atomic_add_fetch(&sh->batches, 1, __ATOMIC_SEQ_CST);
}

static void serve(int fd, int no, void *shared)
{
    (void)no;
    struct shared *sh = shared;
    struct conn c = {.fd = fd};
    for (size_t used; (used = conn_head(&c)); conn_drop(&c, used)) { /* GETs only: no bodies */
        const char *req = c.buf;
        if (!strncmp(req, "GET /v2/sandboxes", 17))
            list(fd);
        else if (!strncmp(req, "GET /sandboxes/metrics?", 23))
            batch(fd, req, sh);
        else
            fake_reply_unknown(fd, req);
    }
}

static int server_up(void **state)
{
    return fake_server_setup(state, sizeof(struct shared), serve);
}

/* A table sorted by CPU: every running sandbox's latest sample is asked for. */
static void on_event(void *ud, enum backend_event ev, const char *msg)
{
    (void)msg;
    struct model *m = ud;
    if (ev == BACKEND_DEMAND) m->metrics_all = 1;
}

static void t_batches_bounded(void **state)
{
    struct fake_server *fs = *state;
    struct shared *sh = fs->shared;
    struct fake_backend b;
    fake_backend_open(&b, fs->port, on_event, &b.m);
    struct loop *l = b.l;
    struct http *h = b.h;
    struct model *m = &b.m;
    int want = (BOXES + 99) / 100;
    int64_t end = loop_now_ms() + 30000;
    int active = 0; /* the most requests the client had out at once */
    while (__atomic_load_n(&sh->batches, __ATOMIC_SEQ_CST) < want && loop_now_ms() < end) {
        loop_run_once(l, 50);
        if (http_active(h) > active) active = http_active(h);
    }
    for (int i = 0; i < 10; i++) /* the last answer read and the samples applied */
        loop_run_once(l, 20);
    assert_int_equal(__atomic_load_n(&sh->batches, __ATOMIC_SEQ_CST), want);
    assert_int_equal(__atomic_load_n(&sh->ids, __ATOMIC_SEQ_CST), BOXES);
    assert_false(__atomic_load_n(&sh->too_many, __ATOMIC_SEQ_CST));
    int most = __atomic_load_n(&sh->most, __ATOMIC_SEQ_CST);
    assert_true(most >= 2); /* in parallel ... */
    /* ... but not all 20 at once (one more: the template list may still be out) */
    assert_true(active <= 8 + 1);
    assert_int_equal(m->n, BOXES);
    for (int i = 0; i < m->n; i++) {
        const struct sample *s = box_latest(m->sb[i]);
        assert_non_null(s);
        assert_true(s->mem_used == 1000);
    }
    fake_backend_close(&b);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(t_batches_bounded, server_up, fake_server_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
