/* commands_feed.c - paging the logs API into a command history and one command's output.
 *
 * Cursors are milliseconds while entries carry nanoseconds: each page starts at the newest
 * millisecond already seen (inclusive) and the history drops the repeats. A full page that
 * ends where it started cannot move on by its own cursor (more than a page in one ms; never
 * from boxtopd, which keeps entries 2 us apart): the cursor then steps one ms. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/api.h"
#include "boxtop/buf.h"
#include "boxtop/commands.h"
#include "boxtop/i18n.h"

struct cmd_feed {
    struct api *api;
    char *id;
    cmd_feed_cb cb;
    void *ud;
    struct api_call *call;
    struct cmd_hist hist;
    int64_t cursor_ms; /* 0: the server's default window */
    bool v2;
    bool progress;
    bool dirty; /* events added since the last rebuild */
};

static void feed_page(struct cmd_feed *f);

static void feed_done(struct api_result *res, void *ud)
{
    struct cmd_feed *f = ud;
    f->call = NULL;
    if (res->err.kind != ERROR_NONE) {
        /* a server without the deprecated v1 endpoint: v2 (no exit codes) */
        if (!f->v2 && (res->status == 404 || res->status == 405 || res->status == 410)) {
            f->v2 = true;
            feed_page(f);
            return;
        }
        f->cb(f->ud, &res->err);
        return;
    }
    struct cmd_evs evs = {0};
    struct cmd_page page;
    struct error err = {0};
    int rc = f->v2 ? cmd_parse_v2(res->body, res->body_len, false, &evs, &page, &err)
                   : cmd_parse_v1(res->body, res->body_len, false, &evs, &page, &err);
    if (rc < 0) {
        cmd_evs_free(&evs);
        f->cb(f->ud, &err);
        return;
    }
    if (cmd_hist_add(&f->hist, &evs)) f->dirty = true;
    if (page.entries >= CMD_FEED_PAGE) {
        f->cursor_ms = page.last_ms > f->cursor_ms ? page.last_ms : f->cursor_ms + 1;
        feed_page(f);
        if (f->progress && f->call && f->dirty) {
            f->dirty = false;
            cmd_hist_rebuild(&f->hist);
            f->cb(f->ud, NULL);
        }
        return;
    }
    if (page.last_ms > f->cursor_ms) f->cursor_ms = page.last_ms;
    if (f->dirty) { /* nothing new: the commands stay as they are */
        f->dirty = false;
        cmd_hist_rebuild(&f->hist);
    }
    f->cb(f->ud, NULL);
}

void cmd_feed_set_progress(struct cmd_feed *f, bool on)
{
    f->progress = on;
}

static void feed_page(struct cmd_feed *f)
{
    char path[512];
    char start[64] = "";
    if (f->v2) {
        if (f->cursor_ms) snprintf(start, sizeof start, "&cursor=%lld", (long long)f->cursor_ms);
        snprintf(path, sizeof path, "/v2/sandboxes/%s/logs?direction=forward&limit=%d%s", f->id,
                 CMD_FEED_PAGE, start);
    } else {
        if (f->cursor_ms) snprintf(start, sizeof start, "&start=%lld", (long long)f->cursor_ms);
        snprintf(path, sizeof path, "/sandboxes/%s/logs?limit=%d%s", f->id, CMD_FEED_PAGE, start);
    }
    f->call = api_get_raw(f->api, path, feed_done, f);
    if (f->call) api_call_set_raw(f->call);
    api_call_notify_drop(f->call); /* the backend restarted: an error, then cmd_feed_set_api */
}

/* Sandbox ids are [a-z0-9]: anything else would change the path. */
static bool id_ok(const char *id)
{
    if (!id || !*id || strlen(id) > 128) return false;
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
            return false;
    return true;
}

struct cmd_feed *cmd_feed_new(struct api *a, const char *id, cmd_feed_cb cb, void *ud)
{
    if (!id_ok(id)) return NULL;
    struct cmd_feed *f = calloc(1, sizeof *f);
    if (!f || !(f->id = strdup(id))) {
        free(f);
        return NULL;
    }
    f->api = a;
    f->cb = cb;
    f->ud = ud;
    f->dirty = true; /* the first round always builds */
    cmd_hist_init(&f->hist);
    return f;
}

void cmd_feed_set_api(struct cmd_feed *f, struct api *a)
{
    if (f && a) f->api = a;
}

void cmd_feed_free(struct cmd_feed *f)
{
    if (!f) return;
    if (f->call) api_cancel(f->call);
    cmd_hist_free(&f->hist);
    free(f->id);
    free(f);
}

int cmd_feed_poll(struct cmd_feed *f, struct error *err)
{
    if (f->call) return 0;
    feed_page(f);
    if (!f->call) return error_set(err, ERROR_GENERIC, "%s", _("cannot start a logs request"));
    return 0;
}

bool cmd_feed_busy(const struct cmd_feed *f)
{
    return f->call != NULL;
}

struct cmd_hist *cmd_feed_hist(struct cmd_feed *f)
{
    return &f->hist;
}

bool cmd_feed_uses_v2(const struct cmd_feed *f)
{
    return f->v2;
}

/* ---- one command's output ---- */

struct cmd_out_feed {
    struct api *api;
    char *id;
    uint32_t pid;
    int64_t op, start_ns, end_ns;
    cmd_feed_cb cb;
    void *ud;
    struct api_call *call;
    int64_t cursor_ms;
    bool unsupported;
    struct cmd_output out;
};

static void out_page(struct cmd_out_feed *f);

static bool mine(const struct cmd_out_feed *f, const struct cmd_ev *ev)
{
    if (ev->pid != f->pid) return false;
    if (f->op >= 0 && ev->op >= 0) return ev->op == f->op && ev->ts_ns >= f->start_ns;
    return ev->ts_ns >= f->start_ns && (!f->end_ns || ev->ts_ns <= f->end_ns);
}

static void out_done(struct api_result *res, void *ud)
{
    struct cmd_out_feed *f = ud;
    f->call = NULL;
    if (res->err.kind != ERROR_NONE) {
        if (res->status == 501 || res->status == 400) { /* no ?pid= on this server */
            f->unsupported = true;
            f->cb(f->ud, NULL);
            return;
        }
        f->cb(f->ud, &res->err);
        return;
    }
    struct cmd_evs evs = {0};
    struct cmd_page page;
    struct error err = {0};
    if (cmd_parse_v2(res->body, res->body_len, true, &evs, &page, &err) < 0) {
        cmd_evs_free(&evs);
        f->cb(f->ud, &err);
        return;
    }
    size_t w = 0;
    for (size_t i = 0; i < evs.n; i++) {
        if (mine(f, &evs.v[i]))
            evs.v[w++] = evs.v[i];
        else
            free(evs.v[i].text);
    }
    evs.n = w;
    cmd_output_add_logged(&f->out, &evs);
    if (page.entries >= CMD_FEED_PAGE) {
        f->cursor_ms = page.last_ms > f->cursor_ms ? page.last_ms : f->cursor_ms + 1;
        out_page(f);
        return;
    }
    if (page.last_ms > f->cursor_ms) f->cursor_ms = page.last_ms;
    f->cb(f->ud, NULL);
}

static void out_page(struct cmd_out_feed *f)
{
    char path[512];
    snprintf(path, sizeof path,
             "/v2/sandboxes/%s/logs?pid=%u&direction=forward&limit=%d&cursor=%lld", f->id,
             (unsigned)f->pid, CMD_FEED_PAGE, (long long)f->cursor_ms);
    f->call = api_get_raw(f->api, path, out_done, f);
    if (f->call) api_call_set_raw(f->call);
    api_call_notify_drop(f->call);
}

void cmd_out_feed_set_api(struct cmd_out_feed *f, struct api *a)
{
    if (f && a) f->api = a;
}

struct cmd_out_feed *cmd_out_feed_new(struct api *a, const char *id, const struct cmd *c,
                                      cmd_feed_cb cb, void *ud)
{
    if (!id_ok(id) || !c->pid) return NULL;
    struct cmd_out_feed *f = calloc(1, sizeof *f);
    if (!f || !(f->id = strdup(id))) {
        free(f);
        return NULL;
    }
    f->api = a;
    f->pid = c->pid;
    f->op = c->op;
    f->start_ns = c->start_ns;
    f->end_ns = c->end_ns;
    f->cb = cb;
    f->ud = ud;
    f->cursor_ms = c->start_ns ? c->start_ns / 1000000 : c->end_ns / 1000000 - 3600 * 1000;
    if (f->cursor_ms < 0) f->cursor_ms = 0;
    cmd_output_init(&f->out);
    return f;
}

void cmd_out_feed_free(struct cmd_out_feed *f)
{
    if (!f) return;
    if (f->call) api_cancel(f->call);
    cmd_output_free(&f->out);
    free(f->id);
    free(f);
}

int cmd_out_feed_poll(struct cmd_out_feed *f, struct error *err)
{
    if (f->call || f->unsupported) return 0;
    out_page(f);
    if (!f->call) return error_set(err, ERROR_GENERIC, "%s", _("cannot start a logs request"));
    return 0;
}

bool cmd_out_feed_busy(const struct cmd_out_feed *f)
{
    return f->call != NULL;
}

bool cmd_out_feed_unsupported(const struct cmd_out_feed *f)
{
    return f->unsupported;
}

void cmd_out_feed_set_end(struct cmd_out_feed *f, int64_t end_ns)
{
    f->end_ns = end_ns;
}

struct cmd_output *cmd_out_feed_output(struct cmd_out_feed *f)
{
    return &f->out;
}
