/* changes_parse.c - find's records of changed files into a list (changes.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/changes.h"
#include "boxtop/grow.h"

static int push(struct chg_list *l, struct chg_entry *e)
{
    if (GROW(l->v, l->cap, l->n + 1) < 0) return -1;
    l->v[l->n++] = *e;
    return 0;
}

/* One record without its NUL; 0 added, 1 malformed, -1 ENOMEM. */
static int record(const char *r, size_t len, struct chg_list *out)
{
    const char *f[5];
    size_t fl[5];
    const char *s = r, *end = r + len;
    for (int i = 0; i < 4; i++) { /* the path (last) may hold tabs */
        const char *t = memchr(s, '\t', (size_t)(end - s));
        if (!t) return 1;
        f[i] = s, fl[i] = (size_t)(t - s);
        s = t + 1;
    }
    f[4] = s, fl[4] = (size_t)(end - s);
    if (!fl[0] || !fl[1] || !fl[2] || !fl[3] || !fl[4] || f[4][0] != '/' ||
        memchr(f[4], '\0', fl[4]))
        return 1;
    char num[64];
    char *ep;
    if (fl[0] >= sizeof(num)) return 1;
    memcpy(num, f[0], fl[0]);
    num[fl[0]] = '\0';
    errno = 0;
    double mt = strtod(num, &ep);
    if (*ep || errno || mt != mt || mt < 0 || mt > 1e11) return 1;
    if (fl[1] >= sizeof(num)) return 1;
    memcpy(num, f[1], fl[1]);
    num[fl[1]] = '\0';
    long long size = strtoll(num, &ep, 10);
    if (*ep || size < 0 || errno) return 1;
    if (fl[3] > 7) return 1;
    memcpy(num, f[3], fl[3]);
    num[fl[3]] = '\0';
    unsigned long mode = strtoul(num, &ep, 8);
    if (*ep || mode > 07777) return 1;
    struct chg_entry e = {0};
    e.path = strndup(f[4], fl[4]);
    e.owner = strndup(f[2], fl[2]);
    e.size = size;
    e.mtime_ms = (int64_t)(mt * 1000.0);
    e.mode = (uint32_t)mode;
    if (!e.path || !e.owner || push(out, &e) < 0) {
        free(e.path);
        free(e.owner);
        return -1;
    }
    return 0;
}

int chg_feed(struct chg_parser *p, const char *data, size_t len, struct chg_list *out)
{
    int added = 0;
    while (len) {
        const char *nul = memchr(data, '\0', len);
        size_t take = nul ? (size_t)(nul - data) : len;
        if (!p->skipping) {
            if (p->pending.len + take > CHG_RECORD_MAX) {
                p->skipping = true;
                buf_reset(&p->pending);
            } else if (buf_append(&p->pending, data, take) < 0) {
                return -1;
            }
        }
        if (!nul) break;
        if (p->skipping) {
            p->bad++;
        } else {
            int r = record(p->pending.data ? p->pending.data : "", p->pending.len, out);
            if (r < 0) return -1;
            if (r)
                p->bad++;
            else
                added++;
        }
        p->skipping = false;
        buf_reset(&p->pending);
        data = nul + 1;
        len -= take + 1;
    }
    return added;
}

void chg_parser_free(struct chg_parser *p)
{
    buf_free(&p->pending);
    memset(p, 0, sizeof(*p));
}

int chg_add_deleted(struct chg_list *l, const char *path, int64_t t_ms)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i].path, path)) return 0; /* still (or again) there */
    struct chg_entry e = {0};
    e.path = strdup(path);
    e.mtime_ms = t_ms;
    e.deleted = true;
    if (!e.path || push(l, &e) < 0) {
        free(e.path);
        return -1;
    }
    return 0;
}

static int newest_first(const void *pa, const void *pb)
{
    const struct chg_entry *a = pa, *b = pb;
    if (a->deleted != b->deleted) return a->deleted ? 1 : -1;
    if (a->mtime_ms != b->mtime_ms) return a->mtime_ms > b->mtime_ms ? -1 : 1;
    return strcmp(a->path, b->path);
}

void chg_sort(struct chg_list *l)
{
    if (l->n > 1) qsort(l->v, l->n, sizeof(*l->v), newest_first);
}

void chg_list_free(struct chg_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].path);
        free(l->v[i].owner);
    }
    free(l->v);
    memset(l, 0, sizeof(*l));
}
