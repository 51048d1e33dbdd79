/* view_files_pane.c - the file browser's two panes: listing either side (the local directory read
 * here, the sandbox's asked of the backend's remote face), the selection and marks, changing
 * directory, and keeping the sandbox pane fresh from a watch on the shown directory (a burst
 * of changes coalesced into one listing; a watch that ends is started again). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/grow.h"
#include "boxtop/i18n.h"
#include "app.h"
#include "files/fview.h"

#define REMOTE_HOME "/home/user"

struct fpane *fv_cur(struct fview *v)
{
    return &v->p[v->act];
}

const struct fent *fv_selected(struct fview *v, struct fpane *p)
{
    (void)v;
    return p->sel >= 0 ? flist_at(&p->l, (size_t)p->sel) : NULL;
}

int fv_marked(struct fpane *p, const char *name)
{
    for (int i = 0; i < p->nmarks; i++)
        if (!strcmp(p->marks[i], name)) return 1;
    return 0;
}

void fv_marks_clear(struct fpane *p)
{
    for (int i = 0; i < p->nmarks; i++)
        free(p->marks[i]);
    free(p->marks);
    p->marks = NULL;
    p->nmarks = p->capmarks = 0;
}

void fv_mark_toggle(struct fpane *p, const char *name)
{
    for (int i = 0; i < p->nmarks; i++)
        if (!strcmp(p->marks[i], name)) {
            free(p->marks[i]);
            p->marks[i] = p->marks[--p->nmarks];
            return;
        }
    if (GROW_INT(p->marks, p->capmarks, p->nmarks + 1) < 0) return;
    if ((p->marks[p->nmarks] = strdup(name))) p->nmarks++;
}

void fv_clamp_sel(struct fpane *p)
{
    long n = (long)p->l.nidx;
    if (p->sel >= n) p->sel = n - 1;
    if (p->sel < 0) p->sel = n ? 0 : -1;
}

/* After a new listing: keep the selection on the same name when it is still there. */
static void relisted(struct fpane *p, const char *keep)
{
    long i = keep ? flist_find(&p->l, keep) : -1;
    if (i >= 0) p->sel = i;
    fv_clamp_sel(p);
}

/* ---- listing ---- */

int fv_box_paused(struct fview *v)
{
    struct box *b = model_find(&v->a->model, v->id);
    return b && b->state == BOX_PAUSED;
}

static void on_remote_list(struct flist *fresh, const struct error *err, void *ud)
{
    struct fview *v = ud;
    struct fpane *p = &v->p[1];
    p->req = NULL;
    p->loading = 0;
    char *keep = p->want_sel ? strdup(p->want_sel) : NULL;
    if (!keep && fv_selected(v, p)) keep = strdup(fv_selected(v, p)->name);
    free(p->want_sel);
    p->want_sel = NULL;
    if (err && err->kind == ERROR_NOT_FOUND && !p->l.n && !strcmp(p->l.path, REMOTE_HOME) &&
        !fv_box_paused(v)) {
        /* a template without the usual user home: start at the root instead */
        free(keep);
        fv_pane_cd(v, p, "/", NULL);
        return;
    }
    if (err) {
        snprintf(p->err, sizeof p->err, "%s", err->msg);
    } else {
        p->err[0] = '\0';
        flist_take(&p->l, fresh);
        relisted(p, keep);
    }
    free(keep);
    if (!err && (!v->watch_path || strcmp(v->watch_path, p->l.path))) fv_watch_start(v);
    app_dirty(v->a, DIRTY_MAIN);
}

void fv_reload(struct fview *v, struct fpane *p)
{
    struct error err = {0};
    if (!p->remote) {
        char *keep = p->want_sel ? p->want_sel : NULL;
        if (!keep && fv_selected(v, p)) keep = strdup(fv_selected(v, p)->name);
        p->want_sel = NULL;
        char *path = strdup(p->l.path);
        if (path && flist_read_local(&p->l, path, &err) < 0)
            snprintf(p->err, sizeof p->err, "%s", err.msg);
        else
            p->err[0] = '\0';
        free(path);
        relisted(p, keep);
        free(keep);
        app_dirty(v->a, DIRTY_MAIN);
        return;
    }
    if (!fv_ready(v)) return;
    v->rem->ops->cancel(v->rem, p->req); /* a newer listing wins */
    p->loading = 1;
    p->req = v->rem->ops->list(v->rem, p->l.path, on_remote_list, v, &err);
    if (!p->req) {
        p->loading = 0;
        snprintf(p->err, sizeof p->err, "%s", err.msg);
    }
    app_dirty(v->a, DIRTY_MAIN);
}

void fv_pane_cd(struct fview *v, struct fpane *p, const char *path, const char *sel_name)
{
    char *np = strdup(path);
    if (!np) return;
    if (!p->remote) {
        struct flist probe = {0};
        struct error err = {0};
        probe.show_hidden = 1;
        if (flist_read_local(&probe, np, &err) < 0) {
            app_status_detail(v->a, STATUS_ERROR, err.detail, "%s", err.msg);
            flist_free(&probe);
            free(np);
            return;
        }
        flist_free(&probe);
    }
    flist_clear(&p->l);
    free(p->l.path);
    p->l.path = np;
    fv_marks_clear(p);
    p->l.filter[0] = '\0'; /* a filter belongs to the directory it was typed in */
    p->sel = 0;
    p->top = 0;
    free(p->want_sel);
    p->want_sel = sel_name ? strdup(sel_name) : NULL;
    fv_reload(v, p);
}

void fv_pane_up(struct fview *v, struct fpane *p)
{
    if (!p->l.path || !strcmp(p->l.path, "/")) return;
    char *parent = fpath_parent(p->l.path);
    const char *base = strrchr(p->l.path, '/');
    char *name = base ? strdup(base + 1) : NULL;
    if (parent) fv_pane_cd(v, p, parent, name);
    free(parent);
    free(name);
}

/* ---- live updates ---- */

static void relist_fire(struct loop *l, void *ud)
{
    (void)l;
    struct fview *v = ud;
    v->relist_timer = 0;
    fv_reload(v, &v->p[1]);
}

static void on_fs_change(void *ud)
{
    struct fview *v = ud;
    v->watch_fails = 0; /* the watch works */
    if (!v->relist_timer)
        v->relist_timer = loop_timer_add(v->a->loop, FV_RELIST_MS, relist_fire, v);
}

static void rewatch_fire(struct loop *l, void *ud)
{
    (void)l;
    struct fview *v = ud;
    v->rewatch_timer = 0;
    fv_watch_start(v);
}

static void on_watch_end(const struct error *err, void *ud)
{
    struct fview *v = ud;
    v->watch = NULL;
    free(v->watch_path);
    v->watch_path = NULL;
    if (err) app_status(v->a, STATUS_WARN, _("live updates stopped: %s"), err->msg);
    /* A sandbox that left the list (killed) or is paused has nothing to watch: asking every
     * 3 s went on for as long as boxtop ran (the next listing that succeeds starts a watch
     * again). Other failures back off: 3, 6, 12, 24, 48 s. */
    struct box *b = model_find(&v->a->model, v->id);
    if (!v->a->model.loading && (!b || b->state == BOX_PAUSED)) return;
    int shift = err ? (v->watch_fails < 4 ? v->watch_fails : 4) : 0;
    v->watch_fails = err ? v->watch_fails + 1 : 0;
    if (!v->rewatch_timer)
        v->rewatch_timer =
            loop_timer_add(v->a->loop, (int64_t)FV_REWATCH_MS << shift, rewatch_fire, v);
}

void fv_watch_start(struct fview *v)
{
    struct fpane *p = &v->p[1];
    if (v->watch) v->rem->ops->unwatch(v->rem, v->watch);
    v->watch = NULL;
    free(v->watch_path);
    v->watch_path = NULL;
    if (!fv_ready(v) || !p->l.path) return;
    struct error err = {0};
    v->watch = v->rem->ops->watch(v->rem, p->l.path, 0, on_fs_change, on_watch_end, v, &err);
    if (!v->watch)
        app_status(v->a, STATUS_WARN, _("live updates unavailable: %s"), err.msg);
    else
        v->watch_path = strdup(p->l.path);
}

void fv_pane_free(struct fview *v)
{
    if (v->watch) v->rem->ops->unwatch(v->rem, v->watch);
    v->watch = NULL;
    if (v->relist_timer) loop_timer_cancel(v->a->loop, v->relist_timer);
    if (v->rewatch_timer) loop_timer_cancel(v->a->loop, v->rewatch_timer);
    v->relist_timer = v->rewatch_timer = 0;
    if (v->rem) v->rem->ops->cancel(v->rem, v->p[1].req);
    v->p[1].req = NULL;
    for (int i = 0; i < 2; i++) {
        flist_free(&v->p[i].l);
        fv_marks_clear(&v->p[i]);
        free(v->p[i].want_sel);
        v->p[i].want_sel = NULL;
    }
    free(v->watch_path);
    v->watch_path = NULL;
}
