/* ui.c - drawing helpers shared by the views: every untrusted string reaches the screen
 * through ui_text(), which sanitizes it (sanitize.h) and truncates it with an ellipsis. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "boxtop/sanitize.h"
#include "app.h"

/* Sanitize at most this many raw bytes per column: a 10 000-character metadata value costs
 * no more to draw than a short one. */
#define RAW_BYTES_PER_COL 8

static int ui_prepare(struct app *a, const char *raw, int maxw, struct buf *out, size_t *len)
{
    size_t rl = raw ? strlen(raw) : 0;
    size_t cap = (size_t)(maxw > 0 ? maxw : 1) * RAW_BYTES_PER_COL + 64;
    int cut = rl > cap;
    if (cut) rl = cap;
    if (sanitize_append(out, raw ? raw : "", rl, a->theme.utf8 ? 0 : SANITIZE_ASCII) < 0) return -1;
    int used = 0;
    int width = sanitize_width(buf_cstr(out), out->len);
    if (!cut && width <= maxw) {
        *len = out->len;
        return width;
    }
    /* room for the ellipsis (1 column either way) */
    size_t n = sanitize_fit(buf_cstr(out), out->len, maxw - 1, &used);
    out->len = n;
    out->data[n] = '\0';
    buf_append_str(out, a->theme.ellipsis);
    *len = out->len;
    return used + 1;
}

/* right: the text ends at x + maxw instead of starting at x */
static int text_at(struct app *a, WINDOW *w, int y, int x, int maxw, const char *raw, attr_t attr,
                   bool right)
{
    if (maxw <= 0) return 0;
    struct buf b = BUF_INIT;
    size_t len = 0;
    int width = ui_prepare(a, raw, maxw, &b, &len);
    if (width > 0) {
        wattr_set(w, attr & ~A_COLOR, (short)PAIR_NUMBER(attr), NULL);
        mvwaddnstr(w, y, right ? x + maxw - width : x, buf_cstr(&b), (int)len);
        wattr_set(w, A_NORMAL, 0, NULL);
    }
    buf_free(&b);
    return width < 0 ? 0 : width;
}

int ui_fit(struct app *a, const char *raw, int maxw, char *out, size_t n)
{
    struct buf b = BUF_INIT;
    size_t len = 0;
    int width = maxw > 0 ? ui_prepare(a, raw, maxw, &b, &len) : 0;
    if (width < 0) width = 0;
    snprintf(out, n, "%.*s", (int)len, width ? buf_cstr(&b) : "");
    buf_free(&b);
    return width;
}

int ui_text(struct app *a, WINDOW *w, int y, int x, int maxw, const char *raw, attr_t attr)
{
    return text_at(a, w, y, x, maxw, raw, attr, false);
}

int ui_text_right(struct app *a, WINDOW *w, int y, int x, int maxw, const char *raw, attr_t attr)
{
    return text_at(a, w, y, x, maxw, raw, attr, true);
}

void ui_fcols_fit(struct app *a, struct ui_fcol *c, int n)
{
    for (int i = 0; i < n; i++) {
        char t[8];
        int tw = ui_fit(a, _(c[i].title), 40, t, sizeof t);
        if (tw > c[i].w) c[i].w = tw;
    }
}

void ui_fcols_line(struct app *a, struct buf *b, const struct ui_fcol *c, int n,
                   const char *const *cells)
{
    for (int i = 0; i < n; i++) {
        char t[512];
        int tw = ui_fit(a, cells[i], c[i].w, t, sizeof t), pad = c[i].w - tw;
        if (c[i].right) buf_printf(b, "%*s", pad, "");
        buf_append_str(b, t);
        if (!c[i].right && i + 1 < n) buf_printf(b, "%*s", pad, "");
        if (i + 1 < n) buf_append(b, " ", 1);
    }
}

void ui_fill(WINDOW *w, int y, int x, int n, attr_t attr)
{
    if (n <= 0) return;
    wattr_set(w, attr & ~A_COLOR, (short)PAIR_NUMBER(attr), NULL);
    mvwhline(w, y, x, ' ', n);
    wattr_set(w, A_NORMAL, 0, NULL);
}

void ui_box(struct app *a, WINDOW *w, int y, int x, int h, int wd, attr_t attr)
{
    int u = a->theme.utf8;
    const char *hz = u ? "\xe2\x94\x80" : "-", *vt = u ? "\xe2\x94\x82" : "|";
    const char *c[4] = {u ? "\xe2\x94\x8c" : "+", u ? "\xe2\x94\x90" : "+",
                        u ? "\xe2\x94\x94" : "+", u ? "\xe2\x94\x98" : "+"};
    if (h < 2 || wd < 2) return;
    wattrset(w, attr);
    for (int i = 1; i < wd - 1; i++) {
        mvwaddstr(w, y, x + i, hz);
        mvwaddstr(w, y + h - 1, x + i, hz);
    }
    for (int j = 1; j < h - 1; j++) {
        mvwaddstr(w, y + j, x, vt);
        mvwaddstr(w, y + j, x + wd - 1, vt);
    }
    mvwaddstr(w, y, x, c[0]);
    mvwaddstr(w, y, x + wd - 1, c[1]);
    mvwaddstr(w, y + h - 1, x, c[2]);
    mvwaddstr(w, y + h - 1, x + wd - 1, c[3]);
    wattrset(w, A_NORMAL);
}

void ui_fmt_bytes(char *out, size_t n, int64_t bytes)
{
    static const char *const units[] = {"B", "K", "M", "G", "T"};
    double v = (double)bytes;
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        u++;
    }
    if (u == 0)
        snprintf(out, n, "%lld%s", (long long)bytes, units[0]);
    else
        snprintf(out, n, v < 10 ? "%.1f%s" : "%.0f%s", v, units[u]);
}

void ui_fmt_duration(char *out, size_t n, int64_t ms)
{
    if (ms < 0) ms = 0;
    int64_t s = ms / 1000;
    if (s >= 86400)
        snprintf(out, n, "%lldd%02lldh", (long long)(s / 86400), (long long)(s % 86400 / 3600));
    else if (s >= 3600)
        snprintf(out, n, "%lldh%02lldm", (long long)(s / 3600), (long long)(s % 3600 / 60));
    else if (s >= 60)
        snprintf(out, n, "%lldm%02llds", (long long)(s / 60), (long long)(s % 60));
    else
        snprintf(out, n, "%llds", (long long)s);
}

int ui_nav_delta(int key, int page, int n, int *delta)
{
    switch (key) {
    case KEY_DOWN:
        *delta = 1;
        return 1;
    case KEY_UP:
        *delta = -1;
        return 1;
    case KEY_NPAGE:
        *delta = page;
        return 1;
    case KEY_PPAGE:
        *delta = -page;
        return 1;
    case KEY_HOME:
        *delta = -n - 1;
        return 1;
    case KEY_END:
        *delta = n;
        return 1;
    default:
        return 0;
    }
}

/* short enough for the half of an 80-column status line a prompt's label gets */
void ui_ttl_prompt(char *out, size_t n, int def_s)
{
    char d[32];
    ui_fmt_span(d, sizeof d, def_s);
    if (def_s > 0)
        snprintf(out, n, _("Time to live (15m, 1h 30m; Enter: %s): "), d);
    else
        snprintf(out, n, "%s", _("Time to live (15m, 1h 30m): "));
}

const char *ui_ttl_bad(void)
{
    return _("not a time to live: use 90s, 15m, 2h or 1h 30m (up to 30 days)");
}

void ui_fmt_localtime(char *out, size_t n, int64_t ms, const char *fmt)
{
    if (!ms) {
        snprintf(out, n, "-");
        return;
    }
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, n, fmt, &tm);
}

/* Under a minute with a tenth of a second: how long a command ran. */
void ui_fmt_duration_ns(char *out, size_t n, int64_t ns)
{
    if (ns < 0)
        snprintf(out, n, "-");
    else if (ns < 60000000000LL)
        snprintf(out, n, "%.1fs", (double)ns / 1e9);
    else
        ui_fmt_duration(out, n, ns / 1000000);
}
