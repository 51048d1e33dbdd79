/* ui_list.c - the skeleton the team list views share (snapshots, volumes): a titled table of
 * columns with a loading / error / empty state, a selection kept in view, and j/k to move it.
 * Columns keep their width where the window is wide enough; in a narrow one those with a min
 * give up width first, so the later columns still show (the last is cut at the edge). The
 * views keep what differs: their rows' cells and their keys. */
#include "config.h"

#include "boxtop/i18n.h"
#include "app.h"

#define UI_LIST_MAXCOLS 16

void ui_cols_fit(const struct ui_col *cols, int n, int wd, int *out)
{
    int need = 1;
    for (int c = 0; c < n; c++) {
        out[c] = cols[c].w;
        need += out[c] + 1;
    }
    for (int c = 0; c < n && need > wd; c++) {
        int give = cols[c].min > 0 ? out[c] - cols[c].min : 0;
        if (give > need - wd) give = need - wd;
        if (give <= 0) continue;
        out[c] -= give;
        need -= give;
    }
}

static void col_widths(const struct ui_list *l, int wd, int *out)
{
    ui_cols_fit(l->cols, l->ncols < UI_LIST_MAXCOLS ? l->ncols : UI_LIST_MAXCOLS, wd, out);
}

int ui_list_frame(struct app *a, WINDOW *w, int h, int wd, const struct ui_list *l)
{
    const struct theme *th = &a->theme;
    int x = ui_text(a, w, 0, 1, wd - 2, l->title, th->attr[ROLE_ACCENT] | A_BOLD);
    if (l->err && l->err[0]) ui_text(a, w, 0, x + 3, wd - x - 4, l->err, th->attr[ROLE_CRIT]);
    if (!l->loaded) {
        ui_text(a, w, 2, 2, wd - 4, l->err && l->err[0] ? l->fail_msg : _("loading…"),
                th->attr[ROLE_DIM]);
        return 0;
    }
    ui_fill(w, 1, 0, wd, th->attr[ROLE_TITLE]);
    int cw[UI_LIST_MAXCOLS], cx = 1;
    col_widths(l, wd, cw);
    for (int c = 0; c < l->ncols && c < UI_LIST_MAXCOLS && cx < wd; c++) {
        ui_text(a, w, 1, cx, cw[c] < wd - cx ? cw[c] : wd - cx, _(l->cols[c].title),
                th->attr[ROLE_TITLE]);
        cx += cw[c] + 1;
    }
    if (!l->n) {
        ui_text(a, w, 3, 2, wd - 4, l->empty_msg, th->attr[ROLE_DIM]);
        return 0;
    }
    if (*l->sel >= l->n) *l->sel = l->n - 1;
    int rows = h - 2 > 0 ? h - 2 : 1;
    if (*l->sel < *l->top) *l->top = *l->sel;
    if (*l->sel >= *l->top + rows) *l->top = *l->sel - rows + 1;
    return rows;
}

void ui_list_row(struct app *a, WINDOW *w, int y, int wd, const struct ui_list *l, int i,
                 const char *const *cells)
{
    const struct theme *th = &a->theme;
    attr_t at = i == *l->sel ? th->attr[ROLE_SELECTED] : th->attr[ROLE_NORMAL];
    if (i == *l->sel) ui_fill(w, y, 0, wd, at);
    int cw[UI_LIST_MAXCOLS], cx = 1;
    col_widths(l, wd, cw);
    for (int c = 0; c < l->ncols && c < UI_LIST_MAXCOLS && cx < wd; c++) {
        ui_text(a, w, y, cx, cw[c] < wd - cx ? cw[c] : wd - cx, cells[c], at);
        cx += cw[c] + 1;
    }
}

int ui_list_move(int ch, int is_key, int *sel, int n)
{
    if ((is_key && ch == KEY_DOWN) || (!is_key && ch == 'j')) {
        if (*sel + 1 < n) (*sel)++;
        return 1;
    }
    if ((is_key && ch == KEY_UP) || (!is_key && ch == 'k')) {
        if (*sel > 0) (*sel)--;
        return 1;
    }
    return 0;
}
