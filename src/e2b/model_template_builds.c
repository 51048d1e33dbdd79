/* model_template_builds.c - one template's builds (TemplateWithBuilds) and tags
 * ([TemplateTag]), see template_builds.h. Every field is checked as the spec types it;
 * optional ones (finishedAt, diskSizeMB, envdVersion, aliases on a newer server) may be
 * absent or null. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "boxtop/json.h"
#include "boxtop/template_builds.h"
#include "model_util.h"

static int parse_build(const cJSON *o, const char *path, struct template_build *b,
                       struct error *err)
{
    if (json_expect_object(o, path, err) < 0 ||
        model_req_str(o, path, "buildID", &b->id, err) < 0 ||
        model_req_str(o, path, "status", &b->status, err) < 0 ||
        model_req_time(o, path, "createdAt", &b->created_ms, err) < 0 ||
        model_req_time(o, path, "updatedAt", &b->updated_ms, err) < 0 ||
        model_opt_time(o, path, "finishedAt", &b->finished_ms, err) < 0 ||
        model_req_int(o, path, "cpuCount", 0, 4096, &b->cpu_count, err) < 0 ||
        model_req_int(o, path, "memoryMB", 0, 1 << 30, &b->memory_mb, err) < 0 ||
        model_opt_int(o, path, "diskSizeMB", 0, 1 << 30, &b->disk_size_mb, err) < 0 ||
        model_opt_str(o, path, "envdVersion", &b->envd_version, err) < 0)
        return -1;
    return 0;
}

int template_detail_parse(const char *text, size_t len, struct template_detail *out,
                          struct error *err)
{
    memset(out, 0, sizeof *out);
    cJSON *doc = model_parse_doc(text, len, 0, "template", err);
    if (!doc) return -1;
    const char *path = "template";
    const cJSON *arr = NULL, *it;
    bool pub = false;
    int rc = 0;
    if (model_req_str(doc, path, "templateID", &out->id, err) < 0 ||
        json_get_bool(doc, path, "public", &pub, err) < 0 ||
        json_get_array(doc, path, "builds", &arr, err) < 0)
        rc = -1;
    /* aliases is deprecated and names newer: either may be missing */
    const cJSON *a = NULL, *n = NULL;
    if (!rc && (json_opt_array(doc, path, "aliases", &a, err) < 0 ||
                json_opt_array(doc, path, "names", &n, err) < 0))
        rc = -1;
    if (!rc && a && model_str_array(doc, path, "aliases", &out->aliases, &out->n_aliases, err) < 0)
        rc = -1;
    if (!rc && n && model_str_array(doc, path, "names", &out->names, &out->n_names, err) < 0)
        rc = -1;
    out->public_ = pub;
    int i = 0;
    if (!rc) cJSON_ArrayForEach(it, arr)
        {
            char p[64];
            struct template_build *b = model_grow((void **)&out->builds, &out->n_builds, sizeof *b);
            if (!b) {
                rc = error_set(err, ERROR_GENERIC, "out of memory");
                break;
            }
            if ((rc = parse_build(it, json_path_index(p, sizeof p, "template.builds", i++), b,
                                  err)) < 0)
                break;
        }
    cJSON_Delete(doc);
    if (rc < 0) template_detail_free(out);
    return rc;
}

void template_detail_free(struct template_detail *d)
{
    free(d->id);
    model_strv_free(d->aliases, d->n_aliases);
    model_strv_free(d->names, d->n_names);
    for (int i = 0; i < d->n_builds; i++) {
        free(d->builds[i].id);
        free(d->builds[i].status);
        free(d->builds[i].envd_version);
    }
    free(d->builds);
    memset(d, 0, sizeof *d);
}

int template_tags_parse(const char *text, size_t len, struct template_tag_list *out,
                        struct error *err)
{
    memset(out, 0, sizeof *out);
    cJSON *doc = model_parse_doc(text, len, 1, "tags", err);
    if (!doc) return -1;
    int i = 0, rc = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, doc)
    {
        char p[64];
        json_path_index(p, sizeof p, "tags", i++);
        struct template_tag *t = model_grow((void **)&out->items, &out->n, sizeof *t);
        if (!t) {
            rc = error_set(err, ERROR_GENERIC, "out of memory");
            break;
        }
        if (json_expect_object(it, p, err) < 0 || model_req_str(it, p, "tag", &t->tag, err) < 0 ||
            model_req_str(it, p, "buildID", &t->build_id, err) < 0 ||
            model_req_time(it, p, "createdAt", &t->created_ms, err) < 0) {
            rc = -1;
            break;
        }
    }
    cJSON_Delete(doc);
    if (rc < 0) template_tag_list_free(out);
    return rc;
}

void template_tag_list_free(struct template_tag_list *l)
{
    for (int i = 0; i < l->n; i++) {
        free(l->items[i].tag);
        free(l->items[i].build_id);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

int64_t template_build_duration_ms(const struct template_build *b, int64_t now_ms)
{
    int64_t end = b->finished_ms;
    if (!end && b->status && (!strcmp(b->status, "building") || !strcmp(b->status, "waiting")))
        end = now_ms;
    if (!end || !b->created_ms || end < b->created_ms) return -1;
    return end - b->created_ms;
}
