/* fuzz_api_log.c - the API log's redaction (api_log.h): bytes split into URL, request headers,
 * request body and response body (at NUL bytes), every one also holding the registered secret;
 * nothing stored, nor the curl / boxtop command lines built from it, may hold the secret. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/api_log.h"
#include "boxtop/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SECRET "e2b_5ec7e75ec7e75ec7e75ec7e75ec7e75ec7e7"

static int holds(const char *s, size_t n)
{
    return s && n >= sizeof SECRET - 1 && memmem(s, n, SECRET, sizeof SECRET - 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *part[4] = {0};
    size_t off = 0;
    for (int k = 0; k < 4; k++) { /* field k: up to the next NUL, with the secret inside */
        size_t l = 0;
        while (off + l < size && data[off + l])
            l++;
        struct buf b = BUF_INIT;
        size_t half = l / 2;
        buf_append(&b, data + off, half);
        buf_append_str(&b, SECRET);
        buf_append(&b, data + off + half, l - half);
        part[k] = buf_steal(&b);
        off += l + (off + l < size);
    }
    const char *const secrets[] = {SECRET};
    struct api_log *lg = api_log_new(4);
    struct http_call c = {
        .method = "POST",
        .url = part[0],
        .req_headers = part[1],
        .req_body = part[2],
        .req_body_len = part[2] ? strlen(part[2]) : 0,
        .resp_headers = part[1],
        .resp_body = part[3],
        .resp_body_len = part[3] ? strlen(part[3]) : 0,
        .status = 200,
        .error = part[3],
        .secrets = secrets,
        .n_secrets = 1,
    };
    api_log_observe(&c, lg);
    const struct api_log_entry *e = api_log_at(lg, 0);
    if (!e) abort();
    const char *fields[] = {e->origin, e->path, e->req_headers, e->resp_headers, e->error};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i] && holds(fields[i], strlen(fields[i]))) abort();
    if (holds(e->req_body, e->req_body_len) || holds(e->resp_body, e->resp_body_len)) abort();
    if (e->req_body_len > API_LOG_BODY_MAX || e->resp_body_len > API_LOG_BODY_MAX) abort();
    struct buf out = BUF_INIT;
    api_log_curl(e, &out);
    api_log_boxtop(e, &out);
    if (holds(out.data, out.len)) abort();
    buf_free(&out);
    api_log_free(lg);
    for (int k = 0; k < 4; k++)
        free(part[k]);
    return 0;
}
