/* test_envd_call.c - envd RPCs and /files transfers end to end against a fake envd on
 * loopback (forked; its own process group, killed in teardown).
 *
 * The fake answers like envd does: streams as chunked application/connect+json cut into
 * 3-byte chunks (frames never align with reads), errors inside end-stream frames with
 * HTTP 200, unary errors as Connect JSON, the proxy's 502, envd's 401 for a wrong token, and
 * /files bodies of a few MiB in both directions (checked by length and hash). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "boxtop/connect.h"
#include "boxtop/envd.h"
#include "boxtop/files.h"
#include "boxtop/http.h"
#include "boxtop/loop.h"

#include "test_envd_fake.h"

/* ---- client side ---- */

struct env {
    struct loop *loop;
    struct http *http;
    struct envd_client c;
};

static void env_open(struct env *e, const struct server *srv, const char *token)
{
    char url[64];
    struct error err;
    snprintf(url, sizeof url, "http://127.0.0.1:%d", srv->port);
    e->loop = loop_new();
    e->http = http_new(e->loop, NULL);
    assert_non_null(e->http);
    assert_int_equal(envd_client_init(&e->c, e->http, SBX, url, NULL, false, token, NULL, &err), 0);
}

static void env_close(struct env *e)
{
    envd_client_free(&e->c);
    http_free(e->http);
    loop_free(e->loop);
}

struct run {
    bool done;
    bool failed;
    struct error err;
    struct buf log;
    int exit_status;
};

static int proc_cb(const struct envd_proc_event *ev, void *ud, struct error *err)
{
    (void)err;
    struct run *r = ud;
    switch (ev->kind) {
    case ENVD_PROC_START:
        buf_printf(&r->log, "start:%u|", ev->pid);
        break;
    case ENVD_PROC_DATA:
        buf_printf(&r->log, "%s:", ev->output == ENVD_OUT_STDERR ? "err" : "out");
        buf_append(&r->log, ev->data, ev->len);
        buf_append_str(&r->log, "|");
        break;
    case ENVD_PROC_END:
        r->exit_status = envd_proc_exit_status(ev);
        buf_printf(&r->log, "end:%d|", r->exit_status);
        break;
    case ENVD_PROC_KEEPALIVE:
        buf_append_str(&r->log, "ka|");
        break;
    }
    return 0;
}

static int fs_cb(const struct envd_fs_event *ev, void *ud, struct error *err)
{
    (void)err;
    struct run *r = ud;
    if (ev->kind == ENVD_FS_START)
        buf_append_str(&r->log, "start|");
    else if (ev->kind == ENVD_FS_EVENT)
        buf_printf(&r->log, "%d:%s|", (int)ev->op, ev->name);
    return 0;
}

static void end_cb(const struct error *err, void *ud)
{
    struct run *r = ud;
    r->done = true;
    if (err) {
        r->failed = true;
        r->err = *err;
    }
}

static void run_until(struct env *e, bool *done)
{
    int64_t deadline = loop_now_ms() + 10000;
    while (!*done && loop_now_ms() < deadline)
        loop_run_once(e->loop, 100);
    assert_true(*done);
}

static void start_stream_split_in_3_byte_chunks(void **state)
{
    struct env e;
    env_open(&e, *state, TOKEN);
    struct run r = {0};
    struct error err;
    const char *args[] = {"-l", "-c", "echo hello", NULL};
    struct envd_start_opts o = {.cmd = "/bin/bash", .args = args, .stdin_mode = 0};
    assert_non_null(envd_process_start(&e.c, &o, proc_cb, end_cb, &r, &err));
    run_until(&e, &r.done);
    assert_false(r.failed);
    assert_string_equal(buf_cstr(&r.log), "start:77|out:hello\n|ka|err:oops|end:3|");
    buf_free(&r.log);
    env_close(&e);
}

struct cancel_ctx {
    struct envd_stream *s;
    int events;
    bool ended;
};

static int cancel_on_first(const struct envd_proc_event *ev, void *ud, struct error *err)
{
    (void)ev;
    (void)err;
    struct cancel_ctx *c = ud;
    if (++c->events == 1)
        envd_stream_cancel(c->s); /* from inside the decoder: deferred, no on_end */
    return 0;
}

static void cancel_end(const struct error *err, void *ud)
{
    (void)err;
    ((struct cancel_ctx *)ud)->ended = true;
}

static void cancel_from_callback(void **state)
{
    struct env e;
    env_open(&e, *state, TOKEN);
    struct cancel_ctx c = {0};
    struct error err;
    const char *args[] = {"-c", "true", NULL};
    struct envd_start_opts o = {.cmd = "/bin/sh", .args = args, .stdin_mode = 0};
    c.s = envd_process_start(&e.c, &o, cancel_on_first, cancel_end, &c, &err);
    assert_non_null(c.s);
    int64_t until = loop_now_ms() + 500;
    while (loop_now_ms() < until)
        loop_run_once(e.loop, 50);
    assert_int_equal(c.events, 1);
    assert_false(c.ended);
    /* Cancel right after open, outside any callback. */
    c = (struct cancel_ctx){0};
    c.s = envd_process_start(&e.c, &o, cancel_on_first, cancel_end, &c, &err);
    assert_non_null(c.s);
    envd_stream_cancel(c.s);
    until = loop_now_ms() + 200;
    while (loop_now_ms() < until)
        loop_run_once(e.loop, 50);
    assert_int_equal(c.events, 0);
    assert_false(c.ended);
    env_close(&e);
}

static void end_stream_error_and_missing_end(void **state)
{
    struct env e;
    env_open(&e, *state, TOKEN);
    struct run r = {0};
    struct error err;
    assert_non_null(envd_process_connect(&e.c, 9, proc_cb, end_cb, &r, &err));
    run_until(&e, &r.done);
    assert_true(r.failed);
    assert_int_equal(r.err.kind, ERROR_NOT_FOUND);
    /* in words; the RPC and its Connect code stay in the detail */
    assert_string_equal(r.err.msg, "attaching to the process failed: process with pid 9 not found");
    assert_string_equal(r.err.detail, "Connect: not_found: process with pid 9 not found");
    assert_string_equal(buf_cstr(&r.log), "");
    buf_free(&r.log);

    struct run w = {0};
    assert_non_null(envd_fs_watch_dir(&e.c, "/tmp", true, fs_cb, end_cb, &w, &err));
    run_until(&e, &w.done);
    assert_string_equal(buf_cstr(&w.log), "start|1:a|");
    buf_free(&w.log);
    assert_true(w.failed);
    assert_non_null(strstr(w.err.msg, "without an end-stream frame"));
    env_close(&e);
}

/* Output before the start event is refused (it was shown, issue 25). */
static void output_before_start_refused(void **state)
{
    struct env e;
    env_open(&e, *state, TOKEN);
    struct run r = {0};
    struct error err;
    assert_non_null(envd_process_connect(&e.c, 6, proc_cb, end_cb, &r, &err));
    run_until(&e, &r.done);
    assert_true(r.failed);
    assert_int_equal(r.err.kind, ERROR_PROTOCOL);
    assert_non_null(strstr(r.err.msg, "output before the start event"));
    assert_string_equal(buf_cstr(&r.log), ""); /* nothing reached the caller */
    buf_free(&r.log);
    env_close(&e);
}

static void silent_stream_times_out(void **state)
{
    struct env e;
    env_open(&e, *state, TOKEN);
    e.c.stream_idle_ms = 300;
    struct run r = {0};
    struct error err;
    int64_t t0 = loop_now_ms();
    assert_non_null(envd_process_connect(&e.c, 5, proc_cb, end_cb, &r, &err));
    run_until(&e, &r.done);
    int64_t took = loop_now_ms() - t0;
    assert_true(r.failed);
    assert_int_equal(r.err.kind, ERROR_NETWORK);
    assert_non_null(strstr(r.err.msg, "no data from the sandbox"));
    assert_string_equal(buf_cstr(&r.log), "start:5|");
    assert_true(took >= 300 && took < 5000);
    buf_free(&r.log);
    env_close(&e);
}

struct unary_res {
    bool done;
    bool failed;
    struct error err;
    char resp[256];
};

static void unary_cb(const cJSON *resp, const struct error *err, void *ud)
{
    struct unary_res *u = ud;
    u->done = true;
    if (err) {
        u->failed = true;
        u->err = *err;
    } else {
        char *s = cJSON_PrintUnformatted(resp);
        snprintf(u->resp, sizeof u->resp, "%s", s);
        cJSON_free(s);
    }
}

static void unary_calls_and_errors(void **state)
{
    struct server *srv = *state;
    struct env e;
    env_open(&e, srv, TOKEN);
    struct error err;
    struct unary_res u = {0};
    assert_non_null(envd_process_send_input(&e.c, 1002, true, "echo hi\n", 8, unary_cb, &u, &err));
    run_until(&e, &u.done);
    assert_false(u.failed);
    assert_string_equal(u.resp, "{}");
    assert_string_equal(srv->sh->last_input,
                        "{\"process\":{\"pid\":1002},\"input\":{\"pty\":\"ZWNobyBoaQo=\"}}");
    memset(&u, 0, sizeof u);
    assert_non_null(envd_fs_stat(&e.c, "/nope", unary_cb, &u, &err));
    run_until(&e, &u.done);
    assert_true(u.failed);
    assert_int_equal(u.err.kind, ERROR_NOT_FOUND);
    assert_string_equal(u.err.msg, "reading the file's details failed: file not found: /nope");
    assert_string_equal(u.err.detail, "Stat: not_found: file not found: /nope");
    memset(&u, 0, sizeof u);
    assert_non_null(envd_process_list(&e.c, unary_cb, &u, &err));
    run_until(&e, &u.done);
    assert_true(u.failed);
    assert_int_equal(u.err.kind, ERROR_NOT_FOUND); /* proxy 502: sandbox gone */
    assert_non_null(strstr(u.err.msg, "The sandbox was not found"));
    /* Unsupported signal: refused before anything is sent. */
    memset(&u, 0, sizeof u);
    assert_null(envd_process_signal(&e.c, 1, SIGHUP, unary_cb, &u, &err));
    assert_int_equal(err.kind, ERROR_USAGE);
    env_close(&e);

    /* A wrong token: envd's 401 before the RPC layer; the token never shows. */
    env_open(&e, srv, "wrong-token-abcdef");
    memset(&u, 0, sizeof u);
    assert_non_null(envd_fs_stat(&e.c, "/x", unary_cb, &u, &err));
    run_until(&e, &u.done);
    assert_true(u.failed);
    assert_int_equal(u.err.kind, ERROR_AUTH);
    assert_null(strstr(u.err.msg, "wrong-token"));
    struct run r = {0};
    assert_non_null(envd_process_connect(&e.c, 1, proc_cb, end_cb, &r, &err));
    run_until(&e, &r.done);
    assert_true(r.failed);
    assert_int_equal(r.err.kind, ERROR_AUTH);
    env_close(&e);
}

struct xfer {
    bool done;
    bool failed;
    struct error err;
    uint64_t progress;
};

static void xfer_progress(uint64_t done, void *ud)
{
    ((struct xfer *)ud)->progress = done;
}

static void xfer_done(const struct error *err, void *ud)
{
    struct xfer *x = ud;
    x->done = true;
    if (err) {
        x->failed = true;
        x->err = *err;
    }
}

static void files_both_ways(void **state)
{
    struct server *srv = *state;
    struct env e;
    env_open(&e, srv, TOKEN);
    struct error err;
    char path[] = "/tmp/boxtop-test-files-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    /* Download 3 MiB streamed into the fd. */
    struct xfer x = {0};
    assert_non_null(files_download(&e.c, "/big", fd, xfer_progress, xfer_done, &x, &err));
    run_until(&e, &x.done);
    assert_false(x.failed);
    assert_int_equal(x.progress, BIG);
    assert_int_equal(lseek(fd, 0, SEEK_END), BIG);
    unsigned char tmp[65536];
    lseek(fd, 0, SEEK_SET);
    size_t off = 0;
    ssize_t n;
    while ((n = read(fd, tmp, sizeof tmp)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            if (tmp[i] != big_byte(off + (size_t)i)) fail_msg("byte %zu differs", off + (size_t)i);
        off += (size_t)n;
    }
    assert_int_equal(off, BIG);
    /* Upload the same bytes back: length and hash arrive intact, with and without a size. */
    uint64_t want = 1469598103934665603ULL;
    lseek(fd, 0, SEEK_SET);
    while ((n = read(fd, tmp, sizeof tmp)) > 0)
        want = fnv(want, tmp, (size_t)n);
    for (int chunked = 0; chunked < 2; chunked++) {
        srv->sh->up_bytes = 0;
        lseek(fd, 0, SEEK_SET);
        memset(&x, 0, sizeof x);
        assert_non_null(files_upload(&e.c, "/up", fd, chunked ? (int64_t)-1 : (int64_t)BIG,
                                     xfer_progress, xfer_done, &x, &err));
        run_until(&e, &x.done);
        assert_false(x.failed);
        assert_int_equal(srv->sh->up_bytes, BIG);
        assert_true(srv->sh->up_hash == want);
        assert_int_equal(x.progress, BIG);
    }
    /* A missing file: 404 from /files, nothing written. */
    assert_int_equal(ftruncate(fd, 0), 0);
    memset(&x, 0, sizeof x);
    assert_non_null(files_download(&e.c, "/missing", fd, NULL, xfer_done, &x, &err));
    run_until(&e, &x.done);
    assert_true(x.failed);
    assert_int_equal(x.err.kind, ERROR_NOT_FOUND);
    assert_int_equal(lseek(fd, 0, SEEK_END), 0);
    close(fd);
    /* A local disk that fills up: the batched writes fail and the transfer says why. */
    fd = open("/dev/full", O_WRONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    memset(&x, 0, sizeof x);
    assert_non_null(files_download(&e.c, "/big", fd, xfer_progress, xfer_done, &x, &err));
    run_until(&e, &x.done);
    assert_true(x.failed);
    assert_non_null(strstr(x.err.msg, "writing local file"));
    assert_non_null(strstr(x.err.msg, strerror(ENOSPC)));
    assert_int_equal(x.progress, 0);
    close(fd);
    env_close(&e);
}

static void multipart_upload_for_old_envd(void **state)
{
    struct server *srv = *state;
    struct env e;
    env_open(&e, srv, TOKEN);
    e.c.multipart_upload = true;
    struct error err;
    char path[] = "/tmp/boxtop-test-mp-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    unsigned char data[10000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = big_byte(i * 3);
    assert_int_equal(write(fd, data, sizeof data), (ssize_t)sizeof data);
    for (int chunked = 0; chunked < 2; chunked++) {
        srv->sh->nrec = 0;
        lseek(fd, 0, SEEK_SET);
        struct xfer x = {0};
        assert_non_null(files_upload(&e.c, "/mp", fd, chunked ? -1 : (int64_t)sizeof data,
                                     xfer_progress, xfer_done, &x, &err));
        run_until(&e, &x.done);
        assert_false(x.failed);
        assert_int_equal(srv->sh->nrec, 1);
        assert_string_equal(srv->sh->rec[0].what, "multipart %2Fmp");
        assert_int_equal(srv->sh->rec[0].bytes, sizeof data);
        assert_true(srv->sh->rec[0].hash == fnv(FNV_INIT, data, sizeof data));
        assert_int_equal(x.progress, sizeof data);
    }
    /* Names that cannot be framed are refused up front. */
    assert_null(files_upload(&e.c, "/a\"b", fd, 1, NULL, xfer_done, NULL, &err));
    assert_int_equal(err.kind, ERROR_USAGE);
    close(fd);
    env_close(&e);
    assert_true(envd_version_at_least("0.5.7", 0, 5, 7));
    assert_true(envd_version_at_least("0.6.13", 0, 5, 7));
    assert_true(envd_version_at_least("1.0.0", 0, 5, 7));
    assert_false(envd_version_at_least("0.5.6", 0, 5, 7));
    assert_false(envd_version_at_least("0.4.10", 0, 5, 7));
    assert_true(envd_version_at_least(NULL, 0, 5, 7));
    assert_true(envd_version_at_least("garbage", 0, 5, 7));
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(start_stream_split_in_3_byte_chunks),
        cmocka_unit_test(end_stream_error_and_missing_end),
        cmocka_unit_test(silent_stream_times_out),
        cmocka_unit_test(output_before_start_refused),
        cmocka_unit_test(cancel_from_callback),
        cmocka_unit_test(unary_calls_and_errors),
        cmocka_unit_test(files_both_ways),
        cmocka_unit_test(multipart_upload_for_old_envd),
    };
    return cmocka_run_group_tests(tests, server_start, server_stop);
}
