/* test_tui_theme.c - theme names and palettes: 8color stays on the 8 basic colours on a
 * 256-colour terminal, monochrome has no colours, light differs from dark. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "theme.h"

static void t_names(void **state)
{
    (void)state;
    assert_int_equal(theme_by_name("dark"), THEME_DARK);
    assert_int_equal(theme_by_name("light"), THEME_LIGHT);
    assert_int_equal(theme_by_name("8color"), THEME_8COLOR);
    assert_int_equal(theme_by_name("monochrome"), THEME_MONO);
    assert_int_equal(theme_by_name("mono"), THEME_MONO);
    assert_int_equal(theme_by_name("Dark"), -1);
    assert_int_equal(theme_by_name(""), -1);
    assert_int_equal(theme_by_name(NULL), -1);
    assert_string_equal(theme_names(), "dark, light, 8color, monochrome");
}

static int max_color(const struct role_colors *p)
{
    int m = -1;
    for (int r = 0; r < ROLE_N; r++) {
        if (p[r].fg > m) m = p[r].fg;
        if (p[r].bg > m) m = p[r].bg;
    }
    return m;
}

static void t_palettes(void **state)
{
    (void)state;
    /* 8color: only 0-7 even with 256 colours */
    const struct role_colors *p = theme_palette(THEME_8COLOR, 256);
    assert_non_null(p);
    assert_true(max_color(p) <= 7);
    /* dark and light use the 256 colours when there are, the 8 otherwise */
    assert_true(max_color(theme_palette(THEME_DARK, 256)) > 7);
    assert_true(max_color(theme_palette(THEME_LIGHT, 256)) > 7);
    assert_true(max_color(theme_palette(THEME_DARK, 8)) <= 7);
    assert_true(max_color(theme_palette(THEME_LIGHT, 16)) <= 7);
    assert_ptr_not_equal(theme_palette(THEME_LIGHT, 256), theme_palette(THEME_DARK, 256));
    assert_ptr_not_equal(theme_palette(THEME_LIGHT, 8), theme_palette(THEME_DARK, 8));
    assert_int_not_equal(theme_palette(THEME_LIGHT, 256)[ROLE_HEADER].bg,
                         theme_palette(THEME_DARK, 256)[ROLE_HEADER].bg);
    /* monochrome: no colours anywhere, attributes distinguish the roles */
    assert_null(theme_palette(THEME_MONO, 256));
    assert_null(theme_palette(THEME_DARK, 2)); /* a mono terminal */
    const attr_t *m = theme_mono_attrs();
    assert_true(m[ROLE_SELECTED] & A_REVERSE);
    assert_true(m[ROLE_CRIT] & A_BOLD);
    for (int r = 0; r < ROLE_N; r++)
        assert_int_equal(m[r] & A_COLOR, 0);
    /* every role of every palette is a valid colour or the default */
    for (int t = 0; t < THEME_MONO; t++)
        for (int n = 8; n <= 256; n *= 2) {
            const struct role_colors *q = theme_palette(t, n);
            for (int r = 0; r < ROLE_N; r++) {
                assert_true(q[r].fg >= -1 && q[r].fg < n);
                assert_true(q[r].bg >= -1 && q[r].bg < n);
            }
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(t_names), cmocka_unit_test(t_palettes)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
