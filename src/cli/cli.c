/* cli.c - the command-line dispatcher: global flags, backend selection, errors, help.
 *
 * Backend choice: a key from flags/env/config uses that API (cloud or self-hosted); without
 * a key a running local boxtopd (its state dir's boxtopd.json + api-key) is used; with
 * neither the command fails with a message saying how to get one. The CLI never starts
 * boxtopd itself: that is the TUI's job (it also stops what it started). */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/api.h"
#include "boxtop/buf.h"
#include "boxtop/cli.h"
#include "boxtop/http.h"
#include "boxtop/i18n.h"
#include "boxtop/local_backend.h"
#include "boxtop/loop.h"
#include "boxtop/sanitize.h"
#include "cli_private.h"

/* ---- errors ------------------------------------------------------------------------------ */

int cli_exit_code(const struct error *err)
{
    switch (err ? err->kind : ERROR_NONE) {
    case ERROR_NONE:
        return CLI_EXIT_OK;
    case ERROR_USAGE:
        return CLI_EXIT_USAGE;
    case ERROR_NOT_FOUND:
        return CLI_EXIT_NOT_FOUND;
    case ERROR_AUTH:
        return CLI_EXIT_AUTH;
    default:
        return CLI_EXIT_ERROR;
    }
}

int cli_fail(struct cli *c, const struct error *err)
{
    struct buf b = BUF_INIT;
    buf_append_str(&b, "boxtop: ");
    sanitize_append(&b, err->msg, strlen(err->msg), 0);
    fprintf(c->stderr_fp, "%s\n", buf_cstr(&b));
    buf_free(&b);
    int code = cli_exit_code(err);
    return code ? code : CLI_EXIT_ERROR;
}

int cli_usage_error(struct cli *c, const char *cmd, const char *fmt, ...)
{
    struct error e = {0};
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.msg, sizeof e.msg, fmt, ap);
    va_end(ap);
    e.kind = ERROR_USAGE;
    cli_fail(c, &e);
    fprintf(c->stderr_fp, _("Try 'boxtop %s --help'.\n"), cmd);
    return CLI_EXIT_USAGE;
}

/* ---- global flags ------------------------------------------------------------------------ */

static const struct cli_opt global_opts[] = {
    {"api-key", 0, true}, {"api-url", 0, true}, {"sandbox-url", 0, true}, {"domain", 0, true},
    {"context", 0, true}, {"config", 0, true},  {"state-dir", 0, true},   {NULL, 0, false},
};

int cli_take_global_flags(struct cli *c, int *argc, char **argv, struct error *err)
{
    int out = 1;
    for (int i = 1; i < *argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "--")) { /* everything after belongs to the command */
            while (i < *argc)
                argv[out++] = argv[i++];
            break;
        }
        if (!strcmp(s, "--no-start")) {
            c->no_start = true;
            continue;
        }
        int k = -1;
        const char *val = NULL;
        for (int j = 0; global_opts[j].name && k < 0; j++) {
            size_t n = strlen(global_opts[j].name);
            if (strncmp(s, "--", 2) || strncmp(s + 2, global_opts[j].name, n)) continue;
            if (s[2 + n] == '=') {
                k = j;
                val = s + 3 + n;
            } else if (s[2 + n] == '\0') {
                k = j;
                if (i + 1 >= *argc)
                    return error_set(err, ERROR_USAGE, _("option --%s needs a value"),
                                     global_opts[j].name);
                val = argv[++i];
            }
        }
        if (k < 0) {
            argv[out++] = argv[i];
            continue;
        }
        switch (k) {
        case 0:
            c->flags.api_key = val;
            break;
        case 1:
            c->flags.api_url = val;
            break;
        case 2:
            c->flags.sandbox_url = val;
            break;
        case 3:
            c->flags.domain = val;
            break;
        case 4:
            c->flags.context = val;
            break;
        case 5:
            c->flags.config_path = val;
            break;
        case 6:
            c->state_dir_flag = val;
            break;
        }
    }
    *argc = out;
    argv[out] = NULL;
    return 0;
}

/* ---- backend ----------------------------------------------------------------------------- */

static int dup_into(char **dst, const char *src, struct error *err)
{
    free(*dst);
    *dst = src ? strdup(src) : NULL;
    if (src && !*dst) return error_set(err, ERROR_GENERIC, "out of memory");
    return 0;
}

int cli_connect(struct cli *c, struct error *err)
{
    if (c->api) return 0;
    if (!c->cfg_loaded) {
        if (config_load(&c->cfg, &c->flags, NULL, err) < 0) return -1;
        c->cfg_loaded = true;
    }
    c->state_dir = c->state_dir_flag ? strdup(c->state_dir_flag) : local_backend_default_dir();
    if (!(c->loop = loop_new()) || !(c->http = http_new(c->loop, NULL)))
        return error_set(err, ERROR_GENERIC, "out of memory");
    if (dup_into(&c->domain, c->cfg.domain ? c->cfg.domain : "e2b.app", err) < 0 ||
        dup_into(&c->sandbox_url, c->cfg.sandbox_url, err) < 0)
        return -1;

    if (c->cfg.api_key) {
        if (dup_into(&c->api_url, c->cfg.api_url, err) < 0 ||
            dup_into(&c->api_key, c->cfg.api_key, err) < 0)
            return -1;
    } else {
        struct local_backend_info info;
        struct error lerr = {0};
        bool have_local =
            c->state_dir && local_backend_probe(c->loop, c->http, c->state_dir, &info, &lerr) == 0;
        /* none running (not one that fails to answer): start it, as the TUI would */
        if (!have_local && !c->cfg.api_url_explicit && !c->no_start && c->state_dir &&
            lerr.kind == ERROR_NOT_FOUND) {
            if (cli_start_local(c, &info, err) < 0) return -1;
            have_local = true;
        }
        if (have_local && (!c->cfg.api_url_explicit || !strcmp(c->cfg.api_url, info.api_url))) {
            c->local = true;
            if (dup_into(&c->api_url, info.api_url, err) < 0 ||
                dup_into(&c->api_key, info.api_key, err) < 0 ||
                (!c->sandbox_url && dup_into(&c->sandbox_url, info.sandbox_url, err) < 0)) {
                local_backend_info_free(&info);
                return -1;
            }
        } else if (c->cfg.api_url_explicit) {
            /* An explicit URL without a key: try it; the server says 401 if it needs one. */
            if (dup_into(&c->api_url, c->cfg.api_url, err) < 0) return -1;
        } else {
            if (have_local) local_backend_info_free(&info);
            if (lerr.kind != ERROR_NONE && lerr.kind != ERROR_NOT_FOUND)
                return error_set(err, ERROR_AUTH,
                                 _("no backend: %s; set E2B_API_KEY, use --api-url, or run "
                                   "boxtop to start the local backend"),
                                 lerr.msg);
            return error_set(err, ERROR_AUTH,
                             _("no backend: set E2B_API_KEY, use --api-url, or run boxtop to "
                               "start the local backend"));
        }
        if (have_local) local_backend_info_free(&info);
    }
    c->api = api_new(c->http, c->api_url, c->api_key, err);
    return c->api ? 0 : -1;
}

void cli_free(struct cli *c)
{
    api_free(c->api);
    http_free(c->http);
    loop_free(c->loop);
    if (c->cfg_loaded) config_free(&c->cfg);
    free(c->state_dir);
    free(c->api_url);
    if (c->api_key) {
        memset(c->api_key, 0, strlen(c->api_key));
        free(c->api_key);
    }
    free(c->sandbox_url);
    free(c->domain);
    memset(c, 0, sizeof *c);
}

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
