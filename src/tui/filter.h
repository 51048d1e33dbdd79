/* filter.h - the `/` filter of the sandboxes view, and of the templates view.
 *
 * A filter is whitespace-separated terms, all of which must match (AND):
 *   word            substring (case-insensitive) of the id, template id, alias, or any
 *                   metadata key or value
 *   state:paused    the state equals (running, paused)
 *   meta:key=value  metadata key equals value exactly;  meta:key  the key exists
 *   id:x template:x substring of that field only
 *   !term           negation of any of the above
 * Parsing never fails: an unknown `name:` prefix is taken as a plain word.
 * A template matches a word (or template:x) in its id, an alias or a name, id:x in its id,
 * state:x its build status (ready, building, waiting, error); meta: never (it has none). */
#ifndef BOXTOP_TUI_FILTER_H
#define BOXTOP_TUI_FILTER_H

#include "boxtop/models.h"
#include "model.h"

enum filter_kind { FILTER_WORD, FILTER_STATE, FILTER_META, FILTER_ID, FILTER_TEMPLATE };

struct filter_term {
    enum filter_kind kind;
    int negate;
    char *a; /* word, state, meta key, id or template text */
    char *b; /* meta value, or NULL for "key exists" */
};

struct filter {
    struct filter_term *terms;
    int n, cap;
};

/* Parse text into f (f is reset first). Returns 0, or -1 on ENOMEM. */
int filter_parse(struct filter *f, const char *text);
void filter_free(struct filter *f);
/* 1 when s passes every term; an empty filter matches everything. */
int filter_match(const struct filter *f, const struct box *s);
/* The same for a template of the templates view. */
int filter_match_template(const struct filter *f, const struct template_info *ti);

#endif
