/* model_json.c - models back to JSON for `--json` output and recordings.
 *
 * Field names follow the E2B API so that scripts written against `e2b sandbox list --format
 * json` keep working. Access tokens are deliberately never emitted. */
#include "config.h"

#include "boxtop/json.h"
#include "boxtop/models.h"

static void add_time(cJSON *o, const char *key, int64_t ms)
{
    if (ms) json_add_time(o, key, ms); /* 0: unknown, left out */
}

static void add_opt_str(cJSON *o, const char *key, const char *v)
{
    if (v) cJSON_AddStringToObject(o, key, v);
}

static cJSON *kv_object(const struct kv_list *l)
{
    cJSON *o = cJSON_CreateObject();
    for (int i = 0; o && i < l->n; i++)
        cJSON_AddStringToObject(o, l->items[i].key, l->items[i].value);
    return o;
}

cJSON *sandbox_to_json(const struct sandbox *s)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    add_opt_str(o, "sandboxID", s->id);
    add_opt_str(o, "templateID", s->template_id);
    add_opt_str(o, "alias", s->alias);
    if (s->state_name || s->state != SANDBOX_STATE_OTHER)
        cJSON_AddStringToObject(o, "state", sandbox_state_name(s));
    add_time(o, "startedAt", s->started_at_ms);
    add_time(o, "endAt", s->end_at_ms);
    if (s->started_at_ms) {
        cJSON_AddNumberToObject(o, "cpuCount", s->cpu_count);
        cJSON_AddNumberToObject(o, "memoryMB", s->memory_mb);
        cJSON_AddNumberToObject(o, "diskSizeMB", s->disk_size_mb);
    }
    add_opt_str(o, "envdVersion", s->envd_version);
    add_opt_str(o, "domain", s->domain);
    if (s->allow_internet >= 0) cJSON_AddBoolToObject(o, "allowInternetAccess", s->allow_internet);
    if (s->on_timeout) {
        cJSON *lc = cJSON_AddObjectToObject(o, "lifecycle");
        if (lc) cJSON_AddStringToObject(lc, "onTimeout", s->on_timeout);
    }
    cJSON_AddItemToObject(o, "metadata", kv_object(&s->metadata));
    return o;
}

cJSON *metric_sample_to_json(const struct metric_sample *m)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    add_time(o, "timestamp", m->ts * 1000);
    cJSON_AddNumberToObject(o, "timestampUnix", (double)m->ts);
    cJSON_AddNumberToObject(o, "cpuCount", m->cpu_count);
    cJSON_AddNumberToObject(o, "cpuUsedPct", m->cpu_pct);
    cJSON_AddNumberToObject(o, "memUsed", (double)m->mem_used);
    cJSON_AddNumberToObject(o, "memTotal", (double)m->mem_total);
    cJSON_AddNumberToObject(o, "memCache", (double)m->mem_cache);
    cJSON_AddNumberToObject(o, "diskUsed", (double)m->disk_used);
    cJSON_AddNumberToObject(o, "diskTotal", (double)m->disk_total);
    return o;
}

cJSON *log_entry_to_json(const struct log_entry *e)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    add_opt_str(o, "timestamp", e->timestamp);
    cJSON_AddStringToObject(o, "level", log_entry_level_name(e->level));
    add_opt_str(o, "message", e->message);
    cJSON_AddItemToObject(o, "fields", kv_object(&e->fields));
    return o;
}

cJSON *template_to_json(const struct template_info *t)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    add_opt_str(o, "templateID", t->id);
    add_opt_str(o, "buildID", t->build_id);
    cJSON_AddNumberToObject(o, "cpuCount", t->cpu_count);
    cJSON_AddNumberToObject(o, "memoryMB", t->memory_mb);
    cJSON_AddNumberToObject(o, "diskSizeMB", t->disk_size_mb);
    cJSON_AddBoolToObject(o, "public", t->public_);
    cJSON *a = cJSON_AddArrayToObject(o, "aliases");
    for (int i = 0; a && i < t->n_aliases; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(t->aliases[i]));
    cJSON *n = cJSON_AddArrayToObject(o, "names");
    for (int i = 0; n && i < t->n_names; i++)
        cJSON_AddItemToArray(n, cJSON_CreateString(t->names[i]));
    add_time(o, "createdAt", t->created_at_ms);
    add_time(o, "updatedAt", t->updated_at_ms);
    if (t->last_spawned_at_ms)
        add_time(o, "lastSpawnedAt", t->last_spawned_at_ms);
    else
        cJSON_AddNullToObject(o, "lastSpawnedAt");
    cJSON_AddNumberToObject(o, "spawnCount", (double)t->spawn_count);
    cJSON_AddNumberToObject(o, "buildCount", t->build_count);
    add_opt_str(o, "envdVersion", t->envd_version);
    add_opt_str(o, "buildStatus", t->build_status);
    return o;
}
