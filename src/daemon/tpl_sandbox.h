/* tpl_sandbox.h - what a sandbox started from a built template gets on top of its layers:
 * the template's environment (under the create's own envVars) and its start command, run in
 * the background as the template's user in its workdir. E2B snapshots the VM with the start
 * command running and ready; boxtopd has no memory snapshots, so the command starts with each
 * sandbox (the documented divergence) and `create` answers once the template's ready command
 * passes (retried, 50 ms doubling to 1 s), or after --ready-timeout fails with an error
 * naming the command and removes the sandbox. */
#ifndef BOXTOPD_TPL_SANDBOX_H
#define BOXTOPD_TPL_SANDBOX_H

#include "boxtop/error.h"

struct daemon;
struct sbx;
struct tpl;
struct tpl_build;
struct server_request;
struct cJSON;

/* The env vars for the create: a new object with b's envs, then req's (taken, may be NULL). */
struct cJSON *tpl_sandbox_env(const struct tpl_build *b, struct cJSON *req);
/* Start b's start command in s (no-op without one). */
int tpl_sandbox_start_cmd(struct daemon *d, struct sbx *s, const struct tpl_build *b,
                          struct error *err);

/* Answer req once b's ready command passed in s: 201 with created (taken), or 500 with s
 * killed. */
int tpl_sandbox_ready_wait(struct daemon *d, struct server_request *req, struct sbx *s,
                           const struct tpl *t, const struct tpl_build *b, struct cJSON *created,
                           struct error *err);

#endif
