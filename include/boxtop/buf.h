/* buf.h - growable byte buffer, always NUL-terminated after len for convenience. */
#ifndef BOXTOP_BUF_H
#define BOXTOP_BUF_H

#include <stddef.h>
#include <stdarg.h>

struct buf {
    char *data; /* NULL until the first append; data[len] == '\0' afterwards */
    size_t len;
    size_t cap;
};

#define BUF_INIT {NULL, 0, 0}

int buf_reserve(struct buf *b, size_t extra); /* 0 or -ENOMEM */
/* The same, to exactly extra more bytes (and the NUL) rather than the next doubling: for a
 * size known in advance, when the buffer is kept as it is afterwards. */
int buf_reserve_exact(struct buf *b, size_t extra);
int buf_append(struct buf *b, const void *p, size_t n);
int buf_append_str(struct buf *b, const char *s);
int buf_append_byte(struct buf *b, unsigned char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);
void buf_consume(struct buf *b, size_t n); /* drop n bytes from the front */
void buf_reset(struct buf *b);             /* len = 0, keeps memory */
void buf_free(struct buf *b);
char *buf_steal(struct buf *b); /* returns malloc'd NUL-terminated data, b becomes empty */
const char *buf_cstr(const struct buf *b); /* "" when empty */

#endif
