/* events.h - lifecycle events (created, paused, resumed, updated, killed) in E2B's JSON shape
 * (metrics-logs-events.md §4), kept in memory (bounded) and appended to DIR/events.jsonl so
 * that they survive a restart. */
#ifndef BOXTOPD_EVENTS_H
#define BOXTOPD_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cJSON;
struct events;
struct sbx;

#define EVENTS_CAP 20000

int events_open(struct events **out, const char *state_dir);
void events_free(struct events *ev);

/* type: "created" | "paused" | "resumed" | "updated" | "killed" (the suffix of
 * sandbox.lifecycle.*); data: extra eventData members (taken; may be NULL). */
void events_emit(struct events *ev, const struct sbx *s, const char *type, struct cJSON *data);

/* Called with every event emitted (after it is recorded); fn NULL removes the hook. The
 * webhooks deliver from here. */
typedef void (*events_hook_fn)(void *ud, const struct cJSON *event);
void events_set_hook(struct events *ev, events_hook_fn fn, void *ud);

/* Matching events as a new JSON array: sandbox_id NULL = team-wide; types NULL/ntypes 0 = all
 * (full "sandbox.lifecycle.x" names). */
struct cJSON *events_query(const struct events *ev, const char *sandbox_id, size_t offset,
                           size_t limit, bool order_asc, const char *const *types, size_t ntypes);

/* Pure helpers (unit-tested): the v1 label for a type ("create" for ...created). */
const char *events_label(const char *type_suffix);

#endif
