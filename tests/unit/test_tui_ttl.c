/* test_tui_ttl.c - the one time-to-live syntax every prompt accepts (ui_parse_duration) and
 * the spans messages show (ui_fmt_span): what a message shows reads back as the same time;
 * the AGE column's ages (ui_fmt_age: kubectl's and k9s's format, never wider than the column,
 * clock skew and absurd values included) and when their text next changes (ui_age_next_ms). */
#include "config.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "duration.h"

#define S   1000LL
#define MIN (60 * S)
#define H   (60 * MIN)
#define D   (24 * H)
#define Y   (365 * D)

static int parsed(const char *text)
{
    int secs = -7;
    return ui_parse_duration(text, &secs) ? -1 : secs;
}

static void t_parse(void **state)
{
    (void)state;
    assert_int_equal(parsed("90"), 90);
    assert_int_equal(parsed("90s"), 90);
    assert_int_equal(parsed("15m"), 900);
    assert_int_equal(parsed("2h"), 7200);
    assert_int_equal(parsed("1d"), 86400);
    assert_int_equal(parsed("1h 30m"), 5400);
    assert_int_equal(parsed("1h30m"), 5400);
    assert_int_equal(parsed(" 2m 5s "), 125);
    assert_int_equal(parsed("30d"), 30 * 86400);
    const char *bad[] = {"",     " ",    "soon", "0",   "0s",      "-5",
                         "5x",   "1h x", "h",    "31d", "720h 1s", "99999999999999999999",
                         "1.5h", "+5m"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(parsed(bad[i]), -1);
}

static void t_span(void **state)
{
    (void)state;
    char s[32];
    const struct {
        int secs;
        const char *text;
    } cases[] = {{45, "45s"},      {60, "1m"},   {125, "2m 5s"}, {900, "15m"},     {3600, "1h"},
                 {5400, "1h 30m"}, {7200, "2h"}, {86400, "1d"},  {93600, "1d 2h"}, {0, "0s"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ui_fmt_span(s, sizeof s, cases[i].secs);
        assert_string_equal(s, cases[i].text);
        if (cases[i].secs > 0 && cases[i].secs % 60 == 0) /* whole minutes read back */
            assert_int_equal(parsed(s), cases[i].secs);
    }
    ui_fmt_span(s, sizeof s, 7199); /* under the hour's minute: the seconds are dropped */
    assert_string_equal(s, "1h 59m");
}

static void t_age(void **state)
{
    (void)state;
    const struct {
        int64_t ms;
        const char *text;
    } cases[] = {
        {0, "0s"},
        {999, "0s"},
        {45 * S, "45s"},
        {119 * S, "119s"}, /* under 2 minutes: seconds, as kubectl */
        {2 * MIN, "2m"},
        {5 * MIN + 3 * S, "5m3s"},
        {9 * MIN + 59 * S, "9m59s"},
        {10 * MIN + 59 * S, "10m"},
        {179 * MIN, "179m"},
        {3 * H, "3h"},
        {7 * H + 59 * MIN, "7h59m"},
        {8 * H + 30 * MIN, "8h"},
        {47 * H + 59 * MIN, "47h"},
        {5 * D + 3 * H, "5d3h"},
        {5 * D, "5d"},
        {8 * D + 23 * H, "8d"},
        {100 * D, "100d"},
        {377 * D + 3 * H, "377d"}, /* was "377d0…" */
        {729 * D, "729d"},
        {2 * Y + 15 * D, "2y15d"},
        {7 * Y + 364 * D + 23 * H, "7y364d"},
        {3 * Y, "3y"},
        {9 * Y + 200 * D, "9y"},
        {9999 * Y + 364 * D, "9999y"},
        {10000 * Y, ">9999y"},
        {INT64_MAX, ">9999y"},
        /* the server's clock ahead of ours: a few seconds read as now, far ahead as unknown */
        {-1, "0s"},
        {-30 * S, "0s"},
        {-60 * S, "0s"},
        {-60 * S - 1, "?"},
        {-400 * D, "?"},
        {INT64_MIN, "?"},
    };
    char s[32];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ui_fmt_age(s, sizeof s, cases[i].ms);
        assert_string_equal(s, cases[i].text);
    }
    /* never wider than the column, whatever the value */
    for (int64_t ms = -2 * MIN; ms < 20 * Y; ms += ms < 10 * D ? 7 * S : 13 * H) {
        ui_fmt_age(s, sizeof s, ms);
        assert_true(strlen(s) <= UI_AGE_MAXW);
    }
    char tiny[4]; /* a short buffer is cut, never overrun */
    ui_fmt_age(tiny, sizeof tiny, 377 * D);
    assert_string_equal(tiny, "377");
}

/* The text stays the same until ui_age_next_ms says, and changes right then. */
static void t_age_next(void **state)
{
    (void)state;
    const int64_t at[] = {-5 * MIN,
                          -61 * S,
                          -60 * S,
                          -1,
                          0,
                          1,
                          119 * S + 500,
                          9 * MIN + 59 * S,
                          10 * MIN + 1,
                          3 * H - 1,
                          7 * H + 59 * MIN + 30 * S,
                          47 * H + 5,
                          7 * D + 23 * H + 1,
                          400 * D + 17,
                          2 * Y - 1,
                          7 * Y + 364 * D + 1,
                          8 * Y + 1,
                          9998 * Y + 3};
    for (size_t i = 0; i < sizeof at / sizeof *at; i++) {
        char now[32], before[32], after[32];
        int64_t next = ui_age_next_ms(at[i]);
        assert_true(next > 0);
        ui_fmt_age(now, sizeof now, at[i]);
        ui_fmt_age(before, sizeof before, at[i] + next - 1);
        ui_fmt_age(after, sizeof after, at[i] + next);
        assert_string_equal(now, before);
        assert_string_not_equal(now, after);
    }
    assert_true(ui_age_next_ms(INT64_MIN) > 0); /* no overflow */
    assert_int_equal(ui_age_next_ms(10 * D), D);
    assert_int_equal(ui_age_next_ms(10 * MIN + 1), MIN - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_parse),
        cmocka_unit_test(t_span),
        cmocka_unit_test(t_age),
        cmocka_unit_test(t_age_next),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
