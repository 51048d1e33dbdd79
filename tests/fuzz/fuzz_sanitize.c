/* fuzz_sanitize.c - the display sanitizer on arbitrary bytes, checking its promises:
 * the output is valid UTF-8 without controls, ESC or bidi overrides, sanitizing is
 * idempotent, ASCII mode gives printable ASCII, and sanitize_fit never splits a character
 * or exceeds the columns it was given. A broken promise aborts (a finding). */
#include "config.h"

#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/sanitize.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setlocale(LC_ALL, "C.UTF-8");
    return 0;
}

/* Strictly decode s; abort on anything the sanitizer must never emit. */
static void check_clean(const unsigned char *s, size_t len, int flags)
{
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        uint32_t cp;
        size_t n;
        if (c < 0x80) {
            cp = c;
            n = 1;
        } else if (c >= 0xC2 && c <= 0xDF) {
            cp = c & 0x1F;
            n = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            cp = c & 0x0F;
            n = 3;
        } else if (c >= 0xF0 && c <= 0xF4) {
            cp = c & 0x07;
            n = 4;
        } else {
            abort();
        }
        if (i + n > len) abort();
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xC0) != 0x80) abort();
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            abort(); /* overlong, out of range or surrogate */
        if ((cp < 0x20 && !(cp == '\n' && (flags & SANITIZE_KEEP_NEWLINES))) ||
            (cp >= 0x7F && cp <= 0x9F))
            abort();
        if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
            cp == 0x200F)
            abort();
        if ((flags & SANITIZE_ASCII) && cp >= 0x80) abort();
        i += n;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int all_flags[] = {0, SANITIZE_KEEP_NEWLINES, SANITIZE_ASCII,
                                    SANITIZE_KEEP_NEWLINES | SANITIZE_ASCII};
    for (size_t f = 0; f < sizeof all_flags / sizeof all_flags[0]; f++) {
        int flags = all_flags[f];
        struct buf a = BUF_INIT, b = BUF_INIT;
        if (sanitize_append(&a, (const char *)data, size, flags) < 0) abort();
        check_clean((const unsigned char *)buf_cstr(&a), a.len, flags);
        if (sanitize_append(&b, buf_cstr(&a), a.len, flags) < 0) abort();
        if (a.len != b.len || (a.len && memcmp(a.data, b.data, a.len) != 0))
            abort(); /* not idempotent */

        int total = sanitize_width(buf_cstr(&a), a.len);
        for (int cols = 0; cols <= total + 1 && cols < 64; cols++) {
            int used = -1;
            size_t n = sanitize_fit(buf_cstr(&a), a.len, cols, &used);
            if (n > a.len || used < 0 || used > cols) abort();
            if (n < a.len && ((unsigned char)a.data[n] & 0xC0) == 0x80)
                abort(); /* split a character */
            if (sanitize_width(buf_cstr(&a), n) != used) abort();
        }
        buf_free(&a);
        buf_free(&b);
    }
    return 0;
}
