/* tpl.c - template and build records, tags, layers on disk (see tpl.h). */
#include "config.h"

#include <dirent.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

#include "boxtop/buf.h"
#include "boxtop/json.h"
#include "boxtop/log.h"
#include "boxtop/loop.h"
#include "daemon.h"
#include "fsutil.h"
#include "ids.h"
#include "runtime/runtime.h"
#include "sandbox.h"
#include "snapshot.h"
#include "tpl.h"

const char *tpl_status_name(enum tpl_status s)
{
    static const char *const names[] = {"waiting", "building", "ready", "error"};
    return names[s];
}

static enum tpl_status status_parse(const char *s)
{
    if (s && strcmp(s, "ready") == 0) return TPL_READY;
    if (s && strcmp(s, "waiting") == 0) return TPL_WAITING;
    return TPL_ERROR; /* a build that was running when boxtopd stopped did not finish */
}

void tpl_layer_dir(const struct daemon *d, const char *key, char *out, size_t n)
{
    snprintf(out, n, "%s/templates/layers/%s", d->opt.state_dir, key);
}

char *tpl_lowers(const struct daemon *d, const struct tpl_build *b)
{
    struct buf out = BUF_INIT;
    char dir[4200];
    tpl_layer_dir(d, b->layer, dir, sizeof dir);
    buf_printf(&out, "%s/upper\n", dir);
    for (const char *p = b->parents ? b->parents : ""; *p;) {
        size_t n = strcspn(p, "\n");
        if (n > 0 && n < 72) {
            char key[72];
            snprintf(key, sizeof key, "%.*s", (int)n, p);
            tpl_layer_dir(d, key, dir, sizeof dir);
            buf_printf(&out, "%s/upper\n", dir);
        }
        p += n + (p[n] == '\n');
    }
    char *r = buf_steal(&out);
    return r ? r : strdup("");
}

static void record_path(const struct daemon *d, const char *id, char *out, size_t n)
{
    snprintf(out, n, "%s/templates/%s.json", d->opt.state_dir, id);
}

/* ------------------------------------------------------------------ names */

static bool alias_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

int tpl_name_parse(const char *in, char *alias, size_t an, char *tag, size_t tn, struct error *err)
{
    char buf[160];
    while (in && (*in == ' ' || *in == '\t'))
        in++;
    size_t len = in ? strlen(in) : 0;
    while (len && (in[len - 1] == ' ' || in[len - 1] == '\t'))
        len--;
    if (!len) return error_set(err, ERROR_USAGE, "Name is required");
    if (len >= sizeof buf) return error_set(err, ERROR_USAGE, "Invalid name: too long");
    for (size_t i = 0; i < len; i++)
        buf[i] = (in[i] >= 'A' && in[i] <= 'Z') ? (char)(in[i] - 'A' + 'a') : in[i];
    buf[len] = '\0';
    char *a = buf, *slash = strchr(buf, '/');
    if (slash) {
        *slash = '\0';
        if (strcmp(buf, TEAM_ID) != 0)
            return error_set(err, ERROR_USAGE, "namespace '%.40s' must match your team '%s'", buf,
                             TEAM_ID);
        a = slash + 1;
    }
    char *colon = strchr(a, ':');
    const char *t = "";
    if (colon) {
        *colon = '\0';
        t = colon + 1;
        if (strcmp(t, "default") == 0) t = "";
    }
    size_t al = strlen(a), tl = strlen(t);
    if (!al || al > TPL_ALIAS_MAX || al >= an)
        return error_set(err, ERROR_USAGE, "Invalid name: must be 1 to %d characters",
                         TPL_ALIAS_MAX);
    for (const char *p = a; *p; p++)
        if (!alias_char(*p))
            return error_set(err, ERROR_USAGE,
                             "Invalid name: only letters, digits, '-' and '_' are allowed");
    if (tl >= TPL_TAG_MAX || tl >= tn) return error_set(err, ERROR_USAGE, "Invalid tag: too long");
    for (const char *p = t; *p; p++)
        if (!alias_char(*p) && *p != '.')
            return error_set(err, ERROR_USAGE,
                             "Invalid tag: only letters, digits, '-', '_' and '.' are allowed");
    memcpy(alias, a, al + 1);
    memcpy(tag, t, tl + 1);
    return 0;
}

/* ------------------------------------------------------------------ lookup */

struct tpl_build *tpl_build_find(struct tpl *t, const char *bid)
{
    for (size_t i = 0; i < t->n_builds; i++)
        if (strcmp(t->builds[i]->id, bid) == 0) return t->builds[i];
    return NULL;
}

static struct tpl_build *tagged(struct tpl *t, const char *tag)
{
    for (size_t i = 0; i < t->n_tags; i++)
        if (strcmp(t->tags[i].name, tag) == 0) return tpl_build_find(t, t->tags[i].build);
    return NULL;
}

struct tpl_build *tpl_current(struct tpl *t)
{
    struct tpl_build *b = tagged(t, "default");
    if (b && b->status == TPL_READY) return b;
    for (size_t i = t->n_builds; i-- > 0;)
        if (t->builds[i]->status == TPL_READY) return t->builds[i];
    return NULL;
}

struct tpl *tpl_find(struct daemon *d, const char *ref, struct tpl_build **build)
{
    char buf[160];
    if (build) *build = NULL;
    if (!d->tpls || !ref || strlen(ref) >= sizeof buf) return NULL;
    snprintf(buf, sizeof buf, "%s", ref);
    char *name = buf, *slash = strchr(buf, '/');
    if (slash) {
        *slash = '\0';
        if (strcmp(buf, TEAM_ID) != 0) return NULL;
        name = slash + 1;
    }
    char *colon = strchr(name, ':');
    const char *tag = NULL;
    if (colon) {
        *colon = '\0';
        tag = colon + 1;
    }
    for (size_t i = 0; i < d->tpls->n; i++) {
        struct tpl *t = d->tpls->v[i];
        if (strcmp(t->id, name) != 0 && strcmp(t->alias, name) != 0) continue;
        if (build) *build = tag ? tagged(t, tag) : tpl_current(t);
        if (tag && (!build || !*build) && !tagged(t, tag)) return NULL;
        return t;
    }
    return NULL;
}

/* ------------------------------------------------------------------ records */

static void build_free(struct tpl_build *b)
{
    if (!b) return;
    for (size_t i = 0; i < b->n_logs; i++)
        free(b->logs[i].msg);
    free(b->logs);
    free(b->reason);
    free(b->parents);
    free(b->user);
    free(b->workdir);
    free(b->start_cmd);
    free(b->ready_cmd);
    cJSON_Delete(b->envs);
    free(b);
}

static void tpl_free_one(struct tpl *t)
{
    for (size_t i = 0; i < t->n_builds; i++)
        build_free(t->builds[i]);
    free(t->builds);
    free(t->tags);
    free(t);
}

void tpl_log_add(struct tpl_build *b, int level, const char *step, const char *fmt, ...)
{
    if (b->n_logs >= TPL_LOG_MAX) return;
    if (b->n_logs == b->cap_logs) {
        size_t nc = b->cap_logs ? b->cap_logs * 2 : 32;
        struct tpl_log *nl = realloc(b->logs, nc * sizeof *nl);
        if (!nl) return;
        b->logs = nl;
        b->cap_logs = nc;
    }
    struct buf m = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    int rc = buf_vprintf(&m, fmt, ap);
    va_end(ap);
    if (rc < 0) return;
    struct tpl_log *l = &b->logs[b->n_logs++];
    l->ms = loop_wall_ms();
    l->level = level;
    snprintf(l->step, sizeof l->step, "%s", step ? step : "");
    l->msg = buf_steal(&m);
    if (!l->msg) l->msg = strdup("");
    b->updated_ms = l->ms;
}

struct tpl *tpl_new(struct daemon *d, const char *alias, struct error *err)
{
    struct tpl *t = calloc(1, sizeof *t);
    struct tpl **nv = t ? realloc(d->tpls->v, (d->tpls->n + 1) * sizeof *nv) : NULL;
    if (!nv) {
        free(t);
        error_set(err, ERROR_GENERIC, "out of memory");
        return NULL;
    }
    d->tpls->v = nv;
    static const char alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    unsigned char r[20];
    if (ids_random(r, sizeof r) < 0) {
        free(t);
        error_set(err, ERROR_GENERIC, "no randomness");
        return NULL;
    }
    for (size_t i = 0; i < 20; i++)
        t->id[i] = alnum[r[i] % 36];
    snprintf(t->alias, sizeof t->alias, "%s", alias);
    t->created_ms = t->updated_ms = loop_wall_ms();
    d->tpls->v[d->tpls->n++] = t;
    return t;
}

struct tpl_build *tpl_build_add(struct tpl *t, int cpu, int memory_mb, struct error *err)
{
    struct tpl_build *b = calloc(1, sizeof *b);
    struct tpl_build **nv = b ? realloc(t->builds, (t->n_builds + 1) * sizeof *nv) : NULL;
    if (!nv || ids_uuid4(b->id, sizeof b->id) < 0) {
        free(b);
        error_set(err, ERROR_GENERIC, "out of memory");
        return NULL;
    }
    t->builds = nv;
    b->status = TPL_WAITING;
    b->created_ms = b->updated_ms = loop_wall_ms();
    b->cpu = cpu;
    b->memory_mb = memory_mb;
    t->builds[t->n_builds++] = b;
    return b;
}

int tpl_tag_set(struct tpl *t, const char *tag, const char *bid)
{
    for (size_t i = 0; i < t->n_tags; i++)
        if (strcmp(t->tags[i].name, tag) == 0) {
            snprintf(t->tags[i].build, sizeof t->tags[i].build, "%s", bid);
            t->tags[i].at_ms = loop_wall_ms();
            return 0;
        }
    struct tpl_tag *nt = realloc(t->tags, (t->n_tags + 1) * sizeof *nt);
    if (!nt) return -1;
    t->tags = nt;
    struct tpl_tag *g = &t->tags[t->n_tags++];
    snprintf(g->name, sizeof g->name, "%s", tag);
    snprintf(g->build, sizeof g->build, "%s", bid);
    g->at_ms = loop_wall_ms();
    return 0;
}

bool tpl_tag_remove(struct tpl *t, const char *tag)
{
    for (size_t i = 0; i < t->n_tags; i++)
        if (strcmp(t->tags[i].name, tag) == 0) {
            t->tags[i] = t->tags[--t->n_tags];
            return true;
        }
    return false;
}

int64_t tpl_layers_bytes(const struct daemon *d)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/templates/layers", d->opt.state_dir);
    return fs_tree_bytes(dir);
}

static bool key_name(const char *s)
{
    size_t n = strlen(s);
    return n == 64 && strspn(s, "0123456789abcdef") == n;
}

bool tpl_lowers_valid(const struct daemon *d, const char *text)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/templates/layers/", d->opt.state_dir);
    size_t dl = strlen(dir);
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        /* DIR/templates/layers/<64 hex>/upper */
        if (n != dl + 64 + 6 || strncmp(p, dir, dl) != 0 ||
            strspn(p + dl, "0123456789abcdef") != 64 || strncmp(p + dl + 64, "/upper", 6) != 0)
            return false;
        p += n + (p[n] == '\n');
    }
    return true;
}

static bool layer_in_use(struct daemon *d, const char *key)
{
    for (size_t i = 0; d->tpls && i < d->tpls->n; i++)
        for (size_t j = 0; j < d->tpls->v[i]->n_builds; j++) {
            const struct tpl_build *b = d->tpls->v[i]->builds[j];
            if ((b->layer[0] && !strcmp(b->layer, key)) || (b->parents && strstr(b->parents, key)))
                return true;
        }
    for (size_t i = 0; i < d->n_sbx; i++)
        if (d->sbx[i]->rt && strstr(rt_sandbox_lowers(d->sbx[i]->rt), key)) return true;
    for (size_t i = 0; d->snaps && i < d->snaps->n; i++)
        if (d->snaps->v[i]->lowers && strstr(d->snaps->v[i]->lowers, key)) return true;
    return false; /* a running build's parents are on its build record already */
}

void tpl_layers_gc(struct daemon *d)
{
    char dir[4200], p[4400];
    if (!d->tpls || !d->snaps) return; /* not all users known yet (startup) */
    snprintf(dir, sizeof dir, "%s/templates/layers", d->opt.state_dir);
    DIR *dh = opendir(dir);
    if (!dh) return;
    struct dirent *e;
    while ((e = readdir(dh))) {
        if (!key_name(e->d_name) || layer_in_use(d, e->d_name)) continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        log_msg(d->log, LOG_INFO, "template layer %.12s freed", e->d_name);
        if (rt_remove_later(d->rt, p) < 0) fs_remove_tree(p); /* off the loop when it can */
    }
    closedir(dh);
}

void tpl_delete(struct daemon *d, struct tpl *t)
{
    char p[4200];
    record_path(d, t->id, p, sizeof p);
    unlink(p);
    for (size_t i = 0; i < d->tpls->n; i++)
        if (d->tpls->v[i] == t) {
            memmove(&d->tpls->v[i], &d->tpls->v[i + 1], (d->tpls->n - i - 1) * sizeof t);
            d->tpls->n--;
            break;
        }
    tpl_free_one(t);
    tpl_layers_gc(d);
}

/* ------------------------------------------------------------------ JSON */

static void add_time(cJSON *o, const char *k, int64_t ms)
{
    if (!ms) {
        cJSON_AddNullToObject(o, k);
        return;
    }
    json_add_time(o, k, ms);
}

cJSON *tpl_build_json(const struct tpl_build *b)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "buildID", b->id);
    cJSON_AddStringToObject(o, "status", tpl_status_name(b->status));
    add_time(o, "createdAt", b->created_ms);
    add_time(o, "updatedAt", b->updated_ms);
    if (b->finished_ms) add_time(o, "finishedAt", b->finished_ms);
    cJSON_AddNumberToObject(o, "cpuCount", b->cpu);
    cJSON_AddNumberToObject(o, "memoryMB", b->memory_mb);
    cJSON_AddNumberToObject(o, "diskSizeMB", 2048);
    cJSON_AddStringToObject(o, "envdVersion", ENVD_VERSION);
    return o;
}

static cJSON *names_json(const struct tpl *t, bool with_ns)
{
    cJSON *a = cJSON_CreateArray();
    char n[TPL_ALIAS_MAX + 40];
    snprintf(n, sizeof n, "%s%s%s", with_ns ? TEAM_ID : "", with_ns ? "/" : "", t->alias);
    if (a && t->alias[0]) cJSON_AddItemToArray(a, cJSON_CreateString(n));
    return a;
}

cJSON *tpl_json(struct daemon *d, const struct tpl *t, bool with_builds)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    const struct tpl_build *last = t->n_builds ? t->builds[t->n_builds - 1] : NULL;
    const struct tpl_build *cur = tpl_current((struct tpl *)t);
    int64_t spawned = 0;
    int spawns = 0;
    for (size_t i = 0; i < d->n_sbx; i++)
        if (strcmp(d->sbx[i]->template_id, t->id) == 0) {
            spawns++;
            if (d->sbx[i]->started_at_ms > spawned) spawned = d->sbx[i]->started_at_ms;
        }
    cJSON_AddStringToObject(o, "templateID", t->id);
    if (!with_builds) cJSON_AddStringToObject(o, "buildID", cur ? cur->id : last ? last->id : "");
    cJSON_AddNumberToObject(o, "cpuCount", last ? last->cpu : 2);
    cJSON_AddNumberToObject(o, "memoryMB", last ? last->memory_mb : 1024);
    cJSON_AddNumberToObject(o, "diskSizeMB", 2048);
    cJSON_AddBoolToObject(o, "public", t->public);
    cJSON_AddItemToObject(o, "aliases", names_json(t, false));
    cJSON_AddItemToObject(o, "names", names_json(t, true));
    add_time(o, "createdAt", t->created_ms);
    add_time(o, "updatedAt", t->updated_ms);
    add_time(o, "lastSpawnedAt", spawned);
    cJSON_AddNumberToObject(o, "spawnCount", spawns);
    if (with_builds) {
        cJSON *a = cJSON_AddArrayToObject(o, "builds");
        for (size_t i = t->n_builds; a && i-- > 0;)
            cJSON_AddItemToArray(a, tpl_build_json(t->builds[i]));
    } else {
        cJSON_AddNullToObject(o, "createdBy");
        cJSON_AddNumberToObject(o, "buildCount", (double)t->n_builds);
        cJSON_AddStringToObject(o, "envdVersion", ENVD_VERSION);
        cJSON_AddStringToObject(o, "buildStatus", last ? tpl_status_name(last->status) : "waiting");
    }
    cJSON *tags = cJSON_AddArrayToObject(o, "tags");
    for (size_t i = 0; tags && i < t->n_tags; i++)
        cJSON_AddItemToArray(tags, cJSON_CreateString(t->tags[i].name));
    return o;
}

/* ------------------------------------------------------------------ persistence */

static cJSON *record_json(const struct tpl *t)
{
    cJSON *o = cJSON_CreateObject(), *bs, *tags;
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "id", t->id);
    cJSON_AddStringToObject(o, "alias", t->alias);
    cJSON_AddBoolToObject(o, "public", t->public);
    cJSON_AddNumberToObject(o, "created", (double)t->created_ms);
    cJSON_AddNumberToObject(o, "updated", (double)t->updated_ms);
    tags = cJSON_AddArrayToObject(o, "tags");
    for (size_t i = 0; tags && i < t->n_tags; i++) {
        cJSON *g = cJSON_CreateObject();
        cJSON_AddStringToObject(g, "tag", t->tags[i].name);
        cJSON_AddStringToObject(g, "build", t->tags[i].build);
        cJSON_AddNumberToObject(g, "at", (double)t->tags[i].at_ms);
        cJSON_AddItemToArray(tags, g);
    }
    bs = cJSON_AddArrayToObject(o, "builds");
    for (size_t i = 0; bs && i < t->n_builds; i++) {
        const struct tpl_build *b = t->builds[i];
        cJSON *j = cJSON_CreateObject(), *logs;
        if (!j) break;
        cJSON_AddStringToObject(j, "id", b->id);
        cJSON_AddStringToObject(j, "status", tpl_status_name(b->status));
        cJSON_AddNumberToObject(j, "created", (double)b->created_ms);
        cJSON_AddNumberToObject(j, "updated", (double)b->updated_ms);
        cJSON_AddNumberToObject(j, "finished", (double)b->finished_ms);
        cJSON_AddNumberToObject(j, "cpu", b->cpu);
        cJSON_AddNumberToObject(j, "memory", b->memory_mb);
        if (b->reason) cJSON_AddStringToObject(j, "reason", b->reason);
        cJSON_AddStringToObject(j, "reasonStep", b->reason_step);
        cJSON_AddStringToObject(j, "layer", b->layer);
        if (b->stacked) cJSON_AddBoolToObject(j, "stacked", true);
        if (b->parents) cJSON_AddStringToObject(j, "parents", b->parents);
        cJSON_AddNumberToObject(j, "idbase", b->idbase);
        cJSON_AddNumberToObject(j, "bytes", (double)b->bytes);
        if (b->user) cJSON_AddStringToObject(j, "user", b->user);
        if (b->workdir) cJSON_AddStringToObject(j, "workdir", b->workdir);
        if (b->start_cmd) cJSON_AddStringToObject(j, "startCmd", b->start_cmd);
        if (b->ready_cmd) cJSON_AddStringToObject(j, "readyCmd", b->ready_cmd);
        if (b->envs) cJSON_AddItemToObject(j, "envs", cJSON_Duplicate(b->envs, true));
        logs = cJSON_AddArrayToObject(j, "logs");
        for (size_t k = 0; logs && k < b->n_logs; k++) {
            cJSON *l = cJSON_CreateObject();
            cJSON_AddNumberToObject(l, "t", (double)b->logs[k].ms);
            cJSON_AddNumberToObject(l, "l", b->logs[k].level);
            cJSON_AddStringToObject(l, "s", b->logs[k].step);
            cJSON_AddStringToObject(l, "m", b->logs[k].msg);
            cJSON_AddItemToArray(logs, l);
        }
        cJSON_AddItemToArray(bs, j);
    }
    return o;
}

int tpl_save(struct daemon *d, struct tpl *t)
{
    char p[4200];
    struct error err;
    snprintf(p, sizeof p, "%s/templates", d->opt.state_dir);
    if (fs_mkdir_p(p, 0700, &err) < 0) return -1;
    record_path(d, t->id, p, sizeof p);
    cJSON *o = record_json(t);
    char *text = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    if (!text) return -1;
    int rc = fs_write_atomic(p, text, strlen(text), 0600, &err);
    free(text);
    if (rc < 0) log_msg(d->log, LOG_ERROR, "template %s: %s", t->id, err.msg);
    return rc;
}

static char *jdup(const cJSON *o, const char *k)
{
    const char *s = json_str(o, k);
    return s ? strdup(s) : NULL;
}

static struct tpl *record_parse(const cJSON *o)
{
    const char *id = json_str(o, "id"), *alias = json_str(o, "alias");
    if (!id || strlen(id) != 20 || !alias || strlen(alias) > TPL_ALIAS_MAX) return NULL;
    struct tpl *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    snprintf(t->id, sizeof t->id, "%s", id);
    snprintf(t->alias, sizeof t->alias, "%s", alias);
    t->public = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "public"));
    t->created_ms = json_int(o, "created", 0, JSON_INT_MAX, 0);
    t->updated_ms = json_int(o, "updated", 0, JSON_INT_MAX, 0);
    const cJSON *g, *j;
    cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(o, "tags"))
    {
        if (json_str(g, "tag") && json_str(g, "build") && strlen(json_str(g, "tag")) < TPL_TAG_MAX)
            tpl_tag_set(t, json_str(g, "tag"), json_str(g, "build"));
    }
    cJSON_ArrayForEach(j, cJSON_GetObjectItemCaseSensitive(o, "builds"))
    {
        struct error err;
        struct tpl_build *b = tpl_build_add(t, (int)json_int(j, "cpu", 0, INT_MAX, 0),
                                            (int)json_int(j, "memory", 0, INT_MAX, 0), &err);
        if (!b) break;
        snprintf(b->id, sizeof b->id, "%s", json_str(j, "id") ? json_str(j, "id") : "");
        b->status = status_parse(json_str(j, "status"));
        b->created_ms = json_int(j, "created", 0, JSON_INT_MAX, 0);
        b->updated_ms = json_int(j, "updated", 0, JSON_INT_MAX, 0);
        b->finished_ms = json_int(j, "finished", 0, JSON_INT_MAX, 0);
        b->reason = jdup(j, "reason");
        snprintf(b->reason_step, sizeof b->reason_step, "%s",
                 json_str(j, "reasonStep") ? json_str(j, "reasonStep") : "");
        snprintf(b->layer, sizeof b->layer, "%s", json_str(j, "layer") ? json_str(j, "layer") : "");
        b->stacked = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "stacked"));
        if (b->status == TPL_READY) b->parents = jdup(j, "parents"); /* else it holds none */
        b->idbase = (uint32_t)json_int(j, "idbase", 0, UINT32_MAX, 0);
        b->bytes = json_int(j, "bytes", 0, JSON_INT_MAX, 0);
        b->user = jdup(j, "user");
        b->workdir = jdup(j, "workdir");
        b->start_cmd = jdup(j, "startCmd");
        b->ready_cmd = jdup(j, "readyCmd");
        const cJSON *ev = cJSON_GetObjectItemCaseSensitive(j, "envs");
        if (cJSON_IsObject(ev)) b->envs = cJSON_Duplicate(ev, true);
        if (!json_str(j, "status") || strcmp(json_str(j, "status"), "building") == 0) {
            if (!b->reason) b->reason = strdup("build was interrupted by a boxtopd restart");
            b->finished_ms = b->updated_ms;
        }
        const cJSON *l;
        cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(j, "logs"))
        {
            tpl_log_add(b, (int)json_int(l, "l", INT_MIN, INT_MAX, 0), json_str(l, "s"), "%s",
                        json_str(l, "m") ? json_str(l, "m") : "");
            b->logs[b->n_logs - 1].ms = json_int(l, "t", 0, JSON_INT_MAX, 0);
        }
    }
    return t;
}

int tpls_load(struct daemon *d, struct error *err)
{
    char dir[4200], p[4400];
    d->tpls = calloc(1, sizeof *d->tpls);
    if (!d->tpls) return error_set(err, ERROR_GENERIC, "out of memory");
    snprintf(dir, sizeof dir, "%s/templates", d->opt.state_dir);
    DIR *dh = opendir(dir);
    if (!dh) return 0;
    struct dirent *e;
    while ((e = readdir(dh))) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".json") != 0) continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct error e2;
        cJSON *o;
        if (fs_read_json(p, 64u << 20, &o, &e2) < 0) continue;
        struct tpl *t = o ? record_parse(o) : NULL;
        cJSON_Delete(o);
        struct tpl **nv = t ? realloc(d->tpls->v, (d->tpls->n + 1) * sizeof *nv) : NULL;
        if (!nv) {
            if (t) tpl_free_one(t);
            log_msg(d->log, LOG_WARN, "template record %s: unreadable, skipped", e->d_name);
            continue;
        }
        d->tpls->v = nv;
        d->tpls->v[d->tpls->n++] = t;
    }
    closedir(dh);
    return 0;
}

void tpls_free(struct daemon *d)
{
    if (!d->tpls) return;
    for (size_t i = 0; i < d->tpls->n; i++)
        tpl_free_one(d->tpls->v[i]);
    free(d->tpls->v);
    free(d->tpls);
    d->tpls = NULL;
}

void tpl_list_add(struct daemon *d, cJSON *arr)
{
    for (size_t i = 0; d->tpls && i < d->tpls->n; i++)
        if (tpl_current(d->tpls->v[i]))
            cJSON_AddItemToArray(arr, tpl_json(d, d->tpls->v[i], false));
}
