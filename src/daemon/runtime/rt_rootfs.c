/* rt_rootfs.c - a sandbox's root filesystem with --base host (the base image's is in
 * rt_imagefs.c), plus what both share: /dev, and entering the new root.
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

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "rt_internal.h"

static int mk_dir(const char *path, mode_t mode, uid_t uid, gid_t gid, bool opaque)
{
    if (mkdir(path, mode) < 0) {
        if (errno != EEXIST) return -1;
        return 0; /* kept from an earlier boot: the user may have changed it */
    }
    if ((uid != (uid_t)-1 && chown(path, uid, gid) < 0) || chmod(path, mode) < 0) return -1;
    if (opaque && setxattr(path, "trusted.overlay.opaque", "y", 1, 0) < 0) return -1;
    return 0;
}

static int put_file(const char *path, const char *text, uid_t uid, gid_t gid)
{
    struct stat st;
    if (lstat(path, &st) == 0) return 0;
    if (rt_write_file(path, text, strlen(text), 0644) < 0 || chown(path, uid, gid) < 0) return -1;
    return 0;
}

/* The state directory must not show through the overlay's lower layer. If one of the
 * opaque directories above already hides it, nothing more is needed. */
static int hide_state_dir(const char *upper, const char *state_dir)
{
    static const char *const hidden[] = {"/tmp/", "/var/tmp/", "/run/", "/root/", "/home/"};
    char sd[PATH_MAX];
    if (!realpath(state_dir, sd)) return -1;
    for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++)
        if (strncmp(sd, hidden[i], strlen(hidden[i])) == 0) return 0;
    if (strcmp(sd, "/") == 0) return 0;
    char path[PATH_MAX];
    if (rt_path(path, sizeof path, "%s%s", upper, sd) < 0) return -1;
    /* Parents: plain directories (not opaque), so the rest of the host tree stays visible. */
    char *slash = strrchr(path, '/');
    *slash = '\0';
    if (rt_mkdir_p(path, 0755) < 0) return -1;
    *slash = '/';
    return mk_dir(path, 0700, 0, 0, true);
}

static const char rt_passwd[] = "root:x:0:0:root:/root:/bin/bash\n"
                                "user:x:1000:1000:user:/home/user:/bin/bash\n"
                                "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
static const char rt_group[] = "root:x:0:\ntty:x:5:user\nuser:x:1000:\nnogroup:x:65534:\n";

/* Rootless: everything belongs to boxtopd's own user (= "user" inside). The /etc files are
 * bound over the host's one by one, since /etc may only be a read-only bind. */
static int prepare_rootless(struct rt *rt, struct rt_sandbox *sb, struct error *err)
{
    static const struct {
        const char *rel;
        mode_t mode;
    } dirs[] = {{"upper", 0755},
                {"work", 0700},
                {"root", 0755},
                {"etc", 0755},
                {"upper/tmp", 01777},
                {"upper/home", 0755},
                {"upper/home/user", 0755},
                {"upper/etc", 0755}};
    char p[PATH_MAX];
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
        if (rt_path(p, sizeof p, "%s/%s", sb->dir, dirs[i].rel) < 0 ||
            mk_dir(p, dirs[i].mode, (uid_t)-1, (gid_t)-1, false) < 0)
            return error_set(err, ERROR_GENERIC, "sandbox dir %s: %s", dirs[i].rel,
                             strerror(errno));
    struct rt_etc e;
    rt_etc_texts(rt, sb->id, &e);
    /* resolv.conf into the /etc overlay's upper dir (with read-only binds only, a symlinked
     * one breaks) */
    const struct {
        const char *rel, *text;
    } files[] = {{"etc/passwd", rt_passwd},
                 {"etc/group", rt_group},
                 {"etc/hostname", e.hostname},
                 {"etc/hosts", e.hosts},
                 {"upper/etc/resolv.conf", e.resolv}};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        if (files[i].text[0] && (rt_path(p, sizeof p, "%s/%s", sb->dir, files[i].rel) < 0 ||
                                 put_file(p, files[i].text, (uid_t)-1, (gid_t)-1) < 0))
            return error_set(err, ERROR_GENERIC, "sandbox %s: %s", files[i].rel, strerror(errno));
    return 0;
}

int rt_rootfs_prepare(struct rt *rt, struct rt_sandbox *sb, struct error *err)
{
    char p[PATH_MAX];
    const uid_t r = sb->idbase, u = sb->idbase + RT_USER_UID;
    if (rt->mode == RT_MODE_PLAIN) {
        if (rt_path(p, sizeof p, "%s/home", sb->dir) < 0 ||
            mk_dir(p, 0755, (uid_t)-1, (gid_t)-1, false) < 0 ||
            rt_path(sb->home, sizeof sb->home, "%s/home/user", sb->dir) < 0)
            return error_set(err, ERROR_GENERIC, "sandbox home: %s", strerror(errno));
        uid_t hu = rt->is_root ? u : (uid_t)-1;
        if (mk_dir(sb->home, 0700, hu, rt->is_root ? u : (gid_t)-1, false) < 0)
            return error_set(err, ERROR_GENERIC, "sandbox home: %s", strerror(errno));
        return 0;
    }
    if (rt_on_image(rt)) return rt_imagefs_prepare(rt, sb, err);
    if (rt->mode == RT_MODE_ROOTLESS) return prepare_rootless(rt, sb, err);
    struct {
        const char *rel;
        mode_t mode;
        uid_t uid;
        bool opaque;
    } dirs[] = {
        {"upper", 0755, 0, false},
        {"work", 0700, 0, false},
        {"root", 0755, 0, false},
        {"upper/etc", 0755, 0, false},
        {"upper/tmp", 01777, r, true},
        {"upper/var", 0755, 0, false},
        {"upper/var/tmp", 01777, r, true},
        {"upper/run", 0755, r, true},
        {"upper/root", 0700, r, true},
        {"upper/home", 0755, r, true},
        {"upper/home/user", 0755, u, false},
    };
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        if (rt_path(p, sizeof p, "%s/%s", sb->dir, dirs[i].rel) < 0 ||
            mk_dir(p, dirs[i].mode, dirs[i].uid, dirs[i].uid, dirs[i].opaque) < 0)
            return error_set(err, ERROR_GENERIC, "sandbox dir %s: %s", dirs[i].rel,
                             strerror(errno));
    }
    struct rt_etc e;
    rt_etc_texts(rt, sb->id, &e);
    const struct {
        const char *rel, *text;
    } files[] = {{"passwd", rt_passwd},
                 {"group", rt_group},
                 {"hostname", e.hostname},
                 {"hosts", e.hosts},
                 {"resolv.conf", e.resolv}};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        if (files[i].text[0] &&
            (rt_path(p, sizeof p, "%s/upper/etc/%s", sb->dir, files[i].rel) < 0 ||
             put_file(p, files[i].text, r, r) < 0))
            return error_set(err, ERROR_GENERIC, "sandbox /etc/%s: %s", files[i].rel,
                             strerror(errno));
    }
    if (rt_path(p, sizeof p, "%s/upper", sb->dir) < 0 || hide_state_dir(p, rt->state_dir) < 0)
        return error_set(err, ERROR_GENERIC, "hiding the state dir: %s", strerror(errno));
    return 0;
}

/* why = the step that failed and errno's text (rt_fail); returns -1 from the caller. */
#define FAIL(...) return rt_fail(why, n, __VA_ARGS__)

/* A read-only recursive bind; the remount must keep the flags the kernel locked. */
static int bind_ro(const char *src, const char *dst)
{
    if (mount(src, dst, "none", MS_BIND | MS_REC, NULL) < 0) return -1;
    struct statvfs vs;
    unsigned long fl = MS_BIND | MS_REMOUNT | MS_RDONLY;
    if (statvfs(src, &vs) == 0) {
        if (vs.f_flag & ST_NOSUID) fl |= MS_NOSUID;
        if (vs.f_flag & ST_NODEV) fl |= MS_NODEV;
        if (vs.f_flag & ST_NOEXEC) fl |= MS_NOEXEC;
        if (vs.f_flag & ST_NOATIME) fl |= MS_NOATIME;
        if (vs.f_flag & ST_NODIRATIME) fl |= MS_NODIRATIME;
        if (vs.f_flag & ST_RELATIME) fl |= MS_RELATIME;
    }
    return mount("none", dst, "none", fl, NULL);
}

static bool rootless_skip(const char *name)
{
    static const char *const skip[] = {"proc", "sys", "dev",   "tmp",        "home", "root",
                                       "run",  "mnt", "media", "lost+found", "boot"};
    for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
        if (strcmp(name, skip[i]) == 0) return true;
    return name[0] == '.';
}

/* The overlay shows only the root filesystem itself. Host filesystems mounted on a top-level
 * directory that belongs in the sandbox (a separate /usr, /opt, /var...) are bound in read-only;
 * if boxtopd's state dir lives on one of them, a tmpfs covers it (root inside cannot unmount
 * it: the mount namespace belongs to the host's user ns). */
static int bind_host_mounts(const char *root, const char *state_dir, char *why, size_t n)
{
    char buf[65536], p[PATH_MAX], sd[PATH_MAX];
    if (rt_read_file("/proc/self/mountinfo", buf, sizeof buf) < 0) return 0;
    bool sd_ok = realpath(state_dir, sd) != NULL;
    for (char *line = buf; line && *line;) {
        char *next = strchr(line, '\n');
        if (next) *next++ = '\0';
        /* "id parent major:minor root mountpoint ..." */
        char mp[PATH_MAX];
        if (sscanf(line, "%*s %*s %*s %*s %4095s", mp) == 1 && mp[0] == '/' && mp[1] &&
            !strchr(mp + 1, '/') && !strchr(mp, '\\') && !rootless_skip(mp + 1) &&
            rt_path(p, sizeof p, "%s%s", root, mp) == 0) {
            if (bind_ro(mp, p) < 0) FAIL("bind %s", mp);
            size_t l = strlen(mp);
            if (sd_ok && strncmp(sd, mp, l) == 0 && sd[l] == '/' &&
                rt_path(p, sizeof p, "%s%s", root, sd) == 0 &&
                mount("tmpfs", p, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=000,size=4k") <
                    0)
                FAIL("hide the state dir");
        }
        line = next;
    }
    return 0;
}

/* In the setup child, as real root, in its own mount namespace. */
int rt_rootfs_mount_host(const char *sbdir, const char *state_dir, char *why, size_t n)
{
    char root[PATH_MAX], opts[3 * PATH_MAX];
    if (mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0) FAIL("make / private");
    if (rt_path(root, sizeof root, "%s/root", sbdir) < 0 ||
        rt_path(opts, sizeof opts, "lowerdir=/,upperdir=%s/upper,workdir=%s/work", sbdir, sbdir) <
            0)
        FAIL("path");
    if (mount("overlay", root, "overlay", MS_NOSUID, opts) < 0) FAIL("mount overlay on %s", root);
    if (bind_host_mounts(root, state_dir, why, n) < 0) return -1;
    return rt_rootfs_mount_dev(root, why, n);
}

/* Rootless: map boxtopd's own uid/gid to "user" (1000); the only mapping an unprivileged
 * process may write for itself. */
int rt_rootfs_self_map(uid_t uid, gid_t gid, char *why, size_t n)
{
    char map[64];
    if (rt_write_str("/proc/self/setgroups", "deny") < 0 && errno != ENOENT) FAIL("setgroups deny");
    snprintf(map, sizeof map, "%u %u 1\n", RT_USER_UID, (unsigned)uid);
    if (rt_write_str("/proc/self/uid_map", map) < 0) FAIL("uid_map");
    snprintf(map, sizeof map, "%u %u 1\n", RT_USER_UID, (unsigned)gid);
    if (rt_write_str("/proc/self/gid_map", map) < 0) FAIL("gid_map");
    return 0;
}

/* Rootless, in the setup child inside its user + mount namespaces: a tmpfs root holding an
 * overlay (userxattr) of each top-level host directory, or a read-only bind where overlayfs
 * refuses; fresh /tmp, /home/user (in the upper dir), /root and /run. */
int rt_rootfs_mount_rootless(const char *sbdir, const char *state_dir, char *why, size_t n)
{
    char root[PATH_MAX], p[PATH_MAX], q[PATH_MAX], opts[3 * PATH_MAX + 64];
    if (mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0) FAIL("make / private");
    if (rt_path(root, sizeof root, "%s/root", sbdir) < 0) FAIL("path");
    if (mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=755,size=16m") < 0)
        FAIL("mount root tmpfs");
    DIR *d = opendir("/");
    if (!d) FAIL("read /");
    struct dirent *e;
    while ((e = readdir(d))) {
        struct stat st;
        if (rootless_skip(e->d_name) || rt_path(q, sizeof q, "/%s", e->d_name) < 0 ||
            lstat(q, &st) < 0 || rt_path(p, sizeof p, "%s/%s", root, e->d_name) < 0)
            continue;
        if (S_ISLNK(st.st_mode)) {
            char target[PATH_MAX];
            ssize_t l = readlink(q, target, sizeof target - 1);
            if (l > 0) {
                target[l] = '\0';
                if (symlink(target, p) < 0) continue;
            }
            continue;
        }
        if (!S_ISDIR(st.st_mode) || mkdir(p, 0755) < 0) continue;
        char up[PATH_MAX], wk[PATH_MAX];
        bool ok = false;
        if (rt_path(up, sizeof up, "%s/upper/%s", sbdir, e->d_name) == 0 &&
            rt_path(wk, sizeof wk, "%s/work/%s", sbdir, e->d_name) == 0 &&
            (mkdir(up, 0755) == 0 || errno == EEXIST) &&
            (mkdir(wk, 0700) == 0 || errno == EEXIST) &&
            rt_path(opts, sizeof opts, "lowerdir=%s,upperdir=%s,workdir=%s,userxattr", q, up, wk) ==
                0)
            ok = mount("overlay", p, "overlay", MS_NOSUID, opts) == 0;
        if (!ok && bind_ro(q, p) < 0) {
            closedir(d);
            FAIL("bind %s", q);
        }
    }
    closedir(d);
    /* The state dir, if it lies in a directory shown above: cover it. No process in a
     * rootless sandbox keeps capabilities after exec, so nobody can unmount this. */
    char sd[PATH_MAX];
    if (realpath(state_dir, sd)) {
        char first[NAME_MAX + 1] = {0};
        const char *slash = strchr(sd + 1, '/');
        size_t fl = slash ? (size_t)(slash - sd - 1) : strlen(sd + 1);
        if (fl > 0 && fl <= NAME_MAX) memcpy(first, sd + 1, fl);
        if (first[0] && !rootless_skip(first) && rt_path(p, sizeof p, "%s%s", root, sd) == 0 &&
            mount("tmpfs", p, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=000,size=4k") < 0)
            FAIL("hide the state dir");
    }
    static const struct {
        const char *dir;
        mode_t mode;
    } fresh[] = {{"tmp", 01777}, {"home", 0755}, {"home/user", 0755}, {"root", 0700},
                 {"run", 0755},  {"proc", 0555}, {"sys", 0555},       {"dev", 0755}};
    for (size_t i = 0; i < sizeof fresh / sizeof fresh[0]; i++) {
        if (rt_path(p, sizeof p, "%s/%s", root, fresh[i].dir) < 0) FAIL("path");
        if (mkdir(p, fresh[i].mode) < 0 && errno != EEXIST) FAIL("mkdir /%s", fresh[i].dir);
        chmod(p, fresh[i].mode);
    }
    static const char *const binds[][2] = {
        {"upper/tmp", "tmp"},         {"upper/home/user", "home/user"},
        {"etc/passwd", "etc/passwd"}, {"etc/group", "etc/group"},
        {"etc/hosts", "etc/hosts"},   {"etc/hostname", "etc/hostname"}};
    for (size_t i = 0; i < sizeof binds / sizeof binds[0]; i++) {
        if (rt_path(q, sizeof q, "%s/%s", sbdir, binds[i][0]) < 0 ||
            rt_path(p, sizeof p, "%s/%s", root, binds[i][1]) < 0)
            FAIL("path");
        struct stat st;
        bool etc = strncmp(binds[i][1], "etc/", 4) == 0;
        if (lstat(p, &st) < 0) {
            if (rt_write_file(p, "", 0, 0644) < 0) continue; /* read-only, without the file */
        } else if (etc && !S_ISREG(st.st_mode)) {
            continue; /* /etc files are best effort: a symlink cannot take a bind */
        }
        if (mount(q, p, "none", MS_BIND, NULL) < 0 && !etc) FAIL("bind /%s", binds[i][1]);
    }
    if (rt_path(p, sizeof p, "%s/run", root) < 0 ||
        mount("tmpfs", p, "tmpfs", MS_NOSUID | MS_NODEV, "mode=755,size=16m") < 0)
        FAIL("mount /run");
    return rt_rootfs_mount_dev(root, why, n);
}

/* In init before it re-executes boxtopd and enters the sandbox's user ns (full mode: still
 * real root in a mount ns of the host's user ns; rootless: in the user ns that owns the
 * mount ns). The working directory is the new root; rt_rootfs_pivot makes it "/".
 * devpts_gid: host gid of "tty" inside, or -1. */
int rt_rootfs_enter(const char *id, long devpts_gid, char *why, size_t n)
{
    char opts[128];
    if (sethostname(id, strlen(id)) < 0) FAIL("sethostname");
    if (mount("proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
        FAIL("mount /proc");
    if (devpts_gid >= 0)
        snprintf(opts, sizeof opts, "newinstance,ptmxmode=0666,mode=0620,gid=%ld", devpts_gid);
    else
        snprintf(opts, sizeof opts, "newinstance,ptmxmode=0666,mode=0620");
    if (mount("devpts", "dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, opts) < 0)
        FAIL("mount /dev/pts");
    if (mount("shm", "dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=65536k") < 0)
        FAIL("mount /dev/shm");
    return 0;
}

/* In init after it re-executed boxtopd (whose libraries are the host's, not the image's):
 * pivot_root(".", ".") stacks the old root under the new one; detaching it leaves only the
 * sandbox's tree in this mount namespace. */
int rt_rootfs_pivot(void)
{
    if (syscall(SYS_pivot_root, ".", ".") < 0 || umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
        return -1;
    return 0;
}
