/* input.h - a one-line text input with history and completion (pure: keys are plain ints, so
 * it is unit-tested without a terminal). Used by `/` filter, `:` command line and forms. */
#ifndef BOXTOP_TUI_INPUT_H
#define BOXTOP_TUI_INPUT_H

#include <stddef.h>

#define INPUT_MAX     512
#define INPUT_HISTORY 32

/* Key codes understood besides printable characters (the app maps ncurses keys to these). */
enum {
    INPUT_KEY_LEFT = -100,
    INPUT_KEY_RIGHT,
    INPUT_KEY_HOME,
    INPUT_KEY_END,
    INPUT_KEY_BACKSPACE,
    INPUT_KEY_DELETE,
    INPUT_KEY_UP,
    INPUT_KEY_DOWN,
    INPUT_KEY_TAB,
    INPUT_KEY_ENTER,
    INPUT_KEY_ESCAPE,
    INPUT_KEY_KILL_LINE, /* Ctrl-U */
    INPUT_KEY_KILL_WORD, /* Ctrl-W */
};

enum input_result { INPUT_NONE = 0, INPUT_CHANGED, INPUT_SUBMIT, INPUT_CANCEL };

struct input {
    char text[INPUT_MAX]; /* UTF-8, NUL-terminated */
    size_t len, cur;      /* bytes; cur is always on a character boundary */
    char *hist[INPUT_HISTORY];
    int nhist;
    int hpos;                 /* -1 when not browsing history */
    const char *const *cands; /* completion candidates (borrowed), NULL-terminated */
};

/* A terminal key (is_key: an ncurses KEY_*, else a character) as a key code of this widget
 * (INPUT_KEY_*, or the character itself); 0 for a key it does not use (input_keys.c). */
int input_key_code(int ch, int is_key);

void input_init(struct input *in);
void input_free(struct input *in);
void input_set(struct input *in, const char *text);
void input_clear(struct input *in);
/* Feed one key: a Unicode code point (>= 32) or an INPUT_KEY_* code. */
enum input_result input_key(struct input *in, int key);
/* Add text to the history (no duplicates in a row, empty skipped). */
void input_history_add(struct input *in, const char *text);
/* Complete the whole line against cands: a unique match is taken (plus a space), several
 * extend to their longest common prefix. Returns the number of matches. */
int input_complete(struct input *in, const char *const *cands);
/* A line drawn in room columns, scrolled so that its cursor shows: s is the text as drawn
 * (sanitized), cur the cursor's byte offset in it. Returns the byte offset of the first
 * character shown and the cursor's column from there in *col, by display width (a CJK
 * character or an emoji takes two); a wide character is never cut in half at the left, and
 * one under the cursor shows whole. */
size_t input_scroll(const char *s, size_t len, size_t cur, int room, int *col);

#endif
