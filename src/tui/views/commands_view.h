/* commands_view.h - internals shared by the commands view (views/view_commands.c: the table of a
 * sandbox's commands, actions) and its output pane (views/view_commands_pane.c: one command's
 * output, logged and live). Not a public interface. */
#ifndef BOXTOP_TUI_COMMANDS_VIEW_H
#define BOXTOP_TUI_COMMANDS_VIEW_H

#include <stdint.h>

#include "boxtop/commands.h"
#include "boxtop/error.h"
#include "app.h"
#include "backend_remote.h"

#define COMMANDS_POLL_MS    1000 /* the history while following */
#define COMMANDS_LIST_EVERY 5    /* polls between Process.List calls */

/* One command's output pane. */
struct cmd_pane {
    int open;
    struct cmd c;    /* a copy of the command's identity and counts (strings not owned) */
    char *title;     /* the display command (owned) */
    char status[64]; /* c.status points here ("signal: killed") */
    struct cmd_out_feed *feed;
    struct brem_watch *live; /* the attach to the running command */
    int live_state;          /* 0 none, 1 attaching, 2 attached, 3 ended */
    int live_status;         /* the shell's exit status from the stream's end event */
    int unsupported;         /* the backend keeps no output */
    int top, stick;          /* first line shown; keep the newest line in view */
    char search[128];
    int match; /* line of the current match, -1 none */
    int64_t timer;
    char err[ERROR_MSG_MAX];
};

struct cmdsv {
    struct view base;
    struct app *app;
    char *id;
    struct api *api; /* the backend's (session_env) */
    struct cmd_feed *feed;
    int64_t timer;
    int follow, loaded, polls;
    uint64_t gen_seen; /* the history's gen the rows were built from */
    char err[ERROR_MSG_MAX];
    struct bremote *rem; /* the sandbox's processes (backend_remote.h) */
    struct brem_req *list_req;
    /* the table */
    size_t *vis; /* indices: < hist.n a logged command, else hist.listed[i - n] */
    size_t nvis, vis_cap;
    int cur, top, stick;
    char filter[128];
    int show_all, sort_col, sort_desc;
    int64_t sel_start;
    uint32_t sel_pid;
    int focus_pane;
    struct cmd_pane pane;
};

/* The sandbox's processes answer (its remote session is connected). */
static inline int cmdsv_ready(const struct cmdsv *v)
{
    return v->rem && v->rem->ops->state(v->rem) == BREM_READY;
}

const struct cmd *cmdsv_row(struct cmdsv *v, size_t vis_index);
/* Take the backend's api and envd URL now (a restarted local boxtopd has new ones): before
 * every call that uses v->api or the feeds. */
void cmdsv_follow_backend(struct cmdsv *v);
const struct cmd *cmdsv_selected(struct cmdsv *v);
int cmdsv_is_pty(const struct cmd *c);

/* The timeline (views/view_commands_timeline.c), pushed over the commands view; its cursor starts
 * at c (NULL: now). */
struct view *cmd_timeline_new(struct cmdsv *cv, const struct cmd *c);

void cmd_pane_open(struct cmdsv *v, const struct cmd *c);
void cmd_pane_close(struct cmdsv *v);
void cmd_pane_draw(struct cmdsv *v, WINDOW *w, int y0, int h, int wd);
int cmd_pane_key(struct cmdsv *v, int ch, int is_key);
/* The history changed: the command may have ended. */
void cmd_pane_history(struct cmdsv *v);
/* The sandbox's session became ready: attach to a running command. */
void cmd_pane_envd_ready(struct cmdsv *v);

#endif
