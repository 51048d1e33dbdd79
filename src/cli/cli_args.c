/* cli_args.c - command-line parsing for the CLI: options mixed with positionals, "--x V"
 * and "--x=V", short flags, "--" ending options; plus k=v, state list and integer values. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/api.h"
#include "cli.h"
#include "boxtop/i18n.h"
#include "boxtop/models.h"

void cli_args_init(struct cli_args *a, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    a->argc = argc;
    a->argv = argv;
    a->i = 1;
}

int cli_args_next(struct cli_args *a, const struct cli_opt *opts, struct error *err)
{
    a->value = NULL;
    if (a->i >= a->argc) return CLI_ARG_END;
    const char *s = a->argv[a->i++];
    if (a->only_positional || s[0] != '-' || !s[1]) {
        a->value = s; /* "-" alone is a positional (stdin/stdout by convention) */
        return CLI_ARG_POSITIONAL;
    }
    if (!strcmp(s, "--")) {
        a->only_positional = true;
        return CLI_ARG_DASHDASH;
    }
    const char *name = s + (s[1] == '-' ? 2 : 1);
    size_t nl = strcspn(name, "=");
    const char *inline_val = name[nl] == '=' ? name + nl + 1 : NULL;
    for (int k = 0; opts && opts[k].name; k++) {
        bool match = s[1] == '-' ? strlen(opts[k].name) == nl && !strncmp(opts[k].name, name, nl)
                                 : opts[k].short_name && nl == 1 && name[0] == opts[k].short_name;
        if (!match) continue;
        if (!opts[k].has_value) {
            if (inline_val) {
                error_set(err, ERROR_USAGE, _("option --%s takes no value"), opts[k].name);
                return CLI_ARG_ERROR;
            }
            return k;
        }
        if (inline_val) {
            a->value = inline_val;
        } else if (a->i < a->argc) {
            a->value = a->argv[a->i++];
        } else {
            error_set(err, ERROR_USAGE, _("option --%s needs a value"), opts[k].name);
            return CLI_ARG_ERROR;
        }
        return k;
    }
    /* Don't echo a whole "--api-key=..."-like argument back: name only, and bounded. */
    error_set(err, ERROR_USAGE, _("unknown option %.*s"),
              (int)(nl > 40 ? 40 : nl) + (s[1] == '-' ? 2 : 1), s);
    return CLI_ARG_ERROR;
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
