/* test_files.c - /files request building and signed-URL signatures (connect-rpc/envd docs
 * worked example, verified against the SDK). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "boxtop/files.h"

static void signature_worked_example(void **state)
{
    (void)state;
    char sig[64];
    assert_int_equal(
        files_signature("/home/user/x.txt", "read", NULL, "tok123", 1795372521, sig, sizeof sig),
        0);
    assert_string_equal(sig, "v1_H7k5b2G1RsER7Bvo40uxtwPdv+16IUT7jYl9uhVzEbg");
    /* Every input changes the signature. */
    char other[64];
    files_signature("/home/user/x.txt", "write", NULL, "tok123", 1795372521, other, sizeof other);
    assert_string_not_equal(sig, other);
    files_signature("/home/user/x.txt", "read", "user", "tok123", 1795372521, other, sizeof other);
    assert_string_not_equal(sig, other);
    files_signature("/home/user/x.txt", "read", NULL, "tok123", 0, other, sizeof other);
    assert_string_not_equal(sig, other);
    assert_int_equal(strncmp(other, "v1_", 3), 0);
    assert_null(strchr(other, '='));
    assert_int_equal(strlen(other), 3 + 43);
    assert_int_equal(files_signature("/x", "read", NULL, "t", 0, other, 10), -1);
}

static void urls_and_headers(void **state)
{
    (void)state;
    struct envd_target t;
    struct error err;
    struct buf url = BUF_INIT;
    assert_int_equal(envd_target_init(&t, "ief70a8ee46668867996", "http://127.0.0.1:4999", NULL,
                                      false, "tok123", NULL, &err),
                     0);
    assert_int_equal(files_url(&t, "/tmp/t/raw.bin", false, NULL, 0, &url, &err), 0);
    assert_string_equal(buf_cstr(&url), "http://127.0.0.1:4999/files?path=%2Ftmp%2Ft%2Fraw.bin");
    buf_reset(&url);
    assert_int_equal(files_url(&t, "/home/user/x.txt", true, "read", 1795372521, &url, &err), 0);
    assert_string_equal(buf_cstr(&url),
                        "http://127.0.0.1:4999/files?path=%2Fhome%2Fuser%2Fx.txt&signature=v1_"
                        "H7k5b2G1RsER7Bvo40uxtwPdv%2B16IUT7jYl9uhVzEbg&signature_expiration="
                        "1795372521");
    buf_reset(&url);
    assert_int_equal(files_url(&t, "", false, NULL, 0, &url, &err), -1);

    struct envd_wire w;
    assert_int_equal(files_wire_build(&t, "/tmp/t/raw.bin", true, &w, &err), 0);
    assert_string_equal(w.url, "http://127.0.0.1:4999/files?path=%2Ftmp%2Ft%2Fraw.bin");
    assert_string_equal(envd_wire_header(&w, "content-type"), "application/octet-stream");
    assert_string_equal(envd_wire_header(&w, "e2b-sandbox-id"), "ief70a8ee46668867996");
    assert_string_equal(envd_wire_header(&w, "e2b-sandbox-port"), "49983");
    assert_string_equal(envd_wire_header(&w, "x-access-token"), "tok123");
    assert_null(envd_wire_header(&w, "connect-protocol-version"));
    assert_int_equal(w.body.len, 0);
    envd_wire_free(&w);
    assert_int_equal(files_wire_build(&t, "/tmp/t/hello.txt", false, &w, &err), 0);
    assert_null(envd_wire_header(&w, "content-type"));
    envd_wire_free(&w);
    envd_target_free(&t);

    /* With a user: username comes first, and is part of the signature. */
    assert_int_equal(envd_target_init(&t, "abc", "http://h:1", NULL, false, "tok123", "root", &err),
                     0);
    assert_int_equal(files_url(&t, "a b&c", true, "write", 0, &url, &err), 0);
    char sig[64];
    files_signature("a b&c", "write", "root", "tok123", 0, sig, sizeof sig);
    struct buf want = BUF_INIT;
    buf_printf(&want, "http://h:1/files?username=root&path=a%%20b%%26c&signature=%s", sig);
    /* the signature may contain + and /, which must be escaped */
    struct buf esc = BUF_INIT;
    for (const char *p = buf_cstr(&want); *p; p++) {
        if (*p == '+')
            buf_append_str(&esc, "%2B");
        else if (*p == '/' && p > buf_cstr(&want) + 30)
            buf_append_str(&esc, "%2F");
        else
            buf_append_byte(&esc, (unsigned char)*p);
    }
    assert_string_equal(buf_cstr(&url), buf_cstr(&esc));
    buf_free(&want);
    buf_free(&esc);
    buf_free(&url);
    envd_target_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(signature_worked_example),
        cmocka_unit_test(urls_and_headers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
