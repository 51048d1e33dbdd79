/* proxy.c - a loopback TCP fault proxy for the reliability tests (issue 15).
 *
 *   proxy -t HOST:PORT -c MODEFILE [-p PORTFILE]
 *
 * Listens on 127.0.0.1 (an ephemeral port, written to PORTFILE) and forwards each connection
 * to HOST:PORT. MODEFILE is read again whenever it changes and holds one line:
 *   pass           forward everything
 *   drop N         after N bytes towards the client, close both sides (mid-response)
 *   truncate N     after N bytes towards the client, end the client's side (FIN): a short body
 *   reset N        after N bytes towards the client, reset the client (RST)
 *   stall          forward nothing in either direction until the mode changes
 *   delay MS       hold every read MS milliseconds before forwarding it
 * Byte counts are per connection. One poll loop, non-blocking sockets, no threads. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAXC  256
#define BUFSZ 65536

enum mode { M_PASS, M_DROP, M_TRUNC, M_RESET, M_STALL, M_DELAY };

struct pipe_dir {
    char buf[BUFSZ];
    size_t len, off;
    long long ready_at; /* delay: not before this (ms) */
    int eof;            /* the reading side ended */
};

struct conn {
    int c, s;                /* client, server; -1 when closed */
    struct pipe_dir up, dn;  /* up: client -> server, dn: server -> client */
    unsigned long long sent; /* bytes towards the client */
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct proxy {
    const char *modefile;
    struct timespec mtime;
    enum mode mode;
    unsigned long long arg;
    struct sockaddr_in target;
    struct conn *conns; /* MAXC of them: 128 KiB each, not for the stack */
    int nconns;
};

static void read_mode(struct proxy *p)
{
    struct stat st;
    if (stat(p->modefile, &st) < 0) return;
    if (st.st_mtim.tv_sec == p->mtime.tv_sec && st.st_mtim.tv_nsec == p->mtime.tv_nsec) return;
    p->mtime = st.st_mtim;
    FILE *f = fopen(p->modefile, "r");
    if (!f) return;
    char word[32] = "";
    unsigned long long arg = 0;
    int n = fscanf(f, "%31s %llu", word, &arg);
    fclose(f);
    if (n < 1) return;
    enum mode m = M_PASS;
    if (!strcmp(word, "drop"))
        m = M_DROP;
    else if (!strcmp(word, "truncate"))
        m = M_TRUNC;
    else if (!strcmp(word, "reset"))
        m = M_RESET;
    else if (!strcmp(word, "stall"))
        m = M_STALL;
    else if (!strcmp(word, "delay"))
        m = M_DELAY;
    p->mode = m;
    p->arg = arg;
    fprintf(stderr, "proxy: mode %s %llu\n", word, arg);
}

static void nonblock(int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static void conn_close(struct conn *k, int rst)
{
    if (k->c >= 0) {
        if (rst) {
            struct linger l = {1, 0};
            setsockopt(k->c, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        }
        close(k->c);
    }
    if (k->s >= 0) close(k->s);
    k->c = k->s = -1;
}

static void accept_one(struct proxy *p, int lfd)
{
    int c = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (c < 0) return;
    int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s < 0 || p->nconns == MAXC ||
        (connect(s, (struct sockaddr *)&p->target, sizeof p->target) < 0 && errno != EINPROGRESS)) {
        close(c);
        if (s >= 0) close(s);
        return;
    }
    struct conn *k = &p->conns[p->nconns++];
    memset(k, 0, sizeof *k);
    k->c = c;
    k->s = s;
}

/* Move bytes from fd into d (when empty), then out to the other fd. */
static int pump(struct proxy *p, struct conn *k, struct pipe_dir *d, int from, int to, int down,
                short rev, short wev)
{
    if (p->mode == M_STALL) return 0;
    if (d->len == d->off && !d->eof && (rev & (POLLIN | POLLHUP | POLLERR))) {
        size_t room = sizeof d->buf;
        if (down && (p->mode == M_DROP || p->mode == M_TRUNC || p->mode == M_RESET)) {
            unsigned long long left = p->arg > k->sent ? p->arg - k->sent : 0;
            if (left == 0) return -1 - (p->mode == M_RESET) - 2 * (p->mode == M_TRUNC);
            if (left < room) room = (size_t)left;
        }
        ssize_t n = read(from, d->buf, room);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
            d->eof = 1;
            shutdown(to, SHUT_WR);
        } else if (n > 0) {
            d->len = (size_t)n;
            d->off = 0;
            d->ready_at = p->mode == M_DELAY ? now_ms() + (long long)p->arg : 0;
        }
    }
    (void)wev;
    if (d->len > d->off && now_ms() >= d->ready_at) {
        ssize_t n = write(to, d->buf + d->off, d->len - d->off);
        if (n < 0 && errno != EAGAIN && errno != EINTR) return -1;
        if (n > 0) {
            d->off += (size_t)n;
            if (down) k->sent += (unsigned long long)n;
            if (d->off == d->len) d->len = d->off = 0;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct proxy p = {0};
    p.conns = calloc(MAXC, sizeof *p.conns);
    if (!p.conns) return 1;
    const char *target = NULL, *portfile = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "-t"))
            target = argv[i + 1];
        else if (!strcmp(argv[i], "-c"))
            p.modefile = argv[i + 1];
        else if (!strcmp(argv[i], "-p"))
            portfile = argv[i + 1];
    }
    char host[64];
    int tport;
    if (!target || !p.modefile || sscanf(target, "%63[^:]:%d", host, &tport) != 2) {
        fprintf(stderr, "usage: proxy -t HOST:PORT -c MODEFILE [-p PORTFILE]\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    p.target.sin_family = AF_INET;
    p.target.sin_port = htons((unsigned short)tport);
    if (inet_pton(AF_INET, host, &p.target.sin_addr) != 1) return 2;
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    if (bind(lfd, (struct sockaddr *)&a, sizeof a) < 0 || listen(lfd, 64) < 0 ||
        getsockname(lfd, (struct sockaddr *)&a, &al) < 0) {
        perror("proxy: listen");
        return 1;
    }
    nonblock(lfd);
    if (portfile) {
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.tmp", portfile);
        FILE *f = fopen(tmp, "w");
        if (!f) return 1;
        fprintf(f, "%d\n", ntohs(a.sin_port));
        fclose(f);
        rename(tmp, portfile);
    }
    read_mode(&p);
    struct pollfd pf[1 + 2 * MAXC];
    for (;;) {
        read_mode(&p);
        int n = 0;
        pf[n++] = (struct pollfd){.fd = lfd, .events = POLLIN};
        for (int i = 0; i < p.nconns; i++) {
            struct conn *k = &p.conns[i];
            short ce = 0, se = 0;
            if (k->s < 0)
                ce = POLLIN; /* truncated: only waiting for the client to go */
            else if (p.mode != M_STALL) {
                if (k->up.len == k->up.off && !k->up.eof) ce |= POLLIN;
                if (k->dn.len > k->dn.off) ce |= POLLOUT;
                if (k->dn.len == k->dn.off && !k->dn.eof) se |= POLLIN;
                if (k->up.len > k->up.off) se |= POLLOUT;
            }
            pf[n++] = (struct pollfd){.fd = k->c, .events = ce};
            pf[n++] = (struct pollfd){.fd = k->s, .events = se};
        }
        /* wake for the mode file and for delayed data */
        poll(pf, (nfds_t)n, p.mode == M_DELAY ? 20 : 100);
        int polled = p.nconns; /* pf holds these; one accepted now waits for the next turn */
        if (pf[0].revents & POLLIN) accept_one(&p, lfd);
        for (int i = 0; i < polled; i++) {
            struct conn *k = &p.conns[i];
            short cr = pf[1 + 2 * i].revents, sr = pf[2 + 2 * i].revents;
            if (k->c < 0) continue;
            int ru = k->s < 0 ? 0 : pump(&p, k, &k->up, k->c, k->s, 0, cr, sr);
            int rd = ru < 0 || k->s < 0 ? 0 : pump(&p, k, &k->dn, k->s, k->c, 1, sr, cr);
            if (rd == -3) { /* truncate: the client sees a clean end of a short body */
                shutdown(k->c, SHUT_WR);
                close(k->s);
                k->s = -1;
                k->dn.eof = 1;
                rd = 0;
            }
            if (k->s < 0 && (cr & (POLLIN | POLLHUP | POLLERR))) { /* truncated: drain, end */
                char junk[4096];
                ssize_t r = read(k->c, junk, sizeof junk);
                if (r == 0 || (r < 0 && errno != EAGAIN)) ru = -1;
            }
            if (ru < 0 || rd < 0 || (k->up.eof && k->dn.eof && k->dn.len == k->dn.off))
                conn_close(k, rd == -2);
        }
        int w = 0; /* drop the closed ones */
        for (int i = 0; i < p.nconns; i++)
            if (p.conns[i].c >= 0) p.conns[w++] = p.conns[i];
        p.nconns = w;
    }
}
