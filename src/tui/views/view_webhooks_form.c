/* view_webhooks_form.c - the webhook create/edit form (see webhooks_form.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "boxtop/sanitize.h"
#include "app.h"
#include "webhooks_form.h"

/* Focus order: the three text fields, enabled, the six events, Save, Cancel. */
enum {
    F_NAME,
    F_URL,
    F_SECRET,
    F_ENABLED,
    F_EV0,
    F_SAVE = F_EV0 + WEBHOOK_N_EVENTS,
    F_CANCEL,
    F_N
};

struct whform {
    struct input text[3]; /* name, url, secret */
    bool enabled;
    unsigned events;
    int focus;
    bool busy;
    char *edit_id;
    char error[256];
    whform_submit_fn fn;
    void *ud;
};

struct whform *whform_new(const struct webhook_info *edit, whform_submit_fn fn, void *ud)
{
    struct whform *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    for (int i = 0; i < 3; i++)
        input_init(&f->text[i]);
    f->fn = fn;
    f->ud = ud;
    f->enabled = true;
    f->events = (1u << WEBHOOK_N_EVENTS) - 1;
    if (edit) {
        f->edit_id = strdup(edit->id ? edit->id : "");
        input_set(&f->text[F_NAME], edit->name ? edit->name : "");
        input_set(&f->text[F_URL], edit->url ? edit->url : "");
        f->enabled = edit->enabled;
        f->events = edit->events;
    }
    return f;
}

void whform_free(struct whform *f)
{
    if (!f) return;
    memset(f->text[F_SECRET].text, 0, sizeof f->text[F_SECRET].text);
    for (int i = 0; i < 3; i++)
        input_free(&f->text[i]);
    free(f->edit_id);
    free(f);
}

const char *whform_edit_id(const struct whform *f)
{
    return f->edit_id;
}

void whform_set_error(struct whform *f, const char *msg)
{
    snprintf(f->error, sizeof f->error, "%s", msg ? msg : "");
}

void whform_set_busy(struct whform *f, bool busy)
{
    f->busy = busy;
}

static void submit(struct whform *f)
{
    const char *name = f->text[F_NAME].text, *url = f->text[F_URL].text,
               *secret = f->text[F_SECRET].text;
    if (!name[0])
        whform_set_error(f, _("the name is empty"));
    else if (!url[0])
        whform_set_error(f, _("the URL is empty"));
    else if (!f->events)
        whform_set_error(f, _("choose at least one event type"));
    else if (!f->edit_id && !secret[0])
        whform_set_error(f, _("a new webhook needs a signature secret"));
    else {
        struct webhook_fields w = {
            .name = name,
            .url = url,
            .secret = secret[0] ? secret : NULL,
            .has_enabled = true,
            .enabled = f->enabled,
            .has_events = true,
            .events = f->events,
        };
        whform_set_error(f, NULL);
        f->fn(f, &w, f->ud);
    }
}

int whform_key(struct whform *f, int ch, int is_key, int *cancel)
{
    *cancel = 0;
    if (f->busy) return 1; /* waiting for the server: keys would edit what is being sent */
    bool text = f->focus <= F_SECRET;
    if ((!is_key && ch == 27) || (f->focus == F_CANCEL && !is_key && (ch == '\n' || ch == '\r'))) {
        *cancel = 1;
        return 1;
    }
    if ((!is_key && ch == '\t') || (is_key && ch == KEY_DOWN)) {
        f->focus = (f->focus + 1) % F_N;
    } else if ((is_key && (ch == KEY_BTAB || ch == KEY_UP))) {
        f->focus = (f->focus + F_N - 1) % F_N;
    } else if ((!is_key && (ch == '\n' || ch == '\r')) || (is_key && ch == KEY_ENTER)) {
        if (text)
            f->focus++;
        else if (f->focus == F_SAVE)
            submit(f);
        else if (f->focus == F_ENABLED)
            f->enabled = !f->enabled;
        else
            f->events ^= 1u << (f->focus - F_EV0);
    } else if (!text && !is_key && ch == ' ') {
        if (f->focus == F_ENABLED)
            f->enabled = !f->enabled;
        else if (f->focus >= F_EV0 && f->focus < F_SAVE)
            f->events ^= 1u << (f->focus - F_EV0);
        else if (f->focus == F_SAVE)
            submit(f);
        else
            *cancel = 1;
    } else if (text) {
        int k = input_key_code(ch, is_key);
        /* Ctrl-C and other controls type nothing here (Esc closed the form above) */
        if (k == INPUT_KEY_ESCAPE || (k >= 0 && k < 32)) k = 0;
        if (k) input_key(&f->text[f->focus], k);
    }
    return 1;
}

static void draw_field(struct whform *f, struct app *a, WINDOW *w, int y, int x, int wd, int lw,
                       int idx, const char *label)
{
    const struct theme *th = &a->theme;
    bool focus = f->focus == idx;
    ui_text(a, w, y, x, lw - 1, label, th->attr[ROLE_NORMAL]);
    int fw = wd - lw - 1;
    if (fw < 4) return;
    attr_t at = focus ? th->attr[ROLE_SELECTED] : th->attr[ROLE_DIM] | A_UNDERLINE;
    ui_fill(w, y, x + lw, fw, at);
    const struct input *in = &f->text[idx];
    /* the text as drawn (sanitized; the secret as one '*' per character) and where the
     * cursor is in it */
    struct buf shown = BUF_INIT;
    size_t cur = 0;
    if (idx == F_SECRET) { /* never the secret itself */
        for (size_t i = 0; i < in->len; i++) {
            if (i == in->cur) cur = shown.len;
            if ((in->text[i] & 0xC0) != 0x80) buf_append(&shown, "*", 1);
        }
        if (in->cur >= in->len) cur = shown.len;
    } else {
        int fl = a->theme.utf8 ? 0 : SANITIZE_ASCII;
        sanitize_append(&shown, in->text, in->cur, fl);
        cur = shown.len;
        sanitize_append(&shown, in->text + in->cur, in->len - in->cur, fl);
    }
    /* by display width: a CJK character or an emoji takes two columns, and long text scrolls
     * so that the cursor stays in the field; a field without the cursor shows its start, cut
     * with an ellipsis */
    int col = 0;
    const char *t = buf_cstr(&shown);
    /* one column kept for the ellipsis of what goes on right of the cursor */
    size_t start = focus ? input_scroll(t, shown.len, cur, fw - 1, &col) : 0;
    ui_text(a, w, y, x + lw, fw, t + start, at);
    if (focus && !f->busy) {
        size_t e = cur + 1; /* the character under the cursor: one or two columns */
        while (e < shown.len && (t[e] & 0xC0) == 0x80)
            e++;
        int under = cur < shown.len ? sanitize_width(t + cur, e - cur) : 1;
        mvwchgat(w, y, x + lw + col, under > 1 ? under : 1, A_REVERSE, 0, NULL);
    }
    buf_free(&shown);
}

static void draw_check(struct whform *f, struct app *a, WINDOW *w, int y, int x, int wd, int idx,
                       bool on, const char *label)
{
    const struct theme *th = &a->theme;
    char b[128];
    snprintf(b, sizeof b, "[%c] %s", on ? 'x' : ' ', label);
    ui_text(a, w, y, x, wd, b, f->focus == idx ? th->attr[ROLE_SELECTED] : th->attr[ROLE_NORMAL]);
}

/* The error under the form, on two lines when one is too short (a server's validation
 * message is long) and there are two (rows); returns the rows it needs. y < 0: only count. */
static int draw_error(struct whform *f, struct app *a, WINDOW *w, int y, int x, int iw,
                      int rows_max)
{
    if (!f->error[0]) return 0;
    char *clean = sanitize_dup(f->error, a->theme.utf8 ? 0 : SANITIZE_ASCII);
    if (!clean) return 0;
    size_t len = strlen(clean), cut = sanitize_fit(clean, len, iw, NULL);
    if (cut < len) { /* break at the last space that fits */
        size_t sp = cut;
        while (sp > 0 && clean[sp] != ' ')
            sp--;
        if (sp > 0) cut = sp;
    }
    int rows = cut < len ? 2 : 1;
    if (y >= 0 && rows > rows_max) {
        ui_text(a, w, y, x, iw, clean, a->theme.attr[ROLE_CRIT]);
    } else if (y >= 0) {
        attr_t at = a->theme.attr[ROLE_CRIT];
        char c = clean[cut];
        clean[cut] = '\0';
        ui_text(a, w, y, x, iw, clean, at);
        clean[cut] = c;
        if (rows == 2) ui_text(a, w, y + 1, x, iw, clean + cut + (c == ' '), at);
    }
    free(clean);
    return rows;
}

void whform_draw(struct whform *f, struct app *a, WINDOW *w, int h, int wd)
{
    const struct theme *th = &a->theme;
    /* the labels' column as wide as the widest translated one ("Ereignisse", "Geheimnis"),
     * the box as wide as the key hint where the window allows */
    const char *labels[] = {_("Name"), _("URL"), _("Secret"), _("Events")};
    const char *hint = _("Tab/↑↓ move  Space toggles  Enter on Save saves  Esc cancels");
    char fit[8];
    int lw = 9;
    for (size_t i = 0; i < sizeof labels / sizeof *labels; i++) {
        int l = ui_fit(a, labels[i], 30, fit, sizeof fit) + 1;
        if (l > lw) lw = l;
    }
    int want = ui_fit(a, hint, 200, fit, sizeof fit) + 4;
    if (want < 78) want = 78;
    int bw = wd - 4 < want ? wd - 4 : want, bh = 14;
    if (draw_error(f, a, w, -1, 0, bw - 4, 2) > 1) bh++;
    if (bh > h) bh = h;
    int y0 = (h - bh) / 2, x0 = (wd - bw) / 2, x = x0 + 2, iw = bw - 4;
    for (int y = y0; y < y0 + bh; y++)
        ui_fill(w, y, x0, bw, th->attr[ROLE_NORMAL]);
    ui_box(a, w, y0, x0, bh, bw, th->attr[ROLE_ACCENT]);
    ui_text(a, w, y0, x0 + 2, bw - 4, f->edit_id ? _(" Edit webhook ") : _(" New webhook "),
            th->attr[ROLE_TITLE] | A_BOLD);
    draw_field(f, a, w, y0 + 1, x, iw, lw, F_NAME, labels[0]);
    draw_field(f, a, w, y0 + 2, x, iw, lw, F_URL, labels[1]);
    draw_field(f, a, w, y0 + 3, x, iw, lw, F_SECRET, labels[2]);
    ui_text(a, w, y0 + 4, x + lw, iw - lw,
            f->edit_id ? _("signs every delivery; empty keeps the current secret")
                       : _("signs every delivery; typed once, never shown again"),
            th->attr[ROLE_DIM]);
    draw_check(f, a, w, y0 + 5, x, iw, F_ENABLED, f->enabled, _("enabled"));
    ui_text(a, w, y0 + 6, x, lw - 1, labels[3], th->attr[ROLE_NORMAL]);
    int cw = (iw - lw) / 2;
    for (int i = 0; i < WEBHOOK_N_EVENTS; i++)
        draw_check(f, a, w, y0 + 6 + i % 3, x + lw + (i / 3) * cw, cw - 1, F_EV0 + i,
                   f->events & (1u << i), webhook_event_short[i]);
    attr_t n = th->attr[ROLE_NORMAL], s = th->attr[ROLE_SELECTED];
    int bx = x + lw; /* the buttons whole: "[ Speichern ]" is 13 columns */
    bx += ui_text(a, w, y0 + 10, bx, x + iw - bx, _("[ Save ]"), f->focus == F_SAVE ? s : n) + 2;
    ui_text(a, w, y0 + 10, bx, x + iw - bx, _("[ Cancel ]"), f->focus == F_CANCEL ? s : n);
    if (bh > 12) ui_text(a, w, y0 + 11, x, iw, f->busy ? _("saving…") : hint, th->attr[ROLE_DIM]);
    if (bh > 13) draw_error(f, a, w, y0 + 12, x, iw, bh - 13);
}
