/* list_filter.h - GET /sandboxes and /v2/sandboxes: filters, order and paging over the
 * sandbox table (pure: no I/O, unit-tested).
 *
 * nextToken is opaque to clients: hex of "<startedAt ms>_<sandboxID>_<asc|desc>"; a token from
 * another order is refused (400 "Invalid next token"), as E2B does. */
#ifndef BOXTOPD_LIST_FILTER_H
#define BOXTOPD_LIST_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boxtop/error.h"
#include "../query.h"

struct cJSON;
struct sbx;

struct list_filter {
    bool want_running, want_paused;
    struct query metadata; /* pairs that must all match */
    bool asc;
    int64_t started_after_ms; /* INT64_MIN = none */
    bool template_none;       /* a template filter that matches nothing */
    long long limit;
    bool has_cursor;
    int64_t cursor_ms;
    char cursor_id[80];
};

int list_filter_parse(struct list_filter *f, const struct query *q, bool v2, struct error *err);
void list_filter_free(struct list_filter *f);
bool list_filter_match(const struct list_filter *f, const struct sbx *s);

/* Run over the table: a JSON array of to_json(s, false) for the page; next gets the token
 * ("" on the last page); running_total counts matching running sandboxes before paging. */
struct cJSON *list_filter_run(const struct list_filter *f, struct sbx *const *v, size_t n,
                              struct cJSON *(*to_json)(const struct sbx *, bool), char *next,
                              size_t next_n, size_t *running_total);

int list_token_encode(int64_t ms, const char *id, bool asc, char *out, size_t n);
int list_token_decode(const char *tok, int64_t *ms, char *id, size_t idn, bool *asc);

#endif
