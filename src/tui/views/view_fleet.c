/* view_fleet.c - `:exec CMD` (key X), `:put LOCAL REMOTE`, `:get REMOTE LOCALDIR` and
 * `:compare PATH` over the marked sandboxes (issue 18): a results table that fills in as the
 * sandboxes finish, at most BOXTOP_PARALLEL (default 8) at a time.
 *
 * Table: sandbox, exit code (or state), duration, output size, first line of output. Enter
 * shows one sandbox's whole output; `/` filters (words, exit:!0, exit:N, state:failed); `w`
 * saves every output into a directory, one file per sandbox; Esc cancels the running ones
 * (asks) and then goes back. :compare fetches PATH from each into a private temporary
 * directory, groups the copies by SHA-256 and diffs two chosen groups line by line (Space
 * picks, d diffs). Everything drawn from a sandbox passes ui_text (the sanitizer). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "boxtop/fleet.h"
#include "boxtop/fleet_compare.h"
#include "boxtop/i18n.h"
#include "app.h"
#include "backend_fleet.h"

enum fmode { FM_TABLE = 0, FM_OUTPUT, FM_DIFF };

struct fleetv {
    struct view base;
    struct app *a;
    enum fleet_op op;
    int compare;
    char *what; /* the command or the paths (raw) */
    struct fleet *f;
    int over;
    char filter[128];
    int *rows, n_rows;
    int sel, top;
    enum fmode mode;
    int open, scroll;
    char *tmpdir; /* :compare's copies */
    struct fleet_group *groups;
    int n_groups, gsel, gpick[2];
    char cmp_err[ERROR_MSG_MAX];
    struct buf diff;
};

/* ---- rows and the filter ----------------------------------------------------------------- */

static int word_match(const struct fleet_item *it, const char *w, size_t l)
{
    if (l > 5 && !strncmp(w, "exit:", 5)) {
        const char *v = w + 5;
        size_t vl = l - 5;
        int neg = vl && *v == '!';
        if (neg) {
            v++;
            vl--;
        }
        char num[16];
        snprintf(num, sizeof num, "%.*s", (int)(vl < 15 ? vl : 15), v);
        int code = atoi(num);
        int is = it->state == FLEET_DONE && it->exit_code == code;
        /* exit:!0 also holds the ones that never exited (failed, cancelled) */
        if (neg) return it->state >= FLEET_DONE && !is;
        return is;
    }
    if (l > 6 && !strncmp(w, "state:", 6)) {
        static const char *const names[] = {"queued", "running", "done", "failed", "cancelled"};
        return strlen(names[it->state]) >= l - 6 && !strncmp(names[it->state], w + 6, l - 6);
    }
    char first[512];
    fleet_first_line(it, first, sizeof first);
    for (const char *hay[] = {it->id, first, it->err}, **h = hay; h < hay + 3; h++)
        for (const char *p = *h; *p; p++)
            if (!strncasecmp(p, w, l)) return 1;
    return 0;
}

static void rows_build(struct fleetv *v)
{
    int n = fleet_count(v->f);
    if (!v->rows) v->rows = calloc((size_t)(n ? n : 1), sizeof *v->rows);
    v->n_rows = 0;
    for (int i = 0; v->rows && i < n; i++) {
        const struct fleet_item *it = fleet_item(v->f, i);
        int ok = 1;
        for (const char *p = v->filter; ok && *p;) {
            while (*p == ' ')
                p++;
            size_t l = strcspn(p, " ");
            if (l) ok = word_match(it, p, l);
            p += l;
        }
        if (ok) v->rows[v->n_rows++] = i;
    }
    if (v->sel >= v->n_rows) v->sel = v->n_rows ? v->n_rows - 1 : 0;
}

static const struct fleet_item *sel_item(struct fleetv *v)
{
    return v->sel < v->n_rows ? fleet_item(v->f, v->rows[v->sel]) : NULL;
}

/* ---- drawing ----------------------------------------------------------------------------- */

static const char *op_name(const struct fleetv *v)
{
    return v->compare            ? "compare"
           : v->op == FLEET_EXEC ? "exec"
           : v->op == FLEET_PUT  ? "put"
                                 : "get";
}

static void fmt_secs(char *out, size_t n, int64_t ms)
{
    if (ms < 60000)
        snprintf(out, n, "%.1fs", (double)ms / 1000);
    else
        ui_fmt_duration(out, n, ms);
}

static void title_line(struct fleetv *v, struct app *a, WINDOW *w, int wd)
{
    const struct theme *th = &a->theme;
    int n = fleet_count(v->f), done = 0, run = 0, nonzero = 0;
    for (int i = 0; i < n; i++) {
        const struct fleet_item *it = fleet_item(v->f, i);
        done += it->state >= FLEET_DONE;
        run += it->state == FLEET_RUNNING;
        nonzero += it->state > FLEET_DONE || (it->state == FLEET_DONE && it->exit_code);
    }
    char t[600];
    int k = snprintf(t, sizeof t, _(" %s %s   %d sandboxes: %d done, %d running, %d queued"),
                     op_name(v), v->what, n, done, run, n - done - run);
    if (nonzero && k < (int)sizeof t)
        k += snprintf(t + k, sizeof t - (size_t)k, _("   failed or exit≠0: %d"), nonzero);
    if (v->filter[0] && k < (int)sizeof t)
        snprintf(t + k, sizeof t - (size_t)k, _("   filter: %s"), v->filter);
    ui_fill(w, 0, 0, wd, th->attr[ROLE_TITLE]);
    ui_text(a, w, 0, 0, wd, t, th->attr[ROLE_TITLE]);
}

static void draw_table(struct fleetv *v, struct app *a, WINDOW *w, int h, int wd, int y0)
{
    const struct theme *th = &a->theme;
    /* by display columns: German states ("fehlgeschlagen") and titles are longer */
    struct ui_fcol cols[] = {
        {N_("SANDBOX"), 24, 0}, {N_("EXIT"), 8, 0}, {N_("DURATION"), 9, 1}, {N_("OUTPUT"), 8, 1}};
    enum { NC = sizeof cols / sizeof *cols };
    const char *states[] = {_("ok"), _("running"), _("failed"), _("cancel"), _("queued")};
    for (size_t i = 0; i < sizeof states / sizeof *states; i++) {
        char t[8];
        int sw = ui_fit(a, states[i], 20, t, sizeof t);
        if (sw > cols[1].w) cols[1].w = sw;
    }
    ui_fcols_fit(a, cols, NC);
    const char *titles[] = {_(cols[0].title), _(cols[1].title), _(cols[2].title), _(cols[3].title)};
    struct buf hdr = BUF_INIT;
    ui_fcols_line(a, &hdr, cols, NC, titles);
    buf_printf(&hdr, "  %s", v->op == FLEET_EXEC ? _("FIRST LINE") : _("FILE / ERROR"));
    ui_text(a, w, y0, 1, wd - 2, buf_cstr(&hdr), th->attr[ROLE_HEADER]);
    buf_free(&hdr);
    int rows = h - y0 - 1;
    if (!v->n_rows)
        ui_text(a, w, y0 + 2, 2, wd - 4, _("no sandbox matches the filter"), th->attr[ROLE_DIM]);
    if (v->sel < v->top) v->top = v->sel;
    if (rows > 0 && v->sel >= v->top + rows) v->top = v->sel - rows + 1;
    int64_t now = loop_now_ms();
    for (int r = 0; r < rows && v->top + r < v->n_rows; r++) {
        const struct fleet_item *it = fleet_item(v->f, v->rows[v->top + r]);
        char ex[24], dur[24], out[16], first[512];
        switch (it->state) {
        case FLEET_DONE:
            if (v->op == FLEET_EXEC)
                snprintf(ex, sizeof ex, "%d", it->exit_code);
            else
                snprintf(ex, sizeof ex, "%s", _("ok"));
            break;
        case FLEET_RUNNING:
            snprintf(ex, sizeof ex, "%s", _("running"));
            break;
        case FLEET_FAILED:
            snprintf(ex, sizeof ex, "%s", _("failed"));
            break;
        case FLEET_CANCELLED:
            snprintf(ex, sizeof ex, "%s", _("cancel"));
            break;
        default:
            snprintf(ex, sizeof ex, "%s", _("queued"));
        }
        if (it->started_ms)
            fmt_secs(dur, sizeof dur, (it->ended_ms ? it->ended_ms : now) - it->started_ms);
        else
            snprintf(dur, sizeof dur, "-");
        ui_fmt_bytes(out, sizeof out, it->out_bytes);
        if (it->state == FLEET_FAILED)
            snprintf(first, sizeof first, "%s", it->err);
        else if (v->op == FLEET_GET)
            snprintf(first, sizeof first, "%s", it->local_path ? it->local_path : "");
        else
            fleet_first_line(it, first, sizeof first);
        const char *cells[] = {it->id, ex, dur, out};
        struct buf line = BUF_INIT;
        ui_fcols_line(a, &line, cols, NC, cells);
        buf_append_str(&line, "  ");
        int y = y0 + 1 + r, is_sel = v->top + r == v->sel;
        attr_t at = is_sel ? th->attr[ROLE_SELECTED]
                    : it->state == FLEET_FAILED || (it->state == FLEET_DONE && it->exit_code)
                        ? th->attr[ROLE_CRIT]
                    : it->state == FLEET_RUNNING || it->state == FLEET_QUEUED
                        ? th->attr[ROLE_DIM]
                        : th->attr[ROLE_NORMAL];
        ui_fill(w, y, 0, wd, at);
        int used = ui_text(a, w, y, 1, wd - 2, buf_cstr(&line), at);
        buf_free(&line);
        /* the sandbox's text goes through the sanitizer on its own (ui_text) */
        ui_text(a, w, y, 1 + used, wd - 2 - used, first, at);
    }
}

static void draw_lines(struct app *a, WINDOW *w, int h, int wd, int y0, const char *text,
                       size_t len, int scroll)
{
    const struct theme *th = &a->theme;
    int line = 0, y = y0;
    const char *p = text, *end = text + len;
    while (p < end && y < h) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (line++ >= scroll) {
            char *s = strndup(p, l);
            attr_t at = th->attr[ROLE_NORMAL];
            if (s && s[0] == '-' && s[1] == ' ') at = th->attr[ROLE_CRIT];
            if (s && s[0] == '+' && s[1] == ' ') at = th->attr[ROLE_OK];
            ui_text(a, w, y++, 1, wd - 2, s ? s : "", at);
            free(s);
        }
        p += l + 1;
    }
}

static void draw_output(struct fleetv *v, struct app *a, WINDOW *w, int h, int wd)
{
    const struct theme *th = &a->theme;
    const struct fleet_item *it = fleet_item(v->f, v->open);
    if (!it) return;
    char t[400], dur[24];
    fmt_secs(dur, sizeof dur, (it->ended_ms ? it->ended_ms : loop_now_ms()) - it->started_ms);
    if (it->state == FLEET_DONE)
        snprintf(t, sizeof t, _(" %s  exit %d  %s  %lld bytes of output"), it->id, it->exit_code,
                 dur, (long long)it->out_bytes);
    else
        snprintf(t, sizeof t, _(" %s  %s  %lld bytes of output"), it->id,
                 it->state == FLEET_RUNNING ? _("running") : it->err, (long long)it->out_bytes);
    ui_fill(w, 0, 0, wd, th->attr[ROLE_TITLE]);
    ui_text(a, w, 0, 0, wd, t, th->attr[ROLE_TITLE]);
    if (it->out_bytes > (int64_t)it->out.len)
        ui_text(a, w, 1, 1, wd - 2, _("(only the first 1 MiB is kept)"), th->attr[ROLE_DIM]);
    draw_lines(a, w, h, wd, 2, buf_cstr(&it->out), it->out.len, v->scroll);
}

static void draw_groups(struct fleetv *v, struct app *a, WINDOW *w, int h, int wd)
{
    const struct theme *th = &a->theme;
    char t[400];
    snprintf(t, sizeof t, _(" compare %s   %d sandboxes, %d fetched: %d groups"), v->what,
             fleet_count(v->f), fleet_finished(v->f), v->n_groups);
    ui_fill(w, 0, 0, wd, th->attr[ROLE_TITLE]);
    ui_text(a, w, 0, 0, wd, t, th->attr[ROLE_TITLE]);
    /* by display columns: "GRÖSSE" is 6 columns in 7 bytes */
    struct ui_fcol cols[] = {{"", 1, 0},
                             {N_("GROUP"), 5, 0},
                             {N_("SHA-256"), 16, 0},
                             {N_("SIZE"), 8, 1},
                             {N_("COPIES"), 6, 1}};
    enum { NC = sizeof cols / sizeof *cols };
    ui_fcols_fit(a, cols + 1, NC - 1);
    const char *titles[] = {"", _(cols[1].title), _(cols[2].title), _(cols[3].title),
                            _(cols[4].title)};
    struct buf hdr = BUF_INIT;
    ui_fcols_line(a, &hdr, cols, NC, titles);
    buf_printf(&hdr, "  %s", _("SANDBOXES"));
    ui_text(a, w, 1, 1, wd - 2, buf_cstr(&hdr), th->attr[ROLE_HEADER]);
    buf_free(&hdr);
    if (v->cmp_err[0]) ui_text(a, w, 2, 2, wd - 4, v->cmp_err, th->attr[ROLE_CRIT]);
    int y = 2 + (v->cmp_err[0] != 0);
    for (int g = 0; g < v->n_groups && y < h; g++, y++) {
        const struct fleet_group *gr = &v->groups[g];
        char size[16], num[16], sha[17], copies[16];
        ui_fmt_bytes(size, sizeof size, gr->size);
        int picked = v->gpick[0] == g || v->gpick[1] == g;
        snprintf(num, sizeof num, "#%d", g + 1);
        snprintf(sha, sizeof sha, "%.16s", gr->sha256);
        snprintf(copies, sizeof copies, "%d", gr->n);
        const char *cells[] = {picked ? "*" : " ", num, sha, size, copies};
        struct buf line = BUF_INIT;
        ui_fcols_line(a, &line, cols, NC, cells);
        buf_append_str(&line, "  ");
        struct buf ids = BUF_INIT;
        for (int k = 0; k < gr->n; k++)
            buf_printf(&ids, "%s%s", k ? " " : "", fleet_item(v->f, gr->members[k])->id);
        attr_t at = g == v->gsel ? th->attr[ROLE_SELECTED]
                    : picked     ? th->attr[ROLE_MARK]
                                 : th->attr[ROLE_NORMAL];
        ui_fill(w, y, 0, wd, at);
        int used = ui_text(a, w, y, 1, wd - 2, buf_cstr(&line), at);
        buf_free(&line);
        ui_text(a, w, y, 1 + used, wd - 2 - used, buf_cstr(&ids), at);
        buf_free(&ids);
    }
    /* the sandboxes the file could not be fetched from */
    for (int i = 0; i < fleet_count(v->f) && y + 1 < h; i++) {
        const struct fleet_item *it = fleet_item(v->f, i);
        if (it->state != FLEET_FAILED && it->state != FLEET_CANCELLED) continue;
        char line[400];
        snprintf(line, sizeof line, _("not fetched from %s: %s"), it->id,
                 it->state == FLEET_CANCELLED ? _("cancelled") : it->err);
        ui_text(a, w, ++y, 2, wd - 4, line, th->attr[ROLE_WARN]);
    }
}

static void fv_draw(struct view *vv, struct app *a, WINDOW *w, int h, int wd)
{
    struct fleetv *v = (struct fleetv *)vv;
    rows_build(v);
    if (v->mode == FM_OUTPUT) {
        draw_output(v, a, w, h, wd);
    } else if (v->mode == FM_DIFF) {
        ui_fill(w, 0, 0, wd, a->theme.attr[ROLE_TITLE]);
        char t[300];
        snprintf(t, sizeof t, _(" diff of %s: group #%d (-) against group #%d (+)"), v->what,
                 v->gpick[0] + 1, v->gpick[1] + 1);
        ui_text(a, w, 0, 0, wd, t, a->theme.attr[ROLE_TITLE]);
        draw_lines(a, w, h, wd, 1, buf_cstr(&v->diff), v->diff.len, v->scroll);
    } else if (v->compare && v->over) {
        draw_groups(v, a, w, h, wd);
    } else {
        title_line(v, a, w, wd);
        draw_table(v, a, w, h, wd, 1);
    }
}

/* ---- the engine's news ------------------------------------------------------------------- */

static void make_groups(struct fleetv *v)
{
    int n = fleet_count(v->f);
    const char **paths = calloc((size_t)(n ? n : 1), sizeof *paths);
    if (!paths) return;
    for (int i = 0; i < n; i++) {
        const struct fleet_item *it = fleet_item(v->f, i);
        paths[i] = it->state == FLEET_DONE ? it->local_path : NULL;
    }
    struct error err = {0};
    if (fleet_compare_groups(paths, n, &v->groups, &v->n_groups, &err) < 0)
        snprintf(v->cmp_err, sizeof v->cmp_err, "%s", err.msg);
    free(paths);
}

static void on_fleet(struct fleet *f, int i, void *ud)
{
    struct fleetv *v = ud;
    app_dirty(v->a, DIRTY_MAIN);
    if (i >= 0) return;
    v->over = 1;
    app_dirty(v->a, DIRTY_FOOTER); /* :compare's keys change with its groups */
    if (v->compare) make_groups(v);
    int n = fleet_count(f), bad = 0;
    for (int k = 0; k < n; k++) {
        const struct fleet_item *it = fleet_item(f, k);
        bad += it->state != FLEET_DONE || (v->op == FLEET_EXEC && it->exit_code);
    }
    app_status_for(v->a, v, bad ? STATUS_WARN : STATUS_INFO,
                   _("%s finished in %d sandboxes: %d ok, %d failed or exit≠0"), op_name(v), n,
                   n - bad, bad);
}

/* ---- keys -------------------------------------------------------------------------------- */

static void on_filter(struct app *a, const char *text, int submit, void *ud)
{
    (void)submit;
    struct fleetv *v = ud;
    if (text) snprintf(v->filter, sizeof v->filter, "%s", text);
    v->sel = v->top = 0;
    app_dirty(a, DIRTY_MAIN);
}

static int write_file(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) return -1;
    while (len) {
        ssize_t w = write(fd, data, len);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            close(fd);
            return -1;
        }
        data += w;
        len -= (size_t)w;
    }
    return close(fd);
}

static void on_save(struct app *a, const char *text, int submit, void *ud)
{
    struct fleetv *v = ud;
    if (!submit || !text || !text[0]) return;
    if (mkdir(text, 0755) < 0 && errno != EEXIST) {
        app_status(a, STATUS_ERROR, _("cannot create %s: %s"), text, strerror(errno));
        return;
    }
    int n = fleet_count(v->f), saved = 0;
    for (int i = 0; i < n; i++) {
        const struct fleet_item *it = fleet_item(v->f, i);
        if (it->state < FLEET_DONE) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.out", text, it->id);
        if (write_file(path, buf_cstr(&it->out), it->out.len) < 0) {
            app_status(a, STATUS_ERROR, _("cannot write %s: %s"), path, strerror(errno));
            return;
        }
        saved++;
    }
    app_status(a, STATUS_INFO, _("saved %d outputs to %s (one file per sandbox)"), saved, text);
}

static void cancel_confirmed(struct app *a, void *ud)
{
    struct fleetv *v = ud;
    fleet_cancel(v->f);
    app_status(a, STATUS_INFO, _("cancelled the running ones"));
    app_dirty(a, DIRTY_MAIN);
}

static void diff_groups(struct fleetv *v, struct app *a)
{
    if (v->gpick[1] < 0) {
        app_status(a, STATUS_WARN, _("pick two groups with Space first"));
        return;
    }
    const struct fleet_group *g0 = &v->groups[v->gpick[0]], *g1 = &v->groups[v->gpick[1]];
    if (!g0->text || !g1->text) {
        app_status(a, STATUS_WARN, _("binary contents: no line diff"));
        return;
    }
    struct error err = {0};
    buf_reset(&v->diff);
    if (fleet_line_diff(fleet_item(v->f, g0->members[0])->local_path,
                        fleet_item(v->f, g1->members[0])->local_path, &v->diff, &err) < 0) {
        app_status_detail(a, STATUS_ERROR, err.detail, "%s", err.msg);
        return;
    }
    v->mode = FM_DIFF;
    v->scroll = 0;
}

static int groups_key(struct fleetv *v, struct app *a, int ch, int is_key)
{
    if ((!is_key && ch == 'j') || (is_key && ch == KEY_DOWN)) {
        if (v->gsel < v->n_groups - 1) v->gsel++;
    } else if ((!is_key && ch == 'k') || (is_key && ch == KEY_UP)) {
        if (v->gsel > 0) v->gsel--;
    } else if (!is_key && ch == ' ') {
        if (v->gpick[0] == v->gsel)
            v->gpick[0] = v->gpick[1], v->gpick[1] = -1;
        else if (v->gpick[1] == v->gsel)
            v->gpick[1] = -1;
        else if (v->gpick[0] < 0)
            v->gpick[0] = v->gsel;
        else
            v->gpick[1] = v->gsel;
    } else if (!is_key && ch == 'd') {
        diff_groups(v, a);
    } else {
        return 0;
    }
    return 1;
}

static int fv_key(struct view *vv, struct app *a, int ch, int is_key)
{
    struct fleetv *v = (struct fleetv *)vv;
    int down = (!is_key && ch == 'j') || (is_key && ch == KEY_DOWN);
    int up = (!is_key && ch == 'k') || (is_key && ch == KEY_UP);
    int back = !is_key && (ch == 27 || ch == 'q');
    rows_build(v);
    if (v->mode != FM_TABLE) {
        if (down)
            v->scroll++;
        else if (up && v->scroll > 0)
            v->scroll--;
        else if (back)
            v->mode = FM_TABLE;
        else
            return 0;
    } else if (back && fleet_running(v->f) + (fleet_count(v->f) - fleet_finished(v->f)) > 0) {
        app_confirm(a, _("Cancel the commands still running? (y/n)"), cancel_confirmed, v);
    } else if (back) {
        return 0; /* the app goes back */
    } else if (v->compare && v->over) {
        if (!groups_key(v, a, ch, is_key)) return 0;
    } else if (down) {
        if (v->sel < v->n_rows - 1) v->sel++;
    } else if (up) {
        if (v->sel > 0) v->sel--;
    } else if ((!is_key && (ch == '\r' || ch == '\n')) || (is_key && ch == KEY_ENTER)) {
        if (sel_item(v)) {
            v->open = v->rows[v->sel];
            v->mode = FM_OUTPUT;
            v->scroll = 0;
        }
    } else if (!is_key && ch == '/') {
        app_prompt(a, _("filter (words, exit:!0, exit:N, state:failed):"), v->filter, NULL,
                   on_filter, v);
    } else if (!is_key && ch == 'w') {
        char def[64];
        time_t t = time(NULL);
        struct tm tm;
        localtime_r(&t, &tm);
        strftime(def, sizeof def, "boxtop-exec-%Y%m%d-%H%M%S", &tm);
        app_prompt(a, _("save the outputs into directory:"), def, NULL, on_save, v);
    } else {
        return 0;
    }
    app_dirty(a, DIRTY_MAIN | DIRTY_FOOTER);
    return 1;
}

static int fv_needs_clock(struct view *vv, struct app *a)
{
    (void)a;
    struct fleetv *v = (struct fleetv *)vv;
    return !v->over; /* running durations count */
}

static const char *fv_footer(struct view *vv)
{
    struct fleetv *v = (struct fleetv *)vv;
    if (v->mode != FM_TABLE) return _("j/k scroll  Esc back");
    if (v->compare && v->over)
        return _("j/k move  Space pick a group  d diff two groups  Esc back");
    return _("j/k move  Enter output  / filter (exit:!0)  w save outputs  Esc cancel/back");
}

static const struct keyhelp fv_keys[] = {
    {"Enter", N_("one sandbox's whole output")},
    {"/", N_("filter: words, exit:!0, exit:N, state:failed")},
    {"w", N_("save every output into a directory, one file per sandbox")},
    {"Esc", N_("cancel the running ones (asks), then back")},
    {"Space d", N_("compare: pick two groups, line diff")},
};

static const struct keyhelp *fv_help(struct view *v, int *n)
{
    (void)v;
    *n = (int)(sizeof fv_keys / sizeof fv_keys[0]);
    return fv_keys;
}

/* :compare's copies go with the view */
static void remove_copies(struct fleetv *v)
{
    if (!v->tmpdir) return;
    for (int i = 0; i < fleet_count(v->f); i++) {
        const struct fleet_item *it = fleet_item(v->f, i);
        if (it->local_path) unlink(it->local_path);
    }
    rmdir(v->tmpdir);
    free(v->tmpdir);
    v->tmpdir = NULL;
}

static void fv_destroy(struct view *vv)
{
    struct fleetv *v = (struct fleetv *)vv;
    fleet_cancel(v->f); /* what still runs is cancelled (killed in its sandbox) */
    remove_copies(v);   /* needs the items: before fleet_free */
    fleet_free(v->f);
    fleet_groups_free(v->groups, v->n_groups);
    buf_free(&v->diff);
    free(v->rows);
    free(v->what);
    free(v);
}

static const struct view_ops fleet_ops = {
    .name = "fleet",
    .draw = fv_draw,
    .key = fv_key,
    .footer = fv_footer,
    .help = fv_help,
    .needs_clock = fv_needs_clock,
    .destroy = fv_destroy,
};

/* "A B" -> a, b (the first word, the rest) */
static int two_args(const char *arg, char **x, char **y)
{
    while (*arg == ' ')
        arg++;
    size_t l = strcspn(arg, " ");
    const char *r = arg + l;
    while (*r == ' ')
        r++;
    if (!l || !*r) return -1;
    *x = strndup(arg, l);
    *y = strdup(r);
    return *x && *y ? 0 : -1;
}

void fleet_view_run(struct app *a, const char *op, const char *arg, const char *const *ids, int n)
{
    struct fleetv *v = calloc(1, sizeof *v);
    char *x = NULL, *y = NULL;
    struct error err = {0};
    if (!v) return;
    v->a = a;
    v->base.ops = &fleet_ops;
    v->gpick[0] = v->gpick[1] = -1;
    struct fleet_opts o = {.op = FLEET_EXEC};
    const char *env = getenv("BOXTOP_PARALLEL");
    o.parallel = env ? atoi(env) : 0;
    while (*arg == ' ')
        arg++;
    if (!strcmp(op, "exec")) {
        if (!*arg) {
            app_status(a, STATUS_WARN, _("usage: :exec COMMAND"));
            goto fail;
        }
        o.cmd = arg;
        v->what = strdup(arg);
    } else if (!strcmp(op, "put") || !strcmp(op, "get")) {
        if (two_args(arg, &x, &y) < 0) {
            app_status(a, STATUS_WARN,
                       !strcmp(op, "put") ? _("usage: :put LOCAL REMOTE")
                                          : _("usage: :get REMOTE LOCALDIR"));
            goto fail;
        }
        o.op = !strcmp(op, "put") ? FLEET_PUT : FLEET_GET;
        o.local = o.op == FLEET_PUT ? x : y;
        o.remote = o.op == FLEET_PUT ? y : x;
        struct buf w = BUF_INIT;
        buf_printf(&w, "%s → %s", x, y);
        v->what = buf_steal(&w);
    } else { /* compare */
        if (!*arg) {
            app_status(a, STATUS_WARN, _("usage: :compare PATH"));
            goto fail;
        }
        const char *td = getenv("TMPDIR");
        struct buf t = BUF_INIT;
        buf_printf(&t, "%s/boxtop-compare.XXXXXX", td && *td ? td : "/tmp");
        v->tmpdir = buf_steal(&t);
        if (!v->tmpdir || !mkdtemp(v->tmpdir)) {
            app_status(a, STATUS_ERROR, _("cannot create a temporary directory: %s"),
                       strerror(errno));
            goto fail;
        }
        v->compare = 1;
        o.op = FLEET_GET;
        o.remote = arg;
        o.local = v->tmpdir;
        v->what = strdup(arg);
    }
    v->op = o.op;
    if ((o.op == FLEET_EXEC || o.op == FLEET_PUT) &&
        app_refuse_readonly(a, o.op == FLEET_EXEC ? _("exec") : _("put")))
        goto fail;
    v->f = backend_fleet_start(a->be, ids, n, &o, on_fleet, v, &err);
    if (!v->f) {
        app_status_detail(a, STATUS_ERROR, err.detail, "%s", err.msg);
        goto fail;
    }
    free(x);
    free(y);
    app_push_view(a, &v->base);
    return;
fail:
    free(x);
    free(y);
    fv_destroy(&v->base);
}
