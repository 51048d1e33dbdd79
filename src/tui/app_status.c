/* app_status.c - the status line: messages (each recorded whole for `:messages`, shown while
 * their owner view is on top, expiring), the countdown to the next try of a backend that is
 * down (R: now), and drawing the bottom line. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "app.h"
#include "app_frame.h"
#include "messages.h"

void app_retry_text(struct app *a, char *out, size_t n)
{
    out[0] = '\0';
    if (!a->retry_at) return;
    int64_t left = a->retry_at - loop_now_ms();
    int s = (int)((left + 999) / 1000); /* whole seconds, rounded up: "in 0 s" never shows */
    if (left <= 0)
        snprintf(out, n, "%s",
                 a->retry_kind == BACKEND_RETRY_RESTART ? _("restarting now…")
                 : a->retry_kind == BACKEND_RETRY_LOOK  ? _("looking again now…")
                                                        : _("trying again now…"));
    else if (a->retry_kind == BACKEND_RETRY_RESTART)
        snprintf(out, n, _("restarting in %d s"), s);
    else if (a->retry_kind == BACKEND_RETRY_LOOK)
        snprintf(out, n, _("looking again in %d s"), s);
    else
        snprintf(out, n, _("trying again in %d s"), s);
}

int app_retry_key_works(struct app *a)
{
    struct view *v = app_top(a);
    return !(v && v->ops->raw_keys && v->ops->raw_keys(v)) &&
           !(v && v->ops->typing && v->ops->typing(v));
}

void app_retry_now(struct app *a)
{
    if (a->retry_now) a->retry_now(a, a->retry_ud);
    if (a->be && a->be->ops->poll_now) a->be->ops->poll_now(a->be);
    if (a->retry_at) a->retry_at = loop_now_ms(); /* "now…" until the answer */
    app_dirty(a, DIRTY_HEADER | DIRTY_STATUS);
}

const void *app_status_owner_now(struct app *a)
{
    struct view *v = app_top(a);
    if (v && v->ops->status_owner) return v->ops->status_owner(v);
    return v;
}

#define STATUS_KEEP_MAX 4096 /* bytes of a message `:messages` keeps (a detail carries bulk) */

/* The first bytes of text that fit out[n], cut between characters (a cut inside a UTF-8
 * sequence would show as U+FFFD at the end of the line). */
static void status_copy(char *out, size_t n, const char *text, size_t len)
{
    if (len >= n) {
        len = n - 1;
        size_t lead = len;
        while (lead > 0 && ((unsigned char)text[lead - 1] & 0xC0) == 0x80)
            lead--; /* back over continuation bytes to the sequence's lead byte */
        unsigned char c = lead ? (unsigned char)text[lead - 1] : 0;
        size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        if (lead && c >= 0xC0 && lead - 1 + need > len) len = lead - 1; /* it does not fit */
    }
    memmove(out, text, len); /* out may be text (a cut in place) */
    out[len] = '\0';
}

/* Messages belong to their view (tab) and expire: info after STATUS_SHOW_MS, warnings and
 * errors after STATUS_WARN_MS, any of them on the next key once read (app_input.c). */
static void status_set(struct app *a, const void *owner, enum status_level lvl, const char *detail,
                       const char *fmt, va_list ap)
{
    /* formatted whole first: `:messages` keeps every message whole, the line what a->status
     * holds (and the status line says the rest is there) */
    struct buf whole = BUF_INIT;
    if (buf_vprintf(&whole, fmt, ap) < 0) buf_reset(&whole);
    if (whole.len > STATUS_KEEP_MAX) { /* bounded: 500 of them are kept */
        status_copy(whole.data, STATUS_KEEP_MAX + 1, whole.data, whole.len);
        whole.len = strlen(whole.data);
    }
    status_copy(a->status, sizeof a->status, buf_cstr(&whole), whole.len);
    a->status_cut = whole.len >= sizeof a->status;
    if (!a->msgs && !a->quit) /* not after app_run freed it (a boxtopd stopping says so) */
        a->msgs = calloc(1, sizeof *a->msgs);
    if (a->msgs)
        msg_ring_add(a->msgs, loop_wall_ms(), (int)lvl, buf_cstr(&whole), detail, !a->theme.utf8);
    buf_free(&whole);
    a->status_detail = detail && detail[0];
    a->status_retry = 0;
    a->status_level = lvl;
    a->status_owner = owner;
    a->status_set_ms = loop_now_ms();
    a->status_seq++;
    a->status_until = a->status_set_ms + (lvl == STATUS_INFO ? STATUS_SHOW_MS : STATUS_WARN_MS);
    app_dirty(a, DIRTY_STATUS);
    struct view *top = app_top(a);
    if (top && !strcmp(top->ops->name, "messages")) app_dirty(a, DIRTY_MAIN); /* it is listed */
    app_clock_check(a);
}

void app_status(struct app *a, enum status_level lvl, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    status_set(a, app_status_owner_now(a), lvl, NULL, fmt, ap);
    va_end(ap);
}

void app_status_detail(struct app *a, enum status_level lvl, const char *detail, const char *fmt,
                       ...)
{
    va_list ap;
    va_start(ap, fmt);
    status_set(a, app_status_owner_now(a), lvl, detail, fmt, ap);
    va_end(ap);
}

void app_status_for(struct app *a, const void *owner, enum status_level lvl, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    status_set(a, owner, lvl, NULL, fmt, ap);
    va_end(ap);
}

void app_status_for_detail(struct app *a, const void *owner, enum status_level lvl,
                           const char *detail, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    status_set(a, owner, lvl, detail, fmt, ap);
    va_end(ap);
}

void app_status_clear(struct app *a)
{
    a->status[0] = '\0';
    a->status_until = 0;
    a->status_owner = NULL;
    a->status_retry = 0;
    app_dirty(a, DIRTY_STATUS);
    app_clock_check(a); /* its expiry needs no wake-up any more */
}

/* ---- the status line ---- */

/* The message (with the live countdown when it is the offline one); when it is cut, or has a
 * detail, the end of the line says which key shows it whole (`:messages`). */
static void draw_status_message(struct app *a, WINDOW *w, attr_t at)
{
    char line[sizeof a->status + 160], again[96], fit[8];
    snprintf(line, sizeof line, "%s", a->status);
    app_retry_text(a, again, sizeof again);
    if (a->status_retry && again[0]) {
        size_t l = strlen(line);
        if (app_retry_key_works(a))
            snprintf(line + l, sizeof line - l, _(" - %s (R: now)"), again);
        else /* R is typed into the shell or the form: no key to offer */
            snprintf(line + l, sizeof line - l, "  %s", again);
    }
    int cut = a->status_cut || ui_fit(a, line, a->cols + 1, fit, sizeof fit) > a->cols;
    if (!cut && !a->status_detail) {
        ui_text(a, w, 0, 0, a->cols, line, at);
        return;
    }
    char k[KEYMAP_NAME_MAX], hint[64];
    keymap_name(&a->keys, KA_MESSAGES, k, sizeof k);
    snprintf(hint, sizeof hint, cut ? _("%s more") : _("%s details"), k);
    int hw = ui_fit(a, hint, a->cols, fit, sizeof fit);
    int room = a->cols - hw - 2;
    if (room < a->cols / 2) room = a->cols; /* a line too narrow for both: the text */
    ui_text(a, w, 0, 0, room, line, at);
    if (room < a->cols) ui_text_right(a, w, 0, room, a->cols - room, hint, a->theme.attr[ROLE_DIM]);
}

void app_draw_status(struct app *a)
{
    WINDOW *w = a->w_status;
    werase(w);
    if (a->mode == MODE_PROMPT) {
        int x = ui_text(a, w, 0, 0, app_prompt_label_room(a), a->prompt_label,
                        a->theme.attr[ROLE_WARN]);
        /* scroll the text so the cursor stays visible (columns, so wide characters count 2) */
        int room = a->cols - x - 1;
        struct buf b = BUF_INIT;
        size_t off;
        int cc, col = 0;
        app_prompt_text(a, &b, &off, &cc);
        size_t start = input_scroll(buf_cstr(&b), b.len, off, room, &col);
        ui_text(a, w, 0, x, room, buf_cstr(&b) + start, a->theme.attr[ROLE_NORMAL]);
        wmove(w, 0, x + col);
        buf_free(&b);
    } else if (a->expiry_alert && (!a->status[0] || a->status_level != STATUS_ERROR)) {
        /* a sandbox the user works with is about to end: above everything but errors */
        ui_fill(w, 0, 0, a->cols, a->theme.attr[ROLE_CRIT] | A_REVERSE);
        ui_text(a, w, 0, 0, a->cols, a->expiry_alert, a->theme.attr[ROLE_CRIT] | A_REVERSE);
    } else if (a->status[0] && (!a->status_owner || a->status_owner == app_status_owner_now(a))) {
        enum role r = a->status_level == STATUS_ERROR  ? ROLE_CRIT
                      : a->status_level == STATUS_WARN ? ROLE_WARN
                                                       : ROLE_NORMAL;
        draw_status_message(a, w, a->theme.attr[r]);
    }
    wnoutrefresh(w);
}
