/* webhook_http.h - outgoing HTTP POSTs from boxtopd's lws loop with libcurl multi, never
 * blocking: curl's sockets sit in an epoll set whose one fd the server watches, and curl's
 * timeout is a server timer. Only the webhook deliveries use it. */
#ifndef BOXTOPD_WEBHOOK_HTTP_H
#define BOXTOPD_WEBHOOK_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "boxtop/error.h"

struct server;
struct whttp;
struct whttp_req;

/* status: the HTTP status (0 when no answer came); err: "" or what failed (no secret: the
 * message names the failure class, never the URL's query or headers). */
typedef void (*whttp_done_fn)(int status, const char *err, void *ud);

int whttp_new(struct whttp **out, struct server *srv, struct error *err);
void whttp_free(struct whttp *h); /* cancels everything silently */

/* POST body (copied) with headers (NULL-terminated "Name: value", copied). done runs once
 * from the loop, unless whttp_cancel came first. NULL on failure to start. */
struct whttp_req *whttp_post(struct whttp *h, const char *url, const char *const *headers,
                             const char *body, size_t len, long timeout_ms, whttp_done_fn done,
                             void *ud);
void whttp_cancel(struct whttp_req *r);

#endif
