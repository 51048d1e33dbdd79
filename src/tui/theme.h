/* theme.h - the one place that maps UI roles to colours and glyphs.
 *
 * 256-colour and 8-colour palettes, NO_COLOR (any non-empty value) gives attributes only
 * (bold/reverse/dim), and a locale that is not UTF-8 gives ASCII glyphs. */
#ifndef BOXTOP_TUI_THEME_H
#define BOXTOP_TUI_THEME_H

#include <curses.h>
#include "widgets/spark.h"

enum role {
    ROLE_NORMAL = 0,
    ROLE_HEADER,   /* top bar */
    ROLE_TITLE,    /* table column titles */
    ROLE_SELECTED, /* the selected row */
    ROLE_OK,       /* running, healthy */
    ROLE_WARN,     /* paused, TTL < 1 min, soft errors */
    ROLE_CRIT,     /* errors, the kill dialog */
    ROLE_DIM,      /* secondary text */
    ROLE_MARK,     /* marked rows */
    ROLE_ACCENT,   /* sparklines and graphs */
    ROLE_N
};

struct theme {
    attr_t attr[ROLE_N];
    int color; /* colours in use (0 with NO_COLOR or a mono terminal) */
    int utf8;  /* the locale's charset is UTF-8 */
    enum glyphs glyphs;
    const char *ellipsis; /* "…" or "~" */
    const char *mark;     /* "●" or "*" */
};

/* The themes (themes.c): `theme = NAME` in the config file or --theme NAME. */
enum theme_id {
    THEME_DARK = 0, /* the default: 256 colours, or the 8 basic ones on smaller terminals */
    THEME_LIGHT,    /* for light backgrounds, same fallback */
    THEME_8COLOR,   /* only the 8 basic colours, even on 256-colour terminals */
    THEME_MONO,     /* attributes only (bold, reverse, underline, dim) */
    THEME_N
};

struct role_colors {
    short fg, bg; /* -1 = terminal default */
    attr_t extra;
};

/* "dark" -> THEME_DARK ("mono" is accepted for monochrome); -1 when unknown. */
int theme_by_name(const char *name);
/* "dark, light, 8color, monochrome" for messages. */
const char *theme_names(void);
/* The colours of theme id on a terminal with ncolors colours, ROLE_N entries; NULL means
 * attributes only (monochrome, or no colours). */
const struct role_colors *theme_palette(int id, int ncolors);
/* The attributes-only table, ROLE_N entries. */
const attr_t *theme_mono_attrs(void);

/* After initscr(). no_color: NO_COLOR or --no-color (wins over any theme). id: enum theme_id. */
void theme_init(struct theme *t, int no_color, int id);

#endif
