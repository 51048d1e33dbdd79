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

/* After initscr(). no_color: NO_COLOR was set. name: "dark" (default) or "mono". */
void theme_init(struct theme *t, int no_color, const char *name);

#endif
