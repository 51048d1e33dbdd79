/* fastscan.c - allocation-free readers of list pages and batch metrics (see fastscan.h).
 *
 * cJSON builds a tree of small allocations; at 10 000 sandboxes every 5 s that alone cost
 * more than the whole refresh budget (bench/list). These readers walk the text once. They are
 * deliberately narrow: whatever they do not recognise makes them return -1, and the caller
 * then uses the strict parsers, so hostile input gets exactly the checks it got before. */
#include "config.h"

#include <ctype.h>
#include <locale.h>
#include <stdbool.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fastscan.h"

struct cur {
    const char *p, *end;
    int fast; /* list path: strings are only skipped, not validated (see skip_string_fast) */
};

static void ws(struct cur *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\n' || *c->p == '\r' || *c->p == '\t'))
        c->p++;
}

/* After a member or element: 1 at ',' (and the next one follows), 0 after the closing
 * bracket `close`, -1 on anything else. */
static int next_item(struct cur *c, char close)
{
    ws(c);
    if (c->p >= c->end) return -1;
    if (*c->p == ',') {
        c->p++;
        ws(c);
        return 1;
    }
    if (*c->p != close) return -1;
    c->p++;
    return 0;
}

/* The list path's string skip: only finds the closing quote (the parity of the backslashes
 * right before a quote tells whether it is escaped). Validation is not needed there: an object
 * is either byte-identical to one the strict parser accepted, or it goes to the strict parser. */
static int skip_string_fast(struct cur *c)
{
    const char *p = c->p + 1;
    for (;;) {
        const char *q = memchr(p, '"', (size_t)(c->end - p));
        if (!q) return -1;
        const char *b = q;
        while (b > c->p + 1 && b[-1] == '\\')
            b--;
        if (((q - b) & 1) == 0) {
            c->p = q + 1;
            return 0;
        }
        p = q + 1;
    }
}

/* The four hex digits at x (all before the closing quote q) as a code unit, or -1. */
static long hex4(const char *x, const char *q)
{
    if (q - x < 4) return -1;
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int ch = (unsigned char)x[i];
        if (!isxdigit(ch)) return -1;
        v = v * 16 + (isdigit(ch) ? ch - '0' : (tolower(ch) - 'a' + 10));
    }
    return v;
}

/* The escape whose backslash is at x (the string's closing quote at q): its length, or 0 when
 * the strict parser (cJSON) refuses it. One of "\/bfnrt, or u and four hex digits; like cJSON
 * a lone low surrogate is refused and a high one must be followed by \u and a low one (fuzz-smoke
 * found "\ude0d" accepted here). An escaped quote is found as the closing one by memchr first,
 * so the string then continues past q: only the hex digits look beyond. */
static size_t valid_escape(const char *x, const char *q)
{
    const char *e = x + 1;
    if (e >= q) return *e == '"' ? 2 : 0;
    if (*e && strchr("\"\\/bfnrt", *e)) return 2;
    if (*e != 'u') return 0;
    long hi = hex4(e + 1, q);
    if (hi < 0 || (hi >= 0xDC00 && hi <= 0xDFFF)) return 0;
    if (hi < 0xD800 || hi > 0xDBFF) return 6;
    if (q - x < 12 || x[6] != '\\' || x[7] != 'u') return 0;
    long lo = hex4(x + 8, q);
    return lo >= 0xDC00 && lo <= 0xDFFF ? 12 : 0;
}

/* At an opening quote: move past the closing one. *esc tells whether the string had escapes.
 * Control characters and invalid escapes are left to the strict parser (-1; fuzz-smoke found
 * the fast metrics path accepting "\\2", which the strict parser refuses). */
static int skip_string(struct cur *c, int *esc)
{
    const char *p = c->p + 1;
    *esc = 0;
    if (c->fast) {
        if (skip_string_fast(c)) return -1;
        /* escapes matter only where the caller reads the text: ids and keys, which are short */
        *esc = memchr(p, '\\', (size_t)(c->p - 1 - p)) != NULL;
        return 0;
    }
    for (;;) {
        const char *q = memchr(p, '"', (size_t)(c->end - p));
        if (!q) return -1;
        /* an escaped quote has an odd number of backslashes before it */
        const char *b = q;
        while (b > p && b[-1] == '\\')
            b--;
        for (const char *x = p; x < q; x++)
            if ((unsigned char)*x < 0x20)
                return -1;
            else if (*x == '\\') {
                *esc = 1;
                size_t n = valid_escape(x, q); /* "\\2": the strict parser refuses */
                if (!n) return -1;
                x += n - 1; /* past the escape (an escaped quote or backslash too) */
            }
        if (((q - b) & 1) == 0) {
            c->p = q + 1;
            return 0;
        }
        p = q + 1;
    }
}

static int skip_value(struct cur *c, int depth);

static int skip_literal(struct cur *c)
{
    static const char *const lits[] = {"true", "false", "null"};
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(lits[i]);
        if ((size_t)(c->end - c->p) >= n && !memcmp(c->p, lits[i], n)) {
            c->p += n;
            return 0;
        }
    }
    return -1;
}

/* JSON number grammar; [start, c->p) is the number afterwards. */
static int skip_number(struct cur *c)
{
    const char *p = c->p, *e = c->end;
    if (p < e && *p == '-') p++;
    if (p >= e || *p < '0' || *p > '9') return -1;
    if (*p == '0')
        p++;
    else
        while (p < e && *p >= '0' && *p <= '9')
            p++;
    if (p < e && *p == '.') {
        p++;
        if (p >= e || *p < '0' || *p > '9') return -1;
        while (p < e && *p >= '0' && *p <= '9')
            p++;
    }
    if (p < e && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < e && (*p == '+' || *p == '-')) p++;
        if (p >= e || *p < '0' || *p > '9') return -1;
        while (p < e && *p >= '0' && *p <= '9')
            p++;
    }
    c->p = p;
    return 0;
}

/* Objects and arrays: members are skipped recursively (bounded depth, like cJSON's limit). */
static int skip_container(struct cur *c, int depth)
{
    char close = *c->p == '{' ? '}' : ']';
    int obj = close == '}', esc;
    if (depth > 64) return -1;
    c->p++;
    ws(c);
    if (c->p < c->end && *c->p == close) {
        c->p++;
        return 0;
    }
    for (;;) {
        if (obj) {
            if (c->p >= c->end || *c->p != '"' || skip_string(c, &esc)) return -1;
            ws(c);
            if (c->p >= c->end || *c->p != ':') return -1;
            c->p++;
            ws(c);
        }
        if (skip_value(c, depth + 1)) return -1;
        int nx = next_item(c, close);
        if (nx < 0) return -1;
        if (nx) continue;
        return 0;
    }
}

static int skip_value(struct cur *c, int depth)
{
    int esc;
    if (c->p >= c->end) return -1;
    switch (*c->p) {
    case '"':
        return skip_string(c, &esc);
    case '{':
    case '[':
        return skip_container(c, depth);
    case 't':
    case 'f':
    case 'n':
        return skip_literal(c);
    default:
        return skip_number(c);
    }
}

static int key_is(const char *k, size_t n, const char *want)
{
    return strlen(want) == n && !memcmp(k, want, n);
}

/* One object of the list: its span and its sandboxID (top level only, unescaped only). */
static int scan_object(struct cur *c, struct scan_obj *o)
{
    int esc;
    o->p = c->p;
    o->id = NULL;
    o->id_len = 0;
    c->p++;
    ws(c);
    if (c->p < c->end && *c->p == '}') {
        c->p++;
        o->len = (size_t)(c->p - o->p);
        return 0;
    }
    for (;;) {
        if (c->p >= c->end || *c->p != '"') return -1;
        const char *k = c->p + 1;
        if (skip_string(c, &esc)) return -1;
        size_t klen = (size_t)(c->p - 1 - k);
        int is_id = !esc && key_is(k, klen, "sandboxID");
        ws(c);
        if (c->p >= c->end || *c->p != ':') return -1;
        c->p++;
        ws(c);
        const char *v = c->p;
        if (skip_value(c, 1)) return -1;
        if (is_id && *v == '"') {
            /* a second sandboxID: let the strict parser decide which one counts */
            if (o->id) return -1;
            if (!memchr(v + 1, '\\', (size_t)(c->p - 2 - v))) {
                o->id = v + 1;
                o->id_len = (size_t)(c->p - 1 - o->id);
            }
        }
        int nx = next_item(c, '}');
        if (nx < 0) return -1;
        if (nx) continue;
        o->len = (size_t)(c->p - o->p);
        return 0;
    }
}

int scan_list_objects(const char *text, size_t len, scan_obj_cb cb, void *ud)
{
    return scan_list_objects_known(text, len, NULL, cb, ud);
}

int scan_list_objects_known(const char *text, size_t len, scan_known_cb known, scan_obj_cb cb,
                            void *ud)
{
    struct cur c = {text, text + len, 1};
    ws(&c);
    if (c.p >= c.end || *c.p != '[') return -1;
    c.p++;
    ws(&c);
    if (c.p < c.end && *c.p == ']') {
        c.p++;
    } else {
        for (;;) {
            struct scan_obj o;
            size_t k;
            if (c.p >= c.end || *c.p != '{') return -1;
            if (known && (k = known(c.p, (size_t)(c.end - c.p), ud)) > 0 &&
                k <= (size_t)(c.end - c.p)) {
                o = (struct scan_obj){c.p, k, NULL, 0};
                c.p += k;
            } else if (scan_object(&c, &o)) {
                return -1;
            }
            if (cb(&o, ud)) return -1;
            ws(&c);
            if (c.p < c.end && *c.p == ',') {
                c.p++;
                ws(&c);
                continue;
            }
            if (c.p >= c.end || *c.p != ']') return -1;
            c.p++;
            break;
        }
    }
    ws(&c);
    return c.p == c.end ? 0 : -1;
}

/* Four independent multiply-rotate lanes over 8-byte words (the shape of xxHash64), so the
 * 7 MB of a 10 000-sandbox listing hash in about a millisecond. Only compared with our own
 * earlier hashes of the same sandbox. */
#define P1 0x9E3779B185EBCA87ull
#define P2 0xC2B2AE3D27D4EB4Full
#define P3 0x165667B19E3779F9ull

static uint64_t rotl(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static uint64_t word(const char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

static uint64_t lane(uint64_t acc, uint64_t w)
{
    return rotl(acc + w * P2, 31) * P1;
}

uint64_t scan_hash(const char *p, size_t len)
{
    uint64_t a = P1 + P2, b = P2, c = 0, d = (uint64_t)0 - P1;
    size_t i = 0;
    for (; i + 32 <= len; i += 32) {
        a = lane(a, word(p + i));
        b = lane(b, word(p + i + 8));
        c = lane(c, word(p + i + 16));
        d = lane(d, word(p + i + 24));
    }
    uint64_t h = rotl(a, 1) + rotl(b, 7) + rotl(c, 12) + rotl(d, 18) + (uint64_t)len;
    for (; i + 8 <= len; i += 8)
        h = rotl(h ^ lane(0, word(p + i)), 27) * P1 + P3;
    for (; i < len; i++)
        h = rotl(h ^ ((unsigned char)p[i] * P3), 11) * P1;
    h ^= h >> 33;
    h *= P2;
    h ^= h >> 29;
    h *= P3;
    return h ^ (h >> 32);
}

/* ---- batch metrics ------------------------------------------------------------------------ */

/* A non-negative integer in plain digits, small enough that cJSON's double holds it exactly. */
static int read_uint(struct cur *c, int64_t *out)
{
    const char *s = c->p;
    if (skip_number(c)) return -1;
    size_t n = (size_t)(c->p - s);
    if (n == 0 || n > 15 || (n > 1 && s[0] == '0')) return -1;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* Plain decimals ("37.45": digits, a point, digits; at most 15 digits in all, so the mantissa
 * is an exact double, as is 10^k for k <= 22) are mantissa / 10^k: one correctly rounded
 * division of exact values, which is what a correctly rounding strtod gives (Clinger's fast
 * path). 1 when it applied. A CPU share is read 9 000 times a round sorted by CPU. */
static int plain_decimal(const char *s, size_t n, double *out)
{
    static const double p10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    uint64_t m = 0;
    int digits = 0, frac = -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.' && frac < 0 && i > 0 && i + 1 < n) {
            frac = 0;
            continue;
        }
        if (s[i] < '0' || s[i] > '9' || ++digits > 15) return 0;
        m = m * 10 + (uint64_t)(s[i] - '0');
        if (frac >= 0) frac++;
    }
    *out = frac > 0 ? (double)m / p10[frac] : (double)m;
    return 1;
}

/* A JSON number as cJSON reads it: strtod with the locale's decimal point. */
static int read_double(struct cur *c, char dp, double *out)
{
    const char *s = c->p;
    if (skip_number(c)) return -1;
    size_t n = (size_t)(c->p - s);
    if (plain_decimal(s, n, out)) return 0;
    char tmp[64];
    if (n >= sizeof(tmp)) return -1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    if (dp != '.')
        for (size_t i = 0; i < n; i++)
            if (tmp[i] == '.') tmp[i] = dp;
    char *end;
    *out = strtod(tmp, &end);
    return end == tmp + n ? 0 : -1;
}

enum { F_TS = 1, F_CPUS = 2, F_PCT = 4, F_MU = 8, F_MT = 16, F_DU = 32, F_DT = 64, F_MC = 128 };
#define F_REQUIRED (F_TS | F_CPUS | F_PCT | F_MU | F_MT | F_DU | F_DT)

static int scan_sample(struct cur *c, char dp, struct metric_sample *m)
{
    int esc, seen = 0;
    memset(m, 0, sizeof(*m));
    if (c->p >= c->end || *c->p != '{') return -1;
    c->p++;
    ws(c);
    if (c->p < c->end && *c->p == '}') return -1; /* required fields missing */
    for (;;) {
        if (c->p >= c->end || *c->p != '"') return -1;
        const char *k = c->p + 1;
        if (skip_string(c, &esc) || esc) return -1;
        size_t kl = (size_t)(c->p - 1 - k);
        ws(c);
        if (c->p >= c->end || *c->p != ':') return -1;
        c->p++;
        ws(c);
        int f = 0, rc = 0;
        int64_t v = 0;
        if (key_is(k, kl, "timestampUnix"))
            f = F_TS, rc = read_uint(c, &m->ts);
        else if (key_is(k, kl, "cpuCount"))
            f = F_CPUS, rc = read_uint(c, &v), m->cpu_count = (int)v, rc |= v > 4096;
        else if (key_is(k, kl, "cpuUsedPct"))
            f = F_PCT, rc = read_double(c, dp, &m->cpu_pct),
            rc |= !isfinite(m->cpu_pct) || m->cpu_pct < 0 || m->cpu_pct > 100.0 * 4096;
        else if (key_is(k, kl, "memUsed"))
            f = F_MU, rc = read_uint(c, &m->mem_used);
        else if (key_is(k, kl, "memTotal"))
            f = F_MT, rc = read_uint(c, &m->mem_total);
        else if (key_is(k, kl, "diskUsed"))
            f = F_DU, rc = read_uint(c, &m->disk_used);
        else if (key_is(k, kl, "diskTotal"))
            f = F_DT, rc = read_uint(c, &m->disk_total);
        else if (key_is(k, kl, "memCache"))
            f = F_MC, rc = read_uint(c, &m->mem_cache);
        else
            rc = skip_value(c, 2); /* "timestamp" and whatever newer servers add */
        /* a repeated key: cJSON would take the first, leave it to the strict parser */
        if (rc || (seen & f)) return -1;
        seen |= f;
        int nx = next_item(c, '}');
        if (nx < 0) return -1;
        if (nx) continue;
        return (seen & F_REQUIRED) == F_REQUIRED ? 0 : -1;
    }
}

static int scan_entries(struct cur *c, char dp, scan_metric_cb cb, void *ud)
{
    int esc;
    if (c->p >= c->end || *c->p != '{') return -1;
    c->p++;
    ws(c);
    if (c->p < c->end && *c->p == '}') {
        c->p++;
        return 0;
    }
    for (;;) {
        if (c->p >= c->end || *c->p != '"') return -1;
        const char *id = c->p + 1;
        if (skip_string(c, &esc) || esc) return -1;
        size_t idl = (size_t)(c->p - 1 - id);
        ws(c);
        if (c->p >= c->end || *c->p != ':') return -1;
        c->p++;
        ws(c);
        struct metric_sample m;
        if (scan_sample(c, dp, &m) || cb(id, idl, &m, ud)) return -1;
        int nx = next_item(c, '}');
        if (nx < 0) return -1;
        if (nx) continue;
        return 0;
    }
}

int scan_metrics_batch(const char *text, size_t len, scan_metric_cb cb, void *ud)
{
    struct cur c = {text, text + len, 0};
    int esc, got = 0;
    char dp = localeconv()->decimal_point[0]; /* what cJSON's strtod expects, once */
    ws(&c);
    if (c.p >= c.end || *c.p != '{') return -1;
    c.p++;
    ws(&c);
    if (c.p < c.end && *c.p == '}') return -1; /* no "sandboxes" */
    for (;;) {
        if (c.p >= c.end || *c.p != '"') return -1;
        const char *k = c.p + 1;
        if (skip_string(&c, &esc) || esc) return -1;
        size_t kl = (size_t)(c.p - 1 - k);
        ws(&c);
        if (c.p >= c.end || *c.p != ':') return -1;
        c.p++;
        ws(&c);
        if (key_is(k, kl, "sandboxes")) {
            if (got || scan_entries(&c, dp, cb, ud)) return -1;
            got = 1;
        } else if (skip_value(&c, 1)) {
            return -1;
        }
        ws(&c);
        if (c.p >= c.end) return -1;
        if (*c.p == ',') {
            c.p++;
            ws(&c);
            continue;
        }
        if (*c.p != '}') return -1;
        c.p++;
        break;
    }
    ws(&c);
    return got && c.p == c.end ? 0 : -1;
}

/* ---- a sandbox's metrics window ----------------------------------------------------------- */

int scan_metrics_array(const char *text, size_t len, struct metric_list *out)
{
    struct cur c = {text, text + len, 0};
    char dp = localeconv()->decimal_point[0];
    memset(out, 0, sizeof(*out));
    ws(&c);
    if (c.p >= c.end || *c.p != '[') return -1;
    c.p++;
    ws(&c);
    /* one allocation: a sample holds its seven required members, 99 bytes at the least, and
     * one more comma: (len + 1) / 100 samples at the most */
    size_t cap = (len + 1) / 100 + 1;
    if (!(out->items = malloc(cap * sizeof(*out->items)))) return -1;
    if (c.p < c.end && *c.p == ']') {
        c.p++;
    } else {
        for (;;) {
            if ((size_t)out->n == cap || scan_sample(&c, dp, &out->items[out->n])) goto fail;
            out->n++;
            int nx = next_item(&c, ']');
            if (nx < 0) goto fail;
            if (!nx) break;
        }
    }
    ws(&c);
    if (c.p == c.end) return 0;
fail:
    metric_list_free(out);
    memset(out, 0, sizeof(*out));
    return -1;
}
