/* logs_store.c - sorted, de-duplicated, pre-sanitized log lines (see logs_store.h). */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boxtop/grow.h"
#include "boxtop/sanitize.h"
#include "logs_store.h"

void log_store_init(struct log_store *s, int ascii)
{
    memset(s, 0, sizeof(*s));
    s->ascii = ascii;
}

static void line_free(struct log_line *e)
{
    free(e->stamp);
    free(e->text);
}

void log_store_free(struct log_store *s)
{
    for (int i = 0; i < s->n; i++)
        line_free(&s->v[i]);
    free(s->v);
    memset(s, 0, sizeof(*s));
}

/* Cut b to at most max bytes on a UTF-8 boundary; the bytes cut. */
static size_t cut_utf8(struct buf *b, size_t from, size_t max)
{
    if (b->len - from <= max) return 0;
    size_t n = from + max, was = b->len;
    while (n > from && ((unsigned char)b->data[n] & 0xC0) == 0x80)
        n--;
    b->len = n;
    b->data[n] = '\0';
    return was - n;
}

/* The message and its fields, sanitized to one line of at most ~LOGS_LINE_MAX bytes. */
static char *line_text(const struct log_entry *le, int ascii)
{
    struct buf b = BUF_INIT;
    const char *msg = le->message ? le->message : "";
    /* never more raw bytes than could be kept: sanitizing turns 1 byte into 3 at most */
    size_t len = strlen(msg), cut = len > LOGS_LINE_MAX ? LOGS_LINE_MAX : len;
    int flags = ascii ? SANITIZE_ASCII : 0;
    int rc = sanitize_append(&b, msg, cut, flags);
    /* the message keeps three quarters, so that some fields still fit */
    size_t more = rc < 0 ? 0 : cut_utf8(&b, 0, LOGS_LINE_MAX / 4 * 3) + (len - cut);
    if (more) rc |= buf_printf(&b, " [… %zu bytes more]", more);
    int shown = 0, fields = 0, full = 0;
    for (int i = 0; i < le->fields.n && rc >= 0; i++) {
        const struct kv *f = &le->fields.items[i];
        if (!f->key || !strcmp(f->key, "logger")) continue; /* says nothing to a person */
        fields++;
        if (full || shown == LOGS_FIELDS_MAX) continue; /* only counted */
        const char *v = f->value ? f->value : "";
        size_t vl = strlen(v), at = b.len;
        rc |= buf_append_byte(&b, ' ');
        rc |= sanitize_append(&b, f->key, strnlen(f->key, 256), flags);
        rc |= buf_append_byte(&b, '=');
        rc |= sanitize_append(&b, v, vl > 1024 ? 1024 : vl, flags);
        if (rc >= 0 && b.len > LOGS_LINE_MAX) { /* the field does not fit: left out whole */
            b.len = at;
            b.data[at] = '\0';
            full = 1;
            continue;
        }
        shown++;
    }
    fields += le->fields_dropped;
    if (rc >= 0 && fields > shown) rc |= buf_printf(&b, " [… %d more fields]", fields - shown);
    if (rc < 0) {
        buf_free(&b);
        return NULL;
    }
    return buf_steal(&b);
}

static int line_cmp(const void *pa, const void *pb)
{
    const struct log_line *a = pa, *b = pb;
    if (a->t_ms != b->t_ms) return a->t_ms < b->t_ms ? -1 : 1;
    int c = strcmp(a->stamp, b->stamp);
    return c ? c : strcmp(a->text, b->text);
}

int log_store_add(struct log_store *s, const struct log_list *l)
{
    if (!l->n) return 0;
    if (GROW_INT(s->v, s->cap, s->n + l->n) < 0) return -1;
    int before = s->n;
    for (int i = 0; i < l->n; i++) {
        const struct log_entry *le = &l->items[i];
        struct log_line *e = &s->v[s->n];
        e->t_ms = le->ts_ms;
        e->level = (int)le->level;
        e->stamp = strdup(le->timestamp ? le->timestamp : "");
        e->text = line_text(le, s->ascii);
        if (!e->stamp || !e->text) {
            line_free(e);
            return -1;
        }
        s->bytes += strlen(e->stamp) + strlen(e->text);
        s->n++;
    }
    qsort(s->v, (size_t)s->n, sizeof(*s->v), line_cmp);
    int w = 0;
    for (int r = 0; r < s->n; r++) {
        if (w > 0 && !line_cmp(&s->v[w - 1], &s->v[r])) {
            s->bytes -= strlen(s->v[r].stamp) + strlen(s->v[r].text);
            line_free(&s->v[r]);
            continue;
        }
        s->v[w++] = s->v[r];
    }
    s->n = w;
    int drop = s->n > LOGS_MAX_LINES ? s->n - LOGS_MAX_LINES : 0;
    size_t left = s->bytes;
    for (int i = 0; i < drop; i++)
        left -= strlen(s->v[i].stamp) + strlen(s->v[i].text);
    while (left > LOGS_STORE_BYTES && drop < s->n - 1) {
        left -= strlen(s->v[drop].stamp) + strlen(s->v[drop].text);
        drop++;
    }
    if (drop) {
        s->bytes = left;
        for (int i = 0; i < drop; i++)
            line_free(&s->v[i]);
        memmove(s->v, s->v + drop, (size_t)(s->n - drop) * sizeof(*s->v));
        s->n -= drop;
        s->trimmed = 1;
    }
    return s->n > before ? s->n - before : 0;
}

const char *log_find_ci(const char *hay, const char *needle)
{
    if (!hay || !needle || !*needle) return NULL;
    size_t nl = strlen(needle);
    for (const char *p = hay; *p; p++) {
        size_t i = 0;
        while (i < nl && p[i] && tolower((unsigned char)p[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == nl) return p;
    }
    return NULL;
}

int log_line_visible(const struct log_line *e, int min_level, const char *search, int only_matches)
{
    if (e->level < min_level) return 0;
    if (only_matches && search && *search && !log_find_ci(e->text, search)) return 0;
    return 1;
}

void log_fmt_time(char *out, size_t n, int64_t t_ms, int utc)
{
    time_t t = (time_t)(t_ms / 1000);
    struct tm tm;
    if (utc)
        gmtime_r(&t, &tm);
    else
        localtime_r(&t, &tm);
    char hms[16];
    strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
    snprintf(out, n, "%s.%03d%s", hms, (int)(t_ms % 1000 + 1000) % 1000, utc ? "Z" : "");
}

const char *log_level_label(int level)
{
    switch (level) {
    case LOG_ENTRY_DEBUG:
        return "DEBUG";
    case LOG_ENTRY_INFO:
        return "INFO ";
    case LOG_ENTRY_WARN:
        return "WARN ";
    default:
        return "ERROR";
    }
}

int log_store_format(const struct log_store *s, int min_level, const char *search, int only_matches,
                     int utc, struct buf *out)
{
    int rc = 0;
    for (int i = 0; i < s->n && rc >= 0; i++) {
        const struct log_line *e = &s->v[i];
        if (!log_line_visible(e, min_level, search, only_matches)) continue;
        char ts[32];
        log_fmt_time(ts, sizeof(ts), e->t_ms, utc);
        rc = buf_printf(out, "%s %s %s\n", ts, log_level_label(e->level), e->text);
    }
    return rc < 0 ? -1 : 0;
}
