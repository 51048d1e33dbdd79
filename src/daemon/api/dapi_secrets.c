/* dapi_secrets.c - /secrets and /secrets/{secretID} (list, create, get, update, delete) over the
 * local store (secret_store.h). Like upstream (handlers/secrets.go, middleware/secrets.go,
 * utils/error.go) every answer on this path family carries Cache-Control: no-store, and every
 * failure one fixed text: no name, selector, value, metadata or token of the request ever
 * reaches an answer or boxtopd's log. A secret's value is write-only. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "boxtop/loop.h"
#include "../query.h"
#include "dapi.h"
#include "secret_store.h"

#define MSG_INVALID   "Invalid secrets request"
#define MSG_NOT_FOUND "Secret not found"
#define MSG_CONFLICT  "Secret cannot be modified in its current state"
#define MSG_STORAGE   "Secrets backend error"

static int answer_rc(struct server_request *req, enum secret_rc rc)
{
    switch (rc) {
    case SECRET_INVALID:
        return server_respond_error(req, 400, MSG_INVALID);
    case SECRET_NOT_FOUND:
        return server_respond_error(req, 404, MSG_NOT_FOUND);
    case SECRET_CONFLICT:
        return server_respond_error(req, 409, MSG_CONFLICT);
    default:
        return server_respond_error(req, 502, MSG_STORAGE);
    }
}

/* (Cache-Control: no-store is added with the key check, dapi_routes.c, for every answer under
 * /secrets, the 401s and 404s too.) */
static struct secret_store *store_or_answer(struct daemon *d, struct server_request *req)
{
    struct secret_store *st = d->secrets;
    if (!st) server_respond_error(req, 502, MSG_STORAGE);
    return st;
}

/* The JSON body as an object whose "value" is a string (and "name" one when want_name) and
 * whose "metadata", when present and not null, is an object; else NULL (answered 400). */
static cJSON *body_or_answer(struct server_request *req, bool want_name)
{
    size_t len;
    const char *raw = server_request_body(req, &len);
    cJSON *o = raw && len ? cJSON_ParseWithLength(raw, len) : NULL;
    const cJSON *meta = cJSON_GetObjectItemCaseSensitive(o, "metadata");
    if (!cJSON_IsObject(o) || !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "value")) ||
        (want_name && !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "name"))) ||
        (meta && !cJSON_IsNull(meta) && !cJSON_IsObject(meta))) {
        cJSON_Delete(o);
        server_respond_error(req, 400, MSG_INVALID);
        return NULL;
    }
    return o;
}

/* The value's bytes are wiped with the parsed body. */
static void body_free(cJSON *o)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "value");
    if (cJSON_IsString(v)) explicit_bzero(v->valuestring, strlen(v->valuestring));
    cJSON_Delete(o);
}

static const cJSON *body_metadata(const cJSON *o)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, "metadata");
    return cJSON_IsObject(m) ? m : NULL;
}

int dapi_secrets_list(struct daemon *d, struct server_request *req)
{
    struct secret_store *st = store_or_answer(d, req);
    if (!st) return 0;
    struct query *q = server_request_query_all(req);
    const char *lim = q ? query_get(q, "limit") : NULL, *tok = q ? query_get(q, "nextToken") : NULL;
    long long limit = 100;
    if (!q || (lim && (query_parse_int64(lim, &limit) < 0 || limit < 1 || limit > 100)))
        return server_respond_error(req, 400, MSG_INVALID);
    long start = secret_page_start(st, tok);
    if (start < 0) return server_respond_error(req, 400, MSG_INVALID);
    cJSON *arr = cJSON_CreateArray();
    size_t i = (size_t)start, end = i + (size_t)limit < st->n ? i + (size_t)limit : st->n;
    for (; arr && i < end; i++)
        cJSON_AddItemToArray(arr, secret_json(st->v[i]));
    if (!arr) return server_respond_error(req, 500, "out of memory");
    if (end < st->n && end > 0) server_add_header(req, "X-Next-Token", st->v[end - 1]->id);
    return server_respond_json(req, 200, arr);
}

int dapi_secret_create(struct daemon *d, struct server_request *req)
{
    struct secret_store *st = store_or_answer(d, req);
    if (!st) return 0;
    cJSON *o = body_or_answer(req, true);
    if (!o) return 0;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "value");
    struct secret *s = NULL;
    enum secret_rc rc =
        secret_create(st, cJSON_GetObjectItemCaseSensitive(o, "name")->valuestring, v->valuestring,
                      strlen(v->valuestring), body_metadata(o), loop_wall_ms(), &s);
    body_free(o);
    if (rc != SECRET_OK) return answer_rc(req, rc);
    return server_respond_json(req, 201, secret_json(s));
}

static struct secret *secret_or_answer(struct secret_store *st, struct server_request *req)
{
    enum secret_rc rc;
    struct secret *s = secret_find(st, server_request_capture(req, 0), &rc);
    if (!s) answer_rc(req, rc);
    return s;
}

int dapi_secret_get(struct daemon *d, struct server_request *req)
{
    struct secret_store *st = store_or_answer(d, req);
    struct secret *s = st ? secret_or_answer(st, req) : NULL;
    return s ? server_respond_json(req, 200, secret_json(s)) : 0;
}

int dapi_secret_update(struct daemon *d, struct server_request *req)
{
    struct secret_store *st = store_or_answer(d, req);
    struct secret *s = st ? secret_or_answer(st, req) : NULL;
    if (!s) return 0;
    cJSON *o = body_or_answer(req, false);
    if (!o) return 0;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "value");
    enum secret_rc rc = secret_update(st, s, v->valuestring, strlen(v->valuestring),
                                      body_metadata(o), loop_wall_ms());
    body_free(o);
    if (rc != SECRET_OK) return answer_rc(req, rc);
    return server_respond_json(req, 200, secret_json(s));
}

int dapi_secret_delete(struct daemon *d, struct server_request *req)
{
    struct secret_store *st = store_or_answer(d, req);
    struct secret *s = st ? secret_or_answer(st, req) : NULL;
    if (!s) return 0;
    enum secret_rc rc = secret_delete(st, s);
    if (rc != SECRET_OK) return answer_rc(req, rc);
    return server_respond(req, 204, NULL, NULL, 0);
}

int dapi_secrets_no_route(struct daemon *d, struct server_request *req)
{
    (void)d;
    server_add_header(req, "Cache-Control", "no-store");
    return server_respond_error(req, 404, "Not found");
}
