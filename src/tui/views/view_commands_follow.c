/* commands_follow.c - the commands view, its output pane and its timeline keep the backend's
 * api and envd client; a local boxtopd that boxtop restarted comes with new ones (a new api
 * object, envd on new ports). They take them again before every call (cmdsv_follow_backend):
 * the feeds go on from their cursors. Apart from view_commands.c so that the pane and the
 * timeline need nothing from it. */
#include "config.h"

#include "boxtop/commands.h"
#include "app.h"
#include "backend_fetch.h"
#include "session.h"
#include "views/commands_view.h"

void cmdsv_follow_backend(struct cmdsv *v)
{
    struct app *a = v->app;
    struct session_env env;
    if (!a->be || !a->be->ops->session_env || a->be->ops->session_env(a->be, &env) < 0 || !env.api)
        return;
    v->api = env.api;
    cmd_feed_set_api(v->feed, env.api);
    cmd_out_feed_set_api(v->pane.feed, env.api);
    bfetch_follow_envd(a->be, v->envd);
}
