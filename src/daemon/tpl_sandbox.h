/* tpl_sandbox.h - what a sandbox started from a built template gets on top of its layer:
 * the template's environment (under the create's own envVars) and its start command, run in
 * the background as the template's user in its workdir. E2B snapshots the VM with the start
 * command running; boxtopd has no memory snapshots, so the command starts with each sandbox
 * (the documented divergence). The ready command is checked at build time only. */
#ifndef BOXTOPD_TPL_SANDBOX_H
#define BOXTOPD_TPL_SANDBOX_H

#include "boxtop/error.h"

struct daemon;
struct sbx;
struct tpl_build;
struct cJSON;

/* The env vars for the create: a new object with b's envs, then req's (taken, may be NULL). */
struct cJSON *tpl_sandbox_env(const struct tpl_build *b, struct cJSON *req);
/* Start b's start command in s (no-op without one). */
int tpl_sandbox_start_cmd(struct daemon *d, struct sbx *s, const struct tpl_build *b,
                          struct error *err);

#endif
