/* denvd_reply.c - how the envd services answer: a unary reply (JSON message or Connect error),
 * one stream frame, and errno as a Connect code. Shared by process, filesystem and watch, so
 * none of them reaches back into denvd.c or denvd_http.c for it. */
#include "config.h"

#include <errno.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "denvd_int.h"

int denvd_reply_error(struct denvd_reply *r, enum connect_code code, const char *fmt, ...)
{
    r->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->message, sizeof r->message, fmt, ap);
    va_end(ap);
    return -1;
}

int denvd_reply_json(struct denvd_reply *r, cJSON *msg)
{
    if (!msg) return denvd_reply_error(r, CONNECT_INTERNAL, "out of memory");
    buf_reset(&r->body);
    int rc = pjson_print(&r->body, msg);
    cJSON_Delete(msg);
    if (rc < 0) return denvd_reply_error(r, CONNECT_INTERNAL, "out of memory");
    r->code = CONNECT_OK;
    return 0;
}

int denvd_frame_json(struct buf *out, cJSON *msg)
{
    if (!msg) return -ENOMEM;
    struct buf j = BUF_INIT;
    int rc = pjson_print(&j, msg);
    cJSON_Delete(msg);
    if (rc == 0) rc = connect_envelope_append(out, 0, j.data, j.len);
    buf_free(&j);
    return rc;
}

enum connect_code denvd_errno_code(int err)
{
    if (err < 0) err = -err;
    switch (err) {
    case ENOENT:
        return CONNECT_NOT_FOUND;
    case EEXIST:
        return CONNECT_ALREADY_EXISTS;
    case ENOTDIR:
    case EISDIR:
    case EINVAL:
    case ENAMETOOLONG:
        return CONNECT_INVALID_ARGUMENT;
    case ELOOP:
        return CONNECT_FAILED_PRECONDITION;
    case EACCES:
    case EPERM:
        return CONNECT_PERMISSION_DENIED;
    case ENOSPC:
    case EDQUOT:
        return CONNECT_RESOURCE_EXHAUSTED;
    default:
        return CONNECT_INTERNAL;
    }
}

const char *denvd_go_errno(int err, char *buf, size_t n)
{
    /* Go's syscall.Errno texts are glibc's strerror with a lower-case first letter */
    snprintf(buf, n, "%s", strerror(err < 0 ? -err : err));
    if (buf[0]) buf[0] = (char)tolower((unsigned char)buf[0]);
    return buf;
}
