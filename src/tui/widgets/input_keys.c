/* input_keys.c - terminal keys (ncurses KEY_* and control characters) as struct input's key
 * codes: the one mapping the prompt (app_input.c) and the forms (view_webhooks_form.c) share.
 * Apart from input.c so that the widget itself stays free of ncurses. */
#include "config.h"

#include <curses.h>

#include "input.h"

int input_key_code(int ch, int is_key)
{
    if (is_key) {
        switch (ch) {
        case KEY_LEFT:
            return INPUT_KEY_LEFT;
        case KEY_RIGHT:
            return INPUT_KEY_RIGHT;
        case KEY_HOME:
            return INPUT_KEY_HOME;
        case KEY_END:
            return INPUT_KEY_END;
        case KEY_BACKSPACE:
            return INPUT_KEY_BACKSPACE;
        case KEY_DC:
            return INPUT_KEY_DELETE;
        case KEY_UP:
            return INPUT_KEY_UP;
        case KEY_DOWN:
            return INPUT_KEY_DOWN;
        case KEY_ENTER:
            return INPUT_KEY_ENTER;
        default:
            return 0;
        }
    }
    switch (ch) {
    case '\r':
    case '\n':
        return INPUT_KEY_ENTER;
    case 27:
    case 3: /* Ctrl-C as a key (a terminal tab's raw mode) */
        return INPUT_KEY_ESCAPE;
    case '\t':
        return INPUT_KEY_TAB;
    case 127:
    case 8:
        return INPUT_KEY_BACKSPACE;
    case 21:
        return INPUT_KEY_KILL_LINE;
    case 23:
        return INPUT_KEY_KILL_WORD;
    case 1:
        return INPUT_KEY_HOME;
    case 5:
        return INPUT_KEY_END;
    default:
        return ch;
    }
}
