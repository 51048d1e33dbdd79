/* sblog.c - bounded per-sandbox log ring.
 *
 * Two kinds of entries: boxtopd's own lines (message + flat fields) and envd's lines (raw: the
 * stored JSON as envd wrote it). E2B keeps envd's line whole and serves it twice: raw in the
 * v1 `line`, flattened to strings in v2 `fields` (Loki's FlatJsonLogLineParser), where the
 * nested process_result disappears and numbers take Go's %G form. Both are derived from raw
 * when served, so a stored output line costs one string, not a cJSON tree. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "sblog.h"

#define SBLOG_FIRST_CAP 256

struct sblog *sblog_new(void)
{
    struct sblog *l = calloc(1, sizeof *l);
    if (!l) return NULL;
    l->e = calloc(SBLOG_FIRST_CAP, sizeof *l->e);
    if (!l->e) {
        free(l);
        return NULL;
    }
    l->cap = SBLOG_FIRST_CAP;
    return l;
}

static void entry_clear(struct sblog_entry *e)
{
    free(e->message);
    cJSON_Delete(e->fields);
    free(e->raw);
    memset(e, 0, sizeof *e);
}

void sblog_free(struct sblog *l)
{
    if (!l) return;
    for (size_t i = 0; i < l->cap; i++)
        entry_clear(&l->e[i]);
    free(l->e);
    free(l);
}

void sblog_format_number(double v, char *out, size_t n)
{
    char tmp[64], digits[32];
    int nd = 0, exp = 0;

    if (isnan(v)) {
        snprintf(out, n, "NaN");
        return;
    }
    if (isinf(v)) {
        snprintf(out, n, "%sInf", v < 0 ? "-" : "+");
        return;
    }
    if (v == 0) {
        snprintf(out, n, "%s0", signbit(v) ? "-" : "");
        return;
    }
    /* the shortest digit string that reads back as v, as Go's shortest mode finds */
    for (int p = 1; p <= 17; p++) {
        snprintf(tmp, sizeof tmp, "%.*e", p - 1, v);
        if (strtod(tmp, NULL) == v || p == 17) break;
    }
    const char *q = tmp + (tmp[0] == '-');
    for (; *q && *q != 'e' && nd < (int)sizeof digits - 1; q++)
        if (*q >= '0' && *q <= '9') digits[nd++] = *q;
    digits[nd] = '\0';
    if (*q == 'e') exp = atoi(q + 1);
    while (nd > 1 && digits[nd - 1] == '0')
        digits[--nd] = '\0';
    if (exp < -4 || exp >= 6) { /* shortest 'G' decides with precision 6 */
        snprintf(out, n, "%s%c%s%sE%c%02d", v < 0 ? "-" : "", digits[0], nd > 1 ? "." : "",
                 digits + 1, exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
        return;
    }
    int decimals = nd - (exp + 1);
    snprintf(out, n, "%.*f", decimals > 0 ? decimals : 0, v);
}

static cJSON *copy_fields(const cJSON *f)
{
    const cJSON *it;
    cJSON *o;
    char num[64];

    if (!cJSON_IsObject(f)) return NULL;
    o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_ArrayForEach(it, f)
    {
        if (!it->string || cJSON_GetObjectItemCaseSensitive(o, it->string)) continue;
        if (!strcmp(it->string, "level") || !strcmp(it->string, "message")) continue;
        if (cJSON_IsString(it)) {
            cJSON_AddStringToObject(o, it->string, it->valuestring);
        } else if (cJSON_IsNumber(it)) {
            sblog_format_number(it->valuedouble, num, sizeof num);
            cJSON_AddStringToObject(o, it->string, num);
        } else if (cJSON_IsBool(it)) {
            cJSON_AddStringToObject(o, it->string, cJSON_IsTrue(it) ? "true" : "false");
        }
    }
    return o;
}

/* The next slot, growing the ring while it is below SBLOG_CAP. */
static struct sblog_entry *slot(struct sblog *l)
{
    if (l->n == l->cap && l->cap < SBLOG_CAP) {
        size_t ncap = l->cap * 2 > SBLOG_CAP ? SBLOG_CAP : l->cap * 2;
        struct sblog_entry *ne = calloc(ncap, sizeof *ne);
        if (ne) { /* unrolled oldest first, so head = n */
            size_t first = (l->head + l->cap - l->n) % l->cap;
            for (size_t i = 0; i < l->n; i++)
                ne[i] = l->e[(first + i) % l->cap];
            free(l->e);
            l->e = ne;
            l->head = l->n;
            l->cap = ncap;
        }
    }
    struct sblog_entry *e = &l->e[l->head];
    entry_clear(e);
    l->head = (l->head + 1) % l->cap;
    if (l->n < l->cap) l->n++;
    return e;
}

static int64_t next_ns(struct sblog *l, int64_t ns)
{
    if (ns < l->last_ns + SBLOG_GAP_NS) ns = l->last_ns + SBLOG_GAP_NS;
    l->last_ns = ns;
    return ns;
}

static void add_ns(struct sblog *l, int64_t ts_ns, enum log_level level, const char *msg,
                   const cJSON *fields)
{
    int64_t ns = next_ns(l, ts_ns);
    struct sblog_entry *e = slot(l);
    e->ts_ns = ns;
    e->level = level;
    e->message = strdup(msg ? msg : "");
    e->fields = copy_fields(fields);
}

void sblog_add(struct sblog *l, int64_t now_ms, enum log_level level, const char *msg,
               const cJSON *fields)
{
    if (l) add_ns(l, now_ms * 1000000, level, msg, fields);
}

void sblog_add_raw(struct sblog *l, int64_t ts_ns, enum log_level level, const char *msg,
                   const cJSON *raw)
{
    if (!l) return;
    int64_t ns = next_ns(l, ts_ns);
    struct sblog_entry *e = slot(l);
    e->ts_ns = ns;
    e->level = level;
    e->message = strdup(msg ? msg : "");
    e->raw = cJSON_IsObject(raw) ? cJSON_PrintUnformatted(raw) : NULL;
    const cJSON *et = cJSON_GetObjectItemCaseSensitive(raw, "event_type");
    const cJSON *pid = cJSON_GetObjectItemCaseSensitive(raw, "pid");
    if (cJSON_IsString(et) && !strcmp(et->valuestring, "process_output") && cJSON_IsNumber(pid) &&
        pid->valuedouble >= 1 && pid->valuedouble <= 4294967295.0)
        e->out_pid = (uint32_t)pid->valuedouble;
}

size_t sblog_count(const struct sblog *l)
{
    return l ? l->n : 0;
}

const struct sblog_entry *sblog_at(const struct sblog *l, size_t i)
{
    if (!l || i >= l->n) return NULL;
    size_t first = (l->head + l->cap - l->n) % l->cap;
    return &l->e[(first + i) % l->cap];
}

const char *sblog_level_name(enum log_level lv)
{
    switch (lv) {
    case LOG_DEBUG:
        return "debug";
    case LOG_INFO:
        return "info";
    case LOG_WARN:
        return "warn";
    case LOG_ERROR:
        return "error";
    }
    return "info";
}

cJSON *sblog_entry_fields(const struct sblog_entry *e)
{
    if (!e->raw) return e->fields ? cJSON_Duplicate(e->fields, 1) : cJSON_CreateObject();
    cJSON *raw = cJSON_Parse(e->raw);
    cJSON *f = copy_fields(raw);
    cJSON_Delete(raw);
    return f ? f : cJSON_CreateObject();
}

char *sblog_entry_raw_line(const struct sblog_entry *e, const char *sandbox_id)
{
    cJSON *o = cJSON_CreateObject();
    const cJSON *it;
    char *s;
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "level", sblog_level_name(e->level));
    cJSON_AddStringToObject(o, "message", e->message ? e->message : "");
    cJSON *raw = e->raw ? cJSON_Parse(e->raw) : NULL;
    const cJSON *src = raw ? raw : e->fields;
    if (src) {
        cJSON_ArrayForEach(it, src)
        {
            if (it->string && !cJSON_GetObjectItemCaseSensitive(o, it->string))
                cJSON_AddItemToObject(o, it->string, cJSON_Duplicate(it, 1));
        }
    }
    cJSON_Delete(raw);
    if (!cJSON_GetObjectItemCaseSensitive(o, "sandboxID"))
        cJSON_AddStringToObject(o, "sandboxID", sandbox_id ? sandbox_id : "");
    if (!cJSON_GetObjectItemCaseSensitive(o, "logger"))
        cJSON_AddStringToObject(o, "logger", "boxtopd");
    s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

char *sblog_entry_line(const struct sblog_entry *e)
{
    cJSON *o = cJSON_CreateObject();
    char *s;
    if (!o) return NULL;
    /* a string: a double is exact only to 256 ns at today's epoch, and a line read back with
     * another timestamp than the one served before boxtopd restarted would be a new line to a
     * client following with a cursor (a duplicate at the seam, or the cursor stepping back) */
    char ts[32];
    snprintf(ts, sizeof ts, "%lld", (long long)e->ts_ns);
    cJSON_AddStringToObject(o, "ts", ts);
    cJSON_AddStringToObject(o, "level", sblog_level_name(e->level));
    cJSON_AddStringToObject(o, "message", e->message ? e->message : "");
    if (e->fields) cJSON_AddItemToObject(o, "fields", cJSON_Duplicate(e->fields, 1));
    if (e->raw) cJSON_AddItemToObject(o, "raw", cJSON_Parse(e->raw));
    s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

int sblog_add_line(struct sblog *l, const char *line, size_t len)
{
    cJSON *o = cJSON_ParseWithLength(line, len);
    const cJSON *ts = cJSON_GetObjectItemCaseSensitive(o, "ts");
    const cJSON *lv = cJSON_GetObjectItemCaseSensitive(o, "level");
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(o, "message");
    const cJSON *raw = cJSON_GetObjectItemCaseSensitive(o, "raw");
    enum log_level level = LOG_INFO;
    int rc = -1;

    int64_t ts_ns = -1;
    if (cJSON_IsString(ts)) { /* exact */
        char *end;
        errno = 0;
        long long v = strtoll(ts->valuestring, &end, 10);
        if (!errno && end != ts->valuestring && !*end && v >= 0) ts_ns = v;
    } else if (cJSON_IsNumber(ts) && isfinite(ts->valuedouble) && ts->valuedouble >= 0 &&
               ts->valuedouble <= 9.2e18) { /* files written before it was a string */
        ts_ns = (int64_t)ts->valuedouble;
    }
    if (!l || ts_ns < 0 || !cJSON_IsString(lv) || !cJSON_IsString(msg)) goto out;
    if (!strcmp(lv->valuestring, "debug"))
        level = LOG_DEBUG;
    else if (!strcmp(lv->valuestring, "warn"))
        level = LOG_WARN;
    else if (!strcmp(lv->valuestring, "error"))
        level = LOG_ERROR;
    if (cJSON_IsObject(raw))
        sblog_add_raw(l, ts_ns, level, msg->valuestring, raw);
    else /* as served before: next_ns keeps them unique and increasing */
        add_ns(l, ts_ns, level, msg->valuestring, cJSON_GetObjectItemCaseSensitive(o, "fields"));
    rc = 0;
out:
    cJSON_Delete(o);
    return rc;
}
