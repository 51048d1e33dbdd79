/* health.c - GET /health: plain-text liveness, plus which isolation is missing and how the
 * base image is (building with its progress, failed and why, or the host's root). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "../runtime/runtime.h"
#include "api.h"

/* " (base: downloading packages 40 %)"-style note, "" when the image is ready. */
static void base_note(struct daemon *d, char *out, size_t n)
{
    struct rt_base_status st;
    out[0] = '\0';
    if (!d->rt) return;
    rt_base_get_status(d->rt, &st);
    switch (st.state) {
    case RT_BASE_BUILDING:
        snprintf(out, n, "base: %s %d %%", st.phase, st.percent);
        break;
    case RT_BASE_FAILED:
        snprintf(out, n, "base image failed: %s", st.error);
        break;
    case RT_BASE_HOST:
        snprintf(out, n, "base: host root (--base host), sandboxes see the host's files");
        break;
    default:
        break;
    }
}

int api_health(struct daemon *d, struct server_request *req)
{
    char msg[1024], base[400];
    int n;

    if (d->shutting_down)
        return server_respond(req, 503, "text/plain; charset=utf-8", "Service is unavailable", 22);
    base_note(d, base, sizeof base);
    const char *sep = d->isolation_missing[0] && base[0] ? "; " : "";
    if (d->isolation_missing[0] || base[0])
        n = snprintf(msg, sizeof msg, "Health check successful (%s%s%s%s)",
                     d->isolation_missing[0] ? "isolation missing: " : "", d->isolation_missing,
                     sep, base);
    else
        n = snprintf(msg, sizeof msg, "Health check successful");
    if (n < 0) n = 0;
    if ((size_t)n >= sizeof msg) n = (int)sizeof msg - 1;
    return server_respond(req, 200, "text/plain; charset=utf-8", msg, (size_t)n);
}
