/* theme.c - roles to colour pairs (see theme.h). */
#include "config.h"

#include <langinfo.h>
#include <string.h>
#include <strings.h>

#include "theme.h"

struct role_colors {
    short fg, bg; /* -1 = terminal default */
    attr_t extra;
};

/* 256-colour palette (xterm indexes). */
static const struct role_colors pal256[ROLE_N] = {
    [ROLE_NORMAL] = {-1, -1, 0},       [ROLE_HEADER] = {231, 24, A_BOLD},
    [ROLE_TITLE] = {250, 237, A_BOLD}, [ROLE_SELECTED] = {231, 31, A_BOLD},
    [ROLE_OK] = {78, -1, 0},           [ROLE_WARN] = {214, -1, A_BOLD},
    [ROLE_CRIT] = {203, -1, A_BOLD},   [ROLE_DIM] = {244, -1, 0},
    [ROLE_MARK] = {220, -1, A_BOLD},   [ROLE_ACCENT] = {75, -1, 0},
};

static const struct role_colors pal8[ROLE_N] = {
    [ROLE_NORMAL] = {-1, -1, 0},
    [ROLE_HEADER] = {COLOR_WHITE, COLOR_BLUE, A_BOLD},
    [ROLE_TITLE] = {COLOR_BLACK, COLOR_WHITE, 0},
    [ROLE_SELECTED] = {COLOR_BLACK, COLOR_CYAN, 0},
    [ROLE_OK] = {COLOR_GREEN, -1, 0},
    [ROLE_WARN] = {COLOR_YELLOW, -1, A_BOLD},
    [ROLE_CRIT] = {COLOR_RED, -1, A_BOLD},
    [ROLE_DIM] = {-1, -1, A_DIM},
    [ROLE_MARK] = {COLOR_YELLOW, -1, A_BOLD},
    [ROLE_ACCENT] = {COLOR_CYAN, -1, 0},
};

static const attr_t mono[ROLE_N] = {
    [ROLE_NORMAL] = A_NORMAL,   [ROLE_HEADER] = A_REVERSE | A_BOLD,
    [ROLE_TITLE] = A_UNDERLINE, [ROLE_SELECTED] = A_REVERSE,
    [ROLE_OK] = A_NORMAL,       [ROLE_WARN] = A_BOLD,
    [ROLE_CRIT] = A_BOLD,       [ROLE_DIM] = A_DIM,
    [ROLE_MARK] = A_BOLD,       [ROLE_ACCENT] = A_NORMAL,
};

void theme_init(struct theme *t, int no_color, const char *name)
{
    memset(t, 0, sizeof(*t));
    const char *cs = nl_langinfo(CODESET);
    t->utf8 = cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8"));
    t->glyphs = t->utf8 ? GLYPHS_BRAILLE : GLYPHS_ASCII;
    t->ellipsis = t->utf8 ? "\xe2\x80\xa6" : "~";
    t->mark = t->utf8 ? "\xe2\x97\x8f" : "*";
    int want_color = !no_color && !(name && !strcmp(name, "mono")) && has_colors();
    if (want_color && start_color() == OK) {
        use_default_colors();
        const struct role_colors *pal = COLORS >= 256 ? pal256 : pal8;
        t->color = COLORS >= 256 ? 256 : 8;
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
        t->attr[r] = mono[r];
}
