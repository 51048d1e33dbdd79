/* detail.c - one sandbox in full: facts, metadata, CPU/memory/disk graphs over the kept
 * history (multi-row braille with axis labels and current/peak values). The process list and
 * log lines need the envd client and the logs view; until those exist the panel says so. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "app.h"
#include "widgets/spark.h"

#define GRAPH_ROWS 4

struct detail {
    struct view base;
    char *id;
    int scroll; /* metadata lines scrolled */
};

static void fmt_time(char *out, size_t n, int64_t ms)
{
    if (!ms) {
        snprintf(out, n, "-");
        return;
    }
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, n, "%Y-%m-%d %H:%M:%S", &tm);
}

enum metric { M_CPU, M_MEM, M_DISK };

static double metric_value(const struct sample *s, enum metric m)
{
    return m == M_CPU ? s->cpu_pct : m == M_MEM ? (double)s->mem_used : (double)s->disk_used;
}

static void fmt_metric(char *out, size_t n, enum metric m, double v)
{
    if (m == M_CPU)
        snprintf(out, n, "%.0f%%", v);
    else
        ui_fmt_bytes(out, n, (int64_t)v);
}

/* A graph `GRAPH_ROWS` tall with the y-axis scale on the left and current/peak in the title. */
static void draw_graph(struct app *a, WINDOW *w, int y, int x, int wd, const struct box *s,
                       enum metric m, const char *title)
{
    const struct theme *th = &a->theme;
    double vals[MODEL_HISTORY], peak = 0, max = m == M_CPU ? 100 : 1;
    int n = 0;
    for (int i = 0; i < s->hist_len; i++) {
        const struct sample *p = box_sample_at(s, i);
        vals[n] = metric_value(p, m);
        if (vals[n] > peak) peak = vals[n];
        double total = m == M_MEM ? (double)p->mem_total : m == M_DISK ? (double)p->disk_total : 0;
        if (total > max) max = total;
        n++;
    }
    if (m == M_MEM && max <= 1 && s->memory_mb) max = (double)s->memory_mb * 1024 * 1024;
    if (m == M_DISK && max <= 1 && s->disk_mb) max = (double)s->disk_mb * 1024 * 1024;
    if (max < peak) max = peak;
    char cur[24] = "-", pk[24] = "-", top[24], line[160];
    if (n) {
        fmt_metric(cur, sizeof(cur), m, vals[n - 1]);
        fmt_metric(pk, sizeof(pk), m, peak);
    }
    fmt_metric(top, sizeof(top), m, max);
    snprintf(line, sizeof(line), _("%s  now %s  peak %s  (%d samples)"), title, cur, pk, n);
    ui_text(a, w, y, x, wd, line, th->attr[ROLE_TITLE]);
    int axis = 8, gw = wd - axis - 1;
    if (gw > MODEL_HISTORY / (th->glyphs == GLYPHS_BRAILLE ? 2 : 1))
        gw = MODEL_HISTORY / (th->glyphs == GLYPHS_BRAILLE ? 2 : 1);
    for (int r = 0; r < GRAPH_ROWS; r++) {
        char buf[1024];
        if (r == 0)
            ui_text_right(a, w, y + 1 + r, x, axis, top, th->attr[ROLE_DIM]);
        else if (r == GRAPH_ROWS - 1)
            ui_text_right(a, w, y + 1 + r, x, axis, m == M_CPU ? "0%" : "0", th->attr[ROLE_DIM]);
        wattrset(w, th->attr[ROLE_DIM]);
        mvwaddstr(w, y + 1 + r, x + axis, th->utf8 ? "\xe2\x94\x82" : "|");
        graph_render_row(vals, n, max, gw, GRAPH_ROWS, r, th->glyphs, buf, sizeof(buf));
        wattrset(w, th->attr[ROLE_ACCENT]);
        mvwaddstr(w, y + 1 + r, x + axis + 1, buf); /* our glyphs only */
        wattrset(w, A_NORMAL);
    }
}

static void kv_line(struct app *a, WINDOW *w, int y, int x, int wd, const char *k, const char *v)
{
    ui_text(a, w, y, x, 14, k, a->theme.attr[ROLE_DIM]);
    ui_text(a, w, y, x + 14, wd - 14, v, a->theme.attr[ROLE_NORMAL]);
}

static void dt_draw(struct view *vv, struct app *a, WINDOW *w, int h, int wd)
{
    struct detail *d = (struct detail *)vv;
    const struct theme *th = &a->theme;
    struct box *s = model_find(&a->model, d->id);
    struct buf title = BUF_INIT;
    buf_printf(&title, _("Sandbox %s"), d->id);
    ui_text(a, w, 0, 1, wd - 2, buf_cstr(&title), th->attr[ROLE_ACCENT] | A_BOLD);
    buf_free(&title);
    if (!s) {
        ui_text(a, w, 2, 2, wd - 4, _("This sandbox is gone (killed or timed out). Esc goes back."),
                th->attr[ROLE_WARN]);
        return;
    }
    int lw = wd / 2 - 2, y = 2;
    char t1[64], t2[64], spec[96], left[32];
    fmt_time(t1, sizeof(t1), s->started_ms);
    fmt_time(t2, sizeof(t2), s->end_ms);
    if (s->end_ms) {
        char dur[24];
        ui_fmt_duration(dur, sizeof(dur), s->end_ms - loop_wall_ms());
        snprintf(left, sizeof(left), _(" (in %s)"), dur);
        strncat(t2, left, sizeof(t2) - strlen(t2) - 1);
    }
    snprintf(spec, sizeof(spec), _("%d vCPU, %d MiB memory, %d MiB disk"), s->cpu_count,
             s->memory_mb, s->disk_mb);
    kv_line(a, w, y++, 2, lw, _("id"), s->id);
    kv_line(a, w, y++, 2, lw, _("template"), s->template_id);
    if (s->alias) kv_line(a, w, y++, 2, lw, _("alias"), s->alias);
    kv_line(a, w, y++, 2, lw, _("state"), _(box_state_name(s->state)));
    kv_line(a, w, y++, 2, lw, _("envd"), s->envd_version ? s->envd_version : "-");
    kv_line(a, w, y++, 2, lw, _("started"), t1);
    kv_line(a, w, y++, 2, lw, _("ends"), t2);
    kv_line(a, w, y++, 2, lw, _("spec"), spec);
    y++;
    ui_text(a, w, y++, 2, lw, _("Metadata"), th->attr[ROLE_TITLE]);
    int meta_rows = h - y - 1;
    if (d->scroll > s->n_meta - 1) d->scroll = s->n_meta > 0 ? s->n_meta - 1 : 0;
    if (!s->n_meta) ui_text(a, w, y, 4, lw - 2, _("(none)"), th->attr[ROLE_DIM]);
    for (int i = d->scroll; i < s->n_meta && y < 2 + meta_rows + 10 && y < h - 1; i++)
        kv_line(a, w, y++, 4, lw - 2, s->meta[i].key, s->meta[i].value);

    /* right half: graphs, then what is not available yet */
    int gx = wd / 2, gwd = wd - gx - 1, gy = 2;
    draw_graph(a, w, gy, gx, gwd, s, M_CPU, _("CPU"));
    gy += GRAPH_ROWS + 2;
    draw_graph(a, w, gy, gx, gwd, s, M_MEM, _("Memory"));
    gy += GRAPH_ROWS + 2;
    if (gy + GRAPH_ROWS + 1 < h) {
        draw_graph(a, w, gy, gx, gwd, s, M_DISK, _("Disk"));
        gy += GRAPH_ROWS + 2;
    }
    if (gy + 2 < h) {
        ui_text(a, w, gy++, gx, gwd, _("Processes and logs"), th->attr[ROLE_TITLE]);
        ui_text(a, w, gy, gx, gwd,
                _("need the envd client and the logs view (later versions of boxtop)"),
                th->attr[ROLE_DIM]);
    }
}

static int dt_key(struct view *vv, struct app *a, int ch, int is_key)
{
    struct detail *d = (struct detail *)vv;
    if ((!is_key && ch == 'j') || (is_key && ch == KEY_DOWN))
        d->scroll++;
    else if ((!is_key && ch == 'k') || (is_key && ch == KEY_UP))
        d->scroll = d->scroll > 0 ? d->scroll - 1 : 0;
    else
        return 0;
    app_dirty(a, DIRTY_MAIN);
    return 1;
}

static const char *dt_footer(struct view *vv)
{
    (void)vv;
    return _("j/k scroll metadata  Esc/q back  ? help");
}

static const struct keyhelp dt_help[] = {
    {"j/k ↑/↓", N_("scroll the metadata")},
};

static const struct keyhelp *dt_helpfn(struct view *vv, int *n)
{
    (void)vv;
    *n = 1;
    return dt_help;
}

static int dt_needs_clock(struct view *vv, struct app *a)
{
    (void)vv;
    (void)a;
    return 1; /* "ends in" counts down */
}

static void dt_destroy(struct view *vv)
{
    struct detail *d = (struct detail *)vv;
    free(d->id);
    free(d);
}

static const struct view_ops dt_ops = {
    .name = N_("sandbox detail"),
    .draw = dt_draw,
    .key = dt_key,
    .footer = dt_footer,
    .help = dt_helpfn,
    .needs_clock = dt_needs_clock,
    .destroy = dt_destroy,
};

struct view *view_detail_new(struct app *a, const char *id)
{
    (void)a;
    struct detail *d = calloc(1, sizeof(*d));
    if (!d || !(d->id = strdup(id))) {
        free(d);
        return NULL;
    }
    d->base.ops = &dt_ops;
    return &d->base;
}
