/* sanitize.h - the one display sanitizer every string passes before it reaches a screen.
 *
 * Removes C0/C1 controls and ESC (with the CSI/OSC/DCS sequences they start), bidi overrides
 * and isolates, repairs invalid or overlong UTF-8 (each bad byte becomes U+FFFD, or '?' when
 * ascii_only), and measures display width with wcwidth. */
#ifndef BOXTOP_SANITIZE_H
#define BOXTOP_SANITIZE_H

#include <stddef.h>
#include "boxtop/buf.h"

enum {
    SANITIZE_KEEP_NEWLINES = 1, /* keep '\n' (and turn '\t' into spaces) for multi-line text */
    SANITIZE_ASCII = 2,         /* non-ASCII becomes '?' (LANG=C terminals) */
};

/* Append the sanitized form of in[0..len) to out. Returns 0 or -ENOMEM. */
int sanitize_append(struct buf *out, const char *in, size_t len, int flags);
/* Malloc'd sanitized copy of a NUL-terminated string (NULL on ENOMEM). */
char *sanitize_dup(const char *s, int flags);
/* Display width (columns) of already-sanitized UTF-8. */
int sanitize_width(const char *s, size_t len);
/* Longest prefix of sanitized s that fits in cols columns; returns its byte length and
 * stores the width used in *used (may be NULL). Never splits a UTF-8 sequence. */
size_t sanitize_fit(const char *s, size_t len, int cols, int *used);

#endif
