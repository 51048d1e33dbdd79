/* cli_errors.c - how a command fails: exit codes by error kind, and the message on stderr
 * (sanitized: server text can carry terminal escapes) with its detail on a line under it. */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "boxtop/buf.h"
#include "cli.h"
#include "boxtop/i18n.h"
#include "boxtop/sanitize.h"

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

void cli_print_error(FILE *fp, const char *prefix, const struct error *err)
{
    struct buf b = BUF_INIT;
    buf_append_str(&b, prefix);
    sanitize_append(&b, err->msg, strnlen(err->msg, sizeof err->msg), 0);
    fprintf(fp, "%s\n", buf_cstr(&b));
    if (err->detail[0]) {
        /* what the words stand on (curl's text, the server's body) for a bug report or a
         * search; already redacted where it was made (http.c, envd_call.c) */
        buf_reset(&b);
        sanitize_append(&b, err->detail, strnlen(err->detail, sizeof err->detail), 0);
        fprintf(fp, _("  detail: %s\n"), buf_cstr(&b));
    }
    buf_free(&b);
}

int cli_fail(struct cli *c, const struct error *err)
{
    cli_print_error(c->stderr_fp, "boxtop: ", err);
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
