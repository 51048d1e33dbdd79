/* app_run.c - terminal set-up and tear-down around the loop: curses in cbreak/nodelay mode,
 * stdin watched by the loop, SIGWINCH/SIGTERM/SIGINT/SIGQUIT/SIGHUP/SIGCONT delivered through
 * the loop's signalfd (a quit by signal is a clean exit with status 128+N), crash handlers that
 * restore the terminal, and exactly one endwin(). */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "boxtop/i18n.h"
#include "app.h"
#include "model_json.h"
#include "changes_track.h"
#include "expiry.h"
#include "messages.h"
#include "postmortem_track.h"
#include "app_paste.h"
#include "term_restore.h"

void app_layout(struct app *a);                                  /* app.c */
void app_draw(struct app *a);                                    /* app.c */
void app_on_stdin(struct loop *l, int fd, int events, void *ud); /* app_input.c */

static void before_sleep(struct loop *l, void *ud)
{
    (void)l;
    struct app *a = ud;
    /* not for terminal output alone (DIRTY_FRAME): ends move with the model and the clock */
    if (a->dirty & (DIRTY_HEADER | DIRTY_MAIN | DIRTY_STATUS | DIRTY_TICK)) expiry_frame(a);
    app_draw(a);
}

/* Ctrl-Z outside a terminal tab: what ncurses' own SIGTSTP handler does (leave curses mode,
 * stop; SIGCONT redraws), and bracketed paste off, so the shell gets a terminal as it was.
 * The loop blocks SIGTSTP for its signalfd: the stop is the default action of a SIGTSTP
 * raised with it unblocked for that moment; execution goes on right there after fg, so paste
 * mode comes back on and the frame is redrawn here (SIGCONT alone only redraws: after an
 * outside SIGSTOP nothing turned the mode off). */
static void suspend(struct app *a)
{
    endwin();
    app_paste_mode(0);
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, SIGTSTP);
    signal(SIGTSTP, SIG_DFL);
    raise(SIGTSTP);                       /* pending while blocked */
    sigprocmask(SIG_UNBLOCK, &one, NULL); /* stops here until SIGCONT */
    sigprocmask(SIG_BLOCK, &one, NULL);
    app_paste_mode(1);
    app_dirty(a, DIRTY_ALL | DIRTY_CLEAR);
}

static void on_signal(struct loop *l, int signo, void *ud)
{
    (void)l;
    struct app *a = ud;
    switch (signo) {
    case SIGWINCH: {
        struct winsize ws;
        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
            resizeterm(ws.ws_row, ws.ws_col);
        /* resizeterm touched stdscr (all of it when shrinking, the new rows and columns when
         * growing): the next get_wch() would refresh it and paint blanks over the header,
         * tab bar and footer drawn below, which nothing redraws until they change. */
        wnoutrefresh(stdscr);
        app_layout(a);
        break;
    }
    case SIGTSTP:
        suspend(a);
        break;
    case SIGCONT:
        app_dirty(a, DIRTY_ALL | DIRTY_CLEAR);
        break;
    default: /* SIGINT, SIGQUIT, SIGTERM, SIGHUP: a clean exit (terminal, started boxtopd) */
        a->exit_code = 128 + signo;
        app_quit(a);
    }
}

static void on_backend_event(void *ud, enum backend_event ev, const char *msg)
{
    struct app *a = ud;
    switch (ev) {
    case BACKEND_MODEL_CHANGED:
        /* app_draw() notices the generation change and tells the views */
        app_dirty(a, DIRTY_HEADER);
        break;
    case BACKEND_SAMPLES:
        /* no sandbox came or went: the views' rows stay valid and are drawn as they are (a
         * sorted table takes new samples into its order with the next poll round) */
        app_samples_changed(a);
        break;
    case BACKEND_DEMAND: {
        app_sync_model(a); /* the views' rows point into the model: current ones first */
        struct view *top = app_top(a);
        if (top && top->ops->demand) top->ops->demand(top, a);
        break;
    }
    case BACKEND_ACTION_OK:
        app_status(a, STATUS_INFO, "%s", msg);
        break;
    case BACKEND_ACTION_FAILED:
        app_status_detail(a, STATUS_ERROR, a->be->detail, "%s", msg);
        break;
    case BACKEND_OFFLINE:
        a->offline = 1;
        a->retry_at = a->be->retry_at;
        a->retry_kind = a->be->retry_kind;
        app_status_detail(a, STATUS_ERROR, a->be->detail, "%s", msg);
        a->status_retry = 1; /* it counts down to the next try */
        app_dirty(a, DIRTY_HEADER | DIRTY_MAIN);
        app_clock_check(a);
        break;
    case BACKEND_RETRY:
        a->retry_at = a->be->retry_at;
        a->retry_kind = a->be->retry_kind;
        app_dirty(a, DIRTY_HEADER | DIRTY_STATUS);
        app_clock_check(a);
        break;
    case BACKEND_ONLINE:
        a->offline = 0;
        a->retry_at = 0;
        app_status(a, STATUS_INFO, "%s", msg && msg[0] ? msg : _("backend is back"));
        app_dirty(a, DIRTY_HEADER | DIRTY_MAIN);
        break;
    }
}

int app_run(struct app *a)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, _("boxtop: the interactive view needs a terminal (try boxtop ls)\n"));
        return 1;
    }
    const char *flog = getenv("BOXTOP_FRAME_LOG"); /* bench/list; see app.c */
    a->frame_log =
        flog && flog[0] ? open(flog, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600) : -1;
    term_restore_install(STDOUT_FILENO);
    if (!initscr()) {
        term_restore_uninstall();
        if (a->frame_log >= 0) close(a->frame_log);
        fprintf(stderr, _("boxtop: cannot initialise the terminal\n"));
        return 1;
    }
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    /* ncurses otherwise polls stdin every few lines of an update and flushes before each poll:
     * a frame went out as hundreds of tiny writes. Input is read by the loop anyway. */
    typeahead(-1);
    /* Long enough that a mouse or key sequence delivered in pieces (tmux writes key by key;
     * a loaded machine) is not read as a lone Esc; vim's ttimeoutlen is the same. */
    set_escdelay(100);
    curs_set(0);
    mouseinterval(0);
    mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    theme_init(&a->theme, a->no_color, a->theme_id);
    /* ncurses 6.4 flushes its output at every cursor move until the first endwin() (its mvcur
     * checks for "never ended"): a frame went out as one write per changed line. One
     * endwin() + update before the first frame makes a frame one write (checked with strace:
     * 762 writes in 10 s at 10 000 sandboxes became 15). */
    endwin();
    /* get_wch() reads through stdscr and first refreshes it while it is touched (it is after
     * initscr): that painted a blank stdscr over the footer on the first key press. */
    wnoutrefresh(stdscr);
    doupdate();
    app_paste_init(a);
    app_paste_mode(1);
    input_init(&a->prompt);
    input_init(&a->cmd_hist);

    a->be->on_event = on_backend_event;
    a->be->ud = a;
    loop_fd_add(a->loop, STDIN_FILENO, LOOP_READ, app_on_stdin, a);
    int sigs[] = {SIGWINCH, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGCONT, SIGTSTP};
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        loop_signal_add(a->loop, sigs[i], on_signal, a);
    loop_set_before_sleep(a->loop, before_sleep, a);

    app_layout(a);
    a->pm = pm_track_new(a, view_postmortem_new);
    app_push_view(a, view_sandboxes_new(a));
    /* the first frame goes out before any response: the table shows "loading" */
    app_draw(a);
    a->be->ops->poll_now(a->be);

    loop_run(a->loop);

    while (a->depth > 0) {
        struct view *v = a->stack[--a->depth];
        v->ops->destroy(v);
    }
    term_sessions_free(a);
    pm_track_free(a->pm);
    expiry_free(a);
    chg_marks_free(a);
    a->pm = NULL;
    if (a->clock_timer) loop_timer_cancel(a->loop, a->clock_timer);
    if (a->samples_timer) loop_timer_cancel(a->loop, a->samples_timer);
    a->samples_timer = 0;
    loop_fd_remove(a->loop, STDIN_FILENO);
    loop_set_before_sleep(a->loop, NULL, NULL);
    WINDOW **ws[] = {&a->w_header, &a->w_main, &a->w_footer, &a->w_status};
    for (size_t i = 0; i < 4; i++)
        if (*ws[i]) delwin(*ws[i]);
    endwin();
    app_paste_mode(0);
    app_paste_free(a);
    term_restore_uninstall();
    if (a->frame_log >= 0) close(a->frame_log);
    a->frame_log = -1;
    input_free(&a->prompt);
    input_free(&a->cmd_hist);
    msg_ring_free(a->msgs);
    free(a->msgs);
    a->msgs = NULL;

    if (a->record_path) {
        struct error err = {0};
        if (model_save_file(&a->model, loop_wall_ms(), a->record_path, &err)) {
            fprintf(stderr, "boxtop: %s\n", err.msg);
            return 1;
        }
    }
    return a->exit_code;
}
