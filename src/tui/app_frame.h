/* app_frame.h - the pieces of the frame that live beside app.c (the header, the status
 * line, the prompt, the help and confirm boxes): app.c's app_draw() calls them; views use app.h
 * only. */
#ifndef BOXTOP_TUI_APP_FRAME_H
#define BOXTOP_TUI_APP_FRAME_H

#include <stddef.h>

#include "app.h"

struct buf;

/* app_header.c: the two lines at the top. */
void app_draw_header(struct app *a);
/* app_status.c: the bottom line (the prompt, the expiry alert or the message). */
void app_draw_status(struct app *a);
/* app_prompt.c: the prompt's text as the status line draws it (sanitized) into out, with the
 * cursor's byte offset and column; returns its width. */
int app_prompt_text(struct app *a, struct buf *out, size_t *cur_off, int *cur_col);
/* app_help.c: the help box over the main window (h x wd). */
void app_draw_help(struct app *a, WINDOW *w, int h, int wd);
/* app_confirm.c: the yes/no box over the main window (h x wd). */
void app_draw_confirm(struct app *a, WINDOW *w, int h, int wd);

#endif
