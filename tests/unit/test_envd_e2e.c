/* test_envd_e2e.c - `boxtop exec` against the real boxtopd (platform API + envd, a real local
 * sandbox), started on free loopback ports with a temporary state dir; the sandbox is killed
 * and boxtopd stopped in teardown. Checks streaming output and exit codes, stdin forwarding,
 * signals, plus the not-found and authentication exits. (`boxtop cp` is tested with the
 * transfer engine it drives: test_xfer_e2e.c.) */
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

static char tmpdir[64];
static struct boxtopd_child dev;
static char sbx_id[64];
static int sigint_after_ms; /* run_boxtop: send SIGINT to boxtop after this long (0 = never) */

static void sha256_hex(const void *p, size_t n, char out[65])
{
    unsigned char md[SHA256_DIGEST_LENGTH];
    SHA256(p, n, md);
    for (int i = 0; i < SHA256_DIGEST_LENGTH; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static char *in_tmp(const char *rel)
{
    static char p[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", tmpdir, rel);
    return p[k];
}

/* Run src/boxtop with args; stdin from stdin_path (NULL = /dev/null). */
static int run_boxtop(const char *const *args, const char *stdin_path, struct buf *out,
                      struct buf *errout)
{
    const char *bd = getenv("abs_top_builddir");
    char prog[1024];
    snprintf(prog, sizeof prog, "%s/src/boxtop", bd ? bd : ".");
    const char *argv[32] = {prog};
    int n = 1;
    for (; args[n - 1] && n < 31; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    char *opath = strdup(in_tmp("stdout")), *epath = strdup(in_tmp("stderr"));
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char home[128], api[160], sbx[160], key[160];
        const char *bad = getenv("E2E_BAD_KEY");
        snprintf(home, sizeof home, "HOME=%s", tmpdir);
        snprintf(api, sizeof api, "E2B_API_URL=%s", dev.api_url);
        snprintf(sbx, sizeof sbx, "E2B_SANDBOX_URL=%s", dev.sandbox_url);
        snprintf(key, sizeof key, "E2B_API_KEY=%s", bad ? bad : dev.api_key);
        char *env[] = {home, api, sbx, key, "PATH=/usr/bin:/bin", "LANG=C", NULL};
        int in = open(stdin_path ? stdin_path : "/dev/null", O_RDONLY);
        int o = open(opath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = open(epath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || o < 0 || e < 0 || dup2(in, 0) < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
            _exit(127);
        execve(prog, (char **)argv, env);
        _exit(127);
    }
    int status = 0;
    time_t deadline = time(NULL) + 60;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bool sent = false;
    while (waitpid(pid, &status, WNOHANG) != pid) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long ms = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
        if (sigint_after_ms > 0 && !sent && ms >= sigint_after_ms) {
            kill(pid, SIGINT);
            sent = true;
        }
        if (time(NULL) > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            fail_msg("boxtop did not finish in 60 s");
        }
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    buf_reset(out);
    buf_reset(errout);
    slurp_file(opath, out);
    slurp_file(epath, errout);
    buf_append_str(out, "");
    buf_append_str(errout, "");
    free(opath);
    free(epath);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void write_file(const char *path, const void *data, size_t n, unsigned mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, n), (ssize_t)n);
    assert_int_equal(fchmod(fd, mode), 0);
    close(fd);
}

static void exec_output_exit_and_stdin(void **state)
{
    (void)state;
    struct buf out = BUF_INIT, err = BUF_INIT;
    const char *a1[] = {"exec", sbx_id, "--", "echo", "hello", NULL};
    assert_int_equal(run_boxtop(a1, NULL, &out, &err), 0);
    assert_string_equal(buf_cstr(&out), "hello\n");
    const char *a2[] = {"exec", sbx_id, "--", "sh -c 'echo out; echo err >&2; exit 7'", NULL};
    assert_int_equal(run_boxtop(a2, NULL, &out, &err), 7);
    assert_string_equal(buf_cstr(&out), "out\n");
    assert_string_equal(buf_cstr(&err), "err\n");
    const char *a3[] = {"exec", "--env", "FOO=bar",          "--cwd", "/tmp",
                        sbx_id, "--",    "echo $FOO $(pwd)", NULL};
    assert_int_equal(run_boxtop(a3, NULL, &out, &err), 0);
    assert_string_equal(buf_cstr(&out), "bar /tmp\n");
    const char *a4[] = {"exec", sbx_id, "--", "kill -9 $$", NULL};
    assert_int_equal(run_boxtop(a4, NULL, &out, &err), 137);
    /* 1 MiB through stdin, hashed in the sandbox. */
    size_t n = 1024 * 1024;
    unsigned char *data = malloc(n);
    assert_non_null(data);
    for (size_t i = 0; i < n; i++)
        data[i] = (unsigned char)(i * 2654435761u >> 13);
    write_file(in_tmp("stdin.bin"), data, n, 0644);
    char want[65];
    sha256_hex(data, n, want);
    free(data);
    const char *a5[] = {"exec", sbx_id, "--", "sha256sum", NULL};
    assert_int_equal(run_boxtop(a5, in_tmp("stdin.bin"), &out, &err), 0);
    assert_int_equal(strncmp(buf_cstr(&out), want, 64), 0);
    buf_free(&out);
    buf_free(&err);
}

/* Value of "key":"..." in a small JSON document (boxtopd.json has plain values). */

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/boxtop-e2e-test-XXXXXX");
    if (boxtopd_child_setup(&dev, tmpdir, NULL, 0, NULL, 0) < 0) return -1;
    int rc = 0;
    /* One sandbox for every test. */
    struct buf out = BUF_INIT, err = BUF_INIT;
    const char *create[] = {"create", "--timeout", "600", NULL};
    if (run_boxtop(create, NULL, &out, &err) != 0 || out.len < 2) {
        fprintf(stderr, "boxtop create failed: %s\n", buf_cstr(&err));
        rc = -1;
    }
    snprintf(sbx_id, sizeof sbx_id, "%.*s", (int)strcspn(buf_cstr(&out), "\n"), buf_cstr(&out));
    buf_free(&out);
    buf_free(&err);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    if (sbx_id[0]) {
        struct buf out = BUF_INIT, err = BUF_INIT;
        const char *kill_args[] = {"kill", sbx_id, NULL};
        if (run_boxtop(kill_args, NULL, &out, &err) != 0)
            fprintf(stderr, "boxtop kill failed: %s\n", buf_cstr(&err));
        buf_free(&out);
        buf_free(&err);
    }
    boxtopd_child_teardown(&dev, tmpdir);
    return 0;
}

static void errors_and_signals(void **state)
{
    (void)state;
    struct buf out = BUF_INIT, err = BUF_INIT;
    const char *a1[] = {"exec", "nosuchsandbox", "--", "true", NULL};
    assert_int_equal(run_boxtop(a1, NULL, &out, &err), 3);
    setenv("E2E_BAD_KEY", "e2b_0000000000000000000000000000000000000000", 1);
    const char *a2[] = {"exec", sbx_id, "--", "true", NULL};
    assert_int_equal(run_boxtop(a2, NULL, &out, &err), 4);
    unsetenv("E2E_BAD_KEY");
    assert_null(strstr(buf_cstr(&err), dev.api_key));
    /* ^C kills the remote command (SIGKILL: 128 + 9) and nothing of it is left running. */
    sigint_after_ms = 1500;
    const char *a3[] = {"exec", sbx_id, "--", "sleep 1234", NULL};
    assert_int_equal(run_boxtop(a3, NULL, &out, &err), 137);
    sigint_after_ms = 0;
    const char *a4[] = {"exec", sbx_id, "--", "ps -eo args | grep -c '^sleep 1234' || true", NULL};
    assert_int_equal(run_boxtop(a4, NULL, &out, &err), 0);
    assert_string_equal(buf_cstr(&out), "0\n");
    buf_free(&out);
    buf_free(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exec_output_exit_and_stdin),
        cmocka_unit_test(errors_and_signals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
