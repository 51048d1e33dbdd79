/* test_files.c - /files request building: URLs (signed ones carry files_sig.h's signature,
 * whose vectors are in test_files_sig.c), headers, the wire request. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "boxtop/files.h"
#include "boxtop/files_sig.h"

static void urls_and_headers(void **state)
{
    (void)state;
    struct envd_target t;
    struct error err;
    struct buf url = BUF_INIT;
    assert_int_equal(envd_target_init(&t, "ief70a8ee46668867996", "http://127.0.0.1:4999", NULL,
                                      false, "tok123", NULL, &err),
                     0);
    assert_int_equal(files_url(&t, "/tmp/t/raw.bin", false, NULL, FILES_SIG_NO_EXPIRY, &url, &err),
                     0);
    assert_string_equal(buf_cstr(&url), "http://127.0.0.1:4999/files?path=%2Ftmp%2Ft%2Fraw.bin");
    buf_reset(&url);
    assert_int_equal(files_url(&t, "/home/user/x.txt", true, "read", 1795372521, &url, &err), 0);
    assert_string_equal(buf_cstr(&url),
                        "http://127.0.0.1:4999/files?path=%2Fhome%2Fuser%2Fx.txt&signature=v1_"
                        "H7k5b2G1RsER7Bvo40uxtwPdv%2B16IUT7jYl9uhVzEbg&signature_expiration="
                        "1795372521");
    buf_reset(&url);
    assert_int_equal(files_url(&t, "", false, NULL, FILES_SIG_NO_EXPIRY, &url, &err), -1);

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
    assert_int_equal(files_url(&t, "a b&c", true, "write", FILES_SIG_NO_EXPIRY, &url, &err), 0);
    char sig[FILES_SIG_MAX];
    files_sig_compute("a b&c", "write", "root", "tok123", FILES_SIG_NO_EXPIRY, sig);
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
        cmocka_unit_test(urls_and_headers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
