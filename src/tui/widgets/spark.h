/* spark.h - sparklines and multi-row graphs as UTF-8 text (pure: no ncurses here).
 *
 * Three glyph sets: braille (2 samples per cell, 4 levels per row), blocks (1 sample per cell,
 * 8 levels, U+2581..U+2588) and ASCII (for terminals whose locale is not UTF-8). */
#ifndef BOXTOP_TUI_SPARK_H
#define BOXTOP_TUI_SPARK_H

#include <stddef.h>

enum glyphs { GLYPHS_BRAILLE = 0, GLYPHS_BLOCKS, GLYPHS_ASCII };

/* Level 0..levels of v on a 0..max scale: 0 only for v <= 0, any v > 0 is at least 1 (so a
 * little activity is never invisible), max or more is levels. */
int spark_level(double v, double max, int levels);

/* One-row sparkline of the last samples of vals[0..n) (oldest first) in exactly width cells
 * (left-padded with blanks when there are too few samples). Writes NUL-terminated UTF-8 to
 * out (needs width*3+1 bytes). Returns bytes written. */
size_t spark_render(const double *vals, int n, double max, int width, enum glyphs g, char *out,
                    size_t outsz);

/* Row `row` (0 = top) of a graph `height` rows tall: same sample layout as spark_render but
 * with height times the vertical resolution. */
size_t graph_render_row(const double *vals, int n, double max, int width, int height, int row,
                        enum glyphs g, char *out, size_t outsz);

#endif
