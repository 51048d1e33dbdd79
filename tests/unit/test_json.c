/* test_json.c - strict accessors (types, missing fields, paths in messages), int64 rules,
 * parsing of exact-length buffers, RFC 3339 time parse/format. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "boxtop/json.h"

static cJSON *parse(const char *s)
{
    struct error err;
    error_clear(&err);
    cJSON *j = json_parse(s, strlen(s), &err);
    assert_non_null(j);
    return j;
}

/* A document of more than JSON_MAX_VALUES values is refused before cJSON builds anything
 * (a 250 MiB [{},{},...] became 85 M nodes); commas and brackets inside strings do not count. */
static void value_bound(void **state)
{
    (void)state;
    struct error err;
    assert_int_equal(json_count_values("[1,2,{\"a\":[3]}]", 15, 100), 6);
    assert_int_equal(json_count_values("\",[{\\\",\"", 8, 100), 1);
    size_t n = (size_t)JSON_MAX_VALUES + 1;
    char *big = malloc(3 * n + 2);
    assert_non_null(big);
    big[0] = '[';
    for (size_t i = 0; i < n; i++)
        memcpy(big + 1 + 3 * i, "{},", 3);
    big[3 * n] = ']';
    error_clear(&err);
    assert_null(json_parse(big, 3 * n + 1, &err));
    assert_int_equal(err.kind, ERROR_PROTOCOL);
    assert_non_null(strstr(err.msg, "more than 1000000 JSON values"));
    /* just under the bound parses */
    size_t m = (size_t)JSON_MAX_VALUES / 2 - 2;
    big[3 * m] = ']';
    error_clear(&err);
    cJSON *ok = json_parse(big, 3 * m + 1, &err);
    assert_non_null(ok);
    assert_int_equal(cJSON_GetArraySize(ok), (int)m);
    cJSON_Delete(ok);
    free(big);
}

static void parse_exact_length(void **state)
{
    (void)state;
    struct error err;
    error_clear(&err);
    const char body[] = "{\"a\":1}GARBAGE";
    cJSON *j = json_parse(body, 7, &err); /* not NUL-terminated at 7 */
    assert_non_null(j);
    cJSON_Delete(j);
    j = json_parse(" {\"a\":1} \r\n", 11, &err);
    assert_non_null(j);
    cJSON_Delete(j);
    assert_null(json_parse(body, strlen(body), &err));
    assert_int_equal(err.kind, ERROR_PROTOCOL);
    assert_non_null(strstr(err.msg, "trailing"));
    assert_null(json_parse("{\"a\":1}\0{}", 10, &err));
    assert_null(json_parse("{\"a\":", 5, &err));
    assert_non_null(strstr(err.msg, "invalid JSON"));
    assert_null(json_parse("", 0, &err));
}

static void wrong_types_name_the_path(void **state)
{
    (void)state;
    cJSON *j = parse("{\"sandboxes\":[{\"cpuCount\":\"two\",\"name\":7,\"ok\":1,\"meta\":[]}]}");
    struct error err;
    error_clear(&err);
    const cJSON *arr, *item;
    assert_int_equal(json_get_array(j, "", "sandboxes", &arr, &err), 0);
    item = cJSON_GetArrayItem(arr, 0);
    char path[64];
    json_path_index(path, sizeof path, "sandboxes", 3); /* as a caller numbering items */
    assert_string_equal(path, "sandboxes[3]");

    int64_t n;
    assert_int_equal(json_get_int64(item, path, "cpuCount", &n, &err), -1);
    assert_string_equal(err.msg, "sandboxes[3].cpuCount: expected an integer, got a string");
    double d;
    assert_int_equal(json_get_double(item, path, "meta", &d, &err), -1);
    assert_string_equal(err.msg, "sandboxes[3].meta: expected a number, got an array");

    const char *s = "unchanged";
    assert_int_equal(json_get_string(item, path, "name", &s, &err), -1);
    assert_string_equal(err.msg, "sandboxes[3].name: expected a string, got a number");
    assert_int_equal(err.kind, ERROR_PROTOCOL);
    bool b;
    assert_int_equal(json_get_bool(item, path, "ok", &b, &err), -1);
    assert_string_equal(err.msg, "sandboxes[3].ok: expected a boolean, got a number");
    const cJSON *o;
    assert_int_equal(json_get_object(item, path, "meta", &o, &err), -1);
    assert_string_equal(err.msg, "sandboxes[3].meta: expected an object, got an array");
    assert_int_equal(json_get_array(item, path, "ok", &o, &err), -1);
    assert_string_equal(err.msg, "sandboxes[3].ok: expected an array, got a number");
    /* Optional fields of the wrong type are still errors. */
    assert_int_equal(json_opt_string(item, path, "name", &s, &err), -1);
    assert_int_equal(json_opt_bool(item, path, "ok", &b, false, &err), -1);
    /* The getter on something that is not an object. */
    assert_int_equal(json_get_string(arr, "sandboxes", "x", &s, &err), -1);
    assert_string_equal(err.msg, "sandboxes: expected an object, got an array");
    assert_int_equal(json_get_string(NULL, "", "x", &s, &err), -1);
    assert_int_equal(json_expect_object(arr, "", &err), -1);
    assert_string_equal(err.msg, "document: expected an object, got an array");
    assert_int_equal(json_expect_array(arr, "", &err), 0);
    assert_int_equal(json_expect_array(j, "resp", &err), -1);
    assert_string_equal(err.msg, "resp: expected an array, got an object");
    cJSON_Delete(j);
}

static void missing_and_optional(void **state)
{
    (void)state;
    cJSON *j = parse("{\"a\":{\"b\":null,\"Name\":\"x\"}}");
    struct error err;
    error_clear(&err);
    const cJSON *a;
    assert_int_equal(json_get_object(j, NULL, "a", &a, &err), 0);
    const char *s = "old";
    assert_int_equal(json_get_string(a, "a", "name", &s, &err), -1); /* case-sensitive */
    assert_string_equal(err.msg, "a.name: missing");
    assert_int_equal(json_get_string(a, "a", "b", &s, &err), -1); /* null is no string */
    assert_string_equal(err.msg, "a.b: expected a string, got null");
    assert_int_equal(json_opt_string(a, "a", "b", &s, &err), 0);
    assert_null(s);
    assert_int_equal(json_opt_string(a, "a", "zz", &s, &err), 0);
    assert_null(s);
    assert_int_equal(json_get_string(a, "a", "Name", &s, &err), 0);
    assert_string_equal(s, "x");
    int64_t i;
    assert_int_equal(json_opt_int64(a, "a", "b", &i, 42, &err), 0);
    assert_int_equal(i, 42);
    double d;
    assert_int_equal(json_opt_double(a, "a", "q", &d, 1.5, &err), 0);
    assert_true(d == 1.5);
    bool b;
    assert_int_equal(json_opt_bool(a, "a", "q", &b, true, &err), 0);
    assert_true(b);
    const cJSON *o = a;
    assert_int_equal(json_opt_object(a, "a", "q", &o, &err), 0);
    assert_null(o);
    assert_int_equal(json_opt_array(a, "a", "b", &o, &err), 0);
    assert_null(o);
    assert_int_equal(json_get_int64(j, "", "nope", &i, &err), -1);
    assert_string_equal(err.msg, "nope: missing");
    cJSON_Delete(j);
}

static void int64_rules(void **state)
{
    (void)state;
    cJSON *j = parse("{\"ms\":1732000000123,\"neg\":-3000000000,\"big\":\"9223372036854775807\","
                     "\"min\":\"-9223372036854775808\",\"over\":\"9223372036854775808\","
                     "\"frac\":1.5,\"huge\":9007199254740993,\"safe\":9007199254740991,\"edge\":"
                     "9007199254740992,"
                     "\"hex\":\"0x10\",\"empty\":\"\",\"plus\":\"+1\",\"sp\":\" 1\","
                     "\"exp\":1e3,\"b\":true}");
    struct error err;
    error_clear(&err);
    int64_t v;
    assert_int_equal(json_get_int64(j, "", "ms", &v, &err), 0);
    assert_true(v == 1732000000123LL);
    assert_int_equal(json_get_int64(j, "", "neg", &v, &err), 0);
    assert_true(v == -3000000000LL);
    assert_int_equal(json_get_int64(j, "", "big", &v, &err), 0);
    assert_true(v == INT64_MAX);
    assert_int_equal(json_get_int64(j, "", "min", &v, &err), 0);
    assert_true(v == INT64_MIN);
    assert_int_equal(json_get_int64(j, "", "safe", &v, &err), 0);
    assert_true(v == 9007199254740991LL);
    assert_int_equal(json_get_int64(j, "", "exp", &v, &err), 0);
    assert_true(v == 1000);
    assert_int_equal(json_get_int64(j, "x", "over", &v, &err), -1);
    assert_string_equal(err.msg, "x.over: integer out of range");
    assert_int_equal(json_get_int64(j, "", "frac", &v, &err), -1);
    assert_string_equal(err.msg, "frac: expected an integer");
    assert_int_equal(json_get_int64(j, "", "huge", &v, &err), -1); /* would round */
    assert_non_null(strstr(err.msg, "huge"));
    assert_int_equal(json_get_int64(j, "", "edge", &v, &err), -1); /* 2^53+1 reads as 2^53 */
    const char *bad[] = {"hex", "empty", "plus", "sp"};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(json_get_int64(j, "", bad[i], &v, &err), -1);
        assert_non_null(strstr(err.msg, bad[i]));
    }
    assert_int_equal(json_get_int64(j, "", "b", &v, &err), -1);
    assert_string_equal(err.msg, "b: expected an integer, got a boolean");
    cJSON_Delete(j);
}

static void doubles(void **state)
{
    (void)state;
    cJSON *j =
        parse("{\"a\":0.25,\"s\":\"1.5e2\",\"inf\":\"Infinity\",\"bad\":\"inf\",\"x\":\"0x1\"}");
    struct error err;
    error_clear(&err);
    double d;
    assert_int_equal(json_get_double(j, "", "a", &d, &err), 0);
    assert_true(d == 0.25);
    assert_int_equal(json_get_double(j, "", "s", &d, &err), 0);
    assert_true(d == 150.0);
    assert_int_equal(json_get_double(j, "", "inf", &d, &err), 0);
    assert_true(d > 1e308);
    assert_int_equal(json_get_double(j, "", "bad", &d, &err), -1);
    assert_string_equal(err.msg, "bad: expected a number, got a string");
    assert_int_equal(json_get_double(j, "", "x", &d, &err), -1);
    cJSON_Delete(j);
}

static void paths(void **state)
{
    (void)state;
    char p[16];
    assert_string_equal(json_path_key(p, sizeof p, "", "a"), "a");
    assert_string_equal(json_path_key(p, sizeof p, NULL, "a"), "a");
    assert_string_equal(json_path_key(p, sizeof p, "x[1]", "b"), "x[1].b");
    assert_string_equal(json_path_index(p, sizeof p, "list", 12), "list[12]");
    assert_string_equal(json_path_key(p, 8, "abcdef", "ghij"), "abcdef."); /* truncated */
}

static void time_parse(void **state)
{
    (void)state;
    int64_t ms;
    assert_int_equal(json_parse_time("1970-01-01T00:00:00Z", &ms), 0);
    assert_true(ms == 0);
    assert_int_equal(json_parse_time("2024-11-19T07:06:40.123Z", &ms), 0);
    assert_true(ms == 1732000000123LL);
    assert_int_equal(json_parse_time("2024-11-19T07:06:40.123456789Z", &ms), 0);
    assert_true(ms == 1732000000123LL); /* truncated to ms */
    assert_int_equal(json_parse_time("2024-11-19T09:06:40.1+02:00", &ms), 0);
    assert_true(ms == 1732000000100LL);
    assert_int_equal(json_parse_time("2024-11-18T23:36:40-07:30", &ms), 0);
    assert_true(ms == 1732000000000LL);
    assert_int_equal(json_parse_time("2024-02-29t12:00:00z", &ms), 0);
    assert_int_equal(json_parse_time("1969-12-31T23:59:59.5Z", &ms), 0);
    assert_true(ms == -500);
    assert_int_equal(json_parse_time("0001-01-01T00:00:00Z", &ms), 0); /* Go's zero time */
    assert_true(ms == -62135596800000LL);
    static const char *const bad[] = {
        "",
        "2024-11-19",
        "2024-11-19T07:06:40",             /* no offset */
        "2024-11-19T07:06:40.Z",           /* empty fraction */
        "2024-11-19T07:06:40.1234567890Z", /* 10 digits */
        "2023-02-29T00:00:00Z",            /* not a leap year */
        "2024-13-01T00:00:00Z",
        "2024-11-19T24:00:00Z",
        "2024-11-19T07:06:40+0200",
        "2024-11-19T07:06:40Zjunk",
        "24-11-19T07:06:40Z",
        "2024-11-19T07:06:40+24:00",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(json_parse_time(bad[i], &ms), -EINVAL);
    assert_int_equal(json_parse_time(NULL, &ms), -EINVAL);
}

static void time_format(void **state)
{
    (void)state;
    char buf[32];
    json_format_time(1732000000123LL, buf, sizeof buf);
    assert_string_equal(buf, "2024-11-19T07:06:40.123Z");
    json_format_time(0, buf, sizeof buf);
    assert_string_equal(buf, "1970-01-01T00:00:00.000Z");
    json_format_time(-1, buf, sizeof buf);
    assert_string_equal(buf, "1969-12-31T23:59:59.999Z");
    json_format_time(951782400000LL, buf, sizeof buf);
    assert_string_equal(buf, "2000-02-29T00:00:00.000Z");
    json_format_time(INT64_MIN, buf, sizeof buf); /* must not overflow or crash */
    json_format_time(INT64_MAX, buf, sizeof buf);
    json_format_time(5, buf, 4);
    assert_string_equal(buf, "197");
    json_format_time(-62167219200000LL, buf, sizeof buf);
    assert_string_equal(buf, "0000-01-01T00:00:00.000Z");
    /* The nanosecond form both programs use (logs: 9 digits; envd file times: as few as
     * needed, like Go's): one formatter behind all of them. */
    json_format_time_ns(1767225600, 123456789, 9, buf, sizeof buf);
    assert_string_equal(buf, "2026-01-01T00:00:00.123456789Z");
    json_format_time_ns(1767225600, 5, 9, buf, sizeof buf);
    assert_string_equal(buf, "2026-01-01T00:00:00.000000005Z");
    json_format_time_ns(1767225600, 0, JSON_TIME_SHORTEST, buf, sizeof buf);
    assert_string_equal(buf, "2026-01-01T00:00:00Z");
    json_format_time_ns(1767225600, 120000000, JSON_TIME_SHORTEST, buf, sizeof buf);
    assert_string_equal(buf, "2026-01-01T00:00:00.120Z");
    json_format_time_ns(1767225600, 123456000, JSON_TIME_SHORTEST, buf, sizeof buf);
    assert_string_equal(buf, "2026-01-01T00:00:00.123456Z");
    json_format_time_ns(-1, 999999999, 9, buf, sizeof buf);
    assert_string_equal(buf, "1969-12-31T23:59:59.999999999Z");
    json_format_time_ns(0, 2000000000, 3, buf, sizeof buf); /* out of range: 0 */
    assert_string_equal(buf, "1970-01-01T00:00:00.000Z");
    /* Round trip over a spread of instants. */
    for (int64_t t = -62167219200000LL; t < 253402300800000LL; t += 7777777777777LL) {
        int64_t back;
        json_format_time(t, buf, sizeof buf);
        assert_int_equal(json_parse_time(buf, &back), 0);
        assert_true(back == t);
    }
}

/* The lenient getters: the member only when its type is right, never a crash on odd input. */
static void lenient_getters(void **state)
{
    (void)state;
    cJSON *o = cJSON_Parse("{\"s\":\"x\",\"n\":2.5,\"S\":1,\"z\":null}");
    assert_non_null(o);
    assert_string_equal(json_str(o, "s"), "x");
    assert_null(json_str(o, "S")); /* a number, and keys are case-sensitive */
    assert_null(json_str(o, "n"));
    assert_null(json_str(o, "missing"));
    assert_null(json_str(NULL, "s"));
    assert_true(json_num(o, "n", -1) == 2.5);
    assert_true(json_num(o, "s", -1) == -1);
    assert_true(json_num(o, "z", 7) == 7);
    assert_true(json_num(NULL, "n", 0) == 0);
    cJSON *arr = cJSON_Parse("[1,2]");
    assert_null(json_str(arr, "s"));
    assert_true(json_num(arr, "n", 3) == 3);
    cJSON_Delete(arr);
    cJSON_Delete(o);
}

static void add_time_member(void **state)
{
    (void)state;
    cJSON *o = cJSON_CreateObject();
    assert_non_null(json_add_time(o, "at", 1732000000123LL));
    assert_string_equal(json_str(o, "at"), "2024-11-19T07:06:40.123Z");
    assert_null(json_add_time(NULL, "at", 0)); /* no object: nothing added, no crash */
    cJSON_Delete(o);
}

/* json_int: a number in [lo, hi] truncated, anything else (out of range, 1e999, not a number,
 * missing) the default -- never an undefined cast. */
static void int_getter(void **state)
{
    (void)state;
    const char *t = "{\"a\":42.9,\"big\":1e999,\"neg\":-1e999,\"huge\":1e18,\"s\":\"7\","
                    "\"m\":-3,\"max\":9007199254740992}";
    cJSON *o = cJSON_Parse(t);
    assert_non_null(o);
    assert_true(json_int(o, "a", 0, 100, -1) == 42);
    assert_true(json_int(o, "a", 0, 40, -1) == -1);
    assert_true(json_int(o, "big", 0, INT64_MAX, -1) == -1);
    assert_true(json_int(o, "neg", INT64_MIN, 0, -1) == -1);
    assert_true(json_int(o, "huge", 0, INT64_MAX, -1) == -1); /* beyond 2^53 */
    assert_true(json_int(o, "s", 0, 100, -1) == -1);
    assert_true(json_int(o, "m", 0, 100, -1) == -1);
    assert_true(json_int(o, "m", -5, 100, -1) == -3);
    assert_true(json_int(o, "max", 0, INT64_MAX, -1) == JSON_INT_MAX);
    assert_true(json_int(o, "missing", 0, 100, 5) == 5);
    assert_true(json_int(NULL, "a", 0, 100, 5) == 5);
    cJSON_Delete(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_exact_length),
        cmocka_unit_test(value_bound),
        cmocka_unit_test(wrong_types_name_the_path),
        cmocka_unit_test(missing_and_optional),
        cmocka_unit_test(int64_rules),
        cmocka_unit_test(doubles),
        cmocka_unit_test(paths),
        cmocka_unit_test(time_parse),
        cmocka_unit_test(time_format),
        cmocka_unit_test(lenient_getters),
        cmocka_unit_test(add_time_member),
        cmocka_unit_test(int_getter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
