/* app_help.c - the help box (?): the top view's keys, then the global ones, as [keys] bound
 * them; wrapped to the terminal and scrolled with j/k (keys: app_input.c). */
#include "config.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "boxtop/i18n.h"
#include "boxtop/sanitize.h"
#include "app.h"
#include "app_frame.h"

static const struct keyhelp global_help[] = {
    {"?", N_("this help")},
    {":", N_("command line (:sandboxes :templates :events :logs ID :commands ID :team :webhooks "
             ":snapshots :volumes :messages :ctx NAME :q)")},
    {"!", N_("messages: every error and notice of the session, in full (:messages)")},
    {":shell ID", N_("a terminal in that sandbox (:sessions lists the shells)")},
    {"Esc q", N_("back (q on the first view quits)")},
    {"Ctrl-L", N_("redraw the screen (in a terminal tab it goes to the shell)")},
    {"Ctrl-C", N_("quit (in a terminal tab it goes to the shell)")},
    {N_("mouse"), N_("click selects, wheel scrolls, header click sorts")},
};

/* One row of the help box: the keys (first row of an entry only) and a piece of the text. */
struct help_row {
    const char *keys; /* NULL on continuation rows */
    const char *text; /* sanitized; len bytes of it */
    size_t len;
    int heading;
};

/* Split text (sanitized) into rows of at most cols columns, at spaces where there are some.
 * Returns the rows added (rows may be NULL to count). */
static int help_wrap(const char *keys, const char *text, int cols, struct help_row *rows)
{
    int n = 0;
    size_t left = strlen(text);
    do {
        size_t cut = sanitize_fit(text, left, cols, NULL);
        if (cut < left) {
            size_t sp = cut;
            while (sp > 0 && text[sp] != ' ')
                sp--;
            if (sp > 0) cut = sp;
        }
        if (cut == 0) cut = left; /* a column too narrow for one character: ui_text cuts */
        if (rows) rows[n] = (struct help_row){n ? NULL : keys, text, cut, 0};
        n++;
        text += cut;
        left -= cut;
        while (left && *text == ' ') {
            text++;
            left--;
        }
    } while (left);
    return n;
}

/* The help box: as wide as its longest line needs, at most the terminal; a text that does
 * not fit wraps under itself (nothing is cut); j/k scroll when it is taller. */
void app_draw_help(struct app *a, WINDOW *w, int h, int wd)
{
    struct view *v = app_top(a);
    int nv = 0;
    const struct keyhelp *vh = v && v->ops->help ? v->ops->help(v, &nv) : NULL;
    int ng = (int)(sizeof(global_help) / sizeof(global_help[0]));
    int ne = nv + ng;
    char(*keys)[KEYMAP_NAME_MAX + 16] = calloc((size_t)ne, sizeof *keys);
    char **what = calloc((size_t)ne, sizeof *what);
    struct help_row *rows = NULL;
    int kw = 4, tw = 0;
    for (int i = 0; keys && what && i < ne; i++) {
        const struct keyhelp *k = i < nv ? &vh[i] : &global_help[i - nv];
        char q[KEYMAP_NAME_MAX];
        /* the global keys as bound in [keys] */
        if (k == &global_help[0])
            keymap_name(&a->keys, KA_HELP, keys[i], sizeof keys[i]);
        else if (k == &global_help[1])
            keymap_name(&a->keys, KA_COMMAND, keys[i], sizeof keys[i]);
        else if (k == &global_help[2])
            keymap_name(&a->keys, KA_MESSAGES, keys[i], sizeof keys[i]);
        else if (k == &global_help[4])
            snprintf(keys[i], sizeof keys[i], "Esc %s",
                     keymap_name(&a->keys, KA_QUIT, q, sizeof q));
        else if (i < nv && keymap_views_moved(&a->keys, v->ops->name))
            keymap_rewrite(&a->keys, v->ops->name, _(k->keys), 1, keys[i], sizeof keys[i]);
        else
            snprintf(keys[i], sizeof keys[i], "%s", _(k->keys));
        what[i] = sanitize_dup(_(k->what), a->theme.utf8 ? 0 : SANITIZE_ASCII);
        int kl = sanitize_width(keys[i], strlen(keys[i]));
        if (kl > kw) kw = kl;
        if (what[i]) {
            int l = sanitize_width(what[i], strlen(what[i]));
            if (l > tw) tw = l;
        }
    }
    if (kw > wd / 3) kw = wd / 3;
    char title[96];
    snprintf(title, sizeof(title), _(" Keys: %s "), v ? _(v->ops->name) : "");
    int need = 2 + kw + 2 + tw + 2, tl = sanitize_width(title, strlen(title)) + 4;
    int bw = need > tl ? need : tl;
    if (bw > wd - 2) bw = wd - 2;
    int textw = bw - 4 - kw - 2;
    if (textw < 8) textw = 8;
    /* rows: the view's entries, a blank, "Everywhere", the global entries */
    int total = 2;
    for (int i = 0; what && i < ne; i++)
        total += what[i] ? help_wrap(keys[i], what[i], textw, NULL) : 1;
    rows = keys && what ? calloc((size_t)total, sizeof *rows) : NULL;
    int nr = 0;
    for (int i = 0; rows && i < ne; i++) {
        if (i == nv) {
            rows[nr++] = (struct help_row){NULL, "", 0, 0};
            rows[nr++] = (struct help_row){NULL, _("Everywhere"), strlen(_("Everywhere")), 1};
        }
        if (what[i])
            nr += help_wrap(keys[i], what[i], textw, rows + nr);
        else
            rows[nr++] = (struct help_row){keys[i], "", 0, 0};
    }
    int bh = nr + 2 < h - 2 ? nr + 2 : h - 2;
    int by = (h - bh) / 2, bx = (wd - bw) / 2;
    attr_t n = a->theme.attr[ROLE_NORMAL];
    for (int y = 0; y < bh; y++)
        ui_fill(w, by + y, bx, bw, n);
    ui_box(a, w, by, bx, bh, bw, a->theme.attr[ROLE_ACCENT]);
    ui_text(a, w, by, bx + 2, bw - 4, title, a->theme.attr[ROLE_ACCENT] | A_BOLD);
    int inner = bh - 2;
    int maxscroll = nr - inner > 0 ? nr - inner : 0;
    if (a->help_scroll > maxscroll) a->help_scroll = maxscroll;
    /* more above / below: say so on the frame */
    const char *up = a->theme.utf8 ? "↑" : "^", *down = a->theme.utf8 ? "↓" : "v";
    if (a->help_scroll > 0) ui_text(a, w, by, bx + bw - 3, 1, up, a->theme.attr[ROLE_ACCENT]);
    if (a->help_scroll < maxscroll)
        ui_text(a, w, by + bh - 1, bx + bw - 3, 1, down, a->theme.attr[ROLE_ACCENT]);
    for (int i = 0; i < inner && rows; i++) {
        int li = i + a->help_scroll, y = by + 1 + i;
        if (li >= nr) break;
        const struct help_row *r = &rows[li];
        if (r->heading) {
            ui_text(a, w, y, bx + 2, bw - 4, r->text, a->theme.attr[ROLE_TITLE]);
            continue;
        }
        if (r->keys) ui_text(a, w, y, bx + 2, kw, r->keys, a->theme.attr[ROLE_WARN]);
        char *piece = strndup(r->text, r->len);
        if (piece) ui_text(a, w, y, bx + 2 + kw + 2, bw - 4 - kw - 2, piece, n);
        free(piece);
    }
    for (int i = 0; what && i < ne; i++)
        free(what[i]);
    free(what);
    free(keys);
    free(rows);
}
