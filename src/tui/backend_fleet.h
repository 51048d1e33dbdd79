/* backend_fleet.h - the fleet engine (boxtop/fleet.h) over the live backend's clients, for
 * views that act on many sandboxes (views/view_fleet.c). Over a replay there is nothing to run. */
#ifndef BOXTOP_TUI_BACKEND_FLEET_H
#define BOXTOP_TUI_BACKEND_FLEET_H

#include "boxtop/fleet.h"
#include "backend.h"

/* o's sandbox_url/domain are filled from the backend. NULL + err when impossible. */
struct fleet *backend_fleet_start(struct backend *b, const char *const *ids, int n,
                                  const struct fleet_opts *o, fleet_cb cb, void *ud,
                                  struct error *err);

#endif
