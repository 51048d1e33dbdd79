/* term_rec.c - asciicast v2 writer (see term_rec.h for the format and the UTF-8 rule).
 * Writes through stdio to a regular file; write errors are remembered and reported by
 * term_rec_close, so a full disk never disturbs the terminal itself. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boxtop/sanitize.h"
#include "term_rec.h"

struct term_rec {
    FILE *f;
    double last;
    unsigned char held[4];
    size_t nheld;
    struct buf line;
    int failed;
};

/* One character from s[0..n): 1 = valid (*cp), 0 = ill-formed (*used = length of the
 * maximal subpart), -1 = a valid prefix that needs more bytes. */
static int u8_decode(const unsigned char *s, size_t n, size_t *used, uint32_t *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        *used = 1;
        return 1;
    }
    size_t need;
    uint32_t v;
    unsigned lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) {
        need = 1, v = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        need = 2, v = c & 0x0f;
        if (c == 0xe0) lo = 0xa0;
        if (c == 0xed) hi = 0x9f; /* no surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        need = 3, v = c & 0x07;
        if (c == 0xf0) lo = 0x90;
        if (c == 0xf4) hi = 0x8f;
    } else {
        *used = 1;
        return 0;
    }
    for (size_t i = 1; i <= need; i++) {
        if (i >= n) {
            *used = i;
            return -1;
        }
        unsigned b = s[i];
        if (b < lo || b > hi) {
            *used = i;
            return 0;
        }
        lo = 0x80, hi = 0xbf;
        v = v << 6 | (b & 0x3f);
    }
    *used = need + 1;
    *cp = v;
    return 1;
}

static int emit(struct buf *out, uint32_t cp)
{
    char tmp[8];
    switch (cp) {
    case '"':
        return buf_append(out, "\\\"", 2);
    case '\\':
        return buf_append(out, "\\\\", 2);
    case '\n':
        return buf_append(out, "\\n", 2);
    case '\r':
        return buf_append(out, "\\r", 2);
    case '\t':
        return buf_append(out, "\\t", 2);
    case '\b':
        return buf_append(out, "\\b", 2);
    case '\f':
        return buf_append(out, "\\f", 2);
    }
    if (cp < 0x20 || cp == 0x7f) {
        snprintf(tmp, sizeof tmp, "\\u%04x", (unsigned)cp);
        return buf_append(out, tmp, 6);
    }
    size_t n;
    if (cp < 0x80)
        tmp[0] = (char)cp, n = 1;
    else if (cp < 0x800)
        tmp[0] = (char)(0xc0 | cp >> 6), tmp[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
    else if (cp < 0x10000)
        tmp[0] = (char)(0xe0 | cp >> 12), tmp[1] = (char)(0x80 | (cp >> 6 & 0x3f)),
        tmp[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
    else
        tmp[0] = (char)(0xf0 | cp >> 18), tmp[1] = (char)(0x80 | (cp >> 12 & 0x3f)),
        tmp[2] = (char)(0x80 | (cp >> 6 & 0x3f)), tmp[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
    return buf_append(out, tmp, n);
}

int term_rec_json_escape(struct buf *out, unsigned char held[4], size_t *nheld,
                         const unsigned char *p, size_t len, int final)
{
    size_t i = 0, used;
    uint32_t cp = 0;
    int r;
    if (*nheld) {
        /* finish the sequence held from the previous chunk first */
        unsigned char tmp[8];
        size_t h = *nheld, k = len < 4 ? len : 4;
        memcpy(tmp, held, h);
        if (k) memcpy(tmp + h, p, k);
        r = u8_decode(tmp, h + k, &used, &cp);
        if (r < 0 && !final) { /* still incomplete: then k == len, all of p is held */
            memcpy(held, tmp, h + k);
            *nheld = h + k;
            return 0;
        }
        *nheld = 0;
        if (emit(out, r == 1 ? cp : 0xfffd) < 0) return -ENOMEM;
        /* held bytes are a valid prefix, so the character or the ill-formed part covers
         * all of them */
        i = used - h;
    }
    while (i < len) {
        r = u8_decode(p + i, len - i, &used, &cp);
        if (r < 0 && !final) {
            memcpy(held, p + i, len - i);
            *nheld = len - i;
            break;
        }
        if (r < 0) used = len - i;
        if (emit(out, r == 1 ? cp : 0xfffd) < 0) return -ENOMEM;
        i += used;
    }
    return 0;
}

static int flush_line(struct term_rec *r)
{
    if (r->line.len && fwrite(r->line.data, 1, r->line.len, r->f) != r->line.len)
        r->failed = errno ? errno : EIO;
    buf_reset(&r->line);
    return r->failed ? -r->failed : 0;
}

static int add_string(struct buf *b, const char *s)
{
    unsigned char held[4];
    size_t nheld = 0;
    if (buf_append_byte(b, '"') < 0 ||
        term_rec_json_escape(b, held, &nheld, (const unsigned char *)s, strlen(s), 1) < 0 ||
        buf_append_byte(b, '"') < 0)
        return -ENOMEM;
    return 0;
}

struct term_rec *term_rec_open(const char *path, const struct term_rec_opts *opts,
                               struct error *err)
{
    if (opts->cols < 1 || opts->rows < 1) {
        error_set(err, ERROR_USAGE, "recording: bad terminal size");
        return NULL;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        error_set(err, ERROR_GENERIC, "recording: cannot create %s: %s", path, strerror(errno));
        return NULL;
    }
    struct term_rec *r = calloc(1, sizeof *r);
    FILE *f = r ? fdopen(fd, "w") : NULL;
    if (!f) {
        close(fd);
        free(r);
        error_set(err, ERROR_GENERIC, "recording: out of memory");
        return NULL;
    }
    r->f = f;
    struct buf *b = &r->line;
    time_t ts = opts->timestamp ? opts->timestamp : time(NULL);
    int rc = buf_printf(b, "{\"version\": 2, \"width\": %d, \"height\": %d, \"timestamp\": %lld",
                        opts->cols, opts->rows, (long long)ts);
    if (rc == 0 && opts->title) {
        char *t = sanitize_dup(opts->title, 0);
        rc = t ? buf_append_str(b, ", \"title\": ") : -ENOMEM;
        if (rc == 0) rc = add_string(b, t);
        free(t);
    }
    if (rc == 0) rc = buf_append_str(b, ", \"env\": {");
    if (rc == 0 && opts->term) rc = buf_append_str(b, "\"TERM\": ") || add_string(b, opts->term);
    if (rc == 0 && opts->shell)
        rc = buf_append_str(b, opts->term ? ", \"SHELL\": " : "\"SHELL\": ") ||
             add_string(b, opts->shell);
    if (rc == 0) rc = buf_append_str(b, "}}\n");
    if (rc != 0 || flush_line(r) < 0) {
        term_rec_close(r, NULL);
        error_set(err, ERROR_GENERIC, "recording: cannot write %s", path);
        return NULL;
    }
    return r;
}

static double clamp_time(struct term_rec *r, double t)
{
    if (!(t >= r->last)) /* also catches NaN */
        t = r->last;
    r->last = t;
    return t;
}

int term_rec_output(struct term_rec *r, double t, const void *data, size_t len)
{
    if (len == 0) return 0;
    t = clamp_time(r, t);
    size_t before = r->nheld;
    if (buf_printf(&r->line, "[%.6f, \"o\", \"", t) < 0 ||
        term_rec_json_escape(&r->line, r->held, &r->nheld, data, len, 0) < 0)
        return -ENOMEM;
    if (r->nheld == before + len && r->line.len && r->line.data[r->line.len - 1] == '"') {
        buf_reset(&r->line); /* everything was held back: no event yet */
        return 0;
    }
    if (buf_append_str(&r->line, "\"]\n") < 0) return -ENOMEM;
    return flush_line(r);
}

int term_rec_resize(struct term_rec *r, double t, int cols, int rows)
{
    t = clamp_time(r, t);
    if (buf_printf(&r->line, "[%.6f, \"r\", \"%dx%d\"]\n", t, cols, rows) < 0) return -ENOMEM;
    return flush_line(r);
}

int term_rec_close(struct term_rec *r, struct error *err)
{
    if (!r) return 0;
    if (r->nheld && r->f) {
        unsigned char none = 0;
        buf_reset(&r->line);
        if (buf_printf(&r->line, "[%.6f, \"o\", \"", r->last) == 0 &&
            term_rec_json_escape(&r->line, r->held, &r->nheld, &none, 0, 1) == 0 &&
            buf_append_str(&r->line, "\"]\n") == 0)
            flush_line(r);
    }
    int failed = r->failed;
    if (r->f && fclose(r->f) != 0 && !failed) failed = errno ? errno : EIO;
    buf_free(&r->line);
    free(r);
    if (failed)
        return error_set(err, ERROR_GENERIC, "recording: write failed: %s", strerror(failed));
    return 0;
}
