/* keymap_views.c - the rebindable actions of every view other than the sandboxes view (whose
 * actions, with the global ones, are keymap.c's): their names in [keys] ("logs.follow = F",
 * or "follow = F" under [keys.logs]), their default keys, the translation of a pressed key
 * into the default key the view switches on, and the rewriting of a view's footer and help
 * so that they name the keys as bound. Pure: only curses' key constants.
 *
 * Views keep their switch on default letters; the app translates keys before the view sees
 * them (app_input.c) and rewrites the key names of the footer and help it draws (app.c). A
 * footer is "KEYS what  KEYS what ..."; KEYS are names joined by '/' (and spaces in help):
 * each name that is the default key of a moved action becomes the action's key. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "keymap.h"

static const struct vact {
    const char *view; /* the name in [keys.VIEW] / VIEW.action */
    const char *name;
    struct keyspec def;
} vacts[] = {
    /* logs */
    {"logs", "follow", {'f', 0}},
    {"logs", "level", {'L', 0}},
    {"logs", "level_debug", {'1', 0}},
    {"logs", "level_info", {'2', 0}},
    {"logs", "level_warn", {'3', 0}},
    {"logs", "level_error", {'4', 0}},
    {"logs", "search", {'/', 0}},
    {"logs", "next_match", {'n', 0}},
    {"logs", "previous_match", {'N', 0}},
    {"logs", "wrap", {'W', 0}},
    {"logs", "utc", {'T', 0}},
    {"logs", "save", {'w', 0}},
    /* files */
    {"files", "pane", {'\t', 0}},
    {"files", "mark", {' ', 0}},
    {"files", "copy", {'c', 0}},
    {"files", "view", {'v', 0}},
    {"files", "edit", {'e', 0}},
    {"files", "mkdir", {'M', 0}},
    {"files", "rename", {'R', 0}},
    {"files", "delete", {'D', 0}},
    {"files", "reload", {'r', 0}},
    {"files", "hidden", {'.', 0}},
    {"files", "sort", {'s', 0}},
    {"files", "sort_reverse", {'S', 0}},
    {"files", "filter", {'/', 0}},
    {"files", "transfers", {'t', 0}},
    {"files", "retry", {'a', 0}},
    /* detail (its kill and logs are the [keys] kill and logs) */
    {"detail", "events", {'E', 0}},
    /* events */
    {"events", "type", {'t', 0}},
    {"events", "filter", {'/', 0}},
    {"events", "open", {'\r', 0}},
    {"events", "logs", {'l', 0}},
    /* templates */
    {"templates", "open", {'\r', 0}},
    {"templates", "new", {'n', 0}},
    {"templates", "build", {'b', 0}},
    {"templates", "delete", {'D', 0}},
    {"templates", "tag", {'t', 0}},
    {"templates", "untag", {'T', 0}},
    {"templates", "publish", {'P', 0}},
    {"templates", "reload", {'R', 0}},
    {"templates", "builds", {'\t', 0}},
    {"templates", "filter", {'/', 0}},
    {"templates", "log", {'l', 0}},
    /* team */
    {"team", "range_1h", {'1', 0}},
    {"team", "range_6h", {'2', 0}},
    {"team", "range_24h", {'3', 0}},
    {"team", "range_7d", {'4', 0}},
    {"team", "next_range", {'r', 0}},
    /* commands */
    {"commands", "open", {'\r', 0}},
    {"commands", "filter", {'/', 0}},
    {"commands", "first_failure", {'F', 0}},
    {"commands", "timeline", {'T', 0}},
    {"commands", "sort_previous", {'<', 0}},
    {"commands", "sort_next", {'>', 0}},
    {"commands", "sort_invert", {'I', 0}},
    {"commands", "follow", {'f', 0}},
    {"commands", "input", {'i', 0}},
    {"commands", "interrupt", {'C', 0}},
    {"commands", "kill", {'K', 0}},
    {"commands", "attach", {'a', 0}},
    {"commands", "next_match", {'n', 0}},
    {"commands", "previous_match", {'N', 0}},
    {"commands", "save", {'w', 0}},
    /* webhooks */
    {"webhooks", "deliveries", {'\r', 0}},
    {"webhooks", "new", {'n', 0}},
    {"webhooks", "edit", {'e', 0}},
    {"webhooks", "toggle", {' ', 0}},
    {"webhooks", "delete", {'D', 0}},
    /* snapshots */
    {"snapshots", "new", {'n', 0}},
    {"snapshots", "delete", {'D', 0}},
    /* volumes */
    {"volumes", "files", {'f', 0}},
    {"volumes", "create", {'c', 0}},
    {"volumes", "delete", {'D', 0}},
    /* sessions (the shells list) */
    {"sessions", "open", {'\r', 0}},
    {"sessions", "kill", {'x', 0}},
    /* the commands' timeline */
    {"timeline", "previous_event", {'H', 0}},
    {"timeline", "next_event", {'L', 0}},
    {"timeline", "zoom_in", {'+', 0}},
    {"timeline", "zoom_out", {'-', 0}},
    {"timeline", "fit", {'0', 0}},
    /* the file pager */
    {"pager", "hex", {'x', 0}},
    /* terminal: the keys after the prefix */
    {"terminal", "next_tab", {'n', 0}},
    {"terminal", "previous_tab", {'p', 0}},
    {"terminal", "detach", {'d', 0}},
    {"terminal", "copy_mode", {'[', 0}},
    {"terminal", "close", {'x', 0}},
    {"terminal", "new_shell", {'c', 0}},
    {"terminal", "graphs", {'g', 0}},
    {"terminal", "record", {'r', 0}},
    {"terminal", "sessions", {'s', 0}},
    {"terminal", "back", {'q', 0}},
};

_Static_assert(sizeof vacts / sizeof vacts[0] == KEYMAP_VIEW_ACTS, "KEYMAP_VIEW_ACTS");

/* The view names of the config and of view_ops.name, where they differ. */
static const struct {
    const char *config, *ops;
} view_names[] = {{"detail", "sandbox detail"}, {"pager", "file"}};

static const char *config_view(const char *ops_name)
{
    if (!ops_name) return NULL;
    for (size_t i = 0; i < sizeof view_names / sizeof view_names[0]; i++)
        if (!strcmp(view_names[i].ops, ops_name)) return view_names[i].config;
    return ops_name;
}

static int same(const struct keyspec *a, const struct keyspec *b)
{
    return a->ch == b->ch && a->is_key == b->is_key;
}

void keymap_views_init(struct keymap *km)
{
    for (int i = 0; i < KEYMAP_VIEW_ACTS; i++)
        km->vkey[i] = vacts[i].def;
}

int keymap_views_known(const char *view)
{
    for (int i = 0; i < KEYMAP_VIEW_ACTS; i++)
        if (!strcmp(vacts[i].view, view)) return 1;
    return 0;
}

int keymap_views_find(const char *view, const char *name)
{
    for (int i = 0; i < KEYMAP_VIEW_ACTS; i++)
        if (!strcmp(vacts[i].view, view) && !strcmp(vacts[i].name, name)) return i;
    return -1;
}

const char *keymap_views_name(int i, const char **view)
{
    if (view) *view = vacts[i].view;
    return vacts[i].name;
}

void keymap_views_list(const char *view, char *out, size_t n)
{
    out[0] = '\0';
    for (int i = 0; i < KEYMAP_VIEW_ACTS; i++) {
        if (strcmp(vacts[i].view, view)) continue;
        size_t l = strlen(out);
        snprintf(out + l, n - l, "%s%s", l ? ", " : "", vacts[i].name);
    }
}

int keymap_views_conflict(const struct keymap *km, int *a, int *b)
{
    for (int i = 0; i < KEYMAP_VIEW_ACTS; i++)
        for (int j = i + 1; j < KEYMAP_VIEW_ACTS; j++)
            if (!strcmp(vacts[i].view, vacts[j].view) && same(&km->vkey[i], &km->vkey[j])) {
                *a = i;
                *b = j;
                return 1;
            }
    return 0;
}

int keymap_views_default_of(int i, struct keyspec *k)
{
    *k = vacts[i].def;
    return 0;
}

int keymap_translate_view(const struct keymap *km, const char *ops_name, int *ch, int *is_key)
{
    const char *view = config_view(ops_name);
    if (!view) return 0;
    struct keyspec in = {*ch, *is_key};
    if ((!in.is_key && in.ch == '\n') || (in.is_key && in.ch == KEY_ENTER))
        in = (struct keyspec){'\r', 0};
    for (int i = 0; i < KEYMAP_VIEW_ACTS; i++) {
        if (strcmp(vacts[i].view, view) || !same(&km->vkey[i], &in)) continue;
        if (same(&km->vkey[i], &vacts[i].def)) return 0;
        *ch = vacts[i].def.ch;
        *is_key = vacts[i].def.is_key;
        return 1;
    }
    for (int i = 0; i < KEYMAP_VIEW_ACTS; i++)
        if (!strcmp(vacts[i].view, view) && same(&vacts[i].def, &in)) return -1; /* moved */
    return 0;
}

/* The bound name of a default key name of view (tok, len), or NULL when it is not moved. */
static const char *moved_name(const struct keymap *km, const char *view, const char *tok,
                              size_t len, char *buf, size_t n)
{
    for (int i = 0; i < KEYMAP_VIEW_ACTS; i++) {
        if (strcmp(vacts[i].view, view) || same(&km->vkey[i], &vacts[i].def)) continue;
        char def[KEYMAP_NAME_MAX];
        keymap_key_name(&vacts[i].def, def, sizeof def);
        if (strlen(def) == len && !strncmp(def, tok, len)) {
            keymap_key_name(&km->vkey[i], buf, n);
            return buf;
        }
    }
    return NULL;
}

int keymap_views_moved(const struct keymap *km, const char *ops_name)
{
    const char *view = config_view(ops_name);
    for (int i = 0; view && i < KEYMAP_VIEW_ACTS; i++)
        if (!strcmp(vacts[i].view, view) && !same(&km->vkey[i], &vacts[i].def)) return 1;
    return 0;
}

/* Rewrite the key names of in: in a footer (help 0) the first word of each "  "-separated
 * item, in help (1) every word; words split further at '/'. */
void keymap_rewrite(const struct keymap *km, const char *ops_name, const char *in, int help,
                    char *out, size_t n)
{
    const char *view = config_view(ops_name);
    size_t o = 0;
    int keypos = 1; /* at the keys of an item */
    const char *p = in;
    if (n == 0) return;
    while (*p && o + 1 < n) {
        /* a lone "/" (the search key) is a name; elsewhere '/' joins two names */
        int slash_key = *p == '/' && (p == in || p[-1] == ' ') && (p[1] == ' ' || !p[1]);
        if (keypos && *p != ' ' && (*p != '/' || slash_key)) {
            size_t len = slash_key ? 1 : strcspn(p, " /");
            char buf[KEYMAP_NAME_MAX];
            const char *r = view ? moved_name(km, view, p, len, buf, sizeof buf) : NULL;
            const char *src = r ? r : p;
            size_t sl = r ? strlen(r) : len;
            if (o + sl >= n) break;
            memcpy(out + o, src, sl);
            o += sl;
            p += len;
            if (!help && *p == ' ') keypos = 0; /* the rest of the item describes */
            continue;
        }
        if (!help && p[0] == ' ' && p[1] == ' ') keypos = 1;
        out[o++] = *p++;
    }
    out[o] = '\0';
}
