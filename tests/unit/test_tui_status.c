/* test_tui_status.c - the status line's messages and the retry countdown without a terminal
 * (app_status.c, app_clock.c): a message longer than the line's buffer is kept whole for
 * `:messages`, and the line's copy is cut between characters, never inside a UTF-8 sequence;
 * the 1 s clock wakes and redraws only for what changes on screen; the offline message offers
 * R only where R reaches the app; `w`'s save (app_save.c) expands a leading `~` as a shell does. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "boxtop/buf.h"
#include "boxtop/loop.h"
#include "app.h"
#include "app_frame.h"
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

/* A view that counts something every second (a time to live): the clock ticks for it. */
static int64_t every_second(struct view *v, struct app *a)
{
    (void)v;
    (void)a;
    return 0;
}
static void no_destroy(struct view *v)
{
    (void)v;
}
static const struct view_ops ticking_ops = {
    .name = "ticking", .clock_due = every_second, .destroy = no_destroy};

/* Run the loop until the clock's next tick (at most ~1 s away) has marked the frame. */
static void next_tick(struct app *a)
{
    a->dirty = 0;
    for (int i = 0; i < 30 && !(a->dirty & DIRTY_TICK); i++)
        loop_run_once(a->loop, 200);
    assert_true(a->dirty & DIRTY_TICK);
}

/* A message a key cleared (read) needs no wake-up for its expiry any more. */
static void cleared_message_drops_its_wakeup(void **state)
{
    (void)state;
    struct app *a = app_new();
    app_status(a, STATUS_WARN, "the sandbox is paused");
    assert_true(a->clock_timer != 0); /* its expiry, 10 s from now */
    app_status_clear(a);
    assert_int_equal(a->clock_timer, 0);
    app_done(a);
}

/* The countdown shows (header, status line) only while the backend is offline: a retry time
 * left over while online (a poll round that failed once more after the local boxtopd came
 * back) must not tick every second for nothing. */
static void countdown_ticks_only_while_offline(void **state)
{
    (void)state;
    struct app *a = app_new();
    a->retry_at = loop_now_ms() + 5000;
    app_clock_check(a);
    assert_int_equal(a->clock_timer, 0);
    a->offline = 1;
    app_clock_check(a);
    assert_true(a->clock_timer != 0);
    app_done(a);
}

/* Offline, the try under way ("trying again now…"): a view's 1 s ticks redraw the view, not
 * the header and status line whose text stays the same. */
static void countdown_redraws_only_when_it_changes(void **state)
{
    (void)state;
    struct app *a = app_new();
    struct view tv = {&ticking_ops};
    a->stack[0] = &tv;
    a->depth = 1;
    a->offline = 1;
    a->retry_at = loop_now_ms() + 300; /* "in 1 s", then "now…" */
    app_clock_check(a);
    char text[96];
    app_retry_text(a, text, sizeof text);
    assert_string_equal(text, "trying again in 1 s");
    next_tick(a); /* the tick after the try's time: "now…" is drawn */
    while (loop_now_ms() < a->retry_at)
        next_tick(a);
    next_tick(a);
    app_retry_text(a, text, sizeof text);
    assert_string_equal(text, "trying again now…");
    for (int i = 0; i < 2; i++) { /* nothing in them changes now */
        next_tick(a);
        assert_false(a->dirty & (DIRTY_HEADER | DIRTY_STATUS));
    }
    a->retry_at = loop_now_ms() + 2500; /* the next try's time (BACKEND_RETRY) */
    next_tick(a);
    assert_true(a->dirty & DIRTY_HEADER);
    a->depth = 0;
    app_done(a);
}

/* A terminal tab: every key goes to the shell. */
static int raw_on(struct view *v)
{
    (void)v;
    return 1;
}
static const struct view_ops shell_ops = {
    .name = "terminal", .raw_keys = raw_on, .destroy = no_destroy};
static const struct view_ops list_ops = {.name = "sandboxes", .destroy = no_destroy};

/* The status line as drawn (a newterm screen on /dev/null), trailing blanks cut. */
static void status_line(struct app *a, char *out, int n)
{
    werase(a->w_status);
    app_draw_status(a);
    mvwinnstr(a->w_status, 0, 0, out, n - 1);
    for (int i = (int)strlen(out); i > 0 && out[i - 1] == ' '; i--)
        out[i - 1] = '\0';
}

/* "R: now" where R tries the backend, not in a terminal tab where R is typed into the shell. */
static void offline_message_offers_r_only_where_it_works(void **state)
{
    (void)state;
    FILE *fo = fopen("/dev/null", "w"), *fi = fopen("/dev/null", "r");
    SCREEN *scr = newterm("xterm-256color", fo, fi);
    assert_non_null(scr);
    struct app *a = app_new();
    a->cols = 100;
    a->w_status = newwin(1, a->cols, 0, 0);
    struct view shell = {&shell_ops}, list = {&list_ops};
    a->stack[0] = &list;
    a->stack[1] = &shell;
    a->depth = 2;
    a->offline = 1;
    a->retry_at = loop_now_ms() + 4500;
    app_status(a, STATUS_ERROR, "backend unreachable");
    a->status_retry = 1; /* as BACKEND_OFFLINE sets it */
    char line[128];
    status_line(a, line, sizeof line);
    assert_string_equal(line, "backend unreachable  trying again in 5 s");
    assert_false(app_retry_key_works(a));
    a->depth = 1; /* the list, where R tries again */
    app_status(a, STATUS_ERROR, "backend unreachable");
    a->status_retry = 1;
    status_line(a, line, sizeof line);
    assert_string_equal(line, "backend unreachable - trying again in 5 s (R: now)");
    assert_true(app_retry_key_works(a));
    delwin(a->w_status);
    a->depth = 0;
    app_done(a);
    endwin();
    delscreen(scr);
    fclose(fo);
    fclose(fi);
}

/* `w` then "~/x.txt": the file lands in $HOME, the line names where; an unknown ~user is
 * the usual "cannot save" error, nothing written. */
static void save_expands_home(void **state)
{
    (void)state;
    char home[] = "/tmp/test_tui_save.XXXXXX";
    assert_non_null(mkdtemp(home));
    const char *old = getenv("HOME");
    char *keep = old ? strdup(old) : NULL;
    setenv("HOME", home, 1);
    struct app *a = app_new();
    struct buf text = BUF_INIT;
    buf_printf(&text, "one\ntwo\n");
    assert_int_equal(app_save_text(a, "~/x.txt", &text, 2), 0);
    char p[512];
    snprintf(p, sizeof p, "%s/x.txt", home);
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_size, 8);
    char want[600];
    snprintf(want, sizeof want, "2 lines saved to %s", p);
    assert_string_equal(newest(a), want);
    assert_int_equal(unlink(p), 0);
    /* "~" alone is the home directory itself: not a file to write */
    assert_int_equal(app_save_text(a, "~", &text, 2), -1);
    assert_int_equal(app_save_text(a, "~no_such_user_boxtop/x.txt", &text, 2), -1);
    assert_string_equal(newest(a),
                        "cannot save to ~no_such_user_boxtop/x.txt: No such file or directory");
    buf_free(&text);
    app_done(a);
    assert_int_equal(rmdir(home), 0);
    if (keep)
        setenv("HOME", keep, 1);
    else
        unsetenv("HOME");
    free(keep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(long_message_is_kept_whole),
        cmocka_unit_test(line_is_cut_between_characters),
        cmocka_unit_test(cleared_message_drops_its_wakeup),
        cmocka_unit_test(countdown_ticks_only_while_offline),
        cmocka_unit_test(countdown_redraws_only_when_it_changes),
        cmocka_unit_test(offline_message_offers_r_only_where_it_works),
        cmocka_unit_test(save_expands_home),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
