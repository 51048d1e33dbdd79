/* session_dedup.h - drop output a reconnected stream sends again (pure, unit-tested).
 *
 * envd's Process.Connect sends only new output, but a server that replays what it sent
 * before (a proxy, a restarted envd with a buffer, a hostile fake) made the terminal pane
 * collect 39 copies in 30 s. The session keeps the last SESSION_DEDUP_KEEP bytes it showed;
 * after a reconnect, output that continues exactly where that history left off (it starts
 * with a piece of the history and matches it to its end) is dropped up to the end of the
 * history, the rest is shown. A match must cover SESSION_DEDUP_MIN bytes, so a short prompt
 * that happens to look like the last bytes is still shown. */
#ifndef BOXTOP_TUI_SESSION_DEDUP_H
#define BOXTOP_TUI_SESSION_DEDUP_H

#include <stddef.h>

#define SESSION_DEDUP_KEEP (64 * 1024)
#define SESSION_DEDUP_MIN  16

struct out_dedup {
    char *hist; /* the last bytes shown, oldest first */
    size_t len;
    int probing;     /* after a reconnect, until the first output decides */
    size_t matching; /* > 0: a replay is being matched; history offset to compare next */
    size_t dropped;  /* bytes dropped since the reconnect (for tests and notices) */
};

void out_dedup_free(struct out_dedup *d);
/* A new stream begins: its first output is compared with the history. */
void out_dedup_reconnect(struct out_dedup *d);
/* How many leading bytes of this output repeat the history (drop them); what follows is new
 * and must be passed to out_dedup_shown(). */
size_t out_dedup_filter(struct out_dedup *d, const char *p, size_t len);
/* Remember output that was shown. */
void out_dedup_shown(struct out_dedup *d, const char *p, size_t len);

#endif
