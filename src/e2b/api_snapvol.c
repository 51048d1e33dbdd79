/* api_snapvol.c - snapshot, fork and volume calls and their models (see snapvol.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "boxtop/json.h"
#include "boxtop/snapvol.h"

#define SNAPVOL_MAX_ITEMS 100000

/* "<prefix><escaped id><suffix>" */
static char *path_of(const char *prefix, const char *id, const char *suffix)
{
    struct buf b = BUF_INIT;
    buf_append_str(&b, prefix);
    api_uri_component(id ? id : "", &b);
    buf_append_str(&b, suffix);
    return buf_steal(&b);
}

struct api_call *api_snapshot_create(struct api *a, const char *id, const char *name,
                                     api_done_cb cb, void *ud)
{
    cJSON *o = cJSON_CreateObject();
    if (o && name && *name) cJSON_AddStringToObject(o, "name", name);
    char *body = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    char *p = path_of("/sandboxes/", id, "/snapshots");
    struct api_call *c = api_request_raw(a, "POST", p, body ? body : "{}", cb, ud);
    free(p);
    free(body);
    return c;
}

struct api_call *api_snapshots_list(struct api *a, const char *sandbox_id, const char *next_token,
                                    api_done_cb cb, void *ud)
{
    struct buf b = BUF_INIT;
    buf_append_str(&b, "/snapshots?limit=100");
    if (sandbox_id) {
        buf_append_str(&b, "&sandboxID=");
        api_uri_component(sandbox_id, &b);
    }
    if (next_token) {
        buf_append_str(&b, "&nextToken=");
        api_uri_component(next_token, &b);
    }
    struct api_call *c = api_request_raw(a, "GET", buf_cstr(&b), NULL, cb, ud);
    buf_free(&b);
    return c;
}

struct api_call *api_snapshot_delete(struct api *a, const char *snapshot_id, api_done_cb cb,
                                     void *ud)
{
    char *p = path_of("/templates/", snapshot_id, ""); /* "/" and ":" escaped, as the SDK */
    struct api_call *c = api_request_raw(a, "DELETE", p, NULL, cb, ud);
    free(p);
    return c;
}

struct api_call *api_fork_sandbox(struct api *a, const char *id, int count, int timeout_s,
                                  api_done_cb cb, void *ud)
{
    char body[64];
    snprintf(body, sizeof body, "{\"timeout\":%d,\"count\":%d}", timeout_s > 0 ? timeout_s : 300,
             count);
    char *p = path_of("/sandboxes/", id, "/fork");
    struct api_call *c = api_request_raw(a, "POST", p, body, cb, ud);
    free(p);
    return c;
}

struct api_call *api_pause_fs_only(struct api *a, const char *id, api_done_cb cb, void *ud)
{
    char *p = path_of("/sandboxes/", id, "/pause");
    struct api_call *c = api_request_raw(a, "POST", p, "{\"memory\":false}", cb, ud);
    free(p);
    return c;
}

struct api_call *api_volumes_list(struct api *a, api_done_cb cb, void *ud)
{
    return api_request_raw(a, "GET", "/volumes", NULL, cb, ud);
}

struct api_call *api_volume_create(struct api *a, const char *name, api_done_cb cb, void *ud)
{
    cJSON *o = cJSON_CreateObject();
    if (o) cJSON_AddStringToObject(o, "name", name ? name : "");
    char *body = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    struct api_call *c = api_request_raw(a, "POST", "/volumes", body ? body : "{}", cb, ud);
    free(body);
    return c;
}

struct api_call *api_volume_delete(struct api *a, const char *id, api_done_cb cb, void *ud)
{
    char *p = path_of("/volumes/", id, "");
    struct api_call *c = api_request_raw(a, "DELETE", p, NULL, cb, ud);
    free(p);
    return c;
}

/* ---- models ---- */

static char *dup_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) && v->valuestring[0] ? strdup(v->valuestring) : NULL;
}

static int64_t num_or(const cJSON *o, const char *key, int64_t def)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 9.0e15) return def;
    return (int64_t)v->valuedouble;
}

static int snapshot_from(const cJSON *o, struct snapshot_info *s)
{
    memset(s, 0, sizeof *s);
    s->size = -1;
    if (!cJSON_IsObject(o) || !(s->id = dup_str(o, "snapshotID"))) return -1;
    const cJSON *names = cJSON_GetObjectItemCaseSensitive(o, "names");
    const cJSON *first = cJSON_IsArray(names) ? cJSON_GetArrayItem(names, 0) : NULL;
    if (cJSON_IsString(first) && first->valuestring[0]) s->name = strdup(first->valuestring);
    s->sandbox_id = dup_str(o, "sandboxID");
    const cJSON *ca = cJSON_GetObjectItemCaseSensitive(o, "createdAt");
    if (!cJSON_IsString(ca) || json_parse_time(ca->valuestring, &s->created_ms) < 0)
        s->created_ms = 0;
    s->size = num_or(o, "sizeBytes", -1);
    return 0;
}

void snapshot_info_free(struct snapshot_info *s)
{
    if (!s) return;
    free(s->id);
    free(s->name);
    free(s->sandbox_id);
    memset(s, 0, sizeof *s);
}

void snapshot_list_free(struct snapshot_list *l)
{
    for (int i = 0; l && i < l->n; i++)
        snapshot_info_free(&l->items[i]);
    if (l) {
        free(l->items);
        memset(l, 0, sizeof *l);
    }
}

int snapshot_info_parse(const char *json, size_t len, struct snapshot_info *out, struct error *err)
{
    cJSON *o = json_parse(json, len, err);
    if (!o) return -1;
    int rc = snapshot_from(o, out);
    cJSON_Delete(o);
    if (rc < 0) {
        snapshot_info_free(out);
        return error_set(err, ERROR_PROTOCOL, "snapshot: no snapshotID in the answer");
    }
    return 0;
}

/* An array of objects parsed by one_fn into items of size sz. */
static int parse_array(const char *json, size_t len, size_t sz,
                       int (*one_fn)(const cJSON *, void *), void (*free_fn)(void *), void **items,
                       int *n, struct error *err)
{
    *items = NULL;
    *n = 0;
    cJSON *arr = json_parse(json, len, err);
    if (!arr) return -1;
    if (!cJSON_IsArray(arr)) {
        cJSON_Delete(arr);
        return error_set(err, ERROR_PROTOCOL, "expected a JSON array");
    }
    int cnt = cJSON_GetArraySize(arr);
    if (cnt > SNAPVOL_MAX_ITEMS) cnt = SNAPVOL_MAX_ITEMS;
    char *v = cnt ? calloc((size_t)cnt, sz) : NULL;
    if (cnt && !v) {
        cJSON_Delete(arr);
        return error_set(err, ERROR_GENERIC, "out of memory");
    }
    int k = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        if (k == cnt) break;
        if (one_fn(it, v + (size_t)k * sz) == 0)
            k++;
        else
            free_fn(v + (size_t)k * sz);
    }
    cJSON_Delete(arr);
    *items = v;
    *n = k;
    return 0;
}

static int snapshot_one(const cJSON *o, void *out)
{
    return snapshot_from(o, out);
}

static void snapshot_free_one(void *p)
{
    snapshot_info_free(p);
}

int snapshot_list_parse(const char *json, size_t len, struct snapshot_list *out, struct error *err)
{
    void *items;
    int rc = parse_array(json, len, sizeof *out->items, snapshot_one, snapshot_free_one, &items,
                         &out->n, err);
    out->items = items;
    return rc;
}

static int volume_from(const cJSON *o, struct volume_info *v)
{
    memset(v, 0, sizeof *v);
    v->size = -1;
    v->n_mounted = -1;
    if (!cJSON_IsObject(o) || !(v->id = dup_str(o, "volumeID"))) return -1;
    v->name = dup_str(o, "name");
    v->size = num_or(o, "sizeBytes", -1);
    const cJSON *by = cJSON_GetObjectItemCaseSensitive(o, "mountedBy");
    if (cJSON_IsArray(by)) {
        int n = cJSON_GetArraySize(by);
        if (n > 1000) n = 1000;
        v->mounted_by = n ? calloc((size_t)n, sizeof *v->mounted_by) : NULL;
        v->n_mounted = 0;
        const cJSON *it;
        cJSON_ArrayForEach(it, by)
        {
            if (!v->mounted_by || v->n_mounted == n) break;
            if (cJSON_IsString(it)) v->mounted_by[v->n_mounted++] = strdup(it->valuestring);
        }
    }
    return 0;
}

void volume_info_free(struct volume_info *v)
{
    if (!v) return;
    free(v->id);
    free(v->name);
    for (int i = 0; i < v->n_mounted; i++)
        free(v->mounted_by[i]);
    free(v->mounted_by);
    memset(v, 0, sizeof *v);
}

void volume_list_free(struct volume_list *l)
{
    for (int i = 0; l && i < l->n; i++)
        volume_info_free(&l->items[i]);
    if (l) {
        free(l->items);
        memset(l, 0, sizeof *l);
    }
}

static int volume_one(const cJSON *o, void *out)
{
    return volume_from(o, out);
}

static void volume_free_one(void *p)
{
    volume_info_free(p);
}

int volume_list_parse(const char *json, size_t len, struct volume_list *out, struct error *err)
{
    void *items;
    int rc = parse_array(json, len, sizeof *out->items, volume_one, volume_free_one, &items,
                         &out->n, err);
    out->items = items;
    return rc;
}

int volume_info_parse(const char *json, size_t len, struct volume_info *out, struct error *err)
{
    cJSON *o = json_parse(json, len, err);
    if (!o) return -1;
    int rc = volume_from(o, out);
    cJSON_Delete(o);
    if (rc < 0) {
        volume_info_free(out);
        return error_set(err, ERROR_PROTOCOL, "volume: no volumeID in the answer");
    }
    return 0;
}

static int fork_one(const cJSON *o, void *out)
{
    struct fork_result *f = out;
    memset(f, 0, sizeof *f);
    if (!cJSON_IsObject(o)) return -1;
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, "sandbox");
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "error");
    if (cJSON_IsObject(s) && (f->sandbox_id = dup_str(s, "sandboxID"))) return 0;
    f->code = (int)num_or(e, "code", 500);
    f->message = cJSON_IsObject(e) ? dup_str(e, "message") : NULL;
    if (!f->message) f->message = strdup("the fork did not start");
    return 0;
}

static void fork_free_one(void *p)
{
    struct fork_result *f = p;
    free(f->sandbox_id);
    free(f->message);
    memset(f, 0, sizeof *f);
}

int fork_results_parse(const char *json, size_t len, struct fork_results *out, struct error *err)
{
    void *items;
    int rc =
        parse_array(json, len, sizeof *out->items, fork_one, fork_free_one, &items, &out->n, err);
    out->items = items;
    return rc;
}

void fork_results_free(struct fork_results *f)
{
    for (int i = 0; f && i < f->n; i++)
        fork_free_one(&f->items[i]);
    if (f) {
        free(f->items);
        memset(f, 0, sizeof *f);
    }
}

int volume_mount_path(const char *json, size_t len, const char *name, char *out, size_t n,
                      struct error *err)
{
    cJSON *o = json_parse(json, len, err);
    if (!o) return -1;
    const cJSON *vm = cJSON_GetObjectItemCaseSensitive(o, "volumeMounts"), *m;
    int rc = error_set(err, ERROR_NOT_FOUND, "the sandbox does not mount that volume");
    if (!cJSON_IsArray(vm)) vm = NULL;
    cJSON_ArrayForEach(m, vm)
    {
        const cJSON *nm = cJSON_GetObjectItemCaseSensitive(m, "name");
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(m, "path");
        if (cJSON_IsString(nm) && cJSON_IsString(p) && !strcmp(nm->valuestring, name) &&
            p->valuestring[0] == '/' && strlen(p->valuestring) < n) {
            snprintf(out, n, "%s", p->valuestring);
            rc = 0;
            break;
        }
    }
    cJSON_Delete(o);
    return rc;
}
