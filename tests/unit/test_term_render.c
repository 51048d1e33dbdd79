/* test_term_render.c - cells to ncurses cchar_t rows: characters, wide characters as one
 * entry, attributes, colours mapped down to 256/16/8 and none (NO_COLOR), scrolled-back rows,
 * and the placement ncurses gives the row (drawn into a newterm screen on /dev/null). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <cmocka.h>

#include "term_render.h"
#include "term_test_util.h"

struct pairs {
    int fg[64], bg[64], n;
};

static int record_pair(void *user, int fg, int bg)
{
    struct pairs *p = user;
    if (p->n < 64) {
        p->fg[p->n] = fg;
        p->bg[p->n] = bg;
    }
    return 100 + p->n++;
}

static void cell(const cchar_t *c, wchar_t *wc, attr_t *a, int *pair)
{
    wchar_t buf[CCHARW_MAX + 1];
    short sp;
    int ext = 0;
    assert_int_equal(getcchar(c, buf, a, &sp, &ext), OK);
    *wc = buf[0];
    *pair = ext;
}

static void colours_and_attributes(void **state)
{
    (void)state;
    struct tt t;
    tt_new(&t, 3, 10, 0);
    tt_feed(&t, "\x1b[31mr\x1b[1;91mB\x1b[0;38;2;255;0;0;4mu\x1b[m\x1b[7mv\x1b[m.");
    cchar_t out[11];
    struct pairs p = {{0}, {0}, 0};
    struct term_colour_map map = {TERM_DEPTH_256, record_pair, &p};
    int n = term_render_row(t.e, 0, 0, out, 10, &map);
    assert_int_equal(n, 10);
    wchar_t wc;
    attr_t a;
    int pair;
    cell(&out[0], &wc, &a, &pair);
    assert_int_equal(wc, L'r');
    assert_int_equal(pair, 100);
    assert_int_equal(p.fg[0], 1);
    assert_int_equal(p.bg[0], -1);
    cell(&out[1], &wc, &a, &pair);
    assert_true(a & A_BOLD);
    assert_int_equal(p.fg[1], 9);
    cell(&out[2], &wc, &a, &pair);
    assert_true(a & A_UNDERLINE);
    assert_int_equal(p.fg[2], 196); /* truecolour red -> 256 */
    cell(&out[3], &wc, &a, &pair);
    assert_true(a & A_REVERSE);
    assert_int_equal(pair, 0); /* default colours need no pair */
    cell(&out[9], &wc, &a, &pair);
    assert_int_equal(wc, L' ');
    assert_int_equal(p.n, 3);

    /* 8 colours: bright red becomes red + bold */
    p.n = 0;
    map.depth = TERM_DEPTH_8;
    term_render_row(t.e, 0, 0, out, 10, &map);
    assert_int_equal(p.fg[1], 1);
    cell(&out[1], &wc, &a, &pair);
    assert_true(a & A_BOLD);
    assert_int_equal(p.fg[2], 1);
    /* NO_COLOR: attributes only */
    p.n = 0;
    map.depth = TERM_DEPTH_NONE;
    term_render_row(t.e, 0, 0, out, 10, &map);
    assert_int_equal(p.n, 0);
    cell(&out[2], &wc, &a, &pair);
    assert_int_equal(pair, 0);
    assert_true(a & A_UNDERLINE);
    tt_free(&t);
}

static void colour_arithmetic(void **state)
{
    (void)state;
    assert_int_equal(term_colour_palette(231), 0xffffff);
    assert_int_equal(term_colour_palette(16), 0x000000);
    assert_int_equal(term_colour_palette(244), 0x808080);
    assert_int_equal(term_colour_rgb_to_256(0xff0000), 196);
    assert_int_equal(term_colour_rgb_to_256(0x808080), 244);
    assert_int_equal(term_colour_rgb_to_256(0x5f87af), 67);
    assert_int_equal(term_colour_256_to_16(196), 9);
    assert_int_equal(term_colour_256_to_16(3), 3);
    assert_int_equal(term_colour_256_to_16(16), 0);
    assert_int_equal(term_colour_256_to_16(231), 15);
    int bold = 0;
    assert_int_equal(term_colour_map_down(TERM_COLOUR_INDEXED | 12, TERM_DEPTH_8, &bold), 4);
    assert_int_equal(bold, 1);
    assert_int_equal(term_colour_map_down(TERM_COLOUR_RGB | 0x102030, TERM_DEPTH_TRUE, NULL),
                     0x102030);
    assert_int_equal(term_colour_map_down(TERM_COLOUR_DEFAULT, TERM_DEPTH_256, NULL), -1);
}

static void wide_chars_one_entry(void **state)
{
    (void)state;
    struct tt t;
    tt_new(&t, 3, 10, 0);
    tt_feed(&t, "\xe6\xbc\xa2x\xf0\x9f\x98\x80y");
    cchar_t out[11];
    struct term_colour_map map = {TERM_DEPTH_NONE, NULL, NULL};
    int n = term_render_row(t.e, 0, 0, out, 10, &map);
    /* 漢(2) x(1) 😀(2) y(1) + 4 blanks = 10 columns in 8 entries */
    assert_int_equal(n, 8);
    wchar_t wc;
    attr_t a;
    int pair;
    cell(&out[0], &wc, &a, &pair);
    assert_int_equal(wc, 0x6f22);
    cell(&out[1], &wc, &a, &pair);
    assert_int_equal(wc, L'x');
    cell(&out[2], &wc, &a, &pair);
    assert_int_equal(wc, 0x1f600);
    cell(&out[3], &wc, &a, &pair);
    assert_int_equal(wc, L'y');
    /* cut at 3 columns: the wide character that does not fit becomes one narrow cell */
    n = term_render_row(t.e, 0, 0, out, 3, &map);
    assert_int_equal(n, 2);
    /* narrower view: the second wide character straddles the edge */
    n = term_render_row(t.e, 0, 0, out, 4, &map);
    assert_int_equal(n, 3);
    cell(&out[2], &wc, &a, &pair);
    assert_int_equal(wc, 0xfffd);

    /* what ncurses makes of it: drawn with one call, read back column by column */
    FILE *fo = fopen("/dev/null", "w"), *fi = fopen("/dev/null", "r");
    SCREEN *scr = newterm("xterm-256color", fo, fi);
    assert_non_null(scr);
    n = term_render_row(t.e, 0, 0, out, 10, &map);
    assert_int_equal(mvwadd_wchnstr(stdscr, 0, 0, out, n), OK);
    cchar_t got;
    assert_int_equal(mvwin_wch(stdscr, 0, 0, &got), OK);
    cell(&got, &wc, &a, &pair);
    assert_int_equal(wc, 0x6f22);
    mvwin_wch(stdscr, 0, 2, &got);
    cell(&got, &wc, &a, &pair);
    assert_int_equal(wc, L'x');
    mvwin_wch(stdscr, 0, 3, &got);
    cell(&got, &wc, &a, &pair);
    assert_int_equal(wc, 0x1f600);
    mvwin_wch(stdscr, 0, 5, &got);
    cell(&got, &wc, &a, &pair);
    assert_int_equal(wc, L'y');
    endwin();
    delscreen(scr);
    fclose(fo);
    fclose(fi);
    tt_free(&t);
}

static void scrolled_back_rows(void **state)
{
    (void)state;
    struct tt t;
    tt_new(&t, 3, 10, 0);
    tt_feed(&t, "one\r\ntwo\r\nthree\r\nfour\r\nfive");
    cchar_t out[11];
    struct term_colour_map map = {TERM_DEPTH_NONE, NULL, NULL};
    wchar_t wc;
    attr_t a;
    int pair;
    /* scrolled back by 2: row 0 shows "one", row 2 shows "three" */
    term_render_row(t.e, 0, 2, out, 10, &map);
    cell(&out[0], &wc, &a, &pair);
    assert_int_equal(wc, L'o');
    term_render_row(t.e, 2, 2, out, 10, &map);
    cell(&out[0], &wc, &a, &pair);
    assert_int_equal(wc, L't');
    cell(&out[2], &wc, &a, &pair);
    assert_int_equal(wc, L'r');
    /* beyond the history: blanks */
    int n = term_render_row(t.e, 0, 50, out, 10, &map);
    assert_int_equal(n, 10);
    cell(&out[0], &wc, &a, &pair);
    assert_int_equal(wc, L' ');
    /* DECSCNM reverses every cell */
    tt_feed(&t, "\x1b[?5h");
    term_render_row(t.e, 0, 0, out, 10, &map);
    cell(&out[0], &wc, &a, &pair);
    assert_true(a & A_REVERSE);
    tt_free(&t);
}

/* U+202E and the other bidi controls never reach ncurses: on their own cell (libvterm gives
 * U+2066-U+2069 and U+061C a cell) they become U+FFFD; combined onto a character (U+202A-E,
 * U+200E/F are zero width to libvterm) they are dropped and the character stays. */
static void bidi_controls_not_drawn(void **state)
{
    (void)state;
    struct tt t;
    tt_new(&t, 3, 20, 0);
    tt_feed(&t, "a\xe2\x80\xae"
                "b\xe2\x81\xa6"
                "c\xd8\x9c"
                "d\xe2\x80\x8f"
                "e\xe2\x80\xaa"
                "f");
    cchar_t out[21];
    struct term_colour_map map = {TERM_DEPTH_NONE, NULL, NULL};
    int n = term_render_row(t.e, 0, 0, out, 20, &map);
    int letters = 0;
    for (int i = 0; i < n; i++) {
        wchar_t buf[CCHARW_MAX + 1];
        attr_t a;
        short sp;
        int ext = 0;
        assert_int_equal(getcchar(&out[i], buf, &a, &sp, &ext), OK);
        for (int k = 0; buf[k]; k++) {
            wchar_t w = buf[k];
            assert_false((w >= 0x202a && w <= 0x202e) || (w >= 0x2066 && w <= 0x2069) ||
                         w == 0x200e || w == 0x200f || w == 0x061c);
            if (w >= L'a' && w <= L'f') letters++;
        }
    }
    assert_int_equal(letters, 6);
    tt_free(&t);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(colours_and_attributes),  cmocka_unit_test(colour_arithmetic),
        cmocka_unit_test(wide_chars_one_entry),    cmocka_unit_test(scrolled_back_rows),
        cmocka_unit_test(bidi_controls_not_drawn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
