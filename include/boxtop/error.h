/* error.h - a human-readable error that travels with a negative errno-style code. */
#ifndef BOXTOP_ERROR_H
#define BOXTOP_ERROR_H

#include <stddef.h>

#define ERROR_MSG_MAX 512

/* Kinds of failure callers branch on; the CLI maps them to exit codes. */
enum error_kind {
    ERROR_NONE = 0,
    ERROR_GENERIC,    /* anything else */
    ERROR_USAGE,      /* bad arguments from the user */
    ERROR_NOT_FOUND,  /* 404, missing sandbox/file/process */
    ERROR_AUTH,       /* 401/403, bad or missing key/token */
    ERROR_CONFLICT,   /* 409, e.g. already paused */
    ERROR_RATE_LIMIT, /* 429 */
    ERROR_NETWORK,    /* connection refused, timeout, DNS */
    ERROR_PROTOCOL,   /* the peer sent something we could not parse */
};

struct error {
    enum error_kind kind;
    int code; /* HTTP status or Connect code number when known, else 0; -errno: a local file's
                 error whose path the caller knows (files.c's transfers) */
    /* What a person does not need to read but may want to (the raw curl text, the server's
     * body): the TUI shows msg and keeps detail in `:messages`. "" = none; never a secret.
     * (Before msg: code that copies from a pointer into msg is bounded by msg's end.) */
    char detail[ERROR_MSG_MAX];
    char msg[ERROR_MSG_MAX];
};

/* Fill err (may be NULL) and return -1: kind, the printf-formatted message, code 0 and no
 * detail (a caller that knows the status sets it after; an err left uninitialised before is
 * whole). */
int error_set(struct error *err, enum error_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prefix an existing message with more context: "ctx: old message" (the detail stays). */
int error_prefix(struct error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void error_clear(struct error *err);
/* Set err's detail (printf-formatted); err may be NULL. */
void error_detail(struct error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
