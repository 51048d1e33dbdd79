/* test_api_local.c - local backend discovery/start/stop against a fake boxtopd
 * (test_api_fake_boxtopd), and the state-file rules (stale pid, missing files). */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "boxtop/http.h"
#include "boxtop/local_backend.h"
#include "boxtop/loop.h"

struct ctx {
    char dir[64];
    char fake[512];
    struct loop *loop;
    struct http *http;
};

struct outcome {
    bool called;
    bool ok;
    struct error err;
    char api_url[128];
    char key[64];
    pid_t pid;
};

static void on_ready(struct local_backend *lb, const struct local_backend_info *info,
                     const struct error *err, void *ud)
{
    (void)lb;
    struct outcome *o = ud;
    o->called = true;
    o->ok = err == NULL;
    if (err) o->err = *err;
    if (info) {
        snprintf(o->api_url, sizeof o->api_url, "%s", info->api_url);
        snprintf(o->key, sizeof o->key, "%s", info->api_key);
        o->pid = info->pid;
    }
}

static int setup(void **state)
{
    struct ctx *c = calloc(1, sizeof *c);
    snprintf(c->dir, sizeof c->dir, "/tmp/boxtop-local-XXXXXX");
    if (!mkdtemp(c->dir)) return -1;
    strcat(c->dir, "/state"); /* not there yet: start must create it */
    const char *top = getenv("abs_top_builddir");
    snprintf(c->fake, sizeof c->fake, "%s/tests/unit/test_api_fake_boxtopd", top ? top : ".");
    c->loop = loop_new();
    c->http = http_new(c->loop, NULL);
    unsetenv("FAKE_BOXTOPD_MODE");
    *state = c;
    return 0;
}

static int teardown(void **state)
{
    struct ctx *c = *state;
    http_free(c->http);
    loop_free(c->loop);
    char cmd[160];
    c->dir[strlen(c->dir) - strlen("/state")] = '\0';
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", c->dir);
    int rc = system(cmd);
    free(c);
    return rc == 0 ? 0 : -1;
}

static void wait_for(struct ctx *c, struct outcome *o, int max_ms)
{
    int64_t end = loop_now_ms() + max_ms;
    while (!o->called && loop_now_ms() < end)
        loop_run_once(c->loop, 100);
}

static void test_start_use_stop(void **state)
{
    struct ctx *c = *state;
    struct outcome o = {0};
    struct error err = {0};
    struct local_backend *lb =
        local_backend_start(c->loop, c->http, c->dir, c->fake, 5000, on_ready, &o, &err);
    assert_non_null(lb);
    wait_for(c, &o, 6000);
    assert_true(o.called);
    if (!o.ok) fail_msg("start failed: %s", o.err.msg);
    assert_true(local_backend_started_by_us(lb));
    assert_true(!strncmp(o.api_url, "http://127.0.0.1:", 17));
    assert_true(!strncmp(o.key, "e2b_", 4));

    /* A second client finds the running one and does not own it. */
    struct outcome o2 = {0};
    struct local_backend *lb2 =
        local_backend_start(c->loop, c->http, c->dir, c->fake, 5000, on_ready, &o2, &err);
    assert_non_null(lb2);
    wait_for(c, &o2, 6000);
    assert_true(o2.ok);
    assert_false(local_backend_started_by_us(lb2));
    assert_int_equal(o2.pid, o.pid);
    local_backend_stop(lb2);
    assert_int_equal(kill(o.pid, 0), 0); /* still running */

    struct local_backend_info info;
    assert_int_equal(local_backend_probe(c->loop, c->http, c->dir, &info, &err), 0);
    assert_string_equal(info.api_url, o.api_url);
    local_backend_info_free(&info);

    local_backend_stop(lb);
    assert_int_equal(kill(o.pid, 0), -1); /* ours: stopped and reaped */
    assert_int_equal(errno, ESRCH);
    char path[128];
    snprintf(path, sizeof path, "%s/boxtopd.json", c->dir);
    assert_int_equal(access(path, F_OK), -1); /* it removed its state file */
    assert_int_equal(local_backend_read(c->dir, &info, &err), -1);
    assert_int_equal(err.kind, ERROR_NOT_FOUND);
}

static void stop_in_cb(struct local_backend *lb, const struct local_backend_info *info,
                       const struct error *err, void *ud)
{
    on_ready(lb, info, err, ud);
    local_backend_stop(lb); /* allowed from the callback */
}

static void test_stop_from_callback(void **state)
{
    struct ctx *c = *state;
    struct outcome o = {0};
    struct error err = {0};
    assert_non_null(
        local_backend_start(c->loop, c->http, c->dir, c->fake, 5000, stop_in_cb, &o, &err));
    wait_for(c, &o, 6000);
    assert_true(o.ok);
    for (int i = 0; i < 5; i++) /* nothing left to fire on freed memory */
        loop_run_once(c->loop, 10);
    assert_int_equal(kill(o.pid, 0), -1);
}

static void test_daemon_crash_reported_at_once(void **state)
{
    struct ctx *c = *state;
    setenv("FAKE_BOXTOPD_MODE", "crash", 1);
    struct outcome o = {0};
    struct error err = {0};
    int64_t t0 = loop_now_ms();
    struct local_backend *lb =
        local_backend_start(c->loop, c->http, c->dir, c->fake, 20000, on_ready, &o, &err);
    assert_non_null(lb);
    wait_for(c, &o, 5000);
    unsetenv("FAKE_BOXTOPD_MODE");
    assert_true(o.called);
    assert_false(o.ok);
    assert_non_null(strstr(o.err.msg, "status 3"));
    assert_true(loop_now_ms() - t0 < 3000); /* the pidfd noticed, not the 20 s timeout */
    local_backend_stop(lb);
}

static void test_timeout_then_stop(void **state)
{
    struct ctx *c = *state;
    setenv("FAKE_BOXTOPD_MODE", "slow", 1);
    struct outcome o = {0};
    struct error err = {0};
    struct local_backend *lb =
        local_backend_start(c->loop, c->http, c->dir, c->fake, 300, on_ready, &o, &err);
    unsetenv("FAKE_BOXTOPD_MODE");
    assert_non_null(lb);
    wait_for(c, &o, 3000);
    assert_true(o.called);
    assert_false(o.ok);
    assert_int_equal(o.err.kind, ERROR_NETWORK);
    assert_true(local_backend_started_by_us(lb));
    local_backend_stop(lb); /* must not leave the sleeping child behind */
}

static void test_state_files(void **state)
{
    struct ctx *c = *state;
    struct local_backend_info info;
    struct error err = {0};
    mkdir(c->dir, 0700);
    char path[128];
    snprintf(path, sizeof path, "%s/boxtopd.json", c->dir);
    assert_int_equal(local_backend_read(c->dir, &info, &err), -1);
    assert_int_equal(err.kind, ERROR_NOT_FOUND);

    /* a stale file: pid of a process that is gone */
    pid_t dead = fork();
    if (dead == 0) _exit(0);
    waitpid(dead, NULL, 0);
    FILE *f = fopen(path, "w");
    fprintf(f,
            "{\"pid\":%d,\"apiUrl\":\"http://127.0.0.1:9\",\"sandboxUrl\":"
            "\"http://127.0.0.1:9\",\"version\":\"0.1.0\"}",
            (int)dead);
    fclose(f);
    err = (struct error){0};
    assert_int_equal(local_backend_read(c->dir, &info, &err), -1);
    assert_int_equal(err.kind, ERROR_NOT_FOUND);
    assert_non_null(strstr(err.msg, "stale"));

    const char *bad[] = {
        "{\"pid\":true,\"apiUrl\":\"http://a\",\"sandboxUrl\":\"http://b\"}",
        "{\"pid\":12,\"apiUrl\":\"file:///etc/passwd\",\"sandboxUrl\":\"http://b\"}",
        "{\"pid\":12,\"sandboxUrl\":\"http://b\"}",
        "{\"pid\":0,\"apiUrl\":\"http://a\",\"sandboxUrl\":\"http://b\"}",
    };
    const char *names[] = {"pid", "apiUrl", "apiUrl", "pid"};
    for (int i = 0; i < 4; i++) {
        err = (struct error){0};
        assert_int_equal(local_backend_parse_state(bad[i], strlen(bad[i]), &info, &err), -1);
        assert_non_null(strstr(err.msg, names[i]));
    }
    unlink(path);
}

static void test_find_daemon(void **state)
{
    struct ctx *c = *state;
    mkdir(c->dir, 0700);
    char path[128];
    strcpy(path, c->dir); /* 64 bytes into 128 */
    strcat(path, "/boxtopd");
    FILE *f = fopen(path, "w");
    fputs("#!/bin/sh\n", f);
    fclose(f);
    chmod(path, 0755);
    setenv("BOXTOP_BINDIR", c->dir, 1);
    struct error err = {0};
    char *found = local_backend_find_daemon(&err);
    unsetenv("BOXTOP_BINDIR");
    assert_non_null(found);
    assert_string_equal(found, path);
    free(found);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_start_use_stop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stop_from_callback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_daemon_crash_reported_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timeout_then_stop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_state_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find_daemon, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
