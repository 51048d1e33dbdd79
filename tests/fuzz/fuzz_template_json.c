/* fuzz_template_json.c - templates list parser and the emitter. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "boxtop/models.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct error err = {0};
    struct template_list l;
    if (templates_parse((const char *)data, size, &l, &err) == 0) {
        for (int i = 0; i < l.n; i++) {
            if (!l.items[i].id || !l.items[i].build_status) abort();
            for (int k = 0; k < l.items[i].n_aliases; k++)
                if (!l.items[i].aliases[k]) abort();
            cJSON_Delete(template_to_json(&l.items[i]));
        }
        template_list_free(&l);
    }
    return 0;
}
