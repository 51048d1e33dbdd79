/* view_logs.c - one sandbox's logs (v2 logs API): follow mode polls forward from the newest line
 * every LOGS_POLL_MS and appends what arrives; moving the cursor above the first line pages
 * back (backward from the oldest kept). Level filter, `/` search with highlighted matches,
 * wrap, local/UTC time and saving to a file. The lines are sanitized once on arrival
 * (view_logs_store.c), so drawing is plain text. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boxtop/grow.h"
#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "boxtop/sanitize.h"
#include "app.h"
#include "backend_fetch.h"
#include "views/logs_store.h"

#define LOGS_POLL_MS  1000
#define LOGS_PAGE     1000
#define WRAP_ROWS_MAX 40 /* rows one wrapped line may take (the rest is cut) */

enum fetch_kind { F_NONE = 0, F_FIRST, F_FORWARD, F_BACKWARD };

struct logsv {
    struct view base;
    struct app *app;
    char *id;
    struct log_store st;
    struct bfetch *call;
    enum fetch_kind kind;
    int64_t timer;
    int follow; /* poll for new lines */
    int stick;  /* keep the cursor on the newest line */
    int cur;    /* cursor: index among the visible lines */
    int top;    /* first visible line drawn */
    int min_level;
    char search[128];
    int wrap, utc;
    int at_start; /* no older lines on the server */
    int loaded;
    char err[ERROR_MSG_MAX];
    int *vis; /* indices of visible lines (rebuilt on every change) */
    int nvis, vis_cap;
};

static void logs_fetch(struct logsv *l, enum fetch_kind kind);

static void rebuild(struct logsv *l)
{
    if (GROW_INT(l->vis, l->vis_cap, l->st.n) < 0) return;
    l->nvis = 0;
    for (int i = 0; i < l->st.n; i++)
        if (log_line_visible(&l->st.v[i], l->min_level, l->search, 0)) l->vis[l->nvis++] = i;
    if (l->stick || l->cur >= l->nvis) l->cur = l->nvis ? l->nvis - 1 : 0;
}

/* The line under the cursor, to find it again after older lines were merged in front. */
static void anchor_get(struct logsv *l, int64_t *t, char **stamp)
{
    *t = 0;
    *stamp = NULL;
    if (l->cur < l->nvis) {
        const struct log_line *e = &l->st.v[l->vis[l->cur]];
        *t = e->t_ms;
        *stamp = strdup(e->stamp);
    }
}

static void anchor_set(struct logsv *l, int64_t t, char *stamp)
{
    if (stamp && !l->stick)
        for (int i = 0; i < l->nvis; i++) {
            const struct log_line *e = &l->st.v[l->vis[i]];
            if (e->t_ms == t && !strcmp(e->stamp, stamp)) {
                l->top += i - l->cur;
                l->cur = i;
                break;
            }
        }
    free(stamp);
}

static void on_timer(struct loop *lp, void *ud)
{
    (void)lp;
    struct logsv *l = ud;
    l->timer = 0;
    if (l->follow && !l->call) logs_fetch(l, F_FORWARD);
}

static void arm(struct logsv *l)
{
    if (l->follow && !l->timer) l->timer = loop_timer_add(l->app->loop, LOGS_POLL_MS, on_timer, l);
}

static void on_logs(struct api_result *res, void *ud)
{
    struct logsv *l = ud;
    enum fetch_kind kind = l->kind;
    l->call = NULL;
    l->kind = F_NONE;
    if (res->err.kind == ERROR_NOT_FOUND && !l->loaded) {
        /* a sandbox the server never had: say so instead of showing an empty view */
        if (app_top(l->app) == &l->base) {
            struct app *a = l->app;
            char id[128];
            snprintf(id, sizeof id, "%s", l->id);
            app_pop_view(a); /* frees l; the message then belongs to the view below */
            app_status(a, STATUS_ERROR, _("not found: %s"), id);
            return;
        }
        app_status(l->app, STATUS_ERROR, _("not found: %s"), l->id);
        snprintf(l->err, sizeof(l->err), "%s", res->err.msg);
        l->follow = 0;
    } else if (res->err.kind != ERROR_NONE) {
        snprintf(l->err, sizeof(l->err), "%s", res->err.msg);
    } else {
        l->err[0] = '\0';
        int64_t t;
        char *stamp;
        anchor_get(l, &t, &stamp);
        int added = log_store_add(&l->st, &res->logs);
        l->loaded = 1;
        rebuild(l);
        anchor_set(l, t, stamp);
        if (kind == F_FIRST && res->logs.n < LOGS_PAGE) l->at_start = 1;
        if (kind == F_BACKWARD && added <= 0) l->at_start = 1;
        /* a full page forward: more is waiting, fetch it now */
        if (kind == F_FORWARD && res->logs.n >= LOGS_PAGE) {
            logs_fetch(l, F_FORWARD);
            app_dirty(l->app, DIRTY_MAIN);
            return;
        }
    }
    arm(l);
    app_dirty(l->app, DIRTY_MAIN);
}

static void logs_fetch(struct logsv *l, enum fetch_kind kind)
{
    if (l->call) return;
    struct api_logs_query q = {.limit = LOGS_PAGE};
    if (kind == F_FORWARD && l->st.n) {
        q.cursor_ms = l->st.v[l->st.n - 1].t_ms; /* inclusive: the store drops the repeat */
        q.direction = "forward";
    } else if (kind == F_BACKWARD && l->st.n) {
        q.cursor_ms = l->st.v[0].t_ms;
        q.direction = "backward";
    } else {
        kind = F_FIRST;
    }
    struct error err = {0};
    l->kind = kind;
    l->call = bfetch_logs(l->app->be, l->id, &q, on_logs, l, &err);
    if (!l->call) {
        l->kind = F_NONE;
        snprintf(l->err, sizeof(l->err), "%s", err.msg);
    }
}

/* ---- drawing ------------------------------------------------------------------------------ */

/* Draw text[0..len) from x within cols columns, matches of needle in hl. Returns the bytes
 * drawn (a wrapped line continues there). The text is already sanitized. */
static size_t draw_hl(WINDOW *w, int y, int x, int cols, const char *text, size_t len,
                      const char *needle, attr_t attr, attr_t hl)
{
    size_t pos = 0, nl = needle ? strlen(needle) : 0;
    int used = 0;
    while (pos < len && used < cols) {
        const char *m = nl ? log_find_ci(text + pos, needle) : NULL;
        if (m && (size_t)(m - text) >= len) m = NULL;
        size_t end = m ? (size_t)(m - text) : len;
        for (int pass = 0; pass < 2; pass++) {
            size_t seg = pass ? (m ? nl : 0) : end - pos;
            if (!seg) continue;
            if (pos + seg > len) seg = len - pos;
            int u = 0;
            size_t k = sanitize_fit(text + pos, seg, cols - used, &u);
            if (!k) return pos;
            attr_t at = pass ? hl : attr;
            wattr_set(w, at & ~A_COLOR, (short)PAIR_NUMBER(at), NULL);
            mvwaddnstr(w, y, x + used, text + pos, (int)k);
            pos += k;
            used += u;
            if (k < seg) {
                wattr_set(w, A_NORMAL, 0, NULL);
                return pos;
            }
        }
        if (!m) break;
    }
    wattr_set(w, A_NORMAL, 0, NULL);
    return pos;
}

static attr_t level_attr(const struct theme *th, int level)
{
    return level >= LOG_ENTRY_ERROR  ? th->attr[ROLE_CRIT]
           : level == LOG_ENTRY_WARN ? th->attr[ROLE_WARN]
           : level == LOG_ENTRY_INFO ? th->attr[ROLE_NORMAL]
                                     : th->attr[ROLE_DIM];
}

#define PREFIX_COLS 21 /* " HH:MM:SS.mmmZ LEVEL " */

static int line_rows(struct logsv *l, int i, int tw)
{
    if (!l->wrap || tw <= 0) return 1;
    const char *t = l->st.v[l->vis[i]].text;
    int cols = sanitize_width(t, strlen(t));
    int r = cols / tw + (cols % tw ? 1 : 0);
    return r < 1 ? 1 : r > WRAP_ROWS_MAX ? WRAP_ROWS_MAX : r;
}

static const char *level_names[] = {N_("debug"), N_("info"), N_("warn"), N_("error")};

static void lg_draw(struct view *vv, struct app *a, WINDOW *w, int h, int wd)
{
    struct logsv *l = (struct logsv *)vv;
    const struct theme *th = &a->theme;
    struct buf t = BUF_INIT;
    buf_printf(&t, _("Logs %s"), l->id);
    buf_printf(&t, "  [%s]", l->follow ? _("following") : _("paused"));
    buf_printf(&t, _("  level ≥ %s"), _(level_names[l->min_level]));
    buf_printf(&t, _("  %d of %d lines"), l->nvis, l->st.n);
    if (l->search[0]) buf_printf(&t, _("  search: %s"), l->search);
    if (l->wrap) buf_printf(&t, "  %s", _("wrap"));
    buf_printf(&t, "  %s", l->utc ? "UTC" : _("local time"));
    int x = ui_text(a, w, 0, 1, wd - 2, buf_cstr(&t), th->attr[ROLE_ACCENT] | A_BOLD);
    buf_free(&t);
    if (l->err[0]) ui_text(a, w, 0, x + 3, wd - x - 4, l->err, th->attr[ROLE_CRIT]);
    int rows = h - 1, tw = wd - PREFIX_COLS - 1;
    if (!l->loaded) {
        ui_text(a, w, 2, 2, wd - 4, l->err[0] ? _("cannot load the logs") : _("loading…"),
                th->attr[ROLE_DIM]);
        return;
    }
    if (!l->nvis) {
        ui_text(a, w, 2, 2, wd - 4,
                l->st.n ? _("no line matches the filter") : _("no log lines yet"),
                th->attr[ROLE_DIM]);
        return;
    }
    int y0 = 1;
    if (!l->at_start && l->cur == 0 && l->top == 0) {
        ui_text(a, w, 1, 2, wd - 4, _("↑ older lines: move up to load them"), th->attr[ROLE_DIM]);
        y0 = 2;
        rows--;
    }
    /* keep the cursor on screen: top ≤ cur, and the rows from top to cur fit (counted up
     * from the cursor, so only one screenful of lines is measured) */
    if (l->top > l->cur) l->top = l->cur;
    int used = 0, up = l->cur;
    while (up >= 0) {
        int r = line_rows(l, up, tw);
        if (used + r > rows && up < l->cur) break;
        used += r;
        up--;
    }
    if (l->top < up + 1) l->top = up + 1;
    int y = y0;
    attr_t hl = th->attr[ROLE_MARK] | A_REVERSE | A_BOLD;
    for (int i = l->top; i < l->nvis && y < y0 + rows; i++) {
        const struct log_line *e = &l->st.v[l->vis[i]];
        char ts[32];
        log_fmt_time(ts, sizeof(ts), e->t_ms, l->utc);
        attr_t base = i == l->cur ? th->attr[ROLE_SELECTED] : th->attr[ROLE_NORMAL];
        if (i == l->cur) ui_fill(w, y, 0, wd, base);
        ui_text(a, w, y, 1, 13, ts, i == l->cur ? base : th->attr[ROLE_DIM]);
        ui_text(a, w, y, 15, 5, log_level_label(e->level),
                i == l->cur ? base : level_attr(th, e->level));
        size_t len = strlen(e->text), pos = 0;
        int r = 0, max = line_rows(l, i, tw);
        do {
            pos += draw_hl(w, y, PREFIX_COLS, tw, e->text + pos, len - pos, l->search, base, hl);
            y++;
            r++;
        } while (l->wrap && pos < len && r < max && y < y0 + rows);
    }
}

/* ---- keys ------------------------------------------------------------------------------- */

static void move_cur(struct logsv *l, int delta)
{
    if (l->cur + delta < 0 && !l->at_start) logs_fetch(l, F_BACKWARD);
    l->cur += delta;
    if (l->cur < 0) l->cur = 0;
    if (l->cur >= l->nvis) l->cur = l->nvis ? l->nvis - 1 : 0;
    l->stick = l->cur == (l->nvis ? l->nvis - 1 : 0) && delta > 0;
}

static void on_search(struct app *a, const char *text, int submit, void *ud)
{
    (void)submit;
    struct logsv *l = ud;
    snprintf(l->search, sizeof(l->search), "%s", text ? text : "");
    if (!text) l->search[0] = '\0';
    app_dirty(a, DIRTY_MAIN);
}

/* Jump to the next (dir 1) or previous (-1) line that matches the search. */
static void find_next(struct logsv *l, int dir)
{
    if (!l->search[0]) return;
    for (int i = l->cur + dir; i >= 0 && i < l->nvis; i += dir)
        if (log_find_ci(l->st.v[l->vis[i]].text, l->search)) {
            l->cur = i;
            l->stick = 0;
            return;
        }
    app_status(l->app, STATUS_INFO, _("no more matches for \"%s\""), l->search);
}

static void on_save(struct app *a, const char *text, int submit, void *ud)
{
    struct logsv *l = ud;
    if (!submit || !text || !*text) return;
    struct buf out = BUF_INIT;
    if (log_store_format(&l->st, l->min_level, l->search, 0, l->utc, &out) < 0)
        app_status(a, STATUS_ERROR, _("cannot save to %s: %s"), text, strerror(ENOMEM));
    else
        app_save_text(a, text, &out, (size_t)l->nvis);
    buf_free(&out);
}

static int lg_key(struct view *vv, struct app *a, int ch, int is_key)
{
    struct logsv *l = (struct logsv *)vv;
    int page = getmaxy(a->w_main) - 2;
    if (page < 1) page = 1;
    if (is_key) {
        int d;
        if (!ui_nav_delta(ch, page, l->nvis, &d)) return 0;
        move_cur(l, d);
        if (ch == KEY_END) l->stick = 1; /* follow new lines from the end */
        app_dirty(a, DIRTY_MAIN);
        return 1;
    }
    switch (ch) {
    case 'j':
        move_cur(l, 1);
        break;
    case 'k':
        move_cur(l, -1);
        break;
    case 6: /* Ctrl-F */
    case ' ':
        move_cur(l, page);
        break;
    case 2: /* Ctrl-B */
    case 'b':
        move_cur(l, -page);
        break;
    case 'g':
        move_cur(l, -l->nvis - 1);
        break;
    case 'G':
        move_cur(l, l->nvis);
        l->stick = 1;
        break;
    case 'f':
        l->follow = !l->follow;
        if (l->follow) {
            l->stick = 1;
            rebuild(l);
            arm(l);
        } else if (l->timer) {
            loop_timer_cancel(a->loop, l->timer);
            l->timer = 0;
        }
        break;
    case 'L':
        l->min_level = (l->min_level + 1) % 4;
        rebuild(l);
        break;
    case '1':
    case '2':
    case '3':
    case '4':
        l->min_level = ch - '1';
        rebuild(l);
        break;
    case '/':
        app_prompt(a, _("search: "), l->search, NULL, on_search, l);
        return 1;
    case 'n':
        find_next(l, 1);
        break;
    case 'N':
        find_next(l, -1);
        break;
    case 'W':
        l->wrap = !l->wrap;
        break;
    case 'T':
        l->utc = !l->utc;
        break;
    case 'w': {
        char def[300];
        snprintf(def, sizeof(def), "boxtop-logs-%.200s.txt", l->id);
        app_prompt(a, _("save visible lines to: "), def, NULL, on_save, l);
        return 1;
    }
    case 'R':
        if (!l->call) logs_fetch(l, l->st.n ? F_FORWARD : F_FIRST);
        break;
    default:
        return 0;
    }
    app_dirty(a, DIRTY_MAIN);
    return 1;
}

static const char *lg_footer(struct view *vv)
{
    (void)vv;
    return _("f follow  L/1-4 level  / search  n/N next  W wrap  T UTC  w save  Esc back  ? help");
}

static const struct keyhelp lg_help[] = {
    {"j/k ↑/↓ PgUp/PgDn", N_("move; above the first line loads older lines")},
    {"g/G Home/End", N_("first / newest line (G sticks to the newest)")},
    {"f", N_("follow on/off (new lines appear live)")},
    {"L 1 2 3 4", N_("level filter: cycle, or debug / info / warn / error and above")},
    {"/", N_("search (matches are highlighted)")},
    {"n/N", N_("next / previous match")},
    {"W", N_("wrap long lines on/off")},
    {"T", N_("timestamps in UTC or local time")},
    {"w", N_("save the lines shown to a file")},
    {"R", N_("reload now")},
};

static const struct keyhelp *lg_helpfn(struct view *vv, int *n)
{
    (void)vv;
    *n = (int)(sizeof(lg_help) / sizeof(lg_help[0]));
    return lg_help;
}

static void lg_destroy(struct view *vv)
{
    struct logsv *l = (struct logsv *)vv;
    bfetch_cancel(l->call);
    if (l->timer) loop_timer_cancel(l->app->loop, l->timer);
    log_store_free(&l->st);
    free(l->vis);
    free(l->id);
    free(l);
}

static const struct view_ops lg_ops = {
    .name = N_("logs"),
    .draw = lg_draw,
    .key = lg_key,
    .footer = lg_footer,
    .help = lg_helpfn,
    .destroy = lg_destroy,
};

struct view *view_logs_new(struct app *a, const char *id)
{
    struct logsv *l = calloc(1, sizeof(*l));
    if (!l || !(l->id = strdup(id))) {
        free(l);
        return NULL;
    }
    l->base.ops = &lg_ops;
    l->app = a;
    l->follow = l->stick = 1;
    log_store_init(&l->st, !a->theme.utf8);
    logs_fetch(l, F_FIRST);
    return &l->base;
}
