/* config_keycmd.c - api_key_command: get an API key from a password manager or similar.
 *
 * The command runs once at start-up, before the event loop and the UI exist, so waiting for
 * it here (bounded by a timeout) blocks nothing else. stdin and stderr stay the terminal's so
 * that a pinentry or an error from the tool reaches the user; only stdout is captured, and
 * of it only the first line is used. The output never appears in an error message. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "boxtop/buf.h"
#include "boxtop/config.h"
#include "boxtop/i18n.h"
#include "boxtop/loop.h"

extern char **environ;

#define KEYCMD_MAX_OUTPUT 65536 /* more than any key; the rest is read and dropped */

static pid_t spawn_shell(const char *cmd, int out_fd, int read_fd)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    pid_t pid = -1;
    if (posix_spawn_file_actions_init(&fa) != 0) return -1;
    if (posix_spawnattr_init(&attr) != 0) {
        posix_spawn_file_actions_destroy(&fa);
        return -1;
    }
    /* The event loop may have blocked signals (signalfd); the child must not inherit that,
     * nor our SIGPIPE disposition. */
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGCHLD);
    char *argv[] = {"sh", "-c", (char *)cmd, NULL};
    if (posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO) == 0 &&
        posix_spawn_file_actions_addclose(&fa, read_fd) == 0 &&
        posix_spawnattr_setsigmask(&attr, &none) == 0 &&
        posix_spawnattr_setsigdefault(&attr, &defaults) == 0 &&
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) == 0) {
        if (posix_spawn(&pid, "/bin/sh", &fa, &attr, argv, environ) != 0) pid = -1;
    }
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    return pid;
}

/* Read until EOF or the deadline; keeps at most KEYCMD_MAX_OUTPUT bytes. 0, or -ETIMEDOUT. */
static int read_all(int fd, struct buf *out, int64_t deadline)
{
    char chunk[4096];
    for (;;) {
        int64_t left = deadline - loop_now_ms();
        if (left <= 0) return -ETIMEDOUT;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int r = poll(&p, 1, left > 1000 ? 1000 : (int)left);
        if (r < 0 && errno != EINTR) return -errno;
        if (r <= 0) continue;
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n == 0) return 0;
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            return -errno;
        }
        if (out->len < KEYCMD_MAX_OUTPUT && buf_append(out, chunk, (size_t)n) < 0) return -ENOMEM;
    }
}

int config_run_key_command(const char *cmd, const char *label, char **key, struct error *err)
{
    *key = NULL;
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) < 0)
        return error_set(err, ERROR_GENERIC, _("%s: api_key_command: %s"), label, strerror(errno));
    pid_t pid = spawn_shell(cmd, pfd[1], pfd[0]);
    int spawn_errno = errno;
    close(pfd[1]);
    if (pid < 0) {
        close(pfd[0]);
        return error_set(err, ERROR_GENERIC, _("%s: cannot run api_key_command: %s"), label,
                         strerror(spawn_errno));
    }
    struct buf out = BUF_INIT;
    int rc = read_all(pfd[0], &out, loop_now_ms() + CONFIG_KEY_COMMAND_TIMEOUT_MS);
    close(pfd[0]);
    if (rc < 0) kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (rc == -ETIMEDOUT) {
        error_set(err, ERROR_AUTH, _("%s: api_key_command did not finish within %d s"), label,
                  CONFIG_KEY_COMMAND_TIMEOUT_MS / 1000);
    } else if (rc < 0) {
        error_set(err, ERROR_GENERIC, _("%s: reading api_key_command output: %s"), label,
                  strerror(-rc));
    } else if (WIFSIGNALED(status)) {
        rc = error_set(err, ERROR_AUTH, _("%s: api_key_command was killed by signal %d"), label,
                       WTERMSIG(status));
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        rc = error_set(err, ERROR_AUTH, _("%s: api_key_command failed with exit status %d"), label,
                       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    } else {
        /* First line, without surrounding blanks. */
        const char *s = buf_cstr(&out), *e = memchr(s, '\n', out.len);
        if (!e) e = s + out.len;
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
            e--;
        if (s == e) {
            rc = error_set(err, ERROR_AUTH, _("%s: api_key_command printed no key"), label);
        } else if (!(*key = strndup(s, (size_t)(e - s)))) {
            rc = error_set(err, ERROR_GENERIC, _("out of memory"));
        }
    }
    if (out.data) explicit_bzero(out.data, out.len);
    buf_free(&out);
    return rc < 0 ? -1 : 0;
}
