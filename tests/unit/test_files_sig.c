/* test_files_sig.c - envd's signed /files URLs (src/proto/files_sig.c), the one implementation
 * boxtop signs with and boxtopd verifies with, on shared vectors: each is computed (the
 * client's side) and verified (the daemon's side). The first is the JS SDK's output
 * (protocol/envd-filesystem.md §6); the others were computed independently with Python's
 * hashlib + base64 from the formula in files_sig.h. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boxtop/files_sig.h"

static const struct vector {
    const char *path, *op, *user, *token;
    int64_t exp;
    const char *sig;
} vectors[] = {
    {"/home/user/x.txt", "read", "", "tok123", 1795372521,
     "v1_H7k5b2G1RsER7Bvo40uxtwPdv+16IUT7jYl9uhVzEbg"},
    /* no expiry: no ":exp" part */
    {"/home/user/x.txt", "read", "", "tok123", FILES_SIG_NO_EXPIRY,
     "v1_Rb7zm5r+4GlfZDdRF1hHG2SpHuolxyovo25Fgc1ZJ0Y"},
    /* an expiry of 0 is a time like any other (envd signs a present signature_expiration) */
    {"/home/user/x.txt", "read", "", "tok123", 0, "v1_jDKiqlHzWoxkYQB/0WGuPDZL1noXzS8JLu2/9IWRy0s"},
    {"a b&c", "write", "root", "tok123", FILES_SIG_NO_EXPIRY,
     "v1_KboFmyKv9TZDvm19zFWNKyp4WDI1oqJx0M3iR7swkEI"},
    {"/home/user/d\nir/\xc3\xa4.txt", "write", "user", "envd-token-0123456789", 1795372521,
     "v1_4AeXpDyjH1F2mnEfS6cAlJR6DUdrwmna4jLEkYXZGsI"},
};

static void shared_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        const struct vector *v = &vectors[i];
        char s[FILES_SIG_MAX];
        assert_int_equal(files_sig_compute(v->path, v->op, v->user, v->token, v->exp, s), 0);
        assert_string_equal(s, v->sig);
        assert_true(files_sig_verify(v->path, v->op, v->user, v->token, v->exp, v->sig));
    }
    /* any exp < 0 means no expiry; a NULL user is the empty one */
    char a[FILES_SIG_MAX], b[FILES_SIG_MAX];
    assert_int_equal(files_sig_compute("/home/user/x.txt", "read", NULL, "tok123", -7, a), 0);
    assert_string_equal(a, vectors[1].sig);
    assert_int_equal(files_sig_compute("/x", "read", "", NULL, 0, b), -1);
}

static void every_input_matters(void **state)
{
    (void)state;
    char s[FILES_SIG_MAX];
    assert_int_equal(files_sig_compute("/a", "write", "user", "tok", -1, s), 0);
    assert_int_equal(strncmp(s, "v1_", 3), 0);
    assert_int_equal(strlen(s), 3 + 43); /* 32 bytes → 43 unpadded base64 chars */
    assert_null(strchr(s, '='));
    assert_true(files_sig_verify("/a", "write", "user", "tok", -1, s));
    assert_false(files_sig_verify("/b", "write", "user", "tok", -1, s));
    assert_false(files_sig_verify("/a", "read", "user", "tok", -1, s));
    assert_false(files_sig_verify("/a", "write", "root", "tok", -1, s));
    assert_false(files_sig_verify("/a", "write", "", "tok", -1, s));
    assert_false(files_sig_verify("/a", "write", "user", "tok2", -1, s));
    assert_false(files_sig_verify("/a", "write", "user", "tok", 0, s));
    assert_false(files_sig_verify("/a", "write", "user", "tok", -1, NULL));
    assert_false(files_sig_verify("/a", "write", "user", "tok", -1, ""));
    char tampered[FILES_SIG_MAX];
    memcpy(tampered, s, sizeof tampered);
    tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
    assert_false(files_sig_verify("/a", "write", "user", "tok", -1, tampered));
    /* a space where the URL's '+' was not percent-encoded fails too */
    char *plus = strchr(s, '+');
    if (plus) {
        *plus = ' ';
        assert_false(files_sig_verify("/a", "write", "user", "tok", -1, s));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shared_vectors),
        cmocka_unit_test(every_input_matters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
