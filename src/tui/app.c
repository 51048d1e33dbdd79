/* app.c - the frame: view stack, modes (prompt, confirm, help), status line, dirty tracking and
 * the once-per-loop-turn redraw. Design notes in app.h. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "boxtop/sanitize.h"
#include "app.h"
#include "messages.h"
#include "term_restore.h"

void app_dirty(struct app *a, int what)
{
    a->dirty |= what;
}

static void on_samples_due(struct loop *l, void *ud)
{
    (void)l;
    struct app *a = ud;
    a->samples_timer = 0;
    app_dirty(a, DIRTY_MAIN);
}

void app_samples_changed(struct app *a)
{
    if (a->samples_timer || (a->dirty & DIRTY_MAIN)) return; /* a frame is coming anyway */
    int64_t wait = a->main_ms + APP_SAMPLES_FRAME_MS - loop_now_ms();
    if (wait <= 0 || (a->samples_timer = loop_timer_add(a->loop, wait, on_samples_due, a)) <= 0) {
        a->samples_timer = 0;
        app_dirty(a, DIRTY_MAIN);
    }
}

static void on_clock(struct loop *l, void *ud)
{
    (void)l;
    struct app *a = ud;
    a->clock_timer = 0;
    if (a->status_until && loop_now_ms() >= a->status_until) {
        a->status[0] = '\0';
        a->status_until = 0;
        app_dirty(a, DIRTY_STATUS);
    }
    /* the view only when it counts something: a countdown to a retry alone redraws the
     * header and the status line, not the table under them */
    if (a->clock_for_view) app_dirty(a, DIRTY_TICK);
    if (a->retry_at) app_dirty(a, DIRTY_HEADER | DIRTY_STATUS);
    app_clock_check(a);
}

void app_clock_check(struct app *a)
{
    struct view *v = app_top(a);
    int64_t now = loop_wall_ms(), due = -1;
    if (v && v->ops->clock_due)
        due = v->ops->clock_due(v, a);
    else if (v && v->ops->needs_clock && v->ops->needs_clock(v, a))
        due = 0;
    int64_t view_due = due;
    if (a->status_until) {
        int64_t d = a->status_until - loop_now_ms();
        if (due < 0 || d < due) due = d < 0 ? 0 : d;
    }
    if (a->retry_at && a->retry_at > loop_now_ms()) /* the countdown to the next try */
        due = 0;
    if (due < 0) {
        if (a->clock_timer) loop_timer_cancel(a->loop, a->clock_timer);
        a->clock_timer = 0;
        return;
    }
    /* on the second boundary after the change, so countdowns tick together */
    int64_t at = (now + due) / TICK_CLOCK_MS * TICK_CLOCK_MS + TICK_CLOCK_MS;
    int64_t view_at =
        view_due < 0 ? -1 : (now + view_due) / TICK_CLOCK_MS * TICK_CLOCK_MS + TICK_CLOCK_MS;
    if (a->clock_timer && a->clock_at <= at) { /* that wake-up comes first anyway */
        if (view_at == a->clock_at) a->clock_for_view = 1;
        return;
    }
    if (a->clock_timer) loop_timer_cancel(a->loop, a->clock_timer);
    a->clock_timer = loop_timer_add(a->loop, at - now, on_clock, a);
    a->clock_at = at;
    a->clock_for_view = view_at == at;
}

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

/* Messages belong to their view (tab) and expire: info after STATUS_SHOW_MS, warnings and
 * errors after STATUS_WARN_MS, any of them on the next key once read (app_input.c). */
static void status_set(struct app *a, const void *owner, enum status_level lvl, const char *detail,
                       const char *fmt, va_list ap)
{
    vsnprintf(a->status, sizeof(a->status), fmt, ap);
    /* every message is kept whole for `:messages` (the line shows what fits) */
    if (!a->msgs && !a->quit) /* not after app_run freed it (a boxtopd stopping says so) */
        a->msgs = calloc(1, sizeof *a->msgs);
    if (a->msgs) msg_ring_add(a->msgs, loop_wall_ms(), (int)lvl, a->status, detail, !a->theme.utf8);
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
}

struct view *app_top(struct app *a)
{
    return a->depth ? a->stack[a->depth - 1] : NULL;
}

void app_push_view(struct app *a, struct view *v)
{
    if (!v) return;
    if (a->depth == VIEW_STACK_MAX) {
        v->ops->destroy(v);
        app_status(a, STATUS_WARN, _("too many views open; press Esc to go back"));
        return;
    }
    a->stack[a->depth++] = v;
    app_dirty(a, DIRTY_ALL);
    app_clock_check(a);
}

void app_pop_view(struct app *a)
{
    if (a->depth <= 1) return;
    struct view *v = a->stack[--a->depth];
    if (a->status_owner == v) app_status_clear(a); /* its messages go with it */
    v->ops->destroy(v);
    app_dirty(a, DIRTY_ALL);
    app_clock_check(a);
}

void app_quit(struct app *a)
{
    a->quit = 1;
    loop_stop(a->loop);
}

void app_prompt(struct app *a, const char *label, const char *initial,
                const char *const *completions, prompt_cb fn, void *ud)
{
    a->mode = MODE_PROMPT;
    snprintf(a->prompt_label, sizeof(a->prompt_label), "%s", label);
    input_free(&a->prompt); /* each prompt starts with its own history (`:` copies its own) */
    input_clear(&a->prompt);
    input_set(&a->prompt, initial ? initial : "");
    a->prompt.cands = completions;
    a->prompt_fn = fn;
    a->prompt_ud = ud;
    curs_set(1);
    app_dirty(a, DIRTY_STATUS | DIRTY_FOOTER);
}

/* The prompt's text as the status line draws it (sanitized): in out, with the cursor's byte
 * offset and column; returns its width. */
static int prompt_text(struct app *a, struct buf *out, size_t *cur_off, int *cur_col)
{
    int fl = a->theme.utf8 ? 0 : SANITIZE_ASCII;
    sanitize_append(out, a->prompt.text, a->prompt.cur, fl);
    *cur_off = out->len;
    *cur_col = sanitize_width(buf_cstr(out), out->len);
    sanitize_append(out, a->prompt.text + a->prompt.cur, a->prompt.len - a->prompt.cur, fl);
    return sanitize_width(buf_cstr(out), out->len);
}

int app_prompt_label_room(struct app *a)
{
    /* the input needs its text and the cursor, and room to type (PROMPT_INPUT_MIN); a long
     * answer scrolls rather than squeezing the label below a third of the line */
    struct buf b = BUF_INIT;
    size_t off;
    int col, need = prompt_text(a, &b, &off, &col) + 1;
    buf_free(&b);
    if (need < PROMPT_INPUT_MIN) need = PROMPT_INPUT_MIN;
    int room = a->cols - need;
    return room < a->cols / 3 ? a->cols / 3 : room;
}

void app_prompt_close(struct app *a)
{
    if (a->mode != MODE_PROMPT) return;
    a->mode = MODE_NORMAL;
    a->prompt_fn = NULL;
    app_dirty(a, DIRTY_STATUS | DIRTY_FOOTER | DIRTY_MAIN);
}

void app_confirm(struct app *a, const char *msg, confirm_cb fn, void *ud)
{
    a->mode = MODE_CONFIRM;
    snprintf(a->confirm_msg, sizeof(a->confirm_msg), "%s", msg);
    a->confirm_fn = fn;
    a->confirm_ud = ud;
    app_dirty(a, DIRTY_MAIN | DIRTY_FOOTER);
}

int app_refuse_readonly(struct app *a, const char *action)
{
    if (!a->readonly) return 0;
    app_status(a, STATUS_WARN, _("read-only mode (--readonly): %s is not allowed"), action);
    return 1;
}

/* ---- drawing ---------------------------------------------------------------------------- */

#define HEADER_LABEL_MIN 14 /* " boxtop 0.1.0" stays beside a long note */

static void draw_header(struct app *a)
{
    WINDOW *w = a->w_header;
    attr_t h = a->theme.attr[ROLE_HEADER];
    werase(w);
    ui_fill(w, 0, 0, a->cols, h);
    ui_fill(w, 1, 0, a->cols, a->theme.attr[ROLE_NORMAL]);
    char left[512];
    snprintf(left, sizeof(left), " boxtop %s  %s: %s  %s: %s", PACKAGE_VERSION, _("context"),
             a->model.context ? a->model.context : _("default"), _("backend"),
             a->model.backend_label ? a->model.backend_label : "?");
    /* the base image's note is why a first create is slow: the label is cut before it is */
    char note[sizeof a->backend_note + 4], fit[8];
    int nw = 0, room = a->cols;
    if (a->backend_note[0]) {
        snprintf(note, sizeof note, "[%s]", a->backend_note);
        nw = ui_fit(a, note, a->cols, fit, sizeof fit);
        room = a->cols - nw - 2 < HEADER_LABEL_MIN ? HEADER_LABEL_MIN : a->cols - nw - 2;
    }
    int x = ui_text(a, w, 0, 0, room, left, h);
    if (nw) x += 2 + ui_text(a, w, 0, x + 2, a->cols - x - 2, note, h);
    if (a->readonly && x + 12 < a->cols)
        ui_text(a, w, 0, x + 2, a->cols - x - 2, _("[read-only]"), h);

    if (a->counts_gen != a->model.generation + 1) { /* +1: generation 0 is a real one */
        a->n_running = a->n_paused = 0;
        for (int i = 0; i < a->model.n; i++) {
            if (a->model.sb[i]->state == BOX_PAUSED)
                a->n_paused++;
            else
                a->n_running++;
        }
        a->counts_gen = a->model.generation + 1;
    }
    int running = a->n_running, paused = a->n_paused;
    char line[256], lim[32] = "?", spm[32] = "?", upd[48] = "";
    if (a->model.concurrency_limit > 0)
        snprintf(lim, sizeof(lim), "%d", a->model.concurrency_limit);
    /* a recording or a server may say anything: inf and 1e300 stay "?" */
    if (a->model.starts_per_min >= 0 && a->model.starts_per_min < 1e9)
        snprintf(spm, sizeof(spm), "%.0f", a->model.starts_per_min); /* a count, not a rate */
    if (a->model.loading)
        snprintf(upd, sizeof(upd), "%s", _("loading…"));
    else if (a->model.updated_ms) {
        /* an absolute time needs no ticking while idle */
        time_t t = (time_t)(a->model.updated_ms / 1000);
        struct tm tm;
        char d[16];
        localtime_r(&t, &tm);
        strftime(d, sizeof(d), "%H:%M:%S", &tm);
        snprintf(upd, sizeof(upd), _("updated %s"), d);
    }
    /* the platform API does not publish the concurrency limit: show it only when known */
    if (a->model.concurrency_limit > 0)
        snprintf(line, sizeof(line), _(" running %d / limit %s  paused %d  starts/min %s"), running,
                 lim, paused, spm);
    else
        snprintf(line, sizeof(line), _(" running %d  paused %d  starts/min %s"), running, paused,
                 spm);
    x = ui_text(a, w, 1, 0, a->cols, line, a->theme.attr[ROLE_NORMAL]);
    int soon = a->n_expiring;
    if (soon > 0) {
        char exp[64];
        snprintf(exp, sizeof(exp), _("ending <1m %d"), soon);
        x += 2 + ui_text(a, w, 1, x + 2, a->cols - x - 2, exp, a->theme.attr[ROLE_WARN] | A_BOLD);
    }
    if (a->offline) {
        x += 2 + ui_text(a, w, 1, x + 2, a->cols - x - 2, _("OFFLINE"), a->theme.attr[ROLE_CRIT]);
        char again[96];
        app_retry_text(a, again, sizeof again);
        if (again[0] && x + 2 < a->cols)
            ui_text(a, w, 1, x + 2, a->cols - x - 2, again, a->theme.attr[ROLE_WARN]);
    } else
        ui_text_right(a, w, 1, x + 2, a->cols - x - 3, upd, a->theme.attr[ROLE_DIM]);
    wnoutrefresh(w);
}

static void draw_footer(struct app *a)
{
    WINDOW *w = a->w_footer;
    werase(w);
    ui_fill(w, 0, 0, a->cols, a->theme.attr[ROLE_TITLE]);
    const char *keys;
    struct view *v = app_top(a);
    if (a->mode == MODE_PROMPT && a->prompt_hint[0])
        keys = a->prompt_hint; /* what a Tab could complete to */
    else if (a->mode == MODE_PROMPT)
        keys = _("Enter accept  Esc cancel  Tab complete  ↑/↓ history");
    else if (a->mode == MODE_CONFIRM)
        keys = _("y confirm  n/Esc cancel");
    else if (a->mode == MODE_HELP)
        keys = _("j/k scroll  any other key closes help");
    else
        keys = v && v->ops->footer ? v->ops->footer(v) : "";
    char bound[512]; /* the view's footer with its keys as [keys.VIEW] moved them */
    /* (a terminal rewrites its own: its footer starts with the prefix) */
    if (a->mode == MODE_NORMAL && v && !v->ops->raw_keys &&
        keymap_views_moved(&a->keys, v->ops->name)) {
        keymap_rewrite(&a->keys, v->ops->name, keys, 0, bound, sizeof bound);
        keys = bound;
    }
    attr_t at = a->theme.attr[ROLE_TITLE];
    /* cut: "? help" stays in sight at the right (at 80 columns it was the first to go) */
    const char *help = _("? help");
    char fit[8];
    int room = a->cols - 2, hw = ui_fit(a, help, room, fit, sizeof fit);
    if (a->mode == MODE_NORMAL && v && !(v->ops->raw_keys && v->ops->raw_keys(v)) &&
        ui_fit(a, keys, room + 1, fit, sizeof fit) > room && room > hw + 12) {
        ui_text(a, w, 0, 1, room - hw - 2, keys, at);
        ui_text_right(a, w, 0, 1, room, help, at);
    } else {
        ui_text(a, w, 0, 1, room, keys, at);
    }
    wnoutrefresh(w);
}

/* The message (with the live countdown when it is the offline one); when it is cut, or has a
 * detail, the end of the line says which key shows it whole (`:messages`). */
static void draw_status_message(struct app *a, WINDOW *w, attr_t at)
{
    char line[sizeof a->status + 160], again[96], fit[8];
    snprintf(line, sizeof line, "%s", a->status);
    app_retry_text(a, again, sizeof again);
    if (a->status_retry && again[0]) {
        size_t l = strlen(line);
        snprintf(line + l, sizeof line - l, _(" - %s (R: now)"), again);
    }
    int cut = ui_fit(a, line, a->cols + 1, fit, sizeof fit) > a->cols;
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

static void draw_status(struct app *a)
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
        prompt_text(a, &b, &off, &cc);
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
static void draw_help(struct app *a, WINDOW *w, int h, int wd)
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

static void draw_confirm(struct app *a, WINDOW *w, int h, int wd)
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

static void draw_main(struct app *a)
{
    WINDOW *w = a->w_main;
    int h = a->rows - 4, wd = a->cols;
    werase(w);
    struct view *v = app_top(a);
    if (v) v->ops->draw(v, a, w, h, wd);
    if (a->mode == MODE_HELP)
        draw_help(a, w, h, wd);
    else if (a->mode == MODE_CONFIRM)
        draw_confirm(a, w, h, wd);
    wnoutrefresh(w);
}

/* A clock-only frame: the view updates its counting cells in place when it can. */
static void draw_tick(struct app *a)
{
    struct view *v = app_top(a);
    if ((a->mode == MODE_NORMAL || a->mode == MODE_PROMPT) && v && v->ops->tick &&
        v->ops->tick(v, a, a->w_main, a->rows - 4, a->cols)) {
        wnoutrefresh(a->w_main);
        return;
    }
    a->dirty |= DIRTY_MAIN; /* the whole main window is drawn again: frame() hooks repaint too */
    draw_main(a);
}

static void draw_too_small(struct app *a)
{
    erase();
    char msg[160];
    snprintf(msg, sizeof(msg), _("boxtop needs at least %dx%d; this terminal is %dx%d"), MIN_COLS,
             MIN_ROWS, a->cols, a->rows);
    char fit[sizeof msg * 2];
    int y = a->rows / 2, len = ui_fit(a, msg, a->cols, fit, sizeof fit); /* columns: centred */
    int x = (a->cols - len) / 2;
    ui_text(a, stdscr, y < 0 ? 0 : y, x < 0 ? 0 : x, a->cols, msg, a->theme.attr[ROLE_WARN]);
    char q[KEYMAP_NAME_MAX], quits[64];
    snprintf(quits, sizeof quits, _("(%s quits)"), keymap_name(&a->keys, KA_QUIT, q, sizeof q));
    ui_text(a, stdscr, y + 1 < a->rows ? y + 1 : 0, 0, a->cols, quits, a->theme.attr[ROLE_DIM]);
    wnoutrefresh(stdscr);
}

void app_layout(struct app *a)
{
    getmaxyx(stdscr, a->rows, a->cols);
    a->too_small = a->rows < MIN_ROWS || a->cols < MIN_COLS;
    WINDOW **ws[] = {&a->w_header, &a->w_main, &a->w_footer, &a->w_status};
    for (size_t i = 0; i < 4; i++)
        if (*ws[i]) {
            delwin(*ws[i]);
            *ws[i] = NULL;
        }
    if (a->too_small) return;
    a->w_header = newwin(2, a->cols, 0, 0);
    a->w_main = newwin(a->rows - 4, a->cols, 2, 0);
    a->w_footer = newwin(1, a->cols, a->rows - 2, 0);
    a->w_status = newwin(1, a->cols, a->rows - 1, 0);
    app_dirty(a, DIRTY_ALL | DIRTY_CLEAR);
}

/* Views cache pointers into the model (sorted rows): rebuild them before anything reads them,
 * i.e. before each frame and before each key (a poll may have removed sandboxes in the same
 * loop turn). */
void app_sync_model(struct app *a)
{
    if (a->model.generation == a->model_gen_seen) return;
    a->model_gen_seen = a->model.generation;
    for (int i = 0; i < a->depth; i++)
        if (a->stack[i]->ops->model_changed) a->stack[i]->ops->model_changed(a->stack[i], a);
    app_dirty(a, DIRTY_MAIN | DIRTY_HEADER);
    app_clock_check(a);
}

/* bench/list measures the time to the first full frame from this: wall clock in µs (the
 * benchmark's start stamp is wall clock too), the sandboxes known and whether the main area was
 * redrawn; tests/hostile measures how fast keys are answered from the keys read so far (the
 * first frame with a higher count answered the key sent). Bounded: a line is ~70 bytes. */
#define FRAME_LOG_MAX 100000
static void frame_log_write(struct app *a, int drew_main)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    char line[128];
    int n = snprintf(line, sizeof(line), "frame %u t_us %lld sandboxes %d main %d keys %u\n",
                     a->frames, (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000, a->model.n,
                     drew_main, a->keys_read);
    if (write(a->frame_log, line, (size_t)n) != n) {
        close(a->frame_log);
        a->frame_log = -1;
    }
}

/* Raw keys while the top view asks for them (a terminal tab), cooked signals elsewhere. */
static void keys_mode(struct app *a)
{
    struct view *v = app_top(a);
    int want = !a->too_small && !a->quit && v && v->ops->raw_keys && v->ops->raw_keys(v);
    if (want == a->raw_keys) return;
    if (term_keys_raw(STDIN_FILENO, want) == 0) {
        a->raw_keys = want;
        def_prog_mode(); /* curses keeps it across endwin()/refresh (suspend, resume) */
    }
}

/* The loop's before-sleep hook: at most one frame per loop turn, only the dirty windows. */
void app_draw(struct app *a)
{
    app_sync_model(a);
    keys_mode(a);
    if (!a->dirty) return;
    int drew_main = !a->too_small && (a->dirty & DIRTY_MAIN);
    if (a->dirty & DIRTY_CLEAR) clearok(curscr, TRUE);
    if (a->too_small) {
        draw_too_small(a);
    } else {
        if (a->dirty & DIRTY_HEADER) draw_header(a);
        if (a->dirty & DIRTY_MAIN) {
            draw_main(a);
            app_clock_check(a); /* other rows may be on screen now */
        } else if (a->dirty & DIRTY_TICK) {
            draw_tick(a);
        }
        if (a->dirty & DIRTY_FOOTER) draw_footer(a);
        /* the status line is drawn last so the prompt's cursor ends up there */
        if (a->dirty & (DIRTY_STATUS | DIRTY_MAIN))
            draw_status(a);
        else if (a->mode == MODE_PROMPT)
            wnoutrefresh(a->w_status);
    }
    curs_set(a->mode == MODE_PROMPT && !a->too_small ? 1 : 0);
    struct view *tv = app_top(a);
    if (!a->too_small && tv && tv->ops->frame && a->mode != MODE_HELP && a->mode != MODE_CONFIRM)
        tv->ops->frame(tv, a);
    doupdate();
    if (drew_main) a->main_ms = loop_now_ms();
    if (a->frame_log >= 0 && a->frames < FRAME_LOG_MAX) frame_log_write(a, drew_main);
    a->dirty = 0;
    a->frames++;
}
