/* snapshot.h - persistent snapshots of a sandbox's filesystem (E2B's snapshot templates).
 *
 * A snapshot is a copy of a sandbox's writable layer (runtime.h rt_sandbox_export) kept in
 * DIR/snapshots/<templateID>/ with its record snapshot.json, so it survives restarts and the
 * sandbox it came from; a sandbox from a template keeps stacking on the template's layers
 * (lowers), which stay while the snapshot does. Sandbox.create(snapshotID) starts a new sandbox
 * seeded from it; its processes start afresh (memory is not captured). A name ("my-snap",
 * "local/my-snap:v1") makes the id "local/my-snap:<tag>"; snapshotting under an existing name
 * replaces that snapshot's files (a new build of the same template). Forks use the same export,
 * into a temporary directory. Shapes: protocol/snapshots-volumes.md §2-3. */
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
/* name: NULL or "" for an unnamed one; ERROR_USAGE for a bad name. */
int snapshot_create(struct daemon *d, struct sbx *src, const char *name, struct snapshot **out,
                    struct error *err);
/* A fork's seed: src's writable layer in a temporary directory (dir, n bytes), removed with
 * snapshot_tmp_remove (or at the next start if boxtopd dies meanwhile). */
int snapshot_export_tmp(struct daemon *d, struct sbx *src, char *dir, size_t n, uint32_t *idbase,
                        struct error *err);
void snapshot_tmp_remove(const char *dir);
/* ERROR_CONFLICT while a sandbox still runs from it; files removed, record dropped. */
int snapshot_delete(struct daemon *d, struct snapshot *s, struct error *err);
/* Total disk space of all snapshots. */
int64_t snapshots_bytes(const struct daemon *d);
/* Validate and normalize a snapshot name to "local/<alias>" and its tag. */
int snapshot_name_parse(const char *in, char *name, size_t nn, char *tag, size_t tn,
                        struct error *err);

#endif
