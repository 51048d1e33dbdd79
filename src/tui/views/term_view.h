/* term_view.h - the terminal view's state, shared by view_term.c (tabs, frames, keys) and
 * view_term_copy.c (copy mode). Not for other views: they use app.h's term_open_shell(). */
#ifndef BOXTOP_TUI_TERM_VIEW_H
#define BOXTOP_TUI_TERM_VIEW_H

#include <curses.h>
#include <stdint.h>

#include "../app.h"
#include "term.h"
#include "term_render.h"

struct session;

struct termcopy {
    int on;
    struct term_pos cur;    /* the copy cursor (line numbers as in term.h) */
    struct term_pos anchor; /* selection start when selecting */
    int selecting;
    char needle[256]; /* last search */
};

struct termview {
    struct view base;
    struct app *a;
    struct session *cur; /* the tab shown (NULL: none) */
    WINDOW *pane;        /* the terminal's own window: never erased by the frame */
    int ph, pw;
    int scroll;             /* lines scrolled back */
    uint64_t scrolled_seen; /* term_engine_scrolled() when scroll was last set */
    int need_full;
    int64_t frame_timer, last_frame, frame_due;
    int output_frame; /* the next frame was asked for by output */
    int split, split_w;
    uint32_t prefix;
    char prefix_name[16];
    int prefix_pending;
    struct term_colour_map cmap;
    cchar_t *line;
    int line_cap;
    char footer[256];
    struct termcopy copy;
};

void termview_show(struct termview *v, struct session *s);
void termview_want_frame(struct termview *v);
/* Copy mode (view_term_copy.c). */
void termcopy_enter(struct termview *v);
void termcopy_key(struct termview *v, int ch, int is_key);
void termcopy_highlight(struct termview *v, int row); /* after row was drawn */

#endif
