/* fuzz_webhook_client_json.c - boxtop's parsers of webhook answers (one webhook, a list, the
 * delivery history) and of the CLI's event lists on arbitrary bytes: no crash, no leak, and
 * what parses has ids and only known event bits. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/webhooks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *b = (const char *)data;
    struct error err;
    struct webhook_info w;
    struct webhook_list l;
    struct webhook_attempts a;
    unsigned all = (1u << WEBHOOK_N_EVENTS) - 1;
    if (webhook_parse(b, size, &w, &err) == 0) {
        if (!w.id || !w.url || (w.events & ~all)) abort();
        cJSON_Delete(webhook_info_to_json(&w));
        webhook_info_free(&w);
    }
    if (webhook_list_parse(b, size, &l, &err) == 0) {
        for (int i = 0; i < l.n; i++)
            if (!l.items[i].id || (l.items[i].events & ~all)) abort();
        webhook_list_free(&l);
    }
    if (webhook_attempts_parse(b, size, &a, &err) == 0) {
        for (int i = 0; i < a.n; i++)
            if (a.items[i].status < 0 || a.items[i].status > 999) abort();
        webhook_attempts_free(&a);
    }
    char *s = malloc(size + 1);
    if (!s) return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    unsigned bits;
    if (webhook_events_parse_list(s, &bits, &err) == 0 && (!bits || (bits & ~all))) abort();
    free(s);
    return 0;
}
