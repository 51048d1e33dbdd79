/* server_wake.c - asking the loop to write or read a connection, used by both halves of the
 * server (server.c answers, server_conn.c moves bytes) without them calling each other. */
#include "config.h"

#include "server_int.h"

void server_conn_rearm_fire(lws_sorted_usec_list_t *sul)
{
    struct conn *c = (struct conn *)sul;
    if (c->wsi && !c->lingering) lws_callback_on_writable(c->wsi);
}

/* lws's RAW_FILE role clears POLLOUT after the writeable callback returns (ops-raw-file.c), so
 * a wakeup asked for inside it would be lost: it is asked for again from a timer right after. */
void server_conn_wake(struct conn *c)
{
    if (!c->wsi || c->lingering) return;
    if (c->in_writeable)
        c->want_write = true;
    else
        lws_callback_on_writable(c->wsi);
}

/* Read from the socket only while the bytes have somewhere to go. */
void server_conn_rx_update(struct conn *c)
{
    bool want = true;
    if (!c->lingering) {
        if (c->paused)
            want = false;
        else if (c->req && c->req->body_done && server_conn_in_pending(c) >= PIPELINE_MAX)
            want = false; /* pipelined requests wait for the current one */
    }
    if (!c->wsi || want == !c->rx_off) return;
    c->rx_off = !want;
    lws_rx_flow_control(c->wsi, want ? 1 : 0);
}
