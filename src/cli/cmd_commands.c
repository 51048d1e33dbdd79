/* cmd_commands.c - `boxtop commands ID [--follow] [--state failed|running] [--all] [--json]`:
 * the commands a sandbox ran, rebuilt from envd's process log lines (commands.h); and
 * `boxtop commands ID PID [--follow]`: one command's output, stdout to stdout and stderr to
 * stderr, exiting with the command's exit status. A running command is followed live with
 * Process.Connect, the logged lines and the live ones joined without a repeat at the seam. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boxtop/buf.h"
#include "boxtop/commands.h"
#include "boxtop/envd.h"
#include "boxtop/http.h"
#include "boxtop/i18n.h"
#include "boxtop/loop.h"
#include "boxtop/sanitize.h"
#include "cli_private.h"

#define FOLLOW_MS         1000
#define STATE_CHECK_EVERY 5
#define COMMAND_COLS      100 /* the table cuts longer command lines (--json has them whole) */

static const char COMMANDS_HELP[] =
    "Usage: boxtop commands SANDBOX_ID [--follow] [--state failed|running] [--all] [--json]\n"
    "       boxtop commands SANDBOX_ID PID [--follow]\n"
    "The commands a sandbox ran (from envd's process logs), oldest first; with PID, that\n"
    "command's output (stdout to stdout, stderr to stderr) and its exit status.\n"
    "  -f, --follow     keep printing: new commands, or a running command's output\n"
    "      --state S    only failed or running commands\n"
    "  -a, --all        also boxtop's own helper processes\n"
    "      --json       a JSON array (JSON lines with --follow)\n";

struct round {
    bool done;
    bool failed;
    struct error err;
};

static void round_cb(void *ud, const struct error *err)
{
    struct round *r = ud;
    r->done = true;
    if (err) {
        r->failed = true;
        r->err = *err;
    }
}

static int run_round(struct cli *c, struct round *r)
{
    while (!r->done && loop_run_once(c->loop, 1000) >= 0)
        ;
    return r->failed ? -1 : 0;
}

static int hist_round(struct cli *c, struct cmd_feed *f, struct round *r, struct error *err)
{
    memset(r, 0, sizeof *r);
    if (cmd_feed_poll(f, err) < 0) return -1;
    if (run_round(c, r) < 0) {
        *err = r->err;
        return -1;
    }
    return 0;
}

static void fmt_time(int64_t ns, char *out, size_t n)
{
    if (!ns) {
        snprintf(out, n, "-");
        return;
    }
    char t[32];
    cli_format_time(ns / 1000000, t, sizeof t);
    snprintf(out, n, "%s.%03d", t, (int)(ns / 1000000 % 1000));
}

static void fmt_dur(const struct cmd *k, int64_t now_ns, char *out, size_t n)
{
    int64_t end = k->end_ns ? k->end_ns : (k->result == CMD_RUNNING ? now_ns : 0);
    if (!k->start_ns || !end) {
        snprintf(out, n, "-");
        return;
    }
    double s = (double)(end - k->start_ns) / 1e9;
    if (s < 60)
        snprintf(out, n, "%.1fs", s);
    else if (s < 3600)
        snprintf(out, n, "%dm%02ds", (int)s / 60, (int)s % 60);
    else
        snprintf(out, n, "%dh%02dm", (int)s / 3600, (int)s / 60 % 60);
}

static void fmt_size(uint64_t b, char *out, size_t n)
{
    if (b < 1024)
        snprintf(out, n, "%lluB", (unsigned long long)b);
    else if (b < 1024 * 1024)
        snprintf(out, n, "%.1fK", (double)b / 1024);
    else
        snprintf(out, n, "%.1fM", (double)b / (1024 * 1024));
}

static cJSON *cmd_json(const struct cmd *k, int64_t now_ns)
{
    char t[64], res[96];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "pid", k->pid);
    if (k->op >= 0) cJSON_AddNumberToObject(o, "operationId", (double)k->op);
    if (k->command) {
        cJSON_AddStringToObject(o, "command", k->command);
        cJSON_AddStringToObject(o, "display", cmd_display(k->command));
    }
    if (k->start_ns) {
        fmt_time(k->start_ns, t, sizeof t);
        cJSON_AddNumberToObject(o, "startedAtMs", (double)(k->start_ns / 1000000));
    }
    if (k->end_ns) cJSON_AddNumberToObject(o, "endedAtMs", (double)(k->end_ns / 1000000));
    int64_t end = k->end_ns ? k->end_ns : (k->result == CMD_RUNNING ? now_ns : 0);
    if (k->start_ns && end)
        cJSON_AddNumberToObject(o, "durationMs", (double)(end - k->start_ns) / 1e6);
    cmd_result_text(k, res, sizeof res);
    cJSON_AddStringToObject(o, "result", res);
    if (k->result == CMD_OK || k->result == CMD_EXIT)
        cJSON_AddNumberToObject(o, "exitCode", k->exit_code);
    if (k->status) cJSON_AddStringToObject(o, "status", k->status);
    if (k->has_bytes) {
        cJSON_AddNumberToObject(o, "stdoutBytes", (double)k->stdout_bytes);
        cJSON_AddNumberToObject(o, "stderrBytes", (double)k->stderr_bytes);
        cJSON_AddNumberToObject(o, "ptyBytes", (double)k->pty_bytes);
    }
    cJSON_AddNumberToObject(o, "outputLines", (double)k->out_lines);
    cJSON_AddBoolToObject(o, "outputTruncated", k->truncated);
    if (k->internal) cJSON_AddBoolToObject(o, "internal", 1);
    return o;
}

static void row_cells(const struct cmd *k, int64_t now_ns, char cells[6][160])
{
    char res[96];
    fmt_time(k->start_ns, cells[0], 160);
    fmt_dur(k, now_ns, cells[1], 160);
    cmd_result_text(k, res, sizeof res);
    snprintf(cells[2], 160, "%s", res);
    snprintf(cells[3], 160, "%u", k->pid);
    /* one line, cut: sanitized by the table */
    const char *d = k->command ? cmd_display(k->command) : _("(started before the log)");
    size_t len = strlen(d);
    if (len > COMMAND_COLS)
        snprintf(cells[4], 160, "%.*s…", COMMAND_COLS, d);
    else
        snprintf(cells[4], 160, "%s", d);
    uint64_t out = k->has_bytes ? k->stdout_bytes + k->stderr_bytes + k->pty_bytes : k->out_bytes;
    if (k->has_bytes || k->out_lines)
        fmt_size(out, cells[5], 160);
    else
        snprintf(cells[5], 160, "-");
}

static bool wanted(const struct cmd *k, const char *state, bool all)
{
    if (k->internal && !all) return false;
    if (!state) return true;
    if (!strcmp(state, "failed")) return cmd_failed(k);
    return k->result == CMD_RUNNING;
}

static void print_table(struct cli *c, const struct cmd_hist *h, const char *state, bool all)
{
    static const char *const hdr[] = {"START", "DURATION", "RESULT", "PID", "COMMAND", "OUT"};
    struct cli_table *t = cli_table_new(6, hdr);
    int64_t now = loop_wall_ms() * 1000000;
    for (size_t i = 0; t && i < h->n; i++) {
        if (!wanted(&h->v[i], state, all)) continue;
        char cells[6][160];
        row_cells(&h->v[i], now, cells);
        const char *row[6] = {cells[0], cells[1], cells[2], cells[3], cells[4], cells[5]};
        cli_table_add_row(t, row);
    }
    if (t) {
        cli_table_print(t, c->stdout_fp);
        cli_table_free(t);
    }
}

/* --follow: one line per command when it first shows up and when its result changes. */
struct shown {
    int64_t start_ns;
    uint32_t pid;
    enum cmd_result result;
};

static void follow_print(struct cli *c, const struct cmd_hist *h, const char *state, bool all,
                         struct shown **shown, size_t *nshown)
{
    int64_t now = loop_wall_ms() * 1000000;
    for (size_t i = 0; i < h->n; i++) {
        const struct cmd *k = &h->v[i];
        if (!wanted(k, state, all)) continue;
        size_t j = 0;
        while (j < *nshown && !((*shown)[j].start_ns == k->start_ns && (*shown)[j].pid == k->pid))
            j++;
        if (j < *nshown && (*shown)[j].result == k->result) continue;
        if (j == *nshown) {
            struct shown *ns = realloc(*shown, (*nshown + 1) * sizeof *ns);
            if (!ns) return;
            *shown = ns;
            (*nshown)++;
            ns[j] = (struct shown){k->start_ns, k->pid, k->result};
        }
        (*shown)[j].result = k->result;
        if (c->out == CLI_OUT_JSON) {
            cli_print_json(c, cmd_json(k, now), true);
            continue;
        }
        char cells[6][160];
        row_cells(k, now, cells);
        struct buf line = BUF_INIT;
        buf_printf(&line, "%s  %-8s %-16s %6s  %s  %s", cells[0], cells[1], cells[2], cells[3],
                   cells[4], cells[5]);
        cli_print_line(c->stdout_fp, buf_cstr(&line));
        buf_free(&line);
        fflush(c->stdout_fp);
    }
}

static bool sandbox_running(struct cli *c, const char *id, int *rc)
{
    struct cli_sync g = {0};
    bool ok = cli_sync_wait(c, api_get_sandbox(c->api, id, cli_sync_cb, &g), &g) == 0 &&
              g.sandbox.state == SANDBOX_RUNNING;
    if (!ok) {
        if (g.err.kind != ERROR_NONE && g.err.kind != ERROR_NOT_FOUND)
            *rc = cli_fail(c, &g.err);
        else
            fprintf(c->stderr_fp, "%s", _("boxtop: the sandbox is no longer running\n"));
    }
    cli_sync_free(&g);
    return ok;
}

static int history(struct cli *c, const char *id, bool follow, const char *state, bool all)
{
    struct error err = {0};
    struct round r;
    struct cmd_feed *f = cmd_feed_new(c->api, id, round_cb, &r);
    if (!f) return cli_usage_error(c, "commands", _("invalid sandbox ID"));
    if (hist_round(c, f, &r, &err) < 0) {
        cmd_feed_free(f);
        return cli_fail(c, &err);
    }
    struct cmd_hist *h = cmd_feed_hist(f);
    if (!h->saw_process)
        fprintf(c->stderr_fp, "%s",
                _("boxtop: no process events in this sandbox's logs (none ran yet, or its envd "
                  "does not log them)\n"));
    else if (cmd_feed_uses_v2(f))
        fprintf(c->stderr_fp, "%s",
                _("boxtop: this server has no v1 logs endpoint: exit codes are unknown\n"));
    int rc = CLI_EXIT_OK;
    if (!follow) {
        if (c->out == CLI_OUT_JSON) {
            cJSON *arr = cJSON_CreateArray();
            int64_t now = loop_wall_ms() * 1000000;
            for (size_t i = 0; i < h->n; i++)
                if (wanted(&h->v[i], state, all))
                    cJSON_AddItemToArray(arr, cmd_json(&h->v[i], now));
            cli_print_json(c, arr, false);
        } else {
            print_table(c, h, state, all);
        }
        cmd_feed_free(f);
        return rc;
    }
    struct shown *shown = NULL;
    size_t nshown = 0;
    follow_print(c, h, state, all, &shown, &nshown);
    for (int poll = 1;; poll++) {
        cli_wait_ms(c, FOLLOW_MS);
        if (hist_round(c, f, &r, &err) < 0) {
            rc = cli_fail(c, &err);
            break;
        }
        follow_print(c, h, state, all, &shown, &nshown);
        if (poll % STATE_CHECK_EVERY == 0 && !sandbox_running(c, id, &rc)) break;
    }
    free(shown);
    cmd_feed_free(f);
    return rc;
}

/* ---- one command's output ---- */

struct out_run {
    struct cli *c;
    struct cmd_output *o;
    size_t printed;
    bool raw; /* not a terminal: the bytes as they were (byte for byte) */
    bool stdout_broken;
    /* live */
    struct envd_client envd;
    struct envd_stream *stream;
    bool started, ended, stream_done;
    int end_status;
    struct error err;
    bool failed;
};

static void put(struct out_run *x, const struct cmd_line *l)
{
    FILE *fp = l->is_stderr || l->marker ? x->c->stderr_fp : x->c->stdout_fp;
    if (l->marker) {
        fprintf(fp, "%s\n", _("[output truncated: command exceeded log capture limit]"));
        return;
    }
    if (x->raw) {
        fputs(l->text ? l->text : "", fp);
        fputc('\n', fp);
    } else {
        cli_print_line(fp, l->text ? l->text : "");
    }
}

/* Print what is final: logged lines, and live ones once the seam is placed. */
static void flush_lines(struct out_run *x)
{
    size_t upto = x->o->attach_ns && !x->o->seam_done ? x->o->logged : x->o->n;
    for (; x->printed < upto; x->printed++)
        put(x, &x->o->v[x->printed]);
    fflush(x->c->stdout_fp);
    fflush(x->c->stderr_fp);
}

static int live_event(const struct envd_proc_event *ev, void *ud, struct error *err)
{
    (void)err;
    struct out_run *x = ud;
    if (ev->kind == ENVD_PROC_START) x->started = true;
    if (ev->kind == ENVD_PROC_DATA)
        cmd_output_add_live(x->o, ev->output == ENVD_OUT_STDERR, ev->data, ev->len);
    if (ev->kind == ENVD_PROC_END) {
        x->ended = true;
        x->end_status = envd_proc_exit_status(ev);
    }
    return 0;
}

static void live_end(const struct error *err, void *ud)
{
    struct out_run *x = ud;
    x->stream = NULL;
    x->stream_done = true;
    if (err) {
        x->failed = true;
        x->err = *err;
    }
}

static int out_round(struct cli *c, struct cmd_out_feed *of, struct round *r, struct error *err)
{
    memset(r, 0, sizeof *r);
    if (cmd_out_feed_poll(of, err) < 0) return -1;
    if (cmd_out_feed_unsupported(of)) return 0;
    if (run_round(c, r) < 0) {
        *err = r->err;
        return -1;
    }
    return 0;
}

static const struct cmd *find_pid(const struct cmd_hist *h, uint32_t pid)
{
    for (size_t i = h->n; i-- > 0;)
        if (h->v[i].pid == pid) return &h->v[i];
    return NULL;
}

static int output(struct cli *c, const char *id, uint32_t pid, bool follow)
{
    struct error err = {0};
    struct round r;
    struct cmd_feed *f = cmd_feed_new(c->api, id, round_cb, &r);
    if (!f) return cli_usage_error(c, "commands", _("invalid sandbox ID"));
    if (hist_round(c, f, &r, &err) < 0) {
        cmd_feed_free(f);
        return cli_fail(c, &err);
    }
    const struct cmd *k = find_pid(cmd_feed_hist(f), pid);
    if (!k) {
        cmd_feed_free(f);
        error_set(&err, ERROR_NOT_FOUND, _("no command with pid %u in the sandbox's logs"), pid);
        return cli_fail(c, &err);
    }
    struct cmd kc = *k; /* the history is rebuilt by later rounds */
    struct cmd_out_feed *of = cmd_out_feed_new(c->api, id, &kc, round_cb, &r);
    struct out_run x = {.c = c, .raw = !isatty(STDOUT_FILENO)};
    int rc = CLI_EXIT_OK;
    if (!of) {
        cmd_feed_free(f);
        return cli_usage_error(c, "commands", _("invalid sandbox ID"));
    }
    x.o = cmd_out_feed_output(of);
    bool running = kc.result == CMD_RUNNING;
    if (follow && running) {
        /* attach first: the log then has everything before this moment */
        struct sandbox sb;
        memset(&sb, 0, sizeof sb);
        if (envd_sandbox_lookup(c->api, id, &sb, &err) < 0 ||
            envd_client_init(&x.envd, c->http, id, c->sandbox_url,
                             sb.domain ? sb.domain : c->domain, c->cfg.debug, sb.envd_access_token,
                             NULL, &err) < 0) {
            sandbox_free(&sb);
            rc = cli_fail(c, &err);
            goto out;
        }
        sandbox_free(&sb);
        cmd_output_attach(x.o, loop_wall_ms() * 1000000);
        x.stream = envd_process_connect(&x.envd, pid, live_event, live_end, &x, &err);
        if (!x.stream) {
            rc = cli_fail(c, &err);
            goto out;
        }
        while (!x.started && !x.stream_done && loop_run_once(c->loop, 1000) >= 0)
            ;
    }
    if (out_round(c, of, &r, &err) < 0) {
        rc = cli_fail(c, &err);
        goto out;
    }
    if (cmd_out_feed_unsupported(of) || !cmd_feed_hist(f)->saw_output) {
        char o1[32], o2[32];
        fmt_size(kc.stdout_bytes, o1, sizeof o1);
        fmt_size(kc.stderr_bytes, o2, sizeof o2);
        if (kc.has_bytes)
            fprintf(c->stderr_fp,
                    _("boxtop: this backend keeps no command output (stdout %s, stderr %s)%s\n"),
                    o1, o2, follow && running ? _("; showing it from now on") : "");
        else
            fprintf(c->stderr_fp, _("boxtop: this backend keeps no command output%s\n"),
                    follow && running ? _("; showing it from now on") : "");
    }
    flush_lines(&x);
    if (x.stream || (follow && running && !x.stream_done)) {
        while (!x.stream_done) {
            loop_run_once(c->loop, 200);
            if (!x.o->seam_done && x.o->n > x.o->logged) {
                out_round(c, of, &r, &err);
                cmd_output_seam(x.o, false);
            }
            flush_lines(&x);
        }
        cmd_output_live_end(x.o);
        if (!x.o->seam_done) {
            out_round(c, of, &r, &err);
            cmd_output_seam(x.o, true);
        }
        flush_lines(&x);
        if (x.ended) {
            rc = x.end_status;
            goto out;
        }
        if (x.failed) {
            rc = cli_fail(c, &x.err);
            goto out;
        }
    }
    flush_lines(&x);
    if (kc.result == CMD_RUNNING) {
        fprintf(c->stderr_fp, "%s", _("boxtop: the command is still running\n"));
    } else {
        int st = cmd_exit_status(&kc);
        if (st >= 0)
            rc = st;
        else
            fprintf(c->stderr_fp, "%s", _("boxtop: the command's exit status is unknown\n"));
    }
out:
    if (x.stream) envd_stream_cancel(x.stream);
    if (x.envd.http) envd_client_free(&x.envd);
    cmd_out_feed_free(of);
    cmd_feed_free(f);
    return rc;
}

int cli_cmd_commands(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"follow", no_argument, NULL, 'f'}, {"state", required_argument, NULL, OPT_STATE},
        {"all", no_argument, NULL, 'a'},    {"json", no_argument, NULL, OPT_JSON},
        {"help", no_argument, NULL, 'h'},   {NULL, 0, NULL, 0}};
    struct cli_args a;
    struct error err = {0};
    const char *id = NULL, *pid_s = NULL, *state = NULL;
    bool follow = false, all = false;
    int k;
    cli_args_init(&a, argc, argv);
    while ((k = cli_args_next(&a, opts, &err)) != CLI_ARG_END) {
        if (k == 'f')
            follow = true;
        else if (k == OPT_STATE) {
            if (strcmp(a.value, "failed") != 0 && strcmp(a.value, "running") != 0)
                return cli_usage_error(c, "commands",
                                       _("unknown state \"%.20s\" (failed, running)"), a.value);
            state = a.value;
        } else if (k == 'a')
            all = true;
        else if (k == OPT_JSON)
            c->out = CLI_OUT_JSON;
        else if (k == 'h')
            return cli_help(c, COMMANDS_HELP);
        else if (k == CLI_ARG_POSITIONAL && !id)
            id = a.value;
        else if (k == CLI_ARG_POSITIONAL && !pid_s)
            pid_s = a.value;
        else if (k == CLI_ARG_POSITIONAL)
            return cli_usage_error(c, "commands", _("unexpected argument \"%.40s\""), a.value);
        else if (k == CLI_ARG_ERROR)
            return cli_usage_error(c, "commands", "%s", err.msg);
    }
    if (!id) return cli_usage_error(c, "commands", _("missing SANDBOX_ID"));
    int pid = 0;
    if (pid_s && (cli_parse_int(pid_s, "PID", &pid, &err) < 0 || pid < 1))
        return cli_usage_error(c, "commands", _("PID must be a positive number"));
    if (cli_connect(c, &err) < 0) return cli_fail(c, &err);
    signal(SIGPIPE, SIG_IGN);
    if (pid_s) return output(c, id, (uint32_t)pid, follow);
    return history(c, id, follow, state, all);
}
