/* rt_rootfs.c - a sandbox's root filesystem.
 *
 * Full mode (boxtopd is root): an overlay whose lower layer is the host's "/" and whose upper
 * layer is DIR/runtime/<id>/upper. It is mounted by real root in a private mount namespace
 * before the user namespace exists, because inside a user ns the kernel refuses lowerdir=/
 * (its submounts are locked). Only the root filesystem itself is seen, not the host's other
 * mounts (/proc, /sys, /dev, tmpfs /tmp ...). Host files keep their host owners, which are not
 * mapped into the sandbox's user ns: they look owned by nobody and root inside cannot read
 * 0600/0640 files (/etc/shadow) or write anywhere the host did not make world-writable.
 *
 * Prepared in the upper layer (opaque directories, so nothing of the host shows through):
 * /tmp, /var/tmp, /run, /root (sandbox root's), /home with /home/user (uid 1000), the state
 * directory of boxtopd (empty, 0700 host root), and the sandbox's own /etc/passwd, /etc/group,
 * /etc/hostname and /etc/hosts. /dev is a small tmpfs with bind mounts of the host's null,
 * zero, full, random, urandom and tty, plus a devpts instance of the sandbox's own. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "rt_internal.h"

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif
#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_move_mount
#define SYS_move_mount 429
#endif

static int mk_dir(const char *path, mode_t mode, uid_t uid, gid_t gid, bool opaque)
{
    if (mkdir(path, mode) < 0) {
        if (errno != EEXIST)
            return -1;
        return 0; /* kept from an earlier boot: the user may have changed it */
    }
    if (chown(path, uid, gid) < 0 || chmod(path, mode) < 0)
        return -1;
    if (opaque && setxattr(path, "trusted.overlay.opaque", "y", 1, 0) < 0)
        return -1;
    return 0;
}

static int put_file(const char *path, const char *text, uid_t uid, gid_t gid)
{
    struct stat st;
    if (lstat(path, &st) == 0)
        return 0;
    if (rt_write_file(path, text, strlen(text), 0644) < 0 || chown(path, uid, gid) < 0)
        return -1;
    return 0;
}

/* Keeps the host's /etc/hosts and adds the sandbox's own name. */
static int put_hosts(const char *path, const char *id, uid_t uid, gid_t gid)
{
    struct stat st;
    if (lstat(path, &st) == 0)
        return 0;
    char host[8192], text[8192 + 256];
    if (rt_read_file("/etc/hosts", host, sizeof host) < 0)
        snprintf(host, sizeof host, "127.0.0.1\tlocalhost\n::1\tlocalhost\n");
    snprintf(text, sizeof text, "%s127.0.1.1\t%s\n", host, id);
    return put_file(path, text, uid, gid);
}

/* The state directory must not show through the overlay's lower layer. If one of the
 * opaque directories above already hides it, nothing more is needed. */
static int hide_state_dir(const char *upper, const char *state_dir)
{
    static const char *const hidden[] = {"/tmp/", "/var/tmp/", "/run/", "/root/", "/home/"};
    char sd[PATH_MAX];
    if (!realpath(state_dir, sd))
        return -1;
    for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++)
        if (strncmp(sd, hidden[i], strlen(hidden[i])) == 0)
            return 0;
    if (strcmp(sd, "/") == 0)
        return 0;
    char path[PATH_MAX];
    if (rt_path(path, sizeof path, "%s%s", upper, sd) < 0)
        return -1;
    /* Parents: plain directories (not opaque), so the rest of the host tree stays visible. */
    char *slash = strrchr(path, '/');
    *slash = '\0';
    if (rt_mkdir_p(path, 0755) < 0)
        return -1;
    *slash = '/';
    return mk_dir(path, 0700, 0, 0, true);
}

int rt_rootfs_prepare(struct rt *rt, struct rt_sandbox *sb, struct error *err)
{
    char p[PATH_MAX];
    const uid_t r = sb->idbase, u = sb->idbase + RT_USER_UID;
    if (rt->mode == RT_MODE_PLAIN) {
        if (rt_path(p, sizeof p, "%s/home", sb->dir) < 0 || mk_dir(p, 0755, 0, 0, false) < 0 ||
            rt_path(sb->home, sizeof sb->home, "%s/home/user", sb->dir) < 0)
            return error_set(err, ERROR_GENERIC, "sandbox home: %s", strerror(errno));
        uid_t hu = rt->is_root ? u : getuid();
        if (mk_dir(sb->home, 0755, hu, rt->is_root ? u : getgid(), false) < 0)
            return error_set(err, ERROR_GENERIC, "sandbox home: %s", strerror(errno));
        return 0;
    }
    struct {
        const char *rel;
        mode_t mode;
        uid_t uid;
        bool opaque;
    } dirs[] = {
        {"upper", 0755, 0, false},     {"work", 0700, 0, false},
        {"root", 0755, 0, false},      {"upper/etc", 0755, 0, false},
        {"upper/tmp", 01777, r, true}, {"upper/var", 0755, 0, false},
        {"upper/var/tmp", 01777, r, true}, {"upper/run", 0755, r, true},
        {"upper/root", 0700, r, true}, {"upper/home", 0755, r, true},
        {"upper/home/user", 0755, u, false},
    };
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        if (rt_path(p, sizeof p, "%s/%s", sb->dir, dirs[i].rel) < 0 ||
            mk_dir(p, dirs[i].mode, dirs[i].uid, dirs[i].uid, dirs[i].opaque) < 0)
            return error_set(err, ERROR_GENERIC, "sandbox dir %s: %s", dirs[i].rel,
                             strerror(errno));
    }
    static const char passwd[] = "root:x:0:0:root:/root:/bin/bash\n"
                                 "user:x:1000:1000:user:/home/user:/bin/bash\n"
                                 "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
    static const char group[] = "root:x:0:\ntty:x:5:user\nuser:x:1000:\nnogroup:x:65534:\n";
    char hostname[RT_ID_MAX + 2];
    snprintf(hostname, sizeof hostname, "%s\n", sb->id);
    const struct {
        const char *rel, *text;
    } files[] = {{"passwd", passwd}, {"group", group}, {"hostname", hostname}};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        if (rt_path(p, sizeof p, "%s/upper/etc/%s", sb->dir, files[i].rel) < 0 ||
            put_file(p, files[i].text, r, r) < 0)
            return error_set(err, ERROR_GENERIC, "sandbox /etc/%s: %s", files[i].rel,
                             strerror(errno));
    }
    if (rt_path(p, sizeof p, "%s/upper/etc/hosts", sb->dir) < 0 || put_hosts(p, sb->id, r, r) < 0)
        return error_set(err, ERROR_GENERIC, "sandbox /etc/hosts: %s", strerror(errno));
    if (rt_path(p, sizeof p, "%s/upper", sb->dir) < 0 || hide_state_dir(p, rt->state_dir) < 0)
        return error_set(err, ERROR_GENERIC, "hiding the state dir: %s", strerror(errno));
    return 0;
}

#define FAIL(...)                                                                                  \
    do {                                                                                           \
        int e_ = errno;                                                                            \
        snprintf(why, n, __VA_ARGS__);                                                             \
        size_t l_ = strlen(why);                                                                   \
        snprintf(why + l_, n - l_, ": %s", strerror(e_));                                          \
        return -1;                                                                                 \
    } while (0)

/* In the setup child, as real root, in its own mount namespace. */
int rt_rootfs_mount_host(const char *sbdir, const char *state_dir, char *why, size_t n)
{
    (void)state_dir;
    char root[PATH_MAX], opts[3 * PATH_MAX], p[PATH_MAX], src[64];
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
        FAIL("make / private");
    if (rt_path(root, sizeof root, "%s/root", sbdir) < 0 ||
        rt_path(opts, sizeof opts, "lowerdir=/,upperdir=%s/upper,workdir=%s/work", sbdir,
                sbdir) < 0)
        FAIL("path");
    if (mount("overlay", root, "overlay", MS_NOSUID, opts) < 0)
        FAIL("mount overlay on %s", root);
    if (rt_path(p, sizeof p, "%s/dev", root) < 0)
        FAIL("path");
    if (mount("tmpfs", p, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=755,size=64k,nr_inodes=64") < 0)
        FAIL("mount /dev tmpfs");
    static const char *const devs[] = {"null", "zero", "full", "random", "urandom", "tty"};
    for (size_t i = 0; i < sizeof devs / sizeof devs[0]; i++) {
        snprintf(src, sizeof src, "/dev/%s", devs[i]);
        if (rt_path(p, sizeof p, "%s/dev/%s", root, devs[i]) < 0 ||
            rt_write_file(p, "", 0, 0666) < 0)
            FAIL("create /dev/%s", devs[i]);
        if (mount(src, p, NULL, MS_BIND, NULL) < 0)
            FAIL("bind /dev/%s", devs[i]);
    }
    static const char *const links[][2] = {
        {"ptmx", "pts/ptmx"},        {"fd", "/proc/self/fd"},        {"stdin", "/proc/self/fd/0"},
        {"stdout", "/proc/self/fd/1"}, {"stderr", "/proc/self/fd/2"},
    };
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
        if (rt_path(p, sizeof p, "%s/dev/%s", root, links[i][0]) < 0 ||
            symlink(links[i][1], p) < 0)
            FAIL("symlink /dev/%s", links[i][0]);
    }
    static const char *const dirs[] = {"pts", "shm"};
    for (size_t i = 0; i < 2; i++)
        if (rt_path(p, sizeof p, "%s/dev/%s", root, dirs[i]) < 0 || mkdir(p, 0755) < 0)
            FAIL("mkdir /dev/%s", dirs[i]);
    return 0;
}

/* In init, inside the user namespace and a new mount namespace owned by it. The working
 * directory is already the new root (set by real root before the user ns existed): root
 * inside cannot look up the path, which runs through the 0700 state directory. */
int rt_rootfs_enter(const char *id, char *why, size_t n)
{
    if (sethostname(id, strlen(id)) < 0)
        FAIL("sethostname");
    if (mount("proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
        FAIL("mount /proc");
    if (mount("devpts", "dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
              "newinstance,ptmxmode=0666,mode=0620,gid=5") < 0)
        FAIL("mount /dev/pts");
    if (mount("shm", "dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=65536k") < 0)
        FAIL("mount /dev/shm");
    /* The overlay was copied into this namespace from a more privileged one, so the kernel
     * locks it and pivot_root refuses to move it. A recursive clone made here is not locked:
     * attach it on top of the overlay and make it the working directory. */
    int tree = (int)syscall(SYS_open_tree, AT_FDCWD, ".",
                            OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
    if (tree < 0)
        FAIL("clone root tree");
    if (syscall(SYS_move_mount, tree, "", AT_FDCWD, ".", MOVE_MOUNT_F_EMPTY_PATH) < 0)
        FAIL("attach root tree");
    if (fchdir(tree) < 0)
        FAIL("enter root tree");
    close(tree);
    /* pivot_root(".", ".") stacks the old root under the new one; detaching it leaves only
     * the sandbox's tree in this mount namespace. */
    if (syscall(SYS_pivot_root, ".", ".") < 0)
        FAIL("pivot_root");
    if (umount2(".", MNT_DETACH) < 0)
        FAIL("detach old root");
    if (chdir("/") < 0)
        FAIL("chdir /");
    return 0;
}
