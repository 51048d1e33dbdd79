/* fuzz_json.c - json_parse on arbitrary bytes, then every strict accessor on every member
 * (with child paths built as the model parsers do), RFC 3339 and base64 on every string. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/base64.h"
#include "boxtop/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(const cJSON *node, const char *path, int depth)
{
    struct error err;
    error_clear(&err);
    if (depth > 64) return;
    if (cJSON_IsString(node) && node->valuestring) {
        int64_t ms;
        if (json_parse_time(node->valuestring, &ms) == 0) {
            char out[64];
            int64_t back;
            json_format_time(ms, out, sizeof out);
            /* Anything we parse within years 0000-9999 must survive a round trip. */
            if (ms > -62167219200000LL && ms < 253402300800000LL &&
                (json_parse_time(out, &back) != 0 || back != ms))
                abort();
        }
        struct buf b = BUF_INIT;
        base64_decode(&b, node->valuestring, strlen(node->valuestring));
        buf_free(&b);
        return;
    }
    if (cJSON_IsArray(node)) {
        json_expect_array(node, path, &err);
        int i = 0;
        for (const cJSON *c = node->child; c; c = c->next, i++) {
            char p[256];
            walk(c, json_path_index(p, sizeof p, path, i), depth + 1);
        }
        return;
    }
    if (!cJSON_IsObject(node)) return;
    json_expect_object(node, path, &err);
    for (const cJSON *c = node->child; c; c = c->next) {
        if (!c->string) continue;
        const char *k = c->string, *s;
        int64_t i64;
        double d;
        bool b;
        const cJSON *o;
        json_get_string(node, path, k, &s, &err);
        json_opt_string(node, path, k, &s, &err);
        json_get_int64(node, path, k, &i64, &err);
        json_opt_int64(node, path, k, &i64, 0, &err);
        json_get_double(node, path, k, &d, &err);
        json_opt_double(node, path, k, &d, 0, &err);
        json_get_bool(node, path, k, &b, &err);
        json_opt_bool(node, path, k, &b, false, &err);
        json_get_object(node, path, k, &o, &err);
        json_opt_object(node, path, k, &o, &err);
        json_get_array(node, path, k, &o, &err);
        json_opt_array(node, path, k, &o, &err);
        json_get_string(node, path, "no such key", &s, &err);
        char p[256];
        walk(c, json_path_key(p, sizeof p, path, k), depth + 1);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct error err;
    error_clear(&err);
    cJSON *root = json_parse((const char *)data, size, &err);
    if (!root) {
        if (err.kind != ERROR_PROTOCOL || !err.msg[0]) abort(); /* a failure must say why */
        return 0;
    }
    walk(root, "", 0);
    cJSON_Delete(root);
    return 0;
}
