/* test_daemon_proclog.c - envd's process log lines as boxtopd writes them, held against the
 * shapes written down in ../shared/protocol/envd-process-logs.md: keys, levels, messages,
 * v1 raw line (process_result kept) vs v2 fields (strings, process_result dropped, numbers in
 * Go's %G form), and the output capture's limits and truncation marker. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cJSON.h>

#include "proclog.h"
#include "sblog.h"

static void go_numbers(void **state)
{
    (void)state;
    static const struct {
        double v;
        const char *s;
    } cases[] = {{412, "412"},       {60000, "60000"},
                 {999999, "999999"}, {1048576, "1.048576E+06"},
                 {2000000, "2E+06"}, {2097152, "2.097152E+06"},
                 {0.5, "0.5"},       {0, "0"},
                 {-1, "-1"},         {0.0001, "0.0001"},
                 {0.00001, "1E-05"}, {1795610400000.0, "1.7956104E+12"},
                 {1234.5, "1234.5"}};
    char out[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sblog_format_number(cases[i].v, out, sizeof out);
        assert_string_equal(out, cases[i].s);
    }
}

static const struct proclog_ids IDS = {"7", "ixyz", "base", "local"};

/* The keys of an object, sorted, comma-joined. */
static void keys_of(const cJSON *o, char *out, size_t n)
{
    const char *k[64];
    size_t nk = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, o) if (nk < 64) k[nk++] = it->string;
    for (size_t i = 1; i < nk; i++)
        for (size_t j = i; j > 0 && strcmp(k[j - 1], k[j]) > 0; j--) {
            const char *t = k[j];
            k[j] = k[j - 1];
            k[j - 1] = t;
        }
    out[0] = '\0';
    for (size_t i = 0; i < nk; i++) {
        if (i) strncat(out, ",", n - strlen(out) - 1);
        strncat(out, k[i], n - strlen(out) - 1);
    }
}

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void start_line(void **state)
{
    (void)state;
    struct sblog *l = sblog_new();
    char *cmd = proclog_command("/bin/bash", (const char *[]){"-l", "-c", "echo hi"}, 3);
    assert_string_equal(cmd, "/bin/bash -l -c echo hi");
    cJSON *raw = proclog_start_raw(&IDS, 412, cmd, 60000);
    sblog_add_raw(l, 1795610400123456789LL, LOG_INFO, "Process with pid 412 started", raw);
    cJSON_Delete(raw);
    free(cmd);
    const struct sblog_entry *e = sblog_at(l, 0);
    assert_int_equal(e->level, LOG_INFO);
    assert_int_equal(e->ts_ns, 1795610400123456789LL); /* envd's time, to the ns */
    assert_int_equal(e->out_pid, 0);
    char keys[1024];
    /* v2 */
    cJSON *f = sblog_entry_fields(e);
    keys_of(f, keys, sizeof keys);
    assert_string_equal(keys, "buildID,category,command,envID,event_type,instanceID,logger,"
                              "operation_id,pid,request_timeout_ms,sandboxID,service,"
                              "source_type,teamID");
    assert_string_equal(str(f, "event_type"), "process_start");
    assert_string_equal(str(f, "logger"), "process");
    assert_string_equal(str(f, "operation_id"), "7");
    assert_string_equal(str(f, "pid"), "412");
    assert_string_equal(str(f, "command"), "/bin/bash -l -c echo hi");
    assert_string_equal(str(f, "request_timeout_ms"), "60000");
    assert_string_equal(str(f, "instanceID"), "ixyz");
    assert_string_equal(str(f, "envID"), "base");
    cJSON_Delete(f);
    /* v1: the raw line, numbers as numbers */
    char *line = sblog_entry_raw_line(e, "ixyz");
    cJSON *v1 = cJSON_Parse(line);
    keys_of(v1, keys, sizeof keys);
    assert_string_equal(keys, "buildID,category,command,envID,event_type,instanceID,level,logger,"
                              "message,operation_id,pid,request_timeout_ms,sandboxID,service,"
                              "source_type,teamID");
    assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(v1, "pid")));
    assert_true(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(v1, "operation_id")));
    assert_string_equal(str(v1, "level"), "info");
    assert_string_equal(str(v1, "message"), "Process with pid 412 started");
    cJSON_Delete(v1);
    free(line);
    sblog_free(l);
}

static void end_lines(void **state)
{
    (void)state;
    static const struct {
        int code, signo;
        const char *result; /* the v1 process_result */
    } cases[] = {
        {0, 0, "{\"exited\":true,\"status\":\"exit status 0\"}"},
        {3, 0,
         "{\"exit_code\":3,\"exited\":true,\"status\":\"exit status 3\",\"error\":\"exit "
         "status 3\"}"},
        {0, 9, "{\"exit_code\":-1,\"status\":\"signal: killed\",\"error\":\"signal: killed\"}"},
        {0, 15,
         "{\"exit_code\":-1,\"status\":\"signal: terminated\",\"error\":\"signal: terminated\"}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct sblog *l = sblog_new();
        cJSON *raw = proclog_end_raw(&IDS, 412, cases[i].code, cases[i].signo, 2097152, 12, 0);
        sblog_add_raw(l, 1795610400000000000LL, LOG_INFO, "Process with pid 412 ended", raw);
        cJSON_Delete(raw);
        const struct sblog_entry *e = sblog_at(l, 0);
        cJSON *f = sblog_entry_fields(e);
        char keys[1024];
        keys_of(f, keys, sizeof keys);
        /* process_result is an object: gone from v2 */
        assert_string_equal(keys, "buildID,category,envID,event_type,instanceID,logger,"
                                  "operation_id,pid,pty_bytes,sandboxID,service,source_type,"
                                  "stderr_bytes,stdout_bytes,teamID");
        assert_string_equal(str(f, "stdout_bytes"), "2.097152E+06");
        assert_string_equal(str(f, "stderr_bytes"), "12");
        assert_string_equal(str(f, "pty_bytes"), "0");
        assert_string_equal(str(f, "event_type"), "process_end");
        cJSON_Delete(f);
        char *line = sblog_entry_raw_line(e, "ixyz");
        cJSON *v1 = cJSON_Parse(line);
        char *res = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(v1, "process_result"));
        assert_string_equal(res, cases[i].result);
        assert_string_equal(str(v1, "message"), "Process with pid 412 ended");
        free(res);
        cJSON_Delete(v1);
        free(line);
        sblog_free(l);
    }
}

struct rec {
    char *lines[12000];
    bool err[12000], marker[12000];
    size_t n;
    size_t bytes;
};

static void collect(void *ud, bool is_stderr, bool marker, const char *line, size_t len)
{
    struct rec *r = ud;
    assert_true(r->n < 12000);
    r->lines[r->n] = marker ? NULL : strndup(line, len);
    r->err[r->n] = is_stderr;
    r->marker[r->n] = marker;
    r->bytes += len;
    r->n++;
}

static void rec_free(struct rec *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->lines[i]);
    free(r);
}

static void output_lines(void **state)
{
    (void)state;
    struct proclog_out o;
    struct rec *r = calloc(1, sizeof *r);
    proclog_out_init(&o);
    /* lines split across reads, CRLF, blank lines, stdout/stderr kept apart */
    proclog_out_feed(&o, false, "hel", 3, collect, r);
    proclog_out_feed(&o, true, "oops\r\n", 6, collect, r);
    proclog_out_feed(&o, false, "lo\r\n\nworld", 10, collect, r);
    assert_int_equal(r->n, 3);
    assert_string_equal(r->lines[0], "oops");
    assert_true(r->err[0]);
    assert_string_equal(r->lines[1], "hello");
    assert_false(r->err[1]);
    assert_string_equal(r->lines[2], "");
    proclog_out_flush(&o, collect, r); /* the partial last line at EOF */
    assert_int_equal(r->n, 4);
    assert_string_equal(r->lines[3], "world");
    proclog_out_free(&o);
    rec_free(r);

    /* a 150 KiB line without newline: 64 KiB records */
    r = calloc(1, sizeof *r);
    proclog_out_init(&o);
    char *big = malloc(150 << 10);
    memset(big, 'x', 150 << 10);
    proclog_out_feed(&o, false, big, 150 << 10, collect, r);
    proclog_out_flush(&o, collect, r);
    assert_int_equal(r->n, 3);
    assert_int_equal(strlen(r->lines[0]), PROCLOG_LINE_MAX);
    assert_int_equal(strlen(r->lines[1]), PROCLOG_LINE_MAX);
    assert_int_equal(strlen(r->lines[2]), (150 << 10) - 2 * PROCLOG_LINE_MAX);
    proclog_out_free(&o);
    rec_free(r);
    free(big);
}

static void output_caps(void **state)
{
    (void)state;
    struct proclog_out o;
    /* 10 000 records, then one marker; later output is not recorded */
    struct rec *r = calloc(1, sizeof *r);
    proclog_out_init(&o);
    for (int i = 0; i < 10005; i++)
        proclog_out_feed(&o, i % 2, "y\n", 2, collect, r);
    proclog_out_feed(&o, false, "z\n", 2, collect, r);
    proclog_out_flush(&o, collect, r);
    assert_int_equal(r->n, PROCLOG_OUT_RECORDS + 1);
    assert_true(r->marker[PROCLOG_OUT_RECORDS]);
    assert_false(r->marker[PROCLOG_OUT_RECORDS - 1]);
    assert_false(r->err[PROCLOG_OUT_RECORDS]); /* the stream that hit the cap: line 10001 */
    assert_true(r->err[PROCLOG_OUT_RECORDS - 1]);
    proclog_out_free(&o);
    rec_free(r);
    /* exactly 10 000 lines: nothing exceeded, no marker */
    r = calloc(1, sizeof *r);
    proclog_out_init(&o);
    for (int i = 0; i < 10000; i++)
        proclog_out_feed(&o, false, "y\n", 2, collect, r);
    proclog_out_flush(&o, collect, r);
    assert_int_equal(r->n, 10000);
    assert_false(r->marker[9999]);
    proclog_out_free(&o);
    rec_free(r);
    /* 2 MiB of 1000-byte lines: records while budget > 0 (one line over), then the marker */
    r = calloc(1, sizeof *r);
    proclog_out_init(&o);
    char line[1001];
    memset(line, 'a', 1000);
    line[1000] = '\n';
    for (int i = 0; i < 3000; i++)
        proclog_out_feed(&o, false, line, sizeof line, collect, r);
    size_t want = (PROCLOG_OUT_BYTES + 999) / 1000; /* 2098: the last one crosses 2 MiB */
    assert_int_equal(r->n, want + 1);
    assert_true(r->marker[want]);
    assert_true(r->bytes >= PROCLOG_OUT_BYTES && r->bytes < PROCLOG_OUT_BYTES + 1000);
    proclog_out_free(&o);
    rec_free(r);
}

static void output_entries(void **state)
{
    (void)state;
    struct sblog *l = sblog_new();
    cJSON *raw = proclog_output_raw(&IDS, 412, true);
    sblog_add_raw(l, 1795610400000000000LL, LOG_INFO, "oops", raw);
    sblog_add_raw(l, 1795610400000000000LL, LOG_WARN, PROCLOG_TRUNCATED, raw);
    cJSON_Delete(raw);
    const struct sblog_entry *e = sblog_at(l, 0);
    assert_int_equal(e->out_pid, 412); /* ?pid=412 serves it */
    assert_true(sblog_at(l, 1)->ts_ns > e->ts_ns);
    assert_int_equal(sblog_at(l, 1)->level, LOG_WARN);
    cJSON *f = sblog_entry_fields(e);
    char keys[1024];
    keys_of(f, keys, sizeof keys);
    assert_string_equal(keys, "buildID,category,envID,event_type,instanceID,logger,operation_id,"
                              "pid,sandboxID,service,source_type,stream,teamID");
    assert_string_equal(str(f, "stream"), "stderr");
    assert_string_equal(str(f, "event_type"), "process_output");
    cJSON_Delete(f);
    /* persistence keeps the raw line */
    char *pl = sblog_entry_line(e);
    struct sblog *l2 = sblog_new();
    assert_int_equal(sblog_add_line(l2, pl, strlen(pl)), 0);
    assert_int_equal(sblog_at(l2, 0)->out_pid, 412);
    assert_non_null(sblog_at(l2, 0)->raw);
    assert_true(sblog_at(l2, 0)->ts_ns == e->ts_ns); /* to the ns (issue 15) */
    free(pl);
    sblog_free(l2);
    sblog_free(l);
}

/* Issue 15: a line read back after a restart has the timestamp it was served with, to the
 * ns (a double is exact only to 256 ns today): a client following with a cursor sees it once.
 * Files written when "ts" was a number still load. */
static void persisted_timestamps_exact(void **state)
{
    (void)state;
    struct sblog *l = sblog_new(), *back = sblog_new();
    sblog_add(l, 1796641710225LL, LOG_INFO, "sandbox created", NULL);
    cJSON *raw = cJSON_Parse("{\"event_type\":\"process_end\",\"pid\":2}");
    sblog_add_raw(l, 1796641710300732779LL, LOG_INFO, "Process with pid 2 ended", raw);
    cJSON_Delete(raw);
    for (size_t i = 0; i < sblog_count(l); i++) {
        char *line = sblog_entry_line(sblog_at(l, i));
        assert_int_equal(sblog_add_line(back, line, strlen(line)), 0);
        free(line);
    }
    assert_int_equal(sblog_count(back), 2);
    for (size_t i = 0; i < 2; i++)
        assert_true(sblog_at(back, i)->ts_ns == sblog_at(l, i)->ts_ns);
    const char *old = "{\"ts\":1796641710300000000,\"level\":\"info\",\"message\":\"old\"}";
    assert_int_equal(sblog_add_line(back, old, strlen(old)), 0);
    const char *bad = "{\"ts\":\"12x\",\"level\":\"info\",\"message\":\"bad\"}";
    assert_int_equal(sblog_add_line(back, bad, strlen(bad)), -1);
    sblog_free(l);
    sblog_free(back);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(persisted_timestamps_exact),
        cmocka_unit_test(go_numbers),
        cmocka_unit_test(start_line),
        cmocka_unit_test(end_lines),
        cmocka_unit_test(output_lines),
        cmocka_unit_test(output_caps),
        cmocka_unit_test(output_entries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
