/* log.h - a log file (never the terminal while the UI runs), with secret redaction.
 *
 * Registered secrets (API keys, access tokens) are replaced by a masked form in every line,
 * so nothing written through here can leak them. Each message is one line
 * "2026-11-25T12:00:00.123Z WARN  text" (UTC), sanitized (no escapes; newlines become
 * spaces) and flushed at once. A log file is created with mode 0600. */
#ifndef BOXTOP_LOG_H
#define BOXTOP_LOG_H

#include <stdio.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

struct log;

/* path NULL -> stderr (for boxtopd --foreground and CLI debug). Returns NULL on error. */
struct log *log_open(const char *path, enum log_level min_level);
void log_close(struct log *lg);
void log_set_level(struct log *lg, enum log_level min_level);
int log_parse_level(const char *name, enum log_level *out); /* "debug"/"info"/"warn"/"error" */
/* Remember a secret to redact from every later line (copied). */
int log_add_secret(struct log *lg, const char *secret);
/* lg may be NULL: the message is dropped. */
void log_msg(struct log *lg, enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "e2b_…1234": what may be shown of a secret. out needs 16 bytes. */
void log_mask_secret(const char *secret, char *out, size_t n);

#endif
