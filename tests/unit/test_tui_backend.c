/* test_tui_backend.c - the TUI's live backend (backend_e2b.c) against a fake platform server
 * that never stops handing out a next page: a poll round must still end (the table leaves
 * "loading") after a bounded number of requests, instead of hammering the server forever.
 * And the history windows of the rows on screen that arrive while the round's batch metrics
 * are still out change the model once, with the round, not once each (issue 22: each change
 * re-sorts 10 000 rows); sorted by a metric, rows that flash by get no history window; and
 * the app draws bursts of new samples at most every APP_SAMPLES_FRAME_MS. */
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
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "app.h"

#include "fake_backend.h"
#include "fake_conn.h"
#include "fake_server.h"
enum mode { EMPTY_PAGES, SAME_TOKEN, FRESH_TOKENS, HIST_RACE };

struct shared {
    int mode;
    int lists;   /* GET /v2/sandboxes answered */
    int hists;   /* GET /sandboxes/{id}/metrics answered */
    int batches; /* GET /sandboxes/metrics answered */
    int reverse; /* the batch answer lists the sandboxes in the reverse order */
};

#define RACE_BOXES 5

struct env {
    struct fake_server fs;
    int port;
    struct shared *sh;
};

static void metric(char *out, size_t n, long ts)
{
    snprintf(out, n,
             "{\"timestamp\":\"2026-11-25T10:00:00Z\",\"timestampUnix\":%ld,\"cpuCount\":1,"
             "\"cpuUsedPct\":12.5,\"memUsed\":1000,\"memTotal\":4000,\"diskUsed\":10,"
             "\"diskTotal\":100}",
             ts);
}

/* RACE_BOXES running sandboxes; their history windows at once, the batch metrics late. */
static void serve_race(int fd, const char *req, struct shared *sh)
{
    long now = (long)time(NULL);
    char body[6000] = "", one[400];
    size_t l = 0;
    if (!strncmp(req, "GET /v2/sandboxes", 17)) {
        __atomic_add_fetch(&sh->lists, 1, __ATOMIC_SEQ_CST);
        for (int i = 0; i < RACE_BOXES; i++)
            l += (size_t)snprintf(
                body + l, sizeof body - l,
                "%s{\"templateID\":\"base\",\"sandboxID\":\"ir%d\",\"clientID\":\"c\","
                "\"startedAt\":\"2026-11-25T10:00:00Z\",\"endAt\":\"2099-11-25T10:05:00Z\","
                "\"cpuCount\":1,\"memoryMB\":256,\"diskSizeMB\":512,\"state\":\"running\","
                "\"envdVersion\":\"0.2.0\"}",
                i ? "," : "[", i);
        snprintf(body + l, sizeof body - l, "]");
    } else if (!strncmp(req, "GET /sandboxes/metrics?", 23)) {
        usleep(400 * 1000); /* the windows of the rows on screen come first */
        l += (size_t)snprintf(body, sizeof body, "{\"sandboxes\":{");
        for (int i = 0; i < RACE_BOXES; i++) {
            metric(one, sizeof one, now - 10);
            l += (size_t)snprintf(body + l, sizeof body - l, "%s\"ir%d\":%s", i ? "," : "",
                                  sh->reverse ? RACE_BOXES - 1 - i : i, one);
        }
        snprintf(body + l, sizeof body - l, "}}");
        __atomic_add_fetch(&sh->batches, 1, __ATOMIC_SEQ_CST);
    } else if (!strncmp(req, "GET /sandboxes/ir", 17)) {
        for (int k = 4; k >= 1; k--) { /* newer than the batch's sample */
            metric(one, sizeof one, now - 5 * k + 5);
            l += (size_t)snprintf(body + l, sizeof body - l, "%s%s", k == 4 ? "[" : ",", one);
        }
        snprintf(body + l, sizeof body - l, "]");
        __atomic_add_fetch(&sh->hists, 1, __ATOMIC_SEQ_CST);
    } else { /* no v1 list (GET /sandboxes): later rounds page through /v2/sandboxes */
        fake_reply_unknown(fd, req);
        return;
    }
    fake_reply_json(fd, "", body);
}

static void serve(int fd, struct shared *sh)
{
    struct conn c = {.fd = fd};
    for (size_t used; (used = conn_head(&c)); conn_drop(&c, used)) { /* GETs only: no bodies */
        const char *req = c.buf;
        if (sh->mode == HIST_RACE) {
            serve_race(fd, req, sh);
        } else if (!strncmp(req, "GET /v2/sandboxes", 17)) {
            int n = __atomic_add_fetch(&sh->lists, 1, __ATOMIC_SEQ_CST);
            char hdr[64], body[512];
            snprintf(hdr, sizeof hdr, "X-Next-Token: t%d\r\n", sh->mode == FRESH_TOKENS ? n : 1);
            snprintf(body, sizeof body,
                     "[{\"templateID\":\"base\",\"sandboxID\":\"ib%d\",\"clientID\":\"c\","
                     "\"startedAt\":\"2026-11-25T10:00:00Z\",\"endAt\":"
                     "\"2026-11-25T10:05:00Z\",\"cpuCount\":1,\"memoryMB\":256,"
                     "\"diskSizeMB\":512,\"state\":\"paused\",\"envdVersion\":\"0.2.0\"}]",
                     sh->mode == FRESH_TOKENS ? n : 1);
            /* past 3000 pages even the fake gives up, so an unbounded client fails the
             * count check below instead of hanging the test */
            fake_reply_json(fd, n > 3000 ? "" : hdr, sh->mode == EMPTY_PAGES ? "[]" : body);
        } else {
            fake_reply_unknown(fd, req);
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

/* Runs l until *counter (in the fake's shared memory) reaches n and its answer is applied. */
static int shared_at_least(struct loop *l, int *counter, int n)
{
    int64_t end = loop_now_ms() + 20000;
    while (__atomic_load_n(counter, __ATOMIC_SEQ_CST) < n && loop_now_ms() < end)
        loop_run_once(l, 50);
    for (int i = 0; i < 10; i++) /* the answer read and applied */
        loop_run_once(l, 20);
    return __atomic_load_n(counter, __ATOMIC_SEQ_CST) >= n;
}

struct race_view {
    struct model *m;
    int changes; /* BACKEND_MODEL_CHANGED */
    int samples; /* BACKEND_SAMPLES */
    int from;    /* the first row on screen (RACE_SHOWN rows) */
};

#define RACE_SHOWN 2

/* A table sorted by CPU that shows the first RACE_SHOWN sandboxes: every running sandbox's
 * sample is asked for in the batch, the rows on screen get their history windows. */
static void on_race_event(void *ud, enum backend_event ev, const char *msg)
{
    (void)msg;
    struct race_view *v = ud;
    if (ev == BACKEND_MODEL_CHANGED) v->changes++;
    if (ev == BACKEND_SAMPLES) v->samples++;
    if (ev == BACKEND_DEMAND) {
        v->m->metrics_all = 1;
        for (int i = v->from; i < v->m->n && i < v->from + RACE_SHOWN; i++)
            model_want(v->m, v->m->sb[i]);
    }
}

static void test_history_during_round(void **state)
{
    struct env *e = *state;
    e->sh->mode = HIST_RACE;
    struct fake_backend b;
    struct model *m = &b.m;
    struct race_view v = {m, 0, 0, 0};
    fake_backend_open(&b, e->port, on_race_event, &v);
    /* until the first round's batch answered (it waits for every history window) */
    assert_true(shared_at_least(b.l, &e->sh->batches, 1));
    assert_int_equal(m->n, RACE_BOXES);
    assert_int_equal(__atomic_load_n(&e->sh->hists, __ATOMIC_SEQ_CST), RACE_SHOWN);
    for (int i = 0; i < m->n; i++) /* the windows (4 samples) and the batch's sample merged */
        assert_int_equal(m->sb[i]->hist_len, i < RACE_SHOWN ? 4 : 1);
    /* the first listing shows at once, the windows with the round's end: 2, not 2 + 2 */
    assert_int_equal(v.changes, 2);
    assert_true(v.samples >= RACE_SHOWN); /* each window still redraws its row */
    fake_backend_close(&b);
}

/* One round against the fake in mode; returns the list requests it took (-1: never ended). */
static int one_round(struct env *e, enum mode mode, int *rows)
{
    e->sh->mode = mode;
    e->sh->lists = 0;
    struct fake_backend b;
    fake_backend_open(&b, e->port, NULL, NULL);
    int64_t end = loop_now_ms() + 20000;
    while (b.m.loading && loop_now_ms() < end)
        loop_run_once(b.l, 50);
    int lists = b.m.loading ? -1 : __atomic_load_n(&e->sh->lists, __ATOMIC_SEQ_CST);
    *rows = b.m.n;
    fake_backend_close(&b);
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

/* Sorted by a metric the rows on screen churn: the first screen of the sort gets its history
 * windows at once, later rows once they stay on screen into a second round. */
static void test_history_of_rows_that_stay(void **state)
{
    struct env *e = *state;
    e->sh->mode = HIST_RACE;
    struct fake_backend b;
    struct race_view v = {&b.m, 0, 0, 0};
    fake_backend_open(&b, e->port, on_race_event, &v);
    struct loop *l = b.l;
    struct backend *be = b.be;
    struct model *m = &b.m;
    int *hists = &e->sh->hists, *batches = &e->sh->batches;
    assert_true(shared_at_least(l, batches, 1)); /* the sort's first round: rows 0, 1 */
    assert_int_equal(__atomic_load_n(hists, __ATOMIC_SEQ_CST), RACE_SHOWN);
    v.from = 2; /* the order moved: rows 2, 3 come on screen */
    be->ops->poll_now(be);
    assert_true(shared_at_least(l, batches, 2));
    assert_int_equal(__atomic_load_n(hists, __ATOMIC_SEQ_CST), RACE_SHOWN); /* not yet */
    assert_true(m->sb[2]->hist_len <= 2); /* the batch's samples of two rounds, no window */
    be->ops->poll_now(be);                /* they stayed: their windows now */
    assert_true(shared_at_least(l, batches, 3));
    assert_int_equal(__atomic_load_n(hists, __ATOMIC_SEQ_CST), 2 * RACE_SHOWN);
    assert_true(m->sb[2]->hist_len >= 4 && m->sb[3]->hist_len >= 4);
    fake_backend_close(&b);
}

/* The batch answer's samples reach their sandboxes in the order asked and in any other. */
static void test_batch_any_order(void **state)
{
    struct env *e = *state;
    for (int rev = 0; rev < 2; rev++) {
        e->sh->mode = HIST_RACE;
        e->sh->reverse = rev;
        e->sh->batches = 0;
        struct fake_backend b;
        struct model *m = &b.m;
        struct race_view v = {m, 0, 0, RACE_BOXES}; /* no row on screen: no windows */
        fake_backend_open(&b, e->port, on_race_event, &v);
        assert_true(shared_at_least(b.l, &e->sh->batches, 1));
        assert_int_equal(m->n, RACE_BOXES);
        for (int i = 0; i < m->n; i++) {
            assert_int_equal(m->sb[i]->hist_len, 1);
            assert_true(box_latest(m->sb[i])->cpu_pct == 12.5);
        }
        fake_backend_close(&b);
    }
}

static void test_samples_frame_rate(void **state)
{
    (void)state;
    struct app a = {0};
    a.loop = loop_new();
    a.main_ms = loop_now_ms(); /* the main area was just drawn */
    app_samples_changed(&a);
    assert_false(a.dirty & DIRTY_MAIN); /* not at once ... */
    assert_true(a.samples_timer > 0);
    int64_t timer = a.samples_timer;
    app_samples_changed(&a); /* a burst: one frame for all of it */
    assert_int_equal(a.samples_timer, timer);
    int64_t t0 = loop_now_ms();
    while (!(a.dirty & DIRTY_MAIN) && loop_now_ms() - t0 < 5000)
        loop_run_once(a.loop, 50);
    assert_true(a.dirty & DIRTY_MAIN); /* ... but within the frame interval */
    assert_true(loop_now_ms() - t0 >= APP_SAMPLES_FRAME_MS - 50);
    assert_int_equal(a.samples_timer, 0);
    a.dirty = 0;
    a.main_ms = loop_now_ms() - APP_SAMPLES_FRAME_MS; /* long enough ago: at once */
    app_samples_changed(&a);
    assert_true(a.dirty & DIRTY_MAIN);
    assert_int_equal(a.samples_timer, 0);
    loop_free(a.loop);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_endless_paging_ends, setup, teardown),
        cmocka_unit_test_setup_teardown(test_history_during_round, setup, teardown),
        cmocka_unit_test_setup_teardown(test_history_of_rows_that_stay, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch_any_order, setup, teardown),
        cmocka_unit_test(test_samples_frame_rate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
