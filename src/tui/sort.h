/* sort.h - ordering of sandboxes by a column of the sandboxes table. */
#ifndef BOXTOP_TUI_SORT_H
#define BOXTOP_TUI_SORT_H

#include <stdint.h>
#include "model.h"

enum sort_key {
    SORT_ID = 0,
    SORT_TEMPLATE,
    SORT_STATE,
    SORT_CPU,
    SORT_MEM,
    SORT_DISK,
    SORT_AGE,
    SORT_TTL,
    SORT_META,
    SORT_N
};

/* Sort v[0..n) in place by key (ascending, or descending when reverse); ties break on id so
 * the order is stable between refreshes. now_ms is the wall clock (for age and TTL). Numeric
 * columns sort "most first" by default (CPU, memory, disk), as in top. Returns 0 or -1. */
int sort_sandboxes(struct box **v, int n, enum sort_key key, int reverse, int64_t now_ms);
/* 1 when key's natural order puts the column's biggest value first (the arrow points down). */
int sort_most_first(enum sort_key key);
const char *sort_key_name(enum sort_key key);
int sort_key_parse(const char *name); /* -1 when unknown */

#endif
