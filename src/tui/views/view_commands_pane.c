/* commands_pane.c - one command's output below the commands table: stdout and stderr in their
 * real order (stderr in the warning colour with a "!" in the gutter), searchable, savable,
 * with the exit result at the end.
 *
 * Where it comes from: the log (cmd_out_feed: ?pid=, paged) for what the backend kept, and
 * for a running command Process.Connect from the moment of opening. The attach time splits
 * the logged lines: those after it overlap the live stream, and cmd_output_seam() keeps only
 * the ones the stream does not bring, so no line shows twice or goes missing. Until the seam
 * is placed only the lines before the attach are drawn. Where the backend keeps no output
 * (E2B cloud today) the pane says so, shows the byte counts and captures from the attach. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boxtop/envd.h"
#include "boxtop/i18n.h"
#include "boxtop/loop.h"
#include "boxtop/sanitize.h"
#include "views/commands_view.h"
#include "views/logs_store.h"

static struct cmd_output *out_of(struct cmdsv *v)
{
    return v->pane.feed ? cmd_out_feed_output(v->pane.feed) : NULL;
}

/* Lines that are final (see the top comment). */
static size_t shown(struct cmdsv *v)
{
    struct cmd_output *o = out_of(v);
    if (!o) return 0;
    return o->attach_ns && !o->seam_done ? o->logged : o->n;
}

static void out_poll(struct cmdsv *v);

static void on_out_timer(struct loop *lp, void *ud)
{
    (void)lp;
    struct cmdsv *v = ud;
    v->pane.timer = 0;
    out_poll(v);
}

static void on_out_round(void *ud, const struct error *err)
{
    struct cmdsv *v = ud;
    struct cmd_pane *p = &v->pane;
    struct cmd_output *o = out_of(v);
    if (err) snprintf(p->err, sizeof p->err, "%s", err->msg);
    if (cmd_out_feed_unsupported(p->feed)) p->unsupported = 1;
    if (o && o->attach_ns && !o->seam_done) cmd_output_seam(o, p->live_state == 3);
    /* a running command that is not attached: poll its logged lines */
    if (!p->live && p->c.result == CMD_RUNNING && !p->unsupported && !p->timer)
        p->timer = loop_timer_add(v->app->loop, COMMANDS_POLL_MS, on_out_timer, v);
    app_dirty(v->app, DIRTY_MAIN);
}

static void out_poll(struct cmdsv *v)
{
    struct error err = {0};
    if (v->pane.feed && !cmd_out_feed_busy(v->pane.feed) &&
        cmd_out_feed_poll(v->pane.feed, &err) < 0)
        snprintf(v->pane.err, sizeof v->pane.err, "%s", err.msg);
}

static int on_live(const struct envd_proc_event *ev, void *ud, struct error *err)
{
    (void)err;
    struct cmdsv *v = ud;
    struct cmd_pane *p = &v->pane;
    struct cmd_output *o = out_of(v);
    if (ev->kind == ENVD_PROC_START) {
        p->live_state = 2;
        out_poll(v); /* the log now holds everything before the attach */
    } else if (ev->kind == ENVD_PROC_DATA && o) {
        cmd_output_add_live(o, ev->output == ENVD_OUT_STDERR, ev->data, ev->len);
        if (!o->seam_done && p->unsupported)
            cmd_output_seam(o, true); /* nothing logged to line up with */
        else if (!o->seam_done)
            out_poll(v);
        app_dirty(v->app, DIRTY_MAIN);
    } else if (ev->kind == ENVD_PROC_END) {
        p->live_status = envd_proc_exit_status(ev);
    }
    return 0;
}

static void on_live_end(const struct error *err, void *ud)
{
    struct cmdsv *v = ud;
    struct cmd_pane *p = &v->pane;
    p->live = NULL;
    p->live_state = 3;
    if (err) snprintf(p->err, sizeof p->err, "%s", err->msg);
    struct cmd_output *o = out_of(v);
    if (o) {
        cmd_output_live_end(o);
        out_poll(v); /* then the seam is placed for good */
    }
    app_dirty(v->app, DIRTY_MAIN);
}

static void attach(struct cmdsv *v)
{
    struct cmd_pane *p = &v->pane;
    if (!v->envd || p->live || p->live_state || p->c.result != CMD_RUNNING || !p->feed) return;
    struct error err = {0};
    cmd_output_attach(out_of(v), loop_wall_ms() * 1000000);
    p->live = envd_process_connect(v->envd, p->c.pid, on_live, on_live_end, v, &err);
    if (!p->live) {
        snprintf(p->err, sizeof p->err, "%s", err.msg);
        p->live_state = 3;
        cmd_output_seam(out_of(v), true);
        return;
    }
    p->live_state = 1;
}

void cmd_pane_close(struct cmdsv *v)
{
    struct cmd_pane *p = &v->pane;
    if (p->live) envd_stream_cancel(p->live);
    if (p->timer) loop_timer_cancel(v->app->loop, p->timer);
    cmd_out_feed_free(p->feed);
    free(p->title);
    memset(p, 0, sizeof *p);
}

void cmd_pane_open(struct cmdsv *v, const struct cmd *c)
{
    cmd_pane_close(v);
    struct cmd_pane *p = &v->pane;
    p->open = 1;
    p->stick = 1;
    p->match = -1;
    p->c = *c;
    p->c.command = p->c.cwd = p->c.user = NULL; /* not owned */
    snprintf(p->status, sizeof p->status, "%s", c->status ? c->status : "");
    p->c.status = p->status;
    p->title = strdup(c->command ? cmd_display(c->command) : _("(started before the log)"));
    if (c->cwd) {
        char *t = NULL;
        size_t n = strlen(p->title ? p->title : "") + strlen(c->cwd) + 8;
        if ((t = malloc(n))) snprintf(t, n, "%s  (in %s)", p->title ? p->title : "", c->cwd);
        free(p->title);
        p->title = t;
    }
    if (!c->pid) return;
    p->feed = cmd_out_feed_new(v->api, v->id, c, on_out_round, v);
    if (!p->feed) return;
    if (c->result == CMD_RUNNING && !c->listed_only) attach(v);
    if (!p->live_state || p->live_state == 3) out_poll(v);
    if (c->listed_only) p->unsupported = 0;
}

void cmd_pane_envd_ready(struct cmdsv *v)
{
    if (v->pane.open) attach(v);
}

void cmd_pane_history(struct cmdsv *v)
{
    struct cmd_pane *p = &v->pane;
    if (!p->open) return;
    struct cmd_hist *h = cmd_feed_hist(v->feed);
    for (size_t i = 0; i < h->n; i++) {
        const struct cmd *c = &h->v[i];
        if (c->pid != p->c.pid || c->start_ns != p->c.start_ns) continue;
        if (c->result != p->c.result || c->has_bytes != p->c.has_bytes) {
            p->c.result = c->result;
            p->c.exit_code = c->exit_code;
            p->c.end_ns = c->end_ns;
            p->c.has_bytes = c->has_bytes;
            p->c.stdout_bytes = c->stdout_bytes;
            p->c.stderr_bytes = c->stderr_bytes;
            p->c.pty_bytes = c->pty_bytes;
            p->c.truncated = c->truncated;
            snprintf(p->status, sizeof p->status, "%s", c->status ? c->status : "");
            if (p->feed) cmd_out_feed_set_end(p->feed, c->end_ns);
            if (p->timer && c->result != CMD_RUNNING) {
                loop_timer_cancel(v->app->loop, p->timer);
                p->timer = 0;
                out_poll(v); /* the last lines */
            }
        }
        p->c.out_lines = c->out_lines;
        break;
    }
}

/* ---- drawing ---- */

static void draw_line(struct cmdsv *v, WINDOW *w, int y, int wd, const struct cmd_line *l, int hl)
{
    struct app *a = v->app;
    const struct theme *th = &a->theme;
    if (l->marker) {
        ui_text(a, w, y, 2, wd - 3, _("[output truncated: command exceeded log capture limit]"),
                th->attr[ROLE_WARN] | A_BOLD);
        return;
    }
    attr_t at = l->is_stderr ? th->attr[ROLE_WARN] : th->attr[ROLE_NORMAL];
    if (hl) at = th->attr[ROLE_MARK] | A_REVERSE;
    if (l->is_stderr) ui_text(a, w, y, 0, 1, "!", th->attr[ROLE_CRIT] | A_BOLD);
    ui_text(a, w, y, 2, wd - 3, l->text ? l->text : "", at);
}

void cmd_pane_draw(struct cmdsv *v, WINDOW *w, int y0, int h, int wd)
{
    struct app *a = v->app;
    const struct theme *th = &a->theme;
    struct cmd_pane *p = &v->pane;
    struct cmd_output *o = out_of(v);
    if (h < 2) return;
    ui_fill(w, y0, 0, wd, th->attr[ROLE_TITLE]);
    char res[96], dur[32], so[32], se[32];
    struct buf t = BUF_INIT;
    cmd_result_text(&p->c, res, sizeof res);
    buf_printf(&t, " %s   %s", p->title ? p->title : "", res);
    if (p->c.start_ns && p->c.end_ns) {
        ui_fmt_duration_ns(dur, sizeof dur, p->c.end_ns - p->c.start_ns);
        buf_printf(&t, _(" after %s"), dur);
    }
    if (p->c.has_bytes) {
        ui_fmt_bytes(so, sizeof so, (int64_t)p->c.stdout_bytes);
        ui_fmt_bytes(se, sizeof se, (int64_t)p->c.stderr_bytes);
        buf_printf(&t, _("   stdout %s  stderr %s"), so, se);
    }
    if (p->live_state == 1 || p->live_state == 2)
        buf_printf(&t, "   [%s]", p->live_state == 2 ? _("attached, live") : _("attaching…"));
    if (p->search[0]) buf_printf(&t, _("   search: %s"), p->search);
    ui_text(a, w, y0, 0, wd, buf_cstr(&t), th->attr[ROLE_TITLE] | A_BOLD);
    buf_free(&t);
    int y = y0 + 1, rows = h - 1;
    const struct cmd_hist *hs = cmd_feed_hist(v->feed);
    if (p->unsupported || (v->loaded && !hs->saw_output && p->c.result != CMD_RUNNING)) {
        ui_text(a, w, y++, 1, wd - 2,
                p->c.result == CMD_RUNNING
                    ? _("this backend keeps no command output (E2B cloud today): showing it from "
                        "the moment boxtop attached")
                    : _("this backend keeps no command output (E2B cloud today): only the byte "
                        "counts above"),
                th->attr[ROLE_DIM]);
        rows--;
    }
    if (p->err[0]) {
        ui_text(a, w, y++, 1, wd - 2, p->err, th->attr[ROLE_CRIT]);
        rows--;
    }
    size_t n = shown(v);
    bool ended = p->c.result != CMD_RUNNING || p->live_state == 3;
    size_t total = n + (ended ? 1 : 0); /* the result line */
    if (rows <= 0) return;
    if (p->stick) p->top = total > (size_t)rows ? (int)(total - (size_t)rows) : 0;
    if (p->top < 0) p->top = 0;
    for (int r = 0; r < rows && (size_t)(p->top + r) < total; r++) {
        size_t i = (size_t)(p->top + r);
        if (i < n) {
            draw_line(v, w, y + r, wd, &o->v[i], (int)i == p->match);
            continue;
        }
        char end[160];
        if (p->c.result == CMD_RUNNING && p->live_state == 3)
            snprintf(end, sizeof end, _("— ended (exit status %d) —"), p->live_status);
        else
            snprintf(end, sizeof end, "— %s —", res);
        ui_text(a, w, y + r, 2, wd - 3, end,
                cmd_failed(&p->c) ? th->attr[ROLE_CRIT] | A_BOLD : th->attr[ROLE_DIM]);
    }
}

/* ---- keys ---- */

static void on_search(struct app *a, const char *text, int submit, void *ud)
{
    (void)a;
    (void)submit;
    struct cmdsv *v = ud;
    snprintf(v->pane.search, sizeof v->pane.search, "%s", text ? text : "");
    v->pane.match = -1; /* a new search starts from the screen */
}

static void find(struct cmdsv *v, int dir)
{
    struct cmd_pane *p = &v->pane;
    struct cmd_output *o = out_of(v);
    size_t n = shown(v);
    if (!p->search[0] || !o) return;
    int from = p->match >= 0 ? p->match : dir > 0 ? p->top - 1 : p->top + 1;
    /* from the screen on, then around from the other end (like vim's wrapscan) */
    for (int k = 1; k <= (int)n; k++) {
        int i = ((from + dir * k) % (int)n + (int)n) % (int)n;
        if (o->v[i].text && log_find_ci(o->v[i].text, p->search)) {
            p->match = i;
            p->stick = 0;
            p->top = i > 2 ? i - 2 : 0;
            return;
        }
    }
    app_status(v->app, STATUS_INFO, _("no more matches for \"%s\""), p->search);
}

static void on_save(struct app *a, const char *text, int submit, void *ud)
{
    struct cmdsv *v = ud;
    struct cmd_output *o = out_of(v);
    if (!submit || !text || !*text || !o) return;
    int fd = open(text, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    int e = errno;
    size_t n = shown(v);
    for (size_t i = 0; fp && i < n; i++) {
        const struct cmd_line *l = &o->v[i];
        fprintf(fp, "%s%s\n", l->is_stderr ? "stderr: " : "",
                l->marker ? _("[output truncated: command exceeded log capture limit]")
                          : (l->text ? l->text : ""));
    }
    if (fp && fclose(fp) == 0)
        app_status(a, STATUS_INFO, _("%zu lines saved to %s"), n, text);
    else {
        if (!fp && fd >= 0) close(fd);
        app_status(a, STATUS_ERROR, _("cannot save to %s: %s"), text, strerror(e ? e : errno));
    }
}

int cmd_pane_key(struct cmdsv *v, int ch, int is_key)
{
    struct cmd_pane *p = &v->pane;
    int d = 0;
    if (is_key) {
        if (ch == KEY_DOWN)
            d = 1;
        else if (ch == KEY_UP)
            d = -1;
        else if (ch == KEY_NPAGE)
            d = 10;
        else if (ch == KEY_PPAGE)
            d = -10;
        else if (ch == KEY_END) {
            p->stick = 1;
            return 1;
        } else if (ch == KEY_HOME) {
            p->stick = 0;
            p->top = 0;
            return 1;
        } else
            return 0;
    } else {
        switch (ch) {
        case 'j':
            d = 1;
            break;
        case 'k':
            d = -1;
            break;
        case ' ':
            d = 10;
            break;
        case 'b':
            d = -10;
            break;
        case 'g':
            p->stick = 0;
            p->top = 0;
            return 1;
        case 'G':
            p->stick = 1;
            return 1;
        case '/':
            app_prompt(v->app, _("search: "), p->search, NULL, on_search, v);
            return 1;
        case 'n':
            find(v, 1);
            return 1;
        case 'N':
            find(v, -1);
            return 1;
        case 'w': {
            char def[300];
            snprintf(def, sizeof def, "boxtop-%.100s-pid%u.txt", v->id, p->c.pid);
            app_prompt(v->app, _("save the output to: "), def, NULL, on_save, v);
            return 1;
        }
        default:
            return 0;
        }
    }
    p->stick = 0;
    p->top += d;
    if (p->top < 0) p->top = 0;
    if ((size_t)p->top >= shown(v)) p->stick = 1;
    return 1;
}
