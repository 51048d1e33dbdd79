/* sblog.c - bounded per-sandbox log ring. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "sblog.h"

struct sblog *sblog_new(void)
{
    struct sblog *l = calloc(1, sizeof *l);
    if (!l) return NULL;
    l->e = calloc(SBLOG_CAP, sizeof *l->e);
    if (!l->e) {
        free(l);
        return NULL;
    }
    return l;
}

void sblog_free(struct sblog *l)
{
    if (!l) return;
    for (size_t i = 0; i < SBLOG_CAP; i++) {
        free(l->e[i].message);
        cJSON_Delete(l->e[i].fields);
    }
    free(l->e);
    free(l);
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
        if (!it->string) continue;
        if (cJSON_IsString(it)) {
            cJSON_AddStringToObject(o, it->string, it->valuestring);
        } else if (cJSON_IsNumber(it)) {
            if (isfinite(it->valuedouble) && it->valuedouble == floor(it->valuedouble) &&
                fabs(it->valuedouble) < 9e15)
                snprintf(num, sizeof num, "%lld", (long long)it->valuedouble);
            else
                snprintf(num, sizeof num, "%G", it->valuedouble);
            cJSON_AddStringToObject(o, it->string, num);
        } else if (cJSON_IsBool(it)) {
            cJSON_AddStringToObject(o, it->string, cJSON_IsTrue(it) ? "true" : "false");
        }
    }
    return o;
}

void sblog_add(struct sblog *l, int64_t now_ms, enum log_level level, const char *msg,
               const cJSON *fields)
{
    struct sblog_entry *e;
    int64_t ns = now_ms * 1000000;

    if (!l) return;
    if (ns <= l->last_ns)
        ns = l->last_ns + 1; /* keep (timestamp) unique so paging can de-duplicate */
    l->last_ns = ns;
    e = &l->e[l->head];
    free(e->message);
    cJSON_Delete(e->fields);
    e->ts_ns = ns;
    e->level = level;
    e->message = strdup(msg ? msg : "");
    e->fields = copy_fields(fields);
    l->head = (l->head + 1) % SBLOG_CAP;
    if (l->n < SBLOG_CAP) l->n++;
}

size_t sblog_count(const struct sblog *l)
{
    return l ? l->n : 0;
}

const struct sblog_entry *sblog_at(const struct sblog *l, size_t i)
{
    if (!l || i >= l->n) return NULL;
    size_t first = (l->head + SBLOG_CAP - l->n) % SBLOG_CAP;
    return &l->e[(first + i) % SBLOG_CAP];
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

char *sblog_entry_line(const struct sblog_entry *e)
{
    cJSON *o = cJSON_CreateObject();
    char *s;
    if (!o) return NULL;
    cJSON_AddNumberToObject(o, "ts", (double)e->ts_ns); /* exact to the µs: fine for logs */
    cJSON_AddStringToObject(o, "level", sblog_level_name(e->level));
    cJSON_AddStringToObject(o, "message", e->message ? e->message : "");
    if (e->fields) cJSON_AddItemToObject(o, "fields", cJSON_Duplicate(e->fields, 1));
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
    enum log_level level = LOG_INFO;
    int rc = -1;

    if (!l || !cJSON_IsNumber(ts) || !cJSON_IsString(lv) || !cJSON_IsString(msg) ||
        !isfinite(ts->valuedouble) || ts->valuedouble < 0 || ts->valuedouble > 9.2e18)
        goto out;
    if (!strcmp(lv->valuestring, "debug"))
        level = LOG_DEBUG;
    else if (!strcmp(lv->valuestring, "warn"))
        level = LOG_WARN;
    else if (!strcmp(lv->valuestring, "error"))
        level = LOG_ERROR;
    /* back to ms: sblog_add keeps the timestamps unique and increasing again */
    sblog_add(l, (int64_t)ts->valuedouble / 1000000, level, msg->valuestring,
              cJSON_GetObjectItemCaseSensitive(o, "fields"));
    rc = 0;
out:
    cJSON_Delete(o);
    return rc;
}
