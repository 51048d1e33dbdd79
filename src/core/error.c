/* error.c - fill struct error with a formatted message. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "boxtop/buf.h"
#include "boxtop/error.h"

int error_set(struct error *err, enum error_kind kind, const char *fmt, ...)
{
    if (!err) return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->kind = kind;
    err->code = 0; /* a new error: callers that know a status set it after */
    err->detail[0] = '\0';
    return -1;
}

int error_prefix(struct error *err, const char *fmt, ...)
{
    if (!err) return -1;
    char prefix[ERROR_MSG_MAX], old[ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    /* Truncation is fine here: the message stays a valid, shorter string. */
    struct buf b = BUF_INIT;
    if (buf_printf(&b, "%s: %s", prefix, old) == 0) {
        size_t n = b.len < sizeof err->msg - 1 ? b.len : sizeof err->msg - 1;
        memcpy(err->msg, b.data, n);
        err->msg[n] = '\0';
    }
    buf_free(&b);
    return -1;
}

void error_clear(struct error *err)
{
    if (err) {
        err->kind = ERROR_NONE;
        err->code = 0;
        err->msg[0] = '\0';
        err->detail[0] = '\0';
    }
}

void error_detail(struct error *err, const char *fmt, ...)
{
    if (!err) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->detail, sizeof err->detail, fmt, ap);
    va_end(ap);
}
