/* cmd_postmortem.c - boxtop postmortem SANDBOX_ID [--json]: why a sandbox ended, from the
 * post-mortems the TUI keeps under $XDG_STATE_HOME/boxtop/postmortems (issue 17). Reads the
 * store only: no backend is contacted, so it works for sandboxes long gone. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/i18n.h"
#include "boxtop/loop.h"
#include "boxtop/postmortem.h"
#include "cli_private.h"

static const char POSTMORTEM_HELP[] =
    "Usage: boxtop postmortem SANDBOX_ID [--json]\n"
    "Why a sandbox ended, as the terminal UI recorded it: when and why, its last commands,\n"
    "metrics, log lines and lifecycle events. The last 200 are kept in\n"
    "$XDG_STATE_HOME/boxtop/postmortems (default ~/.local/state/boxtop/postmortems).\n"
    "      --json   the record as JSON\n";

/* Errors are printed here rather than through cli.c's helpers: cli.c dispatches to this file,
 * and the two must not call each other (tests/arch). The exit codes are cli.h's. */
static int fail(struct cli *c, const struct error *err)
{
    cli_print_error(c->stderr_fp, "boxtop postmortem: ", err);
    return err->kind == ERROR_NOT_FOUND ? CLI_EXIT_NOT_FOUND
           : err->kind == ERROR_USAGE   ? CLI_EXIT_USAGE
                                        : CLI_EXIT_ERROR;
}

static int usage(struct cli *c, const char *msg)
{
    fprintf(c->stderr_fp, "boxtop postmortem: %s\n%s", msg, POSTMORTEM_HELP);
    return CLI_EXIT_USAGE;
}

int cli_cmd_postmortem(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"json", no_argument, NULL, OPT_JSON},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    struct cli_args a;
    struct error err = {0};
    const char *id = NULL;
    int k;
    cli_args_init(&a, argc, argv);
    while ((k = cli_args_next(&a, opts, &err)) != CLI_ARG_END) {
        if (k == OPT_JSON)
            c->out = CLI_OUT_JSON;
        else if (k == 'h')
            return cli_help(c, POSTMORTEM_HELP);
        else if (k == CLI_ARG_POSITIONAL && !id)
            id = a.value;
        else if (k == CLI_ARG_POSITIONAL)
            return usage(c, _("unexpected argument"));
        else if (k == CLI_ARG_ERROR)
            return usage(c, err.msg);
    }
    if (!id) return usage(c, _("missing SANDBOX_ID"));
    char *dir = pm_store_dir();
    if (!dir) {
        error_set(&err, ERROR_GENERIC, "%s", _("no state directory (set HOME or XDG_STATE_HOME)"));
        return fail(c, &err);
    }
    struct postmortem p;
    int rc = pm_store_load(dir, id, &p, &err);
    free(dir);
    if (rc < 0) return fail(c, &err);
    if (c->out == CLI_OUT_JSON) {
        char *text = pm_to_json(&p);
        cJSON *doc = text ? cJSON_Parse(text) : NULL;
        free(text);
        if (doc) cli_print_json(c, doc, false);
    } else {
        char **lines = NULL;
        int n = pm_card_lines(&p, &lines, loop_wall_ms());
        for (int i = 0; i < n; i++)
            cli_print_line(c->stdout_fp, lines[i]);
        if (n > 0) pm_lines_free(lines, n);
    }
    pm_free(&p);
    return CLI_EXIT_OK;
}
