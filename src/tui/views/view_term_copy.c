/* view_term_copy.c - the terminal view's copy mode: a cursor over scrollback and screen, `/` search
 * (backwards from the cursor, n/N repeat), a selection, and y to put it on the outer terminal's
 * clipboard with OSC 52 (unless BOXTOP_OSC52=0; tmux passes it on with set-clipboard on). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boxtop/base64.h"
#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "../session.h"
#include "term_view.h"

static struct term_engine *eng(struct termview *v)
{
    return session_engine(v->cur);
}

/* Keep the copy cursor inside the lines that exist and on screen. */
static void clamp(struct termview *v)
{
    int rows, cols;
    term_engine_size(eng(v), &rows, &cols);
    int top = -term_engine_history(eng(v));
    struct term_pos *c = &v->copy.cur;
    if (c->line < top) c->line = top;
    if (c->line > rows - 1) c->line = rows - 1;
    if (c->col < 0) c->col = 0;
    if (c->col > cols - 1) c->col = cols - 1;
    /* on screen: row = line + scroll within 0..ph-1 */
    if (c->line + v->scroll < 0) v->scroll = -c->line;
    if (c->line + v->scroll > v->ph - 1) v->scroll = v->ph - 1 - c->line;
    if (v->scroll > -top) v->scroll = -top; /* never above the oldest line */
    if (v->scroll < 0) v->scroll = 0;
    v->scrolled_seen = term_engine_scrolled(eng(v));
    v->need_full = 1;
    app_dirty(v->a, DIRTY_MAIN);
}

/* PgUp/PgDn and Ctrl-B/F/U/D scroll the view with the cursor (as tmux and less do), so the
 * cursor keeps its row on the screen: d lines down, negative up. */
static void page(struct termview *v, int d)
{
    v->copy.cur.line += d;
    v->scroll -= d;
}

void termcopy_enter(struct termview *v)
{
    int r, c, vis;
    term_engine_cursor(eng(v), &r, &c, &vis);
    v->copy.on = 1;
    v->copy.selecting = 0;
    v->copy.cur.line = r - v->scroll;
    v->copy.cur.col = c;
    clamp(v);
    app_dirty(v->a, DIRTY_FOOTER);
}

static void leave(struct termview *v)
{
    v->copy.on = 0;
    v->copy.selecting = 0;
    v->scroll = 0;
    v->need_full = 1;
    app_dirty(v->a, DIRTY_MAIN | DIRTY_FOOTER);
}

static int before(struct term_pos a, struct term_pos b)
{
    return a.line < b.line || (a.line == b.line && a.col < b.col);
}

void termcopy_highlight(struct termview *v, int row)
{
    if (!v->copy.selecting) return;
    struct term_pos a = v->copy.anchor, b = v->copy.cur;
    if (before(b, a)) {
        struct term_pos t = a;
        a = b;
        b = t;
    }
    int line = row - v->scroll;
    if (line < a.line || line > b.line) return;
    int x0 = line == a.line ? a.col : 0, x1 = line == b.line ? b.col : v->pw - 1;
    if (x1 >= x0) mvwchgat(v->pane, row, x0, x1 - x0 + 1, A_REVERSE, 0, NULL);
}

static void osc52(struct termview *v, const char *text, size_t len)
{
    int n = app_clipboard(v->a, text, len);
    if (n >= 0)
        app_status(v->a, STATUS_INFO, _("copied %zu bytes to the clipboard (OSC 52)"), (size_t)n);
}

static void yank(struct termview *v)
{
    struct buf b = BUF_INIT;
    struct term_pos a = v->copy.selecting ? v->copy.anchor : v->copy.cur;
    if (!term_engine_selection_text(eng(v), a, v->copy.cur, &b))
        osc52(v, b.data ? b.data : "", b.len);
    buf_free(&b);
    leave(v);
}

static void search(struct termview *v, int backwards)
{
    if (!v->copy.needle[0]) return;
    struct term_pos found;
    if (term_engine_search(eng(v), v->copy.needle, v->copy.cur, backwards, &found)) {
        v->copy.cur = found;
        clamp(v);
    } else {
        app_status(v->a, STATUS_WARN, _("not found: %s"), v->copy.needle);
    }
}

static void search_done(struct app *a, const char *text, int submit, void *ud)
{
    struct termview *v = ud;
    (void)a;
    if (!submit || !text || !v->copy.on || !v->cur) return;
    if (text[0]) snprintf(v->copy.needle, sizeof(v->copy.needle), "%s", text);
    search(v, 1);
}

void termcopy_key(struct termview *v, int ch, int is_key)
{
    if (!v->cur) {
        leave(v);
        return;
    }
    struct term_pos *c = &v->copy.cur;
    int pg = v->ph > 2 ? v->ph - 1 : 1;
    if (is_key) {
        switch (ch) {
        case KEY_UP:
            c->line--;
            break;
        case KEY_DOWN:
            c->line++;
            break;
        case KEY_LEFT:
            c->col--;
            break;
        case KEY_RIGHT:
            c->col++;
            break;
        case KEY_PPAGE:
        case KEY_SPREVIOUS:
            page(v, -pg);
            break;
        case KEY_NPAGE:
        case KEY_SNEXT:
            page(v, pg);
            break;
        case KEY_HOME:
            c->col = 0;
            break;
        case KEY_END:
            c->col = v->pw - 1;
            break;
        default:
            return;
        }
        clamp(v);
        return;
    }
    switch (ch) {
    case 'k':
        c->line--;
        break;
    case 'j':
        c->line++;
        break;
    case 'h':
        c->col--;
        break;
    case 'l':
        c->col++;
        break;
    case 2:
        page(v, -pg);
        break; /* Ctrl-B */
    case 6:
        page(v, pg);
        break; /* Ctrl-F */
    case 21:
        page(v, -pg / 2);
        break; /* Ctrl-U */
    case 4:
        page(v, pg / 2);
        break; /* Ctrl-D */
    case '0':
        c->col = 0;
        break;
    case '$':
        c->col = v->pw - 1;
        break;
    case 'g':
        c->line = -term_engine_history(eng(v));
        break;
    case 'G': {
        int r, cc, vis;
        term_engine_cursor(eng(v), &r, &cc, &vis);
        c->line = r;
        break;
    }
    case '/':
        /* a new term each time (as less and tmux do): ↑ brings the last one back, an empty
         * one repeats it */
        app_prompt(v->a, "/", "", NULL, search_done, v);
        input_history_add(&v->a->prompt, v->copy.needle);
        return;
    case 'n':
        search(v, 1);
        return;
    case 'N':
        search(v, 0);
        return;
    case 'v':
    case ' ':
        v->copy.selecting = !v->copy.selecting;
        v->copy.anchor = *c;
        break;
    case 'y':
    case '\r':
    case '\n':
        yank(v);
        return;
    case 'q':
    case 27:
    case 3: /* Ctrl-C, a key in a tab's raw mode: leaves as in tmux */
        leave(v);
        return;
    default:
        return;
    }
    clamp(v);
}
