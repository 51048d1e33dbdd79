/* fsutil.c - atomic state-dir writes (temp + fsync + rename + dir fsync, or temp + rename),
 * bounded reads, and deleting trees off the loop. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdbool.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cJSON.h>

#include "fsutil.h"
#include "ids.h"
#include "runtime/runtime.h"

static int fsync_dir_of(const char *path)
{
    char *copy = strdup(path);
    int fd, rc = 0;

    if (!copy) return -1;
    fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(copy);
    if (fd < 0) return -1;
    if (fsync(fd) < 0) rc = -1;
    close(fd);
    return rc;
}

static int write_renamed(const char *path, const void *data, size_t len, mode_t mode, bool durable,
                         struct error *err)
{
    char tmp[4096], rnd[17];
    const char *p = data;
    int fd;

    if (ids_random_hex(rnd, 8) < 0) return error_set(err, ERROR_GENERIC, "no randomness");
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp-%s", path, rnd) >= sizeof tmp)
        return error_set(err, ERROR_GENERIC, "path too long");
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
    if (fd < 0) return error_set(err, ERROR_GENERIC, "cannot create %s: %s", tmp, strerror(errno));
    if (fchmod(fd, mode) < 0) goto fail;
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR) continue;
            goto fail;
        }
        p += w;
        len -= (size_t)w;
    }
    if (durable && fsync(fd) < 0) goto fail;
    if (close(fd) < 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) < 0) goto fail;
    if (durable) fsync_dir_of(path);
    return 0;
fail:
    error_set(err, ERROR_GENERIC, "cannot write %s: %s", path, strerror(errno));
    if (fd >= 0) close(fd);
    unlink(tmp);
    return -1;
}

int fs_write_atomic(const char *path, const void *data, size_t len, mode_t mode, struct error *err)
{
    return write_renamed(path, data, len, mode, true, err);
}

int fs_write_replace(const char *path, const void *data, size_t len, mode_t mode, struct error *err)
{
    return write_renamed(path, data, len, mode, false, err);
}

int fs_read_file(const char *path, struct buf *b, size_t max, struct error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    char chunk[8192];
    size_t total = 0;

    if (fd < 0)
        return error_set(err, errno == ENOENT ? ERROR_NOT_FOUND : ERROR_GENERIC,
                         "cannot open %s: %s", path, strerror(errno));
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return error_set(err, ERROR_GENERIC, "%s is not a regular file", path);
    }
    for (;;) {
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            close(fd);
            return error_set(err, ERROR_GENERIC, "cannot read %s: %s", path, strerror(errno));
        }
        if (r == 0) break;
        total += (size_t)r;
        if (total > max) {
            close(fd);
            return error_set(err, ERROR_GENERIC, "%s is too large", path);
        }
        if (buf_append(b, chunk, (size_t)r) < 0) {
            close(fd);
            return error_set(err, ERROR_GENERIC, "out of memory");
        }
    }
    close(fd);
    return 0;
}

int fs_read_json(const char *path, size_t max, cJSON **out, struct error *err)
{
    struct buf b = BUF_INIT;
    *out = NULL;
    int rc = fs_read_file(path, &b, max, err);
    if (rc == 0) *out = cJSON_ParseWithLength(b.data ? b.data : "", b.len);
    buf_free(&b);
    return rc < 0 ? -1 : 0;
}

int fs_mkdir_p(const char *path, mode_t mode, struct error *err)
{
    char tmp[4096];
    size_t n = strlen(path);

    if (n == 0 || n >= sizeof tmp) return error_set(err, ERROR_GENERIC, "bad directory path");
    memcpy(tmp, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (tmp[i] == '/' || tmp[i] == '\0') {
            char c = tmp[i];
            tmp[i] = '\0';
            if (mkdir(tmp, mode) < 0 && errno != EEXIST)
                return error_set(err, ERROR_GENERIC, "cannot create %s: %s", tmp, strerror(errno));
            tmp[i] = c;
        }
    }
    return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

void fs_remove_tree(const char *path)
{
    nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

void fs_remove_now_or_later(struct rt *rt, const char *dir, const char *trash)
{
    if (rt_remove_later(rt, dir) == 0) return;
    if (trash && rename(dir, trash) == 0)
        fs_remove_tree(trash);
    else
        fs_remove_tree(dir);
}

int fs_scan_records(struct rt *rt, const char *dir, const char *leftover,
                    void (*one)(void *ud, const char *name), void *ud, struct error *err)
{
    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return error_set(err, ERROR_GENERIC, "%s: %s", dir, strerror(errno));
    DIR *dp = opendir(dir);
    struct dirent *e;
    size_t nl = strlen(leftover);
    while (dp && (e = readdir(dp))) {
        if (e->d_name[0] != '.') {
            one(ud, e->d_name);
        } else if (nl && strncmp(e->d_name, leftover, nl) == 0) {
            char p[4400];
            if (snprintf(p, sizeof p, "%s/%s", dir, e->d_name) < (int)sizeof p)
                fs_remove_now_or_later(rt, p, NULL);
        }
    }
    if (dp) closedir(dp);
    return 0;
}

static int64_t du_dir(int dfd, int depth)
{
    int64_t total = 0;
    DIR *dp = fdopendir(dfd);
    if (!dp) {
        close(dfd);
        return 0;
    }
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        struct stat st;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        if (fstatat(dirfd(dp), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) continue;
        total += (int64_t)st.st_blocks * 512;
        if (S_ISDIR(st.st_mode) && depth < 256) {
            int sub = openat(dirfd(dp), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub >= 0) total += du_dir(sub, depth + 1);
        }
    }
    closedir(dp);
    return total;
}

int64_t fs_tree_bytes(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    return fd < 0 ? 0 : du_dir(fd, 0);
}
