/* test_tui_dedup.c - output a reconnected stream replays is dropped, new output is not. */
#include "config.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "session_dedup.h"

/* Feed p as a stream would and return what is shown. */
static void feed(struct out_dedup *d, const char *p, char *shown)
{
    size_t len = strlen(p), dup = out_dedup_filter(d, p, len);
    strncat(shown, p + dup, len - dup);
    out_dedup_shown(d, p + dup, len - dup);
}

static void replay_dropped(void **state)
{
    (void)state;
    struct out_dedup d = {0};
    char shown[512] = "";
    feed(&d, "line-one\r\nline-two\r\n", shown);
    for (int i = 0; i < 39; i++) { /* the server replays all of it on every reconnect */
        out_dedup_reconnect(&d);
        feed(&d, "line-one\r\nline-two\r\n", shown);
    }
    assert_string_equal(shown, "line-one\r\nline-two\r\n");
    /* a replay of the tail plus new output, split across pieces */
    out_dedup_reconnect(&d);
    feed(&d, "e-one\r\nline-two\r", shown); /* 16 bytes: long enough to be a replay */
    feed(&d, "\nfresh output\r\n", shown);
    assert_string_equal(shown, "line-one\r\nline-two\r\nfresh output\r\n");
    out_dedup_free(&d);
}

static void new_output_kept(void **state)
{
    (void)state;
    struct out_dedup d = {0};
    char shown[512] = "";
    feed(&d, "$ make\r\nbuilding the whole thing\r\n$ ", shown);
    /* a prompt after a reconnect looks like the last bytes, but is too short to be a replay */
    out_dedup_reconnect(&d);
    feed(&d, "$ ", shown);
    assert_string_equal(shown, "$ make\r\nbuilding the whole thing\r\n$ $ ");
    /* output that is not in the history at all */
    out_dedup_reconnect(&d);
    feed(&d, "something entirely different here", shown);
    assert_non_null(strstr(shown, "something entirely different here"));
    /* no reconnect: a repeat is real output (a program printing the same twice) */
    size_t before = strlen(shown);
    feed(&d, "something entirely different here", shown);
    assert_int_equal(strlen(shown), before + 33);
    out_dedup_free(&d);
}

static void history_bounded(void **state)
{
    (void)state;
    struct out_dedup d = {0};
    char *big = malloc(SESSION_DEDUP_KEEP * 3);
    assert_non_null(big);
    for (size_t i = 0; i < SESSION_DEDUP_KEEP * 3; i++)
        big[i] = (char)('a' + i % 23);
    out_dedup_shown(&d, big, SESSION_DEDUP_KEEP * 2);
    out_dedup_shown(&d, big + SESSION_DEDUP_KEEP * 2, 100);
    assert_int_equal(d.len, SESSION_DEDUP_KEEP);
    assert_memory_equal(d.hist + SESSION_DEDUP_KEEP - 100, big + SESSION_DEDUP_KEEP * 2, 100);
    /* replaying the last 1000 bytes then new ones: exactly the 1000 are dropped */
    out_dedup_reconnect(&d);
    const char *tail = big + SESSION_DEDUP_KEEP * 2 + 100 - 1000;
    char *msg = malloc(1010);
    memcpy(msg, tail, 1000);
    memcpy(msg + 1000, "NEWNEWNEW!", 10);
    assert_int_equal(out_dedup_filter(&d, msg, 1010), 1000);
    free(msg);
    free(big);
    out_dedup_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(replay_dropped),
        cmocka_unit_test(new_output_kept),
        cmocka_unit_test(history_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
