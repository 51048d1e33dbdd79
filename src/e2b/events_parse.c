/* events_parse.c - lifecycle events JSON (GET /events/sandboxes) → struct sbx_event_list (see
 * boxtop/events_parse.h). Part of the E2B client: the events view only reads the list. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "boxtop/buf.h"
#include "boxtop/events_parse.h"
#include "boxtop/json.h"

int64_t events_parse_time(const char *s)
{
    int64_t ms;
    return s && json_parse_time(s, &ms) == 0 ? ms : -1; /* the one RFC 3339 parser (core) */
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* eventData in a few words: the kill reason, the new end time, the execution time. */
static char *summary(const cJSON *data)
{
    if (!cJSON_IsObject(data)) return NULL;
    struct buf b = BUF_INIT;
    const char *kr = json_str(data, "kill_reason");
    if (kr) buf_printf(&b, "kill_reason=%.64s ", kr);
    const char *st = json_str(data, "set_timeout");
    if (st) buf_printf(&b, "set_timeout=%.64s ", st);
    const cJSON *ex = cJSON_GetObjectItemCaseSensitive(data, "execution");
    const cJSON *et =
        cJSON_IsObject(ex) ? cJSON_GetObjectItemCaseSensitive(ex, "execution_time") : NULL;
    if (cJSON_IsNumber(et) && et->valuedouble >= 0 && et->valuedouble < 1e12)
        buf_printf(&b, "execution_time=%.1fs ", et->valuedouble / 1000.0);
    if (!b.len) return NULL;
    b.data[--b.len] = '\0';
    return buf_steal(&b);
}

static void ev_free(struct sbx_event *e)
{
    free(e->id);
    free(e->type);
    free(e->sandbox);
    free(e->tmpl);
    free(e->detail);
}

void events_list_free(struct sbx_event_list *l)
{
    for (int i = 0; i < l->n; i++)
        ev_free(&l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static int newest_first(const void *pa, const void *pb)
{
    const struct sbx_event *a = pa, *b = pb;
    if (a->t_ms != b->t_ms) return a->t_ms > b->t_ms ? -1 : 1;
    return strcmp(a->id ? a->id : "", b->id ? b->id : "");
}

int events_parse(const char *text, size_t len, struct sbx_event_list *out, struct error *err)
{
    memset(out, 0, sizeof(*out));
    cJSON *root = json_parse(text, len, err); /* bounded: JSON_MAX_VALUES */
    if (!root) return -1;
    if (!cJSON_IsArray(root)) {
        cJSON_Delete(root);
        error_set(err, ERROR_PROTOCOL, "events: expected a JSON array");
        return -1;
    }
    int n = cJSON_GetArraySize(root);
    if (n > EVENTS_MAX_ITEMS) n = EVENTS_MAX_ITEMS; /* the id check below is quadratic */
    out->v = calloc((size_t)(n ? n : 1), sizeof(*out->v));
    if (!out->v) {
        cJSON_Delete(root);
        error_set(err, ERROR_GENERIC, "out of memory");
        return -1;
    }
    const cJSON *it;
    cJSON_ArrayForEach(it, root)
    {
        const char *type = json_str(it, "type"), *sbx = json_str(it, "sandboxId");
        if (!type || !sbx) { /* one rule with the sandboxes list: skip, count, say so */
            out->skipped++;
            continue;
        }
        if (out->n == n) {
            out->cut++;
            continue;
        }
        const char *id = json_str(it, "id");
        int dup = 0;
        for (int i = 0; id && i < out->n && !dup; i++)
            dup = out->v[i].id && !strcmp(out->v[i].id, id);
        if (dup) continue;
        const char *shortt = strncmp(type, "sandbox.lifecycle.", 18) ? type : type + 18;
        struct sbx_event *e = &out->v[out->n];
        e->id = dup_or_null(id);
        e->type = strdup(shortt);
        e->sandbox = strdup(sbx);
        e->tmpl = dup_or_null(json_str(it, "sandboxTemplateId"));
        e->detail = summary(cJSON_GetObjectItemCaseSensitive(it, "eventData"));
        int64_t t = events_parse_time(json_str(it, "timestamp"));
        e->t_ms = t < 0 ? 0 : t;
        if (!e->type || !e->sandbox) {
            ev_free(e);
            continue;
        }
        out->n++;
    }
    cJSON_Delete(root);
    qsort(out->v, (size_t)out->n, sizeof(*out->v), newest_first);
    return 0;
}
