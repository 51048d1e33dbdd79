/* query.c - query-string decoding (Go net/url semantics, NUL refused). */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/grow.h"
#include "query.h"

static int hexval(unsigned char ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

int query_unescape(const char *in, size_t len, bool plus_space, char **out)
{
    char *o = malloc(len + 1);
    size_t j = 0;

    *out = NULL;
    if (!o) return -1;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)in[i];
        if (ch == '%') {
            int hi, lo;
            if (len - i < 3) {
                free(o);
                return -1;
            }
            hi = hexval((unsigned char)in[i + 1]);
            lo = hexval((unsigned char)in[i + 2]);
            if (hi < 0 || lo < 0) {
                free(o);
                return -1;
            }
            ch = (unsigned char)(hi * 16 + lo);
            i += 2;
        } else if (ch == '+' && plus_space) {
            ch = ' ';
        }
        if (ch == 0) {
            free(o);
            return -1;
        }
        o[j++] = (char)ch;
    }
    o[j] = '\0';
    *out = o;
    return 0;
}

void query_free(struct query *q)
{
    for (size_t i = 0; i < q->n; i++) {
        free(q->params[i].name);
        free(q->params[i].value);
    }
    free(q->params);
    q->params = NULL;
    q->n = q->cap = 0;
}

static int add_pair(struct query *q, const char *s, size_t len, struct error *err, const char *what)
{
    const char *eq = memchr(s, '=', len);
    size_t nlen = eq ? (size_t)(eq - s) : len;
    char *name = NULL, *value = NULL;

    if (q->n >= QUERY_MAX_PARAMS)
        return error_set(err, ERROR_USAGE, "too many %s parameters", what);
    if (query_unescape(s, nlen, true, &name) < 0 ||
        query_unescape(eq ? eq + 1 : "", eq ? len - nlen - 1 : 0, true, &value) < 0) {
        free(name);
        return error_set(err, ERROR_USAGE, "invalid escape in %s", what);
    }
    if (GROW(q->params, q->cap, q->n + 1) < 0) {
        free(name);
        free(value);
        return error_set(err, ERROR_GENERIC, "out of memory");
    }
    q->params[q->n].name = name;
    q->params[q->n].value = value;
    q->n++;
    return 0;
}

static int parse_pairs(struct query *q, const char *raw, size_t len, struct error *err,
                       const char *what)
{
    size_t start = 0;

    q->params = NULL;
    q->n = q->cap = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || raw[i] == '&') {
            if (i > start && add_pair(q, raw + start, i - start, err, what) < 0) {
                query_free(q);
                return -1;
            }
            start = i + 1;
        }
    }
    return 0;
}

int query_parse(struct query *q, const char *raw, size_t len, struct error *err)
{
    return parse_pairs(q, raw ? raw : "", raw ? len : 0, err, "query");
}

const char *query_get(const struct query *q, const char *name)
{
    return query_get_nth(q, name, 0);
}

size_t query_count(const struct query *q, const char *name)
{
    size_t n = 0;
    for (size_t i = 0; i < q->n; i++)
        if (strcmp(q->params[i].name, name) == 0) n++;
    return n;
}

const char *query_get_nth(const struct query *q, const char *name, size_t nth)
{
    for (size_t i = 0; i < q->n; i++) {
        if (strcmp(q->params[i].name, name) == 0) {
            if (nth == 0) return q->params[i].value;
            nth--;
        }
    }
    return NULL;
}

int query_parse_metadata(const char *value, struct query *out, struct error *err)
{
    char *whole = NULL;
    int rc;

    out->params = NULL;
    out->n = 0;
    if (query_unescape(value, strlen(value), true, &whole) < 0)
        return error_set(err, ERROR_USAGE, "error parsing metadata: invalid escape");
    /* the API's parseFilters: every '&'-piece (an empty one too) is exactly key=value */
    for (const char *p = whole;;) {
        const char *amp = strchr(p, '&'), *end = amp ? amp : p + strlen(p);
        const char *eq = memchr(p, '=', (size_t)(end - p));
        if (!eq || memchr(eq + 1, '=', (size_t)(end - eq - 1))) {
            free(whole);
            return error_set(err, ERROR_USAGE,
                             "error parsing metadata: invalid key value pair in query");
        }
        if (!amp) break;
        p = amp + 1;
    }
    rc = parse_pairs(out, whole, strlen(whole), err, "metadata");
    free(whole);
    if (rc < 0) return error_set(err, ERROR_USAGE, "error parsing metadata: invalid escape");
    for (size_t i = 0; i < out->n; i++) {
        if (out->params[i].name[0] == '\0') {
            query_free(out);
            return error_set(err, ERROR_USAGE, "error parsing metadata: empty key");
        }
    }
    return 0;
}

int query_parse_int64(const char *s, long long *out)
{
    char *end = NULL;
    long long v;

    if (!s || !*s) return -1;
    for (const char *p = (*s == '-') ? s + 1 : s; *p; p++)
        if (*p < '0' || *p > '9') return -1;
    if (s[0] == '-' && s[1] == '\0') return -1;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || !end || *end) return -1;
    *out = v;
    return 0;
}
