/* files.c - the two-pane file browser (issue 8): the local current directory on the left,
 * the sandbox on the right (starting in /home/user), Midnight-Commander style. Copies go
 * through the transfer engine (src/e2b/xfer.c) and show in a transfers panel at the bottom;
 * the sandbox pane keeps itself fresh from a WatchDir stream on the shown directory. Names
 * are raw bytes everywhere and only sanitized when drawn (ui_text). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "boxtop/grow.h"
#include "boxtop/buf.h"
#include "boxtop/envd.h"
#include "boxtop/http.h"
#include "boxtop/i18n.h"
#include "app.h"
#include "files/fview.h"

#define REMOTE_HOME  "/home/user"
#define XPANEL_MAX   5 /* transfer rows shown */
#define WHEEL_ROWS   3
#define DOUBLE_CLICK 400

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

static void mark_toggle(struct fpane *p, const char *name)
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

static void clamp_sel(struct fpane *p)
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
    clamp_sel(p);
}

/* ---- listing ---- */

/* envd of a paused sandbox answers "not found": the model knows better */
static int box_paused(struct fview *v)
{
    struct box *b = model_find(&v->a->model, v->id);
    return b && b->state == BOX_PAUSED;
}

static void watch_start(struct fview *v);
static void pane_cd(struct fview *v, struct fpane *p, const char *path, const char *sel_name);

static void on_remote_list(const cJSON *resp, const struct error *err, void *ud)
{
    struct fview *v = ud;
    struct fpane *p = &v->p[1];
    p->req = NULL;
    p->loading = 0;
    struct envd_entries es = {0};
    struct error e2 = {0};
    const char *path = p->want_sel ? p->l.path : p->l.path; /* set before the request */
    char *keep = p->want_sel ? strdup(p->want_sel) : NULL;
    if (!keep && fv_selected(v, p)) keep = strdup(fv_selected(v, p)->name);
    free(p->want_sel);
    p->want_sel = NULL;
    if (err && err->kind == ERROR_NOT_FOUND && !p->l.n && !strcmp(path, REMOTE_HOME) &&
        !box_paused(v)) {
        /* a template without the usual user home: start at the root instead */
        free(keep);
        pane_cd(v, p, "/", NULL);
        return;
    }
    if (err) {
        snprintf(p->err, sizeof p->err, "%s", err->msg);
    } else if (envd_entries_parse(resp, &es, &e2) < 0) {
        snprintf(p->err, sizeof p->err, "%s", e2.msg);
    } else {
        char *pp = strdup(path);
        p->err[0] = '\0';
        if (pp) flist_set_envd(&p->l, pp, &es, &e2);
        free(pp);
        relisted(p, keep);
    }
    free(keep);
    envd_entries_free(&es);
    if (!err && (!v->watch_path || strcmp(v->watch_path, p->l.path))) watch_start(v);
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
    if (!v->envd) return;
    xfer_call_abandon(p->req); /* a newer listing wins */
    p->loading = 1;
    p->req = xfer_call_begin(&v->x, on_remote_list, v);
    if (p->req && !xfer_call_started(
                      p->req, envd_fs_list_dir(v->envd, p->l.path, 1, xfer_call_cb, p->req, &err)))
        p->req = NULL;
    else if (!p->req)
        error_set(&err, ERROR_GENERIC, "%s", _("out of memory"));
    if (!p->req) {
        p->loading = 0;
        snprintf(p->err, sizeof p->err, "%s", err.msg);
    }
    app_dirty(v->a, DIRTY_MAIN);
}

/* Change p's directory to path (owned by the caller); select sel_name after listing. */
static void pane_cd(struct fview *v, struct fpane *p, const char *path, const char *sel_name)
{
    char *np = strdup(path);
    if (!np) return;
    if (!p->remote) {
        struct flist probe = {0};
        struct error err = {0};
        probe.show_hidden = 1;
        if (flist_read_local(&probe, np, &err) < 0) {
            app_status(v->a, STATUS_ERROR, "%s", err.msg);
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

static void pane_up(struct fview *v, struct fpane *p)
{
    if (!p->l.path || !strcmp(p->l.path, "/")) return;
    char *parent = fpath_parent(p->l.path);
    const char *base = strrchr(p->l.path, '/');
    char *name = base ? strdup(base + 1) : NULL;
    if (parent) pane_cd(v, p, parent, name);
    free(parent);
    free(name);
}

static void pane_enter(struct fview *v, struct fpane *p)
{
    const struct fent *e = fv_selected(v, p);
    if (!e) return;
    if (e->type == FENT_DIR || (e->type == FENT_LINK && e->link_dir)) {
        char *np = fpath_join(p->l.path, e->name);
        if (np) pane_cd(v, p, np, NULL);
        free(np);
    } else {
        fv_view_file(v);
    }
}

/* ---- live updates ---- */

static void relist_fire(struct loop *l, void *ud)
{
    (void)l;
    struct fview *v = ud;
    v->relist_timer = 0;
    fv_reload(v, &v->p[1]);
}

static int on_fs_event(const struct envd_fs_event *ev, void *ud, struct error *err)
{
    (void)err;
    struct fview *v = ud;
    if (ev->kind == ENVD_FS_EVENT && !v->relist_timer)
        v->relist_timer = loop_timer_add(v->a->loop, FV_RELIST_MS, relist_fire, v);
    return 0;
}

static void rewatch_fire(struct loop *l, void *ud)
{
    (void)l;
    struct fview *v = ud;
    v->rewatch_timer = 0;
    watch_start(v);
}

static void on_watch_end(const struct error *err, void *ud)
{
    struct fview *v = ud;
    v->watch = NULL;
    free(v->watch_path);
    v->watch_path = NULL;
    if (err) app_status(v->a, STATUS_WARN, _("live updates stopped: %s"), err->msg);
    if (!v->rewatch_timer)
        v->rewatch_timer = loop_timer_add(v->a->loop, FV_REWATCH_MS, rewatch_fire, v);
}

static void watch_start(struct fview *v)
{
    struct fpane *p = &v->p[1];
    if (v->watch) envd_stream_cancel(v->watch);
    v->watch = NULL;
    free(v->watch_path);
    v->watch_path = NULL;
    if (!v->envd || !p->l.path) return;
    struct error err = {0};
    v->watch = envd_fs_watch_dir(v->envd, p->l.path, false, on_fs_event, on_watch_end, v, &err);
    if (!v->watch)
        app_status(v->a, STATUS_WARN, _("live updates unavailable: %s"), err.msg);
    else
        v->watch_path = strdup(p->l.path);
}

/* ---- transfers ---- */

static void on_xfer(void *ud, enum xfer_event ev, struct xfer_job *j)
{
    struct fview *v = ud;
    app_dirty(v->a, DIRTY_MAIN);
    if (ev != XEV_STATE) return;
    if (j->state == XS_DONE || j->state == XS_FAILED || j->state == XS_CANCELLED) {
        int own = j != v->view_job && j != v->edit_job && j != v->edit_up; /* a copy */
        if (j->state == XS_FAILED)
            app_status_for(v->a, &v->base, STATUS_ERROR, _("copy failed: %s"), j->msg);
        else if (j->state == XS_DONE && j->msg[0])
            app_status_for(v->a, &v->base, STATUS_WARN, "%s", j->msg);
        else if (j->state == XS_DONE && own)
            app_status_for(v->a, &v->base, STATUS_INFO, _("copied %s"), j->src);
        fv_ops_job_done(v, j);
        /* the target side changed: local needs a re-read, the sandbox has its watch but a
         * listing now costs little and covers a watch that is down */
        fv_reload(v, &v->p[j->dir == XFER_UP ? 1 : 0]);
        app_clock_check(v->a);
    }
}

static void copy_one(struct fview *v, const struct fcopy *c, const char *dst_name)
{
    char *src = fpath_join(v->cq_src_dir, c->name), *dst = fpath_join(v->cq_dst_dir, dst_name);
    if (src && dst && !xfer_add(&v->x, v->cq_from == 0 ? XFER_UP : XFER_DOWN, src, dst, c->is_dir))
        app_status(v->a, STATUS_ERROR, "%s", _("out of memory"));
    free(src);
    free(dst);
}

static void cq_free(struct fview *v)
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
    cq_free(v);
    app_clock_check(v->a);
    app_dirty(v->a, DIRTY_MAIN | DIRTY_FOOTER);
}

static void clash_answer(struct fview *v, int ch)
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
        cq_free(v);
        app_dirty(v->a, DIRTY_MAIN | DIRTY_FOOTER);
        return;
    default:
        return;
    }
    v->ask = ASK_NONE;
    v->icq++;
    cq_run(v);
}

static void start_copy(struct fview *v)
{
    struct fpane *p = fv_cur(v), *o = &v->p[!v->act];
    if (app_refuse_readonly(v->a, _("copy"))) return;
    if (!v->envd) {
        app_status(v->a, STATUS_WARN, "%s", _("not connected to the sandbox yet"));
        return;
    }
    if (!p->l.path || !o->l.path) return;
    cq_free(v);
    v->all = ALL_ASK;
    v->cq_from = v->act;
    v->cq_src_dir = strdup(p->l.path);
    v->cq_dst_dir = strdup(o->l.path);
    int n = p->nmarks ? p->nmarks : (fv_selected(v, p) ? 1 : 0);
    v->cq = calloc((size_t)n + 1, sizeof *v->cq);
    if (!v->cq || !v->cq_src_dir || !v->cq_dst_dir) {
        cq_free(v);
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

/* ---- envd client ---- */

static void on_envd(struct envd_client *c, const struct error *err, void *ud)
{
    struct fview *v = ud;
    v->open_h = NULL;
    if (!c) {
        snprintf(v->p[1].err, sizeof v->p[1].err, "%s", err ? err->msg : "?");
        v->p[1].loading = 0;
        app_dirty(v->a, DIRTY_MAIN);
        return;
    }
    v->envd = c;
    xfer_init(&v->x, v->a->loop, c, on_xfer, v);
    fv_reload(v, &v->p[1]);
}

/* ---- drawing ---- */

static void fmt_mtime(char *out, size_t n, int64_t ms)
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

static void draw_pane(struct fview *v, WINDOW *w, int pi, int y0, int x0, int h, int wd)
{
    struct app *a = v->a;
    struct fpane *p = &v->p[pi];
    const struct theme *th = &a->theme;
    int active = pi == v->act && !v->xfocus;
    ui_box(a, w, y0, x0, h, wd, active ? th->attr[ROLE_ACCENT] : th->attr[ROLE_DIM]);
    struct buf t = BUF_INIT;
    buf_printf(&t, " %s: %s ", pi ? _("sandbox") : _("local"), p->l.path ? p->l.path : "…");
    ui_text(a, w, y0, x0 + 2, wd - 4, buf_cstr(&t), active ? th->attr[ROLE_TITLE] : 0);
    buf_free(&t);
    int in_w = wd - 2, x = x0 + 1;
    /* columns that fit: name always; size 8, mode 10, owner 9, modified 17 */
    int show_owner = in_w >= 24 + 8 + 11 + 9 + 17, show_mtime = in_w >= 24 + 8 + 11 + 17;
    int show_mode = in_w >= 24 + 8 + 11;
    int fixed = 8 + (show_mode ? 11 : 0) + (show_owner ? 9 : 0) + (show_mtime ? 17 : 0);
    int name_w = in_w - fixed;
    int y = y0 + 1;
    const char *sorts[] = {_("name"), _("size"), _("modified")};
    struct buf hd = BUF_INIT;
    buf_printf(&hd, "%s%s", _("Name"), "");
    ui_fill(w, y, x, in_w, th->attr[ROLE_TITLE]);
    ui_text(a, w, y, x, name_w, _("Name"), th->attr[ROLE_TITLE]);
    int cx = x + name_w;
    ui_text_right(a, w, y, cx, 7, _("Size"), th->attr[ROLE_TITLE]);
    cx += 8;
    if (show_mode) {
        ui_text(a, w, y, cx, 10, _("Mode"), th->attr[ROLE_TITLE]);
        cx += 11;
    }
    if (show_owner) {
        ui_text(a, w, y, cx, 8, _("Owner"), th->attr[ROLE_TITLE]);
        cx += 9;
    }
    if (show_mtime) ui_text(a, w, y, cx, 16, _("Modified"), th->attr[ROLE_TITLE]);
    buf_free(&hd);
    y++;
    int rows = h - 3;
    if (pi == 1 && box_paused(v)) {
        ui_text(a, w, y, x, in_w, _("the sandbox is paused: r resumes it"), th->attr[ROLE_WARN]);
        y++;
        rows--;
    } else if (pi == 1 && !v->envd && !p->err[0]) {
        ui_text(a, w, y, x, in_w, _("connecting to the sandbox…"), th->attr[ROLE_DIM]);
    } else if (p->err[0]) {
        ui_text(a, w, y, x, in_w, p->err, th->attr[ROLE_CRIT]);
        y++;
        rows--;
    }
    if (p->sel < p->top) p->top = p->sel;
    if (p->sel >= p->top + rows) p->top = p->sel - rows + 1;
    if (p->top < 0) p->top = 0;
    for (int r = 0; r < rows; r++) {
        const struct fent *e = flist_at(&p->l, (size_t)(p->top + r));
        if (!e) break;
        int sel = p->top + r == p->sel;
        attr_t at = sel && active ? th->attr[ROLE_SELECTED] : 0;
        int mk = fv_marked(p, e->name);
        if (mk && !(sel && active)) at = th->attr[ROLE_MARK];
        if (at) ui_fill(w, y + r, x, in_w, at);
        struct buf nm = BUF_INIT;
        buf_printf(&nm, "%s%s%s", mk ? "*" : "", e->name,
                   e->type == FENT_DIR                   ? "/"
                   : e->type == FENT_LINK && e->link_dir ? "@"
                                                         : "");
        if (e->type == FENT_LINK) buf_printf(&nm, " -> %s", e->target ? e->target : "?");
        ui_text(a, w, y + r, x, name_w - 1, buf_cstr(&nm), at);
        buf_free(&nm);
        char s[32];
        cx = x + name_w;
        if (e->type == FENT_DIR)
            snprintf(s, sizeof s, "%s", _("<DIR>"));
        else
            ui_fmt_bytes(s, sizeof s, e->size);
        ui_text_right(a, w, y + r, cx, 7, s, at);
        cx += 8;
        if (show_mode) {
            fmode_str(s, e->type, e->mode);
            ui_text(a, w, y + r, cx, 10, s, at);
            cx += 11;
        }
        if (show_owner) {
            ui_text(a, w, y + r, cx, 8, e->owner ? e->owner : "", at);
            cx += 9;
        }
        if (show_mtime) {
            fmt_mtime(s, sizeof s, e->mtime_ms);
            ui_text(a, w, y + r, cx, 16, s, at);
        }
    }
    /* bottom edge: count, sort, filter */
    struct buf st = BUF_INIT;
    buf_printf(&st, " %zu/%zu  %s %s%s", p->l.nidx, p->l.n, _("sort:"), sorts[p->l.sort],
               p->l.reverse ? "↓" : "");
    if (p->l.filter[0]) buf_printf(&st, "  /%s", p->l.filter);
    if (p->l.show_hidden) buf_printf(&st, "  %s", _("hidden shown"));
    if (p->loading) buf_printf(&st, "  %s", _("loading…"));
    buf_append(&st, " ", 1);
    ui_text(a, w, y0 + h - 1, x0 + 2, wd - 4, buf_cstr(&st), th->attr[ROLE_DIM]);
    buf_free(&st);
}

static const char *state_name(enum xfer_state s)
{
    switch (s) {
    case XS_QUEUED:
        return _("queued");
    case XS_PREPARING:
        return _("listing");
    case XS_RUNNING:
        return _("copying");
    case XS_MODES:
        return _("modes");
    case XS_DONE:
        return _("done");
    case XS_FAILED:
        return _("FAILED");
    case XS_CANCELLED:
        return _("cancelled");
    }
    return "?";
}

static void draw_xfers(struct fview *v, WINDOW *w, int y0, int h, int wd)
{
    struct app *a = v->a;
    const struct theme *th = &a->theme;
    int64_t now = loop_now_ms();
    ui_fill(w, y0, 0, wd, th->attr[ROLE_TITLE]);
    ui_text(a, w, y0, 1, wd - 2,
            v->xfocus ? _("Transfers (t back to panes, x cancel, C clear finished)")
                      : _("Transfers (t to select)"),
            th->attr[ROLE_TITLE]);
    long n = (long)v->x.njobs;
    if (v->xsel >= n) v->xsel = n - 1;
    if (v->xsel < 0) v->xsel = 0;
    /* unfocused: the newest jobs; focused: follow the selection */
    long top = !v->xfocus         ? (n > h - 1 ? n - (h - 1) : 0)
               : v->xsel >= h - 1 ? v->xsel - (h - 2)
                                  : 0;
    for (int r = 0; r < h - 1 && top + r < n; r++) {
        struct xfer_job *j = v->x.jobs[top + r];
        int sel = v->xfocus && top + r == v->xsel;
        attr_t at = sel ? th->attr[ROLE_SELECTED] : j->state == XS_FAILED ? th->attr[ROLE_CRIT] : 0;
        if (sel) ui_fill(w, y0 + 1 + r, 0, wd, at);
        char done[16], total[16], rate[16], eta[16];
        ui_fmt_bytes(done, sizeof done, (int64_t)j->done);
        ui_fmt_bytes(total, sizeof total, (int64_t)j->total);
        double rt = xfer_rate(j, now);
        ui_fmt_bytes(rate, sizeof rate, (int64_t)rt);
        int64_t e = xfer_eta_ms(j, now);
        if (e >= 0)
            ui_fmt_duration(eta, sizeof eta, e);
        else
            snprintf(eta, sizeof eta, "-");
        int pct = j->total ? (int)(j->done * 100 / j->total) : (j->state == XS_DONE ? 100 : 0);
        if (pct > 100) pct = 100;
        struct buf b = BUF_INIT;
        buf_printf(&b, "%s %-9s %3d%% %s/%s", j->dir == XFER_UP ? "↑" : "↓", state_name(j->state),
                   pct, done, total);
        if (j->state == XS_RUNNING) buf_printf(&b, " %s/s ETA %s", rate, eta);
        buf_printf(&b, " %u/%u ", j->files_done, j->files_total);
        int used = ui_text(a, w, y0 + 1 + r, 1, wd - 2, buf_cstr(&b), at);
        struct buf d = BUF_INIT;
        if (j->state == XS_FAILED)
            buf_printf(&d, "%s", j->msg);
        else
            buf_printf(&d, "%s → %s", j->src, j->dst);
        if (used < wd - 3) ui_text(a, w, y0 + 1 + r, 1 + used, wd - 2 - used, buf_cstr(&d), at);
        buf_free(&b);
        buf_free(&d);
    }
}

static void fv_draw(struct view *vv, struct app *a, WINDOW *w, int h, int wd)
{
    struct fview *v = (struct fview *)vv;
    int xh =
        v->envd && v->x.njobs ? (int)(v->x.njobs < XPANEL_MAX ? v->x.njobs : XPANEL_MAX) + 1 : 0;
    int ask_h = v->ask ? 1 : 0;
    int ph = h - xh - ask_h;
    if (ph < 5) ph = 5;
    v->pane_w = wd / 2;
    v->body_h = ph;
    v->list_y = 2;
    draw_pane(v, w, 0, 0, 0, ph, v->pane_w);
    draw_pane(v, w, 1, 0, v->pane_w, ph, wd - v->pane_w);
    v->xpanel_y = ph;
    if (xh) draw_xfers(v, w, ph, xh, wd);
    if (v->ask == ASK_CLASH && v->icq < v->ncq) {
        struct buf b = BUF_INIT;
        buf_printf(&b,
                   _("\"%s\" exists: o overwrite  s skip  r rename  O overwrite all  "
                     "S skip all  Esc stop"),
                   v->cq[v->icq].name);
        ui_fill(w, h - 1, 0, wd, a->theme.attr[ROLE_WARN]);
        ui_text(a, w, h - 1, 1, wd - 2, buf_cstr(&b), a->theme.attr[ROLE_WARN]);
        buf_free(&b);
    }
}

/* ---- keys ---- */

static void filter_cb(struct app *a, const char *text, int submit, void *ud)
{
    (void)submit;
    struct fview *v = ud;
    struct fpane *p = fv_cur(v);
    snprintf(p->l.filter, sizeof p->l.filter, "%s", text ? text : "");
    flist_apply(&p->l);
    clamp_sel(p);
    app_dirty(a, DIRTY_MAIN);
}

static int xfer_key(struct fview *v, int ch, int is_key)
{
    if ((is_key && ch == KEY_DOWN) || (!is_key && ch == 'j'))
        v->xsel++;
    else if ((is_key && ch == KEY_UP) || (!is_key && ch == 'k'))
        v->xsel--;
    else if (!is_key && (ch == 'x' || ch == 'X')) {
        if (v->xsel >= 0 && (size_t)v->xsel < v->x.njobs) {
            struct xfer_job *j = v->x.jobs[v->xsel];
            if (j->state == XS_DONE || j->state == XS_FAILED || j->state == XS_CANCELLED) {
                app_status(v->a, STATUS_WARN, "%s", _("that transfer has already ended"));
            } else {
                xfer_cancel(&v->x, j);
                app_status(v->a, STATUS_INFO, "%s", _("transfer cancelled"));
            }
        }
    } else if (!is_key && ch == 'C')
        xfer_clear_finished(&v->x);
    else if (!is_key && (ch == 't' || ch == '\t' || ch == 27))
        v->xfocus = 0;
    else
        return 0;
    app_dirty(v->a, DIRTY_MAIN | DIRTY_FOOTER);
    return 1;
}

static int fv_key(struct view *vv, struct app *a, int ch, int is_key)
{
    struct fview *v = (struct fview *)vv;
    struct fpane *p = fv_cur(v);
    if (v->ask == ASK_CLASH) {
        if (!is_key) clash_answer(v, ch);
        return 1;
    }
    if (v->xfocus && xfer_key(v, ch, is_key)) return 1;
    long page = v->body_h > 6 ? v->body_h - 4 : 1;
    if (is_key) {
        switch (ch) {
        case KEY_DOWN:
            p->sel++;
            break;
        case KEY_UP:
            p->sel--;
            break;
        case KEY_NPAGE:
            p->sel += page;
            break;
        case KEY_PPAGE:
            p->sel -= page;
            break;
        case KEY_HOME:
            p->sel = 0;
            break;
        case KEY_END:
            p->sel = (long)p->l.nidx - 1;
            break;
        case KEY_BACKSPACE:
            pane_up(v, p);
            return 1;
        case KEY_ENTER:
            pane_enter(v, p);
            return 1;
        case KEY_RIGHT:
            pane_enter(v, p);
            return 1;
        case KEY_LEFT:
            pane_up(v, p);
            return 1;
        case KEY_IC:
            goto mark;
        case KEY_BTAB:
            v->act = !v->act;
            break;
        default:
            if (ch == KEY_F(5))
                start_copy(v);
            else if (ch == KEY_F(3))
                fv_view_file(v);
            else if (ch == KEY_F(4))
                fv_edit_file(v);
            else if (ch == KEY_F(6))
                fv_ask_rename(v);
            else if (ch == KEY_F(7))
                fv_ask_mkdir(v);
            else if (ch == KEY_F(8))
                fv_ask_delete(v);
            else
                return 0;
            return 1;
        }
        clamp_sel(p);
        app_dirty(a, DIRTY_MAIN);
        return 1;
    }
    switch (ch) {
    case 'j':
        p->sel++;
        break;
    case 'k':
        p->sel--;
        break;
    case 'g':
        p->sel = 0;
        break;
    case 'G':
        p->sel = (long)p->l.nidx - 1;
        break;
    case '\t':
        v->act = !v->act;
        break;
    case '\r':
    case '\n':
        pane_enter(v, p);
        return 1;
    case 127:
    case 8:
        pane_up(v, p);
        return 1;
    case ' ':
    mark:
        if (fv_selected(v, p)) mark_toggle(p, fv_selected(v, p)->name);
        p->sel++;
        break;
    case 'c':
        start_copy(v);
        return 1;
    case 'v':
        fv_view_file(v);
        return 1;
    case 'e':
        fv_edit_file(v);
        return 1;
    case 'M':
        fv_ask_mkdir(v);
        return 1;
    case 'R':
        fv_ask_rename(v);
        return 1;
    case 'D':
        fv_ask_delete(v);
        return 1;
    case 'r':
        if (box_paused(v)) {
            if (app_refuse_readonly(a, _("resume"))) return 1;
            a->be->ops->resume(a->be, v->id);
            app_status(a, STATUS_INFO, "%s", _("resuming the sandbox…"));
            return 1;
        }
        fv_reload(v, p);
        return 1;
    case '.':
        p->l.show_hidden = !p->l.show_hidden;
        flist_apply(&p->l);
        break;
    case 's':
        p->l.sort = (p->l.sort + 1) % FSORT_N;
        flist_apply(&p->l);
        break;
    case 'S':
        p->l.reverse = !p->l.reverse;
        flist_apply(&p->l);
        break;
    case '/':
        /* a new filter each time (Esc or an empty one shows everything again) */
        p->l.filter[0] = '\0';
        flist_apply(&p->l);
        app_prompt(a, "/", "", NULL, filter_cb, v);
        return 1;
    case 't':
        if (v->envd && v->x.njobs) {
            /* start on the first transfer still running (the one to cancel), else the last */
            v->xfocus = 1;
            v->xsel = (long)v->x.njobs - 1;
            for (size_t i = 0; i < v->x.njobs; i++) {
                enum xfer_state st = v->x.jobs[i]->state;
                if (st != XS_DONE && st != XS_FAILED && st != XS_CANCELLED) {
                    v->xsel = (long)i;
                    break;
                }
            }
        }
        break;
    case 27:
        if (!p->l.filter[0]) return 0;
        p->l.filter[0] = '\0';
        flist_apply(&p->l);
        break;
    default:
        return 0;
    }
    clamp_sel(p);
    app_dirty(a, DIRTY_MAIN | DIRTY_FOOTER);
    return 1;
}

static int fv_mouse(struct view *vv, struct app *a, int y, int x, mmask_t b)
{
    struct fview *v = (struct fview *)vv;
    int pi = x >= v->pane_w;
    struct fpane *p = &v->p[pi];
    if (v->ask) return 1;
    if (b & BUTTON4_PRESSED) {
        p->sel -= WHEEL_ROWS;
    } else if (b & BUTTON5_PRESSED) {
        p->sel += WHEEL_ROWS;
    } else if (b & (BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED)) {
        if (y >= v->xpanel_y) {
            if (v->x.njobs) {
                v->xfocus = 1;
                v->xsel = y - v->xpanel_y - 1;
            }
            return 1;
        }
        v->act = pi;
        v->xfocus = 0;
        long row = p->top + (y - v->list_y - (p->err[0] ? 1 : 0));
        if (y < v->list_y || row < 0 || row >= (long)p->l.nidx) return 1;
        int64_t now = loop_now_ms();
        int dbl =
            (b & BUTTON1_DOUBLE_CLICKED) ||
            (row == v->last_click_row && now - v->last_click_ms < DOUBLE_CLICK && row == p->sel);
        p->sel = row;
        v->last_click_ms = now;
        v->last_click_row = row;
        if (dbl) pane_enter(v, p);
    } else {
        return 0;
    }
    clamp_sel(p);
    app_dirty(a, DIRTY_MAIN);
    return 1;
}

/* The sandbox ran again after a pause: list it afresh (a listing made while it was paused
 * failed) and watch it again. */
static void fv_model_changed(struct view *vv, struct app *a)
{
    struct fview *v = (struct fview *)vv;
    if (box_paused(v)) {
        v->saw_paused = 1;
        app_dirty(a, DIRTY_MAIN);
        return;
    }
    if (!v->saw_paused) return;
    v->saw_paused = 0;
    v->p[1].err[0] = '\0';
    if (v->envd) {
        fv_reload(v, &v->p[1]);
        if (!v->watch) watch_start(v);
    } else if (!v->open_h) {
        v->p[1].loading = 1;
        v->open_h = a->be->ops->envd_open(a->be, v->id, on_envd, v);
    }
    app_dirty(a, DIRTY_MAIN);
}

/* A question at the bottom takes its answer as typed (no [keys.files] rebinding). */
static int fv_typing(struct view *vv)
{
    return ((struct fview *)vv)->ask != 0;
}

static const char *fv_footer(struct view *vv)
{
    struct fview *v = (struct fview *)vv;
    if (v->ask) return _("answer the question at the bottom");
    if (v->xfocus) return _("j/k select  x cancel  C clear finished  t panes");
    return _("Tab pane  Enter open  Bksp up  c/F5 copy  v view  e edit  M mkdir  R rename  "
             "D delete  / filter  . hidden  s sort  t transfers  ? help");
}

static const struct keyhelp fv_help[] = {
    {"Tab", N_("switch between the local and the sandbox pane")},
    {"Enter →", N_("enter a directory (view a file)")},
    {"Bksp ←", N_("go to the parent directory")},
    {"Space Ins", N_("mark / unmark the entry")},
    {"c F5", N_("copy the marked entries (or the selected one) to the other pane")},
    {"v F3", N_("view a file (text sanitized, binary as hex)")},
    {"e F4", N_("edit a sandbox file in $EDITOR (uploaded when changed)")},
    {"M F7", N_("make a directory")},
    {"R F6", N_("rename the selected entry")},
    {"D F8", N_("delete the marked or selected entries (asks first)")},
    {"/", N_("filter names (Esc clears)")},
    {".", N_("show / hide hidden files")},
    {"s S", N_("sort by name, size, modified / reverse")},
    {"r", N_("reload the pane (resume a paused sandbox)")},
    {"t", N_("transfers panel: j/k, x cancel, C clear finished")},
};

static const struct keyhelp *fv_helpfn(struct view *vv, int *n)
{
    (void)vv;
    *n = (int)(sizeof(fv_help) / sizeof(fv_help[0]));
    return fv_help;
}

static int fv_needs_clock(struct view *vv, struct app *a)
{
    (void)a;
    struct fview *v = (struct fview *)vv;
    return v->envd && xfer_busy(&v->x); /* rate and ETA move */
}

static void fv_destroy(struct view *vv)
{
    struct fview *v = (struct fview *)vv;
    struct app *a = v->a;
    if (v->open_h) a->be->ops->envd_cancel(a->be, v->open_h);
    if (v->watch) envd_stream_cancel(v->watch);
    if (v->relist_timer) loop_timer_cancel(a->loop, v->relist_timer);
    if (v->rewatch_timer) loop_timer_cancel(a->loop, v->rewatch_timer);
    fv_ops_free(v);
    if (v->envd) {
        xfer_free(&v->x);
        xfer_release_client(&v->x, v->envd);
    }
    cq_free(v);
    for (int i = 0; i < 2; i++) {
        flist_free(&v->p[i].l);
        fv_marks_clear(&v->p[i]);
        free(v->p[i].want_sel);
    }
    free(v->watch_path);
    free(v->id);
    free(v);
}

static const char *fv_sandbox_id(struct view *vv)
{
    return ((struct fview *)vv)->id;
}

static const struct view_ops fv_ops = {
    .name = N_("files"),
    .sandbox_id = fv_sandbox_id,
    .typing = fv_typing,
    .draw = fv_draw,
    .key = fv_key,
    .mouse = fv_mouse,
    .model_changed = fv_model_changed,
    .footer = fv_footer,
    .help = fv_helpfn,
    .needs_clock = fv_needs_clock,
    .destroy = fv_destroy,
};

struct view *view_files_new(struct app *a, const char *id)
{
    return view_files_at(a, id, NULL);
}

struct view *view_files_at(struct app *a, const char *id, const char *dir)
{
    if (!a->be->ops->envd_open) {
        app_status(a, STATUS_WARN, "%s", _("the file browser needs a live backend"));
        return NULL;
    }
    struct fview *v = calloc(1, sizeof(*v));
    char cwd[4096];
    if (!v || !(v->id = strdup(id))) {
        free(v);
        return NULL;
    }
    v->base.ops = &fv_ops;
    v->a = a;
    v->p[1].remote = 1;
    v->last_click_row = -1;
    if (!getcwd(cwd, sizeof cwd)) snprintf(cwd, sizeof cwd, "/");
    v->p[0].l.path = strdup(cwd);
    v->p[1].l.path = strdup(dir && dir[0] == '/' ? dir : REMOTE_HOME);
    fv_reload(v, &v->p[0]);
    v->saw_paused = box_paused(v);
    v->p[1].loading = 1;
    v->open_h = a->be->ops->envd_open(a->be, id, on_envd, v);
    if (!v->open_h) {
        snprintf(v->p[1].err, sizeof v->p[1].err, "%s", _("cannot look the sandbox up"));
        v->p[1].loading = 0;
    }
    return &v->base;
}
