/* fuzz_chunked.c - the strict chunked decoder: arbitrary input split at a data-chosen point
 * must give the same result as one feed, never overrun, and never emit more than fed. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/buf.h"
#include "chunked.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int collect(void *ud, const char *d, size_t n)
{
    return buf_append(ud, d, n);
}

static int run(const char *in, size_t len, size_t cut, struct buf *out, size_t *used_total)
{
    struct chunked c;
    size_t used = 0;
    int rc;
    chunked_init(&c);
    *used_total = 0;
    rc = chunked_feed(&c, in, cut, &used, collect, out);
    *used_total += used;
    if (rc < 0) return -1;
    if (chunked_done(&c)) return 1;
    rc = chunked_feed(&c, in + cut, len - cut, &used, collect, out);
    *used_total += used;
    if (rc < 0) return -1;
    return chunked_done(&c) ? 1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct buf a = BUF_INIT, b = BUF_INIT;
    size_t ua, ub;
    if (size < 1) return 0;
    size_t cut = data[0] % size;
    const char *in = (const char *)data + 1;
    size_t len = size - 1;
    if (cut > len) cut = len;
    int ra = run(in, len, len, &a, &ua);
    int rb = run(in, len, cut, &b, &ub);
    if (ra != rb || a.len != b.len || (a.len && memcmp(a.data, b.data, a.len) != 0))
        abort(); /* the split must not matter */
    if (a.len > len || ua > len) abort();
    if (ra == 1 && ua != ub) abort();
    buf_free(&a);
    buf_free(&b);
    return 0;
}
