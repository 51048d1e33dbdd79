/* test_tui_ttl.c - the one time-to-live syntax every prompt accepts (ui_parse_duration) and
 * the spans messages show (ui_fmt_span): what a message shows reads back as the same time. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "duration.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_parse),
        cmocka_unit_test(t_span),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
