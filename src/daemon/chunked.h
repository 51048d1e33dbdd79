/* chunked.h - strict incremental decoder for HTTP/1.1 chunked request bodies.
 *
 * libwebsockets 4.1.6 hands chunked request bodies to LWS_CALLBACK_HTTP_BODY with the raw
 * framing still in place and never signals completion (libs-notes §4), and the E2B SDK sends
 * every JSON POST chunked, so boxtopd de-chunks itself. The decoder is fed arbitrary slices of
 * the wire (any split point) and emits payload bytes through a callback.
 *
 * Grammar accepted (RFC 9112 §7.1): chunk-size = 1*16HEXDIG (at most 15 digits, no
 * leading/trailing whitespace), optional ";ext" up to CRLF (ignored, bounded), CRLF, data,
 * CRLF; last-chunk "0" [ext] CRLF; trailer fields (ignored, bounded) and a final CRLF.
 * Bare LF, missing CRLF after data, oversize or invalid sizes are errors. */
#ifndef BOXTOPD_CHUNKED_H
#define BOXTOPD_CHUNKED_H

#include <stddef.h>
#include <stdint.h>

enum chunked_state {
    CHUNKED_SIZE,         /* reading hex digits */
    CHUNKED_EXT,          /* after ';' until CR */
    CHUNKED_SIZE_LF,      /* saw CR after size line */
    CHUNKED_DATA,         /* payload bytes left in this chunk */
    CHUNKED_DATA_CR,      /* expecting CR after data */
    CHUNKED_DATA_LF,      /* expecting LF after data */
    CHUNKED_TRAILER,      /* at the start of a trailer line (or the final CRLF) */
    CHUNKED_TRAILER_LINE, /* inside a trailer field line */
    CHUNKED_TRAILER_LF,   /* saw CR ending a trailer line */
    CHUNKED_END_LF,       /* saw CR of the final empty line */
    CHUNKED_DONE,
    CHUNKED_ERROR,
};

/* Receives decoded payload; return 0 to continue, non-zero to stop (the decoder then
 * returns that value from chunked_feed and enters CHUNKED_ERROR). */
typedef int (*chunked_data_fn)(void *ud, const char *data, size_t len);

struct chunked {
    enum chunked_state state;
    uint64_t remaining; /* bytes left in the current chunk, or the size being parsed */
    int digits;         /* hex digits seen in the current size */
    size_t line_len;    /* length of the current extension/trailer line */
    size_t trailer_total;
    const char *error; /* static description when state == CHUNKED_ERROR */
};

void chunked_init(struct chunked *c);

/* Feed len bytes. Returns 0 while more is needed or when done (see chunked_done()), -1 on a
 * framing error (c->error says why), or the callback's non-zero value. *used gets the number of
 * bytes consumed: less than len only once done (the rest belongs to the next request) or on
 * error. */
int chunked_feed(struct chunked *c, const char *in, size_t len, size_t *used, chunked_data_fn fn,
                 void *ud);

static inline int chunked_done(const struct chunked *c)
{
    return c->state == CHUNKED_DONE;
}

#endif
