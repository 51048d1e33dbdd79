/* view_apilog.c - `:api`: every HTTP call boxtop made, newest first (issue 18).
 *
 * Reads the redacted ring of src/e2b/api_log.c; nothing here sees a secret. A slow call
 * (over APILOG_SLOW_MS to its first byte) is drawn as a warning, a failed one (no answer, or
 * a status >= 400) as critical. Enter opens the call (headers and the first 64 KiB of both
 * bodies), `y` copies the equivalent curl command (and boxtop command line, for actions) with
 * OSC 52. While open the view looks for new calls once a second; closed, it costs nothing. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "boxtop/api_log.h"
#include "boxtop/base64.h"
#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "boxtop/sanitize.h"
#include "app.h"

#define APILOG_SLOW_MS 1000

struct apiv {
    struct view base;
    int sel, top;
    uint64_t sel_seq; /* the selected call; 0 = follow the newest */
    uint64_t seen_seq;
    char filter[128];  /* words, all must match "METHOD STATUS PATH"; "failed" = failed */
    int *rows, n_rows; /* ring indices shown (filtered) */
    uint64_t open_seq; /* the call shown in detail, 0 = the list */
    int scroll;
};

static const struct api_log_entry *entry_by_seq(struct app *a, uint64_t seq)
{
    int n = api_log_count(a->api_log);
    for (int i = 0; i < n; i++) {
        const struct api_log_entry *e = api_log_at(a->api_log, i);
        if (e->seq == seq) return e;
        if (e->seq < seq) break;
    }
    return NULL;
}

static int failed(const struct api_log_entry *e)
{
    return (!e->status && !e->cancelled) || e->status >= 400;
}

static void fmt_ms(char *out, size_t n, int64_t ms)
{
    if (ms < 1000)
        snprintf(out, n, "%lldms", (long long)ms);
    else if (ms < 60000)
        snprintf(out, n, "%.1fs", (double)ms / 1000);
    else
        ui_fmt_duration(out, n, ms);
}

static void fmt_status(char *out, size_t n, const struct api_log_entry *e)
{
    if (e->cancelled && e->streamed)
        snprintf(out, n, "%s", _("closed"));
    else if (e->cancelled)
        snprintf(out, n, "%s", _("cancel"));
    else if (!e->status)
        snprintf(out, n, "%s", _("error"));
    else
        snprintf(out, n, "%ld", e->status);
}

static int matches(const struct apiv *v, const struct api_log_entry *e)
{
    char st[16], hay[1200];
    fmt_status(st, sizeof st, e);
    snprintf(hay, sizeof hay, "%s %s %s", e->method, st, e->path);
    for (const char *p = v->filter; *p;) {
        while (*p == ' ')
            p++;
        size_t l = strcspn(p, " ");
        if (!l) break;
        int hit = 0;
        if (l == 6 && !strncmp(p, "failed", 6)) hit = failed(e);
        for (size_t i = 0; !hit && hay[i]; i++)
            hit = !strncasecmp(hay + i, p, l);
        if (!hit) return 0;
        p += l;
    }
    return 1;
}

/* The rows shown, and the selection kept on its call while new ones arrive on top. */
static void rows_build(struct apiv *v, struct app *a)
{
    int n = api_log_count(a->api_log);
    if (!v->rows) v->rows = calloc(API_LOG_MAX, sizeof *v->rows);
    v->n_rows = 0;
    for (int i = 0; v->rows && i < n && i < API_LOG_MAX; i++)
        if (matches(v, api_log_at(a->api_log, i))) v->rows[v->n_rows++] = i;
    v->seen_seq = api_log_seq(a->api_log);
    v->sel = 0;
    for (int r = 0; v->sel_seq && r < v->n_rows; r++)
        if (api_log_at(a->api_log, v->rows[r])->seq == v->sel_seq) v->sel = r;
}

static const struct api_log_entry *row_entry(struct apiv *v, struct app *a, int r)
{
    return r >= 0 && r < v->n_rows ? api_log_at(a->api_log, v->rows[r]) : NULL;
}

static void select_row(struct apiv *v, struct app *a, int r)
{
    if (r >= v->n_rows) r = v->n_rows - 1;
    if (r < 0) r = 0;
    v->sel = r;
    const struct api_log_entry *e = row_entry(v, a, r);
    v->sel_seq = r > 0 && e ? e->seq : 0;
}

static void draw_list(struct apiv *v, struct app *a, WINDOW *w, int h, int wd)
{
    const struct theme *th = &a->theme;
    int n = v->n_rows;
    char title[256];
    if (v->filter[0])
        snprintf(title, sizeof title, _(" API calls (%d of %d, newest first)  filter: %s"), n,
                 api_log_count(a->api_log), v->filter);
    else
        snprintf(title, sizeof title, _(" API calls (%d, newest first)"), n);
    ui_fill(w, 0, 0, wd, th->attr[ROLE_TITLE]);
    ui_text(a, w, 0, 0, wd, title, th->attr[ROLE_TITLE]);
    /* widths by display columns: "METHODE" (7) pushed every German title after it */
    struct ui_fcol cols[] = {{N_("TIME"), 8, 0},    {N_("METHOD"), 6, 0}, {N_("STATUS"), 6, 0},
                             {N_("LATENCY"), 8, 1}, {N_("TOTAL"), 8, 1},  {N_("OUT"), 7, 1},
                             {N_("IN"), 7, 1},      {N_("PATH"), 0, 0}};
    enum { NC = sizeof cols / sizeof *cols };
    ui_fcols_fit(a, cols, NC);
    cols[NC - 1].w = 0; /* the path takes the rest */
    const char *titles[NC];
    for (int c = 0; c < NC; c++)
        titles[c] = _(cols[c].title);
    struct buf hdr = BUF_INIT;
    ui_fcols_line(a, &hdr, cols, NC - 1, titles);
    buf_printf(&hdr, "  %s", titles[NC - 1]);
    ui_text(a, w, 1, 1, wd - 2, buf_cstr(&hdr), th->attr[ROLE_HEADER]);
    buf_free(&hdr);
    if (!a->api_log) {
        ui_text(a, w, 3, 2, wd - 4, _("a replay makes no API calls"), th->attr[ROLE_DIM]);
        return;
    }
    if (!n) ui_text(a, w, 3, 2, wd - 4, _("no calls yet"), th->attr[ROLE_DIM]);
    int rows = h - 2;
    if (v->sel < v->top) v->top = v->sel;
    if (rows > 0 && v->sel >= v->top + rows) v->top = v->sel - rows + 1;
    for (int r = 0; r < rows && v->top + r < n; r++) {
        const struct api_log_entry *e = row_entry(v, a, v->top + r);
        char tm_s[16], st[16], lat[16], tot[24], out[16], in[16];
        time_t t = (time_t)(e->started_ms / 1000);
        struct tm tm;
        localtime_r(&t, &tm);
        strftime(tm_s, sizeof tm_s, "%H:%M:%S", &tm);
        fmt_status(st, sizeof st, e);
        fmt_ms(lat, sizeof lat, e->ttfb_ms);
        fmt_ms(tot, sizeof tot, e->total_ms);
        ui_fmt_bytes(out, sizeof out, e->bytes_out);
        ui_fmt_bytes(in, sizeof in, e->bytes_in);
        size_t tl = strlen(tot); /* "~" after a streamed call's total */
        snprintf(tot + tl, sizeof tot - tl, "%s", e->streamed ? "~" : " ");
        const char *cells[] = {tm_s, e->method, st, lat, tot, out, in};
        struct buf line = BUF_INIT;
        ui_fcols_line(a, &line, cols, NC - 1, cells);
        buf_printf(&line, "  %s", e->path);
        int y = r + 2, is_sel = v->top + r == v->sel;
        attr_t at = is_sel                                         ? th->attr[ROLE_SELECTED]
                    : failed(e)                                    ? th->attr[ROLE_CRIT]
                    : !e->streamed && e->ttfb_ms >= APILOG_SLOW_MS ? th->attr[ROLE_WARN]
                                                                   : th->attr[ROLE_NORMAL];
        ui_fill(w, y, 0, wd, at);
        ui_text(a, w, y, 1, wd - 2, buf_cstr(&line), at);
        buf_free(&line);
    }
}

/* The detail text: one line per buf line (drawn through ui_text, which sanitizes). */
static void detail_text(const struct api_log_entry *e, struct buf *b)
{
    char st[16], tot[24], lat[16];
    fmt_status(st, sizeof st, e);
    fmt_ms(tot, sizeof tot, e->total_ms);
    fmt_ms(lat, sizeof lat, e->ttfb_ms);
    buf_printf(b, "%s %s%s\n", e->method, e->origin, e->path);
    buf_printf(b, _("status %s  first byte %s  total %s%s  out %lld B  in %lld B\n"), st, lat, tot,
               e->streamed ? _(" (stream)") : "", (long long)e->bytes_out, (long long)e->bytes_in);
    if (e->error) buf_printf(b, _("error: %s\n"), e->error);
    buf_printf(b, "\n%s\n%s", _("Request headers"), e->req_headers ? e->req_headers : "");
    buf_printf(b, "\n%s\n", _("Request body"));
    if (e->req_body)
        buf_printf(b, "%.*s\n", (int)e->req_body_len, e->req_body);
    else
        buf_printf(b, "%s\n",
                   e->body_dropped ? _("(dropped: the log keeps the newest 4 MiB of bodies)")
                                   : _("(none)"));
    buf_printf(b, "\n%s\n%s", _("Response headers"), e->resp_headers ? e->resp_headers : "");
    buf_printf(b, "\n%s\n", _("Response body"));
    if (e->resp_body)
        buf_printf(b, "%.*s\n", (int)e->resp_body_len, e->resp_body);
    else
        buf_printf(b, "%s\n", e->streamed ? _("(streamed to its reader, not kept)") : _("(none)"));
}

static void draw_detail(struct apiv *v, struct app *a, WINDOW *w, int h, int wd)
{
    const struct theme *th = &a->theme;
    const struct api_log_entry *e = entry_by_seq(a, v->open_seq);
    ui_fill(w, 0, 0, wd, th->attr[ROLE_TITLE]);
    ui_text(a, w, 0, 0, wd, _(" API call"), th->attr[ROLE_TITLE]);
    if (!e) {
        ui_text(a, w, 2, 2, wd - 4, _("this call left the log (it keeps the last 2000)"),
                th->attr[ROLE_DIM]);
        return;
    }
    struct buf b = BUF_INIT;
    detail_text(e, &b);
    const char *p = buf_cstr(&b);
    int line = 0, y = 1, cols = wd - 2 > 8 ? wd - 2 : 8;
    while (*p && y < h) {
        size_t l = strcspn(p, "\n");
        char *raw = strndup(p, l);
        attr_t at = line == 0 ? th->attr[ROLE_HEADER] : th->attr[ROLE_NORMAL];
        if (raw && (!strcmp(raw, _("Request headers")) || !strcmp(raw, _("Request body")) ||
                    !strcmp(raw, _("Response headers")) || !strcmp(raw, _("Response body"))))
            at = th->attr[ROLE_TITLE];
        /* long lines (a JSON body is one) wrap: every byte of a body can be read */
        char *s = raw ? sanitize_dup(raw, 0) : NULL;
        const char *q = s ? s : "";
        size_t left = strlen(q);
        do {
            size_t n = sanitize_fit(q, left, cols, NULL);
            if (!n && left) n = left; /* a glyph wider than the pane */
            if (line++ >= v->scroll && y < h) {
                char *chunk = strndup(q, n);
                ui_text(a, w, y++, 1, cols, chunk ? chunk : "", at);
                free(chunk);
            }
            q += n;
            left -= n;
        } while (left);
        free(s);
        free(raw);
        p += l + (p[l] == '\n');
    }
    buf_free(&b);
}

static void av_draw(struct view *vv, struct app *a, WINDOW *w, int h, int wd)
{
    struct apiv *v = (struct apiv *)vv;
    rows_build(v, a);
    if (v->open_seq)
        draw_detail(v, a, w, h, wd);
    else
        draw_list(v, a, w, h, wd);
}

static void copy_call(struct apiv *v, struct app *a)
{
    const struct api_log_entry *e =
        v->open_seq ? entry_by_seq(a, v->open_seq) : row_entry(v, a, v->sel);
    if (!e) return;
    struct buf b = BUF_INIT;
    api_log_curl(e, &b);
    buf_append_byte(&b, '\n');
    int action = api_log_boxtop(e, &b);
    if (action) buf_append_byte(&b, '\n');
    if (app_clipboard(a, b.data, b.len) >= 0) /* else it said why not */
        app_status(a, STATUS_INFO,
                   action ? _("copied the curl command and the boxtop command line (OSC 52)")
                          : _("copied the curl command (OSC 52; the key is $E2B_API_KEY)"));
    buf_free(&b);
}

static void on_filter(struct app *a, const char *text, int submit, void *ud)
{
    (void)submit;
    struct apiv *v = ud;
    if (text) snprintf(v->filter, sizeof v->filter, "%s", text);
    v->sel_seq = 0;
    app_dirty(a, DIRTY_MAIN);
}

static int av_key(struct view *vv, struct app *a, int ch, int is_key)
{
    struct apiv *v = (struct apiv *)vv;
    rows_build(v, a);
    int n = v->n_rows;
    int down = (!is_key && ch == 'j') || (is_key && ch == KEY_DOWN);
    int up = (!is_key && ch == 'k') || (is_key && ch == KEY_UP);
    int enter = (!is_key && (ch == '\r' || ch == '\n')) || (is_key && ch == KEY_ENTER);
    if (v->open_seq) {
        if (down)
            v->scroll++;
        else if (up && v->scroll > 0)
            v->scroll--;
        else if ((!is_key && (ch == 27 || ch == 'q')) || (is_key && ch == KEY_LEFT))
            v->open_seq = 0;
        else if (!is_key && ch == 'y')
            copy_call(v, a);
        else
            return 0;
    } else if (down) {
        select_row(v, a, v->sel + 1);
    } else if (up) {
        select_row(v, a, v->sel - 1);
    } else if (!is_key && ch == 'g') {
        select_row(v, a, 0);
    } else if (!is_key && ch == 'G') {
        select_row(v, a, n - 1);
    } else if (!is_key && ch == '/') {
        app_prompt(a, _("filter (words; failed):"), v->filter, NULL, on_filter, v);
    } else if (enter) {
        const struct api_log_entry *e = row_entry(v, a, v->sel);
        if (e) v->open_seq = e->seq;
        v->scroll = 0;
    } else if (!is_key && ch == 'y') {
        copy_call(v, a);
    } else {
        return 0;
    }
    app_dirty(a, DIRTY_MAIN | DIRTY_FOOTER);
    return 1;
}

static int av_needs_clock(struct view *vv, struct app *a)
{
    struct apiv *v = (struct apiv *)vv;
    if (api_log_seq(a->api_log) != v->seen_seq) app_dirty(a, DIRTY_MAIN);
    return a->api_log != NULL;
}

static const char *av_footer(struct view *vv)
{
    struct apiv *v = (struct apiv *)vv;
    return v->open_seq ? _("j/k scroll  y copy as curl  Esc list")
                       : _("j/k move  Enter open  y copy as curl  / filter  Esc back");
}

static const struct keyhelp av_keys[] = {
    {"j/k", N_("move (scroll an open call)")},
    {"Enter", N_("open: headers and the first 64 KiB of the bodies")},
    {"y", N_("copy the curl command (and the boxtop command) with OSC 52")},
    {"g/G", N_("newest / oldest call")},
    {"/", N_("filter: words in method, status and path; failed")},
};

static const struct keyhelp *av_help(struct view *v, int *n)
{
    (void)v;
    *n = (int)(sizeof av_keys / sizeof av_keys[0]);
    return av_keys;
}

static void av_destroy(struct view *vv)
{
    struct apiv *v = (struct apiv *)vv;
    free(v->rows);
    free(v);
}

static const struct view_ops apilog_ops = {
    .name = "api",
    .draw = av_draw,
    .key = av_key,
    .footer = av_footer,
    .help = av_help,
    .needs_clock = av_needs_clock,
    .destroy = av_destroy,
};

struct view *view_apilog_new(struct app *a)
{
    struct apiv *v = calloc(1, sizeof(*v));
    if (!v) return NULL;
    v->base.ops = &apilog_ops;
    v->seen_seq = api_log_seq(a->api_log);
    return &v->base;
}
