/* tpl_build.h - runs a template build: its steps in a build sandbox, then the layer.
 *
 * The build sandbox is a runtime sandbox (never listed) stacked on the parent's layers
 * (nothing for base; seeded with a copy where the runtime cannot stack). Each step runs as E2B's orchestrator runs it: RUN through
 * `/bin/bash -l -c` as the step's user in the current workdir with the current env; COPY
 * checks the uploaded archive on the host (tpl_tar.h), hands the plain tar into the sandbox's
 * /tmp and unpacks it there as root (so no archive entry can reach a host path), then copies
 * with Docker's semantics and chowns; ENV/ARG expand $VAR from the current env; WORKDIR and
 * USER create what is missing. Then the start command (background) and the ready command
 * (every 2 s), then the writable layer becomes the build's layer (moved, or copied where
 * the runtime cannot stack). A failure ends the
 * build with status error, the step and its output, and removes the sandbox and the partial
 * layer. The whole build is keyed (tpl_build_key) so an unchanged rebuild reuses the layer.
 * All of it runs in boxtopd's loop: process output and exits arrive as fd callbacks. */
#ifndef BOXTOPD_TPL_BUILD_H
#define BOXTOPD_TPL_BUILD_H

#include <stdbool.h>

#include "boxtop/error.h"

struct daemon;
struct tpl;
struct tpl_build;
struct cJSON;

#define TPL_BUILDS_MAX       4            /* concurrent builds */
#define TPL_BUILD_TIMEOUT_MS (20 * 60000) /* a build's wall-clock limit */
#define TPL_LAYERS_MAX_BYTES (20LL << 30) /* disk all layers may take */
#define TPL_READY_TIMEOUT_MS (10 * 60000)

/* Start the waiting build b of t with the body of POST /v2/templates/{id}/builds/{bid}.
 * Validation errors (ERROR_USAGE -> 400) leave the build waiting; anything later ends it with
 * status error. */
int tpl_build_start(struct daemon *d, struct tpl *t, struct tpl_build *b, const struct cJSON *body,
                    struct error *err);
/* Cancel every running build (shutdown): status error, sandboxes removed. */
void tpl_builds_stop(struct daemon *d);
/* Remove build sandboxes and partial layers a previous run left behind (the layers off the
 * loop, rt_remove_later). */
void tpl_builds_cleanup(struct daemon *d);

#endif
