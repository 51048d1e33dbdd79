/* term_engine.c - the bridge between libvterm's state layer and our grid.
 *
 * Design: libvterm 0.1.4's screen layer memmoves the whole screen for every scrolled line
 * (1.5 MB/s on `seq` output at 200x50, see libs-notes.md §1), so we use only its parser and
 * state machine (vterm_obtain_state + VTermStateCallbacks) and keep cells ourselves:
 *   putglyph    -> term_grid_put (combining characters arrive as a second putglyph of the
 *                  same cell with the longer chars array, so it simply overwrites)
 *   scrollrect  -> full-width: rotate line structs, lines leaving row 0 of the primary
 *                  screen go to the scrollback ring; return 1. Partial width: return 0 and
 *                  libvterm falls back to moverect + erase.
 *   erase/moverect/initpen/setpenattr/settermprop/bell/resize/movecursor -> grid and flags.
 * Terminal replies (DA, DSR, ...) and encoded keys leave through vterm's output callback,
 * which we forward to the caller's output function (it must reach the pty, or programs that
 * query the terminal hang). Input is parsed in caller-capped slices so keys stay responsive.
 *
 * libvterm 0.1.4 is not safe on hostile input by itself; before bytes reach it they are
 * copied into a NUL-terminated staging buffer (strncpy over-read on a cut OSC), CSI
 * parameter separators beyond 15 are dropped (args array overflow), UTF-8 sequences are
 * never split across writes (they would become U+FFFD), allocations get slack and the cursor
 * is clamped after each write (saved cursor not clamped on resize). Each is explained where
 * it is done and covered by test_term_engine and fuzz_term_input seeds. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/sanitize.h"
#include "term_internal.h"

#define TERM_TITLE_MAX 1024 /* bytes of a title we look at */
#define TERM_MAX_SIZE  4096 /* rows or columns */

/* libvterm 0.1.4 does not clamp the saved cursor (DECSC) on resize: after shrinking, ESC 8
 * restores a row beyond the screen and the state layer then reads and writes its lineinfo
 * array at that row (found by the random-bytes test: ESC 8 after 30 -> 15 rows left the
 * cursor at row 29). Rows never exceed TERM_MAX_SIZE, so every libvterm allocation gets
 * that many lineinfo entries of zeroed slack: the stray accesses stay inside memory it owns.
 * After each write a cursor outside the screen is also moved back in (clamp_cursor). */
#define TERM_VTERM_SLACK (TERM_MAX_SIZE * sizeof(VTermLineInfo) + 64)

static void *vt_malloc(size_t size, void *data)
{
    (void)data;
    return calloc(1, size + TERM_VTERM_SLACK);
}

static void vt_free(void *p, void *data)
{
    (void)data;
    free(p);
}

static struct term_grid *active(struct term_engine *e)
{
    return &e->grid[e->alt];
}

static uint32_t colour_from_vterm(const VTermColor *c, int is_bg)
{
    if (is_bg ? VTERM_COLOR_IS_DEFAULT_BG(c) : VTERM_COLOR_IS_DEFAULT_FG(c))
        return TERM_COLOUR_DEFAULT;
    if (VTERM_COLOR_IS_INDEXED(c)) return TERM_COLOUR_INDEXED | c->indexed.idx;
    return TERM_COLOUR_RGB | ((uint32_t)c->rgb.red << 16) | ((uint32_t)c->rgb.green << 8) |
           c->rgb.blue;
}

static int cb_putglyph(VTermGlyphInfo *info, VTermPos pos, void *user)
{
    struct term_engine *e = user;
    term_grid_put(active(e), pos.row, pos.col, info->chars, info->width, &e->pen,
                  info->protected_cell);
    if (info->width >= 1) { /* for REP (see csi_filter) */
        int i;
        for (i = 0; i < TERM_CELL_CHARS && info->chars[i]; i++)
            e->last_chars[i] = info->chars[i];
        e->last_nchars = i;
        e->last_width = info->width;
    }
    return 1;
}

static int cb_movecursor(VTermPos pos, VTermPos oldpos, int visible, void *user)
{
    struct term_engine *e = user;
    (void)pos;
    (void)oldpos;
    /* the position itself is read from the state when asked: libvterm 0.1.4 does not
     * report every change (a cursor restored beyond a shrunk screen and clamped back was
     * left stale here; found by fuzzing) */
    e->cur_visible = visible;
    return 1;
}

static void push_line(void *arg, const struct term_line *l, int cols)
{
    struct term_engine *e = arg;
    (void)cols;
    term_sb_push(&e->sb, l->cells, l->len);
}

static int cb_scrollrect(VTermRect rect, int downward, int rightward, void *user)
{
    struct term_engine *e = user;
    struct term_grid *g = active(e);
    if (rightward != 0 || rect.start_col != 0 || rect.end_col != g->cols || rect.start_row < 0 ||
        rect.end_row > g->rows)
        return 0; /* libvterm does moverect + erase */
    int to_sb = e->alt == 0 && rect.start_row == 0 && downward > 0;
    term_grid_scroll(g, rect.start_row, rect.end_row, downward, &e->pen, to_sb ? push_line : NULL,
                     e);
    return 1;
}

static int cb_moverect(VTermRect dest, VTermRect src, void *user)
{
    struct term_engine *e = user;
    term_grid_moverect(active(e), dest, src);
    return 1;
}

static int cb_erase(VTermRect rect, int selective, void *user)
{
    struct term_engine *e = user;
    term_grid_erase(active(e), rect.start_row, rect.end_row, rect.start_col, rect.end_col, &e->pen,
                    selective);
    return 1;
}

static int cb_initpen(void *user)
{
    struct term_engine *e = user;
    memset(&e->pen, 0, sizeof e->pen);
    return 1;
}

static void set_attr(struct term_engine *e, uint8_t bit, int on)
{
    if (on)
        e->pen.attrs |= bit;
    else
        e->pen.attrs &= (uint8_t)~bit;
}

static int cb_setpenattr(VTermAttr attr, VTermValue *val, void *user)
{
    struct term_engine *e = user;
    switch (attr) {
    case VTERM_ATTR_BOLD:
        set_attr(e, TERM_ATTR_BOLD, val->boolean);
        break;
    case VTERM_ATTR_UNDERLINE:
        set_attr(e, TERM_ATTR_UNDERLINE, val->number != 0);
        break;
    case VTERM_ATTR_ITALIC:
        set_attr(e, TERM_ATTR_ITALIC, val->boolean);
        break;
    case VTERM_ATTR_BLINK:
        set_attr(e, TERM_ATTR_BLINK, val->boolean);
        break;
    case VTERM_ATTR_REVERSE:
        set_attr(e, TERM_ATTR_REVERSE, val->boolean);
        break;
    case VTERM_ATTR_STRIKE:
        set_attr(e, TERM_ATTR_STRIKE, val->boolean);
        break;
    case VTERM_ATTR_FOREGROUND:
        e->pen.fg = colour_from_vterm(&val->color, 0);
        break;
    case VTERM_ATTR_BACKGROUND:
        e->pen.bg = colour_from_vterm(&val->color, 1);
        break;
    default:
        break;
    }
    return 1;
}

static void set_title(struct term_engine *e, const char *s)
{
    if (!s) s = "";
    char *raw = strndup(s, TERM_TITLE_MAX);
    char *clean = raw ? sanitize_dup(raw, 0) : NULL;
    free(raw);
    if (!clean) return; /* out of memory: keep the old title */
    if (!e->title || strcmp(e->title, clean) != 0) e->title_changed = 1;
    free(e->title);
    e->title = clean;
}

static int cb_settermprop(VTermProp prop, VTermValue *val, void *user)
{
    struct term_engine *e = user;
    switch (prop) {
    case VTERM_PROP_CURSORVISIBLE:
        e->cur_visible = val->boolean;
        break;
    case VTERM_PROP_ALTSCREEN: {
        int alt = val->boolean ? 1 : 0;
        if (alt != e->alt) {
            if (alt) { /* ?1049h saves the cursor right after this: remember its row */
                VTermPos p;
                vterm_state_get_cursorpos(e->state, &p);
                e->alt_saved_row = p.row;
                e->primary_shift = 0;
            }
            e->alt = alt;
            term_grid_dirty_all(active(e));
        }
        break;
    }
    case VTERM_PROP_TITLE:
        set_title(e, val->string);
        break;
    case VTERM_PROP_MOUSE:
        e->mouse = val->number;
        break;
    case VTERM_PROP_REVERSE:
        e->reverse = val->boolean;
        term_grid_dirty_all(active(e));
        break;
    default:
        break;
    }
    return 1;
}

static int cb_bell(void *user)
{
    struct term_engine *e = user;
    e->bells++;
    return 1;
}

static int cb_resize(int rows, int cols, VTermPos *delta, void *user)
{
    struct term_engine *e = user;
    int d[2] = {0, 0};
    for (int i = 0; i < 2; i++) {
        struct term_grid *g = &e->grid[i];
        /* the inactive screen has no live cursor: keep its bottom rows */
        VTermPos p;
        vterm_state_get_cursorpos(e->state, &p);
        int cursor_row = i == e->alt ? p.row : g->rows - 1;
        if (i == 0 && e->alt) { /* the primary keeps the rows around its saved cursor */
            cursor_row = e->alt_saved_row + e->primary_shift;
            if (cursor_row < 0) cursor_row = 0;
            if (cursor_row > g->rows - 1) cursor_row = g->rows - 1;
        }
        if (term_grid_resize(g, rows, cols, cursor_row, i == 0 ? &e->sb : NULL, &d[i]) < 0)
            return 0; /* out of memory: the old grid stays; term_engine_resize reports it */
    }
    if (e->alt) e->primary_shift += d[0];
    delta->row = d[e->alt];
    return 1;
}

static void cb_output(const char *s, size_t len, void *user)
{
    struct term_engine *e = user;
    if (e->output) e->output(s, len, e->user);
}

static const VTermStateCallbacks state_cbs = {
    .putglyph = cb_putglyph,
    .movecursor = cb_movecursor,
    .scrollrect = cb_scrollrect,
    .moverect = cb_moverect,
    .erase = cb_erase,
    .initpen = cb_initpen,
    .setpenattr = cb_setpenattr,
    .settermprop = cb_settermprop,
    .bell = cb_bell,
    .resize = cb_resize,
};

struct term_engine *term_engine_new(const struct term_engine_opts *opts, struct error *err)
{
    if (!opts || opts->rows < 1 || opts->cols < 1 || opts->rows > TERM_MAX_SIZE ||
        opts->cols > TERM_MAX_SIZE) {
        error_set(err, ERROR_USAGE, "terminal size out of range");
        return NULL;
    }
    struct term_engine *e = calloc(1, sizeof *e);
    if (!e) goto oom;
    e->output = opts->output;
    e->user = opts->user;
    e->cur_visible = 1;
    int sb = opts->scrollback_lines > 0 ? opts->scrollback_lines : TERM_SCROLLBACK_DEFAULT;
    if (term_grid_init(&e->grid[0], opts->rows, opts->cols) < 0 ||
        term_grid_init(&e->grid[1], opts->rows, opts->cols) < 0 || term_sb_init(&e->sb, sb) < 0)
        goto oom;
    e->alloc.malloc = vt_malloc;
    e->alloc.free = vt_free;
    e->vt = vterm_new_with_allocator(opts->rows, opts->cols, &e->alloc, NULL);
    if (!e->vt) goto oom;
    vterm_set_utf8(e->vt, 1);
    vterm_output_set_callback(e->vt, cb_output, e);
    e->state = vterm_obtain_state(e->vt);
    if (!e->state) goto oom;
    vterm_state_set_callbacks(e->state, &state_cbs, e);
    vterm_state_reset(e->state, 1);
    return e;
oom:
    term_engine_free(e);
    error_set(err, ERROR_GENERIC, "out of memory creating a terminal");
    return NULL;
}

void term_engine_free(struct term_engine *e)
{
    if (!e) return;
    if (e->vt) vterm_free(e->vt);
    term_grid_free(&e->grid[0]);
    term_grid_free(&e->grid[1]);
    term_sb_free(&e->sb);
    free(e->title);
    free(e);
}

/* Length of an incomplete UTF-8 sequence at the end of p[0..n) (0 if none). */
static size_t utf8_tail(const unsigned char *p, size_t n)
{
    for (size_t k = 1; k <= 3 && k <= n; k++) {
        unsigned c = p[n - k];
        if ((c & 0xc0) == 0x80) continue; /* continuation byte: look further back */
        size_t need = c >= 0xf0 && c <= 0xf4   ? 4
                      : c >= 0xe0 && c <= 0xef ? 3
                      : c >= 0xc2 && c <= 0xdf ? 2
                                               : 1;
        return need > k ? k : 0;
    }
    return 0;
}

/* Shared with term_text.c (declared in term_internal.h). */
size_t term_utf8_encode(char *out, uint32_t c)
{
    if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) c = 0xfffd;
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xc0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3f));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xe0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
        out[2] = (char)(0x80 | (c & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
    out[3] = (char)(0x80 | (c & 0x3f));
    return 4;
}

/* Copy p[0..n) to out, dropping CSI parameter separators beyond TERM_CSI_SEPS: libvterm
 * 0.1.4's parser stores each ';' or ':' into args[++argi] without a bound (CSI_ARGS_MAX 16),
 * so "ESC [" followed by 17 colons or 19 semicolons overwrites the parser's own pointers
 * and crashes (a SEGV or a bad free in vterm_free, found by fuzzing; a one-line printf in a
 * sandbox would take boxtop down). Tracks only ESC, '[', separators and the CSI's end;
 * ESC is found with memchr so ordinary text is copied in bulk. Also neutralizes REP (see
 * below) and then stops. Returns the output length; *consumed = input bytes used. */
static size_t csi_filter(struct term_engine *e, const char *p, size_t n, char *out,
                         size_t *consumed)
{
    size_t i = 0, o = 0;
    while (i < n) {
        if (e->esc_state == 0) {
            const char *esc = memchr(p + i, 0x1b, n - i);
            size_t k = esc ? (size_t)(esc - (p + i)) : n - i;
            memcpy(out + o, p + i, k);
            o += k;
            i += k;
            if (!esc) break;
            out[o++] = p[i++];
            e->esc_state = 1;
            continue;
        }
        unsigned char c = (unsigned char)p[i++];
        if (e->esc_state == 1) {
            /* libvterm stays in the escape over C0 controls, intermediates and bytes
             * >= 0x80 ("ESC \x19 [" and "ESC \xcd [" start a CSI too; fuzzing found
             * both), so only '[' and the escape's final bytes move on from here */
            if (c == '[')
                e->esc_state = 2;
            else if ((c >= 0x30 && c <= 0x7e) || c == 0x18 || c == 0x1a)
                e->esc_state = 0;
            e->csi_seps = 0;
            e->csi_plain = 1;
            e->csi_dec = 0;
            e->csi_arg0 = 0;
        } else if (c == ';' || c == ':') {
            if (e->csi_seps >= TERM_CSI_SEPS) continue; /* dropped */
            e->csi_seps++;
        } else if (c == 0x1b) {
            e->esc_state = 1;
        } else if (c >= '0' && c <= '9') {
            if (e->csi_seps == 0 && e->csi_arg0 < 100000)
                e->csi_arg0 = e->csi_arg0 * 10 + (c - '0');
        } else if ((c >= 0x20 && c <= 0x2f) || (c >= 0x3c && c <= 0x3f)) {
            e->csi_plain = 0; /* intermediate or private leader: not REP */
            if (c == '?' && e->csi_seps == 0 && e->csi_arg0 == 0) e->csi_dec = 1;
        } else if ((c >= 0x40 && c <= 0x7e) || c == 0x18 || c == 0x1a) {
            e->esc_state = 0; /* final byte, or CAN/SUB abort the sequence */
            if (c == 'b' && e->csi_plain) {
                /* REP: libvterm 0.1.4 loops forever repeating a zero-width "last
                 * character" (after ESC[b with nothing printed yet, or after U+200B; found
                 * by fuzzing). Turn it into a CSI libvterm ignores and repeat the last
                 * glyph ourselves (do_rep) once the bytes before it are parsed. */
                out[o++] = '|';
                e->rep_pending = e->csi_arg0 ? e->csi_arg0 : 1;
                break;
            }
            if (c == 'l' && e->csi_dec && e->csi_arg0 == 1049) {
                /* leaving the alternate screen: stop here so that the restored cursor is
                 * moved with the primary's lines before anything else is written */
                out[o++] = (char)c;
                e->leave_1049 = 1;
                break;
            }
        }
        out[o++] = (char)c;
    }
    *consumed = i;
    return o;
}

/* Write stage[0..n) (NUL after it) to libvterm. */
static void stage_write(struct term_engine *e, size_t n)
{
    e->stage[n] = 0;
    size_t done = 0;
    while (done < n) { /* 0.1.4 always takes everything; loop in case a version does not */
        size_t w = vterm_input_write(e->vt, e->stage + done, n - done);
        if (w == 0) break;
        done += w;
    }
}

/* REP as xterm does it: print the last graphic character count more times. */
static void do_rep(struct term_engine *e, long count)
{
    if (e->last_width < 1) return; /* nothing printable to repeat */
    const struct term_grid *g = &e->grid[e->alt];
    long most = (long)g->rows * g->cols;
    if (count > most) count = most;
    char one[4 * TERM_CELL_CHARS];
    size_t len = 0;
    for (int i = 0; i < e->last_nchars; i++)
        len += term_utf8_encode(one + len, e->last_chars[i]);
    size_t n = 0;
    for (long k = 0; k < count; k++) {
        if (n + len > TERM_STAGE) {
            stage_write(e, n);
            n = 0;
        }
        memcpy(e->stage + n, one, len);
        n += len;
    }
    stage_write(e, n);
}

/* ?1049l restored the cursor saved at ?1049h, but resizes under the alternate screen moved
 * the primary's lines (into or out of the scrollback, cb_resize) and libvterm 0.1.4 does not
 * move its saved cursor with them: put it on the row its line is on now. */
static void feed(struct term_engine *e, const char *p, size_t n);

static void restore_shifted_cursor(struct term_engine *e)
{
    e->leave_1049 = 0;
    int shift = e->primary_shift;
    e->primary_shift = 0;
    if (e->alt || shift == 0) return;
    VTermPos p;
    vterm_state_get_cursorpos(e->state, &p);
    int r = e->alt_saved_row + shift, rows = e->grid[0].rows, cols = e->grid[0].cols;
    r = r < 0 ? 0 : r >= rows ? rows - 1 : r;
    int c = p.col < 0 ? 0 : p.col >= cols ? cols - 1 : p.col;
    char seq[32];
    int n = snprintf(seq, sizeof seq, "\x1b[%d;%dH", r + 1, c + 1);
    feed(e, seq, (size_t)n);
}

/* libvterm 0.1.4's parser copies an unfinished string sequence (OSC ...) at the end of a
 * write with strncpy and a length that can run past the bytes it was given (fuzzing found a
 * 5-byte read after the buffer, ASan heap-buffer-overflow in append_strbuffer's strncpy). So
 * it only ever sees our staging buffer, in which a NUL follows the bytes: strncpy stops
 * there. Blocks never end inside a UTF-8 sequence (see term_engine_write); the CSI filter
 * drops only ASCII separators, so the filtered block does not either. */
static void feed(struct term_engine *e, const char *p, size_t n)
{
    while (n > 0) {
        size_t k = n < TERM_STAGE ? n : TERM_STAGE;
        if (k < n) {
            size_t tail = utf8_tail((const unsigned char *)p, k);
            if (tail < k) k -= tail;
        }
        size_t used;
        size_t m = csi_filter(e, p, k, e->stage, &used);
        stage_write(e, m);
        if (e->leave_1049) restore_shifted_cursor(e);
        if (e->rep_pending) {
            long count = e->rep_pending;
            e->rep_pending = 0;
            do_rep(e, count);
        }
        p += used;
        n -= used;
    }
}

/* See TERM_VTERM_SLACK: keep libvterm's cursor on the screen. */
static void clamp_cursor(struct term_engine *e)
{
    VTermPos p;
    vterm_state_get_cursorpos(e->state, &p);
    const struct term_grid *g = &e->grid[e->alt];
    if (p.row >= 0 && p.row < g->rows && p.col >= 0 && p.col < g->cols) return;
    int r = p.row < 0 ? 0 : p.row >= g->rows ? g->rows - 1 : p.row;
    int c = p.col < 0 ? 0 : p.col >= g->cols ? g->cols - 1 : p.col;
    char seq[32];
    int n = snprintf(seq, sizeof seq, "\x1b[%d;%dH", r + 1, c + 1);
    feed(e, seq, (size_t)n);
}

/* libvterm 0.1.4 turns a UTF-8 sequence split across two vterm_input_write calls into
 * U+FFFD when text precedes it in the first call (seen with a spike: "A\xe6\xbc" then "\xa2"
 * gave 'A', U+FFFD). So an incomplete sequence at the end of a slice is held back (at most 3
 * bytes) and fed together with the bytes that complete it. */
int term_engine_write(struct term_engine *e, const char *bytes, size_t len, size_t cap,
                      size_t *used)
{
    size_t n = len;
    if (cap && n > cap) n = cap;
    size_t off = 0;
    const unsigned char *u = (const unsigned char *)bytes;
    if (e->nheld && n > 0) {
        /* complete the held sequence with up to 3 more continuation bytes */
        char tmp[8];
        size_t h = e->nheld;
        memcpy(tmp, e->held, h);
        while (off < n && off < 3 && (u[off] & 0xc0) == 0x80 &&
               utf8_tail((const unsigned char *)tmp, h) == h)
            tmp[h++] = (char)u[off++];
        e->nheld = 0;
        if (utf8_tail((const unsigned char *)tmp, h) == h && off == n && h < 4) {
            memcpy(e->held, tmp, h); /* still incomplete and nothing more in this slice */
            e->nheld = h;
        } else {
            feed(e, tmp, h);
        }
    }
    if (off < n) {
        size_t tail = utf8_tail(u + off, n - off);
        feed(e, bytes + off, n - off - tail);
        memcpy(e->held, bytes + n - tail, tail);
        e->nheld = tail;
    }
    clamp_cursor(e);
    if (used) *used = n;
    return n < len;
}

int term_engine_resize(struct term_engine *e, int rows, int cols)
{
    if (rows < 1 || cols < 1 || rows > TERM_MAX_SIZE || cols > TERM_MAX_SIZE) return -EINVAL;
    vterm_set_size(e->vt, rows, cols);
    /* libvterm 0.1.4 clamps only the bottom of the scroll region on resize: with ESC[3;5r
     * and then 1 row, the next scroll memmoves its lineinfo with a negative length (crash,
     * found by fuzzing). Reset the region as xterm does on resize (apps redraw on SIGWINCH)
     * and put the cursor back where it was; ESC[r homes it. */
    VTermPos p;
    vterm_state_get_cursorpos(e->state, &p);
    char seq[48];
    int n = snprintf(seq, sizeof seq, "\x1b[r\x1b[%d;%dH", (p.row < rows ? p.row : rows - 1) + 1,
                     (p.col < cols ? p.col : cols - 1) + 1);
    feed(e, seq, (size_t)n);
    if (e->grid[0].rows != rows || e->grid[0].cols != cols || e->grid[1].rows != rows ||
        e->grid[1].cols != cols)
        return -ENOMEM;
    return 0;
}

void term_engine_size(const struct term_engine *e, int *rows, int *cols)
{
    if (rows) *rows = e->grid[e->alt].rows;
    if (cols) *cols = e->grid[e->alt].cols;
}

int term_engine_dirty(const struct term_engine *e, int row)
{
    const struct term_grid *g = &e->grid[e->alt];
    return row >= 0 && row < g->rows && g->dirty[row];
}

void term_engine_clean(struct term_engine *e)
{
    struct term_grid *g = active(e);
    memset(g->dirty, 0, (size_t)g->rows);
}

uint64_t term_engine_scrolled(const struct term_engine *e)
{
    return e->sb.pushed;
}

void term_engine_cursor(const struct term_engine *e, int *row, int *col, int *visible)
{
    const struct term_grid *g = &e->grid[e->alt];
    VTermPos p;
    vterm_state_get_cursorpos(e->state, &p);
    int r = p.row, c = p.col;
    r = r < 0 ? 0 : r >= g->rows ? g->rows - 1 : r;
    c = c < 0 ? 0 : c >= g->cols ? g->cols - 1 : c;
    if (row) *row = r;
    if (col) *col = c;
    if (visible) *visible = e->cur_visible;
}

int term_engine_altscreen(const struct term_engine *e)
{
    return e->alt;
}

int term_engine_mouse_mode(const struct term_engine *e)
{
    return e->mouse;
}

int term_engine_reverse_video(const struct term_engine *e)
{
    return e->reverse;
}

const char *term_engine_title(struct term_engine *e, int *changed)
{
    if (changed) *changed = e->title_changed;
    e->title_changed = 0;
    return e->title ? e->title : "";
}

unsigned term_engine_take_bells(struct term_engine *e)
{
    unsigned n = e->bells;
    e->bells = 0;
    return n;
}

int term_engine_history(const struct term_engine *e)
{
    return e->sb.count;
}

const struct term_cell *term_engine_line(const struct term_engine *e, int line, int *len)
{
    static const struct term_cell empty[1];
    const struct term_grid *g = &e->grid[e->alt];
    if (line >= 0) {
        if (line >= g->rows) return NULL;
        *len = g->lines[line].len;
        return g->lines[line].cells;
    }
    const struct term_sbline *s = term_sb_get(&e->sb, e->sb.count + line);
    if (!s) return NULL;
    *len = s->len;
    return s->cells ? s->cells : empty;
}

static int check_cells(const struct term_cell *c, int len, int cols)
{
    for (int i = 0; i < cols; i++) {
        if (i >= len && !term_cell_blank(&c[i])) return -1;
        if (c[i].width > 2 || (c[i].ch[0] == TERM_CH_CONT && c[i].width != 0)) return -1;
    }
    return 0;
}

int term_engine_check(const struct term_engine *e)
{
    for (int i = 0; i < 2; i++) {
        const struct term_grid *g = &e->grid[i];
        if (g->rows < 1 || g->cols < 1 || g->rows != e->grid[0].rows || g->cols != e->grid[0].cols)
            return -1;
        unsigned char *seen = calloc((size_t)g->rows, 1);
        if (!seen) return -1;
        int bad = 0;
        for (int r = 0; r < g->rows && !bad; r++) {
            const struct term_line *l = &g->lines[r];
            ptrdiff_t off = l->cells - g->block;
            if (off < 0 || off % g->cols || off / g->cols >= g->rows || seen[off / g->cols]++)
                bad = -2;
            else if (l->len < 0 || l->len > g->cols || check_cells(l->cells, l->len, g->cols))
                bad = -3;
        }
        free(seen);
        if (bad) return bad;
    }
    if (e->sb.count < 0 || e->sb.count > e->sb.max) return -4;
    for (int i = 0; i < e->sb.count; i++) {
        const struct term_sbline *s = term_sb_get(&e->sb, i);
        if (!s || s->len < 0 || s->len > s->cap || (s->len && !s->cells)) return -5;
    }
    VTermPos p;
    vterm_state_get_cursorpos(e->state, &p);
    if (p.row < 0 || p.row >= e->grid[0].rows || p.col < 0 || p.col >= e->grid[0].cols) return -6;
    return 0;
}
