/* term_render.h - turn engine cells into ncurses cchar_t rows, with colours mapped down to
 * what the outer terminal has. Needs the wide-character curses API (NCURSES_CFLAGS). */
#ifndef BOXTOP_TERM_RENDER_H
#define BOXTOP_TERM_RENDER_H

#include <curses.h>
#include <stdint.h>

#include "term.h"

/* Colour depth of the outer terminal. NONE (NO_COLOR, or no colours) keeps attributes only. */
enum term_depth {
    TERM_DEPTH_NONE = 0,
    TERM_DEPTH_8 = 8,
    TERM_DEPTH_16 = 16,
    TERM_DEPTH_256 = 256,
    TERM_DEPTH_TRUE = 1 << 24, /* ncurses direct colour (COLORS == 0x1000000) */
};

struct term_colour_map {
    enum term_depth depth;
    /* Pair number for the already mapped colours fg/bg: -1 is the terminal's default,
     * otherwise 0..depth-1 (0xRRGGBB in TRUE mode). NULL uses ncurses' alloc_pair().
     * A negative result draws with pair 0. */
    int (*pair)(void *user, int fg, int bg);
    void *user;
};

/* Depth from the running ncurses (after start_color) and the NO_COLOR convention. */
enum term_depth term_render_depth(void);

/* Fill out[] for screen row `row` of a view scrolled back by scroll_offset lines (the line
 * shown is row - scroll_offset, see term.h), covering ncols columns (the line is padded with
 * blanks or cut). A wide character is ONE entry covering two columns, so the result may have
 * fewer entries than columns: draw it with mvwadd_wchnstr(win, y, 0, out, n) where n is the
 * return value. out must have room for ncols + 1 entries (a zeroed terminator follows). */
int term_render_row(const struct term_engine *e, int row, int scroll_offset, cchar_t *out,
                    int ncols, const struct term_colour_map *map);

/* Colour arithmetic (pure): xterm's palette, nearest-colour reductions. */
uint32_t term_colour_palette(int idx);    /* 0..255 -> 0xRRGGBB */
int term_colour_rgb_to_256(uint32_t rgb); /* -> 16..255 */
int term_colour_256_to_16(int idx);       /* -> 0..15 */
/* An engine colour (TERM_COLOUR_*) as an ncurses colour for depth: -1 = default. For depth 8
 * *bold is set when a bright foreground became its dark twin. */
int term_colour_map_down(uint32_t colour, enum term_depth depth, int *bold);

#endif
