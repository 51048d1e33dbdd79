/* fuzz_template_json.c - the template parsers: the templates list (and its emitter), one
 * template with its builds (GET /templates/{id}) and its tags (GET /templates/{id}/tags). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "boxtop/models.h"
#include "boxtop/template_builds.h"

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
    struct template_detail d;
    if (template_detail_parse((const char *)data, size, &d, &err) == 0) {
        if (!d.id) abort();
        for (int i = 0; i < d.n_builds; i++) {
            if (!d.builds[i].id || !d.builds[i].status) abort();
            (void)template_build_duration_ms(&d.builds[i], 1764072000000);
        }
        template_detail_free(&d);
    }
    struct template_tag_list t;
    if (template_tags_parse((const char *)data, size, &t, &err) == 0) {
        for (int i = 0; i < t.n; i++)
            if (!t.items[i].tag || !t.items[i].build_id) abort();
        template_tag_list_free(&t);
    }
    return 0;
}
