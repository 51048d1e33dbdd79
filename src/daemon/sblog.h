/* sblog.h - a sandbox's logs: what boxtopd says about it (start, envd calls, exits, OOM), in a
 * bounded ring, served by GET /sandboxes/{id}/logs (v1) and /v2/sandboxes/{id}/logs. */
#ifndef BOXTOPD_SBLOG_H
#define BOXTOPD_SBLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boxtop/log.h"

struct cJSON;

#define SBLOG_CAP 4096

struct sblog_entry {
    int64_t ts_ns; /* wall clock, unique and increasing within one sandbox */
    enum log_level level;
    char *message;
    struct cJSON *fields; /* object of strings, or NULL */
};

struct sblog {
    struct sblog_entry *e; /* ring of SBLOG_CAP */
    size_t head, n;
    int64_t last_ns;
};

struct sblog *sblog_new(void);
void sblog_free(struct sblog *l);
/* fields: copied; only string/number/bool members are kept (as strings). */
void sblog_add(struct sblog *l, int64_t now_ms, enum log_level level, const char *msg,
               const struct cJSON *fields);
const struct sblog_entry *sblog_at(const struct sblog *l, size_t i); /* oldest = 0 */
size_t sblog_count(const struct sblog *l);
const char *sblog_level_name(enum log_level lv);

/* Persistence (DIR/logs/<id>.jsonl): one entry as a JSON line (malloc'd, no newline), and
 * an entry read back from one (its own timestamp kept; -1 when malformed). */
char *sblog_entry_line(const struct sblog_entry *e);
int sblog_add_line(struct sblog *l, const char *line, size_t len);

#endif
