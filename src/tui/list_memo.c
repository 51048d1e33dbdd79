/* list_memo.c - last round's list pages, to skip the ones that came back unchanged (see
 * list_memo.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "boxtop/grow.h"
#include "fastscan.h"
#include "list_memo.h"

void list_memo_free(struct list_memo *lm)
{
    for (int i = 0; i < lm->n; i++)
        free(lm->pages[i].boxes);
    free(lm->pages);
    lm->pages = NULL;
    lm->n = 0;
}

void list_memo_drop(struct list_memo *lm, int k)
{
    if (k >= 0 && k < lm->n) lm->pages[k].valid = 0;
}

int list_memo_take(struct list_memo *lm, int k, const char *body, size_t len, const struct model *m,
                   unsigned round, int *listed, int *items, int *cursor)
{
    if (k < 0 || k >= lm->n) return 0;
    struct list_memo_page *p = &lm->pages[k];
    if (!p->valid || p->len != len || p->removals != m->removals || !len ||
        scan_hash(body, len) != p->hash)
        return 0;
    /* every sandbox still holds what this page gave it (a cache miss each: fetch ahead) */
    for (int i = 0; i < p->n; i++) {
        if (i + 4 < p->n) __builtin_prefetch(&p->boxes[i + 4].s->list_hash);
        if (p->boxes[i].s->list_hash != p->boxes[i].list_hash) return 0;
    }
    for (int i = 0; i < p->n; i++) {
        struct box *s = p->boxes[i].s;
        *listed += s->seen != round;
        s->seen = round;
    }
    *items = p->items;
    *cursor = p->cursor_after;
    return 1;
}

int list_memo_record(struct list_memo *lm, int k, const char *body, size_t len,
                     const struct model *m, struct box *const *boxes, int n, int items, int cursor)
{
    if (k < 0) return -1;
    if (k >= lm->n) {
        struct list_memo_page *v = realloc(lm->pages, (size_t)(k + 1) * sizeof *v);
        if (!v) return -1;
        memset(v + lm->n, 0, (size_t)(k + 1 - lm->n) * sizeof *v);
        lm->pages = v;
        lm->n = k + 1;
    }
    struct list_memo_page *p = &lm->pages[k];
    p->valid = 0;
    if (GROW_INT(p->boxes, p->cap, n) < 0) return -1;
    for (int i = 0; i < n; i++)
        p->boxes[i] = (struct list_memo_box){boxes[i], boxes[i]->list_hash};
    p->n = n;
    p->len = len;
    p->hash = scan_hash(body, len);
    p->removals = m->removals;
    p->items = items;
    p->cursor_after = cursor;
    p->valid = 1;
    return 0;
}
