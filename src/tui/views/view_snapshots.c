/* view_snapshots.c - the team's snapshots (`:snapshots`, GET /snapshots): name, source sandbox,
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

static void sn_draw(struct view *vv, struct app *a, WINDOW *w, int h, int wd)
{
    struct snapv *v = (struct snapv *)vv;
    static const struct ui_col cols[] = {{N_("SNAPSHOT"), 36, 16},
                                         {N_("SOURCE"), 22, 0},
                                         {N_("CREATED"), 16, 0},
                                         {N_("SIZE"), 9, 0}};
    struct buf t = BUF_INIT;
    if (v->loaded) /* no count before the first answer: 0 would be a claim */
        buf_printf(&t, _("Snapshots (%d)"), v->sl.n);
    else
        buf_append_str(&t, _("Snapshots"));
    struct ui_list l = {buf_cstr(&t),
                        v->err,
                        _("cannot load the snapshots"),
                        _("no snapshots: S in the sandboxes view takes one"),
                        v->loaded,
                        v->sl.n,
                        (int)(sizeof cols / sizeof cols[0]),
                        cols,
                        &v->sel,
                        &v->top};
    int rows = ui_list_frame(a, w, h, wd, &l);
    for (int i = v->top, y = 2; i < v->sl.n && y < 2 + rows; i++, y++) {
        const struct snapshot_info *s = &v->sl.items[i];
        char f[4][64];
        snprintf(f[0], sizeof f[0], "%s", s->id);
        snprintf(f[1], sizeof f[1], "%s", s->sandbox_id ? s->sandbox_id : "-");
        ui_fmt_localtime(f[2], sizeof f[2], s->created_ms, "%Y-%m-%d %H:%M");
        if (s->size >= 0)
            ui_fmt_bytes(f[3], sizeof f[3], s->size);
        else
            snprintf(f[3], sizeof f[3], "-");
        ui_list_row(a, w, y, wd, &l, i, (const char *const[]){f[0], f[1], f[2], f[3]});
    }
    buf_free(&t);
}

static void new_timeout_done(struct app *a, const char *text, int submit, void *ud)
{
    struct snapv *v = ud;
    if (submit && text && v->pending_id)
        sbact_create_from(a, v->pending_id, text, SNAP_DEFAULT_TIMEOUT_S);
}

static void on_deleted(struct api_result *res, void *ud)
{
    struct snapv *v = ud;
    v->del = NULL;
    if (res->err.kind != ERROR_NONE)
        app_status_detail(v->app, STATUS_ERROR, res->err.detail, _("delete failed: %s"),
                          res->err.msg);
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
    if (!v->del) app_status_detail(a, STATUS_ERROR, err.detail, _("delete failed: %s"), err.msg);
}

static void set_pending(struct snapv *v)
{
    free(v->pending_id);
    v->pending_id = strdup(v->sl.items[v->sel].id);
}

static int sn_key(struct view *vv, struct app *a, int ch, int is_key)
{
    struct snapv *v = (struct snapv *)vv;
    if (ui_list_move(ch, is_key, &v->sel, v->sl.n)) {
    } else if (!is_key && ch == 'R') {
        snap_fetch(v);
    } else if (!is_key && ch == 'n') {
        if (app_refuse_readonly(a, _("create")) || !v->sl.n) return 1;
        set_pending(v);
        char label[96];
        ui_ttl_prompt(label, sizeof label, SNAP_DEFAULT_TIMEOUT_S);
        app_prompt(a, label, "", NULL, new_timeout_done, v);
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
