/* files_ceiling.c - bench/files' yardstick for boxtopd's /files when the client is not the
 * limit: the least work a client can do on this kernel. Download: GET, the body moved
 * socket -> pipe -> file with splice(2) (the file's only copy is the one into its page cache,
 * as with cp's copy_file_range). Upload: POST with Content-Length, the body sent with
 * sendfile(2). One request on 127.0.0.1, Connection: close.
 * Usage: files_ceiling down|up PORT PATH_AND_QUERY FILE [HEADER]...
 * Exit 0 when the answer was 200 and, for a download, the whole Content-Length arrived. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define PIPE_SIZE (1 << 20)

static int die(const char *what)
{
    fprintf(stderr, "files_ceiling: %s: %s\n", what, errno ? strerror(errno) : "failed");
    return 1;
}

static int send_all(int s, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(s, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The answer's head into head[] (NUL-terminated); returns its length, the body bytes that came
 * with it follow it in head[] up to *got. */
static long read_head(int s, char *head, size_t cap, size_t *got)
{
    *got = 0;
    for (;;) {
        ssize_t r = recv(s, head + *got, cap - 1 - *got, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        *got += (size_t)r;
        head[*got] = '\0';
        char *e = strstr(head, "\r\n\r\n");
        if (e) return e + 4 - head;
        if (*got == cap - 1) return -1;
    }
}

int main(int argc, char **argv)
{
    if (argc < 5 || (strcmp(argv[1], "down") && strcmp(argv[1], "up"))) {
        fprintf(stderr, "usage: files_ceiling down|up PORT PATH_AND_QUERY FILE [HEADER]...\n");
        return 2;
    }
    int up = !strcmp(argv[1], "up");
    int fd = up ? open(argv[4], O_RDONLY | O_CLOEXEC)
                : open(argv[4], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) return die(argv[4]);
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2]))};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof sa) < 0) return die("connect");

    char req[8192];
    int n = snprintf(req, sizeof req, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n",
                     up ? "POST" : "GET", argv[3]);
    for (int i = 5; i < argc && n > 0 && (size_t)n < sizeof req; i++)
        n += snprintf(req + n, sizeof req - (size_t)n, "%s\r\n", argv[i]);
    if (up && n > 0 && (size_t)n < sizeof req)
        n += snprintf(req + n, sizeof req - (size_t)n,
                      "Content-Type: application/octet-stream\r\nContent-Length: %lld\r\n",
                      (long long)st.st_size);
    if (n > 0 && (size_t)n < sizeof req) n += snprintf(req + n, sizeof req - (size_t)n, "\r\n");
    if (n <= 0 || (size_t)n >= sizeof req) return die("request head too long");
    if (send_all(s, req, (size_t)n) < 0) return die("send");
    if (up) {
        off_t off = 0;
        while (off < st.st_size) {
            ssize_t w = sendfile(s, fd, &off, (size_t)(st.st_size - off));
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) return die("sendfile");
        }
    }

    char head[16384];
    size_t got;
    long hl = read_head(s, head, sizeof head, &got);
    if (hl < 0) return die("reading the answer's head");
    if (strncmp(head, "HTTP/1.1 200 ", 13) != 0) {
        fprintf(stderr, "files_ceiling: %.*s\n", (int)strcspn(head, "\r"), head);
        return 1;
    }
    if (up) return 0;
    const char *cl = strcasestr(head, "\r\ncontent-length:");
    if (!cl || cl > head + hl) {
        fprintf(stderr, "files_ceiling: no Content-Length\n");
        return 1;
    }
    long long want = atoll(cl + 17), have = (long long)got - hl;
    if (have > 0 && write(fd, head + hl, (size_t)have) != have) return die("write");
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0) return die("pipe");
    fcntl(p[1], F_SETPIPE_SZ, PIPE_SIZE);
    while (have < want) {
        ssize_t r = splice(s, NULL, p[1], NULL, PIPE_SIZE, SPLICE_F_MOVE | SPLICE_F_MORE);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return die("splice from the socket");
        if (r == 0) break;
        have += r;
        while (r > 0) {
            ssize_t w = splice(p[0], NULL, fd, NULL, (size_t)r, SPLICE_F_MOVE);
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) return die("splice to the file");
            r -= w;
        }
    }
    if (have != want) {
        fprintf(stderr, "files_ceiling: %lld of %lld bytes\n", have, want);
        return 1;
    }
    return close(fd) < 0 ? die("close") : 0;
}
