/* snapshots.c - the team's snapshots (`:snapshots`, GET /snapshots): name, source sandbox,
 * created, size, newest first. `n` creates a sandbox from the selected one (asks the time to
 * live) and goes back to the sandboxes; `D` deletes it (asks first); `R` reloads. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "boxtop/snapvol.h"
#include "app.h"
#include "backend_fetch.h"

#define SNAP_DEFAULT_TIMEOUT_S 300

struct snapv {
    struct view base;
    struct app *app;
    struct snapshot_list sl;
    struct bfetch *call, *del;
    int loaded, sel, top;
    char err[ERROR_MSG_MAX];
    char *pending_id; /* the snapshot of the pending `n` or `D` */
};

static void snap_fetch(struct snapv *v);

static void on_list(struct api_result *res, void *ud)
{
    struct snapv *v = ud;
    struct snapshot_list l = {0};
    struct error err = {0};
    v->call = NULL;
    if (res->err.kind != ERROR_NONE) {
        snprintf(v->err, sizeof v->err, "%s", res->err.msg);
    } else if (snapshot_list_parse(res->body, res->body_len, &l, &err) < 0) {
        snprintf(v->err, sizeof v->err, "%s", err.msg);
    } else {
        snapshot_list_free(&v->sl);
        v->sl = l;
        v->err[0] = '\0';
        v->loaded = 1;
    }
    app_dirty(v->app, DIRTY_MAIN);
}

static void snap_fetch(struct snapv *v)
{
    if (v->call) return;
    struct error err = {0};
    v->call = bfetch_snapshots(v->app->be, on_list, v, &err);
    if (!v->call) snprintf(v->err, sizeof v->err, "%s", err.msg);
}

static void fmt_when(char *out, size_t n, int64_t ms)
{
    if (!ms) {
        snprintf(out, n, "-");
        return;
    }
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, n, "%Y-%m-%d %H:%M", &tm);
}

static void sn_draw(struct view *vv, struct app *a, WINDOW *w, int h, int wd)
{
    struct snapv *v = (struct snapv *)vv;
    const struct theme *th = &a->theme;
    struct buf t = BUF_INIT;
    buf_printf(&t, _("Snapshots (%d)"), v->sl.n);
    int x = ui_text(a, w, 0, 1, wd - 2, buf_cstr(&t), th->attr[ROLE_ACCENT] | A_BOLD);
    buf_free(&t);
    if (v->err[0]) ui_text(a, w, 0, x + 3, wd - x - 4, v->err, th->attr[ROLE_CRIT]);
    if (!v->loaded) {
        ui_text(a, w, 2, 2, wd - 4, v->err[0] ? _("cannot load the snapshots") : _("loading…"),
                th->attr[ROLE_DIM]);
        return;
    }
    static const struct {
        const char *title;
        int w;
    } cols[] = {{N_("SNAPSHOT"), 36}, {N_("SOURCE"), 22}, {N_("CREATED"), 16}, {N_("SIZE"), 9}};
    int nc = (int)(sizeof cols / sizeof cols[0]);
    ui_fill(w, 1, 0, wd, th->attr[ROLE_TITLE]);
    int cx = 1;
    for (int c = 0; c < nc && cx < wd; c++) {
        ui_text(a, w, 1, cx, cols[c].w, _(cols[c].title), th->attr[ROLE_TITLE]);
        cx += cols[c].w + 1;
    }
    if (!v->sl.n) {
        ui_text(a, w, 3, 2, wd - 4, _("no snapshots: S in the sandboxes view takes one"),
                th->attr[ROLE_DIM]);
        return;
    }
    if (v->sel >= v->sl.n) v->sel = v->sl.n - 1;
    int rows = h - 2 > 0 ? h - 2 : 1;
    if (v->sel < v->top) v->top = v->sel;
    if (v->sel >= v->top + rows) v->top = v->sel - rows + 1;
    for (int i = v->top, y = 2; i < v->sl.n && y < 2 + rows; i++, y++) {
        const struct snapshot_info *s = &v->sl.items[i];
        attr_t at = i == v->sel ? th->attr[ROLE_SELECTED] : th->attr[ROLE_NORMAL];
        if (i == v->sel) ui_fill(w, y, 0, wd, at);
        char f[4][64];
        snprintf(f[0], sizeof f[0], "%s", s->id);
        snprintf(f[1], sizeof f[1], "%s", s->sandbox_id ? s->sandbox_id : "-");
        fmt_when(f[2], sizeof f[2], s->created_ms);
        if (s->size >= 0)
            ui_fmt_bytes(f[3], sizeof f[3], s->size);
        else
            snprintf(f[3], sizeof f[3], "-");
        cx = 1;
        for (int c = 0; c < nc && cx < wd; c++) {
            ui_text(a, w, y, cx, cols[c].w < wd - cx ? cols[c].w : wd - cx, f[c], at);
            cx += cols[c].w + 1;
        }
    }
}

static int parse_secs(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || v <= 0) return -1;
    if (*end == 'm')
        v *= 60, end++;
    else if (*end == 'h')
        v *= 3600, end++;
    else if (*end == 's')
        end++;
    if (*end || v > 30L * 24 * 3600) return -1;
    *out = (int)v;
    return 0;
}

static void new_timeout_done(struct app *a, const char *text, int submit, void *ud)
{
    struct snapv *v = ud;
    if (!submit || !text || !v->pending_id) return;
    int secs = SNAP_DEFAULT_TIMEOUT_S;
    if (text[0] && parse_secs(text, &secs)) {
        app_status(a, STATUS_ERROR, _("not a duration: use seconds, or 10m, 2h"));
        return;
    }
    const char *kv[1] = {NULL};
    struct create_req req = {v->pending_id, secs, kv};
    app_status(a, STATUS_INFO, _("creating a sandbox…"));
    a->be->ops->create(a->be, &req);
    while (a->depth > 1) /* back to the sandboxes, where it appears (this view is freed) */
        app_pop_view(a);
}

static void on_deleted(struct api_result *res, void *ud)
{
    struct snapv *v = ud;
    v->del = NULL;
    if (res->err.kind != ERROR_NONE)
        app_status(v->app, STATUS_ERROR, _("delete failed: %s"), res->err.msg);
    else
        app_status(v->app, STATUS_INFO, _("snapshot %s deleted"),
                   v->pending_id ? v->pending_id : "");
    snap_fetch(v);
}

static void do_delete(struct app *a, void *ud)
{
    struct snapv *v = ud;
    struct error err = {0};
    if (!v->pending_id || v->del) return;
    v->del = bfetch_snapshot_delete(a->be, v->pending_id, on_deleted, v, &err);
    if (!v->del) app_status(a, STATUS_ERROR, _("delete failed: %s"), err.msg);
}

static void set_pending(struct snapv *v)
{
    free(v->pending_id);
    v->pending_id = strdup(v->sl.items[v->sel].id);
}

static int sn_key(struct view *vv, struct app *a, int ch, int is_key)
{
    struct snapv *v = (struct snapv *)vv;
    if ((is_key && ch == KEY_DOWN) || (!is_key && ch == 'j')) {
        if (v->sel + 1 < v->sl.n) v->sel++;
    } else if ((is_key && ch == KEY_UP) || (!is_key && ch == 'k')) {
        if (v->sel > 0) v->sel--;
    } else if (!is_key && ch == 'R') {
        snap_fetch(v);
    } else if (!is_key && ch == 'n') {
        if (app_refuse_readonly(a, _("create")) || !v->sl.n) return 1;
        set_pending(v);
        app_prompt(a, _("Time to live (seconds, or 10m, 2h; Enter for 5m): "), "", NULL,
                   new_timeout_done, v);
        return 1;
    } else if (!is_key && ch == 'D') {
        if (app_refuse_readonly(a, _("delete")) || !v->sl.n) return 1;
        set_pending(v);
        struct buf b = BUF_INIT; /* the id is shown through ui_text, which sanitizes it */
        buf_printf(&b, _("Delete snapshot %s?"), v->pending_id);
        app_confirm(a, buf_cstr(&b), do_delete, v);
        buf_free(&b);
        return 1;
    } else {
        return 0;
    }
    app_dirty(a, DIRTY_MAIN);
    return 1;
}

static const char *sn_footer(struct view *vv)
{
    (void)vv;
    return _("j/k move  n new sandbox from it  D delete  R reload  Esc back  ? help");
}

static const struct keyhelp sn_help[] = {
    {"j/k ↑/↓", N_("move")},
    {"n", N_("create a sandbox from the snapshot (its files; processes start afresh)")},
    {"D", N_("delete the snapshot (asks first)")},
    {"R", N_("reload")},
};

static const struct keyhelp *sn_helpfn(struct view *vv, int *n)
{
    (void)vv;
    *n = (int)(sizeof sn_help / sizeof sn_help[0]);
    return sn_help;
}

static void sn_destroy(struct view *vv)
{
    struct snapv *v = (struct snapv *)vv;
    bfetch_cancel(v->call);
    bfetch_cancel(v->del);
    snapshot_list_free(&v->sl);
    free(v->pending_id);
    free(v);
}

static const struct view_ops sn_ops = {
    .name = N_("snapshots"),
    .draw = sn_draw,
    .key = sn_key,
    .footer = sn_footer,
    .help = sn_helpfn,
    .destroy = sn_destroy,
};

struct view *view_snapshots_new(struct app *a)
{
    struct snapv *v = calloc(1, sizeof *v);
    if (!v) return NULL;
    v->base.ops = &sn_ops;
    v->app = a;
    snap_fetch(v);
    return &v->base;
}
