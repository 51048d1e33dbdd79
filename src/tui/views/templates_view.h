/* templates_view.h - the templates view's parts (private to src/tui/views/view_templates*.c):
 * the list (view_templates.c), the pane under it with one template's fields, tags and builds
 * (view_templates_pane.c), and the tag and publish edits (view_templates_edit.c). */
#ifndef BOXTOP_TEMPLATES_VIEW_H
#define BOXTOP_TEMPLATES_VIEW_H

#include <stdint.h>

#include "boxtop/error.h"
#include "boxtop/models.h"
#include "boxtop/template_builds.h"
#include "app.h"
#include "backend_fetch.h"
#include "filter.h"

/* A build in the pane that is still waiting or building: the pane (and the list, whose
 * status column it changes) is fetched again this often. */
#define TPL_PANE_POLL_MS 2000

struct tpl_pane {
    char *id; /* the template shown, NULL = none yet */
    struct template_detail d;
    struct template_detail stage; /* the pages of builds read so far, d when the last is in */
    struct api_paging pg;         /* which page comes next */
    int capped;                   /* d holds the newest TPL_BUILDS_MAX: the server has more */
    struct template_tag_list tags;
    int have_d, have_tags;
    char derr[ERROR_MSG_MAX], terr[ERROR_MSG_MAX];
    struct bfetch *fd, *ft;
    int64_t poll; /* timer id, 0 = none */
    int focus;    /* 1: j/k move in the builds (Tab), not in the templates */
    int bsel, btop;
};

struct tplv {
    struct view base;
    struct app *app;
    struct template_list tl;
    struct bfetch *call;
    int loaded, details;
    int sel, top; /* positions in rows */
    int *rows;    /* indexes into tl of the templates the filter shows */
    int nrows;
    struct filter f; /* `/`, the sandboxes view's syntax (filter.h) */
    char filter_text[INPUT_MAX];
    char filter_before[INPUT_MAX]; /* restored when the filter prompt is cancelled */
    char err[ERROR_MSG_MAX];
    char *new_id;     /* template of the pending `n` */
    char *build_file; /* the pending `b`: file given, name asked next */
    char *del_id;     /* the pending `D` */
    struct bfetch *del;
    struct tpl_pane pane;
    char *edit_id;       /* template of the pending t/T/P */
    int edit_public;     /* P: the value asked for */
    struct bfetch *edit; /* the edit in flight */
    /* view_templates.c's: fetch the list again (a no-op while a fetch is in flight); the pane
     * and the edits call it after a change, without calling back into view_templates.c */
    void (*reload)(struct tplv *v);
};

/* An error of the view's calls as every view says one: its words on the status line (the
 * view's own), the detail behind them (curl's text, the server's body) in `:messages`. fmt
 * has one %s, the error's message. */
static inline void tplv_report(struct tplv *v, const char *fmt, const struct error *err)
{
    app_status_for_detail(v->app, &v->base, STATUS_ERROR, err->detail, fmt, err->msg);
}

/* The selected template, NULL when none is shown. */
static inline const struct template_info *tplv_selected(const struct tplv *v)
{
    return v->loaded && v->sel >= 0 && v->sel < v->nrows ? &v->tl.items[v->rows[v->sel]] : NULL;
}

/* Show template id in the pane (fetches its builds and tags unless shown already; force 1
 * fetches again). */
void tpl_pane_show(struct tplv *v, const char *id, int force);
/* Rows the pane takes in a main window of h rows. */
int tpl_pane_rows(const struct tplv *v, int h);
void tpl_pane_draw(struct tplv *v, struct app *a, WINDOW *w, int y, int rows, int wd);
/* 1 while a build shown is waiting or building (its duration counts on screen). */
int tpl_pane_running(const struct tplv *v);
/* Tab (focus the builds or the templates), and while the builds have it j/k, Enter or l (the
 * selected build's log, live while it runs), Esc (back to the templates): 1 = handled. */
int tpl_pane_key(struct tplv *v, struct app *a, int ch, int is_key);
void tpl_pane_free(struct tpl_pane *p, struct loop *lp);

/* Shared by the list and the pane (defined in view_templates_pane.c): a time as
 * "YYYY-MM-DD HH:MM" local, never when ms is 0; names joined by commas, "-" for none. */
void tpl_fmt_when(char *out, size_t n, int64_t ms, const char *never);
struct buf;
void tpl_join(struct buf *b, char **v, int n);

/* t (add tags), T (remove tags), P (public/private) on the selected template: 1 = handled. */
int tpl_edit_key(struct tplv *v, struct app *a, int ch);
void tpl_edit_free(struct tplv *v);

#endif
