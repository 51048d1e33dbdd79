/* events.c - lifecycle events: memory ring + append-only jsonl file in the state dir. */
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

struct events {
    cJSON **v; /* ring */
    size_t head, n;
    int fd; /* events.jsonl, append */
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

static void ring_push(struct events *ev, cJSON *e)
{
    cJSON_Delete(ev->v[ev->head]);
    ev->v[ev->head] = e;
    ev->head = (ev->head + 1) % EVENTS_CAP;
    if (ev->n < EVENTS_CAP) ev->n++;
}

static cJSON *ring_at(const struct events *ev, size_t i)
{
    size_t first = (ev->head + EVENTS_CAP - ev->n) % EVENTS_CAP;
    return ev->v[(first + i) % EVENTS_CAP];
}

int events_open(struct events **out, const char *state_dir)
{
    struct events *ev = calloc(1, sizeof *ev);
    char path[4096];
    struct buf b = BUF_INIT;
    struct error err;

    *out = NULL;
    if (!ev) return -1;
    ev->v = calloc(EVENTS_CAP, sizeof *ev->v);
    if (!ev->v) {
        free(ev);
        return -1;
    }
    snprintf(path, sizeof path, "%s/events.jsonl", state_dir);
    /* reload: only well-formed objects; a torn last line (crash) is skipped */
    if (fs_read_file(path, &b, 64u << 20, &err) == 0) {
        char *p = b.data, *end = b.data + b.len;
        while (p && p < end) {
            char *nl = memchr(p, '\n', (size_t)(end - p));
            if (!nl) break;
            cJSON *e = cJSON_ParseWithLength(p, (size_t)(nl - p));
            if (cJSON_IsObject(e))
                ring_push(ev, e);
            else
                cJSON_Delete(e);
            p = nl + 1;
        }
    }
    buf_free(&b);
    /* rewrite compactly (keeps the file bounded by EVENTS_CAP lines) */
    struct buf all = BUF_INIT;
    for (size_t i = 0; i < ev->n; i++) {
        char *s = cJSON_PrintUnformatted(ring_at(ev, i));
        if (s) {
            buf_append_str(&all, s);
            buf_append_byte(&all, '\n');
            free(s);
        }
    }
    fs_write_atomic(path, all.data ? all.data : "", all.len, 0600, &err);
    buf_free(&all);
    ev->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    *out = ev;
    return 0;
}

void events_free(struct events *ev)
{
    if (!ev) return;
    for (size_t i = 0; i < EVENTS_CAP; i++)
        cJSON_Delete(ev->v[i]);
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
    if (ev->fd >= 0) {
        char *line = cJSON_PrintUnformatted(e);
        if (line) {
            size_t n = strlen(line);
            line[n] = '\n'; /* replaces the NUL: written as one append */
            if (write(ev->fd, line, n + 1) < 0) {
                /* the memory copy still serves queries */
            }
            free(line);
        }
    }
    ring_push(ev, e);
    if (ev->hook) ev->hook(ev->hook_ud, e);
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

    if (!arr || !ev) return arr;
    for (size_t k = 0; k < ev->n && added < limit; k++) {
        size_t i = order_asc ? k : ev->n - 1 - k;
        cJSON *e = ring_at(ev, i);
        if (sandbox_id) {
            const cJSON *sid = cJSON_GetObjectItemCaseSensitive(e, "sandboxId");
            if (!cJSON_IsString(sid) || strcmp(sid->valuestring, sandbox_id) != 0) continue;
        }
        if (!type_wanted(e, types, ntypes)) continue;
        if (skipped < offset) {
            skipped++;
            continue;
        }
        cJSON_AddItemToArray(arr, cJSON_Duplicate(e, 1));
        added++;
    }
    return arr;
}
