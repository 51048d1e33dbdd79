/* app_paste.c - bracketed paste in boxtop's own UI (see app_paste.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boxtop/i18n.h"
#include "boxtop/sanitize.h"
#include "app.h"
#include "app_paste.h"

#define PASTE_MAX      (1024 * 1024) /* bytes kept of one paste */
#define PASTE_STALL_MS 3000          /* a paste quiet this long ended without its ESC[201~ */
/* codes for the brackets when the terminfo entry has none: far above ncurses' own extended
 * key codes, which count up from KEY_MAX + 1 */
#define PASTE_BEGIN_CODE (KEY_MAX + 0x1000)
#define PASTE_END_CODE   (KEY_MAX + 0x1001)

void app_paste_mode(int on)
{
    static const char on_seq[] = "\033[?2004h", off_seq[] = "\033[?2004l";
    const char *s = on ? on_seq : off_seq;
    ssize_t w = write(STDOUT_FILENO, s, strlen(s));
    (void)w; /* a terminal that is gone needs no paste mode */
}

static int bracket_key(const char *seq, int code)
{
    int have = key_defined(seq);
    if (have > 0) return have;
    return define_key(seq, code) == OK ? code : 0;
}

void app_paste_init(struct app *a)
{
    a->paste.begin_key = bracket_key("\033[200~", PASTE_BEGIN_CODE);
    a->paste.end_key = bracket_key("\033[201~", PASTE_END_CODE);
}

void app_paste_free(struct app *a)
{
    buf_free(&a->paste.text);
}

static size_t utf8_put(char *out, uint32_t c)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    if (c > 0x10FFFF) return 0;
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* Decode one UTF-8 character of sanitized text (valid UTF-8); returns its length. */
static size_t utf8_get(const unsigned char *s, size_t len, uint32_t *cp)
{
    size_t n = s[0] < 0x80 ? 1 : s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : 4;
    if (n > len) n = len;
    uint32_t v = n == 1 ? s[0] : (uint32_t)(s[0] & (0x7F >> n));
    for (size_t i = 1; i < n; i++)
        v = (v << 6) | (s[i] & 0x3F);
    *cp = v;
    return n;
}

/* Text for a prompt or a form: one line, no controls or escape sequences (the sanitizer:
 * newlines and tabs become spaces), typed in character by character. */
static void type_text(struct app *a, app_key_fn key, const char *text, size_t len)
{
    struct buf clean = BUF_INIT;
    char *copy = malloc(len ? len : 1);
    if (!copy) return;
    for (size_t i = 0; i < len; i++) /* a lone CR (a terminal's newline) is a newline too */
        copy[i] = text[i] == '\r' ? '\n' : text[i];
    if (sanitize_append(&clean, copy, len, 0) == 0) {
        const unsigned char *s = (const unsigned char *)buf_cstr(&clean);
        for (size_t i = 0; i < clean.len;) {
            uint32_t cp;
            i += utf8_get(s + i, clean.len - i, &cp);
            key(a, (int)cp, 0);
        }
    }
    free(copy);
    buf_free(&clean);
}

static void deliver(struct app *a, app_key_fn key)
{
    struct app_paste *p = &a->paste;
    const char *text = buf_cstr(&p->text);
    size_t len = p->text.len;
    struct view *v = app_top(a);
    if (len == 0) {
        /* nothing */
    } else if (a->mode == MODE_PROMPT) {
        type_text(a, key, text, len);
    } else if (a->mode != MODE_NORMAL || a->too_small || !v) {
        app_status(a, STATUS_INFO, "%s", _("paste ignored: no text field here"));
    } else if (v->ops->paste) {
        v->ops->paste(v, a, text, len);
    } else if (v->ops->typing && v->ops->typing(v)) {
        type_text(a, key, text, len);
    } else {
        app_status(a, STATUS_INFO, "%s", _("paste ignored: no text field here"));
    }
    if (p->cut) app_status(a, STATUS_WARN, "%s", _("paste cut at 1 MiB"));
    buf_reset(&p->text);
    p->on = 0;
    p->cut = 0;
}

int app_paste_key(struct app *a, int ch, int is_key, app_key_fn key)
{
    struct app_paste *p = &a->paste;
    if (is_key && p->begin_key && ch == p->begin_key) {
        if (p->on) deliver(a, key); /* a nested begin: the first paste lost its end */
        p->on = 1;
        p->last_ms = loop_now_ms();
        return 1;
    }
    if (is_key && p->end_key && ch == p->end_key) {
        if (p->on) deliver(a, key);
        return 1; /* a stray end is no key either */
    }
    if (!p->on) return 0;
    p->last_ms = loop_now_ms();
    char u[8];
    const char *add = u;
    size_t n = 0;
    char *bound = NULL;
    if (is_key) {
        /* a sequence in the pasted text that curses read as a key: its bytes again */
        if (ch == KEY_RESIZE || ch == KEY_MOUSE) return 1;
        bound = keybound(ch, 0);
        add = bound;
        n = bound ? strlen(bound) : 0;
    } else {
        n = utf8_put(u, (uint32_t)ch);
    }
    if (p->text.len + n > PASTE_MAX)
        p->cut = 1;
    else if (n && buf_append(&p->text, add, n) < 0)
        p->cut = 1;
    free(bound);
    return 1;
}

void app_paste_check_stalled(struct app *a, app_key_fn key)
{
    if (a->paste.on && loop_now_ms() - a->paste.last_ms > PASTE_STALL_MS) deliver(a, key);
}
