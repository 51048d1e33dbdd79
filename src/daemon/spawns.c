/* spawns.c - the template's use counters on disk (see spawns.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "boxtop/buf.h"
#include "fsutil.h"
#include "spawns.h"

#define SPAWNS_FILE_MAX 4096

static void path_of(const char *state_dir, char *out, size_t n)
{
    snprintf(out, n, "%s/spawns.json", state_dir);
}

void spawns_parse(const char *data, size_t len, struct spawns *sp)
{
    memset(sp, 0, sizeof *sp);
    cJSON *j = cJSON_ParseWithLength(data, len);
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(j, "spawnCount");
    const cJSON *l = cJSON_GetObjectItemCaseSensitive(j, "lastSpawnedAtMs");
    /* hostile or damaged values count as none (doubles are exact up to 2^53) */
    if (cJSON_IsNumber(c) && c->valuedouble >= 0 && c->valuedouble < 9007199254740992.0)
        sp->count = (uint64_t)c->valuedouble;
    if (cJSON_IsNumber(l) && l->valuedouble > 0 && l->valuedouble < 9007199254740992.0)
        sp->last_ms = (int64_t)l->valuedouble;
    cJSON_Delete(j);
}

void spawns_load(const char *state_dir, struct spawns *sp)
{
    char path[4200];
    struct buf b = BUF_INIT;
    struct error err = {0};
    memset(sp, 0, sizeof *sp);
    path_of(state_dir, path, sizeof path);
    if (fs_read_file(path, &b, SPAWNS_FILE_MAX, &err) == 0)
        spawns_parse(b.data ? b.data : "", b.len, sp);
    buf_free(&b);
}

int spawns_add(const char *state_dir, struct spawns *sp, int64_t now_ms)
{
    char path[4200], txt[128];
    struct error err = {0};
    sp->count++;
    if (now_ms > sp->last_ms) sp->last_ms = now_ms;
    path_of(state_dir, path, sizeof path);
    int n = snprintf(txt, sizeof txt, "{\"spawnCount\":%llu,\"lastSpawnedAtMs\":%lld}\n",
                     (unsigned long long)sp->count, (long long)sp->last_ms);
    /* a counter: a machine crash may lose the last few creates' counts, nothing more */
    return fs_write_replace(path, txt, (size_t)n, 0600, &err) < 0 ? -1 : 0;
}
