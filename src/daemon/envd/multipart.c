/* multipart.c - streaming multipart/form-data parser (see multipart.h).
 *
 * Body bytes are scanned for the delimiter "\r\n--boundary" with a running match count:
 * bytes that might be the start of a delimiter are held back (never more than the delimiter's
 * length, and they are always equal to the delimiter's prefix, so they are re-emitted from
 * p->delim on a mismatch). A boundary cannot contain CR, so after a mismatch no suffix of the
 * held bytes can start a new match, and the search simply restarts at the current byte. */
#include "config.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "multipart.h"

static int is_bchar(int c)
{
    return isalnum(c) || strchr("'()+_,-./:=? ", c) != NULL;
}

int mp_header_param(const char *value, const char *param, char *out, size_t n)
{
    size_t plen = strlen(param);
    const char *s = strchr(value, ';');
    while (s) {
        s++;
        while (*s == ' ' || *s == '\t')
            s++;
        const char *eq = strchr(s, '=');
        const char *semi = strchr(s, ';');
        if (!eq || (semi && semi < eq)) {
            s = semi;
            continue;
        }
        const char *kend = eq;
        while (kend > s && (kend[-1] == ' ' || kend[-1] == '\t'))
            kend--;
        int match = (size_t)(kend - s) == plen && strncasecmp(s, param, plen) == 0;
        const char *v = eq + 1;
        while (*v == ' ' || *v == '\t')
            v++;
        size_t o = 0;
        if (*v == '"') {
            v++;
            for (;;) {
                if (*v == '\0') return -1; /* unterminated quoted string */
                if (*v == '"') {
                    v++;
                    break;
                }
                if (*v == '\\' && v[1] != '\0') v++;
                if (match) {
                    if (o + 1 >= n) return -1;
                    out[o++] = *v;
                }
                v++;
            }
            semi = strchr(v, ';');
        } else {
            semi = strchr(v, ';');
            const char *end = semi ? semi : v + strlen(v);
            while (end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
                end--;
            if (match) {
                if ((size_t)(end - v) + 1 > n) return -1;
                memcpy(out, v, (size_t)(end - v));
                o = (size_t)(end - v);
            }
        }
        if (match) {
            out[o] = '\0';
            return 1;
        }
        s = semi;
    }
    return 0;
}

int mp_boundary_from_content_type(const char *ctype, char *out, size_t n, struct error *err)
{
    if (!ctype || strncasecmp(ctype, "multipart/", 10) != 0)
        return error_set(err, ERROR_USAGE, "not a multipart content type");
    char b[MP_BOUNDARY_MAX + 2];
    int r = mp_header_param(ctype, "boundary", b, sizeof b);
    if (r <= 0)
        return error_set(err, ERROR_USAGE, "multipart content type without a valid boundary");
    size_t len = strlen(b);
    if (len == 0 || len > MP_BOUNDARY_MAX || b[len - 1] == ' ')
        return error_set(err, ERROR_USAGE, "invalid multipart boundary length");
    for (size_t i = 0; i < len; i++)
        if (!is_bchar((unsigned char)b[i]))
            return error_set(err, ERROR_USAGE, "invalid character in multipart boundary");
    if (len + 1 > n) return error_set(err, ERROR_USAGE, "multipart boundary too long");
    memcpy(out, b, len + 1);
    return 0;
}

int mp_init(struct mp_parser *p, const char *boundary, const struct mp_callbacks *cb,
            struct error *err)
{
    memset(p, 0, sizeof *p);
    size_t len = strlen(boundary);
    if (len == 0 || len > MP_BOUNDARY_MAX)
        return error_set(err, ERROR_USAGE, "invalid multipart boundary");
    for (size_t i = 0; i < len; i++)
        if (!is_bchar((unsigned char)boundary[i]))
            return error_set(err, ERROR_USAGE, "invalid character in multipart boundary");
    memcpy(p->delim, "\r\n--", 4);
    memcpy(p->delim + 4, boundary, len);
    p->dlen = len + 4;
    p->cb = *cb;
    p->state = MP_PREAMBLE;
    p->match = 2; /* the first delimiter may start the body without a preceding CRLF */
    return 0;
}

/* Parse the finished header block in p->hdr into p->part. */
static int parse_headers(struct mp_parser *p, struct error *err)
{
    memset(&p->part, 0, sizeof p->part);
    p->hdr[p->hlen] = '\0';
    char *line = p->hdr;
    while (*line) {
        char *eol = strstr(line, "\r\n");
        if (!eol) break;
        *eol = '\0';
        if (strncasecmp(line, "content-disposition:", 20) == 0) {
            const char *v = line + 20;
            if (mp_header_param(v, "name", p->part.name, sizeof p->part.name) < 0)
                return error_set(err, ERROR_USAGE, "malformed multipart name parameter");
            int r = mp_header_param(v, "filename", p->part.filename, sizeof p->part.filename);
            if (r < 0) return error_set(err, ERROR_USAGE, "malformed multipart filename parameter");
            p->part.has_filename = r == 1;
        }
        line = eol + 2;
    }
    return 0;
}

static int emit(struct mp_parser *p, const void *d, size_t n)
{
    if (n == 0 || p->state != MP_BODY || !p->cb.part_data) return 0;
    return p->cb.part_data(p->cb.ud, d, n);
}

/* Scan body (or preamble) bytes; returns bytes consumed (stops right after a delimiter), or a
 * negative callback code. */
static long scan_body(struct mp_parser *p, const unsigned char *d, size_t len)
{
    /* Data is emitted in spans of d, not byte by byte: a failed partial match inside d stays
     * part of the current span. Only bytes held over from the previous call (carried) are
     * emitted from p->delim, and they always come before d's bytes. */
    size_t i = 0, span = 0;
    size_t carried = p->match;
    size_t mstart = 0; /* where in d the pending match began (when !carried) */
    int r;
    while (i < len) {
        if (p->match == 0) {
            const unsigned char *cr = memchr(d + i, '\r', len - i);
            if (!cr) {
                i = len;
                break;
            }
            i = (size_t)(cr - d);
            mstart = i;
            p->match = 1;
            i++;
            continue;
        }
        if (d[i] == (unsigned char)p->delim[p->match]) {
            p->match++;
            i++;
            if (p->match == p->dlen) {
                if (!carried && (r = emit(p, d + span, mstart - span)) < 0) return r;
                p->match = 0;
                if (p->state == MP_BODY && p->cb.part_end) {
                    r = p->cb.part_end(p->cb.ud);
                    if (r < 0) return r;
                }
                p->state = MP_AFTER_DELIM;
                return (long)i;
            }
            continue;
        }
        /* Mismatch: the held bytes were data after all; re-test d[i] from scratch. */
        if (carried) {
            if ((r = emit(p, p->delim, carried)) < 0) return r;
            carried = 0;
        }
        p->match = 0;
    }
    /* End of this piece: emit the span up to a pending match, hold the match. */
    size_t end = p->match == 0 ? len : (carried ? span : mstart);
    if (end > span && (r = emit(p, d + span, end - span)) < 0) return r;
    return (long)i;
}

int mp_feed(struct mp_parser *p, const void *data, size_t len, struct error *err)
{
    const unsigned char *d = data;
    size_t i = 0;
    while (i < len) {
        unsigned char c = d[i];
        switch (p->state) {
        case MP_PREAMBLE:
        case MP_BODY: {
            long r = scan_body(p, d + i, len - i);
            if (r < 0) {
                p->state = MP_FAILED;
                return (int)r;
            }
            i += (size_t)r;
            break;
        }
        case MP_AFTER_DELIM:
            i++;
            if (c == '-')
                p->state = MP_AFTER_DASH;
            else if (c == '\r')
                p->state = MP_AFTER_CR;
            else if (c != ' ' && c != '\t') {
                p->state = MP_FAILED;
                return error_set(err, ERROR_USAGE, "malformed multipart delimiter line");
            }
            break;
        case MP_AFTER_DASH:
            i++;
            if (c != '-') {
                p->state = MP_FAILED;
                return error_set(err, ERROR_USAGE, "malformed multipart close delimiter");
            }
            p->state = MP_EPILOGUE;
            break;
        case MP_AFTER_CR:
            i++;
            if (c != '\n') {
                p->state = MP_FAILED;
                return error_set(err, ERROR_USAGE, "malformed multipart delimiter line");
            }
            p->state = MP_HEADERS;
            p->hlen = 0;
            break;
        case MP_HEADERS:
            i++;
            if (p->hlen + 1 >= sizeof p->hdr) {
                p->state = MP_FAILED;
                return error_set(err, ERROR_USAGE, "multipart part headers too large");
            }
            p->hdr[p->hlen++] = (char)c;
            if (c == '\n' && p->hlen >= 2 && p->hdr[p->hlen - 2] == '\r' &&
                (p->hlen == 2 ||
                 (p->hlen >= 4 && memcmp(p->hdr + p->hlen - 4, "\r\n\r\n", 4) == 0))) {
                if (parse_headers(p, err) < 0) {
                    p->state = MP_FAILED;
                    return -1;
                }
                p->state = MP_BODY;
                if (p->cb.part_begin) {
                    int r = p->cb.part_begin(p->cb.ud, &p->part);
                    if (r < 0) {
                        p->state = MP_FAILED;
                        return r;
                    }
                }
            }
            break;
        case MP_EPILOGUE:
            return 0;
        case MP_FAILED:
            return error_set(err, ERROR_USAGE, "multipart parser already failed");
        }
    }
    return 0;
}

int mp_finish(struct mp_parser *p, struct error *err)
{
    if (p->state == MP_EPILOGUE) return 0;
    if (p->state == MP_PREAMBLE)
        return error_set(err, ERROR_USAGE, "multipart body has no delimiter");
    return error_set(err, ERROR_USAGE, "multipart body truncated");
}
