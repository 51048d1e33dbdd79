/* app_paste.h - bracketed paste in boxtop's own UI: the outer terminal is asked for it
 * (ESC[?2004h), and what arrives between ESC[200~ and ESC[201~ is one paste, never keys.
 * A terminal tab hands it to its shell (bracketed again only if the app inside asked for it);
 * a prompt or a form gets it as text with newlines as spaces; anywhere else it is ignored, so
 * a paste never triggers a list view's actions. */
#ifndef BOXTOP_APP_PASTE_H
#define BOXTOP_APP_PASTE_H

#include <stdint.h>

#include "boxtop/buf.h"

struct app;
/* Where pasted text for a prompt or form is typed, a key at a time (app_input.c's key handler;
 * handed in, so the two files do not call each other). */
typedef void (*app_key_fn)(struct app *a, int ch, int is_key);

struct app_paste {
    int begin_key, end_key; /* key codes get_wch reports for ESC[200~ / ESC[201~, 0 = none */
    int on;                 /* between the two */
    int cut;                /* more than PASTE_MAX arrived: the rest was dropped */
    int64_t last_ms;        /* when a byte of it last came */
    struct buf text;
};

/* Bracketed paste on the outer terminal on (at start, after a resume) or off (at exit). */
void app_paste_mode(int on);
/* Teach curses the two bracket sequences (after keypad() is on). */
void app_paste_init(struct app *a);
void app_paste_free(struct app *a);
/* One key from get_wch: 1 when it belonged to a paste (then it is not a key). */
int app_paste_key(struct app *a, int ch, int is_key, app_key_fn key);
/* Before a batch of keys: a paste whose end never came (a terminal that lost it) is delivered
 * after a pause, so keys do not vanish into it forever. */
void app_paste_check_stalled(struct app *a, app_key_fn key);

#endif
