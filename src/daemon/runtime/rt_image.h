/* rt_image.h - the base image's recipe, cache paths and builder (rt_image.c,
 * rt_image_build.c); the runtime's view of it is struct rt_base in rt_internal.h. */
#ifndef BOXTOPD_RT_IMAGE_H
#define BOXTOPD_RT_IMAGE_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include <sys/types.h>

#include "runtime.h"

/* Rootless: the user's subordinate id range (rt_subid.c), when newuidmap can map it. */
struct rt_subid {
    bool ok;
    uid_t uid; /* boxtopd's own ids: "user" (1000) inside */
    gid_t gid;
    uint32_t uid_start, gid_start; /* root inside */
    char user[64];
};

/* What E2B's base template offers agents (nodejs/npm cost +310 MB: an extra package). */
#define RT_IMAGE_PACKAGES                                                                          \
    "bash,coreutils,python3,python3-pip,python3-venv,git,curl,ca-certificates,procps,less,sudo"
/* Bump when the customize hook or the unpacking changes: a new recipe, a new image. */
#define RT_IMAGE_RECIPE_VERSION 1

struct rt_image_job {
    char dir[PATH_MAX]; /* CACHE/base/<key> */
    char recipe[6144];
    char suite[64];
    char mirror[512];
    char packages[1024]; /* extra packages, comma separated */
    char tarball[PATH_MAX];
    bool rebuild;
    bool as_root;        /* unpack with ids shifted to idbase (else owned by the caller) */
    uint32_t idbase;     /* host id of root inside the image */
    struct rt_subid sub; /* rootless with a range (sub.ok): unpacked with the sandbox map */
};

/* Recipe, key and paths from the options; idbase is the first id of the subordinate range
 * (root) or the caller's uid; sub (not root): the caller's usable range, or NULL. */
int rt_image_job_init(struct rt_image_job *j, const struct rt_base_opts *o, bool as_root,
                      uint32_t idbase, const struct rt_subid *sub, struct error *err);
int rt_image_lower_path(const struct rt_image_job *j, char *out, size_t n);
/* Blocking build (in a child process); messages to out, see rt_image_build.c. 0 = ready. */
int rt_image_build(const struct rt_image_job *j, int out);
/* The Debian mirror of the host's apt sources that carries suite, or deb.debian.org. */
void rt_image_default_mirror(const char *suite, char *out, size_t n);

#endif
