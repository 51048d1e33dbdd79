/* view_commands_follow.c - the commands view, its output pane and its timeline keep the
 * backend's api; a local boxtopd that boxtop restarted comes with a new one. They take it again
 * before every call (cmdsv_follow_backend): the feeds go on from their cursors (the remote
 * face, backend_remote.h, follows envd's new ports by itself). Apart from view_commands.c so that
 * the pane and the timeline need nothing from it. */
#include "config.h"

#include "boxtop/commands.h"
#include "app.h"
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
}
