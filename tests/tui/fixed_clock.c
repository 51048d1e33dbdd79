/* fixed_clock.c - LD_PRELOAD shim for the golden-screen tests (tests/tui/golden.sh): the wall
 * clock of the program under test stands still at BOXTOP_FIXED_CLOCK_MS (Unix ms), so ages,
 * times to live and "updated hh:mm:ss" draw the same on every run. The monotonic clock (the
 * event loop's timers) is left alone, so the program runs normally. Test-only: never linked
 * into boxtop. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

static int fixed_ms(long long *out)
{
    const char *s = getenv("BOXTOP_FIXED_CLOCK_MS");
    if (!s || !*s) return 0;
    *out = strtoll(s, NULL, 10);
    return 1;
}

int clock_gettime(clockid_t id, struct timespec *ts)
{
    long long ms;
    if ((id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE) && fixed_ms(&ms)) {
        ts->tv_sec = (time_t)(ms / 1000);
        ts->tv_nsec = (long)(ms % 1000) * 1000000L;
        return 0;
    }
    int (*real)(clockid_t, struct timespec *) =
        (int (*)(clockid_t, struct timespec *))dlsym(RTLD_NEXT, "clock_gettime");
    return real ? real(id, ts) : -1;
}

time_t time(time_t *t)
{
    struct timespec ts = {0, 0};
    clock_gettime(CLOCK_REALTIME, &ts);
    if (t) *t = ts.tv_sec;
    return ts.tv_sec;
}

int gettimeofday(struct timeval *tv, void *tz)
{
    (void)tz;
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) < 0) return -1;
    tv->tv_sec = ts.tv_sec;
    tv->tv_usec = ts.tv_nsec / 1000;
    return 0;
}
