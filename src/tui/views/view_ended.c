/* view_ended.c - `:ended`: every ended sandbox boxtop keeps (the last PM_KEEP_MS), newest end
 * first, with when and why; Enter opens the post-mortem card. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boxtop/i18n.h"
#include "app.h"
#include "postmortem_track.h"

struct endedv {
    struct view base;
    int sel, top;
};

static void en_draw(struct view *vv, struct app *a, WINDOW *w, int h, int wd)
{
    struct endedv *v = (struct endedv *)vv;
    const struct theme *th = &a->theme;
    int n = pm_track_count(a->pm);
    char title[128];
    snprintf(title, sizeof(title), _("Ended sandboxes (%d, kept %d minutes, at most %d)"), n,
             PM_KEEP_MS / 60000, PM_KEEP_MAX);
    ui_text(a, w, 0, 1, wd - 2, title, th->attr[ROLE_ACCENT] | A_BOLD);
    ui_fill(w, 1, 0, wd, th->attr[ROLE_TITLE]);
    ui_text(a, w, 1, 1, 10, _("ENDED"), th->attr[ROLE_TITLE]);
    ui_text(a, w, 1, 11, 24, _("SANDBOX"), th->attr[ROLE_TITLE]);
    ui_text(a, w, 1, 36, 16, _("TEMPLATE"), th->attr[ROLE_TITLE]);
    ui_text(a, w, 1, 53, wd - 54, _("CAUSE"), th->attr[ROLE_TITLE]);
    if (!n) {
        ui_text(a, w, 3, 2, wd - 4, _("No sandbox has ended while boxtop watched."),
                th->attr[ROLE_DIM]);
        return;
    }
    if (v->sel >= n) v->sel = n - 1;
    int body = h - 2;
    if (v->sel < v->top) v->top = v->sel;
    if (body > 0 && v->sel >= v->top + body) v->top = v->sel - body + 1;
    for (int i = v->top, y = 2; i < n && y < h; i++, y++) {
        const struct box *b = pm_track_box(a->pm, i);
        const struct postmortem *p = pm_track_find(a->pm, b->id);
        attr_t at = i == v->sel ? th->attr[ROLE_SELECTED] : th->attr[ROLE_NORMAL];
        if (i == v->sel) ui_fill(w, y, 0, wd, at);
        char t[16] = "?", why[160] = "";
        time_t tt = (time_t)((p ? p->ended_ms : b->end_ms) / 1000);
        struct tm tm;
        if (localtime_r(&tt, &tm)) strftime(t, sizeof(t), "%H:%M:%S", &tm);
        ui_text(a, w, y, 1, 10, t, at);
        ui_text(a, w, y, 11, 24, b->id, at);
        ui_text(a, w, y, 36, 16,
                b->alias && b->alias[0] ? b->alias
                : b->template_id        ? b->template_id
                                        : "-",
                at);
        if (p) pm_cause_text(p, why, sizeof(why));
        ui_text(a, w, y, 53, wd - 54, why, at);
    }
}

static int en_key(struct view *vv, struct app *a, int ch, int is_key)
{
    struct endedv *v = (struct endedv *)vv;
    int n = pm_track_count(a->pm);
    if ((is_key && ch == KEY_DOWN) || (!is_key && ch == 'j')) {
        if (v->sel + 1 < n) v->sel++;
    } else if ((is_key && ch == KEY_UP) || (!is_key && ch == 'k')) {
        if (v->sel > 0) v->sel--;
    } else if ((is_key && ch == KEY_ENTER) || (!is_key && (ch == '\n' || ch == '\r'))) {
        const struct box *b = pm_track_box(a->pm, v->sel);
        struct view *pv = b ? view_postmortem_new(a, b->id) : NULL;
        if (pv) app_push_view(a, pv);
        return 1;
    } else {
        return 0;
    }
    app_dirty(a, DIRTY_MAIN);
    return 1;
}

static void en_model_changed(struct view *vv, struct app *a)
{
    (void)vv;
    app_dirty(a, DIRTY_MAIN);
}

static const char *en_footer(struct view *vv)
{
    (void)vv;
    return _("j/k move  Enter post-mortem  Esc back");
}

static const struct keyhelp en_help[] = {
    {"j/k ↑/↓", N_("move")},
    {"Enter", N_("the post-mortem card: when and why it ended")},
};

static const struct keyhelp *en_helpfn(struct view *vv, int *n)
{
    (void)vv;
    *n = (int)(sizeof(en_help) / sizeof(en_help[0]));
    return en_help;
}

static void en_destroy(struct view *vv)
{
    free(vv);
}

static const struct view_ops en_ops = {
    .name = N_("ended"),
    .draw = en_draw,
    .key = en_key,
    .model_changed = en_model_changed,
    .footer = en_footer,
    .help = en_helpfn,
    .destroy = en_destroy,
};

struct view *view_ended_new(struct app *a)
{
    (void)a;
    struct endedv *v = calloc(1, sizeof(*v));
    if (!v) return NULL;
    v->base.ops = &en_ops;
    return &v->base;
}
