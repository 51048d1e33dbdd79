/* test_term_engine.c - the terminal engine's grid driven by libvterm's state layer: colours,
 * alternate screen, wide and combining characters, scrollback, random bytes, resize, title
 * sanitizing, terminal replies and the per-call byte cap. */
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

static void red_cells(void **state)
{
    (void)state;
    struct tt t;
    assert_non_null(tt_new(&t, 24, 80, 0));
    tt_feed(&t, "\x1b[31mred\x1b[0m\r\n");
    int len;
    const struct term_cell *c = term_engine_line(t.e, 0, &len);
    assert_non_null(c);
    assert_int_equal(len, 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(c[i].ch[0], "red"[i]);
        assert_int_equal(c[i].fg, TERM_COLOUR_INDEXED | 1);
        assert_int_equal(c[i].bg, TERM_COLOUR_DEFAULT);
    }
    assert_int_equal(c[3].ch[0], 0);
    assert_int_equal(c[3].fg, TERM_COLOUR_DEFAULT);
    int r, col, vis;
    term_engine_cursor(t.e, &r, &col, &vis);
    assert_int_equal(r, 1);
    assert_int_equal(col, 0);
    assert_int_equal(vis, 1);
    /* 256-colour, truecolour, attributes */
    tt_feed(&t, "\x1b[1;3;4;7;38;5;200;48;2;1;2;3mX\x1b[m");
    c = term_engine_line(t.e, 1, &len);
    assert_int_equal(c[0].fg, TERM_COLOUR_INDEXED | 200);
    assert_int_equal(c[0].bg, TERM_COLOUR_RGB | 0x010203);
    assert_int_equal(c[0].attrs,
                     TERM_ATTR_BOLD | TERM_ATTR_ITALIC | TERM_ATTR_UNDERLINE | TERM_ATTR_REVERSE);
    assert_true(term_engine_dirty(t.e, 1));
    term_engine_clean(t.e);
    assert_false(term_engine_dirty(t.e, 1));
    /* a coloured erase keeps the background (BCE) */
    tt_feed(&t, "\x1b[44m\x1b[2K\x1b[m");
    c = term_engine_line(t.e, 1, &len);
    assert_int_equal(len, 80);
    assert_int_equal(c[79].bg, TERM_COLOUR_INDEXED | 4);
    assert_int_equal(c[0].ch[0], 0);
    assert_int_equal(term_engine_check(t.e), 0);
    tt_free(&t);
}

/* A full-screen program (?1049h) and a resize of the window under it: the inactive primary
 * screen is resized too (lines pulled from or pushed to the scrollback), and on ?1049l the
 * cursor libvterm restores must move with the lines, or the shell's next prompt overwrites
 * the output above it (seen with top in a sandbox after resizing the tmux window). */
static int row_of(struct tt *t, const char *text, int rows)
{
    for (int r = 0; r < rows; r++)
        if (!strcmp(tt_line(t, r), text)) return r;
    return -1;
}

static void alt_screen_resize_keeps_saved_cursor(void **state)
{
    (void)state;
    struct tt t;
    tt_new(&t, 10, 40, 0);
    for (int i = 1; i <= 15; i++) {
        char l[32];
        snprintf(l, sizeof l, "old %d\r\n", i);
        tt_feed(&t, l);
    }
    tt_feed(&t, "\x1b[H\x1b[2Ja\r\nb\r\nc\r\n");
    tt_feed(&t, "\x1b[?1049h\x1b[Hfull screen");
    assert_int_equal(term_engine_resize(t.e, 14, 40), 0); /* grow: lines come back on top */
    tt_feed(&t, "\x1b[H\x1b[2Jredrawn\x1b[?1049lPROMPT");
    int c = row_of(&t, "c", 14);
    assert_true(c >= 0);
    assert_string_equal(tt_line(&t, c - 1), "b");
    assert_string_equal(tt_line(&t, c + 1), "PROMPT");
    assert_int_equal(term_engine_check(t.e), 0);

    /* shrink under the full-screen program: the lines above the cursor go to the scrollback */
    tt_feed(&t, "\r\nd\r\ne\r\n");
    tt_feed(&t, "\x1b[?1049h\x1b[Hfull screen");
    assert_int_equal(term_engine_resize(t.e, 5, 40), 0);
    tt_feed(&t, "\x1b[?1049lNEXT");
    int e = row_of(&t, "e", 5);
    assert_true(e >= 0);
    assert_string_equal(tt_line(&t, e + 1), "NEXT");
    assert_int_equal(term_engine_check(t.e), 0);

    /* a resize without a full-screen program keeps the cursor under the last line */
    assert_int_equal(term_engine_resize(t.e, 8, 40), 0);
    tt_feed(&t, "\r\nlast");
    assert_string_equal(tt_line(&t, row_of(&t, "NEXT", 8) + 1), "last");
    tt_free(&t);
}

static void alt_screen_restores_primary(void **state)
{
    (void)state;
    struct tt t;
    tt_new(&t, 10, 40, 0);
    tt_feed(&t, "primary 1\r\nprimary 2");
    tt_feed(&t, "\x1b[?1049h");
    assert_int_equal(term_engine_altscreen(t.e), 1);
    assert_string_equal(tt_line(&t, 0), "");
    tt_feed(&t, "\x1b[H\x1b[32malt text");
    for (int i = 0; i < 30; i++)
        tt_feed(&t, "\r\nscroll in alt");
    assert_int_equal(term_engine_history(t.e), 0); /* the alt screen has no scrollback */
    tt_feed(&t, "\x1b[?1049l");
    assert_int_equal(term_engine_altscreen(t.e), 0);
    assert_string_equal(tt_line(&t, 0), "primary 1");
    assert_string_equal(tt_line(&t, 1), "primary 2");
    for (int r = 0; r < 10; r++)
        assert_true(term_engine_dirty(t.e, r));
    int r, c;
    term_engine_cursor(t.e, &r, &c, NULL);
    assert_int_equal(r, 1);
    assert_int_equal(c, 9);
    assert_int_equal(term_engine_check(t.e), 0);
    tt_free(&t);
}

static void wide_and_combining(void **state)
{
    (void)state;
    struct tt t;
    tt_new(&t, 5, 20, 0);
    /* 漢字😀x */
    tt_feed(&t, "\xe6\xbc\xa2\xe5\xad\x97\xf0\x9f\x98\x80x");
    int len;
    const struct term_cell *c = term_engine_line(t.e, 0, &len);
    assert_int_equal(len, 7);
    assert_int_equal(c[0].ch[0], 0x6f22);
    assert_int_equal(c[0].width, 2);
    assert_int_equal(c[1].ch[0], TERM_CH_CONT);
    assert_int_equal(c[2].ch[0], 0x5b57);
    assert_int_equal(c[2].width, 2);
    assert_int_equal(c[4].ch[0], 0x1f600);
    assert_int_equal(c[4].width, 2);
    assert_int_equal(c[5].ch[0], TERM_CH_CONT);
    assert_int_equal(c[6].ch[0], 'x');
    int r, col;
    term_engine_cursor(t.e, &r, &col, NULL);
    assert_int_equal(col, 7);
    /* e + COMBINING ACUTE, then a + two combining marks: they attach to one cell */
    tt_feed(&t, "\r\ne\xcc\x81"
                "a\xcc\x81\xcc\xa3!");
    c = term_engine_line(t.e, 1, &len);
    assert_int_equal(c[0].ch[0], 'e');
    assert_int_equal(c[0].ch[1], 0x301);
    assert_int_equal(c[1].ch[0], 'a');
    assert_int_equal(c[1].ch[1], 0x301);
    assert_int_equal(c[1].ch[2], 0x323);
    assert_int_equal(c[2].ch[0], '!');
    assert_string_equal(tt_line(&t, 1), "e\xcc\x81"
                                        "a\xcc\x81\xcc\xa3!");
    /* overwriting the right half of a wide character blanks its left half */
    tt_feed(&t, "\x1b[1;2Hy");
    c = term_engine_line(t.e, 0, &len);
    assert_int_equal(c[0].ch[0], ' ');
    assert_int_equal(c[1].ch[0], 'y');
    assert_int_equal(term_engine_check(t.e), 0);
    tt_free(&t);
}

static void seq_200000_and_scrollback(void **state)
{
    (void)state;
    struct tt t;
    const int rows = 50;
    tt_new(&t, rows, 200, 0);
    char chunk[8192];
    size_t n = 0;
    for (int i = 1; i <= 200000; i++) {
        n += (size_t)snprintf(chunk + n, sizeof chunk - n, "%d\r\n", i);
        if (n > sizeof chunk - 32 || i == 200000) {
            size_t used;
            assert_int_equal(term_engine_write(t.e, chunk, n, 0, &used), 0);
            assert_int_equal(used, n);
            n = 0;
        }
    }
    assert_string_equal(tt_line(&t, rows - 2), "200000");
    assert_string_equal(tt_line(&t, rows - 1), "");
    assert_string_equal(tt_line(&t, 0), "199952");
    assert_int_equal(term_engine_history(t.e), TERM_SCROLLBACK_DEFAULT);
    assert_int_equal(term_engine_scrolled(t.e), 200000 - (rows - 1));
    /* the previous 10000 lines, newest at -1 */
    for (int k = 1; k <= TERM_SCROLLBACK_DEFAULT; k++) {
        char want[16];
        snprintf(want, sizeof want, "%d", 200000 - (rows - 1) - (k - 1));
        assert_string_equal(tt_line(&t, -k), want);
    }
    int len;
    assert_null(term_engine_line(t.e, -TERM_SCROLLBACK_DEFAULT - 1, &len));
    assert_null(term_engine_line(t.e, rows, &len));
    assert_int_equal(term_engine_check(t.e), 0);
    tt_free(&t);
}

static void scrollback_is_configurable(void **state)
{
    (void)state;
    struct tt t;
    tt_new(&t, 4, 10, 100);
    for (int i = 0; i < 500; i++)
        tt_feed(&t, "line\r\n");
    assert_int_equal(term_engine_history(t.e), 100);
    tt_free(&t);
}

static uint64_t rng_next(uint64_t *s)
{
    /* xorshift64*: fixed seed, reproducible */
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

static void random_bytes_keep_grid_consistent(void **state)
{
    (void)state;
    struct tt t;
    tt_new(&t, 30, 100, 500);
    uint64_t seed = 0x5eed1234abcdull;
    char *data = malloc(1 << 20);
    assert_non_null(data);
    for (size_t i = 0; i < (1 << 20); i += 8) {
        uint64_t v = rng_next(&seed);
        memcpy(data + i, &v, 8);
    }
    size_t off = 0;
    int turns = 0;
    while (off < (1 << 20)) {
        size_t want = 1 + rng_next(&seed) % 8192, used = 0;
        if (want > (1u << 20) - off) want = (1u << 20) - off;
        term_engine_write(t.e, data + off, want, 1 + rng_next(&seed) % 4096, &used);
        assert_true(used > 0 && used <= want);
        off += used;
        if (++turns % 50 == 0)
            term_engine_resize(t.e, 5 + (int)(rng_next(&seed) % 40),
                               10 + (int)(rng_next(&seed) % 150));
        assert_int_equal(term_engine_check(t.e), 0);
    }
    free(data);
    /* still a working terminal: cancel any string, reset, print */
    tt_feed(&t, "\x18\x1b\\\x1b"
                "c"
                "hello");
    assert_string_equal(tt_line(&t, 0), "hello");
    assert_int_equal(term_engine_check(t.e), 0);
    tt_free(&t);
}

static void resize_shrink_grow(void **state)
{
    (void)state;
    struct tt t;
    tt_new(&t, 10, 20, 0);
    for (int i = 1; i <= 10; i++) {
        char s[16];
        snprintf(s, sizeof s, i < 10 ? "L%d\r\n" : "L%d", i);
        tt_feed(&t, s);
    }
    assert_int_equal(term_engine_resize(t.e, 6, 20), 0);
    int rows, cols, r, c;
    term_engine_size(t.e, &rows, &cols);
    assert_int_equal(rows, 6);
    assert_int_equal(term_engine_history(t.e), 4);
    assert_string_equal(tt_line(&t, -1), "L4");
    assert_string_equal(tt_line(&t, 0), "L5");
    assert_string_equal(tt_line(&t, 5), "L10");
    term_engine_cursor(t.e, &r, &c, NULL);
    assert_int_equal(r, 5);
    assert_int_equal(c, 3);
    assert_int_equal(term_engine_check(t.e), 0);
    /* growing pulls the lines back from scrollback */
    assert_int_equal(term_engine_resize(t.e, 10, 20), 0);
    assert_int_equal(term_engine_history(t.e), 0);
    assert_string_equal(tt_line(&t, 0), "L1");
    assert_string_equal(tt_line(&t, 9), "L10");
    term_engine_cursor(t.e, &r, &c, NULL);
    assert_int_equal(r, 9);
    /* narrower: lines are cut, a wide character at the edge is blanked */
    tt_feed(&t, "\x1b[1;1Habcdefghijkl\x1b[2;1Habc\xe6\xbc\xa2");
    assert_int_equal(term_engine_resize(t.e, 10, 4), 0);
    assert_string_equal(tt_line(&t, 0), "abcd");
    assert_string_equal(tt_line(&t, 1), "abc");
    assert_int_equal(term_engine_check(t.e), 0);
    /* shrinking with the cursor at the top keeps the top rows */
    tt_feed(&t, "\x1b[H");
    assert_int_equal(term_engine_resize(t.e, 3, 4), 0);
    assert_string_equal(tt_line(&t, 0), "abcd");
    term_engine_cursor(t.e, &r, &c, NULL);
    assert_int_equal(r, 0);
    /* blank rows under the cursor are dropped before anything else */
    tt_feed(&t, "\x1b[2J\x1b[Hx");
    assert_int_equal(term_engine_resize(t.e, 40, 30), 0);
    int before = term_engine_history(t.e);
    assert_int_equal(term_engine_resize(t.e, 2, 30), 0);
    assert_int_equal(term_engine_history(t.e), before);
    assert_string_equal(tt_line(&t, 0), "x");
    assert_int_equal(term_engine_resize(t.e, 0, 30), -EINVAL);
    assert_int_equal(term_engine_check(t.e), 0);
    tt_free(&t);
}

static void title_is_sanitized(void **state)
{
    (void)state;
    struct tt t;
    tt_new(&t, 5, 20, 0);
    int changed;
    assert_string_equal(term_engine_title(t.e, &changed), "");
    assert_int_equal(changed, 0);
    /* a bidi override, an UTF-8-encoded C1 CSI and an invalid byte in the title */
    tt_feed(&t, "\x1b]0;my\xe2\x80\xae title\xc2\x9b\xff\x07");
    const char *title = term_engine_title(t.e, &changed);
    assert_int_equal(changed, 1);
    assert_null(strstr(title, "\xe2\x80\xae"));
    assert_null(strstr(title, "\xc2\x9b"));
    assert_non_null(strstr(title, "my\xef\xbf\xbd title")); /* the override shown, inert */
    assert_non_null(strstr(title, "\xef\xbf\xbd"));         /* U+FFFD for the bad byte */
    term_engine_title(t.e, &changed);
    assert_int_equal(changed, 0);
    tt_feed(&t, "\x1b]2;second\x1b\\");
    assert_string_equal(term_engine_title(t.e, &changed), "second");
    assert_int_equal(changed, 1);
    tt_feed(&t, "\x07\x07");
    assert_int_equal(term_engine_take_bells(t.e), 2);
    assert_int_equal(term_engine_take_bells(t.e), 0);
    tt_free(&t);
}

static void replies_go_to_output(void **state)
{
    (void)state;
    struct tt t;
    tt_new(&t, 5, 20, 0);
    tt_feed(&t, "\x1b[c");
    assert_int_equal(t.out.len, 7);
    assert_memory_equal(t.out.data, "\x1b[?1;2c", 7);
    buf_reset(&t.out);
    tt_feed(&t, "\x1b[2;4H\x1b[6n");
    assert_string_equal(buf_cstr(&t.out), "\x1b[2;4R");
    tt_free(&t);
}

static void byte_cap_needs_more_turns(void **state)
{
    (void)state;
    struct tt t;
    tt_new(&t, 5, 20, 0);
    char data[10000];
    memset(data, 'a', sizeof data);
    size_t off = 0, used;
    int turns = 0, more;
    do {
        more = term_engine_write(t.e, data + off, sizeof data - off, 4096, &used);
        assert_true(used <= 4096);
        off += used;
        turns++;
    } while (more);
    assert_int_equal(off, sizeof data);
    assert_int_equal(turns, 3);
    /* split escape sequence and UTF-8 across writes */
    tt_feed(&t, "\x1b[H\x1b[2J\x1b[3");
    tt_feed(&t, "1mA\xe6\xbc");
    tt_feed(&t, "\xa2");
    int len;
    const struct term_cell *c = term_engine_line(t.e, 0, &len);
    assert_int_equal(c[0].fg, TERM_COLOUR_INDEXED | 1);
    assert_int_equal(c[1].ch[0], 0x6f22);
    tt_free(&t);
}

static void partial_scroll_regions(void **state)
{
    (void)state;
    struct tt t;
    tt_new(&t, 6, 10, 0);
    tt_feed(&t, "top\r\na\r\nb\r\nc\r\nd\r\nbottom");
    /* region rows 2-5 (1-based): scroll inside it, top and bottom rows stay */
    tt_feed(&t, "\x1b[2;5r\x1b[5;1H\n\n");
    assert_string_equal(tt_line(&t, 0), "top");
    assert_string_equal(tt_line(&t, 1), "c");
    assert_string_equal(tt_line(&t, 2), "d");
    assert_string_equal(tt_line(&t, 3), "");
    assert_string_equal(tt_line(&t, 5), "bottom");
    assert_int_equal(term_engine_history(t.e), 0);
    /* insert characters: a partial-width scroll, done by moverect + erase */
    tt_feed(&t, "\x1b[r\x1b[1;1H\x1b[2K"
                "abcdef\x1b[1;3H\x1b[2@");
    assert_string_equal(tt_line(&t, 0), "ab  cdef");
    tt_feed(&t, "\x1b[1;1H\x1b[3P");
    assert_string_equal(tt_line(&t, 0), " cdef");
    /* reverse index at the top scrolls down */
    tt_feed(&t, "\x1b[1;1H\x1bM");
    assert_string_equal(tt_line(&t, 0), "");
    assert_string_equal(tt_line(&t, 1), " cdef");
    assert_int_equal(term_engine_check(t.e), 0);
    tt_free(&t);
}

/* libvterm 0.1.4 writes CSI arguments past its array (17 colons / 19 semicolons crash it);
 * the engine drops separators beyond 15 so such sequences are harmless. */
static void csi_too_many_params(void **state)
{
    (void)state;
    struct tt t;
    tt_new(&t, 5, 20, 0);
    char seq[1024];
    const char *fill[] = {";", ":", "1;", "38:2:", "?1;", ";", ";"};
    const char *intro[] = {"\x1b[", "\x1b[", "\x1b[", "\x1b[", "\x1b[", "\x1b\x19[", "\x1b\xcd["};
    for (size_t f = 0; f < sizeof fill / sizeof fill[0]; f++) {
        size_t n = (size_t)snprintf(seq, sizeof seq, "%s", intro[f]);
        for (int i = 0; i < 200 && n + 8 < sizeof seq; i++)
            n += (size_t)snprintf(seq + n, sizeof seq - n, "%s", fill[f]);
        snprintf(seq + n, sizeof seq - n, "%s", f == 4 ? "h" : "m");
        /* also split across writes */
        size_t used, half = strlen(seq) / 2;
        term_engine_write(t.e, seq, half, 0, &used);
        term_engine_write(t.e, seq + half, strlen(seq) - half, 0, &used);
        assert_int_equal(term_engine_check(t.e), 0);
    }
    /* 15 separators still reach libvterm: the last parameter (31 = red) applies */
    tt_feed(&t, "\x1b[m\x1b[H\x1b[2J\x1b[0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;31mR");
    int len;
    const struct term_cell *c = term_engine_line(t.e, 0, &len);
    assert_int_equal(c[0].ch[0], 'R');
    assert_int_equal(c[0].fg, TERM_COLOUR_INDEXED | 1);
    tt_free(&t);
}

/* An OSC cut by a bare ESC at the end of a write made libvterm 0.1.4 read past the buffer
 * (ASan finds it; neovim#30084 is the same parser path in later versions). */
static void malformed_osc(void **state)
{
    (void)state;
    struct tt t;
    tt_new(&t, 5, 40, 0);
    tt_feed(&t, "\x1b]8;;http://example.com\x1b\\This is a link\x1b]8;;\x1b\r\n");
    tt_feed(&t, "\x1b]0;abc\x1b");
    tt_feed(&t, "\\next");
    assert_string_equal(tt_line(&t, 0), "This is a link");
    assert_int_equal(term_engine_check(t.e), 0);
    tt_free(&t);
}

/* A scroll region larger than the screen after a resize crashed libvterm 0.1.4 (negative
 * memmove in its scroll); the engine resets the region on resize and keeps the cursor. */
static void resize_with_scroll_region(void **state)
{
    (void)state;
    struct tt t;
    tt_new(&t, 7, 11, 0);
    tt_feed(&t, "a\r\nb\r\nc\r\nd\x1b[3;5r\x1b[5;1H");
    assert_int_equal(term_engine_resize(t.e, 1, 1), 0);
    tt_feed(&t, "x\r\ny\r\nz\n\n\x1bM\x1bM");
    assert_int_equal(term_engine_check(t.e), 0);
    assert_int_equal(term_engine_resize(t.e, 6, 10), 0);
    tt_feed(&t, "\x1b[2;4H");
    assert_int_equal(term_engine_resize(t.e, 8, 12), 0);
    int r, c;
    term_engine_cursor(t.e, &r, &c, NULL);
    assert_int_equal(c, 3);
    tt_feed(&t, "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\nend");
    /* the whole screen scrolls again (the region was reset) */
    assert_string_equal(tt_line(&t, 7), "end");
    assert_int_equal(term_engine_check(t.e), 0);
    tt_free(&t);
}

/* REP (CSI n b) hung libvterm 0.1.4 when the last character was zero-width or none had been
 * printed; the engine emulates it as xterm does. */
static void rep_repeats_and_never_hangs(void **state)
{
    (void)state;
    struct tt t;
    tt_new(&t, 5, 20, 0);
    tt_feed(&t, "\x1b[b\x1b[5;1\r\nb"); /* nothing printed yet: ignored */
    assert_string_equal(tt_line(&t, 0), "");
    tt_feed(&t, "\x1b[H\x1b[2Jx\x1b[3b|");
    assert_string_equal(tt_line(&t, 0), "xxxx|");
    tt_feed(&t, "\r\n\xe2\x80\x8b\x1b[2b\xcc\x81\x1b[b");
    tt_feed(&t, "\r\na\xcc\x81\x1b[2b");
    assert_string_equal(tt_line(&t, 2), "a\xcc\x81"
                                        "a\xcc\x81"
                                        "a\xcc\x81");
    tt_feed(&t, "\r\n\xe6\xbc\xa2\x1b[b");
    assert_string_equal(tt_line(&t, 3), "\xe6\xbc\xa2\xe6\xbc\xa2");
    tt_feed(&t, "\x1b[H\x1b[2J-\x1b[99999b"); /* bounded by the screen size */
    assert_string_equal(tt_line(&t, 0), "--------------------");
    tt_feed(&t, "\x1b[H\x1b[2Jy\x1b[?5b\x1b[ b"); /* not REP: ignored */
    assert_string_equal(tt_line(&t, 0), "y");
    assert_int_equal(term_engine_check(t.e), 0);
    tt_free(&t);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(red_cells),
        cmocka_unit_test(alt_screen_restores_primary),
        cmocka_unit_test(alt_screen_resize_keeps_saved_cursor),
        cmocka_unit_test(wide_and_combining),
        cmocka_unit_test(seq_200000_and_scrollback),
        cmocka_unit_test(scrollback_is_configurable),
        cmocka_unit_test(random_bytes_keep_grid_consistent),
        cmocka_unit_test(resize_shrink_grow),
        cmocka_unit_test(title_is_sanitized),
        cmocka_unit_test(replies_go_to_output),
        cmocka_unit_test(byte_cap_needs_more_turns),
        cmocka_unit_test(partial_scroll_regions),
        cmocka_unit_test(csi_too_many_params),
        cmocka_unit_test(malformed_osc),
        cmocka_unit_test(resize_with_scroll_region),
        cmocka_unit_test(rep_repeats_and_never_hangs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
