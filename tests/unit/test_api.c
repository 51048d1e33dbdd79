/* test_api.c - platform API query building, byte for byte as the JS SDK sends it. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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

/* One listing's pages: the same bounds and messages for `boxtop ls` and the TUI. */
static void test_paging_bounds(void **state)
{
    (void)state;
    struct api_paging p = {0};
    assert_int_equal(api_paging_next(&p, 100, 1000, "t1"), API_PAGING_MORE);
    assert_string_equal(p.token, "t1");
    assert_int_equal(api_paging_next(&p, 100, 1000, NULL), API_PAGING_DONE);
    api_paging_free(&p);
    /* the same token again, or an empty page that has a next one: stuck, said */
    assert_int_equal(api_paging_next(&p, 3, 10, "same"), API_PAGING_MORE);
    assert_int_equal(api_paging_next(&p, 3, 10, "same"), API_PAGING_STUCK);
    assert_non_null(strstr(p.why, "same next-page token"));
    api_paging_free(&p);
    assert_int_equal(api_paging_next(&p, 0, 2, "x"), API_PAGING_STUCK);
    assert_non_null(strstr(p.why, "empty page"));
    api_paging_free(&p);
    /* endless fresh tokens: cut at the item, byte or page bound, whichever comes first */
    char tok[32];
    enum api_paging_step st = API_PAGING_MORE;
    int pages = 0;
    while (st == API_PAGING_MORE) {
        snprintf(tok, sizeof tok, "t%d", pages++);
        st = api_paging_next(&p, 100, 50000, tok);
    }
    assert_int_equal(st, API_PAGING_CUT);
    assert_int_equal(p.items, API_LIST_MAX_ITEMS);
    assert_non_null(strstr(p.why, "listing cut at 20000 sandboxes"));
    api_paging_free(&p);
    pages = 0;
    do /* fat pages: the byte bound */
        snprintf(tok, sizeof tok, "t%d", pages++);
    while ((st = api_paging_next(&p, 100, 6 << 20, tok)) == API_PAGING_MORE);
    assert_int_equal(st, API_PAGING_CUT);
    assert_true(p.bytes >= API_LIST_MAX_BYTES && p.bytes < API_LIST_MAX_BYTES + (6 << 20));
    api_paging_free(&p);
    pages = 0;
    do /* one sandbox a page: the page bound */
        snprintf(tok, sizeof tok, "t%d", pages++);
    while ((st = api_paging_next(&p, 1, 100, tok)) == API_PAGING_MORE);
    assert_int_equal(p.pages, API_LIST_MAX_PAGES);
    api_paging_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_metadata_like_sdk),
        cmocka_unit_test(test_list_path),
        cmocka_unit_test(test_uri_component),
        cmocka_unit_test(test_paging_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
