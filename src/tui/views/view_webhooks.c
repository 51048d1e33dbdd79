/* view_webhooks.c - `:webhooks`: the team's lifecycle webhooks (name, URL, events, enabled, the
 * last delivery's result and time), `n` new and `e` edit (view_webhooks_form.c), Space enables or
 * disables, `D` deletes (asks), Enter opens the deliveries pane of the selected webhook (the
 * attempts newest first; says so when the backend keeps no delivery history, as E2B cloud).
 * Polled every TICK_METRICS_MS while open: the list, then each webhook's history for the last
 * delivery column (skipped once the backend showed it has none). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "boxtop/sanitize.h"
#include "app.h"
#include "backend_webhooks.h"
#include "webhooks_form.h"

struct last { /* the newest attempt of one webhook, for the list */
    char *id;
    bool have, success;
    int status;
    char *error;
    int64_t at_ms;
};

struct whv;
struct hist_slot { /* one webhook's history fetch for the list; ud of its callback */
    struct whv *v;
    int i;
    struct bfetch *call;
};

struct whv {
    struct view base;
    struct app *app;
    struct webhook_list wl;
    struct last *last; /* wl.n entries, by webhook id */
    struct bfetch *call, *act;
    struct hist_slot *hist; /* one per webhook while fetching the last deliveries */
    int n_hist, loaded, sel, top;
    bool no_history;   /* the backend answered 404 to .../deliveries */
    bool history_seen; /* ... and once it answered one: a 404 then means a webhook gone */
    int64_t timer;
    char err[ERROR_MSG_MAX];
    /* the deliveries pane */
    bool pane;
    char *pane_id, *pane_name;
    struct webhook_attempts at;
    struct bfetch *pane_call;
    int pane_state; /* 0 loading, 1 loaded, 2 no history, 3 error */
    char pane_err[ERROR_MSG_MAX];
    int pane_top;
    struct whform *form;
    char *del_id; /* the webhook `D` asked about */
};

static void wh_fetch(struct whv *v);
static void pane_fetch(struct whv *v);
static void close_pane(struct whv *v);

static void on_timer(struct loop *lp, void *ud)
{
    (void)lp;
    struct whv *v = ud;
    v->timer = 0;
    wh_fetch(v);
    if (v->pane) pane_fetch(v);
}

/* An error of the view's calls as every view says one: its words on the status line (the
 * view's own), the detail behind them (curl's text, the server's body) in `:messages`. fmt
 * has one %s, the error's message. */
static void wh_report(struct whv *v, const char *fmt, const struct error *err)
{
    app_status_for_detail(v->app, &v->base, STATUS_ERROR, err->detail, fmt, err->msg);
}

static void maybe_rearm(struct whv *v)
{
    bool busy = v->call || v->pane_call;
    for (int i = 0; i < v->n_hist; i++)
        busy = busy || v->hist[i].call;
    if (!busy && !v->timer) v->timer = loop_timer_add(v->app->loop, TICK_METRICS_MS, on_timer, v);
    app_dirty(v->app, DIRTY_MAIN);
}

static void last_free(struct whv *v)
{
    for (int i = 0; v->last && i < v->wl.n; i++) {
        free(v->last[i].id);
        free(v->last[i].error);
    }
    free(v->last);
    v->last = NULL;
}

static void hist_cancel(struct whv *v)
{
    for (int i = 0; i < v->n_hist; i++)
        bfetch_cancel(v->hist[i].call);
    free(v->hist);
    v->hist = NULL;
    v->n_hist = 0;
}

static void on_hist(struct api_result *res, void *ud)
{
    struct hist_slot *slot = ud;
    struct whv *v = slot->v;
    int i = slot->i;
    slot->call = NULL;
    if (webhook_no_history(res)) {
        v->no_history = !v->history_seen;
    } else if (res->err.kind == ERROR_NONE && i < v->wl.n) {
        v->history_seen = true;
        struct webhook_attempts at;
        struct error err;
        if (webhook_attempts_parse(res->body ? res->body : "", res->body_len, &at, &err) == 0) {
            struct last *l = &v->last[i];
            free(l->error);
            l->error = NULL;
            l->have = at.n > 0;
            if (at.n) {
                l->success = at.items[0].success;
                l->status = at.items[0].status;
                l->at_ms = at.items[0].at_ms;
                l->error = at.items[0].error ? strdup(at.items[0].error) : NULL;
            }
            webhook_attempts_free(&at);
        }
    }
    maybe_rearm(v);
}

static void on_list(struct api_result *res, void *ud)
{
    struct whv *v = ud;
    struct webhook_list wl;
    struct error err = {0};
    v->call = NULL;
    if (res->err.kind != ERROR_NONE) {
        snprintf(v->err, sizeof v->err, "%s", res->err.msg);
        wh_report(v, _("cannot load the webhooks: %s"), &res->err);
    } else if (webhook_list_parse(res->body ? res->body : "", res->body_len, &wl, &err) < 0) {
        snprintf(v->err, sizeof v->err, "%s", err.msg);
        bfetch_body_detail(v->app->be, &err, res); /* what could not be read */
        wh_report(v, _("cannot load the webhooks: %s"), &err);
    } else {
        /* keep the last-delivery cells of webhooks still listed until their new answer */
        struct last *nl = calloc(wl.n ? (size_t)wl.n : 1, sizeof *nl);
        if (!nl) {
            webhook_list_free(&wl);
            snprintf(v->err, sizeof v->err, "%s", _("out of memory"));
            maybe_rearm(v);
            return;
        }
        for (int i = 0; i < wl.n; i++) {
            for (int j = 0; v->last && j < v->wl.n && !nl[i].id; j++)
                if (v->last[j].id && !strcmp(v->last[j].id, wl.items[i].id)) {
                    nl[i] = v->last[j];
                    memset(&v->last[j], 0, sizeof v->last[j]);
                }
            if (!nl[i].id) nl[i].id = strdup(wl.items[i].id);
        }
        hist_cancel(v);
        last_free(v);
        webhook_list_free(&v->wl);
        v->wl = wl;
        v->last = nl;
        v->err[0] = '\0';
        v->loaded = 1;
        if (!v->no_history && v->wl.n && (v->hist = calloc((size_t)v->wl.n, sizeof *v->hist))) {
            v->n_hist = v->wl.n;
            for (int i = 0; i < v->wl.n; i++) {
                v->hist[i] = (struct hist_slot){v, i, NULL};
                v->hist[i].call = bfetch_webhook_deliveries(v->app->be, v->wl.items[i].id, on_hist,
                                                            &v->hist[i], &err);
            }
        }
    }
    maybe_rearm(v);
}

static void wh_fetch(struct whv *v)
{
    if (v->call) return;
    struct error err = {0};
    v->call = bfetch_webhooks(v->app->be, on_list, v, &err);
    if (!v->call) {
        snprintf(v->err, sizeof v->err, "%s", err.msg);
        wh_report(v, _("cannot load the webhooks: %s"), &err);
    }
}

static void on_pane(struct api_result *res, void *ud)
{
    struct whv *v = ud;
    struct error err = {0};
    v->pane_call = NULL;
    if (webhook_no_history(res) && !v->history_seen) {
        v->pane_state = 2;
        v->no_history = true;
    } else if (res->err.kind != ERROR_NONE) {
        v->pane_state = 3;
        snprintf(v->pane_err, sizeof v->pane_err, "%s", res->err.msg);
        wh_report(v, _("cannot load the webhook's deliveries: %s"), &res->err);
    } else {
        struct webhook_attempts at;
        if (webhook_attempts_parse(res->body ? res->body : "", res->body_len, &at, &err) < 0) {
            v->pane_state = 3;
            snprintf(v->pane_err, sizeof v->pane_err, "%s", err.msg);
            bfetch_body_detail(v->app->be, &err, res);
            wh_report(v, _("cannot load the webhook's deliveries: %s"), &err);
        } else {
            webhook_attempts_free(&v->at);
            v->at = at;
            v->pane_state = 1;
            v->history_seen = true;
        }
    }
    maybe_rearm(v);
}

static void pane_fetch(struct whv *v)
{
    if (v->pane_call || !v->pane_id) return;
    struct error err = {0};
    v->pane_call = bfetch_webhook_deliveries(v->app->be, v->pane_id, on_pane, v, &err);
    if (!v->pane_call) {
        v->pane_state = 3;
        snprintf(v->pane_err, sizeof v->pane_err, "%s", err.msg);
        wh_report(v, _("cannot load the webhook's deliveries: %s"), &err);
    }
}

/* ---- drawing ----------------------------------------------------------------------------- */

static void fmt_clock(char *out, size_t n, int64_t ms)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, n, "%H:%M:%S", &tm);
}

static void last_cell(const struct whv *v, int i, char *out, size_t n, int *role)
{
    const struct last *l = v->last ? &v->last[i] : NULL;
    char when[16];
    *role = ROLE_DIM;
    if (v->no_history) {
        snprintf(out, n, "%s", _("n/a"));
    } else if (!l || !l->have) {
        snprintf(out, n, "%s", "-");
    } else {
        fmt_clock(when, sizeof when, l->at_ms);
        if (l->success)
            snprintf(out, n, "%d %s", l->status, when);
        else
            snprintf(out, n, "%s %s", l->error ? l->error : "?", when);
        *role = l->success ? ROLE_OK : ROLE_CRIT;
    }
}

struct col {
    const char *title;
    int w;
};

static void draw_pane(struct whv *v, struct app *a, WINDOW *w, int y, int rows, int wd)
{
    const struct theme *th = &a->theme;
    struct buf b = BUF_INIT;
    ui_box(a, w, y, 0, rows, wd, th->attr[ROLE_DIM]);
    buf_printf(&b, _(" Deliveries of %s "), v->pane_name ? v->pane_name : "?");
    ui_text(a, w, y, 2, wd - 4, buf_cstr(&b), th->attr[ROLE_TITLE]);
    buf_free(&b);
    int x = 2, iw = wd - 4, y1 = y + 1, inner = rows - 2;
    if (v->pane_state == 0) {
        ui_text(a, w, y1, x, iw, _("loading…"), th->attr[ROLE_DIM]);
        return;
    }
    if (v->pane_state == 2) {
        ui_text(a, w, y1, x, iw,
                _("this backend keeps no delivery history (E2B cloud does not offer one; "
                  "boxtopd does)"),
                th->attr[ROLE_WARN]);
        return;
    }
    if (v->pane_state == 3) {
        ui_text(a, w, y1, x, iw, v->pane_err, th->attr[ROLE_CRIT]);
        return;
    }
    if (!v->at.n) {
        ui_text(a, w, y1, x, iw, _("no deliveries yet"), th->attr[ROLE_DIM]);
        return;
    }
    struct col cols[] = {{N_("TIME"), 9},    {N_("EVENT"), 13},  {N_("TRY"), 4},
                         {N_("RESULT"), 24}, {N_("LATENCY"), 9}, {N_("DELIVERY"), 36}};
    for (int c = 0; c < 6; c++) { /* a translated title may be longer ("VERS.") */
        char tw[8];
        int n = ui_fit(a, _(cols[c].title), 24, tw, sizeof tw);
        if (n > cols[c].w) cols[c].w = n;
    }
    int cx = x;
    for (int c = 0; c < 6 && cx < wd - 2; c++) {
        ui_text(a, w, y1, cx, cols[c].w, _(cols[c].title), th->attr[ROLE_TITLE]);
        cx += cols[c].w + 1;
    }
    if (v->pane_top > v->at.n - 1) v->pane_top = v->at.n - 1;
    if (v->pane_top < 0) v->pane_top = 0;
    for (int i = v->pane_top, r = 1; i < v->at.n && r < inner; i++, r++) {
        const struct webhook_attempt_info *t = &v->at.items[i];
        char f[6][128];
        fmt_clock(f[0], sizeof f[0], t->at_ms);
        const char *ty = t->type ? t->type : "?";
        snprintf(f[1], sizeof f[1], "%s", strncmp(ty, "sandbox.lifecycle.", 18) ? ty : ty + 18);
        snprintf(f[2], sizeof f[2], "%d", t->attempt);
        if (t->success)
            snprintf(f[3], sizeof f[3], "%d", t->status);
        else if (t->status)
            snprintf(f[3], sizeof f[3], "%d %s", t->status, t->error ? t->error : "");
        else
            snprintf(f[3], sizeof f[3], "%s", t->error ? t->error : "?");
        snprintf(f[4], sizeof f[4], "%lld ms", (long long)t->latency_ms);
        snprintf(f[5], sizeof f[5], "%s", t->delivery_id ? t->delivery_id : "");
        cx = x;
        for (int c = 0; c < 6 && cx < wd - 2; c++) {
            attr_t at = c == 3 ? th->attr[t->success ? ROLE_OK : ROLE_CRIT] : th->attr[ROLE_NORMAL];
            int cw = cols[c].w < wd - 2 - cx ? cols[c].w : wd - 2 - cx;
            ui_text(a, w, y1 + r, cx, cw, f[c], at);
            cx += cols[c].w + 1;
        }
    }
}

static void wh_draw(struct view *vv, struct app *a, WINDOW *w, int h, int wd)
{
    struct whv *v = (struct whv *)vv;
    const struct theme *th = &a->theme;
    struct buf t = BUF_INIT;
    if (v->loaded) /* no count before the first answer: 0 would be a claim */
        buf_printf(&t, _("Webhooks (%d)"), v->wl.n);
    else
        buf_append_str(&t, _("Webhooks"));
    int x = ui_text(a, w, 0, 1, wd - 2, buf_cstr(&t), th->attr[ROLE_ACCENT] | A_BOLD);
    buf_free(&t);
    if (v->err[0])
        ui_text(a, w, 0, x + 3, wd - x - 4, v->err, th->attr[ROLE_CRIT]);
    else if (v->no_history)
        ui_text(a, w, 0, x + 3, wd - x - 4, _("this backend keeps no delivery history"),
                th->attr[ROLE_DIM]);
    if (!v->loaded) {
        ui_text(a, w, 2, 2, wd - 4, v->err[0] ? _("cannot load the webhooks") : _("loading…"),
                th->attr[ROLE_DIM]);
    } else {
        /* a narrow window narrows the URL, events and name first: enabled and the last
         * delivery stay in view */
        const struct ui_col cols[] = {{N_("NAME"), 18, 12},
                                      {N_("URL"), 34, 20},
                                      {N_("EVENTS"), 22, 14},
                                      {N_("ENABLED"), 7, 0},
                                      {N_("LAST DELIVERY"), 24, 0}};
        int cws[5];
        ui_cols_fit(cols, 5, wd, cws);
        ui_fill(w, 1, 0, wd, th->attr[ROLE_TITLE]);
        int cx = 1;
        for (int c = 0; c < 5 && cx < wd; c++) {
            ui_text(a, w, 1, cx, cws[c] < wd - cx ? cws[c] : wd - cx, _(cols[c].title),
                    th->attr[ROLE_TITLE]);
            cx += cws[c] + 1;
        }
        if (!v->wl.n) {
            ui_text(a, w, 3, 2, wd - 4, _("no webhooks: n creates one"), th->attr[ROLE_DIM]);
        } else {
            if (v->sel >= v->wl.n) v->sel = v->wl.n - 1;
            int pane_rows = v->pane ? (h - 2) / 2 : 0;
            int rows = h - 2 - pane_rows;
            if (rows < 1) rows = 1;
            if (v->sel < v->top) v->top = v->sel;
            if (v->sel >= v->top + rows) v->top = v->sel - rows + 1;
            for (int i = v->top, y = 2; i < v->wl.n && y < 2 + rows; i++, y++) {
                const struct webhook_info *wi = &v->wl.items[i];
                attr_t base = i == v->sel ? th->attr[ROLE_SELECTED] : th->attr[ROLE_NORMAL];
                if (i == v->sel) ui_fill(w, y, 0, wd, base);
                char f[5][160];
                struct buf ev = BUF_INIT;
                webhook_events_format(wi->events, &ev);
                if (wi->unknown_events) buf_printf(&ev, "+%d", wi->unknown_events);
                snprintf(f[0], sizeof f[0], "%s", wi->name ? wi->name : "");
                snprintf(f[1], sizeof f[1], "%s", wi->url ? wi->url : "");
                snprintf(f[2], sizeof f[2], "%s", buf_cstr(&ev));
                buf_free(&ev);
                snprintf(f[3], sizeof f[3], "%s", wi->enabled ? _("yes") : _("no"));
                int role;
                last_cell(v, i, f[4], sizeof f[4], &role);
                cx = 1;
                for (int c = 0; c < 5 && cx < wd; c++) {
                    attr_t at = base;
                    if (i != v->sel && c == 3)
                        at = th->attr[wi->enabled ? ROLE_OK : ROLE_WARN];
                    else if (i != v->sel && c == 4)
                        at = th->attr[role];
                    int cw = c == 4 ? wd - cx - 1 : cws[c];
                    ui_text(a, w, y, cx, cw < wd - cx ? cw : wd - cx, f[c], at);
                    cx += cws[c] + 1;
                }
            }
            if (v->pane) draw_pane(v, a, w, h - pane_rows, pane_rows, wd);
        }
    }
    if (v->form) whform_draw(v->form, a, w, h, wd);
}

/* ---- actions ----------------------------------------------------------------------------- */

static void on_action(struct api_result *res, void *ud)
{
    struct whv *v = ud;
    v->act = NULL;
    if (v->form) {
        whform_set_busy(v->form, false);
        if (res->err.kind != ERROR_NONE) {
            whform_set_error(v->form, res->err.msg);
            wh_report(v, _("cannot save the webhook: %s"), &res->err);
        } else {
            app_status(v->app, STATUS_INFO, "%s",
                       whform_edit_id(v->form) ? _("webhook saved") : _("webhook created"));
            whform_free(v->form);
            v->form = NULL;
        }
    } else if (res->err.kind != ERROR_NONE) {
        wh_report(v, _("the webhook was not changed: %s"), &res->err);
    }
    if (v->timer) loop_timer_cancel(v->app->loop, v->timer);
    v->timer = 0;
    wh_fetch(v);
    app_dirty(v->app, DIRTY_ALL);
}

static void on_submit(struct whform *f, const struct webhook_fields *fields, void *ud)
{
    struct whv *v = ud;
    struct error err = {0};
    if (v->act) return;
    const char *id = whform_edit_id(f);
    v->act = id ? bfetch_webhook_update(v->app->be, id, fields, on_action, v, &err)
                : bfetch_webhook_create(v->app->be, fields, on_action, v, &err);
    if (!v->act) {
        whform_set_error(f, err.msg);
        wh_report(v, _("cannot save the webhook: %s"), &err);
    } else
        whform_set_busy(f, true);
}

static void do_delete(struct app *a, void *ud)
{
    struct whv *v = ud;
    struct error err = {0};
    if (v->act || !v->del_id) return;
    if (v->pane && v->pane_id && !strcmp(v->pane_id, v->del_id)) close_pane(v);
    v->act = bfetch_webhook_delete(a->be, v->del_id, on_action, v, &err);
    if (!v->act)
        wh_report(v, _("cannot delete the webhook: %s"), &err);
    else
        app_status(a, STATUS_INFO, "%s", _("deleting the webhook…"));
}

static void toggle(struct whv *v)
{
    const struct webhook_info *wi = &v->wl.items[v->sel];
    struct webhook_fields f = {.has_enabled = true, .enabled = !wi->enabled};
    struct error err = {0};
    if (v->act) return;
    v->act = bfetch_webhook_update(v->app->be, wi->id, &f, on_action, v, &err);
    if (!v->act)
        wh_report(v, _("the webhook was not changed: %s"), &err);
    else
        app_status(v->app, STATUS_INFO, "%s",
                   f.enabled ? _("enabling the webhook…") : _("disabling the webhook…"));
}

static void open_pane(struct whv *v)
{
    const struct webhook_info *wi = &v->wl.items[v->sel];
    free(v->pane_id);
    free(v->pane_name);
    v->pane_id = strdup(wi->id);
    v->pane_name = strdup(wi->name ? wi->name : wi->id);
    webhook_attempts_free(&v->at);
    bfetch_cancel(v->pane_call);
    v->pane_call = NULL;
    v->pane = true;
    v->pane_state = 0;
    v->pane_top = 0;
    pane_fetch(v);
}

static void close_pane(struct whv *v)
{
    bfetch_cancel(v->pane_call);
    v->pane_call = NULL;
    v->pane = false;
    webhook_attempts_free(&v->at);
}

static int wh_key(struct view *vv, struct app *a, int ch, int is_key)
{
    struct whv *v = (struct whv *)vv;
    if (v->form) {
        int cancel = 0;
        whform_key(v->form, ch, is_key, &cancel);
        /* never let a key of the form fall through to the app (`:`, `q`, `?` are text) */
        if (cancel) {
            bfetch_cancel(v->act);
            v->act = NULL;
            whform_free(v->form);
            v->form = NULL;
        }
        app_dirty(a, DIRTY_ALL);
        return 1;
    }
    bool down = (is_key && ch == KEY_DOWN) || (!is_key && ch == 'j');
    bool up = (is_key && ch == KEY_UP) || (!is_key && ch == 'k');
    if (v->pane && (down || up)) {
        v->pane_top += down ? 1 : -1;
    } else if (down) {
        if (v->sel + 1 < v->wl.n) v->sel++;
    } else if (up) {
        if (v->sel > 0) v->sel--;
    } else if ((is_key && ch == KEY_ENTER) || (!is_key && (ch == '\n' || ch == '\r'))) {
        if (v->pane)
            close_pane(v);
        else if (v->wl.n)
            open_pane(v);
    } else if (!is_key && (ch == 27 || ch == 'q') && v->pane) {
        close_pane(v);
    } else if (!is_key && ch == 'R') {
        wh_fetch(v);
        if (v->pane) pane_fetch(v);
    } else if (!is_key && ch == 'n') {
        if (app_refuse_readonly(a, _("create a webhook"))) return 1;
        v->form = whform_new(NULL, on_submit, v);
        app_dirty(a, DIRTY_ALL);
    } else if (!is_key && ch == 'e') {
        if (app_refuse_readonly(a, _("edit a webhook")) || !v->wl.n) return 1;
        v->form = whform_new(&v->wl.items[v->sel], on_submit, v);
    } else if (!is_key && ch == ' ') {
        if (app_refuse_readonly(a, _("enable or disable a webhook")) || !v->wl.n) return 1;
        toggle(v);
    } else if (!is_key && ch == 'D') {
        if (app_refuse_readonly(a, _("delete a webhook")) || !v->wl.n) return 1;
        const struct webhook_info *wi = &v->wl.items[v->sel];
        free(v->del_id);
        v->del_id = strdup(wi->id);
        struct buf b = BUF_INIT;
        sanitize_append(&b, wi->name ? wi->name : wi->id, strlen(wi->name ? wi->name : wi->id), 0);
        char msg[200];
        snprintf(msg, sizeof msg, _("Delete webhook %.60s? It gets no more events. (y/n)"),
                 buf_cstr(&b));
        buf_free(&b);
        app_confirm(a, msg, do_delete, v);
        return 1;
    } else {
        return 0;
    }
    app_dirty(a, DIRTY_MAIN | DIRTY_FOOTER);
    return 1;
}

/* Click selects a webhook (a second click on it opens its deliveries), the wheel moves. */
static int wh_mouse(struct view *vv, struct app *a, int y, int x, mmask_t b)
{
    struct whv *v = (struct whv *)vv;
    (void)x;
    if (v->form) return 1;
    if (b & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
        int d = b & BUTTON4_PRESSED ? -1 : 1;
        if (v->pane)
            v->pane_top += d;
        else if (v->sel + d >= 0 && v->sel + d < v->wl.n)
            v->sel += d;
    } else if (b & (BUTTON1_PRESSED | BUTTON1_CLICKED)) {
        int i = v->top + y - 2;
        if (y < 2 || i >= v->wl.n ||
            (v->pane && y >= getmaxy(a->w_main) - (getmaxy(a->w_main) - 2) / 2))
            return 0;
        if (i == v->sel && !v->pane) open_pane(v);
        v->sel = i;
    } else {
        return 0;
    }
    app_dirty(a, DIRTY_MAIN | DIRTY_FOOTER);
    return 1;
}

/* The form takes typed text: no [keys.webhooks] rebinding while it is open. */
static int wh_typing(struct view *vv)
{
    return ((struct whv *)vv)->form != NULL;
}

static const char *wh_footer(struct view *vv)
{
    struct whv *v = (struct whv *)vv;
    if (v->form) return _("Tab/↑↓ move  Space toggle  Enter on Save saves  Esc cancel");
    if (v->pane) return _("j/k scroll  Enter/Esc close deliveries  R reload  ? help");
    return _("j/k move  Enter deliveries  n new  e edit  Space on/off  D delete  R reload  Esc "
             "back");
}

static const struct keyhelp wh_help[] = {
    {"j/k ↑/↓", N_("move (scroll in the deliveries pane)")},
    {"Enter", N_("show or hide the delivery attempts of the webhook, newest first")},
    {"n", N_("new webhook (form: name, URL, secret, enabled, event types)")},
    {"e", N_("edit the webhook (an empty secret keeps the current one)")},
    {"Space", N_("enable or disable the webhook")},
    {"D", N_("delete the webhook (asks first)")},
    {"R", N_("reload")},
};

static const struct keyhelp *wh_helpfn(struct view *vv, int *n)
{
    (void)vv;
    *n = (int)(sizeof wh_help / sizeof wh_help[0]);
    return wh_help;
}

static void wh_destroy(struct view *vv)
{
    struct whv *v = (struct whv *)vv;
    bfetch_cancel(v->call);
    bfetch_cancel(v->act);
    bfetch_cancel(v->pane_call);
    hist_cancel(v);
    if (v->timer) loop_timer_cancel(v->app->loop, v->timer);
    whform_free(v->form);
    last_free(v);
    webhook_list_free(&v->wl);
    webhook_attempts_free(&v->at);
    free(v->pane_id);
    free(v->pane_name);
    free(v->del_id);
    free(v);
}

static const struct view_ops wh_ops = {
    .name = N_("webhooks"),
    .typing = wh_typing,
    .draw = wh_draw,
    .key = wh_key,
    .mouse = wh_mouse,
    .footer = wh_footer,
    .help = wh_helpfn,
    .destroy = wh_destroy,
};

struct view *view_webhooks_new(struct app *a)
{
    struct whv *v = calloc(1, sizeof *v);
    if (!v) return NULL;
    v->base.ops = &wh_ops;
    v->app = a;
    wh_fetch(v);
    return &v->base;
}
