/* term_keys.c - keyboard, paste and mouse input to the pty, encoded by libvterm's keyboard
 * and mouse functions (they honour the modes the app set: DECCKM, bracketed paste, mouse
 * protocol); the bytes leave through the engine's output callback. Also maps ncurses key
 * codes (get_wch) onto those keys, including the codes ncurses assigns at run time to xterm's
 * modified keys (kUP5 = Ctrl-Up, ...). */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "term_internal.h"

static VTermModifier vmod(int mods)
{
    int m = 0;
    if (mods & TERM_MOD_SHIFT) m |= VTERM_MOD_SHIFT;
    if (mods & TERM_MOD_ALT) m |= VTERM_MOD_ALT;
    if (mods & TERM_MOD_CTRL) m |= VTERM_MOD_CTRL;
    return (VTermModifier)m;
}

int term_engine_send_char(struct term_engine *e, uint32_t cp, int mods)
{
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return -EINVAL;
    vterm_keyboard_unichar(e->vt, cp, vmod(mods));
    return 0;
}

int term_engine_send_key(struct term_engine *e, enum term_key key, int mods)
{
    static const VTermKey map[] = {
        [TERM_KEY_ENTER] = VTERM_KEY_ENTER,
        [TERM_KEY_TAB] = VTERM_KEY_TAB,
        [TERM_KEY_BACKSPACE] = VTERM_KEY_BACKSPACE,
        [TERM_KEY_ESCAPE] = VTERM_KEY_ESCAPE,
        [TERM_KEY_UP] = VTERM_KEY_UP,
        [TERM_KEY_DOWN] = VTERM_KEY_DOWN,
        [TERM_KEY_LEFT] = VTERM_KEY_LEFT,
        [TERM_KEY_RIGHT] = VTERM_KEY_RIGHT,
        [TERM_KEY_INS] = VTERM_KEY_INS,
        [TERM_KEY_DEL] = VTERM_KEY_DEL,
        [TERM_KEY_HOME] = VTERM_KEY_HOME,
        [TERM_KEY_END] = VTERM_KEY_END,
        [TERM_KEY_PGUP] = VTERM_KEY_PAGEUP,
        [TERM_KEY_PGDN] = VTERM_KEY_PAGEDOWN,
    };
    VTermKey k;
    if (key > TERM_KEY_F0 && key <= TERM_KEY_F0 + 24)
        k = (VTermKey)VTERM_KEY_FUNCTION(key - TERM_KEY_F0);
    else if ((int)key > 0 && (size_t)key < sizeof map / sizeof map[0] && map[key])
        k = map[key];
    else
        return -EINVAL;
    vterm_keyboard_key(e->vt, k, vmod(mods));
    return 0;
}

static int curses_key(int code, enum term_key *key, int *mods)
{
    *mods = 0;
    if (code >= KEY_F(1) && code <= KEY_F(63)) {
        /* xterm terminfo: F13-F24 = Shift-F1..F12, F25-36 Ctrl, F37-48 Ctrl-Shift,
         * F49-60 Alt, F61-63 Alt-Shift */
        int n = code - KEY_F(0) - 1, group = n / 12;
        static const int gm[] = {0,
                                 TERM_MOD_SHIFT,
                                 TERM_MOD_CTRL,
                                 TERM_MOD_CTRL | TERM_MOD_SHIFT,
                                 TERM_MOD_ALT,
                                 TERM_MOD_ALT | TERM_MOD_SHIFT};
        *key = (enum term_key)(TERM_KEY_F0 + n % 12 + 1);
        *mods = gm[group];
        return 0;
    }
    switch (code) {
    case KEY_UP:
        *key = TERM_KEY_UP;
        break;
    case KEY_DOWN:
        *key = TERM_KEY_DOWN;
        break;
    case KEY_LEFT:
        *key = TERM_KEY_LEFT;
        break;
    case KEY_RIGHT:
        *key = TERM_KEY_RIGHT;
        break;
    case KEY_HOME:
        *key = TERM_KEY_HOME;
        break;
    case KEY_END:
        *key = TERM_KEY_END;
        break;
    case KEY_PPAGE:
        *key = TERM_KEY_PGUP;
        break;
    case KEY_NPAGE:
        *key = TERM_KEY_PGDN;
        break;
    case KEY_IC:
        *key = TERM_KEY_INS;
        break;
    case KEY_DC:
        *key = TERM_KEY_DEL;
        break;
    case KEY_BACKSPACE:
        *key = TERM_KEY_BACKSPACE;
        break;
    case KEY_ENTER:
        *key = TERM_KEY_ENTER;
        break;
    case KEY_BTAB:
        *key = TERM_KEY_TAB, *mods = TERM_MOD_SHIFT;
        break;
    case KEY_SR:
        *key = TERM_KEY_UP, *mods = TERM_MOD_SHIFT;
        break;
    case KEY_SF:
        *key = TERM_KEY_DOWN, *mods = TERM_MOD_SHIFT;
        break;
    case KEY_SLEFT:
        *key = TERM_KEY_LEFT, *mods = TERM_MOD_SHIFT;
        break;
    case KEY_SRIGHT:
        *key = TERM_KEY_RIGHT, *mods = TERM_MOD_SHIFT;
        break;
    case KEY_SHOME:
        *key = TERM_KEY_HOME, *mods = TERM_MOD_SHIFT;
        break;
    case KEY_SEND:
        *key = TERM_KEY_END, *mods = TERM_MOD_SHIFT;
        break;
    case KEY_SPREVIOUS:
        *key = TERM_KEY_PGUP, *mods = TERM_MOD_SHIFT;
        break;
    case KEY_SNEXT:
        *key = TERM_KEY_PGDN, *mods = TERM_MOD_SHIFT;
        break;
    case KEY_SIC:
        *key = TERM_KEY_INS, *mods = TERM_MOD_SHIFT;
        break;
    case KEY_SDC:
        *key = TERM_KEY_DEL, *mods = TERM_MOD_SHIFT;
        break;
    default:
        return -ENOENT;
    }
    return 0;
}

int term_engine_send_curses(struct term_engine *e, int is_keycode, uint32_t ch, int mods)
{
    if (is_keycode) {
        enum term_key key;
        int m;
        if (curses_key((int)ch, &key, &m) < 0) {
            int i;
            for (i = 0; i < e->nlearned && e->learned[i].code != (int)ch; i++)
                ;
            if (i == e->nlearned) return -ENOENT;
            key = e->learned[i].key;
            m = e->learned[i].mods;
        }
        return term_engine_send_key(e, key, m | mods);
    }
    switch (ch) {
    case '\r':
    case '\n':
        return term_engine_send_key(e, TERM_KEY_ENTER, mods);
    case '\t':
        return term_engine_send_key(e, TERM_KEY_TAB, mods);
    case 0x7f:
        return term_engine_send_key(e, TERM_KEY_BACKSPACE, mods);
    case 0x1b:
        return term_engine_send_key(e, TERM_KEY_ESCAPE, mods);
    default:
        return term_engine_send_char(e, ch, mods);
    }
}

void term_engine_learn_curses_keys(struct term_engine *e)
{
    static const struct {
        const char *name;
        enum term_key key;
    } base[] = {
        {"kUP", TERM_KEY_UP},     {"kDN", TERM_KEY_DOWN},  {"kLFT", TERM_KEY_LEFT},
        {"kRIT", TERM_KEY_RIGHT}, {"kHOM", TERM_KEY_HOME}, {"kEND", TERM_KEY_END},
        {"kPRV", TERM_KEY_PGUP},  {"kNXT", TERM_KEY_PGDN}, {"kIC", TERM_KEY_INS},
        {"kDC", TERM_KEY_DEL},
    };
    /* xterm's modifier suffixes: 2 Shift, 3 Alt, 4 Shift-Alt, 5 Ctrl, 6 Ctrl-Shift,
     * 7 Ctrl-Alt */
    static const int suffix_mods[] = {0,
                                      0,
                                      TERM_MOD_SHIFT,
                                      TERM_MOD_ALT,
                                      TERM_MOD_SHIFT | TERM_MOD_ALT,
                                      TERM_MOD_CTRL,
                                      TERM_MOD_CTRL | TERM_MOD_SHIFT,
                                      TERM_MOD_CTRL | TERM_MOD_ALT};
    e->nlearned = 0;
    for (size_t i = 0; i < sizeof base / sizeof base[0]; i++) {
        for (int s = 2; s <= 7; s++) {
            char name[16];
            snprintf(name, sizeof name, "%s%d", base[i].name, s);
            /* the capability holds the sequence; ncurses bound it to a key code when
             * keypad() was turned on */
            const char *seq = tigetstr(name);
            int code = seq && seq != (const char *)-1 ? key_defined(seq) : 0;
            if (code > 0 && e->nlearned < TERM_LEARNED_KEYS)
                e->learned[e->nlearned++] =
                    (struct term_keycode){code, base[i].key, suffix_mods[s]};
        }
    }
}

int term_engine_send_paste(struct term_engine *e, const char *text, size_t len)
{
    vterm_keyboard_start_paste(e->vt); /* sends ESC[200~ only if the app enabled ?2004 */
    char chunk[512];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\n')
            c = '\r';
        else if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f)
            continue;
        chunk[n++] = (char)c;
        if (n == sizeof chunk) {
            if (e->output) e->output(chunk, n, e->user);
            n = 0;
        }
    }
    if (n && e->output) e->output(chunk, n, e->user);
    vterm_keyboard_end_paste(e->vt);
    return 0;
}

int term_engine_send_mouse(struct term_engine *e, int row, int col, int button, int pressed,
                           int mods)
{
    if (!e->mouse) return -ENOTSUP;
    const struct term_grid *g = &e->grid[e->alt];
    if (row < 0 || col < 0 || row >= g->rows || col >= g->cols || button < 0 || button > 5)
        return -EINVAL;
    vterm_mouse_move(e->vt, row, col, vmod(mods));
    if (button) vterm_mouse_button(e->vt, button, pressed != 0, vmod(mods));
    return 0;
}
