/* view_term.c - the terminal view (issue 7): tabs of PTY sessions (session.h), each drawn from its
 * engine's dirty rows into a window of its own, at most TERM_FRAME_MS apart (slower while a
 * flood is still queued: intermediate frames are skipped, the drained state is drawn once).
 * Every key goes to the shell except the prefix key (Ctrl-] by default, BOXTOP_PREFIX=C-a
 * changes it), which reaches boxtop: tabs, detach, copy mode (view_term_copy.c), close, graphs
 * split, recording, help. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/i18n.h"
#include "backend_replay.h"
#include "../app.h"
#include "../session.h"
#include "term.h"
#include "term_render.h"
#include "term_view.h"
#include "widgets/spark.h"

#define TERM_FRAME_MS       16  /* ~60 frames a second */
#define TERM_FLOOD_FRAME_MS 250 /* while output is still queued */
#define SPLIT_DEFAULT       44  /* columns of the graphs pane */
#define WHEEL_LINES         3

static const struct view_ops term_ops;

static struct termview *tv_of(struct app *a)
{
    for (int i = 0; i < a->depth; i++)
        if (a->stack[i]->ops == &term_ops) return (struct termview *)a->stack[i];
    return NULL;
}

static int is_tab(struct session *s)
{
    return !session_detached(s);
}

/* ---- frames ----------------------------------------------------------------------------- */

static void on_frame_timer(struct loop *l, void *ud)
{
    (void)l;
    struct termview *v = ud;
    v->frame_timer = 0;
    v->output_frame = 1;
    app_dirty(v->a, DIRTY_FRAME);
}

void termview_want_frame(struct termview *v)
{
    int64_t now = loop_now_ms();
    int gap = v->cur && session_queued(v->cur) ? TERM_FLOOD_FRAME_MS : TERM_FRAME_MS;
    if (now - v->last_frame >= gap) {
        if (v->frame_timer) loop_timer_cancel(v->a->loop, v->frame_timer);
        v->frame_timer = 0;
        v->output_frame = 1;
        app_dirty(v->a, DIRTY_FRAME);
    } else if (!v->frame_timer) {
        v->frame_due = v->last_frame + gap;
        v->frame_timer = loop_timer_add(v->a->loop, gap - (now - v->last_frame), on_frame_timer, v);
    }
}

static void on_output(void *ud, struct session *s)
{
    struct termview *v = ud;
    if (s != v->cur) return;
    /* a view scrolled back stays on the same text while new lines arrive */
    uint64_t sc = term_engine_scrolled(session_engine(s));
    if (v->scroll && sc > v->scrolled_seen) {
        v->scroll += (int)(sc - v->scrolled_seen);
        int hist = term_engine_history(session_engine(s));
        if (v->scroll > hist) v->scroll = hist;
    }
    v->scrolled_seen = sc;
    if (session_queued(s) == 0 && v->frame_timer && v->frame_due > v->last_frame + TERM_FRAME_MS) {
        /* drained while a flood frame was pending: the final state at the normal rate */
        loop_timer_cancel(v->a->loop, v->frame_timer);
        v->frame_timer = 0;
    }
    termview_want_frame(v);
}

static void pick_tab(struct termview *v)
{
    struct session_mgr *m = v->a->sessions;
    for (int i = 0; m && i < session_mgr_count(m); i++)
        if (is_tab(session_mgr_at(m, i))) {
            termview_show(v, session_mgr_at(m, i));
            return;
        }
    v->cur = NULL;
}

static void on_state(void *ud, struct session *s)
{
    struct termview *v = ud;
    struct app *a = v->a;
    enum session_state st = session_state(s);
    if (s == v->cur && session_notice(s)[0]) {
        enum status_level lvl = st == SESSION_ATTACHED || session_notice_is_info(s) ? STATUS_INFO
                                : st == SESSION_FAILED                              ? STATUS_ERROR
                                                                                    : STATUS_WARN;
        app_status(a, lvl, "%s: %s", session_sandbox(s), session_notice(s));
    } else if (s == v->cur && st == SESSION_ATTACHED) {
        app_status(a, STATUS_INFO, _("%s: attached (pid %u)"), session_sandbox(s),
                   (unsigned)session_pid(s));
    }
    if (s == v->cur && session_detached(s)) pick_tab(v);
    v->need_full = 1;
    app_dirty(a, DIRTY_MAIN);
}

/* ---- layout ----------------------------------------------------------------------------- */

static void layout(struct termview *v, int h, int wd)
{
    int ph = h - 1, pw = wd;
    if (v->split) {
        int gw = v->split_w;
        if (gw > wd / 2) gw = wd / 2;
        pw = wd - gw - 1;
    }
    if (ph < 1) ph = 1;
    if (pw < 1) pw = 1;
    if (v->pane && ph == v->ph && pw == v->pw) return;
    if (v->pane) delwin(v->pane);
    v->ph = ph;
    v->pw = pw;
    v->pane = newwin(ph, pw, 3, 0); /* under the header (2) and the tab bar (1) */
    if (v->pane) {
        keypad(v->pane, TRUE);
        leaveok(v->pane, FALSE);
    }
    v->need_full = 1;
    /* every shell follows the pane: Process.Update for each attached one */
    struct session_mgr *m = v->a->sessions;
    for (int i = 0; m && i < session_mgr_count(m); i++)
        if (is_tab(session_mgr_at(m, i))) session_resize(session_mgr_at(m, i), ph, pw);
}

void termview_show(struct termview *v, struct session *s)
{
    v->cur = s;
    v->scroll = 0;
    v->copy.on = 0;
    v->need_full = 1;
    if (s) {
        v->scrolled_seen = term_engine_scrolled(session_engine(s));
        if (v->pane) session_resize(s, v->ph, v->pw);
        if (session_notice(s)[0] && session_state(s) != SESSION_ATTACHED)
            app_status(v->a, session_notice_is_info(s) ? STATUS_INFO : STATUS_WARN, "%s: %s",
                       session_sandbox(s), session_notice(s));
    }
    app_dirty(v->a, DIRTY_MAIN | DIRTY_FOOTER);
}

/* ---- drawing ---------------------------------------------------------------------------- */

#define TAB_LABEL_MAX 40 /* a long title is cut here */
#define TAB_LABEL_MIN 8  /* " 3:i1u6…": the number and the start of the id */
#define TABS_SHOWN    64 /* tabs in the bar at most */

/* One tab's label: its number, sandbox, state and title. */
static void tab_label(struct session *s, int n, char *label, size_t size)
{
    char extra[48] = "";
    enum session_state st = session_state(s);
    if (st == SESSION_EXITED)
        snprintf(extra, sizeof(extra), _(" [exit %d]"), session_exit_code(s));
    else if (st != SESSION_ATTACHED)
        snprintf(extra, sizeof(extra), " [%s]", session_state_name(st));
    if (session_recording(s)) strncat(extra, " REC", sizeof(extra) - strlen(extra) - 1);
    const char *title = term_engine_title(session_engine(s), NULL);
    /* the state before the title: a long title (a shell's "user@host: ~") is what the cap
     * cuts, never "[exit 3]" */
    snprintf(label, size, " %d:%s%s%s%s ", n, session_sandbox(s), extra, title[0] ? " " : "",
             title);
}

/* The widths the tabs get in room columns (a space after each): the widest give way first,
 * down to TAB_LABEL_MIN. Returns 1 when they all fit. */
static int tab_widths(int *wv, int n, int room)
{
    for (;;) {
        int sum = 0, big = -1;
        for (int i = 0; i < n; i++) {
            sum += wv[i] + 1;
            if (wv[i] > TAB_LABEL_MIN && (big < 0 || wv[i] > wv[big])) big = i;
        }
        if (sum <= room) return 1;
        if (big < 0) return 0;
        wv[big]--;
    }
}

static void draw_tabs(struct termview *v, struct app *a, WINDOW *w, int wd)
{
    const struct theme *th = &a->theme;
    ui_fill(w, 0, 0, wd, th->attr[ROLE_TITLE]);
    char right[96];
    if (v->copy.on)
        snprintf(right, sizeof(right), _("COPY %d/%d "), v->scroll,
                 v->cur ? term_engine_history(session_engine(v->cur)) : 0);
    else if (v->prefix_pending)
        snprintf(right, sizeof(right), _("PREFIX (? help) "));
    else if (v->scroll)
        snprintf(right, sizeof(right), _("scrolled %d "), v->scroll);
    else
        snprintf(right, sizeof(right), _("%s ? help "), v->prefix_name);
    struct session *tabs[TABS_SHOWN];
    char labels[TABS_SHOWN][160], fit[8];
    int wv[TABS_SHOWN], n = 0, cur = 0, sum = 0;
    struct session_mgr *m = a->sessions;
    for (int i = 0; m && i < session_mgr_count(m) && n < TABS_SHOWN; i++) {
        struct session *s = session_mgr_at(m, i);
        if (!is_tab(s)) continue;
        tab_label(s, n + 1, labels[n], sizeof labels[n]);
        wv[n] = ui_fit(a, labels[n], TAB_LABEL_MAX, fit, sizeof fit);
        sum += wv[n] + 1;
        if (s == v->cur) cur = n;
        tabs[n++] = s;
    }
    /* the hint on the right: always in copy mode, after the prefix or scrolled (it says
     * what the keys do now), "? help" only while the tabs fit beside it */
    int rw = ui_fit(a, right, wd, fit, sizeof fit);
    int room = wd - rw - 1;
    int hint = v->copy.on || v->prefix_pending || v->scroll || sum <= room;
    if (!hint || room < TAB_LABEL_MIN + 1) {
        room = wd;
        hint = 0;
    }
    int first = 0, last = n; /* tabs [first, last) are drawn */
    if (!tab_widths(wv, n, room)) {
        /* even at their narrowest they do not fit: the ones around the current tab, with
         * '<' and '>' (2 columns each) for the others, as tmux's status line does */
        first = last = cur;
        int used = wv[cur] + 1 + 4;
        while (first > 0 || last + 1 < n) {
            if (last + 1 < n && used + wv[last + 1] + 1 <= room)
                used += wv[++last] + 1;
            else if (first > 0 && used + wv[first - 1] + 1 <= room)
                used += wv[--first] + 1;
            else
                break;
        }
        last++;
    }
    int x = 0;
    if (first > 0) x += ui_text(a, w, 0, x, 2, "< ", th->attr[ROLE_WARN]);
    for (int i = first; i < last && x < wd; i++) {
        attr_t at = tabs[i] == v->cur ? th->attr[ROLE_SELECTED] : th->attr[ROLE_TITLE];
        x += ui_text(a, w, 0, x, wv[i] < wd - x ? wv[i] : wd - x, labels[i], at) + 1;
    }
    if (last < n && x < wd) x += ui_text(a, w, 0, x, 2, " >", th->attr[ROLE_WARN]);
    if (hint && x < wd - rw) ui_text_right(a, w, 0, x, wd - x, right, th->attr[ROLE_WARN]);
}

static void graph(struct app *a, WINDOW *w, int y, int x, int wd, int rows, const struct box *s,
                  int mem, const char *title)
{
    const struct theme *th = &a->theme;
    double vals[MODEL_HISTORY], max = mem ? 1 : 100, cur = 0;
    int n = 0;
    for (int i = 0; s && i < s->hist_len && n < MODEL_HISTORY; i++) {
        const struct sample *p = box_sample_at(s, i);
        vals[n] = mem ? (double)p->mem_used : p->cpu_pct;
        if (mem && (double)p->mem_total > max) max = (double)p->mem_total;
        if (vals[n] > max) max = vals[n];
        cur = vals[n++];
    }
    if (mem && max <= 1 && s && s->memory_mb) max = (double)s->memory_mb * 1024 * 1024;
    char line[128], c[24];
    if (mem)
        ui_fmt_bytes(c, sizeof(c), (int64_t)cur);
    else
        snprintf(c, sizeof(c), "%.0f%%", cur);
    snprintf(line, sizeof(line), "%s %s", title, n ? c : "-");
    ui_text(a, w, y, x, wd, line, th->attr[ROLE_TITLE]);
    int per = th->glyphs == GLYPHS_BRAILLE ? 2 : 1;
    int gw = wd > MODEL_HISTORY / per ? MODEL_HISTORY / per : wd;
    for (int r = 0; r < rows; r++) {
        char buf[1024];
        graph_render_row(vals, n, max, gw, rows, r, th->glyphs, buf, sizeof(buf));
        wattrset(w, th->attr[ROLE_ACCENT]);
        mvwaddstr(w, y + 1 + r, x, buf); /* our glyphs only */
        wattrset(w, A_NORMAL);
    }
}

static void draw_split(struct termview *v, struct app *a, WINDOW *w, int h, int wd)
{
    int x = v->pw + 1, gw = wd - x;
    if (gw < 8) return;
    wattrset(w, a->theme.attr[ROLE_DIM]);
    for (int y = 1; y < h; y++)
        mvwaddstr(w, y, v->pw, a->theme.utf8 ? "\xe2\x94\x82" : "|");
    wattrset(w, A_NORMAL);
    const struct box *s = v->cur ? model_find(&a->model, session_sandbox(v->cur)) : NULL;
    ui_text(a, w, 1, x, gw, v->cur ? session_sandbox(v->cur) : "", a->theme.attr[ROLE_ACCENT]);
    if (!s) {
        ui_text(a, w, 2, x, gw, _("(no metrics for this sandbox)"), a->theme.attr[ROLE_DIM]);
        return;
    }
    int rows = (h - 2) / 2 - 2;
    if (rows < 1) rows = 1;
    if (rows > 12) rows = 12;
    graph(a, w, 2, x, gw, rows, s, 0, _("CPU"));
    graph(a, w, 3 + rows + 1, x, gw, rows, s, 1, _("Memory"));
}

static void term_draw(struct view *vv, struct app *a, WINDOW *w, int h, int wd)
{
    struct termview *v = (struct termview *)vv;
    if (!v->cur) pick_tab(v);
    layout(v, h, wd);
    draw_tabs(v, a, w, wd);
    if (v->split) draw_split(v, a, w, h, wd);
    if (!v->cur)
        ui_text(a, w, 2, 2, wd - 4, _("no open terminals (:sessions lists detached ones)"),
                a->theme.attr[ROLE_DIM]);
}

/* After the frame's windows: the pane's dirty rows, then the cursor. */
static void term_frame(struct view *vv, struct app *a)
{
    struct termview *v = (struct termview *)vv;
    if (!v->pane || !v->cur) {
        if (v->pane && (a->dirty & (DIRTY_MAIN | DIRTY_CLEAR))) {
            werase(v->pane);
            wnoutrefresh(v->pane);
        }
        return;
    }
    struct term_engine *e = session_engine(v->cur);
    int full = v->need_full || v->scroll || v->copy.on || (a->dirty & (DIRTY_MAIN | DIRTY_CLEAR));
    int rows, cols;
    term_engine_size(e, &rows, &cols);
    cchar_t *line = v->line;
    if (v->line_cap < v->pw + 1) {
        free(v->line);
        v->line = calloc((size_t)v->pw + 1, sizeof(cchar_t));
        v->line_cap = v->line ? v->pw + 1 : 0;
        line = v->line;
        if (!line) return;
    }
    for (int r = 0; r < v->ph; r++) {
        if (!full && (r >= rows || !term_engine_dirty(e, r))) continue;
        int n = term_render_row(e, r, v->scroll, line, v->pw, &v->cmap);
        mvwadd_wchnstr(v->pane, r, 0, line, n);
        if (v->copy.on) termcopy_highlight(v, r);
    }
    term_engine_clean(e);
    if (full) touchwin(v->pane);
    v->need_full = 0;
    int cr, cc, vis;
    term_engine_cursor(e, &cr, &cc, &vis);
    if (v->copy.on) {
        cr = v->copy.cur.line + v->scroll;
        cc = v->copy.cur.col;
        vis = 1;
    } else if (v->scroll) {
        cr += v->scroll;
    }
    if (vis && cr >= 0 && cr < v->ph && cc >= 0 && cc < v->pw &&
        session_state(v->cur) != SESSION_EXITED) {
        wmove(v->pane, cr, cc);
        curs_set(1);
    } else {
        curs_set(0);
    }
    wnoutrefresh(v->pane);
    if (a->mode == MODE_PROMPT) { /* the prompt keeps the cursor */
        wnoutrefresh(a->w_status);
        curs_set(1);
    }
    /* only output frames count for the rate: a clock tick just before an echo must not
     * delay that echo */
    if (v->output_frame) v->last_frame = loop_now_ms();
    v->output_frame = 0;
}

/* ---- keys ------------------------------------------------------------------------------- */

static int tab_count(struct app *a, int *cur_idx, struct session *cur, struct session **tabs,
                     int max)
{
    int n = 0;
    struct session_mgr *m = a->sessions;
    for (int i = 0; m && i < session_mgr_count(m); i++) {
        struct session *s = session_mgr_at(m, i);
        if (!is_tab(s)) continue;
        if (s == cur) *cur_idx = n;
        if (n < max) tabs[n] = s;
        n++;
    }
    return n < max ? n : max;
}

static void close_current(struct termview *v)
{
    struct session *s = v->cur;
    if (!s) return;
    v->cur = NULL;
    session_close(s);
    pick_tab(v);
    if (!v->cur)
        app_pop_view(v->a);
    else
        app_dirty(v->a, DIRTY_ALL);
}

static void close_confirmed(struct app *a, void *ud)
{
    (void)ud;
    struct termview *v = tv_of(a);
    if (v) close_current(v);
}

static void toggle_record(struct termview *v)
{
    struct session *s = v->cur;
    struct error err = {0};
    if (!s) return;
    if (session_recording(s)) {
        if (session_record(s, NULL, &err))
            app_status_detail(v->a, STATUS_ERROR, err.detail, "%s", err.msg);
        else
            app_status(v->a, STATUS_INFO, _("recording stopped"));
    } else {
        char path[4096];
        snprintf(path, sizeof(path), "%s/boxtop-%s-%u-%lld.cast",
                 v->a->rec_sessions_dir ? v->a->rec_sessions_dir : ".", session_sandbox(s),
                 (unsigned)session_pid(s), (long long)loop_wall_ms());
        if (session_record(s, path, &err))
            app_status_detail(v->a, STATUS_ERROR, err.detail, "%s", err.msg);
        else
            app_status(v->a, STATUS_INFO, _("recording to %s"), path);
    }
    app_dirty(v->a, DIRTY_MAIN);
}

/* The key after the prefix. Returns 0 for the app's own keys (: and ?), which the app then
 * handles as in every view (its command line has completion and history). */
static int prefix_key(struct termview *v, struct app *a, int ch, int is_key)
{
    struct session *tabs[64];
    int ci = 0, n = tab_count(a, &ci, v->cur, tabs, 64);
    if (is_key) return 1;
    if ((uint32_t)ch == v->prefix) { /* twice: the prefix itself goes to the shell */
        if (v->cur) session_send_curses(v->cur, 0, (uint32_t)ch);
        return 1;
    }
    /* the keys after the prefix as [keys.terminal] binds them */
    if (keymap_translate_view(&a->keys, "terminal", &ch, &is_key) < 0) return 1;
    switch (ch) {
    case 'n':
        if (n) termview_show(v, tabs[(ci + 1) % n]);
        break;
    case 'p':
        if (n) termview_show(v, tabs[(ci + n - 1) % n]);
        break;
    case 'd':
        if (v->cur) {
            struct session *s = v->cur;
            session_detach(s); /* on_state picks the next tab */
            if (!v->cur) app_pop_view(a);
        }
        break;
    case '[':
        if (v->cur) termcopy_enter(v);
        break;
    case 'x':
        if (!v->cur) break;
        if (session_state(v->cur) == SESSION_EXITED || session_state(v->cur) == SESSION_FAILED)
            close_current(v);
        else
            app_confirm(a, _("Close this terminal and kill its shell?"), close_confirmed, NULL);
        break;
    case 'g':
        v->split = !v->split;
        app_dirty(a, DIRTY_MAIN);
        break;
    case '<':
    case '>':
        if (!v->split) v->split = 1;
        v->split_w += ch == '<' ? 4 : -4;
        if (v->split_w < 16) v->split_w = 16;
        if (v->split_w > 100) v->split_w = 100;
        app_dirty(a, DIRTY_MAIN);
        break;
    case 'r':
        toggle_record(v);
        break;
    case 'c':
        if (v->cur) term_open_another_shell(a, session_sandbox(v->cur));
        break;
    case 's':
        app_push_view(a, view_sessions_new(a, term_show_session));
        break;
    case 'q':
    case 27:
        app_pop_view(a); /* the shells stay attached: :sessions or `s` come back */
        break;
    case ':':
    case '?':
        return 0;
    default:
        if (ch >= '1' && ch <= '9') {
            int k = ch - '1';
            if (k < n) termview_show(v, tabs[k]);
        }
        break;
    }
    return 1;
}

static void scroll_by(struct termview *v, int d)
{
    if (!v->cur) return;
    int hist = term_engine_history(session_engine(v->cur));
    v->scroll += d;
    if (v->scroll < 0) v->scroll = 0;
    if (v->scroll > hist) v->scroll = hist;
    v->scrolled_seen = term_engine_scrolled(session_engine(v->cur));
    v->need_full = 1;
    app_dirty(v->a, DIRTY_FRAME | DIRTY_MAIN);
}

static int term_key(struct view *vv, struct app *a, int ch, int is_key)
{
    struct termview *v = (struct termview *)vv;
    if (v->copy.on) {
        termcopy_key(v, ch, is_key);
        return 1;
    }
    if (v->prefix_pending) {
        v->prefix_pending = 0;
        app_dirty(a, DIRTY_MAIN);
        return prefix_key(v, a, ch, is_key);
    }
    if (!is_key && (uint32_t)ch == v->prefix) {
        v->prefix_pending = 1;
        app_dirty(a, DIRTY_MAIN);
        return 1;
    }
    if (is_key && (ch == KEY_SPREVIOUS || ch == KEY_SNEXT)) {
        scroll_by(v, ch == KEY_SPREVIOUS ? v->ph / 2 : -v->ph / 2);
        return 1;
    }
    if (!v->cur) return 0;
    enum session_state st = session_state(v->cur);
    if (st == SESSION_EXITED || st == SESSION_FAILED) {
        if (!is_key && (ch == 'q' || ch == '\r')) close_current(v);
        return 1;
    }
    if (v->scroll) scroll_by(v, -v->scroll);
    if (session_send_curses(v->cur, is_key, (uint32_t)ch) && is_key)
        app_status(a, STATUS_WARN, _("that key has no terminal encoding"));
    return 1;
}

/* A paste goes to the shell as one piece (bracketed if the app inside enabled ?2004); not in
 * copy mode or into a tab whose process ended. */
static void term_paste(struct view *vv, struct app *a, const char *text, size_t len)
{
    struct termview *v = (struct termview *)vv;
    if (v->prefix_pending) {
        v->prefix_pending = 0;
        app_dirty(a, DIRTY_MAIN);
    }
    if (v->copy.on || !v->cur) return;
    enum session_state st = session_state(v->cur);
    if (st == SESSION_EXITED || st == SESSION_FAILED) return;
    if (v->scroll) scroll_by(v, -v->scroll);
    session_send_paste(v->cur, text, len);
}

static int term_mouse(struct view *vv, struct app *a, int y, int x, mmask_t b)
{
    (void)a;
    struct termview *v = (struct termview *)vv;
    if (!v->cur || !(b & (BUTTON4_PRESSED | BUTTON5_PRESSED))) return 0;
    int up = (b & BUTTON4_PRESSED) != 0;
    struct term_engine *e = session_engine(v->cur);
    if (!v->scroll && !v->copy.on && term_engine_mouse_mode(e) && y >= 1 && x < v->pw) {
        term_engine_send_mouse(e, y - 1, x, up ? 4 : 5, 1, 0);
        return 0;
    }
    if (term_engine_altscreen(e) && !v->copy.on) {
        /* like xterm's alternateScroll: the wheel is arrow keys for a full-screen program */
        for (int i = 0; i < WHEEL_LINES; i++)
            session_send_curses(v->cur, 1, up ? KEY_UP : KEY_DOWN);
        return 0;
    }
    scroll_by(v, up ? WHEEL_LINES : -WHEEL_LINES);
    return 0;
}

static const char *term_footer(struct view *vv)
{
    struct termview *v = (struct termview *)vv;
    if (v->copy.on)
        return _("COPY: arrows/hjkl move  PgUp/PgDn  g/G  / search  n/N  v select  y copy  q quit");
    char keys[200];
    keymap_rewrite(&v->a->keys, "terminal",
                   _("n/p/1-9 tab  d detach  [ copy  x close  c new  g graphs  r record  s "
                     "sessions  q back  ? help"),
                   0, keys, sizeof keys);
    snprintf(v->footer, sizeof(v->footer), _("%s then: %s"), v->prefix_name, keys);
    return v->footer;
}

static const struct keyhelp term_help_keys[] = {
    {N_("prefix"), N_("Ctrl-] (BOXTOP_PREFIX=C-a changes it); every other key goes to the shell")},
    {N_("prefix prefix"), N_("send the prefix key itself")},
    {"prefix n / p", N_("next / previous tab")},
    {"prefix 1-9", N_("tab by number")},
    {"prefix d", N_("detach: the shell keeps running (:sessions reattaches)")},
    {"prefix [", N_("copy mode: scroll, / search, v select, y copy (OSC 52)")},
    {"prefix x", N_("close the tab (kills the shell)")},
    {"prefix c", N_("another shell in the same sandbox")},
    {"prefix g", N_("split: CPU and memory graphs beside the terminal (< > resize)")},
    {"prefix r", N_("start/stop recording this session (asciicast v2)")},
    {"prefix s", N_("sessions list (attached and detached shells)")},
    {"prefix q", N_("back to the sandboxes (shells stay attached)")},
    {"prefix :", N_("command line")},
    {"Shift-PgUp/PgDn", N_("scroll back / forward (mouse wheel too)")},
};

static const struct keyhelp *term_help(struct view *vv, int *n)
{
    (void)vv;
    *n = (int)(sizeof(term_help_keys) / sizeof(term_help_keys[0]));
    return term_help_keys;
}

static void term_destroy(struct view *vv)
{
    struct termview *v = (struct termview *)vv;
    if (v->a->sessions) session_mgr_set_hooks(v->a->sessions, NULL);
    if (v->frame_timer) loop_timer_cancel(v->a->loop, v->frame_timer);
    if (v->pane) delwin(v->pane);
    free(v->line);
    free(v);
}

/* The graphs beside the terminal need their sandbox's metrics polled. */
static void term_demand(struct view *vv, struct app *a)
{
    struct termview *v = (struct termview *)vv;
    struct box *s = v->split && v->cur ? model_find(&a->model, session_sandbox(v->cur)) : NULL;
    if (s) model_want(&a->model, s);
}

/* A tab shown: Ctrl-C and friends are the shell's keys (the prefix is the way out). */
static int term_raw_keys(struct view *vv)
{
    return ((struct termview *)vv)->cur != NULL;
}

/* A message belongs to the tab it was said in, or to its copy mode (app.h). */
static const void *term_status_owner(struct view *vv)
{
    struct termview *v = (struct termview *)vv;
    if (v->copy.on) return &v->copy;
    return v->cur ? (const void *)v->cur : (const void *)vv;
}

/* The sandbox of the tab shown (its end brings the post-mortem card). */
static const char *term_sandbox_id(struct view *vv)
{
    struct termview *v = (struct termview *)vv;
    return v->cur ? session_sandbox(v->cur) : NULL;
}

static const struct view_ops term_ops = {
    .name = "terminal",
    .sandbox_id = term_sandbox_id,
    .raw_keys = term_raw_keys,
    .status_owner = term_status_owner,
    .demand = term_demand,
    .draw = term_draw,
    .key = term_key,
    .paste = term_paste,
    .mouse = term_mouse,
    .footer = term_footer,
    .help = term_help,
    .destroy = term_destroy,
    .frame = term_frame,
};

/* ---- entry points ----------------------------------------------------------------------- */

/* BOXTOP_PREFIX: "C-a", "^A", "C-]" (default). */
static uint32_t parse_prefix(const char *s, char *name, size_t nsz)
{
    uint32_t k = 0x1d;
    if (s && (s[0] == '^' || ((s[0] == 'C' || s[0] == 'c') && s[1] == '-'))) {
        const char *p = s + (s[0] == '^' ? 1 : 2);
        int c = toupper((unsigned char)p[0]);
        if (p[0] && !p[1] && c >= '@' && c <= '_') k = (uint32_t)(c - '@');
    }
    snprintf(name, nsz, "Ctrl-%c", (char)(k + '@'));
    return k;
}

static int env_of(void *ud, struct session_env *out)
{
    struct app *a = ud;
    if (!a->be || !a->be->ops->session_env) return -1;
    return a->be->ops->session_env(a->be, out);
}

static struct termview *term_view_get(struct app *a)
{
    struct termview *v = tv_of(a);
    if (v) {
        while (app_top(a) != &v->base)
            app_pop_view(a);
        return v;
    }
    v = calloc(1, sizeof(*v));
    if (!v) return NULL;
    v->base.ops = &term_ops;
    v->a = a;
    v->split_w = SPLIT_DEFAULT;
    v->prefix = parse_prefix(getenv("BOXTOP_PREFIX"), v->prefix_name, sizeof(v->prefix_name));
    v->cmap.depth = a->no_color ? TERM_DEPTH_NONE : term_render_depth();
    struct session_hooks h = {on_output, on_state, v};
    session_mgr_set_hooks(a->sessions, &h);
    app_push_view(a, &v->base);
    if (app_top(a) != &v->base) return NULL; /* the stack was full */
    return v;
}

/* A replay's recorded terminals (backend_replay.h: api.terminals). */
static const cJSON *cast_of(void *ud, const char *sandbox_id)
{
    struct app *a = ud;
    return a->be && !strcmp(a->be->ops->kind, "replay") ? backend_replay_cast(a->be, sandbox_id)
                                                        : NULL;
}

static int ensure_mgr(struct app *a)
{
    if (a->sessions) return 0;
    a->sessions = session_mgr_new(a->loop, env_of, a);
    if (!a->sessions) return -1;
    session_mgr_set_cast_source(a->sessions, cast_of, a);
    if (a->rec_sessions_dir) session_mgr_set_record_dir(a->sessions, a->rec_sessions_dir);
    return 0;
}

void term_show_session(struct app *a, struct session *s)
{
    if (ensure_mgr(a)) return;
    struct termview *v = term_view_get(a);
    if (v) termview_show(v, s);
}

/* The sandbox's open tab (not a detached one, not one that ended), or NULL. */
static struct session *open_tab_of(struct app *a, const char *sandbox_id)
{
    for (int i = 0; a->sessions && i < session_mgr_count(a->sessions); i++) {
        struct session *s = session_mgr_at(a->sessions, i);
        enum session_state st = session_state(s);
        if (is_tab(s) && st != SESSION_EXITED && st != SESSION_FAILED &&
            !strcmp(session_sandbox(s), sandbox_id))
            return s;
    }
    return NULL;
}

/* `s`: a sandbox's shell is one tab; a second one is asked for (prefix c, `O`). */
void term_open_shell(struct app *a, const char *sandbox_id)
{
    if (app_refuse_readonly(a, _("a shell"))) return;
    if (ensure_mgr(a)) return;
    struct session *open = open_tab_of(a, sandbox_id);
    if (open) {
        term_show_session(a, open);
        struct termview *v = tv_of(a);
        app_status(a, STATUS_INFO, _("switched to the open shell of %s (%s c opens another)"),
                   sandbox_id, v ? v->prefix_name : "Ctrl-]");
        return;
    }
    term_open_another_shell(a, sandbox_id);
}

/* A new session's size: the open pane's, else the main window minus the tab bar (the split
 * keeps its width); at least 1x1. */
static void pane_size(struct app *a, int *rows, int *cols)
{
    struct termview *old = tv_of(a);
    *rows = old && old->pane ? old->ph : a->rows - 5;
    *cols = old && old->pane ? old->pw : a->cols;
    if (*rows < 1) *rows = 1;
    if (*cols < 1) *cols = 1;
}

void term_open_another_shell(struct app *a, const char *sandbox_id)
{
    if (app_refuse_readonly(a, _("a shell"))) return;
    if (ensure_mgr(a)) return;
    struct box *b = model_find(&a->model, sandbox_id);
    if (b && b->state == BOX_PAUSED) {
        app_status(a, STATUS_WARN, _("%s is paused: resume it (r) first"), sandbox_id);
        return;
    }
    int rows, cols;
    pane_size(a, &rows, &cols);
    struct error err = {0};
    struct session *s = session_open(a->sessions, sandbox_id, rows, cols, 0, &err);
    if (!s) {
        app_status_detail(a, STATUS_ERROR, err.detail, "%s", err.msg);
        return;
    }
    term_show_session(a, s);
}

void term_attach_pid(struct app *a, const char *sandbox_id, uint32_t pid)
{
    if (app_refuse_readonly(a, _("a shell"))) return;
    if (ensure_mgr(a)) return;
    int rows, cols;
    pane_size(a, &rows, &cols);
    struct error err = {0};
    struct session *s = session_open_pid(a->sessions, sandbox_id, pid, rows, cols, 0, &err);
    if (!s) {
        app_status_detail(a, STATUS_ERROR, err.detail, "%s", err.msg);
        return;
    }
    term_show_session(a, s);
}

void term_sessions_free(struct app *a)
{
    session_mgr_free(a->sessions);
    a->sessions = NULL;
}
