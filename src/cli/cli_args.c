/* cli_args.c - command-line parsing for the CLI on getopt_long: options mixed with
 * positionals, "--x V" and "--x=V", short flags, "--" ending options; plus k=v, state list
 * and integer values. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/api.h"
#include "cli_private.h"
#include "boxtop/i18n.h"
#include "boxtop/models.h"

void cli_args_init(struct cli_args *a, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    a->argc = argc;
    a->argv = argv;
    a->i = 1;
}

/* "unknown option --name" without its value: a mistyped "--api-key=..." must not be echoed. */
static int unknown(const char *arg, struct error *err)
{
    bool dd = arg[0] == '-' && arg[1] == '-';
    size_t nl = strcspn(arg + (dd ? 2 : 1), "=");
    return error_set(err, ERROR_USAGE, _("unknown option %.*s"),
                     (int)(nl > 40 ? 40 : nl) + (dd ? 2 : 1), arg);
}

static const struct option *find_val(const struct option *opts, int val)
{
    for (; opts && opts->name; opts++)
        if (opts->val == val) return opts;
    return NULL;
}

int cli_args_next(struct cli_args *a, const struct option *opts, struct error *err)
{
    a->value = a->arg = NULL;
    if (a->only_positional) {
        if (a->i >= a->argc) return CLI_ARG_END;
        a->value = a->arg = a->argv[a->i++];
        return CLI_ARG_POSITIONAL;
    }
    /* "-" first: positionals come back in place (value 1); ":" first: a missing value is
     * ':' and nothing is printed (opterr 0) — the messages are ours. */
    char shorts[2 + 3 * 64] = "-:";
    size_t n = 2;
    for (const struct option *o = opts; o && o->name && n + 3 < sizeof shorts; o++)
        if (o->val > 32 && o->val < 127) {
            shorts[n++] = (char)o->val;
            if (o->has_arg == required_argument) shorts[n++] = ':';
        }
    shorts[n] = '\0';
    if (!a->started) {
        optind = 0; /* glibc: start over on this argv */
        a->started = true;
    }
    opterr = 0;
    int at = optind > 0 ? optind : 1;
    int k = getopt_long(a->argc, a->argv, shorts, opts, NULL);
    const char *arg = at < a->argc ? a->argv[at] : "";
    a->arg = arg;
    a->i = optind;
    bool dd = arg[0] == '-' && arg[1] == '-';
    if (k == -1) {
        if (optind == at + 1 && at < a->argc && !strcmp(a->argv[at], "--")) {
            a->only_positional = true;
            a->i = optind;
            return CLI_ARG_DASHDASH;
        }
        return CLI_ARG_END;
    }
    if (k == 1) {
        a->value = optarg;
        return CLI_ARG_POSITIONAL;
    }
    if (k == ':') {
        const struct option *o = find_val(opts, optopt);
        error_set(err, ERROR_USAGE, _("option --%s needs a value"), o ? o->name : "?");
        return CLI_ARG_ERROR;
    }
    if (k == '?') {
        const struct option *o = dd && optopt ? find_val(opts, optopt) : NULL;
        if (o)
            error_set(err, ERROR_USAGE, _("option --%s takes no value"), o->name);
        else
            unknown(arg, err);
        return CLI_ARG_ERROR;
    }
    if (dd) { /* getopt_long takes a unique prefix; we want the whole name */
        const struct option *o = find_val(opts, k);
        size_t nl = strcspn(arg + 2, "=");
        if (!o || strlen(o->name) != nl || strncmp(o->name, arg + 2, nl)) {
            unknown(arg, err);
            return CLI_ARG_ERROR;
        }
    }
    a->value = optarg;
    return k;
}

int cli_args_common(struct cli *c, const char *cmd, const char *help, int k,
                    const struct cli_args *a, const struct error *err, const char **id)
{
    if (k == 'h') return cli_help(c, help);
    if (k == OPT_JSON) c->out = CLI_OUT_JSON;
    if (k == CLI_ARG_POSITIONAL && !*id) {
        *id = a->value;
        return -1;
    }
    if (k == CLI_ARG_POSITIONAL)
        return cli_usage_error(c, cmd, _("unexpected argument \"%.40s\""), a->value);
    if (k == CLI_ARG_ERROR) return cli_usage_error(c, cmd, "%s", err->msg);
    return -1;
}

int cli_args_many(struct cli *c, const char *help, int k, const struct cli_args *a,
                  const struct error *err, const char **pos, int max, int *npos)
{
    if (k == CLI_ARG_ERROR) return cli_usage_error(c, a->argv[0], "%s", err->msg);
    if (k == CLI_ARG_POSITIONAL) {
        if (*npos == max) return cli_usage_error(c, a->argv[0], _("too many arguments"));
        pos[(*npos)++] = a->value;
    }
    if (k == 'h') return cli_help(c, help);
    if (k == OPT_JSON) c->out = CLI_OUT_JSON;
    return -1;
}

int cli_parse_kv(const char *arg, struct kv_list *l, struct error *err)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg)
        return error_set(err, ERROR_USAGE, _("expected KEY=VALUE, got \"%.60s\""), arg);
    char *key = strndup(arg, (size_t)(eq - arg));
    if (!key || kv_list_add(l, key, eq + 1) < 0) {
        free(key);
        return error_set(err, ERROR_GENERIC, "out of memory");
    }
    free(key);
    return 0;
}

int cli_parse_states(const char *arg, int *states, struct error *err)
{
    *states = 0;
    const char *p = arg;
    while (*p) {
        size_t n = strcspn(p, ",");
        if (n == 7 && !strncmp(p, "running", 7))
            *states |= API_STATE_RUNNING;
        else if (n == 6 && !strncmp(p, "paused", 6))
            *states |= API_STATE_PAUSED;
        else if (n == 3 && !strncmp(p, "all", 3))
            *states |= API_STATE_RUNNING | API_STATE_PAUSED;
        else
            return error_set(err, ERROR_USAGE,
                             _("unknown state \"%.*s\" (use running, paused or both)"),
                             (int)(n > 40 ? 40 : n), p);
        p += n;
        if (*p == ',') p++;
    }
    if (!*states) return error_set(err, ERROR_USAGE, _("empty state list"));
    return 0;
}

int cli_parse_int(const char *arg, const char *what, int *out, struct error *err)
{
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (!*arg || *end || errno || v < 0 || v > INT_MAX)
        return error_set(err, ERROR_USAGE, _("%s must be a non-negative integer, got \"%.40s\""),
                         what, arg);
    *out = (int)v;
    return 0;
}
