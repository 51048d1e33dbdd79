/* rt_binds.c - host directories bound into a sandbox (E2B volumes).
 *
 * The list lives in DIR/runtime/<id>/binds ("<host dir>\t<sandbox path>\n" per line), written
 * at create from rt_spec.binds, so every later boot (resume, restart) mounts the same. The setup
 * child binds them after the root filesystem is mounted and before init pivots into it:
 *   - the mount point is made inside the sandbox's root one component at a time, never
 *     following a symlink (the sandbox owns its writable layer and could plant one);
 *   - full mode: the bind is an idmapped mount (Linux >= 5.12) through a user namespace with
 *     the sandbox's id map, so ids 0..65535 on disk are the same users in every sandbox that
 *     mounts the directory (user = 1000 on disk); sandboxes have distinct host id ranges, and
 *     a plain bind would show one sandbox's files as nobody's in another;
 *   - rootless mode: a plain bind (only boxtopd's own uid exists there).
 * A source that is gone (volume deleted meanwhile) is skipped. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rt_internal.h"

#define BINDS_MAX_TEXT 16384

int rt_binds_write(struct rt_sandbox *sb, const char *text, struct error *err)
{
    char p[PATH_MAX];
    if (!text || !*text) return 0;
    if (strlen(text) > BINDS_MAX_TEXT) return error_set(err, ERROR_USAGE, "too many volume mounts");
    if (rt_path(p, sizeof p, "%s/binds", sb->dir) < 0 ||
        rt_write_file(p, text, strlen(text), 0600) < 0)
        return error_set(err, ERROR_GENERIC, "sandbox %s: binds: %s", sb->id, strerror(errno));
    return 0;
}

/* O_PATH fd of the directory path inside the root fd, made where missing; no symlinks. */
static int mkdir_in_root(int root, const char *path)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    int cur = dup(root);
    for (char *save = NULL, *c = strtok_r(buf, "/", &save); c && cur >= 0;
         c = strtok_r(NULL, "/", &save)) {
        if (strcmp(c, ".") == 0 || strcmp(c, "..") == 0) {
            close(cur);
            errno = EINVAL;
            return -1;
        }
        int next = openat(cur, c, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (next < 0 && errno == ENOENT && mkdirat(cur, c, 0755) == 0)
            next = openat(cur, c, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        int e = errno;
        close(cur);
        cur = next;
        errno = e;
    }
    return cur;
}

/* A user namespace whose map is the sandbox's (0..65535 inside = idbase..), for the idmap. */
static int userns_of(uint32_t idbase)
{
    int sync[2];
    if (pipe2(sync, O_CLOEXEC) < 0) return -1;
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        char c = 0;
        close(sync[0]);
        if (unshare(CLONE_NEWUSER) < 0) _exit(1);
        if (write(sync[1], &c, 1) != 1) _exit(1);
        pause();
        _exit(0);
    }
    close(sync[1]);
    char c, path[64], map[64];
    int fd = -1;
    if (read(sync[0], &c, 1) == 1) {
        snprintf(map, sizeof map, "0 %u %u\n", idbase, RT_IDMAP_SIZE);
        snprintf(path, sizeof path, "/proc/%d/uid_map", (int)pid);
        bool ok = rt_write_str(path, map) == 0;
        snprintf(path, sizeof path, "/proc/%d/gid_map", (int)pid);
        ok = ok && rt_write_str(path, map) == 0;
        snprintf(path, sizeof path, "/proc/%d/ns/user", (int)pid);
        if (ok) fd = open(path, O_RDONLY | O_CLOEXEC);
    }
    close(sync[0]);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return fd;
}

static int bind_one(const char *src, const char *dst, int root_fd, int userns, char *why, size_t n)
{
    struct stat st;
    if (stat(src, &st) < 0 || !S_ISDIR(st.st_mode)) return 0; /* deleted meanwhile */
    int tree = open_tree(AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
    if (tree < 0) {
        snprintf(why, n, "volume at %s: open_tree: %s", dst, strerror(errno));
        return -1;
    }
    if (userns >= 0) {
        struct mount_attr attr = {.attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)userns};
        if (mount_setattr(tree, "", AT_EMPTY_PATH, &attr, sizeof attr) < 0) {
            snprintf(why, n, "volume at %s: idmapped mount: %s", dst, strerror(errno));
            close(tree);
            return -1;
        }
    }
    int target = mkdir_in_root(root_fd, dst);
    if (target < 0) {
        snprintf(why, n, "volume at %s: mount point: %s", dst, strerror(errno));
        close(tree);
        return -1;
    }
    int rc = move_mount(tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
    if (rc < 0) snprintf(why, n, "volume at %s: move_mount: %s", dst, strerror(errno));
    close(target);
    close(tree);
    return rc;
}

int rt_binds_mount(const char *sbdir, const char *root, uint32_t idbase, bool idmap, char *why,
                   size_t n)
{
    char p[PATH_MAX], text[BINDS_MAX_TEXT + 1];
    if (rt_path(p, sizeof p, "%s/binds", sbdir) < 0) return 0;
    ssize_t len = rt_read_file(p, text, sizeof text);
    if (len <= 0) return 0; /* no volumes */
    int root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0) {
        snprintf(why, n, "volumes: open root: %s", strerror(errno));
        return -1;
    }
    int userns = idmap ? userns_of(idbase) : -1;
    if (idmap && userns < 0) {
        snprintf(why, n, "volumes: user namespace for the id map: %s", strerror(errno));
        close(root_fd);
        return -1;
    }
    int rc = 0;
    for (char *save = NULL, *line = strtok_r(text, "\n", &save); line && rc == 0;
         line = strtok_r(NULL, "\n", &save)) {
        char *tab = strchr(line, '\t');
        if (!tab || line[0] != '/' || tab[1] != '/') continue;
        *tab = '\0';
        rc = bind_one(line, tab + 1, root_fd, userns, why, n);
    }
    if (userns >= 0) close(userns);
    close(root_fd);
    return rc;
}
