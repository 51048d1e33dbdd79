/* postmortem.c - the post-mortem card of an ended sandbox (issue 17): when and why it ended,
 * what it ran, its last metrics, log lines and lifecycle events.
 *
 * The text comes from pm_card_lines() (the same lines `boxtop postmortem ID` prints). A
 * sandbox kept by the tracker is read from there on every draw, so the card fills in as the
 * answers arrive; one no longer kept is read once from the store on disk. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "boxtop/i18n.h"
#include "app.h"
#include "postmortem_track.h"

struct pmview {
    struct view base;
    struct app *app;
    char *id;
    struct postmortem disk; /* loaded from the store when the tracker does not keep it */
    int have_disk;
    int top;     /* first line shown */
    int body_h;  /* lines on screen, as last drawn */
    int n_lines; /* lines of the card, as last drawn */
};

static const struct postmortem *record(struct pmview *v)
{
    const struct postmortem *p = pm_track_find(v->app->pm, v->id);
    if (p) return p;
    if (!v->have_disk) {
        char *dir = pm_store_dir();
        struct error err = {0};
        if (dir && pm_store_load(dir, v->id, &v->disk, &err) == 0) v->have_disk = 1;
        free(dir);
    }
    return v->have_disk ? &v->disk : NULL;
}

static void pm_draw(struct view *vv, struct app *a, WINDOW *w, int h, int wd)
{
    struct pmview *v = (struct pmview *)vv;
    const struct theme *th = &a->theme;
    const struct postmortem *p = record(v);
    char title[256];
    snprintf(title, sizeof(title), _("Post-mortem  %s"), p ? p->id : v->id);
    ui_text(a, w, 0, 1, wd - 2, title, th->attr[ROLE_ACCENT] | A_BOLD);
    v->body_h = h - 2;
    if (!p) {
        ui_text(a, w, 2, 2, wd - 4, _("No post-mortem of this sandbox is kept."),
                th->attr[ROLE_DIM]);
        return;
    }
    char **lines = NULL;
    int n = pm_card_lines(p, &lines, loop_wall_ms());
    if (n < 0) return;
    v->n_lines = n;
    if (v->top > n - v->body_h) v->top = n - v->body_h > 0 ? n - v->body_h : 0;
    for (int i = v->top, y = 2; i < n && y < h; i++, y++) {
        attr_t at = th->attr[ROLE_NORMAL];
        if (i == 0)
            at =
                (p->cause == PM_CAUSE_PENDING ? th->attr[ROLE_WARN] : th->attr[ROLE_CRIT]) | A_BOLD;
        else if (lines[i][0] && lines[i][0] != ' ' && i > 3)
            at = th->attr[ROLE_TITLE]; /* a section's heading */
        ui_text(a, w, y, 1, wd - 2, lines[i], at);
    }
    pm_lines_free(lines, n);
}

static int pm_key(struct view *vv, struct app *a, int ch, int is_key)
{
    struct pmview *v = (struct pmview *)vv;
    int page = v->body_h > 1 ? v->body_h - 1 : 1;
    if ((is_key && ch == KEY_DOWN) || (!is_key && ch == 'j'))
        v->top++;
    else if ((is_key && ch == KEY_UP) || (!is_key && ch == 'k'))
        v->top--;
    else if ((is_key && ch == KEY_NPAGE) || (!is_key && ch == ' '))
        v->top += page;
    else if (is_key && ch == KEY_PPAGE)
        v->top -= page;
    else if ((is_key && ch == KEY_HOME) || (!is_key && ch == 'g'))
        v->top = 0;
    else if ((is_key && ch == KEY_END) || (!is_key && ch == 'G'))
        v->top = v->n_lines;
    else if (!is_key && ch == 'l')
        app_push_view(a, view_logs_new(a, v->id));
    else if (!is_key && ch == 'e')
        app_push_view(a, view_events_new(a, v->id, view_detail_new));
    else
        return 0;
    if (v->top < 0) v->top = 0;
    app_dirty(a, DIRTY_MAIN);
    return 1;
}

static void pm_model_changed(struct view *vv, struct app *a)
{
    (void)vv;
    app_dirty(a, DIRTY_MAIN); /* answers about the cause, logs or commands may have landed */
}

static const char *pm_footer(struct view *vv)
{
    (void)vv;
    return _("j/k scroll  l all logs  e events  Esc back");
}

static const struct keyhelp pm_help[] = {
    {"j/k ↑/↓ PgUp/PgDn g/G", N_("scroll")},
    {"l", N_("the sandbox's logs (kept after its end)")},
    {"e", N_("the sandbox's lifecycle events")},
};

static const struct keyhelp *pm_helpfn(struct view *vv, int *n)
{
    (void)vv;
    *n = (int)(sizeof(pm_help) / sizeof(pm_help[0]));
    return pm_help;
}

static const char *pm_sandbox(struct view *vv)
{
    (void)vv;
    return NULL; /* the card is what shows when its sandbox ends: never pushed again */
}

static void pm_destroy(struct view *vv)
{
    struct pmview *v = (struct pmview *)vv;
    if (v->have_disk) pm_free(&v->disk);
    free(v->id);
    free(v);
}

static const struct view_ops pm_ops = {
    .name = N_("post-mortem"),
    .draw = pm_draw,
    .key = pm_key,
    .model_changed = pm_model_changed,
    .footer = pm_footer,
    .help = pm_helpfn,
    .sandbox_id = pm_sandbox,
    .destroy = pm_destroy,
};

struct view *view_postmortem_new(struct app *a, const char *id)
{
    struct pmview *v = calloc(1, sizeof(*v));
    if (!v || !(v->id = strdup(id))) {
        free(v);
        return NULL;
    }
    v->base.ops = &pm_ops;
    v->app = a;
    if (!record(v)) {
        app_status(a, STATUS_WARN, _("no post-mortem of %s is kept"), id);
        pm_destroy(&v->base);
        return NULL;
    }
    return &v->base;
}
