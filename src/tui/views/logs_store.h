/* logs_store.h - the logs view's lines (pure: no ncurses, unit-tested).
 *
 * Entries arrive in pages (the newest page, forward polls while following, older pages when
 * paging back) in any order and overlapping; the store keeps them sorted by time without
 * duplicates. Every message is sanitized once, on arrival: drawing, searching and saving
 * then work on exactly what the person sees, and a hostile line (ESC sequences, invalid
 * UTF-8) costs nothing more than a plain one. A line keeps at most LOGS_LINE_MAX bytes of
 * sanitized text (replacement characters count: one invalid byte becomes three) and
 * LOGS_FIELDS_MAX fields, with a note saying what was left out, so a 1 MB line or an entry of
 * 1 500 fields of 1 000 invalid bytes stays cheap; all lines together keep at most
 * LOGS_STORE_BYTES (the oldest go first, as for LOGS_MAX_LINES: 3.4 GB in 60 s before). */
#ifndef BOXTOP_TUI_LOGS_STORE_H
#define BOXTOP_TUI_LOGS_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "boxtop/buf.h"
#include "boxtop/models.h"

#define LOGS_MAX_LINES   20000
#define LOGS_LINE_MAX    (16 * 1024)
#define LOGS_FIELDS_MAX  32
#define LOGS_STORE_BYTES ((size_t)32 * 1024 * 1024)

struct log_line {
    int64_t t_ms;
    char *stamp; /* the timestamp as sent (with the text: the duplicate key) */
    int level;   /* enum log_entry_level */
    char *text;  /* sanitized message, then the fields as key=value */
};

struct log_store {
    struct log_line *v; /* oldest first */
    int n, cap;
    int ascii;    /* sanitize to ASCII (non-UTF-8 terminal) */
    int trimmed;  /* the oldest lines were dropped to stay under LOGS_MAX_LINES/STORE_BYTES */
    size_t bytes; /* text and stamps of all lines */
};

void log_store_init(struct log_store *s, int ascii);
void log_store_free(struct log_store *s);
/* Merge a page of entries. Returns how many were new, -1 on ENOMEM. */
int log_store_add(struct log_store *s, const struct log_list *l);
/* Case-insensitive (ASCII) substring search; NULL when absent or needle is empty. */
const char *log_find_ci(const char *hay, const char *needle);
/* Does line i pass the level filter and the search (NULL/"" = no search)? */
int log_line_visible(const struct log_line *e, int min_level, const char *search, int only_matches);
/* "HH:MM:SS.mmm" in local time, or with a Z in UTC. */
void log_fmt_time(char *out, size_t n, int64_t t_ms, int utc);
const char *log_level_label(int level); /* "DEBUG" ... (fixed width 5) */
/* Append "TIME LEVEL text\n" for every visible line to out (what `w` saves). */
int log_store_format(const struct log_store *s, int min_level, const char *search, int only_matches,
                     int utc, struct buf *out);

#endif
