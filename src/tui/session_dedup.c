/* session_dedup.c - drop output a reconnected stream sends again (see session_dedup.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "session_dedup.h"

void out_dedup_free(struct out_dedup *d)
{
    free(d->hist);
    memset(d, 0, sizeof(*d));
}

void out_dedup_reconnect(struct out_dedup *d)
{
    d->probing = d->len > 0;
    d->matching = 0;
    d->dropped = 0;
}

/* Where in the history the replay p[0..len) starts: the earliest offset from which the
 * history and p agree up to the end of either, over at least SESSION_DEDUP_MIN bytes (or
 * all of p when the stream ends its replay in this piece... both must be long enough). */
static int find_start(const struct out_dedup *d, const char *p, size_t len, size_t *at)
{
    for (size_t off = 0; off < d->len; off++) {
        size_t n = d->len - off < len ? d->len - off : len;
        if (n < SESSION_DEDUP_MIN) break; /* later offsets only get shorter */
        if (d->hist[off] == p[0] && !memcmp(d->hist + off, p, n)) {
            *at = off;
            return 1;
        }
    }
    return 0;
}

size_t out_dedup_filter(struct out_dedup *d, const char *p, size_t len)
{
    if (!len) return 0;
    if (d->probing) {
        d->probing = 0;
        size_t at;
        if (!find_start(d, p, len, &at)) return 0;
        d->matching = at + 1; /* +1: 0 means "not matching" */
    }
    if (!d->matching) return 0;
    size_t off = d->matching - 1, n = 0;
    while (n < len && off < d->len && p[n] == d->hist[off]) {
        n++;
        off++;
    }
    d->dropped += n;
    /* the history ran out (the rest is new) or a byte differs (the replay was not one) */
    d->matching = off < d->len && n == len ? off + 1 : 0;
    return n;
}

void out_dedup_shown(struct out_dedup *d, const char *p, size_t len)
{
    if (!len) return;
    if (!d->hist && !(d->hist = malloc(SESSION_DEDUP_KEEP))) return;
    if (len >= SESSION_DEDUP_KEEP) {
        memcpy(d->hist, p + len - SESSION_DEDUP_KEEP, SESSION_DEDUP_KEEP);
        d->len = SESSION_DEDUP_KEEP;
        return;
    }
    if (d->len + len > SESSION_DEDUP_KEEP) {
        size_t drop = d->len + len - SESSION_DEDUP_KEEP;
        memmove(d->hist, d->hist + drop, d->len - drop);
        d->len -= drop;
    }
    memcpy(d->hist + d->len, p, len);
    d->len += len;
}
