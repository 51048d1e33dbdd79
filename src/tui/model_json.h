/* model_json.h - write the model to JSON and read it back (--record / --replay).
 *
 * Format (version 1):
 *   {"version":1, "recordedAt":MS, "backend":"...", "concurrencyLimit":N, "startsPerMin":X,
 *    "sandboxes":[{"sandboxID":"..","templateID":"..","alias":"..","envdVersion":"..",
 *      "state":"running|paused","cpuCount":N,"memoryMB":N,"diskSizeMB":N,"startedAt":MS,
 *      "endAt":MS,"metadata":{"k":"v"},
 *      "samples":[{"t":MS,"cpu":PCT,"memUsed":B,"memTotal":B,"diskUsed":B,"diskTotal":B}]}]}
 * Times are Unix milliseconds. A replay shifts every time by (now - recordedAt) so that ages
 * and time-to-live look as they did when the recording was made. */
#ifndef BOXTOP_TUI_MODEL_JSON_H
#define BOXTOP_TUI_MODEL_JSON_H

#include <stdint.h>
#include "boxtop/buf.h"
#include "boxtop/error.h"
#include "model.h"

int model_to_json(const struct model *m, int64_t now_ms, struct buf *out, struct error *err);
/* Replace m's sandboxes with the document's (strings are untrusted and kept raw). */
int model_from_json(struct model *m, const char *text, size_t len, int64_t now_ms,
                    struct error *err);
int model_save_file(const struct model *m, int64_t now_ms, const char *path, struct error *err);
int model_load_file(struct model *m, const char *path, int64_t now_ms, struct error *err);

#endif
