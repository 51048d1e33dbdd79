/* tpl_builder.h - a template build driven from the TUI, in the loop: what the CLI's
 * `template build` does (parse the e2b.Dockerfile, pack and upload COPY sources, POST
 * /v3/templates and the build start, then poll status with logsOffset every 200 ms), as
 * callbacks instead of waits. The templates view owns one and shows its state; freeing it
 * detaches (the build goes on on the server). Works over the live backend only. */
#ifndef BOXTOP_TUI_TPL_BUILDER_H
#define BOXTOP_TUI_TPL_BUILDER_H

#include <stdint.h>

#include "boxtop/error.h"
#include "backend.h"

#define TPL_BUILDER_LINES_MAX 5000

struct tpl_builder_line {
    int level; /* 0 debug, 1 info, 2 warn, 3 error */
    char *msg; /* as the server sent it: sanitize before drawing */
};

struct tpl_builder {
    char name[128];
    char tid[32], bid[48];
    char status[16]; /* "preparing", "uploading", "waiting", "building", "ready", "error" */
    char error[ERROR_MSG_MAX];
    int step, n_steps; /* the last "[builder i/N]" seen */
    int64_t started_ms, finished_ms;
    struct tpl_builder_line *lines;
    int n_lines, cap_lines;
};

typedef void (*tpl_builder_cb)(void *ud); /* something changed: redraw */

struct tpl_builder *tpl_builder_start(struct backend *be, const char *file, const char *name,
                                      int cpu, int memory_mb, tpl_builder_cb cb, void *ud,
                                      struct error *err);
/* Follow a build that exists already (its log from the start, then live until it ends):
 * created_ms/finished_ms are its createdAt/finishedAt (wall clock ms, 0 = unknown / not yet). */
struct tpl_builder *tpl_builder_attach(struct backend *be, const char *tid, const char *bid,
                                       const char *name, int64_t created_ms, int64_t finished_ms,
                                       tpl_builder_cb cb, void *ud, struct error *err);
void tpl_builder_free(struct tpl_builder *t);

#endif
