/* table.c - pure state of the table widget (see table.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "boxtop/grow.h"
#include "table.h"

void table_init(struct table *t, struct table_col *cols, int ncols)
{
    memset(t, 0, sizeof(*t));
    t->cols = cols;
    t->ncols = ncols;
    t->sel = -1;
}

void table_free(struct table *t)
{
    free(t->sel_id);
    table_marks_clear(t);
    free(t->marks);
    t->marks = NULL;
    t->capmarks = 0;
    t->sel_id = NULL;
}

void table_layout(struct table *t, int width)
{
    t->width = width;
    int vis[64];
    int nc = t->ncols < 64 ? t->ncols : 64;
    for (int i = 0; i < nc; i++)
        vis[i] = 1;
    /* Drop optional columns, highest hide_prio first, until the minimums fit. */
    for (;;) {
        int need = 0, cnt = 0;
        for (int i = 0; i < nc; i++)
            if (vis[i]) {
                need += t->cols[i].min_w;
                cnt++;
            }
        need += cnt > 0 ? cnt - 1 : 0;
        if (need <= width) break;
        int drop = -1;
        for (int i = 0; i < nc; i++)
            if (vis[i] && t->cols[i].hide_prio > 0 &&
                (drop < 0 || t->cols[i].hide_prio > t->cols[drop].hide_prio))
                drop = i;
        if (drop < 0) break;
        vis[drop] = 0;
    }
    int used = 0, flex = 0, cnt = 0;
    for (int i = 0; i < nc; i++) {
        t->cols[i].w = vis[i] ? t->cols[i].min_w : 0;
        if (vis[i]) {
            used += t->cols[i].w;
            flex += t->cols[i].flex;
            cnt++;
        }
    }
    used += cnt > 0 ? cnt - 1 : 0;
    int spare = width - used;
    /* Hand the spare width out by flex share, respecting max_w; repeat for what max_w freed. */
    while (spare > 0 && flex > 0) {
        int given = 0, nflex = 0;
        for (int i = 0; i < nc && spare - given > 0; i++) {
            struct table_col *c = &t->cols[i];
            if (!c->w || !c->flex || (c->max_w && c->w >= c->max_w)) continue;
            int add = spare * c->flex / flex;
            if (add < 1) add = 1;
            if (add > spare - given) add = spare - given;
            if (c->max_w && c->w + add > c->max_w) add = c->max_w - c->w;
            c->w += add;
            given += add;
            if (!c->max_w || c->w < c->max_w) nflex += c->flex;
        }
        spare -= given;
        if (!given) break;
        flex = nflex;
    }
    int x = 0;
    for (int i = 0; i < nc; i++) {
        t->cols[i].x = x;
        if (t->cols[i].w) {
            if (x + t->cols[i].w > width) t->cols[i].w = width - x > 0 ? width - x : 0;
            x += t->cols[i].w + 1;
        }
    }
}

static void remember_sel(struct table *t)
{
    free(t->sel_id);
    t->sel_id = NULL;
    if (t->sel >= 0 && t->sel < t->nrows && t->ids[t->sel]) t->sel_id = strdup(t->ids[t->sel]);
}

void table_set_rows(struct table *t, const char **ids, int n)
{
    t->ids = ids;
    t->nrows = n;
    int found = -1;
    /* usually the selected sandbox has not moved: no scan through 10 000 ids then */
    if (t->sel_id && t->sel >= 0 && t->sel < n && ids[t->sel] && !strcmp(ids[t->sel], t->sel_id))
        found = t->sel;
    else if (t->sel_id)
        for (int i = 0; i < n; i++)
            if (ids[i] && !strcmp(ids[i], t->sel_id)) {
                found = i;
                break;
            }
    if (found >= 0) {
        /* keep the row at the same screen line when possible */
        t->top += found - t->sel;
        t->sel = found;
    } else {
        if (t->sel < 0) t->sel = 0;
        if (t->sel >= n) t->sel = n - 1;
        remember_sel(t);
    }
    if (t->top > t->sel) t->top = t->sel;
    if (t->top < 0) t->top = 0;
}

void table_select(struct table *t, int row)
{
    if (t->nrows == 0) {
        t->sel = -1;
        remember_sel(t);
        return;
    }
    if (row < 0) row = 0;
    if (row >= t->nrows) row = t->nrows - 1;
    t->sel = row;
    remember_sel(t);
}

void table_move(struct table *t, int delta)
{
    table_select(t, (t->sel < 0 ? 0 : t->sel) + delta);
}

void table_scroll(struct table *t, int height)
{
    if (height < 1) height = 1;
    if (t->sel < t->top) t->top = t->sel;
    if (t->sel >= t->top + height) t->top = t->sel - height + 1;
    if (t->top > t->nrows - height) t->top = t->nrows - height;
    if (t->top < 0) t->top = 0;
}

const char *table_selected_id(const struct table *t)
{
    return t->sel >= 0 && t->sel < t->nrows ? t->ids[t->sel] : NULL;
}

int table_is_marked(const struct table *t, const char *id)
{
    for (int i = 0; i < t->nmarks; i++)
        if (!strcmp(t->marks[i], id)) return 1;
    return 0;
}

int table_mark_toggle(struct table *t, const char *id)
{
    for (int i = 0; i < t->nmarks; i++)
        if (!strcmp(t->marks[i], id)) {
            free(t->marks[i]);
            t->marks[i] = t->marks[--t->nmarks];
            return 0;
        }
    return table_mark_add(t, id);
}

void table_marks_clear(struct table *t)
{
    for (int i = 0; i < t->nmarks; i++)
        free(t->marks[i]);
    t->nmarks = 0;
}

void table_marks_prune(struct table *t, const char *const *all_ids, int n)
{
    for (int i = 0; i < t->nmarks;) {
        int alive = 0;
        for (int j = 0; j < n && !alive; j++)
            alive = !strcmp(all_ids[j], t->marks[i]);
        if (alive) {
            i++;
        } else {
            free(t->marks[i]);
            t->marks[i] = t->marks[--t->nmarks];
        }
    }
}

void table_marks_prune_by(struct table *t, int (*alive)(const char *id, void *ud), void *ud)
{
    for (int i = 0; i < t->nmarks;) {
        if (alive(t->marks[i], ud)) {
            i++;
        } else {
            free(t->marks[i]);
            t->marks[i] = t->marks[--t->nmarks];
        }
    }
}

int table_mark_add(struct table *t, const char *id)
{
    if (GROW_INT(t->marks, t->capmarks, t->nmarks + 1) < 0) return -1;
    if (!(t->marks[t->nmarks] = strdup(id))) return -1;
    t->nmarks++;
    return 1;
}

int table_col_at(const struct table *t, int x)
{
    for (int i = 0; i < t->ncols; i++)
        if (t->cols[i].w && x >= t->cols[i].x && x < t->cols[i].x + t->cols[i].w + 1) return i;
    return -1;
}

void table_sort_by(struct table *t, int col)
{
    if (col < 0 || col >= t->ncols) return;
    if (t->sort_col == col)
        t->reverse = !t->reverse;
    else {
        t->sort_col = col;
        t->reverse = 0;
    }
}
