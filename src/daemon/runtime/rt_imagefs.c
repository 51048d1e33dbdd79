/* rt_imagefs.c - a sandbox's root filesystem on the base image: an overlay of the sandbox's
 * writable layer (DIR/runtime/<id>/upper) over the unpacked image (the read-only lower
 * layer in the user's cache, shared by every sandbox). Nothing of the host is visible.
 *
 * Full mode (boxtopd is root): the image is unpacked once owned by the first subordinate id
 * range (root inside = its first id, never host root). A sandbox whose range is another one
 * sees it through an idmapped mount (mount_setattr MOUNT_ATTR_IDMAP), so files are owned by
 * its own root and user without a copy. The overlay is mounted by real root in a private
 * mount namespace before the sandbox's user namespace exists, so root inside can neither
 * unmount it nor reach the host tree under it. Set-uid programs keep working (sudo), since
 * every owner in the image is a sandbox id.
 * Rootless: the image is unpacked with the sandbox map of the user's subordinate range (root's
 * files owned by its first id, user's by boxtopd's own uid: rt_subid.c), or without a range
 * owned by boxtopd's user (= "user" inside, the only id mapped); the overlay is made inside
 * the sandbox's user namespace (userxattr).
 *
 * Written per sandbox into the writable layer: /etc/hostname, /etc/hosts (the image's plus
 * the sandbox's name) and /etc/resolv.conf (the host's resolvers: the network is shared). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rt_internal.h"

/* why = the step that failed and errno's text (rt_fail); returns -1 from the caller. */
#define FAIL(...) return rt_fail(why, n, __VA_ARGS__)

static int put(const char *path, const char *text, uid_t uid, gid_t gid, bool replace)
{
    struct stat st;
    if (!replace && lstat(path, &st) == 0) return 0;
    if (replace) unlink(path);
    if (rt_write_file(path, text, strlen(text), 0644) < 0) return -1;
    if (uid != (uid_t)-1 && chown(path, uid, gid) < 0) return -1;
    return 0;
}

static int mkdir_owned(const char *path, mode_t mode, uid_t uid, gid_t gid)
{
    if (mkdir(path, mode) < 0) return errno == EEXIST ? 0 : -1;
    if (uid != (uid_t)-1 && chown(path, uid, gid) < 0) return -1;
    return chmod(path, mode);
}

/* The sandbox's /etc/hostname, /etc/hosts and /etc/resolv.conf in its upper/etc, owned by
 * owner (uid and gid; -1: left as made). On a failure -1 with errno set and *failed the file's
 * name. */
static int put_etc(struct rt *rt, struct rt_sandbox *sb, uid_t owner, const char **failed)
{
    char p[PATH_MAX];
    struct rt_etc e;
    rt_etc_texts(rt, sb->id, &e);
    /* resolv.conf replaced: the host's resolvers as they are now */
    const struct {
        const char *name, *text;
        bool replace;
    } files[] = {{"hostname", e.hostname, false},
                 {"hosts", e.hosts, false},
                 {"resolv.conf", e.resolv, true}};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        if (files[i].text[0] &&
            (rt_path(p, sizeof p, "%s/upper/etc/%s", sb->dir, files[i].name) < 0 ||
             put(p, files[i].text, owner, owner, files[i].replace) < 0)) {
            *failed = files[i].name;
            return -1;
        }
    return 0;
}

int rt_imagefs_prepare(struct rt *rt, struct rt_sandbox *sb, struct error *err)
{
    bool full = rt->mode == RT_MODE_FULL;
    uid_t r = full ? sb->idbase : (uid_t)-1;
    char p[PATH_MAX];
    static const struct {
        const char *rel;
        mode_t mode;
        bool own; /* owned by the sandbox's root (else boxtopd's) */
    } dirs[] = {{"upper", 0755, true},
                {"work", 0700, false},
                {"root", 0755, false},
                {"lower", 0755, false},
                {"upper/etc", 0755, true}};
    /* rootless with a range: /etc is root's, written by the setup child (rt_imagefs_etc) */
    size_t ndirs = sizeof dirs / sizeof dirs[0];
    bool etc_here = !(rt->mode == RT_MODE_ROOTLESS && rt->sub.ok);
    if (!etc_here) ndirs--;
    for (size_t i = 0; i < ndirs; i++)
        if (rt_path(p, sizeof p, "%s/%s", sb->dir, dirs[i].rel) < 0 ||
            mkdir_owned(p, dirs[i].mode, dirs[i].own ? r : (uid_t)-1, dirs[i].own ? r : (gid_t)-1) <
                0)
            return error_set(err, ERROR_GENERIC, "sandbox dir %s: %s", dirs[i].rel,
                             strerror(errno));
    if (!etc_here) return 0;
    const char *name;
    if (put_etc(rt, sb, r, &name) < 0)
        return error_set(err, ERROR_GENERIC, "sandbox /etc/%s: %s", name, strerror(errno));
    return 0;
}

/* Rootless with a range, in the setup child as root of the sandbox's user ns: /etc and its
 * per-sandbox files as rt_imagefs_prepare writes them in full mode, owned by root inside as in
 * the image (made by boxtopd's own uid, "user" inside, user could write /etc). The upper
 * directory itself ("/") stays boxtopd's, which moves it when it becomes a layer. */
int rt_imagefs_etc(struct rt *rt, struct rt_sandbox *sb, char *why, size_t n)
{
    char p[PATH_MAX];
    if (rt_path(p, sizeof p, "%s/upper/etc", sb->dir) < 0) FAIL("path");
    /* this process is still boxtopd's uid ("user" here) with root's capabilities: chown */
    if (mkdir_owned(p, 0755, 0, 0) < 0) FAIL("sandbox dir upper/etc");
    const char *name;
    if (put_etc(rt, sb, 0, &name) < 0) FAIL("sandbox /etc/%s", name);
    return 0;
}

/* In the setup child, in its own mount namespace: as real root (full mode), or inside the
 * sandbox's user namespace (rootless). Options name the layers relative to the sandbox
 * directory (rt_stack.c says why). */
int rt_imagefs_mount(const char *sbdir, const char *lower, bool rootless, uint32_t lower_base,
                     uint32_t idbase, char *why, size_t n)
{
    char root[PATH_MAX], opts[3 * PATH_MAX + 64];
    if (mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0) FAIL("make / private");
    if (rt_path(root, sizeof root, "%s/root", sbdir) < 0) FAIL("path");
    if (chdir(sbdir) < 0) FAIL("chdir %s", sbdir);
    int ns = -1;
    if (!rootless && lower_base != idbase) {
        ns = rt_idmap_userns(lower_base, idbase);
        if (ns < 0) FAIL("user namespace for the idmapped image");
        if (rt_idmap_mount(ns, lower, "lower", why, n) < 0) {
            close(ns);
            return -1;
        }
        lower = "lower";
    }
    snprintf(opts, sizeof opts, "lowerdir=");
    int rc = rt_lowers_mount(ns, opts, sizeof opts, why, n);
    if (ns >= 0) close(ns);
    if (rc < 0) return -1;
    size_t l = strlen(opts);
    if (rt_path(opts + l, sizeof opts - l, "%s,upperdir=upper,workdir=work%s", lower,
                rootless ? ",userxattr" : "") < 0)
        FAIL("path");
    if (mount("overlay", root, "overlay", MS_NODEV, opts) < 0) FAIL("mount overlay on %s", root);
    return rt_rootfs_mount_dev(root, why, n);
}
