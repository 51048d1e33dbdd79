/* term_internal.h - the engine's data structures, shared by the files of src/tui/term only.
 *
 * Invariant that makes scrolling cheap: in a grid line, cells [len, cols) are all-zero (blank,
 * default colours). So erasing a default-coloured line touches only its used prefix, and the
 * full-width scroll of the state layer only rotates line structs (no cell copying). */
#ifndef BOXTOP_TERM_INTERNAL_H
#define BOXTOP_TERM_INTERNAL_H

#include <string.h>
#include <vterm.h>

#include "term.h"

struct term_line {
    struct term_cell *cells; /* cols cells, inside the grid's block */
    int len;                 /* cells at and after len are all-zero */
};

struct term_grid {
    int rows, cols;
    struct term_cell *block; /* rows * cols cells */
    struct term_line *lines; /* rows */
    struct term_line *spare; /* rows, scratch for rotation */
    unsigned char *dirty;    /* rows */
};

struct term_sbline {
    struct term_cell *cells;
    int len, cap;
};

/* Ring of lines scrolled off the top of the primary screen. */
struct term_scrollback {
    struct term_sbline *ring; /* max entries */
    int max, head, count;     /* oldest at head */
    uint64_t pushed;          /* total pushes minus pops (for views) */
};

struct term_pen {
    uint32_t fg, bg;
    uint8_t attrs;
};

struct term_keycode {
    int code;
    enum term_key key;
    int mods;
};
#define TERM_LEARNED_KEYS 64

#define TERM_STAGE    4096 /* bytes handed to libvterm per call (see feed in term_engine.c) */
#define TERM_CSI_SEPS 15   /* parameter separators passed on per CSI (see csi_filter) */

struct term_engine {
    VTermAllocatorFunctions alloc; /* libvterm keeps a pointer to it */
    VTerm *vt;
    VTermState *state;
    struct term_grid grid[2]; /* 0 primary, 1 alternate */
    int alt;                  /* index of the active grid */
    /* while the alternate screen is on: the primary's saved cursor row (DECSC of ?1049h) and
     * how far resizes moved the primary's lines since; applied when ?1049l restores it */
    int alt_saved_row, primary_shift;
    struct term_scrollback sb;
    struct term_pen pen;
    int cur_visible;
    int mouse, reverse;
    char *title;
    int title_changed;
    unsigned bells;
    term_output_fn *output;
    void *user;
    char stage[TERM_STAGE + 1];           /* input copy with a NUL after it */
    char held[4];                         /* incomplete UTF-8 at the end of the last write */
    int esc_state, csi_seps;              /* csi_filter: 0 ground, 1 after ESC, 2 in a CSI */
    int csi_plain;                        /* no leader or intermediate in this CSI */
    int csi_dec, leave_1049;              /* a '?' leader; ?1049l just parsed */
    long csi_arg0, rep_pending;           /* first CSI parameter; REP count to emulate */
    uint32_t last_chars[TERM_CELL_CHARS]; /* last printed glyph (for REP) */
    int last_nchars, last_width;
    size_t nheld;
    struct term_keycode learned[TERM_LEARNED_KEYS];
    int nlearned;
};

/* term_grid.c */
int term_grid_init(struct term_grid *g, int rows, int cols);
void term_grid_free(struct term_grid *g);
void term_grid_erase(struct term_grid *g, int r0, int r1, int c0, int c1,
                     const struct term_pen *pen, int selective);
void term_grid_moverect(struct term_grid *g, VTermRect dest, VTermRect src);
/* Full-width scroll of rows [r0, r1) by n (>0 up, <0 down); the lines that leave at the top
 * (n > 0) are handed to `gone` first (may be NULL). Vacated lines are erased with pen. */
void term_grid_scroll(struct term_grid *g, int r0, int r1, int n, const struct term_pen *pen,
                      void (*gone)(void *arg, const struct term_line *l, int cols), void *arg);
void term_grid_put(struct term_grid *g, int row, int col, const uint32_t *chars, int width,
                   const struct term_pen *pen, int protect);
int term_grid_resize(struct term_grid *g, int rows, int cols, int cursor_row,
                     struct term_scrollback *sb, int *delta_row);
void term_grid_dirty_all(struct term_grid *g);

/* term_scrollback.c */
int term_sb_init(struct term_scrollback *sb, int max);
void term_sb_free(struct term_scrollback *sb);
void term_sb_push(struct term_scrollback *sb, const struct term_cell *cells, int len);
/* Newest line into dst (cols cells, zeroed beyond the copied part); returns its len, or -1 if
 * empty. */
int term_sb_pop(struct term_scrollback *sb, struct term_cell *dst, int cols);
const struct term_sbline *term_sb_get(const struct term_scrollback *sb, int i); /* 0 = oldest */

static inline int term_cell_blank(const struct term_cell *c)
{
    static const struct term_cell zero;
    return memcmp(c, &zero, sizeof zero) == 0;
}

/* One code point as UTF-8 into out[0..4) (surrogates and > U+10FFFF become U+FFFD). */
size_t term_utf8_encode(char *out, uint32_t c);

#endif
