/* backend_e2b_peek.c - the bounded read of a sandbox file behind the remote file system's peek
 * (see backend_e2b_peek.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boxtop/buf.h"
#include "boxtop/files.h"
#include "boxtop/i18n.h"
#include "backend_e2b_peek.h"

struct fpeek {
    struct loop *loop;
    struct files_transfer *ft;
    int fd;
    size_t max;
    uint64_t got;
    int64_t stop_timer; /* the transfer is cancelled from the loop, not from its callback */
    int cut;            /* stopped at max: the file goes on */
    fpeek_cb cb;
    void *ud;
};

static void finish(struct fpeek *p, const struct error *err)
{
    int fd = err ? -1 : p->fd;
    size_t len = p->got < p->max ? (size_t)p->got : p->max;
    if (err && p->fd >= 0) close(p->fd);
    p->fd = -1;
    fpeek_cb cb = p->cb;
    void *ud = p->ud;
    int more = p->cut || p->got > p->max;
    free(p);
    cb(fd, err ? 0 : len, more, err, ud);
}

static void stop_fire(struct loop *l, void *ud)
{
    (void)l;
    struct fpeek *p = ud;
    files_cancel(p->ft);
    p->ft = NULL;
    p->stop_timer = 0;
    p->cut = 1;
    finish(p, NULL);
}

static void on_progress(uint64_t done, void *ud)
{
    struct fpeek *p = ud;
    p->got = done;
    if (done >= p->max && !p->stop_timer) p->stop_timer = loop_timer_add(p->loop, 0, stop_fire, p);
}

static void on_done(const struct error *err, void *ud)
{
    struct fpeek *p = ud;
    p->ft = NULL;
    if (p->stop_timer) loop_timer_cancel(p->loop, p->stop_timer);
    p->stop_timer = 0;
    /* an error after enough bytes (a server cut short) still leaves something to show */
    finish(p, err && p->got < p->max ? err : NULL);
}

struct fpeek *fpeek_start(struct loop *loop, struct envd_client *c, const char *path,
                          const char *tmpdir, size_t max, fpeek_cb cb, void *ud, struct error *err)
{
    struct fpeek *p = calloc(1, sizeof *p);
    struct buf b = BUF_INIT;
    buf_printf(&b, "%s/view.XXXXXX", tmpdir);
    char *name = buf_steal(&b);
    if (!p || !name) {
        error_set(err, ERROR_GENERIC, "%s", _("out of memory"));
        free(p);
        free(name);
        return NULL;
    }
    p->fd = mkstemp(name);
    if (p->fd < 0) {
        error_set(err, ERROR_GENERIC, "%s: %s", tmpdir, strerror(errno));
        free(p);
        free(name);
        return NULL;
    }
    unlink(name); /* only the descriptor keeps it: nothing to clean up, ever */
    free(name);
    p->loop = loop;
    p->max = max;
    p->cb = cb;
    p->ud = ud;
    p->ft = files_download(c, path, p->fd, on_progress, on_done, p, err);
    if (!p->ft) {
        close(p->fd);
        free(p);
        return NULL;
    }
    return p;
}

void fpeek_cancel(struct fpeek *p)
{
    if (!p) return;
    if (p->stop_timer) loop_timer_cancel(p->loop, p->stop_timer);
    if (p->ft) files_cancel(p->ft);
    if (p->fd >= 0) close(p->fd);
    free(p);
}
