/* test_envd_sig.c - signed /files URLs match the SDK's signatures. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "sig.h"

static void known_vector(void **state)
{
    (void)state;
    char s[ENVD_SIG_MAX];
    /* verified against the JS SDK's output (protocol/envd-filesystem.md §6) */
    assert_int_equal(envd_sig_compute("/home/user/x.txt", "read", "", "tok123", 1795372521, s), 0);
    assert_string_equal(s, "v1_H7k5b2G1RsER7Bvo40uxtwPdv+16IUT7jYl9uhVzEbg");
    assert_true(envd_sig_verify("/home/user/x.txt", "read", "", "tok123", 1795372521,
                                "v1_H7k5b2G1RsER7Bvo40uxtwPdv+16IUT7jYl9uhVzEbg"));
}

static void every_input_matters(void **state)
{
    (void)state;
    char s[ENVD_SIG_MAX];
    assert_int_equal(envd_sig_compute("/a", "write", "user", "tok", -1, s), 0);
    assert_int_equal(strncmp(s, "v1_", 3), 0);
    assert_int_equal(strlen(s), 3 + 43); /* 32 bytes → 43 unpadded base64 chars */
    assert_null(strchr(s, '='));
    assert_true(envd_sig_verify("/a", "write", "user", "tok", -1, s));
    assert_false(envd_sig_verify("/b", "write", "user", "tok", -1, s));
    assert_false(envd_sig_verify("/a", "read", "user", "tok", -1, s));
    assert_false(envd_sig_verify("/a", "write", "root", "tok", -1, s));
    assert_false(envd_sig_verify("/a", "write", "", "tok", -1, s));
    assert_false(envd_sig_verify("/a", "write", "user", "tok2", -1, s));
    assert_false(envd_sig_verify("/a", "write", "user", "tok", 0, s));
    assert_false(envd_sig_verify("/a", "write", "user", "tok", -1, NULL));
    assert_false(envd_sig_verify("/a", "write", "user", "tok", -1, ""));
    char tampered[ENVD_SIG_MAX];
    memcpy(tampered, s, sizeof tampered);
    tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
    assert_false(envd_sig_verify("/a", "write", "user", "tok", -1, tampered));
    /* a space where the URL's '+' was not percent-encoded fails too */
    char *plus = strchr(s, '+');
    if (plus) {
        *plus = ' ';
        assert_false(envd_sig_verify("/a", "write", "user", "tok", -1, s));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_vector),
        cmocka_unit_test(every_input_matters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
