/* view_volumes.c - the team's volumes (`:volumes`, GET /volumes): name, size and the sandboxes that
 * mount it (sizes and mounts where the backend says: boxtopd does, E2B cloud does not). `c`
 * creates one (asks a name), `D` deletes the selected one (asks first), Enter or `f` browses
 * its files in the file browser of a running sandbox that mounts it, at the mount path. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "boxtop/snapvol.h"
#include "app.h"
#include "backend_fetch.h"

struct volv {
    struct view base;
    struct app *app;
    struct volume_list vl;
    struct bfetch *call, *act, *detail;
    int loaded, sel, top;
    char err[ERROR_MSG_MAX];
    char *pending;      /* id of the volume of the pending `D` / name of the browsed one */
    char act_name[256]; /* the volume the running create or delete is about, and which */
    int act_create;
    char del_name[256]; /* the name of the pending `D` */
    char browse_sbx[128];
};

static void vol_fetch(struct volv *v);

static void on_list(struct api_result *res, void *ud)
{
    struct volv *v = ud;
    struct volume_list l = {0};
    struct error err = {0};
    v->call = NULL;
    if (res->err.kind != ERROR_NONE) {
        snprintf(v->err, sizeof v->err, "%s", res->err.msg);
    } else if (volume_list_parse(res->body, res->body_len, &l, &err) < 0) {
        snprintf(v->err, sizeof v->err, "%s", err.msg);
    } else {
        volume_list_free(&v->vl);
        v->vl = l;
        v->err[0] = '\0';
        v->loaded = 1;
    }
    app_dirty(v->app, DIRTY_MAIN);
}

static void vol_fetch(struct volv *v)
{
    if (v->call) return;
    struct error err = {0};
    v->call = bfetch_volumes(v->app->be, on_list, v, &err);
    if (!v->call) snprintf(v->err, sizeof v->err, "%s", err.msg);
}

static void vo_draw(struct view *vv, struct app *a, WINDOW *w, int h, int wd)
{
    struct volv *v = (struct volv *)vv;
    static const struct ui_col cols[] = {{N_("NAME"), 20, 0},
                                         {N_("SIZE"), 9, 0},
                                         {N_("MOUNTED BY"), 46, 21},
                                         {N_("VOLUME ID"), 36, 0}};
    struct buf t = BUF_INIT;
    if (v->loaded) /* no count before the first answer: 0 would be a claim */
        buf_printf(&t, _("Volumes (%d)"), v->vl.n);
    else
        buf_append_str(&t, _("Volumes"));
    struct ui_list l = {
        buf_cstr(&t), v->err,  _("cannot load the volumes"),        _("no volumes: c creates one"),
        v->loaded,    v->vl.n, (int)(sizeof cols / sizeof cols[0]), cols,
        &v->sel,      &v->top};
    int rows = ui_list_frame(a, w, h, wd, &l);
    for (int i = v->top, y = 2; i < v->vl.n && y < 2 + rows; i++, y++) {
        const struct volume_info *vi = &v->vl.items[i];
        char size[32];
        struct buf by = BUF_INIT;
        if (vi->size >= 0)
            ui_fmt_bytes(size, sizeof size, vi->size);
        else
            snprintf(size, sizeof size, "-");
        for (int k = 0; k < vi->n_mounted; k++)
            buf_printf(&by, "%s%s", k ? " " : "", vi->mounted_by[k]);
        const char *f[4] = {vi->name ? vi->name : "-", size,
                            vi->n_mounted > 0 ? buf_cstr(&by) : "-", vi->id};
        ui_list_row(a, w, y, wd, &l, i, f);
        buf_free(&by);
    }
    buf_free(&t);
}

static void on_action(struct api_result *res, void *ud)
{
    struct volv *v = ud;
    v->act = NULL;
    if (res->err.kind != ERROR_NONE)
        app_status_detail(v->app, STATUS_ERROR, res->err.detail, _("volume: %s"), res->err.msg);
    else if (v->act_create)
        app_status(v->app, STATUS_INFO, _("created volume %s"), v->act_name);
    else
        app_status(v->app, STATUS_INFO, _("deleted volume %s"), v->act_name);
    vol_fetch(v);
}

static void create_done(struct app *a, const char *text, int submit, void *ud)
{
    struct volv *v = ud;
    struct error err = {0};
    if (!submit || !text || !text[0] || v->act) return;
    snprintf(v->act_name, sizeof v->act_name, "%s", text);
    v->act_create = 1;
    v->act = bfetch_volume_create(a->be, text, on_action, v, &err);
    if (!v->act) app_status_detail(a, STATUS_ERROR, err.detail, _("volume: %s"), err.msg);
}

static void do_delete(struct app *a, void *ud)
{
    struct volv *v = ud;
    struct error err = {0};
    if (!v->pending || v->act) return;
    snprintf(v->act_name, sizeof v->act_name, "%s", v->del_name);
    v->act_create = 0;
    v->act = bfetch_volume_delete(a->be, v->pending, on_action, v, &err);
    if (!v->act) app_status_detail(a, STATUS_ERROR, err.detail, _("volume: %s"), err.msg);
}

static void on_detail(struct api_result *res, void *ud)
{
    struct volv *v = ud;
    char path[4096];
    struct error err = {0};
    v->detail = NULL;
    if (res->err.kind != ERROR_NONE) {
        app_status_detail(v->app, STATUS_ERROR, res->err.detail, _("volume: %s"), res->err.msg);
        return;
    }
    if (!v->pending ||
        volume_mount_path(res->body, res->body_len, v->pending, path, sizeof path, &err) < 0) {
        app_status_detail(v->app, STATUS_ERROR, err.detail, _("volume: %s"), err.msg);
        return;
    }
    struct view *fv = view_files_at(v->app, v->browse_sbx, path);
    if (fv) app_push_view(v->app, fv);
}

/* The file browser of a running sandbox that mounts the selected volume, at its mount path. */
static void browse(struct volv *v, struct app *a)
{
    const struct volume_info *vi = &v->vl.items[v->sel];
    const char *sid = NULL;
    for (int k = 0; k < vi->n_mounted && !sid; k++) {
        struct box *b = model_find(&a->model, vi->mounted_by[k]);
        if (b && b->state == BOX_RUNNING) sid = vi->mounted_by[k];
    }
    if (!sid) {
        app_status(a, STATUS_WARN, "%s",
                   _("no running sandbox mounts this volume: create one with volumeMounts"));
        return;
    }
    free(v->pending);
    v->pending = vi->name ? strdup(vi->name) : NULL;
    snprintf(v->browse_sbx, sizeof v->browse_sbx, "%s", sid);
    struct error err = {0};
    bfetch_cancel(v->detail);
    v->detail = bfetch_sandbox_detail(a->be, sid, on_detail, v, &err);
    if (!v->detail) app_status_detail(a, STATUS_ERROR, err.detail, _("volume: %s"), err.msg);
}

static int vo_key(struct view *vv, struct app *a, int ch, int is_key)
{
    struct volv *v = (struct volv *)vv;
    if (ui_list_move(ch, is_key, &v->sel, v->vl.n)) {
    } else if (!is_key && ch == 'R') {
        vol_fetch(v);
    } else if (!is_key && ch == 'c') {
        if (!app_refuse_readonly(a, _("create")))
            app_prompt(a, _("New volume name: "), "", NULL, create_done, v);
        return 1;
    } else if (!is_key && ch == 'D') {
        if (app_refuse_readonly(a, _("delete")) || !v->vl.n) return 1;
        free(v->pending);
        v->pending = strdup(v->vl.items[v->sel].id);
        snprintf(v->del_name, sizeof v->del_name, "%s",
                 v->vl.items[v->sel].name ? v->vl.items[v->sel].name : v->pending);
        struct buf b = BUF_INIT; /* shown through ui_text, which sanitizes it */
        buf_printf(&b, _("Delete volume %s and its files?"),
                   v->vl.items[v->sel].name ? v->vl.items[v->sel].name : v->pending);
        app_confirm(a, buf_cstr(&b), do_delete, v);
        buf_free(&b);
        return 1;
    } else if ((is_key && ch == KEY_ENTER) ||
               (!is_key && (ch == '\n' || ch == '\r' || ch == 'f'))) {
        if (v->vl.n) browse(v, a);
        return 1;
    } else {
        return 0;
    }
    app_dirty(a, DIRTY_MAIN);
    return 1;
}

static const char *vo_footer(struct view *vv)
{
    (void)vv;
    return _("j/k move  Enter files  c create  D delete  R reload  Esc back  ? help");
}

static const struct keyhelp vo_help[] = {
    {"j/k ↑/↓", N_("move")},
    {"Enter f", N_("browse the volume's files (through a running sandbox that mounts it)")},
    {"c", N_("create a volume (asks a name)")},
    {"D", N_("delete the volume and its files (asks first)")},
    {"R", N_("reload")},
};

static const struct keyhelp *vo_helpfn(struct view *vv, int *n)
{
    (void)vv;
    *n = (int)(sizeof vo_help / sizeof vo_help[0]);
    return vo_help;
}

static void vo_destroy(struct view *vv)
{
    struct volv *v = (struct volv *)vv;
    bfetch_cancel(v->call);
    bfetch_cancel(v->act);
    bfetch_cancel(v->detail);
    volume_list_free(&v->vl);
    free(v->pending);
    free(v);
}

static const struct view_ops vo_ops = {
    .name = N_("volumes"),
    .draw = vo_draw,
    .key = vo_key,
    .footer = vo_footer,
    .help = vo_helpfn,
    .destroy = vo_destroy,
};

struct view *view_volumes_new(struct app *a)
{
    struct volv *v = calloc(1, sizeof *v);
    if (!v) return NULL;
    v->base.ops = &vo_ops;
    v->app = a;
    vol_fetch(v);
    return &v->base;
}
