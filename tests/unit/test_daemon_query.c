/* test_daemon_query.c - query decoding, the triple-encoded metadata filter, list paging
 * tokens and strict integers. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "query.h"
#include "api/dapi_list_filter.h"

static void unescape_rules(void **state)
{
    (void)state;
    char *o;
    assert_int_equal(query_unescape("a%20b+c", 7, true, &o), 0);
    assert_string_equal(o, "a b c");
    free(o);
    assert_int_equal(query_unescape("a+b", 3, false, &o), 0);
    assert_string_equal(o, "a+b");
    free(o);
    assert_int_equal(query_unescape("%41%7a", 6, true, &o), 0);
    assert_string_equal(o, "Az");
    free(o);
    assert_int_equal(query_unescape("%", 1, true, &o), -1);
    assert_null(o);
    assert_int_equal(query_unescape("%4", 2, true, &o), -1);
    assert_int_equal(query_unescape("%zz", 3, true, &o), -1);
    assert_int_equal(query_unescape("a%00b", 5, true, &o), -1); /* NUL refused */
    assert_int_equal(query_unescape("a\0b", 3, true, &o), -1);
}

static void parse_params(void **state)
{
    (void)state;
    struct query q;
    struct error err;
    const char *raw = "state=running,paused&limit=10&&flag&types=a&types=b";
    assert_int_equal(query_parse(&q, raw, strlen(raw), &err), 0);
    assert_string_equal(query_get(&q, "state"), "running,paused");
    assert_string_equal(query_get(&q, "limit"), "10");
    assert_string_equal(query_get(&q, "flag"), "");
    assert_null(query_get(&q, "missing"));
    assert_int_equal(query_count(&q, "types"), 2);
    assert_string_equal(query_get_nth(&q, "types", 1), "b");
    assert_null(query_get_nth(&q, "types", 2));
    query_free(&q);
    assert_int_equal(query_parse(&q, "a=%zz", 5, &err), -1);
    assert_int_equal(query_parse(&q, "", 0, &err), 0);
    assert_int_equal(q.n, 0);
    query_free(&q);
}

/* The SDK's encoding (sdk-transcripts/list.txt): three decodes give the pairs back. */
static void metadata_triple_encoded(void **state)
{
    (void)state;
    struct query q, md;
    struct error err;
    const char *raw = "metadata=purpose%3Dtranscript%26odd%252520key%3Da%252520b%252526c"
                      "&state=running,paused&limit=10";
    assert_int_equal(query_parse(&q, raw, strlen(raw), &err), 0);
    assert_int_equal(query_parse_metadata(query_get(&q, "metadata"), &md, &err), 0);
    assert_int_equal(md.n, 2);
    assert_string_equal(query_get(&md, "purpose"), "transcript");
    assert_string_equal(query_get(&md, "odd key"), "a b&c");
    query_free(&md);
    query_free(&q);
    /* the simple form used by the CLI */
    assert_int_equal(query_parse_metadata("purpose=cli-transcript", &md, &err), 0);
    assert_string_equal(query_get(&md, "purpose"), "cli-transcript");
    query_free(&md);
    /* a value that decodes to '=' stays inside the value */
    assert_int_equal(query_parse_metadata("k=v%253D1", &md, &err), 0);
    assert_string_equal(query_get(&md, "k"), "v=1");
    query_free(&md);
    assert_int_equal(query_parse_metadata("k=%zz", &md, &err), -1);
    assert_int_equal(query_parse_metadata("=v", &md, &err), -1);
    assert_int_equal(query_parse_metadata("k=%2500", &md, &err), -1); /* NUL after decode */
    /* the API's parseFilters: each '&'-piece is exactly one key=value, an empty one too */
    assert_int_equal(query_parse_metadata("k", &md, &err), -1);
    assert_string_equal(err.msg, "error parsing metadata: invalid key value pair in query");
    assert_int_equal(query_parse_metadata("", &md, &err), -1);
    assert_int_equal(query_parse_metadata("a=1%26", &md, &err), -1);
    assert_int_equal(query_parse_metadata("a=1%26%26b=2", &md, &err), -1);
    assert_int_equal(query_parse_metadata("a=b=c", &md, &err), -1);
}

static void ints(void **state)
{
    (void)state;
    long long v;
    assert_int_equal(query_parse_int64("123", &v), 0);
    assert_int_equal(v, 123);
    assert_int_equal(query_parse_int64("-5", &v), 0);
    assert_int_equal(v, -5);
    assert_int_equal(query_parse_int64("", &v), -1);
    assert_int_equal(query_parse_int64("-", &v), -1);
    assert_int_equal(query_parse_int64("1e3", &v), -1);
    assert_int_equal(query_parse_int64(" 1", &v), -1);
    assert_int_equal(query_parse_int64("99999999999999999999", &v), -1);
}

static void next_tokens(void **state)
{
    (void)state;
    char tok[400], id[80];
    int64_t ms;
    bool asc;
    assert_int_equal(list_token_encode(1795610434924LL, "iabc123", true, tok, sizeof tok), 0);
    assert_int_equal(list_token_decode(tok, &ms, id, sizeof id, &asc), 0);
    assert_int_equal(ms, 1795610434924LL);
    assert_string_equal(id, "iabc123");
    assert_true(asc);
    assert_int_equal(list_token_decode("zz", &ms, id, sizeof id, &asc), -1);
    assert_int_equal(list_token_decode("", &ms, id, sizeof id, &asc), -1);
    assert_int_equal(list_token_decode("00", &ms, id, sizeof id, &asc), -1);
    /* an id with path characters in a forged token */
    char forged[200];
    const char *raw = "1_../x_asc";
    for (size_t i = 0; i < strlen(raw); i++)
        snprintf(forged + 2 * i, 3, "%02x", (unsigned char)raw[i]);
    assert_int_equal(list_token_decode(forged, &ms, id, sizeof id, &asc), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unescape_rules),
        cmocka_unit_test(parse_params),
        cmocka_unit_test(metadata_triple_encoded),
        cmocka_unit_test(ints),
        cmocka_unit_test(next_tokens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
