/* cmd_fleet.c - `boxtop exec --all [--meta K=V]... [--state running] [--parallel N] [--json]
 * -- CMD`: CMD in every matching sandbox at once (issue 18), through the fleet engine the
 * TUI's `:exec` uses. One line per sandbox as it finishes: a table row, or with --json one
 * JSON object (sandboxID, state, exitCode, durationMs, outputBytes, output, error).
 * Exit status: 0 when every command exited 0, 1 otherwise, 2 usage. Ctrl-C cancels the
 * running ones (SIGKILL in their sandboxes). */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "boxtop/fleet.h"
#include "boxtop/http.h"
#include "boxtop/i18n.h"
#include "boxtop/loop.h"
#include "boxtop/sanitize.h"
#include "cli_private.h"

#define FLEET_LIST_PAGE 100

static const char EXEC_ALL_HELP[] =
    "Usage: boxtop exec --all [--meta KEY=VALUE]... [--state running] [--parallel N] [--json] "
    "-- COMMAND\n"
    "Run COMMAND (bash -l -c) in every matching sandbox, N at a time (default 8).\n"
    "  -m, --meta K=V      only sandboxes whose metadata has K=V (repeatable)\n"
    "  -s, --state LIST    running (default), paused or both\n"
    "  -p, --parallel N    at most N sandboxes at once\n"
    "      --json          one JSON line per sandbox\n";

struct fleet_cli {
    struct cli *c;
    struct fleet *f;
    int over, n_fail, n_nonzero, signals;
};

static const char *state_name(enum fleet_state s)
{
    switch (s) {
    case FLEET_DONE:
        return "done";
    case FLEET_FAILED:
        return "failed";
    case FLEET_CANCELLED:
        return "cancelled";
    case FLEET_RUNNING:
        return "running";
    default:
        return "queued";
    }
}

static void print_item(struct fleet_cli *fc, const struct fleet_item *it)
{
    struct cli *c = fc->c;
    int64_t ms = it->ended_ms - it->started_ms;
    if (it->state != FLEET_DONE)
        fc->n_fail++;
    else if (it->exit_code)
        fc->n_nonzero++;
    if (c->out == CLI_OUT_JSON) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "sandboxID", it->id);
        cJSON_AddStringToObject(o, "state", state_name(it->state));
        if (it->state == FLEET_DONE)
            cJSON_AddNumberToObject(o, "exitCode", it->exit_code);
        else
            cJSON_AddNullToObject(o, "exitCode");
        cJSON_AddNumberToObject(o, "durationMs", (double)ms);
        cJSON_AddNumberToObject(o, "outputBytes", (double)it->out_bytes);
        char *out = strndup(buf_cstr(&it->out), it->out.len); /* NULs end it */
        cJSON_AddStringToObject(o, "output", out ? out : "");
        free(out);
        if (it->err[0]) cJSON_AddStringToObject(o, "error", it->err);
        cli_print_json(c, o, true);
        return;
    }
    char first[256], res[32];
    fleet_first_line(it, first, sizeof first);
    if (it->state == FLEET_DONE)
        snprintf(res, sizeof res, "exit %d", it->exit_code);
    else
        snprintf(res, sizeof res, "%s", state_name(it->state));
    char *clean = sanitize_dup(it->state == FLEET_FAILED ? it->err : first, 0);
    fprintf(c->stdout_fp, "%-24s %-9s %6.1fs %8lld  %s\n", it->id, res, (double)ms / 1000,
            (long long)it->out_bytes, clean ? clean : "");
    fflush(c->stdout_fp);
    free(clean);
}

static void on_fleet(struct fleet *f, int i, void *ud)
{
    struct fleet_cli *fc = ud;
    if (i < 0) {
        fc->over = 1;
        return;
    }
    const struct fleet_item *it = fleet_item(f, i);
    if (it->state >= FLEET_DONE) print_item(fc, it);
}

static void on_signal(struct loop *l, int signo, void *ud)
{
    (void)l;
    (void)signo;
    struct fleet_cli *fc = ud;
    if (fc->signals++) {
        fc->over = 1; /* a second one: stop waiting */
        return;
    }
    fleet_cancel(fc->f);
}

/* Every sandbox matching q, all pages. */
static int list_all(struct cli *c, struct api_list_query *q, char ***ids, int *n, struct error *err)
{
    char *token = NULL;
    int pages = 0;
    *ids = NULL;
    *n = 0;
    do {
        struct cli_sync s = {0};
        q->limit = FLEET_LIST_PAGE;
        q->next_token = token;
        if (cli_sync_wait(c, api_list_sandboxes(c->api, q, cli_sync_cb, &s), &s) < 0) {
            *err = s.err;
            cli_sync_free(&s);
            free(token);
            return -1;
        }
        char **p = realloc(*ids, (size_t)(*n + s.sandboxes.n + 1) * sizeof *p);
        if (!p) {
            cli_sync_free(&s);
            free(token);
            error_set(err, ERROR_GENERIC, "out of memory");
            return -1;
        }
        *ids = p;
        for (int i = 0; i < s.sandboxes.n; i++)
            if (s.sandboxes.items[i].id) p[(*n)++] = strdup(s.sandboxes.items[i].id);
        int got = s.sandboxes.n;
        int stuck = !got || (token && s.next_token && !strcmp(token, s.next_token));
        free(token);
        token = stuck ? NULL : s.next_token;
        if (!stuck) s.next_token = NULL;
        cli_sync_free(&s);
    } while (token && ++pages < 1000);
    free(token);
    return 0;
}

int cli_cmd_exec_all(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"all", no_argument, NULL, 'a'},
                                         {"meta", required_argument, NULL, 'm'},
                                         {"state", required_argument, NULL, 's'},
                                         {"parallel", required_argument, NULL, 'p'},
                                         {"json", no_argument, NULL, OPT_JSON},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    struct cli_args a;
    struct error err = {0};
    struct kv_list md = {0};
    struct api_list_query q = {.states = API_STATE_RUNNING};
    int parallel = FLEET_PARALLEL_DEFAULT, k, cmd_at = -1, bad = 0;
    cli_args_init(&a, argc, argv);
    while (!bad && cmd_at < 0 && (k = cli_args_next(&a, opts, &err)) != CLI_ARG_END) {
        switch (k) {
        case 'a':
            break;
        case 'm':
            bad = cli_parse_kv(a.value, &md, &err);
            break;
        case 's':
            bad = cli_parse_states(a.value, &q.states, &err);
            break;
        case 'p':
            bad = cli_parse_int(a.value, "--parallel", &parallel, &err);
            if (!bad && (parallel < 1 || parallel > 1000)) {
                error_set(&err, ERROR_USAGE, _("--parallel takes 1 to 1000"));
                bad = -1;
            }
            break;
        case OPT_JSON:
            c->out = CLI_OUT_JSON;
            break;
        case 'h':
            kv_list_free(&md);
            return cli_help(c, EXEC_ALL_HELP);
        case CLI_ARG_DASHDASH:
            cmd_at = a.i;
            break;
        case CLI_ARG_POSITIONAL:
            error_set(&err, ERROR_USAGE, _("the command goes after --"));
            bad = -1;
            break;
        default:
            bad = -1;
        }
    }
    if (!bad && (cmd_at < 0 || cmd_at >= argc)) {
        error_set(&err, ERROR_USAGE, _("missing -- COMMAND"));
        bad = -1;
    }
    if (bad) {
        kv_list_free(&md);
        return cli_usage_error(c, "exec", "%s", err.msg);
    }
    struct buf cmd = BUF_INIT;
    for (int i = cmd_at; i < argc; i++)
        buf_printf(&cmd, "%s%s", i > cmd_at ? " " : "", argv[i]);
    if (cli_connect(c, &err) < 0) {
        kv_list_free(&md);
        buf_free(&cmd);
        return cli_fail(c, &err);
    }
    q.metadata = &md;
    char **ids = NULL;
    int n = 0, rc;
    if (list_all(c, &q, &ids, &n, &err) < 0) {
        rc = cli_fail(c, &err);
        goto out;
    }
    if (!n) {
        fprintf(c->stderr_fp, "%s", _("No sandboxes match.\n"));
        rc = CLI_EXIT_OK;
        goto out;
    }
    struct fleet_cli fc = {.c = c};
    struct fleet_opts fo = {.op = FLEET_EXEC,
                            .cmd = buf_cstr(&cmd),
                            .parallel = parallel,
                            .sandbox_url = c->sandbox_url,
                            .domain = c->domain,
                            .debug = c->cfg.debug};
    fc.f = fleet_start(c->http, c->api, (const char *const *)ids, n, &fo, on_fleet, &fc, &err);
    if (!fc.f) {
        rc = cli_fail(c, &err);
        goto out;
    }
    signal(SIGPIPE, SIG_IGN);
    loop_signal_add(c->loop, SIGINT, on_signal, &fc);
    loop_signal_add(c->loop, SIGTERM, on_signal, &fc);
    while (!fc.over && loop_run_once(c->loop, 1000) >= 0)
        ;
    /* a cancel is quiet: the cancelled ones are reported here */
    for (int i = 0; i < n; i++)
        if (fleet_item(fc.f, i)->state == FLEET_CANCELLED) print_item(&fc, fleet_item(fc.f, i));
    fleet_free(fc.f);
    /* the kills of cancelled commands still answer */
    for (int64_t end = loop_now_ms() + 5000; http_active(c->http) && loop_now_ms() < end;)
        loop_run_once(c->loop, 100);
    if (c->out != CLI_OUT_JSON)
        fprintf(c->stderr_fp,
                _("%d sandboxes: %d exited 0, %d exited non-zero, %d failed or cancelled\n"), n,
                n - fc.n_nonzero - fc.n_fail, fc.n_nonzero, fc.n_fail);
    rc = fc.n_fail || fc.n_nonzero || fc.signals ? CLI_EXIT_ERROR : CLI_EXIT_OK;
out:
    for (int i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
    kv_list_free(&md);
    buf_free(&cmd);
    return rc;
}
