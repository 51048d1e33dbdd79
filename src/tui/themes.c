/* themes.c - the named themes: which colour each UI role gets (theme.c applies them). Pure
 * tables, so the unit tests can check them without a terminal. */
#include "config.h"

#include <string.h>

#include "theme.h"

/* dark, 256-colour (xterm indexes). */
static const struct role_colors dark256[ROLE_N] = {
    [ROLE_NORMAL] = {-1, -1, 0},       [ROLE_HEADER] = {231, 24, A_BOLD},
    [ROLE_TITLE] = {250, 237, A_BOLD}, [ROLE_SELECTED] = {231, 31, A_BOLD},
    [ROLE_OK] = {78, -1, 0},           [ROLE_WARN] = {214, -1, A_BOLD},
    [ROLE_CRIT] = {203, -1, A_BOLD},   [ROLE_DIM] = {244, -1, 0},
    [ROLE_MARK] = {220, -1, A_BOLD},   [ROLE_ACCENT] = {75, -1, 0},
};

/* the 8 basic colours: dark's fallback and the 8color theme */
static const struct role_colors basic8[ROLE_N] = {
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

/* light, 256-colour: dark text, no yellow on white */
static const struct role_colors light256[ROLE_N] = {
    [ROLE_NORMAL] = {-1, -1, 0},       [ROLE_HEADER] = {231, 25, A_BOLD},
    [ROLE_TITLE] = {235, 252, A_BOLD}, [ROLE_SELECTED] = {16, 153, 0},
    [ROLE_OK] = {28, -1, 0},           [ROLE_WARN] = {130, -1, A_BOLD},
    [ROLE_CRIT] = {160, -1, A_BOLD},   [ROLE_DIM] = {243, -1, 0},
    [ROLE_MARK] = {127, -1, A_BOLD},   [ROLE_ACCENT] = {25, -1, 0},
};

static const struct role_colors light8[ROLE_N] = {
    [ROLE_NORMAL] = {-1, -1, 0},
    [ROLE_HEADER] = {COLOR_WHITE, COLOR_BLUE, A_BOLD},
    [ROLE_TITLE] = {COLOR_BLACK, COLOR_WHITE, 0},
    [ROLE_SELECTED] = {COLOR_WHITE, COLOR_BLUE, 0},
    [ROLE_OK] = {COLOR_GREEN, -1, 0},
    [ROLE_WARN] = {COLOR_MAGENTA, -1, A_BOLD},
    [ROLE_CRIT] = {COLOR_RED, -1, A_BOLD},
    [ROLE_DIM] = {-1, -1, A_DIM},
    [ROLE_MARK] = {COLOR_MAGENTA, -1, A_BOLD},
    [ROLE_ACCENT] = {COLOR_BLUE, -1, 0},
};

static const attr_t mono[ROLE_N] = {
    [ROLE_NORMAL] = A_NORMAL,   [ROLE_HEADER] = A_REVERSE | A_BOLD,
    [ROLE_TITLE] = A_UNDERLINE, [ROLE_SELECTED] = A_REVERSE,
    [ROLE_OK] = A_NORMAL,       [ROLE_WARN] = A_BOLD,
    [ROLE_CRIT] = A_BOLD,       [ROLE_DIM] = A_DIM,
    [ROLE_MARK] = A_BOLD,       [ROLE_ACCENT] = A_NORMAL,
};

static const char *const names[THEME_N] = {
    [THEME_DARK] = "dark",
    [THEME_LIGHT] = "light",
    [THEME_8COLOR] = "8color",
    [THEME_MONO] = "monochrome",
};

int theme_by_name(const char *name)
{
    if (!name) return -1;
    for (int i = 0; i < THEME_N; i++)
        if (strcmp(name, names[i]) == 0) return i;
    if (strcmp(name, "mono") == 0) return THEME_MONO;
    return -1;
}

const char *theme_names(void)
{
    return "dark, light, 8color, monochrome";
}

const struct role_colors *theme_palette(int id, int ncolors)
{
    if (ncolors < 8) return NULL;
    switch (id) {
    case THEME_DARK:
        return ncolors >= 256 ? dark256 : basic8;
    case THEME_LIGHT:
        return ncolors >= 256 ? light256 : light8;
    case THEME_8COLOR:
        return basic8;
    default:
        return NULL;
    }
}

const attr_t *theme_mono_attrs(void)
{
    return mono;
}
