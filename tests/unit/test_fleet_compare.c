/* test_fleet_compare.c - :compare's grouping and line diff (src/e2b/fleet_compare.c): copies
 * grouped by content with the largest group first, skipped entries, binary detection, a diff
 * that keeps common lines and marks the others, and the size guard. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "boxtop/fleet_compare.h"

static char dir[] = "/tmp/test-fleet-compare.XXXXXX";

static char *put(const char *name, const char *data, size_t len)
{
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    fwrite(data, 1, len, f);
    fclose(f);
    return p;
}

static void t_groups(void **state)
{
    (void)state;
    char *a = put("a", "same\n", 5), *b = put("b", "other\n", 6), *c = put("c", "same\n", 5),
         *d = put("d", "bin\0ary", 7), *e = put("e", "same\n", 5);
    const char *paths[] = {b, a, NULL, c, d, e};
    struct fleet_group *g;
    int n;
    struct error err = {0};
    assert_int_equal(fleet_compare_groups(paths, 6, &g, &n, &err), 0);
    assert_int_equal(n, 3);
    assert_int_equal(g[0].n, 3); /* a, c, e: the largest first */
    assert_int_equal(g[0].members[0], 1);
    assert_int_equal(g[0].members[2], 5);
    assert_int_equal(g[0].size, 5);
    assert_string_equal(g[0].sha256,
                        "a6328afc76e9db71da297ebff4b0d3e7a7eb3b01d917c05a6573fef121b6ecb6");
    assert_int_equal(g[1].members[0], 0); /* ties keep the first seen */
    assert_true(g[1].text);
    assert_false(g[2].text);
    fleet_groups_free(g, n);
    const char *missing[] = {"/nonexistent/x"};
    assert_int_equal(fleet_compare_groups(missing, 1, &g, &n, &err), -1);
    free(a), free(b), free(c), free(d), free(e);
}

static void t_diff(void **state)
{
    (void)state;
    char *a = put("da", "one\ntwo\nthree\nfour", 18),
         *b = put("db", "one\nTWO\nthree\nfour\nfive\n", 24);
    struct buf out = BUF_INIT;
    struct error err = {0};
    assert_int_equal(fleet_line_diff(a, b, &out, &err), 0);
    assert_string_equal(buf_cstr(&out), "  one\n- two\n+ TWO\n  three\n  four\n+ five\n");
    buf_free(&out);
    /* too big to diff: refused, not attempted */
    size_t n = 2100;
    char *big = malloc(n * 2);
    for (size_t i = 0; i < n; i++)
        big[2 * i] = 'x', big[2 * i + 1] = '\n';
    char *c = put("big1", big, n * 2), *d = put("big2", big, n * 2);
    assert_int_equal(fleet_line_diff(c, d, &out, &err), -1);
    assert_int_equal(err.kind, ERROR_USAGE);
    buf_free(&out);
    free(big), free(a), free(b), free(c), free(d);
}

static int cleanup(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    if (!mkdtemp(dir)) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_groups),
        cmocka_unit_test(t_diff),
    };
    return cmocka_run_group_tests(tests, NULL, cleanup);
}
