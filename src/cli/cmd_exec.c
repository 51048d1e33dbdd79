/* cmd_exec.c - `boxtop exec`: placeholder until the envd client lands (the envd client's
 * owner replaces this file wholesale). */
#include "config.h"

#include "boxtop/cli.h"
#include "boxtop/i18n.h"

int cli_cmd_exec(struct cli *c, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(c->stderr_fp, _("boxtop: exec is not available in this build\n"));
    return CLI_EXIT_ERROR;
}
