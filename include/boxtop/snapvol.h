/* snapvol.h - snapshots, forks and volumes of the E2B platform API (protocol/
 * snapshots-volumes.md): the calls (raw results: status and body, parsed with the functions
 * below) and their models. The parsers take hostile input (fuzz_snapvol_json). */
#ifndef BOXTOP_SNAPVOL_H
#define BOXTOP_SNAPVOL_H

#include <stddef.h>
#include <stdint.h>

#include "boxtop/api.h"
#include "boxtop/error.h"

struct snapshot_info {
    char *id;           /* snapshotID: what Sandbox.create and delete take */
    char *name;         /* names[0], or NULL */
    char *sandbox_id;   /* source (boxtopd's extra field), or NULL */
    int64_t created_ms; /* 0 = unknown */
    int64_t size;       /* bytes, -1 = unknown */
};

struct snapshot_list {
    struct snapshot_info *items;
    int n;
};

struct volume_info {
    char *id;
    char *name;
    int64_t size; /* bytes, -1 = unknown (E2B cloud does not say) */
    char **mounted_by;
    int n_mounted; /* -1 = unknown */
};

struct volume_list {
    struct volume_info *items;
    int n;
};

/* One entry of a fork's answer: the new sandbox's id, or the error of that fork. */
struct fork_result {
    char *sandbox_id; /* NULL when it failed */
    int code;
    char *message;
};

struct fork_results {
    struct fork_result *items;
    int n;
};

/* POST /sandboxes/{id}/snapshots (name NULL: unnamed). The body is a SnapshotInfo. */
struct api_call *api_snapshot_create(struct api *a, const char *id, const char *name,
                                     api_done_cb cb, void *ud);
/* GET /snapshots (sandbox_id NULL = all; next_token from X-Next-Token, NULL = first page). */
struct api_call *api_snapshots_list(struct api *a, const char *sandbox_id, const char *next_token,
                                    api_done_cb cb, void *ud);
/* DELETE /templates/{snapshotID} (how E2B deletes a snapshot). */
struct api_call *api_snapshot_delete(struct api *a, const char *snapshot_id, api_done_cb cb,
                                     void *ud);
/* POST /sandboxes/{id}/fork {"count","timeout"}: 201 with one entry per fork. */
struct api_call *api_fork_sandbox(struct api *a, const char *id, int count, int timeout_s,
                                  api_done_cb cb, void *ud);
/* POST /sandboxes/{id}/pause {"memory": false}: keep the filesystem only. */
struct api_call *api_pause_fs_only(struct api *a, const char *id, api_done_cb cb, void *ud);
struct api_call *api_volumes_list(struct api *a, api_done_cb cb, void *ud);
struct api_call *api_volume_create(struct api *a, const char *name, api_done_cb cb, void *ud);
struct api_call *api_volume_delete(struct api *a, const char *id, api_done_cb cb, void *ud);

/* Parsers: 0, or -1 with err (ERROR_PROTOCOL). Unknown fields are ignored, missing optional
 * ones are "unknown"; entries without an id are skipped. */
int snapshot_info_parse(const char *json, size_t len, struct snapshot_info *out, struct error *err);
int snapshot_list_parse(const char *json, size_t len, struct snapshot_list *out, struct error *err);
int volume_list_parse(const char *json, size_t len, struct volume_list *out, struct error *err);
int volume_info_parse(const char *json, size_t len, struct volume_info *out, struct error *err);
int fork_results_parse(const char *json, size_t len, struct fork_results *out, struct error *err);
/* From a sandbox's detail (GET /sandboxes/{id}): the path where it mounts volume name. */
int volume_mount_path(const char *json, size_t len, const char *name, char *out, size_t n,
                      struct error *err);
void snapshot_info_free(struct snapshot_info *s);
void snapshot_list_free(struct snapshot_list *l);
void volume_info_free(struct volume_info *v);
void volume_list_free(struct volume_list *l);
void fork_results_free(struct fork_results *f);

#endif
