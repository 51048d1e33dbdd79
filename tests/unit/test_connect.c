/* test_connect.c - Connect codec: envelopes, incremental decoding under every split,
 * end-stream errors and trailers, error code tables, unary error bodies, proto3 JSON. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "boxtop/connect.h"

/* The PTY Start response of connect-rpc.md §12 and the commands.run response of
 * sdk-transcripts/commands-run.txt, as one recorded stream. */
static const char *const recorded_msgs[] = {
    "{\"event\":{\"start\":{\"pid\":412}}}",
    "{\"event\":{\"data\":{\"pty\":\"dXNlckBlMmI6fiQg\"}}}",
    "{\"event\":{\"keepalive\":{}}}",
    "{\"event\":{\"data\":{\"stdout\":\"aGVsbG8K\"}}}",
    "{\"event\":{\"end\":{\"exitCode\":130,\"exited\":true,\"status\":\"exit status 130\"}}}",
};

static void build_recorded(struct buf *out, const char *end_payload)
{
    for (size_t i = 0; i < sizeof recorded_msgs / sizeof recorded_msgs[0]; i++)
        assert_int_equal(
            connect_envelope_append(out, 0, recorded_msgs[i], strlen(recorded_msgs[i])), 0);
    assert_int_equal(
        connect_envelope_append(out, CONNECT_FLAG_END_STREAM, end_payload, strlen(end_payload)), 0);
}

/* Events rendered as text so two decodings can be compared. */
static int record_cb(const struct connect_frame *f, void *ud, struct error *err)
{
    (void)err;
    struct buf *log = ud;
    if (f->end) {
        if (f->end->has_error)
            buf_printf(log, "END:%s:%s|", connect_code_name(f->end->error.code),
                       f->end->error.message ? f->end->error.message : "");
        else
            buf_printf(log, "END:ok|");
        if (f->end->metadata) {
            char *md = cJSON_PrintUnformatted(f->end->metadata);
            buf_printf(log, "MD:%s|", md);
            cJSON_free(md);
        }
    } else {
        buf_printf(log, "MSG:%u:", f->flags);
        buf_append(log, f->data, f->len);
        buf_append_str(log, "|");
    }
    return 0;
}

/* Decode stream in the given pieces; returns the event log (or "ERR:<msg>"). */
static char *decode_pieces(const char *data, size_t len, const size_t *cuts, size_t ncuts)
{
    struct connect_decoder d;
    struct buf log = BUF_INIT;
    struct error err;
    error_clear(&err);
    connect_decoder_init(&d, 0);
    size_t pos = 0;
    int rc = 0;
    for (size_t i = 0; i <= ncuts && rc == 0; i++) {
        size_t end = i < ncuts ? cuts[i] : len;
        rc = connect_decoder_feed(&d, data + pos, end - pos, record_cb, &log, &err);
        pos = end;
    }
    if (rc == 0) rc = connect_decoder_finish(&d, &err);
    if (rc < 0) buf_printf(&log, "ERR:%s", err.msg);
    connect_decoder_free(&d);
    buf_append_str(&log, "");
    return buf_steal(&log);
}

static void envelope_bytes_match_spec(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    const char *start = recorded_msgs[0];
    assert_int_equal(connect_envelope_append(&b, 0, start, strlen(start)), 0);
    assert_int_equal(b.len, 5 + 31);
    assert_memory_equal(b.data, "\x00\x00\x00\x00\x1f", 5);
    assert_memory_equal(b.data + 5, start, 31);
    buf_reset(&b);
    /* End-stream failure variant from connect-rpc.md §12, byte for byte. */
    assert_int_equal(
        connect_end_stream_append(&b, CONNECT_NOT_FOUND, "process with pid 9 not found", NULL), 0);
    const char *want =
        "{\"error\":{\"code\":\"not_found\",\"message\":\"process with pid 9 not found\"}}";
    assert_int_equal(b.len, 5 + strlen(want));
    assert_memory_equal(b.data, "\x02\x00\x00\x00\x47", 5);
    assert_memory_equal(b.data + 5, want, strlen(want));
    buf_reset(&b);
    assert_int_equal(connect_end_stream_append(&b, CONNECT_OK, NULL, NULL), 0);
    assert_int_equal(b.len, 7);
    assert_memory_equal(b.data, "\x02\x00\x00\x00\x02{}", 7);
    /* Big lengths are big-endian. */
    buf_reset(&b);
    char *big = calloc(1, 0x010203);
    assert_non_null(big);
    assert_int_equal(connect_envelope_append(&b, 0, big, 0x010203), 0);
    assert_memory_equal(b.data, "\x00\x00\x01\x02\x03", 5);
    free(big);
    buf_free(&b);
}

static void every_split_gives_identical_events(void **state)
{
    (void)state;
    struct buf s = BUF_INIT;
    build_recorded(&s, "{}");
    char *whole = decode_pieces(s.data, s.len, NULL, 0);
    assert_null(strstr(whole, "ERR:"));
    assert_non_null(strstr(whole, "MSG:0:{\"event\":{\"start\":{\"pid\":412}}}|"));
    assert_non_null(strstr(whole, "END:ok|"));
    /* One cut at every position (0 and len included: empty feeds are fine). */
    for (size_t cut = 0; cut <= s.len; cut++) {
        char *got = decode_pieces(s.data, s.len, &cut, 1);
        assert_string_equal(got, whole);
        free(got);
    }
    /* Two cuts at every pair of positions. */
    for (size_t a = 0; a <= s.len; a += 3) {
        for (size_t b = a; b <= s.len; b += 7) {
            size_t cuts[2] = {a, b};
            char *got = decode_pieces(s.data, s.len, cuts, 2);
            assert_string_equal(got, whole);
            free(got);
        }
    }
    /* Byte by byte. */
    size_t *cuts = calloc(s.len, sizeof *cuts);
    assert_non_null(cuts);
    for (size_t i = 0; i < s.len; i++)
        cuts[i] = i;
    char *got = decode_pieces(s.data, s.len, cuts, s.len);
    assert_string_equal(got, whole);
    free(got);
    /* Random chunk sizes from a fixed-seed LCG (reproducible). */
    uint32_t seed = 12345;
    for (int round = 0; round < 200; round++) {
        size_t n = 0, pos = 0;
        while (pos < s.len) {
            seed = seed * 1103515245u + 12345u;
            pos += 1 + (seed >> 16) % 40;
            if (pos > s.len) pos = s.len;
            cuts[n++] = pos;
        }
        got = decode_pieces(s.data, s.len, cuts, n);
        assert_string_equal(got, whole);
        free(got);
    }
    free(cuts);
    free(whole);
    buf_free(&s);
}

static void end_stream_error_becomes_error(void **state)
{
    (void)state;
    struct buf s = BUF_INIT;
    assert_int_equal(connect_envelope_append(&s, 0, recorded_msgs[0], strlen(recorded_msgs[0])), 0);
    const char *endp = "{\"metadata\":{\"x-trace\":[\"a\",\"b\"]},\"error\":{\"message\":\"process "
                       "with pid 9 not found\",\"code\":\"not_found\",\"details\":[]}}";
    assert_int_equal(connect_envelope_append(&s, CONNECT_FLAG_END_STREAM, endp, strlen(endp)), 0);
    for (size_t cut = 0; cut <= s.len; cut++) {
        char *got = decode_pieces(s.data, s.len, &cut, 1);
        assert_string_equal(got, "MSG:0:{\"event\":{\"start\":{\"pid\":412}}}|"
                                 "END:not_found:process with pid 9 not found|"
                                 "MD:{\"x-trace\":[\"a\",\"b\"]}|");
        free(got);
    }
    /* And as a struct error for callers. */
    struct connect_end end;
    struct error err;
    assert_int_equal(connect_end_parse(endp, strlen(endp), &end, &err), 0);
    assert_true(end.has_error);
    assert_int_equal(end.error.code, CONNECT_NOT_FOUND);
    assert_int_equal(connect_error_to_error(&end.error, &err), -1);
    assert_int_equal(err.kind, ERROR_NOT_FOUND);
    assert_int_equal(err.code, CONNECT_NOT_FOUND);
    assert_string_equal(err.msg, "not_found: process with pid 9 not found");
    connect_end_free(&end);
    /* Unknown code names mean "unknown"; hostile messages are sanitized. */
    const char *odd = "{\"error\":{\"code\":\"weird\",\"message\":\"a\\u001b[31mb\"}}";
    assert_int_equal(connect_end_parse(odd, strlen(odd), &end, &err), 0);
    assert_int_equal(end.error.code, CONNECT_UNKNOWN);
    connect_error_to_error(&end.error, &err);
    assert_null(strchr(err.msg, 0x1b));
    assert_int_equal(err.kind, ERROR_GENERIC);
    connect_end_free(&end);
    buf_free(&s);
}

static char *decode_all(const char *data, size_t len)
{
    return decode_pieces(data, len, NULL, 0);
}

static void malformed_streams_are_errors(void **state)
{
    (void)state;
    char *got;
    /* Truncated inside the prefix and inside the payload. */
    got = decode_all("\x00\x00\x00", 3);
    assert_non_null(strstr(got, "ERR:Connect stream ended inside a frame"));
    free(got);
    got = decode_all("\x00\x00\x00\x00\x05{}", 7);
    assert_non_null(strstr(got, "ERR:Connect stream ended inside a frame"));
    free(got);
    /* Complete message but no end-stream. */
    got = decode_all("\x00\x00\x00\x00\x02{}", 7);
    assert_string_equal(got, "MSG:0:{}|ERR:Connect stream ended without an end-stream frame");
    free(got);
    /* Compressed and unknown flags. */
    got = decode_all("\x01\x00\x00\x00\x02{}", 7);
    assert_non_null(strstr(got, "ERR:Connect frame is compressed"));
    free(got);
    got = decode_all("\x80\x00\x00\x00\x02{}", 7);
    assert_non_null(strstr(got, "ERR:Connect frame has unknown flags 0x80"));
    free(got);
    /* A JSON error body where frames were expected ('{' = 0x7b has unknown flag bits). */
    got = decode_all("{\"code\":502}", 12);
    assert_non_null(strstr(got, "ERR:Connect frame has unknown flags 0x7b"));
    free(got);
    /* Oversize: the length is checked from the prefix, before any payload arrives. */
    got = decode_all("\x00\xff\xff\xff\xff", 5);
    assert_non_null(strstr(got, "exceeds the limit"));
    free(got);
    struct connect_decoder d;
    struct error err;
    struct buf log = BUF_INIT;
    connect_decoder_init(&d, 4);
    assert_int_equal(connect_decoder_feed(&d,
                                          "\x00\x00\x00\x00\x04"
                                          "abcd",
                                          9, record_cb, &log, &err),
                     0);
    assert_true(connect_decoder_feed(&d, "\x00\x00\x00\x00\x05", 5, record_cb, &log, &err) < 0);
    assert_non_null(strstr(err.msg, "5 bytes exceeds the limit of 4"));
    /* Sticky failure. */
    assert_true(connect_decoder_feed(&d, "\x02\x00\x00\x00\x02{}", 7, record_cb, &log, &err) < 0);
    assert_true(connect_decoder_finish(&d, &err) < 0);
    connect_decoder_free(&d);
    assert_string_equal(buf_cstr(&log), "MSG:0:abcd|");
    buf_free(&log);
    /* Data after end-stream, end-stream that is not JSON / has a non-string code. */
    got = decode_all("\x02\x00\x00\x00\x02{}\x00", 8);
    assert_non_null(strstr(got, "ERR:Connect stream has data after the end-stream frame"));
    free(got);
    got = decode_all("\x02\x00\x00\x00\x02[]", 7);
    assert_non_null(strstr(got, "ERR:end-stream: payload is not a JSON object"));
    free(got);
    got = decode_all("\x02\x00\x00\x00\x14{\"error\":{\"code\":5}}", 25);
    assert_non_null(strstr(got, "ERR:end-stream.error.code: expected a string"));
    free(got);
    got = decode_all("\x02\x00\x00\x00\x14{\"metadata\":{\"a\":1}}", 25);
    assert_non_null(strstr(got, "ERR:end-stream.metadata: expected string arrays"));
    free(got);
    /* Zero-length message frames are legal. */
    got = decode_all("\x00\x00\x00\x00\x00\x02\x00\x00\x00\x02{}", 12);
    assert_string_equal(got, "MSG:0:|END:ok|");
    free(got);
}

static int stop_cb(const struct connect_frame *f, void *ud, struct error *err)
{
    (void)f;
    int *n = ud;
    if (++*n == 2) return error_set(err, ERROR_GENERIC, "consumer said stop");
    return 0;
}

static void callback_can_stop_decoding(void **state)
{
    (void)state;
    struct buf s = BUF_INIT;
    build_recorded(&s, "{}");
    struct connect_decoder d;
    struct error err;
    int n = 0;
    connect_decoder_init(&d, 0);
    assert_true(connect_decoder_feed(&d, s.data, s.len, stop_cb, &n, &err) < 0);
    assert_int_equal(n, 2);
    assert_string_equal(err.msg, "consumer said stop");
    connect_decoder_free(&d);
    buf_free(&s);
}

static void code_tables(void **state)
{
    (void)state;
    static const struct {
        enum connect_code code;
        const char *name;
        int http;
    } tab[] = {
        {CONNECT_CANCELED, "canceled", 499},
        {CONNECT_UNKNOWN, "unknown", 500},
        {CONNECT_INVALID_ARGUMENT, "invalid_argument", 400},
        {CONNECT_DEADLINE_EXCEEDED, "deadline_exceeded", 504},
        {CONNECT_NOT_FOUND, "not_found", 404},
        {CONNECT_ALREADY_EXISTS, "already_exists", 409},
        {CONNECT_PERMISSION_DENIED, "permission_denied", 403},
        {CONNECT_RESOURCE_EXHAUSTED, "resource_exhausted", 429},
        {CONNECT_FAILED_PRECONDITION, "failed_precondition", 400},
        {CONNECT_ABORTED, "aborted", 409},
        {CONNECT_OUT_OF_RANGE, "out_of_range", 400},
        {CONNECT_UNIMPLEMENTED, "unimplemented", 501},
        {CONNECT_INTERNAL, "internal", 500},
        {CONNECT_UNAVAILABLE, "unavailable", 503},
        {CONNECT_DATA_LOSS, "data_loss", 500},
        {CONNECT_UNAUTHENTICATED, "unauthenticated", 401},
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
        enum connect_code c;
        assert_string_equal(connect_code_name(tab[i].code), tab[i].name);
        assert_int_equal(connect_code_from_name(tab[i].name, &c), 0);
        assert_int_equal(c, tab[i].code);
        assert_int_equal(connect_code_http_status(tab[i].code), tab[i].http);
    }
    enum connect_code c;
    assert_int_equal(connect_code_from_name("ok", &c), -1);
    assert_int_equal(connect_code_from_name("NOT_FOUND", &c), -1);
    assert_null(connect_code_name((enum connect_code)17));
    assert_int_equal(connect_code_from_http_status(400), CONNECT_INTERNAL);
    assert_int_equal(connect_code_from_http_status(401), CONNECT_UNAUTHENTICATED);
    assert_int_equal(connect_code_from_http_status(403), CONNECT_PERMISSION_DENIED);
    assert_int_equal(connect_code_from_http_status(404), CONNECT_UNIMPLEMENTED);
    assert_int_equal(connect_code_from_http_status(429), CONNECT_UNAVAILABLE);
    assert_int_equal(connect_code_from_http_status(502), CONNECT_UNAVAILABLE);
    assert_int_equal(connect_code_from_http_status(503), CONNECT_UNAVAILABLE);
    assert_int_equal(connect_code_from_http_status(504), CONNECT_UNAVAILABLE);
    assert_int_equal(connect_code_from_http_status(418), CONNECT_UNKNOWN);
    assert_int_equal(connect_code_error_kind(CONNECT_NOT_FOUND), ERROR_NOT_FOUND);
    assert_int_equal(connect_code_error_kind(CONNECT_UNAUTHENTICATED), ERROR_AUTH);
    assert_int_equal(connect_code_error_kind(CONNECT_ALREADY_EXISTS), ERROR_CONFLICT);
}

static void unary_error_bodies(void **state)
{
    (void)state;
    struct connect_error ce;
    const char *b1 = "{\"code\":\"not_found\",\"message\":\"file not found: /x\"}";
    connect_error_from_unary(404, b1, strlen(b1), &ce);
    assert_int_equal(ce.code, CONNECT_NOT_FOUND);
    assert_string_equal(ce.message, "file not found: /x");
    connect_error_free(&ce);
    /* The body code wins over the status. */
    const char *b2 = "{\"code\":\"already_exists\"}";
    connect_error_from_unary(500, b2, strlen(b2), &ce);
    assert_int_equal(ce.code, CONNECT_ALREADY_EXISTS);
    assert_string_equal(ce.message, "HTTP 500");
    connect_error_free(&ce);
    /* Proxy body (numeric code) and envd's token check. */
    const char *b3 =
        "{\"sandboxId\":\"i1\",\"message\":\"The sandbox was not found\",\"code\":502}";
    connect_error_from_unary(502, b3, strlen(b3), &ce);
    assert_int_equal(ce.code, CONNECT_UNAVAILABLE);
    assert_string_equal(ce.message, "The sandbox was not found");
    connect_error_free(&ce);
    const char *b4 = "{\"code\":401,\"message\":\"unauthorized access\"}";
    connect_error_from_unary(401, b4, strlen(b4), &ce);
    assert_int_equal(ce.code, CONNECT_UNAUTHENTICATED);
    connect_error_free(&ce);
    connect_error_from_unary(400, "missing header", 14, &ce);
    assert_int_equal(ce.code, CONNECT_INTERNAL);
    assert_string_equal(ce.message, "HTTP 400");
    connect_error_free(&ce);
    connect_error_from_unary(404, NULL, 0, &ce);
    assert_int_equal(ce.code, CONNECT_UNIMPLEMENTED);
    connect_error_free(&ce);
    /* Server side body. */
    struct buf b = BUF_INIT;
    assert_int_equal(
        connect_error_json_append(&b, CONNECT_INVALID_ARGUMENT, "cwd '/x' does not exist"), 0);
    assert_string_equal(buf_cstr(&b),
                        "{\"code\":\"invalid_argument\",\"message\":\"cwd '/x' does not exist\"}");
    buf_reset(&b);
    assert_int_equal(connect_error_json_append(&b, CONNECT_INTERNAL, NULL), 0);
    assert_string_equal(buf_cstr(&b), "{\"code\":\"internal\"}");
    buf_free(&b);
}

static const struct pjson_enum signals[] = {
    {"SIGNAL_UNSPECIFIED", 0}, {"SIGNAL_SIGTERM", 15}, {"SIGNAL_SIGKILL", 9}, {NULL, 0}};

static void proto3_json_rules(void **state)
{
    (void)state;
    cJSON *o = cJSON_CreateObject();
    struct buf b = BUF_INIT;
    assert_int_equal(pjson_add_int64(o, "size", 0, false), 0);
    assert_int_equal(pjson_add_int64(o, "size", 1024, false), 0);
    assert_int_equal(pjson_add_uint32(o, "depth", 0, false), 0);
    assert_int_equal(pjson_add_uint32(o, "pid", 412, false), 0);
    assert_int_equal(pjson_add_bool(o, "exited", false, false), 0);
    assert_int_equal(pjson_add_bool(o, "stdin", false, true), 0);
    assert_int_equal(pjson_add_string(o, "cwd", "", false), 0);
    assert_int_equal(pjson_add_string(o, "tag", "", true), 0);
    assert_int_equal(pjson_add_bytes(o, "pty", "echo hi\n", 8, false), 0);
    assert_int_equal(pjson_add_bytes(o, "stdout", "", 0, false), 0);
    assert_int_equal(pjson_add_enum(o, "signal", signals, 9, false), 0);
    assert_int_equal(pjson_add_enum(o, "other", signals, 0, false), 0);
    assert_int_equal(pjson_add_int32(o, "exitCode", -1, false), 0);
    assert_int_equal(pjson_print(&b, o), 0);
    assert_string_equal(buf_cstr(&b), "{\"size\":\"1024\",\"pid\":412,\"stdin\":false,\"tag\":\"\","
                                      "\"pty\":\"ZWNobyBoaQo=\",\"signal\":\"SIGNAL_SIGKILL\","
                                      "\"exitCode\":-1}");
    cJSON_Delete(o);
    buf_free(&b);

    const char *in = "{\"size\":\"9007199254740993\",\"n\":7,\"s\":\"7\",\"neg\":-3,"
                     "\"big\":4294967296,\"frac\":1.5,\"pty\":\"ZWNobyBoaQo\",\"url\":\"-_8\","
                     "\"bad\":\"@@\",\"sig\":\"SIGNAL_SIGTERM\",\"signum\":9,\"sigbad\":\"SIGHUP\","
                     "\"str\":5,\"flag\":true,\"obj\":[],\"nul\":null}";
    o = cJSON_Parse(in);
    assert_non_null(o);
    struct error err;
    int64_t i64;
    uint32_t u32;
    int32_t i32;
    int e;
    bool flag;
    const char *s;
    const cJSON *sub;
    assert_int_equal(pjson_get_int64(o, "entry", "size", &i64, &err), 0);
    assert_true(i64 == 9007199254740993LL);
    assert_int_equal(pjson_get_uint32(o, "p", "n", &u32, &err), 0);
    assert_int_equal(u32, 7);
    assert_int_equal(pjson_get_uint32(o, "p", "s", &u32, &err), 0);
    assert_int_equal(u32, 7);
    assert_int_equal(pjson_get_uint32(o, "p", "missing", &u32, &err), 0);
    assert_int_equal(u32, 0);
    assert_int_equal(pjson_get_uint32(o, "p", "nul", &u32, &err), 0);
    assert_int_equal(pjson_get_uint32(o, "p", "neg", &u32, &err), -1);
    assert_string_equal(err.msg, "p.neg: integer out of range");
    assert_int_equal(pjson_get_uint32(o, "p", "big", &u32, &err), -1);
    assert_int_equal(pjson_get_int32(o, "p", "neg", &i32, &err), 0);
    assert_int_equal(i32, -3);
    assert_int_equal(pjson_get_int32(o, "p", "frac", &i32, &err), -1);
    assert_string_equal(err.msg, "p.frac: expected an integer");
    assert_int_equal(pjson_get_int64(o, "p", "flag", &i64, &err), -1);
    struct buf bytes = BUF_INIT;
    assert_int_equal(pjson_get_bytes(o, "p", "pty", &bytes, &err), 0);
    assert_string_equal(buf_cstr(&bytes), "echo hi\n");
    buf_reset(&bytes);
    assert_int_equal(pjson_get_bytes(o, "p", "url", &bytes, &err), 0);
    assert_int_equal(bytes.len, 2);
    assert_memory_equal(bytes.data, "\xfb\xff", 2);
    assert_int_equal(pjson_get_bytes(o, "p", "bad", &bytes, &err), -1);
    assert_string_equal(err.msg, "p.bad: invalid base64");
    assert_int_equal(pjson_get_bytes(o, "p", "n", &bytes, &err), -1);
    buf_free(&bytes);
    assert_int_equal(pjson_get_enum(o, "p", "sig", signals, &e, &err), 0);
    assert_int_equal(e, 15);
    assert_int_equal(pjson_get_enum(o, "p", "signum", signals, &e, &err), 0);
    assert_int_equal(e, 9);
    assert_int_equal(pjson_get_enum(o, "p", "sigbad", signals, &e, &err), -1);
    assert_int_equal(pjson_get_string(o, "p", "str", &s, &err), -1);
    assert_string_equal(err.msg, "p.str: expected a string");
    assert_int_equal(pjson_get_string(o, "p", "missing", &s, &err), 0);
    assert_null(s);
    assert_int_equal(pjson_get_bool(o, "p", "flag", &flag, &err), 0);
    assert_true(flag);
    assert_int_equal(pjson_get_bool(o, "p", "n", &flag, &err), -1);
    assert_int_equal(pjson_get_object(o, "p", "obj", &sub, &err), -1);
    assert_string_equal(err.msg, "p.obj: expected an object");
    cJSON_Delete(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(envelope_bytes_match_spec),
        cmocka_unit_test(every_split_gives_identical_events),
        cmocka_unit_test(end_stream_error_becomes_error),
        cmocka_unit_test(malformed_streams_are_errors),
        cmocka_unit_test(callback_can_stop_decoding),
        cmocka_unit_test(code_tables),
        cmocka_unit_test(unary_error_bodies),
        cmocka_unit_test(proto3_json_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
