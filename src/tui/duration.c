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

/* kubectl's HumanDuration (k8s.io/apimachinery/pkg/util/duration), which k9s shows too: exact
 * while young, coarser as it grows, two units at most. */
#define AGE_DAY_S  86400LL
#define AGE_YEAR_S (365 * AGE_DAY_S)

void ui_fmt_age(char *out, size_t n, int64_t ms)
{
    if (ms < -UI_AGE_SKEW_MS) { /* a start in the future: the clocks disagree */
        snprintf(out, n, "?");
        return;
    }
    long long s = ms < 0 ? 0 : (long long)(ms / 1000), m = s / 60, h = s / 3600, d = s / AGE_DAY_S;
    if (s < 120)
        snprintf(out, n, "%llds", s);
    else if (m < 10 && s % 60)
        snprintf(out, n, "%lldm%llds", m, s % 60);
    else if (m < 180)
        snprintf(out, n, "%lldm", m);
    else if (h < 8 && m % 60)
        snprintf(out, n, "%lldh%lldm", h, m % 60);
    else if (h < 48)
        snprintf(out, n, "%lldh", h);
    else if (d < 8 && h % 24)
        snprintf(out, n, "%lldd%lldh", d, h % 24);
    else if (d < 2 * 365)
        snprintf(out, n, "%lldd", d);
    else if (d < 8 * 365 && d % 365)
        snprintf(out, n, "%lldy%lldd", d / 365, d % 365);
    else if (s / AGE_YEAR_S < 10000)
        snprintf(out, n, "%lldy", s / AGE_YEAR_S);
    else /* a hostile or broken timestamp: still UI_AGE_MAXW columns */
        snprintf(out, n, ">9999y");
}

int64_t ui_age_next_ms(int64_t ms)
{
    if (ms < -UI_AGE_SKEW_MS) /* "?" until then */
        return ms > INT64_MIN + UI_AGE_SKEW_MS ? -UI_AGE_SKEW_MS - ms : INT64_MAX;
    if (ms < 0) return 1000 - ms; /* "0s" until 1 s */
    int64_t step = ms < 600000LL               ? 1000
                   : ms < 8 * 3600000LL        ? 60000
                   : ms < 8 * 86400000LL       ? 3600000
                   : ms < 8 * 365 * 86400000LL ? 86400000
                                               : 365 * 86400000LL;
    return step - ms % step;
}
