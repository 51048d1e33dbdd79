/* volume.c - team volumes in DIR/volumes (see volume.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cJSON.h>

#include "boxtop/grow.h"
#include "boxtop/json.h"
#include "boxtop/log.h"
#include "boxtop/loop.h"
#include "daemon.h"
#include "fsutil.h"
#include "ids.h"
#include "runtime/runtime.h"
#include "volume.h"

static int dir_path(const struct daemon *d, const char *leaf, char *out, size_t n)
{
    int k = snprintf(out, n, "%s/volumes%s%s", d->opt.state_dir, leaf ? "/" : "", leaf ? leaf : "");
    return k > 0 && (size_t)k < n ? 0 : -1;
}

static bool name_ok(const char *n)
{
    size_t l = strlen(n);
    if (l == 0 || l >= sizeof((struct volume *)0)->name) return false;
    for (; *n; n++)
        if (!((*n >= 'a' && *n <= 'z') || (*n >= 'A' && *n <= 'Z') || (*n >= '0' && *n <= '9') ||
              *n == '-' || *n == '_'))
            return false;
    return true;
}

static bool uuid_ok(const char *s)
{
    if (strlen(s) != 36) return false;
    for (int i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    }
    return true;
}

static int add(struct daemon *d, struct volume *v)
{
    struct volumes *vs = d->vols;
    if (GROW(vs->v, vs->cap, vs->n + 1) < 0) return -1;
    vs->v[vs->n++] = v;
    return 0;
}

static void ignore_name(void *ud, const char *name)
{
    (void)ud;
    (void)name;
}

static void load_one(void *ud, const char *leaf)
{
    struct daemon *d = ud;
    char dir[4096], path[4200];
    struct error err;
    cJSON *o;
    if (!uuid_ok(leaf) || dir_path(d, leaf, dir, sizeof dir) < 0) return;
    snprintf(path, sizeof path, "%s/volume.json", dir);
    if (fs_read_json(path, 16 << 10, &o, &err) < 0) return;
    const char *id = json_str(o, "volumeID"), *name = json_str(o, "name"),
               *tok = json_str(o, "token");
    const cJSON *cr = cJSON_GetObjectItemCaseSensitive(o, "createdMs");
    struct volume *v = calloc(1, sizeof *v);
    bool ok = v && id && strcmp(id, leaf) == 0 && name && name_ok(name) && tok &&
              strlen(tok) < sizeof v->token && cJSON_IsNumber(cr);
    if (ok) {
        snprintf(v->id, sizeof v->id, "%s", id);
        snprintf(v->name, sizeof v->name, "%s", name);
        snprintf(v->token, sizeof v->token, "%s", tok);
        v->created_ms = (int64_t)cr->valuedouble;
        snprintf(v->dir, sizeof v->dir, "%s", dir);
        ok = !volume_find_name(d, name) && add(d, v) == 0;
    }
    if (ok) /* .vc-*: an upload or remove of the content API an earlier run did not finish */
        fs_scan_records(d->rt, dir, ".vc-", ignore_name, NULL, &err);
    cJSON_Delete(o);
    if (!ok) {
        log_msg(d->log, LOG_WARN, "volume %s: unreadable or duplicate record; skipped", leaf);
        free(v);
    }
}

int volumes_load(struct daemon *d, struct error *err)
{
    char dir[4096];
    d->vols = calloc(1, sizeof *d->vols);
    if (!d->vols || dir_path(d, NULL, dir, sizeof dir) < 0)
        return error_set(err, ERROR_GENERIC, "out of memory");
    /* .del-*: a delete an earlier run did not finish */
    return fs_scan_records(d->rt, dir, ".del-", load_one, d, err);
}

void volumes_free(struct daemon *d)
{
    if (!d->vols) return;
    for (size_t i = 0; i < d->vols->n; i++)
        free(d->vols->v[i]);
    free(d->vols->v);
    free(d->vols);
    d->vols = NULL;
}

struct volume *volume_find(struct daemon *d, const char *id)
{
    for (size_t i = 0; d->vols && i < d->vols->n; i++)
        if (strcmp(d->vols->v[i]->id, id) == 0) return d->vols->v[i];
    return NULL;
}

struct volume *volume_find_name(struct daemon *d, const char *name)
{
    for (size_t i = 0; d->vols && i < d->vols->n; i++)
        if (strcmp(d->vols->v[i]->name, name) == 0) return d->vols->v[i];
    return NULL;
}

int volume_create(struct daemon *d, const char *name, struct volume **out, struct error *err)
{
    *out = NULL;
    if (!name || !name_ok(name)) return error_set(err, ERROR_USAGE, "Invalid volume name");
    if (volume_find_name(d, name))
        return error_set(err, ERROR_USAGE, "Volume with name '%s' already exists", name);
    struct volume *v = calloc(1, sizeof *v);
    if (!v) return error_set(err, ERROR_GENERIC, "out of memory");
    char data[4200], rec[4200];
    if (ids_uuid4(v->id, sizeof v->id) < 0 || ids_random_hex(v->token, 32) < 0) {
        free(v);
        return error_set(err, ERROR_GENERIC, "no randomness");
    }
    snprintf(v->name, sizeof v->name, "%s", name);
    v->created_ms = loop_wall_ms();
    if (dir_path(d, v->id, v->dir, sizeof v->dir) < 0 || mkdir(v->dir, 0700) < 0) {
        free(v);
        return error_set(err, ERROR_GENERIC, "volume directory: %s", strerror(errno));
    }
    snprintf(data, sizeof data, "%s/data", v->dir);
    /* On disk, ids are those inside a sandbox (the bind is idmapped): the user owns the
     * root of the volume. Not root (rootless/plain): boxtopd's own uid is the user. */
    if (mkdir(data, 0755) < 0 ||
        (geteuid() == 0 && chown(data, VOLUME_USER_ID, VOLUME_USER_ID) < 0)) {
        int e = errno;
        fs_remove_tree(v->dir);
        free(v);
        return error_set(err, ERROR_GENERIC, "volume directory: %s", strerror(e));
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "volumeID", v->id);
    cJSON_AddStringToObject(o, "name", v->name);
    cJSON_AddStringToObject(o, "token", v->token);
    cJSON_AddNumberToObject(o, "createdMs", (double)v->created_ms);
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    snprintf(rec, sizeof rec, "%s/volume.json", v->dir);
    if (!text || fs_write_atomic(rec, text, strlen(text), 0600, err) < 0 || add(d, v) < 0) {
        free(text);
        fs_remove_tree(v->dir);
        free(v);
        return error_set(err, ERROR_GENERIC, "cannot record the volume");
    }
    free(text);
    *out = v;
    return 0;
}

void volume_delete(struct daemon *d, struct volume *v)
{
    /* off the loop (the runtime's graveyard, a child deletes): a volume of many files must
     * not freeze the API; the next start finishes a leftover */
    char trash[4200];
    snprintf(trash, sizeof trash, "%s/volumes/.del-%s", d->opt.state_dir, v->id);
    fs_remove_now_or_later(d->rt, v->dir, trash);
    struct volumes *vs = d->vols;
    for (size_t i = 0; i < vs->n; i++)
        if (vs->v[i] == v) {
            memmove(&vs->v[i], &vs->v[i + 1], (vs->n - i - 1) * sizeof *vs->v);
            vs->n--;
            break;
        }
    free(v);
}

int64_t volume_bytes(const struct volume *v)
{
    char data[4200];
    snprintf(data, sizeof data, "%s/data", v->dir);
    return fs_tree_bytes(data);
}

int volume_binds(struct daemon *d, const cJSON *mounts, struct buf *out, struct error *err)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, mounts)
    {
        const char *name = json_str(m, "name"), *path = json_str(m, "path");
        struct volume *v = name ? volume_find_name(d, name) : NULL;
        if (!v || !path)
            return error_set(err, ERROR_NOT_FOUND, "volume '%s' not found", name ? name : "");
        buf_printf(out, "%s/data\t%s\n", v->dir, path);
    }
    return 0;
}
