/* webhooks_form.h - the create/edit form of the webhooks view: name, URL, the signature secret
 * (typed once, drawn as '*', wiped when the form closes; on edit an empty secret keeps the
 * current one), enabled, and the six event types as a checklist. The form owns no network: it
 * hands the fields to its submit callback and shows what the view tells it (busy, errors). */
#ifndef BOXTOP_TUI_WEBHOOKS_FORM_H
#define BOXTOP_TUI_WEBHOOKS_FORM_H

#include <curses.h>
#include <stdbool.h>

#include "boxtop/webhooks.h"

struct app;
struct whform;

typedef void (*whform_submit_fn)(struct whform *f, const struct webhook_fields *fields, void *ud);

/* edit NULL = a new webhook (everything subscribed, enabled). */
struct whform *whform_new(const struct webhook_info *edit, whform_submit_fn fn, void *ud);
void whform_free(struct whform *f); /* wipes the secret */
/* Returns 1 when handled; *cancel is set on Esc / Cancel (the caller then frees the form). */
int whform_key(struct whform *f, int ch, int is_key, int *cancel);
void whform_draw(struct whform *f, struct app *a, WINDOW *w, int h, int wd);
void whform_set_error(struct whform *f, const char *msg); /* NULL clears */
void whform_set_busy(struct whform *f, bool busy);
const char *whform_edit_id(const struct whform *f); /* NULL for a new webhook */

#endif
