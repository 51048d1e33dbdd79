/* test_buf.c - growable buffer and error helpers. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "boxtop/buf.h"
#include "boxtop/error.h"

static void append_and_consume(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    assert_string_equal(buf_cstr(&b), "");
    for (int i = 0; i < 1000; i++)
        assert_int_equal(buf_printf(&b, "%d,", i), 0);
    assert_true(b.len > 1000);
    assert_memory_equal(b.data, "0,1,2,", 6);
    buf_consume(&b, 2);
    assert_memory_equal(b.data, "1,2,", 4);
    assert_int_equal(b.data[b.len], '\0');
    buf_consume(&b, b.len + 10);
    assert_int_equal(b.len, 0);
    assert_int_equal(buf_append(&b, "a\0b", 3), 0);
    assert_int_equal(b.len, 3);
    char *s = buf_steal(&b);
    assert_memory_equal(s, "a\0b", 4);
    assert_null(b.data);
    free(s);
    buf_free(&b);
}

static void error_prefix_keeps_message(void **state)
{
    (void)state;
    struct error e;
    error_clear(&e);
    assert_int_equal(error_set(&e, ERROR_NOT_FOUND, "sandbox %s not found", "i123"), -1);
    error_prefix(&e, "kill");
    assert_string_equal(e.msg, "kill: sandbox i123 not found");
    assert_int_equal(e.kind, ERROR_NOT_FOUND);
    assert_int_equal(error_set(NULL, ERROR_GENERIC, "x"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(append_and_consume),
        cmocka_unit_test(error_prefix_keeps_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
