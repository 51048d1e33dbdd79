/* procmeta.h - what envd asks a sandbox's init to keep with each process it starts (the
 * process's tag and ProcessConfig, as Process/List shows them), so that a boxtopd restarted
 * after a crash lists the processes it adopts as the old one did (rt_procs_adopt). */
#ifndef BOXTOPD_ENVD_PROCMETA_H
#define BOXTOPD_ENVD_PROCMETA_H

#include <stddef.h>
#include <stdint.h>
#include <cJSON.h>

#include "boxtop/buf.h"

#define PROCMETA_MAX (16 * 1024) /* what init keeps per process (RT_META_MAX) */

/* {"op":…,"deadline":…,"tag":…,"config":…} in at most max bytes (op: envd's operation_id of
 * the Start, so the process's later log lines pair with its start line, NULL = none; deadline:
 * when its time limit ends, ms since the epoch, so that a restarted boxtopd keeps it, 0 =
 * none): when it does not fit,
 * the config's envs are left out, then its args, then the whole config (op and tag too long:
 * nothing). Returns 0, or -1 when not even that fits (out empty). */
int procmeta_build(struct buf *out, const char *op, int64_t deadline_ms, const char *tag,
                   const cJSON *config, size_t max);
/* The reverse, for bytes from init: *tag (NULL when none) and *config (an object, never
 * NULL on success) are the caller's; op gets the operation_id ("" when none or longer than
 * opn - 1), *deadline_ms the deadline (0 when none). Returns -1 (nothing allocated) when meta
 * is not an object of that shape. */
int procmeta_parse(const char *meta, size_t len, char *op, size_t opn, int64_t *deadline_ms,
                   char **tag, cJSON **config);

#endif
