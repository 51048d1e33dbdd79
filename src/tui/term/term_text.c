/* term_text.c - copy mode: a line's text, search, selection to text. Text is built from
 * cells as UTF-8 (wide characters once, their right halves skipped, blanks as spaces,
 * trailing blanks trimmed); what leaves the engine for a person or a clipboard goes through
 * the display sanitizer. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/sanitize.h"
#include "term_internal.h"

/* Raw UTF-8 of cells [c0, c1) of a line (clipped to its len, trailing blanks trimmed);
 * if colstart is given, colstart[k] is the column where byte k's character starts. */
static int cells_utf8(const struct term_cell *cells, int len, int c0, int c1, struct buf *out,
                      int **colstart)
{
    if (c1 > len) c1 = len;
    while (c1 > c0 && c1 > 0 && (cells[c1 - 1].ch[0] == 0 || cells[c1 - 1].ch[0] == ' '))
        c1--;
    size_t start = out->len;
    if (colstart) {
        /* at most 4 bytes per character of a cell */
        size_t most = (size_t)(c1 > c0 ? c1 - c0 : 0) * 4 * TERM_CELL_CHARS + 1;
        int *cs = realloc(*colstart, most * sizeof **colstart);
        if (!cs) return -ENOMEM;
        *colstart = cs;
    }
    for (int c = c0 < 0 ? 0 : c0; c < c1; c++) {
        const struct term_cell *cell = &cells[c];
        if (cell->ch[0] == TERM_CH_CONT) continue;
        char tmp[4 * TERM_CELL_CHARS];
        size_t n = 0;
        if (cell->ch[0] == 0)
            tmp[n++] = ' ';
        else
            for (int i = 0; i < TERM_CELL_CHARS && cell->ch[i]; i++)
                n += term_utf8_encode(tmp + n, cell->ch[i]);
        if (buf_append(out, tmp, n) < 0) return -ENOMEM;
        if (colstart)
            for (size_t k = out->len - n; k < out->len; k++)
                (*colstart)[k - start] = c;
    }
    return 0;
}

int term_engine_line_text(const struct term_engine *e, int line, struct buf *out)
{
    int len;
    const struct term_cell *cells = term_engine_line(e, line, &len);
    if (!cells) return -ERANGE;
    struct buf raw = BUF_INIT;
    int rc = cells_utf8(cells, len, 0, len, &raw, NULL);
    if (rc == 0) rc = sanitize_append(out, buf_cstr(&raw), raw.len, 0);
    buf_free(&raw);
    return rc;
}

static int first_line(const struct term_engine *e)
{
    return -term_engine_history(e);
}

static int last_line(const struct term_engine *e)
{
    int rows;
    term_engine_size(e, &rows, NULL);
    return rows - 1;
}

/* Match in one line: forward = first match starting at col > after; backwards = last match
 * starting at col < before. Returns the column or -1. */
static int match_in_line(const struct term_engine *e, int line, const char *needle, size_t nlen,
                         int backwards, int limit, int *err)
{
    int len;
    const struct term_cell *cells = term_engine_line(e, line, &len);
    if (!cells) return -1;
    struct buf t = BUF_INIT;
    int *cs = NULL, found = -1;
    if (cells_utf8(cells, len, 0, len, &t, &cs) < 0) {
        *err = -ENOMEM;
    } else if (t.len >= nlen) {
        for (size_t i = 0; i + nlen <= t.len; i++) {
            if (memcmp(t.data + i, needle, nlen) != 0 || (i > 0 && cs[i - 1] == cs[i]))
                continue; /* no match, or starts inside a character */
            int col = cs[i];
            if (!backwards && col > limit) {
                found = col;
                break;
            }
            if (backwards && col < limit) found = col; /* keep the last one */
        }
    }
    buf_free(&t);
    free(cs);
    return found;
}

int term_engine_search(const struct term_engine *e, const char *needle, struct term_pos from,
                       int backwards, struct term_pos *found)
{
    size_t nlen = strlen(needle);
    if (nlen == 0) return 0;
    int lo = first_line(e), hi = last_line(e), err = 0;
    if (from.line < lo) from = (struct term_pos){lo, -1};
    if (from.line > hi) from = (struct term_pos){hi, 1 << 30};
    for (int line = from.line; line >= lo && line <= hi; line += backwards ? -1 : 1) {
        int limit = line == from.line ? from.col : backwards ? 1 << 30 : -1;
        int col = match_in_line(e, line, needle, nlen, backwards, limit, &err);
        if (err) return err;
        if (col >= 0) {
            found->line = line;
            found->col = col;
            return 1;
        }
    }
    return 0;
}

int term_engine_selection_text(const struct term_engine *e, struct term_pos a, struct term_pos b,
                               struct buf *out)
{
    if (a.line > b.line || (a.line == b.line && a.col > b.col)) {
        struct term_pos t = a;
        a = b;
        b = t;
    }
    int lo = first_line(e), hi = last_line(e);
    if (a.line < lo) a = (struct term_pos){lo, 0};
    if (b.line > hi) b = (struct term_pos){hi, 1 << 30};
    struct buf raw = BUF_INIT;
    int rc = 0;
    for (int line = a.line; line <= b.line && rc == 0; line++) {
        int len;
        const struct term_cell *cells = term_engine_line(e, line, &len);
        if (!cells) continue;
        int c0 = line == a.line ? a.col : 0;
        int c1 = line == b.line ? (b.col >= (1 << 30) - 1 ? b.col : b.col + 1) : 1 << 30;
        /* a selection that starts on the right half of a wide character takes all of it */
        if (c0 > 0 && c0 < len && cells[c0].ch[0] == TERM_CH_CONT) c0--;
        rc = cells_utf8(cells, len, c0, c1, &raw, NULL);
        if (rc == 0 && line < b.line) rc = buf_append_byte(&raw, '\n');
    }
    if (rc == 0) rc = sanitize_append(out, buf_cstr(&raw), raw.len, SANITIZE_KEEP_NEWLINES);
    buf_free(&raw);
    return rc;
}
