/* sort.c - sort sandboxes for the table. Keys are computed once per item, then qsort runs on
 * plain values, so a 10 000-row sort costs no string lookups in the comparator. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sort.h"

struct sort_item {
    struct box *s;
    double num;
    const char *str;
    /* the first 8 bytes of str and of the id, big-endian: most comparisons end here, without
     * touching the strings (cache misses at 10 000 rows) */
    uint64_t pfx, idpfx;
    int dir; /* +1 or -1: qsort has no user pointer in C11, so each item carries it */
};

/* Orders like strcmp() whenever the prefixes differ (a NUL pads shorter strings). */
static uint64_t prefix8(const char *s)
{
    uint64_t v = 0;
    for (int i = 0; i < 8 && s[i]; i++)
        v |= (uint64_t)(unsigned char)s[i] << (56 - 8 * i);
    return v;
}

static const char *const key_names[SORT_N] = {"id",   "template", "state", "cpu", "mem",
                                              "disk", "age",      "ttl",   "meta"};

const char *sort_key_name(enum sort_key key)
{
    return key < SORT_N ? key_names[key] : "?";
}

int sort_key_parse(const char *name)
{
    for (int i = 0; i < SORT_N; i++)
        if (!strcmp(name, key_names[i])) return i;
    return -1;
}

static int cmp_item(const void *pa, const void *pb)
{
    const struct sort_item *a = pa, *b = pb;
    int c = 0;
    if (a->str || b->str) {
        if (a->pfx != b->pfx)
            c = a->pfx < b->pfx ? -1 : 1;
        else
            c = strcmp(a->str ? a->str : "", b->str ? b->str : "");
    } else if (a->num != b->num) {
        c = a->num < b->num ? -1 : 1;
    }
    if (c) return c * a->dir;
    if (a->idpfx != b->idpfx) return a->idpfx < b->idpfx ? -1 : 1;
    return strcmp(a->s->id, b->s->id);
}

int sort_most_first(enum sort_key key)
{
    /* the column's biggest value on top: the metrics (negated in item_fill) and the age */
    return key == SORT_CPU || key == SORT_MEM || key == SORT_DISK || key == SORT_AGE;
}

static void item_fill(struct sort_item *it, struct box *s, enum sort_key key, int64_t now)
{
    /* only the metric keys read the history (one more cache miss per sandbox) */
    const struct sample *l =
        key == SORT_CPU || key == SORT_MEM || key == SORT_DISK ? box_latest(s) : NULL;
    it->s = s;
    it->num = 0;
    it->str = NULL;
    switch (key) {
    case SORT_ID:
        it->str = s->id;
        break;
    case SORT_TEMPLATE:
        it->str = s->alias ? s->alias : s->template_id;
        break;
    case SORT_STATE:
        it->str = box_state_name(s->state);
        break;
    case SORT_CPU:
        it->num = l ? -l->cpu_pct : 1;
        break;
    case SORT_MEM:
        it->num = l ? -(double)l->mem_used : 1;
        break;
    case SORT_DISK:
        it->num = l ? -(double)l->disk_used : 1;
        break;
    case SORT_AGE: /* oldest first */
        it->num = s->started_ms ? (double)s->started_ms : (double)now;
        break;
    case SORT_TTL: /* soonest to expire first */
        it->num = s->end_ms ? (double)s->end_ms : 1e18;
        break;
    case SORT_META:
        it->str = s->n_meta ? s->meta[0].value : "";
        break;
    default:
        it->str = s->id;
    }
    it->pfx = it->str ? prefix8(it->str) : 0;
    it->idpfx = prefix8(s->id);
}

/* Numeric columns (CPU, memory, disk, age, TTL): a third of the item, the direction folded
 * into the key and the comparison inlined into a merge sort. Sorted by CPU at 10 000
 * sandboxes the table re-sorts every round, and qsort moving 48-byte items through a
 * comparator call was 5 % of boxtop's CPU (issue 22). Same order as cmp_item. */
struct num_item {
    double key; /* num * dir */
    uint64_t idpfx;
    struct box *s;
};

static inline int num_before(const struct num_item *a, const struct num_item *b)
{
    if (a->key != b->key) return a->key < b->key;
    if (a->idpfx != b->idpfx) return a->idpfx < b->idpfx;
    return strcmp(a->s->id, b->s->id) < 0;
}

static int sort_numeric(struct box **v, int n, enum sort_key key, int reverse, int64_t now_ms)
{
    struct num_item *a = malloc(2 * (size_t)n * sizeof(*a));
    if (!a) return -1;
    struct num_item *b = a + n;
    int sorted = 1;
    for (int i = 0; i < n; i++) {
        struct sort_item it;
        item_fill(&it, v[i], key, now_ms);
        a[i] = (struct num_item){reverse ? -it.num : it.num, it.idpfx, v[i]};
        if (i && sorted) sorted = !num_before(&a[i], &a[i - 1]);
    }
    if (!sorted) { /* the previous order usually still holds (see below): else merge sort */
        for (int w = 1; w < n; w *= 2) {
            for (int lo = 0; lo < n; lo += 2 * w) {
                int mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
                int i = lo, j = mid, k = lo;
                while (i < mid && j < hi)
                    b[k++] = num_before(&a[j], &a[i]) ? a[j++] : a[i++];
                while (i < mid)
                    b[k++] = a[i++];
                while (j < hi)
                    b[k++] = a[j++];
            }
            struct num_item *t = a;
            a = b;
            b = t;
        }
        for (int i = 0; i < n; i++)
            v[i] = a[i].s;
    }
    free(a < b ? a : b);
    return 0;
}

int sort_sandboxes(struct box **v, int n, enum sort_key key, int reverse, int64_t now_ms)
{
    if (n <= 1) return 0;
    if (key == SORT_CPU || key == SORT_MEM || key == SORT_DISK || key == SORT_AGE ||
        key == SORT_TTL)
        return sort_numeric(v, n, key, reverse, now_ms);
    struct sort_item *it = malloc((size_t)n * sizeof(*it));
    if (!it) return -1;
    for (int i = 0; i < n; i++) {
        item_fill(&it[i], v[i], key, now_ms);
        it[i].dir = reverse ? -1 : 1;
    }
    /* Callers pass the previous order when they can (the view does while the set of
     * sandboxes is the same), and then it is usually still right: check in O(n) first. */
    int sorted = 1;
    for (int i = 1; i < n && sorted; i++)
        sorted = cmp_item(&it[i - 1], &it[i]) <= 0;
    if (sorted) {
        free(it);
        return 0;
    }
    qsort(it, (size_t)n, sizeof(*it), cmp_item);
    for (int i = 0; i < n; i++)
        v[i] = it[i].s;
    free(it);
    return 0;
}
