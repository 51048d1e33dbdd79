/* view_files_draw.c - drawing the file browser: the two panes (columns that fit the width, the
 * selection, marks, link targets, a count/sort/filter line at the bottom edge), the transfers
 * panel below them and the clash question. Names are raw bytes and only sanitized here, when
 * drawn (ui_text). */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "app.h"
#include "files/fview.h"

#define XPANEL_MAX      5   /* transfer rows shown */
#define XFER_AVG_MIN_MS 100 /* a copy quicker than this shows no average rate */

static void fmt_mtime(char *out, size_t n, int64_t ms)
{
    ui_fmt_localtime(out, n, ms, "%Y-%m-%d %H:%M");
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
    if (pi == 1 && fv_box_paused(v)) {
        ui_text(a, w, y, x, in_w, _("the sandbox is paused: r resumes it"), th->attr[ROLE_WARN]);
        y++;
        rows--;
    } else if (pi == 1 && !fv_ready(v) && !p->err[0]) {
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
        /* a dangling link says so, in red like ls: its target (when known) is missing */
        if (e->type == FENT_LINK && e->link_broken && e->target)
            buf_printf(&nm, " -> %s %s", e->target, _("(broken)"));
        else if (e->type == FENT_LINK && e->link_broken)
            buf_printf(&nm, " %s", _("(broken link)"));
        else if (e->type == FENT_LINK)
            buf_printf(&nm, " -> %s", e->target ? e->target : "?");
        attr_t nat = at ? at : e->type == FENT_LINK && e->link_broken ? th->attr[ROLE_CRIT] : 0;
        ui_text(a, w, y + r, x, name_w - 1, buf_cstr(&nm), nat);
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

/* A rate as the panel shows it: "45M/s", "-" while not known. */
static void fmt_rate(char *out, size_t n, double bps)
{
    char b[16];
    if (bps <= 0) {
        snprintf(out, n, "-");
        return;
    }
    ui_fmt_bytes(b, sizeof b, (int64_t)bps);
    snprintf(out, n, "%s/s", b);
}

/* The totals of the jobs still running, right of the panel's title, as rsync's
 * --info=progress2: bytes, rate (the sum of theirs) and the time the rest takes at it. */
static void draw_total(struct app *a, WINDOW *w, int y, int x, int room,
                       struct xfer_job *const *jobs, size_t nj, int64_t now)
{
    uint64_t done = 0, total = 0;
    double rate = 0;
    int running = 0;
    for (size_t i = 0; i < nj; i++) {
        const struct xfer_job *j = jobs[i];
        if (j->state != XS_RUNNING && j->state != XS_PREPARING && j->state != XS_QUEUED &&
            j->state != XS_MODES)
            continue;
        running++;
        done += j->done;
        total += j->total > j->done ? j->total : j->done;
        rate += xfer_rate(j, now);
    }
    if (!running || room < 20) return;
    char d[16], t[16], r[24], eta[24] = "-";
    ui_fmt_bytes(d, sizeof d, (int64_t)done);
    ui_fmt_bytes(t, sizeof t, (int64_t)total);
    fmt_rate(r, sizeof r, rate);
    if (rate > 0)
        ui_fmt_duration(eta, sizeof eta, (int64_t)((double)(total - done) / rate + 1) * 1000);
    struct buf b = BUF_INIT;
    buf_printf(&b,
               ngettext_("total: %d running  %s/%s  %s  ETA %s ",
                         "total: %d running  %s/%s  %s  ETA %s ", running),
               running, d, t, r, eta);
    ui_text_right(a, w, y, x, room, buf_cstr(&b), a->theme.attr[ROLE_TITLE]);
    buf_free(&b);
}

static void draw_xfers(struct fview *v, WINDOW *w, int y0, int h, int wd)
{
    struct app *a = v->a;
    const struct theme *th = &a->theme;
    int64_t now = loop_now_ms();
    ui_fill(w, y0, 0, wd, th->attr[ROLE_TITLE]);
    size_t nj = 0;
    struct xfer_job *const *jobs = fv_ready(v) ? v->rem->ops->jobs(v->rem, &nj) : NULL;
    int failed = 0; /* then the title names the retry key */
    for (size_t i = 0; i < nj; i++)
        failed |= jobs[i]->state == XS_FAILED;
    int tw =
        ui_text(a, w, y0, 1, wd - 2,
                v->xfocus ? _("Transfers (t back to panes, x cancel, a retry, C clear finished)")
                : failed  ? _("Transfers (t to select, a retries a failed copy)")
                          : _("Transfers (t to select)"),
                th->attr[ROLE_TITLE]);
    draw_total(a, w, y0, 1 + tw + 2, wd - tw - 4, jobs, nj, now);
    /* the state column as wide as its widest translated word ("abgebrochen") */
    int sw = 1;
    for (int s = XS_QUEUED; s <= XS_CANCELLED; s++) {
        char fit[8];
        int n = ui_fit(a, state_name((enum xfer_state)s), 20, fit, sizeof fit);
        if (n > sw) sw = n;
    }
    long n = (long)nj;
    if (v->xsel >= n) v->xsel = n - 1;
    if (v->xsel < 0) v->xsel = 0;
    /* unfocused: the newest jobs; focused: follow the selection */
    long top = !v->xfocus         ? (n > h - 1 ? n - (h - 1) : 0)
               : v->xsel >= h - 1 ? v->xsel - (h - 2)
                                  : 0;
    for (int r = 0; r < h - 1 && top + r < n; r++) {
        struct xfer_job *j = jobs[top + r];
        int sel = v->xfocus && top + r == v->xsel;
        attr_t at = sel ? th->attr[ROLE_SELECTED] : j->state == XS_FAILED ? th->attr[ROLE_CRIT] : 0;
        if (sel) ui_fill(w, y0 + 1 + r, 0, wd, at);
        char done[16], total[16], rate[24], eta[24], took[24];
        ui_fmt_bytes(done, sizeof done, (int64_t)j->done);
        ui_fmt_bytes(total, sizeof total, (int64_t)j->total);
        int pct = j->total ? (int)(j->done * 100 / j->total) : (j->state == XS_DONE ? 100 : 0);
        if (pct > 100) pct = 100;
        struct buf b = BUF_INIT;
        const char *stn = state_name(j->state);
        char sfit[64];
        int stw = ui_fit(a, stn, sw, sfit, sizeof sfit); /* padded by columns, not bytes */
        buf_printf(&b, "%s %s%*s %3d%% %s/%s", j->dir == XFER_UP ? "↑" : "↓", stn, sw - stw, "",
                   pct, done, total);
        if (j->state == XS_RUNNING) { /* a moving average, and the rest at that rate */
            fmt_rate(rate, sizeof rate, xfer_rate(j, now));
            int64_t e = xfer_eta_ms(j, now);
            if (e >= 0) /* whole seconds up: 0.4 s left is "1s", as scp counts */
                ui_fmt_duration(eta, sizeof eta, (e + 999) / 1000 * 1000);
            else
                snprintf(eta, sizeof eta, "-");
            buf_printf(&b, "  %s  ETA %s", rate, eta);
        } else if (j->state == XS_DONE && j->ended_ms - j->started_ms >= XFER_AVG_MIN_MS) {
            /* what it averaged over its whole duration */
            fmt_rate(rate, sizeof rate, xfer_avg_rate(j));
            ui_fmt_duration_ns(took, sizeof took, (j->ended_ms - j->started_ms) * 1000000);
            buf_printf(&b, _("  %s in %s"), rate, took);
        } else if (j->state == XS_DONE) { /* too quick for a rate to mean anything */
            ui_fmt_duration_ns(took, sizeof took, XFER_AVG_MIN_MS * 1000000LL);
            buf_printf(&b, _("  in <%s"), took);
        }
        buf_printf(&b, "  %u/%u ", j->files_done, j->files_total);
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

void fv_draw(struct view *vv, struct app *a, WINDOW *w, int h, int wd)
{
    struct fview *v = (struct fview *)vv;
    size_t nj = 0;
    if (fv_ready(v)) v->rem->ops->jobs(v->rem, &nj);
    int xh = nj ? (int)(nj < XPANEL_MAX ? nj : XPANEL_MAX) + 1 : 0;
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
