/* cli_table.c - aligned plain-text tables for people; every cell goes through the
 * sanitizer, so names and metadata from the server cannot move the cursor or recolour. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boxtop/buf.h"
#include "boxtop/cli.h"
#include "boxtop/sanitize.h"

#define CELL_MAX_COLS 60 /* a long metadata value must not push every other column away */

struct cli_table {
    int ncols;
    int nrows;
    char **cells; /* (nrows + 1) * ncols, row 0 = headers */
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
    char **p = realloc(t->cells, (size_t)(row + 1) * (size_t)t->ncols * sizeof *p);
    if (!p) return -1;
    t->cells = p;
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
