/* dapi_templates.c - the one local template, `base`: the host's root filesystem, read-only,
 * under a per-sandbox writable layer. GET /templates, /v2/templates, /templates/{id},
 * /templates/aliases/{alias}. */
#include "config.h"

#include <string.h>

#include <cJSON.h>

#include "boxtop/json.h"

#include "../sandbox.h"
#include "../tpl.h"
#include "dapi.h"

#define BASE_BUILD_ID "00000000-0000-4000-8000-000000000001"
#define BASE_CREATED  "2026-01-01T00:00:00.000Z"

static bool is_base(const char *ref)
{
    const char *name = strchr(ref, '/') ? strchr(ref, '/') + 1 : ref;
    return strcmp(name, "base") == 0;
}

static cJSON *names_array(void)
{
    cJSON *a = cJSON_CreateArray();
    if (a) cJSON_AddItemToArray(a, cJSON_CreateString("base"));
    return a;
}

static cJSON *template_json(struct daemon *d, bool with_builds)
{
    cJSON *o = cJSON_CreateObject();
    int64_t last = 0;

    if (!o) return NULL;
    last = d->spawns.last_ms; /* also of sandboxes gone since */
    for (size_t i = 0; i < d->n_sbx; i++)
        if (d->sbx[i]->started_at_ms > last) last = d->sbx[i]->started_at_ms;
    cJSON_AddStringToObject(o, "templateID", "base");
    if (!with_builds) cJSON_AddStringToObject(o, "buildID", BASE_BUILD_ID);
    cJSON_AddNumberToObject(o, "cpuCount", 2);
    cJSON_AddNumberToObject(o, "memoryMB", 512);
    cJSON_AddNumberToObject(o, "diskSizeMB", 2048);
    cJSON_AddBoolToObject(o, "public", true);
    cJSON_AddItemToObject(o, "aliases", names_array());
    cJSON_AddItemToObject(o, "names", names_array());
    cJSON_AddStringToObject(o, "createdAt", BASE_CREATED);
    cJSON_AddStringToObject(o, "updatedAt", BASE_CREATED);
    if (!with_builds) cJSON_AddNullToObject(o, "createdBy");
    if (last) {
        json_add_time(o, "lastSpawnedAt", last);
    } else {
        cJSON_AddNullToObject(o, "lastSpawnedAt");
    }
    cJSON_AddNumberToObject(o, "spawnCount", (double)d->spawns.count);
    if (with_builds) {
        cJSON *builds = cJSON_AddArrayToObject(o, "builds");
        cJSON *b = cJSON_CreateObject();
        if (builds && b) {
            cJSON_AddStringToObject(b, "buildID", BASE_BUILD_ID);
            cJSON_AddStringToObject(b, "status", "ready");
            cJSON_AddStringToObject(b, "createdAt", BASE_CREATED);
            cJSON_AddStringToObject(b, "updatedAt", BASE_CREATED);
            cJSON_AddStringToObject(b, "finishedAt", BASE_CREATED);
            cJSON_AddNumberToObject(b, "cpuCount", 2);
            cJSON_AddNumberToObject(b, "memoryMB", 512);
            cJSON_AddNumberToObject(b, "diskSizeMB", 2048);
            cJSON_AddStringToObject(b, "envdVersion", ENVD_VERSION);
            cJSON_AddItemToArray(builds, b);
        } else {
            cJSON_Delete(b);
        }
    } else {
        cJSON_AddNumberToObject(o, "buildCount", 1);
        cJSON_AddStringToObject(o, "envdVersion", ENVD_VERSION);
        cJSON_AddStringToObject(o, "buildStatus", "ready");
    }
    return o;
}

static int check_team(struct server_request *req)
{
    const char *team = server_request_query(req, "teamID");
    if (team && *team && strcmp(team, TEAM_ID) != 0) {
        server_respond_error(req, 400, "Invalid team ID");
        return -1;
    }
    return 0;
}

int dapi_templates_list(struct daemon *d, struct server_request *req)
{
    if (check_team(req) < 0) return 0;
    cJSON *a = cJSON_CreateArray();
    if (a) cJSON_AddItemToArray(a, template_json(d, false));
    if (a) tpl_list_add(d, a);
    return server_respond_json(req, 200, a);
}

int dapi_templates_list_v2(struct daemon *d, struct server_request *req)
{
    long long limit;
    if (check_team(req) < 0 || dapi_query_int(req, "limit", 100, 1, 100, &limit) < 0) return 0;
    cJSON *a = cJSON_CreateArray();
    const char *tok = server_request_query(req, "nextToken");
    if (a && !(tok && *tok)) { /* base and the built ones: a second page is empty */
        cJSON_AddItemToArray(a, template_json(d, false));
        tpl_list_add(d, a);
    }
    return server_respond_json(req, 200, a);
}

int dapi_template_get(struct daemon *d, struct server_request *req)
{
    const char *id = server_request_capture(req, 0);
    if (!id || !is_base(id)) return server_respond_error(req, 404, "Template not found");
    return server_respond_json(req, 200, template_json(d, true));
}

/* GET /templates/base/tags: the one build of base is its "default" tag, as on E2B cloud */
int dapi_template_tags(struct daemon *d, struct server_request *req)
{
    (void)d;
    const char *id = server_request_capture(req, 0);
    if (!id || !is_base(id))
        return server_respond_error(req, 404, "Error when getting template: template not found");
    cJSON *a = cJSON_CreateArray(), *g = cJSON_CreateObject();
    if (g) {
        cJSON_AddStringToObject(g, "tag", "default");
        cJSON_AddStringToObject(g, "buildID", BASE_BUILD_ID);
        cJSON_AddStringToObject(g, "createdAt", BASE_CREATED);
    }
    if (a && g)
        cJSON_AddItemToArray(a, g);
    else
        cJSON_Delete(g);
    return server_respond_json(req, 200, a);
}

int dapi_template_alias(struct daemon *d, struct server_request *req)
{
    (void)d;
    const char *alias = server_request_capture(req, 0);
    if (!alias || !is_base(alias))
        return server_respond_error(req, 404, "Template alias not found");
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddStringToObject(o, "templateID", "base");
        cJSON_AddBoolToObject(o, "public", true);
    }
    return server_respond_json(req, 200, o);
}
