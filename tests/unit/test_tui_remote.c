/* test_tui_remote.c - the E2B backend's remote face of a sandbox (src/tui/backend_remote.h,
 * backend_e2b_remote.c, backend_e2b_proc.c, backend_e2b_rcall.c) against the real boxtopd
 * (free loopback ports, temporary state dir, one local sandbox; stopped in teardown), driven
 * in the loop as the views drive it:
 *   - mkdir, list, stat, watch, rename and remove hand back parsed entries, a missing
 *     directory is ERROR_NOT_FOUND;
 *   - an upload through the transfer engine, then the peek of its head (cut, and whole);
 *   - the process list, attaching to a running command's output and its exit, a signal;
 *   - closing a session with a listing, a mkdir, a watch and a peek in flight: no callback
 *     runs afterwards;
 *   - a lookup that fails (FAILED, calls refused, retry looks up again) or cannot start. */
#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "boxtopd_child.h"

#include "boxtop/buf.h"
#include "boxtop/envd.h"
#include "boxtop/http.h"
#include "boxtop/loop.h"
#include "backend_e2b_remote.h"

static char tmpdir[64];
static struct boxtopd_child dev;
static char sbx_id[64];
static char sbx_token[256];

/* ---- a backend whose envd_open answers from the loop ---- */

enum fake_mode { FAKE_OK = 0, FAKE_FAIL, FAKE_NO_START };

struct fake_be {
    struct backend base;
    struct http *http;
    enum fake_mode mode;
    int opens;
};

struct fake_open {
    struct fake_be *fb;
    backend_envd_cb cb;
    void *ud;
    int64_t timer;
};

static void open_fire(struct loop *l, void *ud)
{
    (void)l;
    struct fake_open *o = ud;
    struct error err = {0};
    struct envd_client *c = NULL;
    if (o->fb->mode == FAKE_FAIL) {
        error_set(&err, ERROR_NOT_FOUND, "no such sandbox");
    } else {
        c = calloc(1, sizeof *c);
        assert_non_null(c);
        assert_int_equal(envd_client_init(c, o->fb->http, sbx_id, dev.sandbox_url, NULL, false,
                                          sbx_token[0] ? sbx_token : NULL, "user", &err),
                         0);
    }
    backend_envd_cb cb = o->cb;
    void *cud = o->ud;
    free(o);
    cb(c, c ? NULL : &err, cud);
}

static void *fake_envd_open(struct backend *be, const char *id, backend_envd_cb cb, void *ud)
{
    (void)id;
    struct fake_be *fb = (struct fake_be *)be;
    fb->opens++;
    if (fb->mode == FAKE_NO_START) return NULL;
    struct fake_open *o = calloc(1, sizeof *o);
    assert_non_null(o);
    o->fb = fb;
    o->cb = cb;
    o->ud = ud;
    o->timer = loop_timer_add(be->loop, 0, open_fire, o);
    return o;
}

static void fake_envd_cancel(struct backend *be, void *h)
{
    struct fake_open *o = h;
    loop_timer_cancel(be->loop, o->timer);
    free(o);
}

static const struct backend_ops fake_ops = {
    .kind = "fake",
    .envd_open = fake_envd_open,
    .envd_cancel = fake_envd_cancel,
};

/* ---- what the session and its calls answered ---- */

struct t {
    struct fake_be fb;
    struct bremote *r;
    int ready_calls;
    struct error ready_err;
    int done;
    struct error err;
    struct flist l;
    struct fent e;
    int changes;
    struct xfer_job *job;
    int job_ended;
    int peek_fd;
    size_t peek_len;
    int peek_more;
    int nprocs;
    bool saw_pid;
    uint32_t pid;
    struct buf out;
    int exit_status;
    int attach_ended;
    struct envd_stream *start_s; /* the test's own process start */
    int start_ended, start_status;
};

static void on_ready(void *ud, const struct error *err)
{
    struct t *t = ud;
    t->ready_calls++;
    t->ready_err = err ? *err : (struct error){0};
}

static void on_xfer(void *ud, enum xfer_event ev, struct xfer_job *j)
{
    struct t *t = ud;
    if (ev == XEV_STATE && j == t->job && j->state >= XS_DONE) t->job_ended = 1;
}

static const struct brem_events events = {.ready = on_ready, .xfer = on_xfer};

static void t_open(struct t *t, enum fake_mode mode)
{
    memset(t, 0, sizeof *t);
    t->peek_fd = -1;
    t->fb.base.ops = &fake_ops;
    t->fb.base.loop = loop_new();
    assert_non_null(t->fb.base.loop);
    t->fb.http = http_new(t->fb.base.loop, NULL);
    assert_non_null(t->fb.http);
    t->fb.mode = mode;
}

static bool t_until(struct t *t, bool (*cond)(struct t *), int ms)
{
    int64_t end = loop_now_ms() + ms;
    while (!cond(t)) {
        if (loop_now_ms() > end) return false;
        loop_run_once(t->fb.base.loop, 20);
    }
    return true;
}

static bool is_ready(struct t *t)
{
    return t->ready_calls > 0;
}
static bool is_done(struct t *t)
{
    return t->done > 0;
}
static bool no_requests(struct t *t)
{
    return http_active(t->fb.http) == 0;
}

static void t_connect(struct t *t)
{
    struct error err = {0};
    t_open(t, FAKE_OK);
    t->r = e2b_remote_open(&t->fb.base, sbx_id, &events, t, &err);
    assert_non_null(t->r);
    assert_int_equal(t->r->ops->state(t->r), BREM_CONNECTING);
    assert_true(t_until(t, is_ready, 10000));
    assert_int_equal(t->ready_err.kind, ERROR_NONE);
    assert_int_equal(t->r->ops->state(t->r), BREM_READY);
}

static void t_close(struct t *t)
{
    if (t->r) t->r->ops->close(t->r);
    t->r = NULL;
    /* the envd client goes once the last answer came */
    assert_true(t_until(t, no_requests, 10000));
    http_free(t->fb.http);
    loop_free(t->fb.base.loop);
    flist_free(&t->l);
    fent_free(&t->e);
    buf_free(&t->out);
}

static void on_done(const struct error *err, void *ud)
{
    struct t *t = ud;
    t->done++;
    t->err = err ? *err : (struct error){0};
}

static void on_list(struct flist *fresh, const struct error *err, void *ud)
{
    struct t *t = ud;
    t->done++;
    t->err = err ? *err : (struct error){0};
    if (fresh) flist_take(&t->l, fresh);
}

static void on_stat(const struct fent *e, const struct error *err, void *ud)
{
    struct t *t = ud;
    t->done++;
    t->err = err ? *err : (struct error){0};
    fent_free(&t->e);
    memset(&t->e, 0, sizeof t->e);
    if (e) {
        t->e = *e;
        t->e.name = strdup(e->name);
        t->e.owner = e->owner ? strdup(e->owner) : NULL;
        t->e.target = e->target ? strdup(e->target) : NULL;
    }
}

static void on_change(void *ud)
{
    ((struct t *)ud)->changes++;
}

static bool changed(struct t *t)
{
    return t->changes > 0;
}

/* Start a call (its result: the handle or 0), wait for its answer. */
#define CALL(t, expr)                                                                              \
    do {                                                                                           \
        struct error cerr = {0};                                                                   \
        struct error *err = &cerr;                                                                 \
        (t)->done = 0;                                                                             \
        (void)err;                                                                                 \
        assert_true((expr));                                                                       \
        assert_true(t_until((t), is_done, 10000));                                                 \
    } while (0)

static void fs_round_trip(void **state)
{
    (void)state;
    struct t t;
    t_connect(&t);
    struct bremote *r = t.r;
    CALL(&t, r->ops->mkdir(r, "/home/user/rt", on_done, &t, err) == 0);
    assert_int_equal(t.err.kind, ERROR_NONE);
    CALL(&t, r->ops->list(r, "/home/user", on_list, &t, err) != NULL);
    assert_int_equal(t.err.kind, ERROR_NONE);
    assert_string_equal(t.l.path, "/home/user");
    long i = flist_find(&t.l, "rt");
    assert_true(i >= 0);
    assert_int_equal(flist_at(&t.l, (size_t)i)->type, FENT_DIR);
    CALL(&t, r->ops->stat(r, "/home/user/rt", on_stat, &t, err) != NULL);
    assert_int_equal(t.err.kind, ERROR_NONE);
    assert_string_equal(t.e.name, "rt");
    assert_int_equal(t.e.type, FENT_DIR);

    struct error werr = {0};
    struct brem_watch *w = r->ops->watch(r, "/home/user/rt", 0, on_change, NULL, &t, &werr);
    assert_non_null(w);
    /* the watch is set up on the server before its first event can come */
    for (int k = 0; k < 20 && !t.changes; k++) {
        char p[64];
        snprintf(p, sizeof p, "/home/user/rt/x%d", k);
        CALL(&t, r->ops->mkdir(r, p, on_done, &t, err) == 0);
        t_until(&t, changed, 500);
    }
    assert_true(t.changes > 0);
    r->ops->unwatch(r, w);

    CALL(&t, r->ops->rename(r, "/home/user/rt/x0", "/home/user/rt/y", on_done, &t, err) == 0);
    assert_int_equal(t.err.kind, ERROR_NONE);
    CALL(&t, r->ops->list(r, "/home/user/rt", on_list, &t, err) != NULL);
    assert_true(flist_has(&t.l, "y"));
    assert_false(flist_has(&t.l, "x0"));
    CALL(&t, r->ops->remove(r, "/home/user/rt", on_done, &t, err) == 0);
    assert_int_equal(t.err.kind, ERROR_NONE);
    CALL(&t, r->ops->list(r, "/home/user/rt", on_list, &t, err) != NULL);
    assert_int_equal(t.err.kind, ERROR_NOT_FOUND);
    t_close(&t);
}

static bool job_ended(struct t *t)
{
    return t->job_ended;
}

static void on_peek(int fd, size_t len, int more, const struct error *err, void *ud)
{
    struct t *t = ud;
    t->done++;
    t->err = err ? *err : (struct error){0};
    t->peek_fd = fd;
    t->peek_len = len;
    t->peek_more = more;
}

/* The peek's bytes are the first len of the pattern. */
static void check_peek(struct t *t, size_t want_len, int want_more)
{
    assert_int_equal(t->err.kind, ERROR_NONE);
    assert_true(t->peek_fd >= 0);
    assert_int_equal(t->peek_len, want_len);
    assert_int_equal(t->peek_more, want_more);
    char *b = malloc(want_len);
    assert_non_null(b);
    assert_int_equal(pread(t->peek_fd, b, want_len, 0), (ssize_t)want_len);
    for (size_t i = 0; i < want_len; i++)
        if (b[i] != (char)('a' + i % 23)) fail_msg("byte %zu differs", i);
    free(b);
    close(t->peek_fd);
    t->peek_fd = -1;
}

static void copy_and_peek(void **state)
{
    (void)state;
    struct t t;
    t_connect(&t);
    struct bremote *r = t.r;
    char local[128];
    snprintf(local, sizeof local, "%s/up.bin", tmpdir);
    FILE *f = fopen(local, "w");
    assert_non_null(f);
    for (size_t i = 0; i < 100000; i++)
        fputc('a' + (int)(i % 23), f);
    fclose(f);
    t.job = r->ops->copy(r, XFER_UP, local, "/home/user/up.bin", 0);
    assert_non_null(t.job);
    size_t n = 0;
    assert_true(r->ops->jobs(r, &n) != NULL && n == 1);
    assert_true(t_until(&t, job_ended, 20000));
    assert_int_equal(t.job->state, XS_DONE);
    assert_false(r->ops->busy(r));

    CALL(&t, r->ops->peek(r, "/home/user/up.bin", tmpdir, 1000, on_peek, &t, err) != NULL);
    check_peek(&t, 1000, 1);
    CALL(&t, r->ops->peek(r, "/home/user/up.bin", tmpdir, 200000, on_peek, &t, err) != NULL);
    check_peek(&t, 100000, 0);

    r->ops->clear_finished(r);
    r->ops->jobs(r, &n);
    assert_int_equal(n, 0);
    t_close(&t);
}

/* ---- processes ---- */

static void on_procs(const struct cmd_listed *l, size_t n, const struct error *err, void *ud)
{
    struct t *t = ud;
    t->done++;
    t->err = err ? *err : (struct error){0};
    t->nprocs = (int)n;
    for (size_t i = 0; i < n; i++)
        if (l[i].pid == t->pid && l[i].command && strstr(l[i].command, "sleep 1")) t->saw_pid = 1;
}

static void on_attached(const struct brem_proc_event *ev, void *ud)
{
    struct t *t = ud;
    if (ev->kind == BREM_PROC_DATA) buf_append(&t->out, ev->data, ev->len);
    if (ev->kind == BREM_PROC_END) t->exit_status = ev->exit_status;
}

static void on_attach_end(const struct error *err, void *ud)
{
    struct t *t = ud;
    t->attach_ended = 1;
    if (err) t->err = *err;
}

static bool attach_ended(struct t *t)
{
    return t->attach_ended;
}

/* The test's own process start (the remote face starts none): its pid. */
static int on_started(const struct envd_proc_event *ev, void *ud, struct error *err)
{
    (void)err;
    struct t *t = ud;
    if (ev->kind == ENVD_PROC_START) t->pid = ev->pid;
    if (ev->kind == ENVD_PROC_END) t->start_status = envd_proc_exit_status(ev);
    return 0;
}

static void on_started_end(const struct error *err, void *ud)
{
    (void)err;
    struct t *t = ud;
    t->start_s = NULL; /* freed already */
    t->start_ended = 1;
}

static bool start_ended(struct t *t)
{
    return t->start_ended;
}

static bool have_pid(struct t *t)
{
    return t->pid != 0;
}

static void start_proc(struct t *t, struct envd_client *c, const char *script)
{
    const char *args[] = {"-c", script, NULL};
    struct envd_start_opts o = {.cmd = "/bin/sh", .args = args, .stdin_mode = -1};
    struct error err = {0};
    t->pid = 0;
    t->start_ended = t->start_status = 0;
    t->start_s = envd_process_start(c, &o, on_started, on_started_end, t, &err);
    assert_non_null(t->start_s);
    assert_true(t_until(t, have_pid, 10000));
}

static void procs_attach_signal(void **state)
{
    (void)state;
    struct t t;
    t_connect(&t);
    struct bremote *r = t.r;
    struct envd_client c = {0};
    struct error ierr = {0};
    assert_int_equal(envd_client_init(&c, t.fb.http, sbx_id, dev.sandbox_url, NULL, false,
                                      sbx_token[0] ? sbx_token : NULL, "user", &ierr),
                     0);
    start_proc(&t, &c, "sleep 1; echo after; exit 3");
    CALL(&t, r->ops->procs(r, on_procs, &t, err) != NULL);
    assert_int_equal(t.err.kind, ERROR_NONE);
    assert_true(t.saw_pid);
    struct brem_watch *w = r->ops->attach(r, t.pid, on_attached, on_attach_end, &t, &ierr);
    assert_non_null(w);
    assert_true(t_until(&t, attach_ended, 15000));
    assert_non_null(strstr(buf_cstr(&t.out), "after"));
    assert_int_equal(t.exit_status, 3);
    assert_true(t_until(&t, start_ended, 10000));

    start_proc(&t, &c, "sleep 30");
    CALL(&t, r->ops->signal(r, t.pid, 9, on_done, &t, err) == 0);
    assert_int_equal(t.err.kind, ERROR_NONE);
    assert_true(t_until(&t, start_ended, 10000));
    assert_int_equal(t.start_status, 128 + 9);
    envd_client_free(&c);
    t_close(&t);
}

/* ---- the session's life ---- */

static void close_abandons(void **state)
{
    (void)state;
    struct t t;
    t_connect(&t);
    struct error err = {0};
    assert_non_null(t.r->ops->list(t.r, "/home/user", on_list, &t, &err));
    assert_int_equal(t.r->ops->mkdir(t.r, "/home/user/abandoned", on_done, &t, &err), 0);
    struct brem_watch *w = t.r->ops->watch(t.r, "/home/user", 1, on_change, NULL, &t, &err);
    assert_non_null(w);
    assert_non_null(t.r->ops->peek(t.r, "/home/user/.bashrc", tmpdir, 100, on_peek, &t, &err));
    t.done = 0;
    t.r->ops->close(t.r);
    t.r = NULL;
    assert_true(t_until(&t, no_requests, 10000));
    assert_int_equal(t.done, 0); /* no callback after close */
    t_close(&t);
}

static void open_failures(void **state)
{
    (void)state;
    struct t t;
    struct error err = {0};
    t_open(&t, FAKE_FAIL);
    t.r = e2b_remote_open(&t.fb.base, sbx_id, &events, &t, &err);
    assert_non_null(t.r);
    assert_true(t_until(&t, is_ready, 5000));
    assert_int_equal(t.ready_err.kind, ERROR_NOT_FOUND);
    assert_int_equal(t.r->ops->state(t.r), BREM_FAILED);
    assert_null(t.r->ops->list(t.r, "/", on_list, &t, &err));
    assert_true(err.msg[0] != '\0');
    assert_null(t.r->ops->copy(t.r, XFER_DOWN, "/a", "/tmp/a", 0));
    t.fb.mode = FAKE_OK; /* the sandbox runs again */
    t.ready_calls = 0;
    t.r->ops->retry(t.r);
    assert_int_equal(t.fb.opens, 2);
    assert_true(t_until(&t, is_ready, 10000));
    assert_int_equal(t.ready_err.kind, ERROR_NONE);
    assert_int_equal(t.r->ops->state(t.r), BREM_READY);
    t_close(&t);

    t_open(&t, FAKE_NO_START);
    memset(&err, 0, sizeof err);
    assert_null(e2b_remote_open(&t.fb.base, sbx_id, &events, &t, &err));
    assert_true(err.msg[0] != '\0');
    t_close(&t);
}

/* ---- boxtopd and the sandbox ---- */

static int setup(void **state)
{
    (void)state;
    signal(SIGPIPE, SIG_IGN);
    snprintf(tmpdir, sizeof tmpdir, "/tmp/boxtop-remote-XXXXXX");
    return boxtopd_child_setup(&dev, tmpdir, sbx_id, sizeof sbx_id, sbx_token, sizeof sbx_token);
}

static int teardown(void **state)
{
    (void)state;
    if (sbx_id[0]) {
        char kill[512];
        snprintf(kill, sizeof kill,
                 "curl -s --max-time 30 -o /dev/null -X DELETE -H 'X-API-Key: %s' "
                 "'%s/sandboxes/%s'",
                 dev.api_key, dev.api_url, sbx_id);
        if (system(kill) != 0) fprintf(stderr, "could not kill the sandbox\n");
    }
    boxtopd_child_teardown(&dev, tmpdir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fs_round_trip),       cmocka_unit_test(copy_and_peek),
        cmocka_unit_test(procs_attach_signal), cmocka_unit_test(close_abandons),
        cmocka_unit_test(open_failures),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, setup, teardown);
}
