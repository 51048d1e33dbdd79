/* view_events.c - lifecycle events (created, paused, resumed, updated, killed) of the team or of
 * one sandbox, newest first, polled every EVENTS_POLL_MS while the view is open so new ones
 * appear without a key press. Filter by type (t) and sandbox (/); Enter opens the sandbox. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "app.h"
#include "backend_fetch.h"
#include "postmortem_track.h"

#define EVENTS_POLL_MS 2000
#define EVENTS_LIMIT   100

static const char *const types[] = {NULL,          N_("created"), N_("paused"),
                                    N_("resumed"), N_("updated"), N_("killed")};
#define NTYPES ((int)(sizeof(types) / sizeof(types[0])))

struct eventsv {
    struct view base;
    struct app *app;
    char *id;                                                    /* NULL = team */
    struct view *(*open_sandbox)(struct app *a, const char *id); /* Enter: the detail view */
    struct sbx_event_list ev;
    struct bfetch *call;
    int64_t timer;
    int loaded;
    char err[ERROR_MSG_MAX];
    int type_i; /* index into types; 0 = all */
    char sbx_filter[128];
    int sel, top;
};

static void ev_fetch(struct eventsv *v);

static void on_timer(struct loop *lp, void *ud)
{
    (void)lp;
    struct eventsv *v = ud;
    v->timer = 0;
    ev_fetch(v);
}

static void on_events(struct sbx_event_list *l, const struct error *err, void *ud)
{
    struct eventsv *v = ud;
    v->call = NULL;
    if (err) {
        snprintf(v->err, sizeof(v->err), "%s", err->msg);
    } else {
        events_list_free(&v->ev);
        v->ev = *l; /* moved out: the backend frees an empty list */
        memset(l, 0, sizeof *l);
        v->err[0] = '\0';
        v->loaded = 1;
    }
    v->timer = loop_timer_add(v->app->loop, EVENTS_POLL_MS, on_timer, v);
    app_dirty(v->app, DIRTY_MAIN);
}

static void ev_fetch(struct eventsv *v)
{
    if (v->call) return;
    struct error err = {0};
    v->call = bfetch_events(v->app->be, v->id, EVENTS_LIMIT, on_events, v, &err);
    if (!v->call) snprintf(v->err, sizeof(v->err), "%s", err.msg);
}

static int shown(const struct eventsv *v, const struct sbx_event *e)
{
    if (v->type_i && strcmp(e->type, types[v->type_i])) return 0;
    if (v->sbx_filter[0] && !strstr(e->sandbox, v->sbx_filter)) return 0;
    return 1;
}

/* The i-th shown event, NULL past the end. */
static const struct sbx_event *nth(const struct eventsv *v, int i)
{
    for (int k = 0; k < v->ev.n; k++)
        if (shown(v, &v->ev.v[k]) && i-- == 0) return &v->ev.v[k];
    return NULL;
}

static int count(const struct eventsv *v)
{
    int n = 0;
    for (int k = 0; k < v->ev.n; k++)
        n += shown(v, &v->ev.v[k]);
    return n;
}

static attr_t type_attr(const struct theme *th, const char *t)
{
    if (!strcmp(t, "killed")) return th->attr[ROLE_CRIT];
    if (!strcmp(t, "paused")) return th->attr[ROLE_WARN];
    if (!strcmp(t, "created") || !strcmp(t, "resumed")) return th->attr[ROLE_OK];
    return th->attr[ROLE_NORMAL];
}

/* A known type's translated name, else the type as the server sent it. */
static const char *type_label(const char *type)
{
    for (int j = 1; j < NTYPES; j++)
        if (!strcmp(type, types[j])) return _(types[j]);
    return type;
}

/* The EVENT column fits its title and the names shown ("fortgesetzt" is longer than
 * "resumed"; a type boxtop does not know is shown as sent), at most EVENT_COL_MAX. */
#define EVENT_COL_MAX 16
static int type_width(struct eventsv *v, struct app *a)
{
    char t[8];
    int w = ui_fit(a, _("EVENT"), EVENT_COL_MAX, t, sizeof t);
    for (int j = 1; j < NTYPES; j++) {
        int n = ui_fit(a, _(types[j]), EVENT_COL_MAX, t, sizeof t);
        if (n > w) w = n;
    }
    for (int k = 0; k < v->ev.n; k++) {
        int n = ui_fit(a, type_label(v->ev.v[k].type), EVENT_COL_MAX, t, sizeof t);
        if (n > w) w = n;
    }
    return w < 9 ? 9 : w;
}

static void ev_draw(struct view *vv, struct app *a, WINDOW *w, int h, int wd)
{
    struct eventsv *v = (struct eventsv *)vv;
    const struct theme *th = &a->theme;
    int n = count(v);
    struct buf t = BUF_INIT;
    if (v->id)
        buf_printf(&t, _("Events of %s"), v->id);
    else
        buf_printf(&t, "%s", _("Events (team)"));
    buf_printf(&t, _("  %d shown"), n);
    if (v->ev.skipped) buf_printf(&t, _("  %d not valid (skipped)"), v->ev.skipped);
    if (v->ev.cut) buf_printf(&t, _("  %d more not read"), v->ev.cut);
    buf_printf(&t, _("  type: %s"), v->type_i ? _(types[v->type_i]) : _("all"));
    if (v->sbx_filter[0]) buf_printf(&t, _("  sandbox: %s"), v->sbx_filter);
    int x = ui_text(a, w, 0, 1, wd - 2, buf_cstr(&t), th->attr[ROLE_ACCENT] | A_BOLD);
    buf_free(&t);
    if (v->err[0]) ui_text(a, w, 0, x + 3, wd - x - 4, v->err, th->attr[ROLE_CRIT]);
    if (!v->loaded) {
        ui_text(a, w, 2, 2, wd - 4, v->err[0] ? _("cannot load the events") : _("loading…"),
                th->attr[ROLE_DIM]);
        return;
    }
    int cw_time = 19, cw_type = type_width(v, a), cw_sbx = 24, cw_tpl = 14;
    int xs[] = {1, 1 + cw_time + 2, 1 + cw_time + cw_type + 4, 1 + cw_time + cw_type + cw_sbx + 6,
                1 + cw_time + cw_type + cw_sbx + cw_tpl + 8};
    ui_fill(w, 1, 0, wd, th->attr[ROLE_TITLE]);
    ui_text(a, w, 1, xs[0], cw_time, _("TIME"), th->attr[ROLE_TITLE]);
    ui_text(a, w, 1, xs[1], cw_type, _("EVENT"), th->attr[ROLE_TITLE]);
    ui_text(a, w, 1, xs[2], cw_sbx, _("SANDBOX"), th->attr[ROLE_TITLE]);
    ui_text(a, w, 1, xs[3], cw_tpl, _("TEMPLATE"), th->attr[ROLE_TITLE]);
    ui_text(a, w, 1, xs[4], wd - xs[4] - 1, _("DETAILS"), th->attr[ROLE_TITLE]);
    if (!n) {
        ui_text(a, w, 3, 2, wd - 4, _("no events"), th->attr[ROLE_DIM]);
        return;
    }
    if (v->sel >= n) v->sel = n - 1;
    int rows = h - 2;
    if (v->sel < v->top) v->top = v->sel;
    if (v->sel >= v->top + rows) v->top = v->sel - rows + 1;
    int y = 2, i = 0;
    for (int k = 0; k < v->ev.n && y < h; k++) {
        const struct sbx_event *e = &v->ev.v[k];
        if (!shown(v, e)) continue;
        if (i++ < v->top) continue;
        int sel = i - 1 == v->sel;
        attr_t base = sel ? th->attr[ROLE_SELECTED] : th->attr[ROLE_NORMAL];
        if (sel) ui_fill(w, y, 0, wd, base);
        char ts[32] = "-";
        if (e->t_ms) {
            time_t tt = (time_t)(e->t_ms / 1000);
            struct tm tm;
            localtime_r(&tt, &tm);
            strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S", &tm);
        }
        ui_text(a, w, y, xs[0], cw_time, ts, base);
        ui_text(a, w, y, xs[1], cw_type, type_label(e->type), sel ? base : type_attr(th, e->type));
        ui_text(a, w, y, xs[2], cw_sbx, e->sandbox, base);
        ui_text(a, w, y, xs[3], cw_tpl, e->tmpl ? e->tmpl : "-", base);
        ui_text(a, w, y, xs[4], wd - xs[4] - 1, e->detail ? e->detail : "", base);
        y++;
    }
}

static void on_sbx_filter(struct app *a, const char *text, int submit, void *ud)
{
    (void)submit;
    struct eventsv *v = ud;
    snprintf(v->sbx_filter, sizeof(v->sbx_filter), "%s", text ? text : "");
    v->sel = v->top = 0;
    app_dirty(a, DIRTY_MAIN);
}

static int ev_key(struct view *vv, struct app *a, int ch, int is_key)
{
    struct eventsv *v = (struct eventsv *)vv;
    int n = count(v);
    if ((is_key && ch == KEY_DOWN) || (!is_key && ch == 'j')) {
        if (v->sel + 1 < n) v->sel++;
    } else if ((is_key && ch == KEY_UP) || (!is_key && ch == 'k')) {
        if (v->sel > 0) v->sel--;
    } else if ((is_key && ch == KEY_HOME) || (!is_key && ch == 'g')) {
        v->sel = 0;
    } else if ((is_key && ch == KEY_END) || (!is_key && ch == 'G')) {
        v->sel = n ? n - 1 : 0;
    } else if (!is_key && ch == 't') {
        v->type_i = (v->type_i + 1) % NTYPES;
        v->sel = v->top = 0;
    } else if (!is_key && ch == '/') {
        app_prompt(a, _("sandbox: "), v->sbx_filter, NULL, on_sbx_filter, v);
        return 1;
    } else if (!is_key && ch == 'R') {
        ev_fetch(v);
    } else if ((is_key && ch == KEY_ENTER) || (!is_key && (ch == '\n' || ch == '\r'))) {
        const struct sbx_event *e = nth(v, v->sel);
        if (!e) return 1;
        const struct box *b = model_find(&a->model, e->sandbox);
        if (!b || b->state == BOX_ENDED) { /* its post-mortem, when one is kept */
            struct view *pv = pm_track_card(a->pm, e->sandbox);
            if (pv)
                app_push_view(a, pv);
            else
                app_status(a, STATUS_WARN,
                           _("sandbox %s is gone (killed or timed out); no post-mortem of it is "
                             "kept"),
                           e->sandbox);
        } else if (v->open_sandbox) {
            app_push_view(a, v->open_sandbox(a, e->sandbox));
        }
        return 1;
    } else if (!is_key && ch == 'l') {
        const struct sbx_event *e = nth(v, v->sel);
        if (e) app_push_view(a, view_logs_new(a, e->sandbox));
        return 1;
    } else {
        return 0;
    }
    app_dirty(a, DIRTY_MAIN);
    return 1;
}

static const char *ev_footer(struct view *vv)
{
    (void)vv;
    return _("j/k move  t type  / sandbox  Enter open sandbox  l logs  R reload  Esc back");
}

static const struct keyhelp ev_help[] = {
    {"j/k ↑/↓ g/G", N_("move")},
    {"t", N_("filter by type: all, created, paused, resumed, updated, killed")},
    {"/", N_("filter by sandbox id")},
    {"Enter", N_("open the event's sandbox")},
    {"l", N_("the event's sandbox's logs")},
    {"R", N_("reload now (the view polls by itself)")},
};

static const struct keyhelp *ev_helpfn(struct view *vv, int *n)
{
    (void)vv;
    *n = (int)(sizeof(ev_help) / sizeof(ev_help[0]));
    return ev_help;
}

static void ev_destroy(struct view *vv)
{
    struct eventsv *v = (struct eventsv *)vv;
    bfetch_cancel(v->call);
    if (v->timer) loop_timer_cancel(v->app->loop, v->timer);
    events_list_free(&v->ev);
    free(v->id);
    free(v);
}

static const struct view_ops ev_ops = {
    .name = N_("events"),
    .draw = ev_draw,
    .key = ev_key,
    .footer = ev_footer,
    .help = ev_helpfn,
    .destroy = ev_destroy,
};

struct view *view_events_new(struct app *a, const char *id,
                             struct view *(*open_sandbox)(struct app *a, const char *id))
{
    struct eventsv *v = calloc(1, sizeof(*v));
    if (!v || (id && !(v->id = strdup(id)))) {
        free(v);
        return NULL;
    }
    v->base.ops = &ev_ops;
    v->app = a;
    v->open_sandbox = open_sandbox;
    ev_fetch(v);
    return &v->base;
}
