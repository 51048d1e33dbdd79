/* fuzz_dockerfile.c - the e2b.Dockerfile parser (dockerfile.h) on arbitrary text: no crash;
 * an accepted file has a base and at most DOCKERFILE_MAX_STEPS steps (+4 Docker defaults),
 * each with a string type and an args array. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "boxtop/dockerfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct dockerfile df;
    struct error err;
    if (dockerfile_parse((const char *)data, size, &df, &err) == 0) {
        if (!df.from_image == !df.from_template) abort();
        if (cJSON_GetArraySize(df.steps) > DOCKERFILE_MAX_STEPS + 4) abort();
        const cJSON *s;
        cJSON_ArrayForEach(s, df.steps)
        {
            if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(s, "type"))) abort();
            if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(s, "args"))) abort();
        }
        dockerfile_free(&df);
    } else if (!err.msg[0]) {
        abort(); /* every refusal says why */
    }
    return 0;
}
