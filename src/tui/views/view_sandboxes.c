/* view_sandboxes.c - the first screen: every sandbox with live CPU/memory sparklines, filter, sort,
 * marks and one-key actions. Rows are rebuilt (filter → sort → ids) only when the model, the
 * filter or the sort changes; drawing reads the cached row list. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boxtop/grow.h"
#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "app.h"
#include "changes_track.h"
#include "filter.h"
#include "postmortem_track.h"
#include "sort.h"
#include "widgets/spark.h"
#include "widgets/table.h"

/* A longer id (a hostile server's) is cut rather than crowding out every other column. */
#define SB_ID_MAX 48

enum { C_ID, C_TEMPLATE, C_STATE, C_CPU, C_MEM, C_DISK, C_AGE, C_TTL, C_META, C_N };

/* column → sort key (same order) */
static const enum sort_key col_sort[C_N] = {SORT_ID,  SORT_TEMPLATE, SORT_STATE,
                                            SORT_CPU, SORT_MEM,      SORT_DISK,
                                            SORT_AGE, SORT_TTL,      SORT_META};

#define EXTEND_S          300
#define DEFAULT_TIMEOUT_S 300
#define WHEEL_ROWS        3
#define TTL_WARN_MS       60000
#define TTL_ALERT_MS      15000

/* The sparklines of one row on screen as last drawn. Frames come every second (ages and TTLs
 * count) but a sparkline changes only with its samples, which is every 5 s at most. */
struct spark_memo {
    const struct box *s;
    uint64_t members; /* model.members then: a freed box's address may come back */
    uint32_t gen;     /* box.hist_gen */
    int width, glyphs, memory_mb;
    char txt[160];
};

struct sbview {
    struct view base;
    struct spark_memo *memo[2]; /* CPU, memory: one per body row */
    char (*counts)[2][24];      /* AGE and TTL as drawn: one per body row */
    int had_ended;              /* ended rows were listed at the last rebuild */
    int n_ended_rows;           /* of nrows, the ended ones (at the end) */
    int nmemo;
    struct table t;
    struct table_col cols[C_N];
    struct filter f;
    char filter_text[INPUT_MAX];
    char filter_before[INPUT_MAX]; /* restored when the filter prompt is cancelled */
    struct box **rows;
    const char **ids;
    int nrows, cap;
    uint64_t members;           /* model.members when rows were built */
    int sorted_col, sorted_rev; /* the order rows are in (-1: none yet) */
    int64_t sorted_ms;          /* when rows were last sorted (monotonic) */
    int64_t resort_timer;       /* a deferred metric re-sort is due (loop timer id) */
    struct app *app;
    int body_h;
    /* the `n` form */
    char new_template[256];
    int new_timeout;
    /* footer and help with the keys of the [keys] section (keymap.h) */
    const struct keymap *km;
    char footer[512];
    struct keyhelp help[25];
    char help_keys[25][40];
};

static int mark_alive(const char *id, void *ud)
{
    return model_find(ud, id) != NULL;
}

/* The id is what people copy into other tools, so its column is as wide as the longest id
 * listed (E2B's are 21 characters, others differ) and other columns drop before it is cut. */
static void size_id_column(struct sbview *v, int n)
{
    size_t longest = 4; /* "ID" and the sort arrow */
    for (int i = 0; i < n; i++) {
        size_t l = strlen(v->rows[i]->id);
        if (l > longest) longest = l;
    }
    int w = 2 + (int)(longest < SB_ID_MAX ? longest : SB_ID_MAX); /* 2: the mark */
    if (w == v->cols[C_ID].min_w) return;
    v->cols[C_ID].min_w = v->cols[C_ID].max_w = w;
    v->t.width = -1; /* lay the columns out again at the next draw */
}

static void sb_rebuild(struct sbview *v, struct app *a);

static void resort_due(struct loop *l, void *ud)
{
    struct sbview *v = ud;
    (void)l;
    v->resort_timer = 0;
    v->sorted_ms = INT64_MIN / 2;
    sb_rebuild(v, v->app);
    app_dirty(v->app, DIRTY_MAIN);
}

static void sb_rebuild(struct sbview *v, struct app *a)
{
    v->app = a;
    struct model *m = &a->model;
    int n_ended = pm_track_shown(a->pm) ? pm_track_count(a->pm) : 0;
    if (v->cap < m->n + n_ended) {
        /* rows and ids share one capacity: it moves only when both grew */
        int cr = v->cap, ci = v->cap;
        if (GROW_INT(v->rows, cr, m->n + n_ended) < 0 || GROW_INT(v->ids, ci, m->n + n_ended) < 0)
            return;
        v->cap = cr < ci ? cr : ci;
    }
    /* marks follow sandboxes, not rows: drop only those whose sandbox is gone */
    table_marks_prune_by(&v->t, mark_alive, m);
    int n = 0;
    int same = !v->filter_text[0] && v->members == m->members && v->nrows == m->n && !n_ended &&
               !v->had_ended;
    if (same) {
        /* the same sandboxes, unfiltered: keep the last order, which sorting then usually
         * only has to confirm (O(n) instead of a full sort at every refresh) */
        n = v->nrows;
    } else {
        for (int i = 0; i < m->n; i++)
            if (filter_match(&v->f, m->sb[i])) v->rows[n++] = m->sb[i];
    }
    v->members = m->members;
    /* ids never change: rows already sorted by id stay sorted while the set is the same */
    /* Sorted by a metric, every batch of samples moves rows: re-sort at most once a second
     * while the set is the same (10 000 rows sorted per arriving batch cost more than the
     * batches; htop re-sorts once per refresh too). A new sort or filter sorts at once. */
    enum sort_key key = col_sort[v->t.sort_col];
    int by_metric = key == SORT_CPU || key == SORT_MEM || key == SORT_DISK;
    int64_t now = loop_now_ms();
    int same_order = same && v->sorted_col == v->t.sort_col && v->sorted_rev == v->t.reverse;
    int keep = same_order && (key == SORT_ID || (by_metric && now - v->sorted_ms < 1000));
    if (keep && key != SORT_ID && !v->resort_timer) /* the samples of the last second too */
        v->resort_timer = loop_timer_add(a->loop, 1000 - (now - v->sorted_ms), resort_due, v);
    if (!keep) {
        if (sort_sandboxes(v->rows, n, key, v->t.reverse, loop_wall_ms()) < 0) {
            v->sorted_col = -1;
        } else {
            v->sorted_col = v->t.sort_col, v->sorted_rev = v->t.reverse;
            v->sorted_ms = now;
        }
    }
    /* ended sandboxes (issue 17) follow the live ones, the latest end first */
    v->had_ended = n_ended;
    int live = n;
    for (int i = 0; i < n_ended; i++) {
        struct box *e = pm_track_box(a->pm, i);
        if (e && filter_match(&v->f, e)) v->rows[n++] = e;
    }
    v->n_ended_rows = n - live;
    if (!same) size_id_column(v, n);
    for (int i = 0; i < n; i++)
        v->ids[i] = v->rows[i]->id;
    v->nrows = n;
    table_set_rows(&v->t, v->ids, n);
}

static struct box *sb_selected(struct sbview *v)
{
    return v->t.sel >= 0 && v->t.sel < v->nrows ? v->rows[v->t.sel] : NULL;
}

/* ---- drawing ---------------------------------------------------------------------------- */

/* The row's CPU (mem 0) or memory (mem 1) sparkline, width cells wide. */
static void draw_spark(struct sbview *v, struct app *a, WINDOW *w, int y, int x, int width,
                       const struct box *s, int mem, attr_t attr)
{
    char buf[512];
    if (width <= 0 || width > 160) return;
    int r = y - 2, glyphs = (int)a->theme.glyphs;
    struct spark_memo *m =
        r >= 0 && r < v->nmemo && width * 4 < (int)sizeof(m->txt) ? &v->memo[mem][r] : NULL;
    const char *txt = buf;
    if (m && m->s == s && m->members == a->model.members && m->gen == s->hist_gen &&
        m->width == width && m->glyphs == glyphs && m->memory_mb == s->memory_mb) {
        txt = m->txt;
    } else {
        double vals[MODEL_HISTORY], max = mem ? 1 : 100;
        int nv = 0;
        for (int i = 0; i < s->hist_len && nv < MODEL_HISTORY; i++) {
            const struct sample *p = box_sample_at(s, i);
            vals[nv++] = mem ? (double)p->mem_used : p->cpu_pct;
            if (mem && (double)p->mem_total > max) max = (double)p->mem_total;
        }
        if (mem && max <= 1 && s->memory_mb) max = (double)s->memory_mb * 1024 * 1024;
        if (m) {
            *m = (struct spark_memo){s,      a->model.members, s->hist_gen, width,
                                     glyphs, s->memory_mb,     ""};
            txt = m->txt;
        }
        spark_render(vals, nv, max, width, a->theme.glyphs, m ? m->txt : buf,
                     m ? sizeof(m->txt) : sizeof(buf));
    }
    wattrset(w, attr);
    mvwaddstr(w, y, x, txt); /* our own glyphs: nothing to sanitize */
    wattrset(w, A_NORMAL);
}

/* A TTL loses precision as it grows (AGE: ui_fmt_age, as kubectl's and k9s's ages): seconds
 * only under 10 minutes ("9m59s", then "10m"), so a screen of sandboxes does not change every
 * second. */
static void fmt_count(char *txt, size_t n, int64_t ms)
{
    if (ms >= 600000 && ms < 3600000)
        snprintf(txt, n, "%lldm", (long long)(ms / 60000));
    else
        ui_fmt_duration(txt, n, ms);
}

/* The step of fmt_count()'s text for a duration: it changes when ms crosses a multiple. */
static int64_t count_step(int64_t ms)
{
    return ms < 600000 ? 1000 : ms < 86400000 ? 60000 : 3600000;
}

#define NO_COUNT INT64_MIN

/* What an AGE (rising) or TTL (falling) cell counts at now, in ms (negative is shown as 0s),
 * or NO_COUNT for "-". */
static int64_t count_ms(const struct box *s, int c, int64_t now)
{
    if (c == C_AGE && s->state == BOX_ENDED) /* its age stopped at the end */
        return s->started_ms > 0 ? s->end_ms - s->started_ms : NO_COUNT;
    /* a time before 1970 (a server's year 1) is as good as none */
    if (c == C_AGE) return s->started_ms > 0 ? now - s->started_ms : NO_COUNT;
    /* a paused sandbox does not count down (its timeout starts again on resume) */
    return s->end_ms > 0 && s->state != BOX_PAUSED && s->state != BOX_ENDED ? s->end_ms - now
                                                                            : NO_COUNT;
}

/* The AGE or TTL text of a sandbox at now; *warn: under a minute to live. */
static void count_text(const struct box *s, int c, int64_t now, char *txt, size_t n, int *warn)
{
    int64_t d = count_ms(s, c, now);
    *warn = c != C_TTL || d == NO_COUNT ? 0 : d < TTL_ALERT_MS ? 2 : d < TTL_WARN_MS;
    if (d == NO_COUNT)
        snprintf(txt, n, "-");
    else if (c == C_AGE)
        ui_fmt_age(txt, n, d);
    else
        fmt_count(txt, n, d);
}

/* The cells of an ended row that differ from a live one: 1 when drawn. */
static int draw_ended_cell(struct app *a, WINDOW *w, int y, const struct box *s, int c, int x,
                           int cw, attr_t at)
{
    if (c == C_STATE) {
        ui_text(a, w, y, x, cw, _("ended"), at);
        return 1;
    }
    if (c != C_META && c != C_TTL) return 0;
    const struct postmortem *p = pm_track_find(a->pm, s->id);
    if (c == C_TTL) {
        char t[16] = "-";
        time_t tt = (time_t)(s->end_ms / 1000);
        struct tm tm;
        if (localtime_r(&tt, &tm)) strftime(t, sizeof(t), cw >= 8 ? "%H:%M:%S" : "%H:%M", &tm);
        ui_text_right(a, w, y, x, cw, t, at);
        return 1;
    }
    char why[160];
    ui_text(a, w, y, x, cw, p ? pm_cause_text(p, why, sizeof(why)) : "", at);
    return 1;
}

static void draw_cell(struct sbview *v, struct app *a, WINDOW *w, int y, struct box *s, int c,
                      int selected)
{
    struct table_col *col = &v->cols[c];
    int x = col->x, cw = col->w;
    const struct theme *th = &a->theme;
    attr_t base = selected ? th->attr[ROLE_SELECTED] : th->attr[ROLE_NORMAL];
    attr_t dim = selected ? base : th->attr[ROLE_DIM];
    char txt[128];
    const struct sample *l = box_latest(s);
    int64_t now = loop_wall_ms();
    if (s->state == BOX_ENDED) {
        if (draw_ended_cell(a, w, y, s, c, x, cw, selected ? base : dim)) return;
        base = selected ? base : dim;
    }
    switch (c) {
    case C_ID: {
        int marked = table_is_marked(&v->t, s->id);
        if (marked) ui_text(a, w, y, x, 2, th->mark, selected ? base : th->attr[ROLE_MARK]);
        ui_text(a, w, y, x + 2, cw - 2, s->id, marked && !selected ? th->attr[ROLE_MARK] : base);
        break;
    }
    case C_TEMPLATE:
        ui_text(a, w, y, x, cw, s->alias && s->alias[0] ? s->alias : s->template_id, base);
        break;
    case C_STATE:
        ui_text(a, w, y, x, cw, _(box_state_name(s->state)),
                selected ? base : th->attr[s->state == BOX_RUNNING ? ROLE_OK : ROLE_WARN]);
        break;
    case C_CPU:
        draw_spark(v, a, w, y, x, cw - 5, s, 0, selected ? base : th->attr[ROLE_ACCENT]);
        if (l)
            snprintf(txt, sizeof(txt), "%3.0f%%", l->cpu_pct);
        else
            snprintf(txt, sizeof(txt), "-");
        ui_text_right(a, w, y, x + cw - 4, 4, txt, base);
        break;
    case C_MEM: {
        char u[16], t[16];
        if (l) {
            ui_fmt_bytes(u, sizeof(u), l->mem_used);
            ui_fmt_bytes(t, sizeof(t),
                         l->mem_total   ? l->mem_total
                         : s->memory_mb ? (int64_t)s->memory_mb * 1024 * 1024
                                        : 1);
            snprintf(txt, sizeof(txt), "%s/%s", u, t);
        } else {
            snprintf(txt, sizeof(txt), "-");
        }
        int tw = 10;
        draw_spark(v, a, w, y, x, cw - tw - 1, s, 1, selected ? base : th->attr[ROLE_ACCENT]);
        ui_text_right(a, w, y, x + cw - tw, tw, txt, base);
        break;
    }
    case C_DISK: {
        char u[16], t[16];
        if (l && l->disk_total) {
            ui_fmt_bytes(u, sizeof(u), l->disk_used);
            ui_fmt_bytes(t, sizeof(t), l->disk_total);
            snprintf(txt, sizeof(txt), "%s/%s", u, t);
        } else {
            snprintf(txt, sizeof(txt), "-");
        }
        ui_text_right(a, w, y, x, cw, txt, base);
        break;
    }
    case C_AGE:
    case C_TTL: {
        int warn = 0;
        char ct[sizeof(v->counts[0][0])];
        count_text(s, c, now, ct, sizeof(ct), &warn);
        if (y - 2 >= 0 && y - 2 < v->nmemo) memcpy(v->counts[y - 2][c - C_AGE], ct, sizeof(ct));
        ui_text_right(a, w, y, x, cw, ct,
                      c == C_AGE               ? dim
                      : warn == 2 && !selected ? th->attr[ROLE_CRIT] | A_BOLD
                      : warn && !selected      ? th->attr[ROLE_WARN]
                                               : base);
        break;
    }
    case C_META: {
        /* keys and values are untrusted: ui_text sanitizes them, here we only join (one call,
         * so a pair that ends exactly at the edge still gets the ellipsis when more follow);
         * ui_text reads at most 8 bytes a column, so joining stops soon after that */
        struct buf b = BUF_INIT;
        for (int i = 0; i < s->n_meta && b.len <= (size_t)cw * 8 + 64; i++)
            buf_printf(&b, "%s%s=%s", i ? " " : "", s->meta[i].key, s->meta[i].value);
        ui_text(a, w, y, x, cw, buf_cstr(&b), dim);
        buf_free(&b);
        break;
    }
    default:
        break;
    }
}

static void sb_draw(struct view *vv, struct app *a, WINDOW *w, int h, int wd)
{
    struct sbview *v = (struct sbview *)vv;
    const struct theme *th = &a->theme;
    if (v->t.width != wd) table_layout(&v->t, wd);
    v->body_h = h - 2;
    table_scroll(&v->t, v->body_h);
    if (v->nmemo != v->body_h && v->body_h > 0) {
        for (int k = 0; k < 2; k++) {
            free(v->memo[k]);
            v->memo[k] = calloc((size_t)v->body_h, sizeof(*v->memo[k]));
        }
        free(v->counts);
        v->counts = calloc((size_t)v->body_h, sizeof(*v->counts));
        v->nmemo = v->memo[0] && v->memo[1] && v->counts ? v->body_h : 0;
    }

    /* title line */
    char title[INPUT_MAX + 160];
    int n = snprintf(title, sizeof(title), _("Sandboxes (%d of %d)"), v->nrows - v->n_ended_rows,
                     a->model.n);
    if (v->filter_text[0])
        n += snprintf(title + n, sizeof(title) - (size_t)n, _("  filter: %s"), v->filter_text);
    n += snprintf(title + n, sizeof(title) - (size_t)n, _("  sort: %s %s"),
                  sort_key_name(col_sort[v->t.sort_col]), v->t.reverse ? "(rev)" : "");
    if (v->t.nmarks)
        n += snprintf(title + n, sizeof(title) - (size_t)n, _("  marked: %d"), v->t.nmarks);
    if (pm_track_count(a->pm))
        snprintf(title + n, sizeof(title) - (size_t)n,
                 pm_track_shown(a->pm) ? _("  ended: %d (x hides)") : _("  ended: %d (x shows)"),
                 pm_track_count(a->pm));
    ui_text(a, w, 0, 1, wd - 2, title, th->attr[ROLE_ACCENT] | A_BOLD);

    /* column titles */
    ui_fill(w, 1, 0, wd, th->attr[ROLE_TITLE]);
    for (int c = 0; c < C_N; c++) {
        if (!v->cols[c].w) continue;
        char t[64];
        /* ▼ when the biggest value is on top (CPU most first, or ids reversed) */
        int down = sort_most_first(col_sort[c]) != v->t.reverse;
        const char *arrow = c != v->t.sort_col ? "" : (down ? "v" : "^");
        if (th->utf8 && c == v->t.sort_col) arrow = down ? "\xe2\x96\xbc" : "\xe2\x96\xb2";
        snprintf(t, sizeof(t), "%s%s", v->cols[c].title, arrow);
        int x = c == C_ID ? v->cols[c].x + 2 : v->cols[c].x;
        ui_text(a, w, 1, x, v->cols[c].w - (c == C_ID ? 2 : 0), t, th->attr[ROLE_TITLE]);
    }

    if (v->nrows == 0) {
        const char *msg = a->model.loading && a->offline
                              ? _("Waiting for the backend (see the status line)…")
                          : a->model.loading ? _("Loading sandboxes…")
                          : a->model.n       ? _("No sandbox matches the filter (Esc clears it)")
                                             : _("No sandboxes. Press n to create one.");
        ui_text(a, w, 3, 2, wd - 4, msg, th->attr[ROLE_DIM]);
        return;
    }
    for (int r = 0; r < v->body_h && v->t.top + r < v->nrows; r++) {
        int row = v->t.top + r;
        int sel = row == v->t.sel;
        if (sel) ui_fill(w, 2 + r, 0, wd, th->attr[ROLE_SELECTED]);
        for (int c = 0; c < C_N; c++)
            if (v->cols[c].w) draw_cell(v, a, w, 2 + r, v->rows[row], c, sel);
    }
}

/* Only ages and TTLs count with the clock: redraw those cells of the rows on screen. */
static int sb_tick(struct view *vv, struct app *a, WINDOW *w, int h, int wd)
{
    struct sbview *v = (struct sbview *)vv;
    if (v->t.width != wd || v->body_h != h - 2 || v->nrows == 0 || v->nmemo != v->body_h) return 0;
    int64_t now = loop_wall_ms();
    for (int r = 0; r < v->body_h && v->t.top + r < v->nrows; r++) {
        int row = v->t.top + r, sel = row == v->t.sel;
        attr_t bg = sel ? a->theme.attr[ROLE_SELECTED] : A_NORMAL;
        for (int c = C_AGE; c <= C_TTL; c++) {
            char txt[sizeof(v->counts[0][0])];
            int warn;
            if (!v->cols[c].w) continue;
            count_text(v->rows[row], c, now, txt, sizeof(txt), &warn);
            if (r < v->nmemo && !strcmp(txt, v->counts[r][c - C_AGE])) continue; /* as shown */
            ui_fill(w, 2 + r, v->cols[c].x, v->cols[c].w, bg);
            draw_cell(v, a, w, 2 + r, v->rows[row], c, sel);
        }
    }
    return 1;
}

static char **sb_fleet_targets(struct app *a, int *count); /* issue 18, below */
static void exec_done(struct app *a, const char *text, int submit, void *ud);

/* ---- actions ---------------------------------------------------------------------------- */

/* The ids an action applies to: the marked ones, else the selected one. Returns a
 * NULL-terminated malloc'd array of borrowed strings (valid until the model changes). */
static const char **sb_targets(struct sbview *v, struct app *a, int *count)
{
    int n = v->t.nmarks ? v->t.nmarks : (sb_selected(v) ? 1 : 0);
    *count = 0;
    if (!n) {
        app_status(a, STATUS_WARN, _("no sandbox selected"));
        return NULL;
    }
    const char **ids = calloc((size_t)n + 1, sizeof(*ids));
    if (!ids) return NULL;
    if (v->t.nmarks)
        for (int i = 0; i < n; i++)
            ids[i] = v->t.marks[i];
    else
        ids[0] = sb_selected(v)->id;
    *count = n;
    return ids;
}

static void do_kill(struct app *a, void *ud)
{
    struct sbview *v = ud;
    int n;
    const char **ids = sb_targets(v, a, &n);
    if (!ids) return;
    /* copy: the backend may change the model (and free the ids) synchronously */
    char **copy = calloc((size_t)n, sizeof(*copy));
    for (int i = 0; copy && i < n; i++)
        copy[i] = strdup(ids[i]);
    free(ids);
    table_marks_clear(&v->t);
    for (int i = 0; copy && i < n; i++) {
        if (copy[i]) a->be->ops->kill(a->be, copy[i]);
        free(copy[i]);
    }
    free(copy);
    app_dirty(a, DIRTY_MAIN);
}

static void ask_kill(struct sbview *v, struct app *a)
{
    if (app_refuse_readonly(a, _("kill"))) return;
    int n;
    const char **ids = sb_targets(v, a, &n);
    if (!ids) return;
    char msg[256];
    if (n == 1) {
        struct buf b = BUF_INIT;
        /* the id is shown through ui_text, which sanitizes the whole message */
        buf_printf(&b, _("Kill sandbox %s?"), ids[0]);
        snprintf(msg, sizeof(msg), "%s", buf_cstr(&b));
        buf_free(&b);
    } else {
        snprintf(msg, sizeof(msg), ngettext_("Kill %d sandbox?", "Kill %d sandboxes?", n), n);
    }
    free(ids);
    app_confirm(a, msg, do_kill, v);
}

enum simple_action { ACT_PAUSE, ACT_RESUME, ACT_EXTEND };

static void do_simple(struct sbview *v, struct app *a, enum simple_action act)
{
    static const char *const names[] = {N_("pause"), N_("resume"), N_("extend")};
    if (app_refuse_readonly(a, _(names[act]))) return;
    int n;
    const char **ids = sb_targets(v, a, &n);
    if (!ids) return;
    char **copy = calloc((size_t)n, sizeof(*copy));
    int64_t *ends = calloc((size_t)n, sizeof(*ends));
    for (int i = 0; copy && ends && i < n; i++) {
        copy[i] = strdup(ids[i]);
        struct box *s = model_find(&a->model, ids[i]);
        ends[i] = s ? s->end_ms : 0;
    }
    free(ids);
    for (int i = 0; copy && ends && i < n; i++) {
        if (!copy[i]) continue;
        if (act == ACT_PAUSE)
            a->be->ops->pause(a->be, copy[i]);
        else if (act == ACT_RESUME)
            a->be->ops->resume(a->be, copy[i]);
        else {
            int64_t left = ends[i] ? ends[i] - loop_wall_ms() : 0;
            int secs = (int)((left > 0 ? left : 0) / 1000) + EXTEND_S;
            a->be->ops->set_timeout(a->be, copy[i], secs);
        }
    }
    for (int i = 0; copy && i < n; i++)
        free(copy[i]);
    free(copy);
    free(ends);
}

static void timeout_done(struct app *a, const char *text, int submit, void *ud)
{
    struct sbview *v = ud;
    int secs;
    if (!submit || !text) return;
    if (ui_parse_duration(text, &secs)) {
        app_status(a, STATUS_ERROR, "%s", ui_ttl_bad());
        return;
    }
    int n;
    const char **ids = sb_targets(v, a, &n);
    if (!ids) return;
    char **copy = calloc((size_t)n, sizeof(*copy));
    for (int i = 0; copy && i < n; i++)
        copy[i] = strdup(ids[i]);
    free(ids);
    for (int i = 0; copy && i < n; i++) {
        if (copy[i]) a->be->ops->set_timeout(a->be, copy[i], secs);
        free(copy[i]);
    }
    free(copy);
}

/* `n`: template → timeout → metadata, one prompt after the other. */
static void new_meta_done(struct app *a, const char *text, int submit, void *ud)
{
    struct sbview *v = ud;
    if (!submit || !text) return;
    const char *kv[33];
    char copy[INPUT_MAX];
    int n = 0;
    snprintf(copy, sizeof(copy), "%s", text);
    for (char *save = NULL, *tok = strtok_r(copy, " ", &save); tok && n < 32;
         tok = strtok_r(NULL, " ", &save)) {
        if (!strchr(tok, '=') || tok[0] == '=') {
            app_status(a, STATUS_ERROR, _("metadata must be key=value pairs"));
            return;
        }
        kv[n++] = tok;
    }
    kv[n] = NULL;
    struct create_req req = {v->new_template, v->new_timeout, kv};
    app_status(a, STATUS_INFO, _("creating a sandbox…"));
    a->be->ops->create(a->be, &req);
}

static void new_timeout_done(struct app *a, const char *text, int submit, void *ud)
{
    struct sbview *v = ud;
    if (!submit || !text) return;
    if (!text[0])
        v->new_timeout = DEFAULT_TIMEOUT_S;
    else if (ui_parse_duration(text, &v->new_timeout)) {
        app_status(a, STATUS_ERROR, "%s", ui_ttl_bad());
        return;
    }
    app_prompt(a, _("Metadata (key=value …, Enter for none): "), "", NULL, new_meta_done, v);
}

static void new_template_done(struct app *a, const char *text, int submit, void *ud)
{
    struct sbview *v = ud;
    if (!submit || !text) return;
    char t[256];
    snprintf(t, sizeof(t), "%s", text);
    size_t l = strlen(t);
    while (l && t[l - 1] == ' ')
        t[--l] = '\0';
    snprintf(v->new_template, sizeof(v->new_template), "%s", t[0] ? t : "base");
    char label[96];
    ui_ttl_prompt(label, sizeof label, DEFAULT_TIMEOUT_S);
    app_prompt(a, label, "", NULL, new_timeout_done, v);
}

static void filter_changed(struct app *a, const char *text, int submit, void *ud)
{
    struct sbview *v = ud;
    if (submit && !text) /* Esc: back to what it was */
        text = v->filter_before;
    snprintf(v->filter_text, sizeof(v->filter_text), "%s", text);
    filter_parse(&v->f, v->filter_text);
    sb_rebuild(v, a);
    app_dirty(a, DIRTY_MAIN);
}

static void sort_changed(struct sbview *v, struct app *a)
{
    sb_rebuild(v, a);
    app_dirty(a, DIRTY_MAIN);
}

static void pause_with_memory(struct app *a, void *ud)
{
    do_simple(ud, a, ACT_PAUSE);
}

static int sb_key(struct view *vv, struct app *a, int ch, int is_key)
{
    struct sbview *v = (struct sbview *)vv;
    int page = v->body_h > 1 ? v->body_h - 1 : 1;
    if (is_key) {
        int d;
        if (ch == KEY_ENTER) goto enter;
        if (!ui_nav_delta(ch, page, v->nrows, &d)) return 0;
        table_move(&v->t, d);
        app_dirty(a, DIRTY_MAIN);
        return 1;
    }
    if (sb_selected(v) && sb_selected(v)->state == BOX_ENDED && ch > 0 && ch < 128 &&
        strchr("pSFrtsfcKmd", ch) && !v->t.nmarks) {
        app_status(a, STATUS_WARN, _("%s has ended (Enter shows why)"), sb_selected(v)->id);
        return 1;
    }
    switch (ch) {
    case 'x':
        pm_track_toggle_shown(a->pm);
        return 1;
    case 'm': /* changed files count from here (d) */
        if (sb_selected(v)) chg_mark(a, sb_selected(v)->id);
        return 1;
    case 'd':
        if (sb_selected(v)) {
            struct view *cv = view_changes_new(a, sb_selected(v)->id);
            if (cv) app_push_view(a, cv);
        }
        return 1;
    case 'j':
        table_move(&v->t, 1);
        break;
    case 'k':
        table_move(&v->t, -1);
        break;
    case 'g':
        table_select(&v->t, 0);
        break;
    case 'G':
        table_select(&v->t, v->nrows - 1);
        break;
    case 4: /* Ctrl-D */
        table_move(&v->t, page / 2);
        break;
    case 21: /* Ctrl-U */
        table_move(&v->t, -page / 2);
        break;
    case ' ':
        if (sb_selected(v)) {
            table_mark_toggle(&v->t, sb_selected(v)->id);
            table_move(&v->t, 1);
        }
        break;
    case 'u':
        table_marks_clear(&v->t);
        break;
    case 'a':
        /* all shown rows: start from no marks so that this stays linear at 10 000 rows */
        table_marks_clear(&v->t);
        for (int i = 0; i < v->nrows; i++)
            table_mark_add(&v->t, v->rows[i]->id);
        break;
    case '\r':
    case '\n':
    enter:
        if (sb_selected(v) && sb_selected(v)->state == BOX_ENDED) {
            struct view *pv = view_postmortem_new(a, sb_selected(v)->id);
            if (pv) app_push_view(a, pv);
        } else if (sb_selected(v)) {
            app_push_view(a, view_detail_new(a, sb_selected(v)->id));
        }
        return 1;
    case '/':
        snprintf(v->filter_before, sizeof(v->filter_before), "%s", v->filter_text);
        app_prompt(a, "/", v->filter_text, NULL, filter_changed, v);
        return 1;
    case 27:
        if (!v->filter_text[0]) return 0;
        v->filter_text[0] = '\0';
        filter_parse(&v->f, "");
        sb_rebuild(v, a);
        break;
    case '<':
        v->t.sort_col = (v->t.sort_col + C_N - 1) % C_N;
        sort_changed(v, a);
        break;
    case '>':
        v->t.sort_col = (v->t.sort_col + 1) % C_N;
        sort_changed(v, a);
        break;
    case 'I':
        v->t.reverse = !v->t.reverse;
        sort_changed(v, a);
        break;
    case 'K':
        ask_kill(v, a);
        return 1;
    case 'X': { /* one command in the marked (or filtered) sandboxes at once, issue 18 */
        int n;
        char **ids = sb_fleet_targets(a, &n);
        char label[96];
        snprintf(label, sizeof label,
                 ngettext_("exec in %d sandbox: ", "exec in %d sandboxes: ", n), n);
        if (n) app_prompt(a, label, "", NULL, exec_done, v);
        for (int i = 0; ids && i < n; i++)
            free(ids[i]);
        free(ids);
        return 1;
    }
    case 'p': {
        int n;
        const char **ids = sb_targets(v, a, &n);
        if (ids) sbact_pause(a, ids, n, pause_with_memory, v);
        free(ids);
        return 1;
    }
    case 'S':
        if (sb_selected(v)) sbact_snapshot(a, sb_selected(v)->id);
        return 1;
    case 'F':
        if (sb_selected(v)) sbact_fork(a, sb_selected(v)->id);
        return 1;
    case 'r':
        do_simple(v, a, ACT_RESUME);
        return 1;
    case 'e':
        do_simple(v, a, ACT_EXTEND);
        return 1;
    case 't':
        if (!app_refuse_readonly(a, _("set timeout")) && sb_selected(v)) {
            char label[96];
            ui_ttl_prompt(label, sizeof label, 0);
            app_prompt(a, label, "", NULL, timeout_done, v);
        }
        return 1;
    case 'n':
        if (!app_refuse_readonly(a, _("create")))
            app_prompt(a, _("Template (Tab completes): "), "base",
                       a->be->ops->templates ? a->be->ops->templates(a->be) : NULL,
                       new_template_done, v);
        return 1;
    case 's':
        if (sb_selected(v)) term_open_shell(a, sb_selected(v)->id);
        return 1;
    case 'O':
        if (sb_selected(v)) term_open_another_shell(a, sb_selected(v)->id);
        return 1;
    case 'f':
        if (sb_selected(v)) app_push_view(a, view_files_new(a, sb_selected(v)->id));
        return 1;
    case 'l':
        if (sb_selected(v)) app_push_view(a, view_logs_new(a, sb_selected(v)->id));
        return 1;
    case 'c':
        if (sb_selected(v)) {
            struct view *cv = view_commands_new(a, sb_selected(v)->id);
            if (cv) app_push_view(a, cv);
        }
        return 1;
    case 'R':
        a->be->ops->poll_now(a->be);
        app_status(a, STATUS_INFO, _("refreshing…"));
        return 1;
    default:
        return 0;
    }
    app_dirty(a, DIRTY_MAIN);
    return 1;
}

static int sb_mouse(struct view *vv, struct app *a, int y, int x, mmask_t b)
{
    struct sbview *v = (struct sbview *)vv;
    (void)a;
    if (b & BUTTON4_PRESSED) {
        table_move(&v->t, -WHEEL_ROWS);
        return 1;
    }
    if (b & BUTTON5_PRESSED) {
        table_move(&v->t, WHEEL_ROWS);
        return 1;
    }
    if (!(b & (BUTTON1_PRESSED | BUTTON1_CLICKED))) return 0;
    if (y == 1) {
        int c = table_col_at(&v->t, x);
        if (c >= 0) {
            table_sort_by(&v->t, c);
            sb_rebuild(v, a);
        }
        return 1;
    }
    if (y >= 2 && v->t.top + y - 2 < v->nrows) {
        table_select(&v->t, v->t.top + y - 2);
        return 1;
    }
    return 0;
}

static void sb_model_changed(struct view *vv, struct app *a)
{
    sb_rebuild((struct sbview *)vv, a);
}

/* Metrics are polled for the rows on screen (and a screen more while scrolling comes back
 * filled from the history), and for every running sandbox when the order depends on them. */
static void sb_demand(struct view *vv, struct app *a)
{
    struct sbview *v = (struct sbview *)vv;
    enum sort_key k = col_sort[v->t.sort_col];
    if (k == SORT_CPU || k == SORT_MEM || k == SORT_DISK) a->model.metrics_all = 1;
    int h = v->body_h > 0 ? v->body_h : 64; /* not drawn yet: a tall terminal's worth */
    /* keys may have moved the selection: the rows the next frame will show */
    if (v->body_h > 0) table_scroll(&v->t, v->body_h);
    int from = v->t.top > 0 ? v->t.top : 0;
    for (int i = from; i < v->nrows && i < from + h; i++)
        if (v->rows[i]->state != BOX_ENDED) model_want(&a->model, v->rows[i]);
}

static const char *sb_footer(struct view *vv)
{
    struct sbview *v = (struct sbview *)vv;
    static const struct {
        int act;
        const char *what;
    } items[] = {
        {KA_DETAIL, N_("detail")}, {KA_FILTER, N_("filter")},   {KA_MARK, N_("mark")},
        {KA_NEW, N_("new")},       {KA_KILL, N_("kill")},       {KA_PAUSE, N_("pause")},
        {KA_RESUME, N_("resume")}, {KA_TIMEOUT, N_("timeout")}, {KA_EXTEND, "+5m"},
        {-1, N_("sort")},          {KA_HELP, N_("help")},
    };
    size_t off = 0;
    v->footer[0] = '\0';
    for (size_t i = 0; i < sizeof items / sizeof items[0] && off < sizeof v->footer; i++) {
        char k[KEYMAP_NAME_MAX * 2];
        if (items[i].act < 0)
            snprintf(k, sizeof k, "</>");
        else
            keymap_label(v->km, (enum keymap_action)items[i].act, k, sizeof k);
        int n = snprintf(v->footer + off, sizeof v->footer - off, "%s%s %s", i ? "  " : "", k,
                         _(items[i].what));
        if (n < 0) break;
        off += (size_t)n;
    }
    return v->footer;
}

static const struct keyhelp sb_help[] = {
    {"j/k ↑/↓", N_("move the selection")},
    {"PgUp/PgDn ^U/^D", N_("page up/down (half page with Ctrl)")},
    {"g/G Home/End", N_("first / last row")},
    {"Enter", N_("details of the sandbox")},
    {"/", N_("filter: words, state:paused, meta:key=value, !negation")},
    {"Esc", N_("clear the filter")},
    {"Space", N_("mark / unmark (actions apply to marked rows)")},
    {"a / u", N_("mark exactly the shown rows / unmark all")},
    {"n", N_("new sandbox (template, timeout, metadata)")},
    {"K", N_("kill marked or selected sandboxes (asks first)")},
    {"p / r", N_("pause (with memory or filesystem only) / resume")},
    {"S", N_("snapshot the selected sandbox (asks a name)")},
    {"F", N_("fork the selected sandbox (asks how many)")},
    {"t", N_("set the time to live")},
    {"e", N_("extend the time to live by 5 minutes")},
    {"< / >", N_("sort by the previous / next column")},
    {"I", N_("invert the sort order")},
    {"R", N_("refresh now")},
    {"s f l", N_("a shell (its open tab if any), the file browser, the logs of the sandbox")},
    {"O", N_("another shell in the sandbox (a new tab even when one is open)")},
    {"c", N_("the commands the sandbox ran, their output")},
    {"X", N_("run a command in the marked (or filtered) sandboxes at once")},
    {"x", N_("show / hide ended sandboxes (Enter: why it ended)")},
    {"m", N_("mark now: changed files count from here, deletions are watched")},
    {"d", N_("files created or modified since the start or the mark")},
};

/* The actions of sb_help's rows (-1: fixed keys); "p / r" and "s f l" hold two and three. */
static const int sb_help_act[][3] = {
    {-1},
    {-1},
    {-1},
    {KA_DETAIL, -1},
    {KA_FILTER, -1},
    {-1},
    {KA_MARK, -1},
    {-1},
    {KA_NEW, -1},
    {KA_KILL, -1},
    {KA_PAUSE, KA_RESUME, -1},
    {-1},
    {-1},
    {KA_TIMEOUT, -1},
    {KA_EXTEND, -1},
    {-1},
    {-1},
    {-1},
    {KA_SHELL, KA_FILES, KA_LOGS},
    {KA_ANOTHER_SHELL, -1},
    {-1},
    {-1},
    {-1},
    {-1},
    {-1},
};

static const struct keyhelp *sb_helpfn(struct view *vv, int *n)
{
    struct sbview *v = (struct sbview *)vv;
    _Static_assert(sizeof sb_help / sizeof sb_help[0] == sizeof v->help / sizeof v->help[0],
                   "sb_help and the view's copy");
    _Static_assert(sizeof sb_help_act / sizeof sb_help_act[0] == sizeof sb_help / sizeof sb_help[0],
                   "sb_help and its actions");
    for (size_t i = 0; i < sizeof sb_help / sizeof sb_help[0]; i++) {
        v->help[i] = sb_help[i];
        if (sb_help_act[i][0] < 0) continue;
        char *out = v->help_keys[i];
        size_t off = 0;
        out[0] = '\0';
        for (int j = 0; j < 3 && sb_help_act[i][j] >= 0; j++) {
            char k[KEYMAP_NAME_MAX * 2];
            keymap_label(v->km, (enum keymap_action)sb_help_act[i][j], k, sizeof k);
            int m = snprintf(out + off, sizeof v->help_keys[i] - off, "%s%s",
                             j ? (sb_help_act[i][2] >= 0 ? " " : " / ") : "", k);
            if (m < 0 || (size_t)m >= sizeof v->help_keys[i] - off) break;
            off += (size_t)m;
        }
        v->help[i].keys = out; /* app.c passes keys through _(): a key name has no msgid */
    }
    *n = (int)(sizeof(sb_help) / sizeof(sb_help[0]));
    return v->help;
}

/* Ages and TTLs count on screen, but most show minutes: the clock wakes when one of the rows
 * on screen next changes its text, not every second. */
static int64_t sb_clock_due(struct view *vv, struct app *a)
{
    struct sbview *v = (struct sbview *)vv;
    (void)a;
    int64_t now = loop_wall_ms(), due = -1;
    int h = v->body_h > 0 ? v->body_h : 64;
    for (int r = 0; r < h && v->t.top + r < v->nrows; r++) {
        for (int c = C_AGE; c <= C_TTL; c++) {
            int64_t d = count_ms(v->rows[v->t.top + r], c, now), next = -1;
            if (d == NO_COUNT) continue;
            if (c == C_AGE) /* rising: when its text changes */
                next = ui_age_next_ms(d);
            else if (d > 0) /* falling: below the current multiple, until 0s */
                next = d % count_step(d) + 1;
            if (next >= 0 && (due < 0 || next < due)) due = next;
        }
    }
    return due;
}

static void sb_destroy(struct view *vv)
{
    struct sbview *v = (struct sbview *)vv;
    if (v->resort_timer) loop_timer_cancel(v->app->loop, v->resort_timer);
    table_free(&v->t);
    filter_free(&v->f);
    free(v->memo[0]);
    free(v->memo[1]);
    free(v->counts);
    free(v->rows);
    free(v->ids);
    free(v);
}

/* Marked rows are sandboxes the user works with: their expiry alert shows (expiry.c). */
static int sb_works_with(struct view *vv, const char *id)
{
    return table_is_marked(&((struct sbview *)vv)->t, id);
}

static const struct view_ops sb_ops = {
    .works_with = sb_works_with,
    .name = N_("sandboxes"),
    .draw = sb_draw,
    .key = sb_key,
    .mouse = sb_mouse,
    .model_changed = sb_model_changed,
    .demand = sb_demand,
    .footer = sb_footer,
    .help = sb_helpfn,
    .clock_due = sb_clock_due,
    .tick = sb_tick,
    .destroy = sb_destroy,
    .keymap = 1,
};

/* Issue 18: what `:exec`, `:put`, `:get` and `:compare` act on - the marked sandboxes, else
 * the rows a filter shows, else the selected one (app.h fleet_targets). */
static char **sb_fleet_targets(struct app *a, int *count)
{
    struct sbview *v =
        a->depth && a->stack[0]->ops == &sb_ops ? (struct sbview *)a->stack[0] : NULL;
    *count = 0;
    if (!v) return NULL;
    int n = v->t.nmarks ? v->t.nmarks : v->filter_text[0] ? v->nrows : sb_selected(v) ? 1 : 0;
    char **ids = calloc((size_t)n + 1, sizeof *ids);
    for (int i = 0; ids && i < n; i++) {
        const char *id = v->t.nmarks         ? v->t.marks[i]
                         : v->filter_text[0] ? v->rows[i]->id
                                             : sb_selected(v)->id;
        if (!(ids[*count] = strdup(id))) break;
        (*count)++;
    }
    return ids;
}

static void exec_done(struct app *a, const char *text, int submit, void *ud)
{
    (void)ud;
    if (!submit || !text || !text[0]) return;
    int n;
    char **ids = sb_fleet_targets(a, &n);
    if (n) fleet_view_run(a, "exec", text, (const char *const *)ids, n);
    for (int i = 0; ids && i < n; i++)
        free(ids[i]);
    free(ids);
}

/* The STATE column fits its widest word as translated ("pausiert" is longer than "running"). */
static int state_width(struct app *a)
{
    static const enum box_state st[] = {BOX_RUNNING, BOX_PAUSED, BOX_ENDED};
    char t[64];
    int w = ui_fit(a, _("STATE"), 64, t, sizeof t);
    for (size_t i = 0; i < sizeof st / sizeof st[0]; i++) {
        int n = ui_fit(a, _(box_state_name(st[i])), 64, t, sizeof t);
        if (n > w) w = n;
    }
    return w < 7 ? 7 : w;
}

struct view *view_sandboxes_new(struct app *a)
{
    struct sbview *v = calloc(1, sizeof(*v));
    if (!v) return NULL;
    v->base.ops = &sb_ops;
    v->km = &a->keys;
    /*                 title            min  max flex right hide */
    /* the id column is sized by the ids (size_id_column); when too narrow, metadata drops
     * first, then disk, age and template */
    v->cols[C_ID] = (struct table_col){_("ID"), 23, 23, 0, 0, 0, 0, 0};
    v->cols[C_TEMPLATE] = (struct table_col){_("TEMPLATE"), 8, 24, 1, 0, 2, 0, 0};
    int stw = state_width(a);
    v->cols[C_STATE] = (struct table_col){_("STATE"), stw, stw, 0, 0, 0, 0, 0};
    v->cols[C_CPU] = (struct table_col){_("CPU"), 13, 30, 2, 0, 0, 0, 0};
    v->cols[C_MEM] = (struct table_col){_("MEMORY"), 17, 34, 2, 0, 0, 0, 0};
    v->cols[C_DISK] = (struct table_col){_("DISK"), 11, 13, 0, 1, 4, 0, 0};
    v->cols[C_AGE] = (struct table_col){_("AGE"), 6, 7, 0, 1, 3, 0, 0};
    v->cols[C_TTL] = (struct table_col){_("TTL"), 7, 8, 0, 1, 0, 0, 0};
    v->cols[C_META] = (struct table_col){_("METADATA"), 8, 0, 4, 0, 5, 0, 0};
    table_init(&v->t, v->cols, C_N);
    v->t.sort_col = C_ID;
    v->sorted_col = -1;
    filter_parse(&v->f, "");
    sb_rebuild(v, a);
    a->fleet_targets = sb_fleet_targets;
    return &v->base;
}
