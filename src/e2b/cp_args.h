/* cp_args.h - the arguments of `boxtop cp SRC DST`: a local path or ID:/path in a sandbox.
 *
 * Like scp: an argument whose part before the first ':' is a sandbox ID (^[a-z0-9]+$) names
 * a sandbox path; anything else is local (write ./a:b for a local file named "a:b").
 * Arguments are user input and are checked: empty paths, control characters and absurd
 * lengths are rejected with a usage error. */
#ifndef BOXTOP_CP_ARGS_H
#define BOXTOP_CP_ARGS_H

#include <stdbool.h>

#include "boxtop/error.h"

#define CP_ID_MAX   64
#define CP_PATH_MAX 4096

struct cp_arg {
    bool remote;
    char id[CP_ID_MAX + 1]; /* remote only */
    const char *path;       /* points into the argument */
};

enum cp_direction { CP_UPLOAD, CP_DOWNLOAD };

struct cp_plan {
    enum cp_direction dir;
    struct cp_arg src, dst;
    const char *sandbox_id; /* the remote side's id (points into src or dst) */
};

int cp_arg_parse(const char *arg, struct cp_arg *out, struct error *err);
/* Exactly one side must be remote. */
int cp_args_plan(const char *src, const char *dst, struct cp_plan *out, struct error *err);

#endif
