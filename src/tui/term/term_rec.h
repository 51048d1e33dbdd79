/* term_rec.h - asciicast v2 recorder (docs.asciinema.org, manual, asciicast v2):
 * a JSON header line, then one [time, "o", data] line per chunk of terminal output and
 * [time, "r", "COLSxROWS"] per resize. Times are seconds since the recording started, as the
 * caller measures them (clamped so they never go backwards).
 *
 * Output bytes are raw pty bytes and need not be valid UTF-8, but JSON strings must be
 * Unicode: a UTF-8 sequence split across chunks is held back until its end arrives; each
 * maximal ill-formed subsequence (Unicode 15 §3.9, as Python's errors="replace" and
 * WHATWG do) becomes U+FFFD, and a sequence still incomplete at close becomes U+FFFD. So
 * the concatenated "o" data equals the fed bytes decoded with replacement. */
#ifndef BOXTOP_TERM_REC_H
#define BOXTOP_TERM_REC_H

#include <stddef.h>
#include <time.h>

#include "boxtop/buf.h"
#include "boxtop/error.h"

struct term_rec;

struct term_rec_opts {
    int cols, rows;
    time_t timestamp;  /* header "timestamp" (unix seconds); 0 = now */
    const char *title; /* optional */
    const char *term;  /* env TERM, optional */
    const char *shell; /* env SHELL, optional */
};

/* Create path (mode 0600, truncated) and write the header. NULL on error. */
struct term_rec *term_rec_open(const char *path, const struct term_rec_opts *opts,
                               struct error *err);
int term_rec_output(struct term_rec *r, double t, const void *data, size_t len);
int term_rec_resize(struct term_rec *r, double t, int cols, int rows);
/* Flush held bytes, close. Returns 0 or -1 with err filled (write errors surface here). */
int term_rec_close(struct term_rec *r, struct error *err);

/* JSON string body (no quotes) of UTF-8-with-replacement text; held and *nheld carry an
 * incomplete trailing sequence to the next call (final = 1 flushes it as U+FFFD). Exposed for
 * tests. Returns 0 or -ENOMEM. */
int term_rec_json_escape(struct buf *out, unsigned char held[4], size_t *nheld,
                         const unsigned char *p, size_t len, int final);

#endif
