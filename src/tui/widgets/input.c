/* input.c - one-line editor with history and completion (see input.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "boxtop/sanitize.h"
#include "input.h"

void input_init(struct input *in)
{
    memset(in, 0, sizeof(*in));
    in->hpos = -1;
}

void input_free(struct input *in)
{
    for (int i = 0; i < in->nhist; i++)
        free(in->hist[i]);
    in->nhist = 0;
}

void input_set(struct input *in, const char *text)
{
    size_t n = strlen(text);
    if (n >= INPUT_MAX) n = INPUT_MAX - 1;
    /* never cut a UTF-8 sequence */
    while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
        n--;
    memcpy(in->text, text, n);
    in->text[n] = '\0';
    in->len = in->cur = n;
}

void input_clear(struct input *in)
{
    in->text[0] = '\0';
    in->len = in->cur = 0;
    in->hpos = -1;
}

static size_t prev_char(const struct input *in, size_t p)
{
    if (p == 0) return 0;
    p--;
    while (p > 0 && ((unsigned char)in->text[p] & 0xC0) == 0x80)
        p--;
    return p;
}

static size_t next_char(const struct input *in, size_t p)
{
    if (p >= in->len) return in->len;
    p++;
    while (p < in->len && ((unsigned char)in->text[p] & 0xC0) == 0x80)
        p++;
    return p;
}

static void delete_range(struct input *in, size_t a, size_t b)
{
    memmove(in->text + a, in->text + b, in->len - b + 1);
    in->len -= b - a;
    if (in->cur > b)
        in->cur -= b - a;
    else if (in->cur > a)
        in->cur = a;
}

static int insert_cp(struct input *in, int cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        if (cp >= 0xD800 && cp < 0xE000) return 0;
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else if (cp < 0x110000) {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    } else {
        return 0;
    }
    if (in->len + n >= INPUT_MAX) return 0;
    memmove(in->text + in->cur + n, in->text + in->cur, in->len - in->cur + 1);
    memcpy(in->text + in->cur, u, n);
    in->len += n;
    in->cur += n;
    return 1;
}

static void history_show(struct input *in)
{
    if (in->hpos < 0)
        input_set(in, "");
    else
        input_set(in, in->hist[in->nhist - 1 - in->hpos]);
}

enum input_result input_key(struct input *in, int key)
{
    switch (key) {
    case INPUT_KEY_ENTER:
        return INPUT_SUBMIT;
    case INPUT_KEY_ESCAPE:
        return INPUT_CANCEL;
    case INPUT_KEY_LEFT:
        in->cur = prev_char(in, in->cur);
        return INPUT_NONE;
    case INPUT_KEY_RIGHT:
        in->cur = next_char(in, in->cur);
        return INPUT_NONE;
    case INPUT_KEY_HOME:
        in->cur = 0;
        return INPUT_NONE;
    case INPUT_KEY_END:
        in->cur = in->len;
        return INPUT_NONE;
    case INPUT_KEY_BACKSPACE:
        if (in->cur == 0) return INPUT_NONE;
        delete_range(in, prev_char(in, in->cur), in->cur);
        return INPUT_CHANGED;
    case INPUT_KEY_DELETE:
        if (in->cur >= in->len) return INPUT_NONE;
        delete_range(in, in->cur, next_char(in, in->cur));
        return INPUT_CHANGED;
    case INPUT_KEY_KILL_LINE:
        delete_range(in, 0, in->cur);
        return INPUT_CHANGED;
    case INPUT_KEY_KILL_WORD: {
        size_t p = in->cur;
        while (p > 0 && in->text[p - 1] == ' ')
            p--;
        while (p > 0 && in->text[p - 1] != ' ')
            p--;
        delete_range(in, p, in->cur);
        return INPUT_CHANGED;
    }
    case INPUT_KEY_UP:
        if (in->hpos + 1 < in->nhist) {
            in->hpos++;
            history_show(in);
            return INPUT_CHANGED;
        }
        return INPUT_NONE;
    case INPUT_KEY_DOWN:
        if (in->hpos >= 0) {
            in->hpos--;
            history_show(in);
            return INPUT_CHANGED;
        }
        return INPUT_NONE;
    case INPUT_KEY_TAB:
        return in->cands && input_complete(in, in->cands) > 0 ? INPUT_CHANGED : INPUT_NONE;
    default:
        if (key < 32 || key == 127) return INPUT_NONE;
        return insert_cp(in, key) ? INPUT_CHANGED : INPUT_NONE;
    }
}

void input_history_add(struct input *in, const char *text)
{
    in->hpos = -1;
    if (!text[0] || (in->nhist && !strcmp(in->hist[in->nhist - 1], text))) return;
    char *d = strdup(text);
    if (!d) return;
    if (in->nhist == INPUT_HISTORY) {
        free(in->hist[0]);
        memmove(in->hist, in->hist + 1, (INPUT_HISTORY - 1) * sizeof(in->hist[0]));
        in->nhist--;
    }
    in->hist[in->nhist++] = d;
}

int input_complete(struct input *in, const char *const *cands)
{
    const char *first = NULL;
    size_t common = 0;
    int matches = 0;
    for (int i = 0; cands && cands[i]; i++) {
        if (strncmp(cands[i], in->text, in->len)) continue;
        if (!first) {
            first = cands[i];
            common = strlen(first);
        } else {
            size_t k = 0;
            while (k < common && first[k] == cands[i][k])
                k++;
            common = k;
        }
        matches++;
    }
    if (!matches) return 0;
    char tmp[INPUT_MAX];
    if (common >= sizeof(tmp) - 1) common = sizeof(tmp) - 2;
    memcpy(tmp, first, common);
    tmp[common] = '\0';
    if (matches == 1) strcat(tmp, " ");
    input_set(in, tmp);
    return matches;
}

/* Bytes of the UTF-8 character at s[i] (1 for a stray continuation byte). */
static size_t char_len(const char *s, size_t len, size_t i)
{
    size_t e = i + 1;
    while (e < len && ((unsigned char)s[e] & 0xC0) == 0x80)
        e++;
    return e - i;
}

size_t input_scroll(const char *s, size_t len, size_t cur, int room, int *col)
{
    if (cur > len) cur = len;
    if (room < 1) room = 1;
    int cc = sanitize_width(s, cur);
    /* the cell under the cursor: a wide character's two, or one past the end */
    int under = cur < len ? sanitize_width(s + cur, char_len(s, len, cur)) : 1;
    if (under < 1) under = 1;
    int need = cc + under - room; /* columns to leave out at the left */
    if (need <= 0) {
        *col = cc;
        return 0;
    }
    int skipped = 0;
    size_t n = sanitize_fit(s, cur, need, &skipped);
    if (skipped < need && n < cur) { /* a wide character across the edge goes too */
        n += char_len(s, cur, n);
        skipped = sanitize_width(s, n);
    }
    *col = cc - skipped;
    return n;
}
