/* commands_parse.c - logs pages (v1 raw lines or v2 string fields) into process events.
 *
 * Both pages come from outside: every value is checked for its type, numbers are read from
 * JSON numbers or from strings (v2 formats them with Go's %G: "2E+06"), and an entry that is
 * not a process event of a known kind is skipped. Only a page that is not a logs document at
 * all is an error. */
#include "config.h"

#include <cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boxtop/commands.h"
#include "boxtop/json.h"

void cmd_evs_free(struct cmd_evs *e)
{
    for (size_t i = 0; i < e->n; i++)
        free(e->v[i].text);
    free(e->v);
    memset(e, 0, sizeof *e);
}

static struct cmd_ev *evs_push(struct cmd_evs *e)
{
    if (e->n == e->cap) {
        size_t nc = e->cap ? e->cap * 2 : 64;
        struct cmd_ev *nv = realloc(e->v, nc * sizeof *nv);
        if (!nv) return NULL;
        e->v = nv;
        e->cap = nc;
    }
    struct cmd_ev *ev = &e->v[e->n];
    memset(ev, 0, sizeof *ev);
    return ev;
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int cmd_parse_time_ns(const char *s, int64_t *ns)
{
    int Y, M, D, h, m, sec;
    if (!s || strlen(s) < 20 || digits(s, 4, &Y) < 0 || s[4] != '-' || digits(s + 5, 2, &M) < 0 ||
        s[7] != '-' || digits(s + 8, 2, &D) < 0 || (s[10] != 'T' && s[10] != 't') ||
        digits(s + 11, 2, &h) < 0 || s[13] != ':' || digits(s + 14, 2, &m) < 0 || s[16] != ':' ||
        digits(s + 17, 2, &sec) < 0)
        return -1;
    if (Y < 1970 || Y > 9999 || M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || sec > 60)
        return -1;
    const char *p = s + 19;
    int64_t frac = 0;
    if (*p == '.') {
        int nd = 0;
        for (p++; *p >= '0' && *p <= '9'; p++, nd++)
            if (nd < 9) frac = frac * 10 + (*p - '0');
        if (nd == 0) return -1;
        for (; nd < 9; nd++)
            frac *= 10;
    }
    int off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (digits(p + 1, 2, &oh) < 0 || p[3] != ':' || digits(p + 4, 2, &om) < 0 || oh > 23 ||
            om > 59)
            return -1;
        off = (oh * 60 + om) * 60 * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return -1;
    }
    if (*p) return -1;
    struct tm tm = {.tm_year = Y - 1900,
                    .tm_mon = M - 1,
                    .tm_mday = D,
                    .tm_hour = h,
                    .tm_min = m,
                    .tm_sec = sec};
    time_t t = timegm(&tm);
    if (t == (time_t)-1) return -1;
    /* past year 2262 nanoseconds do not fit in 64 bits: a hostile year is refused */
    if ((int64_t)t - off > INT64_MAX / 1000000000LL - 1 ||
        (int64_t)t - off < INT64_MIN / 1000000000LL + 1)
        return -1;
    *ns = ((int64_t)t - off) * 1000000000LL + frac;
    return 0;
}

/* A number sent as a number or as a string ("412", "2E+06"). */
static bool num_of(const cJSON *o, const char *k, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    if (cJSON_IsNumber(v)) {
        *out = v->valuedouble;
    } else if (cJSON_IsString(v) && v->valuestring[0]) {
        char *end;
        *out = strtod(v->valuestring, &end);
        if (*end) return false;
    } else {
        return false;
    }
    return isfinite(*out);
}

static bool u64_of(const cJSON *o, const char *k, uint64_t *out)
{
    double d;
    if (!num_of(o, k, &d) || d < 0 || d > 1.8e19) return false;
    *out = (uint64_t)d;
    return true;
}

/* One entry: keys holds logger, event_type, pid, ... (v1: the raw line; v2: fields). */
static int entry_event(int64_t ts_ns, const char *level, const char *message, const cJSON *keys,
                       bool keep_text, struct cmd_evs *out)
{
    const char *logger = json_str(keys, "logger");
    const char *et = json_str(keys, "event_type");
    double pid;
    if (!logger || strcmp(logger, "process") != 0 || !et) return 0;
    enum cmd_ev_type type;
    if (!strcmp(et, "process_start"))
        type = CMD_EV_START;
    else if (!strcmp(et, "process_end"))
        type = CMD_EV_END;
    else if (!strcmp(et, "process_output"))
        type = level && !strcmp(level, "warn") ? CMD_EV_MARKER : CMD_EV_OUTPUT;
    else
        return 0;
    if (!num_of(keys, "pid", &pid) || pid < 0 || pid > 4294967295.0) return 0;
    struct cmd_ev *ev = evs_push(out);
    if (!ev) return -1;
    ev->ts_ns = ts_ns;
    ev->type = type;
    ev->pid = (uint32_t)pid;
    ev->op = -1;
    const char *op = json_str(keys, "operation_id");
    double opn;
    if (op) {
        char *end;
        long long v = strtoll(op, &end, 10);
        if (!*end && *op && v >= 0) ev->op = v;
    } else if (num_of(keys, "operation_id", &opn) && opn >= 0 && opn < 9e15) {
        ev->op = (int64_t)opn;
    }
    const char *stream = json_str(keys, "stream");
    ev->is_stderr = stream && !strcmp(stream, "stderr");
    const char *text = NULL;
    if (type == CMD_EV_START) {
        text = json_str(keys, "command");
        if (!text) text = "";
        if (!num_of(keys, "request_timeout_ms", &ev->timeout_ms)) ev->timeout_ms = 0;
    } else if (type == CMD_EV_OUTPUT) {
        text = keep_text ? (message ? message : "") : NULL;
        ev->out_len = (message ? strlen(message) : 0) + 1;
    } else if (type == CMD_EV_END) {
        ev->has_bytes = u64_of(keys, "stdout_bytes", &ev->stdout_bytes);
        ev->has_bytes &= u64_of(keys, "stderr_bytes", &ev->stderr_bytes);
        if (!u64_of(keys, "pty_bytes", &ev->pty_bytes)) ev->pty_bytes = 0;
        const cJSON *r = cJSON_GetObjectItemCaseSensitive(keys, "process_result");
        if (cJSON_IsObject(r)) { /* v1 only: exit_code omitted when 0, -1 for a signal */
            double code = 0;
            const cJSON *ex = cJSON_GetObjectItemCaseSensitive(r, "exited");
            ev->has_result = true;
            ev->exited = cJSON_IsTrue(ex);
            if (num_of(r, "exit_code", &code) && code >= -2147483648.0 && code <= 2147483647.0)
                ev->exit_code = (int)code;
            text = json_str(r, "status");
        }
    }
    if (text && !(ev->text = strdup(text))) return -1;
    out->n++;
    return 0;
}

static void page_time(struct cmd_page *page, int64_t ns)
{
    int64_t ms = ns / 1000000;
    if (!page->first_ms || ms < page->first_ms) page->first_ms = ms;
    if (ms > page->last_ms) page->last_ms = ms;
}

static cJSON *parse_doc(const char *body, size_t len, const cJSON **logs, struct error *err)
{
    cJSON *doc = cJSON_ParseWithLength(body, len);
    *logs = cJSON_GetObjectItemCaseSensitive(doc, "logs");
    if (!cJSON_IsObject(doc) || !cJSON_IsArray(*logs)) {
        cJSON_Delete(doc);
        error_set(err, ERROR_PROTOCOL, "logs: not a logs response");
        return NULL;
    }
    return doc;
}

/* One log entry's event: v1 carries its keys as a JSON text in "line" (level and message
 * inside), v2 as the object "fields" beside "level" and "message". Entries without keys are
 * passed over. */
static int item_event(const cJSON *it, bool v2, int64_t ns, bool keep_text, struct cmd_evs *out)
{
    if (v2) {
        const cJSON *fields = cJSON_GetObjectItemCaseSensitive(it, "fields");
        if (!cJSON_IsObject(fields)) return 0;
        return entry_event(ns, json_str(it, "level"), json_str(it, "message"), fields, keep_text,
                           out);
    }
    const char *line = json_str(it, "line");
    cJSON *raw = line ? cJSON_Parse(line) : NULL;
    int rc = 0;
    if (cJSON_IsObject(raw))
        rc = entry_event(ns, json_str(raw, "level"), json_str(raw, "message"), raw, keep_text, out);
    cJSON_Delete(raw);
    return rc;
}

static int parse_page(const char *body, size_t len, bool v2, bool keep_text, struct cmd_evs *out,
                      struct cmd_page *page, struct error *err)
{
    const cJSON *logs, *it;
    memset(page, 0, sizeof *page);
    cJSON *doc = parse_doc(body, len, &logs, err);
    if (!doc) return -1;
    int rc = 0;
    cJSON_ArrayForEach(it, logs)
    {
        const char *ts = json_str(it, "timestamp");
        int64_t ns;
        if (!ts || cmd_parse_time_ns(ts, &ns) < 0) continue;
        page->entries++;
        page_time(page, ns);
        rc = item_event(it, v2, ns, keep_text, out);
        if (rc < 0) break;
    }
    cJSON_Delete(doc);
    if (rc < 0) error_set(err, ERROR_GENERIC, "out of memory");
    return rc;
}

int cmd_parse_v1(const char *body, size_t len, bool keep_text, struct cmd_evs *out,
                 struct cmd_page *page, struct error *err)
{
    return parse_page(body, len, false, keep_text, out, page, err);
}

int cmd_parse_v2(const char *body, size_t len, bool keep_text, struct cmd_evs *out,
                 struct cmd_page *page, struct error *err)
{
    return parse_page(body, len, true, keep_text, out, page, err);
}
