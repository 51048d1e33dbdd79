/* http.h - asynchronous HTTP client: one curl multi handle driven by the core loop.
 *
 * Every HTTP call of boxtop goes through here (never curl_easy_perform). Requests reuse
 * connections, use HTTP/2 when the server offers it over TLS, and always send an empty
 * "Expect:" header (lws never answers 100-continue). A response body is either collected
 * (default) or streamed to on_data as it arrives (only 2xx: a redirect is not followed but
 * fails with "redirect not followed", like any status >= 300); a request body is either in memory
 * or pulled from read_cb (chunked when body_size < 0), so files never sit whole in memory. */
#ifndef BOXTOP_HTTP_H
#define BOXTOP_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "boxtop/buf.h"
#include "boxtop/error.h"
#include "boxtop/loop.h"

struct http;
struct http_request;
struct log;

struct http_result {
    long status;              /* HTTP status, 0 when the transfer failed before a response */
    struct buf body;          /* whole body when on_data was not set */
    struct error err;         /* kind != ERROR_NONE on transport failure or status >= 400
                                 (message from the JSON {code,message} body when present) */
    const char *content_type; /* response Content-Type or NULL (valid during the callback) */
};

/* Streaming response body; return 0 to continue, < 0 to abort the transfer. */
typedef int (*http_data_cb)(struct http_request *req, const char *data, size_t len, void *ud);
/* Request body source: fill up to n bytes; return bytes written, 0 at EOF, -1 on error,
 * or HTTP_READ_PAUSE when nothing is available yet (resume with http_resume()). */
#define HTTP_READ_PAUSE ((ssize_t)-2)
typedef ssize_t (*http_read_cb)(char *buf, size_t n, void *ud);
/* Called exactly once per request, unless it was cancelled (cancel is silent). The
 * result and its body are freed after the callback returns. */
typedef void (*http_done_cb)(struct http_request *req, struct http_result *res, void *ud);

/* curl's largest receive buffer (CURL_MAX_READ_SIZE), for http_opts.bulk */
#define HTTP_BULK_BUFFER (512 * 1024L)

struct http_opts {
    const char *method; /* "GET", "POST", "DELETE", ... */
    const char *url;
    const char *const *headers; /* NULL-terminated "Name: value" list, copied */
    const void *body;           /* in-memory request body (copied), or NULL */
    size_t body_len;
    http_read_cb read_cb; /* streamed request body instead of body */
    void *read_ud;
    int64_t body_size;    /* with read_cb: size, or -1 for chunked */
    http_data_cb on_data; /* stream the response instead of collecting it */
    http_done_cb on_done;
    void *ud;
    long timeout_ms;         /* whole-transfer timeout; 0 = none (streams) */
    long connect_timeout_ms; /* 0 = default 10 s */
    long stall_ms;           /* fail when no byte moved either way for this long; 0 = never
                                (for transfers without timeout_ms: downloads, uploads) */
    int max_retries;         /* retries on 429/503 (Retry-After honoured up to 10 s, a longer
                                one fails the call at once and says so) and connect
                                errors, with exponential backoff; only for requests
                                without read_cb */
    int accept_gzip;         /* let curl decode Content-Encoding: gzip */
    size_t max_body;         /* limit of a collected (not streamed) body after decoding;
                                0 = 256 MiB. Larger answers fail with ERROR_PROTOCOL. */
    int bulk;                /* a file's bytes: HTTP_BULK_BUFFER curl buffers both ways, so a
                                GiB takes a few thousand reads, sends and loop wakes */
    struct buf *recv_into;   /* collect the body in this buffer's memory: taken when the
                                request starts, given back (emptied, its memory kept) when it
                                ends or is cancelled; must outlive the request. For a caller
                                that gets a big answer every few seconds: its pages stay
                                resident instead of being faulted in afresh each time. */
};

struct http *http_new(struct loop *loop, struct log *lg);
void http_free(struct http *h); /* cancels everything still running, silently; not from
                                   inside an http callback */

struct http_request *http_start(struct http *h, const struct http_opts *o, struct error *err);
void http_cancel(struct http_request *req);   /* no on_done afterwards */
void http_resume(struct http_request *req);   /* after a read_cb returned HTTP_READ_PAUSE */
int http_active(const struct http *h);        /* transfers in flight */
struct loop *http_loop(const struct http *h); /* the loop it was created with */

/* Value of a response header (case-insensitive name) of the final response, copied into
 * out; NULL when absent. Valid from the first on_data call through on_done. */
const char *http_response_header(const struct http_request *req, const char *name, char *out,
                                 size_t n);
/* Remember a secret (API key, token) that must never appear in an error message: any
 * occurrence in a server's error text is masked as "e2b_…1234". */
int http_add_secret(struct http *h, const char *secret);
/* An answer that came but could not be read (a 200 with garbage): its body's start, plain
 * text and with h's secrets masked, as err's detail ("HTTP 200: ..."); a detail err already
 * has stays. h may be NULL (nothing to mask). */
void http_body_detail(const struct http *h, struct error *err, long status, const char *body,
                      size_t len);
/* url as a person may see it (an error, the header's backend label): without user:password,
 * query and fragment, which may hold keys, tokens and signatures. */
void http_url_shown(const char *url, char *out, size_t n);

/* One finished (or cancelled) call as the API log sees it (api_log.h). Raw: the observer
 * must redact; secrets lists what http_add_secret registered. Valid during the callback. */
struct http_call {
    const char *method, *url;
    const char *req_headers; /* "Name: value\n" lines as sent */
    const char *req_body;    /* in-memory request body (NULL when streamed from read_cb) */
    size_t req_body_len;
    const char *resp_headers; /* "name: value\n" of the final response */
    const char *resp_body;    /* collected body, NULL when it was streamed to on_data */
    size_t resp_body_len;
    long status;        /* 0 = no response */
    int cancelled;      /* cancelled by its owner (streams closed) */
    int streamed;       /* the response went to on_data */
    int64_t started_ms; /* wall clock */
    int64_t ttfb_us;    /* time to the first response byte */
    int64_t total_us;   /* whole call */
    int64_t bytes_out, bytes_in;
    const char *error; /* transport/HTTP error message (already redacted) or NULL */
    const char *const *secrets;
    int n_secrets;
    /* The buffers url, req_headers, resp_headers and resp_body are in, freed right after the
     * observer returns: it may take them instead of copying (a taken buffer is left empty or
     * NULL). NULL = copy what is needed. */
    char **keep_url;
    struct buf *keep_req_headers, *keep_resp_headers, *keep_resp_body;
};
typedef void (*http_observer_cb)(const struct http_call *c, void *ud);
/* Tell cb about every call when it ends, after its on_done (NULL = nobody; nothing is kept
 * then). */
void http_set_observer(struct http *h, http_observer_cb cb, void *ud);

/* Run the loop until req is done (CLI helpers); returns the status or -1. */
int http_run_until_done(struct http *h, struct http_request *req);

/* Map an HTTP status + optional JSON error body into err (kind from the status). */
void http_error_from_response(struct error *err, long status, const char *body, size_t len);

#endif
