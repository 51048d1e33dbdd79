/* app_save.c - `w` in the logs view and a command's output pane: what the view shows, written
 * to a file the user named (created 0600, never through a symlink), and the outcome said in
 * the status line. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "app.h"

/* A leading `~` or `~user` as the shell expands it: $HOME (or the passwd entry when unset) or
 * user's home directory. 0 with out filled; -1 (errno ENOENT) for an unknown user or no home,
 * ENAMETOOLONG when it does not fit. Any other path is copied as it is. */
static int expand_home(const char *path, char *out, size_t n)
{
    const char *home = NULL;
    const char *rest = path;
    struct passwd pw, *res = NULL;
    char pwbuf[4096]; /* home points into it */
    if (path[0] == '~') {
        const char *slash = strchr(path, '/');
        size_t ulen = slash ? (size_t)(slash - path - 1) : strlen(path + 1);
        rest = path + 1 + ulen;
        if (ulen == 0) {
            home = getenv("HOME");
            if ((!home || !home[0]) && getpwuid_r(getuid(), &pw, pwbuf, sizeof pwbuf, &res) == 0 &&
                res)
                home = res->pw_dir;
        } else {
            char user[256];
            if (ulen >= sizeof user) {
                errno = ENOENT;
                return -1;
            }
            memcpy(user, path + 1, ulen);
            user[ulen] = '\0';
            if (getpwnam_r(user, &pw, pwbuf, sizeof pwbuf, &res) == 0 && res) home = res->pw_dir;
        }
        if (!home || !home[0]) {
            errno = ENOENT;
            return -1;
        }
    }
    int k = snprintf(out, n, "%s%s", home ? home : "", rest);
    if (k < 0 || (size_t)k >= n) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

int app_save_text(struct app *a, const char *path, const struct buf *text, size_t lines)
{
    char full[4096];
    if (expand_home(path, full, sizeof full) < 0) {
        app_status(a, STATUS_ERROR, _("cannot save to %s: %s"), path, strerror(errno));
        return -1;
    }
    int fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    int e = errno;
    size_t done = 0;
    while (fd >= 0 && done < text->len) {
        ssize_t k = write(fd, text->data + done, text->len - done);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) {
            e = errno;
            break;
        }
        done += (size_t)k;
    }
    if (fd >= 0 && close(fd) < 0 && done == text->len) {
        e = errno;
        done = 0;
    }
    if (fd >= 0 && done == text->len) {
        app_status(a, STATUS_INFO, _("%zu lines saved to %s"), lines, full);
        return 0;
    }
    app_status(a, STATUS_ERROR, _("cannot save to %s: %s"), path, strerror(e));
    return -1;
}
