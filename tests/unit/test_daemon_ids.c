/* test_daemon_ids.c - sandbox id validation (hostile ids never reach the filesystem) and
 * random ids/tokens. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "auth.h"
#include "ids.h"

static void parse_ids(void **state)
{
    (void)state;
    char out[IDS_SANDBOX_MAX + 1];
    assert_int_equal(ids_sandbox_parse("iabc123", out, sizeof out), 0);
    assert_string_equal(out, "iabc123");
    assert_int_equal(ids_sandbox_parse("iabc123-6532622b", out, sizeof out), 0);
    assert_string_equal(out, "iabc123");
    static const char *bad[] = {"",    "../etc", "a/b",  "ABC", "a-b-c", "-a", "a-",
                                "a b", "a\nb",   "a%2e", "a.b", "a_b",   "..", "a-B"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (ids_sandbox_parse(bad[i], out, sizeof out) == 0) fail_msg("accepted '%s'", bad[i]);
    char longid[IDS_SANDBOX_MAX + 2];
    memset(longid, 'a', sizeof longid - 1);
    longid[sizeof longid - 1] = '\0';
    assert_int_equal(ids_sandbox_parse(longid, out, sizeof out), -1);
    assert_false(ids_sandbox_valid(longid));
    assert_true(ids_sandbox_valid("i0"));
    assert_false(ids_sandbox_valid("i0-x"));
    assert_false(ids_sandbox_valid(NULL));
    assert_int_equal(ids_sandbox_parse("abc", out, 4), -1); /* buffer too small */
}

static void random_ids(void **state)
{
    (void)state;
    char a[IDS_SANDBOX_LEN + 1], b[IDS_SANDBOX_LEN + 1], hex[65], uuid[37];
    assert_int_equal(ids_new_sandbox_id(a, sizeof a), 0);
    assert_int_equal(ids_new_sandbox_id(b, sizeof b), 0);
    assert_int_equal(strlen(a), IDS_SANDBOX_LEN);
    assert_true(ids_sandbox_valid(a));
    assert_int_equal(a[0], 'i');
    assert_string_not_equal(a, b);
    assert_int_equal(ids_random_hex(hex, 32), 0);
    assert_int_equal(strlen(hex), 64);
    assert_int_equal(strspn(hex, "0123456789abcdef"), 64);
    assert_int_equal(ids_uuid4(uuid, sizeof uuid), 0);
    assert_int_equal(strlen(uuid), 36);
    assert_int_equal(uuid[14], '4');
    assert_int_equal(uuid[8], '-');
}

static void api_keys(void **state)
{
    (void)state;
    assert_true(auth_key_wellformed("e2b_0123456789abcdef0123456789abcdef01234567"));
    assert_false(auth_key_wellformed("e2b_0123456789ABCDEF0123456789abcdef01234567"));
    assert_false(auth_key_wellformed("e2b_0123"));
    assert_false(auth_key_wellformed("sk_0123456789abcdef0123456789abcdef01234567"));
    assert_true(auth_key_matches("e2b_ab", "e2b_ab"));
    assert_false(auth_key_matches("e2b_ab", "e2b_ac"));
    assert_false(auth_key_matches("e2b_ab", "e2b_abc"));
    assert_false(auth_key_matches("e2b_ab", NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_ids),
        cmocka_unit_test(random_ids),
        cmocka_unit_test(api_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
