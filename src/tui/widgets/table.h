/* table.h - the table widget shared by every list view: column sizing, selection that follows
 * the same row id when rows move, scrolling, marks, sort column. The state here is pure (no
 * ncurses); table.c draws it with a per-cell callback supplied by the view. */
#ifndef BOXTOP_TUI_TABLE_H
#define BOXTOP_TUI_TABLE_H

struct table_col {
    const char *title; /* already translated */
    int min_w;         /* never narrower (when the screen allows) */
    int max_w;         /* 0 = no limit */
    int flex;          /* share of the spare width */
    int right;         /* right-aligned (numbers) */
    int hide_prio; /* columns with higher values are dropped first when too narrow (0 = never) */
    /* computed by table_layout: */
    int x, w; /* w == 0: hidden */
};

struct table {
    struct table_col *cols;
    int ncols;
    int nrows;
    const char **ids; /* row ids in display order; borrowed, valid until the next set_rows */
    int sel;          /* selected row, -1 when empty */
    int top;          /* first visible row */
    char *sel_id;     /* owned copy of the selected id: selection follows it */
    int sort_col, reverse;
    char **marks; /* owned ids of marked rows (they survive filtering and reordering) */
    int nmarks, capmarks;
    int width;
};

void table_init(struct table *t, struct table_col *cols, int ncols);
void table_free(struct table *t);
/* Give column widths for a total width (1 space between columns). */
void table_layout(struct table *t, int width);
/* Replace the rows; the selection stays on sel_id when it is still there, else stays at the
 * same index (clamped). */
void table_set_rows(struct table *t, const char **ids, int n);
void table_select(struct table *t, int row);
void table_move(struct table *t, int delta); /* clamped */
/* Keep the selection visible in a body `height` rows tall. */
void table_scroll(struct table *t, int height);
const char *table_selected_id(const struct table *t);

int table_mark_toggle(struct table *t, const char *id); /* new state (1 marked) or -1 ENOMEM */
int table_is_marked(const struct table *t, const char *id);
void table_marks_clear(struct table *t);
/* Drop marks of ids no longer present among all_ids (rows that vanished). */
void table_marks_prune(struct table *t, const char *const *all_ids, int n);
/* Same, asking alive(id) (an O(1) lookup keeps this linear in the number of marks). */
void table_marks_prune_by(struct table *t, int (*alive)(const char *id, void *ud), void *ud);
/* Add a mark without checking for an existing one (the caller knows it is new). */
int table_mark_add(struct table *t, const char *id);

int table_col_at(const struct table *t, int x); /* column index under screen x, or -1 */
/* Header click / sort key: same column again flips the direction. */
void table_sort_by(struct table *t, int col);

#endif
