/* keymap.c - rebindable keys (see keymap.h). Pure: only curses' key constants. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "boxtop/i18n.h"
#include "keymap.h"

static const struct {
    const char *name;
    struct keyspec def;
} actions[KA_N] = {
    [KA_KILL] = {"kill", {'K', 0}},
    [KA_PAUSE] = {"pause", {'p', 0}},
    [KA_RESUME] = {"resume", {'r', 0}},
    [KA_FILTER] = {"filter", {'/', 0}},
    [KA_NEW] = {"new", {'n', 0}},
    [KA_TIMEOUT] = {"timeout", {'t', 0}},
    [KA_EXTEND] = {"extend", {'e', 0}},
    [KA_DETAIL] = {"detail", {'\r', 0}},
    [KA_MARK] = {"mark", {' ', 0}},
    [KA_SHELL] = {"shell", {'s', 0}},
    [KA_ANOTHER_SHELL] = {"another_shell", {'O', 0}},
    [KA_FILES] = {"files", {'f', 0}},
    [KA_LOGS] = {"logs", {'l', 0}},
    [KA_QUIT] = {"quit", {'q', 0}},
    [KA_HELP] = {"help", {'?', 0}},
    [KA_COMMAND] = {"command", {':', 0}},
    /* not ~: PgUp, PgDn, Home, End, Insert and Delete end in ~ (ESC [ 5 ~), and a sequence
     * that arrives split on a loaded machine would open the messages */
    [KA_MESSAGES] = {"messages", {'!', 0}},
};

/* Keys that keep their meaning whatever the config says (the sandboxes view's motion and
 * sort keys, and the keys every mode needs): binding an action there is an error. */
static const struct {
    struct keyspec k;
    const char *what;
    int motion; /* fixed in every view, not only the sandboxes view */
} fixed[] = {
    {{'j', 0}, "move-down", 1},
    {{'k', 0}, "move-up", 1},
    {{'g', 0}, "first-row", 1},
    {{'G', 0}, "last-row", 1},
    {{'a', 0}, "mark-shown", 0},
    {{'u', 0}, "unmark-all", 0},
    {{'<', 0}, "sort-previous", 0},
    {{'>', 0}, "sort-next", 0},
    {{'I', 0}, "sort-invert", 0},
    {{'R', 0}, "refresh", 0},
    {{'E', 0}, "events", 0},
    {{27, 0}, "back", 1},
    {{12, 0}, "redraw", 1},
    {{4, 0}, "half-page-down", 1},
    {{21, 0}, "half-page-up", 1},
    /* the terminal driver takes these in cbreak mode before boxtop sees them */
    {{3, 0}, "interrupt", 1},
    {{26, 0}, "suspend", 1},
    {{17, 0}, "flow-control", 1},
    {{19, 0}, "flow-control", 1},
};

static int is_global(int act)
{
    return act == KA_QUIT || act == KA_HELP || act == KA_COMMAND || act == KA_MESSAGES;
}

void keymap_init(struct keymap *km)
{
    for (int i = 0; i < KA_N; i++)
        km->key[i] = actions[i].def;
    keymap_views_init(km);
}

int keymap_action_by_name(const char *name)
{
    for (int i = 0; i < KA_N; i++)
        if (strcmp(actions[i].name, name) == 0) return i;
    return -1;
}

const char *keymap_action_name(enum keymap_action act)
{
    return (unsigned)act < KA_N ? actions[act].name : "?";
}

const char *keymap_name(const struct keymap *km, enum keymap_action act, char *out, size_t n)
{
    keymap_key_name(&km->key[act], out, n);
    return out;
}

const char *keymap_label(const struct keymap *km, enum keymap_action act, char *out, size_t n)
{
    static const char *const named[] = {N_("Enter"), N_("Space"), N_("Tab"), N_("Esc")};
    keymap_key_name(&km->key[act], out, n);
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (strcmp(out, named[i]) == 0) {
            snprintf(out, n, "%s", _(named[i]));
            break;
        }
    return out;
}

static int same(const struct keyspec *a, const struct keyspec *b)
{
    return a->ch == b->ch && a->is_key == b->is_key;
}

/* The key of a binding, or -1 with an error naming its line. */
static int bind_key(const struct config_keybind *b, const char *file, struct keyspec *k,
                    struct error *err)
{
    if (keymap_parse_key(b->key, k) == 0) return 0;
    return error_set(err, ERROR_USAGE,
                     _("%s:%d: %s: not a key (use x, C-x, F1-F12, Enter, Space, Tab or Esc)"), file,
                     b->line, b->action);
}

int keymap_apply(struct keymap *km, const struct config_keybind *binds, int n, const char *file,
                 struct error *err)
{
    struct keymap m;
    int line[KA_N] = {0};
    keymap_init(&m);
    if (!file) file = "config";
    int vline[KEYMAP_VIEW_ACTS] = {0};
    for (int i = 0; i < n; i++) {
        const char *dot = strchr(binds[i].action, '.');
        if (dot) { /* VIEW.action: an action of another view (keymap_views.c) */
            char view[KEYMAP_NAME_MAX * 2];
            snprintf(view, sizeof view, "%.*s", (int)(dot - binds[i].action), binds[i].action);
            int va = keymap_views_find(view, dot + 1);
            if (va < 0) {
                char valid[512];
                if (!keymap_views_known(view))
                    return error_set(err, ERROR_USAGE, _("%s:%d: no view %s has rebindable keys"),
                                     file, binds[i].line, view);
                keymap_views_list(view, valid, sizeof valid);
                return error_set(err, ERROR_USAGE, _("%s:%d: unknown action %s (valid: %s)"), file,
                                 binds[i].line, binds[i].action, valid);
            }
            struct keyspec k;
            if (bind_key(&binds[i], file, &k, err) < 0) return -1;
            /* the motion keys and the ways out stay, in every view */
            for (size_t f = 0; f < sizeof fixed / sizeof fixed[0]; f++)
                if (fixed[f].motion && same(&fixed[f].k, &k))
                    return error_set(err, ERROR_USAGE, _("%s:%d: %s: key %s is fixed to %s"), file,
                                     binds[i].line, binds[i].action, binds[i].key, fixed[f].what);
            m.vkey[va] = k;
            vline[va] = binds[i].line;
            continue;
        }
        int act = keymap_action_by_name(binds[i].action);
        if (act < 0) {
            char valid[256] = "";
            for (int a = 0; a < KA_N; a++) {
                strncat(valid, actions[a].name, sizeof valid - strlen(valid) - 1);
                if (a + 1 < KA_N) strncat(valid, ", ", sizeof valid - strlen(valid) - 1);
            }
            return error_set(err, ERROR_USAGE, _("%s:%d: unknown action %s (valid: %s)"), file,
                             binds[i].line, binds[i].action, valid);
        }
        struct keyspec k;
        if (bind_key(&binds[i], file, &k, err) < 0) return -1;
        /* The ways out must work on every terminal and on the too-small screen, so they
         * stay on plain characters or Ctrl-letters (`:q` always quits as well). */
        if ((act == KA_QUIT || act == KA_COMMAND) &&
            (k.is_key || k.ch == '\r' || k.ch == ' ' || k.ch == '\t' || k.ch == 27))
            return error_set(err, ERROR_USAGE,
                             _("%s:%d: %s must be a character or C-x, so that you can always "
                               "leave"),
                             file, binds[i].line, binds[i].action);
        for (size_t f = 0; f < sizeof fixed / sizeof fixed[0]; f++)
            if (same(&fixed[f].k, &k))
                return error_set(err, ERROR_USAGE, _("%s:%d: %s: key %s is fixed to %s"), file,
                                 binds[i].line, binds[i].action, binds[i].key, fixed[f].what);
        m.key[act] = k;
        line[act] = binds[i].line;
    }
    /* every action is reachable in the sandboxes view, so one key may hold one action */
    for (int a = 0; a < KA_N; a++)
        for (int b = a + 1; b < KA_N; b++)
            if (same(&m.key[a], &m.key[b])) {
                char kn[KEYMAP_NAME_MAX];
                keymap_key_name(&m.key[a], kn, sizeof kn);
                /* the later line first: the binding that made the conflict */
                int x = line[a] >= line[b] ? a : b, y = x == a ? b : a;
                return error_set(err, ERROR_USAGE, _("%s:%d: %s and %s are both on key %s"), file,
                                 line[x], actions[x].name, actions[y].name, kn);
            }
    /* quit, help and command reach every view: no view's action may sit on them (the
     * terminal's actions come after the prefix) */
    for (int i = 0; i < KEYMAP_VIEW_ACTS; i++) {
        const char *view, *vn = keymap_views_name(i, &view);
        for (int g = 0; g < KA_N && strcmp(view, "terminal"); g++)
            if (is_global(g) && same(&m.key[g], &m.vkey[i])) {
                char kn[KEYMAP_NAME_MAX];
                keymap_key_name(&m.vkey[i], kn, sizeof kn);
                return error_set(err, ERROR_USAGE, _("%s:%d: %s.%s and %s are both on key %s"),
                                 file, vline[i] >= line[g] ? vline[i] : line[g], view, vn,
                                 actions[g].name, kn);
            }
    }
    int va, vb;
    if (keymap_views_conflict(&m, &va, &vb)) {
        char kn[KEYMAP_NAME_MAX];
        const char *view;
        keymap_key_name(&m.vkey[va], kn, sizeof kn);
        int x = vline[va] >= vline[vb] ? va : vb, y = x == va ? vb : va;
        const char *xn = keymap_views_name(x, &view), *yn = keymap_views_name(y, NULL);
        return error_set(err, ERROR_USAGE, _("%s:%d: %s.%s and %s.%s are both on key %s"), file,
                         vline[x], view, xn, view, yn, kn);
    }
    *km = m;
    return 0;
}

int keymap_translate(const struct keymap *km, int all, int *ch, int *is_key)
{
    struct keyspec in = {*ch, *is_key};
    if ((!in.is_key && in.ch == '\n') || (in.is_key && in.ch == KEY_ENTER))
        in = (struct keyspec){'\r', 0};
    for (int a = 0; a < KA_N; a++) {
        if (!all && !is_global(a)) continue;
        if (same(&km->key[a], &in)) {
            if (same(&km->key[a], &actions[a].def)) return 0;
            *ch = actions[a].def.ch;
            *is_key = actions[a].def.is_key;
            return 1;
        }
    }
    for (int a = 0; a < KA_N; a++) {
        if (!all && !is_global(a)) continue;
        if (same(&actions[a].def, &in)) return -1; /* moved elsewhere (else the loop above) */
    }
    return 0;
}
