/* test_api_log.c - the `:api` ring (src/e2b/api_log.c): secrets never stored (names, values,
 * registered secrets, query parameters), the ring keeps the newest, bodies are bounded, and the
 * curl/boxtop command lines carry $E2B_API_KEY instead of the key. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "boxtop/api_log.h"
#include "boxtop/http.h"

#define KEY "e2b_0123456789abcdef0123456789abcdef"
#define TOK "f00dfeedf00dfeedf00dfeedf00dfeed"

static const char *const secrets[] = {KEY, TOK};

static void t_redact(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    const char *in =
        "{\"envdAccessToken\": \"" TOK "\",\"sandboxID\":\"abc\",\"apiKey\":\"x\\\"y\","
        "\"keys\":\"kept\",\"note\":\"key=" KEY "\"}";
    assert_int_equal(api_log_redact(&b, in, strlen(in), secrets, 2), 0);
    const char *s = buf_cstr(&b);
    assert_null(strstr(s, TOK));
    assert_null(strstr(s, KEY));
    assert_null(strstr(s, "x\\\"y"));
    assert_non_null(strstr(s, "\"envdAccessToken\": \"" API_LOG_REDACTED "\""));
    assert_non_null(strstr(s, "\"sandboxID\":\"abc\""));
    assert_non_null(strstr(s, "\"keys\":\"kept\""));
    buf_free(&b);
    /* a string ending in an escaped backslash ends there: the next key is still seen */
    const char *bs = "{\"path\":\"c:\\\\\",\"password\" : \"hunter22\",\"n\":1}";
    assert_int_equal(api_log_redact(&b, bs, strlen(bs), secrets, 0), 0);
    assert_string_equal(buf_cstr(&b),
                        "{\"path\":\"c:\\\\\",\"password\" : \"" API_LOG_REDACTED "\",\"n\":1}");
    buf_free(&b);
    /* nothing in, an empty string out (not an unterminated buffer) */
    assert_int_equal(api_log_redact(&b, "", 0, secrets, 2), 0);
    assert_true(b.data == NULL || b.data[0] == '\0');
    assert_string_equal(buf_cstr(&b), "");
    buf_free(&b);
    assert_true(api_log_secret_name("X-API-Key", 9));
    assert_true(api_log_secret_name("AUTHORIZATION", 13));
    assert_true(api_log_secret_name("x-sessionCookie", 15));
    assert_false(api_log_secret_name("stoke", 5));
    assert_true(api_log_secret_name("signature_expiration", 20));
    assert_false(api_log_secret_name("path", 4));
    assert_false(api_log_secret_name("keyword", 7));
}

static void t_url(void **state)
{
    (void)state;
    char *o, *p;
    assert_int_equal(api_log_split_url("http://u:pw@127.0.0.1:8080/files?path=%2Fetc&signature="
                                       "v1_abc&username=user&signature_expiration=9",
                                       &o, &p),
                     0);
    assert_string_equal(o, "http://127.0.0.1:8080");
    assert_string_equal(p, "/files?path=%2Fetc&username=user");
    free(o);
    free(p);
    assert_int_not_equal(api_log_split_url("::not a url", &o, &p), 0);
}

static void observe(struct api_log *l, const char *method, const char *url, const char *body,
                    long status)
{
    struct http_call c = {
        .method = method,
        .url = url,
        .req_headers = "X-API-Key: " KEY "\nContent-Type: application/json\nUser-Agent: b\n",
        .req_body = body,
        .req_body_len = body ? strlen(body) : 0,
        .resp_headers = "content-type: application/json\nset-cookie: s=" TOK "\n",
        .resp_body = "{\"envdAccessToken\":\"" TOK "\"}",
        .resp_body_len = 53,
        .status = status,
        .total_us = 12000,
        .secrets = secrets,
        .n_secrets = 2,
    };
    api_log_observe(&c, l);
}

static void t_ring(void **state)
{
    (void)state;
    struct api_log *l = api_log_new(3);
    for (int i = 0; i < 5; i++) {
        char url[64];
        snprintf(url, sizeof url, "http://h/sandboxes/s%d", i);
        observe(l, "DELETE", url, NULL, 204);
    }
    assert_int_equal(api_log_count(l), 3);
    assert_string_equal(api_log_at(l, 0)->path, "/sandboxes/s4");
    assert_string_equal(api_log_at(l, 2)->path, "/sandboxes/s2");
    assert_null(api_log_at(l, 3));
    const struct api_log_entry *e = api_log_at(l, 0);
    assert_int_equal(e->status, 204);
    assert_int_equal(e->total_ms, 12);
    assert_null(strstr(e->req_headers, KEY));
    assert_non_null(strstr(e->req_headers, "X-API-Key: " API_LOG_REDACTED));
    assert_null(strstr(e->resp_headers, TOK));
    assert_null(strstr(e->resp_body, TOK));

    struct buf b = BUF_INIT;
    api_log_curl(e, &b);
    assert_string_equal(buf_cstr(&b), "curl -sS -X DELETE 'http://h/sandboxes/s4' -H \"X-API-Key: "
                                      "$E2B_API_KEY\" -H 'Content-Type: application/json'");
    buf_reset(&b);
    assert_int_equal(api_log_boxtop(e, &b), 1);
    assert_string_equal(buf_cstr(&b), "boxtop kill s4");
    api_log_free(l);

    l = api_log_new(0);
    observe(l, "POST", "http://h/sandboxes/ab1/timeout", "{\"timeout\": 60}", 204);
    observe(l, "POST", "http://h/v2/sandboxes", "{\"templateID\":\"base\",\"x\":\"it's\"}", 201);
    observe(l, "GET", "http://h/v2/sandboxes?limit=100", NULL, 200);
    buf_reset(&b);
    assert_int_equal(api_log_boxtop(api_log_at(l, 0), &b), 0);
    assert_int_equal(api_log_boxtop(api_log_at(l, 1), &b), 1);
    assert_string_equal(buf_cstr(&b), "boxtop create base");
    buf_reset(&b);
    api_log_curl(api_log_at(l, 1), &b);
    assert_non_null(
        strstr(buf_cstr(&b), "--data-binary '{\"templateID\":\"base\",\"x\":\"it'\\''s\"}'"));
    buf_reset(&b);
    assert_int_equal(api_log_boxtop(api_log_at(l, 2), &b), 1);
    assert_string_equal(buf_cstr(&b), "boxtop timeout ab1 60");
    buf_free(&b);
    api_log_free(l);
}

static void t_budget(void **state)
{
    (void)state;
    struct api_log *l = api_log_new(0);
    char *big = malloc(API_LOG_BODY_MAX * 2 + 1);
    memset(big, 'a', API_LOG_BODY_MAX * 2);
    big[API_LOG_BODY_MAX * 2] = '\0';
    int n = (int)(API_LOG_BODY_BUDGET / API_LOG_BODY_MAX) + 10;
    for (int i = 0; i < n; i++)
        observe(l, "POST", "http://h/x", big, 200);
    assert_int_equal(api_log_at(l, 0)->req_body_len, API_LOG_BODY_MAX);
    assert_non_null(api_log_at(l, 0)->req_body);
    assert_true(api_log_at(l, n - 1)->body_dropped);
    free(big);
    api_log_free(l);
}

/* Calls are stored raw and redacted when first read: what the caller's secret list held at
 * the time counts even when its strings changed since, a secret registered by a later call
 * is redacted from an earlier one too, and a secret straddling the 64 KiB cut leaves no part. */
static void t_lazy(void **state)
{
    (void)state;
    struct api_log *l = api_log_new(0);
    char k1[] = KEY, t1[] = TOK;
    const char *list1[] = {k1};
    struct http_call c = {
        .method = "GET",
        .url = "http://h/v2/sandboxes?limit=100&x=" KEY,
        .req_headers = "X-API-Key: " KEY "\n",
        .resp_headers = "x-note: " TOK "\n",
        .resp_body = "[{\"sandboxID\":\"a\",\"note\":\"" KEY " " TOK "\"}]",
        .status = 200,
        .error = "bad " KEY,
        .secrets = list1,
        .n_secrets = 1,
    };
    c.resp_body_len = strlen(c.resp_body);
    api_log_observe(&c, l);
    memset(k1, 'x', sizeof k1 - 1); /* the caller's strings are gone: the log kept its copy */
    const char *list2[] = {k1, t1}; /* a later call registers the token */
    struct http_call c2 = {
        .method = "GET", .url = "http://h/health", .status = 200, .secrets = list2, .n_secrets = 2};
    api_log_observe(&c2, l);
    memset(t1, 'x', sizeof t1 - 1);
    const struct api_log_entry *e = api_log_at(l, 1);
    assert_non_null(e);
    assert_string_equal(e->path, "/v2/sandboxes?limit=100&x=" API_LOG_REDACTED);
    assert_string_equal(e->error, "bad " API_LOG_REDACTED);
    assert_string_equal(e->req_headers, "X-API-Key: " API_LOG_REDACTED "\n");
    assert_string_equal(e->resp_headers, "x-note: " API_LOG_REDACTED "\n");
    assert_string_equal(e->resp_body, "[{\"sandboxID\":\"a\",\"note\":\"" API_LOG_REDACTED
                                      " " API_LOG_REDACTED "\"}]");
    assert_int_equal(e->resp_body_len, strlen(e->resp_body));
    /* read again: the same (already redacted) entry */
    assert_ptr_equal(api_log_at(l, 1), e);
    assert_string_equal(e->error, "bad " API_LOG_REDACTED);

    /* a secret across the cut: stored raw past it, redacted before the cut is made */
    char *big = malloc(API_LOG_BODY_MAX * 2);
    memset(big, 'a', API_LOG_BODY_MAX * 2);
    memcpy(big + API_LOG_BODY_MAX - 8, KEY, strlen(KEY));
    const char *list3[] = {KEY};
    struct http_call c3 = {.method = "GET",
                           .url = "http://h/x",
                           .status = 200,
                           .resp_body = big,
                           .resp_body_len = API_LOG_BODY_MAX * 2,
                           .secrets = list3,
                           .n_secrets = 1};
    api_log_observe(&c3, l);
    free(big);
    e = api_log_at(l, 0);
    assert_int_equal(e->resp_body_len, API_LOG_BODY_MAX);
    assert_null(memmem(e->resp_body, e->resp_body_len, "e2b_", 4));
    assert_non_null(memmem(e->resp_body, e->resp_body_len, "[REDA", 5));
    api_log_free(l);
}

/* Entries never read are dropped by the budget and the ring like read ones (ASan/valgrind
 * see that nothing leaks), and reading after the drops still works. */
static void t_lazy_budget(void **state)
{
    (void)state;
    struct api_log *l = api_log_new(80);
    char *body = malloc(API_LOG_BODY_MAX);
    memset(body, 'b', API_LOG_BODY_MAX);
    int n = (int)(API_LOG_BODY_BUDGET / API_LOG_BODY_MAX) + 30;
    for (int i = 0; i < n; i++) {
        struct http_call c = {.method = "GET",
                              .url = "http://h/v2/sandboxes",
                              .status = 200,
                              .resp_body = body,
                              .resp_body_len = API_LOG_BODY_MAX,
                              .secrets = secrets,
                              .n_secrets = 2};
        api_log_observe(&c, l);
        if (i % 7 == 0) assert_non_null(api_log_at(l, 0)); /* some read, some raw */
    }
    free(body);
    assert_int_equal(api_log_count(l), 80); /* the ring dropped the oldest 14 */
    assert_non_null(api_log_at(l, 0)->resp_body);
    assert_true(api_log_at(l, 79)->body_dropped); /* 80 x 64 KiB: over the 4 MiB budget */
    assert_null(api_log_at(l, 79)->resp_body);
    assert_string_equal(api_log_at(l, 79)->path, "/v2/sandboxes");
    api_log_free(l);
}

/* The caller's buffers taken instead of copied (http hands over what it frees next): taken
 * ones are left empty, what is stored and shown is the same as from copies (redacted, cut at
 * API_LOG_BODY_MAX with a secret across the cut), and a buffer that is not the one the call
 * points at is copied, not taken. */
static void t_keep(void **state)
{
    (void)state;
    struct api_log *l = api_log_new(0);
    struct buf url = BUF_INIT, rqh = BUF_INIT, rsh = BUF_INIT, body = BUF_INIT;
    buf_append_str(&url, "http://h/v2/sandboxes?limit=100&x=" KEY);
    buf_append_str(&rqh, "X-API-Key: " KEY "\n");
    buf_append_str(&rsh, "x-note: " TOK "\n");
    buf_append_str(&body, "[{\"sandboxID\":\"a\",\"note\":\"" KEY " " TOK "\"}]");
    char *url_s = buf_steal(&url);
    struct http_call c = {
        .method = "GET",
        .url = url_s,
        .req_headers = rqh.data,
        .resp_headers = rsh.data,
        .resp_body = body.data,
        .resp_body_len = body.len,
        .status = 200,
        .secrets = secrets,
        .n_secrets = 2,
        .keep_url = &url_s,
        .keep_req_headers = &rqh,
        .keep_resp_headers = &rsh,
        .keep_resp_body = &body,
    };
    api_log_observe(&c, l);
    assert_null(url_s); /* all taken */
    assert_null(rqh.data);
    assert_null(rsh.data);
    assert_null(body.data);
    assert_int_equal(body.len, 0);
    const struct api_log_entry *e = api_log_at(l, 0);
    assert_string_equal(e->path, "/v2/sandboxes?limit=100&x=" API_LOG_REDACTED);
    assert_string_equal(e->req_headers, "X-API-Key: " API_LOG_REDACTED "\n");
    assert_string_equal(e->resp_headers, "x-note: " API_LOG_REDACTED "\n");
    assert_string_equal(e->resp_body, "[{\"sandboxID\":\"a\",\"note\":\"" API_LOG_REDACTED
                                      " " API_LOG_REDACTED "\"}]");

    /* a big body taken: cut as a copy would be, the secret across the cut redacted */
    buf_reserve(&body, API_LOG_BODY_MAX * 2);
    memset(body.data, 'a', API_LOG_BODY_MAX * 2);
    body.len = API_LOG_BODY_MAX * 2;
    body.data[body.len] = '\0';
    memcpy(body.data + API_LOG_BODY_MAX - 8, KEY, strlen(KEY));
    struct http_call c2 = {.method = "GET",
                           .url = "http://h/x",
                           .status = 200,
                           .resp_body = body.data,
                           .resp_body_len = body.len,
                           .secrets = secrets,
                           .n_secrets = 2,
                           .keep_resp_body = &body};
    api_log_observe(&c2, l);
    assert_null(body.data);
    e = api_log_at(l, 0);
    assert_int_equal(e->resp_body_len, API_LOG_BODY_MAX);
    assert_null(memmem(e->resp_body, e->resp_body_len, "e2b_", 4));
    assert_non_null(memmem(e->resp_body, e->resp_body_len, "[REDA", 5));

    /* the offered buffer is not what the call points at: copied, the buffer left alone */
    buf_append_str(&body, "other");
    struct http_call c3 = {.method = "GET",
                           .url = "http://h/y",
                           .status = 200,
                           .resp_body = "[1]",
                           .resp_body_len = 3,
                           .keep_resp_body = &body};
    api_log_observe(&c3, l);
    assert_string_equal(buf_cstr(&body), "other");
    assert_string_equal(api_log_at(l, 0)->resp_body, "[1]");
    buf_free(&body);
    api_log_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_redact), cmocka_unit_test(t_url),  cmocka_unit_test(t_ring),
        cmocka_unit_test(t_budget), cmocka_unit_test(t_lazy), cmocka_unit_test(t_lazy_budget),
        cmocka_unit_test(t_keep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
