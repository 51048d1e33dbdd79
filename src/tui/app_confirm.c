/* app_confirm.c - the confirm mode: a yes/no question in a box over the view (y / n, Esc;
 * keys: app_input.c). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "boxtop/sanitize.h"
#include "app.h"
#include "app_frame.h"

void app_confirm(struct app *a, const char *msg, confirm_cb fn, void *ud)
{
    a->mode = MODE_CONFIRM;
    snprintf(a->confirm_msg, sizeof(a->confirm_msg), "%s", msg);
    a->confirm_fn = fn;
    a->confirm_ud = ud;
    app_dirty(a, DIRTY_MAIN | DIRTY_FOOTER);
}

/* The question on up to two lines, broken at a space where one is near: a long sandbox id
 * keeps its end and the question mark in view (one line cut them off). */
static void confirm_lines(struct app *a, WINDOW *w, int y, int x, int iw, attr_t c)
{
    struct buf s = BUF_INIT;
    const char *m = a->confirm_msg;
    if (iw < 8 || sanitize_append(&s, m, strlen(m), a->theme.utf8 ? 0 : SANITIZE_ASCII) < 0 ||
        sanitize_width(buf_cstr(&s), s.len) <= iw) {
        ui_text(a, w, y, x, iw, m, c);
        buf_free(&s);
        return;
    }
    int used = 0;
    size_t n = sanitize_fit(buf_cstr(&s), s.len, iw, &used), cut = n, next = n;
    for (size_t i = n; i > n / 2; i--)
        if (s.data[i - 1] == ' ') {
            cut = i - 1;
            next = i;
            break;
        }
    char first[sizeof a->confirm_msg * 4];
    snprintf(first, sizeof first, "%.*s", (int)cut, buf_cstr(&s));
    ui_text(a, w, y, x, iw, first, c);
    ui_text(a, w, y + 1, x, iw, buf_cstr(&s) + next, c);
    buf_free(&s);
}

void app_draw_confirm(struct app *a, WINDOW *w, int h, int wd)
{
    int bw = wd - 10 < 70 ? wd - 10 : 70, bh = 5;
    int by = (h - bh) / 2, bx = (wd - bw) / 2;
    attr_t c = a->theme.attr[ROLE_CRIT];
    for (int y = 0; y < bh; y++)
        ui_fill(w, by + y, bx, bw, a->theme.attr[ROLE_NORMAL]);
    ui_box(a, w, by, bx, bh, bw, c);
    confirm_lines(a, w, by + 1, bx + 2, bw - 4, c);
    ui_text(a, w, by + 3, bx + 2, bw - 4, _("y = yes, n or Esc = no"), a->theme.attr[ROLE_DIM]);
}
