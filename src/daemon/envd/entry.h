/* entry.h - envd's filesystem.EntryInfo: stat a confined path and render it as proto3 JSON
 * the way envd does (Go FileMode text, int64 size as a string, RFC 3339 nanosecond time,
 * symlinks lstat'ed with type/mode taken from their target). */
#ifndef BOXTOPD_ENVD_ENTRY_H
#define BOXTOPD_ENVD_ENTRY_H

#include <stdint.h>
#include <time.h>
#include <sys/types.h>
#include <cJSON.h>

#include "path.h"

enum denvd_file_type {
    ENVD_FT_UNSPECIFIED = 0,
    ENVD_FT_FILE = 1,
    ENVD_FT_DIRECTORY = 2,
    ENVD_FT_SYMLINK = 3,
};

struct denvd_entry {
    char name[256];
    char path[ENVD_PATH_MAX];
    enum denvd_file_type type;
    int64_t size;
    uint32_t mode;  /* permission bits of the entry (of the target for symlinks) */
    char perms[16]; /* Go FileMode.String() of the lstat mode */
    uid_t uid;
    gid_t gid;
    struct timespec mtime;
    int has_target;
    char target[ENVD_PATH_MAX];
};

/* Go's os.FileMode.String() for a Unix st_mode, e.g. "-rw-r--r--", "dtrwxrwxrwx". */
void denvd_mode_string(mode_t m, char out[16]);
/* protobuf Timestamp JSON: UTC, 0/3/6/9 fraction digits, "Z". */
void denvd_format_timestamp(struct timespec ts, char *out, size_t n);
/* Fill e for the sandbox path abs (reported as e->path). -errno on failure. */
int denvd_entry_stat(int root_fd, const char *abs, struct denvd_entry *e);
/* Build the EntryInfo JSON object (NULL on allocation failure). */
cJSON *denvd_entry_json(const struct denvd_entry *e, const char *owner, const char *group);
const char *denvd_file_type_name(enum denvd_file_type t);

#endif
