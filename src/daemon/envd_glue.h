/* envd_glue.h - plugs src/daemon/envd (its own lws protocols on the envd vhost, see
 * envd/envd_lws.h) into boxtopd: sandbox lookups for envd, and the daemon's hooks forwarded
 * to it (process exits, sandboxes that stop). */
#ifndef BOXTOPD_ENVD_GLUE_H
#define BOXTOPD_ENVD_GLUE_H

#include "boxtop/error.h"

struct daemon;
struct lws_protocols;

/* The envd vhost's protocol list (for server_config.protocols). */
const struct lws_protocols *envd_glue_protocols(void);
/* After the server and the runtime exist: create envd, bind it to the envd vhost and set
 * d->envd_ops (shutdown frees it). */
int envd_glue_start(struct daemon *d, struct error *err);

#endif
