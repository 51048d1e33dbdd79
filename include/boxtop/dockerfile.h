/* dockerfile.h - the e2b.Dockerfile subset E2B documents, parsed into template build steps.
 *
 * FROM (once, first): `base`/`e2bdev/base` = E2B's base image, anything else a template
 * (ID, alias, alias:tag); RUN, COPY/ADD (`--chown=u[:g]`, several sources = one step each),
 * ENV (`K=V ...` or `K V`), ARG (`K=V` or `K`), WORKDIR, USER; CMD/ENTRYPOINT become the start
 * command (as E2B's fromDockerfile does). Comments, blank lines and `\` continuations as in
 * Docker. Anything else — unknown instructions, control characters, a second FROM, a file over
 * DOCKERFILE_MAX_BYTES or DOCKERFILE_MAX_STEPS steps — is an error naming the line. The result
 * run as root in / (Docker's defaults: `USER root` and `WORKDIR /` come first, and `USER user`
 * / `WORKDIR /home/user` last unless the file sets them, as the SDK's fromDockerfile does). The
 * result is the steps array of POST /v2/templates/{id}/builds/{bid} (COPY steps without filesHash:
 * the caller adds it after hashing the build context). */
#ifndef BOXTOP_DOCKERFILE_H
#define BOXTOP_DOCKERFILE_H

#include <stddef.h>

#include "boxtop/error.h"

struct cJSON;

#define DOCKERFILE_MAX_BYTES (256 * 1024)
#define DOCKERFILE_MAX_STEPS 500

struct dockerfile {
    char *from_image;    /* "e2bdev/base", or NULL */
    char *from_template; /* or a template reference */
    struct cJSON *steps; /* [{"type","args":[...]}] */
    char *start_cmd;     /* CMD/ENTRYPOINT, or NULL */
    int n_steps;
};

/* 0, or -1 with err naming the line ("line 12: unknown instruction 'FOO'"). */
int dockerfile_parse(const char *text, size_t len, struct dockerfile *out, struct error *err);
void dockerfile_free(struct dockerfile *df);

#endif
