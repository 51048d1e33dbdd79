/* test_loop.c - timers, fds and signals of the poll loop. */
#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>
#include <cmocka.h>

#include "boxtop/loop.h"

struct ctx {
    int order[8];
    int n;
    int got_read;
    int got_signal;
    int64_t cancel_me;
};

static void timer_a(struct loop *l, void *ud)
{
    (void)l;
    struct ctx *c = ud;
    c->order[c->n++] = 1;
}

static void timer_b(struct loop *l, void *ud)
{
    struct ctx *c = ud;
    c->order[c->n++] = 2;
    loop_timer_cancel(l, c->cancel_me);
    loop_stop(l);
}

static void timer_never(struct loop *l, void *ud)
{
    (void)l;
    struct ctx *c = ud;
    c->order[c->n++] = 99;
}

static void timers_fire_in_order_and_cancel(void **state)
{
    (void)state;
    struct loop *l = loop_new();
    struct ctx c = {0};
    int64_t t0 = loop_now_ms();
    loop_timer_add(l, 30, timer_b, &c);
    loop_timer_add(l, 10, timer_a, &c);
    c.cancel_me = loop_timer_add(l, 60, timer_never, &c);
    assert_int_equal(loop_run(l), 0);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.order[0], 1);
    assert_int_equal(c.order[1], 2);
    assert_true(loop_now_ms() - t0 >= 30);
    /* The cancelled timer must not fire later either. */
    loop_run_once(l, 80);
    assert_int_equal(c.n, 2);
    loop_free(l);
}

static void on_read(struct loop *l, int fd, int events, void *ud)
{
    struct ctx *c = ud;
    char buf[16];
    assert_true(events & LOOP_READ);
    assert_int_equal(read(fd, buf, sizeof buf), 3);
    c->got_read++;
    loop_fd_remove(l, fd);
    loop_stop(l);
}

static void fd_read_and_remove_inside_callback(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    struct loop *l = loop_new();
    struct ctx c = {0};
    loop_fd_add(l, p[0], LOOP_READ, on_read, &c);
    assert_int_equal(write(p[1], "abc", 3), 3);
    loop_run(l);
    assert_int_equal(c.got_read, 1);
    assert_int_equal(write(p[1], "abc", 3), 3);
    loop_run_once(l, 20); /* removed: no second callback */
    assert_int_equal(c.got_read, 1);
    loop_free(l);
    close(p[0]);
    close(p[1]);
}

static void on_sig(struct loop *l, int signo, void *ud)
{
    struct ctx *c = ud;
    assert_int_equal(signo, SIGUSR1);
    c->got_signal++;
    loop_stop(l);
}

static void signals_arrive_through_the_loop(void **state)
{
    (void)state;
    struct loop *l = loop_new();
    struct ctx c = {0};
    assert_int_equal(loop_signal_add(l, SIGUSR1, on_sig, &c), 0);
    kill(getpid(), SIGUSR1);
    loop_run(l);
    assert_int_equal(c.got_signal, 1);
    loop_free(l);
}

static void mark_done(struct loop *l, void *ud)
{
    (void)l;
    *(int *)ud = 1;
}

/* A nested wait ("run turns until done") must get control back in the turn where a timer
 * finished its work, even with no fd and no other timer, and even after loop_stop(). */
static void run_once_returns_after_a_timer_fired(void **state)
{
    (void)state;
    struct loop *l = loop_new();
    int done = 0;
    loop_timer_add(l, 5, mark_done, &done);
    int64_t t0 = loop_now_ms();
    while (!done && loop_now_ms() - t0 < 1000)
        loop_run_once(l, -1);
    assert_int_equal(done, 1);
    assert_true(loop_now_ms() - t0 < 500);
    loop_stop(l);
    done = 0;
    loop_timer_add(l, 5, mark_done, &done);
    t0 = loop_now_ms();
    while (!done && loop_now_ms() - t0 < 1000)
        loop_run_once(l, 100);
    assert_int_equal(done, 1);
    loop_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(timers_fire_in_order_and_cancel),
        cmocka_unit_test(fd_read_and_remove_inside_callback),
        cmocka_unit_test(signals_arrive_through_the_loop),
        cmocka_unit_test(run_once_returns_after_a_timer_fired),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
