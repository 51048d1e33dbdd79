/* view_team.c - the team's load over time: concurrent sandboxes and the sandbox start rate as
 * graphs (the braille graph widget) with the concurrency limit as a line when it is known, and
 * the maxima over the chosen range (1 h, 6 h, 24 h, 7 d) from /teams/{id}/metrics and
 * /teams/{id}/metrics/max. Polled every TICK_METRICS_MS while open. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "app.h"
#include "backend_fetch.h"
#include "widgets/spark.h"

#define GRAPH_MAX_COLS 200

static const struct {
    const char *label;
    int64_t secs;
} ranges[] = {{"1h", 3600}, {"6h", 6 * 3600}, {"24h", 24 * 3600}, {"7d", 7 * 24 * 3600}};
#define NRANGES ((int)(sizeof(ranges) / sizeof(ranges[0])))

struct teamv {
    struct view base;
    struct app *app;
    int range;
    struct team_metric_list tm;
    double max_conc, max_rate; /* -1 = unknown */
    struct bfetch *call, *max_c, *max_r;
    int64_t timer;
    int loaded;
    char err[ERROR_MSG_MAX];
};

static void tm_fetch(struct teamv *v);

static void on_timer(struct loop *lp, void *ud)
{
    (void)lp;
    struct teamv *v = ud;
    v->timer = 0;
    tm_fetch(v);
}

static void maybe_rearm(struct teamv *v)
{
    if (!v->call && !v->max_c && !v->max_r && !v->timer)
        v->timer = loop_timer_add(v->app->loop, TICK_METRICS_MS, on_timer, v);
    app_dirty(v->app, DIRTY_MAIN);
}

static void on_metrics(struct api_result *res, void *ud)
{
    struct teamv *v = ud;
    v->call = NULL;
    if (res->err.kind != ERROR_NONE) {
        snprintf(v->err, sizeof(v->err), "%s", res->err.msg);
    } else {
        free(v->tm.items);
        v->tm = res->team;
        memset(&res->team, 0, sizeof(res->team));
        v->err[0] = '\0';
        v->loaded = 1;
    }
    maybe_rearm(v);
}

static void on_max(struct api_result *res, void *ud, struct bfetch **slot, double *out)
{
    struct teamv *v = ud;
    *slot = NULL;
    *out = res->err.kind == ERROR_NONE ? res->team_max.value : -1;
    maybe_rearm(v);
}

static void on_max_c(struct api_result *res, void *ud)
{
    struct teamv *v = ud;
    on_max(res, ud, &v->max_c, &v->max_conc);
}

static void on_max_r(struct api_result *res, void *ud)
{
    struct teamv *v = ud;
    on_max(res, ud, &v->max_r, &v->max_rate);
}

static void tm_fetch(struct teamv *v)
{
    if (v->call || v->max_c || v->max_r) return;
    int64_t end = loop_wall_ms() / 1000, start = end - ranges[v->range].secs;
    struct error err = {0};
    v->call = bfetch_team(v->app->be, start, end, on_metrics, v, &err);
    if (!v->call) {
        snprintf(v->err, sizeof(v->err), "%s", err.msg);
        return;
    }
    v->max_c = bfetch_team_max(v->app->be, "concurrent_sandboxes", start, end, on_max_c, v, &err);
    v->max_r = bfetch_team_max(v->app->be, "sandbox_start_rate", start, end, on_max_r, v, &err);
}

/* The samples placed by time over the chosen range in `bins` bins (the maximum of each),
 * so the graph's x axis is the range, not the number of samples. A sample holds until the
 * next one (both are levels over a step: a sandbox that ran all along is a solid line, not
 * one dot per 30 s step when a bin is narrower than the server's step); a gap of more than
 * a few steps stays empty (no data there). Returns bins. */
static int binned(const struct teamv *v, int which, int bins, double *vals)
{
    int64_t span = ranges[v->range].secs, end = loop_wall_ms() / 1000, start = end - span;
    int64_t step = 0; /* the samples' spacing: the smallest gap between two of them */
    int last_b = -1;
    double last = 0;
    for (int i = 1; i < v->tm.n; i++) {
        int64_t d = v->tm.items[i].ts - v->tm.items[i - 1].ts;
        if (d > 0 && (!step || d < step)) step = d;
    }
    int64_t prev_ts = 0;
    for (int b = 0; b < bins; b++)
        vals[b] = 0;
    for (int i = 0; i < v->tm.n; i++) {
        const struct team_metric *m = &v->tm.items[i];
        if (m->ts < start || m->ts > end) continue;
        int b = (int)((m->ts - start) * bins / (span + 1));
        double x = which ? m->start_rate : m->concurrent_sandboxes;
        if (last_b >= 0 && b > last_b + 1 && step && m->ts - prev_ts <= 3 * step)
            for (int k = last_b + 1; k < b; k++)
                vals[k] = last;
        if (x > vals[b]) vals[b] = x;
        last_b = b;
        last = x;
        prev_ts = m->ts;
    }
    return bins;
}

/* The starts over the range: each sample's rate times the samples' spacing (a rate scaled
 * to a minute would read one start in a 5 s bucket as 12). -1 with fewer than two samples. */
static double range_starts(const struct teamv *v)
{
    int64_t span = ranges[v->range].secs, end = loop_wall_ms() / 1000, start = end - span;
    int64_t step = 0;
    for (int i = 1; i < v->tm.n; i++) {
        int64_t d = v->tm.items[i].ts - v->tm.items[i - 1].ts;
        if (d > 0 && (!step || d < step)) step = d;
    }
    if (!step) return -1;
    double n = 0;
    for (int i = 0; i < v->tm.n; i++)
        if (v->tm.items[i].ts >= start && v->tm.items[i].ts <= end)
            n += v->tm.items[i].start_rate * (double)step;
    return n;
}

/* The time axis under a graph: the range's start, middle and end as clock times. */
static void draw_time_axis(struct teamv *v, struct app *a, WINDOW *w, int y, int x0, int gw)
{
    int64_t span = ranges[v->range].secs, end = loop_wall_ms() / 1000;
    const char *fmt = span > 24 * 3600 ? "%a %H:%M" : "%H:%M";
    for (int k = 0; k < 3; k++) {
        time_t t = (time_t)(end - span + span * k / 2);
        struct tm tm;
        char lab[32];
        localtime_r(&t, &tm);
        strftime(lab, sizeof lab, fmt, &tm);
        char fit[64]; /* by columns: a weekday may be more bytes than columns ("mer.", 水) */
        int lw = ui_fit(a, lab, gw > 0 ? gw : 1, fit, sizeof fit);
        int x = k == 0 ? x0 : k == 1 ? x0 + (gw - lw) / 2 : x0 + gw - lw;
        ui_text(a, w, y, x, lw, lab, a->theme.attr[ROLE_DIM]);
    }
}

static void draw_graph(struct teamv *v, struct app *a, WINDOW *w, int y, int wd, int rows,
                       int which, const char *title, double limit)
{
    const struct theme *th = &a->theme;
    int axis = 8, gw = wd - axis - 3;
    if (gw > GRAPH_MAX_COLS) gw = GRAPH_MAX_COLS;
    if (gw < 4 || rows < 1) return;
    int per = th->glyphs == GLYPHS_BRAILLE ? 2 : 1;
    double vals[GRAPH_MAX_COLS * 2] = {0};
    int n = binned(v, which, gw * per, vals);
    double now = v->tm.n ? (which ? v->tm.items[v->tm.n - 1].start_rate
                                  : v->tm.items[v->tm.n - 1].concurrent_sandboxes)
                         : 0,
           peak = 0;
    for (int i = 0; i < n; i++)
        if (vals[i] > peak) peak = vals[i];
    double range_max = which ? v->max_rate : v->max_conc;
    double top = peak > limit ? peak : limit;
    if (range_max > top) top = range_max;
    if (top <= 0) top = which ? 0.1 : 1;
    top *= 1.1;
    char line[256], cur[32], mx[32], lim[32] = "";
    const char *fmt = which ? "%.2f/s" : "%.0f";
    snprintf(cur, sizeof(cur), fmt, now);
    if (range_max >= 0)
        snprintf(mx, sizeof(mx), fmt, range_max);
    else
        snprintf(mx, sizeof(mx), "-");
    if (limit > 0) snprintf(lim, sizeof(lim), _("  limit %.0f"), limit);
    snprintf(line, sizeof(line), _("%s  now %s  max over %s %s%s"), title, cur,
             ranges[v->range].label, mx, lim);
    double started = which ? range_starts(v) : -1;
    if (started >= 0 && started < 1e12) {
        size_t l = strlen(line);
        snprintf(line + l, sizeof line - l, _("  %.0f started over %s, %.1f a minute"), started,
                 ranges[v->range].label, started * 60 / (double)ranges[v->range].secs);
    }
    ui_text(a, w, y, 1, wd - 2, line, th->attr[ROLE_TITLE]);
    int lim_row = -1;
    if (limit > 0) lim_row = rows - 1 - (int)(limit / top * rows);
    for (int r = 0; r < rows; r++) {
        char buf[GRAPH_MAX_COLS * 3 + 8], scale[24];
        if (r == 0 || r == rows - 1) {
            snprintf(scale, sizeof(scale), which ? "%.2f" : "%.0f", r == 0 ? top : 0.0);
            ui_text_right(a, w, y + 1 + r, 1, axis, scale, th->attr[ROLE_DIM]);
        }
        wattrset(w, th->attr[ROLE_DIM]);
        mvwaddstr(w, y + 1 + r, axis + 1, th->utf8 ? "\xe2\x94\x82" : "|");
        graph_render_row(vals, n, top, gw, rows, r, th->glyphs, buf, sizeof(buf));
        wattrset(w, th->attr[ROLE_ACCENT]);
        mvwaddstr(w, y + 1 + r, axis + 2, buf); /* our glyphs only */
        if (r == lim_row) {
            /* the limit as a dashed line over the blank cells of its row */
            wattrset(w, th->attr[ROLE_CRIT]);
            size_t off = 0;
            for (int c = 0; c < gw && buf[off]; c++) {
                const unsigned char *p = (const unsigned char *)buf + off;
                int len = p[0] < 0x80 ? 1 : p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
                int blank =
                    p[0] == ' ' || (len == 3 && p[0] == 0xe2 && p[1] == 0xa0 && p[2] == 0x80);
                if (blank) mvwaddstr(w, y + 1 + r, axis + 2 + c, th->utf8 ? "\xe2\x94\x88" : "-");
                off += (size_t)len;
            }
        }
        wattrset(w, A_NORMAL);
    }
    draw_time_axis(v, a, w, y + 1 + rows, axis + 2, gw);
}

static void tv_draw(struct view *vv, struct app *a, WINDOW *w, int h, int wd)
{
    struct teamv *v = (struct teamv *)vv;
    const struct theme *th = &a->theme;
    struct buf t = BUF_INIT;
    const char *team = bfetch_team_id(a->be);
    buf_printf(&t, _("Team %s  range %s"), team ? team : "?", ranges[v->range].label);
    int x = ui_text(a, w, 0, 1, wd - 2, buf_cstr(&t), th->attr[ROLE_ACCENT] | A_BOLD);
    buf_free(&t);
    if (v->err[0]) ui_text(a, w, 0, x + 3, wd - x - 4, v->err, th->attr[ROLE_CRIT]);
    if (!v->loaded) {
        ui_text(a, w, 2, 2, wd - 4, v->err[0] ? _("cannot load the team metrics") : _("loading…"),
                th->attr[ROLE_DIM]);
        return;
    }
    int rows = (h - 8) / 2; /* two graphs, each with a title and a time axis */
    if (rows > 12) rows = 12;
    draw_graph(v, a, w, 2, wd, rows, 0, _("Concurrent sandboxes"),
               a->model.concurrency_limit > 0 ? a->model.concurrency_limit : 0);
    draw_graph(v, a, w, 5 + rows, wd, rows, 1, _("Sandbox start rate"), 0);
}

static int tv_key(struct view *vv, struct app *a, int ch, int is_key)
{
    struct teamv *v = (struct teamv *)vv;
    if (is_key) return 0;
    if (ch >= '1' && ch < '1' + NRANGES) {
        v->range = ch - '1';
    } else if (ch == 'r' || ch == '\t') {
        v->range = (v->range + 1) % NRANGES;
    } else if (ch != 'R') {
        return 0;
    }
    bfetch_cancel(v->call);
    bfetch_cancel(v->max_c);
    bfetch_cancel(v->max_r);
    v->call = v->max_c = v->max_r = NULL;
    v->max_conc = v->max_rate = -1;
    if (v->timer) loop_timer_cancel(a->loop, v->timer);
    v->timer = 0;
    tm_fetch(v);
    app_dirty(a, DIRTY_MAIN);
    return 1;
}

static const char *tv_footer(struct view *vv)
{
    (void)vv;
    return _("1 1h  2 6h  3 24h  4 7d  r next range  R reload  Esc back  ? help");
}

static const struct keyhelp tv_help[] = {
    {"1 2 3 4", N_("range: 1 hour, 6 hours, 24 hours, 7 days")},
    {"r Tab", N_("next range")},
    {"R", N_("reload now (the view polls by itself)")},
};

static const struct keyhelp *tv_helpfn(struct view *vv, int *n)
{
    (void)vv;
    *n = (int)(sizeof(tv_help) / sizeof(tv_help[0]));
    return tv_help;
}

static void tv_destroy(struct view *vv)
{
    struct teamv *v = (struct teamv *)vv;
    bfetch_cancel(v->call);
    bfetch_cancel(v->max_c);
    bfetch_cancel(v->max_r);
    if (v->timer) loop_timer_cancel(v->app->loop, v->timer);
    free(v->tm.items);
    free(v);
}

static const struct view_ops tv_ops = {
    .name = N_("team"),
    .draw = tv_draw,
    .key = tv_key,
    .footer = tv_footer,
    .help = tv_helpfn,
    .destroy = tv_destroy,
};

struct view *view_team_new(struct app *a)
{
    struct teamv *v = calloc(1, sizeof(*v));
    if (!v) return NULL;
    v->base.ops = &tv_ops;
    v->app = a;
    v->max_conc = v->max_rate = -1;
    tm_fetch(v);
    return &v->base;
}
