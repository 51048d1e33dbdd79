/* view_commands_timeline.c - the timeline (`T` in the commands view): the whole life of a sandbox
 * on one time axis, to answer "what was running when memory spiked".
 *
 * Lanes: lifecycle events (events API) as markers, CPU and memory from the kept metrics
 * (metrics API, refreshed every TIMELINE_POLL_MS) as strips, every command as a bar from its
 * start to its end coloured by result (the commands view's history, which keeps following
 * underneath), file changes under the sandbox user's home (WatchDir, while the view is open)
 * as ticks, warnings and errors of the logs as marks. A cursor moves along time; the panel
 * below says what ran at that moment, the CPU and memory of the nearest sample and the log
 * lines just before it (fetched when the cursor rests). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boxtop/api.h"
#include "boxtop/i18n.h"
#include "boxtop/loop.h"
#include "views/commands_view.h"
#include "boxtop/events_parse.h"

#define TIMELINE_POLL_MS 5000
#define LABEL_W          8 /* "events  " */
#define CMD_LANES        5
#define CTX_LINES        3
#define MARKS_MAX        4096

struct mark {
    int64_t ms;
    int level; /* logs: 2 warn, 3 error; files: 0 */
};

struct tlv {
    struct view base;
    struct app *app;
    struct cmdsv *cv;
    struct metric_sample *ms;
    int nms;
    struct sbx_event_list ev;
    struct mark *logs, *files;
    int nlogs, nfiles;
    int64_t logs_cursor;
    struct api_call *mcall, *ecall, *lcall, *ccall;
    struct brem_watch *watch;      /* files changed in /home/user */
    char watch_err[ERROR_MSG_MAX]; /* why the last watch ended, "" while it works */
    int64_t timer;
    int64_t cursor; /* ms */
    double zoom;    /* 1 = the whole life */
    char ctx[CTX_LINES][256];
    int nctx;
    int64_t ctx_for; /* the cursor the last context request was for, -1 none */
    int64_t ctx_at;  /* the cursor the lines in ctx belong to */
    int x0, w;       /* the axis: first column and width (for the mouse) */
    int64_t w0, span;
};

/* ---- data ---- */

static struct cmd_hist *hist(struct tlv *t)
{
    return cmd_feed_hist(t->cv->feed);
}

static void range(struct tlv *t, int64_t *t0, int64_t *t1)
{
    int64_t now = loop_wall_ms(), lo = now, hi = 0;
    struct box *b = model_find(&t->app->model, t->cv->id);
    if (b && b->started_ms) lo = b->started_ms;
    struct cmd_hist *h = hist(t);
    for (size_t i = 0; i < h->n; i++) {
        int64_t s = h->v[i].start_ns ? h->v[i].start_ns / 1000000 : h->v[i].end_ns / 1000000;
        if (s && s < lo) lo = s;
    }
    if (t->nms && t->ms[0].ts * 1000 < lo) lo = t->ms[0].ts * 1000;
    for (int i = 0; i < t->ev.n; i++)
        if (t->ev.v[i].t_ms && t->ev.v[i].t_ms < lo) lo = t->ev.v[i].t_ms;
    hi = b && b->state != BOX_RUNNING && b->end_ms && b->end_ms < now ? b->end_ms : now;
    if (hi <= lo) hi = lo + 1000;
    *t0 = lo;
    *t1 = hi;
}

static void poll_data(struct tlv *t);

static void on_timer(struct loop *lp, void *ud)
{
    (void)lp;
    struct tlv *t = ud;
    t->timer = 0;
    poll_data(t);
}

static void on_metrics(struct api_result *res, void *ud)
{
    struct tlv *t = ud;
    t->mcall = NULL;
    if (res->err.kind == ERROR_NONE && res->metrics.n) {
        free(t->ms);
        t->ms = res->metrics.items;
        t->nms = res->metrics.n;
        res->metrics.items = NULL;
        res->metrics.n = 0;
    }
    if (!t->timer) t->timer = loop_timer_add(t->app->loop, TIMELINE_POLL_MS, on_timer, t);
    app_dirty(t->app, DIRTY_MAIN);
}

static void on_events(struct api_result *res, void *ud)
{
    struct tlv *t = ud;
    t->ecall = NULL;
    struct sbx_event_list l = {0};
    struct error err = {0};
    if (res->err.kind == ERROR_NONE && events_parse(res->body, res->body_len, &l, &err) == 0) {
        events_list_free(&t->ev);
        t->ev = l;
    }
    app_dirty(t->app, DIRTY_MAIN);
}

static void add_mark(struct mark **v, int *n, int64_t ms, int level)
{
    if (*n >= MARKS_MAX) return;
    for (int i = *n - 1; i >= 0 && (*v)[i].ms >= ms - 1; i--)
        if ((*v)[i].ms == ms && (*v)[i].level == level) return;
    struct mark *nv = realloc(*v, (size_t)(*n + 1) * sizeof *nv);
    if (!nv) return;
    *v = nv;
    nv[(*n)++] = (struct mark){ms, level};
}

static void on_logmarks(struct api_result *res, void *ud)
{
    struct tlv *t = ud;
    t->lcall = NULL;
    if (res->err.kind != ERROR_NONE) return;
    for (int i = 0; i < res->logs.n; i++) {
        const struct log_entry *e = &res->logs.items[i];
        add_mark(&t->logs, &t->nlogs, e->ts_ms, e->level == LOG_ENTRY_ERROR ? 3 : 2);
        if (e->ts_ms > t->logs_cursor) t->logs_cursor = e->ts_ms;
    }
    app_dirty(t->app, DIRTY_MAIN);
}

static void on_ctx(struct api_result *res, void *ud)
{
    struct tlv *t = ud;
    t->ccall = NULL;
    t->nctx = 0;
    t->ctx_at = t->ctx_for;
    if (res->err.kind != ERROR_NONE) return;
    /* backward: newest first; shown oldest first */
    for (int i = res->logs.n - 1; i >= 0 && t->nctx < CTX_LINES; i--) {
        const struct log_entry *e = &res->logs.items[i];
        char ts[16];
        time_t s = (time_t)(e->ts_ms / 1000);
        struct tm tm;
        localtime_r(&s, &tm);
        strftime(ts, sizeof ts, "%H:%M:%S", &tm);
        snprintf(t->ctx[t->nctx++], sizeof t->ctx[0], "%s %s %s", ts,
                 log_entry_level_name(e->level), e->message ? e->message : "");
    }
    app_dirty(t->app, DIRTY_MAIN);
}

static void on_fs(void *ud)
{
    struct tlv *t = ud;
    t->watch_err[0] = '\0';
    add_mark(&t->files, &t->nfiles, loop_wall_ms(), 0);
    app_dirty(t->app, DIRTY_MAIN);
}

static void on_fs_end(const struct error *err, void *ud)
{
    struct tlv *t = ud;
    t->watch = NULL; /* asked again with the next poll */
    if (err) snprintf(t->watch_err, sizeof t->watch_err, "%s", err->msg);
    app_dirty(t->app, DIRTY_MAIN);
}

static void poll_data(struct tlv *t)
{
    cmdsv_follow_backend(t->cv);
    struct api *api = t->cv->api;
    if (!t->mcall) {
        t->mcall = api_sandbox_metrics(api, t->cv->id, 0, 0, on_metrics, t);
        api_call_notify_drop(t->mcall); /* a restarted boxtopd: an error, then asked again */
    }
    if (!t->ecall) {
        char p[256];
        snprintf(p, sizeof p, "/events/sandboxes/%s?limit=100&orderAsc=false", t->cv->id);
        t->ecall = api_get_raw(api, p, on_events, t);
        if (t->ecall) api_call_set_raw(t->ecall);
        api_call_notify_drop(t->ecall);
    }
    if (!t->lcall) {
        struct api_logs_query q = {
            .cursor_ms = t->logs_cursor, .direction = "forward", .limit = 1000, .level = "warn"};
        t->lcall = api_logs_v2(api, t->cv->id, &q, on_logmarks, t);
    }
    if (!t->watch && cmdsv_ready(t->cv)) {
        struct error err = {0};
        t->watch = t->cv->rem->ops->watch(t->cv->rem, "/home/user", 1, on_fs, on_fs_end, t, &err);
    }
    if (!t->mcall && !t->timer)
        t->timer = loop_timer_add(t->app->loop, TIMELINE_POLL_MS, on_timer, t);
}

/* The sample nearest to ms, or NULL. */
static const struct metric_sample *sample_at(struct tlv *t, int64_t ms)
{
    const struct metric_sample *best = NULL;
    int64_t bd = INT64_MAX;
    for (int i = 0; i < t->nms; i++) {
        int64_t d = t->ms[i].ts * 1000 - ms;
        if (d < 0) d = -d;
        if (d < bd) {
            bd = d;
            best = &t->ms[i];
        }
    }
    return best && bd <= 10000 ? best : NULL;
}

/* ---- drawing ---- */

static int col_of(struct tlv *t, int64_t ms)
{
    if (ms < t->w0 || ms > t->w0 + t->span) return -1;
    int c = (int)((double)(ms - t->w0) * t->w / (double)t->span);
    return c >= t->w ? t->w - 1 : c;
}

static void fmt_hms(char *out, size_t n, int64_t ms)
{
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&s, &tm);
    strftime(out, n, "%H:%M:%S", &tm);
}

static attr_t cmd_attr(const struct theme *th, const struct cmd *c)
{
    return c->result == CMD_OK        ? th->attr[ROLE_OK]
           : cmd_failed(c)            ? th->attr[ROLE_CRIT]
           : c->result == CMD_RUNNING ? th->attr[ROLE_ACCENT]
                                      : th->attr[ROLE_DIM];
}

static void strip(struct tlv *t, WINDOW *w, int y, int metric)
{
    struct app *a = t->app;
    static const char *const blocks[] = {" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    static const char ascii[] = " .:-=+*#%";
    for (int c = 0; c < t->w; c++) {
        int64_t lo = t->w0 + (int64_t)((double)c * t->span / t->w);
        int64_t hi = t->w0 + (int64_t)((double)(c + 1) * t->span / t->w);
        double v = -1;
        for (int i = 0; i < t->nms; i++) {
            int64_t ms = t->ms[i].ts * 1000;
            if (ms < lo || ms >= hi) continue;
            double x = metric ? (t->ms[i].mem_total
                                     ? (double)t->ms[i].mem_used / (double)t->ms[i].mem_total
                                     : 0)
                              : t->ms[i].cpu_pct / 100.0;
            if (x > v) v = x;
        }
        if (v < 0) continue;
        int lvl = v <= 0 ? 0 : v >= 1 ? 8 : 1 + (int)(v * 7.999);
        if (a->theme.utf8)
            mvwaddstr(w, y, t->x0 + c, blocks[lvl]);
        else
            mvwaddch(w, y, t->x0 + c, (chtype)ascii[lvl]);
    }
}

static void tl_draw(struct view *vv, struct app *a, WINDOW *w, int h, int wd)
{
    struct tlv *t = (struct tlv *)vv;
    const struct theme *th = &a->theme;
    int64_t t0, t1;
    range(t, &t0, &t1);
    if (t->cursor < t0) t->cursor = t0;
    if (t->cursor > t1) t->cursor = t1;
    t->x0 = LABEL_W + 1;
    t->w = wd - t->x0 - 1;
    if (t->w < 10) return;
    t->span = (int64_t)((double)(t1 - t0) / t->zoom);
    if (t->span < 1000) t->span = 1000;
    t->w0 = t->cursor - t->span / 2;
    if (t->w0 + t->span > t1) t->w0 = t1 - t->span;
    if (t->w0 < t0) t->w0 = t0;
    char a0[16], a1[16], cur[16];
    fmt_hms(a0, sizeof a0, t->w0);
    fmt_hms(a1, sizeof a1, t->w0 + t->span);
    fmt_hms(cur, sizeof cur, t->cursor);
    char title[256];
    snprintf(title, sizeof title, _("Timeline %s  %s – %s  zoom ×%.0f"), t->cv->id, a0, a1,
             t->zoom);
    ui_text(a, w, 0, 1, wd - 2, title, th->attr[ROLE_ACCENT] | A_BOLD);
    /* axis: a time label every ~14 columns */
    for (int c = 0; c + 8 < t->w; c += 14) {
        char l[16];
        fmt_hms(l, sizeof l, t->w0 + (int64_t)((double)c * t->span / t->w));
        ui_text(a, w, 1, t->x0 + c, 8, l, th->attr[ROLE_DIM]);
    }
    int y = 2;
    static const char *const lanes[] = {N_("events"), N_("cpu"), N_("mem")};
    for (int i = 0; i < 3; i++)
        ui_text(a, w, y + i, 1, LABEL_W - 1, _(lanes[i]), th->attr[ROLE_TITLE]);
    for (int i = 0; i < t->ev.n; i++) {
        int c = col_of(t, t->ev.v[i].t_ms);
        if (c < 0) continue;
        const char *ty = t->ev.v[i].type ? t->ev.v[i].type : "";
        const char *g = !strcmp(ty, "created")   ? (th->utf8 ? "●" : "o")
                        : !strcmp(ty, "killed")  ? (th->utf8 ? "✗" : "x")
                        : !strcmp(ty, "paused")  ? "‖"
                        : !strcmp(ty, "resumed") ? (th->utf8 ? "▶" : ">")
                                                 : (th->utf8 ? "◆" : "*");
        if (!th->utf8 && !strcmp(ty, "paused")) g = "|";
        ui_text(a, w, y, t->x0 + c, 1, g, th->attr[ROLE_WARN] | A_BOLD);
    }
    wattr_set(w, th->attr[ROLE_ACCENT] & ~A_COLOR, (short)PAIR_NUMBER(th->attr[ROLE_ACCENT]), NULL);
    strip(t, w, y + 1, 0);
    strip(t, w, y + 2, 1);
    wattr_set(w, A_NORMAL, 0, NULL);
    y += 3;
    /* commands: greedy lanes */
    ui_text(a, w, y, 1, LABEL_W - 1, _("cmds"), th->attr[ROLE_TITLE]);
    int64_t lane_end[CMD_LANES];
    for (int i = 0; i < CMD_LANES; i++)
        lane_end[i] = INT64_MIN;
    struct cmd_hist *hs = hist(t);
    int64_t now = loop_wall_ms();
    for (size_t i = 0; i < hs->n; i++) {
        const struct cmd *c = &hs->v[i];
        if (c->internal && !t->cv->show_all) continue;
        int64_t s = c->start_ns ? c->start_ns / 1000000 : c->end_ns / 1000000;
        int64_t e = c->end_ns ? c->end_ns / 1000000 : c->result == CMD_RUNNING ? now : s;
        if (e < t->w0 || s > t->w0 + t->span) continue;
        int lane = 0;
        while (lane < CMD_LANES - 1 && lane_end[lane] >= s)
            lane++;
        lane_end[lane] = e + (int64_t)((double)t->span / t->w); /* one column of air */
        int cs = col_of(t, s < t->w0 ? t->w0 : s),
            ce = col_of(t, e > t->w0 + t->span ? t->w0 + t->span : e);
        if (cs < 0 || ce < 0) continue;
        attr_t at = cmd_attr(th, c) | A_REVERSE;
        ui_fill(w, y + lane, t->x0 + cs, ce - cs + 1, at);
        if (ce - cs >= 4)
            ui_text(a, w, y + lane, t->x0 + cs, ce - cs + 1,
                    c->command ? cmd_display(c->command) : "?", at);
    }
    y += CMD_LANES;
    ui_text(a, w, y, 1, LABEL_W - 1, _("files"), th->attr[ROLE_TITLE]);
    for (int i = 0; i < t->nfiles; i++) {
        int c = col_of(t, t->files[i].ms);
        if (c >= 0) ui_text(a, w, y, t->x0 + c, 1, th->utf8 ? "·" : ".", th->attr[ROLE_NORMAL]);
    }
    y++;
    ui_text(a, w, y, 1, LABEL_W - 1, _("logs"), th->attr[ROLE_TITLE]);
    for (int i = 0; i < t->nlogs; i++) {
        int c = col_of(t, t->logs[i].ms);
        if (c >= 0)
            ui_text(a, w, y, t->x0 + c, 1, "!",
                    (t->logs[i].level >= 3 ? th->attr[ROLE_CRIT] : th->attr[ROLE_WARN]) | A_BOLD);
    }
    y++;
    /* the cursor: a column through every lane, its time below */
    int cc = col_of(t, t->cursor);
    if (cc >= 0) {
        for (int yy = 2; yy < y; yy++)
            mvwchgat(w, yy, t->x0 + cc, 1, A_REVERSE | (th->attr[ROLE_MARK] & ~A_COLOR),
                     (short)PAIR_NUMBER(th->attr[ROLE_MARK]), NULL);
        char l[32];
        snprintf(l, sizeof l, "%s %s", th->utf8 ? "┃" : "|", cur);
        int x = t->x0 + cc;
        if (x + 10 > wd) x = wd - 11;
        ui_text(a, w, y, x, 10, l, th->attr[ROLE_MARK] | A_BOLD);
    }
    y += 2;
    /* the panel */
    struct buf b = BUF_INIT;
    buf_printf(&b, _("at %s: running"), cur);
    int nrun = 0;
    for (size_t i = 0; i < hs->n; i++) {
        const struct cmd *c = &hs->v[i];
        if (c->internal && !t->cv->show_all) continue;
        int64_t s = c->start_ns / 1000000;
        int64_t e = c->end_ns ? c->end_ns / 1000000 : c->result == CMD_RUNNING ? now : 0;
        if (!s || s > t->cursor || (e && e < t->cursor) || (!e && c->result != CMD_RUNNING))
            continue;
        buf_printf(&b, "%s %s (pid %u)", nrun++ ? " ·" : "",
                   c->command ? cmd_display(c->command) : "?", c->pid);
    }
    if (!nrun) buf_printf(&b, " %s", _("nothing"));
    if (y < h) ui_text(a, w, y++, 1, wd - 2, buf_cstr(&b), th->attr[ROLE_NORMAL] | A_BOLD);
    buf_free(&b);
    const struct metric_sample *m = sample_at(t, t->cursor);
    char line[256];
    if (m) {
        char st[16];
        fmt_hms(st, sizeof st, m->ts * 1000);
        snprintf(line, sizeof line, _("cpu %.0f %% · mem %lld MiB of %lld MiB (sample at %s)"),
                 m->cpu_pct, (long long)(m->mem_used >> 20), (long long)(m->mem_total >> 20), st);
    } else {
        snprintf(line, sizeof line, "%s", _("no metrics sample near this moment"));
    }
    if (y < h) ui_text(a, w, y++, 1, wd - 2, line, th->attr[ROLE_NORMAL]);
    int nf = 0;
    for (int i = 0; i < t->nfiles; i++)
        nf += t->files[i].ms >= t->cursor - 5000 && t->files[i].ms <= t->cursor + 5000;
    if (t->watch_err[0]) /* never claim a watch that failed: nothing would be counted */
        snprintf(line, sizeof line, _("file changes not watched: %s"), t->watch_err);
    else
        snprintf(line, sizeof line,
                 _("%d file changes within 5 s (watched while this view is open)"), nf);
    if (y < h) ui_text(a, w, y++, 1, wd - 2, line, th->attr[ROLE_DIM]);
    /* the log lines just before the cursor, fetched when it rests here */
    if (t->ctx_for != t->cursor && !t->ccall) {
        struct api_logs_query q = {
            .cursor_ms = t->cursor + 1, .direction = "backward", .limit = CTX_LINES};
        t->ctx_for = t->cursor;
        cmdsv_follow_backend(t->cv);
        t->ccall = api_logs_v2(t->cv->api, t->cv->id, &q, on_ctx, t);
        api_call_notify_drop(t->ccall);
    }
    for (int i = 0; t->ctx_at == t->cursor && i < t->nctx && y < h; i++)
        ui_text(a, w, y++, 3, wd - 4, t->ctx[i], th->attr[ROLE_DIM]);
}

/* ---- keys ---- */

/* The next (dir 1) or previous moment something happened. */
static void jump(struct tlv *t, int dir)
{
    int64_t best = dir > 0 ? INT64_MAX : INT64_MIN, c = t->cursor;
#define CONSIDER(ms)                                                                               \
    do {                                                                                           \
        int64_t m_ = (ms);                                                                         \
        if (m_ && (dir > 0 ? m_ > c && m_ < best : m_ < c && m_ > best)) best = m_;                \
    } while (0)
    struct cmd_hist *h = hist(t);
    for (size_t i = 0; i < h->n; i++) {
        CONSIDER(h->v[i].start_ns / 1000000);
        CONSIDER(h->v[i].end_ns / 1000000);
    }
    for (int i = 0; i < t->ev.n; i++)
        CONSIDER(t->ev.v[i].t_ms);
    for (int i = 0; i < t->nlogs; i++)
        CONSIDER(t->logs[i].ms);
    for (int i = 0; i < t->nfiles; i++)
        CONSIDER(t->files[i].ms);
#undef CONSIDER
    if (best != INT64_MAX && best != INT64_MIN) t->cursor = best;
}

static int tl_key(struct view *vv, struct app *a, int ch, int is_key)
{
    struct tlv *t = (struct tlv *)vv;
    int64_t step = t->w > 0 ? t->span / t->w : 1000;
    if (step < 1) step = 1;
    if (is_key && (ch == KEY_LEFT || ch == KEY_RIGHT)) {
        t->cursor += ch == KEY_LEFT ? -step : step;
    } else if (is_key) {
        return 0;
    } else {
        switch (ch) {
        case 'h':
            t->cursor -= step;
            break;
        case 'l':
            t->cursor += step;
            break;
        case 'H':
            jump(t, -1);
            break;
        case 'L':
            jump(t, 1);
            break;
        case '+':
        case '=':
            t->zoom = t->zoom * 2 > 4096 ? 4096 : t->zoom * 2;
            break;
        case '-':
            t->zoom = t->zoom / 2 < 1 ? 1 : t->zoom / 2;
            break;
        case '0':
            t->zoom = 1;
            break;
        case 'T':
        case 'q':
            app_pop_view(a);
            return 1;
        default:
            return 0;
        }
    }
    app_dirty(a, DIRTY_MAIN);
    return 1;
}

static int tl_mouse(struct view *vv, struct app *a, int y, int x, mmask_t b)
{
    (void)y;
    struct tlv *t = (struct tlv *)vv;
    if (!(b & (BUTTON1_PRESSED | BUTTON1_CLICKED)) || x < t->x0 || x >= t->x0 + t->w) return 0;
    t->cursor = t->w0 + (int64_t)((double)(x - t->x0) * t->span / t->w);
    app_dirty(a, DIRTY_MAIN);
    return 1;
}

static const char *tl_footer(struct view *vv)
{
    (void)vv;
    return _(
        "←/→ h/l move  H/L previous/next event  + - zoom  0 whole life  click sets the cursor  "
        "Esc back");
}

static const struct keyhelp tl_help[] = {
    {"←/→ h/l", N_("move the cursor along time")},
    {"H/L", N_("previous / next event (command, lifecycle, log mark, file change)")},
    {"+ / -", N_("zoom in / out around the cursor")},
    {"0", N_("fit the whole life of the sandbox")},
    {"click", N_("set the cursor")},
    {"T Esc", N_("back to the commands")},
};

static const struct keyhelp *tl_helpfn(struct view *vv, int *n)
{
    (void)vv;
    *n = (int)(sizeof tl_help / sizeof tl_help[0]);
    return tl_help;
}

static void tl_destroy(struct view *vv)
{
    struct tlv *t = (struct tlv *)vv;
    if (t->mcall) api_cancel(t->mcall);
    if (t->ecall) api_cancel(t->ecall);
    if (t->lcall) api_cancel(t->lcall);
    if (t->ccall) api_cancel(t->ccall);
    if (t->watch) t->cv->rem->ops->unwatch(t->cv->rem, t->watch);
    if (t->timer) loop_timer_cancel(t->app->loop, t->timer);
    free(t->ms);
    events_list_free(&t->ev);
    free(t->logs);
    free(t->files);
    free(t);
}

static const struct view_ops tl_ops = {
    .name = N_("timeline"),
    .draw = tl_draw,
    .key = tl_key,
    .mouse = tl_mouse,
    .footer = tl_footer,
    .help = tl_helpfn,
    .destroy = tl_destroy,
};

struct view *cmd_timeline_new(struct cmdsv *cv, const struct cmd *c)
{
    struct tlv *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->base.ops = &tl_ops;
    t->app = cv->app;
    t->cv = cv;
    t->zoom = 1;
    t->ctx_for = t->ctx_at = -1;
    /* start at the given command (the selected one): the middle of its run */
    int64_t now = loop_wall_ms();
    t->cursor = now;
    if (c && c->start_ns) {
        int64_t e = c->end_ns ? c->end_ns / 1000000 : now;
        t->cursor = (c->start_ns / 1000000 + e) / 2;
    }
    poll_data(t);
    return &t->base;
}
