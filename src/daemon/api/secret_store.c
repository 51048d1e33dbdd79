/* secret_store.c - the team's secrets, in memory and in DIR/secrets.json (see secret_store.h).
 * Every change is written before it is answered; when the write fails the change is undone,
 * so memory and file never disagree. Buffers that held a value are wiped before they are
 * freed. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

#include "boxtop/json.h"
#include "../fsutil.h"
#include "../ids.h"
#include "secret_store.h"

#define STORE_MAX_BYTES  (256u << 20)
#define META_MAX_ENTRIES 32
#define META_KEY_MAX     128
#define META_VALUE_MAX   1024
#define META_TOTAL_MAX   8192

static const char B32[] = "0123456789abcdefghjkmnpqrstvwxyz"; /* TypeID's Crockford base32 */

static void wipe_free(char *p, size_t n)
{
    if (!p) return;
    explicit_bzero(p, n);
    free(p);
}

static void secret_free(struct secret *s)
{
    if (!s) return;
    wipe_free(s->value, s->value_len);
    cJSON_Delete(s->metadata);
    free(s);
}

bool secret_name_normalize(const char *in, char out[SECRET_NAME_MAX + 1])
{
    if (!in) return false;
    while (*in && isspace((unsigned char)*in))
        in++;
    size_t n = strlen(in);
    while (n > 0 && isspace((unsigned char)in[n - 1]))
        n--;
    if (n == 0 || n > SECRET_NAME_MAX) return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (!isalnum(c) && c != '_' && c != '-') return false;
        out[i] = (char)tolower(c);
    }
    out[n] = '\0';
    return strncmp(out, "sec_", 4) != 0;
}

bool secret_id_valid(const char *s)
{
    if (!s || strlen(s) != SECRET_ID_LEN || strncmp(s, "sec_", 4) != 0) return false;
    for (int i = 4; i < SECRET_ID_LEN; i++)
        if (!s[i] || !strchr(B32, s[i])) return false;
    return s[4] <= '7'; /* 26 * 5 = 130 bits for 128: the top two are zero */
}

/* A TypeID of a UUIDv7 (48-bit ms time, version 7, variant 10, random rest). */
static int mint_id(int64_t now_ms, char out[SECRET_ID_LEN + 1])
{
    unsigned char u[16];
    if (ids_random(u, sizeof u) < 0) return -1;
    for (int i = 0; i < 6; i++)
        u[i] = (unsigned char)((uint64_t)now_ms >> (40 - 8 * i));
    u[6] = (unsigned char)(0x70 | (u[6] & 0x0f));
    u[8] = (unsigned char)(0x80 | (u[8] & 0x3f));
    memcpy(out, "sec_", 4);
    for (int i = 0; i < 26; i++) {
        unsigned v = 0;
        for (int k = 0; k < 5; k++) {
            int bit = 5 * i + k - 2; /* bit index into the 128 */
            unsigned b = bit < 0 ? 0 : (u[bit / 8] >> (7 - bit % 8)) & 1;
            v = (v << 1) | b;
        }
        out[4 + i] = B32[v];
    }
    out[SECRET_ID_LEN] = '\0';
    return 0;
}

/* SecretMetadata: at most 32 string entries, keys <= 128 bytes, values <= 1024, 8192 in all. */
static bool metadata_ok(const cJSON *m)
{
    if (!cJSON_IsObject(m)) return false;
    size_t n = 0, total = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, m)
    {
        if (!cJSON_IsString(e) || !e->string) return false;
        size_t kl = strlen(e->string), vl = strlen(e->valuestring);
        if (++n > META_MAX_ENTRIES || kl > META_KEY_MAX || vl > META_VALUE_MAX) return false;
        total += kl + vl;
    }
    return total <= META_TOTAL_MAX;
}

static void wipe_values(cJSON *doc)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(doc, "secrets"), *e;
    cJSON_ArrayForEach(e, arr)
    {
        cJSON *v = cJSON_GetObjectItemCaseSensitive(e, "value");
        if (cJSON_IsString(v)) explicit_bzero(v->valuestring, strlen(v->valuestring));
    }
}

static int store_save(struct secret_store *st)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *arr = doc ? cJSON_AddArrayToObject(doc, "secrets") : NULL;
    bool ok = arr != NULL;
    for (size_t i = 0; ok && i < st->n; i++) {
        const struct secret *s = st->v[i];
        cJSON *o = cJSON_CreateObject();
        ok = o && cJSON_AddItemToArray(arr, o) && cJSON_AddStringToObject(o, "secretID", s->id) &&
             cJSON_AddStringToObject(o, "name", s->name) &&
             cJSON_AddNumberToObject(o, "version", (double)s->version) &&
             cJSON_AddNumberToObject(o, "createdMs", (double)s->created_ms) &&
             cJSON_AddNumberToObject(o, "updatedMs", (double)s->updated_ms) &&
             cJSON_AddItemToObject(o, "metadata", cJSON_Duplicate(s->metadata, 1)) &&
             cJSON_AddStringToObject(o, "value", s->value);
    }
    char *txt = ok ? cJSON_PrintUnformatted(doc) : NULL;
    wipe_values(doc);
    cJSON_Delete(doc);
    if (!txt) return -1;
    struct error err;
    size_t len = strlen(txt);
    int rc = fs_write_atomic(st->path, txt, len, 0600, &err);
    wipe_free(txt, len);
    return rc;
}

static int insert_sorted(struct secret_store *st, struct secret *s)
{
    if (st->n == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 16;
        struct secret **v = realloc(st->v, cap * sizeof *v);
        if (!v) return -1;
        st->v = v;
        st->cap = cap;
    }
    size_t i = st->n;
    while (i > 0 && strcmp(st->v[i - 1]->id, s->id) > 0)
        i--;
    memmove(st->v + i + 1, st->v + i, (st->n - i) * sizeof *st->v);
    st->v[i] = s;
    st->n++;
    return 0;
}

static void remove_at(struct secret_store *st, size_t i)
{
    memmove(st->v + i, st->v + i + 1, (st->n - i - 1) * sizeof *st->v);
    st->n--;
}

static struct secret *find_name(const struct secret_store *st, const char *name)
{
    for (size_t i = 0; i < st->n; i++)
        if (strcmp(st->v[i]->name, name) == 0) return st->v[i];
    return NULL;
}

static struct secret *secret_find_id(const struct secret_store *st, const char *id)
{
    for (size_t i = 0; i < st->n; i++)
        if (strcmp(st->v[i]->id, id) == 0) return st->v[i];
    return NULL;
}

static struct secret *load_one(const cJSON *o)
{
    const char *id = json_str(o, "secretID"), *name = json_str(o, "name"),
               *value = json_str(o, "value");
    const cJSON *meta = cJSON_GetObjectItemCaseSensitive(o, "metadata");
    char canon[SECRET_NAME_MAX + 1];
    double version = json_num(o, "version", 0), created = json_num(o, "createdMs", 0),
           updated = json_num(o, "updatedMs", 0);
    /* written as !(in range) so that NaN is refused too: a double out of int64_t's range (the
     * file is hand-editable; fuzz-smoke found 1e999) must never reach the cast */
    if (!secret_id_valid(id) || !secret_name_normalize(name, canon) || strcmp(canon, name) != 0 ||
        !value || !metadata_ok(meta) || !(version >= 1 && version <= 9.0e15) ||
        !(created >= 0 && created <= 9.0e15) || !(updated >= 0 && updated <= 9.0e15))
        return NULL;
    struct secret *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    memcpy(s->id, id, SECRET_ID_LEN + 1);
    memcpy(s->name, canon, sizeof canon);
    s->version = (int64_t)version;
    s->created_ms = (int64_t)created;
    s->updated_ms = (int64_t)updated;
    s->metadata = cJSON_Duplicate(meta, 1);
    s->value_len = strlen(value);
    s->value = malloc(s->value_len + 1);
    if (!s->metadata || !s->value) {
        secret_free(s);
        return NULL;
    }
    memcpy(s->value, value, s->value_len + 1);
    return s;
}

int secret_store_parse(struct secret_store *st, const char *text, size_t len, struct error *err)
{
    cJSON *doc = cJSON_ParseWithLength(text ? text : "", len);
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(doc, "secrets"), *e;
    int rc = 0;
    if (!cJSON_IsArray(arr))
        rc = error_set(err, ERROR_PROTOCOL, "%s: not a secrets file", st->path);
    size_t i = 0;
    cJSON_ArrayForEach(e, arr)
    {
        struct secret *s = rc == 0 ? load_one(e) : NULL;
        if (rc == 0 && (!s || find_name(st, s->name) || secret_find_id(st, s->id) ||
                        insert_sorted(st, s) < 0)) {
            secret_free(s);
            rc = error_set(err, ERROR_PROTOCOL, "%s: entry %zu is damaged", st->path, i);
        }
        i++;
    }
    wipe_values(doc);
    cJSON_Delete(doc);
    if (rc < 0) secret_store_close(st);
    return rc;
}

int secret_store_open(struct secret_store *st, const char *state_dir, struct error *err)
{
    memset(st, 0, sizeof *st);
    if ((size_t)snprintf(st->path, sizeof st->path, "%s/secrets.json", state_dir) >=
        sizeof st->path)
        return error_set(err, ERROR_USAGE, "state dir path too long");
    struct buf b = {0};
    struct error rerr;
    if (fs_read_file(st->path, &b, STORE_MAX_BYTES, &rerr) < 0) {
        buf_free(&b);
        if (access(st->path, F_OK) != 0 && errno == ENOENT) return 0;
        return error_set(err, ERROR_GENERIC, "%s: cannot be read", st->path);
    }
    int rc = secret_store_parse(st, b.data, b.len, err);
    if (b.data) explicit_bzero(b.data, b.len);
    buf_free(&b);
    return rc;
}

void secret_store_close(struct secret_store *st)
{
    for (size_t i = 0; i < st->n; i++)
        secret_free(st->v[i]);
    free(st->v);
    st->v = NULL;
    st->n = st->cap = 0;
}

struct secret *secret_find(struct secret_store *st, const char *selector, enum secret_rc *rc)
{
    char key[SECRET_NAME_MAX + 1];
    size_t n = 0;
    const char *p = selector ? selector : "";
    while (*p && isspace((unsigned char)*p))
        p++;
    for (; *p && n < sizeof key - 1; p++)
        key[n++] = (char)tolower((unsigned char)*p);
    while (n > 0 && isspace((unsigned char)key[n - 1]))
        n--;
    key[n] = '\0';
    struct secret *s = NULL;
    if (strncmp(key, "sec_", 4) == 0) { /* an id, never a name: "sec_" is reserved */
        if (!secret_id_valid(key)) {
            *rc = SECRET_INVALID;
            return NULL;
        }
        for (size_t i = 0; i < st->n && !s; i++)
            if (strcmp(st->v[i]->id, key) == 0) s = st->v[i];
    } else {
        if (!secret_name_normalize(selector, key)) {
            *rc = SECRET_INVALID;
            return NULL;
        }
        s = find_name(st, key);
    }
    *rc = s ? SECRET_OK : SECRET_NOT_FOUND;
    return s;
}

static char *copy_value(const char *value, size_t len)
{
    char *v = malloc(len + 1);
    if (v) {
        memcpy(v, value, len);
        v[len] = '\0';
    }
    return v;
}

enum secret_rc secret_create(struct secret_store *st, const char *name, const char *value,
                             size_t value_len, const cJSON *metadata, int64_t now_ms,
                             struct secret **out)
{
    char canon[SECRET_NAME_MAX + 1];
    if (!secret_name_normalize(name, canon) || value_len > SECRET_VALUE_MAX ||
        (metadata && !metadata_ok(metadata)))
        return SECRET_INVALID;
    if (find_name(st, canon) || st->n >= SECRET_COUNT_MAX) return SECRET_CONFLICT;
    struct secret *s = calloc(1, sizeof *s);
    if (!s) return SECRET_STORAGE;
    memcpy(s->name, canon, sizeof canon);
    s->version = 1;
    s->created_ms = s->updated_ms = now_ms;
    s->metadata = metadata ? cJSON_Duplicate(metadata, 1) : cJSON_CreateObject();
    s->value = copy_value(value, value_len);
    s->value_len = value_len;
    if (!s->metadata || !s->value || mint_id(now_ms, s->id) < 0 || insert_sorted(st, s) < 0) {
        secret_free(s);
        return SECRET_STORAGE;
    }
    if (store_save(st) < 0) {
        for (size_t i = 0; i < st->n; i++)
            if (st->v[i] == s) remove_at(st, i);
        secret_free(s);
        return SECRET_STORAGE;
    }
    *out = s;
    return SECRET_OK;
}

enum secret_rc secret_update(struct secret_store *st, struct secret *s, const char *value,
                             size_t value_len, const cJSON *metadata, int64_t now_ms)
{
    if (value_len > SECRET_VALUE_MAX || (metadata && !metadata_ok(metadata))) return SECRET_INVALID;
    char *v = copy_value(value, value_len);
    cJSON *m = metadata ? cJSON_Duplicate(metadata, 1) : NULL;
    if (!v || (metadata && !m)) {
        wipe_free(v, value_len);
        cJSON_Delete(m);
        return SECRET_STORAGE;
    }
    struct secret old = *s;
    s->value = v;
    s->value_len = value_len;
    if (m) s->metadata = m;
    s->version++;
    s->updated_ms = now_ms;
    if (store_save(st) < 0) {
        wipe_free(s->value, s->value_len);
        if (m) cJSON_Delete(m);
        *s = old;
        return SECRET_STORAGE;
    }
    wipe_free(old.value, old.value_len);
    if (m) cJSON_Delete(old.metadata);
    return SECRET_OK;
}

enum secret_rc secret_delete(struct secret_store *st, struct secret *s)
{
    size_t i = 0;
    while (i < st->n && st->v[i] != s)
        i++;
    if (i == st->n) return SECRET_NOT_FOUND;
    remove_at(st, i);
    if (store_save(st) < 0) {
        insert_sorted(st, s); /* cannot fail: the slot it left is still allocated */
        return SECRET_STORAGE;
    }
    secret_free(s);
    return SECRET_OK;
}

cJSON *secret_json(const struct secret *s)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "secretID", s->id);
    cJSON_AddStringToObject(o, "name", s->name);
    cJSON_AddNumberToObject(o, "currentVersion", (double)s->version);
    cJSON_AddItemToObject(o, "metadata", cJSON_Duplicate(s->metadata, 1));
    json_add_time(o, "createdAt", s->created_ms);
    json_add_time(o, "updatedAt", s->updated_ms);
    return o;
}

long secret_page_start(const struct secret_store *st, const char *after)
{
    if (!after || !*after) return 0;
    if (!secret_id_valid(after)) return -1;
    size_t i = 0;
    while (i < st->n && strcmp(st->v[i]->id, after) <= 0)
        i++;
    return (long)i;
}
