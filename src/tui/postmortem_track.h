/* postmortem_track.h - the sandboxes that left the list (issue 17): kept as ended rows for
 * PM_KEEP_MS (the newest PM_KEEP_MAX at most) with a post-mortem each, written to the store
 * (postmortem.h) once complete.
 *
 * Data flow: the model hands over a sandbox it drops (model.on_gone) → the tracker keeps the
 * box (state BOX_ENDED, its metric history intact) and starts a post-mortem from what boxtop
 * saw → asks the lifecycle events (retried while no killed event has arrived yet), the last
 * log lines and the commands history → decides the cause → saves the record → bumps the
 * model's generation so the views redraw. If the view on top showed that sandbox (a terminal,
 * file browser or commands view), the card is pushed over it. */
#ifndef BOXTOP_TUI_POSTMORTEM_TRACK_H
#define BOXTOP_TUI_POSTMORTEM_TRACK_H

#include "boxtop/postmortem.h"
#include "model.h"

#define PM_KEEP_MS (15 * 60 * 1000) /* ended rows stay this long */
/* and no more of them than this: under churn (make soak: ~50 ends a minute) 15 minutes of
 * rows would hold ~750 boxes with their metric histories; older ones are on disk */
#define PM_KEEP_MAX 256

struct app;
struct view;
struct pm_track;

/* Hooks a->model.on_gone. card_new makes the post-mortem card of a sandbox (the view, handed
 * in so that the two files do not call each other). */
struct pm_track *pm_track_new(struct app *a,
                              struct view *(*card_new)(struct app *a, const char *id));
void pm_track_free(struct pm_track *t); /* saves what is not saved yet */

/* The kept ended sandboxes (newest end first), for the sandboxes view's ended rows. */
int pm_track_count(const struct pm_track *t);
struct box *pm_track_box(const struct pm_track *t, int i);
/* The post-mortem of a kept sandbox, NULL when it is not kept (any more). */
const struct postmortem *pm_track_find(const struct pm_track *t, const char *id);
/* The post-mortem card of id (card_new), for views that must not call the card's file; NULL
 * (and the status line says so) when none is kept. */
struct view *pm_track_card(struct pm_track *t, const char *id);
/* Whether the sandboxes view shows ended rows (`x` toggles). */
int pm_track_shown(const struct pm_track *t);
void pm_track_toggle_shown(struct pm_track *t);

#endif
