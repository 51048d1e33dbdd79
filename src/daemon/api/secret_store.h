/* secret_store.h - the team's secrets (/secrets): one local store, kept in DIR/secrets.json
 * (0600, rewritten atomically on every change). A secret has an id (sec_ + a TypeID of a
 * UUIDv7, sortable by creation), a canonical name, a version counted from 1, string metadata
 * and a write-only value: nothing here ever hands the value out, and no error text carries a
 * name, a value or metadata (upstream: handlers/secrets.go, shared/pkg/secretsstore). Pure: no
 * server, no log. */
#ifndef BOXTOPD_SECRET_STORE_H
#define BOXTOPD_SECRET_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boxtop/error.h"

struct cJSON;

#define SECRET_ID_LEN    30    /* "sec_" + 26 */
#define SECRET_NAME_MAX  128   /* bytes, as secretsstore.NormalizeName */
#define SECRET_VALUE_MAX 65536 /* bytes; larger answers 400 (upstream: VALUE_TOO_LARGE) */
#define SECRET_COUNT_MAX 1000  /* more answers 409 (upstream: SECRET_LIMIT_REACHED) */

struct secret {
    char id[SECRET_ID_LEN + 1];
    char name[SECRET_NAME_MAX + 1];
    int64_t version;
    int64_t created_ms, updated_ms;
    struct cJSON *metadata; /* object of strings, never NULL */
    char *value;            /* wiped on free */
    size_t value_len;
};

struct secret_store {
    char path[4096];
    struct secret **v; /* sorted by id = by creation */
    size_t n, cap;
};

/* Kinds of failure, each answered with one fixed text by the API layer. */
enum secret_rc {
    SECRET_OK = 0,
    SECRET_INVALID = -1,   /* 400 */
    SECRET_NOT_FOUND = -2, /* 404 */
    SECRET_CONFLICT = -3,  /* 409: name taken, too many */
    SECRET_STORAGE = -4,   /* 500: the file could not be written (nothing changed) */
};

/* Loads DIR/secrets.json (missing = empty). A damaged file is an error (err says where, never
 * what it holds). */
int secret_store_open(struct secret_store *st, const char *state_dir, struct error *err);
void secret_store_close(struct secret_store *st);
/* The same from the file's text (st zeroed, st->path only names it in err). */
int secret_store_parse(struct secret_store *st, const char *text, size_t len, struct error *err);

/* secretsstore.NormalizeName: trimmed, 1..128 of [A-Za-z0-9_-], lower-cased, not "sec_...". */
bool secret_name_normalize(const char *in, char out[SECRET_NAME_MAX + 1]);
/* A TypeID "sec_" + 26 of Crockford base32 (lower case, first <= '7'). */
bool secret_id_valid(const char *s);
/* The secret a path selector names (handlers' secretRef: "sec_"-looking = an id, else a name).
 * NULL with *rc SECRET_INVALID (a bad selector) or SECRET_NOT_FOUND. */
struct secret *secret_find(struct secret_store *st, const char *selector, enum secret_rc *rc);

/* metadata: NULL = {} (create) / keep (update); else an object (validated here). */
enum secret_rc secret_create(struct secret_store *st, const char *name, const char *value,
                             size_t value_len, const struct cJSON *metadata, int64_t now_ms,
                             struct secret **out);
enum secret_rc secret_update(struct secret_store *st, struct secret *s, const char *value,
                             size_t value_len, const struct cJSON *metadata, int64_t now_ms);
enum secret_rc secret_delete(struct secret_store *st, struct secret *s);

/* The public shape: secretID, name, currentVersion, metadata, createdAt, updatedAt. */
struct cJSON *secret_json(const struct secret *s);
/* Index of the first secret after the one with id after ("" = from the start); -1 when after
 * is not a valid id. */
long secret_page_start(const struct secret_store *st, const char *after);

#endif
