/* test_tui_session.c - the PTY session manager without a server: no backend is refused with a
 * clear message, an unreachable platform API ends the session as FAILED with the reason (and
 * never a secret), bad sizes are refused, keys typed before the shell started wait in the
 * session, and closing frees everything (valgrind/ASan). The live paths (Start, SendInput,
 * Update, Connect, reconnect, TTL keep-alive) are covered by tests/tui/test_term_shell.sh. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>
#include <cmocka.h>

#include "boxtop/api.h"
#include "boxtop/http.h"
#include "boxtop/loop.h"
#include "session.h"
#include "term.h"

#define SECRET "e2b_0123456789abcdef0123456789abcdef01234567"

struct fixture {
    struct loop *loop;
    struct http *http;
    struct api *api;
    int live;
    int states;
};

static int env_fn(void *ud, struct session_env *out)
{
    struct fixture *f = ud;
    if (!f->live) return -1;
    out->http = f->http;
    out->api = f->api;
    out->sandbox_url = "http://127.0.0.1:1";
    out->domain = NULL;
    return 0;
}

static void on_state(void *ud, struct session *s)
{
    (void)s;
    ((struct fixture *)ud)->states++;
}

/* A loopback port with nothing listening: bind, read the port, close. */
static int dead_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t l = sizeof(sa);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &l), 0);
    close(fd);
    return ntohs(sa.sin_port);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    f->loop = loop_new();
    f->http = http_new(f->loop, NULL);
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", dead_port());
    struct error err = {0};
    f->api = api_new(f->http, url, SECRET, &err);
    assert_non_null(f->api);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    api_free(f->api);
    http_free(f->http);
    loop_free(f->loop);
    free(f);
    return 0;
}

static void no_backend_is_refused(void **state)
{
    struct fixture *f = *state;
    struct session_mgr *m = session_mgr_new(f->loop, env_fn, f);
    struct error err = {0};
    assert_null(session_open(m, "abc123", 24, 80, 0, &err));
    assert_non_null(strstr(err.msg, "live backend"));
    assert_int_equal(session_mgr_count(m), 0);
    session_mgr_free(m);
}

static void bad_size_is_refused(void **state)
{
    struct fixture *f = *state;
    f->live = 1;
    struct session_mgr *m = session_mgr_new(f->loop, env_fn, f);
    struct error err = {0};
    assert_null(session_open(m, "abc123", 0, 80, 0, &err));
    assert_null(session_open(m, "abc123", 24, 100000, 0, &err));
    assert_int_equal(session_mgr_count(m), 0);
    session_mgr_free(m);
}

static void unreachable_api_fails_cleanly(void **state)
{
    struct fixture *f = *state;
    f->live = 1;
    struct session_mgr *m = session_mgr_new(f->loop, env_fn, f);
    struct session_hooks h = {NULL, on_state, f};
    session_mgr_set_hooks(m, &h);
    struct error err = {0};
    struct session *s = session_open(m, "abc123", 24, 80, 0, &err);
    assert_non_null(s);
    assert_int_equal(session_state(s), SESSION_STARTING);
    assert_int_equal(session_mgr_count(m), 1);
    assert_ptr_equal(session_mgr_at(m, 0), s);
    /* typed before the shell exists: kept, not sent anywhere */
    assert_int_equal(session_send_curses(s, 0, 'x'), 0);
    int64_t t0 = loop_now_ms();
    while (session_state(s) == SESSION_STARTING && loop_now_ms() - t0 < 20000)
        loop_run_once(f->loop, 100);
    assert_int_equal(session_state(s), SESSION_FAILED);
    assert_true(f->states >= 1);
    assert_true(session_notice(s)[0] != '\0');
    assert_null(strstr(session_notice(s), SECRET + 4));
    /* a failed session cannot be reattached; closing it frees it */
    assert_int_not_equal(session_reattach(s, 24, 80, &err), 0);
    session_close(s);
    assert_int_equal(session_mgr_count(m), 0);
    session_mgr_free(m);
}

static void engine_is_the_sessions(void **state)
{
    struct fixture *f = *state;
    f->live = 1;
    struct session_mgr *m = session_mgr_new(f->loop, env_fn, f);
    struct error err = {0};
    struct session *s = session_open(m, "abc123", 10, 40, 100, &err);
    assert_non_null(s);
    int rows, cols;
    term_engine_size(session_engine(s), &rows, &cols);
    assert_int_equal(rows, 10);
    assert_int_equal(cols, 40);
    session_resize(s, 12, 50); /* no pid yet: the engine follows, no Update is sent */
    term_engine_size(session_engine(s), &rows, &cols);
    assert_int_equal(rows, 12);
    assert_int_equal(cols, 50);
    assert_string_equal(session_sandbox(s), "abc123");
    assert_int_equal(session_pid(s), 0);
    session_mgr_free(m); /* frees the open session too */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(no_backend_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_size_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(unreachable_api_fails_cleanly, setup, teardown),
        cmocka_unit_test_setup_teardown(engine_is_the_sessions, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
