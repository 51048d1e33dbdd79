/* templates.c - the team's templates (GET /v2/templates): id, aliases, CPU/memory, disk, build
 * status, public, builds, spawns, last used. Enter shows every field of the selected one; `n`
 * creates a sandbox from it (asks the time to live) and goes back to the sandboxes. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "app.h"
#include "backend_fetch.h"

#define TPL_DEFAULT_TIMEOUT_S 300

struct tplv {
    struct view base;
    struct app *app;
    struct template_list tl;
    struct bfetch *call;
    int loaded, sel, top, details;
    char err[ERROR_MSG_MAX];
    char *new_id;     /* template of the pending `n` */
    char *build_file; /* the pending `b`: file given, name asked next */
    char *del_id;     /* the pending `D` */
    struct bfetch *del;
};

static void on_templates(struct api_result *res, void *ud)
{
    struct tplv *v = ud;
    v->call = NULL;
    if (res->err.kind != ERROR_NONE) {
        snprintf(v->err, sizeof(v->err), "%s", res->err.msg);
    } else {
        template_list_free(&v->tl);
        v->tl = res->templates; /* moved out of the result */
        memset(&res->templates, 0, sizeof(res->templates));
        v->err[0] = '\0';
        v->loaded = 1;
    }
    app_dirty(v->app, DIRTY_MAIN);
}

static void tpl_fetch(struct tplv *v)
{
    if (v->call) return;
    struct error err = {0};
    v->call = bfetch_templates(v->app->be, on_templates, v, &err);
    if (!v->call) snprintf(v->err, sizeof(v->err), "%s", err.msg);
}

static void fmt_when(char *out, size_t n, int64_t ms, const char *never)
{
    if (!ms) {
        snprintf(out, n, "%s", never);
        return;
    }
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, n, "%Y-%m-%d %H:%M", &tm);
}

static void join(struct buf *b, char **v, int n)
{
    for (int i = 0; i < n; i++)
        buf_printf(b, "%s%s", i ? "," : "", v[i] ? v[i] : "");
    if (!n) buf_append_str(b, "-");
}

struct col {
    const char *title;
    int w;
};

static void tp_draw(struct view *vv, struct app *a, WINDOW *w, int h, int wd)
{
    struct tplv *v = (struct tplv *)vv;
    const struct theme *th = &a->theme;
    struct buf t = BUF_INIT;
    buf_printf(&t, _("Templates (%d)"), v->tl.n);
    int x = ui_text(a, w, 0, 1, wd - 2, buf_cstr(&t), th->attr[ROLE_ACCENT] | A_BOLD);
    buf_free(&t);
    if (v->err[0]) ui_text(a, w, 0, x + 3, wd - x - 4, v->err, th->attr[ROLE_CRIT]);
    if (!v->loaded) {
        ui_text(a, w, 2, 2, wd - 4, v->err[0] ? _("cannot load the templates") : _("loading…"),
                th->attr[ROLE_DIM]);
        return;
    }
    const struct col cols[] = {{N_("TEMPLATE"), 22}, {N_("ALIASES"), 18}, {N_("CPU"), 4},
                               {N_("MEMORY"), 8},    {N_("DISK"), 8},     {N_("STATUS"), 9},
                               {N_("PUBLIC"), 6},    {N_("BUILDS"), 6},   {N_("SPAWNS"), 7},
                               {N_("LAST USED"), 16}};
    int nc = (int)(sizeof(cols) / sizeof(cols[0]));
    ui_fill(w, 1, 0, wd, th->attr[ROLE_TITLE]);
    int cx = 1;
    for (int c = 0; c < nc && cx < wd; c++) {
        ui_text(a, w, 1, cx, cols[c].w, _(cols[c].title), th->attr[ROLE_TITLE]);
        cx += cols[c].w + 1;
    }
    if (!v->tl.n) {
        ui_text(a, w, 3, 2, wd - 4, _("no templates"), th->attr[ROLE_DIM]);
        return;
    }
    if (v->sel >= v->tl.n) v->sel = v->tl.n - 1;
    int detail_rows = v->details ? 9 : 0;
    int rows = h - 2 - detail_rows;
    if (rows < 1) rows = 1;
    if (v->sel < v->top) v->top = v->sel;
    if (v->sel >= v->top + rows) v->top = v->sel - rows + 1;
    for (int i = v->top, y = 2; i < v->tl.n && y < 2 + rows; i++, y++) {
        const struct template_info *ti = &v->tl.items[i];
        attr_t base = i == v->sel ? th->attr[ROLE_SELECTED] : th->attr[ROLE_NORMAL];
        if (i == v->sel) ui_fill(w, y, 0, wd, base);
        char f[10][64];
        struct buf al = BUF_INIT;
        join(&al, ti->aliases, ti->n_aliases);
        snprintf(f[0], sizeof(f[0]), "%s", ti->id ? ti->id : "?");
        snprintf(f[1], sizeof(f[1]), "%s", buf_cstr(&al));
        buf_free(&al);
        snprintf(f[2], sizeof(f[2]), "%d", ti->cpu_count);
        ui_fmt_bytes(f[3], sizeof(f[3]), (int64_t)ti->memory_mb * 1024 * 1024);
        if (ti->disk_size_mb)
            ui_fmt_bytes(f[4], sizeof(f[4]), (int64_t)ti->disk_size_mb * 1024 * 1024);
        else
            snprintf(f[4], sizeof(f[4]), "-");
        snprintf(f[5], sizeof(f[5]), "%s", ti->build_status ? ti->build_status : "-");
        snprintf(f[6], sizeof(f[6]), "%s", ti->public_ ? _("yes") : _("no"));
        snprintf(f[7], sizeof(f[7]), "%d", ti->build_count);
        snprintf(f[8], sizeof(f[8]), "%lld", (long long)ti->spawn_count);
        fmt_when(f[9], sizeof(f[9]), ti->last_spawned_at_ms, _("never"));
        cx = 1;
        for (int c = 0; c < nc && cx < wd; c++) {
            attr_t at = base;
            if (c == 5 && i != v->sel && ti->build_status)
                at = !strcmp(ti->build_status, "ready")   ? th->attr[ROLE_OK]
                     : !strcmp(ti->build_status, "error") ? th->attr[ROLE_CRIT]
                                                          : th->attr[ROLE_WARN];
            ui_text(a, w, y, cx, cols[c].w < wd - cx ? cols[c].w : wd - cx, f[c], at);
            cx += cols[c].w + 1;
        }
    }
    if (!v->details) return;
    const struct template_info *ti = &v->tl.items[v->sel];
    int y = h - detail_rows;
    char c1[32], c2[32], c3[32];
    struct buf b = BUF_INIT;
    ui_box(a, w, y, 0, detail_rows, wd, th->attr[ROLE_DIM]);
    buf_printf(&b, _("Template %s"), ti->id ? ti->id : "?");
    ui_text(a, w, y, 2, wd - 4, buf_cstr(&b), th->attr[ROLE_TITLE]);
    buf_reset(&b);
    buf_printf(&b, "%s: ", _("aliases"));
    join(&b, ti->aliases, ti->n_aliases);
    buf_printf(&b, "   %s: ", _("names"));
    join(&b, ti->names, ti->n_names);
    ui_text(a, w, y + 1, 2, wd - 4, buf_cstr(&b), th->attr[ROLE_NORMAL]);
    buf_reset(&b);
    buf_printf(&b, _("build %s (%s), %d builds, envd %s"), ti->build_id ? ti->build_id : "-",
               ti->build_status ? ti->build_status : "-", ti->build_count,
               ti->envd_version ? ti->envd_version : "-");
    ui_text(a, w, y + 2, 2, wd - 4, buf_cstr(&b), th->attr[ROLE_NORMAL]);
    buf_reset(&b);
    buf_printf(&b, _("%d vCPU, %d MiB memory, %d MiB disk, %s"), ti->cpu_count, ti->memory_mb,
               ti->disk_size_mb, ti->public_ ? _("public") : _("private"));
    ui_text(a, w, y + 3, 2, wd - 4, buf_cstr(&b), th->attr[ROLE_NORMAL]);
    buf_reset(&b);
    fmt_when(c1, sizeof(c1), ti->created_at_ms, "-");
    fmt_when(c2, sizeof(c2), ti->updated_at_ms, "-");
    fmt_when(c3, sizeof(c3), ti->last_spawned_at_ms, _("never"));
    buf_printf(&b, _("created %s, updated %s, last used %s, %lld sandboxes started"), c1, c2, c3,
               (long long)ti->spawn_count);
    ui_text(a, w, y + 4, 2, wd - 4, buf_cstr(&b), th->attr[ROLE_NORMAL]);
    ui_text(a, w, y + 6, 2, wd - 4, _("n creates a sandbox from this template; Enter closes"),
            th->attr[ROLE_DIM]);
    buf_free(&b);
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
    struct tplv *v = ud;
    if (!submit || !text || !v->new_id) return;
    int secs = TPL_DEFAULT_TIMEOUT_S;
    if (text[0] && parse_secs(text, &secs)) {
        app_status(a, STATUS_ERROR, _("not a duration: use seconds, or 10m, 2h"));
        return;
    }
    const char *kv[1] = {NULL};
    struct create_req req = {v->new_id, secs, kv};
    a->be->ops->create(a->be, &req);
    while (a->depth > 1) /* back to the sandboxes, where it appears (this view is freed) */
        app_pop_view(a);
    app_status(a, STATUS_INFO, _("creating a sandbox…")); /* said there, where it appears */
}

static void build_name_done(struct app *a, const char *text, int submit, void *ud)
{
    struct tplv *v = ud;
    if (!submit || !text || !v->build_file) return;
    char name[128];
    int cpu = 2, mem = 1024;
    if (sscanf(text, "%127s %d %d", name, &cpu, &mem) < 1) {
        app_status(a, STATUS_ERROR, _("a template needs a name"));
        return;
    }
    struct error err = {0};
    struct view *bv = view_template_build_new(a, v->build_file, name, cpu, mem, &err);
    if (!bv) {
        app_status(a, STATUS_ERROR, "%s", err.msg);
        return;
    }
    app_push_view(a, bv);
}

static void build_file_done(struct app *a, const char *text, int submit, void *ud)
{
    struct tplv *v = ud;
    if (!submit || !text || !text[0]) return;
    free(v->build_file);
    v->build_file = strdup(text);
    app_prompt(a, _("Template name [CPU MEMORY_MB] (e.g. my-app 2 1024): "), "", NULL,
               build_name_done, v);
}

static void on_deleted(struct api_result *res, void *ud)
{
    struct tplv *v = ud;
    v->del = NULL;
    if (res->err.kind != ERROR_NONE)
        app_status(v->app, STATUS_ERROR, "%s", res->err.msg);
    else
        app_status(v->app, STATUS_INFO, _("template %s deleted"), v->del_id ? v->del_id : "");
    tpl_fetch(v);
}

static void delete_yes(struct app *a, void *ud)
{
    struct tplv *v = ud;
    struct error err = {0};
    if (!v->del_id) return;
    bfetch_cancel(v->del);
    v->del = bfetch_template_delete(a->be, v->del_id, on_deleted, v, &err);
    if (!v->del) app_status(a, STATUS_ERROR, "%s", err.msg);
}

static int tp_key(struct view *vv, struct app *a, int ch, int is_key)
{
    struct tplv *v = (struct tplv *)vv;
    if ((is_key && ch == KEY_DOWN) || (!is_key && ch == 'j')) {
        if (v->sel + 1 < v->tl.n) v->sel++;
    } else if ((is_key && ch == KEY_UP) || (!is_key && ch == 'k')) {
        if (v->sel > 0) v->sel--;
    } else if ((is_key && ch == KEY_ENTER) || (!is_key && (ch == '\n' || ch == '\r'))) {
        v->details = !v->details;
    } else if (!is_key && ch == 'R') {
        tpl_fetch(v);
    } else if (!is_key && ch == 'b') {
        if (app_refuse_readonly(a, _("build"))) return 1;
        app_prompt(a, _("Build from template file (e2b.Dockerfile): "), "e2b.Dockerfile", NULL,
                   build_file_done, v);
        return 1;
    } else if (!is_key && ch == 'D') {
        if (app_refuse_readonly(a, _("delete")) || !v->tl.n) return 1;
        const struct template_info *ti = &v->tl.items[v->sel];
        if (!ti->id || !strcmp(ti->id, "base")) {
            app_status(a, STATUS_ERROR, _("the base template cannot be deleted"));
            return 1;
        }
        int users = 0;
        for (int i = 0; i < a->model.n; i++)
            if (a->model.sb[i]->template_id && !strcmp(a->model.sb[i]->template_id, ti->id))
                users++;
        free(v->del_id);
        v->del_id = strdup(ti->id);
        char msg[300];
        if (users)
            snprintf(msg, sizeof msg,
                     _("Delete template %s? %d sandboxes use it (the server refuses while they "
                       "run)"),
                     ti->id, users);
        else
            snprintf(msg, sizeof msg, _("Delete template %s? No sandbox uses it"), ti->id);
        app_confirm(a, msg, delete_yes, v);
        return 1;
    } else if (!is_key && ch == 'n') {
        if (app_refuse_readonly(a, _("create")) || !v->tl.n) return 1;
        free(v->new_id);
        v->new_id = strdup(v->tl.items[v->sel].id ? v->tl.items[v->sel].id : "base");
        app_prompt(a, _("Time to live (seconds, or 10m, 2h; Enter for 5m): "), "", NULL,
                   new_timeout_done, v);
        return 1;
    } else {
        return 0;
    }
    app_dirty(a, DIRTY_MAIN);
    return 1;
}

static const char *tp_footer(struct view *vv)
{
    (void)vv;
    return _(
        "j/k move  Enter details  n new sandbox  b build  D delete  R reload  Esc back  ? help");
}

static const struct keyhelp tp_help[] = {
    {"j/k ↑/↓", N_("move")},
    {"Enter", N_("show or hide every field of the template")},
    {"n", N_("create a sandbox from the template")},
    {"b", N_("build a template from an e2b.Dockerfile (live build pane)")},
    {"D", N_("delete the template (asks; says how many sandboxes use it)")},
    {"R", N_("reload")},
};

static const struct keyhelp *tp_helpfn(struct view *vv, int *n)
{
    (void)vv;
    *n = (int)(sizeof(tp_help) / sizeof(tp_help[0]));
    return tp_help;
}

static void tp_destroy(struct view *vv)
{
    struct tplv *v = (struct tplv *)vv;
    bfetch_cancel(v->call);
    bfetch_cancel(v->del);
    template_list_free(&v->tl);
    free(v->new_id);
    free(v->build_file);
    free(v->del_id);
    free(v);
}

static const struct view_ops tp_ops = {
    .name = N_("templates"),
    .draw = tp_draw,
    .key = tp_key,
    .footer = tp_footer,
    .help = tp_helpfn,
    .destroy = tp_destroy,
};

struct view *view_templates_new(struct app *a)
{
    struct tplv *v = calloc(1, sizeof(*v));
    if (!v) return NULL;
    v->base.ops = &tp_ops;
    v->app = a;
    tpl_fetch(v);
    return &v->base;
}
