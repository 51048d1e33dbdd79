/* base64.c - RFC 4648 base64 for proto3 JSON bytes fields and envd signatures.
 *
 * Hand-written rather than OpenSSL's EVP_EncodeBlock/EVP_DecodeBlock: the decoder must take
 * both the standard and the URL-safe alphabet, with or without padding (proto3 JSON allows
 * all four), and reject anything else, while EVP_DecodeBlock knows only the padded standard
 * form, skips whitespace and reports padding as zero bytes. It is forty lines either way. */
#include "config.h"

#include <errno.h>
#include <stdint.h>

#include "boxtop/base64.h"

static const char b64_std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t base64_encoded_len(size_t n)
{
    return (n + 2) / 3 * 4;
}

int base64_encode(struct buf *out, const void *in, size_t len)
{
    const unsigned char *p = in;
    if (len > (SIZE_MAX - 3) / 4 * 3 || buf_reserve(out, base64_encoded_len(len)) < 0)
        return -ENOMEM;
    char *o = out->data + out->len;
    size_t i = 0;
    for (; i + 3 <= len; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
        *o++ = b64_std[v >> 18];
        *o++ = b64_std[(v >> 12) & 63];
        *o++ = b64_std[(v >> 6) & 63];
        *o++ = b64_std[v & 63];
    }
    if (i < len) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < len ? (uint32_t)p[i + 1] << 8 : 0);
        *o++ = b64_std[v >> 18];
        *o++ = b64_std[(v >> 12) & 63];
        *o++ = i + 1 < len ? b64_std[(v >> 6) & 63] : '=';
        *o++ = '=';
    }
    out->len = (size_t)(o - out->data);
    out->data[out->len] = '\0';
    return 0;
}

/* Value of one alphabet character, or -1. *alphabet records which of the two alphabets
 * '+/' (1) or '-_' (2) was seen, so a string mixing them is rejected. */
static int b64_value(unsigned char c, int *alphabet)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    int which = (c == '+' || c == '/') ? 1 : (c == '-' || c == '_') ? 2 : 0;
    if (!which || (*alphabet && *alphabet != which)) return -1;
    *alphabet = which;
    return (c == '+' || c == '-') ? 62 : 63;
}

int base64_decode(struct buf *out, const char *in, size_t len)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t pad = 0;
    while (pad < len && pad < 2 && s[len - 1 - pad] == '=')
        pad++;
    if (pad && len % 4 != 0) return -EINVAL; /* padding only completes a 4-character group */
    size_t n = len - pad;
    if (n % 4 == 1) return -EINVAL; /* one character cannot encode a byte */
    if (buf_reserve(out, n / 4 * 3 + 2) < 0) return -ENOMEM;
    size_t start = out->len;
    unsigned char *o = (unsigned char *)out->data + start;
    int alphabet = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = b64_value(s[i], &alphabet);
        if (v < 0) {
            out->data[start] = '\0';
            return -EINVAL;
        }
        acc = (acc << 6 | (uint32_t)v) & 0xFFFFFF;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            *o++ = (unsigned char)(acc >> bits);
        }
    }
    /* Left-over bits (< 8) of the last group are padding; like Go's decoder we do not insist
     * that they are zero. */
    out->len = (size_t)((char *)o - out->data);
    out->data[out->len] = '\0';
    return 0;
}
