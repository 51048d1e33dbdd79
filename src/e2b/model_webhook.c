/* model_webhook.c - webhook and delivery-attempt models, their parsers and request bodies
 * (see boxtop/webhooks.h). Lenient where E2B's shapes may grow (unknown event types are
 * counted, not fatal), strict on the types of what is read. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "boxtop/json.h"
#include "boxtop/webhooks.h"
#include "model_util.h"

const char *const webhook_event_types[WEBHOOK_N_EVENTS] = {
    "sandbox.lifecycle.created", "sandbox.lifecycle.killed",  "sandbox.lifecycle.updated",
    "sandbox.lifecycle.paused",  "sandbox.lifecycle.resumed", "sandbox.lifecycle.checkpointed",
};
const char *const webhook_event_short[WEBHOOK_N_EVENTS] = {
    "created", "killed", "updated", "paused", "resumed", "checkpointed",
};

unsigned webhook_event_parse(const char *name)
{
    for (int i = 0; name && i < WEBHOOK_N_EVENTS; i++)
        if (!strcmp(name, webhook_event_types[i]) || !strcmp(name, webhook_event_short[i]))
            return 1u << i;
    return 0;
}

void webhook_events_format(unsigned bits, struct buf *out)
{
    unsigned all = (1u << WEBHOOK_N_EVENTS) - 1;
    if ((bits & all) == all) {
        buf_append_str(out, "all");
        return;
    }
    int n = 0;
    for (int i = 0; i < WEBHOOK_N_EVENTS; i++)
        if (bits & (1u << i)) buf_printf(out, "%s%s", n++ ? "," : "", webhook_event_short[i]);
    if (!n) buf_append_str(out, "none");
}

int webhook_events_parse_list(const char *list, unsigned *bits, struct error *err)
{
    *bits = 0;
    if (!strcmp(list, "all")) {
        *bits = (1u << WEBHOOK_N_EVENTS) - 1;
        return 0;
    }
    const char *p = list;
    while (*p) {
        size_t n = strcspn(p, ",");
        char name[64];
        if (n == 0 || n >= sizeof name)
            return error_set(err, ERROR_USAGE, "bad event list \"%.60s\"", list);
        memcpy(name, p, n);
        name[n] = '\0';
        unsigned b = webhook_event_parse(name);
        if (!b)
            return error_set(err, ERROR_USAGE,
                             "unknown event type \"%.60s\" (known: created, killed, updated, "
                             "paused, resumed, checkpointed, or all)",
                             name);
        *bits |= b;
        p += n;
        if (*p == ',') p++;
    }
    if (!*bits) return error_set(err, ERROR_USAGE, "no event types given");
    return 0;
}

void webhook_info_free(struct webhook_info *w)
{
    free(w->id);
    free(w->name);
    free(w->url);
    free(w->team_id);
    memset(w, 0, sizeof *w);
}

void webhook_list_free(struct webhook_list *l)
{
    for (int i = 0; i < l->n; i++)
        webhook_info_free(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

void webhook_attempts_free(struct webhook_attempts *l)
{
    for (int i = 0; i < l->n; i++) {
        struct webhook_attempt_info *a = &l->items[i];
        free(a->delivery_id);
        free(a->event_id);
        free(a->type);
        free(a->error);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

static int parse_one(const cJSON *o, const char *path, struct webhook_info *w, struct error *err)
{
    const cJSON *ev = NULL, *it;
    if (json_expect_object(o, path, err) < 0 || model_req_str(o, path, "id", &w->id, err) < 0 ||
        model_req_str(o, path, "url", &w->url, err) < 0 ||
        model_opt_str(o, path, "name", &w->name, err) < 0 ||
        model_opt_str(o, path, "teamID", &w->team_id, err) < 0 ||
        json_opt_bool(o, path, "enabled", &w->enabled, true, err) < 0 ||
        model_opt_time(o, path, "createdAt", &w->created_at_ms, err) < 0 ||
        json_opt_array(o, path, "events", &ev, err) < 0)
        return -1;
    int i = 0;
    cJSON_ArrayForEach(it, ev)
    {
        char p[96], q[128];
        if (!cJSON_IsString(it))
            return error_set(
                err, ERROR_PROTOCOL, "%s: expected a string",
                json_path_index(q, sizeof q, json_path_key(p, sizeof p, path, "events"), i));
        unsigned b = webhook_event_parse(it->valuestring);
        if (b)
            w->events |= b;
        else
            w->unknown_events++;
        i++;
    }
    return 0;
}

int webhook_parse(const char *body, size_t len, struct webhook_info *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    cJSON *j = json_parse(body, len, err);
    if (!j) return -1;
    int rc = parse_one(j, "webhook", out, err);
    cJSON_Delete(j);
    if (rc < 0) webhook_info_free(out);
    return rc;
}

int webhook_list_parse(const char *body, size_t len, struct webhook_list *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    cJSON *j = json_parse(body, len, err), *it;
    if (!j) return -1;
    int rc = json_expect_array(j, "webhooks", err), i = 0;
    cJSON_ArrayForEach(it, j)
    {
        if (rc < 0) break;
        char p[64];
        struct webhook_info *w = model_grow((void **)&out->items, &out->n, sizeof *w);
        if (!w) {
            rc = error_set(err, ERROR_GENERIC, "out of memory");
            break;
        }
        rc = parse_one(it, json_path_index(p, sizeof p, "webhooks", i++), w, err);
    }
    cJSON_Delete(j);
    if (rc < 0) webhook_list_free(out);
    return rc < 0 ? -1 : 0;
}

static int parse_attempt(const cJSON *o, const char *path, struct webhook_attempt_info *a,
                         struct error *err)
{
    if (json_expect_object(o, path, err) < 0 ||
        model_opt_str(o, path, "deliveryId", &a->delivery_id, err) < 0 ||
        model_opt_str(o, path, "eventId", &a->event_id, err) < 0 ||
        model_opt_str(o, path, "type", &a->type, err) < 0 ||
        model_opt_str(o, path, "error", &a->error, err) < 0 ||
        model_opt_int(o, path, "attempt", 0, 1000, &a->attempt, err) < 0 ||
        model_opt_int(o, path, "statusCode", 0, 999, &a->status, err) < 0 ||
        json_opt_bool(o, path, "success", &a->success, false, err) < 0 ||
        model_opt_time(o, path, "timestamp", &a->at_ms, err) < 0 ||
        json_opt_int64(o, path, "latencyMs", &a->latency_ms, 0, err) < 0)
        return -1;
    return 0;
}

int webhook_attempts_parse(const char *body, size_t len, struct webhook_attempts *out,
                           struct error *err)
{
    memset(out, 0, sizeof *out);
    cJSON *j = json_parse(body, len, err), *it;
    if (!j) return -1;
    int rc = json_expect_array(j, "deliveries", err), i = 0;
    cJSON_ArrayForEach(it, j)
    {
        if (rc < 0) break;
        char p[64];
        struct webhook_attempt_info *a = model_grow((void **)&out->items, &out->n, sizeof *a);
        if (!a) {
            rc = error_set(err, ERROR_GENERIC, "out of memory");
            break;
        }
        rc = parse_attempt(it, json_path_index(p, sizeof p, "deliveries", i++), a, err);
    }
    cJSON_Delete(j);
    if (rc < 0) webhook_attempts_free(out);
    return rc < 0 ? -1 : 0;
}

static cJSON *events_json(unsigned bits)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; a && i < WEBHOOK_N_EVENTS; i++)
        if (bits & (1u << i)) cJSON_AddItemToArray(a, cJSON_CreateString(webhook_event_types[i]));
    return a;
}

cJSON *webhook_info_to_json(const struct webhook_info *w)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "id", w->id ? w->id : "");
    if (w->team_id) cJSON_AddStringToObject(o, "teamID", w->team_id);
    cJSON_AddStringToObject(o, "name", w->name ? w->name : "");
    cJSON_AddStringToObject(o, "url", w->url ? w->url : "");
    cJSON_AddBoolToObject(o, "enabled", w->enabled);
    cJSON_AddItemToObject(o, "events", events_json(w->events));
    if (w->created_at_ms) {
        json_add_time(o, "createdAt", w->created_at_ms);
    }
    return o;
}

char *webhook_body(const struct webhook_fields *f)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    if (f->name) cJSON_AddStringToObject(o, "name", f->name);
    if (f->url) cJSON_AddStringToObject(o, "url", f->url);
    if (f->has_enabled) cJSON_AddBoolToObject(o, "enabled", f->enabled);
    if (f->has_events) cJSON_AddItemToObject(o, "events", events_json(f->events));
    if (f->secret) cJSON_AddStringToObject(o, "signatureSecret", f->secret);
    char *s = cJSON_PrintUnformatted(o);
    /* the tree holds a copy of the secret: wipe it before it goes back to the allocator */
    cJSON *sec = cJSON_GetObjectItemCaseSensitive(o, "signatureSecret");
    if (cJSON_IsString(sec)) memset(sec->valuestring, 0, strlen(sec->valuestring));
    cJSON_Delete(o);
    return s;
}
