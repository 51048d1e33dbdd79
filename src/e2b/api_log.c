/* api_log.c - the ring of HTTP calls behind `:api` (see api_log.h).
 *
 * A call is stored raw and redacted the first time it is read (api_log_at), once: the view
 * and the clipboard only ever see redacted copies, and the poller's hundred list pages every
 * 5 s cost a copy each instead of a scan (redacting every stored body was half of boxtop's
 * CPU at 10 000 sandboxes, issue 22). Three layers: header values and query parameters whose
 * names carry a secret, JSON string values under such names, and every secret registered with
 * http (API key, envd access tokens) wherever it appears. The log keeps its own copies of those
 * secrets, since a raw entry may be read after the call's list has changed. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "boxtop/api_log.h"
#include "boxtop/http.h"
#include "boxtop/secret.h"

/* An entry and, until it is first read, what it was made of. While raw, e's bodies hold the
 * raw bytes (at most API_LOG_BODY_MAX + 1024 of each) and e's other strings are NULL. */
struct slot {
    struct api_log_entry e; /* first: api_log_at() hands out &slot->e */
    int raw;
    char *url, *req_headers, *resp_headers, *error;
};

struct api_log {
    struct slot **ring; /* cap slots; head = next to write */
    int cap, n, head;
    uint64_t seq;
    size_t body_bytes;
    uint64_t body_from; /* the seq of the oldest entry that may hold a body */
    char **secrets;     /* every secret seen, copied (the union redacts: more is only safer) */
    int n_secrets;
    const char *const *seen; /* the caller's secret list last merged, and its length */
    int seen_n;
};

/* One pass over the name: the six words start with five different letters, so most positions
 * cost one test (this runs for every JSON key of every response the API log keeps: 40 000
 * keys a refresh at 10 000 sandboxes). */
static int word_at(const char *s, size_t len, const char *w, size_t wl)
{
    if (wl > len) return 0;
    for (size_t i = 0; i < wl; i++)
        if ((s[i] | 0x20) != w[i]) return 0; /* w is lower-case letters */
    return 1;
}

static int has_secret_word(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        const char *p = s + i;
        size_t r = len - i;
        switch (p[0] | 0x20) {
        case 't':
            if (word_at(p, r, "token", 5)) return 1;
            break;
        case 's':
            if (word_at(p, r, "secret", 6) || word_at(p, r, "signature", 9)) return 1;
            break;
        case 'p':
            if (word_at(p, r, "password", 8)) return 1;
            break;
        case 'a':
            if (word_at(p, r, "authorization", 13)) return 1;
            break;
        case 'c':
            if (word_at(p, r, "cookie", 6)) return 1;
            break;
        }
    }
    return 0;
}

int api_log_secret_name(const char *name, size_t len)
{
    if (has_secret_word(name, len)) return 1;
    /* "…key" (x-api-key, apiKey) but not "keyword"/"keys" */
    return len >= 3 && word_at(name + len - 3, 3, "key", 3);
}

static void replace_all(struct buf *b, const char *s)
{
    size_t sl = strlen(s);
    if (sl < 4 || !b->len) return;
    struct buf o = BUF_INIT;
    const char *p = buf_cstr(b), *end = p + b->len, *hit;
    int any = 0;
    while (p < end && (hit = memmem(p, (size_t)(end - p), s, sl))) {
        buf_append(&o, p, (size_t)(hit - p));
        buf_append_str(&o, API_LOG_REDACTED);
        p = hit + sl;
        any = 1;
    }
    if (!any) {
        buf_free(&o);
        return;
    }
    buf_append(&o, p, (size_t)(end - p));
    buf_free(b);
    *b = o;
}

/* The end of the JSON string whose opening quote is at in[from - 1]: the index of its closing
 * quote, or len. memchr does the walking; a quote counts when an even number of backslashes
 * precedes it. */
static size_t string_end(const char *in, size_t from, size_t len)
{
    for (size_t i = from; i < len;) {
        const char *q = memchr(in + i, '"', len - i);
        if (!q) return len;
        size_t e = (size_t)(q - in), bs = 0;
        while (e - bs > from && in[e - bs - 1] == '\\')
            bs++;
        if (!(bs & 1)) return e;
        i = e + 1;
    }
    return len;
}

int api_log_redact(struct buf *out, const char *in, size_t len, const char *const *secrets,
                   int n_secrets)
{
    struct buf b = BUF_INIT;
    /* JSON "name": "value" with a secret name: the value goes. Strings are walked whole
     * (escapes included) so a quote inside one never shifts keys and values. Bytes are copied
     * in runs, up to each redacted value (most bodies have none: one copy). */
    size_t i = 0, copied = 0;
    if (buf_reserve(&b, len) == 0) b.data[0] = '\0'; /* one allocation; "" if nothing comes */
    while (i < len) {
        const char *q = memchr(in + i, '"', len - i);
        if (!q) break;
        size_t ks = (size_t)(q - in) + 1, ke = string_end(in, ks, len);
        if (ke >= len) break;
        i = ke + 1;
        size_t v = i;
        while (v < len && isspace((unsigned char)in[v]))
            v++;
        if (v >= len || in[v] != ':' || !api_log_secret_name(in + ks, ke - ks)) continue;
        v++;
        while (v < len && isspace((unsigned char)in[v]))
            v++;
        if (v >= len || in[v] != '"') continue;
        size_t e = string_end(in, v + 1, len);
        buf_append(&b, in + copied, v + 1 - copied);
        buf_append_str(&b, API_LOG_REDACTED);
        copied = e; /* the closing quote stays, and is not the start of a string */
        i = e < len ? e + 1 : len;
    }
    if (copied < len) buf_append(&b, in + copied, len - copied);
    for (int k = 0; k < n_secrets; k++)
        replace_all(&b, secrets[k]);
    if (b.len && !b.data) return -ENOMEM;
    buf_free(out);
    *out = b;
    return 0;
}

int api_log_split_url(const char *url, char **origin, char **path)
{
    *origin = *path = NULL;
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL, *p = NULL, *query = NULL;
    int rc = -EINVAL;
    if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) goto out;
    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
    curl_url_get(u, CURLUPART_HOST, &host, 0);
    curl_url_get(u, CURLUPART_PORT, &port, 0);
    curl_url_get(u, CURLUPART_PATH, &p, 0);
    curl_url_get(u, CURLUPART_QUERY, &query, 0);
    struct buf o = BUF_INIT, q = BUF_INIT;
    buf_printf(&o, "%s://%s%s%s", scheme ? scheme : "http", host ? host : "", port ? ":" : "",
               port ? port : "");
    buf_append_str(&q, p ? p : "/");
    int first = 1;
    for (const char *s = query; s && *s;) {
        size_t l = strcspn(s, "&");
        size_t nl = strcspn(s, "=");
        if (nl > l) nl = l;
        if (l && !api_log_secret_name(s, nl)) {
            buf_printf(&q, "%c%.*s", first ? '?' : '&', (int)l, s);
            first = 0;
        }
        s += l + (s[l] == '&');
    }
    *origin = buf_steal(&o);
    *path = buf_steal(&q);
    rc = *origin && *path ? 0 : -ENOMEM;
out:
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_free(p);
    curl_free(query);
    curl_url_cleanup(u);
    return rc;
}

/* ---- the ring ---------------------------------------------------------------------------- */

struct api_log *api_log_new(int cap)
{
    struct api_log *l = calloc(1, sizeof *l);
    if (!l) return NULL;
    l->cap = cap > 0 ? cap : API_LOG_MAX;
    if (!(l->ring = calloc((size_t)l->cap, sizeof *l->ring))) {
        free(l);
        return NULL;
    }
    return l;
}

static void drop_bodies(struct api_log *l, struct api_log_entry *e)
{
    l->body_bytes -= e->req_body_len + e->resp_body_len;
    free(e->req_body);
    free(e->resp_body);
    e->req_body = e->resp_body = NULL;
    e->req_body_len = e->resp_body_len = 0;
    e->body_dropped = 1;
}

static void raw_free(struct slot *s)
{
    free(s->url);
    free(s->req_headers);
    free(s->resp_headers);
    free(s->error);
    s->url = s->req_headers = s->resp_headers = s->error = NULL;
    s->raw = 0;
}

static void slot_free(struct api_log *l, struct slot *s)
{
    if (!s) return;
    struct api_log_entry *e = &s->e;
    drop_bodies(l, e);
    raw_free(s);
    free(e->origin);
    free(e->path);
    free(e->error);
    free(e->req_headers);
    free(e->resp_headers);
    free(s);
}

void api_log_free(struct api_log *l)
{
    if (!l) return;
    for (int i = 0; i < l->cap; i++)
        slot_free(l, l->ring[i]);
    for (int i = 0; i < l->n_secrets; i++)
        secret_free(l->secrets[i]);
    free(l->secrets);
    free(l->ring);
    free(l);
}

int api_log_count(const struct api_log *l)
{
    return l ? l->n : 0;
}

uint64_t api_log_seq(const struct api_log *l)
{
    return l ? l->seq : 0;
}

static struct slot *slot_at(const struct api_log *l, int i)
{
    if (!l || i < 0 || i >= l->n) return NULL;
    return l->ring[((l->head - 1 - i) % l->cap + l->cap) % l->cap];
}

static char *redacted(const struct api_log *l, const char *in, size_t len)
{
    struct buf b = BUF_INIT;
    api_log_redact(&b, in, len, (const char *const *)l->secrets, l->n_secrets);
    return buf_steal(&b);
}

/* Header lines "Name: value\n" with secret-named values replaced, then the secrets. */
static char *redact_headers(const struct api_log *l, const char *in)
{
    struct buf b = BUF_INIT;
    for (const char *p = in ? in : ""; *p;) {
        size_t n = strcspn(p, "\n");
        const char *colon = memchr(p, ':', n);
        if (colon && api_log_secret_name(p, (size_t)(colon - p)))
            buf_printf(&b, "%.*s: %s\n", (int)(colon - p), p, API_LOG_REDACTED);
        else
            buf_printf(&b, "%.*s\n", (int)n, p);
        p += n + (p[n] == '\n');
    }
    char *out = redacted(l, buf_cstr(&b), b.len);
    buf_free(&b);
    return out;
}

/* A raw body replaced by its redacted first API_LOG_BODY_MAX bytes. */
static void redact_body(struct api_log *l, char **body, size_t *len)
{
    if (!*body) return;
    struct buf b = BUF_INIT;
    if (api_log_redact(&b, *body, *len, (const char *const *)l->secrets, l->n_secrets) < 0)
        b.len = 0; /* out of memory: nothing rather than the raw bytes */
    size_t n = b.len > API_LOG_BODY_MAX ? API_LOG_BODY_MAX : b.len;
    l->body_bytes = l->body_bytes - *len + n;
    free(*body);
    *len = n;
    *body = buf_steal(&b);
    if (*body) (*body)[n] = '\0';
}

/* The first read of an entry: everything redacted, the raw parts freed. */
static void slot_redact(struct api_log *l, struct slot *s)
{
    struct api_log_entry *e = &s->e;
    if (!s->raw) return;
    if (api_log_split_url(s->url ? s->url : "", &e->origin, &e->path) < 0) {
        free(e->origin);
        free(e->path);
        e->origin = strdup("?");
        e->path = strdup("?");
    }
    char **parts[] = {&e->origin, &e->path};
    for (int k = 0; k < 2; k++) { /* a secret in the path too */
        char *r = *parts[k] ? redacted(l, *parts[k], strlen(*parts[k])) : NULL;
        if (r) {
            free(*parts[k]);
            *parts[k] = r;
        }
    }
    if (s->error) e->error = redacted(l, s->error, strlen(s->error));
    e->req_headers = redact_headers(l, s->req_headers);
    e->resp_headers = redact_headers(l, s->resp_headers);
    redact_body(l, &e->req_body, &e->req_body_len);
    redact_body(l, &e->resp_body, &e->resp_body_len);
    raw_free(s);
}

const struct api_log_entry *api_log_at(struct api_log *l, int i)
{
    struct slot *s = slot_at(l, i);
    if (!s) return NULL;
    slot_redact(l, s);
    return &s->e;
}

/* The caller's secrets into the log's own list. http's list only grows, so the same array
 * with the same length holds nothing new (the common case: a pointer compare per call). */
static void secrets_merge(struct api_log *l, const char *const *sec, int n)
{
    if (sec == l->seen && n == l->seen_n) return;
    for (int k = 0; k < n; k++) {
        if (!sec[k]) continue;
        int known = 0;
        for (int j = 0; j < l->n_secrets && !known; j++)
            known = !strcmp(l->secrets[j], sec[k]);
        if (known) continue;
        char **v = realloc(l->secrets, (size_t)(l->n_secrets + 1) * sizeof *v);
        if (!v) return; /* seen stays stale: the next call tries again */
        l->secrets = v;
        if (!(v[l->n_secrets] = strdup(sec[k]))) return;
        l->n_secrets++;
    }
    l->seen = sec;
    l->seen_n = n;
}

static char *raw_copy(const char *p, size_t len, size_t *out_len)
{
    *out_len = 0;
    if (!p || !len) return NULL;
    /* a little past the cut, so that no secret straddling it leaves its first part behind */
    size_t take = len < API_LOG_BODY_MAX + 1024 ? len : API_LOG_BODY_MAX + 1024;
    char *c = malloc(take + 1);
    if (!c) return NULL;
    memcpy(c, p, take);
    c[take] = '\0';
    *out_len = take;
    return c;
}

/* A raw part of the call: the caller's buffer itself when it may be kept (the call frees it
 * otherwise; a 45 KB list page a call, 100 a round), cut and trimmed to what is kept, else a
 * copy. */
static char *raw_keep(struct buf *keep, const char *p, size_t len, size_t *out_len)
{
    if (!keep || !p || !len || keep->data != p || keep->len != len)
        return raw_copy(p, len, out_len);
    size_t take = len < API_LOG_BODY_MAX + 1024 ? len : API_LOG_BODY_MAX + 1024;
    char *c = buf_steal(keep);
    c[take] = '\0';
    char *fit = realloc(c, take + 1); /* the buffer grew in doublings: give the rest back */
    *out_len = take;
    return fit ? fit : c;
}

/* A string part (url, header lines), whole: the caller's when it may be kept, else a copy. */
static char *str_keep(struct buf *keep, char **keep_str, const char *s)
{
    if (!s) return NULL;
    if (keep_str && *keep_str == s) {
        *keep_str = NULL;
        return (char *)s;
    }
    if (!keep || keep->data != s) return strdup(s);
    size_t n = keep->len;
    char *c = buf_steal(keep);
    char *fit = realloc(c, n + 1);
    return fit ? fit : c;
}

void api_log_observe(const struct http_call *c, void *ud)
{
    struct api_log *l = ud;
    secrets_merge(l, c->secrets, c->n_secrets);
    struct slot *s = calloc(1, sizeof *s);
    if (!s) return;
    struct api_log_entry *e = &s->e;
    s->raw = 1;
    e->seq = ++l->seq;
    e->started_ms = c->started_ms;
    snprintf(e->method, sizeof e->method, "%s", c->method ? c->method : "GET");
    e->status = c->status;
    e->cancelled = c->cancelled;
    e->streamed = c->streamed;
    e->ttfb_ms = c->ttfb_us / 1000;
    e->total_ms = c->total_us / 1000;
    e->bytes_out = c->bytes_out;
    e->bytes_in = c->bytes_in;
    s->url = c->url ? str_keep(NULL, c->keep_url, c->url) : strdup("");
    s->error = c->error ? strdup(c->error) : NULL;
    s->req_headers = str_keep(c->keep_req_headers, NULL, c->req_headers);
    s->resp_headers = str_keep(c->keep_resp_headers, NULL, c->resp_headers);
    e->req_body = raw_copy(c->req_body, c->req_body_len, &e->req_body_len);
    e->resp_body = raw_keep(c->keep_resp_body, c->resp_body, c->resp_body_len, &e->resp_body_len);
    l->body_bytes += e->req_body_len + e->resp_body_len;

    slot_free(l, l->ring[l->head]); /* the oldest, when full */
    l->ring[l->head] = s;
    l->head = (l->head + 1) % l->cap;
    if (l->n < l->cap) l->n++;
    /* over the budget: the oldest bodies go first, from the oldest entry that may still
     * have one (a walk from the ring's end touched 2000 entries a call) */
    if (l->body_from + (uint64_t)l->n <= l->seq) l->body_from = l->seq - (uint64_t)l->n + 1;
    while (l->body_bytes > API_LOG_BODY_BUDGET && l->body_from < l->seq) {
        struct api_log_entry *o = &slot_at(l, (int)(l->seq - l->body_from))->e;
        if (o->req_body || o->resp_body) drop_bodies(l, o);
        l->body_from++;
    }
}

/* ---- what a person can run again --------------------------------------------------------- */

static void shell_quote(struct buf *out, const char *s, size_t len)
{
    buf_append_byte(out, '\'');
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\'')
            buf_append_str(out, "'\\''");
        else
            buf_append_byte(out, (unsigned char)s[i]);
    }
    buf_append_byte(out, '\'');
}

int api_log_curl(const struct api_log_entry *e, struct buf *out)
{
    buf_append_str(out, "curl -sS");
    if (strcmp(e->method, "GET")) buf_printf(out, " -X %s", e->method);
    buf_append_byte(out, ' ');
    struct buf url = BUF_INIT;
    buf_printf(&url, "%s%s", e->origin, e->path);
    shell_quote(out, url.data, url.len);
    buf_free(&url);
    for (const char *p = e->req_headers ? e->req_headers : ""; *p;) {
        size_t l = strcspn(p, "\n");
        const char *colon = memchr(p, ':', l);
        if (colon) {
            size_t nl = (size_t)(colon - p);
            if (nl == 9 && !strncasecmp(p, "x-api-key", 9))
                buf_append_str(out, " -H \"X-API-Key: $E2B_API_KEY\"");
            else if (nl == 14 && !strncasecmp(p, "x-access-token", 14))
                buf_append_str(out, " -H \"X-Access-Token: $E2B_ACCESS_TOKEN\"");
            else if (!api_log_secret_name(p, nl) && strncasecmp(p, "user-agent", 10) &&
                     strncasecmp(p, "keepalive", 9)) {
                buf_append_str(out, " -H ");
                shell_quote(out, p, l);
            }
        }
        p += l + (p[l] == '\n');
    }
    if (e->req_body && e->req_body_len) {
        buf_append_str(out, " --data-binary ");
        shell_quote(out, e->req_body, e->req_body_len);
    }
    return 0;
}

/* "/sandboxes/ID[/tail]" or "/v2/sandboxes/ID[/tail]": copies ID and points tail. */
static int sandbox_path(const char *path, char *id, size_t n, const char **tail)
{
    const char *p = path;
    if (!strncmp(p, "/v2", 3)) p += 3;
    if (strncmp(p, "/sandboxes", 10)) return -1;
    p += 10;
    if (*p != '/') {
        *id = '\0';
        *tail = p;
        return 0;
    }
    p++;
    size_t l = strcspn(p, "/?");
    if (!l || l >= n) return -1;
    for (size_t i = 0; i < l; i++)
        if (!isalnum((unsigned char)p[i]) && p[i] != '-' && p[i] != '_') return -1;
    memcpy(id, p, l);
    id[l] = '\0';
    *tail = p + l;
    return 0;
}

static int json_int(const char *body, const char *name, long *v)
{
    const char *p = body ? strstr(body, name) : NULL;
    if (!p || !(p = strchr(p + strlen(name), ':'))) return -1;
    char *end;
    *v = strtol(p + 1, &end, 10);
    return end == p + 1 ? -1 : 0;
}

int api_log_boxtop(const struct api_log_entry *e, struct buf *out)
{
    char id[128];
    const char *tail;
    if (sandbox_path(e->path, id, sizeof id, &tail) < 0) return 0;
    long v;
    if (!strcmp(e->method, "DELETE") && id[0] && (!*tail || *tail == '?'))
        buf_printf(out, "boxtop kill %s", id);
    else if (!strcmp(e->method, "POST") && id[0] && !strcmp(tail, "/pause"))
        buf_printf(out, "boxtop pause %s", id);
    else if (!strcmp(e->method, "POST") && id[0] &&
             (!strcmp(tail, "/resume") || !strcmp(tail, "/connect")))
        buf_printf(out, "boxtop resume %s", id);
    else if (!strcmp(e->method, "POST") && id[0] && !strcmp(tail, "/timeout") &&
             !json_int(e->req_body, "\"timeout\"", &v))
        buf_printf(out, "boxtop timeout %s %ld", id, v);
    else if (!strcmp(e->method, "POST") && !id[0] && !*tail) {
        buf_append_str(out, "boxtop create");
        const char *t = e->req_body ? strstr(e->req_body, "\"templateID\"") : NULL;
        if (t && (t = strchr(t + 12, '"'))) {
            size_t l = strcspn(t + 1, "\"");
            int ok = l > 0 && l < 128;
            for (size_t i = 0; ok && i < l; i++)
                ok = isalnum((unsigned char)t[1 + i]) || strchr("-_./:", t[1 + i]);
            if (ok) buf_printf(out, " %.*s", (int)l, t + 1);
        }
    } else
        return 0;
    return 1;
}
