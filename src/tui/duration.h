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

#endif
