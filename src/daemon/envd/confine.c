/* confine.c - file access confined to a sandbox root with openat2(RESOLVE_IN_ROOT). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <sys/syscall.h>

#include "boxtop/grow.h"
#include "confine.h"
#include "path.h"

static int openat2_in_root(int root_fd, const char *abs, int flags, mode_t mode)
{
    /* RESOLVE_IN_ROOT makes root_fd "/"; a relative form of abs keeps it unambiguous. */
    while (*abs == '/')
        abs++;
    if (*abs == '\0') abs = ".";
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = (unsigned long long)(flags | O_CLOEXEC);
    how.mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0;
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    for (;;) {
        long fd = syscall(SYS_openat2, root_fd, abs, &how, sizeof how);
        if (fd >= 0) return (int)fd;
        if (errno == EAGAIN || errno == EINTR)
            continue; /* RESOLVE_IN_ROOT may ask for a retry when a rename races */
        return -errno;
    }
}

int cf_open(int root_fd, const char *abs, int flags, mode_t mode)
{
    return openat2_in_root(root_fd, abs, flags, mode);
}

int cf_open_parent(int root_fd, const char *abs, char *base, size_t n)
{
    char parent[ENVD_PATH_MAX];
    char b[NAME_MAX + 1];
    if (strlen(abs) >= sizeof parent) return -ENAMETOOLONG;
    denvd_path_split(abs, parent, sizeof parent, b, sizeof b);
    if (strlen(b) + 1 > n) return -ENAMETOOLONG;
    memcpy(base, b, strlen(b) + 1);
    return openat2_in_root(root_fd, parent, O_PATH | O_DIRECTORY, 0);
}

int cf_lstat(int root_fd, const char *abs, struct stat *st)
{
    char base[NAME_MAX + 1];
    int dfd = cf_open_parent(root_fd, abs, base, sizeof base);
    if (dfd < 0) return dfd;
    int r = fstatat(dfd, base, st, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
    close(dfd);
    return r;
}

int cf_stat(int root_fd, const char *abs, struct stat *st)
{
    int fd = openat2_in_root(root_fd, abs, O_PATH, 0);
    if (fd < 0) return fd;
    int r = fstat(fd, st) < 0 ? -errno : 0;
    close(fd);
    return r;
}

int cf_mkdir_p(int root_fd, const char *abs, uid_t uid, gid_t gid, int *created)
{
    char prefix[ENVD_PATH_MAX];
    size_t len = strlen(abs);
    if (len >= sizeof prefix) return -ENAMETOOLONG;
    if (created) *created = 0;
    for (size_t i = 1; i <= len; i++) {
        if (i != len && abs[i] != '/') continue;
        memcpy(prefix, abs, i);
        prefix[i] = '\0';
        char base[NAME_MAX + 1];
        int dfd = cf_open_parent(root_fd, prefix, base, sizeof base);
        if (dfd < 0) return dfd;
        int made = 0;
        if (mkdirat(dfd, base, 0755) == 0) {
            made = 1;
            if (fchownat(dfd, base, uid, gid, AT_SYMLINK_NOFOLLOW) < 0) {
                int e = -errno;
                close(dfd);
                return e;
            }
        } else if (errno != EEXIST) {
            int e = -errno;
            close(dfd);
            return e;
        }
        close(dfd);
        if (!made) {
            struct stat st;
            int r = cf_stat(root_fd, prefix, &st);
            if (r < 0) return r;
            if (!S_ISDIR(st.st_mode)) return -ENOTDIR;
        }
        if (created && i == len) *created = made;
    }
    return 0;
}

/* Remove everything below the directory dfd, then nothing else (caller unlinks it). Depth
 * is bounded by the kernel's path limits; each level holds one fd. */
static int remove_children(int dfd, int depth)
{
    if (depth > 256) return -ELOOP;
    int fd = dup(dfd);
    if (fd < 0) return -errno;
    DIR *d = fdopendir(fd);
    if (!d) {
        int e = -errno;
        close(fd);
        return e;
    }
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
        if (unlinkat(dfd, de->d_name, 0) == 0) continue;
        if (errno != EISDIR && errno != EPERM) {
            if (errno != ENOENT) rc = -errno;
            continue;
        }
        int sub = openat(dfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0) {
            rc = -errno;
            continue;
        }
        int r = remove_children(sub, depth + 1);
        close(sub);
        if (r < 0)
            rc = r;
        else if (unlinkat(dfd, de->d_name, AT_REMOVEDIR) < 0 && errno != ENOENT)
            rc = -errno;
    }
    closedir(d);
    return rc;
}

int cf_remove_at(int dfd, const char *name)
{
    if (unlinkat(dfd, name, 0) == 0 || errno == ENOENT) return 0;
    if (errno != EISDIR && errno != EPERM) return -errno;
    int sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (sub < 0) return -errno;
    int rc = remove_children(sub, 0);
    close(sub);
    if (rc == 0 && unlinkat(dfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT) rc = -errno;
    return rc;
}

int cf_remove_all(int root_fd, const char *abs)
{
    char base[NAME_MAX + 1];
    int dfd = cf_open_parent(root_fd, abs, base, sizeof base);
    if (dfd == -ENOENT) return 0;
    if (dfd < 0) return dfd;
    int rc = strcmp(base, ".") == 0 ? -EBUSY /* never remove the sandbox root itself */
                                    : cf_remove_at(dfd, base);
    close(dfd);
    return rc;
}

int cf_rename(int root_fd, const char *from, const char *to)
{
    char fb[NAME_MAX + 1], tb[NAME_MAX + 1];
    int fd1 = cf_open_parent(root_fd, from, fb, sizeof fb);
    if (fd1 < 0) return fd1;
    int fd2 = cf_open_parent(root_fd, to, tb, sizeof tb);
    if (fd2 < 0) {
        close(fd1);
        return fd2;
    }
    int r = (strcmp(fb, ".") == 0 || strcmp(tb, ".") == 0) ? -EBUSY : 0;
    if (r == 0 && renameat(fd1, fb, fd2, tb) < 0) r = -errno;
    close(fd1);
    close(fd2);
    return r;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void cf_names_free(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

int cf_list_names(int root_fd, const char *abs, const char *skip_prefix, size_t max, char ***names,
                  size_t *n)
{
    *names = NULL;
    *n = 0;
    int fd = openat2_in_root(root_fd, abs, O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0) return fd;
    DIR *d = fdopendir(fd);
    if (!d) {
        int e = -errno;
        close(fd);
        return e;
    }
    char **v = NULL;
    size_t len = 0, cap = 0, skip = skip_prefix ? strlen(skip_prefix) : 0;
    int rc = 0;
    struct dirent *de;
    for (errno = 0; (de = readdir(d)) != NULL; errno = 0) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
        if (skip && strncmp(de->d_name, skip_prefix, skip) == 0) continue;
        if (len >= max) {
            rc = -E2BIG;
            break;
        }
        if (GROW(v, cap, len + 1) < 0 || !(v[len] = strdup(de->d_name))) {
            rc = -ENOMEM;
            break;
        }
        len++;
    }
    if (rc == 0 && errno) rc = -errno; /* readdir failed midway: not a shorter listing */
    closedir(d);
    if (rc < 0) {
        cf_names_free(v, len);
        return rc;
    }
    if (len) qsort(v, len, sizeof *v, name_cmp);
    *names = v;
    *n = len;
    return 0;
}

static int proc_fd_link(int fd, char *out, size_t n)
{
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t len = readlink(link, out, n - 1);
    if (len < 0) return -errno;
    if ((size_t)len >= n - 1) return -ENAMETOOLONG;
    out[len] = '\0';
    return (int)len;
}

int cf_fd_path(int root_fd, int fd, char *out, size_t n)
{
    char root[ENVD_PATH_MAX], full[ENVD_PATH_MAX];
    int rl = proc_fd_link(root_fd, root, sizeof root);
    if (rl < 0) return rl;
    int fl = proc_fd_link(fd, full, sizeof full);
    if (fl < 0) return fl;
    if (strcmp(root, "/") == 0) rl = 0;
    if (strncmp(full, root, (size_t)rl) != 0 || (full[rl] != '/' && full[rl] != '\0'))
        return -EXDEV; /* cannot happen with RESOLVE_IN_ROOT; refuse rather than leak */
    const char *rest = full[rl] ? full + rl : "/";
    if (strlen(rest) + 1 > n) return -ENAMETOOLONG;
    memcpy(out, rest, strlen(rest) + 1);
    return 0;
}

int cf_realpath(int root_fd, const char *abs, char *out, size_t n)
{
    int fd = openat2_in_root(root_fd, abs, O_PATH, 0);
    if (fd < 0) return fd;
    int r = cf_fd_path(root_fd, fd, out, n);
    close(fd);
    return r;
}
