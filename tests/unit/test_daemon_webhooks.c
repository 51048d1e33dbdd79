/* test_daemon_webhooks.c - webhook records: validation of API bodies (400s with messages that
 * never echo the secret), the v1 signature, the queue and history bounds, and the state file
 * round trip (secret, pending deliveries, history) with hostile entries skipped. */
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

#include "webhook_model.h"

static int parse(const char *body, bool create, struct webhook_input *in, struct error *err)
{
    return webhook_input_parse(body, strlen(body), create, in, err);
}

static void t_event_bits(void **st)
{
    (void)st;
    assert_int_equal(webhook_event_bit("sandbox.lifecycle.created"), WH_CREATED);
    assert_int_equal(webhook_event_bit("sandbox.lifecycle.checkpointed"), WH_CHECKPOINTED);
    assert_int_equal(webhook_event_bit("sandbox.lifecycle.Created"), 0);
    assert_int_equal(webhook_event_bit("created"), 0);
    assert_int_equal(webhook_event_bit(NULL), 0);
}

static void t_url(void **st)
{
    (void)st;
    struct error err;
    assert_int_equal(webhook_url_check("http://127.0.0.1:8080/hook?x=1", &err), 0);
    assert_int_equal(webhook_url_check("https://example.com", &err), 0);
    assert_int_equal(webhook_url_check("file:///etc/passwd", &err), 400);
    assert_non_null(strstr(err.msg, "http or https"));
    assert_int_equal(webhook_url_check("ftp://example.com/x", &err), 400);
    assert_int_equal(webhook_url_check("http://", &err), 400);
    assert_int_equal(webhook_url_check("example.com/hook", &err), 400);
    assert_int_equal(webhook_url_check("http://a b/", &err), 400);
    assert_int_equal(webhook_url_check("http://a/\r\nX: y", &err), 400);
    assert_int_equal(webhook_url_check("http://caf\xc3\xa9.example/", &err), 400);
    assert_non_null(strstr(err.msg, "ASCII"));
    assert_int_equal(webhook_url_check("HTTP://Example.COM/x", &err), 0); /* schemes ignore case */
}

static void t_create(void **st)
{
    (void)st;
    struct webhook_input in;
    struct error err;
    assert_int_equal(parse("{\"name\":\"n\",\"url\":\"http://h/\",\"events\":"
                           "[\"sandbox.lifecycle.killed\",\"sandbox.lifecycle.killed\"],"
                           "\"signatureSecret\":\"topsecret\"}",
                           true, &in, &err),
                     0);
    assert_string_equal(in.name, "n");
    assert_string_equal(in.secret, "topsecret");
    assert_int_equal(in.events, WH_KILLED);
    assert_false(in.has_enabled);
    struct webhook w = {0};
    w.enabled = true;
    webhook_apply(&w, &in);
    webhook_input_free(&in);
    cJSON *j = webhook_to_json(&w, "local");
    char *txt = cJSON_PrintUnformatted(j);
    assert_null(strstr(txt, "topsecret")); /* write-only */
    assert_non_null(strstr(txt, "\"events\":[\"sandbox.lifecycle.killed\"]"));
    assert_non_null(strstr(txt, "\"enabled\":true"));
    assert_non_null(strstr(txt, "\"teamID\":\"local\""));
    free(txt);
    cJSON_Delete(j);
    webhook_free(&w);
}

static void t_bad_input(void **st)
{
    (void)st;
    struct webhook_input in;
    struct error err;
    const char *bad[] = {
        "not json",
        "[1]",
        "",
        "{\"name\":\"n\",\"url\":\"file:///etc/passwd\",\"events\":[\"sandbox.lifecycle.killed\"],"
        "\"signatureSecret\":\"s3cr3tXYZ\"}",
        "{\"name\":\"n\",\"url\":\"http://h/\",\"events\":[\"sandbox.lifecycle.exploded\"],"
        "\"signatureSecret\":\"s3cr3tXYZ\"}",
        "{\"name\":\"n\",\"url\":\"http://h/\",\"events\":[],\"signatureSecret\":\"s3cr3tXYZ\"}",
        "{\"name\":\"n\",\"url\":\"http://h/\",\"events\":\"sandbox.lifecycle.killed\","
        "\"signatureSecret\":\"s3cr3tXYZ\"}",
        "{\"url\":\"http://h/"
        "\",\"events\":[\"sandbox.lifecycle.killed\"],\"signatureSecret\":\"x\"}",
        "{\"name\":\"n\",\"events\":[\"sandbox.lifecycle.killed\"],\"signatureSecret\":\"x\"}",
        "{\"name\":\"n\",\"url\":\"http://h/\",\"signatureSecret\":\"x\"}",
        "{\"name\":\"n\",\"url\":\"http://h/\",\"events\":[\"sandbox.lifecycle.killed\"]}",
        "{\"name\":\"\",\"url\":\"http://h/\",\"events\":[\"sandbox.lifecycle.killed\"],"
        "\"signatureSecret\":\"x\"}",
        "{\"name\":\"n\",\"url\":\"http://h/\",\"events\":[\"sandbox.lifecycle.killed\"],"
        "\"signatureSecret\":\"x\",\"enabled\":\"yes\"}",
        "{\"name\":1,\"url\":\"http://h/\",\"events\":[\"sandbox.lifecycle.killed\"],"
        "\"signatureSecret\":\"x\"}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&err, 0, sizeof err);
        assert_int_equal(parse(bad[i], true, &in, &err), 400);
        assert_true(strlen(err.msg) > 10);
        assert_null(strstr(err.msg, "s3cr3tXYZ"));
        assert_null(in.name);
        assert_null(in.secret);
    }
    /* a 1 MB name */
    size_t n = 1u << 20;
    char *big = malloc(n + 200);
    int k = snprintf(big, n + 200, "{\"name\":\"");
    memset(big + k, 'a', n);
    snprintf(big + k + n, 200,
             "\",\"url\":\"http://h/\",\"events\":[\"sandbox.lifecycle.killed\"]"
             ",\"signatureSecret\":\"x\"}");
    assert_int_equal(parse(big, true, &in, &err), 400);
    assert_non_null(strstr(err.msg, "name"));
    free(big);
    /* patch: any subset, but each field still checked */
    assert_int_equal(parse("{\"enabled\":false}", false, &in, &err), 0);
    assert_true(in.has_enabled);
    assert_false(in.enabled);
    webhook_input_free(&in);
    assert_int_equal(parse("{\"url\":\"gopher://h/\"}", false, &in, &err), 400);
}

static void t_sign(void **st)
{
    (void)st;
    char sig[64];
    /* python3: base64.b64encode(sha256(b'sek' + b'{"a":1}').digest()), '=' stripped */
    assert_int_equal(webhook_sign("sek", "{\"a\":1}", 7, sig, sizeof sig), 0);
    assert_string_equal(sig, "LOSq/26GkaPK9QZ1Gshuzi0h68JXsMnYhqQNh8JomUA");
    assert_int_equal(webhook_sign("sek", "{\"a\":1}", 7, sig, 10), -1);
}

static void t_queue_history(void **st)
{
    (void)st;
    struct webhook w = {0};
    for (int i = 0; i < WEBHOOK_QUEUE_MAX + 5; i++) {
        char id[16];
        snprintf(id, sizeof id, "e%d", i);
        int rc = webhook_queue_push(&w, strdup("{}"), id, "sandbox.lifecycle.created", i);
        assert_int_equal(rc, i < WEBHOOK_QUEUE_MAX ? 0 : 1);
    }
    assert_int_equal(w.nq, WEBHOOK_QUEUE_MAX);
    assert_string_equal(w.q[0].event_id, "e5"); /* the oldest went first */
    for (int i = 0; i < WEBHOOK_HISTORY + 7; i++) {
        struct wh_attempt a = {.at_ms = i, .attempt = 1, .status = 200};
        snprintf(a.delivery_id, sizeof a.delivery_id, "d%d", i);
        webhook_history_add(&w, &a);
    }
    cJSON *h = webhook_history_json(&w);
    assert_int_equal(cJSON_GetArraySize(h), WEBHOOK_HISTORY);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(h, 0), "deliveryId")->valuestring,
                        "d106"); /* newest first */
    cJSON_Delete(h);
    webhook_free(&w);
}

static void t_state_roundtrip(void **st)
{
    (void)st;
    struct webhook *w = calloc(1, sizeof *w);
    snprintf(w->id, sizeof w->id, "3912cc7e-3595-496f-840b-e407308f0ed2");
    w->name = strdup("hook");
    w->url = strdup("http://127.0.0.1:1/h");
    w->secret = strdup("sek");
    w->enabled = false;
    w->events = WH_KILLED | WH_PAUSED;
    w->created_ms = 1796000000123LL;
    webhook_queue_push(w, strdup("{\"x\":1}"), "ev1", "sandbox.lifecycle.paused", 42);
    w->q[0].attempts = 2;
    struct wh_attempt a = {.at_ms = 5, .attempt = 2, .status = 500, .latency_ms = 7};
    snprintf(a.delivery_id, sizeof a.delivery_id, "d1");
    snprintf(a.event_id, sizeof a.event_id, "ev1");
    snprintf(a.type, sizeof a.type, "sandbox.lifecycle.paused");
    snprintf(a.error, sizeof a.error, "HTTP 500");
    webhook_history_add(w, &a);
    struct webhook *arr[1] = {w};
    cJSON *j = webhooks_state_to_json(arr, 1);
    /* plus hostile entries that must be skipped */
    cJSON *list = cJSON_GetObjectItem(j, "webhooks");
    cJSON_AddItemToArray(list, cJSON_Parse("{\"id\":\"../../x\"}"));
    cJSON *evil = cJSON_Duplicate(cJSON_GetArrayItem(list, 0), 1);
    cJSON_ReplaceItemInObject(evil, "url", cJSON_CreateString("file:///etc/passwd"));
    cJSON_AddItemToArray(list, evil);
    cJSON_AddItemToArray(list, cJSON_Duplicate(cJSON_GetArrayItem(list, 0), 1)); /* same id */
    char *txt = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    struct webhook **v;
    size_t n, skipped;
    struct error err;
    assert_int_equal(webhooks_state_from_json(txt, strlen(txt), &v, &n, &skipped, &err), 0);
    free(txt);
    assert_int_equal(n, 1);
    assert_int_equal(skipped, 3);
    assert_string_equal(v[0]->id, w->id);
    assert_string_equal(v[0]->secret, "sek");
    assert_false(v[0]->enabled);
    assert_int_equal(v[0]->events, WH_KILLED | WH_PAUSED);
    assert_int_equal(v[0]->created_ms, 1796000000123LL);
    assert_int_equal(v[0]->nq, 1);
    assert_string_equal(v[0]->q[0].body, "{\"x\":1}");
    assert_int_equal(v[0]->q[0].attempts, 2);
    assert_int_equal(v[0]->q[0].due_ms, 42);
    assert_int_equal(v[0]->hist_n, 1);
    assert_string_equal(v[0]->hist[0].error, "HTTP 500");
    assert_int_equal(v[0]->hist[0].status, 500);
    webhook_free(v[0]);
    free(v[0]);
    free(v);
    webhook_free(w);
    free(w);
    assert_int_equal(webhooks_state_from_json("[]", 2, &v, &n, &skipped, &err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_event_bits),
        cmocka_unit_test(t_url),
        cmocka_unit_test(t_create),
        cmocka_unit_test(t_bad_input),
        cmocka_unit_test(t_sign),
        cmocka_unit_test(t_queue_history),
        cmocka_unit_test(t_state_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
