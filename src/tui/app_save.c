/* app_save.c - `w` in the logs view and a command's output pane: what the view shows, written
 * to a file the user named (created 0600, never through a symlink), and the outcome said in
 * the status line. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "app.h"

int app_save_text(struct app *a, const char *path, const struct buf *text, size_t lines)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
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
        app_status(a, STATUS_INFO, _("%zu lines saved to %s"), lines, path);
        return 0;
    }
    app_status(a, STATUS_ERROR, _("cannot save to %s: %s"), path, strerror(e));
    return -1;
}
