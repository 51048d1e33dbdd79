/* flist.h - one directory listing of either side (local or sandbox) as the file panes show it:
 * entries with name, type, size, mode, owner, mtime and symlink target; sorting, the `/`
 * filter and hidden files are applied to build the shown order (idx) without moving entries.
 * Pure: no curses, no network (tests/unit/test_tui_files.c). An envd answer becomes a listing
 * in flist_envd.h, on the backend's side. */
#ifndef BOXTOP_TUI_FILES_FLIST_H
#define BOXTOP_TUI_FILES_FLIST_H

#include <stddef.h>
#include <stdint.h>

#include "boxtop/error.h"
#include "boxtop/fpath.h" /* fpath_join, fpath_parent */

enum fent_type { FENT_FILE = 0, FENT_DIR, FENT_LINK, FENT_OTHER };

struct fent {
    char *name; /* raw bytes from the file system: sanitize before display */
    enum fent_type type;
    int link_dir;    /* a symlink whose target is a directory (Enter follows it) */
    int link_broken; /* a symlink whose target does not exist (or cannot be reached) */
    int64_t size;
    uint32_t mode; /* permission bits (07777) */
    char *owner;
    int64_t mtime_ms;
    char *target; /* symlink target, NULL otherwise */
};

enum flist_sort { FSORT_NAME = 0, FSORT_SIZE, FSORT_MTIME, FSORT_N };

struct flist {
    char *path; /* absolute directory path */
    struct fent *v;
    size_t n;
    /* shown order: indexes into v; ".." is not an entry (the view draws it) */
    size_t *idx;
    size_t nidx;
    enum flist_sort sort;
    int reverse;
    int show_hidden;
    char filter[256]; /* case-insensitive substring, "" = none */
};

void flist_free(struct flist *l); /* entries and idx; keeps sort/filter settings */
void flist_clear(struct flist *l);
/* Read a local directory (lstat each entry; stat through symlinks for link_dir). */
int flist_read_local(struct flist *l, const char *path, struct error *err);
/* fresh's entries and path replace l's; l keeps its sort, filter and hidden settings and
 * fresh is left empty (a remote listing, backend_remote.h). */
void flist_take(struct flist *l, struct flist *fresh);
void fent_free(struct fent *e); /* the strings of e */
/* Rebuild idx after a change of entries, sort, filter or hidden. */
void flist_apply(struct flist *l);
/* Shown entry i or NULL. */
const struct fent *flist_at(const struct flist *l, size_t i);
/* Shown position of name, or -1. */
long flist_find(const struct flist *l, const char *name);
/* Is name present (shown or not)? */
int flist_has(const struct flist *l, const char *name);

/* "rwxr-xr-x" with the type letter first, out >= 11 bytes. */
void fmode_str(char *out, enum fent_type t, uint32_t mode);
/* A name free in l for a copy of name: "name.1", "name.2", ... (malloc'd). */
char *flist_free_name(const struct flist *l, const char *name);

#endif
