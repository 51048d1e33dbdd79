/* term_engine.c - throughput of the terminal engine against libvterm's own screen layer,
 * measured in the same run on the same bytes: `seq 1 2000000` output with CRLF line ends
 * (what a pty with onlcr gives), fed in 4 KiB writes into a 200x50 terminal.
 *   (a) baseline: VTermScreen with damage + sb_pushline callbacks, flush_damage per write
 *       (what libs-notes.md §1 measured at ~1.5 MB/s);
 *   (b) our engine: libvterm's state layer into our grid + scrollback (term_engine_write).
 * Prints MB/s for both and the ratio. Usage: bench/term_engine [lines [engine-only]] (default
 * 2000000 lines). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <vterm.h>

#include "term.h"

#define ROWS  50
#define COLS  200
#define CHUNK 4096

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct counts {
    unsigned long damage, pushed;
};

static int on_damage(VTermRect rect, void *user)
{
    (void)rect;
    ((struct counts *)user)->damage++;
    return 1;
}

static int on_pushline(int cols, const VTermScreenCell *cells, void *user)
{
    (void)cols;
    (void)cells;
    ((struct counts *)user)->pushed++;
    return 1;
}

static double run_screen(const char *data, size_t len, char *last, size_t lastsz)
{
    VTerm *vt = vterm_new(ROWS, COLS);
    vterm_set_utf8(vt, 1);
    VTermScreen *sc = vterm_obtain_screen(vt);
    static const VTermScreenCallbacks cbs = {.damage = on_damage, .sb_pushline = on_pushline};
    struct counts c = {0, 0};
    vterm_screen_set_callbacks(sc, &cbs, &c);
    vterm_screen_enable_altscreen(sc, 1);
    vterm_screen_reset(sc, 1);
    double t0 = now();
    for (size_t off = 0; off < len; off += CHUNK) {
        vterm_input_write(vt, data + off, len - off < CHUNK ? len - off : CHUNK);
        vterm_screen_flush_damage(sc);
    }
    double t = now() - t0;
    VTermRect r = {ROWS - 2, ROWS - 1, 0, COLS};
    size_t n = vterm_screen_get_text(sc, last, lastsz - 1, r);
    last[n] = 0;
    vterm_free(vt);
    return t;
}

static double run_engine(const char *data, size_t len, char *last, size_t lastsz)
{
    struct term_engine_opts o = {ROWS, COLS, TERM_SCROLLBACK_DEFAULT, NULL, NULL};
    struct term_engine *e = term_engine_new(&o, NULL);
    if (!e) {
        fprintf(stderr, "term_engine_new failed\n");
        exit(1);
    }
    double t0 = now();
    for (size_t off = 0; off < len;) {
        size_t used;
        term_engine_write(e, data + off, len - off, CHUNK, &used);
        off += used;
    }
    double t = now() - t0;
    struct buf b = BUF_INIT;
    term_engine_line_text(e, ROWS - 2, &b);
    snprintf(last, lastsz, "%s", buf_cstr(&b));
    buf_free(&b);
    term_engine_free(e);
    return t;
}

int main(int argc, char **argv)
{
    long lines = argc > 1 ? atol(argv[1]) : 2000000;
    if (lines < 1) lines = 1;
    size_t cap = (size_t)lines * 10 + 16, len = 0;
    char *data = malloc(cap);
    if (!data) return 1;
    for (long i = 1; i <= lines; i++)
        len += (size_t)snprintf(data + len, cap - len, "%ld\r\n", i);
    double mb = (double)len / 1e6;
    char last_s[256], last_e[256];
    printf("input: seq 1 %ld with CRLF, %.1f MB, %dx%d, %d-byte writes\n", lines, mb, COLS, ROWS,
           CHUNK);
    fflush(stdout);
    double te = run_engine(data, len, last_e, sizeof last_e);
    printf("(b) term_engine (state layer + own grid): %7.3f s  %8.1f MB/s  last line \"%s\"\n", te,
           mb / te, last_e);
    fflush(stdout);
    if (argc > 2 && strcmp(argv[2], "engine-only") == 0) { /* for profiling */
        free(data);
        return 0;
    }
    double ts = run_screen(data, len, last_s, sizeof last_s);
    printf("(a) libvterm VTermScreen (baseline):      %7.3f s  %8.1f MB/s  last line \"%s\"\n", ts,
           mb / ts, last_s);
    printf("ratio (b)/(a): %.1fx\n", ts / te);
    free(data);
    return strcmp(last_s, last_e) == 0 ? 0 : 2;
}
