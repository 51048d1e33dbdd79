/* fuzz_daemon_json.c - every platform API body validator and the sandbox record reader on
 * arbitrary bytes (and the spawns.json reader): no crash, no leak, and accepted creates are within
 * the documented limits. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "api/dapi_validate.h"
#include "sandbox.h"
#include "sblog.h"
#include "spawns.h"
#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *b = (const char *)data;
    struct create_req r;
    struct error err;
    int64_t t;
    bool ap, has;

    for (int v2 = 0; v2 < 2; v2++) {
        if (validate_create(b, size, v2, &r, &err) == 0) {
            if (r.timeout_s <= 0 || r.timeout_s > VALIDATE_MAX_TIMEOUT_S ||
                !validate_template_ref(r.template_ref))
                abort();
            create_req_free(&r);
        }
    }
    validate_connect(b, size, &t, &err);
    validate_timeout(b, size, &t, &err);
    validate_refresh(b, size, &t, &err);
    validate_resume(b, size, &t, &ap, &has, &err);
    validate_pause(b, size, &err);

    struct spawns sp;
    spawns_parse(b, size, &sp);
    if (sp.count > (1ULL << 53) || sp.last_ms < 0) abort();

    struct sblog *l = sblog_new();
    if (l) {
        sblog_add_line(l, b, size);
        if (sblog_count(l) > 1) abort();
        sblog_free(l);
    }

    cJSON *j = cJSON_ParseWithLength(b, size);
    if (j) {
        struct sbx s;
        memset(&s, 0, sizeof s);
        if (store_record_from_json(j, &s, &err) == 0 && !ids_sandbox_valid(s.id)) abort();
        cJSON_Delete(s.metadata);
        cJSON_Delete(s.env_vars);
        cJSON_Delete(s.volume_mounts);
        cJSON_Delete(j);
    }
    return 0;
}
