/* events_parse.h - lifecycle events (GET /events/sandboxes[/{id}]) into a flat list (pure,
 * unit-tested, fuzzed: tests/fuzz/fuzz_events_json.c). The backend hands the list to the
 * events view (backend_fetch.h). Strings are kept raw: the view sanitizes when drawing. */
#ifndef BOXTOP_EVENTS_PARSE_H
#define BOXTOP_EVENTS_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "boxtop/error.h"

struct sbx_event {
    char *id;
    char *type;    /* short: "created", "paused", ... (the part after sandbox.lifecycle.) */
    char *sandbox; /* sandboxId */
    char *tmpl;    /* sandboxTemplateId, may be NULL */
    char *detail;  /* a summary of eventData ("kill_reason=timeout"), may be NULL */
    int64_t t_ms;
};

struct sbx_event_list {
    struct sbx_event *v;
    int n;
    int skipped; /* entries that were not valid events (counted, the view says so) */
    int cut;     /* valid entries beyond EVENTS_MAX_ITEMS, left out */
};

/* The view asks for 100; a server that sends more gets this many read. */
#define EVENTS_MAX_ITEMS 2000

/* Parse a JSON array; entries that are not objects with a type and a sandboxId are skipped
 * and counted, duplicates (same id) dropped; sorted newest first. 0, or -1 with err. */
int events_parse(const char *text, size_t len, struct sbx_event_list *out, struct error *err);
void events_list_free(struct sbx_event_list *l);
/* RFC 3339 ("2026-11-25T13:02:42.123456789Z", offsets allowed) to Unix ms; -1 when bad. */
int64_t events_parse_time(const char *s);

#endif
