/* view_changes.c - `d`: the files a sandbox's agent created or modified since it started or since
 * the mark (`m`), newest first, as the scan streams them in (changes_track.h); deletions the
 * watcher saw are listed after them, saying so. `/` filters, Enter reads a file in the pager
 * (text sanitized, binary as hex), `c` downloads the selected file and `C` all shown ones into
 * a local directory, keeping paths and modes; Esc stops a running scan, then goes back. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boxtop/i18n.h"
#include "app.h"
#include "changes_track.h"
#include "files/fview.h"

struct chgview {
    struct view base;
    struct app *a;
    char *id;
    struct chg_scan *scan;
    char filter[256];
    size_t *rows; /* indexes into the list that match the filter */
    size_t nrows;
    int sel, top, body_h;
    char dl_path[512];
    int peek_wait;
};

static void rebuild(struct chgview *v)
{
    const struct chg_list *l = chg_scan_list(v->scan);
    free(v->rows);
    v->rows = l->n ? calloc(l->n, sizeof(*v->rows)) : NULL;
    v->nrows = 0;
    for (size_t i = 0; v->rows && i < l->n; i++)
        if (!v->filter[0] || strstr(l->v[i].path, v->filter)) v->rows[v->nrows++] = i;
    if (v->sel >= (int)v->nrows) v->sel = v->nrows ? (int)v->nrows - 1 : 0;
}

static void on_scan(void *ud)
{
    struct chgview *v = ud;
    rebuild(v);
    app_dirty(v->a, DIRTY_MAIN);
}

static const struct chg_entry *selected(struct chgview *v)
{
    const struct chg_list *l = chg_scan_list(v->scan);
    return v->sel >= 0 && (size_t)v->sel < v->nrows ? &l->v[v->rows[v->sel]] : NULL;
}

static void fmt_time(char *out, size_t n, int64_t ms)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    if (!localtime_r(&t, &tm) || !strftime(out, n, "%H:%M:%S", &tm)) snprintf(out, n, "?");
}

static void cv_draw(struct view *vv, struct app *a, WINDOW *w, int h, int wd)
{
    struct chgview *v = (struct chgview *)vv;
    const struct theme *th = &a->theme;
    const struct chg_list *l = chg_scan_list(v->scan);
    enum chg_state st = chg_scan_state(v->scan);
    char since[16], title[600];
    fmt_time(since, sizeof(since), chg_scan_since(v->scan));
    const char *what = st == CHG_CONNECTING  ? _("connecting…")
                       : st == CHG_SCANNING  ? _("scanning… (Esc stops)")
                       : st == CHG_CANCELLED ? _("stopped")
                       : st == CHG_FAILED    ? _("failed")
                                             : _("done");
    snprintf(title, sizeof(title), _("Changed files  %s  since %s (%s)  %zu files  %s"), v->id,
             since, chg_scan_from_mark(v->scan) ? _("mark") : _("start"), v->nrows, what);
    if (v->filter[0])
        snprintf(title + strlen(title), sizeof(title) - strlen(title), _("  filter: %s"),
                 v->filter);
    ui_text(a, w, 0, 1, wd - 2, title, th->attr[ROLE_ACCENT] | A_BOLD);
    ui_fill(w, 1, 0, wd, th->attr[ROLE_TITLE]);
    ui_text(a, w, 1, 1, 9, _("TIME"), th->attr[ROLE_TITLE]);
    ui_text_right(a, w, 1, 10, 9, _("SIZE"), th->attr[ROLE_TITLE]);
    ui_text(a, w, 1, 21, 5, _("MODE"), th->attr[ROLE_TITLE]);
    ui_text(a, w, 1, 27, 10, _("OWNER"), th->attr[ROLE_TITLE]);
    ui_text(a, w, 1, 38, wd - 39, _("PATH"), th->attr[ROLE_TITLE]);
    v->body_h = h - 3;
    if (st == CHG_FAILED)
        ui_text(a, w, 2, 2, wd - 4, chg_scan_error(v->scan), th->attr[ROLE_CRIT]);
    else if (!v->nrows && st != CHG_SCANNING && st != CHG_CONNECTING)
        ui_text(a, w, 2, 2, wd - 4,
                l->n ? _("No changed file matches the filter.") : _("No file changed."),
                th->attr[ROLE_DIM]);
    if (v->sel < v->top) v->top = v->sel;
    if (v->body_h > 0 && v->sel >= v->top + v->body_h) v->top = v->sel - v->body_h + 1;
    int y = 2;
    for (size_t r = (size_t)v->top; r < v->nrows && y < h - 1; r++, y++) {
        const struct chg_entry *e = &l->v[v->rows[r]];
        int sel = (int)r == v->sel;
        attr_t at = sel ? th->attr[ROLE_SELECTED] : th->attr[ROLE_NORMAL];
        if (sel) ui_fill(w, y, 0, wd, at);
        char t[16], sz[32], mode[8];
        fmt_time(t, sizeof(t), e->mtime_ms);
        ui_text(a, w, y, 1, 9, t, at);
        if (e->deleted) {
            ui_text(a, w, y, 10, 27, _("deleted"), sel ? at : th->attr[ROLE_WARN]);
        } else {
            ui_fmt_bytes(sz, sizeof(sz), e->size);
            snprintf(mode, sizeof(mode), "%04o", (unsigned)e->mode);
            ui_text_right(a, w, y, 10, 9, sz, at);
            ui_text(a, w, y, 21, 5, mode, sel ? at : th->attr[ROLE_DIM]);
            ui_text(a, w, y, 27, 10, e->owner, at);
        }
        ui_text(a, w, y, 38, wd - 39, e->path, at);
    }
    /* the last line: where deletions come from, or the downloads */
    char dl[640];
    int failed = 0;
    chg_scan_download_text(v->scan, dl, sizeof(dl), &failed);
    if (dl[0])
        ui_text(a, w, h - 1, 1, wd - 2, dl, th->attr[failed ? ROLE_CRIT : ROLE_OK]);
    else
        ui_text(a, w, h - 1, 1, wd - 2,
                chg_scan_watched(v->scan)
                    ? _("deletions: as boxtop's watcher saw them in /home/user since the mark")
                    : _("deletions: not known (only seen while boxtop watches: press m first)"),
                th->attr[ROLE_DIM]);
}

static void filter_done(struct app *a, const char *text, int submit, void *ud)
{
    (void)submit;
    struct chgview *v = ud;
    snprintf(v->filter, sizeof(v->filter), "%s", text ? text : "");
    v->sel = v->top = 0;
    rebuild(v);
    app_dirty(a, DIRTY_MAIN);
}

static void on_peek(int fd, size_t len, int more, const struct error *err, void *ud)
{
    struct chgview *v = ud;
    v->peek_wait = 0;
    if (fd < 0) {
        app_status(v->a, STATUS_ERROR, _("cannot read the file: %s"), err ? err->msg : "?");
        return;
    }
    const struct chg_entry *e = selected(v);
    struct view *p = fv_pager_new_fd(v->a, fd, len, more, e ? e->path : v->id);
    if (p) app_push_view(v->a, p);
}

/* c / C: where to, then every chosen path under it. */
static void download_done(struct app *a, const char *text, int submit, void *ud)
{
    struct chgview *v = ud;
    if (!submit || !text || !text[0]) return;
    snprintf(v->dl_path, sizeof(v->dl_path), "%s", text);
    const struct chg_list *l = chg_scan_list(v->scan);
    const char **paths = calloc(v->nrows ? v->nrows : 1, sizeof(*paths));
    size_t n = 0;
    const struct chg_entry *one = v->peek_wait == 2 ? selected(v) : NULL;
    v->peek_wait = 0;
    for (size_t i = 0; paths && i < v->nrows; i++) {
        const struct chg_entry *e = &l->v[v->rows[i]];
        if (!e->deleted && (!one || e == one)) paths[n++] = e->path;
    }
    struct error err = {0};
    if (paths && chg_scan_download(v->scan, text, paths, n, &err) < 0)
        app_status_detail(a, STATUS_ERROR, err.detail, "%s", err.msg);
    else
        app_status(a, STATUS_INFO, _("downloading %zu files to %s"), n, text);
    free(paths);
}

static int cv_key(struct view *vv, struct app *a, int ch, int is_key)
{
    struct chgview *v = (struct chgview *)vv;
    if ((is_key && ch == KEY_DOWN) || (!is_key && ch == 'j')) {
        if (v->sel + 1 < (int)v->nrows) v->sel++;
    } else if ((is_key && ch == KEY_UP) || (!is_key && ch == 'k')) {
        if (v->sel > 0) v->sel--;
    } else if ((is_key && ch == KEY_HOME) || (!is_key && ch == 'g')) {
        v->sel = 0;
    } else if ((is_key && ch == KEY_END) || (!is_key && ch == 'G')) {
        v->sel = v->nrows ? (int)v->nrows - 1 : 0;
    } else if (!is_key && ch == 27 &&
               (chg_scan_state(v->scan) == CHG_SCANNING ||
                chg_scan_state(v->scan) == CHG_CONNECTING)) {
        chg_scan_cancel(v->scan);
        app_status(a, STATUS_INFO, "%s", _("scan stopped: the list shows what was found"));
    } else if (!is_key && ch == '/') {
        app_prompt(a, "/", v->filter, NULL, filter_done, v);
        return 1;
    } else if ((is_key && ch == KEY_ENTER) || (!is_key && (ch == '\n' || ch == '\r'))) {
        const struct chg_entry *e = selected(v);
        struct error err = {0};
        if (e && e->deleted)
            app_status(a, STATUS_WARN, "%s", _("that file was deleted"));
        else if (e && chg_scan_peek(v->scan, e->path, on_peek, v, &err) < 0)
            app_status_detail(a, STATUS_ERROR, err.detail, "%s", err.msg);
        else if (e)
            v->peek_wait = 1;
        return 1;
    } else if (!is_key && (ch == 'c' || ch == 'C')) {
        if (app_refuse_readonly(a, _("download"))) return 1;
        if (!v->nrows) return 1;
        v->peek_wait = ch == 'c' ? 2 : 0; /* c: the selected file, C: all shown */
        app_prompt(a, ch == 'c' ? _("Download the file into: ") : _("Download all into: "),
                   v->dl_path, NULL, download_done, v);
        return 1;
    } else {
        return 0;
    }
    app_dirty(a, DIRTY_MAIN);
    return 1;
}

static const char *cv_footer(struct view *vv)
{
    (void)vv;
    return _("j/k move  Enter view  / filter  c download file  C download all  Esc stop/back");
}

static const struct keyhelp cv_help[] = {
    {"j/k ↑/↓ g/G", N_("move")},
    {"Enter", N_("read the file (text sanitized, binary as hex)")},
    {"/", N_("filter by path")},
    {"c", N_("download the selected file, its path and mode kept")},
    {"C", N_("download every file shown, paths and modes kept")},
    {"Esc", N_("stop a running scan, else back")},
};

static const struct keyhelp *cv_helpfn(struct view *vv, int *n)
{
    (void)vv;
    *n = (int)(sizeof(cv_help) / sizeof(cv_help[0]));
    return cv_help;
}

static const char *cv_sandbox(struct view *vv)
{
    return ((struct chgview *)vv)->id;
}

static void cv_destroy(struct view *vv)
{
    struct chgview *v = (struct chgview *)vv;
    chg_scan_free(v->scan);
    free(v->rows);
    free(v->id);
    free(v);
}

static const struct view_ops cv_ops = {
    .name = N_("changes"),
    .draw = cv_draw,
    .key = cv_key,
    .footer = cv_footer,
    .help = cv_helpfn,
    .sandbox_id = cv_sandbox,
    .destroy = cv_destroy,
};

struct view *view_changes_new(struct app *a, const char *id)
{
    struct chgview *v = calloc(1, sizeof(*v));
    if (!v || !(v->id = strdup(id))) {
        free(v);
        return NULL;
    }
    v->base.ops = &cv_ops;
    v->a = a;
    v->scan = chg_scan_start(a, id, on_scan, v);
    if (!v->scan) {
        cv_destroy(&v->base);
        return NULL;
    }
    return &v->base;
}
