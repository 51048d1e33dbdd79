/* fake_conn.c - see fake_conn.h. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "fake_conn.h"

int conn_fill(struct conn *c)
{
    if (c->len == sizeof c->buf) return -1;
    ssize_t n = read(c->fd, c->buf + c->len, sizeof c->buf - c->len);
    if (n <= 0) return -1;
    c->len += (size_t)n;
    return 0;
}

void conn_drop(struct conn *c, size_t n)
{
    memmove(c->buf, c->buf + n, c->len - n);
    c->len -= n;
}

size_t conn_head(struct conn *c)
{
    char *e;
    while (!(e = memmem(c->buf, c->len, "\r\n\r\n", 4)))
        if (conn_fill(c) < 0) return 0;
    *e = '\0';
    return (size_t)(e - c->buf) + 4;
}
