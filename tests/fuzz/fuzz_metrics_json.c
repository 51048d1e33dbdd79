/* fuzz_metrics_json.c - sandbox metrics (array and batch) parsers and the emitter. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "boxtop/models.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct metric_sample *m)
{
    if (m->ts < 0 || m->mem_used < 0 || m->disk_total < 0 || !isfinite(m->cpu_pct) ||
        m->cpu_pct < 0)
        abort();
    cJSON_Delete(metric_sample_to_json(m));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct error err = {0};
    struct metric_list l;
    if (metrics_parse((const char *)data, size, &l, &err) == 0) {
        for (int i = 0; i < l.n; i++)
            check(&l.items[i]);
        metric_list_free(&l);
    }
    struct sandbox_metric_list b = {0};
    if (metrics_batch_parse((const char *)data, size, &b, &err) == 0) {
        for (int i = 0; i < b.n; i++) {
            if (!b.items[i].sandbox_id) abort();
            check(&b.items[i].m);
        }
    }
    sandbox_metric_list_free(&b);
    return 0;
}
