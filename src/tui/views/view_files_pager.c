/* view_files_pager.c - the file browser's viewer: a read-only pager over a local file or the
 * first bytes of a sandbox file (at most PAGER_MAX), text with its tabs expanded and every
 * line sanitized when drawn, or a hex dump when the bytes do not look like text (x toggles). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boxtop/grow.h"
#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "boxtop/local_error.h"
#include "app.h"
#include "files/fview.h"

struct pager {
    struct view base;
    char *title;
    char *data;
    size_t len;
    int truncated;
    int hex;
    size_t *lines; /* text: start offsets */
    size_t nlines;
    long top;
    int h;
};

static int looks_binary(const char *d, size_t n)
{
    size_t k = n < 8192 ? n : 8192;
    if (memchr(d, '\0', k)) return 1;
    /* invalid UTF-8 in more than a few places: hex is more useful */
    size_t bad = 0;
    for (size_t i = 0; i < k;) {
        unsigned char c = (unsigned char)d[i];
        size_t need = c < 0x80             ? 0
                      : (c & 0xe0) == 0xc0 ? 1
                      : (c & 0xf0) == 0xe0 ? 2
                      : (c & 0xf8) == 0xf0 ? 3
                                           : 99;
        if (need == 99 || i + need >= k + (k < n ? 0 : 1)) {
            bad++;
            i++;
            continue;
        }
        size_t j = 1;
        for (; j <= need && i + j < k; j++)
            if (((unsigned char)d[i + j] & 0xc0) != 0x80) break;
        if (j <= need) bad++;
        i += j;
    }
    return bad * 20 > k;
}

/* A line with its tabs expanded to 8-column stops (the sanitizer would make each one space);
 * columns are counted per character, which wide characters before a tab throw off a little. */
static char *expand_tabs(const char *d, size_t n)
{
    size_t tabs = 0;
    for (size_t i = 0; i < n; i++)
        tabs += d[i] == '\t';
    char *out = malloc(n + tabs * 7 + 1);
    if (!out) return NULL;
    size_t k = 0, col = 0;
    for (size_t i = 0; i < n; i++) {
        if (d[i] == '\t') {
            do
                out[k++] = ' ';
            while (++col % 8);
            continue;
        }
        out[k++] = d[i];
        if (((unsigned char)d[i] & 0xc0) != 0x80) col++;
    }
    out[k] = '\0';
    return out;
}

static void pg_draw(struct view *vv, struct app *a, WINDOW *w, int h, int wd)
{
    struct pager *p = (struct pager *)vv;
    p->h = h - 1;
    ui_fill(w, 0, 0, wd, a->theme.attr[ROLE_TITLE]);
    struct buf t = BUF_INIT;
    buf_printf(&t, "%s  (%s%s)", p->title, p->hex ? _("hex") : _("text"),
               p->truncated ? _(", first 4 MiB") : "");
    ui_text(a, w, 0, 1, wd - 2, buf_cstr(&t), a->theme.attr[ROLE_TITLE]);
    buf_free(&t);
    long total = p->hex ? (long)((p->len + 15) / 16) : (long)p->nlines;
    if (p->top > total - p->h) p->top = total - p->h;
    if (p->top < 0) p->top = 0;
    for (int r = 0; r < p->h && p->top + r < total; r++) {
        long i = p->top + r;
        if (p->hex) {
            char line[128];
            size_t off = (size_t)i * 16, n = p->len - off < 16 ? p->len - off : 16;
            int k = snprintf(line, sizeof line, "%08zx  ", off);
            for (size_t b = 0; b < 16; b++)
                k += b < n ? snprintf(line + k, sizeof line - (size_t)k, "%02x ",
                                      (unsigned char)p->data[off + b])
                           : snprintf(line + k, sizeof line - (size_t)k, "   ");
            k += snprintf(line + k, sizeof line - (size_t)k, " ");
            for (size_t b = 0; b < n; b++) {
                unsigned char c = (unsigned char)p->data[off + b];
                line[k++] = c >= 0x20 && c < 0x7f ? (char)c : '.';
            }
            line[k] = '\0';
            ui_text(a, w, 1 + r, 0, wd, line, 0);
        } else {
            size_t s = p->lines[i], e = i + 1 < (long)p->nlines ? p->lines[i + 1] - 1 : p->len;
            char *ln = expand_tabs(p->data + s, e - s);
            if (ln) ui_text(a, w, 1 + r, 0, wd, ln, 0); /* sanitized there */
            free(ln);
        }
    }
}

static int pg_key(struct view *vv, struct app *a, int ch, int is_key)
{
    struct pager *p = (struct pager *)vv;
    long page = p->h > 1 ? p->h - 1 : 1;
    if (is_key) {
        if (ch == KEY_DOWN)
            p->top++;
        else if (ch == KEY_UP)
            p->top--;
        else if (ch == KEY_NPAGE)
            p->top += page;
        else if (ch == KEY_PPAGE)
            p->top -= page;
        else if (ch == KEY_HOME)
            p->top = 0;
        else if (ch == KEY_END)
            p->top = 1L << 40;
        else
            return 0;
    } else if (ch == 'j')
        p->top++;
    else if (ch == 'k')
        p->top--;
    else if (ch == ' ' || ch == 'f')
        p->top += page;
    else if (ch == 'b')
        p->top -= page;
    else if (ch == 'g')
        p->top = 0;
    else if (ch == 'G')
        p->top = 1L << 40;
    else if (ch == 'x')
        p->hex = !p->hex;
    else
        return 0;
    if (p->top < 0) p->top = 0;
    app_dirty(a, DIRTY_MAIN);
    return 1;
}

static const char *pg_footer(struct view *vv)
{
    (void)vv;
    return _("j/k line  Space/b page  g/G top/end  x hex/text  q back");
}

static void pg_destroy(struct view *vv)
{
    struct pager *p = (struct pager *)vv;
    free(p->title);
    free(p->data);
    free(p->lines);
    free(p);
}

static const struct view_ops pg_ops = {
    .name = N_("file"),
    .draw = pg_draw,
    .key = pg_key,
    .footer = pg_footer,
    .destroy = pg_destroy,
};

struct view *fv_pager_new(struct app *a, const char *path, const char *title)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        struct error err;
        local_error(&err, LOCAL_READ, "open", path, errno);
        app_status_detail(a, STATUS_ERROR, err.detail, "%s", err.msg);
        return NULL;
    }
    struct view *v = fv_pager_new_fd(a, fd, PAGER_MAX + 1, -1, title);
    close(fd);
    return v;
}

struct view *fv_pager_new_fd(struct app *a, int fd, size_t len, int more, const char *title)
{
    struct pager *p = calloc(1, sizeof *p);
    if (p) p->data = malloc(PAGER_MAX + 1);
    if (!p || !p->data || !(p->title = strdup(title))) {
        if (p) free(p->data);
        free(p);
        return NULL;
    }
    if (len > PAGER_MAX + 1) len = PAGER_MAX + 1;
    ssize_t n;
    /* one byte more than shown tells whether the file goes on */
    while (p->len < len && (n = pread(fd, p->data + p->len, len - p->len, (off_t)p->len)) > 0)
        p->len += (size_t)n;
    if (p->len > PAGER_MAX) {
        p->len = PAGER_MAX;
        more = 1;
    }
    (void)a;
    p->truncated = more > 0;
    p->base.ops = &pg_ops;
    p->hex = looks_binary(p->data, p->len);
    size_t cap = 1024;
    p->lines = malloc(cap * sizeof *p->lines);
    if (p->lines) {
        p->lines[p->nlines++] = 0;
        for (size_t i = 0; i < p->len; i++) {
            if (p->data[i] != '\n' || i + 1 >= p->len) continue;
            if (GROW(p->lines, cap, p->nlines + 1) < 0) break;
            p->lines[p->nlines++] = i + 1;
        }
    }
    if (!p->lines) p->hex = 1;
    return &p->base;
}
