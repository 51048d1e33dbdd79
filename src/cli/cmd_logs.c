/* cmd_logs.c - boxtop logs ID [--follow] [--level L] [--search S]: a sandbox's logs.
 *
 * Uses logs v2 (server-side level/search filters, cursor paging): the newest page read
 * backward and printed oldest first; --follow then reads forward from the newest
 * millisecond seen. Cursors are milliseconds while entries carry nanoseconds, so pages
 * overlap on that millisecond: entries already printed there are skipped by their
 * (timestamp, message). Servers without v2 (404/405) get the v1 endpoint, filtered here. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "boxtop/loop.h"
#include "boxtop/sanitize.h"
#include "cli_private.h"

#define FOLLOW_MS         1000
#define STATE_CHECK_EVERY 5 /* polls between sandbox state checks */

static const char LOGS_HELP[] =
    "Usage: boxtop logs SANDBOX_ID [--follow] [--level LEVEL] [--search TEXT] [--limit N] "
    "[--json]\n"
    "A sandbox's logs (last 7 days, newest page), oldest first.\n"
    "  -f, --follow       keep printing new entries until the sandbox stops\n"
    "      --level L      minimum level: debug, info, warn, error\n"
    "      --search TEXT  only entries whose message contains TEXT\n"
    "  -n, --limit N      at most N entries (1..1000, default 1000)\n"
    "      --json         a JSON array (JSON lines with --follow)\n";

/* Entries printed at the newest millisecond, to skip them when pages overlap: hashes of
 * (timestamp, message), at most SEEN_MAX of them. A hostile stream may send any number of
 * lines in one millisecond; past SEEN_MAX the rest of that millisecond is given up (said once
 * on stderr) and reading goes on after it, so memory stays bounded and --follow cannot keep
 * fetching the same full page. */
#define SEEN_MAX 4096

struct seen {
    int64_t ms;
    int n;
    bool full;   /* SEEN_MAX reached at ms: the next read starts after it */
    bool warned; /* the user has been told */
    uint64_t h[SEEN_MAX];
};

static uint64_t entry_hash(const struct log_entry *e)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (const char *p = e->timestamp ? e->timestamp : ""; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    h = (h ^ 0xff) * 1099511628211ULL; /* a separator no UTF-8 text holds */
    for (const char *p = e->message ? e->message : ""; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return h;
}

static bool seen_has(const struct seen *s, const struct log_entry *e)
{
    if (e->ts_ms != s->ms) return false;
    if (s->full) return true; /* that millisecond is over for us */
    uint64_t h = entry_hash(e);
    for (int i = 0; i < s->n; i++)
        if (s->h[i] == h) return true;
    return false;
}

static void seen_add(struct seen *s, const struct log_entry *e)
{
    if (e->ts_ms > s->ms) {
        s->n = 0;
        s->full = false;
        s->ms = e->ts_ms;
    }
    if (e->ts_ms != s->ms || s->full) return;
    if (s->n == SEEN_MAX) {
        s->full = true;
        return;
    }
    s->h[s->n++] = entry_hash(e);
}

static void print_entry(struct cli *c, const struct log_entry *e, bool one_line)
{
    if (c->out == CLI_OUT_JSON) {
        cli_print_json(c, log_entry_to_json(e), one_line);
        return;
    }
    char t[32], ms[8] = "";
    cli_format_time(e->ts_ms, t, sizeof t);
    if (e->ts_ms > 0) /* a time before 1970 (year 1) is shown as "-", without "-.000" */
        snprintf(ms, sizeof ms, ".%03d", (int)(e->ts_ms % 1000));
    struct buf line = BUF_INIT;
    buf_printf(&line, "%s%s %-5s %s", t, ms, log_entry_level_name(e->level), e->message);
    for (int i = 0; i < e->fields.n; i++)
        buf_printf(&line, " %s=%s", e->fields.items[i].key, e->fields.items[i].value);
    cli_print_line(c->stdout_fp, buf_cstr(&line));
    buf_free(&line);
    fflush(c->stdout_fp);
}

/* Fetch one page; falls back to v1 (and client-side filters) when v2 is missing. */
static int fetch(struct cli *c, const char *id, const struct api_logs_query *q, bool *use_v1,
                 enum log_entry_level min, struct log_list *out, struct error *err)
{
    struct cli_sync s = {0};
    if (!*use_v1) {
        if (cli_sync_wait(c, api_logs_v2(c->api, id, q, cli_sync_cb, &s), &s) == 0) {
            *out = s.logs;
            memset(&s.logs, 0, sizeof s.logs);
            cli_sync_free(&s);
            return 0;
        }
        if (s.status != 404 && s.status != 405) {
            *err = s.err;
            cli_sync_free(&s);
            return -1;
        }
        *use_v1 = true;
        cli_sync_free(&s);
        memset(&s, 0, sizeof s);
    }
    if (cli_sync_wait(c, api_logs_v1(c->api, id, q->cursor_ms, q->limit, cli_sync_cb, &s), &s) <
        0) {
        *err = s.err;
        cli_sync_free(&s);
        return -1;
    }
    /* v1 is oldest first and unfiltered: filter here; reverse for a backward query. */
    *out = s.logs;
    memset(&s.logs, 0, sizeof s.logs);
    cli_sync_free(&s);
    int j = 0;
    for (int i = 0; i < out->n; i++) {
        struct log_entry *e = &out->items[i];
        bool keep = e->level >= min && (!q->search || strstr(e->message, q->search));
        if (keep) {
            struct log_entry tmp = *e;
            out->items[i] = out->items[j];
            out->items[j++] = tmp;
        }
    }
    struct log_list drop = {out->items + j, out->n - j};
    for (int i = 0; i < drop.n; i++) {
        free(drop.items[i].timestamp);
        free(drop.items[i].message);
        kv_list_free(&drop.items[i].fields);
    }
    out->n = j;
    if (q->direction && !strcmp(q->direction, "backward"))
        for (int i = 0; i < out->n / 2; i++) {
            struct log_entry tmp = out->items[i];
            out->items[i] = out->items[out->n - 1 - i];
            out->items[out->n - 1 - i] = tmp;
        }
    return 0;
}

int cli_cmd_logs(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"follow", no_argument, NULL, 'f'},
                                         {"level", required_argument, NULL, OPT_LEVEL},
                                         {"search", required_argument, NULL, OPT_SEARCH},
                                         {"limit", required_argument, NULL, 'n'},
                                         {"json", no_argument, NULL, OPT_JSON},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    struct cli_args a;
    struct error err = {0};
    const char *id = NULL;
    bool follow = false;
    enum log_entry_level min = LOG_ENTRY_DEBUG;
    struct api_logs_query q = {.direction = "backward", .limit = 1000};
    int k;
    cli_args_init(&a, argc, argv);
    while ((k = cli_args_next(&a, opts, &err)) != CLI_ARG_END) {
        if (k == 'f')
            follow = true;
        else if (k == OPT_LEVEL) {
            if (log_entry_level_parse(a.value, &min) < 0)
                return cli_usage_error(c, "logs",
                                       _("unknown level \"%.20s\" (debug, info, "
                                         "warn, error)"),
                                       a.value);
            q.level = log_entry_level_name(min);
        } else if (k == OPT_SEARCH)
            q.search = a.value;
        else if (k == 'n') {
            if (cli_parse_int(a.value, "--limit", &q.limit, &err) < 0 || q.limit < 1 ||
                q.limit > 1000)
                return cli_usage_error(c, "logs", _("--limit must be between 1 and 1000"));
        } else if (k == OPT_JSON)
            c->out = CLI_OUT_JSON;
        else if (k == 'h')
            return cli_help(c, LOGS_HELP);
        else if (k == CLI_ARG_POSITIONAL && !id)
            id = a.value;
        else if (k == CLI_ARG_POSITIONAL)
            return cli_usage_error(c, "logs", _("unexpected argument \"%.40s\""), a.value);
        else if (k == CLI_ARG_ERROR)
            return cli_usage_error(c, "logs", "%s", err.msg);
    }
    if (!id) return cli_usage_error(c, "logs", _("missing SANDBOX_ID"));
    if (cli_connect(c, &err) < 0) return cli_fail(c, &err);

    bool use_v1 = false;
    struct log_list page;
    if (fetch(c, id, &q, &use_v1, min, &page, &err) < 0) return cli_fail(c, &err);
    if (page.n == 0 && !q.search && !q.level && cli_check_known(c, id, &err) < 0)
        return cli_fail(c, &err);
    struct seen *seen = calloc(1, sizeof *seen); /* 32 KiB: not on the stack */
    if (!seen) {
        log_list_free(&page);
        error_set(&err, ERROR_GENERIC, _("out of memory"));
        return cli_fail(c, &err);
    }
    /* newest first from a backward read: print oldest first */
    cJSON *arr = c->out == CLI_OUT_JSON && !follow ? cJSON_CreateArray() : NULL;
    for (int i = page.n - 1; i >= 0; i--) {
        if (arr)
            cJSON_AddItemToArray(arr, log_entry_to_json(&page.items[i]));
        else
            print_entry(c, &page.items[i], true);
        seen_add(seen, &page.items[i]);
    }
    if (arr) cli_print_json(c, arr, false);
    log_list_free(&page);

    int rc = CLI_EXIT_OK;
    for (int poll = 1; follow; poll++) {
        cli_wait_ms(c, FOLLOW_MS);
        struct api_logs_query fq = q;
        fq.direction = "forward";
        fq.cursor_ms = seen->ms ? seen->ms + (seen->full ? 1 : 0) : loop_wall_ms() - 1000;
        if (seen->full && !seen->warned) {
            fprintf(c->stderr_fp,
                    _("boxtop: a flood of log lines in one millisecond; the rest of it is "
                      "skipped\n"));
            seen->warned = true;
        }
        if (fetch(c, id, &fq, &use_v1, min, &page, &err) < 0) {
            rc = cli_fail(c, &err);
            break;
        }
        int fresh = 0, at_cursor = 0;
        for (int i = 0; i < page.n; i++) {
            at_cursor += page.items[i].ts_ms == seen->ms;
            if (!seen_has(seen, &page.items[i]) && page.items[i].ts_ms >= seen->ms) {
                print_entry(c, &page.items[i], true);
                seen_add(seen, &page.items[i]);
                fresh++;
            }
        }
        /* a full page of that millisecond's lines, all printed before: the server cannot
         * take us further from this cursor, so the next read starts after it */
        if (!fresh && page.n >= fq.limit && at_cursor == page.n) seen->full = true;
        log_list_free(&page);
        if (poll % STATE_CHECK_EVERY == 0) {
            struct cli_sync g = {0};
            if (cli_sync_wait(c, api_get_sandbox(c->api, id, cli_sync_cb, &g), &g) < 0 ||
                g.sandbox.state != SANDBOX_RUNNING) {
                if (g.err.kind != ERROR_NONE && g.err.kind != ERROR_NOT_FOUND)
                    rc = cli_fail(c, &g.err);
                else
                    fprintf(c->stderr_fp, _("boxtop: the sandbox is no longer running\n"));
                cli_sync_free(&g);
                break;
            }
            cli_sync_free(&g);
        }
    }
    free(seen);
    return rc;
}
