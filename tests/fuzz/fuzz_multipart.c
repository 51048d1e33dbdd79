/* fuzz_multipart.c - the streaming multipart parser on hostile bytes.
 *
 * Input: first byte = chunk size, then a Content-Type value up to the first '\n', then the
 * body. Parsing in chunks must give exactly what parsing the whole body gives (same parts,
 * same bytes, same verdict): the parser may never depend on how reads split the body. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "multipart.h"

struct sum {
    size_t parts, ends, bytes;
    uint32_t hash;
};

static int on_begin(void *ud, const struct mp_part *p)
{
    struct sum *s = ud;
    s->parts++;
    for (const char *c = p->filename; *c; c++)
        s->hash = s->hash * 31 + (unsigned char)*c;
    return 0;
}

static int on_data(void *ud, const void *d, size_t n)
{
    struct sum *s = ud;
    const unsigned char *b = d;
    for (size_t i = 0; i < n; i++)
        s->hash = s->hash * 33 + b[i];
    s->bytes += n;
    return 0;
}

static int on_end(void *ud)
{
    ((struct sum *)ud)->ends++;
    return 0;
}

static int run(const char *boundary, const uint8_t *body, size_t len, size_t chunk, struct sum *s)
{
    memset(s, 0, sizeof *s);
    struct mp_parser *p = malloc(sizeof *p);
    if (!p) return -100;
    struct mp_callbacks cb = {s, on_begin, on_data, on_end};
    struct error err;
    int rc = mp_init(p, boundary, &cb, &err);
    for (size_t at = 0; rc == 0 && at < len; at += chunk) {
        size_t n = len - at < chunk ? len - at : chunk;
        rc = mp_feed(p, body + at, n, &err);
    }
    if (rc == 0) rc = mp_finish(p, &err);
    free(p);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    size_t chunk = (size_t)data[0] % 17 + 1;
    const uint8_t *nl = memchr(data + 1, '\n', size - 1);
    if (!nl) return 0;
    char ctype[512];
    size_t clen = (size_t)(nl - (data + 1));
    if (clen >= sizeof ctype) return 0;
    memcpy(ctype, data + 1, clen);
    ctype[clen] = '\0';
    char boundary[MP_BOUNDARY_MAX + 1];
    struct error err;
    if (mp_boundary_from_content_type(ctype, boundary, sizeof boundary, &err) < 0) return 0;
    const uint8_t *body = nl + 1;
    size_t blen = size - (size_t)(body - data);
    struct sum whole, split;
    int a = run(boundary, body, blen, blen ? blen : 1, &whole);
    int b = run(boundary, body, blen, chunk, &split);
    if (a != b || whole.parts != split.parts || whole.ends != split.ends ||
        whole.bytes != split.bytes || whole.hash != split.hash)
        abort();
    return 0;
}
