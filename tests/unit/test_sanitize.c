/* test_sanitize.c - the display sanitizer: escape sequences, C0/C1, bidi, UTF-8 repair, widths. */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "boxtop/sanitize.h"

#define FFFD "\xef\xbf\xbd"

/* Sanitize in[0..len) and compare with want. */
static void check_n(const char *in, size_t len, int flags, const char *want)
{
    struct buf b = BUF_INIT;
    assert_int_equal(sanitize_append(&b, in, len, flags), 0);
    assert_string_equal(buf_cstr(&b), want);
    assert_int_equal(b.len, strlen(want));
    buf_free(&b);
}

static void check(const char *in, int flags, const char *want)
{
    check_n(in, strlen(in), flags, want);
}

static void escape_and_csi(void **state)
{
    (void)state;
    check("a\x1b[31mred\x1b[0m b", 0, "ared b");
    check("\x1b[?1049h\x1b[38;5;196mX\x1b[2J", 0, "X");
    check("x\x1b[1;2 qy", 0, "xy"); /* intermediate byte before the final */
    check("a\x1b(Bb\x1b"
          "7c\x1b"
          "8d\x1b"
          "c",
          0, "abcd");                /* ESC ( B, ESC 7/8, ESC c */
    check("abc\x1b", 0, "abc");      /* ESC at end of input */
    check("abc\x1b[12;3", 0, "abc"); /* CSI cut off at end of input */
    check("a\x1b\x1b[mb", 0, "ab");
}

static void osc_dcs_strings(void **state)
{
    (void)state;
    check("x\x1b]0;evil title\x07y", 0, "xy");                           /* BEL terminated */
    check("x\x1b]8;;http://e.x/\x1b\\link\x1b]8;;\x1b\\y", 0, "xlinky"); /* ST terminated */
    check("x\x1b]52;c;ZXZpbA==", 0, "x");                                /* unterminated */
    check("\x1bPq#0;2;0;0;0#0~~\x1b\\z", 0, "z");                        /* DCS */
    check("\x1b_apc\x1b\\\x1b^pm\x07\x1bXsos\x1b\\k", 0, "k");           /* APC, PM, SOS */
    check("a\x1b]0;t\x1b[31mb", 0, "ab"); /* ESC aborts the string and starts a CSI */
    check("a\x1b]0;\xe2\x80\x9cq\xe2\x80\x9d\x07z", 0, "az"); /* 0x9C inside U+201C is no ST */
}

static void c1_raw_bytes(void **state)
{
    (void)state;
    check("a\x9b"
          "31mb",
          0, "ab"); /* 8-bit CSI */
    check("a\x9d"
          "0;t\x07"
          "b",
          0, "ab"); /* 8-bit OSC, BEL */
    check("a\x9d"
          "0;t\x9c"
          "b",
          0, "ab"); /* 8-bit OSC, 8-bit ST */
    check("a\x90q\x9c"
          "b",
          0, "ab"); /* 8-bit DCS */
    check("a\x85"
          "b\x8d"
          "c\x80",
          0, "abc");
}

static void c1_utf8_encoded(void **state)
{
    (void)state;
    check("a\xc2\x9b"
          "31mb",
          0, "ab");
    check("a\xc2\x9d"
          "0;t\xc2\x9c"
          "b",
          0, "ab");
    check("a\xc2\x9f"
          "apc\x07"
          "b",
          0, "ab");
    check("a\xc2\x85"
          "b\xc2\x80"
          "c\xc2\x9f",
          0, "abc");
    check("\xc2\xa0"
          "nbsp",
          0,
          "\xc2\xa0"
          "nbsp"); /* U+00A0 is not a control */
}

static void c0_controls_and_newlines(void **state)
{
    (void)state;
    check_n("a\0b\x01\x7f\x08\rc\a", 9, 0, "abc");
    check("a\nb\tc\r\n", 0, "a b c ");
    check("ab\tc\nd\te\r\n", SANITIZE_KEEP_NEWLINES, "ab      c\nd       e\n");
    check("\xe6\xbc\xa2\tx", SANITIZE_KEEP_NEWLINES, "\xe6\xbc\xa2      x"); /* 2 columns + 6 */
    check("a\xe2\x80\xa8"
          "b",
          0, "a b"); /* U+2028 */
}

static void bidi_controls(void **state)
{
    (void)state;
    /* RLO, LRI, PDI, RLM, LRE, PDF, FSI, RLI, LRM, ALM: each shown as U+FFFD (issue 25: a
     * file named "U+202E exe.txt" looked exactly like "exe.txt") */
#define R "\xef\xbf\xbd"
    check("a\xe2\x80\xae"
          "b\xe2\x81\xa6"
          "c\xe2\x81\xa9\xe2\x80\x8f"
          "d",
          0, "a" R "b" R "c" R R "d");
    check("\xe2\x80\xaa"
          "1\xe2\x80\xac\xe2\x81\xa8"
          "2\xe2\x81\xa7\xe2\x80\x8e\xd8\x9c"
          "3",
          0, R "1" R R "2" R R R "3");
    check("evil\xe2\x80\xaetxt.exe", 0, "evil" R "txt.exe");
    check("\xe2\x80\xae exe.txt", SANITIZE_ASCII, "? exe.txt");
#undef R
}

static void invalid_and_overlong_utf8(void **state)
{
    (void)state;
    check("a\xff"
          "b\xfe",
          0, "a" FFFD "b" FFFD);
    check("\xc0\xaf", 0, FFFD FFFD);                 /* overlong '/' */
    check("\xc0\x80", 0, FFFD);                      /* overlong NUL: C0 bad, 0x80 a C1 control */
    check("\xe0\x80\xaf", 0, FFFD FFFD);             /* 3-byte overlong '/' */
    check("\xf0\x80\x80\xaf", 0, FFFD FFFD);         /* 4-byte overlong '/' */
    check("\xed\xa0\x80", 0, FFFD FFFD);             /* surrogate U+D800 */
    check("\xf4\x90\x80\x80", 0, FFFD);              /* U+110000 */
    check("\xf5\xbf", 0, FFFD FFFD);                 /* F5 never valid */
    check("\xef\xbf\xbe\xef\xb7\x90", 0, FFFD FFFD); /* noncharacters U+FFFE, U+FDD0 */
    check("a\xe2\x82"
          "b",
          0, "a" FFFD "b"); /* truncated in the middle */
    check("h\xc3\xa9llo \xe6\xbc\xa2 \xf0\x9f\x98\x80", 0,
          "h\xc3\xa9llo \xe6\xbc\xa2 \xf0\x9f\x98\x80");
}

static void truncated_at_end(void **state)
{
    (void)state;
    check("ab\xc3", 0, "ab" FFFD);
    check("ab\xe2\x82", 0, "ab" FFFD);
    check("ab\xf0\x9f\x98", 0, "ab" FFFD);
    check("ab\xf0", 0, "ab" FFFD);
}

static void ascii_mode(void **state)
{
    (void)state;
    check("caf\xc3\xa9\xff \xf0\x9f\x98\x80!", SANITIZE_ASCII, "caf?? ?!");
    check("\x1b[1mbold\xc2\x9b"
          "1m",
          SANITIZE_ASCII, "bold");
}

static void dup_and_append(void **state)
{
    (void)state;
    char *s = sanitize_dup(NULL, 0);
    assert_string_equal(s, "");
    free(s);
    s = sanitize_dup("x\x1b[2Jy", 0);
    assert_string_equal(s, "xy");
    free(s);
    struct buf b = BUF_INIT;
    buf_append_str(&b, "keep:");
    assert_int_equal(sanitize_append(&b, "\x1b]0;t\x07ok", 9, 0), 0);
    assert_string_equal(buf_cstr(&b), "keep:ok");
    buf_free(&b);
}

static void widths(void **state)
{
    (void)state;
    assert_int_equal(sanitize_width("abc", 3), 3);
    assert_int_equal(sanitize_width("\xe6\xbc\xa2\xe5\xad\x97", 6), 4); /* 漢字 */
    assert_int_equal(sanitize_width("\xf0\x9f\x98\x80", 4), 2);         /* 😀 */
    assert_int_equal(sanitize_width("e\xcc\x81", 3), 1);                /* e + U+0301 */
    assert_int_equal(sanitize_width(FFFD "x", 4), 2);
    assert_int_equal(sanitize_width("", 0), 0);
}

static void fit_never_splits(void **state)
{
    (void)state;
    const char *s = "a\xe6\xbc\xa2\xe5\xad\x97"; /* a漢字: widths 1,2,2 */
    int used = -1;
    assert_int_equal(sanitize_fit(s, strlen(s), 0, &used), 0);
    assert_int_equal(used, 0);
    assert_int_equal(sanitize_fit(s, strlen(s), 2, &used), 1); /* 漢 needs 2, only 1 left */
    assert_int_equal(used, 1);
    assert_int_equal(sanitize_fit(s, strlen(s), 3, &used), 4);
    assert_int_equal(used, 3);
    assert_int_equal(sanitize_fit(s, strlen(s), 100, &used), strlen(s));
    assert_int_equal(used, 5);
    const char *e = "\xf0\x9f\x98\x80\xf0\x9f\x98\x80"; /* 😀😀 */
    assert_int_equal(sanitize_fit(e, 8, 3, &used), 4);
    assert_int_equal(used, 2);
    assert_int_equal(sanitize_fit("e\xcc\x81x", 4, 1, &used), 3); /* mark stays with its base */
    assert_int_equal(used, 1);
    assert_int_equal(sanitize_fit("abc", 3, -5, NULL), 0);

    /* Every cut of a mixed string ends on a character boundary and fits. */
    const char *mix = "x\xe6\xbc\xa2y\xf0\x9f\x98\x80\xc3\xa9z\xe5\xad\x97";
    size_t len = strlen(mix);
    for (int cols = 0; cols < 14; cols++) {
        size_t n = sanitize_fit(mix, len, cols, &used);
        assert_true(used <= cols);
        assert_int_equal(sanitize_width(mix, n), used);
        assert_true(n == len || ((unsigned char)mix[n] & 0xC0) != 0x80);
    }
}

int main(void)
{
    if (!setlocale(LC_ALL, "C.UTF-8")) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escape_and_csi),
        cmocka_unit_test(osc_dcs_strings),
        cmocka_unit_test(c1_raw_bytes),
        cmocka_unit_test(c1_utf8_encoded),
        cmocka_unit_test(c0_controls_and_newlines),
        cmocka_unit_test(bidi_controls),
        cmocka_unit_test(invalid_and_overlong_utf8),
        cmocka_unit_test(truncated_at_end),
        cmocka_unit_test(ascii_mode),
        cmocka_unit_test(dup_and_append),
        cmocka_unit_test(widths),
        cmocka_unit_test(fit_never_splits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
