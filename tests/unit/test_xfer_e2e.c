/* test_xfer_e2e.c - the transfer engine (src/e2b/xfer.c) as both its faces drive it, the file
 * browser (xfer_add in the loop) and `boxtop cp` (the built binary), against the real boxtopd
 * (free loopback ports, temporary state dir, one local sandbox; killed and stopped in
 * teardown):
 *   - boxtop cp: a 200 MiB file both ways byte-exact (SHA-256) with its mode, a directory
 *     tree with its modes both ways, a missing sandbox path exits 3;
 *   - sandbox names with LF and CR (in a file name, and in a directory name, whose second name
 *     then lives in /tmp) download byte-exact, and no second name is left in the sandbox;
 *   - a download cancelled, or a view closed (xfer_free + xfer_release_client), while the
 *     second name is being made leaves nothing behind, here or in the sandbox;
 *   - a tree upload goes on past a file that cannot be read and reports 1 error;
 *   - an upload into a directory whose name holds LF (the temporary name must not);
 *   - a tree download goes on past a file the sandbox user cannot read (mode 000). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
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
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "boxtopd_child.h"
#include <openssl/sha.h>

#include "boxtop/buf.h"
#include "boxtop/envd.h"
#include "boxtop/http.h"
#include "boxtop/loop.h"
#include "boxtop/xfer.h"

#define BIGFILE (200u * 1024u * 1024u + 7u) /* issue 5: 200 MiB each way */

static char tmpdir[64];
static struct boxtopd_child dev;
static char sbx_id[64];
static char sbx_token[256]; /* envd access token ("" when the sandbox has none) */

static void in_tmp(char *out, size_t n, const char *rel)
{
    snprintf(out, n, "%s/%s", tmpdir, rel);
}

static int sigint_after_ms; /* run_boxtop: ^C boxtop after this long (0 = never) */

/* Run src/boxtop with args (NULL-terminated); stdout into out. Returns the exit status. */
static int run_boxtop(const char *const *args, struct buf *out)
{
    const char *bd = getenv("abs_top_builddir");
    char prog[1024], opath[128];
    snprintf(prog, sizeof prog, "%s/src/boxtop", bd ? bd : ".");
    in_tmp(opath, sizeof opath, "stdout");
    const char *argv[16] = {prog};
    int n = 1;
    for (; args[n - 1] && n < 15; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        char home[128], api[160], sbx[160], key[160];
        snprintf(home, sizeof home, "HOME=%s", tmpdir);
        snprintf(api, sizeof api, "E2B_API_URL=%s", dev.api_url);
        snprintf(sbx, sizeof sbx, "E2B_SANDBOX_URL=%s", dev.sandbox_url);
        snprintf(key, sizeof key, "E2B_API_KEY=%s", dev.api_key);
        char *env[] = {home, api, sbx, key, "PATH=/usr/bin:/bin", "LANG=C", NULL};
        int in = open("/dev/null", O_RDONLY);
        int o = open(opath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || o < 0 || dup2(in, 0) < 0 || dup2(o, 1) < 0) _exit(127);
        execve(prog, (char **)argv, env);
        _exit(127);
    }
    int status = 0, slept_ms = 0;
    time_t deadline = time(NULL) + 60;
    while (waitpid(pid, &status, WNOHANG) != pid) {
        if (sigint_after_ms > 0 && slept_ms >= sigint_after_ms && slept_ms < sigint_after_ms + 5)
            kill(pid, SIGINT);
        slept_ms += 5;
        if (time(NULL) > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return -1;
        }
        struct timespec ts = {0, 5 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (out) {
        buf_reset(out);
        slurp_file(opath, out);
        buf_append_str(out, "");
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* A shell script in the sandbox (as its user); its stdout in out (may be NULL). */
static int sbx_sh(const char *script, struct buf *out)
{
    const char *args[] = {"exec", sbx_id, "--", script, NULL};
    return run_boxtop(args, out);
}

/* How many ".boxtop-" names the sandbox has in the directories the engine may use. */
static int sbx_leftovers(void)
{
    struct buf out = BUF_INIT;
    int rc = sbx_sh("ls -A /home/user /home/user/nl \"/home/user/nl/d$(printf '\\nir')\" /tmp "
                    "2>/dev/null | grep -c '^\\.boxtop-' || true",
                    &out);
    int n = rc == 0 ? atoi(buf_cstr(&out)) : -1;
    buf_free(&out);
    return n;
}

/* ---- the engine, as the view drives it ---- */

struct eng {
    struct loop *loop;
    struct http *http;
    struct envd_client *envd; /* heap: xfer_release_client frees it */
    struct xfer x;
};

static void eng_open(struct eng *e)
{
    struct error err = {0};
    e->loop = loop_new();
    assert_non_null(e->loop);
    e->http = http_new(e->loop, NULL);
    assert_non_null(e->http);
    e->envd = calloc(1, sizeof *e->envd);
    assert_non_null(e->envd);
    assert_int_equal(envd_client_init(e->envd, e->http, sbx_id, dev.sandbox_url, NULL, false,
                                      sbx_token[0] ? sbx_token : NULL, "user", &err),
                     0);
    xfer_init(&e->x, e->loop, e->envd, NULL, NULL);
}

/* Run the loop until cond(ud) or ms pass. */
static bool eng_until(struct eng *e, bool (*cond)(struct eng *, void *), void *ud, int ms)
{
    int64_t end = loop_now_ms() + ms;
    while (!cond(e, ud)) {
        if (loop_now_ms() > end) return false;
        loop_run_once(e->loop, 20);
    }
    return true;
}

static bool idle(struct eng *e, void *ud)
{
    (void)ud;
    return !xfer_busy(&e->x);
}

static bool no_requests(struct eng *e, void *ud)
{
    (void)ud;
    return http_active(e->http) == 0;
}

static bool job_started(struct eng *e, void *ud)
{
    (void)e;
    struct xfer_job *j = ud;
    return j->active > 0 || j->state != XS_PREPARING;
}

static bool job_active(struct eng *e, void *ud)
{
    (void)e;
    struct xfer_job *j = ud;
    return j->active > 0 || j->state >= XS_DONE;
}

static void eng_close(struct eng *e)
{
    xfer_free(&e->x);
    xfer_release_client(&e->x, e->envd);
    e->envd = NULL;
    /* removals of temporaries still answer; then the client is gone too */
    assert_true(eng_until(e, no_requests, NULL, 10000));
    http_free(e->http);
    loop_free(e->loop);
}

static void seq_text(struct buf *b, int from, int to)
{
    for (int i = from; i <= to; i++)
        buf_printf(b, "%d\n", i);
}

static void assert_file_is(const char *path, const struct buf *want)
{
    struct buf got = BUF_INIT;
    slurp_file(path, &got);
    assert_int_equal(got.len, want->len);
    assert_memory_equal(got.data, want->data, want->len);
    buf_free(&got);
}

/* ---- tests ---- */

static void newline_names_download_exact(void **state)
{
    (void)state;
    assert_int_equal(
        sbx_sh("set -e; mkdir -p /home/user/nl; cd /home/user/nl; nl=$(printf '\\n.'); nl=${nl%.};"
               " cr=$(printf '\\r'); seq 1 50000 > \"a${nl}b\"; seq 2 40001 > \"c${cr}d\";"
               " mkdir \"d${nl}ir\"; seq 3 30002 > \"d${nl}ir/x\"; seq 4 20003 > plain",
               NULL),
        0);
    struct eng e = {0};
    eng_open(&e);
    char local[128];
    in_tmp(local, sizeof local, "nl");
    struct xfer_job *j = xfer_add(&e.x, XFER_DOWN, "/home/user/nl", local, 1);
    assert_non_null(j);
    assert_true(eng_until(&e, idle, NULL, 30000));
    if (j->state != XS_DONE) fail_msg("state %d: %s", (int)j->state, j->msg);
    assert_int_equal(j->files_done, 4);
    char p[256];
    struct buf want = BUF_INIT;
    seq_text(&want, 1, 50000);
    snprintf(p, sizeof p, "%s/a\nb", local);
    assert_file_is(p, &want);
    buf_reset(&want);
    seq_text(&want, 2, 40001);
    snprintf(p, sizeof p, "%s/c\rd", local);
    assert_file_is(p, &want);
    buf_reset(&want);
    seq_text(&want, 3, 30002);
    snprintf(p, sizeof p, "%s/d\nir/x", local);
    assert_file_is(p, &want);
    buf_reset(&want);
    seq_text(&want, 4, 20003);
    snprintf(p, sizeof p, "%s/plain", local);
    assert_file_is(p, &want);
    buf_free(&want);
    eng_close(&e);
    assert_int_equal(sbx_leftovers(), 0);
}

/* No local temporary or target left in dir (only the entries named in keep). */
static int local_entries(const char *dir)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", dir);
    FILE *f = popen(cmd, "r");
    int n = -1;
    if (f) {
        if (fscanf(f, "%d", &n) != 1) n = -1;
        pclose(f);
    }
    return n;
}

static void cancel_while_naming(void **state)
{
    (void)state;
    char local[128];
    in_tmp(local, sizeof local, "c1");
    assert_int_equal(mkdir(local, 0700), 0);
    char dst[192];
    snprintf(dst, sizeof dst, "%s/a", local);
    /* 1. the job is cancelled just after its file started (the second name is being made) */
    struct eng e = {0};
    eng_open(&e);
    struct xfer_job *j = xfer_add(&e.x, XFER_DOWN, "/home/user/nl/a\nb", dst, 0);
    assert_non_null(j);
    assert_true(eng_until(&e, job_started, j, 10000));
    assert_true(eng_until(&e, job_active, j, 10000));
    assert_int_equal(j->state, XS_RUNNING);
    xfer_cancel(&e.x, j);
    assert_int_equal(j->state, XS_CANCELLED);
    /* the process still runs; its end removes the name it made */
    int64_t end = loop_now_ms() + 5000;
    while (loop_now_ms() < end && http_active(e.http) > 0)
        loop_run_once(e.loop, 20);
    assert_int_equal(http_active(e.http), 0);
    assert_int_equal(sbx_leftovers(), 0);
    assert_int_equal(local_entries(local), 0);
    /* 2. the view closes at that moment: the engine is freed, the client outlives it */
    j = xfer_add(&e.x, XFER_DOWN, "/home/user/nl/a\nb", dst, 0);
    assert_non_null(j);
    assert_true(eng_until(&e, job_active, j, 10000));
    eng_close(&e);
    assert_int_equal(sbx_leftovers(), 0);
    assert_int_equal(local_entries(local), 0);
}

static void write_text(const char *path, const char *s)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, s, strlen(s)), (ssize_t)strlen(s));
    close(fd);
}

static void upload_goes_on_past_a_failure(void **state)
{
    (void)state;
    char dir[128], p[192];
    in_tmp(dir, sizeof dir, "up");
    assert_int_equal(mkdir(dir, 0755), 0);
    for (int i = 0; i < 8; i++) {
        snprintf(p, sizeof p, "%s/f%d", dir, i);
        write_text(p, "content\n");
    }
    struct eng e = {0};
    eng_open(&e);
    struct xfer_job *j = xfer_add(&e.x, XFER_UP, dir, "/home/user/up", 1);
    assert_non_null(j);
    assert_int_equal(j->nitems, 9);
    /* at most XFER_MAX_ACTIVE files start at once: the last one has not; it goes away */
    const char *gone = j->items[j->nitems - 1].src;
    assert_int_equal(unlink(gone), 0);
    assert_true(eng_until(&e, idle, NULL, 30000));
    assert_int_equal(j->state, XS_FAILED);
    assert_int_equal(j->errors, 1);
    assert_int_equal(j->files_done, 7);
    assert_non_null(strstr(j->msg, "7 of 8 files copied, errors: 1, the first: "));
    assert_non_null(strstr(j->msg, gone));
    assert_non_null(strstr(j->msg, ": it does not exist")); /* in words (local_error.h) */
    assert_non_null(strstr(j->msg_detail, "open "));        /* the call and strerror stay */
    assert_non_null(strstr(j->msg_detail, "No such file"));
    eng_close(&e);
    struct buf out = BUF_INIT;
    assert_int_equal(sbx_sh("ls -A /home/user/up | wc -l; cat /home/user/up/* | sort -u", &out), 0);
    assert_string_equal(buf_cstr(&out), "7\ncontent\n");
    buf_free(&out);
}

/* Uploads into a directory whose name holds LF: the temporary name goes into the nearest
 * parent without CR/LF, then Move gives the file its name. */
static void upload_into_newline_directory(void **state)
{
    (void)state;
    char dir[128], p[192];
    in_tmp(dir, sizeof dir, "u2");
    assert_int_equal(mkdir(dir, 0755), 0);
    snprintf(p, sizeof p, "%s/d\nir", dir);
    assert_int_equal(mkdir(p, 0755), 0);
    snprintf(p, sizeof p, "%s/d\nir/f\rx", dir);
    write_text(p, "carriage\n");
    snprintf(p, sizeof p, "%s/d\nir/sub", dir);
    assert_int_equal(mkdir(p, 0755), 0);
    snprintf(p, sizeof p, "%s/d\nir/sub/plain", dir);
    write_text(p, "plain\n");
    struct eng e = {0};
    eng_open(&e);
    struct xfer_job *j = xfer_add(&e.x, XFER_UP, dir, "/home/user/u2", 1);
    assert_non_null(j);
    assert_true(eng_until(&e, idle, NULL, 30000));
    if (j->state != XS_DONE) fail_msg("state %d: %s", (int)j->state, j->msg);
    assert_int_equal(j->files_done, 2);
    eng_close(&e);
    struct buf out = BUF_INIT;
    assert_int_equal(
        sbx_sh("cd \"/home/user/u2/d$(printf '\\nir')\" && cat \"f$(printf '\\r')x\" "
               "sub/plain && ls -A /home/user /home/user/u2 | grep -c '^\\.boxtop-' || true",
               &out),
        0);
    assert_string_equal(buf_cstr(&out), "carriage\nplain\n0\n");
    buf_free(&out);
}

static void download_goes_on_past_a_failure(void **state)
{
    (void)state;
    assert_int_equal(sbx_sh("set -e; mkdir /home/user/rp; cd /home/user/rp; echo one > a; "
                            "echo two > b; echo three > c; chmod 000 b",
                            NULL),
                     0);
    char local[128], p[192];
    in_tmp(local, sizeof local, "rp");
    struct eng e = {0};
    eng_open(&e);
    struct xfer_job *j = xfer_add(&e.x, XFER_DOWN, "/home/user/rp", local, 1);
    assert_non_null(j);
    assert_true(eng_until(&e, idle, NULL, 30000));
    assert_int_equal(j->state, XS_FAILED);
    assert_int_equal(j->errors, 1);
    assert_non_null(strstr(j->msg, "2 of 3 files copied, errors: 1, the first: download "));
    assert_non_null(strstr(j->msg, "/rp/b: "));
    eng_close(&e);
    struct buf want = BUF_INIT;
    buf_append_str(&want, "one\n");
    snprintf(p, sizeof p, "%s/a", local);
    assert_file_is(p, &want);
    buf_reset(&want);
    buf_append_str(&want, "three\n");
    snprintf(p, sizeof p, "%s/c", local);
    assert_file_is(p, &want);
    buf_free(&want);
    assert_int_equal(local_entries(local), 2);
}

/* ---- boxtop cp, the command-line face ---- */

static void sha256_hex(const void *p, size_t n, char out[65])
{
    unsigned char md[SHA256_DIGEST_LENGTH];
    SHA256(p, n, md);
    for (int i = 0; i < SHA256_DIGEST_LENGTH; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static void write_file(const char *path, const void *data, size_t n, unsigned mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, n), (ssize_t)n);
    assert_int_equal(fchmod(fd, mode), 0);
    close(fd);
}

static void cp_big_file_both_ways(void **state)
{
    (void)state;
    struct buf out = BUF_INIT, back = BUF_INIT;
    unsigned char *data = malloc(BIGFILE);
    assert_non_null(data);
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < BIGFILE; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        data[i] = (unsigned char)x;
    }
    char big[128], bigback[128], want[65], dst[128];
    in_tmp(big, sizeof big, "big.bin");
    in_tmp(bigback, sizeof bigback, "big.back");
    write_file(big, data, BIGFILE, 0640);
    sha256_hex(data, BIGFILE, want);
    snprintf(dst, sizeof dst, "%s:/home/user/big.bin", sbx_id);
    const char *a1[] = {"cp", big, dst, NULL};
    assert_int_equal(run_boxtop(a1, &out), 0);
    assert_int_equal(sbx_sh("sha256sum /home/user/big.bin; stat -c %a /home/user/big.bin", &out),
                     0);
    assert_int_equal(strncmp(buf_cstr(&out), want, 64), 0);
    assert_non_null(strstr(buf_cstr(&out), "\n640\n"));
    const char *a3[] = {"cp", dst, bigback, NULL};
    assert_int_equal(run_boxtop(a3, &out), 0);
    slurp_file(bigback, &back);
    assert_int_equal(back.len, BIGFILE);
    assert_memory_equal(back.data, data, BIGFILE);
    struct stat st;
    assert_int_equal(stat(bigback, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
    free(data);
    unlink(big);
    unlink(bigback);
    buf_free(&back);
    buf_free(&out);
}

/* ^C in the middle of a copy: boxtop cp says so, exits 1, and leaves no part of the file
 * (no target, no temporary) on either side. The files are sparse 4 GiB ones, so the copy is
 * still running when the signal comes. */
static void cp_interrupted_leaves_nothing(void **state)
{
    (void)state;
    struct buf out = BUF_INIT;
    char big[128], back[128], dst[128];
    in_tmp(big, sizeof big, "sparse.bin");
    in_tmp(back, sizeof back, "sparse.back");
    int fd = open(big, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)4 << 30), 0);
    close(fd);
    snprintf(dst, sizeof dst, "%s:/home/user/sparse.bin", sbx_id);
    sigint_after_ms = 400;
    const char *a1[] = {"cp", big, dst, NULL};
    assert_int_equal(run_boxtop(a1, &out), 1);
    assert_int_equal(sbx_sh("test -e /home/user/sparse.bin && echo there || true", &out), 0);
    assert_string_equal(buf_cstr(&out), "");
    sigint_after_ms = 0;
    assert_int_equal(sbx_leftovers(), 0);
    assert_int_equal(sbx_sh("truncate -s 4G /home/user/remote.bin", NULL), 0);
    snprintf(dst, sizeof dst, "%s:/home/user/remote.bin", sbx_id);
    sigint_after_ms = 400;
    const char *a2[] = {"cp", dst, back, NULL};
    assert_int_equal(run_boxtop(a2, &out), 1);
    sigint_after_ms = 0;
    struct stat st;
    assert_int_equal(stat(back, &st), -1);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ls -A '%s' | grep -c '^\\.boxtop-' || true", tmpdir);
    FILE *f = popen(cmd, "r");
    int parts = -1;
    assert_non_null(f);
    assert_int_equal(fscanf(f, "%d", &parts), 1);
    pclose(f);
    assert_int_equal(parts, 0);
    assert_int_equal(sbx_sh("rm -f /home/user/remote.bin", NULL), 0);
    unlink(big);
    buf_free(&out);
}

static void cp_tree_round_trip(void **state)
{
    (void)state;
    struct buf out = BUF_INIT;
    char t[128], p[192], dst[128];
    in_tmp(t, sizeof t, "tree");
    const char *dirs[] = {"", "/a", "/a/b"};
    const unsigned dmodes[] = {0755, 0755, 0700};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", t, dirs[i]);
        assert_int_equal(mkdir(p, dmodes[i]), 0);
    }
    const char *files[] = {"/one.txt", "/a/run.sh", "/a/b/private", "/empty"};
    const char *texts[] = {"one\n", "#!/bin/sh\n", "secret\n", ""};
    const unsigned fmodes[] = {0644, 0755, 0600, 0644};
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", t, files[i]);
        write_file(p, texts[i], strlen(texts[i]), fmodes[i]);
    }
    assert_int_equal(sbx_sh("rm -rf /tmp/t1 && mkdir /tmp/t1", NULL), 0);
    snprintf(dst, sizeof dst, "%s:/tmp/t1", sbx_id);
    const char *a1[] = {"cp", t, dst, NULL};
    assert_int_equal(run_boxtop(a1, &out), 0);
    assert_int_equal(sbx_sh("cd /tmp/t1/tree && stat -c '%a %n' a a/b && stat -c '%a %s %n' "
                            "a/run.sh a/b/private empty one.txt",
                            &out),
                     0);
    assert_string_equal(buf_cstr(&out), "755 a\n700 a/b\n755 10 a/run.sh\n"
                                        "600 7 a/b/private\n644 0 empty\n644 4 one.txt\n");
    char back[128];
    in_tmp(back, sizeof back, "back");
    assert_int_equal(mkdir(back, 0755), 0);
    snprintf(dst, sizeof dst, "%s:/tmp/t1/tree", sbx_id);
    const char *a3[] = {"cp", dst, back, NULL};
    assert_int_equal(run_boxtop(a3, &out), 0);
    struct buf b = BUF_INIT, want = BUF_INIT;
    buf_append_str(&want, "secret\n");
    snprintf(p, sizeof p, "%s/tree/a/b/private", back);
    assert_file_is(p, &want);
    buf_free(&want);
    struct stat st;
    const char *got[] = {"/tree/a/b/private", "/tree/a/run.sh", "/tree/a/b", "/tree/empty"};
    const unsigned gmodes[] = {0600, 0755, 0700, 0644};
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", back, got[i]);
        assert_int_equal(stat(p, &st), 0);
        assert_int_equal(st.st_mode & 0777, gmodes[i]);
    }
    assert_int_equal(st.st_size, 0);
    /* Missing remote path: exit 3. */
    snprintf(dst, sizeof dst, "%s:/tmp/nothing-here", sbx_id);
    in_tmp(p, sizeof p, "nothing");
    const char *a4[] = {"cp", dst, p, NULL};
    assert_int_equal(run_boxtop(a4, &out), 3);
    assert_int_equal(stat(p, &st), -1);
    assert_int_equal(sbx_leftovers(), 0);
    buf_free(&b);
    buf_free(&out);
}

/* ---- boxtopd and the sandbox ---- */

static int setup(void **state)
{
    (void)state;
    signal(SIGPIPE, SIG_IGN);
    snprintf(tmpdir, sizeof tmpdir, "/tmp/boxtop-xfer-e2e-XXXXXX");
    return boxtopd_child_setup(&dev, tmpdir, sbx_id, sizeof sbx_id, sbx_token, sizeof sbx_token);
}

static int teardown(void **state)
{
    (void)state;
    if (sbx_id[0]) {
        const char *kill_args[] = {"kill", sbx_id, NULL};
        if (run_boxtop(kill_args, NULL) != 0) fprintf(stderr, "boxtop kill failed\n");
    }
    boxtopd_child_teardown(&dev, tmpdir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(newline_names_download_exact),
        cmocka_unit_test(cancel_while_naming),
        cmocka_unit_test(upload_goes_on_past_a_failure),
        cmocka_unit_test(upload_into_newline_directory),
        cmocka_unit_test(download_goes_on_past_a_failure),
        cmocka_unit_test(cp_big_file_both_ways),
        cmocka_unit_test(cp_tree_round_trip),
        cmocka_unit_test(cp_interrupted_leaves_nothing),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, setup, teardown);
}
