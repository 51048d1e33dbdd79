/* expiry.h - warnings before a sandbox ends (issue 17; expiry.c): the header's count of
 * sandboxes ending within a minute and the alert for a sandbox the user works with. */
#ifndef BOXTOP_TUI_EXPIRY_H
#define BOXTOP_TUI_EXPIRY_H

struct app;

/* Before a frame is drawn (app_run's before-sleep hook, while something is dirty): recount,
 * set a->expiry_alert and a->n_expiring, arm the next wake-up. */
void expiry_frame(struct app *a);
int expiry_soon_count(struct app *a); /* running sandboxes ending within a minute */
/* `+` while the alert shows: extend that sandbox by 5 minutes. 1 when handled. */
int expiry_key(struct app *a, int ch, int is_key);
void expiry_free(struct app *a);

#endif
