/* cmd_metrics.c - boxtop metrics ID [--follow]: CPU/memory/disk samples of one sandbox.
 *
 * --follow polls every 5 s (the rate at which E2B records samples; the official CLI's
 * 400 ms only repeats the same points) with start = the last sample seen, drops samples
 * already printed, and stops when the sandbox is no longer running. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "boxtop/loop.h"
#include "cli_private.h"

#define FOLLOW_MS 5000

static const char METRICS_HELP[] =
    "Usage: boxtop metrics SANDBOX_ID [--follow] [--json]\n"
    "CPU, memory and disk samples of a sandbox (its whole history).\n"
    "  -f, --follow   keep printing new samples until the sandbox stops\n"
    "      --json     a JSON array (JSON lines with --follow)\n";

static void print_header(struct cli *c)
{
    fprintf(c->stdout_fp, "%-19s  %6s  %5s  %-21s  %s\n", "TIME", "CPU%", "CPUS",
            "MEM MiB (used/total)", "DISK MiB (used/total)");
}

static void print_sample(struct cli *c, const struct metric_sample *m)
{
    if (c->out == CLI_OUT_JSON) {
        cli_print_json(c, metric_sample_to_json(m), true);
        return;
    }
    char t[32], mem[48], disk[48];
    cli_format_time(m->ts * 1000, t, sizeof t);
    snprintf(mem, sizeof mem, "%lld/%lld", (long long)(m->mem_used >> 20),
             (long long)(m->mem_total >> 20));
    snprintf(disk, sizeof disk, "%lld/%lld", (long long)(m->disk_used >> 20),
             (long long)(m->disk_total >> 20));
    fprintf(c->stdout_fp, "%-19s  %6.1f  %5d  %-21s  %s\n", t, m->cpu_pct, m->cpu_count, mem, disk);
    fflush(c->stdout_fp);
}

int cli_cmd_metrics(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"follow", no_argument, NULL, 'f'},
                                         {"json", no_argument, NULL, OPT_JSON},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    struct cli_args a;
    struct error err = {0};
    const char *id = NULL;
    bool follow = false;
    int k;
    cli_args_init(&a, argc, argv);
    while ((k = cli_args_next(&a, opts, &err)) != CLI_ARG_END) {
        if (k == 'f')
            follow = true;
        else if (k == OPT_JSON)
            c->out = CLI_OUT_JSON;
        else if (k == 'h')
            return cli_help(c, METRICS_HELP);
        else if (k == CLI_ARG_POSITIONAL && !id)
            id = a.value;
        else if (k == CLI_ARG_POSITIONAL)
            return cli_usage_error(c, "metrics", _("unexpected argument \"%.40s\""), a.value);
        else if (k == CLI_ARG_ERROR)
            return cli_usage_error(c, "metrics", "%s", err.msg);
    }
    if (!id) return cli_usage_error(c, "metrics", _("missing SANDBOX_ID"));
    if (cli_connect(c, &err) < 0) return cli_fail(c, &err);

    int64_t last = 0;
    bool first = true;
    int rc = CLI_EXIT_OK;
    for (;;) {
        struct cli_sync s = {0};
        if (cli_sync_wait(c, api_sandbox_metrics(c->api, id, last, 0, cli_sync_cb, &s), &s) < 0) {
            rc = cli_fail(c, &s.err);
            cli_sync_free(&s);
            break;
        }
        if (first && s.metrics.n == 0 && cli_check_known(c, id, &err) < 0) {
            cli_sync_free(&s);
            return cli_fail(c, &err);
        }
        if (first && c->out != CLI_OUT_JSON) print_header(c);
        if (first && c->out == CLI_OUT_JSON && !follow) {
            cJSON *arr = cJSON_CreateArray();
            for (int i = 0; i < s.metrics.n; i++)
                cJSON_AddItemToArray(arr, metric_sample_to_json(&s.metrics.items[i]));
            cli_print_json(c, arr, false);
        } else {
            for (int i = 0; i < s.metrics.n; i++)
                if (s.metrics.items[i].ts > last || first) {
                    print_sample(c, &s.metrics.items[i]);
                }
        }
        for (int i = 0; i < s.metrics.n; i++)
            if (s.metrics.items[i].ts > last) last = s.metrics.items[i].ts;
        cli_sync_free(&s);
        first = false;
        if (!follow) break;
        cli_wait_ms(c, FOLLOW_MS);
        /* Stop with the sandbox: a paused or gone sandbox records nothing more. */
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
    return rc;
}
