/* test_tui_logs.c - the logs view's store: merging overlapping pages in time order without
 * duplicates, sanitizing once on arrival (ESC, invalid UTF-8, 1 MB lines), level filter,
 * case-insensitive search and the saved text. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "views/logs_store.h"

static struct log_entry mk(const char *ts, int64_t ms, int level, const char *msg)
{
    struct log_entry e = {0};
    e.timestamp = (char *)ts;
    e.ts_ms = ms;
    e.level = (enum log_entry_level)level;
    e.message = (char *)msg;
    return e;
}

static void t_merge_dedupe(void **state)
{
    (void)state;
    struct log_store s;
    log_store_init(&s, 0);
    /* the first page arrives newest first (backward) */
    struct log_entry p1[] = {mk("t3", 3000, LOG_ENTRY_INFO, "three"),
                             mk("t2", 2000, LOG_ENTRY_INFO, "two")};
    struct log_list l1 = {p1, 2};
    assert_int_equal(log_store_add(&s, &l1), 2);
    /* a forward poll repeats the newest (the cursor is inclusive) and adds one */
    struct log_entry p2[] = {mk("t3", 3000, LOG_ENTRY_INFO, "three"),
                             mk("t4", 4000, LOG_ENTRY_ERROR, "four")};
    struct log_list l2 = {p2, 2};
    assert_int_equal(log_store_add(&s, &l2), 1);
    /* an older page goes in front */
    struct log_entry p3[] = {mk("t1", 1000, LOG_ENTRY_DEBUG, "one"),
                             mk("t2", 2000, LOG_ENTRY_INFO, "two")};
    struct log_list l3 = {p3, 2};
    assert_int_equal(log_store_add(&s, &l3), 1);
    assert_int_equal(s.n, 4);
    const char *want[] = {"one", "two", "three", "four"};
    for (int i = 0; i < 4; i++)
        assert_string_equal(s.v[i].text, want[i]);
    /* same millisecond, different messages: both kept */
    struct log_entry p4[] = {mk("t4", 4000, LOG_ENTRY_INFO, "four bis")};
    struct log_list l4 = {p4, 1};
    assert_int_equal(log_store_add(&s, &l4), 1);
    assert_int_equal(s.n, 5);
    log_store_free(&s);
}

static void t_sanitize_on_arrival(void **state)
{
    (void)state;
    struct log_store s;
    log_store_init(&s, 0);
    size_t big = 1024 * 1024;
    char *huge = malloc(big + 1);
    assert_non_null(huge);
    memset(huge, 'x', big);
    huge[big] = '\0';
    struct kv f[] = {{"logger", "process"}, {"pid", "42"}, {"bad\x1b[2J", "v\x07"}};
    struct log_entry e[] = {mk("a", 1, LOG_ENTRY_INFO, "a\x1b]0;PWNED\x07 b\x1b[31mc\r\nd"),
                            mk("b", 2, LOG_ENTRY_INFO, "in\xc0\xc1valid\xe2\x82"),
                            mk("c", 3, LOG_ENTRY_INFO, huge)};
    e[0].fields.items = f;
    e[0].fields.n = 3;
    struct log_list l = {e, 3};
    assert_int_equal(log_store_add(&s, &l), 3);
    for (int i = 0; i < s.n; i++)
        for (const char *p = s.v[i].text; *p; p++)
            assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
    assert_null(strstr(s.v[0].text, "PWNED"));
    assert_non_null(strstr(s.v[0].text, "pid=42"));
    assert_null(strstr(s.v[0].text, "logger"));
    assert_non_null(strstr(s.v[1].text, "valid"));
    assert_true(strlen(s.v[2].text) < LOGS_LINE_MAX + 64);
    assert_non_null(strstr(s.v[2].text, "bytes more"));
    free(huge);
    log_store_free(&s);
}

/* Issue 25: entries of 1 500 fields of 1 000 invalid-UTF-8 bytes (3 bytes each once
 * replaced) grew the view by GBs: a line keeps LOGS_LINE_MAX bytes and LOGS_FIELDS_MAX fields
 * and says how many were left out; all lines keep LOGS_STORE_BYTES. */
static void t_fat_entries_bounded(void **state)
{
    (void)state;
    struct log_store s;
    log_store_init(&s, 0);
    char bad[1001];
    memset(bad, 0xff, 1000);
    bad[1000] = '\0';
    enum { NF = 1500 };
    struct kv *f = calloc(NF, sizeof *f);
    char(*keys)[8] = calloc(NF, 8);
    assert_non_null(f);
    assert_non_null(keys);
    for (int i = 0; i < NF; i++) {
        snprintf(keys[i], 8, "f%d", i);
        f[i] = (struct kv){keys[i], bad};
    }
    char stamp[32];
    size_t peak = 0;
    for (int round = 0; round < 1000; round++) { /* 60 MB of lines, 10 a page */
        struct log_entry e[10];
        for (int i = 0; i < 10; i++) {
            snprintf(stamp, sizeof stamp, "%d", round * 10 + i);
            e[i] = mk(stamp, round * 10 + i, LOG_ENTRY_INFO, bad);
            e[i].timestamp = strdup(stamp); /* mk's stamp is a literal normally */
            e[i].fields.items = f;
            e[i].fields.n = NF;
        }
        struct log_list l = {e, 10};
        assert_true(log_store_add(&s, &l) >= 0); /* new lines, less the oldest dropped */
        for (int i = 0; i < 10; i++)
            free(e[i].timestamp);
        if (s.bytes > peak) peak = s.bytes;
    }
    assert_true(peak <= LOGS_STORE_BYTES);
    assert_true(s.trimmed);
    size_t sum = 0;
    for (int i = 0; i < s.n; i++) {
        assert_true(strlen(s.v[i].text) <= LOGS_LINE_MAX + 64);
        sum += strlen(s.v[i].text) + strlen(s.v[i].stamp);
    }
    assert_int_equal(sum, s.bytes);
    assert_non_null(strstr(s.v[0].text, "more fields]"));
    assert_non_null(strstr(s.v[0].text, "\xef\xbf\xbd")); /* the bad bytes, replaced */
    free(f);
    free(keys);
    log_store_free(&s);
}

static void t_filter_search_format(void **state)
{
    (void)state;
    struct log_store s;
    log_store_init(&s, 0);
    struct log_entry e[] = {mk("1", 1000, LOG_ENTRY_DEBUG, "debug Thing"),
                            mk("2", 2000, LOG_ENTRY_WARN, "warn thing"),
                            mk("3", 3000, LOG_ENTRY_ERROR, "error other")};
    struct log_list l = {e, 3};
    log_store_add(&s, &l);
    assert_true(log_line_visible(&s.v[0], LOG_ENTRY_DEBUG, NULL, 0));
    assert_false(log_line_visible(&s.v[0], LOG_ENTRY_INFO, NULL, 0));
    assert_true(log_line_visible(&s.v[2], LOG_ENTRY_ERROR, NULL, 0));
    assert_false(log_line_visible(&s.v[1], LOG_ENTRY_ERROR, NULL, 0));
    assert_ptr_equal(log_find_ci(s.v[0].text, "THING"), s.v[0].text + 6);
    assert_null(log_find_ci(s.v[2].text, "thing"));
    assert_null(log_find_ci(s.v[2].text, ""));
    assert_false(log_line_visible(&s.v[2], 0, "thing", 1));
    struct buf b = BUF_INIT;
    assert_int_equal(log_store_format(&s, LOG_ENTRY_WARN, NULL, 0, 1, &b), 0);
    assert_string_equal(buf_cstr(&b), "00:00:02.000Z WARN  warn thing\n"
                                      "00:00:03.000Z ERROR error other\n");
    buf_free(&b);
    log_store_free(&s);
}

static void t_cap(void **state)
{
    (void)state;
    struct log_store s;
    log_store_init(&s, 1);
    int n = LOGS_MAX_LINES + 10;
    struct log_entry *e = calloc((size_t)n, sizeof(*e));
    char(*ts)[16] = calloc((size_t)n, 16);
    assert_non_null(e);
    assert_non_null(ts);
    for (int i = 0; i < n; i++) {
        snprintf(ts[i], 16, "%08d", i);
        e[i] = mk(ts[i], i, LOG_ENTRY_INFO, "l\xc3\xa9");
    }
    struct log_list l = {e, n};
    log_store_add(&s, &l);
    assert_int_equal(s.n, LOGS_MAX_LINES);
    assert_true(s.trimmed);
    assert_int_equal(s.v[0].t_ms, 10);      /* the oldest went */
    assert_string_equal(s.v[0].text, "l?"); /* ASCII terminal */
    free(e);
    free(ts);
    log_store_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_merge_dedupe),
        cmocka_unit_test(t_sanitize_on_arrival),
        cmocka_unit_test(t_filter_search_format),
        cmocka_unit_test(t_fat_entries_bounded),
        cmocka_unit_test(t_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
