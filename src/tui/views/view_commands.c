/* view_commands.c - "what did the agent run": every command of one sandbox since it started, from
 * envd's process log lines (commands.h), newest at the bottom, following live.
 *
 * Data flow: a timer (COMMANDS_POLL_MS while following) starts a history round (cmd_feed:
 * the logs API paged forward from where the last round stopped); the round's end rebuilds
 * the rows. Every COMMANDS_LIST_EVERY rounds Process.List adds processes running now that
 * the log does not (yet) show. Enter opens the selected command's output below the table
 * (view_commands_pane.c). Actions on a running command go to envd: i (a line to stdin), C
 * (interrupt), K (kill, asks first). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "boxtop/loop.h"
#include "session.h"
#include "views/commands_view.h"

enum { COL_START, COL_DUR, COL_RESULT, COL_PID, COL_COMMAND, COL_OUT, COL_N };
#define RESULT_W   22 /* "ended with the sandbox" */
#define RESULT_MIN 13 /* its short form, "sandbox ended" */
static const char *const col_names[COL_N] = {N_("START"), N_("DURATION"), N_("RESULT"),
                                             N_("PID"),   N_("COMMAND"),  N_("OUT")};

static struct cmd_hist *hist(struct cmdsv *v)
{
    return cmd_feed_hist(v->feed);
}

const struct cmd *cmdsv_row(struct cmdsv *v, size_t i)
{
    struct cmd_hist *h = hist(v);
    size_t k = v->vis[i];
    return k < h->n ? &h->v[k] : &h->listed[k - h->n];
}

const struct cmd *cmdsv_selected(struct cmdsv *v)
{
    return v->nvis && v->cur >= 0 && (size_t)v->cur < v->nvis ? cmdsv_row(v, (size_t)v->cur) : NULL;
}

int cmdsv_is_pty(const struct cmd *c)
{
    return c->pty_bytes > 0 || (c->command && !strcmp(c->command, "/bin/bash -i -l"));
}

static int64_t when(const struct cmd *c)
{
    return c->start_ns ? c->start_ns : c->end_ns ? c->end_ns : INT64_MAX;
}

static int64_t dur_ns(const struct cmd *c, int64_t now)
{
    if (!c->start_ns) return -1;
    if (c->end_ns) return c->end_ns - c->start_ns;
    return c->result == CMD_RUNNING ? now - c->start_ns : -1;
}

static uint64_t out_size(const struct cmd *c)
{
    return c->has_bytes ? c->stdout_bytes + c->stderr_bytes + c->pty_bytes : c->out_bytes;
}

/* qsort has no user pointer: the view sorts through a small array of row pointers. */
struct sort_item {
    const struct cmd *c;
    size_t k;
    int col, desc;
    int64_t now;
};

static int item_cmp(const void *pa, const void *pb)
{
    const struct sort_item *a = pa, *b = pb;
    int r = 0;
    switch (a->col) {
    case COL_DUR: {
        int64_t x = dur_ns(a->c, a->now), y = dur_ns(b->c, b->now);
        r = x < y ? -1 : x > y;
        break;
    }
    case COL_RESULT:
        r = (int)a->c->result - (int)b->c->result;
        if (!r) r = a->c->exit_code - b->c->exit_code;
        break;
    case COL_PID:
        r = a->c->pid < b->c->pid ? -1 : a->c->pid > b->c->pid;
        break;
    case COL_COMMAND:
        r = strcmp(cmd_display(a->c->command), cmd_display(b->c->command));
        break;
    case COL_OUT: {
        uint64_t x = out_size(a->c), y = out_size(b->c);
        r = x < y ? -1 : x > y;
        break;
    }
    default:
        break;
    }
    if (!r) r = when(a->c) < when(b->c) ? -1 : when(a->c) > when(b->c);
    if (!r) r = a->k < b->k ? -1 : a->k > b->k;
    return a->desc ? -r : r;
}

static void rebuild(struct cmdsv *v)
{
    struct cmd_hist *h = hist(v);
    size_t total = h->n + h->nlisted;
    struct sort_item *items = calloc(total ? total : 1, sizeof *items);
    if (!items) return;
    if (v->vis_cap < total) {
        size_t *nv = realloc(v->vis, total * sizeof *nv);
        if (!nv) {
            free(items);
            return;
        }
        v->vis = nv;
        v->vis_cap = total;
    }
    int64_t now = loop_wall_ms() * 1000000;
    size_t n = 0;
    for (size_t k = 0; k < total; k++) {
        const struct cmd *c = k < h->n ? &h->v[k] : &h->listed[k - h->n];
        if (c->internal && !v->show_all) continue;
        if (v->filter[0] && !cmd_matches(c, v->filter)) continue;
        items[n++] = (struct sort_item){c, k, v->sort_col, v->sort_desc, now};
    }
    qsort(items, n, sizeof *items, item_cmp);
    v->nvis = n;
    int found = -1;
    for (size_t i = 0; i < n; i++) {
        v->vis[i] = items[i].k;
        if (items[i].c->start_ns == v->sel_start && items[i].c->pid == v->sel_pid) found = (int)i;
    }
    free(items);
    if (v->stick || found < 0)
        v->cur = v->stick ? (int)n - 1 : (v->cur < (int)n ? v->cur : (int)n - 1);
    else
        v->cur = found;
    if (v->cur < 0) v->cur = 0;
    const struct cmd *sel = cmdsv_selected(v);
    if (sel) {
        v->sel_start = sel->start_ns;
        v->sel_pid = sel->pid;
    }
}

/* ---- fetching ---- */

static void poll_now(struct cmdsv *v);

static void on_timer(struct loop *lp, void *ud)
{
    (void)lp;
    struct cmdsv *v = ud;
    v->timer = 0;
    poll_now(v);
}

static void arm(struct cmdsv *v)
{
    if (v->follow && !v->timer)
        v->timer = loop_timer_add(v->app->loop, COMMANDS_POLL_MS, on_timer, v);
}

static void on_list(const struct cmd_listed *l, size_t n, const struct error *err, void *ud)
{
    struct cmdsv *v = ud;
    v->list_req = NULL;
    if (err) return; /* the log still shows what it has */
    cmd_hist_set_listed(hist(v), l, n, loop_wall_ms() * 1000000);
    rebuild(v);
    app_dirty(v->app, DIRTY_MAIN);
}

static void on_round(void *ud, const struct error *err)
{
    struct cmdsv *v = ud;
    bool changed = !v->loaded || (err != NULL) != (v->err[0] != '\0');
    if (err)
        snprintf(v->err, sizeof v->err, "%s", err->msg);
    else
        v->err[0] = '\0';
    v->loaded = 1;
    struct cmd_hist *h = hist(v);
    bool gone = !v->app->model.loading && !model_find(&v->app->model, v->id);
    if (gone != h->sandbox_gone) {
        h->sandbox_gone = gone;
        cmd_hist_rebuild(h);
    }
    if (h->gen != v->gen_seen) { /* idle rounds change nothing: no work, no redraw */
        v->gen_seen = h->gen;
        rebuild(v);
        cmd_pane_history(v);
        changed = true;
    }
    if (cmd_feed_busy(v->feed)) { /* more pages on the way: show what is here */
        app_dirty(v->app, DIRTY_MAIN);
        return;
    }
    if (cmdsv_ready(v) && !v->list_req && (v->polls++ % COMMANDS_LIST_EVERY) == 0) {
        struct error lerr = {0};
        v->list_req = v->rem->ops->procs(v->rem, on_list, v, &lerr);
    }
    arm(v);
    if (changed) app_dirty(v->app, DIRTY_MAIN);
}

static void poll_now(struct cmdsv *v)
{
    struct error err = {0};
    cmdsv_follow_backend(v); /* a restarted local boxtopd: new api, the same cursor */
    if (!v->feed || cmd_feed_busy(v->feed)) return;
    if (cmd_feed_poll(v->feed, &err) < 0) {
        snprintf(v->err, sizeof v->err, "%s", err.msg);
        arm(v);
    }
}

static void on_ready(void *ud, const struct error *err)
{
    struct cmdsv *v = ud;
    if (err) {
        snprintf(v->err, sizeof v->err, "%s", err->msg);
        app_dirty(v->app, DIRTY_MAIN);
        return;
    }
    v->polls = 0;
    cmd_pane_envd_ready(v);
}

/* ---- drawing ---- */

static void fmt_clock(char *out, size_t n, int64_t ns)
{
    if (!ns) {
        snprintf(out, n, "?");
        return;
    }
    time_t t = (time_t)(ns / 1000000000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, n, "%H:%M:%S", &tm);
}

static attr_t result_attr(const struct theme *th, const struct cmd *c)
{
    switch (c->result) {
    case CMD_OK:
        return th->attr[ROLE_OK];
    case CMD_EXIT:
    case CMD_SIGNAL:
        return th->attr[ROLE_CRIT];
    case CMD_RUNNING:
        return th->attr[ROLE_ACCENT] | A_BOLD;
    default:
        return th->attr[ROLE_DIM];
    }
}

/* A row's RESULT; brief: the column is narrowed, so the long texts take their short forms
 * (RESULT_MIN columns at most; the full ones are in the output pane). */
static void result_text(const struct cmd *c, bool utf8, bool brief, char *t, size_t n)
{
    if (c->listed_only && c->result == CMD_RUNNING)
        snprintf(t, n, "%s", brief ? _("running (ps)") : _("running, not in log"));
    else if (c->listed_only)
        snprintf(t, n, "%s", brief ? _("ended (ps)") : _("ended, seen by boxtop"));
    else if (c->result == CMD_RUNNING)
        snprintf(t, n, "%s%s", utf8 ? "▶ " : "", _("running"));
    else if (c->result == CMD_ENDED)
        snprintf(t, n, "%s", _("ended"));
    else if (c->result == CMD_GONE)
        snprintf(t, n, "%s", brief ? _("sandbox ended") : _("ended with the sandbox"));
    else
        cmd_result_text(c, t, n);
    if (brief && c->result == CMD_SIGNAL && !c->listed_only && !strncmp(t, "signal: ", 8))
        memmove(t, t + 8, strlen(t + 8) + 1); /* "killed": red says it was a signal */
}

static void draw_table(struct cmdsv *v, WINDOW *w, int y0, int rows, int wd)
{
    struct app *a = v->app;
    const struct theme *th = &a->theme;
    int64_t now = loop_wall_ms() * 1000000;
    /* RESULT gives up width before COMMAND does (its texts have short forms), and COMMAND
     * takes whatever is left; OUT stays at the right edge */
    static const struct ui_col cols[COL_N] = {
        {NULL, 9, 0}, {NULL, 8, 0},   {NULL, RESULT_W, RESULT_MIN},
        {NULL, 7, 0}, {NULL, 28, 12}, {NULL, 8, 0}};
    int cw[COL_N], cx[COL_N];
    ui_cols_fit(cols, COL_N, wd, cw);
    for (int i = 0, x = 1; i < COL_N; x += cw[i] + 1, i++)
        cx[i] = x;
    int out_w = cw[COL_OUT];
    cx[COL_OUT] = wd - out_w - 1;
    int cmd_w = cx[COL_OUT] - cx[COL_COMMAND] - 1, res_w = cw[COL_RESULT];
    for (int i = 0; i < COL_N; i++) {
        char t[48];
        snprintf(t, sizeof t, "%s%s", _(col_names[i]),
                 i == v->sort_col ? (v->sort_desc ? "↓" : "↑") : "");
        ui_text(a, w, y0, cx[i], i == COL_COMMAND ? cmd_w : cw[i], t, th->attr[ROLE_TITLE]);
    }
    rows--;
    y0++;
    if (!v->nvis) {
        const char *msg = !v->loaded                      ? _("loading…")
                          : hist(v)->n + hist(v)->nlisted ? _("no command matches the filter")
                                                          : _("no commands yet");
        if (v->loaded && v->err[0] && !(hist(v)->n + hist(v)->nlisted)) {
            /* a failed read is not an empty history: say so, with the whole error */
            char m[ERROR_MSG_MAX + 64];
            snprintf(m, sizeof m, _("cannot read the sandbox's logs: %s (R retries)"), v->err);
            ui_text(a, w, y0 + 1, 2, wd - 4, m, th->attr[ROLE_CRIT]);
            return;
        }
        ui_text(a, w, y0 + 1, 2, wd - 4, msg, th->attr[ROLE_DIM]);
        return;
    }
    if (v->cur < v->top) v->top = v->cur;
    if (v->cur >= v->top + rows) v->top = v->cur - rows + 1;
    if (v->top < 0) v->top = 0;
    for (int r = 0; r < rows && (size_t)(v->top + r) < v->nvis; r++) {
        int i = v->top + r, y = y0 + r;
        const struct cmd *c = cmdsv_row(v, (size_t)i);
        bool sel = i == v->cur;
        attr_t base = sel ? th->attr[ROLE_SELECTED] : th->attr[ROLE_NORMAL];
        if (sel) ui_fill(w, y, 0, wd, base);
        char t[128];
        fmt_clock(t, sizeof t, c->start_ns);
        ui_text(a, w, y, cx[COL_START], 9, t, sel ? base : th->attr[ROLE_DIM]);
        ui_fmt_duration_ns(t, sizeof t, dur_ns(c, now));
        ui_text(a, w, y, cx[COL_DUR], 8, t, base);
        result_text(c, a->theme.utf8, res_w < RESULT_W, t, sizeof t);
        ui_text(a, w, y, cx[COL_RESULT], res_w, t, sel ? base : result_attr(th, c));
        snprintf(t, sizeof t, "%u", c->pid);
        ui_text_right(a, w, y, cx[COL_PID], 6, t, base);
        const char *d = c->command ? cmd_display(c->command) : _("(started before the log)");
        ui_text(a, w, y, cx[COL_COMMAND], cmd_w, d,
                sel          ? base
                : c->command ? th->attr[ROLE_NORMAL]
                             : th->attr[ROLE_DIM]);
        if (c->has_bytes || c->out_lines) {
            ui_fmt_bytes(t, sizeof t, (int64_t)out_size(c));
            ui_text_right(a, w, y, cx[COL_OUT], out_w, t, sel ? base : th->attr[ROLE_DIM]);
        }
    }
}

static void cv_draw(struct view *vv, struct app *a, WINDOW *w, int h, int wd)
{
    struct cmdsv *v = (struct cmdsv *)vv;
    const struct theme *th = &a->theme;
    struct cmd_hist *hs = hist(v);
    size_t failed = 0, running = 0, total = 0;
    for (size_t i = 0; i < hs->n; i++) {
        if (hs->v[i].internal && !v->show_all) continue;
        total++;
        failed += cmd_failed(&hs->v[i]);
        running += hs->v[i].result == CMD_RUNNING;
    }
    struct buf t = BUF_INIT;
    buf_printf(&t, _("Commands %s"), v->id);
    if (v->loaded) /* before the first answer a count of 0 would be a claim */
        buf_printf(&t, _("  %zu commands, %zu failed, %zu running"), total, failed, running);
    size_t nl = 0;
    for (size_t i = 0; i < hs->nlisted; i++)
        nl += hs->listed[i].result == CMD_RUNNING;
    if (nl) buf_printf(&t, _(", %zu not in the log"), nl);
    buf_printf(&t, "  [%s]", v->follow ? _("following") : _("paused"));
    if (v->filter[0]) buf_printf(&t, _("  filter: %s"), v->filter);
    if (v->show_all) buf_printf(&t, "  %s", _("with boxtop's own"));
    int x = ui_text(a, w, 0, 1, wd - 2, buf_cstr(&t), th->attr[ROLE_ACCENT] | A_BOLD);
    buf_free(&t);
    if (v->err[0]) ui_text(a, w, 0, x + 3, wd - x - 4, v->err, th->attr[ROLE_CRIT]);
    int y = 1;
    const char *note = NULL;
    if (v->loaded && !v->err[0] && !hs->saw_process)
        note = _("no process events in this sandbox's logs yet (its envd may not log them): "
                 "showing what Process.List sees");
    else if (v->loaded && cmd_feed_uses_v2(v->feed))
        note = _("this server has no v1 logs endpoint: exit codes are unknown");
    if (note) ui_text(a, w, y++, 1, wd - 2, note, th->attr[ROLE_WARN]);
    int rows = h - y;
    if (v->pane.open) {
        int trows = rows * 2 / 5;
        if (trows < 5) trows = 5;
        draw_table(v, w, y, trows, wd);
        cmd_pane_draw(v, w, y + trows, rows - trows, wd);
    } else {
        draw_table(v, w, y, rows, wd);
    }
}

/* ---- actions ---- */

static void on_unary(const struct error *err, void *ud)
{
    struct cmdsv *v = ud;
    if (err) app_status_detail(v->app, STATUS_ERROR, err->detail, "%s", err->msg);
}

static const struct cmd *running_selected(struct cmdsv *v, const char *what)
{
    const struct cmd *c = cmdsv_selected(v);
    if (!c) return NULL;
    if (app_refuse_readonly(v->app, what)) return NULL;
    if (c->result != CMD_RUNNING) {
        app_status(v->app, STATUS_WARN, "%s", _("the command is not running"));
        return NULL;
    }
    if (!cmdsv_ready(v)) {
        app_status(v->app, STATUS_WARN, "%s", _("not connected to the sandbox's envd yet"));
        return NULL;
    }
    return c;
}

static void on_input(struct app *a, const char *text, int submit, void *ud)
{
    struct cmdsv *v = ud;
    if (!submit || !text) return;
    const struct cmd *c = running_selected(v, _("send input"));
    if (!c) return;
    int pty = cmdsv_is_pty(c);
    struct buf b = BUF_INIT;
    buf_append_str(&b, text);
    buf_append_byte(&b, pty ? '\r' : '\n');
    struct error err = {0};
    if (v->rem->ops->input(v->rem, c->pid, pty, b.data, b.len, on_unary, v, &err) < 0)
        app_status_detail(a, STATUS_ERROR, err.detail, "%s", err.msg);
    else
        app_status(a, STATUS_INFO, _("sent a line to pid %u"), c->pid);
    buf_free(&b);
}

static void do_kill(struct app *a, void *ud)
{
    struct cmdsv *v = ud;
    const struct cmd *c = running_selected(v, _("kill"));
    if (!c) return;
    struct error err = {0};
    if (v->rem->ops->signal(v->rem, c->pid, 9, on_unary, v, &err) < 0)
        app_status_detail(a, STATUS_ERROR, err.detail, "%s", err.msg);
    else
        app_status(a, STATUS_INFO, _("killed pid %u"), c->pid);
    poll_now(v);
}

static void interrupt(struct cmdsv *v)
{
    const struct cmd *c = running_selected(v, _("interrupt"));
    if (!c) return;
    struct error err = {0};
    /* envd's signals are SIGTERM and SIGKILL: a terminal gets Ctrl-C, a pipe SIGTERM */
    bool ok = cmdsv_is_pty(c)
                  ? v->rem->ops->input(v->rem, c->pid, 1, "\003", 1, on_unary, v, &err) == 0
                  : v->rem->ops->signal(v->rem, c->pid, 15, on_unary, v, &err) == 0;
    if (!ok)
        app_status_detail(v->app, STATUS_ERROR, err.detail, "%s", err.msg);
    else
        app_status(v->app, STATUS_INFO, _("interrupted pid %u"), c->pid);
}

static void on_filter(struct app *a, const char *text, int submit, void *ud)
{
    (void)submit;
    struct cmdsv *v = ud;
    snprintf(v->filter, sizeof v->filter, "%s", text ? text : "");
    rebuild(v);
    app_dirty(a, DIRTY_MAIN);
}

static void first_failure(struct cmdsv *v)
{
    for (size_t i = 0; i < v->nvis; i++)
        if (cmd_failed(cmdsv_row(v, i))) {
            v->cur = (int)i;
            v->stick = 0;
            return;
        }
    app_status(v->app, STATUS_INFO, "%s", _("no failed command"));
}

static void cv_move(struct cmdsv *v, int d)
{
    v->cur += d;
    if (v->cur >= (int)v->nvis) v->cur = (int)v->nvis - 1;
    if (v->cur < 0) v->cur = 0;
    v->stick = v->nvis && v->cur == (int)v->nvis - 1;
    const struct cmd *c = cmdsv_selected(v);
    if (c) {
        v->sel_start = c->start_ns;
        v->sel_pid = c->pid;
        if (v->pane.open && !(v->pane.c.start_ns == c->start_ns && v->pane.c.pid == c->pid))
            cmd_pane_open(v, c);
    }
}

static int cv_key(struct view *vv, struct app *a, int ch, int is_key)
{
    struct cmdsv *v = (struct cmdsv *)vv;
    if (v->focus_pane && v->pane.open) {
        if (cmd_pane_key(v, ch, is_key)) {
            app_dirty(a, DIRTY_MAIN);
            return 1;
        }
        if (!is_key && (ch == 27 || ch == 'q')) {
            v->focus_pane = 0;
            cmd_pane_close(v);
            app_dirty(a, DIRTY_MAIN | DIRTY_FOOTER); /* the table's keys again */
            return 1;
        }
    }
    int page = getmaxy(a->w_main) / 2;
    if (page < 1) page = 1;
    if (is_key) {
        int d;
        if (ch == KEY_ENTER) goto enter;
        if (!ui_nav_delta(ch, page, (int)v->nvis, &d)) return 0;
        cv_move(v, d);
        app_dirty(a, DIRTY_MAIN);
        return 1;
    }
    switch (ch) {
    case 'j':
        cv_move(v, 1);
        break;
    case 'k':
        cv_move(v, -1);
        break;
    case 'g':
        cv_move(v, -(int)v->nvis);
        break;
    case 'G':
        cv_move(v, (int)v->nvis);
        break;
    case '\r':
    case '\n':
    enter:
        if (cmdsv_selected(v)) {
            cmd_pane_open(v, cmdsv_selected(v));
            v->focus_pane = 1;
        }
        break;
    case '/':
        app_prompt(a, _("filter (words, state:failed, state:running):"), v->filter, NULL, on_filter,
                   v);
        return 1;
    case 'F':
        first_failure(v);
        break;
    case 'T': {
        struct view *tl = cmd_timeline_new(v, cmdsv_selected(v));
        if (tl) app_push_view(a, tl);
        return 1;
    }
    case 'd': { /* what the commands changed on disk (issue 17) */
        struct view *cv = view_changes_new(a, v->id);
        if (cv) app_push_view(a, cv);
        return 1;
    }
    case '<':
    case '>':
        v->sort_col = (v->sort_col + (ch == '>' ? 1 : COL_N - 1)) % COL_N;
        rebuild(v);
        break;
    case 'I':
        v->sort_desc = !v->sort_desc;
        rebuild(v);
        break;
    case 'A':
        v->show_all = !v->show_all;
        rebuild(v);
        break;
    case 'f':
        v->follow = !v->follow;
        if (v->follow)
            poll_now(v);
        else if (v->timer) {
            loop_timer_cancel(a->loop, v->timer);
            v->timer = 0;
        }
        break;
    case 'R':
        poll_now(v);
        break;
    case 'i':
        if (running_selected(v, _("send input")))
            app_prompt(a, _("line to send to the command's input:"), "", NULL, on_input, v);
        return 1;
    case 'C':
        interrupt(v);
        return 1;
    case 'K': {
        const struct cmd *c = running_selected(v, _("kill"));
        if (!c) return 1;
        char msg[200];
        snprintf(msg, sizeof msg, _("Kill pid %u (%.80s)?"), c->pid,
                 c->command ? cmd_display(c->command) : "?");
        app_confirm(a, msg, do_kill, v);
        return 1;
    }
    case 'a': {
        const struct cmd *c = cmdsv_selected(v);
        if (c && c->result == CMD_RUNNING && cmdsv_is_pty(c))
            term_attach_pid(a, v->id, c->pid);
        else
            app_status(a, STATUS_INFO, "%s", _("only a running terminal (PTY) can be attached"));
        return 1;
    }
    default:
        return 0;
    }
    app_dirty(a, DIRTY_MAIN | DIRTY_FOOTER); /* Enter gives the keys to the output pane */
    return 1;
}

static const char *cv_footer(struct view *vv)
{
    struct cmdsv *v = (struct cmdsv *)vv;
    if (v->focus_pane && v->pane.open)
        return _("j/k scroll  / search  n/N next  w save  f follow  i input  C interrupt  K kill  "
                 "Esc table");
    return _("Enter output  / filter  F first failure  T timeline  < > sort  i input  C interrupt  "
             "K kill  A all  Esc back");
}

static const struct keyhelp cv_help[] = {
    {"j/k ↑/↓ g/G", N_("move; the newest command is at the bottom")},
    {"Enter", N_("the command's output below (Esc closes it)")},
    {"/", N_("filter: words, state:failed, state:running")},
    {"F", N_("jump to the first failed command")},
    {"< / > I", N_("sort by the previous / next column, invert")},
    {"i", N_("send a line to a running command's input")},
    {"C", N_("interrupt a running command (Ctrl-C on a terminal, SIGTERM otherwise)")},
    {"K", N_("kill a running command (asks first)")},
    {"a", N_("attach a terminal to a running PTY")},
    {"A", N_("show boxtop's own helper processes too")},
    {"T", N_("the timeline: commands, metrics, events, file changes on one time axis")},
    {"d", N_("the files changed since the start or the mark (m in the list)")},
    {"f", N_("follow on/off")},
    {"R", N_("reload now")},
    {"n/N w", N_("in the output: next / previous match, save to a file")},
};

static const struct keyhelp *cv_helpfn(struct view *vv, int *n)
{
    (void)vv;
    *n = (int)(sizeof cv_help / sizeof cv_help[0]);
    return cv_help;
}

static int cv_needs_clock(struct view *vv, struct app *a)
{
    (void)a;
    struct cmdsv *v = (struct cmdsv *)vv;
    for (size_t i = 0; i < v->nvis; i++)
        if (cmdsv_row(v, i)->result == CMD_RUNNING) return 1; /* durations tick */
    return 0;
}

static void cv_destroy(struct view *vv)
{
    struct cmdsv *v = (struct cmdsv *)vv;
    cmd_pane_close(v);
    if (v->timer) loop_timer_cancel(v->app->loop, v->timer);
    if (v->rem) {
        v->rem->ops->cancel(v->rem, v->list_req);
        v->rem->ops->close(v->rem); /* after the pane's attach is gone */
    }
    cmd_feed_free(v->feed);
    free(v->vis);
    free(v->id);
    free(v);
}

static const char *cv_sandbox_id(struct view *vv)
{
    return ((struct cmdsv *)vv)->id;
}

static const struct view_ops cv_ops = {
    .name = N_("commands"),
    .sandbox_id = cv_sandbox_id,
    .draw = cv_draw,
    .key = cv_key,
    .footer = cv_footer,
    .help = cv_helpfn,
    .needs_clock = cv_needs_clock,
    .destroy = cv_destroy,
};

struct view *view_commands_new(struct app *a, const char *id)
{
    struct session_env env;
    if (!a->be->ops->session_env || a->be->ops->session_env(a->be, &env) < 0 || !env.api) {
        app_status(a, STATUS_WARN, "%s", _("the commands view needs a live backend"));
        return NULL;
    }
    struct cmdsv *v = calloc(1, sizeof *v);
    if (!v || !(v->id = strdup(id))) {
        free(v);
        return NULL;
    }
    v->base.ops = &cv_ops;
    v->app = a;
    v->api = env.api;
    v->follow = v->stick = 1;
    v->feed = cmd_feed_new(env.api, id, on_round, v);
    if (!v->feed) {
        free(v->id);
        free(v);
        app_status(a, STATUS_WARN, "%s", _("invalid sandbox ID"));
        return NULL;
    }
    cmd_feed_set_progress(v->feed, true);
    if (a->be->ops->remote_open) {
        static const struct brem_events ev = {.ready = on_ready};
        struct error err = {0};
        v->rem = a->be->ops->remote_open(a->be, id, &ev, v, &err);
    }
    poll_now(v);
    return &v->base;
}
