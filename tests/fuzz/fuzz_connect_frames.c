/* fuzz_connect_frames.c - the Connect envelope decoder and end-stream parser on hostile bytes.
 *
 * The first input byte picks a chunk size so that frame/chunk misalignment is explored too;
 * the rest is the stream. Decoding the same bytes whole must give the same frame count. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "boxtop/connect.h"

struct count {
    size_t frames;
    size_t bytes;
};

static int count_cb(const struct connect_frame *f, void *ud, struct error *err)
{
    (void)err;
    struct count *c = ud;
    c->frames++;
    c->bytes += f->len;
    if (f->end && f->end->has_error) {
        struct error e;
        connect_error_to_error(&f->end->error, &e);
    }
    return 0;
}

static int run(const uint8_t *data, size_t size, size_t chunk, struct count *c)
{
    struct connect_decoder d;
    struct error err;
    int rc = 0;
    connect_decoder_init(&d, 1u << 20);
    for (size_t pos = 0; pos < size && rc == 0; pos += chunk) {
        size_t n = size - pos < chunk ? size - pos : chunk;
        rc = connect_decoder_feed(&d, data + pos, n, count_cb, c, &err);
    }
    if (rc == 0) rc = connect_decoder_finish(&d, &err);
    connect_decoder_free(&d);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    size_t chunk = (size_t)data[0] % 17 + 1;
    struct count a = {0, 0}, b = {0, 0};
    int ra = run(data + 1, size - 1, chunk, &a);
    int rb = run(data + 1, size - 1, size, &b);
    /* Splitting must never change the outcome. */
    if ((ra < 0) != (rb < 0) || a.frames != b.frames || a.bytes != b.bytes) abort();
    /* Unary error bodies go through the same hostile-input path. */
    struct connect_error ce;
    connect_error_from_unary(400, (const char *)data + 1, size - 1, &ce);
    connect_error_free(&ce);
    return 0;
}
