/* view_template_build.c - the live build pane: a template build started with `b` in the templates
 * view (tpl_builder.h) — step i/N, elapsed time, status, and the build's log lines coloured
 * by level, following the end unless scrolled. Esc detaches: the pane closes, the build goes
 * on on the server (the templates view shows its status). `n` on a ready build creates a
 * sandbox from it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "boxtop/loop.h"
#include "app.h"
#include "tpl_builder.h"

struct tbv {
    struct view base;
    struct app *app;
    struct tpl_builder *b;
    int back; /* lines scrolled up from the end; 0 = follow */
};

static void on_change(void *ud)
{
    struct tbv *v = ud;
    app_dirty(v->app, DIRTY_MAIN);
}

static void tb_draw(struct view *vv, struct app *a, WINDOW *w, int h, int wd)
{
    struct tbv *v = (struct tbv *)vv;
    const struct theme *th = &a->theme;
    const struct tpl_builder *b = v->b;
    int64_t end = b->finished_ms ? b->finished_ms : loop_now_ms();
    struct buf t = BUF_INIT;
    buf_printf(&t, _("Building %s"), b->name);
    /* x: the column after what is drawn; the parts stand two spaces apart */
    int x = 1 + ui_text(a, w, 0, 1, wd - 2, buf_cstr(&t), th->attr[ROLE_ACCENT] | A_BOLD);
    buf_reset(&t);
    if (b->n_steps) buf_printf(&t, _("step %d/%d"), b->step, b->n_steps);
    buf_printf(&t, "%s%.1fs", b->n_steps ? "  " : "", (double)(end - b->started_ms) / 1000.0);
    if (x + 2 < wd - 1)
        x += 2 + ui_text(a, w, 0, x + 2, wd - x - 3, buf_cstr(&t), th->attr[ROLE_NORMAL]);
    attr_t st = !strcmp(b->status, "ready")   ? th->attr[ROLE_OK]
                : !strcmp(b->status, "error") ? th->attr[ROLE_CRIT]
                                              : th->attr[ROLE_WARN];
    if (x + 2 < wd - 1) ui_text(a, w, 0, x + 2, wd - x - 3, b->status, st | A_BOLD);
    buf_free(&t);
    int top = 1, rows = h - top - (b->error[0] ? 1 : 0);
    if (rows < 1) rows = 1;
    int last = b->n_lines - v->back;
    int first = last - rows;
    if (first < 0) first = 0;
    for (int i = first, y = top; i < last && y < top + rows; i++, y++) {
        const struct tpl_builder_line *l = &b->lines[i];
        attr_t at = l->level >= 3   ? th->attr[ROLE_CRIT]
                    : l->level == 2 ? th->attr[ROLE_WARN]
                    : l->level == 0 ? th->attr[ROLE_DIM]
                                    : th->attr[ROLE_NORMAL];
        if (l->level == 1 && strstr(l->msg, "CACHED")) at = th->attr[ROLE_DIM];
        ui_text(a, w, y, 1, wd - 2, l->msg, at);
    }
    if (b->error[0]) ui_text(a, w, h - 1, 1, wd - 2, b->error, th->attr[ROLE_CRIT] | A_BOLD);
}

static void created(struct app *a, struct tbv *v)
{
    /* back to the sandboxes first (v is freed), so the backend's answer is said there */
    char tid[256];
    snprintf(tid, sizeof tid, "%s", v->b->tid);
    while (a->depth > 1)
        app_pop_view(a);
    app_status(a, STATUS_INFO, _("creating a sandbox…"));
    const char *kv[1] = {NULL};
    struct create_req req = {tid, 300, kv};
    a->be->ops->create(a->be, &req);
}

static int tb_key(struct view *vv, struct app *a, int ch, int is_key)
{
    struct tbv *v = (struct tbv *)vv;
    if (!is_key && ch == 27) {
        bool done = !strcmp(v->b->status, "ready") || !strcmp(v->b->status, "error");
        app_pop_view(a);
        if (!done) app_status(a, STATUS_INFO, _("detached: the build goes on on the server"));
        return 1;
    }
    if ((is_key && ch == KEY_UP) || (!is_key && ch == 'k')) {
        if (v->back + 1 < v->b->n_lines) v->back++;
    } else if ((is_key && ch == KEY_DOWN) || (!is_key && ch == 'j')) {
        if (v->back > 0) v->back--;
    } else if (!is_key && ch == 'G') {
        v->back = 0;
    } else if (!is_key && ch == 'n') {
        if (strcmp(v->b->status, "ready") != 0) {
            app_status(a, STATUS_ERROR, _("the template is not ready yet"));
            return 1;
        }
        if (app_refuse_readonly(a, _("create"))) return 1;
        created(a, v);
        return 1;
    } else {
        return 0;
    }
    app_dirty(a, DIRTY_MAIN);
    return 1;
}

static const char *tb_footer(struct view *vv)
{
    (void)vv;
    return _("j/k scroll  G follow  n new sandbox (when ready)  Esc detach  ? help");
}

static const struct keyhelp tb_help[] = {
    {"j/k ↑/↓", N_("scroll the build log")},
    {"G", N_("follow the end of the log")},
    {"n", N_("create a sandbox from the built template")},
    {"Esc", N_("close the pane; the build goes on on the server")},
};

static const struct keyhelp *tb_helpfn(struct view *vv, int *n)
{
    (void)vv;
    *n = (int)(sizeof(tb_help) / sizeof(tb_help[0]));
    return tb_help;
}

static int tb_needs_clock(struct view *vv, struct app *a)
{
    (void)a;
    struct tbv *v = (struct tbv *)vv;
    return !v->b->finished_ms; /* the elapsed time counts */
}

static void tb_destroy(struct view *vv)
{
    struct tbv *v = (struct tbv *)vv;
    tpl_builder_free(v->b);
    free(v);
}

static const struct view_ops tb_ops = {
    .name = N_("template build"),
    .draw = tb_draw,
    .key = tb_key,
    .footer = tb_footer,
    .help = tb_helpfn,
    .needs_clock = tb_needs_clock,
    .destroy = tb_destroy,
};

static struct tbv *tbv_new(struct app *a, struct error *err)
{
    struct tbv *v = calloc(1, sizeof(*v));
    if (!v) {
        error_set(err, ERROR_GENERIC, "%s", _("out of memory"));
        return NULL;
    }
    v->base.ops = &tb_ops;
    v->app = a;
    return v;
}

struct view *view_template_build_attach(struct app *a, const char *tid, const char *bid,
                                        const char *name, int64_t created_ms, int64_t finished_ms,
                                        struct error *err)
{
    struct tbv *v = tbv_new(a, err);
    if (!v) return NULL;
    v->b = tpl_builder_attach(a->be, tid, bid, name, created_ms, finished_ms, on_change, v, err);
    if (!v->b) {
        free(v);
        return NULL;
    }
    return &v->base;
}

struct view *view_template_build_new(struct app *a, const char *file, const char *name, int cpu,
                                     int memory_mb, struct error *err)
{
    struct tbv *v = tbv_new(a, err);
    if (!v) return NULL;
    v->b = tpl_builder_start(a->be, file, name, cpu, memory_mb, on_change, v, err);
    if (!v->b) {
        free(v);
        return NULL;
    }
    return &v->base;
}
