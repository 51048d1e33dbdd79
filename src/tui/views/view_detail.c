/* view_detail.c - one sandbox in full: facts, metadata, CPU/memory/disk graphs over the kept
 * history (multi-row braille with axis labels and current/peak values), the process list from
 * envd Process.List (with kill) and the latest log lines. While the view is open it asks the
 * backend to watch this sandbox, which keeps processes and logs fresh in the model. */
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
    struct app *app; /* to stop watching on destroy */
    char *id;
    int proc_sel, focus_procs;
    uint32_t kill_pid;
    /* footer and help with the keys of [keys] (the view opts in: K and l follow kill, logs) */
    char footer[256];
    struct keyhelp help[5];
    char help_keys[2][KEYMAP_NAME_MAX * 2];
};

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

/* Loading / error line of a panel; returns 1 when the panel has nothing else to show. */
static int panel_status(struct app *a, WINDOW *w, int y, int x, int wd, enum panel_state st,
                        const char *err)
{
    const struct theme *th = &a->theme;
    if (st == PANEL_LOADING || st == PANEL_NONE) {
        ui_text(a, w, y, x, wd, _("loading…"), th->attr[ROLE_DIM]);
        return 1;
    }
    if (st == PANEL_ERROR) {
        struct buf b = BUF_INIT;
        buf_printf(&b, _("unavailable: %s"), err ? err : "?");
        ui_text(a, w, y, x, wd, buf_cstr(&b), th->attr[ROLE_WARN]);
        buf_free(&b);
        return 1;
    }
    return 0;
}

static int draw_procs(struct detail *d, struct app *a, WINDOW *w, int y, int x, int wd, int h,
                      struct box *s)
{
    const struct theme *th = &a->theme;
    char hdr[64];
    snprintf(hdr, sizeof(hdr), _("Processes (%d)"), s->procs_state == PANEL_OK ? s->n_procs : 0);
    ui_text(a, w, y++, x, wd, hdr, th->attr[ROLE_TITLE]);
    if (panel_status(a, w, y, x, wd, s->procs_state, s->procs_err)) return y + 1;
    if (!s->n_procs) {
        ui_text(a, w, y, x, wd, _("(none)"), th->attr[ROLE_DIM]);
        return y + 1;
    }
    if (d->proc_sel >= s->n_procs) d->proc_sel = s->n_procs - 1;
    int rows = h - y;
    int top = d->proc_sel >= rows ? d->proc_sel - rows + 1 : 0;
    for (int i = top; i < s->n_procs && y < h; i++, y++) {
        int sel = i == d->proc_sel && d->focus_procs;
        attr_t at = sel ? th->attr[ROLE_SELECTED] : th->attr[ROLE_NORMAL];
        if (sel) ui_fill(w, y, x, wd, at);
        char pid[16];
        snprintf(pid, sizeof(pid), "%u", s->procs[i].pid);
        ui_text_right(a, w, y, x, 7, pid, at);
        int tagw = s->procs[i].tag ? 12 : 0;
        ui_text(a, w, y, x + 8, wd - 8 - tagw, s->procs[i].cmd, at);
        if (tagw)
            ui_text(a, w, y, x + wd - tagw + 1, tagw - 1, s->procs[i].tag,
                    sel ? at : th->attr[ROLE_DIM]);
    }
    return y;
}

static void draw_logs(struct app *a, WINDOW *w, int y, int x, int wd, int h, struct box *s)
{
    const struct theme *th = &a->theme;
    ui_text(a, w, y++, x, wd, _("Latest logs"), th->attr[ROLE_TITLE]);
    if (panel_status(a, w, y, x, wd, s->logs_state, s->logs_err)) return;
    if (!s->n_logs) {
        ui_text(a, w, y, x, wd, _("(none)"), th->attr[ROLE_DIM]);
        return;
    }
    /* newest last, as in a terminal; the API sends newest first when asked backward */
    int rows = h - y, n = s->n_logs < rows ? s->n_logs : rows;
    int newest_first = s->n_logs > 1 && s->logs[0].t_ms > s->logs[s->n_logs - 1].t_ms;
    for (int k = 0; k < n; k++, y++) {
        int i = newest_first ? n - 1 - k : s->n_logs - n + k;
        const struct box_log *l = &s->logs[i];
        char t[16] = "";
        if (l->t_ms) {
            time_t tt = (time_t)(l->t_ms / 1000);
            struct tm tm;
            localtime_r(&tt, &tm);
            strftime(t, sizeof(t), "%H:%M:%S", &tm);
        }
        ui_text(a, w, y, x, 9, t, th->attr[ROLE_DIM]);
        int warn = l->level && (!strcmp(l->level, "warn") || !strcmp(l->level, "error"));
        ui_text(a, w, y, x + 9, wd - 9, l->msg, warn ? th->attr[ROLE_WARN] : th->attr[ROLE_NORMAL]);
    }
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
    ui_fmt_localtime(t1, sizeof(t1), s->started_ms, "%Y-%m-%d %H:%M:%S");
    ui_fmt_localtime(t2, sizeof(t2), s->end_ms, "%Y-%m-%d %H:%M:%S");
    if (s->state == BOX_PAUSED) {
        /* a paused sandbox has no time to live (the list says "-"): the end time it had
         * when it was paused read "(in 0s)" */
        snprintf(t2, sizeof(t2), "-");
    } else if (s->end_ms) {
        char dur[24];
        int64_t in = s->end_ms - loop_wall_ms();
        ui_fmt_duration(dur, sizeof(dur), in >= 0 ? in : -in);
        snprintf(left, sizeof(left), in >= 0 ? _(" (in %s)") : _(" (%s ago)"), dur);
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
    if (!s->n_meta) ui_text(a, w, y++, 4, lw - 2, _("(none)"), th->attr[ROLE_DIM]);
    /* at most a third of the height for metadata; the rest for processes */
    int meta_max = h / 3 > 3 ? h / 3 : 3;
    for (int i = 0; i < s->n_meta && i < meta_max; i++)
        kv_line(a, w, y++, 4, lw - 2, s->meta[i].key, s->meta[i].value);
    if (s->n_meta > meta_max) {
        char more[48];
        snprintf(more, sizeof(more), _("… %d more"), s->n_meta - meta_max);
        ui_text(a, w, y++, 4, lw - 2, more, th->attr[ROLE_DIM]);
    }
    y++;
    if (y + 2 < h) draw_procs(d, a, w, y, 2, lw, h, s);

    /* right half: graphs, then the latest log lines */
    int gx = wd / 2, gwd = wd - gx - 1, gy = 2;
    draw_graph(a, w, gy, gx, gwd, s, M_CPU, _("CPU"));
    gy += GRAPH_ROWS + 2;
    draw_graph(a, w, gy, gx, gwd, s, M_MEM, _("Memory"));
    gy += GRAPH_ROWS + 2;
    if (gy + GRAPH_ROWS + 4 < h) {
        draw_graph(a, w, gy, gx, gwd, s, M_DISK, _("Disk"));
        gy += GRAPH_ROWS + 2;
    }
    if (gy + 2 < h) draw_logs(a, w, gy, gx, gwd, h, s);
}

static void do_kill_proc(struct app *a, void *ud)
{
    struct detail *d = ud;
    a->be->ops->kill_process(a->be, d->id, d->kill_pid);
}

static int dt_key(struct view *vv, struct app *a, int ch, int is_key)
{
    struct detail *d = (struct detail *)vv;
    struct box *s = model_find(&a->model, d->id);
    int n = s && s->procs_state == PANEL_OK ? s->n_procs : 0;
    if ((!is_key && ch == 'j') || (is_key && ch == KEY_DOWN)) {
        d->focus_procs = 1;
        d->proc_sel = d->proc_sel + 1 < n ? d->proc_sel + 1 : d->proc_sel;
    } else if ((!is_key && ch == 'k') || (is_key && ch == KEY_UP)) {
        d->focus_procs = 1;
        d->proc_sel = d->proc_sel > 0 ? d->proc_sel - 1 : 0;
    } else if (!is_key && ch == 'K') {
        if (app_refuse_readonly(a, _("kill a process"))) return 1;
        if (!n) {
            app_status(a, STATUS_WARN, _("no process to kill"));
            return 1;
        }
        if (d->proc_sel >= n) d->proc_sel = n - 1;
        d->kill_pid = s->procs[d->proc_sel].pid;
        struct buf b = BUF_INIT;
        buf_printf(&b, _("Kill process %u (%s)?"), d->kill_pid, s->procs[d->proc_sel].cmd);
        app_confirm(a, buf_cstr(&b), do_kill_proc, d); /* shown through ui_text: sanitized */
        buf_free(&b);
        return 1;
    } else if (!is_key && (ch == 'E' || ch == 'l')) { /* issue 9: its events, its logs */
        app_push_view(a, ch == 'E' ? view_events_new(a, d->id, view_detail_new)
                                   : view_logs_new(a, d->id));
        return 1;
    } else if (!is_key && ch == 'R') {
        a->be->ops->watch(a->be, NULL);
        a->be->ops->watch(a->be, d->id);
    } else {
        return 0;
    }
    app_dirty(a, DIRTY_MAIN);
    return 1;
}

static const char *dt_footer(struct view *vv)
{
    struct detail *d = (struct detail *)vv;
    char k[KEYMAP_NAME_MAX * 2], q[KEYMAP_NAME_MAX * 2], h[KEYMAP_NAME_MAX * 2];
    const struct keymap *km = &d->app->keys;
    snprintf(d->footer, sizeof d->footer,
             _("j/k select process  %s kill process  R reload  Esc/%s back  %s help"),
             keymap_label(km, KA_KILL, k, sizeof k), keymap_label(km, KA_QUIT, q, sizeof q),
             keymap_label(km, KA_HELP, h, sizeof h));
    return d->footer;
}

static const struct keyhelp dt_help[] = {
    {"j/k ↑/↓", N_("select a process")},
    {"K", N_("kill the selected process (asks first)")},
    {"R", N_("reload processes and logs")},
    {"l", N_("the sandbox's logs (follow, filter, search)")},
    {"E", N_("the sandbox's lifecycle events")},
};

static const struct keyhelp *dt_helpfn(struct view *vv, int *n)
{
    struct detail *d = (struct detail *)vv;
    _Static_assert(sizeof dt_help / sizeof dt_help[0] == sizeof d->help / sizeof d->help[0],
                   "dt_help and the view's copy");
    memcpy(d->help, dt_help, sizeof d->help);
    d->help[1].keys = keymap_label(&d->app->keys, KA_KILL, d->help_keys[0], sizeof d->help_keys[0]);
    d->help[3].keys = keymap_label(&d->app->keys, KA_LOGS, d->help_keys[1], sizeof d->help_keys[1]);
    *n = (int)(sizeof(dt_help) / sizeof(dt_help[0]));
    return d->help;
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
    d->app->be->ops->watch(d->app->be, NULL);
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
    .keymap = 1,
};

struct view *view_detail_new(struct app *a, const char *id)
{
    struct detail *d = calloc(1, sizeof(*d));
    if (!d || !(d->id = strdup(id))) {
        free(d);
        return NULL;
    }
    d->base.ops = &dt_ops;
    d->app = a;
    a->be->ops->watch(a->be, id);
    return &d->base;
}
