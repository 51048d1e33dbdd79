/* term_scrollback.c - ring of lines scrolled off the top of the primary screen. Lines are
 * stored trimmed of trailing blank cells; a slot's buffer is reused when the ring wraps, so
 * once the ring is full, scrolling allocates only when a line is longer than the slot's. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "term_internal.h"

int term_sb_init(struct term_scrollback *sb, int max)
{
    memset(sb, 0, sizeof *sb);
    sb->ring = calloc((size_t)max, sizeof *sb->ring);
    if (!sb->ring) return -ENOMEM;
    sb->max = max;
    return 0;
}

void term_sb_free(struct term_scrollback *sb)
{
    for (int i = 0; i < sb->max; i++)
        free(sb->ring[i].cells);
    free(sb->ring);
    memset(sb, 0, sizeof *sb);
}

void term_sb_push(struct term_scrollback *sb, const struct term_cell *cells, int len)
{
    if (sb->max <= 0) return;
    while (len > 0 && term_cell_blank(&cells[len - 1]))
        len--;
    struct term_sbline *s;
    if (sb->count < sb->max) {
        s = &sb->ring[(sb->head + sb->count) % sb->max];
        sb->count++;
    } else {
        s = &sb->ring[sb->head]; /* overwrite the oldest */
        sb->head = (sb->head + 1) % sb->max;
    }
    if (len > s->cap) {
        int cap = len < 16 ? 16 : len;
        struct term_cell *n = realloc(s->cells, (size_t)cap * sizeof *n);
        if (!n) {
            /* out of memory: keep the line empty rather than fail the scroll */
            s->len = 0;
            sb->pushed++;
            return;
        }
        s->cells = n;
        s->cap = cap;
    }
    if (len > 0) memcpy(s->cells, cells, (size_t)len * sizeof *cells);
    s->len = len;
    sb->pushed++;
}

int term_sb_pop(struct term_scrollback *sb, struct term_cell *dst, int cols)
{
    if (sb->count == 0) return -1;
    struct term_sbline *s = &sb->ring[(sb->head + sb->count - 1) % sb->max];
    sb->count--;
    sb->pushed--;
    int len = s->len < cols ? s->len : cols;
    if (len > 0) memcpy(dst, s->cells, (size_t)len * sizeof *dst);
    memset(dst + len, 0, (size_t)(cols - len) * sizeof *dst);
    if (len > 0 && dst[len - 1].width == 2) /* its right half did not fit */
        memset(&dst[len - 1], 0, sizeof *dst), dst[len - 1].ch[0] = ' ';
    return len;
}

const struct term_sbline *term_sb_get(const struct term_scrollback *sb, int i)
{
    if (i < 0 || i >= sb->count) return NULL;
    return &sb->ring[(sb->head + i) % sb->max];
}
