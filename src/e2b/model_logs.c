/* model_logs.c - sandbox log entries (v2 {"logs":[entry]}, v1 {"logs","logEntries"}). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "boxtop/json.h"
#include "boxtop/models.h"
#include "model_util.h"

static const char *const level_names[] = {"debug", "info", "warn", "error"};

const char *log_entry_level_name(enum log_entry_level l)
{
    return (unsigned)l < 4 ? level_names[l] : "info";
}

int log_entry_level_parse(const char *name, enum log_entry_level *out)
{
    for (int i = 0; i < 4; i++)
        if (!strcasecmp(name, level_names[i])) {
            *out = (enum log_entry_level)i;
            return 0;
        }
    if (!strcasecmp(name, "warning")) {
        *out = LOG_ENTRY_WARN;
        return 0;
    }
    return -1;
}

static int parse_entry(const cJSON *o, const char *path, struct log_entry *e, struct error *err)
{
    const char *lvl;
    const cJSON *fields;
    if (json_expect_object(o, path, err) < 0 ||
        model_req_str(o, path, "timestamp", &e->timestamp, err) < 0 ||
        model_req_str(o, path, "message", &e->message, err) < 0 ||
        json_get_string(o, path, "level", &lvl, err) < 0 ||
        json_get_object(o, path, "fields", &fields, err) < 0)
        return -1;
    if (json_parse_time(e->timestamp, &e->ts_ms) < 0)
        return error_set(err, ERROR_PROTOCOL, "%s.timestamp: not an RFC 3339 time", path);
    if (log_entry_level_parse(lvl, &e->level) < 0)
        return error_set(err, ERROR_PROTOCOL, "%s.level: unknown level", path);
    char sub[96];
    /* The API formats numbers and bools as strings; older servers may not: be lenient. */
    return model_kv_object_max(fields, json_path_key(sub, sizeof sub, path, "fields"), &e->fields,
                               1, LOG_FIELDS_KEPT, &e->fields_dropped, err);
}

static int parse_array(const cJSON *arr, const char *path, struct log_list *out, struct error *err)
{
    int i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        char p[64];
        struct log_entry *e = model_grow((void **)&out->items, &out->n, sizeof *e);
        if (!e) return error_set(err, ERROR_GENERIC, "out of memory");
        if (parse_entry(it, json_path_index(p, sizeof p, path, i++), e, err) < 0) return -1;
    }
    return 0;
}

int logs_v2_parse(const char *text, size_t len, struct log_list *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    cJSON *doc = model_parse_doc(text, len, 0, "logs", err);
    if (!doc) return -1;
    const cJSON *arr;
    int rc = json_get_array(doc, "response", "logs", &arr, err);
    if (rc == 0) rc = parse_array(arr, "logs", out, err);
    cJSON_Delete(doc);
    if (rc < 0) log_list_free(out);
    return rc;
}

int logs_v1_parse(const char *text, size_t len, struct log_list *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    cJSON *doc = model_parse_doc(text, len, 0, "logs", err);
    if (!doc) return -1;
    const cJSON *arr, *raw;
    int rc = json_get_array(doc, "response", "logs", &raw, err); /* required, checked, not used */
    if (rc == 0) rc = json_get_array(doc, "response", "logEntries", &arr, err);
    if (rc == 0) rc = parse_array(arr, "logEntries", out, err);
    cJSON_Delete(doc);
    if (rc < 0) log_list_free(out);
    return rc;
}

void log_list_free(struct log_list *l)
{
    for (int i = 0; i < l->n; i++) {
        free(l->items[i].timestamp);
        free(l->items[i].message);
        kv_list_free(&l->items[i].fields);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}
