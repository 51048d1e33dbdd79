/* fastscan.h - allocation-free readers of the two responses the sandboxes view polls every
 * 5 s, so that a refresh at 10 000 sandboxes stays cheap:
 *   - a /v2/sandboxes page is split into its objects (raw spans with their sandboxID) so the
 *     poller can hash each one and skip those that did not change since the last refresh;
 *   - a /sandboxes/metrics answer, and a sandbox's window of samples, are read straight into
 *     samples, without a cJSON tree.
 * Both only accept the plain shapes the API sends; on anything else they return -1 and the
 * caller falls back to the strict parsers of include/boxtop/models.h, which give the same
 * result or the canonical error message. Never trusted for more than that. */
#ifndef BOXTOP_TUI_FASTSCAN_H
#define BOXTOP_TUI_FASTSCAN_H

#include <stddef.h>
#include <stdint.h>

#include "boxtop/models.h"

/* One object of a JSON array: its bytes [p, p+len), and the value of its top-level
 * "sandboxID" when that is a string without escapes (id = NULL otherwise). */
struct scan_obj {
    const char *p;
    size_t len;
    const char *id;
    size_t id_len;
};

typedef int (*scan_obj_cb)(const struct scan_obj *o, void *ud); /* nonzero stops */

/* Walk a JSON array of objects. 0 when the whole text is exactly that, -1 otherwise (or when
 * cb stopped). Only the structure is checked; each object is still to be parsed strictly
 * unless it is byte-identical to one that was. */
int scan_list_objects(const char *text, size_t len, scan_obj_cb cb, void *ud);

/* The same, but before reading an object it asks known(p, avail, ud) for the length of an
 * object it already knows starts at p (byte-identical to one the strict parser accepted,
 * found by the caller by length and hash); a nonzero length is taken as that object's span
 * unread (cb gets id = NULL), 0 reads it as scan_list_objects() does. */
typedef size_t (*scan_known_cb)(const char *p, size_t avail, void *ud);
int scan_list_objects_known(const char *text, size_t len, scan_known_cb known, scan_obj_cb cb,
                            void *ud);

/* 64-bit hash of bytes (for "same as last time"; not cryptographic). */
uint64_t scan_hash(const char *p, size_t len);

/* One entry of the batch metrics: id (not NUL-terminated, no escapes) and its sample, with
 * the strict parser's rules (non-negative integers, finite non-negative cpuUsedPct). */
typedef int (*scan_metric_cb)(const char *id, size_t id_len, const struct metric_sample *m,
                              void *ud);

/* Read {"sandboxes": {"<id>": SandboxMetric, ...}}. 0 when read, -1 when the text is anything
 * else (then use metrics_batch_parse()). cb may be called before a -1: callers stage. */
int scan_metrics_batch(const char *text, size_t len, scan_metric_cb cb, void *ud);

/* Read a window of samples, [SandboxMetric, ...] (GET /sandboxes/{id}/metrics), into out (as
 * metrics_parse() fills it: free with metric_list_free()). 0 when read, -1 (out empty) when the
 * text is anything else: then use metrics_parse(). */
int scan_metrics_array(const char *text, size_t len, struct metric_list *out);

#endif
