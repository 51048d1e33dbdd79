/* events.c - lifecycle events: the append-only jsonl file in the state dir is the store; memory
 * holds a fixed index of the last EVENTS_CAP (where each line is in the file, and hashes of its
 * sandbox id and type so a query reads only the lines it may want).
 *
 * Why not the events themselves: as cJSON trees they cost ~2.2 kB each, so under steady churn
 * (make soak: ~1.5 events/s) boxtopd grew for hours until the cap (~44 MB). The index is
 * allocated and touched whole at open, so boxtopd's memory does not creep with events. A line
 * that could not be written (no fd, disk full) is kept in memory instead; nothing is lost.
 * The file is compacted to the live lines at open and whenever it holds 2 x EVENTS_CAP lines. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

#include "boxtop/json.h"
#include "boxtop/buf.h"
#include "boxtop/loop.h"
#include "api/dapi.h"
#include "events.h"
#include "fsutil.h"
#include "sandbox.h"

#define EVENTS_FILE_MAX (64u << 20) /* read back at open */

struct ev_ix {
    uint64_t off;       /* of the line in events.jsonl */
    uint32_t len;       /* without the newline */
    uint64_t sid_hash;  /* of sandboxId, 0 when it has none */
    uint64_t type_hash; /* of type */
    char *mem;          /* the line itself when it is not in the file (NUL-terminated) */
};

struct events {
    struct ev_ix *v; /* ring of EVENTS_CAP */
    size_t head, n;
    int fd;            /* events.jsonl: read + append */
    size_t file_lines; /* lines appended since the last compaction */
    char path[4096];
    events_hook_fn hook;
    void *hook_ud;
};

void events_set_hook(struct events *ev, events_hook_fn fn, void *ud)
{
    if (!ev) return;
    ev->hook = fn;
    ev->hook_ud = ud;
}

const char *events_label(const char *t)
{
    if (!strcmp(t, "created")) return "create";
    if (!strcmp(t, "paused")) return "pause";
    if (!strcmp(t, "resumed")) return "resume";
    if (!strcmp(t, "updated")) return "update";
    if (!strcmp(t, "killed")) return "kill";
    return "unknown";
}

static uint64_t hash_str(const char *s) /* FNV-1a; never 0 (0 = no value) */
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h ? h : 1;
}

static uint64_t hash_member(const cJSON *e, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, name);
    return cJSON_IsString(v) ? hash_str(v->valuestring) : 0;
}

static struct ev_ix *ring_push(struct events *ev)
{
    struct ev_ix *x = &ev->v[ev->head];
    free(x->mem);
    memset(x, 0, sizeof *x);
    ev->head = (ev->head + 1) % EVENTS_CAP;
    if (ev->n < EVENTS_CAP) ev->n++;
    return x;
}

static struct ev_ix *ring_at(const struct events *ev, size_t i)
{
    size_t first = (ev->head + EVENTS_CAP - ev->n) % EVENTS_CAP;
    return &ev->v[(first + i) % EVENTS_CAP];
}

/* The event as a new object (NULL when its line cannot be read back or is not an object). */
static cJSON *ix_load(const struct events *ev, const struct ev_ix *x)
{
    if (x->mem) return cJSON_ParseWithLength(x->mem, x->len);
    if (ev->fd < 0) return NULL;
    char *line = malloc((size_t)x->len + 1);
    if (!line) return NULL;
    ssize_t got = pread(ev->fd, line, x->len, (off_t)x->off);
    cJSON *e = got == (ssize_t)x->len ? cJSON_ParseWithLength(line, x->len) : NULL;
    free(line);
    if (e && !cJSON_IsObject(e)) {
        cJSON_Delete(e);
        e = NULL;
    }
    return e;
}

static void reopen(struct events *ev)
{
    if (ev->fd >= 0) close(ev->fd);
    ev->fd = open(ev->path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
}

/* Compaction while running: the live lines in the file are its tail from the oldest live
 * line on (lines are appended in event order; lines kept in memory are not in the file), so
 * the tail becomes the new file and the offsets move down by where it began. */
static void compact(struct events *ev)
{
    uint64_t base = UINT64_MAX;
    struct error err;
    off_t end = ev->fd >= 0 ? lseek(ev->fd, 0, SEEK_END) : -1;

    for (size_t i = 0; i < ev->n && base == UINT64_MAX; i++)
        if (!ring_at(ev, i)->mem) base = ring_at(ev, i)->off;
    if (end < 0) return;
    if (base == UINT64_MAX) base = (uint64_t)end;
    size_t len = (size_t)((uint64_t)end - base);
    char *tail = malloc(len ? len : 1);
    if (!tail || pread(ev->fd, tail, len, (off_t)base) != (ssize_t)len ||
        fs_write_atomic(ev->path, tail, len, 0600, &err) < 0) {
        free(tail);
        ev->file_lines = ev->n; /* the old file and its offsets stay valid; retry later */
        return;
    }
    free(tail);
    for (size_t i = 0; i < ev->n; i++)
        if (!ring_at(ev, i)->mem) ring_at(ev, i)->off -= base;
    reopen(ev);
    ev->file_lines = ev->n;
}

/* Open: the last EVENTS_CAP well-formed object lines of the file (a torn last line after a
 * crash is skipped) are written back compactly and indexed. */
static void reload(struct events *ev)
{
    struct buf b = BUF_INIT, all = BUF_INIT;
    struct error err;

    if (fs_read_file(ev->path, &b, EVENTS_FILE_MAX, &err) == 0 && b.len) {
        char *p = b.data, *end = b.data + b.len;
        while (p < end) {
            char *nl = memchr(p, '\n', (size_t)(end - p));
            if (!nl) break;
            cJSON *e = cJSON_ParseWithLength(p, (size_t)(nl - p));
            if (cJSON_IsObject(e)) {
                struct ev_ix *x = ring_push(ev);
                x->off = (uint64_t)(p - b.data); /* in b for now */
                x->len = (uint32_t)(nl - p);
                x->sid_hash = hash_member(e, "sandboxId");
                x->type_hash = hash_member(e, "type");
            }
            cJSON_Delete(e);
            p = nl + 1;
        }
    }
    for (size_t i = 0; i < ev->n; i++) {
        struct ev_ix *x = ring_at(ev, i);
        buf_append(&all, b.data + x->off, x->len);
        buf_append_byte(&all, '\n');
    }
    bool written = fs_write_atomic(ev->path, all.data ? all.data : "", all.len, 0600, &err) == 0;
    uint64_t pos = 0;
    for (size_t i = 0; i < ev->n; i++) {
        struct ev_ix *x = ring_at(ev, i);
        if (written) {
            x->off = pos;
            pos += x->len + 1u;
        } else if (!(x->mem = strndup(b.data + x->off, x->len))) { /* the file is as it was */
            x->len = 0;
        }
    }
    buf_free(&all);
    buf_free(&b);
    ev->file_lines = ev->n;
}

int events_open(struct events **out, const char *state_dir)
{
    struct events *ev = calloc(1, sizeof *ev);

    *out = NULL;
    if (!ev) return -1;
    ev->fd = -1;
    /* the whole index now, touched: fixed memory from the start, not a slow creep */
    ev->v = malloc(EVENTS_CAP * sizeof *ev->v);
    if (!ev->v) {
        free(ev);
        return -1;
    }
    for (size_t i = 0; i < EVENTS_CAP; i++)
        ev->v[i] = (struct ev_ix){.off = UINT64_MAX};
    snprintf(ev->path, sizeof ev->path, "%s/events.jsonl", state_dir);
    reload(ev);
    reopen(ev);
    *out = ev;
    return 0;
}

void events_free(struct events *ev)
{
    if (!ev) return;
    for (size_t i = 0; i < EVENTS_CAP; i++)
        free(ev->v[i].mem);
    free(ev->v);
    if (ev->fd >= 0) close(ev->fd);
    free(ev);
}

void events_emit(struct events *ev, const struct sbx *s, const char *type, cJSON *data)
{
    char uuid[37], ts[64], full[64];
    cJSON *e;

    if (!ev) {
        cJSON_Delete(data);
        return;
    }
    e = cJSON_CreateObject();
    if (!e) {
        cJSON_Delete(data);
        return;
    }
    if (!data) data = cJSON_CreateObject();
    if (data && s->metadata)
        cJSON_AddItemToObject(data, "sandbox_metadata", cJSON_Duplicate(s->metadata, 1));
    ids_uuid4(uuid, sizeof uuid);
    json_format_time(loop_wall_ms(), ts, sizeof ts);
    snprintf(full, sizeof full, "sandbox.lifecycle.%s", type);
    cJSON_AddStringToObject(e, "version", "v2");
    cJSON_AddStringToObject(e, "id", uuid);
    cJSON_AddStringToObject(e, "type", full);
    cJSON_AddStringToObject(e, "eventCategory", "lifecycle");
    cJSON_AddStringToObject(e, "eventLabel", events_label(type));
    cJSON_AddStringToObject(e, "timestamp", ts);
    if (data)
        cJSON_AddItemToObject(e, "eventData", data);
    else
        cJSON_AddNullToObject(e, "eventData");
    cJSON_AddStringToObject(e, "sandboxId", s->id);
    cJSON_AddStringToObject(e, "sandboxExecutionId", s->execution_id);
    cJSON_AddStringToObject(e, "sandboxTemplateId", s->template_id);
    cJSON_AddStringToObject(e, "sandboxBuildId", s->template_id);
    cJSON_AddStringToObject(e, "sandboxTeamId", TEAM_ID);
    char *line = cJSON_PrintUnformatted(e);
    if (line) {
        struct ev_ix *x = ring_push(ev);
        size_t n = strlen(line);
        x->len = (uint32_t)n;
        x->sid_hash = hash_str(s->id);
        x->type_hash = hash_str(full);
        line[n] = '\n'; /* replaces the NUL: written as one append */
        ssize_t w = ev->fd >= 0 ? write(ev->fd, line, n + 1) : -1;
        off_t at = w == (ssize_t)(n + 1) ? lseek(ev->fd, 0, SEEK_CUR) : -1;
        if (at >= (off_t)(n + 1)) {
            x->off = (uint64_t)at - (n + 1);
            free(line);
            ev->file_lines++;
        } else { /* not in the file: the memory copy serves queries */
            if (w > 0 && write(ev->fd, "\n", 1) < 0) { /* a torn line stays its own line */
            }
            line[n] = '\0';
            x->mem = line;
        }
        if (ev->file_lines >= 2 * EVENTS_CAP) compact(ev);
    }
    if (ev->hook) ev->hook(ev->hook_ud, e);
    cJSON_Delete(e);
}

static bool type_wanted(const cJSON *e, const char *const *types, size_t ntypes)
{
    if (!types || !ntypes) return true;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(e, "type");
    if (!cJSON_IsString(t)) return false;
    for (size_t i = 0; i < ntypes; i++)
        if (strcmp(t->valuestring, types[i]) == 0) return true;
    return false;
}

cJSON *events_query(const struct events *ev, const char *sandbox_id, size_t offset, size_t limit,
                    bool order_asc, const char *const *types, size_t ntypes)
{
    cJSON *arr = cJSON_CreateArray();
    size_t skipped = 0, added = 0;
    uint64_t sid = sandbox_id ? hash_str(sandbox_id) : 0, th[16];
    bool filtered = sandbox_id || (types && ntypes);
    size_t nth = types && ntypes <= sizeof th / sizeof th[0] ? ntypes : 0; /* else: exact only */

    if (!arr || !ev) return arr;
    for (size_t i = 0; i < nth; i++)
        th[i] = hash_str(types[i]);
    for (size_t k = 0; k < ev->n && added < limit; k++) {
        const struct ev_ix *x = ring_at(ev, order_asc ? k : ev->n - 1 - k);
        if (sandbox_id && x->sid_hash != sid) continue;
        if (nth) {
            size_t t = 0;
            while (t < nth && th[t] != x->type_hash)
                t++;
            if (t == nth) continue;
        }
        if (!filtered && skipped < offset) { /* every event matches: no need to read it */
            skipped++;
            continue;
        }
        cJSON *e = ix_load(ev, x);
        if (!e) continue;
        if (sandbox_id) { /* the hashes only narrow it down */
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, "sandboxId");
            if (!cJSON_IsString(v) || strcmp(v->valuestring, sandbox_id) != 0) {
                cJSON_Delete(e);
                continue;
            }
        }
        if (!type_wanted(e, types, ntypes)) {
            cJSON_Delete(e);
            continue;
        }
        if (skipped < offset) {
            skipped++;
            cJSON_Delete(e);
            continue;
        }
        cJSON_AddItemToArray(arr, e);
        added++;
    }
    return arr;
}
