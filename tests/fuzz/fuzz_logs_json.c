/* fuzz_logs_json.c - sandbox logs v2 and v1 parsers and the emitter. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "boxtop/models.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(struct log_list *l)
{
    for (int i = 0; i < l->n; i++) {
        struct log_entry *e = &l->items[i];
        if (!e->timestamp || !e->message || (unsigned)e->level > LOG_ENTRY_ERROR) abort();
        cJSON_Delete(log_entry_to_json(e));
    }
    log_list_free(l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct error err = {0};
    struct log_list l;
    if (logs_v2_parse((const char *)data, size, &l, &err) == 0) check(&l);
    if (logs_v1_parse((const char *)data, size, &l, &err) == 0) check(&l);
    return 0;
}
