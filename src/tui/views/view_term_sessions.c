/* view_term_sessions.c - the sessions list (:sessions, prefix s): every shell this boxtop opened,
 * grouped by sandbox, attached or detached. Enter shows an attached one or reattaches a
 * detached one (its screen kept up to date meanwhile, session.h); x closes. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/i18n.h"
#include "../app.h"
#include "../session.h"
#include "term.h"

struct sessview {
    struct view base;
    int sel, top;
    void (*show)(struct app *a, struct session *s); /* Enter: the terminal view's */
};

static int count(struct app *a)
{
    return a->sessions ? session_mgr_count(a->sessions) : 0;
}

/* Rows in display order: by sandbox, then by opening order (stable). */
static int order(struct app *a, struct session **out, int max)
{
    int n = count(a), k = 0;
    for (int i = 0; i < n && k < max; i++) {
        struct session *s = session_mgr_at(a->sessions, i);
        int seen = 0;
        for (int j = 0; j < k; j++)
            if (!strcmp(session_sandbox(out[j]), session_sandbox(s))) seen = 1;
        if (seen) continue;
        for (int j = i; j < n && k < max; j++) {
            struct session *t = session_mgr_at(a->sessions, j);
            if (!strcmp(session_sandbox(t), session_sandbox(s))) out[k++] = t;
        }
    }
    return k;
}

static void ss_draw(struct view *vv, struct app *a, WINDOW *w, int h, int wd)
{
    struct sessview *v = (struct sessview *)vv;
    const struct theme *th = &a->theme;
    struct session *list[256];
    int n = order(a, list, 256);
    if (v->sel >= n) v->sel = n ? n - 1 : 0;
    char title[96];
    snprintf(title, sizeof(title), _("Sessions (%d)"), n);
    static const struct ui_col cols[] = {{N_("SANDBOX"), 24, 12},
                                         {N_("PID"), 8, 0},
                                         {N_("STATE"), 13, 0},
                                         {N_("HISTORY"), 9, 0},
                                         {N_("NOTE"), 20, 0}};
    /* the frame (title, header, empty state) of the other lists; the rows are drawn here:
     * a detached shell is dimmed and NOTE takes the rest of the row */
    struct ui_list l = {title, "",      "",     _("no shells yet: press s on a sandbox"), 1, n, 5,
                        cols,  &v->sel, &v->top};
    int rows = ui_list_frame(a, w, h, wd, &l);
    int cw[5];
    ui_cols_fit(cols, 5, wd, cw);
    for (int i = v->top; i < n && i - v->top < rows; i++) {
        struct session *s = list[i];
        int y = i - v->top + 2;
        char f[3][48];
        if (session_pid(s)) /* 0: none (a recorded terminal) */
            snprintf(f[0], sizeof f[0], "%u", (unsigned)session_pid(s));
        else
            snprintf(f[0], sizeof f[0], "-");
        if (session_state(s) == SESSION_EXITED)
            snprintf(f[1], sizeof f[1], _("exit %d"), session_exit_code(s));
        else
            snprintf(f[1], sizeof f[1], "%s", session_state_name(session_state(s)));
        snprintf(f[2], sizeof f[2], "%d", term_engine_history(session_engine(s)));
        const char *cell[5] = {session_sandbox(s), f[0], f[1], f[2], session_notice(s)};
        attr_t at = i == v->sel                            ? th->attr[ROLE_SELECTED]
                    : session_state(s) == SESSION_DETACHED ? th->attr[ROLE_DIM]
                                                           : th->attr[ROLE_NORMAL];
        ui_fill(w, y, 0, wd, at);
        for (int c = 0, cx = 1; c < 5 && cx < wd - 1; cx += cw[c] + 1, c++)
            ui_text(a, w, y, cx, c == 4 || cw[c] > wd - 1 - cx ? wd - 1 - cx : cw[c], cell[c], at);
    }
}

static struct session *selected(struct sessview *v, struct app *a)
{
    struct session *rows[256];
    int n = order(a, rows, 256);
    return v->sel < n ? rows[v->sel] : NULL;
}

static void close_confirmed(struct app *a, void *ud)
{
    struct sessview *v = ud;
    struct session *s = selected(v, a);
    if (s) session_close(s);
    app_dirty(a, DIRTY_MAIN);
}

static int ss_key(struct view *vv, struct app *a, int ch, int is_key)
{
    struct sessview *v = (struct sessview *)vv;
    int n = count(a);
    if ((!is_key && ch == 'j') || (is_key && ch == KEY_DOWN)) {
        if (v->sel < n - 1) v->sel++;
    } else if ((!is_key && ch == 'k') || (is_key && ch == KEY_UP)) {
        if (v->sel > 0) v->sel--;
    } else if ((!is_key && (ch == '\r' || ch == '\n')) || (is_key && ch == KEY_ENTER)) {
        struct session *s = selected(v, a);
        if (!s) return 1;
        if (session_detached(s)) {
            struct error err = {0};
            /* the size is fixed by the terminal view when it shows the session */
            int rows, cols;
            term_engine_size(session_engine(s), &rows, &cols);
            if (session_reattach(s, rows, cols, &err)) {
                app_status_detail(a, STATUS_ERROR, err.detail, "%s", err.msg);
                return 1;
            }
        }
        void (*show)(struct app *, struct session *) = v->show;
        app_pop_view(a); /* v is freed here */
        if (show) show(a, s);
        return 1;
    } else if (!is_key && ch == 'x') {
        if (selected(v, a))
            app_confirm(a, _("Kill this shell and forget its scrollback?"), close_confirmed, v);
    } else {
        return 0;
    }
    app_dirty(a, DIRTY_MAIN);
    return 1;
}

static const char *ss_footer(struct view *v)
{
    (void)v;
    return _("j/k move  Enter attach/reattach  x kill  Esc back");
}

static void ss_destroy(struct view *v)
{
    free(v);
}

static const struct view_ops sessions_ops = {
    .name = "sessions",
    .draw = ss_draw,
    .key = ss_key,
    .footer = ss_footer,
    .destroy = ss_destroy,
};

struct view *view_sessions_new(struct app *a, void (*show)(struct app *a, struct session *s))
{
    (void)a;
    struct sessview *v = calloc(1, sizeof(*v));
    if (!v) return NULL;
    v->base.ops = &sessions_ops;
    v->show = show;
    return &v->base;
}
