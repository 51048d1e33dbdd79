/* ids.c - sandbox id validation and random ids/tokens (OpenSSL RAND_bytes). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <openssl/rand.h>

#include "ids.h"

static bool id_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool ids_sandbox_valid(const char *id)
{
    size_t n = 0;
    if (!id || !*id) return false;
    for (; id[n]; n++)
        if (!id_char(id[n]) || n >= IDS_SANDBOX_MAX) return false;
    return true;
}

int ids_sandbox_parse(const char *in, char *out, size_t n)
{
    size_t len = 0;
    bool dash = false;

    if (!in || n < IDS_SANDBOX_MAX + 1) return -1;
    for (const char *p = in; *p; p++) {
        if (*p == '-') {
            if (dash || p == in || !p[1]) return -1;
            dash = true;
            continue;
        }
        if (!id_char(*p)) return -1;
        if (!dash) {
            if (len >= IDS_SANDBOX_MAX) return -1;
            out[len++] = *p;
        }
    }
    if (len == 0) return -1;
    out[len] = '\0';
    return 0;
}

int ids_random(void *out, size_t n)
{
    return RAND_bytes(out, (int)n) == 1 ? 0 : -1;
}

int ids_new_sandbox_id(char *out, size_t n)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    unsigned char r[IDS_SANDBOX_LEN];

    if (n < IDS_SANDBOX_LEN + 1 || ids_random(r, sizeof r) < 0) return -1;
    out[0] = 'i';
    for (int i = 1; i < IDS_SANDBOX_LEN; i++) {
        /* 252 = 7 * 36: reject the tail to keep the distribution uniform */
        while (r[i] >= 252)
            if (ids_random(&r[i], 1) < 0) return -1;
        out[i] = alphabet[r[i] % 36];
    }
    out[IDS_SANDBOX_LEN] = '\0';
    return 0;
}

int ids_random_hex(char *out, size_t nbytes)
{
    unsigned char r[64];
    if (nbytes > sizeof r || ids_random(r, nbytes) < 0) return -1;
    for (size_t i = 0; i < nbytes; i++)
        snprintf(out + 2 * i, 3, "%02x", r[i]);
    out[2 * nbytes] = '\0';
    return 0;
}

int ids_uuid4(char *out, size_t n)
{
    unsigned char r[16];
    if (n < 37 || ids_random(r, sizeof r) < 0) return -1;
    r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
    r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
    snprintf(out, n, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", r[0],
             r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13],
             r[14], r[15]);
    return 0;
}
