/* confine.h - file access confined to a sandbox's root directory.
 *
 * Every lookup goes through openat2(root_fd, path, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS):
 * the kernel resolves "..", absolute symlinks and relative symlinks as if root_fd were "/",
 * so no path a sandbox can create reaches a host file. Operations on a final component
 * (mkdir, unlink, rename, lstat) open the parent that way and then act on the bare name with
 * the *at() call, which never follows a symlink in the last component.
 * Paths given here are absolute sandbox paths already cleaned by denvd_path_resolve().
 * Functions return >= 0 or -errno. */
#ifndef BOXTOPD_ENVD_CONFINE_H
#define BOXTOPD_ENVD_CONFINE_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

/* Open abs inside root (following symlinks, all inside root). flags as for open(2). */
int cf_open(int root_fd, const char *abs, int flags, mode_t mode);
/* Open the parent directory of abs (O_PATH|O_DIRECTORY) and copy the last component into
 * base (n bytes). For "/" the parent is root itself and base is ".". */
int cf_open_parent(int root_fd, const char *abs, char *base, size_t n);
/* lstat of abs (the last component is not followed). */
int cf_lstat(int root_fd, const char *abs, struct stat *st);
/* stat following symlinks inside root. */
int cf_stat(int root_fd, const char *abs, struct stat *st);
/* mkdir -p: create missing directories with mode 0755 owned by uid:gid. *created (may be
 * NULL) tells whether the last component was created by this call. */
int cf_mkdir_p(int root_fd, const char *abs, uid_t uid, gid_t gid, int *created);
/* rm -rf of abs (a missing path is success). */
int cf_remove_all(int root_fd, const char *abs);
/* rm -rf of name in the directory dfd (never through symlinks; missing is success). */
int cf_remove_at(int dfd, const char *name);
/* rename(2) of two absolute sandbox paths. */
int cf_rename(int root_fd, const char *from, const char *to);
/* Fully resolved sandbox path of abs (symlinks followed inside root) into out. */
int cf_realpath(int root_fd, const char *abs, char *out, size_t n);
/* The names in the directory abs (symlinks followed inside root): not "." nor "..", nor one
 * beginning with skip_prefix (when not NULL); sorted bytewise. *names (an array of *n
 * strings) is freed with cf_names_free(). More than max names: -E2BIG and nothing kept, so a
 * hostile directory cannot take all memory; abs not a directory: -ENOTDIR. */
int cf_list_names(int root_fd, const char *abs, const char *skip_prefix, size_t max, char ***names,
                  size_t *n);
void cf_names_free(char **names, size_t n);
/* Sandbox path of an open fd (readlink of /proc/self/fd minus root's host path). */
int cf_fd_path(int root_fd, int fd, char *out, size_t n);

#endif
