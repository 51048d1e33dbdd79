/* xmeta.h - envd's file metadata: X-Metadata-<key> headers of a /files upload, kept as the
 * file's extended attributes user.e2b.<key> and returned as EntryInfo.metadata (write reply,
 * Stat, ListDir, Move). Rules as upstream envd: keys are lower-cased header names (HTTP token
 * characters), values printable ASCII, a key at most 246 bytes (user.e2b. + key fits the 255
 * of an xattr name), keys and values together at most 4096 bytes; an upload replaces the set
 * (no headers: none). Pure checks are separate from the file access so they can be tested. */
#ifndef BOXTOPD_ENVD_XMETA_H
#define BOXTOPD_ENVD_XMETA_H

#include <stddef.h>
#include <cJSON.h>

#define XMETA_KEY_MAX   246
#define XMETA_TOTAL_MAX 4096
#define XMETA_PREFIX    "user.e2b."

/* Add key=value to obj (an object) after checking the rules; on a violation -1 and msg. */
int xmeta_add(cJSON *obj, const char *key, const char *value, char *msg, size_t n);
/* Replace the user.e2b.* attributes of the open file fd by obj's (NULL or {} clears). -errno. */
int xmeta_write_fd(int fd, const cJSON *obj);
/* The user.e2b.* attributes of the file at the confined sandbox path abs as an object, or
 * NULL when it has none (or they cannot be read: a symlink, a special file). */
cJSON *xmeta_read(int root_fd, const char *abs);

#endif
