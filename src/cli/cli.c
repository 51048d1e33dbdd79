/* cli.c - the command-line dispatcher: the command table, help, and cli_main(). The helpers
 * the commands share live beside it (cli_errors.c, cli_backend.c, cli_args.c, cli_table.c,
 * cli_sync.c), so calls go one way: cli.c → cmd_*.c → helpers. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "boxtop/i18n.h"

/* ---- dispatch ---------------------------------------------------------------------------- */

struct command {
    const char *name;
    int (*fn)(struct cli *c, int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    {"ls", cli_cmd_ls, N_("list sandboxes")},
    {"list", cli_cmd_ls, NULL},
    {"info", cli_cmd_info, N_("show one sandbox")},
    {"create", cli_cmd_create, N_("create a sandbox from a template")},
    {"kill", cli_cmd_lifecycle, N_("kill sandboxes")},
    {"pause", cli_cmd_lifecycle, N_("pause sandboxes")},
    {"resume", cli_cmd_lifecycle, N_("resume paused sandboxes")},
    {"timeout", cli_cmd_timeout, N_("set a sandbox's remaining lifetime")},
    {"metrics", cli_cmd_metrics, N_("CPU, memory and disk samples of a sandbox")},
    {"logs", cli_cmd_logs, N_("a sandbox's logs")},
    {"commands", cli_cmd_commands, N_("the commands a sandbox ran, and their output")},
    {"exec", cli_cmd_exec, N_("run a command in a sandbox")},
    {"cp", cli_cmd_cp, N_("copy files to or from a sandbox")},
    {"webhook", cli_cmd_webhook, N_("the team's lifecycle webhooks")},
    {"snapshot", cli_cmd_snapshot, N_("snapshot a sandbox's filesystem")},
    {"snapshots", cli_cmd_snapshots, N_("list or delete snapshots")},
    {"fork", cli_cmd_fork, N_("start new sandboxes from a sandbox's files")},
    {"volume", cli_cmd_volume, N_("list, create or delete volumes")},
    {"postmortem", cli_cmd_postmortem, N_("why a sandbox ended (as the terminal UI saw it)")},
    {"template", cli_cmd_template, N_("build, list, follow, tag and delete templates")},
    {NULL, NULL, NULL},
};

static void print_help(FILE *fp)
{
    fprintf(fp, _("Usage: boxtop [GLOBAL FLAGS] [COMMAND [ARGS]]\n\n"
                  "Without a command, boxtop starts its terminal UI.\n\nCommands:\n"));
    for (const struct command *k = commands; k->name; k++)
        if (k->summary) fprintf(fp, "  %-9s %s\n", k->name, _(k->summary));
    fprintf(fp, "  %-9s %s\n", "version", _("print the version"));
    fprintf(fp,
            _("\nGlobal flags:\n"
              "  --api-key KEY      E2B API key (else $E2B_API_KEY, the config file, or the local "
              "boxtopd)\n"
              "  --api-url URL      platform API URL (else $E2B_API_URL or https://api.DOMAIN)\n"
              "  --sandbox-url URL  envd URL for every sandbox ($E2B_SANDBOX_URL)\n"
              "  --domain DOMAIN    E2B domain ($E2B_DOMAIN, default e2b.app)\n"
              "  --context NAME     use a context of ~/.config/boxtop/config\n"
              "  --config FILE      read this config file instead\n"
              "  --state-dir DIR    local boxtopd state dir ($BOXTOP_STATE_DIR)\n"
              "  --no-start         without a key, do not start the local boxtopd (exit 4)\n"
              "\nExit codes: 0 ok, 1 error, 2 usage, 3 not found, 4 authentication or no "
              "backend.\nRun 'boxtop COMMAND --help' for a command's options.\n"));
}

bool cli_wants_tui(int argc, char **argv)
{
    struct cli c = {0};
    struct error err = {0};
    char **args = calloc((size_t)argc + 1, sizeof *args);
    if (!args) return false;
    memcpy(args, argv, (size_t)argc * sizeof *args);
    int n = argc;
    bool tui = false;
    if (cli_take_global_flags(&c, &n, args, &err) == 0) {
        const char *s = n >= 2 ? args[1] : NULL;
        /* Nothing left, or only options (e.g. --readonly) that the TUI parses itself. */
        tui =
            !s || (s[0] == '-' && strcmp(s, "--help") && strcmp(s, "-h") && strcmp(s, "--version"));
    }
    free(args);
    return tui;
}

int cli_main(int argc, char **argv)
{
    struct cli c = {0};
    c.stdout_fp = stdout;
    c.stderr_fp = stderr;
    struct error err = {0};

    char **args = calloc((size_t)argc + 1, sizeof *args);
    if (!args) return CLI_EXIT_ERROR;
    memcpy(args, argv, (size_t)argc * sizeof *args);
    int n = argc;
    if (cli_take_global_flags(&c, &n, args, &err) < 0) {
        free(args);
        return cli_fail(&c, &err);
    }
    int rc;
    if (n < 2) { /* main() sends this case to the TUI; here it is a usage error */
        free(args);
        print_help(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *name = args[1];
    if (!strcmp(name, "version") || !strcmp(name, "--version")) {
        printf("boxtop %s\n", PACKAGE_VERSION);
        rc = CLI_EXIT_OK;
    } else if (!strcmp(name, "help") || !strcmp(name, "--help") || !strcmp(name, "-h")) {
        print_help(stdout);
        rc = CLI_EXIT_OK;
    } else {
        const struct command *k = commands;
        while (k->name && strcmp(k->name, name))
            k++;
        if (!k->name) {
            struct error e;
            error_set(&e, ERROR_USAGE, _("unknown command \"%.40s\""), name);
            cli_fail(&c, &e);
            fprintf(stderr, _("Run 'boxtop --help' for the list of commands.\n"));
            rc = CLI_EXIT_USAGE;
        } else {
            rc = k->fn(&c, n - 1, args + 1);
        }
    }
    fflush(stdout);
    cli_free(&c);
    free(args);
    return rc;
}
