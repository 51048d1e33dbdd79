/* term.h - the terminal engine: libvterm's parser and state machine driving our own grid,
 * scrollback ring, keyboard/mouse/paste encoders and copy-mode text access. It knows nothing
 * about the network or the app frame: a terminal view feeds it the pty's output bytes
 * (term_engine_write), sends what the output callback gives to the pty (terminal replies such as
 * DA/DSR and encoded keys), and draws dirty rows with term_render_row (term_render.h).
 *
 * Lines are addressed by "line numbers" relative to the top of the screen: 0..rows-1 are the
 * active screen (primary or alternate), -1 is the newest scrollback line and -history() the
 * oldest. A view scrolled back by k lines shows line (row - k) on its row `row`.
 * Not thread-safe; no global state; all memory is owned by the engine. */
#ifndef BOXTOP_TERM_H
#define BOXTOP_TERM_H

#include <stddef.h>
#include <stdint.h>

#include "boxtop/buf.h"
#include "boxtop/error.h"

#define TERM_CELL_CHARS         4           /* base character + up to 3 combining characters */
#define TERM_SCROLLBACK_DEFAULT 10000       /* lines */
#define TERM_CH_CONT            0xffffffffu /* ch[0] of the right half of a wide character */

/* Colours: 0 is the default colour; otherwise a tag in bits 24-25 and the value below. */
#define TERM_COLOUR_DEFAULT  0u
#define TERM_COLOUR_INDEXED  (1u << 24) /* | index 0..255 */
#define TERM_COLOUR_RGB      (2u << 24) /* | 0xRRGGBB */
#define TERM_COLOUR_TAG(c)   ((c)&0x3000000u)
#define TERM_COLOUR_VALUE(c) ((c)&0xffffffu)

enum term_attr {
    TERM_ATTR_BOLD = 1 << 0,
    TERM_ATTR_ITALIC = 1 << 1,
    TERM_ATTR_UNDERLINE = 1 << 2,
    TERM_ATTR_REVERSE = 1 << 3,
    TERM_ATTR_STRIKE = 1 << 4,
    TERM_ATTR_BLINK = 1 << 5,
    TERM_ATTR_PROTECTED = 1 << 7, /* DECSCA: survives selective erase */
};

/* One cell. An all-zero cell is a blank with default colours (so rows clear with memset). */
struct term_cell {
    uint32_t ch[TERM_CELL_CHARS]; /* 0-terminated unless full; ch[0]==0: blank */
    uint32_t fg, bg;              /* TERM_COLOUR_* */
    uint8_t attrs;                /* enum term_attr */
    uint8_t width;                /* 2 for the left half of a wide character, else 0 or 1 */
    uint16_t pad_;
};

enum term_mod { TERM_MOD_SHIFT = 1, TERM_MOD_ALT = 2, TERM_MOD_CTRL = 4 };

/* Keys that are not characters (mirrors libvterm's VTermKey without exposing it). */
enum term_key {
    TERM_KEY_ENTER = 1,
    TERM_KEY_TAB,
    TERM_KEY_BACKSPACE,
    TERM_KEY_ESCAPE,
    TERM_KEY_UP,
    TERM_KEY_DOWN,
    TERM_KEY_LEFT,
    TERM_KEY_RIGHT,
    TERM_KEY_INS,
    TERM_KEY_DEL,
    TERM_KEY_HOME,
    TERM_KEY_END,
    TERM_KEY_PGUP,
    TERM_KEY_PGDN,
    TERM_KEY_F0 = 100, /* TERM_KEY_F0 + n is Fn, n = 1..12 (and up to 24) */
};

/* Bytes for the pty: terminal replies and encoded input. Called synchronously from
 * term_engine_write and the term_engine_send_* functions. */
typedef void term_output_fn(const char *bytes, size_t len, void *user);

struct term_engine_opts {
    int rows, cols;       /* initial size, >= 1 */
    int scrollback_lines; /* <= 0: TERM_SCROLLBACK_DEFAULT */
    term_output_fn *output;
    void *user;
};

struct term_engine;

struct term_engine *term_engine_new(const struct term_engine_opts *opts, struct error *err);
void term_engine_free(struct term_engine *e);

/* Feed pty output: parses at most `cap` bytes of bytes[0..len) (cap 0 = no cap), stores the
 * number parsed in *used and returns 1 if bytes remain (call again on a later loop turn so
 * keys and redraws stay responsive) or 0 when all were parsed. Escape sequences and UTF-8 may
 * be split anywhere. Never allocates per byte. */
int term_engine_write(struct term_engine *e, const char *bytes, size_t len, size_t cap,
                      size_t *used);

/* Resize (rows, cols >= 1). No reflow: shrinking first drops blank rows under the cursor,
 * then pushes rows off the top into scrollback; growing pulls them back. 0 or -EINVAL. */
int term_engine_resize(struct term_engine *e, int rows, int cols);
void term_engine_size(const struct term_engine *e, int *rows, int *cols);

/* --- screen state for a view --- */
int term_engine_dirty(const struct term_engine *e, int row); /* row changed since last clean */
void term_engine_clean(struct term_engine *e);               /* clears all dirty flags */
/* Lines scrolled into scrollback since creation: a view scrolled back compares this to keep
 * its position (its top line number moves up by the difference). */
uint64_t term_engine_scrolled(const struct term_engine *e);
void term_engine_cursor(const struct term_engine *e, int *row, int *col, int *visible);
int term_engine_altscreen(const struct term_engine *e);     /* 1 while the alt screen is on */
int term_engine_mouse_mode(const struct term_engine *e);    /* 0 off, 1 click, 2 drag, 3 move */
int term_engine_reverse_video(const struct term_engine *e); /* DECSCNM */
/* Sanitized window title ("" if none); *changed (may be NULL) is set if it changed since the
 * previous call, which then clears the flag. */
const char *term_engine_title(struct term_engine *e, int *changed);
unsigned term_engine_take_bells(struct term_engine *e); /* bells since last call */
int term_engine_history(const struct term_engine *e);   /* scrollback lines held */

/* Cells of a line number (see top); *len is how many may be non-blank (the rest of the
 * row is blank with default colours). NULL if the line does not exist. */
const struct term_cell *term_engine_line(const struct term_engine *e, int line, int *len);

/* --- input to the pty (all go out through the output callback) --- */
int term_engine_send_char(struct term_engine *e, uint32_t cp, int mods); /* enum term_mod */
int term_engine_send_key(struct term_engine *e, enum term_key key, int mods);
/* A key as ncurses' get_wch returned it: is_keycode = (ret == KEY_CODE_YES). Knows KEY_*
 * (arrows, F1-F63 with xterm's shifted/ctrl/alt F13.., Home/End/PgUp/PgDn/Ins/Del, KEY_S*,
 * KEY_BTAB, KEY_ENTER, KEY_BACKSPACE) and the codes term_keys_learn_curses() found for
 * xterm's modified keys (kUP5 = Ctrl-Up, ...). Characters: '\r' and '\n' are Enter (sent as
 * '\r'), 0x7f/KEY_BACKSPACE is Backspace (0x7f), '\t' Tab, 27 Escape, other controls as is.
 * Returns 0, or -ENOENT for a key code it does not know (nothing sent). */
int term_engine_send_curses(struct term_engine *e, int is_keycode, uint32_t ch, int mods);
/* After initscr/newterm and keypad(win, TRUE): looks up the key codes ncurses assigned to xterm's
 * modified cursor/editing keys (kUP3..kUP7 etc.) so send_curses understands them. */
void term_engine_learn_curses_keys(struct term_engine *e);
/* Pasted text: bracketed (ESC[200~ ... ESC[201~) when the app enabled ?2004; ESC and C0
 * controls other than TAB/CR/LF are dropped so the paste cannot end the bracket or inject
 * commands, LF becomes CR as in xterm. */
int term_engine_send_paste(struct term_engine *e, const char *text, size_t len);
/* Mouse event at a 0-based screen cell; button 1-3, 4/5 wheel up/down, 0 for motion only.
 * Returns -ENOTSUP (nothing sent) unless the app enabled mouse reporting. */
int term_engine_send_mouse(struct term_engine *e, int row, int col, int button, int pressed,
                           int mods);

/* --- copy mode --- */
struct term_pos {
    int line; /* line number (see top) */
    int col;
};
/* Append the line's text as sanitized UTF-8 without trailing blanks. 0 or -ERANGE/-ENOMEM. */
int term_engine_line_text(const struct term_engine *e, int line, struct buf *out);
/* Find `needle` (UTF-8, case-sensitive) starting after `from` (forward) or before it
 * (backwards), over scrollback and screen. Returns 1 and *found = match start, or 0. */
int term_engine_search(const struct term_engine *e, const char *needle, struct term_pos from,
                       int backwards, struct term_pos *found);
/* Text from a to b inclusive (any order), lines joined by '\n', trailing blanks trimmed,
 * sanitized. For OSC 52. 0 or -ENOMEM. */
int term_engine_selection_text(const struct term_engine *e, struct term_pos a, struct term_pos b,
                               struct buf *out);

/* Structural self-check (tests, fuzzing): 0 if consistent, else a negative line number. */
int term_engine_check(const struct term_engine *e);

#endif
