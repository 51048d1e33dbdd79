/* test_envd.c - envd request building (exact URL, headers and body bytes of the SDK
 * transcripts in ../shared/protocol/sdk-transcripts) and response parsing. */
#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "boxtop/envd.h"

#define SBX   "ief70a8ee46668867996"
#define TOKEN "tok-secret-123456"

static void target(struct envd_target *t, const char *user)
{
    struct error err;
    assert_int_equal(
        envd_target_init(t, SBX, "http://127.0.0.1:4999/", NULL, false, TOKEN, user, &err), 0);
}

static void base_url_resolution(void **state)
{
    (void)state;
    struct envd_target t;
    struct error err;
    target(&t, NULL);
    assert_string_equal(t.base_url, "http://127.0.0.1:4999");
    envd_target_free(&t);
    assert_int_equal(envd_target_init(&t, "abc123", NULL, NULL, false, NULL, NULL, &err), 0);
    assert_string_equal(t.base_url, "https://49983-abc123.e2b.app");
    assert_null(t.access_token);
    envd_target_free(&t);
    assert_int_equal(envd_target_init(&t, "abc123", "", "e2b.example.com", false, NULL, NULL, &err),
                     0);
    assert_string_equal(t.base_url, "https://49983-abc123.e2b.example.com");
    envd_target_free(&t);
    assert_int_equal(envd_target_init(&t, "abc123", NULL, "x.dev", true, NULL, NULL, &err), 0);
    assert_string_equal(t.base_url, "http://localhost:49983");
    envd_target_free(&t);
    /* Hostile ids, domains, URLs, tokens and users. */
    const char *bad_ids[] = {"", "ABC", "a-b", "a/b", "a.b", "a b", "a:b", NULL};
    for (int i = 0; bad_ids[i]; i++) {
        assert_int_equal(envd_target_init(&t, bad_ids[i], NULL, NULL, false, NULL, NULL, &err), -1);
        assert_int_equal(err.kind, ERROR_USAGE);
    }
    assert_int_equal(envd_target_init(&t, "abc", NULL, "evil.com/x?", false, NULL, NULL, &err), -1);
    assert_int_equal(envd_target_init(&t, "abc", "ftp://x", NULL, false, NULL, NULL, &err), -1);
    assert_int_equal(envd_target_init(&t, "abc", "http://x/?a", NULL, false, NULL, NULL, &err), -1);
    assert_int_equal(envd_target_init(&t, "abc", NULL, NULL, false, "a\r\nX-Evil: 1", NULL, &err),
                     -1);
    assert_null(strstr(err.msg, "Evil"));
    assert_int_equal(envd_target_init(&t, "abc", NULL, NULL, false, NULL, "root:", &err), -1);
    assert_int_equal(envd_target_init(&t, "abc", NULL, NULL, false, NULL, "a\nb", &err), -1);
}

static void check_body(const struct envd_wire *w, bool stream, const char *json)
{
    size_t n = strlen(json);
    if (stream) {
        assert_int_equal(w->body.len, n + 5);
        unsigned char p[5] = {0, (unsigned char)(n >> 24), (unsigned char)(n >> 16),
                              (unsigned char)(n >> 8), (unsigned char)n};
        assert_memory_equal(w->body.data, p, 5);
        assert_memory_equal(w->body.data + 5, json, n);
    } else {
        assert_int_equal(w->body.len, n);
        assert_memory_equal(w->body.data, json, n);
    }
}

static size_t header_count(const struct envd_wire *w)
{
    size_t n = 0;
    while (w->headers[n])
        n++;
    return n;
}

static void start_matches_commands_run(void **state)
{
    (void)state;
    struct envd_target t;
    struct envd_wire w;
    struct error err;
    target(&t, NULL);
    /* commands-run.txt: sandbox.commands.run('echo hello') */
    const char *args[] = {"-l", "-c", "echo hello", NULL};
    struct envd_start_opts o = {.cmd = "/bin/bash", .args = args, .stdin_mode = 0};
    cJSON *msg = envd_msg_start(&o);
    assert_non_null(msg);
    assert_int_equal(
        envd_wire_build(&t, "process.Process/Start", ENVD_CALL_STREAM, true, msg, 60000, &w, &err),
        0);
    cJSON_Delete(msg);
    assert_string_equal(w.url, "http://127.0.0.1:4999/process.Process/Start");
    check_body(&w, true,
               "{\"process\":{\"cmd\":\"/bin/bash\",\"args\":[\"-l\",\"-c\",\"echo "
               "hello\"]},\"stdin\":false}");
    assert_int_equal(w.body.len, 82);
    assert_string_equal(envd_wire_header(&w, "connect-protocol-version"), "1");
    assert_string_equal(envd_wire_header(&w, "connect-timeout-ms"), "60000");
    assert_string_equal(envd_wire_header(&w, "content-type"), "application/connect+json");
    assert_string_equal(envd_wire_header(&w, "e2b-sandbox-id"), SBX);
    assert_string_equal(envd_wire_header(&w, "e2b-sandbox-port"), "49983");
    assert_string_equal(envd_wire_header(&w, "keepalive-ping-interval"), "50");
    assert_string_equal(envd_wire_header(&w, "x-access-token"), TOKEN);
    assert_non_null(envd_wire_header(&w, "user-agent"));
    assert_string_not_equal(envd_wire_header(&w, "user-agent"), "connect-python");
    assert_null(envd_wire_header(&w, "authorization"));
    assert_int_equal(header_count(&w), 8);
    envd_wire_free(&w);
    envd_target_free(&t);
}

static void start_matches_commands_run_options(void **state)
{
    (void)state;
    struct envd_target t;
    struct envd_wire w;
    struct error err;
    target(&t, "root");
    /* commands-run-options.txt: background, stdin, envs, cwd, user root */
    const char *args[] = {"-l", "-c", "sleep 1", NULL};
    const char *envs[] = {"A=0", "A=1", NULL};
    struct envd_start_opts o = {
        .cmd = "/bin/bash", .args = args, .envs = envs, .cwd = "/tmp", .stdin_mode = 1};
    cJSON *msg = envd_msg_start(&o);
    assert_int_equal(
        envd_wire_build(&t, "process.Process/Start", ENVD_CALL_STREAM, true, msg, 0, &w, &err), 0);
    cJSON_Delete(msg);
    check_body(&w, true,
               "{\"process\":{\"cmd\":\"/bin/bash\",\"args\":[\"-l\",\"-c\",\"sleep "
               "1\"],\"envs\":{\"A\":\"1\"},\"cwd\":\"/tmp\"},\"stdin\":true}");
    assert_int_equal(w.body.len, 108);
    assert_string_equal(envd_wire_header(&w, "authorization"), "Basic cm9vdDo=");
    /* timeoutMs 0: no Connect-Timeout-Ms (shells must not be killed at a deadline) */
    assert_null(envd_wire_header(&w, "connect-timeout-ms"));
    envd_wire_free(&w);
    /* Unary calls never carry the user when with_user is false (SendInput etc.). */
    msg = envd_msg_process(1234);
    assert_int_equal(
        envd_wire_build(&t, "process.Process/CloseStdin", ENVD_CALL_UNARY, false, msg, 0, &w, &err),
        0);
    cJSON_Delete(msg);
    assert_null(envd_wire_header(&w, "authorization"));
    assert_null(envd_wire_header(&w, "keepalive-ping-interval"));
    assert_string_equal(envd_wire_header(&w, "content-type"), "application/json");
    check_body(&w, false, "{\"process\":{\"pid\":1234}}");
    envd_wire_free(&w);
    envd_target_free(&t);
    /* Bad env entries make no message. */
    const char *bad_envs[] = {"=x", NULL};
    o.envs = bad_envs;
    assert_null(envd_msg_start(&o));
    o.envs = NULL;
    o.cmd = "";
    assert_null(envd_msg_start(&o));
}

static void start_matches_pty_create(void **state)
{
    (void)state;
    const char *args[] = {"-i", "-l", NULL};
    const char *envs[] = {"TERM=xterm-256color", "LANG=C.UTF-8", "LC_ALL=C.UTF-8", NULL};
    struct envd_start_opts o = {.cmd = "/bin/bash",
                                .args = args,
                                .envs = envs,
                                .pty = true,
                                .cols = 80,
                                .rows = 24,
                                .stdin_mode = 1 /* ignored for PTYs */};
    cJSON *msg = envd_msg_start(&o);
    struct buf b = BUF_INIT;
    assert_int_equal(pjson_print(&b, msg), 0);
    assert_string_equal(buf_cstr(&b),
                        "{\"process\":{\"cmd\":\"/bin/bash\",\"args\":[\"-i\",\"-l\"],\"envs\":{"
                        "\"TERM\":\"xterm-256color\",\"LANG\":\"C.UTF-8\",\"LC_ALL\":\"C.UTF-8\"}},"
                        "\"pty\":{\"size\":{\"cols\":80,\"rows\":24}}}");
    assert_int_equal(b.len, 156);
    buf_free(&b);
    cJSON_Delete(msg);
}

static void expect_json(cJSON *msg, const char *want)
{
    assert_non_null(msg);
    struct buf b = BUF_INIT;
    assert_int_equal(pjson_print(&b, msg), 0);
    assert_string_equal(buf_cstr(&b), want);
    buf_free(&b);
    cJSON_Delete(msg);
}

static void unary_messages_match_transcripts(void **state)
{
    (void)state;
    expect_json(envd_msg_send_input(1002, true, "echo hi\n", 8),
                "{\"process\":{\"pid\":1002},\"input\":{\"pty\":\"ZWNobyBoaQo=\"}}");
    expect_json(envd_msg_send_input(1234, false, "hello stdin\n", 12),
                "{\"process\":{\"pid\":1234},\"input\":{\"stdin\":\"aGVsbG8gc3RkaW4K\"}}");
    expect_json(envd_msg_update(1002, 100, 30),
                "{\"process\":{\"pid\":1002},\"pty\":{\"size\":{\"cols\":100,\"rows\":30}}}");
    expect_json(envd_msg_signal(1002, SIGKILL),
                "{\"process\":{\"pid\":1002},\"signal\":\"SIGNAL_SIGKILL\"}");
    expect_json(envd_msg_signal(7, SIGTERM),
                "{\"process\":{\"pid\":7},\"signal\":\"SIGNAL_SIGTERM\"}");
    assert_null(envd_msg_signal(7, SIGHUP));
    expect_json(envd_msg_process(1234), "{\"process\":{\"pid\":1234}}");
    expect_json(envd_msg_move("/tmp/t/a.txt", "/tmp/t/c.txt"),
                "{\"source\":\"/tmp/t/a.txt\",\"destination\":\"/tmp/t/c.txt\"}");
    expect_json(envd_msg_path("/tmp/t/newdir"), "{\"path\":\"/tmp/t/newdir\"}");
    expect_json(envd_msg_list_dir("/tmp/t", 2), "{\"path\":\"/tmp/t\",\"depth\":2}");
    expect_json(envd_msg_watch_dir("/tmp/t", true, false),
                "{\"path\":\"/tmp/t\",\"recursive\":true}");
}

static void process_events(void **state)
{
    (void)state;
    struct envd_proc_event ev;
    struct envd_parse keep = {0};
    struct error err;
#define PARSE(s) envd_proc_event_parse(s, strlen(s), &ev, &keep, &err)
    assert_int_equal(PARSE("{\"event\":{\"start\":{\"pid\":412}}}"), 0);
    assert_int_equal(ev.kind, ENVD_PROC_START);
    assert_int_equal(ev.pid, 412);
    assert_int_equal(PARSE("{\"event\":{\"start\":{\"pid\":\"413\"}}}"), 0);
    assert_int_equal(ev.pid, 413);
    assert_int_equal(PARSE("{\"event\":{\"data\":{\"stdout\":\"aGVsbG8K\"}}}"), 0);
    assert_int_equal(ev.kind, ENVD_PROC_DATA);
    assert_int_equal(ev.output, ENVD_OUT_STDOUT);
    assert_int_equal(ev.len, 6);
    assert_memory_equal(ev.data, "hello\n", 6);
    assert_int_equal(PARSE("{\"event\":{\"data\":{\"stderr\":\"AP8=\"}}}"), 0);
    assert_int_equal(ev.output, ENVD_OUT_STDERR);
    assert_int_equal(ev.len, 2);
    assert_memory_equal(ev.data, "\x00\xff", 2);
    assert_int_equal(PARSE("{\"event\":{\"data\":{\"pty\":\"dXNlckBlMmI6fiQg\"}}}"), 0);
    assert_int_equal(ev.output, ENVD_OUT_PTY);
    assert_memory_equal(ev.data, "user@e2b:~$ ", 12);
    assert_int_equal(PARSE("{\"event\":{\"data\":{}}}"), -1);
    assert_int_equal(PARSE("{\"event\":{\"keepalive\":{}}}"), 0);
    assert_int_equal(ev.kind, ENVD_PROC_KEEPALIVE);
    assert_int_equal(
        PARSE("{\"event\":{\"end\":{\"exitCode\":130,\"exited\":true,\"status\":\"exit status "
              "130\"}}}"),
        0);
    assert_int_equal(ev.kind, ENVD_PROC_END);
    assert_int_equal(ev.exit_code, 130);
    assert_true(ev.exited);
    assert_string_equal(ev.status, "exit status 130");
    assert_int_equal(envd_proc_exit_status(&ev), 130);
    /* exit 0: proto3 omits exitCode */
    assert_int_equal(PARSE("{\"event\":{\"end\":{\"exited\":true,\"status\":\"exit status 0\"}}}"),
                     0);
    assert_int_equal(ev.exit_code, 0);
    assert_int_equal(envd_proc_exit_status(&ev), 0);
    assert_null(ev.error);
    assert_int_equal(PARSE("{\"event\":{\"end\":{\"exitCode\":-1,\"status\":\"signal: killed\","
                           "\"error\":\"signal: killed\"}}}"),
                     0);
    assert_false(ev.exited);
    assert_string_equal(ev.error, "signal: killed");
    assert_int_equal(envd_proc_exit_status(&ev), 137);
    assert_int_equal(
        PARSE("{\"event\":{\"end\":{\"exitCode\":-1,\"status\":\"signal: terminated\"}}}"), 0);
    assert_int_equal(envd_proc_exit_status(&ev), 143);
    assert_int_equal(PARSE("{\"event\":{\"end\":{\"exitCode\":-1,\"status\":\"signal: segmentation "
                           "fault (core dumped)\"}}}"),
                     0);
    assert_int_equal(envd_proc_exit_status(&ev), 139);
    assert_int_equal(PARSE("{\"event\":{\"end\":{\"exitCode\":-1}}}"), 0);
    assert_int_equal(envd_proc_exit_status(&ev), 255);
    /* Hostile shapes. */
    assert_int_equal(PARSE("{\"event\":{\"start\":{\"pid\":1},\"end\":{}}}"), -1);
    assert_string_equal(err.msg, "event: more than one member of a oneof");
    assert_int_equal(PARSE("{\"event\":{\"bogus\":{}}}"), -1);
    assert_int_equal(PARSE("{\"event\":{\"start\":{\"pid\":-1}}}"), -1);
    assert_int_equal(PARSE("{\"event\":{\"start\":{\"pid\":true}}}"), -1);
    assert_non_null(strstr(err.msg, "pid"));
    assert_int_equal(PARSE("{\"event\":{\"data\":{\"stdout\":\"***\"}}}"), -1);
    assert_int_equal(PARSE("{\"event\":{\"end\":{\"exitCode\":\"x\"}}}"), -1);
    assert_int_equal(PARSE("{\"event\":[]}"), -1);
    assert_int_equal(PARSE("{}"), -1);
    assert_int_equal(PARSE("[1]"), -1);
    assert_int_equal(PARSE("{\"event\":{\"start\":{\"pid\":1}}"), -1); /* truncated JSON */
#undef PARSE
    envd_parse_free(&keep);
}

static void entries_and_fs_events(void **state)
{
    (void)state;
    struct error err;
    const char *j =
        "{\"entries\":[{\"name\":\"a.txt\",\"type\":\"FILE_TYPE_FILE\",\"path\":\"/home/"
        "user/a.txt\",\"size\":\"3\",\"mode\":420,\"permissions\":\"-rw-r--r--\","
        "\"owner\":\"user\",\"group\":\"user\",\"modifiedTime\":\"2026-01-01T00:00:00."
        "123456789Z\"},{\"name\":\"d\",\"type\":\"FILE_TYPE_DIRECTORY\",\"path\":\"/"
        "home/user/d\",\"mode\":493,\"symlinkTarget\":\"/x/d\"},{\"name\":\"dangling\","
        "\"path\":\"/home/user/dangling\"}]}";
    cJSON *doc = cJSON_Parse(j);
    struct envd_entries es;
    assert_int_equal(envd_entries_parse(doc, &es, &err), 0);
    assert_int_equal(es.n, 3);
    assert_string_equal(es.v[0].name, "a.txt");
    assert_int_equal(es.v[0].type, ENVD_FILE_FILE);
    assert_int_equal(es.v[0].size, 3);
    assert_int_equal(es.v[0].mode, 0644);
    assert_true(es.v[0].mtime_ms == 1767225600123LL);
    assert_null(es.v[0].symlink_target);
    assert_int_equal(es.v[1].type, ENVD_FILE_DIRECTORY);
    assert_int_equal(es.v[1].size, 0);
    assert_string_equal(es.v[1].symlink_target, "/x/d");
    assert_int_equal(es.v[2].type, ENVD_FILE_UNSPECIFIED);
    envd_entries_free(&es);
    cJSON_Delete(doc);
    doc = cJSON_Parse("{}");
    assert_int_equal(envd_entries_parse(doc, &es, &err), 0);
    assert_int_equal(es.n, 0);
    cJSON_Delete(doc);
    doc = cJSON_Parse("{\"entries\":[{\"name\":\"a\",\"path\":\"/a\"},{\"name\":\"b\",\"path\":\"/"
                      "b\",\"size\":true}]}");
    assert_int_equal(envd_entries_parse(doc, &es, &err), -1);
    assert_string_equal(err.msg, "entries[1].size: expected an integer");
    cJSON_Delete(doc);
    doc = cJSON_Parse("{\"entries\":[{\"name\":\"a\"}]}");
    assert_int_equal(envd_entries_parse(doc, &es, &err), -1);
    cJSON_Delete(doc);
    doc = cJSON_Parse("{\"entries\":{}}");
    assert_int_equal(envd_entries_parse(doc, &es, &err), -1);
    cJSON_Delete(doc);

    struct envd_fs_event ev;
    struct envd_parse keep = {0};
#define PARSE(s) envd_fs_event_parse(s, strlen(s), &ev, &keep, &err)
    assert_int_equal(PARSE("{\"start\":{}}"), 0);
    assert_int_equal(ev.kind, ENVD_FS_START);
    assert_int_equal(PARSE("{\"filesystem\":{\"name\":\"sub/x\",\"type\":\"EVENT_TYPE_WRITE\"}}"),
                     0);
    assert_int_equal(ev.kind, ENVD_FS_EVENT);
    assert_int_equal(ev.op, ENVD_FS_OP_WRITE);
    assert_string_equal(ev.name, "sub/x");
    assert_int_equal(PARSE("{\"keepalive\":{}}"), 0);
    assert_int_equal(ev.kind, ENVD_FS_KEEPALIVE);
    assert_int_equal(PARSE("{\"filesystem\":{\"name\":1}}"), -1);
    assert_int_equal(PARSE("{\"filesystem\":{\"type\":\"EVENT_TYPE_NOPE\"}}"), -1);
    assert_int_equal(PARSE("{\"other\":{}}"), -1);
#undef PARSE
    envd_parse_free(&keep);
}

static void list_and_stat_responses(void **state)
{
    (void)state;
    struct error err;
    cJSON *doc =
        cJSON_Parse("{\"processes\":[{\"config\":{\"cmd\":\"/bin/bash\",\"args\":[\"-i\","
                    "\"-l\"],\"envs\":{\"TERM\":\"xterm\"}},\"pid\":412,\"tag\":\"boxtop\"},"
                    "{\"config\":{\"cmd\":\"sleep\",\"cwd\":\"/tmp\"},\"pid\":\"7\"}]}");
    struct envd_processes ps;
    assert_int_equal(envd_processes_parse(doc, &ps, &err), 0);
    assert_int_equal(ps.n, 2);
    assert_int_equal(ps.v[0].pid, 412);
    assert_string_equal(ps.v[0].tag, "boxtop");
    assert_string_equal(ps.v[0].cmd, "/bin/bash");
    assert_string_equal(ps.v[0].args[1], "-l");
    assert_null(ps.v[0].args[2]);
    assert_null(ps.v[0].cwd);
    assert_int_equal(ps.v[1].pid, 7);
    assert_null(ps.v[1].args[0]);
    assert_string_equal(ps.v[1].cwd, "/tmp");
    envd_processes_free(&ps);
    cJSON_Delete(doc);
    doc = cJSON_Parse("{}");
    assert_int_equal(envd_processes_parse(doc, &ps, &err), 0);
    assert_int_equal(ps.n, 0);
    cJSON_Delete(doc);
    doc = cJSON_Parse("{\"processes\":[{\"pid\":1,\"config\":{\"cmd\":\"x\",\"args\":[1]}}]}");
    assert_int_equal(envd_processes_parse(doc, &ps, &err), -1);
    assert_string_equal(err.msg, "processes[0].config.args[0]: expected a string");
    cJSON_Delete(doc);
    doc = cJSON_Parse("{\"processes\":[{\"pid\":1}]}");
    assert_int_equal(envd_processes_parse(doc, &ps, &err), -1);
    cJSON_Delete(doc);

    struct envd_entry e;
    doc = cJSON_Parse("{\"entry\":{\"name\":\"x\",\"type\":\"FILE_TYPE_FILE\",\"path\":\"/x\","
                      "\"size\":\"12\"}}");
    assert_int_equal(envd_entry_response_parse(doc, &e, &err), 0);
    assert_int_equal(e.size, 12);
    envd_entry_free(&e);
    cJSON_Delete(doc);
    doc = cJSON_Parse("{}");
    assert_int_equal(envd_entry_response_parse(doc, &e, &err), -1);
    cJSON_Delete(doc);
}

/* Go's signal texts, shared by the exit status of a process event and of a logged command. */
static void signal_names(void **state)
{
    (void)state;
    assert_int_equal(envd_signal_number("killed"), 9);
    assert_int_equal(envd_signal_number("hangup"), 1);
    assert_int_equal(envd_signal_number("terminated"), 15);
    assert_int_equal(envd_signal_number("aborted (core dumped)"), 6);
    assert_int_equal(envd_signal_number("signal 34"), 34);
    assert_int_equal(envd_signal_number("signal 999"), 0);
    assert_int_equal(envd_signal_number("killedx"), 0);
    assert_int_equal(envd_signal_number(""), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(base_url_resolution),
        cmocka_unit_test(start_matches_commands_run),
        cmocka_unit_test(start_matches_commands_run_options),
        cmocka_unit_test(start_matches_pty_create),
        cmocka_unit_test(unary_messages_match_transcripts),
        cmocka_unit_test(process_events),
        cmocka_unit_test(signal_names),
        cmocka_unit_test(entries_and_fs_events),
        cmocka_unit_test(list_and_stat_responses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
