/* fuzz_team_json.c - team metrics and team metric max parsers. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "boxtop/models.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct error err = {0};
    struct team_metric_list l;
    if (team_metrics_parse((const char *)data, size, &l, &err) == 0) {
        for (int i = 0; i < l.n; i++)
            if (l.items[i].ts < 0 || l.items[i].concurrent_sandboxes < 0) abort();
        team_metric_list_free(&l);
    }
    struct team_metric_max m;
    if (team_metric_max_parse((const char *)data, size, &m, &err) == 0 && m.ts < 0) abort();
    return 0;
}
