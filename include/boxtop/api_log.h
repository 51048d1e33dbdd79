/* api_log.h - every HTTP call boxtop made (issue 18's `:api`): a bounded ring fed by http's
 * observer hook, with every secret removed before anything leaves it.
 *
 * What api_log_at() hands out is safe to show: API keys, access tokens, signatures and any
 * registered secret are replaced in URLs, headers and bodies. A call is stored raw and
 * redacted on its first read, so an unopened log costs one copy per call (no scan).
 * The ring holds the last API_LOG_MAX calls; bodies keep their first 64 KiB, and all bodies
 * together at most API_LOG_BODY_BUDGET (older entries lose theirs first). */
#ifndef BOXTOP_API_LOG_H
#define BOXTOP_API_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "boxtop/buf.h"

#define API_LOG_MAX         2000
#define API_LOG_BODY_MAX    (64 * 1024)
#define API_LOG_BODY_BUDGET ((size_t)4 * 1024 * 1024)
#define API_LOG_REDACTED    "[REDACTED]"

struct http_call;

struct api_log_entry {
    uint64_t seq;       /* 1, 2, ... in the order calls ended */
    int64_t started_ms; /* wall clock */
    char method[12];
    char *origin; /* "http://127.0.0.1:1234" (no user:password) */
    char *path;   /* path + query, secret parameters removed */
    long status;  /* 0 = no response */
    int cancelled, streamed;
    int64_t ttfb_ms, total_ms;
    int64_t bytes_out, bytes_in;
    char *error;       /* redacted, or NULL */
    char *req_headers; /* "Name: value\n", secret values replaced */
    char *resp_headers;
    char *req_body; /* first API_LOG_BODY_MAX bytes, redacted; NULL = none/dropped */
    size_t req_body_len;
    char *resp_body;
    size_t resp_body_len;
    int body_dropped; /* the budget took this entry's bodies */
};

struct api_log;

struct api_log *api_log_new(int cap); /* cap <= 0: API_LOG_MAX */
void api_log_free(struct api_log *l);
/* http_observer_cb: add one call (ud is the log). */
void api_log_observe(const struct http_call *c, void *ud);
int api_log_count(const struct api_log *l);
/* i = 0 is the newest, redacted (on its first read); NULL when out of range. Valid until the
 * next observe. */
const struct api_log_entry *api_log_at(struct api_log *l, int i);
uint64_t api_log_seq(const struct api_log *l); /* changes with every new entry */

/* Pure helpers (unit-tested). */
/* A copy of in with each secret, and every JSON string value whose key names a secret
 * (…token, …secret, …signature, password, …key), replaced by API_LOG_REDACTED. */
int api_log_redact(struct buf *out, const char *in, size_t len, const char *const *secrets,
                   int n_secrets);
/* Split url into origin and path+query with secret query parameters dropped. */
int api_log_split_url(const char *url, char **origin, char **path);
/* 1 when a header or parameter name carries a secret (x-api-key, authorization, signature). */
int api_log_secret_name(const char *name, size_t len);
/* The equivalent curl command: the key as $E2B_API_KEY, an access token as
 * $E2B_ACCESS_TOKEN, the (redacted) body when it was kept. */
int api_log_curl(const struct api_log_entry *e, struct buf *out);
/* The equivalent boxtop command line for an action (kill, pause, resume, timeout, create);
 * 0 when there is none, 1 when out was filled. */
int api_log_boxtop(const struct api_log_entry *e, struct buf *out);

#endif
