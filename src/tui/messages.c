/* messages.c - the session's messages (see messages.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "boxtop/sanitize.h"
#include "messages.h"

static int same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

void msg_ring_add(struct msg_ring *r, int64_t wall_ms, int level, const char *text,
                  const char *detail, int ascii)
{
    int fl = ascii ? SANITIZE_ASCII : 0;
    char *t = sanitize_dup(text ? text : "", fl);
    char *d = detail && detail[0] ? sanitize_dup(detail, fl) : NULL;
    if (!t) {
        free(d);
        return;
    }
    if (r->n) {
        struct msg *last = &r->m[(r->head + r->n - 1) % MSG_RING_MAX];
        if (last->level == level && !strcmp(last->text, t) && same(last->detail, d)) {
            last->repeats++;
            last->wall_ms = wall_ms;
            free(t);
            free(d);
            return;
        }
    }
    struct msg *m;
    if (r->n == MSG_RING_MAX) { /* the oldest goes */
        m = &r->m[r->head];
        free(m->text);
        free(m->detail);
        r->head = (r->head + 1) % MSG_RING_MAX;
    } else {
        m = &r->m[(r->head + r->n++) % MSG_RING_MAX];
    }
    *m = (struct msg){wall_ms, level, t, d, 0};
    r->total++;
}

const struct msg *msg_ring_get(const struct msg_ring *r, int i)
{
    if (!r || i < 0 || i >= r->n) return NULL;
    return &r->m[(r->head + i) % MSG_RING_MAX];
}

void msg_ring_free(struct msg_ring *r)
{
    if (!r) return;
    for (int i = 0; i < r->n; i++) {
        struct msg *m = &r->m[(r->head + i) % MSG_RING_MAX];
        free(m->text);
        free(m->detail);
    }
    r->n = r->head = 0;
}
