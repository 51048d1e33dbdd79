/* test_api_fake_boxtopd.c - a stand-in for boxtopd used by test_api_local: it honours the
 * state-dir contract (listen on 127.0.0.1:0, write DIR/api-key and DIR/boxtopd.json
 * atomically, answer GET /health, remove the file on SIGTERM) and nothing else.
 * FAKE_BOXTOPD_MODE=crash makes it exit 3 at once; =slow makes it wait 10 s first. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
    (void)sig;
    stop = 1;
}

int main(int argc, char **argv)
{
    const char *dir = NULL;
    for (int i = 1; i + 1 < argc; i++)
        if (!strcmp(argv[i], "--state-dir")) dir = argv[i + 1];
    const char *mode = getenv("FAKE_BOXTOPD_MODE");
    if (!dir || (mode && !strcmp(mode, "crash"))) return 3;
    if (mode && !strcmp(mode, "slow")) sleep(10);
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof a) < 0 || listen(ls, 16) < 0 ||
        getsockname(ls, (struct sockaddr *)&a, &al) < 0)
        return 1;
    char path[4096], tmp[4096];
    snprintf(path, sizeof path, "%s/api-key", dir);
    FILE *f = fopen(path, "w");
    if (!f) return 1;
    fprintf(f, "e2b_%040d\n", 7);
    fclose(f);
    snprintf(tmp, sizeof tmp, "%s/.boxtopd.json.tmp", dir);
    snprintf(path, sizeof path, "%s/boxtopd.json", dir);
    f = fopen(tmp, "w");
    if (!f) return 1;
    fprintf(f,
            "{\"pid\":%d,\"apiUrl\":\"http://127.0.0.1:%d\",\"sandboxUrl\":"
            "\"http://127.0.0.1:%d\",\"version\":\"0.1.0-fake\"}",
            (int)getpid(), ntohs(a.sin_port), ntohs(a.sin_port));
    fclose(f);
    struct sigaction sa = {.sa_handler = on_term};
    sigaction(SIGTERM, &sa, NULL); /* no SA_RESTART: accept() returns EINTR */
    if (rename(tmp, path) < 0) return 1;
    while (!stop) {
        int fd = accept(ls, NULL, NULL);
        if (fd < 0) continue;
        char buf[4096];
        ssize_t n = read(fd, buf, sizeof buf);
        const char *resp =
            n > 0 && !strncmp(buf, "GET /health ", 12)
                ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                : "HTTP/1.1 404 X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        if (write(fd, resp, strlen(resp)) < 0) stop = 1;
        close(fd);
    }
    unlink(path);
    return 0;
}
