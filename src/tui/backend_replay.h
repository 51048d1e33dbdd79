/* backend_replay.h - what the replay backend (--replay FILE) offers besides its vtable: the
 * recording's "api" section, the response bodies of the endpoints the logs, events, templates
 * and team views fetch, served by backend_replay_fetch.c through the same parsers as live
 * answers. Format (each value exactly as the E2B API returns it):
 *   "api": {"teamID": "...",
 *           "logs": {"SANDBOX_ID": {"logs": [...]}},            GET /v2/sandboxes/{id}/logs
 *           "events": [...],                                     GET /events/sandboxes
 *           "templates": [...],                                  GET /templates
 *           "teamMetrics": [...],                                GET /teams/{id}/metrics
 *           "teamMetricsMax": {"concurrent_sandboxes": {...},    GET /teams/{id}/metrics/max
 *                              "sandbox_start_rate": {...}},
 *           "terminals": {"SANDBOX_ID": [asciicast v2 header, [t, "o", data], ...]},
 *           "snapshots": [...],                                  GET /snapshots
 *           "volumes": [...],                                    GET /volumes
 *           "webhooks": [...],                                   GET /events/webhooks
 *           "webhookDeliveries": {"WEBHOOK_ID": [...]}}          GET /events/webhooks/{id}/
 *                                                                    deliveries
 * (terminals: a shell's recording, one JSON value per line of the .cast file, shown by the
 * terminal view as an exited session.)
 * (webhookDeliveries: without it the recording's backend kept no delivery history, as E2B
 * cloud: 404; a webhook it does not list has had no deliveries.)
 * A recording without the section answers every fetch "not available in a replay". */
#ifndef BOXTOP_TUI_BACKEND_REPLAY_H
#define BOXTOP_TUI_BACKEND_REPLAY_H

#include <cJSON.h>
#include <stdint.h>

#include "backend_fetch.h"

int backend_replay_has_api(struct backend *b);
/* api.<key>, NULL when the recording has none. */
const cJSON *backend_replay_api(struct backend *b, const char *key);
const char *backend_replay_team_id(struct backend *b);
/* api.terminals.<id> (session.h: session_mgr_set_cast_source), NULL when none. */
const cJSON *backend_replay_cast(struct backend *b, const char *sandbox_id);

struct bfetch *replay_fetch_logs(struct backend *b, const char *id, const struct api_logs_query *q,
                                 api_done_cb cb, void *ud, struct error *err);
struct bfetch *replay_fetch_events(struct backend *b, const char *id, int limit, api_done_cb cb,
                                   void *ud, struct error *err);
struct bfetch *replay_fetch_templates(struct backend *b, api_done_cb cb, void *ud,
                                      struct error *err);
/* api.<section>.<id> as a raw result (the caller parses the body). */
struct bfetch *replay_fetch_keyed(struct backend *b, const char *section, const char *id,
                                  api_done_cb cb, void *ud, struct error *err);
/* api.<section> as a raw result (snapshots, volumes, webhooks). */
struct bfetch *replay_fetch_raw(struct backend *b, const char *section, api_done_cb cb, void *ud,
                                struct error *err);
/* api.webhookDeliveries.<id> (see above for a recording without them). */
struct bfetch *replay_fetch_deliveries(struct backend *b, const char *id, api_done_cb cb, void *ud,
                                       struct error *err);
/* metric NULL: the metrics series; else the max of that metric. */
struct bfetch *replay_fetch_team(struct backend *b, const char *metric, int64_t start_s,
                                 int64_t end_s, api_done_cb cb, void *ud, struct error *err);

#endif
