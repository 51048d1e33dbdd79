/* view_files.c - the two-pane file browser (issue 8): the local current directory on the left,
 * the sandbox on the right (starting in /home/user), Midnight-Commander style. This file is
 * the view itself: keys, mouse, help, and its life over the backend's remote face of the
 * sandbox (backend_remote.h: listings, watch, operations and the transfer engine, whose jobs
 * show in a transfers panel at the bottom). The rest is in view_files_pane.c, view_files_draw.c,
 * view_files_copy.c, view_files_ops.c and view_files_pager.c (fview.h says which way calls go).
 * Names are raw bytes everywhere and only sanitized when drawn (ui_text). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boxtop/i18n.h"
#include "app.h"
#include "files/fview.h"

#define REMOTE_HOME  "/home/user"
#define WHEEL_ROWS   3
#define DOUBLE_CLICK 400

static void pane_enter(struct fview *v, struct fpane *p)
{
    const struct fent *e = fv_selected(v, p);
    if (!e) return;
    if (e->type == FENT_DIR || (e->type == FENT_LINK && e->link_dir)) {
        char *np = fpath_join(p->l.path, e->name);
        if (np) fv_pane_cd(v, p, np, NULL);
        free(np);
    } else {
        fv_view_file(v);
    }
}

/* ---- transfers ---- */

static void on_xfer(void *ud, enum xfer_event ev, struct xfer_job *j)
{
    struct fview *v = ud;
    app_dirty(v->a, DIRTY_MAIN);
    if (ev != XEV_STATE) return;
    if (j->state == XS_DONE || j->state == XS_FAILED || j->state == XS_CANCELLED) {
        int own = j != v->view_job && j != v->edit_job && j != v->edit_up; /* a copy */
        if (j->state == XS_FAILED && own)
            app_status_for_detail(v->a, &v->base, STATUS_ERROR, j->msg_detail,
                                  _("copy failed: %s - a retries"), j->msg);
        else if (j->state == XS_FAILED)
            app_status_for_detail(v->a, &v->base, STATUS_ERROR, j->msg_detail, _("copy failed: %s"),
                                  j->msg);
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

/* ---- the sandbox's remote face ---- */

static void on_ready(void *ud, const struct error *err)
{
    struct fview *v = ud;
    if (err) {
        snprintf(v->p[1].err, sizeof v->p[1].err, "%s", err->msg);
        v->p[1].loading = 0;
        app_dirty(v->a, DIRTY_MAIN);
        return;
    }
    fv_reload(v, &v->p[1]);
}

static const struct brem_events fv_remote_events = {.ready = on_ready, .xfer = on_xfer};

/* Open (or retry) the sandbox's session; a failure to start shows in the sandbox pane. */
static void remote_connect(struct fview *v)
{
    struct app *a = v->a;
    struct error err = {0};
    v->p[1].loading = 1;
    if (v->rem) {
        v->rem->ops->retry(v->rem);
        return;
    }
    v->rem = a->be->ops->remote_open(a->be, v->id, &fv_remote_events, v, &err);
    if (!v->rem) {
        snprintf(v->p[1].err, sizeof v->p[1].err, "%s", err.msg);
        v->p[1].loading = 0;
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
    fv_clamp_sel(p);
    app_dirty(a, DIRTY_MAIN);
}

static int xfer_key(struct fview *v, int ch, int is_key)
{
    if ((is_key && ch == KEY_DOWN) || (!is_key && ch == 'j'))
        v->xsel++;
    else if ((is_key && ch == KEY_UP) || (!is_key && ch == 'k'))
        v->xsel--;
    else if (!is_key && (ch == 'x' || ch == 'X')) {
        size_t nj = 0;
        struct xfer_job *const *jobs = fv_ready(v) ? v->rem->ops->jobs(v->rem, &nj) : NULL;
        if (v->xsel >= 0 && (size_t)v->xsel < nj) {
            struct xfer_job *j = jobs[v->xsel];
            if (j->state == XS_DONE || j->state == XS_FAILED || j->state == XS_CANCELLED) {
                app_status(v->a, STATUS_WARN, "%s", _("that transfer has already ended"));
            } else {
                v->rem->ops->copy_cancel(v->rem, j);
                app_status(v->a, STATUS_INFO, "%s", _("transfer cancelled"));
            }
        }
    } else if (!is_key && ch == 'C') {
        if (v->rem) v->rem->ops->clear_finished(v->rem);
    } else if (!is_key && ch == 'a') {
        fv_retry(v);
    } else if (!is_key && (ch == 't' || ch == '\t' || ch == 27))
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
        if (!is_key) fv_clash_answer(v, ch);
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
            fv_pane_up(v, p);
            return 1;
        case KEY_ENTER:
            pane_enter(v, p);
            return 1;
        case KEY_RIGHT:
            pane_enter(v, p);
            return 1;
        case KEY_LEFT:
            fv_pane_up(v, p);
            return 1;
        case KEY_IC:
            goto mark;
        case KEY_BTAB:
            v->act = !v->act;
            break;
        default:
            if (ch == KEY_F(5))
                fv_start_copy(v);
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
        fv_clamp_sel(p);
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
        fv_pane_up(v, p);
        return 1;
    case ' ':
    mark:
        if (fv_selected(v, p)) fv_mark_toggle(p, fv_selected(v, p)->name);
        p->sel++;
        break;
    case 'c':
        fv_start_copy(v);
        return 1;
    case 'a':
        fv_retry(v);
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
        if (fv_box_paused(v)) {
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
        size_t nj = 0;
        struct xfer_job *const *jobs = fv_ready(v) ? v->rem->ops->jobs(v->rem, &nj) : NULL;
        if (nj) {
            /* start on the first transfer still running (the one to cancel), else the last */
            v->xfocus = 1;
            v->xsel = (long)nj - 1;
            for (size_t i = 0; i < nj; i++) {
                enum xfer_state st = jobs[i]->state;
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
    fv_clamp_sel(p);
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
            size_t nj = 0;
            if (fv_ready(v)) v->rem->ops->jobs(v->rem, &nj);
            if (nj) {
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
    fv_clamp_sel(p);
    app_dirty(a, DIRTY_MAIN);
    return 1;
}

/* The sandbox ran again after a pause: list it afresh (a listing made while it was paused
 * failed) and watch it again. */
static void fv_model_changed(struct view *vv, struct app *a)
{
    struct fview *v = (struct fview *)vv;
    if (fv_box_paused(v)) {
        v->saw_paused = 1;
        app_dirty(a, DIRTY_MAIN);
        return;
    }
    if (!v->saw_paused) return;
    v->saw_paused = 0;
    v->p[1].err[0] = '\0';
    if (fv_ready(v)) {
        fv_reload(v, &v->p[1]);
        if (!v->watch) fv_watch_start(v);
    } else if (!v->rem || v->rem->ops->state(v->rem) == BREM_FAILED) {
        remote_connect(v);
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
    if (v->xfocus) return _("j/k select  x cancel  a retry  C clear finished  t panes");
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
    {"t", N_("transfers panel: j/k, x cancel, a retry, C clear finished")},
    {"a", N_("copy the failed transfer again (the selected one, else the newest)")},
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
    return v->rem && v->rem->ops->busy(v->rem); /* rate and ETA move */
}

static void fv_destroy(struct view *vv)
{
    struct fview *v = (struct fview *)vv;
    fv_pane_free(v);
    fv_ops_free(v);
    fv_cq_free(v);
    /* last: it abandons what is still to answer and cancels the transfers */
    if (v->rem) v->rem->ops->close(v->rem);
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
    if (!a->be->ops->remote_open) {
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
    v->saw_paused = fv_box_paused(v);
    remote_connect(v);
    return &v->base;
}
