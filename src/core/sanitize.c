/* sanitize.c - the display sanitizer: hostile bytes in, printable UTF-8 out.
 *
 * Everything that reaches a terminal goes through sanitize_append(). It removes
 *  - C0 controls, DEL and ESC, together with the whole escape sequence ESC starts (CSI up to
 *    its final byte; OSC/DCS/SOS/PM/APC strings up to BEL, ST, CAN or SUB; two/three byte ESC
 *    sequences such as ESC ( B);
 *  - C1 controls, whether raw bytes 0x80-0x9F (which 8-bit terminals obey) or UTF-8 encoded
 *    U+0080-U+009F (which xterm and others obey in UTF-8 mode), with the sequences that CSI
 *    (0x9B), OSC (0x9D), DCS (0x90), SOS (0x98), PM (0x9E) and APC (0x9F) start;
 *  - bidi embeddings, overrides, isolates and marks (U+202A-U+202E, U+2066-U+2069,
 *    U+200E/U+200F, U+061C), which can make text display in a different order than it is:
 *    each becomes a visible U+FFFD, so "U+202E exe.txt" does not look like "exe.txt".
 * Invalid UTF-8 (bad lead bytes, overlong forms, surrogates, code points above U+10FFFF,
 * truncated sequences) becomes U+FFFD per maximal ill-formed subpart, as WHATWG decoders do;
 * noncharacters become U+FFFD too. With SANITIZE_ASCII every non-ASCII character becomes '?'.
 *
 * Widths come from wcwidth(3), so the caller must have called setlocale(LC_ALL, "") (or set
 * a UTF-8 locale); characters wcwidth calls unprintable count as one column, as U+FFFD does. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "boxtop/sanitize.h"

#define TAB_WIDTH 8

/* Decode one UTF-8 character at s[0..len) (len >= 1). Returns the bytes consumed (>= 1) and
 * the code point in *cp, or -1 for a maximal ill-formed subpart. A lone byte 0x80-0x9F is
 * reported as that C1 code point, because that is how an 8-bit terminal would read it. */
static size_t utf8_next(const unsigned char *s, size_t len, int32_t *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = (int32_t)c;
        return 1;
    }
    if (c <= 0x9F) {
        *cp = (int32_t)c; /* raw C1 byte */
        return 1;
    }
    size_t need;
    uint32_t v;
    unsigned lo = 0x80, hi = 0xBF; /* allowed range of the first continuation byte */
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = c & 0x0F;
        if (c == 0xE0) lo = 0xA0; /* overlong */
        if (c == 0xED) hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = c & 0x07;
        if (c == 0xF0) lo = 0x90; /* overlong */
        if (c == 0xF4) hi = 0x8F; /* above U+10FFFF */
    } else {
        *cp = -1; /* stray continuation byte, C0/C1 overlong lead, F5-FF */
        return 1;
    }
    for (size_t i = 1; i <= need; i++) {
        if (i >= len || s[i] < lo || s[i] > hi) {
            *cp = -1;
            return i;
        }
        lo = 0x80;
        hi = 0xBF;
        v = (v << 6) | (s[i] & 0x3F);
    }
    *cp = (int32_t)v;
    return need + 1;
}

int sanitize_is_bidi_control(uint32_t cp)
{
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
           cp == 0x200F || cp == 0x061C;
}

static int is_noncharacter(int32_t cp)
{
    return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
}

/* Columns of one character that survived sanitizing. */
static int cp_width(int32_t cp)
{
    if (cp < 0x20) return 0;
    int w = wcwidth((wchar_t)cp);
    return w < 0 ? 1 : w;
}

/* After a CSI introducer: parameter and intermediate bytes, then one final byte. A byte that
 * cannot be part of the sequence ends it without being swallowed. Returns the index after. */
static size_t skip_csi(const unsigned char *s, size_t len, size_t i)
{
    while (i < len && s[i] >= 0x20 && s[i] <= 0x3F)
        i++;
    while (i < len && s[i] >= 0x20 && s[i] <= 0x2F)
        i++;
    if (i < len && s[i] >= 0x40 && s[i] <= 0x7E) i++;
    return i;
}

/* After an OSC/DCS/SOS/PM/APC introducer: everything up to and including the terminator
 * (BEL, ESC \, 8-bit ST 0x9C or UTF-8 U+009C, CAN, SUB). Another ESC aborts the string and
 * starts a new sequence, as in xterm. An unterminated string runs to the end of the input. */
static size_t skip_string(const unsigned char *s, size_t len, size_t i)
{
    while (i < len) {
        int32_t cp;
        size_t n = utf8_next(s + i, len - i, &cp); /* so 0x9C inside a character is no ST */
        if (cp == 0x07 || cp == 0x18 || cp == 0x1A || cp == 0x9C) return i + n;
        if (cp == 0x1B) return (i + 1 < len && s[i + 1] == '\\') ? i + 2 : i;
        i += n;
    }
    return i;
}

static int is_string_introducer_c1(int32_t cp)
{
    return cp == 0x9D || cp == 0x90 || cp == 0x98 || cp == 0x9E || cp == 0x9F;
}

/* After ESC: the rest of the sequence it starts. */
static size_t skip_escape(const unsigned char *s, size_t len, size_t i)
{
    if (i >= len) return i;
    unsigned c = s[i];
    if (c == '[') return skip_csi(s, len, i + 1);
    if (c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_') return skip_string(s, len, i + 1);
    while (i < len && s[i] >= 0x20 && s[i] <= 0x2F) /* intermediates, e.g. ESC ( B */
        i++;
    if (i < len && s[i] >= 0x30 && s[i] <= 0x7E) i++;
    return i;
}

static int append_utf8(struct buf *out, int32_t cp)
{
    unsigned char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (unsigned char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | (cp >> 6));
        b[1] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (cp >> 12));
        b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (unsigned char)(0xF0 | (cp >> 18));
        b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return buf_append(out, b, n);
}

int sanitize_append(struct buf *out, const char *in, size_t len, int flags)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t start_len = out->len;
    int col = 0; /* column since the last kept newline, for tab stops */
    size_t i = 0;
    int rc = buf_reserve(out, len);
    while (rc == 0 && i < len) {
        int32_t cp;
        size_t n = utf8_next(s + i, len - i, &cp);
        i += n;
        if (cp == 0x1B) {
            i = skip_escape(s, len, i);
            continue;
        }
        if (cp == 0x9B) {
            i = skip_csi(s, len, i);
            continue;
        }
        if (is_string_introducer_c1(cp)) {
            i = skip_string(s, len, i);
            continue;
        }
        if (cp == '\n' || cp == '\t' || cp == 0x2028 || cp == 0x2029) {
            if (!(flags & SANITIZE_KEEP_NEWLINES)) {
                rc = buf_append_byte(out, ' ');
                col++;
            } else if (cp == '\t') {
                int spaces = TAB_WIDTH - col % TAB_WIDTH;
                for (int k = 0; k < spaces && rc == 0; k++)
                    rc = buf_append_byte(out, ' ');
                col += spaces;
            } else {
                rc = buf_append_byte(out, '\n');
                col = 0;
            }
            continue;
        }
        if ((cp >= 0 && cp < 0x20) || (cp >= 0x7F && cp <= 0x9F)) continue;
        if (cp < 0 || is_noncharacter(cp) || sanitize_is_bidi_control((uint32_t)cp)) cp = 0xFFFD;
        if (cp >= 0x80 && (flags & SANITIZE_ASCII)) {
            rc = buf_append_byte(out, '?');
            col++;
            continue;
        }
        rc = cp == 0xFFFD ? append_utf8(out, cp) : buf_append(out, s + i - n, n);
        col += cp_width(cp);
    }
    if (rc < 0) {
        out->len = start_len;
        if (out->data) out->data[start_len] = '\0';
        return -ENOMEM;
    }
    if (out->data) out->data[out->len] = '\0'; /* buf_reserve alone does not terminate */
    return 0;
}

char *sanitize_dup(const char *s, int flags)
{
    struct buf b = BUF_INIT;
    if (!s) s = "";
    if (sanitize_append(&b, s, strlen(s), flags) < 0) {
        buf_free(&b);
        return NULL;
    }
    return buf_steal(&b);
}

int sanitize_width(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    int width = 0;
    size_t i = 0;
    while (i < len) {
        int32_t cp;
        i += utf8_next(u + i, len - i, &cp);
        int w = cp < 0 ? 1 : cp_width(cp);
        if (width > INT32_MAX - w) return INT32_MAX;
        width += w;
    }
    return width;
}

size_t sanitize_fit(const char *s, size_t len, int cols, int *used)
{
    const unsigned char *u = (const unsigned char *)s;
    int width = 0;
    size_t i = 0;
    while (i < len) {
        int32_t cp;
        size_t n = utf8_next(u + i, len - i, &cp);
        int w = cp < 0 ? 1 : cp_width(cp);
        /* Zero-width characters (combining marks) stay with the character before them. */
        if (w > cols - width) break;
        width += w;
        i += n;
    }
    if (used) *used = width;
    return i;
}
