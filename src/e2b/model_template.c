/* model_template.c - templates list (Template objects). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "boxtop/json.h"
#include "boxtop/models.h"
#include "model_util.h"

static int parse_template(const cJSON *o, const char *path, struct template_info *t,
                          struct error *err)
{
    bool pub;
    const cJSON *created_by;
    if (json_expect_object(o, path, err) < 0 ||
        model_req_str(o, path, "templateID", &t->id, err) < 0 ||
        model_req_str(o, path, "buildID", &t->build_id, err) < 0 ||
        model_req_int(o, path, "cpuCount", 0, 4096, &t->cpu_count, err) < 0 ||
        model_req_int(o, path, "memoryMB", 0, 1 << 30, &t->memory_mb, err) < 0 ||
        model_req_int(o, path, "diskSizeMB", 0, 1 << 30, &t->disk_size_mb, err) < 0 ||
        json_get_bool(o, path, "public", &pub, err) < 0 ||
        model_str_array(o, path, "aliases", &t->aliases, &t->n_aliases, err) < 0 ||
        model_req_time(o, path, "createdAt", &t->created_at_ms, err) < 0 ||
        model_req_time(o, path, "updatedAt", &t->updated_at_ms, err) < 0 ||
        model_opt_time(o, path, "lastSpawnedAt", &t->last_spawned_at_ms, err) < 0 ||
        json_get_int64(o, path, "spawnCount", &t->spawn_count, err) < 0 ||
        model_req_int(o, path, "buildCount", 0, 1 << 30, &t->build_count, err) < 0 ||
        model_req_str(o, path, "envdVersion", &t->envd_version, err) < 0 ||
        model_req_str(o, path, "buildStatus", &t->build_status, err) < 0 ||
        json_opt_object(o, path, "createdBy", &created_by, err) < 0)
        return -1;
    t->public_ = pub;
    /* names[] is newer than aliases[]: optional so that older servers still parse. */
    const cJSON *names = NULL;
    if (json_opt_array(o, path, "names", &names, err) < 0) return -1;
    return names ? model_str_array(o, path, "names", &t->names, &t->n_names, err) : 0;
}

int templates_parse(const char *text, size_t len, struct template_list *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    cJSON *doc = model_parse_doc(text, len, 1, "templates", err);
    if (!doc) return -1;
    int i = 0, rc = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, doc)
    {
        char path[64];
        struct template_info *t = model_grow((void **)&out->items, &out->n, sizeof *t);
        if (!t) {
            rc = error_set(err, ERROR_GENERIC, "out of memory");
            break;
        }
        if ((rc = parse_template(it, json_path_index(path, sizeof path, "templates", i++), t,
                                 err)) < 0)
            break;
    }
    cJSON_Delete(doc);
    if (rc < 0) template_list_free(out);
    return rc;
}

void template_list_free(struct template_list *l)
{
    for (int i = 0; i < l->n; i++) {
        struct template_info *t = &l->items[i];
        free(t->id);
        free(t->build_id);
        model_strv_free(t->aliases, t->n_aliases);
        model_strv_free(t->names, t->n_names);
        free(t->envd_version);
        free(t->build_status);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}
