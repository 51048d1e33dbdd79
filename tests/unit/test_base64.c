/* test_base64.c - encode/decode round trips, both alphabets, padding rules, junk rejected. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boxtop/base64.h"

static void encode_vectors(void **state)
{
    (void)state;
    /* RFC 4648 section 10 */
    static const char *const in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const want[] = {"",         "Zg==",     "Zm8=",    "Zm9v",
                                       "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        struct buf b = BUF_INIT;
        assert_int_equal(base64_encode(&b, in[i], strlen(in[i])), 0);
        assert_string_equal(buf_cstr(&b), want[i]);
        assert_int_equal(b.len, base64_encoded_len(strlen(in[i])));
        buf_free(&b);
    }
}

static void round_trip_all_lengths(void **state)
{
    (void)state;
    unsigned char data[300];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)(i * 7 + 3);
    for (size_t n = 0; n <= sizeof data; n += 1 + n / 8) {
        struct buf enc = BUF_INIT, dec = BUF_INIT;
        assert_int_equal(base64_encode(&enc, data, n), 0);
        assert_int_equal(base64_decode(&dec, enc.data ? enc.data : "", enc.len), 0);
        assert_int_equal(dec.len, n);
        if (n) assert_memory_equal(dec.data, data, n);
        /* The same without padding. */
        size_t unpadded = enc.len;
        while (unpadded && enc.data[unpadded - 1] == '=')
            unpadded--;
        buf_reset(&dec);
        assert_int_equal(base64_decode(&dec, enc.data ? enc.data : "", unpadded), 0);
        assert_int_equal(dec.len, n);
        if (n) assert_memory_equal(dec.data, data, n);
        buf_free(&enc);
        buf_free(&dec);
    }
}

static void url_alphabet(void **state)
{
    (void)state;
    const unsigned char bytes[] = {0xfb, 0xff, 0xbf};
    struct buf b = BUF_INIT;
    assert_int_equal(base64_encode(&b, bytes, 3), 0);
    assert_string_equal(buf_cstr(&b), "+/+/");
    buf_reset(&b);
    assert_int_equal(base64_decode(&b, "-_-_", 4), 0);
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.data, bytes, 3);
    buf_reset(&b);
    assert_int_equal(base64_decode(&b, "-_8", 3), 0); /* url, unpadded */
    assert_int_equal(b.len, 2);
    assert_memory_equal(b.data, bytes, 2);
    buf_free(&b);
}

static void rejects_junk(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "Zm9v!", "Zm!v", "Zm9v YmFy", "Zm9v\n", "Z",    "Zm9vY", "Zg=",
        "Zg===", "=Zg=", "Zg==Zg==",  "Z===",   "====", "+/-_",  "Zm\0v",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct buf b = BUF_INIT;
        buf_append_str(&b, "keep");
        size_t len = i == sizeof bad / sizeof bad[0] - 1 ? 4 : strlen(bad[i]);
        assert_int_equal(base64_decode(&b, bad[i], len), -EINVAL);
        assert_string_equal(buf_cstr(&b), "keep"); /* nothing appended on error */
        buf_free(&b);
    }
}

static void appends(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    buf_append_str(&b, "x=");
    assert_int_equal(base64_decode(&b, "aGk=", 4), 0);
    assert_string_equal(buf_cstr(&b), "x=hi");
    assert_int_equal(base64_encode(&b, "!", 1), 0);
    assert_string_equal(buf_cstr(&b), "x=hiIQ==");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(encode_vectors), cmocka_unit_test(round_trip_all_lengths),
        cmocka_unit_test(url_alphabet),   cmocka_unit_test(rejects_junk),
        cmocka_unit_test(appends),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
