/* connect.c - Connect protocol error codes, end-stream frames and unary error bodies.
 *
 * The tables follow connect-go v1.18.1 (protocol_connect.go: connectCodeToHTTP and
 * connectHTTPToCode), which is what envd links; connect-es 2.2 uses the same fallback. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/connect.h"
#include "boxtop/json.h"
#include "boxtop/sanitize.h"

#define CONNECT_END_MAX_VALUES 10000

static const char *const code_names[] = {
    "ok",
    "canceled",
    "unknown",
    "invalid_argument",
    "deadline_exceeded",
    "not_found",
    "already_exists",
    "permission_denied",
    "resource_exhausted",
    "failed_precondition",
    "aborted",
    "out_of_range",
    "unimplemented",
    "internal",
    "unavailable",
    "data_loss",
    "unauthenticated",
};

const char *connect_code_name(enum connect_code code)
{
    if ((int)code < 0 || (size_t)code >= sizeof code_names / sizeof code_names[0]) return NULL;
    return code_names[code];
}

int connect_code_from_name(const char *name, enum connect_code *out)
{
    if (!name) return -1;
    /* "ok" is not a valid error code on the wire. */
    for (size_t i = 1; i < sizeof code_names / sizeof code_names[0]; i++) {
        if (!strcmp(name, code_names[i])) {
            *out = (enum connect_code)i;
            return 0;
        }
    }
    return -1;
}

int connect_code_http_status(enum connect_code code)
{
    switch (code) {
    case CONNECT_OK:
        return 200;
    case CONNECT_CANCELED:
        return 499;
    case CONNECT_UNKNOWN:
        return 500;
    case CONNECT_INVALID_ARGUMENT:
        return 400;
    case CONNECT_DEADLINE_EXCEEDED:
        return 504;
    case CONNECT_NOT_FOUND:
        return 404;
    case CONNECT_ALREADY_EXISTS:
        return 409;
    case CONNECT_PERMISSION_DENIED:
        return 403;
    case CONNECT_RESOURCE_EXHAUSTED:
        return 429;
    case CONNECT_FAILED_PRECONDITION:
        return 400;
    case CONNECT_ABORTED:
        return 409;
    case CONNECT_OUT_OF_RANGE:
        return 400;
    case CONNECT_UNIMPLEMENTED:
        return 501;
    case CONNECT_INTERNAL:
        return 500;
    case CONNECT_UNAVAILABLE:
        return 503;
    case CONNECT_DATA_LOSS:
        return 500;
    case CONNECT_UNAUTHENTICATED:
        return 401;
    }
    return 500;
}

enum connect_code connect_code_from_http_status(long status)
{
    switch (status) {
    case 400:
        return CONNECT_INTERNAL;
    case 401:
        return CONNECT_UNAUTHENTICATED;
    case 403:
        return CONNECT_PERMISSION_DENIED;
    case 404:
        return CONNECT_UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
    case 504:
        return CONNECT_UNAVAILABLE;
    default:
        return CONNECT_UNKNOWN;
    }
}

enum error_kind connect_code_error_kind(enum connect_code code)
{
    switch (code) {
    case CONNECT_OK:
        return ERROR_NONE;
    case CONNECT_NOT_FOUND:
        return ERROR_NOT_FOUND;
    case CONNECT_UNAUTHENTICATED:
    case CONNECT_PERMISSION_DENIED:
        return ERROR_AUTH;
    case CONNECT_ALREADY_EXISTS:
    case CONNECT_ABORTED:
        return ERROR_CONFLICT;
    case CONNECT_RESOURCE_EXHAUSTED:
        return ERROR_RATE_LIMIT;
    case CONNECT_UNAVAILABLE:
    case CONNECT_DEADLINE_EXCEEDED:
    case CONNECT_CANCELED:
        return ERROR_NETWORK;
    default:
        return ERROR_GENERIC;
    }
}

void connect_error_free(struct connect_error *ce)
{
    if (!ce) return;
    free(ce->message);
    cJSON_Delete(ce->details);
    ce->message = NULL;
    ce->details = NULL;
}

int connect_error_to_error(const struct connect_error *ce, struct error *err)
{
    const char *name = connect_code_name(ce->code);
    struct buf clean = BUF_INIT;
    if (ce->message) sanitize_append(&clean, ce->message, strlen(ce->message), 0);
    error_set(err, connect_code_error_kind(ce->code), "%s%s%s", name ? name : "unknown",
              clean.len ? ": " : "", buf_cstr(&clean));
    if (err) err->code = (int)ce->code;
    buf_free(&clean);
    return -1;
}

void connect_end_free(struct connect_end *end)
{
    if (!end) return;
    connect_error_free(&end->error);
    cJSON_Delete(end->metadata);
    end->metadata = NULL;
    end->has_error = false;
}

/* Parse {"code":"…","message":"…","details":[…]}; requires a valid string code. */
static int error_object_parse(const cJSON *obj, const char *where, struct connect_error *out,
                              struct error *err)
{
    if (!cJSON_IsObject(obj))
        return error_set(err, ERROR_PROTOCOL, "%s: expected an object", where);
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(obj, "code");
    if (!cJSON_IsString(code))
        return error_set(err, ERROR_PROTOCOL, "%s.code: expected a string", where);
    if (connect_code_from_name(code->valuestring, &out->code) < 0)
        /* Unknown names are allowed by the spec and mean "unknown". */
        out->code = CONNECT_UNKNOWN;
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(obj, "message");
    if (msg && !cJSON_IsNull(msg)) {
        if (!cJSON_IsString(msg))
            return error_set(err, ERROR_PROTOCOL, "%s.message: expected a string", where);
        out->message = strdup(msg->valuestring);
        if (!out->message) return error_set(err, ERROR_GENERIC, "out of memory");
    }
    const cJSON *details = cJSON_GetObjectItemCaseSensitive(obj, "details");
    if (details && !cJSON_IsNull(details)) {
        if (!cJSON_IsArray(details))
            return error_set(err, ERROR_PROTOCOL, "%s.details: expected an array", where);
        out->details = cJSON_Duplicate(details, 1);
        if (!out->details) return error_set(err, ERROR_GENERIC, "out of memory");
    }
    return 0;
}

/* Trailers: {"name":["v1","v2"],…}. */
static int metadata_check(const cJSON *md, struct error *err)
{
    if (!cJSON_IsObject(md))
        return error_set(err, ERROR_PROTOCOL, "end-stream.metadata: expected an object");
    const cJSON *it;
    cJSON_ArrayForEach(it, md)
    {
        if (!cJSON_IsArray(it))
            return error_set(err, ERROR_PROTOCOL, "end-stream.metadata: expected string arrays");
        const cJSON *v;
        cJSON_ArrayForEach(v, it)
        {
            if (!cJSON_IsString(v))
                return error_set(err, ERROR_PROTOCOL,
                                 "end-stream.metadata: expected string arrays");
        }
    }
    return 0;
}

int connect_end_parse(const char *payload, size_t len, struct connect_end *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    /* an end frame is an error and a little metadata: a 16 MiB one of [{},{},...] is not
     * built into millions of cJSON nodes */
    if (json_count_values(payload, len, CONNECT_END_MAX_VALUES) > CONNECT_END_MAX_VALUES)
        return error_set(err, ERROR_PROTOCOL, "end-stream: payload too large");
    cJSON *root = cJSON_ParseWithLengthOpts(payload, len, NULL, 0);
    if (!root || !cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return error_set(err, ERROR_PROTOCOL, "end-stream: payload is not a JSON object");
    }
    int rc = 0;
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(root, "error");
    if (e && !cJSON_IsNull(e)) {
        out->has_error = true;
        rc = error_object_parse(e, "end-stream.error", &out->error, err);
    }
    const cJSON *md = cJSON_GetObjectItemCaseSensitive(root, "metadata");
    if (rc == 0 && md && !cJSON_IsNull(md)) {
        rc = metadata_check(md, err);
        if (rc == 0) {
            out->metadata = cJSON_DetachItemViaPointer(root, (cJSON *)md);
        }
    }
    cJSON_Delete(root);
    if (rc < 0) connect_end_free(out);
    return rc;
}

void connect_error_from_unary(long status, const char *body, size_t len, struct connect_error *out)
{
    memset(out, 0, sizeof *out);
    out->code = connect_code_from_http_status(status);
    cJSON *root = (body && len) ? cJSON_ParseWithLengthOpts(body, len, NULL, 0) : NULL;
    if (cJSON_IsObject(root)) {
        const cJSON *code = cJSON_GetObjectItemCaseSensitive(root, "code");
        struct connect_error tmp = {0};
        if (cJSON_IsString(code) && error_object_parse(root, "error", &tmp, NULL) == 0) {
            *out = tmp;
        } else {
            connect_error_free(&tmp);
            /* Not Connect-shaped (envd's 401, proxy 502): keep the message text. */
            const cJSON *msg = cJSON_GetObjectItemCaseSensitive(root, "message");
            if (cJSON_IsString(msg)) out->message = strdup(msg->valuestring);
        }
    }
    if (!out->message) {
        char tmp[64];
        snprintf(tmp, sizeof tmp, "HTTP %ld", status);
        out->message = strdup(tmp);
    }
    cJSON_Delete(root);
}

int connect_envelope_append(struct buf *out, unsigned flags, const void *payload, size_t len)
{
    if (len > UINT32_MAX) return -EINVAL;
    unsigned char p[CONNECT_PREFIX_LEN] = {
        (unsigned char)flags,      (unsigned char)(len >> 24), (unsigned char)(len >> 16),
        (unsigned char)(len >> 8), (unsigned char)len,
    };
    if (buf_reserve(out, sizeof p + len) < 0) return -ENOMEM;
    buf_append(out, p, sizeof p);
    if (len) buf_append(out, payload, len);
    return 0;
}

static cJSON *error_object_new(enum connect_code code, const char *message)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    const char *name = connect_code_name(code);
    if (!cJSON_AddStringToObject(o, "code", name ? name : "unknown") ||
        (message && *message && !cJSON_AddStringToObject(o, "message", message))) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static int json_append(struct buf *out, cJSON *doc)
{
    char *s = doc ? cJSON_PrintUnformatted(doc) : NULL;
    if (!s) return -ENOMEM;
    int rc = buf_append_str(out, s);
    cJSON_free(s);
    return rc;
}

int connect_error_json_append(struct buf *out, enum connect_code code, const char *message)
{
    cJSON *o = error_object_new(code, message);
    int rc = json_append(out, o);
    cJSON_Delete(o);
    return rc;
}

int connect_end_stream_append(struct buf *out, enum connect_code code, const char *message,
                              const cJSON *metadata)
{
    cJSON *root = cJSON_CreateObject();
    int rc = root ? 0 : -ENOMEM;
    if (rc == 0 && code != CONNECT_OK) {
        cJSON *e = error_object_new(code, message);
        if (!e || !cJSON_AddItemToObject(root, "error", e)) {
            cJSON_Delete(e);
            rc = -ENOMEM;
        }
    }
    if (rc == 0 && metadata && cJSON_GetArraySize(metadata) > 0) {
        cJSON *md = cJSON_Duplicate(metadata, 1);
        if (!md || !cJSON_AddItemToObject(root, "metadata", md)) {
            cJSON_Delete(md);
            rc = -ENOMEM;
        }
    }
    struct buf json = BUF_INIT;
    if (rc == 0) rc = json_append(&json, root);
    if (rc == 0) rc = connect_envelope_append(out, CONNECT_FLAG_END_STREAM, json.data, json.len);
    buf_free(&json);
    cJSON_Delete(root);
    return rc;
}
