/* rt_dev.c - the sandbox's /dev, shared by every way of building a root (host binds,
 * rootless, the base image). */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rt_internal.h"

/* /dev: a small tmpfs with the host's harmless devices bound in; pts and shm come later
 * from init (a devpts instance of the sandbox's own). */
int rt_rootfs_mount_dev(const char *root, char *why, size_t n)
{
    char p[PATH_MAX], src[64];
    if (rt_path(p, sizeof p, "%s/dev", root) < 0) return rt_fail(why, n, "path");
    if (mount("tmpfs", p, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=755,size=64k,nr_inodes=64") < 0)
        return rt_fail(why, n, "mount /dev tmpfs");
    static const char *const devs[] = {"null", "zero", "full", "random", "urandom", "tty"};
    for (size_t i = 0; i < sizeof devs / sizeof devs[0]; i++) {
        snprintf(src, sizeof src, "/dev/%s", devs[i]);
        if (rt_path(p, sizeof p, "%s/dev/%s", root, devs[i]) < 0 ||
            rt_write_file(p, "", 0, 0666) < 0)
            return rt_fail(why, n, "create /dev/%s", devs[i]);
        if (mount(src, p, "none", MS_BIND, NULL) < 0)
            return rt_fail(why, n, "bind /dev/%s", devs[i]);
    }
    static const char *const links[][2] = {
        {"ptmx", "pts/ptmx"},          {"fd", "/proc/self/fd"},       {"stdin", "/proc/self/fd/0"},
        {"stdout", "/proc/self/fd/1"}, {"stderr", "/proc/self/fd/2"},
    };
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
        if (rt_path(p, sizeof p, "%s/dev/%s", root, links[i][0]) < 0 || symlink(links[i][1], p) < 0)
            return rt_fail(why, n, "symlink /dev/%s", links[i][0]);
    }
    static const char *const dirs[] = {"pts", "shm"};
    for (size_t i = 0; i < 2; i++)
        if (rt_path(p, sizeof p, "%s/dev/%s", root, dirs[i]) < 0 || mkdir(p, 0755) < 0)
            return rt_fail(why, n, "mkdir /dev/%s", dirs[i]);
    return 0;
}
