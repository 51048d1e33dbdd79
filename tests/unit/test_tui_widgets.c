/* test_tui_widgets.c - pure widget state: table sizing/selection/marks, the input line,
 * sparkline and graph glyphs. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "boxtop/sanitize.h"
#include "widgets/input.h"
#include "widgets/spark.h"
#include "widgets/table.h"

static void t_table_layout(void **state)
{
    (void)state;
    struct table_col c[3] = {
        {"A", 10, 0, 1, 0, 0, 0, 0}, {"B", 10, 12, 1, 0, 0, 0, 0}, {"C", 20, 0, 0, 0, 1, 0, 0}};
    struct table t;
    table_init(&t, c, 3);
    table_layout(&t, 100);
    /* B stops at max 12, the rest of the spare width goes to A; C keeps its minimum */
    assert_int_equal(c[1].w, 12);
    assert_int_equal(c[2].w, 20);
    assert_int_equal(c[0].w + c[1].w + c[2].w + 2, 100);
    assert_int_equal(c[1].x, c[0].w + 1);
    /* too narrow for all minimums: the column with a hide priority goes */
    table_layout(&t, 30);
    assert_int_equal(c[2].w, 0);
    assert_int_equal(c[0].w + c[1].w + 1, 30);
    assert_int_equal(table_col_at(&t, 0), 0);
    assert_int_equal(table_col_at(&t, c[1].x + 1), 1);
    table_free(&t);
}

static void t_table_selection_follows_id(void **state)
{
    (void)state;
    struct table_col c[1] = {{"ID", 5, 0, 1, 0, 0, 0, 0}};
    struct table t;
    table_init(&t, c, 1);
    const char *r1[] = {"a", "b", "c", "d"};
    table_set_rows(&t, r1, 4);
    assert_int_equal(t.sel, 0);
    table_move(&t, 2);
    assert_string_equal(table_selected_id(&t), "c");
    /* rows reorder: the selection stays on "c" */
    const char *r2[] = {"d", "c", "b", "a"};
    table_set_rows(&t, r2, 4);
    assert_int_equal(t.sel, 1);
    assert_string_equal(table_selected_id(&t), "c");
    /* "c" vanishes: the selection stays at the same index, clamped */
    const char *r3[] = {"d", "b"};
    table_set_rows(&t, r3, 2);
    assert_int_equal(t.sel, 1);
    assert_string_equal(table_selected_id(&t), "b");
    table_move(&t, 10);
    assert_int_equal(t.sel, 1);
    table_move(&t, -10);
    assert_int_equal(t.sel, 0);
    /* scrolling keeps the selection visible */
    const char *many[50];
    char names[50][12];
    for (int i = 0; i < 50; i++) {
        snprintf(names[i], sizeof(names[i]), "%d", i);
        many[i] = names[i];
    }
    table_set_rows(&t, many, 50);
    table_select(&t, 30);
    table_scroll(&t, 10);
    assert_true(t.top <= 30 && 30 < t.top + 10);
    table_select(&t, 2);
    table_scroll(&t, 10);
    assert_int_equal(t.top, 2);
    /* empty table */
    table_set_rows(&t, NULL, 0);
    assert_null(table_selected_id(&t));
    table_free(&t);
}

static int alive_not_gone(const char *id, void *ud)
{
    (void)ud;
    return strcmp(id, "gone") != 0;
}

static void t_table_marks_and_sort(void **state)
{
    (void)state;
    struct table_col c[2] = {{"A", 5, 0, 1, 0, 0, 0, 0}, {"B", 5, 0, 1, 0, 0, 0, 0}};
    struct table t;
    table_init(&t, c, 2);
    assert_int_equal(table_mark_toggle(&t, "x"), 1);
    assert_int_equal(table_mark_toggle(&t, "y"), 1);
    assert_int_equal(table_mark_toggle(&t, "z"), 1);
    assert_int_equal(table_mark_toggle(&t, "y"), 0);
    assert_int_equal(t.nmarks, 2);
    assert_true(table_is_marked(&t, "x"));
    assert_false(table_is_marked(&t, "y"));
    const char *alive[] = {"z", "q"};
    table_marks_prune(&t, alive, 2);
    assert_int_equal(t.nmarks, 1);
    assert_true(table_is_marked(&t, "z"));
    /* pruning through a lookup function */
    table_mark_add(&t, "gone");
    table_mark_add(&t, "q");
    table_marks_prune_by(&t, alive_not_gone, NULL);
    assert_int_equal(t.nmarks, 2);
    assert_false(table_is_marked(&t, "gone"));
    assert_true(table_is_marked(&t, "q"));
    for (int i = 0; i < 100; i++) /* growth */
        table_mark_add(&t, "many");
    assert_int_equal(t.nmarks, 102);
    table_marks_clear(&t);
    table_sort_by(&t, 1);
    assert_int_equal(t.sort_col, 1);
    assert_false(t.reverse);
    table_sort_by(&t, 1);
    assert_true(t.reverse);
    table_sort_by(&t, 0);
    assert_int_equal(t.sort_col, 0);
    assert_false(t.reverse);
    table_free(&t);
}

static void type(struct input *in, const char *s)
{
    while (*s)
        input_key(in, (unsigned char)*s++);
}

static void t_input_editing(void **state)
{
    (void)state;
    struct input in;
    input_init(&in);
    type(&in, "hello world");
    assert_string_equal(in.text, "hello world");
    assert_int_equal(input_key(&in, INPUT_KEY_KILL_WORD), INPUT_CHANGED);
    assert_string_equal(in.text, "hello ");
    input_key(&in, INPUT_KEY_HOME);
    input_key(&in, INPUT_KEY_DELETE);
    assert_string_equal(in.text, "ello ");
    input_key(&in, INPUT_KEY_END);
    input_key(&in, 0x00e9); /* é: two UTF-8 bytes */
    assert_string_equal(in.text, "ello \xc3\xa9");
    int col = -1;
    assert_int_equal(input_scroll(in.text, in.len, in.cur, 20, &col), 0);
    assert_int_equal(col, 6);
    input_key(&in, INPUT_KEY_BACKSPACE); /* removes the whole character */
    assert_string_equal(in.text, "ello ");
    input_key(&in, INPUT_KEY_LEFT);
    input_key(&in, INPUT_KEY_KILL_LINE);
    assert_string_equal(in.text, " ");
    /* control characters are not inserted */
    assert_int_equal(input_key(&in, 7), INPUT_NONE);
    assert_int_equal(input_key(&in, INPUT_KEY_ENTER), INPUT_SUBMIT);
    assert_int_equal(input_key(&in, INPUT_KEY_ESCAPE), INPUT_CANCEL);
    /* the line never overflows */
    input_clear(&in);
    for (int i = 0; i < INPUT_MAX * 2; i++)
        input_key(&in, 'x');
    assert_int_equal(in.len, INPUT_MAX - 1);
    input_free(&in);
}

/* The cursor's column by display width, and scrolling that never cuts a wide character. */
static void t_input_scroll(void **state)
{
    (void)state;
    assert_non_null(setlocale(LC_ALL, "C.UTF-8")); /* widths come from wcwidth */
    int col = -1;
    const char *cjk = "\xe6\xbc\xa2\xe5\xad\x97\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88"
                      "\xf0\x9f\x98\x80"
                      "ab"; /* 漢字テスト😀ab: 14 columns in 21 bytes */
    size_t len = strlen(cjk);
    /* room enough: nothing left out, the cursor after 14 columns (not 8 characters) */
    assert_int_equal(input_scroll(cjk, len, len, 20, &col), 0);
    assert_int_equal(col, 14);
    assert_int_equal(input_scroll(cjk, len, 15, 20, &col), 0); /* before the emoji */
    assert_int_equal(col, 10);
    /* 10 columns: 5 left out, and テ across that edge goes whole (9 bytes, 6 columns) */
    assert_int_equal(input_scroll(cjk, len, len, 10, &col), 9);
    assert_int_equal(col, 8);
    /* a wide character under the cursor at the right edge shows whole */
    assert_int_equal(input_scroll("abc\xe6\xbc\xa2", 6, 3, 4, &col), 1);
    assert_int_equal(col, 2);
    assert_int_equal(input_scroll("", 0, 0, 0, &col), 0); /* no room: still sane */
    assert_int_equal(col, 0);
    /* every cursor position and room: the cursor's cell fits, on a character boundary */
    for (int room = 2; room <= 16; room++)
        for (size_t cur = 0; cur <= len; cur++) {
            if (cur < len && ((unsigned char)cjk[cur] & 0xC0) == 0x80) continue;
            size_t st = input_scroll(cjk, len, cur, room, &col);
            int under = 1;
            if (cur < len) {
                size_t e = cur + 1;
                while (e < len && ((unsigned char)cjk[e] & 0xC0) == 0x80)
                    e++;
                under = sanitize_width(cjk + cur, e - cur);
            }
            assert_true(st <= cur);
            assert_true(st == len || ((unsigned char)cjk[st] & 0xC0) != 0x80);
            assert_int_equal(col, sanitize_width(cjk + st, cur - st));
            assert_true(col + under <= room);
        }
}

static void t_input_history_and_completion(void **state)
{
    (void)state;
    struct input in;
    input_init(&in);
    input_history_add(&in, "sandboxes");
    input_history_add(&in, "logs abc");
    input_history_add(&in, "logs abc"); /* no duplicate */
    assert_int_equal(in.nhist, 2);
    input_key(&in, INPUT_KEY_UP);
    assert_string_equal(in.text, "logs abc");
    input_key(&in, INPUT_KEY_UP);
    assert_string_equal(in.text, "sandboxes");
    input_key(&in, INPUT_KEY_UP); /* at the oldest: stays */
    assert_string_equal(in.text, "sandboxes");
    input_key(&in, INPUT_KEY_DOWN);
    input_key(&in, INPUT_KEY_DOWN);
    assert_string_equal(in.text, "");

    static const char *const cands[] = {"sandboxes", "templates", "team", "events", NULL};
    in.cands = cands;
    type(&in, "t");
    assert_int_equal(input_key(&in, INPUT_KEY_TAB), INPUT_CHANGED);
    assert_string_equal(in.text, "te"); /* common prefix of templates and team */
    type(&in, "m");
    input_key(&in, INPUT_KEY_TAB);
    assert_string_equal(in.text, "templates "); /* unique: completed with a space */
    input_clear(&in);
    type(&in, "zzz");
    assert_int_equal(input_complete(&in, cands), 0);
    assert_string_equal(in.text, "zzz");
    input_free(&in);
}

static void t_spark_levels(void **state)
{
    (void)state;
    assert_int_equal(spark_level(0, 100, 8), 0);
    assert_int_equal(spark_level(-5, 100, 8), 0);
    assert_int_equal(spark_level(0.01, 100, 8), 1); /* tiny activity stays visible */
    assert_int_equal(spark_level(50, 100, 8), 4);
    assert_int_equal(spark_level(100, 100, 8), 8);
    assert_int_equal(spark_level(1000, 100, 8), 8);
    assert_int_equal(spark_level(5, 0, 8), 0);
}

static void t_spark_glyphs(void **state)
{
    (void)state;
    char out[256];
    double v[] = {0, 100, 50, 100};
    /* blocks: one sample per cell, ' ' for zero, █ (U+2588) for full, ▄ (U+2584) for half */
    spark_render(v, 4, 100, 4, GLYPHS_BLOCKS, out, sizeof(out));
    assert_string_equal(out, " \xe2\x96\x88\xe2\x96\x84\xe2\x96\x88");
    /* padding on the left when there are fewer samples than cells */
    spark_render(v + 3, 1, 100, 3, GLYPHS_BLOCKS, out, sizeof(out));
    assert_string_equal(out, "  \xe2\x96\x88");
    /* braille: two samples per cell; (0,100) → right column full = dots 4,5,6,8 = 0xB8 */
    spark_render(v, 2, 100, 1, GLYPHS_BRAILLE, out, sizeof(out));
    assert_string_equal(out, "\xe2\xa2\xb8"); /* U+28B8 */
    /* (100,100) → U+28FF */
    double full[] = {100, 100};
    spark_render(full, 2, 100, 1, GLYPHS_BRAILLE, out, sizeof(out));
    assert_string_equal(out, "\xe2\xa3\xbf");
    /* (50, 0) → left column bottom two dots (7 and 3) = 0x44 */
    double half[] = {50, 0};
    spark_render(half, 2, 100, 1, GLYPHS_BRAILLE, out, sizeof(out));
    assert_string_equal(out, "\xe2\xa1\x84");
    /* ASCII for non-UTF-8 terminals */
    spark_render(v, 4, 100, 4, GLYPHS_ASCII, out, sizeof(out));
    assert_string_equal(out, " #=#"); /* levels " .:-=+*#": 4/8 is = */
    /* never overflows the output */
    char small[5];
    spark_render(full, 2, 100, 10, GLYPHS_BLOCKS, small, sizeof(small));
    assert_true(strlen(small) < sizeof(small));
}

static void t_graph_rows(void **state)
{
    (void)state;
    char out[64];
    double v[] = {100, 25};
    /* 2 rows of blocks (16 levels): 100 fills both rows; 25 = 4/16 fills half of the bottom */
    graph_render_row(v, 2, 100, 2, 2, 0, GLYPHS_BLOCKS, out, sizeof(out));
    assert_string_equal(out, "\xe2\x96\x88 ");
    graph_render_row(v, 2, 100, 2, 2, 1, GLYPHS_BLOCKS, out, sizeof(out));
    assert_string_equal(out, "\xe2\x96\x88\xe2\x96\x84");
    /* braille, 2 rows = 8 dot levels: (100, 25) top row = left column full = 0x47 */
    graph_render_row(v, 2, 100, 1, 2, 0, GLYPHS_BRAILLE, out, sizeof(out));
    assert_string_equal(out, "\xe2\xa1\x87");
    /* bottom row: left full (0x47) + right bottom two dots (0x80|0x20) = 0xE7 */
    graph_render_row(v, 2, 100, 1, 2, 1, GLYPHS_BRAILLE, out, sizeof(out));
    assert_string_equal(out, "\xe2\xa3\xa7");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_table_layout),         cmocka_unit_test(t_table_selection_follows_id),
        cmocka_unit_test(t_table_marks_and_sort), cmocka_unit_test(t_input_editing),
        cmocka_unit_test(t_input_scroll),         cmocka_unit_test(t_input_history_and_completion),
        cmocka_unit_test(t_spark_levels),         cmocka_unit_test(t_spark_glyphs),
        cmocka_unit_test(t_graph_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
