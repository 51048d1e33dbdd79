/* fuzz_sandbox_json.c - sandbox list/detail/created parsers, the JSON emitter and the
 * metadata query encoder on what they parsed; also boxtopd.json (local backend state) and
 * the base image's note in boxtopd's /health text. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/api.h"
#include "boxtop/local_backend.h"
#include "boxtop/models.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct sandbox *s)
{
    if (!s->id || !s->id[0] || !s->template_id || !s->envd_version)
        abort(); /* required fields are never missing after a successful parse */
    cJSON *j = sandbox_to_json(s);
    if (cJSON_GetObjectItemCaseSensitive(j, "envdAccessToken") ||
        cJSON_GetObjectItemCaseSensitive(j, "trafficAccessToken"))
        abort(); /* tokens never reach output */
    cJSON_Delete(j);
    struct buf b = BUF_INIT;
    api_encode_metadata(&s->metadata, &b);
    buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct error err = {0};
    struct sandbox_list l;
    if (sandbox_list_parse(text, size, &l, &err) == 0) {
        for (int i = 0; i < l.n; i++)
            check(&l.items[i]);
        sandbox_list_free(&l);
    }
    struct sandbox s;
    if (sandbox_detail_parse(text, size, &s, &err) == 0) {
        check(&s);
        sandbox_free(&s);
    }
    if (sandbox_created_parse(text, size, &s, &err) == 0) {
        check(&s);
        sandbox_free(&s);
    }
    struct local_backend_info info;
    if (local_backend_parse_state(text, size, &info, &err) == 0) {
        if (!info.api_url || strncmp(info.api_url, "http", 4) || info.pid <= 1) abort();
        local_backend_info_free(&info);
    }
    char note[64];
    local_backend_base_note((const char *)data, size, note, sizeof note);
    /* the text form's note starts with its key; the JSON form's is the "base" field as sent */
    if (strlen(note) >= sizeof note ||
        (size && data[0] != '{' && note[0] && strncmp(note, "base", 4) != 0))
        abort();
    return 0;
}
