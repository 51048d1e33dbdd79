/* test_envd_rpcmsg.c - decoding the SDK's envd requests (bytes from sdk-transcripts/). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "rpcmsg.h"

static cJSON *parse(const char *s)
{
    cJSON *j = cJSON_Parse(s);
    assert_non_null(j);
    return j;
}

static void start_pty_request(void **state)
{
    (void)state;
    cJSON *j =
        parse("{\"process\":{\"cmd\":\"/bin/bash\",\"args\":[\"-i\",\"-l\"],\"envs\":{\"TERM\":"
              "\"xterm-256color\",\"LANG\":\"C.UTF-8\",\"LC_ALL\":\"C.UTF-8\"}},\"pty\":{"
              "\"size\":{\"cols\":80,\"rows\":24}}}");
    struct denvd_start_req r;
    struct error err;
    assert_int_equal(denvd_parse_start(j, &r, &err), 0);
    assert_string_equal(r.cmd, "/bin/bash");
    assert_int_equal(r.nargs, 2);
    assert_string_equal(r.args[1], "-l");
    assert_int_equal(r.nenvs, 3);
    assert_string_equal(r.env_keys[0], "TERM");
    assert_string_equal(r.env_vals[0], "xterm-256color");
    assert_true(r.pty.present);
    assert_int_equal(r.pty.cols, 80);
    assert_int_equal(r.pty.rows, 24);
    assert_null(r.cwd);
    assert_false(r.has_stdin);
    denvd_start_req_free(&r);
    cJSON_Delete(j);
}

static void start_command_request(void **state)
{
    (void)state;
    cJSON *j = parse("{\"process\":{\"cmd\":\"/bin/bash\",\"args\":[\"-l\",\"-c\",\"sleep 1\"],"
                     "\"envs\":{\"A\":\"1\"},\"cwd\":\"/tmp\"},\"stdin\":true,\"tag\":\"t\"}");
    struct denvd_start_req r;
    struct error err;
    assert_int_equal(denvd_parse_start(j, &r, &err), 0);
    assert_string_equal(r.cwd, "/tmp");
    assert_true(r.has_stdin);
    assert_true(r.stdin_on);
    assert_string_equal(r.tag, "t");
    assert_false(r.pty.present);
    denvd_start_req_free(&r);
    cJSON_Delete(j);

    /* no process or no cmd: cmd "" (envd starts it; the wrapper exits 127) */
    const char *empty[] = {"{}", "{\"process\":null}", "{\"process\":{}}",
                           "{\"process\":{\"cmd\":\"\"}}"};
    for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++) {
        j = parse(empty[i]);
        assert_int_equal(denvd_parse_start(j, &r, &err), 0);
        assert_string_equal(r.cmd, "");
        denvd_start_req_free(&r);
        cJSON_Delete(j);
    }
    const char *bad[] = {
        "[]",
        "{\"process\":7}",
        "{\"process\":{\"cmd\":\"x\",\"args\":\"no\"}}",
        "{\"process\":{\"cmd\":\"x\",\"args\":[1]}}",
        "{\"process\":{\"cmd\":\"x\",\"envs\":{\"A=B\":\"1\"}}}",
        "{\"process\":{\"cmd\":\"x\",\"envs\":{\"A\":1}}}",
        "{\"process\":{\"cmd\":\"x\"},\"stdin\":\"yes\"}",
        "{\"process\":{\"cmd\":\"x\"},\"pty\":{\"size\":{\"cols\":-1}}}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        j = parse(bad[i]);
        err.kind = ERROR_NONE;
        assert_int_equal(denvd_parse_start(j, &r, &err), -1);
        assert_int_equal(err.kind, ERROR_USAGE);
        cJSON_Delete(j);
    }
}

static void selectors(void **state)
{
    (void)state;
    struct denvd_selector s;
    struct error err;
    cJSON *j = parse("{\"process\":{\"pid\":1234}}");
    assert_int_equal(denvd_parse_selector(j, "process", &s, &err), 0);
    assert_true(s.has_pid);
    assert_int_equal(s.pid, 1234);
    cJSON_Delete(j);
    j = parse("{\"process\":{\"pid\":\"77\"}}");
    assert_int_equal(denvd_parse_selector(j, "process", &s, &err), 0);
    assert_int_equal(s.pid, 77);
    cJSON_Delete(j);
    j = parse("{\"process\":{\"tag\":\"web\"}}");
    assert_int_equal(denvd_parse_selector(j, "process", &s, &err), 0);
    assert_false(s.has_pid);
    assert_string_equal(s.tag, "web");
    cJSON_Delete(j);
    /* no selector set: envd's getProcess answers unimplemented */
    const char *empty[] = {"{}", "{\"process\":null}", "{\"process\":{}}",
                           "{\"process\":{\"tag\":null}}"};
    for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++) {
        j = parse(empty[i]);
        assert_int_equal(denvd_parse_selector(j, "process", &s, &err), DENVD_SELECTOR_EMPTY);
        assert_string_equal(err.msg, "invalid input type *process.ProcessSelector");
        cJSON_Delete(j);
    }
    const char *bad[] = {"{\"process\":{\"pid\":-1}}", "{\"process\":{\"pid\":1.5}}",
                         "{\"process\":{\"pid\":\"4294967296\"}}", "{\"process\":7}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        j = parse(bad[i]);
        assert_int_equal(denvd_parse_selector(j, "process", &s, &err), -1);
        cJSON_Delete(j);
    }
}

static void inputs(void **state)
{
    (void)state;
    struct denvd_input in = {ENVD_INPUT_NONE, BUF_INIT};
    struct error err;
    cJSON *j = parse("{\"process\":{\"pid\":1002},\"input\":{\"pty\":\"ZWNobyBoaQo=\"}}");
    assert_int_equal(denvd_parse_input(cJSON_GetObjectItem(j, "input"), &in, &err), 0);
    assert_int_equal(in.kind, ENVD_INPUT_PTY);
    assert_int_equal(in.data.len, 8);
    assert_memory_equal(in.data.data, "echo hi\n", 8);
    cJSON_Delete(j);
    j = parse("{\"input\":{\"stdin\":\"aGVsbG8gc3RkaW4K\"}}");
    assert_int_equal(denvd_parse_input(cJSON_GetObjectItem(j, "input"), &in, &err), 0);
    assert_int_equal(in.kind, ENVD_INPUT_STDIN);
    assert_int_equal(in.data.len, 12);
    cJSON_Delete(j);
    j = parse("{\"input\":{\"stdin\":\"_-8\"}}"); /* URL alphabet, unpadded */
    assert_int_equal(denvd_parse_input(cJSON_GetObjectItem(j, "input"), &in, &err), 0);
    assert_int_equal(in.data.len, 2);
    assert_memory_equal(in.data.data, "\xff\xef", 2);
    cJSON_Delete(j);
    j = parse("{\"input\":{\"pty\":\"!!!\"}}");
    assert_int_equal(denvd_parse_input(cJSON_GetObjectItem(j, "input"), &in, &err), -1);
    cJSON_Delete(j);
    j = parse("{\"input\":{}}");
    assert_int_equal(denvd_parse_input(cJSON_GetObjectItem(j, "input"), &in, &err), 0);
    assert_int_equal(in.kind, ENVD_INPUT_NONE);
    cJSON_Delete(j);
    buf_free(&in.data);
}

static void signals_pty_watch(void **state)
{
    (void)state;
    int sig;
    struct error err;
    cJSON *j = parse("{\"process\":{\"pid\":1},\"signal\":\"SIGNAL_SIGKILL\"}");
    assert_int_equal(denvd_parse_signal(j, &sig, &err), 0);
    assert_int_equal(sig, 9);
    cJSON_Delete(j);
    j = parse("{\"signal\":\"SIGNAL_UNSPECIFIED\"}");
    assert_int_equal(denvd_parse_signal(j, &sig, &err), 0);
    assert_int_equal(sig, 0);
    cJSON_Delete(j);
    j = parse("{\"signal\":15}");
    assert_int_equal(denvd_parse_signal(j, &sig, &err), 0);
    assert_int_equal(sig, 15);
    cJSON_Delete(j);
    struct denvd_pty_size p;
    j = parse("{\"pty\":{\"size\":{\"cols\":65537,\"rows\":\"30\"}}}");
    assert_int_equal(denvd_parse_pty(j, &p, &err), 0);
    assert_true(p.present);
    assert_int_equal(p.cols, 1); /* truncated to uint16 like envd */
    assert_int_equal(p.rows, 30);
    cJSON_Delete(j);
    struct denvd_watch_req w;
    j = parse("{\"path\":\"/tmp/t\",\"recursive\":true,\"include_entry\":true}");
    assert_int_equal(denvd_parse_watch(j, &w, &err), 0);
    assert_string_equal(w.path, "/tmp/t");
    assert_true(w.recursive);
    assert_true(w.include_entry);
    cJSON_Delete(j);
    j = parse("{\"path\":5}");
    assert_int_equal(denvd_parse_watch(j, &w, &err), -1);
    cJSON_Delete(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(start_pty_request), cmocka_unit_test(start_command_request),
        cmocka_unit_test(selectors),         cmocka_unit_test(inputs),
        cmocka_unit_test(signals_pty_watch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
