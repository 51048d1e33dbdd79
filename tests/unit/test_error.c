/* test_error.c - struct error: error_set fills all of it (valgrind saw boxtopd's create
 * handler read err.code of an error that error_set had filled from an uninitialised struct:
 * a stack value of 503 would have answered "503, retry in 5 s" to a failed create). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boxtop/error.h"

static void set_fills_everything(void **state)
{
    (void)state;
    struct error e;
    memset(&e, 0xab, sizeof e); /* what an uninitialised stack struct may hold */
    assert_int_equal(error_set(&e, ERROR_USAGE, "bad %s %d", "value", 7), -1);
    assert_int_equal(e.kind, ERROR_USAGE);
    assert_int_equal(e.code, 0);
    assert_string_equal(e.msg, "bad value 7");
    assert_int_equal(error_set(NULL, ERROR_USAGE, "ignored"), -1);
}

static void code_set_after_and_kept_by_prefix(void **state)
{
    (void)state;
    struct error e;
    error_set(&e, ERROR_GENERIC, "busy");
    e.code = 503;
    error_prefix(&e, "create");
    assert_int_equal(e.code, 503);
    assert_string_equal(e.msg, "create: busy");
    error_set(&e, ERROR_NOT_FOUND, "gone"); /* a new error drops the old status */
    assert_int_equal(e.code, 0);
    error_clear(&e);
    assert_int_equal(e.kind, ERROR_NONE);
    assert_string_equal(e.msg, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(set_fills_everything),
        cmocka_unit_test(code_set_after_and_kept_by_prefix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
