/* duration.h - times to live as typed and as shown in messages (duration.c). */
#ifndef BOXTOP_TUI_DURATION_H
#define BOXTOP_TUI_DURATION_H

#include <stddef.h>
#include <stdint.h>

/* A time to live as typed: seconds, or with s, m, h or d ("90", "10m", "2h"), or a sum of
 * them ("1h 30m", "1h30m"), 1 s to 30 days; 0, or -1 when it is not one. */
int ui_parse_duration(const char *text, int *secs);
/* A time span for a message, as ui_parse_duration reads it back: "2h", "1h 30m", "45s". */
void ui_fmt_span(char *out, size_t n, int64_t secs);

/* An age as kubectl and k9s show one, at most UI_AGE_MAXW columns: "45s", "119s", "5m3s",
 * "12m", "3h", "7h59m", "47h", "5d3h", "377d", "2y15d", "9y"; a start up to UI_AGE_SKEW_MS in
 * the future (the server's clock is ahead) is "0s", one further ahead "?". */
#define UI_AGE_MAXW    6
#define UI_AGE_SKEW_MS 60000
void ui_fmt_age(char *out, size_t n, int64_t ms);
/* How many ms after ms ui_fmt_age's text changes (> 0): when a counting age is drawn again. */
int64_t ui_age_next_ms(int64_t ms);

#endif
