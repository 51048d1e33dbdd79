/* test_daemon_chunked.c - the strict chunked decoder, fed at every split point. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "boxtop/buf.h"
#include "chunked.h"

static int collect(void *ud, const char *data, size_t len)
{
    return buf_append(ud, data, len);
}

/* Decode in in pieces cut at a and b (a <= b); returns 0 done, 1 incomplete, -1 error. */
static int decode3(const char *in, size_t len, size_t a, size_t b, struct buf *out,
                   size_t *consumed)
{
    struct chunked c;
    size_t cuts[4] = {0, a, b, len}, total = 0;
    chunked_init(&c);
    for (int i = 0; i < 3; i++) {
        size_t used = 0;
        int rc = chunked_feed(&c, in + cuts[i], cuts[i + 1] - cuts[i], &used, collect, out);
        total += used;
        if (rc < 0) return -1;
        if (chunked_done(&c)) {
            *consumed = total;
            return 0;
        }
    }
    *consumed = total;
    return 1;
}

static void every_split_valid(void **state)
{
    (void)state;
    static const char in[] = "5\r\nhello\r\n1;ext=1\r\n \r\nA\r\n0123456789\r\n0\r\nX-T: y\r\n\r\n";
    size_t len = sizeof in - 1;
    for (size_t a = 0; a <= len; a++) {
        for (size_t b = a; b <= len; b++) {
            struct buf out = BUF_INIT;
            size_t used = 0;
            assert_int_equal(decode3(in, len, a, b, &out, &used), 0);
            assert_int_equal(used, len);
            assert_int_equal(out.len, 16);
            assert_memory_equal(out.data, "hello 0123456789", 16);
            buf_free(&out);
        }
    }
}

static void stops_at_end_leaving_next_request(void **state)
{
    (void)state;
    static const char in[] = "3\r\nabc\r\n0\r\n\r\nGET / HTTP/1.1\r\n";
    struct chunked c;
    struct buf out = BUF_INIT;
    size_t used = 0;
    chunked_init(&c);
    assert_int_equal(chunked_feed(&c, in, sizeof in - 1, &used, collect, &out), 0);
    assert_true(chunked_done(&c));
    assert_int_equal(used, strlen("3\r\nabc\r\n0\r\n\r\n"));
    assert_int_equal(out.len, 3);
    buf_free(&out);
}

static void rejects_malformed(void **state)
{
    (void)state;
    static const char *bad[] = {
        "\r\n",                  /* no size */
        "g\r\n",                 /* not hex */
        "5\nhello\r\n0\r\n\r\n", /* bare LF */
        "5\r\nhelloX\r\n",       /* data longer than size */
        "5 \r\nhello\r\n",       /* space after size */
        " 5\r\nhello\r\n",       /* space before */
        "1000000000000000\r\n",  /* 16 digits */
        "-1\r\n",
        "0\r\n\n",         /* bare LF at end */
        "0\r\nX: y\n\r\n", /* bare LF in trailer */
        "2\r\nab\r\r",     /* bad CRLF after data */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        for (size_t a = 0; a <= strlen(bad[i]); a++) {
            struct buf out = BUF_INIT;
            size_t used;
            int rc = decode3(bad[i], strlen(bad[i]), a, a, &out, &used);
            if (rc != -1) fail_msg("case %zu split %zu: expected an error, got %d", i, a, rc);
            buf_free(&out);
        }
    }
}

static void big_chunk_sizes(void **state)
{
    (void)state;
    struct chunked c;
    size_t used;
    chunked_init(&c);
    /* 15 hex digits is accepted as a size (then the data simply is not there yet) */
    assert_int_equal(chunked_feed(&c, "fffffffffffffff\r\n", 17, &used, NULL, NULL), 0);
    assert_int_equal(c.state, CHUNKED_DATA);
    /* error state is sticky */
    chunked_init(&c);
    assert_int_equal(chunked_feed(&c, "x", 1, &used, NULL, NULL), -1);
    assert_int_equal(chunked_feed(&c, "0\r\n\r\n", 5, &used, NULL, NULL), -1);
    assert_non_null(c.error);
}

static int refuse(void *ud, const char *data, size_t len)
{
    (void)ud;
    (void)data;
    (void)len;
    return 7;
}

static void receiver_can_abort(void **state)
{
    (void)state;
    struct chunked c;
    size_t used;
    chunked_init(&c);
    assert_int_equal(chunked_feed(&c, "2\r\nab\r\n0\r\n\r\n", 12, &used, refuse, NULL), 7);
    assert_int_equal(c.state, CHUNKED_ERROR);
}

static void long_extension_and_trailers_bounded(void **state)
{
    (void)state;
    struct chunked c;
    size_t used;
    struct buf in = BUF_INIT;
    buf_append_str(&in, "1;");
    for (int i = 0; i < 5000; i++)
        buf_append_byte(&in, 'x');
    chunked_init(&c);
    assert_int_equal(chunked_feed(&c, in.data, in.len, &used, NULL, NULL), -1);
    buf_reset(&in);
    buf_append_str(&in, "0\r\n");
    for (int i = 0; i < 2000; i++)
        buf_append_str(&in, "X-Trailer: 0123456789\r\n");
    chunked_init(&c);
    assert_int_equal(chunked_feed(&c, in.data, in.len, &used, NULL, NULL), -1);
    buf_free(&in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_split_valid),  cmocka_unit_test(stops_at_end_leaving_next_request),
        cmocka_unit_test(rejects_malformed),  cmocka_unit_test(big_chunk_sizes),
        cmocka_unit_test(receiver_can_abort), cmocka_unit_test(long_extension_and_trailers_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
