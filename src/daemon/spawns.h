/* spawns.h - the template's use counters (spawnCount, lastSpawnedAt) in DIR/spawns.json, so
 * they survive a restart like the sandboxes do (a count of 0 next to a "last used" time read
 * as nonsense). Written atomically on every spawn; a missing or damaged file starts at 0. */
#ifndef BOXTOPD_SPAWNS_H
#define BOXTOPD_SPAWNS_H

#include <stddef.h>
#include <stdint.h>

struct spawns {
    uint64_t count;
    int64_t last_ms; /* wall clock; 0 = never */
};

/* Parse the file's contents into sp (pure; zeroes for anything invalid). */
void spawns_parse(const char *data, size_t len, struct spawns *sp);
/* Read DIR/spawns.json into sp (zeroes when absent or invalid). */
void spawns_load(const char *state_dir, struct spawns *sp);
/* Count one spawn at now_ms and save; 0 or -1 (the count in memory is kept either way). */
int spawns_add(const char *state_dir, struct spawns *sp, int64_t now_ms);

#endif
