/* fsutil.h - small file helpers for the state dir: atomic writes, bounded reads, mkdir -p. */
#ifndef BOXTOPD_FSUTIL_H
#define BOXTOPD_FSUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "boxtop/buf.h"
#include "boxtop/error.h"

/* Write path atomically: temp file in the same directory, fsync, rename, fsync the dir. */
int fs_write_atomic(const char *path, const void *data, size_t len, mode_t mode, struct error *err);
/* The same without the two fsyncs: readers see the old or the new file whole, and a crash of
 * boxtopd loses nothing (the page cache has it); a crash of the machine within the kernel's
 * writeback interval may keep the old one. For state whose loss then costs nothing. */
int fs_write_replace(const char *path, const void *data, size_t len, mode_t mode,
                     struct error *err);
/* Read a whole regular file of at most max bytes into b (appended). */
int fs_read_file(const char *path, struct buf *b, size_t max, struct error *err);
/* The same file as JSON: -1 (err) when it cannot be read, else 0 with *out the document
 * (NULL when it is not JSON; the caller deletes it). For the state dir's records. */
struct cJSON;
int fs_read_json(const char *path, size_t max, struct cJSON **out, struct error *err);
/* mkdir -p with mode for the created components. */
int fs_mkdir_p(const char *path, mode_t mode, struct error *err);

/* rm -rf of a tree boxtopd owns (never follows symlinks, stays on one filesystem). */
void fs_remove_tree(const char *path);
/* A tree boxtopd no longer needs, deleted off the loop: renamed into the runtime's graveyard
 * and deleted by a child (rt_remove_later). Where that fails (no runtime, another
 * filesystem) it is deleted here, first renamed to trash (when not NULL) so that its name is
 * free at once and a crash midway leaves a leftover the next start sweeps, not a half-deleted
 * record. */
struct rt;
void fs_remove_now_or_later(struct rt *rt, const char *dir, const char *trash);
/* The records of a state directory (snapshots, volumes): dir is created (0700) if missing, a
 * leftover of an operation an earlier run did not finish (a name starting with leftover,
 * e.g. ".tmp-") is removed off the loop (fs_remove_now_or_later), and every name not
 * starting with '.' goes to one(ud, name). */
int fs_scan_records(struct rt *rt, const char *dir, const char *leftover,
                    void (*one)(void *ud, const char *name), void *ud, struct error *err);
/* Bytes allocated by the files of a tree (du). */
int64_t fs_tree_bytes(const char *path);

#endif
