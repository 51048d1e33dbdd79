/* json_time.c - RFC 3339 timestamps (as the E2B API and envd send them) <-> Unix milliseconds.
 *
 * Calendar arithmetic is done here with Howard Hinnant's days-from-civil algorithm rather
 * than timegm(3), so that it is exact for every year 0000-9999, independent of TZ and of
 * time_t's width, and cannot overflow. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

#include "boxtop/json.h"

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int64_t y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

/* Read exactly n digits at *s into *out, advancing *s. */
static int digits(const char **s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*s)[i];
        if (c < '0' || c > '9') return -1;
        v = v * 10 + (c - '0');
    }
    *s += n;
    *out = v;
    return 0;
}

int json_parse_time(const char *s, int64_t *ms_out)
{
    int year, mon, day, hour, min, sec;
    if (!s || digits(&s, 4, &year) || *s++ != '-' || digits(&s, 2, &mon) || *s++ != '-' ||
        digits(&s, 2, &day))
        return -EINVAL;
    if (*s != 'T' && *s != 't' && *s != ' ') return -EINVAL;
    s++;
    if (digits(&s, 2, &hour) || *s++ != ':' || digits(&s, 2, &min) || *s++ != ':' ||
        digits(&s, 2, &sec))
        return -EINVAL;
    if (mon < 1 || mon > 12 || day < 1 || day > days_in_month(year, mon) || hour > 23 || min > 59 ||
        sec > 60) /* 60: a leap second, counted as the next second like POSIX */
        return -EINVAL;
    int frac_ms = 0;
    if (*s == '.') {
        s++;
        int n = 0;
        while (s[n] >= '0' && s[n] <= '9')
            n++;
        if (n < 1 || n > 9) return -EINVAL;
        for (int i = 0; i < 3; i++)
            frac_ms = frac_ms * 10 + (i < n ? s[i] - '0' : 0);
        s += n;
    }
    int offset_min = 0;
    if (*s == 'Z' || *s == 'z') {
        s++;
    } else if (*s == '+' || *s == '-') {
        int sign = *s++ == '-' ? -1 : 1, oh, om;
        if (digits(&s, 2, &oh) || *s++ != ':' || digits(&s, 2, &om) || oh > 23 || om > 59)
            return -EINVAL;
        offset_min = sign * (oh * 60 + om);
    } else {
        return -EINVAL;
    }
    if (*s) return -EINVAL;
    int64_t secs = days_from_civil(year, mon, day) * 86400 + hour * 3600 + min * 60 + sec -
                   (int64_t)offset_min * 60;
    *ms_out = secs * 1000 + frac_ms;
    return 0;
}

void json_format_time_ns(int64_t sec, long nsec, int digits, char *out, size_t n)
{
    if (n == 0) return;
    /* Floor division so that times before 1970 format correctly. */
    int64_t rem = sec % 86400, days = sec / 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    if (nsec < 0 || nsec > 999999999) nsec = 0;
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    if (digits == JSON_TIME_SHORTEST) /* 0, 3, 6 or 9 digits: as few as the value needs */
        digits = nsec == 0 ? 0 : nsec % 1000000 == 0 ? 3 : nsec % 1000 == 0 ? 6 : 9;
    char frac[16] = "";
    if (digits == 3 || digits == 6 || digits == 9) {
        long div = digits == 3 ? 1000000 : digits == 6 ? 1000 : 1;
        snprintf(frac, sizeof frac, ".%0*ld", digits, nsec / div);
    }
    snprintf(out, n, "%04lld-%02d-%02dT%02d:%02d:%02d%sZ", (long long)y, m, d, (int)(rem / 3600),
             (int)(rem / 60 % 60), (int)(rem % 60), frac);
}

void json_format_time(int64_t ms, char *out, size_t n)
{
    int64_t sec = ms / 1000, rem = ms % 1000;
    if (rem < 0) {
        rem += 1000;
        sec--;
    }
    json_format_time_ns(sec, (long)rem * 1000000L, 3, out, n);
}
