/* cli_errors.c - how a command fails: exit codes by error kind, and the one-line message on
 * stderr (sanitized: server text can carry terminal escapes). */
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
