/* webhook_http.c - libcurl multi inside the lws loop (see webhook_http.h).
 *
 * Why epoll: lws 4.1 adopts foreign fds only as RAW_FILE (readable or hung up), while curl
 * needs writability for connects and adds/removes sockets as it goes. One epoll instance holds
 * curl's sockets with the interest curl asks for; its own fd turns readable when any of them
 * is ready, and that fd is what the server watches. curl's timer is a server timer. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <curl/curl.h>

#include "server.h"
#include "webhook_http.h"

struct whttp_req {
    struct whttp *h;
    struct whttp_req *prev, *next;
    CURL *easy;
    struct curl_slist *hdrs;
    char *body;
    whttp_done_fn done;
    void *ud;
};

struct whttp {
    struct server *srv;
    CURLM *multi;
    int epfd;
    struct server_fd *watch;
    struct server_timer *timer;
    struct whttp_req *reqs;
};

static void req_free(struct whttp_req *r)
{
    struct whttp *h = r->h;
    if (r->prev)
        r->prev->next = r->next;
    else
        h->reqs = r->next;
    if (r->next) r->next->prev = r->prev;
    curl_multi_remove_handle(h->multi, r->easy);
    curl_easy_cleanup(r->easy);
    curl_slist_free_all(r->hdrs);
    free(r->body);
    free(r);
}

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return size * n;
}

static void describe(CURLcode rc, char *out, size_t n)
{
    switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
        snprintf(out, n, "timed out");
        break;
    case CURLE_COULDNT_CONNECT:
        snprintf(out, n, "connection refused");
        break;
    case CURLE_COULDNT_RESOLVE_HOST:
        snprintf(out, n, "cannot resolve the host");
        break;
    default:
        snprintf(out, n, "%s", curl_easy_strerror(rc));
    }
}

static void check_done(struct whttp *h)
{
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(h->multi, &left))) {
        if (m->msg != CURLMSG_DONE) continue;
        struct whttp_req *r = NULL;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
        if (!r) continue;
        long status = 0;
        char err[128] = "";
        CURLcode rc = m->data.result;
        if (rc == CURLE_OK) {
            curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
            if (status < 200 || status > 299) snprintf(err, sizeof err, "HTTP %ld", status);
        } else {
            describe(rc, err, sizeof err);
        }
        whttp_done_fn done = r->done;
        void *ud = r->ud;
        req_free(r); /* m is invalid from here */
        done((int)status, err, ud);
    }
}

static void on_epoll(struct server_fd *w, int fd, int events, void *ud)
{
    struct whttp *h = ud;
    struct epoll_event ev[16];
    (void)w;
    if (events & SERVER_FD_CLOSED) {
        h->watch = NULL;
        return;
    }
    int n = epoll_wait(fd, ev, 16, 0);
    for (int i = 0; i < n; i++) {
        int flags = 0, running;
        if (ev[i].events & EPOLLIN) flags |= CURL_CSELECT_IN;
        if (ev[i].events & EPOLLOUT) flags |= CURL_CSELECT_OUT;
        if (ev[i].events & (EPOLLERR | EPOLLHUP)) flags |= CURL_CSELECT_ERR;
        curl_multi_socket_action(h->multi, ev[i].data.fd, flags, &running);
    }
    check_done(h);
}

static void on_timer(struct server_timer *t, void *ud)
{
    struct whttp *h = ud;
    int running;
    (void)t;
    curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    check_done(h);
}

static int sock_cb(CURL *e, curl_socket_t s, int what, void *ud, void *sockp)
{
    struct whttp *h = ud;
    (void)e;
    (void)sockp;
    if (what == CURL_POLL_REMOVE) {
        epoll_ctl(h->epfd, EPOLL_CTL_DEL, s, NULL); /* may be closed already: fine */
        return 0;
    }
    struct epoll_event ev = {0};
    if (what & CURL_POLL_IN) ev.events |= EPOLLIN;
    if (what & CURL_POLL_OUT) ev.events |= EPOLLOUT;
    ev.data.fd = s;
    if (epoll_ctl(h->epfd, EPOLL_CTL_MOD, s, &ev) < 0 && errno == ENOENT)
        epoll_ctl(h->epfd, EPOLL_CTL_ADD, s, &ev);
    return 0;
}

static int timer_cb(CURLM *m, long timeout_ms, void *ud)
{
    struct whttp *h = ud;
    (void)m;
    if (timeout_ms < 0)
        server_timer_stop(h->timer);
    else
        server_timer_start(h->timer, timeout_ms);
    return 0;
}

int whttp_new(struct whttp **out, struct server *srv, struct error *err)
{
    struct whttp *h = calloc(1, sizeof *h);
    *out = NULL;
    if (!h) return error_set(err, ERROR_GENERIC, "out of memory");
    h->srv = srv;
    h->epfd = epoll_create1(EPOLL_CLOEXEC);
    h->multi = curl_multi_init();
    h->timer = server_timer_new(srv, on_timer, h);
    if (h->epfd < 0 || !h->multi || !h->timer ||
        !(h->watch = server_watch_fd(srv, h->epfd, on_epoll, h))) {
        whttp_free(h);
        return error_set(err, ERROR_GENERIC, "webhooks: cannot set up the HTTP client");
    }
    curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, sock_cb);
    curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
    curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
    curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
    *out = h;
    return 0;
}

void whttp_free(struct whttp *h)
{
    if (!h) return;
    while (h->reqs)
        req_free(h->reqs);
    if (h->multi) curl_multi_cleanup(h->multi);
    if (h->watch) server_unwatch_fd(h->watch);
    server_timer_free(h->timer);
    if (h->epfd >= 0) close(h->epfd);
    free(h);
}

struct whttp_req *whttp_post(struct whttp *h, const char *url, const char *const *headers,
                             const char *body, size_t len, long timeout_ms, whttp_done_fn done,
                             void *ud)
{
    struct whttp_req *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->h = h;
    r->done = done;
    r->ud = ud;
    r->easy = curl_easy_init();
    r->body = malloc(len + 1);
    if (!r->easy || !r->body) {
        curl_easy_cleanup(r->easy);
        free(r->body);
        free(r);
        return NULL;
    }
    memcpy(r->body, body, len);
    r->body[len] = '\0';
    for (int i = 0; headers && headers[i]; i++) {
        struct curl_slist *l = curl_slist_append(r->hdrs, headers[i]);
        if (l) r->hdrs = l;
    }
    struct curl_slist *l = curl_slist_append(r->hdrs, "Expect:"); /* lws never answers it */
    if (l) r->hdrs = l;
    CURL *e = r->easy;
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->hdrs);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L); /* a redirect is a failed delivery */
    curl_easy_setopt(e, CURLOPT_USERAGENT, "boxtopd-webhooks");
    curl_easy_setopt(e, CURLOPT_PRIVATE, r);
    /* the answer's body is not needed: discard it without buffering */
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
    r->next = h->reqs;
    if (h->reqs) h->reqs->prev = r;
    h->reqs = r;
    if (curl_multi_add_handle(h->multi, e) != CURLM_OK) {
        req_free(r);
        return NULL;
    }
    return r;
}

void whttp_cancel(struct whttp_req *r)
{
    if (r) req_free(r);
}
