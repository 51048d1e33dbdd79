/* fuzz_http_head.c - boxtopd's request head parser (http_head.h) on arbitrary bytes: the end
 * finder never points past the input, and a head it accepts keeps the invariants the router
 * and envd rely on (a path starting with "/", free of NUL and of "." / ".." segments; a query
 * without controls; lowercase token names; values without CR, LF or NUL). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http_head.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int is_token_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static void check_path(const char *p)
{
    if (p[0] != '/') abort();
    for (const char *s = p; *s; s++) {
        if (*s != '/') continue;
        const char *e = strchr(s + 1, '/');
        size_t n = e ? (size_t)(e - s - 1) : strlen(s + 1);
        if ((n == 1 && s[1] == '.') || (n == 2 && s[1] == '.' && s[2] == '.')) abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    size_t end = http_head_end(in, size);
    if (end > size) abort();
    struct http_head h;
    const char *why = NULL;
    int st = http_head_parse(&h, in, end ? end : size, &why);
    if (st == 0) {
        if (!h.path || !h.query || !h.method[0] || (h.minor != 0 && h.minor != 1)) abort();
        check_path(h.path);
        for (const char *q = h.query; *q; q++)
            if ((unsigned char)*q <= 0x20 || *q == 0x7f) abort();
        for (size_t i = 0; i < h.n_fields; i++) {
            const struct http_field *f = &h.fields[i];
            if (!f->name[0]) abort();
            for (const char *c = f->name; *c; c++)
                if (!is_token_char((unsigned char)*c)) abort();
            if (strpbrk(f->value, "\r\n")) abort();
            if (http_head_get(&h, f->name) == NULL) abort();
        }
    } else if (!why || st < 400 || st > 599) {
        abort();
    }
    http_head_free(&h);
    return 0;
}
