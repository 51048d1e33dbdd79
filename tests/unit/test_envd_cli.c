/* test_envd_cli.c - `boxtop exec` and `boxtop cp` (the real binary) against the fake E2B
 * backend of test_envd_fake.c: output streaming and exit codes, request contents, directory
 * copies both ways, hostile paths from the sandbox, error exit codes, and that no secret
 * appears in any output. */
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

#include "boxtop/buf.h"
#include "test_envd_fake.h"

static char tmpdir[64];
static struct buf all_output = BUF_INIT; /* everything boxtop printed, checked for secrets */
static bool stderr_tty; /* run_boxtop: stderr is a terminal (a pty read into errout) */

/* Run src/boxtop with argv (NULL-terminated, without the program name); stdin /dev/null. */
static int run_boxtop(const struct server *srv, const char *const *args, struct buf *out,
                      struct buf *errout)
{
    const char *bd = getenv("abs_top_builddir");
    char prog[1024], url[64], opath[128], epath[128];
    snprintf(prog, sizeof prog, "%s/src/boxtop", bd ? bd : ".");
    snprintf(url, sizeof url, "http://127.0.0.1:%d", srv->port);
    snprintf(opath, sizeof opath, "%s/stdout", tmpdir);
    snprintf(epath, sizeof epath, "%s/stderr", tmpdir);
    const char *argv[32] = {prog};
    int n = 1;
    for (; args[n - 1] && n < 31; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    int ptm = -1;
    const char *pts = NULL;
    if (stderr_tty) {
        ptm = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK);
        assert_true(ptm >= 0 && grantpt(ptm) == 0 && unlockpt(ptm) == 0);
        pts = ptsname(ptm);
        assert_non_null(pts);
    }
    struct buf tty = BUF_INIT;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char home[128], api[96], sbx[96], key[96];
        snprintf(home, sizeof home, "HOME=%s", tmpdir);
        snprintf(api, sizeof api, "E2B_API_URL=%s", url);
        snprintf(sbx, sizeof sbx, "E2B_SANDBOX_URL=%s", url);
        snprintf(key, sizeof key, "E2B_API_KEY=%s", API_KEY);
        char *env[] = {home, api, sbx, key, "PATH=/usr/bin:/bin", "LANG=C", NULL};
        int in = open("/dev/null", O_RDONLY);
        int o = open(opath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e =
            pts ? open(pts, O_WRONLY | O_NOCTTY) : open(epath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || o < 0 || e < 0 || dup2(in, 0) < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
            _exit(127);
        execve(prog, (char **)argv, env);
        _exit(127);
    }
    int status = 0;
    time_t deadline = time(NULL) + 30;
    for (;;) {
        char chunk[4096];
        ssize_t got;
        while (ptm >= 0 && (got = read(ptm, chunk, sizeof chunk)) > 0)
            buf_append(&tty, chunk, (size_t)got);
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) break;
        if (time(NULL) > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            fail_msg("boxtop did not finish in 30 s");
        }
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    buf_reset(out);
    buf_reset(errout);
    slurp_file(opath, out);
    if (ptm >= 0) {
        char chunk[4096];
        ssize_t got;
        while ((got = read(ptm, chunk, sizeof chunk)) > 0)
            buf_append(&tty, chunk, (size_t)got);
        close(ptm);
        buf_append(errout, tty.data ? tty.data : "", tty.len);
    } else {
        slurp_file(epath, errout);
    }
    buf_free(&tty);
    buf_append(&all_output, out->data ? out->data : "", out->len);
    buf_append(&all_output, errout->data ? errout->data : "", errout->len);
    buf_append_str(out, "");
    buf_append_str(errout, "");
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static const struct fake_record *find_record(const struct shared *sh, const char *prefix)
{
    for (int i = 0; i < sh->nrec && i < FAKE_MAX_RECORDS; i++)
        if (!strncmp(sh->rec[i].what, prefix, strlen(prefix))) return &sh->rec[i];
    return NULL;
}

/* The upload that became remote path dst: the engine POSTs to a temporary name, then Moves it
 * to dst; the upload record names the temporary (URL-encoded as on the wire). */
static const struct fake_record *uploaded_as(const struct shared *sh, const char *dst)
{
    char want[300], src[256], enc[300];
    snprintf(want, sizeof want, "\"destination\":\"%s\"", dst);
    for (int i = 0; i < sh->nrec && i < FAKE_MAX_RECORDS; i++) {
        const char *w = sh->rec[i].what, *s = strstr(w, "\"source\":\"");
        if (strncmp(w, "move ", 5) || !strstr(w, want) || !s) continue;
        snprintf(src, sizeof src, "%.*s", (int)strcspn(s + 10, "\""), s + 10);
        size_t k = 0;
        for (const char *c = src; *c && k < sizeof enc - 4; c++)
            k +=
                (size_t)(*c == '/' ? snprintf(enc + k, 4, "%%2F") : snprintf(enc + k, 2, "%c", *c));
        char rec[320];
        snprintf(rec, sizeof rec, "upload %s", enc);
        return find_record(sh, rec);
    }
    return NULL;
}

static char *path_in(const char *rel)
{
    static char p[512];
    snprintf(p, sizeof p, "%s/%s", tmpdir, rel);
    return p;
}

static void expect_file(const char *rel, const char *content, unsigned mode)
{
    struct buf b = BUF_INIT;
    struct stat st;
    assert_int_equal(stat(path_in(rel), &st), 0);
    slurp_file(path_in(rel), &b);
    buf_append_str(&b, "");
    assert_string_equal(buf_cstr(&b), content);
    assert_int_equal(st.st_mode & 0777, mode);
    buf_free(&b);
}

static void exec_streams_and_exits(void **state)
{
    struct server *srv = *state;
    struct buf out = BUF_INIT, err = BUF_INIT;
    srv->sh->nrec = 0;
    const char *a1[] = {"exec", SBX, "--", "echo", "hello", NULL};
    assert_int_equal(run_boxtop(srv, a1, &out, &err), 3);
    assert_string_equal(buf_cstr(&out), "hello\n");
    assert_string_equal(buf_cstr(&err), "oops");
    const struct fake_record *r = find_record(srv->sh, "start ");
    assert_non_null(r);
    assert_string_equal(r->what, "start {\"process\":{\"cmd\":\"/bin/bash\",\"args\":[\"-l\","
                                 "\"-c\",\"echo hello\"]},\"stdin\":true}");
    /* Options, and arguments that need quoting. */
    srv->sh->nrec = 0;
    const char *a2[] = {"exec", "--env", "A=1", "--cwd", "/tmp", SBX,
                        "--",   "sh",    "-c",  "x y",   NULL};
    assert_int_equal(run_boxtop(srv, a2, &out, &err), 3);
    r = find_record(srv->sh, "start ");
    assert_non_null(r);
    assert_string_equal(r->what, "start {\"process\":{\"cmd\":\"/bin/bash\",\"args\":[\"-l\","
                                 "\"-c\",\"sh -c 'x y'\"],\"envs\":{\"A\":\"1\"},\"cwd\":\"/"
                                 "tmp\"},\"stdin\":true}");
    /* Usage errors and an unknown sandbox. */
    const char *a3[] = {"exec", SBX, NULL};
    assert_int_equal(run_boxtop(srv, a3, &out, &err), 2);
    const char *a4[] = {"exec", "nope", "--", "true", NULL};
    assert_int_equal(run_boxtop(srv, a4, &out, &err), 3);
    assert_non_null(strstr(buf_cstr(&err), "not found"));
    const char *a5[] = {"exec", "--env", "novalue", SBX, "--", "true", NULL};
    assert_int_equal(run_boxtop(srv, a5, &out, &err), 2);
    buf_free(&out);
    buf_free(&err);
}

static void cp_download(void **state)
{
    struct server *srv = *state;
    struct buf out = BUF_INIT, err = BUF_INIT;
    char dst[512];
    snprintf(dst, sizeof dst, "%s", path_in("big.out"));
    const char *a1[] = {"cp", SBX ":/big", dst, NULL};
    assert_int_equal(run_boxtop(srv, a1, &out, &err), 0);
    struct stat st;
    assert_int_equal(stat(dst, &st), 0);
    assert_int_equal(st.st_size, BIG);
    assert_int_equal(st.st_mode & 0777, 0640);
    struct buf b = BUF_INIT;
    slurp_file(dst, &b);
    for (size_t i = 0; i < b.len; i++)
        if ((unsigned char)b.data[i] != big_byte(i)) fail_msg("byte %zu differs", i);
    buf_free(&b);

    /* A directory onto an existing directory: lands inside it; hostile entries skipped. */
    assert_int_equal(mkdir(path_in("dl"), 0755), 0);
    snprintf(dst, sizeof dst, "%s", path_in("dl"));
    const char *a2[] = {"cp", SBX ":/dir", dst, NULL};
    assert_int_equal(run_boxtop(srv, a2, &out, &err), 0);
    expect_file("dl/dir/a", "A-content\n", 0755);
    expect_file("dl/dir/sub/b", "B\n", 0644);
    assert_int_equal(stat(path_in("dl/dir"), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0750);
    assert_int_equal(stat(path_in("dl/escape"), &st), -1);
    assert_int_equal(stat(path_in("escape"), &st), -1);
    assert_int_equal(stat(path_in("dl/dir/odd"), &st), -1);
    assert_non_null(strstr(buf_cstr(&err), "warning"));

    /* A Stat answer whose path ends in ".." must not make the copy land beside dl/: the
     * sandbox chooses no local name outside the destination. */
    const char *a5[] = {"cp", SBX ":/trick", dst, NULL};
    int rc5 = run_boxtop(srv, a5, &out, &err);
    assert_int_equal(stat(path_in("planted"), &st), -1);
    assert_int_equal(stat(path_in("dl/planted"), &st), -1);
    assert_int_not_equal(rc5, 0);

    /* Progress goes to stderr only when it is a terminal: one line for the whole copy, redrawn
     * in place, ending at 100 % with the file count. */
    assert_null(strstr(buf_cstr(&err), "\r"));
    stderr_tty = true;
    snprintf(dst, sizeof dst, "%s", path_in("big.tty"));
    const char *a6[] = {"cp", SBX ":/big", dst, NULL};
    assert_int_equal(run_boxtop(srv, a6, &out, &err), 0);
    stderr_tty = false;
    assert_non_null(strstr(buf_cstr(&err), "\r\033[K"));
    assert_non_null(strstr(buf_cstr(&err), "3.0 MiB / 3.0 MiB  100%"));
    assert_non_null(strstr(buf_cstr(&err), "files 1/1"));
    assert_int_equal(stat(dst, &st), 0);
    assert_int_equal(st.st_size, BIG);

    /* Missing source: exit 3, nothing created. */
    snprintf(dst, sizeof dst, "%s", path_in("missing.out"));
    const char *a3[] = {"cp", SBX ":/nope", dst, NULL};
    assert_int_equal(run_boxtop(srv, a3, &out, &err), 3);
    assert_int_equal(stat(dst, &st), -1);
    const char *a4[] = {"cp", "x", "y", NULL};
    assert_int_equal(run_boxtop(srv, a4, &out, &err), 2);

    /* Into a directory that is not there: in words, with the call's text as the detail. */
    char want[1200];
    snprintf(dst, sizeof dst, "%s", path_in("nodir/big.out"));
    const char *a7[] = {"cp", SBX ":/big", dst, NULL};
    buf_reset(&err);
    assert_int_equal(run_boxtop(srv, a7, &out, &err), 1);
    snprintf(want, sizeof want, "cannot write %s: its directory %s does not exist\n", dst,
             path_in("nodir"));
    assert_non_null(strstr(buf_cstr(&err), want));
    assert_non_null(strstr(buf_cstr(&err), "\n  detail: open "));
    assert_non_null(strstr(buf_cstr(&err), "No such file or directory (errno 2)"));
    buf_free(&out);
    buf_free(&err);
}

static void write_file(const char *rel, const char *content, unsigned mode)
{
    int fd = open(path_in(rel), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
    assert_int_equal(fchmod(fd, mode), 0);
    close(fd);
}

static void cp_upload(void **state)
{
    struct server *srv = *state;
    struct buf out = BUF_INIT, err = BUF_INIT;
    assert_int_equal(mkdir(path_in("up"), 0755), 0);
    assert_int_equal(mkdir(path_in("up/sub"), 0755), 0);
    write_file("up/x", "xx", 0755);
    write_file("up/y", "yyy", 0644);
    write_file("up/sub/z", "z", 0644);
    srv->sh->nrec = 0;
    char src[512];
    snprintf(src, sizeof src, "%s", path_in("up"));
    const char *a1[] = {"cp", src, SBX ":/updir", NULL};
    assert_int_equal(run_boxtop(srv, a1, &out, &err), 0);
    assert_non_null(find_record(srv->sh, "mkdir /updir"));
    assert_non_null(find_record(srv->sh, "mkdir /updir/sub"));
    const struct fake_record *r = uploaded_as(srv->sh, "/updir/x");
    assert_non_null(r);
    assert_int_equal(r->bytes, 2);
    assert_true(r->hash == fnv(FNV_INIT, (const unsigned char *)"xx", 2));
    r = uploaded_as(srv->sh, "/updir/y");
    assert_non_null(r);
    assert_int_equal(r->bytes, 3);
    r = uploaded_as(srv->sh, "/updir/sub/z");
    assert_non_null(r);
    assert_int_equal(r->bytes, 1);
    /* Mode 0755 of x is applied with chmod in the sandbox; 0644 files need nothing. */
    r = find_record(srv->sh, "start ");
    assert_non_null(r);
    assert_non_null(strstr(r->what,
                           "\"cmd\":\"/bin/sh\",\"args\":[\"-c\",\"exec /bin/chmod \\\"$@\\\"\","
                           "\"boxtop-internal\",\"755\",\"--\",\"/updir/x\"]"));
    assert_null(strstr(r->what, "/updir/y"));
    assert_null(strstr(buf_cstr(&err), "could not set file modes"));
    assert_null(strstr(buf_cstr(&err), "warning"));

    /* A file onto an existing directory lands inside it. */
    srv->sh->nrec = 0;
    snprintf(src, sizeof src, "%s", path_in("up/y"));
    const char *a2[] = {"cp", src, SBX ":/home", NULL};
    assert_int_equal(run_boxtop(srv, a2, &out, &err), 0);
    r = uploaded_as(srv->sh, "/home/y");
    assert_non_null(r);
    assert_int_equal(r->bytes, 3);
    /* Missing local source. */
    char nothing[512], want[1200];
    snprintf(nothing, sizeof nothing, "%s", path_in("nothing"));
    const char *a3[] = {"cp", nothing, SBX ":/x", NULL};
    buf_reset(&err);
    assert_int_equal(run_boxtop(srv, a3, &out, &err), 3);
    snprintf(want, sizeof want,
             "boxtop: cannot read %s: it does not exist\n  detail: stat %s: ", nothing, nothing);
    assert_non_null(strstr(buf_cstr(&err), want));
    buf_free(&out);
    buf_free(&err);
}

static void no_secret_in_output(void **state)
{
    (void)state;
    buf_append_str(&all_output, "");
    assert_true(all_output.len > 0);
    assert_null(strstr(buf_cstr(&all_output), TOKEN));
    assert_null(strstr(buf_cstr(&all_output), API_KEY));
    buf_free(&all_output);
}

static int setup(void **state)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/boxtop-cli-test-XXXXXX");
    if (!mkdtemp(tmpdir)) return -1;
    return server_start(state);
}

static int teardown(void **state)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
    return server_stop(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exec_streams_and_exits),
        cmocka_unit_test(cp_download),
        cmocka_unit_test(cp_upload),
        cmocka_unit_test(no_secret_in_output),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
