/* volumes.c - team volumes: the routes and the volumeMounts check of a create. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "api.h"

int api_volume_mounts_check(struct daemon *d, const cJSON *mounts, struct error *err)
{
    char msg[sizeof err->msg] = "invalid mounts:";
    size_t ml = strlen(msg);
    int i = 0, bad = 0;
    const cJSON *m;
    (void)d;
    cJSON_ArrayForEach(m, mounts)
    {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(m, "name");
        bad++;
        if (ml < sizeof msg)
            ml += (size_t)snprintf(msg + ml, sizeof msg - ml,
                                   "\n\t- volume mount #%d: volume '%s' not found", i,
                                   cJSON_IsString(n) ? n->valuestring : "");
        i++;
    }
    if (!bad) return 0;
    return error_set(err, ERROR_USAGE, "%s", msg);
}
