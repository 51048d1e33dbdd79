/* fake_conn.h - the read side of the loopback fake servers the unit tests fork (test_http.c,
 * test_envd_fake.c, the test_tui_* backend fakes): a connection with a buffer, filled by
 * blocking reads (the child side may block) and consumed from the front. */
#ifndef BOXTOP_TESTS_FAKE_CONN_H
#define BOXTOP_TESTS_FAKE_CONN_H

#include <stddef.h>

struct conn {
    int fd;
    char buf[65536];
    size_t len;
};

/* Read what is there into the free space: 0, or -1 at EOF, on an error or with a full buffer. */
int conn_fill(struct conn *c);
/* Forget the first n buffered bytes. */
void conn_drop(struct conn *c, size_t n);
/* Wait for the next whole request head (for requests without a body): it then stands at the
 * front of buf, a C string without its closing blank line. Returns the bytes to conn_drop once
 * it is handled, or 0 at EOF, on an error or with a full buffer. */
size_t conn_head(struct conn *c);

#endif
