/* fake_server.h - the loopback fake servers the unit tests fork (test_http, test_envd_fake,
 * test_api_calls, test_cli_e2e, the test_tui_* backend tests: fake_backend.h): 127.0.0.1 on a free
 * port, a server process in its own process group that forks one child per connection, and memory
 * shared with the test (what the server saw, switches the test flips). Stopping kills the whole
 * group, so no process is left behind. Reading requests: fake_conn.h. */
#ifndef BOXTOP_TESTS_FAKE_SERVER_H
#define BOXTOP_TESTS_FAKE_SERVER_H

#include <stddef.h>
#include <sys/types.h>

/* One connection, in its own child process: fd, its number (1, 2, ...), the shared memory. */
typedef void (*fake_serve_fn)(int fd, int conn_no, void *shared);

struct fake_server {
    pid_t pid;
    int port;
    void *shared; /* shared_size bytes, zeroed, MAP_SHARED with every server process */
    size_t shared_size;
};

/* 0, or -1 when the socket, the mapping or the fork failed. */
int fake_server_start(struct fake_server *s, size_t shared_size, fake_serve_fn serve);
void fake_server_stop(struct fake_server *s);

/* For cmocka's setup and teardown, so that a failed check leaves no server behind (it would
 * hold the test's output open): a new started server in *state, 0 (-1 when it did not start);
 * and that server stopped and freed, 0. */
int fake_server_setup(void **state, size_t shared_size, fake_serve_fn serve);
int fake_server_teardown(void **state);

/* In a connection's child: an answer with status, the JSON body and extra header lines (each
 * ending in \r\n, or ""); the child exits when the client is gone. */
void fake_reply(int fd, int status, const char *extra, const char *body);
/* fake_reply() with 200. */
void fake_reply_json(int fd, const char *extra, const char *body);
/* The answer to a route the fake does not serve: 404 with E2B's JSON error body, and the
 * request line on stderr, so that a client calling a wrong URL fails its test instead of
 * reading a lenient empty answer. req: the request head. */
void fake_reply_unknown(int fd, const char *req);

#endif
