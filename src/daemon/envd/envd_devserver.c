/* envd_devserver.c - a development harness: one real sandbox (the runtime) served by envd on
 * a loopback port, plus the two platform-API answers the SDK needs to attach to it
 * (POST /sandboxes/{id}/connect and its /v2 twin). Lets envd be driven by the official SDK
 * before and independently of boxtopd's platform API. Not installed.
 *
 *   envd_devserver STATE_DIR   → prints "api=PORT envd=PORT id=ID token=TOKEN" and serves
 *   until SIGTERM/SIGINT. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libwebsockets.h>

#include "daemon/runtime/runtime.h"
#include "envd.h"
#include "envd_lws.h"

#define MAX_RT_FDS 64

struct dev {
    struct rt *rt;
    struct rt_sandbox *sb;
    struct envd *envd;
    struct lws_context *ctx;
    int rt_fds[MAX_RT_FDS];
    int nfds;
    lws_sorted_usec_list_t poll_sul;
    char token[64];
    volatile sig_atomic_t stop;
};

static struct dev *g_dev_for_signal; /* only the signal handler's flag lives here */

static int dev_watch(void *ud, int fd)
{
    struct dev *d = ud;
    if (d->nfds >= MAX_RT_FDS) return -1;
    d->rt_fds[d->nfds++] = fd;
    return 0;
}

static void dev_unwatch(void *ud, int fd)
{
    struct dev *d = ud;
    for (int i = 0; i < d->nfds; i++)
        if (d->rt_fds[i] == fd) {
            d->rt_fds[i] = d->rt_fds[--d->nfds];
            return;
        }
}

static void dev_proc_exited(void *ud, struct rt_sandbox *sb, pid_t pid, int code, int sig)
{
    struct dev *d = ud;
    envd_on_proc_exited(d->envd, sb, pid, code, sig);
}

static void dev_died(void *ud, struct rt_sandbox *sb, const char *why)
{
    struct dev *d = ud;
    fprintf(stderr, "sandbox died: %s\n", why);
    envd_on_sandbox_gone(d->envd, rt_sandbox_id(sb));
    d->sb = NULL;
}

/* The runtime's fds are few; polling them every 20 ms is plenty for a dev harness. */
static void poll_rt(lws_sorted_usec_list_t *sul)
{
    struct dev *d = lws_container_of(sul, struct dev, poll_sul);
    struct pollfd p[MAX_RT_FDS];
    int n = d->nfds < 0 ? 0 : (d->nfds > MAX_RT_FDS ? MAX_RT_FDS : d->nfds);
    for (int i = 0; i < n; i++)
        p[i] = (struct pollfd){d->rt_fds[i], POLLIN, 0};
    if (n > 0 && poll(p, (nfds_t)n, 0) > 0)
        for (int i = 0; i < n; i++)
            if (p[i].revents) rt_on_readable(d->rt, p[i].fd);
    lws_sul_schedule(d->ctx, 0, &d->poll_sul, poll_rt, 20 * 1000);
}

static int sb_get(void *ud, const char *id, struct envd_sandbox_info *out)
{
    struct dev *d = ud;
    if (!d->sb || strcmp(id, rt_sandbox_id(d->sb)) != 0) return -1;
    memset(out, 0, sizeof *out);
    out->id = rt_sandbox_id(d->sb);
    out->token = d->token;
    out->rt = d->sb;
    out->template_id = "base";
    return 0;
}

static void sb_foreach(void *ud, int (*cb)(void *, const struct envd_sandbox_info *), void *arg)
{
    struct dev *d = ud;
    struct envd_sandbox_info info;
    if (d->sb && sb_get(d, rt_sandbox_id(d->sb), &info) == 0) cb(arg, &info);
}

/* Fake platform API: every POST answers with the connect response. */
static int api_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                  size_t len)
{
    struct dev *d = lws_context_user(lws_get_context(wsi));
    switch (reason) {
    case LWS_CALLBACK_HTTP:
        /* the body (chunked, which lws does not decode) is irrelevant: answer and close */
        lws_callback_on_writable(wsi);
        return 0;
    case LWS_CALLBACK_HTTP_BODY:
    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
        return 0;
    case LWS_CALLBACK_HTTP_WRITEABLE: {
        char body[512];
        int n = snprintf(body, sizeof body,
                         "{\"templateID\":\"base\",\"sandboxID\":\"%s\",\"alias\":\"base\","
                         "\"clientID\":\"dev\",\"envdVersion\":\"0.6.13\",\"envdAccessToken\":"
                         "\"%s\",\"startedAt\":\"2026-11-25T12:00:00Z\",\"endAt\":"
                         "\"2027-11-25T12:00:00Z\",\"cpuCount\":2,\"memoryMB\":512,\"state\":"
                         "\"running\",\"metadata\":{}}",
                         d->sb ? rt_sandbox_id(d->sb) : "none", d->token);
        unsigned char hb[LWS_PRE + 1024], *start = hb + LWS_PRE, *p = start,
                                          *end = hb + sizeof hb - 1;
        if (lws_add_http_common_headers(wsi, 200, "application/json", (lws_filepos_t)n, &p, end) ||
            lws_finalize_write_http_header(wsi, start, &p, end))
            return -1;
        unsigned char bb[LWS_PRE + 512];
        memcpy(bb + LWS_PRE, body, (size_t)n);
        lws_write(wsi, bb + LWS_PRE, (size_t)n, LWS_WRITE_HTTP_FINAL);
        return -1;
    }
    default:
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    }
}

static void on_signal(int s)
{
    (void)s;
    if (g_dev_for_signal) g_dev_for_signal->stop = 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s STATE_DIR [API_PORT ENVD_PORT]\n", argv[0]);
        return 2;
    }
    static struct dev d;
    g_dev_for_signal = &d;
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGPIPE, SIG_IGN);
    snprintf(d.token, sizeof d.token, "devtoken%ld", (long)getpid());
    struct error err;
    struct rt_hooks hooks = {&d, dev_watch, dev_unwatch, dev_proc_exited, dev_died};
    if (rt_new(&d.rt, argv[1], "dev", NULL, &hooks, &err) < 0) {
        fprintf(stderr, "rt_new: %s\n", err.msg);
        return 1;
    }
    struct rt_spec spec = {"idevsbx0000000000001", 2, 512, 0};
    if (rt_sandbox_create(d.rt, &spec, &d.sb, &err) < 0) {
        fprintf(stderr, "create: %s\n", err.msg);
        return 1;
    }
    struct envd_host host = {&d, d.rt, sb_get, sb_foreach};
    if (envd_new(&d.envd, &host, &err) < 0) return 1;

    lws_set_log_level(LLL_ERR, NULL);
    struct lws_context_creation_info ci;
    memset(&ci, 0, sizeof ci);
    ci.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
    ci.user = &d;
    d.ctx = lws_create_context(&ci);
    static const struct lws_protocols api_protos[] = {{"api", api_cb, 0, 4096, 0, NULL, 0},
                                                      {NULL, NULL, 0, 0, 0, NULL, 0}};
    static const struct lws_protocols envd_protos[] = {ENVD_LWS_PROTOCOLS,
                                                       {NULL, NULL, 0, 0, 0, NULL, 0}};
    struct lws_context_creation_info vi;
    memset(&vi, 0, sizeof vi);
    vi.port = argc > 2 ? atoi(argv[2]) : 0;
    vi.iface = "127.0.0.1";
    vi.protocols = api_protos;
    vi.vhost_name = "api";
    struct lws_vhost *api = lws_create_vhost(d.ctx, &vi);
    vi.port = argc > 3 ? atoi(argv[3]) : 0;
    vi.protocols = envd_protos;
    vi.vhost_name = "envd";
    struct lws_vhost *ev = lws_create_vhost(d.ctx, &vi);
    if (!d.ctx || !api || !ev || envd_lws_bind(d.envd, d.ctx, ev) < 0) {
        fprintf(stderr, "lws setup failed\n");
        return 1;
    }
    printf("api=%d envd=%d id=%s token=%s\n", lws_get_vhost_listen_port(api),
           lws_get_vhost_listen_port(ev), rt_sandbox_id(d.sb), d.token);
    fflush(stdout);
    lws_sul_schedule(d.ctx, 0, &d.poll_sul, poll_rt, 20 * 1000);
    while (!d.stop && lws_service(d.ctx, 0) >= 0)
        ;
    lws_sul_cancel(&d.poll_sul);
    if (d.sb) envd_on_sandbox_gone(d.envd, rt_sandbox_id(d.sb));
    lws_context_destroy(d.ctx);
    if (d.sb) rt_sandbox_destroy(d.rt, d.sb, &err);
    envd_free(d.envd);
    rt_free(d.rt);
    return 0;
}
