/* volume.h - team volumes: persistent directories in DIR/volumes/<volumeID>/data, each with
 * its record volume.json (0600: it holds the volume's content token). Sandboxes mount them at
 * create (volumeMounts, by name) as bind mounts (runtime rt_binds.c); several sandboxes can
 * mount one volume at once, and it stays when they die. Shapes: snapshots-volumes.md §4. */
#ifndef BOXTOPD_VOLUME_H
#define BOXTOPD_VOLUME_H

#include <stdint.h>

#include "boxtop/buf.h"
#include "boxtop/error.h"

#define VOLUME_USER_ID 1000 /* "user" inside every sandbox: the data dir's owner on disk */

struct daemon;
struct cJSON;

struct volume {
    char id[37];   /* UUID */
    char name[65]; /* [a-zA-Z0-9_-]+ */
    char token[65];
    int64_t created_ms;
    char dir[4096]; /* DIR/volumes/<id> (the files are in dir/data) */
};

struct volumes {
    struct volume **v;
    size_t n, cap;
};

int volumes_load(struct daemon *d, struct error *err);
void volumes_free(struct daemon *d);
struct volume *volume_find(struct daemon *d, const char *id);
struct volume *volume_find_name(struct daemon *d, const char *name);
/* ERROR_USAGE: bad name ("Invalid volume name") or taken. */
int volume_create(struct daemon *d, const char *name, struct volume **out, struct error *err);
void volume_delete(struct daemon *d, struct volume *v);
/* Bytes the volume's files take. */
int64_t volume_bytes(const struct volume *v);
/* The runtime's bind list for a sandbox's volumeMounts ([{name,path}]), appended to out.
 * ERROR_NOT_FOUND for a volume that does not exist. */
int volume_binds(struct daemon *d, const struct cJSON *mounts, struct buf *out, struct error *err);

#endif
