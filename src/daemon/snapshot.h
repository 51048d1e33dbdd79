/* snapshot.h - persistent snapshots of a sandbox's filesystem (E2B's snapshot templates).
 *
 * A snapshot is a copy of a sandbox's writable layer (runtime.h rt_sandbox_export) kept in
 * DIR/snapshots/<templateID>/ with its record snapshot.json, so it survives restarts and the
 * sandbox it came from; a sandbox from a template keeps stacking on the template's layers
 * (lowers), which stay while the snapshot does. Sandbox.create(snapshotID) starts a new sandbox
 * seeded from it; its processes start afresh (memory is not captured). A name ("my-snap",
 * "local/my-snap:v1") makes the id "local/my-snap:<tag>"; snapshotting under an existing name
 * replaces that snapshot's files (a new build of the same template). Forks use the same copy,
 * into temporary directories the forks take whole. Shapes: protocol/snapshots-volumes.md §2-3. */
#ifndef BOXTOPD_SNAPSHOT_H
#define BOXTOPD_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>

#include "boxtop/error.h"
#include "ids.h"

struct daemon;
struct sbx;
struct cJSON;

#define SNAPSHOT_NAME_MAX 48

struct snapshot {
    char template_id[24];             /* 20 random [a-z0-9] */
    char name[SNAPSHOT_NAME_MAX + 8]; /* "local/<alias>" or "" */
    char tag[32];                     /* "default" */
    char sandbox_id[IDS_SANDBOX_MAX + 1];
    int64_t created_ms;
    int64_t bytes; /* disk space of its copy */
    uint32_t idbase;
    char *lowers;   /* the read-only layers the copy goes on (rt_spec.lowers), or NULL */
    char dir[4096]; /* DIR/snapshots/<template_id> */
};

struct snapshots {
    struct snapshot **v; /* oldest first */
    size_t n, cap;
};

/* Startup: read DIR/snapshots/ (records that fail to parse are logged and skipped). */
int snapshots_load(struct daemon *d, struct error *err);
void snapshots_free(struct daemon *d);

/* The snapshotID E2B clients use: "<name>:<tag>" when named, else "<templateID>:<tag>". */
void snapshot_id(const struct snapshot *s, char *out, size_t n);
/* By snapshotID, name, name:tag, ns/name, templateID or templateID:tag. NULL if none. */
struct snapshot *snapshot_find(struct daemon *d, const char *ref);
/* A new snapshot of src, copied off the loop (rt_sandbox_copy_start; src is frozen while it
 * runs): done(ud, snap, NULL) once it is listed, or done(ud, NULL, err). Until then nothing
 * is listed; the copy goes to DIR/snapshots/.tmp-* and is renamed whole when complete, so a
 * boxtopd that dies meanwhile leaves only a .tmp-* the next start deletes. name: NULL or ""
 * for an unnamed one; -1 with ERROR_USAGE for a bad name (done is not called). */
typedef void (*snapshot_done_fn)(void *ud, struct snapshot *snap, const struct error *err);
int snapshot_create_start(struct daemon *d, struct sbx *src, const char *name,
                          snapshot_done_fn done, void *ud, struct error *err);
/* What is left of a temporary copy (an empty directory once a sandbox took its seed, or an
 * untaken seed, rt_seed_dir): deleted off the loop. */
void snapshot_tmp_remove(struct daemon *d, const char *dir);
/* ERROR_CONFLICT while a sandbox still runs from it; files removed, record dropped. */
int snapshot_delete(struct daemon *d, struct snapshot *s, struct error *err);
/* Total disk space of all snapshots. */
int64_t snapshots_bytes(const struct daemon *d);
/* Validate and normalize a snapshot name to "local/<alias>" and its tag. */
int snapshot_name_parse(const char *in, char *name, size_t nn, char *tag, size_t tn,
                        struct error *err);

#endif
