/* webhooks.h - the client side of lifecycle webhooks (protocol/webhooks.md): the webhook and
 * delivery-attempt models with strict parsers of the server's answers, the request bodies, and
 * the platform API calls (/events/webhooks; .../deliveries is boxtopd's extension: E2B cloud
 * answers 404 there, which webhook_no_history() recognises). The secret is write-only: no
 * model here holds one, and the body builders zero what they were given as soon as it is sent. */
#ifndef BOXTOP_WEBHOOKS_H
#define BOXTOP_WEBHOOKS_H

#include <stdbool.h>
#include <stdint.h>

#include "boxtop/api.h"
#include "boxtop/buf.h"
#include "boxtop/error.h"

#define WEBHOOK_N_EVENTS 6

/* "sandbox.lifecycle.created", ... and their short names "created", ... */
extern const char *const webhook_event_types[WEBHOOK_N_EVENTS];
extern const char *const webhook_event_short[WEBHOOK_N_EVENTS];
/* Bit (1 << index) of a full or short type name; 0 when unknown. */
unsigned webhook_event_parse(const char *name);
/* "created,killed" (short names) or "all"/"none". */
void webhook_events_format(unsigned bits, struct buf *out);
/* "created,sandbox.lifecycle.killed" / "all" into bits; -1 + err on an unknown name. */
int webhook_events_parse_list(const char *list, unsigned *bits, struct error *err);

struct webhook_info {
    char *id, *name, *url, *team_id;
    bool enabled;
    unsigned events;       /* known types */
    int unknown_events;    /* types this version does not know */
    int64_t created_at_ms; /* 0 when absent */
};

struct webhook_list {
    struct webhook_info *items;
    int n;
};

struct webhook_attempt_info {
    char *delivery_id, *event_id, *type, *error; /* error NULL on success */
    int attempt;
    int status; /* 0 when no answer came */
    bool success;
    int64_t at_ms, latency_ms;
};

struct webhook_attempts {
    struct webhook_attempt_info *items;
    int n;
};

int webhook_parse(const char *body, size_t len, struct webhook_info *out, struct error *err);
int webhook_list_parse(const char *body, size_t len, struct webhook_list *out, struct error *err);
int webhook_attempts_parse(const char *body, size_t len, struct webhook_attempts *out,
                           struct error *err);
void webhook_info_free(struct webhook_info *w);
void webhook_list_free(struct webhook_list *l);
void webhook_attempts_free(struct webhook_attempts *l);
/* The webhook as the API shows it (for --json). */
cJSON *webhook_info_to_json(const struct webhook_info *w);

/* Fields of a create (all but secret required) or an update (NULL / has_* false = keep). */
struct webhook_fields {
    const char *name, *url, *secret;
    bool has_enabled, enabled;
    bool has_events;
    unsigned events;
};
/* The JSON body; the caller zeroes and frees it (it may hold the secret). */
char *webhook_body(const struct webhook_fields *f);

/* The calls: the result's body is the raw answer (parse it with the functions above). */
struct api_call *api_webhooks_list(struct api *a, api_done_cb cb, void *ud);
struct api_call *api_webhook_create(struct api *a, const struct webhook_fields *f, api_done_cb cb,
                                    void *ud);
struct api_call *api_webhook_update(struct api *a, const char *id, const struct webhook_fields *f,
                                    api_done_cb cb, void *ud);
struct api_call *api_webhook_delete(struct api *a, const char *id, api_done_cb cb, void *ud);
struct api_call *api_webhook_deliveries(struct api *a, const char *id, api_done_cb cb, void *ud);
/* The deliveries call's result means "this backend keeps no delivery history" (E2B cloud). */
bool webhook_no_history(const struct api_result *res);

#endif
