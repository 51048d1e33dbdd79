/* fuzz_procmeta.c - the process metadata a sandbox's init gives back to a restarted boxtopd
 * (procmeta.h): parsed, then built again within the size limit. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "procmeta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *tag = NULL;
    cJSON *config = NULL;
    char op[24];
    int64_t dl;
    if (procmeta_parse((const char *)data, size, op, sizeof op, &dl, &tag, &config) < 0) {
        if (tag || config) abort();
        return 0;
    }
    if (!cJSON_IsObject(config)) abort();
    struct buf out = BUF_INIT;
    if (strlen(op) >= sizeof op) abort();
    if (procmeta_build(&out, op, dl, tag, config, 256) == 0 && out.len > 256) abort();
    buf_free(&out);
    free(tag);
    cJSON_Delete(config);
    return 0;
}
