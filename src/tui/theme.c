/* theme.c - roles to colour pairs for the chosen theme (see theme.h, themes.c). */
#include "config.h"

#include <langinfo.h>
#include <string.h>
#include <strings.h>

#include "theme.h"

void theme_init(struct theme *t, int no_color, int id)
{
    memset(t, 0, sizeof(*t));
    const char *cs = nl_langinfo(CODESET);
    t->utf8 = cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8"));
    t->glyphs = t->utf8 ? GLYPHS_BRAILLE : GLYPHS_ASCII;
    t->ellipsis = t->utf8 ? "\xe2\x80\xa6" : "~";
    t->mark = t->utf8 ? "\xe2\x97\x8f" : "*";
    /* NO_COLOR wins over any theme; monochrome never starts colour at all, so not even a
     * reset of the default colours reaches the terminal */
    int want_color = !no_color && theme_palette(id, 256) && has_colors();
    if (want_color && start_color() == OK && theme_palette(id, COLORS)) {
        use_default_colors();
        const struct role_colors *pal = theme_palette(id, COLORS);
        t->color = COLORS >= 256 && id != THEME_8COLOR ? 256 : 8;
        for (int r = 0; r < ROLE_N; r++) {
            if (r == ROLE_NORMAL) {
                t->attr[r] = A_NORMAL;
                continue;
            }
            init_pair((short)r, pal[r].fg, pal[r].bg);
            t->attr[r] = COLOR_PAIR(r) | pal[r].extra;
        }
        return;
    }
    for (int r = 0; r < ROLE_N; r++)
        t->attr[r] = theme_mono_attrs()[r];
}
