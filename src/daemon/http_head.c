/* http_head.c - HTTP/1.1 request head parser (grammar and limits in http_head.h). */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "http_head.h"

static size_t skip_empty_lines(const char *buf, size_t len)
{
    size_t i = 0;
    while (i < len && (buf[i] == '\r' || buf[i] == '\n'))
        i++;
    return i;
}

size_t http_head_end(const char *buf, size_t len)
{
    size_t i = skip_empty_lines(buf, len);
    for (; i < len; i++) {
        if (buf[i] != '\n') continue;
        if (i + 1 < len && buf[i + 1] == '\n') return i + 2;
        if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n') return i + 3;
    }
    return 0;
}

static bool tchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* s[0..n) is an RFC 9110 token (a method, a field name). */
static bool token(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!tchar((unsigned char)s[i])) return false;
    return true;
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Percent-decode p[0..n) into a new string; 0, or a status with *why. */
static int decode_path(const char *p, size_t n, char **out, const char **why)
{
    char *d = malloc(n + 1);
    size_t k = 0;
    if (!d) {
        *why = "out of memory";
        return 500;
    }
    for (size_t i = 0; i < n; i++) {
        if (p[i] != '%') {
            d[k++] = p[i];
            continue;
        }
        int hi = i + 2 < n ? hexval((unsigned char)p[i + 1]) : -1;
        int lo = i + 2 < n ? hexval((unsigned char)p[i + 2]) : -1;
        if (hi < 0 || lo < 0) {
            free(d);
            *why = "request path holds an invalid percent-escape";
            return 400;
        }
        if (hi == 0 && lo == 0) {
            free(d);
            *why = "request path holds an encoded NUL (%00)";
            return 400;
        }
        d[k++] = (char)(hi << 4 | lo);
        i += 2;
    }
    d[k] = '\0';
    *out = d;
    return 0;
}

/* Resolve "." and ".." segments in place (RFC 3986 §5.2.4); ".." never climbs above "/".
 * Empty segments stay: "//sandboxes" is not "/sandboxes". */
static void remove_dot_segments(char *path)
{
    char *w = path; /* output end; path[0] is '/' */
    const char *r = path;
    while (*r) {
        /* r points at a '/' starting a segment */
        const char *seg = r + 1;
        const char *end = strchr(seg, '/');
        size_t sl = end ? (size_t)(end - seg) : strlen(seg);
        if (sl == 1 && seg[0] == '.') {
            if (!end) *w++ = '/'; /* "/a/." -> "/a/" */
        } else if (sl == 2 && seg[0] == '.' && seg[1] == '.') {
            while (w > path && *--w != '/')
                ;
            if (!end) *w++ = '/';
        } else {
            memmove(w, r, sl + 1);
            w += sl + 1;
        }
        r = seg + sl;
    }
    if (w == path) *w++ = '/';
    *w = '\0';
}

static int parse_request_line(struct http_head *h, const char *s, size_t n, const char **why)
{
    const char *sp1 = memchr(s, ' ', n);
    if (!sp1 || sp1 == s) {
        *why = "malformed request line";
        return 400;
    }
    size_t ml = (size_t)(sp1 - s);
    if (!token(s, ml)) {
        *why = "malformed request method";
        return 400;
    }
    if (ml >= sizeof h->method) {
        *why = "method not allowed";
        return 405;
    }
    memcpy(h->method, s, ml);
    h->method[ml] = '\0';
    const char *t = sp1 + 1;
    const char *sp2 = memchr(t, ' ', n - (size_t)(t - s));
    if (!sp2) {
        *why = "malformed request line";
        return 400;
    }
    const char *ver = sp2 + 1;
    size_t vl = n - (size_t)(ver - s);
    if (vl != 8 || memcmp(ver, "HTTP/", 5) != 0 || ver[6] != '.' || ver[5] < '0' || ver[5] > '9' ||
        ver[7] < '0' || ver[7] > '9') {
        *why = "malformed request line";
        return 400;
    }
    if (ver[5] != '1' || (ver[7] != '0' && ver[7] != '1')) {
        *why = "HTTP version not supported";
        return 505;
    }
    h->minor = ver[7] - '0';
    size_t tl = (size_t)(sp2 - t);
    if (tl == 0 || t[0] != '/') {
        *why = "request target must be a path starting with /";
        return 400;
    }
    for (size_t i = 0; i < tl; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c <= 0x20 || c == 0x7f) {
            *why = "request target holds a control character or space";
            return 400;
        }
    }
    const char *q = memchr(t, '?', tl);
    const char *frag = memchr(t, '#', tl);
    if (frag && (!q || frag < q)) {
        *why = "request target holds a fragment";
        return 400;
    }
    size_t pl = q ? (size_t)(q - t) : tl;
    int st = decode_path(t, pl, &h->path, why);
    if (st) return st;
    remove_dot_segments(h->path);
    h->query = q ? strndup(q + 1, tl - pl - 1) : strdup("");
    if (!h->query) {
        *why = "out of memory";
        return 500;
    }
    return 0;
}

static int parse_field(struct http_head *h, const char *s, size_t n, const char **why)
{
    if (s[0] == ' ' || s[0] == '\t') {
        *why = "obsolete header line folding";
        return 400;
    }
    const char *colon = memchr(s, ':', n);
    if (!colon || colon == s) {
        *why = "malformed header field";
        return 400;
    }
    size_t nl = (size_t)(colon - s);
    if (!token(s, nl)) {
        *why = "malformed header field name";
        return 400;
    }
    const char *v = colon + 1, *ve = s + n;
    while (v < ve && (*v == ' ' || *v == '\t'))
        v++;
    while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
        ve--;
    if (h->n_fields >= HTTP_HEAD_MAX_FIELDS) {
        *why = "too many header fields";
        return 431;
    }
    if (h->n_fields % 16 == 0) {
        struct http_field *nf = realloc(h->fields, (h->n_fields + 16) * sizeof *nf);
        if (!nf) {
            *why = "out of memory";
            return 500;
        }
        h->fields = nf;
    }
    struct http_field *f = &h->fields[h->n_fields];
    f->name = strndup(s, nl);
    f->value = malloc((size_t)(ve - v) + 1);
    if (!f->name || !f->value) {
        free(f->name);
        free(f->value);
        *why = "out of memory";
        return 500;
    }
    h->n_fields++;
    for (size_t i = 0; i < nl; i++)
        if (f->name[i] >= 'A' && f->name[i] <= 'Z') f->name[i] = (char)(f->name[i] + 32);
    size_t vl = (size_t)(ve - v);
    for (size_t i = 0; i < vl; i++)
        f->value[i] = v[i] ? v[i] : 0x7f;
    f->value[vl] = '\0';
    return 0;
}

int http_head_parse(struct http_head *h, const char *buf, size_t len, const char **why)
{
    memset(h, 0, sizeof *h);
    size_t i = skip_empty_lines(buf, len);
    bool first = true;
    while (i < len) {
        const char *nl = memchr(buf + i, '\n', len - i);
        if (!nl || nl == buf + i || nl[-1] != '\r') {
            *why = "header lines must end with CRLF";
            return 400;
        }
        size_t n = (size_t)(nl - (buf + i)) - 1; /* without the CR */
        const char *s = buf + i;
        i = (size_t)(nl - buf) + 1;
        if (n == 0) {
            if (first) break;
            return i == len ? 0 : (*why = "data after the request head", 400);
        }
        if (memchr(s, '\r', n)) {
            *why = "bare CR in the request head";
            return 400;
        }
        int st = first ? parse_request_line(h, s, n, why) : parse_field(h, s, n, why);
        if (st) return st;
        first = false;
    }
    *why = first ? "missing request line" : "request head not terminated";
    return 400;
}

void http_head_free(struct http_head *h)
{
    for (size_t i = 0; i < h->n_fields; i++) {
        free(h->fields[i].name);
        free(h->fields[i].value);
    }
    free(h->fields);
    free(h->path);
    free(h->query);
    memset(h, 0, sizeof *h);
}

const char *http_head_get(const struct http_head *h, const char *lname)
{
    for (size_t i = 0; i < h->n_fields; i++)
        if (strcmp(h->fields[i].name, lname) == 0) return h->fields[i].value;
    return NULL;
}

size_t http_head_count(const struct http_head *h, const char *lname)
{
    size_t n = 0;
    for (size_t i = 0; i < h->n_fields; i++)
        n += strcmp(h->fields[i].name, lname) == 0;
    return n;
}
