/* snapshot.c - snapshot records and their copies in DIR/snapshots (see snapshot.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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
              strlen(sid) < sizeof s->sandbox_id && json_int(o, "idbase", 0, UINT32_MAX, -1) >= 0 &&
              (!*name || snapshot_name_parse(name, nn, sizeof nn, tt, sizeof tt, &err) == 0);
    if (ok) {
        snprintf(s->template_id, sizeof s->template_id, "%s", tid);
        snprintf(s->name, sizeof s->name, "%s", name);
        snprintf(s->tag, sizeof s->tag, "%s", *tag ? tag : "default");
        snprintf(s->sandbox_id, sizeof s->sandbox_id, "%s", sid);
        s->created_ms = json_int(o, "createdMs", 0, JSON_INT_MAX, -1);
        s->bytes = json_int(o, "bytes", 0, JSON_INT_MAX, -1);
        s->idbase = (uint32_t)json_int(o, "idbase", 0, UINT32_MAX, -1);
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

static int tmp_path(struct daemon *d, char *dir, size_t n, struct error *err)
{
    char rnd[24], leaf[40];
    if (ids_random_hex(rnd, 8) < 0) return error_set(err, ERROR_GENERIC, "no randomness");
    snprintf(leaf, sizeof leaf, ".tmp-%s", rnd);
    if (dir_path(d, leaf, dir, n) < 0) return error_set(err, ERROR_GENERIC, "path too long");
    return 0;
}

void snapshot_tmp_remove(struct daemon *d, const char *dir)
{
    if (rmdir(dir) < 0 && errno != ENOENT) fs_remove_now_or_later(d->rt, dir, NULL);
}

/* A snapshot being copied (rt_sandbox_copy_start): what it becomes once the copy is in. */
struct pending {
    struct daemon *d;
    char name[SNAPSHOT_NAME_MAX + 8], tag[32], tid[24];
    char sandbox_id[IDS_SANDBOX_MAX + 1];
    char tmp[4096];
    uint32_t idbase;
    char *lowers;
    snapshot_done_fn done;
    void *ud;
};

/* The copy in tmp becomes snapshot s (fresh: not listed yet): record written into it, then
 * renamed in whole, so a snapshot directory is complete or absent; an earlier build of the
 * same name is swapped out in one step (RENAME_EXCHANGE) and deleted off the loop. */
static int publish(struct pending *p, int64_t bytes, struct snapshot **out, struct error *err)
{
    struct daemon *d = p->d;
    struct snapshot *s = NULL;
    for (size_t i = 0; p->name[0] && i < d->snaps->n; i++)
        if (strcmp(d->snaps->v[i]->name, p->name) == 0 && strcmp(d->snaps->v[i]->tag, p->tag) == 0)
            s = d->snaps->v[i];
    bool fresh = s == NULL;
    if (fresh) {
        s = calloc(1, sizeof *s);
        if (!s) return error_set(err, ERROR_GENERIC, "out of memory");
        snprintf(s->template_id, sizeof s->template_id, "%s", p->tid);
        snprintf(s->name, sizeof s->name, "%s", p->name);
        snprintf(s->tag, sizeof s->tag, "%s", p->tag);
        dir_path(d, s->template_id, s->dir, sizeof s->dir);
    }
    struct snapshot next = *s; /* the same name again: a new build of it (its id stays) */
    snprintf(next.sandbox_id, sizeof next.sandbox_id, "%s", p->sandbox_id);
    next.created_ms = loop_wall_ms();
    next.bytes = bytes;
    next.idbase = p->idbase;
    next.lowers = p->lowers;
    snprintf(next.dir, sizeof next.dir, "%s", p->tmp);
    if (save(d, &next, err) < 0) {
        if (fresh) free(s);
        return error_prefix(err, "snapshot record");
    }
    int rc = fresh ? rename(p->tmp, s->dir)
                   : renameat2(AT_FDCWD, p->tmp, AT_FDCWD, s->dir, RENAME_EXCHANGE);
    if (rc < 0 && !fresh && (errno == EINVAL || errno == ENOSYS)) { /* no exchange here */
        char old[sizeof p->tmp];
        rc = dir_path(d, ".tmp-old-", old, sizeof old - sizeof s->template_id);
        strcat(old, s->template_id);
        if (rc == 0 && (rc = rename(s->dir, old)) == 0 && (rc = rename(p->tmp, s->dir)) < 0) {
            int e = errno;
            rename(old, s->dir); /* the old build stays */
            errno = e;
        }
        if (rc == 0) memcpy(p->tmp, old, sizeof old);
    }
    if (rc < 0) {
        int e = errno;
        if (fresh) free(s);
        return error_set(err, ERROR_GENERIC, "snapshot: %s", strerror(e));
    }
    if (!fresh) fs_remove_now_or_later(d->rt, p->tmp, NULL); /* the old build, swapped out */
    p->lowers = NULL;
    snprintf(next.dir, sizeof next.dir, "%s", s->dir);
    free(s->lowers);
    *s = next;
    struct snapshots *ss = d->snaps;
    if (fresh && add(d, s) < 0) { /* a rare loss: the next start lists it again */
        free(s->lowers);
        free(s);
        return error_set(err, ERROR_GENERIC, "out of memory");
    }
    for (size_t i = 0; !fresh && i < ss->n; i++) /* newest last */
        if (ss->v[i] == s) {
            memmove(&ss->v[i], &ss->v[i + 1], (ss->n - i - 1) * sizeof *ss->v);
            ss->v[ss->n - 1] = s;
            break;
        }
    *out = s;
    return 0;
}

static void copied(void *ud, int64_t bytes, const struct error *cerr)
{
    struct pending *p = ud;
    struct snapshot *s = NULL;
    struct error err = {0};
    if (cerr) {
        err = *cerr;
        error_prefix(&err, "snapshot");
    } else {
        publish(p, bytes, &s, &err);
    }
    if (!s) fs_remove_now_or_later(p->d->rt, p->tmp, NULL); /* the partial copy */
    p->done(p->ud, s, s ? NULL : &err);
    free(p->lowers);
    free(p);
}

int snapshot_create_start(struct daemon *d, struct sbx *src, const char *name,
                          snapshot_done_fn done, void *ud, struct error *err)
{
    char sid[IDS_SANDBOX_MAX + 1];
    struct pending *p = calloc(1, sizeof *p);
    if (!p) return error_set(err, ERROR_GENERIC, "out of memory");
    snprintf(p->tag, sizeof p->tag, "default");
    if (name && *name &&
        snapshot_name_parse(name, p->name, sizeof p->name, p->tag, sizeof p->tag, err) < 0)
        goto fail;
    if (!src->rt) {
        error_set(err, ERROR_CONFLICT, "the sandbox's files are not loaded");
        goto fail;
    }
    if (ids_new_sandbox_id(sid, sizeof sid) < 0) {
        error_set(err, ERROR_GENERIC, "no randomness");
        goto fail;
    }
    snprintf(p->tid, sizeof p->tid, "%.20s", sid + 1); /* 20 random [a-z0-9] */
    snprintf(p->sandbox_id, sizeof p->sandbox_id, "%s", src->id);
    const char *lw = rt_sandbox_lowers(src->rt);
    p->lowers = *lw ? strdup(lw) : NULL;
    if (*lw && !p->lowers) {
        error_set(err, ERROR_GENERIC, "out of memory");
        goto fail;
    }
    p->d = d;
    p->done = done;
    p->ud = ud;
    if (tmp_path(d, p->tmp, sizeof p->tmp, err) < 0) goto fail;
    const char *dirs[1] = {p->tmp};
    if (rt_sandbox_copy_start(d->rt, src->rt, dirs, 1, &p->idbase, copied, p, err) < 0) goto fail;
    return 0;
fail:
    free(p->lowers);
    free(p);
    return error_prefix(err, "snapshot");
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
