/* fuzz_events_json.c - the lifecycle events parser (GET /events/sandboxes) and its time
 * parser on hostile bodies. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/events_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct error err = {0};
    struct sbx_event_list l;
    if (events_parse((const char *)data, size, &l, &err) == 0) {
        for (int i = 0; i < l.n; i++) {
            /* every kept event has a type and a sandbox; newest first */
            if (!l.v[i].type || !l.v[i].sandbox) abort();
            if (i && l.v[i].t_ms > l.v[i - 1].t_ms) abort();
        }
        events_list_free(&l);
    }
    char *s = malloc(size + 1);
    if (!s) return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    (void)events_parse_time(s);
    free(s);
    return 0;
}
