/* view_templates.c - the team's templates (GET /v2/templates): id, aliases, CPU/memory, disk, build
 * status, public, builds, spawns, last used. Enter opens the pane with every field of the
 * selected one, its tags and its builds (view_templates_pane.c); t/T/P edit tags and visibility
 * (view_templates_edit.c); `n` creates a sandbox from it (asks the time to live) and goes back to
 * the sandboxes; `b` builds one from an e2b.Dockerfile (view_template_build.c); `D` deletes. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "templates_view.h"

#define TPL_DEFAULT_TIMEOUT_S 300

/* The rows the filter shows; the selection stays on its template (by id) when it still shows,
 * else on the same position. */
static void rows_build(struct tplv *v)
{
    const struct template_info *was = tplv_selected(v);
    char *sel_id = was && was->id ? strdup(was->id) : NULL;
    int *rows = realloc(v->rows, (size_t)(v->tl.n ? v->tl.n : 1) * sizeof *rows);
    if (!rows) { /* keep what was shown */
        free(sel_id);
        return;
    }
    v->rows = rows;
    v->nrows = 0;
    for (int i = 0; i < v->tl.n; i++)
        if (filter_match_template(&v->f, &v->tl.items[i])) {
            if (sel_id && v->tl.items[i].id && !strcmp(v->tl.items[i].id, sel_id))
                v->sel = v->nrows;
            v->rows[v->nrows++] = i;
        }
    free(sel_id);
    if (v->sel >= v->nrows) v->sel = v->nrows ? v->nrows - 1 : 0;
    if (v->sel < 0) v->sel = 0;
}

static void on_templates(struct api_result *res, void *ud)
{
    struct tplv *v = ud;
    v->call = NULL;
    if (res->err.kind != ERROR_NONE) {
        snprintf(v->err, sizeof(v->err), "%s", res->err.msg);
        tplv_report(v, _("cannot load the templates: %s"), &res->err);
    } else {
        /* the selection's id, before the old list goes */
        const struct template_info *was = tplv_selected(v);
        char *sel_id = was && was->id ? strdup(was->id) : NULL;
        template_list_free(&v->tl);
        v->tl = res->templates; /* moved out of the result */
        memset(&res->templates, 0, sizeof(res->templates));
        v->err[0] = '\0';
        v->loaded = 1;
        v->nrows = 0;
        rows_build(v);
        for (int r = 0; sel_id && r < v->nrows; r++)
            if (v->tl.items[v->rows[r]].id && !strcmp(v->tl.items[v->rows[r]].id, sel_id))
                v->sel = r;
        free(sel_id);
        if (v->details && tplv_selected(v)) tpl_pane_show(v, tplv_selected(v)->id, 0);
        if (!v->nrows) v->details = 0;
    }
    app_dirty(v->app, DIRTY_MAIN);
}

static void tplv_fetch(struct tplv *v)
{
    if (v->call) return;
    struct error err = {0};
    v->call = bfetch_templates(v->app->be, on_templates, v, &err);
    if (!v->call) {
        snprintf(v->err, sizeof(v->err), "%s", err.msg);
        tplv_report(v, _("cannot load the templates: %s"), &err);
    }
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
    if (v->filter_text[0]) {
        buf_printf(&t, _("Templates (%d of %d)"), v->nrows, v->tl.n);
        buf_printf(&t, _("  filter: %s"), v->filter_text);
    } else {
        buf_printf(&t, _("Templates (%d)"), v->tl.n);
    }
    int x = ui_text(a, w, 0, 1, wd - 2, buf_cstr(&t), th->attr[ROLE_ACCENT] | A_BOLD);
    buf_free(&t);
    if (v->err[0]) ui_text(a, w, 0, x + 3, wd - x - 4, v->err, th->attr[ROLE_CRIT]);
    if (!v->loaded) {
        ui_text(a, w, 2, 2, wd - 4, v->err[0] ? _("cannot load the templates") : _("loading…"),
                th->attr[ROLE_DIM]);
        return;
    }
    struct col cols[] = {{N_("TEMPLATE"), 22}, {N_("ALIASES"), 18}, {N_("CPU"), 4},
                         {N_("MEMORY"), 8},    {N_("DISK"), 8},     {N_("STATUS"), 9},
                         {N_("PUBLIC"), 6},    {N_("BUILDS"), 6},   {N_("SPAWNS"), 7},
                         {N_("LAST USED"), 16}};
    int nc = (int)(sizeof(cols) / sizeof(cols[0]));
    for (int c = 0; c < nc; c++) { /* a translated title may be longer ("ÖFFENTL") */
        char tw[8];
        int n = ui_fit(a, _(cols[c].title), 24, tw, sizeof tw);
        if (n > cols[c].w) cols[c].w = n;
    }
    ui_fill(w, 1, 0, wd, th->attr[ROLE_TITLE]);
    int cx = 1;
    for (int c = 0; c < nc && cx < wd; c++) {
        ui_text(a, w, 1, cx, cols[c].w < wd - cx ? cols[c].w : wd - cx, _(cols[c].title),
                th->attr[ROLE_TITLE]);
        cx += cols[c].w + 1;
    }
    if (!v->nrows) {
        ui_text(a, w, 3, 2, wd - 4,
                v->tl.n ? _("No template matches the filter (Esc clears it)") : _("no templates"),
                th->attr[ROLE_DIM]);
        return;
    }
    if (v->sel >= v->nrows) v->sel = v->nrows - 1;
    int detail_rows = v->details ? tpl_pane_rows(v, h) : 0;
    int rows = h - 2 - detail_rows;
    if (rows < 1) rows = 1;
    if (v->sel < v->top) v->top = v->sel;
    if (v->sel >= v->top + rows) v->top = v->sel - rows + 1;
    for (int i = v->top, y = 2; i < v->nrows && y < 2 + rows; i++, y++) {
        const struct template_info *ti = &v->tl.items[v->rows[i]];
        attr_t base = i == v->sel ? th->attr[ROLE_SELECTED] : th->attr[ROLE_NORMAL];
        if (i == v->sel) ui_fill(w, y, 0, wd, base);
        char f[10][64];
        struct buf al = BUF_INIT;
        tpl_join(&al, ti->aliases, ti->n_aliases);
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
        tpl_fmt_when(f[9], sizeof(f[9]), ti->last_spawned_at_ms, _("never"));
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
    if (v->details) tpl_pane_draw(v, a, w, h - detail_rows, detail_rows, wd);
}

static void new_timeout_done(struct app *a, const char *text, int submit, void *ud)
{
    struct tplv *v = ud;
    if (submit && text && v->new_id) sbact_create_from(a, v->new_id, text, TPL_DEFAULT_TIMEOUT_S);
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
        tplv_report(v, "%s", &err);
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
        tplv_report(v, _("cannot delete the template: %s"), &res->err);
    else
        app_status(v->app, STATUS_INFO, _("template %s deleted"), v->del_id ? v->del_id : "");
    tplv_fetch(v);
}

static void delete_yes(struct app *a, void *ud)
{
    struct tplv *v = ud;
    struct error err = {0};
    if (!v->del_id) return;
    bfetch_cancel(v->del);
    v->del = bfetch_template_delete(a->be, v->del_id, on_deleted, v, &err);
    if (!v->del) tplv_report(v, _("cannot delete the template: %s"), &err);
}

static void filter_changed(struct app *a, const char *text, int submit, void *ud)
{
    struct tplv *v = ud;
    if (submit && !text) /* Esc: back to what it was */
        text = v->filter_before;
    snprintf(v->filter_text, sizeof(v->filter_text), "%s", text);
    filter_parse(&v->f, v->filter_text);
    rows_build(v);
    if (!v->nrows) v->details = 0;
    if (v->details && tplv_selected(v)) tpl_pane_show(v, tplv_selected(v)->id, 0);
    app_dirty(a, DIRTY_MAIN | DIRTY_FOOTER); /* the footer says what Esc does */
}

static int tp_key(struct view *vv, struct app *a, int ch, int is_key)
{
    struct tplv *v = (struct tplv *)vv;
    if (tpl_pane_key(v, a, ch, is_key)) return 1; /* Tab, and the keys of the builds */
    if (!is_key && ch == '/') {
        snprintf(v->filter_before, sizeof(v->filter_before), "%s", v->filter_text);
        app_prompt(a, "/", v->filter_text, NULL, filter_changed, v);
        return 1;
    } else if (!is_key && ch == 27) {
        if (!v->filter_text[0]) return 0; /* back */
        filter_changed(a, "", 0, v);
        return 1;
    }
    if ((is_key && ch == KEY_DOWN) || (!is_key && ch == 'j')) {
        if (v->sel + 1 < v->nrows) v->sel++;
        if (v->details && tplv_selected(v)) tpl_pane_show(v, tplv_selected(v)->id, 0);
    } else if ((is_key && ch == KEY_UP) || (!is_key && ch == 'k')) {
        if (v->sel > 0) v->sel--;
        if (v->details && tplv_selected(v)) tpl_pane_show(v, tplv_selected(v)->id, 0);
    } else if ((is_key && ch == KEY_ENTER) || (!is_key && (ch == '\n' || ch == '\r'))) {
        v->details = !v->details && tplv_selected(v);
        v->pane.focus = 0;
        if (v->details) tpl_pane_show(v, tplv_selected(v)->id, 1);
    } else if (!is_key && tpl_edit_key(v, a, ch)) {
        return 1;
    } else if (!is_key && ch == 'R') {
        tplv_fetch(v);
        if (v->details && tplv_selected(v)) tpl_pane_show(v, tplv_selected(v)->id, 1);
    } else if (!is_key && ch == 'b') {
        if (app_refuse_readonly(a, _("build"))) return 1;
        app_prompt(a, _("Build from template file (e2b.Dockerfile): "), "e2b.Dockerfile", NULL,
                   build_file_done, v);
        return 1;
    } else if (!is_key && ch == 'D') {
        const struct template_info *ti = tplv_selected(v);
        if (app_refuse_readonly(a, _("delete")) || !ti) return 1;
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
                     ngettext_("Delete template %s? %d sandbox uses it (the server refuses while "
                               "it runs)",
                               "Delete template %s? %d sandboxes use it (the server refuses "
                               "while they run)",
                               users),
                     ti->id, users);
        else
            snprintf(msg, sizeof msg, _("Delete template %s? No sandbox uses it"), ti->id);
        app_confirm(a, msg, delete_yes, v);
        return 1;
    } else if (!is_key && ch == 'n') {
        const struct template_info *ti = tplv_selected(v);
        if (app_refuse_readonly(a, _("create")) || !ti) return 1;
        free(v->new_id);
        v->new_id = strdup(ti->id ? ti->id : "base");
        char label[96];
        ui_ttl_prompt(label, sizeof label, TPL_DEFAULT_TIMEOUT_S);
        app_prompt(a, label, "", NULL, new_timeout_done, v);
        return 1;
    } else {
        return 0;
    }
    app_dirty(a, DIRTY_MAIN);
    return 1;
}

static const char *tp_footer(struct view *vv)
{
    struct tplv *v = (struct tplv *)vv;
    if (v->filter_text[0])
        return _("j/k move  Enter builds  Esc clear filter  n new  b build  t/T tag/untag  "
                 "P public  D delete  R reload  ? help");
    return _("j/k move  Enter builds  / filter  n new  b build  t/T tag/untag  P public  "
             "D delete  R reload  Esc back  ? help");
}

static const struct keyhelp tp_help[] = {
    {"j/k ↑/↓", N_("move")},
    {"Enter", N_("show or hide the template's fields, tags and builds (status, duration)")},
    {"/", N_("filter: words in the id, aliases and names, state:ready, id:x, !negation")},
    {"Esc", N_("clear the filter")},
    {"n", N_("create a sandbox from the template")},
    {"b", N_("build a template from an e2b.Dockerfile (live build pane)")},
    {"D", N_("delete the template (asks; says how many sandboxes use it)")},
    {"Tab", N_("move j/k into the template's builds and back (Enter or l: a build's log, live)")},
    {"t", N_("add tags to a build (FROM_TAG: NEW_TAG..., from the latest by default)")},
    {"T", N_("remove tags (the default tag stays)")},
    {"P", N_("make the template public or private")},
    {"R", N_("reload")},
};

static const struct keyhelp *tp_helpfn(struct view *vv, int *n)
{
    (void)vv;
    *n = (int)(sizeof(tp_help) / sizeof(tp_help[0]));
    return tp_help;
}

static int tp_needs_clock(struct view *vv, struct app *a)
{
    (void)a;
    return tpl_pane_running((struct tplv *)vv); /* a build's duration counts */
}

static void tp_destroy(struct view *vv)
{
    struct tplv *v = (struct tplv *)vv;
    bfetch_cancel(v->call);
    bfetch_cancel(v->del);
    template_list_free(&v->tl);
    free(v->rows);
    filter_free(&v->f);
    tpl_pane_free(&v->pane, v->app->loop);
    tpl_edit_free(v);
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
    .needs_clock = tp_needs_clock,
    .destroy = tp_destroy,
};

struct view *view_templates_new(struct app *a)
{
    struct tplv *v = calloc(1, sizeof(*v));
    if (!v) return NULL;
    v->base.ops = &tp_ops;
    v->app = a;
    v->reload = tplv_fetch;
    filter_parse(&v->f, "");
    tplv_fetch(v);
    return &v->base;
}
