/* app.c - the frame: view stack, dirty tracking, the window layout and the once-per-loop-turn
 * redraw (main and footer here; the header, the status line, the prompt, the help and confirm
 * boxes in app_header.c, app_status.c, app_prompt.c, app_help.c, app_confirm.c; the clock in
 * app_clock.c). Design
 * notes in app.h. */
#include "config.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "boxtop/i18n.h"
#include "app.h"
#include "app_frame.h"
#include "term_restore.h"

void app_push_view(struct app *a, struct view *v)
{
    if (!v) return;
    if (a->depth == VIEW_STACK_MAX) {
        v->ops->destroy(v);
        app_status(a, STATUS_WARN, _("too many views open; press Esc to go back"));
        return;
    }
    a->stack[a->depth++] = v;
    app_dirty(a, DIRTY_ALL);
    app_clock_check(a);
}

void app_pop_view(struct app *a)
{
    if (a->depth <= 1) return;
    struct view *v = a->stack[--a->depth];
    if (a->status_owner == v) app_status_clear(a); /* its messages go with it */
    v->ops->destroy(v);
    app_dirty(a, DIRTY_ALL);
    app_clock_check(a);
}

void app_quit(struct app *a)
{
    a->quit = 1;
    loop_stop(a->loop);
}

int app_refuse_readonly(struct app *a, const char *action)
{
    if (!a->readonly) return 0;
    app_status(a, STATUS_WARN, _("read-only mode (--readonly): %s is not allowed"), action);
    return 1;
}

/* ---- drawing ---------------------------------------------------------------------------- */

static void draw_footer(struct app *a)
{
    WINDOW *w = a->w_footer;
    werase(w);
    ui_fill(w, 0, 0, a->cols, a->theme.attr[ROLE_TITLE]);
    const char *keys;
    struct view *v = app_top(a);
    if (a->mode == MODE_PROMPT && a->prompt_hint[0])
        keys = a->prompt_hint; /* what a Tab could complete to */
    else if (a->mode == MODE_PROMPT)
        keys = _("Enter accept  Esc cancel  Tab complete  ↑/↓ history");
    else if (a->mode == MODE_CONFIRM)
        keys = _("y confirm  n/Esc cancel");
    else if (a->mode == MODE_HELP)
        keys = _("j/k scroll  any other key closes help");
    else
        keys = v && v->ops->footer ? v->ops->footer(v) : "";
    char bound[512]; /* the view's footer with its keys as [keys.VIEW] moved them */
    /* (a terminal rewrites its own: its footer starts with the prefix) */
    if (a->mode == MODE_NORMAL && v && !v->ops->raw_keys &&
        keymap_views_moved(&a->keys, v->ops->name)) {
        keymap_rewrite(&a->keys, v->ops->name, keys, 0, bound, sizeof bound);
        keys = bound;
    }
    attr_t at = a->theme.attr[ROLE_TITLE];
    /* cut: "? help" stays in sight at the right (at 80 columns it was the first to go) */
    const char *help = _("? help");
    char fit[8];
    int room = a->cols - 2, hw = ui_fit(a, help, room, fit, sizeof fit);
    if (a->mode == MODE_NORMAL && v && !(v->ops->raw_keys && v->ops->raw_keys(v)) &&
        ui_fit(a, keys, room + 1, fit, sizeof fit) > room && room > hw + 12) {
        ui_text(a, w, 0, 1, room - hw - 2, keys, at);
        ui_text_right(a, w, 0, 1, room, help, at);
    } else {
        ui_text(a, w, 0, 1, room, keys, at);
    }
    wnoutrefresh(w);
}

static void draw_main(struct app *a)
{
    WINDOW *w = a->w_main;
    int h = a->rows - 4, wd = a->cols;
    werase(w);
    struct view *v = app_top(a);
    if (v) v->ops->draw(v, a, w, h, wd);
    if (a->mode == MODE_HELP)
        app_draw_help(a, w, h, wd);
    else if (a->mode == MODE_CONFIRM)
        app_draw_confirm(a, w, h, wd);
    wnoutrefresh(w);
}

/* A clock-only frame: the view updates its counting cells in place when it can. */
static void draw_tick(struct app *a)
{
    struct view *v = app_top(a);
    if ((a->mode == MODE_NORMAL || a->mode == MODE_PROMPT) && v && v->ops->tick &&
        v->ops->tick(v, a, a->w_main, a->rows - 4, a->cols)) {
        wnoutrefresh(a->w_main);
        return;
    }
    a->dirty |= DIRTY_MAIN; /* the whole main window is drawn again: frame() hooks repaint too */
    draw_main(a);
}

static void draw_too_small(struct app *a)
{
    erase();
    char msg[160];
    snprintf(msg, sizeof(msg), _("boxtop needs at least %dx%d; this terminal is %dx%d"), MIN_COLS,
             MIN_ROWS, a->cols, a->rows);
    char fit[sizeof msg * 2];
    int y = a->rows / 2, len = ui_fit(a, msg, a->cols, fit, sizeof fit); /* columns: centred */
    int x = (a->cols - len) / 2;
    ui_text(a, stdscr, y < 0 ? 0 : y, x < 0 ? 0 : x, a->cols, msg, a->theme.attr[ROLE_WARN]);
    char q[KEYMAP_NAME_MAX], quits[64];
    snprintf(quits, sizeof quits, _("(%s quits)"), keymap_name(&a->keys, KA_QUIT, q, sizeof q));
    ui_text(a, stdscr, y + 1 < a->rows ? y + 1 : 0, 0, a->cols, quits, a->theme.attr[ROLE_DIM]);
    wnoutrefresh(stdscr);
}

void app_layout(struct app *a)
{
    getmaxyx(stdscr, a->rows, a->cols);
    a->too_small = a->rows < MIN_ROWS || a->cols < MIN_COLS;
    WINDOW **ws[] = {&a->w_header, &a->w_main, &a->w_footer, &a->w_status};
    for (size_t i = 0; i < 4; i++)
        if (*ws[i]) {
            delwin(*ws[i]);
            *ws[i] = NULL;
        }
    if (a->too_small) return;
    a->w_header = newwin(2, a->cols, 0, 0);
    a->w_main = newwin(a->rows - 4, a->cols, 2, 0);
    a->w_footer = newwin(1, a->cols, a->rows - 2, 0);
    a->w_status = newwin(1, a->cols, a->rows - 1, 0);
    app_dirty(a, DIRTY_ALL | DIRTY_CLEAR);
}

/* Views cache pointers into the model (sorted rows): rebuild them before anything reads them,
 * i.e. before each frame and before each key (a poll may have removed sandboxes in the same
 * loop turn). */
void app_sync_model(struct app *a)
{
    if (a->model.generation == a->model_gen_seen) return;
    a->model_gen_seen = a->model.generation;
    for (int i = 0; i < a->depth; i++)
        if (a->stack[i]->ops->model_changed) a->stack[i]->ops->model_changed(a->stack[i], a);
    app_dirty(a, DIRTY_MAIN | DIRTY_HEADER);
    app_clock_check(a);
}

/* bench/list measures the time to the first full frame from this: wall clock in µs (the
 * benchmark's start stamp is wall clock too), the sandboxes known and whether the main area was
 * redrawn; tests/hostile measures how fast keys are answered from the keys read so far (the
 * first frame with a higher count answered the key sent). Bounded: a line is ~70 bytes. */
#define FRAME_LOG_MAX 100000
static void frame_log_write(struct app *a, int drew_main)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    char line[128];
    int n = snprintf(line, sizeof(line), "frame %u t_us %lld sandboxes %d main %d keys %u\n",
                     a->frames, (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000, a->model.n,
                     drew_main, a->keys_read);
    if (write(a->frame_log, line, (size_t)n) != n) {
        close(a->frame_log);
        a->frame_log = -1;
    }
}

/* Raw keys while the top view asks for them (a terminal tab), cooked signals elsewhere. */
static void keys_mode(struct app *a)
{
    struct view *v = app_top(a);
    int want = !a->too_small && !a->quit && v && v->ops->raw_keys && v->ops->raw_keys(v);
    if (want == a->raw_keys) return;
    if (term_keys_raw(STDIN_FILENO, want) == 0) {
        a->raw_keys = want;
        def_prog_mode(); /* curses keeps it across endwin()/refresh (suspend, resume) */
    }
}

/* The loop's before-sleep hook: at most one frame per loop turn, only the dirty windows. */
void app_draw(struct app *a)
{
    app_sync_model(a);
    keys_mode(a);
    if (!a->dirty) return;
    int drew_main = !a->too_small && (a->dirty & DIRTY_MAIN);
    if (a->dirty & DIRTY_CLEAR) clearok(curscr, TRUE);
    if (a->too_small) {
        draw_too_small(a);
    } else {
        if (a->dirty & DIRTY_HEADER) app_draw_header(a);
        if (a->dirty & DIRTY_MAIN) {
            draw_main(a);
            app_clock_check(a); /* other rows may be on screen now */
        } else if (a->dirty & DIRTY_TICK) {
            draw_tick(a);
        }
        if (a->dirty & DIRTY_FOOTER) draw_footer(a);
        /* the status line is drawn last so the prompt's cursor ends up there */
        if (a->dirty & (DIRTY_STATUS | DIRTY_MAIN))
            app_draw_status(a);
        else if (a->mode == MODE_PROMPT)
            wnoutrefresh(a->w_status);
    }
    curs_set(a->mode == MODE_PROMPT && !a->too_small ? 1 : 0);
    struct view *tv = app_top(a);
    if (!a->too_small && tv && tv->ops->frame && a->mode != MODE_HELP && a->mode != MODE_CONFIRM)
        tv->ops->frame(tv, a);
    doupdate();
    if (drew_main) a->main_ms = loop_now_ms();
    if (a->frame_log >= 0 && a->frames < FRAME_LOG_MAX) frame_log_write(a, drew_main);
    a->dirty = 0;
    a->frames++;
}
