/* keymap.h - the rebindable keys of the TUI: actions, their default keys, the [keys] section
 * of the config file, and the translation of a pressed key into the key a view expects.
 *
 * Views keep switching on their default letters ('K', 'p', ...). A view that opts in
 * (view_ops.keymap) gets every key translated first: the key bound to an action becomes
 * that action's default key, and the default key of an action that was moved elsewhere is
 * dropped. Other views only get the global actions (quit, help, command) translated, after
 * they declined the key, so a terminal view still receives every key unchanged. */
#ifndef BOXTOP_TUI_KEYMAP_H
#define BOXTOP_TUI_KEYMAP_H

#include <stddef.h>

#include "boxtop/config.h"
#include "boxtop/error.h"

enum keymap_action {
    KA_KILL = 0,
    KA_PAUSE,
    KA_RESUME,
    KA_FILTER,
    KA_NEW,
    KA_TIMEOUT,
    KA_EXTEND,
    KA_DETAIL,
    KA_MARK,
    KA_SHELL,
    KA_ANOTHER_SHELL,
    KA_FILES,
    KA_LOGS,
    KA_QUIT,     /* global */
    KA_HELP,     /* global */
    KA_COMMAND,  /* global */
    KA_MESSAGES, /* global: `:messages` */
    KA_N
};

struct keyspec {
    int ch; /* a code point (is_key 0) or a KEY_* code (is_key 1); Enter is '\r' */
    int is_key;
};

/* The actions of the other views (keymap_views.c), each "VIEW.name" in [keys]. */
#define KEYMAP_VIEW_ACTS 91

struct keymap {
    struct keyspec key[KA_N];              /* effective */
    struct keyspec vkey[KEYMAP_VIEW_ACTS]; /* effective, keymap_views.c's order */
};

#define KEYMAP_NAME_MAX 16

/* All defaults. */
void keymap_init(struct keymap *km);
/* "kill" -> KA_KILL; -1 when unknown. */
int keymap_action_by_name(const char *name);
const char *keymap_action_name(enum keymap_action act);
/* Key syntax: one printable ASCII character ("K", "/", "?"), C-x (Ctrl and a letter), F1..F12,
 * Enter, Space, Tab, Esc (names case-insensitive). Returns 0 or -1. */
int keymap_parse_key(const char *s, struct keyspec *k);
/* The display name in the same syntax ("K", "C-x", "F5", "Enter"). */
void keymap_key_name(const struct keyspec *k, char *out, size_t n);
/* For the screen: like keymap_key_name but the named keys translated ("Space" is
 * "Leertaste" in German). */
const char *keymap_label(const struct keymap *km, enum keymap_action act, char *out, size_t n);
/* The effective key of an action, as a name (static per call site: out is the caller's). */
const char *keymap_name(const struct keymap *km, enum keymap_action act, char *out, size_t n);
/* Apply a config file's [keys] (file names the file in messages "FILE:LINE: ..."). Unknown
 * actions, bad key syntax, a key held by a fixed binding, two actions on one key and a quit
 * path (quit, command) on a key some terminal may not send are errors; km then keeps the
 * defaults. */
int keymap_apply(struct keymap *km, const struct config_keybind *binds, int n, const char *file,
                 struct error *err);
/* Translate a pressed key (see the top of this file). all: 1 for an opted-in view (every
 * action), 0 for the global actions only. Returns 1 when *ch and *is_key now hold the action's
 * default key, 0 when the key is not a rebound one (unchanged), -1 when the key is the old
 * default of a moved action and must be ignored. */
int keymap_translate(const struct keymap *km, int all, int *ch, int *is_key);

/* ---- the other views (keymap_views.c) ---- */
void keymap_views_init(struct keymap *km);
/* 1 when view ("logs", "files", ...) has actions of its own. */
int keymap_views_known(const char *view);
/* The index of VIEW's action name, or -1. */
int keymap_views_find(const char *view, const char *name);
const char *keymap_views_name(int i, const char **view);
int keymap_views_default_of(int i, struct keyspec *k);
/* "follow, level, ..." of a view, for messages. */
void keymap_views_list(const char *view, char *out, size_t n);
/* Two actions of one view on one key: 1 and their indexes. */
int keymap_views_conflict(const struct keymap *km, int *a, int *b);
/* Like keymap_translate for the view whose view_ops.name is ops_name (every action of it). */
int keymap_translate_view(const struct keymap *km, const char *ops_name, int *ch, int *is_key);
/* 1 when some action of that view is not on its default key. */
int keymap_views_moved(const struct keymap *km, const char *ops_name);
/* A footer (help 0) or a help row's keys (help 1) with the default key names of moved actions
 * replaced by their keys. */
void keymap_rewrite(const struct keymap *km, const char *ops_name, const char *in, int help,
                    char *out, size_t n);

#endif
