/* denvd_conn.c - the response writer of a streaming envd request: body bytes queued on the
 * server's stream, with a backlog so a producer (process output, watch events) can stop
 * reading its source while the client is slow. */
#include "config.h"

#include "denvd_conn.h"
#include "server.h"

int denvd_conn_write(struct denvd_conn *c, const void *p, size_t n)
{
    if (!c->req || !c->streaming || c->ended) return -1;
    int rc = server_stream_write(c->req, p, n);
    if (server_stream_queued(c->req) > ENVD_BACKLOG_HIGH) c->was_high = true;
    return rc;
}

void denvd_conn_finish(struct denvd_conn *c)
{
    if (!c->req || c->ended) return;
    c->ended = true;
    server_stream_end(c->req);
}

void denvd_conn_abort(struct denvd_conn *c)
{
    /* Cut as E2B's edge cuts the streams of a sandbox that goes away: no Connect end-stream
     * frame and no end of the chunked body, the connection just closes. The SDK then asks
     * /health, gets 502 and reports that the sandbox was killed (sandboxKilledDuringRun). */
    if (!c->req || c->ended) return;
    c->ended = true;
    server_stream_cut(c->req);
}

size_t denvd_conn_backlog(const struct denvd_conn *c)
{
    return c->req ? server_stream_queued(c->req) : 0;
}

void denvd_conn_set_owner(struct denvd_conn *c, const struct denvd_conn_owner *o)
{
    c->owner = *o;
}
