/* messages.h - every message of the session, for `:messages` (as vim's :messages, tmux's
 * show-messages): the status line shows one line for a few seconds; this keeps the last
 * MSG_RING_MAX whole, with their time, severity and the raw detail behind a human text
 * (struct error's detail). Texts are kept sanitized (one line, no controls); a message equal
 * to the newest one only counts up (a backend failing every round is one entry). Pure. */
#ifndef BOXTOP_TUI_MESSAGES_H
#define BOXTOP_TUI_MESSAGES_H

#include <stdint.h>

#define MSG_RING_MAX 500

struct msg {
    int64_t wall_ms;  /* when it was said (the last time, for repeats) */
    int level;        /* enum status_level */
    char *text;       /* sanitized */
    char *detail;     /* sanitized; NULL = none */
    unsigned repeats; /* said this many times more in a row */
};

struct msg_ring {
    struct msg m[MSG_RING_MAX];
    int head, n;    /* the oldest is m[head]; n kept */
    unsigned total; /* messages ever added (repeats not counted) */
};

/* Add a message (detail may be NULL or ""); ascii: the terminal is not UTF-8. */
void msg_ring_add(struct msg_ring *r, int64_t wall_ms, int level, const char *text,
                  const char *detail, int ascii);
/* The i-th kept message, 0 = the oldest; NULL past the end. */
const struct msg *msg_ring_get(const struct msg_ring *r, int i);
void msg_ring_free(struct msg_ring *r);

#endif
