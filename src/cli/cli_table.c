/* cli_table.c - aligned plain-text tables for people; every cell goes through the
 * sanitizer, so names and metadata from the server cannot move the cursor or recolour. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boxtop/grow.h"
#include "boxtop/buf.h"
#include "cli.h"
#include "boxtop/sanitize.h"

#define CELL_MAX_COLS 60 /* a long metadata value must not push every other column away */

struct cli_table {
    int ncols;
    int nrows;
    char **cells; /* (nrows + 1) * ncols, row 0 = headers */
    size_t cap;   /* cells allocated */
    int *width;
};

static char *clean(const char *s)
{
    struct buf b = BUF_INIT;
    sanitize_append(&b, s ? s : "-", s ? strlen(s) : 1, 0);
    int used;
    size_t fit = sanitize_fit(buf_cstr(&b), b.len, CELL_MAX_COLS, &used);
    if (fit < b.len) {
        /* cut and mark: "…" is 3 bytes, 1 column */
        fit = sanitize_fit(buf_cstr(&b), b.len, CELL_MAX_COLS - 1, &used);
        b.len = fit;
        buf_append_str(&b, "\xe2\x80\xa6");
    }
    return b.data ? buf_steal(&b) : strdup("");
}

struct cli_table *cli_table_new(int ncols, const char *const *headers)
{
    struct cli_table *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->ncols = ncols;
    t->width = calloc((size_t)ncols, sizeof *t->width);
    if (!t->width || cli_table_add_row(t, headers) < 0) {
        cli_table_free(t);
        return NULL;
    }
    t->nrows = 0; /* the header row is row 0 of cells but not counted */
    return t;
}

int cli_table_add_row(struct cli_table *t, const char *const *cells)
{
    int row = t->cells ? t->nrows + 1 : 0;
    if (GROW(t->cells, t->cap, (size_t)(row + 1) * (size_t)t->ncols) < 0) return -1;
    char **p = t->cells;
    for (int i = 0; i < t->ncols; i++) {
        char *c = clean(cells[i]);
        p[row * t->ncols + i] = c;
        int w = c ? sanitize_width(c, strlen(c)) : 0;
        if (w > t->width[i]) t->width[i] = w;
    }
    if (row > 0) t->nrows++;
    return 0;
}

void cli_table_print(struct cli_table *t, FILE *fp)
{
    for (int r = 0; r <= t->nrows; r++) {
        for (int i = 0; i < t->ncols; i++) {
            const char *c = t->cells[r * t->ncols + i];
            fputs(c ? c : "", fp);
            if (i + 1 < t->ncols) {
                int pad = t->width[i] - (c ? sanitize_width(c, strlen(c)) : 0) + 2;
                fprintf(fp, "%*s", pad, "");
            }
        }
        fputc('\n', fp);
    }
}

void cli_table_free(struct cli_table *t)
{
    if (!t) return;
    for (int i = 0; t->cells && i < (t->nrows + 1) * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t->width);
    free(t);
}

void cli_print_line(FILE *fp, const char *text)
{
    struct buf b = BUF_INIT;
    sanitize_append(&b, text ? text : "", text ? strlen(text) : 0, 0);
    fprintf(fp, "%s\n", buf_cstr(&b));
    buf_free(&b);
}

void cli_format_time(int64_t ms, char *out, size_t n)
{
    if (ms <= 0) {
        snprintf(out, n, "-");
        return;
    }
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    if (!localtime_r(&t, &tm) || !strftime(out, n, "%Y-%m-%d %H:%M:%S", &tm))
        snprintf(out, n, "%lld", (long long)(ms / 1000));
}

/* Length of the well-formed UTF-8 sequence at s (1..4) and its code point, or 0 when the
 * bytes there are ill-formed (bad lead, bad continuation, overlong, surrogate, > U+10FFFF). */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    size_t len;
    uint32_t v, min;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    } else if (s[0] >= 0xC2 && s[0] <= 0xDF)
        len = 2, v = s[0] & 0x1F, min = 0x80;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        len = 3, v = s[0] & 0x0F, min = 0x800;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        len = 4, v = s[0] & 0x07, min = 0x10000;
    else
        return 0;
    if (n < len) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return len;
}

int cli_json_escape_controls(struct buf *out, const char *txt, size_t len)
{
    const unsigned char *s = (const unsigned char *)txt;
    size_t i = 0;
    while (i < len) {
        uint32_t cp = 0;
        size_t n = utf8_decode(s + i, len - i, &cp);
        int rc;
        if (n == 0) { /* one ill-formed byte at a time: raw 0x9B must not reach an 8-bit tty */
            rc = buf_append_str(out, "\\ufffd");
            n = 1;
        } else if (cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
                   (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F || cp == 0x061C ||
                   cp == 0x2028 || cp == 0x2029)
            rc = buf_printf(out, "\\u%04x", (unsigned)cp);
        else
            rc = buf_append(out, txt + i, n);
        if (rc < 0) return rc;
        i += n;
    }
    return 0;
}
