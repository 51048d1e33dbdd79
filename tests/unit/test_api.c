/* test_api.c - platform API query building, byte for byte as the JS SDK sends it. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boxtop/api.h"

static void test_metadata_like_sdk(void **state)
{
    (void)state;
    /* sdk-transcripts/list.txt: {purpose:'transcript','odd key':'a b&c'} */
    struct kv_list md = {0};
    kv_list_add(&md, "purpose", "transcript");
    kv_list_add(&md, "odd key", "a b&c");
    struct buf b = BUF_INIT;
    assert_int_equal(api_encode_metadata(&md, &b), 0);
    assert_string_equal(buf_cstr(&b), "purpose%3Dtranscript%26odd%252520key%3Da%252520b%252526c");
    kv_list_free(&md);
    buf_reset(&b);

    /* platform-api.md: {k:"v=1&2"} -> metadata=k%3Dv%25253D1%2525262 */
    kv_list_add(&md, "k", "v=1&2");
    assert_int_equal(api_encode_metadata(&md, &b), 0);
    assert_string_equal(buf_cstr(&b), "k%3Dv%25253D1%2525262");
    kv_list_free(&md);
    buf_reset(&b);

    /* encodeURIComponent keeps !'()*~, URLSearchParams then escapes all but *; UTF-8 bytes */
    kv_list_add(&md, "a!~'()*", "\xc3\xa9");
    assert_int_equal(api_encode_metadata(&md, &b), 0);
    assert_string_equal(buf_cstr(&b), "a%2521%257E%2527%2528%2529*%3D%2525C3%2525A9");
    kv_list_free(&md);
    buf_free(&b);
}

static void test_list_path(void **state)
{
    (void)state;
    struct kv_list md = {0};
    kv_list_add(&md, "purpose", "transcript");
    kv_list_add(&md, "odd key", "a b&c");
    struct api_list_query q = {
        .states = API_STATE_RUNNING | API_STATE_PAUSED, .metadata = &md, .limit = 10};
    struct buf b = BUF_INIT;
    assert_int_equal(api_list_path(&q, &b), 0);
    assert_string_equal(buf_cstr(&b), "/v2/sandboxes?metadata=purpose%3Dtranscript%26odd%252520"
                                      "key%3Da%252520b%252526c&state=running,paused&limit=10");
    kv_list_free(&md);
    buf_reset(&b);
    assert_int_equal(api_list_path(NULL, &b), 0);
    assert_string_equal(buf_cstr(&b), "/v2/sandboxes");
    buf_reset(&b);
    struct api_list_query q2 = {.states = API_STATE_PAUSED, .next_token = "a/b+c=", .limit = 100};
    assert_int_equal(api_list_path(&q2, &b), 0);
    assert_string_equal(buf_cstr(&b),
                        "/v2/sandboxes?state=paused&limit=100&nextToken=a%2Fb%2Bc%3D");
    buf_free(&b);
}

static void test_uri_component(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    assert_int_equal(api_uri_component("a b/c?d#e%\n", &b), 0);
    assert_string_equal(buf_cstr(&b), "a%20b%2Fc%3Fd%23e%25%0A");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_metadata_like_sdk),
        cmocka_unit_test(test_list_path),
        cmocka_unit_test(test_uri_component),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
