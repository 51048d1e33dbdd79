/* envd_lws.h - how boxtopd puts envd on its libwebsockets envd vhost.
 *
 * The daemon lists ENVD_LWS_PROTOCOLS in the envd vhost's protocol table (the first entry is
 * the HTTP handler for every request on that port, the second carries pty/pipe/inotify fds
 * adopted into the same loop), creates the vhost, then calls envd_lws_bind(). */
#ifndef BOXTOPD_ENVD_LWS_H
#define BOXTOPD_ENVD_LWS_H

#include <libwebsockets.h>

struct envd;

int envd_lws_http_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                     size_t len);
int envd_lws_raw_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                    size_t len);

#define ENVD_LWS_PROTOCOL_HTTP "envd-http"
#define ENVD_LWS_PROTOCOL_RAW  "envd-raw"
#define ENVD_LWS_PROTOCOLS                                                                         \
    {ENVD_LWS_PROTOCOL_HTTP, envd_lws_http_cb, sizeof(void *), 65536, 0, NULL, 0},                 \
    {                                                                                              \
        ENVD_LWS_PROTOCOL_RAW, envd_lws_raw_cb, 0, 0, 0, NULL, 0                                   \
    }

/* Attach envd to the vhost that lists ENVD_LWS_PROTOCOLS (after lws_create_vhost). */
int envd_lws_bind(struct envd *e, struct lws_context *ctx, struct lws_vhost *vh);

#endif
