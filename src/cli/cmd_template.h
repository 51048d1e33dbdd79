/* cmd_template.h - the template build helpers cmd_template.c uses (cmd_template_build.c). */
#ifndef BOXTOP_CMD_TEMPLATE_H
#define BOXTOP_CMD_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "boxtop/error.h"

struct cli;

/* Build FILE (an e2b.Dockerfile; its directory is the build context) as template name. */
int cli_template_build(struct cli *c, const char *file, const char *name, int cpu, int memory,
                       bool follow);
/* Print a build's log entries (all pages; with follow until ready/error); status gets the
 * last status. err is set (and 0 returned) when the build ended in error. */
int cli_template_follow(struct cli *c, const char *tid, const char *bid, bool follow, char *status,
                        size_t sn, struct error *err);

#endif
