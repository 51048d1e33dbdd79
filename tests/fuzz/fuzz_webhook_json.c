/* fuzz_webhook_json.c - boxtopd's webhook inputs on arbitrary bytes: the create and patch
 * bodies of /events/webhooks and the state file (webhooks.json). No crash, no leak, and what is
 * accepted holds the documented limits (known event types, http(s) URL, bounded strings). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cJSON.h>

#include "webhook_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_input(const struct webhook_input *in, bool create)
{
    if (create && (!in->name || !in->url || !in->secret || !in->has_events)) abort();
    if (in->name && (!*in->name || strlen(in->name) > WEBHOOK_NAME_MAX)) abort();
    if (in->url && (strncasecmp(in->url, "http", 4) != 0 || strlen(in->url) > WEBHOOK_URL_MAX))
        abort();
    for (const char *p = in->url; p && *p; p++) /* ASCII, no spaces, no controls */
        if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f) abort();
    if (in->secret && (!*in->secret || strlen(in->secret) > WEBHOOK_SECRET_MAX)) abort();
    if (in->has_events && (!in->events || in->events >= (1u << WEBHOOK_EVENT_TYPES))) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *b = (const char *)data;
    struct error err;
    for (int create = 0; create < 2; create++) {
        struct webhook_input in;
        if (webhook_input_parse(b, size, create, &in, &err) == 0) {
            check_input(&in, create);
            struct webhook w = {0};
            webhook_apply(&w, &in);
            cJSON_Delete(webhook_to_json(&w, "local"));
            webhook_free(&w);
        }
        webhook_input_free(&in);
    }
    struct webhook **v = NULL;
    size_t n = 0, skipped = 0;
    if (webhooks_state_from_json(b, size, &v, &n, &skipped, &err) == 0) {
        if (n > WEBHOOKS_MAX) abort();
        for (size_t i = 0; i < n; i++) {
            if (!v[i]->events || v[i]->nq > WEBHOOK_QUEUE_MAX || v[i]->hist_n > WEBHOOK_HISTORY)
                abort();
            cJSON_Delete(webhook_history_json(v[i]));
            webhook_free(v[i]);
            free(v[i]);
        }
        free(v);
    }
    return 0;
}
