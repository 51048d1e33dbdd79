/* denvd_opseq.c - envd's operation_id counter of a sandbox, kept across boxtopd restarts.
 *
 * Every Start/Connect takes the next id; log lines pair a process's output with its start by
 * it, so a restarted boxtopd must not hand out an id again. The runtime keeps a ceiling in
 * the sandbox's directory ("envd-ops", gone with the sandbox): ids up to it may have been
 * used, and a restart continues above it. It is raised a block at a time so that a Start
 * rarely writes a file. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "runtime/runtime.h"
#include "denvd_int.h"

#define OPS_NOTE  "envd-ops"
#define OPS_BLOCK 64

void denvd_ops_load(struct denvd_sbx *s)
{
    char buf[32];
    if (!s->rt || rt_sandbox_note_get(s->rt, OPS_NOTE, buf, sizeof buf) <= 0) return;
    char *end;
    unsigned long long v = strtoull(buf, &end, 10);
    if (end == buf || v >= UINT64_MAX / 2) return; /* not ours: start as if none */
    if (v > s->op_seq) s->op_seq = v;
    if (v > s->op_ceiling) s->op_ceiling = v;
}

void denvd_ops_reserve(struct denvd_sbx *s, uint64_t used)
{
    if (used > s->op_seq) s->op_seq = used;
    if (used <= s->op_ceiling || !s->rt) return;
    char buf[32];
    uint64_t ceiling = used + OPS_BLOCK;
    snprintf(buf, sizeof buf, "%" PRIu64 "\n", ceiling);
    if (rt_sandbox_note_put(s->rt, OPS_NOTE, buf) == 0) s->op_ceiling = ceiling;
}

uint64_t denvd_ops_next(struct denvd_sbx *s)
{
    uint64_t op = s->op_seq + 1;
    denvd_ops_reserve(s, op);
    return op;
}
