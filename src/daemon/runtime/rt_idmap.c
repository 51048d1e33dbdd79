/* rt_idmap.c - idmapped mounts: a lower layer (the image, a template's layer) shown to a
 * sandbox with its owners shifted from the id range it was written with to the sandbox's own,
 * without a copy (mount_setattr MOUNT_ATTR_IDMAP through a user namespace holding the map). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rt_internal.h"

/* why = the step that failed and errno's text (rt_fail); returns -1 from the caller. */
#define FAIL(...) return rt_fail(why, n, __VA_ARGS__)

/* A user namespace mapping ids [from, from+RT_IDMAP_SIZE) to [to, ...): the idmap of a mount.
 * A short-lived child makes it; its namespace lives on through the returned fd. */
int rt_idmap_userns(uint32_t from, uint32_t to)
{
    int sp[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) < 0) return -1;
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        close(sp[0]);
        if (unshare(CLONE_NEWUSER) < 0 || write(sp[1], "u", 1) != 1) _exit(1);
        if (read(sp[1], &c, 1) < 0) { /* until the parent is done with the namespace */
        }
        _exit(0);
    }
    close(sp[1]);
    if (pid < 0) {
        close(sp[0]);
        return -1;
    }
    int fd = -1;
    char c = 0, p[64], map[64];
    snprintf(map, sizeof map, "%u %u %u\n", from, to, RT_IDMAP_SIZE);
    if (read(sp[0], &c, 1) == 1 && c == 'u') {
        snprintf(p, sizeof p, "/proc/%d/uid_map", (int)pid);
        bool ok = rt_write_str(p, map) == 0;
        snprintf(p, sizeof p, "/proc/%d/gid_map", (int)pid);
        ok = ok && rt_write_str(p, map) == 0;
        snprintf(p, sizeof p, "/proc/%d/ns/user", (int)pid);
        if (ok) fd = open(p, O_RDONLY | O_CLOEXEC);
    }
    int e = errno;
    close(sp[0]); /* the child's read returns: it exits */
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
    errno = e;
    return fd;
}

/* src mounted read-only at target, its owners shifted through the user namespace ns. */
int rt_idmap_mount(int ns, const char *src, const char *target, char *why, size_t n)
{
    int t = (int)syscall(SYS_open_tree, AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
    if (t < 0) FAIL("open_tree %s", src);
    struct mount_attr attr = {.attr_set = MOUNT_ATTR_IDMAP | MOUNT_ATTR_RDONLY,
                              .userns_fd = (uint64_t)ns};
    int rc = (int)syscall(SYS_mount_setattr, t, "", AT_EMPTY_PATH, &attr, sizeof attr);
    if (rc < 0) {
        int e = errno;
        close(t);
        errno = e;
        FAIL("idmapped mount of %s", src);
    }
    rc = (int)syscall(SYS_move_mount, t, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH);
    int e = errno;
    close(t);
    errno = e;
    if (rc < 0) FAIL("move_mount of %s", src);
    return 0;
}
