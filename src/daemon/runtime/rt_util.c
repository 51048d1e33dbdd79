/* rt_util.c - small helpers of the runtime (sysfs writes, recursive delete, ids, the process
 * tree from /proc, the subordinate id range). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rt_internal.h"

int rt_path(char *out, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(out, n, fmt, ap);
    va_end(ap);
    if (k < 0 || (size_t)k >= n) {
        out[0] = '\0';
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

int rt_write_file(const char *path, const char *data, size_t len, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
    if (fd < 0) return -1;
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
        data += w;
        len -= (size_t)w;
    }
    return close(fd);
}

/* sysfs/procfs files take one write; a short or failed write is the kernel's answer. */
int rt_write_str(const char *path, const char *s)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    size_t len = strlen(s);
    ssize_t w = write(fd, s, len);
    int e = errno;
    close(fd);
    if (w != (ssize_t)len) {
        errno = w < 0 ? e : EIO;
        return -1;
    }
    return 0;
}

ssize_t rt_read_file(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    size_t got = 0;
    while (got + 1 < cap) {
        ssize_t r = read(fd, buf + got, cap - 1 - got);
        if (r < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
        if (r == 0) break;
        got += (size_t)r;
    }
    close(fd);
    buf[got] = '\0';
    return (ssize_t)got;
}

int rt_read_ll(const char *path, long long *out)
{
    char buf[64];
    if (rt_read_file(path, buf, sizeof buf) < 0) return -1;
    char *end;
    errno = 0;
    long long v = strtoll(buf, &end, 10);
    if (errno || end == buf) {
        if (strncmp(buf, "max", 3) == 0) {
            *out = -1; /* v2 "max" = unlimited */
            return 0;
        }
        errno = EINVAL;
        return -1;
    }
    *out = v;
    return 0;
}

/* Deletes name under dirfd depth-first, at most *budget entries. 0 = gone, 1 = budget
 * used up (call again), -1 = something could not be deleted. Never follows symlinks. */
static int rm_at(int dirfd, const char *name, long *budget, int depth)
{
    if (*budget <= 0) return 1;
    struct stat st;
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode)) {
        (*budget)--;
        return unlinkat(dirfd, name, 0) == 0 || errno == ENOENT ? 0 : -1;
    }
    if (depth > 512) return -1;
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == EACCES) {
        /* overlayfs leaves a d--------- work dir; users make them too */
        fchmodat(dirfd, name, 0700, 0);
        fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (fd < 0) return -1;
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        int r = rm_at(fd, e->d_name, budget, depth + 1);
        if (r == 1) {
            rc = 1;
            break;
        }
        if (r < 0) rc = -1;
    }
    closedir(d);
    if (rc != 0) return rc;
    (*budget)--;
    return unlinkat(dirfd, name, AT_REMOVEDIR) == 0 || errno == ENOENT ? 0 : -1;
}

int rt_rm_step(const char *path, long budget)
{
    char parent[PATH_MAX];
    if (rt_path(parent, sizeof parent, "%s", path) < 0) return -1;
    char *slash = strrchr(parent, '/');
    if (!slash || !slash[1]) return -1;
    const char *name = path + (slash - parent) + 1;
    if (slash == parent)
        slash[1] = '\0';
    else
        *slash = '\0';
    int fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return errno == ENOENT ? 0 : -1;
    int rc = rm_at(fd, name, &budget, 0);
    close(fd);
    return rc;
}

int rt_rm_rf(const char *path)
{
    return rt_rm_step(path, LONG_MAX) == 0 ? 0 : -1;
}

int rt_mkdir_p(const char *path, mode_t mode)
{
    char tmp[PATH_MAX];
    if (rt_path(tmp, sizeof tmp, "%s", path) < 0) return -1;
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(tmp, mode) < 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    if (mkdir(tmp, mode) < 0 && errno != EEXIST) return -1;
    return 0;
}

/* Sandbox ids become directory, cgroup and host names: [A-Za-z0-9_-], 1..64 chars. */
bool rt_id_valid(const char *id)
{
    if (!id || !*id || strlen(id) > RT_ID_MAX || id[0] == '-') return false;
    for (const char *p = id; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

/* Field 22 of /proc/PID/stat; 0 if the process is gone. Parsed after the last ')' because
 * the command name may contain spaces and parentheses. */
unsigned long long rt_proc_starttime(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    if (rt_read_file(path, buf, sizeof buf) <= 0) return 0;
    char *p = strrchr(buf, ')');
    if (!p) return 0;
    p++;
    for (int field = 3; field < 22 && p; field++) {
        p = strchr(p + 1, ' ');
    }
    if (!p) return 0;
    return strtoull(p + 1, NULL, 10);
}

/* The pids of root and all its descendants (by ppid), from /proc. */
int rt_proc_tree(pid_t root, pid_t *pids, int max)
{
    enum { CAP = 32768 };
    pid_t *all = malloc(sizeof(pid_t) * 2 * CAP);
    if (!all) return -1;
    pid_t *ppid = all + CAP;
    int n = 0;
    DIR *d = opendir("/proc");
    if (!d) {
        free(all);
        return -1;
    }
    struct dirent *e;
    while ((e = readdir(d)) && n < CAP) {
        char *end;
        long v = strtol(e->d_name, &end, 10);
        if (*end || v <= 0) continue;
        char path[64], buf[512];
        snprintf(path, sizeof path, "/proc/%ld/stat", v);
        if (rt_read_file(path, buf, sizeof buf) <= 0) continue;
        char *p = strrchr(buf, ')');
        if (!p || strlen(p) < 4) continue;
        all[n] = (pid_t)v;
        ppid[n] = (pid_t)strtol(p + 4, NULL, 10); /* ") S ppid" */
        n++;
    }
    closedir(d);
    int out = 0;
    if (max > 0) pids[out++] = root;
    /* Breadth-first over the found list; pids[] doubles as the queue. */
    for (int q = 0; q < out; q++)
        for (int i = 0; i < n && out < max; i++)
            if (ppid[i] == pids[q] && all[i] != root) pids[out++] = all[i];
    free(all);
    return out;
}

/* Subordinate ids: root's line in /etc/subuid, else 2^30 upwards (far above real users). */
void rt_idmap_detect(uint32_t *base, uint32_t *slots)
{
    *base = 1u << 30;
    *slots = 4096;
    char buf[8192];
    if (rt_read_file("/etc/subuid", buf, sizeof buf) < 0) return;
    for (char *line = buf; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : 0) {
        unsigned long start, count;
        if ((strncmp(line, "root:", 5) == 0 || strncmp(line, "0:", 2) == 0) &&
            sscanf(strchr(line, ':') + 1, "%lu:%lu", &start, &count) == 2 &&
            count >= RT_IDMAP_SIZE && start > 0 && start + count <= 0xffffffffUL) {
            *base = (uint32_t)start;
            *slots = (uint32_t)(count / RT_IDMAP_SIZE);
            return;
        }
    }
}

int rt_fail(char *why, size_t n, const char *fmt, ...)
{
    int e = errno;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, n, fmt, ap);
    va_end(ap);
    size_t l = strlen(why);
    snprintf(why + l, n - l, ": %s", strerror(e));
    return -1;
}
