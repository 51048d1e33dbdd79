/* sblog.h - a sandbox's logs: what boxtopd says about it (start, envd calls, exits, OOM), in a
 * bounded ring, served by GET /sandboxes/{id}/logs (v1) and /v2/sandboxes/{id}/logs. */
#ifndef BOXTOPD_SBLOG_H
#define BOXTOPD_SBLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boxtop/log.h"

struct cJSON;

/* Room for a few commands' captured output (10 000 lines each at most, envd-process-logs.md
 * §3); the ring grows on demand, so an idle sandbox costs little. */
#define SBLOG_CAP 65536
/* Entries are at least this far apart: a millisecond then holds at most 500 of them, so a
 * client paging with millisecond cursors and 1000-entry pages always gets past it. */
#define SBLOG_GAP_NS 2000

struct sblog_entry {
    int64_t ts_ns; /* wall clock, unique and increasing within one sandbox */
    enum log_level level;
    char *message;
    struct cJSON *fields; /* object of strings, or NULL (entries without raw) */
    char *raw;            /* envd's stored line (JSON object text, nested values kept), or NULL */
    uint32_t out_pid;     /* a process_output entry of this pid; 0 otherwise */
};

struct sblog {
    struct sblog_entry *e; /* ring of cap (grows up to SBLOG_CAP) */
    size_t head, n, cap;
    int64_t last_ns;
};

struct sblog *sblog_new(void);
void sblog_free(struct sblog *l);
/* fields: copied; only string/number/bool members are kept (as strings). */
void sblog_add(struct sblog *l, int64_t now_ms, enum log_level level, const char *msg,
               const struct cJSON *fields);
/* An envd line (logger "process" and friends): raw holds every key but level and message,
 * numbers and objects as envd wrote them (v1 serves it as is; v2 flattens it). */
void sblog_add_raw(struct sblog *l, int64_t ts_ns, enum log_level level, const char *msg,
                   const struct cJSON *raw);
const struct sblog_entry *sblog_at(const struct sblog *l, size_t i); /* oldest = 0 */
size_t sblog_count(const struct sblog *l);
const char *sblog_level_name(enum log_level lv);

/* v2 `fields` of an entry (a new object of strings; NULL on ENOMEM): objects, arrays and
 * nulls dropped, numbers as Go's strconv.FormatFloat(v, 'G', -1, 64) (envd-process-logs.md §4). */
struct cJSON *sblog_entry_fields(const struct sblog_entry *e);
/* v1 `line`: the stored JSON line (malloc'd). */
char *sblog_entry_raw_line(const struct sblog_entry *e, const char *sandbox_id);
/* Go's FormatFloat(v, 'G', -1, 64): 412 -> "412", 2000000 -> "2E+06", 0.5 -> "0.5". */
void sblog_format_number(double v, char *out, size_t n);

/* Persistence (DIR/logs/<id>.jsonl): one entry as a JSON line (malloc'd, no newline), and
 * an entry read back from one (its own timestamp kept; -1 when malformed). */
char *sblog_entry_line(const struct sblog_entry *e);
int sblog_add_line(struct sblog *l, const char *line, size_t len);

#endif
