/* sanitize.h - the one display sanitizer every string passes before it reaches a screen.
 *
 * Removes C0/C1 controls and ESC together with the whole CSI/OSC/DCS/SOS/PM/APC sequence they
 * start (7-bit ESC forms, raw 8-bit bytes 0x80-0x9F and UTF-8 encoded U+0080-U+009F alike),
 * shows bidi embeddings/overrides/isolates/marks as U+FFFD, and repairs invalid UTF-8 (bad lead
 * bytes, overlong forms, surrogates, > U+10FFFF, truncated sequences): each maximal ill-formed
 * subpart becomes U+FFFD, or '?' with SANITIZE_ASCII. Widths come from wcwidth(3), so the
 * program must have called setlocale(LC_ALL, "") first. Details in src/core/sanitize.c. */
#ifndef BOXTOP_SANITIZE_H
#define BOXTOP_SANITIZE_H

#include <stddef.h>
#include <stdint.h>
#include "boxtop/buf.h"

enum {
    /* keep '\n' and expand '\t' to 8-column tab stops, for multi-line text; without it both
     * become one space, so the result is a single line */
    SANITIZE_KEEP_NEWLINES = 1,
    SANITIZE_ASCII = 2, /* non-ASCII becomes '?' (LANG=C terminals) */
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
/* Non-zero for the bidi embeddings, overrides, isolates and marks the sanitizer replaces
 * (U+202A-U+202E, U+2066-U+2069, U+200E/U+200F, U+061C): for drawers of decoded characters,
 * such as the terminal tab's cells, that cannot pass bytes through sanitize_append(). */
int sanitize_is_bidi_control(uint32_t cp);

#endif
