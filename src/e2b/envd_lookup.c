/* envd_lookup.c - get what envd calls need to know about a sandbox (envdAccessToken,
 * domain) from the platform API. Uses connect (POST /v2/sandboxes/{id}/connect), like the e2b
 * CLI: it resumes a paused sandbox and never shortens its lifetime. For command-line use:
 * runs the loop until the answer is in. */
#include "config.h"

#include <string.h>

#include "boxtop/api.h"
#include "boxtop/envd.h"

struct lookup {
    struct sandbox *out;
    struct error *err;
    int rc;
};

static void lookup_done(struct api_result *res, void *ud)
{
    struct lookup *lk = ud;
    if (res->err.kind != ERROR_NONE) {
        *lk->err = res->err;
        lk->rc = -1;
        return;
    }
    /* Move the model out of the result (the result is freed after the callback). */
    *lk->out = res->sandbox;
    memset(&res->sandbox, 0, sizeof res->sandbox);
    lk->rc = 0;
}

int envd_sandbox_lookup(struct api *a, const char *id, struct sandbox *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    struct lookup lk = {out, err, -1};
    error_set(err, ERROR_NETWORK, "no answer from the API");
    struct api_call *c = api_connect_sandbox(a, id, -1, lookup_done, &lk);
    if (!c) return -1;
    api_wait(a, c);
    if (lk.rc == 0) error_clear(err);
    return lk.rc;
}
