/* test_tui_keymap.c - the [keys] section: key syntax, names, conflicts, the quit paths, and the
 * translation of pressed keys for opted-in views and for global keys. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <curses.h>

#include "keymap.h"

static void t_parse_key(void **state)
{
    (void)state;
    struct keyspec k;
    assert_int_equal(keymap_parse_key("K", &k), 0);
    assert_int_equal(k.ch, 'K');
    assert_int_equal(k.is_key, 0);
    assert_int_equal(keymap_parse_key("/", &k), 0);
    assert_int_equal(k.ch, '/');
    assert_int_equal(keymap_parse_key("C-x", &k), 0);
    assert_int_equal(k.ch, 24);
    assert_int_equal(keymap_parse_key("c-X", &k), 0);
    assert_int_equal(k.ch, 24);
    assert_int_equal(keymap_parse_key("C-j", &k), 0);
    assert_int_equal(k.ch, '\r'); /* C-j is Enter on a terminal */
    assert_int_equal(keymap_parse_key("F5", &k), 0);
    assert_int_equal(k.ch, KEY_F(5));
    assert_int_equal(k.is_key, 1);
    assert_int_equal(keymap_parse_key("F12", &k), 0);
    assert_int_equal(k.ch, KEY_F(12));
    assert_int_equal(keymap_parse_key("Enter", &k), 0);
    assert_int_equal(k.ch, '\r');
    assert_int_equal(keymap_parse_key("space", &k), 0);
    assert_int_equal(k.ch, ' ');
    assert_int_equal(keymap_parse_key("Tab", &k), 0);
    assert_int_equal(k.ch, '\t');
    assert_int_equal(keymap_parse_key("ESC", &k), 0);
    assert_int_equal(k.ch, 27);
    const char *bad[] = {"",     "KK",     "F0", "F13",  "F1x",      "C-",    "C-1",
                         "C-xx", "Ctrl-x", " ",  "\x7f", "\xc3\xa4", "Enterr"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (keymap_parse_key(bad[i], &k) == 0) fail_msg("\"%s\" parsed as a key", bad[i]);
}

static void t_names_round_trip(void **state)
{
    (void)state;
    const char *names[] = {"K", "/", "?", ":", "C-x", "F5", "F12", "Enter", "Space", "Tab", "Esc"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        struct keyspec k;
        char out[KEYMAP_NAME_MAX];
        assert_int_equal(keymap_parse_key(names[i], &k), 0);
        keymap_key_name(&k, out, sizeof out);
        assert_string_equal(out, names[i]);
    }
    struct keymap km;
    keymap_init(&km);
    char out[KEYMAP_NAME_MAX];
    assert_string_equal(keymap_name(&km, KA_KILL, out, sizeof out), "K");
    assert_string_equal(keymap_name(&km, KA_DETAIL, out, sizeof out), "Enter");
    assert_string_equal(keymap_name(&km, KA_MARK, out, sizeof out), "Space");
    assert_string_equal(keymap_name(&km, KA_COMMAND, out, sizeof out), ":");
    assert_int_equal(keymap_action_by_name("timeout"), KA_TIMEOUT);
    assert_int_equal(keymap_action_by_name("Kill"), -1);
    assert_string_equal(keymap_action_name(KA_FILES), "files");
}

#define BIND(a, k, l)                                                                              \
    {                                                                                              \
        (char *)(a), (char *)(k), (l)                                                              \
    }

static void t_apply(void **state)
{
    (void)state;
    struct keymap km;
    keymap_init(&km);
    struct error err;
    error_clear(&err);
    struct config_keybind b[] = {BIND("kill", "X", 3), BIND("quit", "C-x", 4),
                                 BIND("detail", "F2", 5), BIND("mark", "m", 6)};
    assert_int_equal(keymap_apply(&km, b, 4, "cfg", &err), 0);
    assert_int_equal(km.key[KA_KILL].ch, 'X');
    assert_int_equal(km.key[KA_QUIT].ch, 24);
    assert_int_equal(km.key[KA_DETAIL].ch, KEY_F(2));
    assert_int_equal(km.key[KA_DETAIL].is_key, 1);
    assert_int_equal(km.key[KA_PAUSE].ch, 'p'); /* not bound: the default */
    /* the old K is free now, so another action may take it */
    struct config_keybind swap[] = {BIND("kill", "p", 2), BIND("pause", "K", 3)};
    assert_int_equal(keymap_apply(&km, swap, 2, "cfg", &err), 0);
    assert_int_equal(km.key[KA_KILL].ch, 'p');
    assert_int_equal(km.key[KA_PAUSE].ch, 'K');
}

static void t_apply_errors(void **state)
{
    (void)state;
    static const struct {
        struct config_keybind b[2];
        int n;
        const char *want;
    } cases[] = {
        {{BIND("kil", "X", 7)}, 1, "cfg:7: unknown action kil (valid: kill, pause"},
        {{BIND("kill", "XY", 8)}, 1, "cfg:8: kill: not a key"},
        {{BIND("kill", "F13", 8)}, 1, "cfg:8: kill: not a key"},
        /* a conflict names both actions and the later line */
        {{BIND("kill", "X", 2), BIND("pause", "X", 5)},
         2,
         "cfg:5: pause and kill are both on key X"},
        /* with a default that stays */
        {{BIND("kill", "p", 4)}, 1, "cfg:4: kill and pause are both on key p"},
        {{BIND("help", "q", 9)}, 1, "cfg:9: help and quit are both on key q"},
        {{BIND("logs", "j", 3)}, 1, "cfg:3: logs: key j is fixed to move-down"},
        {{BIND("kill", "Esc", 3)}, 1, "cfg:3: kill: key Esc is fixed to back"},
        {{BIND("new", "C-l", 3)}, 1, "cfg:3: new: key C-l is fixed to redraw"},
        {{BIND("quit", "C-q", 3)}, 1, "cfg:3: quit: key C-q is fixed to flow-control"},
        {{BIND("kill", "C-c", 3)}, 1, "cfg:3: kill: key C-c is fixed to interrupt"},
        /* the quit paths must stay on plain keys */
        {{BIND("quit", "F10", 6)}, 1, "cfg:6: quit must be a character or C-x"},
        {{BIND("quit", "Enter", 6)}, 1, "cfg:6: quit must be a character or C-x"},
        {{BIND("command", "Space", 6)}, 1, "cfg:6: command must be a character or C-x"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct keymap km;
        keymap_init(&km);
        struct error err;
        error_clear(&err);
        assert_int_equal(keymap_apply(&km, cases[i].b, cases[i].n, "cfg", &err), -1);
        assert_int_equal(err.kind, ERROR_USAGE);
        if (strncmp(err.msg, cases[i].want, strlen(cases[i].want)) != 0)
            fail_msg("case %zu: \"%s\", want \"%s\"", i, err.msg, cases[i].want);
        /* a failed apply keeps the defaults */
        assert_int_equal(km.key[KA_KILL].ch, 'K');
    }
}

static int tr(const struct keymap *km, int all, int ch, int is_key, int *out)
{
    int k = is_key;
    *out = ch;
    return keymap_translate(km, all, out, &k);
}

static void t_translate(void **state)
{
    (void)state;
    struct keymap km;
    keymap_init(&km);
    struct error err;
    int out;
    /* defaults: nothing changes */
    assert_int_equal(tr(&km, 1, 'K', 0, &out), 0);
    assert_int_equal(out, 'K');
    struct config_keybind b[] = {BIND("kill", "X", 1), BIND("quit", "Q", 2), BIND("detail", "o", 3),
                                 BIND("help", "F1", 4)};
    assert_int_equal(keymap_apply(&km, b, 4, "cfg", &err), 0);
    assert_int_equal(tr(&km, 1, 'X', 0, &out), 1);
    assert_int_equal(out, 'K');                     /* X asks to kill */
    assert_int_equal(tr(&km, 1, 'K', 0, &out), -1); /* K does nothing */
    assert_int_equal(tr(&km, 1, 'p', 0, &out), 0);  /* unbound actions keep their key */
    assert_int_equal(tr(&km, 1, 'o', 0, &out), 1);
    assert_int_equal(out, '\r');
    assert_int_equal(tr(&km, 1, '\r', 0, &out), -1); /* Enter no longer opens the detail */
    assert_int_equal(tr(&km, 1, '\n', 0, &out), -1);
    assert_int_equal(tr(&km, 1, KEY_ENTER, 1, &out), -1);
    assert_int_equal(tr(&km, 1, KEY_F(1), 1, &out), 1);
    assert_int_equal(out, '?');
    /* global only (views that did not opt in, after they declined the key) */
    assert_int_equal(tr(&km, 0, 'X', 0, &out), 0);
    assert_int_equal(tr(&km, 0, 'K', 0, &out), 0);
    assert_int_equal(tr(&km, 0, 'Q', 0, &out), 1);
    assert_int_equal(out, 'q');
    assert_int_equal(tr(&km, 0, 'q', 0, &out), -1);
    assert_int_equal(tr(&km, 0, 'j', 0, &out), 0);
}

/* The other views' actions: VIEW.action, translation within the view, footer rewriting. */
static void t_views(void **state)
{
    (void)state;
    struct keymap km;
    struct error err;
    keymap_init(&km);
    struct config_keybind b[] = {BIND("logs.follow", "F", 1), BIND("files.copy", "y", 2)};
    assert_int_equal(keymap_apply(&km, b, 2, "cfg", &err), 0);
    int ch = 'F', is_key = 0;
    assert_int_equal(keymap_translate_view(&km, "logs", &ch, &is_key), 1);
    assert_int_equal(ch, 'f');
    ch = 'f';
    assert_int_equal(keymap_translate_view(&km, "logs", &ch, &is_key), -1); /* moved away */
    ch = 'W';
    assert_int_equal(keymap_translate_view(&km, "logs", &ch, &is_key), 0);
    ch = 'f'; /* another view's f is its own */
    assert_int_equal(keymap_translate_view(&km, "volumes", &ch, &is_key), 0);
    ch = 'F';
    assert_int_equal(keymap_translate_view(&km, "sandboxes", &ch, &is_key), 0);
    char f[128];
    keymap_rewrite(&km, "logs", "f follow  L/1-4 level  n/N next  Esc back", 0, f, sizeof f);
    assert_string_equal(f, "F follow  L/1-4 level  n/N next  Esc back");
    keymap_rewrite(&km, "files", "Tab pane  c/F5 copy  f file", 0, f, sizeof f);
    assert_string_equal(f, "Tab pane  y/F5 copy  f file");
    keymap_rewrite(&km, "files", "c F5", 1, f, sizeof f);
    assert_string_equal(f, "y F5");
    struct config_keybind b2[] = {BIND("logs.search", "s", 1)};
    assert_int_equal(keymap_apply(&km, b2, 1, "cfg", &err), 0);
    keymap_rewrite(&km, "logs", "/ search  n/N next", 0, f, sizeof f);
    assert_string_equal(f, "s search  n/N next");
    keymap_rewrite(&km, "logs", "/", 1, f, sizeof f);
    assert_string_equal(f, "s");
    /* unknown names, clashes within a view and with the global keys */
    struct config_keybind bad1[] = {BIND("logs.flolow", "F", 3)};
    assert_int_equal(keymap_apply(&km, bad1, 1, "cfg", &err), -1);
    assert_non_null(strstr(err.msg, "cfg:3: unknown action logs.flolow (valid: follow, "));
    struct config_keybind bad2[] = {BIND("nosuchview.x", "F", 4)};
    assert_int_equal(keymap_apply(&km, bad2, 1, "cfg", &err), -1);
    struct config_keybind bad3[] = {BIND("logs.follow", "W", 5)};
    assert_int_equal(keymap_apply(&km, bad3, 1, "cfg", &err), -1);
    assert_non_null(strstr(err.msg, "logs.follow and logs.wrap are both on key W"));
    struct config_keybind bad4[] = {BIND("logs.follow", "?", 6)};
    assert_int_equal(keymap_apply(&km, bad4, 1, "cfg", &err), -1);
    struct config_keybind bad5[] = {BIND("files.copy", "j", 7)};
    assert_int_equal(keymap_apply(&km, bad5, 1, "cfg", &err), -1);
    /* after the terminal's prefix, q is its own (not quit) */
    struct config_keybind okt[] = {BIND("terminal.back", "b", 8)};
    assert_int_equal(keymap_apply(&km, okt, 1, "cfg", &err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_parse_key), cmocka_unit_test(t_names_round_trip),
        cmocka_unit_test(t_apply),     cmocka_unit_test(t_apply_errors),
        cmocka_unit_test(t_translate), cmocka_unit_test(t_views),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
