/* fleet_compare.h - `:compare PATH` (issue 18): the copies of one file fetched from many
 * sandboxes, grouped by content (SHA-256), and a line diff between two of them. Pure: local
 * files in, groups and text out. */
#ifndef BOXTOP_FLEET_COMPARE_H
#define BOXTOP_FLEET_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "boxtop/buf.h"
#include "boxtop/error.h"

#define FLEET_DIFF_MAX_CELLS ((size_t)4 * 1000 * 1000) /* lines(a) x lines(b) we diff */

struct fleet_group {
    char sha256[65]; /* hex */
    int64_t size;
    int text;     /* no NUL byte: a line diff makes sense */
    int n;        /* copies */
    int *members; /* indices into the paths given */
};

/* Group paths[i] (NULL = skipped) by content, the largest group first (ties: first seen).
 * 0, or -1 with err when a file cannot be read. */
int fleet_compare_groups(const char *const *paths, int n, struct fleet_group **out, int *n_out,
                         struct error *err);
void fleet_groups_free(struct fleet_group *g, int n);

/* Line diff of two files: lines prefixed "  " (both), "- " (only in a), "+ " (only in b).
 * 0, or -1 with err (unreadable, or over FLEET_DIFF_MAX_CELLS). */
int fleet_line_diff(const char *path_a, const char *path_b, struct buf *out, struct error *err);

#endif
