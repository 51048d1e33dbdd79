/* dapi_volumes.c - team volume routes (GET/POST /volumes, GET/DELETE /volumes/{id}) and the
 * volumeMounts check of a create. Shapes: protocol/snapshots-volumes.md §4. The content API
 * (/volumecontent, the volume's token) is dapi_volcontent.c. GET /volumes adds sizeBytes and
 * mountedBy (sandbox ids) for list views. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "../runtime/runtime.h"
#include "../sandbox.h"
#include "../volume.h"
#include "dapi.h"
#include "dapi_validate.h"

static cJSON *volume_json(struct daemon *d, const struct volume *v, bool token, bool extra)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "volumeID", v->id);
    cJSON_AddStringToObject(o, "name", v->name);
    if (token) cJSON_AddStringToObject(o, "token", v->token);
    if (!extra) return o;
    cJSON_AddNumberToObject(o, "sizeBytes", (double)volume_bytes(v));
    cJSON *by = cJSON_AddArrayToObject(o, "mountedBy");
    for (size_t i = 0; by && i < d->n_sbx; i++) {
        const cJSON *m;
        cJSON_ArrayForEach(m, d->sbx[i]->volume_mounts)
        {
            const cJSON *n = cJSON_GetObjectItemCaseSensitive(m, "name");
            if (cJSON_IsString(n) && strcmp(n->valuestring, v->name) == 0) {
                cJSON_AddItemToArray(by, cJSON_CreateString(d->sbx[i]->id));
                break;
            }
        }
    }
    return o;
}

int dapi_volumes_list(struct daemon *d, struct server_request *req)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && d->vols && i < d->vols->n; i++)
        cJSON_AddItemToArray(arr, volume_json(d, d->vols->v[i], false, true));
    if (!arr) return server_respond_error(req, 500, "out of memory");
    return server_respond_json(req, 200, arr);
}

int dapi_volume_create(struct daemon *d, struct server_request *req)
{
    struct error err;
    cJSON *body = dapi_body_object(req, false);
    if (!body) return 0;
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(body, "name");
    struct volume *v;
    int rc = volume_create(d, cJSON_IsString(name) ? name->valuestring : NULL, &v, &err);
    cJSON_Delete(body);
    if (rc < 0)
        return server_respond_error(req, err.kind == ERROR_USAGE ? 400 : 500, "%s", err.msg);
    return server_respond_json(req, 201, volume_json(d, v, true, false));
}

static struct volume *volume_or_error(struct daemon *d, struct server_request *req)
{
    const char *id = server_request_capture(req, 0);
    char clean[37];
    if (!id || strlen(id) != 36) {
        server_respond_error(req, 400, "Invalid volume ID");
        return NULL;
    }
    for (int i = 0; i < 36; i++) {
        char c = id[i] >= 'A' && id[i] <= 'F' ? (char)(id[i] - 'A' + 'a') : id[i];
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            server_respond_error(req, 400, "Invalid volume ID");
            return NULL;
        }
        clean[i] = c;
    }
    clean[36] = '\0';
    struct volume *v = volume_find(d, clean);
    if (!v) server_respond_error(req, 404, "Volume not found");
    return v;
}

int dapi_volume_get(struct daemon *d, struct server_request *req)
{
    struct volume *v = volume_or_error(d, req);
    if (!v) return 0;
    return server_respond_json(req, 200, volume_json(d, v, true, false));
}

int dapi_volume_delete(struct daemon *d, struct server_request *req)
{
    struct volume *v = volume_or_error(d, req);
    if (!v) return 0;
    volume_delete(d, v); /* sandboxes that mount it keep their mount until they stop */
    return server_respond(req, 204, NULL, NULL, 0);
}

int dapi_volume_mounts_check(struct daemon *d, const cJSON *mounts, struct error *err)
{
    char msg[sizeof err->msg] = "invalid mounts:";
    size_t ml = strlen(msg);
    int i = 0;
    bool bad = false;
    const cJSON *m;
    struct rt_caps caps;
    rt_get_caps(d->rt, &caps);
    if (!caps.mountns && cJSON_GetArraySize(mounts) > 0)
        return error_set(err, ERROR_USAGE,
                         "Volume mounts are not enabled: boxtopd runs without mount namespaces");
    cJSON_ArrayForEach(m, mounts)
    {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(m, "name");
        if (!cJSON_IsString(n) || !volume_find_name(d, n->valuestring)) {
            bad = true;
            if (ml < sizeof msg)
                ml += (size_t)snprintf(msg + ml, sizeof msg - ml,
                                       "\n\t- volume mount #%d: volume '%s' not found", i,
                                       cJSON_IsString(n) ? n->valuestring : "");
        }
        i++;
    }
    return bad ? error_set(err, ERROR_USAGE, "%s", msg) : 0;
}
