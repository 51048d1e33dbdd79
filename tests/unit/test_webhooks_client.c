/* test_webhooks_client.c - boxtop's webhook models: boxtopd's and E2B cloud's shapes parse,
 * hostile ones fail with a message naming the field, event lists, and request bodies (the
 * secret only when given). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "boxtop/webhooks.h"

static void t_list(void **st)
{
    (void)st;
    const char *body =
        "[{\"id\":\"w1\",\"teamID\":\"t\",\"name\":\"n\",\"url\":\"http://h/\",\"enabled\":false,"
        "\"events\":[\"sandbox.lifecycle.killed\",\"sandbox.lifecycle.snapshotted\"],"
        "\"createdAt\":\"2026-12-07T07:41:39.576Z\"},"
        /* a cloud-style object without the optional fields */
        "{\"id\":\"w2\",\"url\":\"https://x.example/h\"}]";
    struct webhook_list l;
    struct error err;
    assert_int_equal(webhook_list_parse(body, strlen(body), &l, &err), 0);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.items[0].name, "n");
    assert_false(l.items[0].enabled);
    assert_int_equal(l.items[0].events, 2);
    assert_int_equal(l.items[0].unknown_events, 1);
    assert_true(l.items[0].created_at_ms > 0);
    assert_null(l.items[1].name);
    assert_true(l.items[1].enabled);
    webhook_list_free(&l);
    const char *bad = "[{\"id\":\"w1\",\"url\":7}]";
    assert_int_equal(webhook_list_parse(bad, strlen(bad), &l, &err), -1);
    assert_non_null(strstr(err.msg, "webhooks[0].url"));
    assert_int_equal(webhook_list_parse("{}", 2, &l, &err), -1);
}

static void t_attempts(void **st)
{
    (void)st;
    const char *body = "[{\"deliveryId\":\"d\",\"eventId\":\"e\",\"type\":\"sandbox.lifecycle."
                       "killed\",\"attempt\":4,\"timestamp\":\"2026-12-07T07:41:39.757Z\","
                       "\"statusCode\":null,\"error\":\"timed out\",\"success\":false,"
                       "\"latencyMs\":1500}]";
    struct webhook_attempts a;
    struct error err;
    assert_int_equal(webhook_attempts_parse(body, strlen(body), &a, &err), 0);
    assert_int_equal(a.n, 1);
    assert_int_equal(a.items[0].attempt, 4);
    assert_int_equal(a.items[0].status, 0);
    assert_string_equal(a.items[0].error, "timed out");
    assert_int_equal(a.items[0].latency_ms, 1500);
    webhook_attempts_free(&a);
    const char *bad = "[{\"statusCode\":true}]";
    assert_int_equal(webhook_attempts_parse(bad, strlen(bad), &a, &err), -1);
}

static void t_events(void **st)
{
    (void)st;
    unsigned b;
    struct error err;
    assert_int_equal(webhook_events_parse_list("created,sandbox.lifecycle.killed", &b, &err), 0);
    assert_int_equal(b, 3);
    assert_int_equal(webhook_events_parse_list("all", &b, &err), 0);
    assert_int_equal(b, 63);
    assert_int_equal(webhook_events_parse_list("created,boom", &b, &err), -1);
    assert_non_null(strstr(err.msg, "boom"));
    assert_int_equal(webhook_events_parse_list("", &b, &err), -1);
    assert_int_equal(webhook_events_parse_list("created,,killed", &b, &err), -1);
    struct buf o = BUF_INIT;
    webhook_events_format(5, &o);
    assert_string_equal(buf_cstr(&o), "created,updated");
    buf_free(&o);
}

static void t_body(void **st)
{
    (void)st;
    struct webhook_fields f = {.name = "n", .url = "http://h/", .has_events = true, .events = 2};
    char *s = webhook_body(&f);
    assert_string_equal(s, "{\"name\":\"n\",\"url\":\"http://h/\",\"events\":[\"sandbox.lifecycle."
                           "killed\"]}");
    free(s);
    struct webhook_fields p = {.has_enabled = true, .enabled = false, .secret = "sek"};
    s = webhook_body(&p);
    assert_string_equal(s, "{\"enabled\":false,\"signatureSecret\":\"sek\"}");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_list),
        cmocka_unit_test(t_attempts),
        cmocka_unit_test(t_events),
        cmocka_unit_test(t_body),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
