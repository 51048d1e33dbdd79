/* dechunk.h - strict HTTP/1.1 chunked request-body decoder.
 * Hand-written because lws 4.1.6 hands chunked request bodies to HTTP_BODY with the framing
 * still in and never reports completion (libs-notes §4). Incremental: any split works. */
#ifndef BOXTOPD_ENVD_DECHUNK_H
#define BOXTOPD_ENVD_DECHUNK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum dechunk_state {
    DC_SIZE,
    DC_EXT,
    DC_SIZE_LF,
    DC_DATA,
    DC_DATA_CR,
    DC_DATA_LF,
    DC_TRAILER,
    DC_TRAILER_LF,
    DC_DONE,
    DC_ERROR
};

struct dechunk {
    enum dechunk_state state;
    uint64_t remaining;
    int digits;
    size_t trailer_len; /* length of the current trailer line */
    size_t trailer_total;
};

void dechunk_init(struct dechunk *d);
/* Decode in place: payload bytes of in[0..len) are moved to the front of in; returns the
 * payload length, or -1 on malformed framing. *done is set once the last chunk and
 * trailers were read (bytes after that are not consumed: *used tells how many were). */
long dechunk_feed(struct dechunk *d, char *in, size_t len, size_t *used, bool *done);

#endif
