/* backend_fleet.c - start the fleet engine on the live backend's http and api clients (the
 * same ones terminal sessions use, session.h), so views never touch the network. */
#include "config.h"

#include "boxtop/i18n.h"
#include "backend_fleet.h"
#include "session.h"

struct fleet *backend_fleet_start(struct backend *b, const char *const *ids, int n,
                                  const struct fleet_opts *o, fleet_cb cb, void *ud,
                                  struct error *err)
{
    struct session_env env;
    if (!b || !b->ops->session_env || b->ops->session_env(b, &env) < 0) {
        error_set(err, ERROR_USAGE, _("not connected to a live backend (a replay runs nothing)"));
        return NULL;
    }
    struct fleet_opts fo = *o;
    fo.sandbox_url = env.sandbox_url;
    fo.domain = env.domain;
    return fleet_start(env.http, env.api, ids, n, &fo, cb, ud, err);
}
