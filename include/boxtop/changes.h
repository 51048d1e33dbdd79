/* changes.h - "what did the agent change": the files created or modified in a sandbox since a
 * moment, as one `find` process (run by boxtop through envd, as root) prints them, plus the
 * deletions boxtop's watcher saw (issue 17). This is the pure part: parsing find's output,
 * which comes in arbitrary pieces and may hold any byte in a path (records end with NUL).
 * Strings are kept raw: whoever draws them sanitizes. Fuzzed: tests/fuzz/fuzz_changes.c. */
#ifndef BOXTOP_CHANGES_H
#define BOXTOP_CHANGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boxtop/buf.h"

#define CHG_RECORD_MAX 8192 /* a longer record is not find's: dropped */

/* The find expression's -printf format for one record (see chg_feed). */
#define CHG_PRINTF "%T@\\t%s\\t%u\\t%m\\t%p\\0"

struct chg_entry {
    char *path;
    int64_t size;
    int64_t mtime_ms; /* for a deletion: when the watcher saw it */
    char *owner;
    uint32_t mode; /* permission bits */
    bool deleted;  /* seen by the watcher, not by find */
};

struct chg_list {
    struct chg_entry *v;
    size_t n, cap;
};

struct chg_parser {
    struct buf pending; /* an unfinished record */
    bool skipping;      /* inside a record longer than CHG_RECORD_MAX */
    size_t bad;         /* malformed records dropped */
};

/* Feed len bytes of find's output: each complete record "MTIME\tSIZE\tOWNER\tMODE\tPATH\0"
 * (MTIME seconds with a fraction, MODE octal, PATH absolute) is appended to out; malformed
 * ones are counted in p->bad. Returns the records added, -1 on ENOMEM. */
int chg_feed(struct chg_parser *p, const char *data, size_t len, struct chg_list *out);
void chg_parser_free(struct chg_parser *p);

/* Add a deletion the watcher saw (path absolute). A later find record of the same path wins
 * (the file came back). 0 or -1 (ENOMEM). */
int chg_add_deleted(struct chg_list *l, const char *path, int64_t t_ms);
/* Newest first; deletions after the files. */
void chg_sort(struct chg_list *l);
void chg_list_free(struct chg_list *l);

#endif
