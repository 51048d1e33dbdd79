/* snapshot.c - snapshot records and their copies in DIR/snapshots (see snapshot.h). */
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
#include "runtime/runtime.h"
#include "sandbox.h"
#include "snapshot.h"
#include "tpl.h"

static int dir_path(const struct daemon *d, const char *leaf, char *out, size_t n)
{
    int k =
        snprintf(out, n, "%s/snapshots%s%s", d->opt.state_dir, leaf ? "/" : "", leaf ? leaf : "");
    return k > 0 && (size_t)k < n ? 0 : -1;
}

static void rm_tree(const char *path)
{
    fs_remove_tree(path);
}

void snapshot_id(const struct snapshot *s, char *out, size_t n)
{
    snprintf(out, n, "%s:%s", s->name[0] ? s->name : s->template_id, s->tag);
}

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

int snapshot_name_parse(const char *in, char *name, size_t nn, char *tag, size_t tn,
                        struct error *err)
{
    char buf[128];
    if (!in || !*in || strlen(in) >= sizeof buf)
        return error_set(err, ERROR_USAGE, "Invalid name: must be 1 to %d characters",
                         SNAPSHOT_NAME_MAX);
    size_t k = 0;
    for (; in[k]; k++)
        buf[k] = (in[k] >= 'A' && in[k] <= 'Z') ? (char)(in[k] - 'A' + 'a') : in[k];
    buf[k] = '\0';
    char *alias = buf, *slash = strchr(buf, '/');
    if (slash) {
        *slash = '\0';
        if (strcmp(buf, TEAM_ID) != 0)
            return error_set(err, ERROR_USAGE,
                             "Invalid name: namespace must be the team's (\"%s\")", TEAM_ID);
        alias = slash + 1;
    }
    char *colon = strchr(alias, ':');
    const char *t = "default";
    if (colon) {
        *colon = '\0';
        t = colon + 1;
    }
    size_t al = strlen(alias), tl = strlen(t);
    if (al == 0 || al > SNAPSHOT_NAME_MAX || tl == 0 || tl >= 32)
        return error_set(err, ERROR_USAGE, "Invalid name: must be 1 to %d characters",
                         SNAPSHOT_NAME_MAX);
    for (const char *p = alias; *p; p++)
        if (!name_char(*p))
            return error_set(err, ERROR_USAGE,
                             "Invalid name: only letters, digits, '-', '_' and '.' are allowed");
    for (const char *p = t; *p; p++)
        if (!name_char(*p))
            return error_set(err, ERROR_USAGE,
                             "Invalid name: the tag may only hold letters, digits, '-', '_', '.'");
    snprintf(name, nn, "%s/%s", TEAM_ID, alias);
    snprintf(tag, tn, "%s", t);
    return 0;
}

static cJSON *record_json(const struct snapshot *s)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "templateID", s->template_id);
    cJSON_AddStringToObject(o, "name", s->name);
    cJSON_AddStringToObject(o, "tag", s->tag);
    cJSON_AddStringToObject(o, "sandboxID", s->sandbox_id);
    cJSON_AddNumberToObject(o, "createdMs", (double)s->created_ms);
    cJSON_AddNumberToObject(o, "bytes", (double)s->bytes);
    cJSON_AddNumberToObject(o, "idbase", (double)s->idbase);
    if (s->lowers) cJSON_AddStringToObject(o, "lowers", s->lowers);
    return o;
}

static int save(struct daemon *d, const struct snapshot *s, struct error *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/snapshot.json", s->dir);
    cJSON *o = record_json(s);
    char *text = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    if (!text) return error_set(err, ERROR_GENERIC, "out of memory");
    int rc = fs_write_atomic(path, text, strlen(text), 0600, err);
    free(text);
    (void)d;
    return rc;
}

static bool tid_valid(const char *t)
{
    size_t n = t ? strlen(t) : 0;
    if (n != 20) return false;
    for (size_t i = 0; i < n; i++)
        if (!((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= '0' && t[i] <= '9'))) return false;
    return true;
}

static int add(struct daemon *d, struct snapshot *s)
{
    struct snapshots *ss = d->snaps;
    if (GROW(ss->v, ss->cap, ss->n + 1) < 0) return -1;
    ss->v[ss->n++] = s;
    return 0;
}

static void load_one(void *ud, const char *leaf)
{
    struct daemon *d = ud;
    char dir[4096], path[4200];
    struct error err;
    cJSON *o;
    if (!tid_valid(leaf) || dir_path(d, leaf, dir, sizeof dir) < 0) return;
    snprintf(path, sizeof path, "%s/snapshot.json", dir);
    if (fs_read_json(path, 64 << 10, &o, &err) < 0) {
        log_msg(d->log, LOG_WARN, "snapshot %s: no record (%s); skipped", leaf, err.msg);
        return;
    }
    struct snapshot *s = calloc(1, sizeof *s);
    const char *tid = json_str(o, "templateID"), *name = json_str(o, "name"),
               *tag = json_str(o, "tag"), *sid = json_str(o, "sandboxID");
    char nn[sizeof s->name], tt[sizeof s->tag];
    bool ok = s && o && tid && strcmp(tid, leaf) == 0 && name && tag && sid &&
              strlen(sid) < sizeof s->sandbox_id && json_num(o, "idbase", -1) >= 0 &&
              (!*name || snapshot_name_parse(name, nn, sizeof nn, tt, sizeof tt, &err) == 0);
    if (ok) {
        snprintf(s->template_id, sizeof s->template_id, "%s", tid);
        snprintf(s->name, sizeof s->name, "%s", name);
        snprintf(s->tag, sizeof s->tag, "%s", *tag ? tag : "default");
        snprintf(s->sandbox_id, sizeof s->sandbox_id, "%s", sid);
        s->created_ms = (int64_t)json_num(o, "createdMs", -1);
        s->bytes = (int64_t)json_num(o, "bytes", -1);
        s->idbase = (uint32_t)json_num(o, "idbase", -1);
        s->lowers = json_str(o, "lowers") ? strdup(json_str(o, "lowers")) : NULL;
        snprintf(s->dir, sizeof s->dir, "%s", dir);
        ok = (!s->lowers || tpl_lowers_valid(d, s->lowers)) && add(d, s) == 0;
    }
    cJSON_Delete(o);
    if (!ok) {
        log_msg(d->log, LOG_WARN, "snapshot %s: unreadable record; skipped", leaf);
        if (s) free(s->lowers);
        free(s);
    }
}

static int by_created(const void *a, const void *b)
{
    const struct snapshot *x = *(struct snapshot *const *)a, *y = *(struct snapshot *const *)b;
    return x->created_ms < y->created_ms ? -1 : x->created_ms > y->created_ms;
}

int snapshots_load(struct daemon *d, struct error *err)
{
    char dir[4096];
    d->snaps = calloc(1, sizeof *d->snaps);
    if (!d->snaps || dir_path(d, NULL, dir, sizeof dir) < 0)
        return error_set(err, ERROR_GENERIC, "out of memory");
    /* .tmp-*: a snapshot or fork copy an earlier run did not finish */
    if (fs_scan_records(d->rt, dir, ".tmp-", load_one, d, err) < 0) return -1;
    if (d->snaps->n) qsort(d->snaps->v, d->snaps->n, sizeof *d->snaps->v, by_created);
    return 0;
}

void snapshots_free(struct daemon *d)
{
    if (!d->snaps) return;
    for (size_t i = 0; i < d->snaps->n; i++) {
        free(d->snaps->v[i]->lowers);
        free(d->snaps->v[i]);
    }
    free(d->snaps->v);
    free(d->snaps);
    d->snaps = NULL;
}

struct snapshot *snapshot_find(struct daemon *d, const char *ref)
{
    if (!d->snaps || !ref || !*ref) return NULL;
    char name[SNAPSHOT_NAME_MAX + 8], tag[32], id[128];
    struct error err;
    bool has_tag = strchr(ref, ':') != NULL;
    bool named = snapshot_name_parse(ref, name, sizeof name, tag, sizeof tag, &err) == 0;
    for (size_t i = 0; i < d->snaps->n; i++) {
        struct snapshot *s = d->snaps->v[i];
        snapshot_id(s, id, sizeof id);
        if (strcmp(ref, id) == 0 || strcmp(ref, s->template_id) == 0) return s;
        if (named && s->name[0] && strcmp(name, s->name) == 0 &&
            (!has_tag || strcmp(tag, s->tag) == 0))
            return s;
        if (named && !s->name[0] && has_tag && strcmp(tag, s->tag) == 0 &&
            strncmp(ref, s->template_id, 20) == 0 && ref[20] == ':')
            return s;
    }
    return NULL;
}

int64_t snapshots_bytes(const struct daemon *d)
{
    int64_t t = 0;
    for (size_t i = 0; d->snaps && i < d->snaps->n; i++)
        t += d->snaps->v[i]->bytes;
    return t;
}

int snapshot_export_tmp(struct daemon *d, struct sbx *src, char *dir, size_t n, uint32_t *idbase,
                        struct error *err)
{
    char rnd[24], leaf[40];
    int64_t bytes;
    if (!src->rt) return error_set(err, ERROR_CONFLICT, "the sandbox's files are not loaded");
    if (ids_random_hex(rnd, 8) < 0) return error_set(err, ERROR_GENERIC, "no randomness");
    snprintf(leaf, sizeof leaf, ".tmp-%s", rnd);
    if (dir_path(d, leaf, dir, n) < 0) return error_set(err, ERROR_GENERIC, "path too long");
    if (rt_sandbox_export(d->rt, src->rt, dir, idbase, &bytes, err) < 0) {
        rm_tree(dir);
        return -1;
    }
    return 0;
}

void snapshot_tmp_remove(const char *dir)
{
    rm_tree(dir);
}

int snapshot_create(struct daemon *d, struct sbx *src, const char *name, struct snapshot **out,
                    struct error *err)
{
    char nn[SNAPSHOT_NAME_MAX + 8] = "", tag[32] = "default", tmp[4096], tid[24], rnd[24];
    *out = NULL;
    if (name && *name && snapshot_name_parse(name, nn, sizeof nn, tag, sizeof tag, err) < 0)
        return -1;
    if (!src->rt) return error_set(err, ERROR_CONFLICT, "the sandbox's files are not loaded");
    char sid[IDS_SANDBOX_MAX + 1];
    if (ids_new_sandbox_id(sid, sizeof sid) < 0 || ids_random_hex(rnd, 8) < 0)
        return error_set(err, ERROR_GENERIC, "no randomness");
    snprintf(tid, sizeof tid, "%.20s", sid + 1); /* 20 random [a-z0-9] */
    char leaf[64];
    snprintf(leaf, sizeof leaf, ".tmp-%s", rnd);
    if (dir_path(d, leaf, tmp, sizeof tmp) < 0) return error_set(err, ERROR_GENERIC, "path");
    uint32_t idbase;
    int64_t bytes;
    if (rt_sandbox_export(d->rt, src->rt, tmp, &idbase, &bytes, err) < 0) {
        rm_tree(tmp);
        return error_prefix(err, "snapshot");
    }
    /* the same name again: a new build of that snapshot (its id stays) */
    struct snapshot *s = NULL;
    for (size_t i = 0; nn[0] && i < d->snaps->n; i++)
        if (strcmp(d->snaps->v[i]->name, nn) == 0 && strcmp(d->snaps->v[i]->tag, tag) == 0)
            s = d->snaps->v[i];
    bool fresh = s == NULL;
    if (fresh) {
        s = calloc(1, sizeof *s);
        if (!s) {
            rm_tree(tmp);
            return error_set(err, ERROR_GENERIC, "out of memory");
        }
        snprintf(s->template_id, sizeof s->template_id, "%s", tid);
        snprintf(s->name, sizeof s->name, "%s", nn);
        snprintf(s->tag, sizeof s->tag, "%s", tag);
        dir_path(d, s->template_id, s->dir, sizeof s->dir);
    }
    struct snapshot next = *s;
    snprintf(next.sandbox_id, sizeof next.sandbox_id, "%s", src->id);
    next.created_ms = loop_wall_ms();
    next.bytes = bytes;
    next.idbase = idbase;
    const char *lw = rt_sandbox_lowers(src->rt);
    next.lowers = *lw ? strdup(lw) : NULL;
    snprintf(next.dir, sizeof next.dir, "%s", tmp);
    if ((*lw && !next.lowers) || save(d, &next, err) < 0) {
        rm_tree(tmp);
        free(next.lowers);
        if (fresh) free(s);
        return error_prefix(err, "snapshot record");
    }
    if (!fresh) {
        char old[4300];
        snprintf(old, sizeof old, "%s/snapshots/.tmp-old-%s", d->opt.state_dir, s->template_id);
        fs_remove_now_or_later(d->rt, s->dir, old);
    }
    if (rename(tmp, s->dir) < 0) {
        int e = errno;
        rm_tree(tmp);
        free(next.lowers);
        if (fresh) free(s);
        return error_set(err, ERROR_GENERIC, "snapshot: %s", strerror(e));
    }
    snprintf(next.dir, sizeof next.dir, "%s", s->dir);
    free(s->lowers);
    *s = next;
    if (fresh && add(d, s) < 0) {
        rm_tree(s->dir);
        free(s->lowers);
        free(s);
        return error_set(err, ERROR_GENERIC, "out of memory");
    }
    if (!fresh) { /* newest last */
        struct snapshots *ss = d->snaps;
        for (size_t i = 0; i < ss->n; i++)
            if (ss->v[i] == s) {
                memmove(&ss->v[i], &ss->v[i + 1], (ss->n - i - 1) * sizeof *ss->v);
                ss->v[ss->n - 1] = s;
                break;
            }
    }
    *out = s;
    return 0;
}

int snapshot_delete(struct daemon *d, struct snapshot *s, struct error *err)
{
    for (size_t i = 0; i < d->n_sbx; i++)
        if (strcmp(d->sbx[i]->template_id, s->template_id) == 0)
            return error_set(err, ERROR_CONFLICT,
                             "cannot delete the snapshot: sandbox %s was created from it "
                             "and still exists",
                             d->sbx[i]->id);
    /* renamed into the runtime's graveyard and deleted by a child: a big snapshot must not
     * freeze the loop; the name is free at once (the next start finishes a leftover) */
    char trash[4300];
    snprintf(trash, sizeof trash, "%s/snapshots/.tmp-del-%s", d->opt.state_dir, s->template_id);
    fs_remove_now_or_later(d->rt, s->dir, trash);
    struct snapshots *ss = d->snaps;
    for (size_t i = 0; i < ss->n; i++)
        if (ss->v[i] == s) {
            memmove(&ss->v[i], &ss->v[i + 1], (ss->n - i - 1) * sizeof *ss->v);
            ss->n--;
            break;
        }
    free(s->lowers);
    free(s);
    tpl_layers_gc(d); /* the template's layers may have waited for this snapshot */
    return 0;
}
