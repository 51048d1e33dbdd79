/* webhook_model.c - webhook records, their validation and JSON shapes (see webhook_model.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <curl/curl.h>
#include <openssl/evp.h>

#include "boxtop/base64.h"
#include "boxtop/json.h"
#include "boxtop/secret.h"
#include "api/dapi.h"
#include "api/dapi_validate.h"
#include "webhook_model.h"

const char *const webhook_event_names[WEBHOOK_EVENT_TYPES] = {
    "sandbox.lifecycle.created", "sandbox.lifecycle.killed",  "sandbox.lifecycle.updated",
    "sandbox.lifecycle.paused",  "sandbox.lifecycle.resumed", "sandbox.lifecycle.checkpointed",
};

unsigned webhook_event_bit(const char *type)
{
    for (int i = 0; type && i < WEBHOOK_EVENT_TYPES; i++)
        if (!strcmp(type, webhook_event_names[i])) return 1u << i;
    return 0;
}

void webhook_input_free(struct webhook_input *in)
{
    free(in->name);
    free(in->url);
    secret_free(in->secret);
    memset(in, 0, sizeof *in);
}

static bool has_controls(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f) return true;
    return false;
}

static bool is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80) return false;
    return true;
}

int webhook_url_check(const char *url, struct error *err)
{
    if (strlen(url) > WEBHOOK_URL_MAX) {
        error_set(err, ERROR_USAGE, "validation error: url is longer than %d bytes",
                  WEBHOOK_URL_MAX);
        return 400;
    }
    if (has_controls(url) || strchr(url, ' ')) {
        error_set(err, ERROR_USAGE, "validation error: url contains spaces or control characters");
        return 400;
    }
    if (!is_ascii(url)) { /* what a URL carries is ASCII: IDN hosts as punycode, paths %-encoded */
        error_set(err, ERROR_USAGE,
                  "validation error: url must be ASCII (punycode the host, percent-encode the "
                  "rest)");
        return 400;
    }
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL;
    int rc = 0;
    if (!u) {
        error_set(err, ERROR_GENERIC, "out of memory");
        return 500;
    }
    /* NON_SUPPORT_SCHEME: judge the scheme ourselves, whatever this libcurl was built with */
    if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)) {
        error_set(err, ERROR_USAGE, "validation error: url must be an http or https URL");
        rc = 400;
    } else if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !host || !*host) {
        error_set(err, ERROR_USAGE, "validation error: url must name a host");
        rc = 400;
    }
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    return rc;
}

static int bad(struct error *err, const char *msg)
{
    error_set(err, ERROR_USAGE, "validation error: %s", msg);
    return 400;
}

static int take_string(const cJSON *o, const char *key, size_t max, char **out, struct error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v) return 0;
    if (!cJSON_IsString(v)) {
        error_set(err, ERROR_USAGE, "validation error: %s must be a string", key);
        return 400;
    }
    size_t n = strlen(v->valuestring);
    if (n == 0 || n > max) {
        error_set(err, ERROR_USAGE, "validation error: %s must be 1 to %zu bytes long", key, max);
        return 400;
    }
    *out = strdup(v->valuestring);
    if (!*out) {
        error_set(err, ERROR_GENERIC, "out of memory");
        return 500;
    }
    return 0;
}

static int take_events(const cJSON *o, struct webhook_input *in, struct error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "events"), *it;
    if (!v) return 0;
    if (!cJSON_IsArray(v)) return bad(err, "events must be an array of event types");
    in->has_events = true;
    in->events = 0;
    cJSON_ArrayForEach(it, v)
    {
        unsigned bit = cJSON_IsString(it) ? webhook_event_bit(it->valuestring) : 0;
        if (!bit) {
            struct buf b = BUF_INIT;
            for (int i = 0; i < WEBHOOK_EVENT_TYPES; i++)
                buf_printf(&b, "%s%s", i ? ", " : "", webhook_event_names[i]);
            error_set(err, ERROR_USAGE, "validation error: unknown event type (known: %s)",
                      buf_cstr(&b));
            buf_free(&b);
            return 400;
        }
        in->events |= bit;
    }
    if (!in->events) return bad(err, "events must name at least one event type");
    return 0;
}

int webhook_input_parse(const char *body, size_t len, bool create, struct webhook_input *out,
                        struct error *err)
{
    cJSON *o = NULL;
    int rc = validate_object(body, len, false, &o, err);
    memset(out, 0, sizeof *out);
    if (rc) return rc;
    const cJSON *en = cJSON_GetObjectItemCaseSensitive(o, "enabled");
    if ((rc = take_string(o, "name", WEBHOOK_NAME_MAX, &out->name, err)) ||
        (rc = take_string(o, "url", WEBHOOK_URL_MAX, &out->url, err)) ||
        (rc = take_string(o, "signatureSecret", WEBHOOK_SECRET_MAX, &out->secret, err)) ||
        (rc = take_events(o, out, err)))
        goto out;
    if (en) {
        if (!cJSON_IsBool(en)) {
            rc = bad(err, "enabled must be a boolean");
            goto out;
        }
        out->has_enabled = true;
        out->enabled = cJSON_IsTrue(en);
    }
    if (out->url && (rc = webhook_url_check(out->url, err))) goto out;
    if (create) {
        if (!out->name)
            rc = bad(err, "name is required");
        else if (!out->url)
            rc = bad(err, "url is required");
        else if (!out->has_events)
            rc = bad(err, "events is required");
        else if (!out->secret)
            rc = bad(err, "signatureSecret is required");
    }
out:
    cJSON_Delete(o);
    if (rc) webhook_input_free(out);
    return rc;
}

static void replace(char **dst, char **src)
{
    if (!*src) return;
    if (*dst) memset(*dst, 0, strlen(*dst)); /* may be the old secret */
    free(*dst);
    *dst = *src;
    *src = NULL;
}

void webhook_apply(struct webhook *w, struct webhook_input *in)
{
    replace(&w->name, &in->name);
    replace(&w->url, &in->url);
    replace(&w->secret, &in->secret);
    if (in->has_enabled) w->enabled = in->enabled;
    if (in->has_events) w->events = in->events;
}

void webhook_free(struct webhook *w)
{
    if (!w) return;
    while (w->nq)
        webhook_queue_pop(w);
    free(w->q);
    free(w->name);
    free(w->url);
    secret_free(w->secret);
    memset(w, 0, sizeof *w);
}

static cJSON *events_array(unsigned bits)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; a && i < WEBHOOK_EVENT_TYPES; i++)
        if (bits & (1u << i)) cJSON_AddItemToArray(a, cJSON_CreateString(webhook_event_names[i]));
    return a;
}

cJSON *webhook_to_json(const struct webhook *w, const char *team_id)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "id", w->id);
    cJSON_AddStringToObject(o, "teamID", team_id);
    cJSON_AddStringToObject(o, "name", w->name ? w->name : "");
    cJSON_AddStringToObject(o, "url", w->url ? w->url : "");
    cJSON_AddBoolToObject(o, "enabled", w->enabled);
    cJSON_AddItemToObject(o, "events", events_array(w->events));
    json_add_time(o, "createdAt", w->created_ms);
    return o;
}

static cJSON *attempt_json(const struct wh_attempt *a)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "deliveryId", a->delivery_id);
    cJSON_AddStringToObject(o, "eventId", a->event_id);
    cJSON_AddStringToObject(o, "type", a->type);
    cJSON_AddNumberToObject(o, "attempt", a->attempt);
    json_add_time(o, "timestamp", a->at_ms);
    if (a->status)
        cJSON_AddNumberToObject(o, "statusCode", a->status);
    else
        cJSON_AddNullToObject(o, "statusCode");
    if (a->error[0])
        cJSON_AddStringToObject(o, "error", a->error);
    else
        cJSON_AddNullToObject(o, "error");
    cJSON_AddBoolToObject(o, "success", !a->error[0]);
    cJSON_AddNumberToObject(o, "latencyMs", (double)a->latency_ms);
    return o;
}

cJSON *webhook_history_json(const struct webhook *w)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t k = 0; arr && k < w->hist_n; k++) {
        size_t i = (w->hist_head + WEBHOOK_HISTORY - 1 - k) % WEBHOOK_HISTORY;
        cJSON_AddItemToArray(arr, attempt_json(&w->hist[i]));
    }
    return arr;
}

void webhook_history_add(struct webhook *w, const struct wh_attempt *a)
{
    w->hist[w->hist_head] = *a;
    w->hist_head = (w->hist_head + 1) % WEBHOOK_HISTORY;
    if (w->hist_n < WEBHOOK_HISTORY) w->hist_n++;
}

int webhook_queue_push(struct webhook *w, char *body, const char *event_id, const char *type,
                       int64_t due_ms)
{
    int dropped = 0;
    if (w->nq >= WEBHOOK_QUEUE_MAX) {
        webhook_queue_pop(w);
        dropped = 1;
    }
    if (w->nq == w->capq) {
        size_t cap = w->capq ? w->capq * 2 : 8;
        struct wh_pending *q = realloc(w->q, cap * sizeof *q);
        if (!q) {
            free(body);
            return -1;
        }
        w->q = q;
        w->capq = cap;
    }
    struct wh_pending *p = &w->q[w->nq++];
    memset(p, 0, sizeof *p);
    p->body = body;
    snprintf(p->event_id, sizeof p->event_id, "%s", event_id);
    snprintf(p->type, sizeof p->type, "%s", type);
    p->due_ms = due_ms;
    return dropped;
}

void webhook_queue_pop(struct webhook *w)
{
    if (!w->nq) return;
    free(w->q[0].body);
    memmove(w->q, w->q + 1, (w->nq - 1) * sizeof *w->q);
    w->nq--;
}

/* ---- state file -------------------------------------------------------------------------- */

cJSON *webhooks_state_to_json(struct webhook *const *v, size_t n)
{
    cJSON *root = cJSON_CreateObject(), *arr = cJSON_CreateArray();
    if (!root || !arr) {
        cJSON_Delete(root);
        cJSON_Delete(arr);
        return NULL;
    }
    cJSON_AddNumberToObject(root, "version", 1);
    cJSON_AddItemToObject(root, "webhooks", arr);
    for (size_t i = 0; i < n; i++) {
        const struct webhook *w = v[i];
        cJSON *o = cJSON_CreateObject(), *q = cJSON_CreateArray(), *h = cJSON_CreateArray();
        cJSON_AddItemToArray(arr, o);
        cJSON_AddStringToObject(o, "id", w->id);
        cJSON_AddStringToObject(o, "name", w->name);
        cJSON_AddStringToObject(o, "url", w->url);
        cJSON_AddStringToObject(o, "signatureSecret", w->secret);
        cJSON_AddBoolToObject(o, "enabled", w->enabled);
        cJSON_AddNumberToObject(o, "events", w->events);
        cJSON_AddNumberToObject(o, "createdAt", (double)w->created_ms);
        cJSON_AddItemToObject(o, "pending", q);
        for (size_t k = 0; k < w->nq; k++) {
            cJSON *p = cJSON_CreateObject();
            cJSON_AddItemToArray(q, p);
            cJSON_AddStringToObject(p, "body", w->q[k].body);
            cJSON_AddStringToObject(p, "eventId", w->q[k].event_id);
            cJSON_AddStringToObject(p, "type", w->q[k].type);
            cJSON_AddNumberToObject(p, "attempts", w->q[k].attempts);
            cJSON_AddNumberToObject(p, "due", (double)w->q[k].due_ms);
        }
        cJSON_AddItemToObject(o, "history", h);
        for (size_t k = 0; k < w->hist_n; k++) {
            const struct wh_attempt *a =
                &w->hist[(w->hist_head + WEBHOOK_HISTORY - w->hist_n + k) % WEBHOOK_HISTORY];
            cJSON *p = cJSON_CreateObject();
            cJSON_AddItemToArray(h, p);
            cJSON_AddNumberToObject(p, "at", (double)a->at_ms);
            cJSON_AddStringToObject(p, "deliveryId", a->delivery_id);
            cJSON_AddStringToObject(p, "eventId", a->event_id);
            cJSON_AddStringToObject(p, "type", a->type);
            cJSON_AddNumberToObject(p, "attempt", a->attempt);
            cJSON_AddNumberToObject(p, "status", a->status);
            cJSON_AddStringToObject(p, "error", a->error);
            cJSON_AddNumberToObject(p, "latencyMs", (double)a->latency_ms);
        }
    }
    return root;
}

static const char *str_of(const cJSON *o, const char *k, size_t max)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) && strlen(v->valuestring) <= max ? v->valuestring : NULL;
}

static bool num_of(const cJSON *o, const char *k, double lo, double hi, int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < lo ||
        v->valuedouble > hi)
        return false;
    *out = (int64_t)v->valuedouble;
    return true;
}

static bool uuid_like(const char *s)
{
    if (!s || strlen(s) != WEBHOOK_ID_LEN) return false;
    for (int i = 0; i < WEBHOOK_ID_LEN; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !strchr("0123456789abcdef", s[i])) return false;
    }
    return true;
}

static void restore_pending(struct webhook *w, const cJSON *arr)
{
    const cJSON *p;
    cJSON_ArrayForEach(p, arr)
    {
        const char *body = str_of(p, "body", 1u << 20), *eid = str_of(p, "eventId", 64),
                   *type = str_of(p, "type", 47);
        int64_t attempts, due;
        if (!body || !eid || !type || !webhook_event_bit(type) ||
            !num_of(p, "attempts", 0, 100, &attempts) || !num_of(p, "due", 0, 9.0e15, &due))
            continue;
        char *copy = strdup(body);
        if (!copy || webhook_queue_push(w, copy, eid, type, due) < 0) continue;
        w->q[w->nq - 1].attempts = (int)attempts;
    }
}

static void restore_history(struct webhook *w, const cJSON *arr)
{
    const cJSON *p;
    cJSON_ArrayForEach(p, arr)
    {
        struct wh_attempt a = {0};
        const char *did = str_of(p, "deliveryId", WEBHOOK_ID_LEN),
                   *eid = str_of(p, "eventId", WEBHOOK_ID_LEN), *type = str_of(p, "type", 47),
                   *er = str_of(p, "error", sizeof a.error - 1);
        int64_t at, attempt, status, lat;
        if (!did || !eid || !type || !er || !num_of(p, "at", 0, 9.0e15, &at) ||
            !num_of(p, "attempt", 1, 100, &attempt) || !num_of(p, "status", 0, 999, &status) ||
            !num_of(p, "latencyMs", 0, 9.0e15, &lat))
            continue;
        a.at_ms = at;
        snprintf(a.delivery_id, sizeof a.delivery_id, "%s", did);
        snprintf(a.event_id, sizeof a.event_id, "%s", eid);
        snprintf(a.type, sizeof a.type, "%s", type);
        snprintf(a.error, sizeof a.error, "%s", er);
        a.attempt = (int)attempt;
        a.status = (int)status;
        a.latency_ms = lat;
        webhook_history_add(w, &a);
    }
}

static struct webhook *restore_one(const cJSON *o, struct error *err)
{
    const char *id = str_of(o, "id", WEBHOOK_ID_LEN), *name = str_of(o, "name", WEBHOOK_NAME_MAX),
               *url = str_of(o, "url", WEBHOOK_URL_MAX),
               *secret = str_of(o, "signatureSecret", WEBHOOK_SECRET_MAX);
    int64_t events, created;
    const cJSON *en = cJSON_GetObjectItemCaseSensitive(o, "enabled");
    if (!uuid_like(id) || !name || !*name || !url || !secret || !*secret || !cJSON_IsBool(en) ||
        !num_of(o, "events", 1, (1 << WEBHOOK_EVENT_TYPES) - 1, &events) ||
        !num_of(o, "createdAt", 0, 9.0e15, &created) || webhook_url_check(url, err))
        return NULL;
    struct webhook *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    snprintf(w->id, sizeof w->id, "%s", id);
    w->name = strdup(name);
    w->url = strdup(url);
    w->secret = strdup(secret);
    if (!w->name || !w->url || !w->secret) {
        webhook_free(w);
        free(w);
        return NULL;
    }
    w->enabled = cJSON_IsTrue(en);
    w->events = (unsigned)events;
    w->created_ms = created;
    restore_pending(w, cJSON_GetObjectItemCaseSensitive(o, "pending"));
    restore_history(w, cJSON_GetObjectItemCaseSensitive(o, "history"));
    return w;
}

int webhooks_state_from_json(const char *text, size_t len, struct webhook ***out, size_t *n,
                             size_t *skipped, struct error *err)
{
    *out = NULL;
    *n = *skipped = 0;
    cJSON *root = cJSON_ParseWithLength(text, len);
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "webhooks"), *o;
    if (!cJSON_IsObject(root) || !cJSON_IsArray(arr)) {
        cJSON_Delete(root);
        return error_set(err, ERROR_PROTOCOL, "webhooks state: not a webhooks document");
    }
    size_t total = (size_t)cJSON_GetArraySize(arr);
    struct webhook **v = calloc(total ? total : 1, sizeof *v);
    if (!v) {
        cJSON_Delete(root);
        return error_set(err, ERROR_GENERIC, "out of memory");
    }
    cJSON_ArrayForEach(o, arr)
    {
        struct error e2 = {0};
        struct webhook *w = *n < WEBHOOKS_MAX ? restore_one(o, &e2) : NULL;
        bool dup = false;
        for (size_t i = 0; w && i < *n; i++)
            dup = dup || !strcmp(v[i]->id, w->id);
        if (w && !dup) {
            v[(*n)++] = w;
        } else {
            if (w) {
                webhook_free(w);
                free(w);
            }
            (*skipped)++;
        }
    }
    cJSON_Delete(root);
    *out = v;
    return 0;
}

int webhook_sign(const char *secret, const char *body, size_t len, char *out, size_t n)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
             EVP_DigestUpdate(ctx, secret, strlen(secret)) && EVP_DigestUpdate(ctx, body, len) &&
             EVP_DigestFinal_ex(ctx, md, &mdlen);
    EVP_MD_CTX_free(ctx);
    if (!ok) return -1;
    struct buf b = BUF_INIT;
    if (base64_encode(&b, md, mdlen) < 0) {
        buf_free(&b);
        return -1;
    }
    while (b.len && b.data[b.len - 1] == '=') /* v1 signatures are unpadded */
        b.len--;
    if (b.len >= n) {
        buf_free(&b);
        return -1;
    }
    memcpy(out, b.data, b.len);
    out[b.len] = '\0';
    buf_free(&b);
    return 0;
}
