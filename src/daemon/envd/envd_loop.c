/* envd_loop.c - envd's fds and timers in boxtopd's lws loop: pty masters, pipes and inotify
 * fds are adopted as RAW_FILE descriptors (libs-notes §4: EOF arrives as RAW_CLOSE_FILE with
 * no final read, so HUP is reported to the owner there), timers are lws_sul. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libwebsockets.h>

#include "envd_int.h"
#include "envd_lws.h"

struct envd_fdw {
    struct lws *wsi;
    int fd;
    envd_fd_cb cb;
    void *arg;
    bool closing;
};

struct envd_timer {
    lws_sorted_usec_list_t sul; /* first: the callback gets &sul */
    envd_timer_cb cb;
    void *arg;
};

/* Per-vhost binding, stored in the protocols' vhost private data. */
struct envd_bind {
    struct envd *e;
    struct lws_context *ctx;
    struct lws_vhost *vh;
};

static struct envd_bind *bind_of(struct envd *e)
{
    return e->bind;
}

int envd_lws_bind(struct envd *e, struct lws_context *ctx, struct lws_vhost *vh)
{
    const struct lws_protocols *ph = lws_vhost_name_to_protocol(vh, ENVD_LWS_PROTOCOL_HTTP);
    const struct lws_protocols *pr = lws_vhost_name_to_protocol(vh, ENVD_LWS_PROTOCOL_RAW);
    if (!ph || !pr) return -1;
    struct envd_bind *b = calloc(1, sizeof *b);
    if (!b) return -1;
    b->e = e;
    b->ctx = ctx;
    b->vh = vh;
    void **slot = lws_protocol_vh_priv_zalloc(vh, ph, sizeof(void *));
    void **slot2 = lws_protocol_vh_priv_zalloc(vh, pr, sizeof(void *));
    if (!slot || !slot2) {
        free(b);
        return -1;
    }
    *slot = e;
    *slot2 = e;
    free(e->bind);
    e->bind = b;
    return 0;
}

struct envd *envd_of_wsi(struct lws *wsi)
{
    void **slot = lws_protocol_vh_priv_get(lws_get_vhost(wsi), lws_get_protocol(wsi));
    return slot ? *slot : NULL;
}

struct envd_fdw *envd_fd_watch(struct envd *e, int fd, envd_fd_cb cb, void *arg)
{
    struct envd_bind *b = bind_of(e);
    if (!b) return NULL;
    struct envd_fdw *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->fd = fd;
    w->cb = cb;
    w->arg = arg;
    lws_sock_file_fd_type u;
    memset(&u, 0, sizeof u);
    u.filefd = (lws_filefd_type)(intptr_t)fd;
    w->wsi =
        lws_adopt_descriptor_vhost(b->vh, LWS_ADOPT_RAW_FILE_DESC, u, ENVD_LWS_PROTOCOL_RAW, NULL);
    if (!w->wsi) {
        free(w);
        return NULL;
    }
    lws_set_opaque_user_data(w->wsi, w);
    return w;
}

void envd_fd_want_write(struct envd_fdw *w, bool on)
{
    if (w && on && !w->closing) lws_callback_on_writable(w->wsi);
}

void envd_fd_pause_read(struct envd_fdw *w, bool paused)
{
    if (w && !w->closing) lws_rx_flow_control(w->wsi, paused ? 0 : 1);
}

void envd_fd_close(struct envd_fdw *w)
{
    if (!w || w->closing) return;
    /* lws owns the fd now: it closes it with the wsi; RAW_CLOSE_FILE frees w */
    w->closing = true;
    w->cb = NULL;
    lws_set_timeout(w->wsi, PENDING_TIMEOUT_KILLED_BY_PARENT, LWS_TO_KILL_ASYNC);
}

int envd_lws_raw_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                    size_t len)
{
    struct envd_fdw *w = lws_get_opaque_user_data(wsi);
    switch (reason) {
    case LWS_CALLBACK_RAW_RX_FILE:
        if (w && w->cb) w->cb(w->arg, w->fd, ENVD_FD_READ);
        return 0;
    case LWS_CALLBACK_RAW_WRITEABLE_FILE:
        if (w && w->cb) w->cb(w->arg, w->fd, ENVD_FD_WRITE);
        return 0;
    case LWS_CALLBACK_RAW_CLOSE_FILE:
        if (w) {
            lws_set_opaque_user_data(wsi, NULL);
            if (w->cb) {
                w->closing = true;
                w->cb(w->arg, w->fd, ENVD_FD_HUP);
            }
            free(w);
        }
        return 0;
    default:
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    }
}

static void sul_fire(lws_sorted_usec_list_t *sul)
{
    struct envd_timer *t = (struct envd_timer *)sul;
    envd_timer_cb cb = t->cb;
    void *arg = t->arg;
    free(t);
    cb(arg);
}

struct envd_timer *envd_timer_start(struct envd *e, int64_t ms, envd_timer_cb cb, void *arg)
{
    struct envd_bind *b = bind_of(e);
    if (!b || ms <= 0) return NULL;
    struct envd_timer *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->cb = cb;
    t->arg = arg;
    lws_sul_schedule(b->ctx, 0, &t->sul, sul_fire, (lws_usec_t)ms * 1000);
    return t;
}

void envd_timer_stop(struct envd_timer *t)
{
    if (!t) return;
    lws_sul_cancel(&t->sul);
    free(t);
}
