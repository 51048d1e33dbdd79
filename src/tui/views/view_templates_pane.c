/* view_templates_pane.c - the pane under the templates list (Enter): the selected template's
 * aliases, names, tags, resources and dates, and its builds (GET /templates/{id}), newest
 * first, with status, tags, start and duration. While a build is waiting or building the
 * pane (and the list) are fetched again every TPL_PANE_POLL_MS and its duration counts. Tab
 * moves j/k into the builds; Enter there follows the selected build's log (view_template_build.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "boxtop/loop.h"
#include "templates_view.h"

/* Box, names, tags, resources, dates, builds header, hint, box: the rows around the builds. */
#define PANE_FIXED_ROWS 8
#define TPL_BUILDS_MAX  1000 /* builds read of one template: 10 pages */
/* A build's row: a whole id (a UUID) and the other columns; a short id is 8…4 characters. */
#define BUILD_ID_COLS  36
#define BUILD_ID_SHORT 13
#define BUILD_ROW_COLS (BUILD_ID_COLS + 1 + 9 + 1 + 8 + 1 + 16 + 1 + 20 + 1 + 4 + 1 + 7 + 1 + 7)

void tpl_fmt_when(char *out, size_t n, int64_t ms, const char *never)
{
    if (!ms) {
        snprintf(out, n, "%s", never);
        return;
    }
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, n, "%Y-%m-%d %H:%M", &tm);
}

void tpl_join(struct buf *b, char **v, int n)
{
    for (int i = 0; i < n; i++)
        buf_printf(b, "%s%s", i ? "," : "", v[i] ? v[i] : "");
    if (!n) buf_append_str(b, "-");
}

static void poll_fire(struct loop *lp, void *ud)
{
    (void)lp;
    struct tplv *v = ud;
    v->pane.poll = 0;
    if (!v->details || !v->pane.id) return;
    tpl_pane_show(v, v->pane.id, 1);
    v->reload(v); /* the list's status column follows the build */
}

static void maybe_poll(struct tplv *v)
{
    if (v->pane.poll || v->pane.fd || v->pane.ft || !tpl_pane_running(v)) return;
    v->pane.poll = loop_timer_add(v->app->loop, TPL_PANE_POLL_MS, poll_fire, v);
    if (v->pane.poll < 0) v->pane.poll = 0;
}

static void on_builds(struct api_result *res, void *ud);

/* The page after p->pg.token (NULL: the first) of the template shown. */
static void fetch_builds(struct tplv *v)
{
    struct tpl_pane *p = &v->pane;
    struct error err = {0};
    bfetch_cancel(p->fd);
    p->fd = bfetch_template_builds(v->app->be, p->id, p->pg.token, on_builds, v, &err);
    if (!p->fd) {
        snprintf(p->derr, sizeof p->derr, "%s", err.msg);
        tplv_report(v, _("cannot load the template's builds: %s"), &err);
    }
}

/* A page's builds go after the stage's (newest first across pages); d is emptied. */
static int stage_append(struct template_detail *stage, struct template_detail *d)
{
    int n = stage->n_builds + d->n_builds;
    struct template_build *b = realloc(stage->builds, (size_t)(n ? n : 1) * sizeof *b);
    if (!b) return -1;
    memcpy(b + stage->n_builds, d->builds, (size_t)d->n_builds * sizeof *b);
    stage->builds = b;
    stage->n_builds = n;
    free(d->builds);
    d->builds = NULL;
    d->n_builds = 0;
    template_detail_free(d);
    return 0;
}

/* The selection follows its build when the list is read again: a new build arrives on top
 * (newest first), and an index kept as it was would select another build under the user. */
static void keep_build_selected(struct tpl_pane *p)
{
    if (!p->have_d || p->bsel >= p->d.n_builds || !p->d.builds[p->bsel].id) return;
    const char *id = p->d.builds[p->bsel].id;
    for (int i = 0; i < p->stage.n_builds; i++)
        if (p->stage.builds[i].id && !strcmp(p->stage.builds[i].id, id)) {
            p->btop += i - p->bsel;
            if (p->btop < 0) p->btop = 0;
            p->bsel = i;
            return;
        }
}

/* Pages are followed (X-Next-Token) up to TPL_BUILDS_MAX builds; the list shown changes
 * once, when the last page is in, so a refresh never shows a partial list. */
static void on_builds(struct api_result *res, void *ud)
{
    struct tplv *v = ud;
    struct tpl_pane *p = &v->pane;
    p->fd = NULL;
    struct template_detail d;
    struct error err = res->err;
    if (err.kind != ERROR_NONE ||
        template_detail_parse(res->body ? res->body : "", res->body_len, &d, &err) < 0) {
        snprintf(p->derr, sizeof p->derr, "%s", err.msg);
        bfetch_body_detail(v->app->be, &err, res); /* what could not be read */
        tplv_report(v, _("cannot load the template's builds: %s"), &err);
        template_detail_free(&p->stage);
        api_paging_free(&p->pg);
        maybe_poll(v);
        app_dirty(v->app, DIRTY_MAIN);
        return;
    }
    int items = d.n_builds, lost = 0;
    if (!p->pg.pages) {
        template_detail_free(&p->stage);
        p->stage = d;
    } else if (stage_append(&p->stage, &d) < 0) { /* what was read is shown, as cut */
        template_detail_free(&d);
        lost = 1;
    }
    enum api_paging_step step = api_paging_next(&p->pg, items, res->body_len, res->next_token);
    if (step == API_PAGING_MORE && !lost && p->stage.n_builds < TPL_BUILDS_MAX) {
        fetch_builds(v);
        if (p->fd) return;
    }
    keep_build_selected(p);
    template_detail_free(&p->d);
    p->d = p->stage;
    memset(&p->stage, 0, sizeof p->stage);
    p->capped = step != API_PAGING_DONE || lost; /* cut, stuck or short of memory */
    p->have_d = 1;
    p->derr[0] = '\0';
    api_paging_free(&p->pg);
    maybe_poll(v);
    app_dirty(v->app, DIRTY_MAIN);
}

static void on_tags(struct api_result *res, void *ud)
{
    struct tplv *v = ud;
    struct tpl_pane *p = &v->pane;
    p->ft = NULL;
    struct template_tag_list t;
    struct error err = res->err;
    if (err.kind == ERROR_NONE &&
        template_tags_parse(res->body ? res->body : "", res->body_len, &t, &err) == 0) {
        template_tag_list_free(&p->tags);
        p->tags = t;
        p->have_tags = 1;
        p->terr[0] = '\0';
    } else { /* the row's label says "tags: " already; the parser's path may too */
        const char *m = err.msg;
        if (!strncmp(m, "tags: ", 6)) m += 6;
        snprintf(p->terr, sizeof p->terr, "%s", m);
        memmove(err.msg, m, strlen(m) + 1);
        bfetch_body_detail(v->app->be, &err, res);
        tplv_report(v, _("cannot load the template's tags: %s"), &err);
    }
    maybe_poll(v);
    app_dirty(v->app, DIRTY_MAIN);
}

void tpl_pane_show(struct tplv *v, const char *id, int force)
{
    struct tpl_pane *p = &v->pane;
    if (!id) return;
    int same = p->id && !strcmp(p->id, id);
    if (same && !force) return;
    if (!same) { /* another template: nothing of the last one may show under its name */
        int focus = p->focus;
        tpl_pane_free(p, v->app->loop);
        p->focus = focus;
        if (!(p->id = strdup(id))) return;
    }
    struct error err = {0};
    bfetch_cancel(p->ft);
    api_paging_free(&p->pg); /* from the first page again */
    template_detail_free(&p->stage);
    fetch_builds(v);
    p->ft = bfetch_template_tags(v->app->be, id, on_tags, v, &err);
    if (!p->ft) {
        snprintf(p->terr, sizeof p->terr, "%s", err.msg);
        tplv_report(v, _("cannot load the template's tags: %s"), &err);
    }
}

int tpl_pane_rows(const struct tplv *v, int h)
{
    int builds = v->pane.have_d && v->pane.d.n_builds ? v->pane.d.n_builds : 1;
    int rows = PANE_FIXED_ROWS + builds, most = h - 4; /* the list keeps two rows */
    if (rows > most) rows = most;
    return rows < PANE_FIXED_ROWS + 1 ? PANE_FIXED_ROWS + 1 : rows;
}

int tpl_pane_running(const struct tplv *v)
{
    if (!v->details || !v->pane.have_d) return 0;
    for (int i = 0; i < v->pane.d.n_builds; i++) {
        const char *s = v->pane.d.builds[i].status;
        if (s && (!strcmp(s, "building") || !strcmp(s, "waiting"))) return 1;
    }
    return 0;
}

/* The tags of build id, "-" when none. */
static void build_tags(const struct tpl_pane *p, const char *id, struct buf *b)
{
    int n = 0;
    for (int i = 0; i < p->tags.n; i++)
        if (p->tags.items[i].build_id && id && !strcmp(p->tags.items[i].build_id, id))
            buf_printf(b, "%s%s", n++ ? "," : "", p->tags.items[i].tag);
    if (!n) buf_append_str(b, "-");
}

struct col {
    const char *title;
    int w;
};

static void draw_builds(struct tplv *v, struct app *a, WINDOW *w, int y, int rows, int wd)
{
    const struct theme *th = &a->theme;
    const struct tpl_pane *p = &v->pane;
    /* the duration right after the status, and a whole build id only where everything fits:
     * at 80 columns id, status, duration, start and tags still show */
    int idw = wd >= BUILD_ROW_COLS + 4 ? BUILD_ID_COLS : BUILD_ID_SHORT;
    struct col cols[] = {{N_("BUILD"), idw},  {N_("STATUS"), 9}, {N_("TOOK"), 8},
                         {N_("STARTED"), 16}, {N_("TAGS"), 20},  {N_("CPU"), 4},
                         {N_("MEMORY"), 7},   {N_("DISK"), 7}};
    int nc = (int)(sizeof cols / sizeof cols[0]), cx = 2;
    for (int c = 1; c < nc; c++) { /* a translated title may be longer ("SPEICHER") */
        char tw[8];
        int n = ui_fit(a, _(cols[c].title), 24, tw, sizeof tw);
        if (n > cols[c].w) cols[c].w = n;
    }
    for (int c = 0; c < nc && cx < wd - 2; c++) {
        ui_text(a, w, y, cx, cols[c].w < wd - 2 - cx ? cols[c].w : wd - 2 - cx, _(cols[c].title),
                th->attr[ROLE_TITLE]);
        cx += cols[c].w + 1;
    }
    if (!p->have_d) {
        ui_text(a, w, y + 1, 2, wd - 4, p->derr[0] ? p->derr : _("loading…"),
                p->derr[0] ? th->attr[ROLE_CRIT] : th->attr[ROLE_DIM]);
        return;
    }
    if (!p->d.n_builds) ui_text(a, w, y + 1, 2, wd - 4, _("no builds"), th->attr[ROLE_DIM]);
    int64_t now = loop_wall_ms();
    int fit = p->d.n_builds > rows ? rows - 1 : p->d.n_builds; /* a row says how many more */
    struct tpl_pane *pm = &v->pane;
    if (pm->bsel >= p->d.n_builds) pm->bsel = p->d.n_builds ? p->d.n_builds - 1 : 0;
    if (pm->bsel < pm->btop) pm->btop = pm->bsel;
    if (fit > 0 && pm->bsel >= pm->btop + fit) pm->btop = pm->bsel - fit + 1;
    if (pm->btop + fit > p->d.n_builds) pm->btop = p->d.n_builds - fit;
    if (pm->btop < 0) pm->btop = 0;
    int shown = 0;
    for (int k = pm->btop; k < p->d.n_builds && shown < fit; k++, shown++) {
        int i = shown; /* the row */
        const struct template_build *b = &p->d.builds[k];
        int selected = p->focus && k == p->bsel;
        if (selected) ui_fill(w, y + 1 + i, 1, wd - 2, th->attr[ROLE_SELECTED]);
        char f[8][64];
        struct buf t = BUF_INIT;
        build_tags(p, b->id, &t);
        size_t idl = strlen(b->id);
        if ((int)idl > idw && idl > 4) /* "6f1c2d3e…0002": the ends tell builds apart */
            snprintf(f[0], sizeof f[0], "%.8s…%s", b->id, b->id + idl - 4);
        else
            snprintf(f[0], sizeof f[0], "%s", b->id);
        snprintf(f[1], sizeof f[1], "%s", b->status);
        snprintf(f[4], sizeof f[4], "%s", buf_cstr(&t));
        buf_free(&t);
        tpl_fmt_when(f[3], sizeof f[3], b->created_ms, "-");
        int64_t took = template_build_duration_ms(b, now);
        if (took >= 0)
            ui_fmt_duration(f[2], sizeof f[2], took);
        else
            snprintf(f[2], sizeof f[2], "-");
        snprintf(f[5], sizeof f[5], "%d", b->cpu_count);
        ui_fmt_bytes(f[6], sizeof f[6], (int64_t)b->memory_mb * 1024 * 1024);
        if (b->disk_size_mb)
            ui_fmt_bytes(f[7], sizeof f[7], (int64_t)b->disk_size_mb * 1024 * 1024);
        else
            snprintf(f[7], sizeof f[7], "-");
        attr_t st = !strcmp(b->status, "ready")   ? th->attr[ROLE_OK]
                    : !strcmp(b->status, "error") ? th->attr[ROLE_CRIT]
                                                  : th->attr[ROLE_WARN];
        cx = 2;
        for (int c = 0; c < nc && cx < wd - 2; c++) {
            ui_text(a, w, y + 1 + i, cx, cols[c].w < wd - 2 - cx ? cols[c].w : wd - 2 - cx, f[c],
                    selected ? th->attr[ROLE_SELECTED]
                    : c == 1 ? st
                             : th->attr[ROLE_NORMAL]);
            cx += cols[c].w + 1;
        }
    }
    int below = p->d.n_builds - pm->btop - shown;
    if (below > 0 || pm->btop > 0) { /* where the others are: below, or (at the end) above */
        char more[64];
        if (below > 0)
            snprintf(more, sizeof more, ngettext_("… %d more build", "… %d more builds", below),
                     below);
        else
            snprintf(more, sizeof more,
                     ngettext_("↑ %d newer build above", "↑ %d newer builds above", pm->btop),
                     pm->btop);
        ui_text(a, w, y + rows, 2, wd - 4, more, th->attr[ROLE_DIM]);
    }
}

void tpl_pane_draw(struct tplv *v, struct app *a, WINDOW *w, int y, int rows, int wd)
{
    const struct theme *th = &a->theme;
    const struct template_info *ti = tplv_selected(v);
    if (!ti) return;
    const struct tpl_pane *p = &v->pane;
    char c1[32], c2[32], c3[32];
    struct buf b = BUF_INIT;
    ui_box(a, w, y, 0, rows, wd, th->attr[ROLE_DIM]);
    if (!p->have_d)
        buf_printf(&b, _("Template %s"), ti->id ? ti->id : "?");
    else if (p->capped) /* the newest ones: the server has more */
        buf_printf(&b,
                   ngettext_("Template %s, the newest %d build (more not read)",
                             "Template %s, the newest %d builds (more not read)", p->d.n_builds),
                   ti->id ? ti->id : "?", p->d.n_builds);
    else
        buf_printf(&b, ngettext_("Template %s, %d build", "Template %s, %d builds", p->d.n_builds),
                   ti->id ? ti->id : "?", p->d.n_builds);
    ui_text(a, w, y, 2, wd - 4, buf_cstr(&b), th->attr[ROLE_TITLE]);
    buf_reset(&b);
    buf_printf(&b, "%s: ", _("aliases"));
    tpl_join(&b, ti->aliases, ti->n_aliases);
    buf_printf(&b, "   %s: ", _("names"));
    tpl_join(&b, ti->names, ti->n_names);
    ui_text(a, w, y + 1, 2, wd - 4, buf_cstr(&b), th->attr[ROLE_NORMAL]);
    buf_reset(&b);
    buf_printf(&b, "%s: ", _("tags"));
    for (int i = 0; i < p->tags.n; i++)
        buf_printf(&b, "%s%s", i ? ", " : "", p->tags.items[i].tag);
    if (!p->have_tags)
        buf_append_str(&b, p->terr[0] ? p->terr : _("loading…"));
    else if (!p->tags.n)
        buf_append_str(&b, "-");
    ui_text(a, w, y + 2, 2, wd - 4, buf_cstr(&b),
            p->terr[0] && !p->have_tags ? th->attr[ROLE_CRIT] : th->attr[ROLE_NORMAL]);
    buf_reset(&b);
    buf_printf(&b, _("%d vCPU, %d MiB memory, %d MiB disk, %s, envd %s"), ti->cpu_count,
               ti->memory_mb, ti->disk_size_mb, ti->public_ ? _("public") : _("private"),
               ti->envd_version ? ti->envd_version : "-");
    ui_text(a, w, y + 3, 2, wd - 4, buf_cstr(&b), th->attr[ROLE_NORMAL]);
    buf_reset(&b);
    tpl_fmt_when(c1, sizeof(c1), ti->created_at_ms, "-");
    tpl_fmt_when(c2, sizeof(c2), ti->updated_at_ms, "-");
    tpl_fmt_when(c3, sizeof(c3), ti->last_spawned_at_ms, _("never"));
    buf_printf(&b, _("created %s, updated %s, last used %s, %lld sandboxes started"), c1, c2, c3,
               (long long)ti->spawn_count);
    ui_text(a, w, y + 4, 2, wd - 4, buf_cstr(&b), th->attr[ROLE_NORMAL]);
    buf_free(&b);
    draw_builds(v, a, w, y + 5, rows - PANE_FIXED_ROWS, wd);
    ui_text(a, w, y + rows - 2, 2, wd - 4,
            p->focus ? _("j/k build  Enter its log  Tab or Esc back to the templates")
                     : _("Tab builds  t add tags  T remove tags  P public/private  n new sandbox  "
                         "D delete  Enter closes"),
            th->attr[ROLE_DIM]);
}

static void open_log(struct tplv *v, struct app *a)
{
    const struct tpl_pane *p = &v->pane;
    const struct template_info *ti = tplv_selected(v);
    if (!p->have_d || p->bsel >= p->d.n_builds || !ti) return;
    const struct template_build *b = &p->d.builds[p->bsel];
    const char *name = ti->n_aliases && ti->aliases[0] ? ti->aliases[0] : p->d.id;
    struct error err = {0};
    struct view *bv =
        view_template_build_attach(a, p->d.id, b->id, name, b->created_ms, b->finished_ms, &err);
    if (!bv) {
        tplv_report(v, "%s", &err);
        return;
    }
    app_push_view(a, bv);
}

int tpl_pane_key(struct tplv *v, struct app *a, int ch, int is_key)
{
    struct tpl_pane *p = &v->pane;
    if (!v->details) return 0;
    if (!is_key && ch == '\t') {
        p->focus = !p->focus;
    } else if (!p->focus) {
        return 0;
    } else if (!is_key && ch == 27) {
        p->focus = 0;
    } else if ((is_key && ch == KEY_DOWN) || (!is_key && ch == 'j')) {
        if (p->have_d && p->bsel + 1 < p->d.n_builds) p->bsel++;
    } else if ((is_key && ch == KEY_UP) || (!is_key && ch == 'k')) {
        if (p->bsel > 0) p->bsel--;
    } else if ((is_key && ch == KEY_ENTER) ||
               (!is_key && (ch == '\n' || ch == '\r' || ch == 'l'))) {
        open_log(v, a);
        return 1;
    } else {
        return 0;
    }
    app_dirty(a, DIRTY_MAIN);
    return 1;
}

void tpl_pane_free(struct tpl_pane *p, struct loop *lp)
{
    bfetch_cancel(p->fd);
    bfetch_cancel(p->ft);
    if (p->poll) loop_timer_cancel(lp, p->poll);
    template_detail_free(&p->d);
    template_detail_free(&p->stage);
    api_paging_free(&p->pg);
    template_tag_list_free(&p->tags);
    free(p->id);
    memset(p, 0, sizeof *p);
}
