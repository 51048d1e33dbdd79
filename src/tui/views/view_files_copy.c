/* view_files_copy.c - the file browser's copies: the marked entries (or the selected one) of one
 * pane go to the other pane's directory through the backend's transfer engine; a name that
 * exists there asks first (overwrite, skip, rename, or the same for all the rest). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "boxtop/i18n.h"
#include "app.h"
#include "files/fview.h"

static void copy_one(struct fview *v, const struct fcopy *c, const char *dst_name)
{
    char *src = fpath_join(v->cq_src_dir, c->name), *dst = fpath_join(v->cq_dst_dir, dst_name);
    if (src && dst &&
        !v->rem->ops->copy(v->rem, v->cq_from == 0 ? XFER_UP : XFER_DOWN, src, dst, c->is_dir))
        app_status(v->a, STATUS_ERROR, "%s", _("out of memory"));
    free(src);
    free(dst);
}

void fv_cq_free(struct fview *v)
{
    for (int i = 0; i < v->ncq; i++)
        free(v->cq[i].name);
    free(v->cq);
    v->cq = NULL;
    v->ncq = v->icq = 0;
    free(v->cq_src_dir);
    free(v->cq_dst_dir);
    v->cq_src_dir = v->cq_dst_dir = NULL;
    v->ask = ASK_NONE;
}

/* Walk the copy queue until a clash needs an answer. */
static void cq_run(struct fview *v)
{
    struct fpane *dst = &v->p[!v->cq_from];
    while (v->icq < v->ncq) {
        struct fcopy *c = &v->cq[v->icq];
        if (flist_has(&dst->l, c->name)) {
            if (v->all == ALL_ASK) {
                v->ask = ASK_CLASH;
                app_dirty(v->a, DIRTY_MAIN | DIRTY_FOOTER);
                return;
            }
            if (v->all == ALL_OVERWRITE) copy_one(v, c, c->name);
        } else {
            copy_one(v, c, c->name);
        }
        v->icq++;
    }
    fv_cq_free(v);
    app_clock_check(v->a);
    app_dirty(v->a, DIRTY_MAIN | DIRTY_FOOTER);
}

void fv_clash_answer(struct fview *v, int ch)
{
    struct fcopy *c = &v->cq[v->icq];
    switch (ch) {
    case 'o':
        copy_one(v, c, c->name);
        break;
    case 'O':
        v->all = ALL_OVERWRITE;
        copy_one(v, c, c->name);
        break;
    case 's':
        break;
    case 'S':
        v->all = ALL_SKIP;
        break;
    case 'r': {
        char *nn = flist_free_name(&v->p[!v->cq_from].l, c->name);
        if (nn) copy_one(v, c, nn);
        free(nn);
        break;
    }
    case 27:
        fv_cq_free(v);
        app_dirty(v->a, DIRTY_MAIN | DIRTY_FOOTER);
        return;
    default:
        return;
    }
    v->ask = ASK_NONE;
    v->icq++;
    cq_run(v);
}

void fv_start_copy(struct fview *v)
{
    struct fpane *p = fv_cur(v), *o = &v->p[!v->act];
    if (app_refuse_readonly(v->a, _("copy"))) return;
    if (!fv_ready(v)) {
        app_status(v->a, STATUS_WARN, "%s", _("not connected to the sandbox yet"));
        return;
    }
    if (!p->l.path || !o->l.path) return;
    fv_cq_free(v);
    v->all = ALL_ASK;
    v->cq_from = v->act;
    v->cq_src_dir = strdup(p->l.path);
    v->cq_dst_dir = strdup(o->l.path);
    int n = p->nmarks ? p->nmarks : (fv_selected(v, p) ? 1 : 0);
    v->cq = calloc((size_t)n + 1, sizeof *v->cq);
    if (!v->cq || !v->cq_src_dir || !v->cq_dst_dir) {
        fv_cq_free(v);
        return;
    }
    for (size_t i = 0; i < p->l.n && p->nmarks; i++) {
        const struct fent *e = &p->l.v[i];
        if (!fv_marked(p, e->name) || v->ncq >= n) continue;
        v->cq[v->ncq].name = strdup(e->name);
        v->cq[v->ncq++].is_dir = e->type == FENT_DIR || (e->type == FENT_LINK && e->link_dir);
    }
    if (!p->nmarks && n) {
        const struct fent *e = fv_selected(v, p);
        v->cq[0].name = strdup(e->name);
        v->cq[0].is_dir = e->type == FENT_DIR || (e->type == FENT_LINK && e->link_dir);
        v->ncq = 1;
    }
    fv_marks_clear(p);
    if (!v->ncq) app_status(v->a, STATUS_WARN, "%s", _("nothing selected to copy"));
    cq_run(v);
}
