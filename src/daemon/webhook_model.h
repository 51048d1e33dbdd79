/* webhook_model.h - lifecycle webhooks as data (protocol: shared/protocol/webhooks.md): the
 * webhook record, validation of the API's create/patch bodies, the public JSON shape (the
 * secret is write-only), the state-file shape (with the secret, pending deliveries and the
 * delivery history), and the v1 signature. Pure: no server, no network, so every function is
 * unit-tested and the parsers of outside input (API bodies, the state file) are fuzzed. */
#ifndef BOXTOPD_WEBHOOK_MODEL_H
#define BOXTOPD_WEBHOOK_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boxtop/error.h"

struct cJSON;

#define WEBHOOK_NAME_MAX    256  /* bytes */
#define WEBHOOK_URL_MAX     2048 /* bytes */
#define WEBHOOK_SECRET_MAX  1024 /* bytes */
#define WEBHOOK_HISTORY     100  /* delivery attempts kept per webhook */
#define WEBHOOK_QUEUE_MAX   1000 /* pending deliveries per webhook; the oldest go first */
#define WEBHOOKS_MAX        100  /* per team */
#define WEBHOOK_ID_LEN      36   /* a uuid */
#define WEBHOOK_EVENT_TYPES 6

/* Event type bits, in the order of webhook_event_names. */
enum {
    WH_CREATED = 1,
    WH_KILLED = 2,
    WH_UPDATED = 4,
    WH_PAUSED = 8,
    WH_RESUMED = 16,
    WH_CHECKPOINTED = 32,
};

/* "sandbox.lifecycle.created", ... (WEBHOOK_EVENT_TYPES names). */
extern const char *const webhook_event_names[WEBHOOK_EVENT_TYPES];
/* The bit of a full type name, 0 when unknown. */
unsigned webhook_event_bit(const char *type);

/* One delivery attempt (the history). */
struct wh_attempt {
    int64_t at_ms; /* when the attempt started (wall clock) */
    char delivery_id[WEBHOOK_ID_LEN + 1];
    char event_id[WEBHOOK_ID_LEN + 1];
    char type[48];   /* full event type */
    int attempt;     /* 1 = first try */
    int status;      /* HTTP status, 0 when none came */
    char error[128]; /* "" on a 2xx; else what failed ("HTTP 500", "timed out", ...) */
    int64_t latency_ms;
};

/* One event waiting to be delivered (the queue). */
struct wh_pending {
    char *body; /* the exact JSON sent (signed as is) */
    char event_id[WEBHOOK_ID_LEN + 1];
    char type[48];
    int attempts;   /* attempts made so far */
    int64_t due_ms; /* wall clock time of the next attempt */
};

struct webhook {
    char id[WEBHOOK_ID_LEN + 1];
    char *name, *url, *secret;
    bool enabled;
    unsigned events; /* WH_* bits */
    int64_t created_ms;
    struct wh_pending *q; /* FIFO, q[0] is next */
    size_t nq, capq;
    struct wh_attempt hist[WEBHOOK_HISTORY]; /* ring */
    size_t hist_head, hist_n;
};

/* The fields a create or patch body gave (NULL/false = absent). */
struct webhook_input {
    char *name, *url, *secret;
    bool has_enabled, enabled;
    bool has_events;
    unsigned events;
};
void webhook_input_free(struct webhook_input *in);

/* POST body (create=true: name, url, events and signatureSecret required) or PATCH body.
 * Returns 0, or 400 with err->msg the message to send; never echoes the secret. */
int webhook_input_parse(const char *body, size_t len, bool create, struct webhook_input *out,
                        struct error *err);
/* A URL webhooks may be sent to: http or https with a host. */
int webhook_url_check(const char *url, struct error *err);

/* Apply in to w (takes the strings out of in). */
void webhook_apply(struct webhook *w, struct webhook_input *in);
void webhook_free(struct webhook *w); /* the members, not w */

/* The API's webhook object (no secret). */
struct cJSON *webhook_to_json(const struct webhook *w, const char *team_id);
/* GET .../deliveries: the history, newest first. */
struct cJSON *webhook_history_json(const struct webhook *w);
void webhook_history_add(struct webhook *w, const struct wh_attempt *a);

/* Queue helpers: push takes body; pop frees the head. Push drops the oldest entry when
 * the queue is full and returns 1 then (0 otherwise, -1 out of memory). */
int webhook_queue_push(struct webhook *w, char *body, const char *event_id, const char *type,
                       int64_t due_ms);
void webhook_queue_pop(struct webhook *w);

/* State file: every webhook with its secret, queue and history. from_json validates each
 * entry and skips bad ones (counted in *skipped). */
struct cJSON *webhooks_state_to_json(struct webhook *const *v, size_t n);
int webhooks_state_from_json(const char *text, size_t len, struct webhook ***out, size_t *n,
                             size_t *skipped, struct error *err);

/* e2b-signature v1: unpadded standard base64 of SHA-256(secret || body). out needs 45. */
int webhook_sign(const char *secret, const char *body, size_t len, char *out, size_t n);

#endif
