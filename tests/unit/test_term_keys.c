/* test_term_keys.c - keys, paste and mouse encoded by libvterm as libs-notes.md measured them,
 * including ncurses key codes and the modified-key codes learned from terminfo. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <locale.h>
#include <cmocka.h>
#include <curses.h>

#include "term_test_util.h"

#define EXPECT(t, call, bytes)                                                                     \
    do {                                                                                           \
        buf_reset(&(t)->out);                                                                      \
        assert_int_equal((call), 0);                                                               \
        assert_int_equal((t)->out.len, sizeof(bytes) - 1);                                         \
        assert_memory_equal((t)->out.data, bytes, sizeof(bytes) - 1);                              \
    } while (0)

static void keys_match_libs_notes(void **state)
{
    (void)state;
    struct tt t;
    tt_new(&t, 24, 80, 0);
    struct term_engine *e = t.e;
    EXPECT(&t, term_engine_send_char(e, 'c', TERM_MOD_CTRL), "\x03");
    EXPECT(&t, term_engine_send_curses(e, 0, 3, 0), "\x03"); /* ncurses gives ^C raw */
    EXPECT(&t, term_engine_send_char(e, 'x', TERM_MOD_ALT), "\x1bx");
    EXPECT(&t, term_engine_send_char(e, 0xe9, 0), "\xc3\xa9");
    EXPECT(&t, term_engine_send_key(e, TERM_KEY_UP, 0), "\x1b[A");
    EXPECT(&t, term_engine_send_curses(e, 1, KEY_UP, 0), "\x1b[A");
    EXPECT(&t, term_engine_send_key(e, TERM_KEY_UP, TERM_MOD_CTRL), "\x1b[1;5A");
    EXPECT(&t, term_engine_send_key(e, TERM_KEY_F0 + 5, 0), "\x1b[15~");
    EXPECT(&t, term_engine_send_curses(e, 1, KEY_F(5), 0), "\x1b[15~");
    EXPECT(&t, term_engine_send_curses(e, 1, KEY_F(1), 0), "\x1bOP");
    EXPECT(&t, term_engine_send_curses(e, 1, KEY_F(12), 0), "\x1b[24~");
    EXPECT(&t, term_engine_send_curses(e, 1, KEY_F(17), 0), "\x1b[15;2~"); /* Shift-F5 */
    EXPECT(&t, term_engine_send_curses(e, 1, KEY_F(29), 0), "\x1b[15;5~"); /* Ctrl-F5 */
    EXPECT(&t, term_engine_send_curses(e, 0, '\r', 0), "\r");
    EXPECT(&t, term_engine_send_curses(e, 0, '\n', 0), "\r");
    EXPECT(&t, term_engine_send_curses(e, 1, KEY_ENTER, 0), "\r");
    EXPECT(&t, term_engine_send_curses(e, 1, KEY_BACKSPACE, 0), "\x7f");
    EXPECT(&t, term_engine_send_curses(e, 0, 0x7f, 0), "\x7f");
    EXPECT(&t, term_engine_send_curses(e, 0, '\t', 0), "\t");
    EXPECT(&t, term_engine_send_curses(e, 1, KEY_BTAB, 0), "\x1b[Z");
    EXPECT(&t, term_engine_send_curses(e, 0, 27, 0), "\x1b");
    EXPECT(&t, term_engine_send_curses(e, 1, KEY_HOME, 0), "\x1b[H");
    EXPECT(&t, term_engine_send_curses(e, 1, KEY_END, 0), "\x1b[F");
    EXPECT(&t, term_engine_send_curses(e, 1, KEY_PPAGE, 0), "\x1b[5~");
    EXPECT(&t, term_engine_send_curses(e, 1, KEY_NPAGE, 0), "\x1b[6~");
    EXPECT(&t, term_engine_send_curses(e, 1, KEY_IC, 0), "\x1b[2~");
    EXPECT(&t, term_engine_send_curses(e, 1, KEY_DC, 0), "\x1b[3~");
    EXPECT(&t, term_engine_send_curses(e, 1, KEY_SR, 0), "\x1b[1;2A");
    EXPECT(&t, term_engine_send_curses(e, 0, 'x', TERM_MOD_ALT), "\x1bx");
    EXPECT(&t, term_engine_send_curses(e, 0, 0x6f22, 0), "\xe6\xbc\xa2");
    buf_reset(&t.out);
    assert_int_equal(term_engine_send_curses(e, 1, KEY_MOUSE, 0), -ENOENT);
    assert_int_equal(t.out.len, 0);
    assert_int_equal(term_engine_send_char(e, 0xd800, 0), -EINVAL);
    /* DECCKM: application cursor keys */
    tt_feed(&t, "\x1b[?1h");
    EXPECT(&t, term_engine_send_key(e, TERM_KEY_UP, 0), "\x1bOA");
    EXPECT(&t, term_engine_send_curses(e, 1, KEY_LEFT, 0), "\x1bOD");
    tt_feed(&t, "\x1b[?1l");
    EXPECT(&t, term_engine_send_key(e, TERM_KEY_UP, 0), "\x1b[A");
    tt_free(&t);
}

static void paste_brackets_and_filters(void **state)
{
    (void)state;
    struct tt t;
    tt_new(&t, 24, 80, 0);
    const char text[] = "ls\x1b[201~\x03 -l\nok\t";
    EXPECT(&t, term_engine_send_paste(t.e, text, sizeof text - 1), "ls[201~ -l\rok\t");
    tt_feed(&t, "\x1b[?2004h");
    EXPECT(&t, term_engine_send_paste(t.e, text, sizeof text - 1),
           "\x1b[200~ls[201~ -l\rok\t\x1b[201~");
    tt_free(&t);
}

static void mouse_only_when_enabled(void **state)
{
    (void)state;
    struct tt t;
    tt_new(&t, 24, 80, 0);
    assert_int_equal(term_engine_mouse_mode(t.e), 0);
    assert_int_equal(term_engine_send_mouse(t.e, 3, 4, 1, 1, 0), -ENOTSUP);
    assert_int_equal(t.out.len, 0);
    tt_feed(&t, "\x1b[?1000h\x1b[?1006h");
    assert_int_equal(term_engine_mouse_mode(t.e), 1);
    EXPECT(&t, term_engine_send_mouse(t.e, 3, 4, 1, 1, 0), "\x1b[<0;5;4M");
    EXPECT(&t, term_engine_send_mouse(t.e, 3, 4, 1, 0, 0), "\x1b[<0;5;4m");
    EXPECT(&t, term_engine_send_mouse(t.e, 0, 0, 4, 1, 0), "\x1b[<64;1;1M"); /* wheel up */
    assert_int_equal(term_engine_send_mouse(t.e, 99, 0, 1, 1, 0), -EINVAL);
    tt_free(&t);
}

static void learned_curses_keys(void **state)
{
    (void)state;
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    assert_non_null(out);
    assert_non_null(in);
    SCREEN *scr = newterm("xterm-256color", out, in);
    assert_non_null(scr);
    keypad(stdscr, TRUE);
    struct tt t;
    tt_new(&t, 24, 80, 0);
    term_engine_learn_curses_keys(t.e);
    int up5 = key_defined(tigetstr("kUP5")), dc3 = key_defined(tigetstr("kDC3"));
    assert_true(up5 > 0);
    assert_true(dc3 > 0);
    EXPECT(&t, term_engine_send_curses(t.e, 1, (uint32_t)up5, 0), "\x1b[1;5A");
    EXPECT(&t, term_engine_send_curses(t.e, 1, (uint32_t)dc3, 0), "\x1b[3;3~");
    tt_free(&t);
    endwin();
    delscreen(scr);
    fclose(out);
    fclose(in);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keys_match_libs_notes),
        cmocka_unit_test(paste_brackets_and_filters),
        cmocka_unit_test(mouse_only_when_enabled),
        cmocka_unit_test(learned_curses_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
