/* test_events_parse.c - lifecycle events JSON (src/e2b/events_parse.c): types shortened, newest
 * first, duplicates and malformed entries dropped, eventData summarized, RFC 3339 times with
 * fractions and offsets. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "boxtop/buf.h"
#include "boxtop/events_parse.h"

static void t_time(void **state)
{
    (void)state;
    assert_int_equal(events_parse_time("1970-01-01T00:00:01Z"), 1000);
    assert_int_equal(events_parse_time("1970-01-01T00:00:01.123456789Z"), 1123);
    assert_int_equal(events_parse_time("1970-01-01T01:00:00.5+01:00"), 500);
    assert_int_equal(events_parse_time("2026-11-25T13:02:42Z"), 1795611762000LL);
    assert_int_equal(events_parse_time("2026-13-25T13:02:42Z"), -1);
    assert_int_equal(events_parse_time("2026-11-25T13:02:42"), -1);
    assert_int_equal(events_parse_time("2026-11-25T13:02:42Zjunk"), -1);
    assert_int_equal(events_parse_time(NULL), -1);
}

static void t_parse(void **state)
{
    (void)state;
    const char *js =
        "[{\"id\":\"a\",\"type\":\"sandbox.lifecycle.created\",\"timestamp\":"
        "\"2026-11-25T10:00:00Z\",\"sandboxId\":\"s1\",\"sandboxTemplateId\":\"base\"},"
        "{\"id\":\"b\",\"type\":\"sandbox.lifecycle.killed\",\"timestamp\":"
        "\"2026-11-25T10:05:00Z\",\"sandboxId\":\"s1\",\"eventData\":{\"kill_reason\":"
        "\"timeout\",\"execution\":{\"execution_time\":2500}}},"
        "{\"id\":\"a\",\"type\":\"sandbox.lifecycle.created\",\"timestamp\":"
        "\"2026-11-25T10:00:00Z\",\"sandboxId\":\"s1\"},"
        "{\"id\":\"c\",\"type\":\"sandbox.lifecycle.paused\"},"
        "7, null, {\"type\":5,\"sandboxId\":\"x\"},"
        "{\"id\":\"d\",\"type\":\"custom.thing\",\"timestamp\":\"bad\",\"sandboxId\":\"s2\"}]";
    struct sbx_event_list l;
    struct error err = {0};
    assert_int_equal(events_parse(js, strlen(js), &l, &err), 0);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.v[0].type, "killed"); /* newest first */
    assert_string_equal(l.v[0].detail, "kill_reason=timeout execution_time=2.5s");
    assert_string_equal(l.v[1].type, "created");
    assert_string_equal(l.v[1].tmpl, "base");
    assert_null(l.v[1].detail);
    assert_string_equal(l.v[2].type, "custom.thing"); /* unknown types kept, time 0 */
    assert_int_equal(l.v[2].t_ms, 0);
    assert_int_equal(l.skipped, 4); /* counted, the view says so (issue 25) */
    assert_int_equal(l.cut, 0);
    events_list_free(&l);
    /* a server that ignores the limit: at most EVENTS_MAX_ITEMS read, the rest counted; an
     * absurd execution time is left out of the summary (it printed 309 digits) */
    struct buf many = BUF_INIT;
    buf_append_str(&many, "[");
    for (int i = 0; i < EVENTS_MAX_ITEMS + 5; i++)
        buf_printf(&many,
                   "%s{\"id\":\"e%d\",\"type\":\"t\",\"sandboxId\":\"s\",\"eventData\":"
                   "{\"execution\":{\"execution_time\":1.8e308}}}",
                   i ? "," : "", i);
    buf_append_str(&many, "]");
    assert_int_equal(events_parse(many.data, many.len, &l, &err), 0);
    assert_int_equal(l.n, EVENTS_MAX_ITEMS);
    assert_int_equal(l.cut, 5);
    assert_null(l.v[0].detail);
    events_list_free(&l);
    buf_free(&many);
    assert_int_equal(events_parse("{}", 2, &l, &err), -1);
    assert_int_equal(events_parse("[", 1, &l, &err), -1);
    assert_int_equal(events_parse("[]", 2, &l, &err), 0);
    assert_int_equal(l.n, 0);
    events_list_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_time),
        cmocka_unit_test(t_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
