/* test_xfer.c - the transfer engine's pure parts (src/e2b/xfer.c): the moving rate window and
 * ETA, a copy whose source is missing failing with a message that names it before anything
 * touches the network, which sandbox paths may be joined to a local directory, and the path
 * strings both sides use (fpath.h). Against boxtopd (and as `boxtop cp`): test_xfer_e2e.c;
 * `boxtop cp` against a hostile fake envd: test_envd_cli.c. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <stdlib.h>

#include "boxtop/fpath.h"
#include "boxtop/loop.h"
#include "boxtop/xfer.h"

static void test_rate_window(void **state)
{
    (void)state;
    struct xfer_job j;
    memset(&j, 0, sizeof j);
    j.total = 100 * 1000 * 1000;
    assert_true(xfer_rate(&j, 0) == 0);
    assert_int_equal(xfer_eta_ms(&j, 0), -1);
    /* 1 MB per 250 ms for 10 s: the window keeps the last 5 s */
    for (int i = 0; i <= 40; i++) {
        j.done = (uint64_t)i * 1000 * 1000;
        xfer_sample(&j, 1000 + i * 250);
    }
    double r = xfer_rate(&j, 11000);
    assert_true(r > 3.99e6 && r < 4.01e6);
    assert_int_equal(j.nwin, XFER_RATE_WIN);
    /* 60 MB left at 4 MB/s */
    int64_t eta = xfer_eta_ms(&j, 11000);
    assert_true(eta > 14900 && eta < 15100);
    /* samples closer than XFER_SAMPLE_MS are dropped */
    int64_t before = j.win[(j.hwin + j.nwin - 1) % XFER_RATE_WIN].t;
    xfer_sample(&j, before + 10);
    assert_int_equal(j.win[(j.hwin + j.nwin - 1) % XFER_RATE_WIN].t, before);
    /* then the transfer stalls: the window forgets the old speed */
    for (int i = 1; i <= XFER_RATE_WIN; i++)
        xfer_sample(&j, before + i * 250);
    assert_true(xfer_rate(&j, before + XFER_RATE_WIN * 250) == 0);
    assert_int_equal(xfer_eta_ms(&j, 0), -1);
}

/* The rate is a moving average up to now: no jitter in the first second, no speed left
 * standing when bytes stop coming without a sample, an average and nothing else once done. */
static void test_rate_now(void **state)
{
    (void)state;
    struct xfer_job j;
    memset(&j, 0, sizeof j);
    j.total = 50 * 1000 * 1000;
    xfer_sample(&j, 1000);
    j.done = 2 * 1000 * 1000; /* a burst in the first 300 ms: not yet a rate */
    xfer_sample(&j, 1300);
    assert_true(xfer_rate(&j, 1300) == 0);
    assert_int_equal(xfer_eta_ms(&j, 1300), -1);
    /* 2 MB per second, sampled every 250 ms, for 8 s */
    for (int i = 0; i <= 32; i++) {
        j.done = (uint64_t)i * 500 * 1000;
        xfer_sample(&j, 1000 + i * 250);
    }
    double r = xfer_rate(&j, 9000);
    assert_true(r > 1.99e6 && r < 2.01e6);
    /* 34 MB left: 17 s */
    assert_true(xfer_eta_ms(&j, 9000) > 16900 && xfer_eta_ms(&j, 9000) < 17100);
    /* then nothing, not even a progress call: the rate falls as the window slides on */
    double r2 = xfer_rate(&j, 11500), r3 = xfer_rate(&j, 13000);
    assert_true(r2 < r && r2 > 0);
    assert_true(r3 < r2);
    assert_true(xfer_rate(&j, 14500) == 0); /* the window (5 s) holds no byte any more */
    assert_int_equal(xfer_eta_ms(&j, 14500), -1);
    /* a finished job: its bytes over its duration */
    assert_true(xfer_avg_rate(&j) < 0); /* not ended */
    j.started_ms = 1000;
    j.ended_ms = 9000;
    assert_true(xfer_avg_rate(&j) > 1.99e6 && xfer_avg_rate(&j) < 2.01e6);
    j.ended_ms = j.started_ms; /* ended at once: no average */
    assert_true(xfer_avg_rate(&j) < 0);
}

/* Paths from the sandbox below a copied directory: only ones that stay inside it. */
static void test_relative_paths(void **state)
{
    (void)state;
    assert_true(xfer_relpath_safe("a"));
    assert_true(xfer_relpath_safe("a/b/c.txt"));
    assert_true(xfer_relpath_safe("..a/b..")); /* names that merely contain dots */
    assert_true(xfer_relpath_safe(".hidden"));
    assert_true(xfer_relpath_safe("a/\nb")); /* copied byte-exact, sanitized when shown */
    assert_false(xfer_relpath_safe(""));
    assert_false(xfer_relpath_safe(NULL));
    assert_false(xfer_relpath_safe("/etc/passwd"));
    assert_false(xfer_relpath_safe(".."));
    assert_false(xfer_relpath_safe("../x"));
    assert_false(xfer_relpath_safe("a/../../x"));
    assert_false(xfer_relpath_safe("a/./b"));
    assert_false(xfer_relpath_safe("a//b"));
    assert_false(xfer_relpath_safe("a/"));
    assert_false(xfer_relpath_safe("a/.."));
}

static void expect_path(char *got, const char *want)
{
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void test_paths(void **state)
{
    (void)state;
    expect_path(fpath_join("/a", "b"), "/a/b");
    expect_path(fpath_join("/", "b"), "/b");
    expect_path(fpath_join("/a/", "b\nc"), "/a/b\nc");
    expect_path(fpath_parent("/a/b/"), "/a");
    expect_path(fpath_parent("/a"), "/");
    expect_path(fpath_parent("a"), "/");
    expect_path(fpath_parent("/"), "/");
    expect_path(fpath_base("/a/b/"), "b");
    expect_path(fpath_base("/a/.."), "..");
    expect_path(fpath_base("name"), "name");
    expect_path(fpath_base("/"), "/");
}

static int notes, last_state;

static void note(void *ud, enum xfer_event ev, struct xfer_job *j)
{
    (void)ud;
    if (ev == XEV_STATE) {
        notes++;
        last_state = (int)j->state;
    }
}

static void test_missing_source(void **state)
{
    (void)state;
    struct loop *l = loop_new();
    struct xfer x;
    xfer_init(&x, l, NULL, note, NULL);
    struct xfer_job *j = xfer_add(&x, XFER_UP, "/nonexistent/boxtop-src", "/home/user/x", 0);
    assert_non_null(j);
    assert_int_equal(j->state, XS_FAILED);
    assert_non_null(strstr(j->msg, "/nonexistent/boxtop-src"));
    assert_true(notes >= 1);
    assert_int_equal(last_state, XS_FAILED);
    assert_false(xfer_busy(&x));
    xfer_clear_finished(&x);
    assert_int_equal(x.njobs, 0);
    xfer_free(&x);
    xfer_release_client(&x, NULL);
    loop_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rate_window),    cmocka_unit_test(test_rate_now),
        cmocka_unit_test(test_missing_source), cmocka_unit_test(test_relative_paths),
        cmocka_unit_test(test_paths),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
