/* fuzz_envd_events.c - envd stream messages (process events, WatchDir events) and ListDir
 * responses on hostile JSON. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "boxtop/envd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct envd_parse keep = {0};
    struct error err;
    struct envd_proc_event ev;
    if (envd_proc_event_parse((const char *)data, size, &ev, &keep, &err) == 0) {
        if (ev.kind == ENVD_PROC_DATA && ev.len && !ev.data) abort();
        if (ev.kind == ENVD_PROC_END) {
            int st = envd_proc_exit_status(&ev);
            if (st < 0 || st > 255) abort();
        }
    }
    struct envd_fs_event fe;
    envd_fs_event_parse((const char *)data, size, &fe, &keep, &err);
    envd_parse_free(&keep);
    cJSON *doc = cJSON_ParseWithLength((const char *)data, size);
    if (doc) {
        struct envd_entries es;
        if (envd_entries_parse(doc, &es, &err) == 0) envd_entries_free(&es);
        cJSON_Delete(doc);
    }
    return 0;
}
