/* view_messages.c - `:messages` and !: every error and notice of the session (messages.h),
 * oldest first and the newest at the bottom as vim's :messages, each with its time and
 * severity, its text wrapped whole and the raw detail behind it (curl's text, the server's
 * body) on the lines under it. It follows the newest until scrolled up. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/i18n.h"
#include "boxtop/sanitize.h"
#include "app.h"
#include "messages.h"

struct msgv {
    struct view base;
    int top;    /* first line shown */
    int follow; /* stick to the newest (the bottom) */
    int nlines, page;
};

/* One screen line: a piece of a message's text or detail. */
struct mline {
    const struct msg *m;
    const char *s;
    size_t len;
    int first, detail;
};

static const char *level_name(int level)
{
    return level == STATUS_ERROR ? _("error") : level == STATUS_WARN ? _("warning") : _("info");
}

/* Pieces of sanitized s of at most cols columns, broken at spaces where there are some;
 * returns how many (out may be NULL to count). */
static int wrap(const struct msg *m, const char *s, int cols, int detail, struct mline *out)
{
    int n = 0;
    size_t left = strlen(s);
    do {
        size_t cut = sanitize_fit(s, left, cols, NULL);
        if (cut < left) {
            size_t sp = cut;
            while (sp > 0 && s[sp] != ' ')
                sp--;
            if (sp > 0) cut = sp;
        }
        if (cut == 0) cut = left; /* too narrow for one character: ui_text cuts */
        if (out) out[n] = (struct mline){m, s, cut, n == 0, detail};
        n++;
        s += cut;
        left -= cut;
        while (left && *s == ' ') {
            s++;
            left--;
        }
    } while (left);
    return n;
}

static void ms_draw(struct view *vv, struct app *a, WINDOW *w, int h, int wd)
{
    struct msgv *v = (struct msgv *)vv;
    const struct theme *th = &a->theme;
    int n = a->msgs ? a->msgs->n : 0;
    char title[160];
    snprintf(title, sizeof title, _("Messages (%d of this session, the last %d kept)"), n,
             MSG_RING_MAX);
    ui_text(a, w, 0, 1, wd - 2, title, th->attr[ROLE_ACCENT] | A_BOLD);
    /* the level column as wide as its longest translated word */
    int lw = 0;
    for (int l = STATUS_INFO; l <= STATUS_ERROR; l++) {
        const char *s = level_name(l);
        int x = sanitize_width(s, strlen(s));
        if (x > lw) lw = x;
    }
    int tx = 1 + 9 + lw + 1, tw = wd - tx - 1;
    ui_fill(w, 1, 0, wd, th->attr[ROLE_TITLE]);
    ui_text(a, w, 1, 1, 8, _("TIME"), th->attr[ROLE_TITLE]);
    ui_text(a, w, 1, 10, lw, _("LEVEL"), th->attr[ROLE_TITLE]);
    ui_text(a, w, 1, tx, tw, _("MESSAGE"), th->attr[ROLE_TITLE]);
    if (!n) {
        ui_text(a, w, 3, 2, wd - 4,
                _("No messages yet: the errors and notices of this session gather here."),
                th->attr[ROLE_DIM]);
        v->nlines = 0;
        return;
    }
    const char *mark = th->utf8 ? "↳ " : "> ";
    int mw = 2;
    /* the lines: a message's text, with its repeats, then its detail under it */
    char **texts = calloc((size_t)n, sizeof *texts);
    int total = 0;
    for (int i = 0; texts && i < n; i++) {
        const struct msg *m = msg_ring_get(a->msgs, i);
        if (m->repeats) {
            size_t l = strlen(m->text) + 48;
            if ((texts[i] = malloc(l)))
                snprintf(texts[i], l, _("%s (%u times)"), m->text, m->repeats + 1);
        }
        total += wrap(m, texts[i] ? texts[i] : m->text, tw, 0, NULL);
        if (m->detail) total += wrap(m, m->detail, tw - mw, 1, NULL);
    }
    struct mline *lines = texts ? calloc((size_t)total + 1, sizeof *lines) : NULL;
    int k = 0;
    for (int i = 0; lines && i < n; i++) {
        const struct msg *m = msg_ring_get(a->msgs, i);
        k += wrap(m, texts[i] ? texts[i] : m->text, tw, 0, lines + k);
        if (m->detail) k += wrap(m, m->detail, tw - mw, 1, lines + k);
    }
    int body = h - 2;
    v->nlines = k;
    v->page = body > 1 ? body - 1 : 1;
    int maxtop = k - body > 0 ? k - body : 0;
    if (v->follow || v->top > maxtop) v->top = maxtop;
    if (v->top < 0) v->top = 0;
    for (int y = 2, i = v->top; lines && y < h && i < k; y++, i++) {
        const struct mline *l = &lines[i];
        if (l->first && !l->detail) {
            char t[16];
            ui_fmt_localtime(t, sizeof t, l->m->wall_ms, "%H:%M:%S");
            ui_text(a, w, y, 1, 8, t, th->attr[ROLE_DIM]);
            enum role r = l->m->level == STATUS_ERROR  ? ROLE_CRIT
                          : l->m->level == STATUS_WARN ? ROLE_WARN
                                                       : ROLE_NORMAL;
            ui_text(a, w, y, 10, lw, level_name(l->m->level), th->attr[r]);
        }
        char *piece = strndup(l->s, l->len);
        if (!piece) continue;
        if (l->detail) {
            if (l->first) ui_text(a, w, y, tx, mw, mark, th->attr[ROLE_DIM]);
            ui_text(a, w, y, tx + mw, tw - mw, piece, th->attr[ROLE_DIM]);
        } else {
            ui_text(a, w, y, tx, tw, piece, th->attr[ROLE_NORMAL]);
        }
        free(piece);
    }
    /* more above / below: say so at the right of the title row */
    const char *up = th->utf8 ? "↑" : "^", *down = th->utf8 ? "↓" : "v";
    if (v->top > 0) ui_text(a, w, 1, wd - 3, 1, up, th->attr[ROLE_TITLE]);
    if (v->top < maxtop) ui_text(a, w, 1, wd - 2, 1, down, th->attr[ROLE_TITLE]);
    for (int i = 0; texts && i < n; i++)
        free(texts[i]);
    free(texts);
    free(lines);
}

static int ms_key(struct view *vv, struct app *a, int ch, int is_key)
{
    struct msgv *v = (struct msgv *)vv;
    int d = 0, page = v->page > 0 ? v->page : 1;
    if (is_key) {
        if (!ui_nav_delta(ch, page, v->nlines, &d)) return 0;
    } else if (ch == 'j') {
        d = 1;
    } else if (ch == 'k') {
        d = -1;
    } else if (ch == 'g') {
        d = -v->nlines - 1;
    } else if (ch == 'G') {
        d = v->nlines;
    } else if (ch == 4 || ch == 21) { /* Ctrl-D, Ctrl-U: half a page */
        d = ch == 4 ? page / 2 : -page / 2;
    } else {
        return 0;
    }
    v->top += d;
    if (v->top < 0) v->top = 0;
    /* at the bottom again: follow the newest (ms_draw clamps a top past the end) */
    v->follow = v->top + page + 1 >= v->nlines;
    app_dirty(a, DIRTY_MAIN);
    return 1;
}

static const char *ms_footer(struct view *vv)
{
    (void)vv;
    return _("j/k scroll  g/G oldest/newest  PgUp/PgDn page  Esc back");
}

static const struct keyhelp ms_help[] = {
    {"j/k ↑/↓", N_("scroll a line")},
    {"PgUp/PgDn ^U/^D", N_("scroll a page (half a page with Ctrl)")},
    {"g/G Home/End", N_("the oldest / the newest message")},
};

static const struct keyhelp *ms_helpfn(struct view *vv, int *n)
{
    (void)vv;
    *n = (int)(sizeof ms_help / sizeof ms_help[0]);
    return ms_help;
}

static void ms_destroy(struct view *vv)
{
    free(vv);
}

static const struct view_ops ms_ops = {
    .name = N_("messages"),
    .draw = ms_draw,
    .key = ms_key,
    .footer = ms_footer,
    .help = ms_helpfn,
    .destroy = ms_destroy,
};

struct view *view_messages_new(struct app *a)
{
    (void)a;
    struct msgv *v = calloc(1, sizeof *v);
    if (!v) return NULL;
    v->base.ops = &ms_ops;
    v->follow = 1;
    return &v->base;
}
