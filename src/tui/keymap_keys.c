/* keymap_keys.c - the key syntax of [keys] (see keymap.h): parsing a key name and naming a
 * key, shared by keymap.c (the sandboxes view and global actions) and keymap_views.c (the
 * other views). Pure: only curses' key constants. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "keymap.h"

int keymap_parse_key(const char *s, struct keyspec *k)
{
    static const struct {
        const char *name;
        int ch;
    } named[] = {{"Enter", '\r'}, {"Space", ' '}, {"Tab", '\t'}, {"Esc", 27}};
    k->is_key = 0;
    size_t n = strlen(s);
    if (n == 1 && s[0] > ' ' && s[0] < 0x7f) {
        k->ch = (unsigned char)s[0];
        return 0;
    }
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (strcasecmp(s, named[i].name) == 0) {
            k->ch = named[i].ch;
            return 0;
        }
    if (n == 3 && (s[0] == 'C' || s[0] == 'c') && s[1] == '-' &&
        ((s[2] >= 'a' && s[2] <= 'z') || (s[2] >= 'A' && s[2] <= 'Z'))) {
        k->ch = s[2] & 0x1f;
        if (k->ch == '\n') k->ch = '\r'; /* C-j and C-m are Enter on a terminal */
        return 0;
    }
    if ((n == 2 || n == 3) && (s[0] == 'F' || s[0] == 'f') && s[1] >= '1' && s[1] <= '9') {
        int f = s[1] - '0';
        if (n == 3) {
            if (s[2] < '0' || s[2] > '9') return -1;
            f = f * 10 + (s[2] - '0');
        }
        if (f < 1 || f > 12) return -1;
        k->ch = KEY_F(f);
        k->is_key = 1;
        return 0;
    }
    return -1;
}

void keymap_key_name(const struct keyspec *k, char *out, size_t n)
{
    if (k->is_key && k->ch >= KEY_F(1) && k->ch <= KEY_F(12))
        snprintf(out, n, "F%d", k->ch - KEY_F0);
    else if (k->is_key)
        snprintf(out, n, "?");
    else if (k->ch == '\r')
        snprintf(out, n, "Enter");
    else if (k->ch == ' ')
        snprintf(out, n, "Space");
    else if (k->ch == '\t')
        snprintf(out, n, "Tab");
    else if (k->ch == 27)
        snprintf(out, n, "Esc");
    else if (k->ch >= 1 && k->ch <= 26)
        snprintf(out, n, "C-%c", 'a' + k->ch - 1);
    else if (k->ch > ' ' && k->ch < 0x7f)
        snprintf(out, n, "%c", k->ch);
    else
        snprintf(out, n, "?");
}
