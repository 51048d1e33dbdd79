/* dapi_templates_build.c - E2B's template build API on boxtopd (protocol/templates-build.md):
 * POST /v3/templates (and the older /v2/templates, /templates), COPY file links and the
 * upload they point to, POST /v2/templates/{id}/builds/{bid}, build status and logs, PATCH,
 * DELETE, tags and aliases. The records are tpl.h's, the builds run in tpl_build.c. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cJSON.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "boxtop/json.h"
#include "boxtop/log.h"
#include "boxtop/loop.h"

#include "../fsutil.h"
#include "../query.h"
#include "../sandbox.h"
#include "../tpl.h"
#include "../tpl_build.h"
#include "../tpl_tar.h"
#include "dapi.h"

#define UPLOAD_TTL_S 1800

static cJSON *body_json(struct server_request *req)
{
    size_t len;
    const char *b = server_request_body(req, &len);
    if (!b || !len) return cJSON_CreateObject();
    cJSON *o = cJSON_ParseWithLength(b, len);
    if (o && !cJSON_IsObject(o)) {
        cJSON_Delete(o);
        o = NULL;
    }
    return o;
}

static bool usable(const struct tpl *t)
{
    for (size_t i = 0; i < t->n_builds; i++)
        if (t->builds[i]->status == TPL_READY) return true;
    return false;
}

static bool valid_tag(const char *t)
{
    size_t n = strlen(t);
    if (!n || n >= TPL_TAG_MAX) return false;
    for (const char *p = t; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
              *p == '.'))
            return false;
    return true;
}

/* ------------------------------------------------------------------ create */

static cJSON *names_of(const struct tpl *t, bool ns)
{
    cJSON *a = cJSON_CreateArray();
    char n[TPL_ALIAS_MAX + 40];
    snprintf(n, sizeof n, "%s%s%s", ns ? TEAM_ID : "", ns ? "/" : "", t->alias);
    if (a) cJSON_AddItemToArray(a, cJSON_CreateString(n));
    return a;
}

static int create_common(struct daemon *d, struct server_request *req, int version)
{
    cJSON *o = body_json(req);
    struct error err;
    char alias[TPL_ALIAS_MAX + 1], tag[TPL_TAG_MAX];
    if (!o) return server_respond_error(req, 400, "Invalid request body");
    const cJSON *nm = cJSON_GetObjectItemCaseSensitive(o, "name");
    if (!cJSON_IsString(nm)) nm = cJSON_GetObjectItemCaseSensitive(o, "alias");
    if (!cJSON_IsString(nm) ||
        tpl_name_parse(nm->valuestring, alias, sizeof alias, tag, sizeof tag, &err) < 0) {
        cJSON_Delete(o);
        return server_respond_error(req, 400, "%s",
                                    cJSON_IsString(nm) ? err.msg : "Name is required");
    }
    if (!strcmp(alias, "base")) {
        cJSON_Delete(o);
        return server_respond_error(req, 403, "Alias 'base' already used");
    }
    double cpu = 2, mem = 1024;
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, "cpuCount");
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, "memoryMB");
    if (cJSON_IsNumber(c)) cpu = c->valuedouble;
    if (cJSON_IsNumber(m)) mem = m->valuedouble;
    if (cpu < 1 || cpu > 32 || (cpu != 1 && ((int)cpu % 2)) || cpu != (int)cpu) {
        cJSON_Delete(o);
        return server_respond_error(req, 400, "CPU count must be 1 or an even number up to 32");
    }
    if (mem < 128 || mem > 65536 || ((int)mem % 2) || mem != (int)mem) {
        cJSON_Delete(o);
        return server_respond_error(req, 400, "Memory must be an even number of MiB, at least 128");
    }
    /* tags: the name's first, then tags[] */
    const char *tags[64];
    size_t nt = 0;
    if (tag[0]) tags[nt++] = tag;
    const cJSON *ta = cJSON_GetObjectItemCaseSensitive(o, "tags"), *x;
    cJSON_ArrayForEach(x, ta)
    {
        if (!cJSON_IsString(x) || !valid_tag(x->valuestring)) {
            cJSON_Delete(o);
            return server_respond_error(req, 400, "Invalid tag: only a-z, 0-9, '-', '_', '.'");
        }
        bool dup = false;
        for (size_t i = 0; i < nt; i++)
            dup |= !strcmp(tags[i], x->valuestring);
        if (!dup && nt < 64) tags[nt++] = x->valuestring;
    }
    if (!nt) tags[nt++] = "default";
    if (d->tpls->running >= TPL_BUILDS_MAX) {
        cJSON_Delete(o);
        return server_respond_error(req, 429,
                                    "you have reached the maximum number of concurrent template "
                                    "builds (%d). Please wait for a build to finish",
                                    TPL_BUILDS_MAX);
    }
    if (tpl_layers_bytes(d) > TPL_LAYERS_MAX_BYTES) {
        cJSON_Delete(o);
        return server_respond_error(req, 400,
                                    "template layers use more than %lld GiB; delete templates "
                                    "first",
                                    TPL_LAYERS_MAX_BYTES >> 30);
    }
    struct tpl *t = NULL;
    for (size_t i = 0; i < d->tpls->n; i++)
        if (!strcmp(d->tpls->v[i]->alias, alias)) t = d->tpls->v[i];
    if (!t && !(t = tpl_new(d, alias, &err))) {
        cJSON_Delete(o);
        return server_respond_error(req, 500, "%s", err.msg);
    }
    struct tpl_build *b = tpl_build_add(t, (int)cpu, (int)mem, &err);
    if (!b) {
        cJSON_Delete(o);
        return server_respond_error(req, 500, "%s", err.msg);
    }
    /* older waiting builds are superseded */
    for (size_t i = 0; i + 1 < t->n_builds; i++)
        if (t->builds[i]->status == TPL_WAITING) {
            t->builds[i]->status = TPL_ERROR;
            free(t->builds[i]->reason);
            t->builds[i]->reason =
                strdup("The build was canceled because it was superseded by a newer one.");
        }
    /* the tags other than default point at the build once it is ready; record them now so
     * that a failed build has its tags too (E2B assigns at request time) */
    for (size_t i = 0; i < nt; i++)
        if (strcmp(tags[i], "default") != 0) tpl_tag_set(t, tags[i], b->id);
    if (version < 3) { /* the old forms carry the build inline */
        const char *start = NULL, *ready = NULL;
        const cJSON *sc = cJSON_GetObjectItemCaseSensitive(o, "startCmd");
        const cJSON *rc = cJSON_GetObjectItemCaseSensitive(o, "readyCmd");
        if (cJSON_IsString(sc)) start = sc->valuestring;
        if (cJSON_IsString(rc)) ready = rc->valuestring;
        free(b->start_cmd);
        b->start_cmd = start ? strdup(start) : NULL;
        free(b->ready_cmd);
        b->ready_cmd = ready ? strdup(ready) : NULL;
    }
    tpl_save(d, t);
    cJSON *r = cJSON_CreateObject();
    if (!r) {
        cJSON_Delete(o);
        return server_respond_error(req, 500, "out of memory");
    }
    cJSON_AddStringToObject(r, "templateID", t->id);
    cJSON_AddStringToObject(r, "buildID", b->id);
    cJSON_AddItemToObject(r, "names", names_of(t, true));
    cJSON_AddItemToObject(r, "aliases", names_of(t, false));
    cJSON *tg = cJSON_AddArrayToObject(r, "tags");
    for (size_t i = 0; tg && i < nt; i++)
        cJSON_AddItemToArray(tg, cJSON_CreateString(tags[i]));
    cJSON_AddBoolToObject(r, "public", t->public);
    cJSON_Delete(o); /* tags[] pointed into it */
    return server_respond_json(req, 202, r);
}

int dapi_tpl_create_v3(struct daemon *d, struct server_request *req)
{
    return create_common(d, req, 3);
}

int dapi_tpl_create_v2(struct daemon *d, struct server_request *req)
{
    return create_common(d, req, 2);
}

int dapi_tpl_create_v1(struct daemon *d, struct server_request *req)
{
    return create_common(d, req, 1);
}

/* ------------------------------------------------------------------ lookups */

static struct tpl *tpl_or_404(struct daemon *d, struct server_request *req, int cap)
{
    const char *id = server_request_capture(req, cap);
    struct tpl *t = id ? tpl_find(d, id, NULL) : NULL;
    if (!t) server_respond_error(req, 404, "Error when getting template: template not found");
    return t;
}

static struct tpl_build *build_or_400(struct tpl *t, struct server_request *req, int cap)
{
    const char *bid = server_request_capture(req, cap);
    struct tpl_build *b = bid ? tpl_build_find(t, bid) : NULL;
    if (!b) {
        char shown[48];
        snprintf(shown, sizeof shown, "%.40s", bid ? bid : "");
        for (char *p = shown; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f) *p = '?';
        server_respond_error(req, 400, "Build '%s' not found", shown);
    }
    return b;
}

/* ------------------------------------------------------------------ files */

static void upload_token(struct daemon *d, const char *path, long long expires, char out[65])
{
    unsigned char mac[32];
    unsigned int ml = 0;
    char msg[256];
    int n = snprintf(msg, sizeof msg, "%s%c%lld", path, 0, expires);
    HMAC(EVP_sha256(), d->api_key, (int)strlen(d->api_key), (unsigned char *)msg, (size_t)n, mac,
         &ml);
    for (unsigned i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", mac[i]);
}

static bool hex64(const char *h)
{
    if (!h || strlen(h) != 64) return false;
    for (const char *p = h; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return false;
    return true;
}

int dapi_tpl_files(struct daemon *d, struct server_request *req)
{
    struct tpl *t = tpl_or_404(d, req, 0);
    if (!t) return 0;
    const char *hash = server_request_capture(req, 1);
    if (!hex64(hash)) return server_respond_error(req, 400, "Invalid files hash");
    char p[4200], tok[65], url[600];
    struct stat st;
    snprintf(p, sizeof p, "%s/templates/files/%s.tar", d->opt.state_dir, hash);
    bool present = stat(p, &st) == 0;
    long long exp = (long long)(loop_wall_ms() / 1000) + UPLOAD_TTL_S;
    upload_token(d, hash, exp, tok);
    const char *host = server_request_header(req, "host");
    if (!host ||
        strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") !=
            strlen(host) ||
        strlen(host) > 200)
        host = "127.0.0.1";
    snprintf(url, sizeof url, "http://%s/upload?path=%s&expires=%lld&token=%s", host, hash, exp,
             tok);
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddBoolToObject(o, "present", present);
        cJSON_AddStringToObject(o, "url", url);
    }
    return server_respond_json(req, 201, o);
}

int dapi_tpl_upload(struct daemon *d, struct server_request *req)
{
    const char *path = server_request_query(req, "path"),
               *exp = server_request_query(req, "expires"),
               *tok = server_request_query(req, "token");
    if (!path || !exp || !tok)
        return server_respond_error(req, 400, "missing path, expires or token");
    char want[65];
    long long e = strtoll(exp, NULL, 10);
    if (!hex64(path)) return server_respond_error(req, 400, "invalid path");
    upload_token(d, path, e, want);
    if (strlen(tok) != 64 || CRYPTO_memcmp(tok, want, 64) != 0 ||
        e < (long long)(loop_wall_ms() / 1000))
        return server_respond_error(req, 403, "invalid or expired upload token");
    size_t len;
    const char *body = server_request_body(req, &len);
    struct buf plain = BUF_INIT;
    struct error err;
    /* refuse a hostile archive at once, so the SDK reports it before the build starts */
    if (tpl_tar_check(body ? body : "", body ? len : 0, &plain, &err) < 0) {
        buf_free(&plain);
        return server_respond_error(req, 400, "%s", err.msg);
    }
    buf_free(&plain);
    char dir[4200], p[4300];
    snprintf(dir, sizeof dir, "%s/templates/files", d->opt.state_dir);
    snprintf(p, sizeof p, "%s/%s.tar", dir, path);
    if (fs_mkdir_p(dir, 0700, &err) < 0 || fs_write_atomic(p, body, len, 0600, &err) < 0)
        return server_respond_error(req, 500, "%s", err.msg);
    /* the uploader's next request on this connection made lws 4.1 spin in its rx-flow
     * service (a PUT with a body, then a POST with one, on one keep-alive connection): close */
    server_add_header(req, "Connection", "close");
    return server_respond(req, 200, NULL, NULL, 0);
}

/* ------------------------------------------------------------------ build start */

int dapi_tpl_build_start(struct daemon *d, struct server_request *req)
{
    struct tpl *t = tpl_or_404(d, req, 0);
    if (!t) return 0;
    const char *bid = server_request_capture(req, 1);
    if (!bid || strlen(bid) != 36)
        return server_respond_error(req, 400, "Invalid build ID: %.40s", bid ? bid : "");
    struct tpl_build *b = build_or_400(t, req, 1);
    if (!b) return 0;
    if (b->status != TPL_WAITING)
        return server_respond_error(req, 400, "build is not in waiting state");
    cJSON *o = body_json(req);
    if (!o) return server_respond_error(req, 400, "Invalid request body");
    /* the old forms had start/ready in the create */
    if (!cJSON_GetObjectItemCaseSensitive(o, "startCmd") && b->start_cmd)
        cJSON_AddStringToObject(o, "startCmd", b->start_cmd);
    if (!cJSON_GetObjectItemCaseSensitive(o, "readyCmd") && b->ready_cmd)
        cJSON_AddStringToObject(o, "readyCmd", b->ready_cmd);
    if (!cJSON_GetObjectItemCaseSensitive(o, "fromImage") &&
        !cJSON_GetObjectItemCaseSensitive(o, "fromTemplate"))
        cJSON_AddStringToObject(o, "fromImage", "e2bdev/base");
    struct error err;
    int rc = tpl_build_start(d, t, b, o, &err);
    cJSON_Delete(o);
    if (rc < 0) {
        if (err.kind == ERROR_RATE_LIMIT) return server_respond_error(req, 429, "%s", err.msg);
        return server_respond_error(req, err.kind == ERROR_USAGE ? 400 : 500, "%s", err.msg);
    }
    if (b->job) tpl_save(d, t); /* a cached or failed start was saved when it finished */
    return server_respond(req, 202, NULL, NULL, 0);
}

/* ------------------------------------------------------------------ status, logs */

/* Optional integer query parameter in [min,max] (answers 400 itself); not dapi_routes.c's helper
 * so that this file and the route table do not call each other. */
static const char *level_name(int l)
{
    return l >= LOG_ERROR ? "error" : l >= LOG_WARN ? "warn" : l <= LOG_DEBUG ? "debug" : "info";
}

static int level_rank(const char *s)
{
    if (!s) return 0;
    if (!strcmp(s, "debug")) return 0;
    if (!strcmp(s, "info")) return 1;
    if (!strcmp(s, "warn")) return 2;
    if (!strcmp(s, "error")) return 3;
    return -1;
}

static int rank_of(int l)
{
    return l >= LOG_ERROR ? 3 : l >= LOG_WARN ? 2 : l <= LOG_DEBUG ? 0 : 1;
}

static cJSON *entry_json(const struct tpl_log *l)
{
    cJSON *e = cJSON_CreateObject();
    if (!e) return NULL;
    json_add_time(e, "timestamp", l->ms);
    cJSON_AddStringToObject(e, "level", level_name(l->level));
    cJSON_AddStringToObject(e, "message", l->msg);
    if (l->step[0]) cJSON_AddStringToObject(e, "step", l->step);
    return e;
}

/* The build the path names (/templates/{id}/builds/{bid}/...) and its page: the query's
 * `from` (0 by default, 0..max) and limit (100 by default, 0..100); *tp (if tp) the template.
 * NULL when the answer (404, 400) has been sent. */
static struct tpl_build *build_page(struct daemon *d, struct server_request *req, struct tpl **tp,
                                    const char *from, long long max, long long *from_v,
                                    long long *limit)
{
    struct tpl *t = tpl_or_404(d, req, 0);
    if (tp) *tp = t;
    if (!t) return NULL;
    struct tpl_build *b = build_or_400(t, req, 1);
    if (!b) return NULL;
    if (dapi_query_int(req, from, 0, 0, max, from_v) < 0 ||
        dapi_query_int(req, "limit", 100, 0, 100, limit) < 0)
        return NULL;
    return b;
}

int dapi_tpl_build_status(struct daemon *d, struct server_request *req)
{
    struct tpl *t;
    long long off, limit;
    struct tpl_build *b = build_page(d, req, &t, "logsOffset", 1LL << 40, &off, &limit);
    if (!b) return 0;
    int min = level_rank(server_request_query(req, "level"));
    if (min < 0) return server_respond_error(req, 400, "Invalid level");
    cJSON *o = cJSON_CreateObject();
    if (!o) return server_respond_error(req, 500, "out of memory");
    cJSON_AddStringToObject(o, "templateID", t->id);
    cJSON_AddStringToObject(o, "buildID", b->id);
    cJSON_AddStringToObject(o, "status", tpl_status_name(b->status));
    cJSON_AddArrayToObject(o, "logs");
    cJSON *ents = cJSON_AddArrayToObject(o, "logEntries");
    cJSON *reason_logs = NULL;
    if (b->reason && b->reason_step[0]) reason_logs = cJSON_CreateArray();
    size_t k = 0;
    for (size_t i = 0; b->status != TPL_WAITING && i < b->n_logs && (long long)k < limit; i++) {
        if (rank_of(b->logs[i].level) < min) continue;
        if ((long long)i < off) continue;
        cJSON_AddItemToArray(ents, entry_json(&b->logs[i]));
        if (reason_logs && rank_of(b->logs[i].level) >= 2 &&
            !strcmp(b->logs[i].step, b->reason_step))
            cJSON_AddItemToArray(reason_logs, entry_json(&b->logs[i]));
        k++;
    }
    if (b->reason) {
        cJSON *r = cJSON_AddObjectToObject(o, "reason");
        cJSON_AddStringToObject(r, "message", b->reason);
        if (b->reason_step[0] || !strncmp(b->reason, "build ", 6))
            cJSON_AddStringToObject(r, "step", b->reason_step);
        if (reason_logs && cJSON_GetArraySize(reason_logs))
            cJSON_AddItemToObject(r, "logEntries", reason_logs);
        else if (reason_logs) {
            cJSON_Delete(reason_logs);
            cJSON_AddNullToObject(r, "logEntries");
        }
    } else {
        cJSON_Delete(reason_logs);
    }
    return server_respond_json(req, 200, o);
}

int dapi_tpl_build_logs(struct daemon *d, struct server_request *req)
{
    long long cursor, limit;
    struct tpl_build *b = build_page(d, req, NULL, "cursor", 1LL << 52, &cursor, &limit);
    if (!b) return 0;
    const char *dir = server_request_query(req, "direction");
    bool back = dir && !strcmp(dir, "backward");
    if (dir && !back && strcmp(dir, "forward") != 0)
        return server_respond_error(req, 400, "Invalid direction");
    int min = level_rank(server_request_query(req, "level"));
    if (min < 0) return server_respond_error(req, 400, "Invalid level");
    cJSON *o = cJSON_CreateObject();
    cJSON *a = o ? cJSON_AddArrayToObject(o, "logs") : NULL;
    long long k = 0;
    if (back) {
        if (!cursor) cursor = 1LL << 52;
        for (size_t i = b->n_logs; a && i-- > 0 && k < limit;)
            if (b->logs[i].ms <= cursor && rank_of(b->logs[i].level) >= min) {
                cJSON_AddItemToArray(a, entry_json(&b->logs[i]));
                k++;
            }
    } else {
        for (size_t i = 0; a && i < b->n_logs && k < limit; i++)
            if (b->logs[i].ms >= cursor && rank_of(b->logs[i].level) >= min) {
                cJSON_AddItemToArray(a, entry_json(&b->logs[i]));
                k++;
            }
    }
    return server_respond_json(req, 200, o);
}

/* ------------------------------------------------------------------ get, patch, delete */

/* GET /templates/{id}: its builds newest first, a page of `limit` (1..100, 100) at a time
 * like E2B cloud, X-Next-Token naming the next. The token counts builds from the oldest
 * (those not yet listed), so builds started while a client pages do not shift its pages. */
int dapi_tpl_get(struct daemon *d, struct server_request *req)
{
    const char *id = server_request_capture(req, 0);
    struct tpl *t = id ? tpl_find(d, id, NULL) : NULL;
    long long limit, left = 0;
    if (dapi_query_int(req, "limit", 100, 1, 100, &limit) < 0) return 0;
    const char *tok = server_request_query(req, "nextToken");
    if (tok && *tok && (query_parse_int64(tok, &left) < 0 || left < 1))
        return server_respond_error(req, 400, "Invalid next token");
    if (!t) return dapi_template_get(d, req);
    if (!(tok && *tok) || left > (long long)t->n_builds) left = (long long)t->n_builds;
    cJSON *o = tpl_json(d, t, false);
    if (!o) return server_respond_error(req, 500, "out of memory");
    /* the listing's fields that TemplateWithBuilds does not have */
    static const char *const listed_only[] = {"buildID", "createdBy", "buildCount", "envdVersion",
                                              "buildStatus"};
    for (size_t i = 0; i < sizeof listed_only / sizeof *listed_only; i++)
        cJSON_DeleteItemFromObjectCaseSensitive(o, listed_only[i]);
    cJSON *a = cJSON_AddArrayToObject(o, "builds");
    long long i = left;
    for (; a && i > 0 && left - i < limit; i--)
        cJSON_AddItemToArray(a, tpl_build_json(t->builds[i - 1]));
    if (i > 0) {
        char next[32];
        snprintf(next, sizeof next, "%lld", i);
        server_add_header(req, "X-Next-Token", next);
    }
    return server_respond_json(req, 200, o);
}

int dapi_tpl_patch(struct daemon *d, struct server_request *req)
{
    struct tpl *t = tpl_or_404(d, req, 0);
    if (!t) return 0;
    cJSON *o = body_json(req);
    if (!o) return server_respond_error(req, 400, "Invalid request body");
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(o, "public");
    if (p && !cJSON_IsBool(p)) {
        cJSON_Delete(o);
        return server_respond_error(req, 400, "public must be a boolean");
    }
    if (p) t->public = cJSON_IsTrue(p);
    cJSON_Delete(o);
    t->updated_ms = loop_wall_ms();
    tpl_save(d, t);
    cJSON *r = cJSON_CreateObject();
    if (r) cJSON_AddItemToObject(r, "names", names_of(t, true));
    return server_respond_json(req, 200, r);
}

int dapi_tpl_delete(struct daemon *d, struct server_request *req)
{
    const char *ref = server_request_capture(req, 0);
    struct tpl *t = ref ? tpl_find(d, ref, NULL) : NULL;
    if (!t && ref && strchr(ref, ':')) { /* a :tag is ignored: the whole template goes */
        char base[200];
        snprintf(base, sizeof base, "%.*s", (int)(strchr(ref, ':') - ref), ref);
        t = tpl_find(d, base, NULL);
    }
    if (!t) return dapi_template_delete(d, req);
    for (size_t i = 0; i < t->n_builds; i++)
        if (t->builds[i]->job)
            return server_respond_error(
                req, 400, "cannot delete template '%s' while it is building", t->alias);
    /* As E2B: paused sandboxes from it refuse the delete; running ones go on, and its layers
     * are freed when the last sandbox, snapshot or child template stacked on them is gone. */
    for (size_t i = 0; i < d->n_sbx; i++)
        if (!strcmp(d->sbx[i]->template_id, t->id) && d->sbx[i]->state != SBX_RUNNING)
            return server_respond_error(req, 400,
                                        "cannot delete template '%s' because there are paused "
                                        "sandboxes using it",
                                        t->id);
    tpl_delete(d, t);
    return server_respond(req, 204, NULL, NULL, 0);
}

/* ------------------------------------------------------------------ aliases, tags */

int dapi_tpl_alias(struct daemon *d, struct server_request *req)
{
    const char *ref = server_request_capture(req, 0);
    struct tpl_build *b = NULL;
    struct tpl *t = ref ? tpl_find(d, ref, &b) : NULL;
    if (!t || !usable(t)) return dapi_template_alias(d, req);
    if (ref && strchr(ref, ':') && !b)
        return server_respond_error(req, 404, "tag does not exist for template '%s'", t->alias);
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddStringToObject(o, "templateID", t->id);
        cJSON_AddBoolToObject(o, "public", t->public);
    }
    return server_respond_json(req, 200, o);
}

int dapi_tpl_tags_get(struct daemon *d, struct server_request *req)
{
    const char *id = server_request_capture(req, 0);
    struct tpl *t = id ? tpl_find(d, id, NULL) : NULL;
    if (!t) return dapi_template_tags(d, req);
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; a && i < t->n_tags; i++) {
        struct tpl_build *b = tpl_build_find(t, t->tags[i].build);
        if (!b || b->status != TPL_READY) continue;
        cJSON *g = cJSON_CreateObject();
        cJSON_AddStringToObject(g, "tag", t->tags[i].name);
        cJSON_AddStringToObject(g, "buildID", t->tags[i].build);
        json_add_time(g, "createdAt", t->tags[i].at_ms);
        cJSON_AddItemToArray(a, g);
    }
    return server_respond_json(req, 200, a);
}

int dapi_tpl_tags_assign(struct daemon *d, struct server_request *req)
{
    cJSON *o = body_json(req);
    const cJSON *tg = o ? cJSON_GetObjectItemCaseSensitive(o, "target") : NULL;
    const cJSON *tags = o ? cJSON_GetObjectItemCaseSensitive(o, "tags") : NULL;
    char alias[TPL_ALIAS_MAX + 1], tag[TPL_TAG_MAX], ref[TPL_ALIAS_MAX + TPL_TAG_MAX + 2];
    struct error err;
    if (!cJSON_IsString(tg) || !cJSON_IsArray(tags) || !cJSON_GetArraySize(tags)) {
        cJSON_Delete(o);
        return server_respond_error(req, 400, "target and tags are required");
    }
    if (tpl_name_parse(tg->valuestring, alias, sizeof alias, tag, sizeof tag, &err) < 0) {
        cJSON_Delete(o);
        return server_respond_error(req, 400, "%s", err.msg);
    }
    snprintf(ref, sizeof ref, "%s:%s", alias, tag[0] ? tag : "default");
    struct tpl_build *b = NULL;
    struct tpl *t = tpl_find(d, ref, &b);
    if (!t || !b || b->status != TPL_READY) {
        cJSON_Delete(o);
        return server_respond_error(req, 404, "Template '%s' with tag '%s' not found", alias,
                                    tag[0] ? tag : "default");
    }
    const cJSON *x;
    cJSON_ArrayForEach(x, tags) if (!cJSON_IsString(x) || !valid_tag(x->valuestring))
    {
        cJSON_Delete(o);
        return server_respond_error(req, 400, "Invalid tag: only a-z, 0-9, '-', '_', '.'");
    }
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "buildID", b->id);
    cJSON *ra = cJSON_AddArrayToObject(r, "tags");
    char bid[40];
    snprintf(bid, sizeof bid, "%s", b->id);
    cJSON_ArrayForEach(x, tags)
    {
        tpl_tag_set(t, x->valuestring, bid);
        cJSON_AddItemToArray(ra, cJSON_CreateString(x->valuestring));
    }
    cJSON_Delete(o);
    tpl_save(d, t);
    return server_respond_json(req, 201, r);
}

int dapi_tpl_tags_remove(struct daemon *d, struct server_request *req)
{
    cJSON *o = body_json(req);
    const cJSON *nm = o ? cJSON_GetObjectItemCaseSensitive(o, "name") : NULL;
    const cJSON *tags = o ? cJSON_GetObjectItemCaseSensitive(o, "tags") : NULL;
    if (!cJSON_IsString(nm) || !cJSON_IsArray(tags)) {
        cJSON_Delete(o);
        return server_respond_error(req, 400, "name and tags are required");
    }
    if (strchr(nm->valuestring, ':')) {
        cJSON_Delete(o);
        return server_respond_error(req, 400, "name must not contain a tag");
    }
    struct tpl *t = tpl_find(d, nm->valuestring, NULL);
    if (!t) {
        cJSON_Delete(o);
        return server_respond_error(req, 404, "template not found");
    }
    const cJSON *x;
    cJSON_ArrayForEach(x, tags) if (!cJSON_IsString(x) || !strcmp(x->valuestring, "default"))
    {
        cJSON_Delete(o);
        return server_respond_error(req, 400, "Cannot delete the 'default' tag");
    }
    cJSON_ArrayForEach(x, tags) tpl_tag_remove(t, x->valuestring);
    cJSON_Delete(o);
    tpl_save(d, t);
    return server_respond(req, 204, NULL, NULL, 0);
}
