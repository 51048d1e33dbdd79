/* duration.c - times to live as the user types them and as messages show them (pure: the
 * backends' reports use it too, and they link without ncurses). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "duration.h"

/* One part of a time to live: digits and a unit (none: seconds); *end after it and spaces. */
static int duration_part(const char *text, const char **end, long *secs)
{
    char *e;
    if (*text < '0' || *text > '9') return -1;
    long v = strtol(text, &e, 10);
    if (v > 30L * 24 * 3600) return -1;
    if (*e == 'd')
        v *= 86400, e++;
    else if (*e == 'h')
        v *= 3600, e++;
    else if (*e == 'm')
        v *= 60, e++;
    else if (*e == 's')
        e++;
    while (*e == ' ')
        e++;
    *secs = v;
    *end = e;
    return 0;
}

int ui_parse_duration(const char *text, int *secs)
{
    long total = 0;
    const char *p = text;
    while (*p == ' ')
        p++;
    if (!*p) return -1;
    while (*p) { /* "90", "90s", "15m", "2h", "1d", and sums: "1h 30m", "1h30m" */
        long v;
        if (duration_part(p, &p, &v)) return -1;
        total += v;
        if (total > 30L * 24 * 3600) return -1;
    }
    if (total <= 0) return -1;
    *secs = (int)total;
    return 0;
}

void ui_fmt_span(char *out, size_t n, int64_t secs)
{
    if (secs < 0) secs = 0;
    long long big, small;
    const char *bu, *su;
    if (secs >= 86400)
        big = secs / 86400, small = secs % 86400 / 3600, bu = "d", su = "h";
    else if (secs >= 3600)
        big = secs / 3600, small = secs % 3600 / 60, bu = "h", su = "m";
    else if (secs >= 60)
        big = secs / 60, small = secs % 60, bu = "m", su = "s";
    else
        big = secs, small = 0, bu = "s", su = "";
    if (small)
        snprintf(out, n, "%lld%s %lld%s", big, bu, small, su);
    else
        snprintf(out, n, "%lld%s", big, bu);
}
