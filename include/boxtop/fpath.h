/* fpath.h - '/'-separated path strings, the same on both sides of a copy (a local path or a
 * sandbox path): joining, the parent, the last component. Pure string work, nothing touches a
 * file system. All results are malloc'd (NULL when out of memory). */
#ifndef BOXTOP_FPATH_H
#define BOXTOP_FPATH_H

/* dir + "/" + name (no second slash when dir ends in one). */
char *fpath_join(const char *dir, const char *name);
/* The parent of a path: "/a/b/" -> "/a", "a" -> "/", "/" stays "/". */
char *fpath_parent(const char *path);
/* The last component: "/a/b/" -> "b", "/" -> "/". */
char *fpath_base(const char *path);

#endif
