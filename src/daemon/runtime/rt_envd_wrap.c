/* envd starts every command through a shell wrapper (infra packages/envd/.../handler.go New):
 *   /bin/sh -c 'echo 100 > /proc/$$/oom_score_adj && exec [ionice -c 2 -n 4] [nice -n -N] "$@"'
 * with ionice and nice as found on envd's PATH in the image. Its effects are what a command can
 * see — an OOM score of 100, best-effort I/O priority 4, envd's nice value undone, and a command
 * that cannot be run is a started process that exits 127 (126) with the complaint of the last
 * program in that chain. The process boxtopd starts does the same itself, in the forked child
 * before its exec: the same results without running three programs for every command. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "rt_internal.h"

/* exec.LookPath on envd's PATH: the first executable regular file of that name. */
static bool look_path(const char *name, char *out, size_t n)
{
    for (const char *dir = RT_DEFAULT_PATH; *dir;) {
        size_t dl = strcspn(dir, ":");
        struct stat st;
        snprintf(out, n, "%.*s/%s", (int)dl, dir, name);
        if (stat(out, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111)) return true;
        dir += dl + (dir[dl] == ':');
    }
    out[0] = '\0';
    return false;
}

/* nice -n -N, N being envd's own nice value: the child has boxtopd's, through init. */
void rt_envd_wrap_prepare(struct rt_envd_wrap *w)
{
    int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (write(fd, "100", 3) < 0) { /* as the shell's echo: a failure only stops there */
        }
        close(fd);
    }
    if (look_path("ionice", w->ionice, sizeof w->ionice)) /* best-effort (2), level 4 */
        syscall(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0, (2 << 13) | 4);
    if (look_path("nice", w->nice, sizeof w->nice)) {
        errno = 0;
        int cur = getpriority(PRIO_PROCESS, 0);
        if (errno == 0 && cur != 0) setpriority(PRIO_PROCESS, 0, 0);
    }
}

void rt_envd_wrap_failed(const struct rt_envd_wrap *w, const char *cmd, int e)
{
    int code = e == ENOENT ? 127 : 126;
    char msg[600];
    int n;
    if (w->nice[0]) /* coreutils nice: "nice: 'cmd': error" */
        n = snprintf(msg, sizeof msg, "%s: '%s': %s\n", w->nice, cmd, strerror(e));
    else if (w->ionice[0]) /* util-linux: "ionice: failed to execute cmd: error" */
        n = snprintf(msg, sizeof msg, "ionice: failed to execute %s: %s\n", cmd, strerror(e));
    else /* dash's exec */
        n = snprintf(msg, sizeof msg, "/bin/sh: 1: exec: %s: %s\n", cmd,
                     e == ENOENT ? "not found" : strerror(e));
    if (n > 0 && write(2, msg, (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1) < 0) {
    }
    _exit(code);
}
