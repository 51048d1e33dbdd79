/* test_tui_status.c - the status line's messages without a terminal (app_status.c): a message
 * longer than the line's buffer is kept whole for `:messages`, and the line's copy is cut
 * between characters, never inside a UTF-8 sequence. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "boxtop/loop.h"
#include "app.h"
#include "messages.h"

static struct app *app_new(void)
{
    struct app *a = calloc(1, sizeof *a);
    assert_non_null(a);
    a->loop = loop_new();
    a->theme.utf8 = 1;
    a->frame_log = -1;
    return a;
}

static void app_done(struct app *a)
{
    if (a->clock_timer) loop_timer_cancel(a->loop, a->clock_timer);
    msg_ring_free(a->msgs);
    free(a->msgs);
    loop_free(a->loop);
    free(a);
}

static const char *newest(const struct app *a)
{
    assert_non_null(a->msgs);
    const struct msg *m = msg_ring_get(a->msgs, a->msgs->n - 1);
    assert_non_null(m);
    return m->text;
}

/* An error built from a long one (a URL, a path): `:messages` promises it whole. */
static void long_message_is_kept_whole(void **state)
{
    (void)state;
    struct app *a = app_new();
    char text[1200];
    for (size_t i = 0; i < sizeof text - 1; i++)
        text[i] = (char)('a' + i % 26);
    text[sizeof text - 1] = '\0';
    app_status(a, STATUS_ERROR, "backend unreachable: %s", text);
    const char *kept = newest(a);
    assert_int_equal(strlen(kept), strlen("backend unreachable: ") + strlen(text));
    assert_string_equal(kept + strlen("backend unreachable: "), text);
    /* the line holds its start, and says the rest is in `:messages` */
    assert_int_equal(strncmp(a->status, "backend unreachable: abc", 24), 0);
    assert_true(a->status_cut);
    app_status(a, STATUS_INFO, "short");
    assert_false(a->status_cut);
    assert_string_equal(newest(a), "short");
    app_done(a);
}

/* The line's buffer ends inside "ä" (2 bytes) or "€" (3): the cut goes before it. */
static void line_is_cut_between_characters(void **state)
{
    (void)state;
    struct app *a = app_new();
    size_t cap = sizeof a->status - 1; /* bytes the line holds */
    const char *wide[] = {"\xc3\xa4", "\xe2\x82\xac", "\xf0\x9f\x98\x80"};
    for (size_t w = 0; w < 3; w++)
        for (size_t back = 1; back < strlen(wide[w]); back++) {
            char text[512];
            size_t pre = cap - back; /* the sequence starts back bytes before the end */
            memset(text, 'x', pre);
            snprintf(text + pre, sizeof text - pre, "%s%s", wide[w], "tail");
            app_status(a, STATUS_WARN, "%s", text);
            assert_int_equal(strlen(a->status), pre);
            assert_int_equal(strspn(a->status, "x"), pre);
            assert_string_equal(newest(a), text);
        }
    /* one that ends exactly at the buffer's end stays */
    char text[512];
    memset(text, 'x', cap - 2);
    snprintf(text + cap - 2, sizeof text - (cap - 2), "\xc3\xa4more");
    app_status(a, STATUS_WARN, "%s", text);
    assert_int_equal(strlen(a->status), cap);
    assert_memory_equal(a->status + cap - 2, "\xc3\xa4", 2);
    app_done(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(long_message_is_kept_whole),
        cmocka_unit_test(line_is_cut_between_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
