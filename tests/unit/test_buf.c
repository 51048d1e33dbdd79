/* test_buf.c - growable buffer and error helpers. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "boxtop/buf.h"
#include "boxtop/grow.h"
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

/* Exactly the room asked for (a body of a known length, kept as it is), and a buffer with
 * room enough is left alone. */
static void reserve_exact(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    assert_int_equal(buf_reserve_exact(&b, 36481), 0);
    assert_int_equal(b.cap, 36482); /* not the next doubling (65536) */
    assert_int_equal(buf_append(&b, "ab", 2), 0);
    assert_int_equal(b.cap, 36482);
    assert_int_equal(buf_reserve_exact(&b, 100), 0);
    assert_int_equal(b.cap, 36482);
    assert_int_equal(buf_reserve_exact(&b, 36480), 0);
    assert_int_equal(b.cap, 36483);
    assert_string_equal(buf_cstr(&b), "ab");
    assert_int_equal(buf_reserve_exact(&b, SIZE_MAX), -ENOMEM);
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

/* Growable arrays (grow.h): room is made by doubling, contents kept, nothing changes on an
 * impossible size. */
static void grow_arrays(void **state)
{
    (void)state;
    struct pair {
        int a;
        long b;
    } *v = NULL;
    size_t cap = 0, n = 0;
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(GROW(v, cap, n + 1), 0);
        assert_true(cap >= n + 1);
        v[n++] = (struct pair){i, -i};
    }
    assert_int_equal(cap, 1024); /* 16, 32, ... 1024: doubling */
    for (int i = 0; i < 1000; i++)
        assert_true(v[i].a == i && v[i].b == -i);
    struct pair *before = v;
    assert_int_equal(GROW(v, cap, 10), 0); /* already there: untouched */
    assert_ptr_equal(v, before);
    assert_int_equal(GROW(v, cap, SIZE_MAX / 2), -1); /* overflows: refused, nothing lost */
    assert_ptr_equal(v, before);
    assert_int_equal(cap, 1024);
    free(v);

    char **s = NULL;
    int icap = 0;
    assert_int_equal(GROW_INT(s, icap, 3), 0);
    assert_int_equal(icap, GROW_MIN);
    assert_int_equal(GROW_INT(s, icap, 40), 0);
    assert_int_equal(icap, 64);
    assert_int_equal(GROW_INT(s, icap, -1), 0); /* nothing needed */
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(append_and_consume),
        cmocka_unit_test(reserve_exact),
        cmocka_unit_test(error_prefix_keeps_message),
        cmocka_unit_test(grow_arrays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
