/* dapi_volcontent.h - the volume content API (/volumecontent/{volumeID}/dir|path|file) of the
 * SDK's Volume.list/makeDir/getInfo/updateMetadata/readFile/writeFile/remove. Authenticated
 * by the volume's own token (Authorization: Bearer), not the API key; every path is confined
 * to the volume's data directory (openat2 RESOLVE_IN_ROOT, envd/confine.h). */
#ifndef BOXTOPD_API_VOLCONTENT_H
#define BOXTOPD_API_VOLCONTENT_H

#include "../envd/path.h"
#include "dapi.h"

struct volume;

/* A checked request: the volume, its data directory (O_PATH) and the cleaned absolute path
 * inside it ("/" is the volume's root). */
struct vc_target {
    struct volume *v;
    int root_fd;
    char abs[ENVD_PATH_MAX];
};

int dapi_volcontent_register(struct daemon *d, struct error *err);
/* Token and path of req; answers the error itself and returns -1. root_fd is the caller's. */
int vc_target_open(struct daemon *d, struct server_request *req, struct vc_target *t);
/* VolumeEntryStat of abs (lstat), or NULL with -errno in *err. */
struct cJSON *vc_stat_json(int root_fd, const char *abs, int *err);
/* An errno of a path operation as the SDK's answer (404, 409, 400, 403, 500). */
int vc_answer_errno(struct server_request *req, int e, const char *abs);
/* Rename the bare name base of parent_fd out of the data directory and delete it off the
 * loop (fs_remove_now_or_later): big trees and files never hold the loop. 0 or -errno. */
int vc_remove_later(struct daemon *d, const struct volume *v, int parent_fd, const char *base);
/* Owner ids as sandboxes see them (and the content API speaks) vs. on disk: the same when
 * boxtopd runs as root (the bind is idmapped); rootless, boxtopd's own uid/gid is "user"
 * (VOLUME_USER_ID). vc_id_in maps a requested id (-1: none) onto disk; vc_id_out back. */
long long vc_id_in(long long id, bool group);
unsigned vc_id_out(unsigned id, bool group);
/* uid/gid (default "user", mapped in) and mode (-1: none) of makeDir and writeFile; answers
 * the 400 itself, and a 403 for an owner boxtopd cannot give (rootless) before any change. */
int vc_owner_mode_query(struct server_request *req, long long *uid, long long *gid,
                        long long *mode);
/* PUT /volumecontent/{id}/file (dapi_volcontent_upload.c). The helpers above:
 * dapi_volcontent_target.c. */
int dapi_volcontent_write(struct daemon *d, struct server_request *req);

#endif
