/* test_cp_args.c - `boxtop cp` argument parsing and the safety check on relative paths
 * received from a sandbox. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../src/e2b/cp_args.h"

static void parse_table(void **state)
{
    (void)state;
    static const struct {
        const char *arg;
        int rc;
        bool remote;
        const char *id, *path;
    } cases[] = {
        {"ief70a8ee46668867996:/home/user/x", 0, true, "ief70a8ee46668867996", "/home/user/x"},
        {"abc:rel/path", 0, true, "abc", "rel/path"},
        {"abc:a:b", 0, true, "abc", "a:b"},
        {"./abc:def", 0, false, NULL, "./abc:def"},
        {"/tmp/x", 0, false, NULL, "/tmp/x"},
        {"ABC:/x", 0, false, NULL, "ABC:/x"}, /* not an id: uppercase */
        {"a-b:/x", 0, false, NULL, "a-b:/x"},
        {":/x", 0, false, NULL, ":/x"},
        {"-", 0, false, NULL, "-"},
        {"abc:", -1, false, NULL, NULL},
        {"", -1, false, NULL, NULL},
        {"abc:/x\n", -1, false, NULL, NULL},
        {"/tmp/\x1b[31m", -1, false, NULL, NULL},
        {"abc:/a\x7f", -1, false, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cp_arg a;
        struct error err;
        int rc = cp_arg_parse(cases[i].arg, &a, &err);
        assert_int_equal(rc, cases[i].rc);
        if (rc < 0) {
            assert_int_equal(err.kind, ERROR_USAGE);
            continue;
        }
        assert_int_equal(a.remote, cases[i].remote);
        if (cases[i].id) assert_string_equal(a.id, cases[i].id);
        assert_string_equal(a.path, cases[i].path);
    }
    struct cp_arg a;
    struct error err;
    assert_int_equal(cp_arg_parse(NULL, &a, &err), -1);
    /* Overlong id and path. */
    char big[CP_ID_MAX + CP_PATH_MAX + 10];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    big[CP_ID_MAX + 1] = ':';
    assert_int_equal(cp_arg_parse(big, &a, &err), -1);
    big[CP_ID_MAX + 1] = 'a';
    big[5] = ':';
    assert_int_equal(cp_arg_parse(big, &a, &err), -1);
    assert_string_equal(err.msg, "path too long");
    big[CP_PATH_MAX + 6] = '\0';
    assert_int_equal(cp_arg_parse(big, &a, &err), 0);
    assert_true(a.remote);
    assert_int_equal(strlen(a.path), CP_PATH_MAX);
}

static void plans(void **state)
{
    (void)state;
    struct cp_plan p;
    struct error err;
    assert_int_equal(cp_args_plan("abc:/x", "./y", &p, &err), 0);
    assert_int_equal(p.dir, CP_DOWNLOAD);
    assert_string_equal(p.sandbox_id, "abc");
    assert_int_equal(cp_args_plan("y", "def:/x", &p, &err), 0);
    assert_int_equal(p.dir, CP_UPLOAD);
    assert_string_equal(p.sandbox_id, "def");
    assert_string_equal(p.dst.path, "/x");
    assert_int_equal(cp_args_plan("a:/x", "b:/y", &p, &err), -1);
    assert_int_equal(err.kind, ERROR_USAGE);
    assert_int_equal(cp_args_plan("x", "y", &p, &err), -1);
    assert_int_equal(err.kind, ERROR_USAGE);
    assert_int_equal(cp_args_plan("abc:", "y", &p, &err), -1);
    assert_string_equal(err.msg, "source: missing path after the sandbox ID");
    assert_int_equal(cp_args_plan("x", "", &p, &err), -1);
    assert_string_equal(err.msg, "destination: empty path");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_table),
        cmocka_unit_test(plans),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
