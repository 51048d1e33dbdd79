/* test_tui_messages.c - the session's messages behind `:messages` (src/tui/messages.c): kept
 * whole and sanitized, repeats counted on the newest, the last MSG_RING_MAX kept. */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "messages.h"

static void test_kept_whole_and_sanitized(void **state)
{
    (void)state;
    struct msg_ring r = {0};
    char longer[1200];
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    msg_ring_add(&r, 1000, 2, longer, "curl 7: Couldn't connect", 0);
    msg_ring_add(&r, 2000, 0, "evil \x1b]0;pwned\x07 title\nnext", "", 0);
    assert_int_equal(r.n, 2);
    const struct msg *m = msg_ring_get(&r, 0);
    assert_int_equal(strlen(m->text), sizeof longer - 1); /* whole, not the status line's 256 */
    assert_string_equal(m->detail, "curl 7: Couldn't connect");
    assert_int_equal(m->level, 2);
    m = msg_ring_get(&r, 1);
    assert_null(strchr(m->text, '\x1b'));
    assert_null(strstr(m->text, "pwned"));
    assert_null(strchr(m->text, '\n'));
    assert_null(m->detail); /* "" = none */
    assert_null(msg_ring_get(&r, 2));
    msg_ring_free(&r);
}

static void test_repeats_counted(void **state)
{
    (void)state;
    struct msg_ring r = {0};
    msg_ring_add(&r, 1000, 2, "backend unreachable", "d", 0);
    msg_ring_add(&r, 2000, 2, "backend unreachable", "d", 0);
    msg_ring_add(&r, 3000, 2, "backend unreachable", "d", 0);
    msg_ring_add(&r, 4000, 2, "backend unreachable", "other detail", 0);
    msg_ring_add(&r, 5000, 0, "backend unreachable", "other detail", 0);
    assert_int_equal(r.n, 3);
    assert_int_equal(msg_ring_get(&r, 0)->repeats, 2);
    assert_int_equal(msg_ring_get(&r, 0)->wall_ms, 3000);
    assert_int_equal(msg_ring_get(&r, 1)->repeats, 0);
    msg_ring_free(&r);
}

static void test_bounded(void **state)
{
    (void)state;
    struct msg_ring r = {0};
    for (int i = 0; i < MSG_RING_MAX + 123; i++) {
        char t[32];
        snprintf(t, sizeof t, "message %d", i);
        msg_ring_add(&r, i, 1, t, NULL, 0);
    }
    assert_int_equal(r.n, MSG_RING_MAX);
    assert_int_equal(r.total, MSG_RING_MAX + 123);
    assert_string_equal(msg_ring_get(&r, 0)->text, "message 123");
    assert_string_equal(msg_ring_get(&r, MSG_RING_MAX - 1)->text, "message 622");
    msg_ring_free(&r);
    assert_int_equal(r.n, 0);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kept_whole_and_sanitized),
        cmocka_unit_test(test_repeats_counted),
        cmocka_unit_test(test_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
