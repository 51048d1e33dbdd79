/* procmeta.c - the metadata init keeps with each process (procmeta.h). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/connect.h"
#include "procmeta.h"

static int try_build(struct buf *out, const char *op, int64_t deadline_ms, const char *tag,
                     const cJSON *config, size_t max)
{
    cJSON *m = cJSON_CreateObject();
    if (!m) return -1;
    if (op && *op) cJSON_AddStringToObject(m, "op", op);
    if (deadline_ms > 0) cJSON_AddNumberToObject(m, "deadline", (double)deadline_ms);
    if (tag) cJSON_AddStringToObject(m, "tag", tag);
    if (config) cJSON_AddItemToObject(m, "config", cJSON_Duplicate(config, 1));
    buf_reset(out);
    int rc = pjson_print(out, m);
    cJSON_Delete(m);
    if (rc == 0 && out->len <= max) return 0;
    buf_reset(out);
    return -1;
}

int procmeta_build(struct buf *out, const char *op, int64_t deadline_ms, const char *tag,
                   const cJSON *config, size_t max)
{
    if (try_build(out, op, deadline_ms, tag, config, max) == 0) return 0;
    cJSON *c = cJSON_IsObject(config) ? cJSON_Duplicate(config, 1) : NULL;
    int rc = -1;
    if (c) {
        cJSON_DeleteItemFromObjectCaseSensitive(c, "envs");
        rc = try_build(out, op, deadline_ms, tag, c, max);
        if (rc < 0) {
            cJSON_DeleteItemFromObjectCaseSensitive(c, "args");
            rc = try_build(out, op, deadline_ms, tag, c, max);
        }
        cJSON_Delete(c);
    }
    if (rc < 0) rc = try_build(out, op, deadline_ms, tag, NULL, max);
    return rc;
}

int procmeta_parse(const char *meta, size_t len, char *op, size_t opn, int64_t *deadline_ms,
                   char **tag, cJSON **config)
{
    *tag = NULL;
    *config = NULL;
    *deadline_ms = 0;
    if (opn) op[0] = '\0';
    cJSON *m = cJSON_ParseWithLength(meta, len);
    if (!cJSON_IsObject(m)) {
        cJSON_Delete(m);
        return -1;
    }
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(m, "tag");
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(m, "op");
    if (o && !cJSON_IsString(o)) {
        cJSON_Delete(m);
        return -1;
    }
    const cJSON *dl = cJSON_GetObjectItemCaseSensitive(m, "deadline");
    if (dl && (!cJSON_IsNumber(dl) || !isfinite(dl->valuedouble) || dl->valuedouble < 0 ||
               dl->valuedouble > 9e15)) {
        cJSON_Delete(m);
        return -1;
    }
    if (dl) *deadline_ms = (int64_t)dl->valuedouble;
    if (o && opn && strlen(o->valuestring) < opn)
        memcpy(op, o->valuestring, strlen(o->valuestring) + 1);
    cJSON *c = cJSON_DetachItemFromObjectCaseSensitive(m, "config");
    if ((t && !cJSON_IsString(t)) || (c && !cJSON_IsObject(c))) {
        cJSON_Delete(c);
        cJSON_Delete(m);
        return -1;
    }
    *tag = t ? strdup(t->valuestring) : NULL;
    *config = c ? c : cJSON_CreateObject();
    cJSON_Delete(m);
    if ((t && !*tag) || !*config) {
        free(*tag);
        cJSON_Delete(*config);
        *tag = NULL;
        *config = NULL;
        return -1;
    }
    return 0;
}
