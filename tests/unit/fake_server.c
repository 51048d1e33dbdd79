/* fake_server.c - loopback fake servers for the unit tests (see fake_server.h). */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fake_server.h"

int fake_server_start(struct fake_server *s, size_t shared_size, fake_serve_fn serve)
{
    memset(s, 0, sizeof *s);
    s->shared_size = shared_size ? shared_size : 1;
    s->shared =
        mmap(NULL, s->shared_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (s->shared == MAP_FAILED) return -1;
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof a) < 0 || listen(ls, 64) < 0 ||
        getsockname(ls, (struct sockaddr *)&a, &al) < 0 || (s->pid = fork()) < 0) {
        if (ls >= 0) close(ls);
        munmap(s->shared, s->shared_size);
        return -1;
    }
    s->port = ntohs(a.sin_port);
    if (s->pid == 0) {
        setpgid(0, 0);
        signal(SIGCHLD, SIG_IGN); /* connection children reap themselves */
        for (int no = 1;; no++) {
            int fd = accept(ls, NULL, NULL);
            if (fd < 0) continue;
            if (fork() == 0) {
                close(ls);
                serve(fd, no, s->shared);
                _exit(0);
            }
            close(fd);
        }
    }
    setpgid(s->pid, s->pid); /* both sides: no race with the kill in stop */
    close(ls);
    return 0;
}

void fake_server_stop(struct fake_server *s)
{
    if (s->pid > 0) {
        kill(-s->pid, SIGKILL);
        waitpid(s->pid, NULL, 0);
    }
    if (s->shared && s->shared != MAP_FAILED) munmap(s->shared, s->shared_size);
    memset(s, 0, sizeof *s);
}

int fake_server_setup(void **state, size_t shared_size, fake_serve_fn serve)
{
    struct fake_server *s = calloc(1, sizeof *s);
    if (!s || fake_server_start(s, shared_size, serve) < 0) {
        free(s);
        return -1;
    }
    *state = s;
    return 0;
}

int fake_server_teardown(void **state)
{
    fake_server_stop(*state);
    free(*state);
    return 0;
}

static const char *reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 404:
        return "Not Found";
    default:
        return "Status";
    }
}

void fake_reply(int fd, int status, const char *extra, const char *body)
{
    size_t bl = strlen(body), cap = bl + strlen(extra) + 128;
    char *out = malloc(cap);
    if (!out) _exit(1);
    int n = snprintf(out, cap,
                     "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: "
                     "%zu\r\n%s\r\n%s",
                     status, reason(status), bl, extra, body);
    if (write(fd, out, (size_t)n) < 0) _exit(1);
    free(out);
}

void fake_reply_json(int fd, const char *extra, const char *body)
{
    fake_reply(fd, 200, extra, body);
}

void fake_reply_unknown(int fd, const char *req)
{
    fprintf(stderr, "fake server: no route for %.*s\n", (int)strcspn(req, "\r\n"), req);
    fake_reply(fd, 404, "", "{\"code\":404,\"message\":\"no such route in this fake server\"}");
}
