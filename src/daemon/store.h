/* store.h - sandbox records on disk: DIR/records/<id>.json, one JSON object per sandbox,
 * written atomically (fs_write_atomic) on every change and read back at startup. The
 * conversion functions are pure so the round trip is unit-tested. */
#ifndef BOXTOPD_STORE_H
#define BOXTOPD_STORE_H

#include "boxtop/error.h"

struct cJSON;
struct sbx;

/* The record of s as a new JSON object (includes the envd token: the file is 0600). */
struct cJSON *store_record_to_json(const struct sbx *s);
/* Fill s's record fields from j (validated; the id must be valid). s->metadata/env_vars are
 * set to new copies. */
int store_record_from_json(const struct cJSON *j, struct sbx *s, struct error *err);

int store_save(const char *state_dir, const struct sbx *s, struct error *err);
/* A just-created running sandbox's first record, without fsync (fs_write_replace): a machine
 * crash soon after takes its processes and its unsynced writable layer anyway, and every
 * later change of state (pause, resume, timeout, kill) is saved with store_save. */
int store_save_new(const char *state_dir, const struct sbx *s, struct error *err);
void store_remove(const char *state_dir, const char *id);

/* Call fn for every readable, valid record in DIR/records (others are logged by the caller
 * through err and skipped). */
typedef void (*store_each_fn)(void *ud, const struct cJSON *rec, const char *file);
int store_each(const char *state_dir, store_each_fn fn, void *ud, struct error *err);

#endif
