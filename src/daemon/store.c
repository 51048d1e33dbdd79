/* store.c - sandbox records as JSON files (atomic writes, strict reads). */
#include "config.h"

#include <dirent.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

#include "fsutil.h"
#include "ids.h"
#include "sandbox.h"
#include "store.h"

cJSON *store_record_to_json(const struct sbx *s)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddNumberToObject(o, "version", 1);
    cJSON_AddStringToObject(o, "id", s->id);
    cJSON_AddStringToObject(o, "templateID", s->template_id);
    cJSON_AddStringToObject(o, "alias", s->alias);
    cJSON_AddStringToObject(o, "envdAccessToken", s->envd_token);
    cJSON_AddStringToObject(o, "executionID", s->execution_id);
    cJSON_AddNumberToObject(o, "startedAt", (double)s->started_at_ms);
    cJSON_AddNumberToObject(o, "endAt", (double)s->end_at_ms);
    cJSON_AddNumberToObject(o, "pausedAt", (double)s->paused_at_ms);
    cJSON_AddNumberToObject(o, "execStartedAt", (double)s->exec_started_ms);
    cJSON_AddNumberToObject(o, "cpuCount", s->cpu_count);
    cJSON_AddNumberToObject(o, "memoryMB", s->memory_mb);
    cJSON_AddNumberToObject(o, "diskSizeMB", s->disk_mb);
    cJSON_AddBoolToObject(o, "autoPause", s->auto_pause);
    cJSON_AddBoolToObject(o, "autoResume", s->auto_resume);
    if (s->auto_pause_fs_only) cJSON_AddBoolToObject(o, "autoPauseFsOnly", true);
    if (s->volume_mounts)
        cJSON_AddItemToObject(o, "volumeMounts", cJSON_Duplicate(s->volume_mounts, 1));
    cJSON_AddBoolToObject(o, "secure", s->secure);
    cJSON_AddBoolToObject(o, "allowInternetAccess", s->allow_internet);
    cJSON_AddStringToObject(o, "state", s->state == SBX_RUNNING ? "running" : "paused");
    cJSON_AddBoolToObject(o, "frozen", s->frozen);
    if (s->metadata) cJSON_AddItemToObject(o, "metadata", cJSON_Duplicate(s->metadata, 1));
    if (s->env_vars) cJSON_AddItemToObject(o, "envVars", cJSON_Duplicate(s->env_vars, 1));
    return o;
}

static int get_str(const cJSON *j, const char *k, char *out, size_t n, bool required,
                   struct error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, k);
    if (!v && !required) {
        out[0] = '\0';
        return 0;
    }
    if (!cJSON_IsString(v) || strlen(v->valuestring) >= n)
        return error_set(err, ERROR_PROTOCOL, "record field %s: expected a string", k);
    snprintf(out, n, "%s", v->valuestring);
    return 0;
}

static int get_i64(const cJSON *j, const char *k, int64_t *out, struct error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, k);
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || fabs(v->valuedouble) > 9.0e15)
        return error_set(err, ERROR_PROTOCOL, "record field %s: expected a number", k);
    *out = (int64_t)v->valuedouble;
    return 0;
}

static int get_bool(const cJSON *j, const char *k, bool *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, k);
    *out = cJSON_IsTrue(v);
    return 0;
}

static int get_map(const cJSON *j, const char *k, cJSON **out, struct error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, k), *it;
    *out = NULL;
    if (!v || cJSON_IsNull(v)) return 0;
    if (!cJSON_IsObject(v))
        return error_set(err, ERROR_PROTOCOL, "record field %s: expected an object", k);
    cJSON_ArrayForEach(it, v)
    {
        if (!cJSON_IsString(it))
            return error_set(err, ERROR_PROTOCOL, "record field %s: values must be strings", k);
    }
    *out = cJSON_Duplicate(v, 1);
    return *out ? 0 : error_set(err, ERROR_GENERIC, "out of memory");
}

int store_record_from_json(const cJSON *j, struct sbx *s, struct error *err)
{
    char state[16];
    int64_t v;

    if (!cJSON_IsObject(j)) return error_set(err, ERROR_PROTOCOL, "record is not an object");
    if (get_str(j, "id", s->id, sizeof s->id, true, err) < 0) return -1;
    if (!ids_sandbox_valid(s->id))
        return error_set(err, ERROR_PROTOCOL, "record has an invalid sandbox id");
    if (get_str(j, "templateID", s->template_id, sizeof s->template_id, true, err) < 0 ||
        get_str(j, "alias", s->alias, sizeof s->alias, false, err) < 0 ||
        get_str(j, "envdAccessToken", s->envd_token, sizeof s->envd_token, true, err) < 0 ||
        get_str(j, "executionID", s->execution_id, sizeof s->execution_id, false, err) < 0 ||
        get_str(j, "state", state, sizeof state, true, err) < 0)
        return -1;
    if (get_i64(j, "startedAt", &s->started_at_ms, err) < 0 ||
        get_i64(j, "endAt", &s->end_at_ms, err) < 0 ||
        get_i64(j, "pausedAt", &s->paused_at_ms, err) < 0 ||
        get_i64(j, "execStartedAt", &s->exec_started_ms, err) < 0)
        return -1;
    if (get_i64(j, "cpuCount", &v, err) < 0 || v < 1 || v > 1024)
        return error_set(err, ERROR_PROTOCOL, "record field cpuCount out of range");
    s->cpu_count = (int)v;
    if (get_i64(j, "memoryMB", &v, err) < 0 || v < 1 || v > (1 << 24))
        return error_set(err, ERROR_PROTOCOL, "record field memoryMB out of range");
    s->memory_mb = (int)v;
    if (get_i64(j, "diskSizeMB", &v, err) < 0 || v < 1 || v > (1 << 30))
        return error_set(err, ERROR_PROTOCOL, "record field diskSizeMB out of range");
    s->disk_mb = (int)v;
    get_bool(j, "autoPause", &s->auto_pause);
    get_bool(j, "autoResume", &s->auto_resume);
    get_bool(j, "autoPauseFsOnly", &s->auto_pause_fs_only);
    /* volume mounts are kept, like metadata below, only once the whole record checked out:
     * a record refused half-way leaves nothing allocated behind */
    const cJSON *vm = cJSON_GetObjectItemCaseSensitive(j, "volumeMounts");
    if (cJSON_IsArray(vm)) { /* checked again by the runtime before each boot */
        const cJSON *m;
        cJSON_ArrayForEach(m, vm)
        {
            if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(m, "name")) ||
                !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(m, "path")))
                return error_set(err, ERROR_PROTOCOL, "record field volumeMounts is malformed");
        }
    }
    get_bool(j, "secure", &s->secure);
    get_bool(j, "allowInternetAccess", &s->allow_internet);
    get_bool(j, "frozen", &s->frozen);
    if (!strcmp(state, "running"))
        s->state = SBX_RUNNING;
    else if (!strcmp(state, "paused"))
        s->state = SBX_PAUSED;
    else
        return error_set(err, ERROR_PROTOCOL, "record has an unknown state");
    cJSON *md = NULL, *ev = NULL;
    if (get_map(j, "metadata", &md, err) < 0) return -1;
    if (get_map(j, "envVars", &ev, err) < 0) {
        cJSON_Delete(md);
        return -1;
    }
    cJSON *vms = cJSON_IsArray(vm) ? cJSON_Duplicate(vm, 1) : NULL;
    if (cJSON_IsArray(vm) && !vms) {
        cJSON_Delete(md);
        cJSON_Delete(ev);
        return error_set(err, ERROR_GENERIC, "out of memory");
    }
    cJSON_Delete(s->metadata);
    cJSON_Delete(s->env_vars);
    cJSON_Delete(s->volume_mounts);
    s->metadata = md;
    s->env_vars = ev;
    s->volume_mounts = vms;
    return 0;
}

static int save(const char *state_dir, const struct sbx *s, bool durable, struct error *err)
{
    char path[4096];
    cJSON *o = store_record_to_json(s);
    char *txt = o ? cJSON_Print(o) : NULL;
    int rc;

    cJSON_Delete(o);
    if (!txt) return error_set(err, ERROR_GENERIC, "out of memory");
    snprintf(path, sizeof path, "%s/records", state_dir);
    if (fs_mkdir_p(path, 0700, err) < 0) {
        free(txt);
        return -1;
    }
    snprintf(path, sizeof path, "%s/records/%s.json", state_dir, s->id);
    rc = durable ? fs_write_atomic(path, txt, strlen(txt), 0600, err)
                 : fs_write_replace(path, txt, strlen(txt), 0600, err);
    free(txt);
    return rc;
}

int store_save(const char *state_dir, const struct sbx *s, struct error *err)
{
    return save(state_dir, s, true, err);
}

int store_save_new(const char *state_dir, const struct sbx *s, struct error *err)
{
    return save(state_dir, s, false, err);
}

void store_remove(const char *state_dir, const char *id)
{
    char path[4096];
    if (!ids_sandbox_valid(id)) return;
    snprintf(path, sizeof path, "%s/records/%s.json", state_dir, id);
    unlink(path);
}

int store_each(const char *state_dir, store_each_fn fn, void *ud, struct error *err)
{
    char path[4096];
    DIR *dir;
    struct dirent *de;

    snprintf(path, sizeof path, "%s/records", state_dir);
    dir = opendir(path);
    if (!dir) return 0; /* no records yet */
    while ((de = readdir(dir))) {
        size_t n = strlen(de->d_name);
        if (n < 6 || strcmp(de->d_name + n - 5, ".json") != 0) continue;
        char file[4096 + 300];
        cJSON *j;
        snprintf(file, sizeof file, "%s/%s", path, de->d_name);
        if (fs_read_json(file, 1u << 20, &j, err) < 0) continue;
        if (j) fn(ud, j, file);
        cJSON_Delete(j);
    }
    closedir(dir);
    return 0;
}
