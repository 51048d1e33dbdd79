/* test_term_text.c - copy mode: line text across screen and scrollback, search in both
 * directions, selections with wide characters, sanitizing of what leaves the engine. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <errno.h>
#include <cmocka.h>

#include "term_test_util.h"

static void fill(struct tt *t)
{
    /* 5 rows: lines 1..12 scroll 7 of them into scrollback */
    tt_new(t, 5, 30, 0);
    for (int i = 1; i <= 12; i++) {
        char s[64];
        snprintf(s, sizeof s, "%sline %d%s", i == 1 ? "" : "\r\n", i,
                 i == 3 ? " needle here needle" : "");
        tt_feed(t, s);
    }
}

static void line_text_screen_and_scrollback(void **state)
{
    (void)state;
    struct tt t;
    fill(&t);
    assert_int_equal(term_engine_history(t.e), 7);
    assert_string_equal(tt_line(&t, -7), "line 1");
    assert_string_equal(tt_line(&t, -5), "line 3 needle here needle");
    assert_string_equal(tt_line(&t, -1), "line 7");
    assert_string_equal(tt_line(&t, 0), "line 8");
    assert_string_equal(tt_line(&t, 4), "line 12");
    struct buf b = BUF_INIT;
    assert_int_equal(term_engine_line_text(t.e, -8, &b), -ERANGE);
    assert_int_equal(term_engine_line_text(t.e, 5, &b), -ERANGE);
    buf_free(&b);
    tt_free(&t);
}

static void search_both_ways(void **state)
{
    (void)state;
    struct tt t;
    fill(&t);
    struct term_pos f;
    /* backwards from the bottom finds the last match first */
    assert_int_equal(term_engine_search(t.e, "needle", (struct term_pos){4, 30}, 1, &f), 1);
    assert_int_equal(f.line, -5);
    assert_int_equal(f.col, 19);
    assert_int_equal(term_engine_search(t.e, "needle", f, 1, &f), 1);
    assert_int_equal(f.line, -5);
    assert_int_equal(f.col, 7);
    assert_int_equal(term_engine_search(t.e, "needle", f, 1, &f), 0);
    /* forwards from the top */
    assert_int_equal(term_engine_search(t.e, "needle", (struct term_pos){-100, 0}, 0, &f), 1);
    assert_int_equal(f.line, -5);
    assert_int_equal(f.col, 7);
    assert_int_equal(term_engine_search(t.e, "needle", f, 0, &f), 1);
    assert_int_equal(f.col, 19);
    assert_int_equal(term_engine_search(t.e, "line 12", f, 0, &f), 1);
    assert_int_equal(f.line, 4);
    assert_int_equal(term_engine_search(t.e, "absent", f, 0, &f), 0);
    assert_int_equal(term_engine_search(t.e, "", f, 0, &f), 0);
    tt_free(&t);
}

static void search_wide_columns(void **state)
{
    (void)state;
    struct tt t;
    tt_new(&t, 3, 30, 0);
    tt_feed(&t, "\xe6\xbc\xa2\xe5\xad\x97 ok"); /* 漢字 ok: "ok" starts at column 5 */
    struct term_pos f;
    assert_int_equal(term_engine_search(t.e, "ok", (struct term_pos){0, -1}, 0, &f), 1);
    assert_int_equal(f.line, 0);
    assert_int_equal(f.col, 5);
    assert_int_equal(term_engine_search(t.e, "\xe5\xad\x97", (struct term_pos){0, -1}, 0, &f), 1);
    assert_int_equal(f.col, 2);
    tt_free(&t);
}

static void selection_to_text(void **state)
{
    (void)state;
    struct tt t;
    fill(&t);
    struct buf b = BUF_INIT;
    /* from "3 needle" in scrollback to "line 8" on screen, given in reverse order */
    assert_int_equal(
        term_engine_selection_text(t.e, (struct term_pos){0, 3}, (struct term_pos){-5, 5}, &b), 0);
    assert_string_equal(buf_cstr(&b), "3 needle here needle\nline 4\nline 5\nline 6\nline 7\nline");
    buf_reset(&b);
    /* a selection starting on the right half of a wide character takes all of it */
    struct tt w;
    tt_new(&w, 3, 30, 0);
    tt_feed(&w, "a\xe6\xbc\xa2"
                "b   \r\n\xe2\x80\xae"
                "evil");
    assert_int_equal(
        term_engine_selection_text(w.e, (struct term_pos){0, 2}, (struct term_pos){1, 10}, &b), 0);
    /* the bidi override on line 1 does not reach the clipboard */
    assert_string_equal(buf_cstr(&b), "\xe6\xbc\xa2"
                                      "b\nevil");
    buf_free(&b);
    tt_free(&w);
    tt_free(&t);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(line_text_screen_and_scrollback),
        cmocka_unit_test(search_both_ways),
        cmocka_unit_test(search_wide_columns),
        cmocka_unit_test(selection_to_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
