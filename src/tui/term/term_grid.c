/* term_grid.c - one screen's cells: put, erase, move, full-width scroll by rotating line
 * structs, resize. Cells after a line's len are all-zero (see term_internal.h), which keeps
 * erasing and scrolling proportional to what is actually on the line. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "term_internal.h"

int term_grid_init(struct term_grid *g, int rows, int cols)
{
    memset(g, 0, sizeof *g);
    g->block = calloc((size_t)rows * (size_t)cols, sizeof *g->block);
    g->lines = calloc((size_t)rows, sizeof *g->lines);
    g->spare = calloc((size_t)rows, sizeof *g->spare);
    g->dirty = calloc((size_t)rows, 1);
    if (!g->block || !g->lines || !g->spare || !g->dirty) {
        term_grid_free(g);
        return -ENOMEM;
    }
    g->rows = rows;
    g->cols = cols;
    for (int r = 0; r < rows; r++)
        g->lines[r].cells = g->block + (size_t)r * (size_t)cols;
    memset(g->dirty, 1, (size_t)rows);
    return 0;
}

void term_grid_free(struct term_grid *g)
{
    free(g->block);
    free(g->lines);
    free(g->spare);
    free(g->dirty);
    memset(g, 0, sizeof *g);
}

void term_grid_dirty_all(struct term_grid *g)
{
    memset(g->dirty, 1, (size_t)g->rows);
}

static void blank_from_pen(struct term_cell *c, const struct term_pen *pen)
{
    memset(c, 0, sizeof *c);
    /* erased cells keep the pen's colours (background colour erase), not its attributes */
    c->fg = pen->fg;
    c->bg = pen->bg;
}

void term_grid_erase(struct term_grid *g, int r0, int r1, int c0, int c1,
                     const struct term_pen *pen, int selective)
{
    if (r0 < 0) r0 = 0;
    if (r1 > g->rows) r1 = g->rows;
    if (c0 < 0) c0 = 0;
    if (c1 > g->cols) c1 = g->cols;
    if (r0 >= r1 || c0 >= c1) return;
    struct term_cell blank;
    blank_from_pen(&blank, pen);
    int zero = term_cell_blank(&blank);
    for (int r = r0; r < r1; r++) {
        struct term_line *l = &g->lines[r];
        g->dirty[r] = 1;
        if (selective) {
            for (int c = c0; c < c1 && c < l->len; c++)
                if (!(l->cells[c].attrs & TERM_ATTR_PROTECTED)) l->cells[c] = blank;
            if (!zero && c1 > l->len) {
                for (int c = l->len > c0 ? l->len : c0; c < c1; c++)
                    l->cells[c] = blank;
                l->len = c1;
            }
            continue;
        }
        if (zero) {
            int end = c1 < l->len ? c1 : l->len;
            if (end > c0) memset(l->cells + c0, 0, (size_t)(end - c0) * sizeof(struct term_cell));
            if (c1 >= l->len && c0 < l->len) l->len = c0;
        } else {
            for (int c = c0; c < c1; c++)
                l->cells[c] = blank;
            if (c1 > l->len) l->len = c1;
        }
    }
}

void term_grid_moverect(struct term_grid *g, VTermRect dest, VTermRect src)
{
    int h = src.end_row - src.start_row, w = src.end_col - src.start_col;
    if (h <= 0 || w <= 0 || dest.start_row < 0 || src.start_row < 0 || dest.start_col < 0 ||
        src.start_col < 0 || dest.start_row + h > g->rows || src.start_row + h > g->rows ||
        dest.start_col + w > g->cols || src.start_col + w > g->cols)
        return;
    /* copy rows in the order that does not overwrite rows still to be read */
    int down = dest.start_row > src.start_row;
    for (int i = 0; i < h; i++) {
        int k = down ? h - 1 - i : i;
        struct term_line *s = &g->lines[src.start_row + k];
        struct term_line *d = &g->lines[dest.start_row + k];
        memmove(d->cells + dest.start_col, s->cells + src.start_col,
                (size_t)w * sizeof(struct term_cell));
        /* conservative: the moved cells may be non-blank (the invariant only needs an upper
         * bound) */
        if (dest.start_col + w > d->len) {
            int need = dest.start_col + w;
            while (need > d->len && need > 0 && term_cell_blank(&d->cells[need - 1]))
                need--;
            if (need > d->len) d->len = need;
        }
        g->dirty[dest.start_row + k] = 1;
    }
}

void term_grid_scroll(struct term_grid *g, int r0, int r1, int n, const struct term_pen *pen,
                      void (*gone)(void *arg, const struct term_line *l, int cols), void *arg)
{
    int h = r1 - r0;
    if (h <= 0 || n == 0) return;
    int k = n > 0 ? n : -n;
    if (k > h) k = h;
    if (n > 0) {
        if (gone)
            for (int i = 0; i < k; i++)
                gone(arg, &g->lines[r0 + i], g->cols);
        memcpy(g->spare, g->lines + r0, (size_t)k * sizeof *g->lines);
        memmove(g->lines + r0, g->lines + r0 + k, (size_t)(h - k) * sizeof *g->lines);
        memcpy(g->lines + r1 - k, g->spare, (size_t)k * sizeof *g->lines);
        term_grid_erase(g, r1 - k, r1, 0, g->cols, pen, 0);
    } else {
        memcpy(g->spare, g->lines + r1 - k, (size_t)k * sizeof *g->lines);
        memmove(g->lines + r0 + k, g->lines + r0, (size_t)(h - k) * sizeof *g->lines);
        memcpy(g->lines + r0, g->spare, (size_t)k * sizeof *g->lines);
        term_grid_erase(g, r0, r0 + k, 0, g->cols, pen, 0);
    }
    memset(g->dirty + r0, 1, (size_t)h);
}

void term_grid_put(struct term_grid *g, int row, int col, const uint32_t *chars, int width,
                   const struct term_pen *pen, int protect)
{
    if (row < 0 || row >= g->rows || col < 0 || col >= g->cols) return;
    struct term_line *l = &g->lines[row];
    struct term_cell *c = &l->cells[col];
    if (width < 1) width = 1;
    if (width > 2) width = 2;
    if (col + width > g->cols) width = 1; /* libvterm wraps before this; be safe anyway */
    /* writing over half of a wide character blanks its other half */
    if (c->ch[0] == TERM_CH_CONT && col > 0 && l->cells[col - 1].width == 2)
        memset(&l->cells[col - 1], 0, sizeof *c), l->cells[col - 1].ch[0] = ' ';
    if (c->width == 2 && width == 1 && col + 1 < g->cols && l->cells[col + 1].ch[0] == TERM_CH_CONT)
        memset(&l->cells[col + 1], 0, sizeof *c), l->cells[col + 1].ch[0] = ' ';
    if (width == 2 && col + 2 < g->cols && l->cells[col + 1].width == 2 &&
        l->cells[col + 2].ch[0] == TERM_CH_CONT)
        memset(&l->cells[col + 2], 0, sizeof *c), l->cells[col + 2].ch[0] = ' ';

    memset(c, 0, sizeof *c);
    for (int i = 0; i < TERM_CELL_CHARS && chars[i]; i++)
        c->ch[i] = chars[i];
    c->fg = pen->fg;
    c->bg = pen->bg;
    c->attrs = (uint8_t)(pen->attrs | (protect ? TERM_ATTR_PROTECTED : 0));
    c->width = (uint8_t)width;
    if (width == 2) {
        struct term_cell *r = c + 1;
        memset(r, 0, sizeof *r);
        r->ch[0] = TERM_CH_CONT;
        r->fg = pen->fg;
        r->bg = pen->bg;
        r->attrs = c->attrs;
    }
    if (col + width > l->len) l->len = col + width;
    g->dirty[row] = 1;
}

/* Resize without reflow. Shrinking drops blank rows at the bottom (not above the cursor
 * row), then hands rows above the cursor to sb (or drops them if sb is NULL) and, if that is
 * not enough, drops rows from the bottom;
 * growing pulls lines back from sb onto the top. *delta_row is how far the content (and the
 * cursor) moved down. */
int term_grid_resize(struct term_grid *g, int rows, int cols, int cursor_row,
                     struct term_scrollback *sb, int *delta_row)
{
    struct term_grid n;
    int rc = term_grid_init(&n, rows, cols);
    if (rc < 0) return rc;
    int top = 0, bottom = g->rows; /* old rows [top, bottom) survive */
    int delta = 0;
    if (rows < g->rows) {
        int excess = g->rows - rows;
        while (excess > 0 && bottom - 1 > cursor_row && g->lines[bottom - 1].len == 0)
            bottom--, excess--;
        /* push rows above the cursor off the top; if the cursor is nearer the top than
         * that, drop the rest from the bottom so the cursor's row stays on screen */
        int t = excess < cursor_row ? excess : cursor_row;
        if (t < 0) t = 0;
        for (int i = 0; i < t; i++)
            if (sb) term_sb_push(sb, g->lines[i].cells, g->lines[i].len);
        top = t;
        bottom -= excess - t;
        delta = -t;
    }
    int keep = bottom - top;
    int pulled = 0;
    if (sb && keep < rows) {
        /* pull from scrollback to fill the top: newest first, so fill from keep downward */
        int want = rows - keep;
        pulled = want < sb->count ? want : sb->count;
        /* the newest line goes right above the old top */
        for (int i = pulled - 1; i >= 0; i--) {
            int len = term_sb_pop(sb, n.lines[i].cells, cols);
            n.lines[i].len = len < 0 ? 0 : len;
        }
        delta += pulled;
    }
    int cp = cols < g->cols ? cols : g->cols;
    for (int r = 0; r < keep; r++) {
        struct term_line *s = &g->lines[top + r];
        struct term_line *d = &n.lines[pulled + r];
        int len = s->len < cp ? s->len : cp;
        memcpy(d->cells, s->cells, (size_t)len * sizeof(struct term_cell));
        d->len = len;
        if (len > 0 && d->cells[len - 1].width == 2)
            memset(&d->cells[len - 1], 0, sizeof(struct term_cell)), d->cells[len - 1].ch[0] = ' ';
    }
    term_grid_free(g);
    *g = n;
    *delta_row = delta;
    return 0;
}
