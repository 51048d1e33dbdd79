/* list_memo.h - what each page of last round's listing held, so that a page that comes back
 * byte for byte the same is neither scanned nor merged again (issue 22: at 10 000 sandboxes a
 * steady round lists 100 such pages; hashing their objects one by one and looking up each
 * sandbox was a tenth of a refresh).
 *
 * A page is recorded after it was merged: its length and hash, and for every sandbox it
 * listed the hash of that sandbox's list object as merged (box.list_hash). The same page k
 * next round is taken as it is only when its length and hash match, no sandbox has left the
 * model since (model.removals: the recorded pointers are still sandboxes of the model), and
 * every recorded sandbox still carries the object the page gave it (another page may have
 * merged a different one since). Anything else: the caller scans and merges the page as
 * always and records it again. */
#ifndef BOXTOP_TUI_LIST_MEMO_H
#define BOXTOP_TUI_LIST_MEMO_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

struct list_memo_box {
    struct box *s;
    uint64_t list_hash;
};

struct list_memo_page {
    int valid;
    size_t len;
    uint64_t hash;
    uint64_t removals; /* model.removals when recorded */
    int cursor_after;  /* the backend's listing cursor after the page (model.sb index) */
    int items;         /* what the page counted for paging */
    struct list_memo_box *boxes;
    int n, cap;
};

struct list_memo {
    struct list_memo_page *pages;
    int n; /* pages allocated */
};

void list_memo_free(struct list_memo *lm);
/* Forget page k (it failed, or went through the strict parser). */
void list_memo_drop(struct list_memo *lm, int k);

/* Page k's body is the one recorded and still describes the model: its sandboxes are stamped
 * seen in round (*listed counts those not yet seen in it), *items and *cursor are what the
 * merge gave last time, and 1 is returned. 0: nothing was changed; merge the page. */
int list_memo_take(struct list_memo *lm, int k, const char *body, size_t len, const struct model *m,
                   unsigned round, int *listed, int *items, int *cursor);

/* Record page k as merged: its body, the n sandboxes it listed (their list_hash as now),
 * what it counted and the cursor after it. -1 (nothing kept) when out of memory. */
int list_memo_record(struct list_memo *lm, int k, const char *body, size_t len,
                     const struct model *m, struct box *const *boxes, int n, int items, int cursor);

#endif
