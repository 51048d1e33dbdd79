/* health.c - GET /health: plain-text liveness, plus which isolation is missing. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "api.h"

int api_health(struct daemon *d, struct server_request *req)
{
    char msg[512];
    int n;

    if (d->shutting_down)
        return server_respond(req, 503, "text/plain; charset=utf-8", "Service is unavailable", 22);
    if (d->isolation_missing[0])
        n = snprintf(msg, sizeof msg, "Health check successful (isolation missing: %s)",
                     d->isolation_missing);
    else
        n = snprintf(msg, sizeof msg, "Health check successful");
    if (n < 0) n = 0;
    if ((size_t)n >= sizeof msg) n = (int)sizeof msg - 1;
    return server_respond(req, 200, "text/plain; charset=utf-8", msg, (size_t)n);
}
