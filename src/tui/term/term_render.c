/* term_render.c - engine cells -> ncurses cchar_t for one row, so a view draws a dirty row
 * with a single mvwadd_wchnstr. ncurses advances by the character's wcwidth, so a wide
 * character is one entry and its right-half cell is skipped; where libvterm's idea of a
 * width differs from the C library's wcwidth the cell is drawn so the columns still add up
 * (a 2-cell glyph that wcwidth calls narrow gets a space after it, and so on).
 * Bidi controls the shell prints (U+202E and friends, sanitize.c's list) never reach the
 * outer terminal, where they would reorder what the rest of the screen shows: a cell of its
 * own is drawn as U+FFFD, as the sanitizer does; one libvterm combined onto the previous
 * character (it counts U+202A-U+202E and U+200E/F as zero width) is dropped. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "boxtop/sanitize.h"
#include "term_render.h"

enum term_depth term_render_depth(void)
{
    const char *nc = getenv("NO_COLOR");
    if ((nc && *nc) || !has_colors()) return TERM_DEPTH_NONE;
    if (COLORS >= 0x1000000) return TERM_DEPTH_TRUE;
    if (COLORS >= 256) return TERM_DEPTH_256;
    if (COLORS >= 16) return TERM_DEPTH_16;
    return TERM_DEPTH_8;
}

struct pen_cache {
    uint32_t fg, bg;
    uint8_t attrs;
    int valid;
    attr_t a;
    int pair;
};

static void map_pen(const struct term_cell *c, int reverse_video, const struct term_colour_map *map,
                    struct pen_cache *pc)
{
    uint8_t attrs = c->attrs & (uint8_t)~TERM_ATTR_PROTECTED;
    if (pc->valid && pc->fg == c->fg && pc->bg == c->bg && pc->attrs == attrs) return;
    pc->valid = 1;
    pc->fg = c->fg;
    pc->bg = c->bg;
    pc->attrs = attrs;
    attr_t a = A_NORMAL;
    if (attrs & TERM_ATTR_BOLD) a |= A_BOLD;
    if (attrs & TERM_ATTR_ITALIC) a |= A_ITALIC;
    if (attrs & TERM_ATTR_UNDERLINE) a |= A_UNDERLINE;
    if (((attrs & TERM_ATTR_REVERSE) != 0) != (reverse_video != 0)) a |= A_REVERSE;
    if (attrs & TERM_ATTR_BLINK) a |= A_BLINK;
    pc->pair = 0;
    if (map && map->depth != TERM_DEPTH_NONE) {
        int bold = 0;
        int fg = term_colour_map_down(c->fg, map->depth, &bold);
        int bg = term_colour_map_down(c->bg, map->depth, NULL);
        if (bold) a |= A_BOLD;
        if (fg != -1 || bg != -1) {
            int p = map->pair ? map->pair(map->user, fg, bg) : alloc_pair(fg, bg);
            pc->pair = p < 0 ? 0 : p;
        }
    }
    pc->a = a;
}

static void put(cchar_t *out, const wchar_t *wc, const struct pen_cache *pc)
{
    int pair = pc->pair;
    memset(out, 0, sizeof *out);
    if (setcchar(out, wc, pc->a, 0, &pair) == ERR) {
        const wchar_t q[2] = {L'?', 0};
        setcchar(out, q, pc->a, 0, &pair);
    }
}

int term_render_row(const struct term_engine *e, int row, int scroll_offset, cchar_t *out,
                    int ncols, const struct term_colour_map *map)
{
    int len = 0, cols;
    term_engine_size(e, NULL, &cols);
    const struct term_cell *cells = term_engine_line(e, row - scroll_offset, &len);
    if (!cells) len = 0;
    int rv = term_engine_reverse_video(e);
    struct pen_cache pc = {0};
    static const struct term_cell blank;
    int n = 0, col = 0;
    while (col < ncols) {
        const struct term_cell *c = col < len && col < cols ? &cells[col] : &blank;
        map_pen(c, rv, map, &pc);
        wchar_t wc[TERM_CELL_CHARS + 1];
        int k = 0;
        if (c->ch[0] == TERM_CH_CONT || c->ch[0] == 0) {
            /* blank, or a right half whose left half was lost */
            wc[k++] = L' ';
            wc[k] = 0;
            put(&out[n++], wc, &pc);
            col++;
            continue;
        }
        int cw = c->width == 2 && col + 1 < ncols ? 2 : 1;
        int w = wcwidth((wchar_t)c->ch[0]);
        if (sanitize_is_bidi_control(c->ch[0])) {
            wc[k++] = (wchar_t)0xfffd;
            if (wcwidth(wc[0]) != 1) wc[0] = L'?';
            w = 1;
        } else if (w < 1 || w > cw) {
            wc[k++] = w == 2 || w < 0 ? (wchar_t)0xfffd : (wchar_t)c->ch[0];
            if (wcwidth(wc[0]) != 1) wc[0] = L'?';
            w = 1;
        } else {
            wc[k++] = (wchar_t)c->ch[0];
            for (int i = 1; i < TERM_CELL_CHARS && c->ch[i]; i++)
                if (wcwidth((wchar_t)c->ch[i]) == 0 && !sanitize_is_bidi_control(c->ch[i]))
                    wc[k++] = (wchar_t)c->ch[i];
        }
        wc[k] = 0;
        put(&out[n++], wc, &pc);
        col += w;
        if (w < cw) { /* the glyph is narrower than its cells: pad with a space */
            const wchar_t sp[2] = {L' ', 0};
            put(&out[n++], sp, &pc);
            col++;
        }
    }
    memset(&out[n], 0, sizeof out[n]);
    return n;
}
